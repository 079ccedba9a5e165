"""The comparison: each link between a 2018–2019 initiative and the year's goals, with the
2018–2019 figure and the goal-year indicator and target side by side — and, where a side is
missing, why."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import compare
from .. import formatting as F
from .context import Context, Ref
from .goal_year import target_text
from .results_year import figure_text

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
    initiative: str
    ref: Ref
    baseline: list[str] = field(default_factory=list)  # "2018: 150 personer som …"
    baseline_missing: str | None = None
    relation: str = ""
    theme: str | None = None
    indicator: str | None = None
    target: str | None = None
    goal_missing: str | None = None
    reason: str = ""  # the curator's motivation, from the crosswalk

    @property
    def sides(self) -> str:
        have = (bool(self.baseline), bool(self.indicator))
        return BOTH if all(have) else ONE if any(have) else NEITHER


def _goal_missing(rec: dict, year: int) -> str | None:
    if rec["indikator"]:
        return None
    if rec["relation"] == "avvecklad":
        return "insatsen avvecklades; ingen indikator följer upp den"
    if rec["relation"] == "ingen efterföljare" or not rec["tema"]:
        return f"ingen efterföljare i överenskommelsen {year}"
    return f"arbetet finns kvar {year}, men ingen indikator mäter det"


def links(ctx: Context) -> list[Link]:
    cw = compare.crosswalk_for(ctx.data, ctx.department, ctx.year)
    out = []
    for r in cw.to_dict("records"):
        baseline = [
            f"{b['ar']}: {figure_text(b)} {F.lower_first(str(b['matt']))}" for b in r["baslinje"]
        ]
        out.append(
            Link(
                initiative=r["insats"],
                ref=ctx.sources.cite("stimulans-2018-2019", None, r["kalla_citat_2018"]),
                baseline=baseline,
                baseline_missing=r["baslinje_saknas"],
                relation=RELATION_WORDS.get(r["relation"], r["relation"]),
                theme=r["tema"],
                indicator=r["indikator"],
                target=target_text(r),
                goal_missing=_goal_missing(r, ctx.year),
                reason=r["motivering"],
            )
        )
    return out


def side_counts(items: list[Link]) -> dict[str, int]:
    return {k: sum(link.sides == k for link in items) for k in (BOTH, ONE, NEITHER)}


def themes_without_precursor(ctx: Context) -> list[str]:
    frame = compare.themes_without_precursor(ctx.data, ctx.goal, ctx.department)
    return list(frame["namn"])
