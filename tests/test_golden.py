"""The samples convert exactly to their reviewed golden TEI (regenerate with ``make golden``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.golden import golden_path, render, sample_pages
from tests.helpers import assert_lossless


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("page", sample_pages(), ids=lambda p: p.stem)
def test_sample_matches_golden(page: Path) -> None:
    golden = golden_path(page)
    assert golden.exists(), f"no golden file for {page.name}: run `make golden` and review it"
    assert render(page) == golden.read_bytes(), "output differs: run `make golden`, review the diff"


@pytest.mark.parametrize("page", sample_pages(), ids=lambda p: p.stem)
def test_sample_is_lossless_and_deterministic(page: Path) -> None:
    first = render(page)
    assert render(page) == first
    assert_lossless(page.read_text(encoding="utf-8"), first)


@pytest.mark.parametrize("page", sample_pages(), ids=lambda p: p.stem)
def test_golden_is_valid_tei_all(page: Path, tei_all: etree.RelaxNG) -> None:
    doc = etree.parse(str(golden_path(page)))
    assert tei_all.validate(doc), str(tei_all.error_log)
