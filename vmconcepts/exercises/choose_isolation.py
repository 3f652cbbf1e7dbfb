"""Exercise ``choose-isolation``: which isolation kind fits each workload?

Three workloads, each with one or two needs, and the five kinds of `vmconcepts.isolation`.
The model checks every choice: a kind fits a workload when `place` accepts the workload
into it and the kind has what else the workload needs (a start with no kernel to boot, or
live migration). None is the answer only when no kind fits, as for a workload that must
share no processor with strangers: every kind shares the hardware
(`Placement.require_private`).

Where the exercise simplifies: a workload that needs an older kernel gets it in every kind
that boots a guest kernel, as `place` allows; in Kata Containers the node's runtime
configuration chooses the guest kernel, and Firecracker's docs/kernel-policy.md validates
guest kernels 5.10, 6.1 and 6.18, not the 5.15 asked for here (others "might work"). "Start
without booting a kernel" means a start from the image alone: a Firecracker microVM
resumed from a snapshot skips the boot (docs/snapshotting/snapshot-support.md), but only
with a snapshot taken earlier, which the exercise leaves out.

Examples:
    >>> problem = ChooseIsolationExercise(seed=3)
    >>> problem.check({"nobody": None})
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: 'nobody' is not a workload in this exercise; the workloads are: ...
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

from vmconcepts._text import counted
from vmconcepts.errors import (
    IncompatibleKernelError,
    InvalidValueError,
    IsolationError,
    UnknownProductError,
)
from vmconcepts.exercises.problem import Exercise, Solution, read_choice, shape_error, wrap
from vmconcepts.isolation import (
    DEFAULT_HOST_KERNEL,
    IsolationKind,
    Shared,
    Workload,
    place,
)
from vmconcepts.operating_system import Kernel

__all__ = ["ChooseIsolationExercise"]

Choice = str | None
Answer = dict[str, Choice]

_NAMES = ("api", "reports", "ledger", "billing", "search", "build", "chat", "maps")
_OLD_KERNEL = Kernel("linux", "5.15")
_TRIES = 50


def _and(names: list[str]) -> str:
    """Join names as a sentence does: 'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class _Need(enum.Enum):
    """What a workload may need, in the words the question uses."""

    OWN_KERNEL = f"needs Linux kernel {_OLD_KERNEL.version}"
    UNTRUSTED = "runs code uploaded by strangers"
    NO_BOOT = "must start without booting a kernel first"
    LIVE_MIGRATION = "must move to another server while it keeps running"
    PRIVATE_PROCESSOR = "must share no processor core or cache with other customers' code"


# The sets of needs a workload may have: each alone, and the pairs worth thinking about.
_NEED_SETS: tuple[tuple[_Need, ...], ...] = (
    (_Need.OWN_KERNEL,),
    (_Need.UNTRUSTED,),
    (_Need.NO_BOOT,),
    (_Need.LIVE_MIGRATION,),
    (_Need.PRIVATE_PROCESSOR,),
    (_Need.UNTRUSTED, _Need.NO_BOOT),
    (_Need.UNTRUSTED, _Need.OWN_KERNEL),
    (_Need.UNTRUSTED, _Need.LIVE_MIGRATION),
    (_Need.OWN_KERNEL, _Need.NO_BOOT),
    (_Need.OWN_KERNEL, _Need.LIVE_MIGRATION),
)


@dataclass(frozen=True)
class _Spec:
    """One workload of the problem: its name and its needs."""

    name: str
    needs: tuple[_Need, ...]

    @property
    def workload(self) -> Workload:
        """The workload as the model takes it."""
        kernel = _OLD_KERNEL if _Need.OWN_KERNEL in self.needs else Kernel("linux")
        return Workload(self.name, kernel, untrusted=_Need.UNTRUSTED in self.needs)

    @property
    def text(self) -> str:
        """Its needs, as the question says them."""
        return "; ".join(need.value for need in self.needs)


@dataclass(frozen=True)
class _Refusal:
    """Why a kind does not fit a workload: the need it fails, in short and in full."""

    need: _Need
    short: str
    full: str


class ChooseIsolationExercise(Exercise[Answer]):
    """Which of the five isolation kinds fits each of three workloads, if any?

    The answer maps each workload to the name of a kind that meets all its needs, or to
    None when no kind does. Any fitting kind is right; the solution gives the one with the
    thinnest wall, and lists the rest.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = ChooseIsolationExercise(seed=7)
        >>> problem.check(problem.solve())
        Verdict(right=True, hint='')
        >>> problem.fits("reports", "gVisor"), problem.fits("billing", None)
        (True, True)
    """

    name = "choose-isolation"
    chapter = "isolation.md"
    title = "which isolation fits each workload?"
    shape = "a dict of workload -> kind name or None, such as {'api': 'gVisor'}"

    def _build(self, rng: random.Random) -> None:
        self.host = DEFAULT_HOST_KERNEL
        for _ in range(_TRIES):
            names = rng.sample(_NAMES, 3)
            need_sets = rng.sample(_NEED_SETS, 3)
            self.specs = tuple(_Spec(n, needs) for n, needs in zip(names, need_sets, strict=True))
            if self.fair():
                return

    def fair(self) -> bool:
        """Whether the problem is fair: no one-size answer is right, and most have a kind.

        Always a runc container is wrong, always a full VM is wrong, and at most one
        workload has no fitting kind.

        Examples:
            >>> all(ChooseIsolationExercise(seed).fair() for seed in range(20))
            True
        """
        answers = [self.fitting(spec.name) for spec in self.specs]
        return (
            any("runc container" not in kinds for kinds in answers)
            and any("full VM" not in kinds for kinds in answers)
            and sum(not kinds for kinds in answers) <= 1
        )

    @property
    def workloads(self) -> tuple[str, ...]:
        """The workloads' names, in the order the question lists them.

        Examples:
            >>> len(ChooseIsolationExercise(seed=1).workloads)
            3
        """
        return tuple(spec.name for spec in self.specs)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The names of the kinds to choose from, from the thinnest wall to the thickest.

        Examples:
            >>> ChooseIsolationExercise(seed=1).kinds[0]
            'runc container'
        """
        return tuple(kind.name for kind in IsolationKind.catalogue())

    def _spec(self, name: str) -> _Spec:
        return next(spec for spec in self.specs if spec.name == name)

    def _refusal(self, spec: _Spec, kind: IsolationKind) -> _Refusal | None:
        """Ask the model whether ``kind`` fits ``spec``; None when it does."""
        try:
            placement = place(spec.workload, kind, self.host)
        except IncompatibleKernelError as error:
            return _Refusal(_Need.OWN_KERNEL, "no kernel of its own to choose", str(error))
        except IsolationError as error:
            short = "one kernel shared with every neighbour as the only wall"
            return _Refusal(_Need.UNTRUSTED, short, str(error))
        for need in spec.needs:
            if need is _Need.NO_BOOT and kind.boots_guest_kernel:
                full = (
                    f"in {kind.noun_phrase}, a guest kernel of its own boots before {spec.name!r}"
                    " can start. Only a runc container and gVisor start with no kernel to boot:"
                    " the host's kernel, or gVisor's Sentry, is ready when the workload starts."
                    " (A microVM resumed from a snapshot skips the boot, but this exercise starts"
                    " every workload from its image.)"
                )
                return _Refusal(need, "a guest kernel to boot first", full)
            if need is _Need.LIVE_MIGRATION and not kind.live_migration.available:
                full = (
                    f"live migration in {kind.noun_phrase}: {kind.live_migration}. Of these"
                    " kinds, the model records it only for a full VM: Clark et al. (NSDI 2005)"
                    " moved running VMs between hosts by copying their memory while they ran."
                )
                return _Refusal(need, "no live migration", full)
            if need is _Need.PRIVATE_PROCESSOR:
                try:
                    placement.require_private(Shared.PROCESSOR)
                except IsolationError as error:
                    short = "the processor and its caches shared, as with every kind"
                    return _Refusal(need, short, str(error))
        return None

    def fits(self, workload: str, kind: str | None) -> bool:
        """Whether choosing ``kind`` (a name, or None) for ``workload`` is right, by the model.

        Raises:
            InvalidValueError: No workload or kind has that name.

        Examples:
            >>> problem = ChooseIsolationExercise(seed=7)
            >>> problem.fits("reports", "runc container")
            False
        """
        spec = self._spec(read_choice(workload, self.workloads, "workload"))
        if kind is None:
            return not self.fitting(spec.name)
        return self._refusal(spec, self._kind(kind)) is None

    def fitting(self, workload: str) -> tuple[str, ...]:
        """The kinds that fit ``workload``, from the thinnest wall to the thickest.

        Examples:
            >>> ChooseIsolationExercise(seed=7).fitting("reports")
            ('gVisor', 'Kata Containers', 'Firecracker microVM', 'full VM')
        """
        spec = self._spec(read_choice(workload, self.workloads, "workload"))
        return tuple(
            kind.name for kind in IsolationKind.catalogue() if self._refusal(spec, kind) is None
        )

    def _kind(self, item: object) -> IsolationKind:
        if not isinstance(item, str):
            raise shape_error(item, self.shape)
        try:
            return IsolationKind.named(item)
        except UnknownProductError as error:
            close = f"; did you mean {error.suggestion!r}?" if error.suggestion else ""
            msg = (
                f"{item!r} is not an isolation kind in this exercise{close} The kinds are:"
                f" {', '.join(self.kinds)}; or None"
            )
            raise InvalidValueError(msg) from None

    def _question(self) -> str:
        intro = (
            f"A server runs Linux {self.host.version} and offers five kinds of isolation, from"
            f" the thinnest wall to the thickest: {', '.join(self.kinds)}. Other customers'"
            " workloads run on the same server."
        )
        width = max(len(spec.name) for spec in self.specs) + 2
        rows = [
            wrap(f"{spec.name:<{width}}{spec.text}", f"  {number}. ", " " * (5 + width))
            for number, spec in enumerate(self.specs, start=1)
        ]
        ask = (
            "For each workload, choose a kind that meets all its needs, or None if no kind here"
            " is enough on its own. The model checks each choice with place() and what each"
            " kind's documentation offers."
        )
        return "\n\n".join([wrap(intro), "\n".join(rows), wrap(ask)])

    def _solve(self) -> Solution[Answer]:
        """Ask the model about every kind for every workload, and keep the thinnest that fits.

        Examples:
            >>> print(ChooseIsolationExercise(seed=7).solve())
            Answer: {'build': 'Kata Containers', 'reports': 'gVisor', 'billing': None}
            <BLANKLINE>
            1. build (needs Linux kernel 5.15):
               fits: Kata Containers, Firecracker microVM, full VM.
               not: runc container and gVisor (no kernel of its own to choose).
            ...
        """
        answer: Answer = {}
        lines = []
        for number, spec in enumerate(self.specs, start=1):
            fits = self.fitting(spec.name)
            answer[spec.name] = fits[0] if fits else None
            lines.append(wrap(f"{number}. {spec.name} ({spec.text}):", "", "   "))
            if fits:
                lines.append(wrap(f"fits: {', '.join(fits)}.", "   ", "     "))
            else:
                lines.append(wrap("no kind fits, so the answer is None.", "   ", "     "))
            by_reason: dict[str, list[str]] = {}
            for kind in IsolationKind.catalogue():
                refusal = self._refusal(spec, kind)
                if refusal is not None:
                    by_reason.setdefault(refusal.short, []).append(kind.name)
            reasons = "; ".join(f"{_and(kinds)} ({why})" for why, kinds in by_reason.items())
            if reasons:
                lines.append(wrap(f"not: {reasons}.", "   ", "     "))
        shown = "{" + ", ".join(f"{name!r}: {kind!r}" for name, kind in answer.items()) + "}"
        lines += [
            "",
            wrap(
                "A kind fits when the model's place() accepts the workload into it and the kind"
                " has what else the workload needs. Any kind that fits is right; the answer"
                " gives the one with the thinnest wall."
            ),
        ]
        return Solution(answer, shown, "\n".join(lines))

    def _read(self, answer: object) -> Answer:
        if not isinstance(answer, dict):
            raise shape_error(answer, self.shape)
        chosen: Answer = {}
        for key, value in answer.items():
            name = read_choice(key, self.workloads, "workload")
            chosen[name] = None if value is None else self._kind(value).name
        for name in self.workloads:
            if name not in chosen:
                msg = (
                    f"the answer chooses nothing for {name!r}; give a kind for each workload,"
                    " or None where no kind is enough"
                )
                raise InvalidValueError(msg)
        return {name: chosen[name] for name in self.workloads}

    def _mistake(self, given: Answer) -> str:
        for spec in self.specs:
            kind = given[spec.name]
            fits = self.fitting(spec.name)
            if kind is None:
                if fits:
                    return (
                        f"{spec.name!r} is not beyond every kind here: {counted(len(fits), 'kind')}"
                        f" fit{'s' if len(fits) == 1 else ''} it ({', '.join(fits)})."
                    )
                continue
            refusal = self._refusal(spec, IsolationKind.named(kind))
            if refusal is None:
                continue
            if refusal.need is _Need.UNTRUSTED:
                return f"a container is not as strong as a VM: {refusal.full}"
            if refusal.need is _Need.PRIVATE_PROCESSOR:
                return f"no wall is unbreakable, a VM's included: {refusal.full}"
            return refusal.full
        return ""
