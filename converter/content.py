"""Content helpers: make mixed content from input lines, cut it, and measure text.

Cutting never copies or changes characters: a cut inside a line yields two pieces of the same
line, the second without its own ``lb`` (it does not begin the line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .model import Content, Mark, Piece
from .reader import Line

#: Characters set in ideograph width: the East Asian Wide and Fullwidth blocks of UAX #11
#: (Hangul jamo and syllables, CJK radicals, punctuation, kana, ideographs, Yi, full-width
#: forms, Tangut, Khitan, Nüshu, emoji pictographs), in runs; every letter UAX #11 calls wide
#: is in it (tested). Compiled once (a class this large costs milliseconds to compile); a regex
#: counts them far faster than a loop.
_WIDE_RUN = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60"
    "\uffe0-\uffe6\U00016fe0-\U00016fe4\U00017000-\U00018cff\U00018d00-\U00018d08"
    "\U0001aff0-\U0001affe\U0001b000-\U0001b2ff"
    "\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd]+"
)


#: ``_wide_at(text, pos, pos + 1)``: whether the character at ``pos`` is wide, with no slice made.
_wide_at = _WIDE_RUN.match


def is_wide(char: str) -> bool:
    """Set in ideograph width: CJK ideographs, kana, hangul, full-width forms (UAX #11 W/F)."""
    return _WIDE_RUN.match(char) is not None


def has_wide(text: str) -> bool:
    return _WIDE_RUN.search(text) is not None


def width(text: str) -> float:
    """Printed width in ideograph widths: a wide character is 1, any other 0.5."""
    if text.isascii():
        return len(text) / 2
    # What is left once the wide runs are cut out is the narrow characters: one C-level pass.
    return len(text) - len(_WIDE_RUN.sub("", text)) / 2


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count); 0.0 for none.

    Written here rather than imported: ``statistics`` brings ``fractions`` and ``decimal``
    into every start of the command, for one function."""
    if not values:
        return 0.0
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def joins_without_space(before: str, after: str) -> bool:
    """CJK lines join with nothing between them (contract §4); Latin lines with one space.

    The nearest letters on each side decide, so quotes, digits and punctuation at a line's
    edge (``…省事。”`` / ``82岁…``) do not turn a CJK join into a Latin one.
    """
    a = before.rstrip()
    b = after.lstrip()
    if not a or not b:
        return True
    if a.isascii() and b.isascii():
        return False  # no wide character at all (a flag of the string, not a scan)
    if _wide_at(a, len(a) - 1) or _wide_at(b, 0, 1):
        return True
    left = a[-1] if a[-1].isalpha() else next((c for c in reversed(a) if c.isalpha()), "")
    right = b[0] if b[0].isalpha() else next((c for c in b if c.isalpha()), "")
    return is_wide(left) or is_wide(right)


def hyphen_break(before: str, after: str) -> bool:
    """A Latin word broken at the line end: ``pub-`` / ``lic`` (written ``lb break="no"``)."""
    a = before.rstrip()
    b = after.lstrip()
    return len(a) >= 2 and a[-1] in _HYPHENS and a[-2].isalpha() and b[:1].islower()


_HYPHENS = ("-", "\u00ad")  # hyphen-minus, soft hyphen


_SPACE_RUN = re.compile(r"\s+")


def reading_text(content: Content) -> str:
    """The text as a reader says it: lines joined as the writer joins them, runs of white space
    made one space, and a space between two wide characters (typographic padding) dropped."""
    parts: list[str] = []
    for piece in content.pieces:
        if piece.space_before:
            parts.append(" ")
        parts.append(piece.text)
    text = _SPACE_RUN.sub(" ", "".join(parts)).strip()
    out = []
    for i, char in enumerate(text):
        if char == " " and 0 < i < len(text) - 1 and is_wide(text[i - 1]) and is_wide(text[i + 1]):
            continue
        out.append(char)
    return "".join(out)


def make_content(lines: Iterable[tuple[Line, bool]]) -> Content:
    """Content of whole lines; each item is (line, column break before it)."""
    pieces: list[Piece] = []
    previous: str | None = None
    for line, column_break in lines:
        text = line.text
        if previous is None:
            pieces.append(Piece(line.number, text, True, False, False, False))
        elif previous.rstrip()[-1:] in _HYPHENS and hyphen_break(previous, text):
            pieces.append(Piece(line.number, text, True, column_break, False, True))
        else:
            space = not joins_without_space(previous, text)
            pieces.append(Piece(line.number, text, True, column_break, space, False))
        previous = text
    return Content(tuple(pieces))


def _shifted(mark: Mark, offset: int) -> Mark:
    return Mark(mark.start + offset, mark.end + offset, mark.tag, mark.attrs)


def concat(parts: Iterable[Content]) -> Content:
    """Join contents one after another, shifting marks."""
    pieces: list[Piece] = []
    marks: list[Mark] = []
    offset = 0
    for part in parts:
        marks.extend(_shifted(mark, offset) for mark in part.marks)
        pieces.extend(part.pieces)
        offset += len(part.text)
    return Content(tuple(pieces), tuple(marks))


def cut(content: Content, start: int, end: int) -> Content:
    """The characters [start, end) of a content, with the marks lying inside that range."""
    pieces: list[Piece] = []
    offset = 0
    for piece in content.pieces:
        a, b = offset, offset + len(piece.text)
        offset = b
        lo, hi = max(a, start), min(b, end)
        if lo >= hi:
            continue
        if lo == a:
            if hi == b:
                pieces.append(piece)  # the whole piece: it is immutable, so it is shared
            else:
                pieces.append(
                    Piece(
                        piece.line,
                        piece.text[: hi - a],
                        piece.line_start,
                        piece.column_break,
                        piece.space_before,
                        piece.joined,
                    )
                )
        else:
            pieces.append(Piece(piece.line, piece.text[lo - a : hi - a], line_start=False))
    marks = tuple(_shifted(m, -start) for m in content.marks if start <= m.start and m.end <= end)
    if pieces and pieces[0].line_start and (pieces[0].space_before or pieces[0].column_break):
        first = pieces[0]
        pieces[0] = Piece(first.line, first.text, True, False, False, first.joined)
    return Content(tuple(pieces), marks)


def split(content: Content, at: int) -> tuple[Content, Content]:
    return cut(content, 0, at), cut(content, at, len(content.text))


def with_marks(content: Content, marks: Iterable[Mark]) -> Content:
    return Content(content.pieces, content.marks + tuple(marks))


def strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
