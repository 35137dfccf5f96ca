"""Counts of people as committee output shows them: one table for every document.

The committee report (:mod:`grantstats.rendering.sections`) and the committee statement
(:mod:`grantstats.rendering.statement`) both show referrals by age group; so that they
always show the same groups, under the same labels, with the same cells hidden, both
take them from :func:`age_groups` (and the report its sources from :func:`sources`).
The protection itself is :mod:`grantstats.computing.suppress`: adjacent age bands are
merged until each count shown reaches the threshold, small sources are gathered under
"Övriga", and what is still small is hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from grantstats.computing.suppress import (
    DEFAULT_THRESHOLD,
    merge_adjacent,
    merge_small,
    suppress,
    with_totals,
)
from grantstats.contract import AgeBand
from grantstats.texts import text


@dataclass(frozen=True)
class ShownCounts:
    """A table of counts as shown, and the projects whose rows were merged to show it.

    ``table``: project_id, the label column (``age_group`` or ``source``), ``count``,
    ``is_total`` (one total row per project, last), and ``shown``, ``hidden`` and
    ``reason`` from :func:`grantstats.computing.suppress.suppress`.
    """

    table: pd.DataFrame
    #: projects where two or more rows of the input were merged into one shown
    merged: frozenset[str]


def age_label(low: int, high: int | None, lang: str = "sv") -> str:
    """An age group as a reader reads it: ``0–17 år``, ``18 år och äldre``, ``alla åldrar``."""
    if high is None:
        return (text("report.age_all", lang) if low == 0
                else text("report.age_open", lang, low=low))
    if low == high:
        return text("report.age_one", lang, low=low)
    return text("report.age_span", lang, low=low, high=high)


def age_groups(by_age: pd.DataFrame, bands: Iterable[AgeBand], lang: str = "sv",
               threshold: int | None = DEFAULT_THRESHOLD) -> ShownCounts:
    """Referrals per project and age group (``Figures.by_age``, in band order), adjacent
    bands merged until each count reaches ``threshold``, labelled by their ages, with a
    total per project, and what is still small hidden. ``threshold`` None: as they are."""
    by_label = {b.label: b for b in bands}
    merged = merge_adjacent(by_age, "project_id", "age_group", threshold=threshold)
    ages = pd.DataFrame({
        "project_id": merged["project_id"],
        "age_group": [age_label(by_label[a].low, by_label[b].high, lang)
                      for a, b in zip(merged["first"], merged["last"], strict=True)],
        "count": merged["count"].astype("int64"),
    })
    table = suppress(with_totals(ages, "project_id", "age_group", text("report.total", lang)),
                     "project_id", threshold=threshold)
    return ShownCounts(table, frozenset(
        merged.loc[merged["first"] != merged["last"], "project_id"]))


def sources(by_source: pd.DataFrame, lang: str = "sv",
            threshold: int | None = DEFAULT_THRESHOLD) -> ShownCounts:
    """Referrals per project and source (``Figures.by_source``; no source under ``""``,
    named "(okänd)"), small sources gathered under "Övriga", with a total per project,
    and what is still small hidden. ``threshold`` None: as they are."""
    named = by_source.assign(source=by_source["source"].replace("", text("report.no_source",
                                                                          lang)))
    merged = merge_small(named, "project_id", "source", text("report.other_sources", lang),
                         threshold=threshold)
    table = suppress(with_totals(merged.drop(columns="merged"), "project_id", "source",
                                 text("report.total", lang)),
                     "project_id", threshold=threshold)
    return ShownCounts(table, frozenset(merged.loc[merged["merged"] > 1, "project_id"]))
