"""Reports a reviewer understands in 30 seconds and trusts: summary first, one truth per number,
reader words only, every table captioned, sources linked both ways.

Checked on the rendered HTML of every report (rendered once per session by the CLI's code
path), against counts computed independently from the model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser

from report_utils import compare as C
from report_utils.report.appendix import visible_text

DEPARTMENT_NAMES = {
    "AMF": "arbetsmarknadsförvaltningen",
    "SFF": "skol- och fritidsförvaltningen",
    "SOF": "socialförvaltningen",
    "VOF": "vård- och omsorgsförvaltningen",
}


def reports(rendered_all):
    out = {}
    for path in sorted(rendered_all.html_dir.glob("*/*.html")):
        out[(path.stem, int(path.parent.name))] = path.read_text("utf-8")
    assert len(out) == 15
    return out


def body_text(html: str) -> str:
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return " ".join(visible_text(html).split())


class Facts(HTMLParser):
    """Every count a report marks (``<data value data-fakta>``), name → values shown."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, set[str]] = defaultdict(set)
        self._open: tuple[str, str] | None = None
        self.shown: dict[str, set[str]] = defaultdict(set)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "data" and "data-fakta" in a:
            self.values[a["data-fakta"]].add(a["value"])
            self._open = (a["data-fakta"], "")

    def handle_data(self, data):
        if self._open:
            self._open = (self._open[0], self._open[1] + data)

    def handle_endtag(self, tag):
        if tag == "data" and self._open:
            self.shown[self._open[0]].add(self._open[1].replace("\u00a0", " "))
            self._open = None


class Tags(HTMLParser):
    """Every start tag as (name, attributes): robust to the serialiser's attribute order."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html: str, name: str, **attrs) -> list[dict]:
    parser = Tags()
    parser.feed(html)
    return [
        a for t, a in parser.found if t == name and all(a.get(k) == v for k, v in attrs.items())
    ]


def facts_of(html: str) -> Facts:
    parser = Facts()
    parser.feed(html)
    return parser


def expected_goal_counts(ds, dept, year) -> dict[str, int]:
    goal = ds.goals[year]
    themes = C.themes_for(goal, dept)
    ind = C.indicators_for(goal, dept, themes)
    status = C.indicator_status(ds, year, dept)
    cw = C.crosswalk_for(ds, dept, year)
    both = sum(bool(r["baslinje"]) and bool(r["indikator"]) for r in cw.to_dict("records"))
    neither = sum(not r["baslinje"] and not r["indikator"] for r in cw.to_dict("records"))
    return {
        "teman": len(themes),
        "indikatorer": len(ind),
        "gemensamma": int(ind["gemensam"].sum()),
        "med_mal": int((ind["maltyp"] != "ingen").sum()),
        "utan_mal": int((ind["maltyp"] == "ingen").sum()),
        "mal_utan_indikator": len(C.goals_without_indicators(goal, dept)),
        "varden_vantade": len(status),
        "kopplingar": len(cw),
        "kopplingar_bada": both,
        "kopplingar_ingen": neither,
        "kopplingar_en": len(cw) - both - neither,
    }


def expected_results_counts(ds, dept, year) -> dict[str, int]:
    inits = C.initiatives_for(ds, dept, year)
    top = inits[inits["overordnad_insats"].isna()]
    return {
        "insatser": len(top),
        "delprojekt": len(inits) - len(top),
        "siffror": len(C.results_for(ds, inits["insats_id"], year)),
        "med_matbara_mal": int((top["matbara_mal"] == "ja").sum()),
    }


def test_every_count_is_said_once_the_same_way_everywhere_and_matches_the_model(
    rendered_all, dataset
):
    for (dept, year), html in reports(rendered_all).items():
        facts = facts_of(html)
        assert facts.values, f"{year}/{dept} marks no count"
        for name, values in facts.values.items():
            assert len(values) == 1, f"{year}/{dept}: {name} shown as {values}"
            assert len(facts.shown[name]) == 1, f"{year}/{dept}: {name} worded {facts.shown[name]}"
        expected = (
            expected_goal_counts(dataset, dept, year)
            if year in dataset.goals
            else expected_results_counts(dataset, dept, year)
        )
        for name, value in expected.items():
            if name in facts.values:
                assert facts.values[name] == {str(value)}, f"{year}/{dept}: {name}"
        assert set(expected) & set(facts.values), f"{year}/{dept}: no expected count shown"


def test_summary_opens_every_report_and_says_what_matters(rendered_all):
    for (dept, year), html in reports(rendered_all).items():
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
        assert headings[0] == "Sammanfattning", f"{year}/{dept}: {headings[:3]}"
        summary = html[html.index('id="sammanfattning"') : html.index('id="innehall"')]
        text = body_text(summary)
        if year == 2026:
            for words in (
                "Mål med siffervärde",
                "Vad som kan följas upp",
                "Måluppfyllelse",
                "Från 2018–2019",
            ):
                assert words in text, f"{year}/{dept}: {words!r} missing from the summary"
        else:
            assert "insats" in text and ("Viktigaste resultat" in text or "redovisade" in text)


def test_results_summary_keeps_the_sources_qualifiers(rendered_all):
    sff_2018 = reports(rendered_all)[("SFF", 2018)]
    summary = body_text(sff_2018[: sff_2018.index('id="innehall"')])
    assert "ca 100 personer på plats" in summary  # Skånedagen: "cirka 100 personer"
    assert "ca 300 deltagare" in summary  # GoFaR's lecture


def test_attainment_without_values_is_one_sentence_and_with_values_a_table(data_copy):
    from openpyxl import load_workbook

    from report_utils.report import Report

    path = data_copy / "2026" / "indikatorvarden.xlsx"
    book = load_workbook(path)
    ws = book["varden"]
    head = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):  # start from a round where nothing is reported
        ws.cell(r, head["varde"]).value = None
    book.save(path)
    empty = body_text(Report.build("SOF", 2026, data_copy).html())
    assert "inga värden rapporterade ännu" in empty
    assert empty.count("ej rapporterat") <= 2 and 'id="varden-tabell"' not in empty

    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, head["indikator_id"]).value == "T23-K3"
        and ws.cell(r, head["forvaltning"]).value == "SOF"
    )
    ws.cell(row, head["varde"]).value = 37
    book.save(path)
    html = Report.build("SOF", 2026, data_copy).html()
    table = re.search(r'id="varden-tabell".*?</table>', html, re.S).group(0)
    assert "37" in table and "MHFA" in table
    facts = facts_of(html)
    assert facts.values["varden_rapporterade"] == {"1"}


def test_reports_show_no_file_paths_checksums_ocr_notes_or_internal_ids(rendered_all, dataset):
    ids = set(dataset.insatser["insats_id"]) | set(dataset.koppling["koppling_id"])
    for goal in dataset.goals.values():
        ids |= set(goal.indikatorer["indikator_id"]) | set(goal.teman["tema_id"])
    ids = {i for i in ids if re.search(r"[\d-]", i)}  # "sakkunnig" is also a word
    forbidden = [
        re.compile(r"\.xlsx|data/|sources/|\.ipynb|\.py\b"),
        re.compile(r"\b[0-9a-f]{8,}\b"),  # a checksum
        re.compile(r"\bOCR\b|trasiga å/ä/ö|indikatoravsnitt"),
        re.compile(
            r"\b(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r")\b"
        ),
    ]
    for (dept, year), html in reports(rendered_all).items():
        text = body_text(html)
        for rx in forbidden:
            hit = rx.search(text)
            assert not hit, (
                f"{year}/{dept} shows {hit.group(0)!r}: …{text[max(0, hit.start() - 40) : hit.end() + 40]}…"
            )


def test_departments_are_named_in_full_at_first_mention(rendered_all):
    for (dept, year), html in reports(rendered_all).items():
        # the report's own words, from the summary on: the navigation above it shows codes
        # with the names as titles, the glossary explains them, the sources quote verbatim
        main = html[html.index('id="sammanfattning"') :]
        main = re.sub(
            r'<dl class="glossary">.*?</dl>|<ol class="kallor">.*?</ol>', "", main, flags=re.S
        )
        text = body_text(main)
        for code, name in DEPARTMENT_NAMES.items():
            first = re.search(rf"(?<![\w-]){code}(?![\w-])", text)
            if first is None:
                continue
            before = text[: first.end() + 1].lower()
            assert f"{name} ({code.lower()})" in before or f"{name}" in before[-80:], (
                f"{year}/{dept}: {code} first appears without its name: …{text[max(0, first.start() - 60) : first.end()]}"
            )


def test_glossary_explains_exactly_the_abbreviations_the_report_uses(rendered_all, dataset):
    abbreviations = list(dataset.forkortningar["forkortning"])
    assert {"MHFA", "SIP", "IPS", "LSS", "SOF"} <= set(abbreviations)
    for (dept, year), html in reports(rendered_all).items():
        glossary = html[html.index('id="forkortningar"') : html.index('id="kallor"')]
        listed = set(re.findall(r"<dt>([^<]+)</dt>", glossary))
        rest = body_text(html.replace(glossary, ""))
        used = {
            a
            for a in abbreviations
            if re.search(rf"(?<![A-Za-zÅÄÖåäö0-9]){re.escape(a)}(?![A-Za-zÅÄÖåäö0-9])", rest)
        }
        assert listed == used, f"{year}/{dept}: missing {used - listed}, extra {listed - used}"


def test_every_table_has_a_caption_and_named_rows_have_row_headers(rendered_all):
    for (dept, year), html in reports(rendered_all).items():
        for table in re.findall(r"<table.*?</table>", html, flags=re.S):
            assert "<caption" in table, f"{year}/{dept}: a table without caption"
            for row in re.findall(r"<tbody>.*?</tbody>", table, flags=re.S):
                for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", row, flags=re.S):
                    header = tags(tr, "th")
                    assert header and header[0].get("scope") in ("row", "colgroup"), tr[:80]


def test_every_citation_links_to_its_source_and_every_source_links_back(rendered_all):
    for (dept, year), html in reports(rendered_all).items():
        links = tags(html, "a")
        cites = {a["id"]: a["href"][1:] for a in links if a.get("href", "").startswith("#kalla-")}
        backs = {a["href"][1:] for a in links if a.get("class") == "back"}
        notes = {li["id"] for li in tags(html, "li") if li.get("id", "").startswith("kalla-")}
        assert cites, f"{year}/{dept} cites nothing"
        assert set(cites.values()) <= notes, f"{year}/{dept}: a citation to a missing note"
        assert backs == set(cites), f"{year}/{dept}: back-links and citations differ"


def test_navigation_links_home_and_the_same_departments_other_years(rendered_all):
    for (dept, year), html in reports(rendered_all).items():
        start = html.index("crumbs")
        nav = html[start : html.index("</nav>", start)]
        hrefs = {a["href"] for a in tags(nav, "a")}
        assert "../index.html" in hrefs
        for y in {2018, 2019, 2026} - {year}:
            assert f"../{y}/{dept}.html" in hrefs
        assert tags(nav, "strong", **{"aria-current": "page"})
        assert tags(html, "a", href="#sammanfattning", **{"class": "skip"})
        assert tags(html, "nav", **{"class": "toc"})


def test_indicators_for_all_four_are_listed_once_and_said_so(rendered_all, dataset):
    html = reports(rendered_all)[("SOF", 2026)]
    table = re.search(r'id="indikator-tabell".*?</table>', html, re.S).group(0)
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", table, re.S) if 'scope="row"' in r]
    ind = C.indicators_for(dataset.goals[2026], "SOF")
    assert len(rows) == len(ind)
    shared = sum(r.rstrip().endswith("<td>alla fyra</td>") for r in rows)
    assert shared == int(ind["gemensam"].sum()) > 0


def test_charts_have_short_alt_text_and_a_data_table(rendered_all):
    for (dept, year), html in reports(rendered_all).items():
        for figure in re.findall(r'<figure class="chart">.*?</figure>', html, re.S):
            alt = re.search(r'alt="([^"]*)"', figure).group(1)
            assert 0 < len(alt) <= 250, f"{year}/{dept}: alt of {len(alt)} characters"
            assert "<table" in figure, f"{year}/{dept}: a chart without its data table"


def test_landing_page_tells_reports_apart_and_gives_each_its_headline(rendered_all, dataset):
    html = (rendered_all.html_dir / "index.html").read_text("utf-8")
    grid = html[html.index('id="grid-cap"') :]
    links = [a for a in tags(grid, "a") if a.get("href", "").endswith(".html")]
    labels = [a.get("aria-label") for a in links]
    assert len(labels) == 15 and len(set(labels)) == 15  # a screen reader tells them apart
    assert "Socialförvaltningen 2026" in labels and "Hela staden 2018" in labels
    text = body_text(html)
    expected = expected_goal_counts(dataset, "SOF", 2026)
    assert f"{expected['indikatorer']} indikatorer" in text.replace("\u00a0", " ")
    assert not re.search(r"\b[0-9a-f]{8,}\b|kontrollsumma|data/", text)  # no checksum, no path
    assert tags(html, "a", href="#rapporter", **{"class": "skip"})
