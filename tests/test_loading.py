"""Cell parsers: Swedish number formats, lists of codes, dates; blank is unknown, never 0."""

from __future__ import annotations

import datetime as dt

import pytest

from report_utils import schemas as S
from report_utils.loading import (
    CellError,
    is_percent_format,
    parse_codes,
    parse_date,
    parse_enum,
    parse_id,
    parse_int,
    parse_intlist,
    parse_number,
    parse_text,
    percent_points,
    read_workbook,
    uncached_formulas,
)
from report_utils.workbooks import write_workbook


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 100", 1100),
        ("1\u00a0100", 1100),
        ("1\u202f100", 1100),
        ("23,5", 23.5),
        ("23 %", 23),
        ("23,5 %", 23.5),
        ("−5", -5),
        (7, 7),
        (2.5, 2.5),
        ("0", 0),
    ],
)
def test_parse_number_accepts_swedish_formats(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan")])
def test_blank_number_is_unknown_not_zero(raw):
    assert parse_number(raw) is None


@pytest.mark.parametrize("raw", ["ca 100", "12 st", "1,2,3", True, "x"])
def test_parse_number_rejects_text(raw):
    with pytest.raises(CellError):
        parse_number(raw)


def test_parse_int():
    assert parse_int("2 018") == 2018
    with pytest.raises(CellError):
        parse_int("2,5")


def test_parse_codes_lists_and_normalises():
    assert parse_codes("sof, VOF") == ("SOF", "VOF")
    assert parse_codes("SOF och VOF") == ("SOF", "VOF")
    assert parse_codes(None) is None
    with pytest.raises(CellError):
        parse_codes("Socialförvaltningen")


def test_parse_intlist():
    assert parse_intlist("1, 3,4 och 5") == (1, 3, 4, 5)
    assert parse_intlist(2) == (2,)
    with pytest.raises(CellError):
        parse_intlist("ett")


def test_parse_date():
    assert parse_date(dt.datetime(2018, 10, 1)) == "2018-10-01"
    assert parse_date(2018) == "2018"
    assert parse_date("2018-10") == "2018-10"
    with pytest.raises(CellError):
        parse_date("1 oktober")


def test_parse_text_id_enum():
    assert parse_text("  hej ") == "hej"
    assert parse_text(3.0) == "3"
    assert parse_id("T07-K1") == "T07-K1"
    with pytest.raises(CellError):
        parse_id("../x")
    assert parse_enum("Ja") == "ja"


def test_read_workbook_keeps_excel_row_numbers(tmp_path):
    path = write_workbook(
        tmp_path / "k.xlsx",
        S.KOPPLING,
        {
            "koppling": [
                {
                    "koppling_id": "K1",
                    "insats_id": "a",
                    "relation": "fortsätter",
                    "motivering": "m",
                    "kalla_citat_2018": "c",
                },
                {},  # a blank row is skipped but still counts in Excel's numbering
                {
                    "koppling_id": "K2",
                    "insats_id": "b",
                    "relation": "ny form",
                    "motivering": "m",
                    "kalla_citat_2018": "c",
                },
            ]
        },
    )
    sheets, problems = read_workbook(path, S.KOPPLING)
    assert problems == []
    frame = sheets["koppling"].frame
    assert list(frame["_rad"]) == [2, 4]
    assert list(frame["koppling_id"]) == ["K1", "K2"]


@pytest.mark.parametrize(
    ("number_format", "percent"),
    [
        ("0%", True),
        ("0.0 %", True),
        ("0.00%", True),
        ("[Red]0.0%", True),
        ("General", False),
        ("#,##0", False),
        ('General" %"', False),  # a quoted % is text: the number is not scaled
        ("0\\%", False),
        (None, False),
    ],
)
def test_is_percent_format(number_format, percent):
    assert is_percent_format(number_format) is percent


def test_percent_points_is_exact():
    assert percent_points(0.235) == 23.5  # plain 0.235 * 100 is 23.499999999999996
    assert percent_points(0.1) == 10 and percent_points(1) == 100


def _sheet_with(tmp_path, cells: dict[str, tuple[object, str]]):
    """An xlsx with sheet 'resultat' of INSATSER, one data row, the given cells and formats."""
    from openpyxl import load_workbook

    path = write_workbook(tmp_path / "i.xlsx", S.INSATSER, {"resultat": [{"resultat_id": "r1"}]})
    book = load_workbook(path)
    ws = book["resultat"]
    cols = {c.value: c.column_letter for c in ws[1]}
    for column, (value, number_format) in cells.items():
        ws[f"{cols[column]}2"].value = value
        ws[f"{cols[column]}2"].number_format = number_format
    book.save(path)
    return path


def test_percent_formatted_cell_is_read_as_excel_shows_it(tmp_path):
    path = _sheet_with(
        tmp_path,
        {"varde": (0.235, "0.0%"), "varde_max": (0.5, "0%"), "matt": (0.125, "0.0 %")},
    )
    sheets, _problems = read_workbook(path, S.INSATSER)
    rec = sheets["resultat"].frame.iloc[0]
    assert rec["varde"] == 23.5 and rec["varde_max"] == 50  # numbers: percent units
    assert rec["matt"] == "12,5 %"  # text: what the user saw


def test_formula_without_a_saved_result_is_a_located_problem(tmp_path):
    path = _sheet_with(tmp_path, {"varde": ("=1+1", "General")})
    column = S.INSATSER.sheet("resultat").column_names.index("varde") + 1
    assert uncached_formulas(path) == {"resultat": {(2, column): "=1+1"}}
    _sheets, problems = read_workbook(path, S.INSATSER)
    (p,) = [p for p in problems if p.column == "varde"]
    assert p.row == 2 and p.value == "=1+1" and "öppna och spara filen i Excel" in p.expected


def test_no_formulas_means_no_second_read(tmp_path):
    path = _sheet_with(tmp_path, {"varde": (12, "General")})
    assert uncached_formulas(path) == {}


# -- reading the same bytes again (model.read_checked) ---------------------------------------
def _koppling(path, motivering="m", relation="fortsätter"):
    row = {"koppling_id": "K1", "insats_id": "a", "relation": relation, "kalla_citat_2018": "c"}
    return write_workbook(path, S.KOPPLING, {"koppling": [{**row, "motivering": motivering}]})


def test_a_workbook_changed_on_disk_is_read_again_even_with_its_old_size_and_time(tmp_path):
    import os

    from report_utils.model import read_checked

    path = _koppling(tmp_path / "k.xlsx", motivering="före")
    first, _ = read_checked(path, S.KOPPLING, "k.xlsx")
    stat = path.stat()
    _koppling(path, motivering="efter")  # the same length of text, so much the same file
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second, _ = read_checked(path, S.KOPPLING, "k.xlsx")
    assert first["koppling"].frame.at[0, "motivering"] == "före"
    assert second["koppling"].frame.at[0, "motivering"] == "efter"


def test_a_workbook_read_again_gives_its_own_frames_and_the_same_located_problems(tmp_path):
    from report_utils.model import read_checked

    path = _koppling(tmp_path / "k.xlsx", relation="kanske")  # not one of the relations
    first, problems = read_checked(path, S.KOPPLING, "k.xlsx")
    (bad,) = problems
    assert (bad.file, bad.sheet, bad.row, bad.column, bad.value) == (
        "k.xlsx",
        "koppling",
        2,
        "relation",
        "kanske",
    )
    first["koppling"].frame.at[0, "motivering"] = "ändrad av den som läste"
    problems.clear()
    again, problems_again = read_checked(path, S.KOPPLING, "k.xlsx")
    assert again["koppling"].frame.at[0, "motivering"] == "m"
    assert problems_again == [bad]
    # the same bytes under another name: the messages name that file
    (other,) = read_checked(path, S.KOPPLING, "annan.xlsx")[1]
    assert other.file == "annan.xlsx" and other.row == 2
