"""Hypervisors: the software that creates virtual machines, and a catalogue of real ones.

A **type 1** hypervisor runs directly on the hardware, with no OS under it. A **type 2**
(hosted) hypervisor is an application on a host OS. Real products do not all fit: KVM is
part of the Linux kernel, Hyper-V slides under the Windows that turned it on, and QEMU and
Firecracker are not classified by type at all. Each entry says how it installs, which host
CPUs it runs on, and cites the source of its classification.

A hypervisor *virtualizes*: the guest's code runs directly on the host's processor, so a
guest must be built for the host's architecture. Only an *emulator* runs a guest built for
another one, by translating every instruction in software, which is slower: in the
catalogue that is QEMU (its TCG; QEMU docs, "System Emulation: Introduction").

Examples:
    >>> Hypervisor.named("VirtualBox")
    Hypervisor(name='Oracle VirtualBox', vendor='Oracle', classification='type 2 (hosted) hypervisor')
    >>> Hypervisor.named("KVM").disputed
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from vmconcepts._text import a_or_an
from vmconcepts.architecture import ARCHITECTURES, Architecture
from vmconcepts.errors import (
    IncompatibleArchitectureError,
    IncompatibleKernelError,
    UnknownProductError,
    WrongLayerError,
)
from vmconcepts.overcommit import Overcommit

if TYPE_CHECKING:
    from vmconcepts.host import Host
    from vmconcepts.infrastructure import Machine
    from vmconcepts.operating_system import OperatingSystem

__all__ = ["Hypervisor"]

#: Where a hypervisor goes: on bare hardware, on a host OS (as an app), inside the host's
#: kernel (as a module), or under the host OS (which it moves into a privileged partition).
Installs = Literal["on the hardware", "on a host OS", "in the host kernel", "under the host OS"]


@dataclass(frozen=True, repr=False)
class Hypervisor:
    """A hypervisor product: who makes it, what kind it is, and where it installs.

    Take one from the catalogue with `Hypervisor.named`; `install_on` puts it on a machine.

    Args:
        name: The product's name.
        vendor: Who makes it.
        classification: What it is, in the words of its source, e.g. ``"type 1 hypervisor"``.
        installs: ``"on the hardware"``, ``"on a host OS"``, ``"in the host kernel"`` or
            ``"under the host OS"``.
        host_kernels: The kernel families its host OS must have; empty means any, or none
            for a hypervisor that installs on the hardware.
        note: How it works, in one or two sentences.
        source: Where the classification comes from.
        disputed: True when its type is disputed: its sources disagree (KVM, bhyve), or it
            is built on a hypervisor whose type is (Nitro, on KVM).
        how_to_install: What to do when it is put on the wrong layer ("" for the usual advice).
        host_architectures: The CPU architectures it runs on.
        emulates: True when it can run a guest built for another architecture by translating
            its instructions (QEMU's TCG); such a guest runs, but slower.
        guest_kernels: The kernel families of the guests it boots; empty means any. Beyond
            this and the rule for macOS guests (see `check_guest`), the model does not
            check which guest OS a product supports.
        reserves_memory: True when a VM's whole memory must be free on the host for it to
            start, as VirtualBox's manual says of its base memory; `install_on` then
            promises no memory beyond the hardware by default.

    Examples:
        >>> esxi = Hypervisor.named("ESXi")
        >>> esxi.type, esxi.installs
        (1, 'on the hardware')
        >>> print(Hypervisor.named("Firecracker").describe())
        Firecracker (AWS, open source): virtual machine monitor on KVM
        Uses KVM to create and run microVMs. Agache et al. (NSDI 2020) describe it in production for AWS Lambda and AWS Fargate, as of 2020.
        Source: Firecracker README; Agache et al., "Firecracker: Lightweight Virtualization for Serverless Applications", NSDI 2020
    """

    name: str
    vendor: str
    classification: str
    installs: Installs
    host_kernels: tuple[str, ...]
    note: str
    source: str
    disputed: bool = False
    how_to_install: str = ""
    host_architectures: tuple[Architecture, ...] = ARCHITECTURES
    emulates: bool = False
    guest_kernels: tuple[str, ...] = ()
    reserves_memory: bool = False

    def __repr__(self) -> str:
        """Show the name, vendor and classification; `describe` shows the rest."""
        return (
            f"Hypervisor(name={self.name!r}, vendor={self.vendor!r},"
            f" classification={self.classification!r})"
        )

    def __str__(self) -> str:
        """The product's name."""
        return self.name

    @property
    def type(self) -> int | None:
        """1 or 2 when the sources agree on a type; None when disputed or not a hypervisor type.

        Examples:
            >>> [Hypervisor.named(n).type for n in ("Xen", "Parallels", "KVM", "QEMU")]
            [1, 2, None, None]
        """
        if self.disputed:
            return None
        for number in (1, 2):
            if self.classification.startswith(f"type {number}"):
                return number
        return None

    def describe(self) -> str:
        """Say what the product is, how it works and where that comes from.

        Examples:
            >>> print(Hypervisor.named("KVM").describe())
            KVM (Linux kernel): Linux kernel module (type disputed)
            A module of the Linux kernel. Red Hat says it converts Linux into a type-1 (bare-metal) hypervisor; TechTarget says the host Linux kernel acts as a type 2. It is the classic case where the two-type model blurs.
            Source: Red Hat, "What is KVM?"; TechTarget WhatIs, "KVM hypervisor" (2017)
        """
        return f"{self.name} ({self.vendor}): {self.classification}\n{self.note}\nSource: {self.source}"

    def check_machine(self, machine: Machine) -> None:
        """Refuse a machine this hypervisor cannot be installed on, and say why.

        Raises:
            WrongLayerError: It needs bare hardware and the machine has an OS, or the reverse.
            IncompatibleKernelError: It needs a host OS of another kernel family.
            IncompatibleArchitectureError: It does not run on the machine's CPU.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> pc = Machine("pc", "desktop", Resources(8, "32 GiB"), os="Windows 11")
            >>> Hypervisor.named("Parallels Desktop").check_machine(pc)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IncompatibleKernelError: Parallels Desktop for Mac needs a host OS with a darwin kernel, but desktop 'pc' runs Windows 11 (windows kernel). On desktop 'pc' you could use: Microsoft Hyper-V, VMware Workstation, Oracle VirtualBox, QEMU
        """
        where = machine.kind_and_name
        if machine.architecture not in self.host_architectures:
            msg = (
                f"{self.name} runs on {' or '.join(self.host_architectures)} processors, but"
                f" {where} has an {machine.architecture} CPU. {_alternatives(machine)}"
            )
            raise IncompatibleArchitectureError(msg)
        what = a_or_an(self.classification)
        if self.installs == "under the host OS":
            what += " that is turned on from its host OS"
        fix = self.how_to_install or None
        if self.installs == "on the hardware":
            if machine.os is not None:
                raise WrongLayerError(self.name, what, where, machine.os.name, fix)
            return
        if machine.os is None:
            raise WrongLayerError(self.name, what, where, None, fix)
        if not self.runs_on(machine.os.family):
            msg = (
                f"{self.name} needs a host OS with a {' or '.join(self.host_kernels)} kernel,"
                f" but {where} runs {machine.os} ({machine.os.family} kernel)."
                f" {_alternatives(machine)}"
            )
            raise IncompatibleKernelError(msg)

    def fits(self, machine: Machine) -> bool:
        """Say whether this hypervisor can be installed on ``machine``: its CPU, layer and OS.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> m_mac = Machine("m-mac", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")
            >>> [h.name for h in Hypervisor.catalogue() if h.fits(m_mac)]
            ['VMware Fusion', 'Oracle VirtualBox', 'Parallels Desktop for Mac', 'Apple Virtualization.framework', 'QEMU']
        """
        if machine.architecture not in self.host_architectures:
            return False
        if self.installs == "on the hardware":
            return machine.os is None
        return machine.os is not None and self.runs_on(machine.os.family)

    def check_guest(self, guest: OperatingSystem, machine: Machine) -> None:
        """Refuse a guest OS this hypervisor does not boot on ``machine``, and say why.

        Two rules: a product that boots only some kernel families (Apple's
        Virtualization.framework: macOS and Linux) refuses the others, and macOS runs as a
        guest only on a Mac that already runs macOS, as Apple's licence allows (Apple, macOS
        Big Sur Software License Agreement, section 2B(iii)).

        Raises:
            IncompatibleKernelError: The guest is not one it boots there; the message names
                the products on this machine that would.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.operating_system import OperatingSystem
            >>> from vmconcepts.resources import Resources
            >>> m_mac = Machine("m-mac", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")
            >>> apple = Hypervisor.named("Virtualization.framework")
            >>> apple.check_guest(OperatingSystem.named("Ubuntu 24.04"), m_mac)
            >>> apple.check_guest(OperatingSystem.named("Windows 11"), m_mac)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IncompatibleKernelError: Apple Virtualization.framework boots only darwin and linux guests, not Windows 11 (windows kernel). On laptop 'm-mac', these boot it: VMware Fusion, Oracle VirtualBox, Parallels Desktop for Mac, QEMU
        """
        where = machine.kind_and_name
        if self.guest_kernels and guest.family not in self.guest_kernels:
            others = [
                entry.name
                for entry in _CATALOGUE
                if entry.fits(machine)
                and (not entry.guest_kernels or guest.family in entry.guest_kernels)
                and (machine.architecture in guest.architectures or entry.emulates)
            ]
            msg = (
                f"{self.name} boots only {' and '.join(self.guest_kernels)} guests, not {guest}"
                f" ({guest.family} kernel). On {where}, these boot it: {', '.join(others)}"
            )
            raise IncompatibleKernelError(msg)
        if guest.family == "darwin" and (machine.os is None or machine.os.family != "darwin"):
            host = f"runs {machine.os}" if machine.os else "has no OS"
            msg = (
                "macOS runs as a guest only on a Mac that already runs macOS (Apple's macOS"
                f" licence, section 2B(iii)), but {where} {host}. Run the macOS guest on a Mac,"
                " or choose another guest OS."
            )
            raise IncompatibleKernelError(msg)

    def runs_on(self, family: str) -> bool:
        """Say whether this hypervisor can work with a host kernel of ``family``.

        Examples:
            >>> Hypervisor.named("Fusion").runs_on("darwin"), Hypervisor.named("Fusion").runs_on("linux")
            (True, False)
        """
        return not self.host_kernels or family in self.host_kernels

    def install_on(self, machine: Machine, *, overcommit: Overcommit | None = None) -> Host:
        """Install this hypervisor on a machine, which then becomes a `Host` for VMs.

        Args:
            machine: Where to install it.
            overcommit: How much the host may promise its VMs beyond its hardware; by
                default no limit, as KVM and ESXi (see `Overcommit`), except for a product
                that reserves a VM's memory when it starts (VirtualBox): no memory beyond
                the hardware.

        Raises:
            WrongLayerError: A type 2 hypervisor on bare metal, or a type 1 on an OS.
            IncompatibleKernelError: The host OS has the wrong kernel family.
            IncompatibleArchitectureError: The hypervisor does not run on the machine's CPU.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> server = Machine("rack-1", "server", Resources(64, "256 GiB", "4 TiB"))
            >>> Hypervisor.named("VMware ESXi").install_on(server)
            Host(machine='rack-1', hypervisor='VMware ESXi', vms=[])
            >>> Hypervisor.named("VirtualBox").install_on(server)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.WrongLayerError: Oracle VirtualBox is a type 2 (hosted) hypervisor, so it needs an operating system already installed, but server 'rack-1' is bare metal with no OS. Install a host OS first, or choose a type 1 hypervisor, which runs directly on the hardware.
        """
        from vmconcepts.host import Host  # noqa: PLC0415 - host.py builds on this module

        if overcommit is None and self.reserves_memory:
            overcommit = Overcommit(memory_ratio=1)
        return Host(machine, self, overcommit=overcommit)

    @classmethod
    def catalogue(cls) -> tuple[Hypervisor, ...]:
        """Every hypervisor the library knows.

        Examples:
            >>> len(Hypervisor.catalogue())
            14
        """
        return _CATALOGUE

    @classmethod
    def named(cls, name: str) -> Hypervisor:
        """Look a hypervisor up by name, ignoring case; short names such as "ESXi" work too.

        Raises:
            UnknownProductError: No product has that name; the message suggests the closest.

        Examples:
            >>> Hypervisor.named("hyper-v").name
            'Microsoft Hyper-V'
            >>> Hypervisor.named("VirtualBx")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.UnknownProductError: no hypervisor named 'VirtualBx'; did you mean 'Oracle VirtualBox'? Known: ...
        """
        wanted = name.strip().lower() if isinstance(name, str) else ""
        wanted = _ALIASES.get(wanted, wanted)
        for entry in _CATALOGUE:
            if entry.name.lower() == wanted:
                return entry
        known = [entry.name for entry in _CATALOGUE]
        raise UnknownProductError(kind="hypervisor", name=str(name), known=known)


# Short names a reader may use, lower case, and the catalogue name each stands for.
_ALIASES = {
    "esxi": "vmware esxi",
    "hyper-v": "microsoft hyper-v",
    "nitro": "aws nitro hypervisor",
    "workstation": "vmware workstation",
    "fusion": "vmware fusion",
    "virtualbox": "oracle virtualbox",
    "parallels": "parallels desktop for mac",
    "parallels desktop": "parallels desktop for mac",
    "virtualization.framework": "apple virtualization.framework",
}


_CATALOGUE = (
    Hypervisor(
        "VMware ESXi",
        "VMware (Broadcom)",
        "type 1 hypervisor",
        "on the hardware",
        (),
        'Runs on bare metal with a kernel of its own, the vmkernel, and "operates'
        " independently from any general purpose operating system\". VMware's paper does not"
        ' use the words "type 1"; the usual classification follows from that design.',
        'VMware, "The Architecture of VMware ESXi" (2008)',
        host_architectures=("x86_64",),
    ),
    Hypervisor(
        "Microsoft Hyper-V",
        "Microsoft",
        "type 1 hypervisor",
        "under the host OS",
        ("windows",),
        "Turned on from Windows. The hypervisor then starts first, and Windows itself runs in"
        " the privileged root partition, which runs the virtualization stack and creates"
        " child partitions: the VMs.",
        "Hyper-V Top-Level Functional Specification (learn.microsoft.com, tlfs)",
        how_to_install="Install Windows first and turn Hyper-V on from it: Windows then moves"
        " into the root partition above the hypervisor.",
    ),
    Hypervisor(
        "Xen",
        "Xen Project",
        "type 1 hypervisor",
        "on the hardware",
        (),
        '"An open source, bare metal hypervisor"; a privileged domain, dom0, manages the'
        " other guests and holds the device drivers.",
        'Xen Project, "Xen Admin Guide: Introduction" (xenbits.xen.org/docs)',
        how_to_install="Install Xen on a machine with no OS; in practice it is often added to an"
        " installed Linux such as Debian, which then runs as dom0 (Debian Wiki, 'Xen'). This"
        " model installs it on bare metal only.",
    ),
    Hypervisor(
        "AWS Nitro Hypervisor",
        "AWS",
        "KVM-based hypervisor (type disputed, as KVM's is)",
        "on the hardware",
        (),
        '"A lightweight hypervisor that manages memory and CPU allocation", part of the'
        " Nitro System with the Nitro cards and the Nitro security chip; based on KVM. AWS"
        " does not call it type 1 or type 2, and KVM's own type is disputed. EC2 *.metal"
        " instances run with no hypervisor at all.",
        "Amazon EC2 User Guide, instance types;"
        ' AWS whitepaper "The Security Design of the AWS Nitro System"',
        disputed=True,
        how_to_install="The Nitro hypervisor comes only on AWS's own servers; in this model,"
        " put it on a server with no OS.",
    ),
    Hypervisor(
        "VMware Workstation",
        "VMware",
        "type 2 (hosted) hypervisor",
        "on a host OS",
        ("windows", "linux"),
        "A hosted hypervisor for Windows and Linux; the Qubes OS documentation names"
        ' "VirtualBox or VMware Workstation" as type 2.',
        "Qubes OS documentation",
        host_architectures=("x86_64",),
    ),
    Hypervisor(
        "VMware Fusion",
        "VMware",
        "type 2 (hosted) hypervisor",
        "on a host OS",
        ("darwin",),
        "The macOS sibling of Workstation, and hosted like it; no primary source for its"
        " type was found. On Apple silicon Macs it runs Arm guests.",
        "unverified: by analogy with VMware Workstation",
    ),
    Hypervisor(
        "Oracle VirtualBox",
        "Oracle",
        "type 2 (hosted) hypervisor",
        "on a host OS",
        (),
        'Its manual calls it a hosted ("type 2") hypervisor, one that needs an existing OS,'
        " and says a VM's base memory must be free on the host to start it and is not"
        " available to the host while the VM runs. Since version 7.1 (2024) it also runs on"
        " Apple silicon Macs, at first with Arm Linux and BSD guests (VirtualBox"
        " Changelog-7.1); version 7.2 (2025) added Windows 11 on Arm (VirtualBox issues 46"
        " and 641).",
        "Oracle VM VirtualBox User Manual",
        reserves_memory=True,
    ),
    Hypervisor(
        "Parallels Desktop for Mac",
        "Parallels",
        "type 2 (hosted) hypervisor",
        "on a host OS",
        ("darwin",),
        "Runs as an app on macOS; inside a Linux guest, systemd reports 'parallels'. On"
        " Apple silicon it runs Arm guests, such as Windows 11 on Arm; version 20.2 (2025)"
        " added an x86 emulation preview that Parallels does not support for real work.",
        "Parallels KB 125343; systemd src/basic/virt.c ('type 2' is the usual"
        " classification, not Parallels' own word)",
    ),
    Hypervisor(
        "KVM",
        "Linux kernel",
        "Linux kernel module (type disputed)",
        "in the host kernel",
        ("linux",),
        "A module of the Linux kernel. Red Hat says it converts Linux into a type-1"
        " (bare-metal) hypervisor; TechTarget says the host Linux kernel acts as a type 2."
        " It is the classic case where the two-type model blurs.",
        'Red Hat, "What is KVM?"; TechTarget WhatIs, "KVM hypervisor" (2017)',
        disputed=True,
        how_to_install="Install Linux first: loading the KVM module turns that kernel into"
        " the hypervisor.",
    ),
    Hypervisor(
        "bhyve",
        "FreeBSD",
        "FreeBSD kernel hypervisor like KVM (type disputed)",
        "in the host kernel",
        ("freebsd",),
        '"Roughly analogous to KVM + QEMU on Linux": part of FreeBSD, so it is disputed'
        " in the same way as KVM.",
        "xhyve README",
        disputed=True,
        how_to_install="Install FreeBSD first: bhyve is part of its kernel.",
    ),
    Hypervisor(
        "Apple Virtualization.framework",
        "Apple",
        "user-space API to macOS's built-in hypervisor",
        "on a host OS",
        ("darwin",),
        "The high-level framework (macOS 11 and later) that boots macOS or Linux guests with"
        " virtio devices. It stands on Hypervisor.framework (macOS 10.10 and later), the"
        " low-level C API: each VM is a process and each vCPU a thread, with no kernel"
        " extensions. Both are APIs that apps call; the hypervisor support itself is in"
        " macOS's kernel, XNU.",
        'Apple Developer Documentation, "Virtualization" and "Hypervisor"',
        how_to_install="Use a Mac: the frameworks are part of macOS.",
        guest_kernels=("darwin", "linux"),
    ),
    Hypervisor(
        "QEMU",
        "QEMU project",
        "emulator and virtualizer",
        "on a host OS",
        (),
        "Emulates a whole machine in software (TCG), or hands the CPU work to an accelerator:"
        " KVM, Xen, HVF on macOS or WHPX on Windows. With TCG it runs a guest of another"
        " architecture, every instruction translated, so more slowly.",
        "QEMU docs/about/index.rst and docs/system/introduction.rst",
        emulates=True,
    ),
    Hypervisor(
        "Firecracker",
        "AWS, open source",
        "virtual machine monitor on KVM",
        "on a host OS",
        ("linux",),
        "Uses KVM to create and run microVMs. Agache et al. (NSDI 2020) describe it in"
        " production for AWS Lambda and AWS Fargate, as of 2020.",
        'Firecracker README; Agache et al., "Firecracker: Lightweight Virtualization for'
        ' Serverless Applications", NSDI 2020',
        how_to_install="Install Linux first: Firecracker runs there and needs its KVM module.",
    ),
    Hypervisor(
        "Cloud Hypervisor",
        "Linux Foundation project",
        "virtual machine monitor on KVM or MSHV",
        "on a host OS",
        ("linux",),
        "A virtual machine monitor written in Rust on the rust-vmm crates.",
        "Cloud Hypervisor README",
        how_to_install="Install Linux first: Cloud Hypervisor runs there on KVM or MSHV.",
    ),
)


def _alternatives(machine: Machine) -> str:
    """What the catalogue could install on ``machine`` instead, as a sentence."""
    where = machine.kind_and_name
    fits = [entry.name for entry in _CATALOGUE if entry.fits(machine)]
    if not fits:
        return f"Nothing in the catalogue installs on {where}."
    return f"On {where} you could use: {', '.join(fits)}"
