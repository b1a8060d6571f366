"""Archive runs on a Dask cluster: the issues of an archive as tasks of ``dask.distributed``.

``archive --scheduler local:N`` starts a ``LocalCluster`` of N worker processes on this machine;
``--scheduler tcp://HOST:PORT`` uses a scheduler already running, whose workers see SRC and OUT
at the same paths. Each task is one issue converted by ``archive.run_job``, as a worker of the
local pool converts it: the same staging, atomic moves and stamps, so the files are the same,
and a run cut short on either is finished by the other. Before the run every worker is set up
and checked to run this version of the converter.

A worker that dies mid-task has its task run again on another worker by the scheduler, up to
its ``allowed-failures`` (``ALLOWED_FAILURES`` on a local cluster), and then reported failed. A
task tells the scheduler when it begins converting (the task's metadata, which the scheduler
drops with the task): a task given up on before it began, only waiting on a worker that died,
is submitted again instead of failed; and a retried task whose earlier attempt had begun
converts its issue again rather than finding it up to date (its stamp may have been written just
before the worker died), so that it counts as converted, as in a run where nothing died.

dask.distributed has no type annotations: its objects are ``Any`` here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import OutputError
from .archive import IN_FLIGHT, ArchiveOptions, Executor, Job, Outcome, batch_collection, run_job

#: What ``--scheduler`` says when dask.distributed is not installed.
INSTALL = "--scheduler needs dask.distributed: pip install 'newspaper-tei[dask]'"
#: Seconds to wait for a scheduler to answer before giving up (exit 6).
CONNECT_TIMEOUT = 20.0
#: Times a task may lose its worker on a local cluster before it is reported failed.
ALLOWED_FAILURES = 2
#: Seconds a cluster may have no worker at all before the run stops (exit 6) instead of waiting.
WORKERLESS_TIMEOUT = 120.0
#: Seconds between looks at the cluster (its workers, the connection) while tasks run.
POLL = 1.0
#: Dask's own retries of a task that raised: only the task's calls to the scheduler can raise,
#: as ``run_job`` reports every failure of an issue in its outcome.
RETRIES = 2
#: Times a task the scheduler gave up on before it began converting is submitted again.
REQUEUES = 3
#: What an issue whose workers kept dying is reported with.
WORKERS_DIED = (
    "the worker processes converting it died, each time it was tried (killed, or out of "
    "memory); run again"
)
#: Loggers quietened during a run: a worker restarted after a kill shows in the run's own
#: summary, not as log lines between its progress lines.
LOGGERS = ("distributed", "dask")


def available() -> bool:
    """Whether dask.distributed can be imported."""
    try:
        _distributed()
    except ImportError:
        return False
    return True


def _distributed() -> Any:
    return importlib.import_module("distributed")


def parse_scheduler(text: str) -> str | int:
    """``local:N`` as the number N of worker processes, or a scheduler's address
    (``tcp://HOST:PORT``, or another protocol of Dask's); ValueError for anything else."""
    if text.startswith("local:"):
        count = text.removeprefix("local:")
        if count.isdigit() and int(count) >= 1:
            return int(count)
        raise ValueError(f"{text!r}: local:N needs a number N of workers, at least 1")
    protocol, _, rest = text.partition("://")
    if protocol and rest:
        return text
    raise ValueError(f"{text!r}: give local:N or a scheduler's address, such as tcp://HOST:8786")


def local_cluster(workers: int) -> Any:
    """A new ``LocalCluster`` of ``workers`` processes of one thread each: a conversion holds
    the GIL, processes give the parallelism."""
    return _distributed().LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
        # Its HTTP server (no dashboard) on a free port: 8787 may be another cluster's.
        scheduler_kwargs={"allowed_failures": ALLOWED_FAILURES, "dashboard_address": ":0"},
    )


@contextlib.contextmanager
def connect(scheduler: str | int) -> Iterator[Executor]:
    """The executor of a Dask cluster while the context lasts: a new local cluster of
    ``scheduler`` worker processes, or the scheduler at the address ``scheduler``.

    Raises OutputError when the scheduler does not answer within ``CONNECT_TIMEOUT``.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(_quiet())
        cwd: Path | None = None  # workers started here: relative paths mean the same to them
        cluster: Any = None
        if isinstance(scheduler, int):
            cluster = local_cluster(scheduler)
            stack.callback(cluster.close)
        else:
            cwd = Path.cwd()  # workers elsewhere: paths are made absolute
        try:
            client = _distributed().Client(
                cluster or scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except Exception as exc:  # OSError, TimeoutError, and what a bad address raises
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise OutputError(
                f"cannot reach the Dask scheduler at {scheduler} within "
                f"{CONNECT_TIMEOUT:.0f} s ({reason}); is it running?"
            ) from None
        stack.callback(client.close)
        _prepare_workers(client)

        def execute(jobs: list[Job], options: ArchiveOptions) -> Iterator[Outcome]:
            return outcomes(client, _rooted(jobs, cwd), options, cluster=cluster)

        yield execute


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _prepare_workers(client: Any) -> None:
    """Set every worker up before the run (on a remote cluster, workers that join later are
    set up by their first task); raise OutputError when a worker cannot run this converter or
    runs another version of it, whose files would differ."""
    try:
        versions = client.run(prepare_worker)
    except Exception as exc:  # the converter missing on a worker: a task could not run either
        raise OutputError(
            f"the Dask workers cannot run newspaper-tei ({type(exc).__name__}: {exc}); install "
            f"newspaper-tei {__version__} where they run"
        ) from None
    wrong = sorted(
        f"{version} ({worker})" for worker, version in versions.items() if version != __version__
    )
    if wrong:
        raise OutputError(
            f"the Dask workers run another newspaper-tei than this {__version__}: "
            f"{', '.join(wrong)}; their files would differ"
        )


def _rooted(jobs: list[Job], cwd: Path | None) -> list[Job]:
    """The jobs with their roots made absolute against ``cwd``, for workers whose working
    folder is not this one; as they are if ``cwd`` is None."""
    if cwd is None:
        return jobs
    roots: dict[Path, Path] = {}
    rooted = []
    for job in jobs:
        source = roots.setdefault(job.source_root, cwd / job.source_root)
        target = roots.setdefault(job.target_root, cwd / job.target_root)
        rooted.append(dataclasses.replace(job, source_root=source, target_root=target))
    return rooted


def outcomes(
    client: Any,
    jobs: list[Job],
    options: ArchiveOptions,
    *,
    task: Callable[[Job, ArchiveOptions], Outcome] | None = None,
    cluster: Any = None,
) -> Iterator[Outcome]:
    """Run the jobs on the cluster of ``client``, a task each, and yield their outcomes as they
    finish. A few tasks per worker thread are submitted at a time (more as workers join): the
    scheduler holds a window of the archive, not all of it.

    A task the scheduler gave up on (``KilledWorker``) before it began converting (it waited on
    a worker that died with another task) is submitted again, up to ``REQUEUES`` times.
    ``task`` converts one issue in a worker (``convert_task``; tests give others); ``cluster``
    is a local cluster of the run's own, whose workers are started again if they stopped.

    Raises OutputError when the scheduler is lost, or the cluster has had no worker for
    ``WORKERLESS_TIMEOUT``: the issues done are stamped, and the next run goes on from there.
    """
    distributed = _distributed()
    run = uuid.uuid4().hex[:12]
    queue = deque(range(len(jobs)))  # job indices, those submitted again in front
    requeued: dict[int, int] = {}
    running: dict[Any, int] = {}  # future → job index
    watch = _Watch(client, cluster)
    try:
        while queue or running:
            while queue and len(running) < watch.window():
                index = queue.popleft()
                again = requeued.get(index, 0)
                key = f"convert-issue-{run}-{index}" + (f"-{again}" if again else "")
                future = client.submit(
                    task or convert_task, jobs[index], options, key=key, retries=RETRIES
                )
                running[future] = index
            try:
                with client.as_current():  # the client ``wait`` uses
                    done = distributed.wait(list(running), POLL, "FIRST_COMPLETED")
            except TimeoutError:
                watch.check()
                continue
            except CancelledError:
                raise _lost(None) from None
            for future in sorted(done.done, key=running.__getitem__):
                index = running.pop(future)
                outcome = _outcome(client, future, jobs[index])
                if outcome is None and requeued.get(index, 0) < REQUEUES:
                    requeued[index] = requeued.get(index, 0) + 1
                    queue.appendleft(index)
                    continue
                yield outcome or Outcome(jobs[index].name, "failed", error=WORKERS_DIED)
    finally:
        if running:  # stopped early: the tasks not begun are not begun
            with contextlib.suppress(Exception):
                client.cancel(list(running))


def _outcome(client: Any, future: Any, job: Job) -> Outcome | None:
    """The outcome of a finished task, or of one that failed on the cluster; None for a task
    that its workers' deaths failed before it began converting. A task whose result was lost
    with its worker after it finished is run again by the scheduler, and waited for."""
    try:
        outcome: Outcome = future.result()
    except CancelledError:  # the scheduler that held it is gone
        raise _lost(None) from None
    except _distributed().KilledWorker:
        try:
            begun = client.get_metadata([future.key], False)
        except Exception as exc:
            raise _lost(exc) from None
        return Outcome(job.name, "failed", error=WORKERS_DIED) if begun else None
    except Exception as exc:  # a defect, or a task the cluster could not run
        return Outcome(job.name, "failed", error=f"internal error: {type(exc).__name__}: {exc}")
    return outcome


def _lost(exc: Exception | None) -> OutputError:
    reason = f" ({type(exc).__name__}: {exc})" if exc is not None else ""
    return OutputError(
        f"lost the Dask scheduler{reason}; run again to finish (the issues converted are "
        "up to date)"
    )


class _Watch:
    """The cluster as a run sees it: how many tasks to keep submitted, and whether it still
    has a scheduler and workers. The workers of a local cluster of the run's own are started
    again when some have stopped: its nannies restart a worker that dies, but the cluster
    closes a nanny whose worker took long to come back (on a busy machine)."""

    def __init__(self, client: Any, cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster
        self.wanted = len(cluster.worker_spec) if cluster is not None else 0
        self.threads = 0
        self.counted = -POLL  # when the threads were last counted
        self.workerless_since: float | None = None

    def window(self) -> int:
        if time.monotonic() - self.counted >= POLL:
            self._count()
        return IN_FLIGHT * max(self.threads, 1)

    def check(self) -> None:
        """Raise OutputError when the scheduler is lost or has had no worker for too long."""
        now = self._count()
        if self.threads:
            self.workerless_since = None
        elif self.workerless_since is None:
            self.workerless_since = now
        elif now - self.workerless_since > WORKERLESS_TIMEOUT:
            raise OutputError(
                f"the Dask cluster has had no worker for {WORKERLESS_TIMEOUT:.0f} s; run again "
                "when it has (the issues converted are up to date)"
            )

    def _count(self) -> float:
        try:
            threads = self.client.nthreads()
        except Exception as exc:  # the connection to the scheduler is gone
            raise _lost(exc) from None
        self.threads = sum(threads.values())
        self.counted = time.monotonic()
        if len(threads) < self.wanted:
            self.cluster.scale(self.wanted)  # starts those whose nannies were closed
        return self.counted


# --- in the workers ------------------------------------------------------------------------------

_PREPARED = False


def prepare_worker() -> str:
    """Set a worker process up as the local pool's are (once): the schema loaded, collection
    of cycles tuned. Return the converter's version."""
    global _PREPARED
    if not _PREPARED:
        from ..validate import load_fast_schema

        load_fast_schema()
        batch_collection()
        _PREPARED = True
    return __version__


def convert_task(job: Job, options: ArchiveOptions) -> Outcome:
    """Convert one issue in a Dask worker: ``run_job``, telling the scheduler when it begins
    converting; a task run again after its worker died meanwhile converts it again, rather than
    find it up to date (its stamp may have been written just before the worker died)."""
    prepare_worker()
    if not options.force and _begun():
        options = dataclasses.replace(options, force=True)
    return run_job(job, options, before=begin)


def begin() -> None:
    """Tell the scheduler that the task running here begins converting its issue (the mark
    is the task's metadata, which the scheduler drops with the task)."""
    distributed = _distributed()
    distributed.get_client().set_metadata([distributed.get_worker().get_current_task()], True)


def _begun() -> bool:
    """Whether an earlier attempt of the task running here began converting."""
    distributed = _distributed()
    key = distributed.get_worker().get_current_task()
    return bool(distributed.get_client().get_metadata([key], False))
