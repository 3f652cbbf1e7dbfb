"""The site's Python-Markdown extension: what the reader's browser needs, added as pages render.

- Every example a reader can run gets the runner's data on its code block (the names are
  ``examples_pipeline.protocol``'s): its code split as doctest splits it, the hidden set-up
  blocks and namespace resets before it, why the tests skip it, why a browser cannot run
  it, and for a ```` ```pycon ```` block the code its copy button copies. The examples and
  their directives are read from the Markdown source by ``examples_pipeline.reader``, the
  reader the tests use, so the page and the tests cannot disagree.
- After each such block (after its annotation list, if it has one) come its controls: the
  Run bar and the live region for its output, which runner.js wires up. Written
  into the page, they are laid out with it; inserted by the script at load, they made the
  browser restyle everything after them (95 ms on /reference/cloud/ at 4x CPU slowdown; README).
- Every diagram drawn by ``vmconcepts.diagram`` gets a focusable scroll box.

It is a Markdown extension, not a MkDocs hook, so it runs wherever the Markdown is
rendered: under MkDocs and under Zensical, and in the docstrings that mkdocstrings renders
(overrides/.mkdocstrings/python/material/docstring/examples.html.jinja sends their
examples through Markdown as ```` ```pycon ```` fences).
"""

from __future__ import annotations

import html
import importlib
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

# Python-Markdown ships no type hints, and types-Markdown is not in the lock: its classes are Any.
from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from markdown.util import HTML_PLACEHOLDER_RE  # type: ignore[import-untyped]

from examples_pipeline.copy_text import code_only
from examples_pipeline.protocol import Attribute, Control, Part, RunMode, StepKind
from examples_pipeline.reader import (
    FENCE,
    Block,
    ClearNamespace,
    ExampleSyntaxError,
    Mode,
    read_markdown,
    run_chunks,
)

RUN_MODES = {Mode.PYCON: RunMode.REPL, Mode.PYTHON: RunMode.EXEC, Mode.CLI: RunMode.CLI}
# While mkdocstrings renders an API object's docstring, the treeprocessor of this name (its
# public IdPrependingTreeprocessor) holds the object's id and "--" as ``id_prefix``.
MKDOCSTRINGS_IDS = "mkdocstrings_ids"
# MkDocs's treeprocessor of this name holds the page's file (``file.src_uri``), so errors
# can name the page; mkdocstrings gives it to the converter of the page's docstrings too.
MKDOCS_PAGE = "relpath"
# Above pymdownx.superfences (25), which reads the fence headers, and below snippets (32)
# and whitespace normalisation (30), so included text is read and tabs are spaces. Line
# numbers are the page's own until a --8<-- include, which adds the included lines.
RUN_DATA_PRIORITY = 28
# Below raw_html (30), which puts markdown-exec's SVG output back into the page.
DIAGRAM_BOX_PRIORITY = 25
# Below the inline step (20), so that the controls' text is not read as Markdown.
RUN_CONTROLS_PRIORITY = 15


class ExamplesMarkdownError(ValueError):
    """The Markdown breaks the examples' grammar, or the extension lacks what it needs."""


def module_of(object_id: str) -> str:
    """The module whose namespace Sybil gives the docstring of an API object (by its id).

    Raises:
        ExamplesMarkdownError: No module or object of that name can be imported.
    """
    parts = object_id.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        try:
            return importlib.import_module(name).__name__
        except ImportError:
            pass
        try:
            target = importlib.import_module(parts[0])
            for part in parts[1:end]:
                target = getattr(target, part)
        except (ImportError, AttributeError):
            continue
        module = getattr(target, "__module__", None)
        if isinstance(module, str):
            return module
    msg = f"cannot find the module of API object {object_id!r}: is it importable?"
    raise ExamplesMarkdownError(msg)


def _escape(value: str) -> str:
    """A value for a fence's attribute list; superfences writes it into the HTML as it is."""
    return html.escape(value, quote=True).replace("\n", "&#10;")


def with_attributes(header: str, attributes: dict[str, str]) -> str:
    """A fence's opening line with ``attributes`` added to its attribute list (``{...}``)."""
    fence = FENCE.match(header)
    if fence is None:  # the reader found a fence on this line; this cannot happen
        msg = f"not a fence's opening line: {header!r}"
        raise ExamplesMarkdownError(msg)
    language, _, rest = fence["info"].partition(" ")
    rest = rest.strip()
    if rest.startswith("{") and rest.endswith("}"):
        rest = rest[1:-1].strip()
    # ```console title="x" and ```console {title="x"} mean the same to superfences.
    added = " ".join(f'{name}="{_escape(value)}"' for name, value in attributes.items())
    listed = f"{rest} {added}" if rest else added
    return f"{fence['indent']}{fence['fence']}{language} {{{listed}}}"


class RunData(Preprocessor):  # type: ignore[misc]
    """Adds the runner's data to the opening line of every fence a reader can run."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        # The module namespace the runner is in after this converter's last block. One
        # converter renders all of a page's docstrings (mkdocstrings makes one per page), so
        # a docstring's examples start from its module's names only when the module changes.
        self.module: str | None = None

    def run(self, lines: list[str]) -> list[str]:
        """Return the lines with every runnable fence's header carrying its run data."""
        self.check_configuration()
        try:
            page = read_markdown("\n".join(lines), "Markdown")
        except ExampleSyntaxError as error:
            found = (self.problem(lines, p.line, p.message) for p in error.problems)
            raise ExamplesMarkdownError("\n".join(found)) from None
        api_object = self.api_object()
        module = module_of(api_object) if api_object else None
        out = list(lines)
        steps: list[list[object]] = []
        for step in page.steps:
            if isinstance(step, ClearNamespace):
                steps.append([StepKind.CLEAR])
            elif step.hidden:
                mode, chunks = run_chunks(step.code)
                steps.append([StepKind.CODE, RUN_MODES[mode], list(chunks)])
            elif step.has_run_button:
                if module is not None and module != self.module:
                    steps = [[StepKind.CLEAR], [StepKind.MODULE, module], *steps]
                    self.module = module
                attributes = self.attributes(step, steps, lines)
                out[step.line - 1] = with_attributes(out[step.line - 1], attributes)
                steps = []
        return out

    def attributes(
        self, block: Block, steps: list[list[object]], lines: list[str]
    ) -> dict[str, str]:
        """The runner's data attributes of one block, and the steps that come before it."""
        if block.mode is Mode.CLI:
            mode, chunks = RunMode.CLI, list(block.arguments)
        else:
            read_mode, read_chunks = run_chunks(block.code)
            mode, chunks = RUN_MODES[read_mode], list(read_chunks)
        if mode is RunMode.REPL and not chunks:
            message = "every example of this doctest block is +SKIP, so it has none to run"
            raise ExamplesMarkdownError(self.problem(lines, block.line, message))
        attributes = {Attribute.RUN.value: mode.value, Attribute.CODE.value: json.dumps(chunks)}
        if steps:
            attributes[Attribute.BEFORE.value] = json.dumps(steps)
        if block.skip is not None:
            attributes[Attribute.SKIP.value] = block.skip
        if block.browser_skip is not None:
            attributes[Attribute.NEVER.value] = block.browser_skip
        if block.mode is Mode.PYCON:
            copy = code_only(block.code)
            if not copy:
                message = "this ```pycon block has no code at its '>>>' prompts"
                raise ExamplesMarkdownError(self.problem(lines, block.line, message))
            attributes[Attribute.COPY.value] = copy
        return attributes

    def problem(self, lines: list[str], line: int, message: str) -> str:
        """One problem as the reader's errors say it ("page.md:12: ..."), and the line's text."""
        page, api_object = self.page(), self.api_object()
        if api_object:
            place = f"the docstring of {api_object}, line {line} of its examples"
            place = f"{page}: {place}" if page else place
        else:
            place = f"{page}:{line}" if page else f"line {line}"
        return f"{place}: {message}\n    {lines[line - 1].strip()}"

    def api_object(self) -> str | None:
        """The id of the API object whose docstring mkdocstrings is rendering, if it is one."""
        if MKDOCSTRINGS_IDS not in self.md.treeprocessors:
            return None
        prefix = getattr(self.md.treeprocessors[MKDOCSTRINGS_IDS], "id_prefix", "")
        return str(prefix).removesuffix("--") or None

    def page(self) -> str | None:
        """The page being rendered, when the builder says: MkDocs's "relpath" step holds it."""
        if MKDOCS_PAGE not in self.md.treeprocessors:
            return None
        source = getattr(
            getattr(self.md.treeprocessors[MKDOCS_PAGE], "file", None), "src_uri", None
        )
        return source if isinstance(source, str) else None

    def check_configuration(self) -> None:
        """Fail with the fix when the extensions that write the attributes are missing."""
        if "fenced_code_block" not in self.md.preprocessors or not hasattr(
            self.md.preprocessors["fenced_code_block"], "get_hl_settings"
        ):
            msg = "examples_pipeline.markdown needs pymdownx.superfences in markdown_extensions"
            raise ExamplesMarkdownError(msg)
        if "attr_list" not in self.md.treeprocessors:
            msg = "examples_pipeline.markdown needs attr_list in markdown_extensions"
            raise ExamplesMarkdownError(msg)


class CodeBlockHTML(HTMLParser):
    """What the controls need from a code block as superfences rendered it (into the stash).

    ``attributes`` are those of its outer element, where the run data is; ``comments`` the
    text of the highlighted code's comments, where the theme looks for annotation markers.
    """

    COMMENT_CLASSES = frozenset({"c", "c1", "cm"})  # Pygments' classes for comments

    def __init__(self, rendered: str) -> None:
        super().__init__()
        self.attributes: dict[str, str | None] | None = None
        self.comments: list[str] = []
        self.in_comment = False
        self.feed(rendered)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the first tag's attributes; note whether a comment starts."""
        if self.attributes is None:
            self.attributes = dict(attrs)
        self.in_comment = tag == "span" and dict(attrs).get("class") in self.COMMENT_CLASSES

    def handle_endtag(self, _tag: str) -> None:
        """A comment's span has no child elements: any end tag ends it."""
        self.in_comment = False

    def handle_data(self, data: str) -> None:
        """Keep a comment's text."""
        if self.in_comment:
            self.comments.append(data)


# The theme turns "(1)" in a code comment into an annotation, from the <ol> after the block.
ANNOTATION_MARKER = re.compile(r"\(\d+\)")


def run_controls(never: str | None) -> list[ET.Element]:
    """What follows an example: its Run bar, and the live region its output will go into.

    The buttons start as runner.js leaves them when nothing runs: Stop unavailable, and Run
    too where a browser cannot run the example. The bar is left out of the search index.
    runner.js adds the progress line and the output box when a run needs them.
    """
    bar = ET.Element("div", {"class": Part.BAR, "data-search-exclude": ""})
    for control in Control:
        button = ET.SubElement(bar, "button", {"class": "vmc-button", Attribute.CONTROL: control})
        if control is Control.STOP or (control is Control.RUN and never is not None):
            button.set("aria-disabled", "true")
        button.text = control.value.capitalize()
    if never is not None:
        note = ET.SubElement(bar, "span", {"class": "vmc-note"})
        note.text = f"Not run in the browser: {never}"
    live = ET.Element("div", {"class": Part.LIVE, "aria-live": "polite"})
    return [bar, live]


class RunControls(Treeprocessor):  # type: ignore[misc]
    """Puts the controls after every block with run data, or after its annotation list."""

    def run(self, root: ET.Element) -> None:
        """Find the blocks' placeholders (superfences stashes the blocks) and add controls."""
        for parent in list(root.iter()):
            for child in list(parent):
                block = self.stashed_block(child)
                if (
                    block is None
                    or block.attributes is None
                    or Attribute.RUN not in block.attributes
                ):
                    continue
                children = list(parent)
                where = children.index(child) + 1
                following = children[where] if where < len(children) else None
                annotated = any(ANNOTATION_MARKER.search(text) for text in block.comments)
                if following is not None and following.tag == "ol" and annotated:
                    where += 1
                for offset, control in enumerate(
                    run_controls(block.attributes.get(Attribute.NEVER))
                ):
                    parent.insert(where + offset, control)

    def stashed_block(self, element: ET.Element) -> CodeBlockHTML | None:
        """The code block an element stands for, if it is a paragraph holding a placeholder."""
        if element.tag != "p" or len(element) or not element.text:
            return None
        found = HTML_PLACEHOLDER_RE.fullmatch(element.text.strip())
        if found is None:
            return None
        return CodeBlockHTML(str(self.md.htmlStash.rawHtmlBlocks[int(found[1])]))


# A vmconcepts diagram (Stack.to_svg, Figure.to_svg), possibly already in its box: the
# title's id is the first of the two ids its aria-labelledby names.
DIAGRAM = re.compile(
    r'(?P<boxed><div class="vmc-diagram"[^>]*>\s*)?'
    r'<svg [^>]*aria-labelledby="(?P<title>[^" ]+) [^"]*"[^>]*class="vmc-stack".*?</svg>',
    re.DOTALL,
)


def _box(match: re.Match[str]) -> str:
    if match["boxed"]:
        return match[0]
    return (
        f'<div class="vmc-diagram" tabindex="0" role="group" '
        f'aria-labelledby="{match["title"]}">{match[0]}</div>'
    )


class DiagramBoxes(Postprocessor):  # type: ignore[misc]
    """Gives every vmconcepts diagram its own scroll box.

    Diagrams are drawn at their natural size so their labels stay as large as the text
    around them; on a phone a wide one scrolls sideways inside this box instead of
    widening the page. A box that scrolls must be reachable by keyboard, so it is
    focusable and named after the diagram's title.
    """

    def run(self, text: str) -> str:
        """Wrap each diagram not yet in a box."""
        return DIAGRAM.sub(_box, text)


class ExamplesExtension(Extension):  # type: ignore[misc]
    """Run data and controls on examples, scroll boxes on diagrams (see the module's docstring)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        """Register the preprocessor, the treeprocessor and the postprocessor."""
        md.preprocessors.register(RunData(md), "vmconcepts_run_data", RUN_DATA_PRIORITY)
        md.treeprocessors.register(
            RunControls(md), "vmconcepts_run_controls", RUN_CONTROLS_PRIORITY
        )
        md.postprocessors.register(
            DiagramBoxes(md), "vmconcepts_diagram_boxes", DIAGRAM_BOX_PRIORITY
        )


def makeExtension(**kwargs: object) -> ExamplesExtension:  # noqa: N802 - Python-Markdown's name
    """Let Python-Markdown load the extension by its module's name."""
    return ExamplesExtension(**kwargs)
