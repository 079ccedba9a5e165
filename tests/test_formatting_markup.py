"""What a reader gets from the formatters, exactly: signs, ordinals, targets, periods, and the
markup of tables, cells and source notes (the HTML every report is built from)."""

from __future__ import annotations

import pytest

from report_utils import formatting as F

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-2, "−2"), (5, "+5"), (0, "+0"), (0.5, "+0,5"), (-0.25, "−0,2"), (2.26, "+2,3")],
)
def test_a_change_shows_its_sign_and_one_decimal_at_most(value, shown):
    assert F.signed(value) == shown


def test_a_change_can_show_more_decimals_and_a_missing_change_says_so():
    assert F.signed(-1234.567, 2) == f"−1{NB}234,57"
    assert F.signed(None) == F.MISSING


def test_number_and_percent_round_to_the_decimals_asked_for():
    assert F.number(1234.56) == f"1{NB}234,6"
    assert F.number(1234.56, 0) == f"1{NB}235"
    assert F.number(0.125, 2) == "0,12"  # half to even, as Babel rounds
    assert F.percent(12.34) == f"12,3{NB}%"
    assert F.percent(12.34, 0) == f"12{NB}%"


@pytest.mark.parametrize(
    ("n", "shown"),
    [(1, "1:a"), (2, "2:a"), (3, "3:e"), (11, "11:e"), (12, "12:e"), (21, "21:a")]
    + [(101, "101:a"), (111, "111:e"), (112, "112:e"), (122, "122:a"), ("4", "4:e")],
)
def test_ordinals_follow_swedish_endings(n, shown):
    assert F.ordinal(n) == shown


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("minska_procent", 20, f"minska med 20{NB}%"),
        ("minska_procent", 50, "halveras"),
        ("minska_procent", 50.5, f"minska med 50,5{NB}%"),
        ("oka_procent", 50, f"öka med 50{NB}%"),
        ("minska_procentenheter", 2.5, "minska med 2,5 procentenheter"),
        ("oka_procentenheter", 3, "öka med 3 procentenheter"),
        ("minst", 1100, f"minst 1{NB}100"),
        ("hogst", 5, "högst 5"),
        ("ja", None, "ska uppfyllas (ja/nej)"),
        ("oka", None, "ska öka"),
        ("minska", None, "ska minska"),
        ("ingen", 3, None),
        (None, 3, None),
        ("", None, None),
        ("halvering till 2030", None, "halvering till 2030"),  # unknown kind: its own words
    ],
)
def test_every_kind_of_target_reads_as_a_target(kind, value, shown):
    assert F.target(kind, value) == shown


@pytest.mark.parametrize(
    ("start", "end", "text", "shown"),
    [
        ("2018-01-01", "2019-12-31", None, "2018-01-01 – 2019-12-31"),
        ("2018", "2018", None, "2018"),
        ("2018-10", "2018-10", "läsåret", "2018-10"),
        (None, "2019-12-31", None, "… – 2019-12-31"),
        ("2018-01-01", None, None, "2018-01-01 – …"),
        ("2018-01-01", None, "hela 2018", "2018-01-01 – …"),
        (None, None, "läsåret 2017/18", "läsåret 2017/18"),
        (None, None, None, F.MISSING),
        (None, None, float("nan"), F.MISSING),
    ],
)
def test_a_period_shows_what_is_known_and_dots_for_an_open_end(start, end, text, shown):
    assert F.period(start, end, text) == shown


def test_dates_keep_a_partial_or_free_text_date_as_typed():
    import datetime as dt

    assert F.date("2018-10-01") == "2018-10-01"
    assert F.date(dt.datetime(2018, 10, 1, 13, 30)) == "2018-10-01"
    assert F.date("hösten 2018") == "hösten 2018"
    assert F.date(None) == F.MISSING


def test_plural_counts_in_whole_numbers():
    assert F.plural(3.4, "timme", "timmar") == f"3{NB}timmar"
    assert F.plural(0, "insats", "insatser") == f"0{NB}insatser"


def test_esc_escapes_both_kinds_of_quotes_and_ampersands():
    assert F.esc("\"a\" & 'b' <c>") == "&quot;a&quot; &amp; &#x27;b&#x27; &lt;c&gt;"
    assert F.esc(0) == "0"


def test_lower_first_and_join_list_leave_short_and_missing_things_alone():
    assert F.lower_first("A") == "A" and F.lower_first("") == ""
    assert F.lower_first("Ab") == "ab"
    assert F.join_list(["SOF", None, "VOF"], last="eller") == "SOF eller VOF"
    assert F.join_list([None, float("nan")]) == ""


def test_is_missing_knows_pandas_blanks_and_keeps_real_values():
    import pandas as pd

    assert F.is_missing(pd.NA) and F.is_missing(pd.NaT) and F.is_missing("\u00a0 ")
    assert not F.is_missing(0.0) and not F.is_missing("0") and not F.is_missing(False)
    assert not F.is_missing([]) and not F.is_missing(())


def test_value_with_unit_puts_qualifier_number_and_unit_in_reading_order():
    assert F.value_with_unit(1, "personer", "ca") == f"ca{NB}1{NB}person"
    assert F.value_with_unit(1.0, "timmar per vecka") == f"1{NB}timme per vecka"
    assert F.value_with_unit(1, "kronor") == f"1{NB}kronor"  # no singular known: as given
    assert F.value_with_unit(1, "personer", "intervall", 3) == f"1–3{NB}personer"
    assert F.value_with_unit(12.5, "procent", "över") == f"över{NB}12,5{NB}%"
    assert F.value_with_unit(40, " antal ", " under ") == f"under{NB}40"
    assert F.value_with_unit(40, None, "okänd") == "40"
    assert F.value_with_unit(40, "procent", None, float("nan")) == f"40{NB}%"
    assert F.value_with_unit(3, "ordningstal", "ca") == "3:e"


# -- markup ----------------------------------------------------------------------------------
def test_tag_writes_attributes_in_order_and_leaves_out_none_and_false():
    assert F.tag("br") == "<br></br>"
    assert (
        F.tag("td", "1", id=None, class_="num", data_rad=2, hidden=True, open=False)
        == '<td class="num" data-rad="2" hidden>1</td>'
    )
    assert F.tag("a", "x", href="?a=1&b='2'") == '<a href="?a=1&amp;b=&#x27;2&#x27;">x</a>'


def test_cells_render_as_data_or_header_cells_with_their_classes():
    assert F.Cell("<x>").render() == "<td>&lt;x&gt;</td>"
    assert F.Cell(1100, num=True).render() == '<td class="num">1100</td>'
    assert F.Cell("a", cls="hl").render(header=True) == '<th class="hl">a</th>'
    assert F.Cell("a", num=True, cls="hl").render() == '<td class="num hl">a</td>'
    assert F.Cell(None, markup="<b>b</b>").render() == "<td><b>b</b></td>"
    assert F.Cell(None).render() == f"<td>{F.MISSING}</td>"


def test_a_table_is_caption_head_and_body_in_that_order():
    html = F.table(
        ["Insats", "Antal"],
        [["MHFA", F.Cell(291, num=True)], ["<ACT>", F.Cell("150")]],
        caption="Nådda personer",
    )
    assert html == (
        '<table class="data"><caption>Nådda personer</caption>'
        '<thead><tr><th scope="col">Insats</th><th scope="col">Antal</th></tr></thead>'
        '<tbody><tr><td>MHFA</td><td class="num">291</td></tr>'
        "<tr><td>&lt;ACT&gt;</td><td>150</td></tr></tbody></table>"
    )


def test_a_table_without_caption_and_an_empty_table():
    assert F.table(["A & B"], iter([["x"]]), cls="smal") == (
        '<table class="smal"><thead><tr><th scope="col">A &amp; B</th></tr></thead>'
        "<tbody><tr><td>x</td></tr></tbody></table>"
    )
    assert F.table(["A"], []) == '<p class="empty">Inga rader att visa.</p>'
    assert F.table(["A"], [], empty="<Inget>") == '<p class="empty">&lt;Inget&gt;</p>'


def test_a_citation_links_to_its_numbered_note_and_the_note_reads_in_full():
    notes = F.Footnotes(documents={"plan": "Handlingsplan <2018>"})
    first = notes.cite("plan", "3.2", "Vi ska nå 300 elever")
    assert first == '<sup class="fn"><a href="#kalla-1">[1]</a></sup>'
    assert notes.cite("okänt-dok", None, None) == (
        '<sup class="fn"><a href="#kalla-2">[2]</a></sup>'
    )
    assert notes.cite("plan", "3.2", "Vi ska nå 300 elever") == first
    assert notes.render() == (
        '<ol class="kallor">'
        '<li id="kalla-1"><cite>Handlingsplan &lt;2018&gt;</cite>, avsnitt ”3.2”: '
        "<q>Vi ska nå 300 elever</q></li>"
        '<li id="kalla-2"><cite>okänt-dok</cite></li>'
        "</ol>"
    )


def test_a_note_with_only_a_section_or_only_a_quote_and_notes_told_apart_by_them():
    notes = F.Footnotes()
    a = notes.cite("d", 4, None)
    b = notes.cite("d", None, 4)
    c = notes.cite("d", float("nan"), "")
    assert (a, b, c) != (a, a, a) and "[3]" in c
    assert notes.notes == [("d", "4", ""), ("d", "", "4"), ("d", "", "")]
    assert notes.render() == (
        '<ol class="kallor">'
        '<li id="kalla-1"><cite>d</cite>, avsnitt ”4”</li>'
        '<li id="kalla-2"><cite>d</cite>: <q>4</q></li>'
        '<li id="kalla-3"><cite>d</cite></li>'
        "</ol>"
    )
    assert F.Footnotes().render() == '<p class="empty">Inga källhänvisningar.</p>'


def test_html_shows_as_markup_and_as_a_plain_hint_in_a_text_frontend():
    plain = F.HTML("<p>a</p>")
    assert repr(plain) == "(se HTML-versionen)" and plain.__html__() == "<p>a</p>"
    both = F.HTML("<p>a</p>", plain="a") + F.HTML("<p>b</p>", plain="b")
    assert str(both) == "<p>a</p><p>b</p>" and repr(both) == "a"
