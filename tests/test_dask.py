"""``archive --scheduler`` on the command line without a cluster: dask missing, malformed
values, and the order outcomes are reported in (the jobs', whoever finished first)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from converter.batch.archive import Job, Outcome, in_job_order
from converter.batch.dask_executor import INSTALL, parse_scheduler
from converter.cli import main
from converter.errors import ExitCode
from tests.test_archive import make_tree


def archive(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["archive", *args])
    return result.exit_code, result.stderr


def test_without_dask_the_scheduler_option_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path / "src", issues=1)
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), "--scheduler", "local:2")
    assert code == ExitCode.USAGE
    assert err == f"newspaper-tei: {INSTALL}\n"
    assert "pip install 'newspaper-tei[dask]'" in err
    assert not (tmp_path / "out").exists()
    # The local pool needs no dask.
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), "-j", "1")
    assert code == 0, err


@pytest.mark.parametrize(
    "args",
    [
        ["--scheduler", "local:0"],
        ["--scheduler", "local:two"],
        ["--scheduler", "somehost:8786"],
        ["--scheduler", "local:2", "-j", "2"],
    ],
)
def test_malformed_scheduler_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    make_tree(tmp_path / "src", issues=1)
    code, err = archive(str(tmp_path / "src"), str(tmp_path / "out"), *args)
    assert code == ExitCode.USAGE
    assert "--scheduler" in err
    assert not (tmp_path / "out").exists()


def test_scheduler_values() -> None:
    assert parse_scheduler("local:1") == 1
    assert parse_scheduler("local:16") == 16
    assert parse_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert parse_scheduler("tls://head:8786") == "tls://head:8786"
    for bad in ("local:", "local:-1", "local:0", "tcp://", "://x", "head:8786", ""):
        with pytest.raises(ValueError):
            parse_scheduler(bad)


@given(
    names=st.lists(st.sampled_from(["a", "b", "c", "d/e", "."]), min_size=0, max_size=12),
    data=st.data(),
)
def test_outcomes_are_reported_in_the_jobs_order(names: list[str], data: st.DataObject) -> None:
    """Whatever order the workers finish in (names may repeat: a slot is a slot)."""
    root = Path("src")
    jobs = [Job(root, Path("out"), name, pages=k) for k, name in enumerate(names)]
    outcomes = [Outcome(job.name, "done", pages=job.pages) for job in jobs]
    finished = data.draw(st.permutations(outcomes))
    ordered = list(in_job_order(jobs, finished))
    assert [o.name for o in ordered] == names
    assert sorted(o.pages for o in ordered) == list(range(len(names)))
    # With names unique, each outcome is its own job's.
    if len(set(names)) == len(names):
        assert [o.pages for o in ordered] == [job.pages for job in jobs]
