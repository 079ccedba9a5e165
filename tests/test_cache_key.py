"""The cache key of incremental rendering and its manifest, as pure functions on small files.

A report renders again exactly when something its HTML depends on changed: these tests
change one input at a time (in files built here, not the shipped data) and check the key
moves with it, and that the manifest only calls a report fresh when its files are intact.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata

import pytest

from report_utils import cache


@pytest.fixture
def project(tmp_path):
    """A notebook and a data folder with two workbooks (bytes only: the key never parses)."""
    notebook = tmp_path / "report.ipynb"
    notebook.write_text('{"cells": []}', "utf-8")
    data = tmp_path / "data"
    (data / "2026").mkdir(parents=True)
    (data / "referens.xlsx").write_bytes(b"referens v1")
    (data / "2026" / "mal.xlsx").write_bytes(b"mal 2026 v1")
    (data / "2027").mkdir()
    (data / "2027" / "mal.xlsx").write_bytes(b"mal 2027 v1")
    cache.clear_caches()
    yield notebook, data
    cache.clear_caches()


def key_of(project, **change):
    notebook, data = project
    args = {
        "notebook": notebook,
        "data_dir": data,
        "department": "SOF",
        "year": 2026,
        "files": [data / "referens.xlsx", data / "2026" / "mal.xlsx"],
        "catalog_departments": ["ALLA", "SOF", "VOF"],
        "catalog_years": [2018, 2019, 2026],
    }
    args.update(change)
    return cache.report_key(**args)


def rewrite(path, content: bytes) -> None:
    """New bytes (and a new size, so the per-process digest memo cannot mistake it)."""
    path.write_bytes(content)


def test_file_digest_is_the_sha256_of_the_bytes_and_a_dash_for_a_missing_file(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"innehall")
    assert cache.file_digest(path) == hashlib.sha256(b"innehall").hexdigest()
    rewrite(path, b"annat innehall")
    assert cache.file_digest(path) == hashlib.sha256(b"annat innehall").hexdigest()
    assert cache.file_digest(tmp_path / "finns-inte.xlsx") == "-"


def test_an_edited_file_is_hashed_again_even_with_its_old_size_or_its_old_time(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"version 1")
    stamp = os.stat(path).st_mtime_ns
    assert cache.file_digest(path) == hashlib.sha256(b"version 1").hexdigest()
    path.write_bytes(b"version 2")  # same size, a new modification time
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    assert cache.file_digest(path) == hashlib.sha256(b"version 2").hexdigest()
    path.write_bytes(b"version three")  # copied back with the old time kept, a new size
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))
    assert cache.file_digest(path) == hashlib.sha256(b"version three").hexdigest()


def test_file_digest_reads_a_file_larger_than_one_read_chunk(tmp_path):
    path = tmp_path / "stor.xlsx"
    content = bytes(range(256)) * 9000  # > 1 MiB: several chunks
    path.write_bytes(content)
    assert cache.file_digest(path) == hashlib.sha256(content).hexdigest()


def test_the_report_key_is_the_same_for_the_same_inputs_and_names_its_report(project):
    first, again = key_of(project), key_of(project)
    assert first == again
    assert (first.department, first.year) == ("SOF", 2026)
    assert len(first.digest) == 64 and int(first.digest, 16) >= 0
    notebook, data = project
    # the order the inputs are listed in is not an input
    assert key_of(project, files=[data / "2026/mal.xlsx", data / "referens.xlsx"]) == first


@pytest.mark.parametrize(
    "change",
    [
        {"department": "VOF"},
        {"year": 2027},
        {"catalog_departments": ["ALLA", "SOF"]},
        {"catalog_years": [2018, 2019, 2026, 2027]},
    ],
    ids=["department", "year", "catalog departments", "catalog years"],
)
def test_the_report_key_changes_with_each_parameter_and_the_catalog(project, change):
    assert key_of(project, **change).digest != key_of(project).digest


def test_the_report_key_changes_with_the_notebook_and_each_file_the_report_reads(project):
    notebook, data = project
    base = key_of(project).digest
    rewrite(notebook, b'{"cells": [], "x": 1}')
    assert key_of(project).digest != base
    for read in (data / "referens.xlsx", data / "2026" / "mal.xlsx"):
        base = key_of(project).digest
        rewrite(read, read.read_bytes() + b" v2")
        assert key_of(project).digest != base, read.name


def test_the_report_key_ignores_data_the_report_does_not_read(project):
    _notebook, data = project
    base = key_of(project).digest
    rewrite(data / "2027" / "mal.xlsx", b"mal 2027 v2, longer")
    assert key_of(project).digest == base


def test_the_report_key_tells_a_file_moved_to_another_path(project):
    _notebook, data = project
    base = key_of(project).digest
    (data / "2026" / "mal.xlsx").rename(data / "mal.xlsx")
    moved = [data / "referens.xlsx", data / "mal.xlsx"]
    assert key_of(project, files=moved).digest != base


def test_the_report_key_changes_with_the_package_and_with_a_library_version(project, monkeypatch):
    base = key_of(project).digest
    monkeypatch.setattr(cache, "package_digest", lambda: "other code")
    assert key_of(project).digest != base
    monkeypatch.undo()
    assert key_of(project).digest == base
    for name in ("python", *cache.LIBRARIES):
        versions = dict(cache.library_versions(), **{name: "0.0"})
        monkeypatch.setattr(cache, "library_versions", lambda v=versions: v)
        assert key_of(project).digest != base, name
        monkeypatch.undo()


def test_a_workbook_key_is_the_same_for_the_same_inputs_and_changes_with_each(monkeypatch):
    """parsed_cache's key: the file's bytes, the schema, the name it is reported under,
    the package's code, Python's and each parsing library's version."""
    inputs = (b"PK\x03\x04 bytes", "Workbook(key='mal', sheets=(...))", "2026/mal.xlsx")
    base = cache.workbook_key(*inputs)
    assert cache.workbook_key(*inputs) == base and len(base) == 32
    for i, other in enumerate(
        (b"PK\x03\x04 bytez", "Workbook(key='mal', sheets=())", "2027/mal.xlsx")
    ):
        changed = list(inputs)
        changed[i] = other
        assert cache.workbook_key(*changed) != base, i
    monkeypatch.setattr(cache, "package_digest", lambda: "other code")
    assert cache.workbook_key(*inputs) != base
    monkeypatch.undo()
    monkeypatch.setattr(cache.platform, "python_version", lambda: "3.99.0")
    cache.clear_caches()  # the versions are memoised per process
    assert cache.workbook_key(*inputs) != base
    monkeypatch.undo()
    real = metadata.version
    for name in cache.PARSING_LIBRARIES:
        monkeypatch.setattr(
            cache.metadata, "version", lambda n, x=name: "0.0" if n == x else real(n)
        )
        cache.clear_caches()
        assert cache.workbook_key(*inputs) != base, name
        monkeypatch.undo()
    cache.clear_caches()
    assert cache.workbook_key(*inputs) == base
    assert set(cache.PARSING_LIBRARIES) <= set(cache.LIBRARIES)


def test_package_digest_covers_code_and_templates_only(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    (pkg / "templates").mkdir(parents=True)
    (pkg / "model.py").write_text("x = 1\n", "utf-8")
    (pkg / "templates" / "report.html.j2").write_text("<p>{{ x }}</p>", "utf-8")
    (pkg / "templates" / "style.css").write_text("p {}", "utf-8")
    (pkg / "templates" / "texts.json").write_text("{}", "utf-8")
    (pkg / "notes.md").write_text("anteckning", "utf-8")
    monkeypatch.setattr(cache, "PACKAGE_DIR", pkg)
    cache.clear_caches()
    base = cache.package_digest()
    assert cache.package_digest() == base
    rewrite(pkg / "notes.md", b"annan anteckning")  # not code: no new key
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "model.cpython-311.pyc").write_bytes(b"\0compiled")
    assert cache.package_digest() == base
    for changed in ("model.py", "templates/report.html.j2", "templates/style.css"):
        rewrite(pkg / changed, (pkg / changed).read_bytes() + b"\n/* andrad */")
        now = cache.package_digest()
        assert now != base, changed
        base = now
    rewrite(pkg / "templates" / "texts.json", b'{"a": 1}')
    assert cache.package_digest() != base
    # a file renamed, bytes unchanged, is another package
    base = cache.package_digest()
    (pkg / "model.py").rename(pkg / "modell.py")
    assert cache.package_digest() != base


def test_library_versions_name_python_and_each_library_with_a_dash_for_a_missing_one(
    monkeypatch,
):
    cache.clear_caches()
    versions = cache.library_versions()
    assert set(versions) == {"python", *cache.LIBRARIES}
    assert versions["pandas"] == metadata.version("pandas")
    assert versions["python"].count(".") == 2
    monkeypatch.setattr(cache, "LIBRARIES", ("pandas", "inget-sadant-paket"))
    assert cache.library_versions() == versions  # memoised until cleared
    cache.clear_caches()
    assert cache.library_versions() == {
        "python": versions["python"],
        "pandas": versions["pandas"],
        "inget-sadant-paket": "-",
    }
    monkeypatch.undo()
    cache.clear_caches()


def test_data_version_is_a_short_hash_over_the_workbooks_only(project):
    _notebook, data = project
    base = cache.data_version(data)
    assert len(base) == 10 and int(base, 16) >= 0
    assert cache.data_version(data) == base
    (data / "~$referens.xlsx").write_bytes(b"Excel's lock file")
    (data / "2026" / "~$mal.xlsx").write_bytes(b"Excel's lock file, 2026")
    (data / "README.md").write_text("om datan", "utf-8")
    assert cache.data_version(data) == base
    rewrite(data / "2027" / "mal.xlsx", b"mal 2027 v2, longer")  # every year counts here
    assert cache.data_version(data) != base
    base = cache.data_version(data)
    (data / "referens.xlsx").rename(data / "referenser.xlsx")
    assert cache.data_version(data) != base


# -- the manifest ----------------------------------------------------------------------------
def rendered(tmp_path, html=b"<html>rapport</html>", executed=b'{"cells": []}'):
    (tmp_path / "out").mkdir(exist_ok=True)
    h, e = tmp_path / "out" / "SOF.html", tmp_path / "out" / "SOF.ipynb"
    h.write_bytes(html)
    e.write_bytes(executed)
    return h, e


def test_a_recorded_report_is_fresh_until_its_key_or_its_files_change(tmp_path):
    key = cache.ReportKey("SOF", 2026, "a" * 64)
    html, executed = rendered(tmp_path)
    manifest = cache.Manifest(tmp_path / "manifest.json")
    assert not manifest.is_fresh(key, html, executed)  # never rendered
    manifest.record(key, html, executed)
    assert manifest.is_fresh(key, html, executed)
    assert not manifest.is_fresh(cache.ReportKey("SOF", 2026, "b" * 64), html, executed)
    assert not manifest.is_fresh(cache.ReportKey("VOF", 2026, "a" * 64), html, executed)
    assert not manifest.is_fresh(cache.ReportKey("SOF", 2027, "a" * 64), html, executed)
    html.write_bytes(b"<html>avbruten")  # cut short by something else
    assert not manifest.is_fresh(key, html, executed)
    html.write_bytes(b"<html>rapport</html>")
    executed.write_bytes(b"{}")
    assert not manifest.is_fresh(key, html, executed)
    executed.unlink()
    assert not manifest.is_fresh(key, html, executed)
    manifest.record(key, html, executed)  # recorded without its notebook: still not fresh
    executed.write_bytes(b"")
    assert not manifest.is_fresh(key, html, executed)


def test_a_forgotten_report_is_not_fresh_and_others_stay(tmp_path):
    sof, vof = cache.ReportKey("SOF", 2026, "a" * 64), cache.ReportKey("VOF", 2026, "c" * 64)
    html, executed = rendered(tmp_path)
    manifest = cache.Manifest(tmp_path / "manifest.json")
    manifest.record(sof, html, executed)
    manifest.record(vof, html, executed)
    manifest.forget("SOF", 2026)
    manifest.forget("AMF", 2026)  # never recorded: nothing happens
    assert not manifest.is_fresh(sof, html, executed)
    assert manifest.is_fresh(vof, html, executed)


def test_the_manifest_is_saved_and_read_back_as_json_named_by_year_and_department(tmp_path):
    key = cache.ReportKey("SOF", 2026, "a" * 64)
    html, executed = rendered(tmp_path)
    path = tmp_path / ".cache" / "manifest.json"
    manifest = cache.Manifest(path)
    manifest.record(key, html, executed)
    manifest.save()
    stored = json.loads(path.read_text("utf-8"))
    assert stored == {
        "v": cache.Manifest.VERSION,
        "pdfs": {},  # no PDF printed from this report yet
        "reports": {
            "2026/SOF": {"key": "a" * 64, "html": html.stat().st_size, "executed": 13},
        },
    }
    assert manifest.to_json() == path.read_text("utf-8")
    assert manifest.to_json() == json.dumps(stored, indent=1, sort_keys=True)
    assert cache.Manifest(path).is_fresh(key, html, executed)
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]  # no temp file left


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        b"\xff\xfe binary",
        json.dumps({"v": 1, "reports": {"2026/SOF": {"key": "a", "html": 1, "executed": 1}}}),
        json.dumps(["v", 2]),
    ],
    ids=["broken json", "not utf-8", "older version", "not an object"],
)
def test_an_unreadable_or_older_manifest_means_everything_renders_again(tmp_path, content):
    path = tmp_path / "manifest.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    html, executed = rendered(tmp_path)
    manifest = cache.Manifest(path)
    assert manifest.entries == {}
    assert not manifest.is_fresh(cache.ReportKey("SOF", 2026, "a"), html, executed)


def test_manifest_entries_missing_a_field_are_dropped_and_complete_ones_kept(tmp_path):
    html, executed = rendered(tmp_path)
    sizes = {"html": html.stat().st_size, "executed": executed.stat().st_size}
    path = tmp_path / "manifest.json"
    reports = {
        "2026/SOF": {"key": "a", **sizes},
        "2026/VOF": {"key": "b", "html": sizes["html"]},
        "2026/AMF": {"html": sizes["html"], "executed": sizes["executed"]},
        "2026/SFF": "a",
    }
    path.write_text(json.dumps({"v": cache.Manifest.VERSION, "reports": reports}), "utf-8")
    manifest = cache.Manifest(path)
    assert set(manifest.entries) == {"2026/SOF"}
    assert manifest.is_fresh(cache.ReportKey("SOF", 2026, "a"), html, executed)
    assert cache.Manifest(tmp_path / "not-a-dir.json" / "manifest.json").entries == {}
    path.write_text(json.dumps({"v": cache.Manifest.VERSION}), "utf-8")
    assert cache.Manifest(path).entries == {}


def test_a_manifest_path_below_a_file_reads_as_empty(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    assert cache.Manifest(blocker / "manifest.json").entries == {}
    assert not os.path.exists(blocker / "manifest.json")
