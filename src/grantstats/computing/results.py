"""A workbook's figures, computed once, as one object.

:class:`Figures` holds every table the report and the summary are made of. It is
computed from a loaded workbook's tables by :mod:`grantstats.computing.metrics`,
reads no file and changes none of its inputs; the report's sections and the summary
document take it instead of computing the figures themselves, and ``grantstats
report`` hands the same object to the notebook's kernel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from grantstats.reading.loader import Workbook


@dataclass(frozen=True)
class Figures:
    """The figures of one workbook, for every project or (``project_id``) for one.

    ``by_age`` and ``by_source`` are raw counts (referrals without a source under
    ``""``); suppressing small counts and naming things is the reader's business.
    """

    project_id: str | None
    #: one row per project: :data:`grantstats.computing.metrics.SUMMARY_COLUMNS`
    summary: pd.DataFrame
    #: spent against applied per project and category
    by_category: pd.DataFrame
    #: spending per month, cumulated, against even spending of the grant
    cumulative: pd.DataFrame
    #: referrals per project and age band
    by_age: pd.DataFrame
    #: referrals per project and source
    by_source: pd.DataFrame
    #: the analyst's words per project and category (``förklaring``, ``kommentar``)
    explanations: pd.DataFrame
    #: budget against outcome per category, with explanations
    #: (:func:`grantstats.computing.metrics.budget_outcome`)
    budget_outcome: pd.DataFrame
    #: the share of each project's period passed on the as-of date (1 once ended)
    elapsed: pd.Series
    #: the date the figures speak of (``None``: the workbook has no dated row)
    as_of: pd.Timestamp | None
    #: the grant's rules per project: :data:`grantstats.computing.rules.RULE_COLUMNS`
    rules: pd.DataFrame
    #: what the figures break or leave open: project_id, code, params
    warnings: pd.DataFrame

    @classmethod
    def of(cls, wb: Workbook, project_id: str | None = None,
           as_of: pd.Timestamp | dt.date | None = None) -> Figures:
        """The figures of ``wb`` (raises KeyError for a ``project_id`` it does not have).

        A one-project object is computed from that project's rows only; every figure is
        per project, so they equal that project's rows of the figures of all. ``as_of``:
        the date the figures speak of; by default the latest date in the whole workbook's
        costs and requisitions (:func:`grantstats.computing.rules.default_as_of`). Rows
        dated after it (costs, requisitions and referrals by their date, decisions by
        their decision date) are left out, so that a report as of an earlier date shows
        what was known then, not today's figures under yesterday's date.
        """
        from grantstats.computing import metrics, rules

        t, as_of = _restricted(wb, project_id, as_of)
        summary = metrics.project_summary(t["projects"], t["grants"], t["budget"],
                                          t["costs"], t["requisitions"], t["financing"])
        by_category = metrics.costs_by_category(t["costs"], t["budget"])
        explanations = metrics.explanations(t["budget"], t["costs"])
        grant_rules = rules.grant_rules(t["projects"], t["grants"], t["costs"],
                                        t["requisitions"], as_of)
        elapsed = rules.elapsed_share(t["projects"], grant_rules["status"], as_of)
        return cls(
            project_id=project_id,
            summary=summary,
            by_category=by_category,
            cumulative=metrics.cumulative_spend(t["projects"], t["grants"], t["costs"]),
            by_age=metrics.referrals_by_age_group(t["referrals"], wb.age_bands),
            by_source=metrics.referrals_by_source(t["referrals"]),
            explanations=explanations,
            budget_outcome=metrics.budget_outcome(by_category, explanations, elapsed),
            elapsed=elapsed,
            as_of=as_of,
            rules=grant_rules,
            warnings=rules.warnings(t["projects"], t["grants"], t["costs"],
                                    t["requisitions"], as_of, grant_rules),
        )

    @property
    def projects(self) -> list[str]:
        """The projects covered, in workbook order."""
        return list(self.summary.index)


def warnings_of(wb: Workbook, as_of: pd.Timestamp | dt.date | None = None) -> pd.DataFrame:
    """``Figures.of(wb, as_of=as_of).warnings`` without the other figures: what a check
    prints, at a fraction of the cost for a large ledger."""
    from grantstats.computing import rules

    t, as_of = _restricted(wb, None, as_of)
    return rules.warnings(t["projects"], t["grants"], t["costs"], t["requisitions"], as_of)


def _restricted(wb: Workbook, project_id: str | None,
                as_of: pd.Timestamp | dt.date | None
                ) -> tuple[dict[str, pd.DataFrame], pd.Timestamp | None]:
    """The tables the figures of ``wb`` are computed from, and the as-of date: one
    project's rows (KeyError for an unknown one), without the rows dated after
    ``as_of`` (default: :func:`grantstats.computing.rules.default_as_of`)."""
    import pandas as pd

    from grantstats.computing import rules

    t = wb.tables
    when = rules.default_as_of(t["costs"], t["requisitions"]) if as_of is None \
        else pd.Timestamp(as_of)
    if project_id is not None:
        if project_id not in set(t["projects"]["project_id"]):
            raise KeyError(project_id)
        t = {name: _of_project(table, project_id) for name, table in t.items()}
    if when is not None:
        t = {name: _until(table, DATED.get(name), when) for name, table in t.items()}
    return t, when


#: The date column of each dated table: a row after the as-of date is not yet known.
DATED = {"costs": "date", "requisitions": "date", "referrals": "date",
         "grants": "decision_date"}


def _until(table: pd.DataFrame, column: str | None, as_of: pd.Timestamp) -> pd.DataFrame:
    """The rows of ``table`` dated on or before ``as_of`` (all rows of an undated table;
    a row without a date is kept: the loader refuses one where the date is required)."""
    if column is None or column not in table.columns:
        return table
    later = table[column] > as_of
    return table[~later.fillna(False).astype(bool)] if later.any() else table


def _of_project(table: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """The rows of ``table`` about one project (a table without projects: all of it)."""
    if "project_id" not in table.columns:
        return table
    return table[table["project_id"] == project_id]
