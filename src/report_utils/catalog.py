"""What can be rendered: departments, years and the data version — cached between runs.

Building the catalog loads and validates *every* workbook of every year, so invalid data
stops a render before anything is written, with every problem listed. The result is kept
in ``<out>/.cache/catalog.json`` with a stamp over the data files and the package, so a
run with nothing changed neither imports pandas nor reads a workbook.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from . import cache
from .settings import Settings

CATALOG_VERSION = 2


@dataclass
class Catalog:
    """Departments, years and data version: all the CLI needs before rendering anything."""

    departments: dict[str, str]  # code -> name, ALLA first
    years: dict[int, str]  # year -> what the report for that year covers
    goal_years: list[int]
    data_version: str
    #: "year/DEPT" -> the report's headline lines (and the round's status in goal years)
    headlines: dict[str, list[str]] = field(default_factory=dict)
    city: list[str] = field(default_factory=list)  # the city as a whole, a line per year
    stamp: str | None = field(default=None, compare=False)  # set when built from the data

    @classmethod
    def from_dataset(cls, dataset, data_version: str) -> Catalog:
        from .report import headline

        departments = {code: dataset.department_name(code) for code in dataset.report_departments}
        years = {}
        for year in dataset.years:
            if year in dataset.goals:
                years[year] = f"Mål och indikatorer {year}, jämförda med 2018–2019 års insatser"
            else:
                years[year] = f"Stimulansfinansierade insatser och resultat {year}"
        headlines = {}
        for year in dataset.years:
            for code in departments:
                lines = headline.report_lines(dataset, code, year)
                lines += [x for x in [headline.round_line(dataset, code, year)] if x]
                headlines[f"{year}/{code}"] = lines
        city = headline.city_lines(dataset, headlines)
        return cls(departments, years, dataset.goal_years, data_version, headlines, city)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("stamp")
        data["years"] = {str(k): v for k, v in self.years.items()}
        return json.dumps({"v": CATALOG_VERSION, **data}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Catalog:
        data = json.loads(text)
        if data.pop("v", None) != CATALOG_VERSION:
            raise ValueError("old catalog")
        data["years"] = {int(k): v for k, v in data["years"].items()}
        return cls(**data)

    def select(self, departments, years) -> list[tuple[str, int]]:
        """The requested (department, year) grid; :class:`ParameterError` lists valid values."""
        from .parameters import select

        return select(departments, years, list(self.departments), sorted(self.years))


def _path(settings: Settings):
    return settings.cache_dir / "catalog.json"


def load_catalog(settings: Settings) -> Catalog:
    """The catalog, from cache when neither data nor package changed; else from the data.

    Raises :class:`~report_utils.errors.DataValidationError` listing every problem when
    the data is invalid.
    """
    version, package = cache.data_version(settings.data_dir), cache.package_digest()
    stamp = f"{settings.data_dir}|{version}|{package}"
    try:
        stored = json.loads(_path(settings).read_text("utf-8"))
        if stored.get("stamp") == stamp:
            return Catalog.from_json(stored["catalog"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    catalog = Catalog.from_json(_built(settings.data_dir, version, package))
    catalog.stamp = stamp  # saved once the parameters are known to be valid
    return catalog


# Catalogs built in this process (as JSON, so each caller gets its own copy), by what the
# stamp is made of: a JupyterLab session or a test run that renders into several output
# folders builds the catalog of a data version once. A handful, least recently used out.
@lru_cache(maxsize=4)
def _built(data_dir, version: str, package: str) -> str:
    """``package``: the package's digest, part of the key only (code changed, built again)."""
    from .model import load_dataset_cached

    return Catalog.from_dataset(load_dataset_cached(data_dir), version).to_json()


def save_catalog(settings: Settings, catalog: Catalog) -> None:
    """Keep a freshly built catalog for the next run (atomic; nothing if it came from cache)."""
    from .outdir import write_atomic

    if catalog.stamp is None:
        return
    payload = json.dumps({"stamp": catalog.stamp, "catalog": catalog.to_json()}, ensure_ascii=False)
    write_atomic(_path(settings), payload)
