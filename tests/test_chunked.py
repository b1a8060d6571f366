"""A big page is written in parts (``Options.part_lines``): the bytes are the whole tree's.

Every sample page and synthetic page is converted with tiny parts (down to one piece a part,
so every kind of cut is made: between divisions, between paragraphs and sections, inside a
block) and compared byte for byte with the whole-tree path; generated pages too. Problems no
single part can see (an xml:id used in two parts, a pointer to no part) are still found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from converter.errors import DecodeError, InvalidOutputError
from converter.model import Block, Content, Division, Mark, Metadata, Page, Piece
from converter.pipeline import Options, _write_parts, convert_bytes, convert_file, serialise
from converter.validate import validate_tree
from converter.write.tei import PageParts, page_document
from tests.golden import page_meta, sample_pages
from tests.test_properties import SETTINGS, raw_pages, realistic_pages

DATA = Path(__file__).resolve().parent / "data"
WHOLE = Options(part_lines=10**9)
PAGES = sample_pages() + sorted(DATA.glob("*.txt"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: "-".join(p.parts[-3:]))
def test_pages_in_parts_are_the_whole_tree(page: Path) -> None:
    meta = page_meta(page)
    whole = convert_file(page, meta, WHOLE)
    assert convert_file(page, meta, Options()).data == whole.data  # small pages: one part
    kinds: set[int] = set()
    for size in (1, 2, 3, 7, 40):
        parts = PageParts(whole.analysis.page, size)
        assert len(parts) > 1
        kinds.update(len(cut) for cut in parts.cuts)
        assert convert_file(page, meta, Options(part_lines=size)).data == whole.data, size
    assert {1, 2, 3} <= kinds  # cut between divisions, between children, inside blocks


def test_a_small_page_is_one_part() -> None:
    page = sample_pages()[0]
    result = convert_file(page, page_meta(page), Options())
    assert len(PageParts(result.analysis.page, Options().part_lines)) == 1


def _same_in_parts(text: str, meta: Metadata, size: int) -> None:
    data = text.encode("utf-8")
    try:
        whole = convert_bytes(data, "page.txt", meta, WHOLE)
    except DecodeError:
        return
    event(f"in parts: {len(PageParts(whole.analysis.page, size)) > 1}")
    assert convert_bytes(data, "page.txt", meta, Options(part_lines=size)).data == whole.data


@SETTINGS
@given(realistic_pages(), st.integers(1, 12), st.sampled_from([dt.date(2016, 12, 11), None]))
def test_realistic_pages_in_parts(text: str, size: int, date: dt.date | None) -> None:
    _same_in_parts(text, Metadata(paper="测试", date=date, page="1", lang="zh-Hans"), size)


@SETTINGS
@given(raw_pages(), st.integers(1, 5), st.sampled_from([None, "zh-Hans", "en"]))
def test_any_page_in_parts(text: str, size: int, lang: str | None) -> None:
    _same_in_parts(text, Metadata(page="1", lang=lang), size)


WORDS = st.sampled_from(
    ["the", "council", "met", "on", "Monday", "Mr.", "Smith", "said", "gov-", "ernment", "—"]
)


@st.composite
def latin_pages(draw: st.DrawFn) -> str:
    """English pages: headlines in capitals, bylines, lines joined by a space or a hyphen."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        lines += [draw(st.sampled_from(["COUNCIL MEETS", "NEW BRIDGE OPENED", "WAR NEWS"])), ""]
        lines += draw(st.lists(st.sampled_from(["By JOHN SMITH", "Special to the Telegraph"])))
        for _ in range(draw(st.integers(1, 3))):
            lines += [" ".join(draw(st.lists(WORDS, min_size=1, max_size=9))) for _ in range(3)]
            lines.append("")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(latin_pages(), st.integers(1, 6))
def test_latin_pages_in_parts(text: str, size: int) -> None:
    meta = Metadata(paper="Telegraph", date=dt.date(1916, 4, 27), page="2", lang="en")
    _same_in_parts(text, meta, size)


# --- what no single part sees -------------------------------------------------------------------


def _paragraph(line: int, text: str, marks: tuple[Mark, ...] = ()) -> Block:
    return Block("p", Content((Piece(line, text),), marks))


def _page(divisions: list[Division]) -> Page:
    page = convert_bytes(
        "本报讯。\n".encode(), "p.txt", Metadata(page="1", lang="zh")
    ).analysis.page
    source = dataclasses.replace(page.source, line_count=100)  # more lines than a part holds
    return dataclasses.replace(page, source=source, divisions=tuple(divisions))


def _articles(*links: tuple[str, str | None, str | None]) -> list[Division]:
    return [
        Division("article", (_paragraph(n, f"第{n}段。"),), xml_id, next, prev)
        for n, (xml_id, next, prev) in enumerate(links, start=1)
    ]


def _in_parts(page: Page) -> bytes:
    parts = PageParts(page, 1)
    assert len(parts) == len(page.divisions)
    return _write_parts(parts, True, "p.txt")


def test_pointers_resolve_across_parts() -> None:
    page = _page(_articles(("a1", "#a3", None), ("a2", None, None), ("a3", None, "#a1")))
    whole = page_document(page)
    assert validate_tree(whole.root) == []
    assert whole.data == serialise(whole.root)
    assert _in_parts(page) == whole.data


@pytest.mark.parametrize(
    "links",
    [
        [("a1", None, None), ("a2", None, None), ("a1", None, None)],  # an id twice
        [("a1", "#a9", None), ("a2", None, None)],  # a pointer to nothing
        [("a1", None, None), ("a2", None, "#a0")],
    ],
)
def test_problems_across_parts_are_found(links: list[tuple[str, str | None, str | None]]) -> None:
    page = _page(_articles(*links))
    assert validate_tree(page_document(page).root) != []  # the whole tree is invalid
    with pytest.raises(InvalidOutputError, match="schema rejects"):
        _in_parts(page)


def test_a_division_cut_in_parts_counts_once() -> None:
    """A division cut between its paragraphs stands in two parts, its xml:id counted once."""
    division = Division("article", tuple(_paragraph(n, f"第{n}段。") for n in (1, 2, 3)), "a1")
    page = _page([division, *_articles(("a2", None, "#a1"))])
    parts = PageParts(page, 1)
    assert [len(cut) for cut in parts.cuts] == [2, 2, 1]
    assert _write_parts(parts, True, "p.txt") == page_document(page).data


def test_a_schema_problem_in_a_later_part_is_found() -> None:
    date = Mark(0, 1, "date", (("when", "no"),))  # not an ISO date
    bad = Division("article", (_paragraph(9, "x", (date,)),), "a9")
    page = _page([*_articles(("a1", None, None), ("a2", None, None)), bad])
    assert validate_tree(page_document(page).root) != []
    with pytest.raises(InvalidOutputError, match="schema rejects"):
        _in_parts(page)


def test_a_cut_never_falls_inside_a_mark() -> None:
    pieces = tuple(Piece(n, "张三李四") for n in range(1, 7))  # lines begin at 0, 4, 8, …
    marks = (Mark(2, 10, "persName"), Mark(16, 16, "date"))
    page = _page([Division("article", (Block("p", Content(pieces, marks)),), "a1")])
    parts = PageParts(page, 1)
    # Not at 4 or 8 (inside the name), nor at 16 (an empty mark).
    assert parts.cuts == [(0, 0, 3), (0, 0, 5)]
    assert _write_parts(parts, True, "p.txt") == page_document(page).data


# --- bounded trees ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"第{n}行，正文。\n" for n in range(12_000)),  # one paragraph of 12,000 lines
        "".join(f"第{n}行，正文。\n\n" for n in range(6_000)),  # 6,000 one-line paragraphs
        "".join(f"本报讯 第{n}条。\n\n" for n in range(3_000)),  # 3,000 articles
    ],
    ids=["one-paragraph", "paragraphs", "articles"],
)
def test_no_part_holds_more_than_its_share(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the page is made of, each part's tree holds about ``part_lines`` lines."""
    sizes: list[int] = []
    document = PageParts.document

    def measured(self: PageParts, index: int, created: str | None = None) -> object:
        root, carried = document(self, index, created)
        sizes.append(sum(1 for _ in root.iter("{*}lb")))
        return root, carried

    monkeypatch.setattr(PageParts, "document", measured)
    meta = Metadata(page="1", lang="zh")
    data = convert_bytes(text.encode(), "p.txt", meta, Options(part_lines=1_000)).data
    assert len(sizes) > 2 and max(sizes) <= 1_000 + 2
    assert data == convert_bytes(text.encode(), "p.txt", meta, WHOLE).data
