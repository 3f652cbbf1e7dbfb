"""Tests for vmconcepts.exercises.exits: exits, hypercalls and translations, counted from a seed."""

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vmconcepts.cpu import GuestProgram, OperationKind, Technique
from vmconcepts.errors import InvalidValueError, VMConceptsError
from vmconcepts.exercises.exits import ExitsExercise
from vmconcepts.exercises.problem import Verdict

SEEDS = range(200)
DOCS = Path(__file__).resolve().parent.parent / "docs"

GOLDEN = """\
Exercise 'exits', seed 7: how many VM exits, hypercalls and translated instructions?

A guest runs this program once, from the first operation to the last (xN means the same
operation N times in a row):

   1. add           ordinary
   2. disk-read x2  device I/O (disk)
   3. store         ordinary
   4. load          ordinary
   5. net-send x4   device I/O (network card)
   6. write-cr3     privileged
   7. add           ordinary

It runs under full emulation, as QEMU's TCG runs a guest built for another processor.
The program runs once, straight through, so the emulator meets every instruction for the
first time.

How many VM exits, hypercalls and translated instructions does the run cause?

Answer with a triple of counts (VM exits, hypercalls, translated), such as (3, 0, 0)."""


@functools.cache
def problems() -> tuple[ExitsExercise, ...]:
    """The 200 problems, built once for all the tests."""
    return tuple(ExitsExercise(seed) for seed in SEEDS)


def with_technique(technique: Technique) -> list[ExitsExercise]:
    """The problems that ask about one technique."""
    return [problem for problem in problems() if problem.technique is technique]


def numbers(problem: ExitsExercise) -> tuple[int, int, int, int, int]:
    """Operations in all, ordinary, privileged, device requests, runs of requests."""
    program = problem.program
    return (
        len(program),
        program.count(OperationKind.ORDINARY),
        program.count(OperationKind.PRIVILEGED),
        program.count(OperationKind.DEVICE_IO),
        program.batches(),
    )


class TestSweep:
    """Every seed gives a fair problem that solves, checks its answer, and repeats exactly."""

    def test_every_problem_solves_and_accepts_its_answer(self):
        """solve() works for every seed, and check() accepts the Solution and its answer."""
        for seed, problem in enumerate(problems()):
            solution = problem.solve()
            assert problem.check(solution) == Verdict(right=True), seed
            assert problem.check(list(solution.answer)), seed

    def test_the_answer_is_the_model_count(self):
        """The answer is what GuestProgram.run counts for the problem's technique."""
        for problem in problems():
            counts = problem.program.run(problem.technique)
            assert problem.solve().answer == (counts.exits, counts.hypercalls, counts.translated)

    def test_every_problem_is_fair(self):
        """Each program is short, has every kind of operation, and a queue that batches."""
        for seed, problem in enumerate(problems()):
            total, ordinary, privileged, requests, batches = numbers(problem)
            assert total <= 14, seed
            assert ordinary > 0, seed
            assert privileged > 0, seed
            assert 0 < batches < requests, seed

    def test_every_technique_is_asked(self):
        """Each technique is asked about in a fair share of the seeds."""
        for technique in Technique:
            assert len(with_technique(technique)) > 30

    def test_output_is_deterministic(self):
        """The same seed prints the same problem and solution, on a fresh object."""
        for seed in range(0, 200, 7):
            first, second = problems()[seed], ExitsExercise(seed)
            assert str(first) == str(second)
            assert str(first.solve()) == str(second.solve())

    def test_seeds_give_different_problems(self):
        """200 seeds give many different problems."""
        assert len({str(problem) for problem in problems()}) > 150

    def test_pinned_problem(self):
        """Seed 7 prints exactly the pinned text, so any change of wording shows."""
        assert str(ExitsExercise(7)) == GOLDEN

    def test_solution_shows_the_trace_and_all_techniques(self):
        """The explanation traces the asked technique and tables all three, as counts."""
        text = str(ExitsExercise(7).solve())
        assert text.startswith("Answer: (0, 0, 11)\n\nWhat each operation does under emulation:")
        assert "The same program under each technique:" in text
        assert text.endswith("not times)")


class TestFairnessGate:
    """The fairness check refuses programs that would hide the usual mistakes."""

    @pytest.mark.parametrize(
        "text",
        [
            "hlt, disk-read x2",  # no ordinary operation: counting them could not be wrong
            "add, disk-read x2",  # nothing privileged
            "add, hlt, disk-read, net-send",  # no run of two: batching would save nothing
            "add, hlt",  # no device at all
            "add x10, hlt, disk-read x4",  # too long to count by hand
        ],
    )
    def test_unfair_programs_are_refused(self, text):
        """Break the program on purpose, and the gate says no."""
        problem = ExitsExercise(3)
        problem.program = GuestProgram.parse(text)
        assert not problem._fair()  # noqa: SLF001 - the gate under test

    def test_a_fair_program_passes(self):
        """The same gate says yes to a program with all it needs."""
        problem = ExitsExercise(3)
        problem.program = GuestProgram.parse("add, hlt, disk-read x2")
        assert problem._fair()  # noqa: SLF001 - the gate under test


class TestHints:
    """Each usual mistake gets a hint aimed at it, for every seed where it can be made."""

    def test_counting_ordinary_operations_as_exits(self):
        """Counting every operation as an exit is told that ordinary ones run directly."""
        for problem in with_technique(Technique.HARDWARE):
            total, *_ = numbers(problem)
            hint = problem.check((total, 0, 0)).hint
            assert "run directly on the processor and never exit" in hint

    def test_batching_an_emulated_device(self):
        """Giving an emulated device a queue is told that, in the model, each request exits."""
        for problem in with_technique(Technique.HARDWARE):
            _, _, privileged, _, batches = numbers(problem)
            assert (
                "in this model an emulated device has no queue"
                in problem.check((privileged + batches, 0, 0)).hint
            )

    def test_forgetting_device_exits(self):
        """Counting only the privileged operations is told that device requests exit too."""
        for problem in with_technique(Technique.HARDWARE):
            _, _, privileged, requests, batches = numbers(problem)
            if privileged not in {requests, privileged + batches}:
                hint = problem.check((privileged, 0, 0)).hint
                assert "each request to an emulated device causes a VM exit too" in hint

    def test_hypercalls_under_hardware(self):
        """Right exits but hypercalls under hardware support: the guest is unmodified."""
        for problem in with_technique(Technique.HARDWARE):
            exits = problem.solve().answer[0]
            assert "an unmodified guest makes no hypercalls" in problem.check((exits, 1, 0)).hint

    def test_one_notification_per_request(self):
        """Forgetting the queue: a batch costs one notification, not one per request."""
        for problem in with_technique(Technique.PARAVIRTUAL):
            _, _, privileged, requests, _ = numbers(problem)
            hint = problem.check((0, privileged + requests, 0)).hint
            assert "cost one notification" in hint

    def test_forgetting_privileged_hypercalls(self):
        """Counting only the notifications is told that privileged operations are hypercalls."""
        for problem in with_technique(Technique.PARAVIRTUAL):
            *_, batches = numbers(problem)
            assert "becomes a hypercall" in problem.check((0, batches, 0)).hint

    def test_exits_under_paravirtualization(self):
        """Counting exits for a paravirtual guest is told it calls the hypervisor itself."""
        for problem in with_technique(Technique.PARAVIRTUAL):
            _, hypercalls, _ = problem.solve().answer
            assert "causes no VM exits" in problem.check((2, hypercalls, 0)).hint

    def test_thinking_emulation_exits(self):
        """Counting exits under emulation is told that an emulator has nothing to exit from."""
        for problem in with_technique(Technique.EMULATION):
            total, _, privileged, requests, _ = numbers(problem)
            hint = problem.check((privileged + requests, 0, total)).hint
            assert "no guest mode to exit from" in hint

    def test_translating_only_ordinary_operations(self):
        """Translating only ordinary operations is told the emulator translates all."""
        for problem in with_technique(Technique.EMULATION):
            _, ordinary, *_ = numbers(problem)
            assert "translates every operation" in problem.check((0, 0, ordinary)).hint

    def test_any_wrong_answer_gets_a_real_hint(self):
        """Every wrong answer gets a hint of some substance, never a bare "wrong"."""
        for problem in problems()[:60]:
            exits, hypercalls, translated = problem.solve().answer
            for wrong in ((exits + 1, hypercalls, translated), (exits, hypercalls, translated + 1)):
                verdict = problem.check(wrong)
                assert not verdict
                assert len(verdict.hint) > 30


class TestAnswers:
    """Answers of the wrong shape are refused with the shape that works."""

    @pytest.mark.parametrize(
        "answer",
        ["3, 0, 0", 3, (3, 0), (3, 0, 0, 0), (3, -1, 0), (3, 0.0, 0), (True, 0, 0), {"exits": 3}],
    )
    def test_wrong_shape(self, answer):
        """Only a triple of whole numbers from 0 up is an answer."""
        with pytest.raises(InvalidValueError, match=r"a triple of counts \(VM exits"):
            ExitsExercise(1).check(answer)

    @settings(max_examples=80, deadline=None)
    @given(
        answer=st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
            lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner, inner),
            max_leaves=8,
        )
    )
    def test_any_answer_gets_a_verdict_or_a_clear_error(self, answer):
        """Whatever is passed to check(), the result is a Verdict or the library's own error."""
        try:
            verdict = ExitsExercise(5).check(answer)
        except VMConceptsError:
            return
        assert isinstance(verdict, Verdict)


class TestRegistry:
    """The exercise names itself and its page."""

    def test_name_and_chapter(self):
        """It is called exits and belongs to the chapter on how a CPU runs a guest."""
        assert ExitsExercise.name == "exits"
        assert ExitsExercise.chapter == "under-the-hood.md"
        assert (DOCS / ExitsExercise.chapter).is_file()
