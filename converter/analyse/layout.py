"""Layout stage: lines with boxes → columns, reading order, blocks, display type and running
heads, from the page's geometry alone (no language is known here; thresholds come from the
profile's ``[layout]`` table).

- **Columns** are found from the left edges of the lines of body measure: in set text most
  lines start at their column's left edge, so each column is a peak of left edges.
- **Reading order** cuts the page recursively (an XY cut aware of lines that span columns): a
  gutter that no spanning line crosses splits the page into groups read left to right; where
  every gutter is crossed, the page is cut above its topmost spanning line. A single column
  is read top to bottom, the pieces of a printed line the OCR split at a wide space left to
  right. OCR that interleaves columns by height (PaddleOCR) is thereby read column by column.
  A title set upright at the right edge of the text is read before the column it heads.
- **Blocks** break where the gap between two lines of a column exceeds ``paragraph_gap`` body
  line heights; a gap beyond ``story_gap``, or a printed rule between the lines, opens a new
  story; a change between display and body type breaks the block too.
- **Display type** (headline candidates): a line whose font size (or, without sizes, height)
  is ``head_ratio`` times the body type of the page, a short centred line, or a title of
  ideographs set upright; never a speck of a few letters, upright Latin letters (a rule
  misread) or a line that only runs together its neighbours' words (an OCR echo).
- **Advertisements** (pages with type sizes): copy set in many types, judged column by column.
- **Running heads and folios** stand alone in a thin band at the top or foot of the text
  (contract §5: ``fw``), never as headlines; a front page's **masthead** (the nameplate and
  the dated folio line under it) is kept apart from every story.
- A line of body type as wide as two columns is two columns the OCR merged: it stays one
  line, read in the column holding most of it, with a ``line.spans-columns`` diagnostic.

Lines without a box keep their place after the line that came before them in the source.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Literal

from ..diagnostics import Diagnostic, Diagnostics
from ..model import Box, Line, Surface, Text
from ..profile import LayoutRules
from .content import has_wide

Running = Literal["header", "footer", "pageNum"]
#: What a region's role in the source (PAGE ``@type``) makes its lines.
_ROLE_RUNNING: dict[str, Running] = {
    "header": "header",
    "footer": "footer",
    "page-number": "pageNum",
}
#: What stands before a line in reading order: nothing (same block), a paragraph break, a
#: column change, or a story break.
Break = Literal["", "paragraph", "column", "story"]

#: A year in digits, as the folio line under a nameplate prints the issue's date (any four
#: digits: OCR misreads the first often enough, "3920" for 1920).
_YEAR = re.compile(r"(?<![0-9,.])[0-9]{4}(?![0-9])")
#: Type within this share of the body's size is the body type (OCR sizes wobble).
_TYPE_TOLERANCE = 0.15
#: A folio: a page number alone, in digits or Roman numerals, between dashes or brackets.
_FOLIO = re.compile(r"^[\W_]*(\d{1,4}|[IVX]{1,6}|[ivx]{1,6})[\W_]*$")


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """A line where the layout put it: its column span, display type and the break before it."""

    line: Line
    first_column: int  # -1: no box
    last_column: int
    display: bool  # set in display type: a headline candidate
    ratio: float  # its type against the page's body type (size, else height); 0: unknown
    brk: Break
    #: Lesser display type set close under the text of its column: a crosshead inside the
    #: story, unless a story opens right under it (then it is that story's head).
    crosshead: bool = False


@dataclass(frozen=True)
class PageGeometry:
    """The result of the layout stage: the lines in reading order (running heads apart), the
    columns' left edges, the body type, and the running heads with their kind."""

    lines: tuple[PlacedLine, ...]
    running: tuple[tuple[Running, Line], ...]
    columns: tuple[int, ...]
    column_width: float
    body_height: float
    body_size: float | None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: A page without boxes: its lines as read, blank ones too (``lines`` is then empty).
    source: tuple[Line, ...] = ()
    #: The masthead of a front page: the nameplate and the folio line under it.
    masthead: tuple[Line, ...] = ()

    @property
    def laid_out(self) -> bool:
        return not self.source


def plain_geometry(text: Text) -> PageGeometry:
    """The geometry of a page without boxes: its lines as read."""
    return PageGeometry(
        lines=(),
        running=(),
        columns=(),
        column_width=0.0,
        body_height=0.0,
        body_size=None,
        source=text.lines,
    )


def analyse_layout(
    text: Text, rules: LayoutRules, segments: Mapping[int, int] | None = None
) -> PageGeometry:
    """Columns, reading order, blocks, display type and running heads of a layout page.

    ``segments`` are the articles a METS gives (line number → article ordinal): then the
    page is read article by article (each in reading order; lines in none after them all)
    and a story break stands wherever the article changes.
    """
    boxed = [line for line in text.lines if line.box is not None and line.text.strip()]
    if not boxed:
        return plain_geometry(text)
    diagnostics = Diagnostics()
    height = median(line.box.height for line in boxed if line.box is not None) or 1.0
    sizes = [line.size for line in boxed if line.size]
    body_size = median(sizes) if sizes and len(set(sizes)) > 1 else None
    type_heights = [line.type_height for line in boxed if line.type_height]
    body_type = median(type_heights) if len(type_heights) * 2 > len(boxed) else None
    width = _column_width(boxed, height)
    columns = _columns(boxed, width)
    ratio = {line.number: _ratio(line, body_size, body_type, height) for line in boxed}
    density = _body_density(boxed, height)
    # Specks (a rule read as "a", a garbled date "2 7") set no measure.
    measures = _Measures([ln for ln in boxed if _letters(ln) >= rules.head_min_letters], height)
    span = rules.span_ratio * width
    display = {
        line.number: line.role == "heading"
        # A speck of fewer letters (a garbled ornament, a date's digits, a rule read as "|")
        # is no headline however large it is set, nor a rule read as upright letters.
        or (
            _letters(line) >= rules.head_min_letters
            and (_upright(line) or not _tall(line))
            and (
                (
                    ratio[line.number] >= rules.head_ratio
                    and not (
                        _dense(line, density, rules)
                        and (
                            (body_size is None and ratio[line.number] >= rules.strong_ratio)
                            or _box(line).width > span
                        )
                    )
                )
                # A line standing centred among its neighbours, shorter than their measure.
                or _centred(line, measures)
                # A line set upright on a page of lines set across: a title.
                or _upright(line)
            )
        )
        for line in boxed
    }
    # Running heads and folios: as the source names them (PAGE region types), else by place.
    named = [(_ROLE_RUNNING[ln.role], ln) for ln in boxed if ln.role in _ROLE_RUNNING]
    running = tuple(named) if named else _running(boxed, display, rules, height)
    taken = {line.number for _, line in running}
    masthead, ears = _masthead([ln for ln in boxed if ln.number not in taken], ratio, rules)
    taken.update(line.number for line in masthead)
    if not named and not masthead and not any(kind == "header" for kind, _ in running):
        lone = _lone_head([ln for ln in boxed if ln.number not in taken], display, height)
        if lone is not None:
            running = tuple(sorted((*running, ("header", lone)), key=lambda r: r[1].number))
            taken.add(lone.number)
    body = [line for line in boxed if line.number not in taken]
    spans = {line.number: _span(line, columns, width, rules) for line in body}
    # A spanning line of body type among no others like it: two columns merged by the OCR.
    wide = _wide_measures(body, spans, display)
    for line in body:
        first, last = spans[line.number]
        if first != last and not display[line.number] and line.number not in wide:
            spans[line.number] = _main_column(line, columns, width, first, last)
            diagnostics.warn(
                "line.spans-columns",
                line.number,
                f"the line spans columns {first + 1}–{last + 1}: kept whole in column "
                f"{spans[line.number][0] + 1}",
            )
    ordered = _upright_heads(_reading_order(body, spans), spans, display)
    if text.surface is not None and text.surface.reading_order:
        # The source's order of its regions wins; within a region, and for regions it does
        # not name (after those it names), the layout's order stands (a stable sort).
        rank = {region: k for k, region in enumerate(text.surface.reading_order)}
        unranked = len(rank)
        ordered = sorted(
            ordered,
            key=lambda ln: rank.get(ln.region, unranked) if ln.region is not None else unranked,
        )
    if segments is not None:
        # A stable sort: each article's lines keep their reading order.
        ordered = sorted(ordered, key=lambda ln: segments.get(ln.number, len(segments) + 1))
    echoes = _echoes(ordered)
    display.update((n, False) for n in echoes)
    settled = _settle_display(ordered, spans, display, ratio, height, rules)
    crossheads = frozenset(
        _crossheads(ordered, spans, display, settled, ratio, height, rules, body_size is not None)
    )
    settled = {n: value and n not in crossheads for n, value in settled.items()}
    placed = _place(
        ordered, spans, settled, crossheads, ratio, text.surface, height, rules, segments, echoes
    )
    if segments is None and body_size is not None:
        placed = _adverts(placed, rules)
    placed = _ears(placed, ears)
    placed = _unboxed(text.lines, placed)
    return PageGeometry(
        lines=tuple(placed),
        running=running,
        columns=tuple(columns),
        column_width=width,
        body_height=height,
        body_size=body_size,
        diagnostics=diagnostics.frozen(),
        masthead=masthead,
    )


def _box(line: Line) -> Box:
    assert line.box is not None
    return line.box


def _ratio(
    line: Line, body_size: float | None, body_type: float | None, body_height: float
) -> float:
    """The line's type against the body type: by font size where the page has several sizes,
    else by the height of its words where the source boxes them, else by line height."""
    if body_size and line.size:
        return line.size / body_size
    if body_type and line.type_height:
        ratio = line.type_height / body_type
        # Capitals have no descenders: a line of them measures lower than running text of
        # the same type (about 0.85 of it).
        cased = [c for c in line.text if c.isupper() or c.islower()]
        if len(cased) >= 4 and sum(c.isupper() for c in cased) >= 0.8 * len(cased):
            ratio /= 0.85
        return ratio
    return _box(line).height / body_height


def _density(line: Line) -> float:
    """Characters per unit of width: type twice as large sets half as many in a line."""
    return len(line.text.strip()) / max(_box(line).width, 1)


def _body_density(lines: Sequence[Line], height: float) -> float:
    """How densely the body type is set: the median density of lines of body height."""
    found = [_density(ln) for ln in lines if _box(ln).height <= 1.5 * height]
    return median(found) if found else 0.0


def _dense(line: Line, density: float, rules: LayoutRules) -> bool:
    """A line set as densely as the body though it measures taller: type twice the body's
    sets half as many characters in a line, so a line as dense as the body is body type —
    two columns the OCR merged into one skewed line, or a line whose box or polygon the OCR
    made too tall. Condensed headline type is not as dense as that; a lesser display line
    (a deck) may be, so the layout asks this only of lines across columns or of lines
    measured much taller than the body."""
    return len(line.text.strip()) >= 8 and _density(line) * rules.head_ratio >= density


def _column_width(lines: Sequence[Line], height: float) -> float:
    """The measure of a column: the width most full lines of body height reach (the 80th
    percentile of their widths; short last lines of paragraphs are fewer)."""
    widths = sorted(_box(ln).width for ln in lines if _box(ln).height <= 1.5 * height)
    if not widths:
        widths = sorted(_box(ln).width for ln in lines)
    return float(max(widths[min(len(widths) - 1, int(len(widths) * 0.8))], 1))


def _columns(lines: Sequence[Line], width: float) -> list[int]:
    """The left edges of the columns: peaks of the left edges of lines of column measure."""
    lefts = sorted(_box(ln).ulx for ln in lines if _box(ln).width <= 1.1 * width)
    if not lefts:
        return [min(_box(ln).ulx for ln in lines)]
    step = max(width / 8, 1.0)
    counts: dict[int, int] = {}
    for left in lefts:
        counts[int(left // step)] = counts.get(int(left // step), 0) + 1
    need = max(3, len(lefts) // 100)
    # A column's left edge is the densest bin of left edges within a column width.
    peaks: list[int] = []
    for index in sorted(counts, key=lambda b: (-counts[b], b)):
        if counts[index] < need:
            break
        if all(abs(index - p) * step >= 0.6 * width for p in peaks):
            peaks.append(index)
    if not peaks:
        return [lefts[0]]
    edges = []
    for peak in sorted(peaks):
        inside = [x for x in lefts if peak * step - step <= x < peak * step + 2 * step]
        edges.append(int(median(inside)))
    return edges


def _column_of(x: float, columns: Sequence[int], width: float) -> int:
    """The column a point lies in: the last whose left edge is at or before it (with a small
    tolerance for ragged OCR boxes)."""
    tolerance = width * 0.1
    index = 0
    for i, left in enumerate(columns):
        if left - tolerance <= x:
            index = i
    return index


def _span(line: Line, columns: Sequence[int], width: float, rules: LayoutRules) -> tuple[int, int]:
    """The columns a line stands in: by its left edge, where set text starts (a paragraph's
    short last line starts at its column's edge, wherever its middle falls); a line wider
    than ``span_ratio`` columns spans those its ends reach into."""
    box = _box(line)
    if box.width <= rules.span_ratio * width:
        column = _column_of(box.ulx, columns, width)
        return column, column
    first = _column_of(box.ulx + width * 0.15, columns, width)
    last = _column_of(box.lrx - width * 0.15, columns, width)
    return min(first, last), max(first, last)


def _main_column(
    line: Line, columns: Sequence[int], width: float, first: int, last: int
) -> tuple[int, int]:
    """The column holding most of a line that spans several."""
    box = _box(line)

    def overlap(i: int) -> float:
        right = columns[i + 1] if i + 1 < len(columns) else columns[i] + width
        return min(box.lrx, right) - max(box.ulx, columns[i])

    best = max(range(first, last + 1), key=lambda i: (overlap(i), -i))
    return best, best


def _wide_measures(
    body: Sequence[Line], spans: dict[int, tuple[int, int]], display: dict[int, bool]
) -> set[int]:
    """The spanning lines of body type with two others spanning the same columns within three
    of their heights: text set across columns on purpose, not two columns merged by the OCR."""
    by_span: dict[tuple[int, int], list[Box]] = {}
    numbers: dict[tuple[int, int], list[int]] = {}
    for line in sorted(body, key=lambda ln: _box(ln).uly):
        span = spans[line.number]
        if span[0] != span[1] and not display[line.number]:
            by_span.setdefault(span, []).append(_box(line))
            numbers.setdefault(span, []).append(line.number)
    wide: set[int] = set()
    for span, boxes in by_span.items():
        tops = [box.uly for box in boxes]
        for box, number in zip(boxes, numbers[span], strict=True):
            reach = 3 * box.height
            near = bisect.bisect_right(tops, box.uly + reach) - bisect.bisect_left(
                tops, box.uly - reach
            )
            if near >= 3:  # itself and two others
                wide.add(number)
    return wide


class _Measures:
    """The measure each line is set in: the median left and right edges of the lines above
    and below it (within four body line heights) that share some of its width. Columns of
    one page differ in width (a tabloid's boxes), so a line is judged by its neighbours."""

    def __init__(self, lines: Sequence[Line], height: float) -> None:
        ordered = sorted(lines, key=_centre_y)
        self.centres = [_centre_y(ln) for ln in ordered]
        self.numbers = [ln.number for ln in ordered]
        self.edges = [(_box(ln).ulx, _box(ln).lrx) for ln in ordered]
        self.reach = 4 * height

    def of(self, line: Line) -> tuple[float, float] | None:
        box = _box(line)
        centre = _centre_y(line)
        lo = bisect.bisect_left(self.centres, centre - self.reach)
        hi = bisect.bisect_right(self.centres, centre + self.reach)
        # Neighbours sharing some of the line's width: each starts left of its end and ends
        # right of its start.
        left, right, number = box.ulx, box.lrx, line.number
        near = [
            (ulx, lrx)
            for n, (ulx, lrx) in zip(self.numbers[lo:hi], self.edges[lo:hi], strict=True)
            if ulx < right and lrx > left and n != number
        ]
        if len(near) < 2:
            return None
        return median(e[0] for e in near), median(e[1] for e in near)


def _letters(line: Line) -> int:
    return sum(1 for c in line.text if c.isalpha())


def _centred(line: Line, measures: _Measures) -> bool:
    """A short line centred in the measure of the lines around it: a headline or a deck,
    whatever its type (running text is justified or set flush left, so its short lines end
    paragraphs at the left)."""
    measure = measures.of(line)
    if measure is None:
        return False
    box = _box(line)
    left, right = box.ulx - measure[0], measure[1] - box.lrx
    width = measure[1] - measure[0]
    return (
        width > 0
        and box.width < 0.85 * width
        and left > 0.08 * width
        and right > 0.08 * width
        and abs(left - right) < 0.15 * width
    )


def _running(
    lines: Sequence[Line], display: dict[int, bool], rules: LayoutRules, height: float
) -> tuple[tuple[Running, Line], ...]:
    """Running heads and folios: the lines alone in a thin band at the top or foot of the
    text: a bare page number, or at the top lines of body type reaching across a third of the
    text's width."""
    # The text's top and foot, a stray speck above or below it (a lone OCR line from an
    # ornament) set aside: the second line from each edge.
    tops = sorted(_box(ln).uly for ln in lines)
    bottoms = sorted(_box(ln).lry for ln in lines)
    top = tops[1] if len(tops) > 1 else tops[0]
    bottom = bottoms[-2] if len(bottoms) > 1 else bottoms[-1]
    left = min(_box(ln).ulx for ln in lines)
    right = max(_box(ln).lrx for ln in lines)
    band = max(rules.running_band * (bottom - top), 1.5 * height)
    found: list[tuple[Running, Line]] = []
    for edge in ("top", "foot"):
        taken = {ln.number for _, ln in found}  # a page of one row: its top is its foot
        row = [
            ln
            for ln in lines
            if ln.number not in taken
            and (_box(ln).lry <= top + band if edge == "top" else _box(ln).uly >= bottom - band)
        ]
        # A running head stands above a page of text, alone in its band: a page of a row or
        # two has none, and the first line of a column beside a headline is not one.
        if not row or len(row) > 4 or len(lines) < len(row) + 3:
            continue
        if edge == "top" and _overlapped(row, lines):
            continue
        # A bare page number is a folio whatever its type.
        folios = [ln for ln in row if _FOLIO.match(ln.text.strip())]
        found.extend(("pageNum", ln) for ln in folios)
        rest = [ln for ln in row if ln not in folios]
        if edge != "top" or not rest or any(display[ln.number] for ln in rest):
            continue
        spread = max(_box(ln).lrx for ln in rest) - min(_box(ln).ulx for ln in rest)
        if spread >= 0.3 * (right - left):
            found.extend(("header", ln) for ln in rest)
    return tuple(sorted(found, key=lambda item: item[1].number))


def _lone_head(lines: Sequence[Line], display: dict[int, bool], height: float) -> Line | None:
    """An inner page's running head the OCR read in part (the paper's name in large type,
    "Der" of "Der Nordstern"): the topmost line, in display type, short, standing clear above
    every other line by half a line or more."""
    if len(lines) < 3:
        return None
    ordered = sorted(lines, key=lambda ln: (_box(ln).uly, ln.number))
    top, rest = ordered[0], ordered[1:]
    left = min(_box(ln).ulx for ln in lines)
    right = max(_box(ln).lrx for ln in lines)
    clear = min(_box(ln).uly for ln in rest) - _box(top).lry
    if display[top.number] and _box(top).width < 0.1 * (right - left) and clear >= 0.5 * height:
        return top
    return None


def _overlapped(row: Sequence[Line], lines: Sequence[Line]) -> bool:
    """Whether a line outside the row reaches up into the row's band."""
    bottom = max(_box(ln).lry for ln in row)
    inside = {ln.number for ln in row}
    return any(_box(ln).uly < bottom for ln in lines if ln.number not in inside)


def _masthead(
    lines: Sequence[Line], ratio: dict[int, float], rules: LayoutRules
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """A front page's masthead and its ears. The masthead is its folio line — a line across a
    third of the page in its top quarter holding a year in digits (the date of the issue under
    the nameplate) — with the lines beside it, and the lines of large type above it (the
    nameplate, as far as the OCR read it); the ears are the other lines above the folio line
    (the weather, the edition's slogan, the wire service's notice), boxes of their own beside
    the nameplate. None on a page without such a line (running heads are found before)."""
    if not lines:
        return (), ()
    top = min(_box(ln).uly for ln in lines)
    bottom = max(_box(ln).lry for ln in lines)
    left = min(_box(ln).ulx for ln in lines)
    right = max(_box(ln).lrx for ln in lines)
    candidates = [
        ln
        for ln in lines
        if _box(ln).uly < top + 0.25 * (bottom - top)
        and _box(ln).width >= 0.3 * (right - left)
        and _YEAR.search(ln.text)
    ]
    if not candidates:
        return _nameplate(lines, ratio, rules, top + 0.25 * (bottom - top))
    folio = min(candidates, key=_top_down)
    row = _box(folio)
    found, ears = [], []
    for ln in lines:
        box = _box(ln)
        beside = min(box.lry, row.lry) - max(box.uly, row.uly) > 0.5 * max(box.height, row.height)
        above = box.lry <= row.uly + row.height // 2
        nameplate = (
            above
            and ratio[ln.number] >= rules.strong_ratio
            and min(box.lrx, row.lrx) - max(box.ulx, row.ulx) > 0.5 * box.width
        )
        if ln is folio or beside or nameplate:
            found.append(ln)
        elif above:
            ears.append(ln)
    return _by_number(found), _by_number(ears)


def _by_number(lines: Sequence[Line]) -> tuple[Line, ...]:
    return tuple(sorted(lines, key=lambda ln: ln.number))


def _nameplate(
    lines: Sequence[Line], ratio: dict[int, float], rules: LayoutRules, quarter: float
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """A masthead with no folio line across the page: the nameplate (the largest type in the
    top quarter, at least ``nameplate_ratio`` times the body type and set across, not down)
    with the lines printed inside its box (issue number, weekday, date); its ears are the
    lines standing beside it, within its height."""
    plates = [
        ln
        for ln in lines
        if _box(ln).uly < quarter
        and ratio[ln.number] >= rules.nameplate_ratio
        and _box(ln).width >= _box(ln).height
    ]
    if not plates:
        return (), ()
    plate = max(plates, key=lambda ln: (ratio[ln.number], -ln.number))
    area = _box(plate)
    found, ears = [], []
    for ln in lines:
        box = _box(ln)
        level = area.uly <= (box.uly + box.lry) // 2 <= area.lry
        if ln is plate or (level and area.ulx <= (box.ulx + box.lrx) // 2 <= area.lrx):
            found.append(ln)
        elif level and box.lry <= area.lry:
            ears.append(ln)
    return _by_number(found), _by_number(ears)


def _reading_order(lines: Sequence[Line], spans: dict[int, tuple[int, int]]) -> list[Line]:
    """The reading order of the lines (see module docstring): regions of columns are read
    one after another, each cut as the first that applies says:

    - a region of one column is read top to bottom;
    - gutters that no spanning line crosses split it into groups read left to right;
    - where every gutter is crossed, the lines above the topmost spanning line are read
      first, then that line, then the rest.

    The regions wait on a stack (no recursion: a tall page holds thousands of them).
    """
    if not lines:
        return []
    out: list[Line] = []
    first = min(spans[ln.number][0] for ln in lines)
    last = max(spans[ln.number][1] for ln in lines)
    # A task is a region to read (lines, first column, last column) or a line to emit.
    tasks: list[tuple[list[Line], int, int] | Line] = [(list(lines), first, last)]
    while tasks:
        task = tasks.pop()
        if isinstance(task, Line):
            out.append(task)
            continue
        region, first, last = task
        if not region:
            continue
        if first == last:
            out.extend(_rows(sorted(region, key=_top_down)))
            continue
        spanning = [ln for ln in region if spans[ln.number][0] != spans[ln.number][1]]
        crossed = {k for ln in spanning for k in range(spans[ln.number][0], spans[ln.number][1])}
        free = [k for k in range(first, last) if k not in crossed]
        if free:
            bounds = [first, *[k + 1 for k in free], last + 1]
            groups = [
                ([ln for ln in region if lo <= spans[ln.number][0] <= hi - 1], lo, hi - 1)
                for lo, hi in itertools.pairwise(bounds)
            ]
            tasks.extend(reversed(groups))
            continue
        tasks.extend(reversed(_peel(region, first, last, spans)))
    return out


def _tall(line: Line) -> bool:
    """A box more than three times as tall as it is wide."""
    return _box(line).height > 3 * _box(line).width


def _upright(line: Line) -> bool:
    """A line set upright: a tall box of ideographs (UAX #11 wide: only they are set
    upright; upright Latin letters are a rule or an ornament misread, "AAAVWA")."""
    return _tall(line) and has_wide(line.text)


def _upright_heads(
    ordered: list[Line], spans: dict[int, tuple[int, int]], display: dict[int, bool]
) -> list[Line]:
    """A headline set upright at the right edge of the text (a Chinese page's vertical title)
    heads the column of text to its left: it is read right before that column's run of
    lines, not after it as a column of its own."""
    upright = [ln for ln in ordered if display[ln.number] and _upright(ln)]
    for head in upright:
        box = _box(head)
        beside = [
            ln
            for ln in ordered
            if ln is not head
            and _box(ln).width > _box(ln).height
            and (_box(ln).ulx + _box(ln).lrx) / 2 < box.ulx
            and _box(ln).uly < box.lry
            and _box(ln).lry > box.uly
        ]
        after = [
            ln
            for ln in ordered
            if _box(ln).width > _box(ln).height
            and (_box(ln).ulx + _box(ln).lrx) / 2 > box.lrx
            and _box(ln).uly < box.lry
            and _box(ln).lry > box.uly
        ]
        if not beside or after:
            continue  # text on both sides: which it heads, the reading order has said
        # The nearest column beside it with some lines of text there (a stray speck
        # between does not count), and the run of lines read in it around them.
        counts: dict[int, int] = {}
        for ln in beside:
            counts[spans[ln.number][1]] = counts.get(spans[ln.number][1], 0) + 1
        column = max((c for c in counts if counts[c] >= 3), default=None)
        if column is None:
            continue
        rest = [ln for ln in ordered if ln is not head]
        start = min(
            k for k, ln in enumerate(rest) if ln in beside and spans[ln.number][1] == column
        )
        while start > 0 and spans[rest[start - 1].number] == spans[rest[start].number]:
            start -= 1
        ordered = [*rest[:start], head, *rest[start:]]
    return ordered


def _peel(
    region: list[Line], first: int, last: int, spans: dict[int, tuple[int, int]]
) -> list[tuple[list[Line], int, int] | Line]:
    """A region every gutter of which a spanning line crosses, as tasks in reading order: the
    lines above its topmost spanning line, that line, and again for the next spanning line as
    long as the ones left still cross every gutter; then the rest. One sort, not a pass over
    the region for each spanning line."""
    by_centre = sorted(region, key=_top_down)
    centres = [_centre_y(ln) for ln in by_centre]
    spanning = [ln for ln in by_centre if spans[ln.number][0] != spans[ln.number][1]]
    gutters = set(range(first, last))
    # crossed[j]: the gutters the spanning lines from the j-th on cross.
    crossed: list[set[int]] = [set() for _ in range(len(spanning) + 1)]
    for j in range(len(spanning) - 1, -1, -1):
        a, b = spans[spanning[j].number]
        crossed[j] = crossed[j + 1] | set(range(a, b))
    seq: list[tuple[list[Line], int, int] | Line] = []
    placed: set[int] = set()
    position = 0
    for j, head in enumerate(spanning):
        end = max(position, bisect.bisect_left(centres, _box(head).uly, lo=position))
        above = [ln for ln in by_centre[position:end] if ln.number not in placed]
        if above:
            seq.append((above, first, last))
        seq.append(head)
        placed.add(head.number)
        position = end
        if not gutters <= crossed[j + 1]:
            break
    rest = [ln for ln in by_centre[position:] if ln.number not in placed]
    # A headline across some of the columns heads the text set under it: that is read next,
    # before the columns beside it.
    a, b = spans[seq[-1].number] if isinstance(seq[-1], Line) else (first, last)
    under = [ln for ln in rest if a <= spans[ln.number][0] and spans[ln.number][1] <= b]
    if (a, b) != (first, last) and under:
        beside = [ln for ln in rest if not (a <= spans[ln.number][0] and spans[ln.number][1] <= b)]
        seq.append((under, a, b))
        seq.append((beside, first, last))
    else:
        seq.append((rest, first, last))
    return seq


def _settle_display(
    ordered: Sequence[Line],
    spans: dict[int, tuple[int, int]],
    display: dict[int, bool],
    ratio: dict[int, float],
    height: float,
    rules: LayoutRules,
) -> dict[int, bool]:
    """Display type seen in reading order: a long run of lines only a little larger than the
    body (under ``strong_ratio``) is text set large (a lead's first paragraphs), not a head."""
    settled = dict(display)
    runs: list[list[int]] = []
    for index, line in enumerate(ordered):
        if not display[line.number]:
            continue
        if runs and runs[-1][-1] == index - 1 and _overlap(spans, line, ordered[index - 1]):
            runs[-1].append(index)
        else:
            runs.append([index])
    # The last line of a paragraph of text set large (wide lines of dense type are never
    # display) is in that same type: it ends the paragraph, it heads nothing.
    for index in range(1, len(ordered)):
        line, before = ordered[index], ordered[index - 1]
        if (
            display[line.number]
            and not display[before.number]
            and ratio[before.number] >= rules.head_ratio
            and ratio[line.number] < rules.strong_ratio
            and _same_type(ratio[before.number], ratio[line.number])
            and _overlap(spans, line, before)
        ):
            settled[line.number] = False
    minor = [run for run in runs if all(ratio[ordered[i].number] < rules.strong_ratio for i in run)]
    # Text set large is read as a whole: runs of lesser display type with a line or two of
    # body type between them (OCR misjudges a size now and then) count together.
    for cluster in _clusters(minor, 3):
        if sum(len(run) for run in cluster) > rules.display_max_lines:
            settled.update((ordered[i].number, False) for run in cluster for i in run)
    return settled


def _crossheads(
    ordered: Sequence[Line],
    spans: dict[int, tuple[int, int]],
    display: dict[int, bool],
    settled: dict[int, bool],
    ratio: dict[int, float],
    height: float,
    rules: LayoutRules,
    sized: bool,
) -> set[int]:
    """The crossheads among the display runs still standing: one or two lines of lesser
    display type set close under the text of their column (less than ``crosshead_gap`` body
    line heights) with more text below are a crosshead inside the story, not the head of a
    new one (a story's head stands after a rule or a wider gap)."""
    found: set[int] = set()
    runs: list[list[int]] = []
    for index, line in enumerate(ordered):
        if not settled[line.number]:
            continue
        if runs and runs[-1][-1] == index - 1 and _overlap(spans, line, ordered[index - 1]):
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        if any(ratio[ordered[i].number] >= rules.strong_ratio for i in run):
            continue
        # A crosshead is set in the body's size or larger: where the source gives sizes,
        # centred type smaller than the body heads the brief items of a column (measured by
        # the height of words, capitals and small type are not told apart).
        if sized and any(ratio[ordered[i].number] < 0.95 for i in run):
            continue
        before, after = run[0] - 1, run[-1] + 1
        if len(run) > 2 or before < 0 or after >= len(ordered):
            continue
        above, first, below = ordered[before], ordered[run[0]], ordered[after]
        if display[above.number] or display[below.number]:
            continue
        if ratio[below.number] < 0.85:
            continue  # type clearly smaller than the body under it: a deck, the head goes on
        column = spans[first.number]
        if spans[above.number] != column or spans[below.number] != column:
            continue
        if _box(first).uly - _box(above).lry < rules.crosshead_gap * height:
            found.update(ordered[i].number for i in run)
    return found


def _clusters(runs: list[list[int]], reach: int) -> list[list[list[int]]]:
    """Runs (of indexes in reading order) grouped where one starts within ``reach`` lines of
    the end of the one before."""
    clusters: list[list[list[int]]] = []
    for run in runs:
        if clusters and run[0] - clusters[-1][-1][-1] <= reach:
            clusters[-1].append(run)
        else:
            clusters.append([run])
    return clusters


def _overlap(spans: dict[int, tuple[int, int]], a: Line, b: Line) -> bool:
    """Whether two lines share a column."""
    (a0, a1), (b0, b1) = spans[a.number], spans[b.number]
    return a0 <= b1 and b0 <= a1


def _rows(column: list[Line]) -> list[Line]:
    """A column's lines (top down) with the lines of one row read left to right: the OCR
    splits a printed line at a wide space into pieces whose tops differ by a few pixels."""
    out: list[Line] = []
    row: list[Line] = []
    for line in column:
        if row and not _same_row(row[0], line):
            out.extend(sorted(row, key=lambda ln: (_box(ln).ulx, ln.number)))
            row = []
        row.append(line)
    out.extend(sorted(row, key=lambda ln: (_box(ln).ulx, ln.number)))
    return out


def _echoes(ordered: Sequence[Line]) -> frozenset[int]:
    """Lines the OCR made of the last word of the line before and the first word of the
    line after run together ("day.Mr." between "... day." and "Mr. Duras ..."): an echo of
    its neighbours' words in a box of its own, never a headline nor a break."""
    found: set[int] = set()
    for before, line, after in zip(ordered, ordered[1:], ordered[2:], strict=False):
        words_before, words_after = before.text.split(), after.text.split()
        if (
            words_before
            and words_after
            and "".join(line.text.split()) == words_before[-1] + words_after[0]
        ):
            found.add(line.number)
    return frozenset(found)


def _same_row(a: Line, b: Line) -> bool:
    """Two lines of one height side by side, their middles within half that height of each
    other (lines that overlap across are one above the other, however skewed the scan)."""
    box_a, box_b = _box(a), _box(b)
    low, high = sorted((box_a.height, box_b.height))
    return (
        (box_a.lrx <= box_b.ulx or box_b.lrx <= box_a.ulx)
        and high <= 1.2 * low
        and abs(_centre_y(a) - _centre_y(b)) < 0.5 * low
    )


def _top_down(line: Line) -> tuple[float, int, int]:
    box = _box(line)
    return ((box.uly + box.lry) / 2, box.ulx, line.number)


def _centre_y(line: Line) -> float:
    box = _box(line)
    return (box.uly + box.lry) / 2


def _place(
    ordered: Sequence[Line],
    spans: dict[int, tuple[int, int]],
    display: dict[int, bool],
    crossheads: frozenset[int],
    ratio: dict[int, float],
    surface: Surface | None,
    height: float,
    rules: LayoutRules,
    segments: Mapping[int, int] | None = None,
    echoes: frozenset[int] = frozenset(),
) -> list[PlacedLine]:
    """Each line with the break before it (see module docstring); a story break wherever
    the article a METS gives changes; none around an OCR echo."""
    rule_boxes = [r.box for r in surface.rules] if surface is not None else []
    # Pieces of printed lines the OCR split at a wide space: their rows run on as one text
    # though the pieces may sit in regions of their own.
    pieces = {
        ln.number
        for a, b in itertools.pairwise(ordered)
        if _same_row(a, b) and _box(b).ulx >= _box(a).lrx
        for ln in (a, b)
    }
    placed: list[PlacedLine] = []
    previous: Line | None = None
    for line in ordered:
        brk: Break = ""
        if previous is not None:
            brk = _break(previous, line, spans, display, ratio, height, rules, rule_boxes)
            if brk == "paragraph" and previous.number in pieces and line.number in pieces:
                # Rows of pieces run on from region to region.
                brk = _break(previous, line, spans, display, ratio, height, rules, rule_boxes, True)
            if line.number in echoes or previous.number in echoes:
                brk = ""
            if segments is not None and segments.get(line.number) != segments.get(previous.number):
                brk = "story"
            elif not brk and (line.number in crossheads) != (previous.number in crossheads):
                brk = "paragraph"  # a crosshead stands as a paragraph of its own
        first, last = spans[line.number]
        placed.append(
            PlacedLine(
                line,
                first,
                last,
                display[line.number],
                ratio[line.number],
                brk,
                line.number in crossheads,
            )
        )
        previous = line
    return placed


def _break(
    previous: Line,
    line: Line,
    spans: dict[int, tuple[int, int]],
    display: dict[int, bool],
    ratio: dict[int, float],
    height: float,
    rules: LayoutRules,
    rule_boxes: Sequence[Box],
    across_regions: bool = False,
) -> Break:
    """The break between two lines that follow each other in reading order; a change of
    region is a paragraph break unless ``across_regions``."""
    a, b = _box(previous), _box(line)
    if spans[previous.number] != spans[line.number] and not (
        _within(spans[line.number], spans[previous.number]) and b.uly >= a.uly
    ):
        # Another column: the text runs on there unless the type changes.
        return "paragraph" if display[previous.number] != display[line.number] else "column"
    gap = b.uly - a.lry
    if any(_rule_between(r, a, b) for r in rule_boxes):
        return "story"
    if gap > rules.story_gap * height and not display[previous.number]:
        return "story"
    if display[previous.number] != display[line.number]:
        return "paragraph"
    if display[line.number] and not _same_type(ratio[previous.number], ratio[line.number]):
        return "paragraph"  # a deck under a headline, in type of its own
    if _same_row(previous, line) and b.ulx >= a.lrx:
        return ""  # the next piece of a printed line the OCR split at a wide space
    # A line read after one lower down starts a paragraph (the reading order went back up);
    # a tall box of a line set across reaching up past the line before does not (inflated
    # OCR boxes overlap), but a line set upright beside it does.
    across = a.width > a.height and b.width > b.height
    if gap > rules.paragraph_gap * height or (
        gap < -height and (_centre_y(line) <= _centre_y(previous) or not across)
    ):
        return "paragraph"
    if previous.region != line.region and not across_regions:
        return "paragraph"
    return ""


def _same_type(a: float, b: float) -> bool:
    """Two display lines in one type: sizes within a fifth of each other."""
    return max(a, b) <= 1.2 * min(a, b)


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _rule_between(rule: Box, above: Box, below: Box) -> bool:
    """A horizontal rule lying between two lines and across them."""
    if rule.height > rule.width:
        return False
    if not (above.lry - 1 <= (rule.uly + rule.lry) / 2 <= below.uly + 1):
        return False
    return min(rule.lrx, above.lrx, below.lrx) - max(rule.ulx, above.ulx, below.ulx) > 0


def _ears(placed: list[PlacedLine], ears: Sequence[Line]) -> list[PlacedLine]:
    """The ears of a masthead as boxes of their own (role ``other``): no display type, a story
    break before each ear and after it. Lines of an ear overlap each other across."""
    if not ears:
        return placed
    group: dict[int, int] = {}
    spans: list[tuple[int, int]] = []
    for line in sorted(ears, key=lambda ln: _box(ln).ulx):
        box = _box(line)
        if spans and box.ulx < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], box.lrx))
        else:
            spans.append((box.ulx, box.lrx))
        group[line.number] = len(spans) - 1
    out = []
    previous: int | None = None
    for p in placed:
        mine = group.get(p.line.number)
        if mine is not None:
            p = dataclasses.replace(
                p,
                line=dataclasses.replace(p.line, role="other"),
                display=False,
                crosshead=False,
                brk="story" if mine != previous else p.brk,
            )
        elif previous is not None and p.brk != "story":
            p = dataclasses.replace(p, brk="story")
        out.append(p)
        previous = mine
    return out


def _adverts(placed: list[PlacedLine], rules: LayoutRules) -> list[PlacedLine]:
    """Advertisements, on pages whose source gives type sizes: news is set in one body type,
    advertising copy in many. A stretch between story breaks (or column changes) of at least
    ``advert_min_lines`` lines, of which a share of ``advert_mixed`` or more is set in
    another type than the body (smaller or larger), and either a share of ``advert_small`` or
    more smaller than the body or the type changing from one line to the next at a share of
    ``advert_switches`` of its lines or more, is an advertisement: its lines take the role
    ``advertisement`` and lose their display type (an advertisement's large lines head no
    story)."""
    # Each column of a stretch is judged by itself: a story running on from the column
    # before stands beside advertisements no story break parts it from.
    stretches: list[list[int]] = []
    for k, p in enumerate(placed):
        if not stretches or p.brk == "story" or p.first_column != placed[k - 1].first_column:
            stretches.append([])
        stretches[-1].append(k)
    marked: set[int] = set()
    for stretch in stretches:
        ratios = [placed[k].ratio for k in stretch if placed[k].ratio > 0]
        if len(ratios) < rules.advert_min_lines:
            continue
        small = sum(r < 1 - _TYPE_TOLERANCE for r in ratios) / len(ratios)
        mixed = sum(abs(r - 1) > _TYPE_TOLERANCE for r in ratios) / len(ratios)
        switches = sum(
            max(a, b) > (1 + _TYPE_TOLERANCE) * min(a, b) for a, b in itertools.pairwise(ratios)
        ) / (len(ratios) - 1)
        if mixed >= rules.advert_mixed and (
            small >= rules.advert_small or switches >= rules.advert_switches
        ):
            marked.update(stretch)
    if not marked:
        return placed
    out = []
    for k, p in enumerate(placed):
        if k in marked:
            # Large type after copy starts the next advertisement, as a headline would
            # start a story; an advertisement never runs on from the story before it.
            opens = k > 0 and (k - 1 not in marked or (p.display and not placed[k - 1].display))
            p = dataclasses.replace(
                p,
                line=dataclasses.replace(p.line, role="advertisement"),
                display=False,
                crosshead=False,
                brk="story" if opens else p.brk,
            )
        out.append(p)
    return out


def _unboxed(source: Sequence[Line], placed: list[PlacedLine]) -> list[PlacedLine]:
    """Put each line without a box right after the line before it in the source (in the
    column of that line); lines without a box before any with one come first."""
    missing = [ln for ln in source if ln.box is None and ln.text.strip()]
    if not missing:
        return placed
    numbers = sorted(p.line.number for p in placed)
    after: dict[int, list[Line]] = {}  # a placed line's number → the unboxed lines after it
    for line in missing:
        k = bisect.bisect_left(numbers, line.number)
        after.setdefault(numbers[k - 1] if k else 0, []).append(line)
    out = [PlacedLine(line, -1, -1, False, 0.0, "") for line in after.get(0, [])]
    for p in placed:
        out.append(p)
        out.extend(
            PlacedLine(line, p.first_column, p.first_column, False, 0.0, "")
            for line in after.get(p.line.number, [])
        )
    return out
