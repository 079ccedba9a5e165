"""The ipywidgets explorer of the 2018–2019 initiatives (``notebooks/explore.ipynb``).

The notebook only does::

    from report_utils.explore_widgets import explorer
    explorer()

Filters (focus area, department, year, target-group category, free text) drive a table of
initiatives, a table of results with their sources and a chart of headline figures, all
updated as soon as a filter changes; "Exportera" turns what they let through (and the picked
initiative) into Excel and CSV download links. The picker below finds an initiative by name,
abbreviation (MHFA, IPS, GoFaR, F-ACT) or code and shows its answer first — what it achieved
and what 2026 promises, in one line — then its 2026 successors, with the facts, results and
sub-projects folded away. Every rule lives in :mod:`report_utils.explore`; this module only
lays out widgets.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as W
import pandas as pd

from . import charts, compare, explore, explore_export
from . import formatting as F
from . import schemas as S
from .errors import ReportError
from .model import Dataset

TITLE = "Utforska insatserna 2018–2019"
INTRO = (
    "Filtrera de stimulansfinansierade insatserna och deras resultat. Tabellerna och "
    "diagrammet uppdateras direkt; Exportera ger det du hittat som Excel- och CSV-filer. "
    "Sök fram en insats längst ned (namn, förkortning som MHFA eller kod) för att se vad den "
    "uppnådde och vart arbetet tagit vägen 2026."
)
ALL_FOCUS = "Alla fokusområden"
ALL_YEARS = "Alla år"
ALL_GROUPS = "Alla målgrupper"
ALL = ""  # the "no filter" choice of a dropdown (a Dropdown cannot select the value None)
NUMERIC = ("Värde",)
CHART_TAB = 2  # index of the chart among the tabs
#: the chart draws at most this many initiatives per number of years shown, so it stays
#: within about 560 px and its axis stays in view; the table under it lists all
CHART_ROWS = {1: 8, 2: 5}

CSS = """
<style>
.ru-explore { font-size: 13px; line-height: 1.4; white-space: normal; }
.ru-explore h2, .ru-explore h3, .ru-explore h4 { line-height: 1.25; margin: 0.5em 0 0.3em; }
.ru-explore p { margin: 0.3em 0; }
.ru-explore .scroll { max-height: 460px; overflow: auto; border: 1px solid #ddd; }
.ru-explore table.data { border-collapse: collapse; width: 100%; }
.ru-explore table.data caption { text-align: left; font-weight: bold; padding: 4px 0; }
.ru-explore table.data th, .ru-explore table.data td {
  border-bottom: 1px solid #e5e5e5; padding: 3px 6px; text-align: left; vertical-align: top;
  max-width: 26em; line-height: 1.35; font-size: 12px; }
.ru-explore table.data thead th {
  position: sticky; top: 0; background: #f3f6f9; white-space: nowrap; }
.ru-explore td.num { text-align: right; white-space: nowrap; }
.ru-explore .empty, .ru-explore .note { color: #555; font-style: italic; }
.ru-explore .error { color: #a00; font-weight: bold; }
.ru-explore .answer { font-size: 15px; font-weight: bold; margin: 0.2em 0 0.4em;
  padding: 6px 10px; background: #eef4fa; border-left: 4px solid #0072B2; }
.ru-explore .code { color: #555; font-weight: normal; font-size: 12px; }
.ru-explore ul.headlines { margin: 0.2em 0 0.6em 1.2em; padding: 0; }
.ru-explore details { margin: 0.4em 0; }
.ru-explore details > summary { cursor: pointer; color: #0a4f7a; }
.ru-explore details.ocr > summary { font-size: 11px; color: #555; }
.ru-explore .ocr-note { font-size: 11px; color: #555; font-style: italic; margin: 0.2em 0; }
.ru-explore q.ocr { font-family: monospace; font-size: 11px; }
.ru-explore figure { margin: 0; }
.ru-explore figure img { max-width: 100%; height: auto; }
.ru-explore figcaption { color: #555; font-size: 12px; }
.ru-explore .downloads a { margin-right: 1em; }
</style>
"""


def html_table(
    frame: pd.DataFrame,
    caption: str | None = None,
    empty: str = "Inga rader att visa.",
    numeric: Iterable[str] = NUMERIC,
) -> str:
    """A display frame as an escaped HTML table (:func:`report_utils.formatting.table`)."""
    numeric = set(numeric)
    cols = list(frame.columns)
    rows = [
        [F.Cell(v, num=c in numeric) for c, v in zip(cols, rec, strict=True)]
        for rec in frame.itertuples(index=False, name=None)
    ]
    return F.table(cols, rows, caption=caption, empty=empty)


def _wrap(markup: str, scroll: bool = True) -> str:
    inner = F.tag("div", markup, class_="scroll") if scroll else markup
    return CSS + F.tag("div", inner, class_="ru-explore")


def _details(summary: str, body: str, cls: str | None = None, open_: bool = False) -> str:
    return F.tag("details", F.tag("summary", F.esc(summary)) + body, class_=cls, open=open_)


# -- the chart -----------------------------------------------------------------------------------
def key_figure_chart(ds: Dataset, results: pd.DataFrame, department: str | None = None) -> str:
    """The achieved headline figures of ``results`` as a bar chart (HTML) of the largest
    few, with every one in the table under it; or a note when there are none."""
    years = sorted({int(y) for y in results["ar"]}) if len(results) else []
    limit = CHART_ROWS.get(len(years), min(CHART_ROWS.values()))
    data = explore.key_figure_chart(ds, results, department, limit=limit)
    if not data:
        return F.tag("p", F.esc("Inga nyckeltal bland de filtrerade resultaten."), class_="empty")
    labels, values, texts = data.top()
    return _chart(
        tuple(labels),
        tuple((y, tuple(v)) for y, v in values.items()),
        tuple((y, tuple(t)) for y, t in texts.items()),
        tuple(tuple(r) for r in data.table),
        data.total,
    )


@functools.lru_cache(maxsize=64)
def _chart(labels: tuple, values: tuple, texts: tuple, table: tuple, total: int) -> str:
    """Drawing takes a few tenths of a second: the same figures are drawn once."""
    series = {y: list(v) for y, v in values}
    years = list(series)
    span = "–".join(dict.fromkeys([years[0], years[-1]]))
    shown = len(labels)
    which = (
        f"de {shown} insatser med störst siffror av {total}"
        if shown < total
        else F.plural(total, "insats", "insatser")
    )
    biggest = labels[0][:60]
    alt = (
        f"Stapeldiagram: personer som nåtts eller utbildats, {which}, {span}. "
        f"Störst: {biggest}. Alla siffror finns i tabellen under diagrammet."
    )[: charts.MAX_ALT]
    caption = (
        "Varje insats huvudsiffra för nådda eller utbildade personer det året, som källan "
        "anger den (ca, drygt, över behålls). Planer, sammanlagda siffror för flera år och "
        "bakgrundsuppgifter ingår inte; ingen stapel betyder att insatsen inte pågick det året."
    )
    if shown < total:
        caption += f" Diagrammet visar de {shown} största; alla {total} står i tabellen."
    chart = charts.bar_chart(
        list(labels),
        series,
        title=f"Personer som nåtts eller utbildats, {span}",
        xlabel="Antal personer (insatsens huvudsiffra)",
        alt=alt,
        caption=caption,
        value_labels={y: list(t) for y, t in texts},
        table=charts.ChartTable(
            id="utforskaren-nyckeltal",
            caption=f"Huvudsiffror för {F.plural(total, 'insats', 'insatser')}, {span}",
            columns=["Insats", *[F.Cell(y, num=True) for y in years]],
            rows=[[r[0], *[F.Cell(c, num=True) for c in r[1:]]] for r in table],
        ),
    )
    return str(chart)


# -- one initiative --------------------------------------------------------------------------------
def _evidence_cell(rec: dict) -> F.Cell:
    """Belägg 2026: the corrected Swedish, the raw OCR folded away and marked as OCR."""
    shown = F.esc(explore.evidence_text(rec))
    raw = rec.get("kalla_citat_2026")
    if F.is_missing(raw):
        return F.Cell(markup=shown)
    ocr = F.tag("p", F.esc(f"Ordagrant ur 2026 års text ({explore.OCR_NOTE}):"), class_="ocr-note")
    ocr += F.tag("q", F.esc(raw), class_="ocr")
    return F.Cell(markup=shown + _details("Visa inskannad text (OCR)", ocr, cls="ocr"))


def _reason_cell(rec: dict) -> F.Cell:
    reason = F.esc(explore._text(rec["motivering"], explore.NOT_APPLICABLE))
    quote = rec.get("kalla_citat_2018")
    if F.is_missing(quote):
        return F.Cell(markup=reason)
    return F.Cell(markup=reason + _details("Belägg 2018–2019", F.tag("q", F.esc(quote))))


def successors_html(succ: pd.DataFrame, year: int | None) -> str:
    """The 2026 successors, compact: relation, theme, indicator with its target, why, and the
    evidence in corrected Swedish (the OCR on request)."""
    rows = []
    for r in succ.to_dict("records"):
        table = explore.successors_table(pd.DataFrame([r], columns=succ.columns)).iloc[0]
        indicator, target = table["Indikator"], table["Mål"]
        if target == compare.MAL_SAKNAS:
            indicator += f" ({target})"
        elif target != explore.NOT_APPLICABLE:
            indicator += f" (mål: {target})"
        rows.append(
            [table["Relation"], table["Tema"], indicator, _reason_cell(r), _evidence_cell(r)]
        )
    caption = f"Efterföljare {year}: tema och indikatorer" if year else "Efterföljare"
    return F.table(
        ["Relation", "Tema", "Indikator", "Motivering", f"Belägg {year or ''}".strip()],
        rows,
        caption=caption,
        empty="Insatsen finns inte i kopplingstabellen (koppling.xlsx).",
    )


def record_html(ds: Dataset, insats_id: str) -> str:
    """One initiative, its answer first: the one-line answer, its headline figures and its
    2026 successors; the facts, all results with sources and sub-projects folded away."""
    rec = explore.initiative_record(ds, insats_id)
    year = ds.latest_goal_year
    parts = [
        F.tag(
            "h3",
            F.esc(rec.etikett) + " " + F.tag("span", F.esc(f"({rec.insats_id})"), class_="code"),
        ),
        F.tag("p", F.esc(rec.svar), class_="answer"),
    ]
    if rec.nyckeltal:
        parts.append(
            F.tag(
                "ul",
                "".join(F.tag("li", F.esc(line)) for line in rec.nyckeltal),
                class_="headlines",
            )
        )
    succ = rec.efterfoljare
    if len(succ) and succ["via"].iloc[0]:
        parts.append(
            F.tag(
                "p",
                F.esc(
                    f"Delprojektet har ingen egen koppling; huvudinsatsens "
                    f"({succ['via'].iloc[0]}) visas."
                ),
                class_="note",
            )
        )
    parts.append(successors_html(succ, year))
    facts = rec.facts()
    parts.append(
        _details(
            f"Alla uppgifter om insatsen ({len(facts)} fält)",
            html_table(facts, caption="Insatsen", numeric=()),
        )
    )
    parts.append(
        _details(
            f"Resultat med källa ({len(rec.resultat)})",
            html_table(
                explore.results_table(ds, rec.resultat),
                caption="Resultat med källa",
                empty="Texten redovisar inga siffror för insatsen.",
            ),
        )
    )
    if len(rec.delprojekt):
        parts.append(
            _details(
                f"Delprojekt ({len(rec.delprojekt)})",
                html_table(explore.subprojects_table(rec), caption="Delprojekt", numeric=()),
            )
        )
    return _wrap("".join(parts), scroll=False)


# -- export --------------------------------------------------------------------------------------
def _data_link(data: bytes, mime: str, filename: str, text: str) -> str:
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return F.tag("a", F.esc(text), href=href, download=filename)


def export_html(ds: Dataset, filters: dict, insats_id: str | None, export_dir: Path | None) -> str:
    """Download links (data URIs: they work whatever folder JupyterLab serves) for the Excel
    workbook and each CSV table; the same files are also written to ``export_dir``."""
    tables = explore_export.tables(ds, insats_id=insats_id, **filters)
    stem = explore_export.file_stem(insats_id=insats_id, **filters)
    xlsx = explore_export.xlsx_bytes(tables)
    links = [
        _data_link(
            xlsx,
            explore_export.XLSX_MIME,
            f"{stem}.xlsx",
            f"Excel: {stem}.xlsx ({F.number(len(xlsx) / 1024, 0)} kB)",
        )
    ]
    csvs = {t.slug: explore_export.csv_bytes(t) for t in tables}
    links += [
        _data_link(data, explore_export.CSV_MIME, f"{stem}-{slug}.csv", f"CSV: {slug}")
        for slug, data in csvs.items()
    ]
    saved = ""
    if export_dir is not None:
        try:
            export_dir.mkdir(parents=True, exist_ok=True)
            (export_dir / f"{stem}.xlsx").write_bytes(xlsx)
            for slug, data in csvs.items():
                (export_dir / f"{stem}-{slug}.csv").write_bytes(data)
            saved = F.tag(
                "p", F.esc(f"Filerna är också sparade i {_shown_path(export_dir)}."), class_="note"
            )
        except OSError as err:
            saved = F.tag("p", F.esc(f"Kunde inte spara i {export_dir}: {err}"), class_="note")
    counts = tables[0].rows
    n_init = next(v for k, v in counts if k == "Antal insatser")
    n_res = next(v for k, v in counts if k == "Antal resultat")
    what = f"{F.plural(n_init, 'insats', 'insatser')} och {F.number(n_res, 0)} resultat" + (
        f", och allt om {insats_id}" if insats_id else ""
    )
    body = F.tag("p", F.esc(f"Ladda ned ({what}): ") + " · ".join(links), class_="downloads")
    return _wrap(body + saved, scroll=False)


def _shown_path(path: Path) -> str:
    """A folder as the user knows it: relative to the project (``outputs/exports``)."""
    from .settings import Settings

    try:
        return str(Path(path).resolve().relative_to(Settings().project_root))
    except ValueError:
        return str(path)


# -- the widget ------------------------------------------------------------------------------------
def _department_label(ds: Dataset, code: str) -> str:
    name = "alla förvaltningar" if code == S.DEPARTMENT_ALL else ds.department_name(code)
    return f"{code} – {name}"


def _error(err: Exception) -> str:
    return _wrap(F.tag("p", F.esc(str(err)), class_="error"), scroll=False)


def _note(text: str) -> str:
    return _wrap(F.tag("p", F.esc(text), class_="note"), scroll=False)


class Explorer(W.VBox):
    """The explorer widget: filters, export, tables, chart and initiative picker."""

    def __init__(self, ds: Dataset, export_dir: Path | None = None, **kwargs):
        self.ds = ds
        self.export_dir = export_dir
        opts = explore.filter_options(ds)
        focus_names = dict(zip(ds.fokusomraden["nr"], ds.fokusomraden["namn"], strict=True))
        wide = {"description_width": "initial"}
        self.focus = W.Dropdown(
            options=[(ALL_FOCUS, ALL)]
            + [(f"{nr}. {focus_names[nr]}", nr) for nr in opts["focus_area"]],
            value=ALL,
            description="Fokusområde",
            style=wide,
            layout=W.Layout(width="420px"),
        )
        self.department = W.Dropdown(
            options=[(_department_label(ds, code), code) for code in opts["department"]],
            value=S.DEPARTMENT_ALL,
            description="Förvaltning",
            style=wide,
            layout=W.Layout(width="360px"),
        )
        self.year = W.Dropdown(
            options=[(ALL_YEARS, ALL)] + [(str(y), y) for y in opts["year"]],
            value=ALL,
            description="År",
            style=wide,
            layout=W.Layout(width="170px"),
        )
        self.target_group = W.Dropdown(
            options=[(ALL_GROUPS, ALL)] + [(g, g) for g in opts["target_group"]],
            value=ALL,
            description="Målgrupp",
            style=wide,
            layout=W.Layout(width="420px"),
        )
        self.text = W.Text(
            value="",
            placeholder="t.ex. MHFA, IPS, GoFaR, F-ACT, elever",
            description="Fritext",
            style=wide,
            layout=W.Layout(width="360px"),
        )
        self.reset = W.Button(
            description="Rensa filtren",
            icon="times",
            tooltip="Visa alla insatser och resultat igen",
        )
        self.export = W.Button(
            description="Exportera",
            icon="download",
            layout=W.Layout(width="auto", min_width="140px", flex="0 0 auto"),
            tooltip="Insatserna och resultaten som filtren visar, och den valda insatsen, "
            "som Excel- och CSV-filer",
        )
        self.downloads = W.HTML()
        self.summary = W.HTML()
        self.initiatives_html = W.HTML()
        self.results_html = W.HTML()
        self.chart_html = W.HTML()
        self.tabs = W.Tab(children=[self.initiatives_html, self.results_html, self.chart_html])
        for i, title in enumerate(("Insatser", "Resultat", "Diagram: nyckeltal")):
            self.tabs.set_title(i, title)
        self.picker = W.Combobox(
            options=[],
            value="",
            ensure_option=False,
            continuous_update=False,
            placeholder="namn, förkortning (MHFA, IPS, GoFaR) eller kod – välj i listan",
            description="Insats",
            style=wide,
            layout=W.Layout(width="720px"),
        )
        self.picker_note = W.HTML()
        self.record_html = W.HTML()
        self.selected: str | None = None
        self._choices: dict[str, str] = {}  # picker label -> insats_id
        self._ids: list[str] = []  # the filtered initiatives
        self._results = pd.DataFrame()
        self._chart_stale = True

        filters = W.VBox(
            [
                W.HBox([self.focus, self.department, self.year]),
                W.HBox([self.target_group, self.text, self.reset]),
            ]
        )
        header = W.HTML(_wrap(F.tag("h2", F.esc(TITLE)) + F.tag("p", F.esc(INTRO)), scroll=False))
        detail = W.VBox(
            [
                W.HTML(
                    _wrap(
                        F.tag("h3", F.esc("Insats i detalj"))
                        + F.tag(
                            "p",
                            F.esc(
                                "Skriv i rutan och välj i listan, eller skriv en förkortning "
                                "eller kod och tryck Enter. Listan visar insatserna som "
                                "filtren släpper igenom."
                            ),
                            class_="note",
                        ),
                        scroll=False,
                    )
                ),
                self.picker,
                self.picker_note,
                self.record_html,
            ]
        )
        export_row = W.HBox([self.export, self.downloads])
        super().__init__([header, filters, self.summary, export_row, self.tabs, detail], **kwargs)

        for widget in (self.focus, self.department, self.year, self.target_group, self.text):
            widget.observe(self._on_filter, names="value")
        self.picker.observe(self._on_pick, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.reset.on_click(self._on_reset)
        self.export.on_click(self._on_export)
        self.refresh()

    # -- state ----------------------------------------------------------------------------------
    @property
    def filters(self) -> dict:
        return {
            "focus_area": self.focus.value or None,
            "department": self.department.value,
            "year": self.year.value or None,
            "target_group": self.target_group.value or None,
            "text": self.text.value or None,
        }

    def refresh(self) -> None:
        """Apply the filters: summary, both tables, chart and the picker's choices."""
        try:
            inits = explore.filter_initiatives(self.ds, **self.filters)
            results = explore.filter_results(self.ds, **self.filters)
        except ReportError as err:
            self.summary.value = _error(err)
            return
        self.summary.value = _wrap(F.tag("p", F.esc(explore.summary(inits, results))), scroll=False)
        self.downloads.value = ""
        self.initiatives_html.value = _wrap(
            html_table(
                explore.initiatives_table(inits),
                caption="Insatser",
                empty="Inga insatser matchar filtren.",
            )
        )
        self.results_html.value = _wrap(
            html_table(
                explore.results_table(self.ds, results),
                caption="Resultat med källa",
                empty="Inga resultat matchar filtren.",
            )
        )
        self._results = results
        self._chart_stale = True
        if self.tabs.selected_index == CHART_TAB or not self.chart_html.value:
            self._draw_chart()
        else:  # drawn when its tab is opened: typing in the text box stays quick
            self.chart_html.value = _note("Diagrammet ritas när fliken öppnas.")
        self._ids = list(inits["insats_id"])
        choices = explore.initiative_choices(self.ds, self._ids)
        self._choices = dict(choices)
        label_of = {iid: label for label, iid in choices}
        keep = (
            self.selected if self.selected in self._ids else (self._ids[0] if self._ids else None)
        )
        self.picker.unobserve(self._on_pick, names="value")
        try:
            self.picker.options = [label for label, _iid in choices]
            self.picker.value = label_of.get(keep, "")
        finally:
            self.picker.observe(self._on_pick, names="value")
        self.picker_note.value = ""
        self._show(keep)

    def _draw_chart(self) -> None:
        if self._chart_stale:
            self.chart_html.value = _wrap(
                key_figure_chart(self.ds, self._results, self.department.value), scroll=False
            )
            self._chart_stale = False

    def _show(self, insats_id: str | None) -> None:
        self.selected = insats_id
        if insats_id is None:
            self.record_html.value = _wrap(
                F.tag("p", F.esc("Ingen insats matchar filtren."), class_="empty"), scroll=False
            )
            return
        try:
            self.record_html.value = record_html(self.ds, insats_id)
        except ReportError as err:
            self.record_html.value = _error(err)

    def pick(self, query: str) -> str | None:
        """Show the initiative ``query`` names (a picker label, an abbreviation, a code or
        words), preferring those the filters let through; returns its id."""
        query = (query or "").strip()
        if not query:
            return self.selected
        iid = self._choices.get(query)
        hits = [iid] if iid else explore.find_initiatives(self.ds, query, among=self._ids)
        outside = False
        if not hits:
            hits, outside = explore.find_initiatives(self.ds, query), True
        if not hits:
            self.picker_note.value = _note(f"Ingen insats matchar ”{query}”.")
            return self.selected
        notes = []
        if outside:
            notes.append("Insatsen finns inte bland de filtrerade; den visas ändå.")
        if len(hits) > 1:
            labels = dict(explore.initiative_choices(self.ds, hits[1:6]))
            notes.append(
                f"{len(hits)} insatser matchar ”{query}”; visar den bästa. Andra: "
                + "; ".join(labels)
                + ("; …" if len(hits) > 6 else "")
            )
        self.picker_note.value = _note(" ".join(notes)) if notes else ""
        self._show(hits[0])
        label = dict(explore.initiative_choices(self.ds, hits[:1])).popitem()[0]
        if self.picker.value != label:  # the box names what is shown ("MHFA" → its label)
            self.picker.unobserve(self._on_pick, names="value")
            try:
                self.picker.value = label
            finally:
                self.picker.observe(self._on_pick, names="value")
        return hits[0]

    # -- events ---------------------------------------------------------------------------------
    def _on_filter(self, _change) -> None:
        self.refresh()

    def _on_tab(self, change) -> None:
        if change["new"] == CHART_TAB:
            self._draw_chart()

    def _on_pick(self, change) -> None:
        self.pick(change["new"])

    def _on_export(self, _button) -> None:
        try:
            self.downloads.value = export_html(
                self.ds, self.filters, self.selected, self.export_dir
            )
        except ReportError as err:
            self.downloads.value = _error(err)

    def _on_reset(self, _button) -> None:
        for widget, value in (
            (self.focus, ALL),
            (self.department, S.DEPARTMENT_ALL),
            (self.year, ALL),
            (self.target_group, ALL),
            (self.text, ""),
        ):
            widget.unobserve(self._on_filter, names="value")
            widget.value = value
            widget.observe(self._on_filter, names="value")
        self.refresh()


def explorer(
    data_dir: str | Path | None = None, ds: Dataset | None = None, export_dir: Path | None = None
) -> Explorer:
    """The explorer on the project's data (or ``data_dir``, or an already loaded ``ds``).

    Exports are offered as download links and also saved in ``export_dir`` (default:
    ``outputs/exports/`` of the project).
    """
    if ds is None:
        from .report import load

        ds = load(data_dir)
    if export_dir is None:
        from .settings import Settings

        export_dir = Settings().out_dir / "exports"
    return Explorer(ds, export_dir=Path(export_dir))
