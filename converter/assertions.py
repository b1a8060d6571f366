"""The bundled schema's XSD 1.1 assertions on lines and links, checked on an lxml tree.

libxml2 speaks XSD 1.0: the fast validation path takes the schema's ``xs:assert`` elements
out, and must check what they say some other way. This module checks, in one pass each, the
assertions of ``newspaper-tei.xsd`` beyond the one that pointers resolve:

- no ``lb/@n`` repeats within a page (the lines of every ``pb`` of one ``@n``; those before
  the first ``pb``), contract §4;
- only an article's ``div`` carries ``@next``/``@prev``, and they and a continuation's
  ``@target`` point at another article's ``div``, never at the fragment itself (contract §3);
- a continuation's ``ref`` has a ``@subtype``, a cross-reference's (``crossref``) neither a
  ``@subtype`` nor a ``@target`` (contract §3, §5).

It finds the same documents invalid as the assertions do (tested against the XSD 1.1 path),
each problem with its line where the tree has one.
"""

from __future__ import annotations

from lxml import etree

__all__ = ["check"]

_TEI = "{http://www.tei-c.org/ns/1.0}"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_BODY, _PB, _LB, _DIV, _REF = (_TEI + n for n in ("body", "pb", "lb", "div", "ref"))


def check(root: etree._Element) -> list[tuple[int | None, str]]:
    """Problems (line, message) with the assertions on lines and links (module docstring)."""
    return _repeated_lines(root) + _bad_links(root) + _bad_refs(root)


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else None


_NS = {"t": _TEI[1:-1]}
#: The line numbers below an element, as libxml2 reads them (no element objects are made).
_LINE_NUMBERS = etree.XPath("descendant::t:lb/@n", namespaces=_NS, smart_strings=False)


def _repeated_lines(root: etree._Element) -> list[tuple[int | None, str]]:
    problems: list[tuple[int | None, str]] = []
    for body in root.iter(_BODY):
        pbs = sum(1 for child in body if child.tag == _PB)
        if pbs == 1 and len(body) and body[0].tag == _PB:
            # A document of one page (most are): its line numbers all at once.
            found = _LINE_NUMBERS(body)
            assert isinstance(found, list)
            if len(set(found)) == len(found):
                continue
        problems.extend(_repeated_in(body))
    return problems


def _repeated_in(body: etree._Element) -> list[tuple[int | None, str]]:
    """Each line whose number another line of its page has before it. A line's page is the
    @n of the pb in force ("" for a pb without one), None before the first pb."""
    problems: list[tuple[int | None, str]] = []
    pages: dict[str | None, set[str]] = {None: set()}
    numbers = pages[None]
    page: str | None = None
    for element in body.iter(_PB, _LB):
        if element.tag == _PB:
            if element.getparent() is body:  # elsewhere the schema refuses it
                page = element.get("n", "")
                numbers = pages.setdefault(page, set())
            continue
        n = element.get("n", "")
        if n in numbers:
            where = "before the first pb" if page is None else f"of page {page!r}"
            problems.append((_line(element), f"lb/@n={n!r} repeats a line number {where}"))
        numbers.add(n)
    return problems


_ALL_IDS = etree.XPath("//@xml:id", smart_strings=False)


def _ids(root: etree._Element) -> set[str]:
    found = _ALL_IDS(root)
    return {str(value) for value in found} if isinstance(found, list) else set()


def _bad_links(root: etree._Element) -> list[tuple[int | None, str]]:
    linking = [
        el
        for el in root.iter(_DIV, _REF)
        if el.get("next") is not None or el.get("prev") is not None or el.get("target")
    ]
    if not linking:
        return []
    divs = {d.get(_XML_ID): d for d in root.iter(_DIV) if d.get(_XML_ID) is not None}
    problems: list[tuple[int | None, str]] = []
    known: list[set[str]] = []  # every xml:id, once asked for

    def target_problem(pointer: str, own: str | None) -> str | None:
        target = divs.get(pointer[1:]) if pointer.startswith("#") else None
        if own is not None and pointer[1:] == own:
            return f"{pointer} points at the fragment itself"
        if target is None:
            if not known:
                known.append(_ids(root))
            if pointer[1:] in known[0]:
                return f"{pointer} points at an element that is not a div"
            return None  # nothing has that id: a dangling pointer, reported as such elsewhere
        if target.get("type") != "article":
            return f"{pointer} points at a div of type {target.get('type')!r}, not an article"
        return None

    for div in (el for el in linking if el.tag == _DIV):
        own = div.get(_XML_ID)
        for name in ("next", "prev"):
            pointer = div.get(name)
            if pointer is None:
                continue
            if div.get("type") != "article":
                problems.append(
                    (_line(div), f"div type={div.get('type')!r} has @{name}: only articles link")
                )
                continue
            problem = target_problem(pointer, own)
            if problem is not None:
                problems.append((_line(div), f"div xml:id={own!r}: @{name}={problem}"))
    for ref in (el for el in linking if el.tag == _REF):
        pointer = ref.get("target")
        if pointer is None or ref.get("type") != "continuation":
            continue
        article = next((a for a in ref.iterancestors(_DIV) if a.get("type") == "article"), None)
        problem = target_problem(pointer, article.get(_XML_ID) if article is not None else None)
        if problem is not None:
            problems.append((_line(ref), f"ref @target={problem}"))
    return problems


def _bad_refs(root: etree._Element) -> list[tuple[int | None, str]]:
    """Each ``ref`` whose attributes do not fit its type (a type the schema does not know is
    reported by the schema)."""
    problems: list[tuple[int | None, str]] = []
    for ref in root.iter(_REF):
        kind = " ".join((ref.get("type") or "").split())  # a token: spaces collapse
        if kind == "continuation" and ref.get("subtype") is None:
            problems.append((_line(ref), "ref type='continuation' has no @subtype"))
        elif kind != "continuation":
            extra = [f"@{name}" for name in ("subtype", "target") if ref.get(name) is not None]
            if extra:
                problems.append((_line(ref), f"ref type={kind!r} has {' and '.join(extra)}"))
    return problems
