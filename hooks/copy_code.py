"""Make the copy button on a ```pycon block copy only the code.

mkdocs-material copies a block's whole text, so readers would paste ``>>>``
prompts and printed output into their editor. Material copies the
``data-copy`` attribute of a block instead when one is present, so we set it
at build time to the code alone, as the doctest parser reads it.
"""

from __future__ import annotations

import doctest
import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

PYCON_BLOCK = re.compile(
    r'(?P<open><div class="language-pycon highlight")(?P<head>>.*?<code[^>]*>)'
    r"(?P<code>.*?)(?P<close></code>)",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")
# Material's code annotation markers, e.g. "# (1)!", are for the page, not for the reader's editor.
ANNOTATION = re.compile(r"[ \t]*# \(\d+\)!?[ \t]*$", re.MULTILINE)


def code_only(block_text: str) -> str:
    """Return the code typed at the prompts of a doctest session, without prompts or output."""
    examples = doctest.DocTestParser().get_examples(block_text)
    code = "".join(example.source for example in examples)
    return ANNOTATION.sub("", code).rstrip("\n")


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:  # noqa: ARG001
    """Add ``data-copy`` with the bare code to every pycon block on the page."""

    def add_copy_text(match: re.Match[str]) -> str:
        text = html.unescape(TAG.sub("", match["code"]))
        code = code_only(text)
        if not code:
            msg = f"{page.file.src_path}: a ```pycon block has no '>>>' prompt; use ```python"
            raise ValueError(msg)
        attribute = html.escape(code, quote=True).replace("\n", "&#10;")
        return (
            f'{match["open"]} data-copy="{attribute}"{match["head"]}{match["code"]}{match["close"]}'
        )

    return PYCON_BLOCK.sub(add_copy_text, html_text)
