"""A results year (2018, 2019): what the department's stimulus-funded initiatives achieved.

Only what the department was responsible for *that year* (see
:func:`report_utils.compare.responsibility`); only achieved results are headline figures —
plans, cumulative totals and context are labelled as such wherever they appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import charts, compare
from .. import formatting as F
from .. import schemas as S
from ..templating import Cell
from .context import Context, Ref

#: how a figure that is not a result of the year is labelled beside its value
KIND_LABELS = {
    S.PLANERAT: "planerat",
    S.BAKGRUND: "bakgrund",
}


def kind_label(rec: dict) -> str | None:
    """``planerat``, ``2012–2018 sammanlagt``, ``bakgrund, 2014`` — or None for a result of
    the year."""
    kind, period = rec.get("slag"), rec.get("period")
    if kind == S.SAMMANLAGT:
        return f"{period or 'flera år'} sammanlagt"
    label = KIND_LABELS.get(kind)
    return f"{label}, {period}" if label and period else label


def refers_to(rec: dict) -> str:
    """What a figure refers to, for a table column: its kind where it is not a result of
    the year, else the period it covers (or the year)."""
    return kind_label(rec) or str(rec.get("period") or rec["ar"])


def figure_text(rec: dict) -> str:
    """The value as the source gives it: qualifier, number, range, unit."""
    return F.value_with_unit(rec["varde"], rec["enhet"], rec["kvalifikator"], rec["varde_max"])


def measure_text(rec: dict) -> str:
    """What was measured, with its breakdown unless the measure already says it ("Besökare
    – eftermiddag"; "Studieplatser som genererats totalt", not "… – studier")."""
    measure = str(rec["matt"])
    category = rec.get("kategori")
    if not category:
        return measure
    stems = {w[:5].lower() for w in measure.replace("(", " ").split() if len(w) >= 5}
    if any(w[:5].lower() in stems for w in str(category).split() if len(w) >= 5):
        return measure
    return f"{measure} – {category}"


@dataclass
class Headline:
    """One achieved headline figure: "150 personer som gått utbildningen …"."""

    initiative: str
    figure: str
    measure: str
    ref: Ref
    value: float = 0.0
    departments: str = ""  # shown in the city-wide overview


@dataclass
class InitiativeRow:
    name: str
    parent: str | None
    focus: int
    outcome: str
    measurable: str
    departments: str
    target_group: str | None
    period: str
    partners: str | None
    ref: Ref


def _initiatives(ctx: Context):
    return compare.initiatives_for(ctx.data, ctx.department, ctx.year)


def headlines(ctx: Context) -> list[Headline]:
    """The department's achieved headline figures of the year, in source order. The measure
    keeps its breakdown ("– förmiddag") and a period other than the year ("2018/2019")."""
    labels = compare.initiative_labels(ctx.data)
    figures = compare.key_figures(ctx.data, ctx.department)
    figures = figures[figures["ar"] == ctx.year]
    resp = compare.responsibility(ctx.data)
    resp = resp[resp["ar"] == ctx.year].set_index("insats_id")["ansvariga"].to_dict()
    out = []
    for r in figures.to_dict("records"):
        measure = F.lower_first(measure_text(r))
        if r.get("period") and str(r["period"]) != str(r["ar"]):
            measure += f" ({r['period']})"
        out.append(
            Headline(
                labels[r["insats_id"]],
                figure_text(r),
                measure,
                ctx.cite_2018(r),
                value=float(r["varde"] or 0),
                departments=", ".join(resp.get(r["insats_id"]) or ()),
            )
        )
    return out


def responsible_text(ctx: Context, rec: dict) -> str:
    """The departments responsible that year, or the text's words where it names none."""
    if rec["avdelningar"]:
        return ", ".join(rec["avdelningar"])
    resp = compare.responsibility(ctx.data)
    words = resp.loc[
        (resp["insats_id"] == rec["insats_id"]) & (resp["ar"] == ctx.year), "ansvariga_i_texten"
    ]
    words = [w for w in words if w]
    return f"ingen förvaltning ({words[0]})" if words else "ingen förvaltning utpekad"


def initiative_rows(ctx: Context) -> list[InitiativeRow]:
    inits = _initiatives(ctx)
    names = dict(zip(ctx.data.insatser["insats_id"], ctx.data.insatser["namn"], strict=True))
    rows = []
    for r in inits.to_dict("records"):
        measurable = {"ja": "ja", "nej": "nej"}.get(r["matbara_mal"], "ej angivet")
        rows.append(
            InitiativeRow(
                name=r["namn"],
                parent=names.get(r["overordnad_insats"]) if r["overordnad_insats"] else None,
                focus=r["fokusomrade"],
                outcome=r["status"],
                measurable=measurable,
                departments=responsible_text(ctx, r),
                target_group=r["malgrupp"],
                period=F.period(r["period_start"], r["period_slut"], r["period_text"]),
                partners=r["partner"],
                ref=ctx.cite_2018(r),
            )
        )
    return rows


def figure_rows(ctx: Context) -> list[dict]:
    """Every figure the department's initiatives reported for the year, for the appendix."""
    inits = _initiatives(ctx)
    labels = compare.initiative_labels(ctx.data)
    res = compare.results_for(ctx.data, inits["insats_id"], ctx.year)
    return [
        {
            "initiative": labels[r["insats_id"]],
            "measure": measure_text(r),
            "figure": figure_text(r),
            "missing": r["varde"] is None,
            "refers_to": refers_to(r),
            "ref": ctx.cite_2018(r),
        }
        for r in res.to_dict("records")
    ]


def chart(ctx: Context) -> F.HTML | None:
    """People reached or trained per initiative: the report's year and earlier years side by
    side; only achieved figures; no bar where an initiative did not run or was not the
    department's that year. ``None`` when there is no headline figure to draw."""
    data = ctx.data
    years = [y for y in data.historical_years if y <= ctx.year]
    pairs = compare.responsible_pairs(data, ctx.department)
    mine_now = {iid for iid, y in pairs if y == ctx.year}
    figures = compare.key_figures(data, ctx.department)
    figures = figures[figures["insats_id"].isin(mine_now) & figures["ar"].isin(years)]
    series = compare.key_figure_series(figures, compare.initiative_labels(data), pairs)
    bars = sum(v is not None for vals in series.values.values() for v in vals)
    if bars < 2:  # one number is said in words; a chart of it adds nothing
        return None
    values = {
        str(y): [v if ran else charts.NO_BAR for v, ran in zip(vals, series.ran[y], strict=True)]
        for y, vals in series.values.items()
    }
    texts = {
        str(y): [
            F.value_with_unit(v, "antal", q) if v is not None else None
            for v, q in zip(vals, series.qualifiers[y], strict=True)
        ]
        for y, vals in series.values.items()
    }
    rows = []
    for i, label in enumerate(series.labels):
        cells = [label]
        for y in series.years:
            ran = series.ran[y][i]
            cells.append(Cell(texts[str(y)][i] or (F.MISSING if ran else "–"), num=True))
        rows.append(cells)
    span = "–".join(map(str, sorted({series.years[0], series.years[-1]})))
    biggest = max(
        (
            (v, series.labels[i], y)
            for y, vals in series.values.items()
            for i, v in enumerate(vals)
            if v is not None
        ),
        key=lambda t: t[0],
    )
    alt = (
        f"Stapeldiagram: personer som nåtts eller utbildats per insats {span}, "
        f"{F.plural(len(series.labels), 'insats', 'insatser')}. Störst: {biggest[1][:60]}, "
        f"{texts[str(biggest[2])][series.labels.index(biggest[1])]} ({biggest[2]})."
    )
    return charts.bar_chart(
        series.labels,
        values,
        title=f"Personer som nåtts eller utbildats, {span}",
        xlabel="Antal personer",
        alt=alt[: charts.MAX_ALT],
        caption="Varje insats huvudsiffra för nådda eller utbildade personer, som källan anger "
        "den (ca, drygt, över behålls). Planer, sammanlagda siffror för flera år och "
        "bakgrundsuppgifter ingår inte.",
        value_labels=texts,
        table=charts.ChartTable(
            id="diagram-nadda-data",
            caption=f"Nådda och utbildade personer per insats {span}",
            columns=["Insats", *[Cell(str(y), num=True) for y in series.years]],
            rows=rows,
        ),
    )
