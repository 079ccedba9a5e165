"""Next year's data from the latest year's goals — data, not code.

``new-year 2027`` copies the latest goals workbook (themes, activities, long-term goals,
indicators) to ``data/2027/mal.xlsx`` for editing, creates an empty indicator-values
workbook with one row per indicator × responsible department, and writes a checklist.
It never overwrites: if the year exists, it refuses and changes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .errors import ParameterError
from .model import discover_goal_years, load_dataset
from .workbooks import values_row, write_values_workbook

CHECKLIST = "ATT_GORA.md"


def _records(frame) -> list[dict]:
    cols = [c for c in frame.columns if not c.startswith("_")]
    return frame[cols].to_dict("records")


def value_rows(indikatorer, departments: list[str]) -> list[dict]:
    """One blank row per indicator × responsible department (``avdelningar``: its own, its
    theme's or all four), with the indicator's unit and target beside the value."""
    return [
        values_row(rec, dept)
        for rec in indikatorer.to_dict("records")
        for dept in rec.get("avdelningar") or rec["ansvariga"] or departments
    ]


def checklist(year: int, source_year: int) -> str:
    return f"""# Att göra för {year}

Skapat av `python -m report_utils new-year {year}` från {source_year} års mål.

1. **Mål** – öppna `{year}/mal.xlsx`. Bladen är kopior av {source_year} års mål. Ändra det som
   ändrats i årets överenskommelse: teman, aktiviteter, långsiktiga mål och indikatorer.
   Behåll id-koderna (T01, T07-K1 …) för det som finns kvar, så att jämförelsen över åren
   fungerar; ge nya rader nya koder. Uppdatera källkolumnerna (kalla_avsnitt, kalla_citat)
   så att de pekar på årets dokument.
2. **Indikatorvärden** – har du ändrat indikatorerna i `{year}/mal.xlsx`, kör
   `python -m report_utils rebuild-values {year}` så att `{year}/indikatorvarden.xlsx` får
   rätt rader, enheter och mål. Skapa sedan ett formulär per förvaltning med
   `python -m report_utils forms {year}`, skicka ut dem och läs in de ifyllda med
   `python -m report_utils collect {year} MAPP-MED-FORMULÄR`; `python -m report_utils status
   {year}` visar vilka som lämnat in. (Värden kan också skrivas direkt i kolumnen `varde`.)
   En tom cell betyder *ej rapporterat* – skriv aldrig 0 för något som inte är känt. För mål
   som anges som förändring (t.ex. −20 %) fylls jämförelsevärdet i med utgångsvärdet; annars
   jämförs med föregående års värde.
3. **Kontrollera** – kör `python -m report_utils validate` och rätta det som rapporteras.
4. **Rendera** – kör `make report`. {year} års rapporter och länkar på startsidan skapas
   automatiskt.
"""


def new_year(data_dir: Path, year: int) -> list[Path]:
    """Create ``data/<year>/`` from the latest goal year; return the files created."""
    data_dir = Path(data_dir)
    target = data_dir / str(year)
    if target.exists():
        raise ParameterError(
            f"{target} finns redan; inget har ändrats. Ta bort eller byt namn på mappen "
            "om du verkligen vill skapa året på nytt."
        )
    years = discover_goal_years(data_dir)
    if not years:
        raise ParameterError(f"hittar inget års mål (data/<år>/mal.xlsx) i {data_dir}")
    source_year = max(years)
    if year <= source_year:
        raise ParameterError(
            f"{year} är inte senare än det senaste året med mål ({source_year}); ange ett senare år"
        )
    dataset = load_dataset(data_dir)  # refuse to copy invalid data
    goal = dataset.goals[source_year]
    # build everything in a temporary folder, then move it into place in one step
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=data_dir))
    try:
        shutil.copy2(data_dir / str(source_year) / "mal.xlsx", staging / "mal.xlsx")
        write_values_workbook(
            staging / "indikatorvarden.xlsx",
            year,
            value_rows(goal.indikatorer, dataset.departments),
        )
        (staging / CHECKLIST).write_text(checklist(year, source_year), "utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / "mal.xlsx", target / "indikatorvarden.xlsx", target / CHECKLIST]
