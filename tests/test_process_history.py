"""A page converts to the same bytes whatever the process converted before it.

Each sample page is converted alone in a fresh process, and again in one process after 3,000
small generated pages (Chinese and English, with source lines, headlines, credits, end marks,
continuation references and broken words: every rule has been asked many thousand times).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from tests.golden import ROOT, page_meta, sample_pages

GENERATED_PAGES = 3_000

_ZH_WORDS = ["城市", "发展", "工作", "会议", "建设", "群众", "文化", "经济", "项目", "服务"]
_EN_WORDS = ["council", "street", "railway", "weather", "market", "school", "river", "bridge"]


def _zh_page(rng: random.Random) -> str:
    lines: list[str] = []
    for _ in range(rng.randint(1, 3)):
        lines += ["", "".join(rng.choices(_ZH_WORDS, k=rng.randint(3, 6))), ""]
        if rng.random() < 0.4:
            lines.append(f"本报记者 {rng.choice(['张三', '李四', '王五'])}")
        body = ["本报讯 " + "".join(rng.choices(_ZH_WORDS, k=6)) + "，"]
        for _ in range(rng.randint(1, 6)):
            body.append("".join(rng.choices(_ZH_WORDS, k=8)) + rng.choice(["，", "。", ""]))
        if rng.random() < 0.3:
            body.append("（下转第2版）")
        elif rng.random() < 0.5:
            body[-1] += "。①"
        lines += body
    return "\n".join(lines) + "\n"


def _en_page(rng: random.Random) -> str:
    lines: list[str] = []
    for _ in range(rng.randint(1, 3)):
        lines += ["", " ".join(rng.choices(_EN_WORDS, k=3)).upper(), ""]
        for _ in range(rng.randint(2, 6)):
            words = rng.choices(_EN_WORDS, k=6)
            end = rng.choice([".", ",", "", " rail-"])
            lines.append(" ".join(words) + end)
        if rng.random() < 0.3:
            lines.append("(Continued on Page 4)")
    return "\n".join(lines) + "\n"


def convert_all(pages: list[str], generated: int) -> None:
    """Convert ``generated`` generated pages, then each sample page named in ``pages``; print
    the sample pages' digests as JSON (run in a fresh process by the test)."""
    from converter.model import Metadata
    from converter.pipeline import Options, convert_bytes, convert_file

    rng = random.Random(13)
    for k in range(generated):
        if k % 3 == 2:
            data, meta = _en_page(rng), Metadata(lang="en", page=str(k))
        else:
            data, meta = _zh_page(rng), Metadata(lang="zh" if k % 3 else None)
        convert_bytes(data.encode(), f"g{k}.txt", meta, Options(validate=False))
    digests = {
        page: hashlib.sha256(convert_file(Path(page), page_meta(Path(page))).data).hexdigest()
        for page in pages
    }
    print(json.dumps(digests))


def _in_fresh_process(pages: list[Path], generated: int) -> dict[str, str]:
    code = (
        "import sys; from tests.test_process_history import convert_all; "
        "convert_all(sys.argv[2:], int(sys.argv[1]))"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(generated), *map(str, pages)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, str] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_page_converts_the_same_alone_and_after_thousands_of_pages() -> None:
    pages = [*sample_pages(), *sorted((ROOT / "tests" / "data").glob("*.txt"))]
    alone: dict[str, str] = {}
    for page in pages:
        alone.update(_in_fresh_process([page], 0))
    assert _in_fresh_process(pages, GENERATED_PAGES) == alone
