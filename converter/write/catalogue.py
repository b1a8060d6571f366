"""Catalogue records of a TEI document: each format's record made, checked against its official
schema, and serialised.

The schemas are the published ones, bundled unchanged in ``schemas/catalog/``; the remote
``schemaLocation`` of each import is mapped to its bundled copy, so compiling them never
touches the network (a location not in the map is an error, not a download). A record its
schema rejects is a defect of the converter (InvalidOutputError, exit 70), as an invalid TEI
document is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import InternalError, InvalidOutputError
from ..records import RecordInput
from .dc import dc_record
from .marcxml import marc_record
from .mods import mods_record

#: Record formats in the order they are written: (file suffix, schema file, writer).
FORMATS: dict[str, tuple[str, str, Callable[[RecordInput], etree._Element]]] = {
    "mods": (".mods.xml", "mods-3-8.xsd", mods_record),
    "dc": (".dc.xml", "oai_dc.xsd", dc_record),
    "marcxml": (".marcxml.xml", "MARC21slim.xsd", marc_record),
}
#: The formats made for an issue (MARC analytics are made for articles only).
ISSUE_FORMATS = ("mods", "dc")
CATALOG_FOLDER = "catalog"
#: Each remote schema location the bundled schemas import, and its bundled copy.
LOCATIONS = {
    "http://www.loc.gov/mods/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.loc.gov/standards/xlink/xlink.xsd": "xlink.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
}


def parse_formats(value: str) -> tuple[str, ...]:
    """``mods,dc,marcxml`` (any of them, in any order) or ``none`` as the formats to write, in
    the order of FORMATS; ValueError names a format that is not one."""
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    if names == ["none"]:
        return ()
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise ValueError(
            f"{', '.join(unknown) or 'nothing'}: give mods, dc, marcxml (comma-separated) or none"
        )
    return tuple(name for name in FORMATS if name in names)


def formats_for(item: RecordInput, formats: Iterable[str]) -> list[str]:
    """Those of ``formats`` that are made for the item (no MARC record of an issue)."""
    return [f for f in formats if item.kind == "article" or f in ISSUE_FORMATS]


def catalog_folder() -> Path:
    """The folder of the bundled official schemas (beside ``newspaper-tei.xsd``)."""
    from ..validate import schema_path

    return schema_path().parent / CATALOG_FOLDER


class _Bundled(etree.Resolver):
    """Resolves the imports of the bundled schemas to their bundled copies."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(  # type: ignore[override]  # lxml passes a context the stubs leave out
        self, system_url: str | None, public_id: str | None, context: Any
    ) -> Any:
        if system_url in LOCATIONS:
            by_name: Any = getattr(self, "resolve_filename")  # noqa: B009  # not in the stubs
            return by_name(str(self.folder / LOCATIONS[system_url]), context)
        if system_url and "://" in system_url and not system_url.startswith("file:"):
            raise InternalError(f"a bundled schema imports {system_url}, which is not bundled")
        return None


@functools.cache
def load_schema(fmt: str) -> etree.XMLSchema:
    """The official schema of a record format, compiled from the bundled copies (cached)."""
    folder = catalog_folder()
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Bundled(folder))
    document = etree.parse(str(folder / FORMATS[fmt][1]), parser)
    return etree.XMLSchema(document)


def problems(fmt: str, root: etree._Element) -> list[str]:
    """What the format's schema says is wrong with a record (nothing: it is valid)."""
    schema = load_schema(fmt)
    if schema.validate(root):
        return []
    log: Any = schema.error_log
    return [f"line {e.line}: {e.message}" if e.line else str(e.message) for e in log]


def record(item: RecordInput, fmt: str) -> etree._Element:
    """The format's record of the item, indented, checked against its schema."""
    try:
        root = FORMATS[fmt][2](item)
    except ValueError as exc:  # lxml refuses text XML cannot hold
        raise InternalError(f"the {fmt} writer got text XML cannot hold: {exc}") from None
    etree.indent(root, space="  ")
    found = problems(fmt, root)
    if found:
        raise InvalidOutputError(
            f"the converter built a {fmt} record its schema rejects: {found[0]}; nothing written",
            path=item.id,
        )
    return root


def record_bytes(item: RecordInput, fmt: str) -> bytes:
    """The bytes of the format's valid record of the item: UTF-8 with an XML declaration."""
    return etree.tostring(record(item, fmt), xml_declaration=True, encoding="UTF-8") + b"\n"
