"""Static checks of the examples in docs/, shared by the site tests and their gate tests.

Both come from the one reader of the examples' grammar, examples_pipeline.reader.
"""

from __future__ import annotations

from pathlib import Path

from examples_pipeline.reader import Block, ExampleSyntaxError, read_file


def problems(path: Path) -> list[str]:
    """What is wrong with the examples of one page, one line each (none when all is well)."""
    try:
        read_file(path)
    except ExampleSyntaxError as error:
        return [str(problem) for problem in error.problems]
    return []


def executed_fences(path: Path) -> list[Block]:
    """The fences whose code the tests run: ```pycon and ```python blocks no skip covers."""
    return [fence for fence in read_file(path).fences if fence.skip is None]
