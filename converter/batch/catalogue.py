"""An issue's catalogue output: the records beside its TEI documents, and the manifest that
lists every document, advertisement and record of an issue or of a whole archive.

Every manifest line names its item by the archive-wide identifier (:func:`records.issue_id`),
which does not depend on where the archive is written, and a record line names the item it
``describes``. The archive's ``manifest.jsonl`` at its root is its issues' manifests one after
the other, their paths made relative to the root.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from lxml import etree

from .. import records
from ..analyse.content import reading_text
from ..model import Block
from ..write import catalogue

if TYPE_CHECKING:
    from .archive import ArchiveOptions
    from .issue import Document, IssueResult

#: The records written unless ``--records`` says otherwise.
DEFAULT_RECORDS = tuple(catalogue.FORMATS)
MANIFEST = "manifest.jsonl"


def parse_records_option(value: str) -> tuple[str, ...]:
    """The ``--records`` value as formats; a wrong one is a click usage error (exit 2)."""
    import click

    try:
        return catalogue.parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def issue_meta(options: ArchiveOptions, folder: str) -> dict[str, str]:
    """The metadata options of an archive run (``options.meta``) for the issue written to
    ``folder`` below its root: the archive's ``base_url`` made the issue folder's."""
    values = dict(options.meta)
    if "base_url" in values:
        base = values["base_url"].rstrip("/") + "/"
        if folder not in ("", "."):
            base += quote(folder.strip("/")) + "/"
        values["base_url"] = base
    return values


def record_files(
    root: etree._Element, path: str, formats: Sequence[str], issue: str | None = None
) -> tuple[records.RecordInput, list[tuple[str, str, bytes]]]:
    """The record input of a TEI document the converter built (``path`` in its issue folder;
    ``issue``: an article's issue id), and its records: (path, format, bytes), each beside the
    document (``x.xml`` → ``x.mods.xml``)."""
    item = records.read(root, path, issue)
    stem = path.removesuffix(".xml")
    made = [
        (stem + catalogue.FORMATS[fmt][0], fmt, catalogue.record_bytes(item, fmt))
        for fmt in catalogue.formats_for(item, formats)
    ]
    return item, made


def manifest(result: IssueResult, prefix: str = "") -> bytes:
    """The issue's manifest: a JSON line for its issue document, each article document, each
    advertisement (in the issue document), and each record, in that order by item."""
    lines: list[dict[str, Any]] = []
    issue_doc = next((d for d in result.documents if d.kind == "issue"), None)
    for document in result.documents:
        lines.append(_entry(result, document, prefix))
        if document is issue_doc:
            lines.extend(_advertisements(result, document, prefix))
        lines.extend(
            _entry(result, rec, prefix, describes=document.id)
            for rec in result.records
            if rec.describes == document.id
        )
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


def _entry(
    result: IssueResult, document: Document, prefix: str, describes: str | None = None
) -> dict[str, Any]:
    meta = result.meta
    about = describes or document.id  # the issue's or article's id
    item_id = about if describes is None else f"{describes}#{document.kind}"
    return {
        "id": item_id,
        "kind": document.kind,
        "path": prefix + document.path,
        "sha256": hashlib.sha256(document.data).hexdigest(),
        "describes": describes,
        "issue": about.rsplit("/", 1)[0] if document.xml_id else about,
        "xml_id": document.xml_id,
        "title": document.title,
        "authors": [{"name": name, "role": role} for name, role in document.authors],
        "paper": meta.paper,
        "identifiers": {"lccn": meta.lccn, "issn": meta.issn, "oclc": meta.oclc},
        "date": meta.date.isoformat() if meta.date else None,
        "volume": meta.volume,
        "number": meta.number,
        "edition": meta.edition,
        "pages": list(document.pages),
        "language": result.lang,
    }


def _advertisements(
    result: IssueResult, issue_doc: Document, prefix: str
) -> Iterable[dict[str, Any]]:
    """The advertisements of the issue, each in the issue document (its path and checksum)."""
    for page in result.pages:
        for division in page.divisions:
            if division.type != "advertisement" or not division.xml_id:
                continue
            heads = [c for c in division.children if isinstance(c, Block) and c.tag == "head"]
            entry = _entry(result, issue_doc, prefix)
            entry |= {
                "id": f"{issue_doc.id}/{division.xml_id}",
                "kind": "advertisement",
                "issue": issue_doc.id,
                "xml_id": division.xml_id,
                "title": reading_text(heads[0].content) if heads else None,
                "pages": [page.meta.page or ""],
            }
            yield entry


def write_root_manifest(target: Path, folders: Iterable[str], *, fsync: bool = False) -> int:
    """Write ``target/manifest.jsonl``: the manifests of the issue folders (relative to
    ``target``, in the order given) one after the other, their paths made relative to
    ``target``. An issue without a manifest (it failed before it was first written) is left
    out. Return the number of lines."""
    from .output import write_atomic

    lines: list[str] = []
    seen: set[str] = set()
    for folder in folders:
        if folder in seen:
            continue
        seen.add(folder)
        prefix = "" if folder in ("", ".") else folder.rstrip("/") + "/"
        try:
            text = (target / prefix / MANIFEST).read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            if not prefix and not _own_path(entry):
                continue  # the archive root is an issue: its manifest is this one, of a run before
            if prefix and isinstance(entry, dict) and isinstance(entry.get("path"), str):
                entry["path"] = prefix + entry["path"]
            lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
    write_atomic(target / MANIFEST, "".join(lines).encode(), fsync=fsync)
    return len(lines)


def _own_path(entry: Any) -> bool:
    """Whether a manifest line is of the issue in its own folder (its issue document or a file
    in its ``articles`` folder), not of an issue below it."""
    path = entry.get("path") if isinstance(entry, dict) else None
    return isinstance(path, str) and ("/" not in path or path.startswith("articles/"))
