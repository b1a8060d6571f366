"""Page analysis: the named stages from a decoded page to the page model, in order.

text → layout → blocks → labels → units → leaning → attribution → articles, then the page
model. Each
stage is a function from the frozen result of the stage before to its own frozen result
(:data:`STAGES`); ``convert --dump STAGE`` prints any of them to see why a rule fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..diagnostics import Diagnostic, Diagnostics
from ..model import (
    Block,
    Content,
    Division,
    DivType,
    Facsimile,
    Metadata,
    Page,
    Piece,
    RunningHead,
    SourceInfo,
    Text,
)
from ..profile import Profile
from .articles import Articles, build_divisions, classify
from .attribution import Attribution, Layout, PageLayout, attribute, decide_layout, leanings
from .blocks import TextBlock, layout_blocks, split_blocks
from .content import make_content
from .labels import LabelledLine, label_blocks
from .layout import PageGeometry, analyse_layout, plain_geometry
from .units import Body, Unit, make_units

HeadlineOption = Literal["auto", "before", "after"]


@dataclass(frozen=True)
class Settings:
    """What the stages know of a page besides its lines."""

    meta: Metadata
    lang: str
    profile: Profile
    headlines: HeadlineOption = "auto"
    #: The articles a METS gives (line number → article ordinal), when it segments the page.
    segments: Mapping[int, int] | None = None


class StageResult(Protocol):
    """What every stage returns: a frozen value with the diagnostics the stage found."""

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]: ...


@dataclass(frozen=True)
class Blocks:
    """The page's blocks: runs of non-blank lines with the blank lines before each."""

    blocks: tuple[TextBlock, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Every non-blank line of the page, labelled text, head or credit."""

    lines: tuple[LabelledLine, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Units:
    """The page's bodies, headline runs and credit runs, in page order."""

    units: tuple[Unit, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


def layout_stage(text: Text, settings: Settings) -> PageGeometry:
    """Columns, reading order and breaks from the lines' boxes; a page without boxes as read."""
    if text.surface is None:
        return plain_geometry(text)
    return analyse_layout(text, settings.profile.layout, settings.segments)


def blocks_stage(geometry: PageGeometry, settings: Settings) -> Blocks:
    if not geometry.laid_out:
        return Blocks(split_blocks(geometry.source))
    return Blocks(layout_blocks(geometry))


def labels_stage(blocks: Blocks, settings: Settings) -> Labels:
    return Labels(label_blocks(blocks.blocks, settings.profile))


def units_stage(labels: Labels, settings: Settings) -> Units:
    return Units(make_units(labels.lines, settings.profile))


def leaning_stage(units: Units, settings: Settings) -> PageLayout:
    """Each body's kind, each headline line's leaning, and the layout they make (or the one
    ``headlines`` gives)."""
    kinds: tuple[DivType | None, ...] = tuple(
        classify(unit, settings.profile) if isinstance(unit, Body) else None for unit in units.units
    )
    lean = leanings(units.units)
    if any(ln.line.box is not None for unit in units.units for ln in unit.lines):
        # On a page read from its layout, a headline stands above its story: the reading
        # order is the page's geometry, whatever words the headlines share with the text.
        lean = dict.fromkeys(lean, 0.0)
    layout, evidence = decide_layout(units.units, kinds, lean)
    if settings.headlines != "auto":
        layout = settings.headlines
    return PageLayout(units.units, kinds, lean, layout, evidence)


def attribution_stage(layout: PageLayout, settings: Settings) -> Attribution:
    return attribute(layout)


def articles_stage(attribution: Attribution, settings: Settings) -> Articles:
    return build_divisions(attribution, settings.profile, settings.meta)


#: The stages in order, by name: each takes the result of the one before (the first, the
#: decoded page) and the page's settings.
STAGES: dict[str, Callable[[Any, Settings], StageResult]] = {
    "layout": layout_stage,
    "blocks": blocks_stage,
    "labels": labels_stage,
    "units": units_stage,
    "leaning": leaning_stage,
    "attribution": attribution_stage,
    "articles": articles_stage,
}


@dataclass(frozen=True)
class Analysis:
    """A page's model, the layout chosen for it, and the result of each stage by name (only
    when asked for, for ``--dump``)."""

    page: Page
    layout: Layout
    evidence: float
    stages: Mapping[str, StageResult] = field(default_factory=dict)


def analyse(
    text: Text,
    meta: Metadata,
    lang: str,
    profile: Profile,
    *,
    headlines: HeadlineOption = "auto",
    keep_stages: bool = False,
    segments: Mapping[int, int] | None = None,
) -> Analysis:
    """Run the stages over a decoded page and make its page model.

    The stages' results are kept in the analysis only with ``keep_stages`` (for ``--dump``);
    ``segments`` are the articles a METS gives the page (line number → article ordinal).
    """
    settings = Settings(
        meta=meta, lang=lang, profile=profile, headlines=headlines, segments=segments
    )
    results: dict[str, StageResult] = {}
    diagnostics = Diagnostics()
    diagnostics.extend(text.diagnostics)
    result: Any = text
    for name, stage in STAGES.items():
        result = stage(result, settings)
        results[name] = result
        diagnostics.extend(result.diagnostics)
    articles = results["articles"]
    attribution = results["attribution"]
    geometry = results["layout"]
    assert isinstance(articles, Articles) and isinstance(attribution, Attribution)
    assert isinstance(geometry, PageGeometry)
    source = SourceInfo(name=_base(text.name), encoding=text.encoding, line_count=len(text.lines))
    page = Page(
        meta=meta,
        source=source,
        lang=lang,
        language_name=profile.name_for(lang),
        title=page_title(meta, profile, source.name),
        divisions=_masthead(geometry, settings) + articles.divisions,
        diagnostics=diagnostics.frozen(),
        running=tuple(
            RunningHead(kind, Content((Piece(line.number, line.text),)))
            for kind, line in geometry.running
        ),
        facsimile=_facsimile(text),
        segmentation=None if text.surface is None else "source" if segments else "analysed",
    )
    return Analysis(page, attribution.layout, attribution.evidence, results if keep_stages else {})


def _masthead(geometry: PageGeometry, settings: Settings) -> tuple[Division, ...]:
    """The masthead the layout found, as a division of its own (contract §3: masthead)."""
    if not geometry.masthead:
        return ()
    content = make_content(geometry.masthead, settings.profile.hyphens)
    return (Division("masthead", (Block("p", content),)),)


def _facsimile(text: Text) -> Facsimile | None:
    """The scanned page and the box of every line that has one (layout input only)."""
    if text.surface is None:
        return None
    zones = tuple((line.number, line.box) for line in text.lines if line.box is not None)
    return Facsimile(text.surface, zones)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _base(name: str) -> str:
    """The file name without folders, with characters XML cannot carry replaced by U+FFFD
    (an undecodable byte in a file name arrives as a lone surrogate)."""
    return _NOT_XML.sub("\ufffd", name.replace("\\", "/").rsplit("/", 1)[-1])


def page_title(meta: Metadata, profile: Profile, fallback: str) -> str:
    """The header title from the profile's parts; parts naming unknown values are left out."""
    values = {
        "paper": meta.paper,
        "date": meta.date.isoformat() if meta.date else None,
        "page": meta.page,
    }
    parts = []
    for part in profile.title:
        names = [name for name in values if "{" + name + "}" in part]
        if all(values[name] for name in names):
            parts.append(part.format(**{k: v or "" for k, v in values.items()}))
    if not any(values.values()):
        return fallback
    return " ".join(parts)
