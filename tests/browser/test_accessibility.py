"""axe-core finds nothing wrong on any page, at phone and desktop width, in either palette.

At 360 px the window is a desktop browser's, not a touch phone's: the reader who needs
every scrolling box to take keyboard focus is the one with a keyboard and a narrow or
zoomed-in window (a 1280 px window at 400 % zoom is 320 px wide).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize
from project import SITE_PAGES, page_paths
from site_checks import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    WINDOW_HEIGHT,
    axe_violations,
    mount_code_blocks,
    open_page,
    search,
    settle,
    side_bar_targets_too_small,
    tab_indicator_problems,
    use_palette,
)

pytestmark = pytest.mark.browser

# Playwright's name for the reader's colour preference, and the theme's scheme for it.
SCHEMES = {"light": "default", "dark": "slate"}
WIDTHS = {"phone": PHONE_WIDTH, "desktop": DESKTOP_WIDTH}
# A page with two rows of content-tab labels too long for a phone.
LONG_TAB_LABELS = "why-vms/"
# Pages with side bars that scroll: the reference section's pages, a long guide page's headings.
LONG_SIDE_BARS = ("reference/cloud/", "containers/")
# Lighthouse's desktop window, where its audit first found a half-covered link.
LIGHTHOUSE_DESKTOP = {"width": 1350, "height": 940}


@pytest.fixture(params=WIDTHS)
def window(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A tab in a window of phone width (360 px) or desktop width (1280 px), light palette."""
    context = browser.new_context(
        viewport={"width": WIDTHS[request.param], "height": WINDOW_HEIGHT}, color_scheme="light"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A tab in a window of phone width."""
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": WINDOW_HEIGHT})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", SITE_PAGES)
def test_every_page_has_no_axe_violations(window: Page, site_url: str, path: str):
    """Every page passes axe-core in the light and the dark palette, its code blocks mounted."""
    open_page(window, site_url + path)
    mount_code_blocks(window)
    violations = []
    for preference, scheme in SCHEMES.items():
        use_palette(window, preference, scheme)
        violations += axe_violations(window)
    assert violations == []


@pytest.mark.parametrize("preference", SCHEMES)
def test_open_search_dialog_has_no_axe_violations(window: Page, site_url: str, preference: str):
    """With search open and showing results, axe-core finds nothing wrong."""
    window.emulate_media(color_scheme=preference)
    open_page(window, site_url)
    search(window, "hypervisor")
    settle(window)
    assert axe_violations(window) == []


def test_tab_indicator_marks_the_chosen_tab(window: Page, site_url: str, built_site: Path):
    """Under every content-tab set, choosing a label moves the indicator to that label."""
    with_tabs = [
        path
        for path in page_paths(built_site)
        if 'class="tabbed-set' in (built_site / path / "index.html").read_text(encoding="utf-8")
    ]
    assert LONG_TAB_LABELS in with_tabs
    problems = []
    for path in with_tabs:
        open_page(window, site_url + path)
        problems += tab_indicator_problems(window)
    assert problems == []


@pytest.mark.parametrize(
    "size",
    [LIGHTHOUSE_DESKTOP, {"width": DESKTOP_WIDTH, "height": WINDOW_HEIGHT}],
    ids=["1350x940", "1280x800"],
)
@pytest.mark.parametrize("path", LONG_SIDE_BARS)
def test_no_side_bar_link_is_half_covered(page: Page, site_url: str, path: str, size: ViewportSize):
    """However far a side bar is scrolled, each link in it is a whole target (axe target-size)."""
    page.set_viewport_size(size)
    open_page(page, site_url + path)
    assert side_bar_targets_too_small(page) == []


class TestGates:
    """Each check fails on a page broken on purpose."""

    def test_an_image_without_alt_is_caught(self, page: Page, site_url: str):
        """An image with no alt text added to the home page is reported."""
        open_page(page, site_url)
        page.evaluate("""() => {
            const image = document.createElement('img');
            image.src = 'assets/favicon.svg';
            document.querySelector('article').append(image);
        }""")
        assert any("image-alt" in violation for violation in axe_violations(page))

    def test_a_box_that_scrolls_out_of_keyboard_reach_is_caught(self, phone: Page, site_url: str):
        """A box whose text runs past a phone's edge, with nothing to focus in it, is reported."""
        open_page(phone, site_url)
        phone.evaluate("""() => {
            const box = document.createElement('div');
            box.style.overflowX = 'auto';
            box.innerHTML = '<p style="white-space: nowrap">' + 'A long line. '.repeat(20) + '</p>';
            document.querySelector('article').append(box);
        }""")
        assert any("scrollable-region-focusable" in v for v in axe_violations(phone))

    def test_tab_labels_that_scroll_in_one_row_are_caught(self, phone: Page, site_url: str):
        """The theme's single scrolling row of tab labels, restored on a phone, is reported."""
        open_page(phone, site_url + LONG_TAB_LABELS)
        phone.add_style_tag(
            content=".md-typeset .tabbed-labels { flex-wrap: nowrap !important;"
            " overflow: auto !important; }"
        )
        found = [v for v in axe_violations(phone) if "scrollable-region-focusable" in v]
        assert any("tabbed-labels" in violation for violation in found), found

    def test_a_link_half_under_a_side_bar_title_is_caught(self, page: Page, site_url: str):
        """The theme's side-bar titles, kept at the top as it keeps them, cover a link."""
        page.set_viewport_size(LIGHTHOUSE_DESKTOP)
        open_page(page, site_url + LONG_SIDE_BARS[0])
        page.add_style_tag(content=".md-nav__title { position: sticky !important; }")
        assert any("target-size" in v for v in side_bar_targets_too_small(page))

    def test_an_indicator_away_from_the_chosen_tab_is_caught(self, phone: Page, site_url: str):
        """The theme's sliding indicator over labels wrapped onto two rows is reported."""
        open_page(phone, site_url + LONG_TAB_LABELS)
        phone.add_style_tag(
            content=".js .md-typeset .tabbed-labels::before { display: block !important; }"
        )
        assert tab_indicator_problems(phone) != []
