"""Page scans: one pass of a line rule's patterns over the whole page finds the few lines where
they match, so the rule need be asked only of those lines.

A line rule matches its patterns against one line at a time. Where a pattern matches a line on
its own, a copy of it compiled with ``re.MULTILINE`` matches in the page's lines joined by line
feeds, in a match that touches that line: the same characters match there, ``^`` and ``$``
match at the line's edges as at the string's, and the line feed beside the line is no word
character (``\\b`` sees the same boundary). The scan may find more (a match across a line
feed); it never finds fewer. That holds for any pattern without ``\\A``, ``\\Z`` or lookaround,
which could see the next line, or a line's missing neighbour, differently. For a rule with such
a pattern no scan is made, and the rule is asked of every line.

A scan's patterns take as long to compile as the rule's own (a class of all ideographs takes a
millisecond), so they are compiled only once ``SCAN_AFTER`` lines have been asked about in the
process: a one-page run asks the rule of every line, and a batch job scans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from . import content
from .reader import Line

#: Lines asked about in a process before the scans are compiled.
SCAN_AFTER = 5_000

#: Pattern text that could see beyond a line's edges, or the string's.
_UNSAFE = ("\\A", "\\Z", "(?=", "(?!", "(?<=", "(?<!")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def scannable(
    patterns: Sequence[re.Pattern[str]], at_start: bool
) -> tuple[re.Pattern[str], ...] | None:
    """The scan patterns for a rule's ``patterns``, or None when one of them could match a line
    on its own and not in the page (see module docstring).

    ``at_start``: the rule matches at the start of a line only (``Pattern.match``). Then one
    pattern is made, a line feed followed by any of them, so that ``re`` looks for line feeds
    by a fast scan and tries the patterns only where lines begin. Otherwise each pattern scans
    on its own, keeping the fast scan ``re`` makes for its first character.
    """
    if not patterns or any(u in p.pattern for p in patterns for u in _UNSAFE):
        return None
    flags = {p.flags | re.MULTILINE for p in patterns}
    try:
        if not at_start:
            return tuple(re.compile(p.pattern, p.flags | re.MULTILINE) for p in patterns)
        if len(flags) != 1:
            return None
        # Group names are made plain: two patterns may name the same group.
        plain = "|".join(f"(?:{_GROUP_NAME.sub('(?:', p.pattern)})" for p in patterns)
        return (re.compile(f"\n(?:{plain})", flags.pop()),)
    except re.error:  # e.g. a back reference to a group name, or inline flags
        return None


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
                # The first character matched in a line, and the last (a match at a line's start
                # begins with the line feed before it; an empty match stands in one line).
                start = m.start() + base
                end = max(start, m.end() - 1)
                k += text.count("\n", last, start)
                last = start
                touched.update(range(k, k + text.count("\n", start, end) + 1))
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
