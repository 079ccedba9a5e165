"""The domain logic of a report: department slices, 2018–2019 baselines beside 2026 goals,
coverage of the national sub-goals, and goal attainment from reported indicator values.

Rule for departments: a row names its responsible departments in ``ansvariga``; a blank
means *gemensam* (shared by all four). ``ALLA`` (the city-wide overview) includes every row.
"""

from __future__ import annotations

import pandas as pd

from . import schemas as S
from .model import Dataset, GoalYear, involves

SHARED = "gemensam"

# goal-attainment statuses, in the order reports list them
UPPNATT = "uppnått"
PA_VAG = "på väg"
EJ_UPPNATT = "ej uppnått"
EJ_RAPPORTERAT = "ej rapporterat"
MAL_SAKNAS = "mål saknas"
STATUSES = (UPPNATT, PA_VAG, EJ_UPPNATT, EJ_RAPPORTERAT, MAL_SAKNAS)


def _applies(cell, department: str) -> bool:
    """Blank responsibility is shared by every department."""
    return department == S.DEPARTMENT_ALL or not cell or involves(cell, department)


# -- 2018–2019 --------------------------------------------------------------------------------
def initiative_departments(ds: Dataset) -> pd.Series:
    """Each initiative's departments; a sub-project with none inherits its parent's."""
    own = dict(zip(ds.insatser["insats_id"], ds.insatser["ansvariga"], strict=True))
    parents = dict(zip(ds.insatser["insats_id"], ds.insatser["overordnad_insats"], strict=True))
    out = {}
    for iid, cell in own.items():
        parent = parents.get(iid)
        out[iid] = cell or (own.get(parent) if parent else None)
    return pd.Series(out, dtype=object)


def initiatives_for(ds: Dataset, department: str, year: int | None = None) -> pd.DataFrame:
    """The department's initiatives (and sub-projects) active in ``year`` (or any year)."""
    depts = initiative_departments(ds)
    frame = ds.insatser.copy()
    frame["avdelningar"] = frame["insats_id"].map(depts)
    mask = frame["avdelningar"].map(lambda c: _applies(c, department))
    if year is not None:
        mask &= frame["ar"].map(lambda c: bool(c) and year in c)
    return frame[mask].reset_index(drop=True)


def results_for(ds: Dataset, initiative_ids, year: int | None = None) -> pd.DataFrame:
    frame = ds.resultat[ds.resultat["insats_id"].isin(list(initiative_ids))]
    if year is not None:
        frame = frame[frame["ar"] == year]
    return frame.reset_index(drop=True)


def key_figures(ds: Dataset, department: str) -> pd.DataFrame:
    """Headline figures (people reached or trained) per initiative and year."""
    ids = initiatives_for(ds, department)["insats_id"]
    frame = results_for(ds, ids)
    frame = frame[frame["nyckeltal"] == "ja"]
    names = dict(zip(ds.insatser["insats_id"], ds.insatser["namn"], strict=True))
    frame = frame.assign(insats=frame["insats_id"].map(names))
    return frame.reset_index(drop=True)


def key_figure_series(
    results: pd.DataFrame, names: dict[str, str]
) -> tuple[list[str], dict[str, list[float | None]]]:
    """Headline figures of ``results`` as chart input: initiative labels and one series per year.

    Initiatives in order of first appearance; only years with some headline figure. A year
    in which an initiative reports none is ``None`` ("uppgift saknas"), never 0.
    """
    key = results[results["nyckeltal"] == "ja"]
    ids = list(dict.fromkeys(key["insats_id"]))
    series: dict[str, list[float | None]] = {}
    for year in sorted({int(y) for y in key["ar"]}):
        values = []
        for iid in ids:
            hit = key[(key["insats_id"] == iid) & (key["ar"] == year)]
            value = hit.iloc[0]["varde"] if len(hit) else None
            values.append(None if value is None or value != value else float(value))
        series[str(year)] = values
    return [names.get(i, i) for i in ids], series


def without_measurable_goals(initiatives: pd.DataFrame) -> pd.DataFrame:
    """Initiatives whose plan stated no measurable goal ('nej' or not stated)."""
    top = initiatives[initiatives["overordnad_insats"].isna()]
    return top[top["matbara_mal"] != "ja"].reset_index(drop=True)


# -- 2026 goals ----------------------------------------------------------------------------------
def theme_departments(goal: GoalYear) -> dict[str, set[str]]:
    """Departments named anywhere in each theme (empty set: the theme is shared by all)."""
    named: dict[str, set[str]] = {t: set() for t in goal.teman["tema_id"]}
    for frame in (goal.aktiviteter, goal.langsiktiga_mal, goal.indikatorer):
        for tema, cell in zip(frame["tema_id"], frame["ansvariga"], strict=True):
            if cell:
                named.setdefault(tema, set()).update(cell)
    return named


def themes_for(goal: GoalYear, department: str) -> pd.DataFrame:
    named = theme_departments(goal)
    frame = goal.teman.copy()
    frame["avdelningar"] = frame["tema_id"].map(lambda t: tuple(sorted(named.get(t, ()))) or None)
    mask = frame["avdelningar"].map(lambda c: _applies(c, department))
    return frame[mask].sort_values("ordning").reset_index(drop=True)


def indicators_for(
    goal: GoalYear, department: str, themes: pd.DataFrame | None = None
) -> pd.DataFrame:
    frame = goal.indikatorer
    frame = frame[frame["ansvariga"].map(lambda c: _applies(c, department))]
    if themes is not None:
        frame = frame[frame["tema_id"].isin(themes["tema_id"])]
    names = dict(zip(goal.teman["tema_id"], goal.teman["namn"], strict=True))
    order = dict(zip(goal.teman["tema_id"], goal.teman["ordning"], strict=True))
    frame = frame.assign(tema=frame["tema_id"].map(names), _ord=frame["tema_id"].map(order))
    return (
        frame.sort_values(["_ord", "horisont", "indikator_id"], kind="stable")
        .drop(columns="_ord")
        .reset_index(drop=True)
    )


def activities_for(goal: GoalYear, department: str, themes: pd.DataFrame) -> pd.DataFrame:
    frame = goal.aktiviteter[goal.aktiviteter["tema_id"].isin(themes["tema_id"])]
    return frame[frame["ansvariga"].map(lambda c: _applies(c, department))].reset_index(drop=True)


def subgoal_coverage(ds: Dataset, goal: GoalYear, department: str) -> pd.DataFrame:
    """Per national sub-goal: how many of the department's themes and indicators serve it."""
    themes = themes_for(goal, department)
    indicators = indicators_for(goal, department, themes)
    per_theme = indicators.groupby("tema_id").size().to_dict()
    rows = []
    for nr, namn in zip(ds.delmal["nr"], ds.delmal["namn"], strict=True):
        hit = themes[themes["delmal"].map(lambda c, nr=nr: bool(c) and nr in c)]
        rows.append(
            {
                "nr": nr,
                "namn": namn,
                "teman": len(hit),
                "indikatorer": sum(per_theme.get(t, 0) for t in hit["tema_id"]),
                "tema_namn": list(hit["namn"]),
            }
        )
    return pd.DataFrame(rows)


def goals_without_indicators(goal: GoalYear, department: str) -> pd.DataFrame:
    """Each theme × horizon with no measurable indicator: 'saknas' or no section at all."""
    themes = themes_for(goal, department)
    rows = []
    for rec in themes.to_dict("records"):
        for col, horizon in (
            ("kortsiktiga_indikatorer", "kort sikt"),
            ("langsiktiga_indikatorer", "lång sikt"),
        ):
            if rec[col] == "finns":
                continue
            goals = goal.langsiktiga_mal[goal.langsiktiga_mal["tema_id"] == rec["tema_id"]]
            if horizon == "kort sikt":
                goals = goal.aktiviteter[goal.aktiviteter["tema_id"] == rec["tema_id"]]
            rows.append(
                {
                    "tema_id": rec["tema_id"],
                    "tema": rec["namn"],
                    "horisont": horizon,
                    "status": rec[col],
                    "antal_mal": len(goals),
                    "mal": list(goals["text"]),
                    "kalla_avsnitt": rec["kalla_avsnitt"],
                }
            )
    return pd.DataFrame(
        rows, columns=["tema_id", "tema", "horisont", "status", "antal_mal", "mal", "kalla_avsnitt"]
    )


def department_subgoal_matrix(ds: Dataset, goal: GoalYear) -> pd.DataFrame:
    """Department × sub-goal: number of themes each department takes part in per sub-goal."""
    data = {}
    for dept in ds.departments:
        coverage = subgoal_coverage(ds, goal, dept)
        data[dept] = dict(zip(coverage["nr"], coverage["teman"], strict=True))
    return pd.DataFrame(data).T.reindex(columns=list(ds.delmal["nr"])).fillna(0).astype(int)


# -- the comparison -------------------------------------------------------------------------------
def crosswalk_for(ds: Dataset, department: str, year: int | None = None) -> pd.DataFrame:
    """Crosswalk rows that concern the department, joined with names, baselines and targets.

    A row concerns a department if the initiative is the department's, or if the 2026
    indicator it points to is. For a 2018–2019 year, only that year's initiatives.
    """
    goal = ds.goals.get(ds.latest_goal_year) if ds.goals else None
    inits = initiatives_for(ds, department, year if year in ds.historical_years else None)
    init_ids = set(inits["insats_id"])
    ind = goal.indikatorer.set_index("indikator_id") if goal is not None else pd.DataFrame()
    themes = goal.teman.set_index("tema_id") if goal is not None else pd.DataFrame()
    names = dict(zip(ds.insatser["insats_id"], ds.insatser["namn"], strict=True))
    kf = key_figures(ds, S.DEPARTMENT_ALL)
    rows = []
    for rec in ds.koppling.to_dict("records"):
        iid, tid, kid = rec["insats_id"], rec["tema_id"], rec["indikator_id"]
        ind_depts = ind.at[kid, "ansvariga"] if kid in ind.index else None
        mine = iid in init_ids or (
            kid in ind.index
            and department != S.DEPARTMENT_ALL
            and involves(ind_depts, department)
            and year not in ds.historical_years
        )
        if not mine:
            continue
        baseline = kf[kf["insats_id"] == iid].sort_values("ar").to_dict("records")
        rows.append(
            {
                **rec,
                "insats": names.get(iid, iid),
                "baslinje": baseline,
                "tema": themes.at[tid, "namn"] if tid in themes.index else None,
                "indikator": ind.at[kid, "text"] if kid in ind.index else None,
                "mal_text": ind.at[kid, "mal_text"] if kid in ind.index else None,
                "maltyp": ind.at[kid, "maltyp"] if kid in ind.index else None,
            }
        )
    cols = [
        *S.KOPPLING.sheet("koppling").column_names,
        "insats",
        "baslinje",
        "tema",
        "indikator",
        "mal_text",
        "maltyp",
    ]
    frame = pd.DataFrame(rows, columns=cols).astype(object)
    return frame.where(frame.notna(), None)  # blank stays None, never NaN


def ended_without_successor(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Initiatives that ended (avvecklad) or have no successor, and did not return in a new form."""
    continued = set(
        crosswalk.loc[crosswalk["relation"].isin(["fortsätter", "ny form"]), "insats_id"]
    )
    mask = crosswalk["relation"].isin(["avvecklad", "ingen efterföljare"]) & ~crosswalk[
        "insats_id"
    ].isin(continued)
    return crosswalk[mask].drop_duplicates("insats_id").reset_index(drop=True)


def themes_without_precursor(ds: Dataset, goal: GoalYear, department: str) -> pd.DataFrame:
    linked = set(ds.koppling["tema_id"].dropna())
    themes = themes_for(goal, department)
    return themes[~themes["tema_id"].isin(linked)].reset_index(drop=True)


# -- goal attainment -----------------------------------------------------------------------------
def _previous_value(ds: Dataset, indikator_id: str, department: str, year: int):
    for y in sorted((y for y in ds.goals if y < year), reverse=True):
        frame = ds.goals[y].varden
        hit = frame[(frame["indikator_id"] == indikator_id) & (frame["forvaltning"] == department)]
        if len(hit) and hit.iloc[0]["varde"] is not None:
            return hit.iloc[0]["varde"], y
    return None, None


def assess(maltyp: str | None, target: float | None, value, baseline) -> str:
    """Goal attainment of one reported value.

    ``baseline`` is the comparison value (jämförelsevärde, or last year's value) that
    relative targets are measured from. Without a value: *ej rapporterat*; without a
    target: *mål saknas*; a relative target without a baseline cannot be judged and is
    *ej rapporterat* (the report says which value is missing).
    """
    if value is None:
        return EJ_RAPPORTERAT
    maltyp = maltyp or "ingen"
    if maltyp == "ingen":
        return MAL_SAKNAS
    if maltyp == "ja":
        return UPPNATT if str(value).lower() == "ja" else EJ_UPPNATT
    if not isinstance(value, int | float):
        return MAL_SAKNAS
    if maltyp in ("minst", "hogst"):
        reached = value >= target if maltyp == "minst" else value <= target
        if reached:
            return UPPNATT
        if baseline is not None and (value > baseline if maltyp == "minst" else value < baseline):
            return PA_VAG
        return EJ_UPPNATT
    if baseline is None:
        return EJ_RAPPORTERAT
    if maltyp in ("oka", "minska"):
        better = value > baseline if maltyp == "oka" else value < baseline
        return UPPNATT if better else EJ_UPPNATT
    down = maltyp.startswith("minska")
    if maltyp.endswith("_procent"):
        if baseline == 0:
            return EJ_RAPPORTERAT
        change = (
            (baseline - value) / baseline * 100 if down else (value - baseline) / baseline * 100
        )
    else:  # procentenheter
        change = baseline - value if down else value - baseline
    if change >= target:
        return UPPNATT
    return PA_VAG if change > 0 else EJ_UPPNATT


def indicator_status(ds: Dataset, year: int, department: str) -> pd.DataFrame:
    """Every indicator × responsible department with value, target, baseline and status."""
    goal = ds.goals[year]
    indicators = indicators_for(goal, department)
    values = goal.varden
    by_key = {(r["indikator_id"], r["forvaltning"]): r for r in values.to_dict("records")}
    baselines = crosswalk_for(ds, S.DEPARTMENT_ALL)
    rows = []
    for ind in indicators.to_dict("records"):
        depts = list(ind["ansvariga"] or ds.departments)
        if department != S.DEPARTMENT_ALL:
            depts = [d for d in depts if d == department]
        hist = baselines[baselines["indikator_id"] == ind["indikator_id"]]
        hist_rows = [b for cell in hist["baslinje"] for b in cell]
        for dept in depts:
            rec = by_key.get((ind["indikator_id"], dept), {})
            value = rec.get("varde")
            base = rec.get("jamforelsevarde")
            base_year = year if base is not None else None
            if base is None:
                base, base_year = _previous_value(ds, ind["indikator_id"], dept, year)
            rows.append(
                {
                    "indikator_id": ind["indikator_id"],
                    "tema": ind["tema"],
                    "indikator": ind["text"],
                    "horisont": ind["horisont"],
                    "enhet": ind["enhet"],
                    "forvaltning": dept,
                    "varde": value,
                    "jamforelsevarde": base,
                    "jamforelsear": base_year,
                    "maltyp": ind["maltyp"],
                    "malvarde": ind["malvarde"],
                    "mal_text": ind["mal_text"],
                    "kommentar": rec.get("kommentar"),
                    "baslinje_2018_2019": hist_rows,
                    "status": assess(ind["maltyp"], ind["malvarde"], value, base),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "indikator_id",
            "tema",
            "indikator",
            "horisont",
            "enhet",
            "forvaltning",
            "varde",
            "jamforelsevarde",
            "jamforelsear",
            "maltyp",
            "malvarde",
            "mal_text",
            "kommentar",
            "baslinje_2018_2019",
            "status",
        ],
    )


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Department × status counts (all five statuses as columns, totals included)."""
    if status.empty:
        return pd.DataFrame(columns=[*STATUSES, "totalt"])
    table = pd.crosstab(status["forvaltning"], status["status"]).reindex(
        columns=list(STATUSES), fill_value=0
    )
    table["totalt"] = table.sum(axis=1)
    return table


def value_trend(ds: Dataset, indikator_id: str, department: str) -> dict[int, object]:
    """The reported value of one indicator for one department in each goal year."""
    out = {}
    for year, goal in sorted(ds.goals.items()):
        frame = goal.varden
        hit = frame[(frame["indikator_id"] == indikator_id) & (frame["forvaltning"] == department)]
        out[year] = hit.iloc[0]["varde"] if len(hit) else None
    return out
