"""The analyst's workbench: a loaded workbook with its figures, one object to explore.

``grantstats.load(path)`` returns a :class:`Workbench`: the checked
:class:`~grantstats.reading.loader.Workbook` (every table, ``wb.costs`` …), and methods
that give each figure as a :class:`~grantstats.rendering.tables.FigureTable` —
``wb.summary()``, ``wb.costs_by_category()``, ``wb.cumulative_spend()``,
``wb.referrals_by_age_group()``, ``wb.referrals_by_source()``, ``wb.spend_by_month()``,
``wb.by_year()``, ``wb.rows_behind(...)`` — computed once (``wb.figures``, the
:class:`~grantstats.computing.results.Figures` of the workbook). It lives above the
loader and the figures because it joins them; a Workbench is a Workbook, so everything
that takes one takes it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from grantstats.computing import metrics
from grantstats.computing.results import Figures
from grantstats.contract import CATEGORY_KEYS
from grantstats.errors import WorkbookError
from grantstats.reading import loader
from grantstats.reading.loader import Workbook
from grantstats.rendering.tables import FigureTable, figure_table
from grantstats.texts import check_lang, session_lang, text


@dataclass(frozen=True, repr=False)
class Workbench(Workbook):
    """A loaded workbook and its figures (see the module); tables show the form's labels
    in ``lang`` (None: the session's language, :func:`grantstats.set_lang`)."""

    lang: str | None = None
    #: the date the rules speak of (None: the workbook's latest cost or requisition)
    as_of: dt.date | None = None

    @classmethod
    def of(cls, wb: Workbook, *, lang: str | None = None,
           as_of: dt.date | None = None) -> Workbench:
        """``wb`` as a Workbench (its tables are shared, not copied)."""
        own = {f.name: getattr(wb, f.name) for f in fields(Workbook)}
        return cls(**own, lang=lang, as_of=as_of)

    @cached_property
    def figures(self) -> Figures:
        """Every figure of the workbook, computed once."""
        return Figures.of(self, as_of=self.as_of)

    @property
    def project_ids(self) -> list[str]:
        """The projects, in workbook order."""
        return [str(p) for p in self.tables["projects"]["project_id"]]

    def _table(self, frame: pd.DataFrame, sheet: str | None = None) -> FigureTable:
        return figure_table(frame, sheet=sheet, lang=self.lang)

    def _check(self, project_id: str | None) -> None:
        if project_id is not None and project_id not in self.project_ids:
            raise KeyError(text("workbench.no_project", self.lang or session_lang(),
                                project=project_id,
                                known=", ".join(self.project_ids)))

    def _rows_of(self, frame: pd.DataFrame, project_id: str | None) -> pd.DataFrame:
        self._check(project_id)
        if project_id is None:
            return frame
        return frame[frame["project_id"] == project_id]

    # --- the figures -------------------------------------------------------------------
    def summary(self, project_id: str | None = None) -> FigureTable:
        """Applied, granted, requisitioned, spent … one row per project."""
        summary = self.figures.summary
        self._check(project_id)
        return self._table(summary if project_id is None else summary.loc[[project_id]])

    def costs_by_category(self, project_id: str | None = None) -> FigureTable:
        """Spent against applied per project and category of the form."""
        return self._table(self._rows_of(self.figures.by_category, project_id))

    def cumulative_spend(self, project_id: str | None = None) -> FigureTable:
        """Spending per month and cumulated, against the grant spent evenly."""
        return self._table(self._rows_of(self.figures.cumulative, project_id))

    def referrals_by_age_group(self, project_id: str | None = None) -> FigureTable:
        """Referrals per project and age band (raw counts: small ones are not hidden)."""
        return self._table(self._rows_of(self.figures.by_age, project_id))

    def referrals_by_source(self, project_id: str | None = None) -> FigureTable:
        """Referrals per project and source (raw counts)."""
        return self._table(self._rows_of(self.figures.by_source, project_id))

    def spend_by_month(self, project_id: str | None = None) -> FigureTable:
        """Spent per month (rows, ``2010-03``) and category of the form (columns), with
        the month's total."""
        return self._table(spend_by_month(self._rows_of(self.costs, project_id)))

    def by_year(self, project_id: str | None = None) -> FigureTable:
        """Granted (by decision date), requisitioned and spent per project and year."""
        self._check(project_id)
        table = by_year(self.grants, self.requisitions, self.costs)
        if project_id is not None:
            table = table[table.index.get_level_values("project_id") == project_id]
        return self._table(table)

    def rows_behind(self, sheet: str = "costs", *, month: str | None = None,
                    **equals: Any) -> FigureTable:
        """The rows of ``sheet`` behind a figure (``project_id="P1", category="personal"``,
        ``month="2010-03"``), each with the sheet and Excel row it came from."""
        rows = metrics.rows_behind(self.tables[sheet], **equals)
        if month is not None:
            rows = metrics.in_month(rows, month)
        return self._table(rows, sheet=sheet)


def spend_by_month(costs: pd.DataFrame) -> pd.DataFrame:
    """Costs summed per month (index ``month``, ``"2010-03"``) and category key (columns,
    every category of the form) plus ``total``; no costs: no rows."""
    columns = [*CATEGORY_KEYS, "total"]
    if costs.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="month"), dtype=float)
    month = costs["date"].dt.strftime("%Y-%m").rename("month")
    table = costs.groupby([month, costs["category"].astype(str)])["amount"].sum().unstack()
    table = table.reindex(columns=list(CATEGORY_KEYS), fill_value=0.0).fillna(0.0)
    table["total"] = table.sum(axis=1)
    return table.astype(float)


def by_year(grants: pd.DataFrame, requisitions: pd.DataFrame,
            costs: pd.DataFrame) -> pd.DataFrame:
    """Granted, requisitioned and spent per project and calendar year."""
    parts = {
        "granted": grants.groupby(["project_id", grants["decision_date"].dt.year.rename(
            "year")])["amount"].sum(),
        "requisitioned": requisitions.groupby(["project_id", requisitions["date"].dt.year.rename(
            "year")])["amount"].sum(),
        "spent": costs.groupby(["project_id", costs["date"].dt.year.rename("year")])[
            "amount"].sum(),
    }
    table = pd.DataFrame(parts).fillna(0.0).astype(float)
    table.index = table.index.set_names(["project_id", "year"])
    return table.sort_index()


def load(path: str | os.PathLike[str], *, lang: str | None = None,
         as_of: dt.date | None = None, **options: Any) -> Workbench:
    """Read and check ``path`` (see :func:`grantstats.reading.loader.load`, whose
    ``options`` it takes) as a :class:`Workbench`; a workbook with problems raises one
    :class:`~grantstats.errors.WorkbookError` that speaks ``lang``."""
    if lang is not None:
        check_lang(lang)
    try:
        wb = loader.load(path, **options)
    except WorkbookError as error:
        error.lang = lang
        raise
    return Workbench.of(wb, lang=lang, as_of=as_of)


def workbooks_in(paths: Iterable[str | os.PathLike[str] | list[Any]]) -> list[Path]:
    """The workbooks named (a list counts as its items), a folder standing for every
    workbook in it (not the lock files Excel and LibreOffice leave), in name order."""
    found: list[Path] = []
    flat = [q for p in paths for q in (p if isinstance(p, list | tuple) else [p])]
    for p in map(Path, flat):
        if p.is_dir():
            found += sorted(f for f in p.iterdir() if f.suffix.lower() in (".xlsx", ".xlsm",
                            ".ods") and not f.name.startswith(("~$", ".~lock.")))
        else:
            found.append(p)
    return found


def compare(*paths: str | os.PathLike[str] | list[Any], lang: str | None = None
            ) -> FigureTable:
    """The summaries of several workbooks (or of every workbook in a folder) side by side,
    one row per workbook and project: comparing projects and years kept in separate
    files. A workbook with problems raises, as :func:`load` does."""
    parts = []
    for path in workbooks_in(paths):
        summary = load(path, lang=lang).figures.summary
        parts.append(summary.assign(workbook=path.name).set_index("workbook", append=True)
                     .reorder_levels(["workbook", "project_id"]))
    table = pd.concat(parts) if parts else pd.DataFrame(columns=metrics.SUMMARY_COLUMNS)
    return figure_table(table, lang=lang)


def display(*objects: Any) -> None:
    """IPython's display (imported when shown: only a notebook shows)."""
    from IPython.display import display as shown

    shown(*objects)  # type: ignore[no-untyped-call]


def largest_project(wb: Workbench) -> str | None:
    """The project that spent the most (the first one on a tie, None without projects)."""
    spent = wb.figures.summary["spent"]
    return str(spent.idxmax()) if len(spent) else None


def show_project(wb: Workbench, project_id: str) -> None:
    """Display one project's figures in a notebook: its summary, the waterfall, spent per
    category and month, spending over time, referrals, and the rows behind the largest
    category of spending. Any valid workbook shows (a project without costs too)."""
    from grantstats.rendering import charts

    lang = wb.lang or session_lang()
    summary = wb.figures.summary
    display(wb.summary(project_id))
    display(charts.financing_waterfall(summary.loc[project_id], lang=lang))
    by_category = wb.costs_by_category(project_id)
    if len(by_category):
        display(by_category)
        display(charts.costs_by_category(pd.DataFrame(by_category), lang=lang))
    by_month = wb.spend_by_month(project_id)
    if len(by_month):
        display(by_month)
    cumulative = wb.cumulative_spend(project_id)
    if len(cumulative):
        display(charts.cumulative_spend(pd.DataFrame(cumulative), lang=lang))
    by_age = wb.referrals_by_age_group(project_id)
    if len(by_age):
        display(by_age)
        display(wb.referrals_by_source(project_id))
    costs = wb.costs[wb.costs["project_id"] == project_id]
    if len(costs):
        top = costs.groupby(costs["category"].astype(str))["amount"].sum().idxmax()
        display(wb.rows_behind("costs", project_id=project_id, category=top))


def pick_project(wb: Workbench, project_id: str | None = None) -> None:
    """A project picker (an ipywidgets drop-down where installed) showing the chosen
    project with :func:`show_project`; without ipywidgets, ``project_id`` (or the project
    that spent the most) is shown. ``project_id`` None: start with the largest."""
    chosen = project_id or largest_project(wb)
    if chosen is None:
        return
    wb._check(chosen)
    try:
        import ipywidgets  # type: ignore[import-untyped]
    except ImportError:
        show_project(wb, chosen)
        return
    names = wb.figures.summary["name"]
    options = [(f"{pid} – {names.loc[pid]}", pid) for pid in wb.project_ids]
    dropdown = ipywidgets.Dropdown(options=options, value=chosen,
                                   description=text("workbench.pick_project",
                                                    wb.lang or session_lang()))
    display(ipywidgets.interactive(lambda project: show_project(wb, project), project=dropdown))
