"""The report's sections, built without a kernel: what each language calls things."""

from __future__ import annotations

import datetime as dt

import pytest

from grantstats import load
from grantstats.sections import Report


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
