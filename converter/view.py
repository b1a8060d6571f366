"""What an HTML view shows, read back from a TEI document the converter wrote.

The view is built from the TEI alone (and the diagnostics of the run's JSON report when there
is one), so that it shows what a reader of the output gets, not what the converter meant:
pages from ``pb``, stories from the body's ``div`` elements, their headlines, bylines,
datelines and continuation references from the elements they became, each line from its
``lb`` (contract §4) and its box from the ``zone`` that ``lb/@facs`` points at (contract §5).
The HTML itself is written by :mod:`converter.write.html_view`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import NotTeiError
from .write.tei_xml import TEI_NS, XML_ID, XML_LANG

_T = "{" + TEI_NS + "}"
#: Top-level body elements that are not a division but hold lines of the page.
_FW = _T + "fw"
#: What an inline element of the body marks on the text it holds: CSS-friendly kinds.
_KINDS = {
    _T + "head": "head",
    _T + "byline": "byline",
    _T + "dateline": "dateline",
    _T + "persName": "person",
    _T + "placeName": "place",
    _T + "orgName": "org",
    _T + "date": "date",
    _T + "trailer": "trailer",
    _T + "note": "note",
    _T + "fw": "fw",
}
#: The colour-blind-safe palette of the stories (Okabe and Ito, 2008), black left out: stories
#: next to each other in reading order never share a colour.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
#: Image files a browser shows, by their endings; others (JP2, TIFF) are named but not shown.
_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)
_PAGE_PREFIX = re.compile(r"^page (\S+): ")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """A run of a line's text and what marks it (``head``, ``byline``, ``jump`` …); a
    continuation reference's partner fragment in ``target`` (its xml:id) when it has one."""

    text: str
    kinds: tuple[str, ...] = ()
    target: str | None = None
    note: str | None = None  # a tooltip: a person's role, a date's value


@dataclass
class Line:
    """One input line: its page and ``lb/@n``, its box in percent of the page (left, top,
    width, height) when it has a zone, and its text. A ``part`` is the rest of a line that
    ran on into the next division without a new ``lb``: it is not a line of its own."""

    page: str
    n: str
    box: tuple[float, float, float, float] | None = None
    segments: list[Segment] = field(default_factory=list)
    part: bool = False

    @property
    def key(self) -> str:
        return f"{self.page}:{self.n}"

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(sorted({k for s in self.segments for k in s.kinds}))

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class Block:
    """A top-level element of the body on a page: a division (a story when it is an
    article with an xml:id) or a running head, with its lines in document order."""

    kind: str  # "story", "division" or "fw"
    type: str
    xml_id: str | None
    lines: list[Line] = field(default_factory=list)
    story: str | None = None  # the xml:id of the article's first fragment
    colour: int | None = None  # index in PALETTE
    prev: str | None = None
    next: str | None = None


@dataclass
class PageView:
    label: str  # pb/@n, else its ordinal
    width: int | None = None  # the surface's extent, when the page has one
    height: int | None = None
    image: str | None = None  # an image the browser can show (data: URI or a given URL)
    image_note: str | None = None  # why a named image is not shown
    blocks: list[Block] = field(default_factory=list)

    def lines(self) -> Iterator[Line]:
        for block in self.blocks:
            yield from block.lines


@dataclass(frozen=True)
class Story:
    """An article: its fragments in reading order and what its panel lists."""

    id: str
    title: str
    authors: tuple[tuple[str, str], ...]
    date: str | None
    datelines: tuple[str, ...]
    fragments: tuple[tuple[str, str], ...]  # (page, xml:id)
    colour: int

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(page for page, _ in self.fragments))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "authors": [{"name": n, "role": r} for n, r in self.authors],
            "date": self.date,
            "datelines": list(self.datelines),
            "pages": list(self.pages),
            "fragments": [{"page": p, "id": i} for p, i in self.fragments],
        }


@dataclass(frozen=True)
class Finding:
    """A diagnostic of the run, placed on its page and line when they are known."""

    page: str | None
    line: int | None
    code: str
    message: str
    severity: str

    @property
    def key(self) -> str | None:
        if self.page is None or self.line is None:
            return None
        return f"{self.page}:{self.line}"


@dataclass
class View:
    title: str
    paper: str | None
    date: str | None
    lang: str | None
    pages: list[PageView]
    stories: list[Story]
    findings: list[Finding]
    unresolved: int
    has_report: bool

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def line_count(self) -> int:
        return sum(1 for p in self.pages for line in p.lines() if not line.part)


# --- reading ---------------------------------------------------------------------------------


def parse_tei(data: bytes, where: str | Path) -> etree._Element:
    """The root of a TEI document; NotTeiError when it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotTeiError(f"not well-formed XML: {exc.msg}", path=where, line=exc.lineno) from None
    if root.tag != _T + "TEI" or root.find(f"{_T}text/{_T}body") is None:
        raise NotTeiError("not a TEI document with a text body", path=where)
    return root


def read_report(data: bytes) -> list[dict[str, Any]] | None:
    """The diagnostics of a report JSON (``convert --report`` or an issue's report.json),
    each with the page it is on (``page``: its label, None when unknown); None when the JSON
    is not such a report."""
    try:
        report = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return report_findings(report)


def report_findings(report: Any) -> list[dict[str, Any]] | None:
    """The diagnostics of a report as parsed JSON (see :func:`read_report`)."""
    if not isinstance(report, dict):
        return None
    found: list[dict[str, Any]] = []
    if isinstance(report.get("pages"), list) and isinstance(report.get("issue_diagnostics"), list):
        for ordinal, page in enumerate(report["pages"], 1):
            if not isinstance(page, dict):
                return None
            label = page.get("page") or str(ordinal)
            found.extend({**d, "page": str(label)} for d in _items(page.get("diagnostics")))
        for item in _items(report["issue_diagnostics"]):
            # Issue diagnostics name their page in the message ("page 2: …").
            m = _PAGE_PREFIX.match(str(item.get("message", "")))
            found.append({**item, "page": m.group(1) if m else None})
        return found
    if isinstance(report.get("diagnostics"), list):
        return [{**d, "page": None} for d in _items(report["diagnostics"])]
    return None


def _items(value: Any) -> list[dict[str, Any]]:
    return [d for d in value if isinstance(d, dict)] if isinstance(value, list) else []


def find_report(tei_file: Path) -> Path | None:
    """The report JSON beside a TEI file: ``NAME.json`` (``convert --report``), else the
    ``report.json`` of an issue folder; only one that reads as a report counts (a PaddleOCR
    page ``p1.json`` beside ``p1.xml`` does not)."""
    for candidate in (tei_file.with_suffix(".json"), tei_file.parent / "report.json"):
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if read_report(data) is not None:
            return candidate
    return None


def load_image(reference: str, bases: Sequence[Path]) -> tuple[str | None, str | None]:
    """A page image for the view: (what ``img/@src`` gets, why it is not shown). A local file
    (found as given or relative to one of ``bases``) a browser can show is embedded, so the
    view stays one file; a URL is kept as it is (the browser fetches it)."""
    if _REMOTE.match(reference):
        return reference, None
    path = Path(reference)
    candidates = [path] if path.is_absolute() else [base / path for base in bases]
    for candidate in candidates:
        if candidate.is_file():
            mime = _IMAGE_TYPES.get(candidate.suffix.lower())
            if mime is None:
                return None, f"{reference}: a browser cannot show this kind of image"
            try:
                data = candidate.read_bytes()
            except OSError as exc:
                return None, f"{reference}: cannot read: {exc.strerror or exc}"
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", None
    return None, f"{reference}: not found beside the document"


def build_view(
    root: etree._Element,
    *,
    findings: Sequence[Mapping[str, Any]] | None = None,
    titles: Mapping[str, str] | None = None,
    images: Sequence[str] = (),
    image_bases: Sequence[Path] = (),
) -> View:
    """The view of a TEI document (its root): pages, stories, lines, and the ``findings`` of
    its report (from :func:`read_report`; None: no report). ``titles`` are articles' titles
    by xml:id (an issue's manifest); ``images`` are given page images in page order, over
    those ``graphic/@url`` names (looked for relative to ``image_bases``)."""
    header = _Header(root)
    zones = _zones(root)
    body = root.find(f"{_T}text/{_T}body")
    assert body is not None  # parse_tei checked it
    pages = _Reader(zones).read(body)
    for ordinal, page in enumerate(pages):
        surface = zones.surface_of.get(page.label)
        reference = images[ordinal] if ordinal < len(images) else None
        bases: tuple[Path, ...] = (Path.cwd(),)  # a given image: named as the user sees it
        if surface is not None:
            page.width, page.height = surface.width, surface.height
            if reference is None and surface.image is not None:
                reference, bases = surface.image, tuple(image_bases)
                if _REMOTE.match(reference):
                    # Only an image URL given to the view is fetched: the view of a document
                    # fetches nothing on its own.
                    page.image_note = f"{reference}: a URL (give it with --image to show it)"
                    continue
        if reference is not None:
            page.image, page.image_note = load_image(reference, bases)
    stories = _stories(pages, header, titles or {})
    placed = [_finding(d, pages) for d in findings] if findings is not None else []
    unresolved = sum(
        1
        for page in pages
        for line in page.lines()
        for s in line.segments
        if "jump" in s.kinds and s.target is None
    )
    return View(
        title=header.title,
        paper=header.paper,
        date=header.date,
        lang=header.lang,
        pages=pages,
        stories=stories,
        findings=placed,
        unresolved=unresolved,
        has_report=findings is not None,
    )


class _Header:
    def __init__(self, root: etree._Element) -> None:
        def text(path: str) -> str | None:
            element = root.find(path)
            if element is None:
                return None
            return _SPACES.sub(" ", "".join(map(str, element.itertext()))).strip() or None

        file_desc = f"{_T}teiHeader/{_T}fileDesc"
        monogr = f"{file_desc}/{_T}sourceDesc/{_T}biblStruct/{_T}monogr"
        self.title = text(f"{file_desc}/{_T}titleStmt/{_T}title") or "TEI document"
        self.paper = text(f"{monogr}/{_T}title")
        date = root.find(f"{monogr}/{_T}imprint/{_T}date")
        self.date = date.get("when") if date is not None else None
        self.lang = root.get(XML_LANG)


@dataclass(frozen=True)
class _Surface:
    width: int
    height: int
    image: str | None


@dataclass
class _Zones:
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    surfaces: dict[str, _Surface] = field(default_factory=dict)  # by xml:id
    surface_of: dict[str, _Surface] = field(default_factory=dict)  # by page label


def _number(element: etree._Element, name: str) -> float:
    try:
        return float(element.get(name, "0"))
    except ValueError:
        return 0.0


def _zones(root: etree._Element) -> _Zones:
    """Each zone's box in percent of its surface's extent (so the page scales with the
    window), and each surface's extent and image."""
    found = _Zones()
    for surface in root.iterfind(f"{_T}facsimile/{_T}surface"):
        sx, sy = _number(surface, "ulx"), _number(surface, "uly")
        width, height = _number(surface, "lrx") - sx, _number(surface, "lry") - sy
        if width <= 0 or height <= 0:
            continue
        graphic = surface.find(f"{_T}graphic")
        image = graphic.get("url") if graphic is not None else None
        sid = surface.get(XML_ID)
        if sid:
            found.surfaces[sid] = _Surface(int(width), int(height), image)
        for zone in surface.iterfind(f"{_T}zone"):
            zid = zone.get(XML_ID)
            if not zid:
                continue
            left, top = _number(zone, "ulx") - sx, _number(zone, "uly") - sy
            right, bottom = _number(zone, "lrx") - sx, _number(zone, "lry") - sy
            found.boxes[zid] = (
                100 * left / width,
                100 * top / height,
                100 * max(right - left, 0) / width,
                100 * max(bottom - top, 0) / height,
            )
    return found


class _Reader:
    """Walks the body in document order: ``pb`` opens a page, each top-level element a
    block, each ``lb`` a line; text goes to the line in force (contract §4)."""

    def __init__(self, zones: _Zones) -> None:
        self.zones = zones
        self.pages: list[PageView] = []
        self.block: Block | None = None
        self.line: Line | None = None
        self.line_block: Block | None = None  # the block the line in force belongs to

    def read(self, body: etree._Element) -> list[PageView]:
        for child in body:
            if not isinstance(child.tag, str):
                continue
            if child.tag == _T + "pb":
                self._page(child)
                continue
            page = self.pages[-1] if self.pages else self._page(None)
            if child.tag == _FW:
                self.block = Block("fw", child.get("type") or "header", None)
            else:
                local = etree.QName(child).localname
                kind_type = child.get("type") or local
                xml_id = child.get(XML_ID)
                is_story = local == "div" and kind_type == "article" and xml_id is not None
                self.block = Block(
                    "story" if is_story else "division",
                    kind_type,
                    xml_id,
                    prev=_pointer(child.get("prev")),
                    next=_pointer(child.get("next")),
                )
            page.blocks.append(self.block)
            self._walk(child, (), None)
        return self.pages

    def _page(self, pb: etree._Element | None) -> PageView:
        label = (pb.get("n") if pb is not None else None) or str(len(self.pages) + 1)
        page = PageView(label)
        facs = _pointer(pb.get("facs")) if pb is not None else None
        if facs is not None and facs in self.zones.surfaces:
            self.zones.surface_of[label] = self.zones.surfaces[facs]
        self.pages.append(page)
        self.line = self.line_block = None
        return page

    def _walk(
        self, element: etree._Element, kinds: tuple[str, ...], inherited: _Ref | None
    ) -> None:
        kinds, ref, note = _marks(element, kinds, inherited)
        layout = element.tag in (_T + "div", _T + "body")  # element-only: spaces are layout
        self._text(element.text, kinds, ref, note, layout)
        for child in element:
            if isinstance(child.tag, str):
                if child.tag == _T + "lb":
                    self._lb(child)
                elif child.tag != _T + "cb":
                    self._walk(child, kinds, ref)
            self._text(child.tail, kinds, ref, note, layout)

    def _lb(self, lb: etree._Element) -> None:
        assert self.block is not None
        page = self.pages[-1]
        facs = _pointer(lb.get("facs"))
        box = self.zones.boxes.get(facs) if facs is not None else None
        self.line = Line(page.label, lb.get("n") or "?", box)
        self.block.lines.append(self.line)
        self.line_block = self.block

    def _text(
        self,
        text: str | None,
        kinds: tuple[str, ...],
        ref: _Ref | None,
        note: str | None,
        layout: bool,
    ) -> None:
        if not text or (layout and not text.strip()):
            return
        assert self.block is not None
        line = self.line
        if line is None or self.line_block is not self.block:
            # Text before a page's first lb, or a line running on into the next division.
            page = self.pages[-1]
            n = line.n if line is not None else "0"
            line = Line(page.label, n, line.box if line is not None else None, part=True)
            self.block.lines.append(line)
            self.line, self.line_block = line, self.block
        all_kinds = kinds + (ref.kinds if ref is not None else ())
        target = ref.target if ref is not None else None
        segments = line.segments
        last = segments[-1] if segments else None
        if last and (last.kinds, last.target, last.note) == (all_kinds, target, note):
            segments[-1] = Segment(last.text + text, all_kinds, target, note)
            return
        segments.append(Segment(text, all_kinds, target, note))


@dataclass(frozen=True)
class _Ref:
    kinds: tuple[str, ...]
    target: str | None


def _marks(
    element: etree._Element, kinds: tuple[str, ...], ref: _Ref | None
) -> tuple[tuple[str, ...], _Ref | None, str | None]:
    """The kinds that ``element`` adds to its text, the continuation reference it is or is
    in, and its tooltip."""
    tag = element.tag
    note = None
    if tag == _T + "ref":
        kind = element.get("type")
        if kind == "continuation":
            subtype = element.get("subtype") or "next"
            return kinds, _Ref(("jump", "jump-" + subtype), _pointer(element.get("target"))), None
        return (*kinds, "crossref"), ref, None
    kind = _KINDS.get(str(tag))
    if kind is None:
        return kinds, ref, None
    extra = [kind]
    if kind in ("head", "fw") and element.get("type"):
        extra.append(f"{kind}-{element.get('type')}")
    if kind == "person":
        note = element.get("role")
    elif kind == "date":
        note = element.get("when")
    return (*kinds, *extra), ref, note


def _pointer(value: str | None) -> str | None:
    """The xml:id a local pointer (``#p2-a1``) names."""
    if value is None or not value.startswith("#") or len(value) < 2:
        return None
    return value[1:]


def _stories(pages: list[PageView], header: _Header, titles: Mapping[str, str]) -> list[Story]:
    """The articles as chains of fragments (``@next`` from one with no ``@prev`` in the
    document), coloured in reading order; each fragment block learns its story."""
    blocks: dict[str, tuple[str, Block]] = {}
    for page in pages:
        for block in page.blocks:
            if block.kind == "story" and block.xml_id and block.xml_id not in blocks:
                blocks[block.xml_id] = (page.label, block)
    stories: list[Story] = []
    for xml_id, (_, block) in blocks.items():
        if block.story is not None or (block.prev is not None and block.prev in blocks):
            continue
        chain: list[tuple[str, Block]] = []
        current: str | None = xml_id
        while current is not None and current in blocks and blocks[current][1].story is None:
            label, fragment = blocks[current]
            fragment.story = xml_id
            chain.append((label, fragment))
            current = fragment.next
        stories.append(_story(xml_id, chain, header, titles, len(stories)))
    for xml_id, (label, block) in blocks.items():
        if block.story is None:  # on a cycle of @prev/@next: each fragment on its own
            block.story = xml_id
            stories.append(_story(xml_id, [(label, block)], header, titles, len(stories)))
    colours = {story.id: story.colour for story in stories}
    for page in pages:
        for block in page.blocks:
            if block.story is not None:
                block.colour = colours[block.story]
    return stories


def _story(
    xml_id: str,
    chain: list[tuple[str, Block]],
    header: _Header,
    titles: Mapping[str, str],
    ordinal: int,
) -> Story:
    authors: list[tuple[str, str]] = []
    datelines: list[str] = []
    for _, block in chain:
        for line in block.lines:
            for segment in line.segments:
                if "person" in segment.kinds and "byline" in segment.kinds:
                    authors.append((segment.text.strip(), segment.note or "author"))
                if "date" in segment.kinds and "dateline" in segment.kinds and segment.note:
                    datelines.append(segment.note)
    title = titles.get(xml_id) or _headline(chain[0][1]) or xml_id
    return Story(
        id=xml_id,
        title=title,
        authors=tuple(dict.fromkeys(authors)),
        date=header.date,
        datelines=tuple(dict.fromkeys(datelines)),
        fragments=tuple((label, block.xml_id or "") for label, block in chain),
        colour=ordinal % len(PALETTE),
    )


def _headline(block: Block) -> str:
    """The text of a fragment's main headline (its first headline when none is main)."""
    for wanted in ("head-main", "head"):
        parts = [s.text for line in block.lines for s in line.segments if wanted in s.kinds]
        if parts:
            return _SPACES.sub(" ", "".join(parts)).strip()
    return ""


def _finding(item: Mapping[str, Any], pages: list[PageView]) -> Finding:
    labels = [p.label for p in pages]
    page = item.get("page")
    if page is None and len(labels) == 1:
        page = labels[0]
    line = item.get("line")
    return Finding(
        page=str(page) if page is not None and str(page) in labels else None,
        line=line if isinstance(line, int) else None,
        code=str(item.get("code", "")),
        message=str(item.get("message", "")),
        severity=str(item.get("severity", "warning")),
    )


def read_manifest_titles(data: bytes) -> dict[str, str]:
    """Articles' titles by xml:id from an issue's manifest.jsonl (bad lines are passed
    over: the titles are a nicety, the TEI has the headlines too)."""
    titles: dict[str, str] = {}
    for raw in data.decode("utf-8", "replace").splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("kind") == "article":
            xml_id, title = entry.get("xml_id"), entry.get("title")
            if isinstance(xml_id, str) and isinstance(title, str):
                titles[xml_id] = title
    return titles
