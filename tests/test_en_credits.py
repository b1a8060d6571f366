"""English credit lines and credits after datelines as OCR prints them: wire services' names
garbled, "By" garbled, "Special Dispatch to", "Cablegram to", "From our own correspondent",
a person's name that only loosely looks like a wire's, and a bracketed "[Special Telegram to
the BEE.]" after a dateline, also across a line break and with its brackets garbled."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from converter.analyse.credits import latin_credit
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.profile import load_profile
from tests.helpers import assert_lossless

EN = load_profile("en")
NS = {"t": "http://www.tei-c.org/ns/1.0"}
TEXT = "That it will be many weeks, perhaps\nmonths, before the nomination is\nconfirmed was the opinion today.\n"


def convert(text: str) -> etree._Element:
    meta = Metadata(paper="The Bee", date=dt.date(1887, 3, 3), page="1", lang="en")
    data = convert_bytes(text.encode(), "p.txt", meta, Options()).data
    assert_lossless(text, data)
    return etree.fromstring(data)


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def read(line: str) -> list[tuple[str, str]] | None:
    marks = latin_credit(line, EN)
    return None if marks is None else [(line[m.start : m.end], m.tag) for m in marks]


@pytest.mark.parametrize(
    ("line", "marks"),
    [
        ("By .Associated Press", [("Associated Press", "orgName")]),
        ("J9v stssocialcd Press", [("stssocialcd Press", "orgName")]),
        ("By Associated ri'css", [("Associated ri'css", "orgName")]),
        ("Hy Associated Press.", [("Associated Press", "orgName")]),
        ("LUnited Press Leased Wire Service.]", [("LUnited Press", "orgName")]),
        ("Special Dispatch to The Sun.", [("The Sun", "orgName")]),
        ("Special Despatch to the Evening Star.", [("the Evening Star", "orgName")]),
        ("Cablegram to The Sunday Star and", [("The Sunday Star", "orgName")]),
        ("From Our Own Correspondent.", []),
        ("By a Staff Correspondent.", []),
        ("By Carl W. Ackerman", [("Carl W. Ackerman", "persName")]),
        ("By CARL W. ACKERMAN.", [("CARL W. ACKERMAN", "persName")]),
        ("By Centrl Nws.", [("Centrl Nws", "orgName")]),
    ],
)
def test_credit_lines(line: str, marks: list[tuple[str, str]]) -> None:
    assert read(line) == marks


@pytest.mark.parametrize(
    "line",
    ["From Washington", "Spain to The Front.", "Cable to the West Coast is Cut", "By the way"],
)
def test_no_credit_lines(line: str) -> None:
    assert read(line) is None


def test_a_cablegram_credit_under_a_headline_is_a_byline() -> None:
    root = convert("COUNT IS DEAD\n\nCablegram to The Sunday Star and\n" + TEXT)
    (byline,) = root.xpath("//t:opener/t:byline", namespaces=NS)
    assert words(byline) == "Cablegram to The Sunday Star and"
    assert [words(o) for o in byline.iterfind("t:orgName", NS)] == ["The Sunday Star"]


@pytest.mark.parametrize(
    ("opening", "credit", "org"),
    [
        (
            "LINCOLN, Neb., March 2.—[Special Telegram to the BEE.] Mr. Hayden",
            "[Special Telegram to the BEE.]",
            "BEE",
        ),
        (
            "WAHOO, Neb., March 2. [ Special to the\nBEE.] District court",
            "[ Special to the BEE.]",
            "BEE",
        ),
        (
            "EWING, Neb., March 2. ISpcchl Telegram\nto the Hr.r.I The women",
            "ISpcchl Telegram to the Hr.r.I",
            "Hr.r",
        ),
        (
            "LONDON, March 1. [New York Herald\nCable—Special to the BEE.] The Standard",
            "[New York Herald Cable—Special to the BEE.]",
            "New York Herald BEE",
        ),
        (
            "LINCOLN, Neb., March 2.—Sp | < ctal Tele\ngram to the HII : : . ] The charter",
            "Sp | < ctal Telegram to the HII : : . ]",
            "HII",
        ),
        (
            "LONDON, March 1 (by the Asso-\nciated Press). Great Britain",
            "(by the Asso-ciated Press)",
            "Asso-ciated Press",
        ),
        (
            "INDIANAPOLIS, Ind., March 1\n(Special to The Star.) Report of",
            "(Special to The Star.)",
            "Star",
        ),
        (
            "LINCOLN, Neb., March 1. [ Special Tele; ram to the Bus. ] Mr. Peters",
            "[ Special Tele; ram to the Bus. ]",
            "Bus",
        ),
        (
            "FAIRMONT , Neb. , March 1 , fSpeclal Tele\ngram to the UKK. ] Fairmont citizens",
            "fSpeclal Telegram to the UKK. ]",
            "UKK",
        ),
        (
            "LONDON, March 1. [ New York Herald\nCable-Special to the UnK.l The Times",
            "[ New York Herald Cable-Special to the UnK.l",
            "New York Herald UnK",
        ),
    ],
)
def test_a_credit_after_a_dateline_is_a_byline(opening: str, credit: str, org: str) -> None:
    root = convert(opening + " said\n" + TEXT)
    (opener,) = root.xpath("//t:opener", namespaces=NS)
    assert opener.find("t:dateline/t:date", NS) is not None
    (byline,) = opener.iterfind("t:byline", NS)
    assert words(byline).replace(" ", "") == credit.replace(" ", "")
    assert " ".join(words(o) for o in byline.iterfind("t:orgName", NS)) == org
    (p,) = root.xpath("//t:p[1]", namespaces=NS)
    assert words(p).startswith(opening.split()[-2])


@pytest.mark.parametrize(
    "opening",
    [
        "LONDON, March 1.—Special dispatches to the Herald say that",
        "LONDON, March 1.—Spain to the rescue of the city, said",
        "LONDON, March 1.—By the way, the minister said",
        "LONDON, March 1 (who was there) said",
        "LONDON, March 1 (by wireless).—The admiralty",
    ],
)
def test_no_credit_after_a_dateline(opening: str) -> None:
    root = convert(opening + "\n" + TEXT)
    assert not root.xpath("//t:byline", namespaces=NS)
