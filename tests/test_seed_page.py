"""The sample front page comes out as a reader of the printed page sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.golden import render
from tests.zh_pages import texts, xp

SEED = (
    Path(__file__).resolve().parent.parent / "samples" / "jiaozuo-daily" / "2016-12-11" / "p1.txt"
)


@pytest.fixture(scope="module")
def root() -> etree._Element:
    return etree.fromstring(render(SEED))


def test_six_articles_and_one_advertisement(root: etree._Element) -> None:
    types = [d.get("type") for d in xp(root, "/t:TEI/t:text/t:body/t:div")]
    assert types == ["article"] * 5 + ["advertisement", "article"]


def test_headlines(root: etree._Element) -> None:
    heads = [
        [(h.get("type"), "".join(h.itertext())) for h in xp(div, "t:head")]
        for div in xp(root, "//t:body/t:div[@type='article']")
    ]
    assert heads == [
        [("main", "市党政班子务虚会召开"), ("sub", "分析研究明年工作王小平主持会议")],
        [("main", "我市荣膺“中部崛起”最佳营商环境城市称号")],
        [("main", "维和烈士申亮亮英雄事迹将拍成电影")],
        [
            ("main", "辩论赛对焦作发展意义深远"),
            ("sub", "——访“近学许昌、远学扬州，早日跻身全省‘第一方阵’”辩论赛评委林世选"),
        ],
        [
            (
                "kicker",
                "一条高速 一小时生活圈 说走就走旅行更惬意别样体验 双城恰如一城 减压慢生活就在身边",
            ),
            ("main", "郑云高速开启云台休闲生活"),
        ],
        [
            ("kicker", "有效的监督形式 有力的工作抓手"),
            ("main", "我市市直机关领导班子述职评议大会反响强烈"),
        ],
    ]


def test_bylines(root: etree._Element) -> None:
    people = [
        [("".join(p.itertext()), p.get("role")) for p in xp(div, "t:opener/t:byline/t:persName")]
        for div in xp(root, "//t:body/t:div[@type='article']")
    ]
    assert people == [
        [("麻酩", "reporter")],
        [("李秋", "reporter"), ("周唐", "intern")],
        [("徐少波", "correspondent"), ("崔鹏", "correspondent")],
        [("岳 静", "reporter")],
        [("王言", "reporter"), ("程芳", "correspondent")],
        [("李新和", "reporter")],
    ]


def test_only_one_dateline(root: etree._Element) -> None:
    dates = xp(root, "//t:dateline/t:date")
    assert [(d.text, d.get("when")) for d in dates] == [("12月10日", "2016-12-10")]


def test_jumps_and_endmarks(root: etree._Element) -> None:
    refs = xp(root, "//t:ref")
    assert [(r.text, r.get("subtype"), r.get("n")) for r in refs] == [
        ("（下转二版）", "next", "2")
    ] * 2
    assert texts(root, "//t:trailer[@type='endmark']") == ["①2"] * 4


def test_intertitles(root: etree._Element) -> None:
    assert texts(root, "//t:div[@type='section']/t:head") == [
        "郑州：一小时可达云台大氧吧",
        "焦作：云台山舞起全域旅游龙头",
    ]


def test_advertisement_box(root: etree._Element) -> None:
    ad = xp(root, "//t:div[@type='advertisement']")[0]
    assert texts(ad, "t:head") == ["走郑云游云台过路费抵门票"]  # its title, above its text
    lines = [
        int(n) for n in ad.xpath(".//t:lb/@n", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    ]
    assert min(lines) == 465 and max(lines) == 485


def test_column_breaks_are_not_paragraphs(root: etree._Element) -> None:
    # 早日跻身全省 / blank / “第一方阵”的奋斗目标: one sentence across a column break.
    para = next(p for p in xp(root, "//t:p") if "跻身全省" in "".join(p.itertext()))
    assert "“第一方阵”的奋斗目标" in "".join(para.itertext())
    assert xp(para, "t:cb")
