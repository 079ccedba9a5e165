"""Shared fixtures: the project's paths, a validated data set, and editable copies of data/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from report_utils.model import load_dataset
from report_utils.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

# notebooks under fixtures/ are inputs that tests run with chosen settings, not tests (nbval)
collect_ignore_glob = ["fixtures/*.ipynb"]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def dataset(settings):
    return load_dataset(settings.data_dir)


@pytest.fixture
def data_copy(tmp_path, settings) -> Path:
    """A private copy of data/ that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(settings.data_dir, target, ignore=shutil.ignore_patterns("sources"))
    return target


def header_index(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def edit_cell(
    path: Path,
    sheet: str,
    column: str,
    value,
    *,
    where: tuple[str, object] | None = None,
    row: int | None = None,
) -> int:
    """Set one cell of an xlsx (by header name; row by Excel number or by a key column).

    Returns the Excel row number edited.
    """
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book[sheet]
    cols = header_index(ws)
    if row is None:
        key, wanted = where
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cols[key]).value == wanted)
    ws.cell(row, cols[column]).value = value
    book.save(path)
    return row


def cell_value(path: Path, sheet: str, column: str, row: int):
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True)[sheet]
    cols = header_index(ws)
    return ws.cell(row, cols[column]).value


@pytest.fixture(scope="session", autouse=True)
def _pdfs_only_where_asked():
    """Renders print no PDF unless a test asks (``Settings(pdf=True)``, or a CLI run with
    ``REPORT_UTILS_PDF`` set to 1): only the tests about PDFs spend the time printing."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REPORT_UTILS_PDF", "0")
        yield


@pytest.fixture(scope="session")
def rendered_all(tmp_path_factory, settings):
    """Every report, its PDF (where Chromium is installed) and the landing page, rendered
    once per test session — once for all
    pytest-xdist workers too: the first worker renders into a folder they share, the others
    wait on a lock and read it (pytest-xdist's documented pattern for session fixtures)."""
    from filelock import FileLock

    from report_utils.render import render

    base = tmp_path_factory.getbasetemp()
    # under xdist each worker has its own base folder inside the run's: share the run's
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "rendered-all"
    done = shared / "rendered-all.ok"
    with FileLock(str(shared / "rendered-all.lock")):
        if not done.exists():
            summary = render(settings.with_(out_dir=out, pdf=True), progress=False)
            assert not summary.failed, [(o.department, o.year, o.error) for o in summary.failed]
            done.write_text("ok", "utf-8")
    return settings.with_(out_dir=out)


# -- the README followed literally (test_collect, test_newyear, test_agreement) ---------------
def readme_steps(settings: Settings, heading: str) -> list[str]:
    """The shell commands of one README section (its ```sh blocks), as a user reads them."""
    import re

    readme = (settings.project_root / "README.md").read_text("utf-8")
    section = readme.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [s.strip() for s in re.findall(r"```sh\n(.*?)\n\s*```", section, re.S)]


class ReadmeProject:
    """A copy of the project as an analyst has it (data, notebooks, pyproject.toml) in which
    README commands run as typed: in its folder, as separate processes, with ``.venv/bin/
    python`` being the test's interpreter. ``env``: the environment (default: this one)."""

    def __init__(self, settings: Settings, folder: Path, env: dict | None = None):
        self.path = folder
        shutil.copytree(settings.data_dir, folder / "data")
        shutil.copytree(settings.project_root / "notebooks", folder / "notebooks")
        shutil.copy(settings.project_root / "pyproject.toml", folder / "pyproject.toml")
        self.env = {**(os.environ if env is None else env), "REPORT_UTILS_ROOT": str(folder)}

    def run(self, command: str):
        import subprocess
        import sys

        argv = command.split()
        argv[0] = sys.executable  # the project's .venv python, here the test's interpreter
        return subprocess.run(argv, cwd=self.path, env=self.env, capture_output=True, text=True)
