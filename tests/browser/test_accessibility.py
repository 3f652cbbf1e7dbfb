"""axe-core finds nothing wrong on any page, in either palette, or with search open."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from site_checks import axe_violations, open_page, search

pytestmark = pytest.mark.browser

# Playwright's name for the reader's colour preference, and the theme's scheme for it.
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("preference", SCHEMES)
def test_every_page_has_no_axe_violations(
    browser: Browser, site_url: str, site_pages: list[str], preference: str
):
    """Every page passes axe-core in the palette the reader's system asks for."""
    context = browser.new_context(color_scheme=preference)
    page = context.new_page()
    violations = []
    for path in site_pages:
        open_page(page, site_url + path)
        scheme = page.get_attribute("body", "data-md-color-scheme")
        assert scheme == SCHEMES[preference], f"{path}: the {preference} palette did not apply"
        violations += axe_violations(page)
    context.close()
    assert violations == []


@pytest.mark.parametrize("preference", SCHEMES)
def test_open_search_dialog_has_no_axe_violations(browser: Browser, site_url: str, preference: str):
    """With search open and showing results, axe-core finds nothing wrong."""
    context = browser.new_context(color_scheme=preference)
    page = context.new_page()
    open_page(page, site_url)
    search(page, "hypervisor")
    violations = axe_violations(page)
    context.close()
    assert violations == []


def test_gate_axe_catches_an_image_without_alt(page: Page, site_url: str):
    """An image with no alt text added to the home page is reported (the check can fail)."""
    open_page(page, site_url)
    page.evaluate("""() => {
        const image = document.createElement('img');
        image.src = 'assets/favicon.svg';
        document.querySelector('article').append(image);
    }""")
    assert any("image-alt" in violation for violation in axe_violations(page))
