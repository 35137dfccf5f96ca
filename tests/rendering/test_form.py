"""The form's budget table, escaped HTML tables, and formula-safe Excel cells."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from grantstats.rendering.form import (
    budget_form,
    html_table,
    safe_cell,
    write_budget_forms,
)


@pytest.fixture
def form() -> pd.DataFrame:
    spent = pd.Series({"personal": 1_006_698.0, "verksamhet": 20_609.0, "ovrigt": 300.0})
    row = pd.Series({"granted": 1_289_000.0, "requisitioned": 1_189_000.0,
                     "other_financing": 0.0})
    return budget_form(spent, row)


def test_budget_form_has_the_forms_rows_in_order(form):
    assert list(form["label"]) == [
        "Personal, inkl. sociala avgifter", "Kostnader för verksamhet", "Lokaler",
        "Administration", "Utvärdering", "Övrigt", "Summa kostnader",
        "Beviljade projektmedel från länsstyrelsen", "Rekvirerat", "Annan finansiering"]
    assert form.set_index("label").loc["Summa kostnader", "amount"] == 1_027_607


def test_html_table_escapes_every_cell():
    frame = pd.DataFrame({"a": ["<b>x</b>"], "b": ['"&"']})
    text = html_table(frame, [("a", "<A>"), ("b", "B")])
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt;" in text
    assert "&lt;A&gt;" in text and "&quot;&amp;&quot;" in text


@pytest.mark.parametrize("text", ["=1+1", "+46", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-2.0, 5, "Lön", "kr = pengar"])
def test_numbers_and_plain_text_stay(value):
    assert safe_cell(value) == value


def test_budget_forms_workbook_neutralises_a_hostile_project_name(tmp_path, form):
    path = write_budget_forms({"P1": ("=HYPERLINK(\"x\")", form)}, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(path)["P1"]
    assert ws["A1"].data_type == "s" and ws["A1"].value.startswith("5. Budget")
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert 1_006_698 in values and 1_289_000 in values
