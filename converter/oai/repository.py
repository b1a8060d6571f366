"""The items an OAI-PMH provider serves: every issue and article of an archive with its record
files by metadata format, its datestamp and its sets, read from the archive's ``manifest.jsonl``.

An item's OAI identifier is ``oai:newspaper-tei:`` and its archive-wide id (letters outside
ASCII percent-encoded, as an IRI becomes a URI). Its datestamp is the time its newest record
file was written (UTC, to the second). Its sets: ``newspaper:<key>`` (the title's LCCN, else
ISSN, else its name made a set name) and ``year:<YYYY>`` of the issue date, each below the set
``newspaper`` or ``year``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from ..errors import InputFileError
from ..records import slug

MANIFEST = "manifest.jsonl"
ID_PREFIX = "oai:newspaper-tei:"
#: Metadata prefixes: (manifest kind of the record, schema, namespace).
FORMATS = {
    "oai_dc": (
        "dc",
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    ),
    "mods": (
        "mods",
        "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd",
        "http://www.loc.gov/mods/v3",
    ),
    "marc21": (
        "marcxml",
        "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
        "http://www.loc.gov/MARC21/slim",
    ),
}
_SET_WORD = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
#: Characters an id keeps in an OAI identifier (RFC 3986 unreserved, sub-delims, ":", "@", "/").
_ID_SAFE = "/:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Item:
    """One issue or article: its OAI identifier, datestamp, sets and record files."""

    identifier: str
    datestamp: dt.datetime
    sets: tuple[str, ...]
    files: dict[str, Path]  # metadata prefix → record file


@dataclass(frozen=True)
class Repository:
    """A snapshot of an archive's items, in manifest order; ``state`` changes with them."""

    items: tuple[Item, ...]
    sets: dict[str, str]  # setSpec → setName, in order
    state: str
    warnings: tuple[str, ...] = ()
    by_id: dict[str, Item] = field(default_factory=dict)

    @property
    def earliest(self) -> dt.datetime:
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        return min((i.datestamp for i in self.items), default=epoch)


def oai_identifier(item_id: str) -> str:
    return ID_PREFIX + quote(item_id, safe=_ID_SAFE)


def item_id(identifier: str) -> str | None:
    """The archive-wide id of an OAI identifier of this provider; None for any other."""
    if not identifier.startswith(ID_PREFIX):
        return None
    return unquote(identifier[len(ID_PREFIX) :])


def newspaper_set(line: dict[str, object]) -> tuple[str, str] | None:
    """The newspaper set of a manifest line: (setSpec, setName)."""
    ids = line.get("identifiers")
    ids = ids if isinstance(ids, dict) else {}
    paper = line.get("paper") if isinstance(line.get("paper"), str) else None
    for key in (ids.get("lccn"), ids.get("issn")):
        if isinstance(key, str) and _SET_WORD.match(key):
            return f"newspaper:{key}", str(paper or key)
    if not paper:
        return None
    word = slug(str(paper))
    if not _SET_WORD.match(word):  # a title in letters a setSpec cannot carry
        word = "t" + hashlib.sha256(str(paper).encode()).hexdigest()[:12]
    return f"newspaper:{word}", str(paper)


def load(archive: Path) -> Repository:
    """The items of the archive whose root holds ``manifest.jsonl``."""
    path = archive / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(
            "no manifest.jsonl: an archive written by `newspaper-tei archive` has one",
            path=archive,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read {MANIFEST}: {exc}", path=archive) from None
    files: dict[str, dict[str, Path]] = {}
    lines: dict[str, dict[str, object]] = {}
    warnings: list[str] = []
    root = archive.resolve()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            warnings.append(f"{path}:{number}: not JSON; left out")
            continue
        if not isinstance(line, dict):
            continue
        kind, rel = line.get("kind"), line.get("path")
        if not isinstance(rel, str) or not _inside(rel):
            warnings.append(f"{path}:{number}: path {rel!r} is not in the archive; left out")
            continue
        if kind in ("issue", "article") and isinstance(line.get("id"), str):
            key = str(line["id"])
            if key in lines:
                warnings.append(f"{path}:{number}: id {key} twice; the first is served")
                continue
            lines[key] = line
            files[key] = {}
        about = line.get("describes")
        for prefix, (record_kind, _, _) in FORMATS.items():
            if kind == record_kind and isinstance(about, str) and about in files:
                files[about].setdefault(prefix, root / rel)
    items: list[Item] = []
    sets: dict[str, str] = {}
    for key, line in lines.items():
        present = {p: f for p, f in files[key].items() if f.is_file()}
        if not present:
            continue
        item_sets = []
        paper = newspaper_set(line)
        if paper is not None:
            sets.setdefault("newspaper", "By newspaper")
            item_sets.append(paper[0])
        date = line.get("date")
        if isinstance(date, str) and re.match(r"^\d{4}-", date):
            sets.setdefault("year", "By year")
            item_sets.append(f"year:{date[:4]}")
        stamp = max(f.stat().st_mtime for f in present.values())
        items.append(
            Item(
                oai_identifier(key),
                dt.datetime.fromtimestamp(int(stamp), dt.UTC),
                tuple(item_sets),
                present,
            )
        )
        if paper is not None:
            sets.setdefault(*paper)
        if isinstance(date, str) and re.match(r"^\d{4}-", date):
            sets.setdefault(f"year:{date[:4]}", date[:4])
    ordered = dict(sorted(sets.items()))
    state = hashlib.sha256(
        "\n".join(f"{i.identifier} {i.datestamp.isoformat()}" for i in items).encode()
    ).hexdigest()[:16]
    return Repository(
        tuple(items),
        ordered,
        state,
        tuple(warnings),
        {item.identifier: item for item in items},
    )


def _inside(rel: str) -> bool:
    """Whether a manifest path stays inside the archive (relative, no ``..``)."""
    path = PurePosixPath(rel)
    return bool(rel) and not path.is_absolute() and ".." not in path.parts and "\\" not in rel
