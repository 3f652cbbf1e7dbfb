"""`make fix-examples`: wrong outputs rewritten, the rest untouched, uncommitted files refused."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from pathlib import Path

import pytest
from project import ROOT

from examples_pipeline.fix import Rewrite, printed_or_raised
from examples_pipeline.reader import read_markdown

# Wrong in three ways: inside a tab, an exception's message, and a blank line in the output.
BROKEN_PAGE = """# A page

=== "A tab"

    ```pycon
    >>> print("tabbed")
    wrong
    >>> x = 41
    ```

Text between.

```pycon
>>> x + 1
42
>>> int("forty-two")
Traceback (most recent call last):
  ...
ValueError: something else
>>> print("a\\n\\nb")
a
b
```
"""

FIXED_PAGE = """# A page

=== "A tab"

    ```pycon
    >>> print("tabbed")
    tabbed
    >>> x = 41
    ```

Text between.

```pycon
>>> x + 1
42
>>> int("forty-two")
Traceback (most recent call last):
...
ValueError: invalid literal for int() with base 10: 'forty-two'
>>> print("a\\n\\nb")
a
<BLANKLINE>
b
```
"""

# A passing page with things a careless rewrite would change: trailing spaces, an ellipsis,
# a hidden set-up block, a raw comment, and no newline at the end.
PASSING_PAGE = (
    "# Passing  \n\n<!-- invisible-code-block: python\nimport random\n-->\n\n"
    "```pycon\n>>> object()  # varies\n<object object at 0x...>\n>>> print('x')  \nx   \n```"
)

MODULE = '''"""A module with one wrong docstring example.

Examples:
    >>> double(2)
    5
"""


def double(n: int) -> int:
    """Twice ``n``.

    Examples:
        >>> double(3)
        6
        >>> double(-1)
    """
    return 2 * n
'''


def git(repo: Path, *args: str) -> None:
    """Run git in the throwaway repository of a test (never in the project's own checkout)."""
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway git repository with a broken page, a passing page and a module, committed."""
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "broken.md").write_text(BROKEN_PAGE)
    (repo / "docs" / "passing.md").write_text(PASSING_PAGE)
    (repo / "demo").mkdir()
    (repo / "demo" / "__init__.py").write_text("")
    (repo / "demo" / "numbers.py").write_text(MODULE)
    git(repo, "init", "--quiet")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "--no-gpg-sign", "-m", "broken examples")
    return repo


def fix(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `make fix-examples`' command in ``repo``, on its docs/ and demo/ folders."""
    return subprocess.run(
        [sys.executable, "-m", "examples_pipeline.fix", *args, "docs", "demo"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


class TestRewrite:
    """The gate: wrong outputs become what the code prints; nothing else changes."""

    def test_wrong_outputs_are_rewritten_and_named(self, repo: Path):
        """Each failing example gets its output, and the command names its page and line."""
        result = fix(repo)
        assert result.returncode == 0, result.stderr
        assert (repo / "docs" / "broken.md").read_text() == FIXED_PAGE
        assert result.stdout.splitlines() == [
            "docs/broken.md:6: expected output rewritten",
            "docs/broken.md:16: expected output rewritten",
            "docs/broken.md:20: expected output rewritten",
            "demo/numbers.py:4: expected output rewritten",
            "demo/numbers.py:15: expected output rewritten",
            "2 file(s) rewritten.",
        ]

    def test_docstrings_are_rewritten_in_place(self, repo: Path):
        """In a module, only the docstrings' wrong outputs change, indented like their >>>."""
        fix(repo)
        fixed = MODULE.replace("    5\n", "    4\n").replace(
            "        >>> double(-1)\n", "        >>> double(-1)\n        -2\n"
        )
        assert (repo / "demo" / "numbers.py").read_text() == fixed

    def test_a_second_run_passes_and_changes_nothing(self, repo: Path):
        """After a rewrite every example passes: the second run has nothing to do."""
        fix(repo)
        git(repo, "commit", "--quiet", "--no-gpg-sign", "-am", "fixed")
        before = {path: path.read_bytes() for path in repo.rglob("*.*") if ".git" not in path.parts}
        result = fix(repo)
        assert result.returncode == 0
        assert result.stdout == "Every example passes.\n"
        assert {path: path.read_bytes() for path in before} == before

    def test_a_passing_page_is_untouched_byte_for_byte(self, repo: Path):
        """A page whose examples pass is not written at all."""
        page = repo / "docs" / "passing.md"
        stat = page.stat()
        fix(repo)
        assert page.read_bytes() == PASSING_PAGE.encode()
        assert page.stat().st_mtime_ns == stat.st_mtime_ns


class TestRefusals:
    """It never overwrites work in progress, and never guesses."""

    def test_a_file_with_uncommitted_changes_is_refused(self, repo: Path):
        """A dirty file is left as it is, with the reason and the way out; FORCE=1 rewrites it."""
        page = repo / "docs" / "broken.md"
        dirty = BROKEN_PAGE + "\nA sentence not yet committed.\n"
        page.write_text(dirty)
        result = fix(repo)
        assert result.returncode == 1
        assert "docs/broken.md: not rewritten, because it has uncommitted changes" in result.stderr
        assert "docs/broken.md:6, docs/broken.md:16, docs/broken.md:20" in result.stderr
        assert "make fix-examples FORCE=1" in result.stderr
        assert page.read_text() == dirty
        assert "demo/numbers.py:4: expected output rewritten" in result.stdout  # clean: fixed
        forced = fix(repo, "--force")
        assert forced.returncode == 0
        assert page.read_text() == FIXED_PAGE + "\nA sentence not yet committed.\n"

    def test_outside_git_it_refuses_unless_forced(self, tmp_path: Path):
        """Without git to ask, a file might hold unsaved work: it needs --force."""
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "page.md").write_text(BROKEN_PAGE)
        (tmp_path / "demo").mkdir()
        result = fix(tmp_path)
        assert result.returncode == 1
        assert "not in a git checkout" in result.stderr
        assert fix(tmp_path, "--force").returncode == 0
        assert (tmp_path / "docs" / "page.md").read_text() == FIXED_PAGE

    def test_code_that_raises_is_reported_not_rewritten(self, repo: Path):
        """A plain block that raises is the page's bug, not its output: named, not touched."""
        page = repo / "docs" / "broken.md"
        page.write_text("# Page\n\n```python\n1 / 0\n```\n\n" + SESSION_WRONG)
        git(repo, "commit", "--quiet", "--no-gpg-sign", "-am", "raises")
        result = fix(repo)
        assert result.returncode == 1
        assert "docs/broken.md:3: this code raised ZeroDivisionError: division by zero" in (
            result.stderr
        )
        assert page.read_text().endswith(SESSION_WRONG)

    def test_output_that_varies_is_not_rewritten(self, repo: Path):
        """Output that changes between runs cannot be fixed by rewriting: said, and not written."""
        page = repo / "docs" / "broken.md"
        varying = "```pycon\n>>> object()\n<object>\n```\n"
        page.write_text(varying)
        git(repo, "commit", "--quiet", "--no-gpg-sign", "-am", "varies")
        result = fix(repo)
        assert result.returncode == 1
        assert "docs/broken.md: not rewritten: with the new output, docs/broken.md:2 still" in (
            result.stderr
        )
        assert page.read_text() == varying

    def test_a_page_that_breaks_the_grammar_is_named(self, repo: Path):
        """A malformed directive stops that page, with its line."""
        page = repo / "docs" / "broken.md"
        page.write_text('<!-- skip: nxt "x" -->\n' + SESSION_WRONG)
        git(repo, "commit", "--quiet", "--no-gpg-sign", "-am", "typo")
        result = fix(repo)
        assert result.returncode == 1
        assert "docs/broken.md:1: unknown skip action 'nxt'" in result.stderr


SESSION_WRONG = '```pycon\n>>> print("hi")\nho\n```\n'


class TestExpectedOutput:
    """How what an example gave is written as its expected output."""

    def example(self, markdown: str) -> Rewrite:
        """The first example of a page, with no new output yet."""
        return Rewrite(read_markdown(markdown, "page.md").examples[0], "")

    def test_blank_lines_and_trailing_spaces(self):
        """Blank lines become <BLANKLINE>; trailing spaces go; the >>> indentation repeats."""
        rewrite = self.example('    ```pycon\n    >>> print("a  \\n\\nb")\n    x\n    ```\n')
        new = Rewrite(rewrite.example, "a  \n\nb\n")
        assert new.lines == "    a\n    <BLANKLINE>\n    b\n"

    def test_an_exception_keeps_doctests_short_form(self):
        """The frames go; the header, '...' and the exception's lines stay, also when chained."""
        want = "Traceback (most recent call last):\n...\nE: x\n"
        example = doctest.Example("f()\n", want, exc_msg="E: x\n")
        got = (
            "printed first\nTraceback (most recent call last):\n"
            '  File "<doctest>", line 1, in <module>\nKeyError: 1\n\n'
            "During handling of the above exception, another exception occurred:\n\n"
            'Traceback (most recent call last):\n  File "<doctest>", line 1, in <module>\n'
            "    f()\nValueError: no\nsecond line\n"
        )
        assert printed_or_raised(example, got) == (
            "Traceback (most recent call last):\n...\nValueError: no\nsecond line\n"
        )

    def test_printed_output_is_kept_as_it_is(self):
        """An example that expects output and prints another gets what it printed."""
        assert printed_or_raised(doctest.Example("f()\n", "1\n"), "2\n") == "2\n"
