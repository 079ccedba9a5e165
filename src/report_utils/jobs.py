"""Planning a render: one job per (department, year), with its paths and cache key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import cache
from .catalog import Catalog
from .model import report_inputs
from .settings import Settings


@dataclass(frozen=True)
class Job:
    department: str
    year: int
    title: str
    html: Path
    executed: Path
    key: cache.ReportKey

    @property
    def name(self) -> str:
        return f"{self.year} {self.department}"


def report_title(department_name: str, year: int) -> str:
    name = department_name[:1].upper() + department_name[1:]
    return f"{name} – psykisk hälsa och suicidprevention, uppföljning {year}"


def plan(settings: Settings, catalog: Catalog, grid: list[tuple[str, int]]) -> list[Job]:
    """Jobs for a checked grid (:meth:`Catalog.select`): no path can escape the output folder."""
    jobs = []
    departments, years = list(catalog.departments), sorted(catalog.years)
    inputs = {year: report_inputs(settings.data_dir, year) for _, year in grid}
    for department, year in grid:
        html = settings.html_dir / str(year) / f"{department}.html"
        executed = settings.executed_dir / str(year) / f"{department}.ipynb"
        key = cache.report_key(
            settings.notebook,
            settings.data_dir,
            department,
            year,
            inputs[year].files(settings.data_dir),
            departments,
            years,
        )
        title = report_title(catalog.departments[department], year)
        jobs.append(Job(department, year, title, html, executed, key))
    return jobs
