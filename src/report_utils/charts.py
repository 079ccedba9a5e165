"""One chart style for every report: Swedish labels, contrast-safe colours with patterns,
short alt text and the chart's data as a table.

Charts are drawn on :class:`matplotlib.figure.Figure` objects, never through pyplot, so
drawing a chart changes neither pyplot's backend nor its current figure in an analyst's
session. Text is never parsed as mathtext: a spreadsheet text with ``$`` signs stays what
it says. Each chart comes back as a ``<figure>`` with the SVG embedded as a data URI (no
file, no network), deterministic bytes (same data, same SVG), and a ``<details>`` table
with the numbers the chart shows.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from . import formatting as F

#: Series colours: Okabe & Ito's colour-blind-safe hues, picked and ordered so that every
#: one has at least 3:1 contrast against white (WCAG 1.4.11); patterns tell them apart too.
PALETTE = (
    "#0072B2",  # blue (5.2:1)
    "#D55E00",  # vermillion (3.9:1)
    "#007A5A",  # bluish green, darkened (5.4:1)
    "#A8467D",  # reddish purple, darkened (5.6:1)
)
HATCHES = ("", "////", "....", "xxxx")
INK = "#1A1A1A"  # text (17:1)
MUTED = "#595959"  # secondary text (7:1)
GRID = "#D9D9D9"
A4_WIDTH_IN = 6.7  # printable width of A4 with 2 cm margins
MAX_ALT = 250  # characters; the data table carries the detail

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 9,
    "text.color": INK,
    "text.parse_math": False,  # "5 $ resp. 10 $" stays text, never mathtext
    "text.usetex": False,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": GRID,
    "hatch.color": "white",
    "hatch.linewidth": 1.0,
    "svg.hashsalt": "report-utils",  # deterministic ids inside the SVG
    # text stays text: smaller files, searchable; the browser's sans-serif font is used
    # where DejaVu Sans is missing (the layout is computed with room to spare)
    "svg.fonttype": "none",
    "axes.formatter.use_locale": False,
}


class _NoBar:
    """A value that draws nothing: the initiative did not run (or was not the
    department's) that year. Unlike ``None`` ("uppgift saknas") it is not labelled."""

    def __repr__(self) -> str:
        return "NO_BAR"


NO_BAR = _NoBar()


@dataclass(frozen=True)
class ChartTable:
    """The numbers a chart shows, as a table a screen reader (and a printed page) can read."""

    id: str  # unique within the report
    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]  # first cell of each row is its header


def style() -> dict:
    """The rcParams every chart is drawn with."""
    from cycler import cycler

    return STYLE | {"axes.prop_cycle": cycler(color=PALETTE)}


def _figure(height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(A4_WIDTH_IN, height))
    return fig, fig.add_subplot()


def figure_html(fig, alt: str, caption: str, table: ChartTable | None = None) -> F.HTML:
    """Embed a figure as SVG in a ``<figure>`` with alt text, caption and its data table.

    The saved area is the figure's tight bounding box, so no label is ever cut off.
    """
    from . import templating

    if len(alt) > MAX_ALT:
        raise ValueError(f"alt text over {MAX_ALT} characters ({len(alt)}): {alt[:60]} …")
    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="svg",
        bbox_inches="tight",
        pad_inches=0.08,
        metadata={"Date": None, "Creator": None},
    )
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return templating.render(
        "figur.html.j2",
        plain=f"[Diagram: {alt}]",
        src=f"data:image/svg+xml;base64,{data}",
        alt=alt,
        caption=caption,
        table=table,
    )


def _wrap(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _number_formatter(percent: bool):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: F.percent(v, 0) if percent else F.number(v, 1))


def bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[object]],
    title: str,
    xlabel: str,
    alt: str,
    caption: str,
    percent: bool = False,
    value_labels: dict[str, Sequence[str | None]] | None = None,
    table: ChartTable | None = None,
) -> F.HTML:
    """Horizontal bars, one group per label and one bar per series (e.g. per year).

    A value ``None`` draws no bar and says "uppgift saknas" (never 0); :data:`NO_BAR` draws
    nothing at all. ``value_labels`` are the texts written at the bars' ends (default: the
    number), so a source's qualifier stays with its figure ("ca 1 100").
    """
    from matplotlib.ticker import MaxNLocator

    n_series = max(len(series), 1)
    rows = len(labels)
    height = max(1.6, 0.32 * rows * n_series + 0.25 * rows + 1.0)
    numbers = [v for vals in series.values() for v in vals if isinstance(v, int | float)]
    top = max(numbers, default=1) or 1
    import matplotlib

    with matplotlib.rc_context(style()):
        fig, ax = _figure(height)
        bar_h = 0.8 / n_series
        for i, (name, values) in enumerate(series.items()):
            texts = (value_labels or {}).get(name) or [None] * len(values)
            for y, value, text in zip(range(rows), values, texts, strict=True):
                yy = y - 0.4 + bar_h * (i + 0.5)
                if value is NO_BAR:
                    continue
                if value is None:
                    ax.text(top * 0.01, yy, F.MISSING, va="center", fontsize=7.5, color=MUTED)
                    continue
                ax.barh(
                    yy,
                    value,
                    height=bar_h * 0.9,
                    color=PALETTE[i % len(PALETTE)],
                    hatch=HATCHES[i % len(HATCHES)],
                    edgecolor=PALETTE[i % len(PALETTE)],
                    label=name,
                )
                shown = text or (F.percent(value) if percent else F.number(value))
                ax.text(value + top * 0.01, yy, shown, va="center", fontsize=8, color=INK)
        ax.set_yticks(range(rows), [_wrap(lbl) for lbl in labels])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.25)
        several = len(series) > 1
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold", pad=20 if several else 6)
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_formatter(_number_formatter(percent))
        if all(float(v).is_integer() for v in numbers):  # counts: no half-person ticks
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if several:  # the key under the title, before the first bar, not after the last
            handles, names = ax.get_legend_handles_labels()
            unique = dict(zip(names, handles, strict=False))
            ax.legend(
                unique.values(),
                unique.keys(),
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                ncols=len(unique),
                frameon=False,
                borderaxespad=0.2,
            )
        return figure_html(fig, alt, caption, table)


def matrix_chart(
    rows: Sequence[str],
    cols: Sequence[str],
    values: Sequence[Sequence[float]],
    title: str,
    alt: str,
    caption: str,
    col_label: str = "",
    table: ChartTable | None = None,
) -> F.HTML:
    """A heat map with the count written in each cell (readable without colour)."""
    import matplotlib

    with matplotlib.rc_context(style() | {"axes.grid": False}):
        fig, ax = _figure(max(1.8, 0.45 * len(rows) + 1.2))
        top = max((v for r in values for v in r), default=1) or 1
        ax.imshow(values, cmap="Blues", vmin=0, vmax=top * 1.3, aspect="auto")
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                dark = v > top * 0.6
                ax.text(
                    j,
                    i,
                    F.number(v, 0),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if dark else INK,
                )
        ax.set_xticks(range(len(cols)), cols)
        ax.set_yticks(range(len(rows)), [_wrap(r, 30) for r in rows])
        ax.set_xlabel(col_label)
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        return figure_html(fig, alt, caption, table)


def line_chart(
    x: Sequence[int],
    series: dict[str, Sequence[float | None]],
    title: str,
    ylabel: str,
    alt: str,
    caption: str,
    table: ChartTable | None = None,
) -> F.HTML:
    """Values over years, one line per series (marker shapes differ); gaps where a year
    is not reported."""
    import matplotlib

    with matplotlib.rc_context(style() | {"axes.grid.axis": "y"}):
        fig, ax = _figure(2.8)
        markers = "osD^v<>p"
        for i, (name, values) in enumerate(series.items()):
            ys = [float("nan") if v is None else v for v in values]
            ax.plot(
                x,
                ys,
                marker=markers[i % len(markers)],
                color=PALETTE[i % len(PALETTE)],
                linestyle=("-", "--", ":", "-.")[i % 4],
                label=_wrap(name, 50),
            )
        ax.set_xticks(list(x), [str(v) for v in x])
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(_number_formatter(False))
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return figure_html(fig, alt, caption, table)
