"""Batch rendering: parameter safety, offline HTML, isolation, reproducibility, incremental."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from report_utils import cache
from report_utils.errors import ParameterError
from report_utils.render import Catalog, load_catalog, render, report_title, select

pytestmark = pytest.mark.slow


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "report_utils", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--department", "XYZ"],
        ["--department", "../../x"],
        ["--year", "1999"],
        ["--year", "../2026"],
        ["--department", "SOF", "--year", "abc"],
    ],
)
def test_bad_parameters_exit_2_and_write_nothing(tmp_path, args):
    out = tmp_path / "out"
    proc = run_cli("render", "--out", str(out), *args)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Giltiga värden:" in lines[0]
    assert ("ALLA, AMF, SFF, SOF, VOF" in lines[0]) or ("2018, 2019, 2026" in lines[0])
    assert not out.exists()
    assert not (tmp_path.parent / "x").exists()


def test_select_validates_and_orders(dataset):
    catalog = Catalog.from_dataset(dataset, "v")
    assert select(catalog, ["SOF"], ["2026", 2018]) == [("SOF", 2026), ("SOF", 2018)]
    assert len(select(catalog, None, None)) == 15
    with pytest.raises(ParameterError, match="okänd förvaltning: 'sof'"):
        select(catalog, ["sof"], None)


def test_report_title_is_swedish():
    assert report_title("socialförvaltningen", 2026) == (
        "Socialförvaltningen – psykisk hälsa och suicidprevention, uppföljning 2026"
    )


def test_full_render_gives_15_offline_reports_and_index(rendered_all, dataset):
    html_dir = rendered_all.html_dir
    files = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html"))
    assert len(files) == 16 and "index.html" in files
    for year in (2018, 2019, 2026):
        for dept in ("ALLA", "AMF", "SFF", "SOF", "VOF"):
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
        for dept in ("ALLA", "AMF", "SFF", "SOF", "VOF"):
            assert f"{year}/{dept}.html" in links
    assert cache.data_version(rendered_all.data_dir) in index
    assert "Stimulansfinansierade insatser och resultat 2018" in index


def test_batch_render_is_byte_identical_to_rendering_alone(rendered_all, settings, tmp_path):
    alone = settings.with_(out_dir=tmp_path / "alone")
    summary = render(alone, ["SOF"], [2026], progress=False)
    assert summary.count("renderad") == 1
    a = (rendered_all.html_dir / "2026" / "SOF.html").read_bytes()
    b = (alone.html_dir / "2026" / "SOF.html").read_bytes()
    assert a == b


def test_two_renders_are_byte_identical(settings, tmp_path):
    grid = (["AMF", "ALLA"], [2019, 2026])
    one, two = settings.with_(out_dir=tmp_path / "1"), settings.with_(out_dir=tmp_path / "2")
    render(one, *grid, progress=False)
    render(two, *grid, force=True, progress=False)
    for path in one.html_dir.rglob("*.html"):
        assert path.read_bytes() == (two.html_dir / path.relative_to(one.html_dir)).read_bytes(), (
            path
        )


def test_incremental_rerender_only_what_changed(settings, tmp_path, data_copy):
    from conftest import edit_cell

    s = settings.with_(out_dir=tmp_path / "out", data_dir=data_copy)
    grid = (["SOF"], [2018, 2026])
    assert render(s, *grid, progress=False).count("renderad") == 2
    again = render(s, *grid, progress=False)
    assert again.count("från cache") == 2 and again.count("renderad") == 0
    # indicator values of 2026 are read by the 2026 report only
    edit_cell(data_copy / "2026/indikatorvarden.xlsx", "varden", "kommentar", "ny kommentar", row=2)
    third = render(s, *grid, progress=False)
    status = {(o.year, o.status) for o in third.outcomes}
    assert status == {(2026, "renderad"), (2018, "från cache")}
    # the notebook is read by every report
    nb = tmp_path / "report.ipynb"
    content = json.loads(settings.notebook.read_text("utf-8"))
    content["cells"][-1]["source"] += "  # ändrad"
    nb.write_text(json.dumps(content), "utf-8")
    fourth = render(s.with_(notebook=nb), *grid, progress=False)
    assert fourth.count("renderad") == 2
    assert render(s.with_(notebook=nb), *grid, force=True, progress=False).count("renderad") == 2


def test_cache_key_covers_inputs(settings, tmp_path):
    base = cache.report_key(settings.notebook, settings.data_dir, "SOF", 2026, [2026])
    assert base == cache.report_key(settings.notebook, settings.data_dir, "SOF", 2026, [2026])
    assert base != cache.report_key(settings.notebook, settings.data_dir, "VOF", 2026, [2026])
    files = {p.name for p in cache.data_files(settings.data_dir, 2018, [2026])}
    assert files == {"referens.xlsx", "insatser_2018-2019.xlsx", "koppling.xlsx", "mal.xlsx"}
    later = [
        p.relative_to(settings.data_dir).as_posix()
        for p in cache.data_files(settings.data_dir, 2027, [2026, 2027])
    ]
    assert "2026/indikatorvarden.xlsx" in later and "2027/mal.xlsx" in later
    assert "pandas" in cache.library_versions() and len(cache.package_digest()) == 64


def test_failing_report_is_isolated_and_keeps_previous_html(settings, tmp_path):
    s = settings.with_(out_dir=tmp_path / "out")
    grid = (["SOF", "VOF"], [2026])
    render(s, *grid, progress=False)
    before = (s.html_dir / "2026" / "VOF.html").read_bytes()
    nb = json.loads(settings.notebook.read_text("utf-8"))
    bad = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "id": "boom",
        "source": 'if department == "VOF":\n    raise RuntimeError("avsiktligt fel för test")',
    }
    nb["cells"].insert(3, bad)
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(nb), "utf-8")
    summary = render(s.with_(notebook=broken), *grid, progress=False)
    assert summary.count("renderad") == 1 and len(summary.failed) == 1
    fail = summary.failed[0]
    assert (fail.department, fail.year) == ("VOF", 2026)
    assert "RuntimeError: avsiktligt fel för test" in fail.error and fail.cell is not None
    executed = json.loads((s.executed_dir / "2026" / "VOF.ipynb").read_text("utf-8"))
    assert any(
        o.get("output_type") == "error" for c in executed["cells"] for o in c.get("outputs", [])
    )
    assert (s.html_dir / "2026" / "VOF.html").read_bytes() == before
    assert "senaste körningen misslyckades" in (s.html_dir / "index.html").read_text("utf-8")


def test_cli_render_exit_codes_and_summary(tmp_path):
    out = tmp_path / "out"
    proc = run_cli(
        "render", "--department", "AMF", "--year", "2019", "--out", str(out), "--no-progress"
    )
    assert proc.returncode == 0, proc.stderr
    assert "[1/1] 2019 AMF: renderad" in proc.stderr and "Sammanfattning" in proc.stderr
    again = run_cli("render", "--department", "AMF", "--year", "2019", "--out", str(out))
    assert "från cache      1" in again.stderr


def test_catalog_is_cached_and_invalidated(settings, tmp_path, data_copy):
    s = settings.with_(out_dir=tmp_path / "o", data_dir=data_copy)
    render(s, ["AMF"], [2019], progress=False)
    stored = json.loads((s.cache_dir / "catalog.json").read_text("utf-8"))
    assert stored["stamp"].endswith(cache.package_digest())
    assert load_catalog(s).years[2026].startswith("Mål och indikatorer 2026")


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
    assert "45" in page(2019, "SOF") and "ESL utbildning" in page(2019, "SOF")
    assert "ESL utbildning" not in page(2019, "AMF")
    # JPS – IPS (AMF and SOF, 2018): 212 participants, "drygt 23 procent" employed
    assert f"drygt{nbsp}23{nbsp}%" in page(2018, "AMF")
    assert "212" in page(2018, "SOF")
    # Supported employment (AMF, 2018): "Utbildat ca 100 medarbetare"
    assert f"ca{nbsp}100" in page(2018, "AMF") and "Supported employment" not in page(2018, "VOF")
    # 2026 school absence targets in SFF's and SOF's reports
    assert "−2 procentenheter" in page(2026, "SFF")
    assert f"−20{nbsp}%" in page(2026, "SOF")


def test_invalid_data_stops_render_with_all_problems_and_keeps_earlier_html(
    settings, tmp_path, data_copy
):
    from conftest import edit_cell

    out = tmp_path / "out"
    args = ["render", "--data-dir", str(data_copy), "--out", str(out), "--department", "VOF"]
    assert run_cli(*args, "--year", "2019").returncode == 0
    before = (out / "html" / "2019" / "VOF.html").read_bytes()
    edit_cell(data_copy / "insatser_2018-2019.xlsx", "resultat", "varde", "många", row=3)
    edit_cell(data_copy / "2026/mal.xlsx", "teman", "delmal", "12", row=2)
    proc = run_cli(*args, "--force")
    assert proc.returncode == 1
    assert "2 problem i indata" in proc.stderr and "rad 3, kolumn 'varde'" in proc.stderr
    assert "2026/mal.xlsx, blad 'teman', rad 2, kolumn 'delmal'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (out / "html" / "2019" / "VOF.html").read_bytes() == before
