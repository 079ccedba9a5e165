"""Writing workbooks the way analysts get them: the schema's columns, a bold frozen header,
readable widths, and a "Läs mig" sheet describing every column.

Used to create next year's workbooks (:mod:`report_utils.newyear`) and by the tests to
build spreadsheets; the loaders ignore the "Läs mig" sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from . import schemas as S

README_SHEET = "Läs mig"
_FIXED_TIME = dt.datetime(2026, 1, 1)  # fixed document times: same rows, same bytes


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return int(value)
    return value


def write_workbook(
    path: Path,
    workbook: S.Workbook,
    rows: Mapping[str, Iterable[Mapping[str, object]]],
    note: str = "",
) -> Path:
    """Write ``rows[sheet]`` (dicts keyed by column name) into an xlsx at ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in workbook.sheets:
        ws = book.create_sheet(sheet.name)
        ws.append(sheet.column_names)
        for record in rows.get(sheet.name, []):
            ws.append([_cell(record.get(c)) for c in sheet.column_names])
        for i, col in enumerate(sheet.columns, start=1):
            ws.cell(row=1, column=i).font = Font(bold=True)
            wide = col.name.startswith("kalla") or col.name in {"text", "beskrivning", "motivering"}
            ws.column_dimensions[get_column_letter(i)].width = (
                60 if wide else max(12, len(col.name) + 4)
            )
            if wide:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
    info = book.create_sheet(README_SHEET)
    info.append([workbook.doc])
    if note:
        info.append([note])
    info.append([])
    info.append(["blad", "kolumn", "krävs", "innehåll", "tillåtna värden"])
    for sheet in workbook.sheets:
        info.append([sheet.name, "", "", sheet.doc, ""])
        for col in sheet.columns:
            info.append(
                [sheet.name, col.name, "ja" if col.required else "nej", col.doc, col.expected]
            )
    info["A1"].font = Font(bold=True)
    for letter, width in zip("ABCDE", (18, 24, 8, 70, 50), strict=True):
        info.column_dimensions[letter].width = width
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "report_utils"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


DOCS_BEGIN = "<!-- sheets: generated from report_utils.schemas; do not edit by hand -->"
DOCS_END = "<!-- /sheets -->"


def markdown_docs() -> str:
    """Every workbook, sheet and column of :mod:`report_utils.schemas` as Markdown, for
    ``data/README.md`` (between :data:`DOCS_BEGIN` and :data:`DOCS_END`; a test keeps the
    README in step with the schemas)."""
    out = [DOCS_BEGIN, ""]
    for wb in S.WORKBOOKS:
        out += [f"### `{wb.path}`", "", wb.doc, ""]
        for sheet in wb.sheets:
            out += [f"#### Sheet `{sheet.name}`", "", sheet.doc, ""]
            out += ["| column | required | meaning | expected |", "|---|---|---|---|"]
            for col in sheet.columns:
                meaning = col.doc
                if col.unique:
                    meaning += " Unique."
                if col.ref is not None:
                    meaning += f" Must exist in `{col.ref.sheet}.{col.ref.column}`."
                out.append(
                    f"| `{col.name}` | {'yes' if col.required else 'no'} | {meaning} | "
                    f"{col.expected} |"
                )
            out.append("")
    out.append(DOCS_END)
    return "\n".join(out)


def update_readme(path: Path) -> bool:
    """Rewrite the generated part of ``data/README.md``; returns whether it changed."""
    text = Path(path).read_text("utf-8")
    start, end = text.index(DOCS_BEGIN), text.index(DOCS_END) + len(DOCS_END)
    new = text[:start] + markdown_docs() + text[end:]
    if new != text:
        Path(path).write_text(new, "utf-8")
    return new != text
