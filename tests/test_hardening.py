"""Messy archives: encodings, line ends, illegal characters, markup characters, sizes."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from lxml import etree

from converter.errors import DecodeError
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from tests.helpers import assert_lossless

SIMPLIFIED = (
    "本报讯（记者王丹） 12月10日，市委召开常委会议，传达学习\n中央经济工作会议精神，研究部署我市明年\n"
    "经济工作。会议强调要抓好落实。①2\n\n市委召开常委会议\n"
)
TRADITIONAL = (
    "本報訊（記者王丹） 12月10日，市委召開常委會議，傳達學習\n中央經濟工作會議精神，研究部署我市明年\n"
    "經濟工作。會議強調要抓好落實。①2\n\n市委召開常委會議\n"
)
META = Metadata(paper="测试日报", date=dt.date(2016, 12, 11), page="1")


def convert(data: bytes, meta: Metadata = META, encoding: str | None = None) -> etree._Element:
    result = convert_bytes(data, "page.txt", meta, Options(encoding=encoding))
    return etree.fromstring(result.data)


def body_of(root: etree._Element) -> bytes:
    body = root.find("{*}text/{*}body")
    assert body is not None
    return etree.tostring(body)


def source_encoding(root: etree._Element) -> str | None:
    return root.findtext(".//{*}note[@type='source-encoding']")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
    ],
)
def test_encodings_decode_to_the_same_body(data: bytes, encoding: str) -> None:
    root = convert(data)
    assert source_encoding(root) == encoding
    text = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    assert body_of(root) == body_of(convert(text.encode("utf-8")))


def test_detected_encoding_is_a_diagnostic() -> None:
    result = convert_bytes(SIMPLIFIED.encode("gb18030"), "p.txt", META, Options())
    assert [d.code for d in result.analysis.page.diagnostics if d.code == "encoding.detected"]


def test_forced_encoding_wins() -> None:
    root = convert(TRADITIONAL.encode("big5"), encoding="big5")
    assert source_encoding(root) == "big5"


def test_broken_utf8_is_an_error_naming_the_offset() -> None:
    data = SIMPLIFIED.encode("utf-8")
    broken = data[:30] + b"\xff" + data[30:]
    with pytest.raises(DecodeError, match="offset 30"):
        convert(broken)


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_line_ends_give_the_same_body(end: str) -> None:
    assert body_of(convert(SIMPLIFIED.replace("\n", end).encode())) == body_of(
        convert(SIMPLIFIED.encode())
    )


def test_tabs_and_special_spaces_are_kept() -> None:
    text = "本报讯（记者王丹）\t市委\u00a0召开\u3000会议。①2\n\n会议\n"
    result = convert_bytes(text.encode(), "p.txt", META, Options())
    assert_lossless(text, result.data)


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff"])
def test_illegal_characters_replaced_and_reported(bad: str) -> None:
    text = f"本报讯（记者王丹）市委{bad}召开会议。①2\n\n会议\n"
    result = convert_bytes(text.encode("utf-8"), "p.txt", META, Options())
    assert "\ufffd" in result.data.decode()
    codes = [(d.code, d.line) for d in result.analysis.page.diagnostics]
    assert ("char.replaced", 1) in codes
    assert_lossless(text, result.data)


def test_lone_surrogates_in_utf16_and_utf8_are_replaced() -> None:
    utf16 = codecs.BOM_UTF16_LE + "市委\ud800会议\n".encode("utf-16-le", "surrogatepass")
    utf8 = "市委\udc00会议\n".encode("utf-8", "surrogatepass")
    for data in (utf16, utf8):
        result = convert_bytes(data, "p.txt", META, Options())
        assert "市委\ufffd会议" in "".join(etree.fromstring(result.data).itertext())
        assert "char.replaced" in [d.code for d in result.analysis.page.diagnostics]


@pytest.mark.parametrize("nasty", ["<b>&amp;", "]]>", "a \" b ' c", "&#0;", "<?pi?>", "<!--x-->"])
def test_markup_characters_cannot_break_the_output(nasty: str) -> None:
    text = f"本报讯（记者王丹）{nasty}市委召开会议。①2\n\n{nasty}\n"
    meta = Metadata(paper=nasty, place=nasty, publisher=nasty, date=dt.date(2016, 12, 11), page="1")
    result = convert_bytes(text.encode(), "p.txt", meta, Options())
    root = etree.fromstring(result.data)
    assert root.findtext(".//{*}monogr/{*}title") == nasty
    assert_lossless(text, result.data)


def test_empty_and_blank_pages_are_valid_with_a_warning() -> None:
    for text in ["", "\n\n\n", " \t\u3000\n\r\n"]:
        result = convert_bytes(text.encode(), "p.txt", META, Options())
        root = etree.fromstring(result.data)
        assert not root.findall(".//{*}div[@type='article']")
        assert "page.empty" in [d.code for d in result.analysis.page.diagnostics]


def test_bom_only_file() -> None:
    result = convert_bytes(codecs.BOM_UTF8, "p.txt", META, Options())
    assert "page.empty" in [d.code for d in result.analysis.page.diagnostics]


def test_one_long_line_and_many_lines() -> None:
    long_line = "市委召开会议，" * 150_000 + "\n"  # about 3 MB, one line
    result = convert_bytes(long_line.encode(), "p.txt", META, Options())
    assert_lossless(long_line, result.data)
    many = "".join(f"第{i}行文字，内容。\n" for i in range(50_000))
    result = convert_bytes(many.encode(), "p.txt", META, Options())
    assert_lossless(many, result.data)
