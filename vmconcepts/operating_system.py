"""Operating systems and their kernels, with a small catalogue to look them up by name.

The kernel is the part of an OS that talks to the hardware. What matters here is its
family: a VM brings its own kernel, so a guest may be of another family than its host,
while a container shares its host's kernel. An OS is also built for one or more CPU
architectures, and a guest runs natively only on a host of one of them.

Examples:
    >>> OperatingSystem.named("windows 10")
    OperatingSystem(name='Windows 10', kernel=Kernel('windows'))
    >>> OperatingSystem.named("macOS").kernel.family
    'darwin'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vmconcepts.architecture import ARCHITECTURES, Architecture, check_architecture
from vmconcepts.errors import InvalidValueError, UnknownProductError

__all__ = ["Kernel", "OperatingSystem"]

#: The kernel families the library knows: Linux, Windows (NT), macOS and FreeBSD. macOS's
#: kernel is XNU, part of the open-source Darwin OS; the family keeps the name "darwin", as
#: Python's ``sys.platform`` does.
KERNEL_FAMILIES = ("linux", "windows", "darwin", "freebsd")


@dataclass(frozen=True, repr=False)
class Kernel:
    """The core of an operating system: a family and, if you care, a version.

    Args:
        family: One of ``"linux"``, ``"windows"``, ``"darwin"`` (macOS's XNU) or ``"freebsd"``.
        version: A version string such as ``"6.8"``, or None when it does not matter.

    Raises:
        InvalidValueError: The family is not one of the known ones.

    Examples:
        >>> Kernel("linux")
        Kernel('linux')
        >>> Kernel("linux", "6.8")
        Kernel('linux', '6.8')
        >>> Kernel("Linux")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: unknown kernel family 'Linux'; known families: linux, windows, darwin, freebsd
    """

    family: str
    version: str | None = None

    def __post_init__(self) -> None:
        """Refuse a family the library does not know."""
        if self.family not in KERNEL_FAMILIES:
            known = ", ".join(KERNEL_FAMILIES)
            msg = f"unknown kernel family {self.family!r}; known families: {known}"
            raise InvalidValueError(msg)
        if self.version is not None and not isinstance(self.version, str):
            msg = f"a kernel version is text such as '6.8', not {self.version!r}"
            raise InvalidValueError(msg)

    def __repr__(self) -> str:
        """Show the kernel as the call that creates it."""
        if self.version is None:
            return f"Kernel({self.family!r})"
        return f"Kernel({self.family!r}, {self.version!r})"


@dataclass(frozen=True)
class OperatingSystem:
    """An operating system: a name and the kernel it runs on.

    Use `OperatingSystem.named` to take one from the catalogue, or build your own.

    Args:
        name: The name a reader knows it by, e.g. ``"Ubuntu 24.04"``.
        kernel: Its kernel.
        architectures: The CPU architectures it is built for; both by default. The catalogue
            lists the builds a reader can install in a VM: Windows 10 only for x86_64
            (on Apple silicon, Microsoft supports Windows 11 on Arm in Parallels Desktop;
            Microsoft Support, "Options for using Windows 11 with Mac computers with Apple M1,
            M2, and M3 chips").

    Examples:
        >>> alpine = OperatingSystem("Alpine Linux", Kernel("linux"))
        >>> print(alpine)
        Alpine Linux
        >>> alpine.family
        'linux'
        >>> OperatingSystem.named("Windows 10").architectures
        ('x86_64',)
    """

    name: str
    kernel: Kernel
    architectures: tuple[Architecture, ...] = field(default=ARCHITECTURES, repr=False)

    def __post_init__(self) -> None:
        """Refuse an empty name or a kernel that is not a `Kernel`."""
        if not isinstance(self.name, str) or not self.name.strip():
            msg = f"an operating system needs a name such as 'Ubuntu 24.04', not {self.name!r}"
            raise InvalidValueError(msg)
        if not isinstance(self.kernel, Kernel):
            msg = f"the kernel must be a Kernel such as Kernel('linux'), not {self.kernel!r}"
            raise InvalidValueError(msg)
        if not isinstance(self.architectures, tuple) or not self.architectures:
            msg = (
                f"architectures is a tuple such as ('x86_64', 'arm64'), not {self.architectures!r}"
            )
            raise InvalidValueError(msg)
        for architecture in self.architectures:
            check_architecture(architecture, f"OS {self.name!r}")

    def __str__(self) -> str:
        """The name of the OS."""
        return self.name

    @property
    def family(self) -> str:
        """The family of its kernel: ``"linux"``, ``"windows"``, ``"darwin"`` or ``"freebsd"``.

        Examples:
            >>> OperatingSystem.named("Ubuntu 24.04").family
            'linux'
        """
        return self.kernel.family

    @classmethod
    def catalogue(cls) -> tuple[OperatingSystem, ...]:
        """Every operating system the library knows by name.

        Examples:
            >>> [os.name for os in OperatingSystem.catalogue()][:3]
            ['Windows 10', 'Windows 11', 'Windows Server 2022']
        """
        return _CATALOGUE

    def installed(self) -> OperatingSystem:
        """A copy of this OS with a kernel object of its own, as one installation has.

        Two machines, or a host and its VM, may run the same OS, but each boots its
        own kernel; only containers share one. Machines and VMs install their OS
        with this, so ``is`` tells a shared kernel from two equal ones.

        Examples:
            >>> ubuntu = OperatingSystem.named("Ubuntu 24.04")
            >>> mine = ubuntu.installed()
            >>> mine == ubuntu, mine.kernel == ubuntu.kernel, mine.kernel is ubuntu.kernel
            (True, True, False)
        """
        return replace(self, kernel=replace(self.kernel))

    @classmethod
    def named(cls, name: str) -> OperatingSystem:
        """Look an operating system up by name, ignoring case.

        Raises:
            UnknownProductError: No OS has that name; the message suggests the closest one.

        Examples:
            >>> OperatingSystem.named("ubuntu 24.04")
            OperatingSystem(name='Ubuntu 24.04', kernel=Kernel('linux'))
            >>> OperatingSystem.named("Ubuntu")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.UnknownProductError: no operating system named 'Ubuntu'; did you mean 'Ubuntu 24.04'? Known: Windows 10, Windows 11, Windows Server 2022, macOS, Ubuntu 24.04, Debian 12, Fedora, Alpine Linux, Amazon Linux 2023, FreeBSD
        """
        for system in _CATALOGUE:
            if isinstance(name, str) and system.name.lower() == name.strip().lower():
                return system
        known = [system.name for system in _CATALOGUE]
        raise UnknownProductError(kind="operating system", name=str(name), known=known)


_CATALOGUE = (
    # Windows 10 and Server 2022 as a reader can install them in a VM: x86_64 builds.
    OperatingSystem("Windows 10", Kernel("windows"), ("x86_64",)),
    OperatingSystem("Windows 11", Kernel("windows")),
    OperatingSystem("Windows Server 2022", Kernel("windows"), ("x86_64",)),
    OperatingSystem("macOS", Kernel("darwin")),
    OperatingSystem("Ubuntu 24.04", Kernel("linux")),
    OperatingSystem("Debian 12", Kernel("linux")),
    OperatingSystem("Fedora", Kernel("linux")),
    OperatingSystem("Alpine Linux", Kernel("linux")),
    OperatingSystem("Amazon Linux 2023", Kernel("linux")),
    OperatingSystem("FreeBSD", Kernel("freebsd")),
)
