"""Plain-text views of the analysis stages, for debugging rules: ``convert --dump STAGE``."""

from __future__ import annotations

from collections.abc import Sequence

from .analyse.articles import Articles
from .analyse.attribution import Article, Attribution, PageLayout
from .analyse.content import reading_text
from .analyse.labels import LabelledLine
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
        out = [f"layout: headlines {result.layout} bodies (evidence {result.evidence:+.2f})"]
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
