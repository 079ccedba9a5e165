"""One chart style for every report: Swedish labels, a colour-blind-safe palette, alt text.

Charts are returned as self-contained ``<figure>`` HTML with the SVG embedded as a
data URI (no file, no network) and deterministic bytes: same data, same SVG.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence

from . import formatting as F

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",
)
GREY = "#8C8C8C"
A4_WIDTH_IN = 6.7  # printable width of A4 with 2 cm margins

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#DDDDDD",
    "axes.prop_cycle": None,  # set in style() (needs cycler)
    "svg.hashsalt": "report-utils",  # deterministic ids inside the SVG
    # text stays text: smaller files, faster to draw, searchable; the browser's sans-serif
    # font is used where DejaVu Sans is missing (labels are wrapped with room to spare)
    "svg.fonttype": "none",
    "axes.formatter.use_locale": False,
}


def style() -> dict:
    """The rcParams every chart is drawn with."""
    from cycler import cycler

    params = dict(STYLE)
    params["axes.prop_cycle"] = cycler(color=PALETTE)
    return params


def _new_figure(height: float, left: float = 0.36, bottom_in: float = 0.55, top_in: float = 0.45):
    """A figure A4-print wide with fixed margins (inches at top/bottom, a share at left).

    Fixed margins instead of constrained layout: one draw per chart instead of several.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(A4_WIDTH_IN, height))
    fig.subplots_adjust(left=left, right=0.97, bottom=bottom_in / height, top=1 - top_in / height)
    return fig, ax


def _swedish_ticks(ax, axis: str = "x", percent: bool = False, integer: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fmt = FuncFormatter(lambda v, _pos: F.percent(v, 0) if percent else F.number(v, 1))
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(fmt)
    if integer:  # counts of people: no half-person ticks
        target.set_major_locator(MaxNLocator(integer=True))


def figure_html(fig, alt: str, caption: str) -> F.HTML:
    """Embed a matplotlib figure as SVG in a ``<figure>`` with alt text and caption."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    img = F.tag("img", src=f"data:image/svg+xml;base64,{data}", alt=alt, role="img")
    img = img.replace("></img>", " />")
    markup = F.tag("figure", img + F.tag("figcaption", F.esc(caption)), class_="chart")
    return F.HTML(markup, plain=f"[Diagram: {alt}]")


def _wrap(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    title: str,
    xlabel: str,
    alt: str,
    caption: str,
    percent: bool = False,
) -> F.HTML:
    """Horizontal bars, one group per label and one bar per series (e.g. per year).

    A missing value (None) draws no bar and is labelled "uppgift saknas", never 0.
    """
    import matplotlib.pyplot as plt

    n_series = max(len(series), 1)
    height = max(1.8, 0.35 * len(labels) * n_series + 1.1)
    with plt.rc_context(style()):
        fig, ax = _new_figure(height)
        bar_h = 0.8 / n_series
        ypos = list(range(len(labels)))
        top = max((v for vals in series.values() for v in vals if v is not None), default=1) or 1
        for i, (name, values) in enumerate(series.items()):
            offs = [y - 0.4 + bar_h * (i + 0.5) for y in ypos]
            color = PALETTE[i % len(PALETTE)]
            for y, v in zip(offs, values, strict=True):
                if v is None:
                    ax.text(
                        top * 0.01,
                        y,
                        F.MISSING,
                        va="center",
                        fontsize=7.5,
                        color=GREY,
                        style="italic",
                    )
                    continue
                ax.barh(y, v, height=bar_h * 0.9, color=color, label=name)
                text = F.percent(v) if percent else F.number(v)
                ax.text(v + top * 0.01, y, text, va="center", fontsize=8)
        ax.set_yticks(ypos, [_wrap(lbl) for lbl in labels])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.15)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
        ax.set_xlabel(xlabel)
        values = [v for vals in series.values() for v in vals if v is not None]
        _swedish_ticks(ax, "x", percent, integer=all(float(v).is_integer() for v in values))
        if len(series) > 1:  # above the plot, where it cannot hide a bar
            handles, names = ax.get_legend_handles_labels()
            unique = dict(zip(names, handles, strict=False))
            ax.legend(
                unique.values(),
                unique.keys(),
                loc="lower right",
                frameon=False,
                ncols=len(unique),
                bbox_to_anchor=(1.0, 1.0),
                borderaxespad=0.2,
            )
        return figure_html(fig, alt, caption)


def matrix_chart(
    rows: Sequence[str],
    cols: Sequence[str],
    values: Sequence[Sequence[float]],
    title: str,
    alt: str,
    caption: str,
    col_label: str = "",
) -> F.HTML:
    """A heat map with the count written in each cell (readable in greyscale too)."""
    import matplotlib.pyplot as plt

    with plt.rc_context(style() | {"axes.grid": False}):
        fig, ax = _new_figure(max(1.8, 0.45 * len(rows) + 1.2), left=0.12, bottom_in=0.6)
        top = max((v for r in values for v in r), default=1) or 1
        ax.imshow(values, cmap="Blues", vmin=0, vmax=top * 1.3, aspect="auto")
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                ax.text(
                    j,
                    i,
                    F.number(v, 0),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if v > top * 0.75 else "black",
                )
        ax.set_xticks(range(len(cols)), cols)
        ax.set_yticks(range(len(rows)), [_wrap(r, 30) for r in rows])
        ax.set_xlabel(col_label)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        return figure_html(fig, alt, caption)


RELATION_COLORS = {
    "fortsätter": PALETTE[2],
    "ny form": PALETTE[0],
    "avvecklad": PALETTE[5],
    "ingen efterföljare": GREY,
}
RELATION_STYLES = {"fortsätter": "-", "ny form": "--", "avvecklad": ":", "ingen efterföljare": ":"}


def continuity_chart(
    left: Sequence[str],
    right: Sequence[str],
    links: Sequence[tuple[int, int | None, str]],
    title: str,
    alt: str,
    caption: str,
) -> F.HTML:
    """2018–2019 initiatives (left) joined to 2026 themes (right), one line per link.

    Colour *and* line style encode the relation, so the chart reads without colour.
    A link to ``None`` (no successor) ends in a short stub marked "ingen efterföljare".
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    n = max(len(left), len(right), 1)
    with plt.rc_context(style() | {"axes.grid": False}):
        fig, ax = _new_figure(max(2.2, 0.32 * n + 1.2), left=0.01, bottom_in=0.5)
        ly = {i: n - 1 - i * (n - 1) / max(len(left) - 1, 1) for i in range(len(left))}
        ry = {j: n - 1 - j * (n - 1) / max(len(right) - 1, 1) for j in range(len(right))}
        if len(right) == 1:
            ry = {0: (n - 1) / 2}
        seen: dict[tuple, int] = {}
        for i, j, relation in links:
            color = RELATION_COLORS.get(relation, GREY)
            ls = RELATION_STYLES.get(relation, "-")
            k = seen[(i, j)] = seen.get((i, j), -1) + 1  # the same pair twice: draw side by side
            dy = 0.12 * k
            if j is None:
                ax.plot([0.02, 0.3], [ly[i] - dy, ly[i] - dy], color=color, ls=ls, lw=1.6)
                ax.text(0.31, ly[i] - dy, "ingen efterföljare", va="center", fontsize=7, color=GREY)
            else:
                ax.plot([0.02, 0.98], [ly[i] - dy, ry[j] - dy], color=color, ls=ls, lw=1.6)
        for i, label in enumerate(left):
            ax.text(0, ly[i], _wrap(label, 34), ha="right", va="center", fontsize=8)
        for j, label in enumerate(right):
            ax.text(1, ry[j], _wrap(label, 34), ha="left", va="center", fontsize=8)
        ax.set_xlim(-0.9, 1.9)
        ax.set_ylim(-0.8, n - 0.2)
        ax.axis("off")
        ax.text(0, n - 0.2, "2018–2019", ha="right", fontweight="bold")
        ax.text(1, n - 0.2, "2026", ha="left", fontweight="bold")
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
        handles = [
            Line2D([0], [0], color=RELATION_COLORS[r], ls=RELATION_STYLES[r], lw=1.6, label=r)
            for r in RELATION_COLORS
            if any(rel == r for *_x, rel in links)
        ]
        if handles:
            ax.legend(
                handles=handles,
                loc="lower center",
                ncols=len(handles),
                frameon=False,
                bbox_to_anchor=(0.5, -0.08),
            )
        return figure_html(fig, alt, caption)


def line_chart(
    x: Sequence[int],
    series: dict[str, Sequence[float | None]],
    title: str,
    ylabel: str,
    alt: str,
    caption: str,
) -> F.HTML:
    """Values over years, one line per series; gaps where a year is not reported."""
    import matplotlib.pyplot as plt

    with plt.rc_context(style() | {"axes.grid.axis": "y"}):
        fig, ax = _new_figure(2.8, left=0.1)
        markers = "osD^v<>p"
        for i, (name, values) in enumerate(series.items()):
            ys = [float("nan") if v is None else v for v in values]
            ax.plot(x, ys, marker=markers[i % len(markers)], label=name)
        ax.set_xticks(list(x), [str(v) for v in x])
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=10)
        ax.set_ylabel(ylabel)
        _swedish_ticks(ax, "y")
        ax.legend(frameon=False, fontsize=8)
        return figure_html(fig, alt, caption)
