"""Articles stage: each attributed body with its headline and credit lines → a division.

Paragraphs come from line cues (a short line that ends a sentence, an indent, a blank after a
sentence end); any other blank line inside a paragraph is a column break (contract §4). Then the
profile's rules lift the opener (byline, dateline) out of the first paragraph, the end mark
and a serial's "to be continued" into a ``trailer``, continuation references and
cross-references into ``ref``, and intertitles open sections.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Diagnostics
from ..model import Block, Content, Division, DivType, Mark, Metadata, Piece, TrailerType
from ..profile import Profile
from .attribution import Article, Attribution, Orphans
from .content import (
    concat,
    joined_piece,
    line_at,
    make_content,
    median,
    split,
    strip_range,
    width,
    with_marks,
)
from .credits import credit_line_marks, find_opener, lift_opener
from .fragments import join_fragments
from .jumps import closing_marks, crossrefs, direction, page_of, serial_start
from .labels import LabelledLine
from .units import Body

#: A page label as ``ref/@n`` holds it (contract §3): a number, or letters and a number.
_PAGE_LABEL = re.compile(r"[1-9][0-9]*|[A-Z]{1,2}[1-9][0-9]*")
#: The letters that begin a division's xml:id, by its type.
_ID_PREFIX = {"article": "a", "advertisement": "ad", "notice": "n", "other": "x"}


@dataclass(frozen=True)
class Articles:
    """The divisions of a page, in page order, each with its xml:id."""

    divisions: tuple[Division, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


def build_divisions(attribution: Attribution, profile: Profile, meta: Metadata) -> Articles:
    """One division for each attributed body, and one for the orphan lines; the xml:id of each
    counts the divisions of its type on the page (``a1``, ``ad1``; ``p2-a1`` on page 2)."""
    diagnostics = Diagnostics()
    divisions: list[Division] = []
    counters: dict[str, int] = {}
    page_prefix = f"p{meta.page}-" if meta.page else ""
    for group in attribution.groups:
        if isinstance(group, Orphans):
            division = orphan_division(group.lines, profile)
            kind = "other"
        else:
            kind = group.kind
            division = build_article(group, profile, meta.date, diagnostics, meta.page)
        counters[kind] = counters.get(kind, 0) + 1
        xml_id = f"{page_prefix}{_ID_PREFIX.get(kind, 'x')}{counters[kind]}"
        divisions.append(Division(division.type, division.children, xml_id))
        if kind == "other":
            diagnostics.warn("div.other", division.first_line, "lines put in div type=other")
    if not divisions:
        # TEI's body must hold something: an empty division says "nothing on this page".
        diagnostics.warn("page.empty", None, "the page has no text")
        divisions.append(Division("other", (), f"{page_prefix}x1"))
    else:
        divisions = list(join_fragments(attribution.groups, divisions, profile))
    return Articles(tuple(divisions), tuple(diagnostics.items))


def classify(body: Body, profile: Profile) -> DivType:
    """article, advertisement or notice, from the density of the profile's cue words."""
    # The layout found advertising copy or a box of its own (a masthead's ear), or the
    # source marks the region so.
    for role, kind in (("advertisement", "advertisement"), ("other", "other")):
        if sum(ln.line.role == role for ln in body.lines) * 2 > len(body.lines):
            return kind  # type: ignore[return-value]
    first = next((ln for ln in body.lines if ln.label == "text"), None)
    if first is not None and first.opens:
        return "article"
    text = "".join(ln.line.text for ln in body.lines)
    size = max(1.0, width(text))
    for kind, cues, minimum, density in (
        ("advertisement", profile.ad_cues, profile.ad_min_cues, profile.ad_min_density),
        ("notice", profile.notice_cues, profile.notice_min_cues, profile.notice_min_density),
    ):
        if not cues:
            continue
        found = [len(c.findall(text)) for c in cues]
        distinct = sum(1 for n in found if n)
        if distinct >= minimum and sum(found) * 100 / size >= density:
            return kind  # type: ignore[return-value]
    return "article"


def paragraphs(lines: Sequence[LabelledLine], profile: Profile) -> list[Content]:
    """Split running text lines into paragraphs; blank lines inside one become ``cb``."""
    if not lines:
        return []
    widths = [ln.width for ln in lines]
    shorter = median(widths) - profile.short_margin
    continues = profile.continues
    texts = [ln.line.text for ln in lines]
    out: list[Content] = []
    pieces = [Piece(lines[0].line.number, texts[0])]
    for k in range(1, len(lines)):
        line = lines[k]
        text = texts[k]
        column_break = False
        # A new paragraph: an indent; or, after a line that does not run on (，、),
        # a sentence end on a short line or before a blank line.
        if text[:1].isspace() and not text.isspace():
            new = True
        elif widths[k - 1] > shorter and not line.blank_before:
            new = False
        else:
            stripped = texts[k - 1].rstrip()
            last = stripped[-1:]
            new = (
                bool(last)
                and last not in continues
                and (_ends_sentence(stripped, profile) or lines[k - 1].end is not None)
            )
            # A blank line before a paragraph's first line is the paragraph break, not a cb.
            column_break = not new and line.blank_before
        if new:
            out.append(Content(tuple(pieces)))
            # A line that begins a paragraph joins nothing.
            pieces = [Piece(line.line.number, text)]
        else:
            pieces.append(
                joined_piece(
                    line.line.number,
                    text,
                    texts[k - 1],
                    column_break,
                    profile.hyphens,
                    hyphenated=lines[k - 1].line.hyphenated,
                )
            )
    out.append(Content(tuple(pieces)))
    return out


def _ends_sentence(text: str, profile: Profile) -> bool:
    """The text ends a sentence: a full stop (。！？…), or a closing quote right after one
    (。” ends a sentence, 冬季长跑月” does not)."""
    last = text[-1:]
    if last not in profile.sentence_end:
        return False
    if unicodedata.category(last) in ("Pf", "Pe"):
        before = text[-2:-1]
        return bool(before) and before in profile.sentence_end
    return True


def jump_marks(
    content: Content, profile: Profile, diagnostics: Diagnostics, own_page: str | None = None
) -> Content:
    """Continuation references as ``ref type="continuation"`` (contract §3), cross-references
    to another page as ``ref type="crossref"`` (§5), and a closing source credit's name.
    A story goes on on another page: a continuation naming the page it stands on
    (``own_page``) names no page (OCR misread its number)."""
    marks: list[Mark] = []
    jumps = profile.jump.finditer(content.text) if profile.jump is not None else iter(())
    for m in jumps:
        subtype = direction(m, profile)
        attrs: list[tuple[str, str]] = [("type", "continuation"), ("subtype", subtype)]
        written = m.group("page")
        page = page_of(written, profile)
        if page is not None and not _PAGE_LABEL.fullmatch(page):
            page = None  # "A0": no page of the contract's (§3)
        own = page is not None and page == own_page
        if page is None or own:
            line = line_at(content, m.start())
            # "Page 0" names a page, one no paper has: said so, not that it names none.
            number = re.search(r"[0-9]+", written or "")
            what = (
                f"names page {page}, the page it stands on"
                if own
                else f"names page {number.group()}, which is no page number"
                if number
                else "names no page"
            )
            diagnostics.warn("jump.no-page", line, f"continuation {m.group()!r} {what}")
        else:
            attrs.append(("n", page))
        marks.append(Mark(m.start(), m.end(), "ref", tuple(attrs)))
    spoken, offsets = _joined(content)
    for a, b, page in crossrefs(spoken, profile):
        a, b = strip_range(spoken, a, b)  # a joining space is no character of the content
        if a == b:
            continue
        start, end = offsets[a], offsets[b - 1] + 1
        # A continuation the same words hold is that ("See page 4" never is one, but a
        # profile's patterns may meet).
        if any(start < mark.end and mark.start < end for mark in marks):
            continue
        crossref: tuple[tuple[str, str], ...] = (("type", "crossref"),)
        if page is not None and _PAGE_LABEL.fullmatch(page):
            crossref += (("n", page),)
        marks.append(Mark(start, end, "ref", crossref))
    for mark in closing_marks(content, profile):
        if not any(mark.start < m.end and m.start < mark.end for m in marks):
            marks.append(mark)
    return with_marks(content, marks) if marks else content


def _joined(content: Content) -> tuple[str, list[int]]:
    """The text of ``content`` with the space that joins two Latin lines ("(voir" / "page 3)"
    reads "(voir page 3)"), and for each of its characters the offset in ``content.text`` it
    stands for (a joining space: the start of the line it joins)."""
    parts: list[str] = []
    offsets: list[int] = []
    position = 0
    for piece in content.pieces:
        if piece.space_before:
            parts.append(" ")
            offsets.append(position)
        parts.append(piece.text)
        offsets.extend(range(position, position + len(piece.text)))
        position += len(piece.text)
    return "".join(parts), offsets


def head_blocks(heads: Sequence[LabelledLine], profile: Profile) -> list[Block]:
    """Headline lines → ``head`` elements typed kicker / main / sub (contract §3)."""
    if not heads:
        return []
    decks: list[list[LabelledLine]] = []
    for ln in heads:
        multi = _multi_deck(ln.line.text, profile)
        if decks:
            prev = decks[-1][-1]
            same_deck = (
                prev.block == ln.block
                # Lines of a block follow each other: in text by number, in layout input by
                # reading order, whatever their numbers in the source.
                and (prev.line.number + 1 == ln.line.number or ln.line.box is not None)
                and _multi_deck(prev.line.text, profile) == multi
                and _is_deck(prev, profile) == _is_deck(ln, profile)
                # A headline broken over two lines puts at least as much on its first line;
                # a much wider line below a short one is the next deck (kicker, then main).
                and (ln.width <= 1.5 * prev.width or _is_sub(decks[-1], profile))
            )
            if same_deck:
                decks[-1].append(ln)
                continue
        decks.append([ln])
    candidates = (
        [
            i
            for i, deck in enumerate(decks)
            if not _multi_deck(deck[0].line.text, profile) and not _is_sub(deck, profile)
        ]
        or [i for i, deck in enumerate(decks) if not _is_sub(deck, profile)]
        or list(range(len(decks)))
    )
    main = max(candidates, key=lambda i: (max(width(d.line.text.strip()) for d in decks[i]), -i))
    blocks = []
    for i, deck in enumerate(decks):
        kind = "main" if i == main else ("sub" if _is_sub(deck, profile) or i > main else "kicker")
        content = make_content([ln.line for ln in deck], profile.hyphens)
        blocks.append(Block("head", content, kind))
    return blocks


def _multi_deck(text: str, profile: Profile) -> bool:
    sep = profile.deck_separator
    return sep is not None and bool(sep.search(text.strip()))


def _is_sub(deck: Sequence[LabelledLine], profile: Profile) -> bool:
    if _is_deck(deck[0], profile):
        return True
    return profile.sub is not None and bool(profile.sub.match(deck[0].line.text))


def _is_deck(ln: LabelledLine, profile: Profile) -> bool:
    """A deck under the main headline (English: in small letters under the capitals)."""
    return profile.deck is not None and bool(profile.deck.search(ln.line.text))


def build_article(
    article: Article,
    profile: Profile,
    issue_date: dt.date | None,
    diagnostics: Diagnostics,
    page: str | None = None,
) -> Division:
    """One division for an attributed body (see module docstring); ``page`` is the page it
    stands on."""
    body = article.body
    if article.kind != "article":
        return _build_box(article, article.kind, profile)
    # Paragraphs, with intertitles opening sections.
    # Each segment: its intertitle (None for the text before the first), the intertitle's
    # second line if it has one, and its text lines.
    segments: list[tuple[LabelledLine | None, list[LabelledLine], list[LabelledLine]]] = [
        (None, [], [])
    ]
    intertitle_block = -1
    for ln in body.lines:
        if ln.label == "head":
            title, more, text = segments[-1]
            if ln.block == intertitle_block and title is not None and not more and not text:
                # A second line of the same intertitle: keep it with the first.
                more.append(ln)
                continue
            segments.append((ln, [], []))
            intertitle_block = ln.block
        elif ln.held and segments[-1][2]:
            segments.append((None, [], [ln]))  # a section with a dateline of its own
        else:
            segments[-1][2].append(ln)
    sections: list[tuple[list[LabelledLine], list[Content]]] = []
    for title, more, text_lines in segments:
        titles = ([title] if title is not None else []) + more
        sections.append((titles, paragraphs(text_lines, profile)))
    # Opener: credit lines, then the source line and dateline of the first paragraph.
    opener_parts: list[Content] = []
    for ln in article.credits:
        content = make_content([ln.line], profile.hyphens)
        marks = credit_line_marks(ln.line.text, profile, ln.line.number, diagnostics)
        opener_parts.append(with_marks(content, marks))
    first_paras = sections[0][1]
    if first_paras:
        first = first_paras[0]
        first_text = first.text
        found = find_opener(first_text, profile, issue_date, first.first_line, diagnostics)
        if found is not None:
            # White space after the source line stays in the opener, between its parts.
            end = found.end
            while end < len(first_text) and first_text[end].isspace():
                end += 1
            head_part, rest = split(first, end)
            opener_parts.append(with_marks(head_part, found.marks))
            if rest.text.strip():
                first_paras[0] = rest
            else:
                first_paras.pop(0)
                if rest.pieces:
                    opener_parts[-1] = concat([opener_parts[-1], rest])
    trailers = _trailers(sections, profile)
    children: list[Block | Division] = list(head_blocks(article.heads, profile))
    if opener_parts:
        children.append(Block("opener", concat(opener_parts)))
    for index, (titles, paras) in enumerate(sections):
        opener = lift_opener(paras, profile, issue_date, diagnostics) if index else None
        blocks: list[Block | Division] = [
            Block("p", jump_marks(p, profile, diagnostics, page)) for p in paras
        ]
        if index == 0 and not titles:
            children.extend(blocks)
            continue
        heads: list[Block | Division] = (
            [Block("head", make_content([t.line for t in titles], profile.hyphens))]
            if titles
            else []
        )
        heads += [Block("opener", opener)] if opener is not None else []
        children.append(Division("section", tuple(heads + blocks)))
    for kind, trailer in trailers:
        if any(isinstance(c, Division) or c.tag == "p" for c in children):
            children.append(Block("trailer", trailer, kind))
        else:
            # TEI allows a trailer only after some text of the division (model.divBottom).
            children.append(Block("p", trailer))
    return Division("article", tuple(children))


def _trailers(
    sections: list[tuple[list[LabelledLine], list[Content]]], profile: Profile
) -> list[tuple[TrailerType, Content]]:
    """What closes an article at the very end of its last paragraph, cut off it, in page
    order: an end mark (①2), and before it, or alone, a serial's "to be continued"
    ("(Fortsetzung folgt.)"). A paragraph left with nothing but white space goes, its pieces
    kept with the trailer."""
    found: list[tuple[TrailerType, Content]] = []
    last_section = next((s for s in reversed(sections) if s[1]), None)
    if last_section is None:
        return found
    paras = last_section[1]
    kinds: tuple[TrailerType, ...] = ("endmark", "to-be-continued")
    for kind in kinds:
        if not paras:
            break
        last = paras[-1]
        if kind == "endmark":
            m = profile.endmark.search(last.text) if profile.endmark is not None else None
            start = m.start("mark") if m is not None else None
        else:
            start = serial_start(last.text, profile)
        if start is None:
            continue
        before, mark = split(last, start)
        if before.text.strip():
            paras[-1] = before
        else:
            paras.pop()
            mark = concat([before, mark]) if before.pieces else mark
        found.insert(0, (kind, mark))
    return found


def _build_box(article: Article, kind: DivType, profile: Profile) -> Division:
    """An advertisement or notice: every line in page order, paragraphs as printed.

    Headline lines above the box's text are its titles (``head``, TEI allows them only first);
    any other short line stays a paragraph where it stands.
    """
    lines = sorted(
        [*article.heads, *article.credits, *article.body.lines], key=lambda ln: ln.line.number
    )
    groups: list[list[LabelledLine]] = []
    for ln in lines:
        same_label = groups and (ln.label == "head") == (groups[-1][-1].label == "head")
        if (
            groups
            and same_label
            and not ln.blank_before
            and ln.line.number == groups[-1][-1].line.number + 1
        ):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    blocks: list[Block | Division] = []
    for group in groups:
        if group[0].label == "head" and all(
            isinstance(b, Block) and b.tag == "head" for b in blocks
        ):
            blocks.append(Block("head", make_content([ln.line for ln in group], profile.hyphens)))
            continue
        for para in paragraphs(group, profile):
            blocks.append(Block("p", para))
    return Division(kind, tuple(blocks))


def orphan_division(lines: Sequence[LabelledLine], profile: Profile) -> Division:
    """Lines that fit nowhere: ``div type="other"`` (contract §3: nothing is dropped)."""
    groups: list[list[LabelledLine]] = []
    for ln in lines:
        if groups and ln.line.number == groups[-1][-1].line.number + 1:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return Division(
        "other",
        tuple(Block("p", make_content([ln.line for ln in g], profile.hyphens)) for g in groups),
    )
