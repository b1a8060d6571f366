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
    parts = ", ".join(_count(n, kind) for kind, n in counts.items()) or "no text"
    where = f" -> {output}" if output is not None else ""
    return f"{file}{where}: {parts}; {summary(page.diagnostics)}"


def issue_line(folder: Path, output: Path, result: IssueResult) -> str:
    """``folder -> out: 2 pages, 7 articles, 0 unresolved jumps, 1 warnings``."""
    failed = f", {len(result.failed_pages)} pages FAILED" if result.failed_pages else ""
    return (
        f"{folder} -> {output}: {len(result.pages)} pages, {result.articles} articles, "
        f"{result.unresolved} unresolved jumps, {result.warnings} warnings{failed}"
    )


def archive_lines(source: Path, done: Summary) -> list[str]:
    """The end of an archive run: the counts and rate, then each failed issue with its reason."""
    rate = done.pages / done.seconds if done.seconds > 0 else 0.0
    lines = [
        f"{done.issues} issues: {done.done} converted, {done.skipped} up to date, "
        f"{done.failed} failed; {done.pages} pages, {done.articles} articles, "
        f"{done.unresolved} unresolved jumps, {done.warnings} warnings; "
        f"{done.seconds:.1f} s ({rate:.1f} pages/s)"
    ]
    lines.extend(f"failed: {source / name}: {error}" for name, error in done.failures)
    return lines


def _count(n: int, kind: str) -> str:
    return f"{n} {kind}{'s' if n != 1 else ''}"
