"""The bundled sample is what scripts/build_sample.py builds, and it says what is made up."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from grantstats import load
from grantstats.resources import sample_workbook

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("build_sample", ROOT / "scripts" /
                                                  "build_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_sample_equals_a_fresh_build(tmp_path):
    fresh = load(_builder().build(tmp_path / "exempel.xlsx"))
    committed = load(sample_workbook())
    for key, table in committed.tables.items():
        pd.testing.assert_frame_equal(table, fresh.tables[key], check_dtype=True)


def test_sample_loads_without_problems_and_lists_its_extra_sheets():
    wb = load(sample_workbook())
    ignored = {p.params["name"] for p in wb.notes if p.code == "note.sheet_ignored"}
    assert {"instruktioner", "källor"} <= ignored


def test_made_up_rows_are_marked_illustrative_and_real_rows_are_not():
    t = load(sample_workbook()).tables
    assert t["costs"]["illustrative"].all()
    assert t["referrals"]["illustrative"].all()
    assert not t["costs"].empty and not t["referrals"].empty


def test_the_789_tkr_decision_says_only_the_total_is_known():
    grants = load(sample_workbook()).tables["grants"]
    row = grants[grants["amount"] == 789_000].iloc[0]
    assert "2009-01-16" in row["note"] and "bara summan" in row["note"]


def test_sample_holds_no_personal_data_columns():
    t = load(sample_workbook()).tables
    assert "age" not in t["referrals"].dropna(axis=1, how="all").columns
