"""The one check of a report's parameters — department and year — and its one wording.

Used by the command line and the renderer (on the catalog) and by the report notebook
(:func:`report_utils.model.load_for_report`), so a wrong value reads the same wherever it
is given: ``okänd förvaltning: 'XYZ'. Giltiga värden: ALLA, AMF, SFF, SOF, VOF``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import ParameterError


def parse_year(value: object) -> int | None:
    """A year given as a number or as text (``"2026"``); ``None`` if it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _unknown(what: str, given: Sequence[object], valid: Iterable[object]) -> ParameterError:
    shown = ", ".join(repr(str(v)) for v in given)
    return ParameterError(f"okänd {what}: {shown}. Giltiga värden: {', '.join(map(str, valid))}")


def check_departments(departments: Iterable[str], valid: Sequence[str]) -> list[str]:
    """The departments, without repeats; :class:`ParameterError` names every unknown one."""
    chosen = list(dict.fromkeys(departments))
    bad = [d for d in chosen if d not in valid]
    if bad:
        raise _unknown("förvaltning", bad, valid)
    return chosen


def check_years(years: Iterable[object], valid: Sequence[int]) -> list[int]:
    """The years as integers, without repeats; :class:`ParameterError` names an unknown one."""
    chosen: list[int] = []
    for given in years:
        year = parse_year(given)
        if year not in valid:
            raise ParameterError(
                f"okänt år: {str(given)!r}. Giltiga värden: {', '.join(map(str, valid))}"
            )
        chosen.append(year)
    return list(dict.fromkeys(chosen))


def check(
    department: str, year: object, departments: Sequence[str], years: Sequence[int]
) -> tuple[str, int]:
    """One report's parameters, checked: ``(department, year)`` with the year an integer."""
    (dept,) = check_departments([department], departments)
    (checked,) = check_years([year], years)
    return dept, checked


def select(
    departments: Iterable[str] | None,
    years: Iterable[object] | None,
    valid_departments: Sequence[str],
    valid_years: Sequence[int],
) -> list[tuple[str, int]]:
    """The (department, year) grid asked for — everything when a list is empty — year by year."""
    depts = check_departments(departments or valid_departments, valid_departments)
    chosen_years = check_years(years or sorted(valid_years), valid_years)
    return [(d, y) for y in chosen_years for d in depts]
