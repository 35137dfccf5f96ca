"""``grantstats statement``: the committee statement (tjänsteutlåtande) as a Word draft.

Per project: the statement (:mod:`grantstats.rendering.statement`) and, for a final
report, the funder's form "5. Budget" as a Word table beside it
(:mod:`grantstats.rendering.form_docx`). Named by the reports' rule
(:func:`grantstats.commands.report.report_name`, with the statement's own prefix),
written with :func:`grantstats.files.write_new`: never over an existing file, and both
files or neither. The attachments name the most recent committee report of the same
workbook and project in the output folder, if there is one.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from grantstats.commands.outputs import ReportError
from grantstats.commands.report import check_out_dir, name_start, report_name, write_failed
from grantstats.errors import Problem, WorkbookError
from grantstats.files import free_name, write_new
from grantstats.texts import LANGS, render, text

if TYPE_CHECKING:
    import argparse

    from docx.document import Document as DocumentObject

    from grantstats.reading.loader import Workbook

#: ``--project`` for every project (as for ``grantstats report``).
ALL = "all"
#: Codes of the run's errors that are about a file or folder, not the workbook (exit 2).
UNUSABLE = frozenset({"cli.project_unknown", "cli.out_unusable", "cli.disk_full",
                      "cli.write_failed", "statement.template_suffix",
                      "statement.template_damaged"})


@dataclass(frozen=True)
class StatementFiles:
    """What one project's run wrote: the statement and (final report) the form's table."""

    statement: Path
    form: Path | None = None


@dataclass
class Outcome:
    files: list[StatementFiles] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_template(path: str | os.PathLike[str] | None) -> bytes | None:
    """The template's bytes, checked to be a Word document that python-docx opens.

    Raises ReportError ``statement.template_suffix`` (not a .docx name) or
    ``statement.template_damaged``; OSError when it cannot be read at all."""
    if path is None:
        return None
    from grantstats.rendering.word import TemplateError, open_template

    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise ReportError("statement.template_suffix", path=path.name)
    data = path.read_bytes()
    try:
        open_template(data)
    except TemplateError as exc:
        raise ReportError("statement.template_damaged", path=path.name,
                          detail=exc.detail) from None
    return data


def make_statements(
    workbook: str | os.PathLike[str], *, project_id: str | None = None, kind: str = "final",
    lang: str = "sv", template: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] = "reports", as_of: dt.date | None = None,
    suppress_below: int | None = 3, immediate: bool = False, now: dt.datetime | None = None,
    on_written: Callable[[Path], None] | None = None,
) -> Outcome:
    """Write the statement (and the form's table) of each project of ``workbook``.

    Everything is checked before anything is written: the template, the folder, the
    workbook (:class:`~grantstats.errors.WorkbookError`), the project, and that each
    project has what its statement is about (a decision; an applied budget).
    """
    from grantstats.reading.loader import load

    now = now or dt.datetime.now().astimezone()
    data = read_template(template)
    check_out_dir(out_dir)
    wb = load(workbook)
    ids = _projects(wb, project_id)
    missing = _missing(wb, ids, kind, lang)
    if missing:
        raise WorkbookError(missing, str(wb.path))
    outcome = Outcome()
    for pid in ids:
        files, warnings = _one(wb, pid, kind=kind, lang=lang, template=data,
                               out_dir=Path(out_dir), as_of=as_of,
                               suppress_below=suppress_below, immediate=immediate, now=now)
        outcome.files.append(files)
        for w in warnings:
            if w not in outcome.warnings:
                outcome.warnings.append(w)
        if on_written is not None:
            on_written(files.statement)
            if files.form is not None:
                on_written(files.form)
    return outcome


def _projects(wb: Workbook, project_id: str | None) -> list[str]:
    known = [str(p) for p in wb.tables["projects"]["project_id"]]
    if project_id is None or project_id == ALL:
        return known
    if project_id not in known:
        raise ReportError("cli.project_unknown", project=project_id, known=", ".join(known))
    return [project_id]


def _missing(wb: Workbook, ids: list[str], kind: str, lang: str) -> list[Problem]:
    """A problem per project without a decision (final report) or a budget (application)."""
    from grantstats.contract import SHEETS_BY_KEY
    from grantstats.texts import localized

    table, code = ("grants", "statement.no_decisions") if kind == "final" else (
        "budget", "statement.no_budget")
    have = set(wb.tables[table]["project_id"])
    sheet = wb.sheet_names.get(table) or localized(SHEETS_BY_KEY[table], lang)
    return [Problem(code, sheet=sheet, params={"project": pid}) for pid in ids
            if pid not in have]


def latest_report(out_dir: Path, stem: str, project_id: str) -> list[Path]:
    """The most recent committee report of ``stem`` and ``project_id`` in ``out_dir``
    (in either language): its HTML and, if there is one beside it, its PDF."""
    found: list[Path] = []
    for lang in LANGS:
        found += out_dir.glob(f"{name_start(stem, project_id, lang)}-*.html")
    if not found:
        return []
    html = max(found, key=lambda p: (_made(p.name), p.name))
    pdf = html.with_suffix(".pdf")
    return [html, pdf] if pdf.exists() else [html]


def _made(name: str) -> str:
    """The date-time a report's name says it was made (``20261203-140000``), or ""."""
    import re

    found = re.search(r"-(\d{8}-\d{6})(?:-\d+)?\.html$", name)
    return found.group(1) if found else ""


def _one(wb: Workbook, pid: str, *, kind: str, lang: str, template: bytes | None,
         out_dir: Path, as_of: dt.date | None, suppress_below: int | None, immediate: bool,
         now: dt.datetime) -> tuple[StatementFiles, list[Problem]]:
    from grantstats.computing.results import Figures
    from grantstats.rendering.form import budget_form
    from grantstats.rendering.form_docx import budget_form_document
    from grantstats.rendering.statement import document, draft

    figures = Figures.of(wb, pid, as_of=as_of)
    stem = wb.path.stem
    prefix = text("statement.file_prefix" if kind == "final" else
                  "statement.file_application", lang)
    target = free_name(out_dir / f"{report_name(stem, pid, now, lang, prefix=prefix)}.docx")
    warnings: list[Problem] = []
    form_doc: DocumentObject | None = None
    form_target: Path | None = None
    reports: list[Path] = []
    if kind == "final":
        form_prefix = text("statement.file_form", lang)
        form_target = free_name(
            out_dir / f"{report_name(stem, pid, now, lang, prefix=form_prefix)}.docx")
        reports = latest_report(out_dir, stem, pid)
        if not reports:
            warnings.append(Problem("statement.no_report", severity="warning", params={
                "name": wb.path.name, "project": pid, "folder": str(out_dir)}))
        own = figures.by_category[figures.by_category["project_id"] == pid]
        form = budget_form(own.set_index("category")["spent"], figures.summary.loc[pid], lang)
        form_doc, layout = budget_form_document(
            {pid: (str(figures.summary.loc[pid, "name"]), form)}, lang, template,
            made=now)
        warnings += layout
    statement = draft(wb, figures, kind=kind, lang=lang, suppress_below=suppress_below,
                      immediate=immediate, report_files=[p.name for p in reports],
                      form_file=form_target.name if form_target else None)
    doc, layout = document(statement, template, made=now)
    warnings = [*statement.warnings, *layout, *warnings]
    written = _write(doc, target)
    form_path = None
    if form_doc is not None and form_target is not None:
        try:
            form_path = _write(form_doc, form_target)
        except BaseException:
            written.unlink(missing_ok=True)  # ours, just made: both files or neither
            raise
    return StatementFiles(written, form_path), warnings


def _write(doc: DocumentObject, target: Path) -> Path:
    try:
        return write_new(target, lambda tmp: doc.save(str(tmp)))
    except OSError as exc:
        raise write_failed(target, exc) from None


def run(args: argparse.Namespace, lang: str, written: list[Path], *,
        out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The command: the files written on ``out``, warnings and errors on ``err``; exit 0
    (warnings too), 1 the workbook lacks what a statement needs, 2 a file or folder
    cannot be used. A workbook's own problems propagate to the CLI as WorkbookError."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        outcome = make_statements(
            _workbook(args.workbook), project_id=args.project, kind=args.kind, lang=lang,
            template=args.template, out_dir=args.out, as_of=args.as_of,
            suppress_below=args.suppress_below, immediate=args.immediate,
            on_written=written.append)
    except ReportError as exc:
        print(_line(exc.code, lang, exc.params), file=err)
        return 2 if exc.code in UNUSABLE or exc.code.startswith("file.") else 1
    for files in outcome.files:
        print(files.statement, file=out)
        if files.form is not None:
            print(files.form, file=out)
    for w in outcome.warnings:
        print(text("statement.warning", lang, message=w.format(lang)), file=err)
    return 0


def _line(code: str, lang: str, params: dict[str, Any]) -> str:
    message, hint = render(code, lang, params)
    return f"{message} — {hint}" if hint else message


def _workbook(given: str | None) -> Path:
    if given:
        return Path(given)
    from grantstats.resources import sample_workbook

    return sample_workbook()
