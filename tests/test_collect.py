"""The collection round: returned forms read back, checked, merged; each refusal located and
leaving the data untouched; round status; the values workbook rebuilt from mal.xlsx; and the
README's "Insamling av indikatorvärden" section followed literally."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ReadmeProject, edit_cell, readme_steps
from report_utils import compare as C
from report_utils.cli import main
from report_utils.collect import collect_forms, rebuild_values_workbook, round_status
from report_utils.errors import DataValidationError
from report_utils.forms import FORM_SHEET, META_SHEET, write_forms
from report_utils.model import collect, load_dataset
from report_utils.newyear import new_year
from round_support import (
    add_cached_value,
    copy_form,
    fill_form,
    forge_metadata,
    form_layout,
    tree_digest,
)

V26 = "Värde 2026"
JMF = "Jämförelsevärde"
KOM = "Kommentar"
SOF_VALUES = {
    ("T12-K1", V26): 0.235,  # typed "23,5 %" in Swedish Excel: the percent cell holds 0.235
    ("T12-K1", JMF): "30 %",  # Swedish number text
    ("T23-K3", V26): "1\u00a0100",  # no-break space as thousands separator
    ("T01-K1", V26): "2 500",  # an ordinary space
    ("T02-K1", V26): "Ja",
    ("T07-K1", V26): "Effektutvärdering påbörjad",
    ("T07-K1", KOM): "Klar under hösten.",
}
SFF_VALUES = {("T12-K2", V26): "23,5", ("T12-K2", JMF): "25,5 %", ("T02-K1", V26): "nej"}


@pytest.fixture(scope="module")
def blank_forms(tmp_path_factory, settings) -> Path:
    """The four 2026 forms from the shipped data, made once; tests copy what they need."""
    out = tmp_path_factory.mktemp("blank")
    write_forms(settings.data_dir, 2026, out)
    return out


@pytest.fixture
def returned(tmp_path, blank_forms) -> Path:
    """A folder for returned forms."""
    folder = tmp_path / "inkomna"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def round_one(tmp_path_factory, blank_forms, settings):
    """A data copy after one round: SOF's and SFF's forms collected (read-only for tests)."""
    base = tmp_path_factory.mktemp("runda")
    shutil.copytree(settings.data_dir, base / "data", ignore=shutil.ignore_patterns("sources"))
    inbox = base / "inkomna"
    form(blank_forms, inbox, "SOF", SOF_VALUES, "vad som helst.xlsx")
    form(blank_forms, inbox, "SFF", SFF_VALUES)
    result = collect_forms(base / "data", 2026, [inbox])
    return base, result


@pytest.fixture
def after_round(tmp_path, round_one) -> tuple[Path, Path]:
    """A private copy of ``round_one``: (data dir, folder of returned forms)."""
    shutil.copytree(round_one[0], tmp_path / "runda")
    return tmp_path / "runda" / "data", tmp_path / "runda" / "inkomna"


def form(blank_forms: Path, folder: Path, dept: str, values: dict, name: str | None = None):
    """A department's form, filled in and saved under ``name`` in ``folder``."""
    path = copy_form(blank_forms / f"2026_{dept}.xlsx", folder / (name or f"svar_{dept}.xlsx"))
    return fill_form(path, values)


def row_of(path: Path, indicator: str) -> int:
    from openpyxl import load_workbook

    return form_layout(load_workbook(path)[FORM_SHEET])[1][indicator]


def refused(data_dir: Path, *sources: Path, replace: bool = False) -> list[str]:
    """Collect must refuse, change nothing under ``data_dir``; returns the problems as text."""
    before = tree_digest(data_dir)
    with pytest.raises(DataValidationError) as info:
        collect_forms(data_dir, 2026, list(sources), replace=replace)
    assert tree_digest(data_dir) == before
    return [str(p) for p in info.value.problems]


def one(problems: list[str], *words: str) -> str:
    hits = [p for p in problems if all(w in p for w in words)]
    assert len(hits) == 1, (words, problems)
    return hits[0]


# -- a round that goes right -------------------------------------------------------------------
def test_collect_reads_values_as_departments_type_them(round_one):
    base, result = round_one
    assert {f.department for f in result.forms} == {"SOF", "SFF"}
    assert {Path(f.label).name for f in result.forms} == {"vad som helst.xlsx", "svar_SFF.xlsx"}
    ds = load_dataset(base / "data")  # validate passes
    st = C.indicator_status(ds, 2026, "ALLA").set_index(["indikator_id", "forvaltning"])
    assert st.at[("T12-K1", "SOF"), "varde"] == 23.5  # not 0.235
    assert st.at[("T12-K1", "SOF"), "jamforelsevarde"] == 30
    assert st.at[("T12-K1", "SOF"), "status"] == C.UPPNATT  # 30 → 23,5: −21,7 % of −20 %
    assert st.at[("T12-K2", "SFF"), "varde"] == 23.5
    assert st.at[("T12-K2", "SFF"), "status"] == C.UPPNATT  # 25,5 → 23,5: −2 procentenheter
    assert st.at[("T23-K3", "SOF"), "varde"] == 1100
    assert st.at[("T01-K1", "SOF"), "varde"] == 2500
    assert st.at[("T02-K1", "SOF"), "varde"] == "ja" and st.at[("T02-K1", "SOF"), "status"] == (
        C.UPPNATT
    )
    assert st.at[("T02-K1", "SFF"), "status"] == C.EJ_UPPNATT
    assert st.at[("T07-K1", "SOF"), "varde"] == "Effektutvärdering påbörjad"
    assert st.at[("T07-K1", "SOF"), "kommentar"] == "Klar under hösten."
    assert st.at[("T23-K3", "VOF"), "status"] == C.MAL_SAKNAS  # no target: not a missing value
    assert st.at[("T12-K3", "SFF"), "status"] == C.EJ_RAPPORTERAT  # a target, no value yet
    assert result.written == 10 and result.replaced == []


def test_the_values_workbook_stores_shares_in_percent_format(round_one):
    from openpyxl import load_workbook

    ws = load_workbook(round_one[0] / "data/2026/indikatorvarden.xlsx")["varden"]
    cols = {c.value: c.column for c in ws[1]}
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, cols["indikator_id"]).value == "T12-K1"
        and ws.cell(r, cols["forvaltning"]).value == "SOF"
    )
    cell = ws.cell(row, cols["varde"])
    assert cell.value == 0.235 and "%" in cell.number_format  # Excel shows 23,5 %
    assert ws.cell(row, cols["jamforelsevarde"]).value == 0.3
    assert ws.cell(row, cols["enhet"]).value == "andel"
    assert "20 procent" in ws.cell(row, cols["mal"]).value and ws.cell(row, cols["malvarde"]).value


def test_a_formula_with_a_saved_result_is_read(data_copy, blank_forms, returned):
    path = form(blank_forms, returned, "VOF", {("T23-K3", V26): "=40+20"})
    letter = form_layout(__import__("openpyxl").load_workbook(path)[FORM_SHEET])[0][V26]
    add_cached_value(path, 2, f"{letter}{row_of(path, 'T23-K3')}", "60")  # as Excel saves it
    collect_forms(data_copy, 2026, [path])
    varden = load_dataset(data_copy).goals[2026].varden
    hit = varden[(varden["indikator_id"] == "T23-K3") & (varden["forvaltning"] == "VOF")]
    assert hit.iloc[0]["varde"] == 60


def test_collecting_the_same_form_again_changes_nothing(after_round):
    data, inbox = after_round
    before = tree_digest(data)
    again = collect_forms(data, 2026, [inbox, inbox / "svar_SFF.xlsx"])
    assert again.written == 0 and again.unchanged == 10 and len(again.forms) == 2
    assert tree_digest(data) == before  # same bytes, not even a new log row


def test_a_blank_cell_in_a_later_form_keeps_the_collected_value(after_round, blank_forms):
    data, inbox = after_round
    later = form(blank_forms, inbox, "SOF", {("T24-K1", V26): 3}, "andra.xlsx")
    collect_forms(data, 2026, [later])
    st = C.indicator_status(load_dataset(data), 2026, "SOF").set_index("indikator_id")
    assert st.at["T23-K3", "varde"] == 1100 and st.at["T24-K1", "varde"] == 3


def test_round_status_per_department(after_round):
    data_copy, _inbox = after_round
    # a value typed straight into the workbook counts as filled, but not as a returned form
    edit_cell(
        data_copy / "2026/indikatorvarden.xlsx",
        "varden",
        "varde",
        7,
        where=("indikator_id", "T03-K3"),
    )
    status = round_status(data_copy, 2026)
    by = {d.code: d for d in status.departments}
    sof, amf = by["SOF"], by["AMF"]
    assert sof.returned and sof.files == ("vad som helst.xlsx",) and sof.returned_at
    ds = load_dataset(data_copy)
    expected = len(C.indicators_for(ds.goals[2026], "SOF"))
    assert sof.filled == 5 and sof.expected == expected and len(sof.missing) == expected - 5
    assert "T23-K3" not in sof.missing and "T24-K1" in sof.missing
    assert not amf.returned and amf.filled == 1 and "T03-K3" not in amf.missing
    assert not by["VOF"].returned and by["VOF"].filled == 0
    assert status.problems == 0 and not status.complete
    ds = load_dataset(data_copy)  # the landing page passes its loaded data set
    assert round_status(data_copy, 2026, ds) == status
    text = str(status)
    assert (
        "SOF (socialförvaltningen): formulär inläst" in text
        and f"5 av {expected} värden ifyllda" in text
    )
    assert "AMF (arbetsmarknadsförvaltningen): formulär ej inlämnat" in text


# -- refusals: each located, nothing written ----------------------------------------------------
def test_refuses_a_file_that_is_not_a_form(data_copy, returned, settings):
    shutil.copy(settings.data_dir / "koppling.xlsx", returned / "koppling.xlsx")
    (returned / "trasig.xlsx").write_text("ingen excelfil", "utf-8")
    problems = refused(data_copy, returned)
    one(problems, "koppling.xlsx", "inget insamlingsformulär", "forms")
    one(problems, "trasig.xlsx", "ingen giltig Excel-fil")


def test_refuses_a_form_for_another_year(data_copy, tmp_path):
    new_year(data_copy, 2027)
    (path,) = write_forms(data_copy, 2027, tmp_path / "ut", ["SOF"])
    fill_form(path, {("T23-K3", "Värde 2027"): 5})
    p = one(refused(data_copy, path), str(path))
    assert "formuläret gäller år 2027, men insamlingen gäller 2026" in p
    assert "blad 'Indikatorer', rad 1" in p and "värdet 2027" in p


def test_refuses_a_form_that_claims_another_department(data_copy, blank_forms, returned):
    forged = form(blank_forms, returned, "SOF", SOF_VALUES, "vof.xlsx")
    forge_metadata(forged, {"forvaltning": "VOF"})  # consistent checksum: a careful forgery
    p = one(refused(data_copy, forged), "vof.xlsx")
    assert "säger att det gäller VOF, men dess rader gäller SOF" in p
    careless = form(blank_forms, returned, "SOF", SOF_VALUES, "slarvig.xlsx")
    forge_metadata(careless, {"forvaltning": "VOF"}, checksum=False)
    p = one(refused(data_copy, careless), "slarvig.xlsx")
    assert f"blad '{META_SHEET}'" in p and "dolda uppgifter" in p and "har ändrats" in p


def test_refuses_edited_ids_and_locked_cells_naming_each_cell(data_copy, blank_forms, returned):
    path = form(
        blank_forms,
        returned,
        "SOF",
        {("T23-K3", "A"): "T23-K3:VOF", ("T12-K1", "Enhet"): "antal", ("T12-K1", V26): 0.2},
    )
    problems = refused(data_copy, path)
    r_id, r_unit = row_of(path, "T23-K3"), row_of(path, "T12-K1")
    p = one(problems, f"rad {r_id},", "kolumn 'Rad-id (A)'")
    assert "värdet 'T23-K3:VOF'" in p and "rad-id (dold kolumn A) har ändrats" in p
    assert "'T23-K3:SOF'" in p
    p = one(problems, f"rad {r_unit},", "kolumn 'Enhet (F)'")
    assert "värdet 'antal'" in p and "låst cell har ändrats" in p and "'andel i %'" in p


def test_refuses_content_typed_outside_the_yellow_cells(data_copy, blank_forms, returned):
    path = form(blank_forms, returned, "SOF", {("T23-K3", "P"): "se bilaga"})
    p = one(refused(data_copy, path), f"rad {row_of(path, 'T23-K3')},", "kolumn 'P'")
    assert "'se bilaga'" in p and "hör inte till formulärets gula celler" in p


def test_refuses_values_out_of_range_each_located(data_copy, blank_forms, returned):
    path = form(
        blank_forms,
        returned,
        "SOF",
        {
            ("T12-K1", V26): 1.2,  # 120 % in a percent cell
            ("T12-K1", JMF): "30 st",
            ("T23-K3", V26): -3,
            ("T02-K1", V26): "kanske",
            ("T24-K1", V26): "12 %",  # a count
        },
    )
    problems = refused(data_copy, path)
    assert len(problems) == 5
    col = "kolumn 'Värde 2026 (K)'"
    p = one(problems, f"rad {row_of(path, 'T12-K1')},", col)
    assert "värdet '120 %'" in p and "mellan 0 och 100" in p
    p = one(problems, f"rad {row_of(path, 'T12-K1')},", "kolumn 'Jämförelsevärde (L)'")
    assert "'30 st'" in p and "väntade ett tal" in p
    p = one(problems, f"rad {row_of(path, 'T23-K3')},", col)
    assert "värdet -3" in p and "negativt" in p
    p = one(problems, f"rad {row_of(path, 'T02-K1')},", col)
    assert "'kanske'" in p and "'ja' eller 'nej'" in p
    p = one(problems, f"rad {row_of(path, 'T24-K1')},", col)
    assert "'12 %'" in p and "väntade ett antal" in p
    assert all(p.startswith(f"{path}, blad 'Indikatorer', rad ") for p in problems)


def test_refuses_a_formula_without_a_saved_result(data_copy, blank_forms, returned):
    path = form(blank_forms, returned, "SOF", {("T23-K3", V26): "=SUM(40,20)"})
    p = one(refused(data_copy, path), f"rad {row_of(path, 'T23-K3')},", "kolumn 'Värde 2026 (K)'")
    assert "'SUM(40,20)'" in p or "'=SUM(40,20)'" in p
    assert "öppna och spara filen i Excel" in p


def test_refuses_two_forms_of_one_department_that_disagree(data_copy, blank_forms, returned):
    form(blank_forms, returned, "SOF", {("T23-K3", V26): 1100, ("T24-K1", V26): 2}, "a.xlsx")
    form(blank_forms, returned, "SOF", {("T23-K3", V26): 1200, ("T24-K1", V26): 2}, "b.xlsx")
    p = one(refused(data_copy, returned), "kolumn 'Värde 2026 (K)'")
    assert p.startswith(str(returned / "b.xlsx")) and "värdet 1200" in p
    assert "a.xlsx (också SOF) har 1\u00a0100 i samma cell" in p


def test_refuses_to_overwrite_a_different_value_unless_replace(after_round, blank_forms, capsys):
    data_copy, returned = after_round
    fixed = form(
        blank_forms,
        returned,
        "SOF",
        {**SOF_VALUES, ("T12-K1", V26): 0.221, ("T23-K3", V26): 1150},
        "rättad.xlsx",
    )
    problems = refused(data_copy, fixed)
    p = one(problems, f"rad {row_of(fixed, 'T23-K3')},")
    assert "2026/indikatorvarden.xlsx har redan 1\u00a0100 för T23-K3 och SOF" in p
    assert "inget ersätts utan --replace" in p and "värdet 1150" in p
    p = one(problems, f"rad {row_of(fixed, 'T12-K1')},")
    assert "har redan 23,5\u00a0% för T12-K1" in p and "värdet '22,1 %'" in p
    # the CLI with --replace writes, and lists what it replaced
    assert main(["collect", "2026", str(fixed), "--data-dir", str(data_copy), "--replace"]) == 0
    out = capsys.readouterr().out
    assert "Ersatte 2 värden (--replace):" in out
    assert "T12-K1 SOF varde: 23,5\u00a0% → 22,1\u00a0% (från" in out
    assert "T23-K3 SOF varde: 1\u00a0100 → 1\u00a0150" in out
    st = C.indicator_status(load_dataset(data_copy), 2026, "SOF").set_index("indikator_id")
    assert st.at["T12-K1", "varde"] == 22.1 and st.at["T23-K3", "varde"] == 1150
    log = [r for r in collect_log(data_copy) if r["fil"] == "rättad.xlsx"]
    assert len(log) == 1 and "T23-K3 varde: 1\u00a0100 → 1\u00a0150" in log[0]["ersatta"]


def collect_log(data_dir: Path) -> list[dict]:
    from openpyxl import load_workbook

    ws = load_workbook(data_dir / "2026/indikatorvarden.xlsx")["inlamningar"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_refuses_a_value_the_department_no_longer_reports(data_copy, blank_forms, returned):
    path = form(blank_forms, returned, "SOF", SOF_VALUES)
    edit_cell(  # the lead moves T12-K1 to VOF after the forms went out
        data_copy / "2026/mal.xlsx",
        "indikatorer",
        "ansvariga",
        "VOF",
        where=("indikator_id", "T12-K1"),
    )
    rebuild_values_workbook(data_copy, 2026)
    problems = refused(data_copy, path)
    assert len(problems) == 2  # the value and the comparison value
    p = one(problems, f"rad {row_of(path, 'T12-K1')},", "kolumn 'Värde 2026 (K)'")
    assert "SOF rapporterar inte längre indikatorn T12-K1" in p and "ansvariga: VOF" in p


def test_refusal_through_the_cli_is_one_message_per_problem_and_exit_1(
    data_copy, blank_forms, returned, capsys
):
    form(blank_forms, returned, "SOF", {("T23-K3", V26): -1})
    before = tree_digest(data_copy)
    code = main(["collect", "2026", str(returned), "--data-dir", str(data_copy)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Formulären lästes inte in: inget har skrivits." in err
    assert "svar_SOF.xlsx, blad 'Indikatorer', rad " in err and "negativt" in err
    assert tree_digest(data_copy) == before


# -- the values workbook ------------------------------------------------------------------------
def test_shipped_values_workbook_is_exactly_what_rebuild_writes(settings, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir, copy, ignore=shutil.ignore_patterns("sources"))
    (copy / "2026/indikatorvarden.xlsx").unlink()
    rebuild_values_workbook(copy, 2026)
    shipped = (settings.data_dir / "2026/indikatorvarden.xlsx").read_bytes()
    assert (copy / "2026/indikatorvarden.xlsx").read_bytes() == shipped


def test_values_workbook_shows_unit_and_target_and_checks_input(settings):
    from openpyxl import load_workbook

    book = load_workbook(settings.data_dir / "2026/indikatorvarden.xlsx")
    assert book.sheetnames == ["varden", "inlamningar", "Läs mig"]
    ws = book["varden"]
    cols = {c.value: c.column_letter for c in ws[1]}
    rows = {
        (ws[f"{cols['indikator_id']}{r}"].value, ws[f"{cols['forvaltning']}{r}"].value): r
        for r in range(2, ws.max_row + 1)
    }
    r = rows[("T12-K1", "SOF")]
    assert ws[f"{cols['enhet']}{r}"].value == "andel" and ws[f"{cols['malvarde']}{r}"].value == 20
    assert "%" in ws[f"{cols['varde']}{r}"].number_format

    def rule(coordinate):
        (dv,) = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
        return dv

    share = rule(f"{cols['varde']}{r}")
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "1")
    count = rule(f"{cols['varde']}{rows[('T23-K3', 'VOF')]}")
    assert (count.type, count.operator, count.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert rule(f"{cols['varde']}{rows[('T02-K1', 'AMF')]}").formula1 == '"ja,nej"'
    assert rule(f"{cols['kommentar']}{r}").prompt


def test_rebuild_after_mal_changes_keeps_every_value(after_round, capsys):
    from openpyxl import load_workbook

    data_copy, _inbox = after_round
    values = data_copy / "2026/indikatorvarden.xlsx"
    book = load_workbook(values)  # the analyst adds a column of their own
    book["varden"].cell(1, 20, "anteckning")
    book["varden"].cell(2, 20, "ringt 3/3")
    book.save(values)
    first_key = (book["varden"]["A2"].value, book["varden"]["B2"].value)
    mal = data_copy / "2026/mal.xlsx"
    edit_cell(mal, "indikatorer", "ansvariga", "SOF", where=("indikator_id", "T02-K1"))
    edit_cell(mal, "indikatorer", "ansvariga", "VOF", where=("indikator_id", "T24-K1"))
    assert main(["rebuild-values", "2026", "--data-dir", str(data_copy)]) == 0
    assert "1 rader med innehåll" in capsys.readouterr().out  # SFF's T02-K1 "nej"
    ds, problems = collect(data_copy)
    # SFF's value for T02-K1 (now SOF's alone) is kept, and validate names it
    (p,) = problems
    assert p.file == "2026/indikatorvarden.xlsx" and p.sheet == "varden" and p.column == "varde"
    assert p.value == "nej" and "förvaltningen SFF är inte ansvarig för indikatorn T02-K1" in str(p)
    varden = ds.goals[2026].varden.set_index(["indikator_id", "forvaltning"])
    assert p.row == int(varden.at[("T02-K1", "SFF"), "_rad"]) == len(varden) + 1  # at the end
    assert varden.at[("T12-K1", "SOF"), "varde"] == 23.5
    assert varden.at[("T12-K2", "SFF"), "jamforelsevarde"] == 25.5
    assert varden.at[("T02-K1", "SOF"), "varde"] == "ja"
    assert ("T24-K1", "VOF") in varden.index and ("T24-K1", "AMF") not in varden.index
    ws = load_workbook(values)["varden"]
    cols = {c.value: c.column for c in ws[1]}
    noted = [
        r for r in range(2, ws.max_row + 1) if ws.cell(r, cols["anteckning"]).value == "ringt 3/3"
    ]
    assert len(noted) == 1
    assert (ws.cell(noted[0], 1).value, ws.cell(noted[0], 2).value) == first_key
    assert len(collect_log(data_copy)) == 2  # the log of returned forms is kept


def test_rebuild_refuses_while_the_workbook_is_open_in_excel(data_copy):
    (data_copy / "2026/~$indikatorvarden.xlsx").write_bytes(b"lock")
    before = tree_digest(data_copy)
    assert main(["rebuild-values", "2026", "--data-dir", str(data_copy)]) == 1
    assert tree_digest(data_copy) == before


# -- the README section, followed literally -----------------------------------------------------
@pytest.mark.slow
def test_readme_collection_section_followed_literally(settings, tmp_path, capsys):
    steps = readme_steps(settings, "Insamling av indikatorvärden / Collecting indicator values")
    assert steps == [
        ".venv/bin/python -m report_utils forms 2026",
        ".venv/bin/python -m report_utils collect 2026 inkomna/",
        ".venv/bin/python -m report_utils collect 2026 inkomna/ --replace",
        ".venv/bin/python -m report_utils status 2026",
        ".venv/bin/python -m report_utils rebuild-values 2026",
    ]
    copy = ReadmeProject(settings, tmp_path / "projekt")
    project, run = copy.path, copy.run

    made = run(steps[0])  # 1. the forms
    assert made.returncode == 0, made.stderr
    forms = project / "outputs/formular"
    assert sorted(p.name for p in forms.iterdir()) == [
        f"2026_{d}.xlsx" for d in ("AMF", "SFF", "SOF", "VOF")
    ]
    inbox = project / "inkomna"  # 2. the departments fill them in and send them back
    form(forms, inbox, "SOF", SOF_VALUES, "Socialförvaltningen svar.xlsx")
    form(forms, inbox, "SFF", SFF_VALUES, "SFF.xlsx")
    first = run(steps[1])  # 3. collect
    assert first.returncode == 0, first.stderr
    assert "Läste in 2 formulär" in first.stdout
    assert "SOF (socialförvaltningen): formulär inläst" in first.stdout
    assert "AMF (arbetsmarknadsförvaltningen): formulär ej inlämnat" in first.stdout
    # 4. SOF corrects a value: refused without --replace, written with it
    (inbox / "Socialförvaltningen svar.xlsx").unlink()
    form(forms, inbox, "SOF", {**SOF_VALUES, ("T23-K3", V26): "1 150"}, "SOF rättad.xlsx")
    before = tree_digest(project / "data")
    data = ["--data-dir", str(project / "data")]
    assert main(["collect", "2026", str(inbox), *data]) == 1  # step 3 again (in-process)
    assert "inget ersätts utan --replace" in capsys.readouterr().err
    assert tree_digest(project / "data") == before
    replaced = run(steps[2])
    assert replaced.returncode == 0, replaced.stderr
    assert "T23-K3 SOF varde: 1\u00a0100 → 1\u00a0150" in replaced.stdout
    status = run(steps[3])  # 5. status
    assert status.returncode == 0, status.stderr
    assert "SOF (socialförvaltningen): formulär inläst" in status.stdout
    assert "SOF rättad.xlsx" in status.stdout and "saknas: T01-K2" in status.stdout
    # 6. check and render as usual (one report here)
    assert main(["validate", *data]) == 0, capsys.readouterr().err
    render = run(
        ".venv/bin/python -m report_utils render --department SOF --year 2026 --no-progress"
    )
    assert render.returncode == 0, render.stderr
    html = (project / "outputs/html/2026/SOF.html").read_text("utf-8")
    assert "23,5\u00a0%" in html and "1\u00a0150" in html
    assert "Effektutvärdering påbörjad" in html and "Klar under hösten." in html
    # goals unchanged: rebuilding the values workbook changes nothing
    workbook = project / "data/2026/indikatorvarden.xlsx"
    kept = workbook.read_bytes()
    rebuilt = run(steps[4])
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert workbook.read_bytes() == kept


def test_xml_entities_in_a_returned_file_are_refused_not_expanded(data_copy, blank_forms, returned):
    """openpyxl guards against XML entity attacks only with defusedxml installed."""
    import zipfile

    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    src = blank_forms / "2026_SOF.xlsx"
    bomb = returned / "bomb.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                data = doctype + data
            zout.writestr(info, data)
    p = one(refused(data_copy, bomb), "bomb.xlsx")
    assert "XML-entiteter" in p and "säkerhetsskäl" in p


@pytest.mark.slow
def test_a_form_filled_and_saved_by_a_real_spreadsheet_program_is_read(
    data_copy, blank_forms, tmp_path
):
    """Round trip through LibreOffice Calc: it recalculates the formula and saves its result,
    keeps the hidden metadata, and the form is read back as it was filled in."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    filled = form(
        blank_forms,
        tmp_path / "ifyllt",
        "VOF",
        {
            ("T23-K3", V26): "=40+20",  # no saved result until a spreadsheet program saves it
            ("T08-K1", V26): 0.235,
            ("T08-K2", V26): "12,5 %",
            ("T02-K1", V26): "ja",
            ("T03-K1", KOM): "Uppgift från verksamhetssystemet.",
        },
    )
    saved = tmp_path / "sparat"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profil').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(saved),
            str(filled),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    collect_forms(data_copy, 2026, [saved])
    st = C.indicator_status(load_dataset(data_copy), 2026, "VOF").set_index("indikator_id")
    assert st.at["T23-K3", "varde"] == 60
    assert st.at["T08-K1", "varde"] == 23.5 and st.at["T08-K2", "varde"] == 12.5
    assert st.at["T02-K1", "varde"] == "ja"
    assert st.at["T03-K1", "kommentar"] == "Uppgift från verksamhetssystemet."
