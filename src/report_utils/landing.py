"""The landing page ``<out>/html/index.html``: a department × year grid linking every report.

What the page shows is computed here as small dataclasses (:class:`LandingPage`,
:class:`ReportCell`); how it looks is the Jinja template ``templates/landing/index.html.j2``,
rendered with autoescape. To show more, add a field to the dataclass and use it in the
template. Each report's PDF (``<out>/pdf/<year>/<department>.pdf``) is linked beside it
with its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalog import Catalog
from .schemas import DEPARTMENT_ALL
from .settings import Settings

TITLE = "Psykisk hälsa och suicidprevention – uppföljningsrapporter"
LEAD = (
    "Helsingborgs stads uppföljning: vad 2018–2019 års stimulansfinansierade insatser "
    "uppnådde, jämfört med målen och indikatorerna i 2026 års överenskommelse mellan "
    "arbetsmarknads-, skol- och fritids-, social- samt vård- och omsorgsförvaltningen."
)


@dataclass
class ReportCell:
    """One report in the grid: a link if its HTML exists, and its headline."""

    department: str
    year: int
    href: str | None  # relative to index.html; None = not rendered
    label: str
    aria_label: str  # what a screen reader says: the department's name and the year
    lines: list[str] = field(default_factory=list)  # the report's headline
    failed: bool = False  # the latest run failed (the link shows the previous HTML)
    pdf_href: str | None = None  # the report's PDF, relative to index.html; None = none
    pdf_label: str = ""  # what the PDF link says: "PDF, 640 kB"


@dataclass
class DepartmentRow:
    code: str
    name: str
    cells: list[ReportCell] = field(default_factory=list)


@dataclass
class LandingPage:
    title: str
    lead: str
    years: list[int]
    rows: list[DepartmentRow]
    covers: list[tuple[int, str]]  # what each year's report covers
    data_version: str  # for the page's metadata, not shown
    overview_href: str | None
    css: str
    city: list[str] = field(default_factory=list)  # the city's numbers, a line per year


def build(settings: Settings, catalog: Catalog, failed: Iterable[tuple[str, int]]) -> LandingPage:
    """The page's content from the catalog and the files that exist."""
    from .export import stylesheet

    failed = set(failed)
    years = sorted(catalog.years)
    rows = []
    for code, name in catalog.departments.items():
        name = name[:1].upper() + name[1:]
        row = DepartmentRow("" if code == DEPARTMENT_ALL else code, name)
        for year in years:
            href = f"{year}/{code}.html"
            exists = (settings.html_dir / href).is_file()
            label = f"{'Översikt' if code == DEPARTMENT_ALL else 'Rapport'} {year}"
            aria = f"{'Hela staden' if code == DEPARTMENT_ALL else name} {year}"
            cell = ReportCell(
                code,
                year,
                href if exists else None,
                label,
                aria,
                list(catalog.headlines.get(f"{year}/{code}", [])),
                (code, year) in failed,
            )
            pdf = settings.pdf_dir / str(year) / f"{code}.pdf"
            if exists and pdf.is_file():
                cell.pdf_href = f"../pdf/{year}/{code}.pdf"
                cell.pdf_label = f"PDF, {file_size(pdf.stat().st_size)}"
            row.cells.append(cell)
        rows.append(row)
    overview_year = max(catalog.goal_years or years) if years else None
    overview = f"{overview_year}/{DEPARTMENT_ALL}.html" if overview_year is not None else None
    return LandingPage(
        title=TITLE,
        lead=LEAD,
        years=years,
        rows=rows,
        covers=sorted(catalog.years.items()),
        data_version=catalog.data_version,
        overview_href=overview,
        css=stylesheet(settings),
        city=list(catalog.city),
    )


def file_size(size: int) -> str:
    """A file's size as a Swedish reader expects it: ``640 kB``, ``1,2 MB`` (SI units; the
    number and its unit joined by a no-break space)."""
    if size < 999_500:
        return f"{max(1, round(size / 1000))}\u00a0kB"
    return f"{size / 1_000_000:.1f}".replace(".", ",") + "\u00a0MB"


def render_page(page: LandingPage, settings: Settings) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(settings.template_dir / "landing")),
        autoescape=select_autoescape(["html", "j2"], default=True),
        keep_trailing_newline=True,
    )
    return env.get_template("index.html.j2").render(page=page)


def write_index(settings: Settings, catalog: Catalog, failed: Iterable[tuple[str, int]] = ()):
    """Write ``<out>/html/index.html`` (only when its content changed); returns its path."""
    from .outdir import write_atomic

    path = settings.html_dir / "index.html"
    text = render_page(build(settings, catalog, failed), settings)
    try:
        if path.read_text("utf-8") == text:
            return path
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return path
