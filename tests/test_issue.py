"""Whole issues: continuations linked across pages by evidence, article documents, manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.batch.issue import convert_issue, page_number
from converter.cli import main
from converter.errors import ExitCode
from converter.validate import validate_bytes
from tests.helpers import expected_lines
from tests.zh_pages import BODY_A, BODY_B, BODY_C, NS

BODY_A2 = (
    "会议要求，市委常委会各成员要带头\n"
    "落实中央经济工作会议精神，研究部署\n"
    "明年经济工作，坚持稳中求进。"
)
BODY_B2 = (
    "推介会上，各县区文旅部门推介冬季\n"
    "旅游线路，游客纷纷咨询冰雪线路和\n"
    "景点情况，冬季旅游活动丰富多彩。"
)
ISSUE_TOML = 'paper = "测试日报"\ndate = 2016-12-11\nplace = "焦作"\nlang = "zh-Hans"\n'


def make_issue(folder: Path, pages: dict[str, str], toml: str = ISSUE_TOML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.toml").write_text(toml, encoding="utf-8")
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def crossed_pages() -> dict[str, str]:
    """Two jumps on page 1; on page 2 their continuations stand in the opposite order."""
    return {
        "p1.txt": (
            f"本报讯（记者王丹） 12月10日，{BODY_A}（下转二版）\n\n市委召开常委会议\n\n"
            f"本报讯（通讯员李明）{BODY_B}（下转二版）\n\n冬季旅游推介会举行\n"
        ),
        "page-02.txt": (
            f"（上接一版）{BODY_B2}①2\n\n冬季旅游推介会举行\n\n"
            f"（上接一版）{BODY_A2}①2\n\n市委召开常委会议\n"
        ),
    }


def divs(root: etree._Element) -> dict[str, etree._Element]:
    found = root.xpath("//t:div[@type='article']", namespaces=NS)
    assert isinstance(found, list)
    return {str(d.get("{http://www.w3.org/XML/1998/namespace}id")): d for d in found}  # type: ignore[union-attr]


def refs(div: etree._Element) -> list[tuple[str | None, str | None, str | None]]:
    return [(r.get("subtype"), r.get("n"), r.get("target")) for r in div.iter("{*}ref")]


@pytest.mark.parametrize(
    ("name", "number"),
    [("p1.txt", "1"), ("page-02.txt", "2"), ("0003.txt", "3"), ("jz-2016-p12.txt", "12")],
)
def test_page_number_from_file_name(name: str, number: str) -> None:
    assert page_number(Path(name)) == number


def test_crossed_continuations_are_linked_by_evidence(tmp_path: Path) -> None:
    result = convert_issue(make_issue(tmp_path / "i", crossed_pages()))
    root = etree.fromstring(result.documents[0].data)
    d = divs(root)
    assert d["p1-a1"].get("next") == "#p2-a2" and d["p2-a2"].get("prev") == "#p1-a1"
    assert d["p1-a2"].get("next") == "#p2-a1" and d["p2-a1"].get("prev") == "#p1-a2"
    assert refs(d["p1-a1"]) == [("next", "2", "#p2-a2")]
    assert refs(d["p2-a2"]) == [("prev", "1", "#p1-a1")]
    assert refs(d["p1-a2"]) == [("next", "2", "#p2-a1")]
    assert result.unresolved == 0
    # One pb per page, opening it.
    assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1", "2"]


def test_article_documents(tmp_path: Path, tei_all: etree.RelaxNG) -> None:
    result = convert_issue(make_issue(tmp_path / "i", crossed_pages()))
    articles = {d.xml_id: d for d in result.documents if d.kind == "article"}
    assert set(articles) == {"p1-a1", "p1-a2"}  # continuations are fragments, not articles
    doc = articles["p1-a1"]
    assert doc.pages == ("1", "2")
    assert doc.title == "市委召开常委会议"
    assert doc.authors == (("王丹", "reporter"),)
    root = etree.fromstring(doc.data)
    assert root.findtext(".//{*}analytic/{*}title") == "市委召开常委会议"
    scope = root.find(".//{*}biblScope[@unit='page']")
    assert scope is not None and (scope.get("from"), scope.get("to")) == ("1", "2")
    assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1", "2"]
    assert set(divs(root)) == {"p1-a1", "p2-a2"}
    for document in result.documents:
        assert tei_all.validate(etree.ElementTree(etree.fromstring(document.data))), document.path


def test_three_page_chain(tmp_path: Path) -> None:
    pages = {
        "p1.txt": f"本报讯（记者王丹）{BODY_A}（下转二版）\n\n市委召开常委会议\n",
        "p2.txt": f"（上接一版）{BODY_A2}（下转三版）\n\n市委召开常委会议\n",
        "p3.txt": f"（上接二版）{BODY_C}①2\n\n市委召开常委会议\n",
    }
    result = convert_issue(make_issue(tmp_path / "i", pages))
    d = divs(etree.fromstring(result.documents[0].data))
    assert d["p1-a1"].get("next") == "#p2-a1"
    assert (d["p2-a1"].get("prev"), d["p2-a1"].get("next")) == ("#p1-a1", "#p3-a1")
    assert d["p3-a1"].get("prev") == "#p2-a1"
    articles = [doc for doc in result.documents if doc.kind == "article"]
    assert [a.pages for a in articles] == [("1", "2", "3")]


def test_jump_to_missing_page_stays_unresolved(tmp_path: Path) -> None:
    pages = {"p1.txt": f"本报讯（记者王丹）{BODY_A}（下转五版）\n\n市委召开常委会议\n"}
    result = convert_issue(make_issue(tmp_path / "i", pages))
    d = divs(etree.fromstring(result.documents[0].data))
    assert refs(d["p1-a1"]) == [("next", "5", None)]
    assert d["p1-a1"].get("next") is None
    assert result.unresolved == 1
    assert any("5" in diag.message for diag in result.diagnostics)


def test_two_equally_good_candidates_stay_unresolved(tmp_path: Path) -> None:
    same = f"（上接一版）{BODY_B2}①2\n\n"
    pages = {
        "p1.txt": f"本报讯（记者王丹）{BODY_A}（下转二版）\n\n市委召开常委会议\n",
        "p2.txt": same + "冬季旅游\n\n" + same + "冬季旅游\n",
    }
    result = convert_issue(make_issue(tmp_path / "i", pages))
    d = divs(etree.fromstring(result.documents[0].data))
    assert d["p1-a1"].get("next") is None
    assert any(diag.code == "jump.unresolved.ambiguous" for diag in result.diagnostics)


def test_page_with_no_articles(tmp_path: Path, tei_all: etree.RelaxNG) -> None:
    pages = {"p1.txt": f"本报讯（记者王丹）{BODY_A}①2\n\n市委召开常委会议\n", "p2.txt": "\n\n"}
    result = convert_issue(make_issue(tmp_path / "i", pages))
    root = etree.fromstring(result.documents[0].data)
    assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1", "2"]
    assert tei_all.validate(etree.ElementTree(root))


def test_issue_body_holds_exactly_the_pages_characters(tmp_path: Path) -> None:
    pages = crossed_pages()
    result = convert_issue(make_issue(tmp_path / "i", pages))
    root = etree.fromstring(result.documents[0].data)
    body = root.find("{*}text/{*}body")
    assert body is not None
    got = sorted(c for c in "".join(body.itertext()) if not c.isspace())
    want = sorted(
        c
        for text in pages.values()
        for line in expected_lines(text).values()
        for c in line
        if not c.isspace()
    )
    assert got == want


def test_cli_issue_writes_everything(tmp_path: Path) -> None:
    folder = make_issue(tmp_path / "i", crossed_pages())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["issue", str(folder), "-o", str(out), "--records", "none"])
    assert result.exit_code == 0, result.output
    assert (out / "issue.xml").is_file() and (out / "report.json").is_file()
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["p1-a1.xml", "p1-a2.xml"]
    manifest = [
        json.loads(line)
        for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [m["kind"] for m in manifest] == ["issue", "article", "article"]
    first = manifest[1]
    assert first["path"] == "articles/p1-a1.xml" and first["xml_id"] == "p1-a1"
    assert first["authors"] == [{"name": "王丹", "role": "reporter"}]
    assert (
        first["pages"] == ["1", "2"]
        and first["date"] == "2016-12-11"
        and first["language"] == "zh-Hans"
    )
    import hashlib

    assert first["sha256"] == hashlib.sha256((out / first["path"]).read_bytes()).hexdigest()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [p["page"] for p in report["pages"]] == ["1", "2"]


def test_cli_issue_broken_page_among_good_ones(tmp_path: Path) -> None:
    folder = make_issue(tmp_path / "i", crossed_pages())
    (folder / "p3.txt").write_bytes(b"%PDF-1.4 binary")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["issue", str(folder), "-o", str(out)])
    assert result.exit_code == ExitCode.PARTIAL
    assert "p3.txt" in result.stderr and "PDF" in result.stderr
    root = etree.parse(str(out / "issue.xml")).getroot()
    assert [pb.get("n") for pb in root.iter("{*}pb")] == ["1", "2"]


@pytest.mark.parametrize(
    ("files", "code", "needle"),
    [
        ({}, ExitCode.METADATA, "issue.toml"),
        ({"issue.toml": ISSUE_TOML}, ExitCode.INPUT, "no page files"),
        ({"issue.toml": ISSUE_TOML + "colour = 1\n", "p1.txt": "x\n"}, ExitCode.METADATA, "colour"),
        ({"issue.toml": ISSUE_TOML, "front.txt": "x\n"}, ExitCode.METADATA, "front.txt"),
        (
            {"issue.toml": ISSUE_TOML, "p1.txt": "x\n", "page1.txt": "y\n"},
            ExitCode.METADATA,
            "page 1 twice",
        ),
    ],
)
def test_cli_issue_errors(tmp_path: Path, files: dict[str, str], code: int, needle: str) -> None:
    folder = tmp_path / "i"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["issue", str(folder), "-o", str(out)])
    assert result.exit_code == code, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0]
    assert not out.exists()


SAMPLE_ISSUES = sorted(
    p.parent for p in (Path(__file__).resolve().parent.parent / "samples").rglob("issue.toml")
)


@pytest.mark.parametrize("folder", SAMPLE_ISSUES, ids=lambda p: p.parent.name)
def test_every_document_is_valid_and_the_same_each_time(folder: Path) -> None:
    """The issue and article documents, read back from their bytes, are valid, and converting
    the issue again gives the same bytes."""
    result = convert_issue(folder)
    for document in result.documents:
        assert validate_bytes(document.data) == [], document.path
    assert [d.data for d in convert_issue(folder).documents] == [d.data for d in result.documents]
