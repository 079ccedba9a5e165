"""Swedish formatting (Babel, sv_SE) and safe HTML building blocks.

Every value shown in a report passes through here: numbers and percentages are
formatted by Babel for ``sv_SE`` (``1 100``, ``23,5 %``), a missing value is shown as
"uppgift saknas" (never 0 or NaN), and all text from the spreadsheets is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"
MISSING = "uppgift saknas"
NBSP = "\u00a0"
SINGULAR = {
    "dagar": "dag",
    "timmar": "timme",
    "personer": "person",
    "veckor": "vecka",
    "månader": "månad",
    "tillfällen": "tillfälle",
    "gånger": "gång",
    "minuter": "minut",
    "elever": "elev",
    "medarbetare": "medarbetare",
    "högskolepoäng": "högskolepoäng",
}
QUALIFIER_WORDS = {"ca": "ca", "drygt": "drygt", "över": "över", "under": "under", "minst": "minst"}


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA and blank text all mean 'unknown'."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, list | tuple) else False
    except (TypeError, ValueError):
        return False


def number(value: object, decimals: int = 1) -> str:
    """``1 100``, ``23,5``; at most ``decimals`` decimals, no trailing zeros."""
    if is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(float(value), format=pattern, locale=LOCALE)


def percent(value: object, decimals: int = 1) -> str:
    """A value given in percent units (23.5 → ``23,5 %``)."""
    if is_missing(value):
        return MISSING
    return f"{number(value, decimals)}{NBSP}%"


def signed(value: object, decimals: int = 1) -> str:
    """A change with its sign, using a real minus sign: ``−2``, ``+5``."""
    if is_missing(value):
        return MISSING
    text = number(abs(float(value)), decimals)
    return ("−" if float(value) < 0 else "+") + text


def value_with_unit(
    value: object, unit: str | None = None, qualifier: str | None = None, value_max: object = None
) -> str:
    """A curated figure as a reader should see it: ``ca 1 100``, ``drygt 23 %``, ``80–100 %``,
    ``15–45 minuter``, ``1 gång per månad``. A count (``antal``) shows no unit."""
    if is_missing(value):
        return MISSING
    unit = (unit or "").strip()
    ranged = not is_missing(value_max)
    if unit == "ordningstal":  # "den andra filmen": an ordinal, not a count
        return ordinal(value)
    if unit == "procent":
        text = f"{number(value)}–{percent(value_max)}" if ranged else percent(value)
    else:
        text = f"{number(value)}–{number(value_max)}" if ranged else number(value)
        if unit and unit != "antal":
            if not ranged and float(value) == 1:
                first, _, rest = unit.partition(" ")
                unit = " ".join(p for p in (SINGULAR.get(first, first), rest) if p)
            text = f"{text}{NBSP}{unit}"
    word = QUALIFIER_WORDS.get((qualifier or "").strip())
    return f"{word}{NBSP}{text}" if word else text


def ordinal(value: object) -> str:
    """A Swedish ordinal in digits: ``1:a``, ``2:a``, ``3:e``, ``11:e``, ``21:a``."""
    n = int(float(value))
    return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"


def target(kind: object, value: object) -> str | None:
    """A target as a target, never as a result: ``minska med 20 %`` (relative),
    ``minska med 2 procentenheter``, ``halveras``, ``minst 1 100``, ``ska öka``,
    ``ska uppfyllas (ja/nej)``.

    ``None`` when there is no target (``ingen`` or blank).
    """
    if is_missing(kind) or kind == "ingen":
        return None
    if kind == "minska_procent" and value == 50:
        return "halveras"
    words = {
        "minska_procent": lambda: f"minska med {percent(value)}",
        "minska_procentenheter": lambda: f"minska med {number(value)} procentenheter",
        "oka_procent": lambda: f"öka med {percent(value)}",
        "oka_procentenheter": lambda: f"öka med {number(value)} procentenheter",
        "minst": lambda: f"minst {number(value)}",
        "hogst": lambda: f"högst {number(value)}",
        "ja": lambda: "ska uppfyllas (ja/nej)",
        "oka": lambda: "ska öka",
        "minska": lambda: "ska minska",
    }
    return words[kind]() if kind in words else str(kind)


def date(value: object) -> str:
    """ISO dates as Swedes write them (2018-10-01); partial dates (2018, 2018-10) as given."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.date):
        return format_date(value, format="yyyy-MM-dd", locale=LOCALE)
    text = str(value)
    try:
        return format_date(dt.date.fromisoformat(text), format="yyyy-MM-dd", locale=LOCALE)
    except ValueError:
        return text


def period(start: object, end: object, text: object = None) -> str:
    """``2018-01-01 – 2019-12-31`` (one year once: ``2018``); falls back on the plan's own
    words."""
    if is_missing(start) and is_missing(end):
        return MISSING if is_missing(text) else str(text)
    if not is_missing(start) and str(start) == str(end):
        return date(start)
    return f"{date(start) if not is_missing(start) else '…'} – {date(end) if not is_missing(end) else '…'}"


def plural(n: object, one: str, many: str) -> str:
    """``1 insats``, ``3 insatser``: the number in Swedish format and the word that fits it."""
    return f"{number(n, 0)}{NBSP}{one if n == 1 else many}"


def lower_first(text: str) -> str:
    """``Elever som gått kursen`` → ``elever som gått kursen``; an abbreviation stays as it is
    (``MHFA-instruktörer``)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def join_list(items: Iterable[object], last: str = "och") -> str:
    """``SOF, VOF och AMF``."""
    items = [str(i) for i in items if not is_missing(i)]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def esc(value: object) -> str:
    """Text from a spreadsheet as HTML text (never as markup)."""
    if is_missing(value):
        return MISSING
    return html.escape(str(value), quote=True)


class HTML:
    """Trusted HTML built by this package; what IPython/nbconvert display as text/html."""

    def __init__(self, markup: str, plain: str = ""):
        self.markup = markup
        self.plain = plain or "(se HTML-versionen)"

    def _repr_html_(self) -> str:
        return self.markup

    def __html__(self) -> str:  # Jinja2/MarkupSafe: trusted markup, not escaped again
        return self.markup

    def __repr__(self) -> str:  # what a text-only frontend shows
        return self.plain

    def __str__(self) -> str:
        return self.markup

    def __add__(self, other: HTML) -> HTML:
        return HTML(self.markup + str(other), self.plain)


def tag(name: str, content: str = "", **attrs: object) -> str:
    """``<name attr="...">content</name>`` with escaped attribute values; content is trusted."""
    parts = [name]
    for key, val in attrs.items():
        if val is None or val is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if val is True else f'{key}="{html.escape(str(val), quote=True)}"')
    return f"<{' '.join(parts)}>{content}</{name}>"


@dataclass
class Cell:
    """A table cell: ``text`` is escaped unless ``markup`` is given; ``num`` right-aligns it."""

    text: object = ""
    markup: str | None = None
    num: bool = False
    cls: str | None = None

    def render(self, header: bool = False) -> str:
        content = self.markup if self.markup is not None else esc(self.text)
        classes = " ".join(c for c in ("num" if self.num else None, self.cls) if c)
        return tag("th" if header else "td", content, class_=classes or None)


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    caption: str | None = None,
    empty: str = "Inga rader att visa.",
    cls: str = "data",
) -> str:
    """An accessible HTML table; plain values are escaped, :class:`Cell` controls layout."""
    rows = list(rows)
    if not rows:
        return tag("p", esc(empty), class_="empty")
    head = "".join(tag("th", esc(c), scope="col") for c in columns)
    body = []
    for row in rows:
        cells = [c if isinstance(c, Cell) else Cell(c) for c in row]
        body.append(tag("tr", "".join(c.render() for c in cells)))
    cap = tag("caption", esc(caption)) if caption else ""
    return tag(
        "table", cap + tag("thead", tag("tr", head)) + tag("tbody", "".join(body)), class_=cls
    )


@dataclass
class Footnotes:
    """Numbered source notes: each figure cites (document, section, sentence) once."""

    documents: dict[str, str] = field(default_factory=dict)  # dokument_id -> title
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    _index: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def cite(self, dokument_id: str, avsnitt: object, citat: object) -> str:
        """A superscript link to the note for this source, adding the note if new."""
        key = (
            dokument_id,
            "" if is_missing(avsnitt) else str(avsnitt),
            "" if is_missing(citat) else str(citat),
        )
        if key not in self._index:
            self.notes.append(key)
            self._index[key] = len(self.notes)
        n = self._index[key]
        return tag("sup", tag("a", f"[{n}]", href=f"#kalla-{n}", id=None), class_="fn")

    def render(self) -> str:
        if not self.notes:
            return tag("p", "Inga källhänvisningar.", class_="empty")
        items = []
        for n, (doc, avsnitt, citat) in enumerate(self.notes, start=1):
            title = self.documents.get(doc, doc)
            text = f"<cite>{esc(title)}</cite>"
            if avsnitt:
                text += f", avsnitt ”{esc(avsnitt)}”"
            if citat:
                text += f": {tag('q', esc(citat))}"
            items.append(tag("li", text, id=f"kalla-{n}"))
        return tag("ol", "".join(items), class_="kallor")
