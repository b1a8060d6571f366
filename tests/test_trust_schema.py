"""The bundled schema on what a document must not say: page labels that are no page, a line
number twice on one page, a fragment linked to itself or to a box, empty titles. Both the XSD
1.1 path and the checks of :mod:`converter.assertions` (what the libxml2 path needs besides
XSD 1.0) refuse them, and accept what the converter writes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from converter.assertions import check
from converter.validate import validate_bytes, validate_tree, validate_tree_reference
from tests.test_validate_paths import mutated

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGE = etree.parse(str(GOLDEN / "jiaozuo-daily-2016-12-11-p1.xml")).getroot()
ISSUE = etree.parse(str(GOLDEN / "hechuan-daily-2016-12-11" / "issue.xml")).getroot()
T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def fast(root: etree._Element) -> bool:
    """The libxml2 path with the assertions checked too: whether the document is valid."""
    return not validate_tree(root) and not check(root)


def reference(root: etree._Element) -> bool:
    return not validate_tree_reference(root)


def both(root: etree._Element) -> bool:
    a, b = fast(root), reference(root)
    assert a == b, (check(root), validate_tree(root), validate_tree_reference(root))
    return a


def first(root: etree._Element, tag: str, **attrs: str) -> etree._Element:
    for element in root.iter(T + tag):
        if all(element.get(k) == v for k, v in attrs.items()):
            return element
    raise AssertionError(f"no {tag} {attrs}")


def test_the_goldens_are_valid() -> None:
    # The TEI goldens (the catalogue records beside them have schemas of their own).
    records = (".mods.xml", ".dc.xml", ".marcxml.xml")
    for path in sorted(GOLDEN.rglob("*.xml")):
        if not path.name.endswith(records):
            assert both(etree.parse(str(path)).getroot()), path


@pytest.mark.parametrize(
    ("label", "valid"),
    [
        ("1", True),
        ("12", True),
        ("A3", True),
        ("BB12", True),
        ("IV", True),
        ("xii", True),
        ("MCMXVI", True),
        ("abc", False),
        ("zzz", False),
        ("0", False),
        ("02", False),
        ("a3", False),
        ("A03", False),
        ("IIII", False),
        ("IVX", False),
        ("", False),
        ("3 4", False),
    ],
)
@pytest.mark.parametrize(("tag", "attrs"), [("pb", {}), ("ref", {"type": "continuation"})])
def test_page_labels(label: str, valid: bool, tag: str, attrs: dict[str, str]) -> None:
    root = copy.deepcopy(PAGE)
    first(root, tag, **attrs).set("n", label)
    assert both(root) is valid


def test_a_line_number_twice_on_a_page_is_refused() -> None:
    root = copy.deepcopy(PAGE)
    lbs = list(root.iter(T + "lb"))
    lbs[5].set("n", lbs[40].get("n", ""))
    assert not both(root)
    assert any("repeats a line number" in message for _, message in check(root))


def test_line_numbers_need_not_rise_and_restart_on_each_page() -> None:
    root = copy.deepcopy(PAGE)
    lbs = list(root.iter(T + "lb"))
    a, b = lbs[3].get("n", ""), lbs[30].get("n", "")
    lbs[3].set("n", b)
    lbs[30].set("n", a)
    assert both(root)
    # An issue: each page numbers its lines from 1.
    numbers = [lb.get("n") for lb in ISSUE.iter(T + "lb")]
    assert len(numbers) > len(set(numbers))
    assert both(ISSUE)


def test_the_same_line_number_on_two_pb_of_one_page_is_refused() -> None:
    root = copy.deepcopy(ISSUE)
    pbs = list(root.iter(T + "pb"))
    pbs[1].set("n", pbs[0].get("n", ""))  # page 2's lines now count as page 1's
    assert not both(root)


def test_a_fragment_linked_to_itself_is_refused() -> None:
    root = copy.deepcopy(ISSUE)
    div = next(d for d in root.iter(T + "div") if d.get("next"))
    div.set("next", "#" + div.get(XML_ID, ""))
    assert not both(root)
    assert any("itself" in message for _, message in check(root))


def test_a_fragment_linked_to_a_non_article_is_refused() -> None:
    root = copy.deepcopy(ISSUE)
    div = next(d for d in root.iter(T + "div") if d.get("prev"))
    source = root.find(f".//{T}div[@{XML_ID}='{div.get('prev', '')[1:]}']")
    assert source is not None
    source.set("type", "advertisement")  # the fragment it continues is now an advertisement
    assert not both(root)
    assert any("advertisement" in message for _, message in check(root))


def test_a_continuation_pointing_at_its_own_article_is_refused() -> None:
    root = copy.deepcopy(ISSUE)
    ref = next(r for r in root.iter(T + "ref") if r.get("target"))
    own = next(a for a in ref.iterancestors(T + "div") if a.get("type") == "article")
    ref.set("target", "#" + own.get(XML_ID, ""))
    assert not both(root)


@pytest.mark.parametrize("text", ["", " ", "\u3000", "\n  "])
@pytest.mark.parametrize("path", ["titleStmt/title", "monogr/title"])
def test_empty_titles_are_refused(text: str, path: str) -> None:
    root = copy.deepcopy(PAGE)
    title = root.find(f".//{T}{path.replace('/', '/' + T)}")
    assert title is not None
    title.text = text
    assert not both(root)


def test_a_missing_paper_title_is_left_out_not_empty() -> None:
    root = copy.deepcopy(PAGE)
    title = root.find(f".//{T}monogr/{T}title")
    assert title is not None
    title.getparent().remove(title)  # type: ignore[union-attr]
    assert both(root)


def test_validate_command_paths_refuse_a_repeated_line() -> None:
    root = copy.deepcopy(PAGE)
    lbs = list(root.iter(T + "lb"))
    lbs[2].set("n", lbs[1].get("n", ""))
    data = etree.tostring(root)
    assert validate_bytes(data, reference=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_assertion_checks_agree_with_the_xsd_1_1_path(root: etree._Element) -> None:
    assert fast(root) == reference(root)
