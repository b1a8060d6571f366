"""Properties of layout conversion on generated ALTO and PaddleOCR pages: random column counts,
line texts with XML's special characters and characters beyond the BMP, random boxes (some
missing, some past the page), PaddleOCR results in random order. Conversion never crashes, the
document is valid (bundled schema and tei_all), every source line comes back through line
recovery (nothing lost, nothing invented), and a second run gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.lines import recover_lines
from converter.model import Metadata
from converter.pipeline import convert_bytes
from converter.validate import validate_bytes
from tests.test_alto import NAMESPACES, ABlock, ALine, Word, alto

T = "{http://www.tei-c.org/ns/1.0}"
#: Letters of several scripts, XML's special characters, characters beyond the BMP
#: (mathematical letters, an emoji, a CJK extension B ideograph), a combining accent.
_ALPHABET = st.sampled_from(
    list("abcXYZ019.,;:-'\"<>&()[]/?!%$") + list("éßøΩжя中文報") + ["𝔖", "😀", "𠀀", "e\u0301"]
)
WORD = st.lists(_ALPHABET, min_size=1, max_size=8).map("".join)
WORDS = st.lists(WORD, min_size=0, max_size=6)
COLUMN_WIDTH = 600
GUTTER = 40
MARGIN = 50

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class GenLine:
    words: tuple[str, ...]
    box: tuple[int, int, int, int] | None  # x, y, width, height
    size: str  # TS9, TS12 or TS20
    hyp: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)


@st.composite
def pages(draw: st.DrawFn) -> tuple[int, int, list[list[GenLine]]]:
    """A page: its width and height, and its columns of lines (each column a text block)."""
    columns = draw(st.integers(1, 4))
    width = 2 * MARGIN + columns * COLUMN_WIDTH + (columns - 1) * GUTTER
    height = draw(st.integers(400, 3000))
    blocks: list[list[GenLine]] = []
    for c in range(columns):
        left = MARGIN + c * (COLUMN_WIDTH + GUTTER)
        y = draw(st.integers(0, 200))
        lines: list[GenLine] = []
        last = (y, 30)  # the top and height of the line before
        for _ in range(draw(st.integers(0, 12))):
            h = draw(st.integers(10, 80))
            box: tuple[int, int, int, int] | None
            kind = draw(
                st.sampled_from(
                    ["column", "column", "column", "wide", "wild", "none", "piece", "upright"]
                )
            )
            if kind == "piece":  # the right part of the line before, split off by the OCR
                half = COLUMN_WIDTH // 2
                lines.append(
                    GenLine(
                        tuple(draw(WORDS)),
                        (left + half + 10, last[0] + draw(st.integers(-5, 5)), half - 10, last[1]),
                        "TS9",
                        False,
                    )
                )
                continue
            if kind == "upright":  # a title set upright at the column's right edge
                box = (left + COLUMN_WIDTH - 40, y, 30, 6 * h)
            elif kind == "column":
                x = left + draw(st.integers(0, 60))
                box = (x, y, draw(st.integers(50, COLUMN_WIDTH - (x - left))), h)
            elif kind == "wide":  # across this column and the next: a headline, or merged OCR
                box = (left, y, 2 * COLUMN_WIDTH + GUTTER, h)
            elif kind == "wild":  # anywhere, past the page's edges too
                box = (
                    draw(st.integers(-100, width + 100)),
                    draw(st.integers(-100, height + 100)),
                    draw(st.integers(0, 800)),
                    h,
                )
            else:
                box = None
            last = (y, h)
            y += h + draw(st.integers(0, 120))
            words = tuple(draw(WORDS))
            size = draw(st.sampled_from(["TS9", "TS9", "TS9", "TS12", "TS20"]))
            lines.append(GenLine(words, box, size, draw(st.booleans()) and bool(words)))
        blocks.append(lines)
    return width, height, blocks


def convert(data: bytes, name: str) -> bytes:
    return convert_bytes(data, name, Metadata(page="1")).data


def check(data: bytes, name: str, want: dict[int, str], tei_all: etree.RelaxNG) -> None:
    out = convert(data, name)
    assert validate_bytes(out) == []
    root = etree.fromstring(out)
    assert tei_all.validate(root), str(tei_all.error_log)
    got = recover_lines(root)
    assert got == want
    # Every line's zone, where its lb points at one, exists.
    ids = {z.get("{http://www.w3.org/XML/1998/namespace}id") for z in root.iter(f"{T}zone")}
    for lb in root.iter(f"{T}lb"):
        facs = lb.get("facs")
        assert facs is None or facs[1:] in ids
    assert convert(data, name) == out


@SETTINGS
@given(page=pages(), version=st.sampled_from(sorted(NAMESPACES)))
def test_generated_alto_pages(
    page: tuple[int, int, list[list[GenLine]]], version: str, tei_all: etree.RelaxNG
) -> None:
    width, height, columns = page
    blocks = [
        ABlock(
            tuple(ALine(tuple(Word(w) for w in ln.words), ln.box, ln.size, ln.hyp) for ln in lines)
        )
        for lines in columns
    ]
    data = alto(blocks, ns=NAMESPACES[version], page=(width, height))
    flat = [ln for lines in columns for ln in lines]
    want = {n: ln.text for n, ln in enumerate(flat, start=1) if ln.text}
    check(data, "page.xml", want, tei_all)


@SETTINGS
@given(page=pages(), data=st.data())
def test_generated_paddleocr_pages_in_any_order(
    page: tuple[int, int, list[list[GenLine]]], data: st.DataObject, tei_all: etree.RelaxNG
) -> None:
    _, _, columns = page
    # PaddleOCR boxes every line; it has no line without coordinates and no empty box.
    flat = [
        ln for lines in columns for ln in lines if ln.box is not None and ln.box[2] > 0 and ln.text
    ]
    order = data.draw(st.permutations(flat))
    skew = data.draw(st.integers(0, 6))
    polys = []
    for ln in order:
        assert ln.box is not None
        x, y, w, h = ln.box
        polys.append([[x, y + skew], [x + w, y], [x + w, y + h], [x, y + h + skew]])
    source = json.dumps(
        {
            "input_path": "scan.png",
            "rec_texts": [ln.text for ln in order],
            "rec_scores": [0.9] * len(order),
            "rec_polys": polys,
        },
        ensure_ascii=data.draw(st.booleans()),
    ).encode()
    want = {n: ln.text for n, ln in enumerate(order, start=1)}
    check(source, "page.json", want, tei_all)
