"""Layout and attribution stages: which body each headline run and credit run belongs to.

Which body a headline run belongs to is decided by evidence, not by a fixed order: how many of
its words the bodies before and after it share (:func:`leanings`), and where headline runs stand
on the page as a whole (:func:`decide_layout`: before or after their bodies). Then every headline
and credit line is given to a body (:func:`attribute`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..diagnostics import Diagnostic, Diagnostics
from ..model import DivType
from .content import has_wide, joins_stripped
from .labels import LabelledLine
from .units import Body, Credit, Heads, Unit

#: Where headline runs stand on a page: before their bodies or after them.
Layout = Literal["before", "after"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PageLayout:
    """The units of a page with what attribution weighs: each body's kind (None for the other
    units), each headline line's leaning (by line number, see :func:`leanings`), and whether
    headlines follow or precede their bodies on this page, with the evidence for it."""

    units: tuple[Unit, ...]
    kinds: tuple[DivType | None, ...]
    leanings: Mapping[int, float]
    layout: Layout
    evidence: float
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A body of the given kind with the headline lines and credit lines attributed to it."""

    body: Body
    kind: DivType
    heads: tuple[LabelledLine, ...]
    credits: tuple[LabelledLine, ...]


@dataclass(frozen=True, slots=True)
class Orphans:
    """Headline or credit lines with no body on the page to belong to."""

    lines: tuple[LabelledLine, ...]


@dataclass(frozen=True)
class Attribution:
    """The page's articles in page order of their bodies, orphan lines last."""

    groups: tuple[Article | Orphans, ...]
    layout: Layout
    evidence: float
    diagnostics: tuple[Diagnostic, ...] = ()


# --- similarity ------------------------------------------------------------------------------


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


class _BodyText:
    """What a headline line is compared with: the body's text joined as the writer joins it
    (so a word split over two lines is still one word) and, when first asked, its lower-cased
    words."""

    def __init__(self, body: Body) -> None:
        texts = [ln.line.text.strip() for ln in body.lines]
        # Lines join with nothing between them, but where the rules give a joining space.
        parts: list[str] = []
        last = 0
        for k in range(1, len(texts)):
            if not joins_stripped(texts[k - 1], texts[k]):
                parts.append("".join(texts[last:k]))
                last = k
        parts.append("".join(texts[last:]))
        self.text = " ".join(parts)
        self._words: frozenset[str] | None = None

    def shares(self, searched: Sequence[str], words: Sequence[str]) -> int:
        """How many of a line's tokens the body has: ``searched`` in its text, ``words``
        among its words (see :func:`_searched`)."""
        found = sum(1 for token in searched if token in self.text)
        if words:
            if self._words is None:
                self._words = frozenset(w.lower() for w in _WORD.findall(self.text))
            found += sum(1 for word in words if word in self._words)
        return found


def _searched(token: str) -> bool:
    """Whether a token is looked up in a body's text rather than among its words: a bigram
    (of ideographs, or of a word mixing them with digits: two characters, as Latin words
    count from three) or any token with an ideograph."""
    return len(token) <= 2 or has_wide(token)


def _leaning(own: set[str], before: _BodyText, after: _BodyText) -> float:
    """The share of a line's tokens ``own`` that the body before it has, less the share the
    body after it has."""
    if not own:
        return 0.0
    searched = [t for t in own if _searched(t)]
    words = [t for t in own if not _searched(t)] if len(searched) < len(own) else []
    return before.shares(searched, words) / len(own) - after.shares(searched, words) / len(own)


class Neighbours:
    """The bodies next to each unit, as indexes into the units, found in one pass each way.

    ``before[i]``/``after[i]``: the nearest body on that side with only credit lines between
    (a credit line stands between a headline and its body); ``any_before[i]``: the nearest body
    before, whatever stands between.
    """

    def __init__(self, units: Sequence[Unit]) -> None:
        n = len(units)
        self.before: list[int | None] = [None] * n
        self.after: list[int | None] = [None] * n
        self.any_before: list[int | None] = [None] * n
        last: int | None = None
        seen: int | None = None
        for i, unit in enumerate(units):
            self.before[i], self.any_before[i] = last, seen
            if isinstance(unit, Body):
                last = seen = i
            elif isinstance(unit, Heads):
                last = None
        last = None
        for i in range(n - 1, -1, -1):
            unit = units[i]
            self.after[i] = last
            if isinstance(unit, Body):
                last = i
            elif isinstance(unit, Heads):
                last = None


def leanings(units: Sequence[Unit]) -> dict[int, float]:
    """For each headline line between two bodies: how much more of its words the body before
    it shares than the body after it (-1 … 1), keyed by line number.

    Only the two bodies around the current headline run keep their text, so memory stays
    bounded by two bodies, not the page.
    """
    out: dict[int, float] = {}
    texts: dict[int, _BodyText] = {}
    around = Neighbours(units)

    def text_of(index: int) -> _BodyText:
        if index not in texts:
            if len(texts) >= 2:
                texts.pop(next(iter(texts)))
            body = units[index]
            assert isinstance(body, Body)
            texts[index] = _BodyText(body)
        return texts[index]

    for index, unit in enumerate(units):
        if not isinstance(unit, Heads):
            continue
        prev, nxt = around.before[index], around.after[index]
        if prev is None or nxt is None:
            continue
        before, after = text_of(prev), text_of(nxt)
        for ln in unit.lines:
            out[ln.line.number] = _leaning(tokens(ln.line.text), before, after)
    return out


# --- layout ----------------------------------------------------------------------------------


def decide_layout(
    units: Sequence[Unit], kinds: Sequence[DivType | None], lean: Mapping[int, float]
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
    if units and isinstance(units[0], Body) and kinds[0] == "article":
        first = units[0].text_lines
        if first and first[0].opens:
            score += 0.5  # the page opens with an article's source line, no headline above it
    if units and isinstance(units[-1], Body) and units[-1].closed:
        score -= 0.5  # the page ends with a closed article, no headline below it
    return ("after" if score > 0 else "before"), score


# --- attribution -----------------------------------------------------------------------------


def attribute(page: PageLayout) -> Attribution:
    """Give every headline and credit line to a body, in page order of the bodies."""
    units, kinds, layout = page.units, page.kinds, page.layout
    diagnostics = Diagnostics()
    heads: dict[int, list[LabelledLine]] = {}
    credits: dict[int, list[LabelledLine]] = {}
    for index, unit in enumerate(units):
        if isinstance(unit, Body):
            heads[index], credits[index] = [], []
    orphans: list[LabelledLine] = []
    around = Neighbours(units)
    for index, unit in enumerate(units):
        if isinstance(unit, Credit):
            # A credit line opens the body below it; at the foot of the page (nothing below)
            # it closes the body above it, past that body's headline.
            target = around.after[index]
            if target is None:
                target = around.any_before[index]
            if target is None:
                for ln in unit.lines:
                    diagnostics.warn(
                        "credit.unattributed", ln.line.number, "no article on the page for it"
                    )
                orphans.extend(unit.lines)
            else:
                credits[target].extend(unit.lines)
            continue
        if not isinstance(unit, Heads):
            continue
        prev, nxt = around.before[index], around.after[index]
        if prev is None and nxt is None:
            orphans.extend(unit.lines)
            continue
        if prev is None or nxt is None:
            only = prev if prev is not None else nxt
            assert only is not None
            expected = "after" if only == prev else "before"
            if layout != expected:
                diagnostics.warn(
                    "headline.unattributed",
                    unit.lines[0].line.number,
                    "headline lines with no body on the expected side; given to the nearest one",
                )
            heads[only].extend(unit.lines)
            continue
        k = _split(unit.lines, page.leanings, layout, kinds[nxt])
        if layout == "before" and kinds[prev] not in (None, "article"):
            k = 0  # where headlines precede their bodies, none goes back to a box above them
        before = units[prev]
        if layout == "before" and isinstance(before, Body) and before.closed:
            # An end mark or a "continued on" ended the body above: its story is told (or
            # goes on elsewhere), and where headlines precede their bodies none goes back to it.
            k = 0
        heads[prev].extend(unit.lines[:k])
        heads[nxt].extend(unit.lines[k:])
    groups: list[Article | Orphans] = []
    for index, unit in enumerate(units):
        kind = kinds[index]
        if isinstance(unit, Body) and kind is not None:
            groups.append(Article(unit, kind, tuple(heads[index]), tuple(credits[index])))
    if orphans:
        for ln in orphans:
            if ln.label == "head":
                diagnostics.warn(
                    "headline.unattributed",
                    ln.line.number,
                    "no article on the page to attach this line to",
                )
        groups.append(Orphans(tuple(orphans)))
    return Attribution(tuple(groups), layout, page.evidence, tuple(diagnostics.items))


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
