"""Archive runs: mirrored tree, workers, resume, --force, failures reported, interruption."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.batch.output import STAGING_SUFFIX
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


def _written_any(out: Path) -> bool:
    """Whether an issue.xml stands in the tree yet; staging folders are made and renamed while
    it is walked, so a folder may vanish under the walk (that is "not yet")."""
    try:
        return any(out.rglob("issue.xml"))
    except OSError:
        return False


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
    while time.monotonic() < deadline and not _written_any(out):
        time.sleep(0.05)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    # Only complete files: every XML file under its final name parses (a staging folder's are
    # not under their final names), and an issue with a stamp has all its outputs.
    assert_complete(out)
    code, stderr = archive(str(src), str(out), "-j", "2")
    assert code == 0, stderr
    for k in range(ISSUES):
        stamp = json.loads((out / f"i{k:02d}" / ".newspaper-tei.json").read_text())
        assert "issue.xml" in stamp["outputs"]
    assert not list(out.rglob(".*.tmp"))
    assert not staging_leftovers(out)


def staging_leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(STAGING_SUFFIX)]


def assert_complete(out: Path) -> None:
    """Every output under its final name is complete; a stamp vouches for all its outputs."""
    for path in out.rglob("*"):
        if any(part.endswith(STAGING_SUFFIX) for part in path.relative_to(out).parts):
            continue
        if path.suffix == ".xml":
            etree.parse(str(path))
        elif path.name == ".newspaper-tei.json":
            stamp = json.loads(path.read_text(encoding="utf-8"))
            for rel in stamp["outputs"]:
                assert (path.parent / rel).is_file(), rel


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
    import converter.batch.archive as archive_module
    from converter.batch.archive import WORKER_DIED, ArchiveOptions, find_issues, run_archive

    make_tree(tmp_path / "src", issues=7)
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
    # At most the job then running in the other worker is lost too; those still queued
    # (two jobs per worker are in flight) go to a new pool.
    assert set(failed.values()) == {WORKER_DIED}
    assert summary.done >= len(jobs) - 2
    assert summary.done + summary.failed == len(jobs)
    assert sorted(o.name for o in outcomes) == sorted(j.name for j in jobs)


_VICTIM: list[str] = []  # the issue whose worker dies after finishing it (set before forking)


def _work_then_die(job: Any, index: int, again: bool = False) -> Any:
    """The worker's job function, but the victim's worker dies once it has finished it."""
    import converter.batch.archive as archive_module

    outcome = archive_module.__dict__["real_convert_in_worker"](job, index, again)
    if job.name in _VICTIM and not again:
        os._exit(9)  # finished, files written, but the outcome never reaches the parent
    return outcome


def test_an_issue_finished_by_a_worker_that_then_dies_is_converted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the pool breaks after a worker finished an issue but before its outcome arrived,
    the issue is not reported failed: a new pool converts it again and reports it done."""
    import converter.batch.archive as archive_module
    from converter.batch.archive import ArchiveOptions, find_issues, run_archive

    make_tree(tmp_path / "src", issues=5)
    jobs = find_issues(tmp_path / "src", tmp_path / "out")
    victim = jobs[0].name
    _VICTIM[:] = [victim]
    monkeypatch.setattr(
        archive_module, "real_convert_in_worker", archive_module.convert_in_worker, raising=False
    )
    monkeypatch.setattr(archive_module, "convert_in_worker", _work_then_die)
    outcomes: list[archive_module.Outcome] = []
    try:
        run_archive(jobs, ArchiveOptions(), 2, lambda o, s, t: outcomes.append(o))
    finally:
        _VICTIM.clear()
    assert sorted(o.name for o in outcomes) == sorted(j.name for j in jobs)
    assert [o.status for o in outcomes if o.name == victim] == ["done"]
    assert (tmp_path / "out" / victim / "issue.xml").is_file()


def test_jobs_queued_behind_a_dying_worker_are_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every job kills its worker until one has: only started jobs fail, none twice, none is
    dropped, and the run ends."""
    import converter.batch.archive as archive_module
    from converter.batch.archive import WORKER_DIED, ArchiveOptions, find_issues, run_archive

    make_tree(tmp_path / "src", issues=5)
    jobs = find_issues(tmp_path / "src", tmp_path / "out")
    real = archive_module.run_job

    def first_two_die(job: archive_module.Job, options: ArchiveOptions) -> archive_module.Outcome:
        for death in ("first", "second"):
            try:
                os.close(os.open(tmp_path / death, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                continue
            os._exit(9)
        return real(job, options)

    monkeypatch.setattr(archive_module, "run_job", first_two_die)
    outcomes: list[archive_module.Outcome] = []
    summary = run_archive(jobs, ArchiveOptions(), 2, lambda o, s, t: outcomes.append(o))
    assert sorted(o.name for o in outcomes) == sorted(j.name for j in jobs)
    assert {o.error for o in outcomes if o.status == "failed"} <= {WORKER_DIED}
    assert summary.failed >= 2 and summary.done == len(jobs) - summary.failed


# --- the output stage: staging folders, re-runs, nested issues ---------------------------------


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (stamps and hidden files included) with its content."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_first_run_moves_each_issue_into_place_whole(tmp_path: Path) -> None:
    """A new target is built in a hidden staging folder next to it and renamed into place;
    the files, their modes and the folders' are what per-file atomic writes gave."""
    make_tree(tmp_path / "src", issues=2)
    out = tmp_path / "out"
    assert archive(str(tmp_path / "src"), str(out), "-j", "1")[0] == 0
    assert not staging_leftovers(out)
    issue = out / "paper/2016/12-10"
    assert (issue / "articles").is_dir()
    assert (issue / "issue.xml").stat().st_mode & 0o777 == 0o644
    assert (issue / "articles").stat().st_mode & 0o777 == (out / "paper").stat().st_mode & 0o777
    stamp = json.loads((issue / ".newspaper-tei.json").read_text(encoding="utf-8"))
    assert set(stamp["outputs"]) == {
        p.relative_to(issue).as_posix() for p in issue.rglob("*") if p.is_file()
    } - {".newspaper-tei.json"}


def test_staging_leftovers_of_an_interrupted_run_are_removed(tmp_path: Path) -> None:
    """What a killed run left in staging folders is never output and goes in the next run."""
    make_tree(tmp_path / "src", issues=3)
    src, out = str(tmp_path / "src"), tmp_path / "out"
    assert archive(src, str(out), "-j", "1")[0] == 0
    clean = tree_bytes(out)
    # As a killed run leaves them: next to a target not yet there, next to a target that a
    # nested issue has made meanwhile, and inside a target being rewritten (its stamp gone).
    shutil.rmtree(out / "paper/2016/12-10")
    (out / ".newspaper-tei.json").unlink(missing_ok=True)
    (out / "paper/2016/12-11/.newspaper-tei.json").unlink()
    (out / "paper/2016/12-12/.newspaper-tei.json").unlink()
    leftovers = [
        out / "paper/2016" / f".12-10{STAGING_SUFFIX}",
        out / "paper/2016" / f".12-11{STAGING_SUFFIX}",
        out / "paper/2016/12-12" / STAGING_SUFFIX,
    ]
    for folder in leftovers:
        (folder / "articles").mkdir(parents=True)
        (folder / "issue.xml").write_bytes(b"<TEI")  # cut short
        (folder / "articles/p1-a1.xml").write_bytes(b"")
    (out / "paper/2016/12-12/.issue.xml.k2j4_x.tmp").write_bytes(b"<T")  # an earlier version's
    code, err = archive(src, str(out), "-j", "2")
    assert code == 0, err
    assert "3 converted, 1 up to date" in err
    assert not staging_leftovers(out)
    assert not list(out.rglob("*.tmp"))
    assert tree_bytes(out) == clean


def test_rerun_over_existing_output_replaces_files_and_removes_stale_ones(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", issues=2)
    src, out = str(tmp_path / "src"), tmp_path / "out"
    assert archive(src, str(out), "-j", "1")[0] == 0
    clean = tree_bytes(out)
    issue = out / "paper/2016/12-10"
    (issue / "articles/p9-a1.xml").write_bytes(b"<old/>")  # an article that is no more
    (issue / "issue.xml").write_bytes(b"<old/>")
    (issue / "notes.txt").write_bytes(b"kept")  # not the converter's: left alone
    code, err = archive(src, str(out), "-j", "2", "--force")
    assert code == 0, err
    assert "3 converted" in err
    assert (issue / "notes.txt").read_bytes() == b"kept"
    (issue / "notes.txt").unlink()
    assert tree_bytes(out) == clean
    assert not staging_leftovers(out)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_nested_issues(tmp_path: Path, jobs: str) -> None:
    """An issue folder inside another: each output folder holds its own issue's files, on the
    first run (whichever target is made first) and on re-runs of either or both."""
    src, out = tmp_path / "src", tmp_path / "out"
    outer = make_issue(src / "paper/2016/12-10", crossed_pages())
    inner = make_issue(outer / "extra", crossed_pages())
    make_issue(inner / "more", crossed_pages())
    code, err = archive(str(src), str(out), "-j", jobs)
    assert code == 0, err
    assert "3 issues: 3 converted" in err
    clean = tree_bytes(out)
    for rel in ("paper/2016/12-10", "paper/2016/12-10/extra", "paper/2016/12-10/extra/more"):
        stamp = json.loads((out / rel / ".newspaper-tei.json").read_text(encoding="utf-8"))
        assert "issue.xml" in stamp["outputs"]
    # Only the outer issue changes: it is rewritten around the nested ones.
    time.sleep(0.01)
    page = outer / "p1.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, err = archive(str(src), str(out), "-j", jobs)
    assert "1 converted, 2 up to date" in err
    assert (out / "paper/2016/12-10/extra/more/issue.xml").is_file()
    code, err = archive(str(src), str(out), "-j", jobs, "--force")
    assert "3 converted" in err
    now = tree_bytes(out)
    assert now.keys() == clean.keys()
    assert all(now[k] == clean[k] for k in now if "12-10/extra" in k)
    assert not staging_leftovers(out)


def test_a_target_made_while_its_issue_is_staged_gets_the_files_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of a nested issue's worker making the outer target while the outer issue is
    staged: the staged folder cannot be renamed there, so its files are moved in."""
    from converter.batch.archive import ArchiveOptions, find_issues, run_job

    src, out = tmp_path / "src", tmp_path / "out"
    outer = make_issue(src / "a", crossed_pages())
    make_issue(outer / "b", crossed_pages())
    first, second = find_issues(src, out)
    real_rename = os.rename
    renamed: list[tuple[str, bool]] = []

    def nested_meanwhile(source: Any, target: Any) -> None:
        """Converts the nested issue just before the outer issue's folder is renamed."""
        if Path(target) == first.target and not renamed:
            assert run_job(second, ArchiveOptions()).status == "done"
        try:
            real_rename(source, target)
        except OSError:
            renamed.append((Path(target).name, False))
            raise
        renamed.append((Path(target).name, True))

    monkeypatch.setattr(os, "rename", nested_meanwhile)
    assert run_job(first, ArchiveOptions()).status == "done"
    # The nested issue's folder was renamed into place, then the outer one's could not be.
    assert renamed == [("b", True), ("a", False)]
    for target in (out / "a", out / "a/b"):
        stamp = json.loads((target / ".newspaper-tei.json").read_text(encoding="utf-8"))
        assert all((target / rel).is_file() for rel in stamp["outputs"])
    assert not staging_leftovers(out)


def test_the_archive_root_as_an_issue_stages_inside_it(tmp_path: Path) -> None:
    """The output folder is the user's: nothing is staged next to it, in its parent."""
    src, out = tmp_path / "src", tmp_path / "parent" / "out"
    make_issue(src, crossed_pages())
    make_issue(src / "inner", crossed_pages())
    out.mkdir(parents=True)
    (out / "mine.txt").write_text("kept", encoding="utf-8")
    for args in ([], ["--force"]):
        code, err = archive(str(src), str(out), "-j", "2", *args)
        assert code == 0, err
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
    assert (out / "issue.xml").is_file() and (out / "inner/issue.xml").is_file()
    assert (out / "mine.txt").read_text(encoding="utf-8") == "kept"
    assert not staging_leftovers(out)


def test_fsync_flushes_every_file_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path / "src", issues=1)
    calls: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    out = tmp_path / "out"
    assert archive(str(tmp_path / "src"), str(out), "-j", "1", "--fsync")[0] == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(calls) >= len(files)
    calls.clear()
    assert archive(str(tmp_path / "src"), str(out), "-j", "1", "--fsync", "--force")[0] == 0
    assert len(calls) >= len(files)


def test_an_issue_with_failed_pages_is_written_without_a_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import converter.batch.archive as archive_module
    from converter.batch.archive import ArchiveOptions, find_issues, run_job

    make_tree(tmp_path / "src", issues=1)
    job = find_issues(tmp_path / "src", tmp_path / "out")[0]
    real = archive_module.convert_issue

    def with_a_failed_page(folder: Path, **kwargs: Any) -> Any:
        result = real(folder, **kwargs)
        result.failed_pages.append("p3.txt: cannot read")
        return result

    monkeypatch.setattr(archive_module, "convert_issue", with_a_failed_page)
    for _ in range(2):  # a new target, then over the one written
        outcome = run_job(job, ArchiveOptions())
        assert outcome.status == "failed" and outcome.error == "p3.txt: cannot read"
        assert (job.target / "issue.xml").is_file()
        assert not (job.target / ".newspaper-tei.json").exists()
    monkeypatch.setattr(archive_module, "convert_issue", real)
    assert run_job(job, ArchiveOptions()).status == "done"
    assert (job.target / ".newspaper-tei.json").is_file()


def test_a_failure_while_staging_leaves_the_old_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk (or Ctrl-C) while the files are staged: the outputs in place stay as they
    were, complete, the staging folder goes, and the issue is redone next run."""
    import converter.batch.output as output_module
    from converter.batch.archive import ArchiveOptions, find_issues, run_job

    make_tree(tmp_path / "src", issues=1)
    out = tmp_path / "out"
    jobs = find_issues(tmp_path / "src", out)
    for job in jobs:
        assert run_job(job, ArchiveOptions()).status == "done"
    before = tree_bytes(out)
    real = output_module.write_new
    written: list[Path] = []

    def full_disk(path: Path, data: bytes, *, fsync: bool = False) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        real(path, data, fsync=fsync)

    monkeypatch.setattr(output_module, "write_new", full_disk)
    outcome = run_job(jobs[0], ArchiveOptions(force=True))
    assert outcome.status == "failed" and "No space left" in (outcome.error or "")
    stamp = jobs[0].target / ".newspaper-tei.json"
    assert not stamp.exists()  # redone next run
    del before[stamp.relative_to(out).as_posix()]
    assert tree_bytes(out) == before
    assert not staging_leftovers(out)
    written.clear()

    def interrupted(path: Path, data: bytes, *, fsync: bool = False) -> None:
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(path)
        real(path, data, fsync=fsync)

    monkeypatch.setattr(output_module, "write_new", interrupted)
    shutil.rmtree(jobs[1].target)
    with pytest.raises(KeyboardInterrupt):
        run_job(jobs[1], ArchiveOptions())
    assert not jobs[1].target.exists()
    assert not staging_leftovers(out)


def test_the_issue_command_reports_a_write_failure_as_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import converter.batch.output as output_module

    folder = make_issue(tmp_path / "src", crossed_pages())
    out = tmp_path / "out"

    def full_disk(path: Path, data: bytes, *, fsync: bool = False) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(output_module, "write_new", full_disk)
    result = CliRunner().invoke(main, ["issue", str(folder), "-o", str(out)])
    assert result.exit_code == ExitCode.OUTPUT, result.stderr
    assert "No space left on device" in result.stderr
    assert not staging_leftovers(out) and not list(out.iterdir())


def test_a_second_run_into_the_same_folder_stops_at_once(tmp_path: Path) -> None:
    """Two runs writing one tree would undo each other's staging folders: while one holds the
    output folder, another fails with an output error (exit 6) and writes nothing."""
    from converter.batch.archive import LOCK, holding

    make_tree(tmp_path / "src")
    out = tmp_path / "out"
    with holding(out):  # as a run in another process holds it
        code, err = archive(str(tmp_path / "src"), str(out), "-j", "1")
        assert code == ExitCode.OUTPUT, err
        assert "another archive run is writing this folder" in err
        assert str(out) in err
        assert [p.name for p in out.iterdir()] == [LOCK]
    code, err = archive(str(tmp_path / "src"), str(out), "-j", "1")
    assert code == 0, err  # the lock is released with its holder
    assert (out / "paper" / "2016" / "12-10" / "issue.xml").is_file()


def test_an_output_folder_that_cannot_be_locked_is_written_all_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without locks (some network mounts) the run goes on unguarded; any
    other failure to lock is an output error."""
    import errno
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    make_tree(tmp_path / "src", issues=1)
    monkeypatch.setattr(fcntl, "flock", no_locks)
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), "-j", "1")
    assert code == 0, err

    def denied(fd: int, operation: int) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fcntl, "flock", denied)
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out2"), "-j", "1")
    assert code == ExitCode.OUTPUT, err
    assert "cannot lock: Permission denied" in err


def test_issue_and_archive_write_the_same_issue_folder(tmp_path: Path) -> None:
    """``issue`` on a folder and ``archive`` over a tree holding it write byte-identical files:
    the issue document, article documents, manifest and report (the archive adds its stamp)."""
    src = tmp_path / "src"
    make_tree(src, issues=2)
    sample = Path(__file__).resolve().parent.parent / "samples/hechuan-daily/2016-12-11"
    shutil.copytree(sample, src / "hechuan")
    code, err = archive(str(src), str(tmp_path / "archived"), "-j", "2")
    assert code == 0, err
    for name in ("paper/2016/12-10", "other/deep/er/issue", "hechuan"):
        alone = tmp_path / "alone" / name
        result = CliRunner().invoke(main, ["issue", str(src / name), "-o", str(alone)])
        assert result.exit_code == 0, result.stderr
        archived = tree_bytes(tmp_path / "archived" / name)
        del archived[".newspaper-tei.json"]
        assert tree_bytes(alone) == archived
        assert {"issue.xml", "manifest.jsonl", "report.json"} <= archived.keys()


def test_progress_shows_a_bar_on_a_terminal_and_log_lines_elsewhere() -> None:
    from converter.batch.archive import Outcome, Summary
    from converter.batch.progress import Progress

    done = Outcome("a/1", "done", pages=3, articles=5)
    failed = Outcome("a/2", "failed", error="bad date")
    for terminal in (False, True):
        shown: list[str] = []
        progress = Progress(Path("src"), shown.append, terminal=terminal)
        summary = Summary()
        for outcome in (done, failed):
            summary.add(outcome)
            summary.seconds = 2.0
            progress(outcome, summary, 4)
        progress.end()
        text = "".join(shown)
        assert f"FAILED {Path('src/a/2')}: bad date\n" in text
        if terminal:
            assert text.startswith("\r[") and "3/4 pages  1.5 pages/s  ETA 1 s" in text
            assert text.endswith("\n") and "done a/1" not in text
        else:
            assert shown[0] == "done a/1: 3 pages, 5 articles (3/4 pages)\n"
            assert "\r" not in text
