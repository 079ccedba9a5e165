"""The exception hierarchy: one root, a few subclasses, each with a one-line purpose."""

from __future__ import annotations

from dataclasses import dataclass


class ReportError(Exception):
    """Raised for any problem the user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class ParameterError(ReportError):
    """Raised when a department, year or path given on the command line is not valid."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one cell (or sheet, or file) of the input data."""

    file: str
    sheet: str = ""
    row: int | None = None  # as Excel shows it (header is row 1)
    column: str = ""
    value: object = ""
    expected: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", blad '{self.sheet}'"
        if self.row is not None:
            where += f", rad {self.row}"
        if self.column:
            where += f", kolumn '{self.column}'"
        value = "" if self.value in ("", None) else f": värdet {self.value!r}"
        return f"{where}{value} — {self.expected}"


class DataValidationError(ReportError):
    """Raised when the data files break their schemas; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.sheet, p.row or 0, p.column))
        lines = [f"{len(self.problems)} problem i indata:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class RenderError(ReportError):
    """Raised when one or more reports failed to render; names each report and cell."""
