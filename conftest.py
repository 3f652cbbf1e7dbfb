"""Sybil collects and runs every example in docs/ and every docstring example in vmconcepts/.

What is an example, and where it is, comes from the one reader (examples_pipeline.reader);
Sybil runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sybil import Document
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

from examples_pipeline.collect import ExamplesParser, sybils
from examples_pipeline.reader import ExampleSyntaxError, Page


class ExamplesOrCollectError(ExamplesParser):
    """Our parser; a page that breaks the grammar fails to collect, showing only its problems."""

    def read(self, document: Document) -> Page:
        """What the reader finds, or a collection error that lists each problem's page and line."""
        try:
            return super().read(document)
        except ExampleSyntaxError as error:
            raise pytest.Collector.CollectError(str(error)) from None


pytest_collect_file = sybils(Path(__file__).resolve().parent, ExamplesOrCollectError()).pytest()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs the built site waits for a whole build: slow, so `make quick` skips it."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


class ExamplesTogether(LoadScopeScheduling):
    """Each page's (or module's) examples go to one worker, in order; other tests go anywhere.

    A page's examples share one namespace, as in one Python session, so they cannot be
    spread over workers the way xdist's default (``--dist load``) spreads tests; every
    other test, each browser test of each page included, is its own unit of work.
    """

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        is_examples = path.endswith(".md") or path.startswith("vmconcepts/")
        return path if is_examples else nodeid


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    """Under ``pytest -n``, keep each file's examples together (other --dist left as asked)."""
    if config.getoption("dist") != "load":
        return None
    return ExamplesTogether(config, log)
