"""Filtering and lookup for interactive exploration of the 2018–2019 initiatives.

Pure functions on a :class:`~report_utils.model.Dataset` (from :func:`report.load` or
:func:`model.load_dataset`); the widgets in :mod:`report_utils.explore_widgets` only call
these, so every notebook can use the same logic (and :func:`export` writes what the filters
found to Excel or CSV, see :mod:`report_utils.explore_export`).

Two kinds of frame come out of here:

* *data frames* (``filter_initiatives``, ``filter_results``, ``successors`` and the parts
  of :class:`InitiativeRecord`) keep the schema's column names and raw values, for code;
* *display frames* (the ``*_table`` functions) have Swedish column labels and every value
  formatted as text by :mod:`report_utils.formatting` — a missing value reads
  "uppgift saknas", never 0 or NaN.

Department rule (as :func:`report_utils.compare.initiatives_for`): responsibility is per
initiative × year; a sub-project without its own row inherits its parent's departments that
year; an initiative whose text names no department belongs to no department's list, only to
``ALLA``. With a department, results are those of the years it was responsible.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import compare
from . import formatting as F
from . import schemas as S
from .errors import ParameterError
from .model import Dataset

#: the documents the quotes come from
SOURCE_2018 = "stimulans-2018-2019"
SOURCE_2026 = "overenskommelse-2026"
#: what a successor row without a 2026 theme / indicator / target says
NO_SUCCESSOR = "ingen efterföljare"
NO_INDICATOR = "ingen särskild indikator"
NOT_APPLICABLE = "–"
#: what a department cell says when the text names no department
NO_DEPARTMENT = "ingen utpekad förvaltning (bara i stadens översikt)"
#: the raw 2026 quote is OCR text: said wherever it is shown
OCR_NOTE = "inskannad text, å/ä/ö kan vara fel"

# Display labels (Swedish) of the display frames, in column order.
INITIATIVE_COLUMNS = (
    "Kod",
    "Insats",
    "Huvudinsats",
    "Fokusområde",
    "År",
    "Förvaltningar",
    "Målgrupp",
    "Målgruppskategorier",
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
    "Slag av siffra",
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
    f"Belägg 2026, {OCR_NOTE}",
    "Via",
)

#: how a successor relation reads in running text
RELATION_WORDS = {
    "fortsätter": "fortsätter i",
    "ny form": "ny form i",
    "avvecklad": "avvecklad",
    "ingen efterföljare": "ingen efterföljare",
}
RELATION_ORDER = ("avvecklad", "fortsätter", "ny form", "ingen efterföljare")

#: how a figure that is not a result of its year is labelled
KIND_WORDS = {S.UPPNATT: "uppnått", S.PLANERAT: "planerat", S.BAKGRUND: "bakgrund"}


class UnknownInitiativeError(ParameterError):
    """Raised when an ``insats_id`` is not in the data; names a few valid ones."""


# -- target-group categories ---------------------------------------------------------------------
# The target groups are free text, about one per initiative. These rules sort them into a few
# categories people filter by; an initiative can be in several (a course for staff who meet
# pupils is in both). Matched case-insensitively against the initiative's own target group,
# or its parent's when it has none. Each rule: category, words that put it there, and words
# that keep it out when they occur in the same clause (a clause ends at ';').
NO_TARGET_GROUP = "målgrupp ej angiven"
_YOUNG = r"\bbarn\b|\bunga\b|\bungdom\w*|\btjejer\b|\belev(er|erna)?\b|gymnasi|högstadi|mellanstadi|årskurs"
TARGET_GROUP_RULES: tuple[tuple[str, str, str | None], ...] = (
    ("barn och unga", _YOUNG, None),
    ("elever", r"\belev(er|erna)?\b|gymnasi|högstadi|mellanstadi|årskurs", None),
    ("föräldrar och familjer", r"föräld|\bfamilj", None),
    (
        "vuxna med psykisk ohälsa",
        r"psykisk\w* (ohälsa|funktionsnedsättning)|psykossjukdom|beroendesjukdom|\bbrukare"
        r"|\bklienter",
        # young people with mental ill-health are "barn och unga" (unless adults are named too)
        rf"^(?!.*vuxn).*({_YOUNG})",
    ),
    (
        "medarbetare och personal",
        r"personal|medarbetare|\bchefer|kurator|instruktör|sjuksköterskor|socionomer"
        r"|socialsekreterare|coach|\bguide|utvecklare|\bledning|arbetar med",
        None,
    ),
    ("äldre", r"\bäldre\b", None),
    ("allmänheten", r"allmänhet|\bintresserade\b|\bpublik|stadens( \w+)? invånare", None),
)
TARGET_GROUPS = tuple(name for name, _w, _x in TARGET_GROUP_RULES) + (NO_TARGET_GROUP,)


def target_group_categories(text: object) -> tuple[str, ...]:
    """The categories a target-group text belongs to, in :data:`TARGET_GROUPS` order.

    ``()`` for a blank text (see :func:`initiative_target_groups` for the fallback).
    """
    if F.is_missing(text):
        return ()
    found = []
    for name, words, unless in TARGET_GROUP_RULES:
        for clause in str(text).casefold().split(";"):
            if not re.search(words, clause):
                continue
            if unless and re.search(unless, clause):
                continue
            found.append(name)
            break
    return tuple(found)


def initiative_target_groups(ds: Dataset) -> dict[str, tuple[str, ...]]:
    """Each initiative's target-group categories: its own text's, else its parent's, else
    :data:`NO_TARGET_GROUP`."""
    own = dict(zip(ds.insatser["insats_id"], ds.insatser["malgrupp"], strict=True))
    parents = dict(zip(ds.insatser["insats_id"], ds.insatser["overordnad_insats"], strict=True))
    out = {}
    for iid, text in own.items():
        cats = target_group_categories(text)
        if not cats and parents.get(iid):
            cats = target_group_categories(own.get(parents[iid]))
        out[iid] = cats or (NO_TARGET_GROUP,)
    return out


# -- search --------------------------------------------------------------------------------------
def _fold(text: object) -> str:
    """Text for matching: casefolded, accents and hyphens dropped ("F-ACT" ~ "fact",
    "JagÉgo" ~ "jagego", "Skånedagen" ~ "skanedagen"); missing → empty."""
    if F.is_missing(text):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[-\u2010\u2011\u2013]", "", plain)


def _terms(text: str | None) -> list[str]:
    return _fold(text).split()


def _matches(terms: list[str], *fields: object) -> bool:
    """Every search term occurs somewhere in ``fields`` (case-, accent- and hyphen-blind)."""
    if not terms:
        return True
    haystack = "\n".join(_fold(f) for f in fields)
    return all(t in haystack for t in terms)


def _word(abbreviation: str) -> re.Pattern:
    """An abbreviation as a whole word, case-sensitive: "ACT" not inside "F-ACT" or "act"."""
    return re.compile(r"(?<![\w-])" + re.escape(abbreviation) + r"(?!\w)")


def initiative_abbreviations(ds: Dataset) -> dict[str, tuple[str, ...]]:
    """Abbreviations of the glossary (``forkortningar``) that each initiative's own name,
    description or source section uses, as whole words ("MHFA", "IPS", "GoFaR", "F-ACT");
    department codes left out. Name first, then the rest, in glossary order."""
    glossary = [str(a) for a in ds.forkortningar["forkortning"] if str(a) not in ds.departments]
    pattern = {a: _word(a) for a in glossary}
    out = {}
    for rec in ds.insatser.to_dict("records"):
        name = str(rec["namn"])
        rest = " ".join(str(rec[c]) for c in ("beskrivning", "kalla_avsnitt") if rec[c])
        in_name = [a for a in glossary if pattern[a].search(name)]
        in_rest = [a for a in glossary if a not in in_name and pattern[a].search(rest)]
        out[rec["insats_id"]] = tuple(in_name + in_rest)
    return out


def _glossary(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.forkortningar["forkortning"], ds.forkortningar["betydelse"], strict=True))


def expansion(meaning: object) -> str:
    """What an abbreviation stands for: the glossary text up to its first ": " or ", "
    ("Mental Health First Aid"), not the explanation after it — which names other things
    (PSHOUT's lists its sub-projects) and would make every P-SHOUT project match "GoFaR"."""
    if F.is_missing(meaning):
        return ""
    return re.split(r"[:,]\s", str(meaning), maxsplit=1)[0]


def _search_fields(ds: Dataset) -> dict[str, tuple]:
    """Per initiative, everything the free text is matched against besides its results:
    id, name with its parent's, description, target group and its categories, partners,
    the source section, and the abbreviations it uses with their meaning."""
    labels = compare.initiative_labels(ds)
    abbrs = initiative_abbreviations(ds)
    meaning = _glossary(ds)
    groups = initiative_target_groups(ds)
    return {
        r["insats_id"]: (
            r["insats_id"],
            labels[r["insats_id"]],
            r["beskrivning"],
            r["malgrupp"],
            " ".join(groups[r["insats_id"]]),
            r["partner"],
            r["kalla_avsnitt"],
            *(f"{a}: {expansion(meaning.get(a))}" for a in abbrs[r["insats_id"]]),
        )
        for r in ds.insatser.to_dict("records")
    }


def find_initiatives(ds: Dataset, query: str | None, among=None) -> list[str]:
    """Initiatives matching ``query``, best first: the id or the picker's label itself, then
    an abbreviation the initiative uses (``MHFA`` → mhfa, before initiatives whose results
    merely mention MHFA), then a match in its name, then anywhere the free text looks.
    ``among``: only these ids (default: all). An empty query matches nothing."""
    ids = list(ds.insatser["insats_id"]) if among is None else list(among)
    q = _fold(query).strip()
    if not q:
        return []
    labels = compare.initiative_labels(ds)
    choices = dict(initiative_choices(ds, ids))
    choice_of = {iid: label for label, iid in choices.items()}
    abbrs = initiative_abbreviations(ds)
    fields = _search_fields(ds)
    measures = ds.resultat.groupby("insats_id")["matt"].agg(list).to_dict()
    terms = q.split()

    def rank(iid: str) -> int | None:
        if q in (_fold(iid), _fold(choice_of.get(iid))):
            return 0
        if any(_fold(a) == q for a in abbrs[iid]):
            return 1
        if _matches(terms, labels[iid]):
            return 2
        if _matches(terms, *fields[iid], *measures.get(iid, ())):
            return 3
        return None

    ranked = [(r, i, iid) for i, iid in enumerate(ids) if (r := rank(iid)) is not None]
    return [iid for _r, _i, iid in sorted(ranked)]


def initiative_choices(ds: Dataset, ids) -> list[tuple[str, str]]:
    """(label, id) for an initiative picker: the name with its parent's, the abbreviations it
    uses that the name lacks, and its id — "Första hjälpen vid psykisk ohälsa … – MHFA (mhfa)"
    — so typing an abbreviation or a code finds it."""
    labels = compare.initiative_labels(ds)
    abbrs = initiative_abbreviations(ds)
    measures = ds.resultat.groupby("insats_id")["matt"].agg(" ".join).to_dict()
    out = []
    for iid in ids:
        label = labels.get(iid, iid)
        # a name without an abbreviation gets the ones its own results are measured by
        # ("… utbildningen (MHFA)"): what the initiative is known as, not every organisation
        # its description mentions
        named = any(_word(a).search(label) for a in abbrs.get(iid, ()))
        extra = [
            a for a in abbrs.get(iid, ()) if not named and _word(a).search(measures.get(iid, ""))
        ][:3]
        more = f" – {', '.join(extra)}" if extra else ""
        out.append((f"{label}{more} ({iid})", iid))
    return out


# -- filtering ------------------------------------------------------------------------------------
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


def _normalise_filters(ds: Dataset, focus_area, department, year, target_group=None) -> tuple:
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
    if isinstance(target_group, str):
        target_group = target_group.strip().casefold() or None
    if target_group is not None:
        _check_choice("okänd målgrupp", target_group, list(TARGET_GROUPS))
    return focus_area, department, year, target_group


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


def filter_options(ds: Dataset) -> dict[str, list]:
    """What each filter can take: focus areas, departments (ALLA first), years and the
    target-group categories some initiative belongs to (:data:`TARGET_GROUPS` order)."""
    used = {c for cats in initiative_target_groups(ds).values() for c in cats}
    return {
        "focus_area": sorted(_focus_names(ds)),
        "department": ds.report_departments,
        "year": ds.historical_years,
        "target_group": [g for g in TARGET_GROUPS if g in used],
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

    ``focus_area`` 1–5; ``department`` a code or ``ALLA`` (responsible that year, or in any
    year without ``year``); ``year`` 2018/2019 (active that year); ``target_group`` one of
    :data:`TARGET_GROUPS` (case-insensitive; see :func:`initiative_target_groups`); ``text``
    words that must all occur (case-, accent- and hyphen-blind) in the id, the name (with the
    parent's), description, target group, partners, source section, the glossary meaning of
    an abbreviation it uses, or the measure of one of its results. ``None`` or "" means no
    filter. Unknown values raise :class:`~report_utils.errors.ParameterError` naming the
    valid ones.

    Adds ``avdelningar`` (departments responsible), ``arvda_avdelningar`` (inherited from the
    parent), ``fokusomrade_namn``, ``overordnad_namn``, ``etikett`` (the name with the
    parent's), ``malgruppskategorier`` and ``ansvar_text`` (the departments in words, per
    year where they differ).
    """
    focus_area, department, year, target_group = _normalise_filters(
        ds, focus_area, department, year, target_group
    )
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
    frame["etikett"] = frame["insats_id"].map(compare.initiative_labels(ds))
    # who was responsible, in words: that year's departments, or each year's where they differ
    texts = responsibility_texts(ds)
    frame["ansvar_text"] = [
        _departments_text(r) if year is not None else texts[r["insats_id"]]
        for r in frame.to_dict("records")
    ]
    groups = initiative_target_groups(ds)
    frame["malgruppskategorier"] = frame["insats_id"].map(groups)
    mask = pd.Series(True, index=frame.index)
    if focus_area is not None:
        mask &= frame["fokusomrade"] == focus_area
    if target_group is not None:
        mask &= frame["malgruppskategorier"].map(lambda cats: target_group in cats)
    terms = _terms(text)
    if terms:
        fields = _search_fields(ds)
        measures = ds.resultat.groupby("insats_id")["matt"].agg(list).to_dict()

        def hit(iid: str) -> bool:
            own = fields[iid]
            return _matches(terms, *own) or any(
                _matches(terms, *own, m) for m in measures.get(iid, ())
            )

        mask &= frame["insats_id"].map(hit).astype(bool)
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

    Same filters as :func:`filter_initiatives`; ``year`` is the year the result concerns; with
    a department, only results of the years it was responsible for the initiative; ``text``
    must match the initiative's fields or this result's measure. Adds ``insats`` (the name
    with the parent's) and ``avdelningar``.
    """
    inits = filter_initiatives(ds, focus_area, department, year, target_group)
    frame = compare.results_for(ds, inits["insats_id"], year)
    dept = (department or "").strip().upper()
    if dept and dept != S.DEPARTMENT_ALL and len(frame):
        pairs = compare.responsible_pairs(ds, dept)
        keep = [(r["insats_id"], r["ar"]) in pairs for r in frame.to_dict("records")]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]
    terms = _terms(text)
    if terms and len(frame):
        fields = _search_fields(ds)
        keep = [
            _matches(terms, *fields[r["insats_id"]], r["matt"]) for r in frame.to_dict("records")
        ]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]
    depts = dict(zip(inits["insats_id"], inits["avdelningar"], strict=True))
    frame = frame.assign(
        insats=frame["insats_id"].map(compare.initiative_labels(ds)),
        avdelningar=frame["insats_id"].map(depts),
    )
    return frame.reset_index(drop=True)


# -- headline figures ----------------------------------------------------------------------------
@dataclass
class KeyFigureChart:
    """Headline figures (achieved ``nyckeltal``) of some results, ready for a bar chart.

    Initiatives are ordered by their largest figure; ``values[year][i]`` is a number, ``None``
    (ran that year, no headline figure: "uppgift saknas") or :data:`charts.NO_BAR` (did not
    run, or was not the department's, that year). ``shown`` is how many the chart draws (the
    largest ones); ``table`` lists them all: label, then per year the figure as the source
    gives it ("ca 1 100"), "uppgift saknas" or "–" (did not run).
    """

    ids: list[str]
    labels: list[str]
    years: list[int]
    values: dict[str, list]
    texts: dict[str, list[str | None]]
    table: list[list[str]]
    shown: int

    def __bool__(self) -> bool:
        return bool(self.ids)

    @property
    def total(self) -> int:
        return len(self.ids)

    def top(self) -> tuple[list[str], dict[str, list], dict[str, list]]:
        """Labels, values and value texts of the :attr:`shown` largest, for the chart."""
        n = self.shown
        return (
            self.labels[:n],
            {y: v[:n] for y, v in self.values.items()},
            {y: t[:n] for y, t in self.texts.items()},
        )


def key_figure_chart(
    ds: Dataset, results: pd.DataFrame, department: str | None = None, limit: int | None = None
) -> KeyFigureChart:
    """The achieved headline figures of ``results`` (plans, multi-year totals and context
    never are), one series per year, initiatives named with their parent, no bar where an
    initiative did not run (or ``department`` was not responsible) that year. ``limit``: draw
    at most that many, the largest first (the table keeps all)."""
    from . import charts

    dept = (department or S.DEPARTMENT_ALL).strip().upper() or S.DEPARTMENT_ALL
    active = compare.responsible_pairs(ds, dept)
    series = compare.key_figure_series(results, compare.initiative_labels(ds), active)
    if not series:
        return KeyFigureChart([], [], [], {}, {}, [], 0)

    def biggest(i: int) -> float:
        return max((series.values[y][i] or 0) for y in series.years)

    order = sorted(range(len(series.ids)), key=lambda i: (-biggest(i), i))
    values, texts = {}, {}
    for y in series.years:
        values[str(y)] = [series.values[y][i] if series.ran[y][i] else charts.NO_BAR for i in order]
        texts[str(y)] = [
            F.value_with_unit(series.values[y][i], "antal", series.qualifiers[y][i])
            if series.values[y][i] is not None
            else None
            for i in order
        ]
    table = []
    for pos, i in enumerate(order):
        row = [series.labels[i]]
        for y in series.years:
            text = texts[str(y)][pos]
            row.append(text or (F.MISSING if series.ran[y][i] else NOT_APPLICABLE))
        table.append(row)
    n = len(order) if limit is None else min(limit, len(order))
    return KeyFigureChart(
        ids=[series.ids[i] for i in order],
        labels=[series.labels[i] for i in order],
        years=list(series.years),
        values=values,
        texts=texts,
        table=table,
        shown=n,
    )


# -- one initiative -------------------------------------------------------------------------------
def _space(text: object) -> str:
    return " ".join(str(text).split())


def _corrected_2026(ds: Dataset, year: int | None) -> list[tuple[str, str, str, str]]:
    """(theme, OCR quote, corrected text, kind) of every row of the goal year's workbook."""
    goal = ds.goals.get(year) if year is not None else None
    if goal is None:
        return []
    rows = []
    for frame, kind in (
        (goal.indikatorer, "indikator"),
        (goal.aktiviteter, "aktivitet"),
        (goal.langsiktiga_mal, "långsiktigt mål"),
    ):
        for r in frame.to_dict("records"):
            if not F.is_missing(r.get("kalla_citat")) and not F.is_missing(r.get("text")):
                rows.append((r["tema_id"], _space(r["kalla_citat"]), str(r["text"]), kind))
    return rows


def corrected_quote(ds: Dataset, tema_id, quote: object, year: int | None = None) -> str | None:
    """The corrected Swedish of a 2026 OCR quote: the text of the goal workbook's row (an
    indicator, activity or long-term goal of the same theme) that cites the same OCR line,
    or ``None`` when no row does. Lines match when one contains the other."""
    if F.is_missing(quote):
        return None
    q = _space(quote)
    year = year if year is not None else ds.latest_goal_year
    best = None
    for theme, ocr, text, _kind in _corrected_2026(ds, year):
        if tema_id and theme != tema_id:
            continue
        if min(len(q), len(ocr)) >= 20 and (q in ocr or ocr in q):
            overlap = min(len(q), len(ocr))
            if best is None or overlap > best[0]:
                best = (overlap, text)
    return best[1] if best else None


def successors(ds: Dataset, insats_id: str) -> pd.DataFrame:
    """The initiative's crosswalk rows with the 2026 theme name and indicator text and target.

    Theme and indicator come from the latest goal year (:func:`compare.goal_side`). A
    sub-project without crosswalk rows of its own gets its parent's, with ``via`` naming the
    parent. ``belagg_2026`` is the 2026 evidence in corrected Swedish (:func:`corrected_quote`;
    ``None`` where the goal workbook has no row citing it); ``kalla_citat_2026`` the raw OCR.
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
                "belagg_2026": corrected_quote(ds, tid, rec["kalla_citat_2026"], year),
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
        "belagg_2026",
        "kalla_citat_2026",
    ]
    frame = pd.DataFrame(out, columns=cols).astype(object)
    return frame.where(frame.notna(), None)


def responsibility_texts(ds: Dataset) -> dict[str, str]:
    """Who was responsible for each initiative, per year where the years differ: "SFF, SOF
    (2018); SFF, SOF, VOF (2019)"; inherited from the parent is said ("via huvudinsatsen");
    none named reads :data:`NO_DEPARTMENT`."""
    by_id: dict[str, list] = {}
    for r in compare.responsibility(ds).to_dict("records"):
        text = ", ".join(r["ansvariga"]) if r["ansvariga"] else NO_DEPARTMENT
        inherited = bool(r["arvd"] and r["ansvariga"])
        by_id.setdefault(r["insats_id"], []).append((r["ar"], text, inherited))
    out = {}
    for iid in ds.insatser["insats_id"]:
        rows = by_id.get(iid, [])
        if not rows:
            out[iid] = F.MISSING
        elif len({(t, i) for _y, t, i in rows}) == 1:
            _y, text, inherited = rows[0]
            out[iid] = f"{text} (via huvudinsatsen)" if inherited else text
        else:
            out[iid] = "; ".join(
                f"{t}{' via huvudinsatsen' if i else ''} ({y})" for y, t, i in rows
            )
    return out


@dataclass
class InitiativeRecord:
    """Everything known about one initiative."""

    insats: dict  # the row, with avdelningar, fokusomrade_namn, overordnad_namn, etikett …
    resultat: pd.DataFrame  # all its results, with kalla_avsnitt and kalla_citat
    delprojekt: pd.DataFrame  # its sub-projects (filter_initiatives rows)
    efterfoljare: pd.DataFrame  # successors()
    kalla: str  # the title of the source document
    ansvar: str = ""  # responsibility_texts()
    svar: str = ""  # answer_line()
    nyckeltal: list[str] = field(default_factory=list)  # "2018: 150 personer som …"

    @property
    def insats_id(self) -> str:
        return self.insats["insats_id"]

    @property
    def namn(self) -> str:
        return self.insats["namn"]

    @property
    def etikett(self) -> str:
        return self.insats["etikett"]

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
            ("Förvaltningar", self.ansvar or _departments_text(r)),
            ("Målgrupp", _text(r["malgrupp"])),
            ("Målgruppskategorier", ", ".join(r["malgruppskategorier"])),
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


def short_name(ds: Dataset, insats_id: str, max_len: int = 40) -> str:
    """What the answer line calls an initiative: its name (with the parent's) when short,
    else the abbreviation its name or its headline measure uses ("MHFA"), else the name."""
    label = compare.initiative_labels(ds)[insats_id]
    if len(label) <= max_len:
        return label
    row = ds.insatser.set_index("insats_id").loc[insats_id]
    abbrs = initiative_abbreviations(ds)[insats_id]
    res = ds.resultat[ds.resultat["insats_id"] == insats_id]
    measures = " ".join(str(m) for m in res.loc[res["nyckeltal"] == "ja", "matt"])
    for text in (str(row["namn"]), measures):
        for a in abbrs:
            if _word(a).search(text):
                return a
    return label


def _headline_rows(ds: Dataset, insats_id: str) -> list[dict]:
    res = ds.resultat[ds.resultat["insats_id"] == insats_id]
    key = [r for r in res.to_dict("records") if compare.is_key_figure(r)]
    return sorted(key, key=lambda r: r["ar"])


def _successor_phrase(succ: pd.DataFrame, has_linked_parts: bool = False) -> str:
    """ "fortsätter i ”Kompetensutveckling medarbetare” (indikator T23-K3); ny form i …"."""
    if succ.empty:
        return "se delprojekten" if has_linked_parts else "ingen koppling till överenskommelsen"
    parts = []
    for relation in [*RELATION_ORDER, *sorted(set(succ["relation"]) - set(RELATION_ORDER))]:
        rows = succ[succ["relation"] == relation]
        if rows.empty:
            continue
        themes = []
        for tema_id, group in rows.groupby("tema_id", sort=False, dropna=True):
            tema = group["tema"].iloc[0] or tema_id
            inds = [i for i in group["indikator_id"] if i]
            ind = f" (indikator {F.join_list(inds)})" if inds else ""
            themes.append(f"”{tema}”{ind}")
        word = RELATION_WORDS.get(relation, relation)
        parts.append(f"{word} {F.join_list(themes)}" if themes else word)
    return "; ".join(parts)


def answer_line(ds: Dataset, insats_id: str) -> str:
    """The record's answer in one line: what it achieved and what 2026 promises.

    "MHFA: 150 (2018), 291 (2019) → 2026: fortsätter i ”Kompetensutveckling medarbetare”
    (indikator T23-K3); ny form i ”Kompetenshöjande insatser till allmänheten”". Figures are
    the achieved headline figures as the source gives them ("ca 300"); a year it ran without
    one reads "uppgift saknas"; an initiative without any says so.
    """
    check_initiative(ds, insats_id)
    years = ds.insatser.set_index("insats_id").at[insats_id, "ar"] or ()
    key = {r["ar"]: r for r in _headline_rows(ds, insats_id)}
    if key:
        figures = ", ".join(
            f"{_figure(key[y]) if y in key else F.MISSING} ({y})"
            for y in sorted(set(years) | set(key))
        )
    else:
        figures = "ingen siffra för nådda eller utbildade"
    succ = successors(ds, insats_id)
    via = succ["via"].iloc[0] if len(succ) and succ["via"].iloc[0] else None
    goal_year = ds.latest_goal_year or ""
    via_text = f" (via {short_name(ds, via)})" if via else ""
    subs = ds.insatser.loc[ds.insatser["overordnad_insats"] == insats_id, "insats_id"]
    linked_parts = bool(ds.koppling["insats_id"].isin(subs).any())
    return (
        f"{short_name(ds, insats_id)}: {figures} → {goal_year}{via_text}: "
        f"{_successor_phrase(succ, linked_parts)}"
    )


def _figure(rec: dict) -> str:
    return F.value_with_unit(rec["varde"], rec["enhet"], rec["kvalifikator"], rec["varde_max"])


def initiative_record(ds: Dataset, insats_id: str) -> InitiativeRecord:
    """The full record of one initiative: its fields, all its results with their source
    sentences, its sub-projects and its 2026 successors, the one-line answer and its headline
    figures. Unknown id → :class:`UnknownInitiativeError`."""
    check_initiative(ds, insats_id)
    everything = filter_initiatives(ds)
    row = everything[everything["insats_id"] == insats_id].iloc[0].to_dict()
    subs = everything[everything["overordnad_insats"] == insats_id].reset_index(drop=True)
    results = filter_results(ds)
    results = results[results["insats_id"] == insats_id].reset_index(drop=True)
    headlines = [
        f"{r['ar']}: {_figure(r)} {F.lower_first(str(r['matt']))}"
        for r in _headline_rows(ds, insats_id)
    ]
    return InitiativeRecord(
        insats=row,
        resultat=results,
        delprojekt=subs,
        efterfoljare=successors(ds, insats_id),
        kalla=ds.document_title(SOURCE_2018),
        ansvar=responsibility_texts(ds)[insats_id],
        svar=answer_line(ds, insats_id),
        nyckeltal=headlines,
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
        return NO_DEPARTMENT
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
            r.get("ansvar_text") or _departments_text(r),
            _text(r["malgrupp"]),
            ", ".join(r.get("malgruppskategorier") or ()) or NO_TARGET_GROUP,
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


def kind_text(rec: dict) -> str:
    """What kind of figure a result is: "uppnått", "planerat", "2012–2018 sammanlagt",
    "bakgrund" (as the reports label them)."""
    from .report.results_year import kind_label

    return kind_label(rec) or KIND_WORDS.get(rec.get("slag"), _text(rec.get("slag")))


def split_text(rec: dict) -> str:
    """A result's breakdown: "Kön: flickor", or "–"."""
    if F.is_missing(rec.get("kategori")):
        return NOT_APPLICABLE
    if not F.is_missing(rec.get("dimension")):
        return f"{rec['dimension']}: {rec['kategori']}"
    return str(rec["kategori"])


def results_table(ds: Dataset, results: pd.DataFrame) -> pd.DataFrame:
    """A :func:`filter_results` frame for display, each figure with its kind and source."""
    title = ds.document_title(SOURCE_2018)
    labels = compare.initiative_labels(ds)
    rows = []
    for r in results.to_dict("records"):
        rows.append(
            [
                r["resultat_id"],
                labels.get(r["insats_id"], r["insats_id"]),
                str(r["ar"]),
                r["matt"],
                split_text(r),
                result_value(r),
                kind_text(r),
                "ja" if compare.is_key_figure(r) else "nej",
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


def evidence_text(rec: dict) -> str:
    """The 2026 evidence of a successor row in correct Swedish: the corrected quote, else
    the curated indicator text or theme name it points to; "–" where there is none."""
    if not F.is_missing(rec.get("belagg_2026")):
        return str(rec["belagg_2026"])
    if F.is_missing(rec.get("kalla_citat_2026")):
        return NOT_APPLICABLE
    if not F.is_missing(rec.get("indikator")):
        return f"Indikator: {rec['indikator']}"
    if not F.is_missing(rec.get("tema")):
        return f"Tema: {rec['tema']}"
    return "Endast inskannad text finns."


def successors_table(succ: pd.DataFrame) -> pd.DataFrame:
    """A :func:`successors` frame for display; "Belägg 2026" in corrected Swedish, the raw
    OCR quote in its own column, labelled as such."""
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
                evidence_text(r),
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
    key = sum(compare.is_key_figure(r) for r in results.to_dict("records")) if n_res else 0
    word = "insats" if n_init == 1 else "insatser"
    return (
        f"{F.number(n_init, 0)} {word} och {F.number(n_res, 0)} resultat "
        f"(varav {F.number(key, 0)} nyckeltal)."
    )


# -- export --------------------------------------------------------------------------------------
def export(
    ds: Dataset,
    path: str | Path,
    focus_area: int | None = None,
    department: str | None = None,
    year: int | None = None,
    target_group: str | None = None,
    text: str | None = None,
    insats_id: str | None = None,
) -> list[Path]:
    """Write what the filters find — the initiatives, their results with sources, and (with
    ``insats_id``) that initiative's full record and 2026 successors — to ``path``.

    ``*.xlsx``: one workbook, a sheet per table, Swedish headers, numbers as numbers.
    ``*.csv``: one file per table beside ``path`` (``<namn>-insatser.csv``,
    ``<namn>-resultat.csv`` …), semicolon-separated UTF-8 with BOM and decimal comma, as
    Excel with Swedish settings opens them. Returns the files written. The filters are those
    of :func:`filter_initiatives`; unknown values raise ``ParameterError`` before anything
    is written. See :mod:`report_utils.explore_export`.
    """
    from . import explore_export

    tables = explore_export.tables(
        ds,
        focus_area=focus_area,
        department=department,
        year=year,
        target_group=target_group,
        text=text,
        insats_id=insats_id,
    )
    return explore_export.write(tables, Path(path))
