"""Language profiles: load the TOML data of one language, check it, compile its patterns once.

The engine never names a language; everything language-specific (role words, source lines,
jump and end-mark patterns, numerals, thresholds) comes from a profile in ``converter/profiles``.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InternalError


@dataclass(frozen=True, eq=False)
class Profile:
    """A checked, compiled language profile (hashed by identity: rule results are cached per
    profile and text)."""

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
    intertitle: re.Pattern[str] | None
    sub: re.Pattern[str] | None
    deck_separator: re.Pattern[str] | None
    # bylines
    roles: Mapping[str, str]
    suffix_roles: Mapping[str, str]
    role_words: re.Pattern[str] | None  # all role and suffix words, longest first
    person_name: re.Pattern[str] | None
    name_separator: re.Pattern[str]
    sources: tuple[re.Pattern[str], ...]
    any_source: re.Pattern[str] | None  # all source patterns in one, without groups: detection
    credit_line: re.Pattern[str] | None
    # dates
    dateline: re.Pattern[str] | None
    month_day: re.Pattern[str] | None
    numerals: Mapping[str, int]
    # jumps and end marks
    jump: re.Pattern[str] | None
    jump_next: frozenset[str]
    jump_prev: frozenset[str]
    endmark: re.Pattern[str] | None
    # non-article blocks
    ad_cues: tuple[re.Pattern[str], ...]
    ad_min_cues: int
    ad_min_density: float
    notice_cues: tuple[re.Pattern[str], ...]
    notice_min_cues: int
    notice_min_density: float

    def name_for(self, tag: str) -> str:
        """A human name for the language tag, for ``langUsage/language``."""
        return self.language_names.get(tag, self.language_name) or tag


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


def _encodings(raw: Any, name: str) -> list[str]:
    import codecs

    if not isinstance(raw, list):
        raise ProfileError(f"profile {name}: encodings must be a list")
    out = []
    for item in raw:
        try:
            out.append(codecs.lookup(str(item)).name)
        except LookupError:
            raise ProfileError(f"profile {name}: unknown encoding {item!r}") from None
    return out


def all_encodings() -> tuple[str, ...]:
    """The legacy encodings of every bundled profile, in profile order, without repeats."""
    seen: dict[str, None] = {}
    for name in PROFILE_NAMES:
        for enc in load_profile(name).encodings:
            seen[enc] = None
    return tuple(seen)


def _alternation(raw: list[str]) -> re.Pattern[str] | None:
    """One pattern matching where any of ``raw`` matches (named groups made plain)."""
    parts = [re.sub(r"\(\?P<\w+>", "(?:", p) for p in raw if p]
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


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


def parse_profile(data: Mapping[str, Any]) -> Profile:
    """Check and compile profile data (the parsed TOML)."""
    name = str(data.get("name", "?"))
    _check_keys(data, name)
    by = data["bylines"]
    roles = {str(k): str(v) for k, v in by["roles"].items()}
    suffix = {str(k): str(v) for k, v in by["suffix_roles"].items()}
    words = sorted(set(roles) | set(suffix), key=lambda w: (-len(w), w))
    role_words = re.compile("|".join(re.escape(w) for w in words)) if words else None
    numerals = {str(k): int(v) for k, v in data["numerals"].items()}
    jumps = data["jumps"]
    ads, notices = data["advertisements"], data["notices"]
    separator = _pattern(by["name_separator"], "bylines.name_separator") or re.compile(r"\s+")
    return Profile(
        name=name,
        tags=tuple(data["tags"]),
        language_name=str(data["language_name"]),
        language_names={str(k): str(v) for k, v in data["language_names"].items()},
        title=tuple(data["title"]),
        detect_script=data.get("detect_script"),
        encodings=tuple(_encodings(data.get("encodings", []), name)),
        sentence_end=frozenset(data["text"]["sentence_end"]),
        short_margin=float(data["text"]["short_margin"]),
        continues=frozenset(data["text"]["continues"]),
        head_max_lines=int(data["headline"]["max_lines"]),
        head_max_width=float(data["headline"]["max_width"]),
        head_min_width=float(data["headline"]["min_width"]),
        intertitle=_pattern(data["headline"]["intertitle"], "headline.intertitle"),
        sub=_pattern(data["headline"]["sub"], "headline.sub"),
        deck_separator=_pattern(data["headline"]["deck_separator"], "headline.deck_separator"),
        roles=roles,
        suffix_roles=suffix,
        role_words=role_words,
        person_name=_pattern(by["name"], "bylines.name"),
        name_separator=separator,
        sources=_patterns(by["sources"], "bylines.sources"),
        any_source=_alternation(by["sources"]),
        credit_line=_pattern(by["credit_line"], "bylines.credit_line"),
        dateline=_pattern(data["dates"]["dateline"], "dates.dateline"),
        month_day=_pattern(data["dates"]["month_day"], "dates.month_day"),
        numerals=numerals,
        jump=_pattern(jumps["pattern"], "jumps.pattern"),
        jump_next=frozenset(jumps["next"]),
        jump_prev=frozenset(jumps["prev"]),
        endmark=_pattern(data["endmarks"]["pattern"], "endmarks.pattern"),
        ad_cues=_patterns(ads["cues"], "advertisements.cues"),
        ad_min_cues=int(ads["min_cues"]),
        ad_min_density=float(ads["min_density"]),
        notice_cues=_patterns(notices["cues"], "notices.cues"),
        notice_min_cues=int(notices["min_cues"]),
        notice_min_density=float(notices["min_density"]),
    )


@functools.cache
def load_profile(name: str) -> Profile:
    """Load a bundled profile by name (cached: each profile is read and compiled once)."""
    resource = importlib.resources.files("converter.profiles") / f"{name}.toml"
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
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
