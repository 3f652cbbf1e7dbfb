"""How a CPU runs a guest: a tiny guest program run three ways, and two address translations.

A `GuestProgram` is a straight run of operations: ordinary ones (``add``, ``load``,
``store``), privileged ones (``write-cr3`` switches page tables, ``hlt`` halts the CPU) and
accesses to a device (``disk-read``, ``disk-write``, ``net-send``). `GuestProgram.run` runs
it under one `Technique` and returns `RunCounts`: how many operations ran directly on the
processor, how many were queued for a device, and how many VM exits, hypercalls and
translated instructions the run caused.

- `Technique.HARDWARE`: trap-and-emulate with hardware support (Intel VT-x: VMX root and
  non-root operation, VM entries and VM exits, Intel SDM Vol. 3C; AMD-V, "Secure Virtual
  Machine", AMD APM Vol. 2, chapter 15). The unmodified guest runs on the processor; each
  privileged operation is a VM exit, and so is each request to an emulated device. The
  model simplifies here: a real emulated device exits on each register access, often
  several per request; some, such as an emulated NVMe drive, keep requests in rings in
  memory and take a batch with one doorbell write (QEMU docs, "NVMe Emulation"; NVM Express
  Base Specification, "Submission Queue Tail Doorbell"); and the interrupts that report
  finished requests are left out.
- `Technique.PARAVIRTUAL`: a guest kernel modified to call the hypervisor instead of running
  privileged instructions, as Xen's guests did (Barham et al., SOSP 2003), with virtio-style
  queues (Russell, 2008; OASIS VIRTIO 1.2, 2022): each privileged operation is a hypercall,
  device requests are written to a queue in memory, and each run of consecutive requests to
  one device costs a single notification, one hypercall.
- `Technique.EMULATION`: every instruction is translated in software, as QEMU's TCG does
  (QEMU docs, "System Emulation: Introduction"): nothing runs directly and nothing exits.
  Left out: an emulated guest can use virtio devices too, and each device access calls out
  of the translated code into the emulator's device model (QEMU docs, "The memory API").

These are counts, not times: the model says how often the guest leaves the processor for the
hypervisor, never how long that takes. Which privileged operations exit is, on a real
processor, the hypervisor's choice (VT-x has a control per kind, such as "HLT exiting" and
"CR3-load exiting"); the model makes every privileged operation exit.

`NestedPaging` is the memory half: a guest page table (guest virtual page to guest physical
page, kept by the guest's kernel) and a host table (guest physical page to host physical
page, kept by the hypervisor: Intel's EPT, AMD's nested page tables). `NestedPaging.translate`
shows both steps, and says which table misses when one does. Real tables have four or five
levels; the model's have one, with 4 KiB pages.

Examples:
    >>> boot = GuestProgram.parse("add x3, write-cr3, disk-read x4, hlt")
    >>> boot.run(Technique.HARDWARE)
    RunCounts(technique=Technique.HARDWARE, direct=3, queued=0, exits=6, hypercalls=0, translated=0)
    >>> print(boot.run(Technique.PARAVIRTUAL))
    paravirtual: 3 run directly, 4 queued, 0 VM exits, 3 hypercalls, 0 translated
    >>> paging = NestedPaging(guest={0x1: 0x5}, host={0x5: 0x2A})
    >>> print(paging.translate(0x1234))
    guest virtual  0x1234 -> guest physical 0x5234  (guest page table: page 0x1 -> 0x5)
    guest physical 0x5234 -> host physical  0x2a234 (EPT / nested page table: page 0x5 -> 0x2a)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from vmconcepts._text import counted
from vmconcepts.architecture import Architecture, check_architecture
from vmconcepts.diagram import Layer, LayerKind, Stack
from vmconcepts.errors import InvalidValueError, UnknownProductError

__all__ = [
    "OPERATIONS",
    "PAGE_SIZE",
    "GuestProgram",
    "NestedPaging",
    "Operation",
    "OperationKind",
    "RunCounts",
    "Technique",
    "Translation",
    "technique_for",
]

#: The size of a page in the address-translation model: 4 KiB, x86's smallest page.
PAGE_SIZE = 4096
_OFFSET_BITS = 12  # 4096 == 1 << 12: the low 12 bits of an address are its offset in the page


class OperationKind(enum.Enum):
    """What an operation of a guest program is, which decides what each technique does with it.

    Examples:
        >>> OperationKind.PRIVILEGED
        OperationKind.PRIVILEGED
        >>> [kind.value for kind in OperationKind]
        ['ordinary', 'privileged', 'device I/O']
    """

    ORDINARY = "ordinary"
    PRIVILEGED = "privileged"
    DEVICE_IO = "device I/O"

    def __repr__(self) -> str:
        """Show the kind as it is written in code."""
        return f"{type(self).__name__}.{self.name}"


@dataclass(frozen=True)
class Operation:
    """One operation of a guest program: an instruction, or one request to a device.

    Args:
        name: Its name in a program, e.g. ``"write-cr3"``.
        kind: Ordinary, privileged or device I/O.
        does: What it does, in a few words.
        device: The device a device I/O operation goes to (``"disk"`` or ``"network card"``);
            ``None`` for the other kinds.

    Examples:
        >>> Operation.named("hlt")
        Operation('hlt', OperationKind.PRIVILEGED)
        >>> Operation.named("net-send").device
        'network card'
    """

    name: str
    kind: OperationKind
    does: str
    device: str | None = None

    def __repr__(self) -> str:
        """Show the name and kind only; `does` is for tables and traces."""
        return f"Operation({self.name!r}, {self.kind!r})"

    @classmethod
    def named(cls, name: str) -> Operation:
        """Look an operation up in `OPERATIONS` by name.

        Raises:
            UnknownProductError: No operation has that name; the message suggests the
                closest and lists the rest.

        Examples:
            >>> Operation.named("ad")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.UnknownProductError: no operation named 'ad'; did you mean 'add'? Known: add, load, store, write-cr3, hlt, disk-read, disk-write, net-send
        """
        for operation in OPERATIONS:
            if operation.name == name:
                return operation
        what = "operation"
        raise UnknownProductError(what, str(name), (op.name for op in OPERATIONS))


#: Every operation a `GuestProgram` can hold: ordinary, then privileged, then device I/O.
OPERATIONS: tuple[Operation, ...] = (
    Operation("add", OperationKind.ORDINARY, "add two registers"),
    Operation("load", OperationKind.ORDINARY, "read a word of the guest's own memory"),
    Operation("store", OperationKind.ORDINARY, "write a word of the guest's own memory"),
    Operation("write-cr3", OperationKind.PRIVILEGED, "switch to another page table (MOV to CR3)"),
    Operation("hlt", OperationKind.PRIVILEGED, "halt the CPU until the next interrupt (HLT)"),
    Operation("disk-read", OperationKind.DEVICE_IO, "ask the disk for a block", "disk"),
    Operation("disk-write", OperationKind.DEVICE_IO, "hand the disk a block to write", "disk"),
    Operation(
        "net-send", OperationKind.DEVICE_IO, "hand the network card a packet", "network card"
    ),
)


class Technique(enum.Enum):
    """How a guest's instructions get run: three ways to make a virtual machine.

    Examples:
        >>> Technique.HARDWARE
        Technique.HARDWARE
        >>> [technique.value for technique in Technique]
        ['hardware-assisted', 'paravirtual', 'emulation']
        >>> print(Technique.EMULATION.describe())
        emulation: every instruction is translated in software, as QEMU's TCG does; nothing runs directly on the processor, so nothing exits
    """

    HARDWARE = "hardware-assisted"
    PARAVIRTUAL = "paravirtual"
    EMULATION = "emulation"

    def __repr__(self) -> str:
        """Show the technique as it is written in code."""
        return f"{type(self).__name__}.{self.name}"

    def describe(self) -> str:
        """Say in one line what the technique does with each kind of operation."""
        return f"{self.value}: {_DESCRIPTIONS[self]}"


_DESCRIPTIONS = {
    Technique.HARDWARE: (
        "the unmodified guest runs on the processor (Intel VT-x, AMD-V, Arm's EL2); each privileged"
        " operation and each request to an emulated device is a VM exit"
    ),
    Technique.PARAVIRTUAL: (
        "the modified guest kernel makes a hypercall instead of each privileged operation,"
        " and queues device requests, notifying the device once per run of requests"
    ),
    Technique.EMULATION: (
        "every instruction is translated in software, as QEMU's TCG does; nothing runs"
        " directly on the processor, so nothing exits"
    ),
}


def technique_for(
    guest: Architecture, host: Architecture, *, accelerated: bool = True
) -> Technique:
    """Which technique runs a guest built for ``guest`` on a processor of ``host``.

    A guest runs directly only on a processor of its own architecture and, with today's
    hypervisors, only with the processor's virtualization support (QEMU calls that an
    accelerator: KVM, HVF or WHPX); binary translation and Xen's paravirtualization once did
    without it. Otherwise every instruction must be translated: QEMU's default, TCG (QEMU
    docs, "System Emulation: Introduction"). The answer is never `Technique.PARAVIRTUAL`:
    that takes a modified guest kernel, not a kind of processor.

    Args:
        guest: The architecture the guest is built for, e.g. ``"x86_64"``.
        host: The host processor's architecture, e.g. ``"arm64"``.
        accelerated: Whether the hypervisor uses the processor's virtualization support;
            QEMU without ``-accel`` does not.

    Raises:
        InvalidValueError: An architecture the library does not know.

    Examples:
        >>> technique_for("x86_64", "arm64")
        Technique.EMULATION
        >>> technique_for("arm64", "arm64")
        Technique.HARDWARE
        >>> technique_for("arm64", "arm64", accelerated=False)
        Technique.EMULATION
    """
    guest = check_architecture(guest, "the guest")
    host = check_architecture(host, "the host")
    if guest != host or not accelerated:
        return Technique.EMULATION
    return Technique.HARDWARE


@dataclass(frozen=True)
class RunCounts:
    """What running a guest program under one technique caused: counts, never times.

    Args:
        technique: The technique the program ran under.
        direct: Operations that ran directly on the processor.
        queued: Device requests written to a shared queue, without leaving the guest.
        exits: VM exits: times the processor stopped the guest and entered the hypervisor.
        hypercalls: Times the guest called the hypervisor itself.
        translated: Instructions the emulator translated in software.

    Examples:
        >>> counts = RunCounts(Technique.HARDWARE, direct=5, queued=0, exits=1, hypercalls=0, translated=0)
        >>> print(counts)
        hardware-assisted: 5 run directly, 0 queued, 1 VM exit, 0 hypercalls, 0 translated
        >>> counts.transitions
        1
    """

    technique: Technique
    direct: int
    queued: int
    exits: int
    hypercalls: int
    translated: int

    @property
    def transitions(self) -> int:
        """Trips from the guest into the hypervisor: VM exits plus hypercalls."""
        return self.exits + self.hypercalls

    def __str__(self) -> str:
        """One line: the technique and each count."""
        return (
            f"{self.technique.value}: {self.direct} run directly, {self.queued} queued,"
            f" {counted(self.exits, 'VM exit')}, {counted(self.hypercalls, 'hypercall')},"
            f" {self.translated} translated"
        )


class _Effect(enum.Enum):
    """What happened to one operation: the five outcomes `RunCounts` counts."""

    DIRECT = "direct"
    QUEUED = "queued"
    EXIT = "exit"
    HYPERCALL = "hypercall"
    TRANSLATED = "translated"


@dataclass(frozen=True)
class _Step:
    """What one technique did with one operation, and the notification that followed, if any."""

    operation: Operation
    effect: _Effect
    outcome: str
    notification: str = ""


@dataclass(frozen=True)
class GuestProgram:
    """A guest's program: a straight run of operations, executed once from first to last.

    Write one with `parse`, as names separated by commas, with ``xN`` to repeat one N times.

    Args:
        operations: The operations, first to last.

    Raises:
        InvalidValueError: The program is empty or holds something that is not an `Operation`.

    Examples:
        >>> program = GuestProgram.parse("load, add x2, store, disk-write x2, net-send, hlt")
        >>> program
        GuestProgram.parse('load, add x2, store, disk-write x2, net-send, hlt')
        >>> len(program), program.count(OperationKind.DEVICE_IO)
        (8, 3)
        >>> print(program.table())
        technique          run directly  queued  VM exits  hypercalls  translated
        hardware-assisted             4       0         4           0           0
        paravirtual                   4       3         0           3           0
        emulation                     0       0         0           0           8
        (counts of operations and of trips into the hypervisor, not times)
    """

    operations: tuple[Operation, ...]

    def __post_init__(self) -> None:
        """Check the program has operations, and only operations."""
        operations = tuple(self.operations)
        if not operations:
            msg = "a guest program needs at least one operation, such as GuestProgram.parse('add x3, hlt')"
            raise InvalidValueError(msg)
        for operation in operations:
            if not isinstance(operation, Operation):
                msg = (
                    f"a guest program holds Operations, not {operation!r};"
                    " use Operation.named('add'), or GuestProgram.parse('add x3, hlt')"
                )
                raise InvalidValueError(msg)
        object.__setattr__(self, "operations", operations)

    @classmethod
    def parse(cls, text: str) -> GuestProgram:
        """Read a program written as names separated by commas, ``xN`` repeating one N times.

        Raises:
            InvalidValueError: Empty text, or a repeat that is not a whole number from 1 up.
            UnknownProductError: A name that is not in `OPERATIONS`.

        Examples:
            >>> GuestProgram.parse("add x2, hlt").operations
            (Operation('add', OperationKind.ORDINARY), Operation('add', OperationKind.ORDINARY), Operation('hlt', OperationKind.PRIVILEGED))
            >>> GuestProgram.parse("add x0")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidValueError: 'add x0' repeats add 0 times; after the x write a whole number from 1 up, such as 'add x3'
        """
        if not isinstance(text, str) or not text.strip():
            msg = (
                f"write a program as names separated by commas, such as 'add x3, hlt', not {text!r}"
            )
            raise InvalidValueError(msg)
        operations: list[Operation] = []
        for part in text.split(","):
            words = part.split()
            if not words:
                msg = f"{text!r} has an empty place between two commas; write one name in each"
                raise InvalidValueError(msg)
            operation = Operation.named(words[0])
            times = 1
            if len(words) > 2 or (len(words) == 2 and not words[1].startswith("x")):  # noqa: PLR2004 - a name and its repeat
                msg = f"{part.strip()!r} is not a name with an optional repeat such as 'add x3'"
                raise InvalidValueError(msg)
            if len(words) == 2:  # noqa: PLR2004 - a name and its repeat
                repeat = words[1][1:]
                times = int(repeat) if repeat.isdigit() else 0
                if times < 1:
                    msg = (
                        f"{part.strip()!r} repeats {words[0]} {repeat or 'no'} times;"
                        " after the x write a whole number from 1 up, such as 'add x3'"
                    )
                    raise InvalidValueError(msg)
            operations.extend([operation] * times)
        return cls(tuple(operations))

    def __repr__(self) -> str:
        """Show the program as the `parse` call that makes it."""
        return f"GuestProgram.parse({self.text()!r})"

    def __len__(self) -> int:
        """The number of operations."""
        return len(self.operations)

    def __iter__(self) -> Iterator[Operation]:
        """The operations, first to last."""
        return iter(self.operations)

    def text(self) -> str:
        """The program as `parse` reads it, with each repeated operation written once.

        Examples:
            >>> GuestProgram.parse("add, add, add, hlt").text()
            'add x3, hlt'
        """
        parts = []
        for name, times in self._repeats():
            parts.append(name if times == 1 else f"{name} x{times}")
        return ", ".join(parts)

    def _repeats(self) -> list[tuple[str, int]]:
        """Each run of one operation repeated, as its name and how many times."""
        runs: list[tuple[str, int]] = []
        for operation in self.operations:
            if runs and runs[-1][0] == operation.name:
                runs[-1] = (operation.name, runs[-1][1] + 1)
            else:
                runs.append((operation.name, 1))
        return runs

    def count(self, kind: OperationKind) -> int:
        """How many operations of this kind the program holds.

        Examples:
            >>> GuestProgram.parse("add x3, hlt").count(OperationKind.ORDINARY)
            3
        """
        return sum(1 for operation in self.operations if operation.kind is kind)

    def batches(self) -> int:
        """How many runs of consecutive requests to one device the program holds.

        A paravirtual driver puts a run into the device's queue and notifies the device
        once, after the last request of the run. A request to another device, or any other
        operation, ends the run.

        Examples:
            >>> GuestProgram.parse("disk-read x3, disk-write, net-send x2, add, disk-read").batches()
            3
        """
        batches = 0
        previous: str | None = None
        for operation in self.operations:
            device = operation.device
            if device is not None and device != previous:
                batches += 1
            previous = device
        return batches

    def _steps(self, technique: Technique) -> list[_Step]:
        """What ``technique`` does with each operation, in order."""
        steps: list[_Step] = []
        for index, operation in enumerate(self.operations):
            kind = operation.kind
            if technique is Technique.EMULATION:
                what = {
                    OperationKind.ORDINARY: "turns it into host instructions",
                    OperationKind.PRIVILEGED: "updates its software model of the CPU",
                    OperationKind.DEVICE_IO: f"answers with its software {operation.device}",
                }[kind]
                steps.append(
                    _Step(operation, _Effect.TRANSLATED, f"translated: the emulator {what}")
                )
            elif kind is OperationKind.ORDINARY:
                steps.append(_Step(operation, _Effect.DIRECT, "runs directly on the processor"))
            elif kind is OperationKind.PRIVILEGED and technique is Technique.HARDWARE:
                outcome = "VM exit: the hypervisor handles it for the guest"
                steps.append(_Step(operation, _Effect.EXIT, outcome))
            elif kind is OperationKind.PRIVILEGED:
                outcome = "hypercall: the guest kernel asks the hypervisor to do it"
                steps.append(_Step(operation, _Effect.HYPERCALL, outcome))
            elif technique is Technique.HARDWARE:
                outcome = f"VM exit: the hypervisor's emulated {operation.device} handles it"
                steps.append(_Step(operation, _Effect.EXIT, outcome))
            else:
                following = self.operations[index + 1 : index + 2]
                last_of_run = not following or following[0].device != operation.device
                notify = f"notify the {operation.device} once: hypercall" if last_of_run else ""
                outcome = f"queued for the {operation.device}"
                steps.append(_Step(operation, _Effect.QUEUED, outcome, notify))
        return steps

    def run(self, technique: Technique) -> RunCounts:
        """Run the program once under ``technique`` and count what happened.

        Raises:
            InvalidValueError: ``technique`` is not a `Technique`.

        Examples:
            >>> program = GuestProgram.parse("add x2, disk-read x3, hlt")
            >>> [program.run(t).transitions for t in Technique]
            [4, 2, 0]
        """
        if not isinstance(technique, Technique):
            known = ", ".join(f"Technique.{t.name}" for t in Technique)
            msg = f"run a program under a Technique ({known}), not {technique!r}"
            raise InvalidValueError(msg)
        steps = self._steps(technique)
        effects = [step.effect for step in steps]
        notifications = sum(1 for step in steps if step.notification)
        return RunCounts(
            technique=technique,
            direct=effects.count(_Effect.DIRECT),
            queued=effects.count(_Effect.QUEUED),
            exits=effects.count(_Effect.EXIT),
            hypercalls=effects.count(_Effect.HYPERCALL) + notifications,
            translated=effects.count(_Effect.TRANSLATED),
        )

    def trace(self, technique: Technique) -> str:
        """Say what ``technique`` does with each operation, then the counts.

        Examples:
            >>> print(GuestProgram.parse("add, disk-read x2, hlt").trace(Technique.PARAVIRTUAL))
             1  add        runs directly on the processor
             2  disk-read  queued for the disk
             3  disk-read  queued for the disk
                           -> notify the disk once: hypercall
             4  hlt        hypercall: the guest kernel asks the hypervisor to do it
            paravirtual: 1 run directly, 2 queued, 0 VM exits, 2 hypercalls, 0 translated
        """
        counts = self.run(technique)
        width = max(len(operation.name) for operation in self.operations) + 2
        lines = []
        for number, step in enumerate(self._steps(technique), start=1):
            lines.append(f"{number:>2}  {step.operation.name:<{width}}{step.outcome}")
            if step.notification:
                lines.append(f"{'':>4}{'':<{width}}-> {step.notification}")
        return "\n".join([*lines, str(counts)])

    def table(self) -> str:
        """A table of the counts under each technique, labelled as counts.

        Examples:
            >>> print(GuestProgram.parse("add, hlt").table().splitlines()[0])
            technique          run directly  queued  VM exits  hypercalls  translated
        """
        headings = ("run directly", "queued", "VM exits", "hypercalls", "translated")
        lines = ["technique        " + "".join(f"  {heading}" for heading in headings)]
        for technique in Technique:
            counts = self.run(technique)
            values = (counts.direct, counts.queued, counts.exits, counts.hypercalls)
            cells = [*values, counts.translated]
            row = "".join(
                f"  {value:>{len(heading)}}" for value, heading in zip(cells, headings, strict=True)
            )
            lines.append(f"{technique.value:<17}{row}")
        lines.append("(counts of operations and of trips into the hypervisor, not times)")
        return "\n".join(lines)


def _hex(value: int) -> str:
    return f"{value:#x}"


def _check_address(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{what} is a whole number from 0 up, such as 0x1234, not {value!r}"
        raise InvalidValueError(msg)
    return value


def _table(entries: Mapping[int, int], what: str) -> tuple[tuple[int, int], ...]:
    """Check a page table given as a dict of page numbers, and store it as sorted pairs."""
    if not isinstance(entries, Mapping):
        msg = f"the {what} is a dict of page numbers, such as {{0x1: 0x5}}, not {entries!r}"
        raise InvalidValueError(msg)
    pairs = []
    for page, frame in entries.items():
        _check_address(page, f"a page number in the {what}")
        _check_address(frame, f"a page number in the {what}")
        pairs.append((page, frame))
    return tuple(sorted(pairs))


@dataclass(frozen=True)
class Translation:
    """One address translated twice: guest virtual to guest physical to host physical.

    Get one from `NestedPaging.translate`.

    Examples:
        >>> step = Translation(0x1234, 0x5234, 0x2A234)
        >>> step.guest_physical == 0x5234, step.offset
        (True, 564)
        >>> print(step.stack().to_text())
        Guest virtual 0x1234, translated twice
        +-------------------------------------------+
        |            guest virtual 0x1234           |
        +-------------------------------------------+
        |     guest page table: page 0x1 -> 0x5     |
        +-------------------------------------------+
        |           guest physical 0x5234           |
        +-------------------------------------------+
        | EPT / nested page table: page 0x5 -> 0x2a |
        +-------------------------------------------+
        |           host physical 0x2a234           |
        +-------------------------------------------+
    """

    guest_virtual: int
    guest_physical: int
    host_physical: int

    def __repr__(self) -> str:
        """Show the three addresses in hexadecimal, as page tables are read."""
        return (
            f"Translation(guest_virtual={_hex(self.guest_virtual)},"
            f" guest_physical={_hex(self.guest_physical)},"
            f" host_physical={_hex(self.host_physical)})"
        )

    @property
    def offset(self) -> int:
        """The place within the page, which neither translation changes."""
        return self.guest_virtual % PAGE_SIZE

    def __str__(self) -> str:
        """Two lines, one per translation, each with the table entry it used."""
        gv, gp, hp = (
            _hex(a) for a in (self.guest_virtual, self.guest_physical, self.host_physical)
        )
        width = max(len(gv), len(gp))
        first = f"guest virtual  {gv:<{width}} -> guest physical {gp:<{len(hp)}}"
        second = f"guest physical {gp:<{width}} -> host physical  {hp}"
        pages = [
            a >> _OFFSET_BITS for a in (self.guest_virtual, self.guest_physical, self.host_physical)
        ]
        guest_entry = f"(guest page table: page {_hex(pages[0])} -> {_hex(pages[1])})"
        host_entry = f"(EPT / nested page table: page {_hex(pages[1])} -> {_hex(pages[2])})"
        return f"{first} {guest_entry}\n{second} {host_entry}"

    def stack(self) -> Stack:
        """The two translations as a diagram, the guest's address on top, the host's below.

        Each layer belongs to whoever owns that address or table: the app, the guest OS,
        the virtual machine, the hypervisor, the hardware.
        """
        pages = [
            a >> _OFFSET_BITS for a in (self.guest_virtual, self.guest_physical, self.host_physical)
        ]
        return (
            Stack(f"Guest virtual {_hex(self.guest_virtual)}, translated twice")
            .with_row(Layer(f"host physical {_hex(self.host_physical)}", LayerKind.HARDWARE))
            .with_row(
                Layer(
                    f"EPT / nested page table: page {_hex(pages[1])} -> {_hex(pages[2])}",
                    LayerKind.HYPERVISOR,
                )
            )
            .with_row(
                Layer(f"guest physical {_hex(self.guest_physical)}", LayerKind.VIRTUAL_MACHINE)
            )
            .with_row(
                Layer(
                    f"guest page table: page {_hex(pages[0])} -> {_hex(pages[1])}",
                    LayerKind.GUEST_OS,
                )
            )
            .with_row(Layer(f"guest virtual {_hex(self.guest_virtual)}", LayerKind.APP))
        )


@dataclass(frozen=True, init=False)
class NestedPaging:
    """A guest's page table and the hypervisor's table under it (EPT on Intel, NPT on AMD).

    Both map page numbers to page numbers, with pages of `PAGE_SIZE` bytes. The guest's
    kernel keeps the guest table (guest virtual page -> guest physical page); the
    hypervisor keeps the host table (guest physical page -> host physical page), and the
    processor walks both on every translation that is not cached (Intel SDM Vol. 3C, "VMX
    Support for Address Translation"; AMD APM Vol. 2, "Nested Paging").

    Args:
        guest: The guest page table, as a dict of page numbers, such as ``{0x1: 0x5}``.
        host: The host table, as a dict of page numbers, such as ``{0x5: 0x2a}``.

    Raises:
        InvalidValueError: A table that is not a dict of whole numbers from 0 up.

    Examples:
        >>> paging = NestedPaging(guest={0x0: 0x5, 0x1: 0x9}, host={0x5: 0x2A, 0x9: 0x13})
        >>> paging
        NestedPaging(guest={0x0: 0x5, 0x1: 0x9}, host={0x5: 0x2a, 0x9: 0x13})
        >>> paging.translate(0x1FFF)
        Translation(guest_virtual=0x1fff, guest_physical=0x9fff, host_physical=0x13fff)
    """

    guest: tuple[tuple[int, int], ...]
    host: tuple[tuple[int, int], ...]

    def __init__(self, guest: Mapping[int, int], host: Mapping[int, int]) -> None:
        """Check both tables and store them."""
        object.__setattr__(self, "guest", _table(guest, "guest page table"))
        object.__setattr__(self, "host", _table(host, "host (EPT) table"))

    def __repr__(self) -> str:
        """Show both tables with page numbers in hexadecimal."""

        def shown(pairs: tuple[tuple[int, int], ...]) -> str:
            return "{" + ", ".join(f"{_hex(page)}: {_hex(frame)}" for page, frame in pairs) + "}"

        return f"NestedPaging(guest={shown(self.guest)}, host={shown(self.host)})"

    @property
    def host_pages(self) -> frozenset[int]:
        """The host physical pages this guest can reach: those its host table maps, no others.

        Examples:
            >>> sorted(NestedPaging(guest={0x0: 0x5}, host={0x5: 0x2A, 0x6: 0x2B}).host_pages)
            [42, 43]
        """
        return frozenset(frame for _, frame in self.host)

    def translate(self, guest_virtual: int) -> Translation:
        """Translate a guest virtual address twice, as the processor does.

        Args:
            guest_virtual: An address in the guest's virtual memory, such as ``0x1234``.

        Raises:
            InvalidValueError: The address is not a whole number from 0 up, or a table has
                no entry for its page; the message says which table misses and what to map.

        Examples:
            >>> paging = NestedPaging(guest={0x1: 0x5, 0x2: 0x7}, host={0x5: 0x2A})
            >>> paging.translate(0x3000)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidValueError: guest virtual address 0x3000 is in page 0x3, which the guest page table does not map: on a real machine the guest's own kernel gets a page fault and maps it, or ends the program. Add an entry for page 0x3 to the guest table, such as 0x3: 0x8.
            >>> paging.translate(0x2010)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidValueError: guest physical address 0x7010 (page 0x7) has no entry in the EPT / nested page table: on a real machine that is an EPT violation (AMD: a nested page fault), a VM exit, and the hypervisor maps a host page, for example the first time the guest touches it. Add an entry for page 0x7 to the host table, such as 0x7: 0x2b.
        """
        address = _check_address(guest_virtual, "a guest virtual address")
        guest = dict(self.guest)
        host = dict(self.host)
        page, offset = divmod(address, PAGE_SIZE)
        if page not in guest:
            spare = max([*guest.values(), -1]) + 1
            msg = (
                f"guest virtual address {_hex(address)} is in page {_hex(page)}, which the guest"
                " page table does not map: on a real machine the guest's own kernel gets a page"
                " fault and maps it, or ends the program. Add an entry for page"
                f" {_hex(page)} to the guest table, such as {_hex(page)}: {_hex(spare)}."
            )
            raise InvalidValueError(msg)
        guest_page = guest[page]
        guest_physical = guest_page * PAGE_SIZE + offset
        if guest_page not in host:
            spare = max([*host.values(), -1]) + 1
            msg = (
                f"guest physical address {_hex(guest_physical)} (page {_hex(guest_page)}) has no"
                " entry in the EPT / nested page table: on a real machine that is an EPT"
                " violation (AMD: a nested page fault), a VM exit, and the hypervisor maps a"
                " host page, for example the first time the guest touches it. Add an entry for"
                f" page {_hex(guest_page)} to the host table, such as"
                f" {_hex(guest_page)}: {_hex(spare)}."
            )
            raise InvalidValueError(msg)
        return Translation(address, guest_physical, host[guest_page] * PAGE_SIZE + offset)

    def __str__(self) -> str:
        """Both tables, one line each, with page numbers in hexadecimal."""
        guest = ", ".join(f"{_hex(page)} -> {_hex(frame)}" for page, frame in self.guest)
        host = ", ".join(f"{_hex(page)} -> {_hex(frame)}" for page, frame in self.host)
        return (
            f"guest page table (guest virtual page -> guest physical page): {guest or 'empty'}\n"
            f"EPT / nested page table (guest physical page -> host physical page): {host or 'empty'}"
        )
