"""Blocks stage: numbered lines → blocks, runs of non-blank lines separated by blank lines.

A block remembers how many blank lines stood before it, because a blank line in OCR text is
either a paragraph break or a column break (contract §4: ``<cb/>``), and later stages decide which.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .reader import Line


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


def split_blocks(lines: Iterable[Line]) -> tuple[TextBlock, ...]:
    """Group non-blank lines into blocks; blank lines only separate them."""
    blocks: list[TextBlock] = []
    current: list[Line] = []
    blanks = 0
    pending_blanks = 0
    for line in lines:
        if line.blank:
            if current:
                blocks.append(TextBlock(tuple(current), pending_blanks))
                current = []
                blanks = 0
            blanks += 1
            continue
        if not current:
            pending_blanks = blanks
        current.append(line)
    if current:
        blocks.append(TextBlock(tuple(current), pending_blanks))
    return tuple(blocks)
