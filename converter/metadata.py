"""Metadata: the printed source's title, date, page, … from command-line options and a TOML file.

Options win over the file. Every value is checked here, once, so later stages can trust it; a
bad value raises MetadataError naming the option or the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import InputFileError, MetadataError
from .model import Metadata

KEYS = ("paper", "date", "page", "place", "publisher", "issn", "lang")
#: What catalogue records name besides: the title's OCLC number, the institution that holds the
#: copy and publishes the files, the licence of the files, and the web address of the issue's
#: output folder (its documents' addresses are made from it).
CATALOGUE_KEYS = ("oclc", "institution", "licence", "base_url")
ISSUE_KEYS = (*KEYS, "edition", "volume", "number", "lccn", *CATALOGUE_KEYS)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE = re.compile(r"^[A-Za-z]{0,2}[1-9][0-9]{0,3}$")
_ISSN = re.compile(r"^\d{4}-\d{3}[\dXx]$")
#: A normalised LCCN: a prefix of up to three letters, then eight or ten digits (sn83045462).
_LCCN = re.compile(r"^[a-z]{0,3}[0-9]{8}(?:[0-9]{2})?$")
#: An OCLC number, digits alone or with its usual prefixes: (OCoLC)12345, ocm01234567, on1234.
_OCLC = re.compile(r"^(?:\(OCoLC\))?(?:ocm|ocn|on)?0*([1-9][0-9]{0,11})$")
_URL = re.compile(r"^https?://[^\s/?#]+[^\s?#]*$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_LINE_IN_TOML = re.compile(r"line (\d+)")
#: Characters XML 1.0 cannot carry (C0 controls but TAB/LF/CR, surrogates, U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_meta_file(path: Path, allowed: tuple[str, ...] = KEYS) -> dict[str, Any]:
    """Parse a metadata TOML file; unknown keys and malformed TOML are errors."""
    # A metadata file that cannot be opened is a missing input file (exit 3), like a page;
    # only what it says can be bad metadata.
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("metadata file not found", path=path) from None
    except IsADirectoryError:
        raise InputFileError("metadata file is a directory", path=path) from None
    except OSError as exc:
        raise InputFileError(
            f"cannot read metadata file: {exc.strerror or exc}", path=path
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MetadataError(f"not UTF-8 (byte offset {exc.start})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        m = _LINE_IN_TOML.search(str(exc))
        line = int(m.group(1)) if m else None
        raise MetadataError(f"malformed TOML: {exc}", path=path, line=line) from None
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise MetadataError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"(known: {', '.join(allowed)})",
            path=path,
        )
    return data


def for_page(page: Path, options: Mapping[str, str | None], meta_file: Path | None) -> Metadata:
    """The metadata of one page from command-line options (None: not given) and a metadata file
    (options win). A bad option value is named as an option of the page's conversion. Without
    a page number from either, the page's file name gives it as it does in an issue folder
    (:func:`page_in_name`)."""
    file_values = read_meta_file(meta_file, ISSUE_KEYS) if meta_file is not None else None
    given = {key: value for key, value in options.items() if value is not None}
    try:
        build(given)  # the options on their own first, so that a bad one is named as such
    except MetadataError as exc:
        raise MetadataError("option " + exc.message, path=page) from None
    if "page" not in given and (file_values is None or "page" not in file_values):
        named = page_in_name(page)
        if named is not None:
            given["page"] = named
    return build(given, file_values, source=str(meta_file))


#: The last run of digits in a file name: the page number of a page file (p1, page-02, 0003).
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def page_in_name(path: Path) -> str | None:
    """The page number a page file's name gives: the last number in it (``p1.txt`` → 1,
    ``page-02.xml`` → 2, ``0003.json`` → 3), as an issue folder numbers its pages; None when
    the name has no number that can be a page number (none, 0, more than four digits)."""
    m = _LAST_NUMBER.search(path.stem)
    if m is None:
        return None
    value = int(m.group(1))
    return str(value) if 0 < value < 10_000 else None


def build(
    options: Mapping[str, Any],
    file_values: Mapping[str, Any] | None = None,
    *,
    source: str = "metadata",
) -> Metadata:
    """Merge file values and options (options win) and check every value."""
    merged: dict[str, Any] = dict(file_values or {})
    for key, value in options.items():
        if value is not None:
            merged[key] = value
    return Metadata(
        paper=_text(merged, "paper", source),
        date=_date(merged.get("date"), source),
        page=_page(merged.get("page"), source),
        place=_text(merged, "place", source),
        publisher=_text(merged, "publisher", source),
        issn=_issn(merged.get("issn"), source),
        lang=_lang(merged.get("lang"), source),
        edition=_text(merged, "edition", source),
        volume=_text(merged, "volume", source),
        number=_text(merged, "number", source),
        lccn=_lccn(merged.get("lccn"), source),
        oclc=_oclc(merged.get("oclc"), source),
        institution=_only_text(merged, "institution", source),
        licence=_only_text(merged, "licence", source),
        base_url=_base_url(merged.get("base_url"), source),
    )


def overlay(base: Metadata, over: Metadata) -> Metadata:
    """``base`` with every value ``over`` knows put in its place (an issue.toml over a METS)."""
    changes = {
        name: getattr(over, name)
        for name in Metadata.__dataclass_fields__
        if getattr(over, name) is not None
    }
    return replace(base, **changes)


#: Keys whose value may be a TOML integer (``edition = 1``); every other text key is a name,
#: which TOML writes in quotes (``paper = 5`` is a mistake, not the paper "5").
_NUMBER_KEYS = frozenset({"edition", "volume", "number"})
#: TOML's names of Python's types, for messages.
_TOML_TYPES = {
    "int": "an integer",
    "float": "a float",
    "bool": "a boolean",
    "list": "an array",
    "dict": "a table",
    "date": "a date",
    "datetime": "a date-time",
    "time": "a time",
}


def _text(values: Mapping[str, Any], key: str, source: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    allowed = str | int if key in _NUMBER_KEYS else str
    if isinstance(value, bool) or not isinstance(value, allowed):
        kind = _TOML_TYPES.get(type(value).__name__, type(value).__name__)
        wanted = "a number or text" if key in _NUMBER_KEYS else f'text in quotes ({key} = "…")'
        raise MetadataError(f"{key} must be {wanted}, not {kind}", path=source)
    text = str(value).strip()
    bad = _XML_ILLEGAL.search(text)
    if bad is not None:
        raise MetadataError(
            f"{key} holds the character U+{ord(bad.group()):04X}, which XML cannot carry",
            path=source,
        )
    return text or None


def _date(value: Any, source: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        text = str(value).strip()
        if not _DATE.match(text):
            raise MetadataError(f"date {text!r} is not YYYY-MM-DD", path=source)
        try:
            parsed = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise MetadataError(
                f"date {text!r} is not a calendar date ({exc})", path=source
            ) from None
    if parsed.year < 1000:
        # TEI dates here are four-digit years; a year before 1000 is a typing error in a
        # newspaper's metadata.
        raise MetadataError(f"date {parsed.isoformat()!r}: the year is before 1000", path=source)
    return parsed


def _page(value: Any, source: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise MetadataError("page must be a page number", path=source)
    text = str(value).strip()
    if not _PAGE.match(text):
        raise MetadataError(
            f"page {text!r} is not a page number (1, 2, … or a section letter and number: A3)",
            path=source,
        )
    return text.upper()


def _issn(value: Any, source: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip().upper()
    if not _ISSN.match(text):
        raise MetadataError(f"issn {text!r} is not NNNN-NNNC", path=source)
    digits = [10 if c == "X" else int(c) for c in text.replace("-", "")]
    if sum(d * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True)) % 11 != (
        -digits[7] % 11
    ):
        raise MetadataError(f"issn {text!r} has a wrong check digit", path=source)
    return text


def _lccn(value: Any, source: str) -> str | None:
    """An LCCN in its normalised form: blanks removed, letters in lower case."""
    if value is None:
        return None
    text = "".join(str(value).split()).lower()
    if not _LCCN.match(text):
        raise MetadataError(
            f"lccn {text!r} is not a normalised LCCN (up to 3 letters and 8 or 10 digits)",
            path=source,
        )
    return text


def _lang(value: Any, source: str) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not _LANG.match(text):
        raise MetadataError(f"lang {text!r} is not a BCP 47 language tag", path=source)
    return text


def _only_text(values: Mapping[str, Any], key: str, source: str) -> str | None:
    """A value that is text and nothing else (a number is no institution nor licence)."""
    value = values.get(key)
    if value is not None and not isinstance(value, str):
        raise MetadataError(f"{key} must be text, not {type(value).__name__}", path=source)
    return _text(values, key, source)


def _oclc(value: Any, source: str) -> str | None:
    """An OCLC number as its digits, without prefix or leading zeros."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MetadataError(f"oclc must be a number, not {type(value).__name__}", path=source)
    text = str(value).strip()
    m = _OCLC.match(text)
    if m is None:
        raise MetadataError(f"oclc {text!r} is not an OCLC number", path=source)
    return m.group(1)


def _base_url(value: Any, source: str) -> str | None:
    """An http(s) address of a folder, ending in ``/`` (documents' paths are added to it)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetadataError(f"base_url must be text, not {type(value).__name__}", path=source)
    text = value.strip()
    if not _URL.match(text):
        raise MetadataError(
            f"base_url {text!r} is not an http or https address without query or fragment",
            path=source,
        )
    return text if text.endswith("/") else text + "/"
