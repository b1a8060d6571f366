"""METS reading: real NDNP issue METS and batch.xml, other METS profiles, refused references."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.errors import DecodeError
from converter.read import mets

DATA = Path(__file__).resolve().parent / "data" / "ndnp"
DLC = DATA / "batch_dlc_manyyears_ver01" / "data"

M = "{http://www.loc.gov/METS/}"
MODS = "{http://www.loc.gov/mods/v3}"
XLINK = "{http://www.w3.org/1999/xlink}href"


# --- building METS for tests -----------------------------------------------------------------


def mods_record(parent: etree._Element, fields: dict[str, str]) -> None:
    """A MODS record in a dmdSec's xmlData: title, date, lccn, issn, language, details."""
    mods = etree.SubElement(parent, MODS + "mods")
    if "title" in fields:
        info = etree.SubElement(mods, MODS + "titleInfo")
        etree.SubElement(info, MODS + "title").text = fields["title"]
    if "date" in fields:
        origin = etree.SubElement(mods, MODS + "originInfo")
        etree.SubElement(origin, MODS + "dateIssued").text = fields["date"]
    for kind in ("lccn", "issn"):
        if kind in fields:
            ident = etree.SubElement(mods, MODS + "identifier", type=kind)
            ident.text = fields[kind]
    if "language" in fields:
        lang = etree.SubElement(mods, MODS + "language")
        term = etree.SubElement(lang, MODS + "languageTerm", type="code")
        term.text = fields["language"]
    part = etree.SubElement(mods, MODS + "part")
    for kind in ("edition", "volume", "issue", "page number"):
        if kind in fields:
            detail = etree.SubElement(part, MODS + "detail", type=kind)
            etree.SubElement(detail, MODS + "number").text = fields[kind]


def build_mets(
    pages: list[dict[str, str]],
    issue: dict[str, str] | None = None,
    *,
    label: str | None = None,
    physical_type: str | None = None,
    text_use: str = "ocr",
    articles: list[list[tuple[int, str]]] | None = None,
) -> bytes:
    """A METS document: each page a dict with ``text`` (href), optional ``image``,
    ``page number`` (MODS), ``ORDERLABEL``; ``articles`` as lists of (page index, BEGIN)."""
    root = etree.Element(
        M + "mets",
        nsmap={None: M[1:-1], "mods": MODS[1:-1], "xlink": "http://www.w3.org/1999/xlink"},
    )
    if label is not None:
        root.set("LABEL", label)
    sec = etree.SubElement(root, M + "dmdSec", ID="issueMods")
    mods_record(etree.SubElement(etree.SubElement(sec, M + "mdWrap"), M + "xmlData"), issue or {})
    for k, page in enumerate(pages, start=1):
        if "page number" in page:
            sec = etree.SubElement(root, M + "dmdSec", ID=f"pageMods{k}")
            wrap = etree.SubElement(etree.SubElement(sec, M + "mdWrap"), M + "xmlData")
            mods_record(wrap, {"page number": page["page number"]})
    file_sec = etree.SubElement(root, M + "fileSec")
    for k, page in enumerate(pages, start=1):
        group = etree.SubElement(file_sec, M + "fileGrp", ID=f"grp{k}")
        if "image" in page:
            image = etree.SubElement(group, M + "file", ID=f"img{k}", USE="service")
            etree.SubElement(image, M + "FLocat", {XLINK: page["image"]})
        text = etree.SubElement(group, M + "file", ID=f"ocr{k}", USE=text_use)
        etree.SubElement(text, M + "FLocat", {XLINK: page["text"]})
    struct = etree.SubElement(root, M + "structMap")
    if physical_type is not None:
        struct.set("TYPE", physical_type)
    top = etree.SubElement(struct, M + "div", TYPE="np:issue", DMDID="issueMods")
    for k, page in enumerate(pages, start=1):
        div = etree.SubElement(top, M + "div", TYPE="np:page", ID=f"page{k}")
        if "page number" in page:
            div.set("DMDID", f"pageMods{k}")
        if "ORDERLABEL" in page:
            div.set("ORDERLABEL", page["ORDERLABEL"])
        if "image" in page:
            etree.SubElement(div, M + "fptr", FILEID=f"img{k}")
        etree.SubElement(div, M + "fptr", FILEID=f"ocr{k}")
    if articles:
        logical = etree.SubElement(root, M + "structMap", TYPE="LOGICAL")
        issue_div = etree.SubElement(logical, M + "div", TYPE="Newspaper")
        for n, parts in enumerate(articles, start=1):
            art = etree.SubElement(issue_div, M + "div", TYPE="ARTICLE", ID=f"art{n}")
            art.set("LABEL", f"Article {n}")
            for page_index, begin in parts:
                fptr = etree.SubElement(art, M + "fptr")
                etree.SubElement(
                    fptr, M + "area", FILEID=f"ocr{page_index}", BETYPE="IDREF", BEGIN=begin
                )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def write_mets(folder: Path, data: bytes, name: str = "issue.mets.xml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


# --- real NDNP issue METS --------------------------------------------------------------------


def test_evening_star_1859_metadata_and_its_one_page() -> None:
    issue = mets.read_issue(DATA / "mets" / "1859022101.xml")
    meta = issue.meta
    assert meta.paper == "The Evening star"
    assert meta.date == dt.date(1859, 2, 21)
    assert (meta.edition, meta.volume, meta.number) == ("1", "13", "1,887")
    assert meta.lccn == "sn83045462" and meta.issn is None and meta.lang is None
    # The METS describes four pages but its structMap holds one: the structMap decides.
    assert [(p.sequence, p.number) for p in issue.pages] == [(1, "1")]
    page = issue.pages[0]
    assert page.text == DATA / "mets" / "0007.xml" and page.image == "0007.jp2"
    assert page.problem is None and issue.articles == () and issue.diagnostics == ()


def test_nordstern_1878_eight_pages_in_order() -> None:
    issue = mets.read_issue(DATA / "mets" / "1878010301.xml")
    assert issue.meta.paper == "Der Nordstern (St. Cloud, Minn.)"
    assert issue.meta.date == dt.date(1878, 1, 3)
    assert (issue.meta.lccn, issue.meta.edition) == ("sn83045350", "1")
    assert [p.number for p in issue.pages] == [str(n) for n in range(1, 9)]
    assert [p.text.name for p in issue.pages if p.text] == [f"00{n}.xml" for n in range(11, 19)]
    assert [p.image for p in issue.pages] == [f"00{n}.jp2" for n in range(11, 19)]


def test_omaha_bee_1887_printed_page_numbers_and_issue_number() -> None:
    issue = mets.read_issue(DATA / "mets" / "1887031101.xml")
    assert (issue.meta.paper, issue.meta.number, issue.meta.lccn) == (
        "The Omaha Daily Bee",
        "265",
        "sn99021999",
    )
    assert [p.number for p in issue.pages] == [str(n) for n in range(1, 9)]
    assert issue.pages[1].text is not None and issue.pages[1].text.name == "0073.xml"


@pytest.mark.parametrize(
    ("folder", "date"),
    [("0028065842A/1918090101", "1918-09-01"), ("00280658637/1915032201", "1915-03-22")],
)
def test_evening_star_batch_issues(folder: str, date: str) -> None:
    path = DLC / "sn83045462" / folder / (folder.rsplit("/", 1)[1] + ".xml")
    issue = mets.read_issue(path)
    assert issue.meta.date == dt.date.fromisoformat(date)
    assert issue.meta.paper == "Evening star (Washington, D.C.)"
    assert issue.meta.lccn == "sn83045462" and issue.meta.edition == "1"
    assert [(p.number, p.text) for p in issue.pages] == [("1", path.parent / "0007.xml")]
    assert issue.pages[0].text is not None and issue.pages[0].text.is_file()


def test_files_are_told_apart_by_their_root() -> None:
    assert mets.is_mets(DATA / "mets" / "1878010301.xml")
    assert not mets.is_mets(DLC / "sn83045462/0028065842A/1918090101/0007.xml")  # ALTO
    assert mets.is_batch(DLC / "batch.xml")
    assert not mets.is_batch(DATA / "mets" / "1878010301.xml")
    assert not mets.is_mets(DATA / "README.md")


# --- batch.xml -------------------------------------------------------------------------------


def test_batch_lists_its_issues_and_where_it_turns_malformed() -> None:
    batch = mets.read_batch(DLC / "batch.xml")
    assert [(i.lccn, i.date, i.edition) for i in batch.issues] == [
        ("sn83045462", "1918-09-01", "1"),
        ("sn83045462", "1916-08-26", "1"),
        ("sn83045462", "1915-03-22", "1"),
    ]
    assert batch.issues[1].mets == "sn83045462/0028065856A/1916082601/1916082601.xml"
    assert batch.issues[0].output == "sn83045462/1918-09-01/ed-1"
    assert all(i.problem is None for i in batch.issues)
    # The file's last reel end tag lacks its ">": the issues before it are kept, and said so.
    assert batch.problem is not None and "malformed XML" in batch.problem
    assert batch.problem.startswith("line 10: ")


def write_batch(folder: Path, entries: list[tuple[str, str, str, str]], ns: bool = True) -> Path:
    nsmap = {None: mets.NDNP_NS} if ns else None
    tag = "{" + mets.NDNP_NS + "}" if ns else ""
    root = etree.Element(tag + "batch", nsmap=nsmap, name="batch_test")
    for lccn, date, edition, href in entries:
        item = etree.SubElement(root, tag + "issue", lccn=lccn, issueDate=date)
        item.set("editionOrder", edition)
        item.text = href
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "batch.xml"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


def test_batch_entries_that_name_no_usable_issue(tmp_path: Path) -> None:
    path = write_batch(
        tmp_path,
        [
            ("sn12345678", "1900-01-01", "02", "./sn12345678/1900010102/1900010102.xml"),
            ("sn12345678", "1900-01-02", "1", "../../elsewhere/issue.xml"),
            ("sn12345678", "1900-01-03", "1", "http://example.org/1900010301.xml"),
            ("not an lccn", "1900-01-04", "1", "x/y.xml"),
            ("sn12345678", "1900-02-30", "1", "x/y.xml"),
        ],
        ns=False,
    )
    batch = mets.read_batch(path)
    assert batch.problem is None
    first, *bad = batch.issues
    assert (first.edition, first.mets, first.problem) == (
        "2",
        "sn12345678/1900010102/1900010102.xml",
        None,
    )
    assert first.output == "sn12345678/1900-01-01/ed-2"
    assert all(i.mets is None and i.problem for i in bad)
    assert "leaves the folder" in (bad[0].problem or "")
    assert "URL" in (bad[1].problem or "")
    assert "LCCN" in (bad[2].problem or "") and "date" in (bad[3].problem or "")


def test_a_file_that_is_not_a_batch_is_refused() -> None:
    with pytest.raises(DecodeError, match="not an NDNP batch"):
        mets.read_batch(DATA / "mets" / "1878010301.xml")


# --- other METS profiles ---------------------------------------------------------------------


def test_orderlabel_fulltext_group_language_and_articles(tmp_path: Path) -> None:
    data = build_mets(
        [
            {"text": "alto/p1.xml", "image": "img/p1.jp2", "ORDERLABEL": "A1"},
            {"text": "file://./alto/p2.xml", "ORDERLABEL": "A2"},
        ],
        {"title": "Die Zeitung", "date": "1916-01-03", "language": "ger", "issn": "0000-0019"},
        physical_type="PHYSICAL",
        text_use="FULLTEXT",
        articles=[[(1, "P1_TB00001"), (2, "P2_TB00004")], [(2, "P2_TB00002")]],
    )
    issue = mets.parse_issue(data, tmp_path / "mets.xml")
    assert (issue.meta.paper, issue.meta.lang, issue.meta.issn) == (
        "Die Zeitung",
        "de",
        "0000-0019",
    )
    assert [(p.number, p.text, p.image) for p in issue.pages] == [
        ("A1", tmp_path / "alto" / "p1.xml", "img/p1.jp2"),
        ("A2", tmp_path / "alto" / "p2.xml", None),
    ]
    assert [(a.div_id, a.label) for a in issue.articles] == [
        ("art1", "Article 1"),
        ("art2", "Article 2"),
    ]
    assert [(x.page, x.file_id, x.begin) for x in issue.articles[0].areas] == [
        (1, "ocr1", "P1_TB00001"),
        (2, "ocr2", "P2_TB00004"),
    ]


def test_printed_page_number_wins_and_a_bad_one_falls_back(tmp_path: Path) -> None:
    data = build_mets(
        [
            {"text": "a.xml", "page number": "5", "ORDERLABEL": "9"},
            {"text": "b.xml", "page number": "[6]", "ORDERLABEL": "6"},
            {"text": "c.xml", "page number": "vii"},
        ]
    )
    issue = mets.parse_issue(data, tmp_path / "m.xml")
    assert [p.number for p in issue.pages] == ["5", "6", "3"]
    assert [d.code for d in issue.diagnostics] == ["mets.page-number", "mets.page-number"]


def test_the_same_page_number_twice_numbers_the_pages_by_order(tmp_path: Path) -> None:
    data = build_mets([{"text": "a.xml", "ORDERLABEL": "2"}, {"text": "b.xml", "ORDERLABEL": "2"}])
    issue = mets.parse_issue(data, tmp_path / "m.xml")
    assert [p.number for p in issue.pages] == ["1", "2"]
    assert [d.code for d in issue.diagnostics] == ["mets.page-number.duplicate"]


def test_bad_mods_values_are_left_out_with_a_warning(tmp_path: Path) -> None:
    data = build_mets(
        [{"text": "a.xml"}],
        {"date": "1878-02-30", "lccn": "sn83045350", "issn": "1234-5678", "language": "xyz"},
    )
    issue = mets.parse_issue(data, tmp_path / "m.xml")
    assert issue.meta.date is None and issue.meta.issn is None and issue.meta.lang is None
    assert issue.meta.lccn == "sn83045350"
    codes = sorted(d.code for d in issue.diagnostics)
    assert codes == ["mets.language", "mets.metadata", "mets.metadata"]


@pytest.mark.parametrize(
    ("href", "needle"),
    [
        ("../outside.xml", "leaves the folder"),
        ("alto/../../outside.xml", "leaves the folder"),
        ("/etc/passwd", "absolute"),
        ("http://example.org/0001.xml", "URL"),
        ("file:///etc/passwd", "URL"),
        ("C:\\scans\\0001.xml", "URL"),
    ],
)
def test_references_out_of_the_issue_folder_are_refused(
    tmp_path: Path, href: str, needle: str
) -> None:
    data = build_mets([{"text": "ok.xml"}, {"text": href}])
    issue = mets.parse_issue(data, tmp_path / "issue" / "m.xml")
    ok, bad = issue.pages
    assert ok.text == tmp_path / "issue" / "ok.xml" and ok.problem is None
    assert bad.text is None and bad.problem is not None
    assert needle in bad.problem and "refused" in bad.problem


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.xml").write_text("<x/>", encoding="utf-8")
    folder = tmp_path / "issue"
    folder.mkdir()
    os.symlink(tmp_path / "secret.xml", folder / "p1.xml")
    with pytest.raises(DecodeError, match="leaves the folder"):
        mets.resolve_href("p1.xml", folder)


def test_a_mets_without_pages_or_that_is_not_mets(tmp_path: Path) -> None:
    root = etree.Element(M + "mets")
    etree.SubElement(root, M + "fileSec")
    with pytest.raises(DecodeError, match="physical structMap"):
        mets.parse_issue(etree.tostring(root), tmp_path / "m.xml")
    with pytest.raises(DecodeError, match="not METS"):
        mets.parse_issue(b"<alto/>", tmp_path / "m.xml")
    with pytest.raises(DecodeError, match="malformed"):
        mets.parse_issue(b"<mets><div></mets>", tmp_path / "m.xml")


@pytest.mark.parametrize(
    ("code", "tag"),
    [("eng", "en"), ("ger", "de"), ("deu", "de"), ("fre", "fr"), ("fra", "fr"), ("chi", "zh"),
     ("zho", "zh"), ("EN", "en"), ("xyz", None), ("", None)],
)  # fmt: skip
def test_language_codes(code: str, tag: str | None) -> None:
    assert mets.language_tag(code) == tag


# --- properties ------------------------------------------------------------------------------

_labels = st.lists(
    st.integers(min_value=1, max_value=9999).map(str), min_size=1, max_size=12, unique=True
)


@settings(max_examples=60, deadline=None)
@given(_labels)
def test_pages_keep_structmap_order_and_their_numbers(labels: list[str]) -> None:
    data = build_mets([{"text": f"f{k}.xml", "ORDERLABEL": n} for k, n in enumerate(labels)])
    issue = mets.parse_issue(data, Path("/nowhere/m.xml"))
    assert [p.number for p in issue.pages] == labels
    assert [p.sequence for p in issue.pages] == list(range(1, len(labels) + 1))
    assert [p.text.name for p in issue.pages if p.text] == [f"f{k}.xml" for k in range(len(labels))]


_segment = st.sampled_from(["a", "b", "..", ".", "c.xml", "%2e%2e", ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(_segment, min_size=1, max_size=6))
def test_a_resolved_reference_never_leaves_its_folder(segments: list[str]) -> None:
    folder = Path("/srv/issue")
    try:
        target = mets.resolve_href("/".join(segments), folder)
    except DecodeError:
        return
    assert os.path.normpath(target).startswith("/srv/issue")
