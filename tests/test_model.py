"""The document model's fast constructors make the same objects as the dataclasses' own."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from converter.model import Piece, _OpenPiece, line_piece


@pytest.mark.parametrize("flags", list(itertools.product([False, True], repeat=3)))
def test_line_piece_is_the_dataclass_piece(flags: tuple[bool, bool, bool]) -> None:
    column_break, space_before, joined = flags
    fast = line_piece(7, "第一行", column_break, space_before, joined)
    slow = Piece(7, "第一行", True, column_break, space_before, joined)
    assert type(fast) is Piece
    # Every field is set (a field added to Piece and not to line_piece fails here) and equal.
    assert dataclasses.astuple(fast) == dataclasses.astuple(slow)
    assert fast == slow and hash(fast) == hash(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.text = "改"  # type: ignore[misc]


def test_a_piece_is_made_open_with_exactly_piece_s_slots() -> None:
    # ``__class__`` is assigned from the open class to Piece: both must lay out the same slots
    # (a field added to Piece and not to the open class fails here, and in line_piece).
    assert sorted(_OpenPiece.__slots__) == sorted(f.name for f in dataclasses.fields(Piece))
    assert sorted(_OpenPiece.__slots__) == sorted(Piece.__slots__)
