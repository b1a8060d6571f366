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
