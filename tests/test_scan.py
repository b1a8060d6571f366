"""Page scans find every line a rule's patterns match, so asking the rule of those lines only
gives the same answers as asking it of every line."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from converter.analyse import scan, structure
from converter.profile import load_profile
from converter.read.text import Line
from tests.test_properties import SETTINGS, realistic_pages

#: Patterns of the kinds profiles use: anchors, word boundaries, classes and white space that
#: can match a line feed, optional parts, empty matches.
PATTERNS = [
    "^ab",
    "b$",
    r"a\s*b",
    r"[^x]{2}c",
    r"\bab\b",
    "c?",
    r"(?P<dir>a|b)\s?c$",
    "^[ \u3000]*（a）",
    "(?:x|y)+$",
    "b",
    r"a\s*a?b",
    r"a\s?",  # at a line's start: may take the line feed that begins the next line
    "a[^x]?",
]
LINE = st.text(st.sampled_from("abcxy \u3000（）\t"), max_size=8)


@pytest.fixture
def scans_at_once(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Scans compiled from the first line asked, with fresh scanners."""
    monkeypatch.setattr(scan, "SCAN_AFTER", -1)
    monkeypatch.setattr(structure, "_SCANNERS", {})
    yield


@SETTINGS
@given(
    st.lists(LINE, min_size=1, max_size=8),
    st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3, unique=True),
    st.booleans(),
)
@example(["ab", "ab"], ["^ab"], True)
# A match across the line feed (a, "\n", ab) covers where line 2's own match begins.
@example(["a", "ab"], [r"a\s*a?b"], False)
# Line 1's match takes the line feed that begins line 2 (which the at-start scan looks for).
@example(["a", "a"], [r"a\s?"], True)
def test_every_line_a_pattern_matches_is_touched(
    texts: list[str], sources: list[str], at_start: bool
) -> None:
    patterns = tuple(re.compile(p) for p in sources)
    compiled = scan.scannable(patterns, at_start)
    assert compiled is not None
    lines = [Line(n, text) for n, text in enumerate(texts, start=1)]
    strip = str.lstrip if at_start else str.rstrip
    touched = scan.touched_lines(lines, compiled, strip, at_start)
    for i, text in enumerate(texts):
        ask = (lambda p, t: p.match(t)) if at_start else (lambda p, t: p.search(t))
        if any(ask(p, strip(text)) for p in patterns):
            assert i in touched, (i, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\Aab",
        r"ab\Z",
        "a(?=b)",
        "a(?!b)",
        "(?<=a)b",
        "(?<!a)b",
        r"a\s*+$",  # possessive: takes the line feed and keeps it
        r"a\s++$",
        r"a\s?+$",
        r"a\s{0,2}+$",
        r"a(?>\s*)$",  # atomic
        "(?-m:^)a",  # a scoped flag turning MULTILINE off
        "a(?-m:$)",
        r"(a)\1",  # back references and conditionals
        "(?P<x>a)(?P=x)",
        "(a)?(?(1)x|y)",
    ],
)
def test_patterns_that_could_see_past_a_line_are_not_scanned(pattern: str) -> None:
    assert scan.scannable((re.compile(pattern),), at_start=False) is None
    assert scan.scannable((re.compile("b"), re.compile(pattern)), at_start=True) is None


def test_a_verbose_pattern_is_not_scanned() -> None:
    # White space in a verbose pattern may part what the text checks look for.
    assert scan.scannable((re.compile(r"a \s * $", re.VERBOSE),), at_start=False) is None


def test_scans_wait_for_enough_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "SCAN_AFTER", 10)
    scanner = scan.Scanner(lambda: (re.compile("a"),), str.rstrip, at_start=False)
    lines = [Line(n, "xa" if n % 2 else "x") for n in range(1, 7)]
    assert scanner.scan(lines) is None  # 6 lines asked
    assert scanner.scan(lines) == {0, 2, 4}  # 12: compiled


@SETTINGS
@given(realistic_pages())
def test_line_features_are_the_rules_with_or_without_scans(text: str) -> None:
    profile = load_profile("zh")
    lines = [Line(n, t) for n, t in enumerate(text.split("\n"), start=1) if t.strip()]
    exact = (
        [structure.starts_article(line.text, profile) for line in lines],
        [structure.line_end_reference(line.text, profile) for line in lines],
    )
    saved = scan.SCAN_AFTER, structure._SCANNERS
    try:
        scan.SCAN_AFTER, structure._SCANNERS = -1, {}
        assert structure.line_features(lines, profile) == exact
    finally:
        scan.SCAN_AFTER, structure._SCANNERS = saved
        structure.forget()


def test_the_zh_rules_are_scanned(scans_at_once: None) -> None:
    profile = load_profile("zh")
    lines = [Line(1, "本报讯（记者 张三）昨日，"), Line(2, "正文。（下转第2版）"), Line(3, "正文")]
    opening, closing = structure._scanners(profile)
    assert opening.scan(lines) == {0}
    assert closing.scan(lines) == {1}


@SETTINGS
@given(realistic_pages(), st.sampled_from([1, 2, 7]))
def test_lines_are_labelled_the_same_a_few_blocks_at_a_time(text: str, size: int) -> None:
    from converter.analyse.blocks import split_blocks
    from converter.diagnostics import Diagnostics
    from converter.read.text import split_lines

    profile = load_profile("zh")
    blocks = split_blocks(split_lines(text, Diagnostics()))
    whole = structure.label_blocks(blocks, profile)
    saved = structure.LINES_AT_ONCE
    try:
        structure.LINES_AT_ONCE = size
        assert structure.label_blocks(blocks, profile) == whole
    finally:
        structure.LINES_AT_ONCE = saved
        structure.forget()
