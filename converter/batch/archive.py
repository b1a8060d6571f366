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
import functools
import gc
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ConverterError, MetadataError, OutputError
from ..profile import Profile
from ..read.mets import is_batch, read_batch, read_issue
from .catalogue import DEFAULT_RECORDS, issue_meta
from .folders import missing_metadata
from .issue import (
    ISSUE_FILE,
    OUTPUT_NAMES,
    IssueResult,
    convert_issue,
    find_mets,
    is_page_file,
    page_number,
)
from .output import STAMP, write_issue

#: In the output root: held (flock) by the archive run writing below it.
LOCK = ".newspaper-tei.lock"
#: The file that makes a folder an NDNP batch (``data/batch.xml`` in the batch's folder).
BATCH_FILE = "batch.xml"
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
    records: tuple[str, ...] = DEFAULT_RECORDS  # --records: catalogue records of each document
    meta: tuple[tuple[str, str], ...] = ()  # --base-url (of the archive), --institution, …


@dataclass(frozen=True, slots=True)
class Job:
    """One issue folder of an archive, named by its path below the archive's root.

    The two roots are shared by every job: a job itself holds little more than its name, as the
    run keeps every job of the archive until it ends (a million pages are 125,000 jobs). An
    issue an NDNP batch lists also has its ``output`` folder (``<lccn>/<date>/ed-<edition>``,
    below the batch's own output folder) and its ``mets`` file (relative to the source root);
    an entry known to fail before it is tried (a batch entry that names no usable issue, a
    batch.xml that turned malformed) carries its ``error``.
    """

    source_root: Path
    target_root: Path
    name: str  # the issue's path relative to the archive root, "." for the root itself
    pages: int
    output: str | None = None  # the output folder relative to the target root, if not name
    mets: str | None = None  # the issue's METS relative to the source root, from a batch.xml
    error: str | None = None

    @property
    def source(self) -> Path:
        return self.source_root / self.name

    @property
    def target(self) -> Path:
        return self.target_root / (self.output or self.name)

    @property
    def mets_file(self) -> Path | None:
        return self.source_root / self.mets if self.mets is not None else None


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
    """Every issue below ``source`` (at any depth), in path order: each folder that holds an
    issue.toml, a METS file or numbered page files, and each issue of an NDNP batch (a folder
    with a ``batch.xml``, whose folders are not searched further: the batch says what its
    issues are). Output folders of the converter found on the way are passed over."""
    jobs: list[Job] = []
    target_resolved = target.resolve()
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() != target_resolved
        )
        rel = here.relative_to(source)
        if BATCH_FILE in files and is_batch(here / BATCH_FILE):
            dirs[:] = []
            jobs.extend(batch_jobs(source, target, rel))
            continue
        if set(files) >= OUTPUT_NAMES:  # an issue's output folder, with its articles below
            dirs[:] = []
            continue
        if ISSUE_FILE in files or any(_issue_file(name) for name in files):
            jobs.append(Job(source, target, rel.as_posix() or ".", estimate_pages(here, files)))
    return jobs


def _issue_file(name: str) -> bool:
    """Whether a file makes its folder an issue: an XML file (a METS, a layout page) or a page
    file with a number in its name."""
    if not is_page_file(Path(name)):
        return False
    return name.lower().endswith(".xml") or _has_number(name)


def _has_number(name: str) -> bool:
    try:
        page_number(Path(name))
    except MetadataError:
        return False
    return True


def estimate_pages(folder: Path, files: list[str]) -> int:
    """The pages of an issue folder as its file names tell them, for the progress shown (the
    files are not opened): its page files, but the XML files named as the folder or as a METS
    (``1878010301.xml``, ``1878010301_1.xml``, ``mets.xml``)."""
    count = 0
    for name in files:
        if not is_page_file(Path(name)):
            continue
        stem = name.rsplit(".", 1)[0].lower()
        own = folder.name.lower()
        if name.lower().endswith(".xml") and (
            stem == own or stem.startswith(own + "_") or "mets" in stem
        ):
            continue
        count += 1
    return count


def batch_jobs(source: Path, target: Path, rel: Path) -> list[Job]:
    """The jobs of the NDNP batch whose ``batch.xml`` is in ``source/rel``: one per issue it
    lists, in its order, each written to ``<lccn>/<date>/ed-<edition>`` below the batch's
    output folder (the batch's path below ``source``, its ``data`` folder left out). An issue
    listed twice is converted once; an entry that names no usable issue, and a batch.xml that
    turns malformed, are jobs that fail with the reason."""
    batch_file = source / rel / BATCH_FILE
    batch_name = (rel / BATCH_FILE).as_posix()
    try:
        batch = read_batch(batch_file)
    except ConverterError as exc:
        return [Job(source, target, batch_name, 0, error=exc.message)]
    base = rel.parent if rel.name == "data" else rel
    prefix = "" if base.as_posix() == "." else base.as_posix() + "/"
    jobs: list[Job] = []
    outputs: set[str] = set()
    for entry in batch.issues:
        where = f"{batch_name}:{entry.line}" if entry.line is not None else batch_name
        if entry.mets is None:
            jobs.append(Job(source, target, where, 0, error=entry.problem))
            continue
        mets_rel = (rel / entry.mets).as_posix()
        name = Path(mets_rel).parent.as_posix()
        output = prefix + entry.output
        if output in outputs:
            continue
        outputs.add(output)
        issue_folder = source / name
        try:
            files = os.listdir(issue_folder)
        except OSError:
            files = []
        pages = estimate_pages(issue_folder, files)
        jobs.append(Job(source, target, name, pages, output=output, mets=mets_rel))
    if batch.problem is not None:
        count = len(batch.issues)
        jobs.append(
            Job(
                source,
                target,
                batch_name,
                0,
                error=f"{batch.problem}; the {count} issue{'s' if count != 1 else ''} "
                "listed before it are converted",
            )
        )
    return jobs


def fingerprint(job: Job, options: ArchiveOptions) -> dict[str, Any]:
    used: dict[str, Any] = {"encoding": options.encoding, "headlines": options.headlines}
    if options.profile is not None:  # another profile file, or an edited one, redoes the issue
        used["profile"] = options.profile.digest
    used |= {"records": list(options.records), "meta": dict(options.meta)}
    return {
        "converter": __version__,
        "options": used,
        "inputs": _inputs(job),
    }


def _inputs(job: Job) -> dict[str, Any]:
    """The sizes and modification times of an issue's input files, by their paths relative to
    its folder: its issue.toml, and its METS with the page files the METS lists, or else its
    page files. A file that is missing or cannot be read is recorded as such: when it appears,
    the issue is done again."""
    folder = job.source
    inputs: dict[str, Any] = {}
    try:
        mets_file = job.mets_file or find_mets(folder)
        names = sorted(p.name for p in folder.iterdir())
    except (ConverterError, OSError) as exc:
        return {"unreadable": str(exc)}
    paths = [folder / ISSUE_FILE] if ISSUE_FILE in names else []
    if mets_file is not None:
        paths.append(mets_file)
        try:
            paths.extend(p.text for p in read_issue(mets_file).pages if p.text is not None)
        except ConverterError as exc:
            inputs["unreadable"] = str(exc)
    else:
        paths.extend(folder / n for n in names if is_page_file(Path(n)))
    for path in paths:
        try:
            key = path.relative_to(folder).as_posix()
        except ValueError:
            key = path.as_posix()
        try:
            st = path.stat()
        except OSError:
            inputs[key] = None
            continue
        inputs[key] = [st.st_size, st.st_mtime_ns]
    return inputs


def up_to_date(job: Job, options: ArchiveOptions) -> bool:
    stamp = job.target / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict) or recorded.get("fingerprint") != fingerprint(job, options):
        return False
    # The view is written after the stamp (and was not, before views were): without it the
    # issue is done again.
    outputs = [*recorded.get("outputs", []), "view.html"]
    return all((job.target / rel).is_file() for rel in outputs)


def run_job(job: Job, options: ArchiveOptions, before: Callable[[], None] | None = None) -> Outcome:
    """Convert one issue; never raises for a bad issue (the outcome says what failed).
    ``before`` is called once the issue is found to need converting, before it is."""
    if job.error is not None:
        return Outcome(job.name, "failed", error=job.error)
    mets_file = job.mets_file
    if mets_file is not None and not mets_file.is_file():
        # Listed in its batch but not there: reported, and the batch's other issues go on.
        return Outcome(
            job.name,
            "failed",
            error=f"issue {job.output} is listed in the batch but missing: no file {job.mets}",
        )
    # A folder of pages that nothing names (no issue.toml, METS or date) is reported, not
    # converted into an issue without a date.
    unnamed = missing_metadata(job.source) if mets_file is None else None
    if unnamed is not None:
        return Outcome(job.name, "failed", error=unnamed)
    if not options.force and up_to_date(job, options):
        return Outcome(job.name, "skipped", pages=job.pages)
    if before is not None:
        before()
    try:
        inputs = fingerprint(job, options)  # before reading them: a change meanwhile redoes it
        result = convert_issue(
            job.source,
            encoding=options.encoding,
            headlines=options.headlines,  # type: ignore[arg-type]
            profile=options.profile,
            mets_file=mets_file,
            records=options.records,
            meta_options=issue_meta(options, job.output or job.name),
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
            whole=(job.output or job.name) != ".",
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


class _Stop(BaseException):
    """SIGTERM, as KeyboardInterrupt is SIGINT: not an Exception, so that no handler of a
    failed issue (an issue converted in this process, a Dask task's) takes it for one."""


def _raise_stop(signum: int, _frame: Any) -> None:
    raise _Stop(signal.Signals(signum).name)


#: Runs an archive's jobs and yields one outcome per job, in any order: the local process pool
#: (``run_archive`` given a number of workers) or a Dask cluster (``dask_executor.connect``).
Executor = Callable[[list[Job], ArchiveOptions], Iterable[Outcome]]


def run_archive(
    jobs: list[Job],
    options: ArchiveOptions,
    workers: int | Executor,
    report: Callable[[Outcome, Summary, int], None],
) -> Summary:
    """Run all jobs in ``workers`` local processes or on an executor; ``report`` is called
    after each issue, in the jobs' order, with the running summary.

    Raises KeyboardInterrupt on SIGINT or SIGTERM after stopping the workers.
    """
    execute = functools.partial(_outcomes, workers=workers) if isinstance(workers, int) else workers
    summary = Summary()
    total_pages = sum(j.pages for j in jobs)
    start = time.monotonic()
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        for outcome in in_job_order(jobs, execute(jobs, options)):
            summary.add(outcome)
            summary.seconds = time.monotonic() - start
            report(outcome, summary, total_pages)
    except _Stop:
        raise KeyboardInterrupt from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary.seconds = time.monotonic() - start
    return summary


def in_job_order(jobs: list[Job], outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
    """The outcomes of ``jobs`` in the jobs' order, whatever order they finish in: a run's
    progress lines and its list of failures are the same however many workers it had."""
    slots: defaultdict[str, deque[int]] = defaultdict(deque)
    for index, job in enumerate(jobs):
        slots[job.name].append(index)
    held: dict[int, Outcome] = {}
    following = 0
    for outcome in outcomes:
        held[slots[outcome.name].popleft()] = outcome
        while following in held:
            yield held.pop(following)
            following += 1
    yield from (held[index] for index in sorted(held))  # none: every job has one outcome


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
