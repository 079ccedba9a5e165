"""Checking loaded sheets against their schemas — collecting every problem, never stopping early.

Column-level rules (required, unique, allowed values, ranges) are pandera schemas built
from :mod:`report_utils.schemas` and run in lazy mode; rules that span rows or sheets
(references, units, consistency between sheets) are checked here by hand. Every problem
names file, sheet, Excel row, column, the offending value and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from . import schemas as S
from .errors import Problem
from .loading import ROW, LoadedSheet, parse_number
from .loading import CellError as _CellError

NOT_NULL = "ett värde krävs (cellen får inte vara tom)"
UNIQUE = "värdet måste vara unikt i kolumnen, men förekommer på flera rader"


def _is_list_kind(col: S.Column) -> bool:
    return col.kind in (S.CODES, S.INTLIST)


def _checks_for(col: S.Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    expected = f"väntade {col.expected}"
    if col.choices:
        choices = frozenset(col.choices)
        checks.append(pa.Check(lambda v: v in choices, element_wise=True, error=expected))
    if col.min is not None or col.max is not None:
        lo = float("-inf") if col.min is None else col.min
        hi = float("inf") if col.max is None else col.max
        if _is_list_kind(col):
            checks.append(
                pa.Check(lambda v: all(lo <= x <= hi for x in v), element_wise=True, error=expected)
            )
        else:
            checks.append(pa.Check(lambda v: lo <= v <= hi, element_wise=True, error=expected))
    return checks


def build_schema(sheet: S.Sheet) -> pa.DataFrameSchema:
    """The pandera schema for one sheet's parsed values (types are parsed beforehand)."""
    return pa.DataFrameSchema(
        {
            col.name: pa.Column(
                object,
                nullable=not col.required,
                unique=col.unique,
                checks=_checks_for(col),
                required=False,
            )
            for col in sheet.columns
        },
        name=sheet.name,
    )


def check_columns(loaded: LoadedSheet) -> list[Problem]:
    """Run the sheet's pandera schema lazily and turn every failure into a Problem."""
    frame = loaded.frame
    present = [c for c in loaded.sheet.columns if c.name in frame.columns]
    # cells that failed to parse are already reported; don't also call them empty
    unparsed = {(p.row, p.column) for p in loaded.problems}
    try:
        build_schema(loaded.sheet).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        if case.column not in {c.name for c in present} or pd.isna(case.index):
            continue
        row = int(frame.at[int(case.index), ROW])
        if case.check == "not_nullable":
            if (row, case.column) in unparsed:
                continue
            expected = NOT_NULL
        elif case.check == "field_uniqueness":
            expected = UNIQUE
        else:
            expected = str(case.check)
        value = frame.at[int(case.index), case.column]
        problems.append(Problem(loaded.file, loaded.sheet.name, row, case.column, value, expected))
    return problems


def _values(cell) -> Iterable:
    if cell is None:
        return ()
    return cell if isinstance(cell, tuple) else (cell,)


def check_references(loaded: LoadedSheet, column: str, allowed: set, target: str) -> list[Problem]:
    """Each value in ``column`` must be one of ``allowed`` (the ids of ``target``)."""
    if column not in loaded.frame.columns:
        return []
    problems = []
    shown = sorted(map(str, allowed))
    hint = ", ".join(shown[:12]) + (" …" if len(shown) > 12 else "")
    for row, cell in zip(loaded.frame[ROW], loaded.frame[column], strict=True):
        for value in _values(cell):
            if value not in allowed:
                problems.append(
                    Problem(
                        loaded.file,
                        loaded.sheet.name,
                        int(row),
                        column,
                        value,
                        f"okänd referens: värdet finns inte i {target} (giltiga: {hint})",
                    )
                )
    return problems


NEGATIVE_COUNT = "ett antal kan inte vara negativt"
SHARE_RANGE = "en andel i procent ska ligga mellan 0 och 100"


def quantity_problem(value: float, unit: str) -> str | None:
    """What is wrong with a number of this unit: counts ≥ 0, shares (%) within 0–100."""
    if unit in ("antal", *S.COUNT_UNITS) and value < 0:
        return NEGATIVE_COUNT
    if unit in ("andel", *S.PERCENT_UNITS) and not 0 <= value <= 100:
        return SHARE_RANGE
    return None


def check_result_values(loaded: LoadedSheet) -> list[Problem]:
    """Counts cannot be negative, shares lie within 0–100 %, ranges need an upper bound."""
    problems = []
    for rec in loaded.frame.to_dict("records"):
        unit = (rec.get("enhet") or "").lower()
        for col in ("varde", "varde_max"):
            value = rec.get(col)
            wrong = None if value is None else quantity_problem(value, unit)
            if wrong:
                problems.append(
                    Problem(loaded.file, loaded.sheet.name, rec[ROW], col, value, wrong)
                )
        if rec.get("kvalifikator") == "intervall" and rec.get("varde_max") is None:
            problems.append(
                Problem(
                    loaded.file,
                    loaded.sheet.name,
                    rec[ROW],
                    "varde_max",
                    None,
                    "kvalifikatorn 'intervall' kräver en övre gräns i varde_max",
                )
            )
    return problems


def check_theme_indicator_status(teman: LoadedSheet, indikatorer: LoadedSheet) -> list[Problem]:
    """A theme says 'finns' for a horizon exactly when indicator rows exist for it."""
    frame = indikatorer.frame
    have = {(t, h) for t, h in zip(frame["tema_id"], frame["horisont"], strict=True)}
    problems = []
    for rec in teman.frame.to_dict("records"):
        for col, horizon in (
            ("kortsiktiga_indikatorer", "kort"),
            ("langsiktiga_indikatorer", "lång"),
        ):
            status = rec.get(col)
            exists = (rec["tema_id"], horizon) in have
            if status == "finns" and not exists:
                expected = (
                    f"'finns', men bladet 'indikatorer' har ingen rad med horisont '{horizon}'"
                )
            elif status in ("saknas", "ej angivet") and exists:
                expected = (
                    f"'{status}', men bladet 'indikatorer' har rader med horisont '{horizon}'"
                    " för temat; ange 'finns'"
                )
            else:
                continue
            problems.append(Problem(teman.file, teman.sheet.name, rec[ROW], col, status, expected))
    return problems


def check_targets(indikatorer: LoadedSheet) -> list[Problem]:
    """A quantitative target type (−20 %, at least 80 …) needs a target value."""
    problems = []
    for rec in indikatorer.frame.to_dict("records"):
        if (
            rec.get("maltyp") not in (None, *S.DIRECTION_ONLY_TARGETS)
            and rec.get("malvarde") is None
        ):
            problems.append(
                Problem(
                    indikatorer.file,
                    indikatorer.sheet.name,
                    rec[ROW],
                    "malvarde",
                    None,
                    f"maltyp '{rec['maltyp']}' kräver ett målvärde",
                )
            )
    return problems


PERCENT_IN_COUNT = "väntade ett antal (ett tal utan %-tecken; indikatorn räknas i antal)"
NOT_RESPONSIBLE = (
    "förvaltningen {dept} är inte ansvarig för indikatorn {ind} enligt {mal} "
    "(ansvariga: {who}); flytta värdet till en ansvarig förvaltnings rad eller ändra "
    "ansvariga i mal.xlsx — annars visas det inte i någon rapport"
)
UNIT_MISMATCH = (
    "enheten stämmer inte med {mal}, där indikatorn har enheten '{unit}'; "
    "kör `python -m report_utils rebuild-values {year}` så att arbetsboken visar rätt enhet"
)


def parse_indicator_value(raw: object, unit: str) -> object:
    """An indicator value as its unit wants it; raises ``ValueError`` with what was expected.

    Counts and shares are numbers (a share in percent: ``23,5 %``, ``23,5`` and a
    percent-formatted cell holding 0.235 all give 23.5); ja/nej is lower-cased; text is kept.
    """
    if raw is None or str(raw).strip() == "":
        return None
    if unit == "ja-nej":
        text = str(raw).strip().lower()
        if text not in S.JA_NEJ:
            raise ValueError("väntade 'ja' eller 'nej' (indikatorn är ja/nej)")
        return text
    if unit == "text":
        return str(raw).strip()
    if unit == "antal" and isinstance(raw, str) and "%" in raw:
        raise ValueError(PERCENT_IN_COUNT)
    try:
        number = parse_number(raw)
    except _CellError:
        raise ValueError(f"väntade {S.KIND_EXPECTED[S.NUMBER]}") from None
    wrong = quantity_problem(number, unit)
    if wrong:
        raise ValueError(wrong)
    return number


def responsible(ansvariga, department: str) -> bool:
    """Whether ``department`` reports on an indicator (blank ``ansvariga``: all do)."""
    return not ansvariga or department in ansvariga


def parse_indicator_values(
    varden: LoadedSheet, indikatorer: pd.DataFrame, year: int | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """The values sheet with ``varde`` parsed by each indicator's unit, and every problem.

    Never changes ``varden``: the parsed values come back in a new frame. Checks: one row
    per indicator × department; values and comparison values within their unit's range;
    a value (or comment) only on the row of a department responsible for the indicator
    (anything else would show in no report); the ``enhet`` shown beside the value is the
    indicator's unit in ``mal.xlsx``.
    """
    by_id = {rec["indikator_id"]: rec for rec in indikatorer.to_dict("records")}
    mal = f"{year}/mal.xlsx" if year is not None else "mal.xlsx"
    file, sheet = varden.file, varden.sheet.name
    problems = []
    seen: dict[tuple, int] = {}
    parsed = []
    for rec in varden.frame.to_dict("records"):
        row = rec[ROW]
        key = (rec.get("indikator_id"), rec.get("forvaltning"))
        if None not in key and key in seen:
            problems.append(
                Problem(
                    file,
                    sheet,
                    row,
                    "forvaltning",
                    key[1],
                    f"indikatorn {key[0]} har redan en rad för {key[1]} (rad {seen[key]})",
                )
            )
        seen.setdefault(key, row)
        indicator = by_id.get(rec.get("indikator_id"))
        unit = indicator["enhet"] if indicator else "text"
        try:
            parsed.append(parse_indicator_value(rec.get("varde"), unit))
        except ValueError as exc:
            parsed.append(None)
            problems.append(Problem(file, sheet, row, "varde", rec.get("varde"), str(exc)))
        base = rec.get("jamforelsevarde")
        wrong = None if base is None else quantity_problem(base, unit)
        if wrong:
            problems.append(Problem(file, sheet, row, "jamforelsevarde", base, wrong))
        if indicator is None or key[1] is None:
            continue  # an unknown id or department is reported by the reference check
        shown_unit = rec.get("enhet")
        if shown_unit is not None and shown_unit != unit:
            problems.append(
                Problem(
                    file,
                    sheet,
                    row,
                    "enhet",
                    shown_unit,
                    UNIT_MISMATCH.format(mal=mal, unit=unit, year=year or "ÅR"),
                )
            )
        if not responsible(indicator["ansvariga"], key[1]):
            filled = [
                c for c in ("varde", "jamforelsevarde", "kommentar") if rec.get(c) is not None
            ]
            for col in filled:
                problems.append(
                    Problem(
                        file,
                        sheet,
                        row,
                        col,
                        rec.get(col),
                        NOT_RESPONSIBLE.format(
                            dept=key[1],
                            ind=key[0],
                            mal=mal,
                            who=", ".join(indicator["ansvariga"]),
                        ),
                    )
                )
    frame = varden.frame.copy()
    frame["varde"] = pd.Series(parsed, index=frame.index, dtype=object)
    return frame, problems


def check_indicator_values(
    varden: LoadedSheet, indikatorer: pd.DataFrame, year: int | None = None
) -> list[Problem]:
    """The problems of :func:`parse_indicator_values` (``varden`` is left unchanged)."""
    return parse_indicator_values(varden, indikatorer, year)[1]
