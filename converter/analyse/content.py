"""Content helpers: make mixed content from input lines, cut it, and measure text.

Cutting never copies or changes characters: a cut inside a line yields two pieces of the same
line, the second without its own ``lb`` (it does not begin the line).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence

from ..model import Content, Line, Mark, Piece

#: Characters set in ideograph width, as (first, last) code points: the East Asian Wide and
#: Fullwidth blocks of UAX #11 (Hangul jamo and syllables, CJK radicals, punctuation, kana,
#: ideographs, Yi, full-width forms, Tangut, Khitan, Nüshu, emoji pictographs); every letter
#: UAX #11 calls wide is in them (tested).
WIDE_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x115F),
    (0x2E80, 0x303E),
    (0x3041, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60),
    (0xFFE0, 0xFFE6),
    (0x16FE0, 0x16FE4),
    (0x17000, 0x18CFF),
    (0x18D00, 0x18D08),
    (0x1AFF0, 0x1AFFE),
    (0x1B000, 0x1B2FF),
    (0x1F300, 0x1F64F),
    (0x1F900, 0x1F9FF),
    (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD),
)


def _char_class(ranges: Sequence[tuple[int, int]]) -> str:
    """A regex class of the code points in ``ranges``."""
    return "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges) + "]"


#: Runs of wide characters.
_WIDE_RUN = re.compile(_char_class(WIDE_RANGES) + "+")


def is_wide(char: str) -> bool:
    """Set in ideograph width: CJK ideographs, kana, hangul, full-width forms (UAX #11 W/F)."""
    return _WIDE_RUN.match(char) is not None


def has_wide(text: str) -> bool:
    return _WIDE_RUN.search(text) is not None


def width(text: str) -> float:
    """Printed width in ideograph widths: a wide character is 1, any other 0.5."""
    if text.isascii():
        return len(text) / 2
    # What is left once the wide runs are cut out is the narrow characters.
    return len(text) - len(_WIDE_RUN.sub("", text)) / 2


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count); 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def joins_stripped(a: str, b: str) -> bool:
    """Whether two lines join with nothing between them: CJK lines do (contract §4), Latin
    lines take one space. ``a`` is the first line without its trailing white space, ``b`` the
    next without its leading white space.

    The nearest letters on each side decide, so quotes, digits and punctuation at a line's
    edge (``…省事。”`` / ``82岁…``) do not turn a CJK join into a Latin one.
    """
    if not a or not b:
        return True
    if a.isascii() and b.isascii():
        return False  # no wide character at all
    if is_wide(a[-1]) or is_wide(b[0]):
        return True
    left = a[-1] if a[-1].isalpha() else next((c for c in reversed(a) if c.isalpha()), "")
    right = b[0] if b[0].isalpha() else next((c for c in b if c.isalpha()), "")
    return is_wide(left) or is_wide(right)


def hyphen_break(before: str, after: str, hyphens: Container[str]) -> bool:
    """A Latin word broken at the line end by one of the profile's ``hyphens``: ``pub-`` /
    ``lic`` (written ``lb break="no"``)."""
    a = before.rstrip()
    b = after.lstrip()
    return len(a) >= 2 and a[-1] in hyphens and a[-2].isalpha() and b[:1].islower()


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
    if " " not in text:
        return text
    out = []
    for i, char in enumerate(text):
        if char == " " and 0 < i < len(text) - 1 and is_wide(text[i - 1]) and is_wide(text[i + 1]):
            continue
        out.append(char)
    return "".join(out)


def make_content(
    lines: Sequence[Line], hyphens: Container[str], column_breaks: Container[int] = ()
) -> Content:
    """Content of whole lines; ``column_breaks`` holds the indexes of the lines that have a
    column break before them (never the first); ``hyphens`` are the profile's."""
    if not lines:
        return Content(())
    pieces = [Piece(lines[0].number, lines[0].text)]
    for k in range(1, len(lines)):
        pieces.append(
            joined_piece(
                lines[k].number,
                lines[k].text,
                lines[k - 1].text,
                k in column_breaks,
                hyphens,
                hyphenated=lines[k - 1].hyphenated,
            )
        )
    return Content(tuple(pieces))


def joined_piece(
    number: int,
    text: str,
    before: str,
    column_break: bool,
    hyphens: Container[str],
    *,
    hyphenated: bool = False,
) -> Piece:
    """The piece of a whole line that goes on from the line ``before``: a word broken by a
    hyphen (printed in the line, or marked by the source outside its text: ALTO ``HYP``,
    ``hyphenated``), or two lines joined by a space or by nothing."""
    if hyphenated:
        return Piece(number, text, column_break=column_break, joined=True)
    previous = before.rstrip()
    if previous and is_wide(previous[-1]):
        # After a wide character the next line joins with nothing (contract §4).
        return Piece(number, text, column_break=column_break)
    if hyphen_break(previous, text, hyphens):
        return Piece(number, text, column_break=column_break, joined=True)
    space = not joins_stripped(previous, text.lstrip())
    return Piece(number, text, column_break=column_break, space_before=space)


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


def line_at(content: Content, offset: int) -> int:
    """The input line of the character at ``offset`` of the content's text (its last line for
    an offset past the end; 0 for empty content)."""
    position = 0
    for piece in content.pieces:
        position += len(piece.text)
        if offset < position:
            return piece.line
    return content.pieces[-1].line if content.pieces else 0


def strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
