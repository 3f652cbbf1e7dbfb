"""The copy button on a doctest block puts only the code on the clipboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_copy_button_copies_code_without_prompts_or_output(page: Page, site_url: str):
    """Clicking copy on the home page's first doctest yields its code alone."""
    page.goto(site_url)
    block = page.locator("div.language-pycon").first
    expected = block.get_attribute("data-copy")
    assert expected
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == expected
    assert ">>>" not in copied
