"""One department's report for one year, as the report notebook displays it.

The notebook builds a :class:`Report` and displays its parts in order; a part that does not
apply to the report's year is ``None`` (nothing shown). Each kind of section lives in its
own module and produces data; Jinja templates (``templates/sektioner``) turn it into HTML:

    opening        title, navigation, contents and the summary (``inledning.html.j2``)
    results_year   2018/2019: people reached or trained, the initiatives
    goal_year      goal years: targets, themes and indicators, sub-goals, unmeasured goals
    comparison     each 2018–2019 initiative beside its successor's indicator and target
    attainment     reported values and their status
    citywide       ALLA: the departments side by side
    appendix       every figure or indicator, abbreviations, sources
    facts          every count the report shows, computed once
"""

from __future__ import annotations

from .core import Report, load

__all__ = ["Report", "load"]
