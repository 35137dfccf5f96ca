"""Amounts, percentages and dates in Swedish (default) and English."""

from __future__ import annotations

import datetime as dt

import pytest

from grantstats import fmt


def test_amounts_are_swedish_with_no_break_spaces():
    assert fmt.amount(1_027_607) == "1\u00a0027\u00a0607\u00a0kr"
    assert fmt.amount(1_027_607, "en") == "SEK\u00a01,027,607"


@pytest.mark.parametrize(("value", "shown"), [(2.5, "3"), (3.5, "4"), (-2.5, "-3"),
                                               (0.49, "0"), (1_189_000.5, "1\u00a0189\u00a0001")])
def test_kronor_round_half_away_from_zero(value, shown):
    assert fmt.amount(value).replace("\u2212", "-") == f"{shown}\u00a0kr"


def test_missing_values_show_a_dash():
    assert fmt.amount(None) == fmt.percent(float("nan")) == fmt.date(None) == "–"


def test_percent_and_dates():
    assert fmt.percent(0.797) == "80\u00a0%"
    assert fmt.date(dt.date(2011, 1, 20)) == "20 januari 2011"
    assert fmt.date(dt.date(2011, 1, 20), "en") == "20 January 2011"
