"""The few lines the landing page shows for each report, and for the city as a whole.

Computed with the same count functions as the reports themselves (:mod:`.facts`), on the
data the report for that year may read, so the landing page and the report say each count
the same way.
"""

from __future__ import annotations

from .. import compare
from .. import formatting as F
from .. import schemas as S
from ..model import Dataset, report_inputs, restrict
from . import attainment, comparison, facts
from .context import Context


def _context(ds: Dataset, department: str, year: int) -> Context:
    scoped = restrict(ds, report_inputs(ds.data_dir, year))
    return Context(scoped, department, year)


def report_lines(ds: Dataset, department: str, year: int) -> list[str]:
    """A report's headline in one or two short lines."""
    ctx = _context(ds, department, year)
    if ctx.is_goal_year:
        status = attainment.status_frame(ctx)
        counts = facts.goal_year(ctx, status, comparison.side_counts(comparison.rows(ctx)))
        return [
            f"{F.plural(counts['teman'], 'tema', 'teman')} · "
            f"{F.plural(counts['indikatorer'], 'indikator', 'indikatorer')}, "
            f"{F.number(counts['med_mal'], 0)} med målvärde",
            f"{F.number(counts['varden_rapporterade'], 0)} av "
            f"{F.plural(counts['varden_vantade'], 'värde', 'värden')} rapporterade",
        ]
    counts = facts.results_year(ctx)
    lines = [F.plural(counts["insatser"], "insats", "insatser")]
    figures = compare.key_figures(ctx.data, department)
    figures = figures[figures["ar"] == year]
    if len(figures):
        top = figures.loc[figures["varde"].astype(float).idxmax()]
        figure = F.value_with_unit(top["varde"], top["enhet"], top["kvalifikator"])
        label = compare.initiative_labels(ctx.data)[top["insats_id"]]
        lines.append(f"flest nådda eller utbildade: {figure} ({label})")
    return lines


def round_line(ds: Dataset, department: str, year: int) -> str | None:
    """Where the year's collection of values stands (goal years only)."""
    if year not in ds.goals:
        return None
    from ..collect import round_status
    from ..compare import memoized

    # one status per data set and year, not one per department (it reads the values workbook)
    status = memoized(ds, ("round_status", year), lambda: round_status(ds.data_dir, year, ds))
    if department == S.DEPARTMENT_ALL:
        returned = sum(d.returned for d in status.departments)
        return f"insamling: {returned} av {len(status.departments)} förvaltningar har lämnat in"
    mine = next((d for d in status.departments if d.code == department), None)
    if mine is None:
        return None
    return "insamling: formulär inlämnat" if mine.returned else "insamling: formulär ej inlämnat"


def city_lines(ds: Dataset, headlines: dict[str, list[str]] | None = None) -> list[str]:
    """The city as a whole, one line per year: what the reports are about, in numbers.
    ``headlines``: the overview's lines already computed ("year/ALLA" → lines)."""
    lines = []
    for year in ds.years:
        key = f"{year}/{S.DEPARTMENT_ALL}"
        head = (headlines or {}).get(key) or report_lines(ds, S.DEPARTMENT_ALL, year)
        head = [line for line in head if not line.startswith("insamling:")]
        kind = "mål och indikatorer" if year in ds.goals else "insatser med stimulansmedel"
        lines.append(f"{year} ({kind}): {'; '.join(head)}")
    return lines
