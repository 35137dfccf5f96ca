"""The grant's rules as figures: against the seeds' final report and on small cases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from grantstats import load
from grantstats.computing import rules
from grantstats.resources import sample_workbook


@pytest.fixture(scope="module")
def sample():
    return load(sample_workbook())


def _rules(wb, as_of=None):
    as_of = as_of if as_of is not None else rules.default_as_of(wb.costs, wb.requisitions)
    return (rules.grant_rules(wb.projects, wb.grants, wb.costs, wb.requisitions, as_of),
            rules.warnings(wb.projects, wb.grants, wb.costs, wb.requisitions, as_of))


def test_the_regional_project_pays_back_what_it_did_not_spend(sample):
    """Seed 003: 1 189 000 kr paid out, 1 027 607 kr spent; the 100 000 kr held back is
    not paid, since spending is below what was paid out."""
    table, _ = _rules(sample)
    reg = table.loc["REG-2009"]
    assert reg["paid_out"] == 1_189_000
    assert reg["to_repay"] == 161_393
    assert reg["final_payment_due"] == 0
    assert reg["allowed_before_final_report"] == 1_289_000 - 100_000
    assert reg["held_back"] == 100_000
    assert reg["report_due"] == pd.Timestamp("2011-01-20")
    assert reg["status"] == "ended"


def test_the_as_of_date_is_the_latest_date_in_the_workbook(sample):
    assert rules.default_as_of(sample.costs, sample.requisitions) == pd.Timestamp("2010-12-31")


def test_the_sample_warns_of_what_it_leaves_open(sample):
    _, found = _rules(sample)
    by = set(zip(found["project_id"], found["code"], strict=True))
    assert ("TRAFF-2008", "nothing_requisitioned_after_end") in by
    assert ("TRAFF-2008", "no_costs_recorded") in by
    assert not any(pid == "REG-2009" for pid, _code in by)


def _book(write_xlsx, *, end="2010-12-31", due="2011-01-20", share=0.2, grant=500_000,
          requisitions=(), costs=()):
    sheets = {
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date.fromisoformat(end)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp", "innehållen_andel",
                    "slutrapport_senast"],
                   ["P1", dt.date(2009, 11, 5), grant, share,
                    dt.date.fromisoformat(due) if due else None]],
        "rekvisitioner": [["projekt_id", "datum", "belopp"],
                          *[["P1", dt.date.fromisoformat(d), a] for d, a in requisitions]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      *[["P1", dt.date.fromisoformat(d), "personal", a] for d, a in costs]],
    }
    return load(write_xlsx(sheets))


def test_requisitioned_above_what_is_allowed_before_the_final_report(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-06-30", 450_000)],
               costs=[("2010-06-30", 450_000)])
    table, found = _rules(wb)
    assert table.loc["P1", "allowed_before_final_report"] == 400_000
    assert ("P1", "requisitioned_above_allowed") in set(
        zip(found["project_id"], found["code"], strict=True))
    (params,) = found.loc[found["code"] == "requisitioned_above_allowed", "params"]
    assert params == {"requisitioned": 450_000, "allowed": 400_000}


def test_a_project_still_running_is_running_and_not_late(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-03-31", 100_000)],
               costs=[("2010-03-31", 80_000)])
    table, found = _rules(wb)  # as of 2010-03-31, before the end
    assert table.loc["P1", "status"] == "running"
    assert "nothing_requisitioned_after_end" not in set(found["code"])


def test_a_final_report_past_its_date_with_money_held_back_is_late(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-06-30", 400_000)],
               costs=[("2011-03-01", 0), ("2010-06-30", 480_000)], end="2010-12-31")
    table, found = _rules(wb, as_of=pd.Timestamp("2011-03-01"))
    assert table.loc["P1", "status"] == "late"
    assert table.loc["P1", "final_payment_due"] == 80_000
    assert "costs_outside_period" in set(found["code"])


def test_a_report_past_its_date_with_nothing_open_is_only_ended(write_xlsx):
    wb = _book(write_xlsx, share=0.0, requisitions=[("2010-06-30", 500_000)],
               costs=[("2010-06-30", 500_000)])
    table, _ = _rules(wb, as_of=pd.Timestamp("2012-01-01"))
    assert table.loc["P1", "status"] == "ended"


def test_costs_outside_the_period_name_their_rows(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-06-30", 100_000)],
               costs=[("2009-12-15", 1_000), ("2010-06-30", 99_000), ("2011-02-01", 2_000)])
    _, found = _rules(wb)
    (params,) = found.loc[found["code"] == "costs_outside_period", "params"]
    assert params["count"] == 2 and params["amount"] == 3_000
    assert params["rows"] == "2, 4" and params["sheet"] == "kostnader"


def test_above_the_grant_and_no_report_date(write_xlsx):
    wb = _book(write_xlsx, due="", grant=100_000, requisitions=[("2010-06-30", 120_000)],
               costs=[("2010-06-30", 130_000)])
    _, found = _rules(wb)
    assert {"requisitioned_above_granted", "spent_above_granted",
            "holdback_but_no_report_due"} <= set(found["code"])


def test_inputs_are_left_as_they_were(sample):
    before = {k: t.copy() for k, t in sample.tables.items()}
    _rules(sample)
    for key, table in sample.tables.items():
        pd.testing.assert_frame_equal(table, before[key])


def test_the_share_of_the_period_passed_counts_days_and_stops_at_the_end(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-03-31", 100_000)],
               costs=[("2010-03-31", 80_000)])
    table, _ = _rules(wb)
    share = rules.elapsed_share(wb.projects, table["status"], pd.Timestamp("2010-03-31"))
    assert share["P1"] == pytest.approx(90 / 365)  # 1 January to 31 March, both counted
    ended = rules.elapsed_share(wb.projects, pd.Series({"P1": "ended"}),
                                pd.Timestamp("2010-03-31"))
    assert ended["P1"] == 1.0  # an ended project is held to its whole budget
