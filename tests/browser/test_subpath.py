"""The site built for https://example.github.io/vmconcepts/ works served below /vmconcepts/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page
from site_checks import broken_on_page, open_page, search, wait_for_new_page

if TYPE_CHECKING:
    from conftest import StaticServer

pytestmark = pytest.mark.browser


def test_nothing_is_broken_below_the_sub_path(
    page: Page, subpath_site_url: str, site_pages: list[str]
):
    """No page has a failed image, script, stylesheet or fetch, or a dead link."""
    broken = [
        problem for path in site_pages for problem in broken_on_page(page, subpath_site_url + path)
    ]
    assert broken == []


def test_search_works_below_the_sub_path(page: Page, subpath_site_url: str):
    """The search index loads and its results point below the sub-path."""
    open_page(page, subpath_site_url)
    results = search(page, "hypervisor")
    assert results
    assert [url for url in results if not url.startswith(subpath_site_url)] == []


def test_instant_navigation_works_below_the_sub_path(page: Page, subpath_site_url: str):
    """Following a nav link swaps the content in place, without reloading the page."""
    open_page(page, subpath_site_url)
    page.evaluate("window.loadedOnce = true")
    link = page.locator(".md-nav--primary a.md-nav__link[href]:not(.md-nav__link--active)").last
    target = link.get_attribute("href")
    assert target
    home = page.title()
    link.click()
    page.wait_for_url(lambda url: url != subpath_site_url)
    wait_for_new_page(page, home)
    assert page.url.startswith(subpath_site_url)
    assert page.evaluate("window.loadedOnce") is True, "the link reloaded the whole page"
    assert page.locator("article h1").count() == 1


def test_gate_root_relative_urls_are_caught(
    page: Page, built_site: Path, tmp_path: Path, static_server: type[StaticServer]
):
    """A page that links and loads from the server's root, not the sub-path, is reported."""
    below = tmp_path / "vmconcepts"
    below.mkdir()
    for entry in built_site.iterdir():
        if entry.name != "index.html":
            (below / entry.name).symlink_to(entry)
    html = (built_site / "index.html").read_text(encoding="utf-8")
    wrong = '<img src="/assets/favicon.svg" alt="logo"><a href="/glossary/">Glossary</a>'
    (below / "index.html").write_text(html.replace("</article>", wrong + "</article>", 1))
    with static_server(tmp_path) as server:
        broken = broken_on_page(page, server.origin + "/vmconcepts/")
    assert any("/assets/favicon.svg" in problem for problem in broken)
    assert any(problem.endswith(server.origin + "/glossary/") for problem in broken)
