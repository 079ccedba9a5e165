"""The output folder: one render at a time, files written whole, problems in one line.

* **One render per folder.** :func:`render_lock` holds a lock (filelock) on
  ``<out>/.render.lock`` for the whole run; a second render into the same folder says who
  holds it and waits.
* **Files are written whole.** Every file — HTML, executed notebook, manifest, catalog,
  landing page — is written to a unique temporary name beside its target and renamed
  into place (:func:`write_atomic`), so a reader, or a render that was killed, sees the
  old file or the new one, never half of one. Temporary files an interrupted run left
  behind are removed by the next run (:func:`remove_stale_temps`), which holds the lock,
  so no other render can be writing them.
* **Problems with the folder** — ``--out`` is a file, the folder is read-only, ``html``
  or ``.cache`` is a file, the disk is full — become an :class:`OutputFolderError` with
  one Swedish line (:func:`describe`): what could not be written, where, and why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

from .errors import ReportError

LOCK_NAME = ".render.lock"
HOLDER_NAME = ".render.lock.json"
#: Our temporary names: ``.<target name>.<pid>-<random>.tmp[<suffix>]`` (and older forms).
_TEMP = re.compile(r"^\..+\.tmp(\.[a-z]+)?$|^manifest\.tmp$")


class OutputFolderError(ReportError):
    """Raised when the output folder cannot be used or written (a file in the way, no
    permission, a read-only or full disk)."""

    exit_code = 1


_REASONS = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EACCES: "åtkomst nekad (mappen är skrivskyddad eller tillhör någon annan)",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.EISDIR: "sökvägen är en mapp, inte en fil",
    errno.ENAMETOOLONG: "sökvägen är för lång",
}
#: OS errors that are the folder's fault, not one report's: the whole run stops on them.
FOLDER_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS})


def describe(exc: OSError, path: Path | str | None = None) -> str:
    """One Swedish line for an OS error on ``path``: what failed, where and why."""
    where = path or exc.filename or "utmappen"
    reason = _REASONS.get(exc.errno) or exc.strerror or exc.__class__.__name__
    return f"kunde inte skriva {where}: {reason}"


def folder_error(exc: OSError, path: Path | str | None = None) -> OutputFolderError:
    return OutputFolderError(describe(exc, path))


# -- writing files whole ------------------------------------------------------------------
def temp_name(path: Path, keep_suffix: bool = False) -> Path:
    """A unique temporary name beside ``path`` (same folder: the rename stays atomic),
    ending in ``.tmp`` — or in ``.tmp`` and the target's suffix for tools that check it."""
    suffix = path.suffix if keep_suffix else ""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp{suffix}")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` via a unique temporary file and a rename.

    On any failure the temporary file is removed and ``path`` is left as it was. No fsync:
    this protects against interrupted and concurrent runs, not against power loss.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = temp_name(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno is not None:  # name the file, not the temp
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def replace_into_place(tmp: Path, path: Path) -> None:
    """Rename a finished temporary file onto its target."""
    os.replace(tmp, path)


def remove_stale_temps(
    out_dir: Path, folders: tuple[str, ...] = ("html", "pdf", "notebooks", ".cache")
):
    """Delete temporary files earlier runs left behind (call with the lock held)."""
    removed = 0
    for name in folders:
        top = Path(out_dir) / name
        if not top.is_dir():
            continue
        for dirpath, _dirnames, filenames in os.walk(top):
            for filename in filenames:
                if _TEMP.match(filename):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(os.path.join(dirpath, filename))
                        removed += 1
    return removed


def temp_files(out_dir: Path) -> list[Path]:
    """Temporary files present in the output folder (none, once a run has ended)."""
    return [p for p in Path(out_dir).rglob("*") if _TEMP.match(p.name)]


# -- the folder -------------------------------------------------------------------------------
def prepare(out_dir: Path, subdirs: tuple[str, ...]) -> None:
    """Create ``out_dir`` and its ``subdirs`` and check that each can be written to.

    Raises :class:`OutputFolderError` naming the path that is in the way or not writable.
    """
    out_dir = Path(out_dir)
    for path in (out_dir, *(out_dir / s for s in subdirs)):
        if path.exists() and not path.is_dir():
            where = "utmappen" if path == out_dir else f"{path.name!r} i utmappen"
            raise OutputFolderError(
                f"{where} {path} är en fil, inte en mapp; ta bort eller byt namn på filen, "
                "eller välj en annan utmapp med --out"
            )
        try:
            path.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file somewhere above it
            raise OutputFolderError(
                f"kan inte skapa utmappen {path}: en del av sökvägen är en fil"
            ) from None
        except OSError as exc:
            raise folder_error(exc, path) from None
        _probe(path)


def _probe(folder: Path) -> None:
    """Write and remove a small temporary file: finds read-only folders and full disks."""
    probe = temp_name(folder / "skrivtest")
    try:
        with open(probe, "wb") as fh:
            fh.write(b"\0" * 4096)
    except OSError as exc:
        raise folder_error(exc, folder) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(probe)


# -- one render at a time -------------------------------------------------------------------
@contextlib.contextmanager
def render_lock(out_dir: Path, say) -> Iterator[None]:
    """Hold ``<out>/.render.lock`` while rendering; if another render holds it, ``say`` who
    (process, host, start time) and wait for it to finish."""
    from filelock import FileLock, Timeout

    out_dir = Path(out_dir)
    lock = FileLock(str(out_dir / LOCK_NAME))
    holder = out_dir / HOLDER_NAME
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            say(
                f"En annan rendering skriver till {out_dir} ({_holder_text(holder)}); "
                "väntar tills den är klar …"
            )
            lock.acquire()
    except OSError as exc:
        raise folder_error(exc, out_dir / LOCK_NAME) from None
    try:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):
            write_atomic(holder, json.dumps(info))
        yield
    finally:
        with contextlib.suppress(OSError):
            holder.unlink()
        lock.release()


def _holder_text(holder: Path) -> str:
    try:
        info = json.loads(holder.read_text("utf-8"))
        started = info["started"].replace("T", " ")
        return f"process {info['pid']} på {info['host']}, startad {started}"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "okänd process"
