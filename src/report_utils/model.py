"""The validated data set: loading every workbook, discovering years, department slices."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schemas as S
from . import validation as V
from .errors import DataValidationError, ParameterError, Problem
from .loading import ROW, LoadedSheet, read_workbook, workbook_path

_YEAR_DIR = re.compile(r"^\d{4}$")


def discover_goal_years(data_dir: Path) -> list[int]:
    """Years that have a goals workbook: ``data/<YYYY>/mal.xlsx`` (cheap: no file is read)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in data_dir.iterdir()
        if p.is_dir() and _YEAR_DIR.match(p.name) and (p / "mal.xlsx").is_file()
    )


@dataclass
class GoalYear:
    """One year's goals (themes, activities, long-term goals, indicators) and reported values."""

    year: int
    teman: pd.DataFrame
    aktiviteter: pd.DataFrame
    langsiktiga_mal: pd.DataFrame
    indikatorer: pd.DataFrame
    varden: pd.DataFrame  # empty frame with the schema's columns when no values exist


@dataclass
class Dataset:
    """Everything the reports show, validated. Frames keep ``_rad`` (the Excel row)."""

    data_dir: Path
    forvaltningar: pd.DataFrame
    fokusomraden: pd.DataFrame
    delmal: pd.DataFrame
    dokument: pd.DataFrame
    forkortningar: pd.DataFrame  # abbreviations a report explains in its glossary
    insatser: pd.DataFrame
    ansvar: pd.DataFrame  # responsible departments per initiative × year
    resultat: pd.DataFrame
    koppling: pd.DataFrame
    goals: dict[int, GoalYear] = field(default_factory=dict)

    # -- what exists -------------------------------------------------------------------
    @property
    def departments(self) -> list[str]:
        return list(self.forvaltningar["kod"])

    @property
    def report_departments(self) -> list[str]:
        """The city-wide overview first, then each department."""
        return [S.DEPARTMENT_ALL, *self.departments]

    @property
    def historical_years(self) -> list[int]:
        years = {int(y) for y in self.resultat["ar"].dropna()}
        for cell in self.insatser["ar"].dropna():
            years.update(int(y) for y in cell)
        return sorted(years)

    @property
    def goal_years(self) -> list[int]:
        return sorted(self.goals)

    @property
    def years(self) -> list[int]:
        return sorted(set(self.historical_years) | set(self.goal_years))

    @property
    def latest_goal_year(self) -> int | None:
        return max(self.goals) if self.goals else None

    def department_name(self, code: str) -> str:
        if code == S.DEPARTMENT_ALL:
            return "Helsingborgs stad – alla förvaltningar"
        match = self.forvaltningar.loc[self.forvaltningar["kod"] == code, "namn"]
        return str(match.iloc[0]) if len(match) else code

    def check_parameters(self, department: str, year: int) -> None:
        """Raise :class:`ParameterError` naming the valid values if either is unknown."""
        if department not in self.report_departments:
            raise ParameterError(
                f"okänd förvaltning {department!r}; giltiga: {', '.join(self.report_departments)}"
            )
        if year not in self.years:
            raise ParameterError(f"okänt år {year!r}; giltiga: {', '.join(map(str, self.years))}")

    def document_title(self, dokument_id: str) -> str:
        match = self.dokument.loc[self.dokument["dokument_id"] == dokument_id, "titel"]
        return str(match.iloc[0]) if len(match) else dokument_id


def with_departments(
    indikatorer: pd.DataFrame,
    aktiviteter: pd.DataFrame,
    langsiktiga_mal: pd.DataFrame,
    departments: list[str],
) -> pd.DataFrame:
    """The indicators with ``avdelningar``: the departments responsible for each, by one rule.

    An indicator's own ``ansvariga``; where the text names none for it, the departments its
    theme names (in activities, long-term goals or indicators); where the theme names none
    either, all four (*gemensam*). Reports, forms, values and validation all use this column,
    so a department is asked for, shown and counted the same indicators everywhere.
    """
    named: dict[str, set[str]] = {}
    for frame in (aktiviteter, langsiktiga_mal, indikatorer):
        if "ansvariga" not in frame:
            continue
        for tema, cell in zip(frame["tema_id"], frame["ansvariga"], strict=True):
            if cell:
                named.setdefault(tema, set()).update(cell)
    order = {d: i for i, d in enumerate(departments)}

    def effective(rec) -> tuple[str, ...]:
        cell = rec["ansvariga"] or named.get(rec["tema_id"]) or departments
        return tuple(sorted(cell, key=lambda d: (order.get(d, len(order)), d)))

    frame = indikatorer.copy()
    frame["avdelningar"] = [effective(r) for r in frame.to_dict("records")] if len(frame) else []
    return frame


def involves(cell, department: str) -> bool:
    """Whether a department-codes cell includes ``department`` (``ALLA`` includes all)."""
    if department == S.DEPARTMENT_ALL:
        return True
    return bool(cell) and department in cell


def _frame(sheets: dict[str, LoadedSheet], sheet: S.Sheet) -> pd.DataFrame:
    loaded = sheets.get(sheet.name)
    if loaded is None:
        return pd.DataFrame(columns=[ROW, *sheet.column_names])
    return loaded.frame


def _ids(frame: pd.DataFrame, column: str) -> set:
    return {v for v in frame[column] if v is not None} if column in frame else set()


def collect(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read and check every workbook; return the data set and *all* problems found."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise ParameterError(f"datamappen {data_dir} finns inte")
    loaded: dict[str, dict[str, LoadedSheet]] = {}

    def read(workbook: S.Workbook, year: int | None = None) -> dict[str, LoadedSheet]:
        path = workbook_path(data_dir, workbook, year)
        label = str(path.relative_to(data_dir))
        sheets, found = read_workbook(path, workbook, label)
        problems.extend(found)
        for sheet in sheets.values():
            problems.extend(V.check_columns(sheet))
        return sheets

    for wb in S.SHARED_WORKBOOKS:
        loaded[wb.key] = read(wb)
    ref = loaded["referens"]
    ins = loaded["insatser"]
    depts = _ids(_frame(ref, S.REFERENS.sheet("forvaltningar")), "kod")
    focus = _ids(_frame(ref, S.REFERENS.sheet("fokusomraden")), "nr")
    subgoals = _ids(_frame(ref, S.REFERENS.sheet("delmal")), "nr")
    initiatives = _ids(_frame(ins, S.INSATSER.sheet("insatser")), "insats_id")

    targets = {
        ("forvaltningar", "kod"): (depts, "bladet 'forvaltningar' i referens.xlsx"),
        ("fokusomraden", "nr"): (focus, "bladet 'fokusomraden' i referens.xlsx"),
        ("delmal", "nr"): (subgoals, "bladet 'delmal' i referens.xlsx"),
        ("insatser", "insats_id"): (initiatives, "bladet 'insatser' i insatser_2018-2019.xlsx"),
    }

    def check_refs(sheets: dict[str, LoadedSheet], local: dict | None = None) -> None:
        for sheet in sheets.values():
            for col in sheet.sheet.columns:
                if col.ref is None:
                    continue
                key = (col.ref.sheet, col.ref.column)
                allowed, where = (local or {}).get(key) or targets[key]
                problems.extend(V.check_references(sheet, col.name, allowed, where))

    check_refs(ref)
    check_refs(ins)
    if "resultat" in ins:
        problems.extend(V.check_result_values(ins["resultat"]))
    if "insatser" in ins:
        if "ansvar" in ins:
            problems.extend(V.check_responsibility(ins["ansvar"], ins["insatser"]))
        if "resultat" in ins:
            problems.extend(V.check_result_kinds(ins["resultat"], ins["insatser"]))

    goals: dict[int, GoalYear] = {}
    all_themes: set = set()
    all_indicators: set = set()
    theme_of: dict[str, str] = {}
    for year in discover_goal_years(data_dir):
        mal = read(S.MAL, year)
        themes = _ids(_frame(mal, S.MAL.sheet("teman")), "tema_id")
        indicators_frame = with_departments(
            _frame(mal, S.MAL.sheet("indikatorer")),
            _frame(mal, S.MAL.sheet("aktiviteter")),
            _frame(mal, S.MAL.sheet("langsiktiga_mal")),
            sorted(depts),
        )
        indicators = _ids(indicators_frame, "indikator_id")
        all_themes |= themes
        all_indicators |= indicators
        local = {
            ("teman", "tema_id"): (themes, f"bladet 'teman' i {year}/mal.xlsx"),
            ("indikatorer", "indikator_id"): (
                indicators,
                f"bladet 'indikatorer' i {year}/mal.xlsx",
            ),
        }
        check_refs(mal, local)
        if "teman" in mal and "indikatorer" in mal:
            problems.extend(V.check_theme_indicator_status(mal["teman"], mal["indikatorer"]))
        if "indikatorer" in mal:
            problems.extend(V.check_targets(mal["indikatorer"]))
            problems.extend(V.check_yes_no_targets(mal["indikatorer"]))
            theme_of.update(
                zip(indicators_frame["indikator_id"], indicators_frame["tema_id"], strict=True)
            )
        values_path = workbook_path(data_dir, S.INDIKATORVARDEN, year)
        values = read(S.INDIKATORVARDEN, year) if values_path.exists() else {}
        check_refs(values, local)
        varden = _frame(values, S.INDIKATORVARDEN.sheet("varden"))
        if "varden" in values:
            varden, found = V.parse_indicator_values(values["varden"], indicators_frame, year)
            problems.extend(found)
        goals[year] = GoalYear(
            year=year,
            teman=_frame(mal, S.MAL.sheet("teman")),
            aktiviteter=_frame(mal, S.MAL.sheet("aktiviteter")),
            langsiktiga_mal=_frame(mal, S.MAL.sheet("langsiktiga_mal")),
            indikatorer=indicators_frame,
            varden=varden,
        )

    kop = loaded["koppling"]
    check_refs(kop)
    if "koppling" in kop:
        sheet = kop["koppling"]
        problems.extend(
            V.check_references(sheet, "tema_id", all_themes, "bladet 'teman' i något års mal.xlsx")
        )
        problems.extend(
            V.check_references(
                sheet, "indikator_id", all_indicators, "bladet 'indikatorer' i något års mal.xlsx"
            )
        )
        problems.extend(V.check_crosswalk_evidence(sheet, theme_of))

    dataset = Dataset(
        data_dir=data_dir,
        forvaltningar=_frame(ref, S.REFERENS.sheet("forvaltningar")),
        fokusomraden=_frame(ref, S.REFERENS.sheet("fokusomraden")),
        delmal=_frame(ref, S.REFERENS.sheet("delmal")),
        dokument=_frame(ref, S.REFERENS.sheet("dokument")),
        forkortningar=_frame(ref, S.REFERENS.sheet("forkortningar")),
        insatser=_frame(ins, S.INSATSER.sheet("insatser")),
        ansvar=_frame(ins, S.INSATSER.sheet("ansvar")),
        resultat=_frame(ins, S.INSATSER.sheet("resultat")),
        koppling=_frame(kop, S.KOPPLING.sheet("koppling")),
        goals=goals,
    )
    return dataset, problems


def load_dataset(data_dir: Path) -> Dataset:
    """The validated data set; raises :class:`DataValidationError` listing every problem."""
    dataset, problems = collect(data_dir)
    if problems:
        raise DataValidationError(problems)
    return dataset


_LOADED: dict[tuple, Dataset] = {}


def load_dataset_cached(data_dir: Path) -> Dataset:
    """:func:`load_dataset`, reused while no xlsx under ``data_dir`` has changed.

    The batch renderer loads once in the parent process; each forked report inherits it.
    """
    data_dir = Path(data_dir).resolve()
    signature = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(data_dir.rglob("*.xlsx"))
    )
    key = (str(data_dir), signature)
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load_dataset(data_dir)
    return _LOADED[key]
