"""The committed notebooks: thin, output-free, and executed for real through papermill."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import papermill as pm
import pytest

from report_utils.render import notebook_to_html

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
@pytest.mark.parametrize(
    ("department", "year"), [("SOF", 2018), ("SOF", 2026), ("ALLA", 2019), ("ALLA", 2026)]
)
def test_report_notebook_through_papermill_with_a_real_kernel(settings, tmp_path, department, year):
    """The standard papermill engine (a Jupyter kernel), as an analyst would run it."""
    out = tmp_path / "out.ipynb"
    nb = pm.execute_notebook(
        str(settings.notebook),
        str(out),
        kernel_name="python3",
        parameters={"department": department, "year": year},
        progress_bar=False,
    )
    html = notebook_to_html(
        nbformat.reads(nbformat.writes(nb), 4), settings, f"Test {department} {year}"
    )
    assert "<title>Test" in html and "Källor" in html
    if year == 2026:
        assert "Mål att följa upp" in html and "Mål som ingen indikator mäter" in html
        assert "Kompetensutveckling medarbetare" in html
    else:
        assert f"Insatser {year}" in html and f"Nådda och utbildade personer {year}" in html
    if department == "ALLA" and year == 2026:
        assert "Förvaltningarna sida vid sida" in html
    if department == "SOF" and year == 2018:
        # MHFA (SOF and VOF) in 2018: 150 people trained, shown the Swedish way
        assert "150" in html and "Första hjälpen" in html


@pytest.mark.slow
def test_unknown_parameters_fail_with_the_valid_values(settings, tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match="giltiga: ALLA, AMF, SFF, SOF, VOF"):
        pm.execute_notebook(
            str(settings.notebook),
            str(tmp_path / "o.ipynb"),
            kernel_name="python3",
            parameters={"department": "XYZ"},
            progress_bar=False,
        )


@pytest.mark.slow
def test_in_process_engine_gives_the_same_html_as_a_jupyter_kernel(
    rendered_all, settings, tmp_path
):
    """The batch engine is a faithful stand-in for a kernel: same notebook, same HTML bytes."""
    from report_utils.render import report_title

    out = tmp_path / "kernel.ipynb"
    nb = pm.execute_notebook(
        str(settings.notebook),
        str(out),
        kernel_name="python3",
        parameters={"department": "VOF", "year": 2019, "data_dir": str(settings.data_dir)},
        progress_bar=False,
    )
    html = notebook_to_html(nb, settings, report_title("vård- och omsorgsförvaltningen", 2019))
    assert html == (rendered_all.html_dir / "2019" / "VOF.html").read_text("utf-8")
