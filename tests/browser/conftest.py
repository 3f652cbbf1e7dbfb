"""A real Chromium, driven by Playwright, against the built site served on 127.0.0.1.

Locally the browser tests are skipped, with a message, when no Chromium is
found; under CI (``CI`` set) that is a failure, so CI can never pass by skipping.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from project import ROOT, SITE_PAGES, build_once, page_paths, run_directory

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

    Instant navigation follows only the links that the sitemap lists, and the sitemap holds
    full URLs, port included. The test processes of a run share one build, made for a
    stand-in address; each serves it on its own port through a folder of links to the
    build, with a sitemap that names that port.
    """
    stand_in = "http://127.0.0.1:1/vmconcepts/"
    directory = run_directory(tmp_path_factory) / "subpath"
    directory.mkdir(exist_ok=True)
    try:
        site = build_once(directory, SITE_URL=stand_in)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    root = tmp_path_factory.mktemp("subpath")
    with StaticServer(root) as server:
        url = server.origin + "/vmconcepts/"
        view = root / "vmconcepts"
        view.mkdir()
        for entry in site.iterdir():
            if not entry.name.startswith("sitemap.xml"):
                (view / entry.name).symlink_to(entry)
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8").replace(stand_in, url)
        (view / "sitemap.xml").write_text(sitemap, encoding="utf-8")
        (view / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode()))
        yield url


@pytest.fixture(scope="session")
def static_server() -> type[StaticServer]:
    """The server class, for tests that serve a page they have broken on purpose."""
    return StaticServer


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every page of the built site, as a URL path relative to its root ("" for the home page).

    They are the pages of docs/ (project.SITE_PAGES, which tests use to make one test per
    page before the site is built); this fails if the built site has others or lacks one.
    """
    pages = page_paths(built_site)
    assert pages == SITE_PAGES, f"built {pages}, expected the pages of docs/: {SITE_PAGES}"
    return pages


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab in its own context, allowed to use the clipboard."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    yield tab
    context.close()
