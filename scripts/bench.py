"""Benchmark the project's renderer against a plain papermill + nbconvert CLI loop.

``make bench`` runs ``.venv/bin/python scripts/bench.py``. Over the same grid (every
department × year the renderer renders) and for several repetitions, interleaved, it times

* the plain loop: per report, sequentially, the ``papermill`` CLI and then
  ``jupyter nbconvert --to html --no-input`` — what a shell loop over the CLIs would do;
* the project: ``python -m report_utils render --force`` in a fresh process (a cold full
  render) into a fresh output directory.

While each command runs, a thread samples every 50 ms the memory of the command's process
and all its descendants: the sum of RSS (counts pages shared between forked children once
per process, so it overstates) and the sum of PSS (shared pages split between the processes
sharing them: the honest total). The peaks over the run are printed.

The last line is ``speedup vs plain papermill+nbconvert CLI loop: X.Y×`` — the median plain
time divided by the median project time. Exit status 1 if any command fails.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin: papermill, jupyter (not resolved: venv)
MIB = 1024 * 1024
GIB = 1024 * MIB
INTERVAL = 0.05  # seconds between memory samples


class BenchError(Exception):
    """A benchmarked command failed; the message says which and shows its output."""


# -- memory ------------------------------------------------------------------------------------
class PeakMemory:
    """Samples the RSS and PSS sums of a process tree in a thread; keeps the maxima."""

    def __init__(self, pid: int, interval: float = INTERVAL):
        self.pid = pid
        self.interval = interval
        self.rss = 0
        self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return
        rss = pss = 0
        for proc in procs:
            try:
                info = proc.memory_full_info()  # smaps_rollup on Linux: cheap
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue  # ended between listing and reading
            except psutil.AccessDenied:
                try:
                    info = proc.memory_info()
                except psutil.Error:
                    continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)  # no PSS on this platform: RSS
        self.rss = max(self.rss, rss)
        self.pss = max(self.pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


@dataclass
class Run:
    seconds: float
    rss: int  # peak RSS sum, bytes
    pss: int  # peak PSS sum, bytes
    cpu: float  # user + system CPU seconds of every process run (less sensitive to load)


def _children_cpu() -> float:
    """CPU seconds of reaped descendants (a child's reaped children count for it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return env


def run_measured(cmd: list[str], log: Path) -> PeakMemory:
    """Run one command with its output in ``log``, sampling its memory; raise if it fails."""
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        try:
            with PeakMemory(proc.pid) as peak:
                code = proc.wait()
        except BaseException:  # interrupted: stop what this script started
            _kill_tree(proc)
            raise
    if code != 0:
        tail = log.read_text("utf-8", errors="replace").splitlines()[-25:]
        raise BenchError(
            f"command failed (exit status {code}): {' '.join(cmd)}\n"
            f"last lines of {log}:\n" + "\n".join(f"  {line}" for line in tail)
        )
    return peak


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        children = []
    for p in children:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    psutil.wait_procs(children, timeout=5)


# -- the two approaches --------------------------------------------------------------------------
def plain_loop(grid, notebook: Path, data_dir: Path, out: Path) -> Run:
    """papermill CLI then nbconvert CLI per report, one after the other (a shell loop)."""
    out.mkdir(parents=True)
    log = out / "log.txt"
    papermill, jupyter = str(BIN / "papermill"), str(BIN / "jupyter")
    rss = pss = 0
    cpu = _children_cpu()
    started = time.perf_counter()
    for department, year in grid:
        executed = out / f"{year}-{department}.ipynb"
        for cmd in (
            [
                papermill,
                str(notebook),
                str(executed),
                "-p",
                "department",
                department,
                "-p",
                "year",
                str(year),
                "-p",
                "data_dir",
                str(data_dir),
            ],
            [jupyter, "nbconvert", "--to", "html", "--no-input", str(executed)],
        ):
            peak = run_measured(cmd, log)
            rss, pss = max(rss, peak.rss), max(pss, peak.pss)  # sequential: max, not sum
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    _expect_html(sorted(out.glob("*.html")), len(grid), "plain loop")
    return Run(seconds, rss, pss, cpu)


def project_render(grid, all_grid: bool, data_dir: Path, out: Path, jobs: int | None) -> Run:
    """``python -m report_utils render --force`` in a fresh process into a fresh directory."""
    cmd = [
        sys.executable,
        "-m",
        "report_utils",
        "render",
        "--force",
        "--out",
        str(out),
        "--no-progress",
        "--data-dir",
        str(data_dir),
    ]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if not all_grid:
        for department in dict.fromkeys(d for d, _ in grid):
            cmd += ["--department", department]
        for year in dict.fromkeys(y for _, y in grid):
            cmd += ["--year", str(year)]
    out.mkdir(parents=True)
    log = out / "log.txt"
    cpu = _children_cpu()
    started = time.perf_counter()
    peak = run_measured(cmd, log)
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    reports = [p for p in (out / "html").rglob("*.html") if p.name != "index.html"]
    _expect_html(reports, len(grid), "project render")
    return Run(seconds, peak.rss, peak.pss, cpu)


def _expect_html(files: list[Path], expected: int, what: str) -> None:
    if len(files) != expected:
        raise BenchError(f"{what} wrote {len(files)} HTML reports, expected {expected}")


# -- main ------------------------------------------------------------------------------------------
def load_grid(data_dir: Path | None) -> tuple[list[tuple[str, int]], Path, Path]:
    """Every (department, year) the renderer renders by default, the notebook and data dir."""
    from report_utils.render import load_catalog, select
    from report_utils.settings import Settings

    kwargs = {"data_dir": data_dir} if data_dir else {}
    with tempfile.TemporaryDirectory() as scratch:  # never touch the project's outputs/
        settings = Settings(project_root=ROOT, out_dir=Path(scratch), **kwargs)
        grid = select(load_catalog(settings), None, None)
    return grid, settings.notebook, settings.data_dir


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def mib(n: int) -> str:
    return f"{n / MIB:.0f} MiB"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="renderer workers (default: the renderer's own default)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 report, 1 repetition (for the test suite)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="keep outputs and logs here (default: a temporary directory)",
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="data (default: data/)")
    args = parser.parse_args(argv)
    if args.reps < 1 or (args.jobs is not None and args.jobs < 1):
        parser.error("--reps and --jobs must be at least 1")
    return args


def bench(args: argparse.Namespace, out: Path) -> int:
    grid, notebook, data_dir = load_grid(args.data_dir)
    all_grid = not args.quick
    reps = args.reps
    if args.quick:  # keeps the test suite's run short
        grid = grid[:1]  # one report: the plain loop costs ~10 s a report
        reps = 1
    departments = len({d for d, _ in grid})
    years = len({y for _, y in grid})
    workers = args.jobs or "renderer default"
    print(
        f"grid: {len(grid)} report(s) ({departments} department(s) × {years} year(s)), "
        f"{reps} repetition(s), renderer workers: {workers}, CPUs: {os.cpu_count()}",
        flush=True,
    )
    print(f"outputs and logs: {out}", flush=True)
    print(
        f"load average before: {_load()} (other work on the machine slows both approaches)",
        flush=True,
    )

    plain: list[Run] = []
    project: list[Run] = []
    for rep in range(1, reps + 1):  # interleaved, so drift hits both alike
        run = plain_loop(grid, notebook, data_dir, out / f"plain-{rep}")
        plain.append(run)
        print(
            f"rep {rep}/{reps}  plain CLI loop: {run.seconds:7.1f} s, CPU {run.cpu:6.1f} s "
            f"(peak RSS sum {mib(run.rss)}, PSS sum {mib(run.pss)})",
            flush=True,
        )
        run = project_render(grid, all_grid, data_dir, out / f"project-{rep}", args.jobs)
        project.append(run)
        print(
            f"rep {rep}/{reps}  project render: {run.seconds:7.1f} s, CPU {run.cpu:6.1f} s "
            f"(peak RSS sum {mib(run.rss)}, PSS sum {mib(run.pss)})",
            flush=True,
        )

    plain_median = statistics.median(r.seconds for r in plain)
    project_median = statistics.median(r.seconds for r in project)
    plain_cpu = statistics.median(r.cpu for r in plain)
    project_cpu = statistics.median(r.cpu for r in project)
    print(f"load average after: {_load()}")
    print(
        f"median plain CLI loop: {plain_median:.1f} s ({plain_median / len(grid):.2f} s per report)"
    )
    print(
        f"median project render: {project_median:.1f} s "
        f"({project_median / len(grid):.2f} s per report)"
    )
    print(
        f"median CPU time (all processes): plain {plain_cpu:.1f} s, project {project_cpu:.1f} s"
        f" — ratio {plain_cpu / project_cpu:.1f}× (information; the speedup is wall time)"
    )
    print(
        f"plain CLI loop peak memory (all processes): RSS sum {mib(max(r.rss for r in plain))}, "
        f"PSS sum {mib(max(r.pss for r in plain))}"
    )
    rss, pss = max(r.rss for r in project), max(r.pss for r in project)
    for name, value in (("RSS", rss), ("PSS", pss)):
        verdict = "under 1 GiB" if value < GIB else "NOT under 1 GiB"
        print(f"peak memory (all processes, {name} sum): {mib(value)} — {verdict}")
    print(
        f"speedup vs plain papermill+nbconvert CLI loop: {plain_median / project_median:.1f}×",
        flush=True,
    )
    return 0


def main(argv=None) -> int:
    from report_utils.errors import ReportError

    args = parse_args(argv)
    for tool in ("papermill", "jupyter"):
        if not (BIN / tool).exists():
            print(
                f"bench: {BIN / tool} not found (install the project in this venv)", file=sys.stderr
            )
            return 1
    try:
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            out = Path(tempfile.mkdtemp(prefix="bench-", dir=args.out.resolve()))
            return bench(args, out)
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            return bench(args, Path(tmp))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except ReportError as exc:  # invalid data: the renderer would refuse it too
        print(f"bench: cannot list the reports to render: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
