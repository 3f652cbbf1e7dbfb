"""Exercise ``isolation``: which of these reads and writes does isolation refuse?

Each line is run on a fresh copy of the same scene (a laptop, a hypervisor, two running
VMs, some host files and a shared folder) with the library's `VirtualMachine`. A line
counts as refused by isolation when it raises `IsolationError`; a line that fails for
another reason, such as a file that is not there, does not count.

Examples:
    >>> problem = IsolationExercise(seed=3)
    >>> problem.check({"1"})
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: the answer should be a set of line numbers, such as {1, 3}; got {'1'}
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from vmconcepts.errors import IsolationError, VMConceptsError
from vmconcepts.exercises.problem import Exercise, Solution, read_collection, shape_error, wrap
from vmconcepts.host import Host
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.resources import Resources
from vmconcepts.virtual_machine import ShareMode, VirtualMachine

__all__ = ["IsolationExercise"]

_HYPERVISORS = ("Oracle VirtualBox", "Parallels Desktop for Mac", "VMware Fusion")
_USERS = ("ada", "alan", "grace")
_GUESTS = (("win11", "Windows 11"), ("dev", "Ubuntu 24.04"), ("bsd", "FreeBSD"))
_LINES = 5


@dataclass(frozen=True)
class _Scene:
    """One freshly built scene: the host, the VM with the shared folder, and the other VM."""

    host: Host
    a: VirtualMachine
    b: VirtualMachine


@dataclass(frozen=True)
class _Line:
    """One attempt: the code a reader sees, and the same call on a scene."""

    code: str
    run: Callable[[_Scene], object]
    why: str = ""


@dataclass(frozen=True)
class _Outcome:
    refused: bool
    said: str


class IsolationExercise(Exercise[tuple[int, ...]]):
    """Which of five reads and writes, by two VMs on one laptop, does isolation refuse?

    The answer is the set of line numbers that raise `IsolationError` (a set, list or
    tuple of whole numbers; the solution gives them in order, as a tuple).

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = IsolationExercise(seed=7)
        >>> problem.solve()
        Solution(answer=(1, 2, 3))
        >>> print(problem.check([1, 2, 3, 4]))
        Not yet: line 4 is allowed (/Users/ada/Public is shared with dev, and every share allows reading): it returns 'water the plants'.
    """

    name = "isolation"
    chapter = "what-is-a-vm.md"
    title = "which of these reads does isolation refuse?"
    shape = "a set of line numbers, such as {1, 3}"

    def _build(self, rng: random.Random) -> None:
        self.hypervisor = rng.choice(_HYPERVISORS)
        self.home = f"/Users/{rng.choice(_USERS)}"
        (self.a_name, self.a_os), (self.b_name, self.b_os) = rng.sample(_GUESTS, 2)
        self.mode: ShareMode = rng.choice(("read-only", "read-write"))
        self.disk = "C:/todo.txt" if self.a_os.startswith("Windows") else "/root/todo.txt"
        lines = self._candidates()
        tried: dict[str, _Outcome] = {}  # each line runs on the model once at most
        for _ in range(50):
            self.lines = tuple(rng.sample(lines, _LINES))
            for line in self.lines:
                if line.code not in tried:
                    tried[line.code] = self._try(line)
            self.outcomes = tuple(tried[line.code] for line in self.lines)
            if {o.refused for o in self.outcomes} == {True, False}:  # some refused, some not
                break

    def _candidates(self) -> list[_Line]:
        """Every line a problem may ask about, in a fixed order."""
        a, b, home, disk = self.a_name, self.b_name, self.home, self.disk
        public = f"{home}/Public"
        return [
            _Line(
                f'{a}.read_memory("password")',
                lambda s: s.a.read_memory("password"),
                "a VM may always use its own memory",
            ),
            _Line(
                f'{b}.read_memory("password", of={a})',
                lambda s: s.b.read_memory("password", of=s.a),
            ),
            _Line(
                f'{a}.write_memory("token", "x", of={b})',
                lambda s: s.a.write_memory("token", "x", of=s.b),
            ),
            _Line(
                f'{a}.read_file("{disk}")',
                lambda s: s.a.read_file(disk),
                "a VM may always use its own virtual disk",
            ),
            _Line(
                f'{a}.read_host_file("{public}/todo.txt")',
                lambda s: s.a.read_host_file(f"{public}/todo.txt"),
                f"{public} is shared with {a}, and every share allows reading",
            ),
            _Line(
                f'{a}.read_host_file("{home}/notes.txt")',
                lambda s: s.a.read_host_file(f"{home}/notes.txt"),
            ),
            _Line(
                f'{a}.read_host_file("{public}/../notes.txt")',
                lambda s: s.a.read_host_file(f"{public}/../notes.txt"),
            ),
            _Line(
                f'{a}.write_host_file("{public}/todo.txt", "done")',
                lambda s: s.a.write_host_file(f"{public}/todo.txt", "done"),
                f"{public} is shared with {a} read-write",
            ),
            _Line(
                f'{b}.read_host_file("{public}/todo.txt")',
                lambda s: s.b.read_host_file(f"{public}/todo.txt"),
            ),
            _Line(
                f'{a}.read_host_file("{public}/plans.txt")',
                lambda s: s.a.read_host_file(f"{public}/plans.txt"),
            ),
        ]

    def _scene(self) -> _Scene:
        """Build the scene the question describes, with the library's classes."""
        mac = Machine(
            "mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64"
        )
        host = Hypervisor.named(self.hypervisor).install_on(mac)
        host.files[f"{self.home}/notes.txt"] = "buy milk"
        host.files[f"{self.home}/Public/todo.txt"] = "water the plants"
        a = host.create_vm(self.a_name, self.a_os, Resources(2, "4 GiB", "64 GiB"))
        b = host.create_vm(self.b_name, self.b_os, Resources(2, "4 GiB", "64 GiB"))
        a.start()
        b.start()
        a.write_memory("password", "hunter2")
        a.write_file(self.disk, "learn about VMs")
        a.share_folder(f"{self.home}/Public", self.mode)
        return _Scene(host, a, b)

    def _try(self, line: _Line) -> _Outcome:
        """Run one line on a fresh scene and say what happened."""
        try:
            result = line.run(self._scene())
        except IsolationError as error:
            return _Outcome(refused=True, said=f"IsolationError: {error}")
        except VMConceptsError as error:
            return _Outcome(refused=False, said=f"{type(error).__name__}: {error}")
        said = "runs without an error" if result is None else f"returns {result!r}"
        return _Outcome(refused=False, said=said)

    def _question(self) -> str:
        a, b, home = self.a_name, self.b_name, self.home
        scene = (
            f"A Mac runs {self.hypervisor} with two running VMs: {a} ({self.a_os}) and"
            f" {b} ({self.b_os}). The Mac's own files include {home}/notes.txt and"
            f" {home}/Public/todo.txt. The folder {home}/Public is shared with {a},"
            f' {self.mode}; nothing is shared with {b}. {a} holds "password" in its memory'
            f" and has {self.disk} on its own disk."
        )
        rows = "\n".join(
            f"  {number}. {line.code}" for number, line in enumerate(self.lines, start=1)
        )
        ask = (
            "Each line is tried on its own, in a fresh copy of this scene. Which lines does"
            " isolation refuse, raising IsolationError? A line that fails for another reason"
            " does not count."
        )
        return f"{wrap(scene)}\n\n{rows}\n\n{wrap(ask)}"

    def _solve(self) -> Solution[tuple[int, ...]]:
        """Run each line on the library's model and collect the refusals.

        Examples:
            >>> print(IsolationExercise(seed=7).solve())
            Answer: {1, 2, 3}
            <BLANKLINE>
            1. win11.read_host_file("/Users/ada/Public/todo.txt"): IsolationError: VM 'win11' cannot
               read the host's file '/Users/ada/Public/todo.txt': in this model a guest sees only
               its own virtual disk until a folder is shared with it. To let it in, share a folder:
               vm.share_folder('/Users/ada/Public', 'read-only')
            ...
        """
        outcomes = self.outcomes
        answer = tuple(n for n, o in enumerate(outcomes, start=1) if o.refused)
        shown = "{" + ", ".join(str(n) for n in answer) + "}"
        lines = [
            wrap(f"{number}. {line.code}: {outcome.said}", "", "   ")
            for number, (line, outcome) in enumerate(zip(self.lines, outcomes, strict=True), 1)
        ]
        return Solution(answer, shown, "\n".join(lines))

    def _read(self, answer: object) -> tuple[int, ...]:
        items = read_collection(answer, self.shape)
        numbers = range(1, len(self.lines) + 1)
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int):
                raise shape_error(answer, self.shape)
            if item not in numbers:
                raise shape_error(answer, f"{self.shape}, each from 1 to {len(self.lines)}")
        return tuple(sorted({item for item in items if isinstance(item, int)}))

    def _mistake(self, given: tuple[int, ...]) -> str:
        for number, (line, outcome) in enumerate(zip(self.lines, self.outcomes, strict=True), 1):
            if number in given and not outcome.refused:
                if outcome.said.startswith(("runs", "returns")):
                    why = f" ({line.why})" if line.why else ""
                    return f"line {number} is allowed{why}: it {outcome.said}."
                return f"line {number} fails, but not because of isolation: {outcome.said}"
            if number not in given and outcome.refused:
                return f"line {number} is refused: {outcome.said}"
        return ""
