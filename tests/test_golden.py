"""The samples convert exactly to their reviewed golden TEI, page by page and as issues
(regenerate with ``make golden``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from converter.read.formats import read_file
from tests.golden import (
    golden_issue,
    golden_issue_files,
    golden_path,
    render,
    render_issue,
    sample_issues,
    sample_pages,
)
from tests.helpers import assert_lossless, assert_lossless_layout

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def page_id(page: Path) -> str:
    return golden_path(page).stem


def issue_id(folder: Path) -> str:
    return golden_issue(folder).name


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("page", sample_pages(), ids=page_id)
def test_sample_matches_golden(page: Path) -> None:
    golden = golden_path(page)
    assert golden.exists(), f"no golden file for {page.name}: run `make golden` and review it"
    assert render(page) == golden.read_bytes(), "output differs: run `make golden`, review the diff"


@pytest.mark.parametrize("page", sample_pages(), ids=page_id)
def test_sample_is_lossless_and_deterministic(page: Path) -> None:
    first = render(page)
    assert render(page) == first
    if page.suffix == ".txt":
        assert_lossless(page.read_text(encoding="utf-8"), first)
    else:
        lines = {line.number: line.text for line in read_file(page).lines}
        assert_lossless_layout(lines, first)


@pytest.mark.parametrize("page", sample_pages(), ids=page_id)
def test_golden_is_valid_tei_all(page: Path, tei_all: etree.RelaxNG) -> None:
    doc = etree.parse(str(golden_path(page)))
    assert tei_all.validate(doc), str(tei_all.error_log)


@pytest.mark.parametrize("folder", sample_issues(), ids=issue_id)
def test_sample_issue_matches_golden(folder: Path) -> None:
    golden = golden_issue_files(folder)
    assert golden, f"no golden files for {folder}: run `make golden` and review them"
    files = render_issue(folder)
    assert sorted(files) == sorted(golden), "other files: run `make golden`, review the diff"
    for name, data in files.items():
        assert data == golden[name], f"{name} differs: run `make golden`, review the diff"


def test_a_sample_issue_links_an_article_across_pages() -> None:
    """A golden article document holds fragments of two pages, linked both ways."""
    spread = []
    for folder in sample_issues():
        for name, data in golden_issue_files(folder).items():
            if name.startswith("articles/"):
                root = etree.fromstring(data)
                pages = root.xpath("//t:pb/@n", namespaces=NS)
                links = root.xpath("//t:ref[@type='continuation']/@subtype", namespaces=NS)
                assert isinstance(pages, list) and isinstance(links, list)
                spread.append((len(pages), set(map(str, links))))
    assert any(pages >= 2 and links == {"next", "prev"} for pages, links in spread)


@pytest.mark.parametrize("folder", sample_issues(), ids=issue_id)
def test_golden_issue_documents_are_valid_tei_all(folder: Path, tei_all: etree.RelaxNG) -> None:
    for name, data in golden_issue_files(folder).items():
        if name.endswith(".xml") and name.count(".") == 1:  # not a catalogue record (x.mods.xml)
            assert tei_all.validate(etree.fromstring(data)), f"{name}: {tei_all.error_log}"
