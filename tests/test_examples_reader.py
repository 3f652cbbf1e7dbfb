"""The one reader of the examples: its grammar, lines and errors, and its agreement with Sybil."""

from __future__ import annotations

import doctest
import unittest
from pathlib import Path

import pytest
from project import ROOT
from sybil import Document
from sybil.document import PythonDocStringDocument
from sybil.evaluators.python import PythonEvaluator
from sybil.example import SybilFailure
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer
from sybil.parsers.rest import DocTestParser
from sybil.region import Lexeme

from examples_pipeline.collect import ExamplesParser, sybils
from examples_pipeline.reader import (
    Block,
    BrowserSkip,
    Clear,
    ClearNamespace,
    ExampleSyntaxError,
    GrammarError,
    HiddenSetup,
    Mode,
    Page,
    Skip,
    SkipAction,
    cli_arguments,
    parse_directive,
    read_file,
    read_markdown,
    read_module,
    run_chunks,
)

DOCS = ROOT / "docs"
PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
MODULES = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "vmconcepts").rglob("*.py"))

SESSION = '```pycon\n>>> print("hello")\nhello\n>>> x = 2\n```\n'


def read(markdown: str) -> Page:
    """A page of Markdown, read as ``page.md``."""
    return read_markdown(markdown, "page.md")


def problems(markdown: str) -> list[str]:
    """The problems the reader finds in a page, one line each."""
    with pytest.raises(ExampleSyntaxError) as caught:
        read(markdown)
    return [str(problem) for problem in caught.value.problems]


def indented(text: str, spaces: int = 4) -> str:
    """Markdown indented as inside a content tab or an admonition."""
    return "".join(
        " " * spaces + line if line.strip() else line for line in text.splitlines(keepends=True)
    )


class TestFences:
    """Each kind of fence becomes the right block, with its code and its lines."""

    @pytest.mark.parametrize(
        ("fence", "mode"),
        [
            ("```pycon\n>>> 1\n1\n```\n", Mode.PYCON),
            ("```python\nx = 1\n```\n", Mode.PYTHON),
            ('```python exec="on"\nprint(1)\n```\n', Mode.BUILD_TIME),
            ('```python exec="1" html="on"\nprint(1)\n```\n', Mode.BUILD_TIME),
            ("```console\n$ vmconcepts whereami\nbare metal\n```\n", Mode.CLI),
        ],
    )
    def test_mode(self, fence: str, mode: Mode):
        """pycon, python, markdown-exec's build-time blocks and our commands each have a mode."""
        (block,) = read(fence).blocks
        assert block.mode is mode
        assert block.line == 1
        assert block.code_line == 2

    @pytest.mark.parametrize(
        "fence",
        ["```console\n$ ls\n```\n", "```sh\nmake test\n```\n", "```text\n>>> 1\n```\n"],
    )
    def test_other_fences_are_not_blocks(self, fence: str):
        """Shell commands other than ours, and other languages, are not examples."""
        assert read(fence).blocks == ()

    def test_examples_have_their_prompt_lines_and_offsets(self):
        """Each >>> knows its line, its offset and where its expected output is."""
        text = "# Title\n\n" + SESSION
        page = read(text)
        (block,) = page.blocks
        first, second = block.examples
        assert (first.line, second.line) == (4, 6)
        assert text[first.start :].startswith('>>> print("hello")')
        assert text[first.want_start : first.end] == "hello\n"
        assert (first.source, first.want) == ('print("hello")\n', "hello\n")
        assert second.want_start == second.end == text.index("```\n", second.start)

    def test_console_block_keeps_the_command_arguments(self):
        """A console block of our commands keeps each command's arguments."""
        markdown = "```console\n$ vmconcepts whereami\nx\n$ python -m vmconcepts exercise 3\n```\n"
        assert read(markdown).blocks[0].arguments == ("whereami", "exercise 3")

    def test_a_fence_inside_a_longer_fence_is_its_text(self):
        """A Markdown sample shown in a ```` fence holds no example and no directive."""
        markdown = '````markdown\n<!-- skip: nxt "x" -->\n```pycon\n>>> 1\n2\n```\n````\n'
        assert read(markdown).blocks == ()

    def test_prose_comments_are_ignored(self):
        """Comments that are not shaped like directives are prose."""
        markdown = "<!-- A note for editors: keep this short. -->\n<!-- TODO: a figure -->\n"
        assert read(markdown).steps == ()


class TestLinesInsideContainers:
    """Inside content tabs, admonitions and lists, every >>> keeps its own line."""

    @pytest.mark.parametrize(
        ("opening", "spaces"),
        [('=== "Tab"', 4), ('!!! note "Note"', 4), ('??? tip "Collapsed"', 4), ("- item", 2)],
        ids=["tab", "admonition", "collapsed", "list"],
    )
    def test_prompt_lines(self, opening: str, spaces: int):
        """The lines and offsets point at the >>> in the file, and the code is dedented."""
        text = f"# Page\n\n{opening}\n\n{indented(SESSION, spaces)}\nAfter.\n"
        (block,) = read(text).blocks
        assert block.code == '>>> print("hello")\nhello\n>>> x = 2\n'
        assert [example.line for example in block.examples] == [6, 8]
        for example in block.examples:
            assert text[example.start : example.start + 3] == ">>>"
            assert example.prefix == " " * spaces
        assert (
            text[block.examples[0].want_start : block.examples[0].end] == " " * spaces + "hello\n"
        )

    def test_directives_inside_a_tab(self):
        """Indented directives work, and their hidden code is dedented."""
        text = '=== "Tab"\n\n    <!-- invisible-code-block: python\n    x = 1\n    -->\n\n'
        text += '    <!-- skip: next "needs a GPU" -->\n' + indented(SESSION)
        setup, session = read(text).blocks
        assert (setup.hidden, setup.code, setup.line) == (True, "x = 1\n", 3)
        assert session.skip == "needs a GPU"


class TestDirectives:
    """Every directive form, alone and applied to the blocks that follow."""

    @pytest.mark.parametrize(
        ("body", "directive"),
        [
            (" invisible-code-block: python\nimport os\n", HiddenSetup("import os\n")),
            (" clear-namespace ", Clear()),
            (' skip: next "reads /sys" ', Skip(SkipAction.NEXT, "reads /sys")),
            (" skip: next 'reads /sys' ", Skip(SkipAction.NEXT, "reads /sys")),
            (' skip: start "slow" ', Skip(SkipAction.START, "slow")),
            (" skip: end ", Skip(SkipAction.END, None)),
            (' browser: skip "no /sys in a browser" ', BrowserSkip("no /sys in a browser")),
            (" browser: skip 'single quotes' ", BrowserSkip("single quotes")),
            (" A plain comment. ", None),
            (" TODO: later ", None),
        ],
    )
    def test_parse(self, body: str, directive: object):
        """Each comment reads as its directive; prose is None."""
        assert parse_directive(body) == directive

    def test_hidden_setup_and_clear_are_steps_in_order(self):
        """Set-up code and namespace resets keep their place among the blocks."""
        text = "<!-- invisible-code-block: python\nx = 1\n-->\n\n<!-- clear-namespace -->\n"
        text += SESSION
        setup, clear, session = read(text).steps
        assert isinstance(setup, Block)
        assert (setup.hidden, setup.mode, setup.line, setup.code_line) == (True, Mode.PYTHON, 1, 2)
        assert isinstance(clear, ClearNamespace)
        assert clear.line == 5
        assert isinstance(session, Block)
        assert session.line == 6

    def test_skip_next_skips_the_next_python_block_only(self):
        """A skip waits past console blocks and hidden set-up for the next pycon/python fence."""
        text = '<!-- skip: next "why" -->\n```console\n$ vmconcepts whereami\n```\n'
        text += "<!-- invisible-code-block: python\nx = 1\n-->\n" + SESSION + SESSION
        cli, setup, skipped, run = read(text).blocks
        assert (cli.skip, setup.skip, skipped.skip, run.skip) == (None, None, "why", None)

    def test_skip_range_skips_everything_between(self):
        """skip: start ... end covers fences and hidden set-up; what follows runs."""
        text = '<!-- skip: start "slow" -->\n' + SESSION
        text += "<!-- invisible-code-block: python\nx = 1\n-->\n" + SESSION
        text += "<!-- skip: end -->\n" + SESSION
        skips = [block.skip for block in read(text).blocks]
        assert skips == ["slow", "slow", "slow", None]

    def test_browser_skip_marks_the_next_block_with_a_run_button(self):
        """browser: skip goes to the next fence the browser runs, our commands included."""
        text = '<!-- browser: skip "reads /sys" -->\n```console\n$ vmconcepts whereami\n```\n'
        text += SESSION
        cli, session = read(text).blocks
        assert (cli.browser_skip, session.browser_skip) == ("reads /sys", None)
        assert cli.skip is None


class TestErrors:
    """Malformed or unknown directives and fences nothing would run: errors with page and line."""

    @pytest.mark.parametrize(
        ("markdown", "expected"),
        [
            ('<!-- skip: nxt "x" -->\n' + SESSION, "page.md:1: unknown skip action 'nxt'"),
            ("<!-- skip: next -->\n" + SESSION, "page.md:1: needs a reason in quotes"),
            ("<!-- skip: next why -->\n" + SESSION, "page.md:1: needs a reason in quotes"),
            ('<!-- skip: next "" -->\n' + SESSION, "page.md:1: needs a reason in quotes"),
            ("<!-- browser: skp -->\n" + SESSION, "page.md:1: unknown browser directive 'skp'"),
            ("<!-- browser: skip -->\n" + SESSION, "page.md:1: needs a reason in quotes"),
            (
                '<!-- skp: next "x" -->\n',
                "page.md:1: unknown directive 'skp': did you mean 'skip'?",
            ),
            ("<!-- clear-namespce -->\n", "did you mean 'clear-namespace'?"),
            ("<!-- clear-namespace: now -->\n", "takes no arguments"),
            ("<!-- invisible-code-block: pycon\nx = 1\n-->\n", "hidden set-up runs Python"),
            ("<!-- invisible-code-block: python\n>>> 1\n-->\n", "drop the '>>>' prompts"),
            ('<!-- skip: end "y" -->\n', "page.md:1: <!-- skip: end --> takes no reason"),
            ("<!-- skip: end -->\n", "page.md:1: <!-- skip: end --> without"),
            ('<!-- skip: next "x" -->\n', "page.md:1: <!-- skip: next --> but no ```pycon"),
            ('<!-- skip: start "x" -->\n', "page.md:1: this skip is never ended"),
            ('<!-- browser: skip "x" -->\n', "page.md:1: <!-- browser: skip --> but no block"),
            (
                '<!-- skip: next "x" -->\n```python exec="on"\nprint(1)\n```\n',
                "page.md:1: the next block runs while the site builds",
            ),
            ("<!-- skip: next\n", "page.md:1: this comment is never closed"),
            ("```pycon\n>>> 1\n", "page.md:1: this ``` fence is never closed"),
            ("```py\n>>> 1\n1\n```\n", "page.md:1: ```py is not run by the tests"),
            ('```python title="a.py"\nx = 1\n```\n', 'page.md:1: ```python title="a.py" is not'),
            ("```python\n>>> 1\n1\n```\n", "page.md:1: a doctest belongs in ```pycon"),
            ("```pycon\nprint(1)\n```\n", "page.md:1: a ```pycon block must start with a '>>>'"),
            ("```pycon\n>>>1\n```\n", "page.md:1: doctest cannot read this block"),
        ],
    )
    def test_one_problem(self, markdown: str, expected: str):
        """Each mistake is one problem that names the page and the line."""
        (problem,) = problems(markdown)
        assert expected in problem

    def test_the_line_inside_a_tab(self):
        """A malformed directive inside a tab is reported at its own line."""
        text = '# Page\n\n=== "Tab"\n\n    <!-- skip: nxt "x" -->\n' + indented(SESSION)
        assert problems(text)[0].startswith("page.md:5: unknown skip action")

    def test_every_problem_of_a_page_at_once(self):
        """A page with several mistakes gets them all, in page order."""
        text = "<!-- browser: skp -->\n" + SESSION + "```py\nx\n```\n<!-- skip: next -->\n"
        lines = [problem.split(":")[1] for problem in problems(text)]
        assert lines == ["1", "7", "10"]

    def test_the_error_says_what_would_work(self):
        """The message shows the form that works."""
        with pytest.raises(GrammarError, match=r'<!-- skip: next "why" -->'):
            parse_directive(" skip: next ")


class TestDocstrings:
    """A module's docstrings, read as Sybil reads them, with exact lines."""

    MODULE = (
        '"""A module.\n\n>>> 1 + 1\n2\n"""\n\n\n'
        "class Thing:\n"
        '    r"""A thing, with a raw docstring.\n\n    >>> Thing()  # doctest: +SKIP\n'
        '    <Thing>\n    """\n\n'
        "    def size(self) -> int:\n"
        '        """Its size.\n\n        >>> Thing().size()\n        3"""\n'
        "        return 3\n"
    )

    def test_blocks_and_lines(self):
        """Each docstring with examples is one block; each >>> has its line in the file."""
        page = read_module(self.MODULE, "thing.py")
        assert [block.line for block in page.blocks] == [1, 9, 16]
        assert [example.line for example in page.examples] == [3, 11, 18]
        assert page.examples[1].skipped_by_doctest
        for example in page.examples:
            assert self.MODULE[example.start : example.start + 3] == ">>>"

    def test_expected_output_stops_at_the_closing_quotes(self):
        """Output on the same line as the closing quotes ends before them."""
        example = read_module(self.MODULE, "thing.py").examples[2]
        assert self.MODULE[example.want_start : example.end] == "        3"

    def test_a_docstring_with_escapes_is_refused(self):
        """Backslash escapes shift lines, so such a docstring must be raw."""
        module = 'def f():\n    """Tab\\there.\n\n    >>> 1\n    1\n    """\n'
        with pytest.raises(ExampleSyntaxError, match=r"f\.py:2: .*make it a raw docstring"):
            read_module(module, "f.py")


class TestRunnerGrammar:
    """What the in-browser runner takes from the reader."""

    def test_run_chunks(self):
        """A session splits into its examples' code (not +SKIP ones); plain code stays whole."""
        session = ">>> x = 1\n>>> x  # doctest: +SKIP\n1\n>>> for i in range(2):\n...     i\n"
        assert run_chunks(session) == (Mode.PYCON, ("x = 1\n", "for i in range(2):\n    i\n"))
        assert run_chunks("x = 1\n") == (Mode.PYTHON, ("x = 1\n",))

    def test_cli_arguments(self):
        """Only blocks whose every command is ours run in the browser."""
        assert cli_arguments("$ vmconcepts whereami --json\n{}\n") == ("whereami --json",)
        assert cli_arguments("$ vmconcepts whereami\n$ ls\n") is None
        assert cli_arguments("no commands\n") is None


def sybil_for(path: Path) -> Document:
    """The document the project's Sybil configuration (conftest.py) collects from a file."""
    (sybil,) = [sybil for sybil in sybils(ROOT) if sybil.should_parse(path)]
    return sybil.parse(path)


def reader_lines(page: Page) -> list[int]:
    """The line of every item Sybil should collect from a page: one per step it runs."""
    lines = []
    for step in page.steps:
        if isinstance(step, ClearNamespace) or step.mode is Mode.PYTHON:
            lines.append(step.line)
        elif step.mode is Mode.PYCON:
            lines += [example.line for example in step.examples]
    return lines


class StockPycon(PythonCodeBlockParser):
    """Sybil's own Markdown parser, taught ```pycon, as conftest.py used it before the reader."""

    def __init__(self) -> None:
        super().__init__()
        self.codeblock_parser = CodeBlockParser("pycon", PythonEvaluator(()))


def found_by(document: Document) -> list[tuple[str, str]]:
    """What a parsed document runs: ("doctest", source) or ("code", code), in order."""
    found = []
    for example in document.examples():
        if isinstance(example.parsed, doctest.Example):
            found.append(("doctest", example.parsed.source))
        elif isinstance(example.parsed, Lexeme):
            found.append(("code", str(example.parsed)))
    return found


class TestAgreesWithSybil:
    """The reader and Sybil find the same examples on every page, so they cannot drift apart."""

    @pytest.mark.parametrize("page", PAGES)
    def test_sybil_collects_what_the_reader_finds_on_every_page(self, page: str):
        """Sybil's items on a page are the reader's steps, at the reader's lines."""
        path = DOCS / page
        assert [ex.line for ex in sybil_for(path)] == reader_lines(read_file(path, page))

    @pytest.mark.parametrize("module", MODULES)
    def test_sybil_collects_what_the_reader_finds_in_every_module(self, module: str):
        """Sybil's items in a module are the reader's docstring examples, at Sybil's own lines."""
        path = ROOT / module
        page = read_file(path, module)
        assert [ex.line for ex in sybil_for(path)] == reader_lines(page)
        stock = PythonDocStringDocument.parse(str(path), DocTestParser())
        assert [ex.line for ex in stock] == [example.line for example in page.examples]

    @pytest.mark.parametrize("page", PAGES)
    def test_sybils_own_markdown_parsers_find_the_same_examples(self, page: str):
        """Sybil's stock parsers see the same fences, doctests and code, in the same order."""
        path = DOCS / page
        text = path.read_text(encoding="utf-8")
        lexer = FencedCodeBlockLexer(language=r"python|pycon")
        stock_fences = [str(region.lexemes["source"]) for region in lexer(Document(text, page))]
        assert stock_fences == [fence.code for fence in read_file(path, page).fences]
        stock = Document.parse(str(path), PythonCodeBlockParser(), StockPycon())
        assert found_by(stock) == found_by(sybil_for(path))


class TestFailureLines:
    """A failing example names the line of its own >>>, also inside tabs and admonitions."""

    @pytest.mark.parametrize("opening", ['=== "Tab"', '!!! note "Note"', "Plain text."])
    def test_a_failing_example_reports_its_prompt_line(self, tmp_path: Path, opening: str):
        """The Sybil item of a wrong output sits at its >>> line, column after the indent."""
        spaces = 0 if opening == "Plain text." else 4
        wrong = SESSION.replace("hello\n>>>", "hello, world\n>>>")
        text = f"# Page\n\n{opening}\n\n{indented(wrong, spaces)}"
        path = tmp_path / "page.md"
        path.write_text(text)
        document = Document.parse(str(path), ExamplesParser())
        first = next(iter(document))
        assert (first.line, first.column) == (6, spaces + 1)
        with pytest.raises(SybilFailure, match=r"line 6, column \d+ did not evaluate"):
            first.evaluate()

    def test_a_skipped_block_is_skipped_with_its_reason(self, tmp_path: Path):
        """Sybil reports a skipped example as a skip, with the page's reason."""
        path = tmp_path / "page.md"
        path.write_text('<!-- skip: next "needs a GPU" -->\n' + SESSION)
        first = next(iter(Document.parse(str(path), ExamplesParser())))
        with pytest.raises(unittest.SkipTest, match="needs a GPU"):
            first.evaluate()
