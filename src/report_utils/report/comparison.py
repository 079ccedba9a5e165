"""The comparison: each 2018–2019 initiative beside what follows it up in the goal year —
its 2018–2019 figure, and for each link the theme, indicator and target — and, where a side
is missing, why."""

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
    """One crosswalk row: how the initiative continues (or not) in the goal year."""

    relation: str
    ref: Ref  # the 2018–2019 sentence the link rests on
    has_baseline: bool
    theme: str | None = None
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
    baseline: list[str] = field(default_factory=list)  # "2018: 150 personer som …"
    baseline_missing: str | None = None
    links: list[Link] = field(default_factory=list)


def _goal_missing(rec: dict, year: int) -> str | None:
    if rec["indikator"]:
        return None
    if rec["relation"] == "avvecklad":
        return "insatsen avvecklades; ingen indikator följer upp den"
    if rec["relation"] == "ingen efterföljare" or not rec["tema"]:
        return f"ingen efterföljare i överenskommelsen {year}"
    return f"arbetet finns kvar {year}, men ingen indikator mäter det"


def rows(ctx: Context) -> list[Row]:
    """The department's crosswalk, one row per initiative (in the crosswalk's order)."""
    cw = compare.crosswalk_for(ctx.data, ctx.department, ctx.year)
    out: dict[str, Row] = {}
    for r in cw.to_dict("records"):
        row = out.get(r["insats_id"])
        if row is None:
            row = out[r["insats_id"]] = Row(
                initiative=r["insats"],
                baseline=[
                    f"{b['ar']}: {figure_text(b)} {F.lower_first(str(b['matt']))}"
                    for b in r["baslinje"]
                ],
                baseline_missing=r["baslinje_saknas"],
            )
        row.links.append(
            Link(
                relation=RELATION_WORDS.get(r["relation"], r["relation"]),
                ref=ctx.sources.cite("stimulans-2018-2019", None, r["kalla_citat_2018"]),
                has_baseline=bool(r["baslinje"]),
                theme=r["tema"],
                indicator=r["indikator"],
                target=target_text(r),
                goal_missing=_goal_missing(r, ctx.year),
                reason=r["motivering"],
            )
        )
    return list(out.values())


def side_counts(items: list[Row]) -> dict[str, int]:
    """How many links have both a 2018–2019 figure and an indicator, one of them, neither."""
    links = [link for row in items for link in row.links]
    return {k: sum(link.sides == k for link in links) for k in (BOTH, ONE, NEITHER)}


def themes_without_precursor(ctx: Context) -> list[str]:
    frame = compare.themes_without_precursor(ctx.data, ctx.goal, ctx.department)
    return list(frame["namn"])
