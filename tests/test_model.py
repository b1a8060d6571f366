"""The model's records are plain frozen types, made by their fields."""

from __future__ import annotations

import dataclasses

import pytest

from converter.model import Content, Line, Piece, Text
from converter.read.text import decode


def test_a_piece_is_a_frozen_record_of_its_fields() -> None:
    piece = Piece(7, "第一行", column_break=True)
    assert piece == Piece(line=7, text="第一行", line_start=True, column_break=True)
    assert (piece.space_before, piece.joined) == (False, False)
    assert hash(piece) == hash(Piece(7, "第一行", True, True, False, False))
    with pytest.raises(dataclasses.FrozenInstanceError):
        piece.text = "改"  # type: ignore[misc]
    # A changed copy is made the plain way.
    assert dataclasses.replace(piece, line_start=False).line_start is False


def test_content_text_is_its_pieces_in_order() -> None:
    content = Content((Piece(1, "上海"), Piece(2, "报道", space_before=True)))
    assert content.text == "上海报道"
    assert content.first_line == 1 and content.lines == (1, 2)


def test_a_reader_produces_the_source_model() -> None:
    text = decode("第一行\n\nsecond\n".encode(), "p1.txt")
    assert isinstance(text, Text)
    assert text.lines == (
        Line(number=1, text="第一行"),
        Line(number=2, text=""),
        Line(number=3, text="second"),
    )
    assert all(type(line) is Line for line in text.lines)
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.lines[0].text = "改"  # type: ignore[misc]
