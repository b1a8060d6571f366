"""Two synthetic Chinese pages come out as a reader of the printed page would read them.

``tests/data/zh-synthetic-before-p2.txt``: page 2 of an imaginary daily (河川日报, 2016-12-11),
headlines BEFORE their bodies: the continuation of a front-page story, a wire story, a notice box,
a feature with a credit line of its own, a short report whose byline parenthesis breaks across
lines, and a long report with two intertitles continued on page 3.

``tests/data/zh-synthetic-after-p1.txt``: the front page of another imaginary daily (濱江日報,
2016-12-11) in Traditional characters, headlines AFTER their bodies as on the sample page: six
articles, among them a 據新華社電 item, and an advertisement box between two articles.

Each page is read with the metadata file beside it. Every article is found by a line of its body
(``anchor``), so one misread article does not hide how the others came out.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from converter import metadata
from converter.pipeline import Options, Result, convert_file
from tests.helpers import assert_lossless
from tests.zh_pages import xp

DATA = Path(__file__).resolve().parent / "data"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Art:
    """What the author of a page means one article to be."""

    name: str
    anchor: int  # a line of the article's running text
    heads: tuple[tuple[str, str], ...]  # (type, text) in document order
    persons: tuple[tuple[str, str], ...] = ()  # (name without padding, role)
    dates: tuple[str, ...] = ()  # date/@when in the opener's dateline
    wire: tuple[str, str | None] | None = None  # (orgName, placeName) of a wire dateline
    trailer: str | None = None  # the end mark
    sections: tuple[str, ...] = ()  # intertitles, in order
    refs: tuple[tuple[str, str], ...] = ()  # (subtype, n) of continuation references
    paragraphs: tuple[int, ...] = ()  # the line on which each paragraph begins
    column_breaks: tuple[int, ...] = ()  # the line that follows each cb


@dataclass(frozen=True)
class Page:
    name: str
    file: str
    layout: str
    lang: str
    divs: tuple[str, ...]
    articles: tuple[Art, ...]
    boxes: tuple[tuple[str, tuple[int, ...]], ...]  # (div type, its lines)
    refs: tuple[tuple[str, str, str], ...]  # (printed text, subtype, n), page order


BEFORE_P2 = Page(
    name="before-p2",
    file="zh-synthetic-before-p2.txt",
    layout="before",
    lang="zh-Hans",
    divs=("article", "article", "notice", "article", "article", "article"),
    articles=(
        Art(
            name="continuation",
            anchor=4,
            heads=(("main", "我市多措并举保障群众温暖过冬"),),
            trailer="②3",
            refs=(("prev", "1"),),
            paragraphs=(3, 9, 19, 26, 35),
            column_breaks=(29,),
        ),
        Art(
            name="wire",
            anchor=50,
            heads=(
                ("kicker", "抢抓冬春有利时机"),
                ("main", "全国农田水利建设掀起新热潮"),
                ("sub", "——已累计完成投资1200亿元"),
            ),
            persons=(("林小溪", "reporter"), ("赵志远", "reporter")),
            dates=("2016-12-10",),
            wire=("新华社", "北京"),
            paragraphs=(48, 56, 64),
            column_breaks=(70,),
        ),
        Art(
            name="credit-line",
            anchor=93,
            heads=(("main", "老街巷里飘出“暖心饭香”"), ("sub", "——东关街道社区老年助餐点见闻")),
            persons=(("王丹", "reporter"),),
            trailer="②3",
            paragraphs=(92, 99, 107, 118, 127),
            column_breaks=(120,),
        ),
        Art(
            name="byline-across-lines",
            anchor=137,
            heads=(("kicker", "群众出行再添便利"), ("main", "河川至青石城际公交正式开通")),
            persons=(("孙晓东", "reporter"), ("郑雨欣", "correspondent")),
            dates=("2016-12-10",),
            trailer="②3",
            paragraphs=(136, 142, 150, 155),
            column_breaks=(160,),
        ),
        Art(
            name="intertitles",
            anchor=170,
            heads=(("kicker", "小产业撬动大民生"), ("main", "特色产业“暖”了乡村冬日经济")),
            persons=(("刘洋", "reporter"), ("黄晓", "intern")),
            sections=("青石县：大棚蔬菜鼓起钱袋子", "柳河镇：直播带货打开新销路"),
            refs=(("next", "3"),),
            paragraphs=(169, 180, 185, 192, 199, 206, 214),
            column_breaks=(218,),
        ),
    ),
    boxes=(("notice", (72, 74, 75, 76, 78, 79, 80, 82, 83, 84)),),
    refs=(("（上接一版）", "prev", "1"), ("（下转第3版）", "next", "3")),
)

AFTER_P1 = Page(
    name="after-p1",
    file="zh-synthetic-after-p1.txt",
    layout="after",
    lang="zh-Hant",
    divs=("article", "article", "article", "article", "advertisement", "article", "article"),
    articles=(
        Art(
            name="lead",
            anchor=3,
            heads=(("main", "全市重點項目建設觀摩推進會召開"), ("sub", "陳立新講話 趙國華主持")),
            persons=(("周明遠", "reporter"),),
            dates=("2016-12-10",),
            trailer="①2",
            paragraphs=(2, 8, 17, 28, 37, 41),
            column_breaks=(31,),
        ),
        Art(
            name="relative-date",
            anchor=50,
            heads=(("main", "我市被命名為“省級園林城市”"),),
            persons=(("林曉", "reporter"), ("何佳", "intern")),
            trailer="①2",
            paragraphs=(49, 55, 67),
            column_breaks=(71,),
        ),
        Art(
            name="credit-line",
            anchor=80,
            heads=(
                ("main", "寒冬裡的“暖心驛站”"),
                ("sub", "——記我市為戶外勞動者設立的愛心休息室"),
            ),
            persons=(("陳靜", "reporter"),),
            trailer="①2",
            paragraphs=(79, 87, 95, 102),
            column_breaks=(105,),
        ),
        Art(
            name="wire",
            anchor=114,
            heads=(("main", "全民健身冰雪季活動即將啟動"),),
            wire=("新華社", None),
            trailer="①2",
            paragraphs=(113, 121),
        ),
        Art(
            name="after-advertisement",
            anchor=151,
            heads=(("main", "濱江一中“冬季長跑月”開跑"),),
            persons=(("張文博", "correspondent"), ("王曉燕", "correspondent")),
            dates=("2016-12-09",),
            trailer="①2",
            paragraphs=(150, 156, 164),
        ),
        Art(
            name="continued",
            anchor=172,
            heads=(
                ("kicker", "產業轉型提速 發展動能增強"),
                ("main", "我市新興產業產值首次突破千億元"),
            ),
            persons=(("吳海峰", "reporter"), ("郭麗", "correspondent")),
            refs=(("next", "2"),),
            paragraphs=(171, 179, 187, 193, 201),
            column_breaks=(183, 197),
        ),
    ),
    boxes=(
        (
            "advertisement",
            (130, 131, 133, 134, 135, 136, 137, 139, 140, 141, 143, 145, 147),
        ),
    ),
    refs=(("（下轉二版）", "next", "2"),),
)

PAGES = (BEFORE_P2, AFTER_P1)

# Where the converter reads a page otherwise than its reader: (page, article, aspect) → why.
# An empty article name marks a test of the whole page.
KNOWN: dict[tuple[str, str, str], str] = {}


def _mark(page: Page, art: Art, aspect: str) -> pytest.MarkDecorator | tuple[()]:
    reason = KNOWN.get((page.name, art.name, aspect))
    return pytest.mark.xfail(strict=True, reason=reason) if reason else ()


def _cases(aspect: str) -> Sequence[object]:
    return [
        pytest.param(page, art, id=f"{page.name}-{art.name}", marks=_mark(page, art, aspect))
        for page in PAGES
        for art in page.articles
    ]


def _page_cases(aspect: str) -> Sequence[object]:
    cases = []
    for page in PAGES:
        reason = KNOWN.get((page.name, "", aspect))
        marks = pytest.mark.xfail(strict=True, reason=reason) if reason else ()
        cases.append(pytest.param(page, id=page.name, marks=marks))
    return cases


# --- conversion --------------------------------------------------------------------------------


@functools.cache
def _result(file: str) -> Result:
    page = DATA / file
    meta_file = page.with_suffix(".toml")
    meta = metadata.build({}, metadata.read_meta_file(meta_file), source=str(meta_file))
    return convert_file(page, meta, Options())


def _root(page: Page) -> etree._Element:
    return etree.fromstring(_result(page.file).data)


def _text(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


def _lb(root: etree._Element, line: int) -> etree._Element:
    found = xp(root, f"//t:body//t:lb[@n='{line}']")
    assert len(found) == 1, f"line {line}: {len(found)} lb elements"
    return found[0]


def _article(root: etree._Element, art: Art) -> etree._Element:
    """The top-level article division that holds the anchor line of ``art``."""
    found = xp(_lb(root, art.anchor), "ancestor::t:div[parent::t:body]")
    assert found, f"line {art.anchor} is in no division"
    assert found[0].get("type") == "article", f"line {art.anchor} is in a {found[0].get('type')}"
    return found[0]


def _start_line(p: etree._Element) -> int:
    """The input line on which the text of a paragraph begins."""

    def walk(node: etree._Element) -> Iterator[tuple[str, str]]:
        if node.tag == TEI + "lb":
            yield "lb", node.get("n", "")
        if node.text:
            yield "text", node.text
        for child in node:
            if isinstance(child.tag, str):
                yield from walk(child)
            if child.tail:
                yield "text", child.tail

    for kind, value in walk(p):
        if kind == "lb":
            return int(value)
        if value.strip():
            break
    return int(xp(p, "preceding::t:lb[1]")[0].get("n", ""))


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", _page_cases("layout"))
def test_layout_and_language(page: Page) -> None:
    result = _result(page.file)
    assert result.analysis.layout == page.layout
    assert _root(page).get(XML_LANG) == page.lang


@pytest.mark.parametrize("page", _page_cases("divs"))
def test_division_types(page: Page) -> None:
    root = _root(page)
    assert [d.get("type") for d in xp(root, "/t:TEI/t:text/t:body/t:div")] == list(page.divs)


@pytest.mark.parametrize("page", _page_cases("refs"))
def test_continuation_references(page: Page) -> None:
    refs = xp(_root(page), "//t:body//t:ref")
    got = [(_text(r), r.get("type"), r.get("subtype"), r.get("n"), r.get("target")) for r in refs]
    assert got == [(text, "continuation", sub, n, None) for text, sub, n in page.refs]


@pytest.mark.parametrize("page", _page_cases("boxes"))
def test_boxes_are_not_inside_articles(page: Page) -> None:
    root = _root(page)
    for kind, lines in page.boxes:
        holders = set()
        for line in lines:
            lb = _lb(root, line)
            assert not xp(lb, "ancestor::t:div[@type='article']"), f"line {line} is in an article"
            holder = xp(lb, "ancestor::t:div[parent::t:body]")
            assert holder and holder[0].get("type") == kind, f"line {line} is not in a {kind}"
            holders.add(id(holder[0]))
        assert len(holders) == 1, f"the {kind}'s lines are split over {len(holders)} divisions"
        box = xp(_lb(root, lines[0]), "ancestor::t:div[parent::t:body]")[0]
        numbers = sorted(int(lb.get("n", "")) for lb in xp(box, ".//t:lb"))
        assert numbers == sorted(lines), f"the {kind} holds lines {numbers}"


@pytest.mark.parametrize("page", _page_cases("dates"))
def test_no_date_outside_openers(page: Page) -> None:
    stray = xp(_root(page), "//t:body//t:date[not(ancestor::t:opener)]")
    assert [_text(d) for d in stray] == []


@pytest.mark.parametrize("page", _page_cases("lossless"))
def test_lossless(page: Page) -> None:
    path = DATA / page.file
    assert_lossless(path.read_text(encoding="utf-8"), _result(page.file).data)


@pytest.mark.parametrize("page", _page_cases("tei_all"))
def test_valid_against_tei_all(page: Page, tei_all: etree.RelaxNG) -> None:
    root = _root(page)
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log.last_error


# --- each article ------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "art"), _cases("heads"))
def test_heads(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    heads = xp(div, "t:head")
    assert [(h.get("type"), _text(h)) for h in heads] == list(art.heads)
    children = [c for c in div if isinstance(c.tag, str)]
    assert children[: len(heads)] == heads, "headlines are not first in the article"


@pytest.mark.parametrize(("page", "art"), _cases("byline"))
def test_byline_persons(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    people = xp(div, ".//t:persName")
    got = [("".join(_text(p).split()), p.get("role")) for p in people]
    assert got == list(art.persons)
    assert all(xp(p, "ancestor::t:byline/parent::t:opener") for p in people)


@pytest.mark.parametrize(("page", "art"), _cases("dateline"))
def test_dateline(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    assert [d.get("when") for d in xp(div, "t:opener/t:dateline/t:date")] == list(art.dates)
    got = [
        (_text(org), next((_text(place) for place in xp(org, "../t:placeName")), None))
        for org in xp(div, "t:opener/t:dateline/t:orgName")
    ]
    assert got == ([art.wire] if art.wire else [])


@pytest.mark.parametrize(("page", "art"), _cases("trailer"))
def test_end_mark(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    trailers = xp(div, ".//t:trailer")
    assert [(t.get("type"), _text(t)) for t in trailers] == (
        [("endmark", art.trailer)] if art.trailer else []
    )
    if trailers:
        assert div[-1].tag == TEI + "trailer", "the end mark does not close the article"


@pytest.mark.parametrize(("page", "art"), _cases("sections"))
def test_sections(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    sections = xp(div, "t:div")
    assert [s.get("type") for s in sections] == ["section"] * len(art.sections)
    assert [_text(s[0]) for s in sections] == list(art.sections)
    assert all(s[0].tag == TEI + "head" for s in sections)


@pytest.mark.parametrize(("page", "art"), _cases("refs"))
def test_article_references(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    refs = xp(div, ".//t:ref[@type='continuation']")
    assert [(r.get("subtype"), r.get("n")) for r in refs] == list(art.refs)


@pytest.mark.parametrize(("page", "art"), _cases("paragraphs"))
def test_paragraphs_and_column_breaks(page: Page, art: Art) -> None:
    div = _article(_root(page), art)
    assert [_start_line(p) for p in xp(div, ".//t:p")] == list(art.paragraphs)
    after_cb = [int(xp(cb, "following::t:lb[1]")[0].get("n", "")) for cb in xp(div, ".//t:cb")]
    assert after_cb == list(art.column_breaks)
