"""The physical machine at the bottom of every stack: a server, a laptop, a desktop.

A machine has resources, a CPU architecture and, optionally, a host operating system. With
no OS it is *bare metal*, ready for a type 1 hypervisor; with one, it can run a type 2
hypervisor as an app. A cloud instance is itself a VM, but to the person who rents it, it
plays the same part (EC2 also says "bare metal" for its ``*.metal`` instances, which run an
OS of the tenant's choosing with no hypervisor under it).

Examples:
    >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64")
    >>> print(mac)
    laptop 'macbook' running macOS
    >>> mac.architecture
    'arm64'
    >>> Machine("rack-1", "server", Resources(64, "256 GiB", "4 TiB")).bare_metal
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from vmconcepts.architecture import Architecture, check_architecture
from vmconcepts.errors import InvalidValueError
from vmconcepts.operating_system import OperatingSystem
from vmconcepts.resources import Resources

__all__ = ["Machine"]

_KINDS = ("server", "laptop", "desktop", "cloud instance")


@dataclass(frozen=True, init=False, repr=False)
class Machine:
    """A computer with its resources and, unless it is bare metal, a host operating system.

    Args:
        name: A short name for the machine, e.g. ``"macbook"``.
        kind: ``"server"``, ``"laptop"``, ``"desktop"`` or ``"cloud instance"``.
        resources: Its hardware threads (as vCPUs), memory and disk.
        os: The host OS, as an `OperatingSystem` or a catalogue name; None for bare metal.
        architecture: Its CPU: ``"x86_64"`` (Intel or AMD, the default) or ``"arm64"``
            (Apple silicon, AWS Graviton).

    Raises:
        InvalidValueError: The kind or architecture is unknown, the name is empty, or
            resources is not a `Resources`.
        UnknownProductError: ``os`` names no OS in the catalogue.

    Examples:
        >>> Machine("rack-1", "server", Resources(64, "256 GiB", "4 TiB"))
        Machine(name='rack-1', kind='server', resources=Resources(vcpus=64, memory='256 GiB', disk='4 TiB'), os=None, architecture='x86_64')
        >>> Machine("macbook", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")
        Machine(name='macbook', kind='laptop', resources=Resources(vcpus=8, memory='16 GiB', disk='0 B'), os='macOS', architecture='arm64')
        >>> Machine("rack-1", "mainframe", Resources(64, "256 GiB"))
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: unknown machine kind 'mainframe'; known kinds: server, laptop, desktop, cloud instance
    """

    name: str
    kind: str
    resources: Resources
    os: OperatingSystem | None
    architecture: Architecture

    def __init__(
        self,
        name: str,
        kind: str,
        resources: Resources,
        os: OperatingSystem | str | None = None,
        architecture: Architecture = "x86_64",
    ) -> None:
        """Check and store the machine's parts, looking ``os`` up if it is a name."""
        if not isinstance(name, str) or not name.strip():
            msg = f"a machine needs a name such as 'rack-1', not {name!r}"
            raise InvalidValueError(msg)
        if kind not in _KINDS:
            msg = f"unknown machine kind {kind!r}; known kinds: {', '.join(_KINDS)}"
            raise InvalidValueError(msg)
        if not isinstance(resources, Resources):
            msg = f"resources must be Resources(vcpus, memory, disk), not {resources!r}"
            raise InvalidValueError(msg)
        if isinstance(os, str):
            os = OperatingSystem.named(os)
        elif os is not None and not isinstance(os, OperatingSystem):
            msg = f"os must be an OperatingSystem, its name, or None, not {os!r}"
            raise InvalidValueError(msg)
        if os is not None:
            os = os.installed()  # this machine boots its own kernel
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "resources", resources)
        object.__setattr__(self, "os", os)
        object.__setattr__(self, "architecture", check_architecture(architecture, f"{name!r}"))

    def __repr__(self) -> str:
        """Show the machine as the call that creates it, naming a catalogue OS by its name."""
        os = repr(self.os)
        if self.os is not None and self.os in OperatingSystem.catalogue():
            os = repr(self.os.name)
        return (
            f"Machine(name={self.name!r}, kind={self.kind!r}, resources={self.resources!r},"
            f" os={os}, architecture={self.architecture!r})"
        )

    def __str__(self) -> str:
        """Describe the machine in a few words."""
        running = "with no OS (bare metal)" if self.os is None else f"running {self.os}"
        return f"{self.kind_and_name} {running}"

    @property
    def kind_and_name(self) -> str:
        """The machine as messages name it: its kind, then its name.

        Examples:
            >>> Machine("rack-1", "server", Resources(64, "256 GiB")).kind_and_name
            "server 'rack-1'"
        """
        return f"{self.kind} {self.name!r}"

    @property
    def label(self) -> str:
        """The machine's name and kind, as drawings label its hardware.

        Examples:
            >>> Machine("rack-1", "server", Resources(64, "256 GiB")).label
            'rack-1 (server)'
        """
        return f"{self.name} ({self.kind})"

    @property
    def bare_metal(self) -> bool:
        """True when no OS is installed, so only a type 1 hypervisor can go on it.

        That is the hypervisor sense of "bare metal"; EC2's ``*.metal`` instances use the
        word for a whole server whose own OS runs with no hypervisor (see the glossary).

        Examples:
            >>> Machine("pc", "desktop", Resources(4, "8 GiB"), os="Windows 11").bare_metal
            False
        """
        return self.os is None

    def with_os(self, os: OperatingSystem | str | None) -> Machine:
        """Return the same machine with ``os`` installed (or wiped, with None).

        Examples:
            >>> server = Machine("rack-1", "server", Resources(64, "256 GiB", "4 TiB"))
            >>> print(server.with_os("Ubuntu 24.04"))
            server 'rack-1' running Ubuntu 24.04
        """
        return Machine(self.name, self.kind, self.resources, os, self.architecture)
