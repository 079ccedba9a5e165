"""The appendix every report ends with: the abbreviations it uses, explained, and its
sources, each linking back to where it is cited."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .context import Context, Note

_TAGS = re.compile(r"<[^>]+>")
_LETTER = "A-Za-zÅÄÖåäöÉé0-9"


@dataclass
class Term:
    abbreviation: str
    meaning: str


def visible_text(markup: str) -> str:
    """The text a reader sees in some HTML (tags dropped, entities decoded)."""
    return html.unescape(_TAGS.sub(" ", markup))


def glossary(ctx: Context, markup: str) -> list[Term]:
    """The abbreviations of the reference sheet that occur in ``markup``'s visible text, in
    alphabetical order. "MHFA-utbildningen" uses MHFA; "IPSO" does not use IPS."""
    text = visible_text(markup)
    terms = []
    for rec in ctx.data.forkortningar.to_dict("records"):
        abbr = str(rec["forkortning"])
        if re.search(rf"(?<![{_LETTER}]){re.escape(abbr)}(?![{_LETTER}])", text):
            terms.append(Term(abbr, rec["betydelse"]))
    return sorted(terms, key=lambda t: t.abbreviation.casefold())


def notes(ctx: Context) -> list[tuple[int, Note, str]]:
    """(number, note, document title) for every source note, in the order first cited."""
    return [
        (n, note, ctx.sources.title(note.document)) for n, note in enumerate(ctx.sources.notes, 1)
    ]
