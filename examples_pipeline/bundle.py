"""Put the in-browser runner into a built site: ``python -m examples_pipeline.bundle SITE``.

A plain command, so any site builder can call it after building (MkDocs' hook does,
hooks/runner.py). It:

1. copies the pinned Pyodide runtime from ``node_modules/pyodide`` into the site: only the
   loader, the asm module, the WebAssembly binary, the stdlib zip and the lock file;
2. builds the ``vmconcepts`` wheel from this checkout, so the browser runs the very code the
   tests checked, and has Pyodide's own CPython (under Node) add each module's bytecode, so
   the browser need not compile it;
3. writes the runner's settings (file names, sizes, the worker's Python) into the worker and
   the names of examples_pipeline.protocol into both runner scripts, over their placeholders,
   and minifies the scripts and the stylesheets of our own with esbuild: a page's share
   counts against its first visit, and the sources keep their comments.

Every failure is a `BundleError` whose message says what to do; the command prints it as
one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from examples_pipeline import protocol

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
RUNNER = "javascripts/runner.js"
WORKER = "javascripts/runner-worker.js"
CONFIG_PLACEHOLDER = "/*VMC_CONFIG*/ null"
PROTOCOL_PLACEHOLDER = "/*VMC_PROTOCOL*/ null"
# Which placeholders each script must have.
PLACEHOLDERS = {
    RUNNER: (PROTOCOL_PLACEHOLDER,),
    WORKER: (PROTOCOL_PLACEHOLDER, CONFIG_PLACEHOLDER),
}
# The minifier (npm package esbuild, pinned in package-lock.json) and what it minifies.
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# Besides the runner: the site's own script and stylesheet, which every first visit loads.
MINIFIED = (
    RUNNER,
    WORKER,
    "javascripts/theme.js",
    "stylesheets/runner.css",
    "stylesheets/extra.css",
)
# Where the worker puts the archive in Pyodide's file system (the .pyc files name it).
MOUNT = "/lib/vmconcepts.zip"
# The worker's Python, written by the worker under PRELUDE_ROOT and imported as PRELUDE_MODULE.
PRELUDE_ROOT = "/lib/vmc-runner"
PRELUDE_MODULE = "examples_pipeline.worker_prelude"
PRELUDE_FILES = (
    "examples_pipeline/__init__.py",
    "examples_pipeline/protocol.py",
    "examples_pipeline/worker_prelude.py",
)
# Keyed by the wheel's hash and Pyodide's version, so copies of the project can share it.
CACHE = ROOT / "node_modules" / ".cache" / "vmconcepts-runner"

# Run by Node: Pyodide's own CPython compiles every module of the wheel to bytecode, so the
# browser imports vmconcepts without compiling it (about 0.5 s saved on a cold start). The
# result is the wheel's files plus one unchecked-hash .pyc beside each .py, the layout that
# Python's zipimport reads first.
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


class BundleError(Exception):
    """The runner cannot be put into the site; the message says why and what to do."""


def check_pyodide(package: Path = PYODIDE_PACKAGE) -> str:
    """The pinned Pyodide's version; fails with the fix when any file the site needs is missing."""
    missing = [name for name in (*PYODIDE_FILES, "package.json") if not (package / name).is_file()]
    if missing:
        msg = f"Pyodide files missing from {package}: {', '.join(missing)}; run `make install`"
        raise BundleError(msg)
    manifest = json.loads((package / "package.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def find_node() -> str:
    """The Node.js on PATH, which compiles vmconcepts with Pyodide's CPython."""
    node = shutil.which("node")
    if node is None:
        msg = "Node.js is needed to compile vmconcepts for Pyodide; install Node.js 20 or newer"
        raise BundleError(msg)
    return node


def build_wheel(destination: Path) -> Path:
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
        raise BundleError(msg) from error
    return wheel


def compile_for_pyodide(
    wheel: Path,
    version: str,
    destination: Path,
    *,
    package: Path = PYODIDE_PACKAGE,
    cache: Path = CACHE,
) -> Path:
    """The wheel plus bytecode compiled by Pyodide's CPython, cached by the wheel's hash."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    name = f"{wheel.stem}.pyodide-{version}.zip"
    cached = cache / f"{digest}-{name}"
    if not cached.is_file():
        node = find_node()
        cache.mkdir(parents=True, exist_ok=True)
        # Each process (and thread) writes its own file, then renames it into place: two
        # bundles at once (two test workers, a build beside `make serve`) leave one archive.
        partial = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.partial")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYODIDE": str(package),
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
            partial.unlink(missing_ok=True)
            msg = f"Pyodide could not compile vmconcepts to bytecode:\n{done.stderr[-2000:]}"
            raise BundleError(msg)
        partial.replace(cached)
    shutil.copyfile(cached, destination / name)
    return destination / name


def read_scripts(site: Path) -> dict[str, str]:
    """The runner's scripts in the built site, each checked for the placeholders it needs."""
    scripts = {}
    for name, placeholders in PLACEHOLDERS.items():
        path = site / name
        if not path.is_file():
            msg = f"{path} is missing: build the site first (it comes from docs/{name})"
            raise BundleError(msg)
        text = path.read_text(encoding="utf-8")
        for placeholder in placeholders:
            if placeholder not in text:
                msg = f"{path} lacks the placeholder {placeholder!r} that the bundle fills in"
                raise BundleError(msg)
        scripts[name] = text
    return scripts


def minify(path: Path) -> None:
    """Minify one script or stylesheet of the site in place with esbuild."""
    if not ESBUILD.is_file():
        msg = f"esbuild is missing from {ESBUILD.parent}: run `make install` (it runs npm ci)"
        raise BundleError(msg)
    done = subprocess.run(  # noqa: S603 - the pinned esbuild, on a file of our own site
        [
            str(ESBUILD),
            str(path),
            "--minify",
            "--log-level=warning",
            f"--outfile={path}",
            "--allow-overwrite",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"esbuild could not minify {path}:\n{done.stderr[-2000:]}"
        raise BundleError(msg)


def fill(site: Path, values: dict[str, str]) -> None:
    """Write each placeholder's value into the runner's scripts; minify them and the CSS.

    esbuild drops comments, so while it runs each placeholder (``/*VMC_NAME*/ null``) is a
    string (``"__VMC_NAME__"``); then the string becomes the value after its comment,
    ``/*VMC_NAME*/{...}``, where tests and curious readers can find it.
    """
    names = {placeholder: placeholder.removesuffix(" null") for placeholder in values}
    stand_ins = {placeholder: f'"__{name[2:-2]}__"' for placeholder, name in names.items()}
    for script in PLACEHOLDERS:
        path = site / script
        text = path.read_text(encoding="utf-8")
        for placeholder, stand_in in stand_ins.items():
            text = text.replace(placeholder, stand_in)
        path.write_text(text, encoding="utf-8")
    for name in MINIFIED:
        minify(site / name)
    for script in PLACEHOLDERS:
        path = site / script
        text = path.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(stand_ins[placeholder], names[placeholder] + value)
        path.write_text(text, encoding="utf-8")


def prelude_files() -> dict[str, str]:
    """The worker's Python modules, by their path under PRELUDE_ROOT."""
    return {name: (ROOT / name).read_text(encoding="utf-8") for name in PRELUDE_FILES}


def bundle(site: Path, package: Path = PYODIDE_PACKAGE) -> dict[str, object]:
    """Put Pyodide and a fresh build of vmconcepts into a built site; return the settings."""
    if not site.is_dir():
        msg = f"{site} is not a directory: give the folder of a built site"
        raise BundleError(msg)
    read_scripts(site)  # before the slow part, so a wrong folder fails at once
    for name in MINIFIED:
        if not (site / name).is_file():
            msg = f"{site / name} is missing: build the site first (it comes from docs/{name})"
            raise BundleError(msg)
    version = check_pyodide(package)
    find_node()
    target = site / "assets" / "pyodide" / version
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(package / name, target / name)
    with tempfile.TemporaryDirectory() as scratch:
        archive = compile_for_pyodide(build_wheel(Path(scratch)), version, target, package=package)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    sizes = {name: (target / name).stat().st_size for name in (*PYODIDE_FILES, archive.name)}
    settings: dict[str, object] = {
        "runtime": f"../assets/pyodide/{version}/",
        "library": f"{archive.name}?sha256={digest}",
        "mount": MOUNT,
        "bytes": sum(sizes.values()),
        "version": version,
        "prelude": {"root": PRELUDE_ROOT, "module": PRELUDE_MODULE, "files": prelude_files()},
    }
    fill(site, {PROTOCOL_PLACEHOLDER: protocol.as_json(), CONFIG_PLACEHOLDER: json.dumps(settings)})
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: bundle into SITE_DIR; a failure is its message and status 2."""
    parser = argparse.ArgumentParser(
        prog="python -m examples_pipeline.bundle",
        description="Put Pyodide and vmconcepts into a built site for its Run buttons.",
    )
    parser.add_argument("site", metavar="SITE_DIR", type=Path, help="the built site's folder")
    parser.add_argument(
        "--pyodide",
        type=Path,
        default=PYODIDE_PACKAGE,
        help="the installed pyodide npm package (default: %(default)s)",
    )
    arguments = parser.parse_args(argv)
    try:
        bundle(arguments.site, arguments.pyodide)
    except BundleError as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)  # noqa: T201 - the command's report
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
