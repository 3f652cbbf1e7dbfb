"""The site's Markdown extension: run data on examples, copy text, scroll boxes on diagrams."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from project import copy_project, mkdocs_build

from examples_pipeline.copy_text import code_only
from examples_pipeline.markdown import (
    MKDOCSTRINGS_IDS,
    ExamplesMarkdownError,
    module_of,
    with_attributes,
)
from examples_pipeline.protocol import Part
from vmconcepts.diagram import Layer, LayerKind, Stack

# The extensions of mkdocs.yml that shape code blocks, with the same settings.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.highlight",
    "examples_pipeline.markdown",
]
CONFIGS = {
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.highlight": {"pygments_lang_class": True},
}
BLOCK = re.compile(r'<div class="language-(?P<language>\w+) highlight"(?P<attributes>[^>]*)>')
ATTRIBUTE = re.compile(r'(?P<name>[\w-]+)="(?P<value>[^"]*)"')
JSON_ATTRIBUTES = {"data-run-code", "data-run-before"}


def converter(extensions: list[str] = EXTENSIONS) -> markdown.Markdown:
    """A Markdown converter configured as the site's pages are."""
    return markdown.Markdown(extensions=extensions, extension_configs=CONFIGS)


def blocks(rendered: str) -> list[dict[str, object]]:
    """Each code block's language and data attributes, unescaped (and JSON ones decoded)."""
    found = []
    for block in BLOCK.finditer(rendered):
        attributes: dict[str, object] = {"language": block["language"]}
        for attribute in ATTRIBUTE.finditer(block["attributes"]):
            value = html.unescape(attribute["value"])
            name = attribute["name"]
            attributes[name] = json.loads(value) if name in JSON_ATTRIBUTES else value
        found.append(attributes)
    return found


def render(text: str) -> list[dict[str, object]]:
    """The code blocks of a page rendered as the site renders it."""
    return blocks(converter().convert(text))


class TestCodeOnly:
    """The code of a doctest session, as a reader would type it."""

    def test_prompts_and_output_are_dropped(self):
        """Only the code typed after >>> and ... remains."""
        session = ">>> for n in range(2):\n...     print(n)\n0\n1\n>>> n\n1\n"
        assert code_only(session) == "for n in range(2):\n    print(n)\nn"

    def test_annotation_markers_are_dropped(self):
        """Material's '# (1)!' markers do not reach the reader's editor."""
        assert code_only(">>> x = 1  # (1)!\n>>> x  # (2)\n1\n") == "x = 1\nx"

    def test_tracebacks_are_output(self):
        """An expected traceback is output, not code."""
        session = ">>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: x\n"
        assert code_only(session) == "1 / 0"


class TestRunData:
    """Each kind of block gets exactly the attributes the runner reads."""

    def test_pycon_block(self):
        """A doctest runs prompt by prompt; its copy text is the code alone, escaped intact."""
        page = '```pycon\n>>> print("a < b")  # (1)!\na < b\n>>> 1 + 1\n2\n```\n'
        assert render(page) == [
            {
                "language": "pycon",
                "data-run": "repl",
                "data-run-code": ['print("a < b")  # (1)!\n', "1 + 1\n"],
                "data-copy": 'print("a < b")\n1 + 1',
            }
        ]

    def test_python_block(self):
        """Plain code runs whole, line breaks and quotes kept; it has no copy text of its own."""
        page = '```python\nx = "it\'s"\nprint(x)\n```\n'
        assert render(page) == [
            {"language": "python", "data-run": "exec", "data-run-code": ['x = "it\'s"\nprint(x)\n']}
        ]

    def test_console_block_of_vmconcepts_commands(self):
        """A console block runs its vmconcepts commands; any other console block has no data."""
        page = (
            "```console\n$ vmconcepts whereami --json\n{}\n$ python -m vmconcepts --help\n```\n\n"
            "```console\n$ ls\n```\n"
        )
        assert render(page) == [
            {
                "language": "console",
                "data-run": "cli",
                "data-run-code": ["whereami --json", "--help"],
            },
            {"language": "console"},
        ]

    def test_hidden_set_up_and_clear_run_before_the_next_block_only(self):
        """Set-up code and resets become the next block's steps, in page order, and are used up."""
        page = (
            "<!-- invisible-code-block: python\nx = 1\n-->\n\n<!-- clear-namespace -->\n\n"
            "<!-- invisible-code-block: python\ny = 2\n-->\n\n"
            "```pycon\n>>> y\n2\n```\n\n```pycon\n>>> y + 1\n3\n```\n"
        )
        first, second = render(page)
        assert first["data-run-before"] == [
            ["code", "exec", ["x = 1\n"]],
            ["clear"],
            ["code", "exec", ["y = 2\n"]],
        ]
        assert "data-run-before" not in second

    @pytest.mark.parametrize("reason", ['"needs /sys"', "'needs /sys'"])
    def test_skip_next_shows_its_reason_on_the_next_block_only(self, reason: str):
        """The reason, in either quotes, goes on the next Python block; the one after runs."""
        page = f"<!-- skip: next {reason} -->\n\n```python\nx = 1\n```\n\n```python\nx\n```\n"
        first, second = render(page)
        assert first["data-run-skip"] == "needs /sys"
        assert "data-run-skip" not in second

    def test_skip_range_covers_the_blocks_between_start_and_end(self):
        """Every Python block between start and end shows the reason; a block after does not."""
        page = (
            "<!-- skip: start 'slow: \"minutes\"' -->\n\n```python\na = 1\n```\n\n"
            "```pycon\n>>> a\n1\n```\n\n<!-- skip: end -->\n\n```python\nb = 2\n```\n"
        )
        skips = [block.get("data-run-skip") for block in render(page)]
        assert skips == ['slow: "minutes"', 'slow: "minutes"', None]

    def test_browser_skip_marks_the_next_block_never(self):
        """A block a browser cannot run says why; a console block too, and it is never skipped."""
        page = (
            '<!-- browser: skip "reads /sys" -->\n\n```console\n$ vmconcepts whereami\n```\n\n'
            "```console\n$ vmconcepts whereami\n```\n"
        )
        first, second = render(page)
        assert first["data-run-never"] == "reads /sys"
        assert "data-run-skip" not in first
        assert "data-run-never" not in second

    def test_blocks_in_a_tab_and_an_admonition(self):
        """Fences that superfences renders inside tabs and admonitions get their data too."""
        page = (
            '=== "First"\n\n    <!-- clear-namespace -->\n\n'
            "    ```pycon\n    >>> 1\n    1\n    ```\n\n"
            '!!! note\n\n    <!-- skip: next "why" -->\n\n    ```python\n    x = 1\n    ```\n'
        )
        first, second = render(page)
        assert first == {
            "language": "pycon",
            "data-run": "repl",
            "data-run-code": ["1\n"],
            "data-run-before": [["clear"]],
            "data-copy": "1",
        }
        assert second["data-run-skip"] == "why"

    def test_build_time_and_other_blocks_get_nothing_and_keep_waiting_steps(self):
        """A block run by markdown-exec, or in another language, has no Run button."""
        page = "<!-- clear-namespace -->\n\n```text\n>>> 1\n```\n\n```python\nx = 1\n```\n"
        assert render(page) == [
            {"language": "text"},
            {
                "language": "python",
                "data-run": "exec",
                "data-run-code": ["x = 1\n"],
                "data-run-before": [["clear"]],
            },
        ]

    def test_a_doctest_with_nothing_to_run_is_refused(self):
        """A block whose every example is +SKIP would show a Run button that does nothing."""
        page = "# Page\n\n```pycon\n>>> 1  # doctest: +SKIP\n1\n```\n"
        with pytest.raises(ExamplesMarkdownError, match=r"^line 3: every example .* \+SKIP"):
            converter().convert(page)


class TestErrors:
    """A page that breaks the grammar, or a configuration that lacks a part, fails the build."""

    def test_a_grammar_error_names_the_line_and_shows_it(self):
        """The reader's message comes with the line number and the line's own text."""
        page = '# Page\n\n<!-- skip: nxt "x" -->\n\n```pycon\n>>> 1\n1\n```\n'
        with pytest.raises(ExamplesMarkdownError) as raised:
            converter().convert(page)
        assert str(raised.value) == (
            "line 3: unknown skip action 'nxt': write <!-- skip: next \"why\" -->, "
            '<!-- skip: start "why" --> or <!-- skip: end -->\n    <!-- skip: nxt "x" -->'
        )

    def test_every_problem_is_reported(self):
        """Two mistakes on one page give two lines, in page order."""
        page = "```python\n>>> 1\n```\n\n<!-- browser: skp -->\n"
        with pytest.raises(ExamplesMarkdownError) as raised:
            converter().convert(page)
        message = str(raised.value)
        assert message.startswith("line 1: a doctest belongs in ```pycon")
        assert "\nline 5: unknown browser directive 'skp'" in message

    def test_the_page_is_named_when_mkdocs_says(self):
        """MkDocs's relpath step holds the page: errors then read as the reader's do."""
        md = converter()
        relpath = FakeStep(file=SimpleNamespace(src_uri="guide/page.md"))
        md.treeprocessors.register(relpath, "relpath", 0)
        with pytest.raises(ExamplesMarkdownError, match=r"^guide/page\.md:1: unknown browser"):
            md.convert('<!-- browser: skp "x" -->\n')

    @pytest.mark.parametrize("missing", ["attr_list", "pymdownx.superfences"])
    def test_a_missing_extension_is_named(self, missing: str):
        """Without superfences or attr_list the attributes would vanish; the build says which."""
        extensions = [name for name in EXTENSIONS if name != missing]
        with pytest.raises(ExamplesMarkdownError, match=f"needs {re.escape(missing)}"):
            converter(extensions).convert("```python\nx = 1\n```\n")


class TestFenceHeader:
    """The attributes join the fence's own attribute list, whichever way it is written."""

    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("```console", '```console {data-run="cli"}'),
            ('    ```console title="a b"', '    ```console {title="a b" data-run="cli"}'),
            ("~~~~console {.wide}", '~~~~console {.wide data-run="cli"}'),
        ],
    )
    def test_attributes_are_added(self, header: str, expected: str):
        """Options, an attribute list or nothing: all end up in one list, indentation kept."""
        assert with_attributes(header, {"data-run": "cli"}) == expected

    def test_a_line_that_opens_no_fence_is_refused(self):
        """Only a fence's opening line can take attributes."""
        with pytest.raises(ExamplesMarkdownError, match="not a fence's opening line"):
            with_attributes("Some text.", {"data-run": "cli"})

    def test_values_are_escaped(self):
        """Superfences writes values as they are, so quotes, <, & and line breaks are escaped."""
        header = with_attributes("```python", {"data-copy": 'a "<&>"\nb'})
        assert header == '```python {data-copy="a &quot;&lt;&amp;&gt;&quot;&#10;b"}'


class FakeStep(SimpleNamespace):
    """A treeprocessor that does nothing but hold what another extension would set on it."""

    def run(self, root: object) -> None:
        """Leaves the tree alone."""


class TestDocstrings:
    """Examples that mkdocstrings renders run in the namespace of their object's module."""

    def test_module_step_when_the_module_changes(self):
        """One converter renders a page's docstrings; the module is loaded when it changes."""
        md = converter()
        ids = FakeStep(id_prefix="")  # mkdocstrings' IdPrependingTreeprocessor
        md.treeprocessors.register(ids, MKDOCSTRINGS_IDS, 4)
        fence = "```pycon\n>>> 1\n1\n```\n"
        befores = []
        for object_id in ("vmconcepts.host.Host", "vmconcepts.host.Usage", "vmconcepts.cpu"):
            ids.id_prefix = f"{object_id}--"
            befores.append(blocks(md.convert(fence))[0].get("data-run-before"))
            md.reset()
        assert befores == [
            [["clear"], ["module", "vmconcepts.host"]],
            None,
            [["clear"], ["module", "vmconcepts.cpu"]],
        ]

    def test_a_docstring_error_names_the_object(self):
        """A problem inside a docstring names the API object, whose text the line counts in."""
        md = converter()
        ids = FakeStep(id_prefix="vmconcepts.host.Host--")
        md.treeprocessors.register(ids, MKDOCSTRINGS_IDS, 4)
        with pytest.raises(
            ExamplesMarkdownError, match=r"^the docstring of vmconcepts\.host\.Host"
        ):
            md.convert("```pycon\n>>> 1  # doctest: +SKIP\n```\n")

    @pytest.mark.parametrize(
        ("object_id", "module"),
        [
            ("vmconcepts.host", "vmconcepts.host"),
            ("vmconcepts.host.Host.create_vm", "vmconcepts.host"),
            ("vmconcepts.Host", "vmconcepts.host"),  # re-exported: where it is defined
        ],
    )
    def test_module_of(self, object_id: str, module: str):
        """The module whose names Sybil gives the object's docstring."""
        assert module_of(object_id) == module

    def test_module_of_an_unknown_object(self):
        """An id that imports nothing is an error that names it."""
        with pytest.raises(ExamplesMarkdownError, match=r"'nowhere\.thing'"):
            module_of("nowhere.thing")

    @pytest.mark.slow
    def test_reference_page_examples_get_their_module(self, tmp_path: Path):
        """Built with mkdocstrings, a module's first docstring example loads the module, once."""
        project = copy_project(tmp_path / "project")
        (project / "docs" / "reference" / "errors.md").write_text(
            "# Hosts\n\n::: vmconcepts.host\n"
        )
        result = mkdocs_build(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        page = (tmp_path / "site" / "reference" / "errors" / "index.html").read_text()
        examples = [block for block in blocks(page) if "data-run" in block]
        assert len(examples) > 1
        assert examples[0]["data-run-before"] == [["clear"], ["module", "vmconcepts.host"]]
        assert all("data-run-before" not in block for block in examples[1:])
        assert all(block["data-copy"] for block in examples)
        assert page.count(f'class="{Part.BAR}"') == len(examples)
        signatures = re.findall(r'<div class="language-python doc-signature[^>]*>', page)
        assert signatures
        assert not [signature for signature in signatures if "data-run" in signature]


class Outline(HTMLParser):
    """A rendered page as the sequence of what matters around examples, and their buttons."""

    def __init__(self, rendered: str) -> None:
        super().__init__()
        self.parts: list[str] = []  # code blocks, lists, paragraphs, controls, in page order
        self.buttons: list[list[tuple[str | None, str | None]]] = []  # per Run bar
        self.excluded: list[str] = []  # controls the search index leaves out
        self.texts: list[str] = []  # the text of each button and note, in page order
        self.in_words = False
        self.feed(rendered)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the elements that matter here."""
        attributes = dict(attrs)
        name = attributes.get("class") or ""
        if " highlight" in name:
            self.parts.append("block" + (" (never)" if "data-run-never" in attributes else ""))
        elif tag in {"ol", "p"} or name in set(Part):
            self.parts.append(name or tag)
            self.excluded += [name] if "data-search-exclude" in attributes else []
            self.buttons += [[]] if name == Part.BAR else []
        elif tag == "button":
            control = attributes.get("data-run-control")
            self.buttons[-1].append((control, attributes.get("aria-disabled")))
        self.in_words = tag == "button" or name == "vmc-note"

    def handle_endtag(self, _tag: str) -> None:
        """A button or note ends here, if one was open."""
        self.in_words = False

    def handle_data(self, data: str) -> None:
        """Keep the words of the buttons and notes."""
        if self.in_words:
            self.texts.append(data)


CONTROLS = [Part.BAR, Part.LIVE]
IDLE = [("run", None), ("edit", None), ("reset", None), ("stop", "true")]


def outline(text: str) -> Outline:
    """The outline of a page rendered as the site renders it."""
    return Outline(converter().convert(text))


class TestRunControls:
    """Each runnable block is followed by its controls, written into the page."""

    def test_controls_follow_the_block_idle_and_out_of_search(self):
        """The Run bar and the output's live region come right after the block, as if idle."""
        page = outline("Text.\n\n```pycon\n>>> 1\n1\n```\n\nMore.\n")
        assert page.parts == ["p", "block", *CONTROLS, "p"]
        assert page.buttons == [IDLE]
        assert page.texts == ["Run", "Edit", "Reset", "Stop"]
        assert page.excluded == [Part.BAR]

    def test_controls_go_after_the_annotation_list(self):
        """The theme finds a block's notes in the <ol> right after it: the bar goes after that."""
        page = outline("```pycon\n>>> x = 1  # (1)!\n```\n\n1.  A note.\n")
        assert page.parts == ["block", "ol", *CONTROLS]

    def test_a_list_after_a_block_without_markers_is_not_its_notes(self):
        """Without markers in the code, a list after it is just a list, after the controls."""
        page = outline("```pycon\n>>> x = (1)\n```\n\n1.  Step one.\n")
        assert page.parts == ["block", *CONTROLS, "ol"]

    def test_a_block_a_browser_cannot_run_says_why(self):
        """Its Run button is unavailable from the start, and the bar gives the reason."""
        page = outline(
            '<!-- browser: skip "reads /sys" -->\n\n```console\n$ vmconcepts whereami\n```\n'
        )
        assert page.parts == ["block (never)", *CONTROLS]
        assert page.buttons[0][0] == ("run", "true")
        assert page.texts[-1] == "Not run in the browser: reads /sys"

    def test_blocks_in_a_tab_and_an_admonition(self):
        """Blocks nested in tabs and admonitions get their controls beside them."""
        page = outline(
            '=== "First"\n\n    ```pycon\n    >>> 1\n    1\n    ```\n\n    In the tab.\n\n'
            "!!! note\n\n    ```python\n    x = 1\n    ```\n"
        )
        assert page.parts == ["block", *CONTROLS, "p", "admonition-title", "block", *CONTROLS]

    def test_blocks_without_run_data_get_none(self):
        """A block in another language, or a console block of other commands, has no controls."""
        page = outline("```text\n>>> 1\n```\n\n```console\n$ ls\n```\n")
        assert page.parts == ["block", "block"]


class TestDiagramBoxes:
    """Each vmconcepts diagram gets a focusable scroll box named by its title."""

    SVG = Stack("Two layers").with_row(Layer("Server", LayerKind.HARDWARE)).to_svg()
    BOX = (
        '<div class="vmc-diagram" tabindex="0" role="group" '
        'aria-labelledby="vmc-two-layers-title"><svg '
    )

    def test_diagram_is_wrapped_and_named(self):
        """Raw SVG in a page ends up in a box labelled by the diagram's own title element."""
        rendered = converter().convert(f"Text.\n\n{self.SVG}\n")
        assert self.BOX in rendered
        assert rendered.count('class="vmc-diagram"') == 1
        assert "</svg></div>" in rendered

    def test_a_boxed_diagram_is_not_boxed_again(self):
        """A diagram a nested conversion has boxed already keeps its one box."""
        boxed = converter().convert(self.SVG)
        assert converter().convert(boxed).count('class="vmc-diagram"') == 1

    def test_other_svg_is_left_alone(self):
        """Icons and other SVG on the page are not wrapped."""
        icon = '<svg viewBox="0 0 24 24"><path d="M0 0"/></svg>'
        assert "vmc-diagram" not in converter().convert(f"<p>{icon}</p>\n")
