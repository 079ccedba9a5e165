"""Cache keys for incremental rendering — computed from file bytes, without importing pandas.

A report's key covers everything its HTML depends on: the notebook, the data files that
report reads (declared once in :func:`report_utils.model.report_inputs`), the catalog's
departments and years (every report may link to the others), the helper package's source
and templates, the parameters, and the versions of the libraries that shape the output.
Changed data invalidates exactly the reports that read it (unlike jupyter-cache, which
keys on code cells only).

The digests are memoised per process, keyed by each file's path, size and modification
time (an edited file is hashed again); :func:`clear_caches` forgets them.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .settings import PACKAGE_DIR

#: Libraries whose version can change a rendered report's bytes.
LIBRARIES = (
    "babel",
    "ipykernel",
    "ipython",
    "jinja2",
    "matplotlib",
    "nbclient",
    "nbconvert",
    "nbformat",
    "numpy",
    "openpyxl",
    "pandas",
    "pandera",
    "papermill",
)
PACKAGE_SUFFIXES = {".py", ".j2", ".json", ".css"}
#: Libraries whose version can change what reading a workbook gives (or whether a kept
#: result can be unpickled): a subset of :data:`LIBRARIES`, looked up in a few ms.
PARSING_LIBRARIES = ("numpy", "openpyxl", "pandas", "pandera")


@lru_cache(maxsize=512)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes ('-' if it does not exist)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "-"
    return _file_digest(str(path), st.st_size, st.st_mtime_ns)


def package_digest() -> str:
    """sha256 over the helper package's source and templates."""
    files = sorted(
        p for p in PACKAGE_DIR.rglob("*") if p.suffix in PACKAGE_SUFFIXES and p.is_file()
    )
    return _digest_of(tuple((str(p.relative_to(PACKAGE_DIR)), file_digest(p)) for p in files))


@lru_cache(maxsize=8)
def _digest_of(items: tuple) -> str:
    h = hashlib.sha256()
    for name, digest in items:
        h.update(name.encode())
        h.update(digest.encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    return _versions(LIBRARIES)


@lru_cache(maxsize=1)
def parsing_library_versions() -> dict[str, str]:
    return _versions(PARSING_LIBRARIES)


def _versions(names: Iterable[str]) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return versions


def workbook_key(content: bytes, schema: str, label: str) -> str:
    """The key of one workbook as read and checked (:mod:`report_utils.parsed_cache`): its
    bytes, the schema it is read with (``repr`` of its :class:`~report_utils.schemas.
    Workbook`), the name its problems are reported under, this package's code and the
    versions of Python and the libraries that read it."""
    payload = {
        "content": hashlib.sha256(content).hexdigest(),
        "schema": schema,
        "label": label,
        "package": package_digest(),
        "libraries": parsing_library_versions(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def clear_caches() -> None:
    """Forget memoised digests and library versions (e.g. after installing a package)."""
    _file_digest.cache_clear()
    _digest_of.cache_clear()
    library_versions.cache_clear()
    parsing_library_versions.cache_clear()


def data_version(data_dir: Path) -> str:
    """A short hash over every data file: shown on the landing page as the data version."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.xlsx")):
        if path.name.startswith("~$"):
            continue
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(file_digest(path).encode())
    return h.hexdigest()[:10]


@dataclass(frozen=True)
class ReportKey:
    department: str
    year: int
    digest: str


def report_key(
    notebook: Path,
    data_dir: Path,
    department: str,
    year: int,
    files: Iterable[Path],
    catalog_departments: Iterable[str],
    catalog_years: Iterable[int],
) -> ReportKey:
    """The key of one report; ``files`` are the data files it reads (its declared inputs)."""
    data_dir = Path(data_dir)
    payload = {
        "notebook": file_digest(notebook),
        "data": {Path(p).relative_to(data_dir).as_posix(): file_digest(p) for p in files},
        "catalog": {"departments": list(catalog_departments), "years": list(catalog_years)},
        "package": package_digest(),
        "parameters": {"department": department, "year": year},
        "libraries": library_versions(),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return ReportKey(department, year, digest)


class Manifest:
    """What was rendered with which key: ``<out>/.cache/manifest.json``.

    Each entry records the key and the sizes of the HTML and executed notebook written for
    it, so a report whose files are missing, or were replaced or cut short by something
    else, renders again. Each report's PDF has an entry of its own (``pdfs``): its key
    (:func:`report_utils.pdf.pdf_key`: the HTML's bytes and the printer), the digest of the
    HTML it was printed from, and its size. Saved by
    :func:`report_utils.outdir.write_atomic`.
    """

    VERSION = 2

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: dict[str, dict] = {}
        self.pdfs: dict[str, dict] = {}
        try:
            stored = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError, ValueError):
            return
        if isinstance(stored, dict) and stored.get("v") == self.VERSION:
            self.entries = {k: v for k, v in stored.get("reports", {}).items() if _entry_ok(v)}
            pdfs = stored.get("pdfs", {})
            if isinstance(pdfs, dict):
                self.pdfs = {k: v for k, v in pdfs.items() if _pdf_entry_ok(v)}

    @staticmethod
    def name(department: str, year: int) -> str:
        return f"{year}/{department}"

    def is_fresh(self, key: ReportKey, html: Path, executed: Path) -> bool:
        entry = self.entries.get(self.name(key.department, key.year))
        return (
            entry is not None
            and entry["key"] == key.digest
            and _size(html) == entry["html"]
            and _size(executed) == entry["executed"]
        )

    def record(self, key: ReportKey, html: Path, executed: Path) -> None:
        self.entries[self.name(key.department, key.year)] = {
            "key": key.digest,
            "html": _size(html),
            "executed": _size(executed),
        }

    def forget(self, department: str, year: int) -> None:
        self.entries.pop(self.name(department, year), None)

    def pdf_is_fresh(self, department: str, year: int, key: str, pdf: Path) -> bool:
        """Whether ``pdf`` is the one printed with ``key`` (its HTML's bytes and the printer)."""
        entry = self.pdfs.get(self.name(department, year))
        return entry is not None and entry["key"] == key and _size(pdf) == entry["size"]

    def pdf_matches(self, department: str, year: int, html_digest: str, pdf: Path) -> bool:
        """Whether ``pdf`` was printed from the HTML whose sha256 is ``html_digest`` (by
        whatever printer): it still shows what the report shows."""
        entry = self.pdfs.get(self.name(department, year))
        return entry is not None and entry["html"] == html_digest and _size(pdf) == entry["size"]

    def record_pdf(self, department: str, year: int, key: str, html_digest: str, pdf: Path):
        self.pdfs[self.name(department, year)] = {
            "key": key,
            "html": html_digest,
            "size": _size(pdf),
        }

    def forget_pdf(self, department: str, year: int) -> None:
        self.pdfs.pop(self.name(department, year), None)

    def to_json(self) -> str:
        stored = {"v": self.VERSION, "reports": self.entries, "pdfs": self.pdfs}
        return json.dumps(stored, indent=1, sort_keys=True)

    def save(self) -> None:
        from .outdir import write_atomic

        write_atomic(self.path, self.to_json())


def _size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size
    except (FileNotFoundError, NotADirectoryError):
        return None


def _entry_ok(entry: object) -> bool:
    return isinstance(entry, dict) and {"key", "html", "executed"} <= set(entry)


def _pdf_entry_ok(entry: object) -> bool:
    return isinstance(entry, dict) and {"key", "html", "size"} <= set(entry)
