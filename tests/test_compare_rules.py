"""The comparison rules on a small data set built in the test (tests/small_world.py), where
every expected answer is worked out by hand: who was responsible when, which figures are a
department's baseline, which indicators and themes are its, and how goal attainment is judged.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import small_world as W
from report_utils import compare as C
from report_utils import schemas as S


@pytest.fixture(scope="module")
def ds():
    return W.dataset()


@pytest.fixture(scope="module")
def goal(ds):
    return ds.goals[2026]


def records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


# -- 2018–2019: responsibility per year ---------------------------------------------------------
def test_responsibility_per_year_with_sub_projects_inheriting_their_parents(ds):
    resp = C.responsibility(ds)
    assert list(resp.columns) == [
        "insats_id",
        "ar",
        "ansvariga",
        "ansvariga_i_texten",
        "arvd",
        "status",
    ]
    assert records(resp, "insats_id", "ar", "ansvariga", "arvd", "status") == [
        ("mhfa", 2018, ("VOF",), False, "pågår"),  # the year's own outcome
        ("mhfa", 2019, ("SOF", "VOF"), False, "genomförd"),  # none that year: the initiative's
        ("act", 2018, ("SOF",), False, "avvecklad"),
        ("act", 2019, ("SOF",), False, "avvecklad"),
        ("pshout", 2019, ("SFF", "AMF"), False, "genomförd"),
        ("pshout-starka", 2019, ("SFF", "AMF"), True, "pågår"),  # inherited from P-SHOUT
        ("pshout-egen", 2019, ("SOF",), False, "pågår"),  # a row of its own wins
        ("samordning", 2018, None, False, "genomförd"),  # the text names no department
        ("ips", 2018, ("AMF",), False, "pågår"),
        ("kurs", 2019, None, False, "pågår"),  # a main initiative without a row inherits nothing
    ]
    keys = zip(resp["insats_id"], resp["ar"], strict=True)
    texts = dict(zip(keys, resp["ansvariga_i_texten"], strict=True))
    assert texts[("pshout-starka", 2019)] == "SFF, AMF" and texts[("mhfa", 2018)] == "VOF"


@pytest.mark.parametrize(
    ("department", "pairs"),
    [
        ("SOF", {("act", 2018), ("act", 2019), ("mhfa", 2019), ("pshout-egen", 2019)}),
        ("VOF", {("mhfa", 2018), ("mhfa", 2019)}),
        ("AMF", {("ips", 2018), ("pshout", 2019), ("pshout-starka", 2019)}),
        ("XYZ", set()),
    ],
)
def test_responsible_pairs_are_the_years_a_department_answered_for(ds, department, pairs):
    assert C.responsible_pairs(ds, department) == pairs


def test_the_overview_answers_for_every_initiative_and_year(ds):
    everything = {(i, y) for i, _n, _p, years, _m, _s in W.INSATSER for y in years}
    assert C.responsible_pairs(ds, "ALLA") == everything


def test_initiatives_for_a_department_and_year_with_that_years_departments_and_outcome(ds):
    vof_2018 = C.initiatives_for(ds, "VOF", 2018)
    assert list(vof_2018.columns) == [*ds.insatser.columns, "avdelningar"]
    assert records(vof_2018, "insats_id", "avdelningar", "status") == [("mhfa", ("VOF",), "pågår")]
    assert list(vof_2018.index) == [0]
    # without a year: every year's departments, and the initiative's own status
    assert records(C.initiatives_for(ds, "VOF"), "insats_id", "avdelningar", "status") == [
        ("mhfa", ("SOF", "VOF"), "genomförd")
    ]
    assert records(C.initiatives_for(ds, "ALLA", 2018), "insats_id", "avdelningar") == [
        ("mhfa", ("VOF",)),
        ("act", ("SOF",)),
        ("samordning", None),
        ("ips", ("AMF",)),
    ]
    amf = C.initiatives_for(ds, "AMF", 2019)
    assert records(amf, "insats_id", "avdelningar", "status") == [
        ("pshout", ("AMF", "SFF"), "genomförd"),
        ("pshout-starka", ("AMF", "SFF"), "pågår"),
    ]
    assert list(amf.index) == [0, 1]


def test_results_for_initiatives_and_a_year(ds):
    res = C.results_for(ds, iter(["mhfa", "act"]), 2019)
    assert list(res["resultat_id"]) == ["mhfa-r2", "mhfa-r3", "act-r2"]
    assert list(res.index) == [0, 1, 2] and list(res.columns) == list(ds.resultat.columns)
    assert list(C.results_for(ds, ["act"])["resultat_id"]) == ["act-r1", "act-r2"]


def test_initiative_labels_name_a_sub_projects_parent(ds):
    assert C.initiative_labels(ds) == {
        "mhfa": "Första hjälpen",
        "act": "ACT",
        "pshout": "P-SHOUT",
        "pshout-starka": "P-SHOUT: Starka tjejer",
        "pshout-egen": "P-SHOUT: Egen rad",
        "samordning": "Samordning",
        "ips": "IPS",
        "kurs": "Kurs",
    }


def test_key_figures_are_achieved_headline_figures_of_the_years_a_department_answered_for(ds):
    sof = C.key_figures(ds, "SOF")
    assert records(sof, "resultat_id", "insats") == [
        ("mhfa-r2", "Första hjälpen"),
        ("act-r1", "ACT"),
    ]
    assert list(sof.index) == [0, 1] and list(sof.columns) == [*ds.resultat.columns, "insats"]
    assert list(C.key_figures(ds, "ALLA")["resultat_id"]) == [
        "mhfa-r1",
        "mhfa-r2",
        "act-r1",
        "starka-r1",
        "samordning-r1",  # in the overview, though the text names no department for it
    ]
    assert C.key_figures(ds, "XYZ").empty


def test_is_key_figure_needs_both_the_mark_and_an_achieved_figure():
    assert C.is_key_figure({"nyckeltal": "ja", "slag": S.UPPNATT})
    assert not C.is_key_figure({"nyckeltal": "nej", "slag": S.UPPNATT})
    assert not C.is_key_figure({"nyckeltal": "ja", "slag": S.PLANERAT})


def test_key_figure_series_puts_none_where_a_year_ran_without_a_figure(ds):
    labels = C.initiative_labels(ds)
    series = C.key_figure_series(C.key_figures(ds, "ALLA"), labels, C.responsible_pairs(ds, "ALLA"))
    assert series.ids == ["mhfa", "act", "pshout-starka", "samordning"]
    assert series.labels == ["Första hjälpen", "ACT", "P-SHOUT: Starka tjejer", "Samordning"]
    assert series.years == [2018, 2019]
    assert series.values == {2018: [150.0, 40.0, None, 6.0], 2019: [291.0, None, 12.0, None]}
    assert series.qualifiers == {2018: [None, None, None, None], 2019: ["ca", None, None, None]}
    # ACT ran in 2019 without a headline figure; Samordning did not run in 2019
    assert series.ran == {2018: [True, True, False, True], 2019: [True, True, True, False]}
    # without the pairs that ran, a year without a figure counts as not run
    alone = C.key_figure_series(C.key_figures(ds, "ALLA"), {})
    assert alone.labels == alone.ids and alone.ran[2019] == [True, False, True, False]
    assert bool(alone)
    empty = C.key_figure_series(C.key_figures(ds, "XYZ"), labels)
    assert not empty and empty.years == [] and empty.values == {}


def test_a_key_figure_series_skips_figures_that_are_not_headline_figures(ds):
    res = C.results_for(ds, ["mhfa"])
    series = C.key_figure_series(res, C.initiative_labels(ds))
    assert series.values == {2018: [150.0], 2019: [291.0]}  # the plan (mhfa-r3) is left out


def test_initiatives_without_measurable_goals_are_main_initiatives_not_saying_ja(ds):
    none = C.without_measurable_goals(C.initiatives_for(ds, "ALLA"))
    assert list(none["insats_id"]) == ["act", "samordning", "kurs"]
    assert list(none.index) == [0, 1, 2] and "index" not in none.columns


# -- goal years -----------------------------------------------------------------------------------
def test_theme_departments_gather_every_department_named_in_a_theme(goal):
    assert C.theme_departments(goal) == {
        "T1": {"SOF", "VOF"},
        "T2": {"AMF"},
        "T3": set(),
        "T4": {"VOF"},
    }


def test_a_department_gets_its_own_themes_and_the_shared_ones_in_the_documents_order(goal):
    amf = C.themes_for(goal, "AMF")
    assert records(amf, "tema_id", "avdelningar") == [("T2", ("AMF",)), ("T3", None)]
    assert list(amf.index) == [0, 1] and list(amf.columns) == [*goal.teman.columns, "avdelningar"]
    assert list(C.themes_for(goal, "ALLA")["tema_id"]) == ["T2", "T1", "T3", "T4"]
    assert list(C.themes_for(goal, "VOF")["tema_id"]) == ["T1", "T3", "T4"]
    assert list(C.themes_for(goal, "SFF")["tema_id"]) == ["T3"]


def test_a_department_gets_its_indicators_sorted_by_theme_horizon_and_id(goal):
    every = C.indicators_for(goal, "ALLA")
    assert records(every, "indikator_id", "tema", "gemensam") == [
        ("T2-K1", "Arbete", False),
        ("T2-K2", "Arbete", False),
        ("T1-K1", "Kompetens", False),
        ("T1-L1", "Kompetens", False),
        ("T3-L1", "Samverkan", True),
    ]
    assert list(every.index) == [0, 1, 2, 3, 4]
    assert list(every.columns) == [*goal.indikatorer.columns, "tema", "gemensam"]
    assert every["gemensam"].map(type).eq(bool).all()
    assert list(C.indicators_for(goal, "SOF")["indikator_id"]) == ["T1-K1", "T1-L1", "T3-L1"]
    assert list(C.indicators_for(goal, "SFF")["indikator_id"]) == ["T3-L1"]
    # limited to some themes
    amf_themes = C.themes_for(goal, "AMF")
    assert list(C.indicators_for(goal, "SOF", amf_themes)["indikator_id"]) == ["T3-L1"]


def test_all_four_means_every_department():
    assert C.all_four(("AMF", "SFF", "SOF", "VOF")) and C.all_four(
        {"AMF", "SFF", "SOF", "VOF", "X"}
    )
    assert not C.all_four(("AMF", "SFF", "SOF")) and not C.all_four(None)


def test_activities_of_a_department_in_its_themes(goal):
    amf = C.activities_for(goal, "AMF", C.themes_for(goal, "AMF"))
    assert list(amf["aktivitet_id"]) == ["A2", "A3"]  # its own, and the shared theme's
    assert list(amf.index) == [0, 1] and list(amf.columns) == list(goal.aktiviteter.columns)
    assert list(C.activities_for(goal, "SOF", C.themes_for(goal, "SOF"))["aktivitet_id"]) == [
        "A1",
        "A3",
    ]
    # an activity of a theme not asked for is left out, even the department's own
    assert list(C.activities_for(goal, "AMF", C.themes_for(goal, "SOF"))["aktivitet_id"]) == ["A3"]
    assert list(C.activities_for(goal, "ALLA", C.themes_for(goal, "ALLA"))["aktivitet_id"]) == [
        "A1",
        "A2",
        "A3",
        "A4",
    ]


def test_subgoal_coverage_counts_a_departments_themes_and_indicators(ds, goal):
    amf = C.subgoal_coverage(ds, goal, "AMF")
    assert amf.to_dict("records") == [
        {"nr": 1, "namn": "Delmål ett", "teman": 0, "indikatorer": 0, "tema_namn": []},
        {"nr": 2, "namn": "Delmål två", "teman": 1, "indikatorer": 2, "tema_namn": ["Arbete"]},
        {"nr": 3, "namn": "Tre", "teman": 0, "indikatorer": 0, "tema_namn": []},
    ]
    sof = C.subgoal_coverage(ds, goal, "SOF").set_index("nr")
    assert sof.at[1, "indikatorer"] == 2  # T1-K1 and T1-L1, not the shared theme's T3-L1
    every = C.subgoal_coverage(ds, goal, "ALLA").set_index("nr")
    assert every.at[2, "teman"] == 2 and every.at[2, "indikatorer"] == 4
    assert every.at[2, "tema_namn"] == ["Arbete", "Kompetens"]
    # a theme of the sub-goal without any indicator counts as a theme, with no indicators
    vof = C.subgoal_coverage(ds, goal, "VOF").set_index("nr")
    assert (vof.at[3, "teman"], vof.at[3, "indikatorer"], vof.at[3, "tema_namn"]) == (
        1,
        0,
        ["Stöd"],
    )


def test_department_subgoal_matrix_counts_themes_per_department_and_sub_goal(ds, goal):
    matrix = C.department_subgoal_matrix(ds, goal)
    assert matrix.to_dict("index") == {
        "AMF": {1: 0, 2: 1, 3: 0},
        "SFF": {1: 0, 2: 0, 3: 0},
        "SOF": {1: 1, 2: 1, 3: 0},
        "VOF": {1: 1, 2: 1, 3: 1},
    }
    assert list(matrix.columns) == [1, 2, 3] and all(matrix.dtypes == "int64")


def test_goals_without_indicators_name_the_theme_horizon_and_its_goals(goal):
    missing = C.goals_without_indicators(goal, "ALLA")
    assert missing.to_dict("records") == [
        {
            "tema_id": "T2",
            "tema": "Arbete",
            "horisont": "lång sikt",
            "status": "saknas",
            "antal_mal": 1,
            "mal": ["Fler i arbete"],
            "kalla_avsnitt": "Tema Arbete",
        },
        {
            "tema_id": "T3",
            "tema": "Samverkan",
            "horisont": "kort sikt",
            "status": "ej angivet",
            "antal_mal": 1,
            "mal": ["Gemensamt forum"],
            "kalla_avsnitt": "Tema Samverkan",
        },
        {
            "tema_id": "T4",
            "tema": "Stöd",
            "horisont": "kort sikt",
            "status": "saknas",
            "antal_mal": 1,
            "mal": ["Stödsamtal"],
            "kalla_avsnitt": "Tema Stöd",
        },
        {
            "tema_id": "T4",
            "tema": "Stöd",
            "horisont": "lång sikt",
            "status": "saknas",
            "antal_mal": 0,
            "mal": [],
            "kalla_avsnitt": "Tema Stöd",
        },
    ]
    assert list(C.goals_without_indicators(goal, "SOF")["tema_id"]) == ["T3"]
    every_horizon = goal.teman.assign(
        kortsiktiga_indikatorer="finns", langsiktiga_indikatorer="finns"
    )
    none = C.goals_without_indicators(dataclasses.replace(goal, teman=every_horizon), "SOF")
    assert none.empty and list(none.columns) == list(missing.columns)


# -- the crosswalk --------------------------------------------------------------------------------
def test_goal_side_gives_the_theme_indicator_and_target_or_none(goal):
    assert C.goal_side(goal, "T1", "T1-K1") == {
        "tema": "Kompetens",
        "indikator": "Andel utbildade i MHFA",
        "indikator_ansvariga": ("SOF", "VOF"),
        "horisont": "kort",
        "enhet": "andel",
        "mal_text": "mål för T1-K1",
        "maltyp": "minst",
        "malvarde": 80.0,
    }
    nothing = dict.fromkeys(C.GOAL_COLUMNS)
    assert C.goal_side(goal, "T9", "T9-K1") == nothing
    assert C.goal_side(goal, None, None) == nothing
    assert C.goal_side(None, "T1", "T1-K1") == nothing
    assert C.goal_side(goal, "T2", None) == {**nothing, "tema": "Arbete"}


def crosswalk(ds, department):
    cw = C.crosswalk_for(ds, department, 2026)
    return [
        (
            r["koppling_id"],
            r["tema"],
            [b["resultat_id"] for b in r["baslinje"]],
            r["baslinje_saknas"],
        )
        for r in cw.to_dict("records")
    ]


NOT_RESPONSIBLE = "Förvaltningen var inte ansvarig för insatsen 2018–2019."
IPS_WHY = (
    "Bara en sammanlagd siffra för 2012–2018: drygt\u00a0212\u00a0personer deltagare 2012–2018."
)


def test_the_overview_crosswalk_has_every_link_of_the_years_themes_with_its_baseline(ds):
    assert crosswalk(ds, "ALLA") == [
        ("K1", "Kompetens", ["mhfa-r1", "mhfa-r2"], None),
        ("K2", None, ["act-r1"], None),
        ("K3", "Arbete", [], IPS_WHY),
        ("K4", "Samverkan", ["samordning-r1"], None),
        ("K6", None, [], IPS_WHY),  # K5 links a theme of another year: left out
        ("K7", "Kompetens", ["act-r1"], None),
        ("K8", "Arbete", [], "Ingen siffra för nådda eller utbildade personer redovisad."),
        ("K9", "Samverkan", [], "Inga siffror redovisade."),
        ("K10", "Samverkan", ["mhfa-r1", "mhfa-r2"], None),
        ("K11", None, ["samordning-r1"], None),
        ("K12", None, [], "Inga siffror redovisade."),
    ]
    cw = C.crosswalk_for(ds, "ALLA")  # the latest goal year by default
    assert list(cw.columns) == list(C.CROSSWALK_COLUMNS)
    assert cw.loc[cw["koppling_id"] == "K1", "insats"].iloc[0] == "Första hjälpen"
    assert cw.loc[cw["koppling_id"] == "K2", "tema"].iloc[0] is None  # None, never NaN


def test_a_departments_crosswalk_holds_its_initiatives_and_its_indicators_links(ds):
    # SOF ran MHFA in 2019 only: its baseline is 2019's figure
    assert crosswalk(ds, "SOF") == [
        ("K1", "Kompetens", ["mhfa-r2"], None),
        ("K2", None, ["act-r1"], None),
        ("K4", "Samverkan", [], NOT_RESPONSIBLE),  # the shared indicator; no one ran it
        ("K7", "Kompetens", ["act-r1"], None),
        ("K9", "Samverkan", [], "Inga siffror redovisade."),
        ("K10", "Samverkan", ["mhfa-r2"], None),
    ]
    # VOF never ran ACT, but ACT's link is to VOF's indicator T1-L1: there, without a baseline
    assert crosswalk(ds, "VOF") == [
        ("K1", "Kompetens", ["mhfa-r1", "mhfa-r2"], None),
        ("K4", "Samverkan", [], NOT_RESPONSIBLE),
        ("K7", "Kompetens", [], NOT_RESPONSIBLE[:-1] + " (det var SOF)."),
        ("K10", "Samverkan", ["mhfa-r1", "mhfa-r2"], None),
    ]
    assert crosswalk(ds, "AMF") == [
        ("K3", "Arbete", [], IPS_WHY),
        ("K4", "Samverkan", [], NOT_RESPONSIBLE),
        ("K6", None, [], IPS_WHY),
        ("K10", "Samverkan", [], NOT_RESPONSIBLE[:-1] + " (det var SOF, VOF)."),
        ("K12", None, [], "Inga siffror redovisade."),  # P-SHOUT itself reported none
    ]


def test_without_a_goal_year_the_crosswalk_keeps_links_without_a_theme(ds):
    cw = C.crosswalk_for(W.dataset(goal_years=()), "ALLA")
    assert list(cw["koppling_id"]) == ["K2", "K6", "K11", "K12"]
    assert cw["indikator"].tolist() == [None] * 4


def test_ended_initiatives_are_those_that_did_not_return_in_any_form(ds):
    cw = C.crosswalk_for(ds, "ALLA")
    ended = C.ended_without_successor(cw)
    # ACT ended (K2) but returns in a new form (K7); IPS likewise (K6, K3); Samordning had
    # no successor in its theme (K4) but continues (K11); P-SHOUT was wound up (K12)
    assert list(ended["koppling_id"]) == ["K12"] and list(ended.index) == [0]
    assert list(ended.columns) == list(cw.columns)
    both = pd.concat([cw, cw.assign(koppling_id=cw["koppling_id"] + "b")], ignore_index=True)
    assert list(C.ended_without_successor(both)["koppling_id"]) == ["K12"]  # once each


def test_themes_without_precursor_continue_no_initiative(ds, goal):
    new = C.themes_without_precursor(ds, goal, "ALLA")
    assert list(new["tema_id"]) == ["T4"] and list(new.index) == [0]
    assert list(new.columns) == [*goal.teman.columns, "avdelningar"]
    assert C.themes_without_precursor(ds, goal, "VOF")["tema_id"].tolist() == ["T4"]
    assert C.themes_without_precursor(ds, goal, "SOF").empty


# -- goal attainment -------------------------------------------------------------------------------
def status(ds, year, department="ALLA"):
    st = C.indicator_status(ds, year, department)
    return [
        (
            r["indikator_id"],
            r["forvaltning"],
            r["varde"],
            r["jamforelsevarde"],
            r["jamforelsear"],
            r["status"],
        )
        for r in st.to_dict("records")
    ]


def test_indicator_status_2026_judges_each_responsible_departments_value(ds):
    assert status(ds, 2026) == [
        ("T2-K1", "AMF", 11.0, 10.0, 2026, C.UPPNATT),  # +10 % of the comparison value
        ("T2-K2", "AMF", "ja", None, None, C.UPPNATT),
        ("T1-K1", "SOF", 85.0, None, None, C.UPPNATT),
        ("T1-K1", "VOF", 70.0, 60.0, 2026, C.PA_VAG),
        ("T1-L1", "SOF", 5.0, None, None, C.EJ_RAPPORTERAT),  # 'ska öka': nothing to compare to
        ("T1-L1", "VOF", None, None, None, C.EJ_RAPPORTERAT),  # SFF's 7 is on no one's row
        ("T3-L1", "AMF", None, None, None, C.MAL_SAKNAS),
        ("T3-L1", "SFF", None, None, None, C.MAL_SAKNAS),
        ("T3-L1", "SOF", None, None, None, C.MAL_SAKNAS),
        ("T3-L1", "VOF", None, None, None, C.MAL_SAKNAS),
    ]


def test_a_later_year_compares_with_the_latest_earlier_value_of_the_same_department(ds):
    assert status(ds, 2028)[:5] == [
        ("T2-K1", "AMF", 12.0, 11.0, 2026, C.PA_VAG),  # +9 % of 2026's 11, target +10 %
        ("T2-K2", "AMF", None, "ja", 2026, C.EJ_RAPPORTERAT),
        ("T1-K1", "SOF", 90.0, 82.0, 2027, C.UPPNATT),  # 2027 is later than 2026
        ("T1-K1", "VOF", 75.0, 70.0, 2026, C.PA_VAG),  # 2027's row has no value: 2026's
        ("T1-L1", "SOF", None, 4.0, 2027, C.EJ_RAPPORTERAT),
    ]
    assert status(ds, 2027)[4] == ("T1-L1", "SOF", 4.0, 5.0, 2026, C.EJ_UPPNATT)


def test_indicator_status_for_one_department_carries_target_comment_and_baseline(ds):
    st = C.indicator_status(ds, 2026, "SOF")
    assert list(st.columns) == [
        "indikator_id",
        "tema",
        "indikator",
        "horisont",
        "enhet",
        "forvaltning",
        "gemensam",
        "varde",
        "jamforelsevarde",
        "jamforelsear",
        "maltyp",
        "malvarde",
        "mal_text",
        "kommentar",
        "baslinje_2018_2019",
        "status",
    ]
    first = st.iloc[0].to_dict()
    assert {k: v for k, v in first.items() if k != "baslinje_2018_2019"} == {
        "indikator_id": "T1-K1",
        "tema": "Kompetens",
        "indikator": "Andel utbildade i MHFA",
        "horisont": "kort",
        "enhet": "andel",
        "forvaltning": "SOF",
        "gemensam": False,
        "varde": 85.0,
        "jamforelsevarde": None,
        "jamforelsear": None,
        "maltyp": "minst",
        "malvarde": 80.0,
        "mal_text": "mål för T1-K1",
        "kommentar": "bra år",
        "status": C.UPPNATT,
    }
    assert [b["resultat_id"] for b in first["baslinje_2018_2019"]] == ["mhfa-r1", "mhfa-r2"]
    assert [b["resultat_id"] for b in st.iloc[1]["baslinje_2018_2019"]] == ["act-r1"]
    assert st.iloc[2]["gemensam"] is True
    assert [b["resultat_id"] for b in st.iloc[2]["baslinje_2018_2019"]] == [
        "samordning-r1",
        "mhfa-r1",
        "mhfa-r2",
    ]
    assert list(st["forvaltning"]) == ["SOF", "SOF", "SOF"]


def test_status_counts_per_department_with_every_status_and_a_total(ds):
    counts = C.status_counts(C.indicator_status(ds, 2026, "ALLA"))
    assert list(counts.columns) == [*C.STATUSES, "totalt"]
    assert counts.to_dict("index") == {
        "AMF": {C.UPPNATT: 2, C.PA_VAG: 0, C.EJ_UPPNATT: 0, C.EJ_RAPPORTERAT: 0, C.MAL_SAKNAS: 1, "totalt": 3},
        "SFF": {C.UPPNATT: 0, C.PA_VAG: 0, C.EJ_UPPNATT: 0, C.EJ_RAPPORTERAT: 0, C.MAL_SAKNAS: 1, "totalt": 1},
        "SOF": {C.UPPNATT: 1, C.PA_VAG: 0, C.EJ_UPPNATT: 0, C.EJ_RAPPORTERAT: 1, C.MAL_SAKNAS: 1, "totalt": 3},
        "VOF": {C.UPPNATT: 0, C.PA_VAG: 1, C.EJ_UPPNATT: 0, C.EJ_RAPPORTERAT: 1, C.MAL_SAKNAS: 1, "totalt": 3},
    }  # fmt: skip
    nothing = C.indicator_status(ds, 2026, "XYZ")
    assert nothing.empty and list(nothing.columns) == list(C.indicator_status(ds, 2026, "SOF"))
    empty = C.status_counts(nothing)
    assert empty.empty and list(empty.columns) == [*C.STATUSES, "totalt"]


def test_value_trend_gives_each_goal_years_value_or_none(ds):
    assert C.value_trend(ds, "T1-K1", "SOF") == {2026: 85.0, 2027: 82.0, 2028: 90.0}
    assert C.value_trend(ds, "T1-K1", "VOF") == {2026: 70.0, 2027: None, 2028: 75.0}
    assert C.value_trend(ds, "T2-K1", "SOF") == {2026: None, 2027: None, 2028: None}


@pytest.mark.parametrize(
    ("maltyp", "target", "value", "baseline", "expected"),
    [
        ("ja", None, "Ja", None, C.UPPNATT),  # as typed, any case
        ("minst", 100, 100, None, C.UPPNATT),  # the target itself is reached
        ("minst", 100, 99, 99, C.EJ_UPPNATT),  # no better than the comparison value
        ("hogst", 5, 5, None, C.UPPNATT),
        ("hogst", 5, 6, 7, C.PA_VAG),
        ("hogst", 5, 6, 6, C.EJ_UPPNATT),
        ("hogst", 5, 6, None, C.EJ_UPPNATT),
        ("oka", None, 10, 10, C.EJ_UPPNATT),  # unchanged is not an increase
        ("minska", None, 9, 10, C.UPPNATT),
        ("minska", None, 10, 10, C.EJ_UPPNATT),
        ("oka", None, 12, None, C.EJ_RAPPORTERAT),
        ("minst", 100, "text", 80, C.MAL_SAKNAS),  # a number target, a value in words
        ("oka_procent", 10, 11.0, 10.0, C.UPPNATT),  # exactly +10 %
        ("oka_procent", 10, 10.5, 10.0, C.PA_VAG),
        ("oka_procent", 10, 10.0, 10.0, C.EJ_UPPNATT),
        ("oka_procent", 10, 3.0, 0, C.EJ_RAPPORTERAT),  # no change in percent from zero
        ("oka_procent", 10, 1.2, 1, C.UPPNATT),  # +20 % from one
        ("minska_procent", 20, 0.9, 1, C.PA_VAG),
        ("minska_procent", 10, 9.0, 10.0, C.UPPNATT),  # exactly −10 %
        ("oka_procent", 50, 14.0, 10.0, C.PA_VAG),  # +40 %: short of +50 %
        ("oka_procent", 50, 16.0, 10.0, C.UPPNATT),
        ("oka_procent", 10, 10.995, 10.0, C.PA_VAG),  # +9.95 %: just short
        ("oka_procentenheter", 2, 12.0, 10.0, C.UPPNATT),
        ("oka_procentenheter", 2, 11.0, 10.0, C.PA_VAG),
        ("minska_procentenheter", 2, 10.0, 10.0, C.EJ_UPPNATT),
        ("minska_procentenheter", 2, 11.0, 10.0, C.EJ_UPPNATT),
    ],
)
def test_assess_at_the_edges_of_each_kind_of_target(maltyp, target, value, baseline, expected):
    assert C.assess(maltyp, target, value, baseline) == expected


@pytest.mark.parametrize(("value", "baseline"), [(0.8, 1), (0.4, 0.5)])
def test_a_relative_target_met_exactly_is_reached_whatever_the_floats(value, baseline):
    assert C.assess("minska_procent", 20, value, baseline) == C.UPPNATT


def test_the_crosswalk_and_the_status_of_a_year_use_that_years_themes_not_the_latest(ds):
    later = dataclasses.replace(
        ds.goals[2028],
        year=2029,
        teman=ds.goals[2028].teman.query("tema_id != 'T1'"),
        indikatorer=ds.goals[2028].indikatorer.query("tema_id != 'T1'"),
    )
    world = dataclasses.replace(ds, goals={**ds.goals, 2029: later})
    assert "K1" not in set(C.crosswalk_for(world, "ALLA")["koppling_id"])  # 2029: no T1
    cw_2026 = C.crosswalk_for(world, "ALLA", 2026)
    assert cw_2026.loc[cw_2026["koppling_id"] == "K1", "tema"].tolist() == ["Kompetens"]
    st = C.indicator_status(world, 2026, "SOF")
    assert [b["resultat_id"] for b in st.iloc[0]["baslinje_2018_2019"]] == ["mhfa-r1", "mhfa-r2"]


def test_a_remembered_result_cannot_be_changed_by_the_caller_that_received_it():
    """Responsibility and the crosswalk are computed once per data set; what a caller gets
    is a copy, so editing it changes neither the next caller's result nor the memo."""
    ds = W.dataset()
    first = C.responsibility(ds)
    expected = first.copy()
    first.iloc[:, :] = None
    pd.testing.assert_frame_equal(C.responsibility(ds), expected)
    walk = C.crosswalk_for(ds, "ALLA", 2026)
    expected_walk = walk.copy()
    walk.drop(walk.index, inplace=True)
    pd.testing.assert_frame_equal(C.crosswalk_for(ds, "ALLA", 2026), expected_walk)
    assert C.crosswalk_for(ds, "ALLA", 2026) is not C.crosswalk_for(ds, "ALLA", 2026)


def test_a_relative_decrease_just_short_of_its_target_is_on_its_way():
    assert C.assess("minska_procent", 20, 80, 100) == C.UPPNATT
    assert C.assess("minska_procent", 20, 80.1, 100) == C.PA_VAG
    assert C.assess("oka_procent", 20, 119.9, 100) == C.PA_VAG
