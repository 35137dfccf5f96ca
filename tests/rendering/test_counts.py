"""Counts of people as every document shows them: one function for report and statement."""

from __future__ import annotations

import pandas as pd
import pytest

from grantstats import load
from grantstats.computing.results import Figures
from grantstats.contract import DEFAULT_AGE_BANDS
from grantstats.rendering.counts import age_groups, age_label, sources
from grantstats.resources import sample_workbook


def _ages(counts: list[int], pid: str = "P1") -> pd.DataFrame:
    return pd.DataFrame({"project_id": pid, "age_group": [b.label for b in DEFAULT_AGE_BANDS],
                         "count": counts})


def _shown(table: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(table["age_group"], table["shown"], strict=True))


@pytest.mark.parametrize(("lang", "labels"), [
    ("sv", ["0–17 år", "18 år och äldre", "alla åldrar", "18 år", "18–19 år"]),
    ("en", ["0–17 years", "18 years and older", "all ages", "18 years", "18–19 years"]),
])
def test_age_labels_in_the_readers_language(lang, labels):
    assert [age_label(0, 17, lang), age_label(18, None, lang), age_label(0, None, lang),
            age_label(18, 18, lang), age_label(18, 19, lang)] == labels


def test_the_samples_referrals_under_18_are_shown_merged_above():
    wb = load(sample_workbook())
    f = Figures.of(wb, "REG-2009")
    ages = age_groups(f.by_age, wb.age_bands)
    assert _shown(ages.table) == [("0–17 år", "10"), ("18 år och äldre", "4"), ("Totalt", "14")]
    assert ages.merged == {"REG-2009"}
    english = age_groups(f.by_age, wb.age_bands, "en")
    assert _shown(english.table) == [("0–17 years", "10"), ("18 years and older", "4"),
                                     ("Total", "14")]


def test_what_merging_cannot_reach_is_hidden_per_project():
    both = pd.concat([_ages([1, 1, 0], "P1"), _ages([10, 0, 5], "P2")], ignore_index=True)
    ages = age_groups(both, DEFAULT_AGE_BANDS)
    p1 = ages.table[ages.table["project_id"] == "P1"]
    p2 = ages.table[ages.table["project_id"] == "P2"]
    # two people in all: one group, and its count (the total) hidden
    assert _shown(p1) == [("alla åldrar", "<3"), ("Totalt", "<3")]
    assert _shown(p2) == [("0–17 år", "10"), ("18–19 år", "0"), ("20 år och äldre", "5"),
                          ("Totalt", "15")]
    assert ages.merged == {"P1"}
    unmasked = age_groups(both, DEFAULT_AGE_BANDS, threshold=None)
    assert list(unmasked.table["shown"]) == ["1", "1", "0", "2", "10", "0", "5", "15"]
    assert unmasked.merged == frozenset()


def test_small_sources_are_gathered_under_others():
    by_source = pd.DataFrame({"project_id": "P1", "source": ["Polisen", "Skolan", "", "BUP"],
                              "count": [5, 1, 4, 1]})
    shown = sources(by_source, "sv")
    assert list(zip(shown.table["source"], shown.table["shown"], strict=True)) == [
        ("Polisen", "5"), ("(okänd)", ".."), ("Övriga", "<3"), ("Totalt", "11")]
    assert shown.merged == {"P1"}
    assert list(sources(by_source, "en").table["source"]) == [
        "Polisen", "(unknown)", "Others", "Total"]
