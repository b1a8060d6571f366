"""The TEI writer: every document it builds is valid, gives back its input lines, and keeps every
character of text and attribute values, whatever they hold.

Characters with a meaning in XML (``& < > "``), a carriage return, and white space that XML
normalises in attribute values (tab, line feed) must come back from the written bytes exactly
as the model holds them.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from converter.errors import InternalError
from converter.lines import recover_lines
from converter.model import Block, Content, Division, Mark, Metadata, Page, Piece
from converter.pipeline import convert_bytes
from converter.validate import validate_bytes, validate_tree
from converter.write.tei import (
    TEI_NS,
    XML_ID,
    article_document,
    division_element,
    issue_document,
    page_document,
    serialise,
)
from tests.test_properties import SETTINGS

#: Characters XML 1.0 allows (no C0 controls but tab and line feed, no surrogates, and no
#: carriage return, which never reaches the model: the reader splits lines at it).
XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0D, 0x20)]))
    + "\ufffe\uffff",
)
SPECIAL = st.sampled_from(["&", "<", ">", '"', "'", "\t", "\r", "]]>", "&amp;", "<lb/>", " "])
TEXT = st.lists(st.one_of(XML_CHARS, SPECIAL), min_size=1, max_size=12).map("".join)
_T = "{" + TEI_NS + "}"


def _page(divisions: tuple[Division, ...]) -> Page:
    page = convert_bytes(
        "本报讯。\n".encode(), "p.txt", Metadata(page="1", lang="zh")
    ).analysis.page
    return dataclasses.replace(page, divisions=divisions)


@SETTINGS
@given(
    st.lists(TEXT.filter(lambda t: "\n" not in t), min_size=1, max_size=4),
    st.data(),
    st.lists(st.one_of(XML_CHARS, SPECIAL, st.just("\n")), max_size=8).map("".join),
)
def test_text_and_attribute_values_come_back_whole(
    lines: list[str], data: st.DataObject, value: str
) -> None:
    pieces = tuple(Piece(n, text) for n, text in enumerate(lines, start=1))
    length = sum(len(text) for text in lines)
    start = data.draw(st.integers(0, length))
    end = data.draw(st.integers(start, length))
    mark = Mark(start, end, "hi", (("rend", value),))
    plain = Block("p", Content(pieces))
    marked = Block("p", Content(pieces, (mark,)))
    division = Division("article", (plain, marked), "a1", next="#a1", prev=value)
    # What is checked is what the bytes say, read back.
    root = etree.fromstring(serialise(page_document(_page((division,)))))
    div = root.find(f"{_T}text/{_T}body/{_T}div")
    assert div is not None
    assert div.get(XML_ID) == "a1"
    assert div.get("prev") == (value or None)  # an empty pointer is not written
    paragraphs = div.findall(f"{_T}p")
    for p in paragraphs:
        assert "".join(p.itertext()) == "".join(lines)
        assert [lb.get("n") for lb in p.iter(f"{_T}lb")] == [
            str(n) for n, text in enumerate(lines, start=1) if text
        ]
    hi = paragraphs[1].find(f".//{_T}hi")
    assert hi is not None and hi.get("rend") == value


def test_a_duplicate_id_is_the_schema_validation_s_to_report() -> None:
    # Parsing the body must not stop at a repeated xml:id: the schema reports it, as for any
    # document, so the user gets the usual "invalid output" error, not a parser's.
    one = Division("article", (Block("p", Content((Piece(1, "甲。"),))),), "a1")
    two = Division("article", (Block("p", Content((Piece(2, "乙。"),))),), "a1")
    problems = validate_tree(page_document(_page((one, two))))
    assert problems and any("a1" in problem.message for problem in problems)


PIECE = st.tuples(TEXT.filter(lambda t: "\n" not in t), st.booleans(), st.booleans(), st.booleans())


@SETTINGS
@given(st.lists(PIECE, min_size=1, max_size=6), st.data())
def test_milestones_spaces_and_nested_marks_are_written_as_the_pieces_say(
    parts: list[tuple[str, bool, bool, bool]], data: st.DataObject
) -> None:
    """Every line-starting piece with text gets its ``lb`` (``break="no"`` for a joined word,
    after a ``cb`` for a column break) and the joining space before it; marks nest."""
    pieces = tuple(
        Piece(n, text, True, column_break and n > 1, space and n > 1, joined and n > 1)
        for n, (text, column_break, space, joined) in enumerate(parts, start=1)
    )
    text = "".join(p.text for p in pieces)
    outer_start = data.draw(st.integers(0, len(text)))
    outer_end = data.draw(st.integers(outer_start, len(text)))
    inner_start = data.draw(st.integers(outer_start, outer_end))
    inner_end = data.draw(st.integers(inner_start, outer_end))
    marks = (
        Mark(outer_start, outer_end, "hi", (("rend", "a"),)),
        Mark(inner_start, inner_end, "hi", (("rend", "b"),)),
    )
    for content in (Content(pieces), Content(pieces, marks)):
        page = _page((Division("article", (Block("p", content),), "a1"),))
        root = etree.fromstring(serialise(page_document(page)))
        p = root.find(f"{_T}text/{_T}body/{_T}div/{_T}p")
        assert p is not None
        starting = [piece for piece in pieces if piece.text]
        assert [(lb.get("n"), lb.get("break")) for lb in p.iter(f"{_T}lb")] == [
            (str(piece.line), "no" if piece.joined else None) for piece in starting
        ]
        assert len(list(p.iter(f"{_T}cb"))) == sum(piece.column_break for piece in starting)
        spaced = "".join((" " if piece.space_before else "") + piece.text for piece in starting)
        assert "".join(p.itertext()) == spaced
        if content.marks:
            outer = p.find(f".//{_T}hi[@rend='a']")
            inner = p.find(f".//{_T}hi[@rend='a']//{_T}hi[@rend='b']")
            assert outer is not None and inner is not None


# --- any model the contract allows: valid, and its lines come back ------------------------------

#: A line's text: any characters XML allows, those with a meaning in XML, a carriage return.
LINE = (
    st.lists(st.one_of(XML_CHARS, SPECIAL), max_size=10)
    .map("".join)
    .map(lambda text: text.replace("\n", ""))
)


class _Lines:
    """Numbers the input lines of a generated page and keeps what each one holds."""

    def __init__(self) -> None:
        self.held: dict[int, str] = {}

    def content(self, draw: st.DrawFn, *, first: bool) -> Content:
        """One to three input lines as pieces: a line may be empty (no ``lb``), begin after a
        blank line (``cb``), be joined to the line before by a space or as a broken word, and
        be cut into a line-starting piece and a piece that continues it."""
        pieces: list[Piece] = []
        for index in range(draw(st.integers(1, 3))):
            line = len(self.held) + 1
            text = draw(LINE)
            self.held[line] = text
            follows = not (first and index == 0)
            flags = [draw(st.booleans()) and follows for _ in range(3)]
            cut = draw(st.integers(1, len(text))) if text else 0
            pieces.append(Piece(line, text[:cut], True, *flags))
            if text[cut:]:
                pieces.append(Piece(line, text[cut:], False))
        return Content(tuple(pieces))


def _ranges(draw: st.DrawFn, size: int, count: int) -> list[tuple[int, int]]:
    """Up to ``count`` non-empty ranges of ``[0, size)`` that neither overlap nor touch."""
    points = sorted(set(draw(st.lists(st.integers(0, size), max_size=2 * count))))
    return [(a, b) for a, b in zip(points[::2], points[1::2], strict=False)]


def _paragraph_marks(draw: st.DrawFn, content: Content) -> Content:
    tags = st.sampled_from(["persName", "orgName", "placeName"])
    marks = tuple(Mark(a, b, draw(tags)) for a, b in _ranges(draw, len(content.text), 3))
    return Content(content.pieces, marks)


def _opener_marks(draw: st.DrawFn, content: Content) -> Content:
    """A byline with a name inside, over any ranges (empty ones too)."""
    size = len(content.text)
    start = draw(st.integers(0, size))
    end = draw(st.integers(start, size))
    name_start = draw(st.integers(start, end))
    name_end = draw(st.integers(name_start, end))
    role = (("role", draw(st.sampled_from(["reporter", "photographer"]))),)
    marks = (Mark(start, end, "byline"), Mark(name_start, name_end, "persName", role))
    return Content(content.pieces, marks)


def _valid_division(draw: st.DrawFn, lines: _Lines, depth: int, xml_id: str | None) -> Division:
    """A division in the order the contract allows: heads, an opener, paragraphs and then
    sections, and end marks after at least one of those."""
    children: list[Block | Division] = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from([None, "main", "sub", "kicker"]))
        children.append(Block("head", lines.content(draw, first=not children), kind))
    if draw(st.booleans()):
        content = _opener_marks(draw, lines.content(draw, first=not children))
        children.append(Block("opener", content))
    runs = 0
    for _ in range(draw(st.integers(0 if depth < 2 else 1, 3))):
        content = _paragraph_marks(draw, lines.content(draw, first=not children))
        children.append(Block("p", content))
        runs += 1
    if depth < 2:
        for _ in range(draw(st.integers(0, 1))):
            children.append(_valid_division(draw, lines, depth + 1, None))
            runs += 1
    if runs:
        for _ in range(draw(st.integers(0, 1))):
            content = lines.content(draw, first=False)
            children.append(Block("trailer", content, "endmark"))
    kind = "section" if depth else draw(st.sampled_from(["article", "advertisement", "notice"]))
    return Division(kind, tuple(children), xml_id)


@st.composite
def valid_pages(draw: st.DrawFn) -> tuple[tuple[Division, ...], dict[int, str]]:
    """Divisions of a page and the input lines they hold, by number."""
    lines = _Lines()
    count = draw(st.integers(1, 3))
    divisions = tuple(_valid_division(draw, lines, 0, f"d{n}") for n in range(count))
    return divisions, lines.held


@SETTINGS
@given(valid_pages())
def test_any_page_is_written_valid_and_gives_back_its_lines(
    found: tuple[tuple[Division, ...], dict[int, str]],
) -> None:
    """Special characters, empty lines and blocks, joins, column breaks and nested marks: the
    document is valid, the same each time, and ``lb/@n`` gives back every line that has text."""
    divisions, held = found
    root = page_document(_page(divisions))
    assert validate_tree(root) == []
    data = serialise(root)
    assert serialise(page_document(_page(divisions))) == data
    assert validate_bytes(data) == []
    recovered = recover_lines(etree.fromstring(data))
    assert recovered == {n: text.rstrip() for n, text in held.items() if text}


def _article(n: int, next: str | None = None, prev: str | None = None) -> Division:
    return Division(
        "article", (Block("p", Content((Piece(n, f"第{n}段。"),))),), f"a{n}", next, prev
    )


def test_pointers_are_checked_in_the_whole_document() -> None:
    linked = (_article(1, next="#a3"), _article(2), _article(3, prev="#a1"))
    assert validate_tree(page_document(_page(linked))) == []
    for broken in [
        (_article(1), _article(2), _article(1)),  # an id twice
        (_article(1, next="#a9"), _article(2)),  # a pointer to nothing
        (_article(1), _article(2, prev="#a0")),
    ]:
        assert validate_tree(page_document(_page(broken))) != []


def test_an_article_document_holds_its_fragments_each_after_its_page_break() -> None:
    page = _page(())
    first, second = _article(1, next="#a2"), _article(2, prev="#a1")
    root = article_document(
        title="题",
        headline="标题",
        authors=[("张三", "reporter")],
        meta=dataclasses.replace(page.meta, page=None),
        lang="zh",
        language_name="中文",
        fragments=[("1", division_element(first)), ("3", division_element(second))],
    )
    assert validate_tree(root) == []
    body = root.find(f"{_T}text/{_T}body")
    assert body is not None
    assert [(etree.QName(el).localname, el.get("n") or el.get(XML_ID)) for el in body] == [
        ("pb", "1"),
        ("div", "a1"),
        ("pb", "3"),
        ("div", "a2"),
    ]
    scope = root.find(f".//{_T}monogr/{_T}imprint/{_T}biblScope[@unit='page']")
    assert scope is not None and (scope.get("from"), scope.get("to")) == ("1", "3")
    author = root.find(f".//{_T}analytic/{_T}author")
    assert author is not None and author.get("role") == "reporter"
    assert "".join(author.itertext()).strip() == "张三"


def test_an_issue_document_opens_each_page_with_its_page_break() -> None:
    one = dataclasses.replace(_page((_article(1),)), meta=Metadata(page="1", lang="zh"))
    two = dataclasses.replace(_page((_article(2),)), meta=Metadata(page="2", lang="zh"))
    root, divisions = issue_document(
        title="题", meta=Metadata(lang="zh"), lang="zh", language_name="中文", pages=[one, two]
    )
    assert list(divisions) == ["a1", "a2"]
    assert validate_tree(root) == []
    body = root.find(f"{_T}text/{_T}body")
    assert body is not None
    assert [el.get("n") for el in body if etree.QName(el).localname == "pb"] == ["1", "2"]


@pytest.mark.parametrize("text", ["a\x01b", "a\ud800b"])
def test_text_xml_cannot_hold_is_a_writer_error(text: str) -> None:
    """The reader keeps such characters out of every page; a model built by a program that
    holds one gets the converter's own internal error, not lxml's."""
    division = Division("article", (Block("p", Content((Piece(1, text),))),), "a1")
    with pytest.raises(InternalError):
        page_document(_page((division,)))
