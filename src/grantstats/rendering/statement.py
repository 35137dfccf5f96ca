"""The committee statement (tjänsteutlåtande) on a project's final report or application.

:func:`draft` writes the statement's text from the figures, in the structure of the
seed statements: "Till <nämnd>", the title, the proposed decision (numbered), empty
signature lines, Sammanfattning, Bakgrund, Ärendet, Ekonomiska konsekvenser and
Bilagor. Every sentence is made from the figures (:class:`~grantstats.computing.results.Figures`)
and the workbook's rows; free text from the workbook appears only where it is the
analyst's own words (a purpose, an explanation of a variance), marked as such.
:func:`document` lays the draft out in Word (:mod:`grantstats.rendering.word`).

Amounts (docs/statement.md): every figure and every amount of one decision is written to
the krona (``500 000 kr``, ``1 027 607 kr``), as the report writes it; only amounts that
are themselves a round sum of several — the total of several decisions held on one row,
the amounts applied for — are written in thousands where they are whole thousands
(``789 tkr``), as the seeds' prose does. Tables are always to the krona. Dates are
ISO 8601 (``2009-11-05``) in both languages, as the seeds write them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from grantstats import fmt
from grantstats.computing.results import Figures
from grantstats.computing.suppress import DEFAULT_THRESHOLD
from grantstats.contract import CATEGORIES, CATEGORIES_BY_KEY
from grantstats.errors import Problem
from grantstats.reading.loader import Workbook
from grantstats.rendering import counts, word
from grantstats.texts import check_lang, figure, localized, text

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

KINDS: tuple[str, ...] = ("final", "application")
#: Amounts closer than this to zero are zero (kronor are stored as floats).
_CENT = 0.005
#: The date of the rows of a dated table (a row after the as-of date is not yet known).
_DATED = {"grants": "decision_date", "costs": "date"}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class Table:
    """A table of the draft: header, rows of text, right-aligned columns, total rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    emphasis: tuple[int, ...] = ()


Block = str | Table


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Statement:
    """A statement's text, ready to lay out; ``warnings`` say what the user should fill
    in (the committee's name …), as problems of severity ``warning``."""

    lang: str
    kind: str
    project_id: str
    contact: str
    to: str
    title: str
    proposal: Section
    signatures: tuple[str, ...]
    sections: tuple[Section, ...]
    warnings: tuple[Problem, ...] = field(default=())

    def text(self) -> str:
        """The whole text, paragraphs and table rows on lines of their own (for tests and
        for reading the draft without Word)."""
        lines = [self.contact, self.to, self.title]
        for section in (self.proposal, *self.sections):
            lines.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Table):
                    lines += ["\t".join(r) for r in (block.header, *block.rows)]
                else:
                    lines.append(block)
        return "\n".join(line for line in lines if line)


def draft(wb: Workbook, figures: Figures, *, kind: str = "final", lang: str = "sv",
          suppress_below: int | None = DEFAULT_THRESHOLD, immediate: bool = False,
          report_files: Sequence[str] = (), form_file: str | None = None) -> Statement:
    """The statement on ``figures.project_id`` of ``wb``.

    ``report_files``: the file names of the committee report (HTML, PDF) to list among the
    attachments; ``form_file``: the file name of the form's budget table (.docx).
    A final report needs at least one decision and an application a budget: else
    ValueError (the command checks both first, as problems).
    """
    check_lang(lang)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    pid = figures.project_id
    if pid is None:
        raise ValueError("a statement is about one project: Figures.of(wb, project_id)")
    return _Writer(wb, figures, pid, lang, suppress_below).statement(
        kind, immediate, tuple(report_files), form_file)


@dataclass
class _Writer:
    wb: Workbook
    figures: Figures
    pid: str
    lang: str
    suppress_below: int | None

    # --- small helpers ----------------------------------------------------------------
    def t(self, key: str, **params: Any) -> str:
        return text(f"statement.{key}", self.lang, **params)

    def kr(self, value: float) -> str:
        return fmt.amount(value, self.lang)

    def sum_kr(self, value: float) -> str:
        """A round sum of several in thousands (``789 tkr``) when whole thousands."""
        whole = fmt.whole_kronor(value)
        if whole and whole % 1000 == 0 and abs(value - whole) < _CENT:
            return self.t("tkr", n=fmt.number(whole / 1000, self.lang))
        return self.kr(value)

    def date(self, value: Any) -> str:
        """``2009-11-05``, as the seeds (and Swedish authorities) write dates."""
        return str(pd.Timestamp(value).date().isoformat())

    @property
    def project(self) -> pd.Series:
        p = self.wb.tables["projects"]
        return p[p["project_id"] == self.pid].iloc[0]

    def own(self, table: str) -> pd.DataFrame:
        """The project's rows of ``table``; a decision or cost dated after the as-of date
        is not yet known, and left out as the figures leave it out."""
        frame = self.wb.tables[table]
        frame = frame[frame["project_id"] == self.pid]
        column = _DATED.get(table)
        as_of = self.figures.as_of
        if column is not None and as_of is not None and column in frame.columns:
            frame = frame[~(frame[column] > as_of).fillna(False).astype(bool)]
        return frame

    def value(self, row: Any, column: str) -> str:
        got = row.get(column) if hasattr(row, "get") else getattr(row, column, None)
        return got.strip() if isinstance(got, str) else ""

    @property
    def funder(self) -> str:
        named = [f.strip() for f in self.own("grants")["funder"]
                 if isinstance(f, str) and f.strip()]
        return named[0] if named else text("report.funder", self.lang)

    @property
    def committee(self) -> str:
        return self.value(self.project, "committee")

    def committee_subject(self) -> str:
        name = self.committee or self.t("committee")
        return name[:1].upper() + name[1:]

    # --- the statement ----------------------------------------------------------------
    def statement(self, kind: str, immediate: bool, report_files: tuple[str, ...],
                  form_file: str | None) -> Statement:
        p = self.project
        warnings: list[Problem] = []
        if not self.committee:
            warnings.append(Problem("statement.no_committee", sheet=self._sheet("projects"),
                                    severity="warning", params={"project": self.pid}))
        contact = self.value(p, "contact")
        final = kind == "final"
        title = self.t("title_final" if final else "title_application", name=p["name"])
        proposals = self.final_proposals() if final else self.application_proposals()
        if immediate:
            proposals.append(self.t("immediate"))
        numbered = tuple(f"{i}. {s}" for i, s in enumerate(proposals, start=1))
        if final:
            sections = (self.final_summary(), self.background(), self.final_matter(),
                        self.final_economy(),
                        self.attachments_final(report_files, form_file))
        else:
            sections = (self.application_summary(), self.background(),
                        self.application_matter(), self.application_economy(),
                        Section(self.t("attachments"), (f"1. {self.t('attach_application')}",)))
        return Statement(
            lang=self.lang, kind=kind, project_id=self.pid,
            contact=self.t("contact", contact=contact) if contact else "",
            to=f"{self.t('to')}\n{self.committee or self.t('committee')}",
            title=title, proposal=Section(self.t("proposal"), numbered),
            signatures=(self.t("signature_head"), self.t("signature_unit")),
            sections=sections, warnings=tuple(warnings))

    def _sheet(self, key: str) -> str:
        from grantstats.contract import SHEETS_BY_KEY

        return self.wb.sheet_names.get(key) or localized(SHEETS_BY_KEY[key], self.lang)

    # --- the final report ---------------------------------------------------------------
    def final_proposals(self) -> list[str]:
        said = [self.t("approve_final", committee=self.committee_subject())]
        repay = float(self.figures.rules.loc[self.pid, "to_repay"])
        if repay > _CENT:
            said.append(self.t("approve_repay", committee=self.committee_subject(),
                               amount=self.kr(repay), funder=self.funder))
        return said

    def final_summary(self) -> Section:
        p, s, r = self.project, self.figures.summary.loc[self.pid], self.figures.rules.loc[self.pid]
        unit = self.value(p, "unit") or "–"
        said = [self.t("summary_final", name=p["name"], unit=unit, granted=self.kr(s["granted"]),
                       funder=self.funder)]
        if pd.notna(p["start"]) and pd.notna(p["end"]):
            said.append(self.t("summary_period", start=self.date(p["start"]),
                               end=self.date(p["end"])))
        paid, spent = float(r["paid_out"]), float(s["spent"])
        said.append(text("report.sum_spent", self.lang, spent=self.kr(spent), paid=self.kr(paid))
                    if paid > _CENT else
                    text("report.sum_nothing_paid", self.lang, spent=self.kr(spent)))
        if float(r["to_repay"]) > _CENT:
            said.append(text("report.sum_repay", self.lang, amount=self.kr(r["to_repay"]),
                             funder=self.funder))
        elif float(r["final_payment_due"]) > _CENT:
            said.append(text("report.sum_due", self.lang, amount=self.kr(r["final_payment_due"])))
        outcomes = self.outcomes()
        if outcomes is not None:
            said.append(self.t("summary_outcomes", total=outcomes[0]))
        return Section(self.t("summary"), (" ".join(said),))

    def background(self) -> Section:
        """Each decision: date, amount, case number, held-back share, report due date."""
        grants = self.own("grants").sort_values("decision_date", kind="stable")
        blocks: list[Block] = []
        for g in grants.itertuples(index=False):
            funder = self.value(g, "funder") or text("report.funder", self.lang)
            reference = self.value(g, "reference")
            ref = text("report.decision_ref", self.lang, ref=reference) if reference else ""
            several = _several_dates(self.value(g, "note"), g.decision_date)
            if several:
                first = ", ".join(self.date(d) for d in several[:-1])
                dates = self.t("dates_and", first=first, last=self.date(several[-1]))
                said = [self.t("decision_total", funder=funder, dates=dates,
                               amount=self.sum_kr(g.amount), ref=ref)]
            else:
                said = [self.t("decision", funder=funder, date=self.date(g.decision_date),
                               amount=self.kr(g.amount), ref=ref)]
            share = float(g.holdback_share) if pd.notna(g.holdback_share) else 0.0
            if share > 0:
                said.append(self.t("decision_holdback", share=fmt.percent(share, self.lang),
                                   held=self.kr(g.amount * share)))
            if pd.notna(g.report_due):
                key = "due" if share > 0 else "due_only"
                said.append(self.t(key, funder=funder, date=self.date(g.report_due)))
            blocks.append(" ".join(said))
        if not blocks:
            blocks.append(self.t("no_decisions_yet"))
        return Section(self.t("background"), tuple(blocks))

    def final_matter(self) -> Section:
        """The costs by the form's categories (a table), the outcomes, the variances."""
        own = self.budget_outcome()
        blocks: list[Block] = []
        if own.empty or not own["spent"].any():
            blocks.append(self.t("no_costs"))
        else:
            blocks.append(self.t("costs_lead"))
            blocks.append(self.costs_table(own))
        outcomes = self.outcomes()
        if outcomes is not None:
            total, parts, notes = outcomes
            blocks.append(" ".join([self.t("outcomes", total=total, parts=parts), *notes]))
        blocks += self.variance_notes(own)
        return Section(self.t("matter"), tuple(blocks))

    def budget_outcome(self) -> pd.DataFrame:
        """The project's budget against outcome by category, as the report's table has it
        (:func:`grantstats.computing.metrics.budget_outcome`): a running project held to
        the budget for the part of its period passed."""
        table = self.figures.budget_outcome
        return table[table["project_id"] == self.pid].set_index("category")

    @property
    def running(self) -> bool:
        """Whether the project is held to the budget so far ("Budget t.o.m."), as the
        report holds it: while it runs, on the date the figures speak of."""
        return bool(self.figures.rules.loc[self.pid, "status"] == "running"
                    and self.figures.as_of is not None)

    def costs_table(self, own: pd.DataFrame) -> Table:
        """Every category of the form: applied, (for a running project) the budget so
        far, spent, and the variance the report shows."""
        running = self.running
        columns = ["applied", *(["expected"] if running else []), "spent", "variance"]
        rows = []
        for cat in CATEGORIES:
            values = [float(own.at[cat.key, c]) if cat.key in own.index else 0.0
                      for c in columns]
            rows.append((localized(cat, self.lang), *(self.kr(v) for v in values)))
        rows.append((text("form.sum", self.lang),
                     *(self.kr(float(own[c].sum())) for c in columns)))
        header = [text("report.category", self.lang), figure("applied", self.lang)]
        if running:
            header.append(text("report.expected", self.lang,
                               date=self.date(self.figures.as_of)))
        header += [figure("spent", self.lang),
                   text("report.variance_expected" if running else "report.variance",
                        self.lang)]
        return Table(tuple(header), tuple(rows), numeric=tuple(range(1, len(header))),
                     emphasis=(len(rows) - 1,))

    def variance_notes(self, own: pd.DataFrame) -> list[Block]:
        """Per category: the variance the report flags (over 10 % as the whole percent
        it shows; a running project against the budget so far), and the analyst's
        explanations, as the report shows them next to it."""
        blocks: list[Block] = []
        for cat in CATEGORIES:
            if cat.key not in own.index:
                continue
            r = own.loc[cat.key]
            label = localized(cat, self.lang)
            notes = list(r["texts"])
            if r["flagged"]:
                blocks.append(" ".join([self.variance_said(label, r),
                                        *(self.t("explanation", text=n) for n in notes)]))
            elif notes:
                blocks.append(self.t("category_note", category=label, text=" ".join(notes)))
        return blocks

    def variance_said(self, label: str, r: pd.Series) -> str:
        """One flagged variance in words: more or less than the applied budget (or, for
        a running project, than the budget so far), or spent without a budget."""
        amount = self.kr(abs(float(r["variance"])))
        if abs(float(r["applied"])) < _CENT:
            return self.t("category_new", category=label, amount=amount)
        if pd.isna(r["variance_pct"]):  # nothing budgeted yet: the period has not begun
            return self.t("category_early", category=label, amount=amount)
        more = float(r["variance"]) > 0
        pct = fmt.percent(abs(float(r["variance_pct"])), self.lang)
        if self.running:
            return self.t("category_over_so_far" if more else "category_under_so_far",
                          category=label, amount=amount, pct=pct,
                          date=self.date(self.figures.as_of))
        return self.t("category_over" if more else "category_under",
                      category=label, amount=amount, pct=pct)

    def outcomes(self) -> tuple[str, str, list[str]] | None:
        """(total, "0–17 år: 10, 18 år och äldre: 4", notes): the report's age groups,
        labels and hidden cells (:func:`grantstats.rendering.counts.age_groups`); None
        when the project has no referrals."""
        by_age = self.figures.by_age
        own = by_age[by_age["project_id"] == self.pid]
        if own.empty or int(own["count"].sum()) == 0:
            return None
        ages = counts.age_groups(own, self.wb.age_bands, self.lang, self.suppress_below)
        shown = ages.table
        body = shown[~shown["is_total"]]
        total = str(shown.loc[shown["is_total"], "shown"].iloc[0])
        parts = ", ".join(self.t("outcome_part", label=label, shown=value)
                          for label, value, n in zip(body["age_group"], body["shown"],
                                                     body["count"], strict=True)
                          if n > 0 or value != "0")
        notes = []
        if self.suppress_below is None:
            notes.append(self.t("not_suppressed"))
        else:
            if self.pid in ages.merged:
                notes.append(text("report.merged_by_age", self.lang, n=self.suppress_below))
            if shown["hidden"].any():
                notes.append(self.t("suppressed", n=self.suppress_below))
        return total, parts, notes

    def final_economy(self) -> Section:
        s, r = self.figures.summary.loc[self.pid], self.figures.rules.loc[self.pid]
        said = [self.t("economy_paid", funder=self.funder, paid=self.kr(r["paid_out"]),
                       granted=self.kr(s["granted"]), spent=self.kr(s["spent"]))]
        repay, due = float(r["to_repay"]), float(r["final_payment_due"])
        held = float(s["holdback_outstanding"])
        if repay > _CENT:
            said.append(self.t("economy_repay", amount=self.kr(repay), funder=self.funder))
        if held > _CENT:
            if due >= held - _CENT:
                said.append(self.t("economy_held_paid", held=self.kr(held)))
            elif due > _CENT:
                said.append(self.t("economy_held_part", held=self.kr(held), due=self.kr(due)))
            else:
                said.append(self.t("economy_held_unpaid", held=self.kr(held)))
        elif due > _CENT:
            said.append(self.t("economy_due", due=self.kr(due)))
        if float(s["other_financing"]) > _CENT:
            said.append(self.t("economy_other", amount=self.kr(s["other_financing"])))
        if r["status"] == "running" and pd.notna(self.project["end"]):
            said.append(self.t("economy_running", end=self.date(self.project["end"])))
        if r["status"] == "late" and pd.notna(r["report_due"]):
            said.append(text("report.sum_late", self.lang, date=self.date(r["report_due"])))
        if self.figures.as_of is not None:
            said.append(text("report.as_of", self.lang, date=self.date(self.figures.as_of)))
        return Section(self.t("economy"), (" ".join(said),))

    def attachments_final(self, report_files: tuple[str, ...],
                          form_file: str | None) -> Section:
        report = (self.t("attach_report", files=", ".join(report_files)) if report_files
                  else self.t("attach_report_missing"))
        items = [report]
        if form_file:
            items.append(self.t("attach_form", file=form_file))
        return Section(self.t("attachments"),
                       tuple(f"{i}. {item}" for i, item in enumerate(items, start=1)))

    # --- the application ----------------------------------------------------------------
    def purposes(self) -> list[tuple[str, str, float]]:
        """(purpose, category label, amount) per line of the applied budget."""
        out = []
        for b in self.own("budget").itertuples(index=False):
            label = localized(CATEGORIES_BY_KEY[b.category], self.lang)
            out.append((self.value(b, "description") or label, label, float(b.amount)))
        return out

    def application_proposals(self) -> list[str]:
        lines = self.purposes()
        total = sum(a for _, _, a in lines)
        purposes = ", ".join(self.t("purpose", purpose=p, amount=self.sum_kr(a))
                             for p, _, a in lines)
        return [self.t("approve_application", committee=self.committee_subject(),
                       funder=self.funder, amount=self.sum_kr(total), purposes=purposes)]

    def application_summary(self) -> Section:
        p = self.project
        total = sum(a for _, _, a in self.purposes())
        said = [self.t("summary_application", unit=self.value(p, "unit") or p["name"],
                       amount=self.sum_kr(total), funder=self.funder, name=p["name"])]
        if pd.notna(p["start"]) and pd.notna(p["end"]):
            said.append(self.t("summary_period", start=self.date(p["start"]),
                               end=self.date(p["end"])))
        return Section(self.t("summary"), (" ".join(said),))

    def application_matter(self) -> Section:
        lines = self.purposes()
        rows = [(p, c, self.kr(a)) for p, c, a in lines]
        rows.append((self.t("total"), "", self.kr(sum(a for _, _, a in lines))))
        table = Table((self.t("purpose_column"), text("report.category", self.lang),
                       figure("applied", self.lang)), tuple(rows), numeric=(2,),
                      emphasis=(len(rows) - 1,))
        return Section(self.t("matter"), (self.t("application_lead"), table))

    def application_economy(self) -> Section:
        total = sum(a for _, _, a in self.purposes())
        said = [self.t("economy_application", amount=self.sum_kr(total))]
        s = self.figures.summary.loc[self.pid]
        if float(s["other_financing"]) > _CENT:
            said.append(self.t("economy_other", amount=self.kr(s["other_financing"])))
        return Section(self.t("economy"), (" ".join(said),))


def _several_dates(note: str, decision_date: Any) -> list[dt.date]:
    """The decision dates a grant row stands for when it holds the total of several
    decisions: the note names two or more dates (``2009-01-16``), one of them the row's
    own decision date. Otherwise []."""
    if not note or pd.isna(decision_date):
        return []
    dates = []
    for m in _ISO_DATE.finditer(note):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if day not in dates:
            dates.append(day)
    own = pd.Timestamp(decision_date).date()
    if len(dates) < 2 or own not in dates:
        return []
    return sorted(dates)


def document(statement: Statement, template: bytes | None = None, *,
             made: dt.datetime | None = None) -> tuple[DocumentObject, list[Problem]]:
    """The statement as a Word document, and the warnings of its layout (styles the
    template lacks). ``template``: the organisation's .docx (its styles, headers, footers
    and logo are kept, its body is not); without one, a clean default in the seeds'
    layout. Raises :class:`grantstats.rendering.word.TemplateError` for a bad template."""
    made = made or dt.datetime.now()
    doc = word.open_template(template)
    styles = word.Styles.of(doc)
    lang = statement.lang
    if template is None:
        word.default_layout(doc, text("statement.header", lang),
                            text("statement.page", lang, page="{page}", pages="{pages}"),
                            made.date(), text("statement.word_language", lang))
    if statement.contact:
        styles.paragraph(statement.contact)
    styles.paragraph(statement.to)
    styles.paragraph(statement.title, "title")
    styles.paragraph(statement.proposal.heading, "heading")
    for item in statement.proposal.blocks:
        assert isinstance(item, str)
        styles.paragraph(item)
    for role in statement.signatures:  # empty lines: names are never made up
        styles.paragraph("")
        styles.paragraph(f"{'.' * 40}\n{role}")
    for section in statement.sections:
        styles.paragraph(section.heading, "heading")
        for block in section.blocks:
            if isinstance(block, Table):
                styles.table(block.header, block.rows, numeric=block.numeric,
                             emphasis=block.emphasis)
            else:
                styles.paragraph(block)
    word.set_properties(doc, statement.title, text("statement.word_language", lang), made)
    return doc, list(styles.warnings)
