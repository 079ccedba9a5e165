"""Goal attainment: each reported value beside its target and comparison value, with a
status — said once, in a sentence, while nothing is reported yet."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import charts, compare
from .. import formatting as F
from ..templating import Cell
from .context import Context
from .goal_year import target_text

STATUS_CLASS = {
    compare.UPPNATT: "uppnatt",
    compare.PA_VAG: "pa-vag",
    compare.EJ_UPPNATT: "ej-uppnatt",
    compare.EJ_RAPPORTERAT: "ej-rapporterat",
    compare.MAL_SAKNAS: "mal-saknas",
}


def status_frame(ctx: Context) -> pd.DataFrame:
    """Every expected value: indicator × responsible department, with value and status."""
    return compare.indicator_status(ctx.data, ctx.year, ctx.department)


def indicator_value_text(value, unit) -> str:
    if F.is_missing(value):
        return F.MISSING
    if unit == "andel" and isinstance(value, int | float):
        return F.percent(value)
    if isinstance(value, int | float):
        return F.number(value)
    return str(value)


@dataclass
class ValueRow:
    indicator: str
    shared: bool
    department: str
    value: str
    target: str | None
    comparison: str | None
    status: str
    status_class: str
    comment: str | None


def reported_rows(ctx: Context, st: pd.DataFrame) -> list[ValueRow]:
    """The values reported so far, and the targets still waiting for a value (*ej
    rapporterat*); indicators with neither a value nor a target are counted, not listed."""
    rows = []
    for r in st.to_dict("records"):
        if F.is_missing(r["varde"]) and r["status"] != compare.EJ_RAPPORTERAT:
            continue
        comparison = None
        if r["jamforelsevarde"] is not None:
            comparison = (
                f"{indicator_value_text(r['jamforelsevarde'], r['enhet'])} ({r['jamforelsear']})"
            )
        rows.append(
            ValueRow(
                indicator=r["indikator"],
                shared=r["gemensam"],
                department=r["forvaltning"],
                value=indicator_value_text(r["varde"], r["enhet"]),
                target=target_text(r),
                comparison=comparison,
                status=r["status"],
                status_class=STATUS_CLASS[r["status"]],
                comment=r["kommentar"],
            )
        )
    return rows


def status_columns() -> list:
    return [
        "Förvaltning",
        *[Cell(s[:1].upper() + s[1:], num=True) for s in compare.STATUSES],
        Cell("Totalt", num=True),
    ]


def status_table(st: pd.DataFrame) -> list[list]:
    """Department × status counts (one row per department, a total row when several)."""
    counts = compare.status_counts(st)
    rows = [
        [code, *[Cell(F.number(row[s], 0), num=True) for s in [*compare.STATUSES, "totalt"]]]
        for code, row in counts.iterrows()
    ]
    if len(counts) > 1:
        total = counts.sum()
        rows.append(
            [
                Cell("Alla förvaltningar", cls="total"),
                *[
                    Cell(F.number(total[s], 0), num=True, cls="total")
                    for s in [*compare.STATUSES, "totalt"]
                ],
            ]
        )
    return rows


def trend_chart(ctx: Context, st: pd.DataFrame) -> F.HTML | None:
    """Reported values over the goal years, for indicators with values in two years or more."""
    years = [y for y in ctx.data.goal_years if y <= ctx.year]
    if len(years) < 2:
        return None
    series: dict[str, list] = {}
    for r in st.to_dict("records"):
        trend = compare.value_trend(ctx.data, r["indikator_id"], r["forvaltning"])
        numeric = [v if isinstance(v, int | float) else None for v in (trend.get(y) for y in years)]
        if sum(v is not None for v in numeric) >= 2:
            series[f"{r['indikator']} ({r['forvaltning']})"] = numeric
        if len(series) == 6:
            break
    if not series:
        return None
    rows = [
        [name, *[Cell(F.number(v) if v is not None else F.MISSING, num=True) for v in vals]]
        for name, vals in series.items()
    ]
    return charts.line_chart(
        years,
        series,
        title="Utveckling över åren",
        ylabel="Värde",
        alt=f"Linjediagram: rapporterade värden {years[0]}–{years[-1]} för "
        f"{F.plural(len(series), 'indikator', 'indikatorer')}. Siffrorna finns i tabellen.",
        caption="Indikatorer med rapporterade värden för minst två år (högst sex visas).",
        table=charts.ChartTable(
            id="trend-data",
            caption="Rapporterade värden per år",
            columns=["Indikator", *[Cell(str(y), num=True) for y in years]],
            rows=rows,
        ),
    )
