"""Workbooks read by one command are not read again by the next (report_utils.parsed_cache).

Each claim is about separate commands, as an analyst runs them: the first is a CLI process
that reads the files and keeps what it found; the next runs the CLI's entry point in the
test's process with the workbook reader replaced, so that reading a file there fails the
test (or is counted). The key itself is tested in test_cache_key.py.
"""

from __future__ import annotations

import os
import pickle
import shutil

import pytest

from conftest import ReadmeProject, edit_cell
from report_utils import loading, model, parsed_cache
from report_utils.cli import main

INS = "insatser_2018-2019.xlsx"
VALIDATE = ".venv/bin/python -m report_utils validate"
STATUS = ".venv/bin/python -m report_utils status 2026"


@pytest.fixture
def project(tmp_path, settings, monkeypatch) -> ReadmeProject:
    """A copy of the project with an empty output folder; commands run in it, as CLI
    processes (``project.run``) and through the CLI's entry point in this process."""
    copy = ReadmeProject(settings, tmp_path / "projekt")
    (copy.path / "outputs").mkdir()
    monkeypatch.setenv("REPORT_UTILS_ROOT", str(copy.path))
    model._parsed_and_checked.cache_clear()  # this process starts as a new one would
    yield copy
    model._parsed_and_checked.cache_clear()


def command_here(capsys, *args: str) -> tuple[int, str, str]:
    """The next command: the CLI's entry point in this process."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The workbooks read in this process, by the name their problems would carry."""
    seen: list[str] = []
    real = loading.parse_workbook

    def counted(content, workbook, label):
        seen.append(label)
        return real(content, workbook, label)

    monkeypatch.setattr(loading, "parse_workbook", counted)
    return seen


def kept(project) -> list:
    return sorted((project.path / "outputs" / ".cache").glob(f"{parsed_cache.PREFIX}*"))


@pytest.mark.parametrize("broken", [False, True], ids=["valid data", "a wrong value"])
def test_the_next_command_reads_no_unchanged_workbook_and_says_the_same(
    project, capsys, reads, broken
):
    if broken:
        edit_cell(
            project.path / "data" / INS,
            "resultat",
            "varde",
            "tolv st",
            where=("resultat_id", "act-r01"),
        )
    first = project.run(VALIDATE)
    assert first.returncode == (1 if broken else 0), first.stderr
    assert len(kept(project)) >= 5  # the shared workbooks and each year's

    code, out, err = command_here(capsys, "validate")
    assert reads == []  # every workbook came from what the first command kept
    assert (code, out, err) == (first.returncode, first.stdout, first.stderr)
    if broken:
        assert "'tolv st'" in err and "väntade ett tal" in err


def test_an_edited_workbook_and_only_it_is_read_again(project, capsys, reads):
    assert project.run(STATUS).returncode == 0
    edit_cell(
        project.path / "data" / INS,
        "resultat",
        "varde",
        "tolv st",
        where=("resultat_id", "act-r01"),
    )
    code, _, err = command_here(capsys, "validate")
    assert code == 1 and "'tolv st'" in err
    assert reads == [INS]


def test_a_damaged_kept_result_is_read_again_and_kept_anew(project, capsys, reads):
    first = project.run(VALIDATE)
    assert first.returncode == 0, first.stderr
    damaged = kept(project)
    garbage = [b"", b"not a pickle", pickle.dumps({"sheets": "wrong shape"}), b"\x80\x05K"]
    for i, path in enumerate(damaged):
        path.write_bytes(garbage[i % len(garbage)])

    code, out, err = command_here(capsys, "validate")
    assert (code, out, err) == (0, first.stdout, first.stderr)
    assert len(reads) == len(damaged)  # each damaged one read from its file again
    for path in damaged:  # and kept again, whole
        assert model._is_result(pickle.loads(path.read_bytes())), path.name


def test_a_command_without_an_output_folder_keeps_nothing_and_writes_nothing(project):
    shutil.rmtree(project.path / "outputs")
    before = sorted(p for p in project.path.rglob("*"))
    proc = project.run(VALIDATE)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p for p in project.path.rglob("*")) == before


def test_data_read_outside_a_command_is_not_kept(project):
    model.load_dataset(project.path / "data")
    assert kept(project) == [] and not parsed_cache.active()


def test_only_the_most_recently_used_results_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(parsed_cache, "KEEP", 3)
    cache_dir = tmp_path / "outputs" / ".cache"
    cache_dir.parent.mkdir()
    with parsed_cache.kept_in(cache_dir):
        for i, key in enumerate("abcd"):
            parsed_cache.save(key, i)
            os.utime(parsed_cache.path_for(key), ns=(i * 10**9, i * 10**9))
        assert parsed_cache.load("b") == 1  # used now: the newest
        parsed_cache.save("e", 4)
        assert [parsed_cache.load(k) for k in "abcde"] == [None, 1, None, 3, 4]
    assert not parsed_cache.active()  # only while the command runs


def test_a_result_in_a_folder_that_cannot_be_written_is_still_used(tmp_path, monkeypatch):
    cache_dir = tmp_path / "outputs" / ".cache"
    cache_dir.parent.mkdir()
    with parsed_cache.kept_in(cache_dir):
        parsed_cache.save("k", ("sheets", ()))

        def read_only(*_args, **_kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(parsed_cache.os, "utime", read_only)
        assert parsed_cache.load("k") == ("sheets", ())
