"""PaddleOCR reader: the JSON result of PaddleOCR's text recognition → :class:`Text`.

Two shapes are read (the JSON already parsed):

- PaddleOCR 3.x, what ``save_to_json`` writes for the OCR pipeline: an object with
  ``rec_texts`` and, entry for entry, ``rec_polys`` (four or more ``[x, y]`` points) or
  ``rec_boxes`` (``[xmin, ymin, xmax, ymax]``), ``rec_scores`` and ``input_path``; the
  object may be wrapped as ``{"res": {…}}``. Polygons are preferred to boxes. Lists of
  different lengths are refused (DecodeError naming the key).
- PaddleOCR 2.x, what ``ocr()`` returns: a list of ``[polygon, [text, score]]`` results, or
  a list of such lists, one per page (``null`` for a page without text; a list of nulls
  only is a page without text).

Of several pages the first is read (``page.more-pages`` when another has results). Line
``n`` is result ``n - 1`` in the order PaddleOCR gives (it interleaves columns; the analysis
orders the page). Lines have no font size, style or region: PaddleOCR knows none.

The JSON names no page size: the surface's width and height are the largest x and y any
box reaches, so boxes are only ever clipped at 0. Its image is ``input_path`` without its
folders. Shared line rules: :mod:`converter.read.layout_lines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import DecodeError
from ..model import Text
from .layout_lines import (
    PageLines,
    Shape,
    extent,
    from_corners,
    from_polygon,
    image_name,
    make_surface,
    to_int,
)

#: A result's coordinates as read: a shape, or None and why there is none.
_Coords = tuple[Shape | None, str]


def looks_like(value: Any) -> bool:
    """Whether parsed JSON is a PaddleOCR result; looks at the first result only."""
    if isinstance(value, dict):
        return _result_object(value) is not None
    if not isinstance(value, list) or not value:
        return False
    first = value[0]
    if isinstance(first, dict):
        return _result_object(first) is not None
    if _is_entry(first):
        return True
    # A list of pages: every page is null or a list, and some page starts with a result, or
    # every page is null (what 2.x returns for pages without text).
    if not all(page is None or isinstance(page, list) for page in value):
        return False
    return any(page and _is_entry(page[0]) for page in value) or all(page is None for page in value)


def read(value: Any, name: str) -> Text:
    """Read the first page of a PaddleOCR result (see module docstring)."""
    pages = _pages(value, name)
    texts, coords, image = pages[0]
    width_height = extent(shape for shape, _ in coords)
    collected = PageLines(*width_height) if width_height else PageLines(None, None)
    others = sum(1 for page in pages[1:] if page[0])
    if others:
        collected.diagnostics.warn(
            "page.more-pages",
            None,
            f"the result holds {len(pages)} pages ({others} more with text): "
            "only the first is read",
        )
    for number, (text, (shape, missing)) in enumerate(zip(texts, coords, strict=True), start=1):
        collected.add(number, text, shape, missing=missing)
    surface = make_surface(width_height, image_name(image))
    return collected.text(name, "paddleocr", "utf-8", surface)


#: One page: its texts, their coordinates, and the image named.
_Page = tuple[list[str], list[_Coords], str | None]


def _pages(value: Any, name: str) -> list[_Page]:
    if isinstance(value, dict):
        return [_read_object(_object_or_fail(value, name), name)]
    if not isinstance(value, list) or not value:
        raise DecodeError("JSON, but not PaddleOCR output", path=name)
    if isinstance(value[0], dict):
        return [_read_object(_object_or_fail(item, name), name) for item in value]
    if _is_entry(value[0]):
        return [_read_entries(value, name, None)]
    return [_read_entries(page or [], name, index) for index, page in enumerate(value)]


def _result_object(value: dict[str, Any]) -> dict[str, Any] | None:
    """The object holding ``rec_texts``: the value or its ``res``."""
    inner = value.get("res")
    if isinstance(inner, dict) and "rec_texts" in inner:
        value = inner
    return value if isinstance(value.get("rec_texts"), list) else None


def _object_or_fail(value: Any, name: str) -> dict[str, Any]:
    found = _result_object(value) if isinstance(value, dict) else None
    if found is None:
        raise DecodeError("PaddleOCR result without a rec_texts list", path=name)
    return found


def _read_object(result: dict[str, Any], name: str) -> _Page:
    texts = result["rec_texts"]
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise DecodeError(f"rec_texts[{index}] is not a string", path=name)
    for key in ("rec_polys", "rec_boxes", "rec_scores"):
        items = result.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise DecodeError(f"{key} is not a list", path=name)
        if len(items) != len(texts):
            raise DecodeError(
                f"{key} has {len(items)} entries but rec_texts has {len(texts)}", path=name
            )
    coords: list[_Coords]
    if result.get("rec_polys") is not None:
        coords = [_polygon(p, f"rec_polys[{i}]", name) for i, p in enumerate(result["rec_polys"])]
    elif result.get("rec_boxes") is not None:
        coords = [_corners(b, f"rec_boxes[{i}]", name) for i, b in enumerate(result["rec_boxes"])]
    else:
        coords = [(None, "the result has neither rec_polys nor rec_boxes")] * len(texts)
    image = result.get("input_path")
    return texts, coords, image if isinstance(image, str) else None


def _read_entries(entries: Sequence[Any], name: str, page: int | None) -> _Page:
    texts: list[str] = []
    coords: list[_Coords] = []
    for index, entry in enumerate(entries):
        where = f"result {index}" if page is None else f"page {page} result {index}"
        if not _is_entry(entry):
            raise DecodeError(f"{where} is not [box, [text, score]]", path=name)
        texts.append(entry[1][0])
        coords.append(_polygon(entry[0], where + " box", name))
    return texts, coords, None


def _is_entry(value: Any) -> bool:
    """``[polygon, [text, score]]``: a 2.x result."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], list)
        and isinstance(value[1], list)
        and len(value[1]) == 2
        and isinstance(value[1][0], str)
        and _is_number(value[1][1])
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _polygon(value: Any, where: str, name: str) -> _Coords:
    if value is None:
        return None, f"{where} is null"
    if not isinstance(value, list) or not value:
        raise DecodeError(f"{where} is not a list of [x, y] points", path=name)
    points: list[tuple[int, int]] = []
    for point in value:
        if not (isinstance(point, list) and len(point) == 2 and all(map(_is_number, point))):
            raise DecodeError(f"{where} is not a list of [x, y] points", path=name)
        points.append((_coordinate(point[0], where, name), _coordinate(point[1], where, name)))
    return from_polygon(points), ""


def _corners(value: Any, where: str, name: str) -> _Coords:
    if value is None:
        return None, f"{where} is null"
    if not (isinstance(value, list) and len(value) == 4 and all(map(_is_number, value))):
        raise DecodeError(f"{where} is not [xmin, ymin, xmax, ymax]", path=name)
    x0, y0, x1, y1 = (_coordinate(v, where, name) for v in value)
    return from_corners(x0, y0, x1, y1), ""


def _coordinate(value: Any, where: str, name: str) -> int:
    try:
        return to_int(value)
    except ValueError:
        raise DecodeError(f"{where} holds {value!r}, not a finite number", path=name) from None
