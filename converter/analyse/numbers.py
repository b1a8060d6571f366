"""Numbers and dates in a profile's notation: numerals, page numbers, month-day dates → ISO.

A printed month-day takes its year from the issue date; a December date in a January issue is
from the year before (contract §3). Without an issue date the value is ``--MM-DD`` (ISO 8601 /
XSD gMonthDay), which TEI's ``@when`` accepts.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping


def parse_number(text: str, numerals: Mapping[str, int]) -> int | None:
    """Arabic (also full-width) digits, or a profile's numerals: 十二 → 12, 二十一 → 21, 廿 → 20."""
    text = "".join(text.split())
    if not text:
        return None
    if all(c.isdecimal() for c in text):
        return int(unicodedata.normalize("NFKC", text))
    total = 0
    current = 0
    for char in text:
        value = numerals.get(char)
        if value is None:
            return None
        if value == 10:
            total += (current or 1) * 10
            current = 0
        elif value >= 20 and value % 10 == 0:
            total += value
            current = 0
        else:
            current = current * 10 + value if current else value
    return total + current


def page_label(text: str | None, numerals: Mapping[str, int]) -> str | None:
    """A printed page reference as written in ``@n``: 二版 → 2, 第12版 → 12, A3 → A3."""
    if not text:
        return None
    norm = unicodedata.normalize("NFKC", "".join(text.split())).upper()
    if norm[:1].isalpha() and norm[:1].isascii() and norm[1:].isdecimal():
        return norm[0] + str(int(norm[1:]))
    value = parse_number(norm, numerals)
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
