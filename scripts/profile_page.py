"""Where a page's load spends a phone's main thread: ``python scripts/profile_page.py PAGE``.

A benchmark tool, not a test. It serves a built site with gzip (scripts/gzip_server.py),
loads one page in Chromium with Lighthouse's phone settings (412 x 823 window, CPU slowed
4 times), records a JavaScript CPU profile from navigation until a few seconds after the
load event, and prints:

- the browser's own totals for the load: script, style, layout, all tasks;
- the self time of the page's JavaScript grouped by the source file it was written in,
  read through the theme's source map (so "components/content/code" rather than "bundle.js");
- the largest contentful paint: which element, and when.

Self time of a function includes the style and layout work it forces (reading a size
right after a change), so a file that measures the page shows up here with that cost.

With ``--restyles`` it records a trace instead and lists the style passes that took more
than 20 ms: when, how long, how many elements, the source that forced the pass, and what
made the elements' style stale since the pass before (a stylesheet loaded again, or the
source that changed the page most). That is how the three costs in the README's speed
section were found.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from gzip_server import GzipServer
from playwright.sync_api import Browser, CDPSession, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
# Lighthouse 12's phone preset: a Moto G Power's screen, CPU slowed 4 times.
PHONE = {"width": 412, "height": 823}
CPU_SLOWDOWN = 4
SETTLE_MS = 3000
# Base64 VLQ, the number encoding of source maps.
BASE64 = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}
LARGEST_PAINT = """() => new Promise(done => {
  new PerformanceObserver(list => {
    const last = list.getEntries().at(-1);
    const node = last.element;
    done({ms: Math.round(last.startTime), element: node ? node.outerHTML.slice(0, 120) : null});
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""


class PhoneTab(NamedTuple):
    """A browser tab set up as Lighthouse's phone, and the URL of the page to load in it."""

    browser: Browser
    tab: Page
    cdp: CDPSession
    url: str


def _vlq(segment: str) -> list[int]:
    """The numbers of one source-map segment."""
    values, value, shift = [], 0, 0
    for char in segment:
        digit = BASE64[char]
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        values.append(-(value >> 1) if value & 1 else value >> 1)
        value, shift = 0, 0
    return values


class SourceMap:
    """Which original source file a position of a generated script comes from."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.sources: list[str] = data["sources"]
        self.lines: list[list[tuple[int, int]]] = []  # per line: (column, source index)
        source = 0
        for line in data["mappings"].split(";"):
            column, segments = 0, []
            for segment in filter(None, line.split(",")):
                numbers = _vlq(segment)
                column += numbers[0]
                if len(numbers) > 1:
                    source += numbers[1]
                    segments.append((column, source))
            self.lines.append(segments)

    def source_at(self, line: int, column: int) -> str:
        """The source file of a 0-based position (the last mapping at or before it)."""
        found = None
        for start, source in self.lines[line] if line < len(self.lines) else []:
            if start > column:
                break
            found = source
        return "?" if found is None else self.sources[found]


def short(source: str) -> str:
    """A readable name for a source file of the theme's bundle."""
    for marker in ("src/templates/assets/javascripts/", "node_modules/"):
        if marker in source:
            return source.split(marker, 1)[1].removesuffix(".ts").removesuffix("/index")
    return source


def frame_source(frame: dict[str, Any], maps: dict[str, SourceMap]) -> str:
    """The source file of a profiled function (its script's name, without a source map)."""
    url, name = frame["url"], frame["functionName"]
    if not url:
        return f"({name or 'native'})"
    path = urlsplit(url).path
    source_map = maps.get(path)
    if source_map is None:
        return path.rsplit("/", 1)[-1] or path
    return short(source_map.source_at(frame["lineNumber"], frame["columnNumber"]))


def self_times(profile: dict[str, Any], maps: dict[str, SourceMap]) -> tuple[Counter[str], ...]:
    """Milliseconds of self time per source file, and per theme component calling it.

    The second count charges each sample to the nearest function up the call stack that
    belongs to one of the theme's components or integrations (or to our own scripts), so
    the time spent in shared helpers (measuring an element) lands on whoever asked.
    """
    nodes = {node["id"]: node for node in profile["nodes"]}
    parents = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    # Each sample stands for the time until the next one.
    deltas = [*profile["timeDeltas"][1:], 0]
    ms: Counter[int] = Counter()
    for sample, delta in zip(profile["samples"], deltas, strict=True):
        ms[sample] += delta / 1000
    by_file: Counter[str] = Counter()
    by_caller: Counter[str] = Counter()
    for node_id, spent in ms.items():
        where = frame_source(nodes[node_id]["callFrame"], maps)
        by_file[where] += spent
        if where.startswith("("):
            continue
        caller, current = where, node_id
        while current is not None:
            source = frame_source(nodes[current]["callFrame"], maps)
            if source.startswith(("components/", "integrations/")) or source.endswith(".js"):
                caller = source
                break
            current = parents.get(current)
        by_caller[caller] += spent
    return by_file, by_caller


def source_maps(site: Path) -> dict[str, SourceMap]:
    """The theme's scripts that ship a source map, by their URL path."""
    return {
        "/" + script.relative_to(site).as_posix(): SourceMap(
            json.loads(script.with_name(script.name + ".map").read_text(encoding="utf-8"))
        )
        for script in (site / "assets" / "javascripts").glob("*.min.js")
        if script.with_name(script.name + ".map").is_file()
    }


@contextmanager
def phone_tab(site: Path, page: str, chromium: str) -> Iterator[PhoneTab]:
    """A tab set up as Lighthouse's phone (window, CPU slowdown), and the page's URL on a server."""
    with GzipServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        tab = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        cdp = tab.context.new_cdp_session(tab)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        yield PhoneTab(browser, tab, cdp, f"{server.origin}/{page}")
        browser.close()


def load(phone: PhoneTab) -> None:
    """Load the page and wait until a few seconds after its load event."""
    phone.tab.goto(phone.url, wait_until="load")
    phone.tab.wait_for_timeout(SETTLE_MS)


def profile(site: Path, page: str, chromium: str) -> None:
    """Load one page as Lighthouse's phone would and print where its main thread went."""
    maps = source_maps(site)
    with phone_tab(site, page, chromium) as phone:
        cdp = phone.cdp
        cdp.send("Performance.enable")
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
        cdp.send("Profiler.start")
        load(phone)
        recorded = cdp.send("Profiler.stop")["profile"]
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        paint = phone.tab.evaluate(LARGEST_PAINT)
    print(f"/{page}, phone window, CPU slowed {CPU_SLOWDOWN}x, load + {SETTLE_MS} ms")
    for name in ("ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskDuration"):
        print(f"  {name:20} {metrics[name] * 1000:7.0f} ms")
    by_file, by_caller = self_times(recorded, maps)
    print("  JavaScript self time by source file (style and layout it forces included):")
    for where, spent in by_file.most_common(12):
        print(f"    {spent:7.0f} ms  {where}")
    print("  The same JavaScript time by the theme component (or our script) that asked:")
    for where, spent in by_caller.most_common(10):
        print(f"    {spent:7.0f} ms  {where}")
    print(f"  largest contentful paint at {paint['ms']} ms: {paint['element']}")


# Trace categories for style passes, what invalidated them, and the scripts' stacks.
RESTYLE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",
    "disabled-by-default-devtools.timeline.invalidationTracking",
    "blink.user_timing",
]
RESTYLE_MS = 20
INVALIDATIONS = {
    "ScheduleStyleInvalidationTracking",
    "StyleRecalcInvalidationTracking",
    "LayoutInvalidationTracking",
}


def stack_source(data: dict[str, Any], maps: dict[str, SourceMap]) -> str | None:
    """The source file of the top frame of a trace event's script stack, if it has one."""
    stack = data.get("stackTrace") or []
    if not stack:
        return None
    top = stack[0]
    # Trace stacks count lines from 1; profiler frames (and source maps) from 0.
    source = frame_source({**top, "lineNumber": top["lineNumber"] - 1}, maps)
    if urlsplit(top["url"]).path in maps:
        return source
    # A script of our own, or one inline in the page: where in it.
    function = top.get("functionName") or "top level"
    return f"{source} line {top['lineNumber']} ({function})"


def restyles(site: Path, page: str, chromium: str) -> None:
    """Load one page as Lighthouse's phone would and list its long style passes and their causes."""
    maps = source_maps(site)
    with phone_tab(site, page, chromium) as phone:
        phone.browser.start_tracing(page=phone.tab, categories=RESTYLE_CATEGORIES)
        load(phone)
        events = json.loads(phone.browser.stop_tracing())["traceEvents"]
    passes = Counter((e["pid"], e["tid"]) for e in events if e.get("name") == "UpdateLayoutTree")
    main_thread = passes.most_common(1)[0][0]
    start = min(e["ts"] for e in events if e.get("name") == "navigationStart")
    events = sorted(
        (e for e in events if (e["pid"], e["tid"]) == main_thread), key=lambda e: e["ts"]
    )
    print(f"/{page}, phone window, CPU slowed {CPU_SLOWDOWN}x: style passes over {RESTYLE_MS} ms")
    # Since the last pass: the sources that made styles stale, and a stylesheet parsed again
    # (which makes every element's style stale, so it is the cause whenever there is one).
    causes: Counter[str] = Counter()
    reparsed: str | None = None
    for event in events:
        name, data = event.get("name"), event.get("args", {}).get("data") or {}
        if name == "ParseAuthorStyleSheet" and causes:
            reparsed = data.get("styleSheetUrl", "?")
        elif name in INVALIDATIONS and (source := stack_source(data, maps)):
            reason = data.get("reason")
            causes[f"{source}: {reason}" if reason else source] += 1
        elif name == "UpdateLayoutTree" and event.get("ph") == "X":
            ms = event.get("dur", 0) / 1000
            if ms >= RESTYLE_MS:
                begin = event["args"].get("beginData") or {}
                forced = stack_source(begin, maps) or "the next frame"
                if reparsed:
                    cause = f"stylesheet parsed again: {reparsed}"
                else:
                    cause = causes.most_common(1)[0][0] if causes else "the page as parsed"
                elements = event["args"].get("elementCount", "?")
                print(
                    f"  at {(event['ts'] - start) / 1000:6.0f} ms {ms:6.0f} ms, "
                    f"{elements} elements; forced by {forced}; after {cause}"
                )
            causes.clear()
            reparsed = None


def main() -> int:
    """Profile each page asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", help="URL paths, e.g. containers/ ('' for home)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (site/)")
    parser.add_argument(
        "--restyles", action="store_true", help="list the long style passes and their causes"
    )
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site} has no index.html: build the site first (make build)")
    chromium = next((path for name in CHROMIUM if (path := shutil.which(name))), None)
    if chromium is None:
        sys.exit("no Chromium found: sudo apt-get install chromium")
    for page in args.pages:
        (restyles if args.restyles else profile)(args.site, page, chromium)
    return 0


if __name__ == "__main__":
    sys.exit(main())
