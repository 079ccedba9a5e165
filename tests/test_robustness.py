"""Spreadsheet text never changes meaning or breaks a report: whatever an analyst types in a
text cell either passes `validate` and shows as written, or is refused by `validate` first."""

from __future__ import annotations

import html

from openpyxl import load_workbook

from report_utils import schemas as S
from report_utils.model import collect
from report_utils.report import Report

NASTY = [
    r"Kostnad 5 $ resp. 10 $",
    r"$\href{javascript:alert(1)}{x}$",
    "{{ 7*7 }} {% if true %}x{% endif %}",
    "<script>alert(1)</script> & <b>fet</b>",
    "Ärende – “citat” ’apostrof’ … 😀 עברית",
    "x" * 3000,
    "nan",
    "None",
    "50 %",
]


def _fill_text_cells(path, workbook: S.Workbook, texts):
    """Put a nasty text in every plain-text cell (not ids, codes, numbers or enums)."""
    book = load_workbook(path)
    i = 0
    for sheet in workbook.sheets:
        if sheet.name not in book.sheetnames:
            continue
        ws = book[sheet.name]
        head = {c.value: c.column for c in ws[1]}
        text_cols = [
            head[c.name]
            for c in sheet.columns
            if c.kind == S.TEXT and c.name in head and not c.name.startswith("kalla")
        ]
        for row in range(2, ws.max_row + 1):
            for col in text_cols:
                if ws.cell(row, col).value not in (None, ""):
                    ws.cell(row, col).value = texts[i % len(texts)]
                    i += 1
    book.save(path)


def test_any_text_an_analyst_types_shows_as_written_and_breaks_no_report(data_copy):
    for wb in (S.INSATSER, S.KOPPLING):
        _fill_text_cells(data_copy / wb.path, wb, NASTY)
    _fill_text_cells(data_copy / "2026" / "mal.xlsx", S.MAL, NASTY)
    _ds, problems = collect(data_copy)
    assert problems == []  # text is text: nothing here is refused …
    shown = ""
    for department in ("ALLA", "SOF"):
        for year in (2018, 2019, 2026):
            shown += Report.build(department, year, data_copy).html()  # … and nothing breaks
    text = html.unescape(shown)
    assert "Kostnad 5 $ resp. 10 $" in text  # dollars stay dollars
    assert "<script>alert(1)</script>" in text and "<script>" not in shown  # shown, not run
    assert "{{ 7*7 }}" in text  # shown as typed, never evaluated as a template
    assert "😀" in text
