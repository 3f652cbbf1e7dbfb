"""Fixtures shared by the tests: a strict build of the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from project import build_once, run_directory


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with ``--strict`` once per test run, shared by all its processes."""
    directory = run_directory(tmp_path_factory) / "built"
    directory.mkdir(exist_ok=True)
    try:
        return build_once(directory)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
