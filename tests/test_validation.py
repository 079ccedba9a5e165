"""Bad data gets a clear message: file, sheet, Excel row, column, value, expected — all at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import edit_cell, header_index
from report_utils.cli import main
from report_utils.errors import DataValidationError
from report_utils.model import collect, load_dataset

INS = "insatser_2018-2019.xlsx"
MAL = "2026/mal.xlsx"


def problems_of(data_dir):
    _ds, problems = collect(data_dir)
    return problems


def only(problems, **fields):
    hits = [p for p in problems if all(getattr(p, k) == v for k, v in fields.items())]
    assert hits, f"no problem with {fields}; got {[str(p) for p in problems]}"
    return hits[0]


def test_wrong_type_names_file_sheet_row_column_value(data_copy):
    row = edit_cell(
        data_copy / INS, "resultat", "varde", "tolv st", where=("resultat_id", "act-r01")
    )
    p = only(problems_of(data_copy), file=INS, sheet="resultat", row=row, column="varde")
    assert p.value == "tolv st"
    assert "väntade ett tal" in str(p)
    assert f"rad {row}" in str(p) and "kolumn 'varde'" in str(p) and "blad 'resultat'" in str(p)


def test_unknown_department_code(data_copy):
    row = edit_cell(data_copy / INS, "ansvar", "ansvariga", "SOF, XYZ", where=("insats_id", "mhfa"))
    p = only(problems_of(data_copy), sheet="ansvar", row=row, column="ansvariga")
    assert p.value == "XYZ" and "okänd referens" in p.expected and "forvaltningar" in p.expected


def test_unknown_focus_area(data_copy):
    row = edit_cell(data_copy / INS, "insatser", "fokusomrade", 9, where=("insats_id", "esl"))
    p = only(problems_of(data_copy), sheet="insatser", row=row, column="fokusomrade")
    assert p.value == 9 and "fokusomraden" in p.expected


def test_unknown_sub_goal(data_copy):
    row = edit_cell(data_copy / MAL, "teman", "delmal", "2, 8", where=("tema_id", "T12"))
    p = only(problems_of(data_copy), file=MAL, sheet="teman", row=row, column="delmal")
    assert p.value == 8 and "delmal" in p.expected


def test_duplicate_id(data_copy):
    first = edit_cell(
        data_copy / INS, "resultat", "resultat_id", "act-r01", where=("resultat_id", "act-r01")
    )
    row = edit_cell(
        data_copy / INS, "resultat", "resultat_id", "act-r01", where=("resultat_id", "act-r02")
    )
    problems = problems_of(data_copy)
    dupes = [p for p in problems if p.column == "resultat_id"]
    assert {p.row for p in dupes} == {first, row}  # both rows named: the first and the copy
    assert all(p.value == "act-r01" for p in dupes)
    assert all("måste vara unikt i kolumnen" in p.expected for p in dupes)


def test_dangling_result_reference(data_copy):
    row = edit_cell(
        data_copy / INS, "resultat", "insats_id", "finns-inte", where=("resultat_id", "act-r01")
    )
    p = only(problems_of(data_copy), sheet="resultat", row=row, column="insats_id")
    assert p.value == "finns-inte" and "insatser" in p.expected


def test_dangling_crosswalk_theme(data_copy):
    row = edit_cell(
        data_copy / "koppling.xlsx", "koppling", "tema_id", "T99", where=("insats_id", "mhfa")
    )
    p = only(problems_of(data_copy), file="koppling.xlsx", row=row, column="tema_id")
    assert p.value == "T99" and "teman" in p.expected


def test_negative_count(data_copy):
    row = edit_cell(data_copy / INS, "resultat", "varde", -5, where=("resultat_id", "act-r01"))
    p = only(problems_of(data_copy), sheet="resultat", row=row, column="varde")
    assert p.value == -5 and "negativt" in p.expected


def test_share_outside_0_100(data_copy):
    from report_utils.model import load_dataset as ld

    res = ld(data_copy).resultat
    rid = res.loc[res["enhet"] == "procent", "resultat_id"].iloc[0]
    row = edit_cell(data_copy / INS, "resultat", "varde", "123 %", where=("resultat_id", rid))
    p = only(problems_of(data_copy), sheet="resultat", row=row, column="varde")
    assert p.value == 123 and "0 och 100" in p.expected


def test_indicator_value_share_and_count_rules(data_copy):
    path = data_copy / "2026/indikatorvarden.xlsx"
    r1 = edit_cell(path, "varden", "varde", "120 %", where=("indikator_id", "T12-K1"))
    r2 = edit_cell(path, "varden", "varde", "-3", where=("indikator_id", "T23-K3"))
    r3 = edit_cell(path, "varden", "varde", "kanske", where=("indikator_id", "T02-K1"))
    problems = problems_of(data_copy)
    assert "0 och 100" in only(problems, sheet="varden", row=r1, column="varde").expected
    assert "negativt" in only(problems, sheet="varden", row=r2, column="varde").expected
    assert "'ja' eller 'nej'" in only(problems, sheet="varden", row=r3, column="varde").expected


def test_missing_sheet(data_copy):
    from openpyxl import load_workbook

    book = load_workbook(data_copy / INS)
    book["resultat"].title = "Resultat 2019"
    book.save(data_copy / INS)
    p = only(problems_of(data_copy), file=INS, sheet="resultat")
    assert "bladet 'resultat' saknas" in p.expected and "'Resultat 2019'" in p.expected


def test_missing_column(data_copy):
    edit_cell(data_copy / INS, "resultat", "enhet", "Enhet", row=1)
    p = only(problems_of(data_copy), file=INS, sheet="resultat", column="enhet")
    assert p.row == 1 and "kolumnen 'enhet' saknas i bladet 'resultat'" in p.expected
    assert "'Enhet'" in p.expected  # the columns that are there, to spot the typo


def test_required_cell_empty(data_copy):
    row = edit_cell(data_copy / MAL, "indikatorer", "text", None, where=("indikator_id", "T23-K3"))
    p = only(problems_of(data_copy), file=MAL, sheet="indikatorer", row=row, column="text")
    assert p.expected == "ett värde krävs (cellen får inte vara tom)"


def test_not_an_xlsx(data_copy):
    (data_copy / "koppling.xlsx").write_text("det här är ingen excelfil", "utf-8")
    p = only(problems_of(data_copy), file="koppling.xlsx")
    assert "ingen giltig Excel-fil" in p.expected


def test_theme_status_must_match_indicator_rows(data_copy):
    row = edit_cell(
        data_copy / MAL, "teman", "langsiktiga_indikatorer", "saknas", where=("tema_id", "T23")
    )
    p = only(problems_of(data_copy), sheet="teman", row=row, column="langsiktiga_indikatorer")
    assert p.value == "saknas"
    assert "bladet 'indikatorer' har rader med horisont 'lång'" in p.expected
    assert "ange 'finns'" in p.expected


def test_all_problems_are_reported_together(data_copy):
    edit_cell(data_copy / INS, "resultat", "varde", "x", where=("resultat_id", "act-r01"))
    edit_cell(data_copy / INS, "ansvar", "ansvariga", "ABC", where=("insats_id", "esl"))
    edit_cell(data_copy / MAL, "teman", "delmal", "9", where=("tema_id", "T01"))
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_copy)
    assert len(info.value.problems) == 3
    assert str(info.value).startswith("3 problem i indata:")


@pytest.mark.parametrize("text", ["1 100", "1\u00a0100", "1100"])
def test_swedish_numbers_are_accepted(data_copy, text):
    row = edit_cell(data_copy / INS, "resultat", "varde", text, where=("resultat_id", "act-r01"))
    ds, problems = collect(data_copy)
    assert problems == []
    assert ds.resultat.loc[ds.resultat["_rad"] == row, "varde"].iloc[0] == 1100


def test_validate_command_exit_codes_and_no_traceback(data_copy, capsys):
    assert main(["validate", "--data-dir", str(data_copy)]) == 0
    assert "OK" in capsys.readouterr().out
    edit_cell(data_copy / INS, "resultat", "varde", "tolv", where=("resultat_id", "act-r01"))
    (data_copy / "koppling.xlsx").write_bytes(b"PK\x03\x04 trasig")
    assert main(["validate", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "2 problem" in err and "koppling.xlsx" in err and "'tolv'" in err
    assert "Traceback" not in err


def test_validate_as_a_subprocess_prints_no_traceback(data_copy):
    (data_copy / "referens.xlsx").unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "report_utils", "validate", "--data-dir", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "referens.xlsx" in proc.stderr and "filen saknas" in proc.stderr
    assert "Traceback" not in proc.stderr


VARDEN = "2026/indikatorvarden.xlsx"


def _append_value_row(path, **cells) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book["varden"]
    cols = {c.value: c.column for c in ws[1]}
    row = ws.max_row + 1
    for name, value in cells.items():
        ws.cell(row, cols[name]).value = value
    book.save(path)
    return row


def test_value_on_the_row_of_a_department_not_responsible_is_an_error(data_copy):
    # T12-K1 is SOF's alone: a value typed on a VOF row would show in no report
    row = _append_value_row(
        data_copy / VARDEN, indikator_id="T12-K1", forvaltning="VOF", varde=12, kommentar="x"
    )
    problems = problems_of(data_copy)
    p = only(problems, file=VARDEN, sheet="varden", row=row, column="varde")
    assert p.value == "12"
    assert "förvaltningen VOF är inte ansvarig för indikatorn T12-K1" in p.expected
    assert "2026/mal.xlsx" in p.expected and "ansvariga: SOF" in p.expected
    only(problems, file=VARDEN, sheet="varden", row=row, column="kommentar")
    # a blank row of a non-responsible department loses nothing and is no error
    _append_value_row(data_copy / VARDEN, indikator_id="T12-K2", forvaltning="VOF")
    assert len(problems_of(data_copy)) == 2


def test_percent_formatted_value_is_read_as_excel_shows_it(data_copy):
    path = data_copy / VARDEN
    row = edit_cell(path, "varden", "varde", 0.235, where=("indikator_id", "T12-K1"))
    from openpyxl import load_workbook

    ws = load_workbook(path)["varden"]
    assert "%" in ws.cell(row, header_index(ws)["varde"]).number_format  # as generated
    ds, problems = collect(data_copy)
    assert problems == []
    varden = ds.goals[2026].varden
    assert varden.loc[varden["_rad"] == row, "varde"].iloc[0] == 23.5


def test_unit_shown_beside_the_value_must_match_mal(data_copy):
    row = edit_cell(
        data_copy / VARDEN, "varden", "enhet", "antal", where=("indikator_id", "T12-K1")
    )
    p = only(problems_of(data_copy), file=VARDEN, row=row, column="enhet")
    assert p.value == "antal" and "'andel'" in p.expected and "rebuild-values 2026" in p.expected


def test_formula_without_a_saved_result_in_the_values_workbook(data_copy):
    row = edit_cell(data_copy / VARDEN, "varden", "varde", "=2*3", where=("indikator_id", "T23-K3"))
    p = only(problems_of(data_copy), file=VARDEN, row=row, column="varde")
    assert p.value == "=2*3" and "öppna och spara filen i Excel" in p.expected


def test_comparison_value_out_of_range(data_copy):
    row = edit_cell(
        data_copy / VARDEN, "varden", "jamforelsevarde", "130 %", where=("indikator_id", "T12-K1")
    )
    p = only(problems_of(data_copy), file=VARDEN, row=row, column="jamforelsevarde")
    assert p.value == 130 and "0 och 100" in p.expected


def test_validation_does_not_change_the_sheet_it_checks(data_copy):
    from report_utils import schemas as S
    from report_utils import validation as V
    from report_utils.loading import read_workbook

    edit_cell(data_copy / VARDEN, "varden", "varde", "23,5 %", where=("indikator_id", "T12-K1"))
    sheets, _ = read_workbook(data_copy / VARDEN, S.INDIKATORVARDEN)
    varden = sheets["varden"]
    before = varden.frame.copy()
    indikatorer = load_dataset(data_copy).goals[2026].indikatorer
    parsed, problems = V.parse_indicator_values(varden, indikatorer, 2026)
    assert problems == [] and V.check_indicator_values(varden, indikatorer, 2026) == []
    assert varden.frame.equals(before)  # still the text as typed
    assert "23,5 %" in set(varden.frame["varde"])
    assert 23.5 in set(parsed["varde"])
