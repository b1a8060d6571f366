"""Line recovery: rebuild the input's non-blank lines from a TEI document's ``lb/@n``.

The inverse of the writer (contract §4): text after ``<lb n="N"/>`` belongs to line N until the
next ``lb``, wherever the elements holding it stand. Whitespace-only text in element-only
containers (body, div, …) is layout, not content, and is skipped; trailing whitespace of a line
is not kept, since the writer joins Latin lines with one space before the ``lb``. Line numbers
restart on each page: a line is (page, ``lb/@n``), its page the ``pb`` in force, so the pages of
an issue or of an article on several pages are recovered one by one, in the order their first
``pb`` stands, and two pages' lines are never merged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .write.tei_xml import TEI_NS

_T = "{" + TEI_NS + "}"
_LB = _T + "lb"
_PB = _T + "pb"
#: Containers whose content model is element-only: whitespace between their children is layout.
_ELEMENT_ONLY = frozenset(_T + name for name in ("body", "div", "text", "front", "back", "group"))
_BODY = etree.XPath("/t:TEI/t:text/t:body", namespaces={"t": TEI_NS})


class NoLinesError(ValueError):
    """The document has no TEI body to take lines from, or an ``lb/@n`` is not a number."""


class NoSuchPageError(LookupError):
    """No ``pb`` of the document names the page asked for."""

    def __init__(self, page: str, pages: list[str]) -> None:
        known = ", ".join(pages) if pages else "none"
        super().__init__(f"no page {page!r} in the document (its pages: {known})")
        self.page = page
        self.pages = pages


@dataclass(frozen=True)
class PageLines:
    """The lines recovered for one page: its ``pb/@n`` (None for a ``pb`` without one, or for
    text before any ``pb``) and its lines by number."""

    number: str | None
    lines: dict[int, str]


def recover_pages(root: etree._Element, *, strip: bool = True) -> list[PageLines]:
    """The lines of each page of the body, pages in the order their first ``pb`` stands.

    A ``pb`` naming a page seen before (an article's fragments on one page, written apart)
    goes on with that page; a ``pb`` without ``@n`` opens a page of its own. Text before any
    ``lb`` of a page is returned under line 0 (it was not in the input) unless it is only
    white space. ``strip=False`` keeps trailing white space, including a space the writer
    added to join two Latin lines.
    """
    bodies = _BODY(root)
    if not isinstance(bodies, list) or not bodies:
        raise NoLinesError("no TEI text/body element")
    body = bodies[0]
    assert isinstance(body, etree._Element)
    # Each page's text chunks by line number, pages in the order they are opened; text before
    # the first pb is a page without a number (kept only if it holds something).
    pages: list[tuple[str | None, dict[int, list[str]]]] = [(None, {})]
    by_number: dict[str, dict[int, list[str]]] = {}
    parts = pages[0][1]
    current = 0
    for kind, value in _walk(body):
        if kind == "pb":
            known = by_number.get(value) if value else None
            if known is None:
                known = {}
                pages.append((value or None, known))
                if value:
                    by_number[value] = known
            parts, current = known, 0
        elif kind == "lb":
            if not value.isdigit():
                raise NoLinesError(f"lb/@n={value!r} is not a line number")
            current = int(value)
            parts.setdefault(current, [])
        else:
            parts.setdefault(current, []).append(value)
    out: list[PageLines] = []
    for index, (number, chunks) in enumerate(pages):
        lines = {n: "".join(texts) for n, texts in chunks.items()}
        if strip:
            lines = {n: text.rstrip() for n, text in lines.items()}
        if 0 in lines and not lines[0].strip():
            del lines[0]
        if index == 0 and not lines and len(pages) > 1:
            continue  # nothing stood before the first pb
        out.append(PageLines(number, lines))
    return out


def recover_lines(root: etree._Element, *, strip: bool = True) -> dict[int, str]:
    """Map line number → text of that line, for a document of one page (a page document).

    Of a document of several pages, the lines of all its pages in one map (a later page's line
    replacing an earlier page's line of the same number): use :func:`recover_pages` there.
    Text that stands before any ``lb`` is returned under line 0 (it was not in the input).
    """
    lines: dict[int, str] = {}
    for page in recover_pages(root, strip=strip):
        lines.update(page.lines)
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
        elif child.tag == _PB:
            yield "pb", child.get("n", "")
        else:
            yield from _walk(child)
        if child.tail and not (layout and not child.tail.strip()):
            yield "text", child.tail


def page_lines(root: etree._Element, page: str | None = None) -> list[tuple[int, str]]:
    """The recovered lines (line number, text): page by page in page order, each page's lines
    in input order; only those of the page whose ``pb/@n`` is ``page`` when it is given.

    Raises :class:`NoSuchPageError` when no ``pb`` names ``page``.
    """
    pages = recover_pages(root)
    if page is not None:
        wanted = page.strip().casefold()  # page labels are written in capitals: A3
        chosen = [p for p in pages if p.number is not None and p.number.casefold() == wanted]
        if not chosen:
            raise NoSuchPageError(page, [p.number for p in pages if p.number])
        pages = chosen
    return [item for p in pages for item in sorted(p.lines.items())]
