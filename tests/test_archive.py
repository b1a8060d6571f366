"""Archive runs: mirrored tree, workers, resume, --force, failures reported, interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from converter.errors import ExitCode
from tests.test_issue import ISSUE_TOML, crossed_pages, make_issue
from tests.zh_pages import BODY_A


def make_tree(root: Path, issues: int = 3) -> list[Path]:
    folders = []
    for k in range(issues):
        folders.append(make_issue(root / "paper" / f"2016/12-{k + 10:02d}", crossed_pages()))
    folders.append(
        make_issue(
            root / "other" / "deep" / "er" / "issue",
            {"p1.txt": f"本报讯（记者王丹）{BODY_A}①2\n\n会议\n"},
        )
    )
    return folders


def archive(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["archive", *args])
    return result.exit_code, result.stderr


def test_mirrors_the_tree(tmp_path: Path) -> None:
    make_tree(tmp_path / "src")
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), "-j", "2")
    assert code == 0, err
    out = tmp_path / "out"
    assert (out / "paper/2016/12-10/issue.xml").is_file()
    assert (out / "other/deep/er/issue/articles/p1-a1.xml").is_file()
    assert "4 issues: 4 converted" in err
    # Plain log lines when not on a terminal: one per issue.
    assert err.count("done ") == 4


def test_resume_skips_up_to_date_and_force_redoes(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", issues=2)
    src, out = str(tmp_path / "src"), str(tmp_path / "out")
    assert archive(src, out, "-j", "1")[0] == 0
    issue_xml = tmp_path / "out/paper/2016/12-10/issue.xml"
    before = issue_xml.stat().st_mtime_ns
    code, err = archive(src, out, "-j", "1")
    assert code == 0 and "0 converted, 3 up to date" in err
    assert issue_xml.stat().st_mtime_ns == before
    # A changed input redoes only its issue.
    time.sleep(0.01)
    page = tmp_path / "src/paper/2016/12-11/p1.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n新增一行。\n", encoding="utf-8")
    code, err = archive(src, out, "-j", "1")
    assert "1 converted, 2 up to date" in err
    code, err = archive(src, out, "-j", "1", "--force")
    assert "3 converted, 0 up to date" in err
    # Options are part of what is up to date.
    code, err = archive(src, out, "-j", "1", "--headlines", "after")
    assert "3 converted" in err


def test_failed_issue_is_reported_and_the_rest_convert(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", issues=2)
    bad = make_issue(
        tmp_path / "src/paper/2016/bad", {"p1.txt": "x\n"}, toml='date = "2016-02-30"\n'
    )
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), "-j", "2")
    assert code == ExitCode.PARTIAL
    assert f"FAILED {bad}" in err or str(bad) in err
    assert "1 failed" in err
    assert (tmp_path / "out/paper/2016/12-10/issue.xml").is_file()
    assert not (tmp_path / "out/paper/2016/bad/issue.xml").exists()


def test_no_issues(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"))
    assert code == ExitCode.INPUT and "issue.toml" in err


ISSUES = 30  # enough work that the signal always arrives mid-run


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupt_leaves_complete_files_and_next_run_finishes(tmp_path: Path, signum: int) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    big = "".join(f"本报讯（记者王丹）{BODY_A}①2\n\n会议召开\n\n" for _ in range(300))
    for k in range(ISSUES):
        make_issue(src / f"i{k:02d}", {f"p{n}.txt": big for n in range(1, 4)}, ISSUE_TOML)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "converter.cli", "archive", str(src), str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    # Stop it once it has started writing.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(out.rglob("issue.xml")):
        time.sleep(0.05)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    # Only complete files: every XML file parses, no temporary file is left under a final name.
    for path in out.rglob("*.xml"):
        etree.parse(str(path))
    code, stderr = archive(str(src), str(out), "-j", "2")
    assert code == 0, stderr
    for k in range(ISSUES):
        stamp = json.loads((out / f"i{k:02d}" / ".newspaper-tei.json").read_text())
        assert "issue.xml" in stamp["outputs"]
    assert not list(out.rglob(".*.tmp"))


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal the run shows a progress bar with pages, pages/s and an ETA."""
    import pty

    make_tree(tmp_path / "src", issues=2)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "converter.cli",
            "archive",
            str(tmp_path / "src"),
            str(tmp_path / "out"),
            "-j",
            "1",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, shown
    assert "\r[" in shown and "pages/s" in shown and "ETA" in shown
    assert "5/5 pages" in shown
    assert "3 issues: 3 converted" in shown


def test_a_worker_that_dies_fails_its_issue_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An out-of-memory kill of a worker is reported, not waited for forever."""
    import converter.archive as archive_module
    from converter.archive import WORKER_DIED, ArchiveOptions, find_issues, run_archive

    make_tree(tmp_path / "src", issues=3)
    jobs = find_issues(tmp_path / "src", tmp_path / "out")
    victim = jobs[1].name
    real = archive_module.run_job

    def dies_on_victim(job: archive_module.Job, options: ArchiveOptions) -> archive_module.Outcome:
        if job.name == victim:
            os._exit(9)  # as if the kernel had killed the worker
        return real(job, options)

    monkeypatch.setattr(archive_module, "run_job", dies_on_victim)
    outcomes: list[archive_module.Outcome] = []
    summary = run_archive(jobs, ArchiveOptions(), 2, lambda o, s, t: outcomes.append(o))
    assert len(outcomes) == len(jobs)  # every issue has an outcome: nothing hangs
    failed = {o.name: o.error for o in outcomes if o.status == "failed"}
    assert failed.get(victim) == WORKER_DIED
    assert summary.done >= len(jobs) - 2  # at most the other job then running is lost too
    assert summary.done + summary.failed == len(jobs)
