"""The report's sections, built without a kernel: what each language calls things."""

from __future__ import annotations

import datetime as dt

import pandas as pd
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
        assert everything.heading(pid) == (
            f'<h2 class="gs-project" id="project-{pid}">{one.summary.loc[pid, "name"]}</h2>'
            + one.heading(pid))
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


# --- the report's shape: title block, one table per project, explanations, symbols ---------

def _said(fragment: str) -> str:
    return " ".join(_plain(fragment).split())


def test_the_title_block_says_what_who_when_and_the_case_numbers():
    from grantstats.resources import sample_workbook

    wb = load(sample_workbook())
    title = _said(Report(wb, "REG-2009").title())
    assert title.startswith("Slutrapport: Regional samordning mot prostitution och "
                            "människohandel 2009–2010 Projektmedel från Länsstyrelsen i "
                            "Stockholms län till Prostitutionsenheten, 1 januari 2009–31 "
                            "december 2010.")
    assert "Framtagen av Prostitutionsenheten" in title
    assert "Uppgifterna avser t.o.m. 31 december 2010" in title
    assert "Diarienummer 801-09-060935" in title and "59750" not in title  # P3's
    # the sample's costs and referrals are marked illustrative: one banner, up here
    assert title.count("illustrativa") == 1
    everything = Report(wb)
    assert "Prostitutionsenheten och Socialjouren" in _said(everything.title())
    assert '<span class="gs-nowrap">801-09-060935</span>, <span class="gs-nowrap">' \
        '801-09-59750</span>' in everything.title()  # a case number is never broken
    for pid in everything.projects:  # and no note of it further down
        assert "illustrativ" not in everything.outcomes(pid) + everything.budget(pid)


def test_the_contact_is_named_and_no_banner_without_illustrative_rows(write_xlsx):
    wb = load(write_xlsx({
        "projekt": [["projekt_id", "namn", "enhet", "kontakt"],
                    ["P1", "Ett", "Socialjouren", "Anna Analytiker"]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2020, 1, 15), 1000]],
    }))
    title = _said(Report(wb).title())
    assert "Framtagen av Socialjouren (kontakt: Anna Analytiker)" in title
    assert "illustrativ" not in title


def test_one_budget_table_with_explanations_and_what_lacks_one(write_xlsx):
    wb = load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 12, 1), 300_000]],
        "budget": [["projekt_id", "kategori", "belopp", "förklaring"],
                   ["P1", "personal", 200_000, "En tjänst var vakant i tre månader."],
                   ["P1", "ovrigt", 50_000, None],
                   ["P1", "lokaler", 0, None]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["P1", dt.date(2010, 12, 31), "personal", 150_000],
                      ["P1", dt.date(2010, 12, 31), "ovrigt", 10_000]],
    }))
    html = Report(wb).budget("P1")
    assert html.count("<table") == 1 and "<caption>" in html
    said = _said(html)
    assert ("Personal, inkl. sociala avgifter 200 000 kr 150 000 kr -50 000 kr -25 % En tjänst "
            "var vakant i tre månader.") in said.replace("\u2212", "-")
    assert "Övrigt 50 000 kr 10 000 kr -40 000 kr -80 % saknar förklaring" in said.replace(
        "\u2212", "-")
    assert "Lokaler" not in said  # nothing applied, nothing spent: no row
    assert "Totalt 250 000 kr 160 000 kr" in said


def test_a_project_without_costs_gets_one_sentence(write_xlsx, minimal):
    minimal["budget"] = [["projekt_id", "kategori", "belopp"], ["P1", "personal", 90_000]]
    report = Report(load(write_xlsx(minimal)))
    assert _said(report.budget("P1")) == ("Budget och utfall Inga kostnader är registrerade "
                                          "för projektet.")
    assert report.over_time("P1") == ""
    assert "-100" not in report.budget("P1")


def test_an_interim_report_holds_spending_to_the_budget_for_the_time_passed(write_xlsx):
    wb = load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 12, 1), 365_000]],
        "budget": [["projekt_id", "kategori", "belopp"], ["P1", "personal", 365_000]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["P1", dt.date(2010, 1, 31), "personal", 30_000],
                      ["P1", dt.date(2010, 12, 31), "personal", 335_000]],
    }))
    report = Report(wb, "P1", as_of="2010-01-31")  # 31 of 365 days: 31 000 kr budgeted
    assert report.heading_text() == "Delrapport: Ett"
    said = _said(report.budget("P1")).replace("\u2212", "-")
    assert "Budget t.o.m. 31 januari 2010" in said
    assert "Personal, inkl. sociala avgifter 365 000 kr 31 000 kr 30 000 kr -1 000 kr -3 %" in said
    assert "saknar förklaring" not in said  # 3 % behind: on track, not an underspend
    assert "betalas tillbaka" not in _said(report.bottom_line())


def test_small_sources_are_merged_and_the_key_explains_each_symbol_once(write_xlsx, minimal):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal", "källa"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 5, "Polisen"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 1, "Skolan"],
                             ["P1", dt.date(2020, 2, 1), "18-19", 1, "Vården"],
                             ["P1", dt.date(2020, 2, 1), "20+", 1, "BUP"]]
    report = Report(load(write_xlsx(minimal)))
    sources = report.by_source[~report.by_source["is_total"]]
    assert list(zip(sources["source"], sources["shown"], strict=True)) == [
        ("Polisen", "5"), ("Övriga", "3")]
    said = _said(report.outcomes("P1"))
    assert "sammanslagna under Övriga" in said
    assert "alla åldrar 8" in said  # 18–19 and 20+ make 2, still too few: all merged
    key = _said(report.key())
    assert key.count("..") <= 1 and key.count("<3") <= 1
    hidden = Report(load(write_xlsx({**minimal, "anmälningar": [
        ["projekt_id", "datum", "åldersgrupp", "antal", "källa"],
        ["P1", dt.date(2020, 2, 1), "0-17", 5, "Polisen"],
        ["P1", dt.date(2020, 2, 1), "0-17", 1, "Skolan"],
        ["P1", dt.date(2020, 2, 1), "0-17", 1, "Vården"]]})))
    sources = hidden.by_source
    assert list(sources["shown"]) == ["..", "<3", "7"]  # Polisen, Övriga, Totalt
    key = _said(hidden.key())
    assert key.startswith("Teckenförklaring")
    assert ".. Uppgiften visas inte, för att skydda enskilda personers integritet." in key
    assert "<3 Färre än 3 (men fler än 0)." in key


def test_the_appendix_says_the_run_in_words_and_the_footer_where_the_figures_come_from():
    from grantstats.resources import sample_workbook

    wb = load(sample_workbook())
    about = _said(Report(wb).about())
    assert "Rapporten omfattar alla projekt i arbetsboken (3 st.)." in about
    assert "det senaste datumet i arbetsbokens kostnader och rekvisitioner" in about
    assert "None" not in about and "project_id=" not in about
    earlier = _said(Report(wb, "REG-2009", as_of="2010-06-30", lang="en").about())
    assert "The figures are as of 30 June 2010, the date given" in earlier
    read = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert Report(wb).provenance(read) == (
        f"Underlag: arbetsboken exempel.xlsx (SHA-256 {wb.sha256}), läst 3 december 2026 "
        "kl. 07.00 (UTC+1).")


# --- the same figures said the same way as in the committee statement ----------------------

@pytest.mark.parametrize(("lang", "labels"), [
    ("sv", ["0–17 år", "18 år och äldre", "Totalt"]),
    ("en", ["0–17 years", "18 years and older", "Total"])])
def test_the_age_groups_are_the_shared_table_of_counts(lang, labels):
    from grantstats.rendering import counts
    from grantstats.resources import sample_workbook

    wb = load(sample_workbook())
    report = Report(wb, lang=lang)
    own = report.by_age[report.by_age["project_id"] == "REG-2009"]
    assert list(zip(own["age_group"], own["shown"], strict=True)) == list(
        zip(labels, ["10", "4", "14"], strict=True))
    shared = counts.age_groups(report.figures.by_age, wb.age_bands, lang)
    pd.testing.assert_frame_equal(report.by_age, shared.table)
    said = _said(report.outcomes("REG-2009"))
    assert ("0–17 år 10 18 år och äldre 4 Totalt 14" if lang == "sv"
            else "0–17 years 10 18 years and older 4 Total 14") in said


def test_only_a_variance_shown_over_10_percent_lacks_an_explanation(write_xlsx):
    wb = load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 12, 1), 200_000]],
        "budget": [["projekt_id", "kategori", "belopp"],
                   ["P1", "lokaler", 100_000], ["P1", "ovrigt", 100_000]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["P1", dt.date(2010, 12, 31), "lokaler", 89_600],
                      ["P1", dt.date(2010, 12, 31), "ovrigt", 89_400]],
    }))
    report = Report(wb, "P1")
    flagged = report.budget_outcome.set_index("category")["flagged"]
    assert flagged.to_dict() == {"lokaler": False, "ovrigt": True}  # −10 % and −11 % shown
    said = _said(report.budget("P1")).replace("\u2212", "-")
    assert "89 600 kr -10 400 kr -10 % Övrigt" in said
    assert "89 400 kr -10 600 kr -11 % saknar förklaring" in said
