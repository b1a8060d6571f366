"""Typed errors of the converter, each with the process exit code the CLI maps it to.

The exit codes are a contract (documented in README.md); only the CLI turns an error into an
exit status and a message, so library callers get exceptions they can catch by type.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes of the ``newspaper-tei`` command."""

    OK = 0
    INVALID = 1  # validate: a document is not valid; text: not a newspaper-tei document
    USAGE = 2  # wrong command line (click's own usage errors use 2 as well)
    INPUT = 3  # input file missing, a directory, or unreadable
    DECODE = 4  # input is binary or cannot be decoded
    METADATA = 5  # bad metadata: option value or metadata file
    OUTPUT = 6  # output cannot be written
    PARTIAL = 7  # batch: some inputs failed, the others were converted
    INTERNAL = 70  # a bug: e.g. the converter produced a document its schema rejects
    INTERRUPTED = 130  # SIGINT / SIGTERM


class ConverterError(Exception):
    """Base class: a failure reported to the user in one line, with an exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + self.message


class InputFileError(ConverterError):
    """The input cannot be opened: missing, a directory, or unreadable."""

    exit_code = ExitCode.INPUT


class DecodeError(ConverterError):
    """The input is not text in a supported encoding (binary file, undecodable bytes)."""

    exit_code = ExitCode.DECODE


class MetadataError(ConverterError):
    """An option value or a metadata file is invalid."""

    exit_code = ExitCode.METADATA


class OutputError(ConverterError):
    """The output file cannot be written."""

    exit_code = ExitCode.OUTPUT


class NotTeiError(ConverterError):
    """A file given to ``text`` or ``validate`` is not a (well-formed) TEI document."""

    exit_code = ExitCode.INVALID


class InternalError(ConverterError):
    """A defect in the converter; the message tells the user to rerun with --debug."""

    exit_code = ExitCode.INTERNAL


class InvalidOutputError(InternalError):
    """The converter built a document that its own schema rejects; nothing is written."""
