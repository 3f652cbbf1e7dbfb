"""The names the page, the runner's worker and the worker's Python share, defined once.

The build writes an example's run data into ``data-*`` attributes of its code block, and
its controls (Run bar, live region for the output) into the page after it; runner.js reads
the data, wires up the controls and sends jobs to the worker; the worker's Python runs the
steps and the chunks, and the worker answers with messages. Every name on that path is here, and
the build hands them to the JavaScript (``as_json``) instead of repeating them there.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Literal, TypeAlias, TypedDict


class RunMode(StrEnum):
    """How the worker runs a block's chunks."""

    REPL = "repl"  # doctest examples, each compiled in "single" mode
    EXEC = "exec"  # a plain Python block, exec'd whole
    CLI = "cli"  # one `vmconcepts ...` command line per chunk


class StepKind(StrEnum):
    """What the worker does before a block runs (hidden set-up, namespace resets)."""

    CODE = "code"  # [CODE, mode, chunks]: hidden set-up code
    CLEAR = "clear"  # [CLEAR]: a fresh namespace
    MODULE = "module"  # [MODULE, name]: the namespace of a module (docstring examples)


class Attribute(StrEnum):
    """The data attributes the build puts on an example's code block."""

    RUN = "data-run"  # a RunMode
    CODE = "data-run-code"  # JSON list of chunks
    BEFORE = "data-run-before"  # JSON list of steps
    SKIP = "data-run-skip"  # why the tests skip it (shown, still runnable)
    NEVER = "data-run-never"  # why it cannot run in a browser (no Run button)
    COPY = "data-copy"  # the code alone, for the theme's copy button
    CONTROL = "data-run-control"  # on a button of the Run bar: its Control


class Control(StrEnum):
    """The buttons of an example's Run bar, in the order they are shown."""

    RUN = "run"
    EDIT = "edit"
    RESET = "reset"
    STOP = "stop"


class Part(StrEnum):
    """The classes of the boxes the build puts after each example, in page order."""

    BAR = "vmc-bar"  # the buttons, and why a browser cannot run the example
    LIVE = "vmc-live"  # a live region around the output, so screen readers hear it


class Message(StrEnum):
    """The ``type`` of every message between runner.js and the worker."""

    RUN = "run"  # page -> worker: run a block
    RESET = "reset"  # page -> worker: a fresh namespace
    PROGRESS = "progress"  # worker -> page: bytes of the runtime downloaded so far
    READY = "ready"  # worker -> page: Python is loaded
    FAILED = "failed"  # worker -> page: the runtime could not load
    CHUNK = "chunk"  # worker -> page: one chunk's output
    DONE = "done"  # worker -> page: a job has ended


class Stream(StrEnum):
    """Where a piece of a chunk's output was written, kept apart so the page can colour it."""

    OUT = "out"  # sys.stdout: what doctest compares
    ERR = "err"  # sys.stderr


class Picture(TypedDict):
    """A diagram the chunk's value draws, shown under its text as an ``<img>`` (runs no script)."""

    src: str  # a data:image/svg+xml;base64 URL: showing it makes no request
    alt: str  # the diagram's describe(): what it shows, in words


class ChunkResult(TypedDict):
    """What the worker's Python says about one chunk (the worker adds the message fields)."""

    parts: list[tuple[Stream, str]]  # the output in the order it was written
    tb: str  # the traceback above the exception's own lines ("" when none)
    exc: str | None  # the exception's lines, as Python prints them
    last: str | None  # the exception line doctest compares with an expected one
    picture: Picture | None  # the diagram of the last value the REPL displayed


Step: TypeAlias = (
    tuple[Literal[StepKind.CODE], RunMode, list[str]]
    | tuple[Literal[StepKind.CLEAR]]
    | tuple[Literal[StepKind.MODULE], str]
)


def as_json() -> str:
    """Every name above as one JSON object, for the JavaScript side."""
    return json.dumps(
        {
            enum.__name__: {member.name: member.value for member in enum}
            for enum in (RunMode, StepKind, Attribute, Control, Part, Message, Stream)
        },
        sort_keys=True,
    )
