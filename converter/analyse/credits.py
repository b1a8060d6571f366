"""Opener rules: find the source line, byline persons with roles, and the dateline of an article.

Works on the text of an article's first paragraph (lines already joined, so a parenthesis that
breaks across lines is one string) and returns marks over that text. All words and patterns come
from the profile; role values are the contract's (reporter, correspondent, intern, photographer,
editor, author).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import NamedTuple

from ..diagnostics import Diagnostics
from ..model import Mark
from ..profile import Profile
from .content import strip_range
from .numbers import month_day_when, month_number, parse_number


class Opener(NamedTuple):
    """Marks over the start of a text and where the opener ends (the first paragraph follows)."""

    end: int
    marks: tuple[Mark, ...]


def find_opener(
    text: str, profile: Profile, issue: dt.date | None, line: int, diagnostics: Diagnostics
) -> Opener | None:
    """The source line (byline or wire dateline) and dateline at the start of ``text``."""
    start = len(text) - len(text.lstrip())
    marks: list[Mark] = []
    has_date = False
    # Patterns are anchored with "^", so they are matched on the text from ``start`` on and
    # their offsets shifted back.
    rest = text[start:]
    for pattern in profile.sources:
        m = pattern.match(rest)
        if m is not None:
            break
    else:
        return None
    groups = m.groupdict()

    def span(group: str) -> tuple[int, int]:
        return start + m.start(group), start + m.end(group)

    end = start + m.end()
    if groups.get("agency") or groups.get("date"):
        # A wire dateline: agency, place and date of the dispatch (TEI dateline).
        marks.append(Mark(start, span("source")[1], "dateline"))
        for group, tag in (("agency", "orgName"), ("place", "placeName")):
            if groups.get(group):
                marks.append(Mark(*span(group), tag))
        if groups.get("date"):
            has_date = True
            marks.append(
                _date_mark(*span("date"), m.group("date"), profile, issue, line, diagnostics)
            )
        if groups.get("credits"):
            marks.append(Mark(span("source")[1], end, "byline"))
    else:
        marks.append(Mark(start, end, "byline"))
    if groups.get("credits"):
        marks.extend(parse_credits(text, *span("credits"), profile, line, diagnostics))
    if not has_date and profile.dateline is not None:
        d = profile.dateline.match(text[end:])
        if d is not None and d.group("date"):
            a, b = strip_range(text, end, end + d.end())
            marks.append(Mark(a, b, "dateline"))
            marks.append(
                _date_mark(
                    end + d.start("date"),
                    end + d.end("date"),
                    d.group("date"),
                    profile,
                    issue,
                    line,
                    diagnostics,
                )
            )
            end += d.end()
    return Opener(end, tuple(marks))


def is_credit_line(text: str, profile: Profile) -> bool:
    """A line that is nothing but credits (``本报记者 岳 静``, ``文/本报记者 王丹``,
    ``本报记者 郑军 摄``): it starts as the profile's ``credit_line`` says, and the rest reads
    as role words and names, each name set apart (a separator or a role word between two
    names), with nothing left over."""
    if profile.credit_line is None:
        return False
    stripped = text.strip()
    start = profile.credit_line.match(stripped)
    if start is None:
        return False
    quiet = Diagnostics()
    marks = parse_credits(stripped, 0, len(stripped), profile, 0, quiet)
    if quiet.items or not marks:
        return False
    return all(stripped[a.end : b.start].strip() for a, b in itertools.pairwise(marks))


def credit_line_marks(
    text: str, profile: Profile, line: int, diagnostics: Diagnostics
) -> tuple[Mark, ...]:
    """Marks for a line that is nothing but credits (``本报记者 岳 静``): a byline with persons."""
    a, b = strip_range(text, 0, len(text))
    return (Mark(a, b, "byline"), *parse_credits(text, a, b, profile, line, diagnostics))


def parse_credits(
    text: str, start: int, end: int, profile: Profile, line: int, diagnostics: Diagnostics
) -> list[Mark]:
    """persName marks with roles for a credit list such as ``记者李秋 实习生周唐``.

    Role words before names set the role of the names after them; a role word after names
    (``郑军 摄``) counts only at the end of the list or before a separator, so a name that holds
    the same character (王摄影) is not cut; before a report word (a suffix role with no role:
    ``上海报道``) the last ``report_place_length`` characters are a place, not a name, and what
    stands before them is a name only if it is at least as long (``张三上海报道``).
    """
    marks: list[Mark] = []
    role = "author"
    group: list[int] = []  # indexes in marks of names since the last role word
    position = start
    leftovers: list[str] = []
    roles_re = profile.role_words
    name_re = profile.person_name
    punctuation = profile.credit_punctuation
    place_length = profile.report_place_length

    def gap_at(pos: int) -> re.Match[str] | None:
        """Punctuation or a separator between names."""
        found = punctuation.match(text, pos, end) if punctuation is not None else None
        return found or profile.name_separator.match(text, pos, end)

    def suffix_at(pos: int) -> re.Match[str] | None:
        if roles_re is None:
            return None
        m = roles_re.match(text, pos, end)
        if m is None or m.group() not in profile.suffix_roles:
            return None
        after = m.end()
        if after == end or gap_at(after):
            return m
        return None

    def prefix_at(pos: int) -> re.Match[str] | None:
        if roles_re is None:
            return None
        m = roles_re.match(text, pos, end)
        return m if m is not None and m.group() in profile.roles else None

    while position < end:
        gap = gap_at(position)
        if gap is not None and gap.end() > position:
            position = gap.end()
            continue
        word = prefix_at(position)
        if word is not None:
            role = profile.roles[word.group()]
            group = []
            position = word.end()
            continue
        word = suffix_at(position)
        if word is not None:
            suffix = profile.suffix_roles[word.group()]
            if suffix:
                for index in group:
                    marks[index] = _with_role(marks[index], suffix)
            group = []
            position = word.end()
            continue
        # A name runs up to the next role word that counts.
        limit = position
        while limit < end and prefix_at(limit) is None and suffix_at(limit) is None:
            limit += 1
        name = name_re.match(text, position, limit) if name_re is not None else None
        if name is not None and name.end() > position:
            report = suffix_at(name.end())
            if (
                report is not None
                and profile.suffix_roles[report.group()] == ""
                and place_length > 0
            ):
                # "张三上海报道": a name and a place; "上海报道": a place alone.
                letters = [k for k in range(name.start(), name.end()) if not text[k].isspace()]
                if len(letters) >= 2 * place_length:
                    cut_at = letters[-place_length]
                    a, b = name.start(), cut_at
                    while b > a and text[b - 1].isspace():
                        b -= 1
                    marks.append(Mark(a, b, "persName", (("role", role),)))
                position = report.end()
                group = []
                continue
            marks.append(Mark(name.start(), name.end(), "persName", (("role", role),)))
            group.append(len(marks) - 1)
            position = name.end()
            continue
        leftovers.append(text[position])
        position += 1
    if leftovers:
        diagnostics.warn(
            "byline.unparsed", line, f"could not read {''.join(leftovers)!r} in byline as names"
        )
    return marks


def _with_role(mark: Mark, role: str) -> Mark:
    return Mark(mark.start, mark.end, mark.tag, (("role", role),))


def _date_mark(
    start: int,
    end: int,
    printed: str,
    profile: Profile,
    issue: dt.date | None,
    line: int,
    diagnostics: Diagnostics,
) -> Mark:
    when = None
    if profile.month_day is not None:
        m = profile.month_day.search(printed)
        if m is not None:
            month = month_number(m.group("month"), profile.numerals) if m.group("month") else None
            day = parse_number(m.group("day"), profile.numerals)
            # A month printed but unreadable ("Maich 2") gives no date: never the issue's
            # month in its place (a day alone, 10日, does take it).
            if day is not None and (month is not None or not m.group("month")):
                when = month_day_when(month, day, issue)
    if when is None:
        diagnostics.warn("date.invalid", line, f"{printed!r} is not a calendar date; no @when")
        return Mark(start, end, "date")
    return Mark(start, end, "date", (("when", when),))
