r"""The one reader of the site's examples: a page or a module's docstrings in, examples out.

Sybil's collection, the docs checks, the in-browser runner's build step and the browser
tests all read examples through this module, so they cannot disagree about the grammar.
It is stdlib-only and runs at build and test time; it does not ship in the library.

The grammar, defined here and nowhere else.

Fenced code blocks, at any indentation (inside content tabs, admonitions and lists):

- ```` ```pycon ````: a doctest session. Every ``>>>`` prompt is an example whose printed
  output is compared with the lines below it.
- ```` ```python ````: plain code that must run without raising.
- ```` ```python exec="on" ````: run by markdown-exec while the site builds, not by the tests.
- ```` ```console ````: shell commands. When every ``$`` line runs ``vmconcepts``, the
  browser can run the block.
- Any other Python fence (```` ```py ````, ```` ```python title="x.py" ````) is an error,
  because nothing would run it.

Directives, in HTML comments outside fences:

- ``<!-- invisible-code-block: python`` then code then ``-->``: hidden set-up, run but not shown.
- ``<!-- clear-namespace -->``: what follows starts from an empty namespace.
- ``<!-- skip: next "why" -->``: the tests skip the next ```` ```pycon ```` or ```` ```python ````
  block, and say why.
- ``<!-- skip: start "why" -->`` ... ``<!-- skip: end -->``: the tests skip everything between.
- ``<!-- browser: skip "why" -->``: the next block cannot run in a browser; the page says why.

A reason is quoted with double or single quotes. A comment that starts with a lowercase
``name:``, or holds one lowercase word only, is a directive: an unknown or malformed one is
an error that names the file and the line. Any other comment is prose and is ignored.

Docstrings (of modules, classes and functions) hold doctest examples, as doctest reads them.
"""

from __future__ import annotations

import ast
import difflib
import doctest
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# Output is compared exactly; only "..." may stand for a value that truly varies.
OPTIONFLAGS = doctest.ELLIPSIS
# Where the examples are, relative to the project's root: pages and the library's docstrings.
MARKDOWN_EXAMPLES = ("docs", "*.md")
DOCSTRING_EXAMPLES = ("vmconcepts", "*.py")


class Mode(StrEnum):
    """How a block runs."""

    PYCON = "pycon"
    """A doctest session: each ``>>>`` example runs and its output is compared."""
    PYTHON = "python"
    """Plain code, run as a whole; it must not raise."""
    BUILD_TIME = "build-time"
    """Run by markdown-exec while the site builds (``exec="on"``); not by the tests."""
    CLI = "cli"
    """``vmconcepts`` commands in a ```` ```console ```` block; only the browser runs them."""


class SkipAction(StrEnum):
    """What a ``skip`` directive does."""

    NEXT = "next"
    START = "start"
    END = "end"


@dataclass(frozen=True)
class HiddenSetup:
    """``<!-- invisible-code-block: python ...-->``: code that runs but is not shown."""

    code: str


@dataclass(frozen=True)
class Clear:
    """``<!-- clear-namespace -->``: what follows starts from an empty namespace."""


@dataclass(frozen=True)
class Skip:
    """``<!-- skip: next|start "why" -->`` or ``<!-- skip: end -->``."""

    action: SkipAction
    reason: str | None


@dataclass(frozen=True)
class BrowserSkip:
    """``<!-- browser: skip "why" -->``: the next block cannot run in a browser."""

    reason: str


Directive = HiddenSetup | Clear | Skip | BrowserSkip


@dataclass(frozen=True)
class Problem:
    """One place where a file breaks the grammar, and what would work instead."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ExampleSyntaxError(ValueError):
    """A page or a docstring breaks the examples' grammar; one line per problem, with its place."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class GrammarError(ValueError):
    """One comment or fence breaks the grammar; the message says what would work."""


@dataclass(frozen=True)
class Example:
    """One ``>>>`` prompt: the code doctest runs, the output it expects, and where both are."""

    source: str
    """The code, without prompts, ending in a newline (doctest's ``source``)."""
    want: str
    """The expected output, dedented, "" when none (doctest's ``want``)."""
    exc_msg: str | None
    """For an expected exception, the line doctest compares (doctest's ``exc_msg``)."""
    options: tuple[tuple[int, bool], ...]
    """The example's ``# doctest:`` options, as (flag, on) pairs."""
    line: int
    """The 1-based line of the ``>>>`` in the file."""
    start: int
    """The offset of the ``>>>`` in the file's text."""
    want_start: int
    """The offset where the expected output's first line starts (``end`` when there is none)."""
    end: int
    """The offset just past the expected output's last line."""
    prefix: str
    """What comes before ``>>>`` on its line: the indentation its expected output repeats."""

    @property
    def flags(self) -> int:
        """The doctest flags it runs with: ours (ELLIPSIS) with its own options applied."""
        flags = OPTIONFLAGS
        for flag, on in self.options:
            flags = flags | flag if on else flags & ~flag
        return flags

    @property
    def skipped_by_doctest(self) -> bool:
        """Whether it is marked ``# doctest: +SKIP``, so doctest never runs it."""
        return bool(self.flags & doctest.SKIP)

    def to_doctest(self) -> doctest.Example:
        """The same example as the standard library's doctest runs it (line 0-based)."""
        return doctest.Example(
            self.source,
            self.want,
            self.exc_msg,
            lineno=self.line - 1,
            indent=len(self.prefix),
            options=dict(self.options),
        )


@dataclass(frozen=True)
class Block:
    """A block of code: a fence, a hidden set-up block, or a docstring with examples."""

    path: str
    line: int
    """The 1-based line where it starts: its opening fence, its ``<!--``, its docstring."""
    mode: Mode
    code: str
    """Its code, without the indentation of an indented fence."""
    code_line: int
    """The 1-based line of the code's first line."""
    start: int
    end: int
    examples: tuple[Example, ...] = ()
    """Its ``>>>`` examples (for ``Mode.PYCON``)."""
    hidden: bool = False
    """Hidden set-up: runs but is not shown (so it has no Run button of its own)."""
    skip: str | None = None
    """Why the tests skip it, or None when they run it."""
    browser_skip: str | None = None
    """Why the browser cannot run it, or None when it can."""
    arguments: tuple[str, ...] = ()
    """For ``Mode.CLI``: the arguments of each ``vmconcepts`` command."""

    @property
    def runs_in_tests(self) -> bool:
        """Whether Sybil runs it (and does not skip it)."""
        return self.mode in {Mode.PYCON, Mode.PYTHON} and self.skip is None

    @property
    def has_run_button(self) -> bool:
        """Whether the page shows it with a Run button: a fence the browser can run."""
        return not self.hidden and self.mode in {Mode.PYCON, Mode.PYTHON, Mode.CLI}


@dataclass(frozen=True)
class ClearNamespace:
    """Where ``<!-- clear-namespace -->`` stands."""

    path: str
    line: int
    start: int
    end: int


Step = Block | ClearNamespace


@dataclass(frozen=True)
class Page:
    """What one file holds, in order: its blocks and its namespace resets."""

    path: str
    steps: tuple[Step, ...]

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every block, in order."""
        return tuple(step for step in self.steps if isinstance(step, Block))

    @property
    def fences(self) -> tuple[Block, ...]:
        """The ```` ```pycon ```` and ```` ```python ```` fences, skipped or not, in order."""
        return tuple(
            block
            for block in self.blocks
            if not block.hidden and block.mode in {Mode.PYCON, Mode.PYTHON}
        )

    @property
    def examples(self) -> tuple[Example, ...]:
        """Every ``>>>`` example, in order."""
        return tuple(example for block in self.blocks for example in block.examples)


# --- Directives ---------------------------------------------------------------------------

DIRECTIVE = re.compile(r"\A\s*(?P<name>[a-z][a-z0-9-]*)\s*(?::(?P<arguments>.*))?\Z", re.DOTALL)
QUOTED = re.compile(r"""\A(?P<quote>["'])(?P<reason>.*)(?P=quote)\Z""", re.DOTALL)
SKIP_FORMS = '<!-- skip: next "why" -->, <!-- skip: start "why" --> or <!-- skip: end -->'
BROWSER_FORM = '<!-- browser: skip "why" -->'
SETUP_FORM = "<!-- invisible-code-block: python, then the code on the lines below, then -->"


def _reason(text: str, form: str) -> str:
    """The reason inside quotes, or an error that shows the form that works."""
    quoted = QUOTED.match(text.strip())
    if quoted is None or not quoted["reason"].strip():
        msg = f"needs a reason in quotes: {form}"
        raise GrammarError(msg)
    return quoted["reason"].strip()


def _setup(arguments: str) -> HiddenSetup:
    language, _, code = arguments.partition("\n")
    if language.strip() != "python":
        msg = f"hidden set-up runs Python: write {SETUP_FORM}"
        raise GrammarError(msg)
    code = textwrap.dedent(code).strip("\n")
    if not code.strip():
        msg = f"a hidden set-up block has no code: {SETUP_FORM}"
        raise GrammarError(msg)
    if code.lstrip().startswith(">>>"):
        msg = "hidden set-up is plain Python: drop the '>>>' prompts"
        raise GrammarError(msg)
    return HiddenSetup(code + "\n")


def _first_word(arguments: str) -> tuple[str, str]:
    """The first word of a directive's arguments, and the rest."""
    words = arguments.split(maxsplit=1)
    return (words[0] if words else ""), (words[1] if len(words) > 1 else "")


def _skip(arguments: str) -> Skip:
    action, rest = _first_word(arguments)
    if action not in set(SkipAction):
        msg = f"unknown skip action {action!r}: write {SKIP_FORMS}"
        raise GrammarError(msg)
    if action == SkipAction.END:
        if rest.strip():
            msg = "<!-- skip: end --> takes no reason; the reason goes on <!-- skip: start -->"
            raise GrammarError(msg)
        return Skip(SkipAction.END, None)
    return Skip(SkipAction(action), _reason(rest, f'<!-- skip: {action} "why" -->'))


def _browser(arguments: str) -> BrowserSkip:
    action, rest = _first_word(arguments)
    if action != "skip":
        msg = f"unknown browser directive {action!r}: the only one is {BROWSER_FORM}"
        raise GrammarError(msg)
    return BrowserSkip(_reason(rest, BROWSER_FORM))


def _clear(arguments: str | None) -> Clear:
    if arguments is not None:
        msg = "<!-- clear-namespace --> takes no arguments"
        raise GrammarError(msg)
    return Clear()


DIRECTIVES = ("invisible-code-block", "clear-namespace", "skip", "browser")


def parse_directive(body: str) -> Directive | None:
    """Read one HTML comment's text: the directive it holds, or None for a plain comment.

    Raises:
        GrammarError: It is shaped like a directive (``name: ...`` or one lowercase word)
            but unknown or malformed; the message says what would work.
    """
    match = DIRECTIVE.match(body)
    if match is None:
        return None
    name, arguments = match["name"], match["arguments"]
    if name == "clear-namespace":
        return _clear(arguments)
    if name == "invisible-code-block":
        return _setup(arguments or "")
    if name == "skip":
        return _skip(arguments or "")
    if name == "browser":
        return _browser(arguments or "")
    guess = difflib.get_close_matches(name, DIRECTIVES, n=1)
    hint = f"did you mean {guess[0]!r}? " if guess else ""
    msg = (
        f"unknown directive {name!r}: {hint}the directives are {', '.join(DIRECTIVES)}"
        " (a comment that is not a directive must not start with a lowercase 'word:')"
    )
    raise GrammarError(msg)


# --- Code: doctest sessions and commands ----------------------------------------------------

COMMAND = re.compile(r"^\$ (?:vmconcepts|python3? -m vmconcepts)(?P<args>(?: .*)?)$")


def cli_arguments(text: str) -> tuple[str, ...] | None:
    """The arguments of each ``$ vmconcepts`` command of a console block; None if another runs."""
    commands = [line for line in text.splitlines() if line.startswith("$ ")]
    parsed = [COMMAND.match(line) for line in commands]
    if not commands or not all(parsed):
        return None
    return tuple(match["args"].strip() for match in parsed if match)


def run_chunks(code: str) -> tuple[Mode, tuple[str, ...]]:
    """How to run a block's code: each doctest example's source (but +SKIP ones), or the whole."""
    if code.lstrip().startswith(">>>"):
        examples = doctest.DocTestParser().get_examples(code)
        return Mode.PYCON, tuple(
            example.source for example in examples if not example.options.get(doctest.SKIP)
        )
    return Mode.PYTHON, (code,)


class _Lines:
    """A file's text with the offset of each line, to turn line numbers into offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def start(self, index: int) -> int:
        """The offset where the line at 0-based ``index`` starts (the text's end past the last)."""
        return self.starts[min(index, len(self.lines))]

    def examples(
        self, code: str, first: int, limit: int, path: str, line: int
    ) -> tuple[Example, ...]:
        """The ``>>>`` examples of ``code``, which starts on the file's line ``first`` (from 0).

        Expected output ends at offset ``limit`` at the latest: a docstring's closing quotes
        may share its last line.
        """
        try:
            found = doctest.DocTestParser().get_examples(code, path)
        except ValueError as error:
            msg = f"doctest cannot read this block: {error}"
            raise ExampleSyntaxError([Problem(path, line, msg)]) from None
        examples = []
        for example in found:
            index = first + example.lineno
            column = self.lines[index].find(">>>")
            sources = example.source.count("\n")
            wants = example.want.count("\n")
            examples.append(
                Example(
                    source=example.source,
                    want=example.want,
                    exc_msg=example.exc_msg,
                    options=tuple(sorted(example.options.items())),
                    line=index + 1,
                    start=self.start(index) + column,
                    want_start=min(self.start(index + sources), limit),
                    end=min(self.start(index + sources + wants), limit),
                    prefix=self.lines[index][:column],
                )
            )
        return tuple(examples)


# --- Markdown -------------------------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)\s*$")
COMMENT = re.compile(r"^ *<!--")
PYTHON_LANGUAGES = {"python", "pycon", "py", "python3", "py3"}
BUILD_TIME = re.compile(r'\bexec="(?:on|true|1)"')
NEXT_BLOCK = "```pycon or ```python block"


def fence_mode(info: str, code: str) -> Mode | None:
    """How a fence runs, from its info string and code; None for a fence that holds no example.

    Raises:
        GrammarError: A Python fence that nothing would run, or a doctest in the wrong fence.
    """
    language = info.split(maxsplit=1)[0] if info else ""
    if language in PYTHON_LANGUAGES and BUILD_TIME.search(info):
        return Mode.BUILD_TIME
    doctest_session = code.lstrip().startswith(">>>")
    if info == "pycon" and not doctest_session:
        msg = "a ```pycon block must start with a '>>>' prompt"
        raise GrammarError(msg)
    if info == "python" and doctest_session:
        msg = "a doctest belongs in ```pycon, which shows prompts and output apart"
        raise GrammarError(msg)
    if info in {"pycon", "python"}:
        return Mode(info)
    if language in PYTHON_LANGUAGES:
        msg = f"```{info} is not run by the tests; use ```pycon or ```python"
        raise GrammarError(msg)
    if language == "console" and cli_arguments(code) is not None:
        return Mode.CLI
    return None


def _closes(line: str, fence: str, indent: int) -> bool:
    """Whether ``line`` closes a fence opened with ``fence`` at ``indent`` spaces."""
    match = FENCE.match(line.rstrip("\n"))
    return (
        match is not None
        and not match["info"]
        and match["fence"][0] == fence[0]
        and len(match["fence"]) >= len(fence)
        and len(match["indent"]) <= indent + 3
    )


def _dedent(line: str, indent: int) -> str:
    """A fence's line without the fence's own indentation (fewer spaces if it has fewer)."""
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


class _MarkdownReader:
    """Walks a page's lines once, in order, keeping the directives that wait for a block."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.text = _Lines(text)
        self.steps: list[Step] = []
        self.problems: list[Problem] = []
        self.skip_next: tuple[int, str] | None = None  # (line, reason)
        self.skip_range: tuple[int, str] | None = None
        self.browser_skip: tuple[int, str] | None = None

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def read(self) -> Page:
        lines = self.text.lines
        index = 0
        while index < len(lines):
            fence = FENCE.match(lines[index].rstrip("\n"))
            # A backtick fence's info string has no backtick (else it is inline code).
            if fence and (fence["fence"][0] != "`" or "`" not in fence["info"]):
                index = self.fence(index, fence)
                continue
            if COMMENT.match(lines[index]):
                index = self.comment(index)
                continue
            index += 1
        self.finish()
        if self.problems:
            raise ExampleSyntaxError(sorted(self.problems, key=lambda problem: problem.line))
        return Page(self.path, tuple(self.steps))

    def fence(self, opening: int, fence: re.Match[str]) -> int:
        """Read the fence that opens at line ``opening``; return the index past its end."""
        lines, indent = self.text.lines, len(fence["indent"])
        closing = next(
            (
                i
                for i in range(opening + 1, len(lines))
                if _closes(lines[i], fence["fence"], indent)
            ),
            None,
        )
        if closing is None:
            self.problem(opening + 1, f"this {fence['fence']} fence is never closed")
            return len(lines)
        code = "".join(_dedent(line, indent) for line in lines[opening + 1 : closing])
        self.block(fence["info"], code, opening, closing)
        return closing + 1

    def block(self, info: str, code: str, opening: int, closing: int) -> None:
        """Record a fence as a block, if it is one, with the directives that wait for it."""
        line = opening + 1
        try:
            mode = fence_mode(info, code)
        except GrammarError as error:
            self.problem(line, str(error))
            return
        if mode is None:
            return
        waiting = self.skip_next or self.browser_skip
        if mode is Mode.BUILD_TIME and waiting:
            msg = 'the next block runs while the site builds (exec="on"): there is nothing to skip'
            self.problem(waiting[0], msg)
            self.skip_next = self.browser_skip = None
        skip = browser_skip = None
        if mode in {Mode.PYCON, Mode.PYTHON}:
            skip = self.take_skip()
        if mode in {Mode.PYCON, Mode.PYTHON, Mode.CLI} and self.browser_skip:
            browser_skip, self.browser_skip = self.browser_skip[1], None
        examples: tuple[Example, ...] = ()
        if mode is Mode.PYCON:
            try:
                limit = self.text.start(closing)
                examples = self.text.examples(code, opening + 1, limit, self.path, line)
            except ExampleSyntaxError as error:
                self.problems.extend(error.problems)
                return
        self.steps.append(
            Block(
                path=self.path,
                line=line,
                mode=mode,
                code=code,
                code_line=line + 1,
                start=self.text.start(opening),
                end=self.text.start(closing + 1),
                examples=examples,
                skip=skip,
                browser_skip=browser_skip,
                arguments=(cli_arguments(code) or ()) if mode is Mode.CLI else (),
            )
        )

    def take_skip(self) -> str | None:
        """The reason the tests skip the block being read (a pending ``skip: next`` is used up)."""
        if self.skip_next:
            reason, self.skip_next = self.skip_next[1], None
            return reason
        return self.skip_range[1] if self.skip_range else None

    def comment(self, opening: int) -> int:
        """Read the comment that opens at line ``opening``; return the index past its end."""
        text = self.text.text
        start = self.text.start(opening)
        body_start = text.index("<!--", start) + len("<!--")
        end = text.find("-->", body_start)
        line = opening + 1
        if end == -1:
            self.problem(line, "this comment is never closed with -->")
            return len(self.text.lines)
        closing = text.count("\n", start, end)
        try:
            directive = parse_directive(text[body_start:end])
        except GrammarError as error:
            self.problem(line, str(error))
        else:
            if directive is not None:
                self.directive(directive, line, start, self.text.start(opening + closing + 1))
        return opening + closing + 1

    def directive(self, directive: Directive, line: int, start: int, end: int) -> None:
        """Apply one directive: record a step or remember it for the blocks that follow."""
        if isinstance(directive, Clear):
            self.steps.append(ClearNamespace(self.path, line, start, end))
        elif isinstance(directive, HiddenSetup):
            self.steps.append(
                Block(
                    path=self.path,
                    line=line,
                    mode=Mode.PYTHON,
                    code=directive.code,
                    code_line=line + 1,
                    start=start,
                    end=end,
                    hidden=True,
                    skip=self.skip_range[1] if self.skip_range else None,
                )
            )
        elif isinstance(directive, BrowserSkip):
            if self.browser_skip:
                self.problem(line, f"line {self.browser_skip[0]} already skips the next block")
            self.browser_skip = (line, directive.reason)
        else:
            self.skip(directive, line)

    def skip(self, directive: Skip, line: int) -> None:
        """Open or close a skip, refusing the combinations that would leave it unclear."""
        if self.skip_next:
            self.problem(line, f"<!-- skip: next --> at line {self.skip_next[0]} has no block yet")
        if directive.action is SkipAction.END:
            if self.skip_range is None:
                self.problem(line, '<!-- skip: end --> without <!-- skip: start "why" --> before')
            self.skip_range = None
            return
        if self.skip_range:
            where = f"line {self.skip_range[0]}"
            self.problem(line, f"inside the skip that starts at {where}; end that first")
            return
        assert directive.reason is not None  # noqa: S101 - the grammar gives next and start one
        if directive.action is SkipAction.NEXT:
            self.skip_next = (line, directive.reason)
        else:
            self.skip_range = (line, directive.reason)

    def finish(self) -> None:
        """Directives still waiting at the end of the page are mistakes."""
        if self.skip_next:
            self.problem(self.skip_next[0], f"<!-- skip: next --> but no {NEXT_BLOCK} follows")
        if self.skip_range:
            self.problem(self.skip_range[0], "this skip is never ended: add <!-- skip: end -->")
        if self.browser_skip:
            self.problem(self.browser_skip[0], "<!-- browser: skip --> but no block follows")


def read_markdown(text: str, path: str) -> Page:
    """Read a Markdown page into its blocks and namespace resets.

    Raises:
        ExampleSyntaxError: The page breaks the grammar (every problem, each with its line).
    """
    return _MarkdownReader(text, path).read()


# --- Docstrings -----------------------------------------------------------------------------

DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
OPENING_QUOTES = re.compile(r"[rRuU]?(\"\"\"|'''|\"|')")


def read_module(text: str, path: str) -> Page:
    """Read the docstrings of a Python module, as Sybil does: one block per docstring with examples.

    Raises:
        ExampleSyntaxError: A docstring's examples cannot be read or cannot be placed.
    """
    lines = _Lines(text)
    blocks: list[Block] = []
    problems: list[Problem] = []
    for node in ast.walk(ast.parse(text, path)):
        if not isinstance(node, DOCUMENTED) or not node.body:
            continue
        first = node.body[0]
        if not (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            continue
        docstring = first.value
        value = str(docstring.value)
        if ">>>" not in value:
            continue
        # ast gives columns in UTF-8 bytes; the offsets here count characters.
        line_text = lines.lines[docstring.lineno - 1]
        column = len(line_text.encode()[: docstring.col_offset].decode())
        quotes = OPENING_QUOTES.match(line_text, column)
        start = lines.start(docstring.lineno - 1) + (quotes.end() if quotes else column)
        end_text = lines.lines[(docstring.end_lineno or docstring.lineno) - 1]
        end_column = len(end_text.encode()[: docstring.end_col_offset or 0].decode())
        end = lines.start((docstring.end_lineno or docstring.lineno) - 1) + end_column
        end -= len(quotes[1]) if quotes else 0
        if text[start:end] != value:
            msg = (
                "this docstring has backslash escapes, so its examples cannot be placed"
                ' line by line: make it a raw docstring (r""")'
            )
            problems.append(Problem(path, docstring.lineno, msg))
            continue
        try:
            examples = lines.examples(value, docstring.lineno - 1, end, path, docstring.lineno)
        except ExampleSyntaxError as error:
            problems.extend(error.problems)
            continue
        if examples:
            blocks.append(
                Block(
                    path=path,
                    line=docstring.lineno,
                    mode=Mode.PYCON,
                    code=value,
                    code_line=docstring.lineno,
                    start=start,
                    end=end,
                    examples=examples,
                )
            )
    if problems:
        raise ExampleSyntaxError(problems)
    return Page(path, tuple(sorted(blocks, key=lambda block: block.start)))


def display(path: str | Path) -> str:
    """A file's path as a person would type it: relative to the current directory if inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def read_file(path: Path, name: str | None = None) -> Page:
    """Read a Markdown page (``.md``) or a Python module (``.py``); ``name`` names it in errors.

    Raises:
        ExampleSyntaxError: The file breaks the grammar.
    """
    text = path.read_text(encoding="utf-8")
    name = name or display(path)
    return read_module(text, name) if path.suffix == ".py" else read_markdown(text, name)
