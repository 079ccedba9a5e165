"""What every section of one report shares: the data, whose report it is and for which year,
and the numbered source notes (in the order a reader meets them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import schemas as S
from ..model import Dataset, GoalYear

DOC_2018 = "stimulans-2018-2019"
DOC_2026 = "overenskommelse-2026"


@dataclass(frozen=True)
class Ref:
    """One citation: note number ``n``; ``anchor`` is where the note links back to."""

    n: int
    anchor: str


@dataclass
class Note:
    document: str
    section: str
    quote: str
    anchors: list[str] = field(default_factory=list)  # every place that cites it


@dataclass
class Sources:
    """Numbered source notes: each (document, section, sentence) gets one number, and the
    note links back to every place that cites it."""

    titles: dict[str, str] = field(default_factory=dict)  # dokument_id -> title
    notes: list[Note] = field(default_factory=list)
    _index: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def cite(self, document: str, section: object, quote: object = None) -> Ref:
        key = (document, str(section or ""), str(quote or ""))
        if key not in self._index:
            self.notes.append(Note(*key))
            self._index[key] = len(self.notes)
        n = self._index[key]
        note = self.notes[n - 1]
        anchor = f"ref-{n}-{len(note.anchors) + 1}"
        note.anchors.append(anchor)
        return Ref(n, anchor)

    def title(self, document: str) -> str:
        return self.titles.get(document, document)


@dataclass
class Context:
    """One report's department, year and data, and what its sections derive from them."""

    data: Dataset
    department: str
    year: int
    sources: Sources = field(default_factory=Sources)

    @property
    def is_goal_year(self) -> bool:
        return self.year in self.data.goals

    @property
    def is_overview(self) -> bool:
        return self.department == S.DEPARTMENT_ALL

    @property
    def goal(self) -> GoalYear | None:
        return self.data.goals.get(self.year)

    def name(self, code: str | None = None) -> str:
        """A department's name in lower case, as Swedish writes it in running text."""
        return self.data.department_name(code or self.department)

    @property
    def who(self) -> str:
        """The report's owner at first mention: "socialförvaltningen (SOF)"."""
        if self.is_overview:
            return "Helsingborgs stad (alla fyra förvaltningar)"
        return f"{self.name()} ({self.department})"

    @property
    def who_short(self) -> str:
        return "staden" if self.is_overview else self.department

    def cite_2018(self, rec: dict) -> Ref:
        return self.sources.cite(DOC_2018, rec.get("kalla_avsnitt"), rec.get("kalla_citat"))

    def cite_2026(self, section: object) -> Ref:
        # the agreement is OCR text with broken å/ä/ö: cite document and section only
        return self.sources.cite(DOC_2026, section, None)
