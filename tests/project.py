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
PROJECT_DIRS = ("docs", "vmconcepts", "hooks", "includes", "overrides", "scripts")


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


def copy_project(destination: Path) -> Path:
    """Copy the files the build and the examples need into ``destination``."""
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in PROJECT_DIRS:
        shutil.copytree(
            ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    return destination
