"""Small counts of people are hidden, and cannot be worked out from what is shown."""

from __future__ import annotations

import pandas as pd

from grantstats.computing.suppress import suppress, with_totals


def _table(counts: list[int], group: str = "P") -> pd.DataFrame:
    labels = ["0-17", "18-19", "20+"][: len(counts)]
    return with_totals(pd.DataFrame({"project_id": group, "age_group": labels,
                                     "count": counts}), "project_id", "age_group", "Totalt")


def _shown(table: pd.DataFrame) -> dict[str, str]:
    return dict(zip(table["age_group"], table["shown"], strict=True))


def test_the_seed_referrals_hide_the_one_and_what_would_give_it_away():
    # "<3" and one ".." (at least 3) would pin the 1 given the total 14: both others go
    shown = _shown(suppress(_table([10, 3, 1]), "project_id"))
    assert shown == {"0-17": "..", "18-19": "..", "20+": "<3", "Totalt": "14"}


def test_a_single_hidden_cell_is_never_left_alone():
    shown = _shown(suppress(_table([1, 7, 9]), "project_id"))
    assert shown["0-17"] == "<3" and shown["18-19"] == ".." and shown["20+"] == "9"


def test_hidden_cells_adding_up_below_the_threshold_hide_more():
    # 1 + 1 = 2 would reveal both ones: a third cell is hidden too
    shown = _shown(suppress(_table([1, 1, 9]), "project_id"))
    assert shown == {"0-17": "<3", "18-19": "<3", "20+": "..", "Totalt": "11"}


def test_a_small_total_hides_the_whole_split():
    shown = _shown(suppress(_table([1, 1, 0]), "project_id"))
    # hidden like any other cell: one mark, one meaning (the key says "not shown")
    assert shown == {"0-17": "..", "18-19": "..", "20+": "..", "Totalt": "<3"}


def test_two_equal_small_cells_hide_the_total():
    shown = _shown(suppress(_table([2, 2, 0]), "project_id"))
    assert shown == {"0-17": "<3", "18-19": "<3", "20+": "0", "Totalt": ".."}


def test_zero_is_shown():
    shown = _shown(suppress(_table([0, 5, 7]), "project_id"))
    assert shown == {"0-17": "0", "18-19": "5", "20+": "7", "Totalt": "12"}


def test_threshold_none_shows_every_count():
    shown = _shown(suppress(_table([10, 3, 1]), "project_id", threshold=None))
    assert shown == {"0-17": "10", "18-19": "3", "20+": "1", "Totalt": "14"}


def _possible(shown: str, threshold: int = 3) -> range:
    if shown == f"<{threshold}":
        return range(1, threshold)
    if shown == "..":
        return range(0, 40)  # whatever a hidden cell may be, within the test's counts
    return range(int(shown), int(shown) + 1)


def test_no_hidden_count_is_pinned_by_what_is_shown():
    """Every table of three cells with counts 0–6: brute-force what a reader can infer."""
    import itertools

    for counts in itertools.product(range(7), repeat=3):
        table = suppress(_table(list(counts)), "project_id")
        shown = list(table["shown"])
        cells, total = shown[:3], shown[3]
        options = [c for c in itertools.product(*map(_possible, cells))
                   if sum(c) in _possible(total) or total == ".."]
        # a reader knows a ".." cell is 0 or at least 3 (a small one would show as <3),
        # unless every cell of the split is hidden: then it may be anything
        whole_split = all(cell == ".." for cell in cells)
        consistent = [c for c in options if all(
            cell != ".." or whole_split or not (0 < v < 3)
            for cell, v in zip(cells, c, strict=True))
            and (total != ".." or not (0 < sum(c) < 3))]
        for k, mark in enumerate(cells):
            if mark in ("<3", ".."):
                values = {c[k] for c in consistent}
                assert len(values) > 1, (counts, shown)


def test_groups_are_suppressed_separately_and_input_is_unchanged():
    both = pd.concat([_table([10, 3, 1], "A"), _table([5, 5, 5], "B")], ignore_index=True)
    before = both.copy()
    out = suppress(both, "project_id")
    pd.testing.assert_frame_equal(both, before)
    assert not out.loc[out["project_id"] == "B", "hidden"].any()
    assert out.loc[out["project_id"] == "A", "hidden"].sum() == 3


# --- merging adjacent bands: the finding is kept -----------------------------------------

def _merged(counts: list[int], threshold: int | None = 3) -> list[tuple[str, str, int]]:
    from grantstats.computing.suppress import merge_adjacent

    table = pd.DataFrame({"project_id": "P", "age_group": ["0-17", "18-19", "20+"][
        : len(counts)], "count": counts})
    out = merge_adjacent(table, "project_id", "age_group", threshold=threshold)
    return list(zip(out["first"], out["last"], out["count"], strict=True))


def test_the_seed_referrals_merge_into_under_and_over_18():
    assert _merged([10, 3, 1]) == [("0-17", "0-17", 10), ("18-19", "20+", 4)]


def test_a_small_band_merges_with_a_neighbour_that_has_people():
    assert _merged([5, 1, 0]) == [("0-17", "18-19", 6), ("20+", "20+", 0)]
    assert _merged([0, 1, 9]) == [("0-17", "0-17", 0), ("18-19", "20+", 10)]


def test_nothing_merges_without_a_threshold_or_a_small_count():
    assert _merged([1, 2, 1], threshold=None) == [
        ("0-17", "0-17", 1), ("18-19", "18-19", 2), ("20+", "20+", 1)]
    assert _merged([3, 0, 7]) == [("0-17", "0-17", 3), ("18-19", "18-19", 0),
                                  ("20+", "20+", 7)]


def test_merged_bands_tile_the_ages_keep_the_total_and_hide_nothing_that_can_be_worked_out():
    """Counts 0–6 in three bands: after merging every count shown is 0 or at least 3,
    unless all of it is one small band, which suppression then hides."""
    import itertools

    from grantstats.computing.suppress import merge_adjacent

    labels = ["0-17", "18-19", "20+"]
    for counts in itertools.product(range(7), repeat=3):
        out = merge_adjacent(pd.DataFrame({"project_id": "P", "age_group": labels,
                                           "count": list(counts)}),
                             "project_id", "age_group")
        firsts, lasts = list(out["first"]), list(out["last"])
        assert firsts[0] == "0-17" and lasts[-1] == "20+"
        for last, first in zip(lasts, firsts[1:], strict=False):
            assert labels.index(first) == labels.index(last) + 1  # adjacent, no gap
        assert out["count"].sum() == sum(counts)
        small = [n for n in out["count"] if 0 < n < 3]
        assert not small or len(out) == 1, counts
        table = with_totals(out.rename(columns={"first": "age_group"})[
            ["project_id", "age_group", "count"]], "project_id", "age_group", "Totalt")
        shown = suppress(table, "project_id")
        if len(out) == 1 and small:
            assert shown["hidden"].all()
        else:
            assert not shown["hidden"].any()


# --- merging small sources under "Övriga" ----------------------------------------------------

def _sources(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"project_id": "P", "source": list(counts), "count": list(counts.values())})


def test_small_sources_are_gathered_under_others_last():
    from grantstats.computing.suppress import merge_small

    out = merge_small(_sources({"Polisen": 4, "Skolan": 1, "Vården": 2, "Övriga": 1,
                                "Ingen": 0}), "project_id", "source", "Övriga")
    assert list(zip(out["source"], out["count"], out["merged"], strict=True)) == [
        ("Polisen", 4, 1), ("Ingen", 0, 1), ("Övriga", 4, 3)]
    same = merge_small(_sources({"Polisen": 4, "Skolan": 1}), "project_id", "source", "Övriga",
                       threshold=None)
    assert list(same["source"]) == ["Polisen", "Skolan"]


def test_nothing_hidden_can_be_worked_out_after_merging_sources():
    """Every split of up to four sources with counts 0–5: after merging and suppression no
    hidden count has only one value consistent with what is shown (the total included)."""
    import itertools

    from grantstats.computing.suppress import merge_small, with_totals

    for counts in itertools.product(range(6), repeat=4):
        merged = merge_small(_sources(dict(zip("ABCD", counts, strict=True))), "project_id",
                             "source", "Övriga").drop(columns="merged")
        table = suppress(with_totals(merged, "project_id", "source", "Totalt"), "project_id")
        shown = list(table["shown"])
        cells, total = shown[:-1], shown[-1]
        whole_split = all(cell == ".." for cell in cells)
        options = [c for c in itertools.product(*map(_possible, cells))
                   if (sum(c) in _possible(total) or total == "..")
                   and all(cell != ".." or whole_split or not (0 < v < 3)
                           for cell, v in zip(cells, c, strict=True))
                   and (total != ".." or not (0 < sum(c) < 3))]
        for k, mark in enumerate(cells):
            if mark in ("<3", ".."):
                assert len({c[k] for c in options}) > 1, (counts, shown)
        assert all(v == 0 or v >= 3 or mark in ("<3", "..")
                   for v, mark in zip(table["count"], shown, strict=True))
