"""Labels stage: blocks → labelled lines, each line text, head (a headline) or credit.

A headline is a short line set apart by blank lines that does not read as running text; a
credit line (本报记者 …, By Associated Press) stands alone or first in its block. Each labelled
line also carries the line features later stages ask about: whether it opens an article, what
stands at its end, and its printed width.

A page of plain text with no blank lines (Chronicling America's ``ocr.txt``) is one block; there
runs of headline lines (capitals, and decks whose words are capitalised) and credit lines are
found inside the block by the profile's ``[stories]`` rules, and each breaks the story as a
reader sees it: the text after them opens a new one. A dateline whose place begins on the line
above ("WITH THE BRITISH ARMY IN" / "FRANCE, August 31.—") opens its story on that line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from ..model import Line
from ..profile import Profile
from .blocks import TextBlock
from .content import median, width
from .credits import is_credit_line, latin_credit, leading_credit
from .jumps import closes_with_credit, is_serial_end, jump_at_end, jump_at_start

Label = Literal["text", "head", "credit"]

#: What may stand at the end of a line that closes its article: an end mark, a "continued on",
#: a serial's "to be continued", a source credit (—Dubois Enterprise.).
CLOSING = frozenset({"endmark", "next", "serial", "source"})


class LabelledLine(NamedTuple):
    """An input line with its label and the features the later stages ask about."""

    line: Line
    label: Label
    block: int  # index of the block the line came from
    blank_before: bool  # a blank line stands right before it
    opens: bool  # it opens an article (:func:`starts_article`)
    end: str | None  # what stands at its very end (:func:`line_end_reference`)
    width: float  # the printed width of the stripped line (:func:`content.width`)
    #: it opens an article by its words, but the layout saw no break before it: it opens a
    #: section of the story it stands in (a telegraph report's second dispatch)
    held: bool = False
    #: a headline line the labels found inside a story's running text (a crosshead set in
    #: the body's type): it opens a section of that story, not a story
    inner: bool = False


def starts_article(text: str, profile: Profile) -> bool:
    """A source line (本报讯…), a "continued from" reference or one of the profile's story
    ``openers`` (a brief's pointing hand) opens an article."""
    head = text.lstrip()
    if profile.any_source is not None and profile.any_source.match(head):
        return True
    if any(p.match(head) for p in profile.stories.openers):
        return True
    return jump_at_start(head, profile) == "prev"


def line_end_reference(text: str, profile: Profile) -> str | None:
    """What stands at the very end of a line: "endmark", a jump ("next" or "prev"), a serial's
    "to be continued" ("serial"), a closing source credit ("source"), or None."""
    stripped = text.rstrip()
    if profile.endmark is not None and profile.endmark.search(stripped):
        return "endmark"
    jump = jump_at_end(stripped, profile)
    if jump is not None:
        return jump
    if is_serial_end(stripped, profile):
        return "serial"
    if closes_with_credit(stripped, profile):
        return "source"
    return None


def ends_article(text: str, profile: Profile) -> bool:
    """An end mark or a "continued on" reference at the end of a line closes its article."""
    return line_end_reference(text, profile) in CLOSING


class _HeadlineRule:
    """Whether a line looks like a headline, by the rules of one profile."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        # The profile's sentence ends and its "runs on" marks that are plain punctuation
        # (Unicode category Po): one inside a line makes it running text (closing quotes do not).
        self.stops = frozenset(c for c in profile.sentence_end if unicodedata.category(c) == "Po")
        self.runs_on = frozenset(c for c in profile.continues if unicodedata.category(c) == "Po")

    def __call__(self, text: str) -> bool:
        profile = self.profile
        stripped = text.strip()
        if not stripped:
            return False
        w = width(stripped)
        if w < profile.head_min_width or w > profile.head_max_width:
            return False
        if sum(1 for c in stripped if c.isalpha()) < profile.head_min_letters:
            return False
        last = stripped[-1]
        if last in profile.continues:
            return False
        if last in profile.sentence_end and unicodedata.category(last) not in ("Pf", "Pe"):
            return False
        # A full stop inside the line means running text, not a headline; so does a comma,
        # except in a subtitle or an intertitle ("——访…，…", "郑州：…").
        inner = stripped[:-1]
        if not self.stops.isdisjoint(inner):
            return False
        if not self.runs_on.isdisjoint(inner):
            exempt = (profile.sub is not None and profile.sub.match(stripped)) or (
                profile.intertitle is not None and profile.intertitle.search(stripped)
            )
            if not exempt:
                return False
        if starts_article(stripped, profile) or ends_article(stripped, profile):
            return False
        return not (profile.jump is not None and profile.jump.search(stripped))


@dataclass(frozen=True)
class _PageLines:
    """All lines of the page's blocks in order, with where each block begins among them and the
    features of each line."""

    lines: tuple[Line, ...]
    firsts: tuple[int, ...]  # the index of each block's first line
    opens: tuple[bool, ...]
    ends: tuple[str | None, ...]
    widths: tuple[float, ...]

    def block_widths(self, index: int, size: int) -> tuple[float, ...]:
        first = self.firsts[index]
        return self.widths[first : first + size]


def label_blocks(blocks: Sequence[TextBlock], profile: Profile) -> tuple[LabelledLine, ...]:
    """Label every line text, head or credit (see module docstring)."""
    headline_like = _HeadlineRule(profile)
    lines = tuple(line for block in blocks for line in block.lines)
    firsts = []
    count = 0
    for block in blocks:
        firsts.append(count)
        count += len(block.lines)
    page = _PageLines(
        lines=lines,
        firsts=tuple(firsts),
        opens=tuple([starts_article(line.text, profile) for line in lines]),
        ends=tuple([line_end_reference(line.text, profile) for line in lines]),
        widths=tuple([width(line.text.strip()) for line in lines]),
    )
    # A block the layout found set in display type is a headline whatever its words; a story
    # break the layout found before a block opens an article there.
    # A crosshead, the text right under it, advertising copy and a masthead's ears are no
    # headlines by their words alone.
    head_blocks = [
        (b.display and not _holds_jump(b, profile))
        or (
            not b.crosshead
            and not (k > 0 and blocks[k - 1].crosshead)
            and b.lines[0].role not in ("advertisement", "other")
            and len(b.lines) <= profile.head_max_lines
            and all(headline_like(ln.text) for ln in b.lines)
        )
        for k, b in enumerate(blocks)
    ]
    opens = list(page.opens)
    for index, block in enumerate(blocks):
        # A block of specks standing apart (a dateline or an initial the OCR reduced to
        # "2 9 E") marks where a story starts, though it is no headline; right under a
        # headline it is an ornament of that headline (a garbled subtitle or rule).
        # Text that stops mid-sentence before the specks runs on past them (a stray mark).
        if block.opens or (
            index > 0
            and not head_blocks[index - 1]
            and _SENTENCE_END.search(blocks[index - 1].lines[-1].text) is not None
            and all(_speck(ln.text, profile) for ln in block.lines)
        ):
            opens[firsts[index]] = True
    labels: list[Label] = ["text"] * len(lines)
    for index, block in enumerate(blocks):
        first, size = firsts[index], len(block.lines)
        if (
            block.crosshead
            and index + 1 < len(blocks)
            and opens[firsts[index + 1]]
            and not _holds_jump(block, profile)
        ):
            # A crosshead right over a dateline or source line is that story's head.
            labels[first : first + size] = ["head"] * size
            continue
        if head_blocks[index]:
            if (
                size > 1
                or block.display
                or not _fits_column(blocks, head_blocks, index, profile, page)
            ):
                labels[first : first + size] = ["head"] * size
        else:
            # Headline lines set right above a source line in the same block.
            for i in range(1, min(size, profile.head_max_lines + 1)):
                if page.opens[first + i] and all(
                    headline_like(prev.text) for prev in block.lines[:i]
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
    _title_blocks(blocks, firsts, labels, opens, page)
    # A credit line of a Latin-script paper is no headline, whatever its type or place.
    for k, line in enumerate(lines):
        if labels[k] == "head" and latin_credit(line.text, profile) is not None:
            labels[k] = "credit"
    _datelines_from_above(blocks, firsts, labels, opens, profile)
    held = _held_datelines(blocks, firsts, labels, opens, profile)
    rules = profile.stories
    for index, block in enumerate(blocks):
        if (
            rules.min_lines > 0
            and len(block.lines) >= rules.min_lines
            and all(ln.box is None for ln in block.lines)
        ):
            _story_breaks(firsts[index], block, labels, opens, page, profile)
    display = [block.display for block in blocks for _ in block.lines]
    _crossheads_over_datelines(lines, labels, opens, page, profile, display)
    _crossheads_between_stories(blocks, firsts, labels, profile)
    inner = _inner_heads(blocks, firsts, labels, opens)
    return tuple(
        [
            LabelledLine(
                line,
                labels[firsts[index] + k],
                index,
                k == 0 and block.blank_before > 0,
                opens[firsts[index] + k],
                page.ends[firsts[index] + k],
                page.widths[firsts[index] + k],
                held[firsts[index] + k],
                inner[firsts[index] + k],
            )
            for index, block in enumerate(blocks)
            for k, line in enumerate(block.lines)
        ]
    )


#: The end of a sentence, perhaps in quotes or brackets, at the end of a line.
_SENTENCE_END = re.compile(r"[.!?:;]\W*$")


def _title_blocks(
    blocks: Sequence[TextBlock],
    firsts: Sequence[int],
    labels: list[Label],
    opens: Sequence[bool],
    page: _PageLines,
) -> None:
    """A short line standing alone between two headline blocks of a laid-out page (a serial's
    author, a garbled ornament under its title) is part of that heading, not a story of one
    line that would cut the heading in two."""
    text_widths = [page.widths[k] for k, label in enumerate(labels) if label == "text"]
    if not text_widths:
        return
    short = 0.6 * median(text_widths)
    for index in range(1, len(blocks) - 1):
        k = firsts[index]
        if (
            len(blocks[index].lines) == 1
            and blocks[index].lines[0].box is not None
            and labels[k] == "text"
            and not opens[k]
            and page.widths[k] < short
            and labels[k - 1] == "head"
            and labels[firsts[index + 1]] == "head"
        ):
            labels[k] = "head"


def _speck(text: str, profile: Profile) -> bool:
    """A line of fewer letters than a headline needs, with some (not a rule or a blank)."""
    letters = sum(1 for c in text if c.isalpha())
    return 0 < letters < profile.head_min_letters or (
        letters == 0 and any(c.isdigit() for c in text)
    )


def _holds_jump(block: TextBlock, profile: Profile) -> bool:
    """A continuation reference, or a serial's "to be continued", in a block: it ends or opens
    a story, it never heads one, whatever its type."""
    jump = profile.jump
    return any(
        (jump is not None and jump.search(ln.text)) or is_serial_end(ln.text, profile)
        for ln in block.lines
    )


def _fits_column(
    blocks: Sequence[TextBlock],
    head_blocks: Sequence[bool],
    index: int,
    profile: Profile,
    page: _PageLines,
) -> bool:
    """A lone short line as wide as the running text around it is a column's last line.

    Only if the text runs on into the next block: not when a headline, a source line, a
    "continued from" or a credit line follows, and not for a subtitle (——…).
    """
    text = blocks[index].lines[0].text
    if profile.sub is not None and profile.sub.match(text):
        return False
    nxt = index + 1
    if nxt >= len(blocks) or head_blocks[nxt]:
        return False
    if page.opens[page.firsts[nxt]] or is_credit_line(blocks[nxt].lines[0].text, profile):
        return False
    w = page.widths[page.firsts[index]]
    for step in (-1, 1):
        j = index + step
        if 0 <= j < len(blocks) and not head_blocks[j] and len(blocks[j].lines) >= 2:
            size = len(blocks[j].lines)
            col = median(page.block_widths(j, size))
            if col - profile.short_margin - 0.5 <= w <= col + 1:
                if step == -1 and page.ends[page.firsts[j] + size - 1] in CLOSING:
                    continue
                return True
    return False


def _crossheads_over_datelines(
    lines: Sequence[Line],
    labels: list[Label],
    opens: list[bool],
    page: _PageLines,
    profile: Profile,
    display: Sequence[bool],
) -> None:
    """A crosshead inside a story (one headline line shaped as the profile's ``intertitle``,
    "Turks Claim Success.", between the end of a sentence and a dateline, the text above and
    below sharing ``[stories] crosshead_shared`` long words) opens a section of that story,
    not a story: the dispatch under it goes on the story. On a laid-out page only a line in
    the body's type: display type is a story's head."""
    if profile.intertitle is None:
        return
    for k in range(1, len(lines) - 1):
        if labels[k] != "head" or labels[k - 1] != "text" or labels[k + 1] != "text":
            continue
        if lines[k].box is not None and display[k]:
            continue
        if not opens[k + 1] or opens[k] or page.ends[k - 1] is not None:
            continue
        if profile.any_source is None or not profile.any_source.match(lines[k + 1].text.lstrip()):
            continue
        before = lines[k - 1].text.rstrip()
        if not (
            before[-1:] in profile.sentence_end and profile.intertitle.search(lines[k].text.strip())
        ):
            continue
        # The dispatch under it is of the story above when the two speak of the same things;
        # else the crosshead heads a brief of its own.
        if len(_story_words(lines, labels, k - 1, -1) & _story_words(lines, labels, k + 1, 1)) >= (
            profile.stories.crosshead_shared
        ):
            opens[k + 1] = False


def _inner_heads(
    blocks: Sequence[TextBlock],
    firsts: Sequence[int],
    labels: Sequence[Label],
    opens: Sequence[bool],
) -> list[bool]:
    """On a laid-out page whose source gives type sizes, a line of headline words the layout
    saw nothing of (body type, no gap or rule before it, not centred as a crosshead) standing
    alone between two paragraphs of running text, with no dateline under it, is a crosshead
    inside that story: a new story's head is set in display type, or stands over the dispatch
    it heads. (Where only the height of lines tells type, display type is often missed.)"""
    inner = [False] * len(labels)
    for index in range(1, len(blocks) - 1):
        block, k = blocks[index], firsts[index]
        if (
            len(block.lines) == 1
            and block.lines[0].box is not None
            and block.lines[0].size is not None
            and labels[k] == "head"
            and not (block.display or block.crosshead or block.opens)
            and labels[k - 1] == "text"
            and labels[k + 1] == "text"
            and not opens[k + 1]
        ):
            inner[k] = True
    return inner


def _held_datelines(
    blocks: Sequence[TextBlock],
    firsts: Sequence[int],
    labels: Sequence[Label],
    opens: Sequence[bool],
    profile: Profile,
) -> list[bool]:
    """On a laid-out page a dateline set on in a block of running text, with no break the
    layout saw before it, opens a section of the story above where the press set dispatches
    so (``[layout] dateline_sections``), not a story of its own. A brief's pointing hand
    (``[stories] openers``) opens a story wherever it stands."""
    lines = [ln for block in blocks for ln in block.lines]
    held = [False] * len(lines)
    if not profile.layout.dateline_sections:
        return held
    for index, block in enumerate(blocks):
        first = firsts[index]
        for k in range(first + 1, first + len(block.lines)):
            held[k] = (
                opens[k]
                and lines[k].box is not None
                and labels[k - 1] == "text"
                and not any(p.match(lines[k].text.lstrip()) for p in profile.stories.openers)
            )
    return held


def _crossheads_between_stories(
    blocks: Sequence[TextBlock], firsts: Sequence[int], labels: list[Label], profile: Profile
) -> None:
    """A line the layout took for a crosshead (body type, centred, close under the text) heads
    a story of its own where the text above it ends a sentence and the text above and below
    share fewer than ``[stories] crosshead_shared`` long words: they tell two stories (a
    column of briefs, each under a one-line head in the body's type)."""
    lines = [ln for block in blocks for ln in block.lines]
    for index, block in enumerate(blocks):
        first, last = firsts[index], firsts[index] + len(block.lines) - 1
        if not block.crosshead or first == 0 or last + 1 >= len(lines):
            continue
        if any(labels[k] != "text" for k in (first - 1, *range(first, last + 2))):
            continue
        if _SENTENCE_END.search(lines[first - 1].text) is None:
            continue
        above = _story_words(lines, labels, first - 1, -1)
        below = _story_words(lines, labels, last + 1, 1)
        if min(len(above), len(below)) < _JUDGE_WORDS:
            continue  # too little text to tell (an advertisement's short paragraphs)
        if len(above & below) < profile.stories.crosshead_shared:
            labels[first : last + 1] = ["head"] * len(block.lines)


#: The fewest long words of text on each side of a crosshead that tell what they speak of.
_JUDGE_WORDS = 12

#: Words of five letters or more: what two stretches of text share says they tell one story.
_LONG_WORD = re.compile(r"[^\W\d_]{5,}")
#: How many lines on each side of a crosshead are compared.
_STORY_SPAN = 25


def _story_words(lines: Sequence[Line], labels: Sequence[Label], start: int, step: int) -> set[str]:
    """The long words of up to ``_STORY_SPAN`` text lines from ``start`` on, going ``step``
    (-1: up, 1: down), up to the next headline or credit line."""
    words: set[str] = set()
    k = start
    while 0 <= k < len(lines) and abs(k - start) < _STORY_SPAN and labels[k] == "text":
        words.update(w.casefold() for w in _LONG_WORD.findall(lines[k].text))
        k += step
    return words


def _datelines_from_above(
    blocks: Sequence[TextBlock],
    firsts: Sequence[int],
    labels: list[Label],
    opens: list[bool],
    profile: Profile,
) -> None:
    """A dateline whose place begins on the line above opens its story there: "WITH THE
    BRITISH ARMY IN" / "FRANCE, August 31.—With…" (a line of capitals that ends no sentence,
    begins a place as the profile's ``place_above`` says, and with which the line below reads
    as a source line)."""
    if profile.any_source is None or profile.place_above is None:
        return
    for index, block in enumerate(blocks):
        first = firsts[index]
        for k in range(1, len(block.lines)):
            at = first + k
            above = block.lines[k - 1].text.strip()
            if not opens[at] or opens[at - 1] or labels[at - 1] != "text" or labels[at] != "text":
                continue
            if not above or any(c.islower() for c in above) or above[-1] in profile.sentence_end:
                continue
            if not profile.place_above.search(above):
                continue
            below = block.lines[k].text.strip()
            # The place goes on below in capitals ("FRANCE, August 31."): a place of its own
            # in small letters there ("Drogheda, Ireland, …") is no continuation.
            if any(c.islower() for c in re.split(r"[,.]", below, maxsplit=1)[0]):
                continue
            joined = above + " " + below
            m = profile.any_source.match(joined)
            if m is not None and m.end() > len(above) + 1:
                opens[at - 1], opens[at] = True, False


def _story_breaks(
    first: int,
    block: TextBlock,
    labels: list[Label],
    opens: list[bool],
    page: _PageLines,
    profile: Profile,
) -> None:
    """Headline runs and credit lines inside one long block of plain text (see the module
    docstring): their lines are labelled, and the text after each opens a story."""
    texts = [ln.text.strip() for ln in block.lines]
    size = len(texts)
    rules = profile.stories
    serial = _in_serial(texts, page.ends[first : first + size], profile)
    # A dateline the OCR left as specks ("2 9 E") after the end of a sentence opens a story.
    dated = [
        rules.date_specks is not None
        and not serial[k]
        and labels[first + k] == "text"
        and not opens[first + k]
        and page.ends[first + k] is None
        and rules.date_specks.match(texts[k]) is not None
        and _after_sentence(texts, k, profile)
        for k in range(size)
    ]
    for k in range(size):
        if dated[k]:
            opens[first + k] = True
    fixed = [
        opens[first + k] or page.ends[first + k] is not None or labels[first + k] != "text"
        for k in range(size)
    ]
    lines = _TextLines(
        texts=texts,
        opened=[opens[first + k] for k in range(size)],
        dated=dated,
        # A bracketed credit leading a line right under a dateline ("INDIANAPOLIS, Ind.,
        # November 15" / "(Special to The Star.)—Report of a") is that dateline's.
        credit=[
            not fixed[k]
            and (
                is_credit_line(texts[k], profile)
                or (leading_credit(texts[k], profile) and not (k > 0 and opens[first + k - 1]))
            )
            for k in range(size)
        ],
        shapes=_shapes(texts, fixed, profile),
    )
    k = 0
    while k < size:
        if lines.credit[k] or lines.shapes[k] in (None, "speck"):
            if lines.credit[k]:
                labels[first + k] = "credit"
                nxt = lines.next_line(k + 1)
                if nxt < size and not lines.credit[nxt]:
                    opens[first + nxt] = True
            k += 1
            continue
        end = k
        while end < size and lines.shapes[end] is not None and not lines.credit[end]:
            end += 1
        run = _accepted_run(lines, k, end, profile)
        if run is not None and serial[run[0]] and not _caps_lines(lines, *run):
            # A chapter title inside a serial's instalment heads no story.
            run = None
        if run is not None:
            a, b = run
            labels[first + a : first + b] = ["head"] * (b - a)
            nxt = lines.next_line(b)
            # A lone crosshead ("Fierce Offensive.") opens no story: it may head a section.
            crosshead = (
                b - a == 1
                and profile.intertitle is not None
                and profile.intertitle.search(texts[a]) is not None
            )
            if nxt < size and not lines.credit[nxt] and not crosshead:
                opens[first + nxt] = True
        k = end
    if rules.serial_start is not None:
        for k, text in enumerate(texts):
            if rules.serial_start.match(text):
                _serial_heading(first, k, texts, labels, opens, profile)


#: The shapes of headline lines (see _shapes).
_HEAD_SHAPES = ("caps", "deck", "sentence")

#: How many lines above a serial's instalment line its title may start (title, ornament,
#: author).
_SERIAL_HEADING = 6


def _in_serial(texts: Sequence[str], ends: Sequence[str | None], profile: Profile) -> list[bool]:
    """Whether each line stands inside a serial's instalment: after its instalment line
    (``[stories] serial_start``) up to its "to be continued"."""
    out = [False] * len(texts)
    pattern = profile.stories.serial_start
    if pattern is None:
        return out
    inside = False
    for k, text in enumerate(texts):
        out[k] = inside
        if pattern.match(text):
            inside = True
        elif ends[k] == "serial":
            inside = False
    return out


def _serial_heading(
    first: int,
    at: int,
    texts: Sequence[str],
    labels: list[Label],
    opens: list[bool],
    profile: Profile,
) -> None:
    """The short lines over a serial's instalment line (``at``, relative to the block's
    ``first`` line) up to ``_SERIAL_HEADING`` of them are its heading: the topmost is its title
    (a headline), the rest (ornaments, the author, the instalment line) are text, and nothing
    under the title opens a story. A short line right under a line that runs on is the last
    line of the text above, not the title."""
    short = _short_length(texts, profile)
    top = at
    while top > 0 and at - top < _SERIAL_HEADING and len(texts[top - 1]) <= short:
        top -= 1
    while top < at and top > 0 and not _ends_sentence_or_story(texts[top - 1], profile):
        top += 1
    if top == at:
        return
    if labels[first + top] == "text":
        labels[first + top] = "head"
    for j in range(top + 1, at + 1):
        if labels[first + j] == "head":
            labels[first + j] = "text"
        opens[first + j] = False
    if first + at + 1 < len(labels):
        opens[first + at + 1] = False


def _caps_lines(lines: _TextLines, start: int, end: int) -> int:
    """How many lines of a run are in capitals, of two words or more."""
    return sum(
        1
        for k in range(start, end)
        if lines.shapes[k] == "caps" and len(_words(lines.texts[k])) >= 2
    )


def _line_before(texts: Sequence[str], k: int, profile: Profile) -> int:
    """The nearest line above ``k`` with five letters or more (specks and scraps like "mil"
    stand between stories) or with figures ending a sentence, or -1."""
    j = k - 1
    while j >= 0 and sum(c.isalpha() for c in texts[j]) < 5:
        if _ends_sentence_or_story(texts[j], profile) and any(c.isdigit() for c in texts[j]):
            break  # the last figures of a sentence ("000.")
        j -= 1
    return j


def _after_sentence(texts: Sequence[str], k: int, profile: Profile) -> bool:
    """The nearest line above ``k`` with words ends a sentence."""
    j = _line_before(texts, k, profile)
    return j >= 0 and _ends_sentence_or_story(texts[j], profile)


@dataclass(frozen=True)
class _TextLines:
    """The lines of a block of plain text with what story breaks ask of each."""

    texts: Sequence[str]
    opened: Sequence[bool]  # a source line or a "continued from" opens an article
    dated: Sequence[bool]  # ... or a dateline left as specks, which proves no headline above it
    credit: Sequence[bool]  # a credit line (By Associated Press)
    shapes: Sequence[str | None]  # "caps", "deck", "sentence", "speck" or None (see _shapes)

    def next_line(self, k: int) -> int:
        """The first line from ``k`` on that is no speck."""
        while k < len(self.texts) and self.shapes[k] == "speck":
            k += 1
        return k


def _shapes(texts: Sequence[str], fixed: Sequence[bool], profile: Profile) -> list[str | None]:
    """Each line's headline shape: "caps" (set in capitals), "deck" (its words capitalised, the
    first too unless it ends a word broken on a headline line above), "sentence" (a short
    sentence after the end of a sentence, ``[stories] period_words``), "speck" (an ornament or
    rule read as a few marks: it breaks no run), or None (running text, or a line another rule
    placed)."""
    rules = profile.stories
    out: list[str | None] = []
    period_length = _short_length(texts, profile)
    for k, text in enumerate(texts):
        shape: str | None = None
        # A word broken at the end of a headline line above goes on in small letters here
        # ("President Re" / "ceived by Senate With"): a capitalised word was broken.
        last_word = _words(texts[k - 1])[-1:] if k > 0 else []
        goes_on = (
            k > 0 and out[-1] in _HEAD_SHAPES and bool(last_word) and last_word[0][:1].isupper()
        )
        if not fixed[k] and 0 < len(text) <= rules.max_length:
            letters = [c for c in text if c.isalpha()]
            words = _words(text)
            if len(letters) < profile.head_min_letters:
                if not any(c.isdigit() for c in text):
                    shape = "speck"
            elif words and sum(1 for c in letters if c.isupper()) >= rules.caps_share * len(
                letters
            ):
                shape = "caps"
            elif (
                len(words) <= rules.period_words
                and len(text) <= period_length
                and text.endswith(".")
                and _first_letter(text).isupper()
                and ((k > 0 and out[-1] in _HEAD_SHAPES) or _after_sentence(texts, k, profile))
            ):
                # A headline written as a short sentence: its place says it is one, as a
                # paragraph's last line follows a line that runs on.
                shape = "sentence"
            elif (
                words
                and (goes_on or not words[0][:1].islower())
                and (not words[-1][:1].islower() or words[-1].casefold() in rules.small_words)
                and _title_share(words, profile, goes_on) >= rules.title_share
            ):
                shape = "deck"
        out.append(shape)
    return out


def _short_length(texts: Sequence[str], profile: Profile) -> float:
    """The most characters of a line shorter than the text's lines (``[stories]
    period_width`` of their median): a headline written as a sentence, a serial's heading."""
    full = [len(t) for t in texts if sum(c.isalpha() for c in t) >= 5]
    return profile.stories.period_width * median(full) if full else 0.0


def _words(text: str) -> list[str]:
    """The words of a line that hold letters, without the punctuation around them."""
    out = []
    for token in text.split():
        word = token.strip("()[]{}.,;:!?\"'“”‘’*|-—–")
        if any(c.isalpha() for c in word):
            out.append(word)
    return out


def _title_share(words: Sequence[str], profile: Profile, goes_on: bool) -> float:
    """The share of a line's words that are capitalised, small words (of, the) left out; a
    first word in lower case is the rest of a word broken on the line above, when the line
    ``goes_on`` from a headline line ("Re" / "ceived by Senate With")."""
    if goes_on and words and words[0][:1].islower():
        words = words[1:]
    counted = [w for w in words if w.casefold() not in profile.stories.small_words]
    if not counted:
        return 0.0
    return sum(1 for w in counted if w[:1].isupper() or w[:1].isdigit()) / len(counted)


def _accepted_run(
    lines: _TextLines, start: int, end: int, profile: Profile
) -> tuple[int, int] | None:
    """The part of a run of headline-shaped lines [start, end) that is a headline, or None.

    Decks at the run's end are running text when the line after them goes on in lower case
    ("Frances Byrd and Margaret Clark," / "who claim…"). What is left is a headline if a story
    opens right after it (a dateline or credit line), or if it holds two lines of capitals,
    or it holds one or two lines and follows the end of a sentence (or of a story, or stands
    first); a lone deck following a sentence's end and ending in a period is a crosshead
    ("Fierce Offensive."). Lines of a run that do not qualify at its start are running text:
    the rest is tried again.
    """
    texts, size = lines.texts, len(lines.texts)
    while (
        end > start
        and end < size
        and lines.shapes[end - 1] in ("deck", "sentence")
        and _first_letter(texts[end]).islower()
        and not lines.opened[end]
        and not lines.credit[end]
    ):
        end -= 1
    after = lines.next_line(end)
    opener = after < size and (
        lines.credit[after] or (lines.opened[after] and not lines.dated[after])
    )
    if not opener:  # specks under a headline go with it only right above its story
        while end > start and lines.shapes[end - 1] == "speck":
            end -= 1
    if not opener and after + 1 < size and lines.shapes[end - 1] != "speck":
        # One short line the OCR garbled between a headline and the credit or dateline under
        # it is the headline's last line.
        below = lines.next_line(after + 1)
        if (
            below < size
            and (lines.credit[below] or lines.opened[below])
            and len(texts[after]) <= profile.stories.max_length
            and not lines.opened[after]
            and any(lines.shapes[k] == "caps" for k in range(start, end))
        ):
            end, after, opener = after + 1, below, True
    starts_text = after >= size or lines.dated[after] or _starts_sentence(texts[after])
    for a in range(start, end):
        if lines.shapes[a] == "speck":
            continue
        heads = [k for k in range(a, end) if lines.shapes[k] != "speck"]
        caps = sum(1 for k in heads if lines.shapes[k] == "caps" and len(_words(texts[k])) >= 2)
        if opener or caps >= 2:
            return a, end
        before = a - 1
        # Specks and scraps of a few letters ("mil") stand between stories, not in them.
        while before >= 0 and (
            lines.shapes[before] == "speck" or sum(c.isalpha() for c in texts[before]) < 5
        ):
            before -= 1
        settled = before < 0 or (
            lines.shapes[a] == "sentence"  # a sentence ends above it (see _shapes)
            or lines.opened[before]
            or lines.credit[before]
            or _ends_sentence_or_story(texts[before], profile)
        )
        if not (starts_text and settled):
            continue
        # A dateline left as specks under the line proves it a headline, one word or more.
        dated = after < size and lines.dated[after]
        if caps or 2 <= len(heads) <= profile.head_max_lines or dated:
            return a, end
        last = texts[end - 1]
        if lines.shapes[end - 1] == "sentence" or (len(_words(last)) >= 2 and last.endswith(".")):
            return a, end
    return None


def _first_letter(text: str) -> str:
    """The first letter or digit of a line (after any quote, bracket or rule), or ""."""
    return next((c for c in text if c.isalnum()), "")


def _starts_sentence(text: str) -> bool:
    """The line's first letter is a capital (after any quote or bracket): a story's text
    starts so."""
    letter = _first_letter(text)
    return letter.isupper() or letter.isdigit()


def _ends_sentence_or_story(text: str, profile: Profile) -> bool:
    """The line ends a sentence (or a quotation, a bracket) as the line before a headline does."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in profile.sentence_end
