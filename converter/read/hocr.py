"""hOCR reader: the first ``ocr_page`` of an hOCR file (Tesseract XHTML, or HTML) → :class:`Text`.

What is read, all from the elements' ``class`` and ``title`` attributes (hOCR 1.2):

- lines are the elements of class ``ocr_line``, ``ocrx_line``, ``ocr_header``,
  ``ocr_caption`` or ``ocr_textfloat``, numbered 1, 2, … in document order (a line inside a
  line is part of the outer one); a line's text is its ``ocrx_word`` texts joined by single
  spaces, or its own text with white space runs made single spaces when it has no words;
- a line's box is ``bbox`` of its title, its size ``x_fsize`` (points; ``x_size`` is a height
  in pixels, not a font size, and is not used), its style ``bold``/``italics`` when every word
  is inside ``strong``/``b`` or ``em``/``i``, its role ``heading`` for ``ocr_header`` and
  ``caption`` for ``ocr_caption``;
- regions are the ``ocr_par`` elements, or the ``ocr_carea`` elements when the page has no
  ``ocr_par``; a line's region is the ordinal of the region it stands in (None outside any);
- the surface is the page's ``bbox`` (its lower right corner; when the page has none, the
  largest corner any box reaches, with ``page.no-size``), its ``image`` (file name only),
  its ``ocr_separator`` boxes as rules.

A file of several pages has its first page read (``page.more-pages`` names how many others
were left). Tesseract writes XHTML with a public DOCTYPE naming the XHTML DTD, which is
never loaded; input that is not well-formed XML is read again as HTML, without network.
Entity declarations are refused either way. Shared line rules: :mod:`converter.read.layout_lines`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ..errors import DecodeError
from ..model import RegionRole, Text
from . import xml
from .layout_lines import (
    PageLines,
    Shape,
    area_box,
    encoding_name,
    from_corners,
    image_name,
    make_surface,
    page_size,
    to_float,
    to_int,
)

#: Line classes and the role each gives its line.
_LINE_CLASSES: dict[str, RegionRole | None] = {
    "ocr_line": None,
    "ocrx_line": None,
    "ocr_header": "heading",
    "ocr_caption": "caption",
    "ocr_textfloat": None,
}
#: An element of class ocr_page, looked for in the bytes: cheap, and exact enough that other
#: HTML is refused by the format choice.
_PAGE_CLASS = re.compile(rb"""\bclass\s*=\s*["'][^"']*\bocr_page\b""")
#: Tokens of a title: a quoted string, a property separator, or a bare word.
_TOKEN = re.compile(r'"[^"]*"|;|[^\s;"]+')
_SPACES = re.compile(r"[ \t\r\n\f]+")
_STYLE_TAGS = {"strong": "bold", "b": "bold", "em": "italics", "i": "italics"}
_STYLE_ORDER = ("bold", "italics")


def looks_like(data: bytes) -> bool:
    """Whether the bytes hold an element of class ``ocr_page``."""
    return _PAGE_CLASS.search(data) is not None


@dataclass(frozen=True, slots=True)
class _Found:
    """One line element and where it stands."""

    element: etree._Element
    region: int | None
    role: RegionRole | None


def read(data: bytes, name: str) -> Text:
    """Read the first page of an hOCR file (see module docstring)."""
    root, encoding = _parse(data, name)
    pages = [el for el in root.iter(etree.Element) if "ocr_page" in _classes(el)]
    if not pages:
        raise DecodeError("HTML, but not hOCR: no element of class ocr_page", path=name)
    page = pages[0]
    props = _properties(page)
    page_shape, _ = _shape(props)
    size = None
    if page_shape is not None and page_shape.lrx > 0 and page_shape.lry > 0:
        size = (page_shape.lrx, page_shape.lry)
    lines, regions, rules = _walk(page)
    collected = PageLines(*size) if size else PageLines(None, None)
    if len(pages) > 1:
        collected.diagnostics.warn(
            "page.more-pages",
            None,
            f"the file holds {len(pages)} pages (ocr_page): only the first is read",
        )
    shapes: list[Shape | None] = list(regions) + list(rules)
    for number, found in enumerate(lines, start=1):
        line_props = _properties(found.element)
        shape, missing = _shape(line_props)
        shapes.append(shape)
        text, style = _line_text(found.element)
        collected.add(
            number,
            text,
            shape,
            size=_font_size(line_props),
            style=style,
            region=found.region,
            role=found.role,
            missing=missing,
        )
    size = page_size(size, shapes, collected.diagnostics, "the page gives no bbox")
    width, height = size if size else (None, None)
    surface = make_surface(
        size,
        image_name(_first(props.get("image"))),
        rules=[area_box(s, width, height) for s in rules],
        regions=[area_box(s, width, height) for s in regions],
    )
    return collected.text(name, "hocr", encoding, surface)


def _parse(data: bytes, name: str) -> tuple[etree._Element, str]:
    """The document's root and its encoding: as XML, else as HTML."""
    xml.refuse_doctype(data, name)
    try:
        root = xml.parse(data, name)
    except DecodeError as malformed:
        html = _parse_html(data)
        if html is None:
            raise malformed from None
        return html
    return root, encoding_name(root.getroottree().docinfo.encoding)


def _parse_html(data: bytes) -> tuple[etree._Element, str] | None:
    """The root of the bytes read as HTML (libxml2's HTML parser, no network), or None."""
    try:
        data.decode("utf-8")
        encoding: str | None = "utf-8"
    except UnicodeDecodeError:
        encoding = None  # let the document's own meta charset speak
    parser = etree.HTMLParser(
        encoding=encoding,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    return root, encoding_name(encoding or root.getroottree().docinfo.encoding)


def _walk(page: etree._Element) -> tuple[list[_Found], list[Shape | None], list[Shape | None]]:
    """The page's lines with their regions, the region shapes and the rule shapes, in
    document order."""
    region_class = "ocr_par" if any(_has(el, "ocr_par") for el in page.iter()) else "ocr_carea"
    lines: list[_Found] = []
    regions: list[Shape | None] = []
    rules: list[Shape | None] = []
    stack: list[tuple[etree._Element, int | None]] = [(page, None)]
    while stack:
        element, region = stack.pop()
        classes = _classes(element)
        if region_class in classes:
            region = len(regions)
            regions.append(_shape(_properties(element))[0])
        if "ocr_separator" in classes:
            rules.append(_shape(_properties(element))[0])
        line_class = next((c for c in classes if c in _LINE_CLASSES), None)
        if line_class is not None and element is not page:
            lines.append(_Found(element, region, _LINE_CLASSES[line_class]))
            continue  # what is inside a line is its words
        children = list(element.iterchildren(etree.Element))
        stack.extend((child, region) for child in reversed(children))
    return lines, regions, rules


def _line_text(line: etree._Element) -> tuple[str, tuple[str, ...]]:
    """The line's words joined by single spaces and the style every word has."""
    words: list[str] = []
    styles: set[str] | None = None
    for word in line.iter(etree.Element):
        if "ocrx_word" not in _classes(word):
            continue
        text = "".join(t for t in word.itertext() if isinstance(t, str)).strip(" \t\r\n\f")
        if not text:
            continue
        words.append(_SPACES.sub(" ", text))
        found = _word_style(word, line)
        styles = found if styles is None else styles & found
    if not words:
        return _SPACES.sub(" ", "".join(t for t in line.itertext() if isinstance(t, str))).strip(
            " "
        ), ()
    style = tuple(s for s in _STYLE_ORDER if styles and s in styles)
    return " ".join(words), style


def _word_style(word: etree._Element, line: etree._Element) -> set[str]:
    """Styles from the emphasis elements a word is in or holds (Tesseract: ``strong``, ``em``)."""
    found: set[str] = set()
    for element in _chain(word, line):
        style = _STYLE_TAGS.get(_local(element))
        if style:
            found.add(style)
    return found


def _chain(word: etree._Element, line: etree._Element) -> Iterator[etree._Element]:
    yield from word.iter(etree.Element)
    for ancestor in word.iterancestors():
        if ancestor is line:
            return
        yield ancestor


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").split()


def _has(element: etree._Element, cls: str) -> bool:
    return isinstance(element.tag, str) and cls in _classes(element)


def _properties(element: etree._Element) -> dict[str, list[str]]:
    """The element's title properties: ``bbox 1 2 3 4; x_fsize 9`` → name → values. The
    first property of a name counts; quoted values lose their quotes."""
    props: dict[str, list[str]] = {}
    values: list[str] | None = None
    for token in _TOKEN.findall(element.get("title") or ""):
        if token == ";":
            values = None
        elif values is None:
            values = []
            props.setdefault(token, values)
        else:
            values.append(token[1:-1] if token.startswith('"') else token)
    return props


def _shape(props: dict[str, list[str]]) -> tuple[Shape | None, str]:
    """The ``bbox`` as a shape, or None and why."""
    values = props.get("bbox")
    if values is None:
        return None, "its title has no bbox"
    try:
        numbers = [to_int(v) for v in values]
    except ValueError:
        numbers = []
    if len(numbers) != 4:
        return None, f"its bbox {' '.join(values)!r} is not four numbers"
    return from_corners(*numbers), ""


def _font_size(props: dict[str, list[str]]) -> float | None:
    value = _first(props.get("x_fsize"))
    return to_float(value) if value is not None else None


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None
