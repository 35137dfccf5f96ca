"""Figures: computed once per workbook, as one object, from the tables alone."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import subprocess
import sys

import pytest
from pandas.testing import assert_frame_equal

import grantstats
from grantstats import Figures, load
from grantstats.computing import metrics
from grantstats.resources import sample_workbook

FIGURES = ("summary", "by_category", "cumulative", "by_age", "by_source", "variances")


@pytest.fixture(scope="module")
def sample():
    return load(sample_workbook())


@pytest.fixture(scope="module")
def figures(sample):
    return Figures.of(sample)


def test_figures_are_the_metrics_of_the_workbook(sample, figures):
    t = sample.tables
    summary = metrics.project_summary(t["projects"], t["grants"], t["budget"], t["costs"],
                                      t["requisitions"], t["financing"])
    by_category = metrics.costs_by_category(t["costs"], t["budget"])
    expected = {
        "summary": summary, "by_category": by_category,
        "cumulative": metrics.cumulative_spend(t["projects"], t["grants"], t["costs"]),
        "by_age": metrics.referrals_by_age_group(t["referrals"], sample.age_bands),
        "by_source": metrics.referrals_by_source(t["referrals"]),
        "variances": metrics.variances(by_category, summary),
    }
    assert figures.project_id is None
    assert figures.projects == list(t["projects"]["project_id"])
    for name in FIGURES:
        assert_frame_equal(getattr(figures, name), expected[name], obj=name)


def test_one_projects_figures_are_its_rows_of_the_figures_of_all(sample, figures):
    for pid in figures.projects:
        one = Figures.of(sample, pid)
        assert one.project_id == pid and one.projects == [pid]
        assert_frame_equal(one.summary, figures.summary.loc[[pid]])
        for name in FIGURES[1:]:
            mine, everything = getattr(one, name), getattr(figures, name)
            assert_frame_equal(mine.reset_index(drop=True),
                               everything[everything["project_id"] == pid]
                               .reset_index(drop=True),
                               check_dtype=False, check_categorical=False, obj=name)


def test_an_unknown_project_has_no_figures(sample):
    with pytest.raises(KeyError):
        Figures.of(sample, "NOPE")


def test_figures_are_frozen(figures):
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.summary = None


def test_computing_figures_changes_no_input(sample):
    wb = copy.deepcopy(sample)
    before = {name: table.copy(deep=True) for name, table in wb.tables.items()}
    for pid in (None, "REG-2009"):
        Figures.of(wb, pid)
    assert list(wb.tables) == list(before)
    for name, table in wb.tables.items():
        assert_frame_equal(table, before[name], obj=name)


def test_the_report_and_the_summary_take_figures_instead_of_computing_them(
        sample, figures, monkeypatch):
    from grantstats.rendering.sections import Report
    from grantstats.rendering.summary import summary_document

    computed = summary_document(sample)
    before = {name: getattr(figures, name).copy(deep=True) for name in FIGURES}

    def no(*_args, **_kwargs):
        raise AssertionError("figures computed again")

    monkeypatch.setattr(Figures, "of", no)
    assert summary_document(sample, figures) == computed
    report = Report(sample, figures=figures, suppress_below=3)
    for pid in report.projects:  # every part, the suppressed tables included
        for part in ("heading", "budget", "over_time", "outcomes"):
            getattr(report, part)(pid)
    report.forms()
    for name in FIGURES:  # what the report made of them is its own
        assert_frame_equal(getattr(figures, name), before[name], obj=name)
    with pytest.raises(ValueError):
        Report(sample, project_id="REG-2009", figures=figures)


def test_figures_are_exported_lazily():
    assert grantstats.Figures is Figures
    assert grantstats.computing.Figures is Figures
    assert {"Figures", "Workbook", "load"} <= set(dir(grantstats))
    assert "Figures" in dir(grantstats.computing)
    code = ("import sys, grantstats, grantstats.computing; "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_an_earlier_as_of_date_leaves_out_what_came_later(sample):
    """The sample's one requisition is dated 31 December 2010: as of mid-2010 nothing is
    paid out yet, and only the costs up to that date are spent."""
    import pandas as pd

    mid = Figures.of(sample, "REG-2009", as_of=dt.date(2010, 6, 30))
    costs = sample.costs[(sample.costs["project_id"] == "REG-2009")
                         & (sample.costs["date"] <= pd.Timestamp("2010-06-30"))]
    assert mid.summary.loc["REG-2009", "spent"] == costs["amount"].sum() < 1_027_607
    assert mid.rules.loc["REG-2009", "paid_out"] == 0
    assert mid.rules.loc["REG-2009", "status"] == "running"
    later = sample.referrals[(sample.referrals["project_id"] == "REG-2009")
                             & (sample.referrals["date"] > pd.Timestamp("2010-06-30"))]
    assert mid.by_age["count"].sum() == 14 - later["count"].sum()
    # the default date leaves everything in: the seeds' figures
    full = Figures.of(sample, "REG-2009")
    assert full.summary.loc["REG-2009", "spent"] == 1_027_607
    assert full.rules.loc["REG-2009", "paid_out"] == 1_189_000
    assert full.by_age["count"].sum() == 14
