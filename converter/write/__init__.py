"""Writers: each output format turns the document model into a tree.

TEI: ``tei.py`` (page, issue and article documents; their bytes) with ``tei_header.py``,
``tei_body.py`` and ``tei_xml.py`` (namespace, elements, indentation).
"""
