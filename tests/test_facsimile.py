"""The facsimile of layout input (contract §5): one ``surface`` a page with the page's extent
and image, one line ``zone`` a source line with that line's box, ``lb/@facs`` and ``pb/@facs``
pointing at them, in page, issue and article documents; valid against the bundled schema and
tei_all, and the same bytes on every run. Plain text has no facsimile.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.batch.issue import convert_issue
from converter.cli import main
from converter.model import Text
from converter.read.formats import read_file
from converter.validate import validate_bytes
from tests.test_alto import ABlock, alto, line

ROOT = Path(__file__).resolve().parent.parent
ALTO_DATA = Path(__file__).parent / "data" / "alto"
LAYOUT_DATA = Path(__file__).parent / "data" / "layout"
ISSUE_DIR = ALTO_DATA / "der-nordstern-1878-01-03"
T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

#: Layout pages of every format: the real ALTO pages and the synthetic pages of each reader.
LAYOUT_PAGES = [
    *sorted(ALTO_DATA.glob("*.xml")),
    *sorted(ISSUE_DIR.glob("*.xml")),
    LAYOUT_DATA / "front.hocr",
    LAYOUT_DATA / "front.page.xml",
    LAYOUT_DATA / "small-2010.page.xml",
    LAYOUT_DATA / "front.paddleocr.json",
    LAYOUT_DATA / "front-v2.paddleocr.json",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def convert(page: Path, out: Path, *extra: str) -> bytes:
    code, _, err = run("convert", str(page), "-o", str(out), *extra)
    assert code == 0, err
    return out.read_bytes()


def corners(element: etree._Element) -> tuple[int, int, int, int]:
    return tuple(int(element.get(k, "x")) for k in ("ulx", "uly", "lrx", "lry"))  # type: ignore[return-value]


def check_facsimile(root: etree._Element, sources: dict[str, Text]) -> None:
    """Every lb of a line with a box points at the zone of that box, on the surface of its
    page; a line without a box has neither zone nor @facs; each pb points at its page's
    surface. ``sources``: the surface xml:id of each page and what its reader read."""
    surfaces = root.findall(f"{T}facsimile/{T}surface")
    assert [s.get(XML_ID) for s in surfaces] == list(sources)
    zones: dict[str, etree._Element] = {}
    for surface in surfaces:
        sid = surface.get(XML_ID, "")
        text = sources[sid]
        assert text.surface is not None
        assert corners(surface) == (0, 0, text.surface.width, text.surface.height)
        graphics = surface.findall(f"{T}graphic")
        if text.surface.image:
            assert [g.get("url") for g in graphics] == [text.surface.image]
        else:
            assert graphics == []
        for zone in surface.findall(f"{T}zone"):
            assert zone.get("type") == "line"
            zones[zone.get(XML_ID, "")] = zone
    assert len(zones) == sum(1 for _ in root.iter(f"{T}zone"))  # none elsewhere
    pbs = root.findall(f".//{T}body/{T}pb")
    assert [pb.get("facs") for pb in pbs] == [f"#{sid}" for sid in sources]
    seen: set[str] = set()
    page_of_lb: dict[int, str] = {}
    current = ""
    for element in root.find(f"{T}text/{T}body").iter(f"{T}pb", f"{T}lb"):  # type: ignore[union-attr]
        if element.tag == f"{T}pb":
            current = element.get("facs", "#")[1:]
            continue
        number = int(element.get("n", "0"))
        page_of_lb[id(element)] = current
        source = {ln.number: ln for ln in sources[current].lines}[number]
        facs = element.get("facs")
        if source.box is None:
            assert facs is None, number
            continue
        assert facs == f"#{current}-l{number}", (number, facs)
        zone = zones[facs[1:]]
        box = source.box
        assert corners(zone) == (box.ulx, box.uly, box.lrx, box.lry), number
        assert zone.get("points") == box.points
        seen.add(facs[1:])
    # One zone per boxed line, and no zone that no lb points at.
    boxed = {f"{sid}-l{ln.number}" for sid, t in sources.items() for ln in t.lines if ln.box}
    assert set(zones) == boxed
    assert seen == boxed


@pytest.mark.parametrize("page", LAYOUT_PAGES, ids=lambda p: p.name)
def test_page_documents_point_every_lb_at_its_zone(
    page: Path, tmp_path: Path, tei_all: etree.RelaxNG
) -> None:
    data = convert(page, tmp_path / "out.xml")
    root = etree.fromstring(data)
    text = read_file(page)
    assert text.surface is not None
    check_facsimile(root, {"f1": text})
    # The facsimile comes before the text (contract §5).
    names = [etree.QName(child).localname for child in root]
    assert names == ["teiHeader", "facsimile", "text"]
    assert validate_bytes(data) == []
    assert tei_all.validate(root), str(tei_all.error_log)
    # The same bytes on a second run.
    assert convert(page, tmp_path / "again.xml") == data


def test_image_and_a_line_without_coordinates(tmp_path: Path) -> None:
    source = tmp_path / "0007.xml"
    source.write_bytes(
        alto(
            [
                ABlock(
                    (
                        line("Teutons Repulsed", (312, 180, 1098, 56), "TS20"),
                        line("no box for this one", None, "TS9"),
                        line("Practically everywhere", (312, 300, 1098, 30), "TS9"),
                    )
                )
            ],
            image="/scans/sn83045462/1916082601/0007.jp2",
            page=(7544, 10256),
            unit="inch1200",
        )
    )
    root = etree.fromstring(convert(source, tmp_path / "out.xml"))
    surface = root.find(f"{T}facsimile/{T}surface")
    assert surface is not None
    assert corners(surface) == (0, 0, 7544, 10256)
    assert [g.get("url") for g in surface.iter(f"{T}graphic")] == ["0007.jp2"]
    assert [(z.get(XML_ID), corners(z)) for z in surface.iter(f"{T}zone")] == [
        ("f1-l1", (312, 180, 1410, 236)),
        ("f1-l3", (312, 300, 1410, 330)),
    ]
    check_facsimile(root, {"f1": read_file(source)})


def test_paddleocr_polygons_are_kept_as_points(tmp_path: Path) -> None:
    page = LAYOUT_DATA / "front.paddleocr.json"
    root = etree.fromstring(convert(page, tmp_path / "out.xml"))
    zones = {z.get(XML_ID): z for z in root.iter(f"{T}zone")}
    # rec_polys[0] is [[100, 41], [1500, 40], [1500, 80], [100, 81]]: its bounding box on the
    # zone, the polygon itself in @points.
    first = zones["f1-l1"]
    assert corners(first) == (100, 40, 1500, 81)
    assert first.get("points") == "100,41 1500,40 1500,80 100,81"
    # Every zone of a polygon source keeps points that its box bounds.
    for zone in zones.values():
        points = [tuple(map(int, p.split(","))) for p in (zone.get("points") or "").split()]
        assert len(points) >= 3
        ulx, uly, lrx, lry = corners(zone)
        assert min(x for x, _ in points) == ulx and max(x for x, _ in points) == lrx
        assert min(y for _, y in points) == uly and max(y for _, y in points) == lry


def test_alto_zones_have_no_points(tmp_path: Path) -> None:
    root = etree.fromstring(convert(ISSUE_DIR / "p2.xml", tmp_path / "out.xml"))
    zones = list(root.iter(f"{T}zone"))
    assert zones
    assert all(z.get("points") is None for z in zones)


def test_plain_text_has_no_facsimile(tmp_path: Path) -> None:
    page = tmp_path / "p1.txt"
    page.write_text("THE EVENING STAR\n\nCOUNCIL VOTES\nThe city council voted.\n", "utf-8")
    root = etree.fromstring(convert(page, tmp_path / "out.xml"))
    assert root.find(f"{T}facsimile") is None
    assert [e for e in root.iter() if e.get("facs") is not None] == []
    assert list(root.iter(f"{T}zone", f"{T}surface")) == []


# --- issues and articles ------------------------------------------------------------------


def _issue_folder(tmp_path: Path, suffix: str) -> Path:
    """The two ALTO pages of the test issue, named ``p2<suffix>`` and ``p3<suffix>``."""
    folder = tmp_path / "der-nordstern"
    folder.mkdir(parents=True)
    shutil.copy(ISSUE_DIR / "issue.toml", folder / "issue.toml")
    for page in ("p2", "p3"):
        shutil.copy(ISSUE_DIR / f"{page}.xml", folder / f"{page}{suffix}")
    return folder


def _check_issue_document(data: bytes) -> None:
    root = etree.fromstring(data)
    sources = {"f1": read_file(ISSUE_DIR / "p2.xml"), "f2": read_file(ISSUE_DIR / "p3.xml")}
    check_facsimile(root, sources)
    assert [pb.get("n") for pb in root.iter(f"{T}pb")] == ["2", "3"]


def test_issue_document_has_a_surface_per_page(tmp_path: Path, tei_all: etree.RelaxNG) -> None:
    # Pages are told by content, so ALTO named *.txt is read as ALTO; only the issue document
    # is checked here (article documents below).
    result = convert_issue(_issue_folder(tmp_path, ".txt"), validate=False)
    issue = next(d for d in result.documents if d.kind == "issue")
    _check_issue_document(issue.data)
    assert validate_bytes(issue.data) == []
    assert tei_all.validate(etree.fromstring(issue.data)), str(tei_all.error_log)
    again = convert_issue(_issue_folder(tmp_path / "again", ".txt"), validate=False)
    assert [d.data for d in again.documents] == [d.data for d in result.documents]


def test_article_documents_carry_the_zones_they_point_at(
    tmp_path: Path, tei_all: etree.RelaxNG
) -> None:
    """An article document copies each surface its lines point at, with the issue surface's
    extent and image and exactly the zones of its own lines, each as the issue has it."""
    result = convert_issue(_issue_folder(tmp_path, ".txt"), validate=False)
    articles = [d for d in result.documents if d.kind == "article"]
    assert articles
    issue_root = etree.fromstring(next(d for d in result.documents if d.kind == "issue").data)
    issue_surfaces = {s.get(XML_ID): s for s in issue_root.iter(f"{T}surface")}
    for document in articles:
        root = etree.fromstring(document.data)
        pointers = [lb.get("facs") for lb in root.iter(f"{T}lb")]
        pointed = {facs[1:].rsplit("-l", 1)[0] for facs in pointers if facs}
        copies = {s.get(XML_ID): s for s in root.iter(f"{T}surface")}
        assert set(copies) == pointed, document.path
        for sid, surface in copies.items():
            issue_surface = issue_surfaces[sid]
            assert dict(surface.attrib) == dict(issue_surface.attrib)
            graphics = [etree.tostring(g, with_tail=False) for g in surface.iter(f"{T}graphic")]
            assert graphics == [
                etree.tostring(g, with_tail=False) for g in issue_surface.iter(f"{T}graphic")
            ]
            issue_zones = {z.get(XML_ID): z for z in issue_surface.iter(f"{T}zone")}
            zones = {z.get(XML_ID): z for z in surface.iter(f"{T}zone")}
            assert set(zones) == {p[1:] for p in pointers if p and p[1:].startswith(sid + "-")}
            for zid, zone in zones.items():
                assert dict(zone.attrib) == dict(issue_zones[zid].attrib)
        assert validate_bytes(document.data) == [], document.path
        assert tei_all.validate(root), str(tei_all.error_log)


def test_issue_command_reads_alto_pages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run("issue", str(_issue_folder(tmp_path, ".xml")), "-o", str(out))
    assert code == 0, err
    _check_issue_document((out / "issue.xml").read_bytes())


def test_issue_command_of_alto_pages_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    folder = _issue_folder(tmp_path, ".txt")
    outputs = []
    for out in (tmp_path / "a", tmp_path / "b"):
        code, _, err = run("issue", str(folder), "-o", str(out))
        assert code == 0, err
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.xml"))})
    assert outputs[0] == outputs[1]
    _check_issue_document(outputs[0][Path("issue.xml")])


def test_image_option_names_the_scan(tmp_path: Path) -> None:
    """``convert --image`` puts the scan's URL (an IIIF image, say) in ``graphic/@url``
    instead of the file name the ALTO gives; without it the ALTO's name stands."""
    page = tmp_path / "p1.xml"
    page.write_bytes(alto([ABlock((line("some words here", (10, 10, 500, 30)),))], image="a.tif"))
    url = "https://iiif.example.org/iiif/2/p1/full/full/0/default.jpg"
    out = tmp_path / "p1.tei.xml"
    result = CliRunner().invoke(main, ["convert", str(page), "--image", url, "-o", str(out)])
    assert result.exit_code == 0, result.output
    graphics = [g.get("url") for g in etree.parse(str(out)).iter(f"{T}graphic")]
    assert graphics == [url]
    plain = CliRunner().invoke(main, ["convert", str(page), "-o", str(out)])
    assert plain.exit_code == 0
    assert [g.get("url") for g in etree.parse(str(out)).iter(f"{T}graphic")] == ["a.tif"]
