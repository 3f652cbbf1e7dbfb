"""Sybil's collection, built from the reader: the reader finds the examples, Sybil runs them.

Each step the reader finds becomes one Sybil region that starts where the reader places
it: a doctest example at its ``>>>``, so a failure names the page and the line of its
prompt, also inside content tabs and admonitions (Sybil's own Markdown parsers place
examples in indented fences lines too early). Sybil's evaluators run them, unchanged.
"""

from __future__ import annotations

import unittest
from collections.abc import Iterator
from pathlib import Path

from sybil import Document, Example, Region, Sybil
from sybil.document import PythonDocument
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.region import Lexeme
from sybil.sybil import SybilCollection
from sybil.typing import Evaluator

from examples_pipeline.reader import (
    DOCSTRING_EXAMPLES,
    MARKDOWN_EXAMPLES,
    OPTIONFLAGS,
    Block,
    ClearNamespace,
    Mode,
    Page,
    display,
    read_markdown,
    read_module,
)


class SkippedBy:
    """The evaluator of a skipped block's regions: it skips them, with the page's reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __call__(self, example: Example) -> None:  # noqa: ARG002 - Sybil's evaluator signature
        """Skip the example (pytest reports unittest's SkipTest as a skip, with the reason)."""
        raise unittest.SkipTest(self.reason)

    def __repr__(self) -> str:
        return f"SkippedBy({self.reason!r})"


def clear_namespace(example: Example) -> None:
    """Empty the page's namespace, as ``<!-- clear-namespace -->`` asks."""
    example.document.namespace.clear()


class ExamplesParser:
    """The Sybil parser of pages and docstrings: the reader's steps, as regions.

    ``doctest`` is the evaluator of ``>>>`` examples: Sybil's own, unless a caller (such
    as ``make fix-examples``) needs one that also records what an example printed.
    """

    def __init__(self, doctest: DocTestEvaluator | None = None) -> None:
        self.doctest: Evaluator = doctest or DocTestEvaluator(OPTIONFLAGS)
        self.python: Evaluator = PythonEvaluator(())

    def read(self, document: Document) -> Page:
        """What the reader finds in a document: a Python module's docstrings, or a page."""
        name = display(document.path)
        if document.path.endswith(".py"):
            return read_module(document.text, name)
        return read_markdown(document.text, name)

    def evaluator(self, block: Block, runs: Evaluator) -> Evaluator:
        """How a block's regions are evaluated: ``runs``, unless the page skips the block."""
        return SkippedBy(block.skip) if block.skip is not None else runs

    def __call__(self, document: Document) -> Iterator[Region]:
        """Yield one region per doctest example, plain code block, set-up block and reset."""
        for step in self.read(document).steps:
            if isinstance(step, ClearNamespace):
                yield Region(step.start, step.end, None, clear_namespace)
            elif step.mode is Mode.PYCON:
                for example in step.examples:
                    evaluator = self.evaluator(step, self.doctest)
                    yield Region(example.start, example.end, example.to_doctest(), evaluator)
            elif step.mode is Mode.PYTHON:
                # PythonEvaluator numbers the code's lines from the region's line plus this offset.
                code = Lexeme(step.code, offset=0, line_offset=step.code_line - step.line - 1)
                yield Region(step.start, step.end, code, self.evaluator(step, self.python))


def sybils(root: Path, parser: ExamplesParser | None = None) -> SybilCollection:
    """The Sybil configuration of the project at ``root``: its pages, then its docstrings."""
    parsers = [parser or ExamplesParser()]
    folder, pattern = MARKDOWN_EXAMPLES
    pages = Sybil(parsers=parsers, path=str(root / folder), patterns=[pattern], name="docs")
    folder, pattern = DOCSTRING_EXAMPLES
    docstrings = Sybil(
        parsers=parsers,
        path=str(root / folder),
        patterns=[pattern],
        name="docstrings",
        # The whole module, so the reader places each docstring's examples in the file;
        # PythonDocument imports the module first, so its names are the examples' namespace.
        document_types={".py": PythonDocument},
    )
    return pages + docstrings
