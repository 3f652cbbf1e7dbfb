"""Tests for the choose-isolation exercise: fair problems, model-checked answers, aimed hints."""

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vmconcepts.errors import InvalidValueError, VMConceptsError
from vmconcepts.exercises import choose_isolation
from vmconcepts.exercises.choose_isolation import ChooseIsolationExercise, _Need, _Spec
from vmconcepts.exercises.problem import Verdict
from vmconcepts.isolation import IsolationKind

SEEDS = range(200)
KIND_NAMES = [kind.name for kind in IsolationKind.catalogue()]

GOLDEN_7 = """\
Exercise 'choose-isolation', seed 7: which isolation fits each workload?

A server runs Linux 6.8 and offers five kinds of isolation, from the thinnest wall to
the thickest: runc container, gVisor, Kata Containers, Firecracker microVM, full VM.
Other customers' workloads run on the same server.

  1. build    needs Linux kernel 5.15
  2. reports  runs code uploaded by strangers
  3. billing  needs Linux kernel 5.15; must start without booting a kernel first

For each workload, choose a kind that meets all its needs, or None if no kind here is
enough on its own. The model checks each choice with place() and what each kind's
documentation offers.

Answer with a dict of workload -> kind name or None, such as {'api': 'gVisor'}."""


@functools.cache
def problems() -> tuple[ChooseIsolationExercise, ...]:
    """The 200 problems, built once for the sweep."""
    return tuple(ChooseIsolationExercise(seed) for seed in SEEDS)


def wrong_answer(problem: ChooseIsolationExercise) -> dict[str, str | None]:
    """The solution with its first workload's choice swapped for one the model refuses."""
    answer = dict(problem.solve().answer)
    first = problem.workloads[0]
    answer[first] = next(k for k in (*KIND_NAMES, None) if not problem.fits(first, k))
    return answer


def with_needs(seed: int, *need_sets: tuple[_Need, ...]) -> ChooseIsolationExercise:
    """A problem whose workloads have the given needs, to test hints and fairness directly."""
    problem = ChooseIsolationExercise(seed)
    problem.specs = tuple(
        _Spec(name, needs) for name, needs in zip(("a", "b", "c"), need_sets, strict=True)
    )
    return problem


class TestProblem:
    """A problem names itself, its chapter and its answer's shape, and reads as pinned."""

    def test_identity(self):
        """The exercise is 'choose-isolation' and belongs to the isolation page."""
        assert ChooseIsolationExercise.name == "choose-isolation"
        assert ChooseIsolationExercise.chapter == "isolation.md"
        assert repr(ChooseIsolationExercise(3)) == "ChooseIsolationExercise(seed=3)"

    def test_pinned_text(self):
        """Seed 7 prints exactly the pinned problem."""
        assert str(ChooseIsolationExercise(7)) == GOLDEN_7

    def test_pinned_answer(self):
        """Seed 7's answer is the thinnest wall that fits each workload, or None."""
        assert ChooseIsolationExercise(7).solve().answer == {
            "build": "Kata Containers",
            "reports": "gVisor",
            "billing": None,
        }

    def test_three_workloads_with_different_needs(self):
        """Each problem has three workloads with different names and different needs."""
        for problem in problems():
            assert len(set(problem.workloads)) == 3
            assert len({spec.needs for spec in problem.specs}) == 3


class TestSweep:
    """200 seeds: each problem is fair, solvable, deterministic and model-checked."""

    def test_every_problem_is_fair(self):
        """No one-size answer is right: always runc fails, always a VM fails, always None fails."""
        for seed, problem in enumerate(problems()):
            assert problem.fair(), seed
            for one_size in ("runc container", "full VM", None):
                assert not problem.check(dict.fromkeys(problem.workloads, one_size)), seed

    def test_solution_is_accepted(self):
        """The solution, and every other fitting kind, is accepted."""
        for seed, problem in enumerate(problems()):
            assert problem.check(problem.solve()) == Verdict(right=True), seed
            for name in problem.workloads:
                for kind in problem.fitting(name):
                    assert problem.check({**problem.solve().answer, name: kind}), seed

    def test_answer_is_the_thinnest_wall_that_fits(self):
        """Each chosen kind is the first fitting one in the catalogue, or None when none fits."""
        for problem in problems():
            for name, kind in problem.solve().answer.items():
                fits = problem.fitting(name)
                assert kind == (fits[0] if fits else None)

    def test_a_wrong_answer_gets_a_hint(self):
        """A choice the model refuses gets a hint of substance."""
        for seed, problem in enumerate(problems()):
            verdict = problem.check(wrong_answer(problem))
            assert not verdict, seed
            assert len(verdict.hint) > 30, seed

    def test_deterministic(self):
        """The same seed gives the same text and solution on a fresh object."""
        for seed, problem in enumerate(problems()):
            again = ChooseIsolationExercise(seed)
            assert str(again) == str(problem)
            assert str(again.solve()) == str(problem.solve())

    def test_variety(self):
        """Seeds give many different problems, and every need comes up."""
        assert len({str(problem) for problem in problems()}) > 100
        seen = {need for problem in problems() for spec in problem.specs for need in spec.needs}
        assert seen == set(_Need)


class TestFairnessGate:
    """fair() catches the unfair problems it exists to reject."""

    def test_catches_always_a_vm(self):
        """Three workloads a full VM fits is unfair: 'always a VM' would be right."""
        problem = with_needs(0, (_Need.OWN_KERNEL,), (_Need.UNTRUSTED,), (_Need.LIVE_MIGRATION,))
        assert not problem.fair()

    def test_catches_always_runc(self):
        """Three workloads a runc container fits is unfair."""
        problem = with_needs(0, (_Need.NO_BOOT,), (_Need.NO_BOOT,), (_Need.NO_BOOT,))
        assert not problem.fair()

    def test_catches_two_with_no_kind(self):
        """Two workloads with no fitting kind is unfair: None would be too easy a guess."""
        problem = with_needs(
            0, (_Need.PRIVATE_PROCESSOR,), (_Need.OWN_KERNEL, _Need.NO_BOOT), (_Need.NO_BOOT,)
        )
        assert not problem.fair()

    def test_accepts_a_fair_mix(self):
        """A mix that needs thought passes."""
        problem = with_needs(0, (_Need.NO_BOOT,), (_Need.LIVE_MIGRATION,), (_Need.UNTRUSTED,))
        assert problem.fair()


class TestHints:
    """Hints name the usual mistakes, in the model's own words."""

    def test_a_container_is_not_a_vm(self):
        """Strangers' code in a runc container: the hint says a container is not as strong."""
        problem = with_needs(0, (_Need.UNTRUSTED,), (_Need.NO_BOOT,), (_Need.LIVE_MIGRATION,))
        hint = problem.check({"a": "runc", "b": "runc", "c": "VM"}).hint
        assert hint.startswith("a container is not as strong as a VM: 'a' runs code from strangers")

    def test_a_vm_is_not_unbreakable(self):
        """A VM for a workload that must share no processor: the hint cites L1TF."""
        problem = with_needs(0, (_Need.PRIVATE_PROCESSOR,), (_Need.NO_BOOT,), (_Need.UNTRUSTED,))
        hint = problem.check({"a": "full VM", "b": "runc", "c": "gVisor"}).hint
        assert hint.startswith("no wall is unbreakable, a VM's included:")
        assert "CVE-2018-3646" in hint

    def test_a_vm_boots_a_kernel(self):
        """A VM kind for a workload that must not wait for a kernel: the hint says it boots one."""
        problem = with_needs(0, (_Need.NO_BOOT,), (_Need.LIVE_MIGRATION,), (_Need.UNTRUSTED,))
        hint = problem.check({"a": "Firecracker", "b": "VM", "c": "gVisor"}).hint
        assert "a guest kernel of its own boots before 'a' can start" in hint
        assert "resumed from a snapshot skips the boot" in hint

    def test_the_simplifications_are_stated(self):
        """The module says where the exercise departs from Kata's and Firecracker's docs."""
        text = " ".join((choose_isolation.__doc__ or "").split())
        assert "node's runtime configuration chooses the guest kernel" in text
        assert "5.10, 6.1 and 6.18" in text
        assert "resumed from a snapshot skips the boot" in text

    def test_live_migration(self):
        """A microVM for a workload that must move while it runs: the hint cites Clark et al."""
        problem = with_needs(0, (_Need.LIVE_MIGRATION,), (_Need.NO_BOOT,), (_Need.UNTRUSTED,))
        hint = problem.check({"a": "Firecracker", "b": "runc", "c": "gVisor"}).hint
        assert hint.startswith("live migration in a Firecracker microVM:")
        assert "NSDI 2005" in hint

    def test_a_kernel_version_in_runc(self):
        """A runc container for another kernel version: the model's refusal is the hint."""
        problem = with_needs(0, (_Need.OWN_KERNEL,), (_Need.NO_BOOT,), (_Need.UNTRUSTED,))
        hint = problem.check({"a": "runc", "b": "runc", "c": "gVisor"}).hint
        assert "runs on the host's kernel, and this host runs linux 6.8" in hint

    def test_none_when_a_kind_fits(self):
        """None for a workload some kind fits: the hint counts and names the kinds."""
        problem = with_needs(
            0, (_Need.UNTRUSTED, _Need.NO_BOOT), (_Need.NO_BOOT,), (_Need.OWN_KERNEL,)
        )
        hint = problem.check({"a": None, "b": "runc", "c": "VM"}).hint
        assert hint == "'a' is not beyond every kind here: 1 kind fits it (gVisor)."


class TestAnswerShape:
    """An answer of the wrong shape is refused with the shape expected."""

    @pytest.mark.parametrize(
        ("answer", "words"),
        [
            ("gVisor", "should be a dict of workload"),
            ({"build": 3, "reports": None, "billing": None}, "should be a dict of workload"),
            ({"nobody": None}, "is not a workload in this exercise"),
            ({"build": "VM"}, "chooses nothing for 'reports'"),
            ({"build": "gvisr", "reports": None, "billing": None}, "did you mean 'gVisor'"),
            ({"build": "docker-ish", "reports": None, "billing": None}, "or None"),
        ],
    )
    def test_wrong_shape(self, answer, words):
        """Text, a number for a kind, an unknown name or a missing workload are refused."""
        with pytest.raises(InvalidValueError, match=words.replace("(", r"\(")):
            ChooseIsolationExercise(7).check(answer)

    def test_aliases_and_case(self):
        """Kinds may be given by alias and in any case; workloads in any case."""
        answer = {"BUILD": "kata", "reports": "RUNSC", "billing": None}
        assert ChooseIsolationExercise(7).check(answer)

    @settings(max_examples=60, deadline=None)
    @given(
        answer=st.dictionaries(
            st.sampled_from(["build", "reports", "billing", "x", 3]),
            st.none() | st.sampled_from([*KIND_NAMES, "vm", "nope"]) | st.integers(),
            max_size=4,
        )
    )
    def test_any_answer_gets_a_verdict_or_a_clear_error(self, answer):
        """Whatever dict is passed, the result is a Verdict or the library's own error."""
        try:
            verdict = ChooseIsolationExercise(7).check(answer)
        except VMConceptsError:
            return
        assert isinstance(verdict, Verdict)
