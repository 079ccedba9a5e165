"""A goal year (2026 and later): the department's commitments in the city's agreement —
themes, indicators, targets, the national sub-goals they serve, and the goals that no
indicator measures."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import compare
from .. import formatting as F
from .. import schemas as S
from ..templating import Cell
from .context import Context, Ref

UNIT_LABELS = {"antal": "antal", "andel": "andel (%)", "ja-nej": "ja/nej", "text": "text"}
SHARED_LABEL = "alla fyra"
NUMERIC_TARGETS = S.NUMERIC_TARGETS
NUMERIC_TARGETS = (
    "minska_procent",
    "minska_procentenheter",
    "oka_procent",
    "oka_procentenheter",
    "minst",
    "hogst",
)


def departments_text(cell) -> str:
    """``SOF, VOF`` — or ``alla fyra`` for an indicator or theme of every department."""
    return SHARED_LABEL if not cell or compare.all_four(cell) else ", ".join(cell)


def target_text(rec: dict) -> str | None:
    return F.target(rec.get("maltyp"), rec.get("malvarde"))


@dataclass
class Target:
    indicator: str
    target: str
    as_written: str | None  # the text's own words, where they say more than the target
    who: str
    horizon: str  # "kort sikt" (the year's goal) or "lång sikt"
    numeric: bool  # a number to reach (not a direction or yes/no)
    theme: str
    ref: Ref


@dataclass
class ThemeRow:
    name: str
    subgoals: str
    departments: str
    short: int
    long: int
    others: str | None  # the departments following up the theme's indicators, where not us
    ref: Ref


@dataclass
class Gap:
    """A theme whose goals (on one or both horizons) no indicator measures."""

    theme: str
    horizons: list[str]
    why: str
    goals: list[str] = field(default_factory=list)
    ref: Ref | None = None


HORIZONS = {"kort": "kort sikt", "lång": "lång sikt"}


def says_more(as_written: object) -> bool:
    """Whether the text's own words add something to the short target ("Minskat antal"
    beside "ska minska" does not)."""
    if F.is_missing(as_written):
        return False
    return len(str(as_written).split()) > 4 or any(ch.isdigit() for ch in str(as_written))


def indicators(ctx: Context):
    goal = ctx.goal
    return compare.indicators_for(goal, ctx.department, compare.themes_for(goal, ctx.department))


def targets(ctx: Context) -> list[Target]:
    """The indicators with a target (a number, a direction or yes/no): the year's (short
    term) first, numbers before directions and yes/no."""
    ind = indicators(ctx)
    ind = ind[ind["maltyp"].map(lambda m: m not in (None, "ingen"))]
    order = {m: i for i, m in enumerate(NUMERIC_TARGETS)}
    recs = sorted(
        ind.to_dict("records"),
        key=lambda r: (r["horisont"] != "kort", order.get(r["maltyp"], len(order)), r["_rad"]),
    )
    return [
        Target(
            indicator=r["text"],
            target=target_text(r),
            as_written=r["mal_text"] if says_more(r["mal_text"]) else None,
            who=r["namnd"] or departments_text(r["avdelningar"]),
            horizon=HORIZONS[r["horisont"]],
            numeric=r["maltyp"] in NUMERIC_TARGETS,
            theme=r["tema"],
            ref=ctx.cite_2026(r["kalla_avsnitt"]),
        )
        for r in recs
    ]


def theme_rows(ctx: Context) -> list[ThemeRow]:
    themes = compare.themes_for(ctx.goal, ctx.department)
    ind = compare.indicators_for(ctx.goal, ctx.department, themes)
    everyone = compare.indicators_for(ctx.goal, "ALLA")
    counts = ind.groupby(["tema_id", "horisont"]).size().to_dict()
    rows = []
    for r in themes.to_dict("records"):
        short, long = counts.get((r["tema_id"], "kort"), 0), counts.get((r["tema_id"], "lång"), 0)
        theirs = everyone[everyone["tema_id"] == r["tema_id"]]
        others = None
        if not short + long and len(theirs):  # e.g. LSS for SFF: the indicators are VOF's
            others = departments_text(sorted({d for c in theirs["avdelningar"] for d in c}))
        rows.append(
            ThemeRow(
                name=r["namn"],
                subgoals=", ".join(map(str, r["delmal"] or ())) or "–",
                departments=departments_text(r["avdelningar"]),
                short=short,
                long=long,
                others=others,
                ref=ctx.cite_2026(r["kalla_avsnitt"]),
            )
        )
    return rows


def subgoal_rows(ctx: Context) -> list[list]:
    cov = compare.subgoal_coverage(ctx.data, ctx.goal, ctx.department)
    return [
        [
            f"{r['nr']}. {r['namn']}",
            Cell(F.number(r["teman"], 0), num=True),
            Cell(F.number(r["indikatorer"], 0), num=True),
        ]
        for r in cov.to_dict("records")
    ]


def gaps(ctx: Context) -> list[Gap]:
    """One entry per theme with goals that no indicator measures (short and/or long term)."""
    missing = compare.goals_without_indicators(ctx.goal, ctx.department)
    out: dict[str, Gap] = {}
    for r in missing.to_dict("records"):
        why = (
            "texten anger att indikator saknas"
            if r["status"] == "saknas"
            else "texten anger ingen mätbar indikator"
        )
        gap = out.get(r["tema_id"])
        if gap is None:
            ref = ctx.cite_2026(r["kalla_avsnitt"])
            gap = out[r["tema_id"]] = Gap(theme=r["tema"], horizons=[], why=why, ref=ref)
        elif why not in gap.why:
            gap.why += f"; {why}"
        gap.horizons.append(r["horisont"])
        gap.goals += [g for g in r["mal"] if g not in gap.goals]
    return list(out.values())


def indicator_list(ctx: Context) -> list[dict]:
    """Every indicator of the department (shared ones once, marked), by theme, for the
    appendix."""
    out = []
    for r in indicators(ctx).to_dict("records"):
        out.append(
            {
                "theme": r["tema"],
                "text": r["text"],
                "horizon": "kort sikt" if r["horisont"] == "kort" else "lång sikt",
                "unit": UNIT_LABELS.get(r["enhet"], r["enhet"]),
                "target": target_text(r),
                "who": departments_text(r["avdelningar"]),
                "ref": ctx.cite_2026(r["kalla_avsnitt"]),
            }
        )
    return out
