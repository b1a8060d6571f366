"""Blocks stage: numbered lines → blocks, runs of non-blank lines separated by blank lines.

A block remembers how many blank lines stood before it, because a blank line in OCR text is
either a paragraph break or a column break (contract §4: ``<cb/>``), and later stages decide which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Line


@dataclass(frozen=True, slots=True)
class TextBlock:
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
    blocks: list[TextBlock] = []
    current: list[Line] = []
    blanks = 0  # blank lines since the last block
    for line in lines:
        if line.text.strip():
            current.append(line)
            continue
        if current:
            blocks.append(TextBlock(tuple(current), blanks))
            current, blanks = [], 0
        blanks += 1
    if current:
        blocks.append(TextBlock(tuple(current), blanks))
    return tuple(blocks)
