"""The progress of an archive run as it goes: on a terminal one bar redrawn after each issue
(pages done, pages/s, time left), else one log line per issue; a failed issue's line at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .archive import Outcome, Summary
from .reports import count, duration, pages_per_second

PROG = "newspaper-tei"
BAR_WIDTH = 30


class Progress:
    """Shows each outcome of ``run_archive`` through ``show`` (text written as it is, its line
    ends included); ``terminal`` chooses the bar over log lines."""

    def __init__(self, source: Path, show: Callable[[str], None], *, terminal: bool) -> None:
        self.source = source
        self.show = show
        self.terminal = terminal

    def __call__(self, outcome: Outcome, done: Summary, total: int) -> None:
        if outcome.status == "failed":
            if self.terminal:
                self.show("\n")  # off the bar's line
            self.show(f"{PROG}: FAILED {self.source / outcome.name}: {outcome.error}\n")
        pages = done.pages + done.skipped_pages
        if self.terminal:
            self.show(bar(pages, total, done.pages, done.seconds))
        elif outcome.status == "skipped":  # its counts are those of an earlier run
            self.show(
                f"skipped {outcome.name}: up to date, {count(outcome.pages, 'page')} "
                f"({pages}/{count(total, 'page')})\n"
            )
        elif outcome.status != "failed":
            self.show(
                f"{outcome.status} {outcome.name}: {count(outcome.pages, 'page')}, "
                f"{count(outcome.articles, 'article')} ({pages}/{count(total, 'page')})\n"
            )

    def end(self) -> None:
        """Leave the bar's line (on a terminal), before the closing lines."""
        if self.terminal:
            self.show("\n")


def bar(pages: int, total: int, converted: int, seconds: float) -> str:
    """``\\r[######      ] 12/40 pages  3.1 pages/s  ETA 9 s``: ``pages`` of ``total`` are done,
    ``converted`` of them converted (not skipped) in ``seconds``, which gives the rate; before
    any page is converted there is neither rate nor ETA (``- pages/s  ETA -``)."""
    rate = converted / seconds if seconds > 0 else 0.0
    filled = "#" * int(BAR_WIDTH * pages / total) if total else ""
    if rate > 0:
        left = (total - pages) / rate
        eta = f"{left:.0f} s" if left < 59.5 else duration(left)
        speed = f"{pages_per_second(rate)}  ETA {eta}"
    else:
        speed = "- pages/s  ETA -"
    # Trailing spaces wipe what a longer bar left on the line.
    return f"\r[{filled:<{BAR_WIDTH}}] {pages}/{count(total, 'page')}  {speed}    "
