"""The teiHeader of a page, issue or article document (contract §2), as lxml elements."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from .. import __version__
from ..model import Metadata
from .tei_xml import INDENT, add

#: What each unit of layout coordinates measures (ALTO ``MeasurementUnit``).
UNITS = {
    "pixel": "pixels of the scanned image",
    "mm10": "tenths of a millimetre",
    "inch1200": "1/1200 inch",
}
_UNKNOWN_UNIT = "as the source gives them, in a unit it does not define"
_UNIT_NOTE = "Facsimile coordinates (ulx, uly, lrx, lry, points) are in {unit}: {means}."


def build_header(
    root: etree._Element,
    *,
    title: str,
    meta: Metadata,
    lang: str,
    language_name: str,
    source_notes: Sequence[tuple[str, str] | tuple[str, str, str]] = (),
    analytic: tuple[str, Sequence[tuple[str, str]]] | None = None,
    pages: tuple[str, str] | None = None,
    created: str | None = None,
    units: Sequence[str] = (),
    url: str | None = None,
) -> etree._Element:
    """Append the teiHeader to ``root``, indented.

    ``source_notes`` are (type, text) or, in an issue document, (type, text, page number);
    ``analytic`` is (headline, [(name, role), …]) for article documents; ``pages`` is the
    (from, to) page range of an article, otherwise the page number comes from ``meta.page``.
    ``units`` are the units of the facsimile's coordinates (layout input), each stated in
    ``encodingDesc`` (contract §5). ``url`` is the document's web address.
    """
    header = add(root, "teiHeader")
    file_desc = add(header, "fileDesc")
    title_stmt = add(file_desc, "titleStmt")
    add(title_stmt, "title", title)
    pub = add(file_desc, "publicationStmt")
    add(pub, "authority", f"newspaper-tei {__version__}")
    if created is not None:
        add(pub, "date", created, {"when": created})
    if meta.institution:
        add(pub, "publisher", meta.institution)
    if url is not None:
        add(pub, "idno", url, {"type": "URI"})
    if meta.licence:
        add(add(pub, "availability"), "licence", meta.licence)
    if source_notes:
        notes = add(file_desc, "notesStmt")
        for kind, value, *page in source_notes:
            add(notes, "note", value, {"type": kind, "n": page[0]} if page else {"type": kind})
    source_desc = add(file_desc, "sourceDesc")
    bibl = add(source_desc, "biblStruct")
    if analytic is not None:
        headline, authors = analytic
        art = add(bibl, "analytic")
        if headline.strip():  # an article without a headline has no title, not an empty one
            add(art, "title", headline, {"level": "a", "type": "main"})
        for name, role in authors:
            author = add(art, "author", attrs={"role": role})
            add(author, "persName", name)
    monogr = add(bibl, "monogr")
    if meta.paper:  # an unknown newspaper has no title here, not an empty one (nothing guessed)
        add(monogr, "title", meta.paper, {"level": "j"})
    if meta.issn:
        add(monogr, "idno", meta.issn, {"type": "ISSN"})
    if meta.lccn:
        add(monogr, "idno", meta.lccn, {"type": "LCCN"})
    if meta.oclc:
        add(monogr, "idno", meta.oclc, {"type": "OCLC"})
    imprint = add(monogr, "imprint")
    if meta.place:
        add(imprint, "pubPlace", meta.place)
    if meta.publisher:
        add(imprint, "publisher", meta.publisher)
    if meta.date is not None:
        iso = meta.date.isoformat()
        add(imprint, "date", iso, {"when": iso})
    if meta.volume:
        add(imprint, "biblScope", meta.volume, {"unit": "volume", "n": meta.volume})
    if meta.number:
        add(imprint, "biblScope", meta.number, {"unit": "issue", "n": meta.number})
    if meta.edition:
        add(imprint, "biblScope", meta.edition, {"unit": "edition", "n": meta.edition})
    if pages is not None:
        first, last = pages
        add(imprint, "biblScope", attrs={"unit": "page", "from": first, "to": last})
    elif meta.page:
        add(imprint, "biblScope", meta.page, {"unit": "page", "n": meta.page})
    if len(imprint) == 0:
        add(imprint, "date")  # an empty date: the imprint is unknown, and nothing is guessed
    encoding = add(header, "encodingDesc")
    app_info = add(encoding, "appInfo")
    app = add(app_info, "application", attrs={"ident": "newspaper-tei", "version": __version__})
    add(app, "label", "newspaper-tei")
    for unit in units:
        add(encoding, "p", _UNIT_NOTE.format(unit=unit, means=UNITS.get(unit, _UNKNOWN_UNIT)))
    lang_usage = add(add(header, "profileDesc"), "langUsage")
    add(lang_usage, "language", language_name, {"ident": lang})
    etree.indent(header, space=INDENT, level=1)
    return header
