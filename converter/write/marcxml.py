"""MARCXML records of articles (contract §7): MARC 21 analytics that a library system loads
as component parts of the newspaper it holds, made with pymarc, as lxml trees.

Leader ``naa`` (language material, monographic component part); a 40-character 008 for books;
100/700 for byline persons with ``$e`` term and ``$4`` relator code; 245 headline; 264 imprint;
336–338 content, media and carrier types; 546 language; 540 licence; 773 host item entry with
the newspaper's title, the article's place in it (``$g`` as written, ``$q`` as enumeration) and
the title's identifiers; 856 the TEI document's address.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pymarc
from lxml import etree
from pymarc import Field, Indicators, Leader, Record, Subfield

from ..records import RecordInput
from .mods import TEI_MEDIA_TYPE, relator

MARC_NS = "http://www.loc.gov/MARC21/slim"
#: Record status n (new), type a (language material), level a (monographic component part),
#: Unicode, encoding level 7 (minimal), ISBD punctuation (i); the lengths are filled in.
LEADER = "00000naa a22000007i 4500"
#: Months as AACR2 abbreviates them (Appendix B), for 773 $g.
MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
          "Dec.")  # fmt: skip
#: 773 $7: main entry not applicable (nn), host is language material (a), serial (s).
HOST_CONTROL = "nnas"
_WEB = re.compile(r"^https?://\S+$")
#: pymarc's MARCXML serialiser (its signature has no annotations).
_record_to_xml: Callable[..., bytes] = pymarc.record_to_xml


def printed_date(iso: str) -> str:
    """``1916-08-26`` → ``Aug. 26, 1916``."""
    day = dt.date.fromisoformat(iso)
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def host_part(item: RecordInput) -> str:
    """773 $g: ``Vol. 12, no. 45 (Aug. 26, 1916), p. 1-2``."""
    parts = []
    if item.volume:
        parts.append(f"Vol. {item.volume}")
    if item.number:
        parts.append(f"{'no.' if parts else 'No.'} {item.number}")
    text = ", ".join(parts)
    if item.date:
        text = f"{text} ({printed_date(item.date)})".strip()
    if item.pages:
        first, last = item.pages[0], item.pages[-1]
        pages = f"p. {first}" if first == last else f"p. {first}-{last}"
        text = f"{text}, {pages}" if text else pages
    return text


def enumeration(item: RecordInput) -> str:
    """773 $q: the levels of the enumeration and the first page: ``12:45<1``."""
    levels = ":".join(v for v in (item.volume, item.number) if v)
    return f"{levels}<{item.pages[0]}" if item.pages else levels


def fixed_length_data(item: RecordInput) -> str:
    """The 40 characters of the 008 field for a book-like item (an article)."""
    entered = item.created.replace("-", "")[2:] if item.created else "000000"
    dates = f"s{item.date[:4]}    " if item.date else "nuuuu    "
    books = "    " + " " + "o" + "    " + " " + "000" + " " + "0" + " "  # 18–34
    value = f"{entered}{dates}xx {books}{item.language_code} d"
    assert len(value) == 40, value
    return value


def marc_record(item: RecordInput) -> etree._Element:
    """The MARCXML record of an article."""
    fields = [Field(tag="001", data=item.id)]
    if item.created:
        fields.append(Field(tag="005", data=item.created.replace("-", "") + "000000.0"))
    fields.append(Field(tag="008", data=fixed_length_data(item)))
    persons = list(item.authors)
    main = next((p for p in persons if relator(p[1])[0] == "aut"), None)
    if main is not None:
        fields.append(_person("100", main))
    title = [Subfield("a", f"{item.title} :" if item.subtitle else _end(item.title))]
    if item.subtitle:
        title.append(Subfield("b", _end(item.subtitle)))
    fields.append(Field("245", Indicators("1" if main else "0", "0"), title))
    imprint = []
    if item.place:
        imprint.append(Subfield("a", item.place + (" :" if item.publisher else ",")))
    if item.publisher:
        imprint.append(Subfield("b", item.publisher + ","))
    if item.date:
        imprint.append(Subfield("c", item.date + "."))
    if imprint:
        fields.append(Field("264", Indicators(" ", "1"), imprint))
    for tag, term, code, source in (
        ("336", "text", "txt", "rdacontent"),
        ("337", "computer", "c", "rdamedia"),
        ("338", "online resource", "cr", "rdacarrier"),
    ):
        fields.append(
            Field(
                tag,
                Indicators(" ", " "),
                [Subfield("a", term), Subfield("b", code), Subfield("2", source)],
            )
        )
    if item.licence:
        code = "u" if _WEB.match(item.licence) else "a"  # 540 $u: the licence's address
        text = item.licence if code == "u" else _end(item.licence)
        fields.append(Field("540", Indicators(" ", " "), [Subfield(code, text)]))
    if item.language_code != "und":
        fields.append(
            Field("546", Indicators(" ", " "), [Subfield("a", f"In {item.language_name}.")])
        )
    for person in persons:
        if person is not main:
            fields.append(_person("700", person))
    fields.append(_host(item))
    if item.url:
        fields.append(
            Field(
                "856",
                Indicators("4", "0"),
                [Subfield("u", item.url), Subfield("q", TEI_MEDIA_TYPE)],
            )
        )
    record = Record(force_utf8=True, leader=LEADER, fields=fields)
    # The leader with the record's length and base address, as its ISO 2709 form has them.
    record.leader = Leader(record.as_marc()[:24].decode("ascii"))
    data = _record_to_xml(record, namespace=True)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def _person(tag: str, person: tuple[str, str]) -> Field:
    name, role = person
    code, term = relator(role)
    # First indicator 0: the name as printed, in direct order (a byline is not inverted).
    return Field(
        tag,
        Indicators("0", " "),
        [Subfield("a", name + ","), Subfield("e", term + "."), Subfield("4", code)],
    )


def _host(item: RecordInput) -> Field:
    subfields = [Subfield("7", HOST_CONTROL)]
    if item.paper:
        subfields.append(Subfield("t", item.paper + "."))
    part = host_part(item)
    if part:
        subfields.append(Subfield("g", part))
    enum = enumeration(item)
    if enum:
        subfields.append(Subfield("q", enum))
    if item.issn:
        subfields.append(Subfield("x", item.issn))
    if item.lccn:
        subfields.append(Subfield("w", f"(DLC){item.lccn}"))
    if item.oclc:
        subfields.append(Subfield("w", f"(OCoLC){item.oclc}"))
    return Field("773", Indicators("0", " "), subfields)


def _end(text: str) -> str:
    """``text`` closed by a full stop unless it ends in a mark of its own."""
    return text if text[-1:] in ".?!。？！" else text + "."
