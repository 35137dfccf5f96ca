"""The grant's rules as figures, per project: what has been paid out, what is still due,
what goes back, and whether the project runs, has ended or is late with its report.

Pure functions, tables in and tables out, like :mod:`grantstats.computing.metrics`. The
rules and their sources are in ``docs/rules.md``; in short:

* The share of a decision that is held back (``innehållen_andel``) is paid only after
  the final report has been approved (the decision letters; seed 003: "20 procent av
  beviljat belopp … betalas ut efter att slutrapporten har godkänts").
* Money paid out and not used for the project goes back to the funder, and a final
  report that is late or not approved can bring a claim for repayment (Länsstyrelsen's
  general conditions for project grants). The decision letter governs.

Every figure is in kronor; ``as_of`` is the date the figures speak of (by default the
latest date in the costs and requisitions, not the machine's clock, so that a report is
the same whenever it is made again).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: The rule figures per project, in this order (``report_due``: the latest final-report
#: date the decisions name; ``status``: one of :data:`STATUSES`).
RULE_COLUMNS = ["paid_out", "final_payment_due", "to_repay", "allowed_before_final_report",
                "held_back", "report_due", "status"]
#: ``running``: the as-of date is before the project's end; ``ended``: ended, and the
#: final report is not late; ``late``: the report was due before the as-of date and money
#: is still held back or unaccounted for.
STATUSES = ("running", "ended", "late")
#: The warning codes :func:`warnings` may give, in the order they are checked.
WARNINGS = ("requisitioned_above_allowed", "requisitioned_above_granted",
            "spent_above_granted", "nothing_requisitioned_after_end",
            "holdback_but_no_report_due", "costs_outside_period", "no_costs_recorded")

#: Amounts closer than this to each other are equal (kronor are stored as floats).
_CENT = 0.005


def default_as_of(costs: pd.DataFrame, requisitions: pd.DataFrame) -> pd.Timestamp | None:
    """The latest date in the costs and requisitions, or None when there is none."""
    latest = [d for d in (costs["date"].max(), requisitions["date"].max()) if pd.notna(d)]
    return pd.Timestamp(max(latest)) if latest else None


def _sum(table: pd.DataFrame, ids: pd.Index, column: str = "amount") -> pd.Series:
    return table.groupby("project_id")[column].sum().reindex(ids, fill_value=0.0).astype(float)


def grant_rules(projects: pd.DataFrame, grants: pd.DataFrame, costs: pd.DataFrame,
                requisitions: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """One row per project (index ``project_id``) with :data:`RULE_COLUMNS`.

    - ``paid_out``: what the funder has paid (the requisitions);
    - ``final_payment_due``: max(0, min(spent, granted) − paid out), what the funder still
      pays once the final report is approved;
    - ``to_repay``: max(0, paid out − spent), what goes back;
    - ``allowed_before_final_report``: granted − Σ decision × held-back share;
    - ``held_back``: Σ decision × held-back share.
    """
    ids = pd.Index(projects["project_id"], name="project_id")
    granted = _sum(grants, ids)
    paid = _sum(requisitions, ids)
    spent = _sum(costs, ids)
    held = (grants["amount"] * grants["holdback_share"]).groupby(grants["project_id"]).sum()
    held = held.reindex(ids, fill_value=0.0).astype(float)
    out = pd.DataFrame(index=ids)
    out["paid_out"] = paid
    out["final_payment_due"] = (np.minimum(spent, granted) - paid).clip(lower=0.0)
    out["to_repay"] = (paid - spent).clip(lower=0.0)
    out["allowed_before_final_report"] = granted - held
    out["held_back"] = held
    due = grants.groupby("project_id")["report_due"].max()
    out["report_due"] = due.reindex(ids)
    ends = projects.set_index("project_id")["end"].reindex(ids)
    out["status"] = [
        _status(end, report_due, as_of, unsettled)
        for end, report_due, unsettled in zip(
            ends, out["report_due"],
            (held > _CENT) | (out["to_repay"] > _CENT) | (out["final_payment_due"] > _CENT),
            strict=True)
    ]
    return out[RULE_COLUMNS]


def _status(end: Any, report_due: Any, as_of: pd.Timestamp | None, unsettled: bool) -> str:
    if as_of is None:
        return "ended" if pd.notna(end) else "running"
    if pd.notna(end) and as_of < end:
        return "running"
    if pd.notna(report_due) and as_of > report_due and unsettled:
        return "late"
    return "ended"


def elapsed_share(projects: pd.DataFrame, status: pd.Series,
                  as_of: pd.Timestamp | None) -> pd.Series:
    """The share of each project's period that has passed on ``as_of`` (days, both ends
    counted), for a running project; 1.0 for one that has ended or whose period is not
    known. An interim report compares spending with the budget times this share, so
    that what is left of a running project is not called an underspend."""
    ids = pd.Index(projects["project_id"], name="project_id")
    periods = projects.set_index("project_id")[["start", "end"]].reindex(ids)
    shares = []
    for pid in ids:
        start, end = periods.at[pid, "start"], periods.at[pid, "end"]
        if status.get(pid) != "running" or as_of is None or pd.isna(start) or pd.isna(end):
            shares.append(1.0)
            continue
        span = max((end - start).days + 1, 1)
        shares.append(min(max((as_of - start).days + 1, 0), span) / span)
    return pd.Series(shares, index=ids, dtype=float, name="elapsed")


def warnings(projects: pd.DataFrame, grants: pd.DataFrame, costs: pd.DataFrame,
             requisitions: pd.DataFrame, as_of: pd.Timestamp | None,
             rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """What a project's figures break or leave open: one row per warning, with columns
    ``project_id``, ``code`` (one of :data:`WARNINGS`) and ``params`` (amounts in kronor,
    dates, counts) for its message. ``rules``: :func:`grant_rules` of the same tables,
    when the caller has it already."""
    ids = pd.Index(projects["project_id"], name="project_id")
    if rules is None:
        rules = grant_rules(projects, grants, costs, requisitions, as_of)
    granted = _sum(grants, ids)
    spent_of = _sum(costs, ids)  # summed as the report's figures are, to the last öre
    periods = projects.set_index("project_id")[["start", "end"]].reindex(ids)
    ledger = _Ledger.of(costs, ids, periods)
    rows: list[dict[str, Any]] = []

    def warn(pid: str, code: str, **params: Any) -> None:
        rows.append({"project_id": pid, "code": code, "params": params})

    for i, pid in enumerate(ids):
        r = rules.loc[pid]
        paid = float(r["paid_out"])
        spent = float(spent_of[pid])
        if float(r["held_back"]) > _CENT and paid > r["allowed_before_final_report"] + _CENT:
            warn(pid, "requisitioned_above_allowed", requisitioned=paid,
                 allowed=float(r["allowed_before_final_report"]))
        if paid > granted[pid] + _CENT:
            warn(pid, "requisitioned_above_granted", requisitioned=paid,
                 granted=float(granted[pid]))
        if spent > granted[pid] + _CENT:
            warn(pid, "spent_above_granted", spent=spent, granted=float(granted[pid]))
        end = periods.at[pid, "end"]
        if (granted[pid] > _CENT and paid <= _CENT and r["status"] != "running"
                and pd.notna(end)):
            warn(pid, "nothing_requisitioned_after_end", end=pd.Timestamp(end).date())
        if float(r["held_back"]) > _CENT and pd.isna(r["report_due"]):
            warn(pid, "holdback_but_no_report_due", held_back=float(r["held_back"]))
        if not ledger.count[i]:
            warn(pid, "no_costs_recorded")
            continue
        if ledger.outside_count[i]:
            at = ledger.outside_rows(i)
            warn(pid, "costs_outside_period", count=int(ledger.outside_count[i]),
                 amount=float(costs["amount"].iloc[at].sum()),
                 rows=", ".join(str(n) for n in costs["row"].to_numpy()[at[:10]]),
                 sheet=str(costs["sheet"].iloc[at[0]]))
    return pd.DataFrame(rows, columns=["project_id", "code", "params"])


class _Ledger:
    """The costs per project, counted in one pass over the rows: how many, and which
    fall outside the project's period (a ledger of a million rows is neither split nor
    grouped once per project). Amounts are summed by pandas, as every other figure is,
    so that a warning's kronor are the report's to the last öre."""

    def __init__(self, codes: np.ndarray, n: int, outside: np.ndarray) -> None:
        self.codes, self.outside = codes, outside
        known = codes >= 0
        self.count = np.bincount(codes[known], minlength=n)
        self.outside_count = np.bincount(codes[known & outside], minlength=n)

    @classmethod
    def of(cls, costs: pd.DataFrame, ids: pd.Index, periods: pd.DataFrame) -> _Ledger:
        if not len(ids):  # no project: no cost is any project's
            return cls(np.full(len(costs), -1), 0, np.zeros(len(costs), dtype=bool))
        codes = ids.get_indexer(costs["project_id"])
        known = codes >= 0
        at = np.where(known, codes, 0)
        dates = costs["date"].to_numpy(dtype="datetime64[s]")
        starts = periods["start"].to_numpy(dtype="datetime64[s]")[at]
        ends = periods["end"].to_numpy(dtype="datetime64[s]")[at]
        # NaT compares False either way: an open end puts no row outside
        outside = known & ((dates < starts) | (dates > ends))
        return cls(np.asarray(codes), len(ids), outside)

    def outside_rows(self, i: int) -> np.ndarray:
        """The positions of project ``i``'s rows outside its period, in ledger order."""
        return np.flatnonzero(self.outside & (self.codes == i))
