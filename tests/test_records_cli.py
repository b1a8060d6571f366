"""The catalogue commands and options: ``records``, ``--records``, the catalogue metadata keys,
and the archive's manifest.jsonl at its root."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from converter.errors import ExitCode
from converter.validate import validate_bytes
from converter.write import catalogue

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def issue_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("issue") / "out"
    code, output = _run(
        "issue",
        str(SAMPLES / "hechuan-daily" / "2016-12-11"),
        "-o",
        str(out),
        "--base-url",
        "https://example.org/hechuan/",
        "--institution",
        "河川市图书馆",
        "--licence",
        "CC0 1.0",
    )
    assert code == 0, output
    return out


def test_issue_writes_valid_records_beside_every_document(issue_out: Path) -> None:
    documents = [issue_out / "issue.xml", *sorted((issue_out / "articles").glob("p*-a*[0-9].xml"))]
    assert len(documents) > 1
    for document in documents:
        assert validate_bytes(document.read_bytes()) == [], document
        stem = str(document).removesuffix(".xml")
        formats = ["mods", "dc"] if document.name == "issue.xml" else list(catalogue.FORMATS)
        for fmt in formats:
            record = Path(stem + catalogue.FORMATS[fmt][0])
            assert catalogue.problems(fmt, etree.parse(str(record)).getroot()) == [], record


def test_catalogue_metadata_reaches_the_tei_header(issue_out: Path) -> None:
    root = etree.parse(str(issue_out / "articles" / "p1-a1.xml")).getroot()
    pub = "t:teiHeader/t:fileDesc/t:publicationStmt/"
    assert root.xpath(f"string({pub}t:publisher)", namespaces=TEI) == "河川市图书馆"
    assert root.xpath(f"string({pub}t:idno[@type='URI'])", namespaces=TEI) == (
        "https://example.org/hechuan/articles/p1-a1.xml"
    )
    assert root.xpath(f"string({pub}t:availability/t:licence)", namespaces=TEI) == "CC0 1.0"


def test_tei_with_catalogue_metadata_is_valid_on_every_path(
    issue_out: Path, tei_all: etree.RelaxNG
) -> None:
    """The header's publisher, address and licence: valid on the fast path, the XSD 1.1
    reference path (whose pointer assertion reads every @target) and TEI P5 itself."""
    for document in (issue_out / "issue.xml", issue_out / "articles" / "p1-a1.xml"):
        data = document.read_bytes()
        assert validate_bytes(data) == []
        assert validate_bytes(data, reference=True) == []
        assert tei_all.validate(etree.fromstring(data)), str(tei_all.error_log)


@pytest.mark.parametrize("fmt", ["mods", "dc", "marcxml"])
def test_records_command_makes_the_record_written_beside(issue_out: Path, fmt: str) -> None:
    article = issue_out / "articles" / "p1-a1.xml"
    result = CliRunner().invoke(main, ["records", str(article), "--format", fmt])
    assert result.exit_code == 0, result.output
    beside = Path(str(article).removesuffix(".xml") + catalogue.FORMATS[fmt][0])
    assert result.stdout_bytes == beside.read_bytes()


def test_records_command_writes_a_file(issue_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "issue.mods.xml"
    code, output = _run("records", str(issue_out / "issue.xml"), "--format", "mods", "-o", str(out))
    assert code == 0, output
    assert out.read_bytes() == (issue_out / "issue.mods.xml").read_bytes()


def test_records_command_errors(issue_out: Path, tmp_path: Path) -> None:
    assert _run("records", str(tmp_path / "missing.xml"), "--format", "dc")[0] == ExitCode.INPUT
    assert _run("records", str(tmp_path), "--format", "dc")[0] == ExitCode.INPUT
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI", encoding="utf-8")
    assert _run("records", str(broken), "--format", "dc")[0] == ExitCode.INVALID
    other = tmp_path / "other.xml"
    other.write_text("<doc/>", encoding="utf-8")
    assert _run("records", str(other), "--format", "dc")[0] == ExitCode.INVALID
    page = ROOT / "tests" / "golden" / "jiaozuo-daily-2016-12-11-p1.xml"
    code, output = _run("records", str(page), "--format", "mods")
    assert code == ExitCode.INVALID and "page document" in output
    code, output = _run("records", str(issue_out / "issue.xml"), "--format", "marcxml")
    assert code == ExitCode.USAGE and "articles only" in output
    assert _run("records", str(issue_out / "issue.xml"), "--format", "bibtex")[0] == ExitCode.USAGE
    assert _run("records", str(issue_out / "issue.xml"))[0] == ExitCode.USAGE


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("none", set()),
        ("mods", {".mods.xml"}),
        ("marcxml,dc", {".dc.xml", ".marcxml.xml"}),
    ],
)
def test_records_option(tmp_path: Path, value: str, written: set[str]) -> None:
    out = tmp_path / "out"
    code, output = _run(
        "issue", str(SAMPLES / "jiaozuo-daily" / "2016-12-11"), "-o", str(out), "--records", value
    )
    assert code == 0, output
    suffixes = {
        "." + ".".join(p.name.split(".")[1:])
        for p in (out / "articles").iterdir()
        if p.name.count(".") > 1
    }
    assert suffixes == written
    kinds = {json.loads(line)["kind"] for line in (out / "manifest.jsonl").open(encoding="utf-8")}
    assert kinds - {"issue", "article", "advertisement"} == {s.split(".")[1] for s in written}


def test_a_wrong_records_option_is_a_usage_error(tmp_path: Path) -> None:
    folder = SAMPLES / "jiaozuo-daily" / "2016-12-11"
    for value in ("bibtex", "mods,bibtex", "", "none,mods"):
        code, _ = _run("issue", str(folder), "-o", str(tmp_path / "o"), "--records", value)
        assert code == ExitCode.USAGE, value
    code, _ = _run("archive", str(folder), str(tmp_path / "a"), "--records", "xml")
    assert code == ExitCode.USAGE


@pytest.mark.parametrize(
    "line",
    [
        "institution = 5",
        "licence = true",
        "licence = ['CC0']",
        "base_url = 3",
        'base_url = "ftp://example.org/x"',
        'base_url = "example.org/x"',
        'oclc = "abc"',
        "oclc = 1.5",
        'lccn = "not an lccn"',
    ],
)
def test_wrong_catalogue_metadata_is_a_metadata_error(tmp_path: Path, line: str) -> None:
    folder = tmp_path / "issue"
    shutil.copytree(SAMPLES / "jiaozuo-daily" / "2016-12-11", folder)
    toml = folder / "issue.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    code, output = _run("issue", str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitCode.METADATA, output
    assert line.split(" ")[0] in output


def test_wrong_catalogue_options_are_metadata_errors(tmp_path: Path) -> None:
    folder = SAMPLES / "jiaozuo-daily" / "2016-12-11"
    code, output = _run("issue", str(folder), "-o", str(tmp_path / "o"), "--base-url", "nope")
    assert code == ExitCode.METADATA and "base_url" in output
    code, output = _run("archive", str(folder), str(tmp_path / "a"), "--base-url", "ftp://x/")
    assert code == ExitCode.METADATA and "base_url" in output
    assert not (tmp_path / "a").exists()


@pytest.fixture(scope="module")
def archive_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("archive")
    source = base / "src"
    for name in ("hechuan-daily", "jiaozuo-daily"):
        shutil.copytree(SAMPLES / name, source / name)
    out = base / "out"
    code, output = _run(
        "archive", str(source), str(out), "-j", "1", "--base-url", "https://x.org/a"
    )
    assert code == 0, output
    return out


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_archive_manifest_at_the_root(archive_out: Path) -> None:
    root = _lines(archive_out / "manifest.jsonl")
    issues = sorted(p.parent for p in archive_out.rglob("issue.xml"))
    assert len(issues) == 2
    expected = []
    for folder in issues:
        prefix = folder.relative_to(archive_out).as_posix() + "/"
        for line in _lines(folder / "manifest.jsonl"):
            expected.append(line | {"path": prefix + str(line["path"])})
    assert root == expected
    ids = [line["id"] for line in root]
    assert len(ids) == len(set(ids))  # archive-wide ids
    for line in root:
        assert not any(":" in key for key in line)
        data = (archive_out / str(line["path"])).read_bytes()
        assert hashlib.sha256(data).hexdigest() == line["sha256"]
        if line["describes"] is not None:
            assert line["describes"] in ids
    kinds = {line["kind"] for line in root}
    assert kinds == {"issue", "article", "advertisement", "mods", "dc", "marcxml"}
    ad = next(line for line in root if line["kind"] == "advertisement")
    assert ad["id"] == "焦作日报/2016-12-11/ed-1/p1-ad1" and ad["path"].endswith("issue.xml")  # type: ignore[union-attr]
    first = root[0]
    assert {"paper", "identifiers", "date", "pages", "language", "xml_id"} <= first.keys()


def test_archive_base_url_is_each_issue_folder(archive_out: Path) -> None:
    issue = archive_out / "hechuan-daily" / "2016-12-11"
    mods = etree.parse(str(issue / "articles" / "p1-a1.mods.xml")).getroot()
    urls = mods.xpath("//m:location/m:url/text()", namespaces={"m": "http://www.loc.gov/mods/v3"})
    assert urls == ["https://x.org/a/hechuan-daily/2016-12-11/articles/p1-a1.xml"]


def test_archive_manifest_again_when_issues_are_up_to_date(
    archive_out: Path, tmp_path: Path
) -> None:
    before = (archive_out / "manifest.jsonl").read_bytes()
    source = archive_out.parent / "src"
    code, output = _run(
        "archive", str(source), str(archive_out), "-j", "1", "--base-url", "https://x.org/a"
    )
    assert code == 0 and "2 up to date" in output, output
    assert (archive_out / "manifest.jsonl").read_bytes() == before


def test_archive_of_one_issue_folder_keeps_its_manifest(tmp_path: Path) -> None:
    """The archive's root is the issue's folder: the root manifest is the issue's, and stays
    so when the run is repeated."""
    folder = SAMPLES / "jiaozuo-daily" / "2016-12-11"
    out = tmp_path / "out"
    assert _run("archive", str(folder), str(out), "-j", "1")[0] == 0
    first = (out / "manifest.jsonl").read_bytes()
    assert _run("archive", str(folder), str(out), "-j", "1")[0] == 0
    assert (out / "manifest.jsonl").read_bytes() == first
    assert all(not str(line["path"]).startswith("/") for line in _lines(out / "manifest.jsonl"))
