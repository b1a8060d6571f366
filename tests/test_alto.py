"""ALTO input: what the reader takes from a page (1.x CCS or no namespace, 2.x, 3.x, 4.x) and
what ``convert`` and ``text`` make of it.

The key invariant: ``newspaper-tei text`` of the TEI of a real ALTO page gives back that
page's Chronicling America ``ocr.txt`` (its TextLine elements in order, the String/@CONTENT
values of each joined by single spaces, one line each, no blank lines) byte for byte.

The small synthetic pages are built here with lxml (:func:`alto`); the other layout tests use
the same builder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from converter.errors import DecodeError, ExitCode
from converter.model import Box, Text
from converter.read.formats import read_source

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "alto"
EVAL_PAGES = ROOT / "eval" / "pages"
TEI = "{http://www.tei-c.org/ns/1.0}"

CCS = "http://schema.ccs-gmbh.com/ALTO"
V2 = "http://www.loc.gov/standards/alto/ns-v2#"
V3 = "http://www.loc.gov/standards/alto/ns-v3#"
V4 = "http://www.loc.gov/standards/alto/ns-v4#"
#: Every ALTO flavour the reader takes: version label → namespace (None: no namespace).
NAMESPACES: dict[str, str | None] = {
    "1.x-ccs": CCS,
    "1.x-none": None,
    "2.x": V2,
    "3.x": V3,
    "4.x": V4,
}
#: Text styles of the synthetic pages: ID → (FONTSIZE, FONTSTYLE).
STYLES: dict[str, tuple[float, str | None]] = {
    "TS9": (9.0, None),
    "TS12": (12.0, None),
    "TS20": (20.0, None),
    "TS9I": (9.0, "italics"),
}


# --- building ALTO -------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A ``String``: its CONTENT and optional STYLEREFS, STYLE and other attributes."""

    content: str
    refs: str | None = None
    style: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)


XYWH = tuple[float, float, float, float]


@dataclass(frozen=True)
class ALine:
    """A ``TextLine``: its words, box (HPOS, VPOS, WIDTH, HEIGHT; None: no coordinates),
    STYLEREFS and whether it ends with a ``HYP``."""

    words: tuple[Word, ...]
    box: XYWH | None = None
    refs: str | None = None
    hyp: bool = False


@dataclass(frozen=True)
class ABlock:
    """A ``TextBlock`` of lines, with its box and STYLEREFS."""

    lines: tuple[ALine, ...]
    box: XYWH | None = None
    refs: str | None = None


def line(
    text: str,
    box: XYWH | None = None,
    refs: str | None = None,
    *,
    word_refs: str | None = None,
    hyp: bool = False,
) -> ALine:
    """A line of words split at spaces (each with ``word_refs``)."""
    return ALine(tuple(Word(w, word_refs) for w in text.split(" ")), box, refs, hyp)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def alto(
    blocks: Sequence[ABlock],
    *,
    ns: str | None = V4,
    unit: str | None = "pixel",
    page: tuple[float, float] | None = (3000, 4000),
    image: str | None = None,
    rules: Sequence[XYWH] = (),
    styles: Mapping[str, tuple[float, str | None]] = STYLES,
) -> bytes:
    """An ALTO page: Description (unit, image), Styles, Layout/Page/PrintSpace with the
    blocks, then the rules as GraphicalElement. Each String gets an equal share of its line's
    box."""

    def el(parent: etree._Element | None, name: str, **attrs: str) -> etree._Element:
        tag = f"{{{ns}}}{name}" if ns else name
        if parent is None:
            nsmap: dict[str | None, str] | None = {None: ns} if ns else None
            return etree.Element(tag, attrs, nsmap=nsmap)  # type: ignore[arg-type]
        return etree.SubElement(parent, tag, attrs)

    def boxed(element: etree._Element, box: XYWH | None) -> None:
        if box is not None:
            for key, value in zip(("HPOS", "VPOS", "WIDTH", "HEIGHT"), box, strict=True):
                element.set(key, _fmt(value))

    root = el(None, "alto")
    description = el(root, "Description")
    if unit is not None:
        el(description, "MeasurementUnit").text = unit
    if image is not None:
        info = el(description, "sourceImageInformation")
        el(info, "fileName").text = image
    styles_el = el(root, "Styles")
    for sid, (size, style) in styles.items():
        ts = el(styles_el, "TextStyle", ID=sid, FONTSIZE=_fmt(size))
        if style:
            ts.set("FONTSTYLE", style)
    layout = el(root, "Layout")
    page_el = el(layout, "Page", ID="P1", PHYSICAL_IMG_NR="1")
    if page is not None:
        page_el.set("WIDTH", _fmt(page[0]))
        page_el.set("HEIGHT", _fmt(page[1]))
    space = el(page_el, "PrintSpace")
    for b, block in enumerate(blocks):
        block_el = el(space, "TextBlock", ID=f"TB{b}")
        boxed(block_el, block.box)
        if block.refs:
            block_el.set("STYLEREFS", block.refs)
        for ln in block.lines:
            line_el = el(block_el, "TextLine")
            boxed(line_el, ln.box)
            if ln.refs:
                line_el.set("STYLEREFS", ln.refs)
            share = ln.box[2] / max(len(ln.words), 1) if ln.box else 0.0
            for i, word in enumerate(ln.words):
                if i:
                    el(line_el, "SP")
                s = el(line_el, "String", CONTENT=word.content)
                if ln.box is not None:
                    x, y, _, h = ln.box
                    boxed(s, (round(x + i * share), y, round(share), h))
                if word.refs:
                    s.set("STYLEREFS", word.refs)
                if word.style:
                    s.set("STYLE", word.style)
                for key, value in word.attrs.items():
                    s.set(key, value)
            if ln.hyp:
                el(line_el, "HYP", CONTENT="-")
    for r, rule in enumerate(rules):
        g = el(space, "GraphicalElement", ID=f"GE{r}")
        boxed(g, rule)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- reading helpers ---------------------------------------------------------------------


def read(data: bytes, name: str = "page.xml") -> Text:
    return read_source(data, name)


def rows(text: Text) -> list[tuple[int, str, tuple[int, int, int, int] | None, float | None]]:
    return [
        (
            ln.number,
            ln.text,
            (ln.box.ulx, ln.box.uly, ln.box.lrx, ln.box.lry) if ln.box else None,
            ln.size,
        )
        for ln in text.lines
    ]


def codes(text: Text) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in text.diagnostics]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ocr_txt(data: bytes) -> str:
    """Chronicling America's ocr.txt of an ALTO page, made independently of the converter:
    every TextLine in document order, its String/@CONTENT joined by single spaces, lines
    without text left out."""
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True, resolve_entities=False))
    out = []
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "TextLine":
            words = [
                s.get("CONTENT", "")
                for s in element
                if isinstance(s.tag, str) and etree.QName(s).localname == "String"
            ]
            text = " ".join(words)
            if text.strip():
                out.append(text + "\n")
    return "".join(out)


# --- versions and namespaces -------------------------------------------------------------


def _plain_page(ns: str | None) -> bytes:
    return alto(
        [
            ABlock(
                (
                    line("THE EVENING STAR", (100, 50, 1200, 60), "TS20"),
                    line("Washington , D. C.", (100, 130, 800, 30), "TS9"),
                ),
                box=(100, 50, 1200, 110),
            ),
            ABlock((line("Second block here", (100, 300, 900, 30), "TS12"),)),
        ],
        ns=ns,
        unit="mm10" if ns in (CCS, None) else "pixel",
    )


@pytest.mark.parametrize("version", sorted(NAMESPACES))
def test_every_alto_version_reads_the_same(version: str) -> None:
    ns = NAMESPACES[version]
    text = read(_plain_page(ns))
    assert text.format == "alto"
    assert text.encoding == "utf-8"
    assert rows(text) == [
        (1, "THE EVENING STAR", (100, 50, 1300, 110), 20.0),
        (2, "Washington , D. C.", (100, 130, 900, 160), 9.0),
        (3, "Second block here", (100, 300, 1000, 330), 12.0),
    ]
    assert [ln.region for ln in text.lines] == [0, 0, 1]
    assert text.surface is not None
    assert (text.surface.width, text.surface.height) == (3000, 4000)
    assert text.surface.unit == ("mm10" if ns in (CCS, None) else "pixel")
    assert text.surface.regions[0] == Box(100, 50, 1300, 160)
    assert codes(text) == []


def test_alto_root_in_an_unknown_namespace_is_still_alto() -> None:
    # ALTO is told by its root's local name; the version is not checked.
    text = read(_plain_page("http://www.loc.gov/standards/alto/ns-v9#"))
    assert [ln.text for ln in text.lines][:1] == ["THE EVENING STAR"]


# --- lines and their text ------------------------------------------------------------------


def test_lines_are_numbered_by_textline_ordinal_and_empty_ones_are_skipped() -> None:
    data = alto(
        [
            ABlock(
                (
                    line("one", (10, 10, 100, 20)),
                    ALine((), (10, 40, 100, 20)),  # no String at all
                    ALine((Word(""), Word("")), (10, 70, 100, 20)),  # only empty CONTENT
                    line("four", (10, 100, 100, 20)),
                )
            ),
            ABlock((ALine((Word(" "),), (10, 200, 100, 20)), line("six", (10, 230, 100, 20)))),
        ]
    )
    text = read(data)
    assert [(ln.number, ln.text) for ln in text.lines] == [(1, "one"), (4, "four"), (6, "six")]


def test_text_is_the_contents_joined_by_single_spaces() -> None:
    words = (Word("Mr."), Word("Smith,"), Word("&"), Word("<Co>"), Word('"quoted"'))
    data = alto([ABlock((ALine(words, (0, 0, 500, 20)),))])
    assert read(data).lines[0].text == 'Mr. Smith, & <Co> "quoted"'


def test_hyphen_is_not_text_but_marks_the_line_and_subs_content_is_ignored() -> None:
    part1 = Word("compli", attrs={"SUBS_CONTENT": "complicated", "SUBS_TYPE": "HypPart1"})
    part2 = Word("cated", attrs={"SUBS_CONTENT": "complicated", "SUBS_TYPE": "HypPart2"})
    data = alto(
        [
            ABlock(
                (
                    ALine((Word("very"), part1), (0, 0, 500, 20), hyp=True),
                    ALine((part2, Word("matter")), (0, 30, 500, 20)),
                )
            )
        ]
    )
    text = read(data)
    assert [(ln.text, ln.hyphenated) for ln in text.lines] == [
        ("very compli", True),
        ("cated matter", False),
    ]
    code, out, err = _convert_and_text(data)
    assert code == 0, err
    assert out == "very compli\ncated matter\n"


# --- font size and style ------------------------------------------------------------------


def test_font_size_comes_from_the_line_else_its_words_else_its_block() -> None:
    box = (0, 0, 900, 30)
    data = alto(
        [
            ABlock(
                (
                    # the line's own STYLEREFS win over its words'
                    line("own size", box, "TS20", word_refs="TS9"),
                    # most of the words (and characters) are 9 pt
                    ALine((Word("long", "TS9"), Word("words", "TS9"), Word("X", "TS20")), box),
                    # no size on the line or its words: the block's
                    line("block size", box),
                ),
                refs="TS12",
            ),
            ABlock((line("no size anywhere", box),)),
        ]
    )
    assert [ln.size for ln in read(data).lines] == [20.0, 9.0, 12.0, None]


def test_style_words() -> None:
    box = (0, 0, 900, 30)
    data = alto(
        [
            ABlock(
                (
                    ALine((Word("all", style="bold"), Word("bold", style="bold")), box),
                    line("italic by reference", box, "TS9I"),
                    ALine((Word("one", style="bold"), Word("word"), Word("bold")), box),
                    ALine((Word("nonsense", style="blinking"),), box),
                )
            )
        ]
    )
    assert [ln.style for ln in read(data).lines] == [("bold",), ("italics",), (), ()]


# --- units and coordinates ---------------------------------------------------------------


@pytest.mark.parametrize("unit", ["pixel", "mm10", "inch1200"])
def test_measurement_unit(unit: str) -> None:
    text = read(alto([ABlock((line("x y", (1, 2, 3, 4)),))], unit=unit))
    assert text.surface is not None and text.surface.unit == unit
    assert codes(text) == []


def test_unknown_measurement_unit_warns_and_counts_pixels() -> None:
    text = read(alto([ABlock((line("x y", (1, 2, 3, 4)),))], unit="furlong"))
    assert text.surface is not None and text.surface.unit == "pixel"
    assert codes(text) == [("alto.unit-unknown", None)]
    assert "furlong" in text.diagnostics[0].message


def test_missing_measurement_unit_is_pixels_without_a_word() -> None:
    text = read(alto([ABlock((line("x y", (1, 2, 3, 4)),))], unit=None))
    assert text.surface is not None and text.surface.unit == "pixel"
    assert codes(text) == []


def test_unit_is_recorded_in_the_encoding_desc() -> None:
    """Contract §5: the unit of the coordinates is recorded in the header's encodingDesc."""
    data = alto([ABlock((line("some words here", (10, 10, 500, 30)),))], unit="inch1200")
    root = _convert_tree(data)
    desc = root.find(f"{TEI}teiHeader/{TEI}encodingDesc")
    assert desc is not None
    assert "inch1200" in etree.tostring(desc, encoding="unicode")


def test_float_coordinates_are_rounded() -> None:
    data = alto(
        [ABlock((line("a b", (10.4, 20.6, 100.2, 30.1)),))],
        page=(2999.6, 4000.2),
    )
    text = read(data)
    assert text.lines[0].box == Box(10, 21, 111, 51)
    assert text.surface is not None
    assert (text.surface.width, text.surface.height) == (3000, 4000)


def test_half_coordinates_round_up_as_in_the_other_readers() -> None:
    text = read(alto([ABlock((line("a b", (2.5, 4.5, 10, 10)),))]))
    assert text.lines[0].box == Box(3, 5, 13, 15)


def test_a_line_without_coordinates_is_kept_without_a_zone() -> None:
    data = alto(
        [
            ABlock(
                (
                    line("has a box", (10, 10, 500, 30)),
                    line("has none", None),
                    line("box again", (10, 90, 500, 30)),
                )
            )
        ]
    )
    text = read(data)
    assert [(ln.number, ln.box is None) for ln in text.lines] == [(1, False), (2, True), (3, False)]
    assert codes(text) == [("line.no-coordinates", 2)]
    root = _convert_tree(data)
    zones = [z.get(_XML_ID) for z in root.iter(f"{TEI}zone")]
    assert zones == ["f1-l1", "f1-l3"]
    lbs = {lb.get("n"): lb.get("facs") for lb in root.iter(f"{TEI}lb")}
    assert lbs == {"1": "#f1-l1", "2": None, "3": "#f1-l3"}


def test_a_partial_box_is_no_box() -> None:
    data = alto([ABlock((line("half", (10, 10, 500, 30)),))]).replace(b' WIDTH="500"', b"", 1)
    text = read(data)
    assert text.lines[0].box is None
    assert codes(text) == [("line.no-coordinates", 1)]


def test_a_box_outside_the_page_is_clipped() -> None:
    data = alto(
        [ABlock((line("inside", (10, 10, 500, 30)), line("past the edge", (2800, 3990, 500, 30))))]
    )
    text = read(data)
    assert text.lines[1].box == Box(2800, 3990, 3000, 4000)
    assert codes(text) == [("line.outside-page", 2)]


def test_graphical_elements_are_rules() -> None:
    data = alto(
        [ABlock((line("a b", (10, 10, 500, 30)),))],
        rules=[(100, 500, 2000, 6), (1500.4, 100, 4, 3000)],
    )
    surface = read(data).surface
    assert surface is not None
    assert [rule.box for rule in surface.rules] == [
        Box(100, 500, 2100, 506),
        Box(1500, 100, 1504, 3100),
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/mnt/scans/The_Omaha_Daily_Bee/ocr/0004.tif", "0004.tif"),
        ("C:\\scans\\star\\0007.jp2", "0007.jp2"),
        ("0012.jp2", "0012.jp2"),
    ],
)
def test_image_is_the_file_name_without_folders(path: str, name: str) -> None:
    data = alto([ABlock((line("a b", (10, 10, 500, 30)),))], image=path)
    surface = read(data).surface
    assert surface is not None and surface.image == name
    graphic = _convert_tree(data).find(f"{TEI}facsimile/{TEI}surface/{TEI}graphic")
    assert graphic is not None and graphic.get("url") == name


# --- pages without text, and pages that cannot be read ------------------------------------


def test_an_alto_page_without_text_converts_to_an_empty_page(tmp_path: Path) -> None:
    data = alto([ABlock((ALine((), (10, 10, 100, 20)),))])
    text = read(data)
    assert text.lines == ()
    assert ("page.no-text", None) in codes(text)
    source = tmp_path / "blank.xml"
    source.write_bytes(data)
    out = tmp_path / "out" / "blank.tei.xml"
    out.parent.mkdir()
    code, _, err = run("convert", str(source), "-o", str(out))
    # The page is converted: a page with no text is reported, not refused.
    assert code == 0, err
    assert "page.no-text" in err or "no text" in err
    root = etree.fromstring(out.read_bytes())
    assert root.find(f"{TEI}text/{TEI}body") is not None
    assert list(root.iter(f"{TEI}lb")) == []
    # Nothing but the output itself was written (no temporary file left behind).
    assert sorted(p.name for p in out.parent.iterdir()) == ["blank.tei.xml"]
    code, out_text, _ = run("text", str(out))
    assert (code, out_text) == (0, "")


@pytest.mark.parametrize(
    ("data", "line_no"),
    [
        (b'<?xml version="1.0"?>\n<alto xmlns="' + V4.encode() + b'">\n<Layout>\n</alto>\n', 4),
        (b"<alto>\n<Layout><Page><TextBlock>\n<TextLine>\n", None),
    ],
)
def test_malformed_alto_is_exit_4_with_file_and_line(
    tmp_path: Path, data: bytes, line_no: int | None
) -> None:
    source = tmp_path / "bad.xml"
    source.write_bytes(data)
    out = tmp_path / "bad.tei.xml"
    code, _, err = run("convert", str(source), "-o", str(out))
    assert code == ExitCode.DECODE
    assert code == 4
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert str(source) in lines[0]
    if line_no is not None:
        assert f"{source}:{line_no}" in lines[0]
    assert not out.exists()
    with pytest.raises(DecodeError):
        read(data)


def test_entity_declaration_is_exit_4(tmp_path: Path) -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE alto [<!ENTITY x "boom">]>\n'
        b'<alto><Layout><Page><PrintSpace><TextBlock><TextLine><String CONTENT="&x;"/>'
        b"</TextLine></TextBlock></PrintSpace></Page></Layout></alto>\n"
    )
    source = tmp_path / "entity.xml"
    source.write_bytes(data)
    out = tmp_path / "entity.tei.xml"
    code, _, err = run("convert", str(source), "-o", str(out))
    assert code == 4
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1
    assert str(source) in err
    assert not out.exists()


# --- the ocr.txt invariant ------------------------------------------------------------------


def _alto_pages() -> list[Path]:
    pages = sorted(EVAL_PAGES.glob("*.xml")) + sorted(DATA.rglob("*.xml"))
    return [p for p in pages if b"<alto" in p.read_bytes()[:4096] or _is_alto(p)]


def _is_alto(path: Path) -> bool:
    root = etree.parse(str(path)).getroot()
    return etree.QName(root).localname.lower() == "alto"


@pytest.mark.parametrize("page", _alto_pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_text_of_the_tei_is_the_pages_ocr_txt(page: Path, tmp_path: Path) -> None:
    out = tmp_path / "page.tei.xml"
    code, _, err = run("convert", str(page), "-o", str(out))
    assert code == 0, err
    code, text, err = run("text", str(out))
    assert code == 0, err
    want = ocr_txt(page.read_bytes())
    assert want  # a real page has text
    assert text == want


def test_real_pages_are_here() -> None:
    names = {p.name for p in _alto_pages()}
    assert "evening-star-1918-09-01-p1.xml" in names
    assert len([p for p in _alto_pages() if p.is_relative_to(DATA)]) >= 3


# --- helpers for the conversions above ---------------------------------------------------

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _convert_tree(data: bytes) -> etree._Element:
    from converter.model import Metadata
    from converter.pipeline import convert_bytes

    return etree.fromstring(convert_bytes(data, "page.xml", Metadata(page="1")).data)


def _convert_and_text(data: bytes) -> tuple[int, str, str]:
    from converter.lines import page_lines

    try:
        root = _convert_tree(data)
    except Exception as exc:  # pragma: no cover - reported by the assertion
        return 1, "", str(exc)
    return 0, "".join(f"{text}\n" for _, text in page_lines(root)), ""
