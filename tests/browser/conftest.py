"""A real Chromium, driven by Playwright, against the built site served on 127.0.0.1.

Locally the browser tests are skipped, with a message, when no Chromium is
found; under CI (``CI`` set) that is a failure, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from project import ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "scripts"))
from gzip_server import GzipServer

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags that keep a headless Chromium from calling home on a machine with no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """The Chromium to use: $CHROMIUM if set, else the first one on PATH."""
    if explicit := os.environ.get("CHROMIUM"):
        return explicit
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to the test output."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the name is the base class's
        """Stay quiet."""


class StaticServer(GzipServer):
    """Serves a directory plain (no gzip) on 127.0.0.1 on a free port, in a background thread."""

    handler_class = QuietHandler


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright, or a skip (a failure under CI) when no Chromium is installed."""
    if find_chromium() is None:
        message = (
            "no Chromium found (looked for $CHROMIUM and "
            + ", ".join(CHROMIUM_NAMES)
            + "); install Debian's `chromium` package to run the browser tests"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    chromium = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The root URL of the built site, served on 127.0.0.1."""
    with StaticServer(built_site) as server:
        yield server.origin + "/"


@pytest.fixture(scope="session")
def subpath_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built for and served below /vmconcepts/, as a project's GitHub Pages serves it.

    It is built for its own address (SITE_URL) because instant navigation follows only
    the links that the sitemap lists, and the sitemap holds full URLs.
    """
    root = tmp_path_factory.mktemp("subpath")
    server = StaticServer(root)
    url = server.origin + "/vmconcepts/"
    build = mkdocs_build(ROOT, root / "vmconcepts", SITE_URL=url)
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict for {url} failed:\n{build.stderr}", pytrace=False)
    with server:
        yield url


@pytest.fixture(scope="session")
def static_server() -> type[StaticServer]:
    """The server class, for tests that serve a page they have broken on purpose."""
    return StaticServer


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every page of the built site, as a URL path relative to its root ("" for the home page)."""
    from site_checks import page_paths  # noqa: PLC0415 - tests/browser/site_checks.py, on sys.path like this file

    pages = page_paths(built_site)
    assert len(pages) > 1, f"found only {pages} in {built_site}"
    return pages


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab in its own context, allowed to use the clipboard."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    yield tab
    context.close()
