"""Big pages are converted whole: one valid document that gives back every input line.

A paragraph of many thousand lines, thousands of paragraphs and thousands of articles are each
one tree, validated and serialised as any page.
"""

from __future__ import annotations

import pytest

from converter.model import Metadata
from converter.pipeline import convert_bytes
from converter.validate import validate_bytes
from tests.helpers import assert_lossless


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"第{n}行，正文。\n" for n in range(12_000)),  # one paragraph of 12,000 lines
        "".join(f"第{n}行，正文。\n\n" for n in range(6_000)),  # 6,000 one-line paragraphs
        "".join(f"本报讯 第{n}条。\n\n" for n in range(3_000)),  # 3,000 articles
        "".join(f"council met on Monday {n} &amp; <b>\n" for n in range(6_000)),  # Latin, escapes
    ],
    ids=["one-paragraph", "paragraphs", "articles", "latin"],
)
def test_a_big_page_is_one_valid_lossless_document(text: str) -> None:
    lang = "en" if text.startswith("council") else "zh"
    data = convert_bytes(text.encode(), "p.txt", Metadata(page="1", lang=lang)).data
    assert validate_bytes(data) == []
    assert_lossless(text, data)


def test_a_line_longer_than_a_parser_s_text_limit_is_written_and_read_back() -> None:
    """libxml2 parses a text node over 10 MB only with ``huge_tree``: the command's own reading
    of its output must allow it."""
    text = "长" * 11_000_000 + "\n"
    data = convert_bytes(text.encode(), "p.txt", Metadata(page="1", lang="zh")).data
    assert validate_bytes(data) == []
