"""A page without --lang is in the language its script and common words say: English, German
and French share the Latin script and are told apart by their commonest words; a page mostly
in ideographs is Chinese; a page no profile claims is ``und``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from converter.cli import main
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.profile import detect_language, found_profiles, load_profile

NS = {"t": "http://www.tei-c.org/ns/1.0"}

PAGES = {
    "en": "The council met on Monday and said that the bridge\n"
    "will be built in the spring, as soon as the ice is gone.\n",
    "de": "Die Regierung hat heute beschlossen, daß die Sitzung\n"
    "des Reichstages auf den nächsten Monat verschoben wird.\n",
    "fr": "Le conseil des ministres s’est réuni ce matin à l’Élysée\n"
    "pour examiner la situation des chemins de fer et du port.\n",
    "zh": "本报讯 市委召开会议，研究部署今冬明春的工作。\n会议强调要抓好落实。\n",
}


def language_of(text: str) -> str:
    meta = Metadata(date=dt.date(1916, 1, 3), page="1")
    root = etree.fromstring(convert_bytes(text.encode(), "p.txt", meta, Options()).data)
    (ident,) = root.xpath("//t:langUsage/t:language/@ident", namespaces=NS)
    return str(ident)


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_each_language_is_detected(lang: str) -> None:
    assert language_of(PAGES[lang]) == lang


def test_fraktur_ocr_with_long_s_is_german() -> None:
    assert language_of("Die Regierung iſt der Anſicht, daß die\nSitzung verſchoben wird.\n") == "de"


def test_a_page_mostly_in_ideographs_is_chinese() -> None:
    text = PAGES["zh"] * 5 + "Continued on page 4 of the paper\n"
    assert language_of(text) == "zh"


@pytest.mark.parametrize("text", ["Xqzt vbnm rtyp kjh.\nQwrt plkj hgfd.\n", "12 34 56\n78 90\n"])
def test_no_language(text: str) -> None:
    assert language_of(text) == "und"


def test_lang_given_wins(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGES["de"], encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(page), "--lang", "en"])
    assert result.exit_code == 0
    root = etree.fromstring(result.stdout_bytes)
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["en"]
    result = CliRunner().invoke(main, ["convert", str(page)])
    assert result.exit_code == 0
    root = etree.fromstring(result.stdout_bytes)
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["de"]


def _own_words(name: str) -> list[str]:
    """The common words of a profile that no other Latin profile lists."""
    own = load_profile(name).detect
    assert own is not None
    others = set().union(
        *(
            p.detect.words
            for p in map(load_profile, ("en", "de", "fr"))
            if p.name != name and p.detect is not None
        )
    )
    return sorted(w for w in own.words - others if w.isalpha())


@given(
    st.sampled_from(["en", "de", "fr"]).flatmap(
        lambda name: st.tuples(
            st.just(name), st.lists(st.sampled_from(_own_words(name)), min_size=3, max_size=30)
        )
    )
)
def test_words_of_one_language_only_are_that_language(case: tuple[str, list[str]]) -> None:
    name, words = case
    found = detect_language([" ".join(words)], found_profiles())
    assert found is not None and found.name == name
