"""Benchmark the renderer: ``make bench`` runs ``.venv/bin/python scripts/bench.py``.

In one run, on the full grid (every department × year the renderer renders), it measures
and prints as ratios:

1. **fast engine vs the plain CLI loop** — per report, sequentially, the ``papermill`` CLI
   and then ``jupyter nbconvert --to html --no-input`` (what a shell loop over the CLIs
   does), against ``python -m report_utils render --force --no-pdf`` (fast engine, cold,
   fresh output folder: HTML only, like the loop). Target ≥ 10×.
2. **kernel engine vs the fresh-kernel floor** — ``render --force --no-pdf --engine kernel`` against
   the least any fresh-kernel-per-report renderer must do, with the same parallelism
   (``--jobs`` threads) and the same HTML export: for every report, start a fresh Jupyter
   kernel through papermill, run a one-cell notebook, shut the kernel down and export
   the notebook. Two such floors are measured: the *bare* floor's cell is ``1 + 1`` (kernel
   start-up alone); the *import* floor's cell imports every module the report notebook
   imports apart from this project's own package (pandas, matplotlib, Babel … — found by
   running a report in a probe process). A fresh kernel cannot render the report without
   importing those, so the import floor is the one the target applies to (≤ 1.3×); the
   bare ratio is printed too, and so is a third reference: the report notebook itself
   run the same way through papermill's Python API (same threads, same export), without
   the renderer — what the renderer adds to papermill (it validates all data first and
   hands kernels the loaded data instead of every kernel reading the workbooks).
3. **PDF export** — ``render --force --engine fast`` with its PDFs (the default: one
   tagged PDF per report, printed by Debian's Chromium) against the same render with
   ``--no-pdf`` (the HTML-only render of 1. and 2.), into fresh folders, interleaved.
   Target: a cold full render with PDFs takes ≤ 2× the HTML-only one. Also printed: the PDF
   step's own time, the time per PDF, and the PDFs' sizes and pages. Skipped, with the
   reason, where Chromium is missing.
4. **warm rerun** — ``render`` again with nothing changed (HTML and PDFs), minus the
   interpreter's own start-up (``python -c pass``); medians of 3. Target ≤ 1 s.
5. **years** — a synthetic data set with 10 goal years (copies of the latest goals with
   invented indicator values, every row marked SYNTETISKT; generated in a temporary
   folder, never shipped) rendered with the fast engine: the CPU time per report (each
   report's own process; wall time would measure the machine's other load) for the last
   goal year, which reads all ten years and draws ten-year trends, against the second,
   the first with a trend (the first goal year has nothing to compare with, so its
   reports are smaller). The two years are rendered together three times and the medians
   over their reports compared. Target: flat (≤ 1.25×).

While the renders run, a thread samples the memory of the process tree (RSS sum and PSS
sum; peaks printed). The machine's load average is printed before and after: other work
slows every approach alike, but makes single figures noisy (``--reps`` repeats the
comparisons interleaved and takes medians). Exit status 1 if any command fails.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin: papermill, jupyter (not resolved: venv)
MIB = 1024 * 1024
GIB = 1024 * MIB
INTERVAL = 0.05  # seconds between memory samples
SYNTHETIC_MARK = "SYNTETISKT"
PROGRESS_LINE = re.compile(
    r"^\[\d+/\d+\] (\d{4}) (\S+): renderad \((\d+(?:\.\d+)?) s, CPU (\d+(?:\.\d+)?) s\)"
)
PDF_LINE = re.compile(r"^\[\d+/\d+\] PDF (\d{4}) (\S+): utskriven \((\d+(?:\.\d+)?) s\)")
PDF_STEP = re.compile(r"^\s*PDF\s+(\d+) utskrivna.*\((\d+(?:\.\d+)?) s\)\s*$")


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
        import psutil

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
    rss: int = 0  # peak RSS sum, bytes
    pss: int = 0  # peak PSS sum, bytes
    cpu: float = 0.0  # user + system CPU seconds of every process run
    output: str = ""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env(extra: dict | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update(extra or {})
    return env


def run_measured(cmd: list[str], log: Path, env: dict | None = None) -> Run:
    """Run one command with its output appended to ``log``; raise if it fails."""
    import psutil

    with open(log, "ab") as out:
        out.write(f"$ {' '.join(cmd)}\n".encode())
        out.flush()
        start_at = out.tell()
        cpu = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(env), stdout=out, stderr=subprocess.STDOUT)
        try:
            with PeakMemory(proc.pid) as peak:
                code = proc.wait()
        except BaseException:  # interrupted: stop what this script started
            with contextlib.suppress(psutil.Error):
                for child in psutil.Process(proc.pid).children(recursive=True):
                    child.kill()
            proc.kill()
            raise
        seconds = time.perf_counter() - started
    text = log.read_bytes()[start_at:].decode("utf-8", errors="replace")
    if code != 0:
        tail = "\n".join(f"  {line}" for line in text.splitlines()[-25:])
        raise BenchError(f"command failed (exit status {code}): {' '.join(cmd)}\n{tail}")
    return Run(seconds, peak.rss, peak.pss, _children_cpu() - cpu, text)


# -- what is measured ------------------------------------------------------------------------
def plain_loop(grid, notebook: Path, data_dir: Path, out: Path) -> Run:
    """papermill CLI then nbconvert CLI per report, one after the other (a shell loop)."""
    out.mkdir(parents=True)
    log = out / "log.txt"
    total = Run(0.0)
    for department, year in grid:
        executed = out / f"{year}-{department}.ipynb"
        for cmd in (
            [str(BIN / "papermill"), str(notebook), str(executed)]
            + ["-p", "department", department, "-p", "year", str(year)]
            + ["-p", "data_dir", str(data_dir)],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        ):
            run = run_measured(cmd, log)
            total.seconds += run.seconds
            total.cpu += run.cpu
            total.rss, total.pss = max(total.rss, run.rss), max(total.pss, run.pss)
    _expect_html(sorted(out.glob("*.html")), len(grid), "plain loop")
    return total


def render_cmd(out: Path, data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "report_utils", "render", "--out", str(out)] + [
        "--no-progress",
        "--data-dir",
        str(data_dir),
        *extra,
    ]


def project_render(out: Path, data_dir: Path, jobs: int | None, *extra: str) -> Run:
    """``python -m report_utils render --force`` in a fresh process into a fresh folder."""
    out.mkdir(parents=True)
    cmd = render_cmd(out, data_dir, "--force", *extra)
    if jobs:
        cmd += ["--jobs", str(jobs)]
    run = run_measured(cmd, out / "log.txt")
    return run


def _expect_html(files: list, expected: int, what: str) -> None:
    if len(files) != expected:
        raise BenchError(f"{what} wrote {len(files)} HTML reports, expected {expected}")


def reports_in(out: Path) -> list[Path]:
    return [p for p in (out / "html").rglob("*.html") if p.name != "index.html"]


# -- the fresh-kernel floor ---------------------------------------------------------------------
PROBE = """
import json, sys
start = set(sys.modules)
cells = [
    "".join(c["source"]) for c in json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
    if c["cell_type"] == "code"
]
for department, year in json.loads(sys.argv[2]):
    namespace = {"department": department, "year": year, "data_dir": sys.argv[3]}
    namespace["display"] = lambda *args, **kwargs: None
    for source in cells[1:]:  # the parameters cell is replaced by the values above
        exec(compile(source, "cell", "exec"), namespace)
print(json.dumps(sorted(m for m in set(sys.modules) - start if m.split(".")[0] != "report_utils")))
"""


def report_modules(grid, notebook: Path, data_dir: Path, store: Path | None) -> list[str]:
    """Every module running the report notebook imports, apart from this project's package
    (the notebook's cells run in a plain process, one report per year)."""
    from report_utils.model import STORE_ENV

    sample = [next(g for g in grid if g[1] == year) for year in sorted({y for _, y in grid})]
    env = _env({STORE_ENV: str(store)} if store else None)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(notebook), json.dumps(sample), str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise BenchError(f"probe failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def floor_cell(modules: list[str] | None) -> dict:
    """The floor notebook's only cell: ``1 + 1``, or importing ``modules``."""
    return {"cell": floor_source(modules)}


def floor_source(modules: list[str] | None) -> str:
    if not modules:
        return "1 + 1"
    return (
        "import importlib\n"
        f"for _m in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(_m)\n"
        "    except Exception:\n"
        "        pass\n"
    )


def floor_worker(argv: list[str]) -> int:
    """``bench.py _floor SPEC_JSON``: a kernel-per-report loop with papermill, run in a
    process of its own. The spec gives ``out``, ``jobs`` and either ``cell`` and
    ``reports`` (a one-cell notebook, run that many times) or ``notebook``, ``grid`` and
    ``data_dir`` (that notebook with each report's parameters)."""
    from concurrent.futures import ThreadPoolExecutor

    import nbformat
    import papermill as pm
    from jupyter_client.manager import AsyncKernelManager

    from report_utils.export import html_exporter, notebook_to_html
    from report_utils.settings import Settings

    spec = json.loads(argv[0])
    out = Path(spec["out"])
    if "cell" in spec:
        nb = nbformat.v4.new_notebook()
        nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3"}
        nb.cells = [nbformat.v4.new_code_cell(spec["cell"])]
        source = out / "floor.ipynb"
        nbformat.write(nb, source)
        runs = [(str(source), {}) for _ in range(spec["reports"])]
    else:
        runs = [
            (spec["notebook"], {"department": d, "year": y, "data_dir": spec["data_dir"]})
            for d, y in spec["grid"]
        ]
    settings = Settings(project_root=ROOT)
    local = threading.local()

    class KernelManager(AsyncKernelManager):  # as the renderer's: kernel logs not shown
        async def _async_pre_start_kernel(self, **kw):
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    def one(index: int) -> None:
        source, parameters = runs[index]
        executed = pm.execute_notebook(
            source,
            str(out / f"floor-{index}.ipynb"),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            request_save_on_cell_execute=False,
            shutdown_kernel="immediate",
            kernel_manager_class=KernelManager,
        )
        if getattr(local, "exporter", None) is None:
            local.exporter = html_exporter(settings)
        html = notebook_to_html(executed, settings, f"golv {index}", local.exporter)
        (out / f"floor-{index}.html").write_text(html, "utf-8")

    with ThreadPoolExecutor(max_workers=spec["jobs"]) as pool:
        list(pool.map(one, range(len(runs))))
    return 0


def kernel_floor(spec: dict, reports: int, jobs: int, out: Path) -> Run:
    out.mkdir(parents=True)
    spec = {**spec, "out": str(out), "jobs": jobs, "reports": reports}
    cmd = [sys.executable, str(Path(__file__).resolve()), "_floor", json.dumps(spec)]
    run = run_measured(cmd, out / "log.txt")
    _expect_html(sorted(out.glob("floor-*.html")), reports, "kernel floor")
    return run


# -- synthetic years ----------------------------------------------------------------------------
def synthetic_data(source: Path, target: Path, goal_years: int = 10) -> list[int]:
    """A copy of ``source`` with ``goal_years`` goal years in all: the latest year's goals
    copied forward, and invented indicator values (every row marked SYNTETISKT) for each
    goal year. For benchmarking only: written to ``target``, never into data/."""
    from report_utils import schemas as S
    from report_utils.model import discover_goal_years, load_dataset
    from report_utils.newyear import value_rows
    from report_utils.workbooks import write_workbook

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("sources", "~$*"))
    (target / "SYNTETISKT_LAS_MIG.md").write_text(
        "# SYNTETISKA DATA\n\nSkapade av scripts/bench.py för prestandamätning. Målen är "
        "kopior av det senaste årets mål och alla indikatorvärden är påhittade. "
        "Får aldrig användas som underlag eller kopieras till data/.\n",
        "utf-8",
    )
    existing = discover_goal_years(target)
    latest = max(existing)
    years = list(range(min(existing), min(existing) + goal_years))
    for year in years:
        if year not in existing:
            (target / str(year)).mkdir()
            shutil.copy2(target / str(latest) / "mal.xlsx", target / str(year) / "mal.xlsx")
    dataset = load_dataset(target, until_year=latest)
    indicators = dataset.goals[latest].indikatorer
    units = dict(zip(indicators["indikator_id"], indicators["enhet"], strict=True))
    for year in years:
        rows = value_rows(indicators, dataset.departments)
        for row in rows:
            row["varde"] = synthetic_value(units[row["indikator_id"]], row, year)
            row["kommentar"] = f"{SYNTHETIC_MARK}: påhittat värde för prestandamätning"
        write_workbook(
            target / str(year) / "indikatorvarden.xlsx",
            S.INDIKATORVARDEN,
            {"varden": rows},
            note=f"{SYNTHETIC_MARK} – påhittade värden för {year}.",
        )
    return years


def synthetic_value(unit: str, row: dict, year: int) -> str:
    """A deterministic invented value of the indicator's unit."""
    seed = int(
        hashlib.sha256(f"{row['indikator_id']}|{row['forvaltning']}|{year}".encode()).hexdigest(),
        16,
    )
    if unit == "andel":
        return f"{seed % 90 + 5} %"
    if unit == "antal":
        return str(seed % 400 + 10)
    if unit == "ja-nej":
        return "ja" if seed % 2 else "nej"
    return f"{SYNTHETIC_MARK} text {seed % 100}"


def cpu_per_report(output: str) -> dict[int, list[float]]:
    """Per year, the CPU seconds each rendered report's process took (from the fast
    engine's progress lines): unlike wall time, not inflated by other work on the machine."""
    per_year: dict[int, list[float]] = {}
    for line in output.splitlines():
        match = PROGRESS_LINE.match(line.strip())
        if match:
            per_year.setdefault(int(match.group(1)), []).append(float(match.group(4)))
    return per_year


def pdf_times(output: str) -> tuple[list[float], float | None]:
    """The seconds each PDF took (its progress line) and the whole PDF step's seconds (the
    summary's PDF line, which includes starting the browser), from a render's output."""
    each, step = [], None
    for line in output.splitlines():
        if match := PDF_LINE.match(line.strip()):
            each.append(float(match.group(3)))
        elif match := PDF_STEP.match(line):
            step = float(match.group(2))
    return each, step


def pdf_files(out: Path) -> list[tuple[Path, int, int]]:
    """Every PDF a render wrote, with its size in bytes and its number of pages."""
    from pypdf import PdfReader

    return [(p, p.stat().st_size, len(PdfReader(p).pages)) for p in sorted(out.glob("pdf/*/*.pdf"))]


# -- main ------------------------------------------------------------------------------------------
def load_grid(data_dir: Path | None) -> tuple[list[tuple[str, int]], Path, Path]:
    """Every (department, year) the renderer renders by default, the notebook and data dir."""
    from report_utils.catalog import load_catalog
    from report_utils.settings import Settings

    kwargs = {"data_dir": data_dir} if data_dir else {}
    with tempfile.TemporaryDirectory() as scratch:  # never touch the project's outputs/
        settings = Settings(project_root=ROOT, out_dir=Path(scratch), **kwargs)
        grid = load_catalog(settings).select(None, None)
    return grid, settings.notebook, settings.data_dir


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def mib(n: int) -> str:
    return f"{n / MIB:.0f} MiB"


def ratio_line(name: str, value: float, target: str, ok: bool, extra: str = "") -> str:
    verdict = "met" if ok else "NOT met"
    return f"{name}: {value:.2f}× (target {target}: {verdict}){extra}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1, help="repetitions, interleaved (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel reports (default 2)")
    parser.add_argument(
        "--years", type=int, default=10, help="goal years in the synthetic data set (default 10)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="keep outputs and logs here (default: temporary)"
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="data (default: data/)")
    args = parser.parse_args(argv)
    if args.reps < 1 or args.jobs < 1 or args.years < 2:
        parser.error("--reps and --jobs must be at least 1, --years at least 2")
    return args


def bench(args: argparse.Namespace, out: Path) -> int:
    grid, notebook, data_dir = load_grid(args.data_dir)
    n = len(grid)
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(
        f"grid: {n} reports, {args.reps} repetition(s), {args.jobs} parallel reports, "
        f"CPUs: {os.cpu_count()}\noutputs and logs: {out}\nload average before: {_load()}"
    )
    plain, fast, kernel, bare, imports, same, with_pdf = [], [], [], [], [], [], []
    modules: list[str] | None = None
    from report_utils import pdf

    no_pdf = pdf.unavailable()
    if no_pdf:
        say(f"PDF phase skipped: {no_pdf[0]} ({no_pdf[1]})")
    for rep in range(1, args.reps + 1):  # interleaved, so drift hits all alike
        run = plain_loop(grid, notebook, data_dir, out / f"plain-{rep}")
        plain.append(run)
        say(f"rep {rep}  plain CLI loop:   {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s)")
        run = project_render(
            out / f"fast-{rep}", data_dir, args.jobs, "--engine", "fast", "--no-pdf"
        )
        _expect_html(reports_in(out / f"fast-{rep}"), n, "fast render")
        fast.append(run)
        say(
            f"rep {rep}  render, fast:     {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s, "
            f"peak RSS sum {mib(run.rss)}, PSS sum {mib(run.pss)})"
        )
        if not no_pdf:
            run = project_render(out / f"pdf-{rep}", data_dir, args.jobs, "--engine", "fast")
            if len(pdf_files(out / f"pdf-{rep}")) != n:
                raise BenchError(
                    f"render with PDFs wrote {len(pdf_files(out / f'pdf-{rep}'))} PDFs, expected {n}"
                )
            with_pdf.append(run)
            each, step = pdf_times(run.output)
            say(
                f"rep {rep}  render, fast, with PDFs: {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s, "
                f"peak RSS sum {mib(run.rss)}; PDF step {step or 0:.1f} s, "
                f"{statistics.mean(each) if each else 0:.2f} s per PDF)"
            )
        run = project_render(
            out / f"kernel-{rep}", data_dir, args.jobs, "--engine", "kernel", "--no-pdf"
        )
        _expect_html(reports_in(out / f"kernel-{rep}"), n, "kernel render")
        kernel.append(run)
        say(
            f"rep {rep}  render, kernel:   {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s, "
            f"peak RSS sum {mib(run.rss)}, PSS sum {mib(run.pss)})"
        )
        if modules is None:
            store = out / f"kernel-{rep}" / ".cache" / "data"
            modules = report_modules(grid, notebook, data_dir, store)
        run = kernel_floor(floor_cell(None), n, args.jobs, out / f"floor-bare-{rep}")
        bare.append(run)
        say(f"rep {rep}  bare kernel floor:   {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s)")
        run = kernel_floor(floor_cell(modules), n, args.jobs, out / f"floor-imports-{rep}")
        imports.append(run)
        say(
            f"rep {rep}  import kernel floor: {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s; "
            f"{len(modules)} modules)"
        )
        spec = {"notebook": str(notebook), "grid": grid, "data_dir": str(data_dir)}
        run = kernel_floor(spec, n, args.jobs, out / f"papermill-threads-{rep}")
        same.append(run)
        say(f"rep {rep}  same notebook, papermill API: {run.seconds:6.1f} s (CPU {run.cpu:6.1f} s)")

    # the warm rerun is the default command on a folder it has rendered: HTML and PDFs
    warm_out, warm_extra = (out / "fast-1", ["--no-pdf"]) if no_pdf else (out / "pdf-1", [])
    warm = [
        run_measured(render_cmd(warm_out, data_dir, *warm_extra), out / "warm.txt").seconds
        for _ in "123"
    ]
    start = [run_measured([sys.executable, "-c", "pass"], out / "warm.txt").seconds for _ in "123"]

    synthetic = out / "synthetic-data"
    years = synthetic_data(data_dir, synthetic, args.years)
    say(f"synthetic data ({SYNTHETIC_MARK}): goal years {years[0]}–{years[-1]} in {synthetic}")
    run = project_render(out / "synthetic", synthetic, args.jobs, "--engine", "fast", "--no-pdf")
    per_year = cpu_per_report(run.output)
    say(f"synthetic render: {sum(map(len, per_year.values()))} reports in {run.seconds:.1f} s")
    # the two years compared are rendered together, three times, so that other work on the
    # machine weighs on both alike; the median over all their reports is compared
    pair = {years[1]: [], years[-1]: []}
    for rep in range(3):
        extra = ["--year", str(years[1]), "--year", str(years[-1]), "--engine", "fast", "--no-pdf"]
        again = project_render(out / f"synthetic-pair-{rep}", synthetic, args.jobs, *extra)
        for year, cpus in cpu_per_report(again.output).items():
            pair[year] += cpus
    say(
        "  CPU seconds per report, by year: "
        + ", ".join(f"{year}: {statistics.mean(per_year[year]):.2f}" for year in sorted(per_year))
    )

    med = lambda runs: statistics.median(r.seconds for r in runs)  # noqa: E731
    say(f"load average after: {_load()}")
    say(f"median plain CLI loop: {med(plain):.1f} s ({med(plain) / n:.2f} s per report)")
    say(f"median render, fast:   {med(fast):.1f} s ({med(fast) / n:.2f} s per report)")
    say(
        f"median render, kernel: {med(kernel):.1f} s; floors: bare {med(bare):.1f} s, "
        f"imports {med(imports):.1f} s"
    )
    for name, runs in (("fast", fast), ("kernel", kernel)):
        rss, pss = max(r.rss for r in runs), max(r.pss for r in runs)
        verdict = "under 1 GiB" if pss < GIB else "NOT under 1 GiB"
        say(
            f"peak memory, {name} (all processes): RSS sum {mib(rss)}, PSS sum {mib(pss)} — {verdict}"
        )
    warm_beyond = statistics.median(warm) - statistics.median(start)
    # the first goal year has no earlier year to compare with, so no trend: its reports are
    # smaller. Growth with the years is measured from the first year with a trend.
    first, last = statistics.median(pair[years[1]]), statistics.median(pair[years[-1]])
    speedup = med(plain) / med(fast)
    over_floor = med(kernel) / med(imports)
    over_bare = med(kernel) / med(bare)
    over_same = med(kernel) / med(same)
    cpu = lambda runs: statistics.median(r.cpu for r in runs)  # noqa: E731
    say("")
    say(
        ratio_line(
            "fast engine vs plain papermill+nbconvert CLI loop",
            speedup,
            "≥ 10×",
            speedup >= 10,
            f" (CPU time: {cpu(plain) / cpu(fast):.2f}×)",
        )
    )
    say(
        ratio_line(
            "kernel engine vs fresh-kernel floor (imports)",
            over_floor,
            "≤ 1.3×",
            over_floor <= 1.3,
            f" (CPU time: {cpu(kernel) / cpu(imports):.2f}×); vs bare kernel floor: "
            f"{over_bare:.2f}× (CPU {cpu(kernel) / cpu(bare):.2f}×); vs the same notebook "
            f"through papermill's API without the renderer: {over_same:.2f}× "
            f"(CPU {cpu(kernel) / cpu(same):.2f}×)",
        )
    )
    if with_pdf:
        ratio = med(with_pdf) / med(fast)
        each, step = pdf_times(with_pdf[0].output)
        each = each or [0.0]
        files = pdf_files(out / "pdf-1")
        sizes = [size for _, size, _ in files]
        say(
            ratio_line(
                "cold full render with PDFs vs HTML only (fast engine)",
                ratio,
                "≤ 2×",
                ratio <= 2,
                f" ({med(with_pdf):.1f} s vs {med(fast):.1f} s; CPU time "
                f"{cpu(with_pdf) / cpu(fast):.2f}×)",
            )
        )
        say(
            f"PDF export: {len(files)} PDFs, step {step or 0:.1f} s (browser start included), "
            f"{statistics.mean(each):.2f} s per PDF (max {max(each):.2f} s); sizes "
            f"{min(sizes) / 1e3:.0f}–{max(sizes) / 1e3:.0f} kB (total {sum(sizes) / 1e6:.1f} MB), "
            f"pages {min(p for *_, p in files)}–{max(p for *_, p in files)} "
            f"(total {sum(p for *_, p in files)})"
        )
        for path, size, pages in files:
            say(f"  {path.relative_to(out / 'pdf-1')}: {size / 1e3:.0f} kB, {pages} pages")
    say(
        f"warm rerun beyond Python start-up: {warm_beyond:.2f} s "
        f"(rerun {statistics.median(warm):.2f} s, start-up {statistics.median(start):.2f} s; "
        f"target ≤ 1 s: {'met' if warm_beyond <= 1 else 'NOT met'})"
    )
    say(
        ratio_line(
            f"median CPU per report, goal year {years[-1]} ({len(years)} years of data) vs "
            f"{years[1]} (2 years)",
            last / first,
            "flat, ≤ 1.25×",
            last / first <= 1.25,
        )
    )
    return 0


def main(argv=None) -> int:
    from report_utils.errors import ReportError

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_floor"]:
        return floor_worker(argv[1:])
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
            return bench(args, Path(tempfile.mkdtemp(prefix="bench-", dir=args.out.resolve())))
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
