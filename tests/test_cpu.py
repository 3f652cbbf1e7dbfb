"""Tests for vmconcepts.cpu: a guest program run three ways, and two address translations."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts.cpu import (
    OPERATIONS,
    PAGE_SIZE,
    GuestProgram,
    NestedPaging,
    Operation,
    OperationKind,
    RunCounts,
    Technique,
    Translation,
    technique_for,
)
from vmconcepts.diagram import LayerKind
from vmconcepts.errors import InvalidValueError, UnknownProductError

NAMES = [operation.name for operation in OPERATIONS]
programs = st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=30).map(
    lambda ops: GuestProgram(tuple(ops))
)


def sizes(program: GuestProgram) -> tuple[int, int, int]:
    """Ordinary, privileged and device I/O operations in the program."""
    return (
        program.count(OperationKind.ORDINARY),
        program.count(OperationKind.PRIVILEGED),
        program.count(OperationKind.DEVICE_IO),
    )


class TestOperations:
    """The catalogue names each operation once, with its kind and, for I/O, its device."""

    def test_names_are_unique(self):
        """No two operations share a name, so a program reads one way only."""
        assert len(NAMES) == len(set(NAMES))

    def test_only_device_io_has_a_device(self):
        """A device I/O operation names its device; the others name none."""
        for operation in OPERATIONS:
            assert (operation.device is not None) == (operation.kind is OperationKind.DEVICE_IO)

    def test_every_kind_is_in_the_catalogue(self):
        """Each kind has at least one operation a reader can use."""
        assert {operation.kind for operation in OPERATIONS} == set(OperationKind)

    def test_unknown_name_suggests_the_closest(self):
        """A misspelt name is refused with a suggestion and the list of names."""
        with pytest.raises(UnknownProductError, match="did you mean 'hlt'") as caught:
            Operation.named("halt")
        assert "Known: add, load" in str(caught.value)

    def test_repr_reads_as_code(self):
        """The repr names the operation and its kind, as code would."""
        assert repr(Operation.named("write-cr3")) == (
            "Operation('write-cr3', OperationKind.PRIVILEGED)"
        )


class TestParse:
    """Programs are written as names with optional repeats, and read back the same way."""

    def test_repeats_expand(self):
        """'add x3' is three adds in a row."""
        program = GuestProgram.parse("add x3, hlt")
        assert [op.name for op in program] == ["add", "add", "add", "hlt"]
        assert len(program) == 4

    @given(programs)
    def test_text_round_trips(self, program):
        """Writing a program as text and reading it back gives the same program."""
        assert GuestProgram.parse(program.text()) == program
        assert eval(repr(program)) == program  # noqa: S307 - the repr of our own object

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("", "names separated by commas"),
            ("   ", "names separated by commas"),
            ("add,,hlt", "empty place between two commas"),
            ("add x0", "repeats add 0 times"),
            ("add x", "repeats add no times"),
            ("add x-2", "repeats add -2 times"),
            ("add 3", "optional repeat such as 'add x3'"),
            ("add x3 x4", "optional repeat such as 'add x3'"),
        ],
    )
    def test_bad_text_is_refused(self, text, words):
        """Text that is not a list of names with repeats is refused with an example."""
        with pytest.raises(InvalidValueError, match=words):
            GuestProgram.parse(text)

    def test_text_must_be_text(self):
        """A list passed to parse is refused with the form that works."""
        with pytest.raises(InvalidValueError, match="such as 'add x3, hlt'"):
            GuestProgram.parse(["add"])  # type: ignore[arg-type]

    def test_unknown_name(self):
        """A name that is not an operation is refused by the catalogue."""
        with pytest.raises(UnknownProductError, match="no operation named 'mul'"):
            GuestProgram.parse("add, mul")

    def test_empty_program(self):
        """A program needs at least one operation."""
        with pytest.raises(InvalidValueError, match="at least one operation"):
            GuestProgram(())

    def test_only_operations(self):
        """A program holds Operations, not their names."""
        with pytest.raises(InvalidValueError, match="holds Operations, not 'add'"):
            GuestProgram(("add",))  # type: ignore[arg-type]


class TestBatches:
    """A run of consecutive requests to one device is one batch."""

    @pytest.mark.parametrize(
        ("text", "batches"),
        [
            ("add x3", 0),
            ("disk-read", 1),
            ("disk-read x5", 1),
            ("disk-read, disk-write", 1),
            ("disk-read, net-send", 2),
            ("disk-read, add, disk-read", 2),
            ("net-send x2, disk-write x2, net-send", 3),
        ],
    )
    def test_counts_runs(self, text, batches):
        """Another device, or any other operation, ends a run."""
        assert GuestProgram.parse(text).batches() == batches

    @given(programs)
    def test_batches_are_between_none_and_one_per_request(self, program):
        """There is at least one batch when there is a request, and never more than requests."""
        requests = program.count(OperationKind.DEVICE_IO)
        assert (program.batches() == 0) == (requests == 0)
        assert program.batches() <= requests


class TestRun:
    """Each technique accounts for every operation, and only the right ones leave the guest."""

    def test_the_page_example(self):
        """The program on the page gives the counts the page shows."""
        boot = GuestProgram.parse("add x3, write-cr3, disk-read x4, hlt")
        assert boot.run(Technique.HARDWARE) == RunCounts(Technique.HARDWARE, 3, 0, 6, 0, 0)
        assert boot.run(Technique.PARAVIRTUAL) == RunCounts(Technique.PARAVIRTUAL, 3, 4, 0, 3, 0)
        assert boot.run(Technique.EMULATION) == RunCounts(Technique.EMULATION, 0, 0, 0, 0, 9)

    @given(programs)
    def test_hardware_exits_on_privileged_and_device_operations(self, program):
        """Under hardware support, ordinary operations run directly and the rest exit."""
        ordinary, privileged, requests = sizes(program)
        counts = program.run(Technique.HARDWARE)
        assert counts == RunCounts(Technique.HARDWARE, ordinary, 0, privileged + requests, 0, 0)

    @given(programs)
    def test_paravirtual_pays_one_notification_per_batch(self, program):
        """A paravirtual guest makes a hypercall per privileged operation and per batch."""
        ordinary, privileged, requests = sizes(program)
        counts = program.run(Technique.PARAVIRTUAL)
        hypercalls = privileged + program.batches()
        assert counts == RunCounts(Technique.PARAVIRTUAL, ordinary, requests, 0, hypercalls, 0)

    @given(programs)
    def test_emulation_translates_everything_and_never_exits(self, program):
        """An emulator translates every operation, and nothing exits or calls a hypervisor."""
        counts = program.run(Technique.EMULATION)
        assert counts == RunCounts(Technique.EMULATION, 0, 0, 0, 0, len(program))
        assert counts.transitions == 0

    @given(programs)
    def test_queues_never_cost_more_trips(self, program):
        """Paravirtual never leaves the guest more often, and less often once a queue batches."""
        hardware = program.run(Technique.HARDWARE).transitions
        paravirtual = program.run(Technique.PARAVIRTUAL).transitions
        assert paravirtual <= hardware
        batched = program.batches() < program.count(OperationKind.DEVICE_IO)
        assert (paravirtual < hardware) == batched

    def test_a_technique_is_required(self):
        """Running under anything but a Technique is refused, naming the three."""
        with pytest.raises(InvalidValueError, match=r"Technique\.HARDWARE, Technique\.PARAVIRTUAL"):
            GuestProgram.parse("add").run("hardware")  # type: ignore[arg-type]


class TestReports:
    """The trace and the table read well, and say they show counts."""

    def test_trace_has_a_line_per_operation_and_notification(self):
        """Each operation gets a line, each notification one more, and the counts close it."""
        program = GuestProgram.parse("add, disk-read x2, net-send, hlt")
        lines = program.trace(Technique.PARAVIRTUAL).splitlines()
        assert len(lines) == len(program) + program.batches() + 1
        assert lines[-1] == str(program.run(Technique.PARAVIRTUAL))

    def test_hardware_trace_names_the_exits(self):
        """Under hardware support each device request is one VM exit to an emulated device."""
        trace = GuestProgram.parse("disk-read").trace(Technique.HARDWARE)
        assert " 1  disk-read  VM exit: the hypervisor's emulated disk handles it" in trace

    def test_table_says_counts_not_times(self):
        """The table ends by saying that its numbers are counts."""
        table = GuestProgram.parse("add, hlt").table()
        assert table.endswith("(counts of operations and of trips into the hypervisor, not times)")
        assert len(table.splitlines()) == 1 + len(Technique) + 1

    def test_counts_use_singular_and_plural(self):
        """One VM exit, two hypercalls: the counts read as English."""
        text = str(RunCounts(Technique.PARAVIRTUAL, 1, 0, 1, 2, 0))
        assert "1 VM exit," in text
        assert "2 hypercalls," in text

    def test_descriptions(self):
        """Each technique describes itself in one line that starts with its name."""
        for technique in Technique:
            assert technique.describe().startswith(f"{technique.value}: ")
            assert "\n" not in technique.describe()


class TestTechniqueFor:
    """A guest runs directly only on its own architecture, and today only with an accelerator."""

    @pytest.mark.parametrize(
        ("guest", "host", "accelerated", "technique"),
        [
            ("x86_64", "x86_64", True, Technique.HARDWARE),
            ("arm64", "arm64", True, Technique.HARDWARE),
            ("x86_64", "arm64", True, Technique.EMULATION),
            ("arm64", "x86_64", True, Technique.EMULATION),
            ("x86_64", "x86_64", False, Technique.EMULATION),
        ],
    )
    def test_matrix(self, guest, host, accelerated, technique):
        """Same architecture and an accelerator: hardware; anything else: emulation."""
        assert technique_for(guest, host, accelerated=accelerated) is technique

    @given(
        st.sampled_from(["x86_64", "arm64"]), st.sampled_from(["x86_64", "arm64"]), st.booleans()
    )
    def test_never_paravirtual(self, guest, host, accelerated):
        """The processor alone never makes a guest paravirtual: that needs a modified kernel."""
        technique = technique_for(guest, host, accelerated=accelerated)
        assert technique is not Technique.PARAVIRTUAL

    def test_unknown_architecture(self):
        """An alias such as aarch64 is refused with the library's name for it."""
        with pytest.raises(InvalidValueError, match="for aarch64 write 'arm64'"):
            technique_for("x86_64", "aarch64")


PAGING = NestedPaging(guest={0x0: 0x5, 0x1: 0x9, 0x2: 0x7}, host={0x5: 0x2A, 0x9: 0x13})


class TestNestedPaging:
    """Two tables, walked one after the other; a miss names the table and the fix."""

    def test_two_steps(self):
        """The page changes twice and the offset stays."""
        step = PAGING.translate(0x1ABC)
        assert step == Translation(0x1ABC, 0x9ABC, 0x13ABC)
        assert step.offset == 0xABC

    def test_the_text_shows_both_entries(self):
        """Printing a translation shows each step with the table entry it used."""
        lines = str(PAGING.translate(0x0123)).splitlines()
        assert lines[0].endswith("(guest page table: page 0x0 -> 0x5)")
        assert lines[1].endswith("(EPT / nested page table: page 0x5 -> 0x2a)")

    def test_guest_miss_names_the_guest_table(self):
        """An unmapped guest virtual page is the guest kernel's page fault, and says so."""
        with pytest.raises(InvalidValueError, match="the guest page table does not map") as caught:
            PAGING.translate(0x3000)
        assert "page fault and maps it, or ends the program" in str(caught.value)
        assert "Add an entry for page 0x3 to the guest table, such as 0x3: 0xa." in str(
            caught.value
        )

    def test_host_miss_names_the_ept(self):
        """An unmapped guest physical page is an EPT violation or AMD's nested page fault."""
        with pytest.raises(InvalidValueError, match="no entry in the EPT") as caught:
            PAGING.translate(0x2FFF)
        assert "EPT violation (AMD: a nested page fault), a VM exit" in str(caught.value)
        assert "such as 0x7: 0x2b." in str(caught.value)

    def test_the_suggested_fix_works(self):
        """Adding the entry the error suggests makes the translation succeed."""
        fixed = NestedPaging(guest=dict(PAGING.guest), host={**dict(PAGING.host), 0x7: 0x2B})
        assert fixed.translate(0x2FFF).host_physical == 0x2BFFF

    @pytest.mark.parametrize("address", [-1, 1.5, "0x10", True, None])
    def test_bad_addresses(self, address):
        """An address is a whole number from 0 up."""
        with pytest.raises(InvalidValueError, match="whole number from 0 up"):
            PAGING.translate(address)

    @pytest.mark.parametrize(
        ("guest", "host"),
        [([(0, 1)], {}), ({0: 1}, None), ({-1: 1}, {}), ({0: "1"}, {}), ({0: 1}, {True: 1})],
    )
    def test_bad_tables(self, guest, host):
        """A table is a dict of whole numbers from 0 up."""
        with pytest.raises(InvalidValueError):
            NestedPaging(guest=guest, host=host)

    def test_repr_and_text(self):
        """The repr reads as code and the text lists both tables, in hexadecimal."""
        assert repr(NestedPaging(guest={1: 5}, host={5: 42})) == (
            "NestedPaging(guest={0x1: 0x5}, host={0x5: 0x2a})"
        )
        guest, host = str(NestedPaging(guest={}, host={5: 42})).splitlines()
        assert guest == "guest page table (guest virtual page -> guest physical page): empty"
        assert host.endswith("(guest physical page -> host physical page): 0x5 -> 0x2a")

    @given(
        entries=st.dictionaries(st.integers(0, 63), st.integers(0, 63), min_size=1, max_size=16),
        frames=st.lists(st.integers(0, 1023), min_size=64, max_size=64, unique=True),
        offset=st.integers(0, PAGE_SIZE - 1),
    )
    def test_offset_kept_and_host_page_owned(self, entries, frames, offset):
        """Any mapped address keeps its offset and lands on a host page its table maps."""
        paging = NestedPaging(guest=entries, host=dict(enumerate(frames)))
        for page in entries:
            step = paging.translate(page * PAGE_SIZE + offset)
            assert step.offset == offset == step.host_physical % PAGE_SIZE
            assert step.host_physical // PAGE_SIZE in paging.host_pages

    def test_two_guests_same_physical_page_different_host_pages(self):
        """Guest physical page 0x5 in two VMs is two different host pages: each VM's own."""
        web = NestedPaging(guest={0x0: 0x5}, host={0x5: 0x2A})
        db = NestedPaging(guest={0x0: 0x5}, host={0x5: 0x31})
        assert web.translate(0x10).guest_physical == db.translate(0x10).guest_physical
        assert web.translate(0x10).host_physical != db.translate(0x10).host_physical
        assert web.host_pages.isdisjoint(db.host_pages)


class TestDiagram:
    """The translation diagram is drawn from the model, bottom up, and described in words."""

    def test_rows_from_hardware_to_app(self):
        """Five rows: host memory, EPT, guest physical, guest page table, guest virtual."""
        stack = PAGING.translate(0x1234).stack()
        kinds = [row[0].kind for row in stack.rows]
        assert kinds == [
            LayerKind.HARDWARE,
            LayerKind.HYPERVISOR,
            LayerKind.VIRTUAL_MACHINE,
            LayerKind.GUEST_OS,
            LayerKind.APP,
        ]

    def test_text_alternative(self):
        """The SVG carries a description that reads the translation in words."""
        stack = PAGING.translate(0x1234).stack()
        assert stack.describe().startswith("From the bottom up: host physical 0x13234 (hardware)")
        assert "<desc" in stack.to_svg("under-the-hood-translation")
