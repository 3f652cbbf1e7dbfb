"""Exercises that check themselves: a problem from a seed, its answer from the library.

Each chapter of the site has one. Make a problem from a seed, print it, try an answer
with `check`, and read the answer with `solve`; the same seed gives the same problem
everywhere, so a run can be repeated. On the command line: ``vmconcepts exercise --list``,
``vmconcepts exercise NAME --seed 7`` and, for the answer, ``--solve``.

Examples:
    >>> from vmconcepts.exercises import exercise, exercise_names
    >>> exercise_names()
    ('isolation', 'hypervisor-types', 'exits', 'vm-fit', 'overcommit', 'placement', 'density', 'choose-isolation', 'whereami')
    >>> problem = exercise("density", seed=7)
    >>> problem
    DensityExercise(seed=7)
    >>> problem.check((0, 0))
    Verdict(right=False, hint='...')
    >>> exercise("densty", seed=7)
    Traceback (most recent call last):
    ...
    vmconcepts.errors.UnknownProductError: no exercise named 'densty'; did you mean 'density'? Known: isolation, hypervisor-types, exits, vm-fit, overcommit, placement, density, choose-isolation, whereami
"""

from __future__ import annotations

from typing import Any

from vmconcepts.errors import UnknownProductError
from vmconcepts.exercises.choose_isolation import ChooseIsolationExercise
from vmconcepts.exercises.density import DensityExercise
from vmconcepts.exercises.exits import ExitsExercise
from vmconcepts.exercises.hypervisor_types import HypervisorTypesExercise
from vmconcepts.exercises.isolation import IsolationExercise
from vmconcepts.exercises.overcommit import OvercommitExercise
from vmconcepts.exercises.placement import PlacementExercise
from vmconcepts.exercises.problem import Exercise, Solution, Verdict
from vmconcepts.exercises.vm_fit import VMFitExercise
from vmconcepts.exercises.where_am_i import WhereAmIExercise

__all__ = [
    "EXERCISES",
    "ChooseIsolationExercise",
    "DensityExercise",
    "Exercise",
    "ExitsExercise",
    "HypervisorTypesExercise",
    "IsolationExercise",
    "OvercommitExercise",
    "PlacementExercise",
    "Solution",
    "VMFitExercise",
    "Verdict",
    "WhereAmIExercise",
    "exercise",
    "exercise_names",
]

#: Every exercise, in the order of the chapters they belong to.
EXERCISES: tuple[type[Exercise[Any]], ...] = (
    IsolationExercise,
    HypervisorTypesExercise,
    ExitsExercise,
    VMFitExercise,
    OvercommitExercise,
    PlacementExercise,
    DensityExercise,
    ChooseIsolationExercise,
    WhereAmIExercise,
)


def exercise_names() -> tuple[str, ...]:
    """The name of every exercise, as the command line takes it.

    Examples:
        >>> "vm-fit" in exercise_names()
        True
    """
    return tuple(kind.name for kind in EXERCISES)


def exercise(name: str, seed: int) -> Exercise[Any]:
    """Make the exercise called ``name`` from ``seed``.

    Args:
        name: One of `exercise_names()`, e.g. ``"vm-fit"``; case is ignored.
        seed: A whole number from 0 up.

    Raises:
        UnknownProductError: No exercise has that name; the message suggests the closest.
        InvalidValueError: The seed is negative or not a whole number.

    Examples:
        >>> exercise("VM-fit", seed=7)
        VMFitExercise(seed=7)
    """
    wanted = name.strip().lower() if isinstance(name, str) else ""
    for kind in EXERCISES:
        if kind.name == wanted:
            return kind(seed)
    what = "exercise"
    raise UnknownProductError(what, str(name), exercise_names())
