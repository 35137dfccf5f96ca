"""The comparison itself: rows paired on content (docs/diff.md), figures from summary documents."""

from __future__ import annotations

import copy
import datetime as dt

import pandas as pd
import pytest

import grantstats
from grantstats.computing.changes import Changes, Source, compare, figure_changes, row_changes
from grantstats.rendering.summary import summary_document

HEAD = ["projekt_id", "datum", "kategori", "belopp", "beskrivning"]


def costs(*rows: list) -> dict[str, list[list]]:
    return {"projekt": [["projekt_id", "namn"], ["P1", "Ett"], ["P2", "Två"]],
            "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2020, 1, 1), 9e5]],
            "kostnader": [HEAD, *rows]}


def rows_of(write_xlsx, old: dict, new: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    before = grantstats.load(write_xlsx(old), cache=False)
    after = grantstats.load(write_xlsx(new), cache=False)
    return row_changes(before.tables, after.tables)


JAN = ["P1", dt.date(2020, 1, 31), "personal", 100, "Lön"]
FEB = ["P1", dt.date(2020, 2, 29), "personal", 200, "Lön"]
MAR = ["P1", dt.date(2020, 3, 31), "resor", 300, "Resa"]


def summary(rows: pd.DataFrame) -> list[tuple]:
    return [(r.sheet, r.change, None if pd.isna(r.old_row) else r.old_row,
             None if pd.isna(r.new_row) else r.new_row) for r in rows.itertuples()]


def test_equal_rows_pair_as_a_multiset(write_xlsx):
    rows, cells = rows_of(write_xlsx, costs(JAN, JAN, FEB, JAN), costs(FEB, JAN, JAN))
    assert summary(rows) == [("costs", "removed", 5, None)]  # the last copy of JAN
    assert set(cells["column"]) == {"project_id", "date", "category", "amount",
                                    "description"}


def test_a_changed_date_alone_is_a_changed_row(write_xlsx):
    moved = ["P1", dt.date(2020, 4, 30), "resor", 300, "Resa"]
    rows, cells = rows_of(write_xlsx, costs(JAN, FEB, MAR), costs(JAN, FEB, moved))
    assert summary(rows) == [("costs", "changed", 4, 4)]
    assert cells[["column", "old", "new"]].values.tolist() == [
        ["date", "2020-03-31", "2020-04-30"]]


def test_two_columns_changed_pair_on_the_identifying_columns(write_xlsx):
    edited = ["P1", dt.date(2020, 3, 31), "resor", 350, "Tåg"]
    rows, cells = rows_of(write_xlsx, costs(JAN, FEB, MAR), costs(JAN, FEB, edited))
    assert summary(rows) == [("costs", "changed", 4, 4)]
    assert cells[["column", "old", "new"]].values.tolist() == [
        ["amount", 300.0, 350.0], ["description", "Resa", "Tåg"]]


def test_rows_changed_in_an_identifying_column_and_more_are_removed_and_added(write_xlsx):
    other = ["P1", dt.date(2020, 4, 30), "resor", 350, "Resa"]
    rows, _cells = rows_of(write_xlsx, costs(JAN, FEB, MAR), costs(JAN, FEB, other))
    assert summary(rows) == [("costs", "added", None, 4), ("costs", "removed", 4, None)]


def test_an_edit_pairs_with_its_own_row_among_similar_ones(write_xlsx):
    """The sample's monthly rows differ only in their date: an edited amount pairs with
    the row of its own month, not with the first one left."""
    months = [["P1", dt.date(2020, m, 28), "personal", 100, "Lön"] for m in range(1, 7)]
    edited = [list(r) for r in months]
    edited[3][3] = 150
    rows, cells = rows_of(write_xlsx, costs(*months), costs(*edited))
    assert summary(rows) == [("costs", "changed", 5, 5)]
    assert cells["column"].tolist() == ["amount"]


def test_a_project_id_renamed_everywhere_is_a_change_of_that_column(write_xlsx):
    old = costs(JAN, FEB)
    new = copy.deepcopy(old)
    new["projekt"][1][0] = "P9"
    new["beslut"][1][0] = "P9"
    for row in new["kostnader"][1:]:
        row[0] = "P9"
    rows, cells = rows_of(write_xlsx, old, new)
    assert {r.change for r in rows.itertuples()} == {"changed"}
    assert rows["sheet"].tolist() == ["projects", "grants", "costs", "costs"]
    assert set(cells["column"]) == {"project_id"}
    assert set(cells["old"]) == {"P1"} and set(cells["new"]) == {"P9"}


def test_a_sheet_only_in_one_version_is_all_added(write_xlsx):
    old = costs(JAN)
    new = costs(JAN)
    new["finansiering"] = [["projekt_id", "källa", "belopp"], ["P1", "Kommunen", 5000]]
    rows, cells = rows_of(write_xlsx, old, new)
    assert summary(rows) == [("financing", "added", None, 2)]
    assert cells["new"].tolist() == ["P1", "Kommunen", 5000.0]


# ---------------------------------------------------------------- figures from documents

@pytest.fixture(scope="module")
def sample_doc():
    from grantstats.resources import sample_workbook

    return summary_document(grantstats.load(sample_workbook()))


def test_figures_compare_from_summary_documents_alone(sample_doc):
    new = copy.deepcopy(sample_doc)
    reg = next(p for p in new["projects"] if p["project_id"] == "REG-2009")
    reg["spent"] += 12500
    reg["referrals"]["by_source"]["Skolan"] = 2
    new["workbook"]["sha256"] = "f" * 64
    changes = compare(sample_doc, new)
    assert changes.rows is None and changes.cells is None
    doc = changes.to_json()
    assert doc["rows"] is None
    assert doc["figures"] == [
        {"project_id": "REG-2009", "figure": "spent", "old": 1027607.0, "new": 1040107.0,
         "difference": 12500.0},
        {"project_id": "REG-2009", "figure": "referrals.by_source.Skolan", "old": 0, "new": 2,
         "difference": 2},
    ]
    assert isinstance(doc["figures"][1]["new"], int)
    assert changes.differ and not changes.identical


def test_sums_in_another_order_are_no_change_and_a_missing_share_is(sample_doc):
    new = copy.deepcopy(sample_doc)
    traff = next(p for p in new["projects"] if p["project_id"] == "TRAFF-2008")
    traff["applied"] += 1e-9  # the same rows summed in another order
    traff["utilisation"] = None  # nothing granted any more
    figures = figure_changes(sample_doc, new)
    assert figures[["project_id", "figure", "old", "new"]].values.tolist() == [
        ["TRAFF-2008", "utilisation", 0.0, None]]
    assert figures["difference"].tolist() == [None]


def test_projects_added_and_removed(sample_doc):
    new = copy.deepcopy(sample_doc)
    gone = new["projects"].pop(0)
    fresh = copy.deepcopy(gone)
    fresh["project_id"] = "NY-2011"
    new["projects"].append(fresh)
    changes = compare(sample_doc, new)
    assert changes.projects_added == ["NY-2011"] and changes.projects_removed == ["TRAFF-2008"]
    added = changes.figures[changes.figures["change"] == "added"]
    assert added["figure"].tolist() == ["applied", "granted", "remaining_to_requisition"]
    assert added["old"].isna().all() and added["difference"].isna().all()


def test_no_changes_of_identical_files():
    same = Source("a.xlsx", "0" * 64)
    changes = Changes.none(same, Source("b.xlsx", "0" * 64))
    assert changes.identical and not changes.differ
    assert changes.to_json() == {"old": {"path": "a.xlsx", "sha256": "0" * 64},
                                 "new": {"path": "b.xlsx", "sha256": "0" * 64},
                                 "figures": [], "rows": []}
    assert changes.row_counts().to_numpy().sum() == 0
