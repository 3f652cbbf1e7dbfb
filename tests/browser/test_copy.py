"""The copy button on a doctest block puts only the code on the clipboard."""

from __future__ import annotations

import doctest

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


def test_copy_of_a_block_with_continuation_lines_is_runnable_code(
    page: Page, site_url: str, site_pages: list[str]
):
    """A doctest with ``...`` continuation lines copies as plain code, lines joined, no output."""
    # The first page with a pycon block whose prompts include a "... " continuation.
    continued = "div.language-pycon:has(.gp:text-is('...'))"
    for path in site_pages:
        page.goto(site_url + path)
        if page.locator(continued).count():
            break
    else:
        pytest.fail("no page has a doctest with '...' continuation lines to copy")
    block = page.locator(continued).first
    session = block.locator("code").inner_text()
    expected = "".join(e.source for e in doctest.DocTestParser().get_examples(session)).rstrip()
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == expected
    assert "\n" in copied
    assert not [line for line in copied.splitlines() if line.startswith((">>>", "..."))]
