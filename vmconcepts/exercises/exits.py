"""Exercise ``exits``: how many VM exits, hypercalls and translated instructions does a program cause?

A short guest program and a technique come from the seed; the answer is what
`GuestProgram.run` counts for that technique. The counts are counts of events, not times:
the exercise asks how often the guest leaves the processor, never how long it takes.

Examples:
    >>> problem = ExitsExercise(seed=4)
    >>> problem.check("3 exits")
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: the answer should be a triple of counts (VM exits, hypercalls, translated), such as (3, 0, 0); got '3 exits'
"""

from __future__ import annotations

import random
from functools import cached_property

from vmconcepts.cpu import GuestProgram, Operation, OperationKind, RunCounts, Technique
from vmconcepts.exercises.problem import Exercise, Solution, read_collection, shape_error, wrap

__all__ = ["ExitsExercise"]

Counts = tuple[int, int, int]

_ORDINARY = ("add", "load", "store")
_PRIVILEGED = ("write-cr3", "hlt")
_REQUESTS = {"disk": ("disk-read", "disk-write"), "network card": ("net-send",)}
_TRIES = 50
_LONGEST = 14  # operations: enough to batch, few enough to count by hand

_TECHNIQUE_TEXT = {
    Technique.HARDWARE: (
        "It runs unmodified under hardware-assisted virtualization (Intel VT-x, AMD-V or"
        " Arm's EL2),"
        " with emulated devices. (In this model every privileged operation causes a VM exit,"
        " and so does every device request; a real hypervisor chooses which privileged"
        " operations exit, and a real driver often touches several device registers, each an"
        " exit, for one request.)"
    ),
    Technique.PARAVIRTUAL: (
        "It runs as a paravirtual guest: its kernel is modified to call the hypervisor"
        " instead of running privileged instructions, and its drivers put device requests in"
        " a virtio-style queue, one per device, notifying the device once, with a hypercall,"
        " after the last request of each run of consecutive requests to it."
    ),
    Technique.EMULATION: (
        "It runs under full emulation, as QEMU's TCG runs a guest built for another"
        " processor. The program runs once, straight through, so the emulator meets every"
        " instruction for the first time."
    ),
}


_PHRASE = {
    Technique.HARDWARE: "hardware-assisted virtualization",
    Technique.PARAVIRTUAL: "paravirtualization",
    Technique.EMULATION: "emulation",
}


def _shown(counts: Counts) -> str:
    return f"({counts[0]}, {counts[1]}, {counts[2]})"


class ExitsExercise(Exercise[Counts]):
    """How many VM exits, hypercalls and translated instructions does a guest program cause?

    The answer is a triple of whole numbers, counts of events: (VM exits, hypercalls,
    translated instructions) for the technique the problem names, such as ``(3, 0, 0)``.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = ExitsExercise(seed=4)
        >>> problem.technique
        Technique.PARAVIRTUAL
        >>> problem.check(problem.solve())
        Verdict(right=True, hint='')
        >>> print(problem.check((0, 4, 0)).hint)
        requests to one device in a row go into its queue and cost one notification: ...
    """

    name = "exits"
    chapter = "under-the-hood.md"
    title = "how many VM exits, hypercalls and translated instructions?"
    shape = "a triple of counts (VM exits, hypercalls, translated), such as (3, 0, 0)"

    program: GuestProgram
    technique: Technique

    def _build(self, rng: random.Random) -> None:
        for _ in range(_TRIES):
            ordinary = [[Operation.named(rng.choice(_ORDINARY))] for _ in range(rng.randint(2, 5))]
            privileged = [
                [Operation.named(rng.choice(_PRIVILEGED))] for _ in range(rng.randint(1, 2))
            ]
            requests = [self._requests(rng) for _ in range(rng.randint(1, 3))]
            chunks = [*ordinary, *privileged, *requests]
            rng.shuffle(chunks)
            self.program = GuestProgram(tuple(op for chunk in chunks for op in chunk))
            self.technique = rng.choice(list(Technique))
            if self._fair():
                return

    @staticmethod
    def _requests(rng: random.Random) -> list[Operation]:
        """A run of 1 to 4 requests to one device."""
        names = _REQUESTS[rng.choice(sorted(_REQUESTS))]
        return [Operation.named(rng.choice(names)) for _ in range(rng.randint(1, 4))]

    def _fair(self) -> bool:
        """A fair program is short, has every kind of operation, and a queue that saves notifications.

        So counting ordinary operations, forgetting the device accesses, or giving each
        request its own notification each gives a wrong answer that a hint can name.
        """
        requests = self.program.count(OperationKind.DEVICE_IO)
        return (
            len(self.program) <= _LONGEST
            and self.program.count(OperationKind.ORDINARY) > 0
            and self.program.count(OperationKind.PRIVILEGED) > 0
            and 0 < self.program.batches() < requests
        )

    def _question(self) -> str:
        lines = []
        groups: list[tuple[Operation, int]] = []
        for operation in self.program:
            if groups and groups[-1][0] == operation:
                groups[-1] = (operation, groups[-1][1] + 1)
            else:
                groups.append((operation, 1))
        width = max(len(f"{op.name} x{times}") for op, times in groups)
        for number, (operation, times) in enumerate(groups, start=1):
            written = operation.name if times == 1 else f"{operation.name} x{times}"
            kind = operation.kind.value
            if operation.device is not None:
                kind += f" ({operation.device})"
            lines.append(f"  {number:>2}. {written:<{width}}  {kind}")
        intro = (
            "A guest runs this program once, from the first operation to the last (xN"
            " means the same operation N times in a row):"
        )
        ask = "How many VM exits, hypercalls and translated instructions does the run cause?"
        return "\n\n".join(
            [wrap(intro), "\n".join(lines), wrap(_TECHNIQUE_TEXT[self.technique]), wrap(ask)]
        )

    @cached_property
    def _counts(self) -> RunCounts:
        return self.program.run(self.technique)

    def _solve(self) -> Solution[Counts]:
        """Run the program under the technique, and show the trace and all three techniques.

        Examples:
            >>> print(ExitsExercise(seed=4).solve())
            Answer: (0, ...)
            <BLANKLINE>
            What each operation does under paravirtualization:
            ...
        """
        counts = self._counts
        answer = (counts.exits, counts.hypercalls, counts.translated)
        explanation = [
            f"What each operation does under {_PHRASE[self.technique]}:",
            self.program.trace(self.technique),
            "",
            "The same program under each technique:",
            self.program.table(),
        ]
        return Solution(answer, _shown(answer), "\n".join(explanation))

    def _read(self, answer: object) -> Counts:
        triple = read_collection(answer, self.shape)
        if len(triple) != 3 or not all(  # noqa: PLR2004 - a triple
            isinstance(count, int) and not isinstance(count, bool) and count >= 0
            for count in triple
        ):
            raise shape_error(answer, self.shape)
        exits, hypercalls, translated = triple
        assert isinstance(exits, int)  # noqa: S101 - checked just above; narrows the type
        assert isinstance(hypercalls, int)  # noqa: S101
        assert isinstance(translated, int)  # noqa: S101
        return exits, hypercalls, translated

    def _mistake(self, given: Counts) -> str:
        counts = self._counts
        if given == (counts.exits, counts.hypercalls, counts.translated):
            return ""
        if self.technique is Technique.HARDWARE:
            return self._hardware_mistake(given)
        if self.technique is Technique.PARAVIRTUAL:
            return self._paravirtual_mistake(given)
        return self._emulation_mistake(given)

    def _sizes(self) -> tuple[int, int, int, int, int]:
        """Operations in all, ordinary, privileged, device requests, and runs of requests."""
        program = self.program
        return (
            len(program),
            program.count(OperationKind.ORDINARY),
            program.count(OperationKind.PRIVILEGED),
            program.count(OperationKind.DEVICE_IO),
            program.batches(),
        )

    def _hardware_mistake(self, given: Counts) -> str:
        exits, hypercalls, translated = given
        total, ordinary, privileged, requests, batches = self._sizes()
        right = privileged + requests
        if exits == total:
            return (
                f"ordinary operations (add, load, store: {ordinary} here) run directly on the"
                " processor and never exit; only privileged operations and device accesses"
                f" cause VM exits: {privileged} + {requests} = {right}."
            )
        if exits == privileged + batches:
            return (
                "in this model an emulated device has no queue: each request to it is a VM exit"
                f" of its own, so {requests} requests cost {requests} exits. Only the model's"
                " paravirtual drivers share one notification (real emulated devices with rings,"
                " such as NVMe, batch too)."
            )
        if exits == privileged:
            return (
                "each request to an emulated device causes a VM exit too: the hypervisor must"
                f" play the disk or the network card. {privileged} + {requests} = {right}."
            )
        if exits == requests:
            return (
                "privileged operations (write-cr3, hlt) cause VM exits too: the guest may not"
                f" touch the real machine's state. {privileged} + {requests} = {right}."
            )
        if exits != right:
            return (
                "count one VM exit for each privileged operation and one for each device"
                " request; ordinary operations run directly."
            )
        return (
            f"an unmodified guest makes no hypercalls ({hypercalls} given), and with hardware"
            f" support nothing is translated ({translated} given): its code runs on the"
            " processor itself."
        )

    def _paravirtual_mistake(self, given: Counts) -> str:
        exits, hypercalls, translated = given
        total, _, privileged, requests, batches = self._sizes()
        right = privileged + batches
        if exits:
            return (
                "a paravirtual guest asks the hypervisor for what it needs, with hypercalls;"
                " in this model it causes no VM exits."
            )
        if hypercalls in {privileged + requests, total}:
            return (
                "requests to one device in a row go into its queue and cost one notification:"
                f" {batches} notifications for {requests} requests, plus {privileged} hypercalls"
                f" for the privileged operations, {right} in all."
            )
        if hypercalls in {batches, privileged}:
            return (
                "each privileged operation becomes a hypercall, and so does the notification"
                f" that ends each run of requests to one device: {privileged} + {batches} ="
                f" {right}."
            )
        if hypercalls != right:
            return (
                "count one hypercall for each privileged operation and one for each run of"
                " consecutive requests to the same device."
            )
        return (
            f"nothing is translated ({translated} given): the paravirtual guest's code runs"
            " directly on the processor."
        )

    def _emulation_mistake(self, given: Counts) -> str:
        exits, hypercalls, translated = given
        total, ordinary, *_ = self._sizes()
        if exits or hypercalls:
            return (
                "an emulator never lets the guest's code run on the processor, so there is no"
                " guest mode to exit from and no hypervisor to call: 0 VM exits and 0"
                " hypercalls. The emulator handles every operation itself, device requests"
                " included."
            )
        if translated == ordinary:
            return (
                "the emulator translates every operation, the privileged ones and the device"
                f" accesses too: {total}, not only the {ordinary} ordinary ones."
            )
        return (
            f"the program runs once and has {total} operations; the emulator meets each for"
            " the first time and translates it."
        )
