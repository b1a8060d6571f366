"""Entry point of the ``newspaper-tei`` command: load the command line and run it.

Loading click, lxml and the converter makes tens of thousands of objects that live as long as
the process. The cyclic garbage collector is paused while they are made (scanning them then
finds nothing to free), and they are then frozen, moved where later collections do not scan
them again, before collection resumes for the command itself. A one-page conversion takes
about a tenth less time so. What the command writes does not depend on it.
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    try:
        from .cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    run()
