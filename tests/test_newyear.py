"""Next year without code: new-year scaffolding, goal attainment on synthetic 2027 data,
and the README's step-by-step section followed literally."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ReadmeProject, header_index, readme_steps
from report_utils import compare as C
from report_utils.errors import ParameterError
from report_utils.model import load_dataset
from report_utils.newyear import CHECKLIST, new_year

FIXTURES = Path(__file__).parent / "fixtures"


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode() + p.read_bytes())
    return h.hexdigest()


def fill_values(xlsx: Path, csv_path: Path) -> int:
    """Type the synthetic values into the departments' workbook, as an analyst would."""
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    ws = book["varden"]
    cols = header_index(ws)
    rows = {
        (ws.cell(r, cols["indikator_id"]).value, ws.cell(r, cols["forvaltning"]).value): r
        for r in range(2, ws.max_row + 1)
    }
    with open(csv_path, encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    for rec in records:
        r = rows[(rec["indikator_id"], rec["forvaltning"])]
        for col in ("varde", "jamforelsevarde", "kommentar"):
            ws.cell(r, cols[col]).value = rec[col] or None
    book.save(xlsx)
    return len(records)


def test_new_year_creates_goals_values_and_checklist(data_copy, dataset):
    created = new_year(data_copy, 2027)
    assert [p.name for p in created] == ["mal.xlsx", "indikatorvarden.xlsx", CHECKLIST]
    ds = load_dataset(data_copy)
    assert ds.goal_years == [2026, 2027] and 2027 in ds.years
    g26, g27 = ds.goals[2026], ds.goals[2027]
    assert list(g27.indikatorer["indikator_id"]) == list(g26.indikatorer["indikator_id"])
    assert len(g27.varden) == len(g26.varden) and g27.varden["varde"].isna().all()
    text = (data_copy / "2027" / CHECKLIST).read_text("utf-8")
    assert "indikatorvarden.xlsx" in text and "aldrig 0" in text and "validate" in text


def test_new_year_values_workbook_shows_unit_and_target_and_checks_input(data_copy):
    from openpyxl import load_workbook

    new_year(data_copy, 2027)
    book = load_workbook(data_copy / "2027" / "indikatorvarden.xlsx")
    assert book.sheetnames == ["varden", "inlamningar", "Läs mig"]
    ws = book["varden"]
    cols = header_index(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "T12-K1")
    assert ws.cell(row, cols["enhet"]).value == "andel"
    assert "20 procent" in ws.cell(row, cols["mal"]).value
    assert ws.cell(row, cols["malvarde"]).value == 20
    value = ws.cell(row, cols["varde"])
    assert "%" in value.number_format
    (rule,) = [dv for dv in ws.data_validations.dataValidation if value.coordinate in dv.sqref]
    assert (rule.type, rule.formula1, rule.formula2) == ("decimal", "0", "1")
    assert "rebuild-values 2027" in (data_copy / "2027" / CHECKLIST).read_text("utf-8")


def test_new_year_refuses_existing_year_and_changes_nothing(data_copy):
    new_year(data_copy, 2027)
    before = tree_digest(data_copy)
    with pytest.raises(ParameterError, match="finns redan; inget har ändrats"):
        new_year(data_copy, 2027)
    assert tree_digest(data_copy) == before
    proc = subprocess.run(
        [sys.executable, "-m", "report_utils", "new-year", "2027", "--data-dir", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "finns redan" in proc.stderr and "Traceback" not in proc.stderr
    assert tree_digest(data_copy) == before


def test_new_year_refuses_earlier_year(data_copy):
    with pytest.raises(ParameterError, match="inte senare"):
        new_year(data_copy, 2025)
    assert not (data_copy / "2025").exists()


def test_synthetic_values_give_every_status(data_copy):
    new_year(data_copy, 2027)
    fill_values(
        data_copy / "2026" / "indikatorvarden.xlsx", FIXTURES / "SYNTETISK_indikatorvarden_2026.csv"
    )
    fill_values(
        data_copy / "2027" / "indikatorvarden.xlsx", FIXTURES / "SYNTETISK_indikatorvarden_2027.csv"
    )
    ds = load_dataset(data_copy)
    st = C.indicator_status(ds, 2027, "ALLA").set_index(["indikator_id", "forvaltning"])["status"]
    assert (
        st[("T12-K1", "SOF")] == C.UPPNATT
    )  # 10 → 7,5: −25 % of a −20 % target (2026 as baseline)
    assert st[("T12-K2", "SFF")] == C.PA_VAG  # 10 → 9: −1 of −2 procentenheter
    assert st[("T12-K3", "SFF")] == C.EJ_UPPNATT  # 8 → 9
    assert st[("T02-K1", "AMF")] == C.UPPNATT and st[("T02-K1", "SFF")] == C.EJ_UPPNATT
    assert st[("T23-K3", "SOF")] == C.MAL_SAKNAS
    assert st[("T05-L2", "VOF")] == C.UPPNATT  # 200 → 260, target "ökar"
    assert st[("T24-K1", "AMF")] == C.MAL_SAKNAS  # no target: said whether reported or not
    assert st[("T12-L1", "SFF")] == C.EJ_RAPPORTERAT  # halving: a target, but no value
    assert set(st) == set(C.STATUSES)
    assert (
        ds.goals[2027]
        .varden.set_index(["indikator_id", "forvaltning"])
        .at[("T23-K3", "SOF"), "varde"]
        == 1120
    )
    counts = C.status_counts(C.indicator_status(ds, 2027, "SFF"))
    assert counts.at["SFF", C.PA_VAG] == 1 and counts.at["SFF", C.EJ_UPPNATT] == 2
    assert C.value_trend(ds, "T23-K3", "SOF") == {2026: 90, 2027: 1120}


@pytest.mark.slow
def test_readme_next_year_section_followed_literally(settings, tmp_path):
    steps = readme_steps(settings, "Lägga till nästa års data")
    assert steps == [
        ".venv/bin/python -m report_utils new-year 2027",
        ".venv/bin/python -m report_utils validate",
        "make report",
    ]
    copy = ReadmeProject(settings, tmp_path / "projekt")
    project = copy.path

    def run(command: str):
        # `make report` is `$(PY) -m report_utils render` (test_project checks the Makefile)
        make_report = ".venv/bin/python -m report_utils render --no-progress"
        return copy.run(command.replace("make report", make_report))

    first = run(steps[0])  # step 1: new-year
    assert first.returncode == 0, first.stderr
    assert (project / "data/2027/mal.xlsx").exists()
    # steps 2-3: edit goals (unchanged here) and fill in values: the synthetic data set
    fill_values(
        project / "data/2026/indikatorvarden.xlsx", FIXTURES / "SYNTETISK_indikatorvarden_2026.csv"
    )
    fill_values(
        project / "data/2027/indikatorvarden.xlsx", FIXTURES / "SYNTETISK_indikatorvarden_2027.csv"
    )
    check = run(steps[1])  # step 4: validate
    assert check.returncode == 0, check.stderr
    assert "2027: 24 teman" in check.stdout
    rendered = run(steps[2])  # step 5: render
    assert rendered.returncode == 0, rendered.stderr
    html = project / "outputs/html"
    assert len(list((html / "2027").glob("*.html"))) == 5
    assert "2027/ALLA.html" in (html / "index.html").read_text("utf-8")
    page = (html / "2027" / "SFF.html").read_text("utf-8")
    for status in ("på väg", "ej uppnått", "ej rapporterat"):
        assert f">{status}</span>" in page
    assert "SYNTETISKT" in page
    sof = (html / "2027" / "SOF.html").read_text("utf-8")
    statuses = set(re.findall(r'class="status status-[a-z-]+">([^<]+)</span>', sof))
    assert {"uppnått", "inget mätbart mål", "ej rapporterat"} <= statuses, statuses
    assert "Utveckling över åren" in sof
    assert "1\u00a0120" in sof  # the value typed as "1 120", shown the Swedish way
    # a second new-year refuses and changes nothing
    before = tree_digest(project / "data")
    again = run(steps[0])
    assert again.returncode == 2 and "finns redan" in again.stderr
    assert tree_digest(project / "data") == before
