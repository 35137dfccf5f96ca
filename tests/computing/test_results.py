"""Figures: computed once per workbook, as one object, from the tables alone."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import grantstats
from grantstats import Figures, load
from grantstats.computing import metrics
from grantstats.computing.results import warnings_of
from grantstats.resources import sample_workbook

FIGURES = ("summary", "by_category", "cumulative", "by_age", "by_source")


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


def _interleaved(write_xlsx):
    """Two projects whose costs alternate in the ledger, some outside each one's period,
    and a third without costs."""
    sheets = {
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["A", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)],
                    ["B", "Två", dt.date(2010, 3, 1), None],
                    ["C", "Tre", dt.date(2010, 1, 1), dt.date(2010, 6, 30)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp", "innehållen_andel"],
                   ["A", dt.date(2009, 11, 5), 100_000, 0.2],
                   ["B", dt.date(2009, 11, 5), 50_000, 0],
                   ["C", dt.date(2009, 11, 5), 10_000, 0]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["A", dt.date(2009, 12, 1), "personal", 1_000.5],
                      ["B", dt.date(2010, 2, 1), "resor", 700],
                      ["A", dt.date(2010, 5, 1), "personal", 90_000],
                      ["B", dt.date(2011, 5, 1), "resor", 60_000],
                      ["A", dt.date(2011, 1, 2), "lokaler", 20_000.25],
                      ["B", dt.date(2009, 1, 1), "resor", 300]],
    }
    return load(write_xlsx(sheets))


@pytest.mark.parametrize("as_of", [None, "2010-06-30", "2011-12-31"])
def test_a_checks_warnings_are_the_figures_warnings(write_xlsx, sample, as_of):
    """``warnings_of`` (what ``grantstats check`` prints) counts the ledger in one pass;
    it gives the very warnings the full figures give."""
    wb = _interleaved(write_xlsx)
    for book in (wb, sample):
        expected = Figures.of(book, as_of=as_of).warnings
        pd.testing.assert_frame_equal(warnings_of(book, as_of=as_of), expected)
    found = warnings_of(wb).set_index("code")
    outside = found.loc["costs_outside_period"].set_index("project_id")["params"]
    assert outside["A"] == {"count": 2, "amount": 21_000.75, "rows": "2, 6",
                            "sheet": "kostnader"}
    assert outside["B"] == {"count": 2, "amount": 1_000.0, "rows": "3, 7",
                            "sheet": "kostnader"}
    assert ("C", "no_costs_recorded") in set(zip(warnings_of(wb)["project_id"],
                                                 warnings_of(wb)["code"], strict=True))


def test_a_warnings_kronor_are_the_reports_to_the_last_ore(write_xlsx):
    """Öre amounts whose float sum lands a hair off ,50: the warning's spent and the
    summary's spent are the same float, so they can never show different kronor."""
    amounts = [1712.99, 3588.82, 4736.21, 3627.3, 16025.49, 17384.69]
    sheets = {
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["A", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"],
                   ["A", dt.date(2009, 11, 5), 40_000]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      *[["A", dt.date(2009 if i % 2 else 2010, 6, 1 + i), "personal", a]
                        for i, a in enumerate(amounts)]],
    }
    wb = load(write_xlsx(sheets))
    figures = Figures.of(wb)
    found = warnings_of(wb).set_index("code")["params"]
    assert found["spent_above_granted"]["spent"] == figures.summary.loc["A", "spent"]
    outside = wb.costs[wb.costs["date"] < pd.Timestamp("2010-01-01")]
    assert found["costs_outside_period"]["amount"] == outside["amount"].sum()
    assert found["costs_outside_period"]["rows"] == "3, 5, 7"
