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


def test_a_department_gets_an_initiative_only_for_the_years_it_was_responsible(dataset):
    # Skånedagen: SFF and SOF in 2018, VOF joined in 2019 (the text's Ansvariga lines)
    assert "skanedagen" in set(C.initiatives_for(dataset, "VOF", 2019)["insats_id"])
    assert "skanedagen" not in set(C.initiatives_for(dataset, "VOF", 2018)["insats_id"])
    vof = C.key_figures(dataset, "VOF")
    assert set(vof.loc[vof["insats_id"] == "skanedagen", "ar"]) == {2019}


def test_an_initiative_the_text_attributes_to_no_department_is_only_in_the_overview(dataset):
    for dept in dataset.departments:
        assert "samordning" not in set(C.initiatives_for(dataset, dept)["insats_id"])
    assert "samordning" in set(C.initiatives_for(dataset, "ALLA", 2019)["insats_id"])


def test_sub_projects_without_a_row_inherit_their_parents_departments_that_year(dataset):
    resp = C.responsibility(dataset).set_index(["insats_id", "ar"])
    own = set(zip(dataset.ansvar["insats_id"], dataset.ansvar["ar"], strict=True))
    parents = dataset.insatser.set_index("insats_id")["overordnad_insats"]
    inherited = 0
    for (iid, year), row in resp.iterrows():
        parent = parents[iid]
        if parent and (iid, year) not in own:
            inherited += 1
            assert row["arvd"]
            assert row["ansvariga"] == (
                resp.at[(parent, year), "ansvariga"] if (parent, year) in resp.index else None
            )
    assert inherited >= 5  # e.g. PSHOUT 2's delprojekt 1 and 5


def test_year_outcome_overrides_the_initiatives_status(dataset):
    by_year = {
        y: C.initiatives_for(dataset, "AMF", y)
        .set_index("insats_id")
        .at["familjebehandling-kbt", "status"]
        for y in (2018, 2019)
    }
    assert by_year == {2018: "pågår", 2019: "genomförd"}


def test_key_figures_are_only_achieved_results(dataset):
    res = C.results_for(dataset, ["mhfa"], 2019)
    assert set(res["ar"]) == {2019} and 291 in set(res["varde"])
    kf = C.key_figures(dataset, "ALLA")
    assert set(kf["slag"]) == {"uppnått"}
    assert "utbildningsinsatser-r02" not in set(kf["resultat_id"])  # "ska nå 360": a plan
    assert "jps-ips-r04" not in set(kf["resultat_id"])  # 212: 2012–2018 in total
    series = C.key_figure_series(C.key_figures(dataset, "VOF"), C.initiative_labels(dataset))
    i = series.ids.index("mhfa")
    assert series.values[2018][i] == 150 and series.values[2019][i] == 291


def test_key_figure_series_tells_not_run_from_not_reported(dataset):
    labels = C.initiative_labels(dataset)
    pairs = C.responsible_pairs(dataset, "ALLA")
    series = C.key_figure_series(C.key_figures(dataset, "ALLA"), labels, pairs)
    act = series.ids.index("act")  # ran 2018 and 2019, headline figure only for 2018
    assert series.ran[2019][act] and series.values[2019][act] is None
    mal = series.ids.index("pshout2-malgrupp")  # ran only in 2019
    assert not series.ran[2018][mal]
    assert labels["pshout2-starka"].startswith("PSHOUT 2: ")


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
    cw = C.crosswalk_for(dataset, "SOF", 2026)
    mhfa = cw[cw["insats_id"] == "mhfa"]
    expected = dataset.koppling[dataset.koppling["insats_id"] == "mhfa"]
    assert set(mhfa["tema_id"]) == set(expected["tema_id"])
    row = mhfa[mhfa["indikator_id"] == "T23-K3"].iloc[0]
    assert row["tema"] == "Kompetensutveckling medarbetare" and "MHFA" in row["indikator"]
    assert [b["varde"] for b in row["baslinje"]] == [150, 291]


def test_crosswalk_baseline_leaves_out_years_the_department_was_not_responsible(dataset):
    # VOF joined Skånedagen in 2019: its baseline shows 2019's figure, not 2018's
    vof = C.crosswalk_for(dataset, "VOF", 2026)
    skd = vof[vof["insats_id"] == "skanedagen"].iloc[0]
    assert [b["ar"] for b in skd["baslinje"]] == [2019]
    sof = C.crosswalk_for(dataset, "SOF", 2026)
    assert [b["ar"] for b in sof[sof["insats_id"] == "skanedagen"].iloc[0]["baslinje"]] == [
        2018,
        2019,
    ]


def test_crosswalk_says_why_a_baseline_is_missing(dataset):
    cw = C.crosswalk_for(dataset, "ALLA", 2026)
    ips = cw[(cw["insats_id"] == "jps-ips")].iloc[0]
    assert ips["baslinje"] == [] and ips["baslinje_saknas"]


def test_ended_and_new(dataset):
    cw = C.crosswalk_for(dataset, "ALLA")
    ended = set(C.ended_without_successor(cw)["insats_id"])
    assert "act" in ended and "jps-ips" not in ended  # IPS returns in a new form
    new = set(C.themes_without_precursor(dataset, dataset.goals[2026], "ALLA")["tema_id"])
    assert "T21" in new and "T23" not in new


@pytest.mark.parametrize(
    ("maltyp", "target", "value", "baseline", "expected"),
    [
        (None, None, None, None, C.MAL_SAKNAS),  # no target: said whether or not reported
        ("ingen", None, 12, None, C.MAL_SAKNAS),
        ("ja", None, None, None, C.EJ_RAPPORTERAT),
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


def test_indicator_status_counts_targets_and_reports_apart(dataset):
    st = C.indicator_status(dataset, 2026, "SOF")
    ind = C.indicators_for(dataset.goals[2026], "SOF")
    assert len(st) == len(ind)
    no_target = int(ind["maltyp"].isin(["ingen"]).sum())
    counts = C.status_counts(st)
    assert list(counts.columns) == [*C.STATUSES, "totalt"] and counts.at["SOF", "totalt"] == len(st)
    assert counts.at["SOF", C.MAL_SAKNAS] == no_target > 0
    mhfa = st[st["indikator_id"] == "T23-K3"].iloc[0]
    assert [b["varde"] for b in mhfa["baslinje_2018_2019"]] == [150, 291]
    assert bool(st.loc[st["indikator_id"] == "T01-K1", "gemensam"].iloc[0])
