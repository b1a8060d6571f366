"""Simple Dublin Core records of an issue or an article in the OAI-PMH container
(``oai_dc:dc``, contract §7), as lxml trees.

Byline authors are ``dc:creator`` (a reporter writes the article; crosswalks that map every MODS
``name`` to ``dc:contributor`` lose that); the other byline persons are ``dc:contributor``.
``dc:source`` cites the printed newspaper, ``dc:relation`` names it and its identifiers.
"""

from __future__ import annotations

from lxml import etree

from ..records import RecordInput
from .mods import TEI_MEDIA_TYPE, relator

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_LOCATION = OAI_DC_NS + " http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
#: Relator codes whose persons made the work (DC creators); the rest contributed to it.
CREATOR_RELATORS = frozenset({"aut", "pht"})


def citation(item: RecordInput) -> str:
    """The printed source: ``Evening star, vol. 12, no. 45 (1916-08-26), p. 1-2``."""
    parts = [item.paper or "[newspaper]"]
    if item.volume:
        parts.append(f"vol. {item.volume}")
    if item.number:
        parts.append(f"no. {item.number}")
    if item.edition and item.edition != "1":
        parts.append(f"ed. {item.edition}")
    text = ", ".join(parts)
    if item.date:
        text += f" ({item.date})"
    if item.kind == "article" and item.pages:
        first, last = item.pages[0], item.pages[-1]
        text += f", p. {first}" if first == last else f", p. {first}-{last}"
    return text


def dc_record(item: RecordInput) -> etree._Element:
    """The ``oai_dc:dc`` record of an issue or article."""
    root = etree.Element(
        "{" + OAI_DC_NS + "}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set("{" + XSI_NS + "}schemaLocation", OAI_DC_LOCATION)

    def add(tag: str, text: str) -> None:
        etree.SubElement(root, "{" + DC_NS + "}" + tag).text = text

    add("title", f"{item.title} : {item.subtitle}" if item.subtitle else item.title)
    for name, role in item.authors:
        add("creator" if relator(role)[0] in CREATOR_RELATORS else "contributor", name)
    if item.date:
        add("date", item.date)
    add("type", "Text")
    add("type", "article" if item.kind == "article" else "newspaper issue")
    add("format", TEI_MEDIA_TYPE)
    add("identifier", item.id)
    if item.url:
        add("identifier", item.url)
    add("source", citation(item))
    if item.paper:
        add("relation", item.paper)
    if item.lccn:
        add("relation", f"info:lccn/{item.lccn}")
    if item.issn:
        add("relation", f"urn:issn:{item.issn}")
    if item.oclc:
        add("relation", f"info:oclcnum/{item.oclc}")
    add("language", item.lang)
    if item.licence:
        add("rights", item.licence)
    return root
