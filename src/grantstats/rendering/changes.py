"""What changed between two versions of a workbook, for people: ``grantstats diff``'s text.

:func:`compare_workbooks` compares two loaded workbooks (figures and rows, see
:mod:`grantstats.computing.changes`); :func:`changes_text` writes the result grouped by
project, the figures first, then the rows, with Excel references::

    REG-2009  Regional samordning …
      Förbrukat: 1 027 607 kr → 1 040 107 kr (+12 500 kr)
      kostnader!14 → kostnader!15: ändrad – belopp: 12 500 kr → 13 000 kr
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from grantstats import fmt
from grantstats.computing.changes import Changes, compare
from grantstats.contract import CATEGORIES_BY_KEY, SHEETS_BY_KEY
from grantstats.texts import figure, localized, text

if TYPE_CHECKING:  # the reader is not needed to write changes (grantstats diff's process)
    from grantstats.reading.loader import Workbook

MINUS = "\u2212"


def compare_workbooks(old: Workbook, new: Workbook) -> Changes:
    """The figures and rows that changed from ``old`` to ``new``."""
    from grantstats.rendering.summary import summary_document

    return compare(summary_document(old), summary_document(new), old.tables, new.tables)


def changes_text(changes: Changes, lang: str = "sv") -> str:
    """The changes as lines of text: a title, one block per project (its figures, then
    its rows), and a count at the end; one sentence when nothing changed."""
    title = text("diff.title", lang, old=_name(changes.old.path, changes.old.sha256),
                 new=_name(changes.new.path, changes.new.sha256))
    if not changes.differ:
        said = text("diff.identical", lang, sha=changes.new.sha256) if changes.identical \
            else text("diff.nothing", lang)
        return "\n".join([title, said])
    figures = changes.figures
    rows = changes.rows if changes.rows is not None else pd.DataFrame(
        columns=["project_id", "sheet", "change"])
    cells = _cells_by_row(changes)
    changed = {*figures["project_id"], *rows["project_id"]}
    blocks = [title]
    for pid in dict.fromkeys([*changes.names, *figures["project_id"], *rows["project_id"]]):
        if pid not in changed:
            continue
        own = figures[figures["project_id"] == pid]
        head = f"{pid}  {changes.names.get(pid, '')}".rstrip()
        kind = set(own["change"])
        if kind == {"added"}:
            head += f" ({text('diff.project_added', lang)})"
        elif kind == {"removed"}:
            head += f" ({text('diff.project_removed', lang)})"
        lines = [head]
        lines += [f"  {_figure_line(f, lang)}" for f in own.itertuples(index=False)]
        lines += [f"  {_row_line(r, cells, lang)}"
                  for r in rows[rows["project_id"] == pid].itertuples(index=False)]
        blocks.append("\n".join(lines))
    counts = changes.row_counts().sum() if changes.rows is not None else {}
    blocks.append(text("diff.total", lang, figures=len(figures),
                       **{k: int(counts.get(k, 0)) for k in ("added", "removed", "changed")}))
    return "\n\n".join(blocks)


def _name(path: str, sha256: str) -> str:
    return f"{path} ({sha256[:12]})" if sha256 else path


# --- figures ------------------------------------------------------------------------


def figure_label(key: str, lang: str = "sv") -> str:
    """The label of a figure of :class:`Changes` (``costs_by_category.personal``…)."""
    head, _, rest = key.partition(".")
    if head == "costs_by_category":
        category = CATEGORIES_BY_KEY.get(rest)
        return text("diff.by_category", lang, figure=figure("spent", lang),
                    category=localized(category, lang) if category else rest)
    if head == "referrals":
        part, _, name = rest.partition(".")
        if part == "by_age_group":
            return text("diff.by_age_group", lang, figure=figure("referrals", lang), band=name)
        if part == "by_source":
            return text("diff.by_source", lang, figure=figure("referrals", lang),
                        source=name or text("report.no_source", lang))
        return figure("referrals", lang)
    return figure(key, lang)


def figure_value(key: str, value: Any, lang: str = "sv") -> str:
    """A figure's value as the summary writes it: kronor, a percentage or a count."""
    if value is None:
        return "–"
    if key == "utilisation":
        return fmt.percent(value, lang, decimals=1)
    if key.startswith("referrals."):
        return fmt.number(value, lang)
    return fmt.amount(value, lang)


def figure_difference(key: str, difference: Any, lang: str = "sv") -> str:
    """``+12 500 kr``, ``−3``, ``+1,5 procentenheter``."""
    sign = "+" if difference > 0 else MINUS if difference < 0 else ""
    if key == "utilisation":
        return text("diff.points", lang, value=sign + fmt.number(abs(difference) * 100, lang, 1))
    return sign + figure_value(key, abs(difference), lang)


def _figure_line(f: Any, lang: str) -> str:
    line = (f"{figure_label(f.figure, lang)}: {figure_value(f.figure, f.old, lang)} → "
            f"{figure_value(f.figure, f.new, lang)}")
    if f.difference is not None and not pd.isna(f.difference):
        line += f" ({figure_difference(f.figure, f.difference, lang)})"
    return line


# --- rows ---------------------------------------------------------------------------


def _cells_by_row(changes: Changes) -> dict[tuple[str, int, int], list[tuple[str, Any, Any]]]:
    found: dict[tuple[str, int, int], list[tuple[str, Any, Any]]] = {}
    if changes.cells is None:
        return found
    c = changes.cells
    for sheet, old_row, new_row, column, old, new in zip(
            c["sheet"], c["old_row"], c["new_row"], c["column"], c["old"], c["new"],
            strict=True):
        found.setdefault((sheet, _int(old_row), _int(new_row)), []).append((column, old, new))
    return found


def _int(value: Any) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _row_line(r: Any, cells: dict[tuple[str, int, int], list[tuple[str, Any, Any]]],
              lang: str) -> str:
    spec = SHEETS_BY_KEY[r.sheet]
    old_ref = f"{r.old_sheet}!{_int(r.old_row)}" if _int(r.old_row) else ""
    new_ref = f"{r.new_sheet}!{_int(r.new_row)}" if _int(r.new_row) else ""
    columns = cells.get((r.sheet, _int(r.old_row), _int(r.new_row)), [])
    if r.change == "changed":
        ref = old_ref if old_ref == new_ref else f"{old_ref} → {new_ref}"
        shown = "; ".join(
            f"{localized(spec.column(key), lang)}: {cell_value(spec.key, key, old, lang)} → "
            f"{cell_value(spec.key, key, new, lang)}" for key, old, new in columns)
        return text("diff.row_changed", lang, ref=ref, columns=shown)
    added = r.change == "added"
    shown = "; ".join(
        f"{localized(spec.column(key), lang)}: "
        f"{cell_value(spec.key, key, new if added else old, lang)}"
        for key, old, new in columns if key != "project_id")
    return text("diff.row_added" if added else "diff.row_removed", lang,
                ref=new_ref if added else old_ref, values=shown)


def cell_value(sheet: str, column: str, value: Any, lang: str = "sv") -> str:
    """A cell's plain value (from :attr:`Changes.cells`) as the reader writes it."""
    if value is None:
        return "–"
    kind = SHEETS_BY_KEY[sheet].column(column).kind
    if kind == "amount":
        return fmt.amount(value, lang, exact=True)
    if kind == "share":
        return fmt.percent(value, lang, decimals=0 if round(value * 100, 9) % 1 == 0 else 1)
    if kind == "date":
        return fmt.date(dt.date.fromisoformat(value), lang)
    if kind == "category":
        category = CATEGORIES_BY_KEY.get(value)
        return localized(category, lang) if category else str(value)
    if kind == "flag":
        return text("diff.yes" if value else "diff.no", lang)
    if kind in ("text", "id"):
        return f"'{value}'"
    return str(value)
