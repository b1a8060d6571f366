"""Language profiles: load the TOML data of one language, check it, compile its patterns once.

The engine never names a language; everything language-specific (role words, source lines,
jump and end-mark patterns, numerals, thresholds) comes from a profile in ``converter/profiles``.

A pattern is compiled when a rule first asks for it, not when its profile is loaded: a page
needs one profile's patterns, while choosing among legacy encodings reads every profile, and
some character classes (all CJK ideographs) take a millisecond each to compile.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from .errors import InternalError


class AnyOf:
    """Matches where any of its patterns matches (for detection: which one, it does not say).

    A page asks a few hundred times, and trying the patterns one by one costs less than
    compiling them into one alternation. A long input asks for every line, so after
    ``combine_after`` questions the alternation is compiled and answers instead.
    """

    __slots__ = ("_asked", "_combined", "combine_after", "patterns")

    def __init__(self, patterns: tuple[re.Pattern[str], ...], combine_after: int = 2000) -> None:
        self.patterns = patterns
        self.combine_after = combine_after
        self._asked = 0
        self._combined: re.Pattern[str] | None = None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._combined is None:
            self._asked += 1
            if self._asked <= self.combine_after:
                for pattern in self.patterns:
                    m = pattern.match(string, pos, endpos)
                    if m is not None:
                        return m
                return None
            try:
                self._combined = _alternation(self.patterns)
            except re.error:  # e.g. inline flags, which only lead a whole pattern
                self._combined = None
            if self._combined is None:
                self.combine_after = sys.maxsize
                return self.match(string, pos, endpos)
        return self._combined.match(string, pos, endpos)


#: What one alternation of several patterns cannot keep: a group named twice is an error, so
#: names are made plain, which renumbers the groups that back references and conditionals
#: count on (and text like an escaped ``\(?P<`` must not be taken for a group).
_NOT_COMBINABLE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\\\(\?P<")
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


def _alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern matching where any of ``patterns`` matches (named groups made plain), or
    None when that would change what one of them matches."""
    if len({p.flags for p in patterns}) > 1 or any(
        _NOT_COMBINABLE.search(p.pattern) for p in patterns
    ):
        return None
    plain = [_GROUP_NAME.sub("(?:", p.pattern) for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in plain), patterns[0].flags if patterns else 0)


class Profile:
    """A checked language profile whose patterns compile on first use.

    Immutable, and hashed by identity: rule results are cached per profile and text. (A plain
    class: a frozen dataclass of this many fields costs a one-page run a millisecond to build.)
    """

    name: str
    tags: tuple[str, ...]
    language_name: str
    language_names: Mapping[str, str]
    title: tuple[str, ...]
    detect_script: str | None
    encodings: tuple[str, ...]  # legacy encodings to detect among when a page is not UTF-8
    # text
    sentence_end: frozenset[str]
    short_margin: float
    continues: frozenset[str]
    # headlines
    head_max_lines: int
    head_max_width: float
    head_min_width: float
    # bylines
    roles: Mapping[str, str]
    suffix_roles: Mapping[str, str]
    # dates
    numerals: Mapping[str, int]
    # jumps
    jump_next: frozenset[str]
    jump_prev: frozenset[str]
    # non-article blocks
    ad_min_cues: int
    ad_min_density: float
    notice_min_cues: int
    notice_min_density: float
    # The pattern text of the profile by "section.key" (a string, or a list for several).
    pattern_source: Mapping[str, Any]

    def __init__(
        self,
        *,
        name: str,
        tags: tuple[str, ...],
        language_name: str,
        language_names: Mapping[str, str],
        title: tuple[str, ...],
        detect_script: str | None,
        encodings: tuple[str, ...],
        sentence_end: frozenset[str],
        short_margin: float,
        continues: frozenset[str],
        head_max_lines: int,
        head_max_width: float,
        head_min_width: float,
        roles: Mapping[str, str],
        suffix_roles: Mapping[str, str],
        numerals: Mapping[str, int],
        jump_next: frozenset[str],
        jump_prev: frozenset[str],
        ad_min_cues: int,
        ad_min_density: float,
        notice_min_cues: int,
        notice_min_density: float,
        pattern_source: Mapping[str, Any],
    ) -> None:
        fields = dict(locals())  # the keyword arguments, each a field
        del fields["self"]
        self.__dict__.update(fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a profile is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a profile is immutable")

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r})"

    def name_for(self, tag: str) -> str:
        """A human name for the language tag, for ``langUsage/language``."""
        return self.language_names.get(tag, self.language_name) or tag

    def _one(self, key: str) -> re.Pattern[str] | None:
        return _pattern(self.pattern_source[key], key)

    def _many(self, key: str) -> tuple[re.Pattern[str], ...]:
        return _patterns(self.pattern_source[key], key)

    # headlines
    @cached_property
    def intertitle(self) -> re.Pattern[str] | None:
        return self._one("headline.intertitle")

    @cached_property
    def sub(self) -> re.Pattern[str] | None:
        return self._one("headline.sub")

    @cached_property
    def deck_separator(self) -> re.Pattern[str] | None:
        return self._one("headline.deck_separator")

    # bylines
    @cached_property
    def role_words(self) -> re.Pattern[str] | None:
        """All role and suffix words, longest first."""
        words = sorted(set(self.roles) | set(self.suffix_roles), key=lambda w: (-len(w), w))
        return re.compile("|".join(re.escape(w) for w in words)) if words else None

    @cached_property
    def person_name(self) -> re.Pattern[str] | None:
        return self._one("bylines.name")

    @cached_property
    def name_separator(self) -> re.Pattern[str]:
        return self._one("bylines.name_separator") or re.compile(r"\s+")

    @cached_property
    def sources(self) -> tuple[re.Pattern[str], ...]:
        return self._many("bylines.sources")

    @cached_property
    def any_source(self) -> AnyOf | None:
        """Where any source pattern matches: detection of source lines."""
        return AnyOf(self.sources) if self.sources else None

    @cached_property
    def credit_line(self) -> re.Pattern[str] | None:
        return self._one("bylines.credit_line")

    # dates
    @cached_property
    def dateline(self) -> re.Pattern[str] | None:
        return self._one("dates.dateline")

    @cached_property
    def month_day(self) -> re.Pattern[str] | None:
        return self._one("dates.month_day")

    # jumps and end marks
    @cached_property
    def jump(self) -> re.Pattern[str] | None:
        return self._one("jumps.pattern")

    @cached_property
    def endmark(self) -> re.Pattern[str] | None:
        return self._one("endmarks.pattern")

    # non-article blocks
    @cached_property
    def ad_cues(self) -> tuple[re.Pattern[str], ...]:
        return self._many("advertisements.cues")

    @cached_property
    def notice_cues(self) -> tuple[re.Pattern[str], ...]:
        return self._many("notices.cues")

    def compile_patterns(self) -> None:
        """Compile every pattern now (a bad pattern raises ProfileError): for checks."""
        for key in _PATTERN_ATTRIBUTES:
            getattr(self, key)


#: The pattern attributes of a profile, compiled on first use.
_PATTERN_ATTRIBUTES = (
    "intertitle",
    "sub",
    "deck_separator",
    "role_words",
    "person_name",
    "name_separator",
    "sources",
    "any_source",
    "credit_line",
    "dateline",
    "month_day",
    "jump",
    "endmark",
    "ad_cues",
    "notice_cues",
)
#: The profile keys that hold patterns, as "section.key".
_PATTERN_KEYS = (
    "headline.intertitle",
    "headline.sub",
    "headline.deck_separator",
    "bylines.name",
    "bylines.name_separator",
    "bylines.sources",
    "bylines.credit_line",
    "dates.dateline",
    "dates.month_day",
    "jumps.pattern",
    "endmarks.pattern",
    "advertisements.cues",
    "notices.cues",
)
_LISTS = {"bylines.sources", "advertisements.cues", "notices.cues"}


_SECTIONS: dict[str, set[str]] = {
    "": {"name", "tags", "language_name", "title", "detect_script", "encodings"},
    "language_names": set(),
    "text": {"sentence_end", "short_margin", "continues"},
    "headline": {"max_lines", "max_width", "min_width", "intertitle", "sub", "deck_separator"},
    "bylines": {"roles", "suffix_roles", "name", "name_separator", "sources", "credit_line"},
    "dates": {"dateline", "month_day"},
    "numerals": set(),
    "jumps": {"pattern", "next", "prev"},
    "endmarks": {"pattern"},
    "advertisements": {"cues", "min_cues", "min_density"},
    "notices": {"cues", "min_cues", "min_density"},
}
_FREE_SECTIONS = {"language_names", "numerals"}
PROFILE_NAMES = ("zh", "en", "generic")


class ProfileError(InternalError):
    """A bundled profile is malformed (a defect of the package, not of the user's input)."""


def _pattern(raw: Any, where: str) -> re.Pattern[str] | None:
    if not isinstance(raw, str):
        raise ProfileError(f"profile {where}: expected a string pattern")
    if not raw:
        return None
    try:
        return re.compile(raw)
    except re.error as exc:
        raise ProfileError(f"profile {where}: bad pattern: {exc}") from None


def _patterns(raw: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list):
        raise ProfileError(f"profile {where}: expected a list of patterns")
    compiled = [_pattern(item, where) for item in raw]
    return tuple(p for p in compiled if p is not None)


def _encodings(raw: Any, name: str) -> tuple[str, ...]:
    """The legacy encodings of a profile, named as ``codecs.lookup(name).name`` names them.

    They are not looked up here: that imports each codec, which a UTF-8 page never needs.
    The tests check that every bundled profile names known codecs by their canonical names.
    """
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        raise ProfileError(f"profile {name}: encodings must be a list of codec names")
    return tuple(raw)


def all_encodings() -> tuple[str, ...]:
    """The legacy encodings of every bundled profile, in profile order, without repeats."""
    seen: dict[str, None] = {}
    for name in PROFILE_NAMES:
        for enc in load_profile(name).encodings:
            seen[enc] = None
    return tuple(seen)


def _check_keys(data: Mapping[str, Any], name: str) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and key in _SECTIONS and key:
            if key in _FREE_SECTIONS:
                continue
            unknown = set(value) - _SECTIONS[key]
            missing = _SECTIONS[key] - set(value)
            if unknown or missing:
                raise ProfileError(
                    f"profile {name} [{key}]: unknown keys {sorted(unknown)},"
                    f" missing {sorted(missing)}"
                )
        elif key not in _SECTIONS[""]:
            raise ProfileError(f"profile {name}: unknown key {key!r}")
    for section in _SECTIONS:
        if section and section not in data:
            raise ProfileError(f"profile {name}: missing section [{section}]")


def _pattern_source(data: Mapping[str, Any]) -> dict[str, Any]:
    """The pattern text of each pattern key, checked for its shape (compiled later)."""
    out: dict[str, Any] = {}
    for key in _PATTERN_KEYS:
        section, field = key.split(".")
        raw = data[section][field]
        if key in _LISTS:
            if not isinstance(raw, list):
                raise ProfileError(f"profile {key}: expected a list of patterns")
            items = raw
        else:
            items = [raw]
        if not all(isinstance(item, str) for item in items):
            raise ProfileError(f"profile {key}: expected a string pattern")
        out[key] = list(raw) if key in _LISTS else raw
    return out


def parse_profile(data: Mapping[str, Any]) -> Profile:
    """Check profile data (the parsed TOML); its patterns compile when first used."""
    name = str(data.get("name", "?"))
    _check_keys(data, name)
    by = data["bylines"]
    jumps = data["jumps"]
    ads, notices = data["advertisements"], data["notices"]
    return Profile(
        name=name,
        tags=tuple(data["tags"]),
        language_name=str(data["language_name"]),
        language_names={str(k): str(v) for k, v in data["language_names"].items()},
        title=tuple(data["title"]),
        detect_script=data.get("detect_script"),
        encodings=_encodings(data.get("encodings", []), name),
        sentence_end=frozenset(data["text"]["sentence_end"]),
        short_margin=float(data["text"]["short_margin"]),
        continues=frozenset(data["text"]["continues"]),
        head_max_lines=int(data["headline"]["max_lines"]),
        head_max_width=float(data["headline"]["max_width"]),
        head_min_width=float(data["headline"]["min_width"]),
        roles={str(k): str(v) for k, v in by["roles"].items()},
        suffix_roles={str(k): str(v) for k, v in by["suffix_roles"].items()},
        numerals={str(k): int(v) for k, v in data["numerals"].items()},
        jump_next=frozenset(jumps["next"]),
        jump_prev=frozenset(jumps["prev"]),
        ad_min_cues=int(ads["min_cues"]),
        ad_min_density=float(ads["min_density"]),
        notice_min_cues=int(notices["min_cues"]),
        notice_min_density=float(notices["min_density"]),
        pattern_source=_pattern_source(data),
    )


#: The bundled profiles: ``profiles/<name>.toml`` next to this module.
_PROFILE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profiles")


def _profile_text(name: str) -> str:
    """The TOML text of a bundled profile; FileNotFoundError if there is none."""
    try:
        with open(os.path.join(_PROFILE_DIR, f"{name}.toml"), encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        # Not a plain folder (e.g. imported from a zip archive): ask the package's loader.
        import importlib.resources

        resource = importlib.resources.files("converter.profiles") / f"{name}.toml"
        return resource.read_text(encoding="utf-8")


@functools.cache
def load_profile(name: str) -> Profile:
    """Load a bundled profile by name (cached: each profile is read and checked once)."""
    if not name or os.sep in name or (os.altsep and os.altsep in name):
        raise ProfileError(f"no profile named {name!r}")
    try:
        data = tomllib.loads(_profile_text(name))
    except FileNotFoundError:
        raise ProfileError(f"no profile named {name!r}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {name}: {exc}") from None
    return parse_profile(data)


def profile_for(tag: str) -> Profile:
    """The profile serving a BCP 47 tag: exact tag, then its primary language, else generic."""
    primary = tag.split("-")[0].lower()
    for name in PROFILE_NAMES:
        profile = load_profile(name)
        lowered = {t.lower() for t in profile.tags}
        if tag.lower() in lowered or primary in lowered:
            return profile
    return load_profile("generic")
