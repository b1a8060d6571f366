"""Mastheads, specks and crossheads on layout pages: a front page's nameplate with its folio
line or with the lines printed inside it is the masthead, never a headline; a line of too few
letters set large (an ornament, a garbled date) heads nothing but still opens a story; a line
of lesser display type close under text is a crosshead, unless a dateline opens a story under
it."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from tests.test_layout import (
    BODY_HEIGHT,
    COLUMNS,
    MEASURE,
    PITCH,
    Printed,
    body,
    geometry,
    interleaved,
    tei,
    to_alto,
    to_paddle,
)

T = "{http://www.tei-c.org/ns/1.0}"
NAMEPLATE = "THE EVENING STAR"
FOLIO = "No. 20,456. WASHINGTON, D. C., SATURDAY, AUGUST 26, 1916. ONE CENT."


def _lines_of(root: etree._Element, tag: str, **attrs: str) -> set[str]:
    found: set[str] = set()
    for el in root.iter(f"{T}{tag}"):
        if all(el.get(k) == v for k, v in attrs.items()):
            found.update(str(lb.get("n")) for lb in el.iter(f"{T}lb"))
    return found


def _numbers(lines: list[Printed], *texts: str) -> set[str]:
    return {str(i) for i, p in enumerate(lines, start=1) if p.text in texts}


NAMEPLATE_BOX = (400, 20, 2600, 200)


def _front_page(
    plate: tuple[int, int, int, int], ear: Sequence[Printed] = ()
) -> tuple[list[Printed], etree._Element]:
    """A front page under a nameplate and its folio line (and an ear beside the nameplate),
    checked to have them as its masthead; its lines and TEI."""
    lines = [
        Printed(NAMEPLATE, plate, 20.0, 0),
        *ear,
        Printed(FOLIO, (100, 220, 2900, 250), 9.0, 1),
        Printed("COUNCIL VOTES BRIDGE", (100, 262, 950, 292), 20.0, 2),
        *[body(c, r, block=3 + c) for c in range(3) for r in range(40)],
    ]
    data = to_alto(lines)
    assert {ln.text for ln in geometry(data, "front.xml").masthead} == {NAMEPLATE, FOLIO}
    return lines, tei(data, "front.xml")


def test_nameplate_and_folio_line_are_the_masthead() -> None:
    lines, root = _front_page(NAMEPLATE_BOX)
    assert _lines_of(root, "div", type="masthead") == _numbers(lines, NAMEPLATE, FOLIO)
    assert _lines_of(root, "head") == _numbers(lines, "COUNCIL VOTES BRIDGE")


def test_a_nameplate_with_its_issue_lines_inside_is_the_masthead() -> None:
    # A tabloid's nameplate: huge type over the left half, its number and date set inside its
    # box; a quotation box beside it is not part of the masthead.
    plate = Printed("新北大", (100, 20, 1400, 700), 9.0)
    number = Printed("第32期", (150, 640, 300, 680), 9.0)
    date = Printed("1967年1月31日", (500, 640, 800, 680), 9.0)
    quote = [
        Printed("凡是敌人反对的，我们就要拥护", (1500, 100 + k * 60, 2900, 140 + k * 60), 9.0)
        for k in range(3)
    ]
    columns = [
        Printed(
            f"第{c + 1}栏第{r + 1}行正文内容文字在这里继续排下去",
            (COLUMNS[c], 800 + r * PITCH, COLUMNS[c] + MEASURE, 800 + r * PITCH + BODY_HEIGHT),
        )
        for c in range(3)
        for r in range(14)
    ]
    lines = interleaved([plate, number, date, *quote, *columns])
    data = to_paddle(lines)
    geo = geometry(data, "front.json")
    assert {ln.text for ln in geo.masthead} == {plate.text, number.text, date.text}
    root = tei(data, "front.json")
    masthead = _numbers(lines, plate.text, number.text, date.text)
    assert _lines_of(root, "div", type="masthead") == masthead
    assert not _lines_of(root, "head") & masthead


def test_a_page_without_nameplate_or_folio_has_no_masthead() -> None:
    lines = [body(c, r, block=c) for c in range(3) for r in range(12)]
    assert geometry(to_alto(lines), "inner.xml").masthead == ()


def test_a_speck_set_large_heads_nothing_but_opens_a_story() -> None:
    speck = Printed("2 7", (COLUMNS[0], 300 + 6 * PITCH, COLUMNS[0] + 120, 330 + 6 * PITCH), 20.0)
    first = [body(0, r) for r in range(6)]
    second = [body(0, r, shift=PITCH) for r in range(6, 12)]
    lines = [*first, speck, *second]
    data = to_alto(lines)
    geo = geometry(data, "column.xml")
    assert speck.text not in {p.line.text for p in geo.lines if p.display}
    root = tei(data, "column.xml")
    assert not _lines_of(root, "head")
    divs = [
        {str(lb.get("n")) for lb in div.iter(f"{T}lb")}
        for div in root.iter(f"{T}div")
        if div.get("type") == "article"
    ]
    speck_n = str(lines.index(speck) + 1)
    assert any(speck_n in d and str(int(speck_n) + 1) in d and "1" not in d for d in divs)


def _column_with_crosshead(under: str) -> tuple[list[Printed], Printed]:
    x = COLUMNS[0]
    top = [body(0, r) for r in range(8)]
    y = 300 + 8 * PITCH
    cross = Printed("Counter Attacks Wither Away", (x + 150, y, x + 750, y + BODY_HEIGHT), 12.0)
    first = Printed(under, (x, y + PITCH, x + MEASURE, y + PITCH + BODY_HEIGHT))
    rest = [body(0, r, shift=2 * PITCH) for r in range(8, 16)]
    return [*top, cross, first, *rest], cross


def _articles(root: etree._Element) -> list[set[str]]:
    return [
        {str(lb.get("n")) for lb in div.iter(f"{T}lb")}
        for div in root.iter(f"{T}div")
        if div.get("type") == "article"
    ]


def test_a_crosshead_under_text_stays_in_its_story() -> None:
    lines, cross = _column_with_crosshead("Several counter attacks delivered today")
    root = tei(to_alto(lines), "column.xml")
    n = str(lines.index(cross) + 1)
    assert n not in _lines_of(root, "head")
    (holding,) = [a for a in _articles(root) if n in a]
    assert {str(int(n) - 1), str(int(n) + 1)} <= holding


def test_a_crosshead_over_a_dateline_heads_the_story_it_opens() -> None:
    lines, cross = _column_with_crosshead("LONDON, March 22.?The government said today")
    root = tei(to_alto(lines), "column.xml")
    n = str(lines.index(cross) + 1)
    assert _lines_of(root, "head") == {n}
    (holding,) = [a for a in _articles(root) if n in a]
    assert str(int(n) + 1) in holding and str(int(n) - 1) not in holding


def _copy(sizes: list[float], top: int = 760) -> list[Printed]:
    """Lines of column 3 from ``top`` down, each as tall as its type; larger type is set
    centred and shorter, as display type is."""
    x, y, out = COLUMNS[2], top, []
    for k, size in enumerate(sizes):
        height = round(BODY_HEIGHT * size / 9.0)
        inset = 0 if size == 9.0 else 150
        box = (x + inset, y, x + MEASURE - inset, y + height)
        out.append(Printed(f"Copy line {k + 1} of the notice at the corner store", box, size))
        y += height + PITCH - BODY_HEIGHT
    return out


def test_copy_set_in_many_types_is_an_advertisement_without_headlines() -> None:
    # Sizes as STYLEREFS give them: 20 and 12 over a body of 9, and 9 and 12 mixed in copy.
    news = [body(c, r) for c in (0, 1) for r in range(24)] + [body(2, r) for r in range(9)]
    copy = _copy([20.0, 12.0, 9.0, 12.0, 9.0, 20.0, 12.0, 9.0, 12.0, 20.0, 9.0, 12.0])
    root = tei(to_alto([*news, *copy]), "page.xml")
    numbers = {str(len(news) + k + 1) for k in range(len(copy))}
    ads = _lines_of(root, "div", type="advertisement")
    assert numbers <= ads
    assert not _lines_of(root, "head") & numbers
    assert not ads & {str(k + 1) for k in range(len(news))}


def test_copy_heading_a_column_beside_a_story_is_an_advertisement_of_its_own() -> None:
    # A story fills columns 1 and 2; column 3 is advertising copy from its top, no gap nor
    # rule parting it from the story's last line (a notice in body type under it).
    news = [body(c, r) for c in (0, 1) for r in range(24)]
    copy = _copy([20.0, 12.0, 9.0, 12.0, 9.0, 20.0, 12.0, 9.0, 12.0, 20.0, 9.0, 12.0], top=300)
    below = [body(2, r, shift=PITCH) for r in range(16, 24)]
    root = tei(to_alto([*news, *copy, *below]), "page.xml")
    numbers = {str(len(news) + k + 1) for k in range(len(copy))}
    assert numbers <= _lines_of(root, "div", type="advertisement")
    assert not _lines_of(root, "head") & numbers
    assert all(not (a & numbers) for a in _articles(root))


def test_a_story_in_one_body_type_under_its_headline_is_no_advertisement() -> None:
    news = [body(c, r) for c in (0, 1) for r in range(24)] + [body(2, r) for r in range(9)]
    story = _copy([20.0, 20.0, *[9.0] * 14])
    root = tei(to_alto([*news, *story]), "page.xml")
    assert not _lines_of(root, "div", type="advertisement")
    first = str(len(news) + 1)
    assert first in _lines_of(root, "head")


def test_the_ears_beside_the_nameplate_are_boxes_of_their_own() -> None:
    x = COLUMNS[2]
    ear = [
        Printed("WEATHER", (x + 300, 20, x + 600, 60), 12.0, 0),
        Printed("Fair today and tomorrow; warmer.", (x, 70, x + MEASURE, 100), 9.0, 0),
        Printed("Temperature at noon: 84 degrees.", (x, 110, x + MEASURE, 140), 9.0, 0),
    ]
    lines, root = _front_page((400, 20, 1900, 200), ear)
    ears = _numbers(lines, *(p.text for p in ear))
    assert _lines_of(root, "div", type="other") == ears
    assert not _lines_of(root, "head") & ears
    assert _lines_of(root, "head") == _numbers(lines, "COUNCIL VOTES BRIDGE")


def _paddle_column(rows: list[tuple[str, int, int, int]]) -> bytes:
    """PaddleOCR lines of column 1: (text, top, height, inset on each side)."""
    x = COLUMNS[0]
    return to_paddle(
        [
            Printed(text, (x + inset, top, x + MEASURE - inset, top + height))
            for text, top, height, inset in rows
        ]
        + [body(c, r) for c in (1, 2) for r in range(30)]
    )


def test_a_centred_crosshead_measured_by_its_height_stays_in_its_story() -> None:
    # Without font sizes a line of capitals measures smaller than the body's words; set
    # centred and close under the text, it is still a crosshead, not a new story's head.
    rows = [
        (f"Body line {k} of the long report goes on here", 300 + k * PITCH, 30, 0)
        for k in range(12)
    ]
    rows.append(("AFTERNOON SESSION", 300 + 12 * PITCH, 22, 250))
    rows += [
        (f"More of the report line {k} follows in turn", 300 + (13 + k) * PITCH, 30, 0)
        for k in range(10)
    ]
    root = tei(_paddle_column(rows), "column.json")
    cross = next(d for d in _articles(root) if "13" in d)
    assert {"12", "13", "14"} <= cross
    assert "13" not in _lines_of(root, "head")


def test_on_a_laid_out_page_a_headline_heads_the_story_below_it() -> None:
    # The headline shares its words with the story above it, not with the one below: read
    # from the page's geometry it still heads the story below.
    above = [
        (f"The council voted on the bridge and tunnel, line {k}", 300 + k * PITCH, 30, 0)
        for k in range(10)
    ]
    head = [("COUNCIL BRIDGE TUNNEL VOTE", 300 + 11 * PITCH, 60, 150)]
    below = [
        (f"Markets were quiet in the morning trade, line {k}", 300 + (13 + k) * PITCH, 30, 0)
        for k in range(10)
    ]
    root = tei(_paddle_column(above + head + below), "column.json")
    holding = next(d for d in _articles(root) if "11" in d)
    assert "12" in holding and "10" not in holding
