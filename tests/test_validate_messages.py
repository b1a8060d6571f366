"""``validate`` in plain words: each common failure named with local names, its value and its
line, alike on both paths; document type declarations refused, never read; every file
reported and the exit status by a fixed precedence."""

from __future__ import annotations

import codecs
import copy
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from lxml import etree

from converter.cli import main
from converter.errors import ExitCode
from converter.validate import validate_bytes, validate_tree, validate_tree_reference
from tests.test_schema import INVALID_DOCS, PAGE_DOC, edit
from tests.test_validate_paths import mutated

ROOT = Path(__file__).resolve().parent.parent
BOTH = pytest.mark.parametrize("reference", [False, True], ids=["fast", "reference"])


def line_of(doc: str, needle: str, after: str = "") -> int:
    start = doc.index(after) if after else 0
    return doc[: doc.index(needle, start)].count("\n") + 1


def problems_of(doc: str, reference: bool) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in validate_bytes(doc.encode("utf-8"), reference=reference)]


# --- the common failures, in words -----------------------------------------------------------


@BOTH
def test_a_date_that_is_no_date(reference: bool) -> None:
    doc = edit(PAGE_DOC, 'when="1916-03-12"', 'when="2016-13-45"')
    ((line, message),) = problems_of(doc, reference)
    assert line == line_of(doc, "2016-13-45")
    assert message.startswith('date/@when "2016-13-45" is not a real calendar date YYYY-MM-DD')


@BOTH
def test_a_duplicate_id_names_the_line_of_the_first(reference: bool) -> None:
    doc = edit(PAGE_DOC, 'xml:id="p1-d3"', 'xml:id="p1-d2"')
    assert problems_of(doc, reference) == [
        (
            line_of(doc, 'type="advertisement"'),
            f'duplicate xml:id "p1-d2" (first on line {line_of(doc, "p1-d2")})',
        )
    ]


@BOTH
def test_a_pointer_to_no_id(reference: bool) -> None:
    doc = edit(
        PAGE_DOC,
        '<div type="article" xml:id="p1-d2">',
        '<div type="article" xml:id="p1-d2" next="#gone">',
    )
    assert problems_of(doc, reference) == [
        (line_of(doc, "#gone"), 'div/@next "#gone" points to no xml:id in this document')
    ]


@BOTH
def test_a_value_not_in_the_list(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<head type="kicker">', '<head type="overline">')
    assert problems_of(doc, reference) == [
        (line_of(doc, "overline"), 'head/@type "overline" is not one of main, sub or kicker')
    ]


@BOTH
def test_a_value_against_a_documented_pattern(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<lb n="4"/>', '<lb n="04"/>')
    assert problems_of(doc, reference) == [
        (
            line_of(doc, 'n="04"'),
            'lb/@n "04" is not a positive integer without sign or leading zeros (1, 2, 3, ...)',
        )
    ]


@BOTH
def test_a_missing_required_attribute(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<biblScope unit="edition">', "<biblScope>")
    assert problems_of(doc, reference) == [
        (line_of(doc, "<biblScope>"), "biblScope has no @unit, which it must have")
    ]


@BOTH
def test_an_attribute_not_allowed_names_those_that_are(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<div type="other" xml:id="p1-d6"/>', '<div type="other" rend="x"/>')
    ((line, message),) = problems_of(doc, reference)
    assert line == line_of(doc, 'rend="x"')
    assert message.startswith("div/@rend is not allowed (div takes @type, ")


@BOTH
def test_an_unexpected_element(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<trailer type="endmark">—30—', '<salute/><trailer type="endmark">—30—')
    ((line, message),) = problems_of(doc, reference)
    assert line == line_of(doc, "<salute/>")
    assert message.startswith("salute is not allowed in div here")


def test_the_fast_path_says_what_was_expected() -> None:
    doc = edit(PAGE_DOC, "<authority>newspaper-tei 0.1.0</authority>", "<foo/>")
    ((_, message),) = problems_of(doc, reference=False)
    assert message == "foo is not allowed in publicationStmt here (expected authority)"


@BOTH
def test_a_missing_element(reference: bool) -> None:
    doc = edit(PAGE_DOC, "<authority>newspaper-tei 0.1.0</authority>", "")
    doc = edit(doc, '<date when="2024-05-01"/>', "")
    assert problems_of(doc, reference) == [
        (line_of(doc, "<publicationStmt>"), "publicationStmt is incomplete: authority is missing")
    ]


@BOTH
def test_text_where_only_elements_go(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<pb n="1"/>', '<pb n="1"/>stray words')
    assert problems_of(doc, reference) == [
        (line_of(doc, "<body>"), 'body holds text "stray words", where only elements go')
    ]


@BOTH
def test_text_where_nothing_goes(reference: bool) -> None:
    doc = edit(PAGE_DOC, '<lb n="9"/>', '<lb n="9">x</lb>')
    assert problems_of(doc, reference) == [
        (line_of(doc, '<lb n="9">'), 'lb holds text "x", where nothing goes')
    ]


@BOTH
def test_an_element_where_only_text_goes(reference: bool) -> None:
    doc = edit(PAGE_DOC, "<label>newspaper-tei</label>", "<label>newspaper-<hi>tei</hi></label>")
    assert problems_of(doc, reference) == [
        (line_of(doc, "<label>"), "label holds an element (hi), where only text goes")
    ]


@BOTH
def test_a_root_in_another_namespace(reference: bool) -> None:
    ((line, message),) = problems_of(INVALID_DOCS["wrong-namespace"], reference)
    assert line == 2
    assert message == (
        "the root element is TEI in namespace http://example.org/tei; a newspaper-tei "
        "document is TEI in namespace http://www.tei-c.org/ns/1.0"
    )


@BOTH
def test_a_foreign_element_is_named_with_its_namespace(reference: bool) -> None:
    doc = edit(
        PAGE_DOC,
        '<trailer type="endmark">—30—',
        '<x:y xmlns:x="urn:x"/><trailer type="endmark">—30—',
    )
    ((line, message),) = problems_of(doc, reference)
    assert line == line_of(doc, "<x:y")
    assert message.startswith("y (namespace urn:x) is not allowed in div here")


@pytest.mark.parametrize("name", sorted(INVALID_DOCS))
@BOTH
def test_no_message_has_clark_names_or_libxml2_wording(name: str, reference: bool) -> None:
    for line, message in problems_of(INVALID_DOCS[name], reference):
        assert "{http://www.tei-c.org" not in message and "{http://www.w3.org" not in message
        assert "Element '" not in message and "atomic type" not in message, message
        assert "\n" not in message and message.strip() == message
        assert line is not None, (name, message)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_documents_are_reported_in_words(root: etree._Element) -> None:
    for problems in (validate_tree(root), validate_tree_reference(root)):
        for problem in problems:
            assert "{http" not in problem.message, problem
            assert "\n" not in problem.message


def test_a_tree_built_in_memory_is_located_by_path() -> None:
    root = etree.fromstring(PAGE_DOC.encode("utf-8"))
    built = copy.deepcopy(root)  # a copy keeps source lines; a new element has none
    head = built.find(".//{http://www.tei-c.org/ns/1.0}head")
    assert head is not None
    fresh = etree.Element("{http://www.tei-c.org/ns/1.0}head", type="banner")
    head.addprevious(fresh)
    for problems in (validate_tree(built), validate_tree_reference(built)):
        (problem,) = problems
        assert problem.line is None
        assert problem.message == (
            'head/@type "banner" is not one of main, sub or kicker '
            "(at /TEI/text/body/div[1]/head[1])"
        )


# --- document type declarations and entities -------------------------------------------------

INTERNAL = '<!DOCTYPE TEI [<!ENTITY x "expanded">]>\n'


def with_doctype(declaration: str, reference: str = "&x;") -> str:
    doc = edit(PAGE_DOC, "<TEI ", declaration + "<TEI ")
    return edit(doc, "BUY WAR BONDS", reference)


REFUSED = (
    "document type declaration refused: a newspaper-tei document has none, and no DTD or "
    "entity is read or expanded"
)


@BOTH
@pytest.mark.parametrize(
    "declaration",
    [
        INTERNAL,
        '<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n',
        '<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>\n',
        '<!DOCTYPE TEI SYSTEM "tei.dtd">\n',
        '<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" "http://example.invalid/tei.dtd">\n',
        "<!DOCTYPE TEI>\n",
    ],
    ids=["internal", "external-entity", "parameter-entity", "system", "public", "bare"],
)
def test_a_document_type_declaration_is_refused(declaration: str, reference: bool) -> None:
    doc = with_doctype(declaration, "&x;" if "ENTITY x" in declaration else "BUY WAR BONDS")
    assert problems_of(doc, reference) == [(2, REFUSED)]


@BOTH
def test_in_utf16_too(reference: bool) -> None:
    doc = with_doctype(INTERNAL).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = codecs.BOM_UTF16_LE + doc.encode("utf-16-le")
    assert [(p.line, p.message) for p in validate_bytes(data, reference=reference)] == [
        (2, REFUSED)
    ]


@BOTH
def test_in_a_malformed_document_too(reference: bool) -> None:
    doc = with_doctype('<!DOCTYPE TEI SYSTEM "tei.dtd">\n<junk', "BUY WAR BONDS")
    assert [p.message for p in validate_bytes(doc.encode(), reference=reference)] == [REFUSED]


@BOTH
def test_nothing_a_declaration_names_is_ever_opened(reference: bool, tmp_path: Path) -> None:
    """A FIFO no one writes blocks whoever opens it, and a listening socket records whoever
    connects: the validation of a document naming both ends, and no one came."""
    import os

    fifo = tmp_path / "dtd"
    os.mkfifo(fifo)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.0)
    port = server.getsockname()[1]
    declarations = [
        f'<!DOCTYPE TEI SYSTEM "{fifo.as_uri()}">\n',
        f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{fifo.as_uri()}">]>\n',
        f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{fifo.as_uri()}"> %p;]>\n',
        f'<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd">\n',
        f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>\n',
    ]
    for declaration in declarations:
        path = tmp_path / "doc.xml"
        path.write_text(with_doctype(declaration), encoding="utf-8")
        args = ["validate", *(["--reference"] if reference else []), str(path)]
        done = subprocess.run(
            [sys.executable, "-m", "converter.cli", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert done.returncode == ExitCode.INVALID, done.stderr
        assert done.stdout == f"{path}:2: {REFUSED}\n"
        assert "Traceback" not in done.stderr
    with pytest.raises(BlockingIOError):
        server.accept()
    server.close()


@BOTH
def test_an_entity_reference_in_a_built_tree_is_reported_not_a_crash(reference: bool) -> None:
    root = etree.fromstring(PAGE_DOC.encode("utf-8"))
    p = root.find(".//{http://www.tei-c.org/ns/1.0}div[@type='advertisement']/{*}p")
    assert p is not None
    p.append(etree.Entity("x"))
    check = validate_tree_reference if reference else validate_tree
    messages = [problem.message for problem in check(root)]
    assert messages == ["entity reference &x; is not allowed: entities are never expanded"]


# --- the command: every file reported, exit status by precedence ----------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(PAGE_DOC, encoding="utf-8")
    bad.write_text(edit(PAGE_DOC, 'when="1916-03-12"', 'when="2016-13-45"'), encoding="utf-8")
    entity = tmp_path / "entity.xml"
    entity.write_text(with_doctype(INTERNAL), encoding="utf-8")
    return {"good": good, "bad": bad, "entity": entity, "missing": tmp_path / "missing.xml"}


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (["good"], ExitCode.OK),
        (["bad"], ExitCode.INVALID),
        (["missing"], ExitCode.INPUT),
        (["good", "bad", "missing"], ExitCode.INVALID),
        (["missing", "bad", "good"], ExitCode.INVALID),
        (["bad", "missing"], ExitCode.INVALID),
        (["good", "missing"], ExitCode.INPUT),
        (["missing", "good"], ExitCode.INPUT),
        (["entity", "good"], ExitCode.INVALID),
    ],
)
@BOTH
def test_every_file_is_reported_and_invalid_comes_first(
    files: dict[str, Path], names: list[str], code: ExitCode, reference: bool
) -> None:
    args = ["validate", *(["--reference"] if reference else []), *(str(files[n]) for n in names)]
    status, out, err = run(*args)
    assert status == code
    assert "Traceback" not in err
    for name in names:
        path = str(files[name])
        if name == "good":
            assert f"{path}: valid" in err
        elif name == "missing":
            assert f"newspaper-tei: {path}: no such file" in err
        else:
            assert out.count(f"{path}:") == 1, out
    assert all(line.count(":") >= 2 for line in out.splitlines())


def test_the_readme_states_the_precedence() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 1 |"))
    assert "any" in row and "validate" in row
    assert "exit status is 1 if any document is not valid, else 3" in " ".join(readme.split())
