"""Department slices, the 2018–2019 ↔ 2026 comparison, sub-goal coverage and goal attainment."""

from __future__ import annotations

import pytest

from report_utils import compare as C


def test_initiatives_for_department_and_year(dataset):
    sof_2018 = set(C.initiatives_for(dataset, "SOF", 2018)["insats_id"])
    assert {"mhfa", "jps-ips", "cm-team"} <= sof_2018
    assert "supported-employment" not in sof_2018  # AMF only
    amf = set(C.initiatives_for(dataset, "AMF", 2018)["insats_id"])
    assert "supported-employment" in amf and "cm-team" not in amf
    everything = C.initiatives_for(dataset, "ALLA")
    assert len(everything) == len(dataset.insatser)


def test_sub_projects_inherit_parent_departments(dataset):
    depts = C.initiative_departments(dataset)
    parent = dataset.insatser.set_index("insats_id")["overordnad_insats"]
    for iid, par in parent.items():
        own = dataset.insatser.set_index("insats_id").at[iid, "ansvariga"]
        if par and not own:
            assert depts[iid] == depts[par]


def test_results_and_key_figures(dataset):
    res = C.results_for(dataset, ["mhfa"], 2019)
    assert set(res["ar"]) == {2019} and 291 in set(res["varde"])
    names = dict(zip(dataset.insatser["insats_id"], dataset.insatser["namn"], strict=True))
    labels, series = C.key_figure_series(C.key_figures(dataset, "VOF"), names)
    i = labels.index(names["mhfa"])
    assert series["2018"][i] == 150 and series["2019"][i] == 291


def test_without_measurable_goals(dataset):
    none = C.without_measurable_goals(C.initiatives_for(dataset, "ALLA", 2018))
    assert "esl" in set(none["insats_id"]) and "sakkunnig" in set(none["insats_id"])
    assert "act" not in set(none["insats_id"])


def test_theme_departments_and_shared_themes(dataset):
    goal = dataset.goals[2026]
    named = C.theme_departments(goal)
    assert "SOF" in named["T23"] and "VOF" in named["T23"]
    amf = set(C.themes_for(goal, "AMF")["tema_id"])
    shared = {t for t, d in named.items() if not d}
    assert shared <= amf  # shared themes are in every department's report
    assert "T12" not in amf or "AMF" in named["T12"]


def test_indicators_for_department(dataset):
    goal = dataset.goals[2026]
    sff = C.indicators_for(goal, "SFF")
    assert "T23-K3" not in set(sff["indikator_id"])  # MHFA indicator is SOF and VOF
    assert "T23-K3" in set(C.indicators_for(goal, "SOF")["indikator_id"])
    assert all((not cell) or "SFF" in cell for cell in sff["ansvariga"])


def test_subgoal_coverage_counts(dataset):
    goal = dataset.goals[2026]
    cov = C.subgoal_coverage(dataset, goal, "ALLA").set_index("nr")
    assert list(cov.index) == [1, 2, 3, 4, 5, 6, 7]
    expected = sum(1 for cell in goal.teman["delmal"] if 6 in cell)
    assert cov.at[6, "teman"] == expected
    matrix = C.department_subgoal_matrix(dataset, goal)
    assert (
        list(matrix.index) == ["AMF", "SFF", "SOF", "VOF"]
        and (matrix.values <= len(goal.teman)).all()
    )


def test_goals_without_indicators(dataset):
    missing = C.goals_without_indicators(dataset.goals[2026], "ALLA")
    pairs = set(zip(missing["tema_id"], missing["status"], strict=True))
    assert ("T07", "saknas") in pairs and ("T21", "ej angivet") in pairs


def test_crosswalk_for_department_matches_crosswalk_sheet(dataset):
    cw = C.crosswalk_for(dataset, "SOF")
    mhfa = cw[cw["insats_id"] == "mhfa"]
    expected = dataset.koppling[dataset.koppling["insats_id"] == "mhfa"]
    assert set(mhfa["tema_id"]) == set(expected["tema_id"])
    row = mhfa[mhfa["indikator_id"] == "T23-K3"].iloc[0]
    assert row["tema"] == "Kompetensutveckling medarbetare" and "MHFA" in row["indikator"]
    assert [b["varde"] for b in row["baslinje"]] == [150, 291]
    # a 2018 report only links that year's initiatives
    only_2019 = set(C.initiatives_for(dataset, "ALLA", 2019)["insats_id"])
    assert set(C.crosswalk_for(dataset, "ALLA", 2019)["insats_id"]) <= only_2019


def test_ended_and_new(dataset):
    cw = C.crosswalk_for(dataset, "ALLA")
    ended = set(C.ended_without_successor(cw)["insats_id"])
    assert "act" in ended and "jps-ips" not in ended  # IPS returns in a new form
    new = set(C.themes_without_precursor(dataset, dataset.goals[2026], "ALLA")["tema_id"])
    assert "T21" in new and "T23" not in new


@pytest.mark.parametrize(
    ("maltyp", "target", "value", "baseline", "expected"),
    [
        (None, None, None, None, C.EJ_RAPPORTERAT),
        ("ingen", None, 12, None, C.MAL_SAKNAS),
        ("ja", None, "ja", None, C.UPPNATT),
        ("ja", None, "nej", None, C.EJ_UPPNATT),
        ("minska_procent", 20, 8.0, 10.0, C.UPPNATT),  # −20 %
        ("minska_procent", 20, 9.0, 10.0, C.PA_VAG),  # −10 %
        ("minska_procent", 20, 11.0, 10.0, C.EJ_UPPNATT),
        ("minska_procent", 20, 9.0, None, C.EJ_RAPPORTERAT),  # no comparison value
        ("minska_procent", 50, 5.0, 10.0, C.UPPNATT),  # halved
        ("minska_procentenheter", 2, 8.0, 10.0, C.UPPNATT),
        ("minska_procentenheter", 2, 9.0, 10.0, C.PA_VAG),
        ("oka_procentenheter", 2, 9.0, 10.0, C.EJ_UPPNATT),
        ("oka_procent", 10, 11.0, 10.0, C.UPPNATT),
        ("minst", 100, 120, None, C.UPPNATT),
        ("minst", 100, 90, 80, C.PA_VAG),
        ("minst", 100, 70, 80, C.EJ_UPPNATT),
        ("hogst", 5, 4, None, C.UPPNATT),
        ("oka", None, 12, 10, C.UPPNATT),
        ("minska", None, 12, 10, C.EJ_UPPNATT),
    ],
)
def test_assess(maltyp, target, value, baseline, expected):
    assert C.assess(maltyp, target, value, baseline) == expected


def test_indicator_status_unreported_by_default(dataset):
    st = C.indicator_status(dataset, 2026, "SOF")
    assert len(st) == len(C.indicators_for(dataset.goals[2026], "SOF"))
    assert set(st["status"]) == {C.EJ_RAPPORTERAT}
    counts = C.status_counts(st)
    assert list(counts.columns) == [*C.STATUSES, "totalt"] and counts.at["SOF", "totalt"] == len(st)
    mhfa = st[st["indikator_id"] == "T23-K3"].iloc[0]
    assert [b["varde"] for b in mhfa["baslinje_2018_2019"]] == [150, 291]
