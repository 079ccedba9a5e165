"""The two papermill engines that render reports: ``fast`` and ``kernel``.

``kernel`` is papermill's own engine (nbclient) on a real Jupyter kernel, one fresh kernel
per report, shut down immediately afterwards: exactly what ``papermill`` on the command
line does.

``fast`` gives the same notebook the same kernel without the cost of starting one. It is
papermill's nbclient engine too — nbclient sends the execute requests and turns every
message into outputs, as for any kernel — but the kernel it talks to is ipykernel's own
in-process kernel (:mod:`ipykernel.inprocess`), with a ``ZMQInteractiveShell`` registered
as *the* IPython shell instance. :class:`InProcessKernelApp` sets the process up the way
ipykernel's ``IPKernelApp`` sets up a kernel process: command line and profile
configuration, ``sys.stdout``/``sys.stderr`` as ipykernel output streams (which also
capture what subprocesses such as ``os.system`` write to file descriptors 1 and 2), the
display hook, SIGINT handling, the inline matplotlib backend, ``sys.path``, extensions and
startup code. So ``display(df)`` shows a table, ``get_ipython()`` is a kernel shell,
``%matplotlib inline``, ``clear_output``, widgets and ``input()`` (refused: papermill
allows no stdin) behave as in JupyterLab.

The in-process kernel owns the process it runs in (its streams, signal handlers and
matplotlib backend become the process's), so the renderer runs it only in a freshly
forked child per report (:mod:`report_utils.runner`), never in a user's session.

Timeouts. nbclient enforces ``execution_timeout`` by waiting for the kernel's reply; here
the cell runs inside the request, so the engine arms a timer (SIGALRM) for the cell's
timeout instead. With ``interrupt_on_timeout`` (the renderer's setting) the timer raises
``KeyboardInterrupt`` in the cell — what the SIGINT that nbclient sends to a real kernel
does — so both engines record the same error; without it the cell is stopped the same
way and :class:`~nbclient.exceptions.CellTimeoutError` is raised, as nbclient does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

ENGINE_FAST = "report_utils_fast"
ENGINE_KERNEL = "nbclient"  # papermill's own engine
ENGINES = {"fast": ENGINE_FAST, "kernel": ENGINE_KERNEL}

#: nbclient options both engines run with: a cell past its timeout is interrupted (and
#: fails with KeyboardInterrupt) and the kernel is shut down at once when done.
CLIENT_OPTIONS = {"interrupt_on_timeout": True, "shutdown_kernel": "immediate"}

_CONNECTION_FILE = "in-process"  # what `-f` names for a kernel that has no sockets


def fork_is_safe() -> bool:
    """Whether this platform can run the fast engine: it needs ``os.fork``, and forking a
    process without exec is unsafe on macOS (system frameworks may hold locks)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def _classes():
    """Build the engine's classes on first use: importing ipykernel, nbclient and papermill
    takes time, and ``import report_utils.engine`` must stay cheap."""
    from ipykernel.inprocess.blocking import BlockingInProcessKernelClient
    from ipykernel.inprocess.ipkernel import InProcessKernel
    from ipykernel.inprocess.manager import InProcessKernelManager
    from ipykernel.kernelapp import IPKernelApp
    from ipykernel.zmqshell import ZMQInteractiveShell
    from IPython.core.application import BaseIPythonApplication
    from IPython.core.interactiveshell import InteractiveShell
    from nbclient.exceptions import CellTimeoutError
    from nbclient.util import run_sync
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.utils import merge_kwargs, remove_args
    from traitlets import default

    class Kernel(InProcessKernel):
        """ipykernel's in-process kernel with the shell a Jupyter kernel runs."""

        @default("shell_class")
        def _default_shell_class(self):
            return ZMQInteractiveShell

    class App(IPKernelApp):
        """``IPKernelApp``'s set-up of a kernel process, with the in-process kernel in place
        of sockets. The steps and their order are ``IPKernelApp.initialize``'s. (Named
        ``IPKernelApp`` below: code tells a notebook from a terminal by that config name.)"""

        def start_in_process(self, session, argv: list[str]) -> Kernel:
            BaseIPythonApplication.initialize(self, argv)  # command line, profile, config
            self.init_pdb()
            self.session = session
            self.kernel = kernel = Kernel.instance(  # the process's kernel, as in init_kernel
                parent=self,
                session=session,
                profile_dir=self.profile_dir,
                user_ns=self.user_ns,
                log=self.log,
            )
            self.iopub_thread = kernel.iopub_thread
            self.iopub_socket = kernel.iopub_socket
            self.init_io()
            # the in-process kernel swaps in its own streams during each request: make
            # those the process's streams, so that nothing is swapped
            kernel.stdout, kernel.stderr = sys.stdout, sys.stderr
            self.init_signal()
            self.displayhook.get_execution_count = lambda: kernel.execution_count
            self.init_path()
            self.init_shell()
            self.init_gui_pylab()
            _matplotlib_as_imported()
            self.init_extensions()
            self.init_code()
            sys.stdout.flush()
            sys.stderr.flush()
            return kernel

    App.__name__ = App.__qualname__ = "IPKernelApp"

    class Client(BlockingInProcessKernelClient):
        """The in-process client, with requests handled on the caller's event loop.

        ipykernel's client runs each request to completion inside ``execute()``, on a
        helper thread when an event loop is already running (as in nbclient). Here a request
        is awaited on nbclient's own loop in the main thread, so a cell runs in the main
        thread as in a kernel process and can be interrupted by a signal.
        """

        cell_timeout: float | None = None
        timed_out = False
        _pending = None

        def _dispatch_to_kernel(self, msg):
            kernel = self.kernel
            stream = kernel.shell_stream
            self.session.send(stream, msg)
            parts = stream.recv_multipart()
            timeout = self.cell_timeout if msg["header"]["msg_type"] == "execute_request" else 0

            async def handle():
                with _alarm(timeout) as alarm:
                    await kernel.dispatch_shell(parts)
                self.timed_out = alarm.fired
                _idents, reply = self.session.recv(stream, copy=False)
                self.shell_channel.call_handlers_later(reply)

            self._pending = handle()

        async def _finish(self, msg_id):
            pending, self._pending = self._pending, None
            await pending
            return msg_id

        def _run(self, msg_id):
            """Awaitable inside an event loop (nbclient); completed at once outside one
            (papermill asks for ``kernel_info`` synchronously)."""
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                from jupyter_core.utils import ensure_event_loop

                return ensure_event_loop().run_until_complete(self._finish(msg_id))
            return self._finish(msg_id)

        def execute(self, *args, **kwargs):
            return self._run(super().execute(*args, **kwargs))

        def kernel_info(self):
            return self._run(super().kernel_info())

        def comm_info(self, target_name=None):
            return self._run(super().comm_info(target_name))

        def is_alive(self):
            return self.kernel is not None

        async def wait_for_ready(self, timeout=None):
            await self.kernel_info()
            self.shell_channel.get_msg(timeout=timeout or 1)

    class Manager(InProcessKernelManager):
        """Starts the in-process kernel as a kernel process would start (see App)."""

        def start_kernel(self, extra_arguments=None, **kwargs):
            if InteractiveShell.initialized():
                if not App.initialized():
                    raise RuntimeError(
                        "the fast engine makes this process a kernel: run it in a process of "
                        "its own (the renderer forks one per report), not inside IPython"
                    )
                for cls in (App, Kernel, ZMQInteractiveShell):  # an earlier run's kernel
                    cls.clear_instance()
            app = App.instance()
            self.kernel = app.start_in_process(
                self.session, ["-f", _CONNECTION_FILE, *(extra_arguments or [])]
            )

        def shutdown_kernel(self, now=False, restart=False):
            # A kernel process ends here; this process goes on (papermill saves the notebook,
            # the renderer exports it), so give it back its own streams first.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
                    stream.close()  # ipykernel's streams: stop capturing file descriptors
            if App.initialized():
                App.instance().reset_io()
            super().shutdown_kernel()

        def client(self, **kwargs):
            return Client(parent=self, session=self.session, kernel=self.kernel)

        def cleanup_resources(self, restart=False):
            # awaitable on nbclient's loop: jupyter_client's synchronous wrapper would hand it
            # to a helper thread, and a forked process may have inherited a dead one
            return self._async_cleanup_resources(restart=restart)

    class NotebookClient(PapermillNotebookClient):
        async def async_execute_cell(self, cell, cell_index, execution_count=None, **kwargs):
            timeout = self._get_timeout(cell)
            self.kc.cell_timeout = timeout
            result = await super().async_execute_cell(cell, cell_index, execution_count, **kwargs)
            if self.kc.timed_out and not self.interrupt_on_timeout:
                if cell.outputs and cell.outputs[-1].get("ename") == "KeyboardInterrupt":
                    cell.outputs.pop()  # nbclient leaves the cell running; its output ends here
                raise CellTimeoutError.error_from_timeout_and_cell(
                    "Cell execution timed out", timeout, cell
                )
            return result

        async def _check_raise_for_error(self, cell, cell_index, exec_reply):
            if self.kc.timed_out and not self.interrupt_on_timeout:
                return None  # raised as a timeout above, as nbclient does
            return await super()._check_raise_for_error(cell, cell_index, exec_reply)

        execute_cell = run_sync(async_execute_cell)  # nbclient binds its own at class level

    class FastEngine(NBClientEngine):
        """papermill's nbclient engine on the in-process kernel (see the module docstring)."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            # as NBClientEngine.execute_managed_notebook, with this engine's client and manager
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                kernel_manager_class=Manager,
            )
            return NotebookClient(nb_man, **final_kwargs).execute()

    return FastEngine


class _Alarm:
    fired = False


@contextlib.contextmanager
def _alarm(seconds: float | None):
    """Raise KeyboardInterrupt in the main thread if the block runs longer than ``seconds``.

    The handler is Python's own SIGINT handler (``signal.default_int_handler``, written in
    C), so the traceback a cell shows is the one a real kernel shows when interrupted.
    """
    alarm = _Alarm()
    if not seconds:
        yield alarm
        return
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield alarm
    finally:
        remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
        alarm.fired = remaining == 0
        signal.signal(signal.SIGALRM, previous)


def _matplotlib_as_imported() -> None:
    """Apply ``MPLBACKEND`` (just set, as IPKernelApp does) if matplotlib was imported before
    the kernel started (the renderer imports it before forking): matplotlib reads the
    variable when it is imported, so a kernel process that imports it later sees it."""
    mpl = sys.modules.get("matplotlib")
    backend = os.environ.get("MPLBACKEND")
    if mpl is not None and backend:
        mpl.rcParams["backend"] = backend


def register() -> str:
    """Make the fast engine known to papermill (idempotent); returns its name."""
    from papermill.engines import papermill_engines

    if ENGINE_FAST not in papermill_engines._engines:
        papermill_engines.register(ENGINE_FAST, _classes())
    return ENGINE_FAST


def preload() -> None:
    """Import what the fast engine needs, without starting anything (no threads, no
    sockets, no shell instance), so that forked children share the imports.

    debugpy, which ipykernel imports, warns about frozen modules unless told not to (a
    Jupyter kernel is started with ``-Xfrozen_modules=off`` and never warns), and sets
    ``PYDEVD_USE_FRAME_EVAL`` when imported: the caller's environment is left as it was.
    """
    from .settings import environment_kept

    with environment_kept(PYDEVD_DISABLE_FILE_VALIDATION="1"):
        import ipykernel.debugger  # noqa: F401
        import ipykernel.inprocess.blocking  # noqa: F401
        import ipykernel.inprocess.ipkernel  # noqa: F401
        import ipykernel.kernelapp  # noqa: F401
    register()
