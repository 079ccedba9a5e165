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

A report process that the fast engine forks from a test runs without coverage's tracer
(``_untraced_child``).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import pytest


def _untraced_child() -> None:
    # A report process forked by the fast engine inherits coverage's tracer from the test
    # process. Coverage never saves what such a child measures (the rules are measured in
    # the tests' own process), but the tracer is called on every Python function call there
    # and makes each report render about 1.6 times slower. A kernel has no tracer, so
    # removing it also keeps the child as JupyterLab would run it.
    sys.settrace(None)


os.register_at_fork(after_in_child=_untraced_child)


def _is_notebook_cell(item: pytest.Item) -> bool:
    return type(item).__name__ == "IPyNbCell"


# The test files whose tests read the session's one full render (tests/conftest.py,
# ``rendered_all``). They form one unit of work on one worker, which renders first thing
# while the other worker runs everything else; spread over both workers, the second would
# sit idle on the render's lock for half a minute.
SHARED_RENDER_FILES = {"tests/test_browser.py", "tests/test_meaning.py", "tests/test_report.py"}
# Files whose tests share a costly module- or session-scoped fixture, which is set up once
# per worker that runs any of their tests: one unit each, so it is set up once. test_outdir:
# a render; test_agreement: two agreement imports and spylls' dictionary (seconds each);
# test_collect: the blank forms and a collection round; test_forms: the forms, made by a
# CLI process; test_lab: a JupyterLab server.
FILE_UNITS = {
    "tests/test_outdir.py",
    "tests/test_agreement.py",
    "tests/test_collect.py",
    "tests/test_forms.py",
    "tests/test_lab.py",
}


class _Scheduler:
    """Registered only where pytest-xdist is loaded (its hook is unknown to pytest otherwise,
    e.g. under ``-p no:xdist``)."""

    @staticmethod
    def pytest_xdist_make_scheduler(config: pytest.Config, log):
        """xdist's documented hook for a scheduler of one's own: ``--dist load`` (each test
        its own unit), except that a notebook's cells and the shared render's readers stay
        together. xdist hands out the largest units first, then one unit at a time to
        whichever worker is free."""
        from xdist.scheduler import LoadScopeScheduling

        class SuiteScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                path = nodeid.split("::", 1)[0]
                if path.endswith(".ipynb") or path in FILE_UNITS:
                    return path
                return "shared render" if path in SHARED_RENDER_FILES else nodeid

        return SuiteScheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_Scheduler(), "report-utils-scheduler")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """In an xdist worker, stop the coverage pytest-cov started there by mistake.

    pytest-cov decides at start-up whether it runs in the controller from the options, and
    a worker gets the controller's ``-n 2``: so each worker first starts a controller's
    coverage (``DistMaster``), then, at session start, the worker's own (``DistWorker``) on
    top of it. Coverage keeps started collectors on a stack, and pausing the worker's for a
    ``no_cover`` test (below) resumed the controller's underneath: every test ran traced,
    about twice the CPU (test_collect: 19 s against 11 s), and the controller's data was
    never saved. Stopped here, before pytest-cov starts the worker's, it leaves the stack
    empty; what the worker measures and sends back is unchanged."""
    if getattr(session.config, "workerinput", None) is None:
        return
    controller = _coverage(session.config)
    if controller is not None and type(controller).__name__ == "DistMaster":
        controller.cov.stop()


def rule_test_files(root: Path) -> set[str]:
    """The tests of the rules: the files ``make mutation`` runs against each mutant
    (``[tool.mutmut]`` in pyproject.toml), one list for both measures of those tests."""
    with open(root / "pyproject.toml", "rb") as f:
        selection = tomllib.load(f)["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]
    return set(selection)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests marked ``slow`` and the notebooks first (a stable sort: otherwise in file
    order), so the longest single tests are not the last ones handed out while a worker
    idles.

    Coverage of the rule modules is measured by the tests of the rules alone (the files
    ``make mutation`` runs), less the end-to-end ones among them (marked ``slow``, or
    readers of the shared render). Every other test runs without coverage's tracer
    (pytest-cov's ``no_cover``; set-up included, below): on Python 3.11 an active tracer
    slows *all* Python code in the process, traced file or not (about 2-fold for
    test_validation.py, 1.7-fold for a full render), and those tests add no branch of the
    rules that the rule tests miss (both ways 99.3 %)."""
    rule_tests = rule_test_files(config.rootpath)
    for item in items:
        path = item.nodeid.split("::")[0]
        if item.get_closest_marker("slow") or path in SHARED_RENDER_FILES or path not in rule_tests:
            item.add_marker(pytest.mark.no_cover)
    # a notebook starts a kernel (seconds): not the last unit handed out either
    items.sort(key=lambda item: not (item.get_closest_marker("slow") or _is_notebook_cell(item)))


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item):
    """pytest-cov pauses coverage for a ``no_cover`` test's call only; its fixtures (the
    shared full render) are set up without it too.

    And a notebook's first cell starts its kernel here: nbval reads ``cov_source`` then
    (nbval/plugin.py, IPyNbFile.setup) to start coverage in the kernel, which is switched
    off (see the top of this file); pytest-cov keeps its own copy of the options, so its
    measuring of the tests is unaffected."""
    if _is_notebook_cell(item) and getattr(item.config.option, "cov_source", None):
        item.config.option.cov_source = None
    controller = _coverage(item.config) if item.get_closest_marker("no_cover") else None
    if controller is not None and controller.started:
        controller.pause()
        try:
            yield
        finally:
            controller.resume()
    else:
        yield


def _coverage(config: pytest.Config):
    plugin = config.pluginmanager.getplugin("_cov")
    return getattr(plugin, "cov_controller", None) if plugin else None
