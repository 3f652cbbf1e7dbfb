"""A problem from a seed: what every exercise shares, with its `Solution` and `Verdict`.

An exercise is built from a seed with `random.Random(seed)` alone, so the same seed gives
the same problem on every Python version and in the browser. Its answer is never worked
out by hand: each exercise runs the library's own model (a host, the hypervisor
catalogue, a cloud, a comparison) and reports what the model did, so an exercise cannot
disagree with what the pages teach.

Examples:
    >>> from vmconcepts.exercises import VMFitExercise
    >>> problem = VMFitExercise(seed=3)
    >>> problem.check(problem.solve())
    Verdict(right=True, hint='')
    >>> VMFitExercise(seed=-1)
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: a seed is a whole number from 0 up, such as 7, not -1
"""

from __future__ import annotations

import random
import re
import textwrap
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from vmconcepts.errors import InvalidValueError

__all__ = ["Exercise", "Solution", "Verdict", "check_seed"]

#: The width the question text is wrapped to.
WIDTH = 88

# A space between a number and its unit ("16 GiB", "2 vCPUs"): `wrap` never breaks a line there.
_UNIT_SPACE = re.compile(r"(?<=\d) (?=(?:[KMGTPE]i)?B\b|vCPUs?\b)")
# Stands in for those spaces while wrapping: textwrap splits only on ASCII whitespace.
_NO_BREAK = "\N{NO-BREAK SPACE}"

Answer = TypeVar("Answer")


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is a whole number from 0 up; refuse anything else.

    Examples:
        >>> check_seed(7)
        7
        >>> check_seed("7")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: a seed is a whole number from 0 up, such as 7, not '7'
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        msg = f"a seed is a whole number from 0 up, such as 7, not {seed!r}"
        raise InvalidValueError(msg)
    return seed


def wrap(text: str, indent: str = "", hang: str | None = None) -> str:
    """Wrap one paragraph to `WIDTH` characters, never breaking a word, a hyphen or a size.

    A number and its unit, such as ``16 GiB`` or ``2 vCPUs``, stay on one line.

    Args:
        text: The paragraph.
        indent: What the first line starts with.
        hang: What the other lines start with; ``indent`` by default.

    Examples:
        >>> print(wrap("one two three", "  "))
          one two three
        >>> print(wrap("x" * 80 + " has 16 GiB"))
        xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx has
        16 GiB
    """
    kept = _UNIT_SPACE.sub(_NO_BREAK, text)
    lines = textwrap.wrap(
        kept,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(line.replace(_NO_BREAK, " ") for line in lines)


def shape_error(answer: object, shape: str) -> InvalidValueError:
    """The error for an answer of the wrong shape: what was given and what is expected.

    Examples:
        >>> print(shape_error(42, "a set of VM names, such as {'web', 'db'}"))
        the answer should be a set of VM names, such as {'web', 'db'}; got 42
    """
    return InvalidValueError(f"the answer should be {shape}; got {answer!r}")


def read_collection(answer: object, shape: str) -> list[object]:
    """Read a set, list or tuple as a list; refuse text, mappings and single values.

    Examples:
        >>> read_collection({"b"}, "a set of names")
        ['b']
        >>> read_collection("web", "a set of names")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: the answer should be a set of names; got 'web'
    """
    if isinstance(answer, str | bytes | Mapping) or not isinstance(answer, Iterable):
        raise shape_error(answer, shape)
    return list(answer)


def read_choice(item: object, known: Iterable[str], what: str) -> str:
    """Match ``item`` to one of ``known`` (case and outer spaces ignored), or say which exist.

    Examples:
        >>> read_choice(" Web ", ["web", "db"], "VM")
        'web'
        >>> read_choice("www", ["web", "db"], "VM")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: 'www' is not a VM in this exercise; the VMs are: web, db
    """
    names = list(known)
    if isinstance(item, str):
        for name in names:
            if name.lower() == item.strip().lower():
                return name
    msg = f"{item!r} is not a {what} in this exercise; the {what}s are: {', '.join(names)}"
    raise InvalidValueError(msg)


@dataclass(frozen=True)
class Solution(Generic[Answer]):
    """An exercise's answer, as a value `Exercise.check` accepts, and why it is so.

    Args:
        answer: The answer in the shape the question asks for.
        shown: The answer as a person would write it.
        explanation: Why, in a few lines, with what the model reported.

    Examples:
        >>> print(Solution({"web"}, "{'web'}", "Only web fits."))
        Answer: {'web'}
        <BLANKLINE>
        Only web fits.
    """

    answer: Answer
    shown: str
    explanation: str

    def __repr__(self) -> str:
        """Show the answer only; print the solution to read the explanation."""
        return f"Solution(answer={self.answer!r})"

    def __str__(self) -> str:
        """The answer, a blank line, then the explanation."""
        return f"Answer: {self.shown}\n\n{self.explanation}"


@dataclass(frozen=True)
class Verdict:
    """Whether an answer is right, and if not, a hint aimed at the mistake in it.

    It is true when the answer is right, so ``if problem.check(answer):`` reads well.

    Examples:
        >>> print(Verdict(right=False, hint="'db' needs 8 GiB but 4 GiB are free."))
        Not yet: 'db' needs 8 GiB but 4 GiB are free.
        >>> bool(Verdict(right=True))
        True
    """

    right: bool
    hint: str = ""

    def __bool__(self) -> bool:
        """True for a right answer."""
        return self.right

    def __str__(self) -> str:
        """Say "Right." or "Not yet:", with the hint."""
        if self.right:
            return "Right." + (f" {self.hint}" if self.hint else "")
        return f"Not yet: {self.hint}"


class Exercise(ABC, Generic[Answer]):
    """A problem made from a seed, with its answer computed by the library's model.

    Subclasses set `name`, `chapter`, `title` and `shape`, build the problem in `_build`,
    write it in `_question`, compute the answer in `_solve`, read a given answer in `_read`
    and find the mistake in it, if any, in `_mistake`.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Raises:
        InvalidValueError: The seed is negative or not a whole number.

    Examples:
        >>> from vmconcepts.exercises import DensityExercise
        >>> problem = DensityExercise(seed=3)
        >>> problem.name, problem.chapter
        ('density', 'containers.md')
        >>> print(problem.check((7, 8)))
        Right.
        >>> print(problem.check((8, 8)))
        Not yet: a microVM takes more memory than a container: the app's, plus the Firecracker VMM's own (at most 5 MiB).
        >>> problem.check("7 and 8")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: the answer should be a pair of whole numbers (microVMs, containers), such as (20, 25); got '7 and 8'
    """

    #: The exercise's name on the command line, e.g. ``"vm-fit"``.
    name: ClassVar[str]
    #: The page of the site the exercise belongs to, e.g. ``"why-vms.md"``.
    chapter: ClassVar[str]
    #: The question in a few words.
    title: ClassVar[str]
    #: The answer's shape, as the question and the errors describe it.
    shape: ClassVar[str]

    def __init__(self, seed: int) -> None:
        """Build the problem from ``seed``."""
        self.seed = check_seed(seed)
        self._solution: Solution[Answer] | None = None
        self._build(random.Random(self.seed))  # noqa: S311 - a practice problem, not a secret

    def __repr__(self) -> str:
        """Name the exercise and its seed."""
        return f"{type(self).__name__}(seed={self.seed})"

    def __str__(self) -> str:
        """The question, headed by the exercise's name and seed so it can be repeated."""
        head = f"Exercise {self.name!r}, seed {self.seed}: {self.title}"
        return f"{head}\n\n{self._question()}\n\n{wrap('Answer with ' + self.shape + '.')}"

    @abstractmethod
    def _build(self, rng: random.Random) -> None:
        """Draw the problem's parts with ``rng``, and nothing else."""

    @abstractmethod
    def _question(self) -> str:
        """The problem in words, without the heading or the answer's shape."""

    @abstractmethod
    def _solve(self) -> Solution[Answer]:
        """Work the answer out with the library's model, and say why."""

    def solve(self) -> Solution[Answer]:
        """The answer, worked out by the library's own model, and why it is so.

        The model runs once; later calls return the same `Solution`. Print it to read the
        explanation.

        Examples:
            >>> from vmconcepts.exercises import DensityExercise
            >>> print(DensityExercise(seed=3).solve())
            Answer: (7, 8)
            <BLANKLINE>
            Each microVM takes 1 vCPU, 517 MiB memory: vCPUs allow 16 // 1 = 16, memory allows 4 GiB
            // 517 MiB = 7.
            ...
        """
        if self._solution is None:
            self._solution = self._solve()
        return self._solution

    @abstractmethod
    def _read(self, answer: object) -> Answer:
        """Turn a given answer into the canonical shape; refuse a wrong shape."""

    @abstractmethod
    def _mistake(self, given: Answer) -> str:
        """A hint aimed at the mistake in ``given``, or "" when it is right."""

    def check(self, answer: object) -> Verdict:
        """Say whether ``answer`` is right, with a hint aimed at the mistake if it is not.

        Args:
            answer: An answer in the shape the question asks for, or a `Solution`.

        Raises:
            InvalidValueError: The answer has the wrong shape; the message says which
                shape is expected.
        """
        if isinstance(answer, Solution):
            answer = answer.answer
        hint = self._mistake(self._read(answer))
        return Verdict(right=not hint, hint=hint)
