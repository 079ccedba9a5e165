"""Interactive exploration: the filtering and lookup in report_utils.explore, the widgets in
report_utils.explore_widgets, and notebooks/explore.ipynb executed headless."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from report_utils import explore as E
from report_utils import formatting as F
from report_utils.errors import ParameterError, ReportError
from report_utils.report import load

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def ds():
    return load(ROOT / "data")


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["insats_id"])


def expected_departments(ds, insats_id: str):
    """The department rule, worked out independently: own codes, else the parent's."""
    row = ds.insatser.set_index("insats_id").loc[insats_id]
    if row["ansvariga"]:
        return set(row["ansvariga"])
    parent = row["overordnad_insats"]
    if parent:
        cell = ds.insatser.set_index("insats_id").at[parent, "ansvariga"]
        return set(cell) if cell else None
    return None  # blank: gemensam, shared by every department


def no_nan_text(frame: pd.DataFrame) -> None:
    for value in frame.to_numpy().ravel():
        assert isinstance(value, str), value
        assert value.strip(), "an empty cell should say why it is empty"
        assert value.lower() not in ("nan", "none", "nat", "<na>"), value


# -- filter_initiatives ------------------------------------------------------------------------
def test_no_filter_lists_every_initiative_in_source_order(ds):
    frame = E.filter_initiatives(ds)
    assert ids(frame) == list(ds.insatser["insats_id"])
    assert {"avdelningar", "fokusomrade_namn", "overordnad_namn", "arvda_avdelningar"} <= set(
        frame.columns
    )
    assert ids(E.filter_initiatives(ds, department="ALLA")) == ids(frame)
    assert ids(E.filter_initiatives(ds, focus_area="", department="", text="  ")) == ids(frame)


def test_department_filter_follows_the_shared_and_inherit_rule(ds):
    sof = ids(E.filter_initiatives(ds, department="SOF"))
    assert "mhfa" in sof
    assert "act" not in sof  # SFF only
    assert "samordning" in sof  # blank ansvariga: shared by all departments
    assert "pshout-yoga" in sof  # blank, inherits P-SHOUT's SFF, SOF
    assert "pshout-yoga" not in ids(E.filter_initiatives(ds, department="AMF"))
    for dept in ds.departments:
        got = ids(E.filter_initiatives(ds, department=dept))
        want = [
            i
            for i in ds.insatser["insats_id"]
            if expected_departments(ds, i) is None or dept in expected_departments(ds, i)
        ]
        assert got == want, dept
    assert ids(E.filter_initiatives(ds, department="sof")) == sof


def test_inherited_departments_are_marked(ds):
    frame = E.filter_initiatives(ds).set_index("insats_id")
    assert frame.at["pshout-yoga", "arvda_avdelningar"]
    assert set(frame.at["pshout-yoga", "avdelningar"]) == {"SFF", "SOF"}
    assert not frame.at["mhfa", "arvda_avdelningar"]
    assert not frame.at["samordning", "arvda_avdelningar"]
    table = E.initiatives_table(E.filter_initiatives(ds)).set_index("Kod")
    assert table.at["pshout-yoga", "Förvaltningar"] == "SFF, SOF (via huvudinsatsen)"
    assert table.at["samordning", "Förvaltningar"].startswith("gemensam")


def test_year_focus_area_and_target_group(ds):
    y2019 = E.filter_initiatives(ds, year=2019)
    assert len(y2019) and all(2019 in cell for cell in y2019["ar"])
    assert "jps-ips" not in ids(y2019)  # 2018 only
    assert ids(E.filter_initiatives(ds, year="2019")) == ids(y2019)
    focus2 = E.filter_initiatives(ds, focus_area=2)
    assert set(focus2["fokusomrade"]) == {2}
    assert "mhfa" in ids(focus2)
    assert ids(E.filter_initiatives(ds, focus_area="2")) == ids(focus2)
    parents = E.filter_initiatives(ds, target_group="FÖRÄLDRAR")
    assert ids(parents) == ["foraldraskapsstod-film"]
    group = ds.insatser.set_index("insats_id").at["mhfa", "malgrupp"]
    assert "mhfa" in ids(E.filter_initiatives(ds, target_group=group))
    both = E.filter_initiatives(ds, focus_area=2, department="AMF", year=2018)
    assert ids(both) == [
        i for i in ids(E.filter_initiatives(ds, department="AMF", year=2018)) if i in ids(focus2)
    ]


def test_free_text_is_case_insensitive_over_the_initiative_and_its_measures(ds):
    assert "jps-ips" in ids(E.filter_initiatives(ds, text="IPS"))
    assert ids(E.filter_initiatives(ds, text="ips")) == ids(E.filter_initiatives(ds, text="IPS"))
    # partner
    assert "jps-ips" in ids(E.filter_initiatives(ds, text="arbetsförmedlingen"))
    # a word that only occurs in a result's measure
    own = ds.insatser.set_index("insats_id").loc["pshout-gofar"]
    assert (
        "zientarski"
        not in " ".join(str(own[c]) for c in ("namn", "beskrivning", "malgrupp", "partner")).lower()
    )
    assert ids(E.filter_initiatives(ds, text="Zientarski")) == ["pshout-gofar"]
    # several words must all match
    assert ids(E.filter_initiatives(ds, text="IPS arbetsförmedlingen")) == ["jps-ips"]
    empty = E.filter_initiatives(ds, text="finns-inte-någonstans")
    assert empty.empty and list(empty.columns) == list(E.filter_initiatives(ds).columns)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"department": "XYZ"}, "okänd förvaltning 'XYZ'; giltiga: ALLA, AMF, SFF, SOF, VOF"),
        ({"year": 2026}, "okänt år 2026; giltiga: 2018, 2019"),
        ({"focus_area": 9}, "okänt fokusområde 9; giltiga: 1, 2, 3, 4, 5"),
    ],
)
def test_unknown_filter_values_name_the_valid_ones(ds, kwargs, message):
    with pytest.raises(ParameterError) as info:
        E.filter_initiatives(ds, **kwargs)
    assert str(info.value) == message
    with pytest.raises(ParameterError):
        E.filter_results(ds, **kwargs)


def test_filter_options(ds):
    opts = E.filter_options(ds)
    assert opts["department"] == ["ALLA", *ds.departments]
    assert opts["year"] == ds.historical_years == [2018, 2019]
    assert opts["focus_area"] == sorted(ds.fokusomraden["nr"])
    groups = {g for g in ds.insatser["malgrupp"] if g}
    assert set(opts["target_group"]) == groups and len(opts["target_group"]) == len(groups)


# -- filter_results --------------------------------------------------------------------------------
def test_results_follow_the_initiative_filters(ds):
    res = E.filter_results(ds, department="SOF", year=2019)
    assert len(res) and set(res["ar"]) == {2019}
    assert set(res["insats_id"]) <= set(ids(E.filter_initiatives(ds, department="SOF", year=2019)))
    want = ds.resultat[
        ds.resultat["insats_id"].isin(ids(E.filter_initiatives(ds, department="SOF")))
        & (ds.resultat["ar"] == 2019)
    ]
    assert list(res["resultat_id"]) == list(want["resultat_id"])
    assert {"insats", "kalla_avsnitt", "kalla_citat", "avdelningar"} <= set(res.columns)
    assert len(E.filter_results(ds)) == len(ds.resultat)


def test_results_text_matches_the_initiative_or_the_measure(ds):
    ips = E.filter_results(ds, text="IPS")
    jps = ds.resultat[ds.resultat["insats_id"] == "jps-ips"]
    assert set(jps["resultat_id"]) <= set(ips["resultat_id"])  # the name matches: all results
    only = E.filter_results(ds, text="zientarski")
    assert list(only["resultat_id"]) == ["pshout-gofar-r01"]


def test_results_table_has_swedish_labels_sources_and_no_nan(ds):
    res = E.filter_results(ds)
    table = E.results_table(ds, res)
    assert list(table.columns) == list(E.RESULT_COLUMNS)
    assert len(table) == len(res)
    no_nan_text(table)
    by_id = table.set_index("Kod")
    missing = ds.resultat[ds.resultat["varde"].isna()]
    assert len(missing), "the shipped data has a result without a value"
    for rid in missing["resultat_id"]:
        assert by_id.at[rid, "Värde"] == F.MISSING
    for rec in res.to_dict("records"):
        assert by_id.at[rec["resultat_id"], "Citat ur källan"] == rec["kalla_citat"]
        assert by_id.at[rec["resultat_id"], "Värde"] == E.result_value(rec)
    assert ds.document_title(E.SOURCE_2018) in by_id.iloc[0]["Källa"]
    approx = res[res["kvalifikator"] == "ca"].iloc[0]
    assert by_id.at[approx["resultat_id"], "Värde"].startswith("ca\u00a0")


def test_key_figures_one_series_per_year_none_where_missing(ds):
    res = E.filter_results(ds)
    labels, series = E.key_figures(ds, res)
    key = ds.resultat[ds.resultat["nyckeltal"] == "ja"]
    names = dict(zip(ds.insatser["insats_id"], ds.insatser["namn"], strict=True))
    assert labels == [names[i] for i in dict.fromkeys(key["insats_id"])]
    assert list(series) == [str(y) for y in sorted(set(key["ar"]))]
    mhfa = labels.index(names["mhfa"])
    for year, values in series.items():
        hit = key[(key["insats_id"] == "mhfa") & (key["ar"] == int(year))]
        assert values[mhfa] == float(hit.iloc[0]["varde"])
    jps = labels.index(names["jps-ips"])  # 2018 only
    assert series["2019"][jps] is None
    assert E.key_figures(ds, res.iloc[0:0]) == ([], {})


# -- one initiative --------------------------------------------------------------------------------
def test_successors_of_mhfa_match_the_crosswalk(ds):
    succ = E.successors(ds, "mhfa")
    rows = ds.koppling[ds.koppling["insats_id"] == "mhfa"]
    assert len(rows) > 0
    assert list(succ["koppling_id"]) == list(rows["koppling_id"])
    assert list(zip(succ["tema_id"], succ["indikator_id"], strict=True)) == list(
        zip(rows["tema_id"], rows["indikator_id"], strict=True)
    )
    assert list(succ["relation"]) == list(rows["relation"])
    assert ("T23", "T23-K3") in set(zip(succ["tema_id"], succ["indikator_id"], strict=True))
    goal = ds.goals[ds.latest_goal_year]
    themes = goal.teman.set_index("tema_id")
    ind = goal.indikatorer.set_index("indikator_id")
    row = succ[succ["indikator_id"] == "T23-K3"].iloc[0]
    assert row["tema"] == themes.at["T23", "namn"]
    assert row["indikator"] == ind.at["T23-K3", "text"]
    assert row["maltyp"] == ind.at["T23-K3", "maltyp"]
    assert row["malar"] == ds.latest_goal_year
    assert row["via"] is None


def test_successors_of_every_initiative_cover_the_crosswalk(ds):
    seen = []
    for iid in ds.insatser["insats_id"]:
        succ = E.successors(ds, iid)
        seen += list(succ.loc[succ["via"].isna(), "koppling_id"])
        table = E.successors_table(succ)
        assert list(table.columns) == list(E.SUCCESSOR_COLUMNS)
        no_nan_text(table)
    assert sorted(seen) == sorted(ds.koppling["koppling_id"])


def test_successors_without_theme_or_of_a_subproject(ds):
    act = E.successors_table(E.successors(ds, "act"))
    assert list(act["Tema"]) == [E.NO_SUCCESSOR]
    assert list(act["Relation"]) == ["ingen efterföljare"]
    # a sub-project without rows of its own shows its parent's, marked "via"
    sub = E.successors(ds, "pshout-starka")
    assert ds.koppling[ds.koppling["insats_id"] == "pshout-starka"].empty
    parent_rows = ds.koppling[ds.koppling["insats_id"] == "pshout"]
    assert list(sub["koppling_id"]) == list(parent_rows["koppling_id"])
    assert set(sub["via"]) == {"pshout"}


def test_initiative_record_is_complete(ds):
    rec = E.initiative_record(ds, "mhfa")
    row = ds.insatser.set_index("insats_id").loc["mhfa"]
    assert rec.insats_id == "mhfa" and rec.namn == row["namn"]
    want = ds.resultat[ds.resultat["insats_id"] == "mhfa"]
    assert list(rec.resultat["resultat_id"]) == list(want["resultat_id"])
    assert list(rec.resultat["kalla_citat"]) == list(want["kalla_citat"])
    assert all(rec.resultat["kalla_citat"].map(lambda c: not F.is_missing(c)))
    assert list(rec.efterfoljare["koppling_id"]) == list(E.successors(ds, "mhfa")["koppling_id"])
    assert rec.delprojekt.empty
    facts = rec.facts().set_index("Fält")["Värde"]
    no_nan_text(rec.facts())
    assert facts["Insats"] == row["namn"]
    assert facts["Partner"] == F.MISSING  # no partner in the source: never blank, 0 or NaN
    assert facts["Förvaltningar"] == "SOF, VOF"
    assert facts["Citat ur källan"] == row["kalla_citat"]
    assert facts["Antal resultat"] == str(len(want))


def test_initiative_record_lists_subprojects(ds):
    rec = E.initiative_record(ds, "pshout2")
    subs = ds.insatser[ds.insatser["overordnad_insats"] == "pshout2"]
    assert ids(rec.delprojekt) == list(subs["insats_id"])
    table = E.subprojects_table(rec)
    assert list(table["Huvudinsats"]) == [rec.namn] * len(subs)
    child = E.initiative_record(ds, "pshout2-starka")
    assert child.facts().set_index("Fält").at["Huvudinsats", "Värde"] == f"{rec.namn} (pshout2)"
    assert child.facts().set_index("Fält").at["Målgrupp", "Värde"] == F.MISSING


@pytest.mark.parametrize("func", [E.initiative_record, E.successors])
def test_unknown_initiative_raises_a_clear_swedish_error(ds, func):
    with pytest.raises(E.UnknownInitiativeError) as info:
        func(ds, "mhfaa")
    assert isinstance(info.value, ReportError)
    message = str(info.value)
    assert message.startswith("okänd insats 'mhfaa'")
    assert "Menade du 'mhfa'?" in message
    assert "Giltiga koder är t.ex. " + ", ".join(ds.insatser["insats_id"][:5]) in message
    with pytest.raises(E.UnknownInitiativeError, match="okänd insats 'x'"):
        func(ds, "x")


def test_initiatives_table_swedish_and_formatted(ds):
    table = E.initiatives_table(E.filter_initiatives(ds))
    assert list(table.columns) == list(E.INITIATIVE_COLUMNS)
    no_nan_text(table)
    by_id = table.set_index("Kod")
    assert by_id.at["mhfa", "År"] == "2018 och 2019"
    assert by_id.at["mhfa", "Fokusområde"].startswith("2. ")
    assert by_id.at["pshout-starka", "Period"] == F.MISSING
    assert by_id.at["mhfa", "Huvudinsats"] == E.NOT_APPLICABLE


def test_summary_counts():
    inits = pd.DataFrame({"insats_id": ["a"]})
    res = pd.DataFrame({"nyckeltal": ["ja", "nej", "ja"]})
    assert E.summary(inits, res) == "1 insats och 3 resultat (varav 2 nyckeltal)."
    none = E.summary(inits.iloc[0:0], res.iloc[0:0])
    assert none == "0 insatser och 0 resultat (varav 0 nyckeltal)."


def test_target_text():
    assert E.target_text({"mal_text": "Minska med 20 %"}) == "Minska med 20 %"
    assert E.target_text({"maltyp": "ingen"}) == "mål saknas"
    assert E.target_text({"maltyp": "minst", "malvarde": 1100}) == "minst 1\u00a0100"


# -- the widgets -----------------------------------------------------------------------------------
def test_explorer_widgets_update_on_change(ds):
    from report_utils.explore_widgets import CHART_TAB, explorer

    ex = explorer(ds=ds)
    assert "29 insatser" in ex.summary.value
    assert "<table" in ex.initiatives_html.value and "<figure" in ex.chart_html.value
    assert [v for _label, v in ex.department.options] == ["ALLA", *ds.departments]
    ex.department.value = "SOF"
    assert f"{len(E.filter_initiatives(ds, department='SOF'))} insatser" in ex.summary.value
    assert "mhfa" in [v for _label, v in ex.picker.options]
    ex.text.value = "IPS"
    assert [v for _label, v in ex.picker.options] == ids(
        E.filter_initiatives(ds, department="SOF", text="IPS")
    )
    assert ex.picker.value == "jps-ips"
    assert "Efterföljare 2026" in ex.record_html.value
    assert "Diagrammet ritas när fliken öppnas" in ex.chart_html.value
    ex.tabs.selected_index = CHART_TAB
    assert "<figure" in ex.chart_html.value
    ex.text.value = "finns-inte-någonstans"
    assert ex.picker.value is None and "Ingen insats matchar" in ex.record_html.value
    assert "Inga nyckeltal" in ex.chart_html.value
    ex.reset.click()
    assert ex.department.value == "ALLA" and ex.text.value == ""
    assert "29 insatser" in ex.summary.value
    ex.picker.value = "mhfa"
    assert "T23-K3" in ex.record_html.value


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
