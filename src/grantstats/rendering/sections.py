"""The committee report's sections, as HTML fragments the notebook displays.

:class:`Report` takes the :class:`~grantstats.computing.results.Figures` of a loaded
workbook (or computes them, once); each method returns one part of the story for one
project (heading, financing, costs, spending over time, outcomes, notes on variances)
in the report language. Every text taken from the spreadsheet is escaped; charts are
embedded PNGs with alt text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from grantstats import fmt
from grantstats.computing.results import Figures
from grantstats.computing.suppress import (
    DEFAULT_THRESHOLD,
    merge_adjacent,
    suppress,
    with_totals,
)
from grantstats.contract import CATEGORIES_BY_KEY
from grantstats.reading.loader import Workbook
from grantstats.rendering import charts
from grantstats.rendering.figure import Html, figure_html
from grantstats.rendering.form import budget_form, budget_form_html, html_table
from grantstats.rendering.summary import warning_line
from grantstats.texts import check_lang, figure, localized, text

#: Amounts closer than this to zero are zero (kronor are stored as floats).
_CENT = 0.005


def _e(value: Any) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value))
                       else str(value))


@dataclass
class Report:
    """The report on ``project_id`` (None: every project) of ``wb``.

    ``figures``: the workbook's :class:`~grantstats.computing.results.Figures` for the
    same ``project_id`` if they are computed already (as ``grantstats report`` hands
    them to the notebook); else they are computed here.
    """

    wb: Workbook
    project_id: str | None = None
    lang: str = "sv"
    suppress_below: int | None = DEFAULT_THRESHOLD
    figures: Figures | None = None
    summary: pd.DataFrame = field(init=False)
    by_category: pd.DataFrame = field(init=False)
    cumulative: pd.DataFrame = field(init=False)
    by_age: pd.DataFrame = field(init=False)
    by_source: pd.DataFrame = field(init=False)
    variances: pd.DataFrame = field(init=False)
    #: the grant's rules per project (:data:`grantstats.computing.rules.RULE_COLUMNS`)
    rules: pd.DataFrame = field(init=False)
    #: the rules' warnings: project_id, code, params
    found: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        check_lang(self.lang)
        if self.figures is None:
            self.figures = Figures.of(self.wb, self.project_id)
        elif self.figures.project_id != self.project_id:
            raise ValueError(f"the figures are for project {self.figures.project_id!r}, "
                             f"not {self.project_id!r}")
        f = self.figures
        self.summary, self.by_category = f.summary, f.by_category
        self.cumulative, self.variances = f.cumulative, f.variances
        self.rules, self.found = f.rules, f.warnings
        # adjacent age bands merged until each count shown reaches the threshold
        bands = {b.label: b for b in self.wb.age_bands}
        merged = merge_adjacent(f.by_age, "project_id", "age_group",
                                threshold=self.suppress_below)
        #: projects whose age bands were merged
        self._merged = set(merged.loc[merged["first"] != merged["last"], "project_id"])
        ages = pd.DataFrame({
            "project_id": merged["project_id"],
            "age_group": [self._age_label(bands[a].low, bands[b].high)
                          for a, b in zip(merged["first"], merged["last"], strict=True)],
            "count": merged["count"].astype("int64"),
        })
        self.by_age = suppress(with_totals(ages, "project_id", "age_group", self.t("total")),
                               "project_id", threshold=self.suppress_below)
        #: projects where some referral names its source (only these get a source table)
        self._with_sources = set(f.by_source.loc[f.by_source["source"] != "", "project_id"])
        source = f.by_source.assign(source=f.by_source["source"].replace("",
                                                                         self.t("no_source")))
        self.by_source = suppress(with_totals(source, "project_id", "source", self.t("total")),
                                  "project_id", threshold=self.suppress_below)
        self._forms: dict[str, pd.DataFrame] = {}

    # --- helpers ------------------------------------------------------------------
    def t(self, key: str, **params: Any) -> str:
        return text(f"report.{key}", self.lang, **params)

    @property
    def projects(self) -> list[str]:
        """The projects the report covers, in workbook order."""
        ids = list(self.summary.index)
        return [self.project_id] if self.project_id is not None else ids

    def _age_label(self, low: int, high: int | None) -> str:
        if high is None:
            return self.t("age_all") if low == 0 else self.t("age_open", low=low)
        if low == high:
            return self.t("age_one", low=low)
        return self.t("age_span", low=low, high=high)

    @property
    def source_line(self) -> str:
        return self.t("source_line", name=self.wb.path.name)

    def _amount(self, value: float) -> str:
        return fmt.amount(value, self.lang)

    def _project(self, pid: str) -> pd.Series:
        projects = self.wb.tables["projects"]
        return projects[projects["project_id"] == pid].iloc[0]

    # --- the parts ------------------------------------------------------------------
    def title(self) -> Html:
        """The report's one h1 and, for several projects, what it covers: a "Delrapport"
        (interim report) when every project it covers is still running."""
        interim = "_interim" if self.interim else ""
        if self.project_id is not None:
            text = self.t(f"title_one{interim}", name=self._project(self.project_id)["name"])
        else:
            text = self.t(f"title{interim}")
        return Html(f"<h1>{_e(text)}</h1>")

    @property
    def interim(self) -> bool:
        """Whether every project covered is still running on the as-of date (a workbook
        without any dated row has no such date: its report is not called interim)."""
        if self.figures is None or self.figures.as_of is None:
            return False
        statuses = [self.rules.loc[pid, "status"] for pid in self.projects]
        return bool(statuses) and all(s == "running" for s in statuses)

    def bottom_line(self) -> Html:
        """The summary first: the date the figures speak of, then in plain sentences what
        the projects spent of what was paid out, what goes back and what is still paid."""
        f = self.figures
        assert f is not None
        parts = [f"<h2>{_e(self.t('summary'))}</h2>"]
        if f.as_of is not None:
            parts.append(f'<p class="gs-as-of">'
                         f'{_e(self.t("as_of", date=fmt.date(f.as_of, self.lang)))}</p>')
        ids = self.projects
        if len(ids) > 1:
            s, r = self.summary.loc[ids], self.rules.loc[ids]
            said = [self.t("sum_all", granted=self._amount(s["granted"].sum()),
                           paid=self._amount(r["paid_out"].sum()),
                           spent=self._amount(s["spent"].sum()))]
            if r["to_repay"].sum() > _CENT:
                said.append(self.t("sum_all_repay", amount=self._amount(r["to_repay"].sum())))
            if r["final_payment_due"].sum() > _CENT:
                said.append(self.t("sum_all_due",
                                   amount=self._amount(r["final_payment_due"].sum())))
            parts.append(f"<p>{_e(' '.join(said))}</p>")
        for pid in ids:
            lead = self.t("sum_project", name=self.summary.loc[pid, "name"],
                          status=text(f"status.{self.rules.loc[pid, 'status']}", self.lang))
            parts.append(f"<p><strong>{_e(lead)}</strong> "
                         f"{_e(' '.join(self.bottom_line_of(pid)))}</p>")
        return Html("".join(parts))

    def bottom_line_of(self, pid: str) -> list[str]:
        """The project's bottom line, as sentences."""
        row, r = self.summary.loc[pid], self.rules.loc[pid]
        a = self._amount
        paid, spent = float(r["paid_out"]), float(row["spent"])
        repay, due = float(r["to_repay"]), float(r["final_payment_due"])
        held = float(row["holdback_outstanding"])
        said: list[str] = []
        if r["status"] == "running":
            p = self._project(pid)
            as_of = self.figures.as_of if self.figures is not None else None
            if pd.notna(p["start"]) and pd.notna(p["end"]) and as_of is not None:
                span = max((p["end"] - p["start"]).days + 1, 1)
                elapsed = min(max((as_of - p["start"]).days + 1, 0), span) / span
                used = spent / row["granted"] if row["granted"] else None
                said.append(self.t("sum_running", end=fmt.date(p["end"], self.lang),
                                   elapsed=fmt.percent(elapsed, self.lang),
                                   used=fmt.percent(used, self.lang), spent=a(spent),
                                   granted=a(row["granted"])))
            else:
                said.append(self.t("sum_spent", spent=a(spent), paid=a(paid)) if paid > _CENT
                            else self.t("sum_nothing_paid", spent=a(spent)))
            if repay > _CENT:
                said.append(self.t("sum_running_unspent", amount=a(repay)))
            return said
        said.append(self.t("sum_spent", spent=a(spent), paid=a(paid)) if paid > _CENT
                    else self.t("sum_nothing_paid", spent=a(spent)))
        if repay > _CENT:
            if held > _CENT:
                said.append(self.t("sum_repay_holdback", amount=a(repay),
                                   funder=self._funder(pid), held=a(held)))
            else:
                said.append(self.t("sum_repay", amount=a(repay), funder=self._funder(pid)))
        elif due > _CENT:
            said.append(self.t("sum_due", amount=a(due)))
        elif held > _CENT:
            said.append(self.t("sum_holdback_unpaid", held=a(held)))
        if r["status"] == "late" and pd.notna(r["report_due"]):
            said.append(self.t("sum_late", date=fmt.date(r["report_due"], self.lang)))
        return said

    def warnings(self) -> Html:
        """What the grant's rules find, right after the summary, each with its fix."""
        own = self.found[self.found["project_id"].isin(self.projects)]
        if own.empty:
            return Html("")
        items = [self.t("warning", project=self.summary.loc[pid, "name"],
                        message=warning_line(code, params, self.lang))
                 for pid, code, params in zip(own["project_id"], own["code"], own["params"],
                                              strict=True)]
        return Html(f"<h2>{_e(self.t('warnings'))}</h2><ul class=\"gs-warnings\">"
                    + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")

    def _funder(self, pid: str) -> str:
        grants = self.wb.tables["grants"]
        named = [f for f in grants.loc[grants["project_id"] == pid, "funder"]
                 if isinstance(f, str) and f]
        return named[0] if named else self.t("funder")

    def overview(self) -> Html:
        """All projects side by side (only when the report covers several)."""
        if self.project_id is not None or len(self.projects) < 2:
            return Html("")
        amounts = ("granted", "requisitioned", "spent", "to_repay", "final_payment_due")
        rows = self.summary.join(self.rules[["to_repay", "final_payment_due"]])
        total = rows[list(amounts)].sum()
        shown = pd.DataFrame({
            "project": [*rows["name"], self.t("total")],
            **{c: [self._amount(v) for v in [*rows[c], total[c]]] for c in amounts},
            "utilisation": [fmt.percent(v, self.lang) for v in [
                *rows["utilisation"],
                total["spent"] / total["granted"] if total["granted"] else None]],
        })
        columns = [*amounts, "utilisation"]
        table = html_table(shown, [("project", self.t("project"))] +
                           [(c, figure(c, self.lang)) for c in columns],
                           numeric=columns, emphasis=[len(rows)])
        fig = charts.spend_vs_grant(self.summary, lang=self.lang, source=self.source_line)
        alt = charts.spend_vs_grant_alt(self.summary, lang=self.lang)
        return Html(f"<h2>{_e(self.t('overview'))}</h2>{table}{figure_html(fig, alt)}")

    def heading(self, pid: str) -> Html:
        """The project's heading and lead: unit, period, decisions, report due date."""
        p = self._project(pid)
        unit = p["unit"] if isinstance(p["unit"], str) and p["unit"] else "–"
        if pd.notna(p["start"]) and pd.notna(p["end"]):
            lead = self.t("lead", name=p["name"], unit=unit, start=fmt.date(p["start"], self.lang),
                          end=fmt.date(p["end"], self.lang))
        else:
            lead = self.t("lead_no_period", name=p["name"], unit=unit)
        grants = self.wb.tables["grants"]
        decisions = []
        due_dates = []
        for g in grants[grants["project_id"] == pid].itertuples(index=False):
            funder = g.funder if isinstance(g.funder, str) and g.funder else self.t("funder")
            ref = self.t("decision_ref", ref=g.reference) if isinstance(
                g.reference, str) and g.reference else ""
            text = self.t("decision", funder=funder, amount=self._amount(g.amount),
                          date=fmt.date(g.decision_date, self.lang), ref=ref)
            if g.holdback_share:
                text += self.t("decision_holdback", share=fmt.percent(g.holdback_share, self.lang))
            decisions.append(text + ".")
            if pd.notna(g.report_due):
                due_dates.append((g.report_due, funder))
        parts = [f"<h2>{_e(p['name'])}</h2>", f'<p class="gs-lead">{_e(lead)}</p>']
        if decisions:
            parts.append("<ul>" + "".join(f"<li>{_e(d)}</li>" for d in decisions) + "</ul>")
        if due_dates:
            due, funder = min(due_dates)
            parts.append(f"<p>{_e(self.t('due', funder=funder, date=fmt.date(due, self.lang)))}"
                         "</p>")
        return Html("".join(parts))

    def financing(self, pid: str) -> Html:
        """Key figures and the financing waterfall."""
        row = pd.concat([self.summary.loc[pid], self.rules.loc[pid]])
        # what is held back is said once, in the summary: not as a sum of its own
        keys = ["applied", "granted", "requisitioned", "spent", "to_repay",
                "final_payment_due", "other_financing"]
        shown = pd.DataFrame({
            "figure": [figure(k, self.lang) for k in [*keys, "utilisation"]],
            "amount": [self._amount(row[k]) for k in keys]
            + [fmt.percent(row["utilisation"], self.lang)],
        })
        table = html_table(shown, [("figure", self.t("figure")), ("amount", self.t("amount"))],
                           numeric=["amount"])
        own = self.summary.loc[pid]
        fig = charts.financing_waterfall(own, lang=self.lang, source=self.source_line)
        alt = charts.financing_waterfall_alt(own, lang=self.lang)
        return Html(f"<h3>{_e(self.t('financing'))}</h3>{table}{figure_html(fig, alt)}")

    def costs(self, pid: str) -> Html:
        """The form's budget table and spent against the applied budget."""
        own = self.by_category[self.by_category["project_id"] == pid]
        if not own["spent"].any():  # no empty tables or charts of -100 %
            return Html(f"<h3>{_e(self.t('costs'))}</h3><p>{_e(self.t('no_costs'))}</p>")
        parts = [f"<h3>{_e(self.t('costs'))}</h3>",
                 budget_form_html(self._form(pid), self.lang, caption=self.t("form_caption"))]
        if own["applied"].any() or own["spent"].any():
            shown = pd.DataFrame({
                "category": [_category_label(c, self.lang) for c in own["category"]],
                "applied": [self._amount(v) for v in own["applied"]],
                "spent": [self._amount(v) for v in own["spent"]],
                "variance": [self._amount(v) for v in own["variance"]],
                "variance_pct": [fmt.percent(v, self.lang) for v in own["variance_pct"]],
            })
            parts.append(html_table(
                shown, [(c, figure(c, self.lang) if c in ("applied", "spent") else self.t(c))
                        for c in ("category", "applied", "spent", "variance", "variance_pct")],
                caption=self.t("against_budget"),
                numeric=["applied", "spent", "variance", "variance_pct"]))
            fig = charts.costs_by_category(own, lang=self.lang, source=self.source_line)
            parts.append(figure_html(fig, charts.costs_by_category_alt(own, lang=self.lang)))
        return Html("".join(parts))

    def over_time(self, pid: str) -> Html:
        """Cumulative spending against even spending of the grant over the period."""
        own = self.cumulative[self.cumulative["project_id"] == pid]
        head = f"<h3>{_e(self.t('over_time'))}</h3>"
        if own.empty or not own["spent"].any():
            return Html(f"{head}<p>{_e(self.t('no_costs'))}</p>")
        fig = charts.cumulative_spend(own, lang=self.lang, source=self.source_line)
        note = (f'<p class="gs-note">{_e(self.t("illustrative"))}</p>'
                if own["illustrative"].any() else "")
        return Html(head + figure_html(fig, charts.cumulative_spend_alt(own, lang=self.lang))
                    + note)

    def outcomes(self, pid: str) -> Html:
        """Referrals by age group and by source, small counts hidden."""
        head = f"<h3>{_e(self.t('outcomes'))}</h3>"
        age = self.by_age[self.by_age["project_id"] == pid]
        if age.empty or age.loc[age["is_total"], "count"].sum() == 0:
            return Html(f"{head}<p>{_e(self.t('no_referrals'))}</p>")
        source = self.by_source[self.by_source["project_id"] == pid]
        privacy = (self.t("suppressed", n=self.suppress_below) if self.suppress_below
                   else self.t("not_suppressed"))
        parts = [head, f'<p class="gs-privacy">{_e(privacy)}</p>']
        referrals = self.wb.tables["referrals"]
        made_up = bool(referrals.loc[referrals["project_id"] == pid, "illustrative"].any())
        tables = [(age, "age_group", "by_age", charts.referrals_by_age_group)]
        if pid in self._with_sources:  # no table of sources when none was written
            tables.append((source, "source", "by_source", charts.referrals_by_source))
        for table, label_col, key, chart in tables:
            total_rows = [i for i, flag in enumerate(table["is_total"]) if flag]
            parts.append(html_table(
                table.reset_index(drop=True),
                [(label_col, self.t(label_col)), ("shown", self.t("count"))],
                caption=self.t(key), numeric=["shown"], emphasis=total_rows))
            if key == "by_age" and pid in self._merged and self.suppress_below:
                parts.append(f'<p class="gs-note">'
                             f'{_e(self.t("merged", n=self.suppress_below))}</p>')
            body = table[~table["is_total"]].reset_index(drop=True).assign(
                illustrative=made_up)
            if not (~body["hidden"] & (body["count"] > 0)).any():  # no bar to draw
                parts.append(f"<p>{_e(self.t('no_chart'))}</p>")
                continue
            fig = chart(body, lang=self.lang, source=self.source_line)
            alt = getattr(charts, f"{chart.__name__}_alt")(body, lang=self.lang)
            parts.append(figure_html(fig, alt))
        if made_up:
            parts.append(f'<p class="gs-note">{_e(self.t("illustrative"))}</p>')
        return Html("".join(parts))

    def notes(self, pid: str) -> Html:
        """Categories more than 10 % off budget, unspent and held-back money."""
        own = self.variances[self.variances["project_id"] == pid]
        items = []
        for v in own.itertuples(index=False):
            amount = self._amount(abs(v.amount))
            if v.kind.startswith("category"):
                cat = _category_label(v.category, self.lang)
                if pd.isna(v.share):
                    items.append(self.t("category_new", category=cat, amount=amount))
                else:
                    items.append(self.t(v.kind, category=cat, amount=amount,
                                        pct=fmt.percent(abs(v.share), self.lang)))
            elif v.kind == "unspent":
                running = self.rules.loc[pid, "status"] == "running"
                items.append(self.t("unspent_running" if running else "unspent",
                                    amount=amount))
            elif v.kind == "holdback":
                # paid after the approval only what spending above the payments earns
                due = float(self.rules.loc[pid, "final_payment_due"])
                if due > _CENT:
                    items.append(self.t("holdback", amount=self._amount(due)))
            else:
                items.append(self.t(v.kind, amount=amount))
        head = f"<h3>{_e(self.t('notes'))}</h3>"
        if not items:
            return Html(f"{head}<p>{_e(self.t('no_notes'))}</p>")
        return Html(head + "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")

    def forms(self) -> dict[str, tuple[str, pd.DataFrame]]:
        """The form's budget table per project covered, for the Excel file."""
        return {pid: (str(self.summary.loc[pid, "name"]), self._form(pid))
                for pid in self.projects}

    def _form(self, pid: str) -> pd.DataFrame:
        """The form's table of one project (built once: the page and the Excel file)."""
        if pid not in self._forms:
            own = self.by_category[self.by_category["project_id"] == pid]
            self._forms[pid] = budget_form(own.set_index("category")["spent"],
                                           self.summary.loc[pid], self.lang)
        return self._forms[pid]


def _category_label(key: str, lang: str) -> str:
    return localized(CATEGORIES_BY_KEY[key], lang)

