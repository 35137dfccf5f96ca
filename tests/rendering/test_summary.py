"""The summary document's rule figures and warnings, on the sample and on small cases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from grantstats import Figures, load
from grantstats.rendering.summary import summary_document, summary_text, warning_line
from grantstats.resources import sample_workbook


@pytest.fixture(scope="module")
def sample():
    return load(sample_workbook())


def _book(write_xlsx, *, start="2010-01-01", end="2010-12-31", due="2011-01-20", share=0.2,
          grant=500_000, requisitions=(), costs=()):
    def day(text):
        return dt.date.fromisoformat(text)

    return load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"], ["P1", "Ett", day(start), day(end)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp", "innehållen_andel",
                    "slutrapport_senast"],
                   ["P1", dt.date(2009, 11, 5), grant, share, day(due) if due else None]],
        "rekvisitioner": [["projekt_id", "datum", "belopp"],
                          *[["P1", day(d), a] for d, a in requisitions]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      *[["P1", day(d), "personal", a] for d, a in costs]],
    }))


def _project(wb, as_of=None, lang="sv"):
    (project,) = summary_document(wb, lang=lang, as_of=as_of)["projects"]
    return project


def _codes(project):
    return [w["code"] for w in project["warnings"]]


def test_the_sample_pays_back_what_it_did_not_spend(sample):
    doc = summary_document(sample)
    reg = next(p for p in doc["projects"] if p["project_id"] == "REG-2009")
    assert reg["to_repay"] == 161_393 and reg["final_payment_due"] == 0
    assert reg["paid_out"] == reg["requisitioned"] == 1_189_000
    assert reg["allowed_before_final_report"] == 1_189_000
    assert reg["status"] == "ended"
    assert reg["holdback_outstanding"] == 100_000  # kept, with its meaning
    assert doc["as_of"] == "2010-12-31"
    assert sum(p["granted"] for p in doc["projects"]) == 2_089_000
    table = summary_text(doc)
    assert "Att betala tillbaka" in table and "161\u00a0393\u00a0kr" in table


def test_figures_carry_the_rules_once_and_per_project(sample):
    everything = Figures.of(sample)
    assert everything.as_of == pd.Timestamp("2010-12-31")
    one = Figures.of(sample, "REG-2009")
    assert one.as_of == everything.as_of  # the whole workbook's date, not the project's
    pd.testing.assert_frame_equal(one.rules, everything.rules.loc[["REG-2009"]])
    assert Figures.of(sample, as_of=dt.date(2010, 6, 30)).rules.loc[
        "JOUR-2010", "status"] == "running"


def test_requisitioned_above_the_allowed_amount(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-06-30", 450_000)],
               costs=[("2010-06-30", 300_000), ("2010-12-31", 150_000)])
    p = _project(wb)
    assert p["allowed_before_final_report"] == 400_000
    assert "requisitioned_above_allowed" in _codes(p)
    (message,) = [w["message"] for w in p["warnings"]
                  if w["code"] == "requisitioned_above_allowed"]
    assert message.startswith("450\u00a0000\u00a0kr är rekvirerat, mer än de 400\u00a0000\u00a0kr")
    assert " — " in message  # with the fix


def test_a_project_still_running(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-03-31", 200_000)],
               costs=[("2010-05-31", 120_000)])
    p = _project(wb)  # as of 31 May, before the end
    assert p["status"] == "running"
    assert p["to_repay"] == 80_000  # so far: what is paid out and not yet used
    assert _codes(p) == []
    assert _project(wb, as_of=dt.date(2011, 1, 1))["status"] == "ended"


def test_a_late_final_report(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-06-30", 400_000)],
               costs=[("2010-06-30", 480_000)])
    p = _project(wb, as_of=dt.date(2011, 3, 1), lang="en")
    assert p["status"] == "late"
    assert p["final_payment_due"] == 80_000 and p["to_repay"] == 0
    assert _project(wb, as_of=dt.date(2011, 1, 20))["status"] == "ended"  # due that day


def test_costs_outside_the_period(write_xlsx):
    wb = _book(write_xlsx, requisitions=[("2010-06-30", 100_000)],
               costs=[("2009-12-15", 1_000), ("2010-06-30", 99_000), ("2011-02-01", 2_000)])
    p = _project(wb, lang="en")
    assert _codes(p) == ["costs_outside_period"]
    assert p["warnings"][0]["message"].startswith(
        "2 costs totalling SEK\u00a03,000 fall outside the project period (sheet kostnader, "
        "rows 2, 4)")


def test_nothing_requisitioned_and_no_costs_after_the_end(write_xlsx):
    wb = _book(write_xlsx, share=0.0, due="")
    p = _project(wb, as_of=dt.date(2011, 6, 1))
    assert _codes(p) == ["nothing_requisitioned_after_end", "no_costs_recorded"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_warning_has_a_message_and_a_fix(lang):
    from grantstats.computing.rules import WARNINGS

    params = {"requisitioned": 1.0, "allowed": 1.0, "granted": 1.0, "spent": 1.0,
              "held_back": 1.0, "amount": 1.0, "end": dt.date(2010, 1, 1), "count": 1,
              "rows": "2", "sheet": "kostnader"}
    for code in WARNINGS:
        message, _, fix = warning_line(code, params, lang).partition(" — ")
        assert message and fix, code
