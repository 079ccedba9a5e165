"""The output folder under stress: two renders at once, interrupted and killed renders,
files and permissions in the way, a full disk. Every run under test is a CLI process of
its own; the run that must then repair the folder, and a command that a file in the way
stops before it renders anything, run the command line's own entry point in this process
(another process than the one under test all the same)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from report_utils import outdir

pytestmark = pytest.mark.slow

GRID = ["--department", "VOF", "--department", "AMF", "--year", "2019", "--year", "2026"]
# (four quick reports: enough for one to be done and one under way when a render is stopped)


def cli(out, *args):
    return [sys.executable, "-m", "report_utils", "render", "--out", str(out), *args]


def run_here(capsys, out, *args) -> tuple[int, str]:
    """``python -m report_utils render --out out *args`` through its entry point, in this
    process: (exit code, what it printed on stderr)."""
    from report_utils.cli import main

    capsys.readouterr()
    code = main(["render", "--out", str(out), *args])
    return code, capsys.readouterr().err


def check_whole(out) -> dict[str, bytes]:
    """Every report file in ``out`` is complete; returns the HTML by name."""
    for nb in (out / "notebooks").rglob("*.ipynb"):
        json.loads(nb.read_text("utf-8"))  # a cut-short notebook is not JSON
    pages = {}
    for page in (out / "html").rglob("*.html"):
        text = page.read_text("utf-8")
        assert text.rstrip().endswith("</html>"), page
        pages[page.relative_to(out).as_posix()] = page.read_bytes()
    json.loads((out / ".cache" / "manifest.json").read_text("utf-8"))
    return pages


@pytest.fixture(scope="module")
def reference(tmp_path_factory, settings):
    """The grid rendered once, undisturbed: what every other run must end with. Rendered
    in this process (the ``render`` the CLI calls; a CLI run giving the same bytes is
    test_render's batch-and-alone test), so the runs under test are the only processes."""
    from report_utils.render import render

    out = tmp_path_factory.mktemp("reference")
    summary = render(
        settings.with_(out_dir=out, pdf=False), ["VOF", "AMF"], [2019, 2026], progress=False
    )
    assert not summary.failed, summary.failed
    return out, check_whole(out)


def test_two_renders_at_once_into_one_folder_both_succeed_one_waiting(tmp_path, reference):
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            cli(out, *GRID, "--no-progress"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    waited = [err for _, err in results if "En annan rendering skriver till" in err]
    assert len(waited) == 1, results  # the second said who holds the folder, and waited
    holder = re.search(r"process (\d+) på \S+, startad \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", waited[0])
    assert holder and int(holder.group(1)) in {p.pid for p in procs}
    assert check_whole(out) == reference[1]
    assert outdir.temp_files(out) == []


def _interrupted(out, sig) -> subprocess.Popen:
    """A render stopped by ``sig`` right after its first report was written."""
    proc = subprocess.Popen(
        cli(out, *GRID, "--no-progress", "--jobs", "1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    for line in proc.stderr:
        if ": renderad" in line:
            break
    time.sleep(0.3)  # into the next report
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    return proc


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_render_leaves_nothing_the_next_render_does_not_repair(
    tmp_path, reference, sig, capsys
):
    out = tmp_path / "out"
    proc = _interrupted(out, sig)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert outdir.temp_files(out) == []  # an interrupted run cleans up after itself
    else:
        assert proc.returncode == -signal.SIGKILL
        time.sleep(0.5)  # its children end with it
    check_whole(out)
    code, stderr = run_here(capsys, out, *GRID, "--no-progress")
    assert code == 0, stderr
    assert check_whole(out) == reference[1]
    assert outdir.temp_files(out) == []


def test_stale_temporary_files_go_and_a_cut_short_notebook_renders_again(
    tmp_path, reference, capsys
):
    out = tmp_path / "out"
    shutil.copytree(reference[0], out)
    stale = out / "html" / "2026" / ".AMF.html.4242-deadbeef.tmp"
    stale.write_text("<html>halv", "utf-8")
    executed = out / "notebooks" / "2019" / "AMF.ipynb"
    executed.write_bytes(executed.read_bytes()[:1000])  # as a killed writer would leave it
    code, stderr = run_here(capsys, out, *GRID, "--no-progress")
    assert code == 0, stderr
    assert "[4/4] 2019 AMF: renderad" in stderr and "från cache      3" in stderr
    assert not stale.exists()
    assert check_whole(out) == reference[1]


FAULT = """
import builtins, errno, io, os, sys
out, fault, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
real_open = builtins.open

def faulty_open(file, mode="r", *args, **kwargs):
    name = os.fspath(file) if not isinstance(file, int) else ""
    writing = any(c in mode for c in "wax+")
    if writing and isinstance(name, str) and name.startswith(out):
        base = os.path.basename(name)
        if fault == "readonly":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        if fault == "full" or (fault == "full-html" and ".html." in base):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
    return real_open(file, mode, *args, **kwargs)

builtins.open = io.open = faulty_open
from report_utils.cli import main
sys.exit(main(["render", "--out", out, *rest]))
"""


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ("out is a file", "utmappen {out} är en fil, inte en mapp"),
        ("html is a file", "'html' i utmappen {out}/html är en fil, inte en mapp"),
        (".cache is a file", "'.cache' i utmappen {out}/.cache är en fil, inte en mapp"),
        ("read-only", "kunde inte skriva {out}: åtkomst nekad"),
        ("disk full", "kunde inte skriva {out}: disken är full"),
        ("disk full mid-run", "kunde inte skriva {out}/html/2019/"),
    ],
)
def test_output_folder_problems_give_one_line_exit_1_and_lose_nothing(
    tmp_path, reference, problem, expected, capsys
):
    """A read-only folder and a full disk are simulated in the render's process (and its
    children) by failing every open-for-writing under the folder: tests may run as root,
    whom permission bits do not stop, and filling a real disk is no test."""
    out = tmp_path / "out"
    shutil.copytree(reference[0], out)
    args = [*GRID, "--no-progress", "--force"]
    fault = {"read-only": "readonly", "disk full": "full", "disk full mid-run": "full-html"}
    if problem == "out is a file":
        shutil.rmtree(out)
        out.write_text("en fil", "utf-8")
    elif problem in ("html is a file", ".cache is a file"):
        name = problem.split()[0]
        keep = tmp_path / "kept"
        shutil.move(out / name, keep)
        (out / name).write_text("en fil", "utf-8")
    if problem in fault:
        proc = subprocess.run(
            [sys.executable, "-c", FAULT, str(out), fault[problem], *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        code, stderr = proc.returncode, proc.stderr
    else:
        # a file in the way stops the command before any report is rendered, so the
        # command line's own entry point runs here (the catalog this process built once)
        code, stderr = run_here(capsys, out, *args)
    assert code == 1, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("fel:")]
    assert len(errors) == 1 and expected.format(out=out) in errors[0], stderr
    if problem == "out is a file":
        assert out.read_text("utf-8") == "en fil"
        return
    if problem in ("html is a file", ".cache is a file"):
        assert (out / problem.split()[0]).read_text("utf-8") == "en fil"
        return
    assert check_whole(out) == reference[1]  # nothing rendered earlier is lost
    assert outdir.temp_files(out) == []
    if problem == "disk full mid-run":
        assert re.search(r"/html/2019/(AMF|VOF)\.html: disken är full$", errors[0])


def test_write_atomic_leaves_the_old_file_and_no_temporary_one_when_writing_fails(tmp_path):
    target = tmp_path / "rapport.html"
    target.write_text("gammal", "utf-8")

    with pytest.raises(TypeError):
        outdir.write_atomic(target, 42)  # not text or bytes: fails while writing
    assert target.read_text("utf-8") == "gammal"
    assert outdir.temp_files(tmp_path) == []
    outdir.write_atomic(target, "ny")
    assert target.read_text("utf-8") == "ny" and outdir.temp_files(tmp_path) == []


def test_os_errors_read_as_one_swedish_line():
    import errno

    full = OSError(errno.ENOSPC, "No space left on device", "/ut/html/x.html")
    assert outdir.describe(full) == "kunde inte skriva /ut/html/x.html: disken är full"
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert outdir.describe(denied, "/ut") == (
        "kunde inte skriva /ut: åtkomst nekad (mappen är skrivskyddad eller tillhör någon annan)"
    )
    assert os.path.sep not in outdir.describe(OSError(errno.EROFS, "x"), "ut")
