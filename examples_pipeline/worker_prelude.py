"""The Python half of the in-browser runner: it runs a block's chunks as doctest and Sybil do.

runner-worker.js writes this module (and ``protocol``) into Pyodide's file system and calls
`run` and `step`; the tests run it under CPython and compare it with doctest. Each doctest
example is compiled in "single" mode, so a bare expression prints its repr; a plain block is
exec'd whole; one namespace is shared by the page's blocks until a ``clear`` step. Stdlib
only: the browser has nothing else (vmconcepts is imported by CLI chunks and module steps).
"""

from __future__ import annotations

import ast
import base64
import importlib
import io
import json
import shlex
import sys
import traceback
from types import TracebackType
from typing import Any

from examples_pipeline.protocol import ChunkResult, Picture, RunMode, StepKind, Stream

# What tracebacks call the reader's code, as Python's own REPL does.
FILENAME = "<stdin>"
# The namespace name Sybil gives a doctest example that has none, so classes get a module.
DOCTEST_NAME = "__test__"
SVG_URL = "data:image/svg+xml;base64,"


class _Capture(io.TextIOBase):
    """A stand-in for stdout or stderr that keeps each write in order, tagged with its stream."""

    def __init__(self, parts: list[tuple[Stream, str]], stream: Stream) -> None:
        self.parts, self.stream = parts, stream

    def writable(self) -> bool:
        """Say it can be written to, as print() checks."""
        return True

    def write(self, text: str) -> int:
        """Add the text to the last part if it came from the same stream, else start a part."""
        if text:
            if self.parts and self.parts[-1][0] is self.stream:
                self.parts[-1] = (self.stream, self.parts[-1][1] + text)
            else:
                self.parts.append((self.stream, text))
        return len(text)


def picture_of(value: object) -> Picture | None:
    """The library's drawing of a value, to show under its repr; None when it draws nothing.

    Only vmconcepts' own objects qualify (a Stack, a Figure, anything with ``to_svg()``),
    so a reader's class with a ``to_svg`` method cannot put markup on the page.
    """
    if type(value).__module__.partition(".")[0] != "vmconcepts":
        return None
    to_svg, describe = getattr(value, "to_svg", None), getattr(value, "describe", None)
    if not callable(to_svg):
        return None
    from vmconcepts.errors import VMConceptsError  # noqa: PLC0415 - loaded already: value is one of its

    try:
        svg, alt = to_svg(), describe() if callable(describe) else repr(value)
    except VMConceptsError:  # nothing to draw yet (a stack with no rows): the repr says it all
        return None
    if not isinstance(svg, str) or not isinstance(alt, str):
        return None
    return {"src": SVG_URL + base64.b64encode(svg.encode()).decode("ascii"), "alt": alt}


def _own_frames_skipped(trace: TracebackType | None) -> TracebackType | None:
    """The traceback from the reader's code on: the runner's own frames are not theirs."""
    while trace is not None and trace.tb_frame.f_code.co_filename == _OWN_FILE:
        trace = trace.tb_next
    return trace


class Session:
    """One namespace, shared by the blocks of a page until a ``clear`` step, as Sybil shares it."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self.shown: object = None

    def _display(self, value: object) -> None:
        """Print a value as the REPL does, and remember it: it may be a diagram to draw."""
        sys.__displayhook__(value)
        if value is not None:
            self.shown = value

    def _execute(self, mode: RunMode, chunk: str) -> None:
        """Run one chunk in the namespace."""
        if mode is RunMode.EXEC:
            exec(compile(chunk, FILENAME, "exec", dont_inherit=True), self.namespace)  # noqa: S102 - running the reader's code is the point
        elif mode is RunMode.CLI:
            from vmconcepts.__main__ import main  # noqa: PLC0415 - only commands need the CLI

            main(shlex.split(chunk))
        else:
            for statement in ast.parse(chunk, FILENAME).body:
                tree = ast.Interactive(body=[statement])
                exec(compile(tree, FILENAME, "single", dont_inherit=True), self.namespace)  # noqa: S102

    def run(self, mode: RunMode, chunk: str) -> ChunkResult:
        """Run one chunk; return its output, its exception if any, and the picture of its value."""
        parts: list[tuple[Stream, str]] = []
        result: ChunkResult = {"parts": parts, "tb": "", "exc": None, "last": None, "picture": None}
        saved = sys.stdout, sys.stderr, sys.displayhook
        sys.stdout, sys.stderr = _Capture(parts, Stream.OUT), _Capture(parts, Stream.ERR)
        sys.displayhook = self._display
        self.shown = None
        named = mode is RunMode.REPL and "__name__" not in self.namespace
        if named:
            self.namespace["__name__"] = DOCTEST_NAME
        try:
            self._execute(mode, chunk)
        except BaseException as error:  # noqa: BLE001 - the reader's exception is output, like print's
            only = traceback.format_exception_only(type(error), error)
            if isinstance(error, SyntaxError) and error.filename == FILENAME:
                lines = only  # the REPL shows no frames for a syntax error in what was typed
            else:
                lines = traceback.format_exception(
                    type(error), error, _own_frames_skipped(error.__traceback__)
                )
            full, exc = "".join(lines), "".join(only)
            result["tb"], result["exc"] = full[: len(full) - len(exc)], exc
            result["last"] = only[-1]  # what doctest compares with an expected exception
        else:
            result["picture"] = picture_of(self.shown)
        finally:
            sys.stdout, sys.stderr, sys.displayhook = saved
            self.shown = None
            if named:
                self.namespace.pop("__name__", None)
        return result

    def step(self, step: list[str]) -> None:
        """Apply a ``clear`` or ``module`` step (hidden code steps are run chunk by chunk)."""
        kind = StepKind(step[0])
        if kind is StepKind.CLEAR:
            self.namespace.clear()
        elif kind is StepKind.MODULE:
            self.namespace.update(vars(importlib.import_module(step[1])))
        else:
            msg = f"a {kind} step is run chunk by chunk with run(), not with step()"
            raise ValueError(msg)


_OWN_FILE = Session.run.__code__.co_filename
_session = Session()


def run(mode: str, chunk: str) -> str:
    """Run one chunk in the page's namespace; the worker gets the result as JSON."""
    return json.dumps(_session.run(RunMode(mode), chunk))


def step(text: str) -> None:
    """Apply one step, given as JSON by the worker."""
    _session.step(json.loads(text))
