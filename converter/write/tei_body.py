"""The TEI body from the document model: page breaks, divisions, blocks and their mixed content,
as lxml elements.

Inline content is written from pieces and marks: a piece that begins an input line gets
``<lb n="LINE"/>`` (TEI P5 §3.11.3), after a ``<cb/>`` when a blank line stood before it inside
the block, with ``break="no"`` when a word runs on from the line before, and after the one
space that joins two Latin lines; marks become nested elements. Element-only containers (body,
div) are indented; mixed content is never touched, so no white space is invented inside text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from ..errors import InternalError
from ..model import Block, Content, Division, Mark, Piece, RunningHead
from .tei_facsimile import LineZones
from .tei_xml import NSMAP, XML_ID, add, indent_children, tei

#: The depth of the body element (TEI, text, body): its divisions stand one deeper.
BODY_LEVEL = 2
#: The milestones, written before most lines of the text.
_LB = tei("lb")
_CB = tei("cb")


@dataclass(frozen=True)
class PageBody:
    """What a body holds of one page: its number, its running heads, its division elements,
    and the zones of its lines (layout input)."""

    number: str
    divisions: Sequence[etree._Element]
    running: Sequence[RunningHead] = ()
    zones: LineZones | None = None


def write_body(body: etree._Element, pages: Sequence[PageBody]) -> None:
    """Fill ``body`` with each page's ``<pb/>`` (with ``n`` when the page number is known and
    ``facs`` pointing at its surface), its running heads as ``fw`` (contract §5) and its
    division elements (:func:`write_division`), each on a line of its own."""
    for page in pages:
        pb = add(body, "pb", attrs={"n": page.number} if page.number else None)
        if page.zones is not None:
            pb.set("facs", "#" + page.zones.surface)
        for running in page.running:
            fw = add(body, "fw", attrs={"type": running.type})
            _plain(fw, running.content.pieces, page.zones)
        body.extend(page.divisions)
    indent_children(body, BODY_LEVEL)


def write_division(division: Division, zones: LineZones | None = None) -> etree._Element:
    """``division`` as a ``<div>`` element of its own, indented for its place in a body; each
    ``lb`` points at its line's zone when ``zones`` are given."""
    return _division(division, BODY_LEVEL + 1, zones)


def _division(division: Division, level: int, zones: LineZones | None) -> etree._Element:
    """``division`` as a ``<div>`` at depth ``level``."""
    attrs: dict[str, str] = {"type": division.type}
    if division.xml_id:
        attrs[XML_ID] = division.xml_id
    if division.prev:
        attrs["prev"] = division.prev
    if division.next:
        attrs["next"] = division.next
    div = etree.Element(tei("div"), attrs, nsmap=NSMAP)
    for child in division.children:
        if isinstance(child, Division):
            div.append(_division(child, level + 1, zones))
        else:
            _block(div, child, zones)
    indent_children(div, level)
    return div


def _block(parent: etree._Element, block: Block, zones: LineZones | None) -> None:
    element = add(parent, block.tag, attrs={"type": block.type} if block.type else None)
    if block.content.marks:
        _Inline(block.content, zones).write(element)
    else:
        _plain(element, block.content.pieces, zones)


def _plain(element: etree._Element, pieces: Sequence[Piece], zones: LineZones | None) -> None:
    """Content without marks (most paragraphs): each piece's text, after its milestones when
    it begins a line."""
    out = _Mixed(element, zones)
    for piece in pieces:
        if piece.line_start and piece.text:
            out.milestones(piece, spaced=False)
        out.pending += piece.text
    out.close()


@dataclass
class _Node:
    """A mark and the marks it contains."""

    mark: Mark
    children: list[_Node] = field(default_factory=list)


def _nest(marks: Sequence[Mark]) -> list[_Node]:
    """Turn range marks into a forest by containment (outer first when ranges are equal)."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        node = _Node(mark)
        while stack and not (stack[-1].mark.start <= mark.start and mark.end <= stack[-1].mark.end):
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            if roots and mark.start < roots[-1].mark.end:
                raise InternalError(
                    f"the TEI writer got overlapping marks {roots[-1].mark} and {mark}"
                )
            roots.append(node)
        stack.append(node)
    return roots


class _Mixed:
    """Mixed content of one element being written: text and child elements in document order.

    Text goes into the element's ``text`` until it has a child, then into the last child's
    ``tail``; it is gathered and set once, before the next child and at the end.
    """

    def __init__(self, element: etree._Element, zones: LineZones | None) -> None:
        self.element = element
        self.zones = zones
        self.last: etree._Element | None = None  # kept here: lxml counts children one by one
        self.pending = ""

    def text(self, value: str) -> None:
        self.pending += value

    def child(self, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
        self.close()
        self.last = add(self.element, tag, attrs=attrs)
        return self.last

    def milestones(self, piece: Piece, *, spaced: bool) -> None:
        """What stands before a line-starting piece: the space joining it to the line before
        (unless ``spaced``: written already), a ``<cb/>`` when a blank line stood before it
        inside the block, and its ``<lb/>``, with ``break="no"`` when a word runs on."""
        if piece.space_before and not spaced:
            self.pending += " "
        self.close()
        if piece.column_break:
            self.last = etree.SubElement(self.element, _CB)
        self.last = lb = etree.SubElement(self.element, _LB)
        lb.set("n", str(piece.line))
        if self.zones is not None:
            pointer = self.zones.pointer(piece.line)
            if pointer is not None:
                lb.set("facs", pointer)
        if piece.joined:
            lb.set("break", "no")

    def close(self) -> None:
        """Set the text gathered since the last child (none: the element stays empty)."""
        if not self.pending:
            return
        if self.last is None:
            self.element.text = self.pending
        else:
            self.last.tail = self.pending
        self.pending = ""


class _Inline:
    """Writes a content's text with milestones (cb, lb) where line-starting pieces begin and its
    marks as elements.

    A milestone goes into the innermost element that holds the character it stands before, so
    a byline that begins a line starts with its own ``<lb/>``. The space joining two Latin lines
    ends the line before: it stays outside an element that begins the next line.
    """

    def __init__(self, content: Content, zones: LineZones | None) -> None:
        self.content = content
        self.zones = zones
        self.text = content.text
        self.starts: list[int] = []  # offsets where a line-starting piece with text begins
        self.pieces: list[Piece] = []
        offset = 0
        for piece in content.pieces:
            if piece.text and piece.line_start:
                self.starts.append(offset)
                self.pieces.append(piece)
            offset += len(piece.text)
        self.spaced: set[int] = set()  # offsets whose joining space is written already

    def write(self, element: etree._Element) -> None:
        out = _Mixed(element, self.zones)
        self._fill(out, 0, len(self.text), _nest(self.content.marks))
        out.close()

    def _fill(self, out: _Mixed, start: int, end: int, nodes: list[_Node]) -> None:
        """Write the text from ``start`` to ``end`` holding the marks ``nodes``."""
        position = start
        for node in nodes:
            mark = node.mark
            self._span(out, position, mark.start)
            i = bisect.bisect_left(self.starts, mark.start)
            if (
                i < len(self.starts)
                and self.starts[i] == mark.start
                and self.pieces[i].space_before
                and mark.start not in self.spaced
            ):
                out.text(" ")
                self.spaced.add(mark.start)
            inner = _Mixed(out.child(mark.tag, dict(mark.attrs)), self.zones)
            self._fill(inner, mark.start, mark.end, node.children)
            inner.close()
            position = mark.end
        self._span(out, position, end)

    def _span(self, out: _Mixed, start: int, end: int) -> None:
        """Write the text from ``start`` to ``end`` (no mark begins in it), with its
        milestones."""
        if start >= end:
            return
        starts, text = self.starts, self.text
        i = bisect.bisect_left(starts, start)
        following = starts[i] if i < len(starts) and starts[i] < end else end
        out.text(text[start:following])
        while i < len(starts) and starts[i] < end:
            offset = starts[i]
            out.milestones(self.pieces[i], spaced=offset in self.spaced)
            i += 1
            following = starts[i] if i < len(starts) and starts[i] < end else end
            out.text(text[offset:following])
