"""Benchmark figures for the README: import time, detect() time, site build time.

Figures, not tests: each is the best (or median) of several runs on this
machine, printed with what was measured, so a reader can run it again.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_time_ms(runs: int = 15) -> float:
    """Best time for a fresh interpreter to run `import vmconcepts`, with bytecode compiled.

    Bytecode is compiled first, as `pip install` does, so the figure is what a reader's
    installed copy pays, not the one-off cost of compiling the sources.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", "vmconcepts"], cwd=ROOT, check=True)
    code = "import time; t = time.perf_counter(); import vmconcepts; print(time.perf_counter() - t)"
    best = float("inf")
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        best = min(best, float(result.stdout) * 1000)
    return best


def detect_time_ms(runs: int = 200) -> float:
    """Median time of one `detect()` call on this machine."""
    from vmconcepts.detect import detect  # noqa: PLC0415 - measured apart from the import

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        detect()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def build_time_s() -> float:
    """Wall time of one strict site build into a temporary directory."""
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", site],
            cwd=ROOT,
            check=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        return time.perf_counter() - start


def main() -> None:
    """Print the figures as a Markdown table."""
    rows = [
        ("`import vmconcepts` in a fresh interpreter (best of 15)", f"{import_time_ms():.1f} ms"),
        ("`detect()` on this machine (median of 200)", f"{detect_time_ms():.2f} ms"),
        ("`mkdocs build --strict` (one run)", f"{build_time_s():.1f} s"),
    ]
    print(f"Python {sys.version.split()[0]} on {os.cpu_count()} cores\n")
    print("| what | figure |\n| --- | --- |")
    for what, figure in rows:
        print(f"| {what} | {figure} |")


if __name__ == "__main__":
    main()
