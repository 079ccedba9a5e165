"""Helpers for the collection-round tests: fill in a form as a department would, hash a tree."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

from report_utils.forms import FORM_SHEET, HEADER_ROW, META_SHEET, metadata_checksum


def tree_digest(path: Path) -> str:
    """One hash over every file (name and bytes) under ``path``."""
    h = hashlib.sha256()
    for p in sorted(Path(path).rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode() + p.read_bytes())
    return h.hexdigest()


def form_layout(ws) -> tuple[dict[str, str], dict[str, int]]:
    """The form's column letters by header, and its Excel rows by indicator id."""
    letters = {c.value: c.column_letter for c in ws[HEADER_ROW] if c.value}
    rows = {
        ws[f"{letters['Id']}{r}"].value: r
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws[f"{letters['Id']}{r}"].value
    }
    return letters, rows


def fill_form(path: Path, values: dict[tuple[str, str], object], out: Path | None = None) -> Path:
    """Type values into a form the way a department does in Excel (openpyxl keeps the cell's
    format, so a number typed into a percent cell is the fraction Excel stores).

    ``values[(indikator_id, header)]``: header is the form's column, e.g. "Värde 2026".
    A header not in the form is taken as a column letter (to write where one should not).
    """
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book[FORM_SHEET]
    letters, rows = form_layout(ws)
    for (indicator, header), value in values.items():
        letter = letters.get(header, header)
        ws[f"{letter}{rows[indicator]}"].value = value
    out = Path(out or path)
    book.save(out)
    return out


def copy_form(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    return dst


def forge_metadata(path: Path, changes: dict[str, object], checksum: bool = True) -> None:
    """Change keys of a form's hidden metadata (and, if ``checksum``, make it consistent)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book[META_SHEET]
    meta, rows, locked = {}, [], []
    for r in range(2, ws.max_row + 1):
        key = ws.cell(r, 1).value
        if key in changes:
            ws.cell(r, 2).value = changes[key]
        if key is not None:
            meta[key] = ws.cell(r, 2).value
        if ws.cell(r, 4).value is not None:
            rows.append([ws.cell(r, c).value for c in range(4, 9)])
        if ws.cell(r, 10).value is not None:
            locked.append([ws.cell(r, 10).value, ws.cell(r, 11).value])
    if checksum:
        new = metadata_checksum(meta, rows, locked)
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == "kontrollsumma":
                ws.cell(r, 2).value = new
    book.save(path)


def add_cached_value(path: Path, sheet_index: int, coordinate: str, cached: str) -> None:
    """Give a formula cell a saved result, as Excel does when it saves (openpyxl cannot)."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = parts[name].decode("utf-8")
    pattern = re.compile(rf'(<c r="{coordinate}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>')
    xml, n = pattern.subn(rf"\1<v>{cached}</v>", xml)
    assert n == 1, f"no formula cell {coordinate} in {name}"
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for filename, data in parts.items():
            out.writestr(filename, data)
