"""Tests for vmconcepts.overcommit: the host's policy, and what taking memory back does."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts.errors import InvalidValueError, NotEnoughResourcesError
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.overcommit import GuestMemory, Overcommit, Pressure, reclaim
from vmconcepts.resources import Resources, Size

GIB = 1024**3
HARDWARE = Resources(8, "16 GiB", "1 TiB")


class TestPolicy:
    """A policy is a pair of optional ratios, shown as the call that makes it."""

    def test_default_has_no_limit(self):
        """The default promises without limit, as real hypervisors do."""
        assert Overcommit().limit(HARDWARE) == (None, None)
        assert str(Overcommit()).startswith("no limit")

    def test_strict_promises_only_the_hardware(self):
        """The strict policy's limit is the hardware itself, and its repr names it."""
        assert Overcommit.strict().limit(HARDWARE) == (8, Size("16 GiB"))
        assert repr(Overcommit.strict()) == "Overcommit.strict()"
        assert Overcommit(vcpu_ratio=1, memory_ratio=1) == Overcommit.strict()

    def test_ratios_multiply_and_round_down(self):
        """A ratio of 1.5 on 8 threads and 16 GiB allows 12 vCPUs and 24 GiB."""
        policy = Overcommit(vcpu_ratio=1.5, memory_ratio=Fraction(3, 2))
        assert policy.limit(HARDWARE) == (12, Size("24 GiB"))
        assert repr(policy) == "Overcommit(vcpu_ratio=1.5, memory_ratio=1.5)"
        assert eval(repr(policy)) == policy  # noqa: S307 - the repr of our own object

    def test_words_for_a_mixed_policy(self):
        """A policy with one limit says which one."""
        assert str(Overcommit(memory_ratio=2)) == (
            "vCPUs without limit; up to 2 times the host's memory"
        )

    @pytest.mark.parametrize("ratio", [0.5, 0, -1, float("nan"), float("inf"), "2", True])
    def test_bad_ratios_are_refused(self, ratio):
        """A ratio is None or a finite number of at least 1."""
        with pytest.raises(InvalidValueError, match="vcpu_ratio"):
            Overcommit(vcpu_ratio=ratio)


class TestReclaim:
    """The excess is taken back from the quietest guests first, exactly and never more."""

    def test_nothing_is_taken_while_use_fits(self):
        """Guests that use no more than the host has lose nothing."""
        taken = reclaim(Size("16 GiB"), [("a", Size("8 GiB")), ("b", Size("8 GiB"))])
        assert taken == {"a": Size(0), "b": Size(0)}

    def test_the_quietest_pays_first(self):
        """The longest-idle guest gives up all it must before the next one gives anything."""
        taken = reclaim(
            Size("8 GiB"),
            [("idle", Size("3 GiB")), ("mid", Size("4 GiB")), ("busy", Size("4 GiB"))],
        )
        assert taken == {"idle": Size("3 GiB"), "mid": Size(0), "busy": Size(0)}

    @given(
        ram_gib=st.integers(min_value=1, max_value=32),
        uses_gib=st.lists(st.integers(min_value=0, max_value=16), max_size=6),
    )
    def test_exactly_the_excess_is_taken(self, ram_gib, uses_gib):
        """What is taken adds up to the excess, no guest loses more than it uses, quietest first."""
        uses = [(f"vm{i}", Size(gib * GIB)) for i, gib in enumerate(uses_gib)]
        taken = reclaim(Size(ram_gib * GIB), uses)
        excess = max(sum(uses_gib) - ram_gib, 0) * GIB
        assert sum(size.bytes for size in taken.values()) == excess
        for name, use in uses:
            assert Size(0) <= taken[name] <= use
        losers = [i for i, (name, _) in enumerate(uses) if taken[name]]
        for i in range(max(losers, default=-1)):
            name, use = uses[i]
            assert taken[name] == use  # every guest quieter than a loser gave all it had


class TestPressureOnAHost:
    """A host under memory pressure slows its quiet guests and keeps every guest's state."""

    @given(uses_gib=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=5))
    def test_state_survives_any_pressure(self, uses_gib):
        """However much is taken back, each guest still reads what it wrote."""
        server = Machine("box", "server", Resources(4, "8 GiB"), os="Ubuntu 24.04")
        host = Hypervisor.named("KVM").install_on(server)
        vms = []
        for i, gib in enumerate(uses_gib):
            vm = host.create_vm(f"vm{i}", "Debian 12", Resources(1, "8 GiB"))
            vm.start()
            vm.write_memory("mine", vm.name)
            vm.use_memory(Size(gib * GIB))
            vms.append(vm)
        pressure = host.pressure()
        assert pressure.reclaimed.bytes == max(sum(uses_gib) - 8, 0) * GIB
        for vm in vms:
            assert vm.read_memory("mine") == vm.name

    def test_a_paused_guest_is_quiet(self):
        """Pausing is not activity: a guest that was paused early is the first to lose memory."""
        server = Machine("box", "server", Resources(4, "8 GiB"), os="Ubuntu 24.04")
        host = Hypervisor.named("KVM").install_on(server)
        first = host.create_vm("first", "Debian 12", Resources(1, "6 GiB"))
        second = host.create_vm("second", "Debian 12", Resources(1, "6 GiB"))
        first.start()
        second.start()
        first.pause()
        second.use_memory("5 GiB")
        assert host.pressure().guest("first").reclaimed == Size("3 GiB")

    def test_strict_policy_never_comes_under_pressure(self):
        """With nothing promised beyond the hardware, nothing ever has to be taken back."""
        server = Machine("box", "server", Resources(4, "8 GiB"))
        host = Hypervisor.named("Xen").install_on(server, overcommit=Overcommit.strict())
        host.create_vm("a", "Debian 12", Resources(2, "6 GiB")).start()
        with pytest.raises(NotEnoughResourcesError):
            host.create_vm("b", "Debian 12", Resources(2, "6 GiB")).start()
        assert host.pressure().reclaimed == Size(0)


class TestReport:
    """The pressure report reads as a table plus two sentences."""

    def test_cpu_line_with_room(self):
        """With fewer vCPUs than threads, each vCPU can have a thread."""
        text = str(Pressure(Size("8 GiB"), 4, 2, ()))
        assert text.endswith(
            "vCPUs: 2 running on 4 hardware threads; each can have a thread of its own"
        )

    def test_cpu_line_when_crowded(self):
        """With more vCPUs than threads, the share of a thread is a reduced fraction."""
        assert "each gets 1/2 of a thread" in str(Pressure(Size("8 GiB"), 4, 8, ()))

    def test_unknown_guest(self):
        """Asking for a VM that is not in the report is a clear error."""
        row = GuestMemory("a", Size("1 GiB"), Size("1 GiB"), Size(0))
        with pytest.raises(InvalidValueError, match="no running or paused VM named 'b'"):
            Pressure(Size("8 GiB"), 4, 1, (row,)).guest("b")
