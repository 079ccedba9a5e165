"""The domain logic of a report: department slices, 2018–2019 baselines beside 2026 goals,
coverage of the national sub-goals, and goal attainment from reported indicator values.

Rules for departments:

* 2018–2019: responsibility is per initiative × year (sheet ``ansvar``, see
  :func:`responsibility`); a department's report for a year shows only what it was
  responsible for that year. An initiative the text attributes to no department appears only
  in the city-wide overview.
* goal years: a row names its responsible departments in ``ansvariga``; a blank means
  *gemensam* (shared by all four).
* ``ALLA`` (the city-wide overview) includes every row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import schemas as S
from .formatting import lower_first, value_with_unit
from .model import Dataset, GoalYear, involves

SHARED = "gemensam"

# goal-attainment statuses, in the order reports list them
UPPNATT = "uppnått"
PA_VAG = "på väg"
EJ_UPPNATT = "ej uppnått"
EJ_RAPPORTERAT = "ej rapporterat"
MAL_SAKNAS = "inget mätbart mål"  # no target, or a goal in words only
STATUSES = (UPPNATT, PA_VAG, EJ_UPPNATT, EJ_RAPPORTERAT, MAL_SAKNAS)


def _applies(cell, department: str) -> bool:
    """Blank responsibility is shared by every department."""
    return department == S.DEPARTMENT_ALL or not cell or involves(cell, department)


# -- 2018–2019 --------------------------------------------------------------------------------
def memoized(ds: Dataset, key, compute):
    """``compute()`` once per data set (the frames of a Dataset are not changed after
    loading); a copy is returned so a caller can never alter the remembered frame."""
    if key not in ds.memo:
        ds.memo[key] = compute()
    value = ds.memo[key]
    return value.copy() if hasattr(value, "copy") else value


def responsibility(ds: Dataset) -> pd.DataFrame:
    """Responsible departments per initiative × year it ran, as the text gives them.

    See :func:`_responsibility` (computed once per data set)."""
    return memoized(ds, "responsibility", lambda: _responsibility(ds))


def _responsibility(ds: Dataset) -> pd.DataFrame:
    """Responsible departments per initiative × year it ran, as the text gives them.

    A row of the sheet ``ansvar`` gives them for that initiative and year; a sub-project
    without a row for a year inherits its parent's departments that year (``arvd``). No
    departments (``None``) means the text names none: the initiative belongs to no single
    department's report, only to the city-wide overview.
    """
    own = {(r["insats_id"], r["ar"]): r for r in ds.ansvar.to_dict("records")}
    rows = []
    for rec in ds.insatser.to_dict("records"):
        iid, parent = rec["insats_id"], rec["overordnad_insats"]
        for year in sorted(rec["ar"] or ()):
            row = own.get((iid, year))
            source = row if row is not None else (own.get((parent, year)) if parent else None)
            rows.append(
                {
                    "insats_id": iid,
                    "ar": year,
                    "ansvariga": (source or {}).get("ansvariga"),
                    "ansvariga_i_texten": (source or {}).get("ansvariga_i_texten"),
                    "arvd": row is None and bool(parent),
                    "status": (row or {}).get("status") or rec["status"],
                }
            )
    columns = ["insats_id", "ar", "ansvariga", "ansvariga_i_texten", "arvd", "status"]
    return pd.DataFrame(rows, columns=columns).astype(object)


def responsible_pairs(ds: Dataset, department: str) -> set[tuple[str, int]]:
    """(initiative, year) pairs the department was responsible for (``ALLA``: every pair)."""
    resp = responsibility(ds)
    return {
        (r["insats_id"], r["ar"])
        for r in resp.to_dict("records")
        if department == S.DEPARTMENT_ALL or (r["ansvariga"] and department in r["ansvariga"])
    }


def initiatives_for(ds: Dataset, department: str, year: int | None = None) -> pd.DataFrame:
    """The initiatives (and sub-projects) the department was responsible for in ``year``.

    With ``year=None``: those it was responsible for in any year. ``avdelningar`` holds the
    departments responsible that year (with ``year=None``: in any year); ``ALLA`` includes
    every initiative active in the year, also those the text attributes to no department. With
    a year, ``status`` is the outcome that year.
    """
    resp = responsibility(ds)
    if year is not None:
        resp = resp[resp["ar"] == year]
    pairs = responsible_pairs(ds, department)
    mine = {iid for iid, y in pairs if year is None or y == year}
    depts: dict[str, set] = {}
    for rec in resp.to_dict("records"):
        depts.setdefault(rec["insats_id"], set()).update(rec["ansvariga"] or ())
    frame = ds.insatser[ds.insatser["insats_id"].isin(mine & set(resp["insats_id"]))].copy()
    frame["avdelningar"] = frame["insats_id"].map(lambda i: tuple(sorted(depts.get(i, ()))) or None)
    if year is not None:  # the outcome that year (e.g. pågår the first year, genomförd the next)
        frame["status"] = frame["insats_id"].map(
            dict(zip(resp["insats_id"], resp["status"], strict=True))
        )
    return frame.reset_index(drop=True)


def results_for(ds: Dataset, initiative_ids, year: int | None = None) -> pd.DataFrame:
    frame = ds.resultat[ds.resultat["insats_id"].isin(list(initiative_ids))]
    if year is not None:
        frame = frame[frame["ar"] == year]
    return frame.reset_index(drop=True)


def is_key_figure(rec) -> bool:
    """A headline figure: marked ``nyckeltal`` and achieved in its year (never a plan,
    a cumulative total or context)."""
    return rec["nyckeltal"] == "ja" and rec["slag"] == S.UPPNATT


def key_figures(ds: Dataset, department: str) -> pd.DataFrame:
    """Headline figures (people reached or trained) of the years the department was
    responsible for each initiative, with the initiative's name as ``insats``."""
    pairs = responsible_pairs(ds, department)
    frame = ds.resultat
    key = (frame["nyckeltal"] == "ja") & (frame["slag"] == S.UPPNATT)
    mine = pd.Series(
        [(i, y) in pairs for i, y in zip(frame["insats_id"], frame["ar"], strict=True)],
        index=frame.index,
        dtype=bool,
    )
    frame = frame[key & mine]
    frame = frame.assign(insats=frame["insats_id"].map(initiative_labels(ds)))
    return frame.reset_index(drop=True)


def initiative_labels(ds: Dataset) -> dict[str, str]:
    """Each initiative's name; a sub-project's name says its parent ("P-SHOUT: Starka tjejer")."""
    names = dict(zip(ds.insatser["insats_id"], ds.insatser["namn"], strict=True))
    parents = dict(zip(ds.insatser["insats_id"], ds.insatser["overordnad_insats"], strict=True))
    return {
        iid: f"{names[parents[iid]]}: {name}" if parents.get(iid) in names else name
        for iid, name in names.items()
    }


@dataclass
class KeyFigureSeries:
    """Headline figures as chart input: one label per initiative, one series per year.

    ``values[year][i]`` is ``None`` where initiative ``i`` ran that year but reported no
    headline figure ("uppgift saknas", never 0); ``ran[year][i]`` is False where it did not
    run (or the department was not responsible) that year: nothing is drawn there.
    """

    ids: list[str]
    labels: list[str]
    years: list[int]
    values: dict[int, list[float | None]]
    qualifiers: dict[int, list[str | None]]
    ran: dict[int, list[bool]]

    def __bool__(self) -> bool:
        return bool(self.ids)


def key_figure_series(
    figures: pd.DataFrame, labels: dict[str, str], active: set[tuple[str, int]] | None = None
) -> KeyFigureSeries:
    """Headline figures of ``figures`` (rows of ``resultat``) as :class:`KeyFigureSeries`.

    Initiatives in order of first appearance; years with some headline figure. ``active``:
    the (initiative, year) pairs that ran (default: those with a figure).
    """
    key = figures[figures.apply(is_key_figure, axis=1).astype(bool)] if len(figures) else figures
    ids = list(dict.fromkeys(key["insats_id"]))
    years = sorted({int(y) for y in key["ar"]})
    by_pair = {(r["insats_id"], int(r["ar"])): r for r in key.to_dict("records")}
    active = active if active is not None else set(by_pair)
    values, qualifiers, ran = {}, {}, {}
    for year in years:
        values[year], qualifiers[year], ran[year] = [], [], []
        for iid in ids:
            rec = by_pair.get((iid, year))
            value = None if rec is None or rec["varde"] is None else float(rec["varde"])
            values[year].append(value)
            qualifiers[year].append(rec["kvalifikator"] if rec is not None else None)
            ran[year].append(rec is not None or (iid, year) in active)
    return KeyFigureSeries(ids, [labels.get(i, i) for i in ids], years, values, qualifiers, ran)


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


def all_four(departments) -> bool:
    """Whether a set of departments is every department (*gemensam*)."""
    return set(departments or ()) >= set(S.DEPARTMENTS)


def indicators_for(
    goal: GoalYear, department: str, themes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The department's indicators by ``avdelningar`` (its own; its theme's where the text
    names none for the indicator; all four where the theme names none either), in the
    document's order. ``gemensam``: the indicator belongs to all four departments."""
    frame = goal.indikatorer
    frame = frame[
        frame["avdelningar"].map(
            lambda c: department == S.DEPARTMENT_ALL or department in (c or ())
        )
    ]
    if themes is not None:
        frame = frame[frame["tema_id"].isin(themes["tema_id"])]
    names = dict(zip(goal.teman["tema_id"], goal.teman["namn"], strict=True))
    order = dict(zip(goal.teman["tema_id"], goal.teman["ordning"], strict=True))
    frame = frame.assign(
        tema=frame["tema_id"].map(names),
        _ord=frame["tema_id"].map(order),
        gemensam=frame["avdelningar"].map(all_four).astype(bool),
    )
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


GOAL_COLUMNS = (
    "tema",
    "indikator",
    "indikator_ansvariga",
    "horisont",
    "enhet",
    "mal_text",
    "maltyp",
    "malvarde",
)


def goal_side(goal: GoalYear | None, tema_id, indikator_id) -> dict:
    """The goal year's theme name and the indicator's text, departments and target for one
    crosswalk row (``None`` where the row names none or the year lacks it)."""
    if goal is None:
        themes, ind = {}, {}
    else:
        if "names" not in goal.memo:  # looked up once per goal year, not once per row
            goal.memo["names"] = dict(zip(goal.teman["tema_id"], goal.teman["namn"], strict=True))
            goal.memo["indicators"] = {
                r["indikator_id"]: r for r in goal.indikatorer.to_dict("records")
            }
        themes, ind = goal.memo["names"], goal.memo["indicators"]
    rec = ind.get(indikator_id) if indikator_id else None

    def get(col):
        return rec[col] if rec is not None else None

    return {
        "tema": themes.get(tema_id) if tema_id else None,
        "indikator": get("text"),
        "indikator_ansvariga": get("avdelningar"),
        "horisont": get("horisont"),
        "enhet": get("enhet"),
        "mal_text": get("mal_text"),
        "maltyp": get("maltyp"),
        "malvarde": get("malvarde"),
    }


CROSSWALK_COLUMNS = (
    *S.KOPPLING.sheet("koppling").column_names,
    "insats",
    "baslinje",
    "baslinje_saknas",
    *GOAL_COLUMNS,
)


def crosswalk_for(ds: Dataset, department: str, goal_year: int | None = None) -> pd.DataFrame:
    """Crosswalk rows that concern the department, joined with names, baselines and targets.

    Themes and indicators come from ``goal_year`` (default: the latest goal year in ``ds``);
    rows pointing to a theme that year does not have are left out. A row concerns a
    department if it was responsible for the initiative in some year, or if the linked
    indicator names it. ``baslinje`` holds the initiative's headline figures of the years
    the department was responsible for it (``ALLA``: all years); where there are none,
    ``baslinje_saknas`` says why in words.
    """
    goal_year = goal_year if goal_year is not None else ds.latest_goal_year
    return memoized(
        ds, ("crosswalk", department, goal_year), lambda: _crosswalk(ds, department, goal_year)
    )


def _crosswalk(ds: Dataset, department: str, goal_year: int | None) -> pd.DataFrame:
    goal = ds.goals.get(goal_year)
    ind = (
        dict(zip(goal.indikatorer["indikator_id"], goal.indikatorer["avdelningar"], strict=True))
        if goal is not None
        else {}
    )
    themes = set(goal.teman["tema_id"]) if goal is not None else set()
    labels = initiative_labels(ds)
    resp = responsibility(ds)
    mine_pairs = responsible_pairs(ds, department)
    mine = {iid for iid, _y in mine_pairs}
    figures = key_figures(ds, S.DEPARTMENT_ALL).sort_values("ar", kind="stable")
    by_initiative: dict[str, list[dict]] = {}
    for fig in figures.to_dict("records"):
        by_initiative.setdefault(fig["insats_id"], []).append(fig)
    rows = []
    for rec in ds.koppling.to_dict("records"):
        iid, tid, kid = rec["insats_id"], rec["tema_id"], rec["indikator_id"]
        if tid and tid not in themes:
            continue  # a theme of another goal year
        if not (
            iid in mine
            or (department != S.DEPARTMENT_ALL and kid in ind and involves(ind[kid], department))
        ):
            continue
        own = by_initiative.get(iid, [])
        baseline = [b for b in own if (iid, b["ar"]) in mine_pairs]
        rows.append(
            {
                **rec,
                "insats": labels.get(iid, iid),
                "baslinje": baseline,
                "baslinje_saknas": None
                if baseline
                else _why_no_baseline(ds, iid, department, own, resp),
                **goal_side(goal, tid, kid),
            }
        )
    frame = pd.DataFrame(rows, columns=list(CROSSWALK_COLUMNS)).astype(object)
    return frame.where(frame.notna(), None)  # blank stays None, never NaN


def _why_no_baseline(ds: Dataset, iid: str, department: str, own, resp) -> str:
    """Why a crosswalk row has no 2018–2019 figure, as a sentence a reader understands."""
    if len(own) and department != S.DEPARTMENT_ALL:
        who = sorted(
            {d for cell in resp.loc[resp["insats_id"] == iid, "ansvariga"] for d in (cell or ())}
        )
        by = f" (det var {', '.join(who)})" if who else ""
        return f"Förvaltningen var inte ansvarig för insatsen 2018–2019{by}."
    results = ds.resultat[ds.resultat["insats_id"] == iid]
    totals = results[
        (results["slag"] == S.SAMMANLAGT)
        & results["matt_typ"].isin(["deltagare", "utbildade"])
        & results["dimension"].isna()
        & results["varde"].notna()
    ]
    if len(totals):  # e.g. IPS: only a 2012–2018 total, labelled as such
        best = totals.loc[totals["varde"].astype(float).idxmax()]
        figure = value_with_unit(best["varde"], best["enhet"], best["kvalifikator"])
        return (
            f"Bara en sammanlagd siffra för {best['period']}: {figure} "
            f"{lower_first(str(best['matt']))}."
        )
    if len(results):
        return "Ingen siffra för nådda eller utbildade personer redovisad."
    return "Inga siffror redovisade."


def ended_without_successor(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Initiatives that ended (avvecklad) or have no successor, and did not return in a new form."""
    continued = set(
        crosswalk.loc[crosswalk["relation"].isin(["fortsätter", "ny form"]), "insats_id"]
    )
    mask = crosswalk["relation"].isin(["avvecklad", "ingen efterföljare"]) & ~crosswalk[
        "insats_id"
    ].isin(continued)
    return crosswalk[mask].drop_duplicates("insats_id").reset_index(drop=True)


CONTINUES = ("fortsätter", "ny form")


def themes_without_precursor(ds: Dataset, goal: GoalYear, department: str) -> pd.DataFrame:
    """The department's themes that continue no 2018–2019 initiative."""
    kop = ds.koppling
    linked = set(kop.loc[kop["relation"].isin(CONTINUES), "tema_id"].dropna())
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
    relative targets are measured from. Without a target: *mål saknas* (whether or not a
    value is reported); with a target but no value: *ej rapporterat*; a relative target
    without a baseline cannot be judged and is *ej rapporterat* (the report says which
    value is missing).
    """
    maltyp = maltyp or "ingen"
    if maltyp == "ingen":
        return MAL_SAKNAS
    if value is None:
        return EJ_RAPPORTERAT
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
    # values are typed with a few decimals; binary floats make (1 - 0.8) / 1 * 100 come out
    # as 19.999999999999996. Rounded far below any typed precision, a target met exactly is
    # reached, as a reader computing it by hand would say.
    change = round(change, 9)
    if change >= target:
        return UPPNATT
    return PA_VAG if change > 0 else EJ_UPPNATT


def indicator_status(ds: Dataset, year: int, department: str) -> pd.DataFrame:
    """Every indicator × responsible department with value, target, baseline and status."""
    goal = ds.goals[year]
    indicators = indicators_for(goal, department)
    values = goal.varden
    by_key = {(r["indikator_id"], r["forvaltning"]): r for r in values.to_dict("records")}
    history: dict[str, list[dict]] = {}
    for link in crosswalk_for(ds, S.DEPARTMENT_ALL, year).to_dict("records"):
        history.setdefault(link["indikator_id"], []).extend(link["baslinje"])
    rows = []
    for ind in indicators.to_dict("records"):
        depts = list(ind["avdelningar"])
        if department != S.DEPARTMENT_ALL:
            depts = [d for d in depts if d == department]
        hist_rows = history.get(ind["indikator_id"], [])
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
                    "gemensam": bool(ind["gemensam"]),
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
    frame = pd.DataFrame(
        rows,
        columns=[
            "indikator_id",
            "tema",
            "indikator",
            "horisont",
            "enhet",
            "forvaltning",
            "gemensam",
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
    # object columns: a missing value stays None, never NaN beside reported numbers
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


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
