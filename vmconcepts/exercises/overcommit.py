"""Exercise ``overcommit``: a host promised more memory than it has; who pays when guests use it?

The host is a `Host` from the library with the default policy (no limit on promises, as real
hypervisors), the guests start and change how much memory they use in a given order, and the
answer is what `Host.pressure` reports at the end: how much memory the host takes back from
each guest, the quietest guests first.

Examples:
    >>> problem = OvercommitExercise(seed=1)
    >>> problem.check({"nope": 1})
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: 'nope' is not a VM in this exercise; the VMs are: ...
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property

from vmconcepts.exercises.problem import Exercise, Solution, read_choice, shape_error, wrap
from vmconcepts.host import Host
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.overcommit import Pressure, reclaim
from vmconcepts.resources import Resources, Size

__all__ = ["OvercommitExercise"]

GiB = 1024**3
Taken = dict[str, int]

_RAM_GIB = (8, 12, 16)
_GIVEN_GIB = (4, 6, 8)
_NAMES = ("web", "db", "cache", "mail", "build", "ci")
_TRIES = 50


@dataclass(frozen=True)
class _Step:
    """A guest settles at using ``gib`` GiB; ``starts`` when this is its start."""

    vm: str
    gib: int
    starts: bool


class OvercommitExercise(Exercise[Taken]):
    """How much memory does an overcommitted host take back from each guest, and from whom?

    The answer maps each VM that loses memory to the whole GiB taken from it, such as
    ``{"web": 2}``; an empty dict says nothing is taken. VMs that lose nothing may be left
    out or given as 0.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = OvercommitExercise(seed=1)
        >>> problem.check(problem.solve())
        Verdict(right=True, hint='')
        >>> problem.check({})
        Verdict(right=False, hint='the guests use ...')
    """

    name = "overcommit"
    chapter = "why-vms.md"
    title = "who pays when an overcommitted host runs short of memory?"
    shape = "a dict of VM name -> GiB taken back, such as {'web': 2}"

    def _build(self, rng: random.Random) -> None:
        for _ in range(_TRIES):
            self.ram_gib = rng.choice(_RAM_GIB)
            names = rng.sample(_NAMES, rng.choice((3, 4)))
            self.given = {name: rng.choice(_GIVEN_GIB) for name in names}
            self.steps = tuple(
                _Step(name, rng.randrange(1, self.given[name]), starts=True) for name in names
            )
            for name in rng.sample(names, 2):
                now = self._uses()[name]
                new = rng.choice([g for g in range(1, self.given[name] + 1) if g != now])
                self.steps += (_Step(name, new, starts=False),)
            taken = self._taken(self._run().pressure())
            uses = sum(self._uses().values())
            promised = sum(self.given.values())
            # A fair problem promises more than the host has, is short at the end, and spares
            # some guest: so neither "nobody" nor "everybody" is the answer.
            if promised > self.ram_gib and uses > self.ram_gib and len(taken) < len(names):
                return

    def _uses(self) -> dict[str, int]:
        """What each guest uses at the end, in GiB."""
        final: dict[str, int] = {}
        for step in self.steps:
            final[step.vm] = step.gib
        return final

    def _run(self) -> Host:
        """Play the steps on a fresh host from the library, and return it."""
        server = Machine("kvm-1", "server", Resources(16, f"{self.ram_gib} GiB"), os="Ubuntu 24.04")
        host = Hypervisor.named("KVM").install_on(server)
        for step in self.steps:
            if step.starts:
                host.create_vm(step.vm, "Debian 12", Resources(2, f"{self.given[step.vm]} GiB"))
                host.vm(step.vm).start()
            host.vm(step.vm).use_memory(Size(step.gib * GiB))
        return host

    @staticmethod
    def _taken(pressure: Pressure) -> Taken:
        return {g.name: g.reclaimed.bytes // GiB for g in pressure.guests if g.reclaimed}

    def _question(self) -> str:
        promised = sum(self.given.values())
        intro = (
            f"A Linux server with KVM has {self.ram_gib} GiB of memory. Its VMs are promised"
            f" {promised} GiB in all: KVM as shipped lets a host promise more than it has,"
            " and a guest's memory costs the host only once the guest uses it."
        )
        rows = []
        for number, step in enumerate(self.steps, start=1):
            if step.starts:
                what = (
                    f"{step.vm} starts (given {self.given[step.vm]} GiB) and settles at using"
                    f" {step.gib} GiB"
                )
            else:
                what = f"{step.vm} changes to using {step.gib} GiB"
            rows.append(f"  {number}. {what}")
        rule = (
            "When the guests use more than the host has, the host takes the difference back"
            " (by ballooning or swapping) from the guests that were quiet longest first: a"
            " guest counts as active when it starts or changes what it uses. A guest that"
            " loses memory slows down."
        )
        ask = "After the last step, how many GiB does the host take back from each guest?"
        return "\n\n".join([wrap(intro), "\n".join(rows), wrap(rule), wrap(ask)])

    def _solve(self) -> Solution[Taken]:
        """Play the steps on the library's host and print its pressure report.

        Examples:
            >>> print(OvercommitExercise(seed=1).solve())
            Answer: {...}
            <BLANKLINE>
            At the end the guests use ...
        """
        pressure = self._result
        taken = self._taken(pressure)
        quietest = ", ".join(self._quietest_first())
        lines = [
            wrap(
                f"At the end the guests use {pressure.uses} of the host's {pressure.ram}, so"
                f" {pressure.reclaimed} must be taken back. From the quietest guest to the"
                f" busiest: {quietest}."
            ),
            "",
            str(pressure),
        ]
        shown = "{" + ", ".join(f"{name!r}: {gib}" for name, gib in taken.items()) + "}"
        return Solution(taken, shown, "\n".join(lines))

    def _quietest_first(self) -> list[str]:
        last: dict[str, int] = {}
        for index, step in enumerate(self.steps):
            last[step.vm] = index
        return sorted(last, key=last.__getitem__)

    @cached_property
    def _result(self) -> Pressure:
        return self._run().pressure()

    def _read(self, answer: object) -> Taken:
        if not isinstance(answer, dict):
            raise shape_error(answer, self.shape)
        taken: Taken = {}
        for key, gib in answer.items():
            name = read_choice(key, list(self.given), "VM")
            if isinstance(gib, bool) or not isinstance(gib, int) or gib < 0:
                raise shape_error(answer, self.shape)
            if gib:
                taken[name] = gib
        return taken

    def _mistake(self, given: Taken) -> str:
        right = self._taken(self._result)
        if given == right:
            return ""
        pressure = self._result
        if not given:
            return (
                f"the guests use {pressure.uses} on a host with {pressure.ram}: promising is"
                f" free, but using is not, so {pressure.reclaimed} must be taken back."
            )
        if sum(given.values()) * GiB != pressure.reclaimed.bytes:
            promised = self._order_taken(dict(self.given))
            if given == promised:
                return (
                    "you counted what the guests were promised; count what they use now:"
                    f" {pressure.uses} in all, of the host's {pressure.ram}."
                )
            return (
                f"what is taken back adds up to what the guests use beyond the host's memory:"
                f" {pressure.uses} - {pressure.ram} = {pressure.reclaimed}."
            )
        busiest_first = self._order_taken(self._uses(), reverse=True)
        if given == busiest_first:
            return (
                "in the model the host does not punish the guest that grew: it takes memory from"
                " the guests that were quiet longest first, which is why a noisy neighbour slows"
                " the others."
            )
        return (
            "take from the quietest guest first, all it uses if need be, then from the next"
            f" quietest: {', '.join(self._quietest_first())}."
        )

    def _order_taken(self, uses: dict[str, int], *, reverse: bool = False) -> Taken:
        """What would be taken with these uses, by the model's rule or its reverse."""
        order = self._quietest_first()
        if reverse:
            order.reverse()
        sizes = [(name, Size(uses[name] * GiB)) for name in order]
        taken = reclaim(Size(self.ram_gib * GiB), sizes)
        return {name: size.bytes // GiB for name, size in taken.items() if size}
