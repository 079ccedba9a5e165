"""Every count a report shows, computed once (one truth per number).

Sections and the summary read their counts from here, and templates show them through the
``count`` macro, which marks each with its name (``<data data-fakta="indikatorer">``) so
a test can check that a report says each count the same way everywhere and that it
matches the model.
"""

from __future__ import annotations

from collections import Counter

from .. import compare
from .. import formatting as F
from .context import Context
from .goal_year import NUMERIC_TARGETS


def results_year(ctx: Context) -> dict[str, int]:
    ds, year = ctx.data, ctx.year
    inits = compare.initiatives_for(ds, ctx.department, year)
    top = inits[inits["overordnad_insats"].isna()]
    city = compare.initiatives_for(ds, "ALLA", year)
    figures = compare.key_figures(ds, ctx.department)
    figures = figures[figures["ar"] == year]
    results = compare.results_for(ds, inits["insats_id"], year)
    with_headline = set(figures["insats_id"])
    parents = dict(zip(inits["insats_id"], inits["overordnad_insats"], strict=True))
    # a main initiative has a headline figure if it or one of its sub-projects has one
    covered = {parents.get(i) or i for i in with_headline}
    statuses = Counter(top["status"])
    return {
        "insatser": len(top),
        "delprojekt": len(inits) - len(top),
        "insatser_staden": int(city["overordnad_insats"].isna().sum()),
        "nyckeltal": len(figures),
        "insatser_utan_nyckeltal": int((~top["insats_id"].isin(covered)).sum()),
        "siffror": len(results),
        "med_matbara_mal": int((top["matbara_mal"] == "ja").sum()),
        "utan_matbara_mal": int((top["matbara_mal"] != "ja").sum()),
        **{f"utfall_{k}": v for k, v in statuses.items()},
    }


def goal_year(ctx: Context, status, links_sides: dict[str, int]) -> dict[str, int]:
    goal = ctx.goal
    themes = compare.themes_for(goal, ctx.department)
    ind = compare.indicators_for(goal, ctx.department, themes)
    targets = ind["maltyp"].map(lambda m: m not in (None, "ingen"))
    reported = status["varde"].map(lambda v: not F.is_missing(v))
    counts = Counter(status["status"])
    gaps = compare.goals_without_indicators(goal, ctx.department)
    return {
        "teman": len(themes),
        "teman_totalt": len(goal.teman),
        "indikatorer": len(ind),
        "gemensamma": int(ind["gemensam"].sum()),
        "kort": int((ind["horisont"] == "kort").sum()),
        "lang": int((ind["horisont"] == "lång").sum()),
        "med_mal": int(targets.sum()),
        "utan_mal": int((~targets).sum()),
        "kvantitativa": int(ind["maltyp"].isin(NUMERIC_TARGETS).sum()),
        "mal_utan_indikator": len(gaps),
        "teman_utan_indikator": gaps["tema_id"].nunique(),
        "varden_vantade": len(status),
        "varden_rapporterade": int(reported.sum()),
        **{f"status_{s}": counts.get(s, 0) for s in compare.STATUSES},
        "kopplingar": sum(links_sides.values()),
        "kopplingar_bada": links_sides["båda"],
        "kopplingar_en": links_sides["en"],
        "kopplingar_ingen": links_sides["ingen"],
    }
