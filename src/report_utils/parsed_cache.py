"""Workbooks as read and checked, kept on disk from one command to the next.

Every command reads the workbooks it needs and checks them cell by cell: about 0.1 s per
workbook and most of a short command's time. The commands of a collection round
(``forms``, ``collect``, ``status``, ``rebuild-values``), a ``validate`` before a
``render`` and the render itself each run in a process of their own and mostly read files
the one before read unchanged. So what reading a file gave — its sheets and its problems —
is kept in the output folder's ``.cache`` under a key of everything it depends on
(:func:`report_utils.cache.workbook_key`: the file's bytes, the schema, the name it is
reported under, this package's code, the library versions) and read back by the next
command. An edited file has other bytes, hence another key: it is read again.

Only a command-line run keeps results (``cli.main`` opens :func:`kept_in`; a notebook or a
test reading data in its own process does not), and only in an output folder that exists,
so that a command refused for its parameters writes nothing. A kept result that cannot be
read (damaged, from an incompatible pickle) costs time only: the file is read again and
the result kept anew. The :data:`KEEP` most recently used results stay; older ones go.

Hand-written rather than joblib.Memory or diskcache: the key must be the file's bytes and
the package's code (neither library hashes a package's source), pruning is ten lines, and
the results are pickled as the renderer's data store already pickles data sets.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

PREFIX = "arbetsbok-"
SUFFIX = ".pickle"
#: results kept: a data folder holds about 10 workbooks, each edit of one adds a result
KEEP = 200

_folder: Path | None = None


@contextlib.contextmanager
def kept_in(cache_dir: Path) -> Iterator[None]:
    """Keep and reuse results in ``cache_dir`` while the block runs (one command)."""
    global _folder
    previous, _folder = _folder, Path(cache_dir)
    try:
        yield
    finally:
        _folder = previous


def active() -> bool:
    return _folder is not None


def path_for(key: str) -> Path | None:
    return None if _folder is None else _folder / f"{PREFIX}{key}{SUFFIX}"


def load(key: str) -> object | None:
    """The result kept under ``key``, or None (none kept, or unreadable)."""
    path = path_for(key)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            found = pickle.load(fh)  # written by this package into the user's output folder
    except Exception:  # noqa: BLE001 — a damaged pickle raises almost anything; costs time only
        return None
    with contextlib.suppress(OSError):  # a read-only folder: still a result
        os.utime(path)  # used now: pruned last
    return found


def save(key: str, result: object) -> None:
    """Keep ``result`` under ``key`` if the output folder exists; never fails the command."""
    from .outdir import write_atomic

    path = path_for(key)
    if path is None or not path.parent.parent.is_dir():
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        write_atomic(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(path.parent)


def _prune(folder: Path) -> None:
    kept = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        with contextlib.suppress(OSError):
            kept.append((path.stat().st_mtime_ns, path.name, path))
    kept.sort(reverse=True)
    for *_, path in kept[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()
