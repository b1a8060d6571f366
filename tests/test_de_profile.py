"""The German profile: continuation references, a serial's "to be continued", datelines with
the year from the issue, credit lines, and the hyphens and long s of Fraktur OCR."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from converter.analyse.credits import latin_credit
from converter.analyse.jumps import crossrefs, find_jumps, is_serial_end
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.profile import load_profile
from tests.helpers import assert_lossless

NS = {"t": "http://www.tei-c.org/ns/1.0"}
DE = load_profile("de")
STORY = (
    "Die Regierung hat heute beschlossen, die\nSitzung des Reichstages auf den nächsten\n"
    "Monat zu verschieben.\n"
)


def convert(text: str, lang: str | None = "de") -> tuple[etree._Element, bytes]:
    meta = Metadata(paper="Der Nordstern", date=dt.date(1878, 1, 3), page="7", lang=lang)
    data = convert_bytes(text.encode(), "p.txt", meta, Options()).data
    return etree.fromstring(data), data


@pytest.mark.parametrize(
    ("jump", "subtype", "n"),
    [
        ("Fortsetzung auf Seite 3", "next", "3"),
        ("(Fortsetzung auf Seite 3.)", "next", "3"),
        ("(Fortsetzung von Seite 1)", "prev", "1"),
        ("Schluß auf Seite 5", "next", "5"),
        ("(Schluss von Seite 2.)", "prev", "2"),
        ("(Fortſetzung auf Seite 4.)", "next", "4"),
        ("(Fortsetzung von der ersten Seite)", "prev", "1"),
        ("(Fortsetzung auf der 6. Seite.)", "next", "6"),
        ("(Fortsetzung auf Seite IV.)", "next", "4"),
    ],
)
def test_continuations(jump: str, subtype: str, n: str) -> None:
    text = STORY + jump + "\n" + STORY
    root, data = convert(text)
    refs = root.xpath("//t:ref", namespaces=NS)
    assert [(r.get("subtype"), r.get("n")) for r in refs] == [(subtype, n)]
    assert "".join(refs[0].itertext()) == jump
    assert_lossless(text, data)


@pytest.mark.parametrize(
    "line", ["(Fortsetzung folgt.)", "(Schluß folgt.)", "„ß-artfcteig folgt.)"]
)
def test_a_serial_to_be_continued_is_no_jump_and_ends_its_story(line: str) -> None:
    assert is_serial_end(line, DE)
    root, data = convert(STORY + line + "\n" + STORY)
    assert not root.xpath("//t:ref", namespaces=NS)
    assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2
    assert_lossless(STORY + line + "\n" + STORY, data)


def test_continued_from_the_last_issue_is_no_jump() -> None:
    assert find_jumps("(Fortsetzung.)", DE) == []
    assert find_jumps("Siehe Seite 3.", DE) == []
    assert crossrefs("Siehe Seite 3.", DE) == [(0, 13, "3")]


@pytest.mark.parametrize(
    ("opening", "place", "when"),
    [
        ("Berlin, 2. Jan. Die Regierung hat", "Berlin", "1878-01-02"),
        ("Wien, 3. Jänner. Der Kaiser hat", "Wien", "1878-01-03"),
        ("London, 28. Dez., Mgs. Eine Depesche", "London", "1877-12-28"),
        ("N a e, Tenn. 26. Dez. Gestern", "N a e, Tenn.", "1877-12-26"),
        ("st a I, 27. Dec. Die Pforte", "st a I", "1877-12-27"),
        ("Paris, 1. Februar. Der Senat", "Paris", "1877-02-01"),
        # The month garbled by the OCR: a dateline with no date made up.
        ("n, 29 Tec. Eine Depesche aus", "n", None),
    ],
)
def test_datelines(opening: str, place: str, when: str | None) -> None:
    root, _ = convert(f"{opening}\nBucharest meldet, die Brücke sei\ndurch Eis zerstört worden.\n")
    (dateline,) = root.iterfind(".//t:dateline", NS)
    assert "".join(dateline.find("t:placeName", NS).itertext()) == place  # type: ignore[union-attr]
    assert dateline.find("t:date", NS).get("when") == when  # type: ignore[union-attr]


@pytest.mark.parametrize("line", ["Am 12. Nov. fand in München die", "Er, 3 Mann stark, zog aus"])
def test_no_datelines(line: str) -> None:
    root, _ = convert(f"{line}\nFeier statt, wie berichtet wird.\n")
    assert root.find(".//t:dateline", NS) is None


@pytest.mark.parametrize(
    "line", ["Von unserem Korrespondenten", "(Von unserem eigenen Berichterstatter.)"]
)
def test_credit_lines(line: str) -> None:
    assert latin_credit(line, DE) == ()
    root, _ = convert(f"DER KRIEG\n{line}\n{STORY}")
    (byline,) = root.iterfind(".//t:byline", NS)
    assert "".join(byline.itertext()).strip() == line


def test_no_credit_line() -> None:
    assert latin_credit("Von der Regierung wurde heute", DE) is None


@pytest.mark.parametrize("hyphen", ["\u2e17", "¬", "=", "-", "\u00ad"])
def test_fraktur_hyphens_join_words(hyphen: str) -> None:
    text = (
        f"Die Regierung hat die Fort{hyphen}\nsetzung der Sitzung beschloſſen, daß\nalles bleibt.\n"
    )
    root, data = convert(text)
    (lb,) = root.xpath("//t:lb[@break='no']", namespaces=NS)
    assert lb.get("n") == "2"
    assert "beschloſſen, daß" in "".join(root.itertext())  # long s and sharp s kept as printed
    assert_lossless(text, data)


@given(st.integers(min_value=1, max_value=99))
def test_any_page_number(n: int) -> None:
    (jump,) = find_jumps(f"(Fortsetzung auf Seite {n}.)", DE)
    assert (jump.subtype, jump.page) == ("next", str(n))
