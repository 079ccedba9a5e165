"""The collection round: reading returned forms, checking them, merging them into the
values workbook, and the round's status.

``python -m report_utils collect 2026 inkomna/`` reads every returned form (any file
name: a form identifies itself by its hidden metadata, see :mod:`report_utils.forms`),
checks them all and lists every problem at once — file, sheet, Excel row, column, value,
what was expected — and only when there is none writes ``data/2026/indikatorvarden.xlsx``
in one step (a temporary file renamed over the old one). Refused, writing nothing:

- a file that is not a form, a form of another version, or for another year;
- a form whose rows belong to another department than its metadata claims;
- an edited id, locked cell or metadata, content outside the form's cells, extra sheets;
- a value out of range for its unit, or a formula without a saved result;
- a value for an indicator the department no longer reports on (``mal.xlsx`` changed);
- two forms of the same department with different values in the same cell;
- a value that would overwrite a different value already in the workbook (unless
  ``replace``; what was replaced is listed and recorded in the sheet ``inlamningar``).

A blank input cell changes nothing. Every collected form is recorded in the values
workbook's sheet ``inlamningar`` (department, file, checksum, time, number of values):
that is what "returned" means in :func:`round_status`.

:func:`rebuild_values_workbook` writes the values workbook anew from the year's
``mal.xlsx`` (rows, units, targets, input rules) keeping every value, comment, extra
column and log row; ``collect`` uses it to write, and ``rebuild-values`` runs it alone
after ``mal.xlsx`` was edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import schemas as S
from . import validation as V
from .errors import DataValidationError, ParameterError, Problem, ReportError
from .forms import (
    FORM_KIND,
    FORM_SHEET,
    FORM_VERSION,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    form_columns,
    metadata_checksum,
)
from .loading import (
    FORMULA_WITHOUT_VALUE,
    CellError,
    cell_value,
    parse_number,
    parse_text,
    read_workbook,
    uncached_formulas,
    workbook_path,
)
from .model import Dataset, load_dataset
from .model import collect as collect_dataset
from .workbooks import VALUE_INPUTS, excel_value, values_row, write_values_workbook

MAX_FORM_BYTES = 20 * 1024 * 1024
LOG_SHEET = "inlamningar"
NOT_A_FORM = (
    "filen är inget insamlingsformulär (det dolda bladet '_metadata' saknas eller är "
    "oläsligt); använd formulären från `python -m report_utils forms`"
)
SEE_FORMS = "skapa ett nytt formulär med `python -m report_utils forms {year}`"


UNSAFE_XML = (
    "filen innehåller XML-entiteter (kan användas för attacker) och läses inte av "
    "säkerhetsskäl; spara formuläret på nytt i Excel"
)


def _unsafe_xml(exc: BaseException | None) -> bool:
    """Whether defusedxml (which openpyxl uses when installed) refused the file's XML."""
    from defusedxml import DefusedXmlException

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


# -- reading one returned form ------------------------------------------------------------------
@dataclass(frozen=True)
class FormValue:
    """One filled-in cell of a returned form, parsed by the indicator's unit."""

    indikator_id: str
    column: str  # varde, jamforelsevarde or kommentar
    value: object
    row: int  # Excel row in the form
    header: str  # the form's column, e.g. "Värde 2026 (K)"
    raw: object = None  # the cell as the department typed it (shown in messages)


@dataclass
class ReturnedForm:
    """A returned form that passed every check."""

    label: str  # the file as the user named it
    department: str
    year: int
    version: int
    checksum: str  # of the file's bytes
    values: list[FormValue] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return sum(1 for v in self.values if v.column == "varde")


def file_checksum(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def show(value: object, unit: str | None = None) -> str:
    """A parsed value in a message, the Swedish way: ``1 100``, ``23,5 %``, ``'ja'``."""
    from . import formatting as F

    if isinstance(value, int | float) and not isinstance(value, bool):
        return F.percent(value, 4) if unit == "andel" else F.number(value, 4)
    return repr(value)


def _same(a: object, b: object) -> bool:
    """Equal as values: numbers within rounding, text exactly (after trimming)."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return str(a).strip() == str(b).strip()


def _read_metadata(book) -> tuple[dict, list[list], list[list]]:
    """The form's metadata: key/values (A:B), data rows (D:H), locked cells (J:K)."""
    ws = book[META_SHEET]
    meta: dict = {}
    rows: list[list] = []
    locked: list[list] = []
    for values in ws.iter_rows(min_row=2, values_only=True):
        values = list(values) + [None] * (11 - len(values))
        if values[0] is not None:
            meta[str(values[0])] = values[1]
        if values[3] is not None:
            rows.append(values[3:8])
        if values[9] is not None:
            locked.append(values[9:11])
    return meta, rows, locked


def _header(columns, key: str) -> str:
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(columns, start=1):
        if col.key == key:
            return f"{col.header} ({get_column_letter(i)})"
    return key


def read_form_cells(path: Path) -> bool:
    """Whether a form on disk has any input cell filled in (used before overwriting it)."""
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)
    _meta, rows, _locked = _read_metadata(book)
    ws = book[FORM_SHEET]
    year = int(_meta["ar"])
    letters = _input_letters(form_columns(year))
    return any(ws[f"{letters[key]}{int(r[0])}"].value is not None for r in rows for key in letters)


def _input_letters(columns) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1) if c.input}


def read_form(
    path: Path, year: int, ds: Dataset, label: str | None = None
) -> tuple[ReturnedForm | None, list[Problem]]:
    """Read and check one returned form against the current data; every problem, located.

    The form is ``None`` when it cannot be read as this year's form at all (not a form,
    edited metadata, another year, …); otherwise it holds the values that passed, and the
    problems list the rest — so that one run reports every problem of every form.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    label = label or str(path)
    path = Path(path)
    fail = lambda expected: (None, [Problem(label, expected=expected)])  # noqa: E731
    if not path.is_file():
        return fail("filen finns inte")
    if path.stat().st_size > MAX_FORM_BYTES:
        return fail(
            f"filen är större än {MAX_FORM_BYTES // 2**20} MB; ett formulär är mycket mindre"
        )
    try:
        book = load_workbook(path, data_only=True)
        uncached = uncached_formulas(path)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        if _unsafe_xml(exc):
            return fail(UNSAFE_XML)
        return fail(f"filen är ingen giltig Excel-fil (.xlsx): {exc.__class__.__name__}")
    if META_SHEET not in book.sheetnames:
        return fail(NOT_A_FORM)
    try:
        meta, meta_rows, locked = _read_metadata(book)
        version = int(meta.get("formularversion"))
        form_year = int(meta.get("ar"))
        department = str(meta.get("forvaltning"))
    except (TypeError, ValueError):
        return fail(NOT_A_FORM)
    if meta.get("formular") != FORM_KIND:
        return fail(NOT_A_FORM)
    problems: list[Problem] = []

    def problem(row=None, column="", value="", expected="", sheet=FORM_SHEET) -> None:
        problems.append(Problem(label, sheet, row, column, value, expected))

    if version != FORM_VERSION:
        return fail(
            f"formuläret har version {version}, men bara version {FORM_VERSION} kan läsas in; "
            + SEE_FORMS.format(year=year)
        )
    if meta.get("kontrollsumma") != metadata_checksum(meta, meta_rows, locked):
        return None, [
            Problem(
                label,
                META_SHEET,
                expected=(
                    "formulärets dolda uppgifter (förvaltning, år, rader) har ändrats och går "
                    "inte att lita på; " + SEE_FORMS.format(year=year)
                ),
            )
        ]
    if form_year != year:
        problem(
            1,
            value=form_year,
            expected=f"formuläret gäller år {form_year}, men insamlingen gäller {year}; "
            f"läs in det med `collect {form_year}` eller skicka rätt års formulär",
        )
    if department not in ds.departments:
        problem(
            1,
            value=department,
            expected=f"okänd förvaltning; giltiga: {', '.join(ds.departments)}",
        )
    claimed = {str(r[1]).rpartition(":")[2] for r in meta_rows}
    if claimed - {department}:
        problem(
            expected=f"formuläret säger att det gäller {department}, men dess rader gäller "
            f"{', '.join(sorted(claimed - {department}))}; lämna in förvaltningens eget formulär"
        )
    if FORM_SHEET not in book.sheetnames:
        return None, [Problem(label, FORM_SHEET, expected=f"bladet '{FORM_SHEET}' saknas")]
    for name in book.sheetnames:
        if name in (FORM_SHEET, INSTRUCTIONS_SHEET, META_SHEET):
            continue
        if any(v is not None for line in book[name].iter_rows(values_only=True) for v in line):
            problem(
                sheet=name,
                expected=f"bladet '{name}' hör inte till formuläret och läses inte in; "
                "skriv uppgifterna i kolumnen Kommentar i stället",
            )
    if problems:
        return None, problems

    ws = book[FORM_SHEET]
    columns = form_columns(form_year)
    letters = _input_letters(columns)
    by_letter = {get_column_letter(i): col.key for i, col in enumerate(columns, start=1)}
    uncached_here = uncached.get(FORM_SHEET, {})

    def header_of(coord: str) -> str:
        from openpyxl.utils.cell import coordinate_from_string

        letter, _row = coordinate_from_string(coord)
        key = by_letter.get(letter)
        return _header(columns, key) if key else letter

    # 1. locked cells (including the hidden row ids in column A) as the form was written
    locked_coords = set()
    for coord, expected in locked:
        locked_coords.add(coord)
        actual = ws[coord].value
        if actual is not None and expected is not None and _same(actual, expected):
            continue
        what = (
            "rad-id (dold kolumn A)"
            if by_letter.get(coord.rstrip("0123456789")) == "rad_id"
            else "låst cell"
        )
        problem(
            ws[coord].row,
            header_of(coord),
            actual,
            f"{what} har ändrats; den ska innehålla {expected!r}. Ändra bara de gula "
            "cellerna (skriv tillbaka det som stod, eller fyll i ett nytt formulär)",
        )
    # 2. the input cells of every data row
    inputs: dict[str, tuple[int, str, str, bool]] = {}
    for r, _rid, ind_id, _unit, comparison in meta_rows:
        r = int(r)
        inputs[f"{letters['varde']}{r}"] = (r, ind_id, "varde", True)
        inputs[f"{letters['kommentar']}{r}"] = (r, ind_id, "kommentar", True)
        inputs[f"{letters['jamforelsevarde']}{r}"] = (
            r,
            ind_id,
            "jamforelsevarde",
            comparison == "ja",
        )
    # 3. anything typed outside the form's input cells would be lost: refuse it
    for line in ws.iter_rows():
        for cell in line:
            coord = cell.coordinate
            if cell.value is None or coord in locked_coords:
                continue
            if coord in inputs and inputs[coord][3]:
                continue
            problem(
                cell.row,
                header_of(coord),
                cell.value,
                "cellen hör inte till formulärets gula celler och skulle inte läsas in; "
                "skriv uppgiften i en gul cell (t.ex. Kommentar)",
            )

    goal = ds.goals.get(year)
    indicators = (
        {rec["indikator_id"]: rec for rec in goal.indikatorer.to_dict("records")} if goal else {}
    )
    form = ReturnedForm(label, department, form_year, version, file_checksum(path))
    meta_units = {str(r[2]): r[3] for r in meta_rows}
    for coord, (r, ind_id, column, active) in inputs.items():
        if not active:
            continue
        header = _header(columns, column)
        cell = ws[coord]
        if (cell.row, cell.column) in uncached_here:
            problem(r, header, uncached_here[(cell.row, cell.column)], FORMULA_WITHOUT_VALUE)
            continue
        raw = cell_value(cell)
        if raw is None or str(raw).strip() == "":
            continue
        ind = indicators.get(ind_id)
        if ind is None:
            problem(
                r,
                header,
                raw,
                f"indikatorn {ind_id} finns inte längre i {year}/mal.xlsx; värdet kan inte "
                "läsas in. " + SEE_FORMS.format(year=year),
            )
            continue
        unit = ind["enhet"]
        if column != "kommentar" and meta_units.get(ind_id) != unit:
            problem(
                r,
                header,
                raw,
                f"indikatorns enhet har ändrats sedan formuläret skapades (formuläret: "
                f"{meta_units.get(ind_id)}, {year}/mal.xlsx: {unit}); "
                + SEE_FORMS.format(year=year),
            )
            continue
        if not V.responsible(ind, department):
            problem(
                r,
                header,
                raw,
                f"{department} rapporterar inte längre indikatorn {ind_id} enligt "
                f"{year}/mal.xlsx (ansvariga: {', '.join(ind['avdelningar'])}); "
                "värdet skulle inte visas i någon rapport",
            )
            continue
        try:
            value = _parse_input(raw, column, unit)
        except ValueError as exc:
            problem(r, header, raw, str(exc))
            continue
        form.values.append(FormValue(ind_id, column, value, r, header, raw))
    form.values.sort(key=lambda v: (v.row, v.column))
    return form, problems  # the values that passed still take part in the merge checks


def _parse_input(raw: object, column: str, unit: str) -> object:
    """A form's input cell as the values workbook holds it (raises ``ValueError``)."""
    if column == "varde":
        return V.parse_indicator_value(raw, unit)
    if column == "kommentar":
        return parse_text(raw)
    if unit == "antal" and isinstance(raw, str) and "%" in raw:
        raise ValueError(V.PERCENT_IN_COUNT)
    try:
        number = parse_number(raw)
    except CellError:
        raise ValueError(f"väntade {S.KIND_EXPECTED[S.NUMBER]}") from None
    wrong = V.quantity_problem(number, unit)
    if wrong:
        raise ValueError(wrong)
    return number


# -- the values workbook: rebuilt from mal.xlsx, keeping everything --------------------------
@dataclass
class _Existing:
    header: list[str]
    rows: list[dict]
    log: list[dict]
    log_header: list[str]


def _table(ws) -> tuple[list[str], list[dict]]:
    """A sheet as its header and one dict per non-blank row (cells as they show, ``_rad``)."""
    lines = ws.iter_rows()
    header = [parse_text(c.value) for c in next(lines, ())]
    rows = []
    for excel_row, line in enumerate(lines, start=2):
        values = [cell_value(c) for c in line]
        if all(_blank(v) for v in values):
            continue
        rec = {h: v for h, v in zip(header, values, strict=False) if h}
        rec["_rad"] = excel_row
        rows.append(rec)
    return [h for h in header if h], rows


def _read_existing(path: Path, label: str) -> _Existing:
    """Every row and column of the current values workbook, as its cells show them.

    Refuses what a rewrite would lose: a formula without a saved result, a sheet of its own.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    if not path.exists():
        return _Existing([], [], [], [])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        uncached = uncached_formulas(path)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise ReportError(
            f"{label}: filen är ingen giltig Excel-fil (.xlsx): {exc.__class__.__name__}"
        ) from None
    try:
        if "varden" not in book.sheetnames:
            raise ReportError(f"{label}: bladet 'varden' saknas. Blad som finns: {book.sheetnames}")
        header, rows = _table(book["varden"])
        problems = [
            Problem(
                label,
                sheet,
                row,
                (header[col - 1] if sheet == "varden" and col <= len(header) else None)
                or get_column_letter(col),
                formula,
                FORMULA_WITHOUT_VALUE,
            )
            for sheet, cells in uncached.items()
            for (row, col), formula in cells.items()
        ]
        for name in book.sheetnames:
            if name in ("varden", LOG_SHEET, "Läs mig"):
                continue
            if any(v is not None for line in book[name].iter_rows(values_only=True) for v in line):
                problems.append(
                    Problem(
                        label,
                        name,
                        expected=f"bladet '{name}' hör inte till arbetsboken och skulle "
                        "försvinna när den skrivs om; flytta det till en egen fil",
                    )
                )
        if problems:
            raise DataValidationError(problems)
        log_header, log = _table(book[LOG_SHEET]) if LOG_SHEET in book.sheetnames else ([], [])
    finally:
        book.close()
    return _Existing(header, rows, log, log_header)


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def _carry(raw: object, column: str, unit: str | None) -> object:
    """An existing cell under the indicator's (current) unit; kept as it is if it does not
    fit, so that nothing is lost and ``validate`` names it."""
    if _blank(raw) or unit is None:
        return raw
    try:
        return excel_value(_parse_input(raw, column, unit), None if column == "kommentar" else unit)
    except ValueError:
        return raw


@dataclass
class RebuildResult:
    path: Path
    rows: int  # rows of indicators × responsible departments
    values: int  # filled values kept or written
    kept_apart: list[dict]  # rows kept at the end: no longer expected, but holding content


def _lock_file(path: Path) -> Path:
    return path.with_name(f"~${path.name}")


def rebuild_values_workbook(
    data_dir: Path,
    year: int,
    updates: dict[tuple[str, str], dict[str, object]] | None = None,
    log: list[dict] | None = None,
    dataset: Dataset | None = None,
) -> RebuildResult:
    """Write ``data/<year>/indikatorvarden.xlsx`` anew from ``<year>/mal.xlsx``.

    One row per indicator × responsible department (``avdelningar``), with
    unit, target and input rules from ``mal.xlsx``; every value, comparison value, comment
    and extra column of the current workbook is kept (re-stored under the indicator's unit),
    and so are the ``inlamningar`` log rows. A row that ``mal.xlsx`` no longer asks for but
    that holds something is kept at the end, where ``validate`` reports it — never dropped.
    ``updates`` (parsed values per (indikator_id, department)) and ``log`` come from
    :func:`collect_forms`, which also passes its validated ``dataset``. Refuses, writing
    nothing, if the data outside this workbook is invalid, the workbook is open in Excel, or
    it changes while being rebuilt.
    """
    data_dir = Path(data_dir)
    path = workbook_path(data_dir, S.INDIKATORVARDEN, year)
    label = str(path.relative_to(data_dir))
    if _lock_file(path).exists():
        raise ReportError(
            f"{label} verkar vara öppen i Excel (låsfilen {_lock_file(path).name} finns); "
            "stäng den och försök igen. Inget har skrivits."
        )
    stamp = (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
    ds, problems = (dataset, []) if dataset is not None else collect_dataset(data_dir)
    if year not in ds.goals:
        raise ParameterError(
            f"{year} har inga mål ({year}/mal.xlsx saknas); år med mål: "
            f"{', '.join(map(str, ds.goal_years)) or 'inga'}"
        )
    outside = [p for p in problems if p.file != label]
    if outside:
        raise DataValidationError(outside)
    existing = _read_existing(path, label)
    goal = ds.goals[year]
    indicators = {rec["indikator_id"]: rec for rec in goal.indikatorer.to_dict("records")}
    standard = S.INDIKATORVARDEN.sheet("varden").column_names
    extra = [h for h in existing.header if h not in standard]
    carried_columns = [*VALUE_INPUTS, *extra]

    def key_of(rec: dict) -> tuple[str, str]:
        ind = parse_text(rec.get("indikator_id")) or ""
        dept = (parse_text(rec.get("forvaltning")) or "").upper()
        return ind, dept

    by_key: dict[tuple[str, str], dict] = {}
    leftovers: list[dict] = []
    for rec in existing.rows:
        key = key_of(rec)
        if key in by_key:
            leftovers.append(rec)
        else:
            by_key[key] = rec

    rows: list[dict] = []
    updates = {key: dict(cells) for key, cells in (updates or {}).items()}  # consumed below
    for ind in goal.indikatorer.to_dict("records"):
        for dept in ind["avdelningar"]:
            key = (ind["indikator_id"], dept)
            old = by_key.pop(key, {})
            cells = {c: _carry(old.get(c), c, ind["enhet"]) for c in VALUE_INPUTS}
            cells.update({c: old.get(c) for c in extra})
            for column, value in updates.pop(key, {}).items():
                cells[column] = excel_value(value, None if column == "kommentar" else ind["enhet"])
            rows.append(values_row(ind, dept, cells))
    if updates:  # collect only sends values for rows mal.xlsx asks for
        raise AssertionError(f"values for rows the workbook does not have: {sorted(updates)}")
    expected_rows = len(rows)
    kept_apart = []
    for rec in [*by_key.values(), *leftovers]:
        if all(_blank(rec.get(c)) for c in carried_columns):
            continue  # an empty row mal.xlsx no longer asks for: nothing to keep
        ind = indicators.get(key_of(rec)[0])
        if ind is not None:
            cells = {c: _carry(rec.get(c), c, ind["enhet"]) for c in VALUE_INPUTS}
            cells.update({c: rec.get(c) for c in extra})
            row = values_row(ind, key_of(rec)[1] or rec.get("forvaltning"), cells)
        else:  # an indicator no longer in mal.xlsx: kept exactly as it was
            row = {c: rec.get(c) for c in [*standard, *extra]}
        rows.append(row)
        kept_apart.append(rec)
    log_rows = [*existing.log, *(log or [])]

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".indikatorvarden-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        write_values_workbook(Path(tmp), year, rows, log_rows, extra_columns=extra)
        now = (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
        if now != stamp:
            raise ReportError(
                f"{label} ändrades medan den byggdes om; inget har skrivits. Kör kommandot igen."
            )
        if path.exists() and path.read_bytes() == Path(tmp).read_bytes():
            Path(tmp).unlink()  # nothing changed: leave the file (and its time) alone
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    filled = sum(1 for r in rows if not _blank(r.get("varde")))
    return RebuildResult(path, expected_rows, filled, kept_apart)


# -- collecting a round ----------------------------------------------------------------------
@dataclass(frozen=True)
class Replacement:
    indikator_id: str
    department: str
    column: str
    old: object
    new: object
    source: str  # the form it came from
    unit: str | None = None  # the indicator's unit, for showing the values

    def __str__(self) -> str:
        return (
            f"{self.indikator_id} {self.department} {self.column}: {show(self.old, self.unit)} → "
            f"{show(self.new, self.unit)} "
            f"(från {self.source})"
        )


@dataclass
class CollectResult:
    path: Path
    forms: list[ReturnedForm]
    written: int  # cells written (new or replaced)
    unchanged: int  # cells equal to what the workbook already held
    replaced: list[Replacement]
    status: RoundStatus


def form_files(sources: list[Path]) -> list[tuple[Path, str]]:
    """The files to read: each file given, and every ``.xlsx`` in each folder given
    (Excel's ``~$`` lock files and hidden files skipped), with the label shown in messages."""
    files: list[tuple[Path, str]] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            found = sorted(
                p
                for p in source.iterdir()
                if p.suffix.lower() == ".xlsx" and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise ParameterError(f"mappen {source} innehåller inga .xlsx-filer")
            files.extend((p, str(p)) for p in found)
        elif source.is_file():
            files.append((source, str(source)))
        else:
            raise ParameterError(f"{source} finns inte (ange formulärfiler eller en mapp)")
    return files


def collect_forms(
    data_dir: Path, year: int, sources: list[Path], replace: bool = False, now=None
) -> CollectResult:
    """Read, check and merge returned forms into the year's values workbook (see the module
    docstring); raises :class:`DataValidationError` with every problem, writing nothing."""
    data_dir = Path(data_dir)
    ds = load_dataset(data_dir)
    if year not in ds.goals:
        raise ParameterError(
            f"{year} har inga mål ({year}/mal.xlsx saknas); år med mål: "
            f"{', '.join(map(str, ds.goal_years)) or 'inga'}"
        )
    problems: list[Problem] = []
    forms: list[ReturnedForm] = []
    seen: set[str] = set()
    for path, label in form_files(sources):
        form, found = read_form(path, year, ds, label)
        problems.extend(found)
        if form is not None and form.checksum not in seen:  # the same file twice: once
            seen.add(form.checksum)
            forms.append(form)

    units = dict(
        zip(
            ds.goals[year].indikatorer["indikator_id"],
            ds.goals[year].indikatorer["enhet"],
            strict=True,
        )
    )
    # the same department twice: the forms must agree cell by cell
    merged: dict[tuple[str, str, str], FormValue] = {}
    source: dict[tuple[str, str, str], ReturnedForm] = {}
    for form in forms:
        for v in form.values:
            key = (v.indikator_id, form.department, v.column)
            if key in merged and not _same(merged[key].value, v.value):
                first = source[key]
                problems.append(
                    Problem(
                        form.label,
                        FORM_SHEET,
                        v.row,
                        v.header,
                        v.raw,
                        f"{first.label} (också {form.department}) har "
                        f"{show(merged[key].value, units.get(v.indikator_id))} i "
                        f"samma cell (rad {merged[key].row}); lämna in en version, eller gör "
                        "dem lika",
                    )
                )
                continue
            merged.setdefault(key, v)
            source.setdefault(key, form)

    # what the values workbook already holds
    label = f"{year}/indikatorvarden.xlsx"
    varden = ds.goals[year].varden
    current = {(r["indikator_id"], r["forvaltning"]): r for r in varden.to_dict("records")}
    updates: dict[tuple[str, str], dict[str, object]] = {}
    replaced: list[Replacement] = []
    unchanged = 0
    for (ind_id, dept, column), v in merged.items():
        old = current.get((ind_id, dept), {}).get(column)
        if old is not None and _same(old, v.value):
            unchanged += 1
            continue
        if old is not None:
            if not replace:
                problems.append(
                    Problem(
                        source[(ind_id, dept, column)].label,
                        FORM_SHEET,
                        v.row,
                        v.header,
                        v.raw,
                        f"{label} har redan {show(old, units.get(ind_id))} för {ind_id} och "
                        f"{dept} (kolumn '{column}', "
                        f"rad {current[(ind_id, dept)]['_rad']}); inget ersätts utan --replace",
                    )
                )
                continue
            replaced.append(
                Replacement(
                    ind_id,
                    dept,
                    column,
                    old,
                    v.value,
                    source[(ind_id, dept, column)].label,
                    units.get(ind_id),
                )
            )
        updates.setdefault((ind_id, dept), {})[column] = v.value
    if problems:
        raise DataValidationError(problems)

    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    logged = {
        (r["forvaltning"], r["kontrollsumma"])
        for r in _logged(data_dir, year)
        if r.get("kontrollsumma")
    }
    log = []
    for form in forms:
        mine = [r for r in replaced if r.source == form.label]
        if (form.department, form.checksum) in logged and not mine:
            continue  # this very file was collected before and changes nothing
        log.append(
            {
                "forvaltning": form.department,
                "fil": Path(form.label).name,
                "kontrollsumma": form.checksum,
                "inlast": stamp,
                "formularversion": form.version,
                "antal_varden": form.filled,
                "ersatta": "; ".join(
                    f"{r.indikator_id} {r.column}: {show(r.old, r.unit)} → {show(r.new, r.unit)}"
                    for r in mine
                )
                or None,
            }
        )
    result = rebuild_values_workbook(data_dir, year, updates, log, dataset=ds)
    # the status from the workbook just written (the rest of the data set is unchanged)
    sheets, _problems = read_workbook(result.path, S.INDIKATORVARDEN, label)
    varden, _problems = V.parse_indicator_values(sheets["varden"], ds.goals[year].indikatorer, year)
    status = _status(ds, year, varden, sheets[LOG_SHEET].frame.to_dict("records"))
    return CollectResult(
        result.path, forms, sum(len(u) for u in updates.values()), unchanged, replaced, status
    )


def _logged(data_dir: Path, year: int) -> list[dict]:
    """The ``inlamningar`` rows of the year's values workbook (none if it has none)."""
    path = workbook_path(Path(data_dir), S.INDIKATORVARDEN, year)
    if not path.exists():
        return []
    sheets, _problems = read_workbook(path, S.INDIKATORVARDEN)
    if LOG_SHEET not in sheets:
        return []
    return sheets[LOG_SHEET].frame.to_dict("records")


# -- the round's status ----------------------------------------------------------------------
@dataclass(frozen=True)
class DepartmentRound:
    """One department's part of a round."""

    code: str
    name: str
    returned: bool  # a form of the department has been collected
    returned_at: str | None  # when the latest one was
    files: tuple[str, ...]  # the collected forms' file names
    expected: int  # indicator rows the department reports on
    filled: int  # of those, with a value
    missing: tuple[str, ...]  # indicator ids still without a value

    def __str__(self) -> str:
        form = (
            f"formulär inläst {self.returned_at} ({', '.join(self.files)})"
            if self.returned
            else "formulär ej inlämnat"
        )
        return (
            f"{self.code} ({self.name}): {form}; {self.filled} av {self.expected} värden "
            f"ifyllda, {len(self.missing)} saknas"
        )


@dataclass(frozen=True)
class RoundStatus:
    """Per department: form returned or not, values filled, values still missing."""

    year: int
    departments: tuple[DepartmentRound, ...]
    problems: int = 0  # problems in the data when the status was taken (see `validate`)

    @property
    def complete(self) -> bool:
        return all(not d.missing for d in self.departments)

    def lines(self, missing_ids: bool = True) -> list[str]:
        out = [f"Insamling {self.year}:"]
        for d in self.departments:
            out.append(f"  {d}")
            if missing_ids and d.missing and d.filled:  # "0 av N" already says all
                out.append(f"      saknas: {', '.join(d.missing)}")
        if self.problems:
            out.append(
                f"  Obs: datan har {self.problems} problem; kör `python -m report_utils validate`."
            )
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def round_status(data_dir: Path, year: int, dataset: Dataset | None = None) -> RoundStatus:
    """The status of ``year``'s collection round, from the values workbook.

    "Returned" means a form of the department is recorded in the sheet ``inlamningar``
    (written by ``collect``); filled and missing count the department's rows (indicators it
    is responsible for, shared ones included) with and without a value — whether the value
    came from a form or was typed into the workbook. Pass the loaded ``dataset`` to avoid
    loading it again (the landing page does); otherwise the data is read, and problems in it
    are counted in ``problems`` instead of stopping the status.
    """
    problems = 0
    if dataset is None:
        dataset, found = collect_dataset(Path(data_dir))
        problems = len(found)
    if year not in dataset.goals:
        raise ParameterError(
            f"{year} har inga mål; år med mål: {', '.join(map(str, dataset.goal_years)) or 'inga'}"
        )
    return _status(dataset, year, dataset.goals[year].varden, _logged(data_dir, year), problems)


def _status(ds: Dataset, year: int, varden, log: list[dict], problems: int = 0) -> RoundStatus:
    dataset = ds
    goal = dataset.goals[year]
    values = {(r["indikator_id"], r["forvaltning"]): r["varde"] for r in varden.to_dict("records")}
    departments = []
    for dept in dataset.departments:
        ids = [
            rec["indikator_id"]
            for rec in goal.indikatorer.to_dict("records")
            if V.responsible(rec, dept)
        ]
        missing = tuple(i for i in ids if values.get((i, dept)) is None)
        mine = [r for r in log if r.get("forvaltning") == dept]
        departments.append(
            DepartmentRound(
                code=dept,
                name=dataset.department_name(dept),
                returned=bool(mine),
                returned_at=max((str(r["inlast"]) for r in mine), default=None),
                files=tuple(dict.fromkeys(str(r["fil"]) for r in mine)),
                expected=len(ids),
                filled=len(ids) - len(missing),
                missing=missing,
            )
        )
    return RoundStatus(year, tuple(departments), problems)
