"""The document model: frozen dataclasses every reader produces and every writer consumes.

Text never leaves its input line: a :class:`Content` is a run of :class:`Piece` objects, each a
slice of one input line, plus :class:`Mark` annotations over character ranges of the run. The TEI
writer turns a piece that begins its line into ``<lb n="LINE"/>`` (TEI P5 §3.11.3 milestone
elements) and marks into nested elements, so every input character is written exactly once.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Literal, cast

from .diagnostics import Diagnostic

#: div/@type values of the encoding contract (§3).
DivType = Literal["article", "advertisement", "notice", "caption", "masthead", "other", "section"]
#: head/@type values (§3): 主题, 副题 / deck, 引题 / overline.
HeadType = Literal["main", "sub", "kicker"]
BlockTag = Literal["head", "opener", "p", "trailer"]


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


class _OpenPiece:
    """A :class:`Piece` being made: the same slots (a class lays them out in sorted order), but
    not frozen, so that setting them is a plain slot store. Once set, the object becomes a
    Piece (``__class__`` may be assigned between classes of the same layout), so what calling
    this class returns is a Piece; a test holds the slots to Piece's fields."""

    __slots__ = ("column_break", "joined", "line", "line_start", "space_before", "text")

    def __init__(
        self, line: int, text: str, column_break: bool, space_before: bool, joined: bool
    ) -> None:
        self.line = line
        self.text = text
        self.line_start = True
        self.column_break = column_break
        self.space_before = space_before
        self.joined = joined
        self.__class__ = Piece  # type: ignore[assignment]


#: ``line_piece(line, text, column_break, space_before, joined)`` is
#: ``Piece(line, text, True, column_break, space_before, joined)``: a whole input line, made in
#: a third of the time of the frozen dataclass's own ``__init__``, which sets each field through
#: ``object.__setattr__`` (a page makes one for every line).
line_piece = cast(Callable[[int, str, bool, bool, bool], Piece], _OpenPiece)


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


#: A piece's text, read in C.
_PIECE_TEXT = attrgetter("text")


@dataclass(frozen=True, slots=True)
class Content:
    """Mixed content: pieces of input lines with marks over them."""

    pieces: tuple[Piece, ...]
    marks: tuple[Mark, ...] = ()

    @property
    def text(self) -> str:
        return "".join(map(_PIECE_TEXT, self.pieces))

    @property
    def first_line(self) -> int:
        return self.pieces[0].line if self.pieces else 0

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(sorted({p.line for p in self.pieces}))


@dataclass(frozen=True, slots=True)
class Block:
    """A block-level element: ``head``, ``opener``, ``p`` or ``trailer`` with its content."""

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


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where the page came from: file name (no folders), encoding, number of lines."""

    name: str
    encoding: str
    line_count: int


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


@dataclass(frozen=True)
class Issue:
    """All pages of one issue, in page order."""

    meta: Metadata
    lang: str
    pages: tuple[Page, ...]
