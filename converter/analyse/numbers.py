"""Numbers and dates in a profile's notation: numerals, page numbers, month-day dates → ISO.

What a language prints is data (:class:`converter.profile.Numerals`): Chinese numerals (十二),
number words and ordinals (``Two``, ``second``, ``zweite``, ``première``), Roman numerals
(``XII``, ``IIe``) and month names (``Aug.``). Arabic digits (also full-width) are read in
every language.

A printed month-day takes its year from the issue date; a December date in a January issue is
from the year before (contract §3). Without an issue date the value is ``--MM-DD`` (ISO 8601 /
XSD gMonthDay), which TEI's ``@when`` accepts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..profile import Numerals

#: A Roman numeral from 1 to 3999 in its usual form (IV, not IIII), by its four places.
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
#: What stands between the number words of one number: "twenty-two", "vingt et un" aside.
_WORD_JOIN = re.compile(r"[\s\-‐]+")


def parse_number(text: str, numerals: Numerals) -> int | None:
    """The value of a printed number, or None: Arabic digits (12, １２, 2nd, 3e), the profile's
    numerals (十二, 二十一, 廿), number words (Two, Fourteen, second) or Roman numerals (XII,
    IIe)."""
    compact = "".join(text.split())
    if not compact:
        return None
    if compact.isdecimal():
        return int(unicodedata.normalize("NFKC", compact))
    value = _characters(compact, numerals)
    if value is None:
        value = _with_suffix(compact, numerals)
    if value is None:
        value = _words(text, numerals)  # with its spaces: "twenty two"
    return value


def _characters(text: str, numerals: Numerals) -> int | None:
    """Numerals written with the profile's signs: 十二 → 12, 二十一 → 21, 廿三 → 23."""
    total = 0
    current = 0
    for char in text:
        if char in numerals.digits:
            value = numerals.digits[char]
            current = current * 10 + value if current else value
        elif char in numerals.multipliers:
            total += (current or 1) * numerals.multipliers[char]
            current = 0
        elif char in numerals.additive:
            total += numerals.additive[char]
            current = 0
        else:
            return None
    return total + current


def _with_suffix(text: str, numerals: Numerals) -> int | None:
    """Digits or a Roman numeral, with an ordinal ending the profile lists (2nd, IIe) or none."""
    lowered = text.casefold()
    stems = [text] + [
        text[: -len(suffix)] for suffix in numerals.ordinal_suffixes if lowered.endswith(suffix)
    ]
    for stem in stems:
        if stem.isdecimal():
            return int(unicodedata.normalize("NFKC", stem))
        if numerals.roman:
            value = roman_value(stem)
            if value is not None:
                return value
    return None


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral in capitals or small letters (XII, xii), or None."""
    upper = text.upper()
    if not upper or not _ROMAN.fullmatch(upper) or text not in (upper, upper.lower()):
        return None
    total = 0
    for char, after in zip(upper, [*upper[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        # A smaller sign before a larger one is taken away from it: IV = 5 - 1.
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def _words(text: str, numerals: Numerals) -> int | None:
    """Number words: one that the profile lists (Fourteen, quatre-vingts), or several joined by
    spaces or hyphens, each smaller than the one before, added up (Twenty-two, twenty-first)."""
    if not numerals.words:
        return None
    lowered = text.casefold().rstrip(".")
    if lowered in numerals.words:
        return numerals.words[lowered]
    values = [numerals.words.get(word) for word in _WORD_JOIN.split(lowered)]
    if len(values) < 2 or None in values:
        return None
    total = 0
    last: int | None = None
    for value in values:
        assert value is not None
        if last is not None and value >= last:
            return None
        total += value
        last = value
    return total


def month_number(text: str, numerals: Numerals) -> int | None:
    """The month of a printed month: a name or abbreviation the profile lists (August, Aug.,
    Sept.; a space the OCR put inside it is dropped: "Marc h") or a number (8, 十二); None if
    it is neither."""
    name = "".join(text.split()).casefold().rstrip(".")
    if name in numerals.months:
        return numerals.months[name]
    return parse_number(text, numerals)


def page_label(text: str | None, numerals: Numerals) -> str | None:
    """A printed page reference as written in ``@n``: 二版 → 2, 第12版 → 12, A3 → A3,
    Two → 2, IIe → 2."""
    if not text:
        return None
    norm = unicodedata.normalize("NFKC", "".join(text.split())).upper()
    if norm[:1].isalpha() and norm[:1].isascii() and norm[1:].isdecimal():
        return norm[0] + str(int(norm[1:]))
    value = parse_number(unicodedata.normalize("NFKC", text.strip()), numerals)
    return str(value) if value is not None and value > 0 else None


def month_day_when(month: int | None, day: int, issue: dt.date | None) -> str | None:
    """ISO value for a printed month-day (or day only); None if no such calendar date."""
    if not 1 <= day <= 31:
        return None
    if issue is None:
        if month is None:
            return f"---{day:02d}"
        if not 1 <= month <= 12:
            return None
        try:
            dt.date(2000, month, day)  # a leap year: 02-29 is a possible month-day
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    year = issue.year
    if month is None:
        month = issue.month
        if day > issue.day:  # "十日" printed in an issue of the 5th: last month's tenth
            month -= 1
            if month == 0:
                month, year = 12, year - 1
    elif not 1 <= month <= 12:
        return None
    elif month > issue.month:  # a December date in a January issue
        year -= 1
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
