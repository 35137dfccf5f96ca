"""Small counts of people are hidden, and cannot be worked out from what is shown."""

from __future__ import annotations

import pandas as pd
import pytest

from grantstats.suppress import suppress, with_totals


def _table(counts: list[int], group: str = "P") -> pd.DataFrame:
    labels = ["0-17", "18-19", "20+"][: len(counts)]
    return with_totals(pd.DataFrame({"project_id": group, "age_group": labels,
                                     "count": counts}), "project_id", "age_group", "Totalt")


def _shown(table: pd.DataFrame) -> dict[str, str]:
    return dict(zip(table["age_group"], table["shown"], strict=True))


def test_the_seed_referrals_hide_the_one_and_the_next_smallest():
    shown = _shown(suppress(_table([10, 3, 1]), "project_id"))
    assert shown == {"0-17": "10", "18-19": "..", "20+": "<3", "Totalt": "14"}


def test_a_single_hidden_cell_is_never_left_alone():
    shown = _shown(suppress(_table([1, 7, 9]), "project_id"))
    assert shown["0-17"] == "<3" and shown["18-19"] == ".." and shown["20+"] == "9"


def test_hidden_cells_adding_up_below_the_threshold_hide_more():
    # 1 + 1 = 2 would reveal both ones: a third cell is hidden too
    shown = _shown(suppress(_table([1, 1, 9]), "project_id"))
    assert shown == {"0-17": "<3", "18-19": "<3", "20+": "..", "Totalt": "11"}


def test_a_small_total_hides_everything():
    shown = _shown(suppress(_table([1, 1, 0]), "project_id"))
    assert shown == {"0-17": "<3", "18-19": "<3", "20+": "0", "Totalt": "<3"}


def test_zero_is_shown():
    shown = _shown(suppress(_table([0, 5, 7]), "project_id"))
    assert shown == {"0-17": "0", "18-19": "5", "20+": "7", "Totalt": "12"}


def test_threshold_none_shows_every_count():
    shown = _shown(suppress(_table([10, 3, 1]), "project_id", threshold=None))
    assert shown == {"0-17": "10", "18-19": "3", "20+": "1", "Totalt": "14"}


@pytest.mark.parametrize("counts", [[10, 3, 1], [1, 1, 9], [2, 2, 2], [1, 2, 30], [4, 1, 1]])
def test_no_hidden_count_can_be_recomputed_from_the_total(counts):
    table = suppress(_table(counts), "project_id", threshold=3)
    cells = table[~table["is_total"]]
    hidden = cells[cells["hidden"]]
    if hidden.empty:
        return
    assert len(hidden) >= 2
    assert hidden["count"].sum() >= 3
    total_row = table[table["is_total"]].iloc[0]
    if not total_row["hidden"]:
        # what the reader can compute: the hidden cells' sum; it must fit more than one split
        remaining = total_row["count"] - cells.loc[~cells["hidden"], "count"].sum()
        assert remaining == hidden["count"].sum() >= len(hidden) + 1


def test_groups_are_suppressed_separately_and_input_is_unchanged():
    both = pd.concat([_table([10, 3, 1], "A"), _table([5, 5, 5], "B")], ignore_index=True)
    before = both.copy()
    out = suppress(both, "project_id")
    pd.testing.assert_frame_equal(both, before)
    assert not out.loc[out["project_id"] == "B", "hidden"].any()
    assert out.loc[out["project_id"] == "A", "hidden"].sum() == 2
