"""Labelling stage: blocks → labelled lines → units (bodies, headline runs, credit lines).

A page in OCR zone order is a sequence of bodies (running text of an article or a box), headline
runs (short lines set apart by blank lines) and credit lines. Which body a headline run belongs
to is decided by evidence, not by a fixed order: how many of its words the bodies before and
after it share, and where it stands on the page (see :func:`attribute`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from itertools import chain, compress, count, repeat
from operator import itemgetter, ne, or_
from typing import Literal, NamedTuple, TypeVar

from ..diagnostics import Diagnostics
from ..profile import Profile
from ..read.text import Line
from .blocks import TextBlock
from .content import (
    LINES_AT_ONCE,
    has_wide,
    joins_stripped,
    median,
    narrow_breaks,
    stripped_widths,
    width,
)
from .credits import is_credit_line
from .scan import Scanner

Label = Literal["text", "head", "credit"]
_T = TypeVar("_T")
#: Lines a rule cache remembers: a page's lines are asked about close together, so a few
#: thousand serve a normal page fully and keep a 200,000-line page's memory in bounds.
PAGE_CACHE = 4096
Layout = Literal["before", "after"]

_WORD = re.compile(r"\w+")


class LabelledLine(NamedTuple):
    line: Line
    label: Label
    block: int  # index of the block the line came from
    blank_before: bool  # a blank line stands right before it
    opens: bool  # it opens an article (:func:`starts_article`)
    end: str | None  # what stands at its very end (:func:`line_end_reference`)
    width: float  # the printed width of the stripped line (:func:`content.width`)


#: ``_labelled((line, label, block, blank_before, opens, end, width))``: a LabelledLine made in
#: C (as ``LabelledLine._make``, without its length check), one per input line.
_labelled = functools.partial(tuple.__new__, LabelledLine)


class Body:
    """Running text: lines, and intertitle lines (label "head") standing inside it.

    The units and articles below are plain classes: mutable while a page is grouped, compared
    by identity, and cheap to define.
    """

    __slots__ = ("closed", "lines")

    def __init__(self) -> None:
        self.lines: list[LabelledLine] = []
        self.closed = False  # an end mark or a "continued on" ended it

    @property
    def text_lines(self) -> list[LabelledLine]:
        return [ln for ln in self.lines if ln.label == "text"]


class Heads:
    """A run of headline lines between bodies."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[LabelledLine]) -> None:
        self.lines = lines


class Credit:
    """A run of credit lines (本报记者 …)."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[LabelledLine]) -> None:
        self.lines = lines


Unit = Body | Heads | Credit


class Article:
    """A body with the headline lines and credit lines attributed to it."""

    __slots__ = ("body", "credits", "heads")

    def __init__(self, body: Body) -> None:
        self.body = body
        self.heads: list[LabelledLine] = []
        self.credits: list[LabelledLine] = []


class Orphans:
    """Headline or credit lines with no body on the page to belong to."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[LabelledLine]) -> None:
        self.lines = lines


# --- line features ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=PAGE_CACHE)
def starts_article(text: str, profile: Profile) -> bool:
    """A source line (本报讯…) or a "continued from" reference opens an article."""
    head = text.lstrip()
    if profile.any_source is not None and profile.any_source.match(head):
        return True
    if profile.jump is not None:
        m = profile.jump.match(head)
        if m is not None and m.group("dir") in profile.jump_prev:
            return True
    return False


@functools.lru_cache(maxsize=PAGE_CACHE)
def line_end_reference(text: str, profile: Profile) -> str | None:
    """What stands at the very end of a line: "endmark", a jump ("next" or "prev"), or None."""
    stripped = text.rstrip()
    if profile.endmark is not None and profile.endmark.search(stripped):
        return "endmark"
    if profile.jump is not None:
        for m in profile.jump.finditer(stripped):
            if m.end() == len(stripped):
                return "next" if m.group("dir") in profile.jump_next else "prev"
    return None


_CLOSING = ("endmark", "next")
_CLOSING_SET = frozenset(_CLOSING)
#: A labelled line's label, ``opens`` and ``end``, read in C.
_LABEL, _OPENS, _END = itemgetter(1), itemgetter(4), itemgetter(5)


def ends_article(text: str, profile: Profile) -> bool:
    """An end mark or a "continued on" reference at the end of a line closes its article."""
    return line_end_reference(text, profile) in _CLOSING


#: Each profile's scanners (:mod:`converter.scan`) for the two rules, made on first use.
_SCANNERS: dict[Profile, tuple[Scanner, Scanner]] = {}


def _scanners(profile: Profile) -> tuple[Scanner, Scanner]:
    found = _SCANNERS.get(profile)
    if found is None:

        def opening() -> tuple[re.Pattern[str], ...]:
            sources = profile.any_source.patterns if profile.any_source is not None else ()
            return (*sources, *((profile.jump,) if profile.jump is not None else ()))

        def closing() -> tuple[re.Pattern[str], ...]:
            return tuple(p for p in (profile.endmark, profile.jump) if p is not None)

        found = _SCANNERS[profile] = (
            Scanner(opening, str.lstrip, at_start=True),
            Scanner(closing, str.rstrip, at_start=False),
        )
    return found


def line_features(lines: Sequence[Line], profile: Profile) -> tuple[list[bool], list[str | None]]:
    """For each line, whether it opens an article and what stands at its end.

    Once the page scans are compiled, the rules are asked only of the lines the scans touch;
    every other line holds none of their patterns.
    """
    opening, closing = _scanners(profile)
    opens = _answers(starts_article, opening, lines, profile, False)
    ends = _answers(line_end_reference, closing, lines, profile, None)
    return opens, ends


def _answers(
    rule: Callable[[str, Profile], _T],
    scanner: Scanner,
    lines: Sequence[Line],
    profile: Profile,
    none: _T,
) -> list[_T]:
    """``rule`` for each line: asked of every line, or of those the scan touches (``none``
    for the others)."""
    touched = scanner.scan(lines)
    if touched is None:
        return [rule(line.text, profile) for line in lines]
    out = [none] * len(lines)
    for i in touched:
        out[i] = rule(lines[i].text, profile)
    return out


@functools.cache
def _inner_stops(profile: Profile) -> tuple[frozenset[str], frozenset[str]]:
    """The profile's sentence ends and its "runs on" marks that are plain punctuation (Unicode
    category Po): one inside a line makes it running text (closing quotes do not)."""
    return (
        frozenset(c for c in profile.sentence_end if unicodedata.category(c) == "Po"),
        frozenset(c for c in profile.continues if unicodedata.category(c) == "Po"),
    )


@functools.lru_cache(maxsize=PAGE_CACHE)
def _headline_like(text: str, profile: Profile) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    w = width(stripped)
    if w < profile.head_min_width or w > profile.head_max_width:
        return False
    last = stripped[-1]
    if last in profile.continues:
        return False
    if last in profile.sentence_end and unicodedata.category(last) not in ("Pf", "Pe"):
        return False
    # A full stop inside the line means running text, not a headline; so does a comma,
    # except in a subtitle or an intertitle ("——访…，…", "郑州：…").
    inner = stripped[:-1]
    stops, runs_on = _inner_stops(profile)
    if not stops.isdisjoint(inner):
        return False
    if not runs_on.isdisjoint(inner):
        exempt = (profile.sub is not None and profile.sub.match(stripped)) or (
            profile.intertitle is not None and profile.intertitle.search(stripped)
        )
        if not exempt:
            return False
    if starts_article(stripped, profile) or ends_article(stripped, profile):
        return False
    return not (profile.jump is not None and profile.jump.search(stripped))


def _column(lines: Sequence[LabelledLine]) -> float:
    """The width of a column of text: the median width of its lines."""
    return median([ln.width for ln in lines])


def forget() -> None:
    """Drop the rule caches: they serve one page, never another input."""
    starts_article.cache_clear()
    line_end_reference.cache_clear()
    _headline_like.cache_clear()


def label_blocks(blocks: Sequence[TextBlock], profile: Profile) -> list[LabelledLine]:
    """Label every line text, head or credit (see module docstring)."""
    head_blocks = [
        len(b.lines) <= profile.head_max_lines
        and all(_headline_like(ln.text, profile) for ln in b.lines)
        for b in blocks
    ]
    out: list[LabelledLine] = []
    # A run of blocks of some thousand lines at a time (a run ends where a block does, so one
    # huge block is a run of its own), so that the lists kept for a run's lines stay small
    # however many blocks the page has.
    start = 0
    while start < len(blocks):
        end, count = start, 0
        while end < len(blocks) and (count < LINES_AT_ONCE or end == start):
            count += len(blocks[end].lines)
            end += 1
        out.extend(_label_run(blocks, head_blocks, start, end, profile))
        start = end
    return out


def _label_run(
    blocks: Sequence[TextBlock], head_blocks: Sequence[bool], start: int, end: int, profile: Profile
) -> list[LabelledLine]:
    """The labelled lines of ``blocks[start:end]``. The block on each side of the run is
    measured too, for the rule that compares a short line with its neighbours."""
    lo, hi = max(start - 1, 0), min(end + 1, len(blocks))
    # The run's lines (with its neighbours'), and for each its label and whether a blank line
    # stands before it: lists over all of them, most of which no rule below touches.
    firsts: dict[int, int] = {}  # where each block's lines begin among them
    count = 0
    for index in range(lo, hi):
        firsts[index] = count
        count += len(blocks[index].lines)
    lines = [line for index in range(lo, hi) for line in blocks[index].lines]
    blank = [False] * count
    labels: list[Label] = ["text"] * count
    opens, ends = line_features(lines, profile)
    measured = stripped_widths([line.text for line in lines])
    for index in range(start, end):
        block = blocks[index]
        first, size = firsts[index], len(block.lines)
        blank[first] = block.blank_before > 0
        if head_blocks[index]:
            if size > 1 or not _fits_column(
                blocks, head_blocks, index, profile, (firsts, opens, ends, measured)
            ):
                labels[first : first + size] = ["head"] * size
        else:
            # Headline lines set right above a source line in the same block.
            for i in range(1, min(size, profile.head_max_lines + 1)):
                if opens[first + i] and all(
                    _headline_like(prev.text, profile) for prev in block.lines[:i]
                ):
                    labels[first : first + i] = ["head"] * i
                    break
        # A credit line stands alone, or first in its block right above the text; a line of
        # running text that happens to start with 记者 is not one. (Headline lines of a block
        # are always its first.)
        if labels[first] != "head":
            if is_credit_line(block.lines[0].text, profile):
                labels[first] = "credit"
            continue
        for k in range(first, first + size):
            if (k == first or (labels[k - 1] == "head" and labels[k] != "head")) and is_credit_line(
                lines[k].text, profile
            ):
                labels[k] = "credit"
    # Each line's block index, repeated in C for the lines of the block.
    block_of = chain.from_iterable(
        map(repeat, range(start, end), [len(blocks[index].lines) for index in range(start, end)])
    )
    run = slice(firsts[start], firsts[end - 1] + len(blocks[end - 1].lines))
    return list(
        map(
            _labelled,
            zip(
                lines[run],
                labels[run],
                block_of,
                blank[run],
                opens[run],
                ends[run],
                measured[run],
                strict=True,
            ),
        )
    )


def _fits_column(
    blocks: Sequence[TextBlock],
    head_blocks: Sequence[bool],
    index: int,
    profile: Profile,
    features: tuple[Mapping[int, int], Sequence[bool], Sequence[str | None], Sequence[float]],
) -> bool:
    """A lone short line as wide as the running text around it is a column's last line.

    Only if the text runs on into the next block: not when a headline, a source line, a
    "continued from" or a credit line follows, and not for a subtitle (——…). ``features`` are
    where each block's lines begin among all lines, the lines' :func:`line_features` and their
    widths.
    """
    firsts, opens, ends, measured = features
    text = blocks[index].lines[0].text
    if profile.sub is not None and profile.sub.match(text):
        return False
    nxt = index + 1
    if nxt >= len(blocks) or head_blocks[nxt]:
        return False
    if opens[firsts[nxt]] or is_credit_line(blocks[nxt].lines[0].text, profile):
        return False
    w = measured[firsts[index]]
    for step in (-1, 1):
        j = index + step
        if 0 <= j < len(blocks) and not head_blocks[j] and len(blocks[j].lines) >= 2:
            col = median(measured[firsts[j] : firsts[j] + len(blocks[j].lines)])
            if col - profile.short_margin - 0.5 <= w <= col + 1:
                if step == -1 and ends[firsts[j] + len(blocks[j].lines) - 1] in _CLOSING:
                    continue
                return True
    return False


# --- units -----------------------------------------------------------------------------------


def make_units(lines: Sequence[LabelledLine], profile: Profile) -> list[Unit]:
    """Group labelled lines into bodies, headline runs and credits; find intertitles."""
    # The lines where something happens: a line that is not running text, opens an article
    # or closes one (found in C). Every other line of text goes on with the body before it.
    stops = list(
        compress(
            count(),
            map(
                or_,
                map(or_, map(ne, map(_LABEL, lines), repeat("text")), map(_OPENS, lines)),
                map(_CLOSING_SET.__contains__, map(_END, lines)),
            ),
        )
    )
    closures = any(lines[k].label == "text" and lines[k].end in _CLOSING for k in stops)
    stops.append(len(lines))
    units: list[Unit] = []
    body: Body | None = None
    i = 0
    at = 0  # the first stop at or after i
    while i < len(lines):
        ln = lines[i]
        if ln.label == "text":
            if body is None or body.closed or (ln.opens and body.text_lines):
                body = Body()
                units.append(body)
            body.lines.append(ln)
            if ln.end in _CLOSING:
                body.closed = True
            i += 1
            if not body.closed:
                while stops[at] < i:
                    at += 1
                body.lines.extend(lines[i : stops[at]])
                i = stops[at]
            continue
        # A run of lines with the same label, within one block or across blocks.
        j = i
        while (
            j < len(lines)
            and lines[j].label == ln.label
            and (j == i or lines[j].block == lines[j - 1].block or ln.label == "head")
        ):
            j += 1
        run = list(lines[i:j])
        if ln.label == "head" and _is_intertitle(run, body, lines, j, profile, closures):
            assert body is not None
            body.lines.extend(run)
        elif ln.label == "head":
            if units and isinstance(units[-1], Heads):
                units[-1].lines.extend(run)
            else:
                units.append(Heads(run))
            body = None
        else:
            units.append(Credit(run))
            body = None
        i = j
    return units


def _is_intertitle(
    run: Sequence[LabelledLine],
    body: Body | None,
    lines: Sequence[LabelledLine],
    after: int,
    profile: Profile,
    closures: bool,
) -> bool:
    """A short line inside an open article, followed by more of its text, is an intertitle."""
    if body is None or body.closed or not body.text_lines or len({ln.block for ln in run}) > 1:
        return False
    if len(run) > 2 or after >= len(lines) or lines[after].label != "text":
        return False
    if lines[after].opens:
        return False
    title = "".join(ln.line.text for ln in run)
    if any(c.search(title) for c in (*profile.notice_cues, *profile.ad_cues)):
        return False  # the title of a notice or advertisement box (遗失声明), not of a section
    if profile.intertitle is not None and all(
        profile.intertitle.search(ln.line.text.strip()) for ln in run
    ):
        return True
    return closures and len(run) == 1 and _column(body.text_lines) > 0


# --- attribution -----------------------------------------------------------------------------


def tokens(text: str) -> set[str]:
    """Comparable tokens: ideograph bigrams (and single ideographs), lower-cased Latin words."""
    out: set[str] = set()
    for word in _WORD.findall(text):
        if word.isascii():
            if len(word) >= 3 and not word.isdigit():
                out.add(word.lower())
        elif has_wide(word):
            if len(word) == 1:
                out.add(word)
            out.update([word[k : k + 2] for k in range(len(word) - 1)])
        elif len(word) >= 3:
            out.add(word.lower())
    return out


class _BodyIndex:
    """What a headline line is compared with: the body's text joined as the writer joins it
    (so a word split over two lines is still one word) and, when first asked, its lower-cased
    words."""

    __slots__ = ("_words", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: frozenset[str] | None = None

    def shares(self, searched: Sequence[str], words: Sequence[str]) -> int:
        """How many of a line's tokens the body has: ``searched`` in its text, ``words``
        among its words (see :func:`_searched`)."""
        # Bigrams are looked up in the text itself, a C-speed substring search, so no set of
        # every bigram of the body is ever built; ``map`` asks all of them in C.
        found = sum(map(self.text.__contains__, searched))
        if words:
            if self._words is None:
                # Only a headline with a Latin word needs them; a CJK page never builds the set.
                self._words = frozenset(w.lower() for w in _WORD.findall(self.text))
            found += sum(map(self._words.__contains__, words))
        return found


def _searched(token: str) -> bool:
    """Whether a token is looked up in a body's text rather than among its words: a bigram
    (of ideographs, or of a word mixing them with digits: two characters, as Latin words
    count from three) or any token with an ideograph."""
    return len(token) <= 2 or has_wide(token)


def _body_index(body: Body) -> _BodyIndex:
    texts = [ln.line.text.strip() for ln in body.lines]
    # Lines join with nothing between them, but where the rules give a joining space.
    spaced = [k for k in narrow_breaks(texts) if not joins_stripped(texts[k - 1], texts[k])]
    if not spaced:
        return _BodyIndex("".join(texts))
    parts: list[str] = []
    last = 0
    for k in spaced:
        parts.append("".join(texts[last:k]))
        last = k
    parts.append("".join(texts[last:]))
    return _BodyIndex(" ".join(parts))


def _leaning(own: set[str], before: _BodyIndex, after: _BodyIndex) -> float:
    """The share of a line's tokens ``own`` that the body before it has, less the share the
    body after it has."""
    if not own:
        return 0.0
    searched = [t for t in own if _searched(t)]
    words = [t for t in own if not _searched(t)] if len(searched) < len(own) else []
    return before.shares(searched, words) / len(own) - after.shares(searched, words) / len(own)


def leanings(units: Sequence[Unit]) -> dict[int, float]:
    """For each headline line between two bodies: how much more of its words the body before
    it shares than the body after it (-1 … 1), keyed by line number.

    Only the two bodies around the current headline run hold their token sets, so memory
    stays bounded by two bodies, not the page.
    """
    out: dict[int, float] = {}
    cache: dict[int, _BodyIndex] = {}
    around = Neighbours(units)

    def tokens_of(body: Body) -> _BodyIndex:
        key = id(body)
        if key not in cache:
            if len(cache) >= 2:
                cache.pop(next(iter(cache)))
            cache[key] = _body_index(body)
        return cache[key]

    for index, unit in enumerate(units):
        if not isinstance(unit, Heads):
            continue
        prev, nxt = around.before[index], around.after[index]
        if prev is None or nxt is None:
            continue
        before, after = tokens_of(prev), tokens_of(nxt)
        for ln in unit.lines:
            out[ln.line.number] = _leaning(tokens(ln.line.text), before, after)
    return out


def decide_layout(
    units: Sequence[Unit], profile: Profile, kinds: Mapping[int, str], lean: Mapping[int, float]
) -> tuple[Layout, float]:
    """Whether headline runs follow or precede their bodies on this page, with the evidence."""
    score = 0.0
    around = Neighbours(units)
    for index, unit in enumerate(units):
        if not isinstance(unit, Heads):
            continue
        prev, nxt = around.before[index], around.after[index]
        if prev is not None and nxt is not None:
            score += sum(lean[ln.line.number] for ln in unit.lines)
        elif prev is not None:
            score += 1.0  # headlines at the foot of the page, after the last body
        elif nxt is not None:
            score -= 1.0  # headlines at the top of the page, before the first body
    if units and isinstance(units[0], Body) and kinds.get(id(units[0])) == "article":
        first = units[0].text_lines
        if first and first[0].opens:
            score += 0.5  # the page opens with an article's source line, no headline above it
    if units and isinstance(units[-1], Body) and units[-1].closed:
        score -= 0.5  # the page ends with a closed article, no headline below it
    return ("after" if score > 0 else "before"), score


class Neighbours:
    """The bodies next to each unit, found in one pass each way.

    ``before[i]``/``after[i]``: the nearest body on that side with only credit lines between
    (a credit line stands between a headline and its body); ``any_before[i]``: the nearest body
    before, whatever stands between.
    """

    def __init__(self, units: Sequence[Unit]) -> None:
        n = len(units)
        self.before: list[Body | None] = [None] * n
        self.after: list[Body | None] = [None] * n
        self.any_before: list[Body | None] = [None] * n
        last: Body | None = None
        seen: Body | None = None
        for i, unit in enumerate(units):
            self.before[i], self.any_before[i] = last, seen
            if isinstance(unit, Body):
                last = seen = unit
            elif isinstance(unit, Heads):
                last = None
        last = None
        for i in range(n - 1, -1, -1):
            unit = units[i]
            self.after[i] = last
            if isinstance(unit, Body):
                last = unit
            elif isinstance(unit, Heads):
                last = None


def attribute(
    units: Sequence[Unit],
    layout: Layout,
    kinds: Mapping[int, str],
    lean: Mapping[int, float],
    diagnostics: Diagnostics,
) -> list[Article | Orphans]:
    """Give every headline and credit line to a body, in page order of the bodies."""
    articles: dict[int, Article] = {}
    order: list[Article | Orphans] = []
    for unit in units:
        if isinstance(unit, Body):
            article = Article(unit)
            articles[id(unit)] = article
            order.append(article)
    orphans: list[LabelledLine] = []
    around = Neighbours(units)
    for index, unit in enumerate(units):
        if isinstance(unit, Credit):
            # A credit line opens the body below it; at the foot of the page (nothing below)
            # it closes the body above it, past that body's headline.
            target = around.after[index] or around.any_before[index]
            if target is None:
                for ln in unit.lines:
                    diagnostics.warn(
                        "credit.unattributed", ln.line.number, "no article on the page for it"
                    )
                orphans.extend(unit.lines)
            else:
                articles[id(target)].credits.extend(unit.lines)
            continue
        if not isinstance(unit, Heads):
            continue
        prev, nxt = around.before[index], around.after[index]
        if prev is None and nxt is None:
            orphans.extend(unit.lines)
            continue
        if prev is None or nxt is None:
            only = prev or nxt
            assert only is not None
            expected = "after" if only is prev else "before"
            if layout != expected:
                diagnostics.warn(
                    "headline.unattributed",
                    unit.lines[0].line.number,
                    "headline lines with no body on the expected side; given to the nearest one",
                )
            articles[id(only)].heads.extend(unit.lines)
            continue
        k = _split(unit.lines, lean, layout, kinds.get(id(nxt)))
        articles[id(prev)].heads.extend(unit.lines[:k])
        articles[id(nxt)].heads.extend(unit.lines[k:])
    if orphans:
        for ln in orphans:
            if ln.label == "head":
                diagnostics.warn(
                    "headline.unattributed",
                    ln.line.number,
                    "no article on the page to attach this line to",
                )
        order.append(Orphans(orphans))
    return order


def _split(
    lines: Sequence[LabelledLine],
    lean: Mapping[int, float],
    layout: Layout,
    next_kind: str | None,
) -> int:
    """How many leading lines of a headline run belong to the body before it.

    Each line leans to the body whose words it shares; the page's layout breaks ties, and a
    box that is not an article (an advertisement) keeps the title lines set right above it.
    """
    bias = 0.15 if layout == "after" else -0.15
    if next_kind is not None and next_kind != "article":
        bias -= 0.3
    # Split only between groups: lines of one block set in one width are one headline.
    cuts = [0]
    for k in range(1, len(lines)):
        a, b = lines[k - 1], lines[k]
        same = a.block == b.block and abs(a.width - b.width) <= 1.5
        if not same:
            cuts.append(k)
    cuts.append(len(lines))
    scores = [0.0] * (len(lines) + 1)
    running = 0.0
    for k, ln in enumerate(lines):
        running += lean[ln.line.number] + bias
        scores[k + 1] = running
    best_k = len(lines) if layout == "after" else 0
    best = scores[best_k]
    for k in cuts:
        if scores[k] > best or (scores[k] == best and layout == "after" and k > best_k):
            best, best_k = scores[k], k
    return best_k
