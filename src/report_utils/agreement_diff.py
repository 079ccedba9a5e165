"""What changed since last year's agreement: matching, carried-over ids and a readable report.

The imported rows are matched with the previous year's curated goals by similarity
(rapidfuzz): themes by name (and, for a renamed theme, by its indicators), indicators,
activities and long-term goals within matched themes (and, failing that, anywhere). What
continues keeps its id, so reports can follow an indicator across the years; what is new
gets a new id. The differences are written for the analyst to ``ANDRINGAR.md`` beside the
draft and summarised on the command line.

Last year's texts were edited by a person, this year's are the document's own words; to
tell a change in the *document* from that editing, each pair is also compared by the raw
OCR lines both rows quote (``kalla_citat``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schemas as S
from .formatting import target as format_target
from .loading import read_workbook, workbook_path
from .ocr import skeleton

SHEETS = {
    "teman": "tema_id",
    "aktiviteter": "aktivitet_id",
    "langsiktiga_mal": "mal_id",
    "indikatorer": "indikator_id",
}
THEME_MATCH = 75  # name similarity (0–100) for the same theme
ROW_MATCH = 70  # text similarity within a matched theme
MOVED_MATCH = 88  # text similarity for a row that moved to another theme


def _norm(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", skeleton(str(text or ""))).strip()


def _sim(a: object, b: object) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(_norm(a), _norm(b))


def _codes(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, tuple | list):
        return tuple(sorted(value))
    return tuple(sorted(c.strip() for c in str(value).split(",") if c.strip()))


def _num(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def load_previous(data_dir: Path, year: int) -> dict[str, list[dict]]:
    """The previous year's goals, one list of records per sheet."""
    sheets, _problems = read_workbook(workbook_path(data_dir, S.MAL, year), S.MAL)
    out = {"_year": year}
    for name in SHEETS:
        frame = sheets[name].frame if name in sheets else None
        out[name] = [] if frame is None else frame.to_dict("records")
    return out


@dataclass
class Pair:
    """A row of this year matched with last year's."""

    sheet: str
    index: int  # position in this year's rows
    old: dict
    score: float
    document_changed: bool  # the quoted OCR lines differ (not just last year's editing)


@dataclass
class Diff:
    previous_year: int
    carried: dict = field(default_factory=dict)  # (sheet, index) -> id kept
    pairs: dict = field(default_factory=dict)  # sheet -> list[Pair]
    new: dict = field(default_factory=dict)  # sheet -> list[index]
    removed: dict = field(default_factory=dict)  # sheet -> list[old record]
    lines: dict = field(default_factory=dict)  # section -> list of Markdown lines
    counts: dict = field(default_factory=dict)


def _quote_changed(new: dict, old: dict) -> bool:
    """Whether the document's wording differs: last year's quote (often its first line
    only) no longer occurs in this year's quoted lines."""
    old_q, new_q = _norm(old.get("kalla_citat")), _norm(new.get("kalla_citat"))
    if not old_q or not new_q:
        return _norm(old.get("text") or old.get("namn")) != _norm(
            new.get("text") or new.get("namn")
        )
    return old_q not in new_q  # last year's quote may be the first line only


def _greedy(
    candidates: list[tuple[float, int, int]], threshold: float
) -> list[tuple[int, int, float]]:
    """Best pairs first, each row used once."""
    used_new, used_old, out = set(), set(), []
    for score, i, j in sorted(candidates, reverse=True):
        if score < threshold or i in used_new or j in used_old:
            continue
        used_new.add(i)
        used_old.add(j)
        out.append((i, j, score))
    return out


def compare(previous: dict, rows: dict[str, list[dict]]) -> Diff:
    """Match this year's rows with last year's; fill ``carried`` with the ids to keep."""
    diff = Diff(previous["_year"])
    old_themes = previous["teman"]
    new_themes = rows["teman"]
    # themes: by name; a theme renamed beyond recognition still matches by its indicators
    cands = [
        (_sim(n["namn"], o["namn"]), i, j)
        for i, n in enumerate(new_themes)
        for j, o in enumerate(old_themes)
    ]
    theme_pairs = _greedy(cands, THEME_MATCH)
    matched_new = {i for i, _, _ in theme_pairs}
    matched_old = {j for _, j, _ in theme_pairs}
    for i in range(len(new_themes)):
        if i in matched_new:
            continue
        best = None
        for j, o in enumerate(old_themes):
            if j in matched_old:
                continue
            score = _content_overlap(rows, i, previous, o["tema_id"])
            if score >= 0.5 and (best is None or score > best[0]):
                best = (score, j)
        if best:
            theme_pairs.append((i, best[1], best[0] * 100))
            matched_new.add(i)
            matched_old.add(best[1])
    theme_of_new = {new_themes[i]["_theme"]: old_themes[j]["tema_id"] for i, j, _ in theme_pairs}
    diff.pairs["teman"] = [
        Pair(
            "teman",
            i,
            old_themes[j],
            s,
            _norm(new_themes[i]["namn"]) != _norm(old_themes[j]["namn"]),
        )
        for i, j, s in theme_pairs
    ]
    for p in diff.pairs["teman"]:
        diff.carried[("teman", p.index)] = p.old["tema_id"]
    diff.new["teman"] = [i for i in range(len(new_themes)) if i not in matched_new]
    diff.removed["teman"] = [o for j, o in enumerate(old_themes) if j not in matched_old]
    # rows: within the matched theme and horizon first, then anywhere (a moved row)
    for sheet, key in SHEETS.items():
        if sheet == "teman":
            continue
        new_rows, old_rows = rows[sheet], previous[sheet]
        cands = []
        for i, n in enumerate(new_rows):
            old_theme = theme_of_new.get(n["_theme"])
            for j, o in enumerate(old_rows):
                if o["tema_id"] != old_theme:
                    continue
                if sheet == "indikatorer" and o["horisont"] != n["horisont"]:
                    continue
                cands.append((_row_sim(n, o), i, j))
        pairs = _greedy(cands, ROW_MATCH)
        taken_new = {i for i, _, _ in pairs}
        taken_old = {j for _, j, _ in pairs}
        cands = [
            (_row_sim(n, o), i, j)
            for i, n in enumerate(new_rows)
            if i not in taken_new
            for j, o in enumerate(old_rows)
            if j not in taken_old
        ]
        pairs += _greedy(cands, MOVED_MATCH)
        diff.pairs[sheet] = [
            Pair(sheet, i, old_rows[j], s, _quote_changed(new_rows[i], old_rows[j]))
            for i, j, s in pairs
        ]
        for p in diff.pairs[sheet]:
            diff.carried[(sheet, p.index)] = p.old[key]
        taken_new = {i for i, _, _ in pairs}
        taken_old = {j for _, j, _ in pairs}
        diff.new[sheet] = [i for i in range(len(new_rows)) if i not in taken_new]
        diff.removed[sheet] = [o for j, o in enumerate(old_rows) if j not in taken_old]
    return diff


def _row_sim(new: dict, old: dict) -> float:
    """Similarity of two rows' texts; for rows split per target, the targets count too."""
    score = _sim(new["text"], old["text"])
    if old.get("mal_text") and new.get("mal_text"):
        score = 0.6 * score + 0.4 * _sim(new["mal_text"], old["mal_text"])
    if _norm(old.get("kalla_citat")) and _norm(old["kalla_citat"]) == _norm(new.get("kalla_citat")):
        score = max(score, 90.0)  # the same lines of the document
    return score


def _content_overlap(rows: dict, new_index: int, previous: dict, old_theme: str) -> float:
    """Share of a new theme's indicators that closely match the old theme's."""
    key = rows["teman"][new_index]["_theme"]
    new_ind = [r for r in rows["indikatorer"] if r["_theme"] == key]
    old_ind = [r for r in previous["indikatorer"] if r["tema_id"] == old_theme]
    if not new_ind or not old_ind:
        return 0.0
    hits = sum(1 for n in new_ind if max(_sim(n["text"], o["text"]) for o in old_ind) >= 85)
    return hits / len(new_ind)


def _md(text: object) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def _target(row: dict) -> str:
    text = format_target(row.get("maltyp"), _num(row.get("malvarde")))
    if not text:
        return "inget mål"
    return f"{text} ({row['namnd']})" if row.get("namnd") else text


def _target_quote_changed(new: dict, old: dict) -> bool:
    """Whether the sentence stating the target differs in the document."""
    old_q, new_q = _norm(old.get("kalla_citat_mal")), _norm(new.get("kalla_citat_mal"))
    return bool(old_q or new_q) and old_q not in new_q


def describe(diff: Diff, rows: dict[str, list[dict]]) -> None:
    """Work out the differences (ids are assigned by now) into Markdown lines and counts."""
    ids = {sheet: [r[key] for r in rows[sheet]] for sheet, key in SHEETS.items()}
    L = diff.lines
    c = diff.counts
    # themes
    L["teman_nya"] = [
        f"- **{_md(rows['teman'][i]['namn'])}** ({ids['teman'][i]}, delmål {rows['teman'][i]['delmal']})"
        for i in diff.new["teman"]
    ]
    L["teman_borttagna"] = [f"- {_md(o['namn'])} ({o['tema_id']})" for o in diff.removed["teman"]]
    L["teman_namn"] = []
    L["teman_delmal"] = []
    for p in diff.pairs["teman"]:
        new = rows["teman"][p.index]
        if _norm(new["namn"]) != _norm(p.old["namn"]):
            L["teman_namn"].append(
                f"- {p.old['tema_id']}: ”{_md(p.old['namn'])}” → ”{_md(new['namn'])}” "
                "(kan också vara förra årets handredigering av namnet)"
            )
        old_sub = ", ".join(map(str, p.old.get("delmal") or ()))
        if old_sub != new["delmal"]:
            L["teman_delmal"].append(
                f"- {p.old['tema_id']} {_md(new['namn'])}: delmål {old_sub or '–'} → {new['delmal'] or '–'}"
            )
    # indicators
    L["ind_nya"] = [
        f"| {ids['indikatorer'][i]} | {rows['indikatorer'][i]['horisont']} | {_md(rows['indikatorer'][i]['text'])} |"
        for i in diff.new["indikatorer"]
    ]
    L["ind_borttagna"] = [
        f"| {o['indikator_id']} | {o['horisont']} | {_md(o['text'])} |"
        for o in diff.removed["indikatorer"]
    ]
    L["ind_omformulerade"], L["ind_redigerade"] = [], []
    L["ind_mal"], L["ind_ansvar"], L["ind_ansvar_tolkning"] = [], [], []
    L["ind_mal_tolkning"] = []
    for p in diff.pairs["indikatorer"]:
        new = rows["indikatorer"][p.index]
        iid = new["indikator_id"]
        if p.document_changed:
            L["ind_omformulerade"].append(f"| {iid} | {_md(p.old['text'])} | {_md(new['text'])} |")
        elif _norm(new["text"]) != _norm(p.old["text"]):
            L["ind_redigerade"].append(f"| {iid} | {_md(p.old['text'])} | {_md(new['text'])} |")
        old_t, new_t = _target(p.old), _target(new)
        if old_t != new_t:
            line = f"| {iid} | {_md(new['text'])} | {old_t} | {new_t} |"
            (
                L["ind_mal"]
                if p.document_changed or _target_quote_changed(new, p.old)
                else L["ind_mal_tolkning"]
            ).append(line)
        old_a, new_a = _codes(p.old.get("ansvariga")), _codes(new.get("ansvariga"))
        if old_a != new_a:
            line = f"| {iid} | {_md(new['text'])} | {', '.join(old_a) or 'gemensam'} | {', '.join(new_a) or 'gemensam'} |"
            (L["ind_ansvar"] if p.document_changed else L["ind_ansvar_tolkning"]).append(line)
    for sheet in ("aktiviteter", "langsiktiga_mal"):
        L[f"{sheet}_nya"] = [
            f"- {ids[sheet][i]}: {_md(rows[sheet][i]['text'])}" for i in diff.new[sheet]
        ]
        L[f"{sheet}_borttagna"] = [
            f"- {o[SHEETS[sheet]]}: {_md(o['text'])}" for o in diff.removed[sheet]
        ]
        c[f"{sheet}_omformulerade"] = sum(1 for p in diff.pairs[sheet] if p.document_changed)
    for key, value in L.items():
        c[key] = len(value)


def summary_lines(diff: Diff | None, sheets: dict[str, list[dict]]) -> list[str]:
    """The changes in a few lines for the command line."""
    out = [
        f"{len(sheets['teman'])} teman, {len(sheets['aktiviteter'])} aktiviteter, "
        f"{len(sheets['langsiktiga_mal'])} långsiktiga mål, {len(sheets['indikatorer'])} indikatorer"
    ]
    if diff is None:
        out.append("inget tidigare år att jämföra med")
        return out
    c = diff.counts
    out.append(
        f"jämfört med {diff.previous_year}: teman {c['teman_nya']} nya, {c['teman_borttagna']} "
        f"borttagna, {c['teman_namn']} med nytt namn, {c['teman_delmal']} med ändrade delmål"
    )
    out.append(
        f"indikatorer: {c['ind_nya']} nya, {c['ind_borttagna']} borttagna, "
        f"{c['ind_omformulerade']} omformulerade, {c['ind_mal']} med ändrat mål, "
        f"{c['ind_ansvar']} med ändrat ansvar"
    )
    out.append(
        f"aktiviteter: {c['aktiviteter_nya']} nya, {c['aktiviteter_borttagna']} borttagna; "
        f"långsiktiga mål: {c['langsiktiga_mal_nya']} nya, {c['langsiktiga_mal_borttagna']} borttagna"
    )
    return out


def _section(
    title: str, lines: list[str], header: str | None = None, empty: str = "Inga."
) -> list[str]:
    out = [f"### {title}", ""]
    if not lines:
        return [*out, empty, ""]
    if header:
        cols = header.count("|") - 1
        out += [header, "|" + "---|" * cols]
    return [*out, *lines, ""]


def report_markdown(
    *,
    year: int,
    document: str,
    rows: dict[str, list[dict]],
    diff: Diff | None,
    previous_year: int | None,
    notes: list[str],
    dropped: int,
) -> str:
    """ANDRINGAR.md: main points first, then the changes, then the rows to review."""
    sheets = {k: v for k, v in rows.items()}
    flagged = [
        (sheet, r[SHEETS[sheet]], r["granska"])
        for sheet in SHEETS
        for r in sheets[sheet]
        if r.get("granska")
    ]
    out = [
        f"# {year} års mål: utkast importerat ur {document}",
        "",
        "Skapat av `python -m report_utils import-agreement`. Läs detta först, granska sedan",
        f"`{year}/mal.xlsx`: varje rad som behöver en människas öga har en förklaring i",
        "kolumnen `granska`.",
        "",
        "## Sammanfattning",
        "",
    ]
    out += [f"- {line}" for line in summary_lines(diff, sheets)]
    out.append(f"- {len(flagged)} rader är flaggade för granskning (listan längst ned).")
    out.append(
        f"- {dropped} rader sidutfyllnad (webbadresser, sidnummer, underskrifter) har strukits."
    )
    out += [f"- {n}" for n in notes]
    out.append("")
    if diff is not None:
        L = diff.lines
        out += [f"## Ändringar jämfört med {previous_year}", ""]
        out += [
            "Det som finns kvar har behållit sitt id från förra året (matchat på likhet);",
            "nytt har fått nya id:n. Kontrollera matchningen där något ser fel ut.",
            "",
        ]
        out += _section("Nya teman", L["teman_nya"])
        out += _section("Borttagna teman", L["teman_borttagna"])
        out += _section("Teman med nytt namn", L["teman_namn"])
        out += _section("Teman med ändrade delmål", L["teman_delmal"])
        out += _section("Nya indikatorer", L["ind_nya"], "| id | sikt | indikator |")
        out += _section("Borttagna indikatorer", L["ind_borttagna"], "| id | sikt | indikator |")
        out += _section(
            "Omformulerade indikatorer",
            L["ind_omformulerade"],
            f"| id | {previous_year} | {year} |",
        )
        out += _section(
            "Ändrade mål",
            L["ind_mal"],
            f"| id | indikator | mål {previous_year} | mål {year} |",
        )
        out += _section(
            "Ändrat ansvar",
            L["ind_ansvar"],
            f"| id | indikator | {previous_year} | {year} |",
        )
        if L["ind_redigerade"] or L["ind_ansvar_tolkning"] or L["ind_mal_tolkning"]:
            out += [
                f"### Samma rad i dokumentet men annan text eller tolkning än {previous_year}",
                "",
                f"Dokumentets ord är oförändrade här; {previous_year} års text eller ansvariga",
                "var redigerade för hand. Återanvänd förra årets lydelse om den fortfarande stämmer.",
                "",
            ]
            if L["ind_redigerade"]:
                out += [
                    f"| id | {previous_year} (redigerad) | {year} (importerad) |",
                    "|---|---|---|",
                    *L["ind_redigerade"],
                    "",
                ]
            if L["ind_mal_tolkning"]:
                out += [
                    f"| id | indikator | mål {previous_year} | mål {year} (tolkat) |",
                    "|---|---|---|---|",
                    *L["ind_mal_tolkning"],
                    "",
                ]
            if L["ind_ansvar_tolkning"]:
                out += [
                    f"| id | indikator | ansvariga {previous_year} | ansvariga {year} (tolkade) |",
                    "|---|---|---|---|",
                    *L["ind_ansvar_tolkning"],
                    "",
                ]
        for sheet, label in (
            ("aktiviteter", "aktiviteter"),
            ("langsiktiga_mal", "långsiktiga mål"),
        ):
            out += _section(f"Nya {label}", L[f"{sheet}_nya"])
            out += _section(f"Borttagna {label}", L[f"{sheet}_borttagna"])
    out += ["## Att granska", ""]
    if flagged:
        out += ["| blad | id | varför |", "|---|---|---|"]
        out += [f"| {sheet} | {key} | {_md(why)} |" for sheet, key, why in flagged]
    else:
        out.append("Inga rader är flaggade.")
    out += [
        "",
        "## Så går du vidare",
        "",
        f"1. Granska de flaggade raderna i `{year}/mal.xlsx` och töm kolumnen `granska` när en rad är klar.",
        "2. Jämför med dokumentet där något ser fel ut: `kalla_citat` är dokumentets egna rader.",
        "3. Kör `python -m report_utils validate` och rätta det som rapporteras.",
        f"4. Låt förvaltningarna fylla i `{year}/indikatorvarden.xlsx`, och kör sedan `make report`.",
        "",
    ]
    return "\n".join(out)
