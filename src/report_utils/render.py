"""Batch rendering: every requested report executed, exported to HTML, and linked from a
landing page — incrementally, one render per output folder at a time.

The steps, one module each::

    catalog   what can be rendered (validates all data; cached between runs)
    parameters  the one check of departments and years
    jobs      one job per report: paths and cache key (from model.report_inputs)
    outdir    the output folder: lock, whole-file writes, stale temporary files, errors
    runner    executing jobs on the fast or the kernel engine, with a deadline each
    engine    the two papermill engines
    export    executed notebook -> offline HTML
    pdf       HTML -> tagged PDF, printed by Chromium (one browser for the batch)
    landing   the landing page (a Jinja template)
    progress  progress lines and the summary

Incremental: a report whose cache key (:mod:`report_utils.cache`) is unchanged and whose
HTML and executed notebook are the ones recorded is not executed again. Fault-tolerant:
a failing report is reported with its failing cell and error, its executed notebook is
kept, and its previous HTML stays intact.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable

from . import outdir
from .cache import Manifest
from .catalog import load_catalog, save_catalog
from .errors import ParameterError
from .jobs import plan
from .progress import (
    CACHED,
    ENGINE_TEXT,
    FAILED,
    RENDERED,
    Outcome,
    Summary,
    print_summary,
    reporter,
)
from .settings import Settings

SUBDIRS = ("html", "notebooks", ".cache")


def choose_engine(requested: str | None) -> str:
    """``fast`` where forking is safe, else ``kernel``; an explicit choice is kept."""
    from .engine import fork_is_safe

    if requested in (None, "", "auto"):
        return "fast" if fork_is_safe() else "kernel"
    if requested not in ENGINE_TEXT:
        raise ParameterError(f"okänd motor: {requested!r}. Giltiga värden: fast, kernel")
    if requested == "fast" and not fork_is_safe():
        raise ParameterError(
            "motorn 'fast' behöver os.fork, som saknas eller inte är säker här; "
            "använd --engine kernel"
        )
    return requested


def render(
    settings: Settings,
    departments: Iterable[str] | None = None,
    years: Iterable[int | str] | None = None,
    force: bool = False,
    progress: bool | None = None,
    stream=None,
) -> Summary:
    """Render the requested reports (default: all) and the landing page.

    Raises :class:`~report_utils.errors.ParameterError` (nothing written) for unknown
    departments or years, :class:`~report_utils.errors.DataValidationError` for invalid
    data, and :class:`~report_utils.outdir.OutputFolderError` when the output folder cannot
    be written; a report that fails is reported in the returned summary.
    """
    stream = stream or sys.stderr
    started = time.perf_counter()
    engine = choose_engine(settings.engine)
    catalog = load_catalog(settings)
    grid = catalog.select(departments, years)  # raises before anything is written
    outdir.prepare(settings.out_dir, SUBDIRS + (("pdf",) if settings.pdf else ()))
    if progress is None:
        progress = hasattr(stream, "isatty") and stream.isatty()
    task = (settings, catalog, grid, engine, force, progress)
    if engine == "fast" and not _single_threaded():
        summary = _in_fresh_process(task, stream)
    else:
        summary = _locked(*task, stream)
    summary.seconds = time.perf_counter() - started
    print_summary(summary, stream)
    return summary


def _locked(settings, catalog, grid, engine, force, progress, stream) -> Summary:
    def say(text: str) -> None:
        print(text, file=stream, flush=True)

    with outdir.render_lock(settings.out_dir, say):
        try:
            outdir.remove_stale_temps(settings.out_dir)
            return _render_locked(settings, catalog, grid, engine, force, progress, stream)
        except OSError as exc:
            raise outdir.folder_error(exc) from None
        finally:
            with contextlib.suppress(OSError):
                outdir.remove_stale_temps(settings.out_dir)


# -- where forking is unsafe: from a fresh process ---------------------------------------------
def _single_threaded() -> bool:
    """Whether this process runs no Python thread besides this one, so that it may fork.

    A forked child gets a copy of every lock but only the forking thread; a lock another
    thread held at that moment (an event loop's, a queue's) stays held in the child for
    ever. The command line runs no other Python thread; JupyterLab's kernel or a test
    runner may. (Native thread pools such as OpenBLAS's, started by importing numpy,
    prepare themselves for fork and are not counted.)
    """
    import threading

    return threading.active_count() == 1


def _in_fresh_process(task: tuple, stream) -> Summary:
    """Run the locked part of a render in a new interpreter (which forks the reports),
    passing its progress lines on to ``stream``."""
    import pickle
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "report_utils.render"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        proc.stdin.write(pickle.dumps(task))
        proc.stdin.close()
        for line in iter(proc.stderr.readline, b""):
            stream.write(line.decode("utf-8", errors="replace"))
            stream.flush()
        result = proc.stdout.read()
        proc.wait()
    except BaseException:  # interrupted: stop the render as Ctrl-C stops the command line
        import signal

        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise
    try:
        kind, value = pickle.loads(result)
    except Exception:
        raise RuntimeError(f"renderingen avbröts (status {proc.returncode})") from None
    if kind == "error":
        error = outdir.OutputFolderError(value[0])
        error.exit_code = value[1]
        raise error
    return value


def _fresh_process_main() -> int:
    """The other end of :func:`_in_fresh_process`: task on stdin, result on stdout."""
    import pickle

    from .errors import ReportError

    task = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    try:
        result = ("ok", _locked(*task, sys.stderr))
    except ReportError as exc:
        result = ("error", (str(exc), exc.exit_code))
    except KeyboardInterrupt:
        return 130
    out.write(pickle.dumps(result))
    out.flush()
    return 0


def _render_locked(settings, catalog, grid, engine, force, progress, stream) -> Summary:
    from . import runner
    from .landing import write_index
    from .lazyimport import import_nbformat

    import_nbformat()  # before papermill and nbconvert do: about 1 s less per render

    save_catalog(settings, catalog)
    jobs = plan(settings, catalog, grid)
    manifest = Manifest(settings.cache_dir / "manifest.json")
    summary = Summary(engine=engine)
    todo = []
    for job in jobs:
        if not force and manifest.is_fresh(job.key, job.html, job.executed):
            summary.outcomes.append(Outcome(job.department, job.year, CACHED))
        else:
            todo.append(job)
    by_name = {(j.department, j.year): j for j in todo}
    if todo:
        print(f"Renderar {len(todo)} rapport(er) med motorn {ENGINE_TEXT[engine]}", file=stream)
    bar = reporter(len(jobs), summary.count(CACHED), progress, stream)

    def done(outcome: Outcome) -> None:
        job = by_name[(outcome.department, outcome.year)]
        if outcome.status == RENDERED:
            manifest.record(job.key, job.html, job.executed)
        else:
            manifest.forget(job.department, job.year)
        if not outcome.stop:
            manifest.save()
        bar(outcome)

    workers = max(1, min(settings.jobs, len(todo) or 1))
    try:
        if not todo:
            pass
        elif engine == "fast":
            ctx = runner.warm_up(settings, [j.year for j in todo])
            summary.outcomes += runner.run_forked(todo, ctx, workers, settings.timeout, done)
        else:
            env = runner.prepare_kernels(settings, [j.year for j in todo])
            ctx = runner.Context(settings)
            summary.outcomes += runner.run_threaded(todo, ctx, workers, settings.timeout, done, env)
    except runner.StopRun as exc:
        bar(None)
        raise outdir.OutputFolderError(exc.message) from None
    failed = [(o.department, o.year) for o in summary.outcomes if o.status == FAILED]
    bar(None)  # the reports are done; the PDF step shows its own progress
    _print_pdfs(settings, catalog, jobs, failed, manifest, force, progress, stream, summary)
    write_index(settings, catalog, failed)
    manifest.save()
    bar(None)
    return summary


def _print_pdfs(settings, catalog, jobs, failed, manifest, force, progress, stream, summary):
    """The PDF step (:mod:`report_utils.pdf`) for every report of the grid that has its HTML;
    a report that failed keeps its previous HTML and PDF as they were."""
    from . import pdf

    failed = set(failed)
    grid = [(j.department, j.year) for j in jobs if (j.department, j.year) not in failed]
    pdf_jobs = [j for j in pdf.plan(settings, grid) if j.html.is_file()]
    result = pdf.run(settings, pdf_jobs, manifest, force, stream, progress)
    manifest.save()
    summary.pdfs, summary.pdf_skipped, summary.pdf_seconds = (
        result.outcomes,
        result.skipped,
        result.seconds,
    )


if __name__ == "__main__":
    sys.exit(_fresh_process_main())
