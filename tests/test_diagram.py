"""Tests for vmconcepts.diagram: text drawings and accessible SVG stacks."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts.diagram import Figure, Layer, LayerKind, Stack, side_by_side
from vmconcepts.errors import InvalidStateError, InvalidValueError, VMConceptsError

SVG = "{http://www.w3.org/2000/svg}"


def vm_stack(title: str = "Three VMs") -> Stack:
    """A hypervisor with three guests, the usual VM picture."""
    return (
        Stack(title)
        .with_row(Layer("Server", LayerKind.HARDWARE))
        .with_row(Layer("Xen", LayerKind.HYPERVISOR))
        .with_row(*(Layer(name, LayerKind.GUEST_OS) for name in ("Ubuntu", "Debian", "Windows")))
    )


def container_stack() -> Stack:
    """A container engine with two containers."""
    return (
        Stack("Two containers")
        .with_row(Layer("Server", LayerKind.HARDWARE))
        .with_row(Layer("Linux", LayerKind.HOST_OS))
        .with_row(Layer("Docker Engine", LayerKind.CONTAINER_ENGINE))
        .with_row(Layer("web", LayerKind.CONTAINER), Layer("db", LayerKind.CONTAINER))
    )


def title_spans(root: ET.Element) -> list[tuple[float, float]]:
    """Where each bold (title) text would reach, at 10 px a character, centred on its x."""
    spans = []
    for text in root.iter(f"{SVG}text"):
        if text.get("font-weight") == "bold":
            half = 10 * len(text.text or "") / 2
            spans.append((float(text.get("x", "0")) - half, float(text.get("x", "0")) + half))
    return spans


labels = st.text(
    alphabet=st.characters(max_codepoint=0x2FFF, exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(str.strip)


class TestLayer:
    """Layers check their labels."""

    def test_repr_reads_as_code(self):
        """A layer's repr is the call that builds it."""
        assert repr(Layer("KVM", LayerKind.HYPERVISOR)) == "Layer('KVM', LayerKind.HYPERVISOR)"

    @pytest.mark.parametrize("label", ["", "   ", "two\nlines", "tab\there"])
    def test_bad_label_is_refused(self, label):
        """An empty label or one with control characters raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            Layer(label, LayerKind.APP)


class TestStack:
    """Stacks are built bottom-up and drawn top-down."""

    def test_with_row_leaves_original_alone(self):
        """Adding a row returns a new stack."""
        base = Stack("s").with_row(Layer("PC", LayerKind.HARDWARE))
        taller = base.with_row(Layer("Linux", LayerKind.HOST_OS))
        assert len(base.rows) == 1
        assert len(taller.rows) == 2

    def test_empty_row_is_refused(self):
        """A row with no layers raises InvalidValueError."""
        with pytest.raises(InvalidValueError, match="no layers"):
            Stack("s").with_row()

    def test_non_layer_is_refused(self):
        """A row holding something that is not a Layer raises InvalidValueError."""
        with pytest.raises(InvalidValueError, match="not a Layer"):
            Stack("s", (("Server",),))  # type: ignore[arg-type]

    def test_empty_stack_cannot_be_drawn(self):
        """Drawing a stack with no rows raises InvalidStateError naming what to do."""
        with pytest.raises(InvalidStateError, match="with_row"):
            Stack("s").to_text()
        with pytest.raises(InvalidStateError):
            Stack("s").to_svg()

    def test_text_puts_bottom_row_last(self):
        """The hardware is the last box in the text drawing, the guests the first."""
        lines = vm_stack().to_text().splitlines()
        assert lines[0] == "Three VMs"
        assert "Server" in lines[-2]
        assert "Ubuntu" in lines[2]

    def test_text_rows_have_equal_width(self):
        """Every line of the box drawing has the same width."""
        lines = container_stack().to_text().splitlines()[1:]
        assert len({len(line) for line in lines}) == 1

    @given(st.lists(st.lists(labels, min_size=1, max_size=4), min_size=1, max_size=5))
    def test_text_fits_every_label(self, rows):
        """Every label appears in the drawing and no line has trailing spaces."""
        stack = Stack("random")
        for row in rows:
            stack = stack.with_row(*(Layer(label, LayerKind.APP) for label in row))
        text = stack.to_text()
        for row in rows:
            for label in row:
                assert label.strip() in text
        assert all(line == line.rstrip() for line in text.splitlines())


class TestSvg:
    """The SVG is valid, accessible and deterministic."""

    def test_is_valid_xml_with_title_and_desc(self):
        """The SVG parses and names its title and description in aria-labelledby."""
        root = ET.fromstring(vm_stack().to_svg())  # noqa: S314 - our own output
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None
        assert desc is not None
        assert title.text == "Three VMs"
        assert "Xen (hypervisor)" in (desc.text or "")
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"

    def test_drawn_at_natural_size(self):
        """Width and height match the viewBox, so labels keep their font size."""
        root = ET.fromstring(vm_stack().to_svg())  # noqa: S314 - our own output
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
        assert root.get("font-size") == "16"

    def test_colours_come_from_theme(self):
        """Fills use CSS custom properties with fallbacks; text uses currentColor."""
        svg = vm_stack().to_svg()
        assert "var(--vmc-hypervisor-fill, #" in svg
        assert "fill: currentColor" in svg

    def test_text_is_escaped(self):
        """Markup in labels and titles is escaped and survives a parse round trip."""
        stack = Stack('<b>"A" & B</b>').with_row(Layer("<script>x</script>", LayerKind.APP))
        svg = stack.to_svg()
        assert "<script>" not in svg
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        texts = [element.text for element in root.iter(f"{SVG}text")]
        assert "<script>x</script>" in texts
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == '<b>"A" & B</b>'

    def test_is_deterministic(self):
        """The same stack gives the same SVG every time."""
        assert vm_stack().to_svg() == vm_stack().to_svg()

    def test_ids_follow_title(self):
        """Two stacks with different titles get different ids."""
        first = ET.fromstring(vm_stack("First").to_svg())  # noqa: S314 - our own output
        second = ET.fromstring(vm_stack("Second").to_svg())  # noqa: S314 - our own output
        assert first.get("aria-labelledby") != second.get("aria-labelledby")

    def test_caller_can_choose_id(self):
        """A given id prefix names the title and desc elements."""
        root = ET.fromstring(vm_stack().to_svg("home-vm"))  # noqa: S314 - our own output
        assert root.get("aria-labelledby") == "home-vm-title home-vm-desc"

    @pytest.mark.parametrize("bad", ["", "1abc", "a b", 'x"y'])
    def test_bad_id_is_refused(self, bad):
        """An id that is not a valid XML name raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            vm_stack().to_svg(bad)

    @given(st.lists(labels, min_size=1, max_size=4), labels)
    def test_any_labels_give_valid_xml(self, row, title):
        """Whatever the labels, the SVG parses and keeps them as text."""
        stack = Stack(title).with_row(*(Layer(label, LayerKind.CONTAINER) for label in row))
        root = ET.fromstring(stack.to_svg("x"))  # noqa: S314 - our own output
        texts = [element.text for element in root.iter(f"{SVG}text")]
        assert texts == [title, *row]

    @pytest.mark.parametrize("title", ["Oracle VirtualBox on work-laptop", "T" * 60])
    def test_long_title_fits(self, title):
        """The SVG is wide enough for a title longer than its boxes, so it is not clipped."""
        stack = Stack(title).with_row(Layer("PC", LayerKind.HARDWARE))
        root = ET.fromstring(stack.to_svg())  # noqa: S314 - our own output
        assert title_spans(root) == [(8, int(root.get("width", "0")) - 8)]
        assert int(root.get("width", "0")) >= 10 * len(title) + 16

    @given(labels)
    def test_any_title_fits(self, title):
        """Whatever the title, its estimated extent lies inside the drawing."""
        stack = Stack(title).with_row(Layer("PC", LayerKind.HARDWARE))
        root = ET.fromstring(stack.to_svg("x"))  # noqa: S314 - our own output
        ((left, right),) = title_spans(root)
        assert 0 <= left <= right <= int(root.get("width", "0"))


class TestFigure:
    """Several stacks side by side."""

    def test_needs_a_stack(self):
        """A figure with no stacks raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            side_by_side(title="empty")

    def test_refuses_empty_stack(self):
        """A figure refuses a stack that has no rows with the library's error."""
        with pytest.raises(VMConceptsError):
            Figure("f", (Stack("empty"),))

    def test_text_aligns_bottoms(self):
        """The last line of both drawings is the bottom frame, side by side."""
        text = side_by_side(vm_stack(), container_stack(), title="Both").to_text()
        lines = text.splitlines()
        assert lines[0] == "Both"
        assert lines[1].startswith("Three VMs")
        assert lines[1].endswith("Two containers")
        assert lines[-1].count("+-") == 2

    def test_svg_holds_both_stacks(self):
        """The combined SVG parses and its description names both stacks."""
        svg = side_by_side(vm_stack(), container_stack(), title="VM beside container").to_svg()
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        desc = root.find(f"{SVG}desc")
        assert desc is not None
        assert "Left, Three VMs." in (desc.text or "")
        assert "Right, Two containers." in (desc.text or "")
        assert root.get("aria-labelledby") == (
            "vmc-vm-beside-container-title vmc-vm-beside-container-desc"
        )
        assert len(root.findall(f"{SVG}g")) == 2

    def test_long_stack_titles_do_not_overlap(self):
        """Side by side, each stack is as wide as its own title, so titles neither clip nor meet."""
        long = Stack("Oracle VirtualBox on work-laptop").with_row(Layer("PC", LayerKind.HARDWARE))
        figure = side_by_side(long, vm_stack("Another long title for a stack"), title="Two")
        root = ET.fromstring(figure.to_svg())  # noqa: S314 - our own output
        (first_left, first_right), (second_left, second_right) = title_spans(root)
        assert first_left >= 0
        assert first_right < second_left
        assert second_right <= int(root.get("width", "0"))
