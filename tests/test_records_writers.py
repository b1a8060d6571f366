"""Catalogue records: MODS, Dublin Core and MARCXML of issues and articles, read back from the
TEI the converter wrote, valid against the bundled official schemas, and read as the loaders of
Chronicling America, Open ONI and Islandora read them."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from converter import records
from converter.batch.issue import IssueResult, convert_issue
from converter.errors import InvalidOutputError, NotTeiError
from converter.write import catalogue
from converter.write.dc import citation
from converter.write.marcxml import enumeration, fixed_length_data, host_part

ROOT = Path(__file__).resolve().parent.parent
JIAOZUO = ROOT / "samples" / "jiaozuo-daily" / "2016-12-11"
NDNP = ROOT / "samples" / "ndnp-german-1878"
MODS = {"mods": "http://www.loc.gov/mods/v3"}
DC = {"dc": "http://purl.org/dc/elements/1.1/"}
MARC = {"marc": "http://www.loc.gov/MARC21/slim"}
FULL_TOML = """paper = "焦作日报"
date = 2016-12-11
place = "焦作"
lang = "zh-Hans"
lccn = "sn 83045462"
issn = "0028-0836"
oclc = "(OCoLC)ocm01234567"
volume = "12"
number = "45"
edition = "1"
institution = "焦作市图书馆"
licence = "https://creativecommons.org/licenses/by/4.0/"
base_url = "https://example.org/jiaozuo/2016-12-11"
"""


@pytest.fixture(scope="module")
def full_issue(tmp_path_factory: pytest.TempPathFactory) -> IssueResult:
    """The Jiaozuo front page as an issue with every catalogue key in its issue.toml."""
    folder = tmp_path_factory.mktemp("full") / "2016-12-11"
    folder.mkdir()
    shutil.copy(JIAOZUO / "p1.txt", folder / "p1.txt")
    (folder / "issue.toml").write_text(FULL_TOML, encoding="utf-8")
    return convert_issue(folder)


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def _records(result: IssueResult, kind: str) -> dict[str, etree._Element]:
    return {r.path: _parse(r.data) for r in result.records if r.kind == kind}


def test_every_document_has_its_records_and_each_is_valid(full_issue: IssueResult) -> None:
    articles = [d for d in full_issue.documents if d.kind == "article"]
    assert articles
    paths = {r.path for r in full_issue.records}
    assert {"issue.mods.xml", "issue.dc.xml"} <= paths
    assert "issue.marcxml.xml" not in paths  # MARC analytics are made for articles only
    for article in articles:
        stem = article.path.removesuffix(".xml")
        assert {stem + ".mods.xml", stem + ".dc.xml", stem + ".marcxml.xml"} <= paths
    for record in full_issue.records:
        assert catalogue.problems(record.kind, _parse(record.data)) == [], record.path
        assert record.describes in {d.id for d in full_issue.documents}


def test_records_are_those_the_tei_gives(full_issue: IssueResult) -> None:
    """A record beside a TEI document is the one made of that document's bytes."""
    for document in full_issue.documents:
        item = records.read(records.parse_tei(document.data, document.path), document.path)
        for record in (r for r in full_issue.records if r.describes == document.id):
            assert catalogue.record_bytes(item, record.kind) == record.data


def test_article_mods(full_issue: IssueResult) -> None:
    mods = _records(full_issue, "mods")["articles/p1-a4.mods.xml"]

    def one(path: str) -> str:
        found = mods.xpath(path, namespaces=MODS)
        assert isinstance(found, list) and len(found) == 1, path
        return str(found[0])

    assert one("mods:titleInfo/mods:title/text()") == "辩论赛对焦作发展意义深远"
    assert one("mods:titleInfo/mods:subTitle/text()").startswith("——访“近学许昌")
    assert one("mods:name/mods:namePart/text()") == "岳静"
    assert (
        one("mods:name/mods:role/mods:roleTerm[@authority='marcrelator'][@type='code']/text()")
        == "aut"
    )
    assert one("mods:typeOfResource/text()") == "text"
    assert one("mods:genre/text()") == "article"
    assert (
        one("mods:originInfo/mods:dateIssued[@encoding='w3cdtf'][@keyDate='yes']/text()")
        == "2016-12-11"
    )
    assert one("mods:language/mods:languageTerm[@authority='iso639-2b']/text()") == "chi"
    assert one("mods:identifier[@type='local']/text()") == "sn83045462/2016-12-11/ed-1/p1-a4"
    url = "https://example.org/jiaozuo/2016-12-11/articles/p1-a4.xml"
    assert one("mods:identifier[@type='uri']/text()") == url
    assert one("mods:location/mods:url/text()") == url
    host = "mods:relatedItem[@type='host']/"
    assert one(host + "mods:titleInfo/mods:title/text()") == "焦作日报"
    assert one(host + "mods:genre/text()") == "newspaper"
    assert one(host + "mods:originInfo/mods:issuance/text()") == "serial"
    assert one(host + "mods:identifier[@type='lccn']/text()") == "sn83045462"
    assert one(host + "mods:identifier[@type='issn']/text()") == "0028-0836"
    assert one(host + "mods:identifier[@type='oclc']/text()") == "1234567"
    assert one(host + "mods:part/mods:detail[@type='volume']/mods:number/text()") == "12"
    assert one(host + "mods:part/mods:detail[@type='issue']/mods:number/text()") == "45"
    assert one(host + "mods:part/mods:detail[@type='edition']/mods:number/text()") == "1"
    assert one(host + "mods:part/mods:extent[@unit='pages']/mods:start/text()") == "1"
    assert one(host + "mods:part/mods:extent[@unit='pages']/mods:end/text()") == "1"
    assert one("mods:accessCondition/text()") == "https://creativecommons.org/licenses/by/4.0/"
    assert one("mods:recordInfo/mods:recordContentSource/text()") == "焦作市图书馆"


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("reporter", "aut"),
        ("author", "aut"),
        ("photographer", "pht"),
        ("correspondent", "ctb"),
        ("intern", "ctb"),
        ("editor", "edt"),
    ],
)
def test_byline_roles_are_marc_relators(role: str, code: str) -> None:
    item = replace(_item(), authors=(("Jane Roe", role),))
    mods = catalogue.record(item, "mods")
    assert mods.xpath("string(//mods:roleTerm[@type='code'])", namespaces=MODS) == code
    dc = catalogue.record(item, "dc")
    creators = dc.xpath("//dc:creator/text()", namespaces=DC)
    contributors = dc.xpath("//dc:contributor/text()", namespaces=DC)
    assert (creators, contributors) == (
        (["Jane Roe"], []) if code in ("aut", "pht") else ([], ["Jane Roe"])
    )
    marc = catalogue.record(item, "marcxml")
    relator = marc.xpath(
        "string(//marc:datafield[@tag='100' or @tag='700']/marc:subfield[@code='4'])",
        namespaces=MARC,
    )
    assert relator == code
    main_entry = marc.xpath("//marc:datafield[@tag='100']", namespaces=MARC)
    assert bool(main_entry) == (code == "aut")


def test_issue_mods_reads_as_the_ndnp_loaders_read_it(full_issue: IssueResult) -> None:
    """The paths Chronicling America's and Open ONI's batch loaders (and Islandora's newspaper
    module) read an issue's MODS with."""
    mods = _records(full_issue, "mods")["issue.mods.xml"]

    def number(kind: str) -> str:
        found = mods.xpath(f".//mods:detail[@type='{kind}']/mods:number", namespaces=MODS)
        assert isinstance(found, list) and len(found) == 1
        return str(found[0].text)  # type: ignore[union-attr]

    assert number("volume") == "12"
    assert number("issue") == "45"
    assert int(number("edition")) == 1
    dates = mods.xpath(".//mods:dateIssued", namespaces=MODS)
    assert isinstance(dates, list) and len(dates) == 1
    assert dates[0].get("point") is None  # type: ignore[union-attr]
    parsed = dt.datetime.strptime(str(dates[0].text), "%Y-%m-%d")  # type: ignore[union-attr]
    assert parsed.date() == dt.date(2016, 12, 11)
    host_lccn = mods.xpath(
        "mods:relatedItem[@type='host']/mods:identifier[@type='lccn']/text()", namespaces=MODS
    )
    assert host_lccn == ["sn83045462"]


def test_ndnp_issue_records_from_its_mets() -> None:
    """An NDNP issue: LCCN and edition come from its METS and reach the issue record."""
    result = convert_issue(NDNP)
    mods = _records(result, "mods")["issue.mods.xml"]
    assert mods.xpath("string(.//mods:identifier[@type='lccn'])", namespaces=MODS) == "sn83045350"
    edition = mods.xpath("string(.//mods:detail[@type='edition']/mods:number)", namespaces=MODS)
    assert edition == "1"
    assert result.documents[0].id == "sn83045350/1878-01-03/ed-1"


def test_dublin_core(full_issue: IssueResult) -> None:
    dc = _records(full_issue, "dc")["articles/p1-a4.dc.xml"]

    def all_of(tag: str) -> list[str]:
        found = dc.xpath(f"dc:{tag}/text()", namespaces=DC)
        assert isinstance(found, list)
        return [str(x) for x in found]

    assert dc.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
    assert all_of("creator") == ["岳静"]
    assert all_of("contributor") == []
    assert all_of("date") == ["2016-12-11"]
    assert all_of("type") == ["Text", "article"]
    assert all_of("format") == ["application/tei+xml"]
    assert "sn83045462/2016-12-11/ed-1/p1-a4" in all_of("identifier")
    assert all_of("source") == ["焦作日报, vol. 12, no. 45 (2016-12-11), p. 1"]
    assert all_of("relation") == [
        "焦作日报",
        "info:lccn/sn83045462",
        "urn:issn:0028-0836",
        "info:oclcnum/1234567",
    ]
    assert all_of("language") == ["zh-Hans"]
    assert all_of("rights") == ["https://creativecommons.org/licenses/by/4.0/"]


def test_marcxml(full_issue: IssueResult) -> None:
    marc = _records(full_issue, "marcxml")["articles/p1-a4.marcxml.xml"]
    leader = str(marc.findtext("marc:leader", namespaces=MARC))
    assert len(leader) == 24 and leader[5:8] == "naa" and leader[9] == "a"
    assert int(leader[:5]) > 0  # the length of its ISO 2709 form

    def field(tag: str, code: str) -> list[str]:
        found = marc.xpath(
            f"marc:datafield[@tag='{tag}']/marc:subfield[@code='{code}']/text()", namespaces=MARC
        )
        assert isinstance(found, list)
        return [str(x) for x in found]

    fixed = str(marc.findtext("marc:controlfield[@tag='008']", namespaces=MARC))
    assert len(fixed) == 40 and fixed[7:11] == "2016" and fixed[35:38] == "chi"
    assert field("100", "a") == ["岳静,"] and field("100", "4") == ["aut"]
    assert field("245", "a")[0].startswith("辩论赛对焦作发展意义深远")
    assert field("264", "c") == ["2016-12-11."]
    assert field("546", "a") == ["In Chinese (Simplified)."]
    assert field("856", "u") == ["https://example.org/jiaozuo/2016-12-11/articles/p1-a4.xml"]
    assert field("773", "7") == ["nnas"]
    assert field("773", "t") == ["焦作日报."]
    assert field("773", "g") == ["Vol. 12, no. 45 (Dec. 11, 2016), p. 1"]
    assert field("773", "q") == ["12:45<1"]
    assert field("773", "x") == ["0028-0836"]
    assert field("773", "w") == ["(DLC)sn83045462", "(OCoLC)1234567"]


def _item(**changes: object) -> records.RecordInput:
    item = records.RecordInput(
        kind="article",
        id="sn83045462/1916-08-26/ed-1/p1-a4",
        xml_id="p1-a4",
        title="Teutons Repulsed",
        subtitle=None,
        authors=(),
        paper="Evening star",
        lccn="sn83045462",
        issn=None,
        oclc=None,
        place="Washington, D.C.",
        publisher=None,
        institution=None,
        licence=None,
        url=None,
        date="1916-08-26",
        volume="12",
        number="45",
        edition=None,
        pages=("1", "2"),
        lang="en",
        language_name="English",
        created=None,
        converter="newspaper-tei 0.1.0",
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def test_citations_as_the_catalogues_write_them() -> None:
    item = _item()
    assert citation(item) == "Evening star, vol. 12, no. 45 (1916-08-26), p. 1-2"
    assert host_part(item) == "Vol. 12, no. 45 (Aug. 26, 1916), p. 1-2"
    assert enumeration(item) == "12:45<1"
    bare = _item(volume=None, number=None, pages=("3",))
    assert host_part(bare) == "(Aug. 26, 1916), p. 3"
    assert enumeration(bare) == "<3"
    assert fixed_length_data(_item(created="2024-02-29")).startswith("240229s1916")
    assert fixed_length_data(_item(date=None))[6:11] == "nuuuu"


def test_archive_ids_do_not_depend_on_folders() -> None:
    assert records.issue_id(lccn="sn1", issn=None, paper="X", date="1916-08-26", edition="2") == (
        "sn1/1916-08-26/ed-2"
    )
    assert records.issue_id(
        lccn=None, issn=None, paper="The Daily Gate City", date=None, edition=None
    ) == ("the-daily-gate-city/undated/ed-1")
    assert records.issue_id(
        lccn=None, issn=None, paper=None, date=None, edition=None, fallback="hocr"
    ) == ("hocr/undated/ed-1")


ROLES = ["reporter", "photographer", "correspondent", "intern", "editor", "author"]
# Text a TEI document can hold (its readers keep C0 controls and non-characters out).
text_st = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None)
@given(
    title=text_st,
    subtitle=st.none() | text_st,
    names=st.lists(st.tuples(text_st, st.sampled_from(ROLES)), max_size=3),
    pages=st.lists(st.from_regex(r"[A-C]?[1-9][0-9]?", fullmatch=True), min_size=1, max_size=3),
    volume=st.none() | st.from_regex(r"[1-9][0-9]{0,2}", fullmatch=True),
    edition=st.none() | st.sampled_from(["1", "2", "Morning"]),
    kind=st.sampled_from(["issue", "article"]),
)
def test_any_item_makes_valid_records(
    title: str,
    subtitle: str | None,
    names: list[tuple[str, str]],
    pages: list[str],
    volume: str | None,
    edition: str | None,
    kind: str,
) -> None:
    item = _item(
        kind=kind,
        title=" ".join(title.split()) or "x",
        subtitle=subtitle and (" ".join(subtitle.split()) or None),
        authors=tuple((" ".join(n.split()) or "x", r) for n, r in names),
        pages=tuple(pages),
        volume=volume,
        edition=edition,
    )
    for fmt in catalogue.formats_for(item, catalogue.FORMATS):
        data = catalogue.record_bytes(item, fmt)
        assert catalogue.problems(fmt, etree.fromstring(data)) == []
        assert catalogue.record_bytes(item, fmt) == data  # deterministic


def test_an_invalid_record_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(item: records.RecordInput) -> etree._Element:
        root = etree.Element("{http://www.loc.gov/mods/v3}mods")
        etree.SubElement(root, "{http://www.loc.gov/mods/v3}noSuchElement")
        return root

    monkeypatch.setitem(catalogue.FORMATS, "mods", (".mods.xml", "mods-3-8.xsd", broken))
    with pytest.raises(InvalidOutputError) as caught:
        catalogue.record_bytes(_item(), "mods")
    assert caught.value.exit_code == 70


def test_schemas_are_the_official_ones_bundled_verbatim() -> None:
    shared = ROOT.parent / "shared" / "reference" / "catalog"
    if not shared.is_dir():
        shared = Path("/work/shared/reference/catalog")
    if not shared.is_dir():
        pytest.skip("the shared reference schemas are not beside this checkout")
    bundled = catalogue.catalog_folder()
    for name in (
        "mods-3-8.xsd",
        "xlink.xsd",
        "xml.xsd",
        "MARC21slim.xsd",
        "oai_dc.xsd",
        "simpledc20021212.xsd",
    ):
        assert (bundled / name).read_bytes() == (shared / name).read_bytes(), name


def test_schemas_compile_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every remote import is mapped to a bundled file: a socket opened is a failure."""
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("validation touched the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    catalogue.load_schema.cache_clear()
    for fmt in catalogue.FORMATS:
        assert catalogue.load_schema(fmt) is not None


def test_a_page_document_has_no_records() -> None:
    page = (ROOT / "tests" / "golden" / "jiaozuo-daily-2016-12-11-p1.xml").read_bytes()
    with pytest.raises(NotTeiError):
        records.read(records.parse_tei(page, "p1.xml"))
