"""The sample pages of ``samples/layout/``: one synthetic newspaper page written in each layout
format but ALTO (hOCR, PAGE XML, PaddleOCR JSON), from one page layout.

The page: a running head and a folio at the top; a headline across all three columns with a
deck under it in the first column; the lead story running down the first column and on into
the second; a second story with its own headline at the foot of the second column and on into
the third; a brief at the foot of the third. Lines carry boxes and type sizes as OCR gives
them; the PaddleOCR page lists its lines by height, the columns interleaved, as PaddleOCR does.

``python -m tests.layout_samples`` rewrites the three files; then run ``make golden`` and
review both diffs.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "layout"

WIDTH, HEIGHT = 2480, 1000  # the top of a page at 300 dpi
MARGIN, GUTTER = 120, 60
COLUMN = (WIDTH - 2 * MARGIN - 2 * GUTTER) // 3
BODY = 34  # body line height in pixels
CHARS = 42  # characters of body type in a column's line
CHAR_WIDTH = COLUMN / CHARS

LEAD = (
    "The harbour board voted last night to rebuild the north pier before the winter storms, "
    "ending a dispute that has divided the town council for two years. The new pier will be "
    "built of stone on the line of the old timber one, and will carry a light at its head. "
    "Work is to begin in the spring, as soon as the quarry can deliver the first blocks. "
    "Members who had argued for a breakwater across the bay withdrew their motion after the "
    "engineer reported that the sea bed there would not hold its weight. The fishermen's "
    "association, which had asked for the pier since the great gale, sent a letter of thanks "
    "to be read at the next meeting. The cost will be met from the harbour dues, raised by "
    "one penny a ton on coal and timber landed at the quay. The chairman said that the board "
    "had waited long enough, and that every winter without a pier cost more in boats lost "
    "than the stone would cost to lay. The vote was carried by seven to two."
)
SECOND = (
    "The school on Mill Lane will open its new reading room on Saturday, with books given by "
    "families of the parish and a lamp paid for by the choir. Children may borrow two books "
    "a week, and grown readers one, on the promise to return them clean. The schoolmaster "
    "asks that anyone with books to spare bring them to the school house before Friday. "
    "Shelves have been built by the carpenters of the boat yard, who gave their evenings to "
    "the work. The room will be open each afternoon after lessons and on Saturday mornings."
)
BRIEF = (
    "Lost on Tuesday between the market and the church, a brown leather purse holding a "
    "key and a letter. The finder is asked to leave it at the post office."
)


@dataclass(frozen=True)
class PageLine:
    """A line of the sample page: text, box (x0, y0, x1, y1), type size in points, the region
    it stands in and that region's kind."""

    text: str
    box: tuple[int, int, int, int]
    size: float
    region: int
    kind: str  # header, page-number, heading, paragraph


def _left(column: int) -> int:
    return MARGIN + column * (COLUMN + GUTTER)


def _body(text: str, column: int, top: int, region: int, limit: int) -> list[PageLine]:
    lines = []
    for k, part in enumerate(textwrap.wrap(text, CHARS)[:limit]):
        y = top + k * BODY
        width = round(len(part) * CHAR_WIDTH)
        lines.append(
            PageLine(
                part,
                (_left(column), y, _left(column) + width, y + BODY - 6),
                9.0,
                region,
                "paragraph",
            )
        )
    return lines


def _centred(text: str, column: int, span: int, y: int, size: float, region: int) -> PageLine:
    scale = size / 9.0
    width = round(len(text) * CHAR_WIDTH * scale)
    measure = span * COLUMN + (span - 1) * GUTTER
    x = _left(column) + (measure - width) // 2
    return PageLine(text, (x, y, x + width, y + round(BODY * scale) - 6), size, region, "heading")


def page_lines() -> list[PageLine]:
    """The page's lines in the order a layout-aware OCR writes them: region by region."""
    lines = [
        PageLine(
            "THE COAST GAZETTE, SATURDAY, OCTOBER 12",
            (MARGIN, 60, MARGIN + 900, 90),
            9.0,
            0,
            "header",
        ),
        PageLine("3", (WIDTH - MARGIN - 30, 60, WIDTH - MARGIN, 90), 9.0, 1, "page-number"),
        _centred("HARBOUR BOARD VOTES FOR NEW NORTH PIER", 0, 3, 140, 24.0, 2),
        _centred("Stone to Replace the Old Timber,", 0, 1, 240, 12.0, 3),
        _centred("Work to Begin in Spring", 0, 1, 280, 12.0, 3),
    ]
    lead = textwrap.wrap(LEAD, CHARS)
    first = (HEIGHT - 60 - 340) // BODY
    lines += _body(LEAD, 0, 340, 4, first)
    rest = " ".join(lead[first:])
    lines += _body(rest, 1, 240, 5, 200)
    after = 240 + len(textwrap.wrap(rest, CHARS)) * BODY + 60
    lines.append(_centred("READING ROOM FOR MILL LANE", 1, 1, after, 14.0, 6))
    second = textwrap.wrap(SECOND, CHARS)
    fits = (HEIGHT - 60 - after - 60) // BODY
    lines += _body(SECOND, 1, after + 60, 7, fits)
    rest = " ".join(second[fits:])
    lines += _body(rest, 2, 240, 8, 200)
    below = 240 + len(textwrap.wrap(rest, CHARS)) * BODY + 60
    lines.append(_centred("LOST PURSE", 2, 1, below, 12.0, 9))
    lines += _body(BRIEF, 2, below + 50, 10, 20)
    return lines


def _bbox(box: tuple[int, int, int, int]) -> str:
    return "bbox {} {} {} {}".format(*box)


def hocr(lines: list[PageLine]) -> bytes:
    """The page as Tesseract hOCR: a carea and a paragraph a region, a line and its words."""
    xhtml = "http://www.w3.org/1999/xhtml"
    html = etree.Element(f"{{{xhtml}}}html", nsmap={None: xhtml})
    head = etree.SubElement(html, f"{{{xhtml}}}head")
    etree.SubElement(head, f"{{{xhtml}}}title").text = "Coast Gazette, page 3"
    etree.SubElement(head, f"{{{xhtml}}}meta", name="ocr-system", content="tesseract")
    body = etree.SubElement(html, f"{{{xhtml}}}body")
    page = etree.SubElement(
        body,
        f"{{{xhtml}}}div",
        {
            "class": "ocr_page",
            "id": "page_1",
            "title": f'image "gazette-p3.png"; bbox 0 0 {WIDTH} {HEIGHT}; ppageno 0',
        },
    )
    regions: dict[int, etree._Element] = {}
    for n, line in enumerate(lines, start=1):
        if line.region not in regions:
            area = etree.SubElement(
                page, f"{{{xhtml}}}div", {"class": "ocr_carea", "id": f"block_{line.region}"}
            )
            regions[line.region] = etree.SubElement(
                area, f"{{{xhtml}}}p", {"class": "ocr_par", "id": f"par_{line.region}"}
            )
        kind = "ocr_header" if line.kind == "heading" else "ocr_line"
        element = etree.SubElement(
            regions[line.region],
            f"{{{xhtml}}}span",
            {
                "class": kind,
                "id": f"line_{n}",
                "title": f"{_bbox(line.box)}; x_fsize {line.size:g}",
            },
        )
        x0, y0, x1, y1 = line.box
        words = line.text.split(" ")
        step = (x1 - x0) / max(len(line.text), 1)
        start = 0
        for k, word in enumerate(words):
            wx0 = x0 + round(start * step)
            wx1 = x0 + round((start + len(word)) * step)
            span = etree.SubElement(
                element,
                f"{{{xhtml}}}span",
                {
                    "class": "ocrx_word",
                    "id": f"word_{n}_{k + 1}",
                    "title": _bbox((wx0, y0, wx1, y1)),
                },
            )
            span.text = word
            span.tail = " " if k < len(words) - 1 else None
            start += len(word) + 1
    return etree.tostring(html, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def page_xml(lines: list[PageLine]) -> bytes:
    """The page as PAGE XML 2019: a TextRegion of its kind a region, a TextLine a line."""
    ns = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
    root = etree.Element(f"{{{ns}}}PcGts", nsmap={None: ns})
    meta = etree.SubElement(root, f"{{{ns}}}Metadata")
    etree.SubElement(meta, f"{{{ns}}}Creator").text = "newspaper-tei sample"
    etree.SubElement(meta, f"{{{ns}}}Created").text = "2026-01-01T00:00:00"
    etree.SubElement(meta, f"{{{ns}}}LastChange").text = "2026-01-01T00:00:00"
    page = etree.SubElement(
        root,
        f"{{{ns}}}Page",
        imageFilename="gazette-p3.png",
        imageWidth=str(WIDTH),
        imageHeight=str(HEIGHT),
    )
    regions: dict[int, etree._Element] = {}
    for n, line in enumerate(lines, start=1):
        if line.region not in regions:
            members = [ln.box for ln in lines if ln.region == line.region]
            x0 = min(b[0] for b in members)
            y0 = min(b[1] for b in members)
            x1 = max(b[2] for b in members)
            y1 = max(b[3] for b in members)
            region = etree.SubElement(
                page, f"{{{ns}}}TextRegion", id=f"r{line.region}", type=line.kind
            )
            etree.SubElement(
                region, f"{{{ns}}}Coords", points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"
            )
            regions[line.region] = region
        x0, y0, x1, y1 = line.box
        text_line = etree.SubElement(regions[line.region], f"{{{ns}}}TextLine", id=f"l{n}")
        etree.SubElement(
            text_line, f"{{{ns}}}Coords", points=f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"
        )
        equiv = etree.SubElement(text_line, f"{{{ns}}}TextEquiv")
        etree.SubElement(equiv, f"{{{ns}}}Unicode").text = line.text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def paddleocr(lines: list[PageLine]) -> bytes:
    """The page as PaddleOCR 3.x writes it: lines by height, the columns interleaved, each a
    four-point polygon slightly skewed as detected text is."""
    ordered = sorted(lines, key=lambda ln: (ln.box[1] // 20, ln.box[0]))
    polys = []
    for line in ordered:
        x0, y0, x1, y1 = line.box
        polys.append([[x0, y0 + 2], [x1, y0], [x1, y1 - 2], [x0, y1]])
    result = {
        "input_path": "gazette-p3.png",
        "page_index": None,
        "rec_texts": [line.text for line in ordered],
        "rec_scores": [0.98 for _ in ordered],
        "rec_polys": polys,
        "rec_boxes": [list(line.box) for line in ordered],
    }
    return (json.dumps(result, ensure_ascii=False, indent=1) + "\n").encode()


def main() -> None:
    lines = page_lines()
    for folder, name, data in (
        ("hocr", "p1.hocr", hocr(lines)),
        ("page", "p1.xml", page_xml(lines)),
        ("paddleocr", "p1.json", paddleocr(lines)),
    ):
        target = OUT / folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{target.relative_to(ROOT)}: written")


if __name__ == "__main__":
    main()
