"""newspaper-tei: turn the OCR text of newspaper pages into validated TEI P5 documents."""

__version__ = "0.1.0"
