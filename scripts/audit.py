"""Lighthouse on every page of the site and of a stock mkdocs-material build of the same Markdown.

A benchmark, not a test: `make audit` builds both sites, serves each with gzip as
GitHub Pages does (scripts/gzip_server.py), runs Lighthouse 12 with the system's
Chromium on every page with the mobile and the desktop preset, prints one table
with our figure and the stock figure side by side, checks the budgets below and
writes everything to .audit/results.json. Every figure is the median of --runs
runs (3 by default). It exits non-zero on a missed budget only with --strict.
--quick audits only the three longest pages, with the phone preset, for
performance only (axe checks accessibility in the tests): where the budget is tight.

The stock build uses the theme's default settings (no custom_dir, palette,
features, extra CSS or JavaScript, hooks; Google Fonts on) with our Markdown,
Markdown extensions and plugins. On a machine without internet its font
requests fail, which costs it points that it would not lose online.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from gzip_server import GzipServer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".audit"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-quic"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
# Loaded only when a reader presses Run, so not part of a first visit.
EXCLUDED = "/assets/pyodide/"
GENERATOR = '<meta name="generator" content="mkdocs-'

# The budgets of issue 7: a minimum score per category and preset, and a byte ceiling.
MIN_SCORE = {
    ("performance", "mobile"): 99,
    ("performance", "desktop"): 100,
    **{(category, preset): 100 for category in CATEGORIES[1:] for preset in PRESETS},
}
MAX_BYTES = 100_000
# Longest by the size of their HTML: the pages whose blocking time is highest.
QUICK_PAGES = 3


@dataclass(frozen=True)
class Run:
    """One Lighthouse run: a page of one site with one preset."""

    site: str
    page: str
    preset: str
    scores: dict[str, int]
    bytes: int
    requests: int
    blocking_ms: int
    lcp_ms: int


class AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, taking ``!ENV [NAME, default]`` as its default."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    return os.environ.get(str(values[0]), values[-1]) if values else None


AnyTagLoader.add_constructor("!ENV", _env_default)


def stock_config(destination: Path) -> Path:
    """Write a config for a stock mkdocs-material build of our Markdown; return its path."""
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=AnyTagLoader)  # noqa: S506 - a SafeLoader
    plugins = ours.get("plugins", [])
    for plugin in plugins:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            options = plugin["mkdocstrings"]
            options["handlers"]["python"]["paths"] = [str(ROOT)]
            if "custom_templates" in options:  # relative to the config, which moves
                options["custom_templates"] = str(ROOT / options["custom_templates"])
    config = {
        "site_name": ours["site_name"],
        "site_description": ours.get("site_description"),
        "site_url": ours.get("site_url"),
        "docs_dir": str(ROOT / "docs"),
        "nav": ours["nav"],
        "theme": {"name": "material"},
        "plugins": plugins,
        "markdown_extensions": ours.get("markdown_extensions", []),
    }
    path = destination / "mkdocs.yml"
    destination.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(config: Path, site: Path, *, strict: bool) -> None:
    """Build a site with mkdocs; stop with its output if the build fails."""
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--quiet",
        "-f",
        str(config),
        "-d",
        str(site),
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [*command, "--strict"] if strict else command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode:
        sys.exit(f"mkdocs build of {config} failed:\n{done.stderr}")


def page_paths(site: Path) -> list[str]:
    """Every page of a built site, as a URL path relative to its root ("" for the home page)."""
    return sorted(
        "" if index.parent == site else index.parent.relative_to(site).as_posix() + "/"
        for index in site.rglob("index.html")
        if GENERATOR in index.read_text(encoding="utf-8")
    )


def find_chromium() -> str:
    """The Chromium to drive: $CHROMIUM, else the first one on PATH."""
    found = os.environ.get("CHROMIUM") or next(
        (path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None
    )
    if not found:
        sys.exit("make audit needs a Chromium: sudo apt-get install chromium (Debian, Ubuntu)")
    return found


def lighthouse(
    url: str, preset: str, report: Path, chromium: str, categories: tuple[str, ...] = CATEGORIES
) -> dict[str, Any]:
    """Run Lighthouse on one URL and return its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(categories)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    if done.returncode:
        sys.exit(f"Lighthouse failed on {url} ({preset}):\n{done.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def served_bytes(url: str) -> int:
    """The size of a local file's body as the gzip server sends it."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - our own server
    with urllib.request.urlopen(request) as reply:  # noqa: S310 - our own server
        return len(reply.read())


def timings(report: dict[str, Any]) -> tuple[int, int]:
    """Total blocking time and largest contentful paint, in milliseconds, from a report."""
    audits = report["audits"]
    return (
        round(audits["total-blocking-time"]["numericValue"]),
        round(audits["largest-contentful-paint"]["numericValue"]),
    )


def median_run(runs: list[Run]) -> Run:
    """One run whose every figure is the median of the runs' (scores rounded down)."""
    first = runs[0]
    return Run(
        first.site,
        first.page,
        first.preset,
        {c: int(statistics.median_low(r.scores[c] for r in runs)) for c in first.scores},
        int(statistics.median_low(r.bytes for r in runs)),
        int(statistics.median_low(r.requests for r in runs)),
        int(statistics.median_low(r.blocking_ms for r in runs)),
        int(statistics.median_low(r.lcp_ms for r in runs)),
    )


def measure(report: dict[str, Any], origin: str) -> tuple[dict[str, int], int, int]:
    """Scores out of 100, compressed bytes and requests of a first visit, from a report.

    Bytes are the bodies as the server sends them, fetched again: Lighthouse counts a
    web worker's script as only its headers. Requests to other hosts count as requests
    and add the bytes Lighthouse saw (none, when they failed).
    """
    scores = {
        name: round(100 * (category["score"] or 0))
        for name, category in report["categories"].items()
    }
    items = report["audits"]["network-requests"]["details"]["items"]
    fetched = [item for item in items if not item["url"].startswith("data:")]
    fetched = [item for item in fetched if EXCLUDED not in urlsplit(item["url"]).path]
    total = sum(
        served_bytes(item["url"])
        if item["url"].startswith(origin + "/") and item.get("statusCode") == 200  # noqa: PLR2004 - HTTP OK
        else item.get("transferSize", 0)
        for item in fetched
    )
    return scores, total, len(fetched)


@dataclass(frozen=True)
class Plan:
    """What to measure on each site: pages, presets, runs per figure, categories."""

    pages: list[str]
    presets: list[str]
    repeats: int
    categories: tuple[str, ...] = CATEGORIES


def audit_site(name: str, site: Path, plan: Plan) -> list[Run]:
    """Run Lighthouse ``plan.repeats`` times on every page of one site with every preset."""
    chromium = find_chromium()
    medians = []
    reports = OUT / "reports" / name
    reports.mkdir(parents=True, exist_ok=True)
    with GzipServer(site) as server:
        for page in plan.pages:
            for preset in plan.presets:
                runs = []
                for repeat in range(1, plan.repeats + 1):
                    slug = (page.strip("/").replace("/", "-") or "home") + f"-{preset}-{repeat}"
                    print(f"  {name:5} {preset:7} /{page} ({repeat}/{plan.repeats})", flush=True)
                    url, path = f"{server.origin}/{page}", reports / f"{slug}.json"
                    report = lighthouse(url, preset, path, chromium, plan.categories)
                    scores, size, requests = measure(report, server.origin)
                    runs.append(Run(name, page, preset, scores, size, requests, *timings(report)))
                medians.append(median_run(runs))
    return medians


def longest_pages(site: Path, count: int) -> list[str]:
    """The ``count`` pages with the most HTML, longest first."""
    sizes = {page: (site / page / "index.html").stat().st_size for page in page_paths(site)}
    return sorted(sizes, key=sizes.__getitem__, reverse=True)[:count]


def misses(run: Run) -> list[str]:
    """The budgets one of our runs misses."""
    where = f"/{run.page} ({run.preset})"
    missed = [
        f"{where}: {category} {run.scores[category]} < {MIN_SCORE[category, run.preset]}"
        for category in run.scores
        if run.scores[category] < MIN_SCORE[category, run.preset]
    ]
    if run.bytes > MAX_BYTES:
        missed.append(f"{where}: {run.bytes / 1000:.1f} kB transferred > {MAX_BYTES / 1000:.0f} kB")
    return missed


def table(ours: list[Run], stock: list[Run]) -> str:
    """Our figure beside the stock build's, one row per page and preset."""
    stock_by_key = {(run.page, run.preset): run for run in stock}
    header = ("page", "preset", "perf", "TBT ms", "LCP ms", "a11y", "best pr.", "SEO", "kB", "req.")
    rows = [header, tuple("-" * len(cell) for cell in header)]
    for run in ours:
        other = stock_by_key[run.page, run.preset]
        rows.append(
            (
                "/" + run.page,
                run.preset,
                f"{run.scores['performance']} ({other.scores['performance']})",
                f"{run.blocking_ms} ({other.blocking_ms})",
                f"{run.lcp_ms} ({other.lcp_ms})",
                *(
                    f"{run.scores[c]} ({other.scores[c]})" if c in run.scores else "-"
                    for c in CATEGORIES[1:]
                ),
                f"{run.bytes / 1000:.1f} ({other.bytes / 1000:.1f})",
                f"{run.requests} ({other.requests})",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )


def main() -> int:
    """Build both sites, audit them, print the table and the budgets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="only these URL paths, e.g. '' cloud/")
    parser.add_argument("--presets", nargs="*", default=list(PRESETS), choices=PRESETS)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; medians are shown")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"only the {QUICK_PAGES} longest pages, phone preset (unless --pages/--presets)",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, not {args.runs}")
    if args.quick and args.presets == list(PRESETS):
        args.presets = ["mobile"]
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make audit` (it runs npm ci first)")

    print("Building the site and a stock mkdocs-material build of the same Markdown...")
    stock_yml = stock_config(OUT / "stock")
    with ThreadPoolExecutor() as builds:  # side by side: each build is one busy process
        done = [
            builds.submit(build, ROOT / "mkdocs.yml", OUT / "site", strict=True),
            builds.submit(build, stock_yml, OUT / "stock-site", strict=False),
        ]
    for future in done:
        future.result()
    if args.pages is not None:
        pages = args.pages
    elif args.quick:
        pages = longest_pages(OUT / "site", QUICK_PAGES)
    else:
        pages = page_paths(OUT / "site")

    print(
        f"Lighthouse 12 on {len(pages)} pages x {len(args.presets)} presets x {args.runs} runs,"
        " ours then stock:"
    )
    plan = Plan(pages, args.presets, args.runs, CATEGORIES[:1] if args.quick else CATEGORIES)
    ours = audit_site("ours", OUT / "site", plan)
    stock = audit_site("stock", OUT / "stock-site", plan)

    print(
        f"\nOurs (stock mkdocs-material in brackets), median of {args.runs} runs; TBT = total"
        " blocking time, LCP = largest contentful paint, kB = compressed bytes of a first visit"
    )
    print(table(ours, stock))
    missed = [miss for run in ours for miss in misses(run)]
    print(
        f"\nBudgets: performance >= {MIN_SCORE['performance', 'mobile']} mobile and "
        f"{MIN_SCORE['performance', 'desktop']} desktop; accessibility, best practices and "
        f"SEO = 100; at most {MAX_BYTES / 1000:.0f} kB per first visit (Pyodide excluded)."
    )
    print("\n".join(f"  MISSED {miss}" for miss in missed) or "  All met.")
    results = {
        "budgets": {
            "min_score": {f"{c}/{p}": v for (c, p), v in MIN_SCORE.items()},
            "max_bytes": MAX_BYTES,
        },
        "runs_per_figure": args.runs,
        "ours": [asdict(run) for run in ours],
        "stock": [asdict(run) for run in stock],
        "missed": missed,
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten to {(OUT / 'results.json').relative_to(ROOT)}")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
