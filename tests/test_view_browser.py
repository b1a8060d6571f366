"""The HTML views in a real browser: headless Chromium loads the view of every sample issue,
counts its stories and lines against the TEI, follows a story over its pages and a jump to
its partner, goes to a diagnostic's line, and takes screenshots.

Skipped, with the reason, only where Chromium and its driver are not installed (``make
test`` installs Debian's ``chromium`` and ``chromium-driver`` when run as root)."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from tests import browser
from tests.test_view import TEI, page_keys, png

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=str(browser.missing()))

#: The sample issues, by their folders below samples/ (and below an archive of them).
ISSUES = [
    "en-daily-gate-city/1916-01-30",
    "en-harrisburg-telegraph/1916-04-27",
    "hechuan-daily/2016-12-11",
    "jiaozuo-daily/2016-12-11",
    "layout/hocr",
    "layout/paddleocr",
    "layout/page",
    "ndnp-german-1878",
]


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "archive"
    run("archive", str(SAMPLES), str(out), "-j", "1")
    return out


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with browser.chromium() as chromium:
        yield chromium


def script(driver: Any, code: str, *args: Any) -> Any:
    return driver.execute_script(code, *args)


def selected(driver: Any) -> list[str]:
    return list(
        script(driver, "return [...document.querySelectorAll('.story.selected')].map(e => e.id)")
    )


def in_viewport(driver: Any, selector: str) -> bool:
    return bool(
        script(
            driver,
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
            "return r.bottom > 0 && r.top < window.innerHeight;",
            selector,
        )
    )


def click(driver: Any, selector: str) -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, selector)
    script(driver, "arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def keys(driver: Any, text: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(text).perform()


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == browser.WINDOW[0] and 0 < height <= browser.WINDOW[1]


@pytest.mark.parametrize("name", ISSUES)
def test_the_view_shows_every_story_and_line_of_the_tei(
    archive: Path, driver: Any, name: str, tmp_path: Path
) -> None:
    folder = archive / name
    root = etree.parse(str(folder / "issue.xml")).getroot()
    browser.open_view(driver, folder / "view.html")
    articles = [d.get(XML_ID) for d in root.iter(TEI + "div") if d.get("type") == "article"]
    shown = script(
        driver,
        "return [...document.querySelectorAll('[data-article]')].map(e => e.dataset.article)",
    )
    assert shown == articles
    lines = script(
        driver, "return [...document.querySelectorAll('[data-line]')].map(e => e.dataset.line)"
    )
    assert sorted(lines) == sorted(page_keys(root))
    # Every line is drawn: it has a size on the screen.
    empty = script(
        driver,
        "return [...document.querySelectorAll('[data-line]')]"
        ".filter(e => { const r = e.getBoundingClientRect(); return !(r.width > 0 && r.height > 0); })"
        ".map(e => e.dataset.line)",
    )
    assert empty == []
    # Nothing was fetched: every resource the page loaded is inside it.
    fetched = script(driver, "return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in fetched if not url.startswith("data:")] == []
    shot = tmp_path / "view.png"
    browser.screenshot(driver, shot)
    assert_png(shot)


def test_clicking_a_story_highlights_its_fragments_on_every_page(
    archive: Path, driver: Any
) -> None:
    browser.open_view(driver, archive / "hechuan-daily/2016-12-11/view.html")
    click(driver, "#p1-a1 [data-line]")
    assert selected(driver) == ["p1-a1", "p2-a1"]
    card = driver.find_element("id", "view:story").text
    assert "我市多措并举保障群众温暖过冬" in card
    assert "李华 (reporter)" in card
    assert "1, 2" in card and "2016-12-11" in card
    # The others are dimmed, the story's fragments are not.
    opacity = script(
        driver,
        "return [arguments[0], arguments[1]].map(s => getComputedStyle(document.querySelector(s)).opacity)",
        "#p2-a1",
        "#p1-a2",
    )
    assert float(opacity[0]) > float(opacity[1])


def test_a_jump_goes_to_its_partner_fragment(archive: Path, driver: Any) -> None:
    browser.open_view(driver, archive / "hechuan-daily/2016-12-11/view.html")
    script(driver, "window.scrollTo(0, 0)")
    click(driver, "#p1-a1 a.m-jump")
    assert selected(driver) == ["p1-a1", "p2-a1"]
    assert in_viewport(driver, "#p2-a1 [data-line]")
    assert not in_viewport(driver, "#p1-a1 [data-line]")
    # And back: the partner's "continued from" leads to the first fragment.
    click(driver, "#p2-a1 a.m-jump")
    assert in_viewport(driver, "#p1-a1 a.m-jump")


def test_keyboard_moves_between_stories_and_pages(archive: Path, driver: Any) -> None:
    browser.open_view(driver, archive / "hechuan-daily/2016-12-11/view.html")
    order = script(driver, "return [...document.querySelectorAll('[data-article]')].map(e => e.id)")
    keys(driver, "j")
    assert selected(driver) == ["p1-a1", "p2-a1"]
    keys(driver, "j")
    assert selected(driver) == [order[1]]
    keys(driver, "k")
    assert selected(driver) == ["p1-a1", "p2-a1"]
    script(driver, "window.scrollTo(0, 0)")
    keys(driver, "]")
    top = script(driver, "return document.getElementById('page:2').getBoundingClientRect().top")
    assert 0 <= top < 200
    keys(driver, "\ue00c")  # Escape clears the selection
    assert selected(driver) == []


def test_a_diagnostic_shows_its_line(archive: Path, driver: Any) -> None:
    browser.open_view(driver, archive / "en-daily-gate-city/1916-01-30/view.html")
    findings = script(
        driver, "return [...document.querySelectorAll('.finding')].map(e => e.dataset.goto)"
    )
    assert findings
    goto = findings[-1]
    script(driver, "window.scrollTo(0, 0)")
    click(driver, f".finding[data-goto='{goto}']")
    line = f"[data-line='{goto}']"
    assert in_viewport(driver, line)
    assert script(
        driver, "return document.querySelector(arguments[0]).classList.contains('flash')", line
    )


def test_search_marks_the_lines_that_hold_the_words(archive: Path, driver: Any) -> None:
    folder = archive / "en-harrisburg-telegraph/1916-04-27"
    browser.open_view(driver, folder / "view.html")
    expected = script(
        driver,
        "return [...document.querySelectorAll('.line')]"
        ".filter(e => e.textContent.toLowerCase().includes('the')).length",
    )
    keys(driver, "/")
    keys(driver, "The")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(
        lambda d: d.find_element("id", "view:hits").text == f"{expected} lines"
    )
    assert expected > 10
    assert script(driver, "return document.querySelectorAll('.line.hit').length") == expected
    keys(driver, "\ue007")  # Enter: the first hit
    assert in_viewport(driver, ".line.hit.flash")


def test_zones_are_drawn_at_their_boxes(archive: Path, driver: Any) -> None:
    folder = archive / "ndnp-german-1878"
    root = etree.parse(str(folder / "issue.xml")).getroot()
    surface = root.find(f".//{TEI}surface")
    zone = surface.find(f"{TEI}zone[@{XML_ID}='f1-l40']")
    browser.open_view(driver, folder / "view.html")
    box = script(
        driver,
        "const sheet = document.querySelector('#page\\\\:1 .sheet').getBoundingClientRect();"
        "const line = document.querySelector(\"[data-line='1:40']\").getBoundingClientRect();"
        "return [sheet.width, sheet.height, line.left - sheet.left, line.top - sheet.top, line.width];",
    )
    width, height = int(surface.get("lrx")), int(surface.get("lry"))
    scale = box[0] / width
    assert box[1] == pytest.approx(height * scale, abs=1.5)
    assert box[2] == pytest.approx(int(zone.get("ulx")) * scale, abs=1.5)
    assert box[3] == pytest.approx(int(zone.get("uly")) * scale, abs=1.5)
    assert box[4] == pytest.approx((int(zone.get("lrx")) - int(zone.get("ulx"))) * scale, abs=1.5)
    # Clicking a line selects its story.
    click(driver, "[data-line='1:40']")
    owner = script(
        driver, "return document.querySelector(\"[data-line='1:40']\").closest('[data-article]').id"
    )
    assert selected(driver) == [owner]


def test_the_overlay_slider_fades_the_boxes_over_the_image(tmp_path: Path, driver: Any) -> None:
    page = tmp_path / "p1.xml"
    run("convert", str(SAMPLES / "layout/hocr/p1.hocr"), "--image", "scan.png", "-o", str(page))
    (tmp_path / "scan.png").write_bytes(png(248, 100))
    run("view", str(page), "-o", str(tmp_path / "view.html"))
    browser.open_view(driver, tmp_path / "view.html")
    assert script(driver, "return document.querySelector('img.scan').naturalWidth") == 248
    line = "[data-line='1:6']"
    before = script(
        driver, "return getComputedStyle(document.querySelector(arguments[0])).opacity", line
    )
    script(
        driver,
        "const s = document.getElementById('view:opacity'); s.value = 20;"
        "s.dispatchEvent(new Event('input'));",
    )
    after = script(
        driver, "return getComputedStyle(document.querySelector(arguments[0])).opacity", line
    )
    assert float(after) == pytest.approx(0.2) and float(before) > float(after)


def test_the_index_links_every_issue(archive: Path, driver: Any) -> None:
    driver.get((archive / "index.html").as_uri())
    links = script(driver, "return [...document.querySelectorAll('tbody a')].map(a => a.href)")
    assert len(links) == len(ISSUES)
    driver.get(links[0])
    assert script(driver, "return document.body.dataset.ready") == "true"
