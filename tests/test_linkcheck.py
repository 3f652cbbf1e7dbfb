"""The link check on the built output (make linkcheck), whichever builder made the site.

It passes on our site and fails on broken links and anchors, naming the page and the target.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "linkcheck.py"
# The page the gate tests break, and where in it.
PAGE = Path("reference") / "cpu" / "index.html"
END_OF_CONTENT = "</article>"


def linkcheck(*args: str) -> subprocess.CompletedProcess[str]:
    """Run scripts/linkcheck.py as `make linkcheck` does."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def load_script() -> ModuleType:
    """scripts/linkcheck.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("linkcheck", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    """A copy of the built site that a test may break (no page links to the Python runtime)."""
    return Path(
        shutil.copytree(built_site, tmp_path / "site", ignore=shutil.ignore_patterns("pyodide"))
    )


def add_to_page(site: Path, html: str) -> None:
    """Put raw HTML at the end of one built page's content."""
    page = site / PAGE
    text = page.read_text(encoding="utf-8")
    assert text.count(END_OF_CONTENT) == 1, f"{PAGE} no longer has one {END_OF_CONTENT}"
    page.write_text(text.replace(END_OF_CONTENT, html + END_OF_CONTENT), encoding="utf-8")


@pytest.mark.slow
def test_the_built_site_has_no_broken_link_or_anchor(built_site: Path):
    """Every internal link and anchor of the strict build holds."""
    result = linkcheck(str(built_site))
    assert result.returncode == 0, result.stdout + result.stderr
    checked = re.search(r"Successful\.*(\d+)", result.stdout)
    assert checked, result.stdout
    assert int(checked.group(1)) > 1000, "far fewer links than the site has were checked"


@pytest.mark.slow
class TestGates:
    """Each kind of breakage in a built page fails the check, naming the page and the target."""

    @pytest.mark.parametrize(
        ("html", "target", "reason"),
        [
            ('<a href="../no-such-page/">x</a>', "/reference/no-such-page", "File not found"),
            ('<a href="../errors/#no-such-error">x</a>', "/errors#no-such-error", "fragment"),
            ('<a href="#no-such-anchor">x</a>', "/cpu/index.html#no-such-anchor", "fragment"),
            ('<img src="../../no-such.png" alt="">', "/no-such.png", "File not found"),
        ],
        ids=["page", "anchor-on-another-page", "anchor-on-the-same-page", "image"],
    )
    def test_breakage_fails_and_is_named(
        self, site_copy: Path, html: str, target: str, reason: str
    ):
        """The check exits 2 and lists the target under the page that links to it."""
        add_to_page(site_copy, html)
        result = linkcheck(str(site_copy))
        assert result.returncode == 2, result.stdout + result.stderr
        page_errors = result.stdout.split(f"Errors in {site_copy / PAGE}\n", 1)
        assert len(page_errors) == 2, result.stdout
        first = page_errors[1].splitlines()[0]
        assert target in first, first
        assert reason in first, first

    def test_links_to_other_sites_are_left_unchecked(self, site_copy: Path):
        """Without --external nothing leaves the machine: a dead host is not an error."""
        add_to_page(site_copy, '<a href="https://no-such-host.invalid/">x</a>')
        result = linkcheck(str(site_copy))
        assert result.returncode == 0, result.stdout + result.stderr


class TestBadInput:
    """The check says what to do when it cannot run."""

    def test_a_folder_that_is_no_built_site(self, tmp_path: Path):
        """A folder without index.html is named, with the command that builds one."""
        result = linkcheck(str(tmp_path))
        assert result.returncode == 1
        assert f"{tmp_path} has no index.html" in result.stderr
        assert "make build" in result.stderr

    def test_lychee_missing(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        """Without lychee beside Python or on PATH, it says how to install it."""
        script = load_script()
        monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
        monkeypatch.setenv("PATH", str(tmp_path))
        with pytest.raises(script.LinkCheckError, match=r"make install"):
            script.lychee()
