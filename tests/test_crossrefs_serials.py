"""Cross-references to another page ("See page 4") are ``ref type="crossref"`` with the page
in ``@n``, and a serial's "to be continued" at an article's end is ``trailer
type="to-be-continued"`` (contract §3, §5), in English, German and French; the pages stay
lossless and valid against the bundled schema and the official TEI, and the schema refuses a
cross-reference that links like a continuation."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from lxml import etree

from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.validate import validate_tree, validate_tree_reference
from tests.helpers import assert_lossless

NS = {"t": "http://www.tei-c.org/ns/1.0"}
T = "{http://www.tei-c.org/ns/1.0}"

#: lang → (page text, the cross-references' words and pages, the serial's words)
PAGES = {
    "en": (
        "WASHINGTON, Jan. 29.—That it\n"
        "will be many weeks, perhaps months,\n"
        "before the nomination is confirmed\n"
        "was the unanimous opinion today.\n"
        "Full report on page 7.\n"
        "The Senate adjourned at noon (See\n"
        "page 4) and will meet on Monday.\n"
        "The count looked at her a long time\n"
        "and said nothing more that evening.\n"
        "(To be continued.)\n",
        [("Full report on page 7", "7"), ("See page 4", "4")],
        "(To be continued.)",
    ),
    "de": (
        "Berlin, 2. Januar. Der Reichstag hat\n"
        "heute die Berathung über den Etat\n"
        "begonnen. Siehe Seite 3.\n"
        "Der Graf sah sie lange an und sagte\n"
        "nichts mehr an diesem Abend.\n"
        "(Fortsetzung folgt.)\n",
        [("Siehe Seite 3", "3")],
        "(Fortsetzung folgt.)",
    ),
    "fr": (
        "Paris, 2 janvier. La Chambre a repris\n"
        "hier la discussion du budget (voir\n"
        "page 3) et le ministre a parlé.\n"
        "Le comte la regarda longuement et ne\n"
        "dit plus rien ce soir-là.\n"
        "(À suivre.)\n",
        [("voir page 3", "3")],
        "(À suivre.)",
    ),
}


def convert(text: str, lang: str) -> bytes:
    meta = Metadata(paper="The Daily", date=dt.date(1916, 1, 30), page="1", lang=lang)
    return convert_bytes(text.encode(), "p.txt", meta, Options()).data


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_cross_references_and_serial_endings(lang: str) -> None:
    text, refs, serial = PAGES[lang]
    data = convert(text, lang)
    root = etree.fromstring(data)
    found = root.xpath("//t:ref", namespaces=NS)
    assert [(words(r), r.get("type"), r.get("n")) for r in found] == [
        (printed, "crossref", n) for printed, n in refs
    ]
    assert all(r.get("subtype") is None and r.get("target") is None for r in found)
    (trailer,) = root.xpath("//t:div[@type='article']/t:trailer", namespaces=NS)
    assert (trailer.get("type"), words(trailer)) == ("to-be-continued", serial)
    # The trailer closes its article: nothing but it follows the last paragraph.
    assert trailer.getnext() is None
    assert trailer.getprevious() is not None and trailer.getprevious().tag == T + "p"
    assert_lossless(text, data)
    assert validate_tree(root) == [] == validate_tree_reference(root)


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_valid_against_tei_all(lang: str, tei_all: etree.RelaxNG) -> None:
    root = etree.fromstring(convert(PAGES[lang][0], lang))
    assert tei_all.validate(etree.ElementTree(root)), tei_all.error_log.last_error


def test_a_serial_on_a_line_of_text_is_cut_off_its_paragraph() -> None:
    text = "WASHINGTON, Jan. 29.—The count said\nnothing more. (To be continued.)\n"
    root = etree.fromstring(convert(text, "en"))
    (p,) = root.xpath("//t:p", namespaces=NS)
    (trailer,) = root.xpath("//t:trailer", namespaces=NS)
    assert words(p) == "The count said nothing more."
    assert words(trailer) == "(To be continued.)"


@pytest.mark.parametrize(
    "line",
    [
        "I see page after page of figures.",
        "The page 4 of the report was lost.",
        "(Continued on Page 4.)",
        "(Fortsetzung folgt.) said the editor and",
    ],
)
def test_no_cross_reference(line: str) -> None:
    text = f"WASHINGTON, Jan. 29.—That it\nwas so.\n{line}\nThe end of it.\n"
    root = etree.fromstring(convert(text, "en"))
    assert not root.xpath("//t:ref[@type='crossref']", namespaces=NS)
    assert not root.xpath("//t:trailer[@type='to-be-continued']", namespaces=NS)


def _crossref_page() -> etree._Element:
    return etree.fromstring(convert(PAGES["en"][0], "en"))


def _valid_both(root: etree._Element) -> bool:
    fast = not validate_tree(root)  # libxml2, with the assertions checked in Python
    assert fast == (not validate_tree_reference(root)), validate_tree_reference(root)
    return fast


@pytest.mark.parametrize(
    ("attribute", "value"), [("subtype", "next"), ("target", "#p1-a1"), ("n", "page 4")]
)
def test_a_cross_reference_that_links_is_refused(attribute: str, value: str) -> None:
    root = _crossref_page()
    assert _valid_both(copy.deepcopy(root))
    ref = root.find(f".//{T}ref")
    assert ref is not None
    ref.set(attribute, value)
    assert not _valid_both(root)


def test_a_continuation_without_subtype_is_refused_by_both_paths() -> None:
    root = _crossref_page()
    ref = root.find(f".//{T}ref")
    assert ref is not None
    ref.set("type", "continuation")
    assert not _valid_both(root)
    ref.set("subtype", "next")
    assert _valid_both(root)


def test_an_unknown_trailer_type_is_refused() -> None:
    root = _crossref_page()
    trailer = root.find(f".//{T}trailer")
    assert trailer is not None
    trailer.set("type", "continued")
    assert not _valid_both(root)


def test_a_serial_ending_in_display_type_is_no_headline() -> None:
    # A layout page: "(To be continued.)" set large, in a block of its own under a column,
    # closes the story above it; it heads nothing.
    from tests.test_layout import COLUMNS, MEASURE, Printed, front_page, tei, to_alto

    lines, _ = front_page()
    bottom = max(p.box[3] for p in lines)
    x = COLUMNS[2]
    serial = Printed("(To be continued.)", (x + 200, bottom + 30, x + MEASURE - 200, bottom + 100))
    data = to_alto([*lines, Printed(serial.text, serial.box, 20.0, 7)])
    root = tei(data, "front.xml")
    assert [words(h) for h in root.iter(T + "head")] == [
        "COUNCIL VOTES BRIDGE AND TUNNEL",
        "MAYOR REPLIES",
    ]
    (trailer,) = root.xpath("//t:trailer", namespaces=NS)
    assert (trailer.get("type"), words(trailer)) == ("to-be-continued", "(To be continued.)")
    assert "Column 3 line 15" in words(trailer.getparent())
