"""Build-time half of the in-browser runner: Run buttons on examples, Pyodide in the site.

Three jobs, all failing loudly:

1. Mark every Python example in a page's HTML with what the browser needs to run it:
   its code split as doctest splits it, the hidden set-up blocks and namespace resets
   that come before it (``invisible-code-block`` and ``clear-namespace`` comments), and
   whether the tests skip it (``skip: next "reason"``) or it cannot run in a browser at
   all (``browser: skip "reason"``, shown next to its Run button). The grammar of those
   comments and blocks is examples_pipeline.reader's, the one the tests use too.
2. Copy the pinned Pyodide runtime from ``node_modules/pyodide`` into the site: only
   the loader, the asm module, the WebAssembly binary, the stdlib zip and the lock file.
3. Build the ``vmconcepts`` wheel from this checkout, so the browser runs the very code the
   tests checked; have Pyodide's own CPython (under Node) add the bytecode of each module, so
   the browser need not compile it; put that archive in the site and write the file names
   and sizes into the worker.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from examples_pipeline.reader import (
    BrowserSkip,
    Clear,
    ExampleSyntaxError,
    GrammarError,
    HiddenSetup,
    Mode,
    Skip,
    SkipAction,
    cli_arguments,
    parse_directive,
    read_markdown,
    run_chunks,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
# The only runtime files the browser fetches; the rest of the npm package stays out.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
WORKER = "javascripts/runner-worker.js"
CONFIG_PLACEHOLDER = "/*VMC_CONFIG*/ null"

# One pass over the page's HTML finds, in page order: the examples' directives (kept in
# the HTML as comments), mkdocstrings' source listings (not examples), the ids of API
# objects (whose module is a docstring example's namespace) and the code blocks.
TOKEN = re.compile(
    r"(?P<comment><!--(?P<body>.*?)-->)"
    r'|(?P<listing><details class="mkdocstrings-source">.*?</details>)'
    r'|(?P<block><div class="(?P<cls>language-(?P<lang>pycon|python|console)\b[^"]*)"'
    r"(?P<attrs>[^>]*)>(?P<inner>.*?)</code>)"
    r'|\bid="(?P<obj>[\w.]+)" class="doc doc-heading"',
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")
# The runner's name for each way of running a block (runner.js and the worker read it).
RUN_MODES = {Mode.PYCON: "repl", Mode.PYTHON: "exec", Mode.CLI: "cli"}
# mkdocstrings' directive; the reference pages show no heading for the module they
# render, so the module whose docstring comes first is read from here.
AUTODOC = re.compile(r"^::: (?P<identifier>[\w.]+)\s*$", re.MULTILINE)


def _chunks(text: str) -> tuple[str, list[str]]:
    """How to run a block's text: ("repl", one source per doctest example) or ("exec", [code])."""
    mode, chunks = run_chunks(text)
    return RUN_MODES[mode], list(chunks)


def _module_of(object_id: str) -> str:
    """The module whose namespace Sybil gives the docstring of an API object."""
    parts = object_id.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        try:
            return importlib.import_module(name).__name__
        except ImportError:
            pass
        try:
            target = importlib.import_module(parts[0])
            for part in parts[1:end]:
                target = getattr(target, part)
        except AttributeError:
            continue
        module = getattr(target, "__module__", None)
        if isinstance(module, str):
            return module
    msg = f"cannot find the module of API object {object_id!r}"
    raise PluginError(msg)


class _Annotator:
    """Walks one page's HTML in order and adds the runner's data attributes to its examples."""

    def __init__(self, page: Page) -> None:
        self.where = page.file.src_path
        try:  # the reader names the line of any mistake, which the HTML no longer knows
            read_markdown(page.markdown or "", self.where)
        except ExampleSyntaxError as error:
            raise PluginError(str(error)) from None
        self.steps: list[list[object]] = []
        self.skip_next: str | None = None
        self.skip_range: str | None = None
        self.browser_skip: str | None = None
        self.module: str | None = None
        first_object = AUTODOC.search(page.markdown or "")
        self.pending_module = _module_of(first_object["identifier"]) if first_object else None

    def directive(self, body: str) -> None:
        """Record a directive found in an HTML comment (plain comments are left alone)."""
        try:
            directive = parse_directive(body)
        except GrammarError as error:
            msg = f"{self.where}: {error}"
            raise PluginError(msg) from None
        if isinstance(directive, HiddenSetup):
            mode, chunks = _chunks(directive.code)
            self.steps.append(["code", mode, chunks])
        elif isinstance(directive, Clear):
            self.steps.append(["clear"])
        elif isinstance(directive, Skip):
            if directive.action is SkipAction.NEXT:
                self.skip_next = directive.reason
            elif directive.action is SkipAction.START:
                self.skip_range = directive.reason
            else:
                self.skip_range = None
        elif isinstance(directive, BrowserSkip):
            self.browser_skip = directive.reason

    def block(self, match: re.Match[str]) -> str:
        """Return the block's opening tag with the runner's attributes added."""
        opening = match["block"][: match.start("inner") - match.start("block")]
        text = html.unescape(TAG.sub("", match["inner"]))
        if match["lang"] == "console":
            arguments = cli_arguments(text)
            if arguments is None:
                return opening
            mode, chunks = RUN_MODES[Mode.CLI], list(arguments)
        else:
            mode, chunks = _chunks(text)
            if mode == "repl" and not chunks:
                msg = f"{self.where}: a doctest block has no example to run"
                raise PluginError(msg)
        attributes = {"data-run": mode, "data-run-code": json.dumps(chunks)}
        if self.pending_module != self.module:
            self.steps = [["clear"], ["module", self.pending_module], *self.steps]
            self.module = self.pending_module
        if self.steps:
            attributes["data-run-before"] = json.dumps(self.steps)
        if mode != RUN_MODES[Mode.CLI]:  # the tests skip Python blocks; they never run commands
            if skip := self.skip_next or self.skip_range:
                attributes["data-run-skip"] = skip
            self.skip_next = None
        if self.browser_skip:
            attributes["data-run-never"] = self.browser_skip
        self.steps, self.browser_skip = [], None
        extra = "".join(
            f' {name}="{html.escape(value, quote=True).replace(chr(10), "&#10;")}"'
            for name, value in attributes.items()
        )
        return opening[:-1] + extra + ">"

    def __call__(self, html_text: str) -> str:
        """Annotate every runnable block of the page, in page order."""
        out: list[str] = []
        position = 0
        for match in TOKEN.finditer(html_text):
            if match["comment"]:
                self.directive(match["body"])
            elif match["obj"]:
                self.pending_module = _module_of(match["obj"])
            elif match["block"] and "doc-signature" not in match["cls"]:
                out.append(html_text[position : match.start()])
                out.append(self.block(match))
                position = match.start("inner")
        out.append(html_text[position:])
        return "".join(out)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fail at once, with the fix, when the pinned Pyodide is not installed."""
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_PACKAGE / name).is_file()]
    if missing:
        names = ", ".join(missing)
        msg = f"Pyodide files missing from {PYODIDE_PACKAGE}: {names}; run `make install`"
        raise PluginError(msg)
    return config


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:  # noqa: ARG001
    """Give every example on the page what the browser needs to run it."""
    return _Annotator(page)(html_text)


def _build_wheel(destination: Path) -> Path:
    """Build the ``vmconcepts`` wheel from this checkout into ``destination``."""
    try:
        from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415 - only the build needs it

        with tempfile.TemporaryDirectory() as scratch:
            built = next(
                iter(WheelBuilder(str(ROOT)).build(directory=scratch, versions=["standard"]))
            )
            wheel = destination / Path(built).name
            shutil.copyfile(built, wheel)
    except Exception as error:  # any failure here must stop the build, with its cause
        msg = f"could not build the vmconcepts wheel for the in-browser runner: {error!r}"
        raise PluginError(msg) from error
    return wheel


# Run by Node at build time: Pyodide's own CPython compiles every module of the wheel to
# bytecode, so the browser imports vmconcepts without compiling it (about 0.5 s saved on a
# cold start). The result is the wheel's files plus one unchecked-hash .pyc beside each .py,
# the layout that Python's zipimport reads first.
COMPILE_JS = """
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { PYODIDE, WHEEL, OUTPUT, MOUNT } = process.env;
const { loadPyodide } = await import(pathToFileURL(PYODIDE + "/pyodide.mjs").href);
const py = await loadPyodide({ indexURL: PYODIDE + "/" });
py.FS.writeFile("/tmp/in.whl", new Uint8Array(readFileSync(WHEEL)));
py.globals.set("MOUNT", MOUNT);
py.runPython(`
import importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
with zipfile.ZipFile("/tmp/in.whl") as wheel, \\
        zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED) as out:
    for info in wheel.infolist():
        data = wheel.read(info)
        out.writestr(info, data)
        if info.filename.endswith(".py"):
            code = compile(data, f"{MOUNT}/{info.filename}", "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), False)
            out.writestr(info.filename + "c", pyc)
`);
writeFileSync(OUTPUT, py.FS.readFile("/tmp/out.zip"));
"""
# Where the worker puts the archive in Pyodide's file system (the .pyc files name it).
MOUNT = "/lib/vmconcepts.zip"
# Keyed by the wheel's hash and Pyodide's version, so copies of the project can share it.
CACHE = ROOT / "node_modules" / ".cache" / "vmconcepts-runner"


def _compile_for_pyodide(wheel: Path, version: str, destination: Path) -> Path:
    """The wheel plus bytecode compiled by Pyodide's CPython, cached by the wheel's hash."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    name = f"{wheel.stem}.pyodide-{version}.zip"
    cached = CACHE / f"{digest}-{name}"
    if not cached.is_file():
        node = shutil.which("node")
        if node is None:
            msg = "Node.js is needed to compile vmconcepts for Pyodide; install Node.js 20 or newer"
            raise PluginError(msg)
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYODIDE": str(PYODIDE_PACKAGE),
            "WHEEL": str(wheel),
            "OUTPUT": str(partial),
            "MOUNT": MOUNT,
        }
        done = subprocess.run(  # noqa: S603 - our own script, run by the Node on PATH
            [node, "--input-type=module", "-e", COMPILE_JS],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if done.returncode != 0 or not partial.is_file():
            msg = f"Pyodide could not compile vmconcepts to bytecode:\n{done.stderr[-2000:]}"
            raise PluginError(msg)
        partial.replace(cached)
    shutil.copyfile(cached, destination / name)
    return destination / name


def on_post_build(config: MkDocsConfig) -> None:
    """Copy Pyodide and a fresh build of vmconcepts into the site; tell the worker their names."""
    version = json.loads((PYODIDE_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    site = Path(config.site_dir)
    target = site / "assets" / "pyodide" / version
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(PYODIDE_PACKAGE / name, target / name)
    with tempfile.TemporaryDirectory() as scratch:
        archive = _compile_for_pyodide(_build_wheel(Path(scratch)), version, target)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    sizes = {name: (target / name).stat().st_size for name in (*PYODIDE_FILES, archive.name)}
    settings = {
        "runtime": f"../assets/pyodide/{version}/",
        "library": f"{archive.name}?sha256={digest}",
        "mount": MOUNT,
        "bytes": sum(sizes.values()),
        "version": version,
    }
    worker = site / WORKER
    source = worker.read_text(encoding="utf-8")
    if CONFIG_PLACEHOLDER not in source:
        msg = f"{worker} lacks the placeholder {CONFIG_PLACEHOLDER!r} for the runner's settings"
        raise PluginError(msg)
    worker.write_text(source.replace(CONFIG_PLACEHOLDER, json.dumps(settings)), encoding="utf-8")
