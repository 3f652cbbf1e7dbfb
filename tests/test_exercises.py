"""Tests for vmconcepts.exercises: seeded problems that check themselves."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vmconcepts
from vmconcepts.cloud import ServerState
from vmconcepts.errors import InvalidValueError, UnknownProductError, VMConceptsError
from vmconcepts.exercises import (
    EXERCISES,
    ChooseIsolationExercise,
    DensityExercise,
    Exercise,
    ExitsExercise,
    HypervisorTypesExercise,
    IsolationExercise,
    OvercommitExercise,
    PlacementExercise,
    Solution,
    Verdict,
    VMFitExercise,
    WhereAmIExercise,
    exercise,
    exercise_names,
)

SEEDS = range(200)
IDS = [kind.name for kind in EXERCISES]
CHAPTERS = {
    "what-is-a-vm.md",
    "how-vms-work.md",
    "under-the-hood.md",
    "why-vms.md",
    "cloud.md",
    "containers.md",
    "isolation.md",
}


def wrong_answer(problem: Exercise) -> object:  # noqa: PLR0911 - one branch per exercise
    """A deliberately wrong answer in the right shape: the solution with one part changed."""
    answer = problem.solve().answer
    if isinstance(problem, VMFitExercise):
        last = problem.vms[-1].name
        return set(answer) ^ {last}
    if isinstance(problem, HypervisorTypesExercise):
        first = next(iter(answer))
        changed = {1: 2, 2: None, None: 1}[answer[first]]
        return {**answer, first: changed}
    if isinstance(problem, PlacementExercise):
        placement, percent = answer
        return placement, percent + 10
    if isinstance(problem, DensityExercise):
        vms, boxes = answer
        return vms + 1, boxes
    if isinstance(problem, IsolationExercise):
        return set(answer) ^ {1}
    if isinstance(problem, WhereAmIExercise):
        vm, container = answer
        return ("xen" if vm == "kvm" else "kvm"), container
    if isinstance(problem, ExitsExercise):
        exits, hypercalls, translated = answer
        return exits + 1, hypercalls, translated
    if isinstance(problem, ChooseIsolationExercise):
        first = problem.workloads[0]
        kinds = (*problem.kinds, None)
        return {**answer, first: next(k for k in kinds if not problem.fits(first, k))}
    if isinstance(problem, OvercommitExercise):
        spared = next(name for name in problem.given if name not in answer)
        return {**answer, spared: 1}
    raise AssertionError(problem)


# The exact text of one problem per exercise. If a change to the library's wording
# changes one, check the new text reads well, then paste it here.
GOLDEN = {
    (VMFitExercise, 7): """\
Exercise 'vm-fit', seed 7: which VMs fit on this host, and which is refused first?

A laptop 'macbook' has 8 hardware threads, 16 GiB of memory and 1 TiB of disk. It runs
macOS and has Parallels Desktop for Mac installed with the policy
Overcommit(vcpu_ratio=2, memory_ratio=1): it hands out up to 16 vCPUs to running VMs and
promises no more memory than it has. (That is a cautious operator's choice: KVM and
ESXi, as shipped, promise more.)

These VMs are created and started one after another. When the host refuses to start one,
that VM stays off and the next one is tried.

  1. web    FreeBSD       1 vCPU    4 GiB memory   32 GiB disk
  2. vpn    Ubuntu 24.04  2 vCPUs   8 GiB memory   32 GiB disk
  3. cache  Debian 12     1 vCPU    8 GiB memory   32 GiB disk
  4. ci     FreeBSD       1 vCPU    4 GiB memory  128 GiB disk
  5. mail   Alpine Linux  4 vCPUs   2 GiB memory  128 GiB disk

Which VMs are running at the end? (The solution also names the first refused.)

Answer with a set of VM names, such as {'web', 'db'}.""",
    (HypervisorTypesExercise, 7): """\
Exercise 'hypervisor-types', seed 7: type 1, type 2 or neither, and what lies under each?

For each product, say whether it is a type 1 hypervisor (it runs directly on the
hardware, with no OS under it), a type 2 hypervisor (an application on a host operating
system), or neither (its type is disputed, or it is not classified as a hypervisor type
at all).

  - VMware Fusion
  - Apple Virtualization.framework
  - Cloud Hypervisor
  - Microsoft Hyper-V

The solution also installs each one where it belongs and lists the layers from the
hardware up.

Answer with a dict of product -> 1, 2 or None, such as {'VMware ESXi': 1}.""",
    (PlacementExercise, 7): """\
Exercise 'placement', seed 7: where does each instance land, and how full are the servers?

A cloud has three servers, server-1 to server-3, each with 16 vCPUs and 32 GiB of
memory: server-1 and server-2 are x86_64, server-3 is arm64 (Graviton).

Instances are launched in this order. Each goes on the first server, in server order,
that has the CPU architecture, the instance family, the free vCPUs and memory, and the
tenancy it needs. A server runs one instance family at a time (the part of the type's
name before the dot, such as m5), the family of its first instance: the EC2 User Guide's
rule for Dedicated Hosts, which this model applies to every server.

A shared instance may go on any server not reserved for one account, and on one reserved
for its own account's Dedicated Instances; a dedicated one only on an empty server,
which is then reserved for its account until its last Dedicated Instance ends, or on one
already reserved for its account (tenancy as the EC2 User Guide describes it,
simplified).

  i-0001  reddit   c5.large     2 vCPUs   4 GiB  x86_64  shared
  i-0002  reddit   m5.large     2 vCPUs   8 GiB  x86_64  shared
  i-0003  netflix  m7g.xlarge   4 vCPUs  16 GiB  arm64   shared
  i-0004  shop     c5.large     2 vCPUs   4 GiB  x86_64  shared
  i-0005  shop     c5.large     2 vCPUs   4 GiB  x86_64  shared

Instance sizes: EC2 DescribeInstanceTypes data, as generated into kubernetes/autoscaler
cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go.

Which server does each instance land on? Then: what share of the vCPUs of the servers in
use do the instances hold, in percent?

Answer with a pair: a dict of instance id -> server name, and the vCPU utilisation of
the servers in use in percent, such as ({'i-0001': 'server-1'}, 25).""",
    (DensityExercise, 3): """\
Exercise 'density', seed 3: how many copies of this app fit as VMs and as containers?

A host has 16 vCPUs and 4 GiB of memory free for instances. One copy of an app needs
1 vCPU and 512 MiB of memory.

As a Firecracker microVM, each copy takes what the app needs, plus the VMM's own memory,
at most 5 MiB (Firecracker SPECIFICATION.md, checked in its CI; measured on a 1 vCPU,
128 MiB microVM on m5d.metal and m6g.metal hosts; the library uses it for every size)
and, in this exercise, nothing for its guest kernel and OS.

As a Docker container, each copy takes what the app needs and nothing more: a container
started by runc, Docker's default runtime, has no kernel of its own, and its other
overhead is assumed to be 0.

Nothing is overcommitted. How many copies fit on the host as microVMs, and how many as
containers?

Answer with a pair of whole numbers (microVMs, containers), such as (20, 25).""",
    (IsolationExercise, 7): """\
Exercise 'isolation', seed 7: which of these reads does isolation refuse?

A Mac runs Parallels Desktop for Mac with two running VMs: dev (Ubuntu 24.04) and win11
(Windows 11). The Mac's own files include /Users/ada/notes.txt and
/Users/ada/Public/todo.txt. The folder /Users/ada/Public is shared with dev, read-only;
nothing is shared with win11. dev holds "password" in its memory and has /root/todo.txt
on its own disk.

  1. win11.read_host_file("/Users/ada/Public/todo.txt")
  2. win11.read_memory("password", of=dev)
  3. dev.read_host_file("/Users/ada/notes.txt")
  4. dev.read_host_file("/Users/ada/Public/todo.txt")
  5. dev.read_memory("password")

Each line is tried on its own, in a fresh copy of this scene. Which lines does isolation
refuse, raising IsolationError? A line that fails for another reason does not count.

Answer with a set of line numbers, such as {1, 3}.""",
    (WhereAmIExercise, 7): """\
Exercise 'whereami', seed 7: what do systemd-detect-virt's rules find in these files?

A Linux program reads the files systemd-detect-virt reads. Only these exist (no CPUID
signature is known, and every other file is missing):

  /.dockerenv                     (empty)
  /sys/class/dmi/id/sys_vendor    innotek GmbH
  /sys/class/dmi/id/product_name  VirtualBox

Following systemd-detect-virt's rules, what does it report for the virtual machine
layer, and what for the container layer?

Answer with a pair (vm, container) of systemd's identifiers, None where nothing is
found, such as ('kvm', None).""",
}


@functools.cache
def problems(kind: type[Exercise]) -> tuple[Exercise, ...]:
    """The 200 problems of one exercise, built once for all the sweep's tests."""
    return tuple(kind(seed) for seed in SEEDS)


class TestSweep:
    """200 seeds per exercise: each problem is solvable, and checks its own answer."""

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    def test_every_problem_solves_and_accepts_its_answer(self, kind):
        """solve() works for every seed, and check() accepts both the Solution and its answer."""
        for seed, problem in enumerate(problems(kind)):
            solution = problem.solve()
            assert solution.explanation, seed
            assert problem.check(solution) == Verdict(right=True), seed
            assert problem.check(solution.answer), seed

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    def test_a_wrong_answer_gets_a_hint(self, kind):
        """A deliberately wrong answer is refused with a hint, never a bare "wrong"."""
        for seed, problem in enumerate(problems(kind)):
            verdict = problem.check(wrong_answer(problem))
            assert not verdict, seed
            assert len(verdict.hint) > 30, (seed, verdict)
            assert str(verdict).startswith("Not yet: "), seed

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    def test_output_is_deterministic(self, kind):
        """The same seed prints the same problem and the same solution, on a fresh object."""
        for seed, first in enumerate(problems(kind)):
            second = kind(seed)
            assert str(first) == str(second), seed
            assert str(first.solve()) == str(second.solve()), seed

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    def test_seeds_give_different_problems(self, kind):
        """Seeds are worth trying: 200 seeds give many different problems."""
        assert len({str(problem) for problem in problems(kind)}) > 20

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    def test_question_names_seed_and_shape(self, kind):
        """The problem starts with its name and seed, and ends with the answer's shape."""
        text = str(kind(11))
        assert text.startswith(f"Exercise {kind.name!r}, seed 11: ")
        assert text.endswith(".")
        assert "Answer with " + kind.shape.split(",")[0] in text.replace("\n", " ")

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    def test_lines_never_break_inside_a_size(self, kind):
        """No question or answer ends a line with "16" and starts the next with "GiB"."""
        split = re.compile(r"\d\n *(?:[KMGTPE]i)?B\b|\d\n *vCPUs?\b")
        for problem in problems(kind)[:50]:
            assert not split.search(f"{problem}\n{problem.solve()}")


class TestGolden:
    """The exact text of one problem per exercise is pinned, so any drift shows."""

    @pytest.mark.parametrize(("kind", "seed"), GOLDEN, ids=[k.name for k, _ in GOLDEN])
    def test_pinned_problem(self, kind, seed):
        """The problem prints exactly the pinned text, on every Python version."""
        assert str(kind(seed)) == GOLDEN[kind, seed]

    def test_same_output_whatever_the_hash_seed(self):
        """String hashing is random per process; the problems must not depend on it."""
        script = (
            "from vmconcepts.exercises import EXERCISES\n"
            "for kind in EXERCISES:\n"
            "    for seed in range(0, 200, 13):\n"
            "        p = kind(seed)\n"
            "        print(p)\n"
            "        print(p.solve())\n"
        )
        outputs = {
            subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
                env={**os.environ, "PYTHONHASHSEED": hash_seed},
            ).stdout
            for hash_seed in ("0", "1", "12345")
        }
        assert len(outputs) == 1
        assert "Exercise 'whereami'" in outputs.pop()


class TestOvercommitExercise:
    """The overcommit exercise is fair, and its hints name the usual mistakes."""

    def test_every_problem_is_fair(self):
        """Each problem promises more than the host has, is short, and spares some guest."""
        for seed in range(200):
            problem = OvercommitExercise(seed)
            taken = problem.solve().answer
            assert sum(problem.given.values()) > problem.ram_gib, seed
            assert taken, seed
            assert len(taken) < len(problem.given), seed

    def test_nothing_taken_is_a_mistake_about_promises(self):
        """Answering that nothing is taken explains that use, not promise, costs."""
        assert "promising is free, but using is not" in OvercommitExercise(1).check({}).hint

    def test_punishing_the_noisy_guest_is_named(self):
        """Taking from the busiest guest is named as the noisy-neighbour mistake."""
        shown = 0
        for seed in range(200):
            problem = OvercommitExercise(seed)
            slip = problem._order_taken(problem._uses(), reverse=True)  # noqa: SLF001
            if slip != problem.solve().answer:
                assert "noisy neighbour" in problem.check(slip).hint, seed
                shown += 1
        assert shown > 0  # some seed does show the slip

    def test_zero_entries_are_ignored(self):
        """A guest given as 0 counts as a guest that loses nothing."""
        problem = OvercommitExercise(1)
        taken = problem.solve().answer
        answer = {name: taken.get(name, 0) for name in problem.given}
        assert problem.check(answer).right

    @pytest.mark.parametrize("gib", [-1, 1.5, True, "2"])
    def test_bad_amounts(self, gib):
        """An amount that is not a whole number of GiB from 0 up is refused with the shape."""
        problem = OvercommitExercise(1)
        with pytest.raises(InvalidValueError, match="dict of VM name -> GiB"):
            problem.check({problem.steps[0].vm: gib})

    def test_a_list_is_refused(self):
        """The answer is a dict, not a list of pairs."""
        with pytest.raises(InvalidValueError, match="dict of VM name -> GiB"):
            OvercommitExercise(1).check([("web", 1)])


class TestHints:
    """Hints aim at the mistake: each common slip gets its own explanation."""

    def test_vm_fit_forgets_the_vcpu_ratio(self):
        """Counting one vCPU per thread when vcpu_ratio is 2 is named as that mistake."""
        found = 0
        for problem in problems(VMFitExercise):
            slip = problem._run(vcpu_ratio=1).running  # noqa: SLF001 - the slip under test
            if problem.vcpu_ratio == 2 and slip != problem.solve().answer:
                assert "vcpu_ratio=2" in problem.check(slip).hint
                found += 1
        assert found

    def test_vm_fit_stops_at_the_first_refusal(self):
        """Stopping at the first refusal is named as that mistake."""
        problem = VMFitExercise(seed=7)
        assert "does not end the list" in problem.check(["web", "vpn"]).hint

    def test_vm_fit_includes_a_refused_vm(self):
        """Naming a refused VM quotes the host's refusal, with the numbers."""
        hint = VMFitExercise(seed=7).check({"web", "vpn", "ci", "cache"}).hint
        assert hint.startswith("'cache' does not start: VM 'cache' needs 8 GiB of memory")

    def test_vm_fit_leaves_out_a_running_vm(self):
        """Leaving out a VM that starts says what was free when its turn came."""
        hint = VMFitExercise(seed=7).check({"web", "ci"}).hint
        assert hint.startswith("'vpn' does start: when its turn comes, 15 vCPUs and 12 GiB")

    def test_hypervisor_types_disputed(self):
        """Giving the KVM-based Nitro a type explains that its type is disputed, and why."""
        problem = HypervisorTypesExercise(seed=0)
        answer = {**problem.solve().answer, "AWS Nitro Hypervisor": 1}
        hint = problem.check(answer).hint
        assert "has no agreed type: it is disputed" in hint
        assert "AWS does not call it type 1 or type 2" in hint

    def test_hypervisor_types_type_2_on_bare_metal(self):
        """Calling a hosted hypervisor type 1 quotes the library's wrong-layer refusal."""
        problem = HypervisorTypesExercise(seed=0)
        answer = {**problem.solve().answer, "Oracle VirtualBox": 1}
        assert "needs an operating system already installed" in problem.check(answer).hint

    def test_hypervisor_types_type_1_on_an_os(self):
        """Calling a bare-metal hypervisor type 2 quotes the library's refusal on macOS."""
        problem = HypervisorTypesExercise(seed=1)
        answer = {**problem.solve().answer, "Xen": 2}
        assert "already runs macOS" in problem.check(answer).hint

    def test_placement_first_fit(self):
        """A later server that could also take it is a first-fit mistake."""
        problem = PlacementExercise(seed=0)
        placement, percent = problem.solve().answer
        verdict = problem.check(({**placement, "i-0001": "server-3"}, percent))
        assert "first fit" in verdict.hint

    def test_placement_wrong_architecture(self):
        """An x86_64 instance on the arm64 server is refused for its architecture."""
        problem = PlacementExercise(seed=7)
        placement, percent = problem.solve().answer
        verdict = problem.check(({**placement, "i-0001": "server-3"}, percent))
        assert "type is built for x86_64, and server-3 is arm64" in verdict.hint

    def test_placement_dedicated(self):
        """A shared instance on another account's dedicated server names the reservation."""
        for problem in problems(PlacementExercise):
            placement, percent = problem.solve().answer
            cloud = problem._final  # noqa: SLF001 - the fleet after the launches
            dedicated = [s.name for s in cloud.servers if s.state is ServerState.DEDICATED]
            for number, launch in enumerate(problem.launches, start=1):
                instance = f"i-{number:04d}"
                server = next((s for s in cloud.servers if s.name in dedicated), None)
                if (
                    server is not None
                    and launch.tenancy == "default"
                    and launch.tenant != server.account
                    and server.name < placement[instance]
                ):
                    verdict = problem.check(({**placement, instance: server.name}, percent))
                    assert f"{server.name} is reserved for {server.account!r}" in verdict.hint
                    return
        pytest.fail("no seed places a shared instance after a dedicated server")

    def test_placement_counts_empty_servers(self):
        """Dividing by the whole fleet, empty servers included, is named as that mistake."""
        problem = PlacementExercise(seed=38)
        placement, percent = problem.solve().answer
        assert percent == 75  # 12 vCPUs of the 2 servers in use; 12 of 24 is 50
        assert "only the servers in use" in problem.check((placement, 50)).hint

    def test_placement_memory_share(self):
        """Giving the memory share instead of the vCPU share is named as that mistake."""
        problem = PlacementExercise(seed=0)
        placement, percent = problem.solve().answer
        assert percent == 50
        assert "share of memory" in problem.check((placement, "59.4%")).hint

    def test_placement_other_family(self):
        """Putting an instance on a server of another instance family names the family rule."""
        problem = PlacementExercise(seed=7)
        placement, percent = problem.solve().answer
        assert placement["i-0001"] == "server-1"
        assert placement["i-0002"] == "server-2"
        verdict = problem.check(({**placement, "i-0002": "server-1"}, percent))
        assert verdict.hint == (
            "i-0002 (reddit's m5.large) cannot go on server-1: server-1 already runs c5"
            " instances, and the m5.large is of another family: a server runs one instance"
            " family at a time."
        )

    def test_placement_rounding_is_fine(self):
        """A whole percent, rounded to the nearest, is right; half a point off is the limit."""
        problem = PlacementExercise(seed=40)
        placement, percent = problem.solve().answer
        assert percent == Fraction(75, 2)
        assert problem.check((placement, 38))
        assert problem.check((placement, 37))
        assert not problem.check((placement, 36.9))

    def test_density_swapped(self):
        """Giving the pair the wrong way round is named as that mistake."""
        assert "other way round" in DensityExercise(seed=0).check((64, 42)).hint

    def test_density_forgets_the_vmm(self):
        """Leaving out the Firecracker VMM's memory is named as that mistake."""
        assert "VMM's own memory" in DensityExercise(seed=2).check((7, 8)).hint

    def test_density_same_as_containers(self):
        """Counting microVMs like containers says that a microVM takes more memory."""
        assert "takes more memory than a container" in DensityExercise(seed=3).check((8, 8)).hint

    def test_isolation_other_failure(self):
        """A line that fails with NoSuchFileError does not count as refused by isolation."""
        for problem in problems(IsolationExercise):
            for number, line in enumerate(problem.lines, start=1):
                if "plans.txt" in line.code:
                    verdict = problem.check({*problem.solve().answer, number})
                    assert "not because of isolation: NoSuchFileError" in verdict.hint
                    return
        pytest.fail("no seed asks about a missing file")

    def test_isolation_allowed_line(self):
        """Counting an allowed line says why it is allowed and what it returns."""
        hint = IsolationExercise(seed=7).check({1, 2, 3, 5}).hint
        assert (
            hint == "line 5 is allowed (a VM may always use its own memory): it returns 'hunter2'."
        )

    def test_where_am_i_wrong_layer(self):
        """A wrong VM answer quotes the evidence of the VM files."""
        hint = WhereAmIExercise(seed=7).check(("kvm", "docker")).hint
        assert hint.startswith("the VM layer is not kvm. What its files show: ")
        assert "'VirtualBox' starts with 'VirtualBox': oracle" in hint

    def test_where_am_i_puts_wsl_in_its_hyper_v_vm(self):
        """WSL's kernel never comes with a laptop's own firmware: its VM layer is Hyper-V's."""
        with_wsl = [
            problem
            for problem in map(WhereAmIExercise, range(100))
            if any("WSL2" in text for _, text in problem.files)
        ]
        assert with_wsl, "no seed asks about WSL"
        assert {problem.solve().answer for problem in with_wsl} == {("microsoft", "wsl")}


class TestBadInput:
    """Bad input gets a clear error from the library, never a traceback from deep inside."""

    def test_unknown_name(self):
        """An unknown exercise name suggests the closest one."""
        with pytest.raises(UnknownProductError, match="did you mean 'vm-fit'"):
            exercise("vm-fits", seed=1)

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    @pytest.mark.parametrize("seed", [-1, 1.5, "7", True, None])
    def test_bad_seed(self, kind, seed):
        """A negative, fractional, text, bool or missing seed is refused with the rule."""
        with pytest.raises(InvalidValueError, match="a seed is a whole number from 0 up"):
            kind(seed)

    @pytest.mark.parametrize(
        ("kind", "answer", "words"),
        [
            (VMFitExercise, "web", "should be a set of VM names"),
            (VMFitExercise, {"web": 1}, "should be a set of VM names"),
            (VMFitExercise, 42, "should be a set of VM names"),
            (VMFitExercise, ["nosuchvm"], "is not a VM in this exercise"),
            (HypervisorTypesExercise, ["Xen"], "should be a dict of product"),
            (HypervisorTypesExercise, {"VMware Fusion": 3}, "say 1, 2 or None for 'VMware Fusion'"),
            (HypervisorTypesExercise, {"VMware Fusion": 2}, "says nothing about"),
            (HypervisorTypesExercise, {"Nope": 1}, "is not a product in this exercise"),
            (PlacementExercise, {"i-0001": "server-1"}, "should be a pair"),
            (PlacementExercise, ({"i-0001": "server-1"},), "should be a pair"),
            (PlacementExercise, ({"i-0001": "server-9"}, 50), "is not a server"),
            (PlacementExercise, ({"i-0001": "server-1"}, 50), "places no i-0002"),
            (DensityExercise, 5, "pair of whole numbers"),
            (DensityExercise, (5, "6"), "pair of whole numbers"),
            (DensityExercise, (5, -6), "pair of whole numbers"),
            (DensityExercise, (5.0, 6), "pair of whole numbers"),
            (IsolationExercise, "1, 3", "set of line numbers"),
            (IsolationExercise, {"1"}, "set of line numbers"),
            (IsolationExercise, {9}, "each from 1 to 5"),
            (WhereAmIExercise, "kvm", "pair (vm, container)"),
            (WhereAmIExercise, ("kvmm", None), "not one of systemd's VM identifiers"),
            (WhereAmIExercise, ("docker", None), "is a container identifier"),
            (WhereAmIExercise, (None, 3), "pair (vm, container)"),
            (ExitsExercise, (3, 0), "a triple of counts"),
        ],
    )
    def test_wrong_shape(self, kind, answer, words):
        """An answer of the wrong shape is refused with what shape is expected."""
        with pytest.raises(InvalidValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
            kind(7).check(answer)

    @pytest.mark.parametrize("kind", EXERCISES, ids=IDS)
    @settings(max_examples=60, deadline=None)
    @given(
        answer=st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.tuples(inner, inner)
                | st.dictionaries(st.text(max_size=8), inner, max_size=3)
            ),
            max_leaves=8,
        )
    )
    def test_any_answer_gets_a_verdict_or_a_clear_error(self, kind, answer):
        """Whatever is passed to check(), the result is a Verdict or the library's own error."""
        try:
            verdict = kind(5).check(answer)
        except VMConceptsError:
            return
        assert isinstance(verdict, Verdict)


class TestRegistry:
    """Every chapter has an exercise, and every exercise is public and named."""

    def test_every_chapter_has_an_exercise(self):
        """The five chapters each have one (where-am-i.md has one too)."""
        assert {kind.chapter for kind in EXERCISES} >= CHAPTERS

    def test_chapters_are_pages(self):
        """Each exercise names a page of the site that exists."""
        docs = Path(__file__).resolve().parent.parent / "docs"
        for kind in EXERCISES:
            assert (docs / kind.chapter).is_file(), kind.chapter

    def test_names(self):
        """The names are unique, and exercise() finds each, ignoring case."""
        assert len(set(exercise_names())) == len(EXERCISES)
        for kind in EXERCISES:
            assert type(exercise(kind.name.upper(), seed=3)) is kind

    def test_exported(self):
        """The exercises, exercise() and the result types are part of the public API."""
        for name in ("exercise", "exercise_names", "Solution", "Verdict", "VMFitExercise"):
            assert name in vmconcepts.__all__

    def test_solution_prints_answer_then_explanation(self):
        """Printing a Solution shows the answer, a blank line and the explanation."""
        text = str(DensityExercise(seed=3).solve())
        assert text.startswith("Answer: (7, 8)\n\nEach microVM takes")
        assert isinstance(DensityExercise(seed=3).solve(), Solution)

    def test_solve_runs_the_model_once(self):
        """solve() returns the same Solution each time."""
        problem = IsolationExercise(seed=1)
        assert problem.solve() is problem.solve()
