"""Entry point of the ``newspaper-tei`` command: load the command line, run it, and leave.

Loading click, lxml and the converter makes tens of thousands of objects that live as long as
the process. The cyclic garbage collector is paused while they are made (scanning them then is
work for nothing, a few milliseconds of every run), and they are then frozen, moved where later
collections do not scan them again, before collection resumes for the conversion itself.

When the command is done, its files are written and closed; what is left is the interpreter
taking every module and object apart one by one, about as long again as a small page's
conversion. So the process ends at once, once standard output and error are flushed. Should a
flush fail, the ordinary exit runs instead, so nothing the user was to see is lost.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    gc.disable()
    try:
        from .cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    try:
        run()
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    if not isinstance(code, int):
        sys.exit(code)  # a message instead of a number: the interpreter prints it
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
