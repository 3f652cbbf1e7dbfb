"""The built site: clean strict build, every page reachable, examples run, copy text clean."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from docs_checks import executed_fences, problems
from project import SITE_PAGES, page_paths

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def nav_pages() -> list[str]:
    """The Markdown files the nav in mkdocs.yml lists."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only strings
    pages: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            else:
                pages.append(str(value))

    walk(config["nav"])
    return pages


def built_page(site: Path, page: str) -> Path:
    """Where mkdocs writes a page with directory URLs."""
    path = Path(page).with_suffix("")
    return site / (path.parent if path.name == "index" else path) / "index.html"


class TestBuild:
    """The strict build and what it writes."""

    def test_every_docs_page_is_in_the_nav(self):
        """Each Markdown page is listed in the nav (the build warns too; this names the page)."""
        listed = set(nav_pages())
        on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
        assert on_disk - listed == set()

    def test_every_nav_page_is_built(self, built_site: Path):
        """Every page in the nav ends up as an HTML file."""
        missing = [p for p in nav_pages() if not built_page(built_site, p).is_file()]
        assert missing == []

    def test_the_built_pages_are_the_pages_that_tests_list(self, built_site: Path):
        """The browser tests make one test per page from docs/; the site has those, no more."""
        assert page_paths(built_site) == SITE_PAGES

    def test_pages_load_nothing_from_other_hosts(self, built_site: Path):
        """No script, stylesheet, image or font is fetched from another host."""
        remote = re.compile(
            r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//',
            re.IGNORECASE,
        )
        offenders = [
            f"{p.relative_to(built_site)}: {m.group(0)}"
            for p in built_site.rglob("*.html")
            for m in remote.finditer(p.read_text(encoding="utf-8"))
            if 'rel="canonical"' not in m.group(0) and 'rel="alternate"' not in m.group(0)
        ]
        assert offenders == []

    def test_every_module_has_a_reference_page(self):
        """Each public module of vmconcepts is rendered by a page under reference/."""
        modules = {
            p.stem if p.suffix == ".py" else p.name
            for p in (ROOT / "vmconcepts").iterdir()
            if (p.suffix == ".py" and not p.stem.startswith("_")) or (p / "__init__.py").is_file()
        }
        rendered = {
            match
            for page in (DOCS / "reference").glob("*.md")
            for match in re.findall(r"^::: vmconcepts\.(\w+)\s*$", page.read_text(), re.MULTILINE)
        }
        assert modules - rendered == set()


class TestTheme:
    """What we rely on from the installed mkdocs-material that its documentation does not say."""

    def test_the_theme_still_reads_content_lazy(self, built_site: Path):
        """mkdocs.yml turns on content.lazy, and the built theme script still checks that flag.

        The flag is undocumented. If an upgrade of the theme dropped it, nothing would
        break and no build would warn: long pages would just block a phone's main thread
        again (issue 16). The minified bundle keeps feature names as strings, as in
        ``V("content.lazy")``.
        """
        config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only strings
        assert "content.lazy" in config["theme"]["features"]
        bundles = list((built_site / "assets" / "javascripts").glob("bundle.*.min.js"))
        assert len(bundles) == 1, bundles
        checks = re.findall(r'[\w$]+\("content\.lazy"\)', bundles[0].read_text(encoding="utf-8"))
        assert checks, f"{bundles[0].name} no longer checks the content.lazy feature flag"


class TestCopyButton:
    """The copy button copies code only."""

    def test_doctest_blocks_copy_code_without_prompts_or_output(self, built_site: Path):
        """Every pycon block carries data-copy with only the code typed at its prompts."""
        pages = [built_page(built_site, p).read_text(encoding="utf-8") for p in nav_pages()]
        blocks = [
            b
            for page in pages
            for b in re.findall(r'<div class="language-pycon highlight"[^>]*>', page)
        ]
        assert blocks, "the site has no doctest blocks to check"
        for block in blocks:
            copy = re.search(r'data-copy="([^"]*)"', block)
            assert copy, block
            code = html.unescape(copy.group(1))
            assert code.strip()
            assert ">>>" not in code
            assert not any(line.startswith("... ") for line in code.splitlines())


# The fewest examples the tests must run on each page, so a page cannot lose its
# examples unnoticed. Raise a floor when you add examples; never lower one to pass.
# contributing.md includes CONTRIBUTING.md, whose examples show Markdown, not Python;
# reference/ renders the docstrings, whose examples run from vmconcepts/ itself.
MIN_EXECUTED_EXAMPLES = {
    "index.md": 2,
    "what-is-a-vm.md": 13,
    "how-vms-work.md": 20,
    "under-the-hood.md": 16,
    "why-vms.md": 21,
    "cloud.md": 16,
    "containers.md": 26,
    "isolation.md": 17,
    "where-am-i.md": 16,
    "glossary.md": 3,
    **{f"reference/{page.name}": 0 for page in (DOCS / "reference").glob("*.md")},
    "reference/index.md": 1,
    "contributing.md": 0,
}


class TestExamples:
    """Every example on the site is run by the tests, or skipped with a reason."""

    def test_every_page_has_an_example_floor(self):
        """Each page in the nav has a floor, so a new page must state its examples."""
        assert sorted(MIN_EXECUTED_EXAMPLES) == sorted(nav_pages())

    @pytest.mark.parametrize("page", sorted(MIN_EXECUTED_EXAMPLES))
    def test_page_keeps_its_examples(self, page: str):
        """The page still has at least as many executed example blocks as its floor."""
        assert len(executed_fences(DOCS / page)) >= MIN_EXECUTED_EXAMPLES[page]

    @pytest.mark.parametrize(
        "page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    )
    def test_page_examples_are_runnable_and_marked_right(self, page: str):
        """Python blocks use a fence the tests run; doctests use pycon; skips give a reason."""
        assert problems(DOCS / page) == []
