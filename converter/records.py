"""Record inputs: what a catalogue record says of an issue or an article, read back from a TEI
document the converter wrote (its header, and the page breaks and headings of its body).

The records written beside a document and those ``newspaper-tei records FILE.xml`` makes are
both made from what this module reads, so the two are the same bytes. Each item also gets its
archive-wide identifier here (:func:`issue_id`), made from the metadata alone so that it does
not change with the folder an archive is written to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lxml import etree

from .errors import NotTeiError
from .write.tei_xml import TEI_NS, XML_ID, XML_LANG, tei

RecordKind = Literal["issue", "article"]
_NS = {"t": TEI_NS}
_NON_WORD = re.compile(r"[\W_]+")
_SPACE = re.compile(r"\s+")
#: ISO 639-2 bibliographic codes of the primary language subtags newspapers are most often in;
#: a tag's three-letter terminology code is turned into the bibliographic one too.
_ISO639_2B = {
    "cs": "cze",
    "ces": "cze",
    "da": "dan",
    "de": "ger",
    "deu": "ger",
    "en": "eng",
    "es": "spa",
    "fi": "fin",
    "fr": "fre",
    "fra": "fre",
    "he": "heb",
    "hu": "hun",
    "is": "ice",
    "isl": "ice",
    "it": "ita",
    "ja": "jpn",
    "ko": "kor",
    "la": "lat",
    "nl": "dut",
    "nld": "dut",
    "no": "nor",
    "pl": "pol",
    "pt": "por",
    "ru": "rus",
    "sv": "swe",
    "yi": "yid",
    "zh": "chi",
    "zho": "chi",
}


@dataclass(frozen=True)
class RecordInput:
    """What the records of one issue or article say (None: not known, nothing is guessed)."""

    kind: RecordKind
    id: str  # archive-wide: <lccn>/<date>/ed-<edition>[/<xml:id>]
    xml_id: str | None  # the article's first division
    title: str
    subtitle: str | None
    authors: tuple[tuple[str, str], ...]  # (name, role as the TEI names it)
    paper: str | None
    lccn: str | None
    issn: str | None
    oclc: str | None
    place: str | None
    publisher: str | None
    institution: str | None
    licence: str | None
    url: str | None  # the TEI document's web address
    date: str | None  # ISO 8601 issue date
    volume: str | None
    number: str | None
    edition: str | None
    pages: tuple[str, ...]  # the pages it stands on, in order
    lang: str  # BCP 47
    language_name: str
    created: str | None  # the day the files were made, when it is fixed
    converter: str  # the converter and its version

    @property
    def issue_id(self) -> str:
        """The archive-wide identifier of the issue the item belongs to."""
        return self.id.rsplit("/", 1)[0] if self.kind == "article" else self.id

    @property
    def language_code(self) -> str:
        """The ISO 639-2 bibliographic code of the language (``und``: not known here)."""
        return marc_language(self.lang)


def slug(text: str) -> str:
    """A path segment for ``text``: case folded, each run of other than letters and digits a
    hyphen (letters of every script stay: 焦作日报, the-daily-gate-city)."""
    return _NON_WORD.sub("-", unicodedata.normalize("NFKC", text).casefold()).strip("-")


def issue_id(
    *,
    lccn: str | None,
    issn: str | None,
    paper: str | None,
    date: str | None,
    edition: str | None,
    fallback: str | None = None,
) -> str:
    """An issue's archive-wide identifier, as Chronicling America names issues:
    ``<lccn>/<date>/ed-<edition>``; the ISSN or the title stands in for an unknown LCCN (else
    ``fallback``, the issue document's title, which names its folder when nothing else is
    known), ``undated`` for an unknown date, and edition 1 for an unknown edition."""
    title = lccn or issn or slug(paper or "") or slug(fallback or "") or "untitled"
    edition_part = (slug(edition) if edition else "") or "1"
    return f"{title}/{date or 'undated'}/ed-{edition_part}"


def marc_language(tag: str) -> str:
    """The ISO 639-2 bibliographic code of a BCP 47 tag's language; ``und`` if not known."""
    primary = tag.split("-", 1)[0].lower()
    if primary in _ISO639_2B:
        return _ISO639_2B[primary]
    return primary if re.fullmatch(r"[a-z]{3}", primary) else "und"


def parse_tei(data: bytes, path: str | Path) -> etree._Element:
    """The root of a TEI file's bytes; not well-formed XML is a NotTeiError."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotTeiError(f"not well-formed XML: {exc.msg}", path=path, line=exc.lineno) from None


def read(
    root: etree._Element, path: str | Path = "document", issue: str | None = None
) -> RecordInput:
    """The record input of an issue or article document the converter wrote; any other
    document (a page document, or not the converter's TEI) is a NotTeiError. ``issue`` is the
    id of an article's issue when it is known (an article document names its newspaper, but
    not the folder its issue came from, which names an issue of an unknown newspaper)."""
    if root.tag != tei("TEI"):
        raise NotTeiError("not a TEI document", path=path)
    monogr = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:biblStruct/t:monogr", _NS)
    pub = root.find("t:teiHeader/t:fileDesc/t:publicationStmt", _NS)
    body = root.find("t:text/t:body", _NS)
    if monogr is None or pub is None or body is None:
        raise NotTeiError("not a TEI document the converter wrote (no biblStruct)", path=path)
    imprint = monogr.find("t:imprint", _NS)
    analytic = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:biblStruct/t:analytic", _NS)
    scope = _scopes(imprint)
    if analytic is None and "page" in scope:
        raise NotTeiError(
            "a page document: records are made of the issue and article documents of "
            "`newspaper-tei issue` and `archive`",
            path=path,
        )
    lang = root.get(XML_LANG) or "und"
    language = root.find("t:teiHeader/t:profileDesc/t:langUsage/t:language", _NS)
    date = _text(imprint, "t:date/@when")
    edition = scope.get("edition")
    paper = _text(monogr, "t:title")
    ids = {
        element.get("type", ""): _clean(element.text) for element in monogr.iterfind("t:idno", _NS)
    }
    this_issue = issue or issue_id(
        lccn=ids.get("LCCN"),
        issn=ids.get("ISSN"),
        paper=paper,
        date=date,
        edition=edition,
        fallback=None if analytic is not None else _text(root, "t:teiHeader//t:titleStmt/t:title"),
    )
    pages = tuple(dict.fromkeys(pb.get("n", "") for pb in body.iter(tei("pb")) if pb.get("n")))
    first = body.find("t:div", _NS)
    if analytic is not None:
        xml_id = first.get(XML_ID) if first is not None else None
        if not xml_id:
            raise NotTeiError("an article document without its article's xml:id", path=path)
        kind: RecordKind = "article"
        title = _text(analytic, "t:title") or _text(root, "t:teiHeader//t:titleStmt/t:title")
        authors = tuple(
            (_clean(_all_text(author)) or "", author.get("role") or "author")
            for author in analytic.iterfind("t:author", _NS)
        )
        subtitle = _heading(first, "sub")
        ident = f"{this_issue}/{xml_id}"
    else:
        kind, xml_id, authors, subtitle, ident = "issue", None, (), None, this_issue
        title = _text(root, "t:teiHeader/t:fileDesc/t:titleStmt/t:title")
    licence = pub.find("t:availability/t:licence", _NS)
    return RecordInput(
        kind=kind,
        id=ident,
        xml_id=xml_id,
        title=title or paper or ident,
        subtitle=subtitle,
        authors=tuple(a for a in authors if a[0]),
        paper=paper,
        lccn=ids.get("LCCN"),
        issn=ids.get("ISSN"),
        oclc=ids.get("OCLC"),
        place=_text(imprint, "t:pubPlace"),
        publisher=_text(imprint, "t:publisher"),
        institution=_text(pub, "t:publisher"),
        licence=_clean(licence.text) if licence is not None else None,
        url=_text(pub, "t:idno[@type='URI']"),
        date=date,
        volume=scope.get("volume"),
        number=scope.get("issue"),
        edition=edition,
        pages=pages,
        lang=lang,
        language_name=_clean(language.text if language is not None else None) or lang,
        created=_text(pub, "t:date/@when"),
        converter=_text(pub, "t:authority") or "newspaper-tei",
    )


def _scopes(imprint: etree._Element | None) -> dict[str, str]:
    """The imprint's biblScope values by unit (a page range's first page for ``page``)."""
    found: dict[str, str] = {}
    if imprint is None:
        return found
    for scope in imprint.iterfind("t:biblScope", _NS):
        value = scope.get("n") or scope.get("from") or _clean(scope.text)
        if value:
            found.setdefault(scope.get("unit", ""), value)
    return found


def _heading(division: etree._Element | None, kind: str) -> str | None:
    """The text of the division's first heading of ``@type`` ``kind`` (its lines joined as the
    TEI joins them: line breaks add nothing)."""
    if division is None:
        return None
    for head in division.iterfind("t:head", _NS):
        if head.get("type") == kind:
            return _clean(_all_text(head))
    return None


def _text(element: etree._Element | None, xpath: str) -> str | None:
    """The first non-empty text or attribute value ``xpath`` finds below ``element``."""
    if element is None:
        return None
    found = element.xpath(xpath, namespaces=_NS)
    if not isinstance(found, list):
        return None
    for item in found:
        value = _clean(_all_text(item) if isinstance(item, etree._Element) else str(item))
        if value:
            return value
    return None


def _all_text(element: etree._Element) -> str:
    return "".join(str(text) for text in element.itertext())


def _clean(text: str | None) -> str | None:
    """Runs of white space as one space, ends trimmed; None for nothing left."""
    if text is None:
        return None
    return _SPACE.sub(" ", text).strip() or None
