"""The bundled profiles: every pattern compiles, and source-line detection is unchanged."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from converter.profile import PROFILE_NAMES, AnyOf, ProfileError, load_profile, parse_profile

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_every_pattern_compiles(name: str) -> None:
    # Patterns compile on first use; a broken one must fail here, not on some page.
    load_profile(name).compile_patterns()


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_encodings_are_canonical_codec_names(name: str) -> None:
    # Profiles name their legacy encodings as Python's codecs do; they are not looked up
    # (imported) when a profile is loaded.
    for encoding in load_profile(name).encodings:
        assert codecs.lookup(encoding).name == encoding


def test_any_source_matches_where_one_pattern_in_one_would() -> None:
    zh = load_profile("zh")
    raw = zh.pattern_source["bylines.sources"]
    plain = [re.sub(r"\(\?P<\w+>", "(?:", p) for p in raw if p]
    combined = re.compile("|".join(f"(?:{p})" for p in plain))
    lines = [
        line.lstrip()
        for page in sorted(SAMPLES.rglob("*.txt"))
        for line in page.read_text(encoding="utf-8").splitlines()
    ]
    assert zh.any_source is not None
    assert sum(1 for line in lines if combined.match(line)) > 0
    # One by one (a page), and combined (a long input, after some questions).
    for matcher in (AnyOf(zh.sources), AnyOf(zh.sources, combine_after=10)):
        for line in lines:
            assert bool(matcher.match(line)) == bool(combined.match(line)), line


def test_any_of_patterns_that_cannot_be_combined() -> None:
    # A global inline flag may only lead a whole pattern: these stay tried one by one.
    matcher = AnyOf((re.compile("(?i)ab"), re.compile("c")), combine_after=1)
    assert [bool(matcher.match(s)) for s in ("AB", "c", "x", "aB", "d")] == [1, 1, 0, 1, 0]


def test_a_bad_pattern_fails_on_first_use() -> None:
    import tomllib

    text = (Path(__file__).resolve().parent.parent / "converter/profiles/generic.toml").read_text(
        encoding="utf-8"
    )
    data = tomllib.loads(text)
    data["endmarks"]["pattern"] = "(unclosed"
    profile = parse_profile(data)
    with pytest.raises(ProfileError, match=r"endmarks\.pattern: bad pattern"):
        profile.compile_patterns()


def test_a_pattern_of_the_wrong_type_fails_on_load() -> None:
    import tomllib

    text = (Path(__file__).resolve().parent.parent / "converter/profiles/generic.toml").read_text(
        encoding="utf-8"
    )
    data = tomllib.loads(text)
    data["bylines"]["sources"] = "not a list"
    with pytest.raises(ProfileError, match="expected a list"):
        parse_profile(data)


def test_unknown_profile() -> None:
    with pytest.raises(ProfileError, match="no profile named"):
        load_profile("xx")


@pytest.mark.parametrize(
    ("patterns", "text"),
    [
        ((r"(b)", r"(a)\1"), "aa"),  # a back reference counts groups
        ((r"(?P<x>a)(b)\2",), "abb"),
        ((r"(b)", r"(a)?(?(1)x|y)"), "ax"),  # a conditional too
        ((r"x", r"\(?P<n>"), "P<n>"),  # text that only looks like a named group
    ],
)
def test_any_of_answers_the_same_once_combined(patterns: tuple[str, ...], text: str) -> None:
    compiled = tuple(re.compile(p) for p in patterns)
    one_by_one = AnyOf(compiled, combine_after=10**9).match(text)
    combined = AnyOf(compiled, combine_after=0).match(text)
    assert (combined is None) == (one_by_one is None)
    assert one_by_one is not None
