"""Diagnostics: warnings and notes about a page, collected with their line numbers.

Stages never print; they append to a :class:`Diagnostics` list that the CLI summarises on
stderr and writes in full with ``--report``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable code, the 1-based input line (None for the page), a message."""

    code: str
    line: int | None
    message: str
    severity: Severity = "warning"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "line": self.line,
            "message": self.message,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.severity}: {where}{self.message} [{self.code}]"


class Diagnostics:
    """An append-only collection of diagnostics, kept in the order they were found.

    A plain class: a collector is not part of the document model, and a dataclass costs
    about a millisecond to create at every start of the command.
    """

    __slots__ = ("items",)

    def __init__(self, items: list[Diagnostic] | None = None) -> None:
        self.items: list[Diagnostic] = [] if items is None else items

    def warn(self, code: str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(code, line, message, "warning"))

    def info(self, code: str, line: int | None, message: str) -> None:
        self.items.append(Diagnostic(code, line, message, "info"))

    def extend(self, other: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.items.extend(other)

    def frozen(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self.items, key=_order))

    def frozen_list(self) -> list[Diagnostic]:
        return list(self.frozen())


def _order(d: Diagnostic) -> tuple[int, str, str]:
    return (d.line if d.line is not None else 0, d.code, d.message)


def summary(items: tuple[Diagnostic, ...] | list[Diagnostic]) -> str:
    """One line: counts by severity and by code, e.g. ``2 warnings (jump.no-page 2)``."""
    if not items:
        return "no warnings"
    warnings = [d for d in items if d.severity == "warning"]
    notes = len(items) - len(warnings)
    parts = [f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"]
    if notes:
        parts.append(f"{notes} note{'s' if notes != 1 else ''}")
    codes = Counter(d.code for d in items)
    detail = ", ".join(f"{code} {n}" for code, n in sorted(codes.items()))
    return ", ".join(parts) + f" ({detail})"
