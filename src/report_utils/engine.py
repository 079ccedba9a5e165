"""A papermill engine that runs a notebook's cells in this Python process.

Batch rendering forks one child process per report from a parent that has already
imported pandas, matplotlib and this package (see :mod:`report_utils.render`). Each
child runs its notebook here, in a fresh IPython shell: the kernel start-up and the
heavy imports are paid once per batch, yet every report starts from a clean state in
a process of its own. Outputs are recorded exactly as a Jupyter kernel would emit them
(``stream``, ``display_data``, ``execute_result``, ``error``) so papermill and nbconvert
treat the result like any executed notebook.
"""

from __future__ import annotations

import sys
import traceback

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines
from traitlets import Type

ENGINE_NAME = "report_utils_inprocess"


class _Recorder:
    """Where the current cell's outputs go."""

    def __init__(self) -> None:
        self.outputs: list = []

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))


class _Stream:
    def __init__(self, recorder: _Recorder, name: str) -> None:
        self.recorder, self.name = recorder, name

    def write(self, text: str) -> int:
        self.recorder.stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    recorder: _Recorder | None = None

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        self.recorder.outputs.append(
            nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})
        )

    def clear_output(self, wait=False):
        self.recorder.outputs.clear()


class _DisplayHook(DisplayHook):
    recorder: _Recorder | None = None

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.recorder.outputs.append(
            nbformat.v4.new_output(
                "execute_result",
                data=format_dict,
                metadata=md_dict or {},
                execution_count=self.shell.execution_count,
            )
        )

    def finish_displayhook(self):
        pass


class _Shell(InteractiveShell):
    """An IPython shell whose displays, results and errors become notebook outputs."""

    recorder: _Recorder
    display_pub_class = Type(_Publisher)
    displayhook_class = Type(_DisplayHook)

    def _showtraceback(self, etype, evalue, stb):
        self.recorder.outputs.append(
            nbformat.v4.new_output(
                "error",
                ename=getattr(etype, "__name__", str(etype)),
                evalue=str(evalue),
                traceback=list(stb),
            )
        )


def new_shell() -> _Shell:
    """A fresh shell with an empty namespace (no history database, no colours)."""
    from traitlets.config import Config

    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "nocolor"
    cfg.InteractiveShell.xmode = "Context"
    shell = _Shell(config=cfg)
    shell.recorder = _Recorder()
    shell.display_pub.recorder = shell.recorder
    shell.displayhook.recorder = shell.recorder
    return shell


class InProcessEngine(Engine):
    """Runs each code cell with :func:`new_shell`; stops at the first error like nbclient."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        shell = new_shell()
        recorder = shell.recorder
        saved = sys.stdout, sys.stderr
        try:
            for index, cell in enumerate(nb_man.nb.cells):
                if cell.cell_type != "code":
                    continue
                nb_man.cell_start(cell, index)
                recorder.outputs = cell.outputs = []
                sys.stdout, sys.stderr = _Stream(recorder, "stdout"), _Stream(recorder, "stderr")
                try:
                    result = shell.run_cell(cell.source, store_history=True, silent=False)
                except BaseException:  # the shell itself failed: record it like a kernel would
                    etype, evalue, tb = sys.exc_info()
                    shell._showtraceback(etype, evalue, traceback.format_exception(evalue))
                    result = None
                finally:
                    sys.stdout, sys.stderr = saved
                cell.execution_count = shell.execution_count - 1
                if result is None or not result.success:
                    nb_man.cell_exception(cell, index)
                    nb_man.cell_complete(cell, index)
                    break
                nb_man.cell_complete(cell, index)
        finally:
            sys.stdout, sys.stderr = saved
        return nb_man.nb


def register() -> str:
    """Make the engine known to papermill; returns its name."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
    return ENGINE_NAME
