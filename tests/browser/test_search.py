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


def test_search_index_waits_for_the_reader(page: Page, site_url: str):
    """The search index is not downloaded on page load, only once search is opened."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, site_url)
    assert not any(url.endswith("search_index.json") for url in requested)
    search(page, "hypervisor")
    assert any(url.endswith("search_index.json") for url in requested)
