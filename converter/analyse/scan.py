"""Page scans: one pass of a line rule's patterns over the whole page finds the few lines where
they match, so the rule need be asked only of those lines.

A line rule matches its patterns against one line at a time. Where a pattern matches a line on
its own, a copy of it compiled with ``re.MULTILINE`` matches in the page's lines joined by line
feeds, in a match that touches that line: the same characters match there, ``^`` and ``$``
match at the line's edges as at the string's, the line feed beside the line is no word
character (``\\b`` sees the same boundary), and where a repeat first takes that line feed,
backtracking gives it back. So the scan tries the line's own match unless an earlier match
covers where it begins, and then that match touches the line (a match that takes the line feed
ending a line touches the next line too). The scan may find more lines; it never finds fewer.

That argument needs patterns that backtrack freely and see only the characters they take:
no ``\\A``, ``\\Z``, look-around, possessive repeat, atomic group or scoped flag (and, to keep it
simple, no back reference or conditional). For a rule with such a pattern no scan is made,
and the rule is asked of every line.

A scan's patterns take as long to compile as the rule's own (a class of all ideographs takes a
millisecond), so they are compiled only once ``SCAN_AFTER`` lines have been asked about in the
process: a one-page run asks the rule of every line, and a batch job scans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..read.text import Line
from . import content

#: Lines asked about in a process before the scans are compiled.
SCAN_AFTER = 5_000

#: Pattern text the scan's argument does not hold for (see module docstring), found in the
#: pattern's source (an escaped look-alike only makes the rule be asked of every line):
#: ``\A``, ``\Z`` and look-arounds see past a line's edges; possessive repeats and atomic groups
#: may take a line feed and not give it back; a scoped flag may turn MULTILINE off; back
#: references and conditionals are left out to keep the argument simple.
_UNSAFE = re.compile(r"\\[AZ1-9]|\(\?(?:[=!>(]|<[=!]|P=|[aiLmsux-]+:)|[*+?}]\+")


def scannable(
    patterns: Sequence[re.Pattern[str]], at_start: bool
) -> tuple[re.Pattern[str], ...] | None:
    """The scan patterns for a rule's ``patterns``, or None when one of them could match a line
    on its own and not in the page (see module docstring).

    ``at_start``: the rule matches at the start of a line only (``Pattern.match``); each scan
    pattern is then a line feed followed by the rule's pattern, so that ``re`` looks for line
    feeds by a fast scan and tries the pattern only where lines begin.
    """
    if not patterns:
        return None
    out = []
    for p in patterns:
        if p.flags & re.VERBOSE or _UNSAFE.search(p.pattern):
            return None
        source = f"\n(?:{p.pattern})" if at_start else p.pattern
        try:
            out.append(re.compile(source, p.flags | re.MULTILINE))
        except re.error:  # e.g. inline flags, which only lead a whole pattern
            return None
    return tuple(out)


def touched_lines(
    lines: Sequence[Line],
    patterns: tuple[re.Pattern[str], ...],
    strip: Callable[[str], str],
    at_start: bool,
) -> set[int]:
    """The indexes of the ``lines`` that the scan ``patterns`` (from :func:`scannable`) touch;
    ``strip`` makes each line's text what the rule matches its patterns against."""
    base = 1 if at_start else 0  # at_start: the text begins with a line feed, as each line does
    touched: set[int] = set()
    at_once = content.LINES_AT_ONCE  # a run of lines at a time, each scanned as a page
    for first in range(0, len(lines), at_once):
        text = "\n" * base + "\n".join(
            [strip(line.text) for line in lines[first : first + at_once]]
        )
        for pattern in patterns:
            k = first  # the index of the line holding ``last``
            last = base
            for m in pattern.finditer(text):
                # Every line from the one holding the first character matched to the one where
                # the match ends: a match that takes the line feed ending a line touches the
                # next line too, whose start (at_start: its line feed) it took.
                start = m.start() + base
                k += text.count("\n", last, start)
                last = start
                touched.update(range(k, k + text.count("\n", start, m.end()) + 1))
    return touched


class Scanner:
    """The scans of one rule: compiled on first need, after ``SCAN_AFTER`` lines were asked."""

    __slots__ = ("_asked", "_at_start", "_compiled", "_patterns", "_strip")

    def __init__(
        self,
        patterns: Callable[[], Sequence[re.Pattern[str]]],
        strip: Callable[[str], str],
        at_start: bool,
    ) -> None:
        self._patterns = patterns
        self._strip = strip
        self._at_start = at_start
        self._asked = 0
        self._compiled: tuple[re.Pattern[str], ...] | bool | None = False  # False: not yet

    def scan(self, lines: Sequence[Line]) -> set[int] | None:
        """The indexes of the ``lines`` the rule's patterns may match, or None while the rule
        is asked of every line."""
        if self._compiled is False:
            self._asked += len(lines)
            if self._asked <= SCAN_AFTER:
                return None
            self._compiled = scannable(self._patterns(), self._at_start)
        if not isinstance(self._compiled, tuple):
            return None
        return touched_lines(lines, self._compiled, self._strip, self._at_start)
