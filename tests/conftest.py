from __future__ import annotations

import pytest
from lxml import etree

from tests.tei_all import TeiAllUnavailable, tei_all_validator


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """Validator for the official TEI P5 tei_all schema (fetched and cached on first use)."""
    try:
        return tei_all_validator()
    except TeiAllUnavailable as exc:
        pytest.fail(f"official TEI schema unavailable: {exc}", pytrace=False)
