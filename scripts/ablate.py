"""What each theme setting costs a page: total blocking time, one setting at a time.

The benchmark behind the README's per-feature figures, not a test. It builds the
stock config of `make audit` with web fonts off (the baseline), the baseline plus
our light/dark palette switch, and, for each theme feature asked for, the
baseline plus the palette plus that one feature. Then it runs Lighthouse with the
phone preset several times on one page of each build, served with gzip, and
prints the median total blocking time and performance score. Example:

    .venv/bin/python scripts/ablate.py --page containers/ --features content.code.copy
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
from pathlib import Path
from typing import Any

import yaml
from audit import (
    LIGHTHOUSE,
    OUT,
    ROOT,
    AnyTagLoader,
    build,
    find_chromium,
    lighthouse,
    stock_config,
)
from gzip_server import GzipServer

WORK = OUT / "ablate"


def configs(features: list[str]) -> dict[str, dict[str, Any]]:
    """The builds to compare, by name: baseline, plus palette, plus each feature."""
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=AnyTagLoader)  # noqa: S506 - a SafeLoader
    baseline = yaml.safe_load(stock_config(WORK / "stock").read_text(encoding="utf-8"))
    baseline["theme"]["font"] = False
    with_palette = copy.deepcopy(baseline)
    with_palette["theme"]["palette"] = ours["theme"]["palette"]
    builds = {"stock, fonts off": baseline, "+ palette switch": with_palette}
    for feature in features:
        one_more = copy.deepcopy(with_palette)
        one_more["theme"]["features"] = [feature]
        builds[f"+ palette + {feature}"] = one_more
    return builds


def median_of_runs(site: Path, page: str, runs: int, chromium: str) -> tuple[float, float]:
    """Median total blocking time (ms) and performance score of `runs` phone-preset runs."""
    blocking, scores = [], []
    with GzipServer(site) as server:
        for run in range(runs):
            report = lighthouse(
                f"{server.origin}/{page}", "mobile", site.parent / f"report-{run}.json", chromium
            )
            blocking.append(report["audits"]["total-blocking-time"]["numericValue"])
            scores.append(100 * (report["categories"]["performance"]["score"] or 0))
    return statistics.median(blocking), statistics.median(scores)


def main() -> int:
    """Build every variant, measure each, print one line per build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="containers/", help="URL path, e.g. '' or cloud/")
    parser.add_argument("--runs", type=int, default=5, help="Lighthouse runs per build")
    parser.add_argument(
        "--features", nargs="*", default=[], help="theme features to measure one at a time"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be 1 or more, not {args.runs}: a median needs a run")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make audit` once (it runs npm ci first)")
    chromium = find_chromium()
    print(f"/{args.page}, phone preset, median of {args.runs} runs:")
    for number, (name, config) in enumerate(configs(args.features).items()):
        folder = WORK / f"build-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "mkdocs.yml").write_text(
            yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
        )
        build(folder / "mkdocs.yml", folder / "site", strict=False)
        blocking, score = median_of_runs(folder / "site", args.page, args.runs, chromium)
        print(f"  {name:40} total blocking time {blocking:6.0f} ms  performance {score:3.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
