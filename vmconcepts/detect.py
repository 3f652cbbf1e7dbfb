r"""Where am I running? Find the virtual machine and the container around this program.

`detect` follows the rules of systemd-detect-virt (systemd's ``src/basic/virt.c``): it reads
small files under ``/proc``, ``/sys`` and ``/run`` and reports the two layers separately, in
systemd's words: ``vm`` is the hypervisor below the operating system (``"kvm"``, ``"xen"``,
``"microsoft"``, ...) and ``container`` is the container around this process (``"docker"``,
``"lxc"``, ``"wsl"``, ...). Either may be None.

Every file is read below ``root``, so a directory of small files can stand for a whole
machine. The result's ``evidence`` says, line by line, what each file showed.

Where this module differs from systemd (version of ``virt.c`` read in 2026), and why:

- No CPUID: plain Python cannot run the instruction. A caller who knows the signature can
  pass it; otherwise ``kvm-clock``, ``xen`` or ``hyperv_clocksource_*`` among the kernel's
  clock sources, and last the ``hypervisor`` flag in ``/proc/cpuinfo``, stand in for it.
  In Xen's dom0, the ``xen`` clock and the flag come from Xen itself and do not count.
- A file that is empty, unreadable or has an empty first line tells nothing. systemd
  counts an empty announcement as ``container-other`` and gives up with an error on some
  unreadable files; a strange machine should not stop the answer for the other layer.
- When this process is PID 1, systemd reads its own ``$container``; this module always
  reads ``/proc/1/environ``, which holds the same variable.
- cgroup v2 is recognised by ``/sys/fs/cgroup/cgroup.controllers`` instead of statfs(2).
- The device tree and ``/proc/sysinfo`` are read on every architecture; they only exist
  where they mean something (Arm, POWER, RISC-V; IBM Z).

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as root:
    ...     dmi = Path(root, "sys/class/dmi/id")
    ...     dmi.mkdir(parents=True)
    ...     _ = (dmi / "sys_vendor").write_text("innotek GmbH\n")
    ...     env = detect(root)
    >>> env
    Environment(vm='oracle', container=None)
    >>> env.summary
    'You are in an Oracle VirtualBox virtual machine, not in a container.'
"""

from __future__ import annotations

import errno
import os
import platform as host_platform
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vmconcepts._text import a_or_an
from vmconcepts.errors import InvalidValueError

__all__ = ["CONTAINER_NAMES", "VM_NAMES", "Environment", "detect", "in_webassembly"]

VM_NAMES: dict[str, str] = {
    "kvm": "a KVM virtual machine",
    "amazon": "an Amazon EC2 virtual machine",
    "qemu": "a QEMU virtual machine",
    "bochs": "a Bochs virtual machine",
    "xen": "a Xen virtual machine",
    "uml": "a User-Mode Linux kernel",
    "vmware": "a VMware virtual machine",
    "oracle": "an Oracle VirtualBox virtual machine",
    "microsoft": "a Microsoft Hyper-V virtual machine",
    "zvm": "an IBM z/VM virtual machine",
    "parallels": "a Parallels virtual machine",
    "bhyve": "a bhyve virtual machine",
    "qnx": "a QNX hypervisor virtual machine",
    "acrn": "an ACRN virtual machine",
    "powervm": "an IBM PowerVM partition",
    "apple": "an Apple Virtualization framework virtual machine",
    "sre": "an SRE hypervisor virtual machine",
    "google": "a Google Compute Engine virtual machine",
    "vm-other": "a virtual machine whose hypervisor has no name here",
}
"""Every VM identifier `detect` can report (systemd's), with the phrase the summary uses."""

CONTAINER_NAMES: dict[str, str] = {
    "openvz": "an OpenVZ container",
    "wsl": "WSL, the Windows Subsystem for Linux",
    "proot": "a PRoot environment",
    "lxc": "an LXC container",
    "lxc-libvirt": "an LXC container run by libvirt",
    "systemd-nspawn": "a systemd-nspawn container",
    "docker": "a Docker container",
    "podman": "a Podman container",
    "rkt": "an rkt container",
    "pouch": "a PouchContainer container",
    "container-other": "a container of a kind that has no name here",
}
"""Every container identifier `detect` can report (systemd's), with the summary's phrase."""

# What a container manager writes into $container, and systemd's name for it (virt.c).
_MANAGERS = frozenset(
    {"lxc", "lxc-libvirt", "systemd-nspawn", "docker", "podman", "rkt", "wsl", "proot", "pouch"}
)

# DMI files in systemd's order; product_name first, "to detect KVM over QEMU".
_DMI_FILES = ("product_name", "sys_vendor", "board_vendor", "bios_vendor", "product_version")
# Prefixes in systemd's order: the first one a value starts with decides.
_DMI_PREFIXES = (
    ("KVM", "kvm"),
    ("OpenStack", "kvm"),
    ("KubeVirt", "kvm"),
    ("Amazon EC2", "amazon"),
    ("QEMU", "qemu"),
    ("VMware", "vmware"),
    ("VMW", "vmware"),
    ("innotek GmbH", "oracle"),
    ("VirtualBox", "oracle"),
    ("Oracle Corporation", "oracle"),
    ("Xen", "xen"),
    ("Bochs", "bochs"),
    ("Parallels", "parallels"),
    ("BHYVE", "bhyve"),
    ("Hyper-V", "microsoft"),
    ("Apple Virtualization", "apple"),
    ("Google Compute Engine", "google"),
)
# Products that often run on KVM or pose as Hyper-V: DMI names them better than CPUID does.
_DMI_FINAL = frozenset({"oracle", "xen", "amazon", "parallels", "google"})

_CPUID_SIGNATURES = {
    "XenVMMXenVMM": "xen",
    "KVMKVMKVM": "kvm",
    "Linux KVM Hv": "kvm",
    "TCGTCGTCGTCG": "qemu",
    "VMwareVMware": "vmware",
    "Microsoft Hv": "microsoft",
    "bhyve bhyve": "bhyve",
    "QNXQVMBSQG": "qnx",
    "ACRNACRNACRN": "acrn",
    "SRESRESRESRE": "sre",
    "Apple VZ": "apple",
}

_XENFEAT_DOM0 = 11  # xen/include/public/features.h
_SMBIOS_VM_BIT = 1 << 4  # BIOS characteristics extension byte 2, bit 4: "this is a VM"
_READ_LIMIT = 64 * 1024  # the first processor's block of a large /proc/cpuinfo fits easily
_SHOWN = 60  # longest value quoted in the evidence

_Status = Literal["ok", "missing", "directory", "unreadable", "empty"]


def in_webassembly() -> bool:
    """Whether Python runs in Pyodide, the browser's WebAssembly sandbox.

    There the files `detect` reads belong to an in-memory file system, not to the machine, so
    `detect` says so instead of guessing. Tests replace this function to play at being Pyodide.

    Returns:
        True when ``sys.platform`` is ``"emscripten"``.

    Examples:
        >>> import sys
        >>> in_webassembly() == (sys.platform == "emscripten")
        True
    """
    return sys.platform == "emscripten"


@dataclass(frozen=True, repr=False)
class Environment:
    """What `detect` found: the virtual machine below, the container around, and why.

    Attributes:
        vm: systemd's identifier of the hypervisor (see `VM_NAMES`), or None for none found.
        container: systemd's identifier of the container (see `CONTAINER_NAMES`), or None.
        evidence: One plain sentence per file read, saying what it showed, in reading order.
        sandbox: ``"webassembly"`` when the machine could not be seen at all, else None.
        platform: ``sys.platform`` when this machine, not a fake one, was asked about and it
            is not Linux (the files read are Linux's, so finding none proves nothing), else None.
        architecture: The processor's architecture (``platform.machine()``) when this
            machine, not a fake one, was asked about and it is not x86, else None. Only x86
            has CPUID and the ``hypervisor`` flag, so elsewhere a VM whose firmware gives no
            DMI strings or device tree looks like bare metal (systemd issue 37204), and the
            summary says so. None too when Python cannot tell the architecture.

    Examples:
        >>> env = Environment(vm="kvm", container="docker")
        >>> env
        Environment(vm='kvm', container='docker')
        >>> env.summary
        'You are in a Docker container, inside a KVM virtual machine.'
        >>> Environment(vm=None, container=None).summary
        'No virtual machine or container found: as far as these files tell, this is bare metal.'
    """

    vm: str | None
    container: str | None
    evidence: tuple[str, ...] = ()
    sandbox: str | None = None
    platform: str | None = None
    architecture: str | None = None

    def __repr__(self) -> str:
        """Show the answers, with the sandbox, platform and architecture when set; not the evidence."""
        sandbox = f", sandbox={self.sandbox!r}" if self.sandbox else ""
        platform = f", platform={self.platform!r}" if self.platform else ""
        arch = f", architecture={self.architecture!r}" if self.architecture else ""
        return f"Environment(vm={self.vm!r}, container={self.container!r}{sandbox}{platform}{arch})"

    @property
    def summary(self) -> str:
        """One sentence for a person: where this program runs.

        Examples:
            >>> Environment(vm="kvm", container=None).summary
            'You are in a KVM virtual machine, not in a container.'
            >>> Environment(vm=None, container="lxc").summary
            'You are in an LXC container, with no virtual machine found below it.'
            >>> print(Environment(vm=None, container=None, platform="darwin").summary)
            Nothing to tell: the files read are Linux's, and this is not Linux (sys.platform is 'darwin'). Run it inside a Linux VM, WSL 2 or a container to see where that runs.
            >>> print(Environment(vm=None, container="docker", architecture="aarch64").summary)
            You are in a Docker container, with no virtual machine found below it. On an aarch64 processor that proves little: with no CPUID to ask, a VM whose firmware gives no DMI strings or device tree looks like bare metal.
        """
        if self.sandbox == "webassembly":
            return (
                "You are in the browser's WebAssembly sandbox (Pyodide), which hides the machine"
                " below it, so there is nothing here to look at."
            )
        vm = VM_NAMES.get(self.vm, f"a virtual machine ({self.vm})") if self.vm else None
        box = (
            CONTAINER_NAMES.get(self.container, f"a container ({self.container})")
            if self.container
            else None
        )
        if vm and box:
            return f"You are in {box}, inside {vm}."
        if vm:
            return f"You are in {vm}, not in a container."
        caveat = (
            f" On {a_or_an(self.architecture)} processor that proves little: with no CPUID to"
            " ask, a VM whose firmware gives no DMI strings or device tree looks like bare metal."
            if self.architecture
            else ""
        )
        if box:
            return f"You are in {box}, with no virtual machine found below it.{caveat}"
        if self.platform:
            return (
                "Nothing to tell: the files read are Linux's, and this is not Linux"
                f" (sys.platform is {self.platform!r}). Run it inside a Linux VM, WSL 2 or a"
                " container to see where that runs."
            )
        return (
            "No virtual machine or container found: as far as these files tell, this is bare"
            f" metal.{caveat}"
        )


def _show(text: str) -> str:
    """Quote a value for the evidence, cut short if long; escapes make garbage printable."""
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 3] + "..."
    return repr(text)


def _read_start(path: Path) -> bytes:
    """The first bytes of a file; never waits on a pipe, never reads a device without end."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            message = "a pipe or socket, not a file"
            raise OSError(errno.EINVAL, message)
        chunks: list[bytes] = []
        size = 0
        while size < _READ_LIMIT:
            chunk = os.read(fd, _READ_LIMIT - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class _Machine:
    """Reads the files of one machine below ``root`` and keeps the evidence, in order."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.evidence: list[str] = []
        self.looked_at = 0  # files opened or checked for, for the curious
        self._cache: dict[str, tuple[_Status, bytes]] = {}
        self._told_empty: set[str] = set()

    def note(self, text: str) -> None:
        self.evidence.append(text)

    def fetch(self, name: str) -> tuple[_Status, bytes]:
        """Read a file's first bytes once; note any failure; never raise."""
        if name in self._cache:
            return self._cache[name]
        self.looked_at += 1
        shown = "/" + name
        status: _Status = "ok"
        data = b""
        try:
            data = _read_start(Path(self.root, name))
        except (FileNotFoundError, NotADirectoryError):
            status = "missing"
            self.note(f"{shown}: not there.")
        except IsADirectoryError:
            status = "directory"
            self.note(f"{shown}: a directory where a file should be, so it tells nothing.")
        except (OSError, ValueError) as error:
            status = "unreadable"
            reason = getattr(error, "strerror", None) or type(error).__name__
            self.note(f"{shown}: could not be read ({reason}), so it tells nothing.")
        else:
            if not data.strip(b"\0 \t\r\n"):
                status = "empty"
        self._cache[name] = (status, data)
        return status, data

    def text(self, name: str, *, quiet_if_empty: bool = False) -> str | None:
        """A file's text, or None when it tells nothing (missing, unreadable or empty)."""
        status, data = self.fetch(name)
        if status == "empty":
            if quiet_if_empty:
                return ""
            if name not in self._told_empty:
                self._told_empty.add(name)
                self.note(f"/{name}: empty, so it tells nothing.")
            return None
        if status != "ok":
            return None
        return data.decode("utf-8", errors="replace")

    def line(self, name: str, *, quiet_if_empty: bool = False) -> str | None:
        """A file's first line without its end (NUL ends a line too, as in the device tree)."""
        text = self.text(name, quiet_if_empty=quiet_if_empty)
        if text is None:
            return None
        first = re.split(r"[\n\0]", text, maxsplit=1)[0]
        if not first and not quiet_if_empty:
            if "line:" + name not in self._told_empty:
                self._told_empty.add("line:" + name)
                self.note(f"/{name}: its first line is empty, so it tells nothing.")
            return None
        return first

    def exists(self, name: str) -> bool | None:
        """Whether a path is there (following links); None, with a note, if that is unknowable."""
        self.looked_at += 1
        try:
            Path(self.root, name).stat()
        except (FileNotFoundError, NotADirectoryError):
            return False
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            self.note(f"/{name}: could not be checked ({reason}), so it tells nothing.")
            return None
        return True

    def listing(self, name: str) -> list[str] | None:
        """The names in a directory, or None with a note."""
        self.looked_at += 1
        try:
            return sorted(entry.name for entry in Path(self.root, name).iterdir())
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            self.note(f"/{name}/: could not be listed ({reason}), so it tells nothing.")
            return None


# ---------------------------------------------------------------------------------------------
# The container layer (virt.c: detect_container)
# ---------------------------------------------------------------------------------------------


def _container_files(m: _Machine) -> str | None:
    """Podman's and Docker's marker files; Docker's last, since images can carry it."""
    for name, maker, found in (
        ("run/.containerenv", "Podman", "podman"),
        (".dockerenv", "Docker", "docker"),
    ):
        there = m.exists(name)
        if there:
            m.note(f"/{name}: there, the file {maker} puts in its containers: {found}.")
            return found
        if there is False:
            m.note(f"/{name}: not there.")
    return None


def _translate(m: _Machine, name: str, where: str) -> str:
    """Turn the name a container manager announced into systemd's identifier."""
    if name == "oci":
        m.note(f"{where}: 'oci' names a format, not a manager, so look at marker files.")
        found = _container_files(m)
        if found is None:
            m.note("No marker file either: some container, of a kind with no name here.")
        return found or "container-other"
    if name in _MANAGERS:
        m.note(f"{where}: the container manager says it is {name!r}: {name}.")
        return name
    m.note(f"{where}: {_show(name)} is no manager systemd knows: container-other.")
    return "container-other"


# Each early return below is one outcome of virt.c's checks, kept in its order.
def _traced_by_proot(m: _Machine) -> bool:  # noqa: PLR0911
    """Whether the process that traces this one is proot (which fakes a root without namespaces)."""
    status = m.text("proc/self/status")
    if status is None:
        return False
    match = re.search(r"^TracerPid:\s*(\S+)", status, re.MULTILINE)
    if match is None:
        m.note("/proc/self/status: no TracerPid line, so it tells nothing.")
        return False
    tracer = match.group(1)
    if tracer == "0":
        m.note("/proc/self/status: TracerPid is 0: nothing traces this process, so no proot.")
        return False
    if not tracer.isdecimal() or int(tracer) <= 0:
        m.note(f"/proc/self/status: TracerPid {_show(tracer)} is not a process number.")
        return False
    comm = m.line(f"proc/{int(tracer)}/comm")
    if comm is None:
        return False
    if comm.startswith("proot"):
        m.note(f"/proc/{int(tracer)}/comm: this process is traced by {_show(comm)}: proot.")
        return True
    m.note(f"/proc/{int(tracer)}/comm: traced by {_show(comm)}, which is not proot.")
    return False


def _in_cgroup_namespace(m: _Machine) -> bool:  # noqa: PLR0911
    """Whether the cgroup tree at /sys/fs/cgroup is not the machine's root (virt.c's last test)."""
    nested = (
        "a nested cgroup shown as the root: a cgroup namespace, so some container: container-other"
    )
    if not m.exists("proc/self/ns/cgroup"):
        m.note("/proc/self/ns/cgroup: not there: this kernel has no cgroup namespaces.")
        return False
    if m.exists("sys/fs/cgroup/cgroup.controllers"):  # only cgroup v2 has this file
        if not m.exists("sys/fs/cgroup/cgroup.events"):
            m.note("/sys/fs/cgroup/cgroup.events: not there, so this is the root cgroup.")
            return False
        if m.exists("sys/fs/cgroup/cgroup.type"):
            m.note(f"/sys/fs/cgroup/cgroup.type: there, so {nested}.")
            return True
        if not m.exists("sys/kernel/cgroup/features"):
            m.note(f"/sys/fs/cgroup/cgroup.events: there on an old kernel, so {nested}.")
            return True
        m.note("/sys/fs/cgroup/cgroup.type: not there on a recent kernel: the root cgroup.")
        return False
    if not m.exists("sys/fs/cgroup/systemd"):
        m.note("/sys/fs/cgroup: neither cgroup v2 nor systemd's v1 tree, so it tells nothing.")
        return False
    if not m.exists("sys/fs/cgroup/systemd/release_agent"):
        m.note(f"/sys/fs/cgroup/systemd/release_agent: not there, so {nested}.")
        return True
    m.note("/sys/fs/cgroup/systemd/release_agent: there, so this is the root cgroup.")
    return False


def _detect_container(m: _Machine) -> str | None:  # noqa: C901, PLR0911, PLR0912
    """The container layer, checked in virt.c's order; the first finding wins."""
    vz = m.exists("proc/vz")
    if vz:
        bc = m.exists("proc/bc")
        if bc is False:
            m.note("/proc/vz: there, and /proc/bc is not: inside an OpenVZ container: openvz.")
            return "openvz"
        if bc:
            m.note("/proc/vz and /proc/bc: both there: the OpenVZ host, not a container.")
    elif vz is False:
        m.note("/proc/vz: not there: not OpenVZ.")

    release = m.line("proc/sys/kernel/osrelease")
    if release is not None:
        if "Microsoft" in release or "WSL" in release:
            m.note(f"/proc/sys/kernel/osrelease: {_show(release)} is Microsoft's kernel: wsl.")
            return "wsl"
        m.note(f"/proc/sys/kernel/osrelease: {_show(release)}: not WSL's kernel.")

    if _traced_by_proot(m):
        return "proot"

    for name in ("run/host/container-manager", "run/systemd/container"):
        manager = m.line(name)
        if manager:
            return _translate(m, manager, "/" + name)

    status, data = m.fetch("proc/1/environ")
    if status == "ok":
        values = [
            entry[len(b"container=") :]
            for entry in data.split(b"\0")
            if entry.startswith(b"container=")
        ]
        if values and values[0]:
            value = values[0].decode("utf-8", errors="replace")
            return _translate(m, value, "/proc/1/environ: container=")
        m.note("/proc/1/environ: PID 1 has no container= variable.")
    elif status == "empty":
        m.note("/proc/1/environ: empty, so it tells nothing.")

    found = _container_files(m)
    if found:
        return found
    if _in_cgroup_namespace(m):
        return "container-other"
    return None


# ---------------------------------------------------------------------------------------------
# The virtual machine layer (virt.c: detect_vm)
# ---------------------------------------------------------------------------------------------


def _smbios_vm_bit(m: _Machine) -> bool | None:
    """The SMBIOS "virtual machine" bit: True, False, or None when it cannot be read (not root)."""
    name = "sys/firmware/dmi/entries/0-0/raw"
    status, data = m.fetch(name)
    if status == "empty":
        m.note(f"/{name}: empty, so it tells nothing.")
    if status != "ok":
        return None
    length = 20  # byte 1 holds the table's length; extension byte 2 is byte 19
    if len(data) < length or data[1] < length:
        m.note(f"/{name}: too short to hold BIOS extension byte 2, so it tells nothing.")
        return None
    if data[19] & _SMBIOS_VM_BIT:
        m.note(f"/{name}: the firmware's 'this is a virtual machine' bit is set.")
        return True
    m.note(f"/{name}: the firmware's 'this is a virtual machine' bit is clear.")
    return False


def _amazon(m: _Machine) -> str | None:
    """Amazon EC2 says so in DMI on virtual and on bare-metal (*.metal) instances alike."""
    bit = _smbios_vm_bit(m)
    if bit is not None:
        if bit:
            m.note("So this EC2 instance is a virtual machine: amazon.")
            return "amazon"
        m.note("So this EC2 instance is bare metal: no hypervisor.")
        return None
    product = m.line("sys/class/dmi/id/product_name")
    if product is None:
        m.note("No product name to look for '.metal' in; most EC2 instances are VMs: amazon.")
        return "amazon"
    _, metal, after = product.partition(".metal")
    if metal and after[:1] in {"", "-"}:
        m.note(f"/sys/class/dmi/id/product_name: {_show(product)} is a *.metal type: bare metal.")
        return None
    m.note(f"/sys/class/dmi/id/product_name: {_show(product)} is no *.metal type: amazon.")
    return "amazon"


def _dmi(m: _Machine) -> str | None:
    """The DMI strings, first prefix match wins; then Amazon's and the firmware's own word."""
    found = None
    for field in _DMI_FILES:
        name = f"sys/class/dmi/id/{field}"
        value = m.line(name)
        if value is None:
            continue
        for prefix, ident in _DMI_PREFIXES:
            if value.startswith(prefix):
                m.note(f"/{name}: {_show(value)} starts with {prefix!r}: {ident}.")
                found = ident
                break
        else:
            m.note(f"/{name}: {_show(value)} names no hypervisor.")
        if found:
            break
    if found == "amazon":
        return _amazon(m)
    if found is None and _smbios_vm_bit(m):
        m.note("DMI names no hypervisor but the firmware says VM: vm-other, unless more is found.")
        return "vm-other"
    return found


def _uml(m: _Machine) -> bool:
    """User-Mode Linux names itself as the CPU vendor."""
    cpuinfo = m.text("proc/cpuinfo")
    if cpuinfo is None:
        return False
    for row in cpuinfo.splitlines():
        if row.startswith("vendor_id\t: "):
            vendor = row.removeprefix("vendor_id\t: ")
            if vendor.startswith("User Mode Linux"):
                m.note("/proc/cpuinfo: the CPU vendor is 'User Mode Linux': uml.")
                return True
            m.note(f"/proc/cpuinfo: the CPU vendor is {_show(vendor)}: not User-Mode Linux.")
            return False
    m.note("/proc/cpuinfo: no vendor_id line (not an x86 CPU), so not User-Mode Linux.")
    return False


def _xen_dom0(m: _Machine) -> bool:
    """Whether this Xen domain is dom0, the one that runs Xen for the others: not a VM."""
    features = m.line("sys/hypervisor/properties/features")
    if features is not None:
        match = re.match(r"\s*(?:0[xX])?([0-9a-fA-F]+)", features)
        if match:
            dom0 = bool(int(match.group(1), 16) & (1 << _XENFEAT_DOM0))
            state = "set: this is dom0" if dom0 else "clear: this is a guest (domU)"
            m.note(f"/sys/hypervisor/properties/features: Xen's dom0 feature bit is {state}.")
            return dom0
        m.note(f"/sys/hypervisor/properties/features: {_show(features)} is not a hex number.")
    capabilities = m.line("proc/xen/capabilities", quiet_if_empty=True)
    if capabilities is None:
        m.note("No word from Xen on dom0, so count this domain as a guest (domU).")
        return False
    if "control_d" in (word.strip() for word in capabilities.split(",")):
        m.note("/proc/xen/capabilities: 'control_d': this is dom0, which runs Xen, not a VM.")
        return True
    m.note(f"/proc/xen/capabilities: {_show(capabilities)}, no 'control_d': a guest (domU).")
    return False


def _from_cpuid(m: _Machine, signature: str) -> str | None:
    """Map the CPUID leaf 0x40000000 signature the caller gave to systemd's identifier."""
    cleaned = signature.rstrip("\0 ")
    where = "CPUID leaf 0x40000000 (given by the caller)"
    if not cleaned:
        m.note(f"{where}: empty: the CPU reports no hypervisor.")
        return None
    found = _CPUID_SIGNATURES.get(cleaned)
    if found is None:
        m.note(
            f"{where}: {_show(cleaned)} is unknown: some hypervisor, vm-other unless more is found."
        )
        return "vm-other"
    if found == "microsoft":
        m.note(
            f"{where}: 'Microsoft Hv', which other hypervisors show too: microsoft if nothing else."
        )
    else:
        m.note(f"{where}: {cleaned!r}: {found}.")
    return found


def _from_clocks(m: _Machine, *, dom0: bool) -> str | None:
    """Without CPUID: the clock sources the kernel found, then the ``hypervisor`` CPU flag."""
    name = "sys/devices/system/clocksource/clocksource0/available_clocksource"
    clocks = m.text(name)
    sources = clocks.split() if clocks is not None else []
    if "kvm-clock" in sources:
        m.note(f"/{name}: 'kvm-clock', KVM's paravirtual clock: kvm.")
        return "kvm"
    if "xen" in sources and not dom0:
        m.note(f"/{name}: 'xen', Xen's paravirtual clock: xen.")
        return "xen"
    if "xen" in sources:
        m.note(f"/{name}: 'xen' is there because dom0 runs on Xen, so it does not count.")
    hyperv = [source for source in sources if source.startswith("hyperv_clocksource")]
    if hyperv:
        m.note(f"/{name}: {hyperv[0]!r}, Hyper-V's clock: microsoft if nothing else is found.")
        return "microsoft"
    if clocks is not None:
        m.note(f"/{name}: {_show(clocks.strip())}: no hypervisor's clock.")
    cpuinfo = m.text("proc/cpuinfo")
    flags = re.search(r"^flags\s*:(.*)$", cpuinfo or "", re.MULTILINE)
    if flags and "hypervisor" in flags.group(1).split():
        if dom0:
            m.note("/proc/cpuinfo: the 'hypervisor' flag is set, as Xen sets it for dom0 too.")
            return None
        m.note("/proc/cpuinfo: the 'hypervisor' flag is set: some hypervisor, but not which one.")
        return "vm-other"
    if cpuinfo is not None:
        m.note("/proc/cpuinfo: no 'hypervisor' flag.")
    return None


def _sys_hypervisor(m: _Machine) -> str | None:
    """The kernel's own word, for Xen."""
    kind = m.line("sys/hypervisor/type")
    if not kind:
        return None
    if kind == "xen":
        m.note("/sys/hypervisor/type: 'xen': xen.")
        return "xen"
    m.note(f"/sys/hypervisor/type: {_show(kind)}: some hypervisor, vm-other unless more is found.")
    return "vm-other"


def _device_tree(m: _Machine) -> str | None:  # noqa: PLR0911
    """The firmware's device tree, on Arm, POWER and RISC-V machines."""
    if not m.exists("proc/device-tree"):
        m.note("/proc/device-tree: not there (no device tree, as on x86 PCs).")
        return None
    name = "proc/device-tree/hypervisor/compatible"
    status, _ = m.fetch(name)
    if status == "missing":
        if (
            m.exists("proc/device-tree/ibm,partition-name")
            and m.exists("proc/device-tree/hmc-managed?")
            and not m.exists("proc/device-tree/chosen/qemu,graphic-width")
        ):
            m.note("/proc/device-tree: an HMC-managed partition: powervm.")
            return "powervm"
        entries = m.listing("proc/device-tree") or []
        fw_cfg = [entry for entry in entries if "fw-cfg" in entry]
        if fw_cfg:
            m.note(f"/proc/device-tree/{fw_cfg[0]}: QEMU's firmware configuration device: qemu.")
            return "qemu"
        compatible = m.line("proc/device-tree/compatible")
        if compatible == "qemu,pseries":
            m.note("/proc/device-tree/compatible: 'qemu,pseries': qemu.")
            return "qemu"
        m.note("/proc/device-tree: no hypervisor node and no QEMU device.")
        return None
    compatible = m.line(name)
    if not compatible:
        return None
    if compatible == "linux,kvm":
        found = "kvm"
    elif "xen" in compatible:
        found = "xen"
    elif "vmware" in compatible:
        found = "vmware"
    else:
        found = "vm-other"
    m.note(f"/{name}: {_show(compatible)}: {found}.")
    return found


def _zvm(m: _Machine) -> str | None:
    """IBM Z: /proc/sysinfo names the control program of a guest."""
    sysinfo = m.text("proc/sysinfo")
    if sysinfo is None:
        return None
    match = re.search(r"^VM00 Control Program\s*:\s*(\S+)", sysinfo, re.MULTILINE)
    if match is None:
        m.note("/proc/sysinfo: no control program below this system: not a guest.")
        return None
    found = "zvm" if match.group(1) == "z/VM" else "kvm"
    m.note(f"/proc/sysinfo: the control program is {_show(match.group(1))}: {found}.")
    return found


def _detect_vm(m: _Machine, cpuid_signature: str | None) -> str | None:  # noqa: C901, PLR0911, PLR0912
    """The VM layer, in virt.c's order, with clocks and flags standing in for CPUID if need be."""
    dmi = _dmi(m)
    if dmi in _DMI_FINAL:
        m.note(f"DMI's {dmi} is final: it wins over what CPUID would say.")
        return dmi
    if _uml(m):
        return "uml"

    dom0 = False
    if m.exists("proc/xen"):
        dom0 = _xen_dom0(m)
        if not dom0:
            m.note("/proc/xen: there, and this is a Xen guest: xen.")
            return "xen"
    else:
        m.note("/proc/xen: not there: not a Xen domain.")
    if dmi and dmi != "vm-other":
        m.note(
            f"DMI's {dmi} is not final: CPUID's answer (or, without it, the clocks') comes first."
        )

    cpu = _from_clocks(m, dom0=dom0) if cpuid_signature is None else _from_cpuid(m, cpuid_signature)
    hyperv = cpu == "microsoft"
    other = cpu == "vm-other"
    if cpu and not hyperv and not other:
        return cpu
    if dom0:
        if cpu:
            m.note(f"dom0 runs on something else below it: {cpu}.")
        return cpu

    if dmi == "vm-other":
        other = True
    elif dmi:
        return dmi

    for check in (_sys_hypervisor, _device_tree, _zvm):
        found = check(m)
        if found == "vm-other":
            other = True
        elif found:
            return found

    if hyperv:
        m.note("Nothing more specific was found, so the Hyper-V sign stands: microsoft.")
        return "microsoft"
    if other:
        m.note("Nothing more specific was found: a hypervisor with no name here: vm-other.")
        return "vm-other"
    return None


def detect(root: str | os.PathLike[str] = "/", cpuid_signature: str | None = None) -> Environment:
    r"""Find the virtual machine and the container this program runs in, with the evidence.

    The checks and their order are systemd-detect-virt's (systemd ``src/basic/virt.c``):
    the container layer first (OpenVZ, WSL, proot, the name a container manager announces,
    Podman's and Docker's marker files, a cgroup namespace), then the VM layer (DMI strings,
    User-Mode Linux, Xen, CPUID, ``/sys/hypervisor``, the device tree, IBM Z).
    A file that is missing, unreadable, empty, a directory or full of garbage tells nothing;
    `detect` never raises because of what it finds on a machine.

    Args:
        root: The directory that stands for ``/``; every file is read below it.
        cpuid_signature: The 12-character signature of CPUID leaf 0x40000000 if the caller
            knows it (``"KVMKVMKVM"``, ``"Microsoft Hv"``, ...; ``""`` for "the CPU reports no
            hypervisor"). None means unknown: the kernel's clock sources and the
            ``hypervisor`` flag in ``/proc/cpuinfo`` stand in for it.

    Returns:
        The `Environment`: ``vm`` and ``container`` in systemd's identifiers, and the evidence.

    Raises:
        InvalidValueError: ``root`` is not a path or ``cpuid_signature`` is not a string.

    Examples:
        A KVM guest that runs Docker; the evidence explains each step:

        >>> import tempfile
        >>> from pathlib import Path
        >>> files = {
        ...     ".dockerenv": "",
        ...     "sys/class/dmi/id/sys_vendor": "QEMU\n",
        ...     "sys/devices/system/clocksource/clocksource0/available_clocksource": "kvm-clock tsc\n",
        ... }
        >>> with tempfile.TemporaryDirectory() as root:
        ...     for name, text in files.items():
        ...         Path(root, name).parent.mkdir(parents=True, exist_ok=True)
        ...         _ = Path(root, name).write_text(text)
        ...     env = detect(root)
        >>> env
        Environment(vm='kvm', container='docker')
        >>> for line in env.evidence:
        ...     if "not there" not in line:
        ...         print(line)
        /.dockerenv: there, the file Docker puts in its containers: docker.
        /sys/class/dmi/id/sys_vendor: 'QEMU' starts with 'QEMU': qemu.
        DMI's qemu is not final: CPUID's answer (or, without it, the clocks') comes first.
        /sys/devices/system/clocksource/clocksource0/available_clocksource: 'kvm-clock', KVM's paravirtual clock: kvm.

        An empty directory is a machine with nothing to tell:

        >>> with tempfile.TemporaryDirectory() as root:
        ...     detect(root)
        Environment(vm=None, container=None)
    """
    if not isinstance(root, (str, os.PathLike)):
        message = f"root must be a directory path such as '/', not {type(root).__name__} {root!r}"
        raise InvalidValueError(message)
    if cpuid_signature is not None and not isinstance(cpuid_signature, str):
        message = (
            "cpuid_signature must be the signature as text, such as 'KVMKVMKVM', or None,"
            f" not {type(cpuid_signature).__name__} {cpuid_signature!r}"
        )
        raise InvalidValueError(message)
    try:
        real_root = os.path.realpath(root) == os.path.realpath(os.sep)
    except (OSError, ValueError):
        real_root = False
    if real_root and in_webassembly():
        note = (
            "sys.platform is 'emscripten': this is Pyodide, Python compiled to WebAssembly and"
            " run in the browser's sandbox. Its files are in memory and say nothing about the"
            " machine below, so nothing is guessed."
        )
        return Environment(vm=None, container=None, evidence=(note,), sandbox="webassembly")

    m = _Machine(Path(root))
    container = _detect_container(m)
    vm = _detect_vm(m, cpuid_signature)
    platform = None
    if real_root and not sys.platform.startswith("linux"):
        platform = sys.platform
        m.note(
            f"sys.platform is {sys.platform!r}, not Linux: these files are Linux's,"
            " so finding none of them proves nothing here."
        )
    architecture = None
    processor = host_platform.machine()
    if real_root and platform is None and processor and not _is_x86(processor):
        architecture = processor
        m.note(
            f"platform.machine() is {architecture!r}, not x86: there is no CPUID or hypervisor"
            " flag to ask, so only DMI strings or the device tree can name a VM here."
        )
    return Environment(
        vm=vm,
        container=container,
        evidence=tuple(m.evidence),
        platform=platform,
        architecture=architecture,
    )


def _is_x86(machine: str) -> bool:
    """Whether ``platform.machine()`` names an x86 processor (32 or 64 bit)."""
    return machine.lower() in {"x86_64", "amd64", "i386", "i486", "i586", "i686", "x86"}
