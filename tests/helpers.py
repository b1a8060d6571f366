"""Shared checks of the invariants every output must keep: valid, lossless, deterministic."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from converter.lines import recover_lines
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.read.text import REPLACEMENT

_LINE_END = re.compile(r"\r\n|\r|\n")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _wide_edge(text: str, *, last: bool) -> bool:
    """The letter nearest the line's edge is East Asian wide (an ideograph, kana, hangul)."""
    chars = reversed(text.rstrip()) if last else iter(text.lstrip())
    letter = next((c for c in chars if c.isalpha()), "")
    return bool(letter) and unicodedata.east_asian_width(letter) in ("W", "F")


def expected_lines(text: str) -> dict[int, str]:
    """Non-blank input lines (illegal characters replaced, trailing space dropped) by number."""
    parts = _LINE_END.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    out = {}
    for number, raw in enumerate(parts, start=1):
        clean = _XML_ILLEGAL.sub(REPLACEMENT, raw)
        if clean.strip():
            out[number] = clean.rstrip()
    return out


def assert_lossless(text: str, data: bytes) -> None:
    """Every non-blank input line comes back from lb/@n, and nothing else is in the body."""
    root = etree.fromstring(data)
    got = recover_lines(root)
    assert 0 not in got, f"text before any lb: {got.get(0)!r}"
    want = expected_lines(text)
    assert got == want
    # The only characters the writer adds are single spaces joining Latin lines.
    raw = recover_lines(root, strip=False)
    parts = [_XML_ILLEGAL.sub(REPLACEMENT, part) for part in _LINE_END.split(text)]
    for n, line in raw.items():
        if n == 0:
            continue
        original = parts[n - 1]
        if line != original:
            assert line == original + " ", (n, line, original)
            nxt = next((parts[k] for k in range(n, len(parts)) if parts[k].strip()), "")
            assert not (_wide_edge(original, last=True) or _wide_edge(nxt, last=False)), (
                n,
                "space added in a CJK join",
            )
    body = root.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body")
    assert body is not None
    body_chars = sorted(c for c in "".join(body.itertext()) if not c.isspace())
    input_chars = sorted(c for line in want.values() for c in line if not c.isspace())
    assert body_chars == input_chars


def assert_lossless_layout(lines: dict[int, str], data: bytes) -> None:
    """Every line a layout reader gave (number → text) comes back from lb/@n, the body holds
    nothing else, and every lb of the body points at its line's zone."""
    root = etree.fromstring(data)
    got = recover_lines(root)
    assert 0 not in got, f"text before any lb: {got.get(0)!r}"
    assert got == {n: text.rstrip() for n, text in lines.items() if text.strip()}
    tei = "{http://www.tei-c.org/ns/1.0}"
    zones = {z.get("{http://www.w3.org/XML/1998/namespace}id") for z in root.iter(tei + "zone")}
    for lb in root.iter(tei + "lb"):
        facs = lb.get("facs")
        assert facs is None or facs[1:] in zones, facs


def convert_lines(lines: list[str], meta: Metadata) -> etree._Element:
    """A page of plain text lines converted, checked lossless, as a TEI tree."""
    text = "".join(line + "\n" for line in lines)
    data = convert_bytes(text.encode(), "p.txt", meta, Options()).data
    assert_lossless(text, data)
    return etree.fromstring(data)
