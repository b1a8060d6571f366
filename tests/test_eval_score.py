"""The gold-page scorer (eval/score.py): story, headline, dateline and jump scores on tiny
hand-built TEI pages, the gold format, and the gold files kept in eval/gold."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", ROOT / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_score"] = module
    spec.loader.exec_module(module)
    return module


score = _load()

HEADER = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><pb n="1"/>'
FOOTER = "</body></text></TEI>"


def tei(body: str) -> bytes:
    return (HEADER + body + FOOTER).encode()


def lbs(first: int, last: int) -> str:
    return "".join(f'<lb n="{n}"/>line {n} ' for n in range(first, last + 1))


def gold(items: list[dict[str, Any]], **extra: Any) -> Any:
    data: dict[str, Any] = {"source": "eval/pages/x.xml", "lang": "en", "page": "1"}
    data["items"] = items
    data.update(extra)
    return score.gold_from_dict("x", data)


# Two stories (1-4 with head 1, 5-8 with heads 5-6) and a running head on line 9.
TWO = gold(
    [
        {"kind": "story", "lines": "1-4", "headlines": "1"},
        {"kind": "story", "lines": "5-8", "headlines": "5-6"},
        {"kind": "fw", "lines": "9"},
    ]
)
PERFECT = tei(
    f'<div type="article" xml:id="a1"><head>{lbs(1, 1)}</head><p>{lbs(2, 4)}</p></div>'
    f'<div type="article" xml:id="a2"><head>{lbs(5, 6)}</head><p>{lbs(7, 8)}</p></div>'
    f'<fw type="header">{lbs(9, 9)}</fw>'
)


def test_perfect_prediction_scores_one() -> None:
    s = score.score_tei(TWO, PERFECT)
    assert s.bcubed == pytest.approx(1.0)
    assert s.macro == pytest.approx(1.0)
    assert s.stories == pytest.approx(1.0)
    assert (s.head_precision, s.head_recall, s.head_f1) == (1.0, 1.0, 1.0)


def test_everything_in_one_div_scores_low() -> None:
    s = score.score_tei(TWO, tei(f'<div type="article" xml:id="a1"><p>{lbs(1, 9)}</p></div>'))
    # B-cubed: precision 4/9 for 8 lines, 1/9 for one; recall 1.
    precision = (8 * 4 / 9 + 1 / 9) / 9
    assert s.bcubed == pytest.approx(2 * precision / (precision + 1))
    assert s.stories < 0.65
    assert s.macro == pytest.approx((2 * 4 / 13 + 2 * 4 / 13 + 2 / 10) / 3)


def test_split_story_lowers_item_macro() -> None:
    many = gold(
        [
            {"kind": "story", "lines": "1-8"},
            {"kind": "masthead", "lines": "9"},
            {"kind": "box", "lines": "10"},
        ]
    )
    whole = tei(
        f'<div xml:id="a">{lbs(1, 8)}</div><div xml:id="b">{lbs(9, 9)}</div>'
        f'<div xml:id="c">{lbs(10, 10)}</div>'
    )
    split = tei(
        f'<div xml:id="a">{lbs(1, 4)}</div><div xml:id="a2">{lbs(5, 8)}</div>'
        f'<div xml:id="b">{lbs(9, 9)}</div><div xml:id="c">{lbs(10, 10)}</div>'
    )
    s_whole = score.score_tei(many, whole)
    s_split = score.score_tei(many, split)
    assert s_whole.stories == pytest.approx(1.0)
    # The story's best match has F1 2·4/(8+4); the small items still match perfectly.
    assert s_split.macro == pytest.approx((2 * 4 / 12 + 1 + 1) / 3)
    assert s_split.stories < s_whole.stories


def test_lost_small_item_counts_as_much_as_a_big_one() -> None:
    page = gold([{"kind": "story", "lines": "1-18"}, {"kind": "masthead", "lines": "19-20"}])
    merged = tei(f'<div xml:id="a">{lbs(1, 20)}</div>')
    s = score.score_tei(page, merged)
    # B-cubed forgives the merged masthead more than item-macro does; the lower one counts.
    assert s.macro < s.bcubed
    assert s.stories == pytest.approx(s.macro)


def test_fw_lines_form_one_item_and_undivided_lines_are_items_of_their_own() -> None:
    page = gold([{"kind": "fw", "lines": "1 9"}, {"kind": "story", "lines": "2-8"}])
    joined = tei(
        f'<fw type="header">{lbs(1, 1)}</fw><div xml:id="a">{lbs(2, 8)}</div>'
        f'<fw type="pageNum">{lbs(9, 9)}</fw>'
    )
    assert score.score_tei(page, joined).stories == pytest.approx(1.0)
    loose = tei(f'<p>{lbs(1, 1)}</p><div xml:id="a">{lbs(2, 8)}</div><p>{lbs(9, 9)}</p>')
    s = score.score_tei(page, loose)
    assert s.macro == pytest.approx((2 * 1 / 3 + 1) / 2)
    prediction = score.read_prediction(score.safe_xml.parse(loose, "x"))
    assert prediction.item_of[1] != prediction.item_of[9]


def test_fragments_joined_by_next_prev_are_one_item() -> None:
    page = gold([{"kind": "story", "lines": "1-4 7-8"}, {"kind": "story", "lines": "5-6"}])
    linked = tei(
        f'<div xml:id="a" next="#c">{lbs(1, 4)}</div><div xml:id="b">{lbs(5, 6)}</div>'
        f'<div xml:id="c" prev="#a">{lbs(7, 8)}</div>'
    )
    unlinked = linked.replace(b' next="#c"', b"").replace(b' prev="#a"', b"")
    assert score.score_tei(page, linked).stories == pytest.approx(1.0)
    assert score.score_tei(page, unlinked).stories < 0.9


def test_nested_divisions_count_as_their_outermost_div() -> None:
    page = gold([{"kind": "story", "lines": "1-6", "headlines": "1", "crossheads": "4"}])
    nested = tei(
        f'<div xml:id="a"><head>{lbs(1, 1)}</head><p>{lbs(2, 3)}</p>'
        f'<div type="section"><head>{lbs(4, 4)}</head><p>{lbs(5, 6)}</p></div></div>'
    )
    s = score.score_tei(page, nested)
    assert s.stories == pytest.approx(1.0)
    # The intertitle is allowed as a headline line: precision stays 1.
    assert (s.head_precision, s.head_recall) == (1.0, 1.0)


def test_noise_lines_are_left_out_of_story_scoring() -> None:
    page = gold([{"kind": "story", "lines": "1-4"}, {"kind": "noise", "lines": "5-6"}])
    noise_inside = tei(f'<div xml:id="a">{lbs(1, 6)}</div>')
    noise_apart = tei(f'<div xml:id="a">{lbs(1, 4)}</div><p>{lbs(5, 6)}</p>')
    assert score.score_tei(page, noise_inside).stories == pytest.approx(1.0)
    assert score.score_tei(page, noise_apart).stories == pytest.approx(1.0)


def test_lines_missing_from_the_prediction_are_items_of_their_own() -> None:
    page = gold([{"kind": "story", "lines": "1-4"}])
    s = score.score_tei(page, tei(f'<div xml:id="a">{lbs(1, 2)}</div>'))
    assert s.macro == pytest.approx(2 * 2 / 6)


def test_headline_precision_and_recall() -> None:
    # Predicted heads: lines 1-2 (2 is body) and 5; gold heads 1, 5, 6.
    predicted = tei(
        f'<div xml:id="a1"><head>{lbs(1, 2)}</head><p>{lbs(3, 4)}</p></div>'
        f'<div xml:id="a2"><head>{lbs(5, 5)}</head><p>{lbs(6, 8)}</p></div>{lbs(9, 9)}'
    )
    s = score.score_tei(TWO, predicted)
    assert s.head_precision == pytest.approx(2 / 3)
    assert s.head_recall == pytest.approx(2 / 3)
    assert s.head_f1 == pytest.approx(2 / 3)
    nothing = score.score_tei(TWO, tei(f'<div xml:id="a">{lbs(1, 9)}</div>'))
    assert (nothing.head_precision, nothing.head_recall, nothing.head_f1) == (1.0, 0.0, 0.0)


DATED = gold(
    [{"kind": "story", "lines": "1-6"}],
    datelines=[
        {"line": 2, "place": "PARIS", "date": "1918-08-31"},
        {"line": 4, "place": "LONDON", "date": None},
        {"line": 5, "place": "ROME", "date": "1918-08-30"},
    ],
)


def test_dateline_found_and_date_right() -> None:
    predicted = tei(
        '<div xml:id="a"><p><lb n="1"/>head</p>'
        '<opener><dateline><lb n="2"/>PARIS, <date when="1918-08-31">Aug. 31</date>.—'
        "</dateline></opener>"
        '<p><lb n="3"/>text</p>'
        '<opener><dateline><lb n="4"/>LONDON, <date when="1918-08-30">Auq. 3O</date></dateline>'
        "</opener>"
        '<p><lb n="5"/>ROME, Aug. 30.— not marked <lb n="6"/>end</p></div>'
    )
    s = score.score_tei(DATED, predicted)
    assert (s.datelines, s.datelines_found, s.dates_right) == (3, 2, 1)


def test_dateline_starting_inside_a_line_is_on_that_line() -> None:
    page = gold(
        [{"kind": "story", "lines": "1-2"}],
        datelines=[{"line": 1, "place": "PARIS", "date": "1918-08-31"}],
    )
    predicted = tei(
        '<div xml:id="a"><p><lb n="1"/>By cable. <dateline>PARIS, '
        '<date when="1918-08-31">Aug. 31</date></dateline> text <lb n="2"/>more</p></div>'
    )
    wrong_date = predicted.replace(b"1918-08-31", b"1918-09-01")
    assert score.score_tei(page, predicted).dates_right == 1
    assert score.score_tei(page, wrong_date).dates_right == 0
    assert score.score_tei(page, wrong_date).datelines_found == 1


def test_jump_needs_line_subtype_and_page() -> None:
    page = gold(
        [{"kind": "story", "lines": "1-3"}],
        jumps=[
            {"line": 2, "subtype": "next", "page": "2"},
            {"line": 3, "subtype": "prev", "page": "1"},
        ],
    )

    def page_with(ref2: str, ref3: str) -> bytes:
        return tei(
            f'<div xml:id="a"><p><lb n="1"/>text <ref type="continuation" {ref2}><lb n="2"/>'
            f'(Continued on Page 2)</ref> <ref type="continuation" {ref3}><lb n="3"/>'
            "(Continued from First Page.)</ref></p></div>"
        )

    assert (
        score.score_tei(page, page_with('subtype="next" n="2"', 'subtype="prev" n="1"')).jumps_found
        == 2
    )
    assert (
        score.score_tei(page, page_with('subtype="prev" n="2"', 'subtype="prev" n="1"')).jumps_found
        == 1
    )
    assert (
        score.score_tei(page, page_with('subtype="next" n="3"', 'subtype="prev"')).jumps_found == 0
    )


def test_a_jump_with_an_unreadable_page_and_jump_precision() -> None:
    # Gold: line 2 names no legible page (page null); line 3 is no jump.
    page = gold(
        [{"kind": "story", "lines": "1-3"}], jumps=[{"line": 2, "subtype": "next", "page": None}]
    )
    data = tei(
        '<div xml:id="a"><p><lb n="1"/>text <ref type="continuation" subtype="next"><lb n="2"/>'
        '(Continued on pan</ref> <ref type="continuation" subtype="next" n="4"><lb n="3"/>'
        "(Continued on Page 4)</ref></p></div>"
    )
    scores = score.score_tei(page, data)
    assert (scores.jumps, scores.jumps_found, scores.jumps_predicted) == (1, 1, 2)


def test_gold_format_is_checked() -> None:
    with pytest.raises(score.GoldError, match="line 3 is in items 1 and 2"):
        gold([{"kind": "story", "lines": "1-3"}, {"kind": "box", "lines": "3-4"}])
    with pytest.raises(score.GoldError, match="unknown kind"):
        gold([{"kind": "article", "lines": "1"}])
    with pytest.raises(score.GoldError, match="outside the item"):
        gold([{"kind": "story", "lines": "1-3", "headlines": "4"}])
    with pytest.raises(score.GoldError, match="bad line range"):
        gold([{"kind": "story", "lines": "3-1"}])
    with pytest.raises(score.GoldError, match="subtype"):
        gold([{"kind": "story", "lines": "1"}], jumps=[{"line": 1, "subtype": "up", "page": "2"}])
    page = gold(
        [{"kind": "story", "lines": "1-3 6"}], jumps=[{"line": 9, "subtype": "next", "page": "2"}]
    )
    problems = score.check_gold(page, frozenset(range(1, 6)))
    assert problems == [
        "lines in no item: 4-5",
        "lines not in the source: 6",
        "jump on line 9: no such line",
    ]


@given(st.sets(st.integers(min_value=1, max_value=300), max_size=60))
def test_ranges_round_trip(lines: set[int]) -> None:
    assert score.parse_ranges(score.format_ranges(lines)) == frozenset(lines)


def test_conversion_failure_is_an_error_row_and_the_run_goes_on(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    source = tmp_path / "page.txt"
    source.write_text("A HEADLINE\nSome text of the story.\n", encoding="utf-8")
    pages = {
        "a-missing": {"source": "nowhere/page.xml", "lang": "en", "page": "1", "items": []},
        "b-page": {
            "source": str(source),
            "lang": "en",
            "page": "1",
            "items": [{"kind": "story", "lines": "1-2", "headlines": "1"}],
        },
    }
    for name, data in pages.items():
        (gold_dir / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    fail = [sys.executable, "-c", "import sys; print('not read yet', file=sys.stderr); sys.exit(4)"]
    result = score.run(sorted(gold_dir.glob("*.json")), tmp_path / "out", fail)
    assert result.skipped == ["a-missing: source nowhere/page.xml not found"]
    assert [(r.page_id, r.error) for r in result.rows] == [
        ("b-page", "convert exit 4: not read yet")
    ]
    assert score.mean(result.rows) is None
    assert "ERROR convert exit 4" in score.table(result)
    converted = score.run(
        sorted(gold_dir.glob("*.json")), tmp_path / "out", score.converter_command()
    )
    row = converted.rows[0]
    assert row.error is None and row.scores is not None
    assert row.scores.stories == pytest.approx(1.0)
    assert score.as_json(converted)["mean"]["pages"] == 1


def test_kept_gold_files_are_consistent_with_their_sources() -> None:
    files = sorted((ROOT / "eval" / "gold").glob("*.json"))
    assert score.check(files) == []
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        # Deterministic form: UTF-8, indent 1, a final newline.
        assert text == json.dumps(data, indent=1, ensure_ascii=False) + "\n", path.name


def test_a_jump_after_a_column_break_starts_on_its_own_line() -> None:
    """A ``cb`` before the ``lb`` inside a reference carries no text: the reference starts on
    the line of that ``lb``, not on the line before it."""
    page = gold(
        [{"kind": "story", "lines": "1-2"}], jumps=[{"line": 2, "subtype": "next", "page": "2"}]
    )
    data = tei(
        '<div xml:id="a"><p><lb n="1"/>text<ref type="continuation" subtype="next" n="2">'
        '<cb/><lb n="2"/>（下接第2页）</ref></p></div>'
    )
    assert score.score_tei(page, data).jumps_found == 1


def test_bylines_by_line_recall_and_precision() -> None:
    page = gold(
        [{"kind": "story", "lines": "1-6"}],
        bylines=[
            {"line": 2, "kind": "byline"},
            {"line": 3, "kind": "credit"},
            {"line": 6, "kind": "source"},
        ],
    )
    predicted = tei(
        '<div xml:id="a"><head><lb n="1"/>HEAD</head><opener>'
        '<byline><lb n="2"/>By <persName role="author">JOHN SMITH</persName></byline>'
        '<byline><lb n="3"/>By <orgName>Associated Press</orgName></byline></opener>'
        '<p><lb n="4"/>text <lb n="5"/>more</p>'
        '<p><lb n="6"/>end.—<orgName>Dubois Enterprise</orgName>.</p></div>'
    )
    s = score.score_tei(page, predicted)
    assert (s.bylines, s.bylines_found, s.bylines_predicted) == (3, 3, 3)
    assert s.byline_kinds == {"byline": (1, 1), "credit": (1, 1), "source": (1, 1)}
    # A byline on a text line, a closing credit missed: recall 2/3, precision 2/3.
    wrong = predicted.replace(b'<p><lb n="4"/>text', b'<p><byline><lb n="4"/>By X</byline>text')
    wrong = wrong.replace(b"<orgName>Dubois Enterprise</orgName>", b"Dubois Enterprise")
    s = score.score_tei(page, wrong)
    assert (s.bylines_found, s.bylines_predicted) == (2, 3)
    assert s.byline_precision == pytest.approx(2 / 3)
    assert s.byline_kinds["source"] == (0, 1)


def test_bylines_are_scored_only_where_the_gold_lists_them() -> None:
    predicted = tei('<div xml:id="a"><opener><byline><lb n="1"/>By X</byline></opener></div>')
    unlisted = score.score_tei(gold([{"kind": "story", "lines": "1"}]), predicted)
    assert unlisted.bylines is None and unlisted.byline_precision is None
    empty = score.score_tei(gold([{"kind": "story", "lines": "1"}], bylines=[]), predicted)
    assert (empty.bylines, empty.bylines_predicted, empty.byline_precision) == (0, 1, 0.0)


def test_byline_gold_format_is_checked() -> None:
    with pytest.raises(score.GoldError, match="unknown kind"):
        gold([{"kind": "story", "lines": "1"}], bylines=[{"line": 1, "kind": "author"}])
    with pytest.raises(score.GoldError, match="two bylines"):
        gold(
            [{"kind": "story", "lines": "1"}],
            bylines=[{"line": 1, "kind": "byline"}, {"line": 1, "kind": "credit"}],
        )
    page = gold([{"kind": "story", "lines": "1"}], bylines=[{"line": 7, "kind": "credit"}])
    assert score.check_gold(page, frozenset({1})) == ["byline on line 7: no such line"]


def test_the_table_has_a_byline_column() -> None:
    page = gold([{"kind": "story", "lines": "1-2"}], bylines=[{"line": 1, "kind": "credit"}])
    predicted = tei(
        '<div xml:id="a"><opener><byline><lb n="1"/>By <orgName>A. P.</orgName></byline>'
        '</opener><p><lb n="2"/>text</p></div>'
    )
    run = score.Run([score.Row("x", score.score_tei(page, predicted))])
    lines = score.table(run).splitlines()
    assert lines[0].split()[-2:] == ["bylines", "bylP"]
    assert lines[1].split()[-2:] == ["1/1", "1.000"]
    assert lines[-1] == "bylines by kind (1 pages): credit 1/1"
    assert score.as_json(run)["pages"][0]["byline_kinds"] == {"credit": [1, 1]}


def _alto_line(text: str, y: int) -> str:
    words = "".join(f'<String CONTENT="{w}"/><SP/>' for w in text.split())
    return f'<TextLine HPOS="10" VPOS="{y}" WIDTH="900" HEIGHT="20">{words}</TextLine>'


def test_alto_pages_get_a_plain_text_row_scored_against_the_same_gold(tmp_path: Path) -> None:
    """An ALTO page is scored twice: as itself, and as the plain text ``newspaper-tei text``
    rebuilds from its TEI, line n being the n-th TextLine (an empty one a blank line)."""
    texts = [
        "WAR NEWS FROM PARIS",
        "Some text of the first story goes",
        "",  # an empty TextLine: no line in the TEI, a blank line in the text
        "on here and ends now.",
        "THE MARKETS TODAY",
        "Wheat was firm and corn was weak all",
        "day long on the board of trade.",
    ]
    lines = "".join(_alto_line(t, 100 + 30 * i) for i, t in enumerate(texts))
    source = tmp_path / "page.xml"
    source.write_text(
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Description>'
        "<MeasurementUnit>pixel</MeasurementUnit></Description><Layout>"
        '<Page WIDTH="1000" HEIGHT="1000"><PrintSpace><TextBlock HPOS="10" VPOS="100" '
        f'WIDTH="900" HEIGHT="300">{lines}</TextBlock></PrintSpace></Page></Layout></alto>',
        encoding="utf-8",
    )
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    items = [
        {"kind": "story", "lines": "1-4", "headlines": "1"},
        {"kind": "story", "lines": "5-7", "headlines": "5"},
    ]
    data = {"source": str(source), "lang": "en", "page": "1", "items": items}
    (gold_dir / "p.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    result = score.run([gold_dir / "p.json"], out, score.converter_command())
    assert [row.page_id for row in result.rows] == ["p"]
    assert [row.page_id for row in result.text_rows] == ["p (text)"]
    assert all(row.error is None for row in [*result.rows, *result.text_rows])
    text = (out / "p.txt").read_text(encoding="utf-8")
    assert text.splitlines() == texts
    assert (out / "p.text.xml").is_file()
    # The source rows and their mean are those of a run without text rows.
    alone = score.run(
        [gold_dir / "p.json"], tmp_path / "alone", score.converter_command(), text=False
    )
    assert alone.text_rows == []
    assert score.mean(alone.rows) == score.mean(result.rows)
    table = score.table(result).splitlines()
    assert [line.split()[0] for line in table] == ["page", "p", "mean", "p", "mean"]
    assert table[3].startswith("p (text)") and table[4].startswith("mean (text) (1 pages)")
    as_json = score.as_json(result)
    assert [p["page"] for p in as_json["pages"]] == ["p"]
    assert [p["page"] for p in as_json["text_pages"]] == ["p (text)"]
    assert as_json["text_mean"]["pages"] == 1
    assert "text_pages" not in score.as_json(alone)


def test_plain_text_keeps_the_line_numbers() -> None:
    page = tei(f'<div><p><lb n="2"/>two <lb n="4"/>four</p></div><fw>{lbs(5, 5)}</fw>')
    assert score.plain_text(page) == "\ntwo\n\nfour\nline 5\n"
    assert score.plain_text(tei("")) == ""


def test_text_pages_are_not_made_for_other_formats(tmp_path: Path) -> None:
    plain = tmp_path / "page.txt"
    plain.write_text("<not xml at the start\n", encoding="utf-8")
    page = tmp_path / "page.xml"
    page.write_text('<PcGts xmlns="x"><Page/></PcGts>', encoding="utf-8")
    assert not score.is_alto(plain) and not score.is_alto(page)
