"""Format choice: a page file goes to the reader its content calls for, whatever its name,
and what no reader reads is refused with a DecodeError (exit code 4) saying what it is."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from converter.errors import DecodeError, ExitCode
from converter.read.formats import kind, read_file

DATA = Path(__file__).parent / "data" / "layout"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"


@pytest.mark.parametrize(
    ("source", "format", "first"),
    [
        ("front.hocr", "hocr", "THE EVENING STAR, WASHINGTON,"),
        ("front.page.xml", "page", "THE EVENING STAR, WASHINGTON,"),
        ("small-2010.page.xml", "page", "Café Société"),
        ("front.paddleocr.json", "paddleocr", "THE EVENING STAR, WASHINGTON,"),
        ("front-v2.paddleocr.json", "paddleocr", "THE EVENING STAR, WASHINGTON,"),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".xml", ".json", ""])
def test_format_is_told_by_content(
    tmp_path: Path, source: str, format: str, first: str, suffix: str
) -> None:
    target = tmp_path / f"page{suffix}"
    shutil.copyfile(DATA / source, target)
    text = read_file(target)
    assert text.format == format
    assert text.lines[0].text == first
    # the same reading as under the file's own name
    assert text == replace(read_file(DATA / source), name=str(target))


def test_plain_text_still_goes_to_the_text_reader(tmp_path: Path) -> None:
    target = tmp_path / "page.json"
    target.write_text("本报讯 ocr_page\n第二行\n", encoding="utf-8")
    text = read_file(target)
    assert text.format == "text"
    assert [line.text for line in text.lines] == ["本报讯 ocr_page", "第二行"]


def _refused(tmp_path: Path, data: bytes, name: str = "page.xml") -> DecodeError:
    target = tmp_path / name
    target.write_bytes(data)
    with pytest.raises(DecodeError) as caught:
        read_file(target)
    assert caught.value.exit_code == ExitCode.DECODE == 4
    assert caught.value.path == str(target)
    return caught.value


def test_xml_of_another_kind_is_refused(tmp_path: Path) -> None:
    data = b'<?xml version="1.0"?>\n<mets:mets xmlns:mets="http://www.loc.gov/METS/"/>\n'
    error = _refused(tmp_path, data)
    assert error.message == (
        "XML, but not ALTO, hOCR or PAGE: root element {http://www.loc.gov/METS/}mets"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html>\n<html><body><p class='ocr_par'>ocr_page</p></body></html>\n",
        b"<html><body><div class='ocr_carea'>text</div></body></html>",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    ],
)
def test_html_without_ocr_page_is_refused(tmp_path: Path, data: bytes) -> None:
    error = _refused(tmp_path, data, "page.html")
    assert error.message == "HTML, but not hOCR: no element of class ocr_page"


@pytest.mark.parametrize(
    "value",
    [
        {"text": "本报讯"},
        {"rec_texts": "not a list"},
        {"res": {"dt_polys": []}},
        [1, 2, 3],
        [],
        [[]],
        [["a", ["b", 0.5]]],
        [[[[0, 0], [1, 1]], ["text", "0.5"]]],
        [[[[0, 0], [1, 1]], ["text", True]]],
    ],
)
def test_json_that_is_not_paddleocr_is_refused(tmp_path: Path, value: object) -> None:
    error = _refused(tmp_path, json.dumps(value).encode(), "page.json")
    assert error.message.startswith("JSON, but not PaddleOCR output")


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    error = _refused(tmp_path, b'{\n"rec_texts": [\n"a",\n]\n}\n', "page.json")
    assert error.message.startswith("malformed JSON")
    assert error.line == 4


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            f'<?xml version="1.0"?>\n<PcGts xmlns="{PAGE_NS}">\n<Page imageWidth="9" '
            'imageHeight="9">\n<TextRegion id="r">\n</Page>\n</PcGts>\n',
            5,
        ),
        ("<?xml version='1.0'?>\n<PcGts\n<Page/>\n", 3),
        (
            '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>\n'
            "<div class='ocr_page' title='bbox 0 0 9 9'>\n<span class='ocr_line'>a &amp b</span>\n"
            "</div></body></html>\n",
            None,  # hOCR that is not XML is read again as HTML: not refused
        ),
    ],
)
def test_malformed_xml_names_its_line(tmp_path: Path, data: str, line: int | None) -> None:
    if line is None:
        target = tmp_path / "page.xml"
        target.write_text(data, encoding="utf-8")
        assert [x.text for x in read_file(target).lines] == ["a & b"]
        return
    error = _refused(tmp_path, data.encode())
    assert error.message.startswith("malformed XML")
    assert error.line == line
    assert f"page.xml:{line}: malformed XML" in str(error)


@pytest.mark.parametrize(
    "data",
    [
        f'<?xml version="1.0"?>\n<!DOCTYPE PcGts [<!ENTITY big "aaaaaaaa">]>\n'
        f'<PcGts xmlns="{PAGE_NS}"><Page imageWidth="9" imageHeight="9"/></PcGts>',
        '<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY x "ocr_page">]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<div class='ocr_page'><span class='ocr_line'>&x;</span></div></body></html>",
        "<!DOCTYPE html [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
        "<html><body><div class='ocr_page'><span class='ocr_line'>&x;</span></div></body></html>",
        '<!DOCTYPE PcGts SYSTEM "http://example.org/page.dtd">\n'
        f'<PcGts xmlns="{PAGE_NS}"><Page imageWidth="9" imageHeight="9"/></PcGts>',
    ],
)
def test_entity_declarations_are_refused(tmp_path: Path, data: str) -> None:
    error = _refused(tmp_path, data.encode())
    assert "document type declaration" in error.message


def test_tesseract_xhtml_doctype_is_not_refused() -> None:
    assert (DATA / "front.hocr").read_bytes().count(b"<!DOCTYPE html PUBLIC") == 1
    assert read_file(DATA / "front.hocr").format == "hocr"


def test_kind_looks_at_the_first_bytes_only() -> None:
    assert kind(b"\xef\xbb\xbf  <?xml version='1.0'?><a/>") == "xml"
    assert kind(b"<!DOCTYPE HTML><html/>") == "html"
    assert kind(b' \n[{"rec_texts": []}]') == "json"
    assert kind("本报讯 <b>".encode()) == "text"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<A", "text"),  # OCR of a pointing hand, a stray bracket
        (b"<Continued on page 2>\nThe council met.", "text"),
        (b"<alto xmlns='http://www.loc.gov/standards/alto/ns-v2#'>", "xml"),
        (b'<PcGts\n  xmlns="x" a="b">', "xml"),
        (b"<a/>", "xml"),
    ],
)
def test_xml_opens_with_a_whole_start_tag(data: bytes, expected: str) -> None:
    assert kind(data) == expected
