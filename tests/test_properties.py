"""Property-based tests (hypothesis) for what meets user input: Swedish numbers typed in
Excel, and the formatters that show them again."""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from report_utils import formatting as F
from report_utils.loading import CellError, parse_number

SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009"])
settings.register_profile("project", max_examples=150, deadline=None)
settings.load_profile("project")


def swedish(n: int, space: str) -> str:
    """1234567 → '1 234 567' with the given thousands separator."""
    text = f"{abs(n):,}".replace(",", space)
    return ("−" if n < 0 else "") + text


@given(st.integers(min_value=-(10**9), max_value=10**9), SPACES)
@example(1100, " ")
@example(1100, "\u00a0")
def test_whole_numbers_with_any_thousands_space_are_read_exactly(n, space):
    assert parse_number(swedish(n, space)) == n


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=99),
    SPACES,
    st.booleans(),
)
def test_decimal_comma_and_percent_sign_are_read(whole, decimals, space, percent):
    text = f"{swedish(whole, space)},{decimals:02d}" + (f"{space}%" if percent else "")
    assert math.isclose(parse_number(text), whole + decimals / 100)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 1)))
def test_a_formatted_number_reads_back_as_the_same_number(value):
    assert math.isclose(parse_number(F.number(value)), value, abs_tol=1e-9)
    assert math.isclose(parse_number(F.percent(value)), value, abs_tol=1e-9)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö!?", min_size=1, max_size=8))
def test_words_are_refused_never_read_as_a_number(word):
    try:
        parse_number(word)
    except CellError:
        return
    raise AssertionError(f"{word!r} was read as a number")


@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["ca", "drygt", "över", "under", "minst", "exakt", None]),
)
def test_a_qualified_figure_keeps_its_qualifier_and_its_number(value, qualifier):
    text = F.value_with_unit(value, "antal", qualifier)
    if qualifier and qualifier != "exakt":
        assert text.startswith(qualifier + "\u00a0")
        text = text.removeprefix(qualifier + "\u00a0")
    assert parse_number(text) == value


@given(
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["minuter", "år", "procent", "dagar", "antal"]),
)
def test_a_range_keeps_both_ends_and_its_unit(low, span, unit):
    text = F.value_with_unit(low, unit, "intervall", low + span)
    start, _, rest = text.partition("–")
    assert parse_number(start) == low
    if unit == "antal":
        assert parse_number(rest) == low + span
    elif unit == "procent":
        assert rest.endswith("\u00a0%")
    else:
        assert rest.endswith("\u00a0" + unit)


@given(st.one_of(st.none(), st.just(float("nan")), st.just(""), st.just("  ")))
def test_missing_is_never_shown_as_zero(value):
    for shown in (F.number(value), F.percent(value), F.value_with_unit(value, "antal")):
        assert shown == F.MISSING
