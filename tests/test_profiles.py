"""Profiles are data found by file: every bundled one loads, a new file is found and used with
no code change, and a malformed one is refused when loaded, naming its file and key."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from converter.cli import main
from converter.errors import ExitCode, InputFileError
from converter.model import Metadata
from converter.pipeline import Options, convert_bytes
from converter.profile import (
    PROFILES_ENV,
    ProfileError,
    all_profiles,
    detect_language,
    load_profile,
    load_profile_file,
    parse_profile,
    profile_for,
    profile_names,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
NS = {"t": "http://www.tei-c.org/ns/1.0"}

#: A German profile as a library would write it: only what differs from generic.toml.
GERMAN = """\
name = "de"
tags = ["de", "de-DE", "de-AT"]
language_name = "Deutsch"
title = ["{paper}", "{date}", "Seite {page}"]

[text]
hyphens = "-\\u00ad\\u2e17\\u00ac="

[jumps]
pattern = '\\(?(?P<dir>Fortsetzung auf|Fortsetzung von) Seite (?P<page>\\d{1,3}|\\w+)\\.?\\)?'
next = ["Fortsetzung auf"]
prev = ["Fortsetzung von"]

[numerals.words]
drei = 3
zweite = 2
"""

STORY = "Berlin, 2. Jan. Die Regierung hat heute\nbeschlossen, die Sitzung zu verschieben.\n"


def convert(text: str, lang: str | None = None, **options: object) -> etree._Element:
    meta = Metadata(paper="Die Zeitung", date=dt.date(1916, 1, 3), page="1", lang=lang)
    data = convert_bytes(text.encode(), "p.txt", meta, Options(**options)).data  # type: ignore[arg-type]
    return etree.fromstring(data)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.fixture
def german(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    path = folder / "de.toml"
    path.write_text(GERMAN, encoding="utf-8")
    return path


# --- the bundled profiles ------------------------------------------------------------------


def test_every_bundled_profile_is_found_and_loads() -> None:
    names = profile_names()
    assert {"zh", "en", "generic"} <= set(names)
    assert [p.name for p in all_profiles()] == list(names)


@pytest.mark.parametrize("name", profile_names())
def test_encodings_are_canonical_codec_names(name: str) -> None:
    # Profiles name their legacy encodings as Python's codecs do; they are not looked up
    # (imported) when a profile is loaded.
    for encoding in load_profile(name).encodings:
        assert codecs.lookup(encoding).name == encoding


def test_tags_choose_profiles() -> None:
    assert profile_for("zh-Hant").name == "zh"
    assert profile_for("en-US").name == "en"
    assert profile_for("de-AT").name == "de"
    assert profile_for("fr-CA").name == "fr"
    assert profile_for("es").name == "generic"


def test_any_source_matches_where_one_source_pattern_does() -> None:
    zh = load_profile("zh")
    assert zh.any_source is not None
    lines = [
        line.lstrip()
        for page in sorted(SAMPLES.rglob("*.txt"))
        for line in page.read_text(encoding="utf-8").splitlines()
    ]
    found = [line for line in lines if zh.any_source.match(line)]
    assert found
    for line in lines:
        assert bool(zh.any_source.match(line)) == any(p.match(line) for p in zh.sources)


@pytest.mark.parametrize(
    ("patterns", "line", "matches"),
    [
        ([r"^(?P<source>x)(?P=source)", r"^(?P<source>y)"], "xx", True),  # a back reference
        ([r"^(?P<source>x)(?P=source)", r"^(?P<source>y)"], "xy", False),
        ([r"(?i)^(?P<source>x)", r"^(?P<source>y)"], "X", True),  # flags for the whole pattern
        ([r"^[(?P<b>](?P<source>q)", r"^(?P<source>y)"], "Pq", True),  # group-like text
        ([r"^(?P<source>x)", r"^(?P<source>y)"], "y", True),
        ([r"^(?P<source>x)", r"^(?P<source>y)"], "z", False),
    ],
)
def test_any_source_answers_as_its_patterns_do(
    patterns: list[str], line: str, matches: bool
) -> None:
    data = {"name": "t", "tags": ["t"], "language_name": "T", "bylines": {"sources": patterns}}
    generic = tomllib.loads(
        (ROOT / "converter" / "profiles" / "generic.toml").read_text(encoding="utf-8")
    )
    profile = parse_profile(data, "t.toml", generic)
    assert profile.any_source is not None
    assert bool(profile.any_source.match(line)) == matches


def test_unknown_profile() -> None:
    with pytest.raises(ProfileError, match="no profile named"):
        load_profile("xx")


# --- detection -----------------------------------------------------------------------------


def test_detection_ideographic_is_zh_latin_by_its_words() -> None:
    root = convert("本报讯 市委召开会议。\n会议强调要抓好落实。\n")
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["zh"]
    root = convert(STORY)
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["de"]
    # Latin letters but no language's common words: no profile claims the page.
    root = convert("Xqzt vbnm rtyp.\nQwrt plkj hgfd.\n")
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["und"]


def test_detection_reads_the_profiles_script_data(tmp_path: Path) -> None:
    ru = tmp_path / "ru.toml"
    ru.write_text(
        'name = "ru"\ntags = ["ru"]\nlanguage_name = "Russian"\n'
        "[detect]\nranges = [[0x0400, 0x04FF]]\nshare = 0.6\n",
        encoding="utf-8",
    )
    profile = load_profile_file(ru)
    others = [load_profile("zh"), load_profile("en")]
    assert detect_language(["Правительство решило"], [*others, profile]) is profile
    # More than the share the profile asks for, not just some: 5 of 10 letters is not 0.6.
    assert detect_language(["Праваabcde"], [*others, profile]) is None
    assert detect_language(["市委召开会议"], [*others, profile]) is others[0]


# --- a new profile as a file ---------------------------------------------------------------


def test_profile_from_a_file_anywhere(german: Path) -> None:
    de = load_profile_file(german)
    root = convert(STORY + "(Fortsetzung auf Seite drei)\n", profile=de)
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["de"]
    assert root.xpath("//t:langUsage/t:language/text()", namespaces=NS) == ["Deutsch"]
    refs = root.xpath("//t:ref", namespaces=NS)
    assert [(r.get("subtype"), r.get("n")) for r in refs] == [("next", "3")]
    # Keys it leaves out are generic's.
    assert de.head_max_lines == load_profile("generic").head_max_lines


def test_profile_hyphens_are_the_profiles(german: Path) -> None:
    text = "Die Regie\u2e17\nrung hat heute beschlossen.\n"
    root = convert(text, profile=load_profile_file(german))
    assert root.xpath("//t:lb[@break='no']", namespaces=NS)
    root = convert(text, lang="en")
    assert not root.xpath("//t:lb[@break='no']", namespaces=NS)


def test_profile_option_on_convert_issue_and_archive(german: Path, tmp_path: Path) -> None:
    page = tmp_path / "in" / "1916-01-03" / "p1.txt"
    page.parent.mkdir(parents=True)
    page.write_text(STORY + "(Fortsetzung auf Seite 3)\n", encoding="utf-8")
    (page.parent / "issue.toml").write_text(
        'paper = "Die Zeitung"\ndate = 1916-01-03\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    assert run("convert", str(page), "--profile", str(german), "-o", str(out / "p.xml"))[0] == 0
    assert run("issue", str(page.parent), "--profile", str(german), "-o", str(out / "i"))[0] == 0
    code, _ = run(
        "archive", str(page.parent.parent), str(out / "a"), "-j", "1", "--profile", str(german)
    )
    assert code == 0
    for document in (
        out / "p.xml",
        out / "i" / "issue.xml",
        out / "a" / "1916-01-03" / "issue.xml",
    ):
        root = etree.parse(str(document)).getroot()
        assert root.xpath("//t:langUsage/t:language/@ident", namespaces=NS) == ["de"], document
        assert root.xpath("//t:ref/@n", namespaces=NS) == ["3"], document


def test_profile_in_a_folder_of_the_environment(
    german: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_profile("de").language_name == "German"  # the bundled one
    monkeypatch.setenv(PROFILES_ENV, str(german.parent))
    assert "de" in profile_names()
    assert profile_for("de-AT").name == "de"
    # A file in the folder replaces the bundled profile of its name.
    assert load_profile("de").language_name == "Deutsch"
    root = convert(STORY + "(Fortsetzung auf Seite drei)\n", lang="de")
    assert root.xpath("//t:ref/@n", namespaces=NS) == ["3"]


def test_profile_dropped_into_the_package_folder(german: Path, tmp_path: Path) -> None:
    # A copy of the package with one more file in its profiles folder, and nothing else changed.
    copy = tmp_path / "site"
    shutil.copytree(ROOT / "converter", copy / "converter")
    shutil.copy(german, copy / "converter" / "profiles" / "de.toml")
    page = tmp_path / "p1.txt"
    page.write_text(STORY + "(Fortsetzung auf Seite drei)\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != PROFILES_ENV}
    env["PYTHONPATH"] = str(copy)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from converter.cli import main; main()",
            "convert",
            str(page),
            "--lang",
            "de",
        ],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    root = etree.fromstring(done.stdout)
    assert root.xpath("//t:langUsage/t:language/text()", namespaces=NS) == ["Deutsch"]
    assert root.xpath("//t:ref/@n", namespaces=NS) == ["3"]


# --- checked when loaded -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[endmarks]\npattern = '(unclosed'\n", r"endmarks\.pattern: bad pattern"),
        (
            "[jumps]\npattern = 'Seite (?P<page>\\d+)'\n",
            r"jumps\.pattern: .*named groups \['dir'\]",
        ),
        ("[jumps]\npatern = ''\n", r"jumps\.patern: unknown key"),
        ("[headlines]\nmax_lines = 3\n", r"headlines: unknown key"),
        ("[bylines]\nsources = 'not a list'\n", r"bylines\.sources: expected a list"),
        ("[headline]\nmax_lines = 'three'\n", r"headline\.max_lines: expected a whole number"),
        ("[detect]\nshare = 2\n", r"detect\.share: expected a share"),
        ("[numerals]\nroman = 'yes'\n", r"numerals\.roman: expected true or false"),
        ("[numerals.words]\nzwei = 'two'\n", r"numerals\.words: expected a table"),
        ("colour = 'red'\n", r"colour: unknown key"),
    ],
)
def test_a_malformed_profile_is_refused_naming_file_and_key(
    tmp_path: Path, extra: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    head, _, _ = GERMAN.partition("[text]")
    path.write_text(head + extra, encoding="utf-8")
    with pytest.raises(ProfileError, match=message) as caught:
        load_profile_file(path)
    assert str(path) in str(caught.value)


def test_a_profile_needs_its_name_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('name = "x"\nlanguage_name = "X"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="tags: missing"):
        load_profile_file(path)


def test_a_profile_in_a_folder_is_named_as_its_file(
    german: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    german.rename(german.with_name("deu.toml"))
    monkeypatch.setenv(PROFILES_ENV, str(german.parent))
    with pytest.raises(ProfileError, match="not the file's name"):
        load_profile("deu")


def test_a_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such profile file"):
        load_profile_file(tmp_path / "none.toml")


def test_the_cli_reports_a_bad_profile_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GERMAN + "[jumps]\n", encoding="utf-8")  # a table twice: not TOML
    page = tmp_path / "p.txt"
    page.write_text(STORY, encoding="utf-8")
    code, stderr = run("convert", str(page), "--profile", str(path))
    assert code == ExitCode.METADATA
    assert str(path) in stderr and "Traceback" not in stderr


def test_the_readme_example_profile_loads(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("A minimal profile:\n\n```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "de.toml"
    path.write_text(example, encoding="utf-8")
    profile = load_profile_file(path)
    assert profile.tags[0] == "de"
    assert "\u2e17" in profile.hyphens


def test_archive_redoes_its_issues_when_the_profile_changes(german: Path, tmp_path: Path) -> None:
    issue = tmp_path / "in" / "1916-01-03"
    issue.mkdir(parents=True)
    (issue / "p1.txt").write_text(STORY + "(Fortsetzung auf Seite 3)\n", encoding="utf-8")
    (issue / "issue.toml").write_text('paper = "Die Zeitung"\ndate = 1916-01-03\n', "utf-8")
    out = tmp_path / "out"
    args = ("archive", str(tmp_path / "in"), str(out), "-j", "1", "--profile", str(german))
    assert run(*args)[0] == 0
    written = (out / "1916-01-03" / "issue.xml").stat().st_mtime_ns
    assert run(*args)[0] == 0  # up to date: skipped
    assert (out / "1916-01-03" / "issue.xml").stat().st_mtime_ns == written
    german.write_text(GERMAN.replace('"Deutsch"', '"German"'), encoding="utf-8")
    assert run(*args)[0] == 0
    root = etree.parse(str(out / "1916-01-03" / "issue.xml")).getroot()
    assert root.xpath("//t:langUsage/t:language/text()", namespaces=NS) == ["German"]


def test_a_malformed_profile_in_a_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "xx.toml"
    bad.write_text('name = "xx"\ntags = ["xx"]\nlanguage_name = "X"\n[jump]\n', encoding="utf-8")
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    with pytest.raises(ProfileError, match="jump: unknown key") as caught:
        profile_for("zh")
    assert str(bad) in str(caught.value)
