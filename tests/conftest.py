"""Fixtures shared by the tests: a strict build of the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from project import ROOT, mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once per test session with ``--strict``; fails loudly if the build fails."""
    site = tmp_path_factory.mktemp("site")
    build = mkdocs_build(ROOT, site)
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stderr}", pytrace=False)
    return site
