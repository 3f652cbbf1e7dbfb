"""Overcommit: a host promising its VMs more than its hardware has, and what that costs.

KVM and ESXi overcommit as shipped. KVM maps a guest's memory as ordinary
memory of the QEMU process, allocated only when the guest first touches it, and KSM can
merge identical pages (kernel Documentation/admin-guide/mm/ksm.rst); ESXi reclaims memory
from its VMs by ballooning, compression and swapping (VMware, "Understanding Memory
Resource Management in VMware vSphere 5.0", 2011); vCPUs are threads that the host
schedules, with no cap of one per hardware thread. Firecracker's design lets microVMs
"oversubscribe host CPU and memory" (docs/design.md). Refusing to promise more than the
hardware has is a choice a cautious operator makes: `Overcommit.strict`.

Promises are free until the guests use them. When the guests use more memory than the host
has, the host must take some back (ballooning or swapping) and the guests it takes from
slow down; when more vCPUs are busy than there are hardware threads, they wait their turn.
That is the *noisy neighbour*: one guest's load slows the others.

The model's rule for taking memory back is deliberately simple: the excess is taken from
the guests that were quiet longest, first. Linux's page reclaim and ESXi's "idle memory
tax" both aim at idle memory first; the real mechanisms are finer grained.

Examples:
    >>> Overcommit()
    Overcommit(vcpu_ratio=None, memory_ratio=None)
    >>> print(Overcommit.strict())
    strict: nothing is promised beyond the hardware
    >>> print(Overcommit(vcpu_ratio=4))
    up to 4 vCPUs per hardware thread; memory without limit
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from vmconcepts.errors import InvalidValueError
from vmconcepts.resources import Resources, Size

__all__ = ["GuestMemory", "Overcommit", "Pressure", "reclaim"]


def _ratio(name: str, value: object) -> Fraction | None:
    """Check an overcommit ratio: None (no limit) or a finite number of at least 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        msg = f"{name} is None (no limit) or a number such as 1 or 4, not {value!r}"
        raise InvalidValueError(msg)
    if not math.isfinite(value) or value < 1:
        msg = f"{name} must be at least 1 (1 means no overcommit), or None for no limit, not {value!r}"
        raise InvalidValueError(msg)
    return Fraction(value)


def _number(ratio: Fraction) -> str:
    return f"{float(ratio):g}"


@dataclass(frozen=True, init=False)
class Overcommit:
    """How much a host may promise its VMs beyond its hardware: a policy, not a law.

    Args:
        vcpu_ratio: At most this many vCPUs of running VMs per hardware thread; None (the
            default) for no limit, as KVM and ESXi.
        memory_ratio: At most this much memory promised to running VMs per byte the host
            has; None (the default) for no limit.

    Raises:
        InvalidValueError: A ratio below 1, not finite, or not a number.

    Examples:
        >>> Overcommit(vcpu_ratio=2).limit(Resources(8, "16 GiB"))
        (16, None)
        >>> Overcommit.strict().limit(Resources(8, "16 GiB"))
        (8, Size('16 GiB'))
        >>> Overcommit(memory_ratio=0.5)
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: memory_ratio must be at least 1 (1 means no overcommit), or None for no limit, not 0.5
    """

    vcpu_ratio: Fraction | None
    memory_ratio: Fraction | None

    def __init__(
        self,
        vcpu_ratio: float | Fraction | None = None,
        memory_ratio: float | Fraction | None = None,
    ) -> None:
        """Check and store the two ratios."""
        object.__setattr__(self, "vcpu_ratio", _ratio("vcpu_ratio", vcpu_ratio))
        object.__setattr__(self, "memory_ratio", _ratio("memory_ratio", memory_ratio))

    def __repr__(self) -> str:
        """Show the policy as the call that creates it."""
        if self == Overcommit.strict():
            return "Overcommit.strict()"
        shown = [
            "None" if ratio is None else _number(ratio)
            for ratio in (self.vcpu_ratio, self.memory_ratio)
        ]
        return f"Overcommit(vcpu_ratio={shown[0]}, memory_ratio={shown[1]})"

    def __str__(self) -> str:
        """Say in words what the host may promise."""
        if self == Overcommit.strict():
            return "strict: nothing is promised beyond the hardware"
        if self.vcpu_ratio is None and self.memory_ratio is None:
            return "no limit: vCPUs and memory may be promised beyond the hardware"
        if self.vcpu_ratio is None:
            cpus = "vCPUs without limit"
        elif self.vcpu_ratio == 1:
            cpus = "no more vCPUs than hardware threads"
        else:
            cpus = f"up to {_number(self.vcpu_ratio)} vCPUs per hardware thread"
        if self.memory_ratio is None:
            memory = "memory without limit"
        elif self.memory_ratio == 1:
            memory = "no more memory than the host has"
        else:
            memory = f"up to {_number(self.memory_ratio)} times the host's memory"
        return f"{cpus}; {memory}"

    @classmethod
    def strict(cls) -> Overcommit:
        """The cautious operator's policy: promise no vCPU or byte the hardware does not have.

        Examples:
            >>> Overcommit.strict()
            Overcommit.strict()
        """
        return cls(vcpu_ratio=1, memory_ratio=1)

    def limit(self, hardware: Resources) -> tuple[int | None, Size | None]:
        """The most vCPUs and memory this policy lets a host with ``hardware`` promise.

        None stands for no limit.
        """
        vcpus = None if self.vcpu_ratio is None else math.floor(hardware.vcpus * self.vcpu_ratio)
        memory = (
            None
            if self.memory_ratio is None
            else Size(math.floor(hardware.memory.bytes * self.memory_ratio))
        )
        return vcpus, memory


@dataclass(frozen=True)
class GuestMemory:
    """One guest's memory under a host's pressure: given, used, and taken back.

    Examples:
        >>> row = GuestMemory("db", Size("8 GiB"), Size("8 GiB"), Size("2 GiB"))
        >>> row.resident, row.slowed
        (Size('6 GiB'), True)
    """

    name: str
    given: Size
    uses: Size
    reclaimed: Size

    @property
    def resident(self) -> Size:
        """What of the guest's memory is in the host's RAM: what it uses, less what was taken."""
        return self.uses - self.reclaimed

    @property
    def slowed(self) -> bool:
        """True when the host took memory back: the guest waits whenever it needs it again."""
        return bool(self.reclaimed)


def reclaim(ram: Size, uses: list[tuple[str, Size]]) -> dict[str, Size]:
    """Share out what the guests use beyond ``ram``: taken from the quietest guests first.

    Args:
        ram: The host's memory.
        uses: Each guest's name and the memory it uses, quietest (longest idle) first.

    Returns:
        How much is taken back from each guest (0 B where none).

    Examples:
        >>> reclaim(Size("16 GiB"), [("idle", Size("4 GiB")), ("busy", Size("14 GiB"))])
        {'idle': Size('2 GiB'), 'busy': Size('0 B')}
    """
    excess = sum(use.bytes for _, use in uses) - ram.bytes
    taken: dict[str, Size] = {}
    for name, use in uses:
        take = min(max(excess, 0), use.bytes)
        taken[name] = Size(take)
        excess -= take
    return taken


def _share(threads: int, vcpus: int) -> str:
    """The part of a hardware thread each busy vCPU gets, as a short fraction."""
    part = Fraction(threads, vcpus)
    return f"{part.numerator}/{part.denominator}"


@dataclass(frozen=True)
class Pressure:
    """What overcommit costs right now: each guest's memory, and how crowded the CPUs are.

    Get one from `Host.pressure`.

    Args:
        ram: The host's memory.
        threads: The host's hardware threads.
        vcpus: The vCPUs of its running VMs.
        guests: Each running or paused VM's memory, oldest VM first.

    Examples:
        >>> guests = (GuestMemory("web", Size("8 GiB"), Size("4 GiB"), Size("0 B")),
        ...           GuestMemory("db", Size("8 GiB"), Size("8 GiB"), Size("2 GiB")))
        >>> print(Pressure(Size("10 GiB"), 4, 6, guests))
        VM     given      uses  reclaimed
        web    8 GiB     4 GiB        0 B
        db     8 GiB     8 GiB      2 GiB  slowed
        memory: the guests use 12 GiB of the host's 10 GiB; 2 GiB is taken back (ballooned or swapped)
        vCPUs: 6 running on 4 hardware threads; when all are busy, each gets 2/3 of a thread
    """

    ram: Size
    threads: int
    vcpus: int
    guests: tuple[GuestMemory, ...]

    @property
    def reclaimed(self) -> Size:
        """All the memory taken back from the guests."""
        return sum((g.reclaimed for g in self.guests), Size(0))

    @property
    def uses(self) -> Size:
        """All the memory the guests use."""
        return sum((g.uses for g in self.guests), Size(0))

    def guest(self, name: str) -> GuestMemory:
        """One guest's row, by VM name.

        Raises:
            InvalidValueError: No running or paused VM has that name.
        """
        for row in self.guests:
            if row.name == name:
                return row
        msg = f"no running or paused VM named {name!r} on this host"
        raise InvalidValueError(msg)

    def __str__(self) -> str:
        """A table of the guests' memory, then one line each on memory and vCPUs."""
        width = max([len("VM"), *(len(g.name) for g in self.guests)]) + 2
        lines = [f"{'VM':<{width}}{'given':>7}{'uses':>10}{'reclaimed':>11}"]
        for g in self.guests:
            row = f"{g.name:<{width}}{g.given!s:>7}{g.uses!s:>10}{g.reclaimed!s:>11}"
            lines.append(row + ("  slowed" if g.slowed else ""))
        memory = f"memory: the guests use {self.uses} of the host's {self.ram}; "
        memory += (
            f"{self.reclaimed} is taken back (ballooned or swapped)"
            if self.reclaimed
            else "nothing is taken back"
        )
        cpus = f"vCPUs: {self.vcpus} running on {self.threads} hardware threads; "
        cpus += (
            f"when all are busy, each gets {_share(self.threads, self.vcpus)} of a thread"
            if self.vcpus > self.threads
            else "each can have a thread of its own"
        )
        return "\n".join([*lines, memory, cpus])
