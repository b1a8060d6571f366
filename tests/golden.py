"""Golden files: the expected TEI of every sample page, and the expected issue document, article
documents and manifest of every sample issue of more than one page.

``make golden`` (``python -m tests.golden``) rewrites them from the current converter; review the
diff before committing it. ``tests/test_golden.py`` compares the converter's output with them.
"""

from __future__ import annotations

import os
from pathlib import Path

from converter import metadata
from converter.batch.issue import ISSUE_FILE, convert_issue, page_number
from converter.batch.output import issue_files
from converter.model import Metadata
from converter.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


#: Page files of the layout formats among the samples (METS files and READMEs are not pages).
LAYOUT_SUFFIXES = (".json", ".hocr", ".xml")


def sample_pages() -> list[Path]:
    """Every sample page: OCR text, and the layout pages of ``samples/layout/``."""
    layout = [p for p in (SAMPLES / "layout").rglob("*") if p.suffix in LAYOUT_SUFFIXES]
    return sorted([*SAMPLES.rglob("*.txt"), *layout])


def page_meta(page: Path) -> Metadata:
    """A page's metadata: ``<stem>.toml`` beside it, or else the ``issue.toml`` of its issue
    folder with the page number from the file name, or else none."""
    meta_file = page.with_suffix(".toml")
    options: dict[str, str] = {}
    if not meta_file.exists() and (page.parent / ISSUE_FILE).exists():
        meta_file = page.parent / ISSUE_FILE
        options["page"] = page_number(page)
    values = metadata.read_meta_file(meta_file, metadata.ISSUE_KEYS) if meta_file.exists() else None
    return metadata.build(options, values, source=str(meta_file))


def render(page: Path) -> bytes:
    """The TEI of a page, converted with its metadata (:func:`page_meta`)."""
    return convert_file(page, page_meta(page), Options()).data


def golden_path(page: Path) -> Path:
    """``samples/jiaozuo-daily/2016-12-11/p1.txt`` → ``golden/jiaozuo-daily-2016-12-11-p1.xml``;
    ``samples/layout/hocr/p1.hocr`` → ``golden/layout-hocr-p1-hocr.xml``."""
    rel = page.relative_to(SAMPLES)
    rel = rel.with_suffix("") if page.suffix == ".txt" else rel
    return GOLDEN / ("-".join(rel.parts).replace(".", "-") + ".xml")


def sample_issues() -> list[Path]:
    """The sample issue folders of more than one page."""
    folders = sorted(meta.parent for meta in SAMPLES.rglob(ISSUE_FILE))
    return [folder for folder in folders if len(list(folder.glob("*.txt"))) > 1]


def render_issue(folder: Path) -> dict[str, bytes]:
    """The files of an issue's output folder by their paths in it, but the report (which names
    the folder the issue was read from)."""
    files = issue_files(convert_issue(folder))
    return {name: data for name, data in files if name != "report.json"}


def golden_issue(folder: Path) -> Path:
    """``samples/hechuan-daily/2016-12-11`` → ``golden/hechuan-daily-2016-12-11/``."""
    return GOLDEN / "-".join(folder.relative_to(SAMPLES).parts)


def golden_issue_files(folder: Path) -> dict[str, bytes]:
    """The golden files of an issue, by their paths in its golden folder."""
    root = golden_issue(folder)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _write(target: Path, data: bytes) -> None:
    old = target.read_bytes() if target.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"{target.relative_to(ROOT)}: {'unchanged' if old == data else 'written'}")


def main() -> None:
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    GOLDEN.mkdir(exist_ok=True)
    for page in sample_pages():
        _write(golden_path(page), render(page))
    for folder in sample_issues():
        files = render_issue(folder)
        root = golden_issue(folder)
        for name in golden_issue_files(folder).keys() - files.keys():
            (root / name).unlink()  # no longer an output of the issue
            print(f"{(root / name).relative_to(ROOT)}: removed")
        for name, data in files.items():
            _write(root / name, data)


if __name__ == "__main__":
    main()
