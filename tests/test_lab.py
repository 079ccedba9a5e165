"""`make lab`: saving in JupyterLab keeps the committed notebooks clean, and the kernel is the
project's. Checked against a running Jupyter server started exactly as `make lab` starts
JupyterLab (its command and environment, read from `make -n lab`), in a copy of the project,
through the server's REST API — the same requests JupyterLab's save and autosave send."""

from __future__ import annotations

import copy
import json
import os
import runpy
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".jupyter" / "jupyter_server_config.py"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
TOKEN = "report-utils-test"
READY_WITHIN_S = 60  # a deadline for start-up on a busy machine, not a measurement


def make_lab_command() -> tuple[dict[str, str], list[str]]:
    """The environment assignments and the command `make lab` runs (dry run: nothing runs)."""
    out = subprocess.run(
        ["make", "-s", "-n", "-C", str(ROOT), "lab"], capture_output=True, text=True, check=True
    ).stdout
    line = next(ln for ln in out.splitlines() if "jupyter lab" in ln)
    words = shlex.split(line)
    env = {}
    while "=" in words[0] and not words[0].startswith("-"):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    return env, words


def executed_notebook(nb: dict) -> dict:
    """``nb`` as JupyterLab holds it after running the explorer: outputs, counts, a widget
    view with its state, the kernel's language_info and timings."""
    nb = copy.deepcopy(nb)
    for n, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = n + 1
        cell["outputs"] = [
            {
                "output_type": "display_data",
                "data": {
                    WIDGET_MIME: {"model_id": "abc123", "version_major": 2, "version_minor": 0},
                    "text/plain": "Explorer(children=(HTML(value='…'),))",
                },
                "metadata": {},
            },
            {"output_type": "stream", "name": "stdout", "text": "klart\n"},
        ]
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-11-23T10:00:00.000Z"}
        cell["metadata"]["scrolled"] = True
    nb["metadata"]["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {"abc123": {}}, "version_major": 2}
    }
    nb["metadata"]["language_info"] = {
        "name": "python",
        "version": "3.11.2",
        "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": 3},
    }
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel) – annat namn"
    return nb


class Server:
    def __init__(self, base: str):
        self.base = base

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.base}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")

    def save(self, path: str, nb: dict) -> dict:
        """What JupyterLab's save (and autosave) sends."""
        return self.request(
            "PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": nb}
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab`'s command and environment, run in a copy of the project (notebooks/ and
    .jupyter/), headless on a free port, with a user-level "python3" kernel that would
    shadow the project's if the environment did not prefer it."""
    env_make, command = make_lab_command()
    copy_root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "notebooks", copy_root / "notebooks")
    shutil.copytree(
        ROOT / ".jupyter", copy_root / ".jupyter", ignore=shutil.ignore_patterns("__pycache__")
    )
    home = tmp_path_factory.mktemp("home")
    shadow = home / "data" / "kernels" / "python3"
    shadow.mkdir(parents=True)
    (shadow / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Skuggkärna (användarens python3)",
                "language": "python",
            }
        ),
        "utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env |= {k: v.replace(str(ROOT), str(copy_root)) for k, v in env_make.items()}
    env |= {
        "JUPYTER_DATA_DIR": str(home / "data"),  # the user level, holding the shadow kernel
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    if not Path(command[0]).is_absolute():
        command[0] = str(ROOT / command[0])
    port = _free_port()
    command += [
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
    ]
    log = (home / "server.log").open("w")
    proc = subprocess.Popen(command, cwd=copy_root, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + READY_WITHIN_S
    try:
        while True:
            try:
                server.request("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text())
                time.sleep(0.2)
        yield server, copy_root, env, home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_make_lab_uses_the_project_settings_and_prefers_its_kernel():
    env, command = make_lab_command()
    assert env["JUPYTER_CONFIG_PATH"] == str(ROOT / ".jupyter")
    assert env["JUPYTER_PREFER_ENV_PATH"] == "1"
    assert command[1:4] == ["-m", "jupyter", "lab"] and "--notebook-dir=notebooks" in command
    assert CONFIG.is_file()


def test_saving_an_executed_explorer_writes_the_committed_notebook_unchanged(lab):
    server, copy_root, _env, _home = lab
    path = copy_root / "notebooks" / "explore.ipynb"
    committed = path.read_bytes()
    opened = server.request("GET", "/api/contents/explore.ipynb")["content"]
    assert opened["cells"], "the server serves the copy's notebooks/"
    saved = server.save("explore.ipynb", executed_notebook(opened))
    assert saved["type"] == "notebook"
    # byte for byte what git has: `git status` stays clean
    assert path.read_bytes() == committed
    nb = json.loads(path.read_text("utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "widgets" not in nb["metadata"]
    # reopened: no widget view whose model is gone ("Error displaying widget: model not found")
    reopened = server.request("GET", "/api/contents/explore.ipynb")["content"]
    assert WIDGET_MIME not in json.dumps(reopened)
    assert all(c.get("outputs", []) == [] for c in reopened["cells"])


def test_saving_keeps_what_the_user_wrote(lab):
    server, copy_root, _env, _home = lab
    opened = server.request("GET", "/api/contents/report.ipynb")["content"]
    edited = executed_notebook(opened)
    edited["cells"].append(
        {
            "cell_type": "markdown",
            "id": "ny-cell",
            "metadata": {"tags": ["anteckning"]},
            "source": "Min anteckning om **MHFA**.",
        }
    )
    server.save("report.ipynb", edited)
    nb = json.loads((copy_root / "notebooks" / "report.ipynb").read_text("utf-8"))
    assert "".join(nb["cells"][-1]["source"]) == "Min anteckning om **MHFA**."
    assert nb["cells"][-1]["metadata"] == {"tags": ["anteckning"]}
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1  # the papermill parameters cell keeps its tag
    assert all(c.get("outputs", []) == [] for c in nb["cells"])
    assert nb["metadata"]["language_info"] == {"name": "python"}
    assert nb["metadata"]["kernelspec"]["display_name"] == "Python 3"  # as committed


def test_the_kernel_is_the_projects_even_with_a_user_level_python3(lab):
    server, _copy_root, env, _home = lab
    specs = server.request("GET", "/api/kernelspecs")
    python3 = specs["kernelspecs"]["python3"]
    assert python3["spec"]["display_name"] != "Skuggkärna (användarens python3)"
    assert python3["spec"]["argv"][0] in ("python", sys.executable)
    # without make lab's setting, the user-level kernel would win: what README warns about
    shadowed = subprocess.run(
        [sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
        env=env | {"JUPYTER_PREFER_ENV_PATH": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(shadowed.stdout)["kernelspecs"]["python3"]["spec"]["display_name"]
    assert got == "Skuggkärna (användarens python3)"


# -- the hook itself, in-process -------------------------------------------------------------------
class _FakeContentsManager:
    def __init__(self, root_dir: Path):
        self.root_dir = str(root_dir)
        self.log = type("Log", (), {"info": staticmethod(lambda *a: None)})()


def test_notebooks_outside_the_projects_notebooks_keep_their_outputs(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(
        ROOT / ".jupyter", project / ".jupyter", ignore=shutil.ignore_patterns("__pycache__")
    )
    (project / "notebooks").mkdir()
    hook = runpy.run_path(
        str(project / ".jupyter" / "jupyter_server_config.py"),
        init_globals={
            "get_config": lambda: type("C", (), {"ContentsManager": type("M", (), {})()})()
        },
    )["save_committed_form"]
    nb = executed_notebook(json.loads((ROOT / "notebooks" / "explore.ipynb").read_text("utf-8")))
    cm = _FakeContentsManager(project)
    mine = {"type": "notebook", "content": copy.deepcopy(nb)}
    hook(model=mine, path="analys/mitt.ipynb", contents_manager=cm)
    assert mine["content"] == nb  # a user's own notebook outside notebooks/: untouched
    committed = {"type": "notebook", "content": copy.deepcopy(nb)}
    hook(model=committed, path="notebooks/explore.ipynb", contents_manager=cm)
    assert all(c.get("outputs", []) == [] for c in committed["content"]["cells"])
    plain = {"type": "file", "content": "text med utdata"}
    hook(model=plain, path="notebooks/anteckning.txt", contents_manager=cm)
    assert plain["content"] == "text med utdata"
