"""Issue folders without metadata files: the date (and edition) their names or path give.

Archives name issue folders by date: ``2016-12-12``, ``20161212``, or as NDNP batches do, the
date and a two-digit edition (``1916082601``: 26 August 1916, edition 1); or by path,
``1916/08/26``, with ``ed-1`` for the edition below it. A folder of pages without an
``issue.toml`` date (nor a METS file) takes its date from there, the nearest name first; a
folder whose date nothing gives is not an issue that can be catalogued (see
:func:`missing_metadata`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConverterError

#: A date written with hyphens, not inside a longer run of digits.
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
#: A date written as eight digits, with a two-digit edition after it or not (NDNP).
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(\d{2})?(?!\d)")
#: A folder that names an edition below its date's folder (Chronicling America's ``ed-1``).
_EDITION = re.compile(r"ed-?(\d{1,2})", re.IGNORECASE)
#: The years a newspaper's date may have (the metadata checks refuse the rest).
_YEARS = range(1000, 10_000)


@dataclass(frozen=True)
class FolderDate:
    """A date a folder's name or path gives, the edition where it gives one, and the name
    that gave the date."""

    date: dt.date
    edition: str | None
    name: str


def date_in_path(folder: Path) -> FolderDate | None:
    """The date the folder's name gives, else the nearest of its parents' names that gives
    one, or three names in a row that are a year, a month and a day (``1916/08/26``); None
    when none does. Only the names of the path as it is written are looked at.

    A name gives a date when it holds one (``2016-12-12``, ``jiaozuo-2016-12-12``,
    ``20161212``, ``1916082601``) that is a real calendar date; a name holding two dates
    gives none.
    """
    names = [part for part in folder.parts if part not in ("", ".", "..", folder.anchor)]
    edition: str | None = None
    for index in range(len(names) - 1, -1, -1):
        name = names[index]
        found = _date_in_name(name)
        if found is not None:
            day, own = found
            return FolderDate(day, own or edition, name)
        if index >= 2:
            ymd = _ymd(names[index - 2 : index + 1])
            if ymd is not None:
                return FolderDate(ymd, edition, "/".join(names[index - 2 : index + 1]))
        m = _EDITION.fullmatch(name)
        if index == len(names) - 1 and m is not None and int(m.group(1)) > 0:
            edition = str(int(m.group(1)))
    return None


def _date_in_name(name: str) -> tuple[dt.date, str | None] | None:
    found: list[tuple[dt.date, str | None]] = []
    for m in _ISO.finditer(name):
        day = _day(m.group(1), m.group(2), m.group(3))
        if day is not None:
            found.append((day, None))
    for m in _COMPACT.finditer(name):
        day = _day(m.group(1), m.group(2), m.group(3))
        if day is not None:
            edition = m.group(4)
            found.append((day, str(int(edition)) if edition and int(edition) else None))
    return found[0] if len(found) == 1 else None


def _ymd(names: list[str]) -> dt.date | None:
    year, month, day = names
    if not (len(year) == 4 and len(month) == 2 and len(day) == 2):
        return None
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    return _day(year, month, day)


def _day(year: str, month: str, day: str) -> dt.date | None:
    if not (year.isascii() and month.isascii() and day.isascii()) or int(year) not in _YEARS:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def missing_metadata(folder: Path) -> str | None:
    """Why an issue folder cannot be converted as an issue of an archive: it has no
    ``issue.toml``, no METS file and no date in its name or path, so nothing says what issue
    it is; None when one of them does."""
    from .issue import ISSUE_FILE, find_mets

    if (folder / ISSUE_FILE).is_file() or date_in_path(folder) is not None:
        return None
    try:
        if find_mets(folder) is not None:
            return None
    except (ConverterError, OSError):  # several METS files: the conversion reports which
        return None
    return (
        f"no {ISSUE_FILE}, METS file or date in the folder's name or path (2016-12-12, "
        f"20161212): which issue its pages are is not known; add an {ISSUE_FILE}"
    )
