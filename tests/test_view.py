"""The HTML view, without a browser: what it holds (one story element per article, one line
element per lb, links between fragments, diagnostics on their lines), that it is one file
that fetches nothing, escapes the text, is the same for the same input, and the CLI's exit
codes. tests/test_view_browser.py loads the views in Chromium."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from converter.cli import main
from converter.errors import ExitCode
from converter.lines import recover_lines
from converter.view import build_view, parse_tei, read_report
from converter.write.html_view import render_view

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HOCR = SAMPLES / "layout" / "hocr" / "p1.hocr"
TEI = "{http://www.tei-c.org/ns/1.0}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample issue converted by ``archive`` (with its views and index)."""
    out = tmp_path_factory.mktemp("views") / "archive"
    code, _, err = run("archive", str(SAMPLES), str(out), "-j", "1")
    assert code == 0, err
    return out


def issue_folders(archive: Path) -> list[Path]:
    return sorted(p.parent for p in archive.rglob("issue.xml"))


def tei_of(folder: Path) -> etree._Element:
    return etree.parse(str(folder / "issue.xml")).getroot()


def page_keys(root: etree._Element) -> list[str]:
    """``<page>:<n>`` of every lb, the page being the pb in force (its @n, else its ordinal)."""
    keys, page, ordinal = [], "1", 0
    for element in root.iter(TEI + "pb", TEI + "lb"):
        if element.tag == TEI + "pb":
            ordinal += 1
            page = element.get("n") or str(ordinal)
        else:
            keys.append(f"{page}:{element.get('n')}")
    return keys


def parse_html(path_or_data: Path | bytes) -> html.HtmlElement:
    data = path_or_data.read_bytes() if isinstance(path_or_data, Path) else path_or_data
    return html.document_fromstring(data)


# --- what a view holds --------------------------------------------------------------------


def test_every_issue_has_a_view_with_its_stories_and_lines(archive: Path) -> None:
    folders = issue_folders(archive)
    assert len(folders) == 8
    for folder in folders:
        root = tei_of(folder)
        page = parse_html(folder / "view.html")
        articles = [
            d.get("{http://www.w3.org/XML/1998/namespace}id")
            for d in root.iter(TEI + "div")
            if d.get("type") == "article"
        ]
        shown = [e.get("data-article") for e in page.xpath("//*[@data-article]")]
        assert shown == articles, folder
        lines = [e.get("data-line") for e in page.xpath("//*[@data-line]")]
        assert sorted(lines) == sorted(page_keys(root)), folder
        assert len(set(lines)) == len(lines)


def test_the_archive_index_lists_every_issue_with_a_link_to_its_view(archive: Path) -> None:
    index = parse_html(archive / "index.html")
    rows = index.xpath("//tbody/tr")
    assert len(rows) == len(issue_folders(archive))
    links = index.xpath("//tbody/tr/td[1]/a/@href")
    assert len(links) == len(rows)
    for link in links:
        assert (archive / link).is_file()
    hechuan = index.xpath("//tr[@data-issue='hechuan-daily/2016-12-11']/td/text()")
    assert hechuan[1:] == ["2016-12-11", "3", "12", "0", "0"]
    gate = index.xpath("//tr[@data-issue='en-daily-gate-city/1916-01-30']/td/text()")
    report = json.loads((archive / "en-daily-gate-city/1916-01-30/report.json").read_text())
    unresolved = sum(d["code"].startswith("jump.unresolved") for d in report["issue_diagnostics"])
    assert unresolved > 0 and gate[-2] == str(unresolved)


def test_continuations_link_their_partner_fragments(archive: Path) -> None:
    page = parse_html(archive / "hechuan-daily/2016-12-11/view.html")
    jumps = page.xpath("//a[contains(@class, 'm-jump')]")
    assert jumps
    for jump in jumps:
        target = jump.get("href")[1:]
        partner = page.get_element_by_id(target)
        assert partner.get("data-article") == target
        # The partner is a fragment of the same story as the jump's own.
        own = jump.xpath("ancestor::*[@data-article][1]")[0]
        assert own.get("data-story") == partner.get("data-story")
    first = page.get_element_by_id("p1-a1")
    assert first.get("data-next") == "p2-a1"
    # 12 articles (as the manifest counts them), 14 fragments.
    assert page.xpath("string(//dd[@class='fact-articles'])") == "12 (14 fragments)"
    data = json.loads(page.get_element_by_id("view:data").text)
    story = next(s for s in data["stories"] if s["id"] == "p1-a1")
    assert story["pages"] == ["1", "2"]
    assert story["authors"] == [{"name": "李华", "role": "reporter"}]
    assert [f["id"] for f in story["fragments"]] == ["p1-a1", "p2-a1"]


def test_unresolved_jumps_are_marked_and_counted(archive: Path) -> None:
    folder = archive / "jiaozuo-daily/2016-12-11"
    page = parse_html(folder / "view.html")
    refs = [r for r in tei_of(folder).iter(TEI + "ref") if r.get("type") == "continuation"]
    unresolved = [r for r in refs if r.get("target") is None]
    assert unresolved
    assert len(page.xpath("//span[contains(@class, 'm-jump')]")) == len(unresolved)
    assert page.xpath("string(//dd[@class='fact-unresolved'])") == str(len(unresolved))


def test_diagnostics_point_at_their_lines(archive: Path) -> None:
    folder = archive / "en-daily-gate-city/1916-01-30"
    page = parse_html(folder / "view.html")
    findings = read_report((folder / "report.json").read_bytes())
    assert findings
    items = page.xpath("//li[contains(@class, 'finding')]")
    assert len(items) == len(findings)
    lines = set(page.xpath("//@data-line"))
    for item in items:
        goto = item.get("data-goto")
        assert goto, item.text_content()
        assert goto in lines


def test_pages_with_zones_are_drawn_at_their_boxes(archive: Path) -> None:
    folder = archive / "ndnp-german-1878"
    page = parse_html(folder / "view.html")
    sections = page.xpath("//section[contains(@class, 'page')]")
    assert len(sections) == 8
    assert all("zoned" in s.get("class").split() for s in sections)
    root = tei_of(folder)
    zone = root.find(f".//{TEI}zone[@{{http://www.w3.org/XML/1998/namespace}}id='f1-l3']")
    surface = root.find(f".//{TEI}surface")
    line = page.xpath("//*[@data-line='1:3']")[0]
    style = dict(part.split(":") for part in line.get("style").split(";"))
    width = int(surface.get("lrx"))
    assert float(style["left"].rstrip("%")) == pytest.approx(
        100 * int(zone.get("ulx")) / width, abs=1e-3
    )
    # A page without zones is shown in reading order.
    flow = parse_html(archive / "hechuan-daily/2016-12-11/view.html")
    assert all(
        "flow" in s.get("class").split() for s in flow.xpath("//section[contains(@class, 'page')]")
    )
    assert not flow.xpath("//*[@data-line][@style]")


def test_heads_bylines_datelines_and_running_heads_are_marked(archive: Path) -> None:
    page = parse_html(archive / "hechuan-daily/2016-12-11/view.html")
    assert page.xpath("//*[@data-line='1:1'][contains(@class, 'k-head-main')]")
    assert page.xpath("//*[@data-line='1:3']//span[contains(@class, 'm-byline')]")
    assert page.xpath("//*[@data-line='1:13']//span[contains(@class, 'm-dateline')]")
    layout = parse_html(archive / "layout/hocr/view.html")
    running = layout.xpath("//*[contains(@class, 'fw-header')]//*[@data-line='1:1']")
    assert running and "k-fw" in running[0].get("class")


def test_a_view_is_one_file_that_fetches_nothing(archive: Path) -> None:
    for folder in issue_folders(archive):
        page = parse_html(folder / "view.html")
        assert not page.xpath("//link | //iframe | //object | //embed | //script[@src]")
        for value in page.xpath("//@src | //@href"):
            assert value.startswith(("#", "data:")), (folder, value)
        for style in page.xpath("//style/text()"):
            assert "url(" not in style and "@import" not in style
    index = parse_html(archive / "index.html")
    assert not index.xpath("//link | //script[@src]")


def test_the_issue_view_is_the_view_of_its_issue_document(archive: Path, tmp_path: Path) -> None:
    """``view issue.xml`` (reading report.json and manifest.jsonl beside it) gives the bytes
    that ``issue``/``archive`` wrote: the view shows the output, not the converter's state."""
    for name in ("hechuan-daily/2016-12-11", "ndnp-german-1878", "en-daily-gate-city/1916-01-30"):
        folder = archive / name
        out = tmp_path / "view.html"
        code, _, err = run("view", str(folder / "issue.xml"), "-o", str(out))
        assert code == 0, err
        assert out.read_bytes() == (folder / "view.html").read_bytes(), name


def test_the_same_document_gives_the_same_bytes(archive: Path) -> None:
    data = (archive / "layout/page/issue.xml").read_bytes()
    first = render_view(build_view(parse_tei(data, "x")))
    second = render_view(build_view(parse_tei(data, "x")))
    assert first == second


def test_the_text_of_each_line_is_the_text_of_its_lb(archive: Path) -> None:
    for name in ("jiaozuo-daily/2016-12-11", "layout/page", "en-harrisburg-telegraph/1916-04-27"):
        root = tei_of(archive / name)
        expected = recover_lines(root)
        page = parse_html(archive / name / "view.html")
        for element in page.xpath("//*[@data-line]"):
            n = int(element.get("data-n"))
            assert element.text_content().rstrip() == expected[n], (name, n)


# --- text is escaped ----------------------------------------------------------------------

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader>
<text><body><pb n="1"/><div type="article" xml:id="a1"><head type="main"><lb n="1"/></head>
<p><lb n="2"/></p></div><div type="article" xml:id="a2"><p><lb n="3"/></p></div></body></text></TEI>"""


def document(head: str, body: str) -> etree._Element:
    root = etree.fromstring(DOC.encode())
    lbs = list(root.iter(TEI + "lb"))
    lbs[0].tail, lbs[1].tail, lbs[2].tail = head, body, "x"
    return root


@settings(max_examples=60, deadline=None)
@given(
    head=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
    body=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
)
def test_any_text_reaches_the_page_as_text(head: str, body: str) -> None:
    root = document(head, body)
    page = html.document_fromstring(render_view(build_view(root)))
    assert len(page.xpath("//*[@data-article]")) == 2
    assert page.xpath("//*[@data-line='1:1']")[0].text_content() == head
    assert page.xpath("//*[@data-line='1:2']")[0].text_content() == body


def test_markup_in_the_text_stays_text() -> None:
    root = document("<script>alert(1)</script>", "</style><b>&amp;</b>\"'")
    data = render_view(build_view(root))
    assert b"<script>alert(1)" not in data
    assert b"</style><b>" not in data
    page = html.document_fromstring(data)
    assert len(page.xpath("//script")) == 2  # the view's data and its own script


def test_a_line_running_on_into_the_next_division_is_no_second_line() -> None:
    root = document("Head", "text")
    # The rest of line 2 stands in the next division, without an lb of its own.
    div = root.findall(f".//{TEI}div")[1]
    p = div.find(TEI + "p")
    p.text = "rest of two "
    page = html.document_fromstring(render_view(build_view(root)))
    assert [e.get("data-line") for e in page.xpath("//*[@data-line]")] == ["1:1", "1:2", "1:3"]
    part = page.xpath("//*[@data-line-part]")
    assert [e.get("data-line-part") for e in part] == ["1:2"]
    assert part[0].xpath("ancestor::*[@data-article]")[0].get("data-article") == "a2"


# --- page images --------------------------------------------------------------------------


def png(width: int = 4, height: int = 2) -> bytes:
    """A small grey PNG, made here (the samples ship no scans)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def layout_page(tmp_path: Path) -> Path:
    out = tmp_path / "p1.xml"
    code, _, err = run("convert", str(HOCR), "--image", "scan.png", "-o", str(out))
    assert code == 0, err
    return out


def test_a_page_image_beside_the_document_is_embedded(layout_page: Path) -> None:
    image = png()
    (layout_page.parent / "scan.png").write_bytes(image)
    code, out, err = run("view", str(layout_page))
    assert code == 0, err
    page = html.document_fromstring(out.encode())
    src = page.xpath("//img[@class='scan']/@src")
    assert src == ["data:image/png;base64," + base64.b64encode(image).decode()]


def test_a_missing_or_unshowable_image_is_named_not_shown(layout_page: Path) -> None:
    code, out, _ = run("view", str(layout_page))
    assert code == 0
    page = html.document_fromstring(out.encode())
    assert not page.xpath("//img")
    assert "scan.png: not found" in page.xpath("string(//p[@class='note'])")
    (layout_page.parent / "scan.jp2").write_bytes(b"\x00\x00\x00\x0cjP  ")
    code, out, _ = run("view", str(layout_page), "--image", str(layout_page.parent / "scan.jp2"))
    assert code == 0
    assert "cannot show" in html.document_fromstring(out.encode()).xpath(
        "string(//p[@class='note'])"
    )


def test_an_image_url_in_the_tei_is_not_fetched(tmp_path: Path) -> None:
    url = "https://iiif.example.org/page/full/max/0/default.jpg"
    page = tmp_path / "p1.xml"
    assert run("convert", str(HOCR), "--image", url, "-o", str(page))[0] == 0
    code, out, _ = run("view", str(page))
    assert code == 0
    view = html.document_fromstring(out.encode())
    assert not view.xpath("//img")
    assert "give it with --image" in view.xpath("string(//p[@class='note'])")


def test_a_given_image_url_is_linked(layout_page: Path) -> None:
    url = "https://iiif.example.org/page/full/max/0/default.jpg"
    code, out, _ = run("view", str(layout_page), "--image", url)
    assert code == 0
    assert html.document_fromstring(out.encode()).xpath("//img/@src") == [url]


# --- reports ------------------------------------------------------------------------------


def test_a_page_report_beside_the_document_is_read(tmp_path: Path) -> None:
    page = SAMPLES / "en-daily-gate-city/1916-01-30/p1.txt"
    out, report = tmp_path / "p1.xml", tmp_path / "p1.json"
    meta = str(page.parent / "issue.toml")
    assert (
        run(
            "convert",
            str(page),
            "--meta",
            meta,
            "--page",
            "1",
            "-o",
            str(out),
            "--report",
            str(report),
        )[0]
        == 0
    )
    code, html_text, err = run("view", str(out))
    assert code == 0 and "diagnostics from" in err
    findings = read_report(report.read_bytes())
    assert findings
    view = html.document_fromstring(html_text.encode())
    assert len(view.xpath("//li[contains(@class, 'finding')]")) == len(findings)


def test_json_that_is_no_report_is_not_taken_for_one(tmp_path: Path) -> None:
    assert read_report(b"[1, 2]") is None
    assert read_report(b'{"res": {"rec_texts": []}}') is None
    assert read_report(b"\xff") is None
    assert read_report(b'{"diagnostics": []}') == []


# --- the command line ---------------------------------------------------------------------


def test_view_help_has_an_example() -> None:
    code, out, _ = run("view", "--help")
    assert code == 0 and "Example" in out


def test_view_exit_codes(tmp_path: Path, layout_page: Path) -> None:
    assert run("view", str(tmp_path / "missing.xml"))[0] == ExitCode.INPUT
    assert run("view", str(tmp_path))[0] == ExitCode.INPUT
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI", encoding="utf-8")
    code, _, err = run("view", str(bad))
    assert code == ExitCode.INVALID and "not well-formed" in err
    other = tmp_path / "other.xml"
    other.write_text("<html/>", encoding="utf-8")
    code, _, err = run("view", str(other))
    assert code == ExitCode.INVALID and "not a TEI document" in err
    not_report = tmp_path / "r.json"
    not_report.write_text("[]", encoding="utf-8")
    code, _, err = run("view", str(layout_page), "--report", str(not_report))
    assert code == ExitCode.INPUT and "not a report" in err
    code, _, _ = run("view", str(layout_page), "--report", str(tmp_path / "none.json"))
    assert code == ExitCode.INPUT
    code, _, err = run("view", str(layout_page), "--image", str(tmp_path / "none.png"))
    assert code == ExitCode.INPUT and "no such image" in err
    code, _, err = run("view", str(layout_page), "-o", str(tmp_path / "no" / "such" / "v.html"))
    assert code == ExitCode.OUTPUT
    code, _, err = run("view", str(layout_page), "-o", str(tmp_path / "v.html"))
    assert code == ExitCode.OK and (tmp_path / "v.html").is_file()


def test_issue_writes_its_view(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run("issue", str(SAMPLES / "hechuan-daily/2016-12-11"), "-o", str(out))
    assert code == 0, err
    assert (out / "view.html").is_file()


def test_a_view_in_an_issue_folder_is_no_page(tmp_path: Path) -> None:
    """Written into the issue's own folder, view.html is not read as a page the next time
    (.html is also hOCR's ending)."""
    folder = tmp_path / "issue"
    folder.mkdir()
    for page in (SAMPLES / "hechuan-daily/2016-12-11").iterdir():
        (folder / page.name).write_bytes(page.read_bytes())
    for _ in range(2):
        code, _, err = run("issue", str(folder), "-o", str(folder))
        assert code == 0, err
        assert "3 pages" in err


def test_an_archive_redoes_an_issue_whose_view_is_missing(tmp_path: Path) -> None:
    src = tmp_path / "src" / "hechuan"
    src.mkdir(parents=True)
    for page in (SAMPLES / "hechuan-daily/2016-12-11").iterdir():
        (src / page.name).write_bytes(page.read_bytes())
    out = tmp_path / "out"
    assert run("archive", str(tmp_path / "src"), str(out), "-j", "1")[0] == 0
    (out / "hechuan" / "view.html").unlink()
    code, _, err = run("archive", str(tmp_path / "src"), str(out), "-j", "1")
    assert code == 0 and "1 converted" in err
    assert (out / "hechuan" / "view.html").is_file()
    assert (out / "index.html").is_file()


def test_the_style_sheet_colours_the_stories_with_the_palette() -> None:
    from converter.view import PALETTE
    from converter.write.html_view import TEMPLATES

    css = (TEMPLATES / "view.css").read_text(encoding="utf-8")
    for index, colour in enumerate(PALETTE):
        assert f".c{index} {{ --c: {colour}; }}" in css


def test_the_wheel_carries_the_templates(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("newspaper_tei-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("view.html.j2", "view.css", "view.js", "index.html.j2", "index.css", "index.js"):
        assert f"converter/write/templates/{name}" in names
