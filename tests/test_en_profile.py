"""The English profile: continuation references (OCR-garbled too) close their articles,
datelines and credit lines open them, and pages of plain text with no blank lines break into
stories at their headline runs, datelines and credit lines."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from converter.analyse.blocks import split_blocks
from converter.analyse.credits import latin_credit
from converter.analyse.jumps import crossrefs, find_jumps
from converter.analyse.labels import label_blocks
from converter.model import Line, Metadata
from converter.pipeline import Options, convert_bytes
from converter.profile import load_profile
from tests.helpers import assert_lossless

EN = load_profile("en")

NS = {"t": "http://www.tei-c.org/ns/1.0"}
STORY = (
    "WASHINGTON, Jan. 29.—That it\nwill be many weeks, perhaps months,\n"
    "before the nomination is confirmed\nwas the unanimous opinion today.\n"
)


def convert(text: str, page: str = "1") -> tuple[etree._Element, bytes]:
    meta = Metadata(paper="The Daily", date=dt.date(1916, 1, 30), page=page, lang="en")
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
        ("(Continued on Page Two.)", "next", "2"),
        ("(Continued on Page 4)", "next", "4"),
        ("(Continued on Tage Five.)", "next", "5"),
        ("(Continued on 8*cond Fa?e.)", "next", "2"),
        ("(.Continued cn Sixth l'a~e.J", "next", "6"),
        ("Continued From First Page", "prev", "1"),
        ("(Continued From Page One.)", "prev", "1"),
        ("[Continued on Page 3,]", "next", "3"),
        ("(Continued on Page XII.)", "next", "12"),
    ],
)
def test_continuations(jump: str, subtype: str, n: str | None) -> None:
    text = STORY + jump + "\n" + STORY
    root, data = convert(text, page="7")
    refs = root.xpath("//t:ref", namespaces=NS)
    assert [("".join(r.itertext()), r.get("subtype"), r.get("n")) for r in refs] == [
        (jump, subtype, n)
    ]
    assert_lossless(text, data)
    if subtype == "next":  # the jump closes its article; the text after it is another
        assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2


@pytest.mark.parametrize("jump", ["(Continued on Page 1)", "(Continued From First Page.)"])
def test_a_continuation_naming_its_own_page_names_no_page(jump: str) -> None:
    # A story goes on on another page: on page 1, "Page 1" is the OCR's misreading.
    meta = Metadata(paper="The Daily", date=dt.date(1916, 1, 30), page="1", lang="en")
    result = convert_bytes((STORY + jump + "\n").encode(), "p.txt", meta, Options())
    root = etree.fromstring(result.data)
    (ref,) = root.xpath("//t:ref", namespaces=NS)
    assert ref.get("type") == "continuation" and ref.get("n") is None
    assert "jump.no-page" in [d.code for d in result.analysis.page.diagnostics]


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


@pytest.mark.parametrize("line", ["Monday, January 3, and the Easter term will open."])
def test_a_day_of_the_week_is_no_dateline_place(line: str) -> None:
    root, _ = convert(f"The injured were taken home:\n{line}\nand others.\n")
    assert root.find(".//t:dateline", NS) is None


@pytest.mark.parametrize(
    "line",
    [
        "Full report on page 7.",
        "the war continued on Friday with",
        "(To be continued.)",
        "He continued on his way home.",
    ],
)
def test_no_continuation(line: str) -> None:
    root, data = convert(STORY + line + "\n")
    assert not root.xpath("//t:ref[@type='continuation']", namespaces=NS)
    assert_lossless(STORY + line + "\n", data)


def test_a_cross_reference_is_found_as_one() -> None:
    text = "Full report on page 7."
    assert crossrefs(text, EN) == [(0, 21, "7")]
    assert find_jumps(text, EN) == []


def test_a_serial_to_be_continued_ends_its_story() -> None:
    root, _ = convert(STORY + "(To be continued.)\n" + STORY)
    assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["Page", "page", "Pago", "Tage"]))
def test_any_page_number(n: int, word: str) -> None:
    (jump,) = find_jumps(f"(Continued on {word} {n}.)", EN)
    assert (jump.subtype, jump.page) == ("next", str(n))


@given(st.sampled_from(sorted(EN.numerals.words.items())))
def test_any_number_word(item: tuple[str, int]) -> None:
    word, value = item
    for printed in (f"(Continued on Page {word.title()}.)", f"(Continued on {word.title()} Page)"):
        (jump,) = find_jumps(printed, EN)
        assert jump.page == str(value), printed


@pytest.mark.parametrize(
    ("opening", "place", "when"),
    [
        ("LONDON, August 26.—After the", "LONDON", "1916-08-26"),
        ("LONDON. August 26.?After the", "LONDON", "1916-08-26"),
        ("WASHINGTON, March 22. In the", "WASHINGTON", "1916-03-22"),
        ("Pittsburg. Pa, Feb. 28 William", "Pittsburg. Pa", "1916-02-28"),
        ("NEW BRUNSWICK, N. J., August 26.—The", "NEW BRUNSWICK, N. J.", "1916-08-26"),
        ("Bl Paso. Tex,, Marc h 29. The", "Bl Paso. Tex", "1916-03-29"),
        ("El Paso, Texas, Sept. 3.—The", "El Paso, Texas", "1916-09-03"),
        ("Washington. April 27.—Formal an", "Washington", "1916-04-27"),
        ("I.ondon. April 27. Sir Roger", "I.ondon", "1916-04-27"),
        ("PiTTHiiuiio , March 2. The dispute", "PiTTHiiuiio", "1916-03-02"),
        ("WFsrPoi.M1 , Xeb. , March 4. About five", "WFsrPoi.M1", "1916-03-04"),
        ("1ASHIXOTOX. . March 4 , There came", "1ASHIXOTOX.", "1916-03-04"),
        ("LlNroi.N. Xeb , , March 4. A petition", "LlNroi.N. Xeb", "1916-03-04"),
        ("Coi.uvini's , Xeb. , March 4. Last evening", "Coi.uvini's", "1916-03-04"),
        ("SOFIA , March t. The leaders", "SOFIA", None),
        ("CONSTANTINOPLE, November 14 (by the", "CONSTANTINOPLE", "1916-11-14"),
        ("ROME, Jan. 2^.—Captain Ezio", "ROME", None),
        ("LONDON, August 56.—The cabinet", "LONDON", None),
    ],
)
def test_more_datelines(opening: str, place: str, when: str | None) -> None:
    meta = Metadata(paper="The Daily", date=dt.date(1916, 12, 30), page="1", lang="en")
    text = f"{opening}\nmet today and said nothing more\nabout the matter at all.\n"
    result = convert_bytes(text.encode(), "p.txt", meta, Options())
    root = etree.fromstring(result.data)
    (dateline,) = root.iterfind(".//t:dateline", NS)
    assert "".join(dateline.find("t:placeName", NS).itertext()) == place  # type: ignore[union-attr]
    assert dateline.find("t:date", NS).get("when") == when  # type: ignore[union-attr]
    codes = [d.code for d in result.analysis.page.diagnostics]
    assert ("date.invalid" in codes) == (when is None)


def test_a_dateline_whose_place_starts_on_the_line_above() -> None:
    text = (
        "By the Associated Press.\n"
        "WITH THE BRITISH ARMY IN\n"
        "FRANCE, August 31.—With Mont St. Quentin\n"
        "in British possession the Germans are\n"
        "placed in a precarious position.\n"
    )
    root, data = convert(text)
    (dateline,) = root.iterfind(".//t:dateline", NS)
    assert dateline.find("t:placeName/t:lb", NS).get("n") == "2"  # type: ignore[union-attr]
    place = "".join(dateline.find("t:placeName", NS).itertext())  # type: ignore[union-attr]
    assert place == "WITH THE BRITISH ARMY IN FRANCE"
    assert dateline.find("t:date", NS).get("when") == "1915-08-31"  # type: ignore[union-attr]
    (byline,) = root.iterfind(".//t:byline", NS)
    assert byline.findtext("t:orgName", namespaces=NS) == "Associated Press"
    assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 1
    assert_lossless(text, data)


@pytest.mark.parametrize(
    ("line", "org", "person"),
    [
        ("By Associated Press.", "Associated Press", None),
        ("(By Associated Press)", "Associated Press", None),
        ("By United Press.", "United Press", None),
        ("Py United Press.", "United Press", None),
        ("(Br Amoc!i4 rrwas 1", "Amoc!i4 rrwas", None),
        ("By Associated Pre*;", "Associated Pre", None),
        ("[United Press Leased Wire Service.]", "United Press", None),
        ("International News Service", "International News Service", None),
        ("Republican A. P. Leased Wire", "A. P", None),
        ("Special to The Times.", "The Times", None),
        ("Special Dispatch to The Star.", "The Star", None),
        ("By JOHN SMITH", None, ("JOHN SMITH", "author")),
        (
            "(By William Philip Sims, United Press Staff Correspondent.)",
            "United Press",
            ("William Philip Sims", "correspondent"),
        ),
    ],
)
def test_credit_lines(line: str, org: str | None, person: tuple[str, str] | None) -> None:
    marks = latin_credit(line, EN)
    assert marks is not None
    assert [line[m.start : m.end] for m in marks if m.tag == "orgName"] == ([org] if org else [])
    people = [(line[m.start : m.end], dict(m.attrs)["role"]) for m in marks if m.tag == "persName"]
    assert people == ([person] if person else [])


@pytest.mark.parametrize(
    "line",
    [
        "By noon the crowd had gone home",
        "By united pressure of the",
        "the Associated Press reported that",
        "United States troops were sent",
        "By order of the Board.",
    ],
)
def test_no_credit_lines(line: str) -> None:
    assert latin_credit(line, EN) is None


def test_credit_line_in_the_page() -> None:
    text = "FIRE IN THE MILL\n(By Associated Press)\n" + STORY
    root, data = convert(text)
    (byline,) = root.iterfind(".//t:byline", NS)
    assert byline.findtext("t:orgName", namespaces=NS) == "Associated Press"
    assert root.findtext(".//t:head", namespaces=NS) is None or root.xpath(
        "//t:head//text()", namespaces=NS
    ) == ["FIRE IN THE MILL"]
    assert_lossless(text, data)


def test_a_closing_source_credit_ends_its_story() -> None:
    text = STORY + "—Dubois Enterprise.\n" + STORY
    root, data = convert(text)
    assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2
    assert root.xpath("//t:p/t:orgName/text()", namespaces=NS) == ["Dubois Enterprise"]
    assert_lossless(text, data)


#: A page as Chronicling America's ocr.txt gives it: no blank lines anywhere.
PLAIN_PAGE = """\
CITY COUNCIL VOTES
NEW BRIDGE BONDS
Plan Is Adopted After Long
Debate in Chamber.
The city council last night voted to
issue bonds for the new bridge over the
river after a debate that lasted until
nearly midnight in the chamber.
The mayor said the work would begin in
the spring, as soon as the ice is gone.
Several members spoke against the plan
but the vote was eight to three.
Allies Shell the Forts.
By Associated Press.
LONDON, March 22.—The allied fleet
shelled the Turkish forts on the
Dardanelles today, and two of the
forts were silenced before nightfall.
The admiralty said that the warships
suffered little from the Turkish guns.
Turks Claim Success.
CONSTANTINOPLE, March 22.—The war
office announced today that the forts
on the Dardanelles had driven off the
allied fleet, and that the warships
were hit by the Turkish guns.
(Continued on Page Two.)
FARMERS MEET TODAY
County Growers Will Discuss
Prices for Grain.
The farmers of the county will meet
today in the court house to discuss
the prices offered for grain this fall.
A large attendance is expected from
every township in the county.
The meeting will open at ten o'clock
and will last all day, the secretary
said.
"""


def test_stories_on_a_page_with_no_blank_lines() -> None:
    root, data = convert(PLAIN_PAGE)
    articles = root.xpath("//t:div[@type='article']", namespaces=NS)
    heads = [
        [" ".join("".join(h.itertext()).split()) for h in a.iterfind("t:head", NS)]
        for a in articles
    ]
    assert heads == [
        ["CITY COUNCIL VOTES NEW BRIDGE BONDS", "Plan Is Adopted After Long Debate in Chamber."],
        ["Allies Shell the Forts."],
        ["FARMERS MEET TODAY", "County Growers Will Discuss Prices for Grain."],
    ]
    assert [h.get("type") for h in articles[0].iterfind("t:head", NS)] == ["main", "sub"]
    # A crosshead over a dateline inside a story opens a section of it, the dateline its opener.
    (section,) = articles[1].iterfind("t:div[@type='section']", NS)
    assert "".join(section.find("t:head", NS).itertext()) == "Turks Claim Success."  # type: ignore[union-attr]
    assert section.find("t:opener/t:dateline", NS) is not None
    # A March date in a January issue is from the year before.
    assert [d.get("when") for d in root.iterfind(".//t:body//t:date", NS)] == [
        "1915-03-22",
        "1915-03-22",
    ]
    assert root.xpath("//t:ref/@n", namespaces=NS) == ["2"]
    assert_lossless(PLAIN_PAGE, data)


WORDS = st.sampled_from(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "was",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "he",
        "his",
        "be",
        "from",
        "are",
        "were",
        "has",
        "said",
        "council",
        "river",
        "bridge",
        "farmers",
        "county",
        "city",
        "office",
        "tonight",
        "announced",
        "morning",
    ]
)


@given(st.lists(st.lists(WORDS, min_size=5, max_size=8), min_size=40, max_size=60))
def test_running_text_holds_no_headlines(rows: list[list[str]]) -> None:
    # Lines of running text in small letters: no headline, credit or story break is found.
    lines = [Line(k, " ".join(words)) for k, words in enumerate(rows, start=1)]
    labelled = label_blocks(split_blocks(lines), EN)
    assert {ln.label for ln in labelled} == {"text"}
    assert not any(ln.opens for ln in labelled)


def test_a_crosshead_over_an_unrelated_dispatch_heads_a_brief() -> None:
    text = (
        "The allied fleet shelled the Turkish\nforts on the Dardanelles today.\n"
        "Pope Benedict Prays for Peace.\nROME, March 22.—Pope Benedict went\n"
        "to the chapel yesterday to pray.\n"
    )
    root, data = convert(text)
    assert len(root.xpath("//t:div[@type='article']", namespaces=NS)) == 2
    assert not root.xpath("//t:div[@type='section']", namespaces=NS)
    assert_lossless(text, data)
