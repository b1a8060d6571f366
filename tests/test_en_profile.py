"""The first English profile: continuation references close their articles."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from tests.helpers import assert_lossless

NS = {"t": "http://www.tei-c.org/ns/1.0"}
STORY = (
    "WASHINGTON, Jan. 29.—That it\nwill be many weeks, perhaps months,\n"
    "before the nomination is confirmed\nwas the unanimous opinion today.\n"
)


def convert(text: str) -> tuple[etree._Element, bytes]:
    meta = Metadata(paper="The Daily", date=dt.date(1916, 1, 30), page="1", lang="en")
    data = convert_bytes(text.encode(), "p.txt", meta, Options()).data
    return etree.fromstring(data), data


@pytest.mark.parametrize(
    ("jump", "subtype", "n"),
    [
        ("(Continued on page 4.)", "next", "4"),
        ("[Continued on Page 12]", "next", "12"),
        ("(Continued on par* 2.)", "next", "2"),
        ("(Continued on pan", "next", None),
        ("(Continued on Page 0)", "next", None),
        ("(Continued from page 1.)", "prev", "1"),
        ("(Continued on Sixth Page.)", "next", "6"),
        ("(Continued From First Page.)", "prev", "1"),
    ],
)
def test_continuations(jump: str, subtype: str, n: str | None) -> None:
    text = STORY + jump + "\n" + STORY
    root, data = convert(text)
    refs = root.xpath("//t:ref", namespaces=NS)
    assert [("".join(r.itertext()), r.get("subtype"), r.get("n")) for r in refs] == [
        (jump, subtype, n)
    ]
    assert_lossless(text, data)
    if subtype == "next":  # the jump closes its article; the text after it is another
        assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2


def test_joining_space_stays_outside_the_reference() -> None:
    _, data = convert(STORY + "(Continued on page 4.)\n")
    assert b'today. <ref type="continuation" subtype="next" n="4"><lb n="5"/>(Continued' in data


def test_words_like_continued_are_not_jumps() -> None:
    root, _ = convert("we continued to reoccupy\nthe trenches held before.\n")
    assert not root.xpath("//t:ref", namespaces=NS)


def test_header_in_english() -> None:
    root, _ = convert(STORY)
    assert root.findtext(".//{*}titleStmt/{*}title") == "The Daily 1916-01-30 page 1"
    assert root.findtext(".//{*}language") == "English"


@pytest.mark.parametrize(
    ("opening", "place", "when"),
    [
        ("LONDON, Jan. 29.—The cabinet met", "LONDON", "1916-01-29"),
        ("LINCOLN , Neb. , Jan 28. The senate", "LINCOLN , Neb.", "1916-01-28"),
        # The month garbled beyond reading: a dateline, but no date is made up.
        ("WAHOO , Neb. , Jnnxry 28. The board", "WAHOO , Neb.", None),
        ("LONDON, January SI.—The cabinet", "LONDON", None),
    ],
)
def test_datelines(opening: str, place: str, when: str | None) -> None:
    root, _ = convert(f"{opening}\nmet today and said nothing more\nabout the matter at all.\n")
    (dateline,) = root.iterfind(".//t:dateline", NS)
    assert "".join(dateline.find("t:placeName", NS).itertext()) == place  # type: ignore[union-attr]
    assert dateline.find("t:date", NS) is not None
    assert dateline.find("t:date", NS).get("when") == when  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "line", ["W. T. Coulter, both legs fractured.", "E. Finney. C. F. Hummel, Joel Hillman."]
)
def test_names_with_initials_are_no_datelines(line: str) -> None:
    root, _ = convert(f"The injured were taken home:\n{line}\nand others.\n")
    assert root.find(".//t:dateline", NS) is None
