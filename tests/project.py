"""The project on disk: where it is, how to copy it and how to build its site."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# What a copy of the project needs to build and test; everything else is left out.
PROJECT_FILES = (
    "mkdocs.yml",
    "pyproject.toml",
    "conftest.py",
    "README.md",
    "CONTRIBUTING.md",
    "LICENSE",
)
PROJECT_DIRS = (
    "docs",
    "vmconcepts",
    "examples_pipeline",
    "hooks",
    "includes",
    "overrides",
    "scripts",
)


def mkdocs_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` on a project; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )


def page_url(source: str) -> str:
    """The URL path, relative to the site's root, that MkDocs gives a page in docs/."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


# Every page of the site, known before it is built, so each can be its own test (and so
# tests of different pages can run in different processes); a test checks the built site
# has exactly these.
SITE_PAGES = sorted(page_url(page.relative_to(DOCS).as_posix()) for page in DOCS.rglob("*.md"))


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary directory that every process of this test run shares (pytest -n or not)."""
    base = tmp_path_factory.getbasetemp()
    # pytest-xdist gives each worker its own directory inside the run's.
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# Every page MkDocs writes carries this tag; other index.html files (vendored assets) do not.
GENERATOR = '<meta name="generator" content="mkdocs-'


def page_paths(site: Path) -> list[str]:
    """Every page of a built site, as a URL path relative to its root ("" for the home page)."""
    return sorted(
        "" if index.parent == site else index.parent.relative_to(site).as_posix() + "/"
        for index in site.rglob("index.html")
        if GENERATOR in index.read_text(encoding="utf-8")
    )


def build_once(directory: Path, **env: str) -> Path:
    """Build the site into ``directory/site`` unless another test process already has.

    The test processes of one run (pytest -n) share ``directory``; the first to get here
    builds while the others wait on the lock, then all read the same site. A failed build
    is remembered, so every process reports it instead of trying again.
    """
    site, failed = directory / "site", directory / "site-build-failed.txt"
    with (directory / "site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not failed.exists() and not (site / "index.html").is_file():
            build = mkdocs_build(ROOT, site, **env)
            if build.returncode != 0:
                failed.write_text(build.stderr, encoding="utf-8")
    if failed.exists():
        msg = f"mkdocs build --strict failed:\n{failed.read_text(encoding='utf-8')}"
        raise RuntimeError(msg)
    return site


def copy_project(destination: Path, *, stand_in_pages: bool = True) -> Path:
    """Copy the files the build and the examples need into ``destination``.

    With ``stand_in_pages`` each page is replaced by a short stand-in with the
    same name, so the copy builds in a second or two with the real
    configuration, hooks and plugins: the gate tests test those, not the prose.
    """
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in PROJECT_DIRS:
        shutil.copytree(
            ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    if stand_in_pages:
        for page in (destination / "docs").rglob("*.md"):
            if page.name != "contributing.md":  # keeps the snippet include under test
                page.write_text(f"# {page.stem}\n\nA stand-in page.\n\n## A section\n")
        (destination / "docs" / "reference" / "errors.md").write_text(
            "# API reference\n\n::: vmconcepts.errors.VMConceptsError\n"
        )
    if (ROOT / "node_modules").is_dir():  # installed npm packages (Pyodide) are linked, not copied
        (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination
