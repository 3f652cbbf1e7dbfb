"""Layer diagrams: what runs on what, drawn as text for a doctest and as SVG for a page.

A `Stack` is a pile of rows read from the bottom up: hardware at the bottom,
then whatever runs on it. A row may hold several layers side by side, such as
three guest operating systems on one hypervisor. `Stack.to_text()` draws the
pile with ASCII boxes so it can be checked in an example; `Stack.to_svg()` draws
the same pile as a small accessible inline SVG for the site. `side_by_side()`
puts two or more stacks into one `Figure`, such as a VM stack beside a
container stack.

Examples:
    >>> from vmconcepts.diagram import Layer, LayerKind, Stack
    >>> stack = (
    ...     Stack("Two VMs on one hypervisor")
    ...     .with_row(Layer("Server", LayerKind.HARDWARE))
    ...     .with_row(Layer("VMware ESXi", LayerKind.HYPERVISOR))
    ...     .with_row(Layer("Ubuntu", LayerKind.GUEST_OS), Layer("Windows", LayerKind.GUEST_OS))
    ... )
    >>> print(stack.to_text())
    Two VMs on one hypervisor
    +---------+---------+
    |  Ubuntu | Windows |
    +---------+---------+
    |    VMware ESXi    |
    +-------------------+
    |       Server      |
    +-------------------+
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from vmconcepts.errors import InvalidStateError, InvalidValueError

__all__ = ["Figure", "Layer", "LayerKind", "Stack", "side_by_side"]

# SVG geometry, in pixels: a diagram is drawn at its natural size, so its labels
# stay as large as body text; on a narrow screen the page scrolls it in its own box.
_FONT_SIZE = 16
_CHAR_WIDTH = 10  # a generous average advance for a sans-serif face at _FONT_SIZE
_CELL_PADDING = 12
_ROW_HEIGHT = 40
_GAP = 4
_MARGIN = 8
_TITLE_HEIGHT = 28
_MIN_WIDTH = 240
_STACK_GAP = 24

_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class LayerKind(enum.Enum):
    """What a layer in a stack is; each kind gets its own colour in the SVG.

    Examples:
        >>> LayerKind.GUEST_OS
        LayerKind.GUEST_OS
        >>> LayerKind.GUEST_OS.value
        'guest OS'
        >>> [kind.value for kind in LayerKind][:3]
        ['hardware', 'host OS', 'hypervisor']
    """

    HARDWARE = "hardware"
    HOST_OS = "host OS"
    HYPERVISOR = "hypervisor"
    VIRTUAL_MACHINE = "virtual machine"
    GUEST_OS = "guest OS"
    CONTAINER_ENGINE = "container engine"
    CONTAINER = "container"
    LIBRARIES = "binaries and libraries"
    APP = "app"

    def __repr__(self) -> str:
        """Show the kind as it is written in code."""
        return f"{type(self).__name__}.{self.name}"

    @property
    def slug(self) -> str:
        """The kind as a CSS-friendly name, used in the SVG's custom properties.

        Examples:
            >>> LayerKind.CONTAINER_ENGINE.slug
            'container-engine'
        """
        return self.name.lower().replace("_", "-")


# Fallback colours for each kind. They are drawn at low opacity over the page, so the
# same hue reads on a light and on a dark background; text uses currentColor.
_FALLBACK_FILL = {
    LayerKind.HARDWARE: "#6b7280",
    LayerKind.HOST_OS: "#2563eb",
    LayerKind.HYPERVISOR: "#7c3aed",
    LayerKind.VIRTUAL_MACHINE: "#0891b2",
    LayerKind.GUEST_OS: "#0d9488",
    LayerKind.CONTAINER_ENGINE: "#c2410c",
    LayerKind.CONTAINER: "#ca8a04",
    LayerKind.LIBRARIES: "#65a30d",
    LayerKind.APP: "#db2777",
}


def _slug(text: str) -> str:
    """Turn a title into an id-safe slug.

    Examples:
        >>> _slug("VMs & containers: side by side!")
        'vms-containers-side-by-side'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "stack"


def _check_id(svg_id: str | None, title: str) -> str:
    """Return the id to use for an SVG: the caller's, or one derived from the title."""
    if svg_id is None:
        return f"vmc-{_slug(title)}"
    if not _ID_PATTERN.fullmatch(svg_id):
        msg = (
            f"SVG id {svg_id!r} is not usable: start with a letter and use only "
            "letters, digits, '-' and '_', e.g. 'vm-stack'"
        )
        raise InvalidValueError(msg)
    return svg_id


def _check_text(what: str, text: str) -> None:
    """Refuse empty text or text with line breaks or other control characters."""
    if not text.strip():
        msg = f"{what} must not be empty; give it a short name such as 'Server'"
        raise InvalidValueError(msg)
    if any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text):
        msg = f"{what} {text!r} contains a line break or control character; use one line of text"
        raise InvalidValueError(msg)


@dataclass(frozen=True)
class Layer:
    """One box in a stack: a label and the kind of thing it is.

    Args:
        label: The text shown in the box, e.g. "Ubuntu 24.04".
        kind: What the layer is, which decides its colour.

    Raises:
        InvalidValueError: If the label is empty or holds a line break.

    Examples:
        >>> Layer("Ubuntu 24.04", LayerKind.GUEST_OS)
        Layer('Ubuntu 24.04', LayerKind.GUEST_OS)
        >>> Layer("", LayerKind.APP)
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: layer label must not be empty; give it a short name such as 'Server'
    """

    label: str
    kind: LayerKind

    def __post_init__(self) -> None:
        """Check the label."""
        _check_text("layer label", self.label)

    def __repr__(self) -> str:
        """Show the layer as it is written in code."""
        return f"Layer({self.label!r}, {self.kind!r})"

    def describe(self) -> str:
        """Say what the layer is in words, for screen readers.

        Examples:
            >>> Layer("VirtualBox", LayerKind.HYPERVISOR).describe()
            'VirtualBox (hypervisor)'
        """
        return f"{self.label} ({self.kind.value})"


def _row_text(row: tuple[Layer, ...]) -> str:
    """Describe one row in words."""
    if len(row) == 1:
        return row[0].describe()
    return f"{len(row)} side by side: " + ", ".join(layer.describe() for layer in row)


@dataclass(frozen=True)
class Stack:
    """A titled pile of rows, bottom row first; each row holds one or more layers.

    Build a stack from the bottom up with `with_row()`, which returns a new stack.

    Args:
        title: What the stack shows; it becomes the SVG's title and its id.
        rows: The rows from the bottom up; each is a tuple of layers side by side.

    Raises:
        InvalidValueError: If the title is empty or a row has no layers.

    Examples:
        >>> stack = Stack("A laptop").with_row(Layer("Laptop", LayerKind.HARDWARE))
        >>> stack
        <Stack 'A laptop': 1 row, 1 layer>
        >>> stack.rows
        ((Layer('Laptop', LayerKind.HARDWARE),),)
    """

    title: str
    rows: tuple[tuple[Layer, ...], ...] = ()

    def __post_init__(self) -> None:
        """Check the title and rows, and store rows as tuples."""
        _check_text("stack title", self.title)
        rows = tuple(tuple(row) for row in self.rows)
        for index, row in enumerate(rows):
            if not row:
                msg = (
                    f"row {index} of stack {self.title!r} has no layers; "
                    "each row needs at least one Layer"
                )
                raise InvalidValueError(msg)
            for layer in row:
                if not isinstance(layer, Layer):
                    msg = (
                        f"row {index} of stack {self.title!r} holds {layer!r}, "
                        "which is not a Layer; wrap it as Layer(label, kind)"
                    )
                    raise InvalidValueError(msg)
        object.__setattr__(self, "rows", rows)

    def __repr__(self) -> str:
        """Summarise the stack without listing every layer."""
        rows = len(self.rows)
        layers = len(self.layers)
        return (
            f"<Stack {self.title!r}: {rows} row{'' if rows == 1 else 's'}, "
            f"{layers} layer{'' if layers == 1 else 's'}>"
        )

    @property
    def layers(self) -> tuple[Layer, ...]:
        """Every layer, bottom row first and left to right within a row.

        Examples:
            >>> stack = Stack("Demo").with_row(Layer("PC", LayerKind.HARDWARE))
            >>> stack.layers
            (Layer('PC', LayerKind.HARDWARE),)
        """
        return tuple(layer for row in self.rows for layer in row)

    def with_row(self, *layers: Layer) -> Stack:
        """Return a new stack with one more row on top, holding these layers side by side.

        Args:
            *layers: The layers of the new row, left to right.

        Returns:
            A new stack; this one is unchanged.

        Raises:
            InvalidValueError: If no layer is given.

        Examples:
            >>> base = Stack("Demo").with_row(Layer("PC", LayerKind.HARDWARE))
            >>> base.with_row(Layer("A", LayerKind.APP), Layer("B", LayerKind.APP))
            <Stack 'Demo': 2 rows, 3 layers>
            >>> base
            <Stack 'Demo': 1 row, 1 layer>
        """
        return Stack(self.title, (*self.rows, layers))

    def describe(self) -> str:
        """Say in words what the stack shows, bottom up; this is the SVG's description.

        Examples:
            >>> stack = (
            ...     Stack("Demo")
            ...     .with_row(Layer("PC", LayerKind.HARDWARE))
            ...     .with_row(Layer("A", LayerKind.APP), Layer("B", LayerKind.APP))
            ... )
            >>> stack.describe()
            'From the bottom up: PC (hardware); then 2 side by side: A (app), B (app).'
        """
        self._require_rows()
        return "From the bottom up: " + "; then ".join(_row_text(row) for row in self.rows) + "."

    def _require_rows(self) -> None:
        if not self.rows:
            what = f"stack {self.title!r}"
            raise InvalidStateError(what, "empty", "draw", ["with_row"])

    def to_text(self) -> str:
        """Draw the stack with ASCII boxes, top row first, under its title.

        Returns:
            The drawing, lines joined by newlines, with no trailing spaces.

        Raises:
            InvalidStateError: If the stack has no rows yet.

        Examples:
            >>> stack = (
            ...     Stack("Containers share one kernel")
            ...     .with_row(Layer("Laptop", LayerKind.HARDWARE))
            ...     .with_row(Layer("Linux", LayerKind.HOST_OS))
            ...     .with_row(Layer("Docker Engine", LayerKind.CONTAINER_ENGINE))
            ...     .with_row(*(Layer(name, LayerKind.CONTAINER) for name in ("web", "db", "cache")))
            ... )
            >>> print(stack.to_text())
            Containers share one kernel
            +-------+-------+-------+
            |  web  |   db  | cache |
            +-------+-------+-------+
            |     Docker Engine     |
            +-----------------------+
            |         Linux         |
            +-----------------------+
            |         Laptop        |
            +-----------------------+
        """
        return "\n".join(self._text_lines())

    def _text_lines(self) -> list[str]:
        self._require_rows()
        width = max(
            len(row) * (max(len(layer.label) for layer in row) + 2) + len(row) - 1
            for row in self.rows
        )
        top_down = list(reversed(self.rows))
        cuts = [_cuts(row, width) for row in top_down]
        lines = [self.title, _rule(width, cuts[0])]
        for index, row in enumerate(top_down):
            lines.append(_cells(row, width))
            below = cuts[index + 1] if index + 1 < len(top_down) else set()
            lines.append(_rule(width, cuts[index] | below))
        return lines

    def to_svg(self, svg_id: str | None = None) -> str:
        """Draw the stack as a small accessible inline SVG.

        The SVG has `role="img"`, a `<title>` and a `<desc>` named by
        `aria-labelledby`, a width and height in pixels that match its viewBox (so
        labels keep the size of body text; a page scrolls a wide figure in its own
        box rather than shrink it), and colours taken from CSS custom properties such as
        `--vmc-hypervisor-fill`, with fallbacks drawn at low opacity so they read on
        light and dark themes; text and outlines use `currentColor`.

        Args:
            svg_id: The id prefix for the title and description; by default
                "vmc-" and a slug of the title, so two figures on one page differ.

        Returns:
            The SVG markup; the same stack always gives the same text.

        Raises:
            InvalidStateError: If the stack has no rows yet.
            InvalidValueError: If `svg_id` is not a usable id.

        Examples:
            >>> stack = Stack("Bare metal").with_row(Layer("Server <1>", LayerKind.HARDWARE))
            >>> svg = stack.to_svg()
            >>> print(svg.splitlines()[0])
            <svg xmlns="http://www.w3.org/2000/svg" width="256" height="84" viewBox="0 0 256 84" role="img" aria-labelledby="vmc-bare-metal-title vmc-bare-metal-desc" class="vmc-stack" font-family="system-ui, sans-serif" font-size="16">
            >>> print(svg.splitlines()[1])
            <title id="vmc-bare-metal-title">Bare metal</title>
            >>> "Server &lt;1&gt;" in svg
            True
            >>> stack.to_svg("fig-1").count('id="fig-1-')
            2
        """
        base = _check_id(svg_id, self.title)
        width, height = self._svg_size()
        body = self._svg_body(0, width)
        return _svg_document(base, self.title, self.describe(), (width, height), body)

    def _svg_width(self) -> int:
        self._require_rows()
        needed = max(
            len(row) * (max(len(layer.label) for layer in row) * _CHAR_WIDTH + 2 * _CELL_PADDING)
            + (len(row) - 1) * _GAP
            for row in self.rows
        )
        # The title is drawn centred above the rows, so the rows are made at least as wide.
        title = len(self.title) * _CHAR_WIDTH
        return max(_MIN_WIDTH, needed, title)

    def _svg_size(self) -> tuple[int, int]:
        width = self._svg_width() + 2 * _MARGIN
        height = _MARGIN + _TITLE_HEIGHT + len(self.rows) * (_ROW_HEIGHT + _GAP) - _GAP + _MARGIN
        return width, height

    def _svg_body(self, left: int, inner_width: int | None = None, top_pad: int = 0) -> list[str]:
        """Draw the title and rows, with the drawing's left edge at `left`."""
        inner = self._svg_width() if inner_width is None else inner_width - 2 * _MARGIN
        x0 = left + _MARGIN
        y0 = _MARGIN + top_pad
        title = (
            f'<text x="{x0 + inner // 2}" y="{_MARGIN + _TITLE_HEIGHT // 2}" text-anchor="middle" '
            f'dominant-baseline="central" font-weight="bold" style="fill: currentColor">'
            f"{_escape(self.title)}</text>"
        )
        parts = [title]
        for level, row in enumerate(reversed(self.rows)):
            y = y0 + _TITLE_HEIGHT + level * (_ROW_HEIGHT + _GAP)
            count = len(row)
            cell = (inner - (count - 1) * _GAP) / count
            for position, layer in enumerate(row):
                x = x0 + position * (cell + _GAP)
                parts.append(_svg_cell(layer, x, y, cell))
        return parts


def _svg_cell(layer: Layer, x: float, y: int, width: float) -> str:
    """One rectangle with its centred label."""
    kind = layer.kind
    style = (
        f"fill: var(--vmc-{kind.slug}-fill, {_FALLBACK_FILL[kind]}); "
        "fill-opacity: var(--vmc-fill-opacity, 0.22); stroke: currentColor"
    )
    return (
        f'<g class="vmc-layer vmc-{kind.slug}">'
        f'<rect x="{_num(x)}" y="{y}" width="{_num(width)}" height="{_ROW_HEIGHT}" rx="4" '
        f'style="{style}"/>'
        f'<text x="{_num(x + width / 2)}" y="{y + _ROW_HEIGHT // 2}" text-anchor="middle" '
        f'dominant-baseline="central" style="fill: currentColor">{_escape(layer.label)}</text>'
        "</g>"
    )


def _svg_document(
    base: str, title: str, description: str, size: tuple[int, int], body: list[str]
) -> str:
    """Wrap drawn parts in the accessible outer SVG element."""
    width, height = size
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{base}-title {base}-desc" class="vmc-stack" '
        f'font-family="system-ui, sans-serif" font-size="{_FONT_SIZE}">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{base}-title">{_escape(title)}</title>',
            f'<desc id="{base}-desc">{_escape(description)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _escape(text: str) -> str:
    # Imported here, not at the top: html pulls in html.entities, slow to import in Pyodide,
    # and only drawing an SVG needs it.
    import html  # noqa: PLC0415 - imported on first use: slow in the browser

    return html.escape(text, quote=True)


def _num(value: float) -> str:
    """Format a coordinate without needless decimals, the same way every time."""
    return f"{value:.1f}".removesuffix(".0")


def _cuts(row: tuple[Layer, ...], width: int) -> set[int]:
    """Column positions (0-based, inside the outer frame) of the bars between cells."""
    count = len(row)
    cells = width - (count - 1)
    cuts: set[int] = set()
    position = 0
    for index in range(count - 1):
        position += cells // count + (1 if index < cells % count else 0)
        cuts.add(position)
        position += 1
    return cuts


def _cells(row: tuple[Layer, ...], width: int) -> str:
    count = len(row)
    cells = width - (count - 1)
    parts = []
    for index, layer in enumerate(row):
        size = cells // count + (1 if index < cells % count else 0)
        parts.append(layer.label.center(size))
    return "|" + "|".join(parts) + "|"


def _rule(width: int, cuts: set[int]) -> str:
    return "+" + "".join("+" if column in cuts else "-" for column in range(width)) + "+"


@dataclass(frozen=True)
class Figure:
    """Two or more stacks drawn next to each other, sharing one title.

    Build one with `side_by_side()`.

    Examples:
        >>> vm = Stack("VM").with_row(Layer("Server", LayerKind.HARDWARE))
        >>> box = Stack("Container").with_row(Layer("Server", LayerKind.HARDWARE))
        >>> Figure("Compare", (vm, box))
        <Figure 'Compare': 'VM' | 'Container'>
    """

    title: str
    stacks: tuple[Stack, ...]

    def __post_init__(self) -> None:
        """Check the title and that there are stacks to draw."""
        _check_text("figure title", self.title)
        stacks = tuple(self.stacks)
        if not stacks:
            msg = f"figure {self.title!r} has no stacks; pass at least one Stack"
            raise InvalidValueError(msg)
        for stack in stacks:
            if not isinstance(stack, Stack):
                msg = f"figure {self.title!r} was given {stack!r}, which is not a Stack"
                raise InvalidValueError(msg)
            stack.describe()  # refuses a stack with no rows
        object.__setattr__(self, "stacks", stacks)

    def __repr__(self) -> str:
        """Name the figure and its stacks, left to right."""
        names = " | ".join(repr(stack.title) for stack in self.stacks)
        return f"<Figure {self.title!r}: {names}>"

    def describe(self) -> str:
        """Say in words what each stack shows, left to right.

        Examples:
            >>> a = Stack("A").with_row(Layer("PC", LayerKind.HARDWARE))
            >>> b = Stack("B").with_row(Layer("Mac", LayerKind.HARDWARE))
            >>> side_by_side(a, b, title="A and B").describe()
            'Left, A. From the bottom up: PC (hardware). Right, B. From the bottom up: Mac (hardware).'
        """
        names = _position_names(len(self.stacks))
        return " ".join(
            f"{name}, {stack.title}. {stack.describe()}"
            for name, stack in zip(names, self.stacks, strict=True)
        )

    def to_text(self, gap: int = 4) -> str:
        """Draw the stacks next to each other with their bottoms lined up.

        Args:
            gap: Spaces between two drawings.

        Returns:
            The drawing, with no trailing spaces.

        Examples:
            >>> vm = (
            ...     Stack("VM")
            ...     .with_row(Layer("Server", LayerKind.HARDWARE))
            ...     .with_row(Layer("Hypervisor", LayerKind.HYPERVISOR))
            ...     .with_row(Layer("Guest OS", LayerKind.GUEST_OS))
            ...     .with_row(Layer("App", LayerKind.APP))
            ... )
            >>> box = (
            ...     Stack("Container")
            ...     .with_row(Layer("Server", LayerKind.HARDWARE))
            ...     .with_row(Layer("Host OS", LayerKind.HOST_OS))
            ...     .with_row(Layer("App", LayerKind.CONTAINER))
            ... )
            >>> print(side_by_side(vm, box, title="VM and container").to_text())
            VM and container
            VM                Container
            +------------+
            |    App     |
            +------------+    +---------+
            |  Guest OS  |    |   App   |
            +------------+    +---------+
            | Hypervisor |    | Host OS |
            +------------+    +---------+
            |   Server   |    |  Server |
            +------------+    +---------+
        """
        drawings = [stack._text_lines() for stack in self.stacks]  # noqa: SLF001
        height = max(len(lines) for lines in drawings)
        widths = [max(len(line) for line in lines) for lines in drawings]
        # Titles share the top line; the boxes below line up at the bottom.
        padded = [lines[:1] + [""] * (height - len(lines)) + lines[1:] for lines in drawings]
        out = [self.title]
        for level in range(height):
            parts = [padded[index][level].ljust(widths[index]) for index in range(len(self.stacks))]
            out.append((" " * gap).join(parts).rstrip())
        return "\n".join(out)

    def to_svg(self, svg_id: str | None = None) -> str:
        """Draw the stacks next to each other in one accessible SVG, bottoms lined up.

        Args:
            svg_id: The id prefix for the title and description; by default
                "vmc-" and a slug of the figure's title.

        Returns:
            The SVG markup, the same every time for the same figure.

        Raises:
            InvalidValueError: If `svg_id` is not a usable id.

        Examples:
            >>> a = Stack("A").with_row(Layer("PC", LayerKind.HARDWARE))
            >>> b = Stack("B").with_row(Layer("Mac", LayerKind.HARDWARE))
            >>> svg = side_by_side(a, b, title="A beside B").to_svg()
            >>> print(svg.splitlines()[1])
            <title id="vmc-a-beside-b-title">A beside B</title>
            >>> 'viewBox="0 0 536 84"' in svg
            True
        """
        base = _check_id(svg_id, self.title)
        sizes = [stack._svg_size() for stack in self.stacks]  # noqa: SLF001
        height = max(h for _, h in sizes)
        body: list[str] = []
        left = 0
        for stack, (width, own_height) in zip(self.stacks, sizes, strict=True):
            body.append('<g class="vmc-stack-part">')
            body.extend(stack._svg_body(left, width, height - own_height))  # noqa: SLF001
            body.append("</g>")
            left += width + _STACK_GAP
        total = left - _STACK_GAP
        return _svg_document(base, self.title, self.describe(), (total, height), body)


def _position_names(count: int) -> list[str]:
    if count == 1:
        return ["Only"]
    if count == 2:  # noqa: PLR2004
        return ["Left", "Right"]
    return [f"Stack {index + 1} of {count}" for index in range(count)]


def side_by_side(*stacks: Stack, title: str) -> Figure:
    """Put stacks next to each other in one figure, such as a VM beside a container.

    Args:
        *stacks: The stacks, left to right.
        title: The figure's title, which also gives its SVG id.

    Returns:
        A `Figure` that can be drawn with `to_text()` or `to_svg()`.

    Raises:
        InvalidValueError: If no stack is given or the title is empty.

    Examples:
        >>> a = Stack("A").with_row(Layer("PC", LayerKind.HARDWARE))
        >>> side_by_side(a, a, title="Twice")
        <Figure 'Twice': 'A' | 'A'>
        >>> side_by_side(title="Nothing")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: figure 'Nothing' has no stacks; pass at least one Stack
    """
    return Figure(title, stacks)
