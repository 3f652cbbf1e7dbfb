"""The reader-facing checks, as functions that return what is wrong (empty when all is well).

The tests in this folder run each check on every page of the built site, and run
it once more on a page broken on purpose to show that the check can fail.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Request, Response, Route

AXE = Axe()
# What a phone shows: the narrowest common width, and the smallest text we allow on it.
PHONE_WIDTH = 360
MIN_TEXT_PX = 16
# Every page MkDocs writes carries this tag; other index.html files (vendored assets) do not.
GENERATOR = '<meta name="generator" content="mkdocs-'


def page_paths(site: Path) -> list[str]:
    """Every page of a built site, as a URL path relative to its root ("" for the home page)."""
    return sorted(
        "" if index.parent == site else index.parent.relative_to(site).as_posix() + "/"
        for index in site.rglob("index.html")
        if GENERATOR in index.read_text(encoding="utf-8")
    )


def open_page(page: Page, url: str) -> None:
    """Load a page and wait until the theme has finished its own requests."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def axe_violations(page: Page) -> list[str]:
    """What axe-core finds wrong with the page as it is now, one line per element."""
    results = AXE.run(page).response
    return [
        f"{page.url}: {rule['id']} at {node['target']}: "
        + "; ".join(check["message"] for check in node["any"] + node["all"] + node["none"])
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


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
