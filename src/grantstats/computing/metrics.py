"""Spend versus grant, per project: pure functions, DataFrames in, DataFrames out.

Nothing here reads files or changes its inputs; each function takes the loaded
tables (see :class:`grantstats.reading.loader.Workbook`) and returns a new table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import pandas as pd

from grantstats.contract import CATEGORY_KEYS, DEFAULT_AGE_BANDS, AgeBand

SUMMARY_COLUMNS = [
    "name", "applied", "granted", "requisitioned", "spent", "holdback_outstanding",
    "remaining_to_requisition", "unspent_requisitioned", "utilisation", "other_financing",
]


def by_project_id(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of ``table`` per project id, split in one pass (a ledger of a million
    rows is not compared with every project id in turn)."""
    return {str(pid): part for pid, part in table.groupby("project_id", sort=False)}


def _sum_by_project(table: pd.DataFrame, ids: pd.Index, column: str = "amount") -> pd.Series:
    return table.groupby("project_id")[column].sum().reindex(ids, fill_value=0.0).astype(float)


def project_summary(
    projects: pd.DataFrame, grants: pd.DataFrame, budget: pd.DataFrame, costs: pd.DataFrame,
    requisitions: pd.DataFrame, financing: pd.DataFrame,
) -> pd.DataFrame:
    """One row per project: applied, granted, requisitioned, spent and what follows.

    ``holdback_outstanding`` is the held-back part of the decisions not yet paid:
    ``min(Σ amount × holdback_share, max(0, granted − requisitioned))``.
    ``utilisation`` is spent / granted, missing when nothing is granted.
    """
    ids = pd.Index(projects["project_id"], name="project_id")
    out = pd.DataFrame(index=ids)
    out["name"] = projects.set_index("project_id")["name"].reindex(ids)
    out["applied"] = _sum_by_project(budget, ids)
    out["granted"] = _sum_by_project(grants, ids)
    out["requisitioned"] = _sum_by_project(requisitions, ids)
    out["spent"] = _sum_by_project(costs, ids)
    held = (grants["amount"] * grants["holdback_share"]).groupby(grants["project_id"]).sum()
    held = held.reindex(ids, fill_value=0.0).astype(float)
    unpaid = (out["granted"] - out["requisitioned"]).clip(lower=0)
    out["holdback_outstanding"] = np.minimum(held, unpaid)
    out["remaining_to_requisition"] = out["granted"] - out["requisitioned"]
    out["unspent_requisitioned"] = out["requisitioned"] - out["spent"]
    out["utilisation"] = (out["spent"] / out["granted"]).where(out["granted"] != 0)
    out["other_financing"] = _sum_by_project(financing, ids)
    return out[SUMMARY_COLUMNS]


def costs_by_category(costs: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Spent against applied per project and category, with the variance in kr and %.

    Every category of the form appears for every project that has costs or a budget;
    ``variance_pct`` is missing where nothing was applied for.
    """
    spent = costs.groupby(["project_id", "category"], observed=False)["amount"].sum()
    applied = budget.groupby(["project_id", "category"], observed=False)["amount"].sum()
    ids = sorted(set(costs["project_id"].unique()) | set(budget["project_id"].unique()))
    index = pd.MultiIndex.from_product([ids, list(CATEGORY_KEYS)],
                                       names=["project_id", "category"])
    out = pd.DataFrame({
        "applied": applied.reindex(index, fill_value=0.0).astype(float),
        "spent": spent.reindex(index, fill_value=0.0).astype(float),
    })
    out["variance"] = out["spent"] - out["applied"]
    out["variance_pct"] = (out["variance"] / out["applied"]).where(out["applied"] != 0)
    out = out.reset_index()
    out["category"] = pd.Categorical(out["category"], categories=CATEGORY_KEYS)
    return out


def _period(project: pd.Series, dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    start = project.get("start")
    end = project.get("end")
    start = start if pd.notna(start) else (dates.min() if len(dates) else pd.NaT)
    end = end if pd.notna(end) else (dates.max() if len(dates) else pd.NaT)
    if pd.isna(start) or pd.isna(end):
        return None
    return pd.Timestamp(start), pd.Timestamp(end)


def cumulative_spend(
    projects: pd.DataFrame, grants: pd.DataFrame, costs: pd.DataFrame
) -> pd.DataFrame:
    """Spend per month and cumulated, against the grant spent evenly over the period.

    Columns: project_id, month (its last day), spent, cumulative, even, illustrative
    (True where any cost of that month is an illustrative row).
    """
    rows = []
    granted = grants.groupby("project_id")["amount"].sum()
    by_project = by_project_id(costs)
    for _, project in projects.iterrows():
        pid = project["project_id"]
        own = by_project.get(pid, costs.iloc[0:0])
        period = _period(project, own["date"])
        if period is None:
            continue
        start, end = period
        months = pd.period_range(min(start, own["date"].min()) if len(own) else start,
                                 max(end, own["date"].max()) if len(own) else end, freq="M")
        by_month = own.groupby(own["date"].dt.to_period("M"))
        spent = by_month["amount"].sum().reindex(months, fill_value=0.0)
        illustrative = by_month["illustrative"].any().reindex(months, fill_value=False)
        month_end = months.to_timestamp(how="end").normalize()
        span = max((end - start).days + 1, 1)
        elapsed = ((month_end - start).days + 1).to_numpy().clip(0, span)
        total = float(granted.get(pid, 0.0))
        rows.append(pd.DataFrame({
            "project_id": pid,
            "month": month_end,
            "spent": spent.to_numpy(dtype=float),
            "cumulative": spent.cumsum().to_numpy(dtype=float),
            "even": total * elapsed / span,
            "illustrative": illustrative.to_numpy(dtype=bool),
        }))
    columns = ["project_id", "month", "spent", "cumulative", "even", "illustrative"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


def referrals_by_age_group(
    referrals: pd.DataFrame, bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS
) -> pd.DataFrame:
    """Referrals counted per project and age band (every band present, zeros included)."""
    labels = [b.label for b in bands]
    counts = referrals.groupby(["project_id", "age_group"], observed=False)["count"].sum()
    ids = sorted(set(referrals["project_id"]))
    index = pd.MultiIndex.from_product([ids, labels], names=["project_id", "age_group"])
    out = counts.reindex(index, fill_value=0).astype("int64").rename("count").reset_index()
    out["age_group"] = pd.Categorical(out["age_group"], categories=labels)
    return out


def referrals_by_source(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals counted per project and source; those without a source are counted
    under ``""`` (the caller names that row in its reader's language)."""
    frame = referrals.assign(source=referrals["source"].fillna(""))
    out = frame.groupby(["project_id", "source"])["count"].sum().astype("int64")
    return out.rename("count").reset_index()


def explanations(budget: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    """The analyst's own words on each project's categories, to print next to the
    variance they explain: the budget's ``förklaring`` first, then the ``kommentar`` of
    budget rows, then that of costs; each text once, in workbook order.

    Columns: project_id, category, texts (a tuple of strings). Categories nobody wrote
    anything about are left out.
    """
    parts = []
    for table, column in ((budget, "explanation"), (budget, "note"), (costs, "note")):
        if column in table.columns:
            said = table.loc[table[column].notna(), ["project_id", "category", column]]
            parts.append(said.rename(columns={column: "text"}))
    rows: dict[tuple[str, str], list[str]] = {}
    for part in parts:
        for pid, category, said in zip(part["project_id"], part["category"], part["text"],
                                       strict=True):
            said = " ".join(str(said).split())
            texts = rows.setdefault((str(pid), str(category)), [])
            if said and said not in texts:
                texts.append(said)
    return pd.DataFrame(
        [(pid, cat, tuple(texts)) for (pid, cat), texts in rows.items() if texts],
        columns=["project_id", "category", "texts"])


#: A category more than this share off its budget should be explained.
VARIANCE_THRESHOLD = 0.10


def budget_outcome(by_category: pd.DataFrame, explanations: pd.DataFrame,
                   elapsed: pd.Series, threshold: float = VARIANCE_THRESHOLD) -> pd.DataFrame:
    """Each project's budget against its outcome, one row per category with anything in
    it, with the analyst's explanation next to the variance it explains.

    ``expected`` is the applied budget times the share of the period passed
    (:func:`grantstats.computing.rules.elapsed_share`: 1 once the project has ended), so
    that a running project is compared with where it should be by now. ``flagged``
    marks a variance over ``threshold`` in whole percent, as the report shows it (or
    spending without a budget): what the committee should hear about, in the report
    and in the statement alike. ``unexplained`` marks a flagged one that nobody has
    written an explanation for: what the analyst still has to write.

    Columns: project_id, category, applied, expected, spent, variance, variance_pct,
    texts (tuple of str), flagged, unexplained.
    """
    said = {(p, c): t for p, c, t in zip(explanations["project_id"],
                                         explanations["category"], explanations["texts"],
                                         strict=True)}
    rows: list[dict[str, Any]] = []
    for r in by_category.itertuples(index=False):
        texts = said.get((r.project_id, str(r.category)), ())
        if abs(r.applied) < 0.005 and abs(r.spent) < 0.005 and not texts:
            continue  # nothing applied, spent or said: no row
        share = float(elapsed.get(r.project_id, 1.0))
        expected = float(r.applied) * share
        variance = float(r.spent) - expected
        pct = variance / expected if abs(expected) >= 0.005 else float("nan")
        # judged on the whole percent the report shows: "−10 %" is not over 10 %
        off = abs(variance) >= 0.005 and (
            pd.isna(pct) or _whole_percent(abs(pct)) > _whole_percent(threshold))
        rows.append({"project_id": r.project_id, "category": r.category,
                     "applied": float(r.applied), "expected": expected,
                     "spent": float(r.spent), "variance": variance, "variance_pct": pct,
                     "texts": texts, "flagged": bool(off),
                     "unexplained": bool(off and not texts)})
    return pd.DataFrame(rows, columns=["project_id", "category", "applied", "expected",
                                       "spent", "variance", "variance_pct", "texts",
                                       "flagged", "unexplained"])


def _whole_percent(share: float) -> int:
    """A share as the whole percent a report shows (babel rounds half to even)."""
    return int(Decimal(str(share * 100)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def rows_behind(table: pd.DataFrame, **equals: Any) -> pd.DataFrame:
    """The rows of a loaded table matching ``equals`` (e.g. ``project_id``, ``category``),
    with the sheet and Excel row each came from — to drill down from a figure."""
    mask = pd.Series(True, index=table.index)
    for column, value in equals.items():
        mask &= table[column] == value
    return table[mask].copy()


def in_month(table: pd.DataFrame, month: str) -> pd.DataFrame:
    """The rows of a dated table that fall in ``month`` (``"2010-03"``)."""
    return table[table["date"].dt.to_period("M") == pd.Period(month, freq="M")].copy()
