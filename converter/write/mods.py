"""MODS 3.8 records of an issue or an article (contract §7), as lxml trees.

An article record describes the article as a part of its newspaper: its headline, its byline
persons with their MARC relator codes, its own date, and ``relatedItem[@type='host']`` with the
newspaper's title, identifiers and the article's place in it (volume, issue, edition, pages).
An issue record has the shape of the NDNP issue MODS, which Chronicling America's, Open ONI's and
Islandora's loaders read: ``relatedItem[@type='host']/part/detail[@type='volume'|'issue'|
'edition']/number`` (the edition a number) and ``originInfo/dateIssued`` as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..records import RecordInput

MODS_NS = "http://www.loc.gov/mods/v3"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MODS_LOCATION = "http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
#: MARC relator codes and terms (https://id.loc.gov/vocabulary/relators) of the byline roles
#: the TEI names (contract §3).
RELATORS = {
    "reporter": ("aut", "author"),
    "author": ("aut", "author"),
    "photographer": ("pht", "photographer"),
    "correspondent": ("ctb", "contributor"),
    "intern": ("ctb", "contributor"),
    "editor": ("edt", "editor"),
}
TEI_MEDIA_TYPE = "application/tei+xml"
#: MODS as the default namespace (lxml takes None as the default namespace's prefix).
_NSMAP: Any = {None: MODS_NS, "xsi": XSI_NS}


def relator(role: str) -> tuple[str, str]:
    """The MARC relator (code, term) of a TEI byline role; anyone else is a contributor."""
    return RELATORS.get(role, ("ctb", "contributor"))


def _m(tag: str) -> str:
    return "{" + MODS_NS + "}" + tag


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = (
        etree.SubElement(parent, _m(tag), attrs) if attrs else etree.SubElement(parent, _m(tag))
    )
    if text is not None:
        element.text = text
    return element


def mods_record(item: RecordInput) -> etree._Element:
    """The MODS record of an issue or article."""
    root = etree.Element(_m("mods"), nsmap=_NSMAP)
    root.set("version", "3.8")
    root.set("{" + XSI_NS + "}schemaLocation", MODS_LOCATION)
    title_info = _add(root, "titleInfo")
    _add(title_info, "title", item.title)
    if item.subtitle:
        _add(title_info, "subTitle", item.subtitle)
    for name, role in item.authors:
        code, term = relator(role)
        person = _add(root, "name", type="personal")
        _add(person, "namePart", name)
        role_element = _add(person, "role")
        _add(role_element, "roleTerm", code, type="code", authority="marcrelator")
        _add(role_element, "roleTerm", term, type="text", authority="marcrelator")
    _add(root, "typeOfResource", "text")
    if item.kind == "article":
        _add(root, "genre", "article")
    else:
        _add(root, "genre", "newspaper issue")
    if item.date:
        origin = _add(root, "originInfo")
        if item.kind == "article":
            _add(origin, "dateIssued", item.date, encoding="w3cdtf", keyDate="yes")
        else:
            # The NDNP issue MODS: an ISO date, no @point, read as %Y-%m-%d by the loaders.
            _add(origin, "dateIssued", item.date, encoding="iso8601", keyDate="yes")
    language = _add(root, "language")
    _add(language, "languageTerm", item.language_code, type="code", authority="iso639-2b")
    physical = _add(root, "physicalDescription")
    _add(physical, "internetMediaType", TEI_MEDIA_TYPE)
    _add(physical, "digitalOrigin", "reformatted digital")
    _host(root, item)
    _add(root, "identifier", item.id, type="local")
    if item.url:
        _add(root, "identifier", item.url, type="uri")
        location = _add(root, "location")
        _add(location, "url", item.url, usage="primary", access="raw object")
    if item.licence:
        _add(root, "accessCondition", item.licence, type="use and reproduction")
    _record_info(root, item)
    return root


def _host(root: etree._Element, item: RecordInput) -> None:
    """``relatedItem[@type='host']``: the newspaper, and where in it the item stands."""
    host = _add(root, "relatedItem", type="host")
    if item.paper:
        _add(_add(host, "titleInfo"), "title", item.paper)
    _add(host, "genre", "newspaper", authority="marcgt")
    origin = _add(host, "originInfo")
    if item.place:
        _add(_add(origin, "place"), "placeTerm", item.place, type="text")
    if item.publisher:
        _add(origin, "publisher", item.publisher)
    _add(origin, "issuance", "serial")
    for kind, value in (("lccn", item.lccn), ("issn", item.issn), ("oclc", item.oclc)):
        if value:
            _add(host, "identifier", value, type=kind)
    part = _add(host, "part")
    if item.volume:
        _add(_add(part, "detail", type="volume"), "number", item.volume)
    if item.number:
        _add(_add(part, "detail", type="issue"), "number", item.number)
    edition = _add(part, "detail", type="edition")
    if item.edition and not item.edition.isdigit():
        # A named edition: its order is not known, the loaders need one (the first).
        _add(edition, "number", "1")
        _add(edition, "caption", item.edition)
    else:
        _add(edition, "number", str(int(item.edition)) if item.edition else "1")
    if item.kind == "article" and item.pages:
        extent = _add(part, "extent", unit="pages")
        _add(extent, "start", item.pages[0])
        _add(extent, "end", item.pages[-1])
    if item.date:
        _add(part, "date", item.date, encoding="w3cdtf")


def _record_info(root: etree._Element, item: RecordInput) -> None:
    info = _add(root, "recordInfo")
    if item.institution:
        _add(info, "recordContentSource", item.institution)
    if item.created:
        _add(info, "recordCreationDate", item.created, encoding="w3cdtf")
    _add(info, "recordIdentifier", item.id)
    _add(info, "recordOrigin", f"Made by {item.converter} from its TEI document")
