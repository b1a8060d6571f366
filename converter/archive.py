"""Archive runs: convert every issue folder of a tree into a mirrored tree, in worker processes.

Resumable: an issue whose stamp (written last, after all its files) matches the current inputs,
options and converter version is skipped. Every file is written atomically, so an interrupted
run leaves only complete files, and the next run redoes the issue whose stamp is missing.
A failed issue is reported with its reason and the run goes on with the rest.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ConverterError
from .issue import ISSUE_FILE, IssueResult, convert_issue
from .output import write_atomic

STAMP = ".newspaper-tei.json"


@dataclass(frozen=True)
class ArchiveOptions:
    encoding: str | None = None
    headlines: str = "auto"
    force: bool = False
    fsync: bool = False


@dataclass(frozen=True)
class Job:
    source: Path
    target: Path
    name: str  # the issue's path relative to the archive root
    pages: int


@dataclass
class Outcome:
    name: str
    status: str  # "done", "skipped" or "failed"
    pages: int = 0
    articles: int = 0
    unresolved: int = 0
    warnings: int = 0
    error: str | None = None


@dataclass
class Summary:
    issues: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    articles: int = 0
    unresolved: int = 0
    warnings: int = 0
    skipped_pages: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.issues += 1
        if outcome.status == "done":
            self.done += 1
        elif outcome.status == "skipped":
            self.skipped += 1
            self.skipped_pages += outcome.pages
            return
        else:
            self.failed += 1
            self.failures.append((outcome.name, outcome.error or "failed"))
            if not outcome.pages:
                return
        self.pages += outcome.pages
        self.articles += outcome.articles
        self.unresolved += outcome.unresolved
        self.warnings += outcome.warnings

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{self.issues} issues: {self.done} converted, {self.skipped} up to date, "
            f"{self.failed} failed; {self.pages} pages, {self.articles} articles, "
            f"{self.unresolved} unresolved jumps, {self.warnings} warnings; "
            f"{self.seconds:.1f} s ({rate:.1f} pages/s)"
        )


def find_issues(source: Path, target: Path) -> list[Job]:
    """Every folder below ``source`` (at any depth) that holds an issue.toml, in path order."""
    jobs: list[Job] = []
    target_resolved = target.resolve()
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() != target_resolved
        )
        if ISSUE_FILE in files:
            rel = here.relative_to(source)
            pages = sum(1 for f in files if f.endswith(".txt"))
            jobs.append(Job(here, target / rel, rel.as_posix() or ".", pages))
    return jobs


def fingerprint(job: Job, options: ArchiveOptions) -> dict[str, Any]:
    inputs = {}
    for path in sorted(job.source.iterdir()):
        if path.name == ISSUE_FILE or path.suffix == ".txt":
            st = path.stat()
            inputs[path.name] = [st.st_size, st.st_mtime_ns]
    return {
        "converter": __version__,
        "options": {"encoding": options.encoding, "headlines": options.headlines},
        "inputs": inputs,
    }


def up_to_date(job: Job, options: ArchiveOptions) -> bool:
    stamp = job.target / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict) or recorded.get("fingerprint") != fingerprint(job, options):
        return False
    return all((job.target / rel).is_file() for rel in recorded.get("outputs", []))


def write_issue(result: IssueResult, target: Path, *, fsync: bool = False) -> list[str]:
    """Write an issue's documents, manifest and report; remove outputs a previous run left.

    Files are renamed into place (atomic); ``fsync`` also flushes each to disk first.
    """
    (target / "articles").mkdir(parents=True, exist_ok=True)
    for stale in target.glob(".*.tmp"):
        stale.unlink(missing_ok=True)  # a temporary file of an interrupted run
    for stale in (target / "articles").glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    written: list[str] = []
    for document in result.documents:
        write_atomic(target / document.path, document.data, fsync=fsync)
        written.append(document.path)
    keep = {d.path for d in result.documents}
    for old in (target / "articles").glob("*.xml"):
        if f"articles/{old.name}" not in keep:
            old.unlink()
    write_atomic(target / "manifest.jsonl", result.manifest(), fsync=fsync)
    report = json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(target / "report.json", report.encode("utf-8"), fsync=fsync)
    return [*written, "manifest.jsonl", "report.json"]


def run_job(job: Job, options: ArchiveOptions) -> Outcome:
    """Convert one issue; never raises for a bad issue (the outcome says what failed)."""
    if not options.force and up_to_date(job, options):
        return Outcome(job.name, "skipped", pages=job.pages)
    try:
        result = convert_issue(job.source, encoding=options.encoding, headlines=options.headlines)  # type: ignore[arg-type]
        job.target.mkdir(parents=True, exist_ok=True)
        (job.target / STAMP).unlink(missing_ok=True)
        outputs = write_issue(result, job.target, fsync=options.fsync)
        if result.failed_pages:
            # The good pages are written; without a stamp the issue is tried again next run.
            return _outcome(job, "failed", result, "; ".join(result.failed_pages))
        stamp = {"fingerprint": fingerprint(job, options), "outputs": outputs}
        write_atomic(
            job.target / STAMP,
            (json.dumps(stamp, indent=1) + "\n").encode("utf-8"),
            fsync=options.fsync,
        )
    except ConverterError as exc:
        return Outcome(job.name, "failed", error=str(exc))
    except OSError as exc:
        return Outcome(
            job.name, "failed", error=f"{exc.filename or job.source}: {exc.strerror or exc}"
        )
    except Exception as exc:  # a defect: report it with the issue and go on
        return Outcome(job.name, "failed", error=f"internal error: {type(exc).__name__}: {exc}")
    return _outcome(job, "done", result)


def _outcome(job: Job, status: str, result: IssueResult, error: str | None = None) -> Outcome:
    return Outcome(
        job.name,
        status,
        pages=len(result.pages),
        articles=result.articles,
        unresolved=result.unresolved,
        warnings=result.warnings,
        error=error,
    )


# --- running many ----------------------------------------------------------------------------

_OPTIONS: ArchiveOptions | None = None


def _init_worker(options: ArchiveOptions) -> None:
    global _OPTIONS
    _OPTIONS = options
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _work(job: Job) -> Outcome:
    assert _OPTIONS is not None
    return run_job(job, _OPTIONS)


class _Stop(Exception):
    pass


def _raise_stop(signum: int, _frame: Any) -> None:
    raise _Stop(signal.Signals(signum).name)


def run_archive(
    jobs: list[Job],
    options: ArchiveOptions,
    workers: int,
    report: Callable[[Outcome, Summary, int], None],
) -> Summary:
    """Run all jobs; ``report`` is called after each issue with the running summary.

    Raises KeyboardInterrupt on SIGINT or SIGTERM after stopping the workers.
    """
    summary = Summary()
    total_pages = sum(j.pages for j in jobs)
    start = time.monotonic()
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        for outcome in _outcomes(jobs, options, workers):
            summary.add(outcome)
            summary.seconds = time.monotonic() - start
            report(outcome, summary, total_pages)
    except _Stop:
        raise KeyboardInterrupt from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary.seconds = time.monotonic() - start
    return summary


#: What a job whose worker process vanished is reported with.
WORKER_DIED = "the worker process converting it died (killed, or out of memory); run again"


def _outcomes(jobs: list[Job], options: ArchiveOptions, workers: int) -> Iterator[Outcome]:
    """Outcomes in the order jobs finish; a worker that dies fails only the jobs it held.

    At most one job per worker is in flight, so when a worker process dies (killed, out of
    memory) the jobs then running are reported failed, a new pool takes over, and the run
    goes on: it never waits for a result that cannot come.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job, options)
        return
    from .validate import load_fast_schema

    load_fast_schema()  # once, before the workers fork, so they share it
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    queue = list(reversed(jobs))
    while queue:
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(options,)
        )
        running: dict[Future[Outcome], Job] = {}
        try:
            broken = False
            while (queue or running) and not broken:
                while queue and len(running) < workers:
                    job = queue.pop()
                    running[executor.submit(_work, job)] = job
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield Outcome(job.name, "failed", error=WORKER_DIED)
            for job in running.values():  # the pool broke: these cannot finish in it
                yield Outcome(job.name, "failed", error=WORKER_DIED)
            running.clear()
        except BaseException:
            _kill_workers(executor)
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the workers at once (on SIGINT/SIGTERM): each file is written atomically, so a
    job cut short leaves no half-written file, and without its stamp it is redone next run."""
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.terminate()
    executor.shutdown(wait=False, cancel_futures=True)
