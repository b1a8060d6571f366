"""Units stage: labelled lines → units, the bodies, headline runs and credit runs of a page.

A page in OCR zone order is a sequence of bodies (running text of an article or a box), headline
runs (short lines set apart by blank lines) and credit lines. A body ends where a line closes it
(an end mark, a "continued on") or where a line opens the next article (a source line); a short
line inside an open body, followed by more of its text, is an intertitle and stays in the body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..profile import Profile
from .content import hyphen_break, median
from .labels import CLOSING, LabelledLine


@dataclass(frozen=True, slots=True)
class Body:
    """Running text: lines, and intertitle lines (label "head") standing inside it.

    ``closed``: an end mark or a "continued on" ended it.
    """

    lines: tuple[LabelledLine, ...]
    closed: bool

    @property
    def text_lines(self) -> tuple[LabelledLine, ...]:
        return tuple(ln for ln in self.lines if ln.label == "text")


@dataclass(frozen=True, slots=True)
class Heads:
    """A run of headline lines between bodies."""

    lines: tuple[LabelledLine, ...]


@dataclass(frozen=True, slots=True)
class Credit:
    """A run of credit lines (本报记者 …)."""

    lines: tuple[LabelledLine, ...]


Unit = Body | Heads | Credit


class _Draft:
    """A unit while lines are grouped into it: its kind, its lines, whether it was closed."""

    def __init__(self, kind: type[Body | Heads | Credit], lines: list[LabelledLine]) -> None:
        self.kind = kind
        self.lines = lines
        self.closed = False

    def has_text(self) -> bool:
        return any(ln.label == "text" for ln in self.lines)

    def frozen(self) -> Unit:
        if self.kind is Body:
            return Body(tuple(self.lines), self.closed)
        if self.kind is Heads:
            return Heads(tuple(self.lines))
        return Credit(tuple(self.lines))


def make_units(lines: Sequence[LabelledLine], profile: Profile) -> tuple[Unit, ...]:
    """Group labelled lines into bodies, headline runs and credits; find intertitles."""
    # Whether the page closes its articles with end marks: only then is a body that no end
    # mark closed still running, and a lone short line with no intertitle cue inside it an
    # intertitle. A "continued on" says nothing of the page's other articles: a page whose
    # stories end without marks may send one of them to another page, and its headlines must
    # still open stories.
    closures = any(ln.label == "text" and ln.end == "endmark" for ln in lines)
    drafts: list[_Draft] = []
    body: _Draft | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.label == "text":
            if body is None or body.closed or (ln.opens and not ln.held and body.has_text()):
                body = _Draft(Body, [])
                drafts.append(body)
            body.lines.append(ln)
            if ln.end in CLOSING:
                body.closed = True
            i += 1
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
            if drafts and drafts[-1].kind is Heads:
                drafts[-1].lines.extend(run)
            else:
                drafts.append(_Draft(Heads, run))
            body = None
        else:
            drafts.append(_Draft(Credit, run))
            body = None
        i = j
    return tuple(draft.frozen() for draft in drafts)


def _is_intertitle(
    run: Sequence[LabelledLine],
    body: _Draft | None,
    lines: Sequence[LabelledLine],
    after: int,
    profile: Profile,
    closures: bool,
) -> bool:
    """A short line inside an open article, followed by more of its text, is an intertitle."""
    if body is None or body.closed or not body.has_text():
        return False
    if (
        after < len(lines)
        and lines[after].label == "text"
        and hyphen_break(body.lines[-1].line.text, lines[after].line.text, profile.hyphens)
    ):
        # A word broken at the line end goes on after these lines: no story can start
        # inside it (a running head or stray large type in the way, column to column).
        return True
    if all(ln.inner for ln in run) and after < len(lines) and lines[after].label == "text":
        return True  # the labels found a crosshead in running text
    if len({ln.block for ln in run}) > 1:
        return False
    if len(run) > 2 or after >= len(lines) or lines[after].label != "text":
        return False
    if lines[after].opens and not lines[after].held:
        return False
    title = "".join(ln.line.text for ln in run)
    if any(c.search(title) for c in (*profile.notice_cues, *profile.ad_cues)):
        return False  # the title of a notice or advertisement box (遗失声明), not of a section
    if profile.intertitle is not None and all(
        profile.intertitle.search(ln.line.text.strip()) for ln in run
    ):
        return True
    text_widths = [ln.width for ln in body.lines if ln.label == "text"]
    return closures and len(run) == 1 and median(text_widths) > 0
