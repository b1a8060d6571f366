"""TEI documents (contract §1): a page, an issue or an article of the document model as one lxml
tree, and the bytes of a tree.

Each document is the TEI element with its teiHeader (:mod:`.tei_header`) and a text body
(:mod:`.tei_body`). Its bytes are the serialisation of that very tree, after it is validated:
lxml writes and escapes everything. A division is written once: an article document holds
copies of the division elements written for its issue document.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from lxml import etree

from ..errors import InternalError
from ..model import Division, Metadata, Page
from .tei_body import PageBody, write_body, write_division
from .tei_facsimile import facsimile_element, line_zones, surface_element, surface_with_zones
from .tei_header import build_header
from .tei_xml import NSMAP, TEI_NS, XML_ID, XML_LANG, add, newline, tei

__all__ = [
    "TEI_NS",
    "XML_ID",
    "article_document",
    "division_element",
    "facsimile_units",
    "issue_document",
    "page_document",
    "serialise",
]


def page_document(page: Page, created: str | None = None) -> etree._Element:
    """The page document (contract §1, unit "page"): its divisions after one ``<pb/>``, and
    for layout input the facsimile of the page (contract §5)."""
    root = _new_document(page.lang)
    notes: list[Note] = [
        ("source-file", page.source.name),
        ("source-encoding", page.source.encoding),
    ]
    if page.segmentation is not None:
        notes.append(("segmentation", page.segmentation))
    with _model_text():
        build_header(
            root,
            title=page.title,
            meta=page.meta,
            lang=page.lang,
            language_name=page.language_name,
            source_notes=notes,
            created=created,
            units=[page.facsimile.surface.unit] if page.facsimile else [],
        )
        zones = line_zones(page.facsimile, 1)
        divisions = [write_division(d, zones) for d in page.divisions]
        surfaces = [surface_element(page.facsimile, 1)] if page.facsimile else []
        _add_body(
            root,
            [PageBody(page.meta.page or "", divisions, page.running, zones)],
            surfaces,
        )
    return root


def issue_document(
    *,
    title: str,
    meta: Metadata,
    lang: str,
    language_name: str,
    pages: Sequence[Page],
    created: str | None = None,
) -> tuple[etree._Element, dict[str, etree._Element]]:
    """The issue document: every page's divisions, each page opened by ``<pb/>``; and its
    elements that have an xml:id (divisions, facsimile surfaces and their zones), by that id,
    for the article documents to copy."""
    root = _new_document(lang)
    # Each page was read from its own file in its own encoding: a note of each per page,
    # numbered as its pb (contract §2).
    notes = [_page_note("source-file", p.source.name, p) for p in pages]
    notes += [_page_note("source-encoding", p.source.encoding, p) for p in pages]
    notes += sorted({("segmentation", p.segmentation) for p in pages if p.segmentation})
    with _model_text():
        build_header(
            root,
            title=title,
            meta=meta,
            lang=lang,
            language_name=language_name,
            source_notes=notes,
            created=created,
            units=facsimile_units(pages),
            url=meta.base_url and meta.base_url + "issue.xml",
        )
        bodies = []
        surfaces = []
        for ordinal, page in enumerate(pages, start=1):
            zones = line_zones(page.facsimile, ordinal)
            divisions = [write_division(d, zones) for d in page.divisions]
            bodies.append(PageBody(page.meta.page or "", divisions, page.running, zones))
            if page.facsimile is not None:
                surfaces.append(surface_element(page.facsimile, ordinal))
        _add_body(root, bodies, surfaces)
    line_zones_written = [zone for surface in surfaces for zone in surface.iter(tei("zone"))]
    written = {
        element.get(XML_ID, ""): element
        for element in [
            *surfaces,
            *line_zones_written,
            *(d for body in bodies for d in body.divisions),
        ]
        if element.get(XML_ID)
    }
    return root, written


def article_document(
    *,
    title: str,
    headline: str,
    authors: Sequence[tuple[str, str]],
    meta: Metadata,
    lang: str,
    language_name: str,
    fragments: Sequence[tuple[str, etree._Element]],
    surfaces: Mapping[str, etree._Element] | None = None,
    units: Sequence[str] = (),
    created: str | None = None,
) -> etree._Element:
    """One article: its fragments (page number, division element) in reading order, each page
    opened by ``<pb/>``. The document holds copies of the division elements, which stay where
    they are (in the issue document they were written for).

    The fragments stay separate divisions linked by ``@next``/``@prev`` (TEI P5 §16.7,
    aggregation of divided elements), so each keeps its headline, opener and end mark valid.
    The surfaces its lines point at (``surfaces``: the issue document's elements by xml:id,
    surfaces and zones) are copied too, each with the zones of the article's lines only, so
    every ``@facs`` finds its zone.
    """
    root = _new_document(lang)
    pages: list[tuple[str, list[etree._Element]]] = []
    for number, division in fragments:
        if not pages or pages[-1][0] != number:
            pages.append((number, []))
        pages[-1][1].append(copy.deepcopy(division))
    pointed = _zones_pointed_at([d for _, divisions in pages for d in divisions])
    copies = [
        surface_with_zones(surfaces[sid], [surfaces[z] for z in zones if z in surfaces])
        for sid, zones in pointed.items()
        if surfaces and sid in surfaces
    ]
    with _model_text():
        build_header(
            root,
            title=title,
            meta=meta,
            lang=lang,
            language_name=language_name,
            analytic=(headline, authors),
            pages=(fragments[0][0], fragments[-1][0]),
            created=created,
            units=units if copies else (),
            url=meta.base_url and f"{meta.base_url}articles/{fragments[0][1].get(XML_ID)}.xml",
        )
        _add_body(root, [PageBody(number, divisions) for number, divisions in pages], copies)
    return root


#: A header note: its type and text, and in an issue document the page it is of.
Note = tuple[str, str] | tuple[str, str, str]


def _page_note(kind: str, value: str, page: Page) -> Note:
    return (kind, value, page.meta.page) if page.meta.page else (kind, value)


def facsimile_units(pages: Sequence[Page]) -> list[str]:
    """The units of the pages' facsimile coordinates, each once, in page order."""
    return list(dict.fromkeys(p.facsimile.surface.unit for p in pages if p.facsimile))


def _zones_pointed_at(divisions: Sequence[etree._Element]) -> dict[str, list[str]]:
    """The zones the divisions' line breaks point at, by surface, each in line order (the
    order of its surface), the surfaces in the order first pointed at."""
    found: dict[str, set[str]] = {}
    for division in divisions:
        for lb in division.iter(tei("lb")):
            facs = lb.get("facs")
            if facs:
                zone = facs[1:]
                found.setdefault(zone.rsplit("-l", 1)[0], set()).add(zone)
    return {
        surface: sorted(zones, key=lambda z: int(z.rsplit("-l", 1)[1]))
        for surface, zones in found.items()
    }


def division_element(division: Division) -> etree._Element:
    """One division of the model as its ``<div>`` element, in no document yet."""
    with _model_text():
        return write_division(division)


def serialise(root: etree._Element) -> bytes:
    """A document's bytes: UTF-8 with an XML declaration, ending in a line feed."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _new_document(lang: str) -> etree._Element:
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    root.set(XML_LANG, lang)
    return root


def _add_body(
    root: etree._Element, pages: Sequence[PageBody], surfaces: Sequence[etree._Element] = ()
) -> None:
    """Append the facsimile (when there are surfaces), the text and the body to ``root``
    (which holds its header), and indent each on a line of its own."""
    if surfaces:
        root.append(facsimile_element(surfaces, 1))
        root[-1].tail = newline(1)
    text = add(root, "text")
    body = add(text, "body")
    write_body(body, pages)
    root.text = newline(1)
    root[0].tail = newline(1)  # the header
    text.text = newline(2)
    body.tail = newline(1)
    text.tail = newline(0)


@contextmanager
def _model_text() -> Iterator[None]:
    """Report text XML cannot hold as a writer error: the reader and the metadata checks keep
    such characters (C0 controls, lone surrogates) out of every page and issue, so only a
    model built by a program can hold them."""
    try:
        yield
    except ValueError as exc:  # lxml refuses the string (UnicodeEncodeError is one too)
        raise InternalError(f"the TEI writer got text XML cannot hold: {exc}") from None
