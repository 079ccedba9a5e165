"""The committed notebooks: thin, output-free, and executed for real through papermill."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pytest

NOTEBOOKS = ("report.ipynb", "explore.ipynb")


@pytest.fixture(params=NOTEBOOKS)
def notebook(request, settings):
    path = settings.project_root / "notebooks" / request.param
    if not path.exists():
        pytest.skip(f"{request.param} not present")
    return path


def test_committed_notebooks_carry_no_outputs(notebook):
    nb = json.loads(notebook.read_text("utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, notebook.name
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_notebooks_are_thin(notebook):
    """Only imports, calls, assignments of call results and parameter literals; no logic."""
    nb = json.loads(notebook.read_text("utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse(source)
        for node in ast.walk(tree):
            assert not isinstance(
                node,
                ast.For
                | ast.While
                | ast.If
                | ast.FunctionDef
                | ast.ClassDef
                | ast.Lambda
                | ast.ListComp
                | ast.DictComp
                | ast.With
                | ast.Try,
            ), f"{notebook.name}: logic in a notebook cell:\n{source}"
        assert (
            len([ln for ln in source.splitlines() if ln.strip() and not ln.strip().startswith("#")])
            <= 6
        )


def test_report_notebook_has_one_parameters_cell(settings):
    nb = json.loads(settings.notebook.read_text("utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert re.search(r'department = "ALLA"', "".join(tagged[0]["source"]))


@pytest.mark.slow
def test_both_engines_give_byte_identical_html_for_every_report(rendered_all, tmp_path):
    """``render --engine kernel`` (a fresh Jupyter kernel per report, papermill's own engine)
    and the fast engine of the shared full render agree byte for byte, report by report."""
    out = tmp_path / "kernel"
    proc = subprocess.run(
        [sys.executable, "-m", "report_utils", "render", "--engine", "kernel", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "motorn kernel" in proc.stderr
    # the reports; not the landing page, which links the PDFs the shared render also printed
    fast = {p.relative_to(rendered_all.html_dir): p for p in rendered_all.html_dir.glob("*/*.html")}
    kernel = {p.relative_to(out / "html"): p for p in (out / "html").glob("*/*.html")}
    assert sorted(kernel) == sorted(fast) and len(kernel) == 15
    for name, path in kernel.items():
        assert path.read_bytes() == fast[name].read_bytes(), name


@pytest.mark.slow
def test_an_analyst_cell_added_to_the_report_renders_the_same_on_both_engines(settings, tmp_path):
    from report_utils.render import render

    nb = json.loads(settings.notebook.read_text("utf-8"))
    added = (
        'display(report.data.insatser[["insats_id", "namn"]].head(3))\n'
        "%matplotlib inline\n"
        "import matplotlib.pyplot as plt\n"
        'plt.bar(["a", "b"], [1, 2]);\n'
        'print("klart")'
    )
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "analys",
            "metadata": {},
            "outputs": [],
            "source": added,
        }
    )
    notebook = tmp_path / "report.ipynb"
    notebook.write_text(json.dumps(nb), "utf-8")
    pages = {}
    for engine in ("fast", "kernel"):
        s = settings.with_(out_dir=tmp_path / engine, notebook=notebook, engine=engine)
        assert render(s, ["SOF"], [2026], progress=False).count("renderad") == 1
        pages[engine] = (s.html_dir / "2026" / "SOF.html").read_text("utf-8")
    assert pages["fast"] == pages["kernel"]
    tail = pages["fast"][pages["fast"].rindex("Källor") :]
    assert "<table" in tail and "data:image/png;base64," in tail and "klart" in tail
