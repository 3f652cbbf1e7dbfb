"""The names the page, the runner's worker and the worker's Python share, defined once.

The build writes an example's run data into ``data-*`` attributes of its code block;
runner.js reads them and sends jobs to the worker; the worker's Python runs the steps and
the chunks, and the worker answers with messages. Every name on that path is here, and
the build hands them to the JavaScript (``as_json``) instead of repeating them there.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Literal, TypeAlias


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


class Message(StrEnum):
    """The ``type`` of every message between runner.js and the worker."""

    RUN = "run"  # page -> worker: run a block
    RESET = "reset"  # page -> worker: a fresh namespace
    PROGRESS = "progress"  # worker -> page: bytes of the runtime downloaded so far
    READY = "ready"  # worker -> page: Python is loaded
    FAILED = "failed"  # worker -> page: the runtime could not load
    CHUNK = "chunk"  # worker -> page: one chunk's output
    DONE = "done"  # worker -> page: a job has ended


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
            for enum in (RunMode, StepKind, Attribute, Message)
        },
        sort_keys=True,
    )
