"""Sybil collects and runs every example in docs/ and every docstring example in vmconcepts/."""

from doctest import ELLIPSIS

from sybil import Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown import (
    ClearNamespaceParser,
    CodeBlockParser,
    PythonCodeBlockParser,
    SkipParser,
)
from sybil.parsers.rest import DocTestParser

# Output is compared exactly; only "..." may stand for a value that truly varies.
OPTIONFLAGS = ELLIPSIS


class PyconCodeBlockParser(PythonCodeBlockParser):
    """Runs ```pycon fences too: Sybil's own parser looks only at ```python ones."""

    def __init__(self) -> None:
        super().__init__(doctest_optionflags=OPTIONFLAGS)
        self.codeblock_parser = CodeBlockParser("pycon", PythonEvaluator(()))


markdown_examples = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=OPTIONFLAGS),
        PyconCodeBlockParser(),
        SkipParser(),
        ClearNamespaceParser(),
    ],
    path="./docs",
    patterns=["*.md"],
    name="docs",
)

docstring_examples = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONFLAGS)],
    path="./vmconcepts",
    patterns=["*.py"],
    name="docstrings",
)

pytest_collect_file = (markdown_examples + docstring_examples).pytest()
