"""Opener rules: find the source line, byline persons with roles, and the dateline of an article.

Works on the text of an article's first paragraph (lines already joined, so a parenthesis that
breaks across lines is one string) and returns marks over that text. All words and patterns come
from the profile; role values are the contract's (reporter, correspondent, intern, photographer,
editor, author).

Credit lines of Latin-script papers (:func:`latin_credit`) are read word by word: an opening
("By", "(By", "Special to"), a wire service's name matched as closely as the profile asks (OCR
garbles them: "By Associated Pre*;", "(Br Amoc!i4 rrwas 1"), a person's name, and the words such
lines hold ("Leased Wire Service", "Staff Correspondent").
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from difflib import SequenceMatcher
from typing import NamedTuple

from ..diagnostics import Diagnostics
from ..model import Content, Mark
from ..profile import Profile
from .content import concat, split, strip_range, with_marks
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
    if profile.dateline_credit is not None and any(mk.tag == "dateline" for mk in marks):
        credit = _dateline_credit(text, end, profile.dateline_credit)
        if credit is not None:
            end = credit[0]
            marks.extend(credit[1])
    return Opener(end, tuple(marks))


def _dateline_credit(
    text: str, start: int, pattern: re.Pattern[str]
) -> tuple[int, list[Mark]] | None:
    """A credit right after a dateline ("[Special Telegram to the BEE.]", "[New York Herald
    Cable—Special to the BEE.]"), as the profile's ``dateline_credit`` reads it: where it ends,
    and a byline over it with an ``orgName`` over each organisation it names."""
    m = pattern.match(text, start)
    if m is None or m.end() <= start:
        return None
    # A comma or period left between the date and the credit (group lead) is the dateline's.
    lead = m.end("lead") if "lead" in m.re.groupindex and m.group("lead") else start
    # The stop or dash after the credit (group tail) ends the opener, outside the byline.
    tail = m.start("tail") if "tail" in m.re.groupindex else m.end()
    a, b = strip_range(text, lead, tail)
    marks = [Mark(a, b, "byline")]
    for group in ("paper", "org"):
        if group in m.re.groupindex and m.group(group):
            org = _trimmed(text, m.start(group), m.end(group))
            if org[0] < org[1]:
                marks.append(Mark(*org, "orgName"))
    return m.end(), marks


def lift_opener(
    paras: list[Content], profile: Profile, issue: dt.date | None, diagnostics: Diagnostics
) -> Content | None:
    """The source line and dateline opening the first of ``paras`` (a section's, after its
    crosshead: "Turks Claim Success." / "CONSTANTINOPLE, March 22.—…"), cut off it: the
    paragraph keeps the rest, or goes if nothing is left."""
    if not paras:
        return None
    first = paras[0]
    text = first.text
    found = find_opener(text, profile, issue, first.first_line, diagnostics)
    if found is None:
        return None
    end = found.end
    while end < len(text) and text[end].isspace():
        end += 1
    head, rest = split(first, end)
    opener = with_marks(head, found.marks)
    if rest.text.strip():
        paras[0] = rest
    else:
        paras.pop(0)
        if rest.pieces:
            opener = concat([opener, rest])
    return opener


def is_credit_line(text: str, profile: Profile) -> bool:
    """A line that is nothing but credits (``本报记者 岳 静``, ``文/本报记者 王丹``,
    ``本报记者 郑军 摄``): it starts as the profile's ``credit_line`` says, and the rest reads
    as role words and names, each name set apart (a separator or a role word between two
    names), with nothing left over."""
    if latin_credit(text, profile) is not None:
        return True
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
    """Marks for a line that is nothing but credits (``本报记者 岳 静``, ``By Associated
    Press``): a byline with persons and agencies."""
    a, b = strip_range(text, 0, len(text))
    latin = latin_credit(text, profile)
    if latin is None and leading_credit(text, profile):
        latin = latin_credit(text[: _leading_end(text)], profile)
    if latin is not None:
        return (Mark(a, b, "byline"), *latin)
    return (Mark(a, b, "byline"), *parse_credits(text, a, b, profile, line, diagnostics))


#: A bracketed credit at the start of a line: "[United Press Leased Wire Service.]".
_LEADING_BRACKET = re.compile(r"^\s*\S?[\[(][^\])]{8,60}[\])]")


def _leading_end(text: str) -> int:
    m = _LEADING_BRACKET.match(text)
    return m.end() if m is not None else 0


def leading_credit(text: str, profile: Profile) -> bool:
    """A line of plain text that starts with a whole bracketed credit and goes on with the
    text of the next column, which the OCR read into the same line ("[United Press Leased
    Wire Service.] I corridor and adjoining rooms was")."""
    end = _leading_end(text)
    return 0 < end < len(text.rstrip()) and latin_credit(text[:end], profile) is not None


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


# --- credit lines of Latin-script papers --------------------------------------------------------

_WORD = re.compile(r"\S+")
#: Punctuation OCR leaves around a credit line's words: "(By", "Press.)", "Service.]".
_EDGE = "()[]{}.,;:!?*'\"|—–-"


class _Token(NamedTuple):
    start: int
    end: int
    core: str  # the word without the punctuation around it


def latin_credit(text: str, profile: Profile) -> tuple[Mark, ...] | None:
    """The ``orgName`` and ``persName`` marks of a credit line of a Latin-script paper, or None
    if the line is none (the profile has no ``credit_max_length``, or the line is longer, or
    words are left over that a credit line does not hold).

    A credit line is an opening (``credit_lead``, optional when a wire service is named) and one
    of: a wire service's name (``By Associated Press``, ``[United Press Leased Wire Service.]``,
    ``Republican A. P. Leased Wire``: a paper's name may stand before it), an organisation the
    opening names (group ``org``: ``Special to The Times.``), a person's name (``By JOHN SMITH``,
    ``(By William Philip Sims, United Press Staff Correspondent.)``), or words of
    ``credit_words`` alone (``Von unserem Korrespondenten``).
    """
    if profile.credit_max_length <= 0:
        return None
    a, b = strip_range(text, 0, len(text))
    if a == b or b - a > profile.credit_max_length:
        return None
    lead = profile.credit_lead.match(text, a, b) if profile.credit_lead is not None else None
    position = lead.end() if lead is not None else a
    marks: list[Mark] = []
    if lead is not None and "org" in lead.re.groupindex and lead.group("org"):
        marks.append(Mark(*_trimmed(text, lead.start("org"), lead.end("org")), "orgName"))
    tokens = [
        _Token(m.start(), m.end(), m.group().strip(_EDGE))
        for m in _WORD.finditer(text, position, b)
    ]
    threshold = profile.wire_similarity if lead is None else profile.lead_wire_similarity
    wire = _wire_window(tokens, profile, threshold)
    if wire is not None and lead is not None and not marks:
        # After an opening a garbled wire's name is read loosely; when the words are only
        # that loosely like one and read as a person's name ("By Carl W. Ackerman" is not
        # Central News), the person wins.
        person = _person(text, tokens, profile)
        if person is not None and _wire_window(tokens, profile, profile.wire_similarity) is None:
            return tuple(person)
    if wire is not None:
        first, last = wire
        org = Mark(*_trimmed(text, tokens[first].start, tokens[last].end), "orgName")
        rest = tokens[:first] + tokens[last + 1 :]
        unknown = [t for t in rest if not _credit_word(t.core, profile)]
        # Before the wire's name a paper's may stand (Republican A. P. Leased Wire).
        if (
            len(unknown) <= 2
            and all(t.core[:1].isupper() for t in unknown)
            and (lead is not None or all(t.end <= tokens[first].start for t in unknown))
        ):
            return (*marks, org)
    if lead is None:
        return None
    if marks:  # the opening named the organisation: nothing but credit words may follow
        outside = [t for t in tokens if not lead.start("org") <= t.start < lead.end("org")]
        return tuple(marks) if all(_credit_word(t.core, profile) for t in outside) else None
    if tokens and all(_credit_word(t.core, profile) for t in tokens):
        return ()
    person = _person(text, tokens, profile)
    return None if person is None else tuple(person)


def _credit_word(core: str, profile: Profile) -> bool:
    """A word a credit line holds besides names (or one the OCR garbled: "Leas*£"), or OCR
    debris of fewer than two letters."""
    if sum(c.isalpha() for c in core) < 2:
        return True
    folded = core.casefold()
    if folded in profile.credit_words:
        return True
    letters = "".join(c for c in folded if c.isalpha())
    threshold = profile.wire_similarity
    return len(letters) >= 4 and any(
        2 * min(len(letters), len(word)) / (len(letters) + len(word)) >= threshold
        and _similarity(letters, word) >= threshold
        for word in profile.credit_words
        if len(word) >= 4
    )


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


@functools.lru_cache(maxsize=8192)
def _similarity(a: str, b: str) -> float:
    # Two words alike as an OCR garble is to its word share a run of three letters; most
    # pairs share none, and need no matcher (the costliest step of reading credit lines).
    if len(a) >= 3 and len(b) >= 3 and not _trigrams(a) & _trigrams(b):
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio bounds the ratio from above, cheaply: a pair far apart needs no more.
    return matcher.ratio() if matcher.quick_ratio() >= 0.4 else 0.0


@functools.lru_cache(maxsize=1024)
def _trigrams(word: str) -> frozenset[str]:
    return frozenset(word[k : k + 3] for k in range(len(word) - 2))


def _wire_window(
    tokens: list[_Token], profile: Profile, threshold: float
) -> tuple[int, int] | None:
    """The run of tokens (first, last index) closest to one of the profile's wire services,
    if it is at least ``threshold`` similar; a short name (A. P.) must match exactly."""
    widest = max((len(name.split()) + 1 for name in profile.wires), default=0)
    # Words in small letters that no credit line holds must all fall inside the name.
    loose = [k for k, t in enumerate(tokens) if t.core[:1].islower()]
    if len(loose) > widest or (loose and loose[-1] - loose[0] >= widest):
        return None
    letters = [_letters(t.core) for t in tokens]
    best: tuple[float, int, int] | None = None
    for name in profile.wires:
        target = _letters(name)
        if not target:
            continue
        size = len(name.split())
        exact = len(target) < 5
        for first in range(len(tokens)):
            window = ""
            for last in range(first, min(len(tokens), first + size + 1)):
                window += letters[last]
                if not window:
                    continue
                if window == target:
                    score = 1.0
                elif exact:
                    continue
                else:
                    # The ratio is at most what the two lengths allow: most windows need no more.
                    bound = 2 * min(len(window), len(target)) / (len(window) + len(target))
                    if bound < threshold:
                        continue
                    score = _similarity(window, target)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, first, last)
    if best is None:
        return None
    first, last = best[1], best[2]
    if any(k < first or k > last for k in loose if not _credit_word(tokens[k].core, profile)):
        return None
    return first, last


def _person(text: str, tokens: list[_Token], profile: Profile) -> list[Mark] | None:
    """A person's name after a credit's opening, with what may follow it: a comma, a wire
    service (an ``orgName``), a role (Staff Correspondent) and credit words."""
    if profile.person_name is None or not tokens:
        return None
    start = tokens[0].start
    while start < tokens[0].end and text[start] in _EDGE:
        start += 1
    m = profile.person_name.match(text, start, tokens[-1].end)
    if m is None or (m.end() < len(text) and text[m.end()].isalpha()):
        return None  # no name, or one that stops inside a word
    marks: list[Mark] = []
    role = "author"
    after = [t for t in tokens if t.start >= m.end()]
    if after:
        rest = text[after[0].start : after[-1].end]
        found = profile.role_words.search(rest) if profile.role_words is not None else None
        if found is not None and found.group() in profile.suffix_roles:
            role = profile.suffix_roles[found.group()] or role
        kept = [
            t
            for t in after
            if found is None or not (found.start() <= t.start - after[0].start < found.end())
        ]
        wire = _wire_window(kept, profile, profile.wire_similarity)
        if wire is not None:
            org = _trimmed(text, kept[wire[0]].start, kept[wire[1]].end)
            marks.append(Mark(*org, "orgName"))
            kept = kept[: wire[0]] + kept[wire[1] + 1 :]
        if not all(_credit_word(t.core, profile) for t in kept):
            return None
    a, b = _trimmed(text, m.start(), m.end())
    return [Mark(a, b, "persName", (("role", role),)), *marks]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the punctuation and spaces at its edges."""
    while start < end and (text[start].isspace() or text[start] in _EDGE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE):
        end -= 1
    return start, end
