"""The project's own promises: dependencies in step, Makefile and README commands, CI."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_dependencies_as_pyproject(settings):
    project = tomllib.loads((settings.project_root / "pyproject.toml").read_text("utf-8"))[
        "project"
    ]
    wanted = {r for r in project["dependencies"]} | {
        r for r in project["optional-dependencies"]["test"]
    }
    env = yaml.safe_load((settings.project_root / "environment.yml").read_text("utf-8"))
    listed = {d for d in env["dependencies"] if isinstance(d, str)} - {"pip"}
    # packages conda-forge lacks come from PyPI through the pip section ("-e ." aside)
    for section in (d["pip"] for d in env["dependencies"] if isinstance(d, dict)):
        listed |= {d for d in section if not d.startswith("-")}
    listed = {d for d in listed if not d.startswith("python")}
    assert {_name(d) for d in listed} == {_name(r) for r in wanted}
    assert {d.replace(" ", "") for d in listed} == {r.replace(" ", "") for r in wanted}


def test_make_help_is_default_and_lists_every_target(settings):
    makefile = (settings.project_root / "Makefile").read_text("utf-8")
    assert ".DEFAULT_GOAL := help" in makefile
    targets = set(re.findall(r"^([a-z][a-z_-]*):", makefile, re.M))
    out = subprocess.run(
        ["make", "-s", "-C", str(settings.project_root)], capture_output=True, text=True, check=True
    ).stdout
    listed = set(re.findall(r"make (\S+)", out))
    assert targets == listed


def test_readme_shows_the_two_commands_and_make_implements_them(settings):
    readme = (settings.project_root / "README.md").read_text("utf-8")
    assert "make report" in readme and "make test" in readme
    makefile = (settings.project_root / "Makefile").read_text("utf-8")
    assert re.search(r"^report: .*\n\t\$\(PY\) -m report_utils render$", makefile, re.M)
    assert re.search(
        r"^test: .*\n\tenv -u PYTHONDONTWRITEBYTECODE \$\(PY\) -m pytest -n 2 --durations=15 --cov",
        makefile,
        re.M,
    )
    assert "__pycache__/" in (settings.project_root / ".gitignore").read_text("utf-8")
    assert re.search(r"^\t\$\(PY\) scripts/coverage_report.py$", makefile, re.M)
    assert "make test" in (settings.project_root / ".ci" / "run").read_text("utf-8")


def test_outputs_are_ignored_by_git(settings):
    ignore = (settings.project_root / ".gitignore").read_text("utf-8")
    assert "outputs/*" in ignore and ".venv/" in ignore


def test_importing_the_package_does_nothing(settings):
    code = (
        "import sys, report_utils; import report_utils.cli, report_utils.render, report_utils.cache;"
        "print(sorted(m for m in ('pandas','matplotlib','papermill','openpyxl') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_ruff_lint_is_clean(settings):
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "scripts"],
        cwd=settings.project_root,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


def test_building_the_project_prints_no_deprecation_warning(settings, tmp_path):
    """A deprecated setting (e.g. ``project.license`` as a TOML table) warns today and breaks
    the build on a later setuptools: the next analyst's ``make report`` would fail."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-cache-dir",
            "-w",
            str(tmp_path),
            str(settings.project_root),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    output = proc.stdout + proc.stderr
    assert "deprecat" not in output.lower(), output


def test_a_test_outside_the_rule_tests_runs_without_coverages_tracer(request):
    """conftest.py: coverage measures the rule tests only; any other test runs untraced,
    in an xdist worker under ``make test`` too (pytest-cov left a tracer on there, about
    twice the CPU for every test)."""
    assert request.node.get_closest_marker("no_cover")
    assert sys.gettrace() is None
