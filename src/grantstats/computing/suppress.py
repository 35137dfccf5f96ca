"""Hiding small counts of people in committee output.

A count from 1 to ``threshold − 1`` is shown as ``<threshold`` (primary suppression).
So that it cannot be worked out from the total and the other cells of the same table,
more cells are hidden (secondary suppression, shown as ``..``), the smallest first and
then the total, until no hidden count has only one possible value given what is shown
(see :func:`_pinned`). If even that is not enough, no cell of the split is shown
(``..``, zeros too). Zero is not a person and is otherwise shown as it is.

For ordered groups such as age bands, :func:`merge_adjacent` first merges neighbouring
bands until each count is 0 or at least the threshold, so that the finding is shown
("0–17 år: 10") instead of hidden; suppression then only has what merging could not
reach; for unordered ones such as sources, :func:`merge_small` gathers the small rows
under "Övriga".

All hidden cells are shown as ``..`` (one symbol, one meaning: not shown, to protect
people), and counts below the threshold as ``<threshold``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

DEFAULT_THRESHOLD = 3
SECONDARY_MARK = ".."
#: A cell of a table whose split is not shown at all (any count, zero included): hidden
#: like any other, so the same mark (a reader learns nothing from which kind it is).
GROUP_MARK = SECONDARY_MARK


def suppress(
    counts: pd.DataFrame, group: str, value: str = "count",
    threshold: int | None = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """A copy of ``counts`` with ``shown`` (text), ``hidden`` (bool) and ``reason`` columns.

    Cells are suppressed within each ``group`` (e.g. per project); a row with
    ``is_total`` True, if present, is that group's total. ``threshold`` None shows all.
    """
    out = counts.copy()
    out["hidden"] = False
    out["reason"] = ""
    if "is_total" not in out:
        out["is_total"] = False
    if threshold is not None:
        for _, index in out.groupby(group, sort=False).groups.items():
            _suppress_group(out, list(index), value, threshold)
    marks = {"primary": f"<{threshold}", "secondary": SECONDARY_MARK, "group": GROUP_MARK}
    out["shown"] = [
        marks[reason] if hidden else str(int(v))
        for v, hidden, reason in zip(out[value], out["hidden"], out["reason"], strict=True)
    ]
    return out


def _suppress_group(out: pd.DataFrame, index: list[Any], value: str, threshold: int) -> None:
    cells = [i for i in index if not out.at[i, "is_total"]]
    totals = [i for i in index if out.at[i, "is_total"]]

    def hide(i: object, reason: str) -> None:
        out.at[i, "hidden"] = True
        out.at[i, "reason"] = reason

    for i in cells + totals:
        if 0 < out.at[i, value] < threshold:
            hide(i, "primary")
    while any(out.at[i, "hidden"] for i in cells + totals) and _pinned(
            out, cells, totals, value, threshold):
        visible = [i for i in cells if not out.at[i, "hidden"] and out.at[i, value] > 0]
        if visible:
            hide(min(visible, key=lambda i: out.at[i, value]), "secondary")
        elif any(not out.at[i, "hidden"] for i in totals):
            for i in totals:
                hide(i, "secondary")
        else:  # every count is small: show nothing of the split, not even the zeros
            for i in cells:
                hide(i, "group")
            return


def _pinned(out: pd.DataFrame, cells: list[Any], totals: list[Any], value: str,
            threshold: int) -> bool:
    """Whether a reader could work out a hidden count exactly.

    What the reader knows: a shown count exactly; ``<t`` is 1…t−1; ``..`` is at least t
    (it would otherwise be shown as ``<t`` or 0); the cells add up to the total, which
    is taken as known when the table does not show it.
    """
    def bounds(i: object) -> tuple[float, float]:
        if not out.at[i, "hidden"]:
            v = float(out.at[i, value])
            return v, v
        if out.at[i, "reason"] == "primary":
            return 1.0, float(threshold - 1)
        return float(threshold), math.inf

    ranges = [bounds(i) for i in cells]
    low_sum = sum(lo for lo, _ in ranges)
    high_sum = sum(hi for _, hi in ranges)
    if totals:
        t_lo, t_hi = bounds(totals[0])
    else:  # a table without its total: assume the total is published next to it
        t_lo = t_hi = float(sum(out.at[i, value] for i in cells))
    t_lo, t_hi = max(t_lo, low_sum), min(t_hi, high_sum)
    if totals and out.at[totals[0], "hidden"] and t_lo == t_hi:
        return True
    for i, (lo, hi) in zip(cells, ranges, strict=True):
        if not out.at[i, "hidden"]:
            continue
        can_lo = max(lo, t_lo - (high_sum - hi))
        can_hi = min(hi, t_hi - (low_sum - lo))
        if can_lo == can_hi:
            return True
    return False


def with_totals(counts: pd.DataFrame, group: str, label_column: str, total_label: str,
                value: str = "count") -> pd.DataFrame:
    """``counts`` with one total row per group appended (``is_total`` True)."""
    totals = counts.groupby(group, sort=False)[value].sum().reset_index()
    totals[label_column] = total_label
    totals["is_total"] = True
    body = counts.assign(is_total=False)
    for column in body.columns:
        if column not in totals:
            totals[column] = None
    frames = []
    for key, part in body.groupby(group, sort=False):
        frames += [part, totals[totals[group] == key]]
    if not frames:
        return body
    out = pd.concat(frames, ignore_index=True)
    out[label_column] = out[label_column].astype(str)
    return out


def merge_adjacent(counts: pd.DataFrame, group: str, label: str, value: str = "count",
                   threshold: int | None = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Ordered rows (e.g. age bands) merged with their neighbours until every count of a
    group is 0 or at least ``threshold``, so that a finding is shown rather than hidden.

    The rows of each ``group`` are taken in their order; the smallest count from 1 to
    ``threshold − 1`` is merged with its smaller neighbour that has people in it (or, if
    neither has, with the smaller one), until none is left or the group is one row.
    Returns ``group``, ``first`` and ``last`` (the labels of the first and last row
    merged) and ``value``. Only sums of adjacent rows are shown, so nothing is given away
    that the sums do not; a group whose total is below ``threshold`` stays one small row
    for :func:`suppress` to hide. ``threshold`` None merges nothing.
    """
    rows: list[dict[str, Any]] = []
    for key, part in counts.groupby(group, sort=False, observed=True):
        bands: list[tuple[str, str, int]] = [
            (str(lab), str(lab), int(n))
            for lab, n in zip(part[label], part[value], strict=True)]
        while threshold is not None and len(bands) > 1:
            small = [i for i, b in enumerate(bands) if 0 < b[2] < threshold]
            if not small:
                break
            i = min(small, key=lambda k: bands[k][2])
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(bands)]
            with_people = [j for j in near if bands[j][2] > 0]
            j = min(with_people or near, key=lambda k: bands[k][2])
            a, b = min(i, j), max(i, j)
            bands[a:b + 1] = [(bands[a][0], bands[b][1], bands[a][2] + bands[b][2])]
        rows += [{group: key, "first": f, "last": last, value: n} for f, last, n in bands]
    return pd.DataFrame(rows, columns=[group, "first", "last", value])


def merge_small(counts: pd.DataFrame, group: str, label: str, other: str,
                value: str = "count", threshold: int | None = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Unordered rows (e.g. sources) with a count from 1 to ``threshold − 1`` merged into
    one row labelled ``other`` ("Övriga") per group, last, so that many small sources
    still add up to a count that can be shown.

    Returns ``group``, ``label``, ``value`` and ``merged`` (how many rows of the input
    each row stands for). A row already labelled ``other`` joins the merged one. The
    merged row can still be below ``threshold`` (one or two small sources): then
    :func:`suppress` hides it like any other. ``threshold`` None merges nothing.
    """
    rows: list[dict[str, Any]] = []
    for key, part in counts.groupby(group, sort=False, observed=True):
        small = 0
        merged = 0
        for lab, n in zip(part[label], part[value], strict=True):
            n = int(n)
            if str(lab) == other or (threshold is not None and 0 < n < threshold):
                small += n
                merged += 1
            else:
                rows.append({group: key, label: str(lab), value: n, "merged": 1})
        if merged:
            rows.append({group: key, label: other, value: small, "merged": merged})
    return pd.DataFrame(rows, columns=[group, label, value, "merged"])
