"""Reading the xlsx workbooks into typed tables, remembering each row's Excel row number.

Cells are parsed by the kind their schema column declares (:mod:`report_utils.schemas`);
what cannot be parsed becomes a :class:`~report_utils.errors.Problem`, never an exception,
so that one run reports every problem in the data.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schemas as S
from .errors import Problem

ROW = "_rad"  # column holding the Excel row number of each record

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ID = re.compile(r"^[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö_\-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_INTLIST_SPLIT = re.compile(r"\s*(?:,|\boch\b|;)\s*")


class CellError(ValueError):
    """Raised by a cell parser when a cell does not hold what its column expects."""


def parse_number(value: object) -> float | None:
    """A number from an Excel cell, accepting Swedish formats.

    ``1 100`` (space or no-break space as thousands separator), ``23,5`` (decimal comma),
    ``23 %`` and ``−5`` (Unicode minus) are accepted. Blank gives ``None`` (unknown), never 0.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("ett tal, inte ett sanningsvärde")
    if isinstance(value, int | float):
        if value != value:  # NaN
            return None
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    text = _SPACES.sub("", text).replace("\u2212", "-").removesuffix("%")
    text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise CellError(S.KIND_EXPECTED[S.NUMBER])
    return float(text)


def parse_int(value: object) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if number != int(number):
        raise CellError(S.KIND_EXPECTED[S.INT])
    return int(number)


def parse_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip()
    return text or None


def parse_id(value: object) -> str | None:
    text = parse_text(value)
    if text is not None and not _ID.match(text):
        raise CellError(S.KIND_EXPECTED[S.ID])
    return text


def parse_codes(value: object) -> tuple[str, ...] | None:
    text = parse_text(value)
    if text is None:
        return None
    parts = [p.strip().upper() for p in re.split(r"[,;/]|\boch\b", text) if p.strip()]
    if not parts or any(not re.fullmatch(r"[A-ZÅÄÖ]{2,6}", p) for p in parts):
        raise CellError(S.KIND_EXPECTED[S.CODES])
    return tuple(dict.fromkeys(parts))


def parse_intlist(value: object) -> tuple[int, ...] | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (parse_int(value),)
    text = parse_text(value)
    if text is None:
        return None
    parts = [p for p in _INTLIST_SPLIT.split(text) if p]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise CellError(S.KIND_EXPECTED[S.INTLIST]) from None


def parse_date(value: object) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    text = parse_text(value)
    if text is not None and not _DATE.match(text):
        raise CellError(S.KIND_EXPECTED[S.DATE])
    return text


def parse_enum(value: object) -> str | None:
    text = parse_text(value)
    return text.lower() if text is not None else None


PARSERS = {
    S.TEXT: parse_text,
    S.ID: parse_id,
    S.INT: parse_int,
    S.NUMBER: parse_number,
    S.ENUM: parse_enum,
    S.CODES: parse_codes,
    S.INTLIST: parse_intlist,
    S.DATE: parse_date,
}


@dataclass
class LoadedSheet:
    """One sheet read and parsed: a DataFrame (with ``_rad``) and the problems found."""

    workbook: S.Workbook
    sheet: S.Sheet
    file: str  # path relative to the data directory, as shown in messages
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def workbook_path(data_dir: Path, workbook: S.Workbook, year: int | None = None) -> Path:
    rel = workbook.path.format(year=year) if workbook.per_year else workbook.path
    return Path(data_dir) / rel


def read_workbook(
    path: Path, workbook: S.Workbook, label: str | None = None
) -> tuple[dict[str, LoadedSheet], list[Problem]]:
    """Read every declared sheet of one xlsx file; problems instead of exceptions."""
    from openpyxl import load_workbook

    label = label or path.name
    problems: list[Problem] = []
    if not path.is_file():
        return {}, [Problem(label, expected="filen saknas; den ska finnas i datamappen")]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return {}, [
            Problem(
                label,
                expected=f"filen är ingen giltig Excel-fil (.xlsx): {exc.__class__.__name__}",
            )
        ]
    sheets: dict[str, LoadedSheet] = {}
    try:
        for spec in workbook.sheets:
            if spec.name not in book.sheetnames:
                problems.append(
                    Problem(
                        label,
                        spec.name,
                        expected=f"bladet '{spec.name}' saknas. Blad som finns: {book.sheetnames}",
                    )
                )
                continue
            loaded = _read_sheet(book[spec.name], workbook, spec, label)
            sheets[spec.name] = loaded
            problems.extend(loaded.problems)
    finally:
        book.close()
    return sheets, problems


def _read_sheet(ws, workbook: S.Workbook, spec: S.Sheet, label: str) -> LoadedSheet:
    problems: list[Problem] = []
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    header = [parse_text(h) for h in header_row]
    positions = {name: i for i, name in enumerate(header) if name}
    missing = [c for c in spec.column_names if c not in positions]
    for name in missing:
        problems.append(
            Problem(
                label,
                spec.name,
                1,
                name,
                expected=(
                    f"kolumnen '{name}' saknas i bladet '{spec.name}'. "
                    f"Kolumner som finns: {[h for h in header if h]}"
                ),
            )
        )
    records: list[dict] = []
    for excel_row, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record: dict = {ROW: excel_row}
        for col in spec.columns:
            pos = positions.get(col.name)
            raw = values[pos] if pos is not None and pos < len(values) else None
            try:
                record[col.name] = PARSERS[col.kind](raw)
            except CellError as exc:
                record[col.name] = None
                problems.append(
                    Problem(label, spec.name, excel_row, col.name, raw, f"väntade {exc}")
                )
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[ROW, *spec.column_names])
    frame = frame.astype(object).where(frame.notna(), None)
    return LoadedSheet(workbook, spec, label, frame, problems)
