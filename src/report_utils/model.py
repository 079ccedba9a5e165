"""The validated data set: loading every workbook, discovering years, department slices.

What each year's report reads is declared here, once (:func:`report_inputs`): the
renderer's cache key and the loader a report uses (:func:`load_for_report`) both derive
from that declaration, so a report can neither read nor be keyed on anything else.
pandas, openpyxl and pandera are imported by the functions that load data, not by this
module: the renderer computes cache keys from the declaration without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import schemas as S
from .errors import DataValidationError, ParameterError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from .loading import LoadedSheet

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


# -- what each report reads -------------------------------------------------------------------
#: Every report reads these: the departments, focus areas, sub-goals and source documents,
#: and the 2018–2019 initiatives with their results. A 2018 or 2019 report reads nothing else:
#: it is the baseline; the comparison with goals lives in the goal years' reports.
BASELINE_WORKBOOKS = (S.REFERENS, S.INSATSER)
#: A goal year's report also reads the crosswalk (2018–2019 initiative ↔ theme) ...
CROSSWALK_WORKBOOKS = (S.KOPPLING,)
#: ... and these workbooks of its own goal year and every earlier goal year (trends).
GOAL_YEAR_WORKBOOKS = (S.MAL, S.INDIKATORVARDEN)


@dataclass(frozen=True)
class ReportInputs:
    """What the report for one year may read. Nothing else is loaded for it, and its cache
    key covers exactly these files (plus the catalog's departments and years)."""

    year: int
    goal_years: tuple[int, ...]  # goal years whose workbooks the report reads (≤ year)
    crosswalk: bool  # whether it reads koppling.xlsx
    all_goal_years: tuple[int, ...] = ()  # every goal year that exists (names only, for links)

    @property
    def workbooks(self) -> list[tuple[S.Workbook, int | None]]:
        books: list[tuple[S.Workbook, int | None]] = [(wb, None) for wb in BASELINE_WORKBOOKS]
        if self.crosswalk:
            books += [(wb, None) for wb in CROSSWALK_WORKBOOKS]
        books += [(wb, y) for y in self.goal_years for wb in GOAL_YEAR_WORKBOOKS]
        return books

    def files(self, data_dir: Path) -> list[Path]:
        """The data files, in a fixed order (a missing optional one is listed all the same)."""
        return [
            Path(data_dir) / (wb.path.format(year=y) if wb.per_year else wb.path)
            for wb, y in self.workbooks
        ]


def report_inputs(data_dir: Path, year: int) -> ReportInputs:
    """The declaration: what the report for ``year`` reads (cheap: lists folders only)."""
    all_goal_years = tuple(discover_goal_years(data_dir))
    if year in all_goal_years:
        visible = tuple(y for y in all_goal_years if y <= year)
        return ReportInputs(year, visible, crosswalk=True, all_goal_years=all_goal_years)
    return ReportInputs(year, (), crosswalk=False, all_goal_years=all_goal_years)


@dataclass
class GoalYear:
    """One year's goals (themes, activities, long-term goals, indicators) and reported values."""

    year: int
    teman: pd.DataFrame
    aktiviteter: pd.DataFrame
    langsiktiga_mal: pd.DataFrame
    indikatorer: pd.DataFrame
    varden: pd.DataFrame  # empty frame with the schema's columns when no values exist
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)


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
    scope: ReportInputs | None = None  # what was read: None = every workbook
    #: results derived from this data set's frames (e.g. responsibility per year), computed
    #: once per data set; a new or restricted data set starts empty (not shared)
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

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
        from .parameters import check

        check(department, year, self.report_departments, self.catalog_years)

    @property
    def catalog_years(self) -> list[int]:
        """Every year there is a report for. A year-scoped data set (:func:`load_for_report`)
        knows which later goal years exist, for links to them, but holds none of their data."""
        later = self.scope.all_goal_years if self.scope is not None else ()
        return sorted(set(self.years) | set(later))

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
    import pandas as pd

    from .loading import ROW

    loaded = sheets.get(sheet.name)
    if loaded is None:
        return pd.DataFrame(columns=[ROW, *sheet.column_names])
    return loaded.frame


def _ids(frame: pd.DataFrame, column: str) -> set:
    return {v for v in frame[column] if v is not None} if column in frame else set()


def _validation():
    """:mod:`report_utils.validation`, imported without changing the caller's environment:
    pandera sets SPARK_LOCAL_IP and PYARROW_IGNORE_TIMEZONE when imported, for pyspark
    (pandera/external_config.py), whether or not pyspark is there."""
    from .settings import environment_kept

    with environment_kept():
        from . import validation

    return validation


def read_checked(
    path: Path, workbook: S.Workbook, label: str
) -> tuple[dict[str, LoadedSheet], list[Problem]]:
    """One workbook read (:func:`~report_utils.loading.parse_workbook`) and each sheet's
    columns checked against its schema; the problems of both. A file with the same bytes
    as one read before in this process is not read again: the result is the one found then
    (frames copied, so that a caller may change its own)."""
    from .loading import file_bytes

    content, problem = file_bytes(path, label)
    if problem is not None:
        return {}, [problem]
    sheets, problems = _parsed_and_checked(content, workbook, label)
    copies = {
        n: replace(s, frame=s.frame.copy(), problems=list(s.problems)) for n, s in sheets.items()
    }
    return copies, list(problems)


# By the file's bytes (and how they are read): a collection round, a render's catalog and
# the tests read the same unchanged files again and again, and parsing and checking a sheet
# cell by cell costs far more than comparing its file. Least recently used out first. A
# command-line run also keeps the result on disk for the next command (parsed_cache).
@lru_cache(maxsize=64)
def _parsed_and_checked(
    content: bytes, workbook: S.Workbook, label: str
) -> tuple[dict[str, LoadedSheet], tuple[Problem, ...]]:
    from . import parsed_cache
    from .loading import parse_workbook

    key = None
    if parsed_cache.active():
        from .cache import workbook_key

        key = workbook_key(content, repr(workbook), label)
        kept = parsed_cache.load(key)
        if _is_result(kept):
            return kept
    sheets, problems = parse_workbook(content, workbook, label)
    for sheet in sheets.values():
        problems.extend(_validation().check_columns(sheet))
    result = sheets, tuple(problems)
    if key is not None:
        parsed_cache.save(key, result)
    return result


def _is_result(kept: object) -> bool:
    from .loading import LoadedSheet

    return (
        isinstance(kept, tuple)
        and len(kept) == 2
        and isinstance(kept[0], dict)
        and all(isinstance(s, LoadedSheet) for s in kept[0].values())
        and isinstance(kept[1], tuple)
        and all(isinstance(p, Problem) for p in kept[1])
    )


def collect(data_dir: Path, scope: ReportInputs | None = None) -> tuple[Dataset, list[Problem]]:
    """Read and check every workbook; return the data set and *all* problems found.

    With ``scope`` (:func:`report_inputs`), only the workbooks it names are read, and the
    checks that need other workbooks (crosswalk themes of later years) are left to the
    whole-data validation that the renderer and ``validate`` run.
    """
    from .loading import workbook_path

    V = _validation()
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise ParameterError(f"datamappen {data_dir} finns inte")
    loaded: dict[str, dict[str, LoadedSheet]] = {}
    wanted = {wb.key for wb, _ in scope.workbooks} if scope is not None else None

    def read(workbook: S.Workbook, year: int | None = None) -> dict[str, LoadedSheet]:
        if wanted is not None and workbook.key not in wanted:
            return {}
        path = workbook_path(data_dir, workbook, year)
        sheets, found = read_checked(path, workbook, str(path.relative_to(data_dir)))
        problems.extend(found)
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
    for year in discover_goal_years(data_dir) if scope is None else scope.goal_years:
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
    if "koppling" in kop and scope is None:
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
        scope=scope,
    )
    return dataset, problems


def load_dataset(data_dir: Path, until_year: int | None = None) -> Dataset:
    """The validated data set; raises :class:`DataValidationError` listing every problem.

    With ``until_year``, only what the report for that year reads (:func:`report_inputs`):
    later years' data is not loaded at all.
    """
    scope = report_inputs(data_dir, until_year) if until_year is not None else None
    dataset, problems = collect(data_dir, scope)
    if problems:
        raise DataValidationError(problems)
    return dataset


#: Data sets loaded in this process, keyed by folder, scope and the files' size and
#: modification time, so an edited file is read again. Bounded; :func:`clear_cache` empties it.
_LOADED: dict[tuple, Dataset] = {}
_LOADED_MAX = 8


def _signature(paths) -> tuple:
    sig = []
    for path in paths:
        try:
            st = path.stat()
            sig.append((str(path), st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            sig.append((str(path), None, None))
    return tuple(sig)


def load_dataset_cached(data_dir: Path, until_year: int | None = None) -> Dataset:
    """:func:`load_dataset`, reused while none of the files it reads has changed.

    The batch renderer loads once in the parent process; each forked report inherits it.
    """
    data_dir = Path(data_dir).resolve()
    whole = (str(data_dir), None, _signature(sorted(data_dir.rglob("*.xlsx"))))
    if until_year is None:
        key = whole
    else:
        scope = report_inputs(data_dir, until_year)
        key = (str(data_dir), scope, _signature(scope.files(data_dir)))
    if key not in _LOADED:
        while len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        if until_year is not None and whole in _LOADED:  # the whole set, still current
            _LOADED[key] = restrict(_LOADED[whole], key[1])
        else:
            _LOADED[key] = _load_stored(data_dir, key[1]) or load_dataset(data_dir, until_year)
    return _LOADED[key]


#: Set by the renderer for the Jupyter kernels it starts (``--engine kernel``): a folder of
#: year-scoped data sets it has already loaded and validated, so that each fresh kernel
#: reads one file instead of parsing and validating the workbooks again.
STORE_ENV = "REPORT_UTILS_DATA_STORE"


def stored_path(store: Path, data_dir: Path, scope: ReportInputs) -> Path:
    """Where a validated, year-scoped data set is kept: named by a hash of the scope, the
    bytes of the files it reads, this package's code and the pandas version."""
    import hashlib
    import json

    from .cache import file_digest, library_versions, package_digest

    payload = {
        "scope": [scope.year, scope.goal_years, scope.crosswalk, scope.all_goal_years],
        "files": [file_digest(p) for p in scope.files(data_dir)],
        "package": package_digest(),
        "pandas": library_versions()["pandas"],
        "python": library_versions()["python"],
    }
    digest = hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:32]
    return Path(store) / f"{digest}.pickle"


def store_dataset(store: Path, data_dir: Path, until_year: int) -> Path:
    """Keep the data set the report for ``until_year`` reads in ``store`` (for kernels)."""
    import pickle

    from .outdir import write_atomic

    data_dir = Path(data_dir).resolve()
    dataset = load_dataset_cached(data_dir, until_year)
    path = stored_path(store, data_dir, dataset.scope)
    if not path.exists():
        write_atomic(path, pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def _load_stored(data_dir: Path, scope: ReportInputs | None) -> Dataset | None:
    """The data set from the renderer's store, if it set one up for this process."""
    import os
    import pickle

    store = os.environ.get(STORE_ENV)
    if not store or scope is None:
        return None
    try:
        # written by this project's renderer into the user's own output folder
        with open(stored_path(Path(store), data_dir, scope), "rb") as fh:
            dataset = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return dataset if isinstance(dataset, Dataset) and dataset.scope == scope else None


#: memo entries of a Dataset computed from the 2018–2019 workbooks alone
BASELINE_MEMO = ("responsibility",)


def restrict(dataset: Dataset, scope: ReportInputs) -> Dataset:
    """The part of a whole, validated data set that ``scope`` reads: the same as loading only
    those workbooks (a test compares the two), without reading them again."""
    import dataclasses

    restricted = dataclasses.replace(
        dataset,
        koppling=dataset.koppling if scope.crosswalk else dataset.koppling.iloc[0:0].copy(),
        goals={y: dataset.goals[y] for y in scope.goal_years},
        scope=scope,
    )
    # what depends on the 2018–2019 workbooks only stays valid (they are the same frames)
    restricted.memo.update({k: v for k, v in dataset.memo.items() if k in BASELINE_MEMO})
    return restricted


def clear_cache() -> None:
    """Forget every data set :func:`load_dataset_cached` keeps (the next load reads files)."""
    _LOADED.clear()


def load_for_report(data_dir: Path, department: str, year: int | str) -> Dataset:
    """The data the report for ``department`` and ``year`` may see, validated and checked.

    Only the workbooks the year's report reads are loaded (:func:`report_inputs`), so no
    later year's data can change it. An unknown department or year raises
    :class:`ParameterError` listing the valid values.
    """
    from .parameters import check, parse_year

    parsed = parse_year(year)
    data = load_dataset_cached(data_dir, until_year=parsed if parsed is not None else 0)
    check(department, year, data.report_departments, data.catalog_years)
    return data
