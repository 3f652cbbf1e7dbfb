"""A host: a machine with a hypervisor, sharing its CPUs, memory and disk among VMs.

The rules, in the order a VM meets them:

- the hypervisor must boot the guest's OS: Apple's Virtualization.framework boots only macOS
  and Linux, and macOS is a guest only on a Mac that runs macOS, as Apple's licence allows
  (see `Hypervisor.check_guest`; the model checks nothing more about guest support);
- the guest must be built for the host's CPU architecture, unless the hypervisor emulates
  (only QEMU does, in the catalogue);
- creating a VM checks that it could ever run here: no more vCPUs than the host has hardware
  threads, no more memory than it has (the library's simplification: KVM would start a
  larger guest, and the cost would show only when it touched more than the host has);
- its disk is thin by default, so it takes host disk only as the guest writes (a thick disk
  takes all of it at once);
- starting it promises it its vCPUs and memory, and stopping it takes the promise back;
  the host's `Overcommit` policy says how much it may promise beyond its hardware (by
  default no limit, as KVM and ESXi, or no memory beyond the hardware for VirtualBox, which
  sets a running VM's memory aside);
- what a promise costs shows when guests use it: `Host.pressure` tells which guests had
  memory taken back and how crowded the CPUs are.

Examples:
    >>> from vmconcepts import Hypervisor, Machine, Resources
    >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64")
    >>> host = Hypervisor.named("Parallels").install_on(mac)
    >>> linux = host.create_vm("linux", "Ubuntu 24.04", Resources(2, "10 GiB", "64 GiB"))
    >>> win = host.create_vm("win", "Windows 11", Resources(2, "8 GiB", "64 GiB"))
    >>> linux.start()
    >>> win.start()
    >>> print(host.usage())
            promised    in use  hardware
    vCPUs          4         4         8
    memory    18 GiB    18 GiB    16 GiB
    disk     128 GiB       0 B   512 GiB
    >>> print(host.pressure())
    VM       given      uses  reclaimed
    linux   10 GiB    10 GiB      2 GiB  slowed
    win      8 GiB     8 GiB        0 B
    memory: the guests use 18 GiB of the host's 16 GiB; 2 GiB is taken back (ballooned or swapped)
    vCPUs: 4 running on 8 hardware threads; each can have a thread of its own
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from vmconcepts._text import counted
from vmconcepts.diagram import Layer, LayerKind, Stack
from vmconcepts.errors import (
    IncompatibleArchitectureError,
    InvalidValueError,
    NotEnoughResourcesError,
    UnknownProductError,
)
from vmconcepts.operating_system import OperatingSystem
from vmconcepts.overcommit import GuestMemory, Overcommit, Pressure, reclaim
from vmconcepts.resources import Resources, Size
from vmconcepts.virtual_machine import VirtualMachine

if TYPE_CHECKING:
    from vmconcepts.architecture import Architecture
    from vmconcepts.hypervisor import Hypervisor
    from vmconcepts.infrastructure import Machine

__all__ = ["Host", "Usage"]

#: How a virtual disk takes the host's disk: as the guest writes (thin) or all at once (thick).
Provisioning = Literal["thin", "thick"]


@dataclass(frozen=True)
class Usage:
    """What a host has promised its VMs, what they use, and what its hardware has.

    Args:
        promised: vCPUs and memory of running and paused VMs, and every VM's disk size.
        in_use: vCPUs of running VMs, the memory their guests use, and the disk taken.
        hardware: The machine's hardware threads, memory and disk.

    Examples:
        >>> usage = Usage(Resources(12, "24 GiB", "256 GiB"), Resources(12, "12 GiB", "40 GiB"), Resources(8, "16 GiB", "512 GiB"))
        >>> print(usage)
                promised    in use  hardware
        vCPUs         12        12         8
        memory    24 GiB    12 GiB    16 GiB
        disk     256 GiB    40 GiB   512 GiB
        >>> usage.overcommitted
        ('vCPUs', 'memory')
    """

    promised: Resources
    in_use: Resources
    hardware: Resources

    @property
    def overcommitted(self) -> tuple[str, ...]:
        """Which resources are promised beyond the hardware."""
        pairs = (
            ("vCPUs", self.promised.vcpus > self.hardware.vcpus),
            ("memory", self.promised.memory > self.hardware.memory),
            ("disk", self.promised.disk > self.hardware.disk),
        )
        return tuple(name for name, over in pairs if over)

    def __str__(self) -> str:
        """A small table of promised, in use and hardware resources."""
        columns = (self.promised, self.in_use, self.hardware)
        rows = [
            ("", "promised", "in use", "hardware"),
            ("vCPUs", *(str(r.vcpus) for r in columns)),
            ("memory", *(str(r.memory) for r in columns)),
            ("disk", *(str(r.disk) for r in columns)),
        ]
        return "\n".join(
            f"{label:<6}" + "".join(f"{cell:>10}" for cell in cells) for label, *cells in rows
        )


class Host:
    """A machine with a hypervisor installed: it creates VMs and shares its resources.

    Get one from `Hypervisor.install_on`, which checks that the hypervisor suits the machine.
    ``files`` stands for the host's own files (path to text), which guests cannot reach
    except through a shared folder.

    Args:
        machine: The physical machine.
        hypervisor: The hypervisor installed on it.
        overcommit: How much it may promise beyond its hardware; no limit by default
            (`Hypervisor.install_on` passes VirtualBox's own default).

    Examples:
        >>> from vmconcepts import Hypervisor, Machine, Overcommit, Resources
        >>> server = Machine("rack-1", "server", Resources(8, "32 GiB", "1 TiB"))
        >>> host = Hypervisor.named("Xen").install_on(server, overcommit=Overcommit(vcpu_ratio=2))
        >>> print(host.overcommit)
        up to 2 vCPUs per hardware thread; memory without limit
    """

    def __init__(
        self, machine: Machine, hypervisor: Hypervisor, *, overcommit: Overcommit | None = None
    ) -> None:
        """Install ``hypervisor`` on ``machine``, refusing a layer or kernel that does not fit."""
        hypervisor.check_machine(machine)
        if overcommit is None:
            overcommit = Overcommit()
        if not isinstance(overcommit, Overcommit):
            msg = f"overcommit is an Overcommit policy such as Overcommit.strict(), not {overcommit!r}"
            raise InvalidValueError(msg)
        self.machine = machine
        self.hypervisor = hypervisor
        self.overcommit = overcommit
        self.files: dict[str, str] = {}
        self._vms: dict[str, VirtualMachine] = {}

    def __repr__(self) -> str:
        """Name the machine, the hypervisor and the VMs."""
        return (
            f"Host(machine={self.machine.name!r}, hypervisor={self.hypervisor.name!r},"
            f" vms={list(self._vms)!r})"
        )

    @property
    def vms(self) -> tuple[VirtualMachine, ...]:
        """The VMs on this host that have not been deleted, oldest first."""
        return tuple(self._vms.values())

    def vm(self, name: str) -> VirtualMachine:
        """Find a VM by name.

        Raises:
            UnknownProductError: No VM has that name; the message suggests the closest.
        """
        if name not in self._vms:
            raise UnknownProductError(kind="VM", name=str(name), known=list(self._vms))
        return self._vms[name]

    def _holding(self) -> list[VirtualMachine]:
        """The VMs that hold a promise of vCPUs and memory: running and paused ones."""
        return [vm for vm in self._vms.values() if vm.state in ("running", "paused")]

    def usage(self) -> Usage:
        """A report of what is promised, what is in use, and what the hardware has.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> server = Machine("rack-1", "server", Resources(8, "32 GiB", "1 TiB"))
            >>> host = Hypervisor.named("ESXi").install_on(server)
            >>> db = host.create_vm("db", "Debian 12", Resources(4, "16 GiB", "200 GiB"))
            >>> db.start()
            >>> db.use_memory("6 GiB")
            >>> db.use_disk("30 GiB")
            >>> print(host.usage())
                    promised    in use  hardware
            vCPUs          4         4         8
            memory    16 GiB     6 GiB    32 GiB
            disk     200 GiB    30 GiB     1 TiB
        """
        holding = self._holding()
        running = [vm for vm in holding if vm.state == "running"]
        disks = [vm.resources.disk for vm in self._vms.values()]
        promised = Resources(
            sum(vm.resources.vcpus for vm in holding),
            sum((vm.resources.memory for vm in holding), Size(0)),
            sum(disks, Size(0)),
        )
        in_use = Resources(
            sum(vm.resources.vcpus for vm in running),
            sum((vm.memory_used for vm in holding), Size(0)),
            self._disk_taken(),
        )
        return Usage(promised, in_use, self.machine.resources)

    def _disk_taken(self) -> Size:
        return sum((vm.disk_used for vm in self._vms.values()), Size(0))

    def pressure(self) -> Pressure:
        """What overcommit costs now: memory taken back from guests, and vCPUs waiting.

        When the guests use more memory than the host has, the excess is taken from the
        guests that were quiet longest (see `vmconcepts.overcommit`), and those slow down.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> server = Machine("rack-1", "server", Resources(4, "16 GiB"))
            >>> host = Hypervisor.named("KVM").install_on(server.with_os("Ubuntu 24.04"))
            >>> vms = [host.create_vm(n, "Debian 12", Resources(2, "8 GiB")) for n in ("a", "b", "c")]
            >>> for vm in vms:
            ...     vm.start()
            ...     vm.use_memory("4 GiB")
            >>> vms[2].use_memory("8 GiB")  # c gets busy: the noisy neighbour
            >>> print(host.pressure())
            VM    given      uses  reclaimed
            a     8 GiB     4 GiB        0 B
            b     8 GiB     4 GiB        0 B
            c     8 GiB     8 GiB        0 B
            memory: the guests use 16 GiB of the host's 16 GiB; nothing is taken back
            vCPUs: 6 running on 4 hardware threads; when all are busy, each gets 2/3 of a thread
            >>> vms[1].use_memory("6 GiB")
            >>> print(host.pressure())
            VM    given      uses  reclaimed
            a     8 GiB     4 GiB      2 GiB  slowed
            b     8 GiB     6 GiB        0 B
            c     8 GiB     8 GiB        0 B
            memory: the guests use 18 GiB of the host's 16 GiB; 2 GiB is taken back (ballooned or swapped)
            vCPUs: 6 running on 4 hardware threads; when all are busy, each gets 2/3 of a thread
        """
        holding = self._holding()
        quietest_first = sorted(holding, key=lambda vm: vm.last_active)
        taken = reclaim(
            self.machine.resources.memory, [(vm.name, vm.memory_used) for vm in quietest_first]
        )
        guests = tuple(
            GuestMemory(vm.name, vm.resources.memory, vm.memory_used, taken[vm.name])
            for vm in holding
        )
        running = sum(vm.resources.vcpus for vm in holding if vm.state == "running")
        return Pressure(
            self.machine.resources.memory, self.machine.resources.vcpus, running, guests
        )

    def create_vm(
        self,
        name: str,
        guest_os: OperatingSystem | str,
        resources: Resources,
        *,
        architecture: Architecture | None = None,
        disk: Provisioning = "thin",
    ) -> VirtualMachine:
        """Create a VM; it holds no CPU or memory until it starts.

        Args:
            name: A name not used by another VM on this host.
            guest_os: The guest OS, as an `OperatingSystem` or a catalogue name.
            resources: What the VM gets: at least 1 vCPU and some memory.
            architecture: The guest's CPU; by default the host's, or, on an emulator, the
                first the OS is built for.
            disk: ``"thin"`` (the default in VirtualBox, VMware Workstation and QEMU's qcow2):
                host disk is taken as the guest writes; ``"thick"`` (ESXi's default on VMFS,
                per the vSphere documentation, "About Virtual Disk Provisioning Policies"):
                the whole disk is taken now.

        Raises:
            InvalidValueError: The name is taken or empty, or an argument is not usable.
            IncompatibleKernelError: The hypervisor does not boot this guest OS here (see
                `Hypervisor.check_guest`); the message says which products would.
            IncompatibleArchitectureError: The guest is not built for the host's CPU and the
                hypervisor does not emulate; the message says what works instead.
            NotEnoughResourcesError: The VM asks for more vCPUs or memory than the host has in
                all (the library's simplification, see above), or a thick disk does not fit.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64")
            >>> host = Hypervisor.named("Fusion").install_on(mac)
            >>> host.create_vm("huge", "Windows 11", Resources(4, "32 GiB", "64 GiB"))
            Traceback (most recent call last):
            ...
            vmconcepts.errors.NotEnoughResourcesError: VM 'huge' asks for 32 GiB of memory but the host has 16 GiB in all; give it at most 16 GiB.
            >>> host.create_vm("win10", "Windows 10", Resources(2, "8 GiB", "64 GiB"))
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IncompatibleArchitectureError: Windows 10 is built for x86_64 only (as a guest you can install), but laptop 'macbook' has an arm64 CPU, and VMware Fusion supports only guests built for the host's CPU, which it runs natively. What works: Windows 11 (it has an arm64 build); Windows 10 on an x86_64 machine (for a Mac, an Intel Mac); or an emulator such as QEMU, which translates every instruction and so runs it slower.
        """
        if not isinstance(name, str) or not name.strip():
            msg = f"a VM needs a name such as 'win10', not {name!r}"
            raise InvalidValueError(msg)
        if name in self._vms:
            msg = f"this host already has a VM named {name!r}; choose another name"
            raise InvalidValueError(msg)
        if isinstance(guest_os, str):
            guest_os = OperatingSystem.named(guest_os)
        if not isinstance(guest_os, OperatingSystem):
            msg = f"the guest OS must be an OperatingSystem or its name, not {guest_os!r}"
            raise InvalidValueError(msg)
        if not isinstance(resources, Resources) or resources.vcpus < 1 or not resources.memory:
            msg = f"a VM needs Resources with at least 1 vCPU and some memory, not {resources!r}"
            raise InvalidValueError(msg)
        if disk not in ("thin", "thick"):
            msg = f"a virtual disk is 'thin' or 'thick', not {disk!r}"
            raise InvalidValueError(msg)
        self.hypervisor.check_guest(guest_os, self.machine)
        guest_cpu = self._guest_architecture(guest_os, architecture)
        self._check_fits_at_all(name, resources, disk)
        vm = VirtualMachine(
            name,
            guest_os,
            resources,
            self,
            architecture=guest_cpu,
            emulated=guest_cpu != self.machine.architecture,
            thick=disk == "thick",
            admit=self._admit,
            forget=self._forget,
            grow_disk=self._grow_disk,
        )
        self._vms[name] = vm
        return vm

    def _guest_architecture(
        self, guest_os: OperatingSystem, wanted: Architecture | None
    ) -> Architecture:
        """The guest's CPU: the host's when possible; another only on an emulator."""
        native = self.machine.architecture
        emulates = self.hypervisor.emulates
        if wanted is None:
            if native in guest_os.architectures or not emulates:
                wanted = native
            else:
                wanted = guest_os.architectures[0]
        if wanted not in guest_os.architectures and wanted != native:
            msg = f"{guest_os} is built for {' and '.join(guest_os.architectures)}, not {wanted}"
            raise IncompatibleArchitectureError(msg)
        if wanted not in guest_os.architectures or (wanted != native and not emulates):
            raise IncompatibleArchitectureError(self._foreign_guest(guest_os, wanted))
        return wanted

    def _foreign_guest(self, guest_os: OperatingSystem, wanted: Architecture) -> str:
        native = self.machine.architecture
        where = self.machine.kind_and_name
        only = " only" if len(guest_os.architectures) == 1 else ""
        built = " and ".join(guest_os.architectures)
        instead = [
            f"{other} (it has an {native} build)"
            for other in OperatingSystem.catalogue()
            if other.family == guest_os.family and native in other.architectures
        ]
        target = wanted if wanted != native else guest_os.architectures[0]
        on_a_mac = self.machine.os is not None and self.machine.os.family == "darwin"
        mac = " (for a Mac, an Intel Mac)" if target == "x86_64" and on_a_mac else ""
        works = [*instead[:1], f"{guest_os} on an {target} machine{mac}"]
        return (
            f"{guest_os} is built for {built}{only} (as a guest you can install), but {where} has an {native} CPU, and"
            f" {self.hypervisor} supports only guests built for the host's CPU, which it runs"
            f" natively. What works: {'; '.join(works)}; or an emulator such as QEMU, which"
            " translates every instruction and so runs it slower."
        )

    def _check_fits_at_all(self, name: str, need: Resources, disk: Provisioning) -> None:
        hardware = self.machine.resources
        if need.vcpus > hardware.vcpus:
            msg = (
                f"VM {name!r} asks for {counted(need.vcpus, 'vCPU')} but the host has"
                f" {hardware.vcpus} hardware threads in all; give it at most {hardware.vcpus}."
            )
            raise NotEnoughResourcesError(msg)
        if need.memory > hardware.memory:
            msg = (
                f"VM {name!r} asks for {need.memory} of memory but the host has"
                f" {hardware.memory} in all; give it at most {hardware.memory}."
            )
            raise NotEnoughResourcesError(msg)
        free = hardware.disk - self._disk_taken()
        if disk == "thick" and need.disk > free:
            msg = (
                f"VM {name!r} needs {need.disk} of disk at once (a thick disk) but the host"
                f" has {free} free of {hardware.disk}; delete a VM, give it a smaller disk,"
                " or make it thin."
            )
            raise NotEnoughResourcesError(msg)

    def _admit(self, vm: VirtualMachine) -> None:
        """Refuse to start ``vm`` if the policy forbids promising its memory or vCPUs."""
        vcpu_limit, memory_limit = self.overcommit.limit(self.machine.resources)
        holding = self._holding()
        promised_memory = sum((other.resources.memory for other in holding), Size(0))
        promised_vcpus = sum(other.resources.vcpus for other in holding)
        need = vm.resources
        if memory_limit is not None and promised_memory + need.memory > memory_limit:
            free = memory_limit - promised_memory if promised_memory < memory_limit else Size(0)
            msg = (
                f"{vm} needs {need.memory} of memory but the host has {free} free of"
                f" {memory_limit} under its policy ({self.overcommit});"
                f" {self._advice('less memory')}."
            )
            raise NotEnoughResourcesError(msg)
        if vcpu_limit is not None and promised_vcpus + need.vcpus > vcpu_limit:
            free_vcpus = max(vcpu_limit - promised_vcpus, 0)
            msg = (
                f"{vm} needs {counted(need.vcpus, 'vCPU')} but the host has {free_vcpus} free"
                f" of {vcpu_limit} under its policy ({self.overcommit});"
                f" {self._advice('fewer vCPUs')}."
            )
            raise NotEnoughResourcesError(msg)

    def _advice(self, less: str) -> str:
        """What to do about a refused start: stop a VM, shrink this one, or loosen the policy."""
        if self.overcommit == Overcommit.strict():
            return f"stop a VM or give it {less}"
        return f"stop a VM, give it {less}, or install with a looser Overcommit policy"

    def _grow_disk(self, vm: VirtualMachine, new: Size) -> None:
        """Refuse to let a thin disk grow past what the host's disk has free."""
        hardware = self.machine.resources.disk
        free = hardware - self._disk_taken()
        growth = new.bytes - vm.disk_used.bytes
        if growth > free.bytes:
            msg = (
                f"{vm} cannot grow its thin disk to {new}: the host's disk has {free} free of"
                f" {hardware}. Thin disks together promised more than the host has; free space"
                " on the host or delete a VM."
            )
            raise NotEnoughResourcesError(msg)

    def _forget(self, vm: VirtualMachine) -> None:
        """Drop a deleted VM, giving its disk back."""
        if self._vms.get(vm.name) is vm:
            del self._vms[vm.name]

    def stack(self) -> Stack:
        """Draw what runs on what: hardware, host OS, hypervisor, then the VMs side by side.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="x86_64")  # an Intel Mac: Windows 10 is built for x86_64 only
            >>> host = Hypervisor.named("VirtualBox").install_on(mac)
            >>> _ = host.create_vm("win10", "Windows 10", Resources(2, "4 GiB", "64 GiB"))
            >>> _ = host.create_vm("web", "Ubuntu 24.04", Resources(2, "4 GiB", "32 GiB"))
            >>> print(host.stack().to_text())
            Oracle VirtualBox on macbook
            +--------------------+--------------------+
            | win10 (Windows 10) | web (Ubuntu 24.04) |
            +--------------------+--------------------+
            |            Oracle VirtualBox            |
            +-----------------------------------------+
            |                  macOS                  |
            +-----------------------------------------+
            |             macbook (laptop)            |
            +-----------------------------------------+
        """
        stack = Stack(f"{self.hypervisor.name} on {self.machine.name}")
        stack = stack.with_row(Layer(self.machine.label, LayerKind.HARDWARE))
        host_os = self.machine.os
        guests = [Layer(f"{vm.name} ({vm.guest_os})", LayerKind.GUEST_OS) for vm in self.vms]
        hypervisor = Layer(self.hypervisor.name, LayerKind.HYPERVISOR)
        if host_os is None:
            stack = stack.with_row(hypervisor)
        elif self.hypervisor.installs == "under the host OS":
            stack = stack.with_row(hypervisor)
            guests.insert(0, Layer(f"{host_os} (root partition)", LayerKind.HOST_OS))
        elif self.hypervisor.installs == "in the host kernel":
            label = f"{host_os} with {self.hypervisor.name} in its kernel"
            stack = stack.with_row(Layer(label, LayerKind.HYPERVISOR))
        else:
            stack = stack.with_row(Layer(str(host_os), LayerKind.HOST_OS)).with_row(hypervisor)
        return stack.with_row(*guests) if guests else stack
