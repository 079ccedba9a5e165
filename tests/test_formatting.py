"""Swedish formatting via Babel, 'uppgift saknas' for missing values, escaping."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from report_utils import formatting as F

NB = "\u00a0"


def test_numbers_and_percent_follow_sv_se():
    assert F.number(1100) == f"1{NB}100"
    assert F.number(23.5) == "23,5"
    assert F.number(2.0) == "2"
    assert F.percent(23.5) == f"23,5{NB}%"
    assert F.signed(-2) == "−2" and F.signed(5) == "+5"


@pytest.mark.parametrize("missing", [None, float("nan"), "", "  "])
def test_missing_is_uppgift_saknas_never_zero(missing):
    assert F.number(missing) == "uppgift saknas"
    assert F.percent(missing) == "uppgift saknas"
    assert F.value_with_unit(missing, "antal") == "uppgift saknas"
    assert F.esc(missing) == "uppgift saknas"


def test_value_with_unit_keeps_qualifier():
    assert F.value_with_unit(1100, "antal", "ca") == f"ca{NB}1{NB}100"
    assert F.value_with_unit(23, "procent", "drygt") == f"drygt{NB}23{NB}%"
    assert F.value_with_unit(80, "procent", "intervall", 100) == f"80–100{NB}%"
    assert F.value_with_unit(150, "tkr", "exakt") == f"150{NB}tkr"


def test_is_missing():
    assert F.is_missing(math.nan) and F.is_missing(None) and not F.is_missing(0)
    assert not F.is_missing(("SOF",))


def test_dates_and_periods():
    assert F.date(dt.date(2018, 10, 1)) == "2018-10-01"
    assert F.date("2018-10") == "2018-10"
    assert F.period("2018-01-01", "2019-12-31") == "2018-01-01 – 2019-12-31"
    assert F.period(None, None, "läsåret 2017/18") == "läsåret 2017/18"
    assert F.period(None, None) == "uppgift saknas"


def test_join_list():
    assert F.join_list(["SOF", "VOF", "AMF"]) == "SOF, VOF och AMF"
    assert F.join_list(["SOF"]) == "SOF" and F.join_list([]) == ""


def test_esc_and_table_escape_spreadsheet_text():
    payload = "<script>alert(1)</script>"
    assert "<script>" not in F.esc(payload)
    html = F.table(["Namn"], [[payload], [F.Cell(markup="<b>ok</b>", num=True)]], caption="<i>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>ok</b>" in html and 'class="num"' in html
    assert "<caption>&lt;i&gt;</caption>" in html
    assert F.table(["A"], [], empty="Tomt") == '<p class="empty">Tomt</p>'


def test_tag_escapes_attributes():
    assert F.tag("a", "x", href='"><script>') == '<a href="&quot;&gt;&lt;script&gt;">x</a>'
    assert F.tag("td", "1", class_=None) == "<td>1</td>"


def test_html_object_displays_as_html():
    obj = F.HTML("<p>hej</p>", plain="hej")
    assert obj._repr_html_() == "<p>hej</p>" and repr(obj) == "hej"
    assert str(obj + F.HTML("<p>då</p>")) == "<p>hej</p><p>då</p>"


def test_footnotes_number_each_source_once():
    notes = F.Footnotes(documents={"d": "Dokumentet"})
    a = notes.cite("d", "Avsnitt", "Citat <1>")
    b = notes.cite("d", "Avsnitt", "Citat <1>")
    c = notes.cite("d", "Annat", None)
    assert a == b and "[1]" in a and "[2]" in c
    rendered = notes.render()
    assert rendered.count("<li") == 2 and "Citat &lt;1&gt;" in rendered and "Dokumentet" in rendered
    assert F.Footnotes().render().startswith('<p class="empty">')


def test_target_in_short_swedish():
    assert F.target("minska_procent", 20) == f"minska med 20{NB}%"
    assert F.target("minska_procent", 50) == "halveras"
    assert F.target("minska_procentenheter", 2) == "minska med 2 procentenheter"
    assert F.target("minst", 1100) == f"minst 1{NB}100"
    assert F.target("oka", None) == "ska öka"
    assert F.target("ja", None) == "ska uppfyllas (ja/nej)"  # a target, never read as done
    assert F.target("ingen", None) is None and F.target(None, None) is None


def test_ranges_keep_their_unit_and_one_takes_the_singular():
    assert F.value_with_unit(15, "minuter", "intervall", 45) == f"15–45{NB}minuter"
    assert F.value_with_unit(18, "år", "intervall", 25) == f"18–25{NB}år"
    assert F.value_with_unit(1, "gånger per månad") == f"1{NB}gång per månad"
    assert F.value_with_unit(2, "gånger per månad") == f"2{NB}gånger per månad"
    assert F.value_with_unit(1, "veckor") == f"1{NB}vecka"
    assert F.value_with_unit(1, "dagar") == f"1{NB}dag"
    assert F.value_with_unit(1, "antal") == "1"


def test_ordinals_read_as_swedish_ordinals_not_counts():
    assert F.value_with_unit(2, "ordningstal") == "2:a"
    assert [F.ordinal(n) for n in (1, 3, 11, 12, 21, 22)] == [
        "1:a",
        "3:e",
        "11:e",
        "12:e",
        "21:a",
        "22:a",
    ]


def test_plural_picks_the_word_that_fits_the_number():
    assert F.plural(1, "insats", "insatser") == f"1{NB}insats"
    assert F.plural(3, "insats", "insatser") == f"3{NB}insatser"
    assert F.plural(1100, "värde", "värden") == f"1{NB}100{NB}värden"


def test_lower_first_keeps_abbreviations():
    assert F.lower_first("Elever som gått kursen") == "elever som gått kursen"
    assert F.lower_first("MHFA-instruktörer") == "MHFA-instruktörer"
