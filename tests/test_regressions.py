"""Inputs that once broke the converter, each pinned with what must happen instead."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from converter.errors import DecodeError, ExitCode
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.validate import validate_bytes
from tests.helpers import assert_lossless
from tests.zh_pages import BODY_A, BODY_B, convert, texts, xp

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "jiaozuo-daily-2016-12-11-p1.xml"


def persons(root: etree._Element) -> list[tuple[str, str | None]]:
    return [("".join(p.itertext()), p.get("role")) for p in xp(root, "//t:byline/t:persName")]


def test_day_only_wire_dateline_without_issue_date() -> None:
    root, _ = convert(f"新华社北京10日电 {BODY_A}①2\n\n会议召开\n", date=None)
    assert [d.get("when") for d in xp(root, "//t:dateline/t:date")] == ["---10"]


def test_running_text_line_starting_with_a_role_word_is_not_a_credit() -> None:
    text = (
        "本报讯（记者张三） 12月10日，市委召开会议，研究\n部署明年的工作任务和目标，会上\n"
        "记者在现场看到工人们正在紧张施工\n的场面十分热闹，大家干劲十足。①2\n\n会议召开\n"
    )
    root, result = convert(text)
    assert len(xp(root, "//t:div[@type='article']")) == 1
    assert persons(root) == [("张三", "reporter")]
    assert_lossless(text, result.data)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("本报讯（记者文静 通讯员图海）", [("文静", "reporter"), ("图海", "correspondent")]),
        ("新华社北京12月10日电（记者王文明）", [("王文明", "reporter")]),
        ("本报讯（记者张三上海报道）", [("张三", "reporter")]),
    ],
)
def test_names_holding_role_characters(byline: str, expected: list[tuple[str, str]]) -> None:
    root, result = convert(f"{byline}{BODY_A}①2\n\n会议召开\n")
    assert persons(root) == expected
    assert "byline.unparsed" not in [d.code for d in result.analysis.page.diagnostics]


def test_credit_line_at_the_foot_of_an_after_page_closes_the_article_above() -> None:
    text = (
        f"本报讯（记者王丹）{BODY_A}①2\n\n市委召开工作会议\n\n本报记者 岳 静\n\n"
        f"{BODY_B}①2\n\n市政府召开常务会议\n\n本报记者 王 五\n"
    )
    root, result = convert(text)
    articles = xp(root, "//t:div[@type='article']")
    assert len(articles) == 2 and not xp(root, "//t:div[@type='other']")
    assert texts(articles[1], "t:opener/t:byline/t:persName") == ["岳 静", "王 五"]
    assert_lossless(text, result.data)


@pytest.mark.parametrize("option", ["--paper", "--place", "--publisher"])
def test_metadata_with_control_characters_is_a_metadata_error(tmp_path: Path, option: str) -> None:
    page = tmp_path / "p.txt"
    page.write_text("市委召开会议。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(page), option, "a\x01b"])
    assert result.exit_code == ExitCode.METADATA
    assert "U+0001" in result.stderr


def test_file_name_with_control_and_undecodable_bytes(tmp_path: Path) -> None:
    for name in (b"ctl\x01.txt", b"bad\xff.txt"):
        path = os.path.join(os.fsencode(tmp_path), name)
        with open(path, "wb") as handle:
            handle.write("市委召开会议。\n".encode())
        result = CliRunner().invoke(main, ["convert", os.fsdecode(path)])
        assert result.exit_code == 0, result.output
        assert "\ufffd.txt</note>" in result.stdout


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "undefined"])
def test_non_text_codec(tmp_path: Path, encoding: str) -> None:
    page = tmp_path / "p.txt"
    page.write_text("abc\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(page), "--encoding", encoding])
    assert result.exit_code == ExitCode.DECODE, result.output


def test_year_before_1000_is_a_metadata_error(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("市委召开会议。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(page), "--date", "0999-12-31"])
    assert result.exit_code == ExitCode.METADATA


@pytest.mark.parametrize("epoch", ["253402300800", "99999999999999999999", "1480000000"])
def test_source_date_epoch_out_of_range_is_ignored(
    monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = convert_bytes("市委召开会议。\n".encode(), "p.txt", Metadata(), Options())
    created = etree.fromstring(result.data).find(".//{*}publicationStmt/{*}date")
    if epoch == "1480000000":
        assert created is not None and created.get("when") == "2016-11-24"
    else:
        assert created is None


@pytest.mark.parametrize(
    "text",
    [
        "正文①" + " " * 20_000 + "x\n",
        "正文（转" + " " * 20_000 + "x\n",
        "1234567890" * 4_000 + "\n",
        "".join("短标题\n" for _ in range(3))
        + "".join("本报讯（记者王丹）正文。\n" for _ in range(3000)),
        "".join("本报记者 岳 静\n\n" for _ in range(3000)),
        "".join("正文（转2版）\n" for _ in range(5000)),
    ],
    ids=["endmark-spaces", "jump-spaces", "digits", "heads-then-sources", "credits", "jumps"],
)
def test_former_quadratic_inputs(text: str) -> None:
    result = convert_bytes(text.encode(), "p.txt", Metadata(lang="zh-Hans"), Options())
    assert_lossless(text, result.data)


def test_validate_accepts_text_nodes_over_10_mb() -> None:
    doc = GOLDEN.read_text(encoding="utf-8").replace("市委召开", "市" * 11_000_000 + "委召开", 1)
    assert validate_bytes(doc.encode("utf-8")) == []


def _cli(
    *args: str, env: dict[str, str] | None = None, stdout: object = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "converter.cli", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        env=full_env,
        check=False,
    )


def test_text_into_a_closed_pipe(tmp_path: Path) -> None:
    out = tmp_path / "p.xml"
    big = "".join(f"第{i}行文字。\n" for i in range(20_000))
    (tmp_path / "p.txt").write_text(big, encoding="utf-8")
    assert _cli("convert", str(tmp_path / "p.txt"), "-o", str(out)).returncode == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        f"{sys.executable} -m converter.cli text {out} | head -1",
        shell=True,
        capture_output=True,
        env=env,
    )
    assert proc.stdout.decode().startswith("第0行")
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr


def test_text_writes_utf8_whatever_the_locale(tmp_path: Path) -> None:
    out = tmp_path / "p.xml"
    (tmp_path / "p.txt").write_text("市委召开会议。\n", encoding="utf-8")
    assert _cli("convert", str(tmp_path / "p.txt"), "-o", str(out)).returncode == 0
    proc = _cli("text", str(out), env={"PYTHONIOENCODING": "latin-1"})
    assert proc.returncode == 0 and proc.stdout.decode("utf-8") == "市委召开会议。\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_full_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("市委召开会议。\n", encoding="utf-8")
    with open("/dev/full", "wb") as full:
        proc = _cli("convert", str(tmp_path / "p.txt"), stdout=full)
    assert proc.returncode == ExitCode.OUTPUT, proc.stderr


def test_text_with_a_non_numeric_lb(tmp_path: Path) -> None:
    doc = tmp_path / "x.xml"
    doc.write_text(GOLDEN.read_text(encoding="utf-8").replace('<lb n="2"/>', '<lb n="iv"/>', 1))
    result = CliRunner().invoke(main, ["text", str(doc)])
    assert result.exit_code == ExitCode.INVALID and "iv" in result.stderr


def test_bom_offset_counts_the_bom() -> None:
    with pytest.raises(DecodeError, match="0xFF at offset 3"):
        convert_bytes(codecs.BOM_UTF8 + b"\xff", "p.txt", Metadata(), Options())


def test_text_starting_with_bzh_is_text() -> None:
    result = convert_bytes(b"BZh is how this line starts.\n", "p.txt", Metadata(), Options())
    assert b"BZh is how" in result.data


def test_utf16le_starting_with_nul() -> None:
    data = codecs.BOM_UTF16_LE + "\x00abc\n".encode("utf-16-le")
    result = convert_bytes(data, "p.txt", Metadata(), Options())
    assert "\ufffdabc" in result.data.decode()


def test_forced_utf16_with_lone_surrogate() -> None:
    data = "市委\ud800会议\n".encode("utf-16-le", "surrogatepass")
    result = convert_bytes(data, "p.txt", Metadata(), Options(encoding="utf-16-le"))
    assert "市委\ufffd会议" in result.data.decode()


def test_issue_date_flows_into_regressions() -> None:
    root, _ = convert(f"新华社北京10日电 {BODY_A}①2\n\n会议召开\n", date=dt.date(2016, 12, 11))
    assert [d.get("when") for d in xp(root, "//t:dateline/t:date")] == ["2016-12-10"]


def test_every_wide_letter_is_counted_wide() -> None:
    """Lines of Tangut, Nüshu or archaic kana join without a space, as ideographs do: every
    letter UAX #11 calls wide (W or F) is wide to the converter."""
    import unicodedata

    from converter.analyse.content import is_wide

    missing = [
        f"U+{cp:04X}"
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF
        and chr(cp).isalpha()
        and unicodedata.east_asian_width(chr(cp)) in ("W", "F")
        and not is_wide(chr(cp))
    ]
    assert missing == []


def test_wide_class_is_exactly_the_wide_ranges() -> None:
    """The wide class, compiled from ``WIDE_RANGES``, matches exactly their code points."""
    from converter.analyse.content import WIDE_RANGES, width

    every = "".join(chr(cp) for cp in range(0x110000))
    wide = {cp for first, last in WIDE_RANGES for cp in range(first, last + 1)}
    assert width(every) == len(wide) + (0x110000 - len(wide)) / 2
    for first, last in WIDE_RANGES:  # each range's edges, inside and just outside
        for cp in (first - 1, first, last, last + 1):
            assert width(chr(cp)) == (1.0 if cp in wide else 0.5), hex(cp)


def test_tangut_lines_join_without_space() -> None:
    text = "0\n\U00017000\n"
    result = convert_bytes(text.encode("utf-8"), "p.txt", Metadata(lang="zh"), Options())
    assert_lossless(text, result.data)
    assert b"0<lb" in result.data
