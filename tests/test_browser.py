"""Real-browser test: every rendered report, opened from disk in headless Chromium.

Chromium is the Debian package (``make browser``) driven by playwright through
``executable_path``; without it (or without playwright) these tests skip with the reason.
All reports are rendered once into a temporary directory; each page is then opened with
the network blocked and must load nothing but itself (and inline data: URIs), log no
console error, be Swedish (``lang="sv"``) and show its key headings and tables. A
full-page screenshot of every page is saved under ``outputs/screenshots/`` for a person
to look at. Text from the spreadsheets must be shown as text: a cell holding
``<script>`` or ``<img onerror>`` appears literally and executes nothing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser_support import (
    LAUNCH_ARGS,
    PAGE_FACTS_JS,
    OfflineTab,
    PageLog,
    chromium_executable,
    skip_reason,
)
from report_utils.render import load_catalog, render
from report_utils.settings import Settings

pytestmark = pytest.mark.browser

MAX_BYTES = 1_000_000
# A4 is 210 mm = 794 CSS px wide; report.css prints with 15 mm side margins (@page), so
# a printed page holds 180 mm = 680 px. Anything wider is cut off, or the whole printout is
# shrunk to fit its widest table (Chromium does this: smaller text on every page).
PRINT_WIDTH = 680
SCREEN = {"width": 1100, "height": 900}  # the 60rem text column and its margins
# 2018 and 2019 are the baseline: the comparison with goals is in the goal years' reports
HEADINGS_ACTIVITIES = ["Insatser", "Resultat", "Insatser utan mätbara mål"]
HEADINGS_GOALS = [
    "Teman",
    "Mätbara indikatorer",
    "Mål som saknar mätbar indikator",
    "Jämförelse",
    "Måluppfyllelse",
]
HEADING_ALL = "Alla förvaltningar"
PAYLOAD = "<script>alert(1)</script> MHFA <img src=x onerror=alert(1)>"


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            instance = p.chromium.launch(
                executable_path=chromium_executable(), args=LAUNCH_ARGS, headless=True
            )
        except Exception as exc:  # installed but unusable: a real failure, say why
            pytest.fail(f"Chromium at {chromium_executable()} did not start: {exc}")
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """All reports and the landing page, rendered once from the shipped data."""
    if skip_reason():  # do not spend the render time on a machine that cannot look at it
        pytest.skip(skip_reason())
    settings = Settings(out_dir=tmp_path_factory.mktemp("browser-reports"))
    summary = render(settings, progress=False)
    failed = [f"{o.year} {o.department}: {o.error}" for o in summary.failed]
    assert not failed, "reports failed to render:\n" + "\n".join(failed)
    return settings, load_catalog(settings)


@pytest.fixture(scope="session")
def screenshot_dir():
    path = Settings().project_root / "outputs" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pages(settings: Settings) -> list[Path]:
    html = settings.html_dir
    return [html / "index.html", *sorted(html.glob("*/*.html"))]


def _name(settings: Settings, path: Path) -> str:
    rel = path.relative_to(settings.html_dir)
    return "index" if rel.parent == Path(".") else f"{rel.parent}-{rel.stem}"


def _problems(settings, catalog, path: Path, facts: dict, log) -> list[str]:
    """Everything wrong with one opened page, as readable lines."""
    problems = []
    if foreign := log.foreign_requests():
        problems.append(f"requests left the page: {foreign}")
    if log.websockets:
        problems.append(f"websockets opened: {log.websockets}")
    if log.console_errors:
        problems.append(f"console errors: {log.console_errors}")
    if log.page_errors:
        problems.append(f"page errors: {log.page_errors}")
    if log.dialogs:
        problems.append(f"dialogs opened: {log.dialogs}")
    if facts["lang"] != "sv":
        problems.append(f'<html lang> is {facts["lang"]!r}, expected "sv"')
    if not facts["h1"]:
        problems.append("no <h1>")
    if facts["tables"] < 1:
        problems.append("no <table>")
    if facts["badCells"]:
        problems.append(f"cells showing a missing-value marker: {facts['badCells'][:5]}")
    if facts["nanInText"]:
        problems.append('"nan" appears as a word in the text')
    if facts["chartsWithNan"]:
        problems.append(f'charts labelled "nan": {facts["chartsWithNan"]}')
    if facts["brokenImages"]:
        problems.append(f"images that did not load: {facts['brokenImages']}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(f"file is {size:,} bytes, more than {MAX_BYTES:,}")

    if path.name == "index.html" and path.parent == settings.html_dir:
        return problems
    year, department = int(path.parent.name), path.stem
    name = catalog.departments.get(department, department)
    title = facts["title"].casefold()
    if name.casefold() not in title or str(year) not in title:
        problems.append(f"title {facts['title']!r} lacks {name!r} and/or {year}")
    expected = list(HEADINGS_GOALS if year in catalog.goal_years else HEADINGS_ACTIVITIES)
    if department == "ALLA" and year in catalog.goal_years:
        expected.append(HEADING_ALL)
    missing = [h for h in expected if not any(t.startswith(h) for t in facts["headings"])]
    if missing:
        problems.append(f"missing headings {missing}; page has {facts['headings']}")
    return problems


# -- every report, as a reader opens it ---------------------------------------------------------
@dataclass
class Visit:
    """One page as the browser saw it: on screen, then laid out for print."""

    log: PageLog
    screen: dict
    print: dict
    pdf: bytes = b""


@pytest.fixture(scope="session")
def visits(browser, rendered, screenshot_dir) -> dict[Path, Visit]:
    """Open every page once: facts on screen, a screenshot, then the print layout.

    Each page is loaded a single time (the slow part is Chromium, not the checks) and the
    tests below assert on what was gathered.
    """
    settings, _ = rendered
    result = {}
    tab = OfflineTab(browser, viewport=SCREEN)
    try:
        for path in _pages(settings):
            log = tab.open(path)
            screen = tab.page.evaluate(PAGE_FACTS_JS)
            tab.screenshot(screenshot_dir / f"{_name(settings, path)}.png")
            tab.page.emulate_media(media="print")
            tab.page.set_viewport_size({"width": PRINT_WIDTH, "height": SCREEN["height"]})
            visit = Visit(log, screen, tab.page.evaluate(PAGE_FACTS_JS))
            if path.parent.name == "2026" and path.stem == "ALLA":  # the longest report
                visit.pdf = tab.page.pdf(format="A4")
            tab.page.emulate_media(media="screen")
            tab.page.set_viewport_size(SCREEN)
            result[path] = visit
    finally:
        tab.close()
    return result


def test_every_report_opens_offline_and_complete(rendered, visits):
    settings, catalog = rendered
    expected = {
        settings.html_dir / str(y) / f"{d}.html" for y in catalog.years for d in catalog.departments
    }
    expected.add(settings.html_dir / "index.html")
    assert expected <= set(visits), f"pages not rendered: {sorted(expected - set(visits))}"

    failures = {}
    for path, visit in visits.items():
        if problems := _problems(settings, catalog, path, visit.screen, visit.log):
            failures[str(path.relative_to(settings.html_dir))] = problems
    report = "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in failures.items())
    assert not failures, f"{len(failures)} of {len(visits)} pages have problems:\n{report}"


def test_reports_print_on_a4_without_horizontal_overflow(rendered, visits):
    """Laid out for print on the width of an A4 page, no page is wider than the paper."""
    settings, _ = rendered
    overflow = {}
    for path, visit in visits.items():
        name = str(path.relative_to(settings.html_dir))
        assert visit.print["h1"] and visit.print["tables"], f"{name}: nothing shown in print"
        if visit.print["scrollWidth"] > PRINT_WIDTH + 2:
            overflow[name] = visit.print["scrollWidth"]
    printed = [v.pdf for v in visits.values() if v.pdf]
    assert printed, "no report was printed to PDF"
    for pdf in printed:
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000, "Chromium printed no PDF"
    assert not overflow, (
        f"pages wider than the printable width of A4 ({PRINT_WIDTH} px = 210 mm minus the "
        "15 mm @page side margins): a browser either cuts off their right edge or shrinks the "
        f"whole printout to fit the widest table. scrollWidth per page: {overflow}"
    )


# -- spreadsheet text is shown as text ----------------------------------------------------------
def _set_cell(workbook: Path, sheet: str, key_column: str, key: str, column: str, value) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    key_col, col = header.index(key_column) + 1, header.index(column) + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, key_col).value == key:
            ws.cell(row, col).value = value
            break
    else:
        raise AssertionError(f"{workbook.name}/{sheet}: no row with {key_column} = {key!r}")
    wb.save(workbook)


@pytest.fixture(scope="session")
def hostile_reports(tmp_path_factory):
    """SOF 2018 and SOF 2026 rendered from data whose names hold HTML."""
    if skip_reason():
        pytest.skip(skip_reason())
    base = Settings()
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(base.data_dir, data, ignore=shutil.ignore_patterns("~$*"))
    _set_cell(data / "insatser_2018-2019.xlsx", "insatser", "insats_id", "mhfa", "namn", PAYLOAD)
    _set_cell(data / "2026" / "mal.xlsx", "teman", "tema_id", "T23", "namn", PAYLOAD)
    settings = Settings(data_dir=data, out_dir=root / "out")
    summary = render(settings, departments=["SOF"], years=[2018, 2026], progress=False)
    failed = [f"{o.year} {o.department}: {o.error}" for o in summary.failed]
    assert not failed, "reports failed to render:\n" + "\n".join(failed)
    return [settings.html_dir / "2018" / "SOF.html", settings.html_dir / "2026" / "SOF.html"]


XSS_FACTS_JS = """() => ({
  scripts: document.querySelectorAll('script').length,
  imgX: Array.from(document.images).filter((i) => i.getAttribute('src') === 'x').length,
  onerror: document.querySelectorAll('[onerror]').length,
})"""


@pytest.mark.parametrize("report", ["2018/SOF", "2026/SOF"])
def test_html_in_spreadsheet_is_shown_as_text_and_never_runs(browser, hostile_reports, report):
    path = next(p for p in hostile_reports if p.as_posix().endswith(f"{report}.html"))
    tab = OfflineTab(browser)
    try:
        log = tab.open(path)
        body = tab.page.inner_text("body")
        facts = tab.page.evaluate(XSS_FACTS_JS)
    finally:
        tab.close()
    assert not log.dialogs, f"{report}: the payload ran: {log.dialogs}"
    assert "<script>alert(1)</script>" in body, f"{report}: <script> payload not shown as text"
    assert "<img src=x onerror=alert(1)>" in body, f"{report}: <img> payload not shown as text"
    assert facts["scripts"] == 0, f"{report}: {facts['scripts']} <script> elements in the DOM"
    assert facts["imgX"] == 0 and facts["onerror"] == 0, f"{report}: payload became markup"
    tried_x = [u for u in log.requests if u.rstrip("/").endswith("/x")]
    assert not tried_x, f"{report}: the browser tried to load {tried_x}"
    assert not log.foreign_requests(), f"{report}: requests left the page {log.foreign_requests()}"
    assert not log.page_errors and not log.console_errors, (log.page_errors, log.console_errors)
