"""ALTO reader: one ALTO page (1.x CCS or no namespace, 2.x, 3.x, 4.x) → numbered lines with
boxes, font sizes and styles, streamed so a page of any size is never held as a whole tree.

A line is a ``TextLine``; its number is its ordinal among the file's ``TextLine`` elements
(1-based, document order) and its text the ``String/@CONTENT`` values joined by single spaces,
which is how Chronicling America's ``ocr.txt`` is made, so that text comes back byte for byte.
A ``HYP`` (the printed hyphen at a line's end) is not part of that text: the line is marked
``hyphenated`` and the word goes on at the next line. ``SUBS_CONTENT`` (the whole hyphenated
word) is not used: the page keeps what was printed. A ``TextLine`` without words is counted
but gives no line.
"""

from __future__ import annotations

from statistics import median

from lxml import etree

from ..diagnostics import Diagnostics
from ..model import Box, Line, Rule, Surface, Text
from . import xml
from .layout_lines import to_int

#: ALTO ``MeasurementUnit`` values (ALTO 1–4): 1/1200 inch, 1/10 mm, pixels.
UNITS = ("pixel", "mm10", "inch1200")
#: ``STYLE`` / ``FONTSTYLE`` words kept on a line (ALTO's fontStylesType).
STYLE_WORDS = frozenset({"bold", "italics", "subscript", "superscript", "smallcaps", "underline"})


#: The elements the reader looks at, in any namespace: words are read from their line, so the
#: parser hands over a line, not each of its words.
_TAGS = tuple(
    "{*}" + local
    for local in (
        "TextLine",
        "TextBlock",
        "ComposedBlock",
        "Illustration",
        "GraphicalElement",
        "TextStyle",
        "MeasurementUnit",
        "fileName",
        "Page",
    )
)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _box(element: etree._Element) -> Box | None:
    """The element's HPOS/VPOS/WIDTH/HEIGHT as a box, None when one is missing or not a size."""
    x, y = _number(element.get("HPOS")), _number(element.get("VPOS"))
    w, h = _number(element.get("WIDTH")), _number(element.get("HEIGHT"))
    if x is None or y is None or w is None or h is None or w < 0 or h < 0:
        return None
    return Box(_whole(x), _whole(y), _whole(x + w), _whole(y + h))


def _whole(number: float) -> int:
    """A coordinate as an integer: half units round up, as in every layout reader
    (layout_lines.to_int, exact but slow, for the rare coordinate that is not whole)."""
    return int(number) if number.is_integer() else to_int(number)


class _Reader:
    """The state of one streamed ALTO page."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.diagnostics = Diagnostics()
        self.unit = "pixel"
        self.image: str | None = None
        self.width = 0
        self.height = 0
        self.styles: dict[str, tuple[float | None, tuple[str, ...]]] = {}
        self.lines: list[Line] = []
        self.rules: list[Rule] = []
        self.regions: list[Box | None] = []
        self.region_ids: list[tuple[str, ...]] = []
        self.block_refs: str | None = None
        self.count = 0  # TextLine elements seen

    def style_of(self, refs: str | None) -> tuple[float | None, tuple[str, ...]]:
        """Font size and style words of the first TextStyle among ``refs`` (IDREFS)."""
        for ref in (refs or "").split():
            if ref in self.styles:
                return self.styles[ref]
        return None, ()

    def text_style(self, element: etree._Element) -> None:
        size = _number(element.get("FONTSIZE"))
        words = tuple(w for w in (element.get("FONTSTYLE") or "").split() if w in STYLE_WORDS)
        if element.get("ID"):
            self.styles[element.get("ID", "")] = (size, words)

    def text_line(self, element: etree._Element) -> None:
        self.count += 1
        strings = element.findall("{*}String")
        words = [string.get("CONTENT", "") for string in strings]
        hyphenated = element.find("{*}HYP") is not None
        heights = [h for h in map(_number, (s.get("HEIGHT") for s in strings)) if h and h > 0]
        text = " ".join(words)
        if not text.strip():
            return
        sizes: dict[float, int] = {}
        styled: dict[str, int] = {}
        for string, content in zip(strings, words, strict=True):
            refs, style_words = string.get("STYLEREFS"), string.get("STYLE")
            if refs is None and style_words is None:
                continue
            size, style = self.style_of(refs)
            if size is not None:
                sizes[size] = sizes.get(size, 0) + len(content)
            for word in set(style) | set((style_words or "").split()):
                if word in STYLE_WORDS:
                    styled[word] = styled.get(word, 0) + len(content)
        size, style = self.style_of(element.get("STYLEREFS"))
        if size is None and sizes:
            size = max(sizes.items(), key=lambda item: (item[1], item[0]))[0]
        if size is None:
            size, _ = self.style_of(self.block_refs)
        # A style word holds for the line when it covers most of the line's characters.
        length = sum(len(w) for w in words)
        words_held = {w for w, n in styled.items() if 2 * n > length}
        line_style = tuple(sorted(set(style) | words_held))
        box = self.checked_box(element, self.count)
        self.lines.append(
            Line(
                self.count,
                text,
                box=box,
                size=size,
                style=line_style,
                region=len(self.regions) - 1 if self.regions else None,
                hyphenated=hyphenated,
                type_height=median(heights) if heights else None,
            )
        )

    def checked_box(self, element: etree._Element, number: int) -> Box | None:
        box = _box(element)
        if box is None:
            self.diagnostics.warn(
                "line.no-coordinates", number, "the line has no coordinates: it has no zone"
            )
            return None
        if self.width and self.height:
            clipped = Box(
                min(max(box.ulx, 0), self.width),
                min(max(box.uly, 0), self.height),
                min(max(box.lrx, 0), self.width),
                min(max(box.lry, 0), self.height),
            )
            if clipped != box:
                self.diagnostics.warn(
                    "line.outside-page",
                    number,
                    f"the line's box {box.ulx},{box.uly},{box.lrx},{box.lry} reaches outside "
                    f"the page ({self.width}×{self.height}): clipped to it",
                )
                return clipped
        return box

    def measurement_unit(self, value: str) -> None:
        if value in UNITS:
            self.unit = value
        else:
            self.diagnostics.warn(
                "alto.unit-unknown",
                None,
                f"unknown MeasurementUnit {value!r}: coordinates are kept as given, in pixels",
            )

    def page(self, element: etree._Element) -> None:
        width, height = _number(element.get("WIDTH")), _number(element.get("HEIGHT"))
        if width and height and width > 0 and height > 0:
            self.width, self.height = _whole(width), _whole(height)


def read(data: bytes, name: str) -> Text:
    """Read an ALTO page (see the module docstring)."""
    reader = _Reader(name)
    pages = 0
    for event, element in xml.iterparse(data, name, _TAGS):
        local = _local(element.tag)
        if event == "start":
            if local == "TextBlock":
                reader.regions.append(_box(element))
                reader.region_ids.append(_ids(element))
                reader.block_refs = element.get("STYLEREFS")
            elif local == "Page":
                pages += 1
                if pages == 1:
                    reader.page(element)
            continue
        if local == "TextLine":
            # Its words are freed with its block: clearing each line costs more than it saves.
            reader.text_line(element)
        elif local in ("TextBlock", "ComposedBlock", "Illustration"):
            _forget(element)
        elif local == "GraphicalElement":
            box = _box(element)
            if box is not None:
                reader.rules.append(Rule(box))
            _forget(element)
        elif local == "TextStyle":
            reader.text_style(element)
        elif local == "MeasurementUnit":
            reader.measurement_unit((element.text or "").strip())
        elif local == "fileName":
            path = (element.text or "").strip().replace("\\", "/")
            reader.image = path.rsplit("/", 1)[-1] or None
    if pages > 1:
        reader.diagnostics.warn(
            "page.more-pages", None, f"the file holds {pages} pages: all are read as one page"
        )
    if not reader.lines:
        reader.diagnostics.warn("page.no-text", None, "the ALTO file holds no text")
    width, height = reader.width, reader.height
    if not (width and height):
        boxes = [line.box for line in reader.lines if line.box is not None]
        width = max((b.lrx for b in boxes), default=0)
        height = max((b.lry for b in boxes), default=0)
    surface = Surface(
        width=width,
        height=height,
        unit=reader.unit,
        image=reader.image,
        rules=tuple(reader.rules),
        regions=tuple(reader.regions),
        region_ids=tuple(reader.region_ids),
    )
    return Text(
        name=name,
        encoding="utf-8",
        lines=tuple(reader.lines),
        diagnostics=reader.diagnostics.frozen(),
        format="alto",
        surface=surface,
    )


def _ids(block: etree._Element) -> tuple[str, ...]:
    """A TextBlock's ID and those of the ComposedBlocks holding it, innermost first."""
    found = []
    element: etree._Element | None = block
    while element is not None:
        if _local(element.tag) in ("TextBlock", "ComposedBlock") and element.get("ID"):
            found.append(element.get("ID", ""))
        element = element.getparent()
    return tuple(found)


def _forget(element: etree._Element) -> None:
    """Free what has been read: the element's content and the siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
