"""The comparison: each 2018–2019 initiative beside what follows it up in the goal year —
its 2018–2019 figure, and for each link the theme, indicator and target — and, where a side
is missing, why."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import compare
from .. import formatting as F
from .context import Context, Ref
from .goal_year import target_text
from .results_year import figure_text, measure_text

BOTH = "båda"
ONE = "en"
NEITHER = "ingen"

RELATION_WORDS = {
    "fortsätter": "fortsätter",
    "ny form": "lever vidare i ny form",
    "avvecklad": "avvecklades",
    "ingen efterföljare": "ingen efterföljare",
}


@dataclass
class Link:
    """One crosswalk row: how the initiative continues (or not) in the goal year."""

    relation: str
    ref: Ref  # the 2018–2019 sentence the link rests on
    has_baseline: bool
    theme: str | None = None
    theme_departments: str | None = None  # shown where the theme is not the department's
    indicator: str | None = None
    target: str | None = None
    goal_missing: str | None = None
    reason: str = ""  # the curator's motivation, from the crosswalk

    @property
    def sides(self) -> str:
        have = (self.has_baseline, bool(self.indicator))
        return BOTH if all(have) else ONE if any(have) else NEITHER


@dataclass
class Row:
    """An initiative with its 2018–2019 figures and every link to the goal year."""

    initiative: str
    responsible: str  # who ran it 2018–2019: "SOF, VOF" or the text's words
    baseline: list[str] = field(default_factory=list)  # "2018: 150 personer som …"
    short: list[str] = field(default_factory=list)  # "150 (2018)"
    baseline_missing: str | None = None
    links: list[Link] = field(default_factory=list)


def _goal_missing(rec: dict, year: int, theme_has_indicators: bool) -> str | None:
    if rec["indikator"]:
        return None
    if rec["relation"] == "avvecklad":
        return "Avvecklades; ingen indikator följer upp den."
    if rec["relation"] == "ingen efterföljare" or not rec["tema"]:
        return f"Finns inte med i överenskommelsen {year}."
    if theme_has_indicators:
        return "Ingen av temats indikatorer mäter just detta arbete."
    return "Temat har ingen mätbar indikator."


def who_ran(ctx: Context, insats_id: str) -> str:
    """The departments responsible for an initiative in 2018–2019, or the text's words
    where it names none ("Psykiatrisamordning samt Lokalt samråd")."""
    resp = compare.responsibility(ctx.data)
    rows = resp[resp["insats_id"] == insats_id]
    depts = sorted({d for cell in rows["ansvariga"] for d in (cell or ())})
    if depts:
        return ", ".join(depts)
    words = [w for w in rows["ansvariga_i_texten"] if w]
    return words[0] if words else "ingen förvaltning utpekad"


def rows(ctx: Context) -> list[Row]:
    """The department's crosswalk, one row per initiative (in the crosswalk's order)."""
    cw = compare.crosswalk_for(ctx.data, ctx.department, ctx.year)
    themes = compare.theme_departments(ctx.goal)
    with_indicators = set(ctx.goal.indikatorer["tema_id"])
    out: dict[str, Row] = {}
    for r in cw.to_dict("records"):
        row = out.get(r["insats_id"])
        if row is None:
            row = out[r["insats_id"]] = Row(
                initiative=r["insats"],
                responsible=who_ran(ctx, r["insats_id"]),
                baseline=[
                    f"{b['ar']}: {figure_text(b)} {F.lower_first(measure_text(b))}"
                    for b in r["baslinje"]
                ],
                short=[f"{figure_text(b)} ({b['ar']})" for b in r["baslinje"]],
                baseline_missing=r["baslinje_saknas"],
            )
        theme_depts = sorted(themes.get(r["tema_id"], ())) if r["tema_id"] else []
        row.links.append(
            Link(
                relation=RELATION_WORDS.get(r["relation"], r["relation"]),
                ref=ctx.sources.cite("stimulans-2018-2019", None, r["kalla_citat_2018"]),
                has_baseline=bool(r["baslinje"]),
                theme=r["tema"],
                theme_departments=", ".join(theme_depts)
                if theme_depts and not ctx.is_overview and ctx.department not in theme_depts
                else None,
                indicator=r["indikator"],
                target=target_text(r),
                goal_missing=_goal_missing(r, ctx.year, r["tema_id"] in with_indicators),
                reason=r["motivering"],
            )
        )
    return list(out.values())


def followed_up(items: list[Row], limit: int = 3) -> list[dict]:
    """The links with both sides, for the summary: what was achieved and what follows it up."""
    out = []
    for row in items:
        for link in row.links:
            if link.sides == BOTH and len(out) < limit:
                out.append(
                    {
                        "initiative": row.initiative,
                        "baseline": row.short,
                        "indicator": link.indicator,
                    }
                )
    return out


def without_link(ctx: Context) -> list[str]:
    """The department's 2018–2019 initiatives that the crosswalk does not mention at all
    (neither they nor their main initiative): said in a sentence, not left out silently."""
    inits = compare.initiatives_for(ctx.data, ctx.department)
    linked = set(ctx.data.koppling["insats_id"])
    labels = compare.initiative_labels(ctx.data)
    return [
        labels[r["insats_id"]]
        for r in inits.to_dict("records")
        if r["insats_id"] not in linked
        and not (r["overordnad_insats"] and r["overordnad_insats"] in linked)
    ]


def side_counts(items: list[Row]) -> dict[str, int]:
    """How many links have both a 2018–2019 figure and an indicator, one of them, neither."""
    links = [link for row in items for link in row.links]
    return {k: sum(link.sides == k for link in links) for k in (BOTH, ONE, NEITHER)}


def themes_without_precursor(ctx: Context) -> list[str]:
    frame = compare.themes_without_precursor(ctx.data, ctx.goal, ctx.department)
    return list(frame["namn"])
