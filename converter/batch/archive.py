"""Archive runs: convert every issue folder of a tree into a mirrored tree, in worker processes.

Resumable: an issue whose stamp (written last, after all its files) matches the current inputs,
options and converter version is skipped. Its files reach their final names only complete
(``output.write_issue``), so after an interruption the next run redoes just the issues whose
stamp is missing. A failed issue is reported with its reason and the run goes on with the rest;
a worker process that dies fails only the issues it held. One run at a time writes a tree.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
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

from .. import __version__
from ..errors import ConverterError, OutputError
from ..profile import Profile
from .issue import ISSUE_FILE, IssueResult, convert_issue
from .output import STAMP, write_issue

#: In the output root: held (flock) by the archive run writing below it.
LOCK = ".newspaper-tei.lock"
#: Thresholds of the cycle collector in batch runs. A page makes tens of thousands of objects
#: that reference counting frees; scanning for cycles every 700 allocations (the default) finds
#: nothing, and an archive run takes about a tenth longer with it.
BATCH_GC_THRESHOLD = (10_000, 50, 100)


def batch_collection() -> None:
    """Set the process up for a batch run: what is loaded so far (modules, profiles) is frozen
    out of the collector's scans, and cycles are looked for less often. Only when memory is
    reclaimed changes: what a run writes does not depend on it."""
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLD)


@dataclass(frozen=True)
class ArchiveOptions:
    encoding: str | None = None
    headlines: str = "auto"
    force: bool = False
    fsync: bool = False
    profile: Profile | None = None  # --profile: serves every page


@dataclass(frozen=True, slots=True)
class Job:
    """One issue folder of an archive, named by its path below the archive's root.

    The two roots are shared by every job: a job itself holds little more than its name, as the
    run keeps every job of the archive until it ends (a million pages are 125,000 jobs).
    """

    source_root: Path
    target_root: Path
    name: str  # the issue's path relative to the archive root, "." for the root itself
    pages: int

    @property
    def source(self) -> Path:
        return self.source_root / self.name

    @property
    def target(self) -> Path:
        return self.target_root / self.name


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


#: What ``flock`` fails with where the file system has no locks.
_NO_LOCKS = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS)


@contextlib.contextmanager
def holding(target: Path) -> Iterator[None]:
    """Hold the output root ``target`` (made if missing) for one archive run.

    Two runs writing the same tree would take each other's staging folders apart (their names
    are fixed, so that a killed run's leftovers are found); the second run stops at once with
    an OutputError instead. The lock is the kernel's (``flock``) on a hidden file that stays:
    it is released whenever the run ends, killed included, so it never needs removing by hand.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: runs are not guarded
        yield
        return
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd = os.open(target / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=target) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                "another archive run is writing this folder; wait for it to end", path=target
            ) from None
        except OSError as exc:
            # A file system without locks (some network mounts): the run goes on unguarded.
            if exc.errno not in _NO_LOCKS:
                raise OutputError(f"cannot lock: {exc.strerror or exc}", path=target) from None
        yield
    finally:
        os.close(fd)


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
            jobs.append(Job(source, target, rel.as_posix() or ".", pages))
    return jobs


def fingerprint(job: Job, options: ArchiveOptions) -> dict[str, Any]:
    used: dict[str, Any] = {"encoding": options.encoding, "headlines": options.headlines}
    if options.profile is not None:  # another profile file, or an edited one, redoes the issue
        used["profile"] = options.profile.digest
    inputs = {}
    for path in sorted(job.source.iterdir()):
        if path.name == ISSUE_FILE or path.suffix == ".txt":
            st = path.stat()
            inputs[path.name] = [st.st_size, st.st_mtime_ns]
    return {
        "converter": __version__,
        "options": used,
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


def run_job(job: Job, options: ArchiveOptions) -> Outcome:
    """Convert one issue; never raises for a bad issue (the outcome says what failed)."""
    if not options.force and up_to_date(job, options):
        return Outcome(job.name, "skipped", pages=job.pages)
    try:
        inputs = fingerprint(job, options)  # before reading them: a change meanwhile redoes it
        result = convert_issue(
            job.source,
            encoding=options.encoding,
            headlines=options.headlines,  # type: ignore[arg-type]
            profile=options.profile,
        )

        def make_stamp(outputs: list[str]) -> bytes:
            stamp = {"fingerprint": inputs, "outputs": outputs}
            return (json.dumps(stamp, indent=1) + "\n").encode("utf-8")

        write_issue(
            result,
            job.target,
            fsync=options.fsync,
            # Without a stamp an issue with failed pages is tried again next run.
            stamp=None if result.failed_pages else make_stamp,
            # The archive's root is the user's folder: nothing is staged next to it.
            whole=job.name != ".",
        )
        if result.failed_pages:
            return _outcome(job, "failed", result, "; ".join(result.failed_pages))
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
#: Shared with the parent, a byte per job: STARTED when a worker starts it, FINISHED when the
#: worker has its outcome (which the parent may still lose if the pool breaks meanwhile).
_STARTED: Any = None
STARTED, FINISHED = 1, 2


def _init_worker(options: ArchiveOptions, started: Any) -> None:
    global _OPTIONS, _STARTED
    _OPTIONS, _STARTED = options, started
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def convert_in_worker(job: Job, index: int, again: bool = False) -> Outcome:
    """Run job number ``index`` in a worker process, marking in shared memory when it starts
    and when its outcome is known; ``again`` for a job whose outcome a broken pool lost."""
    assert _OPTIONS is not None
    _STARTED[index] = STARTED
    # A job run again after its outcome was lost is converted again, not skipped as done.
    outcome = run_job(job, dataclasses.replace(_OPTIONS, force=True) if again else _OPTIONS)
    _STARTED[index] = FINISHED
    return outcome


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


#: Jobs in flight per worker: the next one waits in the pool's queue, so that a worker goes on
#: with it at once instead of idling while the parent hears of the last one and sends another.
IN_FLIGHT = 2


def _outcomes(jobs: list[Job], options: ArchiveOptions, workers: int) -> Iterator[Outcome]:
    """Outcomes in the order jobs finish; a worker that dies fails only the jobs it held.

    When a worker process dies (killed, out of memory) the pool breaks: the jobs then running
    (started, as each worker marks in shared memory) are reported failed, those still waiting
    go to a new pool, and the run goes on: it never waits for a result that cannot come. A job
    that a worker finished but whose outcome the broken pool lost goes to the new pool too,
    and is converted again (the same files) to have its outcome.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield run_job(job, options)
        return
    from ..validate import load_fast_schema

    load_fast_schema()  # once, before the workers fork, so they share it
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    started = context.RawArray("b", len(jobs))
    queue = list(reversed(range(len(jobs))))
    again: set[int] = set()  # jobs finished in a pool that broke before telling their outcome
    while queue:
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(options, started),
        )
        running: dict[Future[Outcome], int] = {}
        try:
            broken = False
            while (queue or running) and not broken:
                while queue and len(running) < IN_FLIGHT * workers:
                    index = queue.pop()
                    running[
                        executor.submit(convert_in_worker, jobs[index], index, index in again)
                    ] = index
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    del running[future]
                    yield outcome
            # The pool broke: the jobs it started cannot finish in it, the others can in a new one.
            # Its workers are gone once it has shut down: no job can start after this.
            executor.shutdown(wait=True, cancel_futures=True)
            for future, index in sorted(running.items(), key=lambda item: item[1]):
                if future.done() and not future.cancelled() and future.exception() is None:
                    yield future.result()  # finished before the pool broke
                elif started[index] == FINISHED:
                    started[index] = 0
                    again.add(index)
                elif started[index]:
                    yield Outcome(jobs[index].name, "failed", error=WORKER_DIED)
            queue.extend(i for i in sorted(running.values(), reverse=True) if not started[i])
            running.clear()
        except BaseException:
            _kill_workers(executor)
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the workers at once (on SIGINT/SIGTERM): files reach their final names only
    complete, so a job cut short leaves no half-written output (only a staging folder, which
    the next run removes), and without its stamp it is redone next run."""
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.terminate()
    executor.shutdown(wait=False, cancel_futures=True)
