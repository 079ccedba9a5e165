"""Cell parsers: Swedish number formats, lists of codes, dates; blank is unknown, never 0."""

from __future__ import annotations

import datetime as dt

import pytest

from report_utils import schemas as S
from report_utils.loading import (
    CellError,
    parse_codes,
    parse_date,
    parse_enum,
    parse_id,
    parse_int,
    parse_intlist,
    parse_number,
    parse_text,
    read_workbook,
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
