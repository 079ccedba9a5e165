"""Batch rendering: papermill executes the report notebook per (department, year), nbconvert
exports offline HTML, and a landing page links everything.

Speed without giving up isolation: the parent process imports the heavy libraries, loads
the data and compiles the HTML template once; every report then runs in a *forked* child
(a fresh process that starts with all of that in memory) through the in-process papermill
engine (:mod:`report_utils.engine`). A report rendered in a batch is therefore produced
by exactly the same steps as the same report rendered alone.

Incremental: a report whose cache key (:mod:`report_utils.cache`) is unchanged and whose
HTML exists is not executed again. Fault-tolerant: a failing report is reported with its
failing cell and error, its executed notebook is kept, and its previous HTML stays intact
(new HTML is written to a temporary file and renamed into place).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
import select as io_select
import signal
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import cache
from .errors import ParameterError
from .schemas import DEPARTMENT_ALL
from .settings import Settings

CATALOG_VERSION = 1


# -- what exists ---------------------------------------------------------------------------
@dataclass
class Catalog:
    """Departments, years and data version: all the CLI needs before rendering anything."""

    departments: dict[str, str]  # code -> name, ALLA first
    years: dict[int, str]  # year -> what the report for that year covers
    goal_years: list[int]
    data_version: str

    @classmethod
    def from_dataset(cls, dataset, data_version: str) -> Catalog:
        departments = {code: dataset.department_name(code) for code in dataset.report_departments}
        years = {}
        for year in dataset.years:
            if year in dataset.goals:
                years[year] = f"Mål och indikatorer {year}, jämförda med 2018–2019 års insatser"
            else:
                years[year] = f"Stimulansfinansierade insatser och resultat {year}"
        return cls(departments, years, dataset.goal_years, data_version)

    def to_json(self) -> str:
        data = asdict(self)
        data["years"] = {str(k): v for k, v in self.years.items()}
        return json.dumps({"v": CATALOG_VERSION, **data}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Catalog:
        data = json.loads(text)
        if data.pop("v", None) != CATALOG_VERSION:
            raise ValueError("old catalog")
        data["years"] = {int(k): v for k, v in data["years"].items()}
        return cls(**data)


def load_catalog(settings: Settings) -> Catalog:
    """The catalog, from cache when neither data nor package changed; else from the data.

    Building it loads and validates every workbook, so invalid data stops the run here
    with every problem listed (:class:`~report_utils.errors.DataValidationError`).
    """
    version = cache.data_version(settings.data_dir)
    stamp = f"{settings.data_dir}|{version}|{cache.package_digest()}"
    path = settings.cache_dir / "catalog.json"
    try:
        stored = json.loads(path.read_text("utf-8"))
        if stored.get("stamp") == stamp:
            return Catalog.from_json(stored["catalog"])
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        pass
    from .model import load_dataset_cached

    catalog = Catalog.from_dataset(load_dataset_cached(settings.data_dir), version)
    catalog._stamp = stamp  # written only once the parameters are known to be valid
    return catalog


def _save_catalog(settings: Settings, catalog: Catalog) -> None:
    stamp = getattr(catalog, "_stamp", None)
    if stamp is None:
        return
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"stamp": stamp, "catalog": catalog.to_json()}, ensure_ascii=False)
    (settings.cache_dir / "catalog.json").write_text(payload, "utf-8")


# -- planning --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    department: str
    year: int
    title: str
    html: Path
    executed: Path
    key: cache.ReportKey


def report_title(department_name: str, year: int) -> str:
    name = department_name[:1].upper() + department_name[1:]
    return f"{name} – psykisk hälsa och suicidprevention, uppföljning {year}"


def select(
    catalog: Catalog, departments: Iterable[str] | None, years: Iterable[int | str] | None
) -> list[tuple[str, int]]:
    """Validate the requested departments and years; raise ParameterError listing valid ones."""
    valid_depts = list(catalog.departments)
    valid_years = sorted(catalog.years)
    chosen_depts = list(dict.fromkeys(departments or valid_depts))
    bad = [d for d in chosen_depts if d not in catalog.departments]
    if bad:
        raise ParameterError(
            f"okänd förvaltning: {', '.join(map(repr, bad))}. "
            f"Giltiga värden: {', '.join(valid_depts)}"
        )
    chosen_years: list[int] = []
    for y in years or valid_years:
        try:
            year = int(str(y).strip())
        except ValueError:
            year = None
        if year not in catalog.years:
            raise ParameterError(
                f"okänt år: {y!r}. Giltiga värden: {', '.join(map(str, valid_years))}"
            )
        chosen_years.append(year)
    chosen_years = list(dict.fromkeys(chosen_years))
    return [(d, y) for y in chosen_years for d in chosen_depts]


def plan(settings: Settings, catalog: Catalog, grid: list[tuple[str, int]]) -> list[Job]:
    jobs = []
    for department, year in grid:
        # department and year are validated against the catalog: no path can escape --out
        html = settings.html_dir / str(year) / f"{department}.html"
        executed = settings.executed_dir / str(year) / f"{department}.ipynb"
        key = cache.report_key(
            settings.notebook, settings.data_dir, department, year, catalog.goal_years
        )
        title = report_title(catalog.departments[department], year)
        jobs.append(Job(department, year, title, html, executed, key))
    return jobs


# -- executing one report (in a forked child) ----------------------------------------------------
@dataclass
class Outcome:
    department: str
    year: int
    status: str  # "renderad", "från cache", "misslyckades"
    seconds: float = 0.0
    cell: int | None = None
    error: str = ""
    executed: str = ""


_WARM: dict = {}


def warm_up(settings: Settings) -> None:
    """Import and prepare everything a report needs, once, before forking children.

    Besides the imports and the data, this pays the first-use costs a fresh process would
    otherwise pay in every report: a first shell cell (IPython's magics), a first SVG chart
    (matplotlib's backends, fonts) and a first HTML export (nbconvert's filters). Only
    library state is warmed; each report still starts with an empty namespace of its own.
    """
    if _WARM.get("settings") == settings:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import nbformat
    import papermill  # noqa: F401

    from . import charts, engine, report  # noqa: F401
    from .model import load_dataset_cached

    load_dataset_cached(settings.data_dir)
    exporter = html_exporter(settings)
    shell = engine.new_shell()
    shell.run_cell("1 + 1", store_history=False)
    chart = charts.bar_chart(["a"], {"b": [1.0]}, title="t", xlabel="x", alt="a", caption="c")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": str(chart), "text/plain": "x"}
                )
            ],
        )
    ]
    notebook_to_html(nb, settings, "uppvärmning", exporter)
    _WARM["exporter"] = exporter
    _WARM["engine"] = engine.register()
    _WARM["settings"] = settings


def html_exporter(settings: Settings):
    """nbconvert's HTML exporter with the offline template shipped in the package."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="rapport",
        extra_template_basedirs=[str(settings.template_dir)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,  # notes for notebook users, not for report readers
    )
    exporter.template  # compile once  # noqa: B018
    return exporter


def _css(settings: Settings) -> str:
    return _read_text(settings.template_dir / "rapport" / "static" / "report.css")


@functools.lru_cache(maxsize=4)
def _read_text(path: Path) -> str:
    """A package file, read once per process (the warm-up reads it before forking)."""
    return path.read_text("utf-8")


def notebook_to_html(nb, settings: Settings, title: str, exporter=None) -> str:
    """Offline HTML for an executed notebook (deterministic: no ids, dates or randomness)."""
    nb.metadata["title"] = title
    for index, cell in enumerate(nb.cells):  # papermill gives injected cells random ids
        cell["id"] = f"cell-{index}"
    exporter = exporter or _WARM.get("exporter") or html_exporter(settings)
    body, _ = exporter.from_notebook_node(nb, resources={"report_css": _css(settings)})
    return body


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def run_job(job: Job, settings: Settings) -> Outcome:
    """Execute one report notebook and export it; never raises."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    outcome = Outcome(job.department, job.year, "renderad", executed=str(job.executed))
    try:
        job.executed.parent.mkdir(parents=True, exist_ok=True)
        nb = pm.execute_notebook(
            str(settings.notebook),
            str(job.executed),
            parameters={
                "department": job.department,
                "year": job.year,
                "data_dir": str(settings.data_dir),
            },
            engine_name=_WARM.get("engine") or _register_engine(),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
        )
        write_atomic(job.html, notebook_to_html(nb, settings, job.title))
    except PapermillExecutionError as exc:
        outcome.status = "misslyckades"
        outcome.cell = exc.cell_index
        outcome.error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # any other failure of this report must not stop the batch
        outcome.status = "misslyckades"
        outcome.error = f"{type(exc).__name__}: {exc}"
    outcome.seconds = time.perf_counter() - started
    return outcome


def _register_engine() -> str:
    from .engine import register

    return register()


def _fork(job: Job, settings: Settings) -> tuple[int, int]:
    """Start one report in a forked child; returns (pid, fd of the pipe carrying its Outcome)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the outcome, leave without running parent cleanup
        code = 0
        try:
            os.close(read_fd)
            outcome = run_job(job, settings)
            with os.fdopen(write_fd, "wb") as fh:
                pickle.dump(outcome, fh)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def _collect(pid: int, read_fd: int, job: Job) -> Outcome:
    with os.fdopen(read_fd, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    try:
        return pickle.loads(data)
    except Exception:
        code = os.waitstatus_to_exitcode(status)
        return Outcome(
            job.department,
            job.year,
            "misslyckades",
            error=f"renderingsprocessen avbröts (status {code})",
            executed=str(job.executed),
        )


# -- the batch ------------------------------------------------------------------------------
@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "misslyckades"]


def execute(
    jobs: list[Job], settings: Settings, report: Callable[[Outcome], None]
) -> list[Outcome]:
    """Run jobs, each in a freshly forked child of this (warmed-up) process, ``jobs`` at a time.

    A child's result comes back through a pipe; a child that dies without one (killed,
    crashed) becomes a failed outcome naming the report, and the others carry on.
    """
    if not jobs:
        return []
    warm_up(settings)
    workers = max(1, min(settings.jobs, len(jobs)))
    outcomes: list[Outcome] = []
    pending = list(jobs)
    running: dict[int, tuple[int, Job]] = {}  # read fd -> (pid, job)
    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.pop(0)
                pid, fd = _fork(job, settings)
                running[fd] = (pid, job)
            ready, _, _ = io_select.select(list(running), [], [])
            for fd in ready:
                pid, job = running.pop(fd)
                outcome = _collect(pid, fd, job)  # reads to EOF: the child has finished
                outcomes.append(outcome)
                report(outcome)
    finally:
        for fd, (pid, _job) in running.items():  # interrupted: stop the children
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            os.close(fd)
    return outcomes


def render(
    settings: Settings,
    departments: Iterable[str] | None = None,
    years: Iterable[int | str] | None = None,
    force: bool = False,
    progress: bool | None = None,
    stream=None,
) -> Summary:
    """Render the requested reports (default: all) and the landing page."""
    stream = stream or sys.stderr
    started = time.perf_counter()
    catalog = load_catalog(settings)
    grid = select(catalog, departments, years)  # raises before anything is written
    _save_catalog(settings, catalog)
    jobs = plan(settings, catalog, grid)
    manifest = cache.Manifest(settings.cache_dir / "manifest.json")
    summary = Summary()
    todo = []
    for job in jobs:
        if not force and manifest.is_fresh(job.key, job.html):
            summary.outcomes.append(Outcome(job.department, job.year, "från cache"))
        else:
            todo.append(job)
    by_name = {(j.department, j.year): j for j in todo}
    bar = _progress(len(jobs), summary.count("från cache"), progress, stream)

    def done(outcome: Outcome) -> None:
        if outcome.status == "renderad":
            manifest.record(by_name[(outcome.department, outcome.year)].key)
            manifest.save()
        bar(outcome)

    summary.outcomes += execute(todo, settings, done)
    write_index(settings, catalog, summary)
    manifest.save()
    summary.seconds = time.perf_counter() - started
    bar(None)
    print_summary(summary, stream)
    return summary


def _progress(total: int, cached: int, progress: bool | None, stream) -> Callable:
    """A tqdm bar in a terminal, plain lines otherwise."""
    if progress is None:
        progress = hasattr(stream, "isatty") and stream.isatty()
    state = {"n": cached}
    if progress:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread in a process that forks
        pbar = tqdm(total=total, initial=cached, unit="rapport", file=stream, desc="Renderar")

        def update(outcome: Outcome | None) -> None:
            if outcome is None:
                pbar.close()
                return
            pbar.set_postfix_str(f"{outcome.year} {outcome.department}: {outcome.status}")
            pbar.update(1)

        return update

    def line(outcome: Outcome | None) -> None:
        if outcome is None:
            return
        state["n"] += 1
        extra = f" — {outcome.error}" if outcome.error else ""
        print(
            f"[{state['n']}/{total}] {outcome.year} {outcome.department}: {outcome.status}"
            f" ({outcome.seconds:.1f} s){extra}",
            file=stream,
            flush=True,
        )

    return line


def print_summary(summary: Summary, stream) -> None:
    print("\nSammanfattning", file=stream)
    print(f"  {'renderade':<12}{summary.count('renderad'):>5}", file=stream)
    print(f"  {'från cache':<12}{summary.count('från cache'):>5}", file=stream)
    print(f"  {'misslyckade':<12}{summary.count('misslyckades'):>5}", file=stream)
    print(f"  {'sekunder':<12}{summary.seconds:>5.1f}", file=stream)
    for o in summary.failed:
        cell = f", cell {o.cell}" if o.cell is not None else ""
        print(f"  MISSLYCKADES {o.year} {o.department}{cell}: {o.error}", file=stream)
        if o.executed:
            print(f"    körd notebook med felet: {o.executed}", file=stream)
    print(file=stream, flush=True)


# -- landing page -------------------------------------------------------------------------------
def write_index(settings: Settings, catalog: Catalog, summary: Summary) -> Path:
    """``<out>/html/index.html``: department × year grid linking every rendered report."""
    from . import formatting as F

    years = sorted(catalog.years)
    failed = {(o.department, o.year) for o in summary.failed}
    head = [F.tag("th", "Förvaltning", scope="col")] + [
        F.tag("th", F.esc(str(y)), scope="col") for y in years
    ]
    rows = []
    for code, name in catalog.departments.items():
        cells = [F.tag("th", F.tag("strong", F.esc(code)) + "<br>" + F.esc(name), scope="row")]
        for year in years:
            html = settings.html_dir / str(year) / f"{code}.html"
            if html.is_file():
                label = "Översikt" if code == DEPARTMENT_ALL else "Rapport"
                link = F.tag("a", f"{label} {year}", href=f"{year}/{code}.html")
                if (code, year) in failed:
                    link += "<br>" + F.tag(
                        "span", "senaste körningen misslyckades", class_="missing"
                    )
                cells.append(F.tag("td", link))
            else:
                cells.append(F.tag("td", F.tag("span", "ej renderad", class_="missing")))
        rows.append(F.tag("tr", "".join(cells)))
    grid = F.tag(
        "table",
        F.tag("caption", "Rapporter per förvaltning och år")
        + F.tag("thead", F.tag("tr", "".join(head)))
        + F.tag("tbody", "".join(rows)),
        class_="grid",
    )
    covers = "".join(
        F.tag("li", F.tag("strong", str(y)) + ": " + F.esc(text))
        for y, text in sorted(catalog.years.items())
    )
    body = (
        F.tag("h1", "Psykisk hälsa och suicidprevention – uppföljningsrapporter")
        + F.tag(
            "p",
            "Helsingborgs stads uppföljning: vad 2018–2019 års stimulansfinansierade insatser "
            "uppnådde, jämfört med målen och indikatorerna i 2026 års överenskommelse mellan "
            "arbetsmarknads-, skol- och fritids-, social- samt vård- och omsorgsförvaltningen.",
            class_="lead",
        )
        + F.tag(
            "p",
            F.tag(
                "a",
                "Översikt för hela staden (alla förvaltningar)",
                href=f"{max(catalog.goal_years or years)}/{DEPARTMENT_ALL}.html",
            ),
        )
        + grid
        + F.tag("h2", "Vad varje års rapport omfattar")
        + F.tag("ul", covers)
        + F.tag(
            "p",
            f"Dataversion: {F.tag('code', F.esc(catalog.data_version))} "
            "(kontrollsumma över datafilerna i data/).",
            class_="meta",
        )
    )
    page = (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Psykisk hälsa och suicidprevention – uppföljningsrapporter</title>\n"
        f"<style>\n{_css(settings)}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
    path = settings.html_dir / "index.html"
    write_atomic(path, page)
    return path
