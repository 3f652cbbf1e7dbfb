"""Code blocks mount lazily and nothing a reader uses breaks for it.

With ``content.lazy`` in mkdocs.yml the theme gives a code block its copy button and turns
its ``# (1)!`` markers into annotation buttons only when the block first comes into view,
which saves the long pages most of their blocking time on a phone (issue 16). These tests
scroll as a reader does, with the mouse wheel, and check each thing a reader uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from project import SITE_PAGES, page_paths
from site_checks import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    WINDOW_HEIGHT,
    literal_annotation_markers,
    open_page,
    scroll_like_a_reader,
    search,
    settle,
    unfocusable_code,
    wait_for_new_page,
)

pytestmark = pytest.mark.browser

# The longest guide page: annotated, runnable examples far below the first screen.
LONG_PAGE = "containers/"
# The first Run loads about 13 MB of Python on a busy machine, and runs the page's examples
# before the block: give it time.
RUN_TIMEOUT_MS = 180_000
# An annotation marker as the highlighter writes it, in a comment of a code block.
MARKER = re.compile(r'<span class="c[1m]?">#[^<]*\(\d+\)!')
# The last annotated block outside content tabs, and the annotated runnable ones.
# Inside a content tab or a <details>, a block may be hidden at load.
HIDDEN_AT_LOAD = ".tabbed-block *, details *"
ANNOTATED = f"article div.highlight:has(+ ol):not({HIDDEN_AT_LOAD})"
RUNNABLE = ANNOTATED + "[data-run]:not([data-run=cli], [data-run-skip], [data-run-never])"
# A code block in a content tab that is not shown at load, and the number of its tab.
CLOSED_TAB_CODE = ".tabbed-block:not(:first-child) div.highlight"
TAB_INDEX = """el => {
  const tab = el.closest(".tabbed-block");
  return [...tab.parentElement.children].indexOf(tab);
}"""
# Between each runnable block and its Run bar: nothing, or the block's annotation list.
BARS = """() => [...document.querySelectorAll("article [data-run]")].map(block => {
  const between = [];
  let next = block.nextElementSibling;
  while (next && !next.matches(".vmc-bar")) {
    between.push(next.localName);
    next = next.nextElementSibling;
  }
  return next ? between.join(" ") : "no bar";
})"""
# Headings right after a code block, its annotation list or its Run bar and output.
HEADINGS_AFTER_CODE = """() => [...document.querySelectorAll("article :is(h2, h3)[id]")]
  .filter(h => h.previousElementSibling?.matches(".highlight, ol, .vmc-live, .tabbed-set"))
  .map(h => h.id)"""
# Where a heading sits under the theme's header: (its top, the header's bottom).
HEADING_PLACE = """id => [
  document.getElementById(id).getBoundingClientRect().top,
  document.querySelector(".md-header").getBoundingClientRect().bottom,
]"""


def annotated_pages(site: Path) -> list[str]:
    """The pages whose code blocks have annotation markers."""
    return [
        path
        for path in page_paths(site)
        if MARKER.search((site / path / "index.html").read_text(encoding="utf-8"))
    ]


def is_mounted(block: Locator) -> bool:
    """Whether the theme has mounted a code block: its <pre> has the id the theme gives it."""
    return bool(block.evaluate("el => el.querySelector('pre')?.id.startsWith('__code_')"))


def copy_button(block: Locator) -> Locator:
    """A code block's copy button."""
    return block.locator("button[data-md-type=copy]")


def runner_bars(page: Page) -> list[str]:
    """What lies between each runnable block and its Run bar, and bars not after a block."""
    between = page.evaluate(BARS)
    spare = page.locator("article .vmc-bar").count() - len(between)
    return [what for what in between if what not in {"", "ol"}] + ["extra bar"] * spare


def lands_below_the_header(page: Page, anchor: str) -> str | None:
    """What is wrong, if anything, with where a heading just jumped to sits.

    It must be close under the theme's header (a fresh load puts it 20 px below; the
    theme's instant navigation 72 px, with or without content.lazy) and stay there while
    the blocks around it mount.
    """
    settle(page)
    top, header = page.evaluate(HEADING_PLACE, anchor)
    page.wait_for_timeout(500)
    later, _ = page.evaluate(HEADING_PLACE, anchor)
    if not header - 1 <= top <= header + 80 or abs(later - top) > 1:
        return f"#{anchor} landed {top:.0f} px from the top, then {later:.0f} (header {header:.0f})"
    return None


class TestMounting:
    """Blocks mount as they come into view, with their annotations and copy buttons."""

    def test_a_block_far_down_mounts_only_when_scrolled_to(self, page: Page, site_url: str):
        """At load the last annotated block has no buttons; scrolled to, it has them all."""
        open_page(page, site_url + LONG_PAGE)
        block = page.locator(ANNOTATED).last
        assert not is_mounted(block), "content.lazy is not in effect: the block mounted at load"
        assert copy_button(block).count() == 0
        assert scroll_like_a_reader(page, until=block)
        assert is_mounted(block)
        assert copy_button(block).count() == 1
        assert block.locator(".md-annotation").count() > 0
        assert literal_annotation_markers(page) == []

    @pytest.mark.parametrize("width", [DESKTOP_WIDTH, PHONE_WIDTH])
    def test_annotations_mount_on_every_page(
        self, page: Page, site_url: str, built_site: Path, width: int
    ):
        """Scrolled to the end, no page has an annotation marker left as text."""
        page.set_viewport_size({"width": width, "height": WINDOW_HEIGHT})
        pages = annotated_pages(built_site)
        assert len(pages) > 3, pages
        problems = []
        for path in pages:
            open_page(page, site_url + path)
            scroll_like_a_reader(page)
            problems += literal_annotation_markers(page)
            lists = page.locator(f"{ANNOTATED} + ol:visible").all()
            problems += [f"{path}: an annotation list is still shown" for _ in lists]
        assert problems == []

    def test_an_annotation_shows_its_note(self, page: Page, site_url: str):
        """Clicking an annotation far down the page shows the note from its list."""
        open_page(page, site_url + LONG_PAGE)
        block = page.locator(ANNOTATED).last
        scroll_like_a_reader(page, until=block)
        annotation = block.locator(".md-annotation").first
        # The theme's number pulses for ever, so it is never still: click it as it is.
        annotation.locator(".md-annotation__index").click(force=True)
        note = annotation.locator(".md-tooltip__inner")
        note.wait_for(state="visible")
        assert note.inner_text().strip()

    def test_copy_far_down_copies_the_code_alone(self, page: Page, site_url: str):
        """The last doctest of the longest page copies its code without prompts or output."""
        open_page(page, site_url + LONG_PAGE)
        block = page.locator(f"article div.language-pycon[data-copy]:not({HIDDEN_AT_LOAD})").last
        scroll_like_a_reader(page, until=block)
        block.hover()
        copy_button(block).click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == block.get_attribute("data-copy")
        assert ">>>" not in copied

    def test_a_block_in_a_closed_tab_mounts_when_the_tab_opens(self, page: Page, site_url: str):
        """A block in a tab not shown mounts when the reader opens the tab."""
        open_page(page, site_url + LONG_PAGE)
        tab_set = page.locator("article .tabbed-set").filter(has=page.locator(CLOSED_TAB_CODE))
        block = tab_set.first.locator(CLOSED_TAB_CODE).first
        scroll_like_a_reader(page, until=tab_set.first)
        assert not is_mounted(block)
        labels = tab_set.first.locator(":scope > .tabbed-labels > label")
        labels.nth(block.evaluate(TAB_INDEX)).click()
        settle(page)
        assert is_mounted(block)
        assert copy_button(block).count() == 1
        assert literal_annotation_markers(page, within=block) == []

    @pytest.mark.parametrize("path", SITE_PAGES)
    @pytest.mark.parametrize("width", [DESKTOP_WIDTH, PHONE_WIDTH])
    def test_wide_code_takes_keyboard_focus_before_it_mounts(
        self, page: Page, site_url: str, path: str, width: int
    ):
        """At load, every code block that scrolls sideways can be focused to scroll it."""
        page.set_viewport_size({"width": width, "height": WINDOW_HEIGHT})
        page.goto(site_url + path)
        assert unfocusable_code(page) == []


class TestRunner:
    """Run, Edit, Reset and Stop work on a block far down the page."""

    def test_controls_follow_each_block_and_its_annotations(self, page: Page, site_url: str):
        """Each Run bar comes right after its block, or after the block's annotation list."""
        open_page(page, site_url + LONG_PAGE)
        assert runner_bars(page) == []
        scroll_like_a_reader(page)
        assert runner_bars(page) == []

    def test_run_edit_reset_and_stop_far_down(self, page: Page, site_url: str):
        """The last annotated example of the longest page edits, resets, runs and stops."""
        open_page(page, site_url + LONG_PAGE)
        # Edit puts its editor between the block and its list: hold on to the block by number.
        number = page.locator(RUNNABLE).last.evaluate(
            "el => [...document.querySelectorAll('article [data-run]')].indexOf(el)"
        )
        block = page.locator("article [data-run]").nth(number)
        bar = block.locator("xpath=following-sibling::div[contains(@class, 'vmc-bar')][1]")
        output = block.locator("xpath=following-sibling::div[contains(@class, 'vmc-live')][1]")
        assert scroll_like_a_reader(page, until=bar)
        assert block.locator(".md-annotation").count() > 0
        assert page.locator("article .vmc-progress:visible").count() == 0

        bar.get_by_role("button", name="Edit").click()
        editor = page.locator("textarea.vmc-editor")
        assert block.is_hidden()
        assert "".join(block.evaluate("el => JSON.parse(el.dataset.runCode)")).strip() in (
            editor.input_value()
        )
        bar.get_by_role("button", name="Reset").click()
        assert editor.count() == 0
        assert block.is_visible()
        assert literal_annotation_markers(page) == []

        bar.get_by_role("button", name="Run").click()
        page.wait_for_function(
            "el => ['done', 'failed'].includes(el.dataset.runState)",
            arg=block.element_handle(),
            timeout=RUN_TIMEOUT_MS,
        )
        assert block.get_attribute("data-run-state") == "done", output.inner_text()
        assert output.inner_text().strip()

        bar.get_by_role("button", name="Edit").click()
        editor.fill("while True:\n    pass")
        bar.get_by_role("button", name="Run").click()
        page.wait_for_timeout(500)
        assert block.get_attribute("data-run-state") == "running"
        bar.get_by_role("button", name="Stop").click()
        page.wait_for_function(
            "el => el.dataset.runState !== 'running'", arg=block.element_handle()
        )
        assert block.get_attribute("data-run-state") == "stopped"
        assert "Stopped" in output.inner_text()


class TestNavigation:
    """Links, instant navigation, search highlighting and print, with lazy blocks."""

    def test_links_land_on_headings_next_to_code(self, page: Page, subpath_site_url: str):
        """A link to a heading just after a code block lands under the header and stays."""
        open_page(page, subpath_site_url + LONG_PAGE)
        anchors = page.evaluate(HEADINGS_AFTER_CODE)
        assert anchors, f"no heading follows a code block on {LONG_PAGE}"
        problems = []
        for anchor in anchors:
            page.goto("about:blank")
            open_page(page, f"{subpath_site_url}{LONG_PAGE}#{anchor}")
            problems.append(lands_below_the_header(page, anchor))
        # The same jump by instant navigation, from another page.
        open_page(page, subpath_site_url)
        page.evaluate("window.loadedOnce = true")
        page.evaluate(
            """href => {
                const link = Object.assign(document.createElement("a"), {href, textContent: "go"});
                document.querySelector("article").prepend(link);
            }""",
            f"{subpath_site_url}{LONG_PAGE}#{anchors[-1]}",
        )
        page.locator("article > a", has_text="go").click()
        page.wait_for_url(f"**/{LONG_PAGE}#{anchors[-1]}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.loadedOnce") is True, "the link reloaded the page"
        problems.append(lands_below_the_header(page, anchors[-1]))
        assert [problem for problem in problems if problem] == []

    def test_a_link_to_a_tab_opens_it_with_its_code_mounted(self, page: Page, site_url: str):
        """A link to a content tab that holds code opens the tab and mounts its block."""
        open_page(page, site_url + LONG_PAGE)
        tab_set = page.locator("article .tabbed-set").filter(has=page.locator(CLOSED_TAB_CODE))
        index = tab_set.first.locator(CLOSED_TAB_CODE).first.evaluate(TAB_INDEX)
        tab_id = tab_set.first.locator(":scope > input").nth(index).get_attribute("id")
        page.goto("about:blank")
        open_page(page, f"{site_url}{LONG_PAGE}#{tab_id}")
        settle(page)
        assert page.locator(f"[id='{tab_id}']").is_checked()
        tab = page.locator(f".tabbed-set:has(> [id='{tab_id}']) > .tabbed-content > *").nth(index)
        block = tab.locator("div.highlight").first
        assert block.is_visible()
        assert is_mounted(block)
        assert copy_button(block).count() == 1

    def test_no_link_points_inside_a_code_block(self, built_site: Path):
        """No page links to a line or an annotation inside a code block.

        Such anchors exist only once the block has mounted, so with content.lazy a link to
        one far down a page would not land; link to the heading above the block instead.
        """
        inside = re.compile(r'href="[^"]*#__(?:code_|codelineno)')
        linking = [
            path
            for path in page_paths(built_site)
            if inside.search((built_site / path / "index.html").read_text(encoding="utf-8"))
        ]
        assert linking == []

    def test_instant_navigation_mounts_the_next_page_and_the_way_back(
        self, page: Page, subpath_site_url: str
    ):
        """After a nav link and Back, each page's blocks mount on scroll, with one Run bar each."""
        open_page(page, subpath_site_url)
        page.evaluate("window.loadedOnce = true")
        home = page.title()
        page.locator(f".md-nav--primary a.md-nav__link[href$='{LONG_PAGE}']").first.click()
        page.wait_for_url(f"**/{LONG_PAGE}")
        wait_for_new_page(page, home)
        scroll_like_a_reader(page)
        after_link = literal_annotation_markers(page) + runner_bars(page)
        long_page = page.title()
        page.go_back()
        page.wait_for_url(subpath_site_url)
        wait_for_new_page(page, long_page)
        page.evaluate("scrollTo(0, 0)")
        scroll_like_a_reader(page)
        after_back = literal_annotation_markers(page) + runner_bars(page)
        assert page.evaluate("window.loadedOnce") is True, "navigation reloaded the page"
        assert after_link == []
        assert after_back == []

    def test_search_highlights_the_words_on_a_page_whose_blocks_mount(
        self, page: Page, subpath_site_url: str, built_site: Path
    ):
        """A search result opens its page with the words marked; its blocks still mount."""
        open_page(page, subpath_site_url)
        page.evaluate("window.loadedOnce = true")
        annotated = {subpath_site_url + path for path in annotated_pages(built_site)}
        results = search(page, "hypervisor")
        target = next(i for i, url in enumerate(results) if url.split("?")[0] in annotated)
        page.locator(".md-search-result__item > a").nth(target).click()
        page.wait_for_url(lambda url: "h=hypervisor" in url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.loadedOnce") is True, "the result reloaded the page"
        assert page.locator("article mark[data-md-highlight]").count() > 0
        scroll_like_a_reader(page)
        assert literal_annotation_markers(page) == []
        assert runner_bars(page) == []

    def test_print_shows_every_code_block_and_its_notes(self, page: Page, site_url: str):
        """Printed, every code block and its notes show, mounted or not; no Run bars.

        The theme puts the notes back in their lists on the ``beforeprint`` event, and
        the print stylesheet does the rest. The two are checked in that order: with print
        media emulated the page is laid out again and the theme mounts the notes anew,
        which a real print, laid out once after the event, does not do.
        """
        open_page(page, site_url + LONG_PAGE)
        middle = page.locator(ANNOTATED).nth(page.locator(ANNOTATED).count() // 2)
        scroll_like_a_reader(page, until=middle)  # some blocks mounted, the rest not
        page.evaluate("dispatchEvent(new Event('beforeprint'))")
        settle(page)
        empty_lists = page.evaluate(f"""() => [...document.querySelectorAll("{ANNOTATED} + ol")]
          .filter(list => list.hidden || !list.textContent.trim())
          .map(list => list.previousElementSibling.textContent.trim().slice(0, 50))""")
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => [...document.querySelectorAll("article .highlight")]
          .filter(el => !el.closest("details:not([open])"))
          .filter(el => !el.checkVisibility() || !el.getBoundingClientRect().height)
          .map(el => el.textContent.trim().slice(0, 50))""")
        bars = page.locator("article .vmc-bar:visible").count()
        page.emulate_media(media="screen")
        page.evaluate("dispatchEvent(new Event('afterprint'))")
        assert empty_lists == []
        assert hidden == []
        assert bars == 0


class TestGates:
    """The checks above fail on a page broken on purpose."""

    def test_a_block_cut_off_from_its_annotations_is_caught(self, page: Page, site_url: str):
        """A box put between a block and its list, as the Run bar once was, is reported."""
        open_page(page, site_url + LONG_PAGE)
        page.locator(ANNOTATED).last.evaluate("""el => {
            el.dataset.cutOff = "";
            el.after(document.createElement("div"));
        }""")
        block = page.locator("article [data-cut-off]")
        scroll_like_a_reader(page, until=block)
        assert is_mounted(block)
        assert literal_annotation_markers(page, within=block) != []

    def test_wide_code_that_cannot_take_focus_is_caught(self, page: Page, site_url: str):
        """A wide block not yet mounted, with its tabindex taken away, is reported."""
        page.set_viewport_size({"width": PHONE_WIDTH, "height": WINDOW_HEIGHT})
        page.goto(site_url + LONG_PAGE)
        page.evaluate("""() => {
            for (const code of document.querySelectorAll("article pre:not([id]) > code")) {
                code.removeAttribute("tabindex");
            }
        }""")
        assert unfocusable_code(page) != []

    def test_a_bar_out_of_place_is_caught(self, page: Page, site_url: str):
        """A Run bar moved away from its block is reported."""
        open_page(page, site_url + LONG_PAGE)
        page.evaluate("""() => {
            const bar = document.querySelector("article .vmc-bar");
            bar.before(document.createElement("p"));
        }""")
        assert runner_bars(page) != []
