"""explore.export: what the filters find, written to Excel and CSV and read back as a user's
spreadsheet program would (openpyxl for the workbook, the csv module for the CSV files)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import edit_cell
from report_utils import explore as E
from report_utils import explore_export as X
from report_utils.errors import ParameterError
from report_utils.model import load_dataset

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "data")


def sheet(book, name) -> tuple[list, list[dict]]:
    rows = list(book[name].iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:]]


def test_excel_export_holds_the_filtered_tables_with_swedish_headers(ds, tmp_path):
    filters = {"department": "SOF", "year": 2019, "target_group": "medarbetare och personal"}
    written = E.export(ds, tmp_path / "urval.xlsx", insats_id="mhfa", **filters)
    assert written == [tmp_path / "urval.xlsx"]
    book = load_workbook(written[0])
    assert book.sheetnames == [
        "Urval",
        "Insatser",
        "Resultat",
        "Vald insats",
        "Vald insats resultat",
        "Vald insats 2026",
    ]
    inits = E.filter_initiatives(ds, **filters)
    results = E.filter_results(ds, **filters)
    header, rows = sheet(book, "Insatser")
    assert header == X.INITIATIVE_HEADERS
    assert [r["Kod"] for r in rows] == list(inits["insats_id"])
    header, rows = sheet(book, "Resultat")
    assert header == X.RESULT_HEADERS
    assert [r["Resultatkod"] for r in rows] == list(results["resultat_id"])
    assert all(r["År"] == 2019 for r in rows)
    _h, choice = sheet(book, "Urval")
    said = {r["Fält"]: r["Värde"] for r in choice}
    assert said["Förvaltning"] == "SOF – socialförvaltningen"
    assert said["År"] == 2019
    assert said["Målgrupp"] == "medarbetare och personal"
    assert said["Antal insatser"] == len(inits) and said["Antal resultat"] == len(results)
    assert said["Vald insats"].endswith("(mhfa)")


def test_excel_numbers_are_numbers_and_kinds_and_sources_are_labelled(ds, tmp_path):
    path = E.export(ds, tmp_path / "alla.xlsx")[0]
    book = load_workbook(path)
    _h, rows = sheet(book, "Resultat")
    assert len(rows) == len(ds.resultat)
    by_id = {r["Resultatkod"]: r for r in rows}
    mhfa = by_id["mhfa-r01"]
    assert mhfa["Värde"] == 150 and isinstance(mhfa["Värde"], int)
    assert isinstance(mhfa["År"], int)
    assert mhfa["Slag av siffra"] == "uppnått" and mhfa["Nyckeltal"] == "ja"
    assert mhfa["Insats"] == "Första hjälpen vid psykisk ohälsa hos äldre, vuxna, barn"
    assert mhfa["Citat ur källan"] == "Under 2018 har 150 personer gått utbildningen."
    assert mhfa["Källa"] == ds.document_title(E.SOURCE_2018) and mhfa["Avsnitt"]
    assert by_id["jps-ips-r04"]["Slag av siffra"] == "2012–2018 sammanlagt"
    assert by_id["jps-ips-r04"]["Nyckeltal"] == "nej"
    assert by_id["act-r03"]["Slag av siffra"] == "planerat"
    assert by_id["pshout-gofar-r01"]["Kvalifikator"] == "ca"
    assert by_id["pshout-gofar-r01"]["Värde som i källan"] == "ca\u00a0300"
    missing = by_id["cm-team-r06"]
    assert missing["Värde"] is None and missing["Värde som i källan"] == "uppgift saknas"
    for r in rows:  # never a number stored as text
        assert r["Värde"] is None or isinstance(r["Värde"], int | float), r
    ws = book["Resultat"]
    col = X.RESULT_HEADERS.index("Värde") + 1
    assert ws.cell(row=2, column=col).data_type == "n"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    _h, inits = sheet(book, "Insatser")
    assert len(inits) == len(ds.insatser)
    assert all(isinstance(r["Fokusområde"], int) for r in inits)


def test_excel_record_sheets_give_the_answer_and_corrected_2026_evidence(ds, tmp_path):
    book = load_workbook(E.export(ds, tmp_path / "mhfa.xlsx", insats_id="mhfa")[0])
    _h, facts = sheet(book, "Vald insats")
    assert facts[0] == {"Fält": "Svar", "Värde": E.answer_line(ds, "mhfa")}
    _h, results = sheet(book, "Vald insats resultat")
    assert [r["Resultatkod"] for r in results] == ["mhfa-r01", "mhfa-r02"]
    header, succ = sheet(book, "Vald insats 2026")
    assert header == X.SUCCESSOR_HEADERS
    k11 = next(r for r in succ if r["Tema"] == "T01")
    assert k11["Belägg 2026 (rättad text)"] == (
        "Ambition att erbjuda MHFA till allmänheten under Skåneveckan 2026."
    )
    assert k11["Belägg 2026, inskannad text, å/ä/ö kan vara fel"] == (
        "Ambition att erbjuda MHFA till allmdnheten under Skaneveckan 2026."
    )


def test_a_decimal_stays_a_number_in_excel_and_has_a_decimal_comma_in_csv(tmp_path, data_copy):
    edit_cell(
        data_copy / "insatser_2018-2019.xlsx",
        "resultat",
        "varde",
        12.5,
        where=("resultat_id", "act-r01"),
    )
    ds = load_dataset(data_copy)
    book = load_workbook(E.export(ds, tmp_path / "d.xlsx", text="ACT")[0])
    _h, rows = sheet(book, "Resultat")
    act = next(r for r in rows if r["Resultatkod"] == "act-r01")
    assert act["Värde"] == 12.5
    files = E.export(ds, tmp_path / "d.csv", text="ACT")
    results = next(p for p in files if p.name == "d-resultat.csv")
    rows = list(
        csv.DictReader(io.StringIO(results.read_bytes().decode("utf-8-sig")), delimiter=";")
    )
    assert next(r for r in rows if r["Resultatkod"] == "act-r01")["Värde"] == "12,5"


def test_csv_is_semicolon_separated_utf8_with_bom_for_swedish_excel(ds, tmp_path):
    files = E.export(ds, tmp_path / "sof.csv", department="SOF", insats_id="mhfa")
    assert [p.name for p in files] == [
        "sof-urval.csv",
        "sof-insatser.csv",
        "sof-resultat.csv",
        "sof-vald-insats.csv",
        "sof-vald-insats-resultat.csv",
        "sof-efterfoljare-2026.csv",
    ]
    raw = (tmp_path / "sof-resultat.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, "förvaltning" intact
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert list(rows[0]) == X.RESULT_HEADERS
    assert [r["Resultatkod"] for r in rows] == list(
        E.filter_results(ds, department="SOF")["resultat_id"]
    )
    mhfa = next(r for r in rows if r["Resultatkod"] == "mhfa-r02")
    assert mhfa["Värde"] == "291" and mhfa["Slag av siffra"] == "uppnått"
    inits = list(
        csv.DictReader(
            io.StringIO((tmp_path / "sof-insatser.csv").read_text("utf-8-sig")), delimiter=";"
        )
    )
    assert len(inits) == len(E.filter_initiatives(ds, department="SOF"))


def test_export_refuses_bad_filters_and_formats_before_writing(ds, tmp_path):
    with pytest.raises(ParameterError, match="okänd förvaltning 'XYZ'; giltiga: ALLA"):
        E.export(ds, tmp_path / "x.xlsx", department="XYZ")
    with pytest.raises(ParameterError, match="okänd målgrupp 'barn'; giltiga: barn och unga"):
        E.export(ds, tmp_path / "x.xlsx", target_group="barn")
    with pytest.raises(E.UnknownInitiativeError, match="okänd insats 'mhfaa'"):
        E.export(ds, tmp_path / "x.xlsx", insats_id="mhfaa")
    with pytest.raises(
        ParameterError, match=r"okänt filformat '\.pdf' för x\.pdf; giltiga: \.xlsx"
    ):
        E.export(ds, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_file_stem_says_what_was_exported():
    assert X.file_stem() == "insatser-2018-2019"
    assert (
        X.file_stem(department="SOF", year=2019, target_group="barn och unga", insats_id="mhfa")
        == "insatser-2018-2019_SOF_2019_barn-och-unga_mhfa"
    )
    assert X.file_stem(department="ALLA", text="Första hjälpen") == (
        "insatser-2018-2019_forsta-hjalpen"
    )


def test_the_readme_example_runs(tmp_path, monkeypatch):
    """The explorer section's Python example, as a user would paste it."""
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Exploring historical outcomes") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "explore.export(" in code
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    book = load_workbook(tmp_path / "urval.xlsx")
    assert "Vald insats" in book.sheetnames
