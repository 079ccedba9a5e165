"""Jinja2 templates for everything a report shows: autoescape on, Swedish number filters.

Section code computes *what* to show (small dataclasses); the templates under
``templates/sektioner/`` decide *how* it looks. Escaping is the template engine's job:
text from the spreadsheets is never trusted as markup. Markup built by this package (a
chart, a rendered sub-template) is passed as :class:`~report_utils.formatting.HTML`, which
Jinja recognises through ``__html__``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import formatting as F

TEMPLATE_DIR = "templates/sektioner"


@dataclass(frozen=True)
class Cell:
    """A table cell with layout: ``num`` right-aligns a number; ``cls`` adds a class."""

    value: object
    num: bool = False
    cls: str | None = None


@lru_cache(maxsize=1)
def environment():
    """The one Jinja environment (compiled templates are reused; ``environment.cache_clear()``
    forgets them)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("report_utils", TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        num=F.number,
        pct=F.percent,
        int=lambda v: F.number(v, 0),
        date=F.date,
        join_list=F.join_list,
        missing=lambda v, text=F.MISSING: text if F.is_missing(v) else v,
    )
    env.globals.update(MISSING=F.MISSING, cell=Cell)
    return env


def render(template: str, plain: str = "", **context) -> F.HTML:
    """Render ``templates/sektioner/<template>`` with ``context``; ``plain`` is what a
    text-only frontend shows."""
    markup = environment().get_template(template).render(**context)
    return F.HTML(markup.strip(), plain=plain)
