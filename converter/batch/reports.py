"""What a run says about its work: the JSON report of a page, and the closing lines of the
``convert``, ``issue`` and ``archive`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import summary

if TYPE_CHECKING:
    from ..model import Page
    from .archive import Summary
    from .issue import IssueResult


def page_report(file: Path, page: Page, layout: str) -> bytes:
    """The JSON of ``convert --report``: the page's encoding, layout and every diagnostic."""
    import json  # only a run with --report needs it

    payload = {
        "file": str(file),
        "encoding": page.source.encoding,
        "layout": layout,
        "diagnostics": [d.as_dict() for d in page.diagnostics],
    }
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode()


def page_line(file: Path, output: Path | None, page: Page) -> str:
    """``p1.txt -> p1.xml: 5 articles, 1 notice; 2 warnings (…)``."""
    counts: dict[str, int] = {}
    for division in page.divisions:
        counts[division.type] = counts.get(division.type, 0) + 1
    parts = ", ".join(count(n, kind) for kind, n in counts.items()) or "no text"
    where = f" -> {output}" if output is not None else ""
    return f"{file}{where}: {parts}; {summary(page.diagnostics)}"


def issue_line(folder: Path, output: Path, result: IssueResult) -> str:
    """``folder -> out: 2 pages, 7 articles, 0 unresolved jumps, 1 warning``."""
    failed = f", {count(len(result.failed_pages), 'page')} FAILED" if result.failed_pages else ""
    return (
        f"{folder} -> {output}: {count(len(result.pages), 'page')}, "
        f"{count(result.articles, 'article')}, {count(result.unresolved, 'unresolved jump')}, "
        f"{count(result.warnings, 'warning')}{failed}"
    )


def archive_lines(source: Path, done: Summary) -> list[str]:
    """The end of an archive run: the counts, the time (and the rate, when the run was long
    enough for one to mean something), then each failed issue with its reason."""
    rate = ""
    if done.pages and done.seconds >= RATE_AFTER:
        rate = f" ({pages_per_second(done.pages / done.seconds)})"
    lines = [
        f"{count(done.issues, 'issue')}: {done.done} converted, {done.skipped} up to date, "
        f"{done.failed} failed; {count(done.pages, 'page')}, {count(done.articles, 'article')}, "
        f"{count(done.unresolved, 'unresolved jump')}, {count(done.warnings, 'warning')}; "
        f"{duration(done.seconds)}{rate}"
    ]
    lines.extend(f"failed: {source / name}: {error}" for name, error in done.failures)
    return lines


#: The shortest run whose rate is given: a rate measured over less says little.
RATE_AFTER = 1.0


def count(n: int, noun: str) -> str:
    """``1 page``, ``2 pages``, ``0 unresolved jumps``."""
    return f"{n} {noun}{'s' if n != 1 else ''}"


def duration(seconds: float) -> str:
    """A time as people say it: ``350 ms``, ``4.2 s``, ``3 min 05 s``, ``2 h 10 min``."""
    if seconds < 0.0005:
        return "under 1 ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 59.95:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def pages_per_second(rate: float) -> str:
    """``12 pages/s``, ``3.1 pages/s``, ``0.25 pages/s``: two or three significant digits."""
    if rate >= 10:
        return f"{rate:.0f} pages/s"
    if rate >= 1:
        return f"{rate:.1f} pages/s"
    return f"{rate:.2f} pages/s"
