"""Interactive exploration: the filtering, search and lookup in report_utils.explore, the
widgets in report_utils.explore_widgets, and notebooks/explore.ipynb executed headless.
Export to Excel/CSV is in tests/test_explore_export.py; saving in JupyterLab in
tests/test_lab.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from report_utils import charts, compare
from report_utils import explore as E
from report_utils import formatting as F
from report_utils.errors import ParameterError, ReportError
from report_utils.report import load

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
OCR_ARTEFACTS = re.compile(r"férvaltning|foérvaltning|allmdnhet|hilsa|\bpa\b|Skaneveckan")


@pytest.fixture(scope="module")
def ds():
    return load(ROOT / "data")


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["insats_id"])


def responsible(ds, insats_id: str, year: int | None = None) -> set[str]:
    """The department rule worked out independently from the sheets: the initiative's own
    'ansvar' row for the year, else its parent's row for that year."""
    ans = ds.ansvar
    parent = ds.insatser.set_index("insats_id").at[insats_id, "overordnad_insats"]
    years = ds.insatser.set_index("insats_id").at[insats_id, "ar"]
    out = set()
    for y in years:
        if year is not None and y != year:
            continue
        own = ans[(ans["insats_id"] == insats_id) & (ans["ar"] == y)]
        if own.empty and parent:
            own = ans[(ans["insats_id"] == parent) & (ans["ar"] == y)]
        for cell in own["ansvariga"]:
            out |= set(cell or ())
    return out


def no_nan_text(frame: pd.DataFrame) -> None:
    for value in frame.to_numpy().ravel():
        assert isinstance(value, str), value
        assert value.strip(), "an empty cell should say why it is empty"
        assert value.lower() not in ("nan", "none", "nat", "<na>"), value


# -- filter_initiatives ------------------------------------------------------------------------
def test_no_filter_lists_every_initiative_in_source_order(ds):
    frame = E.filter_initiatives(ds)
    assert ids(frame) == list(ds.insatser["insats_id"])
    assert {
        "avdelningar",
        "fokusomrade_namn",
        "overordnad_namn",
        "arvda_avdelningar",
        "etikett",
        "malgruppskategorier",
    } <= set(frame.columns)
    assert ids(E.filter_initiatives(ds, department="ALLA")) == ids(frame)
    assert ids(E.filter_initiatives(ds, focus_area="", department="", text="  ")) == ids(frame)


def test_department_filter_follows_responsibility_per_year(ds):
    sof = ids(E.filter_initiatives(ds, department="SOF"))
    assert "mhfa" in sof
    assert "act" not in sof  # SFF only
    assert "samordning" not in sof  # the text names no department: only the overview
    assert "samordning" in ids(E.filter_initiatives(ds))
    assert "pshout-yoga" in sof  # no row of its own: inherits P-SHOUT's SFF, SOF
    assert "pshout-yoga" not in ids(E.filter_initiatives(ds, department="AMF"))
    for dept in ds.departments:
        for year in (None, *ds.historical_years):
            got = ids(E.filter_initiatives(ds, department=dept, year=year))
            want = [i for i in ds.insatser["insats_id"] if dept in responsible(ds, i, year)]
            assert got == want, (dept, year)
    assert ids(E.filter_initiatives(ds, department="sof")) == sof
    # VOF joined Skånedagen in 2019 only
    assert "skanedagen" in ids(E.filter_initiatives(ds, department="VOF"))
    assert "skanedagen" not in ids(E.filter_initiatives(ds, department="VOF", year=2018))


def test_inherited_and_unnamed_departments_are_said(ds):
    frame = E.filter_initiatives(ds).set_index("insats_id")
    assert frame.at["pshout-yoga", "arvda_avdelningar"]
    assert set(frame.at["pshout-yoga", "avdelningar"]) == {"SFF", "SOF"}
    assert not frame.at["mhfa", "arvda_avdelningar"]
    table = E.initiatives_table(E.filter_initiatives(ds)).set_index("Kod")
    assert table.at["pshout-yoga", "Förvaltningar"] == "SFF, SOF (via huvudinsatsen)"
    assert table.at["samordning", "Förvaltningar"] == E.NO_DEPARTMENT
    assert table.at["skanedagen", "Förvaltningar"] == "SFF, SOF (2018); SFF, SOF, VOF (2019)"
    in_2019 = E.initiatives_table(E.filter_initiatives(ds, year=2019)).set_index("Kod")
    assert in_2019.at["skanedagen", "Förvaltningar"] == "SFF, SOF, VOF"
    texts = E.responsibility_texts(ds)
    assert texts["skanedagen"] == "SFF, SOF (2018); SFF, SOF, VOF (2019)"
    assert texts["mhfa"] == "SOF, VOF"
    assert texts["samordning"] == E.NO_DEPARTMENT


def test_year_and_focus_area(ds):
    y2019 = E.filter_initiatives(ds, year=2019)
    assert len(y2019) and all(2019 in cell for cell in y2019["ar"])
    assert "jps-ips" not in ids(y2019)  # 2018 only
    assert ids(E.filter_initiatives(ds, year="2019")) == ids(y2019)
    focus2 = E.filter_initiatives(ds, focus_area=2)
    assert set(focus2["fokusomrade"]) == {2}
    assert "mhfa" in ids(focus2)
    assert ids(E.filter_initiatives(ds, focus_area="2")) == ids(focus2)
    both = E.filter_initiatives(ds, focus_area=2, department="AMF", year=2018)
    assert ids(both) == [
        i for i in ids(E.filter_initiatives(ds, department="AMF", year=2018)) if i in ids(focus2)
    ]


# -- target-group categories --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("Ungdomar på gymnasiet, 16–20 år", ("barn och unga", "elever")),
        ("Föräldrar som har tonåringar", ("föräldrar och familjer",)),
        ("Chefer och medarbetare i Helsingborg", ("medarbetare och personal",)),
        (
            "Personer med allvarliga psykiska funktionsnedsättningar som är motiverade till arbete",
            ("vuxna med psykisk ohälsa",),
        ),
        ("Ungdomar med upplevd psykisk ohälsa", ("barn och unga",)),  # young: not "vuxna"
        (
            "Medarbetare som arbetar med brukare med psykisk funktionsnedsättning",
            ("vuxna med psykisk ohälsa", "medarbetare och personal"),
        ),
        ("Ungdomar; även stadens vuxna invånare", ("barn och unga", "allmänheten")),
        (
            "Ungdomar på gymnasienivå och andra intresserade; 2019 även personer som arbetar "
            "med barn och unga samt en äldre publik",
            ("barn och unga", "elever", "medarbetare och personal", "äldre", "allmänheten"),
        ),
        # "invånare" a team supports is not "the public"
        ("Guiderna, som stöttar invånare att finna ett arbete", ("medarbetare och personal",)),
        (None, ()),
    ],
)
def test_target_group_categories_by_rules(text, categories):
    assert E.target_group_categories(text) == categories


def test_every_initiative_has_a_category_and_the_filter_offers_a_handful(ds):
    groups = E.initiative_target_groups(ds)
    assert set(groups) == set(ds.insatser["insats_id"])
    assert all(groups.values())
    assert groups["samordning"] == (E.NO_TARGET_GROUP,)  # no target group in the text
    # a sub-project without its own target group has its parent's
    assert ds.insatser.set_index("insats_id").at["pshout2-starka", "malgrupp"] is None
    assert groups["pshout2-starka"] == groups["pshout2"]
    assert len([g for g in groups.values() if len(g) > 1]) >= 5  # several categories happen
    offered = E.filter_options(ds)["target_group"]
    assert 5 <= len(offered) <= len(E.TARGET_GROUPS)
    assert offered == [g for g in E.TARGET_GROUPS if g in offered]
    free_texts = {g for g in ds.insatser["malgrupp"] if g}
    assert len(offered) < len(free_texts) / 3


def test_target_group_filter(ds):
    elever = E.filter_initiatives(ds, target_group="elever")
    groups = E.initiative_target_groups(ds)
    assert ids(elever) == [i for i in ds.insatser["insats_id"] if "elever" in groups[i]]
    assert {"act", "pshout-gofar", "skanedagen"} <= set(ids(elever))
    parents = E.filter_initiatives(ds, target_group="FÖRÄLDRAR OCH FAMILJER")
    assert "foraldraskapsstod-film" in ids(parents)
    staff = ids(E.filter_initiatives(ds, target_group="medarbetare och personal"))
    assert "mhfa" in staff and "skanedagen" in staff  # skånedagen is in several
    assert all(
        "barn och unga" in cats
        for cats in E.filter_initiatives(ds, target_group="barn och unga")["malgruppskategorier"]
    )
    res = E.filter_results(ds, target_group="elever")
    assert set(res["insats_id"]) <= set(ids(elever)) and len(res)


# -- search: abbreviations and codes -----------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("MHFA", "mhfa"),
        ("mhfa", "mhfa"),
        ("IPS", "jps-ips"),
        ("GoFaR", "pshout"),
        ("F-ACT", "fact-utbildning"),
        ("fact", "fact-utbildning"),
        ("jps-ips", "jps-ips"),
        ("Mental Health First Aid", "mhfa"),  # the glossary's expansion of MHFA
        ("skanedagen", "skanedagen"),  # accent-blind
        ("SROI", "pshout2-sroi"),
    ],
)
def test_search_finds_abbreviations_and_codes(ds, query, first):
    assert E.find_initiatives(ds, query)[0] == first
    assert first in ids(E.filter_initiatives(ds, text=query))


def test_search_ranks_what_the_initiative_is_called_before_mere_mentions(ds):
    # samordning's results mention MHFA instructors; the MHFA course itself comes first
    assert E.find_initiatives(ds, "MHFA") == ["mhfa", "samordning"]
    assert E.find_initiatives(ds, "ips") == ["jps-ips", "supported-employment"]
    # GoFaR: the projects that use it, not every P-SHOUT project the glossary's
    # explanation of PSHOUT happens to mention it in
    assert set(E.find_initiatives(ds, "GoFaR")) == {
        "pshout",
        "pshout-gofar",
        "pshout2",
        "pshout2-gofar",
    }
    assert ids(E.filter_initiatives(ds, text="GoFaR")) == [
        "pshout",
        "pshout-gofar",
        "pshout2",
        "pshout2-gofar",
    ]
    assert E.find_initiatives(ds, "MHFA", among=["samordning", "act"]) == ["samordning"]
    assert E.find_initiatives(ds, "  ") == []
    assert E.find_initiatives(ds, "finns-inte-någonstans") == []


def test_picker_labels_carry_parent_abbreviation_and_code(ds):
    choices = dict(E.initiative_choices(ds, ["mhfa", "pshout2-starka", "jps-ips"]))
    assert choices == {
        "Första hjälpen vid psykisk ohälsa hos äldre, vuxna, barn – MHFA (mhfa)": "mhfa",
        "PSHOUT 2: Delprojekt 5 – Starka (pshout2-starka)": "pshout2-starka",
        "JPS; Jobb på sikt – IPS (jps-ips)": "jps-ips",
    }


def test_free_text_over_the_initiative_and_its_measures(ds):
    assert "jps-ips" in ids(E.filter_initiatives(ds, text="arbetsförmedlingen"))  # partner
    own = ds.insatser.set_index("insats_id").loc["pshout-gofar"]
    assert (
        "zientarski"
        not in " ".join(str(own[c]) for c in ("namn", "beskrivning", "malgrupp", "partner")).lower()
    )
    assert ids(E.filter_initiatives(ds, text="Zientarski")) == ["pshout-gofar"]
    assert ids(E.filter_initiatives(ds, text="IPS arbetsförmedlingen")) == ["jps-ips"]
    empty = E.filter_initiatives(ds, text="finns-inte-någonstans")
    assert empty.empty and list(empty.columns) == list(E.filter_initiatives(ds).columns)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"department": "XYZ"}, "okänd förvaltning 'XYZ'; giltiga: ALLA, AMF, SFF, SOF, VOF"),
        ({"year": 2026}, "okänt år 2026; giltiga: 2018, 2019"),
        ({"focus_area": 9}, "okänt fokusområde 9; giltiga: 1, 2, 3, 4, 5"),
        (
            {"target_group": "tonåringar"},
            "okänd målgrupp 'tonåringar'; giltiga: " + ", ".join(E.TARGET_GROUPS),
        ),
    ],
)
def test_unknown_filter_values_name_the_valid_ones(ds, kwargs, message):
    with pytest.raises(ParameterError) as info:
        E.filter_initiatives(ds, **kwargs)
    assert str(info.value) == message
    with pytest.raises(ParameterError):
        E.filter_results(ds, **kwargs)


# -- filter_results --------------------------------------------------------------------------------
def test_results_follow_the_initiative_filters(ds):
    res = E.filter_results(ds, department="SOF", year=2019)
    assert len(res) and set(res["ar"]) == {2019}
    assert set(res["insats_id"]) <= set(ids(E.filter_initiatives(ds, department="SOF", year=2019)))
    want = ds.resultat[
        ds.resultat["insats_id"].isin(ids(E.filter_initiatives(ds, department="SOF", year=2019)))
        & (ds.resultat["ar"] == 2019)
    ]
    assert list(res["resultat_id"]) == list(want["resultat_id"])
    assert {"insats", "kalla_avsnitt", "kalla_citat", "avdelningar"} <= set(res.columns)
    assert len(E.filter_results(ds)) == len(ds.resultat)


def test_results_of_a_department_are_those_of_its_years(ds):
    vof = E.filter_results(ds, department="VOF")
    sk = vof[vof["insats_id"] == "skanedagen"]
    assert len(sk) and set(sk["ar"]) == {2019}  # VOF was not responsible in 2018
    assert len(
        ds.resultat[(ds.resultat["insats_id"] == "skanedagen") & (ds.resultat["ar"] == 2018)]
    )


def test_results_text_matches_the_initiative_or_the_measure(ds):
    ips = E.filter_results(ds, text="IPS")
    jps = ds.resultat[ds.resultat["insats_id"] == "jps-ips"]
    assert set(jps["resultat_id"]) <= set(ips["resultat_id"])
    only = E.filter_results(ds, text="zientarski")
    assert list(only["resultat_id"]) == ["pshout-gofar-r01"]


def test_results_table_has_kinds_sources_and_no_nan(ds):
    res = E.filter_results(ds)
    table = E.results_table(ds, res)
    assert list(table.columns) == list(E.RESULT_COLUMNS)
    assert len(table) == len(res)
    no_nan_text(table)
    by_id = table.set_index("Kod")
    for rid in ds.resultat.loc[ds.resultat["varde"].isna(), "resultat_id"]:
        assert by_id.at[rid, "Värde"] == F.MISSING
    for rec in res.to_dict("records"):
        assert by_id.at[rec["resultat_id"], "Citat ur källan"] == rec["kalla_citat"]
        assert by_id.at[rec["resultat_id"], "Värde"] == E.result_value(rec)
    assert by_id.at["jps-ips-r04", "Slag av siffra"] == "2012–2018 sammanlagt"
    assert by_id.at["act-r03", "Slag av siffra"] == "planerat"
    assert by_id.at["mhfa-r01", "Slag av siffra"] == "uppnått"
    assert by_id.at["mhfa-r01", "Nyckeltal"] == "ja"
    assert (
        by_id.at["mhfa-r01", "Insats"] == "Första hjälpen vid psykisk ohälsa hos äldre, vuxna, barn"
    )
    assert by_id.at["pshout2-gofar-r01", "Insats"].startswith("PSHOUT 2: Delprojekt 3")
    assert ds.document_title(E.SOURCE_2018) in by_id.iloc[0]["Källa"]


# -- the headline-figure chart ---------------------------------------------------------------------
def test_chart_has_only_achieved_key_figures_named_with_their_parent(ds):
    res = E.filter_results(ds)
    chart = E.key_figure_chart(ds, res)
    key = ds.resultat[ds.resultat.apply(compare.is_key_figure, axis=1).astype(bool)]
    assert set(chart.ids) == set(key["insats_id"])
    assert "jps-ips" not in chart.ids  # its 212 is a 2012–2018 total, not a 2018 figure
    assert "utbildningsinsatser" not in chart.ids  # its 360 is a plan
    labels = compare.initiative_labels(ds)
    assert chart.labels == [labels[i] for i in chart.ids]
    assert (
        "PSHOUT 2: Delprojekt 3 – GoFaR (Gemensamt ordnad Fysisk aktivitet på Recept)"
        in chart.labels
    )
    assert chart.years == [2018, 2019]
    drawn = {
        (iid, int(y))
        for y, vals in chart.values.items()
        for iid, v in zip(chart.ids, vals, strict=True)
        if isinstance(v, float)
    }
    assert drawn == set(zip(key["insats_id"], key["ar"], strict=True))


def test_chart_draws_no_bar_for_years_an_initiative_did_not_run(ds):
    chart = E.key_figure_chart(ds, E.filter_results(ds))
    pos = {iid: i for i, iid in enumerate(chart.ids)}
    assert chart.values["2019"][pos["pshout-gofar"]] is charts.NO_BAR  # 2018 only
    assert chart.values["2018"][pos["pshout2-gofar"]] is charts.NO_BAR  # 2019 only
    assert chart.values["2018"][pos["esl"]] is None  # ran, reported no headline figure
    row = {r[0]: r[1:] for r in chart.table}
    labels = compare.initiative_labels(ds)
    assert row[labels["pshout-gofar"]] == ["ca\u00a0300", E.NOT_APPLICABLE]  # qualifier kept
    assert row[labels["esl"]] == [F.MISSING, "45"]
    assert row[labels["mhfa"]] == ["150", "291"]


def test_chart_is_bounded_to_the_largest_and_the_table_keeps_all(ds):
    chart = E.key_figure_chart(ds, E.filter_results(ds), limit=5)
    assert chart.shown == 5 and chart.total == len(chart.table) > 5
    labels, values, texts = chart.top()
    assert len(labels) == 5 and all(len(v) == 5 for v in values.values())
    biggest = [
        max((v for v in (values[y][i] for y in values) if isinstance(v, float)), default=0)
        for i in range(5)
    ]
    assert biggest == sorted(biggest, reverse=True)
    assert labels[0] == compare.initiative_labels(ds)["pshout2-utstallning"]  # ca 1 100
    assert texts["2019"][0] == "ca\u00a01\u00a0100"
    assert not E.key_figure_chart(ds, E.filter_results(ds).iloc[0:0])


def test_chart_of_a_department_leaves_out_years_it_was_not_responsible(ds):
    chart = E.key_figure_chart(ds, E.filter_results(ds, department="VOF"), "VOF")
    pos = {iid: i for i, iid in enumerate(chart.ids)}
    assert chart.values["2018"][pos["skanedagen"]] is charts.NO_BAR
    assert chart.values["2019"][pos["skanedagen"]] == 343.0


# -- one initiative: the answer first ------------------------------------------------------------
def test_answer_line_for_mhfa(ds):
    assert E.answer_line(ds, "mhfa") == (
        "MHFA: 150 (2018), 291 (2019) → 2026: fortsätter i ”Kompetensutveckling medarbetare” "
        "(indikator T23-K3); ny form i ”Kompetenshöjande insatser till allmänheten”"
    )


def test_answer_line_says_what_is_missing_ended_or_inherited(ds):
    assert E.answer_line(ds, "act").startswith("ACT: 87 (2018), uppgift saknas (2019) → 2026: ")
    assert E.answer_line(ds, "act").endswith("ingen efterföljare")
    jps = E.answer_line(ds, "jps-ips")
    assert jps.startswith("JPS; Jobb på sikt – IPS: ingen siffra för nådda eller utbildade")
    assert "→ 2026: avvecklad; ny form i ”Meningsfull sysselsättning" in jps
    assert E.answer_line(ds, "pshout-gofar").startswith("GoFaR: ca\u00a0300 (2018)")
    assert E.answer_line(ds, "pshout2").endswith("→ 2026: se delprojekten")
    # a sub-project without crosswalk rows of its own answers with its parent's, said so
    yoga = E.answer_line(ds, "pshout-yoga")
    assert "→ 2026 (via P-SHOUT): ny form i" in yoga


def test_evidence_2026_is_corrected_swedish_and_the_ocr_is_marked(ds):
    succ = E.successors(ds, "mhfa").set_index("koppling_id")
    goal = ds.goals[ds.latest_goal_year]
    assert (
        succ.at["K10", "belagg_2026"]
        == goal.indikatorer.set_index("indikator_id").at["T23-K3", "text"]
    )
    assert succ.at["K11", "belagg_2026"] == (
        "Ambition att erbjuda MHFA till allmänheten under Skåneveckan 2026."
    )
    assert succ.at["K11", "kalla_citat_2026"] == (
        "Ambition att erbjuda MHFA till allmdnheten under Skaneveckan 2026."
    )
    table = E.successors_table(E.successors(ds, "mhfa"))
    assert list(table.columns) == list(E.SUCCESSOR_COLUMNS)
    assert not any(OCR_ARTEFACTS.search(t) for t in table["Belägg 2026"])
    ocr_column = f"Belägg 2026, {E.OCR_NOTE}"
    assert E.OCR_NOTE == "inskannad text, å/ä/ö kan vara fel"
    assert any(OCR_ARTEFACTS.search(t) for t in table[ocr_column])


def test_evidence_without_a_corrected_row_falls_back_on_the_curated_theme(ds):
    succ = E.successors(ds, "jps-ips").set_index("koppling_id")
    assert succ.at["K13", "belagg_2026"] is None  # no row of mal.xlsx cites this OCR line
    assert E.evidence_text(succ.loc["K13"].to_dict()) == (
        "Tema: Meningsfull sysselsättning och arbetslivsinriktad rehabilitering"
    )
    assert E.evidence_text(succ.loc["K12"].to_dict()) == E.NOT_APPLICABLE  # avvecklad, no quote


def test_every_successor_is_shown_and_none_has_nan(ds):
    seen = []
    for iid in ds.insatser["insats_id"]:
        succ = E.successors(ds, iid)
        seen += list(succ.loc[succ["via"].isna(), "koppling_id"])
        no_nan_text(E.successors_table(succ))
    assert sorted(seen) == sorted(ds.koppling["koppling_id"])


def test_successors_of_mhfa_match_the_crosswalk(ds):
    succ = E.successors(ds, "mhfa")
    rows = ds.koppling[ds.koppling["insats_id"] == "mhfa"]
    assert list(succ["koppling_id"]) == list(rows["koppling_id"])
    row = succ[succ["indikator_id"] == "T23-K3"].iloc[0]
    side = compare.goal_side(ds.goals[ds.latest_goal_year], "T23", "T23-K3")
    assert row["tema"] == side["tema"] and row["indikator"] == side["indikator"]
    assert row["malar"] == ds.latest_goal_year and row["via"] is None


def test_successors_without_theme_or_of_a_subproject(ds):
    act = E.successors_table(E.successors(ds, "act"))
    assert list(act["Tema"]) == [E.NO_SUCCESSOR]
    assert list(act["Relation"]) == ["ingen efterföljare"]
    sub = E.successors(ds, "pshout-yoga")
    assert ds.koppling[ds.koppling["insats_id"] == "pshout-yoga"].empty
    parent_rows = ds.koppling[ds.koppling["insats_id"] == "pshout"]
    assert list(sub["koppling_id"]) == list(parent_rows["koppling_id"])
    assert set(sub["via"]) == {"pshout"}


def test_initiative_record_is_complete(ds):
    rec = E.initiative_record(ds, "mhfa")
    row = ds.insatser.set_index("insats_id").loc["mhfa"]
    assert rec.insats_id == "mhfa" and rec.namn == row["namn"]
    want = ds.resultat[ds.resultat["insats_id"] == "mhfa"]
    assert list(rec.resultat["resultat_id"]) == list(want["resultat_id"])
    assert list(rec.efterfoljare["koppling_id"]) == list(E.successors(ds, "mhfa")["koppling_id"])
    assert rec.svar == E.answer_line(ds, "mhfa")
    assert rec.nyckeltal == [
        "2018: 150 personer som gått utbildningen i första hjälpen vid psykisk ohälsa (MHFA)",
        "2019: 291 medarbetare som gått utbildningen i första hjälpen vid psykisk ohälsa (MHFA)",
    ]
    facts = rec.facts().set_index("Fält")["Värde"]
    no_nan_text(rec.facts())
    assert facts["Partner"] == F.MISSING
    assert facts["Förvaltningar"] == "SOF, VOF"
    assert facts["Målgruppskategorier"] == "medarbetare och personal"
    assert facts["Citat ur källan"] == row["kalla_citat"]


def test_initiative_record_lists_subprojects(ds):
    rec = E.initiative_record(ds, "pshout2")
    subs = ds.insatser[ds.insatser["overordnad_insats"] == "pshout2"]
    assert ids(rec.delprojekt) == list(subs["insats_id"])
    table = E.subprojects_table(rec)
    assert list(table["Huvudinsats"]) == [rec.namn] * len(subs)
    child = E.initiative_record(ds, "pshout2-starka")
    assert child.etikett == "PSHOUT 2: Delprojekt 5 – Starka"
    assert child.facts().set_index("Fält").at["Huvudinsats", "Värde"] == f"{rec.namn} (pshout2)"


@pytest.mark.parametrize("func", [E.initiative_record, E.successors, E.answer_line])
def test_unknown_initiative_raises_a_clear_swedish_error(ds, func):
    with pytest.raises(E.UnknownInitiativeError) as info:
        func(ds, "mhfaa")
    assert isinstance(info.value, ReportError)
    message = str(info.value)
    assert message.startswith("okänd insats 'mhfaa'")
    assert "Menade du 'mhfa'?" in message
    assert "Giltiga koder är t.ex. " + ", ".join(ds.insatser["insats_id"][:5]) in message


def test_initiatives_table_swedish_and_formatted(ds):
    table = E.initiatives_table(E.filter_initiatives(ds))
    assert list(table.columns) == list(E.INITIATIVE_COLUMNS)
    no_nan_text(table)
    by_id = table.set_index("Kod")
    assert by_id.at["mhfa", "År"] == "2018 och 2019"
    assert by_id.at["mhfa", "Fokusområde"].startswith("2. ")
    assert by_id.at["mhfa", "Huvudinsats"] == E.NOT_APPLICABLE
    assert by_id.at["skanedagen", "Målgruppskategorier"] == (
        "barn och unga, elever, medarbetare och personal, äldre, allmänheten"
    )


def test_summary_counts_only_achieved_key_figures():
    inits = pd.DataFrame({"insats_id": ["a"]})
    res = pd.DataFrame(
        {"nyckeltal": ["ja", "nej", "ja"], "slag": ["uppnått", "uppnått", "planerat"]}
    )
    assert E.summary(inits, res) == "1 insats och 3 resultat (varav 1 nyckeltal)."
    none = E.summary(inits.iloc[0:0], res.iloc[0:0])
    assert none == "0 insatser och 0 resultat (varav 0 nyckeltal)."


def test_target_text():
    assert E.target_text({"mal_text": "Minska med 20 %"}) == "Minska med 20 %"
    assert E.target_text({"maltyp": "ingen"}) == "inget mätbart mål"
    assert E.target_text({"maltyp": "minst", "malvarde": 1100}) == "minst 1\u00a0100"


# -- the widgets -----------------------------------------------------------------------------------
def test_record_html_answers_first_and_folds_the_detail(ds):
    from report_utils.explore_widgets import record_html

    markup = record_html(ds, "mhfa")
    answer = markup.index('class="answer"')
    assert F.esc(E.answer_line(ds, "mhfa")) in markup
    first_details = markup.index("<details")
    assert answer < markup.index("Efterföljare 2026") < first_details
    assert re.search(r"<details><summary>Alla uppgifter om insatsen \(\d+ fält\)</summary>", markup)
    assert "<details><summary>Resultat med källa (2)</summary>" in markup
    # the 2026 evidence in corrected Swedish; the OCR only inside <details>, marked as OCR
    assert "Ambition att erbjuda MHFA till allmänheten under Skåneveckan 2026." in markup
    ocr = "Ambition att erbjuda MHFA till allmdnheten under Skaneveckan 2026."
    at = markup.index(ocr)
    opened = markup.rfind('<details class="ocr">', 0, at)
    assert opened != -1 and markup.find("</details>", opened) > at
    assert "inskannad text, å/ä/ö kan vara fel" in markup[opened:at]


def test_chart_html_bounds_its_height(ds):
    from report_utils.explore_widgets import CHART_ROWS, key_figure_chart

    markup = key_figure_chart(ds, E.filter_results(ds))
    assert "<figure" in markup and "<details" in markup  # the data table under the chart
    assert f"visar de {CHART_ROWS[2]} största; alla 12 står i tabellen" in markup
    one_year = key_figure_chart(ds, E.filter_results(ds, year=2019))
    assert f"visar de {CHART_ROWS[1]} största" in one_year


def test_explorer_widgets_update_pick_and_export(ds, tmp_path):
    from report_utils.explore_widgets import CHART_TAB, explorer

    ex = explorer(ds=ds, export_dir=tmp_path / "exports")
    assert "29 insatser" in ex.summary.value
    assert "<table" in ex.initiatives_html.value and "<figure" in ex.chart_html.value
    assert [v for _label, v in ex.department.options] == ["ALLA", *ds.departments]
    assert [v for _label, v in ex.target_group.options][1:] == E.filter_options(ds)["target_group"]
    ex.department.value = "SOF"
    assert f"{len(E.filter_initiatives(ds, department='SOF'))} insatser" in ex.summary.value
    assert (
        "Första hjälpen vid psykisk ohälsa hos äldre, vuxna, barn – MHFA (mhfa)"
        in ex.picker.options
    )
    # typing an abbreviation and pressing Enter picks the initiative
    ex.picker.value = "MHFA"
    assert ex.selected == "mhfa"
    assert F.esc(E.answer_line(ds, "mhfa")) in ex.record_html.value
    assert (
        ex.picker.value == "Första hjälpen vid psykisk ohälsa hos äldre, vuxna, barn – MHFA (mhfa)"
    )
    ex.picker.value = "jps-ips"
    assert ex.selected == "jps-ips"
    ex.text.value = "IPS"
    assert ex.picker.options == tuple(
        label
        for label, _i in E.initiative_choices(
            ds, ids(E.filter_initiatives(ds, department="SOF", text="IPS"))
        )
    )
    assert ex.selected == "jps-ips"  # still among the filtered: kept
    assert "Diagrammet ritas när fliken öppnas" in ex.chart_html.value
    ex.tabs.selected_index = CHART_TAB
    assert "Inga nyckeltal" in ex.chart_html.value  # IPS at SOF: no headline figure
    ex.text.value = "MHFA"
    assert "<figure" in ex.chart_html.value  # the open tab is redrawn at once
    assert ex.selected == "mhfa"  # jps-ips is filtered out: the first left is shown
    # export: download links carrying the files, and the same files on disk
    ex.export.click()
    links = re.findall(
        r'<a href="data:([^;]+);base64,[^"]+" download="([^"]+)"', ex.downloads.value
    )
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (xlsx, "insatser-2018-2019_SOF_mhfa_mhfa.xlsx") in links
    assert {name for _mime, name in links} == {p.name for p in (tmp_path / "exports").iterdir()}
    ex.text.value = "finns-inte-någonstans"
    assert ex.downloads.value == ""  # stale links go when the filters change
    assert ex.selected is None and "Ingen insats matchar" in ex.record_html.value
    assert "Inga nyckeltal" in ex.chart_html.value
    ex.picker.value = "MHFA"  # not among the (empty) filtered: found anyway, said so
    assert ex.selected == "mhfa" and "inte bland de filtrerade" in ex.picker_note.value
    ex.reset.click()
    assert ex.department.value == "ALLA" and ex.text.value == ""
    assert "29 insatser" in ex.summary.value


def test_html_table_escapes_spreadsheet_text():
    from report_utils.explore_widgets import html_table

    markup = html_table(pd.DataFrame({"Insats": ["<script>alert(1)</script>"], "Värde": ["ca 5"]}))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert '<td class="num">ca 5</td>' in markup


# -- the notebook ----------------------------------------------------------------------------------
def test_notebook_is_committed_clean():
    nb = json.loads(NOTEBOOK.read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        assert cell.get("id")
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.slow
def test_notebook_executes_headless_with_widgets(tmp_path):
    import papermill as pm

    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(out),
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
        execution_timeout=120,
    )
    nb = json.loads(out.read_text("utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    views = [o for o in outputs if WIDGET_MIME in o.get("data", {})]
    assert views, "the explorer's widget view is missing from the outputs"
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    assert views[0]["data"][WIDGET_MIME]["model_id"] in models
    html = " ".join(str(m["state"].get("value", "")) for m in models.values())
    assert "29 insatser" in html and "Efterföljare 2026" in html
