"""On a 360 px phone no page scrolls sideways and no text is smaller than 16 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from project import SITE_PAGES
from site_checks import PHONE_WIDTH, layout_problems, open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A tab the size of a small phone, with touch, as a phone's browser lays it out."""
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", SITE_PAGES)
def test_pages_fit_a_phone(phone: Page, site_url: str, path: str):
    """Wide tables, code and diagrams scroll in their own box; text is at least 16 px."""
    open_page(phone, site_url + path)
    assert layout_problems(phone) == []


class TestGates:
    """The phone check fails on a page broken on purpose."""

    def test_a_too_wide_element_is_caught(self, phone: Page, site_url: str):
        """A 600 px box in the article makes the page scroll sideways, and is reported."""
        open_page(phone, site_url)
        phone.evaluate("""() => {
            const box = document.createElement('div');
            box.style.width = '600px';
            box.textContent = 'wide';
            document.querySelector('article').append(box);
        }""")
        assert any("scrolls sideways" in problem for problem in layout_problems(phone))

    def test_small_text_is_caught(self, phone: Page, site_url: str):
        """A paragraph set in 12 px is reported."""
        open_page(phone, site_url)
        phone.evaluate("""() => {
            const note = document.createElement('p');
            note.style.fontSize = '12px';
            note.textContent = 'fine print';
            document.querySelector('article').append(note);
        }""")
        assert [p for p in layout_problems(phone) if "fine print" in p] != []
