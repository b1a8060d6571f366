"""The conversion pipeline for one page: read → analyse → TEI tree → validate → bytes.

Nothing is written here; callers write the returned bytes atomically. A document the bundled
schema rejects is an internal error (InvalidOutputError) and is never returned.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .analyse.page import Analysis, HeadlineOption, analyse
from .errors import InvalidOutputError
from .model import Metadata
from .profile import Profile, all_encodings, load_profile, profile_for
from .read.text import Text, decode, read_file
from .write.tei import page_document, serialise

if TYPE_CHECKING:
    from .validate import SchemaProblem

_LETTER = re.compile(r"[^\W\d_]")


@functools.cache
def _ideograph() -> re.Pattern[str]:
    # Compiled on first use: only a page without --lang needs it, and a class this large
    # costs milliseconds to compile.
    return re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class Options(NamedTuple):
    """How a page is converted."""

    encoding: str | None = None
    headlines: HeadlineOption = "auto"
    validate: bool = True
    keep_stages: bool = False  # keep intermediate stages for --dump


#: The options of a plain conversion.
DEFAULTS = Options()


class Result(NamedTuple):
    """A converted page: its analysis and the validated document's bytes."""

    analysis: Analysis
    data: bytes


def detect_lang(text: Text) -> str:
    """The language tag for a page without one: ``zh`` for ideographic text, else ``und``.

    Only the script is looked at, so the tag is no more specific than the script shows.
    """
    sample = "".join(line.text for line in text.lines[:400])
    letters = len(_LETTER.findall(sample))
    if letters and len(_ideograph().findall(sample)) * 2 > letters:
        return "zh"
    return "und"


def profile_for_lang(lang: str) -> Profile:
    return profile_for(lang) if lang != "und" else load_profile("generic")


def choose_profile(meta: Metadata, text: Text) -> tuple[str, Profile]:
    """The language tag (given, or detected from the script) and its profile."""
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
    lang, profile = choose_profile(meta, text)
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


def legacy_encodings(meta: Metadata) -> tuple[str, ...]:
    """Encodings to detect among for a page that is not UTF-8: its language's, else all."""
    if meta.lang:
        own = profile_for_lang(meta.lang).encodings
        if own:
            return own
    return all_encodings()


def convert_file(path: Path, meta: Metadata, options: Options = DEFAULTS) -> Result:
    # No name is bound to the decoded text: convert_text lets it go once the page is analysed.
    return convert_text(read_file(path, options.encoding, legacy_encodings(meta)), meta, options)


def convert_bytes(data: bytes, name: str, meta: Metadata, options: Options = DEFAULTS) -> Result:
    return convert_text(decode(data, name, options.encoding, legacy_encodings(meta)), meta, options)
