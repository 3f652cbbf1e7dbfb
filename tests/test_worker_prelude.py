"""The worker's Python (examples_pipeline.worker_prelude) under CPython: it runs as Sybil does.

The browser runs this very module in Pyodide; here each way of running a chunk is checked,
and its output is compared with Sybil's doctest evaluator on the same code and with the
expected output of every example on the site's pages.
"""

from __future__ import annotations

import base64
import doctest
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sybil.evaluators.doctest import DocTestEvaluator, OutputChecker

from examples_pipeline import worker_prelude
from examples_pipeline.protocol import ChunkResult, RunMode, StepKind, Stream
from examples_pipeline.reader import (
    OPTIONFLAGS,
    Block,
    ClearNamespace,
    Mode,
    read_file,
    run_chunks,
)
from examples_pipeline.worker_prelude import Session, picture_of
from vmconcepts.diagram import Layer, LayerKind, Stack, side_by_side

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHECKER = OutputChecker()
RUN_MODES = {Mode.PYCON: RunMode.REPL, Mode.PYTHON: RunMode.EXEC}


def out(result: ChunkResult) -> str:
    """What a chunk wrote to standard output: what doctest compares."""
    return "".join(text for stream, text in result["parts"] if stream is Stream.OUT)


class _Recorder(OutputChecker):
    """Sybil's checker, keeping what each example printed (or raised) instead of judging it."""

    def __init__(self) -> None:
        super().__init__()
        self.got: list[str] = []

    def check_output(self, want: str, got: str, optionflags: int) -> bool:  # noqa: ARG002
        self.got.append(got)
        return True


def sybil_says(sources: list[str]) -> list[str]:
    """What Sybil's doctest evaluator sees each example print, or the exception line it compares.

    Every example expects an exception, so doctest hands the checker the exception line
    when there is one; when there is none, it hands over the printed output.
    """
    evaluator = DocTestEvaluator(OPTIONFLAGS)
    recorder = _Recorder()
    evaluator.runner._checker = recorder  # noqa: SLF001 - the one way to see what doctest got
    namespace: dict[str, Any] = {}
    for source in sources:
        example = doctest.Example(source, "", exc_msg="X\n")
        evaluator(SimpleNamespace(parsed=example, namespace=namespace, path="x.md"))  # type: ignore[arg-type]
    return recorder.got


def prelude_says(sources: list[str]) -> list[str]:
    """The same, from the worker's Python: the exception line if it raised, else the output."""
    session = Session()
    results = [session.run(RunMode.REPL, source) for source in sources]
    return [result["last"] or out(result) for result in results]


SOURCES = [
    "6 * 7\n",
    "x = 'a'\n",
    "x\n",
    "print(x * 3)\n",
    "None\n",
    "_\n",
    "class Thing:\n    pass\n",
    "Thing.__module__\n",
    "type(Thing())\n",
    "'__name__' in dir()\n",
    "1 / 0\n",
    "int('x')\n",
    "def f():\n    raise KeyError('k')\n",
    "f()\n",
    "[1,\n 2]\n",
    "if True:\n    'shown'\n",
    "1 +\n",
    "import sys; print('to stderr', file=sys.stderr); 'back'\n",
]


def test_every_kind_of_chunk_prints_what_sybil_sees():
    """Reprs, statements, `_`, classes' module, exceptions, syntax errors: as Sybil's doctest."""
    assert prelude_says(SOURCES) == sybil_says(SOURCES)


def test_a_repl_chunk_prints_the_repr_of_each_expression():
    """In "repl" mode each bare expression is displayed, as at the >>> prompt."""
    result = Session().run(RunMode.REPL, "1 + 1\n'two'\nNone\n")
    assert result["parts"] == [(Stream.OUT, "2\n'two'\n")]
    assert result["exc"] is None
    assert result["tb"] == ""


def test_an_exec_chunk_displays_nothing_and_shares_the_namespace():
    """In "exec" mode a bare expression prints nothing; names stay for the next chunk."""
    session = Session()
    result = session.run(RunMode.EXEC, "x = 6 * 7\nx\nprint('printed')\n")
    assert result["parts"] == [(Stream.OUT, "printed\n")]
    assert session.run(RunMode.REPL, "x\n")["parts"] == [(Stream.OUT, "42\n")]


def test_a_cli_chunk_prints_what_the_vmconcepts_command_prints():
    """In "cli" mode a chunk is a command line of `vmconcepts`, run in this process."""
    result = Session().run(RunMode.CLI, "exercise --list")
    command = [sys.executable, "-m", "vmconcepts", "exercise", "--list"]
    expected = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert out(result) == expected
    assert result["exc"] is None


def test_a_traceback_shows_the_readers_frames_only():
    """The runner's own frames are cut; the last line is what doctest compares."""
    session = Session()
    session.run(RunMode.REPL, "def f():\n    return 1 / 0\n")
    result = session.run(RunMode.REPL, "f()\n")
    assert result["tb"] == (
        "Traceback (most recent call last):\n"
        '  File "<stdin>", line 1, in <module>\n'
        '  File "<stdin>", line 2, in f\n'
    )
    assert result["exc"] == result["last"] == "ZeroDivisionError: division by zero\n"
    assert result["parts"] == []
    assert result["picture"] is None


def test_a_syntax_error_shows_the_line_and_no_frames():
    """A syntax error in typed code shows where, as the REPL does, with no traceback frames."""
    result = Session().run(RunMode.REPL, "1 +\n")
    assert result["tb"] == ""
    assert result["exc"] is not None
    assert result["exc"].startswith('  File "<stdin>", line 1\n')
    assert result["last"] == "SyntaxError: invalid syntax\n"


def test_output_keeps_the_order_of_stdout_and_stderr():
    """Writes to the two streams are kept in order, each run of one stream as one part."""
    code = "import sys\nprint('a')\nprint('b', file=sys.stderr)\nprint('c')\nprint('d')\n"
    result = Session().run(RunMode.EXEC, code)
    assert result["parts"] == [(Stream.OUT, "a\n"), (Stream.ERR, "b\n"), (Stream.OUT, "c\nd\n")]


def test_the_streams_and_displayhook_are_given_back():
    """After a chunk, even one that raised, sys.stdout, sys.stderr and sys.displayhook are back."""
    before = sys.stdout, sys.stderr, sys.displayhook
    Session().run(RunMode.REPL, "1 / 0\n")
    assert (sys.stdout, sys.stderr, sys.displayhook) == before


def test_clear_and_module_steps():
    """`clear` empties the namespace; `module` brings in a module's names, as for a docstring."""
    session = Session()
    session.run(RunMode.EXEC, "x = 1\n")
    session.step([StepKind.CLEAR])
    assert session.run(RunMode.REPL, "x\n")["last"] == "NameError: name 'x' is not defined\n"
    session.step([StepKind.MODULE, "vmconcepts.diagram"])
    assert out(session.run(RunMode.REPL, "LayerKind.APP\n")) == "LayerKind.APP\n"
    with pytest.raises(ValueError, match="run chunk by chunk"):
        session.step([StepKind.CODE, RunMode.REPL, ["1\n"]])
    with pytest.raises(ValueError, match="'jump' is not a valid StepKind"):
        session.step(["jump"])


def test_name_is_set_for_repl_chunks_only_and_taken_away_after():
    """Like Sybil: doctest examples run with __name__ '__test__'; plain code and later, none."""
    session = Session()
    assert out(session.run(RunMode.REPL, "__name__\n")) == "'__test__'\n"
    assert "__name__" not in session.namespace
    assert out(session.run(RunMode.EXEC, "print(__name__)\n")) == "builtins\n"
    session.step([StepKind.MODULE, "vmconcepts.diagram"])
    assert out(session.run(RunMode.REPL, "__name__\n")) == "'vmconcepts.diagram'\n"
    assert session.namespace["__name__"] == "vmconcepts.diagram"


def test_the_json_entry_points_the_worker_calls():
    """`run` and `step` take and give JSON, on one namespace shared across calls."""
    worker_prelude.step(json.dumps([StepKind.CLEAR]))
    worker_prelude.run(RunMode.EXEC, "y = 2\n")
    result = json.loads(worker_prelude.run(RunMode.REPL, "y * 21\n"))
    assert result == {
        "parts": [["out", "42\n"]],
        "tb": "",
        "exc": None,
        "last": None,
        "picture": None,
    }
    worker_prelude.step(json.dumps([StepKind.CLEAR]))
    with pytest.raises(ValueError, match="'nope' is not a valid RunMode"):
        worker_prelude.run("nope", "1\n")


LAPTOP = Stack("A laptop").with_row(Layer("Laptop", LayerKind.HARDWARE))


def test_a_displayed_stack_comes_with_its_picture():
    """The repr is printed as always; the picture is its SVG as a data: URL, described in alt."""
    session = Session()
    session.step([StepKind.MODULE, "vmconcepts.diagram"])
    code = 'Stack("A laptop").with_row(Layer("Laptop", LayerKind.HARDWARE))\n'
    result = session.run(RunMode.REPL, code)
    assert out(result) == "<Stack 'A laptop': 1 row, 1 layer>\n"
    picture = result["picture"]
    assert picture is not None
    prefix = "data:image/svg+xml;base64,"
    assert picture["src"].startswith(prefix)
    assert base64.b64decode(picture["src"].removeprefix(prefix)).decode() == LAPTOP.to_svg()
    assert picture["alt"] == LAPTOP.describe() == "From the bottom up: Laptop (hardware)."


def test_only_the_last_displayed_value_of_a_chunk_counts():
    """A picture is for the chunk's last displayed value; a later number or a raise drops it."""
    session = Session()
    session.namespace["stack"] = LAPTOP
    assert session.run(RunMode.REPL, "stack\n42\n")["picture"] is None
    assert session.run(RunMode.REPL, "42\nstack\n")["picture"] is not None
    assert session.run(RunMode.REPL, "stack\n1 / 0\n")["picture"] is None
    assert session.run(RunMode.EXEC, "stack\n")["picture"] is None
    assert session.run(RunMode.REPL, "print(stack)\n")["picture"] is None
    assert session.run(RunMode.REPL, "stack\n")["picture"] is not None


class _Drawing:
    """A reader's own class with the same methods: not the library's, so never drawn."""

    def to_svg(self) -> str:
        return "<svg onload='alert(1)'/>"

    def describe(self) -> str:
        return "mine"


@pytest.mark.parametrize(
    ("value", "drawn"),
    [
        (LAPTOP, True),
        (side_by_side(LAPTOP, LAPTOP, title="Two laptops"), True),
        (Stack("Nothing yet"), False),  # no rows: nothing to draw
        (42, False),
        ("<svg/>", False),
        (_Drawing(), False),
        (LayerKind.APP, False),  # the library's, but it draws nothing
    ],
)
def test_which_values_have_a_picture(value: object, drawn: bool):  # noqa: FBT001
    """A Stack or a Figure is drawn; a number, a string or a stranger's to_svg is not."""
    picture = picture_of(value)
    assert (picture is not None) is drawn
    if picture is not None:
        assert picture["alt"] == value.describe()  # type: ignore[attr-defined]


def run_page(session: Session, steps: tuple[Block | ClearNamespace, ...]) -> list[tuple]:
    """Run a page's steps as the browser does; return (block, its results) for each shown block."""
    shown = []
    for step in steps:
        if isinstance(step, ClearNamespace):
            session.step([StepKind.CLEAR])
            continue
        if step.skip is not None or step.mode not in RUN_MODES:
            continue
        if step.mode is Mode.PYCON:  # a docstring's code is more than its examples
            chunks = [e.source for e in step.examples if not e.skipped_by_doctest]
        else:
            chunks = list(run_chunks(step.code)[1])
        results = [session.run(RUN_MODES[step.mode], chunk) for chunk in chunks]
        if step.hidden:
            assert all(r["exc"] is None for r in results), f"{step.path}:{step.line}: {results}"
        else:
            shown.append((step, results))
    return shown


def check(block: Block, results: list[ChunkResult]) -> None:
    """Assert that the results are what doctest accepts for the block (or that it did not raise)."""
    where = f"{block.path}:{block.line}"
    if block.mode is Mode.PYTHON:
        assert all(r["exc"] is None for r in results), f"{where}: {results}"
        return
    examples = [example for example in block.examples if not example.skipped_by_doctest]
    for example, result in zip(examples, results, strict=True):
        label = f"{where}, example {example.source.strip()!r}"
        if example.exc_msg is None:
            assert result["exc"] is None, f"{label} raised {result['exc']}"
            assert CHECKER.check_output(example.want, out(result), example.flags), (
                f"{label}: expected\n{example.want}got\n{out(result)}"
            )
        else:
            assert result["last"] is not None, f"{label} did not raise"
            assert CHECKER.check_output(example.exc_msg, result["last"], example.flags), label


@pytest.mark.parametrize(
    "source", sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
)
def test_every_page_gives_the_output_it_promises(source: str):
    """Each page's examples, run in order by the worker's Python, print what the page shows."""
    for block, results in run_page(Session(), read_file(DOCS / source, source).steps):
        check(block, results)


def test_a_modules_docstrings_run_in_its_namespace():
    """The docstring examples of vmconcepts.diagram, after a `module` step, as Sybil runs them."""
    session = Session()
    session.step([StepKind.CLEAR])
    session.step([StepKind.MODULE, "vmconcepts.diagram"])
    page = read_file(ROOT / "vmconcepts" / "diagram.py", "vmconcepts/diagram.py")
    shown = run_page(session, page.steps)
    assert len(shown) > 5
    for block, results in shown:
        check(block, results)
