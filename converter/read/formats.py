"""Format choice: which reader a page file goes to, told by its content, not its name.

XML whose root is ``alto`` goes to the ALTO reader, ``PcGts`` to the PAGE reader, HTML (or
XHTML) with an ``ocr_page`` to the hOCR reader; JSON in a PaddleOCR shape to the PaddleOCR
reader; everything else that is XML, HTML or JSON is refused (exit 4) naming what it looks
like; anything else is OCR text.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import DecodeError, InputFileError
from ..model import Text
from . import xml

#: How JSON that cannot be OCR text opens: an object with a key, an array of arrays or objects.
_JSON_START = re.compile(rb'\{\s*("|\})|\[\s*(\[|\{|\])')
#: Root element local names of the layout formats (any namespace, or none: ALTO 1.x).
ALTO_ROOT = "alto"
PAGE_ROOT = "PcGts"
#: XHTML's root: hOCR when it holds an ocr_page, refused as HTML otherwise.
HTML_ROOT = "html"
_NOT_HOCR = "HTML, but not hOCR: no element of class ocr_page"


#: A start tag: a name, then attributes (name="value"), then > or />.
_START_TAG = re.compile(
    rb"<[A-Za-z_][\w.:-]*(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>"
)


def _start(data: bytes) -> bytes:
    """The first bytes after a UTF-8 byte order mark and white space."""
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return head.lstrip()


def kind(data: bytes) -> str:
    """``xml``, ``html``, ``json`` or ``text``, from the first bytes only."""
    start = _start(data)
    lowered = start[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    # A whole start tag opens XML; text that merely opens with "<" ("<A" in OCR) is text.
    if start.startswith(b"<?xml") or _START_TAG.match(start):
        return "xml"
    if start.startswith(b"<!"):
        return "xml"
    if start.startswith((b"{", b"[")):
        return "json"
    return "text"


def read_input(path: Path, kind: str = "") -> bytes:
    """The bytes of an input file; InputFileError (exit 3) when it is missing, a directory
    (``kind``: what it should have been) or unreadable."""
    if not path.exists():
        raise InputFileError("no such file", path=path)
    if path.is_dir():
        raise InputFileError("is a directory" + (f", not a {kind}" if kind else ""), path=path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", path=path) from None


def read_file(path: Path, encoding: str | None = None, candidates: Sequence[str] = ()) -> Text:
    """Read one page file in any format; raise InputFileError / DecodeError on bad input."""
    return read_source(read_input(path, "page file"), str(path), encoding, candidates)


def read_source(
    data: bytes, name: str, encoding: str | None = None, candidates: Sequence[str] = ()
) -> Text:
    """Decode one page file with the reader its content calls for."""
    found = kind(data)
    if found == "text":
        from .text import decode

        return decode(data, name, encoding, candidates)
    if found == "json":
        value = _json(data, name)
        if value is not _NOT_JSON:
            return _paddleocr(value, name)
        from .text import decode

        return decode(data, name, encoding, candidates)
    # A byte search is cheap even on a large ALTO page; the class check runs only on a hit.
    if found == "html" or b"ocr_page" in data:
        from . import hocr

        if hocr.looks_like(data):
            return hocr.read(data, name)
    if found == "html":
        raise DecodeError(_NOT_HOCR, path=name)
    namespace, local = xml.root_name(data, name)
    if local == HTML_ROOT:
        raise DecodeError(_NOT_HOCR, path=name)
    if local.lower() == ALTO_ROOT:
        from . import alto

        return alto.read(data, name)
    if local == PAGE_ROOT:
        from . import page_xml

        return page_xml.read(data, name)
    qualified = "{" + namespace + "}" + local if namespace else local
    raise DecodeError(f"XML, but not ALTO, hOCR or PAGE: root element {qualified}", path=name)


#: What :func:`_json` returns for text that merely opens with a bracket ("[Continued]").
_NOT_JSON = object()


def _json(data: bytes, name: str) -> object:
    """The parsed JSON; :data:`_NOT_JSON` for OCR text that opens with a bracket. Bytes that
    open as only JSON does (an object with a key, an array of arrays or objects) but do not
    parse are malformed JSON."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        if not _JSON_START.match(_start(data)):
            return _NOT_JSON
        raise DecodeError(f"JSON that is not UTF-8 (byte offset {exc.start})", path=name) from None
    except json.JSONDecodeError as exc:
        if not _JSON_START.match(_start(data)):
            return _NOT_JSON
        raise DecodeError(f"malformed JSON: {exc.msg}", path=name, line=exc.lineno) from None


def _paddleocr(value: object, name: str) -> Text:
    from . import paddleocr

    if not paddleocr.looks_like(value):
        raise DecodeError(
            "JSON, but not PaddleOCR output (no rec_texts, nor [box, [text, score]] results)",
            path=name,
        )
    return paddleocr.read(value, name)
