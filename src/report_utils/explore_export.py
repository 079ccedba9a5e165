"""Export of what the explorer's filters find: Excel (one workbook, a sheet per table) or CSV.

:func:`tables` builds the tables with typed cells — numbers stay numbers (int or float),
missing stays empty, and every figure keeps its kind ("uppnått", "planerat", "2012–2018
sammanlagt", "bakgrund") and its source (document, section, quote) beside it. :func:`write`
serialises them; :func:`xlsx_bytes` and :func:`csv_bytes` give the bytes the explorer's
download links carry.

CSV: semicolon-separated, UTF-8 with a byte-order mark, decimal comma. Excel with Swedish
regional settings uses ';' as list separator (',' is the decimal mark), so a
comma-separated file opens as one column; without the BOM it reads UTF-8 as Windows-1252 and
"förvaltning" turns into "fÃ¶rvaltning". Both are needed for a double-click to just work;
Python (``pandas.read_csv(sep=";", decimal=",")``) and R (``read.csv2``) read it as well.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import compare, explore
from . import formatting as F
from . import schemas as S
from .errors import ParameterError
from .model import Dataset

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
#: widths (characters) of long text columns; others fit their header
WIDE = 60
MEDIUM = 30


@dataclass
class Table:
    """One sheet: a title (the sheet's name), Swedish headers and rows of typed cells."""

    title: str
    slug: str  # file-name part of its CSV: "insatser", "resultat" …
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    wide: tuple[str, ...] = ()  # columns with long text: wrapped, wider

    @property
    def numeric(self) -> list[int]:
        """Indexes of the columns holding numbers."""
        return [
            i
            for i in range(len(self.columns))
            if any(isinstance(r[i], int | float) and not isinstance(r[i], bool) for r in self.rows)
        ]


def _num(value: object) -> int | float | None:
    """A number as Excel should store it: whole numbers as int, missing as empty."""
    if F.is_missing(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _str(value: object) -> str | None:
    return None if F.is_missing(value) else str(value)


def _years(cell) -> str | None:
    return ", ".join(str(y) for y in cell) if cell else None


# -- the tables ----------------------------------------------------------------------------------
INITIATIVE_HEADERS = [
    "Kod",
    "Insats",
    "Huvudinsats",
    "Fokusområde",
    "Fokusområdets namn",
    "År",
    "Förvaltningar",
    "Målgrupp",
    "Målgruppskategorier",
    "Partner",
    "Periodens början",
    "Periodens slut",
    "Tidsplan enligt texten",
    "Mätbara mål",
    "Utfall",
    "Beskrivning",
    "Källa",
    "Avsnitt",
    "Citat ur källan",
]
RESULT_HEADERS = [
    "Resultatkod",
    "Insatskod",
    "Insats",
    "År",
    "Mått",
    "Uppdelning",
    "Slag av siffra",
    "Kvalifikator",
    "Värde",
    "Värde, övre gräns",
    "Enhet",
    "Värde som i källan",
    "Nyckeltal",
    "Avser period",
    "Källa",
    "Avsnitt",
    "Citat ur källan",
]
SUCCESSOR_HEADERS = [
    "Relation",
    "Tema",
    "Temats namn",
    "Indikator",
    "Indikatorns text",
    "Horisont",
    "Mål",
    "Måltyp",
    "Målvärde",
    "Motivering",
    "Belägg 2018–2019",
    "Belägg 2026 (rättad text)",
    f"Belägg 2026, {explore.OCR_NOTE}",
    "Via huvudinsatsen",
]


def initiatives_table(ds: Dataset, frame, title: str = "Insatser") -> Table:
    source = ds.document_title(explore.SOURCE_2018)
    responsible = explore.responsibility_texts(ds)
    rows = [
        [
            r["insats_id"],
            r["etikett"],
            _str(r["overordnad_namn"]),
            _num(r["fokusomrade"]),
            _str(r["fokusomrade_namn"]),
            _years(r["ar"]),
            responsible[r["insats_id"]],
            _str(r["malgrupp"]),
            ", ".join(r["malgruppskategorier"]),
            _str(r["partner"]),
            _str(r["period_start"]),  # partial dates (2017, 2018-10) stay as the text gives them
            _str(r["period_slut"]),
            _str(r["period_text"]),
            _str(r["matbara_mal"]),
            _str(r["status"]),
            _str(r["beskrivning"]),
            source,
            _str(r["kalla_avsnitt"]),
            _str(r["kalla_citat"]),
        ]
        for r in frame.to_dict("records")
    ]
    return Table(
        title,
        "insatser",
        INITIATIVE_HEADERS,
        rows,
        wide=("Beskrivning", "Citat ur källan", "Målgrupp", "Tidsplan enligt texten"),
    )


def results_table(ds: Dataset, frame, title: str = "Resultat", slug: str = "resultat") -> Table:
    source = ds.document_title(explore.SOURCE_2018)
    labels = compare.initiative_labels(ds)
    rows = [
        [
            r["resultat_id"],
            r["insats_id"],
            labels.get(r["insats_id"], r["insats_id"]),
            _num(r["ar"]),
            _str(r["matt"]),
            None if explore.split_text(r) == explore.NOT_APPLICABLE else explore.split_text(r),
            explore.kind_text(r),
            _str(r["kvalifikator"]),
            _num(r["varde"]),
            _num(r["varde_max"]),
            _str(r["enhet"]),
            explore.result_value(r),
            "ja" if compare.is_key_figure(r) else "nej",
            _str(r["period"]) or str(r["ar"]),
            source,
            _str(r["kalla_avsnitt"]),
            _str(r["kalla_citat"]),
        ]
        for r in frame.to_dict("records")
    ]
    return Table(title, slug, RESULT_HEADERS, rows, wide=("Mått", "Citat ur källan"))


def successors_table(succ) -> Table:
    rows = [
        [
            r["relation"],
            _str(r["tema_id"]),
            _str(r["tema"]),
            _str(r["indikator_id"]),
            _str(r["indikator"]),
            {"kort": "kort sikt", "lång": "lång sikt"}.get(r["horisont"]),
            explore.target_text(r) if r["indikator_id"] else None,
            _str(r["maltyp"]),
            _num(r["malvarde"]),
            _str(r["motivering"]),
            _str(r["kalla_citat_2018"]),
            None
            if explore.evidence_text(r) == explore.NOT_APPLICABLE
            else explore.evidence_text(r),
            _str(r["kalla_citat_2026"]),
            _str(r["via"]),
        ]
        for r in succ.to_dict("records")
    ]
    return Table(
        "Vald insats 2026",
        "efterfoljare-2026",
        SUCCESSOR_HEADERS,
        rows,
        wide=("Motivering", "Belägg 2018–2019", SUCCESSOR_HEADERS[11], SUCCESSOR_HEADERS[12]),
    )


def _choice_text(ds: Dataset, focus_area, department, year, target_group, text) -> list:
    focus = dict(zip(ds.fokusomraden["nr"], ds.fokusomraden["namn"], strict=True))
    dept = department or S.DEPARTMENT_ALL
    return [
        ["Fokusområde", f"{focus_area}. {focus[focus_area]}" if focus_area else "alla"],
        ["Förvaltning", f"{dept} – {ds.department_name(dept)}"],
        ["År", year if year else "alla (2018 och 2019)"],
        ["Målgrupp", target_group or "alla"],
        ["Fritext", text or "ingen"],
    ]


def tables(
    ds: Dataset,
    focus_area=None,
    department=None,
    year=None,
    target_group=None,
    text=None,
    insats_id: str | None = None,
) -> list[Table]:
    """The export's tables: the choice made (Urval), the initiatives and results the filters
    let through and, with ``insats_id``, that initiative's record, all its results and its
    2026 successors. Bad filter values or an unknown id raise before anything is built."""
    if insats_id:
        explore.check_initiative(ds, insats_id)
    filters = {
        "focus_area": focus_area,
        "department": department,
        "year": year,
        "target_group": target_group,
        "text": text,
    }
    inits = explore.filter_initiatives(ds, **filters)
    results = explore.filter_results(ds, **filters)
    focus_area, dept, year, group = explore._normalise_filters(
        ds, focus_area, department, year, target_group
    )
    choice = _choice_text(ds, focus_area, dept, year, group, (text or "").strip())
    choice += [
        ["Vald insats", f"{compare.initiative_labels(ds)[insats_id]} ({insats_id})"]
        if insats_id
        else ["Vald insats", "ingen"],
        ["Antal insatser", len(inits)],
        ["Antal resultat", len(results)],
        ["Källa 2018–2019", ds.document_title(explore.SOURCE_2018)],
        ["Källa 2026", ds.document_title(explore.SOURCE_2026)],
        ["Exporterad", dt.datetime.now().strftime("%Y-%m-%d %H:%M")],
        [
            "Så läses bladen",
            "Värde är talet som källan anger (tom cell: uppgift saknas); Värde som i källan "
            "visar det med ca, drygt eller över. Slag av siffra: uppnått (resultat det året), "
            "planerat (en plan eller ett mål), sammanlagt (flera år, se Avser period) eller "
            "bakgrund. Nyckeltal = ja: insatsens huvudsiffra för nådda eller utbildade "
            "personer. Belägg 2026 är rättad text; den inskannade texten kan ha fel å/ä/ö.",
        ],
    ]
    out = [
        Table("Urval", "urval", ["Fält", "Värde"], choice, wide=("Värde",)),
        initiatives_table(ds, inits),
        results_table(ds, results),
    ]
    if insats_id:
        rec = explore.initiative_record(ds, insats_id)
        facts = (
            [["Svar", rec.svar]]
            + [["Nyckeltal", line] for line in rec.nyckeltal]
            + rec.facts().values.tolist()
        )
        out += [
            Table("Vald insats", "vald-insats", ["Fält", "Värde"], facts, wide=("Värde",)),
            results_table(ds, rec.resultat, "Vald insats resultat", "vald-insats-resultat"),
            successors_table(rec.efterfoljare),
        ]
    return out


# -- writing -------------------------------------------------------------------------------------
def xlsx_bytes(tables: list[Table]) -> bytes:
    """One workbook: a sheet per table, bold frozen header, filters, readable widths, long
    text wrapped; numbers stored as numbers (whole numbers shown with a thousands separator)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for table in tables:
        ws = book.create_sheet(table.title[:31])
        ws.append(table.columns)
        for row in table.rows:
            ws.append(row)
        for i, name in enumerate(table.columns, start=1):
            head = ws.cell(row=1, column=i)
            head.font = Font(bold=True)
            head.fill = header_fill
            head.alignment = Alignment(wrap_text=True, vertical="top")
            wide = name in table.wide
            width = WIDE if wide else max(10, min(MEDIUM, len(name) + 2))
            if not wide:
                longest = max((len(str(r[i - 1])) for r in table.rows if r[i - 1]), default=0)
                width = max(width, min(MEDIUM, longest + 2))
            ws.column_dimensions[get_column_letter(i)].width = width
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                if wide:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                else:
                    cell.alignment = Alignment(vertical="top")
        ws.freeze_panes = "B2" if len(table.columns) > 2 else "A2"
        if table.rows:
            ws.auto_filter.ref = ws.dimensions
    book.properties.creator = "report-utils (utforskaren)"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")  # decimal comma, no thousands separator
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """One table as CSV for Swedish Excel: ';'-separated, UTF-8 with BOM, decimal comma."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def write(tables: list[Table], path: Path) -> list[Path]:
    """``*.xlsx``: one workbook; ``*.csv``: ``<stem>-<table>.csv`` per table beside it."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ParameterError(
            f"okänt filformat {path.suffix or '(inget)'!r} för {path.name}; "
            "giltiga: .xlsx (Excel) och .csv"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(tables))
        return [path]
    written = []
    for table in tables:
        target = path.with_name(f"{path.stem}-{table.slug}.csv")
        target.write_bytes(csv_bytes(table))
        written.append(target)
    return written


def file_stem(
    department=None, year=None, focus_area=None, target_group=None, text=None, insats_id=None
) -> str:
    """A file name that says what was exported: ``insatser-2018-2019_SOF_2019_mhfa``."""
    parts = ["insatser-2018-2019"]
    for value in (
        department,
        year,
        focus_area and f"fokus{focus_area}",
        target_group,
        text,
        insats_id,
    ):
        if value and str(value).upper() != S.DEPARTMENT_ALL:
            slug = re.sub(r"[^\w-]+", "-", explore._fold(value)).strip("-")[:30]
            if slug:
                parts.append(slug.upper() if value == department else slug)
    return "_".join(parts)
