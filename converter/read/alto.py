"""Reader placeholder: refuses the format until its reader lands."""

from __future__ import annotations

from typing import Any

from ..errors import DecodeError
from ..model import Text


def looks_like(value: Any) -> bool:
    return False


def read(value: Any, name: str) -> Text:
    raise DecodeError("this layout format is not read yet", path=name)
