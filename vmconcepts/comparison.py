"""A VM and a container running the same app: start-up, memory, density and isolation.

No figure here is a universal constant. Each default is a `Measurement` that carries
its value, unit, source and the conditions it was measured under, and every one can be
replaced by the caller's own. Figures measured under different conditions are shown
side by side with those conditions, never divided into a "times faster".

The one structural difference that holds whatever the numbers: a VM boots its own
guest kernel before the app can start, and a container does not; the container's
isolation is set up by the already-running host kernel (namespaces and cgroups). Neither
boundary is unbreakable: a container has escaped through its runtime (runc,
CVE-2019-5736), and a guest could crash, and possibly take over, the hypervisor's process
through an emulated device (QEMU's floppy controller, "VENOM", CVE-2015-3456).

Examples:
    >>> from vmconcepts.resources import Resources
    >>> result = compare(
    ...     app=Resources(vcpus=1, memory="128 MiB"),
    ...     host=Resources(vcpus=36, memory="64 GiB"),
    ... )
    >>> result.vm_count, result.container_count
    (36, 36)
    >>> print(FIRECRACKER_BOOT)
    at most 125 ms
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Literal

from vmconcepts.errors import InvalidValueError
from vmconcepts.resources import Resources, Size

__all__ = [
    "DOCKER_CONTAINER",
    "DOCKER_START_HDD",
    "DOCKER_START_SSD",
    "FELTER_2014",
    "FIRECRACKER_BOOT",
    "FIRECRACKER_CREATION_RATE",
    "FIRECRACKER_MEMORY_OVERHEAD",
    "FIRECRACKER_MICROVM",
    "FIRECRACKER_VMM_START",
    "FORK_EXEC",
    "LIGHTVM_BOOT",
    "NAMESPACE_SETUP",
    "Comparison",
    "Finding",
    "InstanceProfile",
    "Measurement",
    "compare",
    "instances_per_host",
]

Bound = Literal["at most", "about", "measured", "exactly", "assumed"]

_WRAP = 88


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Measurement:
    """A number with its unit, what it measures, its source and its conditions.

    Args:
        value: The figure (the lower end, for a range).
        unit: Its unit, e.g. "ms", "s", "MiB".
        what: What was measured, in a few words.
        source: Where the figure comes from, or None for the caller's own
            assumption, which is then shown as unsourced.
        conditions: What the figure was measured on and how; it holds only there.
        bound: "at most" for a ceiling, "about" for a typical value, "measured"
            for a single reading, "exactly" for a value that holds by construction,
            "assumed" for the caller's own guess.
        upper: The upper end, when the source gives a range.
        caveat: What the figure must not be compared with, or another warning.

    Raises:
        InvalidValueError: If the value is negative or the range is upside down.

    Examples:
        >>> boot = Measurement(
        ...     125, "ms", "guest boot", "my lab notes", "my laptop", bound="at most"
        ... )
        >>> boot
        Measurement('at most 125 ms', what='guest boot', source='my lab notes')
        >>> print(boot)
        at most 125 ms
        >>> print(Measurement(8, "ms", "setup", None, "one run", upper=10))
        8-10 ms
    """

    value: float
    unit: str
    what: str
    source: str | None
    conditions: str
    bound: Bound = "about"
    upper: float | None = None
    caveat: str = ""

    def __post_init__(self) -> None:
        """Check the value and the range."""
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            msg = f"a measurement's value is a number, not {self.value!r}"
            raise InvalidValueError(msg)
        if self.value < 0:
            msg = f"{self.what!r} cannot be negative, got {_number(self.value)} {self.unit}"
            raise InvalidValueError(msg)
        if self.upper is not None and self.upper < self.value:
            msg = (
                f"range for {self.what!r} runs from {_number(self.value)} down to "
                f"{_number(self.upper)}; give the lower end first"
            )
            raise InvalidValueError(msg)

    def __repr__(self) -> str:
        """Show the figure, what it is and where it comes from."""
        return f"Measurement({str(self)!r}, what={self.what!r}, source={self.source!r})"

    def __str__(self) -> str:
        """Write the figure with its bound and unit, e.g. "at most 125 ms"."""
        if self.upper is not None:
            return f"{_number(self.value)}-{_number(self.upper)} {self.unit}"
        prefix = "" if self.bound in {"measured", "exactly"} else f"{self.bound} "
        return f"{prefix}{_number(self.value)} {self.unit}"

    @property
    def is_sourced(self) -> bool:
        """Whether the figure has a source (False for the caller's own assumption).

        Examples:
            >>> FIRECRACKER_BOOT.is_sourced
            True
            >>> DOCKER_CONTAINER.memory_overhead.is_sourced
            False
        """
        return self.source is not None

    @property
    def worst_case(self) -> float:
        """The largest value the figure allows: the upper end of a range, else the value.

        Examples:
            >>> NAMESPACE_SETUP.worst_case
            10
        """
        return self.value if self.upper is None else self.upper

    def cite(self) -> str:
        """Say the figure in one sentence with what, source and conditions.

        Examples:
            >>> print(NAMESPACE_SETUP.cite())
            8-10 ms: creating a container's namespaces. Source: arXiv 2602.15214 (2026 preprint). Conditions: Docker inside 2-vCPU cloud VMs; one measurement in one study, not a norm.
        """
        source = self.source if self.source is not None else "none (an assumption)"
        text = f"{self}: {self.what}. Source: {source}. Conditions: {self.conditions}."
        if self.caveat:
            text += f" Caveat: {self.caveat}."
        return text

    def as_size(self) -> Size:
        """Turn a memory figure into a `Size`, using its worst case.

        Raises:
            InvalidValueError: If the unit is not a size unit or the value is not whole bytes.

        Examples:
            >>> FIRECRACKER_MEMORY_OVERHEAD.as_size()
            Size('5 MiB')
            >>> FIRECRACKER_BOOT.as_size()
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidValueError: 'InstanceStart API call to guest /sbin/init' in ms cannot be read as a size: unknown unit 'ms' in '125 ms'; known units: TiB, GiB, MiB, KiB, B
        """
        try:
            return Size(f"{_number(self.worst_case)} {self.unit}")
        except InvalidValueError as error:
            msg = f"{self.what!r} in {self.unit} cannot be read as a size: {error}"
            raise InvalidValueError(msg) from None


@dataclass(frozen=True)
class Finding:
    """A sourced conclusion that is not a single number.

    Examples:
        >>> print(FELTER_2014.claim)
        containers equal or beat KVM VMs in almost all cases; both need tuning for I/O-heavy work
    """

    claim: str
    source: str
    conditions: str

    def cite(self) -> str:
        """Say the finding in one sentence with its source and conditions.

        Examples:
            >>> FELTER_2014.cite().startswith("containers equal or beat")
            True
        """
        return f"{self.claim}. Source: {self.source}. Conditions: {self.conditions}."


_FIRECRACKER_SPEC = "Firecracker SPECIFICATION.md, checked in its CI"
_FIRECRACKER_HOSTS = "m5d.metal and m6g.metal hosts"
# SPECIFICATION.md: the m5d.metal host runs with hyperthreading disabled.
_FIRECRACKER_SPEC_HOSTS = "m5d.metal (hyperthreading off) and m6g.metal hosts"
_PREPRINT = "arXiv 2602.15214 (2026 preprint)"
# The preprint ran Docker inside cloud VMs, so its container figures sit on a hypervisor.
_PREPRINT_SETUP = "Docker inside 2-vCPU cloud VMs; one measurement in one study, not a norm"
_LIGHTVM = 'Manco et al., "My VM is Lighter (and Safer) than your Container", SOSP 2017'

#: Firecracker's guest boot: from the InstanceStart API call, with the VMM process already
#: running (its own start is FIRECRACKER_VMM_START), to the guest's /sbin/init.
FIRECRACKER_BOOT = Measurement(
    125,
    "ms",
    "InstanceStart API call to guest /sbin/init",
    _FIRECRACKER_SPEC,
    f"a 1 vCPU, 128 MiB microVM on {_FIRECRACKER_SPEC_HOSTS}; serial console off; a"
    " minimal, Firecracker-tuned guest kernel and a minimal root filesystem",
    bound="at most",
    caveat=(
        "Firecracker loads the guest kernel itself, from an uncompressed kernel image"
        " (Firecracker docs/getting-started.md), so no BIOS or UEFI firmware runs first;"
        " the figure says nothing about VMs that boot through firmware"
    ),
)

#: Firecracker's own memory use beside the guest's memory.
FIRECRACKER_MEMORY_OVERHEAD = Measurement(
    5,
    "MiB",
    "memory the Firecracker VMM uses beyond the guest's own memory",
    _FIRECRACKER_SPEC,
    f"a 1 vCPU, 128 MiB microVM on {_FIRECRACKER_HOSTS}",
    bound="at most",
)

#: Firecracker's VMM process start, before any guest code runs.
FIRECRACKER_VMM_START = Measurement(
    8,
    "CPU ms",
    "VMM process start to its API socket being ready",
    _FIRECRACKER_SPEC,
    _FIRECRACKER_SPEC_HOSTS,
    bound="at most",
)

#: How fast one host can create microVMs.
FIRECRACKER_CREATION_RATE = Measurement(
    5,
    "microVMs per host core per second",
    "microVM creation rate",
    "Firecracker docs/design.md",
    "180 per second on a 36-core host",
)

#: One study's Docker start time on an SSD, measured inside 2-vCPU cloud VMs.
DOCKER_START_SSD = Measurement(
    0.57,
    "s",
    "starting a Docker container, whole engine path",
    _PREPRINT,
    f"SSD storage; {_PREPRINT_SETUP}",
)

#: The same study's Docker start time on a hard disk, inside the same cloud VMs.
DOCKER_START_HDD = Measurement(
    1.16,
    "s",
    "starting a Docker container, whole engine path",
    _PREPRINT,
    f"HDD storage; {_PREPRINT_SETUP}",
)

#: Creating the namespaces of a container, the kernel part of its start (same study).
NAMESPACE_SETUP = Measurement(
    8,
    "ms",
    "creating a container's namespaces",
    _PREPRINT,
    _PREPRINT_SETUP,
    upper=10,
)

#: LightVM's boot time, which is not comparable with Firecracker's.
LIGHTVM_BOOT = Measurement(
    2.3,
    "ms",
    "LightVM boot",
    _LIGHTVM,
    "unikernel guests on a modified Xen",
    caveat=(
        "not comparable with Firecracker's 125 ms, which boots a full Linux kernel to user space"
    ),
)

#: The process start LightVM compares against.
FORK_EXEC = Measurement(
    1,
    "ms",
    "fork/exec of a process",
    _LIGHTVM,
    "the baseline in the LightVM paper",
)

#: The classic KVM versus Docker performance comparison.
FELTER_2014 = Finding(
    "containers equal or beat KVM VMs in almost all cases; both need tuning for I/O-heavy work",
    "Felter, Ferreira, Rajamony, Rubio, IBM Research Report RC25482 (2014), ISPASS 2015, "
    "doi 10.1109/ISPASS.2015.7095802",
    "KVM versus Docker on the same server, 2014 software",
)

_NO_SOURCE = (
    "no sourced figure; set your own; the container shares the host kernel, "
    "so there is no guest kernel or VMM to hold in memory"
)


def _assumed_zero(what: str, conditions: str) -> Measurement:
    return Measurement(0, "MiB", what, None, conditions, bound="assumed")


@dataclass(frozen=True)
class InstanceProfile:
    """How one way of running an app starts, what it costs per instance and what isolates it.

    Args:
        name: What it is, e.g. "Firecracker microVM".
        boots_guest_kernel: Whether each instance boots its own kernel before the app.
        isolation: The boundary between two instances, in words.
        start: Sourced figures about start-up, each with its own conditions.
        memory_overhead: Memory each instance needs beyond the app's own.
        guest_os_memory: Memory the guest kernel and OS take inside each instance;
            there is no sourced default, so it is 0 MiB and marked unsourced
            until the caller gives one.

    Examples:
        >>> FIRECRACKER_MICROVM
        InstanceProfile('Firecracker microVM', boots_guest_kernel=True)
        >>> DOCKER_CONTAINER.isolation
        'the shared host kernel: namespaces give each container its own view, cgroups limit what it uses, and every container calls the same kernel'
    """

    name: str
    boots_guest_kernel: bool
    isolation: str
    start: tuple[Measurement, ...]
    memory_overhead: Measurement
    guest_os_memory: Measurement = field(
        default_factory=lambda: _assumed_zero(
            "memory of the guest kernel and OS", "no sourced figure; set your own"
        )
    )

    def __repr__(self) -> str:
        """Name the profile and whether it boots a kernel."""
        return f"InstanceProfile({self.name!r}, boots_guest_kernel={self.boots_guest_kernel})"

    def per_instance(self, app: Resources) -> Resources:
        """What one instance running `app` takes from the host.

        Args:
            app: What the app itself needs.

        Returns:
            The app's needs plus the memory overhead and the guest OS memory.

        Examples:
            >>> app = Resources(vcpus=1, memory="128 MiB")
            >>> FIRECRACKER_MICROVM.per_instance(app)
            Resources(vcpus=1, memory='133 MiB', disk='0 B')
        """
        extra = self.memory_overhead.as_size() + self.guest_os_memory.as_size()
        return app + Resources(vcpus=0, memory=extra)


#: A Firecracker microVM: boots a minimal Linux guest on KVM.
FIRECRACKER_MICROVM = InstanceProfile(
    "Firecracker microVM",
    boots_guest_kernel=True,
    isolation=(
        "hardware virtualization: each microVM runs its own guest kernel on KVM and talks to"
        " the host through KVM and a few emulated devices, a smaller surface than a kernel's"
        " system calls, though not an unbreakable one"
    ),
    start=(FIRECRACKER_VMM_START, FIRECRACKER_BOOT),
    memory_overhead=FIRECRACKER_MEMORY_OVERHEAD,
)

#: A Docker container with its default runtime, runc: the host kernel sets up namespaces and
#: cgroups for it.
DOCKER_CONTAINER = InstanceProfile(
    "Docker container",
    boots_guest_kernel=False,
    isolation=(
        "the shared host kernel: namespaces give each container its own view, "
        "cgroups limit what it uses, and every container calls the same kernel"
    ),
    start=(NAMESPACE_SETUP, DOCKER_START_SSD),
    memory_overhead=_assumed_zero("per-container memory beyond the app", _NO_SOURCE),
    guest_os_memory=Measurement(
        0,
        "MiB",
        "memory of a guest kernel",
        "by construction: runc, Docker's default runtime, runs the container on the host's kernel",
        "a Docker container with runc; gVisor and Kata Containers add a kernel of their own",
        bound="exactly",
    ),
)


def instances_per_host(host: Resources, per_instance: Resources) -> int:
    """How many instances of one size fit on a host, with nothing overcommitted.

    Each amount the instance asks for (vCPUs, memory, disk) must fit; the scarcest
    one decides. An amount the instance does not ask for (0) does not limit.

    Args:
        host: What the host has free for instances.
        per_instance: What each instance takes.

    Returns:
        The whole number of instances that fit.

    Raises:
        InvalidValueError: If the instance asks for nothing at all, so any number would fit.

    Examples:
        >>> host = Resources(vcpus=8, memory="16 GiB")
        >>> instances_per_host(host, Resources(vcpus=1, memory="3 GiB"))
        5
        >>> instances_per_host(host, Resources(vcpus=0, memory="0 B"))
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: an instance that needs no vCPUs, memory or disk fits any number of times; give it what the app needs
    """
    limits = []
    if per_instance.vcpus:
        limits.append(host.vcpus // per_instance.vcpus)
    if per_instance.memory:
        limits.append(host.memory.bytes // per_instance.memory.bytes)
    if per_instance.disk:
        limits.append(host.disk.bytes // per_instance.disk.bytes)
    if not limits:
        msg = (
            "an instance that needs no vCPUs, memory or disk fits any number of times; "
            "give it what the app needs"
        )
        raise InvalidValueError(msg)
    return min(limits)


@dataclass(frozen=True)
class Comparison:
    """The same app run as VMs and as containers on the same host.

    Build one with `compare()`.

    Examples:
        >>> result = compare(Resources(vcpus=1, memory="1 GiB"), Resources(vcpus=4, memory="8 GiB"))
        >>> result
        <Comparison 'Firecracker microVM' vs 'Docker container': 4 vs 4 per host>
    """

    app: Resources
    host: Resources
    vm: InstanceProfile
    container: InstanceProfile

    def __repr__(self) -> str:
        """Name both sides and how many fit."""
        return (
            f"<Comparison {self.vm.name!r} vs {self.container.name!r}: "
            f"{self.vm_count} vs {self.container_count} per host>"
        )

    @property
    def vm_count(self) -> int:
        """How many VMs running the app fit on the host.

        Examples:
            >>> compare(Resources(vcpus=1, memory="128 MiB"), Resources(vcpus=64, memory="1 GiB")).vm_count
            7
        """
        return instances_per_host(self.host, self.vm.per_instance(self.app))

    @property
    def container_count(self) -> int:
        """How many containers running the app fit on the host.

        Examples:
            >>> compare(Resources(vcpus=1, memory="128 MiB"), Resources(vcpus=64, memory="1 GiB")).container_count
            8
        """
        return instances_per_host(self.host, self.container.per_instance(self.app))

    def assumptions(self) -> tuple[Measurement, ...]:
        """The figures in use that have no source: the caller's to check or replace.

        Examples:
            >>> result = compare(Resources(vcpus=1, memory="1 GiB"), Resources(vcpus=4, memory="8 GiB"))
            >>> [m.what for m in result.assumptions()]
            ['memory of the guest kernel and OS', 'per-container memory beyond the app']
        """
        figures = [
            self.vm.memory_overhead,
            self.vm.guest_os_memory,
            self.container.memory_overhead,
            *self.vm.start,
            *self.container.start,
        ]
        return tuple(m for m in figures if not m.is_sourced)

    def to_text(self) -> str:
        """Describe the comparison aspect by aspect, every figure with its source.

        Returns:
            Plain text, wrapped at 88 characters.

        Examples:
            >>> result = compare(Resources(vcpus=1, memory="128 MiB"), Resources(vcpus=36, memory="64 GiB"))
            >>> print(result.to_text())
            Firecracker microVM vs Docker container for an app needing 1 vCPU, 128 MiB memory, on a
            host with 36 vCPUs, 64 GiB memory.
            <BLANKLINE>
            Start-up: the Firecracker microVM boots its own guest kernel first; the Docker container
            does not, so the kernel boot is the step a container skips.
              Firecracker microVM:
              - at most 8 CPU ms: VMM process start to its API socket being ready. Source:
                Firecracker SPECIFICATION.md, checked in its CI. Conditions: m5d.metal
                (hyperthreading off) and m6g.metal hosts.
              - at most 125 ms: InstanceStart API call to guest /sbin/init. Source: Firecracker
                SPECIFICATION.md, checked in its CI. Conditions: a 1 vCPU, 128 MiB microVM on
                m5d.metal (hyperthreading off) and m6g.metal hosts; serial console off; a minimal,
                Firecracker-tuned guest kernel and a minimal root filesystem. Caveat: Firecracker
                loads the guest kernel itself, from an uncompressed kernel image (Firecracker
                docs/getting-started.md), so no BIOS or UEFI firmware runs first; the figure says
                nothing about VMs that boot through firmware.
              Docker container:
              - 8-10 ms: creating a container's namespaces. Source: arXiv 2602.15214 (2026
                preprint). Conditions: Docker inside 2-vCPU cloud VMs; one measurement in one study,
                not a norm.
              - about 0.57 s: starting a Docker container, whole engine path. Source: arXiv
                2602.15214 (2026 preprint). Conditions: SSD storage; Docker inside 2-vCPU cloud VMs;
                one measurement in one study, not a norm.
              These figures come from different setups; do not divide one by another.
            <BLANKLINE>
            Memory per instance beyond the app:
              Firecracker microVM: at most 5 MiB overhead + assumed 0 MiB for a guest OS
                at most 5 MiB: memory the Firecracker VMM uses beyond the guest's own memory.
                Source: Firecracker SPECIFICATION.md, checked in its CI. Conditions: a 1 vCPU, 128
                MiB microVM on m5d.metal and m6g.metal hosts. The model uses it for every app size.
              Docker container: assumed 0 MiB overhead + 0 MiB for a guest OS
            <BLANKLINE>
            Instances per host: 36 Firecracker microVM, 36 Docker container (no overcommit).
            <BLANKLINE>
            Isolation boundary:
              Firecracker microVM: hardware virtualization: each microVM runs its own guest kernel
                on KVM and talks to the host through KVM and a few emulated devices, a smaller
                surface than a kernel's system calls, though not an unbreakable one
              Docker container: the shared host kernel: namespaces give each container its own view,
                cgroups limit what it uses, and every container calls the same kernel
            <BLANKLINE>
            Assumed, with no source (replace with your own): memory of the guest kernel and OS;
            per-container memory beyond the app.
        """
        vm, box = self.vm, self.container
        lines = [
            *_wrap(
                f"{vm.name} vs {box.name} for an app needing {self.app}, on a host with {self.host}."
            ),
            "",
            *_wrap(_start_summary(vm, box)),
        ]
        for profile in (vm, box):
            lines.append(f"  {profile.name}:")
            for figure in profile.start:
                lines.extend(_wrap(figure.cite(), "  - ", "    "))
        lines.append("  These figures come from different setups; do not divide one by another.")
        lines += ["", "Memory per instance beyond the app:"]
        for profile in (vm, box):
            overhead = _labelled(profile.memory_overhead)
            guest = _labelled(profile.guest_os_memory)
            lines.append(f"  {profile.name}: {overhead} overhead + {guest} for a guest OS")
            if profile.memory_overhead.is_sourced:
                cited = profile.memory_overhead.cite() + " The model uses it for every app size."
                lines.extend(_wrap(cited, "    ", "    "))
        lines += [
            "",
            *_wrap(
                f"Instances per host: {self.vm_count} {vm.name}, "
                f"{self.container_count} {box.name} (no overcommit)."
            ),
            "",
            "Isolation boundary:",
        ]
        for profile in (vm, box):
            lines.extend(_wrap(f"{profile.name}: {profile.isolation}", "  ", "    "))
        assumed = self.assumptions()
        if assumed:
            names = "; ".join(figure.what for figure in assumed)
            lines += ["", *_wrap(f"Assumed, with no source (replace with your own): {names}.")]
        return "\n".join(lines)


def _labelled(figure: Measurement) -> str:
    return str(figure)


def _start_summary(vm: InstanceProfile, box: InstanceProfile) -> str:
    def does(profile: InstanceProfile) -> str:
        return "boots its own guest kernel first" if profile.boots_guest_kernel else "does not"

    if vm.boots_guest_kernel == box.boots_guest_kernel:
        return f"Start-up: the {vm.name} {does(vm)}; the {box.name} {does(box)} too."
    return (
        f"Start-up: the {vm.name} {does(vm)}; the {box.name} {does(box)}, "
        "so the kernel boot is the step a container skips."
    )


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        _WRAP,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def compare(
    app: Resources,
    host: Resources,
    vm: InstanceProfile = FIRECRACKER_MICROVM,
    container: InstanceProfile = DOCKER_CONTAINER,
) -> Comparison:
    """Compare running `app` as VMs and as containers on `host`.

    Args:
        app: What one copy of the app needs (vCPUs, memory, disk).
        host: What the host has free for instances.
        vm: How the VM side starts and what it costs; Firecracker's figures by default.
        container: The same for the container side; Docker by default.

    Returns:
        A `Comparison` with counts per host, the figures and their sources.

    Raises:
        InvalidValueError: If the app needs nothing at all, or an argument has the wrong type.

    Examples:
        >>> from dataclasses import replace
        >>> app = Resources(vcpus=1, memory="1 GiB")
        >>> host = Resources(vcpus=16, memory="8 GiB")
        >>> compare(app, host)
        <Comparison 'Firecracker microVM' vs 'Docker container': 7 vs 8 per host>
        >>> guest = Measurement(64, "MiB", "memory of the guest kernel and OS", None, "my guess")
        >>> my_vm = replace(FIRECRACKER_MICROVM, guest_os_memory=guest)
        >>> compare(app, host, vm=my_vm).vm_count
        7
    """
    for name, value, kind in (
        ("app", app, Resources),
        ("host", host, Resources),
        ("vm", vm, InstanceProfile),
        ("container", container, InstanceProfile),
    ):
        if not isinstance(value, kind):
            msg = f"{name} must be a {kind.__name__}, not {value!r}"
            raise InvalidValueError(msg)
    result = Comparison(app, host, vm, container)
    result.vm_count  # noqa: B018 - refuses an app that needs nothing, now rather than later
    return result
