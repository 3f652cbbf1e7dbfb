"""Static checks of the Markdown in docs/, shared by the site tests and their gate tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(
    r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```\s*$",
    re.MULTILINE | re.DOTALL,
)
SKIP = re.compile(r"<!--\s*skip:\s*(?P<action>\w+)(?P<reason>[^>]*)-->")
PYTHON_LANGUAGES = {"python", "pycon", "py"}
BUILD_TIME = re.compile(r'\bexec="(?:on|true|1)"')


@dataclass(frozen=True)
class Fence:
    """One fenced code block: where it is, its info string and its code."""

    path: Path
    line: int
    info: str
    body: str

    @property
    def language(self) -> str:
        """The first word of the info string, e.g. ``pycon``."""
        return self.info.split()[0] if self.info.strip() else ""


def fences(path: Path) -> list[Fence]:
    """Every fenced code block in a Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [
        Fence(path, text.count("\n", 0, m.start()) + 1, m["info"].strip(), m["body"])
        for m in FENCE.finditer(text)
    ]


def problems(path: Path) -> list[str]:
    """What is wrong with the examples of one page, as readable lines (none when all is well)."""
    found = []
    for fence in fences(path):
        where = f"{path.name}:{fence.line}"
        if fence.language in PYTHON_LANGUAGES and BUILD_TIME.search(fence.info):
            continue  # markdown-exec runs it during the build, which fails if it raises
        if fence.language in PYTHON_LANGUAGES and fence.info not in {"python", "pycon"}:
            found.append(
                f"{where}: ```{fence.info} is not run by the tests; use ```pycon or ```python"
            )
        if fence.info == "python" and fence.body.lstrip().startswith(">>>"):
            found.append(
                f"{where}: a doctest belongs in ```pycon, which shows prompts and output apart"
            )
        if fence.info == "pycon" and not fence.body.lstrip().startswith(">>>"):
            found.append(f"{where}: a ```pycon block must start with a '>>>' prompt")
    text = path.read_text(encoding="utf-8")
    for skip in SKIP.finditer(text):
        line = text.count("\n", 0, skip.start()) + 1
        if skip["action"] in {"next", "start"} and not re.search(r"[\"']\S", skip["reason"]):
            found.append(f'{path.name}:{line}: a skip needs a reason: <!-- skip: next "why" -->')
    return found


def executed_fences(path: Path) -> list[Fence]:
    """The fences whose code the tests run: pycon and python blocks that no skip marker covers."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    skipped_lines: set[int] = set()
    for skip in SKIP.finditer(text):
        line = text.count("\n", 0, skip.start()) + 1
        if skip["action"] == "next":
            following = next(
                (n for n in range(line + 1, len(lines) + 1) if lines[n - 1].strip()), None
            )
            if following is not None:
                skipped_lines.add(following)
        elif skip["action"] == "start":
            end = next((m for m in SKIP.finditer(text, skip.end()) if m["action"] == "end"), None)
            stop = text.count("\n", 0, end.start()) + 1 if end else len(lines)
            skipped_lines.update(range(line, stop + 1))
    return [
        fence
        for fence in fences(path)
        if fence.info in {"python", "pycon"} and fence.line not in skipped_lines
    ]
