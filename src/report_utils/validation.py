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
    # cells that failed to parse are already reported; don't also call them empty; nor the
    # cells of a column that is missing altogether (reported once, for the header)
    unparsed = {(p.row, p.column) for p in loaded.problems}
    absent = {p.column for p in loaded.problems if p.row == 1}
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
            if (row, case.column) in unparsed or case.column in absent:
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


def responsible(indicator, department: str) -> bool:
    """Whether ``department`` reports on an indicator: one of its ``avdelningar``
    (:func:`report_utils.model.with_departments`), else — a bare ``ansvariga`` cell — named
    in it or the cell blank."""
    if isinstance(indicator, dict | pd.Series) and "avdelningar" in indicator:
        return department in (indicator["avdelningar"] or ())
    cell = indicator.get("ansvariga") if isinstance(indicator, dict | pd.Series) else indicator
    return not cell or department in cell


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
        if not responsible(indicator, key[1]):
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
                            who=", ".join(
                                indicator.get("avdelningar") or indicator["ansvariga"] or ()
                            ),
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


# -- meaning: responsibility per year, kinds of figures, yes/no targets, crosswalk evidence ------
def _rows(loaded: LoadedSheet) -> list[dict]:
    return loaded.frame.to_dict("records")


def check_responsibility(ansvar: LoadedSheet, insatser: LoadedSheet) -> list[Problem]:
    """One row per initiative × year; only for years it ran; every main initiative-year has one.

    A sub-project without a row for a year inherits its parent's departments that year, so
    only main initiatives (without ``overordnad_insats``) must have a row for every year.
    """
    years = {r["insats_id"]: set(r["ar"] or ()) for r in _rows(insatser)}
    parent = {r["insats_id"]: r["overordnad_insats"] for r in _rows(insatser)}
    problems = []
    seen: dict[tuple, int] = {}
    for rec in _rows(ansvar):
        key = (rec["insats_id"], rec["ar"])
        if None in key:
            continue
        wrong = []
        if key in seen:
            wrong.append(f"insatsen {key[0]} har redan en rad för {key[1]} (rad {seen[key]})")
        seen.setdefault(key, rec[ROW])
        ran = years.get(key[0])
        if ran is not None and key[1] not in ran:
            wrong.append(
                f"insatsen {key[0]} pågick inte {key[1]} enligt bladet 'insatser' "
                f"(år: {', '.join(map(str, sorted(ran))) or 'inga'})"
            )
        problems += [
            Problem(ansvar.file, ansvar.sheet.name, rec[ROW], "ar", rec["ar"], w) for w in wrong
        ]
    for rec in _rows(insatser):
        if parent.get(rec["insats_id"]):
            continue
        for year in sorted(rec["ar"] or ()):
            if (rec["insats_id"], year) not in seen:
                problems.append(
                    Problem(
                        insatser.file,
                        insatser.sheet.name,
                        rec[ROW],
                        "ar",
                        year,
                        f"bladet 'ansvar' saknar en rad för insatsen {rec['insats_id']} år {year}"
                        " (ansvariga förvaltningar det året, med källa)",
                    )
                )
    return problems


def check_result_kinds(resultat: LoadedSheet, insatser: LoadedSheet) -> list[Problem]:
    """Key figures are achieved results, at most one per initiative × year; a cumulative
    figure names its period; a result belongs to a year its initiative ran."""
    years = {r["insats_id"]: set(r["ar"] or ()) for r in _rows(insatser)}
    problems = []
    key_rows: dict[tuple, int] = {}

    def add(rec, column, expected):
        problems.append(
            Problem(resultat.file, resultat.sheet.name, rec[ROW], column, rec.get(column), expected)
        )

    for rec in _rows(resultat):
        if rec.get("nyckeltal") == "ja":
            if rec.get("slag") not in (None, S.UPPNATT):
                add(
                    rec,
                    "nyckeltal",
                    f"ett nyckeltal måste vara en uppnådd siffra, men slag är '{rec['slag']}'",
                )
            key = (rec.get("insats_id"), rec.get("ar"))
            if key in key_rows:
                add(
                    rec,
                    "nyckeltal",
                    f"insatsen {key[0]} har redan ett nyckeltal för {key[1]} "
                    f"(rad {key_rows[key]}); högst ett per insats och år",
                )
            key_rows.setdefault(key, rec[ROW])
        if rec.get("slag") == S.SAMMANLAGT and not rec.get("period"):
            add(rec, "period", "en sammanlagd siffra kräver perioden den gäller, t.ex. 2012–2018")
        ran = years.get(rec.get("insats_id"))
        if ran is not None and rec.get("ar") is not None and rec["ar"] not in ran:
            add(
                rec,
                "ar",
                f"insatsen {rec['insats_id']} pågick inte {rec['ar']} enligt bladet 'insatser' "
                f"(år: {', '.join(map(str, sorted(ran))) or 'inga'})",
            )
    return problems


def check_yes_no_targets(indikatorer: LoadedSheet) -> list[Problem]:
    """A yes/no indicator has the yes/no target ('ja') and only a yes/no indicator has it."""
    problems = []
    for rec in _rows(indikatorer):
        unit, kind = rec.get("enhet"), rec.get("maltyp")
        if unit == "ja-nej" and kind not in (None, "ja"):
            expected = "en ja/nej-indikator har maltyp 'ja' (målet är uppfyllt när svaret är ja)"
        elif kind == "ja" and unit not in (None, "ja-nej"):
            expected = f"maltyp 'ja' kräver enheten 'ja-nej', men enheten är '{unit}'"
        else:
            continue
        problems.append(
            Problem(indikatorer.file, indikatorer.sheet.name, rec[ROW], "maltyp", kind, expected)
        )
    return problems


def check_crosswalk_evidence(koppling: LoadedSheet, themes_of: dict[str, str]) -> list[Problem]:
    """A link to a theme cites the 2026 text too; a linked indicator belongs to the theme.

    ``themes_of`` maps each indicator id (of any goal year) to its theme id.
    """
    problems = []
    for rec in _rows(koppling):
        if rec.get("tema_id") and not rec.get("kalla_citat_2026"):
            problems.append(
                Problem(
                    koppling.file,
                    koppling.sheet.name,
                    rec[ROW],
                    "kalla_citat_2026",
                    None,
                    "en koppling till ett tema kräver belägget ur årets text (ordagrant)",
                )
            )
        kid, tid = rec.get("indikator_id"), rec.get("tema_id")
        if kid and kid in themes_of and themes_of[kid] != tid:
            problems.append(
                Problem(
                    koppling.file,
                    koppling.sheet.name,
                    rec[ROW],
                    "indikator_id",
                    kid,
                    f"indikatorn {kid} hör till temat {themes_of[kid]}, inte till {tid}",
                )
            )
        if kid and not tid:
            problems.append(
                Problem(
                    koppling.file,
                    koppling.sheet.name,
                    rec[ROW],
                    "tema_id",
                    None,
                    f"en koppling till indikatorn {kid} kräver också dess tema",
                )
            )
    return problems
