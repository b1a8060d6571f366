"""Issues from METS and whole NDNP batches: page order, metadata, missing pages and issues."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.batch.archive import ArchiveOptions, find_issues, run_job
from converter.batch.issue import convert_issue, discover
from converter.cli import main
from converter.errors import DecodeError, ExitCode, MetadataError
from converter.read.formats import read_file
from tests.test_mets import DLC, build_mets, write_batch, write_mets

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
ISSUE_MODS = {
    "title": "The Test Gazette",
    "date": "1887-03-11",
    "lccn": "sn99021999",
    "edition": "1",
    "issue": "265",
    "language": "eng",
}


def page_text(n: int) -> str:
    return (
        f"NEWS OF PAGE {n}\n\nThe council met on Tuesday and agreed to build\n"
        f"a new bridge over the river, page {n} reports.\n"
    )


def mets_issue(folder: Path, pages: list[dict[str, str]], **mods: str) -> Path:
    """An issue folder with a METS whose pages are text files, written for those given."""
    for page in pages:
        if "missing" not in page:
            (folder / page["text"]).parent.mkdir(parents=True, exist_ok=True)
            (folder / page["text"]).write_text(page_text(len(page["text"])), encoding="utf-8")
    clean = [{k: v for k, v in p.items() if k != "missing"} for p in pages]
    return write_mets(folder, build_mets(clean, ISSUE_MODS | mods), folder.name + ".xml")


def issue_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["issue", *args])
    return result.exit_code, result.stderr


def archive_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["archive", *args])
    return result.exit_code, result.stderr


def header(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


# --- issue -----------------------------------------------------------------------------------


def test_the_mets_gives_page_order_numbers_and_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "1887031101"
    folder.mkdir()
    mets_issue(
        folder,
        [
            {"text": "zz-front.txt", "page number": "1"},
            {"text": "aa-second.txt", "page number": "2"},
            {"text": "ocr/third.txt", "ORDERLABEL": "3"},
        ],
    )
    (folder / "p9.txt").write_text("not a page of the METS\n", encoding="utf-8")
    code, err = issue_cli(str(folder), "-o", str(tmp_path / "out"))
    assert code == 0, err
    root = header(tmp_path / "out" / "issue.xml")
    assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1", "2", "3"]
    monogr = root.find(".//t:monogr", TEI)
    assert monogr is not None
    assert monogr.findtext("t:title", namespaces=TEI) == "The Test Gazette"
    assert monogr.findtext("t:idno[@type='LCCN']", namespaces=TEI) == "sn99021999"
    assert monogr.find("t:imprint/t:date", TEI).get("when") == "1887-03-11"  # type: ignore[union-attr]
    scopes = {b.get("unit"): b.get("n") for b in monogr.iterfind("t:imprint/t:biblScope", TEI)}
    assert scopes == {"issue": "265", "edition": "1"}
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["mets"] == "1887031101.xml"
    assert [p["file"] for p in report["pages"]] == ["zz-front.txt", "aa-second.txt", "third.txt"]


def test_a_mets_file_can_be_named_instead_of_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    path = mets_issue(folder, [{"text": "a.txt"}, {"text": "b.txt"}])
    code, err = issue_cli(str(path), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert [pb.get("n") for pb in header(tmp_path / "out/issue.xml").iter("{*}pb")] == ["1", "2"]


def test_a_page_file_the_mets_names_but_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    mets_issue(
        folder,
        [{"text": "0001.txt"}, {"text": "0002.txt", "missing": "yes"}, {"text": "0003.txt"}],
    )
    code, err = issue_cli(str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitCode.PARTIAL
    failures = [line for line in err.splitlines() if "0002.txt" in line]
    assert len(failures) == 1 and "no such file" in failures[0] and "page 2" in failures[0]
    root = header(tmp_path / "out/issue.xml")
    assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1", "3"]
    assert "2 pages" in err and "1 page FAILED" in err


def test_a_reference_out_of_the_folder_is_refused_and_the_rest_converted(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text(page_text(7), encoding="utf-8")
    folder = tmp_path / "issue"
    folder.mkdir()
    path = mets_issue(folder, [{"text": "0001.txt"}])
    data = build_mets([{"text": "0001.txt"}, {"text": "../outside.txt"}], ISSUE_MODS)
    path.write_bytes(data)
    code, err = issue_cli(str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitCode.PARTIAL
    assert "../outside.txt" in err and "leaves the folder" in err
    assert [pb.get("n") for pb in header(tmp_path / "out/issue.xml").iter("{*}pb")] == ["1"]


def test_issue_toml_overrides_what_the_mets_says(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    mets_issue(folder, [{"text": "a.txt"}])
    (folder / "issue.toml").write_text(
        'paper = "Omaha Daily Bee"\ndate = 1887-03-12\nplace = "Omaha"\n', encoding="utf-8"
    )
    found = discover(folder)
    meta = found.meta
    assert (meta.paper, meta.date, meta.place) == ("Omaha Daily Bee", dt.date(1887, 3, 12), "Omaha")
    # What issue.toml does not set stays as the METS gives it.
    assert (meta.lccn, meta.number, meta.edition, meta.lang) == ("sn99021999", "265", "1", "en")
    (folder / "issue.toml").write_text('lccn = "sn 83045350"\n', encoding="utf-8")
    assert discover(folder).meta.lccn == "sn83045350"
    (folder / "issue.toml").write_text('lccn = "83-45350"\n', encoding="utf-8")
    with pytest.raises(MetadataError, match="lccn"):
        discover(folder)


def test_a_folder_of_mixed_formats_is_numbered_by_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "p10.txt").write_text("x\n", encoding="utf-8")
    (folder / "page-2.json").write_text('{"rec_texts": ["a"]}', encoding="utf-8")
    (folder / "scan_3.hocr").write_text("<html/>", encoding="utf-8")
    (folder / "0001.xml").write_text("<alto/>", encoding="utf-8")
    (folder / "4.html").write_text("<html/>", encoding="utf-8")
    (folder / "notes.md").write_text("not a page", encoding="utf-8")
    found = discover(folder)
    assert found.mets is None
    assert [(p.path.name, p.number) for p in found.pages] == [
        ("0001.xml", "1"),
        ("page-2.json", "2"),
        ("scan_3.hocr", "3"),
        ("4.html", "4"),
        ("p10.txt", "10"),
    ]
    # Without issue.toml nothing is known but what the pages say.
    assert found.meta.paper is None and found.meta.date is None


def test_a_folder_with_two_mets_files_names_them(tmp_path: Path) -> None:
    folder = tmp_path / "1887031101"
    folder.mkdir()
    for name in ("a.xml", "b.xml"):
        (folder / name).write_bytes(build_mets([{"text": "p1.txt"}]))
    with pytest.raises(MetadataError, match=r"several METS files \(a.xml, b.xml\)"):
        discover(folder)
    # The one named as its folder is the issue's (NDNP keeps a second version beside it).
    (folder / "1887031101_1.xml").write_bytes(build_mets([{"text": "p9.txt"}]))
    (folder / "1887031101.xml").write_bytes(build_mets([{"text": "p2.txt"}]))
    found = discover(folder)
    assert found.mets == folder / "1887031101.xml"
    assert [p.path.name for p in found.pages] == ["p2.txt"]


def test_plain_text_issue_folders_are_read_as_before(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "issue.toml").write_text('paper = "P"\n', encoding="utf-8")
    (folder / "p2.txt").write_text(page_text(2), encoding="utf-8")
    (folder / "p1.txt").write_text(page_text(1), encoding="utf-8")
    result = convert_issue(folder)
    assert [p.meta.page for p in result.pages] == ["1", "2"] and result.mets is None
    assert "mets" not in result.report()
    root = etree.fromstring(result.documents[0].data)
    assert root.find(".//t:idno", TEI) is None


# --- archive over NDNP batches ---------------------------------------------------------------


def make_batch(
    root: Path, issues: list[tuple[str, int]], listed_only: tuple[str, ...] = ()
) -> Path:
    """A batch folder ``root/data`` with issues (date, pages) of text pages, and issues listed
    but not there."""
    data = root / "data"
    entries = []
    for date, pages in issues:
        stamp = date.replace("-", "") + "01"
        folder = data / "sn99021999" / "reel" / stamp
        folder.mkdir(parents=True)
        mets_issue(folder, [{"text": f"{k:04d}.txt"} for k in range(1, pages + 1)], date=date)
        entries.append(("sn99021999", date, "01", f"./sn99021999/reel/{stamp}/{stamp}.xml"))
    for date in listed_only:
        stamp = date.replace("-", "") + "01"
        entries.append(("sn99021999", date, "01", f"./sn99021999/reel/{stamp}/{stamp}.xml"))
    write_batch(data, entries)
    return root


def test_a_batch_with_a_missing_issue_converts_the_others(tmp_path: Path) -> None:
    src = make_batch(
        tmp_path / "batch_x_ver01", [("1887-03-10", 2), ("1887-03-11", 1)], ("1887-03-12",)
    )
    out = tmp_path / "out"
    code, err = archive_cli(str(src), str(out), "-j", "1")
    assert code == ExitCode.PARTIAL, err
    missing = [ln for ln in err.splitlines() if ln.startswith("failed:")]
    assert len(missing) == 1
    assert "1887-03-12" in missing[0] and "1887031201.xml" in missing[0]
    assert "3 issues: 2 converted" in err and "1 failed" in err
    first = out / "sn99021999" / "1887-03-10" / "ed-1"
    assert (first / "issue.xml").is_file() and (first / "manifest.jsonl").is_file()
    assert [pb.get("n") for pb in header(first / "issue.xml").iter("{*}pb")] == ["1", "2"]
    assert (out / "sn99021999/1887-03-11/ed-1/issue.xml").is_file()
    assert not (out / "sn99021999/1887-03-12").exists()
    # A second run: the converted issues are up to date, the missing one fails again.
    code, err = archive_cli(str(src), str(out), "-j", "2")
    assert code == ExitCode.PARTIAL and "2 up to date, 1 failed" in err


def test_a_batch_is_found_as_data_batch_xml_or_batch_xml(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "b", [("1887-03-10", 1)])
    for given in (src, src / "data"):
        jobs = find_issues(given, tmp_path / "out")
        assert [(j.output, j.mets is not None) for j in jobs] == [
            ("sn99021999/1887-03-10/ed-1", True)
        ]
    # Inside a tree, a batch's output goes below its own folder's path.
    jobs = find_issues(tmp_path, tmp_path / "out")
    assert [j.output for j in jobs] == ["b/sn99021999/1887-03-10/ed-1"]


def test_the_evening_star_batch_lists_a_missing_issue_and_ends_malformed(tmp_path: Path) -> None:
    src = tmp_path / "batch"
    shutil.copytree(DLC.parent, src)
    jobs = find_issues(src, tmp_path / "out")
    assert [(j.name, j.output) for j in jobs] == [
        ("data/sn83045462/0028065842A/1918090101", "sn83045462/1918-09-01/ed-1"),
        ("data/sn83045462/0028065856A/1916082601", "sn83045462/1916-08-26/ed-1"),
        ("data/sn83045462/00280658637/1915032201", "sn83045462/1915-03-22/ed-1"),
        ("data/batch.xml", None),
    ]
    assert [j.pages for j in jobs] == [1, 0, 1, 0]
    missing = run_job(jobs[1], ArchiveOptions())
    assert missing.status == "failed" and missing.error is not None
    assert "1916-08-26" in missing.error and "missing" in missing.error
    malformed = run_job(jobs[3], ArchiveOptions())
    assert malformed.status == "failed" and malformed.error is not None
    assert malformed.error.startswith("line 10: malformed XML")
    assert "the 3 issues listed before it are converted" in malformed.error


def _alto_is_read() -> bool:
    try:
        read_file(DLC / "sn83045462/0028065842A/1918090101/0007.xml")
    except DecodeError:
        return False
    return True


@pytest.mark.skipif(not _alto_is_read(), reason="ALTO pages are not read yet")
def test_the_evening_star_batch_converts_its_present_issues(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err = archive_cli(str(DLC.parent), str(out), "-j", "2")
    assert code == ExitCode.PARTIAL
    assert "4 issues: 2 converted" in err and "2 failed" in err
    for date in ("1918-09-01", "1915-03-22"):
        root = header(out / "sn83045462" / date / "ed-1" / "issue.xml")
        assert root.findtext(".//t:idno[@type='LCCN']", namespaces=TEI) == "sn83045462"
        assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1"]


def test_a_tree_finds_mets_folders_and_skips_output_folders(tmp_path: Path) -> None:
    src = tmp_path / "src"
    mets_folder = src / "paper" / "1887031101"
    mets_folder.mkdir(parents=True)
    mets_issue(mets_folder, [{"text": "0001.txt"}, {"text": "0002.txt"}])
    plain = src / "paper" / "plain"
    plain.mkdir()
    (plain / "p1.txt").write_text(page_text(1), encoding="utf-8")
    (plain / "issue.toml").write_text('paper = "Plain"\n', encoding="utf-8")  # names the issue
    (src / "paper" / "README.txt").write_text("about the paper", encoding="utf-8")
    code, err = issue_cli(str(plain), "-o", str(src / "converted"))
    assert code == 0, err
    jobs = find_issues(src, tmp_path / "out")
    assert [(j.name, j.pages) for j in jobs] == [
        ("paper/1887031101", 2),
        ("paper/plain", 1),
    ]
    code, err = archive_cli(str(src), str(tmp_path / "out"), "-j", "1")
    assert code == 0, err
    issue_xml = tmp_path / "out/paper/1887031101/issue.xml"
    assert header(issue_xml).findtext(".//t:idno[@type='LCCN']", namespaces=TEI) == "sn99021999"


def test_no_issues_names_what_makes_one(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "README.txt").write_text("nothing", encoding="utf-8")
    code, err = archive_cli(str(tmp_path / "src"), str(tmp_path / "out"))
    assert code == ExitCode.INPUT
    assert "batch.xml" in err and "METS" in err and "issue.toml" in err
