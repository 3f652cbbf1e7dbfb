"""Search finds pages that exist."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page
from site_checks import open_page, search

pytestmark = pytest.mark.browser


def test_hypervisor_finds_existing_pages(page: Page, site_url: str, built_site: Path):
    """Searching "hypervisor" from the home page lists results, each a page that was built."""
    open_page(page, site_url)
    results = search(page, "hypervisor")
    assert results
    missing = [
        url
        for url in results
        if not (built_site / urlsplit(url).path.lstrip("/") / "index.html").is_file()
    ]
    assert missing == []


def is_search_download(url: str) -> bool:
    """The search index, or the script of the worker that searches it."""
    return url.endswith("search_index.json") or "/workers/search." in url


def test_search_waits_for_the_reader(page: Page, site_url: str):
    """The search index and worker are not downloaded on page load, only once search is opened."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, site_url)
    assert not any(is_search_download(url) for url in requested)
    search(page, "hypervisor")
    assert sum(is_search_download(url) for url in requested) == 2  # the index and the worker
