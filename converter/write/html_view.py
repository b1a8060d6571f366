"""The HTML of a view (one TEI document's pages, stories and diagnostics) and of an archive's
index of views, from jinja2 templates with autoescaping on.

Each view is one file: its styles and script are inlined from ``templates/``, its data is a
JSON island (escaped by ``tojson``), and nothing is fetched (a page image URL the user gave
aside). Elements carry ``data-article="<xml:id>"`` (each story fragment) and
``data-line="<page>:<n>"`` (each input line) for tests and users' scripts to query. The same
view always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from ..view import Block, Line, PageView, Segment, View

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The share of a line box's height its text takes (the rest is the box's leading).
FONT_SHARE = 0.72


@dataclass(frozen=True)
class IndexRow:
    """One issue in an archive's index: where its view is (relative to the index), what its
    manifest and report say of it, and why it failed when it did."""

    path: str
    view: str | None
    title: str
    date: str | None
    pages: int
    articles: int
    unresolved: int
    warnings: int
    error: str | None = None


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _inline(name: str) -> Markup:
    """A style sheet or script of ``templates/`` to inline: our own files, which must not
    close the element that holds them."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if "</style" in text.lower() or "</script" in text.lower():
        raise ValueError(f"{name} would end its element early")
    return Markup(text)


def render_view(view: View) -> bytes:
    """The HTML of a view."""
    pages = [_page(page) for page in view.pages]
    data = {
        "title": view.title,
        "pages": [page.label for page in view.pages],
        "stories": [story.as_json() for story in view.stories],
    }
    html = (
        _environment()
        .get_template("view.html.j2")
        .render(
            view=view,
            pages=pages,
            zoned=any(page["zoned"] for page in pages),
            images=any(page.image for page in view.pages),
            fragments=sum(len(story.fragments) for story in view.stories),
            data=data,
            css=_inline("view.css"),
            js=_inline("view.js"),
            version=__version__,
        )
    )
    return html.encode("utf-8")


def render_index(title: str, rows: Sequence[IndexRow]) -> bytes:
    """The HTML of an archive's index of issues."""
    totals = {
        "pages": sum(r.pages for r in rows),
        "articles": sum(r.articles for r in rows),
        "unresolved": sum(r.unresolved for r in rows),
        "warnings": sum(r.warnings for r in rows),
        "failed": sum(1 for r in rows if r.error is not None),
    }
    html = (
        _environment()
        .get_template("index.html.j2")
        .render(
            title=title,
            rows=rows,
            totals=totals,
            css=_inline("index.css"),
            js=_inline("index.js"),
            version=__version__,
        )
    )
    return html.encode("utf-8")


# --- what the template gets ------------------------------------------------------------------


def _page(page: PageView) -> dict[str, Any]:
    """A page is drawn from its zones when every line has one (else in reading order: a line
    without a box would have no place on the drawn page)."""
    lines = list(page.lines())
    zoned = page.width is not None and bool(lines) and all(line.box is not None for line in lines)
    ratio = (page.height or 1) / (page.width or 1)
    return {
        "label": page.label,
        "zoned": zoned,
        "width": page.width,
        "height": page.height,
        "image": page.image,
        "image_note": page.image_note,
        "blocks": [_block(block, ratio if zoned else None) for block in page.blocks],
    }


def _block(block: Block, ratio: float | None) -> dict[str, Any]:
    classes = ["block", block.kind]
    attrs: dict[str, str] = {}
    if block.kind == "story" and block.xml_id:
        classes.append(f"c{block.colour or 0}")
        attrs["id"] = block.xml_id
        attrs["data-article"] = block.xml_id
        attrs["data-story"] = block.story or block.xml_id
        if block.prev:
            attrs["data-prev"] = block.prev
        if block.next:
            attrs["data-next"] = block.next
    elif block.kind == "fw":
        classes.append("fw-" + block.type)
    else:
        classes.append("div-" + block.type)
        attrs["data-division"] = block.type
        if block.xml_id:
            attrs["id"] = block.xml_id
    return {
        "attrs": {"class": " ".join(classes), **attrs},
        "lines": [_line(line, ratio) for line in block.lines],
    }


def _line(line: Line, ratio: float | None) -> dict[str, Any]:
    classes = ["line", *("k-" + kind for kind in line.kinds)]
    if any("jump" in s.kinds and s.target is None for s in line.segments):
        classes.append("k-unresolved")
    if line.part:
        # The rest of a line begun in the division before: not a line of its own.
        classes.append("part")
    style = None
    if ratio is not None and line.box is not None:
        left, top, width, height = line.box
        size = height * ratio * FONT_SHARE
        style = (
            f"left:{left:.3f}%;top:{top:.3f}%;width:{width:.3f}%;height:{height:.3f}%;"
            f"font-size:{size:.4f}cqw"
        )
    return {
        "cls": " ".join(classes),
        "part": line.part,
        "key": line.key,
        "n": line.n,
        "style": style,
        "segments": [_segment(s) for s in line.segments],
    }


def _segment(segment: Segment) -> dict[str, Any]:
    if not segment.kinds:
        return {"tag": None, "text": segment.text}
    found = {
        "tag": "span",
        "cls": " ".join("m-" + kind for kind in segment.kinds),
        "title": segment.note,
        "text": segment.text,
    }
    if "jump" in segment.kinds:
        if segment.target is not None:
            title = "continued in " + segment.target
            found |= {"tag": "a", "target": segment.target, "title": title}
        else:
            found["title"] = "unresolved: no fragment found for this reference"
    return found
