"""Plain-text pages whose OCR read the columns out of order: a headless stretch of a story
joins its story (@next/@prev), a credit the OCR ran into the next column's text still breaks
the story, and headlines after a story that a "continued on" closed open the next story."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from converter.analyse.credits import leading_credit
from converter.model import Metadata
from converter.profile import load_profile
from tests.helpers import convert_lines

EN = load_profile("en")
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

FLOOD = [
    "FLOOD SWEEPS THE VALLEY",
    "Dam Broke and Homes Were Washed Away",
    "[United Press Leased Wire Service.]",
    "SAN DIEGO, Jan. 29.—The flood waters",
    "rose through the valley tonight when",
    "the western reservoir dam broke and",
    "washed houses away from their founda",
    "tions. Militia guarded the residents.",
]
SENATE = [
    "SENATE DELAYS VOTE",
    "[United Press Leased Wire Service.]",
    "WASHINGTON, Jan. 29.—The senate put",
    "off its vote on the nomination until",
    "next week, when the committee meets.",
    "(Continued on page 2.)",
]
# The rest of the flood story, read after the senate story: no headline, no dateline.
STRETCH = [
    "the reservoir waters swept through the",
    "valley and the militia guarded houses",
    "where residents waited for the flood",
    "waters to fall below the broken dam.",
]


def convert(lines: list[str]) -> etree._Element:
    return convert_lines(
        lines, Metadata(paper="The Gate City", date=dt.date(1916, 1, 30), page="1", lang="en")
    )


def articles(root: etree._Element) -> list[etree._Element]:
    return list(root.iterfind(".//t:body/t:div[@type='article']", NS))


def first_line(div: etree._Element) -> int:
    return min(int(lb.get("n", "0")) for lb in div.iterfind(".//t:lb", NS))


def test_a_headless_stretch_joins_the_story_it_shares_words_with() -> None:
    divs = articles(convert(FLOOD + SENATE + STRETCH))
    assert [first_line(d) for d in divs] == [1, 9, 15]
    flood, senate, stretch = divs
    assert flood.get("next") == "#" + stretch.get(XML_ID, "")
    assert stretch.get("prev") == "#" + flood.get(XML_ID, "")
    assert senate.get("next") is None and senate.get("prev") is None


def test_a_stretch_sharing_few_words_stays_a_story_of_its_own() -> None:
    other = [
        "the bishop spoke of the cathedral and",
        "its windows, which the parish hopes to",
        "restore before Easter, said the vicar.",
    ]
    divs = articles(convert(FLOOD + SENATE + other))
    assert len(divs) == 3
    assert all(d.get("next") is None and d.get("prev") is None for d in divs)


def test_no_stretch_is_joined_where_the_profile_says_never() -> None:
    generic = load_profile("generic")
    assert generic.stories.fragment_words == 0
    assert EN.stories.fragment_words > 0 and 0 < EN.stories.fragment_share <= 1


def test_a_credit_run_into_the_next_columns_text_breaks_the_story() -> None:
    merged = "[United Press Leased Wire Service.] I corridor and adjoining rooms was"
    assert leading_credit(merged, EN)
    assert not leading_credit("[United Press Leased Wire Service.]", EN)
    assert not leading_credit("(a word in brackets) and the text goes on", EN)
    lines = [
        "The senate adjourned at noon after a",
        "long debate on the new naval bill.",
        "BRIDE IS GREATER ATTRACTION",
        "THAN THE PRESIDENT'S SPEECH",
        merged,
        "PITTSBURGH, Pa., Jan. 29.—A crowd of",
        "thousands greeted the president here.",
    ]
    divs = articles(convert(lines))
    assert [first_line(d) for d in divs] == [1, 3]
    byline = divs[1].find(".//t:byline", NS)
    assert byline is not None
    assert byline.findtext(".//t:orgName", namespaces=NS) == "United Press"


def test_headlines_after_a_continued_story_open_the_next_story() -> None:
    lines = [
        "The president spoke of the army and",
        "the navy and of the nation's defenses",
        "(Continued on page 4.)",
        "President's Bride is Greater",
        "Attraction Than His Speeches",
        "The president's wife was cheered by a",
        "great crowd at the station today.",
    ]
    divs = articles(convert(lines))
    assert [first_line(d) for d in divs] == [1, 4]
    heads = divs[1].findall("t:head", NS)
    assert heads and first_line(heads[0]) == 4
