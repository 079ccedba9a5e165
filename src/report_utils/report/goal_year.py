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
SHARED_LABEL = "gemensam"
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
    """``SOF, VOF`` — or ``gemensam`` where the text names no department (all four)."""
    return ", ".join(cell) if cell else SHARED_LABEL


def target_text(rec: dict) -> str | None:
    return F.target(rec.get("maltyp"), rec.get("malvarde"))


@dataclass
class Target:
    indicator: str
    target: str
    as_written: str | None
    who: str
    theme: str
    ref: Ref


@dataclass
class ThemeRow:
    name: str
    subgoals: str
    departments: str
    short: int
    long: int
    ref: Ref


@dataclass
class Gap:
    """A theme and horizon without a measurable indicator, and the goals left unmeasured."""

    theme: str
    horizon: str
    why: str
    goals: list[str] = field(default_factory=list)
    ref: Ref | None = None


def indicators(ctx: Context):
    goal = ctx.goal
    return compare.indicators_for(goal, ctx.department, compare.themes_for(goal, ctx.department))


def targets(ctx: Context) -> list[Target]:
    """The indicators with a target (a number, a direction or yes/no), numbers first."""
    ind = indicators(ctx)
    ind = ind[ind["maltyp"].map(lambda m: m not in (None, "ingen"))]
    order = {m: i for i, m in enumerate(NUMERIC_TARGETS)}
    recs = sorted(
        ind.to_dict("records"), key=lambda r: (order.get(r["maltyp"], len(order)), r["_rad"])
    )
    return [
        Target(
            indicator=r["text"],
            target=target_text(r),
            as_written=r["mal_text"],
            who=r["namnd"] or departments_text(r["ansvariga"]),
            theme=r["tema"],
            ref=ctx.cite_2026(r["kalla_avsnitt"]),
        )
        for r in recs
    ]


def theme_rows(ctx: Context) -> list[ThemeRow]:
    themes = compare.themes_for(ctx.goal, ctx.department)
    ind = compare.indicators_for(ctx.goal, ctx.department, themes)
    counts = ind.groupby(["tema_id", "horisont"]).size().to_dict()
    return [
        ThemeRow(
            name=r["namn"],
            subgoals=", ".join(map(str, r["delmal"] or ())) or "–",
            departments=departments_text(r["avdelningar"]),
            short=counts.get((r["tema_id"], "kort"), 0),
            long=counts.get((r["tema_id"], "lång"), 0),
            ref=ctx.cite_2026(r["kalla_avsnitt"]),
        )
        for r in themes.to_dict("records")
    ]


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
    missing = compare.goals_without_indicators(ctx.goal, ctx.department)
    out = []
    for r in missing.to_dict("records"):
        why = (
            "texten anger att indikator saknas"
            if r["status"] == "saknas"
            else "texten anger ingen mätbar indikator"
        )
        out.append(
            Gap(
                theme=r["tema"],
                horizon=r["horisont"],
                why=why,
                goals=list(r["mal"]),
                ref=ctx.cite_2026(r["kalla_avsnitt"]),
            )
        )
    return out


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
                "who": departments_text(r["ansvariga"]),
                "ref": ctx.cite_2026(r["kalla_avsnitt"]),
            }
        )
    return out
