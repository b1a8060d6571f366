"""Validation problems in plain words: what is wrong, with local names and the values involved.

This module has one job: turn what a schema validator found (libxml2's error log on the fast
path, xmlschema's errors on the reference path) into one readable line per problem, such as
``date/@when "2016-13-45" is not a real calendar date YYYY-MM-DD …`` or ``duplicate xml:id
"p1-a1" (first on line 64)``. Both paths word a problem alike: what a value should be is read
from the bundled schema itself (the documentation of the attribute's type, else its allowed
values or pattern), never from the validator's wording, and names are local (``date``,
``xml:id``), not Clark names. What no rule here knows is passed on with its names shortened.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from .validate import SchemaProblem as Problem

if TYPE_CHECKING:
    import xmlschema

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_XS = "{http://www.w3.org/2001/XMLSchema}"
_XML_ID = f"{{{XML_NS}}}id"
#: A value longer than this is shortened in a message.
_VALUE_WIDTH = 60
_WHITESPACE = re.compile(r"\s+")
_CLARK = re.compile(r"\{([^}]*)\}([^\s'\",()]+)")


# --- names ---------------------------------------------------------------------------------


def name(tag: str) -> str:
    """A readable name for a tag or attribute in Clark notation: ``date``, ``xml:id``, and for
    another namespace ``foo (namespace urn:x)``."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        if namespace == TEI_NS:
            return local
        if namespace == XML_NS:
            return "xml:" + local
        return f"{local} (namespace {namespace})"
    if tag.startswith("xml:") or tag.startswith("tei:"):
        return tag[4:] if tag.startswith("tei:") else tag
    return tag


def element_path(el: etree._Element) -> str:
    """An XPath-like location such as ``/TEI/text/body/div[3]/p[2]/ref``."""
    steps: list[str] = []
    node: etree._Element | None = el
    while node is not None:
        step = name(str(node.tag)).split(" ")[0]
        parent = node.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                step = f"{step}[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))


def shorten_names(text: str) -> str:
    """Text with Clark names ``{ns}local`` written as readable names, on one line."""
    return _one_line(_CLARK.sub(lambda m: name("{" + m[1] + "}" + m[2]), text))


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _quoted(value: str) -> str:
    value = _one_line(value) if "\n" in value else value
    if len(value) > _VALUE_WIDTH:
        value = value[: _VALUE_WIDTH - 1] + "…"
    return '"' + value + '"'


def _listed(names: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def line_of(el: object) -> int | None:
    """A usable 1-based line number of an element, or None (built in memory)."""
    value = getattr(el, "sourceline", None)
    return value if isinstance(value, int) and value > 0 else None


# --- what the schema says a value is ------------------------------------------------------


@dataclass(frozen=True)
class ValueType:
    """What the schema allows as one value: its documentation, else allowed values, else a
    pattern, else a built-in XSD type."""

    documentation: str | None = None
    values: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    builtin: str | None = None


#: What the built-in XSD types the schema uses take, in words.
_NAME = "a name: a letter or _ first, then letters, digits, '.', '-' or '_' (no spaces or colons)"
_BUILTIN = {
    "ID": _NAME,
    "NCName": _NAME,
    "integer": "a whole number",
    "nonNegativeInteger": "a whole number, 0 or more",
    "positiveInteger": "a whole number, 1 or more",
    "decimal": "a number",
    "boolean": "true or false",
    "anyURI": "a URI",
    "language": "a BCP 47 language tag such as en or zh-Hans",
    "date": "a date YYYY-MM-DD",
}


def value_predicate(kind: ValueType | None) -> str:
    """What a wrong value is not: ``is not one of main, sub or kicker``."""
    if kind is None:
        return "is not allowed here"
    if kind.documentation:
        return f"is not {kind.documentation}"
    if kind.values:
        if len(kind.values) == 1:
            return f"is not {_quoted(kind.values[0])}"
        return "is not one of " + _listed(list(kind.values))
    if kind.builtin in _BUILTIN:
        return f"is not {_BUILTIN[kind.builtin]}"
    if kind.patterns:
        return "does not match the pattern " + " or ".join(kind.patterns)
    return "is not allowed here"


class Declarations:
    """The bundled schema's declarations, found from a document's elements by their path from
    the root: which attributes an element takes and what each value must be."""

    def __init__(self, schema: etree._Element) -> None:
        def named(kind: str) -> dict[str, etree._Element]:
            return {str(d.get("name")): d for d in schema.iterchildren(_XS + kind)}

        self.complex_types = named("complexType")
        self.simple_types = named("simpleType")
        self.groups = named("group")
        self.attribute_groups = named("attributeGroup")
        self.elements = named("element")
        # Found once per path of element names (a document repeats a few paths many times).
        self._by_chain: dict[tuple[str, ...], etree._Element | None] = {}
        self._attributes: dict[tuple[str, ...], dict[str, etree._Element]] = {}
        self._children_of: dict[etree._Element, dict[str, etree._Element]] = {}
        self._attribute_types: dict[tuple[tuple[str, ...] | None, str], ValueType | None] = {}

    # Elements.

    @staticmethod
    def _chain(el: etree._Element) -> tuple[str, ...] | None:
        """The local names from the root down to ``el``; None if one is not TEI's."""
        chain: list[str] = []
        node: etree._Element | None = el
        while node is not None:
            tag = str(node.tag)
            if not tag.startswith(f"{{{TEI_NS}}}"):
                return None
            chain.append(tag[len(TEI_NS) + 2 :])
            node = node.getparent()
        return tuple(reversed(chain))

    def element(self, el: etree._Element) -> etree._Element | None:
        """The declaration (``xs:element``) of a document element, or None if it has none."""
        chain = self._chain(el)
        return None if chain is None else self._declaration(chain)

    def _declaration(self, chain: tuple[str, ...]) -> etree._Element | None:
        if chain not in self._by_chain:
            if len(chain) == 1:
                found = self.elements.get(chain[0])
            else:
                parent = self._declaration(chain[:-1])
                found = None if parent is None else self._children(parent).get(chain[-1])
            self._by_chain[chain] = found
        return self._by_chain[chain]

    def _type_of(self, declaration: etree._Element) -> tuple[etree._Element | None, str | None]:
        """An element's or attribute's type: its definition (complex or simple), or the name of
        a built-in XSD type."""
        named_type = declaration.get("type")
        if named_type is None:
            inline = declaration.find(_XS + "complexType")
            if inline is None:
                inline = declaration.find(_XS + "simpleType")
            return inline, None
        prefix, _, local = named_type.rpartition(":")
        if prefix == "xs":
            return None, local
        found = self.complex_types.get(local)
        return (found if found is not None else self.simple_types.get(local)), None

    def _children(self, declaration: etree._Element) -> dict[str, etree._Element]:
        if declaration not in self._children_of:
            definition, _ = self._type_of(declaration)
            found: dict[str, etree._Element] = {}
            if definition is not None and definition.tag == _XS + "complexType":
                self._collect_children(definition, found, set())
            self._children_of[declaration] = found
        return self._children_of[declaration]

    def _collect_children(
        self, node: etree._Element, found: dict[str, etree._Element], seen: set[str]
    ) -> None:
        for child in node.iterchildren(etree.Element):
            if child.tag == _XS + "element":
                reference = child.get("ref")
                target = self.elements.get(reference.split(":")[-1]) if reference else child
                if target is not None:
                    found.setdefault(str(target.get("name")), target)
            elif child.tag == _XS + "group" and child.get("ref"):
                group = str(child.get("ref")).split(":")[-1]
                if group not in seen and group in self.groups:
                    seen.add(group)
                    self._collect_children(self.groups[group], found, seen)
            elif child.tag in (_XS + "extension", _XS + "restriction"):
                base = self.complex_types.get(str(child.get("base")).split(":")[-1])
                if base is not None and child.tag == _XS + "extension":
                    self._collect_children(base, found, seen)
                self._collect_children(child, found, seen)
            elif child.tag not in (_XS + "attribute", _XS + "attributeGroup", _XS + "annotation"):
                self._collect_children(child, found, seen)

    def empty(self, el: etree._Element) -> bool:
        """Whether the element is declared empty: no text, no children (``lb``, ``cb``)."""
        declaration = self.element(el)
        if declaration is None:
            return False
        definition, builtin = self._type_of(declaration)
        if builtin is not None or definition is None or definition.tag != _XS + "complexType":
            return False
        if definition.get("mixed") == "true" or definition.find(_XS + "simpleContent") is not None:
            return False
        return not self._children(declaration)

    # Attributes.

    def attributes(self, el: etree._Element) -> dict[str, etree._Element]:
        """The attributes an element takes (by Clark name for xml:*), with their
        declarations."""
        chain = self._chain(el)
        if chain is None:
            return {}
        if chain not in self._attributes:
            declaration = self._declaration(chain)
            definition = None if declaration is None else self._type_of(declaration)[0]
            found: dict[str, etree._Element] = {}
            if definition is not None and definition.tag == _XS + "complexType":
                self._collect_attributes(definition, found, set())
            self._attributes[chain] = found
        return self._attributes[chain]

    def _collect_attributes(
        self, node: etree._Element, found: dict[str, etree._Element], seen: set[str]
    ) -> None:
        for child in node.iterchildren(etree.Element):
            if child.tag == _XS + "attribute":
                reference = child.get("ref")
                key = f"{{{XML_NS}}}{reference[4:]}" if reference else str(child.get("name"))
                found.setdefault(key, child)
            elif child.tag == _XS + "attributeGroup" and child.get("ref"):
                group = str(child.get("ref")).split(":")[-1]
                if group not in seen and group in self.attribute_groups:
                    seen.add(group)
                    self._collect_attributes(self.attribute_groups[group], found, seen)
            elif child.tag in (_XS + "extension", _XS + "restriction"):
                base = self.complex_types.get(str(child.get("base")).split(":")[-1])
                if base is not None:
                    self._collect_attributes(base, found, seen)
                self._collect_attributes(child, found, seen)
            elif child.tag in (_XS + "simpleContent", _XS + "complexContent"):
                self._collect_attributes(child, found, seen)

    def attribute_type(self, el: etree._Element, attribute: str) -> ValueType | None:
        """What the value of ``attribute`` (a Clark name for xml:*) on ``el`` must be."""
        key = (self._chain(el), attribute)
        if key not in self._attribute_types:
            self._attribute_types[key] = self._attribute_type(el, attribute)
        return self._attribute_types[key]

    def _attribute_type(self, el: etree._Element, attribute: str) -> ValueType | None:
        declaration = self.attributes(el).get(attribute)
        if declaration is None:
            return None
        if declaration.get("ref") is not None:  # xml:id, xml:lang (xml.xsd)
            builtin = {"id": "ID", "lang": "language"}.get(attribute.rpartition("}")[2])
            return ValueType(builtin=builtin)
        kind = self._value_type(declaration)
        documentation = _documentation(declaration)
        if documentation and not kind.documentation:
            kind = ValueType(documentation, kind.values, kind.patterns, kind.builtin)
        return kind

    def content_type(self, el: etree._Element) -> ValueType | None:
        """What the text of a text-only element must be, or None."""
        declaration = self.element(el)
        if declaration is None:
            return None
        definition, builtin = self._type_of(declaration)
        if builtin is not None:
            return ValueType(builtin=builtin)
        if definition is None:
            return None
        if definition.tag == _XS + "simpleType":
            return self._simple(definition)
        for derivation in definition.iterfind(f"{_XS}simpleContent/*"):
            base = str(derivation.get("base"))
            prefix, _, local = base.rpartition(":")
            own = self._restriction(derivation)
            if own.values or own.patterns:
                return own
            if prefix == "xs":
                return ValueType(builtin=local)
            if local in self.simple_types:
                return self._simple(self.simple_types[local])
        return None

    def _value_type(self, declaration: etree._Element) -> ValueType:
        definition, builtin = self._type_of(declaration)
        if builtin is not None:
            return ValueType(builtin=builtin)
        if definition is None or definition.tag != _XS + "simpleType":
            return ValueType()
        return self._simple(definition)

    def _simple(self, definition: etree._Element, depth: int = 0) -> ValueType:
        """A simple type's documentation, values and patterns, inherited from its base where
        it has none of its own."""
        documentation = _documentation(definition)
        restriction = definition.find(_XS + "restriction")
        if restriction is None:
            union = definition.find(_XS + "union")
            if union is not None and not documentation:
                members = [
                    value_predicate(self._named(member, depth))[len("is not ") :]
                    for member in str(union.get("memberTypes", "")).split()
                ]
                documentation = _listed(members) if all(members) else None
            return ValueType(documentation)
        own = self._restriction(restriction)
        base = self._named(str(restriction.get("base")), depth)
        return ValueType(
            documentation or base.documentation,
            own.values or base.values,
            own.patterns or base.patterns,
            base.builtin,
        )

    def _named(self, reference: str, depth: int) -> ValueType:
        prefix, _, local = reference.rpartition(":")
        if prefix == "xs" or local not in self.simple_types or depth > 10:
            return ValueType(builtin=local)
        return self._simple(self.simple_types[local], depth + 1)

    @staticmethod
    def _restriction(restriction: etree._Element) -> ValueType:
        return ValueType(
            values=tuple(str(e.get("value")) for e in restriction.iterfind(_XS + "enumeration")),
            patterns=tuple(str(p.get("value")) for p in restriction.iterfind(_XS + "pattern")),
        )


def _documentation(node: etree._Element) -> str | None:
    found = node.find(f"{_XS}annotation/{_XS}documentation")
    text = _one_line(found.text or "") if found is not None else ""
    return text or None


@functools.cache
def declarations(schema: Path) -> Declarations:
    """The declarations of the schema file (read once per process, locally only)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return Declarations(etree.parse(str(schema), parser).getroot())


# --- the messages --------------------------------------------------------------------------


def at(el: etree._Element | None, message: str, line: int | None = None) -> Problem:
    """A problem at ``el``: on its line, or where it has none (built in memory), at its path."""
    line = line if line is not None else line_of(el)
    if line is None and el is not None:
        message += f" (at {element_path(el)})"
    return Problem(line, message)


def dangling(el: etree._Element, attribute: str) -> Problem:
    """A pointer ``#id`` naming no xml:id of its document."""
    value = el.get(attribute, "")
    subject = f"{name(str(el.tag))}/@{attribute}"
    return at(el, f"{subject} {_quoted(value)} points to no xml:id in this document")


class Words:
    """Words the problems of one document, whose root is ``root``, against ``schema``."""

    def __init__(self, root: etree._Element, schema: Path) -> None:
        self.root = root
        self.schema = schema
        self._ids: dict[str, etree._Element] | None = None
        self._child_lists: dict[tuple[etree._Element, str, bool], list[etree._Element]] = {}

    @property
    def declarations(self) -> Declarations:
        return declarations(self.schema)

    def bad_value(self, el: etree._Element, attribute: str | None) -> Problem:
        """The value of ``attribute`` on ``el`` (or ``el``'s text, if None) is wrong."""
        if attribute is None:
            value = el.text or ""
            kind = self.declarations.content_type(el)
            subject = name(str(el.tag))
            if not value.strip():
                expected = value_predicate(kind)
                hint = f" ({expected.replace('is not ', 'expected ', 1)})" if kind else ""
                return at(el, f"{subject} is empty{hint}")
            return at(el, f"{subject} {_quoted(value)} {value_predicate(kind)}")
        value = el.get(attribute, "")
        if attribute == _XML_ID:
            first = self.first_with_id(value)
            if first is not None and first is not el:
                where = line_of(first)
                seen = f" (first on line {where})" if where is not None else ""
                return at(el, f"duplicate xml:id {_quoted(value)}{seen}")
        kind = self.declarations.attribute_type(el, attribute)
        subject = f"{name(str(el.tag))}/@{name(attribute)}"
        return at(el, f"{subject} {_quoted(value)} {value_predicate(kind)}")

    def duplicate_id(self, el: etree._Element) -> Problem:
        return self.bad_value(el, _XML_ID)

    def first_with_id(self, value: str) -> etree._Element | None:
        if self._ids is None:
            self._ids = {}
            for node in self.root.iter(etree.Element):
                found = node.get(_XML_ID)
                if found is not None:
                    self._ids.setdefault(found, node)
        return self._ids.get(value)

    def find(self, path: object) -> etree._Element | None:
        """The element at libxml2's path of an error, if it can be found: ``/*/*[2]/x:y[3]``,
        where ``*`` counts every element of its parent (an element in the default namespace)
        and a name counts the elements of that name."""
        if not isinstance(path, str) or not path.startswith("/"):
            return None
        node: etree._Element | None = None
        for step in path[1:].split("/"):
            match = _STEP.fullmatch(step)
            if match is None:
                return None
            if node is None:
                candidates = [self.root.getroottree().getroot()]
            else:
                candidates = self._children(node, match["name"], bool(match["prefix"]))
            index = int(match["index"] or 1) - 1
            if index >= len(candidates):
                return None
            node = candidates[index]
        return node

    def _children(self, parent: etree._Element, step: str, prefixed: bool) -> list[etree._Element]:
        key = (parent, step, prefixed)
        if key not in self._child_lists:
            children = list(parent.iterchildren(etree.Element))
            if step != "*":
                # A name in no namespace, or prefixed: matched by its local name.
                children = [
                    c
                    for c in children
                    if etree.QName(c).localname == step
                    and (prefixed or etree.QName(c).namespace is None)
                ]
            self._child_lists[key] = children
        return self._child_lists[key]

    def missing_attribute(self, el: etree._Element, attribute: str) -> Problem:
        return at(el, f"{name(str(el.tag))} has no @{name(attribute)}, which it must have")

    def attribute_not_allowed(self, el: etree._Element, attribute: str) -> Problem:
        allowed = ["@" + name(a) for a in self.declarations.attributes(el)]
        element = name(str(el.tag))
        takes = f"{element} takes {_listed(allowed)}" if allowed else f"{element} takes none"
        return at(el, f"{element}/@{name(attribute)} is not allowed ({takes})")

    def unexpected(self, el: etree._Element, expected: Iterable[str] = ()) -> Problem:
        parent = el.getparent()
        where = f" in {name(str(parent.tag))} here" if parent is not None else " here"
        names = list(dict.fromkeys(name(tag) for tag in expected))
        hint = f" (expected {_listed(names)})" if names else ""
        return at(el, f"{name(str(el.tag))} is not allowed{where}{hint}")

    def incomplete(self, el: etree._Element, expected: Iterable[str]) -> Problem:
        names = list(dict.fromkeys(name(tag) for tag in expected))
        if len(names) == 1:
            missing = f"{names[0]} is missing"
        elif names:
            missing = f"one of {_listed(names)} is missing"
        else:
            missing = "an element is missing"
        return at(el, f"{name(str(el.tag))} is incomplete: {missing}")

    def text_not_allowed(self, el: etree._Element) -> Problem:
        pieces = [el.text or ""] + [child.tail or "" for child in el]
        text = _quoted(next((p for p in pieces if p.strip()), "").strip())
        where = "nothing goes" if self.declarations.empty(el) else "only elements go"
        return at(el, f"{name(str(el.tag))} holds text {text}, where {where}")

    def elements_not_allowed(self, el: etree._Element) -> Problem:
        child = next(iter(el.iterchildren(etree.Element)), None)
        which = f" ({name(str(child.tag))})" if child is not None else ""
        return at(el, f"{name(str(el.tag))} holds an element{which}, where only text goes")

    def wrong_root(self, el: etree._Element) -> Problem:
        qname = etree.QName(el)
        where = f"in namespace {qname.namespace}" if qname.namespace else "in no namespace"
        return at(
            el,
            f"the root element is {qname.localname} {where}; a newspaper-tei document is TEI "
            f"in namespace {TEI_NS}",
        )

    def other(self, el: etree._Element | None, text: str, line: int | None = None) -> Problem:
        subject = f"{name(str(el.tag))}: " if el is not None else ""
        return at(el, subject + shorten_names(text), line)


# --- libxml2 (the fast path) ---------------------------------------------------------------

_LIBXML2 = re.compile(r"Element '(?P<element>[^']*)'(?:, attribute '(?P<attribute>[^']*)')?: ")
_EXPECTED = re.compile(r"Expected is(?: one of)? \( (?P<names>[^)]*) \)")
_STEP = re.compile(r"(?:(?P<prefix>[^/:\[]+):)?(?P<name>[^/:\[]+)(?:\[(?P<index>\d+)\])?")
_REQUIRED = re.compile(r"The attribute '(?P<name>[^']*)' is required but missing")


def libxml2_problem(words: Words, entry: Any) -> Problem:
    """The problem of one entry of libxml2's schema error log."""
    message = str(entry.message)
    line = entry.line if isinstance(entry.line, int) and entry.line > 0 else None
    match = _LIBXML2.match(message)
    el = words.find(getattr(entry, "path", None))
    if match is None or el is None:
        rest = message[match.end() :] if match is not None else message
        subject = f"{name(match['element'])}: " if match is not None else ""
        return Problem(line, subject + shorten_names(rest.rstrip(".")))
    rest = message[match.end() :]
    attribute = match["attribute"]
    expected = _EXPECTED.search(rest)
    names = [n.strip() for n in expected["names"].split(",")] if expected else []
    if attribute is not None:
        if "is not allowed" in rest:
            return words.attribute_not_allowed(el, attribute)
        if attribute in el.attrib:
            return words.bad_value(el, attribute)
    elif (required := _REQUIRED.search(rest)) is not None:
        return words.missing_attribute(el, required["name"])
    elif "This element is not expected" in rest:
        return words.unexpected(el, names)
    elif "Missing child element" in rest:
        return words.incomplete(el, names)
    elif "Character content" in rest and "is not allowed" in rest:
        return words.text_not_allowed(el)
    elif "Element content is not allowed" in rest:
        return words.elements_not_allowed(el)
    elif "No matching global declaration available" in rest:
        return words.wrong_root(el)
    elif "[facet '" in rest or "is not a valid value of" in rest:
        return words.bad_value(el, None)
    return words.other(el, rest.rstrip("."), line)


# --- xmlschema (the reference path) --------------------------------------------------------

_ATTRIBUTE_REASON = re.compile(r"attribute (?P<name>[^=\s]+)=")
_MISSING = re.compile(r"missing required attribute '(?P<name>[^']*)'")
_NOT_ALLOWED = re.compile(r"'(?P<name>[^']*)' attribute not allowed")


def xmlschema_problem(
    words: Words, error: xmlschema.XMLSchemaValidationError
) -> tuple[tuple[int, str] | None, Problem]:
    """The problem of one xmlschema error, with a key that is the same for every error about
    one attribute value (a value may fail several checks: each member of a union, a pattern,
    a range) so that it is reported once."""
    from xmlschema import XMLSchemaChildrenValidationError

    el = error.elem if isinstance(error.elem, etree._Element) else None
    reason = error.reason or "invalid content"
    if el is None:
        return None, Problem(error.sourceline, shorten_names(reason))
    if isinstance(error, XMLSchemaChildrenValidationError):
        child = error.invalid_child
        if isinstance(child, etree._Element):
            return None, words.unexpected(child, _tags(error.expected_tags))
        return None, words.incomplete(el, _tags(error.expected_tags))
    attribute = _ATTRIBUTE_REASON.match(reason)
    if attribute is not None and attribute["name"] in el.attrib:
        key = (id(el), attribute["name"])
        return key, words.bad_value(el, attribute["name"])
    if (missing := _MISSING.search(reason)) is not None:
        return None, words.missing_attribute(el, missing["name"])
    if (not_allowed := _NOT_ALLOWED.search(reason)) is not None:
        return None, words.attribute_not_allowed(el, not_allowed["name"])
    if "character data" in reason and "not allowed" in reason:
        return None, words.text_not_allowed(el)
    if "can't have child elements" in reason:
        return None, words.elements_not_allowed(el)
    if "is not an element of the schema" in reason:
        return None, words.wrong_root(el)
    from xmlschema.validators import XsdFacet, XsdSimpleType

    if isinstance(error.validator, (XsdFacet, XsdSimpleType)):
        return (id(el), ""), words.bad_value(el, None)
    return None, words.other(el, reason)


def _tags(tags: Iterable[str]) -> list[str]:
    """``tei:authority`` → the Clark name, so that it is named like libxml2's."""
    return [f"{{{TEI_NS}}}{t[4:]}" if t.startswith("tei:") else t for t in tags]
