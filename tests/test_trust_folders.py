"""Issue folders without an issue.toml: dated by their names or path, or reported as failed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from converter.batch.folders import date_in_path, missing_metadata
from converter.batch.issue import convert_issue
from converter.cli import main
from converter.errors import ExitCode
from tests.zh_pages import BODY_A, xp

PAGE = f"本报讯（记者王丹） 12月10日，{BODY_A}①2\n\n市委召开常委会议\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("path", "date", "edition"),
    [
        ("src/b/2016-12-12", "2016-12-12", None),
        ("src/b/20161212", "2016-12-12", None),
        ("src/sn83045350/1916082601", "1916-08-26", "1"),
        ("src/sn83045350/1916082602", "1916-08-26", "2"),
        ("src/jiaozuo-2016-12-11", "2016-12-11", None),
        ("src/paper/1916/08/26", "1916-08-26", None),
        ("src/paper/1916-08-26/ed-2", "1916-08-26", "2"),
        ("src/1916-08-26/morning", "1916-08-26", None),
        ("/abs/olute/2016-12-12", "2016-12-12", None),
    ],
)
def test_a_date_in_the_folder_name_or_path(path: str, date: str, edition: str | None) -> None:
    found = date_in_path(Path(path))
    assert found is not None
    assert (found.date.isoformat(), found.edition) == (date, edition)


@pytest.mark.parametrize(
    "path",
    [
        "src/misc",
        "src/2016-02-30",  # no such day
        "src/2016-12-12-to-2016-12-14",  # two dates: which one is not known
        "src/123456789012",  # digits, not a date
        "src/paper/2016/12-10",
        "src/issue-12",
        "src/0999-01-01",
    ],
)
def test_no_date(path: str) -> None:
    assert date_in_path(Path(path)) is None


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_real_date_is_found_in_each_form(day: dt.date) -> None:
    compact = day.strftime("%Y%m%d")
    for name in (day.isoformat(), compact, compact + "01"):
        found = date_in_path(Path("root") / name)
        assert found is not None and found.date == day


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    for rel in ("a/2016-12-11", "b/2016-12-12", "c/20161213", "d/1916082601", "e/misc"):
        (src / rel).mkdir(parents=True)
        (src / rel / "p1.txt").write_text(PAGE, encoding="utf-8")
    (src / "a/2016-12-11/issue.toml").write_text(
        'paper = "测试日报"\ndate = 2016-12-10\n', encoding="utf-8"
    )
    return src


def _imprint_date(issue_xml: Path) -> str | None:
    root = etree.parse(str(issue_xml)).getroot()
    found = xp(root, "//t:monogr/t:imprint/t:date")
    return found[0].get("when") if found else None


def test_archive_dates_issues_by_their_folders_and_fails_the_one_nothing_names(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, _, err = run("archive", str(tree), str(out), "-j", "1")
    assert code == ExitCode.PARTIAL
    assert "5 issues: 4 converted, 0 up to date, 1 failed" in err
    assert "e/misc" in err and "issue.toml" in err
    # issue.toml wins over the folder's name.
    assert _imprint_date(out / "a/2016-12-11/issue.xml") == "2016-12-10"
    assert _imprint_date(out / "b/2016-12-12/issue.xml") == "2016-12-12"
    assert _imprint_date(out / "c/20161213/issue.xml") == "2016-12-13"
    assert _imprint_date(out / "d/1916082601/issue.xml") == "1916-08-26"
    edition = xp(
        etree.parse(str(out / "d/1916082601/issue.xml")).getroot(),
        "//t:biblScope[@unit='edition']",
    )
    assert [e.get("n") for e in edition] == ["1"]
    assert not (out / "e/misc/issue.xml").exists()
    # The date a name gives is said in the issue's report.
    report = json.loads((out / "b/2016-12-12/report.json").read_text(encoding="utf-8"))
    assert [d["code"] for d in report["issue_diagnostics"]] == ["issue.date-from-name"]
    # A second run: the dated issues are up to date, the other still fails.
    code, _, err = run("archive", str(tree), str(out), "-j", "1")
    assert code == ExitCode.PARTIAL
    assert "0 converted, 4 up to date, 1 failed" in err


def test_issue_and_archive_give_a_dated_folder_the_same_files(tree: Path, tmp_path: Path) -> None:
    run("archive", str(tree), str(tmp_path / "all"), "-j", "1")
    one = tmp_path / "one"
    assert run("issue", str(tree / "b/2016-12-12"), "-o", str(one))[0] == 0
    archived = tmp_path / "all/b/2016-12-12"
    for name in ("issue.xml", "manifest.jsonl"):
        assert (one / name).read_bytes() == (archived / name).read_bytes()


def test_a_folder_with_metadata_is_never_refused(tmp_path: Path) -> None:
    folder = tmp_path / "misc"
    folder.mkdir()
    (folder / "p1.txt").write_text(PAGE, encoding="utf-8")
    assert missing_metadata(folder) is not None
    (folder / "issue.toml").write_text('paper = "测试日报"\n', encoding="utf-8")
    assert missing_metadata(folder) is None
    # The issue command converts a folder as it is, with what is known.
    (folder / "issue.toml").unlink()
    assert convert_issue(folder).meta.date is None
