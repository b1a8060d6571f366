"""Blocks stage: numbered lines → blocks, runs of non-blank lines separated by blank lines.

A block remembers how many blank lines stood before it, because a blank line in OCR text is
either a paragraph break or a column break (contract §4: ``<cb/>``), and later stages decide which.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter, not_
from typing import NamedTuple

from ..read.text import Line


class TextBlock(NamedTuple):
    """Consecutive non-blank lines; ``blank_before`` blank lines precede the first."""

    lines: tuple[Line, ...]
    blank_before: int = 0

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number


def split_blocks(lines: Sequence[Line]) -> tuple[TextBlock, ...]:
    """Group non-blank lines into blocks; blank lines only separate them."""
    # Which lines are blank, asked of every line in C (a line is blank when stripping leaves
    # nothing); then the blank ones are found by ``list.index``, so the Python code below runs
    # once per blank line, not once per line.
    blank = list(map(not_, map(str.strip, map(_TEXT, lines))))
    blocks: list[TextBlock] = []
    start = 0  # the first line not yet in a block
    blanks = 0  # blank lines since the last block
    count = len(lines)
    while start < count:
        try:
            end = blank.index(True, start)
        except ValueError:
            end = count
        if end > start:
            blocks.append(TextBlock(tuple(lines[start:end]), blanks))
            blanks = 0
        if end < count:
            blanks += 1
        start = end + 1
    return tuple(blocks)


#: An input line's text, read in C.
_TEXT = itemgetter(1)
