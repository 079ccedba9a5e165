"""The shipped data: valid, complete against the source documents, traceable, correct Swedish."""

from __future__ import annotations

import re

import pytest

from report_utils import schemas as S
from report_utils.model import collect
from report_utils.ocr import OCR_ARTEFACTS

SOURCES = {
    "stimulans-2018-2019": "stimulansmedel-2018-2019.md",
    "overenskommelse-2026": "overenskommelse-2026-ocr.txt",
}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("**", "")).strip()


@pytest.fixture(scope="module")
def sources(settings) -> dict[str, str]:
    return {
        doc: norm((settings.data_dir / "sources" / f).read_text("utf-8"))
        for doc, f in SOURCES.items()
    }


def test_shipped_data_validates_without_problems(settings):
    _dataset, problems = collect(settings.data_dir)
    assert problems == []


def test_years_are_discovered_from_the_data(dataset):
    assert dataset.historical_years == [2018, 2019]
    assert dataset.goal_years == [2026]
    assert dataset.report_departments == ["ALLA", "AMF", "SFF", "SOF", "VOF"]


def _quotes(dataset):
    """(document, sheet, id, quote) for every provenance cell in the data."""
    out = []
    for sheet, frame, key in (
        ("insatser", dataset.insatser, "insats_id"),
        ("ansvar", dataset.ansvar, "insats_id"),
        ("resultat", dataset.resultat, "resultat_id"),
    ):
        out += [
            ("stimulans-2018-2019", sheet, r[key], r["kalla_citat"])
            for r in frame.to_dict("records")
        ]
    for goal in dataset.goals.values():
        for sheet, frame, key in (
            ("teman", goal.teman, "tema_id"),
            ("aktiviteter", goal.aktiviteter, "aktivitet_id"),
            ("langsiktiga_mal", goal.langsiktiga_mal, "mal_id"),
            ("indikatorer", goal.indikatorer, "indikator_id"),
        ):
            for r in frame.to_dict("records"):
                for col in ("kalla_citat", "kalla_citat_mal", "kalla_citat_saknas"):
                    if r.get(col):
                        out.append(("overenskommelse-2026", f"{sheet}.{col}", r[key], r[col]))
    for r in dataset.koppling.to_dict("records"):
        out.append(
            ("stimulans-2018-2019", "koppling.2018", r["koppling_id"], r["kalla_citat_2018"])
        )
        if r["kalla_citat_2026"]:
            out.append(
                ("overenskommelse-2026", "koppling.2026", r["koppling_id"], r["kalla_citat_2026"])
            )
    return out


def unsourced(dataset, sources) -> list[tuple]:
    """(document, sheet, id) of every provenance quote not found in its source document."""
    return [
        (doc, sheet, key) for doc, sheet, key, q in _quotes(dataset) if norm(q) not in sources[doc]
    ]


def test_every_provenance_quote_is_found_in_its_source_document(dataset, sources):
    assert len(_quotes(dataset)) > 400
    assert unsourced(dataset, sources) == []


def test_provenance_check_catches_an_invented_quote(data_copy, sources):
    from conftest import edit_cell
    from report_utils.model import load_dataset

    edit_cell(
        data_copy / "insatser_2018-2019.xlsx",
        "resultat",
        "kalla_citat",
        "Totalt 88 elever har gått kursen",  # the source says 87
        where=("resultat_id", "act-r04"),
    )
    assert unsourced(load_dataset(data_copy), sources) == [
        ("stimulans-2018-2019", "resultat", "act-r04")
    ]


def test_every_figure_appears_in_its_quote(dataset):
    """A figure's digits occur in the sentence it cites (numbers written as words excepted)."""
    words = {
        "en",
        "ett",
        "två",
        "tre",
        "fyra",
        "fem",
        "sex",
        "sju",
        "åtta",
        "nio",
        "tio",
        "treårig",
        "endagars",
        "halv",
        "90-tal",
        "andra",
    }
    bad = []
    for r in dataset.resultat.to_dict("records"):
        if r["varde"] is None:
            continue
        quote = norm(r["kalla_citat"]).replace("\u00a0", " ")
        digits = f"{r['varde']:g}".replace(".", ",")
        plain = re.sub(r"(?<=\d) (?=\d{3})", "", quote)
        in_digits = digits in plain or digits.replace(",", ".") in plain
        in_words = any(re.search(rf"\b{w}", quote, re.I) for w in words)
        if not (in_digits or in_words):
            bad.append((r["resultat_id"], r["varde"], quote[:80]))
    assert bad == []


def test_counts_match_the_documents(dataset, sources):
    top = dataset.insatser[dataset.insatser["overordnad_insats"].isna()]
    assert len(top) == 18  # the document's section-level initiatives
    assert set(top["fokusomrade"]) == {1, 2, 3, 4, 5}
    goal = dataset.goals[2026]
    assert len(goal.teman) == 24
    # every "Ingår i Nationella strategin" line in the OCR text starts one theme
    assert len(re.findall(r"Nationella strategin, delm", sources["overenskommelse-2026"])) == 24
    assert len(goal.indikatorer) == 98
    assert (goal.indikatorer["horisont"] == "kort").sum() == 70
    # ids say the horizon: T07-K1 short term, T07-L1 long term
    assert all(
        ("-K" in i) == (h == "kort")
        for i, h in zip(goal.indikatorer["indikator_id"], goal.indikatorer["horisont"], strict=True)
    )
    # the sub-goals each theme cites, as numbers 1-7
    assert all(cell and set(cell) <= set(range(1, 8)) for cell in goal.teman["delmal"])


def test_themes_marked_saknas_have_no_indicator_rows(dataset):
    goal = dataset.goals[2026]
    saknas = goal.teman[goal.teman["langsiktiga_indikatorer"] == "saknas"]
    assert set(saknas["tema_id"]) >= {"T02", "T06", "T07"}
    long_rows = goal.indikatorer[goal.indikatorer["horisont"] == "lång"]
    assert not set(saknas["tema_id"]) & set(long_rows["tema_id"])


def test_school_absence_targets_are_recorded(dataset):
    ind = dataset.goals[2026].indikatorer.set_index("indikator_id")
    assert (
        ind.at["T12-K1", "maltyp"],
        ind.at["T12-K1", "malvarde"],
        ind.at["T12-K1", "namnd"],
    ) == ("minska_procent", 20, "socialnämnden")
    for key in ("T12-K2", "T12-K3"):
        assert (ind.at[key, "maltyp"], ind.at[key, "malvarde"]) == ("minska_procentenheter", 2)
        assert ind.at[key, "namnd"] == "barn- och utbildningsnämnden"
    assert (ind.at["T12-L1", "maltyp"], ind.at["T12-L1", "malvarde"]) == ("minska_procent", 50)


def test_first_slice_mhfa_and_ips(dataset):
    res = dataset.resultat
    mhfa = res[(res["insats_id"] == "mhfa") & (res["nyckeltal"] == "ja")].set_index("ar")["varde"]
    assert mhfa.to_dict() == {2018: 150, 2019: 291}
    jps = res[res["insats_id"] == "jps-ips"]
    assert 212 in set(jps["varde"]) and 94 in set(jps["varde"]) and 118 in set(jps["varde"])
    ins = dataset.insatser.set_index("insats_id")
    assert ins.at["jps-ips", "status"] == "avvecklad"
    ind = dataset.goals[2026].indikatorer.set_index("indikator_id")
    assert "MHFA" in ind.at["T23-K3", "text"] and ind.at["T23-K3", "ansvariga"] == ("SOF", "VOF")
    kop = dataset.koppling
    assert {("mhfa", "T23"), ("jps-ips", "T07")} <= set(
        zip(kop["insats_id"], kop["tema_id"], strict=True)
    )


def test_crosswalk_covers_every_main_initiative_itself_or_through_a_sub_project(dataset):
    ins = dataset.insatser
    linked = set(dataset.koppling["insats_id"])
    parent = dict(zip(ins["insats_id"], ins["overordnad_insats"], strict=True))
    covered = {parent.get(i) or i for i in linked}
    top = set(ins.loc[ins["overordnad_insats"].isna(), "insats_id"])
    assert top <= covered


def test_indicator_values_workbook_has_a_row_per_indicator_and_responsible_department(dataset):
    for goal in dataset.goals.values():
        expected = {
            (r["indikator_id"], d)
            for r in goal.indikatorer.to_dict("records")
            for d in r["avdelningar"]  # own, the theme's, or all four
        }
        got = set(zip(goal.varden["indikator_id"], goal.varden["forvaltning"], strict=True))
        assert got == expected


# the known OCR artefacts live beside the OCR repair, which must never produce them


def _shown_text(dataset):
    for goal in dataset.goals.values():
        for sheet, frame in (
            ("teman", goal.teman),
            ("aktiviteter", goal.aktiviteter),
            ("langsiktiga_mal", goal.langsiktiga_mal),
            ("indikatorer", goal.indikatorer),
        ):
            for col in ("namn", "text", "beskrivning", "mal_text", "kalla_avsnitt"):
                if col in frame:
                    for key, value in zip(frame.iloc[:, 1], frame[col], strict=True):
                        if value:
                            yield f"{sheet}.{col}[{key}]", str(value)
    for col in ("namn", "malgrupp", "beskrivning", "status_text", "matbara_mal_text"):
        for key, value in zip(dataset.insatser["insats_id"], dataset.insatser[col], strict=True):
            if value:
                yield f"insatser.{col}[{key}]", str(value)
    for col in ("motivering",):
        for key, value in zip(dataset.koppling["koppling_id"], dataset.koppling[col], strict=True):
            yield f"koppling.{col}[{key}]", str(value)


def test_no_ocr_artefacts_in_shown_text(dataset):
    hits = [
        (where, m.group(0), text[:60])
        for where, text in _shown_text(dataset)
        for m in [OCR_ARTEFACTS.search(text)]
        if m
    ]
    assert hits == []


@pytest.mark.parametrize(
    "artefact",
    [
        "6verenskommelse",
        "psykisk hilsa",
        "socialforvaltningen",
        "Matbara indikatorer",
        "antal drenden",
    ],
)
def test_artefact_check_catches_known_ocr_errors(artefact):
    assert OCR_ARTEFACTS.search(artefact)


def test_data_readme_documents_every_sheet_and_column_as_the_schemas_declare(settings):
    from report_utils.workbooks import markdown_docs

    readme = (settings.data_dir / "README.md").read_text("utf-8")
    assert markdown_docs() in readme
    for wb in S.WORKBOOKS:
        for sheet in wb.sheets:
            for col in sheet.columns:
                assert f"| `{col.name}` |" in readme, f"{sheet.name}.{col.name}"
