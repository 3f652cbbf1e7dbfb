"""The MkDocs hooks: copy text for doctest blocks, scroll boxes for diagrams."""

from __future__ import annotations

import sys

import pytest
from project import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
import diagrams
from copy_code import code_only, on_page_content

from vmconcepts.diagram import Layer, LayerKind, Stack


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


class TestHook:
    """The hook adds data-copy to every pycon block and refuses one without prompts."""

    class FakePage:
        """Just enough of a MkDocs page for the hook's error message."""

        class file:  # noqa: N801 - mirrors page.file.src_path
            """The page's source file."""

            src_path = "page.md"

    def test_data_copy_is_added(self):
        """The block's div gets the escaped code as data-copy."""
        html = (
            '<div class="language-pycon highlight"><pre><code>'
            '<span class="gp">&gt;&gt;&gt; </span>print("a &lt; b")\n'
            '<span class="go">a &lt; b</span></code></pre></div>'
        )
        out = on_page_content(html, self.FakePage(), None, None)  # type: ignore[arg-type]
        assert 'data-copy="print(&quot;a &lt; b&quot;)"' in out

    def test_block_without_prompt_is_refused(self):
        """A pycon block with no prompt fails the build with the page named."""
        html = '<div class="language-pycon highlight"><pre><code>print(1)</code></pre></div>'
        with pytest.raises(ValueError, match=r"page\.md: a ```pycon block has no '>>>' prompt"):
            on_page_content(html, self.FakePage(), None, None)  # type: ignore[arg-type]


class TestDiagramBoxes:
    """Each vmconcepts diagram gets a focusable scroll box named by its title."""

    def test_diagram_is_wrapped_and_named(self):
        """The box is focusable and labelled by the diagram's own title element."""
        svg = Stack("Two layers").with_row(Layer("Server", LayerKind.HARDWARE)).to_svg()
        out = diagrams.on_page_content(f"<p>{svg}</p>", None, None, None)  # type: ignore[arg-type]
        assert out.startswith(
            '<p><div class="vmc-diagram" tabindex="0" role="group" '
            'aria-labelledby="vmc-two-layers-title"><svg '
        )
        assert out.endswith("</svg></div></p>")

    def test_other_svg_is_left_alone(self):
        """Icons and other SVG on the page are not wrapped."""
        icon = '<svg viewBox="0 0 24 24"><path d="M0 0"/></svg>'
        assert diagrams.on_page_content(icon, None, None, None) == icon  # type: ignore[arg-type]
