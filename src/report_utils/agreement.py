"""Next year's agreement as data: parse the agreement text into a draft goals workbook.

``python -m report_utils import-agreement FILE --year YEAR`` reads an agreement with the
structure of the 2026 one — plain text, OCR text or a PDF with embedded text — and writes
``data/<YEAR>/mal.xlsx`` (a draft), an empty ``indikatorvarden.xlsx`` and
``ANDRINGAR.md`` (what changed since the previous year, and what to review).

The structure it reads, per theme::

    <rubrik, en till tre rader>
    Ingår i Nationella strategin, delmål 1, 2 och 5
    <inledning>
    Kortsiktiga mål och aktiviteter 2026        -> aktiviteter
      • punkter (o underpunkter)
    Mätbara indikatorer för uppföljning         -> indikatorer, kort sikt (or "Saknas")
    Långsiktiga mål                             -> langsiktiga_mal
    Mätbara indikatorer för uppföljning         -> indikatorer, lång sikt (or "Saknas")

Every row keeps the raw OCR lines it was read from (``kalla_citat``) and, where the
importer is unsure — an ambiguous word, a guessed unit, a target linked by similarity,
departments inferred from an activity — says why in the column ``granska``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import schemas as S
from .errors import ParameterError, ReportError
from .loading import read_workbook, workbook_path
from .ocr import (
    OCR_ARTEFACTS,
    Doubt,
    Lexicon,
    Repairer,
    WordStore,
    is_furniture,
    skeleton,
    words,
)

#: Sections of a theme, in document order.
INTRO, AKTIVITETER, IND_KORT, MAL, IND_LANG = "intro", "aktiviteter", "ind_kort", "mal", "ind_lang"
HEADINGS = {
    AKTIVITETER: "Kortsiktiga mål och aktiviteter",
    IND_KORT: "Mätbara indikatorer för uppföljning",
    MAL: "Långsiktiga mål",
    IND_LANG: "Mätbara indikatorer för uppföljning",
}
CHANGES_FILE = "ANDRINGAR.md"
#: The extra column of the draft saying why a row needs review (validation ignores it).
REVIEW_COLUMN = "granska"
REVIEW_DOC = (
    "Flaggad för granskning: varför (satt av import-agreement). Töm cellen när raden är "
    "granskad; validate och rapporterna bryr sig inte om kolumnen."
)

#: Boards (nämnder) that set targets, and the department that serves each (DOMAIN.md).
BOARDS = {"socialnämnden": "SOF", "barn- och utbildningsnämnden": "SFF"}
#: Other names for a department than its own ("Elevhälsan belongs to SFF").
ALIASES = {"elevhälsa": "SFF"}
#: Words that say "all four departments".
ALL_DEPARTMENTS = re.compile(
    r"\b(?:vara|stadens|alla)(?: (?:fyra|fyras))? (?:forvaltning|forvaltningar)\w*"
)

_BULLET = re.compile(r"^\s*(?P<mark>[eo•\-*=»▪·]|[0-9]+\.)\s+(?=\S)")
_SUBGOAL = re.compile(r"^\s*ing\S{1,2}r\s+i\s+nationella\s+strategin\W*delm\S{1,2}l\b(?P<rest>.*)$")
_SAKNAS = re.compile(r"^\s*(?:[eo•\-*]\s+)?saknas\.?\s*$", re.I)
_NUMBERS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "tio": 10}


class AgreementError(ReportError):
    """Raised when an agreement document cannot be read or parsed; names file and lines."""


# -- reading the document ----------------------------------------------------------------
def read_document(path: Path) -> list[str]:
    """The document's lines: a PDF's embedded text (pypdf) or a text file's lines."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"hittar inte filen {path}")
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            pages = [page.extract_text() or "" for page in PdfReader(path).pages]
        except (PdfReadError, OSError, ValueError) as exc:
            raise AgreementError(f"{path}: kan inte läsa PDF-filen ({exc})") from exc
        if not "".join(pages).strip():
            raise AgreementError(
                f"{path}: PDF-filen saknar inbäddad text (en skannad bild?); "
                "kör OCR först och importera textfilen"
            )
        return "\n\n".join(pages).splitlines()
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise AgreementError(f"{path}: filen är varken text eller PDF")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise AgreementError(f"{path}: okänd teckenkodning; spara filen som UTF-8")


# -- the parsed structure ------------------------------------------------------------------
@dataclass
class Line:
    no: int  # 1-based line number in the document
    text: str


@dataclass
class Item:
    """One bullet or paragraph: its raw lines, and its repaired text once repaired."""

    lines: list[Line]
    level: int = 0
    parent: Item | None = None
    bullet: bool = False
    text: str = ""
    doubts: list[Doubt] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return " ".join(line.text.strip() for line in self.lines if line.text.strip())

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def last(self) -> int:
        return self.lines[-1].no


@dataclass
class Section:
    kind: str
    heading: Line | None = None
    items: list[Item] = field(default_factory=list)
    saknas: Line | None = None
    title: str = ""  # repaired heading


@dataclass
class Theme:
    order: int
    heading: list[Line]
    subgoal_line: Line
    subgoals: list[int]
    sections: dict[str, Section] = field(default_factory=dict)
    name: str = ""
    doubts: list[Doubt] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self, kind: str) -> Section | None:
        return self.sections.get(kind)


@dataclass
class Agreement:
    path: Path
    themes: list[Theme]
    activity_year: int | None = None  # the year the "Kortsiktiga mål" headings name
    dropped: int = 0  # lines of page furniture dropped


def _key(line: str) -> str:
    """A line reduced for recognising headings despite OCR: skeleton, letters only."""
    text = line.replace("6", "o").replace("4", "a").replace("&", "a")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ,]", "", skeleton(text))).strip()


def heading_kind(line: str) -> str | None:
    """Which section heading a line is, if any (tolerant of OCR's lost letters)."""
    from rapidfuzz import fuzz

    key = _key(line)
    if not key or len(key) > 60:
        return None
    if fuzz.ratio(re.sub(r"\s*\d{4}$", "", key), "kortsiktiga mal och aktiviteter") >= 85:
        return AKTIVITETER
    if fuzz.ratio(key, "matbara indikatorer for uppfoljning") >= 82:
        return IND_KORT  # which horizon is decided by position
    if fuzz.ratio(key, "langsiktiga mal") >= 85:
        return MAL
    return None


def subgoal_numbers(rest: str) -> list[int]:
    """``1, 3,4 och 5`` → [1, 3, 4, 5]; numbers written as words are read too."""
    found = [int(n) for n in re.findall(r"\d+", rest)]
    found += [_NUMBERS[w] for w in re.findall(r"[a-zåäö]+", rest.lower()) if w in _NUMBERS]
    return sorted(set(found))


def _signature_block(lines: list[str]) -> set[int]:
    """Indices of a closing block of signatures (name / title / department lines)."""
    out: set[int] = set()
    i = len(lines) - 1
    while i >= 0:
        text = lines[i].strip()
        if not text or is_furniture(text):
            i -= 1
            continue
        if len(text.split()) <= 4 and not re.search(r"[.:;!?]$", text) and not _BULLET.match(text):
            out.add(i)
            i -= 1
            continue
        break
    # a real closing block has several name/title lines; one short line is content
    return out if len(out) >= 3 else set()


def parse(path: Path, lines: list[str]) -> Agreement:
    """The themes, sections and items of an agreement, or :class:`AgreementError` naming
    the lines that break the expected structure."""
    problems: list[str] = []
    furniture = {i for i, t in enumerate(lines) if is_furniture(t)} | _signature_block(lines)
    starts = []
    for i, text in enumerate(lines):
        if _SUBGOAL.match(_key(text)):
            # the numbers from the raw line: the key turns OCR's 6 (= ö) into a letter
            raw = re.search(r"delm\S{1,2}l\b", text, re.I)
            starts.append((i, text[raw.end() :] if raw else ""))
    if not starts:
        raise AgreementError(
            f"{path}: hittar inga teman — ingen rad 'Ingår i Nationella strategin, delmål …' "
            f"bland dokumentets {len(lines)} rader. Är det en överenskommelse med samma "
            "uppbyggnad som 2026 års?"
        )
    heads: list[tuple[int, list[Line]]] = []
    for i, _rest in starts:
        j = i - 1
        while j >= 0 and (not lines[j].strip() or j in furniture):
            j -= 1
        head: list[Line] = []
        while (
            j >= 0
            and lines[j].strip()
            and j not in furniture
            and len(head) < 3
            and not re.search(r"[.:;!?]$", lines[j].strip())
            and not _BULLET.match(lines[j])
            and not heading_kind(lines[j])
            and not _SUBGOAL.match(_key(lines[j]))
        ):
            head.insert(0, Line(j + 1, lines[j].strip()))
            j -= 1
        if not head:
            problems.append(
                f"rad {i + 1}: '{lines[i].strip()}' har ingen temarubrik ovanför "
                "(väntade temats namn på raden/raderna närmast före)"
            )
        heads.append((head[0].no - 1 if head else i, head))
    themes: list[Theme] = []
    year = None
    for n, ((i, rest), (start, head)) in enumerate(zip(starts, heads, strict=True)):
        numbers = subgoal_numbers(rest)
        if not numbers:
            problems.append(
                f"rad {i + 1}: '{lines[i].strip()}' anger inga delmål (väntade t.ex. 'delmål 2 och 5')"
            )
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        theme = Theme(n + 1, head, Line(i + 1, lines[i].strip()), numbers)
        year = _read_sections(theme, lines, i + 1, end, furniture, problems) or year
        themes.append(theme)
        del start
    if problems:
        raise AgreementError(
            f"{path}: dokumentet kan inte läsas som en överenskommelse:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return Agreement(Path(path), themes, activity_year=year, dropped=len(furniture))


def _read_sections(
    theme: Theme, lines: list[str], begin: int, end: int, furniture: set[int], problems: list
) -> int | None:
    """Fill ``theme.sections`` from lines[begin:end]; return the year the activities name."""
    current = Section(INTRO)
    theme.sections[INTRO] = current
    year = None
    item: Item | None = None
    blank_before = True
    for i in range(begin, end):
        raw = lines[i]
        text = raw.strip()
        if i in furniture:
            continue
        if not text:
            blank_before = True
            continue
        kind = heading_kind(text)
        if kind:
            if kind == IND_KORT and (MAL in theme.sections or IND_KORT in theme.sections):
                kind = IND_LANG
            if kind in theme.sections and kind != INTRO:
                problems.append(
                    f"rad {i + 1}: rubriken '{text}' förekommer två gånger i temat "
                    f"'{' '.join(h.text for h in theme.heading)}' (rad {theme.subgoal_line.no})"
                )
            current = Section(kind, Line(i + 1, text))
            theme.sections[kind] = current
            if kind == AKTIVITETER:
                m = re.search(r"(20\d\d)\s*$", text)
                year = int(m.group(1)) if m else year
            item, blank_before = None, True
            continue
        if current.kind in (IND_KORT, IND_LANG) and _SAKNAS.match(text):
            current.saknas = Line(i + 1, text)
            item = None
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            mark = bullet.group("mark")
            level = 1 if mark in "o=»▪·" else 0
            parent = None
            if level:
                parent = next((it for it in reversed(current.items) if it.level == 0), None)
            item = Item([Line(i + 1, raw[bullet.end() :].strip())], level, parent, bullet=True)
            current.items.append(item)
            blank_before = False
            continue
        continues = item is not None and (
            not blank_before
            or text[:1].islower()
            or text[:1].isdigit()
            or text[:1] in ",;)("
            # a bullet point broken by a page break: its last line ends mid-sentence
            or (item.bullet and not re.search(r"[.!?:]$", item.lines[-1].text.strip()))
        )
        if (
            continues
            and not blank_before
            and current.kind in (IND_KORT, IND_LANG, MAL)
            and re.search(r"[.!?]$", item.lines[-1].text.strip())
            and text[:1].isupper()
        ):
            continues = False  # one indicator or goal per sentence-ending line
        if continues:
            item.lines.append(Line(i + 1, text))
        else:
            item = Item([Line(i + 1, text)])
            current.items.append(item)
        blank_before = False
    return year


# -- the lexicon: clean Swedish the project already holds -------------------------------
def _text_columns(workbook: S.Workbook, sheet: S.Sheet) -> list[str]:
    """The columns of clean Swedish: shown text, and the verbatim quotes of the clean
    2018/2019 document — never a column quoting OCR text (``kalla*`` elsewhere)."""
    out = []
    for col in sheet.columns:
        if col.kind != S.TEXT:
            continue
        if col.name.startswith("kalla") and workbook is not S.INSATSER:
            continue
        out.append(col.name)
    return out


def curated_texts(
    data_dir: Path, before: int | None = None, reference: dict | None = None
) -> list[str]:
    """The shown text of the curated data: earlier years' goals, the 2018/2019 initiatives
    (whose quotes are verbatim clean text) and the reference names (``reference``: the
    sheets of referens.xlsx if already read)."""
    from .model import discover_goal_years

    texts: list[str] = []
    books: list[tuple[S.Workbook, int | None]] = [(S.REFERENS, None), (S.INSATSER, None)]
    books += [(S.MAL, y) for y in discover_goal_years(data_dir) if before is None or y < before]
    for workbook, year in books:
        if workbook is S.REFERENS and reference is not None:
            sheets = reference
        else:
            sheets, _problems = read_workbook(workbook_path(data_dir, workbook, year), workbook)
        for name, loaded in sheets.items():
            for col in _text_columns(workbook, workbook.sheet(name)):
                texts += [
                    v
                    for v in loaded.frame[col]
                    if isinstance(v, str) and not OCR_ARTEFACTS.search(v)
                ]
    return texts


def build_repairer(
    data_dir: Path,
    year: int | None = None,
    store: WordStore | None = None,
    reference: dict | None = None,
) -> Repairer:
    return Repairer(Lexicon.build(curated_texts(data_dir, before=year, reference=reference), store))


# -- repair and rows -----------------------------------------------------------------------
def repair(agreement: Agreement, repairer: Repairer) -> None:
    """Repair every theme name, heading and item in place."""
    for theme in agreement.themes:
        name, doubts = repairer.repair_lines([(ln.no, ln.text) for ln in theme.heading])
        theme.name = re.sub(r"[\s,;:]+$", "", name)
        theme.doubts += doubts
        for section in theme.sections.values():
            if section.heading:
                section.title, _ = repairer.repair(section.heading.text, section.heading.no)
                section.title = section.title.rstrip(".:")
            for item in section.items:
                text, doubts = repairer.repair_lines([(ln.no, ln.text) for ln in item.lines])
                item.text, item.doubts = _sentence(text), doubts


def _sentence(text: str) -> str:
    """First letter upper case; a final full stop where the text ends in a word."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if re.search(r"[\wåäöÅÄÖ)”]$", text):
        text += "."
    return text


@dataclass
class Departments:
    """Recognising the four departments and the boards in repaired text."""

    patterns: list[tuple[str, re.Pattern]]
    codes: list[str]

    @classmethod
    def from_reference(cls, names: dict[str, str]) -> Departments:
        patterns = []
        for code, name in names.items():
            stem = re.sub(r"en$", "", skeleton(name))
            regex = re.escape(stem).replace(r"\-\ ", r"-?\s+").replace(r"\ ", r"\s+")
            patterns.append((code, re.compile(rf"\b{regex}\w*")))
        for alias, code in ALIASES.items():
            patterns.append((code, re.compile(rf"\b{re.escape(skeleton(alias))}\w*")))
        for board, code in BOARDS.items():
            stem = re.escape(skeleton(board)[:-2]).replace(r"\-\ ", r"-?\s+").replace(r"\ ", r"\s+")
            patterns.append((code, re.compile(rf"\b{stem}\w*")))
        return cls(patterns, sorted(names))

    def find(self, text: str) -> tuple[str, ...]:
        key = skeleton(text)
        if ALL_DEPARTMENTS.search(key):
            return tuple(self.codes)
        found = {code for code, pattern in self.patterns if pattern.search(key)}
        return tuple(sorted(found))


def board_of(text: str) -> str | None:
    key = skeleton(text)
    for board in BOARDS:
        stem = re.escape(skeleton(board)[:-2]).replace(r"\-\ ", r"-?\s+").replace(r"\ ", r"\s+")
        if re.search(rf"\b{stem}", key):
            return board
    return None


@dataclass
class Target:
    """A goal stated in the text, as the MAL schema records it."""

    maltyp: str
    malvarde: float | None
    text: str  # the target sentence, repaired
    item: Item
    namnd: str | None = None
    scopes: tuple[str, ...] = ()  # "i såväl grundskolan som gymnasieskolan" → two scopes


_WORD_NUMBER = r"(\d+(?:[,.]\d+)?|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio)"


def _number(word: str) -> float:
    return float(_NUMBERS.get(word, 0) or word.replace(",", "."))


def find_target(text: str, horizon: str) -> tuple[str, float | None] | None:
    """The quantitative target a sentence states: (maltyp, malvarde) or None.

    Numbers (−20 %, två procentenheter), halving and doubling are targets wherever they
    stand; a bare direction ("ska minska", "Öka andelen …") only in a long-term goal or
    where the sentence says it is a goal ("… mål är att …")."""
    low = text.lower()
    for verb, kind in (("minska", "minska"), ("öka", "oka")):
        m = re.search(rf"\b{verb}\w*\s+med\s+{_WORD_NUMBER}\s*procentenheter", low)
        if m:
            return f"{kind}_procentenheter", _number(m.group(1))
        m = re.search(rf"\b{verb}\w*\s+med\s+{_WORD_NUMBER}\s*(?:procent\b|%)", low)
        if m:
            return f"{kind}_procent", _number(m.group(1))
    if re.search(r"\bhalver\w*", low):
        return "minska_procent", 50.0
    if re.search(r"\bfördubbl\w*", low):
        return "oka_procent", 100.0
    m = re.search(rf"\b(?:minst|åtminstone)\s+{_WORD_NUMBER}\b", low)
    if m and "mål" in low:
        return "minst", _number(m.group(1))
    m = re.search(rf"\b(?:högst|max|maximalt)\s+{_WORD_NUMBER}\b", low)
    if m and "mål" in low:
        return "hogst", _number(m.group(1))
    stated_goal = horizon == "lång" or re.search(r"\bmål\w* (?:är|att)\b", low)
    if stated_goal:
        for verb, kind in (("minska", "minska"), ("öka", "oka")):
            if re.search(
                rf"^{verb}\s+(?:antalet|andelen)\b|^{verb}t\s+(?:antal|andel)\b"
                rf"|\bska(?:ll)?\s+{verb}\b|\b{verb}r\.?$",
                low,
            ):
                return kind, None
    return None


def _scopes(text: str) -> tuple[str, ...]:
    m = re.search(r"\bi\s+såväl\s+(\w+)\s+som\s+(\w+)", text)
    return (m.group(1), m.group(2)) if m else ()


def _content_stems(text: str, lexicon: Lexicon) -> set[str]:
    """Distinctive stems of a text: skeletons (first 6 letters) of its uncommon words."""
    out = set()
    for word in words(text):
        if word == "<tal>" or len(word) < 3:
            continue
        if lexicon.freq(word) >= 2e-4 and not word.isupper():
            continue  # common word: no evidence of a link
        out.add(skeleton(word)[:6])
    return out


_PLACES = {"helsingborg", "helsingborgs", "region", "skane", "skanes"}  # names, but no link


def _name_stems(text: str) -> set[str]:
    """Names in a text — a capitalised word inside a sentence or an abbreviation (MHFA,
    Skolfam, Peer Support, TSI-modellen): what reliably ties an indicator to an activity."""
    out = set()
    tokens = re.findall(r"[\wåäöÅÄÖ][\wåäöÅÄÖ\-]*", text)
    for i, tok in enumerate(tokens):
        letters = [c for c in tok if c.isalpha()]
        if len(letters) < 2:
            continue
        abbreviation = sum(c.isupper() for c in letters) >= 2
        name = i > 0 and tok[0].isupper() and not tokens[i - 1].endswith(".")
        if (abbreviation or name) and skeleton(tok) not in _PLACES:
            out.add(skeleton(tok)[:6])
    return out


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(skeleton(a), skeleton(b))


def _unit(text: str, target: tuple[str, float | None] | None) -> tuple[str, bool]:
    """The indicator's unit, and whether it is a guess worth a reader's check."""
    low = text.lower()
    if re.match(r"(?:minskat |ökat |följa )?antal", low) or re.search(r"\bantal(?:et)?\b", low):
        return "antal", False
    if re.match(r"(?:minskad |ökad )?andel", low) or (target and "procent" in (target[0] or "")):
        return "andel", False
    if re.search(r"\bandel(?:en)?\b", low):
        return "andel", False
    if re.match(
        r"(?:genomförd|genomfört|fastställd|fastställt|avtal|delta|en |ett )", low
    ) or re.search(r"\b(?:finns|använder|används)\b", low):
        return "ja-nej", True
    return "text", True


def build_rows(
    agreement: Agreement, departments: Departments, lexicon: Lexicon, valid_subgoals: set[int]
) -> dict[str, list[dict]]:
    """The four sheets' rows (without ids: :func:`assign_ids` numbers them)."""
    teman, aktiviteter, mal, indikatorer = [], [], [], []
    for theme in agreement.themes:
        theme_key = theme.order
        flags = [str(d) for d in theme.doubts]
        bad = [n for n in theme.subgoals if n not in valid_subgoals]
        if bad:
            flags.append(
                f"rad {theme.subgoal_line.no}: delmål {', '.join(map(str, bad))} finns inte i "
                "referens.xlsx (bladet delmal)"
            )
        intro = theme.section(INTRO)
        activities_section = theme.section(AKTIVITETER)
        bullets = [it for it in intro.items if it.bullet] if intro else []
        if activities_section is None and bullets:
            # no "Kortsiktiga mål" heading: the theme's bullet points are its activities
            activity_items = bullets
            activity_title = "Inledning (punktlista)"
            if activity_items:
                flags.append(
                    "temat har ingen rubrik 'Kortsiktiga mål och aktiviteter'; punktlistan i "
                    "inledningen har tagits som aktiviteter — kontrollera"
                )
        else:
            activity_items = activities_section.items if activities_section else []
            activity_title = activities_section.title if activities_section else ""
        description = _description(intro, set(map(id, activity_items)))
        status = {}
        saknas_quotes = []
        for kind in (IND_KORT, IND_LANG):
            section = theme.section(kind)
            if section is None:
                status[kind] = "ej angivet"
            elif section.items:
                status[kind] = "finns"
            elif section.saknas:
                status[kind] = "saknas"
                saknas_quotes.append(f"{section.heading.text} {section.saknas.text}")
            else:
                status[kind] = "ej angivet"
                flags.append(
                    f"rad {section.heading.no}: rubriken '{section.heading.text}' följs varken av "
                    "indikatorer eller 'Saknas'"
                )
        teman.append(
            {
                "_theme": theme_key,
                "ordning": theme.order,
                "namn": theme.name,
                "delmal": ", ".join(map(str, theme.subgoals)),
                "beskrivning": description,
                "kortsiktiga_indikatorer": status[IND_KORT],
                "langsiktiga_indikatorer": status[IND_LANG],
                "kalla_avsnitt": theme.name,
                "kalla_citat": theme.subgoal_line.text,
                "kalla_citat_saknas": " / ".join(saknas_quotes) or None,
                "granska": _flags(flags),
            }
        )
        avsnitt = {
            kind: f"{theme.name} – {sec.title or HEADINGS[kind]}"
            for kind, sec in theme.sections.items()
            if kind != INTRO
        }
        for it in _dedupe(activity_items):
            aktiviteter.append(
                _row(it, theme_key, f"{theme.name} – {activity_title}".rstrip(" –"), departments)
            )
        goal_items = _dedupe(theme.section(MAL).items) if theme.section(MAL) else []
        for it in goal_items:
            mal.append(_row(it, theme_key, avsnitt[MAL], departments))
        # targets stated in the activities (short term) and long-term goals
        targets = {
            "kort": _targets(activity_items, "kort"),
            "lång": _targets(goal_items, "lång"),
        }
        context = {"kort": activity_items, "lång": goal_items}
        for kind, horizon in ((IND_KORT, "kort"), (IND_LANG, "lång")):
            section = theme.section(kind)
            if not section:
                if targets[horizon]:
                    teman[-1]["granska"] = _flags(
                        [teman[-1]["granska"] or ""]
                        + [
                            f"rad {t.item.first}: målet '{t.text}' har ingen indikator"
                            for t in targets[horizon]
                        ]
                    )
                continue
            items = _dedupe(section.items)
            rows = [
                _indicator_row(it, theme_key, horizon, avsnitt[kind], departments) for it in items
            ]
            _link_targets(rows, targets[horizon], lexicon, teman[-1])
            rows = _split_by_scope(rows)
            for row in rows:
                _infer_departments(row, context[horizon] + goal_items, departments, lexicon)
                row.pop("_item", None)
            indikatorer += rows
    return {
        "teman": teman,
        "aktiviteter": aktiviteter,
        "langsiktiga_mal": mal,
        "indikatorer": indikatorer,
    }


def _description(intro: Section | None, taken: set[int]) -> str | None:
    """The theme's first paragraph of introduction, at most two sentences."""
    if not intro:
        return None
    for it in intro.items:
        if id(it) in taken or not it.text:
            continue
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])", it.text)
        return " ".join(sentences[:2])
    return None


def _flags(flags: Iterable[str]) -> str | None:
    seen = []
    for f in flags:
        if f and f not in seen:
            seen.append(f)
    return "; ".join(seen) or None


def _dedupe(items: list[Item]) -> list[Item]:
    """Items in order, an item repeated word for word (a page repeated) kept once."""
    out: list[Item] = []
    seen: dict[str, Item] = {}
    for it in items:
        key = skeleton(it.text)
        if key in seen:
            seen[key].doubts.append(
                Doubt(it.first, it.raw[:40], "", kind="dubblett")  # noted, not silent
            )
            continue
        seen[key] = it
        out.append(it)
    return out


def _doubt_flags(item: Item) -> list[str]:
    out = []
    for d in item.doubts:
        if d.kind == "dubblett":
            out.append(
                f"samma text står också på rad {d.line}; den upprepningen är inte importerad"
            )
        else:
            out.append(str(d))
    return out


def _row(item: Item, theme_key: int, avsnitt: str, departments: Departments) -> dict:
    text = item.text
    return {
        "_theme": theme_key,
        "text": text,
        "ansvariga": ", ".join(departments.find(text)) or None,
        "kalla_avsnitt": avsnitt,
        "kalla_citat": item.raw,
        "granska": _flags(_doubt_flags(item)),
    }


def _indicator_row(
    item: Item, theme_key: int, horizon: str, avsnitt: str, departments: Departments
) -> dict:
    own = find_target(item.text, "lång")  # "Minskat antal …" states its own direction
    own = (
        own
        if own
        and own[0] in ("minska", "oka")
        and re.match(r"(?:minskat?|ökat?)\b", item.text.lower())
        else None
    )
    unit, unsure = _unit(item.text, own)
    flags = _doubt_flags(item)
    if unsure:
        flags.append(f"rad {item.first}: enheten '{unit}' är gissad ur texten — kontrollera")
    return {
        "_theme": theme_key,
        "_item": item,
        "horisont": horizon,
        "text": item.text,
        "ansvariga": ", ".join(departments.find(item.text)) or None,
        "namnd": None,
        "enhet": unit,
        # no target unless the text states one; a yes/no indicator's target is "ja"
        "maltyp": own[0] if own else ("ja" if unit == "ja-nej" else "ingen"),
        "malvarde": None,
        "mal_text": item.text if own else None,
        "kalla_avsnitt": avsnitt,
        "kalla_citat": item.raw,
        "kalla_citat_mal": None,
        "granska": _flags(flags),
    }


def _targets(items: list[Item], horizon: str) -> list[Target]:
    """Targets stated in activities or goals. A point whose sub-points state numeric
    targets is their heading, not a target of its own."""
    found: list[Target] = []
    for it in items:
        for sentence in re.split(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ])", it.text):
            hit = find_target(sentence, horizon)
            if hit:
                found.append(
                    Target(
                        hit[0],
                        hit[1],
                        _target_text(sentence),
                        it,
                        board_of(sentence),
                        _scopes(sentence),
                    )
                )
                break
    parents = {id(t.item.parent) for t in found if t.item.parent is not None and t.malvarde}
    return [t for t in found if id(t.item) not in parents]


def _target_text(sentence: str) -> str:
    """``Socialnämndens mål är att andelen … ska minska …`` → ``Andelen … ska minska …``."""
    text = re.sub(r"^.{0,80}?\bmål(?:et)? är att\s+", "", sentence.strip())
    return _sentence(text.rstrip(":;,"))


def _link_targets(rows: list[dict], targets: list[Target], lexicon: Lexicon, theme_row) -> None:
    """Give each target to the indicator it measures: the most similar one (judged with
    the target's own point and the point above it); a link made without clear word overlap
    is flagged, a target no indicator fits is reported on the theme."""
    for target in targets:
        context = target.text + " " + (target.item.parent.text if target.item.parent else "")
        stems = _content_stems(context, lexicon)
        scored = []
        for row in rows:
            overlap = len(stems & _content_stems(row["text"], lexicon))
            scored.append((overlap, _similarity(context, row["text"]), row))
        if not scored:
            continue
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        overlap, _sim, row = scored[0]
        clear = overlap > 0 and (len(scored) == 1 or overlap > scored[1][0])
        quantitative = target.malvarde is not None
        if not clear and not quantitative and not (len(scored) == 1 and overlap > 0):
            theme_row["granska"] = _flags(
                [
                    theme_row["granska"] or "",
                    f"rad {target.item.first}: målet '{target.text}' kunde inte kopplas till någon indikator",
                ]
            )
            continue
        row.setdefault("_targets", []).append(target)
        if not clear:
            row["granska"] = _flags(
                [
                    row["granska"] or "",
                    f"rad {target.item.first}: målet '{target.text}' är kopplat till indikatorn utan tydlig ordlikhet — kontrollera",
                ]
            )


def _split_by_scope(rows: list[dict]) -> list[dict]:
    """One row per target (and per scope a target names: grundskolan, gymnasieskolan)."""
    out = []
    for row in rows:
        targets = row.pop("_targets", [])
        if not targets:
            out.append(row)
            continue
        variants = []
        for target in targets:
            for scope in target.scopes or (None,):
                variants.append((target, scope))
        for target, scope in variants:
            new = dict(row)
            new["maltyp"], new["malvarde"] = target.maltyp, target.malvarde
            new["mal_text"] = target.text
            new["kalla_citat_mal"] = target.item.raw
            if target.namnd:
                new["namnd"] = target.namnd
                new["ansvariga"] = BOARDS[target.namnd]
            if (
                target.malvarde is not None
                and new["enhet"] in ("text", "ja-nej")
                and "procent" in target.maltyp
            ):
                new["enhet"] = "andel"
            if len(variants) > 1:
                label = ", ".join(x for x in (target.namnd, scope) if x)
                new["text"] = f"{row['text'].rstrip('.')} ({label})." if label else row["text"]
                if scope:
                    new["mal_text"] = re.sub(
                        r"\bi\s+såväl\s+\w+\s+som\s+\w+", f"i {scope}", target.text
                    )
                new["granska"] = _flags(
                    [
                        row["granska"] or "",
                        "indikatorn står en gång i texten men har flera mål: en rad per mål — kontrollera texten",
                    ]
                )
            flags = [new["granska"] or ""]
            if new["enhet"] in ("text", "ja-nej") and target.malvarde is not None:
                flags.append("målet är ett tal men enheten är inte antal eller andel")
            new["granska"] = _flags(flags)
            out.append(new)
    return out


def _infer_departments(
    row: dict, context: list[Item], departments: Departments, lexicon: Lexicon
) -> None:
    """An indicator that names no department gets those of the activities and goals of its
    theme that share a distinctive word with it (flagged: an inference, not the text)."""
    if row["ansvariga"]:
        return
    stems = _name_stems(row["text"])
    if not stems:
        return
    found: set[str] = set()
    lines = []
    for it in context:
        texts = [it.text] + ([it.parent.text] if it.parent else [])
        if stems & _name_stems(it.text):
            for t in texts:
                codes = departments.find(t)
                if codes:
                    found.update(codes)
                    lines.append(it.first)
                    break
    if found:
        row["ansvariga"] = ", ".join(sorted(found))
        where = ", ".join(map(str, sorted(set(lines))))
        row["granska"] = _flags(
            [
                row["granska"] or "",
                f"ansvariga härledda ur aktiviteter/mål på rad {where}, inte ur indikatorns egen text — kontrollera",
            ]
        )


# -- ids ------------------------------------------------------------------------------------
def assign_ids(rows: dict[str, list[dict]], carried: dict | None = None) -> None:
    """Number the rows: T01 …, T01-A1, T01-M1, T01-K1/T01-L1. ``carried`` maps
    (sheet, row index) to an id kept from the previous year (see :mod:`agreement_diff`)."""
    carried = carried or {}
    used: set[str] = set(carried.values())
    theme_ids: dict[int, str] = {}
    next_theme = 1 + max(
        [int(m.group(1)) for v in used if (m := re.fullmatch(r"T(\d+)", v))], default=0
    )
    for i, row in enumerate(rows["teman"]):
        tid = carried.get(("teman", i))
        if tid is None:
            while f"T{next_theme:02d}" in used:
                next_theme += 1
            tid = f"T{next_theme:02d}"
            used.add(tid)
        theme_ids[row["_theme"]] = tid
        row["tema_id"] = tid
    for sheet, key, letter in (
        ("aktiviteter", "aktivitet_id", lambda r: "A"),
        ("langsiktiga_mal", "mal_id", lambda r: "M"),
        ("indikatorer", "indikator_id", lambda r: "K" if r["horisont"] == "kort" else "L"),
    ):
        for i, row in enumerate(rows[sheet]):
            row["tema_id"] = theme_ids[row["_theme"]]
            kept = carried.get((sheet, i))
            if kept:
                row[key] = kept
        for row in rows[sheet]:
            if row.get(key):
                continue
            prefix = f"{row['tema_id']}-{letter(row)}"
            n = 1
            while f"{prefix}{n}" in used:
                n += 1
            row[key] = f"{prefix}{n}"
            used.add(row[key])
        for row in rows[sheet]:
            used.add(row[key])


# -- the command -----------------------------------------------------------------------------
def add_review_column(path: Path, sheets: dict[str, list[dict]]) -> None:
    """Append the column ``granska`` to each sheet written by ``write_workbook``.

    It is not part of the schema (the shipped workbooks have no such column and need
    none): like any extra column, the loaders ignore it."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font

    from .workbooks import _FIXED_TIME, README_SHEET

    book = load_workbook(path)
    for name, records in sheets.items():
        ws = book[name]
        col = ws.max_column + 1
        ws.cell(row=1, column=col, value=REVIEW_COLUMN).font = Font(bold=True)
        for r, record in enumerate(records, start=2):
            cell = ws.cell(row=r, column=col, value=record.get(REVIEW_COLUMN))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = 60
    info = book[README_SHEET]
    for name in sheets:
        info.append([name, REVIEW_COLUMN, "nej", REVIEW_DOC, "text"])
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.save(path)


@dataclass
class ImportResult:
    year: int
    created: list[Path]
    rows: dict[str, list[dict]]
    flagged: int
    problems: list  # validation problems of the draft (should be none)
    summary: list[str]  # the changes, one line each
    dropped_lines: int


def _reference(data_dir: Path) -> tuple[dict[str, str], set[int], dict]:
    """Department names and sub-goal numbers from referens.xlsx, and its sheets."""
    sheets, problems = read_workbook(workbook_path(data_dir, S.REFERENS), S.REFERENS)
    if problems or "forvaltningar" not in sheets:
        raise ParameterError(
            f"kan inte läsa {workbook_path(data_dir, S.REFERENS)}: kör 'validate' först"
        )
    names = dict(
        zip(
            sheets["forvaltningar"].frame["kod"], sheets["forvaltningar"].frame["namn"], strict=True
        )
    )
    subgoals = {int(n) for n in sheets["delmal"].frame["nr"]} if "delmal" in sheets else set()
    return names, subgoals, sheets


def import_agreement(
    document: Path, data_dir: Path, year: int, cache_dir: Path | None = None
) -> ImportResult:
    """Read ``document`` and create ``data_dir/<year>/`` (mal.xlsx, indikatorvarden.xlsx,
    ANDRINGAR.md). Refuses, changing nothing, if the year exists.

    ``cache_dir`` (the CLI passes ``Settings.cache_dir``) keeps the Swedish word list and
    the dictionary's verdicts between imports (:class:`~report_utils.ocr.WordStore`);
    without it they are rebuilt in memory, with the same result, in several seconds."""
    from . import agreement_diff as D
    from .model import collect, discover_goal_years
    from .newyear import value_rows
    from .workbooks import write_workbook

    data_dir = Path(data_dir)
    target = data_dir / str(year)
    if target.exists():
        raise ParameterError(
            f"{target} finns redan; inget har ändrats. Ta bort eller byt namn på mappen "
            "om du verkligen vill importera året på nytt."
        )
    if not data_dir.is_dir():
        raise ParameterError(f"datamappen {data_dir} finns inte")
    lines = read_document(document)
    agreement = parse(Path(document), lines)
    names, subgoals, reference = _reference(data_dir)
    store = WordStore.open(cache_dir)
    try:
        repairer = build_repairer(data_dir, year, store, reference)
        repairer.learn_document([t for t in lines if t.strip()])
        repair(agreement, repairer)
        rows = build_rows(agreement, Departments.from_reference(names), repairer.lex, subgoals)
    finally:
        store.close()
    previous_years = [y for y in discover_goal_years(data_dir) if y < year]
    previous = D.load_previous(data_dir, max(previous_years)) if previous_years else None
    diff = D.compare(previous, rows) if previous else None
    assign_ids(rows, diff.carried if diff else None)
    if diff:
        D.describe(diff, rows)
    notes = []
    if agreement.activity_year and agreement.activity_year != year:
        notes.append(
            f"Dokumentets rubriker talar om aktiviteter {agreement.activity_year}, men det har "
            f"importerats som {year}."
        )
    sheets = {
        name: [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows[name]]
        for name in ("teman", "aktiviteter", "langsiktiga_mal", "indikatorer")
    }
    staging = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=data_dir))
    try:
        write_workbook(
            staging / "mal.xlsx",
            S.MAL,
            sheets,
            note=f"Utkast importerat ur {Path(document).name}. Granska raderna med text i "
            "kolumnen 'granska' och töm den när raden är granskad.",
        )
        add_review_column(staging / "mal.xlsx", sheets)
        loaded, _ = read_workbook(staging / "mal.xlsx", S.MAL)
        write_workbook(
            staging / "indikatorvarden.xlsx",
            S.INDIKATORVARDEN,
            {"varden": value_rows(loaded["indikatorer"].frame, sorted(names))},
            note=f"Värden för {year}. Tom cell = ej rapporterat, aldrig 0.",
        )
        report = D.report_markdown(
            year=year,
            document=Path(document).name,
            rows=rows,
            diff=diff,
            previous_year=max(previous_years) if previous_years else None,
            notes=notes,
            dropped=agreement.dropped,
        )
        (staging / CHANGES_FILE).write_text(report, "utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _dataset, problems = collect(data_dir)
    own = [p for p in problems if p.file.startswith(f"{year}/")]
    flagged = sum(1 for name in sheets for r in sheets[name] if r.get("granska"))
    created = [target / "mal.xlsx", target / "indikatorvarden.xlsx", target / CHANGES_FILE]
    return ImportResult(
        year,
        created,
        sheets,
        flagged,
        own,
        D.summary_lines(diff, sheets) if diff else D.summary_lines(None, sheets),
        agreement.dropped,
    )
