"""The ipywidgets explorer of the 2018–2019 initiatives (``notebooks/explore.ipynb``).

The notebook only does::

    from report_utils.explore_widgets import explorer
    explorer()

Filters (focus area, department, year, target group, free text) drive a table of
initiatives, a table of results with their sources and a chart of headline figures, all
updated as soon as a filter changes. The initiative picker below shows one initiative's
full record, its results with source sentences, its sub-projects and its 2026 successors.
Every rule lives in :mod:`report_utils.explore`; this module only lays out widgets.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as W
import pandas as pd

from . import charts, explore
from . import formatting as F
from . import schemas as S
from .errors import ReportError
from .model import Dataset

TITLE = "Utforska insatserna 2018–2019"
INTRO = (
    "Filtrera de stimulansfinansierade insatserna och deras resultat. Tabellerna och "
    "diagrammet uppdateras direkt. Välj en insats längst ned för att se allt om den: "
    "uppgifterna, varje resultat med källa och vart arbetet tagit vägen 2026."
)
ALL_FOCUS = "Alla fokusområden"
ALL_YEARS = "Alla år"
ALL = ""  # the "no filter" choice of a dropdown (a Dropdown cannot select the value None)
NUMERIC = ("Värde",)
CHART_TAB = 2  # index of the chart among the tabs

CSS = """
<style>
.ru-explore { font-size: 13px; line-height: 1.4; white-space: normal; }
.ru-explore h2, .ru-explore h3 { line-height: 1.25; margin: 0.4em 0; }
.ru-explore p { margin: 0.3em 0; }
.ru-explore .scroll { max-height: 460px; overflow: auto; border: 1px solid #ddd; }
.ru-explore table.data { border-collapse: collapse; width: 100%; }
.ru-explore table.data caption { text-align: left; font-weight: bold; padding: 4px 0; }
.ru-explore table.data th, .ru-explore table.data td {
  border-bottom: 1px solid #e5e5e5; padding: 3px 6px; text-align: left; vertical-align: top;
  max-width: 22em; line-height: 1.35; font-size: 12px; }
.ru-explore table.data thead th {
  position: sticky; top: 0; background: #f3f6f9; white-space: nowrap; }
.ru-explore td.num { text-align: right; white-space: nowrap; }
.ru-explore .empty, .ru-explore .note { color: #555; font-style: italic; }
.ru-explore .error { color: #a00; font-weight: bold; }
.ru-explore figure { margin: 0; }
.ru-explore figure img { max-width: 100%; }
.ru-explore figcaption { color: #555; font-size: 12px; }
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


def key_figure_chart(ds: Dataset, results: pd.DataFrame) -> str:
    """The headline figures of ``results`` as a bar chart (HTML), or a note when there are none."""
    labels, series = explore.key_figures(ds, results)
    if not labels:
        return F.tag("p", F.esc("Inga nyckeltal bland de filtrerade resultaten."), class_="empty")
    return _chart(tuple(labels), tuple((y, tuple(v)) for y, v in series.items()))


@functools.lru_cache(maxsize=64)
def _chart(labels: tuple[str, ...], series_items: tuple) -> str:
    """Drawing takes a few tenths of a second: the same figures are drawn once."""
    series = {y: list(v) for y, v in series_items}
    alt = (
        f"Stapeldiagram: nådda eller utbildade personer för {len(labels)} insatser, "
        f"{'–'.join(series)}. Siffrorna står vid staplarna."
    )
    chart = charts.bar_chart(
        list(labels),
        series,
        title=f"Nådda eller utbildade personer per insats ({'–'.join(series)})",
        xlabel="Antal personer (insatsens huvudsiffra)",
        alt=alt,
        caption="Varje insats huvudsiffra (nyckeltal) för nådda eller utbildade personer, per år. "
        "Ungefärliga siffror (ca, drygt, över) ritas med källans värde.",
    )
    return str(chart)


def record_html(ds: Dataset, insats_id: str) -> str:
    """One initiative's record, results with sources, sub-projects and 2026 successors."""
    rec = explore.initiative_record(ds, insats_id)
    year = ds.latest_goal_year
    parts = [
        F.tag("h3", F.esc(f"{rec.namn} ({rec.insats_id})")),
        html_table(rec.facts(), caption="Insatsen", numeric=()),
    ]
    if len(rec.delprojekt):
        parts.append(html_table(explore.subprojects_table(rec), caption="Delprojekt"))
    parts.append(
        html_table(
            explore.results_table(ds, rec.resultat),
            caption="Resultat med källa",
            empty="Texten redovisar inga siffror för insatsen.",
        )
    )
    succ = rec.efterfoljare
    caption = f"Efterföljare {year}: tema och indikatorer" if year else "Efterföljare"
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
    parts.append(
        html_table(
            explore.successors_table(succ),
            caption=caption,
            numeric=(),
            empty="Insatsen finns inte i kopplingstabellen (koppling.xlsx).",
        )
    )
    return _wrap("".join(parts), scroll=False)


def _department_label(ds: Dataset, code: str) -> str:
    name = "alla förvaltningar" if code == S.DEPARTMENT_ALL else ds.department_name(code)
    return f"{code} – {name}"


def _error(err: Exception) -> str:
    return _wrap(F.tag("p", F.esc(str(err)), class_="error"), scroll=False)


class Explorer(W.VBox):
    """The explorer widget: filters, tables, chart and initiative picker."""

    def __init__(self, ds: Dataset, **kwargs):
        self.ds = ds
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
        self.target_group = W.Combobox(
            options=opts["target_group"],
            value="",
            ensure_option=False,
            placeholder="alla målgrupper – skriv eller välj",
            description="Målgrupp",
            style=wide,
            layout=W.Layout(width="420px"),
        )
        self.text = W.Text(
            value="",
            placeholder="t.ex. IPS, MHFA, elever",
            description="Fritext",
            style=wide,
            layout=W.Layout(width="360px"),
        )
        self.reset = W.Button(
            description="Rensa filtren",
            icon="times",
            tooltip="Visa alla insatser och resultat igen",
        )
        self.summary = W.HTML()
        self.initiatives_html = W.HTML()
        self.results_html = W.HTML()
        self.chart_html = W.HTML()
        self.tabs = W.Tab(children=[self.initiatives_html, self.results_html, self.chart_html])
        for i, title in enumerate(("Insatser", "Resultat", "Diagram: nyckeltal")):
            self.tabs.set_title(i, title)
        self.picker = W.Dropdown(
            options=[], description="Insats", style=wide, layout=W.Layout(width="640px")
        )
        self.record_html = W.HTML()
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
                            F.esc("Listan visar insatserna som filtren släpper igenom."),
                            class_="note",
                        ),
                        scroll=False,
                    )
                ),
                self.picker,
                self.record_html,
            ]
        )
        super().__init__([header, filters, self.summary, self.tabs, detail], **kwargs)

        for widget in (self.focus, self.department, self.year, self.target_group, self.text):
            widget.observe(self._on_filter, names="value")
        self.picker.observe(self._on_pick, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.reset.on_click(self._on_reset)
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
            self.chart_html.value = _wrap(
                F.tag("p", F.esc("Diagrammet ritas när fliken öppnas."), class_="note"),
                scroll=False,
            )
        choices = [
            (f"{n} ({i})", i) for i, n in zip(inits["insats_id"], inits["namn"], strict=True)
        ]
        current = self.picker.value
        ids = [i for _label, i in choices]
        self.picker.unobserve(self._on_pick, names="value")
        try:
            self.picker.options = choices
            self.picker.value = current if current in ids else (ids[0] if ids else None)
        finally:
            self.picker.observe(self._on_pick, names="value")
        self._show_record()

    def _draw_chart(self) -> None:
        if self._chart_stale:
            self.chart_html.value = _wrap(key_figure_chart(self.ds, self._results))
            self._chart_stale = False

    def _show_record(self) -> None:
        if self.picker.value is None:
            self.record_html.value = _wrap(
                F.tag("p", F.esc("Ingen insats matchar filtren."), class_="empty"), scroll=False
            )
            return
        try:
            self.record_html.value = record_html(self.ds, self.picker.value)
        except ReportError as err:
            self.record_html.value = _error(err)

    # -- events ---------------------------------------------------------------------------------
    def _on_filter(self, _change) -> None:
        self.refresh()

    def _on_tab(self, change) -> None:
        if change["new"] == CHART_TAB:
            self._draw_chart()

    def _on_pick(self, _change) -> None:
        self._show_record()

    def _on_reset(self, _button) -> None:
        for widget, value in (
            (self.focus, ALL),
            (self.department, S.DEPARTMENT_ALL),
            (self.year, ALL),
            (self.target_group, ""),
            (self.text, ""),
        ):
            widget.unobserve(self._on_filter, names="value")
            widget.value = value
            widget.observe(self._on_filter, names="value")
        self.refresh()


def explorer(data_dir: str | Path | None = None, ds: Dataset | None = None) -> Explorer:
    """The explorer on the project's data (or ``data_dir``, or an already loaded ``ds``)."""
    if ds is None:
        from .report import load

        ds = load(data_dir)
    return Explorer(ds)
