"""Fragments stage: on a page of plain text, join the stretches of a story the OCR cut apart.

A page read from plain OCR text with no boxes (Chronicling America's ``ocr.txt``) often has its
columns out of order: part of a story stands far from its headline, with other stories
between. Such a stretch has no headline, credit or dateline of its own, and its first line
opens nothing (it starts in the middle of the story). It is joined to the story on the page
whose text shares the most of its long words, when they are at least ``[stories]
fragment_words`` and a share ``fragment_share`` of the stretch's own: the divisions are linked
by ``@next``/``@prev``, the story first, then its fragments in page order (contract §3: the
fragments of one article).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from ..model import Division
from ..profile import Profile
from .attribution import Article, Orphans
from .labels import starts_article

#: Words of five letters or more: what two stretches of text share says they tell one story.
_LONG_WORD = re.compile(r"[^\W\d_]{5,}")


def _words(article: Article) -> frozenset[str]:
    return frozenset(
        w.casefold() for ln in article.body.text_lines for w in _LONG_WORD.findall(ln.line.text)
    )


def _plain(article: Article) -> bool:
    """The article's lines come from plain text: none has a box."""
    return all(ln.line.box is None for ln in (*article.body.lines, *article.heads))


def _fragment(article: Article, profile: Profile) -> bool:
    """A stretch of an article's text with nothing that opens a story: no headline or credit,
    and its first line no dateline, source line or "continued from" (whatever break the
    stages before saw there)."""
    texts = article.body.text_lines
    return (
        article.kind == "article"
        and not article.heads
        and not article.credits
        and bool(texts)
        and not starts_article(texts[0].line.text, profile)
    )


def fragment_links(groups: Sequence[Article | Orphans], profile: Profile) -> dict[int, int]:
    """Fragment group index → the index of the story group it belongs to (see the module
    docstring); empty where the profile's ``fragment_words`` is 0 or the page has boxes."""
    rules = profile.stories
    articles = {k: g for k, g in enumerate(groups) if isinstance(g, Article)}
    if rules.fragment_words <= 0 or not articles:
        return {}
    if not all(_plain(a) for a in articles.values()):
        return {}
    words = {k: _words(a) for k, a in articles.items()}
    stories = [k for k, a in articles.items() if a.kind == "article" and not _fragment(a, profile)]
    links: dict[int, int] = {}
    for k, article in articles.items():
        if not _fragment(article, profile) or not words[k]:
            continue
        shared, target = max(((len(words[k] & words[t]), -t) for t in stories), default=(0, 0))
        if shared >= rules.fragment_words and shared >= rules.fragment_share * len(words[k]):
            links[k] = -target
    return links


def join_fragments(
    groups: Sequence[Article | Orphans], divisions: Sequence[Division], profile: Profile
) -> tuple[Division, ...]:
    """The divisions (one per group, in order) with each story and its fragments linked by
    ``@next``/``@prev``: the story first, then its fragments in page order."""
    links = fragment_links(groups, profile)
    if not links:
        return tuple(divisions)
    chains: dict[int, list[int]] = {}
    for fragment, story in sorted(links.items()):
        chains.setdefault(story, [story]).append(fragment)
    out = list(divisions)
    for chain in chains.values():
        for a, b in itertools.pairwise(chain):
            first, second = out[a], out[b]
            if first.xml_id is None or second.xml_id is None:
                continue
            out[a] = replace(first, next="#" + second.xml_id)
            out[b] = replace(second, prev="#" + first.xml_id)
    return tuple(out)
