"""The :class:`Report`: builds every part of one report once, in reading order.

Data first, then HTML: each section module computes its data in the order a reader meets
it (so source notes are numbered in reading order), the counts are computed once
(:mod:`.facts`), and only then are the templates rendered. The summary cites nothing — every
figure it names is shown again, with its source, in the section below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import compare, templating
from .. import formatting as F
from .. import schemas as S
from ..model import Dataset, load_dataset_cached, load_for_report
from ..settings import Settings
from . import appendix, attainment, citywide, comparison, facts, goal_year, results_year
from .context import Context

HEADLINES_IN_SUMMARY = 5  # the largest; the chart below shows them all
PARTS = ("opening", "results", "goals", "comparison", "attainment", "citywide", "appendix")


def load(data_dir: str | Path | None = None) -> Dataset:
    """The validated data set (default: the project's ``data/``)."""
    return load_dataset_cached(Path(data_dir) if data_dir else Settings().data_dir)


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass
class Report:
    """One department's report for one year; each part is HTML or ``None``."""

    data: Dataset
    department: str
    year: int
    _html: dict[str, F.HTML | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, department: str, year: int | str, data_dir: str | Path | None = None) -> Report:
        """Load the data the report may read (its year and earlier years only) and check the
        parameters (unknown values name the valid ones)."""
        data = load_for_report(data_dir or Settings().data_dir, department, year)
        return cls(data, department, int(year))

    # -- the parts the notebook displays ---------------------------------------------------
    def opening(self) -> F.HTML:
        return self._part("opening")

    def results(self) -> F.HTML | None:
        return self._part("results")

    def goals(self) -> F.HTML | None:
        return self._part("goals")

    def comparison(self) -> F.HTML | None:
        return self._part("comparison")

    def attainment(self) -> F.HTML | None:
        return self._part("attainment")

    def citywide(self) -> F.HTML | None:
        return self._part("citywide")

    def appendix(self) -> F.HTML:
        return self._part("appendix")

    def html(self) -> str:
        """Every part, concatenated (what the rendered report's body holds)."""
        return "\n".join(str(self._part(p)) for p in PARTS if self._part(p) is not None)

    # -- building ------------------------------------------------------------------------------
    def _part(self, name: str) -> F.HTML | None:
        if not self._html:
            self._html = self._build()
        return self._html.get(name)

    def _context(self) -> Context:
        ctx = Context(self.data, self.department, self.year)
        ctx.sources.titles = dict(
            zip(self.data.dokument["dokument_id"], self.data.dokument["titel"], strict=True)
        )
        return ctx

    def _build(self) -> dict[str, F.HTML | None]:
        ctx = self._context()
        parts: dict[str, F.HTML | None] = dict.fromkeys(PARTS)
        if ctx.is_goal_year:
            sections, summary = self._goal_year(ctx, parts)
        else:
            sections, summary = self._results_year(ctx, parts)
        sections.append(Section("bilaga", "Bilaga: underlag, förkortningar och källor"))
        body = "\n".join(str(h) for h in parts.values() if h is not None)
        body += str(summary.get("appendix_body", ""))
        parts["opening"] = templating.render(
            "inledning.html.j2",
            plain=self.title,
            ctx=ctx,
            title=self.title,
            nav=self._navigation(),
            sections=sections,
            departments_named=self._departments_named(ctx, body),
            statuses_order=compare.STATUSES,
            **summary,
        )
        notes = " ".join(f"{n.section} {n.quote}" for n in ctx.sources.notes)
        text = str(parts["opening"]) + body + notes
        parts["appendix"] = templating.render(
            "bilaga.html.j2",
            plain="Bilaga",
            ctx=ctx,
            content=summary.get("appendix_body"),
            glossary=appendix.glossary(ctx, text),
            notes=appendix.notes(ctx),
        )
        return parts

    def _results_year(self, ctx: Context, parts: dict) -> tuple[list[Section], dict]:
        chart = results_year.chart(ctx)
        headlines = results_year.headlines(ctx)
        initiatives = results_year.initiative_rows(ctx)
        figures = results_year.figure_rows(ctx)
        counts = facts.results_year(ctx)
        sections = [
            Section("resultat", f"Nådda och utbildade personer {ctx.year}"),
            Section("insatser", f"Insatser {ctx.year}"),
        ]
        parts["results"] = templating.render(
            "resultatar.html.j2",
            plain=f"Resultat {ctx.year}",
            ctx=ctx,
            facts=counts,
            sections=sections,
            chart=chart,
            headlines=headlines,
            initiatives=initiatives,
            focus_areas=dict(
                zip(self.data.fokusomraden["nr"], self.data.fokusomraden["namn"], strict=True)
            ),
        )
        appendix_body = templating.render(
            "bilaga_resultat.html.j2",
            ctx=ctx,
            facts=counts,
            figures=figures,
            initiatives=initiatives,
        )
        top = sorted(headlines, key=lambda h: -h.value)[:HEADLINES_IN_SUMMARY]
        return sections, {
            "facts": counts,
            "headlines": headlines,
            "top_headlines": [h for h in headlines if h in top],  # in source order
            "initiatives": initiatives,
            "later": [
                (y, href) for y, href, _current in self._navigation()["years"] if y > ctx.year
            ],
            "appendix_body": appendix_body,
        }

    def _goal_year(self, ctx: Context, parts: dict) -> tuple[list[Section], dict]:
        targets = goal_year.targets(ctx)
        themes = goal_year.theme_rows(ctx)
        subgoals = goal_year.subgoal_rows(ctx)
        gaps = goal_year.gaps(ctx)
        links = comparison.rows(ctx)
        new_themes = comparison.themes_without_precursor(ctx)
        status = attainment.status_frame(ctx)
        reported = attainment.reported_rows(ctx, status)
        counts = facts.goal_year(ctx, status, comparison.side_counts(links))
        sections = [
            Section("mal", f"Mål att följa upp {ctx.year}"),
            Section("teman", "Teman och indikatorer"),
            Section("utan-indikator", "Mål som ingen indikator mäter"),
            Section("jamforelse", f"Från 2018–2019 till {ctx.year}"),
            Section("maluppfyllelse", f"Måluppfyllelse {ctx.year}"),
        ]
        if ctx.is_overview:
            sections.append(Section("forvaltningar", "Förvaltningarna sida vid sida"))
        common = {"ctx": ctx, "facts": counts}
        parts["goals"] = templating.render(
            "malar.html.j2",
            plain=f"Mål {ctx.year}",
            targets=targets,
            themes=themes,
            subgoals=subgoals,
            gaps=gaps,
            **common,
        )
        parts["comparison"] = templating.render(
            "jamforelse.html.j2",
            plain="Jämförelse",
            rows=links,
            new_themes=new_themes,
            unlinked=comparison.without_link(ctx),
            **common,
        )
        parts["attainment"] = templating.render(
            "maluppfyllelse.html.j2",
            plain="Måluppfyllelse",
            reported=reported,
            status_rows=attainment.status_table(status),
            status_columns=attainment.status_columns(),
            trend=attainment.trend_chart(ctx, status),
            **common,
        )
        if ctx.is_overview:
            parts["citywide"] = templating.render(
                "staden.html.j2",
                plain="Förvaltningarna",
                matrix=citywide.matrix(ctx),
                totals=citywide.totals(ctx),
                **common,
            )
        indicator_list = goal_year.indicator_list(ctx)
        appendix_body = templating.render("bilaga_mal.html.j2", indicators=indicator_list, **common)
        numeric = [t for t in targets if t.numeric]
        return sections, {
            "facts": counts,
            "numeric_targets": numeric,
            "followed": comparison.followed_up(links),
            "gaps": gaps,
            "appendix_body": appendix_body,
        }

    def _departments_named(self, ctx: Context, body: str) -> list[tuple[str, str]]:
        """The departments whose codes the report uses, with their names: said once, in the
        summary, so every code is explained at its first mention."""
        text = appendix.visible_text(body)
        return [
            (code, ctx.name(code))
            for code in self.data.departments
            if code != self.department and re.search(rf"(?<![\w-]){code}(?![\w-])", text)
        ]

    # -- titles and links -------------------------------------------------------------------
    @property
    def title(self) -> str:
        if self.department == S.DEPARTMENT_ALL:
            return f"Helsingborgs stad – uppföljning {self.year}"
        name = self.data.department_name(self.department)
        return f"{name[:1].upper()}{name[1:]} – uppföljning {self.year}"

    def _navigation(self) -> dict:
        """Links to the landing page, the same department's other years and the overview.

        The years are the catalog's (which years exist), never a later year's content.
        """
        years = self.data.catalog_years
        departments = [
            (
                code,
                "Hela staden" if code == S.DEPARTMENT_ALL else self.data.department_name(code),
                f"../{self.year}/{code}.html",
                code == self.department,
            )
            for code in self.data.report_departments
        ]
        return {
            "home": "../index.html",
            "years": [(y, f"../{y}/{self.department}.html", y == self.year) for y in years],
            "departments": [
                ("Hela staden" if c == S.DEPARTMENT_ALL else c, n[:1].upper() + n[1:], h, cur)
                for c, n, h, cur in departments
            ],
        }
