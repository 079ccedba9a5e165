"""The city-wide overview (ALLA) of a goal year: departments side by side."""

from __future__ import annotations

from .. import charts, compare
from .. import formatting as F
from ..templating import Cell
from .context import Context


def matrix(ctx: Context) -> F.HTML:
    """Department × national sub-goal: how many themes each department takes part in."""
    goal = ctx.goal
    m = compare.department_subgoal_matrix(ctx.data, goal)
    rows = [[dept, *[Cell(F.number(v, 0), num=True) for v in row]] for dept, row in m.iterrows()]
    return charts.matrix_chart(
        list(m.index),
        [str(c) for c in m.columns],
        m.values.tolist(),
        title=f"Teman per förvaltning och delmål {goal.year}",
        alt=f"Rutnät: antal teman {goal.year} per förvaltning (rader) och delmål 1–7 (kolumner); "
        "siffran står i varje ruta och i tabellen under diagrammet.",
        caption="Antal teman per förvaltning som ingår i varje delmål, gemensamma teman "
        "inräknade (ett tema kan ingå i flera delmål).",
        col_label="Delmål i den nationella strategin",
        table=charts.ChartTable(
            id="matris-data",
            caption="Antal teman per förvaltning och delmål",
            columns=["Förvaltning", *[Cell(f"Delmål {c}", num=True) for c in m.columns]],
            rows=rows,
        ),
    )


def totals(ctx: Context) -> list[list]:
    """Per department: initiatives 2018–2019, themes and indicators of the year."""
    goal = ctx.goal
    rows = []
    for dept in ctx.data.departments:
        themes = compare.themes_for(goal, dept)
        ind = compare.indicators_for(goal, dept, themes)
        inits = compare.initiatives_for(ctx.data, dept)
        rows.append(
            [
                f"{ctx.name(dept)} ({dept})",
                Cell(F.number(int(inits["overordnad_insats"].isna().sum()), 0), num=True),
                Cell(F.number(len(themes), 0), num=True),
                Cell(F.number(len(ind), 0), num=True),
            ]
        )
    return rows
