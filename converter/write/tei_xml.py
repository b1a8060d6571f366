"""The TEI vocabulary as lxml sees it: namespace, element names, adding an element, and the
indentation of element-only content that every TEI module shares."""

from __future__ import annotations

from typing import Any

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = "{" + XML_NS + "}id"
XML_LANG = "{" + XML_NS + "}lang"
#: The TEI namespace as the default one: lxml takes None as the prefix of a default namespace.
NSMAP: Any = {None: TEI_NS}
INDENT = "  "


def tei(tag: str) -> str:
    """The qualified name of the TEI element ``tag``."""
    return "{" + TEI_NS + "}" + tag


def add(
    parent: etree._Element,
    tag: str,
    text: str | None = None,
    attrs: dict[str, str] | None = None,
) -> etree._Element:
    """Append the TEI element ``tag`` to ``parent``, with ``text`` and ``attrs`` (written in
    the order given)."""
    name = tei(tag)
    element = etree.SubElement(parent, name, attrs) if attrs else etree.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def newline(level: int) -> str:
    """A line break and the indentation of depth ``level`` (the TEI element is at 0)."""
    return "\n" + INDENT * level


def indent_children(element: etree._Element, level: int) -> None:
    """Put each child of ``element`` (at depth ``level``) on a line of its own, and its end tag
    on the next. Only for element-only content: the white space is layout, not text."""
    children = list(element)
    if not children:
        return
    inner = newline(level + 1)
    element.text = inner
    for child in children:
        child.tail = inner
    children[-1].tail = newline(level)
