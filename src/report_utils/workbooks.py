"""Writing workbooks the way analysts get them: the schema's columns, a bold frozen header,
readable widths, and a "Läs mig" sheet describing every column.

Used to create next year's workbooks (:mod:`report_utils.newyear`), the indicator-values
workbook (:func:`write_values_workbook`, also rebuilt by :mod:`report_utils.collect`) and
by the tests to build spreadsheets; the loaders ignore the "Läs mig" sheet.

The input rules for an indicator value (:func:`value_validation`, :func:`value_format`,
:func:`excel_value`) are shared by the values workbook and the departments' forms
(:mod:`report_utils.forms`), so both accept exactly what validation accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from . import schemas as S

README_SHEET = "Läs mig"
_FIXED_TIME = dt.datetime(2026, 1, 1)  # fixed document times: same rows, same bytes

#: how each indicator unit is named to the people filling in values
UNIT_LABELS = {"antal": "antal", "andel": "andel i %", "ja-nej": "ja/nej", "text": "text"}
#: Excel number formats of value cells; a share is stored as a fraction in a percent
#: format (what Excel does when someone types "23,5 %"), shown "23,5 %" in Swedish Excel
PERCENT_FORMAT = "0.0 %"
COUNT_FORMAT = "General"
TEXT_FORMAT = "@"
INPUT_COLOUR = "FFF2CC"  # light yellow: cells to fill in
INFO_COLOUR = "EDEDED"  # light grey: shown for support, not to be edited
#: the value columns of the values sheet, in order
VALUE_INPUTS = ("varde", "jamforelsevarde", "kommentar")
_BLANK_ADVICE = "Lämna tomt om värdet inte är känt – skriv aldrig 0 för okänt."


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return int(value)
    return value


def build_workbook(
    workbook: S.Workbook,
    rows: Mapping[str, Iterable[Mapping[str, object]]],
    note: str = "",
    columns: Mapping[str, list[str]] | None = None,
):
    """An openpyxl workbook with ``rows[sheet]`` (dicts keyed by column name) and "Läs mig".

    ``columns[sheet]`` may give the column order (the schema's columns plus extra ones
    carried over from an earlier version of the file); by default the schema's order.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in workbook.sheets:
        ws = book.create_sheet(sheet.name)
        names = list((columns or {}).get(sheet.name) or sheet.column_names)
        ws.append(names)
        for record in rows.get(sheet.name, []):
            ws.append([_cell(record.get(c)) for c in names])
        for i, name in enumerate(names, start=1):
            ws.cell(row=1, column=i).font = Font(bold=True)
            wide = name.startswith("kalla") or name in {
                "text",
                "beskrivning",
                "motivering",
                "indikator",
                "kommentar",
                "ersatta",
            }
            ws.column_dimensions[get_column_letter(i)].width = (
                60 if wide else max(12, len(name) + 4)
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
    return book


def save(book, path: Path) -> Path:
    """Save an openpyxl workbook so that the same content gives the same bytes.

    ``Workbook.save`` stamps the document and every zip entry with the current time; here
    openpyxl's own writer is given a zip file that stamps a fixed time instead (neither has
    an option for it), so an unchanged workbook written again is byte-identical and the
    render cache sees no change.
    """
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    stamp = _FIXED_TIME.timetuple()[:6]

    class FixedTimeZip(zipfile.ZipFile):
        def writestr(self, name, data, *args, **kwargs):
            if not isinstance(name, zipfile.ZipInfo):
                name = zipfile.ZipInfo(name, date_time=stamp)
                name.compress_type = zipfile.ZIP_DEFLATED
            return super().writestr(name, data, *args, **kwargs)

        def write(self, filename, arcname=None, *args, **kwargs):
            return self.writestr(arcname or str(filename), Path(filename).read_bytes())

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    archive = FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(book, archive).save()  # closes the archive
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


def write_workbook(
    path: Path,
    workbook: S.Workbook,
    rows: Mapping[str, Iterable[Mapping[str, object]]],
    note: str = "",
) -> Path:
    """Write ``rows[sheet]`` (dicts keyed by column name) into an xlsx at ``path``."""
    return save(build_workbook(workbook, rows, note), path)


# -- indicator values: one set of input rules for the values workbook and the forms -------------
def excel_value(value: object, unit: str | None) -> object:
    """A parsed indicator value as it is stored in a cell: a share 23.5 becomes 0.235 (shown
    "23,5 %" by :data:`PERCENT_FORMAT`); counts stay numbers; ja/nej and text stay text."""
    if value is None:
        return None
    if unit == "andel" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(Decimal(repr(float(value))) / 100)
    return _cell(value)


def value_format(unit: str | None) -> str:
    """The number format of a value cell of this unit."""
    return {"andel": PERCENT_FORMAT, "antal": COUNT_FORMAT}.get(unit or "", TEXT_FORMAT)


def value_rule(unit: str | None) -> tuple[str, str]:
    """What a value of this unit must be: (short rule for an input message, error text)."""
    return {
        "antal": (
            "Ett antal: ett tal som är 0 eller större, t.ex. 1 100.",
            "Värdet ska vara ett antal: ett tal som är 0 eller större.",
        ),
        "andel": (
            "En andel i procent mellan 0 och 100 %, t.ex. 23,5 %.",
            "Värdet ska vara en andel mellan 0 och 100 %.",
        ),
        "ja-nej": ("Välj ja eller nej i listan.", "Värdet ska vara ja eller nej."),
        "text": ("Fri text.", "Ogiltigt värde."),
    }.get(unit or "", ("Fri text.", "Ogiltigt värde."))


def value_validation(unit: str | None, title: str, prompt: str = "", value: bool = True):
    """An Excel data validation for value cells of ``unit``, with an input message.

    Counts: a decimal ≥ 0. Shares: a decimal between 0 and 1 — the cell is in percent
    format, so Excel stores 23,5 % as 0.235. Ja/nej: a drop-down list. Text: any text
    (the validation only carries the input message). ``value=False`` for a comment cell
    (no advice about blanks). Add cells with ``.add(cell)``.
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    rule, error = value_rule(unit)
    kinds = {
        "antal": {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
        "andel": {"type": "decimal", "operator": "between", "formula1": "0", "formula2": "1"},
        "ja-nej": {"type": "list", "formula1": '"ja,nej"'},
    }
    text = " ".join(t for t in (prompt, rule, _BLANK_ADVICE if value else "") if t)
    return DataValidation(
        **kinds.get(unit or "", {}),
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=unit in kinds,
        errorStyle="stop",
        promptTitle=title[:32],  # Excel's limits: 32 characters of title, 255 of text
        prompt=text[:255],
        errorTitle="Ogiltigt värde",
        error=error[:255],
    )


def target_words(maltyp: object, malvarde: object, mal_text: object) -> str:
    """The target as people read it: the agreement's own words, else the short form."""
    from .formatting import is_missing, target

    if not is_missing(mal_text):
        return str(mal_text)
    return target(maltyp, malvarde) or "inget kvantitativt mål"


def target_format(maltyp: object, unit: object) -> str:
    """Number format of a target value: the unit shown beside the number (kept a number)."""
    if maltyp in ("minska_procent", "oka_procent") or (
        maltyp in ("minst", "hogst") and unit == "andel"
    ):
        return 'General" %"'
    if maltyp in ("minska_procentenheter", "oka_procentenheter"):
        return 'General" procentenheter"'
    return "General"


def write_values_workbook(
    path: Path,
    year: int,
    rows: list[dict],
    log: Iterable[Mapping[str, object]] = (),
    extra_columns: Iterable[str] = (),
) -> Path:
    """Write the indicator-values workbook of ``year`` (sheets ``varden`` and ``inlamningar``).

    ``rows`` are dicts with the columns of ``varden`` (values already as cells hold them,
    see :func:`excel_value`) and ``_enhet``, the indicator's unit that decides the row's
    input rule (blank for a row whose indicator is unknown: no rule, nothing converted).
    Unit and target stand beside each value (grey); the value cells carry the same Excel
    data validation and formats as the departments' forms (yellow). Not protected: the
    analyst edits this workbook.
    """
    from openpyxl.styles import Alignment, PatternFill

    spec = S.INDIKATORVARDEN.sheet("varden")
    names = [*spec.column_names, *extra_columns]
    book = build_workbook(
        S.INDIKATORVARDEN,
        {"varden": rows, "inlamningar": list(log)},
        note=(
            f"Värden för {year}. Tom cell = ej rapporterat, aldrig 0. En andel skrivs i procent "
            "(23,5 %). Gula celler fylls i; grå visar enhet och mål från mal.xlsx."
        ),
        columns={"varden": names},
    )
    ws = book["varden"]
    col = {name: i for i, name in enumerate(names, start=1)}
    grey = PatternFill("solid", fgColor=INFO_COLOUR)
    yellow = PatternFill("solid", fgColor=INPUT_COLOUR)
    rules: dict[tuple[str, str], object] = {}
    cells_of: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for excel_row, rec in enumerate(rows, start=2):
        unit = rec.get("_enhet")
        for name in ("enhet", "mal", "malvarde"):
            ws.cell(excel_row, col[name]).fill = grey
        ws.cell(excel_row, col["mal"]).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(excel_row, col["malvarde"]).number_format = target_format(rec.get("_maltyp"), unit)
        for name in VALUE_INPUTS:
            cell = ws.cell(excel_row, col[name])
            cell.fill = yellow
            if unit is None:
                continue
            kind = "text" if name == "kommentar" else unit
            if name == "jamforelsevarde" and unit not in ("antal", "andel"):
                continue
            cell.number_format = value_format(kind)
            key = (name, kind)
            if key not in rules:
                title = {"varde": "Värde", "jamforelsevarde": "Jämförelsevärde"}.get(
                    name, "Kommentar"
                )
                prompt = {
                    "varde": f"Värdet för {year}.",
                    "jamforelsevarde": "Utgångsvärdet för ett mål som anges som förändring.",
                    "kommentar": "Förvaltningens kommentar till värdet.",
                }[name]
                rules[key] = value_validation(kind, title, prompt, value=name != "kommentar")
                ws.add_data_validation(rules[key])
            cells_of.setdefault(key, []).append((excel_row, col[name]))
    for key, cells in cells_of.items():
        rules[key].sqref = _ranges(cells)  # one assignment: adding cell by cell is quadratic
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["E"].width = 40
    return save(book, path)


def _ranges(cells: list[tuple[int, int]]) -> str:
    """Cells (row, column) as Excel ranges, runs of consecutive rows joined: ``G2:G9 G14``."""
    from openpyxl.utils import get_column_letter

    parts = []
    for column in sorted({c for _r, c in cells}):
        rows = sorted(r for r, c in cells if c == column)
        letter = get_column_letter(column)
        start = prev = rows[0]
        for r in [*rows[1:], None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            parts.append(f"{letter}{start}" if start == prev else f"{letter}{start}:{letter}{prev}")
            if r is not None:
                start = prev = r
    return " ".join(parts)


def values_row(
    indicator: Mapping[str, object], department: str, cells: Mapping[str, object] | None = None
) -> dict:
    """One row of the values sheet for an indicator (a record of ``mal.xlsx``'s indikatorer);
    ``cells`` holds the value columns as the cells store them (see :func:`excel_value`)."""
    return {
        "indikator_id": indicator["indikator_id"],
        "forvaltning": department,
        "indikator": indicator["text"],
        "enhet": indicator["enhet"],
        "mal": target_words(indicator["maltyp"], indicator["malvarde"], indicator["mal_text"]),
        "malvarde": indicator["malvarde"],
        "_enhet": indicator["enhet"],
        "_maltyp": indicator["maltyp"],
        **(cells or {}),
    }
