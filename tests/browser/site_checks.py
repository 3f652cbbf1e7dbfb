"""The reader-facing checks, as functions that return what is wrong (empty when all is well).

The tests in this folder run each check on every page of the built site, and run
it once more on a page broken on purpose to show that the check can fail.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urldefrag, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, Request, Response, Route

AXE = Axe()
# What a phone shows: the narrowest common width, and the smallest text we allow on it.
PHONE_WIDTH = 360
# A desktop browser window; the accessibility checks run at both widths.
DESKTOP_WIDTH = 1280
WINDOW_HEIGHT = 800
MIN_TEXT_PX = 16


def open_page(page: Page, url: str) -> None:
    """Load a page and wait until the theme has finished its own requests."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


# Two animation frames: what the page had to lay out is laid out, and the intersection
# observers that the theme's lazy code blocks wait for have seen it.
FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Then every transition that ends (a palette's colours, a tab's indicator) has ended; the
# theme's endless ones (the pulse of an annotation's number) are left running.
SETTLED = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const ending = document.getAnimations()
    .filter(animation => animation.effect?.getComputedTiming().endTime !== Infinity);
  const ended = Promise.all(ending.map(animation => animation.finished.catch(() => {})));
  await Promise.race([ended, new Promise(done => setTimeout(done, 3000))]);
}"""


def wait_for_new_page(page: Page, title: str) -> None:
    """Wait until instant navigation has put in the page that follows the one titled ``title``.

    The theme changes the address as soon as a link is followed (or Back pressed) and puts
    the new page in only once it has arrived: the address alone says nothing of the content.
    """
    page.wait_for_function("title => document.title !== title", arg=title)


def settle(page: Page) -> None:
    """Wait until the page has laid out what changed and its transitions have ended."""
    page.evaluate(SETTLED)


def mount_code_blocks(page: Page) -> None:
    """Make the window as tall as the page for a moment, then restore it.

    With ``content.lazy`` the theme gives a code block its copy button and annotations only
    when the block first comes into view; this brings every block into view at once, so a
    check sees each one as a reader who scrolled past it does. Blocks in a closed tab or a
    closed ``<details>`` stay as they are, as for the reader.
    """
    size = page.viewport_size
    assert size is not None, "the page has no fixed window size"
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.evaluate(FRAMES)
    page.set_viewport_size(size)
    settle(page)


def scroll_like_a_reader(page: Page, until: Locator | None = None) -> bool:
    """Turn the mouse wheel, most of a screen at a time, down the page until ``until`` is in view.

    Without ``until``, to the end of the page. Each turn waits for the page to scroll and
    draw, so whatever mounts when it comes into view has mounted. Returns whether ``until``
    (if given) is in view at the end.
    """
    size = page.viewport_size
    assert size is not None, "the page has no fixed window size"
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    turns = page.evaluate("document.documentElement.scrollHeight") // (size["height"] // 2) + 2
    for _ in range(turns):
        if (until is not None and until.evaluate(IN_VIEW)) or page.evaluate(AT_END):
            break
        before = page.evaluate("scrollY")
        page.mouse.wheel(0, size["height"] * 0.8)
        page.wait_for_function("before => scrollY !== before", arg=before, timeout=5_000)
        page.evaluate(FRAMES)
    settle(page)
    return until is None or bool(until.evaluate(IN_VIEW))


# Whether any part of an element is inside the window.
IN_VIEW = """el => {
  const box = el.getBoundingClientRect();
  return box.bottom > 0 && box.top < innerHeight && box.height > 0;
}"""
# Whether the window shows the bottom of the page.
AT_END = "() => scrollY + innerHeight >= document.documentElement.scrollHeight - 2"


def use_palette(page: Page, preference: str, scheme: str) -> None:
    """Switch the reader's colour preference; wait until the theme shows ``scheme``."""
    page.emulate_media(color_scheme=preference)
    page.wait_for_function(
        "scheme => document.body.dataset.mdColorScheme === scheme", arg=scheme, timeout=5_000
    )
    settle(page)


# axe-core's defaults, and the size of pointer targets (WCAG 2.2, 2.5.8), which axe
# leaves off by default and Lighthouse turns on.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def axe_violations(page: Page, rules: list[str] | None = None) -> list[str]:
    """What axe-core finds wrong with the page as it is now, one line per element.

    With ``rules``, only those rules are run.
    """
    options = AXE_OPTIONS | ({"runOnly": rules} if rules else {})
    results = AXE.run(page, options=options).response
    return [
        f"{page.url}: {rule['id']} at {node['target']}: "
        + "; ".join(check["message"] for check in node["any"] + node["all"] + node["none"])
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


# The theme's two side bars: the site's pages on the left, the page's headings on the right.
SIDE_BARS = (".md-sidebar--primary", ".md-sidebar--secondary")
# A side-bar link and the space under it are 27 px tall: scrolling this far, 3 px at a
# time, puts every part of a link under the bar's top edge once.
LINK_PITCH_PX = 30


def side_bar_targets_too_small(page: Page) -> list[str]:
    """Scroll each side bar through one link's height, a few pixels at a time: axe target-size.

    Which link ends up under a bar's top edge depends on where the bar is scrolled (the
    theme scrolls the left one to the current page on load), so one look at the page
    proves little.
    """
    found: set[str] = set()
    for bar in SIDE_BARS:
        scrollwrap = page.locator(f"{bar} .md-sidebar__scrollwrap")
        if not scrollwrap.is_visible():
            continue
        start = scrollwrap.evaluate("el => el.scrollTop")
        for offset in range(start, start + LINK_PITCH_PX, 3):
            scrollwrap.evaluate("(el, top) => { el.scrollTop = top; }", offset)
            page.evaluate(FRAMES)
            found.update(
                f"{bar} scrolled to {offset} px: {problem}"
                for problem in axe_violations(page, rules=["target-size"])
            )
    return sorted(found)


def foreign_requests(page: Page, url: str) -> list[str]:
    """The requests a page makes, while loading, to any origin but its own; they are blocked."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    foreign: list[str] = []

    def only_local(route: Route) -> None:
        request_url = route.request.url
        if request_url.startswith((origin + "/", "data:", "blob:")):
            route.continue_()
        else:
            foreign.append(request_url)
            route.abort("blockedbyclient")

    page.route("**/*", only_local)
    try:
        open_page(page, url)
    finally:
        page.unroute("**/*", only_local)
    return foreign


def broken_on_page(page: Page, url: str) -> list[str]:
    """Failed loads (images, scripts, stylesheets, fetches) and dead links on one page."""
    broken: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400:
            broken.append(f"{url}: {response.status} {response.url}")

    def on_failure(request: Request) -> None:
        broken.append(f"{url}: failed {request.url} ({request.failure})")

    page.on("response", on_response)
    page.on("requestfailed", on_failure)
    try:
        open_page(page, url)
    finally:
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_failure)
    broken += [
        f"{url}: image {src} did not load"
        for src in page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !i.complete || !i.naturalWidth).map(i => i.src)"
        )
    ]
    broken += [f"{url}: link to {link}" for link in dead_links(page)]
    return broken


def dead_links(page: Page) -> list[str]:
    """Links on the page, to the page's own origin, that do not answer 200."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    targets = {urldefrag(href).url for href in hrefs if href.startswith(origin + "/")}
    return [target for target in sorted(targets) if not answers(target)]


def answers(url: str) -> bool:
    """Whether a local URL answers 200 to a HEAD request."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD")) as reply:  # noqa: S310 - the test's own server
            return reply.status == 200
    except urllib.error.HTTPError:
        return False


# Text nodes a reader can see, with the size they are drawn at.
SMALL_TEXT = """min => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    const element = text.parentElement;
    const shown = element.checkVisibility({opacityProperty: true, visibilityProperty: true});
    if (!text.data.trim() || !shown) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // SVG text is drawn at its font size times the drawing's scale on screen.
    const scale = element instanceof SVGElement ? element.getScreenCTM().a : 1;
    const size = Math.round(parseFloat(getComputedStyle(element).fontSize) * scale * 10) / 10;
    const boxClass = element.closest("[class]")?.getAttribute("class");
    const where = `<${element.localName}> in <${boxClass}>`;
    if (size < min) small.push(`${size}px ${where} ${text.data.trim().slice(0, 40)}`);
  }
  return small;
}"""
# The elements wider than the window that make it scroll sideways.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 5)
    .map(e => `<${e.localName} class="${e.className}"> to ${e.getBoundingClientRect().right}px`);
}"""


def search(page: Page, query: str) -> list[str]:
    """Type a query into the search box and return the links of the results."""
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.locator(".md-search-result__item").first.wait_for()
    return page.eval_on_selector_all(
        ".md-search-result__item > a", "links => links.map(a => a.href)"
    )


def layout_problems(page: Page) -> list[str]:
    """On a phone-sized window: what makes the page scroll sideways, and any text under 16 px."""
    wide = [f"{page.url}: scrolls sideways: {what}" for what in page.evaluate(TOO_WIDE)]
    small = [f"{page.url}: text of {what}" for what in page.evaluate(SMALL_TEXT, MIN_TEXT_PX)]
    return wide + small


# Code blocks a reader can see whose annotation markers, "# (1)!", are still text: the
# theme did not turn them into buttons (the block did not mount, or found no list).
LITERAL_MARKERS = r"""(root) => {
  const firstLine = code => code.textContent.trim().split("\n")[0].slice(0, 50);
  // Matched against the whole document: a block given as the root counts as the .highlight.
  return [...(root ?? document).querySelectorAll("article .highlight code")]
    .filter(code => code.checkVisibility())
    .flatMap(code => [...code.querySelectorAll(".c, .c1, .cm")]
      .filter(comment => /\(\d+\)!/.test(comment.textContent))
      .map(comment => `${firstLine(code)} ... ${comment.textContent.trim()}`));
}"""


def literal_annotation_markers(page: Page, within: Locator | None = None) -> list[str]:
    """Visible code blocks (on the page, or in ``within``) whose markers are still text."""
    found = within.evaluate(LITERAL_MARKERS) if within else page.evaluate(LITERAL_MARKERS)
    return [f"{page.url}: marker left as text in {what}" for what in found]


# Code blocks that scroll sideways but cannot take keyboard focus, so a keyboard cannot scroll them.
UNFOCUSABLE_CODE = r"""() => [...document.querySelectorAll("article pre > code")]
  .filter(code => code.checkVisibility() && code.scrollWidth > code.clientWidth)
  .filter(code => code.tabIndex < 0 && !code.querySelector("a[href], button, [tabindex='0']"))
  .map(code => code.textContent.trim().split("\n")[0].slice(0, 50))"""


def unfocusable_code(page: Page) -> list[str]:
    """Code blocks, mounted or not, that scroll sideways but cannot take keyboard focus."""
    return [
        f"{page.url}: code block scrolls but cannot take focus: {first_line}"
        for first_line in page.evaluate(UNFOCUSABLE_CODE)
    ]


# Chooses each label of each visible content-tab set in turn and reports any choice that the
# indicator does not mark: the theme's sliding bar (the labels' ::before, placed by x alone)
# must sit under the chosen label in the same row, or the chosen label alone is underlined.
TAB_INDICATORS = """async () => {
  const settled = async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const ending = document.getAnimations()
      .filter(animation => animation.effect?.getComputedTiming().endTime !== Infinity);
    const ended = Promise.all(ending.map(animation => animation.finished.catch(() => {})));
    await Promise.race([ended, new Promise(done => setTimeout(done, 3000))]);
  };
  const name = label => `"${label.textContent.trim()}"`;
  const underlined = label => {
    const style = getComputedStyle(label);
    const color = style.borderBottomColor;
    return parseFloat(style.borderBottomWidth) > 0 && !/rgba\\(.*, 0\\)$|transparent/.test(color);
  };
  const underBar = (label, row) => {
    const bar = getComputedStyle(row, "::before");
    if (bar.display === "none" || bar.content === "none") return false;
    const rowBox = row.getBoundingClientRect();
    const left = rowBox.left + row.clientLeft - row.scrollLeft + new DOMMatrix(bar.transform).m41;
    const right = left + parseFloat(bar.width);
    const box = label.getBoundingClientRect();
    const overlap = Math.min(right, box.right) - Math.max(left, box.left);
    return overlap > box.width / 2 && Math.abs(box.bottom - rowBox.bottom) < 4;
  };
  const problems = [];
  const sets = [...document.querySelectorAll("article .tabbed-set")]
    .filter(set => set.checkVisibility());
  for (const [number, set] of sets.entries()) {
    const row = set.querySelector(":scope > .tabbed-labels");
    const labels = [...row.querySelectorAll(":scope > label")];
    for (const label of labels) {
      label.click();
      await settled();
      const marked = labels.filter(l => underlined(l) || underBar(l, row));
      if (marked.length !== 1 || marked[0] !== label) {
        const shown = marked.map(name).join(" and ") || "no label";
        problems.push(`tab set ${number + 1}: ${name(label)} chosen, the indicator marks ${shown}`);
      }
    }
    labels[0].click();
    await settled();
  }
  return problems;
}"""


def tab_indicator_problems(page: Page) -> list[str]:
    """Content-tab choices that the active-tab indicator does not mark, one line each."""
    return [f"{page.url}: {problem}" for problem in page.evaluate(TAB_INDICATORS)]
