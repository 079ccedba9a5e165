"""Reports printed to PDF: ``<out>/pdf/<year>/<department>.pdf``, for committees and boards.

Each rendered HTML report is printed by Debian's ``chromium`` (``make browser`` installs
it), driven by playwright through ``executable_path`` — no browser is downloaded — with one
browser for the whole batch. Each PDF is A4 and *tagged* (a structure tree: headings,
lists, tables with header cells, links, figures with their alt text), with bookmarks from
the headings, the report's title and the language ``sv`` in its catalogue. Everything
about the printed page is the reports' print stylesheet
(``templates/rapport/static/report.css``), so a report printed from a browser looks the
same: A4, the report's title (department and year) as running head and "sida N av M" in
the page margins (CSS page-margin boxes), headings kept with what follows, table rows not
split, ``<details>`` printed open.

**Incremental.** A PDF is printed again only when the bytes of its HTML changed (or the
printer did: this module, Chromium, playwright or pypdf) — its key is
recorded in the render manifest (:class:`report_utils.cache.Manifest`). A PDF printed
from an earlier version of its report's HTML that cannot be printed again (``--no-pdf``,
Chromium missing, printing failed) is removed rather than left with outdated figures.

**Byte-stable.** The same HTML gives the same PDF bytes: Chromium's output differs between
runs only in its creation and modification dates and in the DOM node numbers it uses as
the structure elements' ids; :func:`stabilise` removes the dates and renumbers the ids in
place. Charts whose SVG uses patterns (hatching, so that colour is not needed) come out of
Chromium as one raster image per bar; :func:`deduplicate` lets those share one copy.

**Failures.** Chromium missing (or playwright): the HTML is written as always and the run
says once how to install it. A report whose PDF cannot be printed is named with the reason
in the run's summary; its HTML is written all the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import outdir
from .progress import CACHED, FAILED, PDF_PRINTED, Outcome
from .settings import Settings

PRINTED = PDF_PRINTED
#: Chromium's own switches: no sandbox (containers, root), no GPU, nothing from the network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = (
    "installera Debian-paketet chromium med `make browser` som root "
    "(eller `apt-get install chromium`) och kör render igen"
)


def chromium_executable() -> str | None:
    """Debian's ``chromium`` (or ``chromium-browser``) on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable() -> tuple[str, str] | None:
    """Why PDFs cannot be printed here and how to fix it (Swedish), or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "paketet playwright saknas", "installera projektet med `make report`"
    if chromium_executable() is None:
        return "Chromium saknas", INSTALL_HINT
    return None


# -- what is printed -------------------------------------------------------------------------
@dataclass(frozen=True)
class PdfJob:
    """One report's PDF: printed from ``html`` to ``pdf``."""

    department: str
    year: int
    html: Path
    pdf: Path


def pdf_path(settings: Settings, department: str, year: int) -> Path:
    return settings.pdf_dir / str(year) / f"{department}.pdf"


def plan(settings: Settings, grid: Iterable[tuple[str, int]]) -> list[PdfJob]:
    """The PDF jobs for a grid of (department, year)."""
    return [
        PdfJob(
            department,
            year,
            settings.html_dir / str(year) / f"{department}.html",
            pdf_path(settings, department, year),
        )
        for department, year in grid
    ]


# -- the key: the HTML's bytes and the printer ---------------------------------------------------
def pdf_key(job: PdfJob, settings: Settings) -> str:
    from .cache import file_digest

    payload = {"html": file_digest(job.html), "printer": printer_digest(settings)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def html_digest(job: PdfJob) -> str:
    from .cache import file_digest

    return file_digest(job.html)


def printer_digest(settings: Settings) -> str:
    """What else shapes a PDF's bytes: this module, Chromium (its files' size and time,
    which a package upgrade changes), playwright's and pypdf's versions."""
    from .cache import file_digest

    return _printer_digest((file_digest(Path(__file__)),), chromium_executable() or "-")


@lru_cache(maxsize=4)
def _printer_digest(parts: tuple[str, ...], executable: str) -> str:
    from importlib import metadata

    h = hashlib.sha256("|".join(parts).encode())
    for path in {executable, os.path.realpath(executable)}:
        try:
            st = os.stat(path)
            h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            h.update(path.encode())
    for name in ("playwright", "pypdf"):
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(name.encode())
    return h.hexdigest()


# -- printing ---------------------------------------------------------------------------------
class Printer:
    """One headless Chromium for a batch of PDFs: ``with Printer(settings) as p: p.pdf(job)``.

    Pages are opened from disk with the network off and JavaScript off (the reports have
    none); each is laid out for print (``@media print``) and printed with the page size,
    margins and margin boxes of its print stylesheet.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self._playwright = self._browser = self._page = None

    def __enter__(self) -> Printer:
        from playwright.sync_api import sync_playwright

        executable = chromium_executable()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=executable, args=LAUNCH_ARGS, headless=True
            )
            context = self._browser.new_context(offline=True, java_script_enabled=False)
            context.set_default_timeout(self.settings.timeout * 1000)
            self._page = context.new_page()
            self._page.emulate_media(media="print")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()
            self._playwright = self._browser = self._page = None

    def pdf(self, job: PdfJob) -> bytes:
        """The finished PDF for one report: printed (links to other files as plain text),
        stabilised, images shared."""
        self._page.goto(job.html.resolve().as_uri(), wait_until="load")
        self._page.evaluate(UNLINK_FILES_JS)
        data = self._page.pdf(
            format="A4",  # and the stylesheet's @page margins and margin boxes
            prefer_css_page_size=True,
            tagged=True,
            outline=True,
            print_background=True,
        )
        return deduplicate(stabilise(data))


#: Links to other files (the other years' reports, the landing page) would be printed as
#: ``file:///…`` addresses on this machine: useless to a committee member who got the PDF
#: by e-mail, and they name local folders. In the PDF they become plain text; links within
#: the report (notes, sources) stay links.
UNLINK_FILES_JS = """() => {
  for (const a of document.querySelectorAll('a[href]')) {
    if (!a.getAttribute('href').startsWith('#')) a.removeAttribute('href');
  }
}"""


# -- stable bytes -----------------------------------------------------------------------------
# Chromium (Skia's PDF backend) writes PDF 1.4 without object streams: the document
# information dictionary and the structure elements are plain text outside the (compressed)
# streams. Rewriting the whole file with a PDF library would cost more than printing it and
# renumber every object; these edits keep every byte offset, so the cross-reference table
# stays valid.
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.S)
_DATE = re.compile(rb"/(?:CreationDate|ModDate) ?\(D:[0-9]{4}[^)]*\)")
_NODE_ID = re.compile(rb"\(node([0-9]{8})\)")


def stabilise(data: bytes) -> bytes:
    """Chromium's PDF without what changes from run to run, same length, same offsets.

    * ``/CreationDate`` and ``/ModDate`` (the time of printing) are blanked out: a PDF
      printed from the same report is the same file (the dates are optional in PDF).
    * Structure elements carry ``/ID (node00004083)``, the DOM node's number in that
      browser session, also used as keys of the structure tree's ``/IDTree``. They are
      renumbered ``node00000000``, ``node00000001`` … in the same order, so the ID tree
      stays sorted.
    """
    spans, pos = [], 0  # the parts of the file outside streams
    for match in _STREAM.finditer(data):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(data)))
    ids = sorted({m.group(1) for a, b in spans for m in _NODE_ID.finditer(data, a, b)})
    number = {old: b"%08d" % i for i, old in enumerate(ids)}

    def fix(chunk: bytes) -> bytes:
        chunk = _NODE_ID.sub(lambda m: b"(node" + number[m.group(1)] + b")", chunk)
        return _DATE.sub(lambda m: b" " * len(m.group(0)), chunk)

    parts, pos = [], 0
    for a, b in spans:
        parts += [data[pos:a], fix(data[a:b])]
        pos = b
    out = b"".join(parts)
    if len(out) != len(data):  # cannot happen: every edit keeps its length
        raise ValueError("stabilise changed the file's length")
    return out


_IMAGE = re.compile(rb"/Subtype /Image\b[^>]*?/Length ([0-9]+)>>\s*stream\r?\n", re.S)


def deduplicate(data: bytes) -> bytes:
    """The PDF with identical images stored once, when it has any (else unchanged).

    Skia turns each bar of a hatched SVG chart into an image of the hatching, the same
    image for every bar: 2019's city-wide report would be 2.2 MB instead of 0.9 MB. pypdf
    merges identical objects, keeping the structure tree, outline and catalogue.
    """
    seen, duplicate = set(), False
    for m in _IMAGE.finditer(data):
        digest = hashlib.sha256(data[m.end() : m.end() + int(m.group(1))]).digest()
        duplicate |= digest in seen
        seen.add(digest)
    if not duplicate:
        return data
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.compress_identical_objects()  # and drops what is no longer referenced
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -- the batch --------------------------------------------------------------------------------
@dataclass
class PdfRun:
    """What the PDF step did: an outcome per report, and why it printed nothing, if so."""

    outcomes: list[Outcome]
    skipped: str = ""  # e.g. "Chromium saknas" or "--no-pdf"
    seconds: float = 0.0


def run(
    settings: Settings,
    jobs: list[PdfJob],
    manifest,
    force: bool,
    stream,
    progress: bool | None = False,
) -> PdfRun:
    """Print the PDFs of ``jobs`` that are missing or out of date (all with ``force``).

    With PDFs turned off (``settings.pdf``) or Chromium missing, nothing is printed and
    a PDF that no longer matches its report is removed; the latter is said once, with how
    to install Chromium. Raises :class:`~report_utils.outdir.OutputFolderError` when the
    output folder cannot be written at all (full disk, read-only).
    """
    from .progress import reporter

    def say(text: str) -> None:
        print(text, file=stream, flush=True)

    started = time.perf_counter()
    result = PdfRun([])
    todo = []
    for job in jobs:
        key = pdf_key(job, settings)
        if not force and manifest.pdf_is_fresh(job.department, job.year, key, job.pdf):
            result.outcomes.append(Outcome(job.department, job.year, CACHED))
        else:
            todo.append((job, key))
    reason = "" if settings.pdf else "--no-pdf"
    if todo and not reason and (missing := unavailable()):
        reason, hint = missing
        say(f"PDF-filerna skapas inte: {reason}; {hint}. HTML-rapporterna är skrivna.")
    if reason:
        result.skipped = reason
        for job, _ in todo:  # a PDF of an older HTML: a reader must not get its figures
            if not manifest.pdf_matches(job.department, job.year, html_digest(job), job.pdf):
                _forget(job, manifest)
        return result
    if not todo:
        return result
    say(f"Skriver {len(todo)} PDF-fil(er) med Chromium ({chromium_executable()})")
    report = reporter(len(jobs), len(jobs) - len(todo), progress, stream, "PDF", "PDF ")
    try:
        result.outcomes += _in_own_thread(lambda: _print_all(settings, todo, manifest, report))
    finally:
        report(None)
    result.seconds = time.perf_counter() - started
    return result


def _print_all(settings: Settings, todo, manifest, report) -> list[Outcome]:
    outcomes = []
    try:
        printer = Printer(settings).__enter__()
    except Exception as exc:  # installed but unusable: every PDF fails with the reason
        why = f"Chromium ({chromium_executable()}) startade inte: {_first_line(exc)}"
        for job, _ in todo:
            _forget(job, manifest)
            outcomes.append(Outcome(job.department, job.year, FAILED, error=f"PDF: {why}"))
            report(outcomes[-1])
        return outcomes
    try:
        for job, key in todo:
            outcomes.append(_print_one(printer, job, key, manifest))
            report(outcomes[-1])
    finally:
        printer.__exit__(None, None, None)
    return outcomes


def _in_own_thread(call):
    """``call()`` in a thread of its own, which has no asyncio event loop: playwright's
    synchronous API refuses to run in a thread that has one (JupyterLab's kernel, or a
    caller that already drives a browser). The renderer forks no report after this point;
    the thread has ended when this returns."""
    import threading

    box: dict = {}

    def target() -> None:
        try:
            box["result"] = call()
        except BaseException as exc:  # handed over to the caller's thread
            box["error"] = exc

    # a daemon: Ctrl-C ends the render without waiting for the page being printed
    thread = threading.Thread(target=target, name="report_utils-pdf", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _print_one(printer: Printer, job: PdfJob, key: str, manifest) -> Outcome:
    started = time.perf_counter()
    try:
        data = printer.pdf(job)
        outdir.write_atomic(job.pdf, data)
    except OSError as exc:
        if exc.errno in outdir.FOLDER_ERRNOS:
            raise outdir.folder_error(exc, job.pdf) from None
        _forget(job, manifest)
        error = f"PDF: {outdir.describe(exc, job.pdf)}"
        return Outcome(job.department, job.year, FAILED, time.perf_counter() - started, error=error)
    except Exception as exc:  # Chromium or playwright: the report and the reason
        _forget(job, manifest)
        error = f"PDF kunde inte skapas från {job.html}: {_first_line(exc)}"
        return Outcome(job.department, job.year, FAILED, time.perf_counter() - started, error=error)
    manifest.record_pdf(job.department, job.year, key, html_digest(job), job.pdf)
    return Outcome(job.department, job.year, PRINTED, time.perf_counter() - started)


def _forget(job: PdfJob, manifest) -> None:
    _remove(job.pdf)
    manifest.forget_pdf(job.department, job.year)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # gone already, or a folder in the way: said elsewhere
        path.unlink()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else exc.__class__.__name__).strip()
