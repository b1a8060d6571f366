"""Line recovery: rebuild the input's non-blank lines from a TEI document's ``lb/@n``.

The inverse of the writer (contract §4): text after ``<lb n="N"/>`` belongs to line N until the
next ``lb``, wherever the elements holding it stand. Whitespace-only text in element-only
containers (body, div, …) is layout, not content, and is skipped; trailing whitespace of a line
is not kept, since the writer joins Latin lines with one space before the ``lb``.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from .write.tei_xml import TEI_NS

_T = "{" + TEI_NS + "}"
_LB = _T + "lb"
#: Containers whose content model is element-only: whitespace between their children is layout.
_ELEMENT_ONLY = frozenset(_T + name for name in ("body", "div", "text", "front", "back", "group"))
_BODY = etree.XPath("/t:TEI/t:text/t:body", namespaces={"t": TEI_NS})


class NoLinesError(ValueError):
    """The document has no TEI body to take lines from, or an ``lb/@n`` is not a number."""


def recover_lines(root: etree._Element, *, strip: bool = True) -> dict[int, str]:
    """Map line number → text of that line, from the body of a page or issue document.

    Text that stands before any ``lb`` is returned under line 0 (it was not in the input).
    ``strip=False`` keeps trailing white space, including a space the writer added to join
    two Latin lines.
    """
    bodies = _BODY(root)
    if not isinstance(bodies, list) or not bodies:
        raise NoLinesError("no TEI text/body element")
    body = bodies[0]
    assert isinstance(body, etree._Element)
    parts: dict[int, list[str]] = {}
    current = 0
    for kind, value in _walk(body):
        if kind == "lb":
            if not value.isdigit():
                raise NoLinesError(f"lb/@n={value!r} is not a line number")
            current = int(value)
            parts.setdefault(current, [])
        else:
            parts.setdefault(current, []).append(value)
    lines = {n: "".join(chunks) for n, chunks in parts.items()}
    if strip:
        lines = {n: text.rstrip() for n, text in lines.items()}
    if 0 in lines and not lines[0].strip():
        del lines[0]
    return lines


def _walk(element: etree._Element) -> Iterator[tuple[str, str]]:
    """Yield ("lb", n) and ("text", s) events in document order."""
    layout = element.tag in _ELEMENT_ONLY
    if element.text and not (layout and not element.text.strip()):
        yield "text", element.text
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            pass
        elif child.tag == _LB:
            yield "lb", child.get("n", "0")
        else:
            yield from _walk(child)
        if child.tail and not (layout and not child.tail.strip()):
            yield "text", child.tail


def page_lines(root: etree._Element) -> list[tuple[int, str]]:
    """The recovered lines in input order (line number, text)."""
    return sorted(recover_lines(root).items())
