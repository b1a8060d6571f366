"""Output placement: files and issue folders reach their final names only complete.

A file named on the command line (``write_output``) is written through when it is a stream: ``-``
(standard output), a character device (``/dev/null``, a terminal) or a FIFO; anything else is a
regular file, written atomically: to a temporary file beside it, then renamed
(``write_atomic``), keeping the mode of the file it replaces. A symbolic link is followed: its
target is replaced, the link stays. An issue's
files (documents, manifest, report, and in archives its stamp) are written into a hidden staging
folder first and then moved into place: the whole folder with one rename when its target does
not exist yet, else file by file, each rename atomic (``write_issue``). A crash, Ctrl-C or full
disk thus never leaves a half-written file under a final name. With ``fsync`` the data also
reaches the disk before the renames, so a power loss cannot leave an empty file either; that
costs a disk flush per file, so it is an option.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError

if TYPE_CHECKING:
    from .issue import IssueResult

#: The stamp of an issue folder written by an archive run. It is written last and removed
#: before anything else in the folder changes, so a folder with a stamp is complete.
STAMP = ".newspaper-tei.json"
STAGING_SUFFIX = ".newspaper-tei-staging"
#: The sub-folder of an issue folder that holds its article documents.
ARTICLES = "articles"


#: The name of standard output among output file names.
STDOUT = "-"
#: Names of an open descriptor of this process: written to that descriptor, so that its
#: offset (a log opened for appending, a file the shell truncated) is the one that moves.
_DESCRIPTOR = re.compile(r"/dev/(?:std(?P<std>out|err)|fd/(?P<fd>\d+))|/proc/self/fd/(?P<proc>\d+)")
_STANDARD = {"out": 1, "err": 2}


def write_output(path: Path, data: bytes, *, fsync: bool = False) -> None:
    """Write ``data`` to the output file ``path`` as the module docstring says; raise
    OutputError (exit 6) if it cannot be written, a full device included."""
    if str(path) == STDOUT:
        write_stdout(data, STDOUT)
        return
    descriptor = _DESCRIPTOR.fullmatch(str(path))
    if descriptor is not None:
        number = descriptor["fd"] or descriptor["proc"]
        fd = int(number) if number else _STANDARD[descriptor["std"]]
        if fd == 1:
            write_stdout(data, str(path))
        else:
            _write_all(fd, data, path)
        return
    try:
        mode = os.stat(path).st_mode  # the link's target, for a symbolic link
    except FileNotFoundError:
        mode = None  # a new file (or a link to one that is yet to be made)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    if mode is not None and _is_stream(mode):
        if _write_through(path, data):
            return
        mode = os.stat(path).st_mode  # replaced by a regular file meanwhile
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutputError(
            "is neither a regular file nor a character device or FIFO to write to", path=path
        )
    # A link is followed to its target, which is replaced; renaming onto the link itself
    # would replace the link with a file and leave its target as it was.
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    keep = stat.S_IMODE(mode) if mode is not None and stat.S_ISREG(mode) else None
    write_atomic(target, data, fsync=fsync, mode=keep)


def write_stdout(data: bytes, where: str) -> None:
    """Write ``data`` to standard output; a write error (a full disk, a closed descriptor) is
    an OutputError. A reader that went away (BrokenPipeError) is left to the caller."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(
            f"cannot write to standard output: {exc.strerror or exc}", path=where
        ) from None


def _is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _write_through(path: Path, data: bytes) -> bool:
    """Write ``data`` into the character device or FIFO ``path`` (a FIFO waits for its
    reader); False, with nothing written, if ``path`` is no longer one when opened."""
    try:
        # No O_CREAT, no O_TRUNC: a device or FIFO is opened, never made or emptied.
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    try:
        if not _is_stream(os.fstat(fd).st_mode):
            return False
        _write_all(fd, data, path)
    finally:
        os.close(fd)
    return True


def _write_all(fd: int, data: bytes, path: Path) -> None:
    """Write all of ``data`` to the descriptor (a pipe may take part of it per call)."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None


def write_atomic(path: Path, data: bytes, *, fsync: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically with permissions ``mode`` (default 0o644, whatever
    the umask); raise OutputError if that is not possible."""
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
        os.chmod(tmp, 0o644 if mode is None else mode)
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
    and path (what ``tempfile.mkstemp`` does, with the name the staging clean-up knows)."""
    for _ in range(100):
        tmp = folder / f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            return os.open(tmp, _EXCLUSIVE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


# --- issue folders -----------------------------------------------------------------------------


def issue_files(result: IssueResult) -> list[tuple[str, bytes]]:
    """The files of an issue's output folder, by their paths in it: the issue and article
    documents, their catalogue records, ``manifest.jsonl``, ``report.json`` and the issue's
    HTML view (staged with the rest, so a stamped issue always has it)."""
    import json  # with the issue code; a one-page conversion does without it

    from .views import VIEW, issue_view

    report = json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n"
    files = [(document.path, document.data) for document in result.documents]
    files += [(record.path, record.data) for record in result.records]
    files.append(("manifest.jsonl", result.manifest()))
    files.append(("report.json", report.encode("utf-8")))
    files.append((VIEW, issue_view(result)))
    return files


def write_issue(
    result: IssueResult,
    target: Path,
    *,
    fsync: bool = False,
    stamp: Callable[[list[str]], bytes] | None = None,
    whole: bool = False,
) -> list[str]:
    """Write an issue's files into ``target``; remove the articles a previous run left there.
    Return the paths of the files written, the stamp's aside.

    ``stamp``, given those paths, makes the stamp, which is written last. With ``whole`` and
    no target yet (the first run of an archive) the staging folder is made next to the target
    and renamed into place as a whole; otherwise (or if the target appeared meanwhile, made by
    a nested issue's target) the staging folder is made inside the target and each file is
    renamed into it, the stamp last. ``fsync`` flushes every file and folder to disk first.
    """
    files = issue_files(result)
    outputs = [name for name, _ in files]
    if stamp is not None:
        files.append((STAMP, stamp(outputs)))
    try:
        _place(files, target, fsync=fsync, whole=whole)
    except OSError as exc:
        where = exc.filename or target
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=where) from None
    return outputs


def staging_folder(folder: Path, owner: str = "") -> Path:
    """The hidden staging folder in ``folder`` for the target ``folder/<owner>`` (to be renamed
    into place as a whole), or with ``owner`` empty for files to be moved into ``folder``.

    Its name is fixed, so a leftover of an interrupted run is found without listing ``folder``;
    one run at a time may write a given target.
    """
    return folder / (f".{owner}{STAGING_SUFFIX}" if owner else STAGING_SUFFIX)


def _place(files: list[tuple[str, bytes]], target: Path, *, fsync: bool, whole: bool) -> None:
    """Stage the files and move them into ``target`` (see ``write_issue``)."""
    import shutil  # only for issue folders: not loaded by a one-page conversion

    if whole:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = staging_folder(target.parent, target.name)
        whole = not target.exists()
        if not whole and staging.exists():
            shutil.rmtree(staging)  # a leftover of a run interrupted before the target existed
    if not whole:
        target.mkdir(parents=True, exist_ok=True)
        (target / STAMP).unlink(missing_ok=True)  # so that a run cut short here is redone
        staging = staging_folder(target)
    try:
        if staging.exists():
            shutil.rmtree(staging)  # a leftover of an interrupted run
        # Made by mkdir, it has the mode of any other folder, so it can become the target.
        os.mkdir(staging)
        _stage(staging, files, fsync)
        if whole and _rename_folder(staging, target):
            if fsync:
                _fsync_folder(target.parent)
        else:
            _move_into(staging, target, files, fsync)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _stage(staging: Path, files: list[tuple[str, bytes]], fsync: bool) -> None:
    """Write the files into the empty staging folder (the target's layout), flushed if
    ``fsync``."""
    os.mkdir(staging / ARTICLES)
    for name, data in files:
        write_new(staging / name, data, fsync=fsync)
    if fsync:
        _fsync_folder(staging / ARTICLES)
        _fsync_folder(staging)


def _rename_folder(staging: Path, target: Path) -> bool:
    """Rename a staged folder to ``target``; False if the target exists by now (a nested
    issue's output, made meanwhile, made it)."""
    try:
        os.rename(staging, target)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
            return False
        raise
    return True


def _move_into(staging: Path, target: Path, files: list[tuple[str, bytes]], fsync: bool) -> None:
    """Rename the staged files into an existing target one by one, the last file (the stamp,
    if any) last; remove the stamp first and the articles that are no longer outputs."""
    articles = target / ARTICLES
    articles.mkdir(exist_ok=True)
    (target / STAMP).unlink(missing_ok=True)  # the outputs change now; a new stamp comes last
    keep = {name for name, _ in files}
    for folder, prefix in ((target, ""), (articles, ARTICLES + "/")):
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    if name.endswith(".tmp"):  # of an interrupted run of an earlier version
                        os.unlink(entry.path)
                elif prefix and name.endswith(".xml") and prefix + name not in keep:
                    os.unlink(entry.path)  # an article of an earlier run, no longer an output
    for name, _ in files:
        os.replace(staging / name, target / name)
    if fsync:
        _fsync_folder(articles)
        _fsync_folder(target)


def write_new(path: Path, data: bytes, *, fsync: bool = False) -> None:
    """Create ``path`` (it must not exist) with ``data`` and mode 0o644 whatever the umask, as
    ``write_atomic`` does. Not atomic: meant for files in a staging folder, which no one reads
    until it is complete."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
