"""Blocks stage: numbered lines → blocks, runs of non-blank lines separated by blank lines, or
for layout input by the breaks the layout stage found.

A block remembers how many blank lines stood before it, because a blank line in OCR text is
either a paragraph break or a column break (contract §4: ``<cb/>``), and later stages decide which.
A block of layout input also knows whether it is set in display type (a headline) and whether
a story break (a wide gap or a rule) stands before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Line
from .layout import PageGeometry, PlacedLine


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Consecutive non-blank lines; ``blank_before`` blank lines precede the first."""

    lines: tuple[Line, ...]
    blank_before: int = 0
    display: bool = False  # layout input: set in display type
    opens: bool = False  # layout input: a story break stands before it
    crosshead: bool = False  # layout input: a crosshead (lesser display type close under text)

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


def layout_blocks(geometry: PageGeometry) -> tuple[TextBlock, ...]:
    """Blocks of a layout page: its lines in reading order, a new block at every break the
    layout stage found. A paragraph or story break counts as one blank line before the block;
    a change of column, where the text runs on, as none."""
    blocks: list[TextBlock] = []
    current: list[Line] = []
    first = None
    for placed in geometry.lines:
        if current and placed.brk:
            assert first is not None
            blocks.append(_laid(current, first))
            current = []
        if not current:
            first = placed
        current.append(placed.line)
    if current and first is not None:
        blocks.append(_laid(current, first))
    return tuple(blocks)


def _laid(lines: list[Line], first: PlacedLine) -> TextBlock:
    return TextBlock(
        tuple(lines),
        blank_before=1 if first.brk in ("paragraph", "story") else 0,
        display=first.display,
        opens=first.brk == "story",
        crosshead=first.crosshead,
    )
