"""Where a story does not break on a layout page: a printed line the OCR split at a wide space
is read piece by piece, left to right, as one text; large type standing in the middle of a
word broken at a line end starts nothing; specks under a headline or after an unfinished
sentence open no story; a short line standing alone between two headline blocks is part of
the heading; a dateline set on in running text opens a section of its story (where the
profile says the press set dispatches so); an OCR echo of its neighbours' words breaks nothing."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from converter.model import Metadata
from converter.pipeline import convert_bytes
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
X = COLUMNS[0]


def _row(
    row: int, text: str, *, left: int = 0, right: int = MEASURE, size: float = 9.0, block: int = 0
) -> Printed:
    y = 300 + row * PITCH
    return Printed(text, (X + left, y, X + right, y + BODY_HEIGHT), size, block)


def _articles(root: etree._Element) -> list[set[int]]:
    return [
        {int(str(lb.get("n"))) for lb in div.iter(f"{T}lb")}
        for div in root.iter(f"{T}div")
        if div.get("type") == "article"
    ]


def _heads(root: etree._Element) -> set[int]:
    return {int(str(lb.get("n"))) for h in root.iter(f"{T}head") for lb in h.iter(f"{T}lb")}


def _split_column() -> list[Printed]:
    """A column whose rows 6-8 the OCR split in two, the right pieces in a block of their
    own and listed after all the left ones; the right pieces' tops a few units higher."""
    lines = [body(0, r) for r in range(6)]
    lefts = [_row(r, f"left piece {r} of the row", right=440) for r in (6, 7, 8)]
    rights = [
        Printed(
            f"right piece {r} runs on",
            (X + 470, 296 + r * PITCH, X + MEASURE, 296 + r * PITCH + BODY_HEIGHT),
            9.0,
            1,
        )
        for r in (6, 7, 8)
    ]
    rest = [body(0, r, block=2) for r in range(9, 16)]
    others = [body(c, r, block=2 + c) for c in (1, 2) for r in range(16)]
    return [*lines, *lefts, *rights, *rest, *others]


def test_a_line_split_in_pieces_is_read_left_to_right_as_one_text() -> None:
    lines = _split_column()
    data = to_alto(lines)
    order = [p.line.text for p in geometry(data, "split.xml").lines]
    for r in (6, 7, 8):
        left = order.index(f"left piece {r} of the row")
        assert order[left + 1] == f"right piece {r} runs on"
    placed = {p.line.text: p for p in geometry(data, "split.xml").lines}
    assert all(placed[f"right piece {r} runs on"].brk == "" for r in (6, 7, 8))
    assert all(placed[f"left piece {r} of the row"].brk == "" for r in (7, 8))
    root = tei(data, "split.xml")
    assert not _heads(root)
    assert len(_articles(root)) == 1 and set(range(2, 20)) <= _articles(root)[0]


def test_large_type_inside_a_broken_word_starts_no_story() -> None:
    # Column 1 ends on "conti-", column 2 goes on "nued ..." under a stray line of large
    # type at its top (a running head the OCR read in part).
    first = [body(0, r) for r in range(14)]
    last = _row(14, "and the debate was conti-")
    stray = Printed("Der", (COLUMNS[1] + 300, 250, COLUMNS[1] + 420, 290), 20.0, 1)
    y = 300
    goes_on = Printed(
        "nued into the night by both",
        (COLUMNS[1], y, COLUMNS[1] + MEASURE, y + BODY_HEIGHT),
        9.0,
        2,
    )
    rest = [body(1, r, block=2) for r in range(1, 15)]
    lines = [*first, last, stray, goes_on, *rest]
    root = tei(to_alto(lines), "broken.xml")
    (story,) = [a for a in _articles(root) if 1 in a]
    assert {len(first) + 1, len(first) + 3, len(lines)} <= story


def test_specks_right_under_a_headline_open_no_story_of_their_own() -> None:
    head = _row(0, "THE SERIAL STORY", left=200, right=700, size=20.0)
    speck = _row(1, "E E", left=400, right=500, block=1)
    text = [body(0, r, block=2) for r in range(2, 14)]
    lines = [head, speck, *text]
    root = tei(to_alto(lines), "serial.xml")
    assert _articles(root) == [set(range(1, len(lines) + 1))]


def test_a_speck_after_an_unfinished_sentence_opens_no_story() -> None:
    above = [body(0, r) for r in range(6)]  # ends "... text": no sentence end
    speck = _row(6, "ti", left=300, right=340, size=12.0, block=1)
    below = [body(0, r, block=2) for r in range(7, 14)]
    lines = [*above, speck, *below]
    root = tei(to_alto(lines), "speck.xml")
    # (The top line of a one-column page stands in the running head's band.)
    assert len(_articles(root)) == 1 and set(range(3, len(lines) + 1)) <= _articles(root)[0]


def test_a_sentence_ended_before_a_speck_lets_it_open_a_story() -> None:
    above = [body(0, r) for r in range(5)] + [_row(5, "So the matter ended.", right=400)]
    speck = _row(6, "2 7", left=300, right=380, size=12.0, block=1)
    below = [body(0, r, block=2) for r in range(7, 14)]
    lines = [*above, speck, *below]
    stories = _articles(tei(to_alto(lines), "speck.xml"))
    assert len(stories) == 2 and 7 in stories[1] and 6 in stories[0]


def test_a_short_line_between_two_headline_blocks_is_part_of_the_heading() -> None:
    title = _row(0, "Dick Tarleton.", left=250, right=650, size=20.0)
    author = _row(2, "by H. von B.", left=350, right=550, block=1)
    label = _row(3, "(Continued.)", left=330, right=570, size=12.0, block=2)
    text = [body(0, r, block=3) for r in range(4, 16)]
    lines = [title, author, label, *text]
    root = tei(to_alto(lines), "title.xml")
    assert _articles(root) == [set(range(1, len(lines) + 1))]
    assert {1, 2, 3} <= _heads(root)


def _dispatches(lang: str, place_line: str) -> tuple[list[Printed], etree._Element]:
    """A column: a headline, a dispatch, and a second dispatch whose dateline is set on in the
    same block of running text."""
    head = _row(0, "ARMIES CLASH IN THE EAST", left=150, right=750, size=20.0)
    first = [body(0, r, block=1) for r in range(1, 8)]
    ended = _row(8, "of the general staff.", right=420, block=1)
    dateline = _row(9, place_line, block=1)
    rest = [body(0, r, block=1) for r in range(10, 16)]
    lines = [head, *first, ended, dateline, *rest]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    data = to_alto([*lines, *others])
    root = etree.fromstring(
        convert_bytes(
            data, "dispatch.xml", Metadata(page="1", lang=lang, date=dt.date(1915, 3, 22))
        ).data
    )
    return lines, root


def test_a_dateline_set_on_in_running_text_opens_a_section_of_the_story() -> None:
    lines, root = _dispatches("en", "LONDON, March 22.—The great fortress has fallen and")
    n = len(lines) - 6
    (story,) = [a for a in _articles(root) if 2 in a]
    assert {2, n - 1, n, len(lines)} <= story
    (section,) = [d for d in root.iter(f"{T}div") if d.get("type") == "section"]
    (dateline,) = section.iter(f"{T}dateline")
    assert [d.get("when") for d in dateline.iter(f"{T}date")] == ["1915-03-22"]
    assert section.find(f"{T}head") is None


def test_where_the_press_set_briefs_a_dateline_in_running_text_opens_a_story() -> None:
    lines, root = _dispatches("de", "Berlin, 22. März. Die große Festung ist gefallen und")
    n = len(lines) - 6
    stories = _articles(root)
    assert any(n in a and n - 1 not in a for a in stories)
    assert any(n - 1 in a and 2 in a for a in stories)


def test_an_ocr_echo_of_its_neighbours_words_is_no_headline_nor_break() -> None:
    above = [body(0, r) for r in range(7)] + [_row(7, "a member was excused yester-")]
    above.append(_row(8, "day."))
    echo = Printed("day.Mr.", (X + 10, 300 + 8 * PITCH, X + 200, 300 + 10 * PITCH), 9.0)
    below = [_row(9, "Mr. Duras moved that the senate adjourn")]
    below += [body(0, r) for r in range(10, 16)]
    lines = [*above, echo, *below]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    root = tei(to_alto([*lines, *others]), "echo.xml")
    assert len(lines) - 7 not in _heads(root)
    (story,) = [a for a in _articles(root) if len(lines) - 7 in a]
    assert {3, len(lines)} <= story


#: Two matters' words, three long words a line, none shared.
HARBOUR = "harbour commission shipping tonnage wharves pilots steamer cargoes dredging channel "
HARBOUR += "berths freight customs duties landing schooner tariffs quayside lighthouse buoys pier"
OPERA = "opera season opened gala performance soprano tenor chorus orchestra conductor audience "
OPERA += "ballet boxes overture encore applause curtain libretto costumes scenery singers"


def _lines_of_words(words: str, rows: range, block: int = 0) -> list[Printed]:
    vocabulary = words.split()
    return [
        _row(r, " ".join(vocabulary[(3 * k + i) % len(vocabulary)] for i in range(3)), block=block)
        for k, r in enumerate(rows)
    ]


def _briefs(below: str) -> etree._Element:
    """A column: text on one matter ending a sentence, a centred line of body type close
    under it, and text in the words ``below``."""
    above = _lines_of_words(HARBOUR, range(7))
    above.append(_row(7, "before adjourning.", right=400))
    cross = _row(8, "MAYOR OPENS BRIDGE", left=300, right=600)
    lines = [*above, cross, *_lines_of_words(below, range(9, 16), block=1)]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    return tei(to_alto([*lines, *others]), "briefs.xml")


def test_a_centred_line_between_texts_of_two_matters_heads_a_story() -> None:
    root = _briefs(OPERA)
    assert 9 in _heads(root)
    assert any(9 in a and 10 in a and 8 not in a for a in _articles(root))


def test_a_centred_line_between_texts_of_one_matter_stays_a_crosshead() -> None:
    root = _briefs(HARBOUR)
    assert any({8, 9, 10} <= a for a in _articles(root))


def test_a_centred_line_between_short_paragraphs_stays_where_it_is() -> None:
    # Too little text on either side to tell two matters apart (an advertisement's lines).
    root = _briefs("yesterday morning crowds gathered cheering")
    assert any({8, 9, 10} <= a for a in _articles(root))


def test_briefs_opened_by_a_pointing_hand_are_stories_of_their_own() -> None:
    # The ☞ opening each brief as the OCR reads it ('ITT"', '|j_7~'); the lines run on
    # without a gap or an indent.
    first = [_row(r, "the regular army bill will be defeated in the Senate") for r in range(7)]
    hand_a = _row(7, 'ITT" During the first six months there were deaths')
    brief_a = [_row(r, "in the city compared with the year before") for r in (8, 9)]
    hand_b = _row(10, "|j_7~Since the display of flags is prohibited by law")
    brief_b = [_row(r, "the traitors show malevolence to the government") for r in (11, 12)]
    lines = [*first, hand_a, *brief_a, hand_b, *brief_b]
    lines += [_row(r, "and so on and so forth in the column") for r in range(13, 16)]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    stories = _articles(tei(to_alto([*lines, *others]), "briefs.xml"))
    assert {8, 9, 10} in stories
    assert any(11 in a and 12 in a and 10 not in a for a in stories)


def test_tall_overlapping_boxes_of_running_text_are_read_in_order_without_breaks() -> None:
    # A scan whose OCR boxes reach two lines up and down: each overlaps its neighbours and
    # the first word's box sets where it starts a little to the right or left.
    lines = [
        Printed(
            f"running text line {r} of the column goes on",
            (
                X + (40 if r % 3 == 0 else 0),
                300 + r * PITCH - 40,
                X + MEASURE,
                300 + r * PITCH + 50,
            ),
        )
        for r in range(16)
    ]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    geo = geometry(to_alto([*lines, *others]), "tall.xml")
    column = [p for p in geo.lines if p.line.text.startswith("running text")]
    assert [p.line.text for p in column] == [p.text for p in lines][-len(column) :]
    assert all(p.brk == "" for p in column[1:])


def _upright_page(title: str) -> tuple[list[Printed], bytes]:
    """A Chinese page (PaddleOCR, lines interleaved by height): a story in column 1, another
    in column 2 with an upright title standing at the right edge of the text, a third of the
    way down."""
    left = [Printed(f"左栏第{r}行文字内容叙述一件事情的经过", _cell(0, r)) for r in range(20)]
    right = [Printed(f"右栏第{r}行另一篇文章的正文继续下去", _cell(1, r)) for r in range(20)]
    x = COLUMNS[1] + MEASURE + 40
    upright = Printed(title, (x, 300 + 6 * PITCH, x + 70, 300 + 6 * PITCH + 560))
    lines = interleaved([*left, *right, upright])
    return lines, to_paddle(lines)


def _cell(column: int, row: int) -> tuple[int, int, int, int]:
    x, y = COLUMNS[column], 300 + row * PITCH
    return (x, y, x + MEASURE, y + BODY_HEIGHT)


def test_an_upright_title_at_the_right_edge_heads_the_column_to_its_left() -> None:
    lines, data = _upright_page("中央军委文革特稿")
    root = etree.fromstring(convert_bytes(data, "page.json", Metadata(page="1", lang="zh")).data)
    n = {p.text: k for k, p in enumerate(lines, start=1)}
    title = n["中央军委文革特稿"]
    assert title in _heads(root)
    (story,) = [a for a in _articles(root) if title in a]
    assert n["右栏第1行另一篇文章的正文继续下去"] in story  # (row 0: the running head's band)
    assert n["右栏第19行另一篇文章的正文继续下去"] in story
    assert n["左栏第19行文字内容叙述一件事情的经过"] not in story


def test_upright_latin_letters_are_a_misread_rule_not_display_type() -> None:
    _, data = _upright_page("AAAVWA")
    placed = {p.line.text: p for p in geometry(data, "page.json").lines}
    assert not placed["AAAVWA"].display
    _, data = _upright_page("中央军委文革特稿")
    placed = {p.line.text: p for p in geometry(data, "page.json").lines}
    assert placed["中央军委文革特稿"].display


def test_the_short_last_line_of_a_lead_set_large_across_columns_heads_nothing() -> None:
    # A story's lead set two columns wide in type a little larger than the body: its
    # paragraphs' last lines are short and stand in one column, in that same type.
    head = Printed("ALLIES PRESS ON", (COLUMNS[0] + 300, 250, COLUMNS[1] + 600, 290), 20.0, 0)
    wide = COLUMNS[1] + MEASURE
    lead: list[Printed] = []
    y = 300
    for paragraph in range(3):
        for k in range(3):
            text = f"Lead paragraph {paragraph} line {k} set wide across the two columns here"
            lead.append(Printed(text, (COLUMNS[0], y, wide, y + 36), 12.0, 1))
            y += 44
        lead.append(
            Printed(
                f"and so it ends {paragraph}.", (COLUMNS[0], y, COLUMNS[0] + 500, y + 36), 12.0, 1
            )
        )
        y += 44
    rest = [body(c, r, shift=y - 300 + PITCH, block=2 + c) for c in (0, 1, 2) for r in range(12)]
    lines = [head, *lead, *rest]
    root = tei(to_alto(lines), "lead.xml")
    ends = {k for k, p in enumerate(lines, start=1) if p.text.startswith("and so it ends")}
    assert not ends & _heads(root)
    (story,) = [a for a in _articles(root) if 2 in a]
    assert ends <= story


def _crosshead_in_body_type(below: str) -> etree._Element:
    """A column of a dispatch about the fleet, a crosshead in the body's type ("To Renew the
    Attack.") over a dateline, and ``below`` as the text under the dateline."""
    above = [_row(r, "the allied fleet bombarded the forts of the Dardanelles") for r in range(7)]
    above.append(_row(7, "the announcement said.", right=420))
    cross = _row(8, "To Renew the Attack.", left=250, right=650)
    dateline = _row(9, "PARIS, March 22.—Admirals of the allied fleet met")
    rest = [_row(r, below) for r in range(10, 16)]
    lines = [*above, cross, dateline, *rest]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    return tei(to_alto([*lines, *others]), "cross.xml")


def test_a_crosshead_in_body_type_over_a_dateline_of_the_same_matter_opens_a_section() -> None:
    root = _crosshead_in_body_type("aboard the fleet the admirals decided on the forts")
    (story,) = [a for a in _articles(root) if 2 in a]
    assert {8, 9, 10, 16} <= story
    (section,) = [d for d in root.iter(f"{T}div") if d.get("type") == "section"]
    assert {int(str(lb.get("n"))) for lb in section.iter(f"{T}lb")} >= {9, 10}


def test_a_crosshead_in_body_type_over_a_dateline_of_another_matter_heads_a_story() -> None:
    root = _crosshead_in_body_type("the opera season opened with a gala performance")
    assert any(9 in a and 10 in a and 8 not in a for a in _articles(root))


def test_a_centred_title_between_specks_is_set_apart() -> None:
    # A brief's title between rules read as "a" and "E" and a date read as "2 7": the
    # specks, narrow as they are, set no measure for it.
    above = [body(0, r) for r in range(5)]
    specks = [
        _row(5, "a", left=430, right=470),
        _row(6, "E", left=440, right=460),
        _row(8, "2 7", left=420, right=480),
        _row(9, "a", left=430, right=470),
    ]
    title = _row(7, "A Sign of Peace.", left=250, right=650)
    below = [body(0, r) for r in range(10, 16)]
    others = [body(c, r, block=1 + c) for c in (1, 2) for r in range(16)]
    data = to_alto([*above, *specks, title, *below, *others])
    placed = {p.line.text: p for p in geometry(data, "t.xml").lines}
    assert placed["A Sign of Peace."].display or placed["A Sign of Peace."].crosshead


def _inner_page(top: Printed) -> etree._Element:
    columns = [body(c, r, shift=PITCH, block=1 + c) for c in (0, 1, 2) for r in range(16)]
    return tei(to_alto([top, *columns]), "inner.xml")


def test_a_lone_word_in_large_type_atop_an_inner_page_is_its_running_head() -> None:
    # What the OCR read of the paper's name over an inner page: one short word, set large,
    # clear above every column.
    root = _inner_page(Printed("Der", (COLUMNS[1] + 400, 200, COLUMNS[1] + 520, 260), 20.0))
    heads = [fw for fw in root.iter(f"{T}fw") if fw.get("type") == "header"]
    assert [int(str(lb.get("n"))) for fw in heads for lb in fw.iter(f"{T}lb")] == [1]
    assert 1 not in _heads(root)


def test_a_headline_atop_an_inner_page_is_no_running_head() -> None:
    root = _inner_page(
        Printed("FLEET SAILS AT DAWN", (COLUMNS[0] + 100, 200, COLUMNS[1] + 800, 260), 20.0)
    )
    assert not [fw for fw in root.iter(f"{T}fw") if fw.get("type") == "header"]
    assert 1 in _heads(root)


def test_a_headline_worded_line_in_body_type_between_paragraphs_is_a_crosshead() -> None:
    # Type sizes given: the layout sees the line in the body's type, flush left, no gap
    # before it; its words are a headline's (capitals), no dateline under it.
    above = _lines_of_words(HARBOUR, range(7))
    above.append(_row(7, "before adjourning.", right=400))
    cross = _row(8, "THE NEW CHANNEL", right=420, block=1)
    below = _lines_of_words(HARBOUR, range(9, 16), block=2)
    lines = [*above, cross, *below]
    others = [body(c, r, block=2 + c) for c in (1, 2) for r in range(16)]
    root = tei(to_alto([*lines, *others]), "cross.xml")
    assert any({8, 9, 10} <= a for a in _articles(root))
    (section,) = [d for d in root.iter(f"{T}div") if d.get("type") == "section"]
    assert 9 in {int(str(lb.get("n"))) for h in section.iter(f"{T}head") for lb in h.iter(f"{T}lb")}
