"""What the copy button of a ```` ```pycon ```` block copies: the code, as a reader would type it.

mkdocs-material copies a block's whole text, so readers would paste ``>>>`` prompts and
printed output into their editor. The theme copies a block's ``data-copy`` attribute
instead when it has one; the site's Markdown extension sets it to this text.
"""

from __future__ import annotations

import doctest
import re

# Material's code annotation markers, e.g. "# (1)!", are for the page, not for the reader's editor.
ANNOTATION = re.compile(r"[ \t]*# \(\d+\)!?[ \t]*$", re.MULTILINE)


def code_only(session: str) -> str:
    """The code typed at the prompts of a doctest session, without prompts, output or markers."""
    examples = doctest.DocTestParser().get_examples(session)
    code = "".join(example.source for example in examples)
    return ANNOTATION.sub("", code).rstrip("\n")
