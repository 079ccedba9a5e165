"""The departments' fill-in forms: one protected workbook per department and year.

``python -m report_utils forms 2026`` writes ``<out>/2026_SOF.xlsx`` … Each form holds only
the department's indicators (by ``avdelningar``: its own, those its themes name it for,
and those shared by all four) with theme, text, unit, target (in words and as a number), the 2018–2019
baseline and the latest earlier value — all locked — and yellow input cells for the value,
the comparison value (only for targets stated as a change) and a comment. Each input cell
has Excel data validation and an input message; shares are in Excel's percent format.

A returned form identifies itself: a very hidden, protected sheet ``_metadata`` records
form version, year, department, each data row's id and Excel row, a copy of every locked
cell, and a checksum over all of it. :mod:`report_utils.collect` reads returned forms by
that metadata, never by file name, and refuses edited ids or locked cells.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import compare as C
from . import formatting as F
from . import schemas as S
from .errors import ParameterError, ReportError
from .model import Dataset, load_dataset
from .workbooks import (
    _FIXED_TIME,
    INFO_COLOUR,
    INPUT_COLOUR,
    UNIT_LABELS,
    save,
    target_format,
    target_words,
    value_format,
    value_validation,
)

FORM_KIND = "indikatorvarden"
FORM_VERSION = 1
FORM_SHEET = "Indikatorer"
INSTRUCTIONS_SHEET = "Instruktioner"
META_SHEET = "_metadata"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
#: targets measured from a comparison value, for which the form asks for one
RELATIVE_TARGETS = (
    "oka",
    "minska",
    "minska_procent",
    "minska_procentenheter",
    "oka_procent",
    "oka_procentenheter",
)
HORIZONS = {"kort": "kort sikt", "lång": "lång sikt"}


@dataclass(frozen=True)
class FormColumn:
    key: str
    header: str
    width: float
    input: bool = False


def form_columns(year: int) -> tuple[FormColumn, ...]:
    """The form's columns, A first (A, the row id, is hidden)."""
    return (
        FormColumn("rad_id", "Rad-id", 16),
        FormColumn("tema", "Tema", 26),
        FormColumn("indikator_id", "Id", 9),
        FormColumn("indikator", "Indikator", 50),
        FormColumn("horisont", "Sikt", 10),
        FormColumn("enhet", "Enhet", 10),
        FormColumn("mal", "Mål", 34),
        FormColumn("malvarde", "Målvärde", 12),
        FormColumn("baslinje", "Utgångsläge 2018–2019", 34),
        FormColumn("tidigare", "Tidigare värde", 16),
        FormColumn("varde", f"Värde {year}", 14, input=True),
        FormColumn("jamforelsevarde", "Jämförelsevärde", 15, input=True),
        FormColumn("kommentar", "Kommentar", 40, input=True),
    )


def row_id(indikator_id: str, department: str) -> str:
    return f"{indikator_id}:{department}"


@dataclass(frozen=True)
class FormRow:
    """One indicator as the department's form shows it."""

    indikator_id: str
    department: str
    tema: str
    indikator: str
    horisont: str
    enhet: str
    maltyp: str
    malvarde: float | None
    mal: str
    baslinje: str | None
    tidigare: str | None
    asks_comparison: bool

    @property
    def row_id(self) -> str:
        return row_id(self.indikator_id, self.department)


def show_value(value: object, unit: str) -> str:
    """A reported value as Swedes read it, by the indicator's unit."""
    if unit == "andel":
        return F.percent(value)
    if unit == "antal":
        return F.number(value)
    return F.MISSING if F.is_missing(value) else str(value)


def baseline_text(records: list[dict]) -> str | None:
    """The 2018–2019 headline figures behind an indicator, e.g. ``MHFA: 150 (2018), 291 (2019)``."""
    by_initiative: dict[str, list[str]] = {}
    for rec in records:
        figure = F.value_with_unit(rec["varde"], rec["enhet"], rec["kvalifikator"])
        by_initiative.setdefault(rec["insats"], []).append(f"{figure} ({rec['ar']})")
    if not by_initiative:
        return None
    return "; ".join(f"{name}: {', '.join(figs)}" for name, figs in by_initiative.items())


def previous_value(ds: Dataset, indikator_id: str, department: str, year: int) -> str | None:
    """The latest value reported for the indicator before ``year``, e.g. ``2026: 23,5 %``."""
    unit = None
    for y in sorted((y for y in ds.goals if y < year), reverse=True):
        goal = ds.goals[y]
        frame = goal.varden
        hit = frame[(frame["indikator_id"] == indikator_id) & (frame["forvaltning"] == department)]
        if len(hit) and hit.iloc[0]["varde"] is not None:
            units = goal.indikatorer.set_index("indikator_id")["enhet"]
            unit = units.get(indikator_id, "text")
            return f"{y}: {show_value(hit.iloc[0]['varde'], unit)}"
    return None


def form_rows(ds: Dataset, year: int, department: str) -> list[FormRow]:
    """The department's indicators of ``year`` (its own and the shared ones), in report order."""
    goal = ds.goals[year]
    baselines = C.crosswalk_for(ds, S.DEPARTMENT_ALL)
    rows = []
    for ind in C.indicators_for(goal, department).to_dict("records"):
        hist = baselines[baselines["indikator_id"] == ind["indikator_id"]]
        records = [b for cell in hist["baslinje"] for b in cell]
        rows.append(
            FormRow(
                indikator_id=ind["indikator_id"],
                department=department,
                tema=ind["tema"],
                indikator=ind["text"],
                horisont=HORIZONS.get(ind["horisont"], ind["horisont"]),
                enhet=ind["enhet"],
                maltyp=ind["maltyp"],
                malvarde=ind["malvarde"],
                mal=target_words(ind["maltyp"], ind["malvarde"], ind["mal_text"]),
                baslinje=baseline_text(records),
                tidigare=previous_value(ds, ind["indikator_id"], department, year),
                asks_comparison=ind["maltyp"] in RELATIVE_TARGETS
                and ind["enhet"] in ("antal", "andel"),
            )
        )
    return rows


def metadata_checksum(meta: dict, rows: list[list], locked: list[list]) -> str:
    """SHA-256 over the metadata (without the checksum itself): a changed cell shows."""

    def norm(v):
        if isinstance(v, float) and v == int(v):
            return int(v)
        return v

    payload = json.dumps(
        [
            sorted((k, norm(v)) for k, v in meta.items() if k != "kontrollsumma"),
            [[norm(v) for v in r] for r in rows],
            [[norm(v) for v in r] for r in locked],
        ],
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


#: the instructions sheet, one cell per paragraph ("" = an empty row; headings in bold)
INSTRUCTIONS = (
    "Det här formuläret gäller {name} ({code}) och år {year}. Det innehåller de {n} "
    "indikatorer i stadens överenskommelse om psykisk hälsa och suicidprevention som "
    "förvaltningen rapporterar: egna indikatorer och gemensamma (de gemensamma finns i alla "
    "fyra förvaltningarnas formulär).",
    "",
    "Så fyller du i",
    "1. Öppna bladet Indikatorer. Fyll bara i de gula cellerna; övriga celler är låsta.",
    "2. Värde {year}: skriv värdet i indikatorns enhet (kolumnen Enhet).",
    "    – antal: ett tal som är 0 eller större, t.ex. 1 100.",
    "    – andel i %: t.ex. 23,5 % (cellen är i procentformat, så 23,5 blir 23,5 %).",
    "    – ja/nej: välj ja eller nej i listan.",
    "    – text: skriv fritt.",
    "3. Lämna cellen tom om värdet inte är känt. Skriv aldrig 0 för okänt – 0 betyder noll.",
    "4. Jämförelsevärde (bara där cellen är gul): för mål som anges som en förändring, t.ex. "
    "”minska med 20 %”, skriv utgångsvärdet som förändringen räknas från. Lämnas det tomt "
    "jämförs med förra årets värde, om det finns.",
    "5. Kommentar: förklara gärna värdet, var det kommer ifrån eller varför det saknas.",
    "6. Spara filen i Excel (som .xlsx) och skicka tillbaka den. Filnamnet spelar ingen roll. "
    "Ändra inte blad, kolumner eller låsta celler: formuläret känner igen sig självt med dolda "
    "uppgifter och läses in automatiskt, och ett ändrat formulär kan inte läsas in.",
    "7. Har du skrivit formler i gula celler: spara filen i Excel, så att resultatet sparas.",
    "",
    "Kolumnerna",
    "Tema, Id, Indikator och Sikt: indikatorn som den står i överenskommelsen.",
    "Enhet: antal, andel i %, ja/nej eller text.",
    "Mål och Målvärde: målet i ord och som tal, om överenskommelsen anger ett.",
    "Utgångsläge 2018–2019: vad de stimulansfinansierade insatserna 2018–2019 nådde, där en "
    "insats leder fram till indikatorn.",
    "Tidigare värde: det senaste värde som rapporterats för indikatorn före {year}.",
    "",
    "Ett tomt värde visas i rapporten som ”ej rapporterat”. Frågor: kontakta den som "
    "skickade formuläret.",
    "Formulärversion {version}.",
)
HEADINGS = ("Så fyller du i", "Kolumnerna")


def _protect(ws) -> None:
    """Lock the sheet (no password: protection prevents mistakes; collect catches edits).
    Column widths and row heights may still be changed."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def build_form(ds: Dataset, year: int, department: str):
    """The department's form as an openpyxl workbook (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.protection import WorkbookProtection

    rows = form_rows(ds, year, department)
    name = ds.department_name(department)
    columns = form_columns(year)
    letter = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor=INFO_COLOUR)
    yellow = PatternFill("solid", fgColor=INPUT_COLOUR)
    unlocked = Protection(locked=False)

    book = Workbook()
    info = book.active
    info.title = INSTRUCTIONS_SHEET
    info["A1"] = f"Insamling av indikatorvärden {year} – {name}"
    info["A1"].font = Font(bold=True, size=14)
    for i, paragraph in enumerate(INSTRUCTIONS, start=3):
        text = paragraph.format(
            name=name, code=department, year=year, n=len(rows), version=FORM_VERSION
        )
        cell = info.cell(i, 1, text or None)
        cell.alignment = wrap
        if text in HEADINGS:
            cell.font = Font(bold=True)
    info.column_dimensions["A"].width = 100
    _protect(info)

    ws = book.create_sheet(FORM_SHEET)
    ws["B1"] = f"Indikatorvärden {year} – {name} ({department})"
    ws["B1"].font = Font(bold=True, size=14)
    ws["B2"] = (
        "Fyll i de gula cellerna. Läs bladet Instruktioner först. Lämna tomt om ett värde "
        "inte är känt – skriv aldrig 0 för okänt."
    )
    ws["B3"] = f"{len(rows)} indikatorer. Formulärversion {FORM_VERSION}."
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, i, col.header)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        cell.fill = yellow if col.input else grey
        ws.column_dimensions[letter[col.key]].width = col.width
    ws.column_dimensions["A"].hidden = True  # the row ids; the title rows start in B

    meta_rows: list[list] = []
    for r, row in enumerate(rows, start=FIRST_ROW):
        shown = {
            "rad_id": row.row_id,
            "tema": row.tema,
            "indikator_id": row.indikator_id,
            "indikator": row.indikator,
            "horisont": row.horisont,
            "enhet": UNIT_LABELS.get(row.enhet, row.enhet),
            "mal": row.mal,
            "malvarde": row.malvarde,
            "baslinje": row.baslinje or "–",
            "tidigare": row.tidigare or "–",
        }
        for key, value in shown.items():
            cell = ws[f"{letter[key]}{r}"]
            cell.value = value
            cell.alignment = wrap
        ws[f"{letter['malvarde']}{r}"].number_format = target_format(row.maltyp, row.enhet)
        label = f"{row.indikator_id}: "
        inputs = [
            ("varde", row.enhet, f"{label}värde {year}", f"Mål: {row.mal}."),
            ("kommentar", "text", f"{label}kommentar", "Förvaltningens kommentar till värdet."),
        ]
        if row.asks_comparison:
            inputs.append(
                (
                    "jamforelsevarde",
                    row.enhet,
                    f"{label}jämförelsevärde",
                    f"Utgångsvärdet som målet ({row.mal}) räknas från.",
                )
            )
        else:
            ws[f"{letter['jamforelsevarde']}{r}"].fill = grey
        for key, unit, title, prompt in inputs:
            cell = ws[f"{letter[key]}{r}"]
            cell.protection = unlocked
            cell.fill = yellow
            cell.alignment = wrap
            cell.number_format = value_format(unit)
            rule = value_validation(unit, title, prompt, value=key != "kommentar")
            ws.add_data_validation(rule)
            rule.add(cell)
        meta_rows.append(
            [r, row.row_id, row.indikator_id, row.enhet, "ja" if row.asks_comparison else "nej"]
        )
    ws.freeze_panes = f"E{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)

    locked = [
        [cell.coordinate, cell.value]
        for line in ws.iter_rows()
        for cell in line
        if cell.value is not None and cell.protection.locked
    ]
    meta = {
        "formular": FORM_KIND,
        "formularversion": FORM_VERSION,
        "ar": year,
        "forvaltning": department,
        "blad": FORM_SHEET,
        "antal_rader": len(rows),
    }
    meta["kontrollsumma"] = metadata_checksum(meta, meta_rows, locked)
    hidden = book.create_sheet(META_SHEET)
    hidden.append(["nyckel", "värde"])
    for key, value in meta.items():
        hidden.append([key, value])
    for r, values in enumerate([["rad", "rad_id", "indikator_id", "enhet", "jamforelse"]]):
        for c, value in enumerate(values, start=4):
            hidden.cell(r + 1, c, value)
    for r, values in enumerate(meta_rows, start=2):
        for c, value in enumerate(values, start=4):
            hidden.cell(r, c, value)
    hidden.cell(1, 10, "cell")
    hidden.cell(1, 11, "innehåll")
    for r, (coord, value) in enumerate(locked, start=2):
        hidden.cell(r, 10, coord)
        hidden.cell(r, 11, value)
    hidden.sheet_state = "veryHidden"
    _protect(hidden)

    book.active = 0
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "report_utils"
    book.properties.title = f"Indikatorvärden {year} – {name}"
    return book


def form_path(out_dir: Path, year: int, department: str) -> Path:
    return Path(out_dir) / f"{year}_{department}.xlsx"


def _has_filled_values(path: Path) -> bool:
    """Whether an existing form at ``path`` has anything typed into its input cells."""
    from .collect import read_form_cells  # a form already on disk, read as collect reads it

    try:
        return read_form_cells(path)
    except Exception:  # not a readable form: not ours to judge, refuse to overwrite below
        return True


def write_forms(
    data_dir: Path, year: int, out_dir: Path, departments: list[str] | None = None
) -> list[Path]:
    """Write one form per department (default: all four) for ``year``; return the paths.

    Refuses, writing nothing, when the data is invalid, the year has no goals, or a file in
    the way already holds filled-in values (a returned form must not be overwritten).
    """
    ds = load_dataset(data_dir)
    if year not in ds.goals:
        raise ParameterError(
            f"{year} har inga mål ({year}/mal.xlsx saknas); år med mål: "
            f"{', '.join(map(str, ds.goal_years)) or 'inga'}"
        )
    departments = departments or ds.departments
    unknown = [d for d in departments if d not in ds.departments]
    if unknown:
        raise ParameterError(
            f"okänd förvaltning {unknown[0]!r}; giltiga: {', '.join(ds.departments)}"
        )
    out_dir = Path(out_dir)
    targets = [form_path(out_dir, year, d) for d in departments]
    busy = [p for p in targets if p.exists() and _has_filled_values(p)]
    if busy:
        raise ReportError(
            f"{busy[0]} finns redan och innehåller ifyllda värden (eller är inget formulär); "
            "inget har skrivits. Flytta filen eller välj en annan mapp med --out."
        )
    books = [build_form(ds, year, d) for d in departments]
    out_dir.mkdir(parents=True, exist_ok=True)
    for book, target in zip(books, targets, strict=True):
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".xlsx", dir=out_dir)
        os.close(fd)
        try:
            save(book, tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return targets
