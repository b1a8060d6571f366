"""Continuation references that open or close their own story, unresolved ones reported at
their own line, and ``text`` of documents of several pages (page by page, never merged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter import metadata
from converter.batch.issue import convert_issue
from converter.cli import main
from converter.errors import ExitCode
from converter.lines import recover_pages
from converter.pipeline import Options, convert_file
from tests.helpers import assert_lossless, expected_lines
from tests.zh_pages import xp

DATA = Path(__file__).resolve().parent / "data"
SPREAD = DATA / "zh-synthetic-spread-p4.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


# --- a page whose only jumps are a "continued from" and a "continued on" ---------------------


@pytest.fixture(scope="module")
def spread() -> etree._Element:
    meta = metadata.build({}, metadata.read_meta_file(SPREAD.with_suffix(".toml")))
    data = convert_file(SPREAD, meta, Options()).data
    assert_lossless(SPREAD.read_text(encoding="utf-8"), data)
    return etree.fromstring(data)


def _heads(div: etree._Element) -> list[str]:
    return ["".join(h.itertext()) for h in xp(div, "t:head")]


def test_each_headline_of_a_page_without_end_marks_opens_its_story(
    spread: etree._Element,
) -> None:
    """One "continued on" on a page whose stories end without marks does not turn the page's
    headlines into intertitles of one long story."""
    articles = xp(spread, "//t:div[@type='article']")
    mains = [h for div in articles for h in _heads(div)]
    for title in (
        "坚决支援秋收秋种",
        "新建水库开始蓄水",
        "夜校办得红红火火",
        "供销社送货下乡",
        "赤脚医生走村串户",
        "学习园地",
        "狠抓革命促进生产",
        "山区公路全线通车",
    ):
        assert title in mains
    assert xp(spread, "//t:div[@type='section']") == []
    assert len(articles) == 8


def test_continued_from_opens_and_continued_on_closes_its_own_story(
    spread: etree._Element,
) -> None:
    prev = xp(spread, "//t:ref[@subtype='prev']")
    nxt = xp(spread, "//t:ref[@subtype='next']")
    assert [r.get("n") for r in prev] == ["3"] and [r.get("n") for r in nxt] == ["2"]
    opened = xp(prev[0], "ancestor::t:div[@type='article']")[0]
    closed = xp(nxt[0], "ancestor::t:div[@type='article']")[0]
    assert opened is not closed
    assert _heads(opened) == ["狠抓革命促进生产"]
    assert _heads(closed) == ["山区公路全线通车"]
    # The "continued from" begins its story's text; the "continued on" ends its story.
    assert "".join(xp(opened, "t:p")[0].itertext()).startswith("（上接第三版）")
    assert "".join(closed.itertext()).rstrip().endswith("（下转第二版）")
    text = SPREAD.read_text(encoding="utf-8")
    first = min(int(lb.get("n", "0")) for lb in xp(opened, ".//t:lb"))
    assert first == _line_of(text, "狠抓革命促进生产")


# --- unresolved jumps in an issue --------------------------------------------------------------

P1 = (
    "本报讯（记者张三） 12月10日，市委召开\n"
    "全市经济工作会议，总结今年的工作，部\n"
    "署明年的任务。会议指出，今年全市经济\n"
    "运行总体平稳，（下转二版）\n"
    "\n"
    "市委召开经济工作会议\n"
    "\n"
    "本报讯（记者李四） 12月10日，全市冬季\n"
    "植树造林活动在城北启动，数千名干部群\n"
    "众参加了义务植树劳动，共栽下树苗两万\n"
    "余株，（下转二版）\n"
    "\n"
    "冬季植树活动启动\n"
)
P2 = (
    "（上接一版）各项指标完成良好，明年要继\n"
    "续坚持稳中求进，狠抓项目建设和民生改\n"
    "善，确保全年目标任务圆满完成。会议还对\n"
    "全市经济工作作了全面部署。①2\n"
    "\n"
    "市委召开经济工作会议\n"
)


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    folder = tmp_path / "2016-12-11"
    folder.mkdir()
    (folder / "p1.txt").write_text(P1, encoding="utf-8")
    (folder / "p2.txt").write_text(P2, encoding="utf-8")
    (folder / "issue.toml").write_text('paper = "测试日报"\ndate = 2016-12-11\n', "utf-8")
    return folder


def test_a_continued_on_whose_partner_continues_another_article_is_reported(
    issue: Path, tmp_path: Path
) -> None:
    result = convert_issue(issue)
    unresolved = [d for d in result.all_diagnostics() if d.code.startswith("jump.unresolved")]
    # The partner on page 2 repeats the first article's headline: the second is left over.
    assert [(d.code, d.line) for d in unresolved] == [
        ("jump.unresolved", _line_of(P1, "余株，（下转二版）"))
    ]
    assert result.unresolved == 1
    code, _, err = run("issue", str(issue), "-o", str(tmp_path / "out"))
    assert code == 0
    assert "1 unresolved" in err
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [d["line"] for d in report["issue_diagnostics"] if d["code"] == "jump.unresolved"] == [
        11
    ]


def test_unresolved_jumps_carry_their_own_line(tmp_path: Path) -> None:
    """A jump to a page not in the issue is reported at the jump's line, not at its article's
    first line."""
    folder = tmp_path / "issue"
    folder.mkdir()
    text = P1.replace("（下转二版）", "（下轉第四版）", 1)
    (folder / "p1.txt").write_text(text, encoding="utf-8")
    (folder / "p2.txt").write_text(P2, encoding="utf-8")
    result = convert_issue(folder)
    found = {
        (d.line, d.message)
        for d in result.all_diagnostics()
        if d.code.startswith("jump.unresolved")
    }
    assert (_line_of(text, "下轉第四版"), "page 1: continuation page 4 is not in this issue") in (
        found
    )
    assert all(line != 1 for line, _ in found)


# --- text of documents of several pages -------------------------------------------------------


def test_text_of_an_issue_is_page_by_page(issue: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("issue", str(issue), "-o", str(out))[0] == 0
    code, stdout, _ = run("text", str(out / "issue.xml"))
    assert code == 0
    want = [*expected_lines(P1).values(), *expected_lines(P2).values()]
    assert stdout.splitlines() == want
    code, stdout, _ = run("text", str(out / "issue.xml"), "--page", "2")
    assert (code, stdout.splitlines()) == (0, list(expected_lines(P2).values()))


def test_text_of_an_article_on_two_pages_keeps_page_order(issue: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("issue", str(issue), "-o", str(out))[0] == 0
    article = out / "articles" / "p1-a1.xml"
    pages = recover_pages(etree.parse(str(article)).getroot())
    assert [p.number for p in pages] == ["1", "2"]
    code, stdout, _ = run("text", str(article))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].startswith("本报讯（记者张三）")
    assert lines.index("（上接一版）各项指标完成良好，明年要继") > lines.index(
        "运行总体平稳，（下转二版）"
    )
    # Line 1 of page 1 and line 1 of page 2 are two lines, never one.
    assert not any("本报讯" in line and "上接" in line for line in lines)


def test_text_page_that_is_not_there(issue: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("issue", str(issue), "-o", str(out))[0] == 0
    code, stdout, err = run("text", str(out / "issue.xml"), "--page", "9")
    assert code == ExitCode.USAGE
    assert stdout == ""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no page '9'" in lines[0] and "1, 2" in lines[0]


def test_text_of_a_page_document_is_its_lines(tmp_path: Path) -> None:
    page = tmp_path / "p1.txt"
    page.write_text(P1, encoding="utf-8")
    out = tmp_path / "p1.xml"
    assert run("convert", str(page), "-o", str(out))[0] == 0
    code, stdout, _ = run("text", str(out))
    assert (code, stdout.splitlines()) == (0, list(expected_lines(P1).values()))
    code, stdout, _ = run("text", str(out), "--page", "1")
    assert (code, stdout.splitlines()) == (0, list(expected_lines(P1).values()))
