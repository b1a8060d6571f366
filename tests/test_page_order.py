"""PAGE XML's own layout: its ``ReadingOrder`` gives the order of its regions, and its region
types make running heads, folios, footers and headings, whatever the page's geometry."""

from __future__ import annotations

from lxml import etree

from converter.model import Metadata
from converter.pipeline import convert_bytes
from converter.read.formats import read_source

PAGE = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
T = "{http://www.tei-c.org/ns/1.0}"


def _page(order: list[str] | None) -> bytes:
    """Two columns: region ``left`` and region ``right``, a heading region over both, a folio
    region at the foot; ``order`` is the ReadingOrder's list of region ids (None: none)."""
    root = etree.Element(f"{{{PAGE}}}PcGts", nsmap={None: PAGE})
    page = etree.SubElement(
        root, f"{{{PAGE}}}Page", imageFilename="p.png", imageWidth="2000", imageHeight="1500"
    )
    if order is not None:
        reading = etree.SubElement(page, f"{{{PAGE}}}ReadingOrder")
        group = etree.SubElement(reading, f"{{{PAGE}}}OrderedGroup", id="g")
        # Written out of order: the @index decides.
        for k, region in reversed(list(enumerate(order))):
            etree.SubElement(group, f"{{{PAGE}}}RegionRefIndexed", index=str(k), regionRef=region)

    def region(rid: str, kind: str, lines: list[tuple[str, int, int, int]]) -> None:
        element = etree.SubElement(page, f"{{{PAGE}}}TextRegion", id=rid, type=kind)
        for k, (text, x, y, w) in enumerate(lines):
            line = etree.SubElement(element, f"{{{PAGE}}}TextLine", id=f"{rid}{k}")
            points = f"{x},{y} {x + w},{y} {x + w},{y + 30} {x},{y + 30}"
            etree.SubElement(line, f"{{{PAGE}}}Coords", points=points)
            equiv = etree.SubElement(line, f"{{{PAGE}}}TextEquiv")
            etree.SubElement(equiv, f"{{{PAGE}}}Unicode").text = text

    region("head", "heading", [("Council Meets Tonight", 600, 100, 800)])
    region(
        "left",
        "paragraph",
        [(f"left column line {k}, and so on,", 100, 200 + 40 * k, 850) for k in range(8)],
    )
    region(
        "right",
        "paragraph",
        [(f"right column line {k}, and so on,", 1050, 200 + 40 * k, 850) for k in range(8)],
    )
    region("folio", "page-number", [("7", 980, 1400, 40)])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _lines_in_order(data: bytes) -> list[str]:
    out = convert_bytes(data, "p.xml", Metadata(page="7")).data
    root = etree.fromstring(out)
    body = root.find(f"{T}text/{T}body")
    assert body is not None
    return [t.strip() for t in body.itertext() if t.strip()]


def test_the_reading_order_decides_which_column_comes_first() -> None:
    text = read_source(_page(["head", "right", "left", "folio"]), "p.xml")
    assert text.surface is not None and text.surface.reading_order == (0, 2, 1, 3)
    order = _lines_in_order(_page(["head", "right", "left", "folio"]))
    first_right = next(k for k, t in enumerate(order) if t.startswith("right"))
    first_left = next(k for k, t in enumerate(order) if t.startswith("left"))
    assert first_right < first_left


def test_without_a_reading_order_the_layout_reads_left_to_right() -> None:
    text = read_source(_page(None), "p.xml")
    assert text.surface is not None and text.surface.reading_order == ()
    order = _lines_in_order(_page(None))
    first_right = next(k for k, t in enumerate(order) if t.startswith("right"))
    first_left = next(k for k, t in enumerate(order) if t.startswith("left"))
    assert first_left < first_right


def test_region_types_make_the_folio_and_the_heading() -> None:
    out = convert_bytes(_page(None), "p.xml", Metadata(page="7")).data
    root = etree.fromstring(out)
    folios = [("".join(fw.itertext()), fw.get("type")) for fw in root.iter(f"{T}fw")]
    assert folios == [("7", "pageNum")]
    heads = ["".join(h.itertext()) for h in root.iter(f"{T}head")]
    assert heads == ["Council Meets Tonight"]
