"""What the hOCR, PAGE and PaddleOCR readers share: one source line into a model :class:`Line`.

A reader hands each line element it meets, in document order, to a :class:`PageLines` with
the line's ordinal (its ``number``), its text and its coordinates as the source gives them;
the collector cleans the text, turns the coordinates into a :class:`Box` on the page and
reports what it had to change:

- the text loses ASCII white space at its ends, line ends inside it become spaces (a line
  holds no line end), and characters XML 1.0 cannot carry become U+FFFD (``char.replaced``);
- a line whose text is then blank is not emitted at all, so line numbers may have gaps: a
  number is always the line element's ordinal in the source;
- coordinates are rounded half up to integers; a polygon keeps its points and gets its
  bounding box; a line without coordinates keeps ``box=None`` (``line.no-coordinates``), a
  box of zero or negative width or height is dropped (``line.empty-box``), and a box
  reaching beyond the page is clipped to it, polygon points included (``line.outside-page``).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from ..diagnostics import Diagnostics
from ..model import Box, Line, RegionRole, Rule, Surface, Text
from .text import _XML_ILLEGAL, REPLACEMENT

#: Line ends inside one line's text (a pretty-printed element, a JSON string with "\n").
_LINE_END = re.compile(r"\r\n|\r|\n")
#: White space a line loses at its ends: ASCII only, so an ideographic indent stays.
_EDGE_SPACE = " \t\r\n"
_HALF = Decimal("0.5")


@dataclass(frozen=True, slots=True)
class Shape:
    """Coordinates as the source gives them: a box, and the polygon when there is one."""

    ulx: int
    uly: int
    lrx: int
    lry: int
    polygon: tuple[tuple[int, int], ...] = ()


def to_int(value: object) -> int:
    """A coordinate as an integer, rounded half up (2.5 → 3, -2.5 → -2) exactly.

    Raises ValueError for anything that is not a finite number (booleans included).
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float | str):
        try:
            number = Decimal(value.strip() if isinstance(value, str) else repr(value))
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return int((number + _HALF).to_integral_value(rounding=ROUND_FLOOR))
    raise ValueError(f"not a number: {value!r}")


def to_float(value: str) -> float | None:
    """A font size or other measure; None when it is not a positive finite number."""
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")) or number <= 0:
        return None
    return number


def from_corners(x0: int, y0: int, x1: int, y1: int) -> Shape:
    """A box given by its upper left and lower right corners."""
    return Shape(x0, y0, x1, y1)


def from_polygon(points: Sequence[tuple[int, int]]) -> Shape:
    """A polygon (at least one point) and its bounding box."""
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return Shape(min(xs), min(ys), max(xs), max(ys), tuple(points))


def image_name(value: str | None) -> str | None:
    """The image's file name without its folders (a URL stays whole); None when blank."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if "://" in value:
        return value
    name = re.split(r"[\\/]", value)[-1]
    return name or None


def encoding_name(declared: str | None) -> str:
    """The codec name of what an XML file declares (``utf-8`` when it declares nothing)."""
    if not declared:
        return "utf-8"
    try:
        return codecs.lookup(declared).name
    except LookupError:
        return declared.lower()


def clip(shape: Shape, width: int, height: int) -> Shape:
    """The shape with every coordinate moved inside ``[0, width] × [0, height]``."""

    def cx(x: int) -> int:
        return min(max(x, 0), width)

    def cy(y: int) -> int:
        return min(max(y, 0), height)

    return Shape(
        cx(shape.ulx),
        cy(shape.uly),
        cx(shape.lrx),
        cy(shape.lry),
        tuple((cx(x), cy(y)) for x, y in shape.polygon),
    )


def box_of(shape: Shape) -> Box:
    """The model box; a polygon of three points or more keeps them as ``x,y x,y …``."""
    points = None
    if len(shape.polygon) >= 3:
        points = " ".join(f"{x},{y}" for x, y in shape.polygon)
    return Box(shape.ulx, shape.uly, shape.lrx, shape.lry, points)


def area_box(shape: Shape | None, width: int | None, height: int | None) -> Box | None:
    """A region's or rule's box, clipped to the page without a word; None when empty."""
    if shape is None or shape.lrx <= shape.ulx or shape.lry <= shape.uly:
        return None
    if width is not None and height is not None:
        shape = clip(shape, width, height)
    return box_of(shape)


def extent(shapes: Iterable[Shape | None]) -> tuple[int, int] | None:
    """The largest x and y any shape reaches; None when there is no shape."""
    xs: list[int] = []
    ys: list[int] = []
    for shape in shapes:
        if shape is not None:
            xs.append(shape.lrx)
            ys.append(shape.lry)
    if not xs:
        return None
    return max(0, *xs), max(0, *ys)


def quad_height(polygon: Sequence[tuple[int, int]]) -> float | None:
    """The height of the text in a four-point line polygon (upper left, upper right, lower
    right, lower left, as OCR detectors give them): the mean length of its left and right
    edges, which a skewed line does not stretch as it does its bounding box. None for any
    other shape."""
    if len(polygon) != 4:
        return None
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = polygon
    left = ((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5
    right = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    height = (left + right) / 2
    return height if height > 0 else None


class PageLines:
    """The lines of one page as they are read, and what was reported about them.

    A plain class, not a dataclass: it is a collector a reader fills, not part of the model.
    ``width`` and ``height`` are the page's size when known (boxes are clipped to it).
    """

    __slots__ = ("diagnostics", "height", "lines", "width")

    def __init__(self, width: int | None, height: int | None) -> None:
        self.width = width
        self.height = height
        self.lines: list[Line] = []
        self.diagnostics = Diagnostics()

    def add(
        self,
        number: int,
        text: str,
        shape: Shape | None,
        *,
        size: float | None = None,
        style: tuple[str, ...] = (),
        region: int | None = None,
        role: RegionRole | None = None,
        missing: str = "the source gives no coordinates",
    ) -> None:
        """Emit line ``number`` unless its text is blank; ``missing`` says why ``shape`` is
        None when it is."""
        text = self.clean(text, number)
        if not text.strip():
            return
        box = self._box(number, shape, missing)
        height = quad_height(shape.polygon) if shape is not None else None
        self.lines.append(Line(number, text, box, size, style, region, role, type_height=height))

    def clean(self, text: str, number: int) -> str:
        text = _LINE_END.sub(" ", text).strip(_EDGE_SPACE)
        found = _XML_ILLEGAL.findall(text)
        if found:
            codes = sorted({f"U+{ord(c):04X}" for c in found})
            text = _XML_ILLEGAL.sub(REPLACEMENT, text)
            self.diagnostics.warn(
                "char.replaced",
                number,
                f"replaced characters not allowed in XML ({', '.join(codes)}) by U+FFFD",
            )
        return text

    def _box(self, number: int, shape: Shape | None, missing: str) -> Box | None:
        if shape is None:
            self.diagnostics.warn("line.no-coordinates", number, f"line without a box: {missing}")
            return None
        if shape.lrx <= shape.ulx or shape.lry <= shape.uly:
            self.diagnostics.warn(
                "line.empty-box",
                number,
                f"box {shape.ulx},{shape.uly} {shape.lrx},{shape.lry} has no width or no "
                "height: the line is kept without a box",
            )
            return None
        if self.width is not None and self.height is not None:
            clipped = clip(shape, self.width, self.height)
            if clipped != shape:
                inside = clipped.lrx > clipped.ulx and clipped.lry > clipped.uly
                self.diagnostics.warn(
                    "line.outside-page",
                    number,
                    f"box {shape.ulx},{shape.uly} {shape.lrx},{shape.lry} "
                    + ("reaches beyond" if inside else "lies outside")
                    + f" the page ({self.width}×{self.height}): clipped to it",
                )
                shape = clipped
        return box_of(shape)

    def text(self, name: str, format: str, encoding: str, surface: Surface | None) -> Text:
        """The page read: a page without text lines is a page (``page.no-text``)."""
        if not self.lines:
            self.diagnostics.warn("page.no-text", None, "the page has no text lines")
        return Text(
            name=name,
            encoding=encoding,
            lines=tuple(self.lines),
            diagnostics=self.diagnostics.frozen(),
            format=format,
            surface=surface,
        )


def page_size(
    given: tuple[int, int] | None,
    shapes: Iterable[Shape | None],
    diagnostics: Diagnostics,
    missing: str,
) -> tuple[int, int] | None:
    """The page's size as the source gives it, else the largest extent of its boxes, with a
    ``page.no-size`` warning whose message begins with ``missing`` (what the source lacks)."""
    if given is not None:
        return given
    size = extent(shapes)
    if size is not None:
        diagnostics.warn(
            "page.no-size", None, f"{missing}: its size is the largest extent of its boxes"
        )
    return size


def make_surface(
    size: tuple[int, int] | None,
    image: str | None,
    rules: Iterable[Box | None] = (),
    regions: Sequence[Box | None] = (),
) -> Surface | None:
    """The page's surface in pixels; None when neither the source nor a box gives its size."""
    if size is None:
        return None
    return Surface(
        width=size[0],
        height=size[1],
        unit="pixel",
        image=image,
        rules=tuple(Rule(box) for box in rules if box is not None),
        regions=tuple(regions),
    )
