"""The OAI-PMH 2.0 provider: a harvest over HTTP of an archive on 127.0.0.1 returns every issue
and article record once, each valid; all six verbs, sets, from/until, resumption tokens and
every protocol error."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from converter.errors import ExitCode
from converter.oai import repository
from converter.oai.protocol import Provider, respond
from converter.oai.server import make_server
from converter.write import catalogue

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}
#: Small pages, so that every list of the test archive is split by resumption tokens.
PAGE = 7
#: Record files of this issue get an old time: what from/until select.
OLD = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
FORMAT_OF = {"oai_dc": "dc", "mods": "mods", "marc21": "marcxml"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("oai")
    source = base / "src"
    for name in ("hechuan-daily", "jiaozuo-daily", "ndnp-german-1878"):
        shutil.copytree(SAMPLES / name, source / name)
    out = base / "out"
    result = CliRunner().invoke(main, ["archive", str(source), str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    for record in (out / "jiaozuo-daily").rglob("*.*.xml"):
        os.utime(record, (OLD.timestamp(), OLD.timestamp()))
    return out


@pytest.fixture(scope="module")
def base_url(archive: Path) -> Iterator[str]:
    server, provider = make_server(archive, "127.0.0.1", 0, page_size=PAGE)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def manifest(archive: Path) -> list[dict[str, object]]:
    text = (archive / "manifest.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def get(base_url: str, query: str | list[tuple[str, str]]) -> etree._Element:
    if not isinstance(query, str):
        query = urllib.parse.urlencode(query)
    with urllib.request.urlopen(f"{base_url}?{query}", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/xml")
        root = etree.fromstring(response.read())
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    date = root.findtext("o:responseDate", namespaces=OAI)
    assert date is not None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", date)
    return root


def error(root: etree._Element) -> str | None:
    found = root.find("o:error", OAI)
    return None if found is None else found.get("code")


def harvest(base_url: str, verb: str, **args: str) -> list[etree._Element]:
    """Every header (ListIdentifiers) or record (ListRecords) of a list, page after page."""
    items: list[etree._Element] = []
    query: list[tuple[str, str]] = [("verb", verb), *args.items()]
    for _ in range(1000):  # far more pages than the test archive has
        root = get(base_url, query)
        if error(root) == "noRecordsMatch":
            return items
        assert error(root) is None, etree.tostring(root)
        body = root.find(f"o:{verb}", OAI)
        assert body is not None
        tag = "header" if verb == "ListIdentifiers" else "record"
        page = body.findall(f"o:{tag}", OAI)
        assert 0 < len(page) <= PAGE
        items.extend(page)
        token = body.find("o:resumptionToken", OAI)
        if token is None or not token.text:
            if token is not None:  # the last page of a split list: an empty token
                assert token.get("completeListSize") == str(len(items))
            return items
        assert token.get("cursor") == str(len(items) - len(page))
        query = [("verb", verb), ("resumptionToken", token.text)]
    raise AssertionError("the list never ended")


def _identifier(element: etree._Element) -> str:
    return str(
        element.findtext(".//o:header/o:identifier", namespaces=OAI)
        or element.findtext("o:identifier", namespaces=OAI)
    )


@pytest.mark.parametrize("prefix", ["oai_dc", "mods", "marc21"])
def test_a_full_harvest_returns_every_record_once_and_valid(
    archive: Path, base_url: str, prefix: str
) -> None:
    records = harvest(base_url, "ListRecords", metadataPrefix=prefix)
    identifiers = [_identifier(r) for r in records]
    assert len(identifiers) == len(set(identifiers))
    lines = manifest(archive)
    kinds = ("article",) if prefix == "marc21" else ("issue", "article")
    expected = {repository.oai_identifier(str(x["id"])) for x in lines if x["kind"] in kinds}
    assert set(identifiers) == expected
    assert len(expected) > 2 * PAGE
    for record in records:
        metadata = record.find("o:metadata", OAI)
        assert metadata is not None and len(metadata) == 1
        # Each record, taken out of the response, is valid against its official schema.
        document = etree.fromstring(etree.tostring(metadata[0]))
        assert catalogue.problems(FORMAT_OF[prefix], document) == [], _identifier(record)


def test_list_identifiers_matches_list_records(base_url: str) -> None:
    headers = harvest(base_url, "ListIdentifiers", metadataPrefix="mods")
    records = harvest(base_url, "ListRecords", metadataPrefix="mods")
    assert [_identifier(h) for h in headers] == [_identifier(r) for r in records]


def test_identify(base_url: str) -> None:
    root = get(base_url, "verb=Identify")
    body = root.find("o:Identify", OAI)
    assert body is not None
    assert body.findtext("o:baseURL", namespaces=OAI) == base_url
    assert body.findtext("o:protocolVersion", namespaces=OAI) == "2.0"
    assert body.findtext("o:granularity", namespaces=OAI) == "YYYY-MM-DDThh:mm:ssZ"
    assert body.findtext("o:deletedRecord", namespaces=OAI) == "no"
    assert body.findtext("o:earliestDatestamp", namespaces=OAI) == "2001-01-01T00:00:00Z"
    request = root.find("o:request", OAI)
    assert request is not None and request.get("verb") == "Identify" and request.text == base_url


def test_list_metadata_formats(archive: Path, base_url: str) -> None:
    def prefixes(query: str) -> list[str]:
        return [
            str(p) for p in get(base_url, query).xpath("//o:metadataPrefix/text()", namespaces=OAI)
        ]  # type: ignore[union-attr]

    assert prefixes("verb=ListMetadataFormats") == ["oai_dc", "mods", "marc21"]
    issue = next(x for x in manifest(archive) if x["kind"] == "issue")
    article = next(x for x in manifest(archive) if x["kind"] == "article")
    one = urllib.parse.quote(repository.oai_identifier(str(issue["id"])))
    assert prefixes(f"verb=ListMetadataFormats&identifier={one}") == ["oai_dc", "mods"]
    one = urllib.parse.quote(repository.oai_identifier(str(article["id"])))
    assert prefixes(f"verb=ListMetadataFormats&identifier={one}") == ["oai_dc", "mods", "marc21"]


def test_get_record(archive: Path, base_url: str) -> None:
    article = next(x for x in manifest(archive) if x["kind"] == "article")
    identifier = repository.oai_identifier(str(article["id"]))
    root = get(
        base_url, [("verb", "GetRecord"), ("identifier", identifier), ("metadataPrefix", "marc21")]
    )
    assert error(root) is None
    record = root.find("o:GetRecord/o:record", OAI)
    assert record is not None and _identifier(record) == identifier
    marc = record.find("o:metadata/{http://www.loc.gov/MARC21/slim}record", OAI)
    assert marc is not None
    beside = archive / str(article["path"]).replace(".xml", ".marcxml.xml")
    assert etree.tostring(marc) == etree.tostring(
        etree.parse(str(beside), etree.XMLParser(remove_blank_text=True)).getroot()
    )


def test_sets(archive: Path, base_url: str) -> None:
    root = get(base_url, "verb=ListSets")
    specs = [str(s) for s in root.xpath("//o:setSpec/text()", namespaces=OAI)]  # type: ignore[union-attr]
    assert {"newspaper", "year", "newspaper:sn83045350", "year:1878", "year:2016"} <= set(specs)
    for spec in specs:  # setSpec syntax of the OAI-PMH schema
        assert re.fullmatch(r"([A-Za-z0-9\-_\.!~\*'\(\)])+(:[A-Za-z0-9\-_\.!~\*'\(\)]+)*", spec)
    lines = manifest(archive)
    old = {
        repository.oai_identifier(str(x["id"]))
        for x in lines
        if x["kind"] in ("issue", "article") and str(x["date"]).startswith("1878")
    }
    got = {
        _identifier(h)
        for h in harvest(base_url, "ListIdentifiers", metadataPrefix="oai_dc", set="year:1878")
    }
    assert got == old
    by_paper = {
        _identifier(h)
        for h in harvest(
            base_url, "ListIdentifiers", metadataPrefix="oai_dc", set="newspaper:sn83045350"
        )
    }
    assert by_paper == old
    everything = harvest(base_url, "ListIdentifiers", metadataPrefix="oai_dc")
    assert len(harvest(base_url, "ListIdentifiers", metadataPrefix="oai_dc", set="year")) == len(
        everything
    )
    for header in everything:
        assert header.findall("o:setSpec", OAI)


def test_from_and_until(archive: Path, base_url: str) -> None:
    lines = manifest(archive)
    old = {
        repository.oai_identifier(str(x["id"]))
        for x in lines
        if x["kind"] in ("issue", "article") and str(x["path"]).startswith("jiaozuo-daily/")
    }
    assert old

    def ids(**args: str) -> set[str]:
        return {
            _identifier(h)
            for h in harvest(base_url, "ListIdentifiers", metadataPrefix="oai_dc", **args)
        }

    everything = ids()
    assert ids(until="2001-01-01") == old
    assert ids(until="2001-01-01T00:00:00Z") == old
    assert ids(until="2000-12-31T23:59:59Z") == set()
    assert ids(**{"from": "2001-01-01T00:00:01Z"}) == everything - old
    assert ids(**{"from": "2001-01-01", "until": "2001-01-01"}) == old
    assert ids(**{"from": "2002-01-01"}) == everything - old
    for header in harvest(base_url, "ListIdentifiers", metadataPrefix="oai_dc", until="2001-01-01"):
        assert header.findtext("o:datestamp", namespaces=OAI) == "2001-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "badVerb"),
        ("verb=Frobnicate", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=mods", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2001-13-45", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2001-01-01&until=2002-01-01T00:00:00Z",
            "badArgument",
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2002-01-01&until=2001-01-01", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&identifier=x", "badArgument"),
        ("verb=GetRecord&identifier=oai:newspaper-tei:x", "badArgument"),
        (
            "verb=GetRecord&identifier=oai:newspaper-tei:nothing&metadataPrefix=oai_dc",
            "idDoesNotExist",
        ),
        ("verb=ListMetadataFormats&identifier=oai:elsewhere:1", "idDoesNotExist"),
        ("verb=ListRecords&metadataPrefix=dublin", "cannotDisseminateFormat"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=year:1800", "noRecordsMatch"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=1999-01-01", "noRecordsMatch"),
        ("verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken"),
        ("verb=ListIdentifiers&resumptionToken=e30", "badResumptionToken"),
        ("verb=ListSets&resumptionToken=anything", "badResumptionToken"),
    ],
)
def test_protocol_errors(base_url: str, query: str, code: str) -> None:
    root = get(base_url, query)
    assert error(root) == code
    request = root.find("o:request", OAI)
    assert request is not None and request.text == base_url
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # the base URL alone (OAI-PMH 3.6)
    else:
        assert request.get("verb")


def test_an_issue_has_no_marc_record(archive: Path, base_url: str) -> None:
    issue = next(x for x in manifest(archive) if x["kind"] == "issue")
    query = [
        ("verb", "GetRecord"),
        ("identifier", repository.oai_identifier(str(issue["id"]))),
        ("metadataPrefix", "marc21"),
    ]
    assert error(get(base_url, query)) == "cannotDisseminateFormat"


def test_a_token_of_another_verb_is_refused(base_url: str) -> None:
    body = get(base_url, "verb=ListIdentifiers&metadataPrefix=oai_dc").find(
        "o:ListIdentifiers", OAI
    )
    assert body is not None
    token = body.findtext("o:resumptionToken", namespaces=OAI)
    assert token
    root = get(base_url, [("verb", "ListRecords"), ("resumptionToken", token)])
    assert error(root) == "badResumptionToken"


def test_a_token_of_a_changed_archive_is_refused(archive: Path) -> None:
    provider = Provider(repository.load(archive), "http://127.0.0.1/oai", page_size=PAGE)
    now = dt.datetime.now(dt.UTC)
    first = respond(provider, [("verb", "ListRecords"), ("metadataPrefix", "mods")], now)
    token = first.findtext("o:ListRecords/o:resumptionToken", namespaces=OAI)
    assert token
    changed = replace(provider, repository=replace(provider.repository, state="changed"))
    again = respond(changed, [("verb", "ListRecords"), ("resumptionToken", token)], now)
    assert error(again) == "badResumptionToken"
    same = respond(provider, [("verb", "ListRecords"), ("resumptionToken", token)], now)
    assert error(same) is None


def test_post_requests_and_other_paths(base_url: str) -> None:
    data = urllib.parse.urlencode({"verb": "Identify"}).encode()
    request = urllib.request.Request(base_url, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=30) as response:
        root = etree.fromstring(response.read())
    assert root.find("o:Identify", OAI) is not None
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base_url.removesuffix("/oai") + "/elsewhere", timeout=30)
    assert caught.value.code == 404


def test_oai_command_serves_an_archive(archive: Path) -> None:
    """The command on a free port answers Identify, then stops on SIGTERM."""
    command = [sys.executable, "-m", "converter.cli", "oai", str(archive), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"OAI-PMH at (http://127\.0\.0\.1:\d+/oai)", line)
        assert found, line
        root = get(found.group(1), "verb=Identify")
        assert root.find("o:Identify", OAI) is not None
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_oai_command_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["oai", str(tmp_path)])
    assert result.exit_code == ExitCode.INPUT and "manifest.jsonl" in result.output
    result = CliRunner().invoke(main, ["oai", str(tmp_path / "missing")])
    assert result.exit_code == ExitCode.INPUT
