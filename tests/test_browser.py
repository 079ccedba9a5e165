"""Real-browser test: every rendered report and its PDF, as readers get them.

Chromium is the Debian package (``make browser``) driven by playwright through
``executable_path``; without it (or without playwright) these tests skip with the reason.
The reports, their PDFs and the landing page are the session's one full render
(``rendered_all``). Each page is opened once, with the network blocked, and everything
asserted on is gathered in that visit: it must load nothing but itself (and inline data:
URIs), log no console error, be Swedish (``lang="sv"``) and show its key headings and
tables; axe-core finds no violation of WCAG 2.0/2.1 A and AA; at 320 CSS px (a phone, or
1280 px zoomed to 400 %) nothing makes the page scroll sideways — a wide table scrolls in
its own labelled region that the keyboard reaches; laid out for print, nothing is wider
than A4. Full-page screenshots, at desktop width and at 320 px, are saved under
``outputs/screenshots/`` for a person to look at. Every PDF is read back with pypdf
(:mod:`pdf_support`): A4, tagged, bookmarks, title, language, "sida N av M" under a
running head on every page, no heading left at the foot of a page, no table row split,
at most 2 MB. Text from the spreadsheets must be shown as text: a cell holding
``<script>`` or ``<img onerror>`` appears literally and executes nothing.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from browser_support import (
    LAUNCH_ARGS,
    PAGE_FACTS_JS,
    REFLOW_JS,
    OfflineTab,
    PageLog,
    axe_violations,
    chromium_executable,
    skip_reason,
)
from pdf_support import inspect
from report_utils import pdf
from report_utils.cache import Manifest
from report_utils.jobs import report_title
from report_utils.render import load_catalog, render
from report_utils.settings import Settings

pytestmark = pytest.mark.browser

MAX_BYTES = 1_000_000
# A4 is 210 mm = 794 CSS px wide; report.css prints with 15 mm side margins (@page), so
# a printed page holds 180 mm = 680 px. Anything wider is cut off, or the whole printout is
# shrunk to fit its widest table (Chromium does this: smaller text on every page).
PRINT_WIDTH = 680
SCREEN = {"width": 1100, "height": 900}  # the 60rem text column and its margins
LAPTOP = {"width": 1280, "height": 800}  # "screens" of a report are counted at this size
PHONE = {"width": 320, "height": 640}  # WCAG 1.4.10: content reflows at 320 CSS px
PDF_MAX_BYTES = 2_000_000
A4_MM = (210, 297)
HEADINGS_ACTIVITIES = ["Sammanfattning", "Nådda och utbildade personer", "Insatser", "Bilaga"]
HEADINGS_GOALS = [
    "Sammanfattning",
    "Mål att följa upp",
    "Teman och indikatorer",
    "Mål som ingen indikator mäter",
    "Från 2018–2019 till",
    "Måluppfyllelse",
    "Bilaga",
]
HEADING_ALL = "Förvaltningarna sida vid sida"
PAYLOAD = "<script>alert(1)</script> MHFA <img src=x onerror=alert(1)>"


# -- fixtures ----------------------------------------------------------------------------------
# module-scoped: the browser's driver process is an asyncio child of this process, watched
# by a thread while it runs, and a process with a thread renders from a fresh interpreter
# instead of forking (render._single_threaded); tests in other files render after this one
@pytest.fixture(scope="module")
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
def rendered(request):
    """The session's full render (reports, PDFs, landing page) and its catalog."""
    if skip_reason():  # do not spend the render time on a machine that cannot look at it
        pytest.skip(skip_reason())
    settings = request.getfixturevalue("rendered_all")
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
    """One page as the browser saw it: on screen, on a phone, then laid out for print."""

    log: PageLog
    screen: dict
    print: dict
    phone: dict = field(default_factory=dict)
    axe: list[str] = field(default_factory=list)
    screens: float = 0.0  # the page's height in 1280×800 screens, details closed


@pytest.fixture(scope="module")
def visits(browser, rendered, screenshot_dir) -> dict[Path, Visit]:
    """Open every page once: facts, axe-core and a screenshot on screen; reflow facts and a
    screenshot at 320 px; then the print layout.

    Each page is loaded a single time (the slow part is Chromium, not the checks) and the
    tests below assert on what was gathered.
    """
    settings, _ = rendered
    result = {}
    tab = OfflineTab(browser, viewport=SCREEN)
    try:
        for path in _pages(settings):
            name = _name(settings, path)
            log = tab.open(path)
            screen = tab.page.evaluate(PAGE_FACTS_JS)
            violations = axe_violations(tab.page)
            tab.screenshot(screenshot_dir / f"{name}.png")
            tab.page.set_viewport_size(LAPTOP)
            screens = tab.page.evaluate("document.documentElement.scrollHeight") / LAPTOP["height"]
            tab.page.set_viewport_size(PHONE)
            phone = tab.page.evaluate(REFLOW_JS)
            if path.parent == settings.html_dir:  # the landing page: its grid becomes cards
                violations += [f"at {PHONE['width']} px: {v}" for v in axe_violations(tab.page)]
            tab.screenshot(screenshot_dir / f"{name}-320px.png")
            tab.page.emulate_media(media="print")
            tab.page.set_viewport_size({"width": PRINT_WIDTH, "height": SCREEN["height"]})
            printed = tab.page.evaluate(PAGE_FACTS_JS)
            tab.page.emulate_media(media="screen")
            tab.page.set_viewport_size(SCREEN)
            result[path] = Visit(log, screen, printed, phone, violations, screens)
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
    assert not overflow, (
        f"pages wider than the printable width of A4 ({PRINT_WIDTH} px = 210 mm minus the "
        "15 mm @page side margins): a browser either cuts off their right edge or shrinks the "
        f"whole printout to fit the widest table. scrollWidth per page: {overflow}"
    )


def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(rendered, visits):
    """axe-core's rules for WCAG 2.0 and 2.1, levels A and AA (what EN 301 549 and the
    Swedish DOS law require of public web pages), on every page: none is broken."""
    settings, _ = rendered
    failures = {
        str(path.relative_to(settings.html_dir)): visit.axe
        for path, visit in visits.items()
        if visit.axe
    }
    report = "\n".join(f"{page}:\n  " + "\n  ".join(v) for page, v in failures.items())
    assert not failures, (
        f"axe-core: violations on {len(failures)} of {len(visits)} pages:\n{report}"
    )


def test_every_page_reflows_at_320_px_wide_tables_scroll_in_a_labelled_focusable_region(
    rendered, visits
):
    """At 320 CSS px no page scrolls sideways (WCAG 1.4.10); what is wider than the screen
    is a table inside its scroll region, which has a name (its caption) and a tab stop."""
    settings, _ = rendered
    failures = {}
    for path, visit in visits.items():
        facts, problems = visit.phone, []
        if facts["scrollWidth"] > facts["clientWidth"]:
            problems.append(f"page is {facts['scrollWidth']} px wide at {PHONE['width']} px")
        if facts["wide"]:
            problems.append(f"wider than the screen outside a table region: {facts['wide']}")
        for region in facts["regions"]:
            if region["role"] != "region" or region["tabindex"] != "0" or not region["label"]:
                problems.append(f"scrolling table without role, tab stop or label: {region}")
        if problems:
            failures[str(path.relative_to(settings.html_dir))] = problems
    report = "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in failures.items())
    assert not failures, f"{len(failures)} of {len(visits)} pages do not reflow:\n{report}"


# -- every report's PDF, read back ---------------------------------------------------------------
@pytest.fixture(scope="session")
def pdfs(rendered) -> dict[tuple[str, int], object]:
    """Every report's PDF from the session's render, read with pypdf (pdf_support.inspect)."""
    settings, catalog = rendered
    facts = {}
    for year in catalog.years:
        for department in catalog.departments:
            path = pdf.pdf_path(settings, department, year)
            assert path.is_file(), f"no PDF for {year} {department}: {path}"
            facts[department, year] = inspect(path)
    return facts


def _expected_headings(catalog, department: str, year: int) -> list[str]:
    expected = list(HEADINGS_GOALS if year in catalog.goal_years else HEADINGS_ACTIVITIES)
    if department == "ALLA" and year in catalog.goal_years:
        expected.append(HEADING_ALL)
    return expected


def test_every_report_has_a_tagged_a4_pdf_with_bookmarks_title_and_language(rendered, pdfs):
    """Each PDF: A4 pages, tagged (MarkInfo and a structure tree with headings, tables and
    lists), bookmarks from the headings, the report's title and /Lang sv, ≤ 2 MB, and no
    link to a file on the machine that printed it."""
    _, catalog = rendered
    failures = {}
    for (department, year), facts in pdfs.items():
        problems = []
        sizes = {(round(w), round(h)) for w, h in facts.page_sizes_mm}
        if sizes != {A4_MM}:
            problems.append(f"page sizes {sizes} mm, expected A4 {A4_MM}")
        if not (facts.marked and facts.struct_tree):
            problems.append(f"not tagged: /Marked {facts.marked}, tree {facts.struct_tree}")
        missing_tags = {"/H1", "/H2", "/Table", "/TH", "/TD", "/L", "/LI"} - set(facts.tags)
        if missing_tags:
            problems.append(f"structure tree lacks {sorted(missing_tags)}")
        if facts.lang != "sv":
            problems.append(f"/Lang is {facts.lang!r}, expected 'sv'")
        title = report_title(catalog.departments[department], year)
        if facts.title != title:
            problems.append(f"title {facts.title!r}, expected {title!r}")
        wanted = _expected_headings(catalog, department, year)
        absent = [h for h in wanted if not any(t.startswith(h) for t in facts.outline)]
        if absent:
            problems.append(f"no bookmark for {absent}; bookmarks: {facts.outline}")
        if facts.size > PDF_MAX_BYTES:
            problems.append(f"{facts.size:,} bytes, more than {PDF_MAX_BYTES:,}")
        if local := [u for u in facts.uris if u.startswith("file:")]:
            problems.append(f"links to files on this machine: {local}")
        if problems:
            failures[f"{year} {department}"] = problems
    report = "\n".join(f"{name}:\n  " + "\n  ".join(p) for name, p in failures.items())
    assert not failures, f"{len(failures)} of {len(pdfs)} PDFs:\n{report}"


def test_every_pdf_page_says_sida_n_av_m_under_a_running_head(rendered, pdfs):
    """Page N of M carries "sida N av M" and a running head naming the department and year
    (the report's title), so a loose printed page says where it belongs."""
    _, catalog = rendered
    failures = []
    for (department, year), facts in pdfs.items():
        head = report_title(catalog.departments[department], year)
        for number, text in enumerate(facts.furniture, start=1):
            if not re.search(rf"\bsida {number} av {facts.pages}(?!\d)", text) or head not in text:
                failures.append(f"{year} {department} page {number}: {text!r}")
    assert not failures, "pages without page number or running head:\n" + "\n".join(failures)


def test_no_pdf_page_ends_with_a_heading_or_splits_a_table_row(pdfs):
    """Read from the structure tree: the last thing on a page is never a heading (it went
    with what follows), and every table row lies on one page (none is taller than one)."""
    stranded = {f"{y} {d}": f.stranded for (d, y), f in pdfs.items() if f.stranded}
    split = {f"{y} {d}": f.split_rows for (d, y), f in pdfs.items() if f.split_rows}
    assert not stranded, f"headings left at the foot of a page (page, tag): {stranded}"
    assert not split, f"table rows split across pages (first, last page): {split}"


def test_landing_page_links_every_pdf_with_its_size(rendered, pdfs):
    """Each report's cell on the landing page links its PDF, saying "PDF, 640 kB"."""
    from report_utils.landing import file_size

    settings, _ = rendered
    page = (settings.html_dir / "index.html").read_text("utf-8")
    links = dict(re.findall(r'<a class="pdf" href="\.\./pdf/([^"]+)"[^>]*>([^<]+)</a>', page))
    expected = {
        f"{year}/{department}.pdf": f"PDF, {file_size(facts.size)}"
        for (department, year), facts in pdfs.items()
    }
    assert links == expected


CONTROL_HTML = """<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Kontroll</title>
</head><body><h1>Kontroll</h1><p>Text.</p><h2>Rubrik längst ned</h2>
<p style="break-before: page">Nästa sida.</p><table><thead><tr><th>A</th><th>B</th></tr></thead>
<tbody><tr><td>1</td><td>kort</td></tr><tr><td>2</td><td>{long}</td></tr></tbody></table>
</body></html>"""


def test_pdf_checks_catch_a_heading_at_the_foot_and_a_split_row(tmp_path):
    """The two layout checks above can fail: a page that ends with a heading and a row
    taller than a page, printed by the renderer's own PDF step, are both found."""
    if skip_reason():
        pytest.skip(skip_reason())
    settings = Settings(out_dir=tmp_path / "out", pdf=True)
    html = settings.html_dir / "2026" / "X.html"
    html.parent.mkdir(parents=True)
    html.write_text(CONTROL_HTML.format(long="mycket lång text " * 800), "utf-8")
    jobs = pdf.plan(settings, [("X", 2026)])
    run = pdf.run(settings, jobs, Manifest(tmp_path / "manifest.json"), False, io.StringIO())
    assert [o.status for o in run.outcomes] == [pdf.PRINTED], run.outcomes
    facts = inspect(jobs[0].pdf)
    assert facts.stranded == [(1, "/H2")]
    assert facts.split_rows and facts.split_rows[0][0] == 2, facts.split_rows


def test_a_pdf_is_printed_again_only_for_changed_html_and_comes_out_byte_for_byte_the_same(
    rendered, tmp_path
):
    """The same HTML gives the same PDF bytes whenever and in whichever browser session it
    is printed (no dates, renumbered node ids); an unchanged report is not printed again
    (no browser is started); a PDF printed from an older HTML is removed rather than kept
    when it cannot be printed again (here: PDFs turned off)."""
    source, _ = rendered
    settings = Settings(out_dir=tmp_path / "out", pdf=True)
    html = settings.html_dir / "2018" / "VOF.html"
    html.parent.mkdir(parents=True)
    shutil.copy2(source.html_dir / "2018" / "VOF.html", html)
    jobs = pdf.plan(settings, [("VOF", 2018)])
    manifest = Manifest(settings.cache_dir / "manifest.json")

    def run(s=settings) -> str:
        result = pdf.run(s, jobs, manifest, False, io.StringIO())
        return result.skipped or result.outcomes[0].status

    assert run() == pdf.PRINTED
    printed = jobs[0].pdf.read_bytes()
    assert printed == pdf.pdf_path(source, "VOF", 2018).read_bytes(), "not byte-stable"
    assert run() == "från cache"
    html.write_text(html.read_text("utf-8") + "<!-- ändrad -->\n", "utf-8")
    assert run() == pdf.PRINTED  # the HTML's bytes changed: printed again …
    assert jobs[0].pdf.read_bytes() == printed  # … to the same PDF (a comment prints nothing)
    html.write_text(html.read_text("utf-8").replace("</main>", "<p>Ny rad.</p></main>"))
    assert run(settings.with_(pdf=False)) == "--no-pdf"
    assert not jobs[0].pdf.exists(), "a PDF of an older version of the report was kept"


def test_a_pdf_that_cannot_be_written_is_named_with_the_reason_and_the_others_still_print(
    rendered, tmp_path
):
    source, _ = rendered
    settings = Settings(out_dir=tmp_path / "out", pdf=True)
    grid = [("AMF", 2019), ("VOF", 2018)]
    for department, year in grid:
        target = settings.html_dir / str(year) / f"{department}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source.html_dir / str(year) / f"{department}.html", target)
    blocked = pdf.pdf_path(settings, "AMF", 2019)
    (blocked / "i vägen").mkdir(parents=True)  # a folder where the PDF should go
    jobs = pdf.plan(settings, grid)
    stream = io.StringIO()
    result = pdf.run(settings, jobs, Manifest(tmp_path / "m.json"), False, stream)
    status = {(o.department, o.year): o for o in result.outcomes}
    failed = status["AMF", 2019]
    assert failed.status == "misslyckades"
    assert str(blocked) in failed.error and "sökvägen är en mapp, inte en fil" in failed.error
    assert "[1/2] PDF 2019 AMF: misslyckades" in stream.getvalue()
    assert status["VOF", 2018].status == pdf.PRINTED and jobs[1].pdf.is_file()


def test_render_without_chromium_writes_the_html_and_says_once_how_to_install_it(
    rendered, tmp_path
):
    """Where Chromium is missing, ``render`` writes the reports, says once that the PDFs
    were skipped and how to install Chromium, and exits 0."""
    source, _ = rendered
    out = tmp_path / "out"
    shutil.copytree(source.cache_dir, out / ".cache")  # the catalog: no data to load again
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), "REPORT_UTILS_PDF": "1"}
    args = ["render", "--out", str(out), "--department", "VOF", "--year", "2018", "--no-progress"]
    proc = subprocess.run(
        [sys.executable, "-m", "report_utils", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "html" / "2018" / "VOF.html").is_file()
    assert not list(out.glob("pdf/**/*.pdf"))
    assert proc.stderr.count("make browser") == 1, proc.stderr
    assert "PDF-filerna skapas inte: Chromium saknas" in proc.stderr
    assert re.search(r"PDF\s+hoppades över \(Chromium saknas\)", proc.stderr), proc.stderr


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


def test_a_report_is_short_at_most_12_screens_for_a_department_and_18_for_the_city(
    rendered, visits
):
    """Issue 11's length: at 1280×800 with the appendix and details folded, as a reader
    first opens it, a department's report is at most 12 screens and the city's at most 18."""
    settings, _ = rendered
    too_long = {}
    for path, visit in visits.items():
        if path.parent == settings.html_dir:
            continue
        limit = 18 if path.stem == "ALLA" else 12
        if visit.screens > limit:
            too_long[f"{path.parent.name}/{path.stem}"] = (round(visit.screens, 1), limit)
    assert not too_long, f"reports longer than allowed (screens, limit): {too_long}"
