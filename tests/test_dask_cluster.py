"""``archive --scheduler`` on Dask LocalClusters (two worker processes of one thread each):
the same files and log as ``-j 1``, workers that die, runs cut short and finished the other
way, and a scheduler that is not there."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from converter import __version__
from converter.batch import dask_executor
from converter.batch.archive import ArchiveOptions, Job, Outcome, find_issues, run_archive
from converter.batch.output import STAGING_SUFFIX, STAMP
from converter.cli import main
from converter.errors import ExitCode, OutputError
from tests.test_archive import assert_complete, make_tree, staging_leftovers
from tests.test_issue import ISSUE_TOML, make_issue
from tests.zh_pages import BODY_A

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
BIG = "".join(f"本报讯（记者王丹）{BODY_A}①2\n\n会议召开\n\n" for _ in range(100))
BIG_ISSUES = 8  # enough work that a kill or a signal lands while the run goes on


def archive(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["archive", *args])
    return result.exit_code, result.stderr


def cli_process(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "converter.cli", "archive", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by its relative path, with its bytes (the lock aside)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".newspaper-tei.lock"
    }


def untimed(log: str) -> str:
    """A run's log without its timings (the summary's seconds and pages/s)."""
    return re.sub(r"; [0-9.]+ s \([0-9.]+ pages/s\)", "; T", log)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """An archive of the samples, the NDNP batch of the test data (a missing issue, a
    malformed batch.xml) and generated issues of 200 articles; its ``-j 1`` output and log."""
    base = tmp_path_factory.mktemp("dask")
    src = base / "src"
    shutil.copytree(ROOT / "samples", src / "samples")
    shutil.copytree(ROOT / "tests/data/ndnp", src / "ndnp")
    for k in range(BIG_ISSUES):
        make_issue(src / "big" / f"i{k:02d}", {"p1.txt": BIG, "p2.txt": BIG}, ISSUE_TOML)
    code, log = archive(str(src), str(base / "reference"), "-j", "1")
    assert code == ExitCode.PARTIAL, log  # the batch's missing issue and its malformed end
    return src, base / "reference", log


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A client of a local cluster as ``--scheduler local:2`` starts one."""
    with (
        dask_executor.local_cluster(2) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        yield client


def test_local_cluster_writes_what_one_process_writes(
    source: tuple[Path, Path, str], tmp_path: Path
) -> None:
    src, reference, log = source
    code, err = archive(str(src), str(tmp_path / "out"), "--scheduler", "local:2")
    assert code == ExitCode.PARTIAL, err
    assert tree(tmp_path / "out") == tree(reference)  # issues, articles, manifests, reports, stamps
    # The same progress lines and failures, in the same order.
    assert untimed(err) == untimed(log)
    assert "failed: " in err and "listed in the batch but missing" in err
    # Up to date, whichever way it was written.
    code, err = archive(str(src), str(tmp_path / "out"), "-j", "1")
    assert code == ExitCode.PARTIAL and "0 converted" in err


def test_a_running_scheduler_by_its_address(
    source: tuple[Path, Path, str], tmp_path: Path, cluster: Any
) -> None:
    src, reference, log = source
    address = cluster.scheduler.address
    assert address.startswith("tcp://")
    code, err = archive(str(src), str(tmp_path / "out"), "--scheduler", address)
    assert code == ExitCode.PARTIAL, err
    assert tree(tmp_path / "out") == tree(reference)
    assert untimed(err) == untimed(log)


def test_relative_paths_are_made_absolute_for_a_remote_cluster() -> None:
    jobs = [Job(Path("src"), Path("out"), "a", 1), Job(Path("/abs/src"), Path("out"), "b", 1)]
    rooted = dask_executor._rooted(jobs, Path("/here"))
    assert [(j.source, j.target) for j in rooted] == [
        (Path("/here/src/a"), Path("/here/out/a")),
        (Path("/abs/src/b"), Path("/here/out/b")),
    ]
    assert dask_executor._rooted(jobs, None) is jobs  # a local cluster works where we are


def _worker_processes(pid: int) -> list[Any]:
    import psutil

    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def _stamped_any(out: Path) -> bool:
    """Whether an issue stands complete (its stamp under its final name) in ``out`` yet."""
    try:
        stamps = [p.relative_to(out).parts for p in out.rglob(STAMP)]
    except OSError:  # a staging folder renamed under the walk
        return False
    return any(not any(part.endswith(STAGING_SUFFIX) for part in parts) for parts in stamps)


def _wait_for_output(proc: subprocess.Popen[bytes], out: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _stamped_any(out) and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be disturbed"


def test_a_killed_worker_changes_nothing(source: tuple[Path, Path, str], tmp_path: Path) -> None:
    """A worker killed mid-run: its task runs again on a new worker; every issue is written
    as one process writes it, and counted once, converted."""
    src, reference, log = source
    out = tmp_path / "out"
    proc = cli_process(str(src), str(out), "--scheduler", "local:2")
    try:
        _wait_for_output(proc, out)
        workers = _worker_processes(proc.pid)
        assert workers
        workers[0].kill()
        _, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == ExitCode.PARTIAL, err
    assert tree(out) == tree(reference)
    assert untimed(err.decode()) == untimed(log)
    assert not staging_leftovers(out)


VICTIM = "victim"


def _dies_on_victim(job: Job, options: ArchiveOptions) -> Outcome:
    """Converts, but the worker converting the victim always dies (as out of memory)."""
    if VICTIM in job.name:
        dask_executor.begin()
        os._exit(9)
    return dask_executor.convert_task(job, options)


def _dies_once_after_the_victim(job: Job, options: ArchiveOptions) -> Outcome:
    """Converts; the first worker to convert the victim dies once its files are written."""
    outcome = dask_executor.convert_task(job, options)
    if VICTIM in job.name:
        with open(job.target_root.parent / "died", "a+b") as deaths:
            if deaths.tell() == 0:
                deaths.write(b"1")
                deaths.flush()
                os._exit(9)
    return outcome


def _run(client: Any, jobs: list[Job], task: Any) -> tuple[list[Outcome], Any]:
    outcomes: list[Outcome] = []

    def execute(jobs: list[Job], options: ArchiveOptions) -> Iterator[Outcome]:
        return dask_executor.outcomes(client, jobs, options, task=task, cluster=client.cluster)

    summary = run_archive(jobs, ArchiveOptions(), execute, lambda o, s, t: outcomes.append(o))
    return outcomes, summary


def test_an_issue_that_kills_every_worker_is_reported_after_bounded_retries(
    tmp_path: Path, cluster: Any
) -> None:
    make_tree(tmp_path / "src", issues=3)
    make_issue(tmp_path / "src" / VICTIM, {"p1.txt": BIG}, ISSUE_TOML)
    jobs = find_issues(tmp_path / "src", tmp_path / "out")
    outcomes, summary = _run(cluster, jobs, _dies_on_victim)
    assert [o.name for o in outcomes] == [j.name for j in jobs]  # all, in order: no hang
    # Only the victim: tasks that waited on its workers are tried again.
    failed = [(o.name, o.error) for o in outcomes if o.status == "failed"]
    assert failed == [(VICTIM, dask_executor.WORKERS_DIED)]
    assert summary.done == len(jobs) - 1
    assert not (tmp_path / "out" / VICTIM / "issue.xml").exists()


def test_an_issue_whose_worker_died_after_writing_it_is_counted_converted(
    tmp_path: Path, cluster: Any
) -> None:
    """Its stamp was written before the worker died: the retry converts it again rather
    than finding it up to date, as a run where nothing died counts it."""
    make_tree(tmp_path / "src", issues=2)
    make_issue(tmp_path / "src" / VICTIM, {"p1.txt": BIG}, ISSUE_TOML)
    jobs = find_issues(tmp_path / "src", tmp_path / "out")
    outcomes, summary = _run(cluster, jobs, _dies_once_after_the_victim)
    assert (tmp_path / "died").read_bytes() == b"1"  # it did die
    assert [(o.name, o.status) for o in outcomes] == [(j.name, "done") for j in jobs]
    assert summary.done == len(jobs) and summary.skipped == 0


@pytest.mark.parametrize(
    ("first", "then"),
    [(["--scheduler", "local:2"], ["-j", "1"]), (["-j", "1"], ["--scheduler", "local:2"])],
    ids=["cluster-then-local", "local-then-cluster"],
)
def test_a_run_cut_short_is_finished_the_other_way(
    source: tuple[Path, Path, str], tmp_path: Path, first: list[str], then: list[str]
) -> None:
    """Cut short by SIGTERM (with -j 1 the issues are converted in the command's own process,
    where the signal must stop the run, not fail an issue), finished the other way."""
    src, reference, _ = source
    out = tmp_path / "out"
    proc = cli_process(str(src), str(out), *first)
    try:
        _wait_for_output(proc, out)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert_complete(out)
    code, log = archive(str(src), str(out), *then)
    assert code == ExitCode.PARTIAL, log
    assert re.search(r"[1-9][0-9]* up to date", log), log  # the first run's issues are kept
    assert tree(out) == tree(reference)
    assert not staging_leftovers(out)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_no_scheduler_at_the_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2.0)
    make_tree(tmp_path / "src", issues=1)
    address = f"tcp://127.0.0.1:{_free_port()}"
    start = time.monotonic()
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), "--scheduler", address)
    assert code == ExitCode.OUTPUT
    assert err.count("\n") == 1 and err.startswith("newspaper-tei: cannot reach the Dask sched")
    assert address in err and "within 2 s" in err
    assert time.monotonic() - start < 60  # it gave up, rather than waiting on
    assert not (tmp_path / "out" / "paper").exists()


def test_a_scheduler_lost_mid_run_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection gone: exit 6 with one line, not a wait for results that cannot come."""

    class Gone:
        def nthreads(self) -> dict[str, int]:
            raise OSError("Timed out trying to connect")

    with pytest.raises(OutputError, match="lost the Dask scheduler"):
        dask_executor._Watch(Gone()).check()
    monkeypatch.setattr(dask_executor, "WORKERLESS_TIMEOUT", 0.0)

    class Empty:
        def nthreads(self) -> dict[str, int]:
            return {}

    watch = dask_executor._Watch(Empty())
    watch.check()  # no worker: the clock starts
    time.sleep(0.01)
    with pytest.raises(OutputError, match="no worker"):
        watch.check()


def test_workers_that_cannot_run_this_converter_stop_the_run_before_it_starts() -> None:
    class Missing:
        def run(self, function: Any) -> dict[str, str]:
            raise ModuleNotFoundError("No module named 'converter'")

    class Other:
        def run(self, function: Any) -> dict[str, str]:
            return {"tcp://10.0.0.7:4000": "0.0.1", "tcp://10.0.0.8:4000": __version__}

    with pytest.raises(OutputError, match=r"cannot run newspaper-tei .*No module named"):
        dask_executor._prepare_workers(Missing())
    with pytest.raises(OutputError, match=r"another newspaper-tei .*: 0\.0\.1 \(tcp://10\.0\.0\.7"):
        dask_executor._prepare_workers(Other())
