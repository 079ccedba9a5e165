"""The fast engine is a faithful kernel: analyst-style cells give what a real ipykernel gives.

``tests/fixtures/conformance.ipynb`` holds the cells (a DataFrame, HTML, Markdown and an
image; pyplot inline; stdout and stderr; ``clear_output``; a widget; an exception;
``input()``; a cell past the timeout; a line magic; ``get_ipython()``; ``os.system``;
``tqdm.auto``). It is executed through papermill by the fast engine and by a real
Jupyter kernel, each in a process of its own, as a user would run it; the outputs,
normalised for memory addresses and widget ids, must be equal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFORMANCE = FIXTURES / "conformance.ipynb"
CELL_TIMEOUT = 3  # seconds; the conformance notebook's slow cell sleeps for 60

RUN = """
import sys
from report_utils.lazyimport import import_nbformat
import_nbformat()  # as a render does, before papermill
import papermill as pm
from report_utils import engine

engine.preload()
options = dict(engine.CLIENT_OPTIONS, interrupt_on_timeout=sys.argv[4] == "interrupt")
try:
    pm.execute_notebook(
        sys.argv[1], sys.argv[2], engine_name=engine.ENGINES[sys.argv[3]],
        kernel_name="python3", progress_bar=False, execution_timeout=float(sys.argv[5]),
        **options,
    )
except pm.PapermillExecutionError as exc:
    print("PapermillExecutionError", exc.ename)
except Exception as exc:
    print(type(exc).__name__)
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # ipykernel does not capture file descriptors under pytest; a user's run is not under it
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def execute_both(source: Path, tmp_path: Path, mode: str = "interrupt") -> dict[str, tuple]:
    """Run ``source`` with both engines at once, each in a fresh process; returns, per
    engine, (executed notebook, what the run printed)."""
    procs = {}
    for name in ("fast", "kernel"):
        out = tmp_path / f"{name}.ipynb"
        args = [str(source), str(out), name, mode, str(CELL_TIMEOUT)]
        procs[name] = (
            out,
            subprocess.Popen(
                [sys.executable, "-c", RUN, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=_env(),
            ),
        )
    results = {}
    for name, (out, proc) in procs.items():
        stdout, stderr = proc.communicate(timeout=180)  # input() must not block
        assert proc.returncode == 0, stderr
        said = stdout.strip().splitlines()  # what papermill raised is the run's last line
        results[name] = (nbformat.read(out, 4), said[-1] if said else "")
    return results


def normalised(nb) -> list:
    """Each code cell's outputs, with what differs between any two runs blanked out."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        text = json.dumps(cell.get("outputs", []), sort_keys=True, ensure_ascii=False)
        text = re.sub(r"0x[0-9a-f]+", "0x…", text)  # object addresses
        text = re.sub(r'"model_id": "[0-9a-f]+"', '"model_id": "…"', text)  # widget ids
        cells.append((cell.source.splitlines()[0], json.loads(text)))
    return cells


def widget_models(nb) -> list[str]:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return sorted(model["model_name"] for model in state.get("state", {}).values())


def outputs_of(nb, start: str) -> list:
    return next(outs for source, outs in normalised(nb) if source.startswith(start))


@pytest.mark.slow
def test_conformance_notebook_gives_equal_outputs_on_the_fast_engine_and_a_real_kernel(tmp_path):
    runs = execute_both(CONFORMANCE, tmp_path)
    (fast, fast_said), (kernel, kernel_said) = runs["fast"], runs["kernel"]
    assert normalised(fast) == normalised(kernel)
    assert widget_models(fast) == widget_models(kernel) and "IntSliderModel" in widget_models(fast)
    # papermill reports the same (last) error for both
    assert fast_said == kernel_said == "PapermillExecutionError KeyboardInterrupt"

    # and what they agree on is what JupyterLab shows
    df = outputs_of(fast, "import pandas")
    assert "<table" in df[0]["data"]["text/html"] and df[1]["output_type"] == "execute_result"
    kinds = [sorted(o["data"]) for o in outputs_of(fast, "import base64")]
    assert kinds == [["text/html", "text/plain"], ["text/markdown", "text/plain"]] + [
        ["image/png", "text/plain"]
    ]
    assert [o.get("text") for o in outputs_of(fast, "import sys")] == [
        "till stdout\n",
        "till stderr\n",
    ]
    assert any("image/png" in o.get("data", {}) for o in outputs_of(fast, "%matplotlib inline"))
    assert outputs_of(fast, "from IPython.display import clear_output") == [
        {"name": "stdout", "output_type": "stream", "text": "blir kvar\n"}
    ]
    widget = outputs_of(fast, "import ipywidgets")[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in widget
    assert outputs_of(fast, "raise ValueError")[0]["evalue"] == "avsiktligt fel"
    assert outputs_of(fast, "namn = input")[0]["ename"] == "StdinNotImplementedError"
    slow = outputs_of(fast, "import time")  # stopped at the timeout: "efter" never printed
    assert slow[0]["text"] == "före\n" and slow[-1]["ename"] == "KeyboardInterrupt"
    assert outputs_of(fast, "%precision 2")[0]["data"]["text/plain"] == "3.14"
    assert outputs_of(fast, "ip = get_ipython()")[0]["data"]["text/plain"] == (
        "('ZMQInteractiveShell', True)"
    )
    assert outputs_of(fast, "import os")[0]["text"] == "från os.system\n"
    assert outputs_of(fast, "from tqdm.auto")[0]["data"]["text/plain"] == "'tqdm.notebook'"
    assert outputs_of(fast, 'print("slut")')[0]["text"] == "slut\n"


@pytest.mark.slow
def test_without_interrupt_the_fast_engine_stops_the_run_at_a_slow_cell_as_nbclient_does(
    tmp_path,
):
    """nbclient's documented behaviour without ``interrupt_on_timeout``: a cell past its
    timeout raises CellTimeoutError; its output so far is kept and no later cell runs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell('print("första")'),
        nbformat.v4.new_code_cell('import time\nprint("före")\ntime.sleep(60)'),
        nbformat.v4.new_code_cell('print("aldrig")'),
    ]
    source = tmp_path / "slow.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "fast.ipynb"
    args = [str(source), str(out), "fast", "wait", str(CELL_TIMEOUT)]
    proc = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=_env(), timeout=120
    )
    assert proc.stdout.strip().splitlines()[-1] == "CellTimeoutError", proc.stderr
    first, slow, never = normalised(nbformat.read(out, 4))
    assert first[1][0]["text"] == "första\n" and never[1] == []
    assert [o.get("text") for o in slow[1]] == ["före\n"]


def test_the_fast_engine_is_used_only_where_forking_is_safe(monkeypatch):
    from report_utils import engine
    from report_utils.errors import ParameterError
    from report_utils.render import choose_engine

    monkeypatch.setattr(engine, "fork_is_safe", lambda: True)
    assert choose_engine(None) == "fast" and choose_engine("kernel") == "kernel"
    monkeypatch.setattr(engine, "fork_is_safe", lambda: False)
    assert choose_engine(None) == "kernel"
    with pytest.raises(ParameterError, match="motorn 'fast' behöver os.fork.*--engine kernel"):
        choose_engine("fast")


def test_forking_counts_as_unsafe_on_macos_and_without_fork(monkeypatch):
    from report_utils import engine

    assert engine.fork_is_safe() is (sys.platform != "darwin" and hasattr(os, "fork"))
    monkeypatch.setattr(sys, "platform", "darwin")
    assert engine.fork_is_safe() is False
    monkeypatch.undo()
    monkeypatch.delattr(os, "fork")
    assert engine.fork_is_safe() is False
