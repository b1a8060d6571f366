"""Language profiles: find, load and check the TOML data of each language, and detect a page's.

The engine never names a language; everything language-specific (role words, source lines,
jump and end-mark patterns, numerals, month names, hyphens, script ranges, thresholds) comes
from a profile. Profiles are found by file, never by a list in the code:

- every ``*.toml`` in the package's ``profiles`` folder;
- every ``*.toml`` in the folders named by the environment variable ``NEWSPAPER_TEI_PROFILES``
  (separated as ``PATH`` is); a profile there replaces a bundled one of the same name;
- a file given with ``--profile`` (:func:`load_profile_file`), for one run.

A profile leaves out what it shares with ``generic.toml``: each key it does not set takes the
generic profile's value. Choosing a profile (by language tag, or by the script of a page)
reads only each found file's tags, encodings and script (:class:`Found`); the chosen profile is
then loaded: checked whole and its patterns compiled, once for a file's text. An unknown key, a
value of the wrong type or a bad pattern is a :class:`ProfileError` naming the file and the key.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .errors import ConverterError, ExitCode, InputFileError

#: The environment variable naming more folders of profiles.
PROFILES_ENV = "NEWSPAPER_TEI_PROFILES"

#: The profile of a page in no known language, and the base every other profile builds on.
GENERIC = "generic"


class ProfileError(ConverterError):
    """A profile file is malformed: the message names the file and the key."""

    exit_code = ExitCode.METADATA


# --- the data of a profile -----------------------------------------------------------------


@dataclass(frozen=True)
class Numerals:
    """How a language prints numbers: the tables :mod:`converter.analyse.numbers` reads.

    Chinese numerals are ``digits`` read in a row (一〇 = 10), ``multipliers`` that multiply the
    digit before them and add what follows (十二 = 12, 二十 = 20), and ``additive`` signs that
    stand for their own value (廿 = 20). Latin-script languages have ``words`` (number words and
    ordinals, matched regardless of case: ``Two``, ``second``, ``zweite``, ``première``), Roman
    numerals when ``roman`` is set (``XII``), and ``ordinal_suffixes`` after digits or Roman
    numerals (``2nd``, ``3e``, ``IIe``). ``months`` holds month names and abbreviations.
    """

    digits: Mapping[str, int]
    multipliers: Mapping[str, int]
    additive: Mapping[str, int]
    words: Mapping[str, int]  # keys in lower case (str.casefold)
    roman: bool
    ordinal_suffixes: tuple[str, ...]  # longest first, in lower case
    months: Mapping[str, int]  # keys in lower case, without a final period


class AnyOf:
    """Matches where any of its patterns matches, trying them in order (the source patterns
    when :func:`one_alternation` cannot join them)."""

    __slots__ = ("patterns",)

    def __init__(self, patterns: tuple[re.Pattern[str], ...]) -> None:
        self.patterns = patterns

    def match(self, string: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            m = pattern.match(string)
            if m is not None:
                return m
        return None


_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")
#: Pattern text that refers to a group by name or number: joined, the numbers would shift.
_REFERS_BACK = re.compile(r"\(\?P=|\(\?\(|\\[1-9]")


def one_alternation(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` matches, or None if they cannot be
    joined safely.

    Asking every line of a page whether it opens with a source line (labels.starts_article)
    is then one match instead of one per source pattern. Two patterns name the same groups
    (``source``), so the joined one makes its named groups plain: it answers only whether a
    line matches, not what the groups hold. Patterns that refer back to a group, set flags
    for the whole pattern, or hold group-like text that is not a group (``[(?P<a>]``) are
    not joined.
    """
    default_flags = re.compile("").flags
    parts = []
    for pattern in patterns:
        names = _NAMED_GROUP.findall(pattern.pattern)
        if (
            pattern.flags != default_flags
            or _REFERS_BACK.search(pattern.pattern)
            or sorted(names) != sorted(pattern.groupindex)
        ):
            return None
        parts.append("(?:" + _NAMED_GROUP.sub("(", pattern.pattern) + ")")
    try:
        joined = re.compile("|".join(parts))
    except re.error:
        return None
    if joined.groups != sum(pattern.groups for pattern in patterns):
        return None
    return joined


@dataclass(frozen=True)
class LayoutRules:
    """The thresholds of layout analysis (:mod:`converter.analyse.layout`), from ``[layout]``."""

    head_ratio: float  # display type: this many times the column's body type (size or height)
    paragraph_gap: float  # a gap of this many body line heights ends a paragraph
    story_gap: float  # and this many ends a story
    running_band: float  # running heads stand within this share of the text height of its top
    span_ratio: float  # a line this many column widths wide spans columns
    head_min_letters: int  # a display line has at least this many letters
    strong_ratio: float  # display type this large is a head wherever it stands
    display_max_lines: int  # a longer run of lesser display type is text set large
    crosshead_gap: float  # a lesser head closer than this under text is a crosshead
    nameplate_ratio: float  # type this large atop a front page is its nameplate
    advert_min_lines: int  # a stretch this long may be an advertisement ...
    advert_small: float  # ... when this share of its lines is set smaller than the body
    advert_mixed: float  # ... and this share in another type than the body
    advert_switches: float  # ... or the type changes between lines this often
    dateline_sections: bool  # a dateline set on in running text opens a section, not a story


@dataclass(frozen=True)
class StoryRules:
    """Story breaks on a page of plain text with no blank lines, from ``[stories]``: what a
    headline line looks like there (:mod:`converter.analyse.labels`)."""

    min_lines: int  # a block of at least this many lines is searched for headline runs; 0: never
    max_length: int  # a headline line has at most this many characters
    caps_share: float  # a line of capitals: at least this share of its letters
    title_share: float  # a deck: at least this share of its words capitalised
    small_words: frozenset[str]  # words a title leaves in lower case (casefolded)
    crosshead_shared: int  # long words the text around a crosshead shares to be one story
    openers: tuple[re.Pattern[str], ...]  # a line starting so opens a story (a brief's ☞)
    fragment_words: int  # a headless stretch sharing this many long words joins a story; 0: never
    fragment_share: float  # ... that are at least this share of its own long words
    period_words: int  # a headline may be a short sentence of at most this many words; 0: never
    period_width: float  # ... at most this share of the text's median line length
    date_specks: re.Pattern[str] | None  # a dateline the OCR left as specks ("2 9 E")
    serial_start: re.Pattern[str] | None  # a serial's instalment line ("(Fortsetzung.)")


@dataclass(frozen=True, eq=False)
class Profile:
    """A checked language profile with its patterns compiled.

    Compared and hashed by identity (``eq=False``): rule results are memoised per profile and
    text, and two loads of one file are two profiles.
    """

    name: str
    source: str  # the file it was loaded from
    digest: str  # SHA-256 of the file's text: a batch run redoes its issues when it changes
    tags: tuple[str, ...]
    language_name: str
    language_names: Mapping[str, str]
    title: tuple[str, ...]
    encodings: tuple[str, ...]  # legacy encodings to detect among when a page is not UTF-8
    detect: Script | None  # the script that marks a page in this language
    # text
    sentence_end: frozenset[str]
    short_margin: float
    continues: frozenset[str]
    hyphens: frozenset[str]
    # headlines
    head_max_lines: int
    head_max_width: float
    head_min_width: float
    head_min_letters: int
    intertitle: re.Pattern[str] | None
    sub: re.Pattern[str] | None
    deck_separator: re.Pattern[str] | None
    deck: re.Pattern[str] | None  # a headline line that is a deck under the main one
    # bylines
    roles: Mapping[str, str]
    suffix_roles: Mapping[str, str]
    role_words: re.Pattern[str] | None  # all role and suffix words, longest first
    person_name: re.Pattern[str] | None
    name_separator: re.Pattern[str]
    credit_punctuation: re.Pattern[str] | None
    report_place_length: int
    sources: tuple[re.Pattern[str], ...]
    any_source: re.Pattern[str] | AnyOf | None  # whether a line opens with a source line
    credit_line: re.Pattern[str] | None
    place_above: re.Pattern[str] | None  # a line that begins a dateline's place (WITH THE …)
    credit_lead: re.Pattern[str] | None  # how a credit line of Latin script opens (By, Von)
    credit_words: frozenset[str]  # words a credit line may hold besides names (casefolded)
    credit_max_length: int
    wires: tuple[str, ...]  # news agencies' names, matched as OCR garbles them
    wire_similarity: float
    lead_wire_similarity: float  # after an opening (By): OCR garbles the name more freely
    closing: re.Pattern[str] | None  # a source credit closing a story (—Dubois Enterprise.)
    dateline_credit: re.Pattern[str] | None  # a credit after a dateline ([Special to the BEE.])
    # dates and numbers
    dateline: re.Pattern[str] | None
    month_day: re.Pattern[str] | None
    numerals: Numerals
    # jumps and end marks
    jump: re.Pattern[str] | None
    jump_next: frozenset[str]
    jump_prev: frozenset[str]
    page_words: frozenset[str]  # the words for "page" in a page reference (casefolded)
    page_similarity: float
    crossref: re.Pattern[str] | None
    endmark: re.Pattern[str] | None
    serial: re.Pattern[str] | None  # a serial's "to be continued" (in a later issue)
    # non-article blocks
    ad_cues: tuple[re.Pattern[str], ...]
    ad_min_cues: int
    ad_min_density: float
    notice_cues: tuple[re.Pattern[str], ...]
    notice_min_cues: int
    notice_min_density: float
    # story breaks on pages of plain text
    stories: StoryRules
    # the page's layout (layout input only)
    layout: LayoutRules

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, source={self.source!r})"

    def name_for(self, tag: str) -> str:
        """A human name for the language tag, for ``langUsage/language``."""
        return self.language_names.get(tag, self.language_name) or tag


# --- checking the TOML data ------------------------------------------------------------------

#: Top-level keys and each section's keys, each with the kind of value it takes. A key a profile
#: leaves out takes the generic profile's value; any other key is an error.
_TOP: dict[str, str] = {
    "name": "text",
    "tags": "texts",
    "language_name": "text",
    "title": "texts",
    "encodings": "texts",
}
_SECTIONS: dict[str, dict[str, str]] = {
    "language_names": {"*": "text"},
    "detect": {
        "ranges": "ranges",
        "characters": "text",
        "share": "share",
        "words": "texts",
        "min_words": "share",
    },
    "text": {
        "sentence_end": "text",
        "short_margin": "number",
        "continues": "text",
        "hyphens": "text",
    },
    "headline": {
        "max_lines": "count",
        "max_width": "number",
        "min_width": "number",
        "min_letters": "count",
        "intertitle": "pattern",
        "sub": "pattern",
        "deck_separator": "pattern",
        "deck": "pattern",
    },
    "bylines": {
        "roles": "roles",
        "suffix_roles": "roles",
        "name": "pattern",
        "name_separator": "pattern",
        "credit_punctuation": "pattern",
        "report_place_length": "count",
        "sources": "patterns",
        "credit_line": "pattern",
        "place_above": "pattern",
        "credit_lead": "pattern",
        "credit_words": "texts",
        "credit_max_length": "count",
        "wires": "texts",
        "wire_similarity": "share",
        "lead_wire_similarity": "share",
        "closing": "pattern",
        "dateline_credit": "pattern",
    },
    "dates": {"dateline": "pattern", "month_day": "pattern", "months": "values"},
    "numerals": {
        "digits": "values",
        "multipliers": "values",
        "additive": "values",
        "words": "values",
        "roman": "flag",
        "ordinal_suffixes": "texts",
    },
    "jumps": {
        "pattern": "pattern",
        "next": "texts",
        "prev": "texts",
        "page_words": "texts",
        "page_similarity": "share",
        "crossref": "pattern",
    },
    "endmarks": {"pattern": "pattern", "serial": "pattern"},
    "stories": {
        "min_lines": "count",
        "max_length": "count",
        "caps_share": "share",
        "title_share": "share",
        "small_words": "texts",
        "crosshead_shared": "count",
        "openers": "patterns",
        "fragment_words": "count",
        "fragment_share": "share",
        "period_words": "count",
        "period_width": "share",
        "date_specks": "pattern",
        "serial_start": "pattern",
    },
    "advertisements": {"cues": "patterns", "min_cues": "count", "min_density": "number"},
    "notices": {"cues": "patterns", "min_cues": "count", "min_density": "number"},
    "layout": {
        "head_ratio": "number",
        "paragraph_gap": "number",
        "story_gap": "number",
        "running_band": "share",
        "span_ratio": "number",
        "strong_ratio": "number",
        "display_max_lines": "count",
        "crosshead_gap": "number",
        "nameplate_ratio": "number",
        "advert_min_lines": "count",
        "advert_small": "number",
        "advert_mixed": "number",
        "advert_switches": "number",
        "dateline_sections": "flag",
    },
}
#: Named groups the engine reads from a pattern's match.
_GROUPS = {
    "bylines.sources": ("source",),
    "dates.dateline": ("date",),
    "dates.month_day": ("month", "day"),
    "jumps.pattern": ("dir", "page"),
    "endmarks.pattern": ("mark",),
    "bylines.closing": ("source",),
    "jumps.crossref": ("page",),
}


class _Reader:
    """Reads checked values out of one profile's merged data, naming its file in errors."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{key}: {problem}", path=self.where)

    def get(self, key: str) -> Any:
        section, _, field = key.rpartition(".")
        table = self.data.get(section, {}) if section else self.data
        if field not in table:
            raise self.fail(key, "missing")
        value = table[field]
        kind = _TOP[field] if not section else _SECTIONS[section][field]
        return _CHECKS[kind](self, key, value)

    def pattern(self, key: str, raw: str) -> re.Pattern[str] | None:
        if not raw:
            return None
        try:
            compiled = re.compile(raw)
        except re.error as exc:
            raise self.fail(key, f"bad pattern: {exc}") from None
        missing = [g for g in _GROUPS.get(key, ()) if g not in compiled.groupindex]
        if missing:
            raise self.fail(key, f"the pattern needs the named groups {missing}")
        return compiled


def _text(reader: _Reader, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise reader.fail(key, "expected a string")
    return value


def _texts(reader: _Reader, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise reader.fail(key, "expected a list of strings")
    return tuple(value)


def _number(reader: _Reader, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise reader.fail(key, "expected a number")
    return float(value)


def _count(reader: _Reader, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise reader.fail(key, "expected a whole number, 0 or more")
    return value


def _share(reader: _Reader, key: str, value: Any) -> float:
    share = _number(reader, key, value)
    if not 0 <= share < 1:
        raise reader.fail(key, "expected a share from 0 up to (not including) 1")
    return share


def _flag(reader: _Reader, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise reader.fail(key, "expected true or false")
    return value


def _roles(reader: _Reader, key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise reader.fail(key, "expected a table of words and roles")
    return {str(k): v for k, v in value.items()}


def _values(reader: _Reader, key: str, value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()
    ):
        raise reader.fail(key, "expected a table of words and whole numbers")
    return {str(k): v for k, v in value.items()}


def _ranges(reader: _Reader, key: str, value: Any) -> tuple[tuple[int, int], ...]:
    ok = isinstance(value, list) and all(
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(n, int) and 0 <= n <= 0x10FFFF for n in pair)
        and pair[0] <= pair[1]
        for pair in value
    )
    if not ok:
        raise reader.fail(key, "expected a list of [first, last] code points")
    return tuple((first, last) for first, last in value)


def _pattern(reader: _Reader, key: str, value: Any) -> re.Pattern[str] | None:
    return reader.pattern(key, _text(reader, key, value))


def _patterns(reader: _Reader, key: str, value: Any) -> tuple[re.Pattern[str], ...]:
    found = (reader.pattern(key, raw) for raw in _texts(reader, key, value))
    return tuple(p for p in found if p is not None)


_CHECKS: dict[str, Callable[[_Reader, str, Any], Any]] = {
    "text": _text,
    "texts": _texts,
    "number": _number,
    "count": _count,
    "share": _share,
    "flag": _flag,
    "roles": _roles,
    "values": _values,
    "ranges": _ranges,
    "pattern": _pattern,
    "patterns": _patterns,
}


def _check_keys(data: Mapping[str, Any], where: str) -> None:
    """Every key of the data is one the engine knows (a misspelt key would be ignored)."""
    for key, value in data.items():
        if key in _TOP:
            continue
        if key not in _SECTIONS:
            raise ProfileError(f"{key}: unknown key", path=where)
        if not isinstance(value, dict):
            raise ProfileError(f"[{key}]: expected a table", path=where)
        known = _SECTIONS[key]
        if "*" in known:
            continue
        for field in value:
            if field not in known:
                raise ProfileError(f"{key}.{field}: unknown key", path=where)


def _merged(base: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` over ``base``: each key the profile sets replaces the base's. A table of free
    keys (``language_names``) is the profile's own."""
    out: dict[str, Any] = {}
    for key in {*base, *data}:
        mine, theirs = data.get(key), base.get(key)
        if key in _SECTIONS and "*" not in _SECTIONS[key] and isinstance(mine, dict):
            out[key] = {**(theirs or {}), **mine}
        else:
            out[key] = mine if key in data else theirs
    return out


@dataclass(frozen=True)
class Script:
    """The letters that mark a language's pages (one character class), and the share of a
    page's letters above which the page is in that language."""

    pattern: re.Pattern[str]
    share: float
    #: Common words of the language (casefolded): of several profiles sharing a script, the
    #: one whose words are most of the page's words wins, if they are ``min_words`` of them.
    words: frozenset[str] = frozenset()
    min_words: float = 0.0


def _detect(read: _Reader) -> Script | None:
    """The script of ``[detect]``: code point ranges and single characters, and the language's
    common words; None if no script is given."""
    ranges: Sequence[tuple[int, int]] = read.get("detect.ranges")
    characters: str = read.get("detect.characters")
    share: float = read.get("detect.share")
    words = _folded(read.get("detect.words"))
    min_words: float = read.get("detect.min_words")
    parts = [
        re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")
        for first, last in ranges
    ]
    parts.extend(re.escape(c) for c in dict.fromkeys(characters))
    if not parts:
        return None
    return Script(re.compile("[" + "".join(parts) + "]"), share, words, min_words)


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word.casefold() for word in words)


def _lower_keys(table: Mapping[str, int]) -> dict[str, int]:
    return {k.casefold().rstrip("."): v for k, v in table.items()}


def parse_profile(
    data: Mapping[str, Any], where: str, base: Mapping[str, Any] | None, digest: str = ""
) -> Profile:
    """Check a profile's data (parsed TOML) and compile its patterns. ``base`` is the generic
    profile's data, whose values stand for the keys this profile leaves out (None: the data
    is the base and must hold every key)."""
    _check_keys(data, where)
    merged = _merged(base, data) if base is not None else dict(data)
    read = _Reader(merged, where)
    for required in ("name", "tags", "language_name"):
        if required not in data:
            raise read.fail(required, "missing")
    roles = read.get("bylines.roles")
    suffix_roles = read.get("bylines.suffix_roles")
    words = sorted(set(roles) | set(suffix_roles), key=lambda w: (-len(w), w))
    sources = read.get("bylines.sources")
    suffixes = {s.casefold() for s in read.get("numerals.ordinal_suffixes") if s}
    return Profile(
        name=read.get("name"),
        source=where,
        digest=digest,
        tags=read.get("tags"),
        language_name=read.get("language_name"),
        language_names=_roles(read, "language_names", merged.get("language_names", {})),
        title=read.get("title"),
        encodings=_encodings(read),
        detect=_detect(read),
        sentence_end=frozenset(read.get("text.sentence_end")),
        short_margin=read.get("text.short_margin"),
        continues=frozenset(read.get("text.continues")),
        hyphens=frozenset(read.get("text.hyphens")),
        head_max_lines=read.get("headline.max_lines"),
        head_max_width=read.get("headline.max_width"),
        head_min_width=read.get("headline.min_width"),
        head_min_letters=read.get("headline.min_letters"),
        intertitle=read.get("headline.intertitle"),
        sub=read.get("headline.sub"),
        deck_separator=read.get("headline.deck_separator"),
        deck=read.get("headline.deck"),
        roles=roles,
        suffix_roles=suffix_roles,
        role_words=re.compile("|".join(map(re.escape, words))) if words else None,
        person_name=read.get("bylines.name"),
        name_separator=read.get("bylines.name_separator") or re.compile(r"\s+"),
        credit_punctuation=read.get("bylines.credit_punctuation"),
        report_place_length=read.get("bylines.report_place_length"),
        sources=sources,
        any_source=(one_alternation(sources) or AnyOf(sources)) if sources else None,
        credit_line=read.get("bylines.credit_line"),
        place_above=read.get("bylines.place_above"),
        credit_lead=read.get("bylines.credit_lead"),
        credit_words=_folded(read.get("bylines.credit_words")),
        credit_max_length=read.get("bylines.credit_max_length"),
        wires=read.get("bylines.wires"),
        wire_similarity=read.get("bylines.wire_similarity"),
        lead_wire_similarity=read.get("bylines.lead_wire_similarity"),
        closing=read.get("bylines.closing"),
        dateline_credit=read.get("bylines.dateline_credit"),
        dateline=read.get("dates.dateline"),
        month_day=read.get("dates.month_day"),
        numerals=Numerals(
            digits=read.get("numerals.digits"),
            multipliers=read.get("numerals.multipliers"),
            additive=read.get("numerals.additive"),
            words=_lower_keys(read.get("numerals.words")),
            roman=read.get("numerals.roman"),
            ordinal_suffixes=tuple(sorted(suffixes, key=lambda s: (-len(s), s))),
            months=_lower_keys(read.get("dates.months")),
        ),
        jump=read.get("jumps.pattern"),
        jump_next=frozenset(read.get("jumps.next")),
        jump_prev=frozenset(read.get("jumps.prev")),
        page_words=_folded(read.get("jumps.page_words")),
        page_similarity=read.get("jumps.page_similarity"),
        crossref=read.get("jumps.crossref"),
        endmark=read.get("endmarks.pattern"),
        serial=read.get("endmarks.serial"),
        ad_cues=read.get("advertisements.cues"),
        ad_min_cues=read.get("advertisements.min_cues"),
        ad_min_density=read.get("advertisements.min_density"),
        notice_cues=read.get("notices.cues"),
        notice_min_cues=read.get("notices.min_cues"),
        notice_min_density=read.get("notices.min_density"),
        stories=StoryRules(
            min_lines=read.get("stories.min_lines"),
            max_length=read.get("stories.max_length"),
            caps_share=read.get("stories.caps_share"),
            title_share=read.get("stories.title_share"),
            small_words=_folded(read.get("stories.small_words")),
            crosshead_shared=read.get("stories.crosshead_shared"),
            openers=read.get("stories.openers"),
            fragment_words=read.get("stories.fragment_words"),
            fragment_share=read.get("stories.fragment_share"),
            period_words=read.get("stories.period_words"),
            period_width=read.get("stories.period_width"),
            date_specks=read.get("stories.date_specks"),
            serial_start=read.get("stories.serial_start"),
        ),
        layout=LayoutRules(
            head_ratio=read.get("layout.head_ratio"),
            paragraph_gap=read.get("layout.paragraph_gap"),
            story_gap=read.get("layout.story_gap"),
            running_band=read.get("layout.running_band"),
            span_ratio=read.get("layout.span_ratio"),
            head_min_letters=read.get("headline.min_letters"),
            strong_ratio=read.get("layout.strong_ratio"),
            display_max_lines=read.get("layout.display_max_lines"),
            crosshead_gap=read.get("layout.crosshead_gap"),
            nameplate_ratio=read.get("layout.nameplate_ratio"),
            advert_min_lines=read.get("layout.advert_min_lines"),
            advert_small=read.get("layout.advert_small"),
            advert_mixed=read.get("layout.advert_mixed"),
            advert_switches=read.get("layout.advert_switches"),
            dateline_sections=read.get("layout.dateline_sections"),
        ),
    )


def _encodings(read: _Reader) -> tuple[str, ...]:
    """The legacy encodings of a profile, named as ``codecs.lookup(name).name`` names them.

    They are not looked up here: that imports each codec, which a UTF-8 page never needs.
    The tests check that every bundled profile names known codecs by their canonical names.
    """
    names: tuple[str, ...] = read.get("encodings")
    if not all(names):
        raise read.fail("encodings", "expected a list of codec names")
    return names


# --- finding and loading -------------------------------------------------------------------


@functools.cache
def _toml(text: str, where: str) -> dict[str, Any]:
    """The data of a profile's text (memoised by the text; the data is never modified)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not a TOML file: {exc}", path=where) from None


@functools.cache
def _bundled_text(name: str) -> str:
    """The text of a bundled profile (read once: the package's files do not change in a run)."""
    resource = importlib.resources.files("converter.profiles") / f"{name}.toml"
    return resource.read_text(encoding="utf-8")


def _bundled_where(name: str) -> str:
    return f"profiles/{name}.toml"


@functools.cache
def _bundled_names() -> tuple[str, ...]:
    folder = importlib.resources.files("converter.profiles")
    return tuple(
        sorted(e.name[: -len(".toml")] for e in folder.iterdir() if e.name.endswith(".toml"))
    )


def _base() -> dict[str, Any]:
    """The generic profile's data, under every other profile's."""
    return _toml(_bundled_text(GENERIC), _bundled_where(GENERIC))


@functools.cache
def _from_text(text: str, where: str) -> Profile:
    """The profile of a file's text. Memoised by the text itself, so an edited file is read
    anew and an unchanged one is not checked and compiled again."""
    base = None if where == _bundled_where(GENERIC) else _base()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_profile(_toml(text, where), where, base, digest)


def _read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError("no such profile file", path=path) from None
    except IsADirectoryError:
        raise InputFileError("is a folder, not a profile file", path=path) from None
    except UnicodeDecodeError:
        raise ProfileError("not UTF-8 text", path=path) from None
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", path=path) from None


def load_profile_file(path: str | Path) -> Profile:
    """Load a profile from any file (``--profile``): checked, its patterns compiled."""
    return _from_text(_read_text(path), str(path))


@dataclass(frozen=True)
class Found:
    """A profile file found, with what choosing among profiles reads: its tags, encodings and
    script, taken from its data (its keys checked). The whole profile is checked and its
    patterns compiled by :meth:`load`, so a page compiles no other language's patterns."""

    name: str
    where: str
    text: str
    tags: tuple[str, ...]
    encodings: tuple[str, ...]
    detect: Script | None

    def load(self) -> Profile:
        profile = _from_text(self.text, self.where)
        if profile.name != self.name:
            raise ProfileError(f"name: {profile.name!r} is not the file's name", path=self.where)
        return profile


@functools.cache
def _found(name: str, text: str, where: str) -> Found:
    data = _toml(text, where)
    _check_keys(data, where)
    base = None if where == _bundled_where(GENERIC) else _base()
    read = _Reader(_merged(base, data) if base is not None else data, where)
    return Found(name, where, text, read.get("tags"), _encodings(read), _detect(read))


def _folder_files() -> dict[str, Path]:
    """The profile files of the folders in ``NEWSPAPER_TEI_PROFILES``, by name (the first
    folder listed wins)."""
    found: dict[str, Path] = {}
    for folder in os.environ.get(PROFILES_ENV, "").split(os.pathsep):
        if not folder or not os.path.isdir(folder):
            continue
        for path in sorted(Path(folder).glob("*.toml")):
            found.setdefault(path.stem, path)
    return found


def found_profiles() -> tuple[Found, ...]:
    """Every profile file found, in name order: bundled ones, and those of the folders of
    ``NEWSPAPER_TEI_PROFILES``, which replace bundled ones of the same name."""
    files: dict[str, Path | None] = dict.fromkeys(_bundled_names())
    files.update(_folder_files())
    out = []
    for name, path in sorted(files.items()):
        if path is None:
            out.append(_found(name, _bundled_text(name), _bundled_where(name)))
        else:
            out.append(_found(name, _read_text(path), str(path)))
    return tuple(out)


def profile_names() -> tuple[str, ...]:
    """The names of every profile found."""
    return tuple(found.name for found in found_profiles())


def load_profile(name: str) -> Profile:
    """The profile of a name: from a folder of ``NEWSPAPER_TEI_PROFILES``, else bundled."""
    for found in found_profiles():
        if found.name == name:
            return found.load()
    raise ProfileError(f"no profile named {name!r}", path=f"{name}.toml")


def all_profiles() -> tuple[Profile, ...]:
    """Every profile found, loaded, in name order."""
    return tuple(found.load() for found in found_profiles())


def all_encodings() -> tuple[str, ...]:
    """The legacy encodings of every profile, in profile order, without repeats."""
    return tuple(dict.fromkeys(enc for found in found_profiles() for enc in found.encodings))


def profile_for(tag: str) -> Profile:
    """The profile serving a BCP 47 tag: the one listing the exact tag, else one listing its
    primary language, else generic."""
    candidates = found_profiles()
    for wanted in (tag.lower(), tag.split("-")[0].lower()):
        for found in candidates:
            if wanted in {t.lower() for t in found.tags}:
                return found.load()
    return load_profile(GENERIC)


# --- detection -----------------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")
#: A word for detection: letters, with an apostrophe inside (l'homme is l' and homme).
_WORD = re.compile(r"[^\W\d_]+['’]?")


class _Detectable(Protocol):
    @property
    def detect(self) -> Script | None: ...


_Candidate = TypeVar("_Candidate", bound=_Detectable)


def detect_language(lines: Iterable[str], candidates: Iterable[_Candidate]) -> _Candidate | None:
    """The profile (loaded or found) whose script and words the text is written in, or None.

    A profile claims a text when more than its ``detect.share`` of the text's letters are of
    its ``detect`` ranges and characters and, if it lists common words (``detect.words``), at
    least ``detect.min_words`` of the text's words are among them. Of several claims, the one
    matching the most words wins, then the one with the most letters of its script: English,
    German and French share a script and are told apart by their words.
    """
    sample = "\n".join(lines)
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    words: list[str] | None = None  # read only when a claiming profile lists words
    best: _Candidate | None = None
    best_key = (0, 0)
    for candidate in candidates:
        script = candidate.detect
        if script is None:
            continue
        count = len(script.pattern.findall(sample))
        if count <= script.share * letters:
            continue
        hits = 0
        if script.words:
            if words is None:
                words = [w.casefold() for w in _WORD.findall(sample)]
            hits = sum(1 for w in words if w in script.words)
            if not hits or hits < script.min_words * len(words):
                continue
        if (hits, count) > best_key:
            best, best_key = candidate, (hits, count)
    return best
