"""``make fix-examples``: rerun the examples and rewrite the expected output of those that fail.

Sybil runs every example of each file in order, as the tests do. Where a ``>>>`` example
prints something else than its page says, the page gets what it printed; an exception is
written in doctest's short form (the ``Traceback`` header, ``...``, the last line). Passing
examples stay byte for byte as they are, and a file is written only if a second run of its
new text passes. A file with uncommitted changes is left alone unless ``--force`` is given,
so that each rewrite is a diff of its own, to read with ``git diff`` before committing.

Run it from the project's root: ``python -m examples_pipeline.fix [--force] [PATH ...]``.
"""

from __future__ import annotations

import argparse
import doctest
import shutil
import subprocess
import sys
import traceback
import unittest
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from types import TracebackType

from sybil import Document
from sybil.document import PythonDocument
from sybil.evaluators.doctest import DocTestEvaluator, DocTestRunner
from sybil.example import SybilFailure

from examples_pipeline.collect import ExamplesParser
from examples_pipeline.reader import (
    DOCSTRING_EXAMPLES,
    MARKDOWN_EXAMPLES,
    OPTIONFLAGS,
    Example,
    ExampleSyntaxError,
    display,
)

TRACEBACK = "Traceback (most recent call last):\n"


def short_traceback(exception_text: str) -> str:
    """An exception as doctest expects it: the header, ``...`` and the exception's own lines."""
    return f"{TRACEBACK}...\n{exception_text}"


def printed_or_raised(example: doctest.Example, got: str) -> str:
    """What a failing example's expected output should be, from what doctest says it got.

    When an exception was raised, ``got`` is the printed text followed by the whole
    traceback; doctest compares only the exception's lines, so only those are kept.
    """
    if example.exc_msg is None or TRACEBACK not in got:
        return got
    last = got[got.rindex(TRACEBACK) + len(TRACEBACK) :].splitlines(keepends=True)
    frames = next((i for i, line in enumerate(last) if not line[:1].isspace()), len(last))
    return short_traceback("".join(last[frames:]))


class _Recorder(DocTestRunner):
    """Sybil's doctest runner, which also keeps what the last failing example printed or raised."""

    def __init__(self) -> None:
        super().__init__(OPTIONFLAGS)
        self.got: str | None = None

    def report_failure(
        self,
        out: Callable[[str], object],
        test: doctest.DocTest,
        example: doctest.Example,
        got: str,
    ) -> None:
        """Keep what the example printed (or raised), then report as doctest does."""
        self.got = printed_or_raised(example, got)
        super().report_failure(out, test, example, got)

    def report_unexpected_exception(
        self,
        out: Callable[[str], object],
        test: doctest.DocTest,
        example: doctest.Example,
        exc_info: tuple[type[BaseException], BaseException, TracebackType],
    ) -> None:
        """Keep the exception in doctest's short form, then report as doctest does."""
        # doctest compares the last item of format_exception_only with the expected one.
        self.got = short_traceback(traceback.format_exception_only(*exc_info[:2])[-1])
        super().report_unexpected_exception(out, test, example, exc_info)


class _RecordingEvaluator(DocTestEvaluator):
    """Sybil's doctest evaluator, with a runner that records what failing examples gave."""

    def __init__(self) -> None:
        super().__init__(OPTIONFLAGS)
        self.recorder = _Recorder()
        self.runner = self.recorder


class Unfixable(Exception):  # noqa: N818 - it is a verdict on a file, not an error in this code
    """A file whose failures are not wrong expected output: the message says what to do."""


@dataclass(frozen=True)
class Rewrite:
    """One failing example and the expected output it gets, laid out as in its file."""

    example: Example
    want: str

    @property
    def lines(self) -> str:
        """The new expected output, indented like its ``>>>`` (blank lines as <BLANKLINE>)."""
        prefix = self.example.prefix
        return "".join(
            f"{prefix}{line.rstrip() or '<BLANKLINE>'}\n" for line in self.want.splitlines()
        )


def failures(path: Path, text: str) -> list[Rewrite]:
    """Run a file's examples as the tests do; the failing ``>>>`` examples, with what they gave.

    Raises:
        Unfixable: The file breaks the grammar, or code other than a ``>>>`` example raised.
    """
    evaluator = _RecordingEvaluator()
    parser = ExamplesParser(doctest=evaluator)
    document = (PythonDocument if path.suffix == ".py" else Document)(text, str(path))
    try:
        by_start = {example.start: example for example in parser.read(document).examples}
        for region in parser(document):
            document.add(region)
    except ExampleSyntaxError as error:
        msg = f"{error}\n{display(path)}: the examples cannot be read; fix the lines above first"
        raise Unfixable(msg) from None
    rewrites: list[Rewrite] = []
    for example in document.examples():
        evaluator.recorder.got = None
        try:
            with redirect_stderr(StringIO()):  # doctest compares stdout only; keep ours readable
                example.evaluate()
        except SybilFailure:
            if evaluator.recorder.got is None:
                raise  # a failure that is not a doctest's output: show it whole
            rewrites.append(Rewrite(by_start[example.start], evaluator.recorder.got))
        except unittest.SkipTest:
            continue
        except Exception as error:  # noqa: BLE001 - any error in a page's own code is reported
            msg = (
                f"{display(path)}:{example.line}: this code raised {type(error).__name__}: {error}"
                "\n  Only expected output is rewritten: fix the code, then run this again."
            )
            raise Unfixable(msg) from None
    return rewrites


def rewritten(text: str, rewrites: Sequence[Rewrite]) -> str:
    """The file's text with each rewrite's expected output in place; the rest byte for byte."""
    parts, position = [], 0
    for rewrite in sorted(rewrites, key=lambda r: r.example.start):
        parts += [text[position : rewrite.example.want_start], rewrite.lines]
        position = rewrite.example.end
    return "".join([*parts, text[position:]])


def uncommitted(path: Path) -> str | None:
    """Why ``path`` may not be rewritten without ``--force``, or None when git has it committed."""
    git = shutil.which("git")
    if git is None:
        return "git is not installed, so whether it has uncommitted changes is unknown"
    status = subprocess.run(  # noqa: S603 - git, asked about one file
        [git, "status", "--porcelain", "--", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if status.returncode != 0:
        return "it is not in a git checkout, so whether it has uncommitted changes is unknown"
    if status.stdout.strip():
        return "it has uncommitted changes"
    return None


def files(paths: Sequence[Path]) -> list[Path]:
    """The pages and modules to fix: the files given, and those inside the folders given."""
    patterns = (MARKDOWN_EXAMPLES[1], DOCSTRING_EXAMPLES[1])
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for pattern in patterns for p in path.rglob(pattern))
        else:
            found.append(path)
    return found


def fix(path: Path, *, force: bool) -> list[str]:
    """Rewrite one file's failing examples; what was done, one line each.

    Raises:
        Unfixable: The file cannot or may not be rewritten; the message says why and what to do.
    """
    text = path.read_text(encoding="utf-8")
    rewrites = failures(path, text)
    if not rewrites:
        return []
    where = [f"{display(path)}:{rewrite.example.line}" for rewrite in rewrites]
    if not force and (reason := uncommitted(path)):
        msg = (
            f"{display(path)}: not rewritten, because {reason}; failing: {', '.join(where)}"
            "\n  Commit or stash it first, or run `make fix-examples FORCE=1`."
        )
        raise Unfixable(msg)
    new_text = rewritten(text, rewrites)
    if still := failures(path, new_text):
        lines = ", ".join(f"{display(path)}:{rewrite.example.line}" for rewrite in still)
        msg = (
            f"{display(path)}: not rewritten: with the new output, {lines} still fail"
            " (output that changes from run to run, or that doctest cannot expect)."
            "\n  Fix those by hand: use '...' for what varies."
        )
        raise Unfixable(msg)
    path.write_text(new_text, encoding="utf-8")
    done = []
    for place, rewrite in zip(where, rewrites, strict=True):
        note = ""
        if "..." in rewrite.example.want and "..." not in rewrite.want:
            note = " (the old output had '...': put it back where the output varies)"
        done.append(f"{place}: expected output rewritten{note}")
    return done


def main(argv: Sequence[str] | None = None) -> int:
    """Fix the examples of the given files and folders; 0 if all pass now, 1 if some could not."""
    parser = argparse.ArgumentParser(
        prog="make fix-examples",
        description="Rerun the examples; rewrite the expected output of those that fail.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(MARKDOWN_EXAMPLES[0]), Path(DOCSTRING_EXAMPLES[0])],
        help="pages, modules and folders (default: docs and vmconcepts)",
    )
    parser.add_argument(
        "--force", action="store_true", help="rewrite files with uncommitted changes too"
    )
    arguments = parser.parse_args(argv)
    changed, refused = 0, 0
    for path in files(arguments.paths):
        try:
            done = fix(path, force=arguments.force)
        except Unfixable as error:
            sys.stderr.write(f"{error}\n")
            refused += 1
            continue
        changed += bool(done)
        sys.stdout.writelines(f"{line}\n" for line in done)
    if refused:
        sys.stderr.write(f"{refused} file(s) not rewritten: see above.\n")
        return 1
    summary = f"{changed} file(s) rewritten." if changed else "Every example passes."
    sys.stdout.write(f"{summary}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
