"""Benchmark of newspaper-tei on this machine, in one run.

1. In-process: ``convert_bytes`` (analyse, build, validate, serialise) on every sample page and on
   generated pages of 1×, 10× and 100× the seed page's size: ms per page, ms per 1,000 lines.
2. ``newspaper-tei archive`` over generated archives of 200, 1,000 and 10,000 seed-sized pages at
   ``-j 1`` and ``-j 2``: pages/s and the peak memory of the whole process tree.
3. ``newspaper-tei convert`` of the seed page as a command (wall time, peak RSS) and the cost of
   starting the command (``--version``, ``-X importtime``).
4. Baselines: pandoc (markdown → TEI, one process per file) and the floor (lxml parsing and
   serialising the TEI that newspaper-tei produced), with the ratios and their targets.
5. A cProfile of converting the seed page 50 times.
6. ALTO: ``convert_bytes`` of a real ALTO page of about 1 MB against lxml parsing and
   serialising that same ALTO file, and ``archive`` over generated trees of ALTO issues (copies
   of that page): pages/s and peak memory, which should not grow with the number of pages.
7. ``archive --scheduler local:2`` (a Dask LocalCluster) against ``-j 2`` over the same
   archive, and the time 20 million pages would take at its rate per worker, for some numbers of
   workers.

Usage: ``python bench/bench.py [--quick]`` (``make bench``). Prints a table and writes
``build/bench/results.json``. Targets are reported as met or missed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import gc
import hashlib
import io
import json
import multiprocessing
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from converter import __version__, metadata
from converter.batch.issue import ISSUE_FILE, page_number
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_DIR = SAMPLES / "jiaozuo-daily" / "2016-12-11"
SEED_PAGE = SEED_DIR / "p1.txt"
ALTO_PAGE = ROOT / "eval" / "pages" / "evening-star-1918-09-01-p1.xml"  # 1.1 MB, NDNP ALTO 2
ALTO_META = {"paper": "Evening Star", "place": "Washington, D.C.", "lang": "en"}
ALTO_FLOOR_RATIO = 4.0  # target: converting an ALTO page at most this many times lxml's floor
WORK = ROOT / "build" / "bench"
ARCHIVES = WORK / "archives"  # generated once, reused by later runs


def _runs_folder() -> Path:
    """Where the measured commands write (removed after each measurement): a file system in
    memory when the machine has one, so that the time is the converter's, not the disk's. On
    ext4, creating files soon after many were deleted costs the kernel up to ten times its
    usual time, and each measurement follows the deletion of the previous one's outputs."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / "newspaper-tei-bench"
    return WORK / "runs"


RUNS = _runs_folder()
RESULTS = WORK / "results.json"
PYCACHE = WORK / "pycache"  # compiled modules of the measured Python commands

RANDOM_SEED = 20161211
GENERATOR_VERSION = 2  # change it when the generated pages change, so archives are rebuilt
PAGES_PER_ISSUE = 8
FIRST_ISSUE_DATE = dt.date(2017, 1, 1)
SAMPLE_INTERVAL = 0.05  # seconds between two samples of a process tree's memory
FLAT_GROWTH = 0.10  # "flat" memory: at most this much more at the largest archive than at 200
LINEAR_SLACK = 0.5  # "linear": ms per 1,000 lines of a 100× page at most this much above a 1× page
MB = 1024 * 1024
BUSY = 0.25  # CPUs kept busy by other processes above which a measurement is flagged as disturbed

_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
_LINE_END = re.compile(r"\r\n|\r|\n")  # as the converter's reader splits lines
_SUMMARY = re.compile(
    r"(\d+) issues?: (\d+) converted, (\d+) up to date, (\d+) failed; (\d+) pages?, "
    r"(\d+) articles?, (\d+) unresolved jumps?, (\d+) warnings?"
)


@dataclass(frozen=True)
class Plan:
    """How much is measured: the full run or ``--quick``."""

    quick: bool
    small_repeats: int  # in-process timings of a page up to 1× the seed
    medium_repeats: int  # 10×
    large_repeats: int  # 100×
    command_repeats: int  # single-page commands (convert, --version, pandoc)
    archive_sizes: tuple[int, ...]
    archive_repeats: dict[int, int]
    pandoc_pages: int
    pandoc_repeats: int
    profile_runs: int = 50
    alto_repeats: int = 5  # in-process timings of the ALTO page
    alto_archive_sizes: tuple[int, ...] = (50, 200)
    alto_jobs: tuple[int, ...] = (1, 2)

    @staticmethod
    def make(quick: bool) -> Plan:
        if quick:
            return Plan(
                True,
                5,
                3,
                1,
                3,
                (200, 1000),
                {200: 1, 1000: 1},
                200,
                1,
                alto_repeats=3,
                alto_archive_sizes=(16, 48),
                alto_jobs=(2,),
            )
        return Plan(False, 20, 5, 3, 7, (200, 1000, 10_000), {200: 3, 1000: 1, 10_000: 1}, 200, 3)


# --- generated pages --------------------------------------------------------------------------


class Variants:
    """Distinct, deterministic variants of the seed page, built like real pages.

    Variant ``k`` has about one ideograph in a hundred replaced by another ideograph of the page,
    then the page's divisions (each article or box with its own headline, credit and text lines,
    as the converter reads the seed) in a shuffled order. A division moves whole, so a variant
    is laid out like the seed: as many articles, headlines next to their bodies. Its random
    generator is seeded by ``salt`` and ``k``, so the same ``k`` always gives the same text.
    """

    def __init__(self, seed_text: str, salt: int, owners: dict[int, int]) -> None:
        self.seed_text = seed_text
        self.salt = salt
        self.owners = owners
        self.positions = [m.start() for m in _IDEOGRAPH.finditer(seed_text)]
        self.alphabet = sorted({seed_text[i] for i in self.positions})
        self.substitutions = max(1, len(self.positions) // 100)

    def text(self, k: int) -> str:
        rng = random.Random(self.salt * 1_000_003 + k)
        chars = list(self.seed_text)
        for i in rng.sample(self.positions, self.substitutions):
            chars[i] = rng.choice(self.alphabet)
        # Each line goes with its division; a blank line with the line before it.
        divisions: dict[int, list[str]] = {}
        owner = -1
        for number, line in enumerate(_LINE_END.split("".join(chars)), 1):
            owner = self.owners.get(number, owner)
            divisions.setdefault(owner, []).append(line)
        order = sorted(divisions)
        rng.shuffle(order)
        return "\n\n".join("\n".join(divisions[d]).strip("\n") for d in order) + "\n"

    def page(self, first: int, copies: int) -> str:
        """A page of ``copies`` consecutive variants, separated by a blank line."""
        return "\n".join(self.text(k) for k in range(first, first + copies))


def division_owners(seed_text: str) -> dict[int, int]:
    """Which division of the converted seed page each non-blank line of it is written in."""
    meta = metadata.build({"page": "1"}, seed_meta_values())
    page = convert_bytes(seed_text.encode("utf-8"), SEED_PAGE.name, meta, Options()).analysis.page
    owners: dict[int, int] = {}
    for index, division in enumerate(page.divisions):
        for block in division.blocks():
            for piece in block.content.pieces:
                owners[piece.line] = index
    return owners


def line_count(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def toml_value(value: Any) -> str:
    if isinstance(value, dt.date | int):
        return str(value) if not isinstance(value, bool) else str(value).lower()
    return json.dumps(str(value), ensure_ascii=False)


def generate_archive(pages: int, seed_text: str, seed_meta: dict[str, Any]) -> Path:
    """An archive of ``pages`` variants of the seed page in issue folders of PAGES_PER_ISSUE.

    Made once and reused: a stamp written last records how it was made. The pages of a smaller
    archive are the first pages of a larger one, so the sizes differ only in how many there are.
    """
    root = ARCHIVES / f"pages-{pages}"
    stamp_path = root / ".generated.json"
    stamp = {
        "generator": GENERATOR_VERSION,
        "seed_sha256": hashlib.sha256(seed_text.encode("utf-8")).hexdigest(),
        "pages": pages,
        "pages_per_issue": PAGES_PER_ISSUE,
    }
    with contextlib.suppress(OSError, ValueError):
        if json.loads(stamp_path.read_text(encoding="utf-8")) == stamp:
            return root
    if root.exists():
        shutil.rmtree(root)
    variants = Variants(seed_text, RANDOM_SEED, division_owners(seed_text))
    seen: set[bytes] = set()
    issues = (pages + PAGES_PER_ISSUE - 1) // PAGES_PER_ISSUE
    for issue in range(issues):
        date = FIRST_ISSUE_DATE + dt.timedelta(days=issue)
        folder = root / "jiaozuo-bench" / f"{date:%Y}" / f"{date:%m-%d}"
        folder.mkdir(parents=True)
        meta = {**seed_meta, "date": date, "number": str(issue + 1)}
        (folder / ISSUE_FILE).write_text(
            "".join(f"{key} = {toml_value(value)}\n" for key, value in meta.items()),
            encoding="utf-8",
        )
        for n in range(1, PAGES_PER_ISSUE + 1):
            k = issue * PAGES_PER_ISSUE + n - 1
            if k >= pages:
                break
            data = variants.text(k).encode("utf-8")
            digest = hashlib.sha256(data).digest()
            if digest in seen:
                raise RuntimeError(f"variant {k} repeats an earlier one; change RANDOM_SEED")
            seen.add(digest)
            (folder / f"p{n}.txt").write_bytes(data)
    stamp_path.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return root


def archive_pages(root: Path) -> list[Path]:
    return sorted(root.rglob("p*.txt"))


# --- measuring --------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    """Seconds per call, ``repeats`` calls, each timed on its own."""
    times: list[float] = []
    gc.collect()
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc/PID/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process; (0, 0) once it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


class TreeSampler:
    """Samples the summed RSS and PSS of a process and all its descendants every 50 ms.

    RSS counts pages the forked workers share with their parent once per process (what ``ps``
    and ``top`` show); PSS divides shared pages among the processes that share them.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        children = _children()
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        rss = pss = alive = 0
        for pid in tree:
            r, p = _memory(pid)
            rss += r
            pss += p
            alive += r > 0
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, alive)
        self.samples += 1

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(SAMPLE_INTERVAL):
                return


@dataclass
class Run:
    """One measured command."""

    wall: float  # seconds, from start to exit
    max_rss: int  # bytes: the largest single process (the command or a descendant it waited for)
    cpu: float  # seconds of CPU (user + system) of the command and the descendants it waited for
    others: float  # CPUs kept busy by other processes of the machine meanwhile, on average
    returncode: int
    output: str
    tree_rss: int = 0  # bytes: the peak of the process tree's summed RSS, sampled
    tree_pss: int = 0
    processes: int = 0
    system: float = 0.0  # seconds of the CPU above spent in the kernel (system calls)


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/stat", "rb") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        guest = sum(fields[8:10])  # already counted in user and nice
        return (sum(fields) - idle - guest) / os.sysconf("SC_CLK_TCK")
    return float("nan")


# A small process that starts the measured commands: a child's peak RSS (ru_maxrss) starts from
# the memory of the process that started it, so they are not started by this (large) one.
_LAUNCHER = """
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    start = time.perf_counter()
    try:
        pid = os.posix_spawnp(req["cmd"][0], req["cmd"], req["env"], file_actions=actions)
    except OSError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        continue
    print(json.dumps({"pid": pid}), flush=True)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    print(json.dumps({
        "wall": wall,
        "returncode": os.waitstatus_to_exitcode(status),
        "max_rss": usage.ru_maxrss * 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "system": usage.ru_stime,
    }), flush=True)
"""


class Launcher:
    """Runs commands one at a time from the small launcher process and measures them."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _reply(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the launcher process ended")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"cannot start the command: {reply['error']}")
        return reply

    def run(
        self, cmd: Sequence[str | Path], *, sample: bool = False, env: dict[str, str] | None = None
    ) -> Run:
        """Run ``cmd`` (output to a temporary file); with ``sample``, sample its tree's memory."""
        assert self.proc.stdin is not None
        fd, log = tempfile.mkstemp(prefix="bench-", suffix=".log")
        os.close(fd)
        try:
            request = {"cmd": [str(c) for c in cmd], "log": log, "env": env or command_env()}
            busy = busy_cpu_seconds()
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            pid = int(self._reply()["pid"])
            sampler = TreeSampler(pid) if sample else None
            with sampler if sampler is not None else contextlib.nullcontext():
                done = self._reply()
            busy = busy_cpu_seconds() - busy
            output = Path(log).read_text(encoding="utf-8", errors="replace")
        finally:
            os.unlink(log)
        wall, cpu = float(done["wall"]), float(done["cpu"])
        others = max(0.0, (busy - cpu) / wall)
        run = Run(wall, int(done["max_rss"]), cpu, others, done["returncode"], output)
        run.system = float(done.get("system", 0.0))
        if sampler is not None:
            run.tree_rss, run.tree_pss = sampler.peak_rss, sampler.peak_pss
            run.processes = sampler.peak_processes
        return run

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


_launcher: Launcher | None = None


def run_command(
    cmd: Sequence[str | Path], *, sample: bool = False, env: dict[str, str] | None = None
) -> Run:
    global _launcher
    if _launcher is None:
        _launcher = Launcher()
    return _launcher.run(cmd, sample=sample, env=env)


def close_launcher() -> None:
    global _launcher
    if _launcher is not None:
        _launcher.close()
        _launcher = None


def command_env(bytecode_cache: bool = True) -> dict[str, str]:
    """The environment of the measured commands.

    With ``bytecode_cache`` (as for an installed package) Python keeps compiled modules, in
    build/bench/pycache, so that a command's time is not the time to compile the converter.
    Without it every run compiles the converter's modules from source.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONPYCACHEPREFIX")}
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


INSTALL = WORK / "venv"  # a regular install of the checkout, as users install it


def _source_digest() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml", *sorted((ROOT / "converter").rglob("*"))]
    files += sorted((ROOT / "schemas").rglob("*"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def user_install() -> Path | None:
    """The bin folder of a regular (non-editable) install of the checkout, made when the
    sources change: the commands are measured as users run them. An editable install adds
    its own import hook to every start (about 10 ms here), which users never pay.
    None, with a message, when it cannot be made (no package index): then the commands of
    the environment running this script are measured."""
    stamp = INSTALL / ".source-digest"
    digest = _source_digest()
    with contextlib.suppress(OSError):
        if stamp.read_text(encoding="utf-8") == digest:
            return INSTALL / "bin"
    shutil.rmtree(INSTALL, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(INSTALL)],
        [str(INSTALL / "bin" / "python"), "-m", "pip", "install", "--quiet", str(ROOT)],
    ]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"  ! no regular install ({proc.stderr.strip()[-200:]}); measuring {ROOT}")
            return None
    stamp.write_text(digest, encoding="utf-8")
    return INSTALL / "bin"


def command_path(name: str) -> str:
    """A command of the regular install, else of the environment running this script, else
    from PATH."""
    installed = user_install()
    for folder in (installed, Path(sys.executable).parent):
        if folder is not None and (folder / name).exists():
            return str(folder / name)
    return shutil.which(name) or name


# --- 1. in-process ----------------------------------------------------------------------------


@dataclass
class PageCase:
    label: str
    name: str
    data: bytes
    meta: Metadata
    repeats: int


@dataclass
class InProcessRow:
    label: str
    lines: int
    kbytes: float
    output_kbytes: float
    ms_per_page: float
    ms_per_1k_lines: float
    floor_ms: float
    ratio_to_floor: float
    times_ms: list[float] = field(default_factory=list)
    floor_times_ms: list[float] = field(default_factory=list)


def seed_meta_values() -> dict[str, Any]:
    return metadata.read_meta_file(SEED_DIR / ISSUE_FILE, metadata.ISSUE_KEYS)


def page_cases(plan: Plan, seed_text: str) -> list[PageCase]:
    cases: list[PageCase] = []
    for page in sorted(SAMPLES.rglob("*.txt")):
        meta_file = page.parent / ISSUE_FILE
        if not meta_file.exists():
            continue
        values = metadata.read_meta_file(meta_file, metadata.ISSUE_KEYS)
        meta = metadata.build({"page": page_number(page)}, values, source=str(meta_file))
        label = "sample " + page.relative_to(SAMPLES).with_suffix("").as_posix()
        cases.append(PageCase(label, page.name, page.read_bytes(), meta, plan.small_repeats))
    seed_meta = metadata.build({"page": "1"}, seed_meta_values())
    variants = Variants(seed_text, RANDOM_SEED + 1, division_owners(seed_text))
    first = 0
    for copies, repeats in (
        (1, plan.small_repeats),
        (10, plan.medium_repeats),
        (100, plan.large_repeats),
    ):
        data = variants.page(first, copies).encode("utf-8")
        first += copies
        cases.append(
            PageCase(f"generated {copies}× seed", f"g{copies}.txt", data, seed_meta, repeats)
        )
    return cases


def floor(data: bytes) -> bytes:
    """What any TEI tool must at least do with the document: parse it and write it."""
    root = etree.fromstring(data)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def measure_in_process(cases: list[PageCase]) -> tuple[list[InProcessRow], float]:
    options = Options()
    start = time.perf_counter()
    convert_bytes(cases[0].data, cases[0].name, cases[0].meta, options)  # loads profile, schema
    cold = time.perf_counter() - start
    rows: list[InProcessRow] = []
    for case in cases:
        result = convert_bytes(case.data, case.name, case.meta, options)  # warm this size up

        def convert(case: PageCase = case) -> None:
            convert_bytes(case.data, case.name, case.meta, options)

        def parse_and_write(data: bytes = result.data) -> None:
            floor(data)

        times = timed(convert, case.repeats)
        floor(result.data)
        floor_times = timed(parse_and_write, max(case.repeats, 5))
        lines = line_count(case.data)
        ms = median(times) * 1000
        floor_ms = median(floor_times) * 1000
        rows.append(
            InProcessRow(
                case.label,
                lines,
                len(case.data) / 1024,
                len(result.data) / 1024,
                ms,
                ms / lines * 1000,
                floor_ms,
                ms / floor_ms,
                [t * 1000 for t in times],
                [t * 1000 for t in floor_times],
            )
        )
        print(f"  {case.label}: {ms:.1f} ms/page ({case.repeats} runs)", flush=True)
    return rows, cold


# --- 2. archive -------------------------------------------------------------------------------


@dataclass
class ArchiveRow:
    pages: int
    jobs: int
    runs: int
    wall_s: float
    pages_per_s: float
    cpu_per_wall: float  # CPUs the run kept busy: 1 for -j 1, up to 2 for -j 2
    kernel_per_wall: float  # of those, CPUs in the kernel (making and writing the files)
    others: float  # CPUs other processes of the machine kept busy meanwhile
    tree_rss_mb: float
    tree_pss_mb: float
    largest_process_mb: float
    processes: int
    converted_pages: int
    failed_issues: int
    articles: int
    walls_s: list[float] = field(default_factory=list)
    tree_rss_mbs: list[float] = field(default_factory=list)


def measure_archive(
    source: Path, pages: int, jobs: int, repeats: int, label: str = "archive"
) -> ArchiveRow:
    tool = command_path("newspaper-tei")
    out = RUNS / f"{label}-{pages}-j{jobs}"
    runs: list[Run] = []
    counts = (pages, 0, 0)
    for _ in range(repeats):
        if out.exists():
            shutil.rmtree(out)
        run = run_command([tool, "archive", source, out, "-j", str(jobs), "--force"], sample=True)
        m = _SUMMARY.search(run.output)
        if m is None or run.returncode != 0:
            tail = run.output.strip().splitlines()[-3:]
            print(f"  ! {label} exited {run.returncode}: {' | '.join(tail)}", flush=True)
        if m is not None:
            counts = (int(m.group(5)), int(m.group(4)), int(m.group(6)))
        runs.append(run)
        print(
            f"  {label} {pages} pages -j {jobs}: {run.wall:.1f} s, "
            f"{counts[0] / run.wall:.0f} pages/s, CPU/wall {run.cpu / run.wall:.2f} "
            f"(kernel {run.system / run.wall:.2f}) "
            f"(others {run.others:.2f}), "
            f"tree RSS {run.tree_rss / MB:.0f} MB",
            flush=True,
        )
    shutil.rmtree(out, ignore_errors=True)
    wall = median([r.wall for r in runs])
    return ArchiveRow(
        pages=pages,
        jobs=jobs,
        runs=repeats,
        wall_s=wall,
        pages_per_s=counts[0] / wall,
        cpu_per_wall=median([r.cpu / r.wall for r in runs]),
        kernel_per_wall=median([r.system / r.wall for r in runs]),
        others=median([r.others for r in runs]),
        tree_rss_mb=median([r.tree_rss for r in runs]) / MB,
        tree_pss_mb=median([r.tree_pss for r in runs]) / MB,
        largest_process_mb=max(r.max_rss for r in runs) / MB,
        processes=max(r.processes for r in runs),
        converted_pages=counts[0],
        failed_issues=counts[1],
        articles=counts[2],
        walls_s=[r.wall for r in runs],
        tree_rss_mbs=[r.tree_rss / MB for r in runs],
    )


# --- 3. the command line ----------------------------------------------------------------------


@dataclass
class CommandRow:
    label: str
    runs: int
    wall_ms: float
    max_rss_mb: float
    others: float
    walls_ms: list[float] = field(default_factory=list)


def measure_command(
    label: str, cmd: Sequence[str | Path], repeats: int, env: dict[str, str] | None = None
) -> CommandRow:
    run_command(cmd, env=env)  # once unmeasured: files in the page cache, bytecode compiled
    runs = [run_command(cmd, env=env) for _ in range(repeats)]
    failed = [r for r in runs if r.returncode != 0]
    if failed:
        print(f"  ! {label} exited {failed[0].returncode}: {failed[0].output.strip()[-200:]}")
    walls = [r.wall * 1000 for r in runs]
    rss = median([r.max_rss for r in runs]) / MB
    return CommandRow(label, repeats, median(walls), rss, median([r.others for r in runs]), walls)


def import_time_ms(repeats: int) -> tuple[float, list[tuple[str, float]]]:
    """``import converter.cli`` from ``-X importtime``: total ms and the heaviest imports."""
    totals: list[float] = []
    heaviest: list[tuple[str, float]] = []
    for _ in range(repeats + 1):
        proc = subprocess.run(
            [command_path("python"), "-X", "importtime", "-c", "import converter.cli"],
            cwd=WORK,  # not the checkout, whose converter/ would be imported instead
            capture_output=True,
            text=True,
            check=False,
            env=command_env(),
        )
        # Children are listed before their parent, indented one level (two spaces) deeper.
        total = 0.0
        children: list[tuple[str, float]] = []
        pending: list[tuple[str, float]] = []
        for line in proc.stderr.splitlines():
            parts = line.split("|")
            if len(parts) != 3 or not parts[1].strip().isdigit():
                continue
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
            cumulative = int(parts[1]) / 1000
            if depth == 1:
                pending.append((name.strip(), cumulative))
            elif depth == 0:
                if name.strip().split(".")[0] == "converter":
                    total += cumulative
                    children += pending
                pending = []
        totals.append(total)
        heaviest = sorted(children, key=lambda e: -e[1])[:6]
    return median(totals[1:]), heaviest


def big_inputs(seed_text: str) -> list[tuple[str, Path]]:
    """Pages far beyond a real page: 10 MB, one line of 1 MB, 200,000 lines (made once)."""
    folder = WORK / "big"  # made once, reused by later runs
    folder.mkdir(parents=True, exist_ok=True)
    one_line = "".join(seed_text.split())
    cases = {
        "10mb-page.txt": seed_text * (10_000_000 // len(seed_text.encode("utf-8")) + 1),
        "1mb-line.txt": (one_line * (1_000_000 // len(one_line.encode("utf-8")) + 1)) + "\n",
        "200k-lines.txt": "".join(f"第{i}行，正文。\n" for i in range(200_000)),
    }
    out = []
    for name, text in cases.items():
        path = folder / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
        size = path.stat().st_size / MB
        out.append((f"newspaper-tei convert {name} ({size:.1f} MB)", path))
    return out


def measure_commands(plan: Plan, have_pandoc: bool) -> list[CommandRow]:
    tool = command_path("newspaper-tei")
    convert: list[str | Path] = [tool, "convert", SEED_PAGE, "--meta", SEED_DIR / ISSUE_FILE]
    convert += ["--page", "1", "-o", RUNS / "p1.xml"]
    repeats = plan.command_repeats
    commands = [
        measure_command("newspaper-tei convert (seed page)", convert, repeats),
        measure_command(
            "  the same, modules compiled every run",
            convert,
            repeats,
            env=command_env(bytecode_cache=False),
        ),
        measure_command("newspaper-tei --version", [tool, "--version"], repeats),
        measure_command(
            "python -c pass (interpreter alone)", [command_path("python"), "-c", "pass"], repeats
        ),
    ]
    if have_pandoc:
        pandoc = pandoc_command(SEED_PAGE, RUNS / "pandoc-p1.xml")
        commands.append(measure_command("pandoc -f markdown -t tei (seed page)", pandoc, repeats))
    # Inputs far beyond a real page: time should grow linearly, memory stay a small
    # multiple of the input.
    for label, path in big_inputs(SEED_PAGE.read_text(encoding="utf-8")):
        cmd: list[str | Path] = [tool, "convert", path, "--lang", "zh-Hans", "-o", RUNS / "big.xml"]
        commands.append(measure_command(label, cmd, 1))
    for c in commands:
        print(f"  {c.label.strip()}: {c.wall_ms:.0f} ms, {c.max_rss_mb:.0f} MB", flush=True)
    return commands


# --- 4. pandoc --------------------------------------------------------------------------------


def pandoc_command(page: Path, out: Path) -> list[str | Path]:
    return ["pandoc", "-f", "markdown", "-t", "tei", "-o", out, page]


@dataclass
class PandocArchiveRow:
    pages: int
    parallel: int
    runs: int
    wall_s: float
    pages_per_s: float
    cpu_per_wall: float
    others: float
    walls_s: list[float] = field(default_factory=list)


def measure_pandoc_archive(pages: list[Path], parallel: int, repeats: int) -> PandocArchiveRow:
    out = RUNS / f"pandoc-{len(pages)}-p{parallel}"
    walls: list[float] = []
    busy: list[float] = []
    others: list[float] = []

    def one(item: tuple[int, Path]) -> int:
        i, page = item
        cmd = [str(c) for c in pandoc_command(page, out / f"{i:05d}.xml")]
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, check=False).returncode

    for _ in range(repeats):
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        machine_busy = busy_cpu_seconds()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            codes = list(pool.map(one, enumerate(pages)))
        walls.append(time.perf_counter() - start)
        machine_busy = busy_cpu_seconds() - machine_busy
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        busy.append(cpu / walls[-1])
        others.append(max(0.0, (machine_busy - cpu) / walls[-1]))
        bad = sum(1 for c in codes if c != 0)
        if bad:
            print(f"  ! pandoc failed on {bad} of {len(pages)} pages", flush=True)
        print(
            f"  pandoc {len(pages)} pages, {parallel} at a time: {walls[-1]:.1f} s, "
            f"{len(pages) / walls[-1]:.0f} pages/s, CPU/wall {busy[-1]:.2f} "
            f"(others {others[-1]:.2f})",
            flush=True,
        )
    shutil.rmtree(out, ignore_errors=True)
    wall = median(walls)
    return PandocArchiveRow(
        len(pages), parallel, repeats, wall, len(pages) / wall, median(busy), median(others), walls
    )


# --- 5. profile -------------------------------------------------------------------------------


def profile_seed(runs: int) -> str:
    values = seed_meta_values()
    meta = metadata.build({"page": "1"}, values)
    data = SEED_PAGE.read_bytes()
    options = Options()
    convert_bytes(data, SEED_PAGE.name, meta, options)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        convert_bytes(data, SEED_PAGE.name, meta, options)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(15)
    text = re.sub(r"\n\s*(Ordered by|List reduced)[^\n]*", "", stream.getvalue())
    for prefix in sorted({str(ROOT) + "/", *(p + "/" for p in sys.path if p)}, key=len)[::-1]:
        text = text.replace(prefix, "")
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines() if line.strip())


# --- 6. ALTO ---------------------------------------------------------------------------------


@dataclass
class AltoPageRow:
    label: str
    text_lines: int  # TextLine elements of the page
    kbytes: float
    output_kbytes: float
    ms_per_page: float
    floor_ms: float  # lxml parsing and serialising the ALTO file itself
    ratio_to_floor: float
    times_ms: list[float] = field(default_factory=list)
    floor_times_ms: list[float] = field(default_factory=list)


def alto_floor(data: bytes) -> bytes:
    """What any tool reading the ALTO page must at least do: parse it and write it."""
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def measure_alto_page(page: Path, repeats: int) -> AltoPageRow:
    data = page.read_bytes()
    meta = metadata.build({"page": "1"}, ALTO_META)
    options = Options()
    result = convert_bytes(data, page.name, meta, options)  # warm up: profile, schema
    times = timed(lambda: convert_bytes(data, page.name, meta, options), repeats)
    alto_floor(data)
    floor_times = timed(lambda: alto_floor(data), max(repeats, 5))
    ms, floor_ms = median(times) * 1000, median(floor_times) * 1000
    row = AltoPageRow(
        f"ALTO {page.name}",
        data.count(b"<TextLine"),
        len(data) / 1024,
        len(result.data) / 1024,
        ms,
        floor_ms,
        ms / floor_ms,
        [t * 1000 for t in times],
        [t * 1000 for t in floor_times],
    )
    print(
        f"  {row.label}: {ms:.0f} ms/page, ALTO parse + serialise {floor_ms:.0f} ms "
        f"({row.ratio_to_floor:.1f}×; {repeats} runs)",
        flush=True,
    )
    return row


def generate_alto_archive(pages: int, page: Path) -> Path:
    """An archive of ``pages`` copies of one ALTO page in issue folders of PAGES_PER_ISSUE,
    made once and reused (a stamp written last records how)."""
    data = page.read_bytes()
    suffix = ".xml"
    root = ARCHIVES / f"alto-{pages}"
    stamp_path = root / ".generated.json"
    stamp = {
        "generator": GENERATOR_VERSION,
        "alto_sha256": hashlib.sha256(data).hexdigest(),
        "pages": pages,
        "pages_per_issue": PAGES_PER_ISSUE,
        "suffix": suffix,
    }
    with contextlib.suppress(OSError, ValueError):
        if json.loads(stamp_path.read_text(encoding="utf-8")) == stamp:
            return root
    if root.exists():
        shutil.rmtree(root)
    issues = (pages + PAGES_PER_ISSUE - 1) // PAGES_PER_ISSUE
    for issue in range(issues):
        date = FIRST_ISSUE_DATE + dt.timedelta(days=issue)
        folder = root / "evening-star-bench" / f"{date:%Y}" / f"{date:%m-%d}"
        folder.mkdir(parents=True)
        meta = {**ALTO_META, "date": date, "number": str(issue + 1)}
        (folder / ISSUE_FILE).write_text(
            "".join(f"{key} = {toml_value(value)}\n" for key, value in meta.items()),
            encoding="utf-8",
        )
        for n in range(1, min(PAGES_PER_ISSUE, pages - issue * PAGES_PER_ISSUE) + 1):
            (folder / f"p{n}{suffix}").write_bytes(data)
    stamp_path.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return root


def measure_alto(plan: Plan) -> tuple[AltoPageRow, list[ArchiveRow]]:
    # In a process of its own: the bench's own heap, grown over the sections before, slows
    # the conversion it times (a process holding 2 million small objects converts the page
    # ~1.5× slower), and the row is of the converter, not of the harness.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        page_row = pool.submit(measure_alto_page, ALTO_PAGE, plan.alto_repeats).result()
    rows: list[ArchiveRow] = []
    for n in plan.alto_archive_sizes:
        t = time.perf_counter()
        source = generate_alto_archive(n, ALTO_PAGE)
        took = time.perf_counter() - t
        print(f"  {n:,} ALTO pages: {source.relative_to(ROOT)} ({took:.1f} s)", flush=True)
        rows.extend(
            measure_archive(source, n, jobs, 1, label="archive-alto") for jobs in plan.alto_jobs
        )
    return page_row, rows


# --- the HTML view ----------------------------------------------------------------------------


@dataclass
class ViewRow:
    """Opening the view of a page of about 1,000 lines (the ALTO page) in headless Chromium."""

    lines: int
    html_kb: float
    render_ms: float  # TEI → HTML, in process
    open_ms: float  # median: from the browser's navigation to the first frame of the view drawn
    load_event_ms: float  # median: the browser's own load event, from its navigation start
    runs: list[float]
    skipped: str | None = None


VIEW_TARGET_MS = 1000.0  # target: the view of a 1,000-line page opens in under a second


def measure_view(repeats: int = 5) -> ViewRow:
    """Convert the ALTO page, render its view, and open it ``repeats`` times in Chromium
    (a fresh tab each time, after one warm-up load)."""
    sys.path.insert(0, str(ROOT))  # the browser helper of the tests
    from selenium.webdriver.support.ui import WebDriverWait

    from converter.view import build_view, parse_tei
    from converter.write.html_view import render_view
    from tests import browser

    data = ALTO_PAGE.read_bytes()
    tei = convert_bytes(data, ALTO_PAGE.name, metadata.build({"page": "1"}, ALTO_META), Options())
    root = parse_tei(tei.data, ALTO_PAGE.name)
    view = build_view(root)
    render_view(view)  # warm up: the templates
    times = timed(lambda: render_view(build_view(parse_tei(tei.data, ALTO_PAGE.name))), 3)
    html = render_view(view)
    page = WORK / "view" / "page-1000-lines.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(html)
    lines, size, render_ms = view.line_count, len(html) / 1024, median(times) * 1000
    why = browser.missing()
    if why is not None:
        print(f"  view: browser rows skipped: {why}", flush=True)
        return ViewRow(lines, size, render_ms, 0.0, 0.0, [], skipped=why)
    opened: list[float] = []
    loads: list[float] = []
    with browser.chromium() as driver:
        browser.open_view(driver, page)  # warm up: the browser's own start
        for _ in range(repeats):
            driver.get("about:blank")
            browser.open_view(driver, page)
            shown = WebDriverWait(driver, 30).until(
                lambda d: d.execute_script("return document.body.dataset.shownAt")
            )
            load = driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].loadEventEnd"
            )
            opened.append(float(shown))
            loads.append(float(load))
    row = ViewRow(lines, size, render_ms, median(opened), median(loads), opened)
    print(
        f"  view of {lines:,} lines ({size:.0f} KB): rendered in {render_ms:.0f} ms, opened in "
        f"{row.open_ms:.0f} ms (load event {row.load_event_ms:.0f} ms; {repeats} runs)",
        flush=True,
    )
    return row


def print_view_table(row: ViewRow) -> None:
    section("7. HTML view of a 1,000-line page")
    if row.skipped is not None:
        print(f"browser rows skipped: {row.skipped}")
    cells = [
        f"{row.lines:,}",
        f"{row.html_kb:.0f}",
        f"{row.render_ms:.0f}",
        f"{row.open_ms:.0f}" if row.skipped is None else "–",
        f"{row.load_event_ms:.0f}" if row.skipped is None else "–",
        verdict(row.open_ms < VIEW_TARGET_MS if row.skipped is None else None),
    ]
    headers = ["lines", "HTML KB", "render ms", "open ms", "load event ms", "< 1 s"]
    print(table(headers, [cells], left=0))


# --- report -----------------------------------------------------------------------------------


# --- 7. Dask ------------------------------------------------------------------------------------

PROJECTED_PAGES = 20_000_000  # Chronicling America holds over 20 million pages
PROJECTED_WORKERS = (1, 2, 16, 64, 256)
_RATE = re.compile(r"; ([0-9.]+) s \(([0-9.]+) pages/s\)")


@dataclass
class DaskRow:
    """``archive --scheduler local:N`` against ``-j N`` over the same archive, in turns."""

    pages: int
    workers: int
    runs: int
    dask_pages_per_s: float  # as the run reports it: converting, the cluster's start aside
    pool_pages_per_s: float
    dask_wall_s: float  # the whole command: the cluster's start and stop included
    pool_wall_s: float
    others: float
    projected_hours: dict[int, float]  # workers → hours for PROJECTED_PAGES, at this rate each


def dask_command() -> str | None:
    """The newspaper-tei of an environment that has dask.distributed: the regular install's,
    else this script's (the dev extra has it); None when neither has."""
    for folder in (user_install(), Path(sys.executable).parent):
        if folder is None or not (folder / "newspaper-tei").exists():
            continue
        check = [str(folder / "python"), "-c", "import distributed"]
        if subprocess.run(check, capture_output=True, check=False).returncode == 0:
            return str(folder / "newspaper-tei")
    return None


def measure_dask(source: Path, pages: int, repeats: int, workers: int = 2) -> DaskRow | None:
    """Pages/s of ``--scheduler local:N`` and ``-j N`` from the same command, one after the
    other, and the time 20 million pages would take at the cluster's rate per worker, for some
    numbers of workers (each on a core of its own, the file system keeping up)."""
    tool = dask_command()
    if tool is None:
        print("  dask.distributed is not installed: pip install 'newspaper-tei[dask]'")
        return None
    ways = {"dask": ["--scheduler", f"local:{workers}"], "pool": ["-j", str(workers)]}
    rates: dict[str, list[float]] = {way: [] for way in ways}
    walls: dict[str, list[float]] = {way: [] for way in ways}
    others: list[float] = []
    for _ in range(repeats):
        for way, option in ways.items():
            out = RUNS / f"dask-{pages}-{way}"
            shutil.rmtree(out, ignore_errors=True)
            run = run_command([tool, "archive", source, out, *option, "--force"])
            shutil.rmtree(out, ignore_errors=True)
            m = _RATE.search(run.output)
            if m is None or run.returncode != 0:
                tail = " | ".join(run.output.strip().splitlines()[-3:])
                print(f"  ! archive {' '.join(option)} exited {run.returncode}: {tail}")
                return None
            rates[way].append(float(m.group(2)))
            walls[way].append(run.wall)
            others.append(run.others)
            print(
                f"  archive {pages} pages {' '.join(option)}: {m.group(2)} pages/s "
                f"(wall {run.wall:.1f} s, others {run.others:.2f})",
                flush=True,
            )
    rate = median(rates["dask"])
    per_worker = rate / workers
    return DaskRow(
        pages=pages,
        workers=workers,
        runs=repeats,
        dask_pages_per_s=rate,
        pool_pages_per_s=median(rates["pool"]),
        dask_wall_s=median(walls["dask"]),
        pool_wall_s=median(walls["pool"]),
        others=median(others),
        projected_hours={
            w: PROJECTED_PAGES / (per_worker * w) / 3600 for w in PROJECTED_WORKERS if per_worker
        },
    )


def print_dask(row: DaskRow | None) -> None:
    print("\n7. archive on a Dask LocalCluster against the local pool (same archive, in turns)")
    if row is None:
        print("skipped: dask.distributed is not installed (pip install 'newspaper-tei[dask]')")
        return
    n = row.workers
    headers = ["pages", "runs", f"local:{n} pages/s", f"-j {n} pages/s", "÷ pool"]
    headers += ["wall s (local / pool)", "others"]
    ratio = row.dask_pages_per_s / row.pool_pages_per_s if row.pool_pages_per_s else 0.0
    walls = f"{row.dask_wall_s:.1f} / {row.pool_wall_s:.1f}"
    values = [f"{row.pages:,}", str(row.runs), f"{row.dask_pages_per_s:.0f}"]
    values += [f"{row.pool_pages_per_s:.0f}", f"{ratio:.2f}×", walls, f"{row.others:.2f}"]
    print(table(headers, [values]))
    per_worker = row.dask_pages_per_s / n
    print(
        f"measured: {row.dask_pages_per_s:.0f} pages/s on {n} workers = {per_worker:.0f} pages/s "
        f"per worker (pages/s as the run reports it; the wall adds the cluster's start and stop)"
    )
    projection = ", ".join(
        f"{w} worker{'s' if w > 1 else ''} {_duration(hours)}"
        for w, hours in row.projected_hours.items()
    )
    print(
        f"projected for {PROJECTED_PAGES / 1e6:.0f} million pages at {per_worker:.0f} pages/s "
        f"per worker added: {projection}"
    )


def _duration(hours: float) -> str:
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} h"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table: the first ``left`` columns left-aligned, the others right-aligned."""
    widths = [max(len(x) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def load_average() -> float:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return float(Path("/proc/loadavg").read_text().split()[0])
    return float("nan")


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    pandoc = shutil.which("pandoc")
    pandoc_version = None
    if pandoc:
        out = subprocess.run([pandoc, "--version"], capture_output=True, text=True, check=False)
        pandoc_version = (out.stdout.splitlines() or [""])[0]
    commit = ""
    with contextlib.suppress(OSError):
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "lxml": ".".join(map(str, etree.LXML_VERSION)),
        "newspaper_tei": __version__,
        "commit": commit or None,
        "pandoc": pandoc_version,
        "outputs": str(RUNS),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


@dataclass
class Measurements:
    plan: Plan
    in_process: list[InProcessRow]
    cold_ms: float
    archive: list[ArchiveRow]
    commands: list[CommandRow]
    import_ms: float
    heaviest_imports: list[tuple[str, float]]
    pandoc: list[PandocArchiveRow]
    alto_page: AltoPageRow | None = None
    alto_archive: list[ArchiveRow] = field(default_factory=list)

    def arch(self, pages: int, jobs: int) -> ArchiveRow:
        return next(r for r in self.archive if r.pages == pages and r.jobs == jobs)

    def command(self, prefix: str) -> CommandRow | None:
        return next((c for c in self.commands if c.label.startswith(prefix)), None)

    def page(self, label: str) -> InProcessRow:
        return next(r for r in self.in_process if label in r.label)


def print_tables(m: Measurements) -> None:
    print(
        "\n1. In-process convert_bytes (convert + validate + serialise), median; "
        "floor = lxml parse + serialise of the same TEI"
    )
    headers = ["page", "lines", "in KB", "out KB", "ms/page", "ms/1k lines", "floor ms", "÷ floor"]
    rows = [
        [
            r.label,
            f"{r.lines:,}",
            f"{r.kbytes:,.0f}",
            f"{r.output_kbytes:,.0f}",
            f"{r.ms_per_page:,.1f}",
            f"{r.ms_per_1k_lines:.2f}",
            f"{r.floor_ms:.2f}",
            f"{r.ratio_to_floor:.1f}×",
        ]
        for r in m.in_process
    ]
    print(
        table(
            [*headers, "runs"],
            [[*row, str(len(r.times_ms))] for row, r in zip(rows, m.in_process, strict=True)],
        )
    )
    print(f"first call in a process (profile and schema loaded): {m.cold_ms:.0f} ms")

    print(
        "\n2. newspaper-tei archive SRC OUT -j N --force (fresh OUT), median; memory: peak of the "
        f"process tree, sampled every {SAMPLE_INTERVAL * 1000:.0f} ms"
    )
    headers = ["pages", "-j", "runs", "wall s", "pages/s", "÷ -j1", "CPU/wall", "kernel/wall"]
    headers += ["others"]
    headers += ["tree RSS MB"]
    headers += ["tree PSS MB", "largest proc MB", "procs", "failed issues"]
    rows = [
        [
            f"{r.pages:,}",
            str(r.jobs),
            str(r.runs),
            f"{r.wall_s:.1f}",
            f"{r.pages_per_s:.0f}",
            f"{r.pages_per_s / m.arch(r.pages, 1).pages_per_s:.2f}×" if r.jobs > 1 else "",
            f"{r.cpu_per_wall:.2f}",
            f"{r.kernel_per_wall:.2f}",
            f"{r.others:.2f}",
            f"{r.tree_rss_mb:.0f}",
            f"{r.tree_pss_mb:.0f}",
            f"{r.largest_process_mb:.0f}",
            str(r.processes),
            str(r.failed_issues),
        ]
        for r in m.archive
    ]
    print(table(headers, rows))

    print(
        "CPU/wall: CPUs the archive kept busy (its workers included); kernel/wall: of those, "
        "CPUs in the kernel for it (making and writing its files: on a file system that has "
        "made and removed many files this grows, whatever the converter does); others: CPUs "
        "other processes of the machine kept busy meanwhile"
    )

    print("\n3. Commands (median wall; peak RSS of the process)")
    rows = [
        [c.label, str(c.runs), f"{c.wall_ms:.0f}", f"{c.max_rss_mb:.0f}", f"{c.others:.2f}"]
        for c in m.commands
    ]
    print(table(["command", "runs", "wall ms", "peak RSS MB", "others"], rows))
    print(
        f"import converter.cli (-X importtime): {m.import_ms:.0f} ms; heaviest: "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in m.heaviest_imports)
    )

    print("\n4. pandoc -f markdown -t tei, one process per file (the first pages of the archive)")
    if m.pandoc:
        rows = [
            [
                f"{r.pages:,}",
                str(r.parallel),
                str(r.runs),
                f"{r.wall_s:.1f}",
                f"{r.pages_per_s:.0f}",
                f"{r.cpu_per_wall:.2f}",
                f"{r.others:.2f}",
            ]
            for r in m.pandoc
        ]
        headers = ["pages", "at a time", "runs", "wall s", "pages/s", "CPU/wall", "others"]
        print(table(headers, rows))
    else:
        print("skipped: pandoc is not installed (apt-get install pandoc)")
    print_alto_tables(m)


def print_alto_tables(m: Measurements) -> None:
    if m.alto_page is None:
        return
    r = m.alto_page
    print(
        "\n6. ALTO: convert_bytes of one page, median; floor = lxml parse + serialise of the "
        "same ALTO file"
    )
    headers = ["page", "TextLines", "in KB", "out KB", "ms/page", "floor ms", "÷ floor", "runs"]
    row = [
        r.label,
        f"{r.text_lines:,}",
        f"{r.kbytes:,.0f}",
        f"{r.output_kbytes:,.0f}",
        f"{r.ms_per_page:,.0f}",
        f"{r.floor_ms:,.1f}",
        f"{r.ratio_to_floor:.1f}×",
        str(len(r.times_ms)),
    ]
    print(table(headers, [row]))
    print(
        "\n   newspaper-tei archive of copies of that page, issues of "
        f"{PAGES_PER_ISSUE} pages (one run each); pages/s counts the pages given, read and "
        "analysed also where their issue then failed"
    )
    headers = ["pages", "-j", "wall s", "pages/s", "CPU/wall", "tree RSS MB", "tree PSS MB"]
    headers += ["largest proc MB", "failed issues"]
    rows = [
        [
            f"{a.pages:,}",
            str(a.jobs),
            f"{a.wall_s:.1f}",
            f"{a.pages / a.wall_s:.2f}",
            f"{a.cpu_per_wall:.2f}",
            f"{a.tree_rss_mb:.0f}",
            f"{a.tree_pss_mb:.0f}",
            f"{a.largest_process_mb:.0f}",
            str(a.failed_issues),
        ]
        for a in m.alto_archive
    ]
    print(table(headers, rows))


Ratio = tuple[str, str, str, bool | None]  # measure, value, target, met (None: no verdict)


def ratio_text(value: float | None) -> str:
    return "n/a (no pandoc)" if value is None else f"{value:.2f}×"


def ratios(m: Measurements) -> list[Ratio]:
    small, large = min(m.plan.archive_sizes), max(m.plan.archive_sizes)
    at = f"{large:,} pages" + (", quick" if m.plan.quick else "")
    j1_small, j1, j2 = m.arch(small, 1), m.arch(large, 1), m.arch(large, 2)
    pandoc_seq = next((r for r in m.pandoc if r.parallel == 1), None)
    pandoc_par = next((r for r in m.pandoc if r.parallel == 2), None)
    convert = m.command("newspaper-tei convert")
    pandoc_seed = m.command("pandoc")
    seed = m.page("jiaozuo-daily/2016-12-11/p1")

    vs_pandoc = j1_small.pages_per_s / pandoc_seq.pages_per_s if pandoc_seq else None
    par_vs_pandoc = m.arch(small, 2).pages_per_s / pandoc_par.pages_per_s if pandoc_par else None
    wall_vs_pandoc = (
        convert.wall_ms / pandoc_seed.wall_ms if convert is not None and pandoc_seed else None
    )
    scaling = j2.pages_per_s / j1.pages_per_s
    peak = max(j1.tree_rss_mb, j2.tree_rss_mb)
    growth = {
        jobs: (m.arch(small, jobs).tree_rss_mb, m.arch(large, jobs).tree_rss_mb) for jobs in (1, 2)
    }
    flat = all(after <= (1 + FLAT_GROWTH) * before for before, after in growth.values())
    growth_text = ", ".join(
        f"-j{jobs} {before:.1f} → {after:.1f} MB ({after / before - 1:+.1%})"
        for jobs, (before, after) in growth.items()
    )
    linear = m.page("generated 100×").ms_per_1k_lines / m.page("generated 1×").ms_per_1k_lines
    return [
        (
            f"archive -j1 pages/s ÷ pandoc pages/s ({small} pages)",
            ratio_text(vs_pandoc),
            "≥ 5×",
            None if vs_pandoc is None else vs_pandoc >= 5,
        ),
        (f"archive -j1 pages/s ({at})", f"{j1.pages_per_s:.0f}", "≥ 150", j1.pages_per_s >= 150),
        (f"archive -j2 ÷ -j1 pages/s ({at})", f"{scaling:.2f}×", "≥ 1.7×", scaling >= 1.7),
        (f"peak tree RSS, larger of -j1 and -j2 ({at})", f"{peak:.0f} MB", "< 200 MB", peak < 200),
        (f"peak tree RSS {small} → {at}", growth_text, f"flat (≤ {FLAT_GROWTH:+.0%})", flat),
        (
            "convert wall ÷ pandoc wall (seed page, one process)",
            ratio_text(wall_vs_pandoc),
            "-",
            None,
        ),
        ("in-process per page ÷ floor (seed page)", f"{seed.ratio_to_floor:.1f}×", "-", None),
        (
            "ms per 1k lines, 100× page ÷ 1× page",
            f"{linear:.2f}×",
            f"linear (≤ {1 + LINEAR_SLACK:.2f}×)",
            linear <= 1 + LINEAR_SLACK,
        ),
        (
            f"archive -j2 ÷ pandoc 2 at a time ({small} pages)",
            ratio_text(par_vs_pandoc),
            "-",
            None,
        ),
        *alto_ratios(m),
    ]


def alto_ratios(m: Measurements) -> list[Ratio]:
    if m.alto_page is None:
        return []
    page = m.alto_page
    items: list[Ratio] = [
        (
            f"ALTO convert ÷ lxml parse + serialise of the ALTO ({page.kbytes / 1024:.1f} MB)",
            f"{page.ratio_to_floor:.1f}×",
            f"≤ {ALTO_FLOOR_RATIO:g}×",
            page.ratio_to_floor <= ALTO_FLOOR_RATIO,
        )
    ]
    sizes = sorted({a.pages for a in m.alto_archive})
    for jobs in sorted({a.jobs for a in m.alto_archive}):
        by_size = {a.pages: a for a in m.alto_archive if a.jobs == jobs}
        small, large = by_size[sizes[0]], by_size[sizes[-1]]
        items.append(
            (
                f"ALTO archive -j{jobs} pages/s ({large.pages} pages given)",
                f"{large.pages / large.wall_s:.2f}",
                "-",
                None,
            )
        )
        if len(sizes) > 1:
            growth = large.tree_rss_mb / small.tree_rss_mb - 1
            items.append(
                (
                    f"ALTO archive -j{jobs} peak tree RSS {small.pages} → {large.pages} pages",
                    f"{small.tree_rss_mb:.0f} → {large.tree_rss_mb:.0f} MB ({growth:+.1%})",
                    f"flat (≤ {FLAT_GROWTH:+.0%})",
                    growth <= FLAT_GROWTH,
                )
            )
    failed = sum(a.failed_issues for a in m.alto_archive)
    if failed:
        items.append(("ALTO archive failed issues", str(failed), "0", False))
    return items


def print_ratios(m: Measurements, items: list[Ratio]) -> None:
    print("\nRatios and targets (reported, not asserted)")
    rows = [
        [measure, value, target, "-" if ok is None and target[0] in "≈-" else verdict(ok)]
        for measure, value, target, ok in items
    ]
    print(table(["measure", "value", "target", "verdict"], rows, left=4))
    busy = [f"archive {r.pages:,} pages -j{r.jobs}" for r in m.archive if r.others >= BUSY]
    busy += [f"pandoc {r.pages} pages {r.parallel} at a time" for r in m.pandoc if r.others >= BUSY]
    busy += [f"ALTO archive {r.pages} pages -j{r.jobs}" for r in m.alto_archive if r.others >= BUSY]
    if busy:
        print(
            f"note: other processes kept {BUSY:.2f} CPUs or more busy during: {', '.join(busy)}; "
            "those rows understate what this machine can do"
        )


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "missed")


# --- main -------------------------------------------------------------------------------------


def announce(plan: Plan, info: dict[str, Any]) -> None:
    sizes = ", ".join(f"{n:,}" for n in plan.archive_sizes)
    missing = [
        n for n in plan.archive_sizes if not (ARCHIVES / f"pages-{n}" / ".generated.json").exists()
    ]
    print(f"newspaper-tei {__version__} benchmark ({'quick' if plan.quick else 'full'} run)")
    print(
        f"machine: {info['cpus']} cores, {info['cpu'] or 'unknown CPU'}; Python {info['python']}, "
        f"lxml {info['lxml']}; {info['pandoc'] or 'pandoc not installed (its rows are skipped)'}; "
        f"load average {load_average():.2f}"
    )
    print(
        "measures:\n"
        "  1. convert_bytes in-process on the sample pages and on pages 1×, 10×, 100× the seed;\n"
        f"  2. `archive` of {sizes} generated pages at -j 1 and -j 2: pages/s, peak memory;\n"
        "  3. `convert` of the seed page as a command; start-up (--version, -X importtime);\n"
        f"  4. baselines: pandoc on the seed page and on {plan.pandoc_pages} pages one process "
        "per file; the lxml floor;\n"
        f"  5. a cProfile of {plan.profile_runs} conversions of the seed page;\n"
        f"  6. ALTO: convert of {ALTO_PAGE.name} against lxml's parse and serialise of it; "
        f"`archive` of {', '.join(map(str, plan.alto_archive_sizes))} copies of it;\n"
        "  7. `archive --scheduler local:2` against `-j 2` (1,000 pages), and the projection "
        f"for {PROJECTED_PAGES // 1_000_000} million pages."
    )
    estimate = "about 1 minute" if plan.quick else "about 4 minutes"
    if missing:
        estimate += f" (+ about {sum(missing) // 1000 + 1} s to generate the archives, once)"
    print(
        f"takes {estimate} on a quiet 2-core machine, longer on a busy one; "
        f"work files in {WORK.relative_to(ROOT)}/, outputs of the measured commands in {RUNS}/",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of newspaper-tei.")
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, archives of 200 and 1,000 pages only"
    )
    plan = Plan.make(parser.parse_args(argv).quick)
    try:
        run(plan)
    finally:
        close_launcher()
    return 0


def run(plan: Plan) -> None:
    info = machine()
    announce(plan, info)
    started = time.perf_counter()
    load_before = load_average()
    seed_text = SEED_PAGE.read_text(encoding="utf-8")

    section("generating archives")
    sources: dict[int, Path] = {}
    for n in plan.archive_sizes:
        t = time.perf_counter()
        sources[n] = generate_archive(n, seed_text, seed_meta_values())
        took = time.perf_counter() - t
        print(f"  {n:,} pages: {sources[n].relative_to(ROOT)} ({took:.1f} s)", flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)

    section("1. in-process")
    in_process, cold = measure_in_process(page_cases(plan, seed_text))

    section("2. archive")
    archive = [
        measure_archive(sources[n], n, jobs, plan.archive_repeats[n])
        for n in plan.archive_sizes
        for jobs in (1, 2)
    ]

    section("3. command line")
    commands = measure_commands(plan, bool(info["pandoc"]))
    import_ms, heaviest = import_time_ms(1 if plan.quick else 3)

    section("4. pandoc, one process per file")
    pandoc: list[PandocArchiveRow] = []
    if info["pandoc"]:
        pages = archive_pages(sources[min(plan.archive_sizes)])[: plan.pandoc_pages]
        pandoc = [measure_pandoc_archive(pages, p, plan.pandoc_repeats) for p in (1, 2)]
    else:
        print("  pandoc is not installed: its rows are skipped (apt-get install pandoc)")

    section(f"5. cProfile of {plan.profile_runs} conversions of the seed page")
    profile = profile_seed(plan.profile_runs)

    section(f"6. ALTO: {ALTO_PAGE.name}")
    alto_page, alto_archive = measure_alto(plan)

    section("7. HTML view")
    view = measure_view(3 if plan.quick else 7)
    section("8. Dask: --scheduler local:2 against -j 2")
    dask_size = 1000 if 1000 in sources else min(sources)
    dask = measure_dask(sources[dask_size], dask_size, plan.archive_repeats[dask_size])

    m = Measurements(
        plan,
        in_process,
        cold * 1000,
        archive,
        commands,
        import_ms,
        heaviest,
        pandoc,
        alto_page,
        alto_archive,
    )
    items = ratios(m)
    elapsed = time.perf_counter() - started
    load_after = load_average()
    print(
        f"\n\n#### Results: {'quick' if plan.quick else 'full'} run, {elapsed / 60:.1f} min, "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print_tables(m)
    print_ratios(m, items)
    print_view_table(view)
    print_dask(dask)
    print(f"\ncProfile, {plan.profile_runs} conversions of the seed page, top 15 by tottime")
    print(profile)

    results = {
        "mode": "quick" if plan.quick else "full",
        "machine": info,
        "elapsed_s": elapsed,
        "load_average": {"before": load_before, "after": load_after},
        "in_process": {"cold_first_call_ms": m.cold_ms, "rows": [asdict(r) for r in in_process]},
        "archive": [asdict(r) for r in archive],
        "commands": [asdict(c) for c in commands],
        "import_converter_cli_ms": import_ms,
        "heaviest_imports_ms": heaviest,
        "pandoc_archive": [asdict(r) for r in pandoc],
        "alto": {"page": asdict(alto_page), "archive": [asdict(r) for r in alto_archive]},
        "view": asdict(view),
        "dask": asdict(dask) if dask is not None else None,
        "ratios": [
            {"measure": a, "value": v, "target": t, "verdict": verdict(ok)} for a, v, t, ok in items
        ],
        "profile": profile,
    }
    shutil.rmtree(RUNS, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
