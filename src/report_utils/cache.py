"""Cache keys for incremental rendering — computed from file bytes, without importing pandas.

A report's key covers everything its HTML depends on: the notebook, the data files that
report reads, the helper package's source and templates, the parameters, and the
versions of the libraries that shape the output. Changed data invalidates exactly the
reports that read it (unlike jupyter-cache, which keys on code cells only).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .settings import PACKAGE_DIR

#: Libraries whose version can change a rendered report's bytes.
LIBRARIES = (
    "babel",
    "ipython",
    "matplotlib",
    "nbconvert",
    "nbformat",
    "numpy",
    "openpyxl",
    "pandas",
    "pandera",
    "papermill",
)
SHARED_DATA = ("referens.xlsx", "insatser_2018-2019.xlsx", "koppling.xlsx")
YEAR_DATA = ("mal.xlsx", "indikatorvarden.xlsx")


@lru_cache(maxsize=256)
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


@lru_cache(maxsize=1)
def package_digest() -> str:
    """sha256 over the helper package's source and templates."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".json", ".css"}:
            h.update(str(path.relative_to(PACKAGE_DIR)).encode())
            h.update(file_digest(path).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return versions


def data_files(data_dir: Path, year: int, goal_years: list[int]) -> list[Path]:
    """The data files the report for ``year`` reads.

    Every report reads the shared workbooks. A goal year's report reads its own goals and
    values and those of earlier goal years (trends); a 2018–2019 report reads the latest
    goals workbook (to name each initiative's successor), not its indicator values.
    """
    data_dir = Path(data_dir)
    files = [data_dir / name for name in SHARED_DATA]
    if year in goal_years:
        for y in (y for y in goal_years if y <= year):
            files += [data_dir / str(y) / name for name in YEAR_DATA]
    elif goal_years:
        files.append(data_dir / str(goal_years[-1]) / "mal.xlsx")
    return files


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
    notebook: Path, data_dir: Path, department: str, year: int, goal_years: list[int]
) -> ReportKey:
    payload = {
        "notebook": file_digest(notebook),
        "data": {
            str(p.relative_to(data_dir)): file_digest(p)
            for p in data_files(data_dir, year, goal_years)
        },
        "package": package_digest(),
        "parameters": {"department": department, "year": year},
        "libraries": library_versions(),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return ReportKey(department, year, digest)


class Manifest:
    """What was rendered with which key: ``<out>/.cache/manifest.json``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text("utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.entries = {}

    @staticmethod
    def name(department: str, year: int) -> str:
        return f"{year}/{department}"

    def is_fresh(self, key: ReportKey, html: Path) -> bool:
        return (
            html.is_file() and self.entries.get(self.name(key.department, key.year)) == key.digest
        )

    def record(self, key: ReportKey) -> None:
        self.entries[self.name(key.department, key.year)] = key.digest

    def forget(self, department: str, year: int) -> None:
        self.entries.pop(self.name(department, year), None)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True), "utf-8")
        os.replace(tmp, self.path)
