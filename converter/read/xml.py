"""Safe XML parsing for the layout readers: no DTDs, entities, network or file access.

Every layout reader parses through here, so one place refuses what an XML input must not do
(entity declarations, external references) and turns libxml2's complaint about malformed XML
into one line naming the file and line (exit 4).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import DecodeError

#: A document type declaration with an internal subset or an external DTD: refused, because
#: its declarations (entities above all) could expand without bound or name files or hosts to
#: read. XHTML's own declaration (``<!DOCTYPE html PUBLIC …>``, as Tesseract writes it) is
#: the one exception: it names the XHTML DTD, which is never loaded.
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+([^\s>\[]+)[^>\[]*(\[|SYSTEM|PUBLIC)", re.IGNORECASE)
#: How far into a file the declaration is looked for (it must precede the root element).
_PROLOG = 65536
#: lxml parser options for every input: no entities, DTD or network; big pages are real
#: (huge_tree), and entity declarations, the usual blow-up, are refused before parsing.
_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}


def refuse_doctype(data: bytes, name: str) -> None:
    """Raise DecodeError when the document declares entities or names a DTD other than
    XHTML's."""
    head = data[:_PROLOG]
    found = _DOCTYPE.search(head)
    xhtml = found is not None and found.group(1).lower() == b"html" and found.group(2) != b"["
    if (found is not None and not xhtml) or b"<!ENTITY" in head:
        raise DecodeError(
            "XML with a document type declaration (entities or an external DTD) is refused: "
            "the converter expands no entity and reads no file besides its input",
            path=name,
        )


def parse(data: bytes, name: str) -> etree._Element:
    """The document's root element; malformed XML raises DecodeError naming file and line."""
    refuse_doctype(data, name)
    parser = etree.XMLParser(**_OPTIONS)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _malformed(exc, name) from None


def iterparse(
    data: bytes, name: str, tags: tuple[str, ...] | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """Stream ``(event, element)`` pairs (start and end) without building the whole tree;
    the caller clears what it has read. Malformed XML raises DecodeError naming file and line."""
    refuse_doctype(data, name)
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=tags,
        **_OPTIONS,
    )
    try:
        yield from events
    except etree.XMLSyntaxError as exc:
        raise _malformed(exc, name) from None


def root_name(data: bytes, name: str) -> tuple[str, str]:
    """The root element's namespace ('' when none) and local name, read from the first start
    tag only."""
    refuse_doctype(data, name)
    events = etree.iterparse(io.BytesIO(data), events=("start",), **_OPTIONS)
    try:
        for _event, element in events:
            qname = etree.QName(element)
            return qname.namespace or "", qname.localname
    except etree.XMLSyntaxError as exc:
        raise _malformed(exc, name) from None
    raise DecodeError("XML with no root element", path=name)


def _malformed(exc: etree.XMLSyntaxError, name: str) -> DecodeError:
    line = exc.position[0] if exc.position else None
    message = str(exc.msg or exc).strip()
    # libxml2 appends ", line N, column M"; the line is given as the error's own.
    message = re.sub(r",? line \d+, column \d+$", "", message)
    return DecodeError(f"malformed XML: {message}", path=name, line=line)
