"""Screenshots of HTML views, for ``make demo``: each view.html below a folder, opened in
headless Chromium, is shown as a user first sees it and again with a story selected (the
first one with fragments on several pages, else the first story), each as a PNG.

Usage: ``python -m tests.view_shots FOLDER OUT`` (``OUT/<issue path with dashes>.png`` and
``…-story.png``). Without Chromium it says why and writes nothing (exit status 0: the demo's
other outputs stand); ``--readme PNG`` also writes the picture the README shows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tests import browser

#: The view and the story the README shows: the NDNP issue, drawn from its zones.
README_VIEW = "ndnp-german-1878/view.html"
README_WINDOW = (1100, 700)


def select_story(driver: Any) -> str | None:
    """Select a story (the first continued one, else the first) as a click does; its id."""
    found = driver.execute_script(
        "const all = [...document.querySelectorAll('[data-article]')];"
        "const linked = all.find(e => e.dataset.next);"
        "const pick = linked || all[0];"
        "if (!pick) { return null; }"
        "pick.querySelector('.line').click();"
        "return pick.id;"
    )
    return str(found) if found else None


def shoot(driver: Any, view: Path, out: Path) -> list[Path]:
    browser.open_view(driver, view)
    first = out.with_suffix(".png")
    browser.screenshot(driver, first)
    shots = [first]
    if select_story(driver) is not None:
        story = out.with_name(out.name + "-story.png")
        browser.screenshot(driver, story)
        shots.append(story)
    return shots


def readme_shot(driver: Any, view: Path, out: Path) -> None:
    """The README's picture: page 1 of the NDNP issue with a story selected, in a smaller
    window (a small file)."""
    driver.set_window_size(*README_WINDOW)
    browser.open_view(driver, view)
    driver.execute_script(
        # The story of page 1 with a headline and the most lines.
        "const stories = [...document.querySelectorAll('#page\\\\:1 [data-article]')]"
        "  .filter(s => s.querySelector('.k-head'));"
        "stories.sort((a, b) => b.children.length - a.children.length);"
        "const line = stories[0].querySelector('.line');"
        "line.click();"
        "window.scrollTo(0, line.getBoundingClientRect().top + window.scrollY - 160);"
    )
    browser.screenshot(driver, out)
    driver.set_window_size(*browser.WINDOW)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where the view.html files are (any depth)")
    parser.add_argument("out", type=Path, help="where the screenshots go")
    parser.add_argument("--readme", type=Path, help="also write the README's picture here")
    args = parser.parse_args(argv)
    why = browser.missing()
    if why is not None:
        print(f"screenshots skipped: {why}", file=sys.stderr)
        return 0
    views = sorted(args.folder.rglob("view.html"))
    with browser.chromium() as driver:
        for view in views:
            name = view.parent.relative_to(args.folder).as_posix().replace("/", "-") or "view"
            for shot in shoot(driver, view, args.out / name):
                print(f"  {shot}")
        readme = args.folder / README_VIEW
        if args.readme is not None and readme.is_file():
            readme_shot(driver, readme, args.readme)
            print(f"  {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
