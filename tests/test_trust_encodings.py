"""Encodings as archives hold them: short legacy pages, Big5 tagged as Traditional Chinese,
UTF-16 without a byte order mark, and an issue whose pages differ in encoding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.batch.issue import convert_issue
from converter.cli import main
from converter.errors import DecodeError, ExitCode
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.read.text import decode, encoding_script
from tests.zh_pages import xp

ZH = ("gb18030", "big5")
ALL = ("cp1252", "gb18030", "big5")  # every profile's, as a page without --lang has them
TRADITIONAL = (
    "本報訊（記者王丹） 12月10日，市委召開常委會議。\n會議強調要抓好落實。①2\n\n會議召開\n"
)
SIMPLIFIED = "本报讯（记者王丹） 12月10日，市委召开常委会议。\n会议强调要抓好落实。①2\n\n会议召开\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("candidates", [ZH, ALL])
@pytest.mark.parametrize(
    "text", ["本報訊", "（本報訊）", "A（本報訊）", "臺北", "12月10日", "經濟新聞", "中華民國\n"]
)
def test_a_short_big5_page_is_read_as_big5(text: str, candidates: tuple[str, ...]) -> None:
    decoded = decode(text.encode("big5"), "p1.txt", None, candidates)
    assert decoded.encoding == "big5"
    assert "".join(line.text for line in decoded.lines) == text.rstrip("\n")
    assert [d.code for d in decoded.diagnostics] == ["encoding.detected"]


@pytest.mark.parametrize("candidates", [ZH, ALL])
@pytest.mark.parametrize("text", ["本报讯", "（记者王丹）", "中国", "12月10日", "市委召开会议"])
def test_a_short_gb18030_page_is_read_as_gb18030(text: str, candidates: tuple[str, ...]) -> None:
    assert decode(text.encode("gb18030"), "p1.txt", None, candidates).encoding == "gb18030"


def test_a_short_cp1252_page_is_read_as_cp1252() -> None:
    text = "It’s “quoted” — café crème, 50°"
    assert decode(text.encode("cp1252"), "p1.txt", None, ALL).encoding == "cp1252"


@given(st.text(alphabet="本報訊記者會議經濟學校臺北中華民國新聞（）。，", min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_short_traditional_pages_never_fail_to_decode(text: str) -> None:
    """A page that is valid Big5 is read (as one of the candidates), never refused; bytes
    that are valid UTF-8 as well (議 is C4 B3, ĳ) are UTF-8."""
    data = text.encode("big5")
    decoded = decode(data, "p.txt", None, ZH)
    assert decoded.encoding in (*ZH, "utf-8")
    assert decoded.encoding != "utf-8" or data.decode("utf-8", errors="strict")


def test_broken_utf8_is_still_an_error() -> None:
    data = "本报讯".encode() + b"\xff\xfe\xfd rest"
    for candidates in (ZH, ALL):
        with pytest.raises(DecodeError, match="offset 9"):
            decode(data, "p.txt", None, candidates)


@pytest.mark.parametrize("lang", [None, "zh"])
def test_traditional_chinese_in_big5_is_tagged_zh_hant(lang: str | None) -> None:
    meta = Metadata(paper="測試日報", date=dt.date(2016, 12, 11), page="1", lang=lang)
    result = convert_bytes(TRADITIONAL.encode("big5"), "p1.txt", meta, Options())
    root = etree.fromstring(result.data)
    want = "zh-Hant" if lang is None else "zh"  # a tag given is kept as given
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == want
    # The same text in UTF-8 says nothing of its script beyond ideographs.
    plain = convert_bytes(TRADITIONAL.encode("utf-8"), "p1.txt", meta, Options())
    assert etree.fromstring(plain.data).get("{http://www.w3.org/XML/1998/namespace}lang") == (
        lang or "zh"
    )


def test_encoding_script() -> None:
    assert encoding_script("big5") == encoding_script("Big5") == "Hant"
    assert encoding_script("gb18030") is None and encoding_script("klingon") is None


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [SIMPLIFIED, "Hello world\nsecond line\n", TRADITIONAL])
def test_utf16_without_a_byte_order_mark_is_detected(codec: str, text: str) -> None:
    decoded = decode(text.encode(codec), "p1.txt", None, ALL)
    assert decoded.encoding == codec
    assert [line.text for line in decoded.lines] == text.split("\n")[:-1]
    assert [d.code for d in decoded.diagnostics] == ["encoding.detected"]


def test_undetected_utf16_is_not_told_to_try_gb18030(tmp_path: Path) -> None:
    # Zero bytes in both positions of the code units: not taken for UTF-16 of text.
    path = tmp_path / "p1.txt"
    path.write_bytes("本报讯\u0100\u4e00".encode("utf-16-le") + b"\xa5\x00\x00\xa5")
    code, _, err = run("convert", str(path), "-o", str(tmp_path / "o.xml"))
    assert code == ExitCode.DECODE
    assert "gb18030)" not in err and "--encoding utf-16-le" in err


def test_an_issue_records_each_page_s_encoding(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "p1.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (folder / "p2.txt").write_bytes(SIMPLIFIED.replace("王丹", "李四").encode("gb18030"))
    (folder / "issue.toml").write_text('paper = "测试日报"\nlang = "zh-Hans"\n', "utf-8")
    result = convert_issue(folder)
    root = etree.fromstring(result.documents[0].data)
    notes = [(n.get("type"), n.get("n"), n.text) for n in xp(root, "//t:notesStmt/t:note")]
    assert notes == [
        ("source-file", "1", "p1.txt"),
        ("source-file", "2", "p2.txt"),
        ("source-encoding", "1", "utf-8"),
        ("source-encoding", "2", "gb18030"),
    ]
    report = result.report()
    assert [p["encoding"] for p in report["pages"]] == ["utf-8", "gb18030"]
