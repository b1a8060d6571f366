"""Validate TEI documents against the bundled newspaper-tei XML Schema.

This module has one job: check a TEI document (an lxml tree or raw bytes)
against ``newspaper-tei.xsd`` (XSD 1.1) and report every problem found as a
:class:`SchemaProblem` with a line number where one is known.  Loading the
schema and validating never touch the network.

Two paths check the very same schema file.  The fast path (the default)
compiles it with libxml2 (lxml's ``XMLSchema``), which speaks XSD 1.0, after
taking out its only XSD 1.1 construct, the ``xs:assert`` on ``TEI`` that all
``#id`` pointers resolve; that assertion is checked in Python instead.  The
reference path runs the whole XSD 1.1 schema with xmlschema.  Tests check that
both accept and reject the same documents.  Both word what they find alike
(``validate_messages``): local names, the values involved, and what the schema
expects instead.

A document type declaration is refused before anything else is read: a DTD's
entities would expand into the text, and an external DTD or entity names a file
or host to read.  Nothing in one is ever loaded or expanded.
"""

from __future__ import annotations

import codecs
import copy
import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

from . import assertions

if TYPE_CHECKING:
    import xmlschema

__all__ = [
    "SchemaProblem",
    "load_fast_schema",
    "load_schema",
    "schema_path",
    "validate_bytes",
    "validate_tree",
    "validate_tree_reference",
]

SCHEMA_FILE = "newspaper-tei.xsd"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_XML_ID = f"{{{XML_NS}}}id"
_XS_ASSERT = "{http://www.w3.org/2001/XMLSchema}assert"
# Every pointer attribute and every xml:id, wherever they stand (for documents the schema
# rejects, which may hold them on any element).
_POINTERS = etree.XPath("//@target|//@next|//@prev|//@facs")
_IDS = etree.XPath("//@xml:id")
_POINTER_ATTRIBUTES = ("target", "next", "prev", "facs")
#: The only elements on which the schema allows a pointer or an xml:id: ``div`` (xml:id, @next,
#: @prev, attribute group divLinking), ``ref`` (@target), ``lb`` and ``pb`` (@facs), and
#: ``surface`` and ``zone`` (xml:id). In a document it accepts, these are all that must be
#: read (tested against the schema's declarations).
_DIV = f"{{{TEI_NS}}}div"
_REF = f"{{{TEI_NS}}}ref"
_LB = f"{{{TEI_NS}}}lb"
_PB = f"{{{TEI_NS}}}pb"
_SURFACE = f"{{{TEI_NS}}}surface"
_FACSIMILE = f"{{{TEI_NS}}}facsimile"
_ZONE = f"{{{TEI_NS}}}zone"
_WHITESPACE = re.compile(r"\s+")
#: How far into a document a document type declaration is looked for when the document is
#: too malformed for the parser to say whether it has one.
_PROLOG = 65536
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


class SchemaProblem(NamedTuple):
    """One validation problem: the 1-based source line (if known) and a one-line message."""

    line: int | None
    message: str


def schema_path() -> Path:
    """Return the path of the bundled ``newspaper-tei.xsd``.

    The installed package data (``converter/schemas/``) is preferred; a plain source checkout
    (or an editable install, which maps ``converter.schemas`` there) finds ``<repo>/schemas/``.
    Only a package that is not a plain folder (a zip archive) needs importlib.resources, whose
    import costs a one-page run milliseconds.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas" / SCHEMA_FILE, here.parent / "schemas" / SCHEMA_FILE):
        if candidate.is_file():
            return candidate
    import importlib.resources

    try:
        resource = importlib.resources.files("converter.schemas") / SCHEMA_FILE
    except ModuleNotFoundError:
        pass
    else:
        if isinstance(resource, Path) and resource.is_file():
            return resource
    return here.parent / "schemas" / SCHEMA_FILE


@functools.cache
def load_fast_schema() -> etree.XMLSchema:
    """The bundled schema compiled by libxml2, without its XSD 1.1 assertion (cached)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    doc = etree.parse(str(schema_path()), parser)
    for assertion in list(doc.iter(_XS_ASSERT)):
        parent = assertion.getparent()
        if parent is not None:
            parent.remove(assertion)
    return etree.XMLSchema(doc)


def validate_tree(root: etree._Element) -> list[SchemaProblem]:
    """Validate an lxml element (normally the ``TEI`` root): the fast path.

    libxml2 checks everything XSD 1.0 can say; the pointer assertion is checked
    here.  Line numbers are ``None`` for elements built in memory.
    """
    schema = load_fast_schema()
    try:
        valid = schema.validate(root)
    except etree.XMLSchemaValidateError as exc:
        # libxml2 gives up on a tree holding entity references; they are reported, and the
        # rest is checked without them.
        return _without_entities(root, exc)
    # The XSD 1.1 assertions on lines and links, which libxml2 cannot read.
    asserted = [SchemaProblem(*p) for p in assertions.check(root)]
    if valid:
        return _sorted_unique(_dangling_pointers_valid(root) + asserted)
    from .validate_messages import Words, libxml2_problem

    words = Words(root, schema_path())
    log: Any = schema.error_log  # iterable of _LogEntry (the stubs do not say so)
    problems = [libxml2_problem(words, error) for error in log]
    problems.extend(_dangling_pointers(root))
    problems.extend(asserted)
    return _sorted_unique(problems)


def _without_entities(root: etree._Element, exc: Exception) -> list[SchemaProblem]:
    """The entity references of a tree as problems, and the problems of the tree without
    them; ``exc``, libxml2's failure, if the tree has none (a defect, reported as one)."""
    problems = _entity_problems(root)
    if not problems:
        raise exc
    stripped = copy.deepcopy(root)
    for entity in list(stripped.iter(etree.Entity)):
        parent = entity.getparent()
        if parent is not None:
            _remove_keeping_tail(entity, parent)
    return _sorted_unique(problems + validate_tree(stripped))


def _remove_keeping_tail(node: etree._Element, parent: etree._Element) -> None:
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


@functools.cache
def load_schema() -> xmlschema.XMLSchema11:
    """Load the bundled schema for xmlschema once per process, reading local files only."""
    import xmlschema

    return xmlschema.XMLSchema11(
        str(schema_path()),
        allow="local",
        use_fallback=False,
        defuse="always",
    )


def validate_tree_reference(root: etree._Element) -> list[SchemaProblem]:
    """Validate an lxml element against the whole XSD 1.1 schema with xmlschema.

    Line numbers come from ``sourceline``, so they are ``None`` for elements
    that were built in memory rather than parsed.
    """
    from xmlschema.validators import XsdAssert

    from .validate_messages import Words, shorten_names, xmlschema_problem

    schema = load_schema()
    words = Words(root, schema_path())
    # xmlschema passes over entity references (never expanded); they are problems here too.
    problems: list[SchemaProblem] = _entity_problems(root)
    failed_assertions: list[SchemaProblem] = []
    reported: set[tuple[int, str]] = set()
    for error in schema.iter_errors(root):
        if isinstance(error.validator, XsdAssert):
            reason = f"assertion failed: {error.validator.annotation or error.validator.path}"
            failed_assertions.append(SchemaProblem(error.sourceline, shorten_names(reason)))
            continue
        key, problem = xmlschema_problem(words, error)
        if key is not None:
            if key in reported:
                continue
            reported.add(key)
        problems.append(problem)
    if failed_assertions:
        # The only assertion checks that pointers resolve; name each bad pointer.
        # Malformed pointers are already reported by their type.
        problems.extend(_dangling_pointers(root) or ([] if problems else failed_assertions))
    return _sorted_unique(problems)


def validate_bytes(data: bytes, *, reference: bool = False) -> list[SchemaProblem]:
    """Parse ``data`` as XML and validate it; syntax errors are returned as problems too.

    ``reference`` runs the XSD 1.1 schema with xmlschema instead of the fast path. A document
    type declaration is a problem of its own, and the document is not read further.
    """
    declared = _document_type(data)
    if declared is not None:
        return [declared]
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        # The converter writes text nodes of any length (a 10 MB line stays one line), so
        # libxml2's 10 MB text node limit must not reject its own output.
        huge_tree=True,
        # Duplicate xml:id values are reported by the schema (xs:ID) instead of
        # aborting the parse, so that all other problems are reported as well.
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return _syntax_problems(exc, parser)
    check = validate_tree_reference if reference else validate_tree
    return _sorted_unique(_entity_problems(root) + check(root))


def _syntax_problems(exc: etree.XMLSyntaxError, parser: etree.XMLParser) -> list[SchemaProblem]:
    problems: list[SchemaProblem] = []
    # The parser's own log: exc.error_log also holds errors of earlier parses in
    # this thread.  lxml-stubs does not declare the log as iterable, hence getattr.
    for entry in getattr(parser, "error_log", ()):
        if entry.level >= etree.ErrorLevels.ERROR:
            message = f"not well-formed XML: {_one_line(str(entry.message))}"
            problems.append(SchemaProblem(line=_as_line(entry.line), message=message))
    if not problems:
        message = f"not well-formed XML: {_one_line(str(exc))}"
        problems.append(SchemaProblem(line=_as_line(exc.lineno), message=message))
    return _sorted_unique(problems)


def _document_type(data: bytes) -> SchemaProblem | None:
    """A problem if the document has a document type declaration, read without loading a
    DTD or entity: the parser stops at the root element's start tag."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )
    try:
        for _event, element in events:
            info = element.getroottree().docinfo
            if not info.doctype:
                return None
            return SchemaProblem(_doctype_line(data, info.encoding), _DOCTYPE_REFUSED)
    except etree.XMLSyntaxError:
        pass  # malformed: reported by the parse that follows, unless a declaration is there
    if any(marker in data[:_PROLOG] for marker in _DOCTYPES):
        return SchemaProblem(None, _DOCTYPE_REFUSED)
    return None


_DOCTYPE_REFUSED = (
    "document type declaration refused: a newspaper-tei document has none, and no DTD or "
    "entity is read or expanded"
)


def _doctype_line(data: bytes, encoding: str | None) -> int | None:
    """The line of the declaration, in the document's encoding (its BOM, else as declared)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding = codec
            break
    try:
        text = data[: _PROLOG * 4].decode(encoding or "utf-8", errors="replace")
    except LookupError:
        return None
    at = text.find("<!DOCTYPE")
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _entity_problems(root: etree._Element) -> list[SchemaProblem]:
    """Entity references are never expanded; their content would escape validation."""
    return [
        SchemaProblem(
            line=_as_line(getattr(node, "sourceline", None)),
            message=f"entity reference {node.text} is not allowed: entities are never expanded",
        )
        for node in root.iter(etree.Entity)
    ]


def _as_line(value: object) -> int | None:
    """A usable 1-based line number, or None (lxml uses 0 or None for "unknown")."""
    return value if isinstance(value, int) and value > 0 else None


def _dangling_pointers_valid(root: etree._Element) -> list[SchemaProblem]:
    """:func:`_dangling_pointers` for a document the schema accepts: only ``div`` and ``ref``
    elements can hold a link, and only ``lb`` and ``pb`` a ``@facs`` — which they do only in a
    document with a facsimile (see ``_DIV``)."""
    pointing = [
        el
        for el in root.iter(_DIV, _REF)
        if el.get("next") is not None or el.get("prev") is not None or el.get("target") is not None
    ]
    facsimile = root.find(_FACSIMILE) is not None
    if facsimile:
        pointing.extend(el for el in root.iter(_LB, _PB) if el.get("facs") is not None)
    if not pointing:
        return []
    holders = (_DIV, _SURFACE, _ZONE) if facsimile else (_DIV,)
    ids = {value for el in root.iter(*holders) if (value := el.get(_XML_ID)) is not None}
    return _unresolved(pointing, ids)


def _dangling_pointers(root: etree._Element) -> list[SchemaProblem]:
    """Problems for each ``#id`` pointer whose id is missing from the document."""
    found_pointers = _POINTERS(root)
    if not isinstance(found_pointers, list) or not found_pointers:
        return []
    # Each element once, in document order; its attributes are then read in a fixed order.
    parents: dict[etree._Element, None] = {}
    for pointer in found_pointers:
        if isinstance(pointer, etree._ElementUnicodeResult):
            parent = pointer.getparent()
            if parent is not None:
                parents[parent] = None
    found = _IDS(root)
    ids = {str(value) for value in found} if isinstance(found, list) else set()
    return _unresolved(list(parents), ids)


def _unresolved(pointing: list[etree._Element], ids: set[str]) -> list[SchemaProblem]:
    """A problem for each pointer of the ``pointing`` elements that names none of ``ids``."""
    problems: list[SchemaProblem] = []
    for el in pointing:
        for name in _POINTER_ATTRIBUTES:
            value = el.get(name)
            if value is None or not value.startswith("#") or value[1:] in ids:
                continue
            from .validate_messages import dangling

            problems.append(dangling(el, name))
    return problems


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _sorted_unique(problems: list[SchemaProblem]) -> list[SchemaProblem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line is None, p.line or 0))
