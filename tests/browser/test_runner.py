"""The Run buttons: every example on the site runs in the browser, in Pyodide, as Sybil runs it.

The expected output of each block is read from the Markdown source (or, for the API
reference, from the docstring it was rendered from) by the reader the tests use
(examples_pipeline.reader) and compared with what the browser shows, with Sybil's checker
and flags, so the browser and the tests must agree.
Set VMC_BENCH=1 to print the runner's benchmark figures (cold start, warm run, bytes).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from site_checks import wait_for_new_page
from sybil.evaluators.doctest import OutputChecker

from examples_pipeline.reader import Block, Example, Mode, read_file

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, Route

    from conftest import StaticServer


pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
RUNTIME = "/assets/pyodide/"
# The first Run loads about 13 MB of runtime on a busy 2-core machine: give it time.
LOAD_TIMEOUT_MS = 180_000
RUN_TIMEOUT_MS = 60_000
# Blocks the tests compare: every Python example except the `vmconcepts ...` console ones.
EXAMPLES = "article [data-run]:not([data-run=cli])"
CHECKER = OutputChecker()
# Clicks the tab label (pymdownx.tabbed) and opens the <details> that hide an element.
REVEAL = """el => {
  for (let node = el; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS' && !node.open) node.querySelector(':scope > summary').click();
    if (node.classList.contains('tabbed-block')) {
      const index = [...node.parentElement.children].indexOf(node);
      const labels = node.closest('.tabbed-set').querySelector(':scope > .tabbed-labels');
      labels.children[index].click();
    }
  }
}"""


# The theme has mounted the block (its <pre> has the theme's id) and laid the page out again.
MOUNTED = """el => el.querySelector('pre')?.id.startsWith('__code_') && new Promise(
  done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""


def url_of(source: str) -> str:
    """The URL path MkDocs gives a Markdown file (directory URLs)."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def fenced_blocks(source: str) -> tuple[Block, ...]:
    """Every ```python and ```pycon fence of a page, in page order, as the tests read them."""
    return read_file(DOCS / source, source).fences


def examples_of(block: Block) -> list[Example] | None:
    """A block's doctest examples that doctest would run, or None for a plain code block."""
    if block.mode is not Mode.PYCON:
        return None
    return [example for example in block.examples if not example.skipped_by_doctest]


class Tab:
    """One page of the built site in a browser tab, with every request it makes recorded."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._record)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)

    def open(self, path: str) -> None:
        """Load a page of the site and wait until it is idle."""
        self.page.goto(self.base + path, wait_until="networkidle")

    def runtime_requests(self) -> list[str]:
        """The requests made so far for the Pyodide runtime, the wheel and the worker."""
        return [url for url in self.requests if RUNTIME in url or "runner-worker" in url]

    def blocks(self) -> Locator:
        """The runnable examples on the page, in page order."""
        return self.page.locator(EXAMPLES)

    def bar(self, block: Locator) -> Locator:
        """The row of buttons that belongs to a block (the element right after it)."""
        return block.locator("xpath=following-sibling::div[contains(@class,'vmc-bar')][1]")

    def output(self, block: Locator) -> Locator:
        """The output of a block."""
        return block.locator("xpath=following-sibling::div[contains(@class,'vmc-live')][1]//pre")

    def reveal(self, block: Locator) -> None:
        """Open the tab or the collapsed admonition that hides a block, as a reader would."""
        block.evaluate(REVEAL)

    def settle(self, block: Locator) -> None:
        """Bring a block into view, as a reader does, and wait until the theme has mounted it.

        The theme mounts a block (copy button, annotations) when it first scrolls into view,
        which can move the buttons under it; a click aimed before that lands elsewhere.
        """
        self.reveal(block)
        block.scroll_into_view_if_needed()
        self.page.wait_for_function(MOUNTED, arg=block.element_handle())

    def run(self, block: Locator, timeout: float = LOAD_TIMEOUT_MS) -> str:
        """Click a block's Run button, wait until the run ends and return the block's state."""
        self.settle(block)
        self.bar(block).get_by_role("button", name="Run").click()
        return self.wait(block, timeout)

    def wait(self, block: Locator, timeout: float = LOAD_TIMEOUT_MS) -> str:
        """Wait until the block is no longer running; return its state."""
        handle = block.element_handle()
        self.page.wait_for_function(
            "el => el.dataset.runState && el.dataset.runState !== 'running'",
            arg=handle,
            timeout=timeout,
        )
        return str(block.get_attribute("data-run-state"))

    def results(self, block: Locator) -> list[dict[str, Any]]:
        """Each chunk's standard output and exception as the browser shows them."""
        return list(
            self.output(block).evaluate(
                """pre => [...pre.querySelectorAll('.vmc-chunk, .vmc-hidden-step')].map(chunk => ({
                    hidden: chunk.classList.contains('vmc-hidden-step'),
                    index: Number(chunk.dataset.index),
                    out: [...chunk.querySelectorAll('.vmc-stdout')]
                        .map(s => s.textContent).join(''),
                    exc: chunk.querySelector('.vmc-exception')?.dataset.last ?? null,
                }))"""
            )
        )


@pytest.fixture
def tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    """A fresh tab (empty cache) on the site served from its root."""
    context = browser.new_context()
    yield Tab(context.new_page(), site_url)
    context.close()


@pytest.fixture(scope="module")
def reader(browser: Browser) -> Iterator[BrowserContext]:
    """One reader's browser for every page: after the first page, the runtime is in its cache."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def reader_tab(reader: BrowserContext, site_url: str) -> Iterator[Tab]:
    """A new tab in the reader's browser."""
    page = reader.new_page()
    yield Tab(page, site_url)
    page.close()


Expected = list[Example] | None


@functools.cache
def docstring_examples() -> list[list[Example]]:
    """The examples of each docstring in vmconcepts, one list per docstring, as Sybil runs them."""
    groups = []
    for path in sorted((ROOT / "vmconcepts").rglob("*.py")):
        for block in read_file(path).blocks:
            examples = examples_of(block)
            if examples:
                groups.append(examples)
    return groups


def from_docstring(sources: list[str]) -> list[Example]:
    """The docstring examples that a block rendered by mkdocstrings shows, found by their code."""
    for examples in docstring_examples():
        codes = [example.source for example in examples]
        for start in range(len(codes) - len(sources) + 1):
            if codes[start : start + len(sources)] == sources:
                return examples[start : start + len(sources)]
    pytest.fail(f"no docstring in vmconcepts has the examples {sources}")


def expected_blocks(tab: Tab, source: str) -> list[Expected]:
    """The expected examples of every runnable block on the open page, in page order.

    Blocks from the Markdown must match the page's fences one for one, with the same skip
    and browser-skip reasons; blocks that mkdocstrings rendered from docstrings are matched
    with the docstring they come from.
    """
    fences = iter(fenced_blocks(source))
    expected: list[Expected] = []
    for block in tab.blocks().all():
        if block.evaluate("el => Boolean(el.closest('.doc'))"):
            expected.append(from_docstring(json.loads(str(block.get_attribute("data-run-code")))))
            continue
        fence = next(fences, None)
        assert fence is not None, f"{source}: more Run buttons than ```python/```pycon fences"
        marks = (block.get_attribute("data-run-skip"), block.get_attribute("data-run-never"))
        assert marks == (fence.skip, fence.browser_skip), f"{source}:{fence.line}: {marks}"
        expected.append(examples_of(fence))
    assert next(fences, None) is None, f"{source}: a ```python/```pycon fence has no Run button"
    return expected


def check_block(where: str, examples: Expected, results: list[dict[str, Any]]) -> None:
    """Assert that the browser's output for one block is what doctest would accept."""
    failed_setup = [r for r in results if r["hidden"] and r["exc"]]
    assert not failed_setup, f"{where}: a hidden set-up block failed: {failed_setup}"
    shown = [r for r in results if not r["hidden"]]
    if examples is None:
        assert all(r["exc"] is None for r in shown), f"{where}: the block raised {shown}"
        return
    assert [r["index"] for r in shown] == list(range(len(examples))), f"{where}: {shown}"
    for example, result in zip(examples, shown, strict=True):
        label = f"{where}, example {example.source.strip()!r}"
        flags = example.flags
        if example.exc_msg is None:
            assert result["exc"] is None, f"{label} raised {result['exc']}"
            assert CHECKER.check_output(example.want, result["out"], flags), (
                f"{label}:\nexpected:\n{example.want}\nbrowser showed:\n{result['out']}"
            )
        else:
            assert result["exc"] is not None, f"{label} did not raise {example.exc_msg!r}"
            assert CHECKER.check_output(example.exc_msg, result["exc"], flags), (
                f"{label}:\nexpected:\n{example.exc_msg}\nbrowser raised:\n{result['exc']}"
            )


class TestEveryExample:
    """Every example on every page gives, in the browser, the output its page promises."""

    @pytest.mark.parametrize("source", PAGES)
    def test_browser_agrees_with_sybil(self, reader_tab: Tab, source: str):
        """Run every runnable block of the page in order; each shows what doctest expects."""
        tab = reader_tab
        tab.open(url_of(source))
        expected = expected_blocks(tab, source)
        if not expected:
            pytest.skip(f"{source} has no Python example")
        assert tab.runtime_requests() == [], "Pyodide was fetched before any Run"
        for number, (block, examples) in enumerate(
            zip(tab.blocks().all(), expected, strict=True), 1
        ):
            if block.get_attribute("data-run-skip") or block.get_attribute("data-run-never"):
                continue
            state = tab.run(block)
            where = f"{source}, block {number}"
            assert state == "done", f"{where}: {tab.output(block).text_content()}"
            check_block(where, examples, tab.results(block))
        outside = [url for url in tab.requests if not url.startswith(tab.base)]
        assert outside == [], f"requests left 127.0.0.1: {outside}"
        assert tab.errors == []


def first_page_with(kind: str) -> str:
    """The first page (home first) whose Markdown has a block of this kind: 'pycon' or 'python'."""
    for source in sorted(PAGES, key=lambda s: s != "index.md"):
        for fence in fenced_blocks(source):
            if fence.mode is Mode(kind):
                return source
    pytest.skip(f"no page has a {kind} example")


@pytest.fixture
def first_block(tab: Tab) -> Locator:
    """The first doctest block of the first page that has one, on an open tab."""
    tab.open(url_of(first_page_with("pycon")))
    return tab.page.locator("article [data-run=repl]").first


def edit_and_run(tab: Tab, block: Locator, code: str, *, timeout: float = LOAD_TIMEOUT_MS) -> str:
    """Put new code in a block's editor and run it with Ctrl+Enter; return the output shown."""
    tab.settle(block)
    tab.bar(block).get_by_role("button", name="Edit").click()
    editor = tab.page.locator("textarea.vmc-editor").first
    editor.fill(code)
    editor.press("Control+Enter")
    assert tab.wait(block, timeout) == "done"
    return str(tab.output(block).text_content())


class TestControls:
    """Edit, Reset, Stop, errors and the keyboard."""

    def test_edit_runs_the_edited_code_and_reset_restores_it(self, tab: Tab, first_block: Locator):
        """Edited code runs like a REPL session; Reset brings back the original block."""
        shown = edit_and_run(tab, first_block, 'print("edited")\n6 * 7')
        assert shown == "edited\n42\n"
        assert first_block.is_hidden()
        tab.bar(first_block).get_by_role("button", name="Reset").click()
        assert tab.page.locator("textarea.vmc-editor").count() == 0
        assert first_block.is_visible()
        assert tab.output(first_block).is_hidden()

    def test_a_traceback_is_shown_and_the_page_keeps_working(self, tab: Tab, first_block: Locator):
        """An exception shows Python's traceback; the next run works as before."""
        shown = edit_and_run(tab, first_block, "def f():\n    return 1 / 0\nf()")
        assert shown.startswith("Traceback (most recent call last):\n")
        assert 'File "<stdin>", line 2, in f' in shown
        assert shown.endswith("ZeroDivisionError: division by zero\n")
        assert "<exec>" not in shown, "the runner's own frames leaked into the traceback"
        editor = tab.page.locator("textarea.vmc-editor").first
        editor.fill("2 + 2")
        editor.press("Control+Enter")
        assert tab.wait(first_block) == "done"
        assert tab.output(first_block).text_content() == "4\n"

    def test_stop_ends_an_endless_loop_and_the_next_run_works(self, tab: Tab, first_block: Locator):
        """Stop ends `while True: pass`; Python restarts and the block runs again."""
        edit_and_run(tab, first_block, "1")  # loads Python
        tab.bar(first_block).get_by_role("button", name="Edit").click()
        tab.page.locator("textarea.vmc-editor").first.fill("while True:\n    pass")
        tab.bar(first_block).get_by_role("button", name="Run").click()
        tab.page.wait_for_timeout(500)
        assert first_block.get_attribute("data-run-state") == "running"
        tab.bar(first_block).get_by_role("button", name="Stop").click()
        assert tab.wait(first_block, RUN_TIMEOUT_MS) == "stopped"
        assert "Stopped" in str(tab.output(first_block).text_content())
        tab.bar(first_block).get_by_role("button", name="Reset").click()
        assert tab.run(first_block) == "done"
        fences = fenced_blocks(first_page_with("pycon"))
        first_doctest = next(fence for fence in fences if fence.mode is Mode.PYCON)
        check_block("after Stop", examples_of(first_doctest), tab.results(first_block))

    def test_keyboard_alone_runs_and_edits(self, tab: Tab):
        """Tab to Run, Enter runs; Edit, typing and Ctrl+Enter run new code; output is live."""
        tab.open(url_of(first_page_with("pycon")))
        block = tab.page.locator("article [data-run=repl]").first
        for _ in range(400):
            tab.page.keyboard.press("Tab")
            if tab.page.evaluate(
                "document.activeElement.matches('.vmc-bar button')"
                " && document.activeElement.textContent === 'Run'"
            ):
                break
        else:
            pytest.fail("Tab never reached a Run button")
        tab.page.keyboard.press("Enter")
        assert tab.wait(block) == "done"
        assert tab.page.evaluate("document.activeElement.textContent") == "Run"
        tab.page.keyboard.press("Tab")  # to Edit
        tab.page.keyboard.press("Enter")
        assert tab.page.evaluate("document.activeElement.tagName") == "TEXTAREA"
        tab.page.keyboard.press("Control+a")
        tab.page.keyboard.type("3 * 3")
        tab.page.keyboard.press("Control+Enter")
        assert tab.wait(block) == "done"
        assert tab.output(block).text_content() == "9\n"
        live = tab.output(block).locator("xpath=ancestor::div[@aria-live]")
        assert live.get_attribute("aria-live") == "polite"


class TestLoading:
    """What is fetched, when, and from where."""

    def test_nothing_of_pyodide_before_the_first_click(self, tab: Tab):
        """A page with examples fetches neither the worker nor any runtime file until Run."""
        tab.open(url_of(first_page_with("pycon")))
        assert tab.blocks().count() > 0
        tab.page.wait_for_timeout(500)
        assert tab.runtime_requests() == []

    def test_the_runner_adds_at_most_10_kb_compressed_to_a_page(self, built_site: Path):
        """runner.js and runner.css, gzipped, weigh at most 10 KB together."""
        parts = [built_site / "javascripts/runner.js", built_site / "stylesheets/runner.css"]
        size = sum(len(gzip.compress(part.read_bytes(), 9)) for part in parts)
        assert size <= 10 * 1024, f"{size} bytes"

    def test_the_server_sends_wasm_as_application_wasm(self, site_url: str, built_site: Path):
        """Our server, like GitHub Pages, sends .wasm as application/wasm, as streaming needs."""
        (folder,) = (built_site / "assets/pyodide").iterdir()
        url = f"{site_url}assets/pyodide/{folder.name}/pyodide.asm.wasm"
        with urllib.request.urlopen(url) as response:  # noqa: S310 - our own 127.0.0.1 server
            assert response.headers["Content-Type"] == "application/wasm"

    def test_under_a_sub_path_with_instant_navigation(
        self, browser: Browser, subpath_site_url: str
    ):
        """Below /vmconcepts/ a Run works, and so does the next page's after instant navigation."""
        context = browser.new_context()
        tab = Tab(context.new_page(), subpath_site_url)
        pages = [
            source
            for source in PAGES
            if any(fence.mode is Mode.PYCON for fence in fenced_blocks(source))
        ]
        if len(pages) < 2:
            pytest.skip("fewer than two pages have doctest examples")
        first, second = pages[0], pages[1]
        tab.open(url_of(first))
        block = tab.page.locator("article [data-run=repl]").first
        assert tab.run(block) == "done"
        tab.page.evaluate("window.__samePage = true")
        link = tab.page.locator(f'nav.md-nav a[href$="{url_of(second) or "./"}"]').first
        first_title = tab.page.title()
        link.click()
        tab.page.wait_for_url(subpath_site_url + url_of(second))
        wait_for_new_page(tab.page, first_title)
        assert tab.page.evaluate("window.__samePage === true"), (
            "the page reloaded: no instant navigation"
        )
        expected = expected_blocks(tab, second)
        blocks = tab.blocks().all()
        index = next(
            i
            for i, b in enumerate(blocks)
            if not (b.get_attribute("data-run-skip") or b.get_attribute("data-run-never"))
        )
        assert tab.run(blocks[index], RUN_TIMEOUT_MS) == "done"
        results = tab.results(blocks[index])
        check_block(f"{second} after instant navigation", expected[index], results)
        assert all(url.startswith(subpath_site_url) for url in tab.requests), tab.requests
        wasm = [url for url in tab.requests if url.endswith(".wasm")]
        assert len(wasm) == 1, "the runtime was loaded more than once"
        context.close()


# Clicks a block's Run and times, inside the page: Python ready, first output, run done.
TIME_A_RUN = """async el => {
  // The block's own controls: the first of each kind after it, as Tab.bar and Tab.output find them.
  const after = (kind) => {
    for (let next = el.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.classList.contains(kind)) return next;
    }
  };
  const bar = after("vmc-bar");
  const live = after("vmc-live");
  const t = {};
  document.addEventListener("vmc:ready", e => { t.ready = performance.now(); t.worker = e.detail; },
    { once: true });
  const when = (target, options, test) => new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (test()) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(target, options);
  });
  const first = when(live, { subtree: true, childList: true },
    () => live.querySelector(".vmc-chunk, .vmc-message"));
  const done = when(el, { attributes: true },
    () => ["done", "failed"].includes(el.dataset.runState));
  t.click = performance.now();
  bar.querySelector("button").click();
  t.first = await first;
  t.done = await done;
  return t;
}"""


@pytest.mark.skipif(
    not os.environ.get("VMC_BENCH"), reason="benchmark: set VMC_BENCH=1 to print the figures"
)
def test_benchmark(
    browser: Browser, built_site: Path, tmp_path: Path, static_server: type[StaticServer]
):
    """Print cold start, warm run and bytes for the first run, and the bare Pyodide load time."""
    (folder,) = (built_site / "assets/pyodide").iterdir()
    (tmp_path / "site").symlink_to(built_site, target_is_directory=True)
    bare = tmp_path / "bare"
    bare.mkdir()
    runtime = f"../site/assets/pyodide/{folder.name}/"
    (bare / "worker.mjs").write_text(
        "const t0 = performance.now();\n"
        f'const {{ loadPyodide }} = await import("{runtime}pyodide.mjs");\n'
        f'const indexURL = new URL("{runtime}", import.meta.url).href;\n'
        "const py = await loadPyodide({ indexURL });\n"
        'py.runPython("1 + 1");\n'
        "postMessage(performance.now() - t0);\n"
    )
    (bare / "index.html").write_text(
        "<!doctype html><title>bare Pyodide</title><script>\n"
        "window.loaded = new Promise(resolve => {\n"
        '  const t0 = performance.now(); const w = new Worker("worker.mjs", {type: "module"});\n'
        "  w.onmessage = () => resolve(performance.now() - t0); });\n"
        "</script>\n"
    )
    figures: dict[str, float] = {}
    with static_server(tmp_path) as server:
        origin = server.origin
        context = browser.new_context()
        page = context.new_page()
        page.goto(origin + "/bare/")
        figures["bare Pyodide load (s)"] = page.evaluate("window.loaded") / 1000
        context.close()

        context = browser.new_context()
        tab = Tab(context.new_page(), origin + "/site/")
        sizes: dict[str, int] = {}
        tab.page.on(
            "requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"])
        )
        tab.open(url_of(first_page_with("pycon")))
        blocks = tab.page.locator("article [data-run=repl]")
        cold = blocks.nth(0).evaluate(TIME_A_RUN)
        figures["cold start, click to first output (s)"] = (cold["first"] - cold["click"]) / 1000
        figures["  of which Pyodide's own load in our worker (s)"] = (
            cold["worker"]["runtimeMs"] / 1000
        )
        figures["  of which click to Python ready (s)"] = (cold["ready"] - cold["click"]) / 1000
        figures["  of which ready to first output (s)"] = (cold["first"] - cold["ready"]) / 1000
        runtime_bytes = sum(
            size for url, size in sizes.items() if RUNTIME in url or "runner-worker" in url
        )
        figures["bytes for the first run (MB, uncompressed server)"] = runtime_bytes / 1e6
        gzipped = sum(len(gzip.compress(path.read_bytes(), 6)) for path in folder.iterdir()) + len(
            gzip.compress((built_site / "javascripts/runner-worker.js").read_bytes(), 6)
        )
        figures["bytes for the first run (MB, gzip -6 as a compressing server sends)"] = (
            gzipped / 1e6
        )
        if blocks.count() > 1:
            warm = blocks.nth(1).evaluate(TIME_A_RUN)
            figures["warm run, second block: click to first output (ms)"] = (
                warm["first"] - warm["click"]
            )
            figures["warm run, second block: click to done (ms)"] = warm["done"] - warm["click"]
        context.close()
    print(json.dumps(figures, indent=2))  # noqa: T201 - the benchmark's report
    assert figures["cold start, click to first output (s)"] > 0


def page_with_whereami() -> str:
    """The first page with a ```console block that starts with `vmconcepts whereami`."""
    for source in PAGES:
        for block in read_file(DOCS / source, source).blocks:
            if block.mode is Mode.CLI and block.arguments[0].startswith("whereami"):
                return source
    pytest.fail("no page shows `vmconcepts whereami` in a ```console block")


def test_a_stack_shows_its_picture_under_its_text(tab: Tab):
    """A block whose value is a Stack shows the diagram as an <img> of a data: URL, described."""
    tab.open(url_of("reference/diagram.md"))
    block = tab.page.locator("article [data-run=repl]", has_text="<Stack 'A laptop'").first
    assert tab.run(block) == "done"
    shown = str(tab.output(block).text_content())
    assert "<Stack 'A laptop': 1 row, 1 layer>\n" in shown, "the text repr changed"
    picture = tab.output(block).locator("xpath=following-sibling::*//figure[@class='vmc-picture']")
    assert picture.count() == 1
    image = picture.locator("img")
    assert image.get_attribute("alt") == "From the bottom up: Laptop (hardware)."
    assert str(image.get_attribute("src")).startswith("data:image/svg+xml;base64,")
    tab.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    requests = list(tab.requests)
    tab.bar(block).get_by_role("button", name="Run").click()  # warm: only the picture is new
    assert tab.wait(block, RUN_TIMEOUT_MS) == "done"
    assert picture.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert tab.requests == requests, "showing the picture made a request"
    assert tab.errors == []


def test_whereami_in_the_browser_reports_the_webassembly_sandbox(tab: Tab):
    """`vmconcepts whereami` in the browser says it sees WebAssembly's sandbox, not the machine."""
    tab.open(url_of(page_with_whereami()))
    block = tab.page.locator("article [data-run=cli]", has_text="whereami").first
    assert tab.run(block) == "done"
    shown = str(tab.output(block).text_content())
    assert "WebAssembly" in shown, shown


class TestFallbacks:
    """When Python cannot start, the block says so and gives the command to run locally."""

    @staticmethod
    def run_and_fail(tab: Tab) -> str:
        """Run the first doctest block of the site; it must fail; return what it shows."""
        tab.open(url_of(first_page_with("pycon")))
        block = tab.page.locator("article [data-run=repl]").first
        assert tab.run(block) == "failed"
        shown = str(tab.output(block).text_content())
        assert "pip install" in shown
        return shown

    def test_without_webassembly_the_block_shows_the_local_command(self, tab: Tab):
        """A browser with no WebAssembly gets a message and `pip install ...`, and no download."""
        tab.page.add_init_script("delete window.WebAssembly")
        assert "no WebAssembly" in self.run_and_fail(tab)
        assert tab.runtime_requests() == []

    def test_a_runtime_that_fails_to_load_is_reported(self, tab: Tab):
        """If the WebAssembly binary cannot be fetched, the block says so and the page goes on."""
        tab.page.context.route("**/*.wasm", lambda route: route.abort())
        assert "Python could not start" in self.run_and_fail(tab)
        assert tab.errors == []


class TestControlsInThePage:
    """The build writes each example's controls into the page; runner.js only wires them up."""

    def test_without_scripts_no_control_shows(self, browser: Browser, site_url: str):
        """With JavaScript off the buttons could do nothing, so none is shown."""
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(site_url + url_of(first_page_with("pycon")))
        controls = page.locator("article :is(.vmc-bar, .vmc-progress, .vmc-live)")
        assert controls.count() > 0
        assert [c for c in controls.all() if c.is_visible()] == []
        context.close()

    def test_controls_that_do_not_pair_up_wire_nothing(self, tab: Tab):
        """A page whose bars do not match its examples one for one gets no working button."""
        source = first_page_with("pycon")

        def one_bar_fewer(route: Route) -> None:
            body = route.fetch().text().replace('class="vmc-bar"', 'class="not-a-bar"', 1)
            route.fulfill(body=body, content_type="text/html")

        tab.page.route(tab.base + url_of(source), one_bar_fewer)
        console: list[str] = []
        tab.page.on("console", lambda message: console.append(message.text))
        tab.open(url_of(source))
        bar = tab.page.locator("article .vmc-bar").first
        bar.get_by_role("button", name="Run").click()
        tab.page.wait_for_timeout(500)
        assert tab.runtime_requests() == []
        assert any("do not pair up" in line for line in console), console


def test_a_phone_sized_screen_fits_the_buttons_and_output(browser: Browser, site_url: str):
    """On a 360 px wide screen the buttons and the output fit without sideways scrolling."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = Tab(context.new_page(), site_url)
    tab.open(url_of(first_page_with("pycon")))
    block = tab.page.locator("article [data-run=repl]").first
    assert tab.run(block) == "done"
    for part in (tab.bar(block), tab.output(block)):
        box = part.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
