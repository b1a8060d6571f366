"""Atomic output: write a file through a temporary file in the same folder, then rename.

A crash, Ctrl-C or full disk never leaves a half-written file under the final name. With
``fsync`` the data also reaches the disk before the rename, so a power loss cannot leave an
empty file either; that costs a disk flush per file, so batch runs make it an option.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import OutputError


def write_atomic(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; raise OutputError if that is not possible."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError("is a directory", path=path)
    if not folder.is_dir():
        raise OutputError(f"folder {folder} does not exist", path=path)
    try:
        fd, tmp = _temporary(folder, path.name)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
        raise


_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC


def _temporary(folder: Path, name: str) -> tuple[int, Path]:
    """Create a new private file ``.<name>.<random>.tmp`` in ``folder``; return its descriptor
    and path.

    What ``tempfile.mkstemp`` does, without importing ``tempfile`` (and with it ``shutil`` and
    ``random``) into every run of the command: a few milliseconds of a one-page ``convert``.
    """
    for _ in range(100):
        tmp = folder / f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            return os.open(tmp, _EXCLUSIVE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


# --- staging folders ---------------------------------------------------------------------------
#
# A batch of files is cheaper to write into a hidden staging folder (plain writes, no temporary
# file and rename per file) and to move into place afterwards: as a whole folder with one rename
# when its target does not exist yet, else file by file with one atomic rename each.

STAGING_SUFFIX = ".newspaper-tei-staging"


_UMASK: list[int] = []


def _umask() -> int:
    if not _UMASK:
        mask = os.umask(0o022)
        os.umask(mask)
        _UMASK.append(mask)
    return _UMASK[0]


def write_new(path: Path, data: bytes, *, fsync: bool = False) -> None:
    """Create ``path`` (it must not exist) with ``data`` and mode 0o644, as ``write_atomic`` does.

    Not atomic: meant for files in a staging folder that no one reads until it is complete.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        if _umask() & 0o644:
            os.fchmod(fd, 0o644)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def staging_folder(folder: Path, owner: str = "") -> Path:
    """The hidden staging folder in ``folder`` for the target ``folder/<owner>`` (to be renamed
    into place as a whole), or with ``owner`` empty for files to be moved into ``folder``.

    Its name is fixed, so a leftover of an interrupted run is found without listing ``folder``;
    one run at a time may write a given target.
    """
    return folder / (f".{owner}{STAGING_SUFFIX}" if owner else STAGING_SUFFIX)


def new_staging_folder(path: Path) -> None:
    """Create the staging folder ``path``, removing a leftover of an interrupted run first.

    Its mode is that of a folder made by ``mkdir``, so it can become the target itself.
    """
    try:
        os.mkdir(path)
    except FileExistsError:
        import shutil  # only for a leftover: not loaded by a one-page run

        shutil.rmtree(path)
        os.mkdir(path)
