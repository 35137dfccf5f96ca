"""Hiding small counts of people in committee output.

A count from 1 to ``threshold − 1`` is shown as ``<threshold`` (primary suppression).
So that it cannot be worked out from the total and the other cells of the same table,
more cells are hidden (secondary suppression, shown as ``..``), the smallest first and
then the total, until no hidden count has only one possible value given what is shown
(see :func:`_pinned`). If even that is not enough, no cell of the split is shown
(``–``, zeros too). Zero is not a person and is otherwise shown as it is.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

DEFAULT_THRESHOLD = 3
SECONDARY_MARK = ".."
#: A cell of a table whose split is not shown at all (any count, zero included).
GROUP_MARK = "–"


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
