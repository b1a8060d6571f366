"""Plain-text views of the analysis stages, for debugging rules: ``convert --dump STAGE``."""

from __future__ import annotations

from collections.abc import Sequence

from .analyse.articles import Articles
from .analyse.attribution import Article, Attribution, PageLayout
from .analyse.content import reading_text
from .analyse.labels import LabelledLine
from .analyse.layout import PageGeometry
from .analyse.page import Analysis, Blocks, Labels, StageResult, Units
from .analyse.units import Body, Credit, Heads, Unit
from .model import Block, Division


def dump_stage(analysis: Analysis, stage: str) -> str:
    """A plain-text view of one stage's result (one line per input line, unit or division),
    then the page's diagnostics."""
    out = _view(analysis.stages[stage])
    out.extend(f"# {d}" for d in analysis.page.diagnostics)
    return "\n".join(out) + "\n"


def _view(result: StageResult) -> list[str]:
    if isinstance(result, PageGeometry):
        return _geometry(result)
    if isinstance(result, Blocks):
        return [
            f"{line.number:>6} b{index:<4}{'¶' if k == 0 and block.blank_before else ' '} "
            f"{line.text}"
            for index, block in enumerate(result.blocks)
            for k, line in enumerate(block.lines)
        ]
    if isinstance(result, Labels):
        return [_labelled(ln) for ln in result.lines]
    if isinstance(result, Units):
        return [_unit(unit) for unit in result.units]
    if isinstance(result, PageLayout):
        out = [f"leaning: headlines {result.layout} bodies (evidence {result.evidence:+.2f})"]
        for unit, kind in zip(result.units, result.kinds, strict=True):
            out.append(_unit(unit) + (f" [{kind}]" if kind else ""))
            if isinstance(unit, Heads):
                out.extend(
                    f"        {ln.line.number:>6} leans {result.leanings[ln.line.number]:+.2f}"
                    for ln in unit.lines
                    if ln.line.number in result.leanings
                )
        return out
    if isinstance(result, Attribution):
        out = [f"layout: headlines {result.layout} bodies (evidence {result.evidence:+.2f})"]
        for group in result.groups:
            if isinstance(group, Article):
                out.append(f"{group.kind} {_span(group.body.lines)}")
                out.extend(f"  head    {_labelled(ln)}" for ln in group.heads)
                out.extend(f"  credit  {_labelled(ln)}" for ln in group.credits)
            else:
                out.append("orphans")
                out.extend(f"  {_labelled(ln)}" for ln in group.lines)
        return out
    if isinstance(result, Articles):
        out = []
        for division in result.divisions:
            _division(division, 0, out)
        return out
    raise ValueError(f"no view for {type(result).__name__}")


#: How the layout view marks the break before a line.
_BREAKS = {"": " ", "paragraph": "¶", "column": "|", "story": "§"}


def _geometry(result: PageGeometry) -> list[str]:
    """One row a line in reading order: number, columns, break, display type and size, text."""
    if not result.laid_out:
        return [f"{line.number:>6} {line.text}" for line in result.source]
    out = [
        f"columns {len(result.columns)} at {', '.join(map(str, result.columns))}; "
        f"width {result.column_width:g}; body line height {result.body_height:g}"
        + (f"; body size {result.body_size:g}" if result.body_size else "")
    ]
    out.extend(f"{line.number:>6} fw {kind:<7} {line.text}" for kind, line in result.running)
    out.extend(f"{line.number:>6} masthead   {line.text}" for line in result.masthead)
    for placed in result.lines:
        line = placed.line
        columns = (
            "c-   "
            if placed.first_column < 0
            else f"c{placed.first_column + 1}"
            + (f"-{placed.last_column + 1}" if placed.last_column != placed.first_column else "")
        )
        size = f"{line.size:g}pt" if line.size else "-"
        out.append(
            f"{line.number:>6} {columns:<6}{_BREAKS[placed.brk]} "
            f"{'head' if placed.display else '    '} x{placed.ratio:<4.2f} {size:<6} {line.text}"
        )
    return out


def _labelled(ln: LabelledLine) -> str:
    blank = "¶" if ln.blank_before else " "
    return f"{ln.line.number:>6} {ln.label:<6} b{ln.block:<4}{blank} {ln.line.text}"


def _span(lines: Sequence[LabelledLine]) -> str:
    return f"{lines[0].line.number}-{lines[-1].line.number}"


def _unit(unit: Unit) -> str:
    if isinstance(unit, Body):
        state = "closed" if unit.closed else "open"
        titles = [ln.line.number for ln in unit.lines if ln.label == "head"]
        extra = f" intertitles {titles}" if titles else ""
        return f"body    {_span(unit.lines)} {state}{extra}"
    name = "heads  " if isinstance(unit, Heads) else "credit "
    assert isinstance(unit, Heads | Credit)
    return f"{name} {_span(unit.lines)}: " + " / ".join(ln.line.text.strip() for ln in unit.lines)


def _division(division: Division, depth: int, out: list[str]) -> None:
    indent = "  " * depth
    out.append(f"{indent}div {division.type}" + (f" {division.xml_id}" if division.xml_id else ""))
    for child in division.children:
        if isinstance(child, Division):
            _division(child, depth + 1, out)
        else:
            _block(child, depth + 1, out)


def _block(block: Block, depth: int, out: list[str]) -> None:
    kind = f" {block.type}" if block.type else ""
    lines = block.content.lines
    where = f" {lines[0]}-{lines[-1]}" if lines else ""
    out.append(f"{'  ' * depth}{block.tag}{kind}{where}: {reading_text(block.content)}")
