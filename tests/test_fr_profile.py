"""The French profile: continuation references (in words, ordinals and Roman numerals), a
serial's "à suivre", datelines, credit lines, and French typography: spaces (non-breaking
too) before : ; ? !, both apostrophes, the ligature œ."""

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
FR = load_profile("fr")
STORY = (
    "Le conseil des ministres s’est réuni ce\nmatin à l’Élysée pour examiner la\n"
    "situation des chemins de fer.\n"
)


def convert(text: str, lang: str | None = "fr") -> tuple[etree._Element, bytes]:
    meta = Metadata(paper="Le Temps", date=dt.date(1914, 8, 27), page="7", lang=lang)
    data = convert_bytes(text.encode(), "p.txt", meta, Options()).data
    return etree.fromstring(data), data


@pytest.mark.parametrize(
    ("jump", "subtype", "n"),
    [
        ("Suite page 2", "next", "2"),
        ("(Suite page 2.)", "next", "2"),
        ("(Voir la suite en 3e page)", "next", "3"),
        ("(Suite de la première page)", "prev", "1"),
        ("LA SUITE EN DEUXIÈME PAGE", "next", "2"),
        ("(Suite en IIe page)", "next", "2"),
        ("(Voir la suite en 4\u00a0page)", "next", "4"),
        ("(Suite de la 1re page.)", "prev", "1"),
    ],
)
def test_continuations(jump: str, subtype: str, n: str) -> None:
    text = STORY + jump + "\n" + STORY
    root, data = convert(text)
    refs = root.xpath("//t:ref", namespaces=NS)
    assert [(r.get("subtype"), r.get("n")) for r in refs] == [(subtype, n)]
    assert_lossless(text, data)


@pytest.mark.parametrize("line", ["la suite des événements", "(Voir page 3.)", "Lire en 2e page."])
def test_no_continuation(line: str) -> None:
    assert find_jumps(line, FR) == []


def test_a_cross_reference_names_its_page() -> None:
    assert crossrefs("(Voir page 3.)", FR) == [(1, 12, "3")]


@pytest.mark.parametrize("line", ["(À suivre.)", "(A suivre.)", "(La suite à demain.)"])
def test_a_serial_to_be_continued_ends_its_story(line: str) -> None:
    assert is_serial_end(line, FR)
    root, data = convert(STORY + line + "\n" + STORY)
    assert not root.xpath("//t:ref", namespaces=NS)
    assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2
    assert_lossless(STORY + line + "\n" + STORY, data)


@pytest.mark.parametrize(
    ("opening", "place", "when"),
    [
        ("Paris, 26 août. — Le conseil a", "Paris", "1914-08-26"),
        ("PARIS, 1er septembre. — Le", "PARIS", "1913-09-01"),
        ("Saint-Étienne, 3 janv. Un grave", "Saint-Étienne", "1914-01-03"),
        ("Londres, 25\u00a0août. On annonce", "Londres", "1914-08-25"),
    ],
)
def test_datelines(opening: str, place: str, when: str) -> None:
    root, _ = convert(f"{opening}\naccident s’est produit hier soir dans\nla gare de la ville.\n")
    (dateline,) = root.iterfind(".//t:dateline", NS)
    assert "".join(dateline.find("t:placeName", NS).itertext()) == place  # type: ignore[union-attr]
    assert dateline.find("t:date", NS).get("when") == when  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "org"),
    [
        ("(De notre correspondant particulier)", None),
        ("De notre envoyé spécial", None),
        ("(Agence Havas)", "Agence Havas"),
    ],
)
def test_credit_lines(line: str, org: str | None) -> None:
    marks = latin_credit(line, FR)
    assert marks is not None
    assert [line[m.start : m.end] for m in marks if m.tag == "orgName"] == ([org] if org else [])


def test_french_typography_is_kept() -> None:
    text = (
        "Que fera le gouvernement\u00a0? Nul ne\nle sait encore\u202f; le cœur des\n"
        "Français bat pour l'armée et l’œuvre.\n"
    )
    root, data = convert(text)
    body = "".join(root.find(".//t:body", NS).itertext())  # type: ignore[union-attr]
    for kept in ("gouvernement\u00a0?", "encore\u202f;", "cœur", "l'armée", "l’œuvre"):
        assert kept in body
    assert len(root.xpath("//t:p", namespaces=NS)) == 1  # a space before ? ends no paragraph
    assert_lossless(text, data)


@given(st.integers(min_value=1, max_value=12))
def test_ordinal_pages(n: int) -> None:
    (jump,) = find_jumps(f"(Voir la suite en {n}e page)", FR)
    assert jump.page == str(n)
