"""Metadata a user gets wrong, the page number a file name gives, and pages with nothing on
them: each with the exit code and output the README promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.batch.issue import convert_issue
from converter.cli import main
from converter.errors import ExitCode, MetadataError
from converter.validate import validate_bytes
from tests.zh_pages import xp

PAGE = "本报讯（记者王丹） 12月10日，市委召开会议。\n会议强调要抓好落实。①2\n\n会议召开\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str, *needles: str) -> None:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("paper = 5\n", "paper must be text"),
        ("place = 2016\n", "place must be text"),
        ("publisher = true\n", "publisher must be text"),
        ('paper = ["a", "b"]\n', "not an array"),
        ("edition = 1.5\n", "edition must be a number or text"),
        ("[paper]\nname = 'x'\n", "not a table"),
    ],
)
def test_a_value_of_the_wrong_type_is_bad_metadata(tmp_path: Path, toml: str, needle: str) -> None:
    page = tmp_path / "p1.txt"
    page.write_text(PAGE, encoding="utf-8")
    meta = tmp_path / "m.toml"
    meta.write_text(toml, encoding="utf-8")
    out = tmp_path / "o.xml"
    code, _, err = run("convert", str(page), "--meta", str(meta), "-o", str(out))
    assert code == ExitCode.METADATA
    one_line(err, "m.toml", needle)
    assert not out.exists()


def test_numbers_stay_allowed_where_they_are_numbers(tmp_path: Path) -> None:
    page = tmp_path / "p1.txt"
    page.write_text(PAGE, encoding="utf-8")
    meta = tmp_path / "m.toml"
    meta.write_text('paper = "测试日报"\nedition = 1\nvolume = 12\nnumber = 345\n', "utf-8")
    code, out, _ = run("convert", str(page), "--meta", str(meta))
    assert code == 0
    assert '<biblScope unit="volume" n="12">12</biblScope>' in out


def test_a_wrong_type_in_issue_toml_fails_the_issue(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "p1.txt").write_text(PAGE, encoding="utf-8")
    (folder / "issue.toml").write_text("paper = 5\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="paper must be text"):
        convert_issue(folder)
    code, _, err = run("issue", str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitCode.METADATA
    one_line(err, "issue.toml", "paper")


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_meta_file_that_is_not_there_is_a_missing_input_file(tmp_path: Path, kind: str) -> None:
    page = tmp_path / "p1.txt"
    page.write_text(PAGE, encoding="utf-8")
    meta = tmp_path / "m.toml"
    if kind == "directory":
        meta.mkdir()
    out = tmp_path / "o.xml"
    code, _, err = run("convert", str(page), "--meta", str(meta), "-o", str(out))
    assert code == ExitCode.INPUT
    one_line(err, "m.toml")
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "page"),
    [("p1.txt", "1"), ("page-02.txt", "2"), ("0003.txt", "3"), ("seite12.txt", "12")],
)
def test_convert_takes_the_page_number_from_the_file_name(
    tmp_path: Path, name: str, page: str
) -> None:
    path = tmp_path / name
    path.write_text(PAGE, encoding="utf-8")
    code, out, _ = run("convert", str(path))
    assert code == 0
    root = etree.fromstring(out.encode("utf-8"))
    assert [pb.get("n") for pb in xp(root, "//t:pb")] == [page]
    assert [d.get("{http://www.w3.org/XML/1998/namespace}id") for d in xp(root, "//t:div")] == [
        f"p{page}-a1"
    ]


@pytest.mark.parametrize("name", ["page.txt", "p0.txt", "scan-20161211.txt"])
def test_a_name_without_a_page_number_gives_none(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PAGE, encoding="utf-8")
    code, out, _ = run("convert", str(path))
    assert code == 0
    assert "<pb/>" in out and "p0-" not in out


def test_the_page_option_and_the_meta_file_win_over_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "p1.txt"
    path.write_text(PAGE, encoding="utf-8")
    assert '<pb n="4"/>' in run("convert", str(path), "--page", "4")[1]
    meta = tmp_path / "p1.toml"
    meta.write_text("page = 7\n", encoding="utf-8")
    assert '<pb n="7"/>' in run("convert", str(path), "--meta", str(meta))[1]


@pytest.mark.parametrize("text", ["", "\n\n", "  \n\u3000\n"])
def test_an_empty_page_is_reported_and_has_no_empty_title(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p1.txt"
    path.write_text(text, encoding="utf-8")
    out, report = tmp_path / "o.xml", tmp_path / "o.json"
    code, _, err = run("convert", str(path), "-o", str(out), "--report", str(report))
    assert code == 0
    assert "page.empty" in err and "page.empty" in report.read_text(encoding="utf-8")
    data = out.read_bytes()
    assert validate_bytes(data) == [] and validate_bytes(data, reference=True) == []
    root = etree.fromstring(data)
    for title in xp(root, "//t:title"):
        assert "".join(title.itertext()).strip(), etree.tostring(title)
    assert xp(root, "//t:monogr/t:title") == []  # the paper is not known


def test_an_article_without_a_headline_has_no_empty_title(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "p1.txt").write_text(
        "本报讯（记者王丹） 12月10日，市委召开会议。\n会议强调要抓好落实。①2\n", "utf-8"
    )
    result = convert_issue(folder)
    article = next(d for d in result.documents if d.kind == "article")
    root = etree.fromstring(article.data)
    assert xp(root, "//t:analytic/t:title") == []
    assert validate_bytes(article.data, reference=True) == []
