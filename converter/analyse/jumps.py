"""Continuation references: their direction and the page they name, as OCR printed them.

A profile's ``[jumps] pattern`` finds a reference ("(Continued on Page Two.)", "Fortsetzung
auf Seite 3", "(Suite de la première page)"); its direction is the ``prev`` or ``next`` group
the pattern matched, if it has such groups, else the list its ``dir`` word is in. The ``page``
group may hold the word for page as well ("Sixth Page", "Seite 3", "IIe page"): its number is
the word that reads as one (digits, a number word or ordinal, a Roman numeral), else the word
closest to a number word, if it is as close as ``page_similarity`` (OCR: "8*cond" is second).
Cross-references to another page (``crossref``: "Full report on page 7") and a serial's "to be
continued" (``endmarks.serial``) are found too: neither is a continuation.
"""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

from ..model import Content, Mark
from ..profile import Profile
from .numbers import page_label

Direction = Literal["next", "prev"]

#: Punctuation OCR leaves around the words of a page reference: "Five.)", "l'a~e.J".
_EDGE = "()[]{}.,;:!?*'\"|"
_TOKEN = re.compile(r"\S+")


class Jump(NamedTuple):
    """A continuation reference at [start, end) of a text."""

    start: int
    end: int
    subtype: Direction
    page: str | None  # the other page's number as ``@n`` writes it; None when unreadable


def direction(m: re.Match[str], profile: Profile) -> Direction:
    """The direction of a reference the profile's jump pattern matched."""
    groups = m.re.groupindex
    if "prev" in groups and m.group("prev") is not None:
        return "prev"
    if "next" in groups and m.group("next") is not None:
        return "next"
    return "next" if m.group("dir") in profile.jump_next else "prev"


def page_of(printed: str | None, profile: Profile) -> str | None:
    """The page number a reference's ``page`` group names, or None (see module docstring)."""
    if not printed or not printed.strip():
        return None
    numerals = profile.numerals
    whole = page_label(printed.strip(_EDGE + " "), numerals)
    if whole is not None:
        return whole
    words = [w for w in (t.strip(_EDGE) for t in printed.split()) if w]
    words = [w for w in words if not _is_page_word(w, profile)]
    for word in words:
        label = page_label(word, numerals)
        if label is not None:
            return label
    return _closest_number(words, profile)


def _is_page_word(word: str, profile: Profile) -> bool:
    folded = word.casefold()
    if folded in profile.page_words:
        return True
    threshold = profile.page_similarity
    return threshold > 0 and any(_similarity(folded, w) >= threshold for w in profile.page_words)


def _closest_number(words: list[str], profile: Profile) -> str | None:
    """The value of the number word one of ``words`` is closest to, if it is close enough and
    no other number word is as close."""
    threshold = profile.page_similarity
    if threshold <= 0:
        return None
    best = 0.0
    values: set[int] = set()
    for word in words:
        folded = word.casefold()
        if len(folded) < 3:
            continue
        for name, value in profile.numerals.words.items():
            score = _similarity(folded, name)
            if score > best:
                best, values = score, {value}
            elif score == best:
                values.add(value)
    if best < threshold or len(values) != 1:
        return None
    (value,) = values
    return str(value) if value > 0 else None


@functools.lru_cache(maxsize=4096)
def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def find_jumps(text: str, profile: Profile) -> list[Jump]:
    """Every continuation reference in ``text``, in order."""
    if profile.jump is None:
        return []
    return [
        Jump(m.start(), m.end(), direction(m, profile), page_of(m.group("page"), profile))
        for m in profile.jump.finditer(text)
        if m.end() > m.start()
    ]


def jump_at_end(text: str, profile: Profile) -> Direction | None:
    """The direction of a continuation reference standing at the very end of ``text``."""
    if profile.jump is None:
        return None
    stripped = text.rstrip()
    for m in profile.jump.finditer(stripped):
        if m.end() == len(stripped) and m.end() > m.start():
            return direction(m, profile)
    return None


def jump_at_start(text: str, profile: Profile) -> Direction | None:
    """The direction of a continuation reference opening ``text``."""
    if profile.jump is None:
        return None
    m = profile.jump.match(text.lstrip())
    return direction(m, profile) if m is not None and m.end() > m.start() else None


def crossrefs(text: str, profile: Profile) -> list[tuple[int, int, str | None]]:
    """Cross-references to another page that are no continuation: (start, end, page)."""
    if profile.crossref is None:
        return []
    return [
        (m.start(), m.end(), page_of(m.group("page"), profile))
        for m in profile.crossref.finditer(text)
        if m.end() > m.start()
    ]


def is_serial_end(text: str, profile: Profile) -> bool:
    """A serial's "to be continued" at the end of ``text``: the story goes on in a later
    issue, not on another page."""
    return serial_start(text, profile) is not None


def serial_start(text: str, profile: Profile) -> int | None:
    """Where a serial's "to be continued" standing at the very end of ``text`` begins (it
    becomes the article's ``trailer``), or None."""
    if profile.serial is None:
        return None
    stripped = text.rstrip()
    for m in profile.serial.finditer(stripped):
        if m.end() == len(stripped) and m.end() > m.start():
            return m.start()
    return None


def closing_marks(content: Content, profile: Profile) -> list[Mark]:
    """The source credit closing a story (—Dubois Enterprise.) on the last line of a paragraph,
    as an ``orgName`` over the source's name."""
    if profile.closing is None or not content.pieces:
        return []
    last = content.pieces[-1]
    m = profile.closing.match(last.text.strip())
    if not last.line_start or m is None or m.end() != len(last.text.strip()):
        return []
    offset = len(content.text) - len(last.text) + len(last.text) - len(last.text.lstrip())
    return [Mark(offset + m.start("source"), offset + m.end("source"), "orgName")]


def closes_with_credit(text: str, profile: Profile) -> bool:
    """A line that is a source credit closing its story (—Dubois Enterprise.)."""
    if profile.closing is None:
        return False
    stripped = text.strip()
    m = profile.closing.match(stripped)
    return m is not None and m.end() == len(stripped)
