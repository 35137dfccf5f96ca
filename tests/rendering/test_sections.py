"""The report's sections, built without a kernel: what each language calls things."""

from __future__ import annotations

import datetime as dt

import pytest

from grantstats import load
from grantstats.rendering.sections import Report


@pytest.mark.parametrize(("lang", "label"), [("sv", "(okänd)"), ("en", "(unknown)")])
def test_referrals_without_a_source_are_named_in_the_readers_language(
        write_xlsx, minimal, lang, label):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal", "källa"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 3, "Polisen"],
                             ["P1", dt.date(2020, 3, 1), "20+", 4, None]]
    report = Report(load(write_xlsx(minimal)), lang=lang, suppress_below=None)
    shown = report.by_source.loc[~report.by_source["is_total"], "source"].tolist()
    assert sorted(shown) == sorted(["Polisen", label])


def test_no_table_of_sources_when_no_referral_names_one(write_xlsx, minimal):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 3],
                             ["P1", dt.date(2020, 3, 1), "20+", 4]]
    report = Report(load(write_xlsx(minimal)), lang="en", suppress_below=None)
    html = report.outcomes("P1")
    assert "Referrals by age group" in html
    assert "(unknown)" not in html and "by source" not in html


def test_a_source_written_as_the_unknown_label_still_gets_its_table(write_xlsx, minimal):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal", "källa"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 3, "(okänd)"]]
    for lang, caption in (("sv", "Anmälningar per källa"), ("en", "Referrals by source")):
        report = Report(load(write_xlsx(minimal)), lang=lang, suppress_below=None)
        assert caption in report.outcomes("P1")


def test_a_one_project_report_has_the_same_figures_as_the_report_on_all():
    from pandas.testing import assert_frame_equal, assert_series_equal

    from grantstats.resources import sample_workbook

    wb = load(sample_workbook())
    everything = Report(wb)
    assert len(everything.projects) >= 2
    for pid in everything.projects:
        one = Report(wb, project_id=pid)
        assert list(one.summary.index) == [pid]
        assert_series_equal(one.summary.loc[pid], everything.summary.loc[pid])
        for name in ("by_category", "cumulative", "by_age", "by_source"):
            mine, all_ = getattr(one, name), getattr(everything, name)
            assert_frame_equal(mine.reset_index(drop=True),
                               all_[all_["project_id"] == pid].reset_index(drop=True),
                               check_dtype=False, check_categorical=False)
        for section in ("heading", "financing", "costs", "over_time", "outcomes", "notes"):
            assert getattr(one, section)(pid) == getattr(everything, section)(pid), section
