"""Articles as a METS's logical structMap gives them (contract §6): an issue whose METS
segments its pages into articles has those articles, whatever the layout would find, and
its header says the segmentation is the source's."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from converter.batch.issue import convert_issue
from tests.test_alto import ABlock, alto, line
from tests.test_mets import build_mets, write_mets

T = "{http://www.tei-c.org/ns/1.0}"
BODY = "TS9"
HEAD = "TS20"


def _column(x: int, y: int, head: str, body: list[str]) -> ABlock:
    lines = [line(head, (x, y, 900, 90), HEAD)] if head else []
    top = y + (110 if head else 0)
    lines += [line(text, (x, top + 45 * k, 1100, 40), BODY) for k, text in enumerate(body)]
    return ABlock(tuple(lines))


def _page() -> bytes:
    """Two columns: in the first, a story on the river bridge (TB0), then one on market
    prices (TB1); the second column opens with more of the bridge story (TB2) and ends with
    more of the market one (TB3), with no headline to tell them apart."""
    bridge = [f"bridge line {k} of the opening of the river crossing, and" for k in range(1, 7)]
    market = [f"market line {k} on the price of grain this week, and" for k in range(1, 6)]
    more_bridge = [f"bridge more {k} from the mayor's speech, and" for k in range(1, 5)]
    more_market = [f"market more {k} from the corn exchange, and" for k in range(1, 5)]
    return alto(
        [
            _column(100, 100, "RIVER BRIDGE OPENED", bridge),
            _column(100, 520, "MARKET PRICES FALL", market),
            _column(1500, 100, "", more_bridge),
            _column(1500, 300, "", more_market),
        ],
        page=(2800, 1200),
    )


def _issue(folder: Path, articles: list[list[tuple[int, str]]] | None) -> Path:
    folder.mkdir(parents=True)
    (folder / "0001.xml").write_bytes(_page())
    mets = build_mets(
        [{"text": "0001.xml", "page number": "1"}],
        {"date": "1900-01-02", "title": "The Test Gazette"},
        articles=articles,
    )
    write_mets(folder, mets, "1900010201.xml")
    return folder


def _articles(data: bytes) -> list[set[str]]:
    root = etree.fromstring(data)
    out = []
    for div in root.iter(f"{T}div"):
        if div.get("type") == "article":
            text = " ".join("".join(div.itertext()).split())
            out.append({word for word in text.split() if word in ("bridge", "market")})
    return out


def _notes(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    return [n.text or "" for n in root.iter(f"{T}note") if n.get("type") == "segmentation"]


def test_the_articles_are_the_mets_articles(tmp_path: Path) -> None:
    folder = _issue(tmp_path / "given", [[(1, "TB0"), (1, "TB2")], [(1, "TB1"), (1, "TB3")]])
    result = convert_issue(folder)
    issue = next(d for d in result.documents if d.kind == "issue")
    root = etree.fromstring(issue.data)
    divisions = [d for d in root.iter(f"{T}div") if d.get("type") == "article"]
    assert len(divisions) == 2
    first, second = ("".join(d.itertext()) for d in divisions)
    assert "RIVER BRIDGE OPENED" in first and "bridge more 4" in first
    assert "market" not in first
    assert "MARKET PRICES FALL" in second and "market more 1" in second
    assert "bridge" not in second
    assert _notes(issue.data) == ["source"]


def test_without_articles_in_the_mets_the_layout_finds_them(tmp_path: Path) -> None:
    folder = _issue(tmp_path / "analysed", None)
    issue = next(d for d in convert_issue(folder).documents if d.kind == "issue")
    assert _notes(issue.data) == ["analysed"]
    # Read by the layout alone, the second column's top runs on from the first column's foot.
    assert _articles(issue.data) == [{"bridge"}, {"market", "bridge"}]


def test_an_area_naming_no_block_is_reported_and_left_to_the_layout(tmp_path: Path) -> None:
    folder = _issue(tmp_path / "unknown", [[(1, "TB0"), (1, "NOPE")], [(1, "TB1")]])
    result = convert_issue(folder)
    codes = [d.code for d in result.diagnostics]
    assert "mets.area-unresolved" in codes
    issue = next(d for d in result.documents if d.kind == "issue")
    assert _notes(issue.data) == ["source"]


def test_an_article_over_two_pages_is_linked(tmp_path: Path) -> None:
    """The METS puts the bridge story on both pages: its fragments are linked, and its
    article document holds both."""
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "0001.xml").write_bytes(_page())
    (folder / "0002.xml").write_bytes(_page())
    mets = build_mets(
        [{"text": "0001.xml", "page number": "1"}, {"text": "0002.xml", "page number": "2"}],
        {"date": "1900-01-02", "title": "The Test Gazette"},
        articles=[
            [(1, "TB0"), (1, "TB2"), (2, "TB2")],
            [(1, "TB1"), (1, "TB3")],
            [(2, "TB0")],
            [(2, "TB1"), (2, "TB3")],
        ],
    )
    write_mets(folder, mets, "1900010201.xml")
    result = convert_issue(folder)
    issue = etree.fromstring(next(d for d in result.documents if d.kind == "issue").data)
    linked = {
        (d.get("{http://www.w3.org/XML/1998/namespace}id"), d.get("next"), d.get("prev"))
        for d in issue.iter(f"{T}div")
        if d.get("next") or d.get("prev")
    }
    # Page 2 is read article by article in the order of the METS: the bridge story first.
    assert linked == {("p1-a1", "#p2-a1", None), ("p2-a1", None, "#p1-a1")}
    article = next(d for d in result.documents if d.kind == "article" and d.xml_id == "p1-a1")
    text = "".join(etree.fromstring(article.data).itertext())
    assert "bridge line 1" in text and "bridge more 4" in text and "market" not in text
    assert [pb.get("n") for pb in etree.fromstring(article.data).iter(f"{T}pb")] == ["1", "2"]
