"""Issue conversion: the pages of one issue → issue TEI, article TEI documents, manifest, report.

Continuations are linked by evidence (contract §3): a "continued on page N" reference is paired
with a fragment on page N that says "continued from" this page, and among several such fragments
with the one that repeats this article's headline or shares most of its words — never by the
order in which fragments stand. A jump to a page not in the issue, or with two equally good
candidates, stays unresolved with a diagnostic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from .. import metadata
from ..analyse.attribution import tokens
from ..analyse.content import cut, line_at, reading_text
from ..analyse.page import HeadlineOption, analyse, page_title
from ..diagnostics import Diagnostic, Diagnostics
from ..errors import DecodeError, InputFileError, InvalidOutputError, MetadataError
from ..model import Block, Content, Division, Mark, Metadata, Page, Text
from ..pipeline import (
    choose_profile,
    created_date,
    legacy_encodings,
    profile_for_lang,
)
from ..profile import Profile
from ..read import mets
from ..read.formats import read_file
from ..write.tei import article_document, facsimile_units, issue_document, serialise
from . import catalogue
from .folders import date_in_path

ISSUE_FILE = "issue.toml"
#: The page files of an issue folder without a METS file, told by their names' endings (each
#: is then read by the reader its content calls for).
PAGE_SUFFIXES = (".txt", ".xml", ".json", ".hocr", ".html", ".htm")
#: Files in an issue folder that are the converter's own output, never pages.
OUTPUT_NAMES = frozenset(
    {"issue.xml", "report.json", "manifest.jsonl", "issue.mods.xml", "issue.dc.xml"}
)
#: The HTML views the converter writes beside its output (never pages, though .html is hOCR's).
VIEW_NAMES = frozenset({"view.html", "index.html"})
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


@dataclass(frozen=True)
class PageFile:
    """A page of an issue: its file, its number, and from a METS its image (for the
    facsimile) and why it cannot be read (a reference that was refused)."""

    path: Path
    number: str
    image: str | None = None
    problem: str | None = None
    #: A METS's article areas on this page: (article ordinal, first and last ALTO element ID;
    #: None: the whole file), in the order of the logical structMap.
    areas: tuple[tuple[int, str | None, str | None], ...] = ()


@dataclass(frozen=True)
class IssueInput:
    """What an issue folder holds: its metadata (METS, then issue.toml over it), its pages in
    order, the METS file when there is one, and what reading the METS noticed."""

    folder: Path
    meta: Metadata
    pages: tuple[PageFile, ...]
    mets: Path | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The METS segments the issue into articles (a logical structMap with article divisions).
    segmented: bool = False


@dataclass(frozen=True)
class Document:
    """One output document: where it goes and what the manifest says of it."""

    path: str  # relative to the issue's output folder, with "/" separators
    kind: str  # "issue" or "article"
    xml_id: str | None
    title: str
    authors: tuple[tuple[str, str], ...]
    pages: tuple[str, ...]
    data: bytes
    id: str = ""  # archive-wide (records.issue_id)
    describes: str | None = None  # a record: the id of the document it describes


@dataclass
class IssueResult:
    folder: Path
    meta: Metadata
    lang: str
    pages: list[Page]
    documents: list[Document]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed_pages: list[str] = field(default_factory=list)  # one message per page that failed
    mets: Path | None = None  # the issue's METS file, when it was read from one
    records: list[Document] = field(default_factory=list)  # catalogue records (MODS, DC, MARC)

    @property
    def articles(self) -> int:
        return sum(1 for d in self.documents if d.kind == "article")

    @property
    def unresolved(self) -> int:
        return sum(1 for d in self.all_diagnostics() if d.code.startswith("jump.unresolved"))

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.all_diagnostics() if d.severity == "warning")

    def all_diagnostics(self) -> Iterator[Diagnostic]:
        for page in self.pages:
            yield from page.diagnostics
        yield from self.diagnostics

    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = {"issue": str(self.folder)}
        if self.mets is not None:
            report["mets"] = self.mets.name
        return report | {
            "pages": [
                {
                    "file": page.source.name,
                    "page": page.meta.page,
                    "encoding": page.source.encoding,
                    "diagnostics": [d.as_dict() for d in page.diagnostics],
                }
                for page in self.pages
            ],
            "issue_diagnostics": [d.as_dict() for d in self.diagnostics],
        }

    def manifest(self, prefix: str = "") -> bytes:
        return catalogue.manifest(self, prefix)


def page_number(path: Path) -> str:
    """The page number of a page file: the last number in its name (p1, page-02, 0003)."""
    m = _LAST_NUMBER.search(path.stem)
    if m is None:
        raise MetadataError("no page number in the file name", path=path)
    value = int(m.group(1))
    if value == 0:
        raise MetadataError("page number 0 in the file name", path=path)
    return str(value)


def is_page_file(path: Path) -> bool:
    """Whether a file's name makes it a page of an issue folder without METS (by its ending;
    hidden files and the converter's own outputs are not pages)."""
    name = path.name
    return (
        not name.startswith(".")
        and name not in OUTPUT_NAMES
        and name not in VIEW_NAMES
        and path.suffix.lower() in PAGE_SUFFIXES
    )


def find_mets(folder: Path) -> Path | None:
    """The issue METS of a folder: its one XML file whose root is ``mets``; among several, the
    one named as the folder (NDNP: ``1878010301/1878010301.xml`` beside its second version
    ``1878010301_1.xml``). Several others are an error: which one is the issue is not known."""
    found = [
        p for p in sorted(folder.glob("*.xml")) if not p.name.startswith(".") and mets.is_mets(p)
    ]
    if len(found) <= 1:
        return found[0] if found else None
    named = [p for p in found if p.stem == folder.name]
    if named:
        return named[0]
    raise MetadataError(
        f"several METS files ({', '.join(p.name for p in found)}): name the issue's METS "
        "as its folder, or keep only one",
        path=folder,
    )


def discover(folder: Path, mets_file: Path | None = None) -> IssueInput:
    """The issue a folder holds: from its METS (``mets_file``, else the one :func:`find_mets`
    finds) when it has one, else from its page files; issue.toml values over either."""
    if not folder.exists():
        raise InputFileError("no such folder", path=folder)
    if not folder.is_dir():
        raise InputFileError("not a folder (an issue is a folder of pages)", path=folder)
    meta_file = folder / ISSUE_FILE
    values: dict[str, Any] | None = None
    if meta_file.is_file():
        values = metadata.read_meta_file(meta_file, metadata.ISSUE_KEYS)
        if "page" in values:
            raise MetadataError(
                "'page' belongs in the page file names, not in issue.toml", path=meta_file
            )
    if mets_file is None:
        mets_file = find_mets(folder)
    if mets_file is not None:
        issue = mets.read_issue(mets_file)
        meta = issue.meta
        if values is not None:
            meta = metadata.overlay(meta, metadata.build({}, values, source=str(meta_file)))
        pages = tuple(
            PageFile(
                page.text if page.text is not None else mets_file,
                page.number,
                page.image,
                page.problem,
                tuple(
                    (ordinal, area.begin, area.end)
                    for ordinal, article in enumerate(issue.articles)
                    for area in article.areas
                    if area.page == page.sequence
                ),
            )
            for page in issue.pages
        )
        if not pages:
            raise InputFileError("the METS file lists no pages", path=mets_file)
        return IssueInput(
            folder, meta, pages, mets_file, issue.diagnostics, segmented=bool(issue.articles)
        )
    seen: dict[str, Path] = {}
    found: list[PageFile] = []
    for path in sorted(folder.iterdir()):
        if not is_page_file(path) or not path.is_file():
            continue
        number = page_number(path)
        if number in seen:
            raise MetadataError(
                f"page {number} twice: {seen[number].name} and {path.name}", path=folder
            )
        seen[number] = path
        found.append(PageFile(path, number))
    if not found and values is None:
        raise MetadataError(
            f"no {ISSUE_FILE}, METS file or page files in the issue folder", path=folder
        )
    if not found:
        raise InputFileError(
            f"no page files ({', '.join('*' + s for s in PAGE_SUFFIXES)}) in the issue folder",
            path=folder,
        )
    found.sort(key=lambda p: int(p.number))
    meta = metadata.build({}, values, source=str(meta_file))
    notes = Diagnostics()
    if meta.date is None and (named := date_in_path(folder)) is not None:
        meta = replace(meta, date=named.date, edition=meta.edition or named.edition)
        notes.info("issue.date-from-name", None, f"date {named.date} from {named.name!r}")
    return IssueInput(folder, meta, tuple(found), diagnostics=notes.frozen())


def _read_page(page: PageFile, encoding: str | None, encodings: tuple[str, ...]) -> Text:
    """A page's text, its image (from a METS) set on its surface."""
    if page.problem is not None:
        raise DecodeError(page.problem, path=page.path)
    text = read_file(page.path, encoding, encodings)
    if page.image is not None and text.surface is not None:
        text = replace(text, surface=replace(text.surface, image=page.image))
    return text


def vendor_segments(
    text: Text,
    areas: Sequence[tuple[int, str | None, str | None]],
    diagnostics: Diagnostics,
) -> dict[int, int]:
    """Each line's article as a METS's logical structMap gives it (contract §6: vendor
    segmentation): line number → article ordinal. An area covers the ALTO blocks from the one
    its ``BEGIN`` names to the one its ``END`` names (its ``BEGIN`` alone when it has no
    ``END``; every block when it names neither), in document order; an ID that names no
    block of the page (a line's or word's) is reported and the area left out."""
    assert text.surface is not None
    ids = text.surface.region_ids
    where: dict[str, int] = {}
    for ordinal, names in enumerate(ids):
        for name in names:
            where.setdefault(name, ordinal)
    article_of: dict[int, int] = {}  # region ordinal → article
    for article, begin, end in areas:
        if begin is None:
            covered = range(len(ids))
        elif begin in where and (end is None or end in where):
            first, last = where[begin], where[end] if end is not None else where[begin]
            covered = range(min(first, last), max(first, last) + 1)
        else:
            missing = begin if begin not in where else end
            diagnostics.warn(
                "mets.area-unresolved",
                None,
                f"{text.name}: the METS names {missing!r}, no block of the page: "
                "that part of its article is left to the layout",
            )
            continue
        for region in covered:
            article_of.setdefault(region, article)
    return {
        line.number: article_of[line.region]
        for line in text.lines
        if line.region is not None and line.region in article_of
    }


def convert_issue(
    folder: Path,
    *,
    encoding: str | None = None,
    headlines: HeadlineOption = "auto",
    validate: bool = True,
    on_page: Callable[[], None] | None = None,
    profile: Profile | None = None,
    mets_file: Path | None = None,
    records: Sequence[str] = catalogue.DEFAULT_RECORDS,
    meta_options: Mapping[str, str | None] | None = None,
) -> IssueResult:
    """Convert every page of an issue folder and build its documents (nothing is written).
    A ``profile`` (``--profile``) serves every page instead of the one for its language;
    ``mets_file`` names the issue's METS (else the folder's own is found, if any); ``records``
    the catalogue records made of each document; ``meta_options`` metadata over the issue's."""
    found = discover(folder, mets_file)
    meta = found.meta
    if meta_options:
        meta = metadata.overlay(meta, metadata.build(meta_options, source="option"))
    pages: list[Page] = []
    segmented: list[dict[int, int]] = []  # each page's articles from a METS (line → article)
    lang = meta.lang
    failed: list[str] = []
    diagnostics = Diagnostics()
    diagnostics.extend(found.diagnostics)
    encodings = legacy_encodings(meta, profile)
    for page_file in found.pages:
        try:
            text = _read_page(page_file, encoding, encodings)
        except (InputFileError, DecodeError) as exc:
            # A broken or missing page does not stop the others; the issue is reported as failed.
            message = str(exc)
            if found.mets is not None:
                message += f" (page {page_file.number} in {found.mets.name})"
            failed.append(message)
            diagnostics.warn("page.failed", None, message)
            continue
        page_meta = replace(meta, page=page_file.number)
        page_lang, page_profile = choose_profile(page_meta, text, profile)
        lang = lang or page_lang
        segments = None
        if found.segmented and text.surface is not None:
            segments = vendor_segments(text, page_file.areas, diagnostics)
        pages.append(
            analyse(
                text, page_meta, page_lang, page_profile, headlines=headlines, segments=segments
            ).page
        )
        segmented.append(segments or {})
        if on_page is not None:
            on_page()
    if not pages:
        raise DecodeError(f"no page could be read ({failed[0]})", path=folder)
    if lang is None:
        lang = "und"
    pages = link_continuations(pages, diagnostics)
    if found.segmented:
        pages = link_vendor_articles(pages, segmented)
    profile = profile or profile_for_lang(lang)
    title = page_title(replace(meta, page=None), profile, folder.name)
    created = created_date()
    language_name = profile.name_for(lang)
    documents: list[Document] = []
    issue_root, written = issue_document(
        title=title,
        meta=meta,
        lang=lang,
        language_name=language_name,
        pages=pages,
        created=created,
    )
    made: list[Document] = []  # catalogue records
    documents.append(
        _with_records(
            Document(
                "issue.xml",
                "issue",
                None,
                title,
                (),
                tuple(p.meta.page or "" for p in pages),
                _checked(issue_root, folder / "issue.xml", validate),
            ),
            issue_root,
            records,
            made,
        )
    )
    # Each article document holds copies of the division elements the issue document's writer
    # made from the article's divisions: each division of the model is written once.
    units = facsimile_units(pages)
    for chain in article_chains(pages):
        first = chain[0][1]
        headline = main_headline(first)
        authors = tuple(a for _, d in chain for a in byline_authors(d))
        doc_title = headline or f"{title} {first.xml_id}"
        article_root = article_document(
            title=doc_title,
            headline=headline,
            authors=authors,
            meta=meta,
            lang=lang,
            language_name=language_name,
            fragments=[(number, written[d.xml_id or ""]) for number, d in chain],
            surfaces=written,
            units=units,
            created=created,
        )
        rel = f"articles/{first.xml_id}.xml"
        documents.append(
            _with_records(
                Document(
                    rel,
                    "article",
                    first.xml_id,
                    doc_title,
                    authors,
                    tuple(dict.fromkeys(p for p, _ in chain)),
                    _checked(article_root, folder / rel, validate),
                ),
                article_root,
                records,
                made,
                documents[0].id,
            )
        )
    return IssueResult(
        folder, meta, lang, pages, documents, diagnostics.frozen_list(), failed, found.mets, made
    )


def _with_records(
    document: Document,
    root: etree._Element,
    formats: Sequence[str],
    made: list[Document],
    issue: str | None = None,
) -> Document:
    """The document with its archive-wide id (an article's below its ``issue``'s); its
    catalogue records appended to ``made``."""
    item, files = catalogue.record_files(root, document.path, formats, issue)
    made.extend(
        replace(document, path=path, kind=fmt, data=data, id="", describes=item.id)
        for path, fmt, data in files
    )
    return replace(document, id=item.id)


def _checked(root: etree._Element, where: Path, validate: bool) -> bytes:
    """The bytes of the document ``root``, validated first unless ``validate`` is false."""
    if validate:
        from ..validate import validate_tree

        problems = validate_tree(root)
        if problems:
            raise InvalidOutputError(
                f"the converter built a document its schema rejects: {problems[0].message}; "
                "nothing written",
                path=where,
            )
    return serialise(root)


# --- continuations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ref:
    page: int  # index in pages
    div: int  # index in the page's divisions
    subtype: str
    n: str | None
    line: int  # the input line of the reference itself, on its page


def _refs(division: Division) -> Iterator[tuple[Mark, int]]:
    """The continuation references of a division, each with its own input line."""
    for block in division.blocks():
        for mark in block.content.marks:
            if mark.tag == "ref" and mark.attr("type") == "continuation":
                yield mark, line_at(block.content, mark.start)


def _division_text(division: Division, heads_only: bool = False) -> str:
    return "".join(b.content.text for b in division.blocks() if not heads_only or b.tag == "head")


def link_continuations(pages: list[Page], diagnostics: Diagnostics) -> list[Page]:
    """Pair "continued on" and "continued from" references across pages (module docstring)."""
    by_number = {p.meta.page: i for i, p in enumerate(pages)}
    refs: list[_Ref] = []
    for pi, page in enumerate(pages):
        for di, division in enumerate(page.divisions):
            if division.type != "article":
                continue
            for mark, line in _refs(division):
                refs.append(_Ref(pi, di, mark.attr("subtype") or "", mark.attr("n"), line))
    nexts = [r for r in refs if r.subtype == "next"]
    prevs = [r for r in refs if r.subtype == "prev"]
    pairs: list[tuple[float, _Ref, _Ref]] = []
    for ref in nexts:
        if ref.n is None or ref.n not in by_number:
            where = (
                "has no usable page number"
                if ref.n is None
                else f"page {ref.n} is not in this issue"
            )
            diagnostics.warn(
                "jump.unresolved",
                ref.line,
                f"page {pages[ref.page].meta.page}: continuation {where}",
            )
            continue
        target = by_number[ref.n]
        here = pages[ref.page].meta.page
        candidates = [p for p in prevs if p.page == target and (p.n is None or p.n == here)]
        if not candidates:
            diagnostics.warn(
                "jump.unresolved",
                ref.line,
                f"page {here}: no fragment on page {ref.n} continues this article",
            )
            continue
        source = pages[ref.page].divisions[ref.div]
        scored = sorted(
            ((_affinity(source, pages[c.page].divisions[c.div]), c) for c in candidates),
            key=lambda sc: -sc[0],
        )
        if len(scored) > 1 and abs(scored[0][0] - scored[1][0]) < 1e-9:
            diagnostics.warn(
                "jump.unresolved.ambiguous",
                ref.line,
                f"page {here}: two fragments on page {ref.n} fit equally well",
            )
            continue
        pairs.extend((score, ref, cand) for score, cand in scored)
    # Best pairs first; each reference is used once.
    pairs.sort(key=lambda t: (-t[0], t[1].page, t[1].div, t[2].page, t[2].div))
    used_next: set[tuple[int, int]] = set()
    used_prev: set[tuple[int, int]] = set()
    links: list[tuple[_Ref, _Ref]] = []
    for _, nxt, prv in pairs:
        a, b = (nxt.page, nxt.div), (prv.page, prv.div)
        if a in used_next or b in used_prev:
            continue
        used_next.add(a)
        used_prev.add(b)
        links.append((nxt, prv))
    for nxt in dict.fromkeys(r for _, r, _ in pairs):
        if (nxt.page, nxt.div) not in used_next:
            # Its candidates continue other articles better: it keeps no target, and says so.
            diagnostics.warn(
                "jump.unresolved",
                nxt.line,
                f"page {pages[nxt.page].meta.page}: no fragment on page {nxt.n} continues "
                "this article (those there continue other articles)",
            )
    for prv in prevs:
        if (prv.page, prv.div) not in used_prev:
            diagnostics.warn(
                "jump.unresolved",
                prv.line,
                f"page {pages[prv.page].meta.page}: no article on page {prv.n or '?'} "
                "continues here",
            )
    new_divs = [list(p.divisions) for p in pages]
    for nxt, prv in links:
        src = new_divs[nxt.page][nxt.div]
        dst = new_divs[prv.page][prv.div]
        src_id, dst_id = src.xml_id or "", dst.xml_id or ""
        new_divs[nxt.page][nxt.div] = replace(
            _set_targets(src, "next", "#" + dst_id), next="#" + dst_id
        )
        new_divs[prv.page][prv.div] = replace(
            _set_targets(dst, "prev", "#" + src_id), prev="#" + src_id
        )
    return [replace(p, divisions=tuple(d)) for p, d in zip(pages, new_divs, strict=True)]


def link_vendor_articles(pages: list[Page], segments: list[dict[int, int]]) -> list[Page]:
    """Link the fragments of each article a METS gives on several pages (contract §6): the
    first division of the article on a page to the first on the next page it reaches, by
    ``@next``/``@prev``, where no continuation reference linked them already."""
    fragments: dict[int, list[tuple[int, int]]] = {}  # article → (page, division), page order
    for pi, page in enumerate(pages):
        seen: set[int] = set()
        for di, division in enumerate(page.divisions):
            article = segments[pi].get(division.first_line)
            if division.type == "article" and article is not None and article not in seen:
                seen.add(article)
                fragments.setdefault(article, []).append((pi, di))
    new_divs = [list(p.divisions) for p in pages]
    for chain in fragments.values():
        for (pa, da), (pb, db) in itertools.pairwise(chain):
            src, dst = new_divs[pa][da], new_divs[pb][db]
            if src.next is None and dst.prev is None and src.xml_id and dst.xml_id:
                new_divs[pa][da] = replace(src, next="#" + dst.xml_id)
                new_divs[pb][db] = replace(dst, prev="#" + src.xml_id)
    return [replace(p, divisions=tuple(d)) for p, d in zip(pages, new_divs, strict=True)]


def _affinity(source: Division, candidate: Division) -> float:
    """How well a candidate continues a fragment: its repeated headline, then shared words."""
    src_heads = tokens(_division_text(source, heads_only=True))
    cand_all = tokens(_division_text(candidate))
    score = 0.0
    if src_heads:
        score += 2 * len(src_heads & cand_all) / len(src_heads)
    a, b = tokens(_division_text(source)), cand_all
    if a and b:
        score += len(a & b) / len(a | b)
    return score


def _set_targets(division: Division, subtype: str, target: str) -> Division:
    def fix(block: Block) -> Block:
        marks = tuple(
            Mark(m.start, m.end, m.tag, (*m.attrs, ("target", target)))
            if m.tag == "ref" and m.attr("subtype") == subtype and m.attr("target") is None
            else m
            for m in block.content.marks
        )
        return replace(block, content=Content(block.content.pieces, marks))

    children: list[Block | Division] = []
    for child in division.children:
        children.append(
            fix(child) if isinstance(child, Block) else _set_targets(child, subtype, target)
        )
    return replace(division, children=tuple(children))


# --- articles --------------------------------------------------------------------------------


def article_chains(pages: list[Page]) -> list[list[tuple[str, Division]]]:
    """Each article as its fragments in reading order, following ``@next`` from the first."""
    by_id: dict[str, tuple[str, Division]] = {}
    for page in pages:
        for division in page.divisions:
            if division.type == "article" and division.xml_id:
                by_id[division.xml_id] = (page.meta.page or "", division)
    chains = []
    for page in pages:
        for division in page.divisions:
            if division.type != "article" or not division.xml_id or division.prev:
                continue
            chain = [(page.meta.page or "", division)]
            seen = {division.xml_id}
            current = division
            while current.next and current.next[1:] in by_id and current.next[1:] not in seen:
                seen.add(current.next[1:])
                current = by_id[current.next[1:]][1]
                chain.append(by_id[current.xml_id or ""])
            chains.append(chain)
    return chains


def main_headline(division: Division) -> str:
    heads = [c for c in division.children if isinstance(c, Block) and c.tag == "head"]
    main = [h for h in heads if h.type == "main"] or heads
    return reading_text(main[0].content) if main else ""


def byline_authors(division: Division) -> list[tuple[str, str]]:
    out = []
    for block in division.children:
        if isinstance(block, Block) and block.tag == "opener":
            for mark in block.content.marks:
                if mark.tag == "persName":
                    name = reading_text(cut(block.content, mark.start, mark.end))
                    out.append((name, mark.attr("role") or "author"))
    return out
