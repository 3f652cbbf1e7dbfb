"""Every error the library raises, under one base class: `VMConceptsError`.

A message says what happened, with the names and numbers involved, and what would work
instead. Catch `VMConceptsError` to catch them all.

Examples:
    >>> from vmconcepts.errors import VMConceptsError, InvalidValueError
    >>> issubclass(InvalidValueError, VMConceptsError)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "IncompatibleArchitectureError",
    "IncompatibleKernelError",
    "InvalidStateError",
    "InvalidValueError",
    "IsolationError",
    "NoSuchFileError",
    "NotEnoughResourcesError",
    "UnknownProductError",
    "VMConceptsError",
    "WrongLayerError",
]


class VMConceptsError(Exception):
    """The base class of every error raised by `vmconcepts`.

    Examples:
        >>> try:
        ...     raise NotEnoughResourcesError("the host has no memory left")
        ... except VMConceptsError as error:
        ...     print(f"refused: {error}")
        refused: the host has no memory left
    """


class InvalidValueError(VMConceptsError, ValueError):
    """A value has the wrong type, unit or range: a negative size, an unknown unit, ...

    It is also a `ValueError`, so code that expects one still works.

    Examples:
        >>> raise InvalidValueError("a VM needs at least 1 vCPU, not 0")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: a VM needs at least 1 vCPU, not 0
    """


class NotEnoughResourcesError(VMConceptsError):
    """A host cannot give a VM (or a container) the CPU, memory or disk it asks for.

    Examples:
        >>> raise NotEnoughResourcesError("VM 'win10' needs 8 GiB of memory but 6 GiB are free")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.NotEnoughResourcesError: VM 'win10' needs 8 GiB of memory but 6 GiB are free
    """


class IsolationError(VMConceptsError):
    """A guest tried to reach something outside its own VM: host files, another guest's memory.

    Examples:
        >>> raise IsolationError("VM 'win10' cannot read the host file '/Users/ada/notes.txt'")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.IsolationError: VM 'win10' cannot read the host file '/Users/ada/notes.txt'
    """


class InvalidStateError(VMConceptsError):
    """An action that the thing's current state does not allow, such as pausing a stopped VM.

    The message names the actions that are possible from that state.

    Args:
        what: The thing, as the reader would name it, e.g. ``"VM 'win10'"``.
        state: Its current state.
        action: The action that was refused.
        allowed: The actions possible from ``state``.
        message: A message of its own, where the usual "from STATE you can: ..." reads badly.

    Examples:
        >>> raise InvalidStateError("VM 'win10'", "stopped", "pause", ["start", "delete"])
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidStateError: cannot pause VM 'win10': it is stopped; from stopped you can: start, delete
    """

    def __init__(
        self,
        what: str,
        state: str,
        action: str,
        allowed: Iterable[str],
        message: str | None = None,
    ) -> None:
        """Build the message from the state and the actions it allows, unless one is given."""
        self.what = what
        self.state = state
        self.action = action
        self.allowed = tuple(allowed)
        possible = ", ".join(self.allowed) if self.allowed else "nothing (this is final)"
        default = f"cannot {action} {what}: it is {state}; from {state} you can: {possible}"
        super().__init__(message or default)


class NoSuchFileError(VMConceptsError, FileNotFoundError):
    """A file that does not exist where it was looked for: on a guest's disk or on the host.

    It is also a `FileNotFoundError`.

    Examples:
        >>> raise NoSuchFileError("VM 'win10' has no file 'C:/notes.txt' on its disk")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.NoSuchFileError: VM 'win10' has no file 'C:/notes.txt' on its disk
    """


class IncompatibleKernelError(VMConceptsError):
    """Software needs a different kernel from the one it would run on.

    Containers share their host's kernel, so a Windows container cannot run on a Linux kernel.

    Examples:
        >>> raise IncompatibleKernelError("a linux container needs a linux kernel, not darwin")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.IncompatibleKernelError: a linux container needs a linux kernel, not darwin
    """


class IncompatibleArchitectureError(VMConceptsError):
    """Software built for one CPU architecture asked to run on another, e.g. arm64 on x86_64.

    Examples:
        >>> raise IncompatibleArchitectureError("image 'app' is built for arm64, the host is x86_64")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.IncompatibleArchitectureError: image 'app' is built for arm64, the host is x86_64
    """


class UnknownProductError(VMConceptsError, LookupError):
    """A name that is not in a catalogue, with a "did you mean" suggestion when one is close.

    Args:
        kind: What the catalogue holds, e.g. ``"hypervisor"``.
        name: The name that was asked for.
        known: The names the catalogue does hold.

    Examples:
        >>> raise UnknownProductError("hypervisor", "VirtualBx", ["VirtualBox", "Xen"])
        Traceback (most recent call last):
        ...
        vmconcepts.errors.UnknownProductError: no hypervisor named 'VirtualBx'; did you mean 'VirtualBox'? Known: VirtualBox, Xen
    """

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        """Build the message, with the closest known name if there is one."""
        self.kind = kind
        self.name = name
        self.known = tuple(known)
        # Imported here, not at the top: difflib is slow to import in Pyodide, and only a
        # misspelt name needs it.
        import difflib  # noqa: PLC0415 - imported on first use: slow in the browser

        by_lower = {k.lower(): k for k in self.known}
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
        self.suggestion = by_lower[close[0]] if close else None
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else "."
        super().__init__(f"no {kind} named {name!r}{hint} Known: {', '.join(self.known)}")


class WrongLayerError(VMConceptsError):
    """A hypervisor installed on the wrong layer: type 2 on bare hardware, type 1 on an OS.

    A type 1 hypervisor runs directly on the hardware and is the machine's first software.
    A type 2 (hosted) hypervisor is an application that needs an operating system under it.

    Args:
        product: The hypervisor's name.
        what: What the product is, e.g. ``"a type 2 (hosted) hypervisor"``.
        machine: The machine, as the reader would name it, e.g. ``"server 'rack-1'"``.
        host_os: The OS already on the machine, or None for bare metal. None means the
            product needed an OS; a name means the product needed bare hardware.
        fix: What to do instead, when the usual advice does not fit the product.

    Examples:
        >>> raise WrongLayerError("VirtualBox", "a type 2 (hosted) hypervisor", "server 'rack-1'", None)
        Traceback (most recent call last):
        ...
        vmconcepts.errors.WrongLayerError: VirtualBox is a type 2 (hosted) hypervisor, so it needs an operating system already installed, but server 'rack-1' is bare metal with no OS. Install a host OS first, or choose a type 1 hypervisor, which runs directly on the hardware.
        >>> raise WrongLayerError("VMware ESXi", "a type 1 hypervisor", "laptop 'mac'", "macOS")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.WrongLayerError: VMware ESXi is a type 1 hypervisor, so it runs directly on the hardware, in place of an OS, but laptop 'mac' already runs macOS. Use a machine with no OS, or choose a type 2 hypervisor, which runs as an application on macOS.
    """

    def __init__(
        self, product: str, what: str, machine: str, host_os: str | None, fix: str | None = None
    ) -> None:
        """Build the message that explains the difference between the two types."""
        self.product = product
        self.what = what
        self.machine = machine
        self.host_os = host_os
        if host_os is None:
            problem = (
                "needs an operating system already installed,"
                f" but {machine} is bare metal with no OS"
            )
            fix = fix or (
                "Install a host OS first, or choose a type 1 hypervisor,"
                " which runs directly on the hardware."
            )
        else:
            problem = (
                "runs directly on the hardware, in place of an OS,"
                f" but {machine} already runs {host_os}"
            )
            fix = fix or (
                "Use a machine with no OS, or choose a type 2 hypervisor,"
                f" which runs as an application on {host_os}."
            )
        self.fix = fix
        super().__init__(f"{product} is {what}, so it {problem}. {fix}")
