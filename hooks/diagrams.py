"""Give every diagram drawn by vmconcepts its own scroll box.

Diagrams are drawn at their natural size so their labels stay as large as the
text around them; on a phone a wide one scrolls sideways inside this box
instead of widening the page. A box that scrolls must be reachable by
keyboard, so it is focusable and named after the diagram's title.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

DIAGRAM = re.compile(
    r'<svg [^>]*aria-labelledby="(?P<title>[^" ]+) [^"]*"[^>]*class="vmc-stack".*?</svg>',
    re.DOTALL,
)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:  # noqa: ARG001
    """Wrap each vmconcepts diagram on the page in a focusable scroll box."""
    return DIAGRAM.sub(
        lambda m: (
            f'<div class="vmc-diagram" tabindex="0" role="group" '
            f'aria-labelledby="{m["title"]}">{m[0]}</div>'
        ),
        html,
    )
