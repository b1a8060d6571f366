"""The conversion pipeline for one page: read → analyse → TEI tree → validate → bytes.

Nothing is written here; callers write the returned bytes atomically. A document the bundled
schema rejects is an internal error (InvalidOutputError) and is never returned.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .analyse.page import Analysis, HeadlineOption, analyse
from .errors import InvalidOutputError
from .model import Metadata
from .profile import (
    GENERIC,
    Profile,
    all_encodings,
    detect_language,
    found_profiles,
    load_profile,
    profile_for,
)
from .read.formats import read_file, read_source
from .read.text import Text, encoding_script
from .write.tei import page_document, serialise

if TYPE_CHECKING:
    from .validate import SchemaProblem


class Options(NamedTuple):
    """How a page is converted."""

    encoding: str | None = None
    headlines: HeadlineOption = "auto"
    validate: bool = True
    keep_stages: bool = False  # keep intermediate stages for --dump
    #: The profile to use (``--profile``) instead of the one for the page's language.
    profile: Profile | None = None
    #: The scanned image's file name or URL (``--image``) for the facsimile of layout input,
    #: instead of the one the source names.
    image: str | None = None


#: The options of a plain conversion.
DEFAULTS = Options()


class Result(NamedTuple):
    """A converted page: its analysis and the validated document's bytes."""

    analysis: Analysis
    data: bytes


#: The lines of a page that language detection looks at.
DETECT_LINES = 400


def detect_lang(text: Text) -> str:
    """The language tag for a page without one: the first tag of the profile whose script the
    page is written in (``zh`` for ideographic text), else ``und``.

    Only the script is looked at, so the tag is no more specific than the script shows; an
    encoding of one script (Big5: Traditional Chinese) adds its subtag where the profile
    lists the tag (``zh-Hant``).
    """
    sample = (line.text for line in text.lines[:DETECT_LINES])
    found = detect_language(sample, found_profiles())
    if found is None or not found.tags:
        return "und"
    script = encoding_script(text.encoding)
    specific = f"{found.tags[0]}-{script}"
    return specific if script is not None and specific in found.tags else found.tags[0]


def profile_for_lang(lang: str) -> Profile:
    return profile_for(lang) if lang != "und" else load_profile(GENERIC)


def choose_profile(meta: Metadata, text: Text, given: Profile | None = None) -> tuple[str, Profile]:
    """The language tag (given, or detected from the script) and its profile. A ``given``
    profile (``--profile``) serves the page whatever its language; the tag is then the one
    given, else the profile's first."""
    if given is not None:
        return meta.lang or (given.tags[0] if given.tags else "und"), given
    lang = meta.lang or detect_lang(text)
    return lang, profile_for_lang(lang)


def created_date() -> str | None:
    """The file's creation date only when SOURCE_DATE_EPOCH fixes it (reproducible output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    try:
        day = time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    except (OverflowError, OSError, ValueError):
        return None
    return day if "1000-01-01" <= day <= "9999-12-31" and len(day) == 10 else None


def convert_text(text: Text, meta: Metadata, options: Options = DEFAULTS) -> Result:
    """Convert a decoded page: analyse it, build its TEI tree, validate that tree, and return
    the tree's bytes."""
    name = text.name
    if options.image is not None and text.surface is not None:
        text = replace(text, surface=replace(text.surface, image=options.image))
    lang, profile = choose_profile(meta, text, options.profile)
    analysis = analyse(
        text, meta, lang, profile, headlines=options.headlines, keep_stages=options.keep_stages
    )
    del text  # the page model holds all the document needs (callers pass their only reference)
    root = page_document(analysis.page, created=created_date())
    if options.validate:
        from .validate import validate_tree

        _raise_if_invalid(validate_tree(root), name)
    return Result(analysis, serialise(root))


def _raise_if_invalid(problems: Sequence[SchemaProblem], name: str) -> None:
    if problems:
        first = problems[0]
        raise InvalidOutputError(
            f"the converter built a document its schema rejects: {first.message} "
            f"({len(problems)} problem{'s' if len(problems) > 1 else ''}); nothing written",
            path=name,
        )


def legacy_encodings(meta: Metadata, given: Profile | None = None) -> tuple[str, ...]:
    """Encodings to detect among for a page that is not UTF-8: its profile's (the ``given``
    one, else its language's), else every profile's."""
    if given is not None and given.encodings:
        return given.encodings
    if meta.lang:
        own = profile_for_lang(meta.lang).encodings
        if own:
            return own
    return all_encodings()


def convert_file(path: Path, meta: Metadata, options: Options = DEFAULTS) -> Result:
    # No name is bound to the decoded text: convert_text lets it go once the page is analysed.
    encodings = legacy_encodings(meta, options.profile)
    return convert_text(read_file(path, options.encoding, encodings), meta, options)


def convert_bytes(data: bytes, name: str, meta: Metadata, options: Options = DEFAULTS) -> Result:
    encodings = legacy_encodings(meta, options.profile)
    return convert_text(read_source(data, name, options.encoding, encodings), meta, options)
