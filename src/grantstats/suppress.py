"""Hiding small counts of people in committee output.

A count from 1 to ``threshold − 1`` is shown as ``<threshold`` (primary suppression).
So that it cannot be worked out from the total and the other cells of the same table,
more cells are hidden (secondary suppression, shown as ``..``) until at least two
cells are hidden and the hidden cells add up to at least the threshold; if no cell is
left to hide, the total is hidden too. Zero is not a person and is shown as it is.
"""

from __future__ import annotations

import pandas as pd

DEFAULT_THRESHOLD = 3
SECONDARY_MARK = ".."


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
    out["shown"] = [
        ("<" + str(threshold) if reason == "primary" else SECONDARY_MARK) if hidden
        else str(int(v))
        for v, hidden, reason in zip(out[value], out["hidden"], out["reason"], strict=True)
    ]
    return out


def _suppress_group(out: pd.DataFrame, index: list, value: str, threshold: int) -> None:
    cells = [i for i in index if not out.at[i, "is_total"]]
    totals = [i for i in index if out.at[i, "is_total"]]

    def hide(i: object, reason: str) -> None:
        out.at[i, "hidden"] = True
        out.at[i, "reason"] = reason

    for i in cells + totals:
        if 0 < out.at[i, value] < threshold:
            hide(i, "primary")
    while True:
        hidden = [i for i in cells if out.at[i, "hidden"]]
        if not hidden:
            return
        if len(hidden) >= 2 and sum(out.at[i, value] for i in hidden) >= threshold:
            return
        visible = [i for i in cells if not out.at[i, "hidden"] and out.at[i, value] > 0]
        if not visible:
            for i in totals:
                if not out.at[i, "hidden"]:
                    hide(i, "secondary")
            return
        hide(min(visible, key=lambda i: out.at[i, value]), "secondary")


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
