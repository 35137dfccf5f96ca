"""Report tables: the funder's form "5. Budget" and the other tables of the report.

Tables are DataFrames first (label and value columns), then HTML (every text escaped)
or an Excel sheet ready to copy into the form. Cells that come from a spreadsheet and
start like a formula are neutralised in Excel output (OWASP's CSV-injection rule).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from grantstats.contract import CATEGORIES
from grantstats.texts import figure, localized, text

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def budget_form(spent_by_category: pd.Series, summary_row: pd.Series,
                lang: str = "sv") -> pd.DataFrame:
    """The form's budget table for one project: section, label, amount (kronor).

    The labels are the form's own; where the form names a figure as the report does
    (requisitioned, other financing) the label is that figure's."""
    costs, financing = text("form.costs", lang), text("form.financing", lang)
    rows = [
        (costs, localized(cat, lang), float(spent_by_category.get(cat.key, 0.0)))
        for cat in CATEGORIES
    ]
    rows.append((costs, text("form.sum", lang), float(spent_by_category.sum())))
    rows += [
        (financing, text("form.granted", lang), float(summary_row["granted"])),
        (financing, figure("requisitioned", lang), float(summary_row["requisitioned"])),
        (financing, figure("other_financing", lang), float(summary_row["other_financing"])),
    ]
    return pd.DataFrame(rows, columns=["section", "label", "amount"])


def html_table(
    frame: pd.DataFrame, columns: Sequence[tuple[str, str]], *, caption: str | None = None,
    numeric: Sequence[str] = (), emphasis: Sequence[int] = (), row_headers: bool = True,
) -> str:
    """An accessible HTML table of ``frame``; ``columns`` maps column → header text.

    Every cell is escaped. The first column is a row header (``<th scope="row">``).
    """
    head = "".join(f'<th scope="col"{" class=num" if c in numeric else ""}>'
                   f"{html.escape(str(title))}</th>" for c, title in columns)
    body = []
    for i, (_, row) in enumerate(frame.iterrows()):
        cells = []
        for j, (c, _title) in enumerate(columns):
            text = html.escape("" if pd.isna(row[c]) else str(row[c]))
            cls = ' class="num"' if c in numeric else ""
            if j == 0 and row_headers:
                cells.append(f'<th scope="row"{cls}>{text}</th>')
            else:
                cells.append(f"<td{cls}>{text}</td>")
        cls = ' class="sum"' if i in emphasis else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="gs-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_budget_forms(forms: dict[str, tuple[str, pd.DataFrame]], path: str | os.PathLike[str],
                       lang: str = "sv") -> Path:
    """One sheet per project with the form's budget table, amounts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from grantstats.files import write_new

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for pid, (name, form) in forms.items():
        title = _sheet_title(pid, used)
        ws = book.create_sheet(title)
        ws.append([safe_cell(f"{text('form.title', lang)} – {name}")])
        ws["A1"].font = Font(bold=True)
        for section, part in form.groupby("section", sort=False):
            ws.append([])
            ws.append([safe_cell(section), text("form.kronor", lang)])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
            for label, value in zip(part["label"], part["amount"], strict=True):
                ws.append([safe_cell(label), value])
                ws.cell(ws.max_row, 2).number_format = '#,##0 "kr"'
        ws.column_dimensions["A"].width = 48
        ws.column_dimensions["B"].width = 16
    book.properties.created = book.properties.modified = pd.Timestamp("2000-01-01").to_pydatetime()
    return write_new(path, lambda tmp: book.save(tmp))


def _sheet_title(pid: str, used: set[str]) -> str:
    base = "".join(ch for ch in pid if ch not in '[]:*?/\\').strip("'")[:28] or "projekt"
    title, n = base, 1
    while title in used:
        n += 1
        title = f"{base[:26]}-{n}"
    used.add(title)
    return title
