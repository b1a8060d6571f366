"""The layout stage on synthetic newspaper pages whose answer is plain: columns, reading order
(also when PaddleOCR interleaves the columns by height), headlines across columns read before
the columns under them, lines merged across columns, running heads and folios as ``fw``,
display type as ``head``, story breaks at wide gaps and at printed rules, and the shape of
``convert --dump layout``.

The front page (:func:`front_page`) is three columns 900 units wide at x = 100, 1050 and 2000
of a 3000 × 4200 page; body lines 30 high every 40 (9 pt); a running head and a folio at the
top; a two-column headline (20 pt, 70 high) over columns 1 and 2, and a one-column headline
over column 3, each over 15 body lines.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.analyse.layout import PageGeometry, analyse_layout
from converter.cli import main
from converter.lines import recover_lines
from converter.model import Metadata
from converter.pipeline import convert_bytes, profile_for_lang
from converter.read.formats import read_source
from tests.test_alto import ABlock, ALine, Word, alto

T = "{http://www.tei-c.org/ns/1.0}"
LAYOUT_DATA = Path(__file__).parent / "data" / "layout"

COLUMNS = (100, 1050, 2000)
MEASURE = 900
BODY_TOP = 300
PITCH = 40
BODY_HEIGHT = 30
ROWS = 15
RUNNING = "THE EVENING STAR, WASHINGTON, D. C., SATURDAY, AUGUST 26, 1916"
HEAD_A = "COUNCIL VOTES BRIDGE AND TUNNEL"
HEAD_B = "MAYOR REPLIES"


@dataclass(frozen=True)
class Printed:
    """A printed line: its text, box corners, font size and the text block it is set in."""

    text: str
    box: tuple[int, int, int, int]
    size: float = 9.0
    block: int = 0


def body(column: int, row: int, *, shift: int = 0, block: int = 0) -> Printed:
    """Row ``row`` of column ``column`` (0-based), ``shift`` units lower than its place."""
    x = COLUMNS[column]
    y = BODY_TOP + row * PITCH + shift
    words = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
    text = f"Column {column + 1} line {row + 1} {words[row % 6]} {words[(row + column) % 6]} text"
    return Printed(text, (x, y, x + MEASURE, y + BODY_HEIGHT), 9.0, block)


def front_page(
    *, merged_row: int | None = None, gap_row: int | None = None
) -> tuple[list[Printed], list[str]]:
    """The front page in source order (running head, folio, headline A, columns 1 and 2,
    headline B, column 3) and the texts in the expected reading order (running heads apart).

    ``merged_row``: that row of columns 1 and 2 is one line across both (the OCR merged them);
    ``gap_row``: column 3 leaves three body lines blank before that row (a new story)."""
    lines = [
        Printed(RUNNING, (100, 40, 2500, 70), 9.0, 0),
        Printed("4", (2850, 40, 2900, 70), 9.0, 1),
        Printed(HEAD_A, (100, 200, 1950, 270), 20.0, 2),
    ]
    col1 = [body(0, r, block=3) for r in range(ROWS)]
    col2 = [body(1, r, block=4) for r in range(ROWS)]
    if merged_row is not None:
        first, second = col1[merged_row], col2[merged_row]
        merged = Printed(
            f"{first.text} {second.text}",
            (first.box[0], first.box[1], second.box[2], second.box[3]),
            9.0,
            3,
        )
        col1[merged_row] = merged
        del col2[merged_row]
    head_b = Printed(HEAD_B, (2150, 200, 2750, 270), 20.0, 5)
    col3 = [
        body(2, r, shift=3 * PITCH if gap_row is not None and r >= gap_row else 0, block=6)
        for r in range(ROWS)
    ]
    lines += col1 + col2 + [head_b] + col3
    order = [HEAD_A, *(p.text for p in col1), *(p.text for p in col2), HEAD_B]
    order += [p.text for p in col3]
    return lines, order


def to_alto(lines: Sequence[Printed], rules: Sequence[tuple[int, int, int, int]] = ()) -> bytes:
    """The page as ALTO 4: a TextBlock per block number, sizes by STYLEREFS (TS9, TS12, TS20)."""
    blocks: dict[int, list[ALine]] = {}
    for p in lines:
        x0, y0, x1, y1 = p.box
        words = tuple(Word(w) for w in p.text.split(" "))
        ref = {20.0: "TS20", 12.0: "TS12"}.get(p.size, "TS9")
        blocks.setdefault(p.block, []).append(ALine(words, (x0, y0, x1 - x0, y1 - y0), ref))
    return alto(
        [ABlock(tuple(b)) for _, b in sorted(blocks.items())],
        page=(3000, 4200),
        rules=[(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in rules],
    )


def to_paddle(lines: Sequence[Printed]) -> bytes:
    """The page as PaddleOCR 3.x JSON, its results in the order given."""
    return json.dumps(
        {
            "input_path": "front.png",
            "rec_texts": [p.text for p in lines],
            "rec_scores": [0.98] * len(lines),
            "rec_polys": [
                [
                    [p.box[0], p.box[1]],
                    [p.box[2], p.box[1]],
                    [p.box[2], p.box[3]],
                    [p.box[0], p.box[3]],
                ]
                for p in lines
            ],
        }
    ).encode()


def interleaved(lines: Sequence[Printed]) -> list[Printed]:
    """As PaddleOCR gives a page: by height, the columns' lines interleaved."""
    return sorted(lines, key=lambda p: (p.box[1], p.box[0]))


def geometry(data: bytes, name: str) -> PageGeometry:
    return analyse_layout(read_source(data, name), profile_for_lang("en").layout)


def tei(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(convert_bytes(data, name, Metadata(page="4", lang="en")).data)


def reading(geo: PageGeometry) -> list[str]:
    return [placed.line.text for placed in geo.lines]


def breaks(geo: PageGeometry) -> dict[str, str]:
    return {placed.line.text: placed.brk for placed in geo.lines}


def number_of(data_lines: Sequence[Printed], text: str) -> int:
    return next(i for i, p in enumerate(data_lines, start=1) if p.text == text)


def _as_alto(lines: Sequence[Printed]) -> tuple[bytes, str]:
    return to_alto(lines), "front.xml"


def _as_paddle(lines: Sequence[Printed]) -> tuple[bytes, str]:
    return to_paddle(interleaved(lines)), "front.json"


#: The front page as each source gives it: its bytes and a file name.
SOURCES: dict[str, Callable[[Sequence[Printed]], tuple[bytes, str]]] = {
    "alto": _as_alto,
    "paddleocr-interleaved": _as_paddle,
}


def source_lines(kind: str, lines: list[Printed]) -> list[Printed]:
    """The lines in the order the source of ``kind`` numbers them."""
    return interleaved(lines) if kind.startswith("paddle") else lines


# --- columns and reading order ------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_columns_are_found(kind: str) -> None:
    lines, _ = front_page()
    geo = geometry(*SOURCES[kind](lines))
    assert geo.columns == COLUMNS
    assert geo.column_width == pytest.approx(MEASURE, abs=1)
    assert geo.body_height == BODY_HEIGHT


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_reading_order_is_column_by_column_headline_first(kind: str) -> None:
    lines, order = front_page()
    geo = geometry(*SOURCES[kind](lines))
    assert reading(geo) == order
    spans = {p.line.text: (p.first_column, p.last_column) for p in geo.lines}
    assert spans[HEAD_A] == (0, 1)
    assert spans[HEAD_B] == (2, 2)
    assert spans[body(1, 3).text] == (1, 1)


def test_interleaved_source_order_really_interleaves() -> None:
    # The premise of the PaddleOCR case: its line numbers run across the columns.
    lines, _ = front_page()
    texts = [p.text for p in interleaved(lines)]
    assert texts.index(body(1, 0).text) < texts.index(body(0, 1).text)


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_reading_order_in_the_tei(kind: str) -> None:
    lines, order = front_page()
    data, name = SOURCES[kind](lines)
    root = tei(data, name)
    numbered = source_lines(kind, lines)
    got = [int(lb.get("n", "0")) for lb in root.find(f"{T}text/{T}body").iter(f"{T}lb")]  # type: ignore[union-attr]
    running = {number_of(numbered, RUNNING), number_of(numbered, "4")}
    assert [n for n in got if n not in running] == [number_of(numbered, t) for t in order]


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_a_line_merged_across_two_columns_is_kept_whole(kind: str) -> None:
    lines, order = front_page(merged_row=6)
    data, name = SOURCES[kind](lines)
    text = read_source(data, name)
    geo = analyse_layout(text, profile_for_lang("en").layout)
    merged = f"{body(0, 6).text} {body(1, 6).text}"
    assert reading(geo) == order
    assert order.index(merged) == order.index(body(0, 5).text) + 1  # read in column 1
    placed = next(p for p in geo.lines if p.line.text == merged)
    assert (placed.first_column, placed.last_column) == (0, 0)
    number = number_of(source_lines(kind, lines), merged)
    assert [(d.code, d.line) for d in geo.diagnostics] == [("line.spans-columns", number)]
    # The TEI keeps it as one line, whole.
    root = tei(data, name)
    assert recover_lines(root)[number] == merged


# --- running heads, folios and display type ---------------------------------------------


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_running_head_and_folio_are_fw_never_head(kind: str) -> None:
    lines, _ = front_page()
    data, name = SOURCES[kind](lines)
    numbered = source_lines(kind, lines)
    geo = geometry(data, name)
    assert [(k, ln.text) for k, ln in geo.running] == sorted(
        [("header", RUNNING), ("pageNum", "4")], key=lambda kl: number_of(numbered, kl[1])
    )
    assert RUNNING not in reading(geo) and "4" not in reading(geo)
    root = tei(data, name)
    fws = {fw.get("type"): [lb.get("n") for lb in fw.iter(f"{T}lb")] for fw in root.iter(f"{T}fw")}
    assert fws == {
        "header": [str(number_of(numbered, RUNNING))],
        "pageNum": [str(number_of(numbered, "4"))],
    }
    # fw stands in the body, outside every div, and no head holds those lines.
    for fw in root.iter(f"{T}fw"):
        assert fw.getparent().tag == f"{T}body"  # type: ignore[union-attr]
    in_heads = {lb.get("n") for head in root.iter(f"{T}head") for lb in head.iter(f"{T}lb")}
    assert not in_heads & {str(number_of(numbered, RUNNING)), str(number_of(numbered, "4"))}


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_larger_type_is_a_head(kind: str) -> None:
    lines, _ = front_page()
    data, name = SOURCES[kind](lines)
    numbered = source_lines(kind, lines)
    geo = geometry(data, name)
    display = {p.line.text for p in geo.lines if p.display}
    assert display == {HEAD_A, HEAD_B}
    root = tei(data, name)
    heads = {lb.get("n") for head in root.iter(f"{T}head") for lb in head.iter(f"{T}lb")}
    assert heads == {str(number_of(numbered, HEAD_A)), str(number_of(numbered, HEAD_B))}


# --- story breaks ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_story_break_at_a_wide_gap(kind: str) -> None:
    lines, order = front_page(gap_row=8)
    data, name = SOURCES[kind](lines)
    geo = geometry(data, name)
    assert reading(geo) == order
    brk = breaks(geo)
    col3 = [body(2, r, shift=3 * PITCH if r >= 8 else 0).text for r in range(ROWS)]
    assert brk[col3[8]] == "story"
    assert [brk[t] for t in col3[1:8] + col3[9:]] == [""] * 13
    # The two stories of column 3 are two divisions.
    root = tei(data, name)
    numbered = source_lines(kind, lines)
    div_of = {
        lb.get("n"): div.get("{http://www.w3.org/XML/1998/namespace}id")
        for div in root.iter(f"{T}div")
        for lb in div.iter(f"{T}lb")
    }
    before = div_of[str(number_of(numbered, col3[7]))]
    after = div_of[str(number_of(numbered, col3[8]))]
    assert before != after


def test_story_break_at_a_rule() -> None:
    lines, _ = front_page()
    # A rule in the 10-unit gap between rows 7 and 8 of column 2 (lines of one text block).
    rule = (1050, BODY_TOP + 7 * PITCH + BODY_HEIGHT + 3, 1950, BODY_TOP + 8 * PITCH - 3)
    with_rule = breaks(geometry(to_alto(lines, [rule]), "front.xml"))
    without = breaks(geometry(to_alto(lines), "front.xml"))
    assert without[body(1, 8).text] == ""
    assert with_rule[body(1, 8).text] == "story"
    # Only that line changes.
    changed = {t for t in without if without[t] != with_rule[t]}
    assert changed == {body(1, 8).text}


def test_a_vertical_rule_between_columns_breaks_no_story() -> None:
    lines, _ = front_page()
    gutter = (1010, BODY_TOP, 1014, BODY_TOP + ROWS * PITCH)
    assert breaks(geometry(to_alto(lines, [gutter]), "f.xml")) == breaks(
        geometry(to_alto(lines), "f.xml")
    )


def test_column_change_is_a_column_break() -> None:
    lines, _ = front_page()
    brk = breaks(geometry(to_alto(lines), "front.xml"))
    assert brk[body(1, 0).text] == "column"
    assert brk[body(0, 0).text] == "paragraph"  # from the headline's display type to text


# --- --dump layout ----------------------------------------------------------------------------

_ROW = re.compile(
    r"^ *(?P<n>\d+) (?P<cols>c\d(-\d)?|c-) *(?P<brk>[ ¶|§]) (?P<head>head|    ) "
    r"x(?P<ratio>\d+\.\d\d) *(?P<size>\S+) +(?P<text>.*)$"
)


def test_dump_layout_shape(tmp_path: Path) -> None:
    lines, order = front_page(gap_row=8)
    page = tmp_path / "front.xml"
    page.write_bytes(to_alto(lines))
    result = CliRunner().invoke(main, ["convert", str(page), "--dump", "layout"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "columns 3 at 100, 1050, 2000; width 900; body line height 30; body size 9"
    assert out[1] == f"     1 fw header  {RUNNING}"
    assert out[2] == "     2 fw pageNum 4"
    rows = [_ROW.match(row) for row in out[3 : 3 + len(order)]]
    assert all(rows), out
    got = [m.group("text") for m in rows if m]
    assert got == order
    first = rows[0]
    assert first is not None
    assert (first.group("n"), first.group("cols"), first.group("head"), first.group("size")) == (
        "3",
        "c1-2",
        "head",
        "20pt",
    )
    assert float(first.group("ratio")) == pytest.approx(20 / 9, abs=0.01)
    story = next(m for m in rows if m and m.group("text") == body(2, 8, shift=120).text)
    assert story.group("brk") == "§"
    assert out[3 + len(order) :] == []  # no diagnostics on this page


def test_dump_layout_of_plain_text_lists_the_lines(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("one\n\ntwo\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(page), "--dump", "layout"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == ["     1 one", "     2 ", "     3 two"]


def test_paddle_and_alto_agree_on_the_front_page() -> None:
    lines, _ = front_page(merged_row=4, gap_row=10)
    alto_geo = geometry(to_alto(lines), "f.xml")
    paddle_geo = geometry(to_paddle(interleaved(lines)), "f.json")
    assert reading(alto_geo) == reading(paddle_geo)
    assert breaks(alto_geo) == breaks(paddle_geo)
    assert [(k, ln.text) for k, ln in alto_geo.running] == [
        (k, ln.text) for k, ln in paddle_geo.running
    ]


def test_shuffled_paddle_results_read_the_same() -> None:
    lines, order = front_page()
    shuffled = list(lines)
    random.Random(7).shuffle(shuffled)
    assert reading(geometry(to_paddle(shuffled), "f.json")) == order
