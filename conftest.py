"""How pytest runs the committed notebooks (nbval) next to the tests, on two xdist workers
and with coverage on.

nbval turns every cell of a notebook into a test item, all sharing one kernel that the
first cell starts. Two things in `make test` would break that, and both are fixed here
rather than by running the notebooks in a second pytest process (which would cost its own
start-up and leave a worker idle):

- pytest-xdist hands items to whichever worker is free, so cell 3 could run on a worker
  whose kernel never ran cells 1 and 2. The scheduler below keeps each notebook's cells
  together: one worker runs a notebook from top to bottom, as JupyterLab's "Run all" does;
  every other test is its own unit, shared out as ``--dist load`` does. (xdist's own
  ``--dist loadgroup`` would do this from an ``xdist_group`` mark, but with pytest 9.2 it
  silently stops grouping: it renames node ids through an attribute pytest no longer reads.)
- With ``--cov`` given without a module, nbval tries to start coverage *inside* the
  kernel with ``source=[True]``; coverage refuses that, nbval then waits a full minute per
  notebook for an idle message that never comes and errors every cell. Coverage here
  measures the rule modules through the tests (``[tool.coverage.run]`` in pyproject.toml),
  not the thin notebooks, so nbval's in-kernel coverage is switched off.
"""

from __future__ import annotations

import pytest


def _is_notebook_cell(item: pytest.Item) -> bool:
    return type(item).__name__ == "IPyNbCell"


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """xdist's documented hook for a scheduler of one's own."""
    from xdist.scheduler import LoadScopeScheduling

    class NotebookAtOnceScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path.endswith(".ipynb") else nodeid

    return NotebookAtOnceScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # nbval reads this option when its first cell starts the kernel (nbval/plugin.py,
    # IPyNbFile.setup); pytest-cov keeps its own copy of the options, so its measuring of
    # the tests is unaffected.
    if _is_notebook_cell(item) and getattr(item.config.option, "cov_source", None):
        item.config.option.cov_source = None
