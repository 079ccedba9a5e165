"""Reading the xlsx workbooks into typed tables, remembering each row's Excel row number.

Cells are parsed by the kind their schema column declares (:mod:`report_utils.schemas`);
what cannot be parsed becomes a :class:`~report_utils.errors.Problem`, never an exception,
so that one run reports every problem in the data.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
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
# a formula element in a worksheet's XML (<f>, <f t="shared" …/>, or with a namespace prefix)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# parts of an Excel number format that are shown literally, not interpreted
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')

FORMULA_WITHOUT_VALUE = (
    "en formel utan sparat resultat (filen är sparad av ett annat program än Excel); "
    "öppna och spara filen i Excel, eller skriv in värdet i stället för formeln"
)


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


def is_percent_format(number_format: object) -> bool:
    """Whether an Excel number format shows a cell in percent (``0%``, ``0.0 %`` …).

    Excel stores such a cell as a fraction (23,5 % is 0.235) and multiplies by 100 to show
    it; a ``%`` inside quotes, after a backslash or in ``[…]`` is literal text and does not.
    """
    if not isinstance(number_format, str) or "%" not in number_format:
        return False
    return "%" in _FORMAT_LITERALS.sub("", number_format)


def percent_points(value: int | float) -> float:
    """A fraction shown in percent as the number of percent Excel shows: 0.235 → 23.5.

    Goes through the shortest decimal form of the float, so 0.235 gives exactly 23.5
    (plain ``0.235 * 100`` is 23.499999999999996).
    """
    return float(Decimal(repr(float(value))) * 100)


def swedish_decimal(value: float) -> str:
    """A number as Swedes write it without grouping: 23.5 → ``23,5``, 23.0 → ``23``."""
    text = f"{Decimal(repr(float(value))):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "\u2212")


def cell_value(cell) -> object:
    """What a cell shows, for the parsers: a number in a percent-formatted cell becomes the
    percent Excel shows — as text ``23,5 %`` (read by :func:`parse_number` as 23.5), so that a
    text column keeps what the user saw and a number column gets the share in percent units.
    """
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value  # not NaN
        and is_percent_format(getattr(cell, "number_format", None))
    ):
        return f"{swedish_decimal(percent_points(value))} %"
    return value


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


def uncached_formulas(path: Path | bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Cells holding a formula but no saved result, per sheet: ``{(row, column): formula}``.

    Excel saves each formula's last result beside it and openpyxl (``data_only``) reads that;
    files written by other tools often have the formula only, which would read as blank.
    Cheap when there are no formulas at all (the common case): the sheets' XML is scanned
    for a formula element before anything is parsed a second time.
    """
    from openpyxl import load_workbook

    def source():  # the file, or the file's bytes (each reader its own stream)
        return io.BytesIO(path) if isinstance(path, bytes) else path

    with zipfile.ZipFile(source()) as archive:
        parts = [
            n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")
        ]
        if not any(_FORMULA_TAG.search(archive.read(n)) for n in parts):
            return {}
    formulas = load_workbook(source(), read_only=True, data_only=False)
    results = load_workbook(source(), read_only=True, data_only=True)
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for name in formulas.sheetnames:
            rows_f = formulas[name].iter_rows()
            rows_v = results[name].iter_rows()
            for row_f, row_v in zip(rows_f, rows_v, strict=False):
                for cell_f, cell_v in zip(row_f, row_v, strict=False):
                    if getattr(cell_f, "data_type", None) == "f" and cell_v.value is None:
                        formula = cell_f.value
                        text = getattr(formula, "text", formula)  # ArrayFormula
                        found.setdefault(name, {})[(cell_f.row, cell_f.column)] = str(text)
    finally:
        formulas.close()
        results.close()
    return found


def read_workbook(
    path: Path, workbook: S.Workbook, label: str | None = None
) -> tuple[dict[str, LoadedSheet], list[Problem]]:
    """Read every declared sheet of one xlsx file; problems instead of exceptions."""
    label = label or path.name
    content, problem = file_bytes(path, label)
    if problem is not None:
        return {}, [problem]
    return parse_workbook(content, workbook, label)


def file_bytes(path: Path, label: str) -> tuple[bytes | None, Problem | None]:
    """The bytes of a data file, or the problem that it is missing or cannot be read."""
    if not path.is_file():
        return None, Problem(label, expected="filen saknas; den ska finnas i datamappen")
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, _not_an_xlsx(label, exc)


def _not_an_xlsx(label: str, exc: Exception) -> Problem:
    return Problem(
        label, expected=f"filen är ingen giltig Excel-fil (.xlsx): {exc.__class__.__name__}"
    )


def parse_workbook(
    content: bytes, workbook: S.Workbook, label: str
) -> tuple[dict[str, LoadedSheet], list[Problem]]:
    """Every declared sheet of an xlsx file's bytes (``label``: the file, for messages)."""
    from openpyxl import load_workbook

    problems: list[Problem] = []
    try:
        uncached = uncached_formulas(content)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return {}, [_not_an_xlsx(label, exc)]
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
            loaded = _read_sheet(
                book[spec.name], workbook, spec, label, uncached.get(spec.name, {})
            )
            sheets[spec.name] = loaded
            problems.extend(loaded.problems)
    finally:
        book.close()
    return sheets, problems


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def _read_sheet(
    ws,
    workbook: S.Workbook,
    spec: S.Sheet,
    label: str,
    uncached: dict[tuple[int, int], str] | None = None,
) -> LoadedSheet:
    problems: list[Problem] = []
    uncached = uncached or {}
    rows = ws.iter_rows()
    header_row = next(rows, None) or ()
    header = [parse_text(cell.value) for cell in header_row]
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
    for excel_row, cells in enumerate(rows, start=2):
        values = [cell_value(cell) for cell in cells]
        formulas = {
            col.name: uncached[(excel_row, positions[col.name] + 1)]
            for col in spec.columns
            if col.name in positions and (excel_row, positions[col.name] + 1) in uncached
        }
        if all(_blank(v) for v in values) and not formulas:
            continue
        record: dict = {ROW: excel_row}
        for col in spec.columns:
            pos = positions.get(col.name)
            raw = values[pos] if pos is not None and pos < len(values) else None
            if col.name in formulas:
                record[col.name] = None
                problems.append(
                    Problem(
                        label,
                        spec.name,
                        excel_row,
                        col.name,
                        formulas[col.name],
                        FORMULA_WITHOUT_VALUE,
                    )
                )
                continue
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
