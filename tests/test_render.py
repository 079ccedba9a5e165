"""Batch rendering: parameters, offline HTML, reproducibility across processes, what each
report depends on (and nothing more), deadlines, failures, no global state left behind."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from report_utils import cache
from report_utils.catalog import Catalog, load_catalog, save_catalog
from report_utils.errors import ParameterError
from report_utils.jobs import report_title
from report_utils.render import render

pytestmark = pytest.mark.slow

DEPTS = ("ALLA", "AMF", "SFF", "SOF", "VOF")
RENDERED_LINE = re.compile(r"^\[\d+/\d+\] (\d{4}) (\S+): renderad", re.M)


def run_cli(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "report_utils", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def rendered(proc) -> set[tuple[int, str]]:
    """The reports a CLI render executed (not served from cache), from its progress lines."""
    return {(int(y), d) for y, d in RENDERED_LINE.findall(proc.stderr)}


def tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.html")}


def notebook_with_cell(settings, tmp_path, source: str, at: int = 3):
    nb = json.loads(settings.notebook.read_text("utf-8"))
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    nb["cells"].insert(at, {**cell, "id": "tillagd", "source": source})
    path = tmp_path / "report.ipynb"
    path.write_text(json.dumps(nb), "utf-8")
    return path


# -- parameters -------------------------------------------------------------------------------
def test_bad_department_path_exits_2_and_writes_nothing_anywhere(tmp_path):
    out = tmp_path / "a" / "b" / "out"
    before = sorted(tmp_path.rglob("*"))
    proc = run_cli("render", "--out", str(out), "--department", "../../x")
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines == [
        "fel: okänd förvaltning: '../../x'. Giltiga värden: ALLA, AMF, SFF, SOF, VOF"
    ], proc.stderr
    assert sorted(tmp_path.rglob("*")) == before  # not out, and not where ../../x points


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--department", "XYZ"], "okänd förvaltning: 'XYZ'. Giltiga värden: ALLA, AMF, SFF"),
        (["--year", "1999"], "okänt år: '1999'. Giltiga värden: 2018, 2019, 2026"),
        (["--year", "../2026"], "okänt år: '../2026'. Giltiga värden: 2018, 2019, 2026"),
        (["--department", "SOF", "--year", "abc"], "okänt år: 'abc'. Giltiga värden: 2018"),
    ],
)
def test_bad_parameters_exit_2_with_one_line_naming_the_valid_values(
    tmp_path, capsys, args, message
):
    from report_utils.cli import main

    out = tmp_path / "out"
    assert main(["render", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not out.exists()


def test_a_wrong_value_reads_the_same_from_the_cli_the_renderer_and_the_notebook(dataset, settings):
    from report_utils.model import load_for_report
    from report_utils.report import Report

    catalog = Catalog.from_dataset(dataset, "v")
    expected = "okänd förvaltning: 'sof'. Giltiga värden: ALLA, AMF, SFF, SOF, VOF"
    with pytest.raises(ParameterError) as from_catalog:
        catalog.select(["sof"], None)
    with pytest.raises(ParameterError) as from_notebook:
        load_for_report(settings.data_dir, "sof", 2026)
    with pytest.raises(ParameterError) as from_dataset:
        dataset.check_parameters("sof", 2026)
    with pytest.raises(ParameterError) as from_report:
        Report.build("sof", 2026, settings.data_dir)  # the notebook's first cell
    assert str(from_catalog.value) == str(from_notebook.value) == str(from_dataset.value)
    assert str(from_report.value) == str(from_catalog.value)
    assert str(from_catalog.value) == expected
    with pytest.raises(ParameterError, match=r"^okänt år: '2020'\. Giltiga värden: 2018, 2019"):
        load_for_report(settings.data_dir, "SOF", "2020")


def test_select_orders_by_year_and_defaults_to_everything(dataset):
    catalog = Catalog.from_dataset(dataset, "v")
    assert catalog.select(["SOF"], ["2026", 2018]) == [("SOF", 2026), ("SOF", 2018)]
    assert len(catalog.select(None, None)) == 15


def test_report_title_is_swedish():
    assert report_title("socialförvaltningen", 2026) == (
        "Socialförvaltningen – psykisk hälsa och suicidprevention, uppföljning 2026"
    )


# -- what a render produces ---------------------------------------------------------------------
def test_full_render_gives_15_offline_reports_and_index(rendered_all, dataset):
    html_dir = rendered_all.html_dir
    files = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html"))
    assert len(files) == 16 and "index.html" in files
    for year in (2018, 2019, 2026):
        for dept in DEPTS:
            page = (html_dir / str(year) / f"{dept}.html").read_text("utf-8")
            assert '<html lang="sv">' in page
            title = re.search(r"<title>(.*?)</title>", page).group(1)
            assert (
                str(year) in title
                and dataset.department_name(dept).split()[0].lower() in title.lower()
            )
            assert "<script" not in page.lower()
            assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page), "external resource"
            assert "@import" not in page and "url(http" not in page
            assert (
                "jp-InputArea" not in page
                and "In&nbsp;[" not in page
                and "report.header()" not in page
            )
            assert ">nan<" not in page.lower() and ">NaN" not in page
            assert len(page.encode()) <= 1_000_000


def test_index_links_every_report_and_shows_data_version(rendered_all):
    index = (rendered_all.html_dir / "index.html").read_text("utf-8")
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert links[0] == "2026/ALLA.html"  # the city-wide overview first
    for year in (2018, 2019, 2026):
        for dept in DEPTS:
            assert f"{year}/{dept}.html" in links
    assert cache.data_version(rendered_all.data_dir) in index
    assert "Stimulansfinansierade insatser och resultat 2018" in index
    assert '<html lang="sv">' in index and "<title>Psykisk hälsa" in index


def test_landing_page_escapes_what_the_data_says(settings, tmp_path):
    from report_utils.landing import build, render_page

    catalog = Catalog(
        {"ALLA": "hela staden", "X<b>": '<script>alert("x")</script>'},
        {2026: "Mål & <i>indikatorer</i>"},
        [2026],
        '"><img src=x onerror=alert(1)>',
    )
    page = render_page(build(settings.with_(out_dir=tmp_path), catalog, []), settings)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)" in page
    assert "<img src=x" not in page and "<i>indikatorer" not in page
    assert "ej renderad" in page  # nothing rendered in tmp_path


def test_batch_and_alone_in_separate_processes_give_the_same_bytes(rendered_all, tmp_path):
    """A CLI render of part of the grid, in a process of its own, gives the same bytes as
    the same reports rendered in the full batch; the CLI says its engine and sums up."""
    out = tmp_path / "alone"
    args = ["render", "--out", str(out), "--department", "SOF", "--year", "2019", "--year", "2026"]
    proc = run_cli(*args, "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "Renderar 2 rapport(er) med motorn fast" in proc.stderr
    assert re.search(
        r"^\[[12]/2\] 2019 SOF: renderad \(\d+\.\d s, CPU \d+\.\d s\)$", proc.stderr, re.M
    )
    assert "Sammanfattning" in proc.stderr and "renderade       2" in proc.stderr
    alone = tree(out / "html")
    assert len(alone) == 3  # two reports and the index
    batch = tree(rendered_all.html_dir)
    for name, data in alone.items():
        if name != "index.html":
            assert data == batch[name], name
    again = run_cli(*args)
    assert again.returncode == 0 and "Renderar" not in again.stderr
    assert "från cache      2" in again.stderr and "motor        fast" in again.stderr


# -- what each report depends on ----------------------------------------------------------------
def test_the_declaration_says_what_each_year_reads(settings, data_copy):
    from report_utils.model import report_inputs
    from report_utils.newyear import new_year

    def files(year):
        return [
            p.relative_to(data_copy).as_posix()
            for p in report_inputs(data_copy, year).files(data_copy)
        ]

    assert files(2018) == files(2019) == ["referens.xlsx", "insatser_2018-2019.xlsx"]
    assert files(2026) == [
        "referens.xlsx",
        "insatser_2018-2019.xlsx",
        "koppling.xlsx",
        "2026/mal.xlsx",
        "2026/indikatorvarden.xlsx",
    ]
    new_year(data_copy, 2027)
    assert files(2026)[-2:] == ["2026/mal.xlsx", "2026/indikatorvarden.xlsx"]
    assert files(2027)[-4:] == [
        "2026/mal.xlsx",
        "2026/indikatorvarden.xlsx",
        "2027/mal.xlsx",
        "2027/indikatorvarden.xlsx",
    ]


def test_a_report_cannot_see_later_years_data(data_copy):
    import pandas as pd

    from report_utils import model
    from report_utils.newyear import new_year

    new_year(data_copy, 2027)
    model.clear_cache()
    for_2026 = model.load_for_report(data_copy, "SOF", 2026)
    assert for_2026.goal_years == [2026] and for_2026.catalog_years == [2018, 2019, 2026, 2027]
    for_2018 = model.load_for_report(data_copy, "SOF", 2018)
    assert for_2018.goals == {} and for_2018.koppling.empty
    # the part taken from an already loaded whole data set equals loading only those files
    whole = model.load_dataset_cached(data_copy)
    for year in (2018, 2026, 2027):
        cut = model.restrict(whole, model.report_inputs(data_copy, year))
        alone = model.load_dataset(data_copy, until_year=year)
        assert cut.scope == alone.scope and cut.goal_years == alone.goal_years
        for name in ("forvaltningar", "insatser", "resultat", "koppling", "dokument"):
            pd.testing.assert_frame_equal(getattr(cut, name), getattr(alone, name))
        for y, goal in cut.goals.items():
            pd.testing.assert_frame_equal(goal.indikatorer, alone.goals[y].indikatorer)
    model.clear_cache()
    assert model._LOADED == {}


def test_editing_a_data_file_re_renders_exactly_the_reports_that_read_it(
    settings, tmp_path, data_copy
):
    """One file edited at a time — later years' files included: each edit re-renders the
    reports that read that file and no other; after ``new-year 2027`` and an edit of 2027's
    goals, no earlier report is rendered again or changes, and none is stale (a render from
    scratch agrees). The last run is a CLI process of its own, so the cache is read back by
    another process than the one that wrote it, as the next `make report` does; the runs
    before it render in this process (the same ``render`` the CLI calls) to keep the suite
    fast."""
    from conftest import edit_cell
    from report_utils.cli import main
    from report_utils.progress import RENDERED

    out = tmp_path / "out"
    args = ["render", "--data-dir", str(data_copy), "--out", str(out), "--no-progress"]
    args += ["--department", "AMF", "--year", "2018", "--year", "2026"]  # 2019 reads as 2018
    local = settings.with_(data_dir=data_copy, out_dir=out, pdf=False)
    every = {(2018, "AMF"), (2026, "AMF")}

    def render_here() -> set[tuple[int, str]]:
        summary = render(local, ["AMF"], [2018, 2026], progress=False)
        assert not summary.failed, summary.failed
        return {(o.year, o.department) for o in summary.outcomes if o.status == RENDERED}

    assert render_here() == every
    # a file both years read and one only the goal year reads; that each input file
    # changes exactly the keys of the reports that read it, file by file, is
    # test_cache_key_changes_with_each_input_and_only_with_those
    edits = [
        ("insatser_2018-2019.xlsx", "insatser", "beskrivning", every),
        ("2026/indikatorvarden.xlsx", "varden", "kommentar", {(2026, "AMF")}),
    ]
    for name, sheet, column, expected in edits:
        edit_cell(data_copy / name, sheet, column, f"ändrad i {name}", row=2)
        assert render_here() == expected, name

    assert main(["new-year", "2027", "--data-dir", str(data_copy)]) == 0
    assert render_here() == every  # a new year in the catalog: every report may link to it
    before = tree(out / "html")
    edit_cell(data_copy / "2027/mal.xlsx", "teman", "namn", "Ett nytt namn 2027", row=2)
    edited = run_cli(*args)
    assert edited.returncode == 0, edited.stderr
    # 2027's goals are read by 2027's reports only; and the cache written in this process
    # is read by that one
    assert rendered(edited) == set() and re.search(r"från cache\s+2\n", edited.stderr)
    after = tree(out / "html")
    for name in ("2018/AMF.html", "2026/AMF.html"):
        assert after[name] == before[name], name
    fresh = local.with_(out_dir=tmp_path / "fresh")
    assert not render(fresh, ["AMF"], [2026], progress=False).failed
    assert (fresh.html_dir / "2026/AMF.html").read_bytes() == after["2026/AMF.html"]


def test_cache_key_changes_with_each_input_and_only_with_those(settings, tmp_path, monkeypatch):
    from report_utils.model import report_inputs

    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns("sources"))
    notebook = tmp_path / "report.ipynb"
    shutil.copy(settings.notebook, notebook)
    (data / "2027").mkdir()
    shutil.copy(data / "2026/mal.xlsx", data / "2027/mal.xlsx")

    def key(department="SOF", year=2026, years=(2018, 2019, 2026, 2027), depts=("ALLA", "SOF")):
        files = report_inputs(data, year).files(data)
        return cache.report_key(notebook, data, department, year, files, depts, years).digest

    base = key()
    assert key() == base
    assert key(department="VOF") != base and key(year=2027) != key(year=2026, years=())
    assert key(years=(2018, 2019, 2026)) != base and key(depts=("ALLA",)) != base
    with open(notebook, "a", encoding="utf-8") as fh:
        fh.write(" ")
    assert key() != base
    base = key()
    for read in ("referens.xlsx", "koppling.xlsx", "2026/indikatorvarden.xlsx"):
        with open(data / read, "ab") as fh:
            fh.write(b"\0")
        assert key() != base, read
        base = key()
    with open(data / "2027/mal.xlsx", "ab") as fh:  # a later year: not read by 2026
        fh.write(b"\0")
    assert key() == base
    monkeypatch.setattr(cache, "package_digest", lambda: "other code")
    assert key() != base
    base = key()
    versions = {**cache.library_versions(), "matplotlib": "99.0"}
    monkeypatch.setattr(cache, "library_versions", lambda: versions)
    assert key() != base  # a library that shapes the HTML changed
    monkeypatch.undo()
    versions = dict(cache.library_versions(), pandas="0.0")
    monkeypatch.setattr(cache, "library_versions", lambda: versions)
    assert key() != base


def test_catalog_is_cached_and_rebuilt_when_the_data_changes(
    settings, tmp_path, data_copy, monkeypatch
):
    """Kept in the output folder for the next run (another process), and in this process
    for a render into another folder; either is rebuilt when the data changes."""
    from report_utils import catalog as catalog_module
    from report_utils import model
    from report_utils.newyear import new_year

    s = settings.with_(out_dir=tmp_path / "o", data_dir=data_copy)
    built = load_catalog(s)
    save_catalog(s, built)
    monkeypatch.setattr(model, "load_dataset_cached", lambda *a, **k: pytest.fail("read data"))
    elsewhere = load_catalog(s.with_(out_dir=tmp_path / "annan"))  # built in this process
    assert elsewhere == built and elsewhere is not built
    catalog_module._built.cache_clear()  # as a new process starts
    assert load_catalog(s) == built  # from the output folder
    with pytest.raises(pytest.fail.Exception, match="read data"):
        load_catalog(s.with_(out_dir=tmp_path / "annan"))  # neither: built from the data
    new_year(data_copy, 2027)
    monkeypatch.undo()
    assert sorted(load_catalog(s).years) == [2018, 2019, 2026, 2027]
    assert sorted(load_catalog(s.with_(out_dir=tmp_path / "annan")).years)[-1] == 2027


# -- failures and deadlines ---------------------------------------------------------------------
def test_failing_report_is_isolated_and_keeps_previous_html(rendered_all, tmp_path):
    s = rendered_all.with_(out_dir=tmp_path / "out")
    shutil.copytree(rendered_all.out_dir, s.out_dir)  # earlier renders of every report
    grid = (["SOF", "VOF"], [2026])
    before = (s.html_dir / "2026" / "VOF.html").read_bytes()
    settings = rendered_all
    broken = notebook_with_cell(
        settings,
        tmp_path,
        'if department == "VOF":\n    raise RuntimeError("avsiktligt fel för test")',
    )
    summary = render(s.with_(notebook=broken), *grid, progress=False)
    assert summary.count("renderad") == 1 and len(summary.failed) == 1
    fail = summary.failed[0]
    assert (fail.department, fail.year) == ("VOF", 2026)
    assert fail.error == "RuntimeError: avsiktligt fel för test"
    assert fail.cell == 5 and fail.source == 'if department == "VOF":'
    executed = json.loads((s.executed_dir / "2026" / "VOF.ipynb").read_text("utf-8"))
    assert any(
        o.get("output_type") == "error" for c in executed["cells"] for o in c.get("outputs", [])
    )
    assert (s.html_dir / "2026" / "VOF.html").read_bytes() == before
    assert "senaste körningen misslyckades" in (s.html_dir / "index.html").read_text("utf-8")
    # a failed report is not recorded as rendered: the next run tries it again
    manifest = json.loads((s.cache_dir / "manifest.json").read_text("utf-8"))["reports"]
    assert "2026/SOF" in manifest and "2026/VOF" not in manifest


@pytest.mark.parametrize("engine", ["fast", "kernel"])
def test_a_hanging_cell_fails_only_its_own_report_at_the_deadline(settings, tmp_path, engine):
    import io

    hanging = notebook_with_cell(
        settings, tmp_path, 'import time\nif department == "VOF":\n    time.sleep(600)'
    )
    grid = (["SOF", "VOF"], [2026]) if engine == "fast" else (["VOF"], [2026])
    s = settings.with_(out_dir=tmp_path / "out", notebook=hanging, timeout=4, engine=engine)
    stream = io.StringIO()
    summary = render(s, *grid, progress=False, stream=stream)
    (fail,) = summary.failed
    assert (fail.department, fail.year, fail.cell, fail.source) == ("VOF", 2026, 5, "import time")
    assert fail.error.startswith("tidsgränsen 4 s (--timeout) överskreds")
    assert "MISSLYCKADES 2026 VOF, cell 5 (import time): tidsgränsen 4 s" in stream.getvalue()
    assert summary.count("renderad") == len(grid[0]) - 1
    assert not (s.html_dir / "2026" / "VOF.html").exists()
    assert not [p for p in s.out_dir.rglob("*") if ".tmp" in p.name]


def test_invalid_data_stops_render_with_all_problems_and_keeps_earlier_html(
    settings, tmp_path, data_copy
):
    from conftest import edit_cell

    out = tmp_path / "out"
    args = ["render", "--data-dir", str(data_copy), "--out", str(out), "--department", "VOF"]
    earlier = settings.with_(data_dir=data_copy, out_dir=out, pdf=False)
    assert not render(earlier, ["VOF"], [2019], progress=False).failed
    before = (out / "html" / "2019" / "VOF.html").read_bytes()
    edit_cell(data_copy / "insatser_2018-2019.xlsx", "resultat", "varde", "många", row=3)
    edit_cell(data_copy / "2026/mal.xlsx", "teman", "delmal", "12", row=2)
    proc = run_cli(*args, "--force")
    assert proc.returncode == 1
    assert "2 problem i indata" in proc.stderr
    assert "insatser_2018-2019.xlsx, blad 'resultat', rad 3, kolumn 'varde': värdet 'många'" in (
        proc.stderr
    )
    assert "2026/mal.xlsx, blad 'teman', rad 2, kolumn 'delmal'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (out / "html" / "2019" / "VOF.html").read_bytes() == before


# -- content spot checks ------------------------------------------------------------------------
def test_no_ocr_artefacts_in_any_rendered_report(rendered_all):
    from test_data import OCR_ARTEFACTS

    for path in rendered_all.html_dir.rglob("*.html"):
        page = path.read_text("utf-8")
        page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", page)  # tags and attributes (incl. embedded charts) out
        hit = OCR_ARTEFACTS.search(text)
        assert hit is None, (path.name, text[max(0, hit.start() - 60) : hit.end() + 60])


def test_figures_from_the_documents_appear_in_the_right_report(rendered_all):
    """Spot checks against the source documents, in the department's report for the year."""
    nbsp = "\u00a0"

    def page(year, dept):
        return (rendered_all.html_dir / str(year) / f"{dept}.html").read_text("utf-8")

    # ESL (SOF, 2018/2019): "45 deltagare har gått utbildningen"
    assert "45" in page(2019, "SOF") and "ESL-utbildning" in page(2019, "SOF")
    assert "ESL-utbildning" not in page(2019, "AMF")
    # JPS – IPS (AMF and SOF, 2018): 212 participants, "drygt 23 procent" employed
    assert f"drygt{nbsp}23{nbsp}%" in page(2018, "AMF")
    assert "212" in page(2018, "SOF")
    # Supported employment (AMF, 2018): "Utbildat ca 100 medarbetare"
    assert f"ca{nbsp}100" in page(2018, "AMF") and "Supported employment" not in page(2018, "VOF")
    # 2026 school absence targets in SFF's and SOF's reports
    assert "minska med 2 procentenheter" in page(2026, "SFF")
    assert f"minska med 20{nbsp}%" in page(2026, "SOF")


# -- no state left in the calling process -------------------------------------------------------
STATE_CHECK = """
import os, signal, sys, threading
import matplotlib, tqdm
from IPython.core.interactiveshell import InteractiveShell
from report_utils import model, render as R
from report_utils.settings import Settings

def state():
    return {
        "backend": matplotlib.rcParams._get("backend"),
        "pyplot": "matplotlib.pyplot" in sys.modules,
        "shell": InteractiveShell.initialized(),
        "streams": (sys.stdout, sys.stderr, sys.displayhook, sys.excepthook),
        "fds": [os.readlink(f"/proc/self/fd/{fd}") for fd in (1, 2)],
        "signals": (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGALRM)),
        "environ": dict(os.environ),
        "threads": threading.active_count(),
        "tqdm": tqdm.tqdm.monitor_interval,
        # finders of report_utils's own (importing six adds one of its own, as a kernel would)
        "import system": [f for f in sys.meta_path if "report_utils" in repr(type(f))],
    }

assert R._single_threaded()  # so the batch runs here, forking from this process
before = state()
with open(os.devnull, "w") as quiet:
    summary = R.render(Settings(out_dir=sys.argv[1]), ["AMF"], [2019], progress=True, stream=quiet)
assert summary.count("renderad") == 1 and summary.engine == "fast"
after = state()
assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}
assert model._LOADED  # the data it loaded is kept, and can be forgotten
model.clear_cache()
assert model._LOADED == {}
print("ok")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_rendering_leaves_no_global_state_in_the_calling_process(tmp_path):
    """In a process of its own (single-threaded, as the command line is, so that the batch
    is forked from it): streams, file descriptors, signal handlers, environment, threads,
    matplotlib's backend, IPython's shell and the import system's finders are as they were
    after ``render()``."""
    proc = subprocess.run(
        [sys.executable, "-c", STATE_CHECK, str(tmp_path / "out")], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
