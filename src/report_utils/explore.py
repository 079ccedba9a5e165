"""Filtering and lookup for interactive exploration of the 2018–2019 initiatives.

Pure functions on a :class:`~report_utils.model.Dataset` (from :func:`report.load` or
:func:`model.load_dataset`); the widgets in :mod:`report_utils.explore_widgets` only call
these, so every notebook can use the same logic.

Two kinds of frame come out of here:

* *data frames* (``filter_initiatives``, ``filter_results``, ``successors`` and the parts
  of :class:`InitiativeRecord`) keep the schema's column names and raw values, for code;
* *display frames* (the ``*_table`` functions) have Swedish column labels and every value
  formatted as text by :mod:`report_utils.formatting` — a missing value reads
  "uppgift saknas", never 0 or NaN.

Department rule (as :func:`report_utils.compare.initiatives_for`): a blank ``ansvariga``
means *gemensam* (shared by every department) and a sub-project without departments of its
own inherits its parent's.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

import pandas as pd

from . import compare
from . import formatting as F
from . import schemas as S
from .errors import ParameterError
from .model import Dataset

#: the document every 2018–2019 quote comes from
SOURCE_2018 = "stimulans-2018-2019"
#: what a successor row without a 2026 theme / indicator / target says
NO_SUCCESSOR = "ingen efterföljare"
NO_INDICATOR = "ingen särskild indikator"
NOT_APPLICABLE = "–"

# Display labels (Swedish) of the display frames, in column order.
INITIATIVE_COLUMNS = (
    "Kod",
    "Insats",
    "Huvudinsats",
    "Fokusområde",
    "År",
    "Förvaltningar",
    "Målgrupp",
    "Partner",
    "Period",
    "Mätbara mål",
    "Utfall",
)
RESULT_COLUMNS = (
    "Kod",
    "Insats",
    "År",
    "Mått",
    "Uppdelning",
    "Värde",
    "Nyckeltal",
    "Avser",
    "Källa",
    "Citat ur källan",
)
SUCCESSOR_COLUMNS = (
    "Relation",
    "Tema",
    "Indikator",
    "Horisont",
    "Mål",
    "Motivering",
    "Belägg 2018–2019",
    "Belägg 2026",
    "Via",
)


class UnknownInitiativeError(ParameterError):
    """Raised when an ``insats_id`` is not in the data; names a few valid ones."""


# -- helpers --------------------------------------------------------------------------------------
def _fold(text: object) -> str:
    """Text for case-insensitive matching (NFC, casefolded); missing → empty."""
    if F.is_missing(text):
        return ""
    return unicodedata.normalize("NFC", str(text)).casefold()


def _terms(text: str | None) -> list[str]:
    return _fold(text).split()


def _matches(terms: list[str], *fields: object) -> bool:
    """Every search term occurs somewhere in ``fields`` (case-insensitively)."""
    if not terms:
        return True
    haystack = "\n".join(_fold(f) for f in fields)
    return all(t in haystack for t in terms)


def _blank(value: object) -> bool:
    return F.is_missing(value) if not isinstance(value, list | tuple) else not value


def _text(value: object, missing: str = F.MISSING) -> str:
    return missing if _blank(value) else str(value)


def _names(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.insatser["insats_id"], ds.insatser["namn"], strict=True))


def _focus_names(ds: Dataset) -> dict[int, str]:
    return {
        int(nr): str(n)
        for nr, n in zip(ds.fokusomraden["nr"], ds.fokusomraden["namn"], strict=True)
    }


def _check_choice(what: str, value: object, valid: list) -> None:
    """``what`` is the Swedish phrase for an unknown value, e.g. "okänd förvaltning"."""
    if value not in valid:
        raise ParameterError(f"{what} {value!r}; giltiga: {', '.join(map(str, valid))}")


def _normalise_filters(ds: Dataset, focus_area, department, year) -> tuple:
    """Check the filter values; ``None``/"" (and ``ALLA`` for department) mean *all*."""
    if isinstance(focus_area, str):
        focus_area = focus_area.strip() or None
        if focus_area is not None and focus_area.isdigit():
            focus_area = int(focus_area)
    if focus_area is not None:
        _check_choice("okänt fokusområde", focus_area, sorted(_focus_names(ds)))
    if isinstance(department, str):
        department = department.strip().upper() or None
    if department == S.DEPARTMENT_ALL:
        department = None
    if department is not None:
        _check_choice("okänd förvaltning", department, ds.report_departments)
    if isinstance(year, str):
        year = int(year) if year.strip().isdigit() else (year.strip() or None)
    if year is not None:
        _check_choice("okänt år", year, ds.historical_years)
    return focus_area, department, year


def check_initiative(ds: Dataset, insats_id: str) -> None:
    """Raise :class:`UnknownInitiativeError` (Swedish, with valid ids) if the id is unknown."""
    ids = list(ds.insatser["insats_id"])
    if insats_id in ids:
        return
    close = difflib.get_close_matches(str(insats_id), ids, n=3, cutoff=0.5)
    hint = f" Menade du {F.join_list([repr(c) for c in close], 'eller')}?" if close else ""
    examples = ", ".join(ids[:5])
    raise UnknownInitiativeError(
        f"okänd insats {insats_id!r}.{hint} Giltiga koder är t.ex. {examples} "
        f"({len(ids)} insatser; se kolumnen insats_id i insatser_2018-2019.xlsx)."
    )


# -- filtering ------------------------------------------------------------------------------------
def filter_options(ds: Dataset) -> dict[str, list]:
    """What each filter can take: focus areas, departments (ALLA first), years, target groups."""
    target_groups = sorted(
        {str(m) for m in ds.insatser["malgrupp"] if not F.is_missing(m)}, key=_fold
    )
    return {
        "focus_area": sorted(_focus_names(ds)),
        "department": ds.report_departments,
        "year": ds.historical_years,
        "target_group": target_groups,
    }


def filter_initiatives(
    ds: Dataset,
    focus_area: int | None = None,
    department: str | None = None,
    year: int | None = None,
    target_group: str | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """The initiatives (and sub-projects) that pass every given filter, in source order.

    ``focus_area`` 1–5; ``department`` a code or ``ALLA`` (blank responsibility is shared,
    sub-projects inherit their parent's); ``year`` 2018/2019 (active that year);
    ``target_group`` a case-insensitive part of the target group; ``text`` words that must
    all occur (case-insensitively) in the name, description, target group, partner or the
    measure of one of its results. ``None`` or "" means no filter. Unknown focus areas,
    departments or years raise :class:`~report_utils.errors.ParameterError`.

    Adds ``avdelningar`` (effective departments), ``arvda_avdelningar`` (inherited from the
    parent), ``fokusomrade_namn`` and ``overordnad_namn``.
    """
    focus_area, department, year = _normalise_filters(ds, focus_area, department, year)
    frame = compare.initiatives_for(ds, department or S.DEPARTMENT_ALL, year)
    names = _names(ds)
    resp = compare.responsibility(ds)
    inherited = set(resp.loc[resp["arvd"].astype(bool), "insats_id"])
    frame["arvda_avdelningar"] = frame["insats_id"].isin(inherited) & frame["avdelningar"].map(
        lambda c: not _blank(c)
    )
    frame["fokusomrade_namn"] = frame["fokusomrade"].map(_focus_names(ds))
    frame["overordnad_namn"] = frame["overordnad_insats"].map(
        lambda p: names.get(p) if not F.is_missing(p) else None
    )
    mask = pd.Series(True, index=frame.index)
    if focus_area is not None:
        mask &= frame["fokusomrade"] == focus_area
    group_terms = _fold(target_group).strip()
    if group_terms:
        mask &= frame["malgrupp"].map(lambda m: group_terms in _fold(m))
    terms = _terms(text)
    if terms:
        measures = ds.resultat.groupby("insats_id")["matt"].agg(list).to_dict()

        def hit(rec: dict) -> bool:
            own = (rec["namn"], rec["beskrivning"], rec["malgrupp"], rec["partner"])
            return _matches(terms, *own) or any(
                _matches(terms, *own, m) for m in measures.get(rec["insats_id"], ())
            )

        mask &= pd.Series([hit(r) for r in frame.to_dict("records")], index=frame.index, dtype=bool)
    return frame[mask].reset_index(drop=True)


def filter_results(
    ds: Dataset,
    focus_area: int | None = None,
    department: str | None = None,
    year: int | None = None,
    target_group: str | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """The results of the initiatives that pass the filters, with their source quotes.

    Same filters as :func:`filter_initiatives`; ``year`` is the year the result concerns,
    and ``text`` must match the initiative's fields or this result's measure. Adds
    ``insats`` (the initiative's name) and ``avdelningar``.
    """
    inits = filter_initiatives(ds, focus_area, department, year, target_group)
    own = {
        r["insats_id"]: (r["namn"], r["beskrivning"], r["malgrupp"], r["partner"])
        for r in inits.to_dict("records")
    }
    frame = compare.results_for(ds, inits["insats_id"], year)
    terms = _terms(text)
    if terms and len(frame):
        keep = [_matches(terms, *own[r["insats_id"]], r["matt"]) for r in frame.to_dict("records")]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]
    depts = dict(zip(inits["insats_id"], inits["avdelningar"], strict=True))
    frame = frame.assign(
        insats=frame["insats_id"].map(_names(ds)), avdelningar=frame["insats_id"].map(depts)
    )
    return frame.reset_index(drop=True)


def key_figures(ds: Dataset, results: pd.DataFrame) -> tuple[list[str], dict[str, list]]:
    """Headline figures (nyckeltal) of ``results`` for a bar chart: labels and one series per year.

    See :func:`report_utils.compare.key_figure_series` (missing is ``None``, never 0).
    """
    series = compare.key_figure_series(results, compare.initiative_labels(ds))
    return series.labels, {str(y): v for y, v in series.values.items()}


# -- one initiative -------------------------------------------------------------------------------
def successors(ds: Dataset, insats_id: str) -> pd.DataFrame:
    """The initiative's crosswalk rows with the 2026 theme name and indicator text and target.

    Theme and indicator come from the latest goal year. A sub-project without crosswalk
    rows of its own gets its parent's, with ``via`` naming the parent.
    """
    check_initiative(ds, insats_id)
    rows = ds.koppling[ds.koppling["insats_id"] == insats_id]
    via = None
    if rows.empty:
        parent = ds.insatser.loc[ds.insatser["insats_id"] == insats_id, "overordnad_insats"].iloc[0]
        if not F.is_missing(parent):
            rows, via = ds.koppling[ds.koppling["insats_id"] == parent], parent
    year = ds.latest_goal_year
    goal = ds.goals.get(year) if year is not None else None
    out = []
    for rec in rows.to_dict("records"):
        tid, kid = rec["tema_id"], rec["indikator_id"]
        side = compare.goal_side(goal, tid, kid)
        out.append(
            {
                "koppling_id": rec["koppling_id"],
                "insats_id": insats_id,
                "via": via,
                "relation": rec["relation"],
                "tema_id": tid,
                "tema": side["tema"],
                "indikator_id": kid,
                "indikator": side["indikator"],
                "horisont": side["horisont"],
                "enhet": side["enhet"],
                "maltyp": side["maltyp"],
                "malvarde": side["malvarde"],
                "mal_text": side["mal_text"],
                "malar": year,
                "motivering": rec["motivering"],
                "kalla_citat_2018": rec["kalla_citat_2018"],
                "kalla_citat_2026": rec["kalla_citat_2026"],
            }
        )
    cols = [
        "koppling_id",
        "insats_id",
        "via",
        "relation",
        "tema_id",
        "tema",
        "indikator_id",
        "indikator",
        "horisont",
        "enhet",
        "maltyp",
        "malvarde",
        "mal_text",
        "malar",
        "motivering",
        "kalla_citat_2018",
        "kalla_citat_2026",
    ]
    frame = pd.DataFrame(out, columns=cols).astype(object)
    return frame.where(frame.notna(), None)


@dataclass
class InitiativeRecord:
    """Everything known about one initiative."""

    insats: dict  # the row, with avdelningar, fokusomrade_namn, overordnad_namn
    resultat: pd.DataFrame  # all its results, with kalla_avsnitt and kalla_citat
    delprojekt: pd.DataFrame  # its sub-projects (filter_initiatives rows)
    efterfoljare: pd.DataFrame  # successors()
    kalla: str  # the title of the source document

    @property
    def insats_id(self) -> str:
        return self.insats["insats_id"]

    @property
    def namn(self) -> str:
        return self.insats["namn"]

    def facts(self) -> pd.DataFrame:
        """The record as a two-column display frame (Fält, Värde)."""
        r = self.insats
        parent = (
            f"{r['overordnad_namn']} ({r['overordnad_insats']})"
            if not F.is_missing(r["overordnad_insats"])
            else NOT_APPLICABLE
        )
        subs = F.join_list(
            f"{n} ({i})"
            for i, n in zip(self.delprojekt["insats_id"], self.delprojekt["namn"], strict=True)
        )
        pairs = [
            ("Kod", r["insats_id"]),
            ("Insats", r["namn"]),
            ("Huvudinsats", parent),
            ("Delprojekt", subs or NOT_APPLICABLE),
            ("Fokusområde", _focus_text(r)),
            ("År", F.join_list(r["ar"] or ()) or F.MISSING),
            ("Förvaltningar", _departments_text(r)),
            ("Målgrupp", _text(r["malgrupp"])),
            ("Partner", _text(r["partner"])),
            ("Period", F.period(r["period_start"], r["period_slut"], r["period_text"])),
            ("Tidsplan enligt texten", _text(r["period_text"])),
            ("Mätbara mål", r["matbara_mal"]),
            ("Planens svar om mätbara mål", _text(r["matbara_mal_text"])),
            ("Utfall", r["status"]),
            ("Motivering av utfall", _text(r["status_text"])),
            ("Beskrivning", _text(r["beskrivning"])),
            ("Källa", f"{self.kalla}, avsnitt ”{_text(r['kalla_avsnitt'])}”"),
            ("Citat ur källan", _text(r["kalla_citat"])),
            ("Antal resultat", F.number(len(self.resultat), 0)),
        ]
        return pd.DataFrame(pairs, columns=["Fält", "Värde"])


def initiative_record(ds: Dataset, insats_id: str) -> InitiativeRecord:
    """The full record of one initiative: its fields, all its results with their source
    sentences, its sub-projects and its 2026 successors. Unknown id →
    :class:`UnknownInitiativeError`."""
    check_initiative(ds, insats_id)
    everything = filter_initiatives(ds)
    row = everything[everything["insats_id"] == insats_id].iloc[0].to_dict()
    subs = everything[everything["overordnad_insats"] == insats_id].reset_index(drop=True)
    results = filter_results(ds)
    results = results[results["insats_id"] == insats_id].reset_index(drop=True)
    return InitiativeRecord(
        insats=row,
        resultat=results,
        delprojekt=subs,
        efterfoljare=successors(ds, insats_id),
        kalla=ds.document_title(SOURCE_2018),
    )


# -- display frames ------------------------------------------------------------------------------
def _focus_text(rec: dict) -> str:
    nr = rec.get("fokusomrade")
    if F.is_missing(nr):
        return F.MISSING
    name = rec.get("fokusomrade_namn")
    return f"{nr}. {name}" if not F.is_missing(name) else str(nr)


def _departments_text(rec: dict) -> str:
    cell = rec.get("avdelningar")
    if _blank(cell):
        return f"{compare.SHARED} (alla förvaltningar)"
    text = ", ".join(cell)
    return f"{text} (via huvudinsatsen)" if rec.get("arvda_avdelningar") else text


def initiatives_table(initiatives: pd.DataFrame) -> pd.DataFrame:
    """A :func:`filter_initiatives` frame for display: Swedish labels, formatted text."""
    rows = [
        [
            r["insats_id"],
            r["namn"],
            _text(r.get("overordnad_namn"), NOT_APPLICABLE),
            _focus_text(r),
            F.join_list(r["ar"] or ()) or F.MISSING,
            _departments_text(r),
            _text(r["malgrupp"]),
            _text(r["partner"]),
            F.period(r["period_start"], r["period_slut"], r["period_text"]),
            r["matbara_mal"],
            r["status"],
        ]
        for r in initiatives.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=list(INITIATIVE_COLUMNS))


def result_value(rec: dict) -> str:
    """One result's value as a reader sees it: ``ca 1 100``, ``80–100 %``, ``uppgift saknas``."""
    return F.value_with_unit(
        rec.get("varde"), rec.get("enhet"), rec.get("kvalifikator"), rec.get("varde_max")
    )


def results_table(ds: Dataset, results: pd.DataFrame) -> pd.DataFrame:
    """A :func:`filter_results` frame for display, each figure with its source sentence."""
    title = ds.document_title(SOURCE_2018)
    names = _names(ds)
    rows = []
    for r in results.to_dict("records"):
        split = NOT_APPLICABLE
        if not F.is_missing(r["kategori"]):
            split = (
                f"{r['dimension']}: {r['kategori']}"
                if not F.is_missing(r["dimension"])
                else str(r["kategori"])
            )
        rows.append(
            [
                r["resultat_id"],
                names.get(r["insats_id"], r["insats_id"]),
                str(r["ar"]),
                r["matt"],
                split,
                result_value(r),
                r["nyckeltal"],
                _text(r["period"], str(r["ar"])),
                f"{title}, avsnitt ”{_text(r['kalla_avsnitt'])}”",
                _text(r["kalla_citat"]),
            ]
        )
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def target_text(rec: dict) -> str:
    """A 2026 indicator's target in words: the text's own wording, else the target type."""
    if not F.is_missing(rec.get("mal_text")):
        return str(rec["mal_text"])
    return F.target(rec.get("maltyp"), rec.get("malvarde")) or compare.MAL_SAKNAS


def successors_table(succ: pd.DataFrame) -> pd.DataFrame:
    """A :func:`successors` frame for display."""
    rows = []
    for r in succ.to_dict("records"):
        has_theme = not F.is_missing(r["tema_id"])
        has_ind = not F.is_missing(r["indikator_id"])
        theme = f"{r['tema_id']} – {_text(r['tema'])}" if has_theme else NO_SUCCESSOR
        indicator = (
            f"{r['indikator_id']} – {_text(r['indikator'])}"
            if has_ind
            else (NO_INDICATOR if has_theme else NOT_APPLICABLE)
        )
        rows.append(
            [
                r["relation"],
                theme,
                indicator,
                {"kort": "kort sikt", "lång": "lång sikt"}.get(r["horisont"], NOT_APPLICABLE),
                target_text(r) if has_ind else NOT_APPLICABLE,
                _text(r["motivering"]),
                _text(r["kalla_citat_2018"]),
                _text(r["kalla_citat_2026"], NOT_APPLICABLE),
                _text(r["via"], NOT_APPLICABLE),
            ]
        )
    return pd.DataFrame(rows, columns=list(SUCCESSOR_COLUMNS))


def subprojects_table(record: InitiativeRecord) -> pd.DataFrame:
    """The sub-projects of a record for display (same columns as :func:`initiatives_table`)."""
    return initiatives_table(record.delprojekt)


def summary(initiatives: pd.DataFrame, results: pd.DataFrame) -> str:
    """One Swedish sentence counting what the filters let through."""
    n_init, n_res = len(initiatives), len(results)
    key = int((results["nyckeltal"] == "ja").sum()) if n_res else 0
    word = "insats" if n_init == 1 else "insatser"
    return (
        f"{F.number(n_init, 0)} {word} och {F.number(n_res, 0)} resultat "
        f"(varav {F.number(key, 0)} nyckeltal)."
    )
