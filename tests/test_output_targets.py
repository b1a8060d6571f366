"""Files named by ``convert -o`` and ``--report``: streams are written through, regular files
replaced atomically, links followed, modes kept, and a write error is exit 6."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from converter.batch import output
from converter.cli import main
from converter.errors import ExitCode, OutputError

PAGE = "本报讯（记者王丹） 12月10日，市委召开会议。\n会议强调要抓好落实。\n\n会议召开\n"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "p1.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture
def tei(page: Path) -> bytes:
    """The page's TEI as written to stdout."""
    code, out, _ = run("convert", str(page))
    assert code == ExitCode.OK
    return out


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device node like /dev/null (minor 3) or /dev/full (minor 7) made in
    ``tmp_path``, so that a defect replaces a test file and never the system's device."""
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


class Reader:
    """Reads a FIFO (or a pty's master side) to its end in a thread."""

    def __init__(self, path: Path | None = None, fd: int | None = None) -> None:
        self.data = b""
        self.path, self.fd = path, fd
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        fd = os.open(self.path, os.O_RDONLY) if self.path is not None else self.fd
        assert fd is not None
        chunks = []
        try:
            while chunk := os.read(fd, 65536):
                chunks.append(chunk)
        except OSError:  # a pty's master reads EIO once the slave side is closed
            pass
        finally:
            if self.path is not None:
                os.close(fd)
        self.data = b"".join(chunks)

    def result(self) -> bytes:
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        return self.data


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    yield path


# --- streams -------------------------------------------------------------------------------


def test_a_character_device_is_written_through_and_stays_a_device(
    page: Path, tmp_path: Path
) -> None:
    null = device(tmp_path, "null", 3)
    code, _, err = run("convert", str(page), "-o", str(null), "--report", str(null))
    assert code == ExitCode.OK, err
    assert stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "p1.txt"]


def test_a_terminal_is_written_through(page: Path, tei: bytes) -> None:
    """A pty is a character device anyone can open: the TEI arrives on its other side."""
    leader, follower = os.openpty()
    name = os.ttyname(follower)
    os.close(follower)
    # The pty must not turn line ends into CR LF, so the bytes can be compared.
    keep = os.open(name, os.O_RDWR | os.O_NOCTTY)
    import termios

    attrs = termios.tcgetattr(keep)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(keep, termios.TCSANOW, attrs)
    reader = Reader(fd=leader)
    try:
        code, _, err = run("convert", str(page), "-o", name)
        assert stat.S_ISCHR(os.stat(name).st_mode)
    finally:
        os.close(keep)
    got = reader.result()
    os.close(leader)
    assert code == ExitCode.OK, err
    assert got == tei


def test_a_full_device_is_exit_6_in_one_line(page: Path, tmp_path: Path) -> None:
    full = device(tmp_path, "full", 7)
    for option in ("-o", "--report"):
        args = [str(page), option, str(full)]
        if option == "--report":
            args += ["-o", str(tmp_path / "o.xml")]
        code, _, err = run("convert", *args)
        assert code == ExitCode.OUTPUT
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "No space left on device" in lines[0], err
        assert str(full) in lines[0]
        assert stat.S_ISCHR(full.stat().st_mode)
        assert not (tmp_path / "o.xml").exists()


def test_a_fifo_is_written_through_and_stays_a_fifo(page: Path, fifo: Path, tei: bytes) -> None:
    reader = Reader(fifo)
    code, _, err = run("convert", str(page), "-o", str(fifo))
    assert code == ExitCode.OK, err
    assert reader.result() == tei
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_report_goes_through_a_fifo(page: Path, fifo: Path, tmp_path: Path) -> None:
    reader = Reader(fifo)
    code, _, err = run("convert", str(page), "--report", str(fifo), "-o", str(tmp_path / "o.xml"))
    assert code == ExitCode.OK, err
    assert json.loads(reader.result())["file"] == str(page)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_write_error_on_a_stream_is_exit_6(
    page: Path, fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = Reader(fifo)

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    code, _, err = run("convert", str(page), "-o", str(fifo))
    monkeypatch.undo()
    reader.result()
    assert code == ExitCode.OUTPUT
    assert err.strip() == f"newspaper-tei: {fifo}: cannot write: No space left on device"


def test_dash_is_stdout(page: Path, tei: bytes, tmp_path: Path) -> None:
    code, out, err = run("convert", str(page), "-o", "-")
    assert code == ExitCode.OK and out == tei
    assert "->" not in err  # the summary says the TEI went to stdout, as without -o
    code, out, _ = run("convert", str(page), "--report", "-", "-o", str(tmp_path / "o.xml"))
    assert code == ExitCode.OK
    assert json.loads(out)["file"] == str(page)
    assert not (tmp_path / "-").exists()


def test_report_and_tei_both_to_stdout_is_a_usage_error(page: Path) -> None:
    for args in (["--report", "-"], ["--report", "-", "-o", "-"]):
        code, out, err = run("convert", str(page), *args)
        assert code == ExitCode.USAGE
        assert out == b"" and "--report -" in err


def test_dev_stdout_writes_to_the_descriptor_not_over_the_file(page: Path, tmp_path: Path) -> None:
    """``-o /dev/stdout`` with stdout appending to a file appends; the file is not replaced."""
    log = tmp_path / "log.xml"
    log.write_bytes(b"before\n")
    inode = log.stat().st_ino
    with log.open("ab") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "converter.cli", "convert", str(page), "-o", "/dev/stdout"],
            stdout=handle,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert log.stat().st_ino == inode
    data = log.read_bytes()
    assert data.startswith(b"before\n<?xml") and data.endswith(b"</TEI>\n")


# --- regular files and links ---------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_an_existing_file_keeps_its_mode(page: Path, tmp_path: Path, mode: int) -> None:
    out, report = tmp_path / "o.xml", tmp_path / "r.json"
    for path in (out, report):
        path.write_bytes(b"old")
        path.chmod(mode)
    code, _, err = run("convert", str(page), "-o", str(out), "--report", str(report))
    assert code == ExitCode.OK, err
    for path in (out, report):
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert path.read_bytes() != b"old"


def test_a_new_file_is_0644(page: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xml"
    assert run("convert", str(page), "-o", str(out))[0] == ExitCode.OK
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_a_symlink_writes_its_target_atomically_and_stays(
    page: Path, tmp_path: Path, tei: bytes
) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "page.xml"
    target.write_bytes(b"old")
    target.chmod(0o600)
    old_inode = target.stat().st_ino
    link = tmp_path / "link.xml"
    link.symlink_to(Path("real") / "page.xml")
    code, _, err = run("convert", str(page), "-o", str(link))
    assert code == ExitCode.OK, err
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "page.xml")
    assert target.read_bytes() == tei
    assert target.stat().st_ino != old_inode  # renamed into place, not rewritten in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["page.xml"]


def test_a_dangling_symlink_makes_its_target(page: Path, tmp_path: Path, tei: bytes) -> None:
    link = tmp_path / "link.xml"
    link.symlink_to("made.xml")
    assert run("convert", str(page), "-o", str(link))[0] == ExitCode.OK
    assert link.is_symlink() and (tmp_path / "made.xml").read_bytes() == tei


def test_a_symlink_to_a_device_writes_through(page: Path, tmp_path: Path) -> None:
    null = device(tmp_path, "null", 3)
    link = tmp_path / "link"
    link.symlink_to(null)
    assert run("convert", str(page), "-o", str(link))[0] == ExitCode.OK
    assert link.is_symlink() and stat.S_ISCHR(null.stat().st_mode)


def test_a_socket_is_refused(page: Path, tmp_path: Path) -> None:
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        code, _, err = run("convert", str(page), "-o", str(path))
    finally:
        server.close()
    assert code == ExitCode.OUTPUT and "regular file" in err
    assert stat.S_ISSOCK(path.stat().st_mode)


def test_a_failed_rename_leaves_the_old_file_whole(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "o.xml"
    out.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run("convert", str(page), "-o", str(out))
    monkeypatch.undo()
    assert code == ExitCode.OUTPUT and "Input/output error" in err
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.xml", "p1.txt"]


def test_write_output_library_call(tmp_path: Path) -> None:
    """The library raises OutputError; it never exits."""
    with pytest.raises(OutputError):
        output.write_output(tmp_path, b"x")
    output.write_output(tmp_path / "new", b"x")
    assert (tmp_path / "new").read_bytes() == b"x"
