"""A report's predecessor: ``grantstats report NEW --since PREVIOUS`` and ``--since latest``.

PREVIOUS is an earlier report, whose figures are read from the data block it embeds
(:func:`grantstats.commands.outputs.read_embedded`, so the old workbook may be gone), or
an earlier workbook, which is loaded and checked as usual (and then its rows are
compared too). The section "Ändringar sedan förra rapporten" is rendered here, in the
parent process, as the footer is, and :func:`grantstats.commands.report.page` places
it right after the report's title: the notebook stays the source of everything else,
and needs no parameter for a comparison it would only pass through.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grantstats.commands.outputs import ReportError, embedded_data, read_embedded
from grantstats.texts import text

if TYPE_CHECKING:
    import pandas as pd

    from grantstats.reading.loader import Workbook

REPORT_SUFFIXES = (".html", ".htm")
LATEST = "latest"


@dataclass(frozen=True)
class Previous:
    """An earlier report or workbook: its path, its data (the shape of
    :func:`~grantstats.commands.outputs.embedded_data`), and its tables when it is a
    workbook."""

    path: Path
    data: dict[str, Any]
    tables: Mapping[str, pd.DataFrame] | None = None

    @property
    def is_report(self) -> bool:
        return self.tables is None

    @property
    def made(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.data["made"])


def load_previous(path: Path, lang: str, suppress_below: int | None) -> Previous:
    """PREVIOUS as given to ``--since``: a report (by its suffix) or a workbook."""
    if path.suffix.lower() in REPORT_SUFFIXES:
        return Previous(path, read_embedded(path))
    from grantstats.reading.loader import load
    from grantstats.rendering.summary import summary_document

    wb = load(path)
    made = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    return Previous(path, embedded_data(wb, summary_document(wb), project_id=None, lang=lang,
                                        suppress_below=suppress_below, now=made),
                    dict(wb.tables))


def earlier_reports(folder: Path) -> list[Previous]:
    """The reports grantstats wrote in ``folder`` (others are passed over)."""
    found = []
    for path in sorted(folder.glob("*.htm*")) if folder.is_dir() else []:
        try:
            found.append(Previous(path, read_embedded(path)))
        except (ReportError, OSError):
            continue
    return found


def latest(reports: list[Previous], workbook: str, project_id: str | None,
           before: dt.datetime) -> Previous | None:
    """The most recent of ``reports`` made before ``before`` of the workbook named
    ``workbook`` and of ``project_id`` (None: all projects). Times are compared as
    instants (a time without a zone is local time)."""
    same = [r for r in reports if r.data["workbook"]["name"] == workbook
            and r.data["parameters"]["project_id"] == project_id
            and r.made.timestamp() < before.timestamp()]
    return max(same, key=lambda r: r.made.timestamp(), default=None)


def footer_sentence(previous: Previous | None, lang: str) -> str:
    """The footer's mention of the most recent earlier report ("" if there is none)."""
    if previous is None:
        return ""
    return text("report.footer_previous", lang, name=previous.path.name,
                time=previous.made.strftime("%Y-%m-%d %H:%M"))


def _scope(project_id: str | None, lang: str) -> str:
    return project_id if project_id is not None else text("report.since_all", lang)


def section(previous: Previous, new: dict[str, Any], new_tables: Mapping[str, pd.DataFrame],
            lang: str) -> str:
    """The HTML section "Ändringar sedan förra rapporten" of the report whose embedded
    data is ``new``: what it is compared with, then the figures that changed (old → new,
    difference) and, when PREVIOUS is a workbook, the rows added, removed and changed
    per sheet. One sentence when nothing changed, or when PREVIOUS is about another
    project (nothing is compared then)."""
    from grantstats import fmt

    e = html.escape
    old = previous.data
    pid = new["parameters"]["project_id"]
    was = old["parameters"]["project_id"]
    parts = [f"<h2>{e(text('report.since_title', lang))}</h2>"]
    sha = old["workbook"]["sha256"]
    if previous.is_report:
        said = text("report.since_report", lang, name=previous.path.name,
                    date=fmt.date(previous.made.date(), lang), workbook=old["workbook"]["name"],
                    sha=sha)
    else:
        said = text("report.since_workbook", lang, name=previous.path.name, sha=sha)
    parts.append(f'<p class="gs-note">{e(said)}</p>')
    if was is not None and was != pid:
        parts.append(f"<p>{e(text('report.since_other', lang, other=was, this=_scope(pid, lang)))}"
                     "</p>")
        return _wrap(parts)
    from grantstats.computing.changes import compare

    before = {**old["summary"], "projects": [p for p in old["summary"]["projects"]
                                             if pid is None or p["project_id"] == pid]}
    changes = compare(before, new["summary"], previous.tables,
                      new_tables if previous.tables is not None else None)
    rows = changes.rows
    if rows is not None and pid is not None:
        rows = rows[rows["project_id"] == pid]
    if len(changes.figures) == 0 and (rows is None or len(rows) == 0):
        parts.append(f"<p>{e(text('report.since_nothing', lang))}</p>")
        return _wrap(parts)
    parts.append(_figures_table(changes.figures, lang) if len(changes.figures)
                 else f"<p>{e(text('report.since_no_figures', lang))}</p>")
    if rows is not None and len(rows):
        parts.append(_rows_table(rows, lang))
    return _wrap(parts)


def _wrap(parts: list[str]) -> str:
    return '<section class="gs-since">' + "\n".join(parts) + "</section>"


def _figures_table(figures: pd.DataFrame, lang: str) -> str:
    import pandas as pd

    from grantstats.rendering.changes import figure_difference, figure_label, figure_value
    from grantstats.rendering.form import html_table

    shown = pd.DataFrame([{
        "project": f"{f.project_id} {f.name}",
        "figure": figure_label(f.figure, lang),
        "old": figure_value(f.figure, f.old, lang),
        "new": figure_value(f.figure, f.new, lang),
        "difference": "" if f.difference is None or pd.isna(f.difference)
        else figure_difference(f.figure, f.difference, lang),
    } for f in figures.itertuples(index=False)])
    columns = [(c, text(f"report.since_{c}", lang)) for c in
               ("project", "figure", "old", "new", "difference")]
    return html_table(shown, columns, caption=text("report.since_figures", lang),
                      numeric=("old", "new", "difference"))


def _rows_table(rows: pd.DataFrame, lang: str) -> str:
    import pandas as pd

    from grantstats.contract import SHEETS
    from grantstats.rendering.form import html_table
    from grantstats.texts import localized

    counts = rows.groupby(["sheet", "change"]).size()
    kinds = ("added", "removed", "changed")
    shown = pd.DataFrame([{"sheet": localized(s, lang),
                           **{k: str(int(counts.get((s.key, k), 0))) for k in kinds}}
                          for s in SHEETS if s.key in set(rows["sheet"])])
    columns = [("sheet", text("report.since_sheet", lang)),
               *((k, text(f"report.since_{k}", lang)) for k in kinds)]
    return html_table(shown, columns, caption=text("report.since_rows", lang), numeric=kinds)


def resolve(since: str | Path | None, wb: Workbook, project_id: str | None,
            given: Previous | None, reports: list[Previous], now: dt.datetime, lang: str,
            folder: Path) -> tuple[Previous | None, Previous | None]:
    """(the report's PREVIOUS to compare with, the earlier report its footer names):
    ``reports`` are those found in the output ``folder``."""
    found = latest(reports, wb.path.name, project_id, now)
    if since is None:
        return None, found
    if str(since) == LATEST:
        if found is None:
            raise ReportError("cli.since_none", name=wb.path.name,
                              project=_scope(project_id, lang), folder=str(folder))
        return found, found
    return given, found
