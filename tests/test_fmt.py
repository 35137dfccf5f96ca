"""Amounts, percentages and dates in Swedish (default) and English."""

from __future__ import annotations

import datetime as dt

import pytest

from grantstats import fmt

MINUS, NB = "\u2212", "\u00a0"


def test_amounts_are_swedish_with_no_break_spaces():
    assert fmt.amount(1_027_607) == f"1{NB}027{NB}607{NB}kr"
    assert fmt.amount(1_027_607, "en") == f"SEK{NB}1,027,607"


@pytest.mark.parametrize(("value", "shown"), [(2.5, "3"), (3.5, "4"), (-2.5, f"{MINUS}3"),
                                               (0.49, "0"), (1_189_000.5, f"1{NB}189{NB}001")])
def test_kronor_round_half_away_from_zero(value, shown):
    assert fmt.amount(value) == f"{shown}{NB}kr"


@pytest.mark.parametrize(("value", "shown"), [
    (47_075.49999999999, f"47{NB}076"), (47_075.50000000001, f"47{NB}076"),
    (-47_075.49999999999, f"{MINUS}47{NB}076"), (47_075.494, f"47{NB}075"),
    (0.4999999999, "1")])
def test_a_sum_of_ore_is_rounded_as_the_ore_it_is(value, shown):
    """Money is kept to the öre: a float sum a hair under ,50 is ,50, and shows the same
    krona whichever order the amounts were summed in."""
    assert fmt.amount(value) == f"{shown}{NB}kr"
    costs = [1712.99, 3588.82, 4736.21, 3627.3, 16025.49, 17384.69]
    assert fmt.amount(sum(costs)) == fmt.amount(sum(reversed(costs))) == f"47{NB}076{NB}kr"


def test_negative_numbers_have_the_minus_sign_not_a_hyphen():
    assert fmt.amount(-118_302) == f"{MINUS}118{NB}302{NB}kr"
    assert fmt.amount(-118_302, "en") == f"{MINUS}SEK{NB}118,302"
    assert fmt.amount(-12_500.5, exact=True) == f"{MINUS}12{NB}500,50{NB}kr"
    assert fmt.number(-1234.5, "en", 1) == f"{MINUS}1,234.5"
    assert fmt.percent(-0.05) == f"{MINUS}5{NB}%"
    assert "-" not in fmt.amount(-1) + fmt.number(-1) + fmt.percent(-1)


@pytest.mark.parametrize("value", [-0.4, -0.0, -1e-9])
def test_a_negative_that_rounds_to_zero_has_no_sign(value):
    assert fmt.amount(value) == f"0{NB}kr"
    assert fmt.number(value, "en") == "0"
    assert fmt.percent(value / 1000) == f"0{NB}%"


def test_amounts_never_break():
    for shown in (fmt.amount(-1_027_607), fmt.amount(1_027_607, "en"), fmt.percent(0.5)):
        assert " " not in shown


@pytest.mark.parametrize(("given", "shown"), [
    ("0-17 år", "0\u201317 år"), ("2009-2010", "2009\u20132010"), ("18-19", "18\u201319"),
    ("801-09-060935", "801-09-060935"), ("2024-05-01", "2024-05-01"), ("P-1", "P-1"),
])
def test_number_ranges_get_an_en_dash(given, shown):
    assert fmt.ranges(given) == shown


def test_missing_values_show_a_dash():
    assert fmt.amount(None) == fmt.percent(float("nan")) == fmt.date(None) == "–"


def test_percent_and_dates():
    assert fmt.percent(0.797) == f"80{NB}%"
    assert fmt.date(dt.date(2011, 1, 20)) == "20 januari 2011"
    assert fmt.date(dt.date(2011, 1, 20), "en") == "20 January 2011"
