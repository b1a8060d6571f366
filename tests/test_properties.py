"""Properties over generated input: any page converts valid, lossless and deterministic.

Two kinds of generators: arbitrary Unicode (controls, CRLF/CR, tabs, blank runs, long lines)
and realistic Chinese pages built from the parts a page has (paragraphs, headlines, bylines,
datelines, jumps, end marks, advertisements).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.analyse.numbers import month_day_when, page_label, parse_number
from converter.diagnostics import Diagnostics
from converter.errors import DecodeError
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.profile import load_profile
from converter.read.text import REPLACEMENT, _utf16_without_bom, split_lines
from tests.helpers import _XML_ILLEGAL, assert_lossless
from tests.tei_all import tei_all_validator

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_CHAR = st.characters(codec="utf-8")  # every code point UTF-8 can carry (no surrogates)
LINE_END = st.sampled_from(["\n", "\r\n", "\r"])
ODD = st.sampled_from(
    ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\ufffe", "\uffff", "\t", "\u3000", "\xa0"]
)


@st.composite
def raw_pages(draw: st.DrawFn) -> str:
    lines = draw(
        st.lists(
            st.one_of(
                st.text(ANY_CHAR.filter(lambda c: c not in "\r\n"), max_size=40),
                st.text(st.sampled_from("本报讯记者（）。，下转二版①2 \t"), max_size=30),
                st.just(""),
                st.text(ODD, min_size=1, max_size=3),
                st.text(st.sampled_from("字a "), min_size=2000, max_size=4000),
            ),
            max_size=30,
        )
    )
    end = draw(LINE_END)
    return end.join(lines) + draw(st.sampled_from(["", end]))


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from("，、；：")


@st.composite
def cjk_sentence(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.text(CJK, min_size=3, max_size=12), min_size=1, max_size=4))
    return draw(PUNCT).join(parts) + draw(st.sampled_from("。！？"))


@st.composite
def cjk_paragraph(draw: st.DrawFn) -> list[str]:
    text = "".join(draw(st.lists(cjk_sentence(), min_size=1, max_size=5)))
    width = draw(st.integers(12, 19))
    return [text[i : i + width] for i in range(0, len(text), width)]


@st.composite
def realistic_pages(draw: st.DrawFn) -> str:
    """A Chinese page of articles with headlines before or after, bylines, jumps, end marks."""
    after = draw(st.booleans())
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        heads = draw(st.lists(st.text(CJK, min_size=4, max_size=16), min_size=1, max_size=3))
        if draw(st.booleans()):
            heads.append("——访" + draw(st.text(CJK, min_size=3, max_size=10)))
        byline = draw(
            st.sampled_from(
                [
                    "本报讯（记者{a}）",
                    "本报讯（记者{a} 实习生{b}）",
                    "本报讯（通讯员{a}、{b}）",
                    "新华社北京12月10日电（记者 {a} {b}）",
                    "据新华社电",
                    "",
                ]
            )
        ).format(
            a=draw(st.text(CJK, min_size=2, max_size=3)),
            b=draw(st.text(CJK, min_size=2, max_size=3)),
        )
        date = draw(st.sampled_from(["", " 12月10日，", "近日，", "12 月 8 日，"]))
        paragraphs = draw(st.lists(cjk_paragraph(), min_size=1, max_size=4))
        if byline or date:
            paragraphs[0][0] = byline + date + paragraphs[0][0]
        ending = draw(
            st.sampled_from(["", "①2", "（下转二版）", "（下转第3版）", "（转A3版）", "（下转版）"])
        )
        paragraphs[-1][-1] += ending
        body: list[str] = []
        for para in paragraphs:
            for k, line in enumerate(para):
                if k and draw(st.integers(0, 6)) == 0:
                    body.append("")  # a column break
                body.append(line)
            body.append("")
        head_lines: list[str] = []
        for h in heads:
            head_lines += [h, ""]
        lines += (body + head_lines) if after else (head_lines + body)
    if draw(st.booleans()):
        lines += [
            "走郑云游云台",
            "",
            "凡购买门票可享受优惠，120元/人。",
            "欢迎游客！扫一扫 有惊喜",
            "",
        ]
    return "\n".join(lines) + "\n"


def _check(
    text: str, lang: str | None, date: dt.date | None, *, may_be_binary: bool = False
) -> None:
    meta = Metadata(paper="测试", date=date, page="1", lang=lang)
    data = text.encode("utf-8")
    try:
        first = convert_bytes(data, "page.txt", meta, Options())  # validates, or raises
    except DecodeError as exc:
        # The one clean refusal a UTF-8 page can get: mostly control bytes, i.e. not text.
        assert may_be_binary and "binary" in str(exc)
        return
    again = convert_bytes(data, "page.txt", meta, Options())
    assert first.data == again.data
    assert_lossless(text, first.data)
    tei_all = tei_all_validator()
    assert tei_all.validate(etree.ElementTree(etree.fromstring(first.data))), str(tei_all.error_log)


@SETTINGS
@given(raw_pages(), st.sampled_from([None, "zh-Hans", "en", "de"]))
def test_any_page_is_valid_lossless_deterministic(text: str, lang: str | None) -> None:
    # Bytes that read as UTF-16 without a byte order mark are read so (text and zero bytes:
    # tests/test_trust_encodings.py); every other page must convert or be refused as binary.
    assume(_utf16_without_bom(text.encode("utf-8")) is None)
    _check(text, lang, dt.date(2016, 12, 11), may_be_binary=True)


@SETTINGS
@given(
    st.lists(
        st.one_of(st.sampled_from(["", " ", "\t", "\u3000", " \u3000 "]), st.text(max_size=4)),
        max_size=25,
    )
)
def test_blocks_are_the_runs_of_non_blank_lines(texts: list[str]) -> None:
    """Each block is a run of consecutive non-blank lines, all of them in order, with the
    number of blank lines since the block before."""
    from converter.analyse.blocks import split_blocks
    from converter.model import Line

    lines = tuple(Line(n, t) for n, t in enumerate(texts, start=1))
    expected: list[tuple[list[int], int]] = []
    blanks, run = 0, []
    for line in lines:
        if line.text.strip():
            run.append(line.number)
            continue
        if run:
            expected.append((run, blanks))
            blanks, run = 0, []
        blanks += 1
    if run:
        expected.append((run, blanks))
    found = [([ln.number for ln in b.lines], b.blank_before) for b in split_blocks(lines)]
    assert found == expected


@given(realistic_pages(), st.sampled_from([dt.date(2016, 12, 11), dt.date(2017, 1, 3), None]))
def test_realistic_page_is_valid_lossless_deterministic(text: str, date: dt.date | None) -> None:
    _check(text, "zh-Hans", date)


@given(st.text(st.characters(codec="utf-8"), max_size=200))
def test_reader_lines(text: str) -> None:
    diagnostics = Diagnostics()
    lines = split_lines(text, diagnostics)
    assert [ln.number for ln in lines] == list(range(1, len(lines) + 1))
    for ln in lines:
        assert "\n" not in ln.text and "\r" not in ln.text
    rebuilt = "\n".join(ln.text for ln in lines)
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    if normal.endswith("\n"):
        normal = normal[:-1]
    assert len(rebuilt) == len(normal)
    for a, b in zip(rebuilt, normal, strict=True):
        assert a in (b, REPLACEMENT)
    touched = {d.line for d in diagnostics.items if d.code == "char.replaced"}
    illegal = {n for n, raw in enumerate(normal.split("\n"), start=1) if _XML_ILLEGAL.search(raw)}
    assert touched == (illegal if lines else set())


ZH = load_profile("zh")
DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


@given(st.integers(1, 99))
def test_chinese_numerals(n: int) -> None:
    assert parse_number(chinese(n), ZH.numerals) == n
    assert page_label(chinese(n), ZH.numerals) == str(n)


@given(st.integers(1, 999))
def test_fullwidth_digits(n: int) -> None:
    full = "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    assert page_label(full, ZH.numerals) == str(n)


@given(st.integers(1, 12), st.integers(1, 31), st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)))
def test_month_day_takes_the_issue_year(month: int, day: int, issue: dt.date) -> None:
    when = month_day_when(month, day, issue)
    if when is None:
        return
    value = dt.date.fromisoformat(when)
    assert (value.month, value.day) == (month, day)
    assert value.year in (issue.year, issue.year - 1)
    assert value.year == issue.year - 1 if month > issue.month else value.year == issue.year


@given(st.integers(1, 12), st.integers(1, 31))
def test_month_day_without_issue(month: int, day: int) -> None:
    when = month_day_when(month, day, None)
    if when is not None:
        assert when == f"--{month:02d}-{day:02d}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(realistic_pages(), min_size=1, max_size=3))
def test_issue_keeps_every_character(pages: list[str]) -> None:
    """issue.xml holds exactly the pages' characters; an article's come from its fragments."""
    import tempfile
    from pathlib import Path

    from converter.batch.issue import convert_issue
    from tests.helpers import expected_lines

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "issue.toml").write_text(
            'date = 2016-12-11\nlang = "zh-Hans"\n', encoding="utf-8"
        )
        for n, text in enumerate(pages, start=1):
            (folder / f"p{n}.txt").write_text(text, encoding="utf-8")
        result = convert_issue(folder)
    issue_root = etree.fromstring(result.documents[0].data)
    body = issue_root.find("{*}text/{*}body")
    assert body is not None
    got = sorted(c for c in "".join(body.itertext()) if not c.isspace())
    want = sorted(
        c
        for text in pages
        for line in expected_lines(text).values()
        for c in line
        if not c.isspace()
    )
    assert got == want
    fragments = {
        d.get("{http://www.w3.org/XML/1998/namespace}id"): "".join(d.itertext())
        for d in issue_root.iter("{*}div")
        if d.get("type") == "article"
    }
    tei_all = tei_all_validator()
    for document in result.documents[1:]:
        root = etree.fromstring(document.data)
        assert tei_all.validate(etree.ElementTree(root)), str(tei_all.error_log)
        doc_divs = [d for d in root.iter("{*}div") if d.get("type") == "article"]
        for d in doc_divs:
            assert (
                "".join(d.itertext())
                == fragments[d.get("{http://www.w3.org/XML/1998/namespace}id")]
            )


@given(st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), max_size=40))
def test_median_is_the_statistics_median(values: list[float]) -> None:
    import statistics

    from converter.analyse.content import median

    assert median(values) == (statistics.median(values) if values else 0.0)


#: Characters that decide how two lines join: white space (the ideographic space is wide),
#: hyphens, wide and narrow letters, punctuation and digits on either side.
JOIN_EDGE = st.sampled_from(
    [
        *(" ", "\u3000", "\t", "-", "\u00ad", "中", "，", "。", "“", "a", "Z", "1", "é"),
        *("…", "ｱ", "\U00020000", "가", "Ж", "ｍ", "Ａ"),
    ]
)
JOIN_LINES = st.lists(
    st.lists(st.one_of(JOIN_EDGE, ANY_CHAR.filter(lambda c: c not in "\n\r")), max_size=6).map(
        "".join
    ),
    min_size=1,
    max_size=8,
)


@settings(SETTINGS, max_examples=400)
@given(JOIN_LINES, st.lists(st.booleans(), min_size=8, max_size=8))
@example(["a\u3000", "\u3000b"], [False] * 8)  # the ideographic space is wide white space
@example(["pub-", " lic", "中 ", " x"], [False] * 8)
@example(["我们看到了e-", "ｍａｉｌ地址"], [False] * 8)  # full-width lower case goes on a word
def test_line_joins_are_the_rules(texts: list[str], column_breaks: list[bool]) -> None:
    """Each line after the first joins the one before it as the rules say: a word broken by a
    hyphen, a joining space between two Latin lines, or nothing; a column break stands only
    where one was asked for."""
    from converter.analyse import content
    from converter.model import Line

    lines = [Line(number=n, text=text) for n, text in enumerate(texts, start=1)]
    breaks = {k for k, cb in enumerate(column_breaks[: len(texts)]) if cb and k}
    pieces = content.make_content(lines, ZH.hyphens, breaks).pieces
    assert [(p.line, p.text) for p in pieces] == [(ln.number, ln.text) for ln in lines]
    for k, piece in enumerate(pieces):
        assert piece.line_start and piece.column_break == (k in breaks)
        if k == 0:
            assert not (piece.joined or piece.space_before)
            continue
        before, text = texts[k - 1].rstrip(), texts[k]
        joined = content.hyphen_break(before, text, ZH.hyphens)
        assert piece.joined == joined
        assert piece.space_before == (
            not joined and not content.joins_stripped(before, text.lstrip())
        )


@settings(SETTINGS, max_examples=300)
@given(
    JOIN_LINES.flatmap(
        lambda texts: st.tuples(
            st.just(texts),
            st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)),
            st.lists(st.sampled_from([None, "endmark"]), min_size=len(texts), max_size=len(texts)),
        )
    ),
)
@example((["中文。", "\u3000\u3000段落", "pub-", "lic"], [False] * 4, [None] * 4))
def test_paragraph_pieces_join_as_the_whole_run_joins(
    case: tuple[list[str], list[bool], list[str | None]],
) -> None:
    """Cut into paragraphs, the lines keep the joins, joining spaces and column breaks the
    whole run gives them; a paragraph's first line joins nothing; a column break stands only
    where a blank line was."""
    from converter.analyse import articles, content
    from converter.analyse.labels import LabelledLine
    from converter.model import Line, Piece

    texts, blanks, ends = case
    profile = load_profile("zh")
    lines = [
        LabelledLine(Line(n, t), "text", 0, b and n > 1, False, e, content.width(t.strip()))
        for n, (t, b, e) in enumerate(zip(texts, blanks, ends, strict=True), start=1)
    ]
    paras = articles.paragraphs(lines, profile)
    flat = [piece for para in paras for piece in para.pieces]
    assert [(p.line, p.text) for p in flat] == [(ln.line.number, ln.line.text) for ln in lines]
    assert all(p.line_start for p in flat)
    firsts = {para.pieces[0].line for para in paras}
    breaks = {k for k, p in enumerate(flat) if p.column_break}
    assert all(lines[k].blank_before for k in breaks)
    whole = content.make_content([ln.line for ln in lines], ZH.hyphens, breaks).pieces
    for piece, expected in zip(flat, whole, strict=True):
        if piece.line in firsts:
            assert piece == Piece(expected.line, expected.text)
        else:
            assert piece == expected


@st.composite
def labelled_runs(draw: st.DrawFn) -> list[tuple[str, int, bool, str | None]]:
    """(label, block, opens, end) for each line of a page."""
    out = []
    block = 0
    for _ in range(draw(st.integers(0, 30))):
        block += draw(st.sampled_from([0, 0, 1]))
        out.append(
            (
                draw(st.sampled_from(["text", "text", "text", "head", "credit"])),
                block,
                draw(st.sampled_from([False, False, False, True])),
                draw(st.sampled_from([None, None, None, "endmark", "next", "prev"])),
            )
        )
    return out


@SETTINGS
@given(labelled_runs())
def test_units_take_every_line_once_and_text_joins_the_open_body(
    rows: list[tuple[str, int, bool, str | None]],
) -> None:
    """Every line is in one unit, in page order; a text line starts a new body exactly when
    there is no open body (none yet, a headline or credit came between, or an end closed it),
    or it opens an article and the body has text already."""
    from converter.analyse.labels import LabelledLine
    from converter.analyse.units import Body, make_units
    from converter.model import Line

    profile = load_profile("zh")
    texts = ["正文一行，", "小标题", "本报记者 张三"]
    lines = [
        LabelledLine(Line(n, texts[n % 3]), label, block, False, opens, end, 5.0)
        for n, (label, block, opens, end) in enumerate(rows, start=1)
    ]
    units = make_units(lines, profile)
    placed = [ln for unit in units for ln in unit.lines]
    assert sorted(placed, key=lambda ln: ln.line.number) == lines
    home = {ln.line.number: unit for unit in units for ln in unit.lines}
    for k, ln in enumerate(lines):
        if ln.label != "text" or k == 0:
            continue
        before = lines[k - 1]
        unit = home[ln.line.number]
        assert isinstance(unit, Body)
        same = home[before.line.number] is unit
        if before.label == "text":
            # Two lines of text: one body, unless the first closed it or the second opens
            # a new article.
            assert same == (before.end not in ("endmark", "next") and not ln.opens), k
