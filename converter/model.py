"""The document model: frozen dataclasses every reader produces and every writer consumes.

A reader produces a :class:`Text`, the page's numbered :class:`Line` objects (the source
model); the analysis stages turn it into a :class:`Page` (the document model) that the writers
consume.

Text never leaves its input line: a :class:`Content` is a run of :class:`Piece` objects, each a
slice of one input line, plus :class:`Mark` annotations over character ranges of the run. The TEI
writer turns a piece that begins its line into ``<lb n="LINE"/>`` (TEI P5 §3.11.3 milestone
elements) and marks into nested elements, so every input character is written exactly once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Literal

from .diagnostics import Diagnostic

#: div/@type values of the encoding contract (§3).
DivType = Literal["article", "advertisement", "notice", "caption", "masthead", "other", "section"]
#: head/@type values (§3): 主题, 副题 / deck, 引题 / overline.
HeadType = Literal["main", "sub", "kicker"]
BlockTag = Literal["head", "opener", "p", "trailer"]
#: trailer/@type values (§3): an end mark (①2), a serial's "to be continued" in a later issue.
TrailerType = Literal["endmark", "to-be-continued"]


#: What a layout format says a region of the page is (ALTO, hOCR and PAGE name these).
RegionRole = Literal[
    "heading", "paragraph", "header", "footer", "page-number", "caption", "advertisement", "other"
]
#: Units of layout coordinates: ``pixel``, ``mm10`` or ``inch1200`` (ALTO ``MeasurementUnit``;
#: every other format counts pixels).
Unit = str


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in the source's own units: upper left and lower right corners.

    ``points`` keeps a polygon the source gave (PaddleOCR, PAGE) as ``x,y`` pairs joined by
    spaces, as TEI's ``zone/@points`` writes it; the box is then the polygon's bounding box.
    """

    ulx: int
    uly: int
    lrx: int
    lry: int
    points: str | None = None

    @property
    def width(self) -> int:
        return self.lrx - self.ulx

    @property
    def height(self) -> int:
        return self.lry - self.uly


@dataclass(frozen=True, slots=True)
class Line:
    """One input line: its 1-based number and its text without the line end.

    Layout readers (ALTO, PaddleOCR, hOCR, PAGE) also give what the source says of the line:
    its ``box`` (None when the source gives no coordinates), its font ``size`` in points
    (ALTO ``FONTSIZE``, hOCR ``x_fsize``, PAGE ``fontSize``; None when unknown), its
    ``style`` words (``bold``, ``italics``, ``smallcaps``, …), the ``region`` it stands in
    (the 0-based ordinal of its
    ``TextBlock``, ``ocr_par`` or ``TextRegion`` in the source; None when the source has none)
    and that region's ``role`` when the source names one; ``hyphenated`` when the source marks
    the line's last word as going on at the next line (ALTO ``HYP``); ``type_height``, the
    median height of its words where the source boxes each word, or the height of a
    four-point line polygon (steadier measures of the type than the line's box, which one
    stray glyph or a skew can stretch). Lines of plain text keep the defaults.
    """

    number: int
    text: str
    box: Box | None = None
    size: float | None = None
    style: tuple[str, ...] = ()
    region: int | None = None
    role: RegionRole | None = None
    hyphenated: bool = False
    type_height: float | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A printed rule or separator the source marks (ALTO ``GraphicalElement``, PAGE
    ``SeparatorRegion``): stories and columns end at rules."""

    box: Box


@dataclass(frozen=True, slots=True)
class Surface:
    """The scanned page a layout source describes: its extent and units, the image it was
    read from (a file name or URL, when the source names one), its rules, and the boxes of
    its regions by region ordinal (see :attr:`Line.region`)."""

    width: int
    height: int
    unit: Unit = "pixel"
    image: str | None = None
    rules: tuple[Rule, ...] = ()
    regions: tuple[Box | None, ...] = ()
    #: The source's IDs of each region by region ordinal: its own (ALTO ``TextBlock/@ID``) and
    #: those of the blocks holding it (``ComposedBlock``), innermost first; how a METS's
    #: article areas (``BEGIN``, ``END``) name the text they cover.
    region_ids: tuple[tuple[str, ...], ...] = ()
    #: Region ordinals in the order the source says they are read (PAGE ``ReadingOrder``);
    #: empty when it says nothing, and the layout finds the order.
    reading_order: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Text:
    """A decoded page: its name, the encoding used, its lines, and what was replaced.

    ``format`` names the reader that made it (``text``, ``alto``, ``paddleocr``, ``hocr``,
    ``page``); ``surface`` is the scanned page for layout formats, None for plain text.
    """

    name: str
    encoding: str
    lines: tuple[Line, ...]
    diagnostics: tuple[Diagnostic, ...]
    format: str = "text"
    surface: Surface | None = None


@dataclass(frozen=True, slots=True)
class Piece:
    """A slice of one input line.

    ``line_start`` pieces begin their input line and are written after ``<lb n=line/>``;
    ``column_break`` puts a ``<cb/>`` before that (a blank line inside a paragraph);
    ``space_before`` adds the one space that joins two Latin lines; ``joined`` marks a word
    broken across lines (``<lb break="no"/>``).
    """

    line: int
    text: str
    line_start: bool = True
    column_break: bool = False
    space_before: bool = False
    joined: bool = False


@dataclass(frozen=True, slots=True)
class Mark:
    """An element over the characters ``[start, end)`` of a content's text.

    Marks nest by range (a ``date`` inside a ``dateline``); they never overlap partially.
    ``attrs`` are TEI attribute name/value pairs in the order they are written.
    """

    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Content:
    """Mixed content: pieces of input lines with marks over them."""

    pieces: tuple[Piece, ...]
    marks: tuple[Mark, ...] = ()

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def first_line(self) -> int:
        return self.pieces[0].line if self.pieces else 0

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(sorted({p.line for p in self.pieces}))


@dataclass(frozen=True, slots=True)
class Block:
    """A block-level element: ``head``, ``opener``, ``p`` or ``trailer`` with its content;
    ``type`` is a head's :data:`HeadType` or a trailer's :data:`TrailerType`."""

    tag: BlockTag
    content: Content
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Division:
    """A ``div``: an article, an advertisement, a section of an article, …"""

    type: DivType
    children: tuple[Block | Division, ...]
    xml_id: str | None = None
    next: str | None = None
    prev: str | None = None

    def blocks(self) -> tuple[Block, ...]:
        """All blocks, nested sections included, in document order."""
        out: list[Block] = []
        for child in self.children:
            if isinstance(child, Block):
                out.append(child)
            else:
                out.extend(child.blocks())
        return tuple(out)

    @property
    def first_line(self) -> int:
        lines = [b.content.first_line for b in self.blocks() if b.content.pieces]
        return min(lines) if lines else 0


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about the printed source; None means unknown (nothing is guessed)."""

    paper: str | None = None
    date: _dt.date | None = None
    page: str | None = None
    place: str | None = None
    publisher: str | None = None
    issn: str | None = None
    lang: str | None = None
    edition: str | None = None
    volume: str | None = None
    number: str | None = None
    lccn: str | None = None
    oclc: str | None = None
    institution: str | None = None  # holds the copy and publishes the files
    licence: str | None = None  # of the files: its name or its address
    base_url: str | None = None  # the web address of the issue's output folder


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where the page came from: file name (no folders), encoding, number of lines."""

    name: str
    encoding: str
    line_count: int


@dataclass(frozen=True, slots=True)
class RunningHead:
    """A running head or page number (contract §5: ``fw``), outside every article."""

    type: Literal["header", "footer", "pageNum"]
    content: Content


@dataclass(frozen=True, slots=True)
class Facsimile:
    """The scanned page of a layout input and the box of each line that has one, by line
    number in line order (contract §5: ``surface`` and its line ``zone`` elements)."""

    surface: Surface
    zones: tuple[tuple[int, Box], ...]


@dataclass(frozen=True)
class Page:
    """One converted page."""

    meta: Metadata
    source: SourceInfo
    lang: str
    language_name: str
    title: str
    divisions: tuple[Division, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    running: tuple[RunningHead, ...] = ()
    facsimile: Facsimile | None = None
    #: How the articles of a layout page were found: ``source`` (as a METS's logical structure
    #: gives them), ``analysed`` (from the layout); None for text (contract §6).
    segmentation: str | None = None


@dataclass(frozen=True)
class Issue:
    """All pages of one issue, in page order."""

    meta: Metadata
    lang: str
    pages: tuple[Page, ...]
