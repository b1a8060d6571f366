"""METS reading: an issue METS (pages, their files, the issue's MODS metadata, vendor articles)
and an NDNP ``batch.xml`` (the issues of a batch).

An issue METS is small (kilobytes to a few hundred), so it is parsed whole; a ``batch.xml`` may
list many thousands of issues, so it is streamed. Both are parsed through :mod:`.xml` (no DTD,
entities or network). File references (``FLocat/@xlink:href``, the paths ``batch.xml`` lists)
are resolved against the folder of the file that names them and must stay inside it: a URL, an
absolute path or a path that climbs out is refused, since the converter reads nothing but its
input.

NDNP issue METS (the Library of Congress profile) name the page's sequence in
``mods:extent[@unit='pages']/mods:start`` and the printed page number, where the page shows
one, in ``mods:detail[@type='page number']``; other METS profiles give ``ORDERLABEL`` and
``ORDER`` on the page's ``div``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from .. import metadata
from ..diagnostics import Diagnostic, Diagnostics
from ..errors import DecodeError, InputFileError, MetadataError
from ..model import Metadata
from . import xml

METS_NS = "http://www.loc.gov/METS/"
MODS_NS = "http://www.loc.gov/mods/v3"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
NDNP_NS = "http://www.loc.gov/ndnp"
_M = "{" + METS_NS + "}"
_MODS = "{" + MODS_NS + "}"

#: How much of a file is read to tell whether it is a METS document.
SNIFF_BYTES = 65536
#: File or group USE values (lower case) of a page's text: NDNP ``ocr``, ``FULLTEXT``
#: (Europeana, Goobi, Kitodo), ``ALTO``.
_TEXT_USES = ("ocr", "fulltext", "alto", "text")
#: Image USE values (lower case), best first: the image a reader is served (NDNP ``service``,
#: a JPEG 2000), then the master scan, then whatever other images the METS names.
_IMAGE_USES = ("service", "default", "presentation", "master", "image", "images", "max")
_IMAGE_SUFFIXES = (".jp2", ".jpg", ".jpeg", ".tif", ".tiff", ".png", ".gif", ".webp")
#: ISO 639-2 (bibliographic and terminological) codes with an ISO 639-1 tag, for the languages
#: of the papers such archives hold; any other code is left unknown rather than guessed.
_LANGUAGES = {
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "fre": "fr",
    "fra": "fr",
    "chi": "zh",
    "zho": "zh",
    "spa": "es",
    "ita": "it",
    "dut": "nl",
    "nld": "nl",
    "pol": "pl",
    "cze": "cs",
    "ces": "cs",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "por": "pt",
    "rus": "ru",
    "lat": "la",
    "fin": "fi",
    "hun": "hu",
    "ice": "is",
    "isl": "is",
    "jpn": "ja",
    "kor": "ko",
    "heb": "he",
    "yid": "yi",
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LCCN_SAFE = re.compile(r"^[a-z]{0,3}[0-9]{8}(?:[0-9]{2})?$")
_EDITION = re.compile(r"^[0-9]{1,3}$")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][A-Za-z0-9_.:-]*)")


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetsPage:
    """One page of the physical structure, in structMap order.

    ``sequence`` is its 1-based position there; ``number`` the page number the issue gives it
    (see :func:`read_issue`); ``text`` the page's text file (ALTO, usually), or None with the
    reason in ``problem`` when the METS names none or names one that is refused; ``image`` the
    page image's reference as the METS gives it (relative, for ``graphic/@url``).
    """

    sequence: int
    number: str
    text: Path | None
    image: str | None
    div_id: str | None = None
    line: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleArea:
    """A part of an article: the page (its sequence, None when the file is not a page's), the
    text file's METS ID, and the first and last ALTO element IDs of the area (``BEGIN``,
    ``END``; None when the area is the whole file)."""

    page: int | None
    file_id: str
    begin: str | None
    end: str | None


@dataclass(frozen=True, slots=True)
class MetsArticle:
    """An article division of the logical structMap (vendor segmentation: docWORKS,
    Europeana, the British Library), with its areas in document order."""

    div_id: str | None
    label: str | None
    areas: tuple[ArticleArea, ...]


@dataclass(frozen=True, slots=True)
class MetsIssue:
    """An issue METS: its metadata, its pages in order, its articles (empty when the METS has
    no logical structure), and what was noticed while reading it (line numbers of the METS)."""

    path: Path
    meta: Metadata
    pages: tuple[MetsPage, ...]
    articles: tuple[MetsArticle, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchIssue:
    """An issue a ``batch.xml`` lists: LCCN, date and edition as given, and the path of its METS
    relative to the ``batch.xml`` folder (``/`` separated), None with ``problem`` when the entry
    is unusable (no path, one that leaves the batch, an LCCN or date that cannot name a
    folder)."""

    lccn: str
    date: str
    edition: str
    mets: str | None
    line: int | None = None
    problem: str | None = None

    @property
    def output(self) -> str:
        """The issue's output folder below the archive's: ``<lccn>/<date>/ed-<edition>``, as
        Chronicling America names an issue."""
        return f"{self.lccn}/{self.date}/ed-{self.edition}"


@dataclass(frozen=True, slots=True)
class Batch:
    """The issues of a ``batch.xml`` in the order it lists them; ``problem`` says where the file
    turned malformed when it did (``line 32: malformed XML: …``; the issues listed before that
    point are kept)."""

    path: Path
    issues: tuple[BatchIssue, ...]
    problem: str | None = None


# --- telling files apart ---------------------------------------------------------------------


def root_of(path: Path, limit: int = SNIFF_BYTES) -> tuple[str, str] | None:
    """The namespace and local name of an XML file's root element, read from its first bytes;
    None when the file cannot be read or does not start as XML."""
    try:
        with path.open("rb") as handle:
            head = handle.read(limit)
    except OSError:
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"<"):
        return None
    try:
        return xml.root_name(head, str(path))
    except DecodeError:
        # The parser gives no event from a short document it finds malformed: its first start
        # tag tells the kind all the same (the reader then reports the malformation).
        found = _ROOT_TAG.search(re.sub(rb"<!--.*?-->|<[?!][^>]*>", b"", start, flags=re.S))
        if found is None:
            return None
        return "", found.group(1).decode("utf-8", "replace").rsplit(":", 1)[-1]


def is_mets(path: Path) -> bool:
    """Whether ``path`` is a METS document (root element ``mets``, in any namespace)."""
    found = root_of(path)
    return found is not None and found[1] == "mets"


def is_batch(path: Path) -> bool:
    """Whether ``path`` is an NDNP ``batch.xml`` (root element ``batch``)."""
    found = root_of(path)
    return found is not None and found[1] == "batch"


# --- references ------------------------------------------------------------------------------


def resolve_href(href: str, folder: Path) -> Path:
    """The file ``href`` names, relative to ``folder``; DecodeError when it is a URL, an
    absolute path, or leaves ``folder``. ``file://./x`` (docWORKS) counts as relative."""
    text = href.strip().replace("\\", "/")
    if text.startswith("file://./"):
        text = text[len("file://") :]
    if not text:
        raise DecodeError("an empty file reference", path=folder)
    if _SCHEME.match(text) or text.startswith("//"):
        raise DecodeError(f"file reference {href!r} is a URL: only local files are read")
    relative = PurePosixPath(unquote(text))
    if relative.is_absolute():
        raise DecodeError(f"file reference {href!r} is an absolute path")
    inside = posixpath.normpath(relative.as_posix())
    if inside == ".." or inside.startswith("../"):
        raise DecodeError(f"file reference {href!r} leaves the folder {folder}")
    target = folder.joinpath(*PurePosixPath(inside).parts)
    try:  # a link inside the folder may point out of it
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        raise DecodeError(f"file reference {href!r} leaves the folder {folder}") from None
    return target


# --- issue METS ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _File:
    id: str
    href: str | None
    role: str  # "text", "image" or "other"
    rank: int  # among images: lower is better
    line: int | None


def _bytes(path: Path) -> bytes:
    """A METS or batch file's bytes; InputFileError naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("no such file", path=path) from None
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", path=path) from None


def read_issue(path: Path) -> MetsIssue:
    """Read an issue METS. Raises InputFileError when it cannot be read, DecodeError when it is
    not METS or is malformed; problems of single pages are kept on the pages."""
    return parse_issue(_bytes(path), path)


def parse_issue(data: bytes, path: Path) -> MetsIssue:
    """An issue METS from its bytes; ``path`` names it and its folder resolves its files."""
    root = xml.parse(data, str(path))
    if etree.QName(root).localname != "mets":
        raise DecodeError(f"not METS: root element {etree.QName(root).localname}", path=path)
    notes = Diagnostics()
    dmd = {d.get("ID"): d for d in root.iter(_M + "dmdSec") if d.get("ID")}
    files = _files(root)
    physical, logical = _struct_maps(root)
    if physical is None:
        raise DecodeError("METS without a physical structMap of pages", path=path)
    page_divs = _page_divs(physical)
    pages = _pages(page_divs, files, dmd, path, notes)
    articles = _articles(logical, page_divs, files) if logical is not None else ()
    meta = _issue_meta(root, physical, dmd, path, notes)
    return MetsIssue(path, meta, pages, articles, notes.frozen())


def _files(root: etree._Element) -> dict[str, _File]:
    found: dict[str, _File] = {}
    for group in root.iter(_M + "fileGrp"):
        group_use = (group.get("USE") or group.get("ID") or "").lower()
        for file in group.iterchildren(_M + "file"):
            file_id = file.get("ID")
            if not file_id:
                continue
            locat = file.find(_M + "FLocat")
            href = locat.get(XLINK_HREF) if locat is not None else None
            use = (file.get("USE") or "").lower()
            mime = (file.get("MIMETYPE") or "").lower()
            found[file_id] = _File(file_id, href, *_role(use, group_use, mime, href), _line(file))
    return found


def _role(use: str, group_use: str, mime: str, href: str | None) -> tuple[str, int]:
    """A file's role and, for an image, its rank: from its own USE, else its group's."""
    for value in (use, group_use):
        if not value:
            continue
        if any(word in value for word in _TEXT_USES) and "pdf" not in value:
            return "text", 0
        for rank, word in enumerate(_IMAGE_USES):
            if word in value:
                return "image", rank
    name = (href or "").lower()
    if mime.startswith("image/") or name.endswith(_IMAGE_SUFFIXES):
        return "image", len(_IMAGE_USES)
    return "other", 0


def _struct_maps(root: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
    """The physical structMap (its TYPE, else the first one with page divisions) and the
    logical one (TYPE LOGICAL)."""
    physical = logical = None
    maps = list(root.iterchildren(_M + "structMap"))
    for struct in maps:
        kind = (struct.get("TYPE") or "").lower()
        if kind == "physical" and physical is None:
            physical = struct
        elif kind == "logical" and logical is None:
            logical = struct
    if physical is None:
        physical = next(
            (s for s in maps if s is not logical and any(_is_page(d) for d in s.iter(_M + "div"))),
            None,
        )
    return physical, logical


def _local_type(div: etree._Element) -> str:
    """A division's TYPE without its prefix, lower case: ``np:page`` → ``page``."""
    return (div.get("TYPE") or "").rsplit(":", 1)[-1].lower()


def _is_page(div: etree._Element) -> bool:
    return _local_type(div) == "page"


def _page_divs(physical: etree._Element) -> list[etree._Element]:
    """The page divisions in order: those typed page, else the divisions with files and no
    divisions below them."""
    divs = [d for d in physical.iter(_M + "div") if _is_page(d)]
    if divs:
        return divs
    return [
        d
        for d in physical.iter(_M + "div")
        if d.find(_M + "div") is None and d.find(_M + "fptr") is not None
    ]


def _file_ids(div: etree._Element) -> list[str]:
    """The file IDs a division points at (``fptr/@FILEID`` and its areas'), nested divisions
    left out."""
    ids: list[str] = []
    for fptr in div.iterchildren(_M + "fptr"):
        if fptr.get("FILEID"):
            ids.append(fptr.get("FILEID") or "")
        ids.extend(area.get("FILEID") or "" for area in fptr.iter(_M + "area"))
    return [i for i in ids if i]


def _pages(
    divs: list[etree._Element],
    files: dict[str, _File],
    dmd: dict[str | None, etree._Element],
    path: Path,
    notes: Diagnostics,
) -> tuple[MetsPage, ...]:
    folder = path.parent
    pages: list[MetsPage] = []
    for sequence, div in enumerate(divs, start=1):
        own = [files[i] for i in _file_ids(div) if i in files]
        texts = [f for f in own if f.role == "text"]
        images = sorted((f for f in own if f.role == "image" and f.href), key=lambda f: f.rank)
        text: Path | None = None
        problem: str | None = None
        if not texts or not texts[0].href:
            problem = f"page {sequence} of {path.name} names no text (OCR) file"
        else:
            try:
                text = resolve_href(texts[0].href, folder)
            except DecodeError as exc:
                problem = f"{path.name}:{texts[0].line}: {exc.message}; refused"
        number = _page_number(div, dmd, sequence, notes)
        image = _image_name(images[0].href) if images else None
        pages.append(MetsPage(sequence, number, text, image, div.get("ID"), _line(div), problem))
    return _unique_numbers(pages, notes)


def _image_name(href: str | None) -> str | None:
    """The image reference for ``graphic/@url``: as given, without a leading ``./``."""
    if not href:
        return None
    text = href.strip()
    return text[2:] if text.startswith("./") else text


def _mods_of(div: etree._Element, dmd: dict[str | None, etree._Element]) -> list[etree._Element]:
    """The MODS records a division's DMDID names."""
    out: list[etree._Element] = []
    for ref in (div.get("DMDID") or "").split():
        sec = dmd.get(ref)
        if sec is not None:
            out.extend(sec.iter(_MODS + "mods"))
    return out


def _page_number(
    div: etree._Element,
    dmd: dict[str | None, etree._Element],
    sequence: int,
    notes: Diagnostics,
) -> str:
    """The page number: the printed one (MODS ``detail[@type='page number']``), else
    ``ORDERLABEL``, else the sequence (MODS ``extent/start``, ``ORDER``, the position). A value
    that cannot serve as a page number (``[4]``, ``iv``) is passed over with a note."""
    candidates: list[tuple[str, str | None]] = []
    for mods in _mods_of(div, dmd):
        for detail in mods.iter(_MODS + "detail"):
            if (detail.get("type") or "").lower() == "page number":
                candidates.append(("page number", _text(detail.find(_MODS + "number"))))
    candidates.append(("ORDERLABEL", div.get("ORDERLABEL")))
    for mods in _mods_of(div, dmd):
        for extent in mods.iter(_MODS + "extent"):
            if (extent.get("unit") or "").lower() == "pages":
                candidates.append(("page sequence", _text(extent.find(_MODS + "start"))))
    candidates.append(("ORDER", div.get("ORDER")))
    for source, value in candidates:
        if value is None or not value.strip():
            continue
        try:
            page = metadata.build({"page": value.strip()}).page
        except MetadataError:
            notes.info(
                "mets.page-number",
                _line(div),
                f"page {sequence}: {source} {value.strip()!r} is not a page number; not used",
            )
            continue
        if page is not None:
            return page
    return str(sequence)


def _unique_numbers(pages: list[MetsPage], notes: Diagnostics) -> tuple[MetsPage, ...]:
    """The pages as they are when their numbers differ; else numbered by sequence, with a
    warning (page numbers name the pages' divisions, which must differ)."""
    numbers = [p.number for p in pages]
    if len(set(numbers)) == len(numbers):
        return tuple(pages)
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    notes.warn(
        "mets.page-number.duplicate",
        pages[0].line,
        f"page number{'s' if len(twice) > 1 else ''} {', '.join(twice)} given to several "
        "pages: the pages are numbered by their order instead",
    )
    return tuple(replace(p, number=str(p.sequence)) for p in pages)


def _line(element: etree._Element) -> int | None:
    """The element's line in the METS, when the parser knows it."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


def _issue_meta(
    root: etree._Element,
    physical: etree._Element,
    dmd: dict[str | None, etree._Element],
    path: Path,
    notes: Diagnostics,
) -> Metadata:
    """The issue's metadata from the MODS of the issue division (else of every dmdSec that no
    page names) and the METS LABEL."""
    top = physical.find(_M + "div")
    records = _mods_of(top, dmd) if top is not None and not _is_page(top) else []
    if not records:
        records = [m for sec in dmd.values() for m in sec.iter(_MODS + "mods")][:1]
    values: dict[str, str] = {}
    for mods in records:
        _mods_values(mods, values)
    if "paper" not in values:
        paper = _paper_from_label(root.get("LABEL"), values.get("date"))
        if paper:
            values["paper"] = paper
    return _checked(values, path, notes)


def _first(mods: etree._Element, xpath: str) -> str | None:
    found = mods.xpath(xpath, namespaces={"mods": MODS_NS})
    if isinstance(found, list):
        for item in found:
            value = _text(item) if isinstance(item, etree._Element) else None
            if value:
                return value
    return None


def _mods_values(mods: etree._Element, values: dict[str, str]) -> None:
    """Fill ``values`` (metadata keys) from one MODS record; values found first stay."""
    queries = {
        "paper": (
            "mods:titleInfo/mods:title",
            "mods:relatedItem[@type='host']/mods:titleInfo/mods:title",
        ),
        "date": (
            "mods:originInfo/mods:dateIssued[@keyDate='yes']",
            "mods:originInfo/mods:dateIssued",
            "mods:part/mods:date",
        ),
        "place": ("mods:originInfo/mods:place/mods:placeTerm[@type='text']",),
        "publisher": ("mods:originInfo/mods:publisher",),
        "edition": (
            ".//mods:part/mods:detail[@type='edition']/mods:number",
            ".//mods:part/mods:detail[@type='edition']/mods:caption",
        ),
        "volume": (".//mods:part/mods:detail[@type='volume']/mods:number",),
        "number": (".//mods:part/mods:detail[@type='issue']/mods:number",),
        "lccn": ("mods:identifier[@type='lccn']", "mods:relatedItem/mods:identifier[@type='lccn']"),
        "issn": ("mods:identifier[@type='issn']", "mods:relatedItem/mods:identifier[@type='issn']"),
        "oclc": ("mods:identifier[@type='oclc']", "mods:relatedItem/mods:identifier[@type='oclc']"),
        "lang": (
            "mods:language/mods:languageTerm[@type='code']",
            "mods:language/mods:languageTerm",
        ),
    }
    for key, paths in queries.items():
        if key in values:
            continue
        for query in paths:
            value = _first(mods, query)
            if value:
                values[key] = value
                break


def _paper_from_label(label: str | None, date: str | None) -> str | None:
    """The paper's title from a METS LABEL that is the title and the date (NDNP: ``The Evening
    star, 1859-02-21``); None for any other label, which names something else."""
    if not label or not date:
        return None
    text = " ".join(label.split())
    suffix = ", " + date
    if text.endswith(suffix) and len(text) > len(suffix):
        return text[: -len(suffix)].strip() or None
    return None


def language_tag(code: str) -> str | None:
    """A BCP 47 tag for a MODS language code: ISO 639-1 as it is, ISO 639-2 where a two-letter
    tag exists (``ger`` → ``de``); None for a code not known here."""
    value = code.strip().lower()
    if re.fullmatch(r"[a-z]{2}", value):
        return value
    return _LANGUAGES.get(value)


def _checked(values: dict[str, str], path: Path, notes: Diagnostics) -> Metadata:
    """Each value through the metadata checks on its own: one the checks refuse is left out
    with a warning, so that a bad field does not cost the issue."""
    kept: dict[str, str] = {}
    for key in ("paper", "date", "place", "publisher", "edition", "volume", "number", "oclc"):
        if key in values:
            kept[key] = values[key]
    if "lccn" in values:
        kept["lccn"] = values["lccn"]
    if "issn" in values:
        kept["issn"] = values["issn"]
    if "lang" in values:
        tag = language_tag(values["lang"])
        if tag is None:
            notes.info("mets.language", None, f"language code {values['lang']!r} not known")
        else:
            kept["lang"] = tag
    good: dict[str, str] = {}
    for key, value in kept.items():
        try:
            metadata.build({key: value}, source=str(path))
        except MetadataError as exc:
            notes.warn("mets.metadata", None, f"{exc.message}; not used")
            continue
        good[key] = value
    return metadata.build(good, source=str(path))


# --- logical structure -----------------------------------------------------------------------


def _articles(
    logical: etree._Element, page_divs: list[etree._Element], files: dict[str, _File]
) -> tuple[MetsArticle, ...]:
    """The article divisions of the logical structMap with their areas, pages resolved through
    the files the physical pages point at."""
    page_of: dict[str, int] = {}
    for sequence, div in enumerate(page_divs, start=1):
        for file_id in _file_ids(div):
            page_of.setdefault(file_id, sequence)
    out: list[MetsArticle] = []
    for div in logical.iter(_M + "div"):
        if _local_type(div) != "article":
            continue
        areas: list[ArticleArea] = []
        for area in div.iter(_M + "area"):
            area_file = area.get("FILEID")
            if not area_file:
                continue
            areas.append(
                ArticleArea(page_of.get(area_file), area_file, area.get("BEGIN"), area.get("END"))
            )
        for fptr in div.iter(_M + "fptr"):
            whole = fptr.get("FILEID")
            if whole:  # a whole file, without areas
                areas.append(ArticleArea(page_of.get(whole), whole, None, None))
        out.append(MetsArticle(div.get("ID"), div.get("LABEL"), tuple(areas)))
    return tuple(out)


# --- NDNP batch.xml --------------------------------------------------------------------------


def read_batch(path: Path) -> Batch:
    """The issues an NDNP ``batch.xml`` lists, streamed. A file that turns malformed keeps the
    issues listed before that point and says where in ``Batch.problem``."""
    data = _bytes(path)
    try:
        return Batch(path, _listed(data, path))
    except DecodeError as exc:
        if exc.line is None or exc.message.startswith("not an NDNP"):
            raise
        issues = _listed_before(data, path, exc.line)
        if issues is None:
            raise
        return Batch(path, issues, f"line {exc.line}: {exc.message}")


def _listed(data: bytes, path: Path) -> tuple[BatchIssue, ...]:
    issues: list[BatchIssue] = []
    depth = 0
    for event, element in xml.iterparse(data, str(path)):
        if event == "start":
            depth += 1
            if depth == 1 and etree.QName(element).localname != "batch":
                raise DecodeError(
                    f"not an NDNP batch.xml: root element {etree.QName(element).localname}",
                    path=path,
                )
            continue
        depth -= 1
        if depth == 1:
            if etree.QName(element).localname == "issue":
                issues.append(_batch_issue(element, path.parent))
            element.clear()  # what is kept is the list, not the tree
    return tuple(issues)


#: How many times the end of a malformed batch.xml is cut back, a line at a time, to find the
#: last point where the issues before it can be read.
_CUT_BACK = 4


def _listed_before(data: bytes, path: Path, line: int) -> tuple[BatchIssue, ...] | None:
    """The issues listed before ``line``, where the file turns malformed: the lines before it,
    closed with the root's end tag, read as a document of their own (the parser gives no events
    from the part of a document it read with the error). None when that fails too."""
    root = _ROOT_TAG.search(data)
    if root is None:
        return None
    lines = data.splitlines(keepends=True)
    end = line - 1
    for _ in range(_CUT_BACK):
        if end <= 0:
            return None
        head = b"".join(lines[:end]) + b"</" + root.group(1) + b">"
        try:
            return _listed(head, path)
        except DecodeError as exc:
            if exc.line is None or exc.line > end:
                end -= 1  # the end tag did not close what is open: one line fewer
            else:
                end = min(end - 1, exc.line - 1)
    return None


def _batch_issue(element: etree._Element, folder: Path) -> BatchIssue:
    lccn = (element.get("lccn") or "").strip().lower()
    date = (element.get("issueDate") or "").strip()
    edition = (element.get("editionOrder") or "").strip()
    href = _text(element) or ""
    line = _line(element)
    problem: str | None = None
    mets: str | None = None
    if _EDITION.match(edition):
        edition = str(int(edition))
    else:
        problem = f"edition {edition!r} is not a number"
    if not _LCCN_SAFE.match(lccn):
        problem = f"LCCN {lccn!r} is not an LCCN"
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        problem = f"issue date {date!r} is not YYYY-MM-DD"
    if problem is None:
        try:
            target = resolve_href(href, folder)
        except DecodeError as exc:
            problem = exc.message + "; refused"
        else:
            mets = target.relative_to(folder).as_posix()
    return BatchIssue(lccn, date, edition, mets, line, problem)
