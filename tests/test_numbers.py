"""The numeral grammar as profile data: Arabic, Chinese and Roman numerals, number words and
ordinals, month names; and a profile of another language adds its own words as a table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converter.analyse.numbers import month_number, page_label, parse_number, roman_value
from converter.profile import Numerals, load_profile, load_profile_file

ZH = load_profile("zh").numerals
EN = load_profile("en").numerals
GENERIC = load_profile("generic").numerals

_ROMAN_PLACES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN_PLACES:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def chinese(n: int) -> str:
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([ZH, EN, GENERIC]))
def test_arabic_round_trip(n: int, numerals: Numerals) -> None:
    assert parse_number(str(n), numerals) == n
    full_width = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full_width, numerals) == n


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(n: int) -> None:
    assert parse_number(roman(n), EN) == n
    assert parse_number(roman(n).lower(), EN) == n
    assert roman_value(roman(n)) == n


@given(st.integers(min_value=1, max_value=99))
def test_chinese_round_trip(n: int) -> None:
    assert parse_number(chinese(n), ZH) == n
    assert page_label(chinese(n), ZH) == str(n)


_ONES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
_ONES += "fifteen sixteen seventeen eighteen nineteen"
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english(n: int) -> str:
    if n < 20:
        return _ONES.split()[n - 1]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES.split()[ones - 1]}" if ones else "")


@given(st.integers(min_value=1, max_value=99), st.sampled_from([str, str.title, str.upper]))
def test_english_words_round_trip(n: int, case: Callable[[str], str]) -> None:
    assert parse_number(case(english(n)), EN) == n
    assert page_label(case(english(n)), EN) == str(n)


@pytest.mark.parametrize(
    ("text", "value"),
    [("二", 2), ("十二", 12), ("二十", 20), ("二十一", 21), ("廿三", 23), ("卅", 30), ("两", 2)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert parse_number(text, ZH) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Two", 2),
        ("TWO", 2),
        ("Fourteen", 14),
        ("Second", 2),
        ("twenty-two", 22),
        ("Twenty two", 22),
        ("Twenty-first", 21),
        ("2nd", 2),
        ("3d", 3),
        ("IV", 4),
        ("XII", 12),
    ],
)
def test_english_numbers(text: str, value: int) -> None:
    assert parse_number(text, EN) == value


@pytest.mark.parametrize(
    "text", ["", "Tage", "IIII", "VX", "Xi", "two-twenty", "two two", "第十二", "8*cond"]
)
def test_not_numbers(text: str) -> None:
    assert parse_number(text, EN) is None


def test_roman_numerals_only_where_the_profile_says() -> None:
    assert parse_number("XII", ZH) is None
    assert parse_number("XII", GENERIC) is None


def test_page_labels() -> None:
    assert page_label("A3", EN) == "A3"
    assert page_label("Two", EN) == "2"
    assert page_label("IV", EN) == "4"
    assert page_label("第12", ZH) is None  # 第 stands outside the page group of a jump
    assert page_label("１２", ZH) == "12"
    assert page_label("0", EN) is None


@pytest.mark.parametrize(
    ("text", "month"),
    [("August", 8), ("Aug.", 8), ("AUG", 8), ("Sept.", 9), ("sep", 9), ("12", 12), ("May", 5)],
)
def test_english_months(text: str, month: int) -> None:
    assert month_number(text, EN) == month


def test_chinese_months_are_numerals() -> None:
    assert month_number("十二", ZH) == 12
    assert month_number("Aug.", ZH) is None


def test_other_languages_add_their_words_as_a_table(tmp_path: Path) -> None:
    de = tmp_path / "de.toml"
    de.write_text(
        'name = "de"\ntags = ["de"]\nlanguage_name = "Deutsch"\n'
        '[numerals]\nordinal_suffixes = ["."]\n'
        "[numerals.words]\nzwei = 2\nzweite = 2\nzweiten = 2\nvierzehn = 14\n"
        '[dates.months]\n"jänner" = 1\njanuar = 1\njan = 1\n',
        encoding="utf-8",
    )
    fr = tmp_path / "fr.toml"
    fr.write_text(
        'name = "fr"\ntags = ["fr"]\nlanguage_name = "Français"\n'
        '[numerals]\nroman = true\nordinal_suffixes = ["e", "er", "re", "ème"]\n'
        '[numerals.words]\npremier = 1\n"première" = 1\n"deuxième" = 2\n"troisième" = 3\n'
        '[dates.months]\n"août" = 8\n',
        encoding="utf-8",
    )
    german = load_profile_file(de).numerals
    french = load_profile_file(fr).numerals
    assert parse_number("zweite", german) == 2
    assert parse_number("Zweiten", german) == 2
    assert parse_number("2.", german) == 2
    assert month_number("Jänner", german) == 1
    assert month_number("Jan.", german) == 1
    assert parse_number("deuxième", french) == 2
    assert parse_number("DEUXIÈME", french) == 2
    assert parse_number("première", french) == 1
    assert parse_number("premier", french) == 1
    assert parse_number("IIe", french) == 2
    assert parse_number("3e", french) == 3
    assert parse_number("1er", french) == 1
    assert month_number("août", french) == 8
    assert parse_number("IIe", german) is None
