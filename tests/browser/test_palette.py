"""The light/dark switch works as the theme's did, and loading a page leaves the colours alone.

overrides/main.html runs the switch itself instead of the theme's component, which, when it
starts, marks the page as switching (so that no colour animates) and unmarks it a moment
later: each mark restyles every element, a third of a phone's style time on a long page
(README). Ours marks the page only when the colours change.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from site_checks import open_page, wait_for_new_page

pytestmark = pytest.mark.browser

PAGE = "containers/"
OTHER_PAGE = "isolation/"
# Every change to the body's colour attributes from before the page's first byte, in order,
# as "name=value" ("name=null" when removed).
RECORD_COLOUR_CHANGES = """
window.colourChanges = [];
new MutationObserver((records) => {
  for (const { target, attributeName } of records) {
    if (target === document.body) {
      window.colourChanges.push(`${attributeName}=${target.getAttribute(attributeName)}`);
    }
  }
}).observe(document, {
  subtree: true,
  attributeFilter: ["data-md-color-switching", "data-md-color-scheme",
                    "data-md-color-primary", "data-md-color-accent"],
});
"""
# Every value given to <meta name="color-scheme">, and whether the page's body existed then.
RECORD_SCHEME_WRITES = """
window.schemeWrites = [];
const content = Object.getOwnPropertyDescriptor(HTMLMetaElement.prototype, "content");
Object.defineProperty(HTMLMetaElement.prototype, "content", {
  ...content,
  set(value) {
    if (this.name === "color-scheme") window.schemeWrites.push([value, document.body !== null]);
    content.set.call(this, value);
  },
});
"""
HEADER_SCHEME = (
    """() => getComputedStyle(document.querySelector("[data-md-component=header]")).colorScheme"""
)
SWITCHING_ON = "data-md-color-switching="
SWITCHING_OFF = "data-md-color-switching=null"
# The switch's options, in the order of mkdocs.yml: follow the system, light, dark.
FOLLOW, LIGHT, DARK = 0, 1, 2
TITLES = ("Switch to light mode", "Switch to dark mode", "Switch to system preference")


def colour_changes(page: Page) -> list[str]:
    """The colour changes recorded since the page started loading, and forget them."""
    return page.evaluate("window.colourChanges.splice(0)")


def scheme(page: Page) -> str:
    """The colour scheme the page shows."""
    return page.evaluate("document.body.dataset.mdColorScheme")


def shown_option(page: Page) -> int:
    """The option the switch shows: only its label is visible."""
    shown = page.evaluate(
        """() => [...document.querySelectorAll("form[data-vmc-palette] label")]
          .flatMap((label, index) => label.hidden ? [] : [index])"""
    )
    assert len(shown) == 1, f"labels shown: {shown}"
    return shown[0]


def click_switch(page: Page) -> None:
    """Click the switch, as a reader does, and wait for the colours to settle."""
    page.locator("form[data-vmc-palette] label:not([hidden])").click()
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")


@pytest.fixture
def reader(page: Page) -> Page:
    """A tab whose colour changes are recorded from the start of each page load."""
    page.add_init_script(RECORD_COLOUR_CHANGES)
    return page


def test_a_first_visit_changes_no_colour(reader: Page, site_url: str):
    """With the system light, the page is drawn light and starting it marks and restyles nothing."""
    reader.emulate_media(color_scheme="light")
    open_page(reader, site_url + PAGE)
    reader.wait_for_function("document.querySelector('meta[name=theme-color]')?.content")
    assert colour_changes(reader) == []
    assert (scheme(reader), shown_option(reader)) == ("default", FOLLOW)


def test_a_first_visit_follows_a_dark_system(reader: Page, site_url: str):
    """With the system dark, the page turns dark on its first visit, without animating."""
    reader.emulate_media(color_scheme="dark")
    open_page(reader, site_url + PAGE)
    changes = colour_changes(reader)
    assert changes[0] == SWITCHING_ON
    assert "data-md-color-scheme=slate" in changes
    assert changes[-1] == SWITCHING_OFF
    assert (scheme(reader), shown_option(reader)) == ("slate", FOLLOW)


def test_the_switch_cycles_and_marks_each_change(reader: Page, site_url: str):
    """Each click moves on to the next option, changes colours between marks, names the next."""
    reader.emulate_media(color_scheme="dark")
    open_page(reader, site_url + PAGE)
    colour_changes(reader)
    label = reader.locator("form[data-vmc-palette] label:not([hidden])")
    assert label.get_attribute("title") == TITLES[FOLLOW]
    click_switch(reader)
    assert (scheme(reader), shown_option(reader)) == ("default", LIGHT)
    assert colour_changes(reader) == [SWITCHING_ON, "data-md-color-scheme=default", SWITCHING_OFF]
    assert label.get_attribute("title") == TITLES[LIGHT]
    click_switch(reader)
    assert (scheme(reader), shown_option(reader)) == ("slate", DARK)
    assert colour_changes(reader) == [SWITCHING_ON, "data-md-color-scheme=slate", SWITCHING_OFF]
    click_switch(reader)
    assert (scheme(reader), shown_option(reader)) == ("slate", FOLLOW)
    assert colour_changes(reader) == [], "following a dark system after dark changes no colour"


def test_the_browser_colours_follow_the_header(reader: Page, site_url: str):
    """The theme-color and color-scheme meta tags follow the header's colours, after each switch."""
    open_page(reader, site_url + PAGE)
    for _ in TITLES:
        click_switch(reader)
        reader.wait_for_function(
            """() => {
              const header = getComputedStyle(document.querySelector("[data-md-component=header]"));
              const hex = "#" + header.backgroundColor.match(/\\d+/g).slice(0, 3)
                .map((value) => Number(value).toString(16).padStart(2, "0")).join("");
              return document.querySelector("meta[name=theme-color]").content === hex
                && document.querySelector("meta[name=color-scheme]").content === header.colorScheme;
            }"""
        )


@pytest.mark.parametrize(
    ("system", "clicks", "expected"),
    [("light", 0, "light"), ("dark", 0, "dark"), ("light", 2, "dark"), ("dark", 1, "light")],
)
def test_the_browser_colour_scheme_is_written_before_the_body(
    page: Page, site_url: str, system: str, clicks: int, expected: str
):
    """On a first visit, and after a reload with a chosen palette, color-scheme is right at once.

    Written once the body exists, it would make the browser restyle every element.
    """
    page.add_init_script(RECORD_SCHEME_WRITES)
    page.emulate_media(color_scheme=system)  # type: ignore[arg-type]
    open_page(page, site_url + PAGE)
    for _ in range(clicks):
        click_switch(page)
    if clicks:
        page.reload()
    page.wait_for_function("document.querySelector('meta[name=theme-color]')?.content")
    assert page.evaluate("window.schemeWrites") == [[expected, False]]
    assert page.evaluate(HEADER_SCHEME) == expected


def test_the_choice_is_kept(reader: Page, site_url: str):
    """A chosen palette holds on the next page (instant navigation) and after a reload."""
    reader.emulate_media(color_scheme="light")
    open_page(reader, site_url + PAGE)
    click_switch(reader)
    click_switch(reader)
    assert (scheme(reader), shown_option(reader)) == ("slate", DARK)
    first_title = reader.title()
    reader.locator(f".md-nav--primary a[href$='/{OTHER_PAGE}']").first.click()
    reader.wait_for_url(f"**/{OTHER_PAGE}")
    wait_for_new_page(reader, first_title)
    assert (scheme(reader), shown_option(reader)) == ("slate", DARK)
    reader.reload()
    reader.wait_for_load_state("networkidle")
    assert (scheme(reader), shown_option(reader)) == ("slate", DARK)
    assert SWITCHING_ON not in colour_changes(reader), "the saved palette is drawn from the start"


def test_enter_moves_to_the_next_option(reader: Page, site_url: str):
    """Enter on the switch moves on to the next option and keeps the focus on the switch."""
    reader.emulate_media(color_scheme="light")
    open_page(reader, site_url + PAGE)
    reader.focus("#__palette_0")
    reader.keyboard.press("Enter")
    reader.wait_for_function("document.body.dataset.mdColorMedia.endsWith('light)')")
    assert shown_option(reader) == LIGHT
    assert reader.evaluate("document.activeElement.id") == "__palette_1"


def test_following_the_system_follows_its_changes(reader: Page, site_url: str):
    """While following the system the page turns with it; a chosen palette stays put."""
    reader.emulate_media(color_scheme="light")
    open_page(reader, site_url + PAGE)
    reader.emulate_media(color_scheme="dark")
    reader.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    reader.emulate_media(color_scheme="light")
    reader.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    click_switch(reader)
    assert shown_option(reader) == LIGHT
    # The page's own listener was added first, so it has run when this one hears the change.
    reader.evaluate(
        """() => { window.turned = new Promise((done) => matchMedia("(prefers-color-scheme: light)")
          .addEventListener("change", done, { once: true })); }"""
    )
    reader.emulate_media(color_scheme="dark")
    reader.evaluate("window.turned")
    assert scheme(reader) == "default"
