"""The closing lines of ``convert``, ``issue`` and ``archive`` and the progress lines read as
English: one page, two pages; a time as people say it; no rate from a blink; an issue skipped
is not one of "0 articles"; a jump to page 0 names page 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter.batch.archive import Outcome, Summary
from converter.batch.progress import Progress, bar
from converter.batch.reports import archive_lines, count, duration, pages_per_second
from converter.cli import main
from converter.errors import ExitCode

JUMP_TO_PAGE_0 = (
    "THE BIG NEWS STORY\n"
    "Something happened in the town today and many people came to see it happen.\n"
    "The mayor said it was fine. (Continued on Page 0)\n"
)
ONE_ARTICLE = (
    "THE BIG NEWS STORY\n"
    "Something happened in the town today and many people came to see it happen.\n"
    "The mayor said it was fine.\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def issue_folder(root: Path, text: str) -> Path:
    root.mkdir(parents=True)
    (root / "p1.txt").write_text(text, encoding="utf-8")
    (root / "issue.toml").write_text(
        'paper = "Test Gazette"\ndate = "1916-01-30"\nlang = "en"\n', encoding="utf-8"
    )
    return root


# --- the words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "noun", "said"),
    [
        (0, "page", "0 pages"),
        (1, "page", "1 page"),
        (2, "page", "2 pages"),
        (1, "warning", "1 warning"),
        (1, "unresolved jump", "1 unresolved jump"),
        (3, "unresolved jump", "3 unresolved jumps"),
    ],
)
def test_count(n: int, noun: str, said: str) -> None:
    assert count(n, noun) == said


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0.0, "under 1 ms"),
        (0.0004, "under 1 ms"),
        (0.021, "21 ms"),
        (0.9994, "999 ms"),
        (1.0, "1.0 s"),
        (4.25, "4.2 s"),
        (59.9, "59.9 s"),
        (59.96, "1 min 00 s"),
        (185, "3 min 05 s"),
        (7800, "2 h 10 min"),
    ],
)
def test_duration(seconds: float, said: str) -> None:
    assert duration(seconds) == said


@pytest.mark.parametrize(
    ("rate", "said"), [(94.2, "94 pages/s"), (3.14, "3.1 pages/s"), (0.25, "0.25 pages/s")]
)
def test_pages_per_second(rate: float, said: str) -> None:
    assert pages_per_second(rate) == said


# --- archive ----------------------------------------------------------------------------------


def summary_of(*outcomes: Outcome, seconds: float) -> Summary:
    done = Summary()
    for outcome in outcomes:
        done.add(outcome)
    done.seconds = seconds
    return done


def test_a_quick_run_says_its_time_and_no_rate() -> None:
    done = summary_of(Outcome("a", "done", pages=1, articles=1, warnings=1), seconds=0.021)
    assert archive_lines(Path("src"), done) == [
        "1 issue: 1 converted, 0 up to date, 0 failed; 1 page, 1 article, 0 unresolved jumps, "
        "1 warning; 21 ms"
    ]


def test_a_long_run_says_its_rate() -> None:
    outcomes = [Outcome(f"i{n}", "done", pages=5, articles=9, unresolved=1) for n in range(2)]
    (line,) = archive_lines(Path("src"), summary_of(*outcomes, seconds=4.0))
    assert line == (
        "2 issues: 2 converted, 0 up to date, 0 failed; 10 pages, 18 articles, "
        "2 unresolved jumps, 0 warnings; 4.0 s (2.5 pages/s)"
    )


def test_a_run_of_issues_all_up_to_date_has_no_rate() -> None:
    done = summary_of(Outcome("a", "skipped", pages=4), seconds=3.0)
    (line,) = archive_lines(Path("src"), done)
    assert "pages/s" not in line and line.endswith("; 3.0 s")


def test_a_skipped_issue_is_not_reported_with_zero_articles() -> None:
    shown: list[str] = []
    progress = Progress(Path("src"), shown.append, terminal=False)
    done = Summary()
    for outcome in (Outcome("a/1", "skipped", pages=2), Outcome("a/2", "done", pages=1)):
        done.add(outcome)
        progress(outcome, done, 3)
    assert shown == [
        "skipped a/1: up to date, 2 pages (2/3 pages)\n",
        "done a/2: 1 page, 0 articles (3/3 pages)\n",
    ]


def test_the_bar_has_no_rate_before_a_page_is_converted() -> None:
    assert bar(2, 4, 0, 0.5).endswith("2/4 pages  - pages/s  ETA -    ")
    assert "0.0 pages/s" not in bar(2, 4, 0, 0.0)
    assert "1/1 page  " in bar(1, 1, 1, 2.0)


def test_archive_end_to_end(tmp_path: Path) -> None:
    issue_folder(tmp_path / "src" / "gazette" / "1916-01-30", ONE_ARTICLE)
    code, _, err = run("archive", str(tmp_path / "src"), str(tmp_path / "out"), "-j", "1")
    assert code == ExitCode.OK, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("1 issue: 1 converted, 0 up to date, 0 failed; 1 page, 1 article, ")
    assert "0.0 s" not in last
    code, _, err = run("archive", str(tmp_path / "src"), str(tmp_path / "out"), "-j", "1")
    assert "skipped gazette/1916-01-30: up to date, 1 page (1/1 page)" in err
    assert "0 articles" not in err.splitlines()[0]


# --- issue and convert ------------------------------------------------------------------------


def test_the_issue_line_counts_in_words(tmp_path: Path) -> None:
    folder = issue_folder(tmp_path / "issue", JUMP_TO_PAGE_0)
    code, _, err = run("issue", str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitCode.OK, err
    assert err.strip().endswith(": 1 page, 1 article, 1 unresolved jump, 2 warnings")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    messages = json.dumps(report, ensure_ascii=False)
    assert "names page 0, which is no page number" in messages
    assert "names no page" not in messages


def test_a_jump_to_page_0_names_page_0(tmp_path: Path) -> None:
    page = tmp_path / "p1.txt"
    page.write_text(JUMP_TO_PAGE_0, encoding="utf-8")
    code, out, err = run(
        "convert", str(page), "--lang", "en", "--report", "-", "-o", str(tmp_path / "o.xml")
    )
    assert code == ExitCode.OK
    (diagnostic,) = json.loads(out)["diagnostics"]
    assert diagnostic["code"] == "jump.no-page"
    assert diagnostic["message"] == (
        "continuation '(Continued on Page 0)' names page 0, which is no page number"
    )
    assert err.strip().endswith(": 1 article; 1 warning (jump.no-page 1)")


def test_a_jump_without_a_page_still_names_none(tmp_path: Path) -> None:
    page = tmp_path / "p1.txt"
    page.write_text(JUMP_TO_PAGE_0.replace("(Continued on Page 0)", "(Continued on Page)"), "utf-8")
    code, out, _ = run(
        "convert", str(page), "--lang", "en", "--report", "-", "-o", str(tmp_path / "o.xml")
    )
    assert code == ExitCode.OK
    (diagnostic,) = json.loads(out)["diagnostics"]
    assert diagnostic["message"] == "continuation '(Continued on Page)' names no page"
