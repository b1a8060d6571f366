"""TEI writer: the document model → a TEI document following the encoding contract: its lxml
tree, to validate, and its bytes.

The header and the structure around the body are built as elements. The body is written as XML
text and parsed by libxml2, which costs half of building its elements one by one; every text
and attribute value that comes from the page or its metadata is escaped (element and attribute
names and division types are the writer's own), and the parse checks the markup, so no input
can break it. Inline content is written from pieces and marks: a piece that begins an input line
gets ``<lb n="LINE"/>`` (TEI P5 §3.11.3), a blank line inside a paragraph gets ``<cb/>``, and
marks become nested elements. Element-only containers (body, div, the header) are indented;
mixed content is never touched, so no whitespace is invented inside text.

The body's text is written exactly as libxml2 serialises the elements parsed from it (same
escapes, empty elements closed as ``<x/>``, same indentation), so a document's bytes are the
rest of it serialised around an empty body, with that text put in (:class:`TeiDocument`;
tests hold them to the tree's own serialisation).
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from lxml import etree

from .. import __version__
from ..errors import InternalError
from ..model import Block, Content, Division, Mark, Metadata, Page, Piece

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = "{" + TEI_NS + "}"
XML_ID = "{" + XML_NS + "}id"
XML_LANG = "{" + XML_NS + "}lang"
_NSMAP: Any = {None: TEI_NS}  # the default namespace: lxml takes None as its prefix
_INDENT = "  "


class _Names(dict[str, etree.QName]):
    """TEI element names as parsed QName objects, made once: lxml reads a QName without parsing
    the ``{namespace}name`` string again for every element."""

    def __missing__(self, tag: str) -> etree.QName:
        name = self[tag] = etree.QName(TEI_NS, tag)
        return name


_NAMES = _Names()


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    name = _NAMES[tag]
    element = etree.SubElement(parent, name, attrs) if attrs else etree.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


# --- header -----------------------------------------------------------------------------------


def build_header(
    root: etree._Element,
    *,
    title: str,
    meta: Metadata,
    lang: str,
    language_name: str,
    source_notes: Sequence[tuple[str, str]] = (),
    analytic: tuple[str, Sequence[tuple[str, str]]] | None = None,
    pages: tuple[str, str] | None = None,
    created: str | None = None,
) -> etree._Element:
    """Write the teiHeader (contract §2).

    ``analytic`` is (headline, [(name, role), …]) for article documents; ``pages`` is the
    (from, to) page range of an article, otherwise the page number comes from ``meta.page``.
    """
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", title)
    pub = _el(file_desc, "publicationStmt")
    _el(pub, "authority", f"newspaper-tei {__version__}")
    if created is not None:
        _el(pub, "date", created, when=created)
    if source_notes:
        notes = _el(file_desc, "notesStmt")
        for kind, value in source_notes:
            _el(notes, "note", value, type=kind)
    source_desc = _el(file_desc, "sourceDesc")
    bibl = _el(source_desc, "biblStruct")
    if analytic is not None:
        headline, authors = analytic
        art = _el(bibl, "analytic")
        _el(art, "title", headline, level="a", type="main")
        for name, role in authors:
            author = _el(art, "author", role=role)
            _el(author, "persName", name)
    monogr = _el(bibl, "monogr")
    _el(monogr, "title", meta.paper or "", level="j")
    if meta.issn:
        _el(monogr, "idno", meta.issn, type="ISSN")
    imprint = _el(monogr, "imprint")
    if meta.place:
        _el(imprint, "pubPlace", meta.place)
    if meta.publisher:
        _el(imprint, "publisher", meta.publisher)
    if meta.date is not None:
        iso = meta.date.isoformat()
        _el(imprint, "date", iso, when=iso)
    if meta.volume:
        _el(imprint, "biblScope", meta.volume, unit="volume", n=meta.volume)
    if meta.number:
        _el(imprint, "biblScope", meta.number, unit="issue", n=meta.number)
    if meta.edition:
        _el(imprint, "biblScope", meta.edition, unit="edition", n=meta.edition)
    if pages is not None:
        first, last = pages
        _el(imprint, "biblScope", unit="page", **{"from": first, "to": last})
    elif meta.page:
        _el(imprint, "biblScope", meta.page, unit="page", n=meta.page)
    if len(imprint) == 0:
        _el(imprint, "date")  # an empty date: the imprint is unknown, and nothing is guessed
    enc = _el(header, "encodingDesc")
    app = _el(_el(enc, "appInfo"), "application", ident="newspaper-tei", version=__version__)
    _el(app, "label", "newspaper-tei")
    lang_usage = _el(_el(header, "profileDesc"), "langUsage")
    _el(lang_usage, "language", language_name, ident=lang)
    etree.indent(header, space=_INDENT, level=1)
    return header


def new_document(lang: str) -> etree._Element:
    root = etree.Element(_T + "TEI", nsmap=_NSMAP)
    root.set(XML_LANG, lang)
    return root


def serialise(root: etree._Element) -> bytes:
    """A document's bytes: UTF-8 with an XML declaration, ending in a line feed."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


class TeiDocument(NamedTuple):
    """A document's tree, to validate, and its bytes, to write.

    The bytes are what :func:`serialise` makes of the tree, put together from the text the
    body was parsed from (libxml2 writes that text back unchanged: the writer escapes what it
    escapes, writes empty elements as it does, and indents the same; tested), which spares
    serialising the body a second time. ``parts`` is the XML text of each child of the body.
    """

    root: etree._Element
    data: bytes
    parts: tuple[str, ...]


def _assemble(
    root: etree._Element, body: etree._Element, skeleton: bytes, parts: Sequence[str]
) -> TeiDocument:
    """The document of ``root``, whose ``body`` holds the elements parsed from ``parts``;
    ``skeleton`` is the document serialised while its body was empty (and the rest indented
    by :func:`finish`). The body's children are indented, and its text put in place."""
    _indent_children(body, _BODY_LEVEL)
    if not parts:
        return TeiDocument(root, skeleton, ())
    return TeiDocument(root, _filled(skeleton, _indented(parts).encode()), tuple(parts))


def _filled(empty: bytes, content: bytes) -> bytes:
    """A document serialised with an empty body, with the body's ``content`` (and end tag)
    put in."""
    # Text and attribute values are escaped, so "<body/>" is the element and nothing else.
    head, found, tail = empty.rpartition(_EMPTY_BODY)
    if not found:
        raise InternalError("the TEI writer found no body to fill")
    return b"".join((head, b"<body>", content, tail))


_EMPTY_BODY = b"<body/>"


def _indented(parts: Sequence[str]) -> str:
    """The body's content and end tag: each of ``parts`` on a line of its own."""
    pad = _pad(_BODY_LEVEL + 1)
    return f"{pad}{pad.join(parts)}{_pad(_BODY_LEVEL)}</body>"


def page_document(page: Page, created: str | None = None) -> TeiDocument:
    """The page TEI document (contract §1, unit "page")."""
    root, _ = _page_skeleton(page, created)
    return _document(root, [(page.meta.page or "", page.divisions)])


def _page_skeleton(page: Page, created: str | None) -> tuple[etree._Element, etree._Element]:
    """A page document's root with its header, and its empty body."""
    root = new_document(page.lang)
    notes = [("source-file", page.source.name), ("source-encoding", page.source.encoding)]
    build_header(
        root,
        title=page.title,
        meta=page.meta,
        lang=page.lang,
        language_name=page.language_name,
        source_notes=notes,
        created=created,
    )
    return root, _el(_el(root, "text"), "body")


def issue_document(
    *,
    title: str,
    meta: Metadata,
    lang: str,
    language_name: str,
    pages: Sequence[Page],
    created: str | None = None,
) -> TeiDocument:
    """The issue TEI document: every page's divisions, each page opened by ``<pb n/>``."""
    root = new_document(lang)
    notes = [("source-file", p.source.name) for p in pages]
    notes += sorted({("source-encoding", p.source.encoding) for p in pages})
    build_header(
        root,
        title=title,
        meta=meta,
        lang=lang,
        language_name=language_name,
        source_notes=notes,
        created=created,
    )
    _el(_el(root, "text"), "body")
    return _document(root, [(page.meta.page or "", page.divisions) for page in pages])


class ArticleHeaders:
    """The skeletons of one issue's article documents: the TEI element, its teiHeader, and an
    empty text body.

    The headers differ only in the title, the analytic part (headline and authors) and the page
    range; the rest (publication, source, encoding and language) is built once for the issue
    and then copied with the skeleton, which costs a tenth of building it (a few microseconds
    in C).
    """

    __slots__ = ("_places", "_template")

    def __init__(
        self, *, meta: Metadata, lang: str, language_name: str, created: str | None = None
    ) -> None:
        # The article parts are placeholders, filled in for each article by ``document``.
        self._template = new_document(lang)
        header = build_header(
            self._template,
            title="",
            meta=meta,
            lang=lang,
            language_name=language_name,
            analytic=("", ()),
            pages=("", ""),
            created=created,
        )
        _el(_el(self._template, "text"), "body")
        # Where the article parts stand in the template, as child indexes: the copies have
        # the same shape, and indexing is far cheaper than searching each copy by path.
        self._places = tuple(
            _place_of(self._template, header, path)
            for path in (_TITLE, _ANALYTIC, _PAGE_RANGE, _BODY_PATH)
        )

    def document(
        self,
        *,
        title: str,
        headline: str,
        authors: Sequence[tuple[str, str]],
        pages: tuple[str, str],
    ) -> tuple[etree._Element, etree._Element]:
        """A new article document with the header ``build_header`` writes for this article,
        and its empty body."""
        root = copy.deepcopy(self._template)
        title_el, analytic, page_range, body = (_follow(root, place) for place in self._places)
        title_el.text = title
        analytic[0].text = headline
        # The authors' indentation, as ``etree.indent`` gives the header: analytic stands at
        # depth 5 (TEI, teiHeader, fileDesc, sourceDesc, biblStruct, analytic).
        inner = _PADS[_ANALYTIC_LEVEL + 1]
        for name, role in authors:
            analytic[-1].tail = inner
            author = _el(analytic, "author", role=role)
            author.text = _PADS[_ANALYTIC_LEVEL + 2]
            _el(author, "persName", name).tail = inner
            author.tail = _PADS[_ANALYTIC_LEVEL]
        page_range.set("from", pages[0])
        page_range.set("to", pages[1])
        return root, body


_TITLE = "t:fileDesc/t:titleStmt/t:title"
_ANALYTIC_LEVEL = 5
_ANALYTIC = "t:fileDesc/t:sourceDesc/t:biblStruct/t:analytic"
_PAGE_RANGE = "t:fileDesc/t:sourceDesc/t:biblStruct/t:monogr/t:imprint/t:biblScope[@unit='page']"
_BODY_PATH = "../t:text/t:body"
_PATH_NS = {"t": TEI_NS}


def _place_of(root: etree._Element, start: etree._Element, path: str) -> tuple[int, ...]:
    """The child indexes that lead from ``root`` down to the element at ``path`` from
    ``start``, which the skeleton's builder put there."""
    element = start.find(path, _PATH_NS)
    assert element is not None, path
    steps: list[int] = []
    while element is not root:
        parent = element.getparent()
        assert parent is not None
        steps.append(parent.index(element))
        element = parent
    return tuple(reversed(steps))


def _follow(root: etree._Element, place: tuple[int, ...]) -> etree._Element:
    for index in place:
        root = root[index]
    return root


def article_document(
    *,
    title: str,
    headline: str,
    authors: Sequence[tuple[str, str]],
    headers: ArticleHeaders,
    fragments: Sequence[tuple[str, Division]],
    written: dict[str, tuple[etree._Element, str]] | None = None,
) -> TeiDocument:
    """One article, its fragments in reading order, each page opened by ``<pb n/>``, in a
    document of ``headers`` (which know the issue's language).

    The fragments stay separate divisions linked by ``@next``/``@prev`` (TEI P5 §16.7,
    aggregation of divided elements), so each keeps its headline, opener and end mark valid.
    ``written`` maps xml:id to a division already written, in an issue document that is
    serialised already, with its XML text: the division is taken out of it and out of
    ``written`` (moving it costs less than writing it again or copying it, and gives the same
    elements).
    """
    first, last = fragments[0][0], fragments[-1][0]
    root, body = headers.document(
        title=title, headline=headline, authors=authors, pages=(first, last)
    )
    finish(root)
    skeleton = serialise(root)
    current: str | None = None
    parts: list[str] = []
    for page_no, division in fragments:
        if page_no != current:
            pb = _el(body, "pb")
            if page_no:
                pb.set("n", page_no)
            parts.append(_page_break(page_no))
            current = page_no
        done = written.pop(division.xml_id or "", None) if written is not None else None
        if done is not None:
            body.append(done[0])
            parts.append(done[1])
        else:
            parts.extend(append_body(body, [(None, (division,))]))
    return _assemble(root, body, skeleton, parts)


def finish(root: etree._Element) -> None:
    """Indent the element-only structure (text, body) without touching mixed content.

    The divisions in the body are indented already: :func:`append_body` writes them so, and
    an article document's copies come from an issue document's body, at the same depth.
    """
    root.text = _PADS[1]
    for child in root:  # the header and the text: looked at directly, not found by a path
        if child.tag == _TEXT:
            child.tail = _PADS[0]
            _indent_children(child, 1)
            for body in child:
                _indent_children(body, 2)
        elif child.tag == _HEADER:
            child.tail = _PADS[1]


_STRUCTURAL = frozenset({_T + "text", _T + "body", _T + "div"})
_TEXT = _T + "text"
_HEADER = _T + "teiHeader"
#: A line break and the indentation of each depth: the TEI element is at depth 0, a division
#: of the body at 3, a nested one at 4 and so on.
_PADS = tuple("\n" + _INDENT * level for level in range(64))


def _indent_children(element: etree._Element, level: int) -> None:
    """Put each child of ``element`` (at depth ``level``) on a line of its own."""
    children = list(element)
    if not children:
        return
    pad = _pad(level + 1)
    element.text = pad
    for child in children:
        child.tail = pad
    children[-1].tail = _pad(level)


def _pad(level: int) -> str:
    return _PADS[level] if level < len(_PADS) else "\n" + _INDENT * level


# --- a big page in parts ---------------------------------------------------------------------

#: A place in a page's body, where one part ends and the next begins: the index of a division
#: of the page, then, going down, of a child of that division (block or nested division), and,
#: inside a block, of the piece the place stands before. ``(3,)`` is before the page's fourth
#: division; ``(3, 2, 40)`` is inside the third child of that division, before its 41st piece.
Place = tuple[int, ...]

#: Processing instructions that mark where a part's own bytes begin and end. XML Schema
#: validation skips processing instructions, and text never holds a raw ``<``, so their
#: serialisation is found exactly.
PART_START = "newspaper-tei-part-start"
PART_END = "newspaper-tei-part-end"


class PageParts:
    """A page document written in parts of a bounded number of pieces, for big pages.

    Each part is a whole document: the page's header, and a body holding a run of the page's
    content, where the divisions and blocks cut at either end are opened again with the same
    attributes. Processing instructions mark where the part's own bytes begin and end; the
    page document's bytes are the first part's bytes up to its end mark, then each part's bytes
    between its marks, then the last part's bytes from its start mark on. Every part is
    indented like the whole tree, so those bytes are the bytes of the whole document.

    A part is cut only where the whole document is valid if and only if every part is:
    between two divisions of the page; inside a division between two children that are each
    a paragraph or a nested division; inside a block before a piece that begins its line
    outside every mark (mixed content allows any run of its children, so a block's runs are
    valid each exactly when all are together). An element cut stands in both parts, but its
    ``xml:id`` and pointers count once, in the part where it begins; uniqueness and
    resolution across parts are the caller's to check.
    """

    def __init__(self, page: Page, size: int) -> None:
        self.page = page
        self.size = size
        self.cuts: list[Place] = []
        self._count = 0  # pieces since the last cut
        self._offsets: dict[Place, int] = {}  # text offset of every cut inside a block
        self._marks: dict[int, tuple[list[Mark], list[int]]] = {}  # by id(content)
        if page.source.line_count > size:
            for i, division in enumerate(page.divisions):
                self._between((i,))
                self._plan_division(division, (i,))

    def __len__(self) -> int:
        return len(self.cuts) + 1

    # planning: walk the page in document order, cutting at the first allowed place after
    # ``size`` pieces

    def _between(self, place: Place) -> None:
        if self._count >= self.size:
            self.cuts.append(place)
            self._count = 0

    def _plan_division(self, division: Division, place: Place) -> None:
        before: Block | Division | None = None
        for j, child in enumerate(division.children):
            if _runs(before) and _runs(child):
                self._between((*place, j))
            if isinstance(child, Division):
                self._plan_division(child, (*place, j))
            else:
                self._plan_block(child.content, (*place, j))
            before = child

    def _plan_block(self, content: Content, place: Place) -> None:
        pieces = content.pieces
        if self._count + len(pieces) <= self.size:
            self._count += len(pieces)
            return
        marks, starts = self._sorted_marks(content)
        empty = {mark.start for mark in marks if mark.start == mark.end}
        reach = 0  # the furthest end of the marks that start before ``offset``
        m = 0
        offset = 0
        for k, piece in enumerate(pieces):
            if k and self._count >= self.size and piece.line_start and piece.text:
                while m < len(marks) and starts[m] < offset:
                    reach = max(reach, marks[m].end)
                    m += 1
                if reach <= offset and offset not in empty:
                    cut = (*place, k)
                    self.cuts.append(cut)
                    self._offsets[cut] = offset
                    self._count = 0
            self._count += 1
            offset += len(piece.text)

    def _sorted_marks(self, content: Content) -> tuple[list[Mark], list[int]]:
        found = self._marks.get(id(content))
        if found is None:
            marks = sorted(content.marks, key=lambda mark: (mark.start, -mark.end))
            found = self._marks[id(content)] = (marks, [mark.start for mark in marks])
        return found

    # writing

    def document(
        self, index: int, created: str | None = None
    ) -> tuple[etree._Element, list[etree._Element]]:
        """Part ``index`` (from 0) as a document, marked where its own bytes begin and end,
        and the elements opened again in it (begun in the part before), outermost first."""
        start = self.cuts[index - 1] if index else None
        end = self.cuts[index] if index < len(self.cuts) else None
        root, body = _page_skeleton(self.page, created)
        divisions: list[Division] = []
        for division in self._slice(self.page.divisions, start, end, ()):
            assert isinstance(division, Division)
            divisions.append(division)
        page = (self.page.meta.page or "") if start is None else None
        append_body(body, [(page, divisions)])
        finish(root)
        carried = _mark_start(body, start) if start is not None else []
        if end is not None:
            _mark_end(body, end)
        return root, carried

    def _slice(
        self,
        children: Sequence[Block | Division],
        start: Place | None,
        end: Place | None,
        place: Place,
    ) -> list[Block | Division]:
        """The children from ``start`` to ``end`` (places relative to them), cut ones cut."""
        first = start[0] if start else 0
        last = len(children) - 1 if end is None else end[0] - (len(end) == 1)
        out: list[Block | Division] = []
        for i in range(first, last + 1):
            child = children[i]
            inner_start = start[1:] if start and i == start[0] and len(start) > 1 else None
            inner_end = end[1:] if end and i == end[0] and len(end) > 1 else None
            if inner_start is None and inner_end is None:
                out.append(child)
            elif isinstance(child, Division):
                inner = self._slice(child.children, inner_start, inner_end, (*place, i))
                out.append(Division(child.type, tuple(inner), child.xml_id, child.next, child.prev))
            else:
                content = self._slice_content(child.content, inner_start, inner_end, (*place, i))
                out.append(Block(child.tag, content, child.type))
        return out

    def _slice_content(
        self, content: Content, start: Place | None, end: Place | None, place: Place
    ) -> Content:
        """Pieces from ``start`` to ``end`` with the marks among them (no mark crosses a cut)."""
        marks, starts = self._sorted_marks(content)
        a, first = (start[0], self._offsets[(*place, *start)]) if start else (0, 0)
        b, m = len(content.pieces), len(marks)
        if end:
            b = end[0]
            m = bisect.bisect_left(starts, self._offsets[(*place, *end)])
        shifted = tuple(
            Mark(mark.start - first, mark.end - first, mark.tag, mark.attrs)
            for mark in marks[bisect.bisect_left(starts, first) : m]
        )
        return Content(content.pieces[a:b], shifted)


def _runs(child: Block | Division | None) -> bool:
    """Whether ``child`` belongs to the run of paragraphs and nested divisions of a division."""
    return isinstance(child, Division) or (child is not None and child.tag == "p")


def _mark_start(body: etree._Element, place: Place) -> list[etree._Element]:
    container = body
    carried = []
    for _ in range(len(place) - 1):
        container = container[0]
        carried.append(container)
    mark = etree.ProcessingInstruction(PART_START)
    if container.tag not in _STRUCTURAL:  # mixed content: the text after the mark is this part's
        mark.tail, container.text = container.text, None
    # In element-only content the indentation before the mark belongs to the part before.
    container.insert(0, mark)
    return carried


def _mark_end(body: etree._Element, place: Place) -> None:
    container = body
    for _ in range(len(place) - 1):
        container = container[-1]
    mark = etree.ProcessingInstruction(PART_END)
    if container.tag in _STRUCTURAL:
        # Element-only content: the part ends with the indentation of a next sibling.
        last = container[-1]
        mark.tail, last.tail = last.tail, container.text
    container.append(mark)


# --- body ------------------------------------------------------------------------------------
#
# The body is written as XML text and parsed by libxml2 into elements: building each ``lb`` as an
# element from Python costs twice as much. Every text and attribute value goes through
# :func:`_text` or :func:`_attr`, and the parse checks the markup, so no input can break it.

#: Characters with a meaning in XML text; ``\r`` would be read back as ``\n`` (XML 1.0 §2.11).
_TEXT_SPECIAL = re.compile("[&<>\r]")
#: In an attribute value white space other than a space is normalised away on reading (§3.3.3).
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r]')
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
}


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def _special(value: str) -> bool:
    """Whether ``value`` holds a character that XML text must escape."""
    # Four scans for one character each (a memchr-like loop) cost far less than one scan that
    # tests every character against a class; most text holds none of them.
    return "&" in value or "<" in value or ">" in value or "\r" in value


def _text(value: str) -> str:
    """``value`` as XML character data."""
    return _TEXT_SPECIAL.sub(_escape, value) if _special(value) else value


def _attr(value: str) -> str:
    """``value`` as an XML attribute value between double quotes."""
    return value if _ATTR_SPECIAL.search(value) is None else _ATTR_SPECIAL.sub(_escape, value)


#: Parses a body written here: big pages are allowed (libxml2 otherwise stops a text node at
#: 10 MB), nothing outside the string is ever read, and xml:id values are not indexed while
#: parsing, so a duplicate is reported by schema validation, as in any document built here.
_BODY_PARSER = etree.XMLParser(
    huge_tree=True, collect_ids=False, resolve_entities=False, no_network=True
)
_BODY_OPEN = f'<body xmlns="{TEI_NS}">'


def append_body(
    body: etree._Element, parts: Sequence[tuple[str | None, Sequence[Division]]]
) -> list[str]:
    """Append to ``body`` each part's ``<pb/>`` (with ``n`` when the page number is known)
    and its divisions; a part whose page is ``None`` has no ``pb``. Return the XML text of
    each element appended."""
    written = _body_parts(parts)
    body.extend(_parsed(f"{_BODY_OPEN}{''.join(written)}</body>"))
    return written


def _document(
    skeleton: etree._Element, parts: Sequence[tuple[str | None, Sequence[Division]]]
) -> TeiDocument:
    """The document of ``skeleton`` (a TEI element with its header and an empty text body)
    with the body ``parts`` (as :func:`append_body` takes them).

    The text and body are parsed with the body's content, in one document: moving elements
    between documents walks every node, so the header (a few dozen nodes) moves in instead.
    """
    finish(skeleton)
    empty = serialise(skeleton)
    written = _body_parts(parts)
    if not written:
        return TeiDocument(skeleton, empty, ())
    lang = _attr(skeleton.get(XML_LANG) or "")
    try:
        content = _indented(written).encode()
        opening = f'<TEI xmlns="{TEI_NS}" xml:lang="{lang}"><text><body>'.encode()
    except UnicodeEncodeError as exc:  # a lone surrogate: see _parsed
        raise InternalError(f"the TEI writer wrote text XML cannot hold: {exc}") from None
    root = _parsed(b"".join((opening, content, b"</text></TEI>")))
    root.insert(0, skeleton[0])  # the teiHeader
    finish(root)
    return TeiDocument(root, _filled(empty, content), tuple(written))


def _body_parts(parts: Sequence[tuple[str | None, Sequence[Division]]]) -> list[str]:
    """The XML text of each ``pb`` and division of a body (see :func:`append_body`)."""
    written: list[str] = []
    for page, divisions in parts:
        if page is not None:
            written.append(_page_break(page))
        for division in divisions:
            out: list[str] = []
            _division(out, division, _BODY_LEVEL + 1)
            written.append("".join(out))
    return written


def _parsed(text: str | bytes) -> etree._Element:
    """The element written as ``text``."""
    try:
        return etree.fromstring(text, _BODY_PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        # A writer bug, or a model built by a program with characters XML cannot hold (the
        # reader and the metadata checks keep them out of every page and issue).
        raise InternalError(f"the TEI writer wrote malformed XML: {exc}") from None


def _page_break(page: str) -> str:
    return f'<pb n="{_attr(page)}"/>' if page else "<pb/>"


#: The depth of the body element (TEI, text, body): its divisions are indented one deeper.
_BODY_LEVEL = 2


def _division(out: list[str], division: Division, level: int) -> None:
    """A division at depth ``level``, its children each on a line of its own (element-only
    content: the indentation is not text of the page)."""
    add = out.append
    pad = _pad(level + 1)
    add(f'<div type="{division.type}"')
    if division.xml_id:
        add(f' xml:id="{_attr(division.xml_id)}"')
    if division.prev:
        add(f' prev="{_attr(division.prev)}"')
    if division.next:
        add(f' next="{_attr(division.next)}"')
    if not division.children:
        add("/>")  # an empty element, written as libxml2 writes it
        return
    add(">")
    for child in division.children:
        if isinstance(child, Division):
            add(pad)
            _division(out, child, level + 1)
            continue
        tag = child.tag
        opening = f'{pad}<{tag} type="{_attr(child.type)}"' if child.type else f"{pad}<{tag}"
        content = child.content
        if content.marks:
            add(opening + ">")
            _InlineWriter(content, out).emit(0, _nest(content.marks))
        else:
            # Whether anything needs escaping is asked once of the whole run; most runs need
            # nothing. A block without text has no milestone either: an empty element.
            text = content.text
            if not text:
                add(opening + "/>")
                continue
            add(opening + ">")
            _plain(out, content.pieces, _special(text))
        add(f"</{tag}>")
    add(f"{_pad(level)}</div>")


def _plain(out: list[str], pieces: Sequence[Piece], escape: bool) -> None:
    """Content without marks (most paragraphs): each piece's text after its milestones;
    ``escape``: some piece has a character to escape."""
    add = out.append
    for piece in pieces:
        text = _text(piece.text) if escape else piece.text
        if not (piece.line_start and text):
            add(text)
        elif piece.space_before or piece.column_break or piece.joined:
            add((" " if piece.space_before else "") + _milestone(piece) + text)
        else:
            add(f'<lb n="{piece.line}"/>{text}')  # the usual line start


def _milestone(piece: Piece) -> str:
    """The ``<lb/>`` a line-starting piece follows (TEI P5 §3.11.3), after a ``<cb/>`` when a
    blank line stood before it inside the paragraph; ``break="no"`` when a word runs on."""
    lb = f'<lb n="{piece.line}" break="no"/>' if piece.joined else f'<lb n="{piece.line}"/>'
    return "<cb/>" + lb if piece.column_break else lb


class _Node:
    __slots__ = ("children", "mark")

    def __init__(self, mark: Mark) -> None:
        self.mark = mark
        self.children: list[_Node] = []


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
                raise ValueError(f"overlapping marks {roots[-1].mark} and {mark}")
            roots.append(node)
        stack.append(node)
    return roots


class _InlineWriter:
    """Writes text ranges with milestones (lb, cb) at piece starts and marks as elements.

    A milestone goes into the innermost element that holds the character it stands before,
    so a byline that begins a line starts with its own ``<lb/>``.
    """

    def __init__(self, content: Content, out: list[str]) -> None:
        self.text = content.text
        self.out = out
        self.points: list[int] = []  # offsets where a line-starting piece begins
        self.pieces: list[Piece] = []
        offset = 0
        for piece in content.pieces:
            if piece.text and piece.line_start:
                self.points.append(offset)
                self.pieces.append(piece)
            offset += len(piece.text)
        self.spaced: set[int] = set()  # offsets whose joining space is already written

    def emit(self, start: int, children: list[_Node], end: int | None = None) -> None:
        out = self.out
        position = start
        for node in children:
            mark = node.mark
            self._span(position, mark.start)
            # The space joining two Latin lines ends the line before: it stays outside an
            # element that begins the next line.
            i = bisect.bisect_left(self.points, mark.start)
            if (
                i < len(self.points)
                and self.points[i] == mark.start
                and self.pieces[i].space_before
                and mark.start not in self.spaced
            ):
                out.append(" ")
                self.spaced.add(mark.start)
            attrs = "".join(f' {key}="{_attr(value)}"' for key, value in mark.attrs)
            out.append(f"<{mark.tag}{attrs}>")
            inside = len(out)
            self.emit(mark.start, node.children, mark.end)
            if any(out[inside:]):
                out.append(f"</{mark.tag}>")
            else:  # nothing inside: an empty element, written as libxml2 writes it
                out[inside - 1] = f"<{mark.tag}{attrs}/>"
                del out[inside:]
            position = mark.end
        self._span(position, len(self.text) if end is None else end)

    def _span(self, start: int, end: int) -> None:
        if start >= end:
            return
        points, pieces, text, out = self.points, self.pieces, self.text, self.out
        count = len(points)
        i = bisect.bisect_left(points, start)
        if i == count or points[i] >= end:
            out.append(_text(text[start:end]))
            return
        out.append(_text(text[start : points[i]]))
        while i < count and points[i] < end:
            offset = points[i]
            piece = pieces[i]
            if piece.space_before and offset not in self.spaced:
                out.append(" ")
            out.append(_milestone(piece))
            i += 1
            out.append(_text(text[offset : points[i] if i < count and points[i] < end else end]))
