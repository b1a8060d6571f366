"""Views written beside the TEI: ``view.html`` of a TEI file (the ``view`` command) or of a
converted issue (``issue`` and ``archive``), and ``index.html`` at an archive's root.

The views are read back from what was written (the issue's TEI, report and manifest), so a
view shows the output, not the converter's intentions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputFileError
from ..read.formats import read_input
from ..view import (
    build_view,
    find_report,
    parse_tei,
    read_manifest_titles,
    read_report,
    report_findings,
)
from .output import write_atomic

if TYPE_CHECKING:
    from .archive import Job, Summary
    from .issue import IssueResult

#: An issue's view, beside its issue.xml.
VIEW = "view.html"
#: The index of an archive's issues, at its root.
INDEX = "index.html"


def file_view(
    tei_file: Path, *, report: Path | None = None, images: Sequence[str] = ()
) -> tuple[bytes, Path | None]:
    """The view of a TEI file and the report it shows (``report``, else one found beside the
    file). A given report or local image that cannot be read is an InputFileError."""
    from ..write.html_view import render_view

    root = parse_tei(read_input(tei_file), tei_file)
    for image in images:
        if "://" not in image and not image.startswith("//") and not Path(image).is_file():
            raise InputFileError("no such image file", path=image)
    findings = None
    if report is not None:
        findings = read_report(read_input(report))
        if findings is None:
            raise InputFileError("not a report of newspaper-tei (convert --report)", path=report)
    else:
        report = find_report(tei_file)
        if report is not None:
            findings = read_report(report.read_bytes())
    titles: dict[str, str] = {}
    manifest = tei_file.parent / "manifest.jsonl"
    if manifest.is_file():
        titles = read_manifest_titles(manifest.read_bytes())
    view = build_view(
        root, findings=findings, titles=titles, images=images, image_bases=(tei_file.parent,)
    )
    return render_view(view), report


def issue_view(result: IssueResult) -> bytes:
    """The view of a converted issue, from the documents, report and manifest it writes; its
    page images are looked for in the issue's own folder."""
    from ..write.html_view import render_view

    issue = next(d for d in result.documents if d.kind == "issue")
    titles = {d.xml_id: d.title for d in result.documents if d.kind == "article" and d.xml_id}
    view = build_view(
        parse_tei(issue.data, result.folder / issue.path),
        findings=report_findings(result.report()),
        titles=titles,
        image_bases=(result.folder,),
    )
    return render_view(view)


@dataclass(frozen=True)
class Listed:
    """An issue of an archive for the index: its output folder relative to the root, and
    why it failed when it did."""

    path: str
    error: str | None = None


def write_index(target: Path, issues: Sequence[Listed], *, title: str, fsync: bool = False) -> None:
    """Write ``index.html`` at an archive's root: each issue with its date, pages, articles,
    unresolved jumps and warnings, read from its manifest and report, linked to its view."""
    from ..write.html_view import render_index

    rows = [_row(target, issue) for issue in sorted(issues, key=lambda i: i.path)]
    write_atomic(target / INDEX, render_index(title, rows), fsync=fsync)


def _row(target: Path, issue: Listed) -> Any:
    from ..write.html_view import IndexRow

    folder = target / issue.path
    prefix = "" if issue.path in ("", ".") else issue.path.rstrip("/") + "/"
    entries = _manifest(folder / "manifest.jsonl")
    own = next((e for e in entries if e.get("kind") == "issue"), {})
    findings = _report(folder / "report.json")
    pages = own.get("pages")
    return IndexRow(
        path=issue.path,
        view=prefix + VIEW if (folder / VIEW).is_file() else None,
        title=str(own.get("title") or issue.path),
        date=own.get("date") if isinstance(own.get("date"), str) else None,
        pages=len(pages) if isinstance(pages, list) else 0,
        articles=sum(1 for e in entries if e.get("kind") == "article"),
        unresolved=sum(1 for f in findings if str(f.get("code", "")).startswith("jump.unresolved")),
        warnings=sum(1 for f in findings if f.get("severity") == "warning"),
        error=issue.error,
    )


def _manifest(path: Path) -> list[Mapping[str, Any]]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    entries: list[Mapping[str, Any]] = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def _report(path: Path) -> list[dict[str, Any]]:
    try:
        return read_report(path.read_bytes()) or []
    except OSError:
        return []


def write_archive_index(
    target: Path, jobs: Sequence[Job], summary: Summary, *, fsync: bool = False
) -> None:
    """Write the index of an archive run's issues (each job's output folder, with the reason
    it failed when it did) at the archive's root."""
    failures = dict(summary.failures)
    listed = [Listed(job.output or job.name, failures.get(job.name)) for job in jobs]
    # The title names no path: the same source gives the same bytes wherever they are written.
    write_index(target, listed, title="newspaper-tei archive", fsync=fsync)
