"""The project on disk: where it is, how to copy it and how to build its site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
