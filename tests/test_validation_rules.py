"""Each validation rule on sheets built in the test: which cells it refuses, and that each
problem names file, sheet, Excel row, column, the value and what was expected.

The end-to-end path (a workbook on disk, `validate` on the command line) is tested in
test_validation.py; here every rule is driven directly, so its edges are cheap to reach.
"""

from __future__ import annotations

import pandas as pd
import pytest

from report_utils import schemas as S
from report_utils import validation as V
from report_utils.errors import Problem
from report_utils.loading import ROW
from small_world import loaded

INS = "insatser_2018-2019.xlsx"
MAL = "2026/mal.xlsx"
VARDEN = "2026/indikatorvarden.xlsx"
KOP = "koppling.xlsx"


def where(problems: list[Problem]) -> list[tuple]:
    """Each problem as (row, column, value, expected): file and sheet checked separately."""
    return [(p.row, p.column, p.value, p.expected) for p in problems]


def located(problems, file, sheet):
    assert {(p.file, p.sheet) for p in problems} <= {(file, sheet)}, problems
    return where(problems)


# -- column rules (pandera) -------------------------------------------------------------------
def ansvar(*rows, problems=()):
    sheet = loaded(S.INSATSER, "ansvar", list(rows), file=INS)
    sheet.problems.extend(problems)
    return sheet


def test_a_required_cell_left_empty_is_named_by_row_and_column():
    sheet = ansvar(
        {"insats_id": "mhfa", "ar": 2018, "kalla_avsnitt": "A", "kalla_citat": "c"},
        {"insats_id": "mhfa", "ar": 2019, "kalla_avsnitt": None, "kalla_citat": "c"},
    )
    assert located(V.check_columns(sheet), INS, "ansvar") == [
        (3, "kalla_avsnitt", None, V.NOT_NULL)
    ]


def test_an_optional_cell_may_stay_empty_and_a_clean_sheet_has_no_problem():
    sheet = ansvar({"insats_id": "mhfa", "ar": 2018, "kalla_avsnitt": "A", "kalla_citat": "c"})
    assert sheet.frame.at[0, "ansvariga"] is None
    assert V.check_columns(sheet) == []


def test_a_cell_that_failed_to_parse_or_a_missing_column_is_not_also_called_empty():
    unparsed = Problem(INS, "ansvar", 2, "ar", "tjugo", "väntade ett heltal")
    missing = Problem(INS, "ansvar", 1, "kalla_citat", None, "kolumnen saknas")
    sheet = ansvar(
        {"insats_id": "mhfa", "ar": None, "kalla_avsnitt": "A", "kalla_citat": None},
        {"insats_id": "act", "ar": None, "kalla_avsnitt": "A", "kalla_citat": None},
        problems=[unparsed, missing],
    )
    # row 2's year is already reported; row 3's is not; the missing column is reported once
    assert where(V.check_columns(sheet)) == [(3, "ar", None, V.NOT_NULL)]


def test_a_year_outside_its_range_names_the_range():
    sheet = ansvar(
        {"insats_id": "a", "ar": 1999, "kalla_avsnitt": "A", "kalla_citat": "c"},
        {"insats_id": "b", "ar": 2000, "kalla_avsnitt": "A", "kalla_citat": "c"},
        {"insats_id": "c", "ar": 2100, "kalla_avsnitt": "A", "kalla_citat": "c"},
        {"insats_id": "d", "ar": 2101, "kalla_avsnitt": "A", "kalla_citat": "c"},
    )
    expected = "väntade ett heltal mellan 2000 och 2100"
    assert located(V.check_columns(sheet), INS, "ansvar") == [
        (2, "ar", 1999, expected),
        (5, "ar", 2101, expected),
    ]


def test_a_value_not_among_the_choices_lists_the_choices():
    sheet = ansvar(
        {"insats_id": "a", "ar": 2018, "status": "klar", "kalla_avsnitt": "A", "kalla_citat": "c"},
        {"insats_id": "b", "ar": 2018, "status": "pågår", "kalla_avsnitt": "A", "kalla_citat": "c"},
    )
    assert where(V.check_columns(sheet)) == [
        (
            2,
            "status",
            "klar",
            "väntade ett av värdena 'genomförd', 'delvis genomförd', 'pågår', 'avvecklad', "
            "'ej rapporterat'",
        )
    ]


def test_every_year_of_a_list_must_be_in_range_and_a_minimum_alone_is_open_upwards():
    rows = [
        {"insats_id": "a", "ar": (2018, 1999), "namn": "A", "fokusomrade": 1},
        {"insats_id": "b", "ar": (2018, 2019), "namn": "B", "fokusomrade": 1},
        {"insats_id": "c", "ar": (3000,), "namn": "C", "fokusomrade": 1},
    ]
    rows = [
        {**r, "matbara_mal": "ja", "status": "pågår", "kalla_avsnitt": "A", "kalla_citat": "c"}
        for r in rows
    ]
    sheet = loaded(S.INSATSER, "insatser", rows, file=INS)
    assert located(V.check_columns(sheet), INS, "insatser") == [
        (
            2,
            "ar",
            (2018, 1999),
            "väntade heltal separerade med kommatecken (t.ex. '1, 2'), minst 2000",
        )
    ]


def test_an_order_below_its_minimum_is_refused():
    rows = [
        {"tema_id": t, "ordning": o, "namn": t, "kortsiktiga_indikatorer": "finns"}
        | {"langsiktiga_indikatorer": "finns", "kalla_avsnitt": "A", "kalla_citat": "c"}
        for t, o in (("T1", 0), ("T2", 1))
    ]
    sheet = loaded(S.MAL, "teman", rows, file=MAL)
    assert located(V.check_columns(sheet), MAL, "teman") == [
        (2, "ordning", 0, "väntade ett heltal, minst 1")
    ]


def test_a_duplicate_id_is_named_on_every_row_that_has_it():
    rows = [{"dokument_id": d, "titel": "T", "fil": "f.pdf"} for d in ("plan", "rapport", "plan")]
    sheet = loaded(S.REFERENS, "dokument", rows, file="referens.xlsx")
    assert located(V.check_columns(sheet), "referens.xlsx", "dokument") == [
        (2, "dokument_id", "plan", V.UNIQUE),
        (4, "dokument_id", "plan", V.UNIQUE),
    ]


def test_a_column_missing_from_the_frame_is_left_to_the_header_check():
    sheet = loaded(S.REFERENS, "dokument", [{"dokument_id": "plan", "titel": "T", "fil": "f"}])
    sheet.frame = sheet.frame.drop(columns=["titel"])
    assert V.check_columns(sheet) == []


def test_build_schema_names_the_sheet_and_makes_only_required_columns_non_nullable():
    schema = V.build_schema(S.INSATSER.sheet("ansvar"))
    assert schema.name == "ansvar"
    assert not schema.columns["insats_id"].nullable and schema.columns["ansvariga"].nullable
    assert not schema.columns["insats_id"].required  # a missing column is reported by loading
    assert schema.columns["insats_id"].unique is False
    assert V.build_schema(S.INSATSER.sheet("resultat")).columns["resultat_id"].unique


# -- references ---------------------------------------------------------------------------------
def test_an_unknown_reference_names_the_target_and_the_valid_ids():
    rows = [
        {"insats_id": "mhfa", "ar": 2018, "ansvariga": ("SOF", "XYZ")},
        {"insats_id": "mhfa", "ar": 2019, "ansvariga": None},
        {"insats_id": "mhfa", "ar": 2019, "ansvariga": ("ABC",)},
    ]
    sheet = loaded(S.INSATSER, "ansvar", rows, file=INS)
    found = V.check_references(sheet, "ansvariga", {"SOF", "VOF"}, "bladet 'forvaltningar'")
    expected = "okänd referens: värdet finns inte i bladet 'forvaltningar' (giltiga: SOF, VOF)"
    assert located(found, INS, "ansvar") == [
        (2, "ansvariga", "XYZ", expected),
        (4, "ansvariga", "ABC", expected),
    ]
    assert V.check_references(sheet, "finns_inte", {"SOF"}, "x") == []


def test_a_long_list_of_valid_ids_is_cut_after_twelve():
    sheet = loaded(S.INSATSER, "resultat", [{"insats_id": "okand"}], file=INS)
    allowed = {f"id{n:02d}" for n in range(13)}
    (p,) = V.check_references(sheet, "insats_id", allowed, "bladet 'insatser'")
    shown = ", ".join(f"id{n:02d}" for n in range(12))
    assert p.expected.endswith(f"(giltiga: {shown} …)")
    twelve = {f"id{n:02d}" for n in range(12)}
    (p,) = V.check_references(sheet, "insats_id", twelve, "bladet 'insatser'")
    assert p.expected.endswith(f"(giltiga: {shown})")


# -- quantities ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "wrong"),
    [
        (-1, "antal", V.NEGATIVE_COUNT),
        (-0.5, "antal", V.NEGATIVE_COUNT),
        (0, "antal", None),
        (-1, "personer", None),  # only counts and shares have a range
        (-0.1, "andel", V.SHARE_RANGE),
        (0, "andel", None),
        (100, "andel", None),
        (100.5, "andel", V.SHARE_RANGE),
        (101, "procent", V.SHARE_RANGE),
        (-1, "procent", V.SHARE_RANGE),
        (250, "personer", None),
    ],
)
def test_counts_are_never_negative_and_shares_lie_within_0_and_100(value, unit, wrong):
    assert V.quantity_problem(value, unit) == wrong


def result(**cells):
    return {"resultat_id": "r", "insats_id": "mhfa", "ar": 2018, **cells}


def test_result_values_and_upper_bounds_are_checked_by_their_unit_in_any_case():
    sheet = loaded(
        S.INSATSER,
        "resultat",
        [
            result(varde=-3, enhet="Antal"),
            result(varde=80, varde_max=120, enhet="PROCENT", kvalifikator="intervall"),
            result(varde=5, enhet=None),
            result(varde=-2, enhet="personer", varde_max=-1),
        ],
        file=INS,
    )
    assert located(V.check_result_values(sheet), INS, "resultat") == [
        (2, "varde", -3, V.NEGATIVE_COUNT),
        (3, "varde_max", 120, V.SHARE_RANGE),
    ]


def test_a_range_needs_its_upper_bound():
    sheet = loaded(
        S.INSATSER,
        "resultat",
        [
            result(varde=15, kvalifikator="intervall", enhet="minuter"),
            result(varde=15, varde_max=45, kvalifikator="intervall", enhet="minuter"),
            result(varde=15, kvalifikator="ca", enhet="minuter"),
        ],
        file=INS,
    )
    assert located(V.check_result_values(sheet), INS, "resultat") == [
        (2, "varde_max", None, "kvalifikatorn 'intervall' kräver en övre gräns i varde_max")
    ]


# -- themes, targets -----------------------------------------------------------------------------
def test_a_themes_indicator_status_must_match_the_indicator_rows():
    teman = loaded(
        S.MAL,
        "teman",
        [
            {"tema_id": "T1", "kortsiktiga_indikatorer": "finns", "langsiktiga_indikatorer": "finns"},
            {"tema_id": "T2", "kortsiktiga_indikatorer": "saknas", "langsiktiga_indikatorer": "ej angivet"},
            {"tema_id": "T3", "kortsiktiga_indikatorer": "saknas", "langsiktiga_indikatorer": None},
        ],
        file=MAL,
    )  # fmt: skip
    indikatorer = loaded(
        S.MAL,
        "indikatorer",
        [
            {"indikator_id": "T1-K1", "tema_id": "T1", "horisont": "kort"},
            {"indikator_id": "T2-K1", "tema_id": "T2", "horisont": "kort"},
            {"indikator_id": "T2-L1", "tema_id": "T2", "horisont": "lång"},
        ],
        file=MAL,
    )
    assert located(V.check_theme_indicator_status(teman, indikatorer), MAL, "teman") == [
        (
            2,
            "langsiktiga_indikatorer",
            "finns",
            "'finns', men bladet 'indikatorer' har ingen rad med horisont 'lång'",
        ),
        (
            3,
            "kortsiktiga_indikatorer",
            "saknas",
            "'saknas', men bladet 'indikatorer' har rader med horisont 'kort' för temat; "
            "ange 'finns'",
        ),
        (
            3,
            "langsiktiga_indikatorer",
            "ej angivet",
            "'ej angivet', men bladet 'indikatorer' har rader med horisont 'lång' för temat; "
            "ange 'finns'",
        ),
    ]


@pytest.mark.parametrize(
    ("maltyp", "malvarde", "refused"),
    [
        ("minska_procent", None, True),
        ("minst", None, True),
        ("minst", 0, False),
        ("ingen", None, False),
        ("ja", None, False),
        ("oka", None, False),
        ("minska", None, False),
        (None, None, False),
    ],
)
def test_a_quantitative_target_needs_a_target_value(maltyp, malvarde, refused):
    sheet = loaded(
        S.MAL, "indikatorer", [{"indikator_id": "T1-K1", "maltyp": maltyp, "malvarde": malvarde}]
    )
    found = V.check_targets(sheet)
    expected = [(2, "malvarde", None, f"maltyp '{maltyp}' kräver ett målvärde")]
    assert located(found, MAL, "indikatorer") == (expected if refused else [])


def test_yes_no_indicators_and_yes_no_targets_go_together():
    sheet = loaded(
        S.MAL,
        "indikatorer",
        [
            {"indikator_id": "A", "enhet": "ja-nej", "maltyp": "ingen"},
            {"indikator_id": "B", "enhet": "andel", "maltyp": "ja"},
            {"indikator_id": "C", "enhet": "ja-nej", "maltyp": "ja"},
            {"indikator_id": "D", "enhet": "ja-nej", "maltyp": None},
            {"indikator_id": "E", "enhet": None, "maltyp": "ja"},
            {"indikator_id": "F", "enhet": "antal", "maltyp": "minst"},
        ],
        file=MAL,
    )
    assert located(V.check_yes_no_targets(sheet), MAL, "indikatorer") == [
        (2, "maltyp", "ingen", "en ja/nej-indikator har maltyp 'ja' (målet är uppfyllt när svaret är ja)"),
        (3, "maltyp", "ja", "maltyp 'ja' kräver enheten 'ja-nej', men enheten är 'andel'"),
    ]  # fmt: skip


# -- indicator values ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "unit", "parsed"),
    [
        (None, "antal", None),
        ("  ", "andel", None),
        ("23,5 %", "andel", 23.5),
        ("23,5", "andel", 23.5),
        (0, "andel", 0.0),
        ("1 100", "antal", 1100.0),
        (12, "antal", 12.0),
        (" JA ", "ja-nej", "ja"),
        ("Nej", "ja-nej", "nej"),
        ("  ett avtal finns ", "text", "ett avtal finns"),
        (5, "text", "5"),
    ],
)
def test_an_indicator_value_is_read_as_its_unit_wants_it(raw, unit, parsed):
    assert V.parse_indicator_value(raw, unit) == parsed


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        ("kanske", "ja-nej", "väntade 'ja' eller 'nej' (indikatorn är ja/nej)"),
        ("12 %", "antal", V.PERCENT_IN_COUNT),
        ("tolv", "antal", "väntade ett tal (t.ex. 1 100, 23,5 eller 23 %)"),
        ("tolv", "andel", "väntade ett tal (t.ex. 1 100, 23,5 eller 23 %)"),
        (-3, "antal", V.NEGATIVE_COUNT),
        ("120 %", "andel", V.SHARE_RANGE),
        (True, "antal", "väntade ett tal (t.ex. 1 100, 23,5 eller 23 %)"),
    ],
)
def test_an_indicator_value_its_unit_cannot_hold_is_refused_saying_what_was_expected(
    raw, unit, message
):
    with pytest.raises(ValueError) as info:
        V.parse_indicator_value(raw, unit)
    assert str(info.value) == message


def test_responsible_uses_the_departments_the_rules_give_else_the_cell():
    assert V.responsible({"avdelningar": ("SOF", "VOF"), "ansvariga": None}, "SOF")
    assert not V.responsible({"avdelningar": ("SOF",), "ansvariga": None}, "VOF")
    assert not V.responsible({"avdelningar": None}, "VOF")
    assert V.responsible(pd.Series({"avdelningar": ("AMF",)}), "AMF")
    assert V.responsible({"ansvariga": None}, "AMF")  # blank: shared by all
    assert V.responsible({"ansvariga": ("SOF",)}, "SOF")
    assert not V.responsible({"ansvariga": ("SOF",)}, "VOF")
    assert V.responsible(("SOF", "VOF"), "VOF") and not V.responsible(("SOF",), "AMF")
    assert V.responsible(None, "AMF")


INDIKATORER = pd.DataFrame(
    [
        {"indikator_id": "T1-K1", "enhet": "andel", "avdelningar": ("SOF",), "ansvariga": None},
        {"indikator_id": "T1-K2", "enhet": "antal", "avdelningar": ("SOF", "VOF")}
        | {"ansvariga": ("SOF", "VOF")},
        {"indikator_id": "T1-K3", "enhet": "ja-nej", "avdelningar": ("AMF",), "ansvariga": None},
    ]
)


def varden(*rows):
    return loaded(S.INDIKATORVARDEN, "varden", list(rows), file=VARDEN)


def test_values_are_parsed_by_unit_into_a_new_frame_and_problems_are_located():
    sheet = varden(
        {"indikator_id": "T1-K1", "forvaltning": "SOF", "varde": "23,5 %"},
        {"indikator_id": "T1-K2", "forvaltning": "VOF", "varde": "-2", "jamforelsevarde": -1},
        {"indikator_id": "T1-K3", "forvaltning": "AMF", "varde": "JA", "jamforelsevarde": 3},
        {"indikator_id": "T1-K1", "forvaltning": "SOF", "varde": "12", "kommentar": "igen"},
    )
    before = sheet.frame.copy()
    frame, problems = V.parse_indicator_values(sheet, INDIKATORER, 2026)
    assert list(frame["varde"]) == [23.5, None, "ja", 12.0]
    assert frame["varde"].dtype == object and list(frame.index) == list(before.index)
    assert sheet.frame.equals(before)
    assert located(problems, VARDEN, "varden") == [
        (3, "varde", "-2", V.NEGATIVE_COUNT),
        (3, "jamforelsevarde", -1, V.NEGATIVE_COUNT),
        (5, "forvaltning", "SOF", "indikatorn T1-K1 har redan en rad för SOF (rad 2)"),
    ]
    assert V.check_indicator_values(sheet, INDIKATORER, 2026) == problems


def test_a_comparison_value_is_checked_by_the_indicators_unit():
    sheet = varden(
        {"indikator_id": "T1-K1", "forvaltning": "SOF", "jamforelsevarde": 130},
        {"indikator_id": "T1-K1", "forvaltning": "VOF"},
    )
    _frame, problems = V.parse_indicator_values(sheet, INDIKATORER, 2026)
    assert where(problems) == [(2, "jamforelsevarde", 130, V.SHARE_RANGE)]


def test_an_unknown_indicator_or_blank_department_is_left_to_the_reference_check():
    sheet = varden(
        {"indikator_id": "T9-K9", "forvaltning": "SOF", "varde": "-5", "enhet": "antal"},
        {"indikator_id": "T1-K1", "forvaltning": None, "varde": "5", "enhet": "antal"},
        {"indikator_id": "T1-K1", "forvaltning": None, "varde": "6"},
    )
    frame, problems = V.parse_indicator_values(sheet, INDIKATORER, 2026)
    assert list(frame["varde"]) == ["-5", 5.0, 6.0]  # unknown indicator: kept as text
    assert problems == []  # two blank departments are no duplicate either


def test_the_unit_beside_a_value_must_be_the_indicators_unit_in_mal():
    sheet = varden(
        {"indikator_id": "T1-K1", "forvaltning": "SOF", "varde": "5", "enhet": "antal"},
        {"indikator_id": "T1-K2", "forvaltning": "SOF", "varde": "5", "enhet": "antal"},
    )
    _frame, problems = V.parse_indicator_values(sheet, INDIKATORER, 2026)
    assert located(problems, VARDEN, "varden") == [
        (
            2,
            "enhet",
            "antal",
            "enheten stämmer inte med 2026/mal.xlsx, där indikatorn har enheten 'andel'; "
            "kör `python -m report_utils rebuild-values 2026` så att arbetsboken visar rätt enhet",
        )
    ]
    assert V.check_indicator_values(sheet, INDIKATORER, 2026) == problems
    _frame, without_year = V.parse_indicator_values(sheet, INDIKATORER)
    assert without_year[0].expected == (
        "enheten stämmer inte med mal.xlsx, där indikatorn har enheten 'andel'; "
        "kör `python -m report_utils rebuild-values ÅR` så att arbetsboken visar rätt enhet"
    )


def test_every_filled_cell_on_the_row_of_a_department_not_responsible_is_refused():
    sheet = varden(
        {"indikator_id": "T1-K1", "forvaltning": "VOF", "varde": "5", "jamforelsevarde": 4}
        | {"kommentar": "ny mätning"},
        {"indikator_id": "T1-K2", "forvaltning": "AMF", "kommentar": "inte vår"},
        {"indikator_id": "T1-K1", "forvaltning": "AMF"},  # blank: loses nothing, no problem
    )
    _frame, problems = V.parse_indicator_values(sheet, INDIKATORER, 2026)
    sof_only = (
        "förvaltningen {d} är inte ansvarig för indikatorn {i} enligt 2026/mal.xlsx "
        "(ansvariga: {who}); flytta värdet till en ansvarig förvaltnings rad eller ändra "
        "ansvariga i mal.xlsx — annars visas det inte i någon rapport"
    )
    assert located(problems, VARDEN, "varden") == [
        (2, "varde", "5", sof_only.format(d="VOF", i="T1-K1", who="SOF")),
        (2, "jamforelsevarde", 4, sof_only.format(d="VOF", i="T1-K1", who="SOF")),
        (2, "kommentar", "ny mätning", sof_only.format(d="VOF", i="T1-K1", who="SOF")),
        (3, "kommentar", "inte vår", sof_only.format(d="AMF", i="T1-K2", who="SOF, VOF")),
    ]


def test_the_responsible_departments_named_come_from_the_cell_when_no_rule_gave_any():
    indikatorer = pd.DataFrame(
        [{"indikator_id": "X", "enhet": "antal", "ansvariga": ("SFF",), "avdelningar": None}]
    )
    sheet = varden({"indikator_id": "X", "forvaltning": "SOF", "varde": "1"})
    _frame, problems = V.parse_indicator_values(sheet, indikatorer, 2026)
    assert [p.column for p in problems] == ["varde"]
    assert "(ansvariga: SFF)" in problems[0].expected


# -- responsibility, kinds of results, crosswalk ---------------------------------------------------
def insatser(*rows):
    return loaded(S.INSATSER, "insatser", [dict(r) for r in rows], file=INS)


INSATSER_ROWS = [
    {"insats_id": "mhfa", "ar": (2018, 2019), "overordnad_insats": None},
    {"insats_id": "del", "ar": (2019,), "overordnad_insats": "mhfa"},
    {"insats_id": "tom", "ar": None, "overordnad_insats": None},
]


def test_responsibility_one_row_per_year_the_initiative_ran_and_every_year_covered():
    rows = [
        {"insats_id": "mhfa", "ar": 2018},
        {"insats_id": "mhfa", "ar": 2018},
        {"insats_id": "mhfa", "ar": 2020},
        {"insats_id": "tom", "ar": 2019},
        {"insats_id": "okand", "ar": 2019},
        {"insats_id": None, "ar": 2019},
    ]
    found = V.check_responsibility(ansvar(*rows), insatser(*INSATSER_ROWS))
    assert [(p.sheet, p.row, p.column, p.value, p.expected) for p in found] == [
        ("ansvar", 3, "ar", 2018, "insatsen mhfa har redan en rad för 2018 (rad 2)"),
        (
            "ansvar",
            4,
            "ar",
            2020,
            "insatsen mhfa pågick inte 2020 enligt bladet 'insatser' (år: 2018, 2019)",
        ),
        ("ansvar", 5, "ar", 2019, "insatsen tom pågick inte 2019 enligt bladet 'insatser' (år: inga)"),
        (
            "insatser",
            2,
            "ar",
            2019,
            "bladet 'ansvar' saknar en rad för insatsen mhfa år 2019 "
            "(ansvariga förvaltningar det året, med källa)",
        ),
    ]  # fmt: skip
    assert {p.file for p in found} == {INS}


def test_a_year_given_twice_and_not_run_gets_both_problems_and_sub_projects_need_no_row():
    rows = [{"insats_id": "mhfa", "ar": 2018}, {"insats_id": "mhfa", "ar": 2019}]
    rows += [{"insats_id": "mhfa", "ar": 2017}, {"insats_id": "mhfa", "ar": 2017}]
    found = V.check_responsibility(ansvar(*rows), insatser(*INSATSER_ROWS))
    assert [(p.row, p.expected) for p in found] == [
        (4, "insatsen mhfa pågick inte 2017 enligt bladet 'insatser' (år: 2018, 2019)"),
        (5, "insatsen mhfa har redan en rad för 2017 (rad 4)"),
        (5, "insatsen mhfa pågick inte 2017 enligt bladet 'insatser' (år: 2018, 2019)"),
    ]


def resultat(*rows):
    return loaded(S.INSATSER, "resultat", list(rows), file=INS)


def test_key_figures_are_achieved_results_at_most_one_per_initiative_and_year():
    rows = [
        {"insats_id": "mhfa", "ar": 2018, "nyckeltal": "ja", "slag": "uppnått"},
        {"insats_id": "mhfa", "ar": 2018, "nyckeltal": "ja", "slag": "uppnått"},
        {"insats_id": "mhfa", "ar": 2019, "nyckeltal": "ja", "slag": "planerat"},
        {"insats_id": "mhfa", "ar": 2019, "nyckeltal": "nej", "slag": "planerat"},
        {"insats_id": "mhfa", "ar": 2019, "nyckeltal": "ja", "slag": None},
        {"insats_id": "mhfa", "ar": 2018, "nyckeltal": "ja", "slag": "uppnått"},
    ]
    found = V.check_result_kinds(resultat(*rows), insatser(*INSATSER_ROWS))
    assert located(found, INS, "resultat") == [
        (3, "nyckeltal", "ja", "insatsen mhfa har redan ett nyckeltal för 2018 (rad 2); högst ett per insats och år"),
        (4, "nyckeltal", "ja", "ett nyckeltal måste vara en uppnådd siffra, men slag är 'planerat'"),
        (6, "nyckeltal", "ja", "insatsen mhfa har redan ett nyckeltal för 2019 (rad 4); högst ett per insats och år"),
        (7, "nyckeltal", "ja", "insatsen mhfa har redan ett nyckeltal för 2018 (rad 2); högst ett per insats och år"),
    ]  # fmt: skip


def test_a_cumulative_figure_names_its_period_and_a_result_belongs_to_a_year_that_ran():
    rows = [
        {"insats_id": "mhfa", "ar": 2018, "slag": "sammanlagt", "period": None},
        {"insats_id": "mhfa", "ar": 2018, "slag": "sammanlagt", "period": "2012–2018"},
        {"insats_id": "mhfa", "ar": 2017, "slag": "uppnått"},
        {"insats_id": "tom", "ar": 2019, "slag": "uppnått"},
        {"insats_id": "okand", "ar": 2017, "slag": "uppnått"},
    ]
    found = V.check_result_kinds(resultat(*rows), insatser(*INSATSER_ROWS))
    assert located(found, INS, "resultat") == [
        (2, "period", None, "en sammanlagd siffra kräver perioden den gäller, t.ex. 2012–2018"),
        (4, "ar", 2017, "insatsen mhfa pågick inte 2017 enligt bladet 'insatser' (år: 2018, 2019)"),
        (5, "ar", 2019, "insatsen tom pågick inte 2019 enligt bladet 'insatser' (år: inga)"),
    ]  # fmt: skip


def test_a_crosswalk_link_cites_the_goal_years_text_and_its_indicator_belongs_to_its_theme():
    rows = [
        {"koppling_id": "K1", "tema_id": "T1", "indikator_id": "T1-K1", "kalla_citat_2026": "c"},
        {"koppling_id": "K2", "tema_id": "T1", "indikator_id": None, "kalla_citat_2026": None},
        {"koppling_id": "K3", "tema_id": "T2", "indikator_id": "T1-K1", "kalla_citat_2026": "c"},
        {"koppling_id": "K4", "tema_id": None, "indikator_id": "T1-K1", "kalla_citat_2026": None},
        {"koppling_id": "K5", "tema_id": None, "indikator_id": None, "kalla_citat_2026": None},
        {"koppling_id": "K6", "tema_id": "T2", "indikator_id": "T9-K1", "kalla_citat_2026": "c"},
    ]
    sheet = loaded(S.KOPPLING, "koppling", rows, file=KOP)
    found = V.check_crosswalk_evidence(sheet, {"T1-K1": "T1", "T2-K1": "T2"})
    assert located(found, KOP, "koppling") == [
        (3, "kalla_citat_2026", None, "en koppling till ett tema kräver belägget ur årets text (ordagrant)"),
        (4, "indikator_id", "T1-K1", "indikatorn T1-K1 hör till temat T1, inte till T2"),
        (5, "indikator_id", "T1-K1", "indikatorn T1-K1 hör till temat T1, inte till None"),
        (5, "tema_id", None, "en koppling till indikatorn T1-K1 kräver också dess tema"),
    ]  # fmt: skip


def test_a_row_without_a_year_is_left_to_the_required_cell_check():
    # (a blank year makes pandas read the column's other years as floats: kept apart here)
    blank = [{"insats_id": "mhfa", "ar": None}]
    found = V.check_responsibility(ansvar(*blank), insatser(*INSATSER_ROWS[:1]))
    assert [(p.sheet, p.value) for p in found] == [("insatser", 2018), ("insatser", 2019)]
    blank = [{"insats_id": "mhfa", "ar": None, "slag": "uppnått"}]
    assert V.check_result_kinds(resultat(*blank), insatser(*INSATSER_ROWS)) == []


def test_rows_keep_their_excel_row_numbers():
    sheet = ansvar({"insats_id": "a"}, {"insats_id": "b"})
    assert list(sheet.frame[ROW]) == [2, 3]


def test_a_blank_value_stays_not_reported_when_every_other_value_is_a_number():
    """A sheet whose values are all numbers or blank: the blank stays ``None`` ("ej
    rapporterat"), never NaN (which the status would read as a number)."""
    sheet = varden(
        {"indikator_id": "T1-K1", "forvaltning": "SOF", "varde": "23,5 %"},
        {"indikator_id": "T1-K2", "forvaltning": "SOF", "kommentar": "kommer i mars"},
    )
    frame, problems = V.parse_indicator_values(sheet, INDIKATORER, 2026)
    assert problems == []
    assert frame["varde"].dtype == object
    assert frame["varde"].iloc[0] == 23.5 and frame["varde"].iloc[1] is None
