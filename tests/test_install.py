"""A non-editable install finds its bundled schema and profiles from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheels = list(out.glob("newspaper_tei-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_carries_schema_and_profiles(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "converter/schemas/newspaper-tei.xsd" in names
    assert "converter/profiles/zh.toml" in names
    assert "converter/profiles/generic.toml" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "newspaper-tei = converter.launch:main" in text


def test_installed_package_converts_and_validates_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    page = elsewhere / "p.txt"
    page.write_text("本报讯（记者王丹）市委召开会议。①2\n\n会议召开\n", encoding="utf-8")
    # The installed copy first; the dependencies (lxml, click, xmlschema) from this environment.
    # -S skips site's .pth files, so an editable install of the checkout cannot answer instead.
    deps = [p for p in sys.path if "site-packages" in p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), *deps])}
    code = (
        "import converter, sys; "
        f"assert converter.__file__.startswith({str(target)!r}), converter.__file__; "
        "from converter.launch import main; main()"  # what the installed command runs
    )
    run = subprocess.run(
        [sys.executable, "-S", "-c", code, "convert", str(page), "-o", "out.xml"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    run = subprocess.run(
        [sys.executable, "-S", "-c", code, "validate", "out.xml"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
