"""Content helpers: make mixed content from input lines, cut it, and measure text.

Cutting never copies or changes characters: a cut inside a line yields two pieces of the same
line, the second without its own ``lb`` (it does not begin the line).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence

from ..model import Content, Mark, Piece, line_piece
from ..read.text import Line

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


#: Runs of wide characters, compiled once: a regex counts them far faster than a loop. (``re``
#: builds the class's table by visiting each of its 42,000 code points below U+10000 in Python,
#: about 3 ms at start-up; its complement would compile in half that, but a negated class tests
#: every wide character against all its ranges above U+FFFF too, which costs more per page.)
_WIDE_RUN = re.compile(_char_class(WIDE_RANGES) + "+")


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


#: Lines joined into one string at a time by the passes over many lines below and in
#: :mod:`converter.scan`: a huge page never holds a second copy of all its text.
LINES_AT_ONCE = 4096
#: Widths below 512 ideographs (1,024 halves) as shared float objects: a page's lines make no
#: new ones.
_HALF_WIDTHS = tuple(half / 2 for half in range(1024))
_WIDEST = len(_HALF_WIDTHS)


def stripped_widths(texts: Sequence[str]) -> list[float]:
    """:func:`width` of each of many lines (which hold no line feed) without the white space at
    their ends, measured in one pass of the pattern over :data:`LINES_AT_ONCE` of them at a
    time instead of one call each."""
    out: list[float] = []
    halves, widest = _HALF_WIDTHS, _WIDEST
    for start in range(0, len(texts), LINES_AT_ONCE):
        chunk = [text.strip() for text in texts[start : start + LINES_AT_ONCE]]
        joined = "\n".join(chunk)
        if joined.isascii():  # no wide character at all (a flag of the string, not a scan)
            out.extend([halves[n] if n < widest else n / 2 for n in map(len, chunk)])
            continue
        narrow = _WIDE_RUN.sub("", joined).split("\n")
        out.extend(
            [
                halves[half] if (half := 2 * len(t) - len(n)) < widest else half / 2
                for t, n in zip(chunk, narrow, strict=True)
            ]
        )
    return out


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
        return False  # no wide character at all (a flag of the string, not a scan)
    if _wide_at(a, len(a) - 1) or _wide_at(b, 0, 1):
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


#: Lines asked about in a process before the pattern of :class:`_Breaks` is compiled: its class
#: of the wide characters takes ``re`` milliseconds to build, more than a one-page run saves.
COMPILE_BREAKS_AFTER = 5_000


#: The wide characters that are lower-case letters: full-width ａ–ｚ, the only ones (tested).
#: A word broken by a hyphen may go on with one (:func:`hyphen_break`).
WIDE_LOWER = (0xFF41, 0xFF5A)


def _ranges_without(
    ranges: Sequence[tuple[int, int]], gap: tuple[int, int]
) -> list[tuple[int, int]]:
    """``ranges`` with the code points of ``gap`` taken out."""
    out: list[tuple[int, int]] = []
    for first, last in ranges:
        if last < gap[0] or first > gap[1]:
            out.append((first, last))
            continue
        if first < gap[0]:
            out.append((first, gap[0] - 1))
        if last > gap[1]:
            out.append((gap[1] + 1, last))
    return out


class _Breaks:
    """A line break (with the white space that begins the next line) before a narrow character
    or a full-width lower-case letter.

    Only at such a break can two lines take a joining space (both sides narrow) or be a word
    broken by a hyphen (``pub-`` / ``lic``, or ``e-`` / ``ｍａｉｌ``), and only if the line before
    ends in a narrow character too; everywhere else a wide character stands at the break and
    the lines join with nothing between them. The pattern begins with its line feed, so ``re``
    finds candidates by a fast scan over a paragraph's text; the white space is taken
    possessively, so the look-ahead sees the line's first printed character only.
    """

    __slots__ = ("asked", "pattern")

    def __init__(self) -> None:
        self.asked = 0
        self.pattern: re.Pattern[str] | None = None

    def compiled(self, lines: int) -> re.Pattern[str] | None:
        """The pattern, once ``COMPILE_BREAKS_AFTER`` lines have been asked about."""
        if self.pattern is None:
            self.asked += lines
            if self.asked > COMPILE_BREAKS_AFTER:
                others = _char_class(_ranges_without(WIDE_RANGES, WIDE_LOWER))
                self.pattern = re.compile("\n[^\\S\n]*+(?!" + others + ")")
        return self.pattern


_BREAKS = _Breaks()


def narrow_breaks(texts: Sequence[str]) -> list[int]:
    """The indexes ``k`` of the lines whose join with line ``k - 1`` the rules must decide
    (:func:`joins_stripped`, :func:`hyphen_break`); every other line joins the one before it
    with nothing between them. Until the pattern is compiled, every line is listed. The lines
    hold no line feed (they are input lines)."""
    pattern = _BREAKS.compiled(len(texts))
    if pattern is None:
        return list(range(1, len(texts)))
    out: list[int] = []
    for start in range(0, len(texts), LINES_AT_ONCE):
        # With the line before the run, for the break between them.
        first = max(start - 1, 0)
        out.extend(first + k for k in _breaks_in(texts[first : start + LINES_AT_ONCE], pattern))
    return out


def _breaks_in(texts: Sequence[str], pattern: re.Pattern[str]) -> list[int]:
    joined = "\n".join(texts)
    if joined.isascii():  # every character narrow: the rules judge every break
        return list(range(1, len(texts)))
    out: list[int] = []
    k = 0
    last = 0
    for m in pattern.finditer(joined):
        start = m.start()
        k += joined.count("\n", last, start + 1)
        last = start + 1
        before = texts[k - 1].rstrip()
        if not before or not _wide_at(before, len(before) - 1):
            out.append(k)
    return out


def make_content(
    lines: Sequence[Line], hyphens: Container[str], column_breaks: Container[int] = ()
) -> Content:
    """Content of whole lines; ``column_breaks`` holds the indexes of the lines that have a
    column break before them (never the first); ``hyphens`` are the profile's."""
    if not lines:
        return Content(())
    first = lines[0]
    pieces = [line_piece(first.number, first.text, False, False, False)]
    append = pieces.append
    if len(lines) == 1:
        return Content(tuple(pieces))
    texts = [line.text for line in lines]
    breaks = narrow_breaks(texts)
    breaks.append(len(lines))
    at = 0
    for k in range(1, len(lines)):
        line = lines[k]
        text = line.text
        column_break = k in column_breaks
        if k != breaks[at]:
            append(line_piece(line.number, text, column_break, False, False))
            continue
        at += 1
        append(joined_piece(line.number, text, texts[k - 1], column_break, hyphens))
    return Content(tuple(pieces))


def joined_piece(
    number: int, text: str, before: str, column_break: bool, hyphens: Container[str]
) -> Piece:
    """The piece of a whole line whose join with the line ``before`` the rules decide (one that
    :func:`narrow_breaks` lists): a word broken by a hyphen, or two lines joined by a space or
    by nothing."""
    previous = before.rstrip()
    if hyphen_break(previous, text, hyphens):
        return line_piece(number, text, column_break, False, True)
    space = not joins_stripped(previous, text.lstrip())
    return line_piece(number, text, column_break, space, False)


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
