"""Running report jobs, ``jobs`` at a time, each with a deadline (``--timeout``).

* ``fast``: each report runs in a child forked from this process, which has already
  imported the libraries, loaded the data and compiled the HTML template
  (:func:`warm_up`); the child runs the notebook on ipykernel's in-process kernel
  (:mod:`report_utils.engine`) and exits. One child per report: every report starts
  from the same clean state, and a report rendered in a batch is produced by exactly the
  steps that render it alone.
* ``kernel``: each report runs on a fresh Jupyter kernel (papermill's own engine), from a
  worker thread of this process; the kernel is a process of its own.

Forking copies only the forking thread, so the renderer forks only from a process that
runs no other Python thread (the command line); called from one that does (JupyterLab,
a test runner), it runs the batch from a fresh interpreter (:mod:`report_utils.render`).

Past its deadline a report's child (or kernel) is killed, with anything it started, and
the report fails with a message naming the cell that was running; the others carry on.

Why not :mod:`concurrent.futures` for the forked children: a ``ProcessPoolExecutor``
reuses its workers for many tasks, and ``max_tasks_per_child`` (one task per child) is
refused with the fork start method in Python 3.11; its futures' timeouts stop waiting
but do not stop the worker, and a killed worker breaks the whole pool. So each report
gets a :class:`multiprocessing.Process` of its own (fork context) — the standard library
does the forking and the result pipe — and the parent waits on all of them with
:func:`multiprocessing.connection.wait` and a deadline. The kernel engine has no forked
children, so it does use a ``ThreadPoolExecutor``.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import outdir
from .engine import CLIENT_OPTIONS, ENGINE_FAST, ENGINE_KERNEL
from .jobs import Job
from .progress import FAILED, RENDERED, Outcome
from .settings import Settings

Report = Callable[[Outcome], None]
OnCell = Callable[[int, str], None]


class StopRun(Exception):
    """Raised in the parent when a report hit a problem with the output folder (disk full,
    read-only): no other report could be written either."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Context:
    """What every report is rendered with: the settings and an HTML exporter (one per
    thread: the kernel engine runs reports from several threads)."""

    settings: Settings
    exporter: object = None  # set by warm_up before forking
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def html_exporter(self):
        if self.exporter is not None:
            return self.exporter
        if getattr(self._local, "exporter", None) is None:
            from .export import html_exporter

            self._local.exporter = html_exporter(self.settings)
        return self._local.exporter


# -- one report ----------------------------------------------------------------------------------
def _first_line(source: str) -> str:
    lines = [ln.strip() for ln in str(source).splitlines() if ln.strip()]
    return lines[0][:80] if lines else ""


def run_job(job: Job, ctx: Context, engine_name: str, on_cell: OnCell | None = None, **engine):
    """Execute one report notebook and export it; never raises (an Outcome says what went wrong).

    The executed notebook is written by papermill to a temporary name and renamed into place
    after the HTML; a failed report keeps its executed notebook (for debugging) and its
    previous HTML.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .export import notebook_to_html

    settings = ctx.settings
    started = time.perf_counter()
    outcome = Outcome(job.department, job.year, RENDERED)
    tmp = outdir.temp_name(job.executed, keep_suffix=True)  # papermill wants .ipynb

    def hook(cell, cell_index):
        if on_cell is not None:
            on_cell(cell_index + 1, _first_line(cell.source))

    try:
        job.executed.parent.mkdir(parents=True, exist_ok=True)
        nb = pm.execute_notebook(
            str(settings.notebook),
            str(tmp),
            parameters={
                "department": job.department,
                "year": job.year,
                "data_dir": str(settings.data_dir),
            },
            engine_name=engine_name,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            on_cell_execute=hook,
            **CLIENT_OPTIONS,
            **engine,
        )
        outdir.write_atomic(
            job.html, notebook_to_html(nb, settings, job.title, ctx.html_exporter())
        )
        outdir.replace_into_place(tmp, job.executed)
    except PapermillExecutionError as exc:
        outcome.status = FAILED
        outcome.cell = exc.cell_index + 1
        outcome.source = _first_line(exc.source)
        outcome.error = f"{exc.ename}: {exc.evalue}"
    except OSError as exc:
        outcome.status = FAILED
        outcome.error = outdir.describe(exc)
        if exc.errno in outdir.FOLDER_ERRNOS:
            outcome.stop = outcome.error
    except Exception as exc:  # any other failure of this report must not stop the batch
        outcome.status = FAILED
        outcome.error = f"{type(exc).__name__}: {exc}"
    finally:
        if outcome.status == FAILED and tmp.exists() and not outcome.stop:
            with contextlib.suppress(OSError):  # keep the failing notebook for debugging
                outdir.replace_into_place(tmp, job.executed)
                outcome.executed = str(job.executed)
        with contextlib.suppress(OSError):
            tmp.unlink()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _deadline_outcome(job: Job, timeout: float, cell: tuple[int, str] | None, secs: float):
    outcome = Outcome(job.department, job.year, FAILED, seconds=secs)
    outcome.error = (
        f"tidsgränsen {timeout:g} s (--timeout) överskreds; rapporten avbröts och hoppades över"
    )
    if cell is not None:
        outcome.cell, outcome.source = cell
    return outcome


def _kill_tree(pid: int) -> None:
    """Kill a process and everything it started (e.g. by ``os.system`` in a cell)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [*proc.children(recursive=True), proc]
    except psutil.Error:
        return
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(procs, timeout=5)


# -- fast: one forked child per report ------------------------------------------------------------
def warm_up(settings: Settings, years) -> Context:
    """Import and prepare, once, everything a report needs, before children are forked.

    Only library state that no report can tell apart from a fresh import is prepared:
    modules, matplotlib's fonts and text layout (drawn on a bare ``Figure``: pyplot is
    not imported, as a kernel picks its backend when pyplot is first used), the data each
    year's report reads, and the compiled HTML template and its filters. No thread, socket
    or IPython shell is started here.
    """
    import nbformat
    import papermill  # noqa: F401

    from . import charts, engine, export, report, templating  # noqa: F401
    from .model import load_dataset_cached

    engine.preload()
    env = templating.environment()  # the report's section templates, compiled once
    for name in env.list_templates():
        env.get_template(name)
    svg = _draw_without_pyplot(charts.style())
    for year in sorted(set(years)):
        load_dataset_cached(settings.data_dir, until_year=year)
    exporter = export.html_exporter(settings)
    nb = nbformat.v4.new_notebook()
    html = f'<figure><img src="data:image/svg+xml;base64,{svg}" alt="x"></figure>'
    output = nbformat.v4.new_output("display_data", data={"text/html": html})
    nb.cells = [nbformat.v4.new_code_cell("", outputs=[output])]
    export.notebook_to_html(nb, settings, "uppvärmning", exporter)
    return Context(settings, exporter)


def _draw_without_pyplot(style: dict) -> str:
    """Draw and save a small chart with matplotlib's object API; returns it as base64 SVG."""
    import base64
    import io

    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(style):
        fig = Figure(figsize=(4, 2))
        ax = fig.add_subplot()
        ax.barh(["å", "ä"], [1.0, 2.0], label="ö")
        ax.set_title("Uppvärmning")
        ax.legend()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _die_with_parent(parent: int) -> None:
    """Make a child end when the renderer does, even if the renderer is killed."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _child(job: Job, ctx: Context, conn, parent: int) -> None:
    _die_with_parent(parent)
    _quiet()
    outcome = run_job(job, ctx, ENGINE_FAST, lambda i, src: conn.send(("cell", i, src)))
    times = os.times()  # a forked child's CPU times start at zero
    outcome.cpu = times.user + times.system
    conn.send(("done", outcome))
    conn.close()


def _quiet() -> None:
    """Point this process's file descriptors 1 and 2 at /dev/null, as the kernel engine
    does for its kernels: a kernel copies what subprocesses write to them (``os.system``)
    into the notebook *and* to its own terminal, which here is the renderer's."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


@dataclass
class _Running:
    job: Job
    started: float
    process: object = None
    cell: tuple[int, str] | None = None
    future: object = None
    kernel_pid: int | None = None
    killed: bool = False
    extra: dict = field(default_factory=dict)


def run_forked(jobs: list[Job], ctx: Context, workers: int, timeout: float, report: Report):
    import multiprocessing
    from multiprocessing.connection import wait

    fork = multiprocessing.get_context("fork")
    pending = collections.deque(jobs)
    running: dict = {}  # connection -> _Running
    outcomes: list[Outcome] = []

    def finish(conn, outcome: Outcome) -> None:
        run = running.pop(conn)
        conn.close()
        run.process.join()
        outcomes.append(outcome)
        report(outcome)
        if outcome.stop:
            raise StopRun(outcome.stop)

    try:
        while pending or running:
            while pending and len(running) < workers:
                job = pending.popleft()
                reader, writer = fork.Pipe(duplex=False)
                process = fork.Process(
                    target=_child, args=(job, ctx, writer, os.getpid()), name=f"rapport {job.name}"
                )
                process.start()
                writer.close()
                running[reader] = _Running(job, time.monotonic(), process)
            nearest = min(r.started for r in running.values()) + timeout
            for conn in wait(list(running), timeout=max(0.0, nearest - time.monotonic())):
                run = running[conn]
                try:
                    message = conn.recv()
                except (EOFError, OSError):  # the child died without a result
                    run.process.join()
                    code = run.process.exitcode
                    outcome = Outcome(run.job.department, run.job.year, FAILED)
                    outcome.error = f"renderingsprocessen avslutades oväntat (kod {code})"
                    outcome.seconds = time.monotonic() - run.started
                    if run.cell is not None:
                        outcome.cell, outcome.source = run.cell
                    finish(conn, outcome)
                    continue
                if message[0] == "cell":
                    run.cell = message[1:]
                else:
                    finish(conn, message[1])
            now = time.monotonic()
            for conn, run in list(running.items()):
                if now - run.started >= timeout:
                    _kill_tree(run.process.pid)
                    finish(conn, _deadline_outcome(run.job, timeout, run.cell, now - run.started))
    finally:
        for conn, run in running.items():  # interrupted, or stopped: end the children
            _kill_tree(run.process.pid)
            run.process.join()
            conn.close()
    return outcomes


# -- kernel: a fresh Jupyter kernel per report --------------------------------------------------
def prepare_kernels(settings: Settings, years) -> dict[str, str]:
    """Keep each year's data set where the kernels find it (:data:`model.STORE_ENV`);
    returns the environment variables to start kernels with. Older stored sets go."""
    from .model import STORE_ENV, store_dataset

    store = settings.cache_dir / "data"
    keep = {store_dataset(store, settings.data_dir, year) for year in sorted(set(years))}
    for path in store.glob("*.pickle"):
        if path not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
    return {STORE_ENV: str(store)}


def _kernel_manager_class(state: _Running, env: dict[str, str]):
    """nbclient's kernel manager, telling ``state`` which kernel runs the report (so the
    parent can kill it at the deadline), starting the kernel with ``env`` added. The
    kernel's own log lines (not the notebook's output, which comes over the kernel's
    channels) stay out of the renderer's terminal."""
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class KernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            kw["env"] = {**kw.get("env", os.environ), **env}
            state.extra["km"] = self
            return await super()._async_pre_start_kernel(**kw)

    return KernelManager


def run_threaded(
    jobs: list[Job], ctx: Context, workers: int, timeout: float, report: Report, env=None
):
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor
    from concurrent.futures import wait as wait_futures

    states: dict[Job, _Running] = {}
    lock = threading.Lock()

    def task(job: Job) -> Outcome:
        with lock:
            state = states[job] = _Running(job, time.monotonic())

        def on_cell(index: int, source: str) -> None:
            state.cell = (index, source)

        manager = _kernel_manager_class(state, env or {})
        return run_job(job, ctx, ENGINE_KERNEL, on_cell, kernel_manager_class=manager)

    outcomes: list[Outcome] = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rapport")
    futures = {pool.submit(task, job): job for job in jobs}
    try:
        pending = set(futures)
        while pending:
            with lock:
                started = [s.started for s in states.values() if s.future is None]
            nearest = (min(started) + timeout - time.monotonic()) if started else timeout
            done, pending = wait_futures(
                pending, timeout=max(0.05, nearest), return_when=FIRST_COMPLETED
            )
            for future in done:
                job = futures[future]
                state = states[job]
                state.future = future
                outcome = future.result()
                if state.killed:
                    secs = time.monotonic() - state.started
                    outcome = _deadline_outcome(job, timeout, state.cell, secs)
                outcomes.append(outcome)
                report(outcome)
                if outcome.stop:
                    raise StopRun(outcome.stop)
            now = time.monotonic()
            with lock:
                late = [s for s in states.values() if s.future is None and not s.killed]
            for state in late:
                if now - state.started >= timeout:
                    pid = _kernel_pid(state.extra.get("km"))
                    if pid is not None:
                        state.killed = True
                        _kill_tree(pid)
    finally:
        for future in futures:
            future.cancel()
        with lock:
            for state in states.values():
                pid = _kernel_pid(state.extra.get("km")) if state.future is None else None
                if pid is not None:
                    _kill_tree(pid)
        pool.shutdown(wait=True)
    return outcomes


def _kernel_pid(km) -> int | None:
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    return getattr(process, "pid", None)
