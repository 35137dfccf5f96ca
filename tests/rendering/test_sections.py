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
        # the same sections, but one level up: the h1 of a one-project report names it
        assert everything.heading(pid) == f"<h2>{one.summary.loc[pid, 'name']}</h2>" + \
            one.heading(pid)
        for section in ("budget", "over_time", "outcomes"):
            mine = getattr(one, section)(pid).replace("<h2>", "<h3>").replace("</h2>", "</h3>")
            assert mine == getattr(everything, section)(pid), section


# --- the bottom line: summary, warnings, overview with a total ------------------------------

def _plain(fragment: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u00a0", " ")


def test_the_sample_says_what_goes_back_and_that_the_holdback_is_not_paid():
    from grantstats import load
    from grantstats.rendering.sections import Report
    from grantstats.resources import sample_workbook

    report = Report(load(sample_workbook()))
    said = " ".join(_plain(report.bottom_line()).split())
    assert said.startswith("Sammanfattning Projekten har beviljats sammanlagt 2 089 000 kr.")
    assert "Uppgifterna avser t.o.m. 31 december 2010" in " ".join(_plain(report.title()).split())
    assert ("Projektet har förbrukat 1 027 607 kr av 1 189 000 kr som betalats ut. 161 393 kr "
            "ska betalas tillbaka till Länsstyrelsen i Stockholms län, och de innehållna "
            "100 000 kr betalas inte ut.") in said
    assert "Projekten har beviljats sammanlagt 2 089 000 kr." in said
    overview = " ".join(_plain(report.overview()).split())
    assert "Totalt 2 089 000 kr 1 189 000 kr 1 027 607 kr 161 393 kr 0 kr 49 %" in overview
    assert "betalas ut när slutrapporten har godkänts" not in said  # nothing is due
    assert "Innehållet" not in overview and "Kvar att rekvirera" not in overview
    assert "Att betala tillbaka" in overview and "Slututbetalning att vänta" in overview
    warned = _plain(report.warnings())
    assert "Att åtgärda" in warned and "inga kostnader är registrerade" in warned


def _one(write_xlsx, *, requisitions, costs, end="2010-12-31", share=0.2):
    import datetime as dt

    from grantstats import load

    day = dt.date.fromisoformat
    return load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), day(end)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp", "innehållen_andel",
                    "slutrapport_senast", "bidragsgivare"],
                   ["P1", dt.date(2009, 11, 5), 500_000, share, dt.date(2011, 1, 20),
                    "Länsstyrelsen"]],
        "rekvisitioner": [["projekt_id", "datum", "belopp"],
                          *[["P1", day(d), a] for d, a in requisitions]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      *[["P1", day(d), "personal", a] for d, a in costs]],
    }))


def test_a_running_project_gets_an_interim_report_without_an_underspend(write_xlsx):
    from grantstats.rendering.sections import Report

    wb = _one(write_xlsx, requisitions=[("2010-01-31", 400_000)],
              costs=[("2010-06-30", 200_000)])
    report = Report(wb, "P1")
    assert report.heading_text() == "Delrapport: Ett"
    said = " ".join(_plain(report.bottom_line()).split())
    assert "Ett (pågår)." in said
    assert "När 50 % av projekttiden har gått är 40 % av beviljat förbrukat" in said
    assert "200 000 kr av det utbetalda är ännu inte förbrukat." in said
    assert "betalas tillbaka" not in said + _plain(report.budget("P1"))


def test_the_holdback_is_promised_only_when_spending_earns_it(write_xlsx):
    import datetime as dt

    from grantstats import Figures
    from grantstats.rendering.sections import Report

    wb = _one(write_xlsx, requisitions=[("2010-06-30", 400_000)],
              costs=[("2010-12-31", 480_000)])
    report = Report(wb, "P1", lang="en")
    assert report.heading_text() == "Final report: Ett"
    said = " ".join(_plain(report.bottom_line()).split())
    assert "SEK 80,000 is paid out once the final report has been approved." in said
    late = Report(wb, "P1", figures=Figures.of(wb, "P1", as_of=dt.date(2011, 3, 1)))
    assert "Slutrapporten skulle ha lämnats senast 20 januari 2011." in " ".join(
        _plain(late.bottom_line()).split())
