"""Score the converter against hand-made gold pages: stories, headlines, datelines, jumps and
bylines.

Each gold file (``eval/gold/<page-id>.json``) names a source page; the page is converted to TEI
with the ``newspaper-tei`` command and the TEI is compared with the gold as
``docs/evaluation.md`` of the project's shared documentation describes: stories by the lower of
B-cubed F1 and item-macro F1 over lines, headline lines by precision and recall, datelines by
place (found on the gold line) and ISO date, jumps by line, direction and page, bylines and
credits (where the gold lists them) by line, recall and precision. One row per page
and a mean are printed (``--json``: the same numbers as JSON). A page whose conversion fails is an
error row and the run goes on; the exit status is then 1. A gold file whose source is missing is
skipped with a note.

Each ALTO page is scored a second time as plain OCR text (a row ``<page-id> (text)``, with a
mean of its own): its lines as ``newspaper-tei text`` prints them from the page's TEI, line n
being the n-th TextLine, converted as a ``.txt`` page under the output folder and scored
against the same gold; ``--no-text`` leaves these rows out.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from converter.errors import DecodeError
from converter.lines import NoLinesError, page_lines
from converter.read import xml as safe_xml

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI_NS}
ROOT = Path(__file__).resolve().parent.parent
KINDS = ("story", "advertisement", "masthead", "box", "fw", "noise")
#: Item kinds a headline can belong to.
HEADED = ("story",)
#: Kinds of credit lines: a person's byline (By JOHN SMITH), a wire or agency credit (By
#: Associated Press, [United Press Leased Wire Service.], Special to The Times.), a source
#: credit closing a story (—Dubois Enterprise.).
BYLINE_KINDS = ("byline", "credit", "source")
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


class GoldError(ValueError):
    """A gold file that breaks the gold format (bad range, a line in two items …)."""


# --- gold -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldItem:
    kind: str
    lines: frozenset[int]
    headlines: frozenset[int] = frozenset()
    #: Crossheads and intertitles inside a story: allowed as predicted headline lines.
    crossheads: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Dateline:
    line: int
    place: str
    date: str | None


@dataclass(frozen=True)
class Jump:
    line: int
    subtype: str
    page: str


@dataclass(frozen=True)
class Byline:
    line: int  # the line the credit starts on
    kind: str


@dataclass(frozen=True)
class Gold:
    page_id: str
    source: str
    lang: str
    page: str
    items: tuple[GoldItem, ...]
    datelines: tuple[Dateline, ...] = ()
    jumps: tuple[Jump, ...] = ()
    #: None: the page's credits are not annotated (not scored).
    bylines: tuple[Byline, ...] | None = None
    paper: str | None = None
    date: str | None = None

    @property
    def lines(self) -> frozenset[int]:
        return frozenset(n for item in self.items for n in item.lines)

    @property
    def noise(self) -> frozenset[int]:
        return frozenset(n for item in self.items if item.kind == "noise" for n in item.lines)

    @property
    def headlines(self) -> frozenset[int]:
        return frozenset(n for item in self.items for n in item.headlines)

    @property
    def crossheads(self) -> frozenset[int]:
        return frozenset(n for item in self.items for n in item.crossheads)


def parse_ranges(text: str) -> frozenset[int]:
    """``"12-40 52 55-60"`` → the line numbers it names (ranges inclusive)."""
    found: set[int] = set()
    for token in text.replace(",", " ").split():
        match = _RANGE.match(token)
        if match is None:
            raise GoldError(f"bad line range {token!r}")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise GoldError(f"bad line range {token!r}")
        found.update(range(first, last + 1))
    return frozenset(found)


def format_ranges(lines: Iterable[int]) -> str:
    """The inverse of parse_ranges: sorted numbers as compact ranges."""
    out: list[str] = []
    ordered = sorted(set(lines))
    start = prev = -2
    for n in [*ordered, -1]:
        if n == prev + 1:
            prev = n
            continue
        if start > 0:
            out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return " ".join(out)


def gold_from_dict(page_id: str, data: Mapping[str, Any]) -> Gold:
    """Build and check a Gold from its JSON form."""
    items: list[GoldItem] = []
    seen: dict[int, int] = {}
    for index, raw in enumerate(data.get("items", [])):
        kind = str(raw.get("kind", ""))
        if kind not in KINDS:
            raise GoldError(f"item {index + 1}: unknown kind {kind!r}")
        lines = parse_ranges(str(raw.get("lines", "")))
        heads = parse_ranges(str(raw.get("headlines", "")))
        cross = parse_ranges(str(raw.get("crossheads", "")))
        if (heads or cross) and kind not in HEADED:
            raise GoldError(f"item {index + 1}: a {kind} has no headlines")
        if not (heads | cross) <= lines:
            raise GoldError(f"item {index + 1}: headline lines outside the item")
        for n in sorted(lines):
            if n in seen:
                raise GoldError(f"line {n} is in items {seen[n]} and {index + 1}")
            seen[n] = index + 1
        items.append(GoldItem(kind, lines, heads, cross))
    datelines = tuple(
        Dateline(int(d["line"]), str(d.get("place", "")), d.get("date"))
        for d in data.get("datelines", [])
    )
    # A jump whose page the OCR made unreadable has page null: found when no @n is written.
    jumps = tuple(
        Jump(int(j["line"]), str(j["subtype"]), "" if j["page"] is None else str(j["page"]))
        for j in data.get("jumps", [])
    )
    for jump in jumps:
        if jump.subtype not in ("next", "prev"):
            raise GoldError(f"jump on line {jump.line}: subtype must be next or prev")
    bylines = None
    if "bylines" in data:
        bylines = tuple(Byline(int(b["line"]), str(b["kind"])) for b in data["bylines"])
        for byline in bylines:
            if byline.kind not in BYLINE_KINDS:
                raise GoldError(f"byline on line {byline.line}: unknown kind {byline.kind!r}")
        if len({b.line for b in bylines}) != len(bylines):
            raise GoldError("two bylines on one line")
    return Gold(
        page_id=page_id,
        source=str(data["source"]),
        lang=str(data.get("lang", "")),
        page=str(data.get("page", "")),
        items=tuple(items),
        datelines=datelines,
        jumps=jumps,
        bylines=bylines,
        paper=data.get("paper"),
        date=data.get("date"),
    )


def load_gold(path: Path) -> Gold:
    with path.open(encoding="utf-8") as handle:
        return gold_from_dict(path.stem, json.load(handle))


def source_lines(path: Path) -> frozenset[int] | None:
    """The line numbers a source page has (ALTO or PAGE: its TextLines; text: its non-blank
    lines), or None for formats this check does not know."""
    data = path.read_bytes()
    stripped = data.lstrip()
    if stripped.startswith(b"<"):
        root = safe_xml.parse(data, str(path))
        local = etree.QName(root).localname
        if local not in ("alto", "PcGts"):
            return None
        count = sum(1 for el in root.iter() if _local(el) == "TextLine")
        return frozenset(range(1, count + 1))
    if stripped.startswith((b"{", b"[")):
        return None
    text = data.decode("utf-8", errors="replace")
    return frozenset(i for i, line in enumerate(text.splitlines(), 1) if line.strip())


def check_gold(gold: Gold, lines: frozenset[int]) -> list[str]:
    """Problems of a gold page against its source's lines: missing or unknown lines, datelines
    and jumps on lines outside it."""
    problems: list[str] = []
    missing = lines - gold.lines
    extra = gold.lines - lines
    if missing:
        problems.append(f"lines in no item: {format_ranges(missing)}")
    if extra:
        problems.append(f"lines not in the source: {format_ranges(extra)}")
    marks = [("dateline", d.line) for d in gold.datelines] + [("jump", j.line) for j in gold.jumps]
    marks += [("byline", b.line) for b in gold.bylines or ()]
    for name, line in marks:
        if line not in lines:
            problems.append(f"{name} on line {line}: no such line")
    return problems


# --- prediction -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    #: Line → predicted item key (lines in no division have a key of their own).
    item_of: Mapping[int, str]
    #: Lines whose ``lb`` is inside a ``head``.
    headlines: frozenset[int]
    #: Dateline start line → its ``date/@when`` (None when it has none).
    datelines: Mapping[int, tuple[str | None, ...]]
    #: Continuation start line → its (subtype, n) pairs.
    jumps: Mapping[int, tuple[tuple[str, str], ...]]
    #: Credit start line → the kinds predicted there (see :func:`read_prediction`).
    bylines: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _elements(el: etree._Element, path: str) -> list[etree._Element]:
    """The elements an XPath (TEI prefix ``t``) selects from ``el``."""
    found = el.xpath(path, namespaces=NS)
    return [x for x in found if isinstance(x, etree._Element)] if isinstance(found, list) else []


def _line_number(lb: etree._Element) -> int | None:
    value = lb.get("n", "")
    return int(value) if value.isdigit() else None


def start_line(el: etree._Element) -> int | None:
    """The line on which an element's text starts: its leading ``lb`` when it opens with one,
    else the line in force before it."""
    node = el
    while not (node.text or "").strip():
        # A column break is a milestone with no text: the line starts at the lb after it.
        children = [child for child in node if isinstance(child.tag, str) and _local(child) != "cb"]
        if not children:
            break
        first = children[0]
        if _local(first) == "lb":
            return _line_number(first)
        node = first
    before = _elements(el, "preceding::t:lb[1]")
    return _line_number(before[0]) if before else None


class _Joins:
    """Union-find over division ids: fragments joined by @next/@prev are one item."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[key] = root
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key wins, so the representative does not depend on link order.
            self.parent[max(ra, rb)] = min(ra, rb)


def _item_keys(body: etree._Element) -> dict[int, str]:
    """Line → item key for every ``lb`` in the body."""
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    joins = _Joins()
    top_of_id: dict[str, str] = {}
    tops: list[tuple[etree._Element, str]] = []
    for index, child in enumerate(el for el in body if isinstance(el.tag, str)):
        key = f"div{index}"
        tops.append((child, key))
        if _local(child) != "div":
            continue
        for el in child.iter():
            ident = el.get(xml_id)
            if ident:
                top_of_id[ident] = key
    for child, key in tops:
        if _local(child) != "div":
            continue
        for attr in ("next", "prev"):
            for ref in (child.get(attr) or "").split():
                target = top_of_id.get(ref.removeprefix("#"))
                if target is not None:
                    joins.join(key, target)
    item_of: dict[int, str] = {}
    for child, key in tops:
        is_div = _local(child) == "div"
        for lb in child.iter(f"{{{TEI_NS}}}lb"):
            n = _line_number(lb)
            if n is None or n in item_of:
                continue
            in_fw = any(_local(a) == "fw" for a in lb.iterancestors()) or _local(child) == "fw"
            if in_fw:
                item_of[n] = "fw"
            elif is_div:
                item_of[n] = joins.find(key)
            else:
                item_of[n] = f"line{n}"
    return item_of


def read_prediction(tei: etree._Element) -> Prediction:
    """What a TEI page document predicts about its lines."""
    bodies = _elements(tei, "//t:text//t:body")
    if not bodies:
        return Prediction({}, frozenset(), {}, {}, {})
    body = bodies[0]
    heads = frozenset(
        n for lb in _elements(body, ".//t:head//t:lb") if (n := _line_number(lb)) is not None
    )
    datelines: dict[int, list[str | None]] = {}
    for el in _elements(body, ".//t:dateline"):
        line = start_line(el)
        if line is not None:
            whens = [d.get("when") for d in _elements(el, ".//t:date[@when]")]
            datelines.setdefault(line, []).append(whens[0] if whens else None)
    jumps: dict[int, list[tuple[str, str]]] = {}
    for el in _elements(body, ".//t:ref[@type='continuation']"):
        line = start_line(el)
        if line is not None:
            jumps.setdefault(line, []).append((el.get("subtype", ""), el.get("n", "")))
    return Prediction(
        item_of=_item_keys(body),
        headlines=heads,
        datelines={k: tuple(v) for k, v in datelines.items()},
        jumps={k: tuple(v) for k, v in jumps.items()},
        bylines=_bylines(body),
    )


def _bylines(body: etree._Element) -> dict[int, tuple[str, ...]]:
    """Start line → kinds of the credits predicted there: a ``byline`` naming a person
    (``persName``) is a byline, any other ``byline`` a credit, an ``orgName`` outside bylines
    and datelines (in a paragraph: —Dubois Enterprise.) a source credit."""
    found: dict[int, list[str]] = {}
    for el in _elements(body, ".//t:byline"):
        kind = "byline" if _elements(el, ".//t:persName") else "credit"
        line = start_line(el)
        if line is not None:
            found.setdefault(line, []).append(kind)
    for el in _elements(body, ".//t:orgName[not(ancestor::t:byline or ancestor::t:dateline)]"):
        line = start_line(el)
        if line is not None:
            found.setdefault(line, []).append("source")
    return {k: tuple(v) for k, v in found.items()}


# --- scores -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    bcubed: float
    macro: float
    head_precision: float
    head_recall: float
    datelines: int
    datelines_found: int
    dates_right: int
    jumps: int
    jumps_found: int
    #: Lines where continuation references are predicted (jump precision: found / these).
    jumps_predicted: int = 0
    #: Gold credit lines (None: not annotated), those with a credit predicted, and the
    #: predicted credit lines (matched by line, so the found ones are the right ones);
    #: by gold kind, (found, gold lines).
    bylines: int | None = None
    bylines_found: int = 0
    bylines_predicted: int = 0
    byline_kinds: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: Gold items (not noise) and predicted items over the same lines.
    gold_items: int = 0
    predicted_items: int = 0

    @property
    def stories(self) -> float:
        return min(self.bcubed, self.macro)

    @property
    def head_f1(self) -> float:
        return f1(self.head_precision, self.head_recall)

    @property
    def byline_precision(self) -> float | None:
        """Predicted credit lines that are gold ones (1 with none predicted); None when the
        page's credits are not annotated."""
        if self.bylines is None:
            return None
        return self.bylines_found / self.bylines_predicted if self.bylines_predicted else 1.0


def f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _clusters(item_of: Mapping[int, str]) -> dict[str, frozenset[int]]:
    grouped: dict[str, set[int]] = {}
    for n, key in item_of.items():
        grouped.setdefault(key, set()).add(n)
    return {key: frozenset(lines) for key, lines in grouped.items()}


def story_scores(gold: Gold, prediction: Prediction) -> tuple[float, float, int, int]:
    """(B-cubed F1, item-macro F1, gold items, predicted items) over the gold's lines that are
    not noise; a line the prediction lacks is an item of its own."""
    lines = gold.lines - gold.noise
    gold_of = {
        n: str(i) for i, item in enumerate(gold.items) if item.kind != "noise" for n in item.lines
    }
    pred_of = {n: prediction.item_of.get(n, f"missing{n}") for n in lines}
    gold_sets = _clusters(gold_of)
    pred_sets = _clusters(pred_of)
    if not lines:
        return 1.0, 1.0, 0, 0
    precision = recall = 0.0
    for n in lines:
        g = gold_sets[gold_of[n]]
        p = pred_sets[pred_of[n]]
        shared = len(g & p)
        precision += shared / len(p)
        recall += shared / len(g)
    bcubed = f1(precision / len(lines), recall / len(lines))
    macro = 0.0
    for g in gold_sets.values():
        macro += max(2 * len(g & p) / (len(g) + len(p)) for p in pred_sets.values())
    return bcubed, macro / len(gold_sets), len(gold_sets), len(pred_sets)


def headline_scores(gold: Gold, prediction: Prediction) -> tuple[float, float]:
    """(precision, recall) of headline lines; crossheads are allowed, not required. With
    nothing predicted precision is 1; with nothing to find recall is 1."""
    allowed = gold.headlines | gold.crossheads
    predicted = prediction.headlines & gold.lines
    precision = len(predicted & allowed) / len(predicted) if predicted else 1.0
    recall = len(predicted & gold.headlines) / len(gold.headlines) if gold.headlines else 1.0
    return precision, recall


def byline_scores(gold: Gold, prediction: Prediction) -> dict[str, Any]:
    """Credit lines by line, whatever kind was predicted there: how many gold lines have one
    predicted (recall, also by gold kind), how many predicted ones are gold lines (precision).
    Nothing for a page whose gold does not list its credits."""
    if gold.bylines is None:
        return {}
    wanted = {b.line: b.kind for b in gold.bylines}
    predicted = {n for n in prediction.bylines if n in gold.lines}
    kinds: dict[str, tuple[int, int]] = {}
    for kind in BYLINE_KINDS:
        lines = [n for n, k in wanted.items() if k == kind]
        if lines:
            kinds[kind] = (sum(n in predicted for n in lines), len(lines))
    return {
        "bylines": len(wanted),
        "bylines_found": len(predicted & wanted.keys()),
        "bylines_predicted": len(predicted),
        "byline_kinds": kinds,
    }


def score(gold: Gold, prediction: Prediction) -> Scores:
    bcubed, macro, gold_items, predicted_items = story_scores(gold, prediction)
    precision, recall = headline_scores(gold, prediction)
    found = right = 0
    for d in gold.datelines:
        dates = prediction.datelines.get(d.line)
        if dates is None:
            continue
        found += 1
        right += d.date in dates
    jumps_found = sum((j.subtype, j.page) in prediction.jumps.get(j.line, ()) for j in gold.jumps)
    scored_lines = gold.lines - gold.noise
    jumps_predicted = sum(1 for line in prediction.jumps if line in scored_lines)
    credits = byline_scores(gold, prediction)
    return Scores(
        bcubed=bcubed,
        macro=macro,
        head_precision=precision,
        head_recall=recall,
        datelines=len(gold.datelines),
        datelines_found=found,
        dates_right=right,
        jumps=len(gold.jumps),
        jumps_found=jumps_found,
        jumps_predicted=jumps_predicted,
        **credits,
        gold_items=gold_items,
        predicted_items=predicted_items,
    )


def score_tei(gold: Gold, tei: bytes, name: str = "<tei>") -> Scores:
    return score(gold, read_prediction(safe_xml.parse(tei, name)))


# --- running ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    page_id: str
    scores: Scores | None = None
    error: str | None = None


@dataclass
class Run:
    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: The plain-text renderings of the ALTO pages (``<page-id> (text)``), scored apart.
    text_rows: list[Row] = field(default_factory=list)


#: What a text row's page id ends with.
TEXT_SUFFIX = " (text)"


class ConversionFailed(Exception):
    """The converter exited non-zero on a gold page."""


def converter_command() -> list[str]:
    """``newspaper-tei`` beside this interpreter (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / "newspaper-tei"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("newspaper-tei")
    return [found] if found else [sys.executable, "-m", "converter.launch"]


def convert(gold: Gold, source: Path, out: Path, command: Sequence[str]) -> bytes:
    """Convert one gold page's source to TEI at ``out`` and return the TEI bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [*command, "convert", str(source), "-o", str(out)]
    for option, value in (
        ("--lang", gold.lang),
        ("--page", gold.page),
        ("--date", gold.date),
        ("--paper", gold.paper),
    ):
        if value:
            args += [option, value]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ConversionFailed(f"convert exit {done.returncode}: {message}")
    return out.read_bytes()


def is_alto(path: Path) -> bool:
    """Whether a source page is ALTO XML (the pages that get a plain-text row)."""
    data = path.read_bytes()
    if not data.lstrip().startswith(b"<"):
        return False
    try:
        return etree.QName(safe_xml.parse(data, str(path))).localname == "alto"
    except DecodeError:
        return False


def plain_text(tei: bytes, name: str = "<tei>") -> str:
    """The page's lines as plain OCR text, as ``newspaper-tei text`` prints them, line n of
    the text being line n of the source (an ALTO page's n-th TextLine): a number the TEI
    lacks is a blank line, so the numbering stays the gold's."""
    lines = dict(page_lines(safe_xml.parse(tei, name)))
    lines.pop(0, None)  # text before the first lb was not in the source
    last = max(lines, default=0)
    return "".join(lines.get(n, "") + "\n" for n in range(1, last + 1))


def _text_row(gold: Gold, page_id: str, tei: bytes, out_dir: Path, command: Sequence[str]) -> Row:
    """Score the plain-text rendering of an ALTO page's TEI against the same gold: the text
    goes to ``<out>/<page-id>.txt``, its TEI to ``<out>/<page-id>.text.xml``."""
    row_id = page_id + TEXT_SUFFIX
    try:
        text = out_dir / f"{page_id}.txt"
        text.write_text(plain_text(tei, page_id), encoding="utf-8")
        out = out_dir / f"{page_id}.text.xml"
        converted = convert(gold, text, out, command)
        return Row(row_id, score_tei(gold, converted, str(out)))
    except (ConversionFailed, DecodeError, NoLinesError, OSError) as exc:
        return Row(row_id, error=str(exc))


def run(
    gold_files: Sequence[Path], out_dir: Path, command: Sequence[str], *, text: bool = True
) -> Run:
    """Convert and score every gold page; with ``text``, also the plain-text rendering of each
    ALTO page (its text rows)."""
    result = Run()
    for path in gold_files:
        page_id = path.stem
        try:
            gold = load_gold(path)
        except (GoldError, KeyError, ValueError) as exc:
            result.rows.append(Row(page_id, error=f"bad gold: {exc}"))
            continue
        source = (ROOT / gold.source).resolve()
        if not source.is_file():
            result.skipped.append(f"{page_id}: source {gold.source} not found")
            continue
        try:
            tei = convert(gold, source, out_dir / f"{page_id}.xml", command)
            result.rows.append(Row(page_id, score_tei(gold, tei, str(out_dir / page_id))))
        except (ConversionFailed, DecodeError, OSError) as exc:
            result.rows.append(Row(page_id, error=str(exc)))
            continue
        if text and is_alto(source):
            result.text_rows.append(_text_row(gold, page_id, tei, out_dir, command))
    return result


def mean(rows: Sequence[Row]) -> dict[str, float] | None:
    scored = [row.scores for row in rows if row.scores is not None]
    if not scored:
        return None
    count = len(scored)
    datelines = sum(s.datelines for s in scored)
    jumps = sum(s.jumps for s in scored)
    credited = [s for s in scored if s.bylines is not None]
    found = sum(s.bylines_found for s in credited)
    predicted = sum(s.bylines_predicted for s in credited)
    kinds = {
        f"{kind}_{part}": float(sum(s.byline_kinds.get(kind, (0, 0))[i] for s in credited))
        for kind in BYLINE_KINDS
        for i, part in enumerate(("found", "total"))
    }
    return {
        "pages": count,
        "stories": sum(s.stories for s in scored) / count,
        "bcubed": sum(s.bcubed for s in scored) / count,
        "macro": sum(s.macro for s in scored) / count,
        "head_precision": sum(s.head_precision for s in scored) / count,
        "head_recall": sum(s.head_recall for s in scored) / count,
        "head_f1": sum(s.head_f1 for s in scored) / count,
        "datelines": datelines,
        "datelines_found": sum(s.datelines_found for s in scored),
        "dates_right": sum(s.dates_right for s in scored),
        "jumps": jumps,
        "jumps_found": sum(s.jumps_found for s in scored),
        "jumps_predicted": sum(s.jumps_predicted for s in scored),
        # Credits: summed over the pages whose gold lists them.
        "byline_pages": len(credited),
        "bylines": sum(s.bylines or 0 for s in credited),
        "bylines_found": found,
        "bylines_predicted": predicted,
        "byline_precision": found / predicted if predicted else 1.0,
        **kinds,
    }


def _row_json(row: Row) -> dict[str, Any]:
    if row.scores is None:
        return {"page": row.page_id, "error": row.error}
    s = row.scores
    return {
        "page": row.page_id,
        "stories": round(s.stories, 4),
        "bcubed": round(s.bcubed, 4),
        "macro": round(s.macro, 4),
        "gold_items": s.gold_items,
        "predicted_items": s.predicted_items,
        "head_precision": round(s.head_precision, 4),
        "head_recall": round(s.head_recall, 4),
        "head_f1": round(s.head_f1, 4),
        "datelines": s.datelines,
        "datelines_found": s.datelines_found,
        "dates_right": s.dates_right,
        "jumps": s.jumps,
        "jumps_found": s.jumps_found,
        "jumps_predicted": s.jumps_predicted,
        "bylines": s.bylines,
        "bylines_found": s.bylines_found,
        "bylines_predicted": s.bylines_predicted,
        "byline_kinds": {k: list(v) for k, v in s.byline_kinds.items()},
    }


def _rounded(rows: Sequence[Row]) -> dict[str, float] | None:
    average = mean(rows)
    return None if average is None else {k: round(v, 4) for k, v in average.items()}


def as_json(result: Run) -> dict[str, Any]:
    """The run as JSON: ``pages`` and ``mean`` of the source pages; ``text_pages`` and
    ``text_mean`` of the plain-text renderings, when there are any."""
    out: dict[str, Any] = {
        "pages": [_row_json(row) for row in result.rows],
        "mean": _rounded(result.rows),
        "skipped": result.skipped,
    }
    if result.text_rows:
        out["text_pages"] = [_row_json(row) for row in result.text_rows]
        out["text_mean"] = _rounded(result.text_rows)
    return out


def _ratio(found: int, total: int) -> str:
    return f"{found}/{total}" if total else "-"


def _precision(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row_line(row: Row, width: int) -> str:
    if row.scores is None:
        return f"{row.page_id:<{width}} ERROR {row.error}"
    s = row.scores
    return (
        f"{row.page_id:<{width}} {s.stories:7.3f} {s.bcubed:5.3f} {s.macro:5.3f} "
        f"{s.head_precision:5.3f} {s.head_recall:5.3f} {s.head_f1:5.3f} "
        f"{_ratio(s.datelines_found, s.datelines):>7} {_ratio(s.dates_right, s.datelines):>7} "
        f"{_ratio(s.jumps_found, s.jumps):>6} {_ratio(s.jumps_found, s.jumps_predicted):>6} "
        f"{_ratio(s.bylines_found, s.bylines or 0):>7} {_precision(s.byline_precision):>5}"
    )


def _mean_lines(rows: Sequence[Row], what: str, width: int) -> list[str]:
    m = mean(rows)
    if m is None:
        return []
    label = f"mean{what} ({int(m['pages'])} pages)"
    out = [
        f"{label:<{width}} {m['stories']:7.3f} {m['bcubed']:5.3f} {m['macro']:5.3f} "
        f"{m['head_precision']:5.3f} {m['head_recall']:5.3f} {m['head_f1']:5.3f} "
        f"{_ratio(int(m['datelines_found']), int(m['datelines'])):>7} "
        f"{_ratio(int(m['dates_right']), int(m['datelines'])):>7} "
        f"{_ratio(int(m['jumps_found']), int(m['jumps'])):>6} "
        f"{_ratio(int(m['jumps_found']), int(m['jumps_predicted'])):>6} "
        f"{_ratio(int(m['bylines_found']), int(m['bylines'])):>7} "
        f"{_precision(m['byline_precision'] if m['byline_pages'] else None):>5}"
    ]
    if m["byline_pages"]:
        by_kind = ", ".join(
            f"{kind} {_ratio(int(m[kind + '_found']), int(m[kind + '_total']))}"
            for kind in BYLINE_KINDS
            if m[kind + "_total"]
        )
        out.append(f"bylines by kind{what} ({int(m['byline_pages'])} pages): {by_kind}")
    return out


def table(result: Run) -> str:
    """The rows of the source pages and their mean, then those of the plain-text renderings
    (``<page-id> (text)``) and theirs."""
    rows = [*result.rows, *result.text_rows]
    width = max([34, *(len(row.page_id) for row in rows)])
    header = (
        f"{'page':<{width}} {'stories':>7} {'b3':>5} {'macro':>5} {'headP':>5} {'headR':>5} "
        f"{'headF':>5} {'dateln':>7} {'date':>7} {'jumps':>6} {'jumpP':>6} {'bylines':>7} "
        f"{'bylP':>5}"
    )
    out = [header, *(_row_line(row, width) for row in result.rows)]
    out.extend(_mean_lines(result.rows, "", width))
    if result.text_rows:
        out.extend(_row_line(row, width) for row in result.text_rows)
        out.extend(_mean_lines(result.text_rows, TEXT_SUFFIX, width))
    out.extend(f"skipped {note}" for note in result.skipped)
    return "\n".join(out)


def check(gold_files: Sequence[Path]) -> list[str]:
    """Every problem of the gold files against their sources (those present and readable)."""
    problems: list[str] = []
    for path in gold_files:
        try:
            gold = load_gold(path)
        except (GoldError, KeyError, ValueError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        source = (ROOT / gold.source).resolve()
        if not source.is_file():
            continue
        lines = source_lines(source)
        if lines is not None:
            problems.extend(f"{path.name}: {p}" for p in check_gold(gold, lines))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("pages", nargs="*", help="page ids to score (default: every gold page)")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "eval")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument(
        "--check", action="store_true", help="only check the gold files against their sources"
    )
    parser.add_argument(
        "--no-text",
        action="store_true",
        help="leave out the rows of the ALTO pages' plain-text renderings",
    )
    args = parser.parse_args(argv)
    files = sorted(args.gold.glob("*.json"))
    if args.pages:
        files = [f for f in files if f.stem in set(args.pages)]
    if args.check:
        problems = check(files)
        print("\n".join(problems) if problems else f"{len(files)} gold files are consistent")
        return 1 if problems else 0
    result = run(files, args.out, converter_command(), text=not args.no_text)
    if args.json:
        print(json.dumps(as_json(result), indent=1, ensure_ascii=False))
    else:
        print(table(result))
    return 1 if any(row.error for row in [*result.rows, *result.text_rows]) else 0


if __name__ == "__main__":
    sys.exit(main())
