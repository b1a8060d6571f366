"""The TEI writer keeps every character of text and attribute values, whatever they hold.

The body is written as XML text and parsed back (``tei.append_body``), so characters with a
meaning in XML (``& < > "``) and white space that XML normalises in attribute values (tab, line
feed) must come back exactly as the model holds them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.model import Block, Content, Division, Mark, Metadata, Page, Piece
from converter.pipeline import convert_bytes
from converter.validate import validate_tree
from converter.write.tei import TEI_NS, XML_ID, page_document, serialise
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
    document = page_document(_page((division,)))
    root = document.root
    assert document.data == serialise(root)
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
    # What is written reads back the same: the serialised bytes parse to the same text.
    again = etree.fromstring(etree.tostring(root))
    assert "".join(again.itertext()) == "".join(root.itertext())


def test_a_duplicate_id_is_the_schema_validation_s_to_report() -> None:
    # Parsing the body must not stop at a repeated xml:id: the schema reports it, as for any
    # document, so the user gets the usual "invalid output" error, not a parser's.
    one = Division("article", (Block("p", Content((Piece(1, "甲。"),))),), "a1")
    two = Division("article", (Block("p", Content((Piece(2, "乙。"),))),), "a1")
    problems = validate_tree(page_document(_page((one, two))).root)
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
        document = page_document(_page((Division("article", (Block("p", content),), "a1"),)))
        root = document.root
        assert document.data == serialise(root)
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


NAME = st.lists(XML_CHARS, min_size=1, max_size=6).map("".join)


@settings(SETTINGS, max_examples=80)
@given(
    st.lists(st.tuples(NAME, st.sampled_from(["author", "reporter", "photographer"])), max_size=3),
    NAME,
    st.sampled_from([("1", "1"), ("2", "3"), ("A3", "A4")]),
    st.booleans(),
)
def test_an_article_header_is_the_header_build_header_writes(
    authors: list[tuple[str, str]], headline: str, pages: tuple[str, str], created: bool
) -> None:
    """Article headers are filled into a copy of one template; the result is the header built
    from scratch, indentation included."""
    from converter.write.tei import ArticleHeaders, build_header, new_document

    meta = Metadata(paper="焦作日报", date=dt.date(2016, 12, 11), place="焦作", lang="zh")
    when = "2024-05-01" if created else None
    headers = ArticleHeaders(meta=meta, lang="zh", language_name="中文", created=when)
    filled = headers.document(title="题", headline=headline, authors=authors, pages=pages)[0][0]
    built = build_header(
        new_document("zh"),
        title="题",
        meta=meta,
        lang="zh",
        language_name="中文",
        analytic=(headline, authors),
        pages=pages,
        created=when,
    )
    assert etree.tostring(filled) == etree.tostring(built)


@st.composite
def divisions(draw: st.DrawFn, depth: int = 0) -> Division:
    """Divisions with blocks of any content, empty ones included, nested divisions and
    marks over any range (an empty one too)."""
    children: list[Block | Division] = []
    line = 1
    for _ in range(draw(st.integers(0, 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            children.append(draw(divisions(depth + 1)))
            continue
        texts = draw(st.lists(st.one_of(st.just(""), TEXT), max_size=3))
        pieces = []
        for text in texts:
            pieces.append(Piece(line, text, draw(st.booleans()), False, draw(st.booleans())))
            line += 1
        size = sum(len(t) for t in texts)
        marks: tuple[Mark, ...] = ()
        if draw(st.booleans()):
            start = draw(st.integers(0, size))
            end = draw(st.integers(start, size))
            marks = (Mark(start, end, "hi", (("rend", draw(TEXT)),)),)
        kind = draw(st.sampled_from([None, "main", "a&b"]))
        children.append(
            Block(draw(st.sampled_from(["p", "head"])), Content(tuple(pieces), marks), kind)
        )
    xml_id = draw(st.sampled_from([None, f"d{depth}"]))
    return Division("article", tuple(children), xml_id if depth == 0 else None)


@SETTINGS
@given(st.lists(divisions(), max_size=3))
def test_a_document_s_bytes_are_its_tree_serialised(found: list[Division]) -> None:
    """The bytes put together from the text the body was parsed from are exactly what
    libxml2 writes for the tree: empty elements, escapes and indentation alike."""
    document = page_document(_page(tuple(found)))
    assert document.data == serialise(document.root)
