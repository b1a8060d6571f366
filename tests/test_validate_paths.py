"""The fast validation path and the XSD 1.1 reference path accept and reject the same documents."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converter.pipeline import Options, convert_file
from converter.validate import validate_tree, validate_tree_reference
from converter.write.tei import page_document
from tests.golden import page_meta, sample_pages

GOLDEN = Path(__file__).resolve().parent / "golden" / "jiaozuo-daily-2016-12-11-p1.xml"
BASE = etree.parse(str(GOLDEN)).getroot()
ELEMENTS = [e for e in BASE.iter() if isinstance(e.tag, str)]
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

VALUES = st.sampled_from(
    [
        "",
        "article",
        "story",
        "main",
        "kicker",
        "reporter",
        "spy",
        "2016-12-10",
        "2016-02-30",
        "--12-10",
        "--02-30",
        "0",
        "1",
        "-3",
        "#p1-a1",
        "#nope",
        "p1-a1",
        "A3",
        "a b",
        "no",
        "yes",
        "continuation",
        "next",
        "prev",
        "endmark",
        "zh-Hans",
        "zh_CN",
    ]
)
ATTRS = st.sampled_from(
    ["type", "subtype", "n", "when", "role", "target", "next", "prev", "break", XML_ID, "rend"]
)


@st.composite
def mutated(draw: st.DrawFn) -> etree._Element:
    root = copy.deepcopy(BASE)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    for _ in range(draw(st.integers(1, 3))):
        target = elements[draw(st.integers(0, len(elements) - 1))]
        action = draw(st.sampled_from(["set", "delete-attr", "remove", "rename", "duplicate"]))
        if action == "set":
            target.set(draw(ATTRS), draw(VALUES))
        elif action == "delete-attr" and target.attrib:
            del target.attrib[draw(st.sampled_from(sorted(target.attrib)))]
        elif action == "remove" and target.getparent() is not None:
            parent = target.getparent()
            assert parent is not None
            parent.remove(target)
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
        elif action == "rename":
            name = draw(
                st.sampled_from(["p", "head", "div", "lb", "seg", "ref", "date", "trailer"])
            )
            target.tag = "{http://www.tei-c.org/ns/1.0}" + name
        elif action == "duplicate" and target.getparent() is not None:
            target.addnext(copy.deepcopy(target))
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_both_paths_agree(root: etree._Element) -> None:
    fast = validate_tree(root)
    reference = validate_tree_reference(root)
    assert bool(fast) == bool(reference), (fast[:2], reference[:2])


def test_both_paths_accept_the_golden_files() -> None:
    for path in sorted(GOLDEN.parent.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        assert validate_tree(root) == [] == validate_tree_reference(root), path.name


LB = "{http://www.tei-c.org/ns/1.0}lb"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1", True),
        ("7", True),
        ("120", True),
        (" 12 ", True),  # white space is collapsed, as for any number
        ("12345678901234567890123456789", True),  # no upper bound
        ("0", False),
        ("012", False),
        ("+3", False),
        ("-3", False),
        ("1.0", False),
        ("1e3", False),
        ("1 2", False),
        ("", False),
        ("١٢", False),  # digits of another script
        ("１２", False),  # full-width digits
    ],
)
def test_a_line_number_is_a_positive_integer_without_sign_or_leading_zeros(
    value: str, valid: bool
) -> None:
    root = copy.deepcopy(BASE)
    lb = next(root.iter(LB))
    # The line that has the number already takes this one's: numbers stay unique on the page.
    other = next((e for e in root.iter(LB) if e is not lb and e.get("n") == value.strip()), None)
    if other is not None:
        other.set("n", lb.get("n", ""))
    lb.set("n", value)
    assert (validate_tree(root) == []) is valid
    assert (validate_tree_reference(root) == []) is valid


@pytest.mark.parametrize("page", sample_pages(), ids=lambda p: p.parent.parent.name)
def test_both_paths_accept_the_trees_the_writer_builds(page: Path) -> None:
    """Documents are validated as built in memory, before they are serialised."""
    analysis = convert_file(page, page_meta(page), Options(validate=False)).analysis
    root = page_document(analysis.page)
    assert validate_tree(root) == [] == validate_tree_reference(root)
