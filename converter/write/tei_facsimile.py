"""The TEI facsimile of layout input (contract §5): one ``surface`` a page with its extent and
image, one line ``zone`` a source line, and the pointers from ``lb``/``pb`` to them."""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from ..model import Box, Facsimile
from .tei_xml import XML_ID, add, indent_children, tei


@dataclass(frozen=True)
class LineZones:
    """The zones of one page's lines: the surface's xml:id and the lines that have a zone."""

    surface: str
    lines: frozenset[int]

    def pointer(self, line: int) -> str | None:
        """``@facs`` of the line's ``lb``: its zone, when it has one."""
        return f"#{self.surface}-l{line}" if line in self.lines else None


def surface_id(ordinal: int) -> str:
    """The xml:id of the ``ordinal``-th page's surface in a document (``f1``, ``f2``, …)."""
    return f"f{ordinal}"


def line_zones(facsimile: Facsimile | None, ordinal: int) -> LineZones | None:
    if facsimile is None:
        return None
    return LineZones(surface_id(ordinal), frozenset(number for number, _ in facsimile.zones))


def _coordinates(box: Box) -> dict[str, str]:
    return {"ulx": str(box.ulx), "uly": str(box.uly), "lrx": str(box.lrx), "lry": str(box.lry)}


def surface_element(facsimile: Facsimile, ordinal: int) -> etree._Element:
    """The page's ``surface``: its extent in the source's units, its image when named, and a
    zone for every line with a box (a polygon kept in ``@points``)."""
    sid = surface_id(ordinal)
    page = facsimile.surface
    surface = etree.Element(tei("surface"))
    surface.set(XML_ID, sid)
    for name, value in _coordinates(Box(0, 0, page.width, page.height)).items():
        surface.set(name, value)
    if page.image:
        add(surface, "graphic", attrs={"url": page.image})
    zone = tei("zone")
    for number, box in facsimile.zones:
        attrs = {XML_ID: f"{sid}-l{number}", "type": "line", **_coordinates(box)}
        if box.points:
            attrs["points"] = box.points
        etree.SubElement(surface, zone, attrs)
    return surface


def surface_with_zones(surface: etree._Element, zones: Sequence[etree._Element]) -> etree._Element:
    """A copy of ``surface`` (its extent and image) holding copies of ``zones`` only."""
    copy = etree.Element(surface.tag)
    for name, value in surface.items():
        copy.set(name, value)
    graphic = surface.find(tei("graphic"))
    if graphic is not None:
        copy.append(deepcopy(graphic))
    copy.extend(deepcopy(zone) for zone in zones)
    return copy


def facsimile_element(surfaces: Sequence[etree._Element], level: int) -> etree._Element:
    """``facsimile`` holding the surfaces, indented for depth ``level``."""
    element = etree.Element(tei("facsimile"))
    element.extend(surfaces)
    indent_children(element, level)
    for surface in surfaces:
        indent_children(surface, level + 1)
    return element
