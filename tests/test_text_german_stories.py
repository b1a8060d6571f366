"""Plain-text German pages with no blank lines: a telegraph column's items under one-line heads
written as short sentences ("Der Kaiser ist zufrieden."), items under datelines the OCR left as
specks ("2 9 E"), and a serial's instalment ("(Fortsetzung.)" under its title) that is one
story however many chapter titles and short lines of dialogue it holds."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from converter.model import Metadata
from converter.profile import load_profile
from tests.helpers import convert_lines

NS = {"t": "http://www.tei-c.org/ns/1.0"}

TELEGRAPH = [
    "Telegraph.",
    "Der Reichstag wird am Montag wieder",
    "eröffnet werden, und die Regierung hat",
    "mehrere neue Vorlagen vorbereitet, die",
    "dem Hause sofort zugehen sollen. Die",
    "Liberalen wollen dagegen stimmen.",
    "Der Kaiser ist zufrieden.",  # 7: a head written as a sentence
    "Der Kaiser scheint die Vorschläge des",
    "Ministers gutzuheißen, wie man hört,",
    "und wird sie dem Bundesrathe vorlegen.",
    "2 9 E",  # 11: a dateline left as specks opens the next item
    "aus Wien zufolge wird von mehreren",
    "Seiten gemeldet, daß England sich an",
    "der Vermittelung nicht betheiligen will.",
    "Mord und Selbstmord.",  # 15
    "a 2 7",  # 16: the dateline under that head
    "ein Arbeiter hat gestern in der Stadt",
    "seine Frau und dann sich selbst mit",
    "einem Revolver erschossen, wie die",
    "Polizei berichtet. Die Ursache ist",
    "nicht bekannt. Der Schaden beträgt $2,",
    "000.",
    "Feuer.",  # 23: a head of one word, after a sentence ending in figures
    "In der Nacht brannte die Mühle am",
    "Flusse nieder, und zwei Arbeiter",
    "kamen in den Flammen um.",
]

SERIAL = [
    "Dick Tarleton.",  # 1: the serial's title
    "E E",
    "von",
    "H. von Blaim.",  # 4: its author
    "(Fortsetzung.)",  # 5: the instalment
    "Es war ein erschütternder Anblick,",
    "diese Riesenkraft gegen den Tod kämpfen",
    "zu sehen. Allmählich aber wirkten die",
    "Medicamente, und er schlief endlich ein.",
    "Eine Verlobung.",  # 10: a chapter title
    "Unsere Leser wissen, wie ungern und",
    "mit welchem Widerwillen George Chason",
    "und William Giles darauf verzichteten.",
    "Susanna hat es mir gesagt.",  # 14: a short line of dialogue
    "Zuerst, bevor er mit dem Farmer sprach,",
    "ging er hinaus und sah nach dem Wagen,",
    "der vor der Thür des Hauses stand.",
]


def convert(lines: list[str]) -> etree._Element:
    return convert_lines(
        lines, Metadata(paper="Der Nordstern", date=dt.date(1878, 1, 3), page="1", lang="de")
    )


def stories(root: etree._Element) -> list[tuple[int, ...]]:
    """The line numbers of each story, in order."""
    out = []
    for div in root.iterfind(".//t:body/t:div[@type='article']", NS):
        out.append(tuple(sorted(int(lb.get("n")) for lb in div.iterfind(".//t:lb", NS))))
    return out


def heads(root: etree._Element) -> set[int]:
    return {int(lb.get("n")) for lb in root.iterfind(".//t:body//t:head//t:lb", NS)}


def test_sentence_heads_and_speck_datelines_break_a_telegraph_column() -> None:
    root = convert(TELEGRAPH)
    starts = [s[0] for s in stories(root)]
    assert starts == [1, 7, 11, 15, 23]
    assert {7, 15, 23} <= heads(root)
    # The lines of a paragraph ending in a short sentence are no heads.
    assert not {6, 21, 22, 26} & heads(root)


def test_a_serial_instalment_is_one_story() -> None:
    root = convert(SERIAL)
    assert stories(root) == [tuple(range(1, len(SERIAL) + 1))]
    assert 1 in heads(root)
    assert not {4, 5, 14} & heads(root)


def test_the_rules_are_german_only() -> None:
    en, de = load_profile("en").stories, load_profile("de").stories
    assert en.period_words == 0 and en.date_specks is None and en.serial_start is None
    assert de.period_words > 0 and de.date_specks is not None and de.serial_start is not None
    assert de.date_specks.match("2 9 E") and de.date_specks.match("a 2 7 W")
    assert not de.date_specks.match("Er kam am 27. an.")
    assert de.serial_start.match("(Fortsetzung.)") and de.serial_start.match("(Schluß.)")
    assert not de.serial_start.match("(Fortsetzung folgt.)")


def test_a_serial_after_news_starts_at_its_title() -> None:
    root = convert(TELEGRAPH + SERIAL)
    found = stories(root)
    title = len(TELEGRAPH) + 1
    assert found[-1] == tuple(range(title, title + len(SERIAL)))
    assert [s[0] for s in found[:-1]] == [1, 7, 11, 15, 23]
