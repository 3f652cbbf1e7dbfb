"""The runner's bundle (examples_pipeline.bundle): what it puts into a built site, and its errors.

A stand-in site holds only the two runner scripts from docs/javascripts, so no MkDocs build
is needed; compiling vmconcepts with Pyodide is cached in node_modules/.cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from examples_pipeline import bundle, protocol
from examples_pipeline.bundle import (
    CONFIG_PLACEHOLDER,
    PROTOCOL_PLACEHOLDER,
    PYODIDE_FILES,
    PYODIDE_PACKAGE,
    RUNNER,
    WORKER,
    BundleError,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = (RUNNER, WORKER)
COMMAND = [sys.executable, "-m", "examples_pipeline.bundle"]
# Where the scripts spell a protocol value on purpose, meaning something else.
OTHER_MEANINGS = (
    '{ type: "module" }',  # the kind of Web Worker, not the `module` step
    'make("progress")',  # the <progress> element, not the progress message
    'runState = "done"',  # the block's state, which the browser tests read
    '"stopped" : "failed"',  # ditto
)

if not PYODIDE_PACKAGE.is_dir():
    pytest.skip("Pyodide is not installed: run `make install`", allow_module_level=True)


def stand_in_site(folder: Path) -> Path:
    """A built site as far as the bundle cares: the runner's scripts and CSS, copied by MkDocs."""
    for name in bundle.MINIFIED:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "docs" / name, folder / name)
    return folder


def bundle_command(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m examples_pipeline.bundle`` from the project's root."""
    return subprocess.run(
        [*COMMAND, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )


def constant(script: str, name: str) -> object:
    """The JSON value the bundle wrote after ``/*VMC_NAME*/`` in a (minified) script."""
    marker = f"/*VMC_{name}*/"
    assert script.count(marker) == 1, f"{marker} is not in the script once"
    value, _ = json.JSONDecoder().raw_decode(script, script.index(marker) + len(marker))
    return value


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in site, bundled by the command line."""
    folder = stand_in_site(tmp_path_factory.mktemp("bundled"))
    done = bundle_command(str(folder))
    assert done.returncode == 0, done.stderr
    assert done.stdout == done.stderr == ""
    return folder


@pytest.fixture(scope="module")
def runtime(site: Path) -> Path:
    """The folder of the Pyodide runtime in the site."""
    (folder,) = (site / "assets" / "pyodide").iterdir()
    return folder


def test_only_the_runtime_files_the_browser_needs_are_copied(runtime: Path):
    """Loader, asm module, wasm, stdlib, lock file (byte for byte) and vmconcepts: nothing else."""
    version = json.loads((PYODIDE_PACKAGE / "package.json").read_text())["version"]
    assert runtime.name == version
    library = f"vmconcepts-0.1.0-py3-none-any.pyodide-{version}.zip"
    assert sorted(path.name for path in runtime.iterdir()) == sorted([*PYODIDE_FILES, library])
    for name in PYODIDE_FILES:
        assert (runtime / name).read_bytes() == (PYODIDE_PACKAGE / name).read_bytes(), name


def test_vmconcepts_ships_as_built_from_this_checkout(runtime: Path):
    """The archive's modules are the checkout's, byte for byte, each with its bytecode."""
    (archive,) = runtime.glob("vmconcepts-*.zip")
    checkout = {path.relative_to(ROOT).as_posix() for path in (ROOT / "vmconcepts").rglob("*.py")}
    with zipfile.ZipFile(archive) as shipped:
        names = set(shipped.namelist())
        assert {name for name in names if name.endswith(".py")} == checkout
        for name in sorted(checkout):
            assert shipped.read(name) == (ROOT / name).read_bytes(), f"{name} differs"
            assert name + "c" in names, f"{name} has no bytecode"


def test_the_worker_gets_its_settings(site: Path, runtime: Path):
    """File names, total size, the archive's hash, Pyodide's version and the worker's Python."""
    settings = constant((site / WORKER).read_text(), "CONFIG")
    assert isinstance(settings, dict)
    (archive,) = runtime.glob("vmconcepts-*.zip")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    assert settings["library"] == f"{archive.name}?sha256={digest}"
    assert settings["bytes"] == sum(path.stat().st_size for path in runtime.iterdir())
    assert settings["version"] == runtime.name
    assert (site / "javascripts" / settings["runtime"]).resolve() == runtime.resolve()
    assert settings["mount"] == bundle.MOUNT
    prelude = settings["prelude"]
    assert prelude["module"] == "examples_pipeline.worker_prelude"
    assert prelude["files"] == {name: (ROOT / name).read_text() for name in bundle.PRELUDE_FILES}


def test_both_scripts_get_the_protocols_names(site: Path):
    """runner.js and the worker get protocol.as_json(); no placeholder is left."""
    for name in SCRIPTS:
        script = (site / name).read_text()
        assert constant(script, "PROTOCOL") == json.loads(protocol.as_json()), name
        assert not re.search(r"/\*VMC_\w+\*/\s*null", script), f"{name}: a placeholder was left"
        assert '"__VMC_' not in script, f"{name}: a stand-in was left"


def test_the_runner_ships_minified_and_still_parses(site: Path):
    """Each script and the stylesheet lose their comments and indentation; Node parses them."""
    for name in bundle.MINIFIED:
        shipped = (site / name).read_text()
        source = (ROOT / "docs" / name).read_text()
        comments = re.findall(r"^\s*(?://|/\*)(.+)$", source, re.MULTILINE)
        assert comments, f"{name}: the source has no comment to look for"
        assert [c for c in comments if c.strip() in shipped] == [], f"{name} keeps comments"
        assert "\n  " not in shipped, f"{name} keeps its indentation"
    for name in SCRIPTS:
        check = subprocess.run(
            ["node", "--check", "--input-type=module"],
            input=(site / name).read_text(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, f"{name}: {check.stderr}"


def spelled_names(script: str) -> list[str]:
    """The protocol's names that a script spells as string literals (other meanings aside)."""
    for use in OTHER_MEANINGS:
        script = script.replace(use, "")
    names = json.loads(protocol.as_json())
    values = {value for group in names.values() for value in group.values()}
    return sorted(v for v in values if re.search(rf"""(["'`]){re.escape(v)}\1""", script))


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_scripts_spell_no_name_of_the_protocol(name: str):
    """No mode, step, attribute, message or stream name is a string literal in the scripts."""
    assert spelled_names((ROOT / "docs" / name).read_text()) == []


def test_a_spelled_name_is_caught():
    """The check above finds a script that compares with "cli" and reads "data-run-code"."""
    script = (ROOT / "docs" / RUNNER).read_text()
    script = script.replace("RunMode.CLI", '"cli"').replace("Attribute.CODE", "'data-run-code'")
    assert spelled_names(script) == ["cli", "data-run-code"]


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [(RUNNER, PROTOCOL_PLACEHOLDER), (WORKER, CONFIG_PLACEHOLDER), (WORKER, PROTOCOL_PLACEHOLDER)],
)
def test_a_missing_placeholder_stops_the_bundle_before_any_copy(
    tmp_path: Path, name: str, placeholder: str
):
    """A script without its placeholder fails with the file and the placeholder, copying nothing."""
    site = stand_in_site(tmp_path)
    script = site / name
    script.write_text(script.read_text().replace(placeholder, "null"))
    with pytest.raises(BundleError) as caught:
        bundle.bundle(site)
    assert str(caught.value) == (
        f"{script} lacks the placeholder {placeholder!r} that the bundle fills in"
    )
    assert not (site / "assets").exists()


def test_a_missing_pyodide_file_is_named_with_the_fix(tmp_path: Path):
    """A Pyodide package without its wasm fails with the file's name and `make install`."""
    for name in (*PYODIDE_FILES, "package.json"):
        if name != "pyodide.asm.wasm":
            (tmp_path / name).write_text("{}" if name == "package.json" else "")
    with pytest.raises(
        BundleError, match=r"missing from .*: pyodide\.asm\.wasm; run `make install`"
    ):
        bundle.check_pyodide(tmp_path)


def test_the_pyodide_version_is_read_from_its_package(tmp_path: Path):
    """With every file there, the check returns the version of the npm package."""
    for name in PYODIDE_FILES:
        (tmp_path / name).write_text("")
    (tmp_path / "package.json").write_text('{"version": "9.8.7"}')
    assert bundle.check_pyodide(tmp_path) == "9.8.7"


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """The command's error: status 2, one line on stderr, no traceback; return the line."""
    assert done.returncode == 2, done
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def test_the_command_names_a_site_folder_that_is_not_there(tmp_path: Path):
    """A site folder that does not exist: one line saying so."""
    line = one_line_error(bundle_command(str(tmp_path / "nowhere")))
    assert line == (
        f"python -m examples_pipeline.bundle: {tmp_path / 'nowhere'} is not a directory:"
        " give the folder of a built site\n"
    )


def test_the_command_names_a_folder_that_is_not_a_built_site(tmp_path: Path):
    """A folder without the runner's scripts: build the site first."""
    line = one_line_error(bundle_command(str(tmp_path)))
    assert f"{tmp_path / RUNNER} is missing: build the site first" in line


def test_the_command_names_missing_pyodide(tmp_path: Path):
    """An empty Pyodide folder: every missing file, and `make install`."""
    site = stand_in_site(tmp_path / "site")
    empty = tmp_path / "pyodide"
    empty.mkdir()
    line = one_line_error(bundle_command(str(site), "--pyodide", str(empty)))
    assert f"Pyodide files missing from {empty}: pyodide.mjs," in line
    assert line.endswith("; run `make install`\n")


def test_the_command_asks_for_node_when_there_is_none(tmp_path: Path):
    """No `node` on PATH: it says Node.js is needed, before copying anything."""
    site = stand_in_site(tmp_path)
    line = one_line_error(bundle_command(str(site), PATH=str(tmp_path / "no-bin")))
    assert "Node.js is needed to compile vmconcepts for Pyodide" in line
    assert not (site / "assets").exists()


def test_the_command_without_a_site_is_a_usage_error():
    """No SITE_DIR at all: argparse's usage and status 2."""
    done = bundle_command()
    assert done.returncode == 2
    assert "SITE_DIR" in done.stderr


# A stand-in for Node.js compiling the library: it writes its output at once, then takes
# its time; the second one started takes longer, so it is still running when the first
# has put its archive in the cache.
SLOW_NODE = """#!/bin/sh
echo "compiled $WHEEL" > "$OUTPUT"
if mkdir "$PYODIDE/first" 2>/dev/null; then sleep 0.5; else sleep 1.5; fi
"""


def test_two_bundles_compiling_at_once_both_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Two bundles compiling a changed library into one cache at once both get it.

    It happens when two test workers bundle, or a build runs beside `make serve`.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "node").write_text(SLOW_NODE)
    (bin_dir / "node").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    wheel = tmp_path / "vmconcepts-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"a wheel")
    cache, package = tmp_path / "cache", tmp_path / "pyodide"
    package.mkdir()
    outputs = [tmp_path / "a", tmp_path / "b"]
    for output in outputs:
        output.mkdir()

    def compile_into(output: Path) -> Path:
        return bundle.compile_for_pyodide(wheel, "0.0", output, package=package, cache=cache)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(compile_into, outputs)
    assert first.read_text() == second.read_text() == f"compiled {wheel}\n"
    (cached,) = cache.iterdir()  # the archive, and no half-written file left behind
    assert cached.name.endswith(first.name)
