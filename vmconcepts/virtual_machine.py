"""A virtual machine: a guest OS on hardware that the hypervisor makes up from the host's.

A VM is created by a `Host` (a machine with a hypervisor) and then moves through a short
life: created, running, paused, stopped, deleted. With hardware support (Intel VT-x,
AMD-V, Arm's virtualization extensions) the guest's own code runs directly on the real
processor; the hypervisor steps in when the guest touches what it must not reach, and makes
up the devices. Each VM is isolated: in the model its guest sees its own disk and memory,
never the host's files or another guest's memory, unless the host shares a folder with it.
Real walls are strong, not perfect: flaws in emulated devices (VENOM, CVE-2015-3456) and in
processors (L1TF, CVE-2018-3646) have let guests reach past them.

Examples:
    Windows 10 as a guest on an Intel Mac, in VirtualBox (a type 2 hypervisor, an app on macOS).
    Windows 10 Home and Pro are past their end of support, 14 October 2025 (Microsoft
    Lifecycle); the example keeps it because it is built for x86_64 only:

    >>> from vmconcepts import Hypervisor, Machine, Resources
    >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="x86_64")
    >>> host = Hypervisor.named("VirtualBox").install_on(mac)
    >>> win10 = host.create_vm("win10", "Windows 10", Resources(2, "4 GiB", "64 GiB"))
    >>> win10.start()
    >>> win10
    <VirtualMachine 'win10': Windows 10 on Oracle VirtualBox, running>
    >>> host.files["/Users/ada/notes.txt"] = "buy milk"
    >>> win10.read_host_file("/Users/ada/notes.txt")
    Traceback (most recent call last):
    ...
    vmconcepts.errors.IsolationError: VM 'win10' cannot read the host's file '/Users/ada/notes.txt': in this model a guest sees only its own virtual disk until a folder is shared with it. To let it in, share a folder: vm.share_folder('/Users/ada', 'read-only')
    >>> win10.share_folder("/Users/ada", "read-only")
    >>> win10.read_host_file("/Users/ada/notes.txt")
    'buy milk'
"""

from __future__ import annotations

import itertools
import posixpath
from typing import TYPE_CHECKING, Literal

from vmconcepts.errors import (
    InvalidStateError,
    InvalidValueError,
    IsolationError,
    NoSuchFileError,
)
from vmconcepts.resources import Size, as_size

if TYPE_CHECKING:
    from collections.abc import Callable

    from vmconcepts.architecture import Architecture
    from vmconcepts.host import Host
    from vmconcepts.operating_system import OperatingSystem
    from vmconcepts.resources import Resources

__all__ = ["VirtualMachine"]

#: The life of a VM, in one table: (state, action) -> the state the action leads to.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("created", "start"): "running",
    ("created", "delete"): "deleted",
    ("running", "pause"): "paused",
    ("running", "stop"): "stopped",
    ("paused", "resume"): "running",
    ("paused", "stop"): "stopped",
    ("stopped", "start"): "running",
    ("stopped", "delete"): "deleted",
}

ShareMode = Literal["read-only", "read-write"]

# One clock for every VM: which guest was busy most recently, so a host under memory
# pressure can take memory from the quietest first.
_ACTIVITY = itertools.count()


class VirtualMachine:
    """A guest OS with its own virtual CPUs, memory and disk, run by a host's hypervisor.

    Do not build one directly: call `Host.create_vm`, which checks the host's resources.
    The guest can use its own disk (`read_file`, `write_file`) and memory (`write_memory`,
    `read_memory`) while it runs; reaching beyond them raises `IsolationError`. How much
    memory and disk the guest actually uses is set with `use_memory` and `use_disk`: a
    guest starts using all its memory (the worst case), and a thin disk starts empty.

    Examples:
        >>> from vmconcepts import Hypervisor, Machine, Resources
        >>> server = Machine("rack-1", "server", Resources(16, "64 GiB", "2 TiB"))
        >>> host = Hypervisor.named("ESXi").install_on(server)
        >>> web = host.create_vm("web", "Ubuntu 24.04", Resources(2, "4 GiB", "32 GiB"))
        >>> web.state, web.allowed_actions
        ('created', ('start', 'delete'))
        >>> web.pause()
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidStateError: cannot pause VM 'web': it is created; from created you can: start, delete
    """

    def __init__(  # noqa: PLR0913 - the host hands over its narrow interface here
        self,
        name: str,
        guest_os: OperatingSystem,
        resources: Resources,
        host: Host,
        *,
        architecture: Architecture,
        emulated: bool,
        thick: bool,
        admit: Callable[[VirtualMachine], None],
        forget: Callable[[VirtualMachine], None],
        grow_disk: Callable[[VirtualMachine, Size], None],
    ) -> None:
        """Store the VM's parts; `Host.create_vm` has already checked them.

        The host passes three callables rather than itself for the VM to call: ``admit``
        refuses a start its policy forbids, ``forget`` drops a deleted VM, and
        ``grow_disk`` refuses a thin disk that would outgrow the host's disk.
        """
        self.name = name
        self.guest_os = guest_os.installed()  # a guest boots its own kernel, never the host's
        self.resources = resources
        self.host = host
        self.architecture: Architecture = architecture
        self.emulated = emulated
        self.thick = thick
        self.state = "created"
        self.shared_folders: dict[str, ShareMode] = {}
        self.memory_used = Size(0)
        self.last_active = next(_ACTIVITY)
        self._thin_used = Size(0)
        self._admit = admit
        self._forget = forget
        self._grow_disk = grow_disk
        self._disk: dict[str, str] = {}
        self._memory: dict[str, str] = {}

    def __repr__(self) -> str:
        """Name the VM, its guest OS, its hypervisor and its state (and if it is emulated)."""
        emulated = f" (emulated {self.architecture})" if self.emulated else ""
        return (
            f"<VirtualMachine {self.name!r}: {self.guest_os}{emulated} on"
            f" {self.host.hypervisor}, {self.state}>"
        )

    def __str__(self) -> str:
        """The VM as the messages name it."""
        return f"VM {self.name!r}"

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def allowed_actions(self) -> tuple[str, ...]:
        """The lifecycle actions possible from the current state.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> host = Hypervisor.named("Xen").install_on(Machine("s", "server", Resources(4, "8 GiB")))
            >>> vm = host.create_vm("a", "Debian 12", Resources(1, "1 GiB"))
            >>> vm.start()
            >>> vm.allowed_actions
            ('pause', 'stop')
        """
        return tuple(action for (state, action) in TRANSITIONS if state == self.state)

    def _move(self, action: str) -> None:
        """Check that ``action`` is possible now; the caller then changes the state."""
        if (self.state, action) not in TRANSITIONS:
            raise InvalidStateError(str(self), self.state, action, self.allowed_actions)

    def start(self) -> None:
        """Start the VM (from created or stopped); the host must have its memory and vCPUs free.

        Raises:
            InvalidStateError: The VM is running, paused or deleted.
            NotEnoughResourcesError: The host has too little free memory or too few vCPUs.
        """
        self._move("start")
        self._admit(self)
        self.state = TRANSITIONS[self.state, "start"]
        self.memory_used = self.resources.memory
        self.last_active = next(_ACTIVITY)

    def pause(self) -> None:
        """Freeze a running VM; it keeps its memory, so the host cannot reuse it."""
        self._move("pause")
        self.state = TRANSITIONS[self.state, "pause"]

    def resume(self) -> None:
        """Let a paused VM run again, where it left off."""
        self._move("resume")
        self.state = TRANSITIONS[self.state, "resume"]
        self.last_active = next(_ACTIVITY)

    def stop(self) -> None:
        """Power the VM off: its memory is lost and returned to the host; its disk stays."""
        self._move("stop")
        self._memory.clear()
        self.memory_used = Size(0)
        self.state = TRANSITIONS[self.state, "stop"]

    def delete(self) -> None:
        """Delete a created or stopped VM and its disk; the host gets the disk space back."""
        self._move("delete")
        self._disk.clear()
        self._thin_used = Size(0)
        self.state = TRANSITIONS[self.state, "delete"]
        self._forget(self)

    def _require_running(self, doing: str) -> None:
        if self.state != "running":
            raise InvalidStateError(str(self), self.state, doing, self.allowed_actions)

    # -- how much memory and disk the guest uses -----------------------------------------

    def use_memory(self, size: Size | str) -> None:
        """Say how much of its memory the guest uses now; this makes it the busiest guest.

        A running guest starts using all its memory, the worst case; a real one uses what
        its programs and page cache need. The host's RAM is taken only for what is used.

        Raises:
            InvalidStateError: The VM is not running.
            InvalidValueError: More than the VM was given.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> host = Hypervisor.named("Xen").install_on(Machine("s", "server", Resources(4, "8 GiB")))
            >>> vm = host.create_vm("a", "Debian 12", Resources(1, "2 GiB"))
            >>> vm.start()
            >>> vm.use_memory("3 GiB")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidValueError: VM 'a' was given 2 GiB of memory; its guest cannot use 3 GiB
        """
        self._require_running("use memory in")
        size = as_size(size)
        if size > self.resources.memory:
            msg = f"{self} was given {self.resources.memory} of memory; its guest cannot use {size}"
            raise InvalidValueError(msg)
        self.memory_used = size
        self.last_active = next(_ACTIVITY)

    @property
    def disk_used(self) -> Size:
        """The host disk this VM takes: all of a thick disk, or what the guest wrote to a thin one.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> host = Hypervisor.named("Xen").install_on(Machine("s", "server", Resources(4, "8 GiB", "1 TiB")))
            >>> thin = host.create_vm("thin", "Debian 12", Resources(1, "1 GiB", "100 GiB"))
            >>> thick = host.create_vm("thick", "Debian 12", Resources(1, "1 GiB", "100 GiB"), disk="thick")
            >>> thin.disk_used, thick.disk_used
            (Size('0 B'), Size('100 GiB'))
        """
        return self.resources.disk if self.thick else self._thin_used

    def use_disk(self, size: Size | str) -> None:
        """Say how much data the guest has on its disk now; a thin disk grows to hold it.

        Raises:
            InvalidStateError: The VM is not running.
            InvalidValueError: More than the virtual disk holds.
            NotEnoughResourcesError: A thin disk would outgrow what the host's disk has free.
        """
        self._require_running("write to the disk of")
        size = as_size(size)
        if size > self.resources.disk:
            msg = f"{self} has a {self.resources.disk} disk; its guest cannot store {size}"
            raise InvalidValueError(msg)
        if not self.thick:
            self._grow_disk(self, size)
            self._thin_used = size

    # -- the guest's own disk and memory -------------------------------------------------

    def write_file(self, path: str, text: str) -> None:
        """Write a file on the VM's own virtual disk."""
        self._require_running("write files in")
        self._disk[path] = text

    def read_file(self, path: str) -> str:
        """Read a file from the VM's own virtual disk.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> host = Hypervisor.named("Xen").install_on(Machine("s", "server", Resources(4, "8 GiB", "1 TiB")))
            >>> vm = host.create_vm("a", "Windows 11", Resources(2, "4 GiB", "64 GiB"))
            >>> vm.start()
            >>> vm.write_file("C:/todo.txt", "patch")
            >>> vm.read_file("C:/todo.txt")
            'patch'
            >>> vm.read_file("C:/other.txt")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.NoSuchFileError: VM 'a' has no file 'C:/other.txt' on its disk
        """
        self._require_running("read files in")
        if path not in self._disk:
            msg = f"{self} has no file {path!r} on its disk"
            raise NoSuchFileError(msg)
        return self._disk[path]

    def write_memory(self, key: str, value: str, *, of: VirtualMachine | None = None) -> None:
        """Store a value in the guest's memory; writing into another VM's memory is refused."""
        self._require_running("write memory in")
        if of is not None and of is not self:
            raise IsolationError(self._memory_refusal("write to", of))
        self._memory[key] = value

    def read_memory(self, key: str, *, of: VirtualMachine | None = None) -> str:
        """Read a value from the guest's memory; reading another VM's memory is refused.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> host = Hypervisor.named("Xen").install_on(Machine("s", "server", Resources(4, "8 GiB")))
            >>> alice = host.create_vm("alice", "Debian 12", Resources(1, "1 GiB"))
            >>> mallory = host.create_vm("mallory", "Debian 12", Resources(1, "1 GiB"))
            >>> alice.start(); mallory.start()
            >>> alice.write_memory("password", "hunter2")
            >>> mallory.read_memory("password", of=alice)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IsolationError: VM 'mallory' cannot read from the memory of VM 'alice': the hypervisor gives each VM memory of its own, and in this model nothing shares it
        """
        self._require_running("read memory in")
        if of is not None and of is not self:
            raise IsolationError(self._memory_refusal("read from", of))
        if key not in self._memory:
            msg = f"{self} holds nothing called {key!r} in memory"
            raise InvalidValueError(msg)
        return self._memory[key]

    def _memory_refusal(self, doing: str, other: VirtualMachine) -> str:
        return (
            f"{self} cannot {doing} the memory of {other}: the hypervisor gives each VM"
            " memory of its own, and in this model nothing shares it"
        )

    # -- the host's files, through shared folders ----------------------------------------

    def share_folder(self, host_path: str, mode: ShareMode = "read-only") -> None:
        """Let the guest reach a folder of the host's files, read-only or read-write.

        A real guest would see the folder at a mount point of its own; here it uses the
        host's paths, to keep examples short. Read-only is this library's default, not a
        product's: each product has its own defaults, and a guest may also reach the host
        over its virtual network (VirtualBox's NAT, for one, lets it reach the host's
        services at 10.0.2.2; VirtualBox manual, "Network Address Translation").

        Raises:
            InvalidValueError: The path is not absolute, or the mode is unknown.
            InvalidStateError: The VM is deleted.
        """
        if self.state == "deleted":
            raise InvalidStateError(str(self), self.state, "share a folder with", ())
        if mode not in ("read-only", "read-write"):
            msg = f"a folder is shared 'read-only' or 'read-write', not {mode!r}"
            raise InvalidValueError(msg)
        self.shared_folders[_absolute(host_path)] = mode

    def _share_for(self, path: str) -> tuple[str, ShareMode] | None:
        """The shared folder that holds ``path`` (the innermost one) and its mode, if any."""
        inside = [
            f for f in self.shared_folders if path == f or path.startswith(f.rstrip("/") + "/")
        ]
        if not inside:
            return None
        folder = max(inside, key=len)
        return folder, self.shared_folders[folder]

    def read_host_file(self, host_path: str) -> str:
        """Read a host file, which works only inside a shared folder.

        Raises:
            IsolationError: No shared folder holds the file.
            NoSuchFileError: A shared folder holds the path, but the host has no such file.
        """
        self._require_running("read files in")
        path = _absolute(host_path)
        if self._share_for(path) is None:
            msg = (
                f"{self} cannot read the host's file {path!r}: in this model a guest sees only"
                " its own virtual disk until a folder is shared with it. To let it in, share a"
                " folder:"
                f" vm.share_folder({posixpath.dirname(path)!r}, 'read-only')"
            )
            raise IsolationError(msg)
        if path not in self.host.files:
            msg = f"the host has no file {path!r} in the folder shared with {self}"
            raise NoSuchFileError(msg)
        return self.host.files[path]

    def write_host_file(self, host_path: str, text: str) -> None:
        """Write a host file, which works only inside a folder shared read-write.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> mac = Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64")
            >>> host = Hypervisor.named("Parallels").install_on(mac)
            >>> vm = host.create_vm("win", "Windows 11", Resources(2, "4 GiB", "64 GiB"))
            >>> vm.start()
            >>> vm.share_folder("/Users/ada/Public")
            >>> vm.write_host_file("/Users/ada/Public/hello.txt", "hi")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IsolationError: VM 'win' cannot write the host's file '/Users/ada/Public/hello.txt': its folder is shared read-only. Share it with vm.share_folder('/Users/ada/Public', 'read-write') to allow writing
        """
        self._require_running("write files in")
        path = _absolute(host_path)
        share = self._share_for(path)
        if share is None or share[1] != "read-write":
            folder, why = posixpath.dirname(path), "no folder holding it is shared"
            if share is not None:
                folder, why = share[0], "its folder is shared read-only"
            msg = (
                f"{self} cannot write the host's file {path!r}: {why}. Share it with"
                f" vm.share_folder({folder!r}, 'read-write') to allow writing"
            )
            raise IsolationError(msg)
        self.host.files[path] = text


def _absolute(path: str) -> str:
    """Normalise an absolute host path, so that '..' cannot climb out of a shared folder."""
    if not isinstance(path, str) or not path.startswith("/"):
        msg = f"host paths are absolute, like '/Users/ada/notes.txt', not {path!r}"
        raise InvalidValueError(msg)
    return posixpath.normpath(path)
