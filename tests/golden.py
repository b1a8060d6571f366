"""Golden files: the expected TEI of every sample page.

``make golden`` (``python -m tests.golden``) rewrites them from the current converter; review the
diff before committing it. ``tests/test_golden.py`` compares the converter's output with them.
"""

from __future__ import annotations

import os
from pathlib import Path

from converter import metadata
from converter.batch.issue import ISSUE_FILE, page_number
from converter.model import Metadata
from converter.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def sample_pages() -> list[Path]:
    return sorted(SAMPLES.rglob("*.txt"))


def page_meta(page: Path) -> Metadata:
    """A page's metadata: ``<stem>.toml`` beside it, or else the ``issue.toml`` of its issue
    folder with the page number from the file name."""
    meta_file = page.with_suffix(".toml")
    options: dict[str, str] = {}
    if not meta_file.exists():
        meta_file = page.parent / ISSUE_FILE
        options["page"] = page_number(page)
    values = metadata.read_meta_file(meta_file, metadata.ISSUE_KEYS) if meta_file.exists() else None
    return metadata.build(options, values, source=str(meta_file))


def render(page: Path) -> bytes:
    """The TEI of a page, converted with its metadata (:func:`page_meta`)."""
    return convert_file(page, page_meta(page), Options()).data


def golden_path(page: Path) -> Path:
    """``samples/jiaozuo-daily/2016-12-11/p1.txt`` → ``golden/jiaozuo-daily-2016-12-11-p1.xml``."""
    rel = page.relative_to(SAMPLES).with_suffix("")
    return GOLDEN / ("-".join(rel.parts) + ".xml")


def main() -> None:
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    GOLDEN.mkdir(exist_ok=True)
    for page in sample_pages():
        target = golden_path(page)
        data = render(page)
        old = target.read_bytes() if target.exists() else None
        target.write_bytes(data)
        print(f"{target.relative_to(ROOT)}: {'unchanged' if old == data else 'written'}")


if __name__ == "__main__":
    main()
