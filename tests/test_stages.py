"""The analysis stages: named, in order, each a frozen result, each printable with --dump."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from click.testing import CliRunner

from converter.analyse.page import STAGES, Settings, analyse
from converter.analyse.units import Body, Credit, Heads
from converter.cli import main
from converter.model import Metadata
from converter.profile import load_profile
from converter.read.text import decode
from tests.golden import sample_pages

SEED = next(p for p in sample_pages() if "jiaozuo-daily" in str(p))

PAGE = (
    "\n"
    "市党政班子务虚会召开\n"
    "\n"
    "本报记者 张三\n"
    "本报讯 12月10日，市委召开会议，\n"
    "会议强调要抓好落实。①2\n"
    "\n"
    "会议召开\n"
)


def _results(data: str) -> dict[str, Any]:
    """Each stage's result, by running the table in order by hand."""
    text = decode(data.encode(), "p1.txt")
    settings = Settings(meta=Metadata(), lang="zh", profile=load_profile("zh"))
    out: dict[str, Any] = {}
    result: Any = text
    for name, stage in STAGES.items():
        result = stage(result, settings)
        out[name] = result
    return out


def test_the_stages_run_from_layout_to_articles() -> None:
    assert list(STAGES) == [
        "layout",
        "blocks",
        "labels",
        "units",
        "leaning",
        "attribution",
        "articles",
    ]


def test_every_stage_returns_a_frozen_value() -> None:
    for name, result in _results(PAGE).items():
        field = dataclasses.fields(result)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(result, field, None)
        assert isinstance(result.diagnostics, tuple), name


def test_each_stage_reads_the_page() -> None:
    results = _results(PAGE)
    assert [len(b.lines) for b in results["blocks"].blocks] == [1, 3, 1]
    labels = {ln.line.number: ln.label for ln in results["labels"].lines}
    assert labels == {2: "head", 4: "credit", 5: "text", 6: "text", 8: "head"}
    units = results["units"].units
    assert [type(u) for u in units] == [Heads, Credit, Body, Heads]
    assert units[2].closed  # the end mark ①2 closes the article
    assert results["leaning"].layout == "before"
    (article,) = results["attribution"].groups
    assert [ln.line.number for ln in article.heads] == [2, 8]
    assert [ln.line.number for ln in article.credits] == [4]
    (division,) = results["articles"].divisions
    assert division.type == "article" and division.xml_id == "a1"


def test_the_table_run_by_hand_gives_the_page_analyse_gives() -> None:
    text = decode(PAGE.encode(), "p1.txt")
    page = analyse(text, Metadata(), "zh", load_profile("zh"), keep_stages=True)
    assert page.stages.keys() == STAGES.keys()
    assert page.page.divisions == _results(PAGE)["articles"].divisions
    assert analyse(text, Metadata(), "zh", load_profile("zh")).stages == {}


@pytest.mark.parametrize("stage", list(STAGES))
def test_every_stage_can_be_dumped(stage: str) -> None:
    result = CliRunner().invoke(
        main, ["convert", str(SEED), "--dump", stage], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) > 5


def test_the_units_dump_shows_the_seed_page_s_first_article() -> None:
    result = CliRunner().invoke(main, ["convert", str(SEED), "--dump", "units"])
    assert result.stdout.splitlines()[:2] == [
        "body    1-235 closed",
        "heads   237-240: 市党政班子务虚会召开 / 分析研究明年工作 / 王小平主持会议",
    ]
