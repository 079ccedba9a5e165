"""The departments' fill-in forms, opened with openpyxl as a department's Excel would:
only their indicators, locked support columns, unlocked yellow inputs with Excel data
validation, formats and input messages, instructions, and hidden self-identifying metadata."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from report_utils import compare as C
from report_utils.errors import ReportError
from report_utils.forms import (
    FORM_SHEET,
    FORM_VERSION,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    metadata_checksum,
    write_forms,
)
from report_utils.newyear import new_year
from round_support import fill_form, form_layout, tree_digest

DEPTS = ("AMF", "SFF", "SOF", "VOF")


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory, settings) -> Path:
    """The 2026 forms, made once through the command line from the shipped data."""
    out = tmp_path_factory.mktemp("formular")
    proc = subprocess.run(
        [sys.executable, "-m", "report_utils", "forms", "2026", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Skapade 4 formulär för 2026" in proc.stdout
    return out


def _open(path: Path):
    from openpyxl import load_workbook

    return load_workbook(path)


def test_one_form_per_department_named_by_year_and_department(forms_dir):
    assert sorted(p.name for p in forms_dir.iterdir()) == [f"2026_{d}.xlsx" for d in DEPTS]


def test_form_holds_the_departments_own_and_the_shared_indicators_only(forms_dir, dataset):
    indikatorer = dataset.goals[2026].indikatorer
    for dept in DEPTS:
        ws = _open(forms_dir / f"2026_{dept}.xlsx")[FORM_SHEET]
        _letters, rows = form_layout(ws)
        expected = {
            r["indikator_id"]
            for r in indikatorer.to_dict("records")
            if dept in r["avdelningar"]  # own, the theme's, or all four
        }
        assert set(rows) == expected, dept
        assert "T01-K1" in rows  # theme and indicator name no department: all four
    sof = form_layout(_open(forms_dir / "2026_SOF.xlsx")[FORM_SHEET])[1]
    assert "T12-K1" in sof and "T12-K2" not in sof  # T12-K2 is SFF's alone


def test_form_is_protected_support_cells_locked_inputs_unlocked(forms_dir):
    book = _open(forms_dir / "2026_SOF.xlsx")
    assert book.sheetnames == [INSTRUCTIONS_SHEET, FORM_SHEET, META_SHEET]
    assert book.active.title == INSTRUCTIONS_SHEET
    assert book.security.lockStructure  # sheets cannot be added, renamed or unhidden
    ws = book[FORM_SHEET]
    assert ws.protection.sheet and book[INSTRUCTIONS_SHEET].protection.sheet
    assert ws.column_dimensions["A"].hidden  # the row ids
    letters, rows = form_layout(ws)
    r = rows["T12-K1"]
    for header in ("Tema", "Id", "Indikator", "Enhet", "Mål", "Målvärde", "Tidigare värde"):
        assert ws[f"{letters[header]}{r}"].protection.locked, header
    assert ws[f"A{r}"].protection.locked
    for header in ("Värde 2026", "Jämförelsevärde", "Kommentar"):
        assert not ws[f"{letters[header]}{r}"].protection.locked, header
    # a comparison value is asked for only where the target is a change (−20 %)
    assert ws[f"{letters['Jämförelsevärde']}{rows['T23-K3']}"].protection.locked


def _validation_of(ws, coordinate: str):
    hits = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(hits) == 1, coordinate
    return hits[0]


def test_input_cells_carry_excel_validation_formats_and_an_input_message(forms_dir):
    ws = _open(forms_dir / "2026_SOF.xlsx")[FORM_SHEET]
    letters, rows = form_layout(ws)
    value = letters["Värde 2026"]
    share = _validation_of(ws, f"{value}{rows['T12-K1']}")  # andel
    assert (share.type, share.operator, share.formula1, share.formula2) == (
        "decimal",
        "between",
        "0",
        "1",
    )
    assert "%" in ws[f"{value}{rows['T12-K1']}"].number_format  # Excel's percent format
    assert "%" in ws[f"{letters['Jämförelsevärde']}{rows['T12-K1']}"].number_format
    count = _validation_of(ws, f"{value}{rows['T23-K3']}")  # antal
    assert (count.type, count.operator, count.formula1) == ("decimal", "greaterThanOrEqual", "0")
    yes_no = _validation_of(ws, f"{value}{rows['T02-K1']}")  # ja-nej
    assert (yes_no.type, yes_no.formula1) == ("list", '"ja,nej"')
    text = _validation_of(ws, f"{value}{rows['T07-K1']}")  # text: any text, with a message
    assert text.type is None and ws[f"{value}{rows['T07-K1']}"].number_format == "@"
    for dv in (share, count, yes_no):
        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.error
    # every unlocked cell has an input message in Swedish
    unlocked = [
        c.coordinate for line in ws.iter_rows(min_row=5) for c in line if not c.protection.locked
    ]
    assert len(unlocked) >= 2 * len(rows)
    for coordinate in unlocked:
        dv = _validation_of(ws, coordinate)
        assert dv.showInputMessage and dv.promptTitle and dv.prompt and len(dv.prompt) <= 255
    assert "aldrig 0" in share.prompt and "23,5 %" in share.prompt
    assert share.promptTitle.startswith("T12-K1")


def test_form_shows_unit_target_in_words_and_number_and_the_2018_2019_baseline(forms_dir):
    ws = _open(forms_dir / "2026_SOF.xlsx")[FORM_SHEET]
    letters, rows = form_layout(ws)

    def cell(ind, header):
        return ws[f"{letters[header]}{rows[ind]}"].value

    assert cell("T12-K1", "Enhet") == "andel i %"
    assert "minska med 20 procent" in cell("T12-K1", "Mål")
    assert cell("T12-K1", "Målvärde") == 20
    assert cell("T02-K1", "Mål") == "ska uppfyllas (ja/nej)"
    assert cell("T23-K3", "Mål") == "inget kvantitativt mål"
    baseline = cell("T23-K3", "Utgångsläge 2018–2019")  # MHFA, via the crosswalk
    assert "150 (2018)" in baseline and "291 (2019)" in baseline
    assert cell("T01-K1", "Utgångsläge 2018–2019") == "–"
    assert cell("T12-K1", "Tidigare värde") == "–"  # 2026 is the first goal year


def test_instructions_sheet_in_swedish(forms_dir):
    info = _open(forms_dir / "2026_VOF.xlsx")[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for line in info.iter_rows() for c in line if c.value)
    assert "vård- och omsorgsförvaltningen" in text and "2026" in text
    for words in ("gula cellerna", "Skriv aldrig 0", "ja eller nej", "23,5 %", "Kommentar"):
        assert words in text, words


def test_hidden_metadata_identifies_the_form(forms_dir):
    book = _open(forms_dir / "2026_SFF.xlsx")
    meta_ws = book[META_SHEET]
    assert meta_ws.sheet_state == "veryHidden" and meta_ws.protection.sheet
    meta = {
        meta_ws.cell(r, 1).value: meta_ws.cell(r, 2).value
        for r in range(2, meta_ws.max_row + 1)
        if meta_ws.cell(r, 1).value
    }
    assert meta["formularversion"] == FORM_VERSION
    assert meta["ar"] == 2026 and meta["forvaltning"] == "SFF"
    rows = [
        [meta_ws.cell(r, c).value for c in range(4, 9)]
        for r in range(2, meta_ws.max_row + 1)
        if meta_ws.cell(r, 4).value is not None
    ]
    locked = [
        [meta_ws.cell(r, 10).value, meta_ws.cell(r, 11).value]
        for r in range(2, meta_ws.max_row + 1)
        if meta_ws.cell(r, 10).value is not None
    ]
    assert meta["kontrollsumma"] == metadata_checksum(meta, rows, locked)
    ws = book[FORM_SHEET]
    for excel_row, row_id, indikator_id, _unit, _asks in rows:
        assert ws[f"A{excel_row}"].value == row_id == f"{indikator_id}:SFF"
    assert meta["antal_rader"] == len(rows)


def test_previous_years_value_is_shown(data_copy, tmp_path):
    from openpyxl import load_workbook

    path = data_copy / "2026/indikatorvarden.xlsx"
    book = load_workbook(path)
    ws = book["varden"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if (ws.cell(r, cols["indikator_id"]).value, ws.cell(r, cols["forvaltning"]).value) == (
            "T12-K1",
            "SOF",
        ):
            ws.cell(r, cols["varde"]).value = 0.105  # the cell is in percent format
    book.save(path)
    new_year(data_copy, 2027)
    (form,) = write_forms(data_copy, 2027, tmp_path, ["SOF"])
    ws = load_workbook(form)[FORM_SHEET]
    letters, rows = form_layout(ws)
    assert ws[f"{letters['Tidigare värde']}{rows['T12-K1']}"].value == "2026: 10,5\u00a0%"
    assert ws[f"{letters['Värde 2027']}{rows['T12-K1']}"].value is None


def test_forms_are_the_same_bytes_when_nothing_changed(forms_dir, settings, tmp_path):
    again = write_forms(settings.data_dir, 2026, tmp_path)
    for path in again:
        assert path.read_bytes() == (forms_dir / path.name).read_bytes(), path.name


def test_forms_never_overwrite_a_filled_in_form(forms_dir, settings, tmp_path):
    for p in forms_dir.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    fill_form(tmp_path / "2026_SOF.xlsx", {("T23-K3", "Värde 2026"): 12})
    before = tree_digest(tmp_path)
    with pytest.raises(ReportError, match=r"2026_SOF\.xlsx finns redan och innehåller ifyllda"):
        write_forms(settings.data_dir, 2026, tmp_path)
    assert tree_digest(tmp_path) == before  # not even the other three were rewritten


def test_forms_for_a_year_without_goals_is_a_one_line_error(tmp_path, capsys):
    from report_utils.cli import main

    assert main(["forms", "2031", "--out", str(tmp_path)]) == 2  # the command line's entry
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2031 har inga mål" in err and "2026" in err
    assert list(tmp_path.iterdir()) == []


def test_form_rows_follow_the_report_order(dataset):
    from report_utils.forms import form_rows

    rows = form_rows(dataset, 2026, "SFF")
    expected = list(C.indicators_for(dataset.goals[2026], "SFF")["indikator_id"])
    assert [r.indikator_id for r in rows] == expected
