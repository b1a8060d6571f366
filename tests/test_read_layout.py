"""Layout readers (hOCR, PAGE XML, PaddleOCR): what each reads from a page is what it says.

The pages in tests/data/layout are synthetic newspaper pages: a running head with a page
number, a headline over two columns, three columns of body lines, a line across two columns,
a rule under the headline and a caption reaching past the page's foot.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.errors import DecodeError
from converter.model import Box, Text
from converter.read import hocr, paddleocr, page_xml
from converter.read.formats import read_file, read_source
from converter.read.layout_lines import image_name, to_int
from converter.read.text import REPLACEMENT

DATA = Path(__file__).parent / "data" / "layout"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Row = tuple[int, str, tuple[int, int, int, int] | None, float | None, int | None, str | None]


def rows(text: Text) -> list[Row]:
    """Number, text, box corners, size, region and role of every line read."""
    out: list[Row] = []
    for line in text.lines:
        box = (line.box.ulx, line.box.uly, line.box.lrx, line.box.lry) if line.box else None
        out.append((line.number, line.text, box, line.size, line.region, line.role))
    return out


def codes(text: Text) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in text.diagnostics]


# --- hOCR -------------------------------------------------------------------------------


def test_hocr_front_page_lines() -> None:
    text = read_file(DATA / "front.hocr")
    assert (text.format, text.encoding, text.name) == ("hocr", "utf-8", str(DATA / "front.hocr"))
    assert rows(text) == [
        (1, "THE EVENING STAR, WASHINGTON,", (100, 40, 1500, 80), 8.0, 0, None),
        (2, "4", (1850, 40, 1900, 80), 8.0, 1, None),
        (3, "COUNCIL VOTES", (100, 120, 1300, 170), 36.0, 2, "heading"),
        (4, 'BRIDGE & "<TUNNEL>"', (100, 180, 1300, 230), 36.0, 2, "heading"),
        (5, "The city council", (100, 260, 700, 300), 9.0, 3, None),
        (6, "voted yesterday", (100, 310, 700, 350), 9.0, 3, None),
        (7, "to", (100, 360, 700, 400), None, 3, None),  # x_size alone is no font size
        (8, "build the", (720, 260, 1300, 300), 9.0, 4, None),
        (9, "bridge.", (720, 310, 1300, 350), 9.0, 4, None),
        (10, "Continued on Page Seven.", (720, 420, 1900, 460), 12.0, 5, None),
        (11, "Mayor’s", (1340, 260, 1900, 300), 9.0, 6, None),
        # line 12 holds a blank word only: not emitted, its number not reused
        (13, "office replies", None, 9.0, 6, None),
        (14, "Photo 𝔖tar", (1340, 2950, 1990, 3000), None, 6, "caption"),
    ]
    assert [line.style for line in text.lines[2:4]] == [("bold",), ("bold",)]
    assert text.lines[5].style == ()  # one italic word of two: the line is not italic
    assert all(line.box is None or line.box.points is None for line in text.lines)
    assert codes(text) == [("line.no-coordinates", 13), ("line.outside-page", 14)]


def test_hocr_front_page_surface() -> None:
    surface = read_file(DATA / "front.hocr").surface
    assert surface is not None
    assert (surface.width, surface.height, surface.unit) == (2000, 3000, "pixel")
    assert surface.image == "0004.png"  # the file name, without the scanner's folders
    assert [rule.box for rule in surface.rules] == [Box(100, 240, 1900, 246)]
    assert surface.regions == (
        Box(100, 40, 1500, 80),
        Box(1850, 40, 1900, 80),
        Box(100, 120, 1300, 230),
        Box(100, 260, 700, 420),
        Box(720, 260, 1300, 400),
        Box(720, 420, 1900, 460),
        Box(1340, 260, 1900, 400),
    )


def _hocr(body: str, page_title: str = "bbox 0 0 1000 1000") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<html xmlns="{XHTML_NS}"><head><title/></head><body>\n'
        f"<div class='ocr_page' id='page_1' title='{page_title}'>\n{body}\n</div>\n"
        "</body></html>\n"
    ).encode()


def test_hocr_regions_are_careas_when_there_is_no_par() -> None:
    data = _hocr(
        "<div class='ocr_carea' title='bbox 0 0 500 100'>"
        "<span class='ocr_line' title='bbox 0 0 500 50'>one</span></div>"
        "<span class='ocr_line' title='bbox 0 900 500 950'>loose</span>"
        "<div class='ocr_carea' title='bbox 500 0 1000 100'>"
        "<span class='ocrx_line' title='bbox 500 0 1000 50'>two  words\n here</span></div>"
    )
    text = hocr.read(data, "p.hocr")
    assert rows(text) == [
        (1, "one", (0, 0, 500, 50), None, 0, None),
        (2, "loose", (0, 900, 500, 950), None, None, None),
        (3, "two words here", (500, 0, 1000, 50), None, 1, None),
    ]
    assert text.surface is not None
    assert text.surface.regions == (Box(0, 0, 500, 100), Box(500, 0, 1000, 100))


def test_hocr_more_pages_reads_the_first() -> None:
    data = _hocr(
        "<span class='ocr_line' title='bbox 0 0 10 10'>first</span></div>"
        "<div class='ocr_page' title='bbox 0 0 9 9'>"
        "<span class='ocr_line' title='bbox 0 0 5 5'>second</span>"
    )
    text = hocr.read(data, "p.hocr")
    assert rows(text) == [(1, "first", (0, 0, 10, 10), None, None, None)]
    assert codes(text) == [("page.more-pages", None)]


def test_hocr_bad_boxes_and_page_without_size() -> None:
    data = _hocr(
        "<span class='ocr_line' title='bbox 10 10 10 50'>flat</span>"
        "<span class='ocr_line' title='bbox 1 2 three 4'>garbled</span>"
        "<span class='ocr_line' title='bbox 20 20 300 60'>kept</span>",
        page_title='image "C:\\scans\\p7.tif"',
    )
    text = hocr.read(data, "p.hocr")
    assert rows(text) == [
        (1, "flat", None, None, None, None),
        (2, "garbled", None, None, None, None),
        (3, "kept", (20, 20, 300, 60), None, None, None),
    ]
    assert codes(text) == [
        ("page.no-size", None),
        ("line.empty-box", 1),
        ("line.no-coordinates", 2),
    ]
    assert text.surface is not None
    assert (text.surface.width, text.surface.height, text.surface.image) == (300, 60, "p7.tif")


def test_hocr_page_without_lines_is_a_page() -> None:
    text = hocr.read(_hocr(""), "p.hocr")
    assert text.lines == ()
    assert codes(text) == [("page.no-text", None)]
    assert text.surface is not None and text.surface.width == 1000


def test_hocr_as_html_is_read_without_network() -> None:
    data = (
        b"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>x</title></head><body>\n"
        b"<div class='ocr_page' title='bbox 0 0 800 600'>\n"
        b"<p class='ocr_par' title='bbox 0 0 800 100'>\n"
        b"<span class='ocr_line' title='bbox 0 0 800 40; x_fsize 10'>"
        b"<span class='ocrx_word' title='bbox 0 0 100 40'>caf&eacute;</span> "
        b"<span class='ocrx_word' title='bbox 120 0 200 40'><b>&amp;&nbsp;co</b></span><br>\n"
        b"</span></p></div></body></html>\n"
    )
    text = read_source(data, "page.html")
    assert text.format == "hocr"
    assert rows(text) == [(1, "café &\u00a0co", (0, 0, 800, 40), 10.0, 0, None)]


# --- PAGE XML ---------------------------------------------------------------------------


def test_page_front_page_lines() -> None:
    text = read_file(DATA / "front.page.xml")
    assert (text.format, text.encoding) == ("page", "utf-8")
    assert rows(text) == [
        (1, "THE EVENING STAR, WASHINGTON,", (100, 40, 1500, 80), None, 0, "header"),
        (2, "4", (1850, 40, 1900, 80), None, 1, "page-number"),
        # of two TextEquiv the one of lowest @index, though it comes second
        (3, "COUNCIL VOTES", (100, 118, 1300, 172), 36.0, 2, "heading"),
        # no TextEquiv of its own: its words joined; 100.5 and 230.49 rounded half up
        (4, 'BRIDGE & "<TUNNEL>"', (100, 180, 1300, 230), 36.0, 2, "heading"),
        (5, "The city council", (100, 260, 700, 300), 9.0, 3, "paragraph"),
        (6, "voted yesterday", (100, 310, 700, 350), 9.5, 3, "paragraph"),
        # line 7 is blank
        (8, "build the", (720, 260, 1300, 300), None, 4, "paragraph"),
        # a nested region without @type: its own ordinal, its parent's role
        (9, "bridge.", (720, 310, 1300, 350), None, 5, "paragraph"),
        (10, "Continued on Page Seven.", (720, 420, 1900, 460), None, 6, "other"),
        (11, "Mayor’s", (1340, 260, 1900, 300), None, 7, "paragraph"),
        (12, "office replies", None, None, 7, "paragraph"),
        (13, "Photo 𝔖tar", (1340, 2950, 2000, 3000), None, 8, "caption"),
    ]
    lines = {line.number: line for line in text.lines}
    assert lines[3].box is not None and lines[3].box.points == "100,120 1300,118 1300,170 100,172"
    assert lines[4].box is not None and lines[4].box.points == "101,180 1300,180 1300,230 100,230"
    # clipped to the page, points and all
    assert lines[13].box is not None
    assert lines[13].box.points == "1340,2950 1990,2950 2000,3000 1340,3000"
    assert (lines[3].style, lines[6].style, lines[5].style) == (("bold",), ("italics",), ())
    assert codes(text) == [("line.no-coordinates", 12), ("line.outside-page", 13)]


def test_page_front_page_surface() -> None:
    surface = read_file(DATA / "front.page.xml").surface
    assert surface is not None
    assert (surface.width, surface.height, surface.image) == (2000, 3000, "0004.tif")
    assert [(r.box.ulx, r.box.uly, r.box.lrx, r.box.lry) for r in surface.rules] == [
        (100, 240, 1900, 246)
    ]
    assert len(surface.regions) == 9
    assert surface.regions[5] == Box(720, 310, 1300, 350, "720,310 1300,310 1300,350 720,350")
    assert surface.regions[8] is not None and surface.regions[8].lry == 3000


def test_page_2010_points_and_declared_encoding() -> None:
    text = read_file(DATA / "small-2010.page.xml")
    assert text.encoding == "iso8859-1"
    assert rows(text) == [(1, "Café Société", (50, 60, 950, 140), None, 0, "heading")]
    assert text.lines[0].box is not None
    assert text.lines[0].box.points == "50,60 950,60 950,140 50,140"


def _page(
    body: str, page_attrs: str = 'imageWidth="1000" imageHeight="800"', ns: str = PAGE_NS
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<PcGts xmlns="{ns}">\n'
        f'<Page imageFilename="p.png" {page_attrs}>\n{body}\n</Page>\n</PcGts>\n'
    ).encode()


def test_page_2013_without_page_size() -> None:
    data = _page(
        '<TextRegion id="r"><Coords points="0,0 400,0 400,90 0,90"/>'
        '<TextLine id="a"><Coords points="10,10 400,10 400,50 10,50"/>'
        "<TextEquiv><Unicode>one</Unicode></TextEquiv></TextLine>"
        '<TextLine id="b"><Coords points="10,60 10,60 10,90"/>'
        "<TextEquiv><Unicode>two</Unicode></TextEquiv></TextLine>"
        '<TextLine id="c"><Coords points="1,2 x,4"/>'
        "<TextEquiv><Unicode>three</Unicode></TextEquiv></TextLine></TextRegion>",
        page_attrs="",
        ns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15",
    )
    text = page_xml.read(data, "p.xml")
    assert rows(text) == [
        (1, "one", (10, 10, 400, 50), None, 0, None),
        (2, "two", None, None, 0, None),
        (3, "three", None, None, 0, None),
    ]
    assert codes(text) == [
        ("page.no-size", None),
        ("line.empty-box", 2),
        ("line.no-coordinates", 3),
    ]
    assert text.surface is not None
    assert (text.surface.width, text.surface.height) == (400, 90)


def test_page_without_text_lines_is_a_page() -> None:
    text = page_xml.read(
        _page('<ImageRegion id="i"><Coords points="0,0 9,0 9,9"/></ImageRegion>'), "p"
    )
    assert text.lines == ()
    assert codes(text) == [("page.no-text", None)]


def test_page_without_page_element_is_refused() -> None:
    data = f'<PcGts xmlns="{PAGE_NS}"><Metadata/></PcGts>'.encode()
    with pytest.raises(DecodeError, match="without a Page"):
        page_xml.read(data, "p.xml")


# --- PaddleOCR --------------------------------------------------------------------------


def test_paddleocr_front_page_lines_in_paddleocr_order() -> None:
    text = read_file(DATA / "front.paddleocr.json")
    assert (text.format, text.encoding) == ("paddleocr", "utf-8")
    assert rows(text) == [
        (1, "THE EVENING STAR, WASHINGTON,", (100, 40, 1500, 81), None, None, None),
        (2, "4", (1850, 40, 1900, 80), None, None, None),
        (3, "COUNCIL VOTES", (100, 118, 1300, 172), None, None, None),
        (4, 'BRIDGE & "<TUNNEL>"', (100, 180, 1300, 230), None, None, None),
        (5, "The city council", (100, 260, 700, 300), None, None, None),
        (6, "build the", (720, 260, 1300, 300), None, None, None),
        (7, "Mayor’s", (1340, 260, 1900, 300), None, None, None),
        (8, "voted yesterday bridge.", (100, 310, 1300, 350), None, None, None),
        # result 9 is empty
        (10, "to", (100, 360, 700, 400), None, None, None),
        (11, f"office{REPLACEMENT}replies", (1340, 360, 1900, 400), None, None, None),
        (12, "Continued on Page Seven.", (720, 420, 1900, 460), None, None, None),
        (13, "Photo 𝔖tar", (0, 2950, 600, 2990), None, None, None),
    ]
    assert text.lines[0].box is not None
    assert text.lines[0].box.points == "100,41 1500,40 1500,80 100,81"
    assert codes(text) == [("char.replaced", 11), ("line.outside-page", 13)]
    surface = text.surface
    assert surface is not None
    # no page size in the JSON: the largest extent of the boxes
    assert (surface.width, surface.height, surface.image) == (1900, 2990, "0004.jpg")
    assert (surface.rules, surface.regions) == ((), ())


def test_paddleocr_2x_pages_read_the_first() -> None:
    text = read_file(DATA / "front-v2.paddleocr.json")
    assert [(line.number, line.text) for line in text.lines] == [
        (1, "THE EVENING STAR, WASHINGTON,"),
        (2, "4"),
        (3, "COUNCIL VOTES"),
        (4, "The city council"),
        (5, "build the"),
        (6, "Mayor’s"),
        (7, "voted yesterday bridge."),
    ]
    assert codes(text) == [("page.more-pages", None)]
    assert text.surface is not None and text.surface.image is None


def _v3(texts: list[str], **keys: Any) -> dict[str, Any]:
    return {"input_path": "a/b/p.png", "rec_texts": texts, **keys}


def test_paddleocr_boxes_when_there_are_no_polygons_and_wrapped_results() -> None:
    value = {"res": _v3(["a", "b"], rec_boxes=[[1, 2, 30, 40], [5.5, 6, 70, 80]])}
    assert paddleocr.looks_like(value)
    text = paddleocr.read(value, "p.json")
    assert rows(text) == [
        (1, "a", (1, 2, 30, 40), None, None, None),
        (2, "b", (6, 6, 70, 80), None, None, None),
    ]
    assert all(line.box is not None and line.box.points is None for line in text.lines)


def test_paddleocr_line_without_coordinates() -> None:
    text = paddleocr.read(_v3(["a", "b"], rec_polys=[None, [[0, 0], [9, 0], [9, 9], [0, 9]]]), "p")
    assert rows(text)[0] == (1, "a", None, None, None, None)
    assert codes(text) == [("line.no-coordinates", 1)]
    text = paddleocr.read(_v3(["a"]), "p")
    assert codes(text) == [("line.no-coordinates", 1)]
    assert text.surface is None  # nothing tells the page's size


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            _v3(["a", "b"], rec_polys=[[[0, 0], [1, 1], [0, 1]]]),
            "rec_polys has 1 entries but rec_texts has 2",
        ),
        (_v3(["a"], rec_boxes=[[0, 0, 1, 1]], rec_scores=[]), "rec_scores has 0 entries"),
        (_v3(["a"], rec_boxes=[[0, 0, 1]]), r"rec_boxes\[0\] is not"),
        (_v3(["a"], rec_polys=[[[0, "x"]]]), r"rec_polys\[0\] is not"),
        (_v3(["a"], rec_boxes=[[0, 0, float("nan"), 1]]), "not a finite number"),
        (_v3([1]), r"rec_texts\[0\] is not a string"),
        ([[[[0, 0], [1, 0], [1, 1]], ["a", 0.9]], ["b"]], "result 1 is not"),
    ],
)
def test_paddleocr_inconsistent_results_are_refused(value: Any, message: str) -> None:
    with pytest.raises(DecodeError, match=message) as caught:
        paddleocr.read(value, "p.json")
    assert caught.value.exit_code == 4


def test_paddleocr_page_without_text() -> None:
    for value in (_v3([], rec_polys=[]), [None]):
        assert paddleocr.looks_like(value)
        text = paddleocr.read(value, "p.json")
        assert (text.lines, codes(text)) == ((), [("page.no-text", None)])


# --- properties: every non-blank text comes back, in order, with its number ------------

_SPECIAL = st.sampled_from(["&", "<", ">", '"', "'", "]]>", "𝔖", "😀", "中", "\u3000", " "])
#: Characters an XML document can hold, and no line ends (a line holds none).
_XML_CHAR = st.characters(blacklist_categories=("Cs", "Cc", "Cn"))
_XML_TEXT = st.lists(st.one_of(_XML_CHAR, _SPECIAL), max_size=12).map("".join)
#: JSON can hold any character: controls and lone surrogates are replaced on reading.
_JSON_TEXT = st.lists(
    st.one_of(st.characters(blacklist_characters="\r\n\t"), _SPECIAL), max_size=12
).map("".join)
_BOX = st.tuples(
    st.integers(0, 4000), st.integers(0, 4000), st.integers(1, 900), st.integers(1, 900)
).map(lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _expected(texts: list[str]) -> list[tuple[int, str]]:
    """Non-blank texts by their ordinal, as a reader must give them back."""
    out = []
    for number, raw in enumerate(texts, start=1):
        clean = _XML_ILLEGAL.sub(REPLACEMENT, raw).strip(" ")
        if clean.strip():
            out.append((number, clean))
    return out


def _read_back(text: Text) -> list[tuple[int, str]]:
    return [(line.number, line.text) for line in text.lines]


@_SETTINGS
@given(st.lists(st.tuples(_JSON_TEXT, _BOX), max_size=15), st.booleans())
def test_paddleocr_property(lines: list[tuple[str, tuple[int, int, int, int]]], v2: bool) -> None:
    texts = [t for t, _ in lines]
    polys = [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]] for _, (x0, y0, x1, y1) in lines]
    value: Any = (
        [[poly, [t, 0.5]] for poly, t in zip(polys, texts, strict=True)]
        if v2
        else _v3(texts, rec_polys=polys, rec_scores=[0.5] * len(texts))
    )
    if v2 and not value:
        value = [None]
    data = json.dumps(value).encode()
    first = read_source(data, "p.json")
    assert first == read_source(data, "p.json")
    assert first.format == "paddleocr"
    assert _read_back(first) == _expected(texts)
    boxes = dict(enumerate((b for _, b in lines), start=1))
    for line in first.lines:
        assert line.box is not None
        assert (line.box.ulx, line.box.uly, line.box.lrx, line.box.lry) == boxes[line.number]


@_SETTINGS
@given(st.lists(st.tuples(st.lists(_XML_TEXT, max_size=4), _BOX), max_size=12))
def test_hocr_property(lines: list[tuple[list[str], tuple[int, int, int, int]]]) -> None:
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS})
    body = etree.SubElement(html, f"{{{XHTML_NS}}}body")
    page = etree.SubElement(
        body, f"{{{XHTML_NS}}}div", {"class": "ocr_page", "title": "bbox 0 0 5000 5000"}
    )
    par = etree.SubElement(page, f"{{{XHTML_NS}}}p", {"class": "ocr_par"})
    for words, (x0, y0, x1, y1) in lines:
        span = etree.SubElement(
            par, f"{{{XHTML_NS}}}span", {"class": "ocr_line", "title": f"bbox {x0} {y0} {x1} {y1}"}
        )
        for word in words:
            etree.SubElement(span, f"{{{XHTML_NS}}}span", {"class": "ocrx_word"}).text = word
    data = etree.tostring(
        html,
        xml_declaration=True,
        encoding="UTF-8",
        doctype='<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    )
    first = read_source(data, "p.txt")
    assert first == read_source(data, "p.txt")
    assert first.format == "hocr"
    # a word loses spaces at its ends and keeps single ones inside
    joined = [
        " ".join(re.sub(" +", " ", w.strip(" ")) for w in words if w.strip(" "))
        for words, _ in lines
    ]
    assert _read_back(first) == _expected(joined)
    assert all(line.region == 0 for line in first.lines)


@_SETTINGS
@given(st.lists(st.tuples(_XML_TEXT, _BOX), max_size=12))
def test_page_property(lines: list[tuple[str, tuple[int, int, int, int]]]) -> None:
    def q(local: str) -> str:
        return f"{{{PAGE_NS}}}{local}"

    root = etree.Element(q("PcGts"), nsmap={None: PAGE_NS})
    page = etree.SubElement(
        root, q("Page"), imageWidth="5000", imageHeight="5000", imageFilename="p.png"
    )
    region = etree.SubElement(page, q("TextRegion"), id="r", type="paragraph")
    for number, (text, (x0, y0, x1, y1)) in enumerate(lines, start=1):
        line = etree.SubElement(region, q("TextLine"), id=f"l{number}")
        etree.SubElement(line, q("Coords"), points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}")
        etree.SubElement(etree.SubElement(line, q("TextEquiv")), q("Unicode")).text = text
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    first = read_source(data, "p.json")
    assert first == read_source(data, "p.json")
    assert first.format == "page"
    assert _read_back(first) == _expected([t for t, _ in lines])
    boxes = dict(enumerate((b for _, b in lines), start=1))
    for read_line in first.lines:
        assert read_line.box is not None
        assert (
            read_line.box.ulx,
            read_line.box.uly,
            read_line.box.lrx,
            read_line.box.lry,
        ) == boxes[read_line.number]
        assert (read_line.region, read_line.role) == (0, "paragraph")


def test_hocr_line_entirely_outside_the_page_is_clipped_and_reported() -> None:
    data = _hocr("<span class='ocr_line' title='bbox 1100 10 1200 50'>stray</span>")
    text = hocr.read(data, "p.hocr")
    assert rows(text) == [(1, "stray", (1000, 10, 1000, 50), None, None, None)]
    assert codes(text) == [("line.outside-page", 1)]
    assert "lies outside the page" in text.diagnostics[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.5, 3), (-2.5, -2), ("100.5", 101), ("230.49", 230), (7, 7), (0.49999999999999994, 0)],
)
def test_coordinates_round_half_up(value: object, expected: int) -> None:
    assert to_int(value) == expected


@pytest.mark.parametrize("value", [True, "x", float("inf"), "nan", None])
def test_coordinates_that_are_no_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        to_int(value)


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("/scans/0004.png", "0004.png"),
        ("C:\\scans\\0004.png", "0004.png"),
        ("0004.png", "0004.png"),
        ("https://example.org/iiif/0004.jp2", "https://example.org/iiif/0004.jp2"),
        ("  ", None),
        (None, None),
    ],
)
def test_image_names_lose_their_folders(given: str | None, name: str | None) -> None:
    assert image_name(given) == name
