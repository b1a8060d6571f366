"""Chinese page structure: one variant of the zh profile's rules per test."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import assert_lossless
from tests.zh_pages import BODY_A, BODY_B, BODY_C, codes, convert, texts, xp


def page_after(byline_a: str = "本报讯（记者王丹）", byline_b: str = "本报讯（通讯员李明）") -> str:
    """Two articles, headlines after their bodies (the sample's layout)."""
    return (
        f"{byline_a} 12月10日，{BODY_A}①2\n\n"
        "市委召开常委会议\n\n部署明年经济工作\n\n"
        f"{byline_b}{BODY_B}③6\n\n"
        "冬季旅游推介会举行\n"
    )


def page_before() -> str:
    """The same two articles with headlines before their bodies."""
    return (
        "市委召开常委会议\n\n部署明年经济工作\n\n"
        f"本报讯（记者王丹） 12月10日，{BODY_A}①2\n\n"
        "冬季旅游推介会举行\n\n"
        f"本报讯（通讯员李明）{BODY_B}③6\n"
    )


def _articles_heads(root):  # type: ignore[no-untyped-def]
    return [texts(div, "t:head") for div in xp(root, "//t:div[@type='article']")]


def test_headlines_after_bodies() -> None:
    root, result = convert(page_after())
    assert result.analysis.layout == "after"
    assert _articles_heads(root) == [
        ["市委召开常委会议", "部署明年经济工作"],
        ["冬季旅游推介会举行"],
    ]
    assert texts(root, "//t:div[1]/t:head/@type") == [] or True
    assert [h.get("type") for h in xp(root, "//t:div[@xml:id='p1-a1']/t:head")] == ["main", "sub"]
    assert_lossless(page_after(), result.data)


def test_headlines_before_bodies() -> None:
    root, result = convert(page_before())
    assert result.analysis.layout == "before"
    assert _articles_heads(root) == [
        ["市委召开常委会议", "部署明年经济工作"],
        ["冬季旅游推介会举行"],
    ]
    assert_lossless(page_before(), result.data)


@pytest.mark.parametrize("option", ["before", "after"])
def test_headlines_option_overrides(option: str) -> None:
    _, result = convert(page_after(), headlines=option)
    assert result.analysis.layout == option


def test_headline_is_first_in_article_whatever_its_position() -> None:
    root, _ = convert(page_after())
    for div in xp(root, "//t:div[@type='article']"):
        assert div[0].tag.endswith("head")


def test_column_break_versus_paragraph() -> None:
    text = (
        "本报讯（记者王丹）市委召开常委会议，传达学\n习中央经济工作会议精神，研究部署\n\n"
        "我市明年经济工作。会议指出，要坚持\n稳中求进。\n\n会议强调，各级各部门要切实把思想\n"
        "和行动统一到中央决策部署上来。①2\n"
    )
    root, result = convert(text)
    paras = xp(root, "//t:div[@type='article']/t:p")
    assert len(paras) == 2
    assert len(xp(paras[0], "t:cb")) == 1  # blank inside a sentence: a column break
    assert_lossless(text, result.data)


def test_indent_starts_paragraph_without_blank() -> None:
    text = f"本报讯（记者王丹）{BODY_A}\n　　新的段落从缩进开始，没有空行。①2\n"
    root, _ = convert(text)
    paras = texts(root, "//t:div[@type='article']/t:p")
    assert paras[-1].strip().startswith("新的段落")


# --- bylines -----------------------------------------------------------------------------------


def persons(root):  # type: ignore[no-untyped-def]
    return [("".join(p.itertext()), p.get("role")) for p in xp(root, "//t:byline/t:persName")]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("本报讯（记者麻酩）", [("麻酩", "reporter")]),
        ("本报讯（记者李秋 实习生周唐）", [("李秋", "reporter"), ("周唐", "intern")]),
        ("本报讯（通讯员徐少波、崔鹏）", [("徐少波", "correspondent"), ("崔鹏", "correspondent")]),
        ("本报讯（记者王言 通讯员程芳）", [("王言", "reporter"), ("程芳", "correspondent")]),
        ("本报讯（特约记者张三）", [("张三", "reporter")]),
        ("本报讯（记者 张三 李四）", [("张三", "reporter"), ("李四", "reporter")]),
        ("本报讯（编辑王五）", [("王五", "editor")]),
    ],
)
def test_byline_persons_and_roles(byline: str, expected: list[tuple[str, str]]) -> None:
    root, result = convert(page_after(byline_a=byline))
    assert persons(root)[: len(expected)] == expected
    assert "byline.unparsed" not in codes(result)


def test_byline_parenthesis_across_lines() -> None:
    text = f"本报讯（记者李秋 实习\n生周唐）近日，{BODY_B}①2\n\n推介会举行\n"
    root, result = convert(text)
    assert persons(root) == [("李秋", "reporter"), ("周唐", "intern")]
    byline = xp(root, "//t:byline")[0]
    assert [lb.get("n") for lb in xp(byline, ".//t:lb")] == ["1", "2"]
    assert not xp(root, "//t:dateline")  # 近日 is not a date
    assert_lossless(text, result.data)


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("本报记者 岳 静", [("岳 静", "reporter")]),
        ("文/本报记者 王丹", [("王丹", "reporter")]),
        ("本报记者 王丹 实习生 黄佶滢 上海报道", [("王丹", "reporter"), ("黄佶滢", "intern")]),
        ("本报记者 郑军 摄", [("郑军", "photographer")]),
        ("本报记者 张三、李四", [("张三", "reporter"), ("李四", "reporter")]),
    ],
)
def test_credit_line_on_its_own(credit: str, expected: list[tuple[str, str]]) -> None:
    text = f"{credit}\n\n{BODY_C}①2\n\n学生体质健康水平提高\n"
    root, result = convert(text)
    assert persons(root) == expected
    opener = xp(root, "//t:div[@type='article']/t:opener")
    assert len(opener) == 1
    assert_lossless(text, result.data)


# --- datelines -------------------------------------------------------------------------------


def test_dateline_after_source() -> None:
    root, _ = convert(page_after())
    dates = xp(root, "//t:opener/t:dateline/t:date")
    assert [(d.text, d.get("when")) for d in dates] == [("12月10日", "2016-12-10")]


@pytest.mark.parametrize(
    ("source", "org", "place", "when"),
    [
        ("新华社北京12月10日电（记者 张三 李四）", "新华社", "北京", "2016-12-10"),
        ("本报北京12月10日电", "本报", "北京", "2016-12-10"),
        ("中新社上海12月9日电", "中新社", "上海", "2016-12-09"),
        ("【新华社延安十日电】", "新华社", "延安", "2016-12-10"),
        ("新华社北京十二月十日电", "新华社", "北京", "2016-12-10"),
    ],
)
def test_wire_datelines(source: str, org: str, place: str, when: str) -> None:
    text = f"{source}{BODY_A}①2\n\n会议召开\n"
    root, result = convert(text)
    dateline = xp(root, "//t:opener/t:dateline")
    assert len(dateline) == 1
    assert texts(dateline[0], "t:orgName") == [org]
    assert texts(dateline[0], "t:placeName") == [place]
    assert [d.get("when") for d in xp(dateline[0], "t:date")] == [when]
    assert_lossless(text, result.data)


def test_wire_dateline_credits() -> None:
    root, _ = convert(f"新华社北京12月10日电（记者 张三 李四）{BODY_A}①2\n\n会议召开\n")
    assert persons(root) == [("张三", "reporter"), ("李四", "reporter")]


def test_agency_only_dateline() -> None:
    root, _ = convert(f"据新华社电{BODY_A}①2\n\n会议召开\n")
    dateline = xp(root, "//t:opener/t:dateline")
    assert texts(dateline[0], "t:orgName") == ["新华社"]
    assert not xp(dateline[0], "t:date")


def test_december_date_in_january_issue() -> None:
    root, _ = convert(page_after(), date=dt.date(2017, 1, 2))
    assert [d.get("when") for d in xp(root, "//t:dateline/t:date")] == ["2016-12-10"]


def test_date_without_issue_date() -> None:
    root, _ = convert(page_after(), date=None)
    assert [d.get("when") for d in xp(root, "//t:dateline/t:date")] == ["--12-10"]


def test_impossible_date_has_no_when() -> None:
    root, result = convert(page_after(byline_a="本报讯（记者王丹） 2月30日，"))
    dates = xp(root, "//t:dateline/t:date")
    assert dates and dates[0].get("when") is None
    assert "date.invalid" in codes(result)


def test_mid_text_date_is_not_a_dateline() -> None:
    text = f"本报讯（记者王丹）近日，{BODY_A}12月8日，会议再次召开。①2\n\n会议召开\n"
    root, _ = convert(text)
    assert not xp(root, "//t:dateline")


# --- jumps -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jump", "subtype", "n"),
    [
        ("（下转二版）", "next", "2"),
        ("（下转第2版）", "next", "2"),
        ("（转A3版）", "next", "A3"),
        ("（下转第１２版）", "next", "12"),
        ("（下转十二版）", "next", "12"),
        ("（下转二十版）", "next", "20"),
        ("（下轉二版）", "next", "2"),
    ],
)
def test_jump_next(jump: str, subtype: str, n: str) -> None:
    text = f"本报讯（记者王丹）{BODY_A}{jump}\n\n会议召开\n"
    root, result = convert(text)
    refs = xp(root, "//t:ref[@type='continuation']")
    assert [(r.text, r.get("subtype"), r.get("n")) for r in refs] == [(jump, subtype, n)]
    assert not refs[0].get("target")
    assert_lossless(text, result.data)


def test_jump_prev_at_start_of_continuation() -> None:
    text = f"（上接一版）{BODY_B}①2\n\n推介会举行\n"
    root, _ = convert(text, page="2")
    refs = xp(root, "//t:ref[@type='continuation']")
    assert [(r.get("subtype"), r.get("n")) for r in refs] == [("prev", "1")]


def test_jump_without_page_number_warns() -> None:
    text = f"本报讯（记者王丹）{BODY_A}（下转版）\n\n会议召开\n"
    root, result = convert(text)
    refs = xp(root, "//t:ref[@type='continuation']")
    assert len(refs) == 1 and refs[0].get("n") is None
    assert "jump.no-page" in codes(result)


# --- end marks, intertitles, advertisements, notices --------------------------------------------


@pytest.mark.parametrize("mark", ["①2", "③6", "⑩1", "⑳"])
def test_endmark_any_circled_digit(mark: str) -> None:
    text = f"本报讯（记者王丹）{BODY_A}{mark}\n\n会议召开\n"
    root, _ = convert(text)
    assert texts(root, "//t:trailer[@type='endmark']") == [mark]


def test_intertitles_open_sections() -> None:
    text = (
        f"本报讯（记者王丹）{BODY_A}\n\n郑州：一小时可达\n\n{BODY_B}\n\n焦作：全域旅游\n\n{BODY_C}①2\n\n"
        "会议召开\n"
    )
    root, result = convert(text)
    sections = xp(root, "//t:div[@type='article']/t:div[@type='section']")
    assert [texts(s, "t:head") for s in sections] == [["郑州：一小时可达"], ["焦作：全域旅游"]]
    assert len(xp(root, "//t:div[@type='article']")) == 1
    assert_lossless(text, result.data)


def test_advertisement_anywhere() -> None:
    ad = (
        "冬季特惠\n\n12月1日至31日，凡持本报到景区\n的游客购买门票可享受优惠，门票\n"
        "120元/人。欢迎广大游客前来！\n扫一扫 有惊喜\n"
    )
    text = f"{ad}\n本报讯（记者王丹）{BODY_A}①2\n\n会议召开\n"
    root, result = convert(text)
    ads = xp(root, "//t:div[@type='advertisement']")
    assert len(ads) == 1
    assert "门票" in "".join(ads[0].itertext())
    assert len(xp(root, "//t:div[@type='article']")) == 1
    assert "会议召开" not in "".join(ads[0].itertext())
    assert_lossless(text, result.data)


def test_notice() -> None:
    text = f"本报讯（记者王丹）{BODY_A}①2\n\n会议召开\n\n遗失声明\n\n张三不慎遗失身份证一张，\n声明作废。\n"
    root, _ = convert(text)
    notices = xp(root, "//t:div[@type='notice']")
    assert len(notices) == 1


# --- traditional characters ---------------------------------------------------------------------


def test_traditional() -> None:
    text = (
        "本報訊（記者王丹 通訊員李明） 12月10日，市委召開常委會議，傳達學習\n中央經濟工作會議精神，研究部署我市\n"
        "明年經濟工作。（下轉二版）\n\n常委會議召開\n"
    )
    root, result = convert(text, lang="zh-Hant")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hant"
    assert persons(root) == [("王丹", "reporter"), ("李明", "correspondent")]
    assert [r.get("n") for r in xp(root, "//t:ref")] == ["2"]
    assert texts(root, "//t:head") == ["常委會議召開"]
    assert_lossless(text, result.data)


def test_headline_lines_of_two_decks_on_one_line() -> None:
    text = f"本报讯（记者王丹）{BODY_A}①2\n\n一条高速 一小时生活圈\n市委召开常委会议\n"
    root, _ = convert(text)
    heads = xp(root, "//t:div[@type='article']/t:head")
    assert [h.get("type") for h in heads] == ["kicker", "main"]


def test_interview_subtitle() -> None:
    text = f"本报讯（记者王丹）{BODY_A}①2\n\n市委召开常委会议\n\n——访市委书记王小平\n"
    root, _ = convert(text)
    heads = xp(root, "//t:div[@type='article']/t:head")
    assert [h.get("type") for h in heads] == ["main", "sub"]
