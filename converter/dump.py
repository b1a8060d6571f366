"""Dumps of intermediate stages, for debugging rules: ``convert --dump blocks|units``."""

from __future__ import annotations

from .analyse.page import Analysis
from .analyse.structure import Body, Credit, Heads


def dump_stage(analysis: Analysis, stage: str) -> str:
    """A plain-text view of one stage: one line per input line or unit."""
    out: list[str] = []
    if stage == "blocks":
        for ln in analysis.labelled:
            blank = "¶" if ln.blank_before else " "
            out.append(f"{ln.line.number:>6} {ln.label:<6} b{ln.block:<4}{blank} {ln.line.text}")
    else:
        out.append(
            f"layout: headlines {analysis.layout} bodies (evidence {analysis.evidence:+.2f})"
        )
        for unit in analysis.units:
            first, last = unit.lines[0].line.number, unit.lines[-1].line.number
            if isinstance(unit, Body):
                state = "closed" if unit.closed else "open"
                titles = [ln.line.number for ln in unit.lines if ln.label == "head"]
                extra = f" intertitles {titles}" if titles else ""
                out.append(f"body    {first}-{last} {state}{extra}")
            elif isinstance(unit, Heads):
                out.append(
                    f"heads   {first}-{last}: "
                    + " / ".join(ln.line.text.strip() for ln in unit.lines)
                )
            elif isinstance(unit, Credit):
                out.append(
                    f"credit  {first}-{last}: "
                    + " / ".join(ln.line.text.strip() for ln in unit.lines)
                )
    for d in analysis.page.diagnostics:
        out.append(f"# {d}")
    return "\n".join(out) + "\n"
