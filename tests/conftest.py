from __future__ import annotations

import os

import pytest
from hypothesis import settings
from lxml import etree

from tests.tei_all import TeiAllUnavailable, tei_all_validator

# On CI the property tests draw the same examples every run, so a landing never depends on
# luck; on a developer's machine they explore new ones each run.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """Validator for the official TEI P5 tei_all schema (fetched and cached on first use)."""
    try:
        return tei_all_validator()
    except TeiAllUnavailable as exc:
        pytest.fail(f"official TEI schema unavailable: {exc}", pytrace=False)
