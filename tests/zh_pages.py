"""Small Chinese pages for rule tests: body text long enough to look like running text."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from converter.model import Metadata
from converter.pipeline import Options, Result, convert_bytes

NS = {"t": "http://www.tei-c.org/ns/1.0"}

# Running text in a 15-character column, paragraphs ending short with 。
BODY_A = (
    "市委召开常委会议，传达学习中央经济\n"
    "工作会议精神，研究部署我市明年经济\n"
    "工作。会议指出，要坚持稳中求进工作\n"
    "总基调，推动高质量发展。\n"
    "会议强调，各级各部门要切实把思想\n"
    "和行动统一到中央决策部署上来，确保\n"
    "各项工作落到实处。"
)
BODY_B = (
    "全市冬季旅游推介会在市会展中心举\n"
    "行，各县区文旅部门负责人参加活动，\n"
    "推出冰雪线路十余条。活动现场人头攒\n"
    "动，游客纷纷咨询线路和景点情况。\n"
    "据介绍，今年冬季将开展系列活动，\n"
    "进一步丰富群众文化生活。"
)
BODY_C = (
    "我市中小学生体质健康监测结果发布，\n"
    "优良率较去年提高三个百分点，体育\n"
    "课程改革成效明显。市教育局负责人\n"
    "表示，将继续保障学生每天锻炼一小\n"
    "时，促进学生全面发展。"
)


def convert(
    text: str,
    *,
    date: dt.date | None = dt.date(2016, 12, 11),
    page: str | None = "1",
    lang: str | None = "zh-Hans",
    headlines: str = "auto",
) -> tuple[etree._Element, Result]:
    meta = Metadata(paper="测试日报", date=date, page=page, lang=lang)
    result = convert_bytes(text.encode("utf-8"), "page.txt", meta, Options(headlines=headlines))  # type: ignore[arg-type]
    return etree.fromstring(result.data), result


def xp(root: etree._Element, path: str) -> list[etree._Element]:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [e for e in found if isinstance(e, etree._Element)]


def texts(root: etree._Element, path: str) -> list[str]:
    """Text content of matches, without lb/cb markup."""
    return ["".join(e.itertext()) for e in xp(root, path)]


def codes(result: Result) -> list[str]:
    return [d.code for d in result.analysis.page.diagnostics]
