"""The figures, asserted against the seed reports' real numbers and small made-up tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from grantstats import load
from grantstats.computing import metrics
from grantstats.contract import CATEGORY_KEYS
from grantstats.resources import sample_workbook


@pytest.fixture(scope="module")
def sample():
    return load(sample_workbook())


@pytest.fixture(scope="module")
def summary(sample):
    t = sample.tables
    return metrics.project_summary(t["projects"], t["grants"], t["budget"], t["costs"],
                                   t["requisitions"], t["financing"])


def test_regional_project_spent_matches_the_final_report(summary):
    assert summary.loc["REG-2009", "spent"] == 1_027_607


def test_regional_project_granted_is_789_tkr_plus_500_000(summary):
    assert summary.loc["REG-2009", "granted"] == 1_289_000 == 789_000 + 500_000


def test_regional_project_requisitioned_is_granted_less_the_holdback(summary):
    assert summary.loc["REG-2009", "requisitioned"] == 1_189_000
    assert summary.loc["REG-2009", "holdback_outstanding"] == 100_000 == 0.2 * 500_000
    assert summary.loc["REG-2009", "remaining_to_requisition"] == 100_000


def test_regional_project_unspent_and_utilisation(summary):
    assert summary.loc["REG-2009", "unspent_requisitioned"] == 1_189_000 - 1_027_607
    assert summary.loc["REG-2009", "utilisation"] == pytest.approx(1_027_607 / 1_289_000)


def test_applied_budgets_match_the_applications(summary):
    assert summary.loc["TRAFF-2008", "applied"] == 390_000
    assert summary.loc["JOUR-2010", "applied"] == 650_000
    assert summary.loc["REG-2009", "applied"] == 1_040_000 + 125_000


def test_emergency_service_grant_has_20_percent_held_back(summary):
    assert summary.loc["JOUR-2010", "granted"] == 550_000
    assert summary.loc["JOUR-2010", "holdback_outstanding"] == 110_000


def test_costs_by_category_match_the_final_report_form(sample):
    t = sample.tables
    cats = metrics.costs_by_category(t["costs"], t["budget"])
    reg = cats[cats["project_id"] == "REG-2009"].set_index("category")
    assert reg.loc["personal", "spent"] == 1_006_698
    assert reg.loc["verksamhet", "spent"] == 20_609
    assert reg.loc["ovrigt", "spent"] == 300
    assert reg.loc["lokaler", "spent"] == 0
    assert reg["spent"].sum() == 1_027_607
    assert list(reg.index) == list(CATEGORY_KEYS)
    assert reg.loc["personal", "applied"] == 1_125_000
    assert reg.loc["personal", "variance"] == 1_006_698 - 1_125_000


def test_referrals_by_age_group_are_10_3_1(sample):
    ages = metrics.referrals_by_age_group(sample.tables["referrals"], sample.age_bands)
    reg = ages[ages["project_id"] == "REG-2009"].set_index("age_group")["count"]
    assert reg.to_dict() == {"0-17": 10, "18-19": 3, "20+": 1}
    assert reg.sum() == 14


def test_four_referrals_came_via_the_city_police(sample):
    sources = metrics.referrals_by_source(sample.tables["referrals"]).set_index("source")
    assert sources.loc["Citypolisens prostitutionsgrupp", "count"] == 4
    assert sources["count"].sum() == 14


def test_cumulative_spend_ends_at_total_and_even_line_at_granted(sample):
    t = sample.tables
    cum = metrics.cumulative_spend(t["projects"], t["grants"], t["costs"])
    reg = cum[cum["project_id"] == "REG-2009"]
    assert len(reg) == 24
    assert reg["cumulative"].iloc[-1] == pytest.approx(1_027_607)
    assert reg["even"].iloc[-1] == pytest.approx(1_289_000)
    assert reg["even"].is_monotonic_increasing
    assert reg["illustrative"].all()


def _tables(**overrides):
    base = {
        "projects": pd.DataFrame({"project_id": ["A", "B"], "name": ["a", "b"],
                                  "start": pd.to_datetime(["2020-01-01", None]),
                                  "end": pd.to_datetime(["2020-12-31", None])}),
        "grants": pd.DataFrame({"project_id": ["A", "A"], "amount": [600.0, 400.0],
                                "holdback_share": [0.0, 0.5]}),
        "budget": pd.DataFrame({"project_id": ["A"], "category": pd.Categorical(
            ["personal"], categories=CATEGORY_KEYS), "amount": [900.0]}),
        "costs": pd.DataFrame({"project_id": ["A", "A"], "category": pd.Categorical(
            ["personal", "lokaler"], categories=CATEGORY_KEYS), "amount": [500.0, -20.0],
            "date": pd.to_datetime(["2020-01-15", "2020-03-01"]),
            "illustrative": [False, False]}),
        "requisitions": pd.DataFrame({"project_id": ["A"], "amount": [900.0]}),
        "financing": pd.DataFrame({"project_id": ["A"], "amount": [50.0]}),
    }
    base.update(overrides)
    return base


def test_holdback_outstanding_is_capped_by_what_is_not_yet_requisitioned():
    t = _tables()
    s = metrics.project_summary(**t)
    # held back 200, but only 100 is left unpaid
    assert s.loc["A", "holdback_outstanding"] == 100
    assert s.loc["A", "remaining_to_requisition"] == 100


def test_utilisation_is_missing_when_nothing_is_granted():
    s = metrics.project_summary(**_tables())
    assert pd.isna(s.loc["B", "utilisation"])
    assert s.loc["B", "granted"] == 0
    assert s.loc["A", "utilisation"] == pytest.approx(480 / 1000)


def test_negative_costs_reduce_spend():
    s = metrics.project_summary(**_tables())
    assert s.loc["A", "spent"] == 480
    assert s.loc["A", "other_financing"] == 50


def test_figures_do_not_change_their_inputs():
    t = _tables()
    copies = {k: v.copy() for k, v in t.items()}
    metrics.project_summary(**t)
    metrics.costs_by_category(t["costs"], t["budget"])
    metrics.cumulative_spend(t["projects"], t["grants"], t["costs"])
    for k in t:
        pd.testing.assert_frame_equal(t[k], copies[k])


def test_variance_pct_is_missing_where_nothing_was_applied_for():
    t = _tables()
    cats = metrics.costs_by_category(t["costs"], t["budget"]).set_index("category")
    assert cats.loc["personal", "variance_pct"] == pytest.approx((500 - 900) / 900)
    assert pd.isna(cats.loc["lokaler", "variance_pct"])


def test_cumulative_even_line_spreads_the_grant_over_the_period():
    t = _tables()
    cum = metrics.cumulative_spend(t["projects"], t["grants"], t["costs"])
    a = cum[cum["project_id"] == "A"].set_index("month")
    assert len(a) == 12
    june = a.loc[pd.Timestamp("2020-06-30")]
    assert june["even"] == pytest.approx(1000 * 182 / 366)
    assert june["cumulative"] == 480


def test_rows_behind_a_figure_carry_sheet_and_row(sample):
    rows = metrics.rows_behind(sample.tables["costs"], project_id="REG-2009",
                               category="ovrigt")
    assert rows["amount"].sum() == 300
    assert rows["sheet"].iloc[0] == "kostnader"
    assert rows["row"].iloc[0] >= 2


def test_in_month_picks_the_rows_of_one_month(sample):
    month = metrics.in_month(sample.tables["costs"], "2010-05")
    assert set(month["date"].dt.month) == {5}
    assert dt.date(2010, 5, 31) in set(month["date"].dt.date)


def test_referrals_without_a_source_are_counted_under_an_empty_name(write_xlsx, minimal):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal", "källa"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 3, "Polisen"],
                             ["P1", dt.date(2020, 3, 1), "20+", 2, None],
                             ["P1", dt.date(2020, 4, 1), "20+", 4, ""]]
    wb = load(write_xlsx(minimal))
    sources = metrics.referrals_by_source(wb.tables["referrals"]).set_index("source")["count"]
    assert sources.to_dict() == {"": 6, "Polisen": 3}


# --- the analyst's explanations next to the variances -------------------------------------

def _explained(write_xlsx):
    return load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 12, 1), 300_000]],
        "budget": [["projekt_id", "kategori", "belopp", "förklaring", "kommentar"],
                   ["P1", "personal", 200_000, "En tjänst var vakant i tre månader.", None],
                   ["P1", "lokaler", 50_000, None, "Hyran  betalades av  kommunen."],
                   ["P1", "ovrigt", 50_000, None, None]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp", "kommentar"],
                      ["P1", dt.date(2010, 12, 31), "personal", 150_000, None],
                      ["P1", dt.date(2010, 12, 31), "ovrigt", 48_000, None],
                      ["P1", dt.date(2010, 12, 31), "verksamhet", 9_000, "Studieresa"],
                      ["P1", dt.date(2010, 12, 31), "verksamhet", 1_000, "Studieresa"]],
    }))


def test_explanations_come_from_the_budget_and_the_costs_each_once(write_xlsx):
    wb = _explained(write_xlsx)
    said = metrics.explanations(wb.budget, wb.costs).set_index("category")["texts"]
    assert said["personal"] == ("En tjänst var vakant i tre månader.",)
    assert said["lokaler"] == ("Hyran betalades av kommunen.",)  # spaces as one
    assert said["verksamhet"] == ("Studieresa",)  # written on two rows, said once
    assert "ovrigt" not in said


def test_budget_outcome_marks_what_still_needs_explaining(write_xlsx):
    wb = _explained(write_xlsx)
    by_category = metrics.costs_by_category(wb.costs, wb.budget)
    elapsed = pd.Series({"P1": 1.0})
    table = metrics.budget_outcome(by_category, metrics.explanations(wb.budget, wb.costs),
                                   elapsed).set_index("category")
    assert set(table.index) == {"personal", "lokaler", "ovrigt", "verksamhet"}  # no zero rows
    assert table.loc["personal", "variance"] == -50_000
    assert table.loc["personal", "variance_pct"] == pytest.approx(-0.25)
    assert not table.loc["personal", "unexplained"]  # explained in förklaring
    assert not table.loc["lokaler", "unexplained"]  # -100 %, explained in kommentar
    assert not table.loc["ovrigt", "unexplained"]  # -4 %: within 10 %
    assert not table.loc["verksamhet", "unexplained"]  # no budget, but a comment
    assert pd.isna(table.loc["verksamhet", "variance_pct"])
    silent = metrics.budget_outcome(by_category, metrics.explanations(
        wb.budget.assign(explanation=None, note=None), wb.costs.assign(note=None)), elapsed)
    assert set(silent.loc[silent["unexplained"], "category"]) == {
        "personal", "lokaler", "verksamhet"}
    assert list(silent["flagged"]) == list(silent["unexplained"])  # nothing explained
    assert set(table.index[table["flagged"]]) == {"personal", "lokaler", "verksamhet"}


def test_a_running_project_is_held_to_the_budget_for_the_time_passed(write_xlsx):
    wb = _explained(write_xlsx)
    by_category = metrics.costs_by_category(wb.costs, wb.budget)
    table = metrics.budget_outcome(by_category, metrics.explanations(wb.budget, wb.costs),
                                   pd.Series({"P1": 0.5})).set_index("category")
    assert table.loc["personal", "expected"] == 100_000
    assert table.loc["personal", "variance"] == 50_000
    assert table.loc["ovrigt", "variance_pct"] == pytest.approx(48_000 / 25_000 - 1)


def test_over_ten_percent_means_as_the_report_shows_it(write_xlsx):
    """−10.27 % shows as "−10 %": not over 10 %, nothing to explain; −10.5 % shows as
    "−11 %" (babel rounds half to even: −10.5 → −10, so −10.6 is the first over)."""
    from grantstats import fmt

    wb = _explained(write_xlsx)
    by_category = metrics.costs_by_category(wb.costs, wb.budget).assign(
        applied=1000.0, spent=[897.3, 894.0, 1000.0, 1000.0, 1000.0, 1000.0])
    table = metrics.budget_outcome(by_category, metrics.explanations(
        wb.budget.iloc[0:0], wb.costs.iloc[0:0]), pd.Series({"P1": 1.0}))
    shown = [fmt.percent(p) for p in table["variance_pct"][:2]]
    assert shown == ["\u221210\u00a0%", "\u221211\u00a0%"] or shown == ["-10\u00a0%", "-11\u00a0%"]
    assert list(table["unexplained"][:2]) == [False, True]
    assert list(table["flagged"][:2]) == [False, True]  # what the statement says, too
