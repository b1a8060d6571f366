"""Page analysis: run the stages from decoded lines to the page model.

read → lines → blocks → labelled lines → units → attributed articles → divisions. Each stage's
result can be dumped (``--dump blocks``) to see why a rule fired.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ..diagnostics import Diagnostics
from ..model import Division, Metadata, Page, SourceInfo
from ..profile import Profile
from ..read.text import Text
from .articles import build_article, classify, orphan_division
from .blocks import TextBlock, split_blocks
from .structure import (
    Body,
    LabelledLine,
    Layout,
    Orphans,
    Unit,
    attribute,
    decide_layout,
    forget,
    label_blocks,
    leanings,
    make_units,
)

HeadlineOption = Literal["auto", "before", "after"]

_ID_PREFIX = {"article": "a", "advertisement": "ad", "notice": "n", "other": "x"}


class Analysis(NamedTuple):
    """Intermediate results of one page, kept for ``--dump`` (a named tuple: immutable, and
    cheaper than a dataclass to create at every start of the command)."""

    blocks: tuple[TextBlock, ...]
    labelled: tuple[LabelledLine, ...]
    units: tuple[Unit, ...]
    layout: Layout
    evidence: float
    page: Page


def analyse(
    text: Text,
    meta: Metadata,
    lang: str,
    profile: Profile,
    *,
    headlines: HeadlineOption = "auto",
    keep_stages: bool = False,
) -> Analysis:
    """Turn a decoded page into the page model.

    The intermediate stages are kept in the result only with ``keep_stages`` (for ``--dump``);
    otherwise they are let go before the TEI is built, which halves the memory of a big page.
    """
    forget()
    diagnostics = Diagnostics()
    diagnostics.extend(text.diagnostics)
    blocks = split_blocks(text.lines)
    labelled = label_blocks(blocks, profile)
    units = make_units(labelled, profile)
    kinds = {id(u): classify(u, profile) for u in units if isinstance(u, Body)}
    lean = leanings(units)
    layout, evidence = decide_layout(units, profile, kinds, lean)
    if headlines != "auto":
        layout = headlines
    groups = attribute(units, layout, kinds, lean, diagnostics)
    divisions: list[Division] = []
    counters: dict[str, int] = {}
    page_prefix = f"p{meta.page}-" if meta.page else ""
    for group in groups:
        if isinstance(group, Orphans):
            division = orphan_division(group.lines, profile)
            kind = "other"
        else:
            kind = kinds[id(group.body)]
            division = build_article(group, kind, None, profile, meta.date, diagnostics)
        counters[kind] = counters.get(kind, 0) + 1
        xml_id = f"{page_prefix}{_ID_PREFIX.get(kind, 'x')}{counters[kind]}"
        divisions.append(Division(division.type, division.children, xml_id))
        if kind == "other":
            diagnostics.warn("div.other", division.first_line, "lines put in div type=other")
    if not divisions:
        # TEI's body must hold something: an empty division says "nothing on this page".
        diagnostics.warn("page.empty", None, "the page has no text")
        divisions.append(Division("other", (), f"{page_prefix}x1"))
    source = SourceInfo(name=_base(text.name), encoding=text.encoding, line_count=len(text.lines))
    page = Page(
        meta=meta,
        source=source,
        lang=lang,
        language_name=profile.name_for(lang),
        title=page_title(meta, profile, source.name),
        divisions=tuple(divisions),
        diagnostics=diagnostics.frozen(),
    )
    if not keep_stages:
        return Analysis((), (), (), layout, evidence, page)
    return Analysis(blocks, tuple(labelled), tuple(units), layout, evidence, page)


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
