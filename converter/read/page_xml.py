"""PAGE XML reader: the ``Page`` of a PAGE file (PRImA page content schema) → :class:`Text`.

Every version whose root is ``PcGts`` is read by local names in the root's namespace (2010,
2013, 2017, 2018 and 2019 differ here only in how coordinates are written):

- lines are the ``TextLine`` elements, numbered 1, 2, … in document order; a line's text is
  its own ``TextEquiv/Unicode`` (of several, the lowest ``@index``, else the first) or, when
  it has none or a blank one, the ``TextEquiv`` of its ``Word`` elements joined by single
  spaces;
- a line's box is its ``Coords``: ``@points`` (``x,y x,y …``, 2013 on) or ``Point``
  children (2010), kept as a polygon with its bounding box; its size and style come from its
  ``TextStyle`` (``@fontSize`` in points, ``@bold``, ``@italic``, …) or from its region's;
- regions are the ``TextRegion`` elements (nested ones included) numbered 0, 1, … in
  document order; a line's region is the one it stands in, its role that region's ``@type``
  (or the nearest enclosing region's that has one): heading, paragraph, header, footer,
  page-number and caption are kept, any other type is ``other``;
- the surface is ``Page/@imageWidth``/``@imageHeight`` (the largest extent of the boxes, with
  ``page.no-size``, when they are missing), ``@imageFilename`` (file name only), and the
  ``SeparatorRegion`` boxes as rules.

Line numbers stay in document order. A ``ReadingOrder`` (its ``OrderedGroup`` by
``@index``, an ``UnorderedGroup`` in document order, nested groups in place) gives the order
of the regions it names (``Surface.reading_order``), which the layout then follows. Shared
line rules: :mod:`converter.read.layout_lines`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from ..errors import DecodeError
from ..model import RegionRole, Text
from . import xml
from .layout_lines import (
    PageLines,
    Shape,
    area_box,
    encoding_name,
    from_polygon,
    image_name,
    make_surface,
    page_size,
    to_float,
    to_int,
)

_ROLES: dict[str, RegionRole] = {
    "heading": "heading",
    "paragraph": "paragraph",
    "header": "header",
    "footer": "footer",
    "page-number": "page-number",
    "caption": "caption",
}
#: TextStyle attributes and the style word each gives (the words ALTO's FONTSTYLE uses).
_STYLES = (
    ("bold", "bold"),
    ("italic", "italics"),
    ("smallCaps", "smallcaps"),
    ("underlined", "underline"),
    ("subscript", "subscript"),
    ("superscript", "superscript"),
)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a line inherits from the regions it stands in."""

    region: int | None = None
    role: RegionRole | None = None
    size: float | None = None
    style: tuple[str, ...] = ()


class _Names:
    """Qualified tag names in the document's namespace."""

    __slots__ = ("namespace",)

    def __init__(self, namespace: str | None) -> None:
        self.namespace = namespace

    def __call__(self, local: str) -> str:
        return f"{{{self.namespace}}}{local}" if self.namespace else local


def read(data: bytes, name: str) -> Text:
    """Read the page of a PAGE XML file (see module docstring)."""
    root = xml.parse(data, name)
    q = _Names(etree.QName(root).namespace)
    pages = root.findall(q("Page"))
    if not pages:
        raise DecodeError("PAGE XML without a Page element", path=name)
    page = pages[0]
    width, height = _dimension(page.get("imageWidth")), _dimension(page.get("imageHeight"))
    size = (width, height) if width and height else None
    collected = PageLines(*size) if size else PageLines(None, None)
    if len(pages) > 1:
        collected.diagnostics.warn(
            "page.more-pages", None, f"the file holds {len(pages)} Page elements: the first is read"
        )
    regions: list[Shape | None] = []
    region_ids: list[tuple[str, ...]] = []
    rules: list[Shape | None] = []
    shapes: list[Shape | None] = []
    number = 0
    stack: list[tuple[etree._Element, _Context]] = [(page, _Context())]
    while stack:
        element, context = stack.pop()
        tag = element.tag
        if tag == q("TextLine"):
            number += 1
            shape, missing = _coords(element, q)
            shapes.append(shape)
            size_here, style_here = _text_style(element, q, context)
            collected.add(
                number,
                _line_text(element, q),
                shape,
                size=size_here,
                style=style_here,
                region=context.region,
                role=context.role,
                missing=missing,
            )
            continue  # words and glyphs belong to the line
        if tag == q("TextRegion"):
            shape = _coords(element, q)[0]
            shapes.append(shape)
            size_here, style_here = _text_style(element, q, context)
            context = _Context(len(regions), _role(element, context), size_here, style_here)
            regions.append(shape)
            region_ids.append((element.get("id", ""),))
        elif tag == q("SeparatorRegion"):
            shape = _coords(element, q)[0]
            shapes.append(shape)
            rules.append(shape)
            continue
        children = list(element.iterchildren(etree.Element))
        stack.extend((child, context) for child in reversed(children))
    size = page_size(
        size, shapes, collected.diagnostics, "Page gives no imageWidth and imageHeight"
    )
    w, h = size if size else (None, None)
    surface = make_surface(
        size,
        image_name(page.get("imageFilename")),
        rules=[area_box(s, w, h) for s in rules],
        regions=[area_box(s, w, h) for s in regions],
    )
    if surface is not None:
        surface = replace(
            surface,
            region_ids=tuple(region_ids),
            reading_order=_reading_order(page, q, region_ids),
        )
    encoding = encoding_name(root.getroottree().docinfo.encoding)
    return collected.text(name, "page", encoding, surface)


def _reading_order(
    page: etree._Element, q: _Names, region_ids: list[tuple[str, ...]]
) -> tuple[int, ...]:
    """The region ordinals in the ``ReadingOrder``'s order: an ``OrderedGroup``'s members by
    ``@index``, an ``UnorderedGroup``'s as written, nested groups where they stand; each
    region once (a reference to no text region is passed over)."""
    order = page.find(q("ReadingOrder"))
    if order is None:
        return ()
    ordinal = {ids[0]: k for k, ids in enumerate(region_ids) if ids[0]}
    found: list[int] = []

    def walk(group: etree._Element) -> None:
        members = [m for m in group.iterchildren(etree.Element)]
        if etree.QName(group).localname.startswith("Ordered"):
            members.sort(key=lambda m: _index(m.get("index")))
        for member in members:
            local = etree.QName(member).localname
            if local.endswith("Group") or local.endswith("GroupIndexed"):
                ref = member.get("regionRef")
                if ref in ordinal and ordinal[ref] not in found:
                    found.append(ordinal[ref])
                walk(member)
            elif local.startswith("RegionRef"):
                ref = member.get("regionRef")
                if ref in ordinal and ordinal[ref] not in found:
                    found.append(ordinal[ref])

    walk(order)
    return tuple(found)


def _index(value: str | None) -> int:
    """An ``@index`` as a number; members without one go last."""
    try:
        return int(value) if value is not None else 1 << 30
    except ValueError:
        return 1 << 30


def _dimension(value: str | None) -> int | None:
    """A page dimension: a positive number, else None."""
    if value is None:
        return None
    try:
        number = to_int(value)
    except ValueError:
        return None
    return number if number > 0 else None


def _role(region: etree._Element, context: _Context) -> RegionRole | None:
    kind = region.get("type")
    if kind is None:
        return context.role
    return _ROLES.get(kind.strip(), "other")


def _coords(element: etree._Element, q: _Names) -> tuple[Shape | None, str]:
    """The element's Coords as a polygon shape, or None and why."""
    coords = element.find(q("Coords"))
    if coords is None:
        return None, "it has no Coords"
    attribute = coords.get("points")
    points: list[tuple[int, int]] = []
    try:
        if attribute is not None:
            for pair in attribute.split():
                x, y = pair.split(",")
                points.append((to_int(x), to_int(y)))
        else:
            for point in coords.iterchildren(q("Point")):
                points.append((to_int(point.get("x", "")), to_int(point.get("y", ""))))
    except ValueError:
        shown = attribute if attribute is not None else "Point children"
        return None, f"its Coords {shown!r} are not x,y pairs of numbers"
    if not points:
        return None, "its Coords hold no points"
    return from_polygon(points), ""


def _line_text(line: etree._Element, q: _Names) -> str:
    own = _equiv(line, q)
    if own is not None and own.strip():
        return own
    words = (_equiv(word, q) for word in line.iterchildren(q("Word")))
    return " ".join(w.strip(" \t\r\n") for w in words if w is not None and w.strip())


def _equiv(element: etree._Element, q: _Names) -> str | None:
    """The text of the element's own TextEquiv (lowest ``@index``, else the first), None when
    it has none."""
    equivs = list(element.iterchildren(q("TextEquiv")))
    if not equivs:
        return None
    indexed: list[tuple[int, int, etree._Element]] = []
    for position, equiv in enumerate(equivs):
        index = equiv.get("index")
        if index is not None and index.strip().lstrip("-").isdigit():
            indexed.append((int(index), position, equiv))
    chosen = min(indexed)[2] if indexed else equivs[0]
    unicode = chosen.find(q("Unicode"))
    return "" if unicode is None else "".join(t for t in unicode.itertext() if isinstance(t, str))


def _text_style(
    element: etree._Element, q: _Names, context: _Context
) -> tuple[float | None, tuple[str, ...]]:
    """Font size and style words from the element's TextStyle, else what it inherits."""
    style = element.find(q("TextStyle"))
    if style is None:
        return context.size, context.style
    size_value = style.get("fontSize")
    size = to_float(size_value) if size_value is not None else None
    words = tuple(word for attr, word in _STYLES if style.get(attr) in ("true", "1"))
    return size, words
