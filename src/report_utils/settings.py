"""One settings object for paths and options; every path derives from here."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


ROOT_ENV = "REPORT_UTILS_ROOT"


def _find_project_root() -> Path:
    """``$REPORT_UTILS_ROOT`` if set (e.g. a copy of the project), else the checkout this
    package lives in (src layout: <root>/src/report_utils)."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV])
    candidate = PACKAGE_DIR.parent.parent
    if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
        return candidate
    return Path.cwd()


PDF_ENV = "REPORT_UTILS_PDF"


def _pdf_default() -> bool:
    """PDFs are printed unless ``$REPORT_UTILS_PDF`` is ``0`` (the test suite sets it, so
    that only the tests about PDFs spend the time printing them)."""
    return os.environ.get(PDF_ENV, "1").strip() not in ("0", "no", "false")


@dataclass(frozen=True)
class Settings:
    """Paths and options for loading data and rendering reports.

    Tests and the CLI build their own instance (``Settings(data_dir=...)``) instead of
    changing globals.
    """

    project_root: Path = field(default_factory=_find_project_root)
    data_dir: Path | None = None
    out_dir: Path | None = None
    notebook: Path | None = None
    jobs: int = 2
    timeout: float = 300.0  # seconds a report may run before it is stopped
    engine: str | None = None  # "fast", "kernel" or None: fast where forking is safe
    pdf: bool = field(default_factory=_pdf_default)  # print a PDF per report

    def __post_init__(self) -> None:
        root = Path(self.project_root).resolve()
        object.__setattr__(self, "project_root", root)
        object.__setattr__(self, "data_dir", Path(self.data_dir or root / "data").resolve())
        object.__setattr__(self, "out_dir", Path(self.out_dir or root / "outputs").resolve())
        nb = self.notebook or root / "notebooks" / "report.ipynb"
        object.__setattr__(self, "notebook", Path(nb).resolve())

    def with_(self, **changes) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def template_dir(self) -> Path:
        return PACKAGE_DIR / "templates"

    @property
    def html_dir(self) -> Path:
        return self.out_dir / "html"

    @property
    def executed_dir(self) -> Path:
        return self.out_dir / "notebooks"

    @property
    def pdf_dir(self) -> Path:
        return self.out_dir / "pdf"

    @property
    def cache_dir(self) -> Path:
        return self.out_dir / ".cache"


@contextlib.contextmanager
def environment_kept(**temporary: str):
    """Run a block (an import with side effects) with ``temporary`` variables set, then put
    ``os.environ`` back exactly as it was: what the block added or changed is undone."""
    saved = dict(os.environ)
    os.environ.update(temporary)
    try:
        yield
    finally:
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        os.environ.update(saved)
