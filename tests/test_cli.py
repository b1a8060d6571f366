"""The command line: every command, every documented exit code, one clear line per error."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter import __version__
from converter.cli import main
from converter.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "jiaozuo-daily" / "2016-12-11" / "p1.txt"
SEED_META = ROOT / "samples" / "jiaozuo-daily" / "2016-12-11" / "issue.toml"

PAGE = "本报讯（记者王丹） 12月10日，市委召开会议。\n会议强调要抓好落实。①2\n\n会议召开\n"


def run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "p1.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def one_line_error(stderr: str, *needles: str) -> None:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


@pytest.mark.parametrize(
    "command", [[], ["convert"], ["validate"], ["text"], ["issue"], ["archive"]]
)
def test_help_has_example(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Example" in out


def test_convert_to_stdout(page: Path) -> None:
    code, out, err = run("convert", str(page), "--lang", "zh-Hans", "--date", "2016-12-11")
    assert code == ExitCode.OK
    assert out.startswith("<?xml")
    assert '<date when="2016-12-10">12月10日</date>' in out
    assert "1 article" in err


def test_convert_fsync_writes_the_same_file(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--fsync flushes the page to disk before renaming it; the file is the same."""
    import os

    flushed: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(fd), real_fsync(fd))[1])
    plain, synced = tmp_path / "plain.xml", tmp_path / "synced.xml"
    assert run("convert", str(page), "--lang", "zh", "-o", str(plain))[0] == ExitCode.OK
    assert not flushed
    assert run("convert", str(page), "--lang", "zh", "-o", str(synced), "--fsync")[0] == 0
    assert len(flushed) == 1
    assert plain.read_bytes() == synced.read_bytes()


def test_convert_to_file_with_meta_and_report(page: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.xml"
    report = tmp_path / "report.json"
    code, out, err = run(
        "convert",
        str(SEED),
        "--meta",
        str(SEED_META),
        "--page",
        "1",
        "-o",
        str(out_file),
        "--report",
        str(report),
    )
    assert code == ExitCode.OK, err
    assert out == ""
    data = out_file.read_text(encoding="utf-8")
    assert "<title>焦作日报 2016-12-11 第1版</title>" in data
    payload = json.loads(report.read_text(encoding="utf-8"))
    assert payload["layout"] == "after"
    assert isinstance(payload["diagnostics"], list)
    assert "6 articles" in err and "1 advertisement" in err


def test_options_win_over_meta_file(tmp_path: Path) -> None:
    code, out, _ = run("convert", str(SEED), "--meta", str(SEED_META), "--page", "3")
    assert code == 0
    assert '<pb n="3"/>' in out and 'xml:id="p3-a1"' in out


def test_no_metadata_guesses_nothing(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"  # no number in the name: no page number either
    page.write_text(PAGE, encoding="utf-8")
    code, out, _ = run("convert", str(page))
    assert code == 0
    assert "<title>page.txt</title>" in out
    assert "<imprint>" in out and "<date/>" in out
    assert 'xml:lang="zh"' in out  # the script shows ideographs; nothing more specific


def test_dump_labels(page: Path) -> None:
    code, out, _ = run("convert", str(page), "--dump", "labels")
    assert code == 0
    assert "head" in out and "text" in out


def test_dump_leaning(page: Path) -> None:
    code, out, _ = run("convert", str(page), "--dump", "leaning")
    assert code == 0 and out.startswith("leaning:")


def test_text_round_trip(page: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "p1.xml"
    assert run("convert", str(SEED), "--meta", str(SEED_META), "-o", str(out_file))[0] == 0
    code, out, _ = run("text", str(out_file))
    assert code == 0
    want = [ln.rstrip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert out.splitlines() == want


def test_validate_ok_and_invalid(tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    assert run("convert", str(SEED), "--meta", str(SEED_META), "-o", str(good))[0] == 0
    code, _, err = run("validate", str(good))
    assert code == ExitCode.OK, err
    bad = tmp_path / "bad.xml"
    bad.write_text(good.read_text(encoding="utf-8").replace('type="article"', 'type="story"', 1))
    code, out, _ = run("validate", str(good), str(bad))
    assert code == ExitCode.INVALID
    assert out.startswith(f"{bad}:")
    assert all(line.startswith(f"{bad}:") for line in out.splitlines())


def test_validate_not_xml(tmp_path: Path) -> None:
    bad = tmp_path / "broken.xml"
    bad.write_text("<TEI><text>")
    code, out, _ = run("validate", str(bad))
    assert code == ExitCode.INVALID
    assert out.startswith(f"{bad}:1") or out.startswith(f"{bad}:")


def test_validate_missing_file(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.xml"))
    assert code == ExitCode.INPUT
    one_line_error(err, "nope.xml")


def test_text_not_xml(tmp_path: Path) -> None:
    bad = tmp_path / "x.xml"
    bad.write_text("not xml at all")
    code, _, err = run("text", str(bad))
    assert code == ExitCode.INVALID
    one_line_error(err, "x.xml")


def test_text_missing(tmp_path: Path) -> None:
    code, _, err = run("text", str(tmp_path / "none.xml"))
    assert code == ExitCode.INPUT
    one_line_error(err, "none.xml")


# --- bad input: one line naming the file, a documented code, no output file ------------------


def _convert_fails(args: list[str], out_file: Path, code: ExitCode, *needles: str) -> None:
    got, _, err = run("convert", *args, "-o", str(out_file))
    assert got == code, err
    one_line_error(err, *needles)
    assert not out_file.exists()
    leftovers = [p for p in out_file.parent.iterdir() if p.name.startswith(f".{out_file.name}")]
    assert leftovers == []


def test_missing_file(tmp_path: Path) -> None:
    _convert_fails(
        [str(tmp_path / "missing.txt")], tmp_path / "o.xml", ExitCode.INPUT, "missing.txt"
    )


def test_directory(tmp_path: Path) -> None:
    _convert_fails([str(tmp_path)], tmp_path / "o.xml", ExitCode.INPUT, str(tmp_path), "directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable(page: Path, tmp_path: Path) -> None:  # pragma: no cover - not as root
    page.chmod(0)
    _convert_fails([str(page)], tmp_path / "o.xml", ExitCode.INPUT, "p1.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (gzip.compress(b"hello"), "gzip"),
        (bytes(range(32)) * 50, "binary"),
    ],
)
def test_binary_input(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(data)
    _convert_fails([str(path)], tmp_path / "o.xml", ExitCode.DECODE, "scan.txt", kind)


def test_undecodable_bytes_name_offset_and_option(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("本报讯".encode() + b"\xff\xfe\xfd rest")
    _convert_fails(
        [str(path)], tmp_path / "o.xml", ExitCode.DECODE, "gbk.txt", "offset 9", "--encoding"
    )


def test_forced_encoding(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("本报讯（记者王丹）市委召开会议。\n".encode("gb18030"))
    code, out, err = run("convert", str(path), "--encoding", "gb18030")
    assert code == 0, err
    assert "王丹" in out and "gb18030" in out


def test_forced_encoding_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc\xff")
    _convert_fails(
        [str(path), "--encoding", "ascii"], tmp_path / "o.xml", ExitCode.DECODE, "offset 3"
    )


def test_unknown_encoding(page: Path, tmp_path: Path) -> None:
    _convert_fails(
        [str(page), "--encoding", "klingon"], tmp_path / "o.xml", ExitCode.DECODE, "klingon"
    )


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        ("--date", "2016-02-30", "2016-02-30"),
        ("--date", "11/12/2016", "YYYY-MM-DD"),
        ("--page", "0", "page"),
        ("--page", "-1", "page"),
        ("--page", "one", "page"),
        ("--issn", "1234-5678", "issn"),
        ("--lang", "chinese simplified", "lang"),
    ],
)
def test_bad_option(page: Path, tmp_path: Path, option: str, value: str, needle: str) -> None:
    _convert_fails(
        [str(page), option, value], tmp_path / "o.xml", ExitCode.METADATA, "p1.txt", needle
    )


def test_unknown_meta_key(page: Path, tmp_path: Path) -> None:
    meta = tmp_path / "m.toml"
    meta.write_text('paper = "X"\ncolour = "red"\n')
    _convert_fails(
        [str(page), "--meta", str(meta)], tmp_path / "o.xml", ExitCode.METADATA, "m.toml", "colour"
    )


def test_malformed_meta(page: Path, tmp_path: Path) -> None:
    meta = tmp_path / "m.toml"
    meta.write_text('paper = "X"\ndate = \n')
    _convert_fails(
        [str(page), "--meta", str(meta)], tmp_path / "o.xml", ExitCode.METADATA, "m.toml:2"
    )


def test_bad_date_in_meta(page: Path, tmp_path: Path) -> None:
    meta = tmp_path / "m.toml"
    meta.write_text('date = "2016-02-30"\n')
    _convert_fails(
        [str(page), "--meta", str(meta)], tmp_path / "o.xml", ExitCode.METADATA, "m.toml"
    )


def test_missing_meta(page: Path, tmp_path: Path) -> None:
    _convert_fails(
        [str(page), "--meta", str(tmp_path / "none.toml")],
        tmp_path / "o.xml",
        ExitCode.INPUT,
        "none.toml",
    )


def test_unwritable_output(page: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "o.xml"
    code, _, err = run("convert", str(page), "-o", str(target))
    assert code == ExitCode.OUTPUT
    one_line_error(err, "o.xml")


def test_output_is_directory(page: Path, tmp_path: Path) -> None:
    code, _, err = run("convert", str(page), "-o", str(tmp_path))
    assert code == ExitCode.OUTPUT
    one_line_error(err, str(tmp_path))


def test_internal_error_is_one_line_with_hint(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import converter.pipeline as pipeline

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(pipeline, "analyse", boom)
    code, _, err = run("convert", str(page))
    assert code == ExitCode.INTERNAL
    one_line_error(err, "internal error", "--debug")
    code, _, err = run("--debug", "convert", str(page))
    assert code == ExitCode.INTERNAL
    assert "Traceback" in err


def test_invalid_output_is_internal_error_and_nothing_written(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import converter.pipeline as pipeline
    from converter.validate import SchemaProblem

    monkeypatch.setattr(
        "converter.validate.validate_tree", lambda _root: [SchemaProblem(None, "bad")]
    )
    out_file = tmp_path / "o.xml"
    code, _, err = run("convert", str(page), "-o", str(out_file))
    assert code == ExitCode.INTERNAL
    one_line_error(err, "schema", "p1.txt")
    assert not out_file.exists()
    assert pipeline is not None


def test_usage_error_exit_code(page: Path) -> None:
    code, _, _ = run("convert", str(page), "--headlines", "sideways")
    assert code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([str(SEED), "--meta", str(SEED_META)], ExitCode.OK),
        (["no-such-page.txt"], ExitCode.INPUT),
    ],
)
def test_the_command_ends_with_all_its_output_and_its_exit_code(
    args: list[str], code: int, tmp_path: Path
) -> None:
    """Through the installed entry point, whatever went to stdout and stderr is all there (piped,
    so buffered), and the exit code is the command's."""
    import subprocess
    import sys

    launch = "from converter.launch import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", launch, "convert", *args],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == code, done.stderr
    if code == ExitCode.OK:
        assert done.stdout.startswith(b"<?xml") and done.stdout.endswith(b"</TEI>\n")
        assert done.stdout == CliRunner().invoke(main, ["convert", *args]).stdout_bytes
        assert b"6 articles" in done.stderr
    else:
        assert done.stdout == b""
        assert done.stderr.decode().startswith("newspaper-tei: ") and b"no such file" in done.stderr
