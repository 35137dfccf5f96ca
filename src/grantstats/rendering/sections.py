"""The committee report's sections, as HTML fragments the notebook displays.

:class:`Report` takes the :class:`~grantstats.computing.results.Figures` of a loaded
workbook (or computes them, once); each method returns one part of the story for one
project (heading, budget and outcome with the analyst's explanations, spending over time,
outcomes) and the parts around them (title block, summary, warnings, key figures, key to
symbols, an appendix on how the report was made), in the report language. Every text
taken from the spreadsheet is escaped; charts come with alt text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from grantstats import fmt
from grantstats.computing import rules
from grantstats.computing.results import Figures
from grantstats.computing.suppress import DEFAULT_THRESHOLD, SECONDARY_MARK
from grantstats.reading.loader import Workbook
from grantstats.rendering import charts, counts
from grantstats.rendering.figure import Html, figure_html
from grantstats.rendering.form import budget_form, html_table
from grantstats.rendering.summary import warning_line
from grantstats.texts import check_lang, figure, text

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
    them to the notebook); else they are computed here, as of ``as_of``.
    """

    wb: Workbook
    project_id: str | None = None
    lang: str = "sv"
    suppress_below: int | None = DEFAULT_THRESHOLD
    figures: Figures | None = None
    #: the date the figures speak of (``"2010-06-30"``; None: the workbook's latest
    #: date); used when the figures are computed here
    as_of: dt.date | str | None = None
    summary: pd.DataFrame = field(init=False)
    by_category: pd.DataFrame = field(init=False)
    cumulative: pd.DataFrame = field(init=False)
    by_age: pd.DataFrame = field(init=False)
    by_source: pd.DataFrame = field(init=False)
    #: budget against outcome per category (:meth:`budget`)
    budget_outcome: pd.DataFrame = field(init=False)
    #: the grant's rules per project (:data:`grantstats.computing.rules.RULE_COLUMNS`)
    rules: pd.DataFrame = field(init=False)
    #: the rules' warnings: project_id, code, params
    found: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        check_lang(self.lang)
        if self.figures is None:
            as_of = pd.Timestamp(self.as_of) if self.as_of is not None else None
            self.figures = Figures.of(self.wb, self.project_id, as_of)
        elif self.figures.project_id != self.project_id:
            raise ValueError(f"the figures are for project {self.figures.project_id!r}, "
                             f"not {self.project_id!r}")
        f = self.figures
        self.summary, self.by_category = f.summary, f.by_category
        self.cumulative = f.cumulative
        self.budget_outcome = f.budget_outcome
        self.rules, self.found = f.rules, f.warnings
        # the same age groups, labels and hidden cells as the statement's
        ages = counts.age_groups(f.by_age, self.wb.age_bands, self.lang, self.suppress_below)
        #: projects whose age bands were merged
        self._merged = ages.merged
        self.by_age = ages.table
        #: projects where some referral names its source (only these get a source table)
        self._with_sources = set(f.by_source.loc[f.by_source["source"] != "", "project_id"])
        # small sources gathered under "Övriga", so that many small ones still show
        source = counts.sources(f.by_source, self.lang, self.suppress_below)
        #: projects where small sources were gathered
        self._merged_sources = source.merged
        self.by_source = source.table
        self._forms: dict[str, pd.DataFrame] = {}

    # --- helpers ------------------------------------------------------------------
    def t(self, key: str, **params: Any) -> str:
        return text(f"report.{key}", self.lang, **params)

    @property
    def projects(self) -> list[str]:
        """The projects the report covers, in workbook order."""
        ids = list(self.summary.index)
        return [self.project_id] if self.project_id is not None else ids

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
        """The title block: the report's one h1 (a "Delrapport" when every project it
        covers is still running), what it is about (grant, unit, period), who made it,
        the date the figures speak of and the decisions' case numbers; then, when any
        figure rests on rows marked illustrative, one banner saying so."""
        ids = self.projects
        projects = self.wb.tables["projects"]
        own = projects[projects["project_id"].isin(ids)]
        heading = self.heading_text()
        grants = self.wb.tables["grants"]
        grants = grants[grants["project_id"].isin(ids)]
        funders = _unique(grants["funder"]) or [self.t("funder")]
        units = _unique(own["unit"])
        about = [self.t("about_grant", funder=_and(funders, self.lang))]
        if units:
            about.append(self.t("about_unit", unit=_and(units, self.lang)))
        starts, ends = own["start"].dropna(), own["end"].dropna()
        if not starts.empty and not ends.empty:
            about.append(self.t("about_period", start=fmt.date(starts.min(), self.lang),
                                end=fmt.date(ends.max(), self.lang)))
        lines = [f'<p class="gs-subtitle">{_e(" ".join(about))}</p>', "<dl class=\"gs-meta\">"]

        def line(label: str, value: str, escaped: str | None = None) -> None:
            lines.append(f"<div><dt>{_e(self.t(label))}</dt>"
                         f"<dd>{escaped if escaped is not None else _e(value)}</dd></div>")

        if units:
            contacts = _unique(own["contact"]) if "contact" in own else []
            line("made_by", _and(units, self.lang) + (
                self.t("contact", contact=_and(contacts, self.lang)) if contacts else ""))
        f = self.figures
        if f is not None and f.as_of is not None:
            line("as_of_label", fmt.date(f.as_of, self.lang))
        refs = _unique(grants["reference"])
        if refs:  # a case number is never broken across lines
            line("references", "", ", ".join(_nowrap(_e(r), refs) for r in refs))
        lines.append("</dl>")
        banner = ""
        if self._illustrative():
            banner = f'<p class="gs-banner" role="note">{_e(self.t("illustrative"))}</p>'
        return Html(f'<header class="gs-title"><h1>{_e(heading)}</h1>{"".join(lines)}'
                    f"{banner}</header>")

    def heading_text(self) -> str:
        """The report's h1 as plain text (the page's ``<title>``)."""
        interim = "_interim" if self.interim else ""
        if self.project_id is not None:
            return self.t(f"title_one{interim}", name=self._project(self.project_id)["name"])
        return self.t(f"title{interim}")

    def _illustrative(self) -> bool:
        """Whether any row the report's figures rest on is marked illustrative."""
        t = self.wb.tables
        return any(bool(t[name].loc[t[name]["project_id"].isin(self.projects),
                                    "illustrative"].fillna(False).astype(bool).any())
                   for name in ("costs", "referrals") if "illustrative" in t[name])

    @property
    def interim(self) -> bool:
        """Whether every project covered is still running on the as-of date (a workbook
        without any dated row has no such date: its report is not called interim)."""
        if self.figures is None or self.figures.as_of is None:
            return False
        statuses = [self.rules.loc[pid, "status"] for pid in self.projects]
        return bool(statuses) and all(s == "running" for s in statuses)

    def bottom_line(self) -> Html:
        """The summary first: in plain sentences what the projects spent of what was paid
        out, what goes back and what is still paid."""
        f = self.figures
        assert f is not None
        parts = [f"<h2>{_e(self.t('summary'))}</h2>"]
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
                elapsed = float(self.figures.elapsed[pid]) if self.figures is not None else 1.0
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
        """The key figures: all projects side by side with a total row, or the one
        project's figures as a list when the report covers one (each figure is given
        once here; the project sections do not repeat them)."""
        amounts = ("granted", "requisitioned", "spent", "to_repay", "final_payment_due")
        columns = [*amounts, "utilisation"]
        ids = self.projects
        rows = self.summary.loc[ids].join(self.rules[["to_repay", "final_payment_due"]])
        caption = self.t("overview_caption", date=self._as_of_text())
        if len(ids) == 1:
            row = rows.iloc[0]
            shown = pd.DataFrame({
                "figure": [figure(c, self.lang) for c in columns],
                "value": [*(self._amount(row[c]) for c in amounts),
                          fmt.percent(row["utilisation"], self.lang)],
            })
            table = html_table(shown, [("figure", self.t("key_figure")),
                                       ("value", self.t("amount"))],
                               caption=caption, numeric=["value"])
            return Html(f"<h2>{_e(self.t('key_figures'))}</h2>{table}")
        total = rows[list(amounts)].sum()
        shown = pd.DataFrame({
            "project": [*rows["name"], self.t("total")],
            **{c: [self._amount(v) for v in [*rows[c], total[c]]] for c in amounts},
            "utilisation": [fmt.percent(v, self.lang) for v in [
                *rows["utilisation"],
                total["spent"] / total["granted"] if total["granted"] else None]],
        })
        table = html_table(shown, [("project", self.t("project"))] +
                           [(c, figure(c, self.lang)) for c in columns],
                           caption=caption, numeric=columns, emphasis=[len(rows)])
        fig = charts.spend_vs_grant(self.summary, lang=self.lang, source=self.source_line)
        chart = figure_html(fig, charts.spend_vs_grant_alt(self.summary, lang=self.lang))
        return Html(f"<h2>{_e(self.t('overview'))}</h2>{table}{chart}")

    def _as_of_text(self) -> str:
        f = self.figures
        return fmt.date(f.as_of, self.lang) if f is not None and f.as_of is not None else "–"

    def _h(self, key: str) -> str:
        """A section heading of a project: h3 under the project's h2, or h2 when the
        report is about one project (its h1 names it already)."""
        level = 2 if self.project_id is not None else 3
        return f"<h{level}>{_e(self.t(key))}</h{level}>"

    def heading(self, pid: str) -> Html:
        """The project's heading and lead: unit, period, decisions, report due date (the
        heading only when the report covers several projects: else the h1 names it)."""
        p = self._project(pid)
        unit = p["unit"] if isinstance(p["unit"], str) and p["unit"] else None
        named = f"{p['name']} ({unit})" if unit else str(p["name"])
        if pd.notna(p["start"]) and pd.notna(p["end"]):
            lead = self.t("lead", name=named, start=fmt.date(p["start"], self.lang),
                          end=fmt.date(p["end"], self.lang),
                          verb=text(f"status.verb_{self.rules.loc[pid, 'status']}", self.lang))
        else:
            lead = self.t("lead_no_period", name=named)
        grants = self.wb.tables["grants"]
        decisions = []
        due_dates = []
        refs = _unique(grants.loc[grants["project_id"] == pid, "reference"])
        for g in grants[grants["project_id"] == pid].itertuples(index=False):
            funder = g.funder if isinstance(g.funder, str) and g.funder else self.t("funder")
            ref = self.t("decision_ref", ref=g.reference) if isinstance(
                g.reference, str) and g.reference else ""
            said = self.t("decision", funder=funder, amount=self._amount(g.amount),
                          date=fmt.date(g.decision_date, self.lang), ref=ref)
            if g.holdback_share:
                said += self.t("decision_holdback", share=fmt.percent(g.holdback_share, self.lang))
            decisions.append(said + ".")
            if pd.notna(g.report_due):
                due_dates.append((g.report_due, funder))
        parts = [f'<h2 class="gs-project" id="{_anchor(pid)}">{_e(p["name"])}</h2>'
                 ] if self.project_id is None else []
        parts.append(f'<p class="gs-lead">{_e(lead)}</p>')
        if decisions:
            parts.append("<ul>" + "".join(f"<li>{_nowrap(_e(d), refs)}</li>"
                                          for d in decisions) + "</ul>")
        if due_dates:
            due, funder = min(due_dates)
            parts.append(f"<p>{_e(self.t('due', funder=funder, date=fmt.date(due, self.lang)))}"
                         "</p>")
        return Html("".join(parts))

    def budget(self, pid: str) -> Html:
        """One table of the project's budget against its outcome by the form's
        categories, each variance with the analyst's explanation next to it (or "saknar
        förklaring" where one over 10 % has none); then the chart. A running project is
        compared with the budget for the part of the period passed. A project without
        costs gets one sentence."""
        own = self.budget_outcome[self.budget_outcome["project_id"] == pid]
        head = self._h("budget")
        if not own["spent"].any():
            return Html(f"{head}<p>{_e(self.t('no_costs'))}</p>")
        running = self.rules.loc[pid, "status"] == "running"
        sums = own[["applied", "expected", "spent", "variance"]].sum()
        explain = bool(own["unexplained"].any() or own["texts"].map(bool).any())
        rows = {
            "category": [*(charts.category_label(c, self.lang) for c in own["category"]),
                         self.t("total")],
            "applied": [self._amount(v) for v in [*own["applied"], sums["applied"]]],
            "expected": [self._amount(v) for v in [*own["expected"], sums["expected"]]],
            "spent": [self._amount(v) for v in [*own["spent"], sums["spent"]]],
            "variance": [self._amount(v) for v in [*own["variance"], sums["variance"]]],
            "variance_pct": [fmt.percent(v, self.lang) for v in [
                *own["variance_pct"],
                sums["variance"] / sums["expected"] if sums["expected"] else None]],
            "explanation": [*(self.t("unexplained") if missing else " ".join(said)
                              for said, missing in zip(own["texts"], own["unexplained"],
                                                       strict=True)), ""],
        }
        columns = [("category", self.t("category")), ("applied", figure("applied", self.lang))]
        if running:
            columns.append(("expected", self.t("expected", date=self._as_of_text())))
        columns += [("spent", figure("spent", self.lang)),
                    ("variance", self.t("variance_expected" if running else "variance")),
                    ("variance_pct", self.t("variance_pct"))]
        if explain:
            columns.append(("explanation", self.t("explanation")))
        table = html_table(pd.DataFrame(rows), columns,
                           caption=self.t("budget_caption_running" if running
                                          else "budget_caption"),
                           numeric=["applied", "expected", "spent", "variance", "variance_pct"],
                           emphasis=[len(own)])
        parts = [head, table]
        if own["unexplained"].any():
            parts.append(f'<p class="gs-note">{_e(self.t("unexplained_hint"))}</p>')
        by_category = self.by_category[(self.by_category["project_id"] == pid)
                                       & self.by_category["category"].isin(own["category"])]
        fig = charts.costs_by_category(by_category, lang=self.lang, source=self.source_line)
        parts.append(figure_html(fig, charts.costs_by_category_alt(by_category, lang=self.lang)))
        return Html("".join(parts))

    def over_time(self, pid: str) -> Html:
        """Cumulative spending against even spending of the grant over the period
        (nothing when there are no costs: :meth:`budget` has said so)."""
        own = self.cumulative[self.cumulative["project_id"] == pid]
        if own.empty or not own["spent"].any():
            return Html("")
        fig = charts.cumulative_spend(own, lang=self.lang, source=self.source_line)
        return Html(self._h("over_time")
                    + figure_html(fig, charts.cumulative_spend_alt(own, lang=self.lang)))

    def outcomes(self, pid: str) -> Html:
        """Referrals by age group and by source: adjacent age bands and small sources
        merged so that the finding shows, what merging cannot reach hidden."""
        head = self._h("outcomes")
        age = self.by_age[self.by_age["project_id"] == pid]
        if age.empty or age.loc[age["is_total"], "count"].sum() == 0:
            return Html(f"{head}<p>{_e(self.t('no_referrals'))}</p>")
        source = self.by_source[self.by_source["project_id"] == pid]
        parts = [head]
        if not self.suppress_below:  # counts shown as they are: say it, every time
            parts.append(f'<p class="gs-privacy">{_e(self.t("not_suppressed"))}</p>')
        tables = [(age, "age_group", "by_age", charts.referrals_by_age_group)]
        if pid in self._with_sources:  # no table of sources when none was written
            tables.append((source, "source", "by_source", charts.referrals_by_source))
        for table, label_col, key, chart in tables:
            total_rows = [i for i, flag in enumerate(table["is_total"]) if flag]
            parts.append(html_table(
                table.reset_index(drop=True),
                [(label_col, self.t(label_col)), ("shown", self.t("count"))],
                caption=self.t(key), numeric=["shown"], emphasis=total_rows))
            if self.suppress_below and (
                    (key == "by_age" and pid in self._merged)
                    or (key == "by_source" and pid in self._merged_sources)):
                parts.append(f'<p class="gs-note">'
                             f'{_e(self.t(f"merged_{key}", n=self.suppress_below))}</p>')
            body = table[~table["is_total"]].reset_index(drop=True)
            if not (~body["hidden"] & (body["count"] > 0)).any():  # no bar to draw
                parts.append(f"<p>{_e(self.t('no_chart'))}</p>")
                continue
            fig = chart(body, lang=self.lang, source=self.source_line)
            alt = getattr(charts, f"{chart.__name__}_alt")(body, lang=self.lang)
            parts.append(figure_html(fig, alt))
        return Html("".join(parts))

    def key(self) -> Html:
        """The key to the symbols the report's tables use, SCB style: each symbol with
        one meaning only, and only the symbols that occur."""
        used = []
        shown = pd.concat([self.by_age.loc[self.by_age["project_id"].isin(self.projects),
                                           "shown"],
                           self.by_source.loc[self.by_source["project_id"].isin(self.projects),
                                              "shown"]])
        if (shown == SECONDARY_MARK).any():
            used.append((SECONDARY_MARK, self.t("key_hidden")))
        if self.suppress_below and (shown == f"<{self.suppress_below}").any():
            used.append((f"<{self.suppress_below}", self.t("key_small", n=self.suppress_below)))
        own = self.budget_outcome[self.budget_outcome["project_id"].isin(self.projects)]
        spent = own.groupby("project_id")["spent"].transform("sum") > _CENT
        if own.loc[spent, "variance_pct"].isna().any():
            used.append(("–", self.t("key_none")))
        if not used:
            return Html("")
        items = "".join(f"<dt>{_e(sym)}</dt><dd>{_e(meaning)}</dd>" for sym, meaning in used)
        return Html(f'<section class="gs-key"><h2>{_e(self.t("key"))}</h2>'
                    f"<dl>{items}</dl></section>")

    def about(self) -> Html:
        """The appendix on how the report was made, in words: what it covers, the date
        its figures speak of and why that date, how small counts are treated, its
        language (what ``grantstats report`` was asked for, not ``project_id=None``)."""
        f = self.figures
        assert f is not None
        said = []
        if self.project_id is None:
            said.append(self.t("about_all", n=len(self.projects)))
        else:
            said.append(self.t("about_one", name=self._project(self.project_id)["name"],
                               id=self.project_id))
        if f.as_of is None:
            said.append(self.t("about_no_date"))
        else:
            t = self.wb.tables
            latest = rules.default_as_of(t["costs"], t["requisitions"])
            given = latest is None or pd.Timestamp(f.as_of) != latest
            said.append(self.t("about_as_of_given" if given else "about_as_of_latest",
                               date=fmt.date(f.as_of, self.lang)))
        said.append(self.t("about_suppress", n=self.suppress_below) if self.suppress_below
                    else self.t("not_suppressed"))
        said.append(self.t("about_rules"))
        said.append(self.t("about_lang"))
        items = "".join(f"<li>{_e(s)}</li>" for s in said)
        return Html(f'<section class="gs-about"><h2>{_e(self.t("about"))}</h2>'
                    f"<ul>{items}</ul></section>")

    def provenance(self, read: dt.datetime) -> str:
        """Where the figures come from, in plain words for the footer: the workbook, its
        SHA-256 and when it was read (``read``: an aware time; its zone is named)."""
        offset = read.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        zone = "UTC" if minutes == 0 else (
            f"UTC{'+' if minutes > 0 else '−'}{abs(minutes) // 60}"
            + (f":{abs(minutes) % 60:02d}" if minutes % 60 else ""))
        return self.t("provenance", name=self.wb.path.name, sha=self.wb.sha256,
                      date=fmt.date(read, self.lang), time=read.strftime(self.t("time_format")),
                      zone=zone)

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


def _anchor(pid: str) -> str:
    """A project's heading id: ``project-`` and its id in letters, digits and ``-``."""
    return "project-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", pid).strip("-") or "x")


def _nowrap(escaped: str, refs: list[str]) -> str:
    """``escaped`` HTML with each case number of ``refs`` kept on one line."""
    for ref in sorted(refs, key=len, reverse=True):
        safe = html.escape(ref)
        escaped = escaped.replace(safe, f'<span class="gs-nowrap">{safe}</span>')
    return escaped


def _unique(values: pd.Series) -> list[str]:
    """The distinct non-empty texts of ``values``, in order of appearance."""
    seen: list[str] = []
    for v in values:
        if isinstance(v, str) and v.strip() and v.strip() not in seen:
            seen.append(v.strip())
    return seen


def _and(items: list[str], lang: str) -> str:
    """``a, b och c`` / ``a, b and c``."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {text('report.and', lang)} {items[-1]}"

