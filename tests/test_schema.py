"""The bundled newspaper-tei XSD: what it accepts, what it rejects, and how it reports.

Every document these tests treat as valid is also checked against the official
TEI P5 ``tei_all`` schema, so the bundled schema never accepts TEI that the
official one rejects.
"""

from __future__ import annotations

import socket
import subprocess
from typing import Any

import pytest
from lxml import etree

from converter.validate import (
    SchemaProblem,
    load_schema,
    schema_path,
    validate_bytes,
    validate_tree,
    validate_tree_reference,
)

TEI = "{http://www.tei-c.org/ns/1.0}"

PAGE_DOC = """\
<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Evening Ledger, 14 March 1916, page 1</title>
      </titleStmt>
      <publicationStmt>
        <authority>newspaper-tei 0.1.0</authority>
        <date when="2024-05-01"/>
      </publicationStmt>
      <notesStmt>
        <note type="source-file">evening-ledger/1916-03-14/seq-1/ocr.txt</note>
        <note type="source-encoding">utf-8</note>
      </notesStmt>
      <sourceDesc>
        <biblStruct>
          <analytic>
            <title level="a" type="main">Allies Press Forward on Western Front</title>
            <author role="correspondent"><persName role="correspondent">Henry W. Baker</persName></author>
            <author>Staff</author>
          </analytic>
          <monogr>
            <title level="j">Evening Ledger</title>
            <idno type="ISSN">2333-1234</idno>
            <idno type="LCCN">sn83045211</idno>
            <idno type="OCLC">9428183</idno>
            <imprint>
              <pubPlace>Philadelphia, Pa.</pubPlace>
              <publisher>Public Ledger Co.</publisher>
              <date when="1916-03-14">March 14, 1916</date>
              <biblScope unit="volume" n="2">Vol. II</biblScope>
              <biblScope unit="issue" n="154">No. 154</biblScope>
              <biblScope unit="edition">Night Extra</biblScope>
              <biblScope unit="page" n="1" from="1" to="1"/>
            </imprint>
          </monogr>
        </biblStruct>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <appInfo>
        <application ident="newspaper-tei" version="0.1.0">
          <label>newspaper-tei</label>
        </application>
      </appInfo>
    </encodingDesc>
    <profileDesc>
      <langUsage>
        <language ident="en">English</language>
      </langUsage>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <pb n="1"/>
      <div type="masthead" xml:id="p1-d1">
        <head type="main">EVENING LEDGER</head>
        <p><lb n="3"/>PHILADELPHIA, TUESDAY, MARCH 14, 1916</p>
      </div>
      <div type="article" xml:id="p1-d2">
        <head type="kicker">WAR NEWS</head>
        <head type="main"><lb n="4"/>ALLIES PRESS FORWARD<lb n="5"/>ON WESTERN FRONT</head>
        <head type="sub">Heavy Fighting Reported Near Verdun</head>
        <head>Later Bulletins <ref type="continuation" subtype="next" n="A3">on Page A3</ref></head>
        <opener>
          <byline>By <persName role="correspondent">Henry W. Baker</persName>,<lb n="6"/><orgName>Associated Press</orgName></byline>
          <dateline><placeName>LONDON</placeName>, <date when="--03-13">March 13</date>.</dateline>
        </opener>
        <cb/>
        <p><lb n="7"/>The British War Office announced to-<lb n="8" break="no"/>day that the advance of the
<lb n="9"/>allied armies continued, said <persName>General Haig</persName> of the
<lb n="10"/><orgName>Expeditionary Force</orgName> near <placeName>Verdun</placeName> on
<lb n="11"/><date when="1916-03-12">Sunday</date>.</p>
        <p><lb n="12"/>The fighting, it is said, was the heaviest<cb/><lb n="13"/>of the month.</p>
        <cb/>
        <p><lb n="14"/>Continued on <ref type="continuation" subtype="next" n="12">Page 12</ref>.</p>
        <div type="section">
          <head>CASUALTIES</head>
          <p><lb n="15"/>The list of casualties follows.</p>
        </div>
        <cb/>
        <div type="section">
          <p><lb n="16"/>Among the wounded is <persName>Lieut. James Carr</persName>.</p>
          <div type="section">
            <head type="sub">Officers</head>
            <p><lb n="17"/>None reported.</p>
          </div>
        </div>
        <trailer type="endmark">—30—</trailer>
      </div>
      <div type="advertisement" xml:id="p1-d3">
        <p><lb n="1"/>BUY WAR BONDS</p>
        <p><lb n="2"/>At any bank.</p>
      </div>
      <div type="notice" xml:id="p1-d4">
        <head>LEGAL NOTICE</head>
      </div>
      <div type="caption" xml:id="p1-d5">
        <p>Photograph by <persName role="photographer">A. Jones</persName></p>
      </div>
      <div type="other" xml:id="p1-d6"/>
      <div type="section" xml:id="p1-d7">
        <head>Local News</head>
        <div type="section">
          <head type="sub">Police Court</head>
          <opener><byline><persName role="intern">B. Cole</persName></byline></opener>
          <p><lb n="18"/>Nothing of note, writes <persName role="reporter">C. Dunn</persName>;
<lb n="19"/>edited by <persName role="editor">E. Fox</persName>, <persName role="author">G. Hale</persName>.</p>
        </div>
        <trailer type="endmark">(END)</trailer>
        <cb/>
      </div>
      <cb/>
    </body>
  </text>
</TEI>
"""

ISSUE_DOC = """\
<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Berliner Tageblatt, 2. Januar 1900</title>
      </titleStmt>
      <publicationStmt>
        <authority>newspaper-tei 0.1.0</authority>
      </publicationStmt>
      <sourceDesc>
        <biblStruct>
          <monogr>
            <title level="j">Berliner Tageblatt</title>
            <imprint>
              <date when="1900-01-02"/>
              <biblScope unit="issue" n="1"/>
            </imprint>
          </monogr>
        </biblStruct>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <appInfo>
        <application ident="newspaper-tei" version="0.1.0">
          <label>newspaper-tei</label>
        </application>
      </appInfo>
    </encodingDesc>
    <profileDesc>
      <langUsage>
        <language ident="de">Deutsch</language>
      </langUsage>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <pb n="1"/>
      <div type="masthead" xml:id="p1-d1">
        <head type="main">Berliner Tageblatt</head>
      </div>
      <div type="article" xml:id="p1-d2" next="#p3-d1">
        <head type="main">Der Jahreswechsel</head>
        <opener>
          <dateline><placeName>Berlin</placeName>, <date when="--01-01">1. Januar</date>.</dateline>
        </opener>
        <p><lb n="1"/>Das neue Jahr wurde mit großem Jubel be-<lb n="2" break="no"/>grüßt.</p>
        <p><lb n="3"/>(Fortsetzung auf <ref type="continuation" subtype="next" n="3" target="#p3-d1">Seite 3</ref>.)</p>
      </div>
      <pb n="2"/>
      <div type="advertisement" xml:id="p2-d1">
        <p><lb n="1"/>Zu verkaufen: ein Fahrrad.</p>
      </div>
      <div type="notice" xml:id="p2-d2">
        <head>Bekanntmachung</head>
        <p><lb n="2"/>Die Post bleibt am <date when="1900-01-06">6. Januar</date> geschlossen.</p>
        <trailer type="endmark">Der Magistrat.</trailer>
      </div>
      <pb n="3"/>
      <div type="article" xml:id="p3-d1" prev="#p1-d2">
        <head><ref type="continuation" subtype="prev" n="1" target="#p1-d2">(Fortsetzung von Seite 1.)</ref></head>
        <p><lb n="1"/>Auch in <placeName>Potsdam</placeName> feierte man.</p>
      </div>
    </body>
  </text>
</TEI>
"""


def edit(doc: str, old: str, new: str) -> str:
    """Replace the first occurrence of ``old`` (which must be present) by ``new``."""
    assert old in doc, f"test fixture out of date: {old!r} not found"
    return doc.replace(old, new, 1)


def with_body(doc: str, body: str) -> str:
    """``doc`` with the content of <body> replaced by ``body``."""
    start = doc.index("<body>") + len("<body>")
    end = doc.index("</body>")
    return doc[:start] + body + doc[end:]


def with_imprint(doc: str, imprint: str) -> str:
    start = doc.index("<imprint>")
    end = doc.index("</imprint>") + len("</imprint>")
    return doc[:start] + imprint + doc[end:]


def parse(doc: str) -> etree._Element:
    return etree.fromstring(doc.encode("utf-8"), etree.XMLParser(collect_ids=False))


def assert_tei_all_valid(tei_all: etree.RelaxNG, doc: str) -> None:
    valid = tei_all.validate(parse(doc).getroottree())
    assert valid, f"tei_all rejects the document: {tei_all.error_log}"


# --------------------------------------------------------------------------
# Valid documents
# --------------------------------------------------------------------------

VALID_DOCS = {
    "page": PAGE_DOC,
    "issue": ISSUE_DOC,
    # Optional header parts left out; an imprint that knows nothing.
    "minimal-header": with_imprint(
        edit(
            edit(
                edit(PAGE_DOC, '        <date when="2024-05-01"/>\n', ""),
                PAGE_DOC[
                    PAGE_DOC.index("      <notesStmt>") : PAGE_DOC.index("      <sourceDesc>")
                ],
                "",
            ),
            PAGE_DOC[PAGE_DOC.index("          <analytic>") : PAGE_DOC.index("          <monogr>")],
            "",
        ),
        "<imprint><date/></imprint>",
    ),
    "journal-title-unknown": edit(PAGE_DOC, '<title level="j">Evening Ledger</title>', ""),
    "imprint-pubplace-only": with_imprint(
        PAGE_DOC, "<imprint><pubPlace>Paris</pubPlace></imprint>"
    ),
    "imprint-publisher-only": with_imprint(PAGE_DOC, "<imprint><publisher>X</publisher></imprint>"),
    "imprint-biblscope-only": with_imprint(
        PAGE_DOC, '<imprint><biblScope unit="page" n="3"/></imprint>'
    ),
    "analytic-title-without-type": edit(
        PAGE_DOC, '<title level="a" type="main">', '<title level="a">'
    ),
    "leap-day": edit(PAGE_DOC, 'when="--03-13"', 'when="2016-02-29"'),
    "month-day-leap": edit(PAGE_DOC, 'when="--03-13"', 'when="--02-29"'),
    "body-single-div": with_body(PAGE_DOC, '<div type="article"><p>text</p></div>'),
    "body-div-without-pb": with_body(PAGE_DOC, '\n<div type="other"/>\n'),
    "body-trailing-pb-and-cb": with_body(
        PAGE_DOC, '<cb/><pb n="1"/><div type="article"/><pb n="2"/><cb/>'
    ),
    "div-head-only": with_body(PAGE_DOC, '<div type="notice"><head>Notice</head></div>'),
    "div-opener-only": with_body(
        PAGE_DOC, '<div type="article"><opener><byline>By X</byline></opener></div>'
    ),
    "div-cb-everywhere": with_body(
        PAGE_DOC,
        '<div type="article"><cb/><head>H</head><cb/><head type="sub">S</head>'
        '<opener><lb n="1"/>By<cb/>X</opener><cb/><cb/><p>a</p><cb/><p>b</p>'
        '<cb/><div type="section"><p>c</p></div><cb/>'
        '<trailer type="endmark">-30-</trailer><cb/><trailer type="endmark">x</trailer></div>',
    ),
    "div-sections-only": with_body(
        PAGE_DOC,
        '<div type="article"><head>H</head><div type="section"><p>a</p></div>'
        '<div type="section"/><trailer type="endmark">end</trailer></div>',
    ),
    "empty-mixed-elements": with_body(
        PAGE_DOC,
        '<div type="article"><head/><opener><byline/><dateline/></opener>'
        "<p><persName/><orgName/><placeName/><date/>"
        '<ref type="continuation" subtype="prev"/></p><trailer type="endmark"/></div>',
    ),
    "ref-in-p-to-own-div": with_body(
        PAGE_DOC,
        '<div type="article" xml:id="a1" next="#a2"><p>see '
        '<ref type="continuation" subtype="next" n="2" target="#a2">next</ref></p></div>'
        '<pb n="2"/><div type="article" xml:id="a2" prev="#a1"><p>end</p></div>',
    ),
    "crossref-and-serial-trailer": with_body(
        PAGE_DOC,
        '<div type="article"><p>a <ref type="crossref" n="7">Full report on page 7</ref>'
        ' <ref type="crossref">See page</ref></p>'
        '<trailer type="to-be-continued">(To be continued.)</trailer>'
        '<trailer type="endmark">-30-</trailer></div>',
    ),
    "section-div-with-id": with_body(
        PAGE_DOC,
        '<div type="article" xml:id="a1"><p>x</p><div type="section" xml:id="a1-s1">'
        '<p>y</p></div></div><div type="article" xml:id="a2"><p>z</p></div>',
    ),
    "regional-language": edit(
        edit(PAGE_DOC, 'xml:lang="en"', 'xml:lang="en-US"'), 'ident="en"', 'ident="en-US"'
    ),
    "version-with-rc": edit(PAGE_DOC, 'version="0.1.0"', 'version="1.2rc1"'),
}


@pytest.mark.parametrize("name", list(VALID_DOCS))
def test_valid_document_passes_bundled_schema(name: str) -> None:
    doc = VALID_DOCS[name]
    assert validate_bytes(doc.encode("utf-8")) == []
    assert validate_tree(parse(doc)) == []
    # The reference path (XSD 1.1 with xmlschema) agrees with the fast path.
    assert validate_bytes(doc.encode("utf-8"), reference=True) == []
    assert validate_tree_reference(parse(doc)) == []


@pytest.mark.parametrize("name", list(VALID_DOCS))
def test_valid_document_passes_official_tei_all(name: str, tei_all: etree.RelaxNG) -> None:
    assert_tei_all_valid(tei_all, VALID_DOCS[name])


def test_indented_with_whitespace_only_text_is_valid() -> None:
    root = parse(PAGE_DOC)
    body = root.find(f"{TEI}text/{TEI}body")
    assert body is not None
    assert body.text is not None and body.text.strip() == ""
    assert validate_tree(root) == []


# --------------------------------------------------------------------------
# Invalid documents
# --------------------------------------------------------------------------

DIV = '<div type="article">'

INVALID_DOCS = {
    # Root and namespace
    "wrong-namespace": edit(PAGE_DOC, "http://www.tei-c.org/ns/1.0", "http://example.org/tei"),
    "no-namespace": edit(PAGE_DOC, ' xmlns="http://www.tei-c.org/ns/1.0"', ""),
    "foreign-element-in-p": edit(
        PAGE_DOC, '<p><lb n="1"/>BUY', '<p><x:b xmlns:x="urn:x">!</x:b><lb n="1"/>BUY'
    ),
    "unknown-element-in-p": edit(PAGE_DOC, "BUY WAR BONDS", "<hi>BUY</hi> WAR BONDS"),
    "unknown-attribute": edit(PAGE_DOC, '<p><lb n="1"/>BUY', '<p rend="bold"><lb n="1"/>BUY'),
    "missing-xml-lang": edit(PAGE_DOC, ' xml:lang="en"', ""),
    "empty-xml-lang": edit(PAGE_DOC, 'xml:lang="en"', 'xml:lang=""'),
    "bad-xml-lang": edit(PAGE_DOC, 'xml:lang="en"', 'xml:lang="en_US"'),
    # Header
    "header-parts-out-of-order": edit(
        PAGE_DOC,
        PAGE_DOC[PAGE_DOC.index("    <encodingDesc>") : PAGE_DOC.index("  </teiHeader>")],
        PAGE_DOC[PAGE_DOC.index("    <profileDesc>") : PAGE_DOC.index("  </teiHeader>")]
        + PAGE_DOC[PAGE_DOC.index("    <encodingDesc>") : PAGE_DOC.index("    <profileDesc>")],
    ),
    "missing-encodingDesc": edit(
        PAGE_DOC,
        PAGE_DOC[PAGE_DOC.index("    <encodingDesc>") : PAGE_DOC.index("    <profileDesc>")],
        "",
    ),
    "publication-date-without-when": edit(PAGE_DOC, '<date when="2024-05-01"/>', "<date/>"),
    "note-without-type": edit(PAGE_DOC, '<note type="source-encoding">', "<note>"),
    "monogr-title-without-level": edit(PAGE_DOC, '<title level="j">', "<title>"),
    "empty-journal-title": edit(
        PAGE_DOC, '<title level="j">Evening Ledger</title>', '<title level="j"/>'
    ),
    "blank-title": edit(PAGE_DOC, "Evening Ledger, 14 March 1916, page 1", " "),
    "pb-n-not-a-page": edit(PAGE_DOC, '<pb n="1"/>', '<pb n="zzz"/>'),
    "ref-n-not-a-page": edit(PAGE_DOC, 'n="A3">on Page A3', 'n="abc">on Page A3'),
    "analytic-title-level-m": edit(PAGE_DOC, '<title level="a" type="main">', '<title level="m">'),
    "idno-type-isbn": edit(PAGE_DOC, '<idno type="OCLC">', '<idno type="ISBN">'),
    "idno-without-type": edit(PAGE_DOC, '<idno type="OCLC">', "<idno>"),
    "empty-imprint": with_imprint(PAGE_DOC, "<imprint/>"),
    "imprint-out-of-order": with_imprint(
        PAGE_DOC, "<imprint><publisher>P</publisher><pubPlace>Paris</pubPlace></imprint>"
    ),
    "biblScope-unit-chapter": edit(PAGE_DOC, 'unit="edition"', 'unit="chapter"'),
    "biblScope-without-unit": edit(PAGE_DOC, ' unit="edition"', ""),
    "biblScope-from-with-space": edit(PAGE_DOC, 'from="1"', 'from="1 a"'),
    "application-ident": edit(PAGE_DOC, 'ident="newspaper-tei"', 'ident="other-tool"'),
    "application-version-dev": edit(PAGE_DOC, 'version="0.1.0"', 'version="0.1.0.dev1"'),
    "application-without-version": edit(PAGE_DOC, ' version="0.1.0"', ""),
    "language-without-ident": edit(PAGE_DOC, ' ident="en"', ""),
    "language-ident-invalid": edit(PAGE_DOC, 'ident="en"', 'ident="en US"'),
    # Body structure
    "body-only-pb": with_body(PAGE_DOC, '<pb n="1"/><pb n="2"/>'),
    "body-empty": with_body(PAGE_DOC, "\n    "),
    "text-in-body": with_body(PAGE_DOC, '<pb n="1"/>stray<div type="other"/>'),
    "text-in-div": with_body(PAGE_DOC, f"{DIV}stray<p>x</p></div>"),
    "p-directly-in-body": with_body(PAGE_DOC, f"<p>x</p>{DIV}<p>y</p></div>"),
    "pb-inside-div": with_body(PAGE_DOC, f'{DIV}<pb n="1"/><p>y</p></div>'),
    "p-after-nested-div": with_body(
        PAGE_DOC, f'{DIV}<p>a</p><div type="section"><p>b</p></div><p>c</p></div>'
    ),
    "trailer-without-p-or-div": with_body(
        PAGE_DOC, f'{DIV}<head>H</head><trailer type="endmark">-30-</trailer></div>'
    ),
    "head-after-p": with_body(PAGE_DOC, f"{DIV}<p>a</p><head>H</head></div>"),
    "opener-twice": with_body(PAGE_DOC, f"{DIV}<opener>a</opener><opener>b</opener></div>"),
    "opener-after-p": with_body(PAGE_DOC, f"{DIV}<p>a</p><opener>b</opener></div>"),
    "p-after-trailer": with_body(PAGE_DOC, f'{DIV}<p>a</p><trailer type="endmark"/><p>b</p></div>'),
    "byline-directly-in-div": with_body(PAGE_DOC, f"{DIV}<byline>By X</byline><p>a</p></div>"),
    "ref-in-byline": with_body(
        PAGE_DOC,
        f'{DIV}<opener><byline><ref type="continuation" subtype="next"/></byline></opener></div>',
    ),
    "date-in-head": with_body(PAGE_DOC, f"{DIV}<head><date>today</date></head></div>"),
    "lb-with-text": with_body(PAGE_DOC, f'{DIV}<p><lb n="1">x</lb></p></div>'),
    "cb-with-attribute": with_body(PAGE_DOC, f'{DIV}<p>a</p><cb n="2"/></div>'),
    # div attributes
    "unknown-div-type": edit(PAGE_DOC, 'type="advertisement"', 'type="editorial"'),
    "div-without-type": edit(
        PAGE_DOC, '<div type="other" xml:id="p1-d6"/>', '<div xml:id="p1-d6"/>'
    ),
    "nested-div-not-section": edit(
        PAGE_DOC,
        '<div type="section">\n          <head>CASUALTIES',
        '<div type="article">\n          <head>CASUALTIES',
    ),
    "xml-id-not-ncname": edit(PAGE_DOC, 'xml:id="p1-d3"', 'xml:id="1-d3"'),
    "duplicate-xml-id": edit(PAGE_DOC, 'xml:id="p1-d3"', 'xml:id="p1-d2"'),
    # heads, names, dates
    "unknown-head-type": edit(PAGE_DOC, '<head type="kicker">', '<head type="title">'),
    "unknown-persName-role": edit(PAGE_DOC, 'role="photographer"', 'role="writer"'),
    "two-persName-roles": edit(PAGE_DOC, 'role="photographer"', 'role="photographer editor"'),
    "unknown-author-role": edit(PAGE_DOC, '<author role="correspondent">', '<author role="x">'),
    "date-february-30": edit(PAGE_DOC, 'when="1916-03-12"', 'when="2016-02-30"'),
    "date-month-13": edit(PAGE_DOC, 'when="1916-03-12"', 'when="2016-13-01"'),
    "date-not-leap-year": edit(PAGE_DOC, 'when="1916-03-12"', 'when="1915-02-29"'),
    "date-free-text": edit(PAGE_DOC, 'when="1916-03-12"', 'when="March 12, 1916"'),
    "date-year-only": edit(PAGE_DOC, 'when="1916-03-12"', 'when="1916"'),
    "date-with-time-zone": edit(PAGE_DOC, 'when="1916-03-12"', 'when="1916-03-12Z"'),
    "date-year-zero": edit(PAGE_DOC, 'when="1916-03-12"', 'when="0000-03-12"'),
    "month-day-february-30": edit(PAGE_DOC, 'when="--03-13"', 'when="--02-30"'),
    "imprint-date-invalid": edit(PAGE_DOC, 'when="1916-03-14"', 'when="1916-03-32"'),
    # line, column and page breaks
    "lb-without-n": edit(PAGE_DOC, '<lb n="1"/>BUY', "<lb/>BUY"),
    "lb-n-zero": edit(PAGE_DOC, '<lb n="1"/>BUY', '<lb n="0"/>BUY'),
    "lb-n-negative": edit(PAGE_DOC, '<lb n="1"/>BUY', '<lb n="-1"/>BUY'),
    "lb-n-leading-zero": edit(PAGE_DOC, '<lb n="1"/>BUY', '<lb n="01"/>BUY'),
    "lb-n-not-a-number": edit(PAGE_DOC, '<lb n="1"/>BUY', '<lb n="a"/>BUY'),
    "lb-break-yes": edit(PAGE_DOC, 'break="no"', 'break="yes"'),
    "pb-n-with-space": edit(PAGE_DOC, '<pb n="1"/>', '<pb n="1 2"/>'),
    # continuations and pointers
    "target-to-nowhere": edit(PAGE_DOC, 'n="12">', 'n="12" target="#nope">'),
    "target-without-hash": edit(ISSUE_DOC, 'target="#p3-d1"', 'target="p3-d1"'),
    "target-external-uri": edit(ISSUE_DOC, 'target="#p3-d1"', 'target="other.xml#p3-d1"'),
    "next-without-hash": edit(ISSUE_DOC, 'next="#p3-d1"', 'next="p3-d1"'),
    "next-to-nowhere": edit(ISSUE_DOC, 'next="#p3-d1"', 'next="#p9-d9"'),
    "prev-to-nowhere": edit(ISSUE_DOC, 'prev="#p1-d2"', 'prev="#missing"'),
    "empty-target": edit(ISSUE_DOC, 'target="#p3-d1"', 'target=""'),
    "ref-type-not-continuation": edit(
        PAGE_DOC, 'type="continuation" subtype="next" n="12"', 'type="link" subtype="next" n="12"'
    ),
    "ref-without-type": edit(
        PAGE_DOC, 'type="continuation" subtype="next" n="12"', 'subtype="next" n="12"'
    ),
    "ref-without-subtype": edit(
        PAGE_DOC, 'type="continuation" subtype="next" n="12"', 'type="continuation" n="12"'
    ),
    "crossref-with-subtype": edit(
        PAGE_DOC, 'type="continuation" subtype="next" n="12"', 'type="crossref" subtype="next"'
    ),
    "crossref-with-target": with_body(
        PAGE_DOC,
        '<div type="article" xml:id="a1"><p><ref type="crossref" n="2" target="#a2">x</ref></p>'
        '</div><div type="article" xml:id="a2"><p>y</p></div>',
    ),
    "ref-subtype-unknown": edit(PAGE_DOC, 'subtype="next" n="12"', 'subtype="forward" n="12"'),
    "ref-n-with-space": edit(PAGE_DOC, 'subtype="next" n="12"', 'subtype="next" n="page 12"'),
    "ref-in-trailer": edit(PAGE_DOC, "—30—", '<ref type="continuation" subtype="next">more</ref>'),
    "trailer-type-other": edit(
        PAGE_DOC, '<trailer type="endmark">—30—', '<trailer type="end">—30—'
    ),
    "trailer-without-type": edit(PAGE_DOC, '<trailer type="endmark">—30—', "<trailer>—30—"),
}


@pytest.mark.parametrize("name", list(INVALID_DOCS))
def test_invalid_document_is_rejected(name: str) -> None:
    problems = validate_bytes(INVALID_DOCS[name].encode("utf-8"))
    assert problems, f"{name}: the bundled schema accepted an invalid document"
    for problem in problems:
        assert isinstance(problem, SchemaProblem)
        assert problem.message.strip()
        assert "\n" not in problem.message


@pytest.mark.parametrize("name", list(INVALID_DOCS))
def test_invalid_document_is_rejected_as_tree(name: str) -> None:
    assert validate_tree(parse(INVALID_DOCS[name])), name
    assert validate_tree_reference(parse(INVALID_DOCS[name])), name


@pytest.mark.parametrize("name", list(INVALID_DOCS))
def test_reference_path_rejects_invalid_document(name: str) -> None:
    assert validate_bytes(INVALID_DOCS[name].encode("utf-8"), reference=True), name


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def line_of(doc: str, needle: str) -> int:
    return doc[: doc.index(needle)].count("\n") + 1


def test_dangling_target_reports_line_and_value() -> None:
    doc = INVALID_DOCS["target-to-nowhere"]
    problems = validate_bytes(doc.encode("utf-8"), reference=True)
    assert len(problems) == 1
    (problem,) = problems
    assert problem.line == line_of(doc, 'target="#nope"')
    assert problem.message == 'ref/@target "#nope" points to no xml:id in this document'


def test_dangling_next_and_prev_each_reported() -> None:
    doc = edit(edit(ISSUE_DOC, 'next="#p3-d1"', 'next="#gone"'), 'prev="#p1-d2"', 'prev="#lost"')
    messages = [p.message for p in validate_bytes(doc.encode("utf-8"), reference=True)]
    assert any('div/@next "#gone"' in m for m in messages), messages
    assert any('div/@prev "#lost"' in m for m in messages), messages


@pytest.mark.parametrize("reference", [False, True])
def test_every_dangling_pointer_is_reported_by_both_paths_alike(reference: bool) -> None:
    doc = edit(ISSUE_DOC, 'next="#p3-d1"', 'next="#gone"')
    doc = edit(doc, 'prev="#p1-d2"', 'prev="#lost"')
    doc = edit(doc, 'target="#p3-d1"', 'target="#nope"')
    messages = [p.message for p in validate_bytes(doc.encode("utf-8"), reference=reference)]
    assert messages == [
        'div/@next "#gone" points to no xml:id in this document',
        'ref/@target "#nope" points to no xml:id in this document',
        'div/@prev "#lost" points to no xml:id in this document',
    ]


XS = "{http://www.w3.org/2001/XMLSchema}"


def _declared_in(schema: etree._Element, attribute: etree._Element) -> str:
    """The name of the complex type or attribute group an attribute is declared in."""
    node = attribute.getparent()
    while node is not None and node.tag not in (XS + "complexType", XS + "attributeGroup"):
        node = node.getparent()
    assert node is not None and node.get("name"), etree.tostring(attribute)
    return str(node.get("name"))


def test_pointers_and_ids_are_allowed_where_the_fast_path_looks_only() -> None:
    """The fast path looks for pointers and ids in a document the schema accepts on ``div``,
    ``ref``, ``lb``, ``pb``, ``surface`` and ``zone`` elements only: the schema must allow
    them nowhere else."""
    schema = etree.parse(str(schema_path())).getroot()
    assert not list(schema.iter(XS + "anyAttribute"))
    where: dict[str, set[str]] = {}
    for attribute in schema.iter(XS + "attribute"):
        name = attribute.get("name") or attribute.get("ref")
        if name in ("target", "next", "prev", "facs", "xml:id"):
            where.setdefault(str(name), set()).add(_declared_in(schema, attribute))
    assert where == {
        "target": {"refType"},
        "next": {"divLinking"},
        "prev": {"divLinking"},
        "facs": {"lbType", "pbType"},
        "xml:id": {"divLinking", "surfaceType", "zoneType"},
    }
    using = {
        _declared_in(schema, group)
        for group in schema.iter(XS + "attributeGroup")
        if group.get("ref") == "tei:divLinking"
    }
    assert using == {"divType", "sectionDivType"}
    # Neither type is extended into another, and only div and ref elements have them.
    holders = {
        "tei:divType",
        "tei:sectionDivType",
        "tei:refType",
        "tei:lbType",
        "tei:pbType",
        "tei:surfaceType",
        "tei:zoneType",
    }
    bases = {ext.get("base") for ext in schema.iter(XS + "extension", XS + "restriction")}
    assert not bases & holders
    typed = {
        (element.get("type"), element.get("name"))
        for element in schema.iter(XS + "element")
        if element.get("type") in holders
    }
    assert {name for _, name in typed} == {"div", "ref", "lb", "pb", "surface", "zone"}
    assert all((kind == "tei:refType") == (name == "ref") for kind, name in typed)


def test_duplicate_xml_id_is_a_schema_problem_not_a_parse_error() -> None:
    doc = INVALID_DOCS["duplicate-xml-id"]
    problems = validate_bytes(doc.encode("utf-8"), reference=True)
    assert [p.line for p in problems] == [line_of(doc, 'type="advertisement" xml:id="p1-d2"')]
    assert "p1-d2" in problems[0].message
    assert "not well-formed" not in problems[0].message


@pytest.mark.parametrize("reference", [False, True])
def test_content_model_error_names_the_element_out_of_place(reference: bool) -> None:
    doc = with_body(PAGE_DOC, f'\n{DIV}\n<p>a</p>\n<div type="section"/>\n<p>c</p>\n</div>\n')
    (problem,) = validate_bytes(doc.encode("utf-8"), reference=reference)
    assert problem.line == line_of(doc, "<p>c</p>")
    assert problem.message.startswith("p is not allowed in div here")


def test_attribute_error_line_and_readable_names() -> None:
    doc = INVALID_DOCS["unknown-persName-role"]
    problems = validate_bytes(doc.encode("utf-8"), reference=True)
    assert problems
    assert all(p.line == line_of(doc, 'role="writer"') for p in problems)
    assert all("{http://www.tei-c.org/ns/1.0}" not in p.message for p in problems)


def test_wrong_namespace_message() -> None:
    (problem,) = validate_bytes(INVALID_DOCS["wrong-namespace"].encode("utf-8"), reference=True)
    assert problem.line == 2
    assert "http://example.org/tei" in problem.message


def test_syntax_error_reported_with_line() -> None:
    doc = PAGE_DOC.replace("</body>", "", 1)
    problems = validate_bytes(doc.encode("utf-8"), reference=True)
    assert problems
    assert all(p.message.startswith("not well-formed XML:") for p in problems)
    assert problems[0].line is not None and problems[0].line > line_of(doc, "<body>")


def test_syntax_errors_do_not_leak_between_calls() -> None:
    validate_bytes(b"<TEI><unclosed></TEI>", reference=True)
    problems = validate_bytes(b"", reference=True)
    assert len(problems) == 1
    assert problems[0].line == 1


@pytest.mark.parametrize("reference", [False, True])
def test_entities_are_not_expanded(tmp_path: Any, reference: bool) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    doc = edit(
        PAGE_DOC,
        "<TEI ",
        f'<!DOCTYPE TEI [<!ENTITY e SYSTEM "{secret.as_uri()}">]>\n<TEI ',
    )
    doc = edit(doc, "BUY WAR BONDS", "&e;")
    (problem,) = validate_bytes(doc.encode("utf-8"), reference=reference)
    assert problem.line == 2
    assert problem.message.startswith("document type declaration refused")
    assert "SECRET-CONTENT" not in problem.message


def test_in_memory_tree_problems_have_no_line() -> None:
    root = etree.Element(f"{TEI}TEI")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    problems = validate_tree(root)
    assert problems
    assert all(p.line is None for p in problems)


def test_in_memory_tree_built_from_valid_document() -> None:
    root = parse(PAGE_DOC)
    body = root.find(f"{TEI}text/{TEI}body")
    assert body is not None
    div = etree.SubElement(body, f"{TEI}div", type="article")
    # A line number the page has not used (lines are numbered once per page).
    etree.SubElement(etree.SubElement(div, f"{TEI}p"), f"{TEI}lb", n="99").tail = "text"
    assert validate_tree(root) == []
    div.set("type", "bogus")
    (problem,) = validate_tree(root)
    assert problem.line is None
    assert "bogus" in problem.message


# --------------------------------------------------------------------------
# Schema loading
# --------------------------------------------------------------------------


def test_schema_files_are_bundled() -> None:
    path = schema_path()
    assert path.name == "newspaper-tei.xsd"
    assert path.is_file()
    assert (path.parent / "xml.xsd").is_file()


def test_schema_is_cached() -> None:
    assert load_schema() is load_schema()


def test_schema_loads_and_validates_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    schema = load_schema.__wrapped__()
    assert schema.is_valid(parse(PAGE_DOC))
    assert not schema.is_valid(parse(INVALID_DOCS["lb-n-zero"]))


def test_tei_all_fetch_failure_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from tests import tei_all as helper

    def failing_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, stdout="", stderr="No matching distribution")

    monkeypatch.setenv(helper.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(subprocess, "run", failing_run)
    with pytest.raises(helper.TeiAllUnavailable, match="No matching distribution"):
        helper.tei_all_rng_path()
