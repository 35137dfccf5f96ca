"""Figure tables as a reader sees them: the form's labels, Swedish amounts.

A :class:`FigureTable` is a DataFrame that keeps its keys (``spent``, ``utvardering``,
``variance_pct``) for code, and shows itself in a notebook with the labels of the report
and the form (``Förbrukat``, ``Utvärdering``, ``Avvikelse %``), amounts as ``390 000 kr``
and shares as ``−11 %``, in one HTML representation (no plain-text copy). The same
labels go to Excel with :func:`export` (numbers stay numbers there).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from grantstats import fmt
from grantstats.contract import CATEGORIES_BY_KEY, SHEETS_BY_KEY
from grantstats.files import write_new
from grantstats.texts import TEXTS, localized, session_lang, text

#: columns holding kronor
AMOUNTS = frozenset({
    "applied", "granted", "requisitioned", "spent", "holdback_outstanding",
    "remaining_to_requisition", "unspent_requisitioned", "other_financing", "variance",
    "amount", "cumulative", "even", "paid_out", "final_payment_due", "to_repay",
    "allowed_before_final_report", "total",
})
#: columns holding shares (0.25 is 25 %)
SHARES = frozenset({"utilisation", "variance_pct", "share", "holdback_share"})
#: the text id of a column's label, where it is not a figure (``figure.*``)
_LABELS = {
    "project_id": "report.project", "category": "report.category",
    "variance": "report.variance", "variance_pct": "report.variance_pct",
    "age_group": "report.age_group", "source": "report.source", "count": "report.count",
    "month": "workbench.month", "year": "workbench.year", "total": "workbench.total",
    "workbook": "workbench.workbook", "sheet": "workbench.sheet", "row": "workbench.excel_row",
    "cumulative": "workbench.cumulative", "even": "workbench.even",
    "illustrative": "workbench.made_up", "kind": "workbench.kind", "share": "workbench.share",
    "amount": "report.amount",
}


def label(key: Hashable, lang: str, sheet: str | None = None) -> str:
    """The label of a column or index ``key``: a figure's, the report's, or (for the rows
    of ``sheet``) the contract's header; a category key is the form's category; any
    other name (an analyst's own column) stays as it is."""
    name = str(key)
    if sheet is not None and name not in ("sheet", "row", "project_id"):
        for col in SHEETS_BY_KEY[sheet].columns:
            if col.key == name:
                header = localized(col, lang)
                return header[:1].upper() + header[1:]
    if f"figure.{name}" in TEXTS:
        return text(f"figure.{name}", lang)
    if name in _LABELS:
        return text(_LABELS[name], lang)
    if name in CATEGORIES_BY_KEY:
        return localized(CATEGORIES_BY_KEY[name], lang)
    if name == "name":
        header = localized(SHEETS_BY_KEY["projects"].column("name"), lang)
        return header[:1].upper() + header[1:]
    return name


def _value(key: Hashable, lang: str) -> Callable[[Any], Any]:
    """How the values of column ``key`` read (keys of categories become the form's)."""
    def category(v: Any) -> Any:
        return localized(CATEGORIES_BY_KEY[v], lang) if v in CATEGORIES_BY_KEY else v

    if key == "category":
        return category
    if key == "source":
        return lambda v: text("workbench.no_source", lang) if v == "" else v
    if key == "month":
        return lambda v: v.strftime("%Y-%m") if isinstance(v, dt.date) else v
    return lambda v: v


def relabelled(frame: pd.DataFrame, lang: str, sheet: str | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with the labels of the form and report, numbers kept."""
    out = pd.DataFrame(frame).copy()
    for key in list(out.columns):
        if key in ("category", "source", "month"):
            out[key] = out[key].astype(object).map(_value(key, lang))
    if isinstance(out.index, pd.MultiIndex) or out.index.name is not None:
        names = list(out.index.names)
        out = out.reset_index()
        for key in names:
            if key in ("category", "source", "month"):
                out[key] = out[key].astype(object).map(_value(key, lang))
        out = out.set_index(names)
        out.index = out.index.set_names([label(n, lang, sheet) for n in names])
    return out.rename(columns=lambda k: label(k, lang, sheet))


def shown(frame: pd.DataFrame, lang: str, sheet: str | None = None) -> pd.DataFrame:
    """``frame`` as text to read: labels, ``390 000 kr``, ``−11 %``, dates, "–" for none."""
    out = pd.DataFrame(frame).copy()
    spec = SHEETS_BY_KEY[sheet] if sheet else None
    kinds = {c.key: c.kind for c in spec.columns} if spec else {}
    for key in out.columns:
        column = out[key]
        if key in AMOUNTS or key in CATEGORIES_BY_KEY or kinds.get(str(key)) == "amount":
            out[key] = [fmt.amount(_number(v), lang, exact=sheet is not None) for v in column]
        elif key in SHARES:
            out[key] = [fmt.percent(_number(v), lang) for v in column]
        elif pd.api.types.is_datetime64_any_dtype(column) and key != "month":
            out[key] = [v.date().isoformat() if pd.notna(v) else "–" for v in column]
        elif pd.api.types.is_bool_dtype(column):
            out[key] = [text("template.yes", lang) if v else "" for v in column]
        else:
            out[key] = [("–" if _missing(v) else v) for v in column]
    return relabelled(out, lang, sheet)


def _missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _number(v: Any) -> float | None:
    return None if _missing(v) else float(v)


def html(frame: pd.DataFrame, lang: str, sheet: str | None = None) -> str:
    """The table as HTML that fits a notebook's output area: headers wrap, numbers
    align right and do not break."""
    body = shown(frame, lang, sheet).to_html(classes="gs-table", border=0, na_rep="–",
                                             escape=True)
    style = ("<style>.gs-table{border-collapse:collapse;font-size:12px}"
             ".gs-table th{white-space:normal;max-width:9em;text-align:left;"
             "vertical-align:bottom}.gs-table td{white-space:normal;text-align:right}"
             ".gs-table td,.gs-table th{padding:2px 6px}</style>")
    return f'<div style="max-width:100%;overflow-x:auto">{style}{body}</div>'


class FigureTable(pd.DataFrame):  # type: ignore[misc]
    """A DataFrame of figures that shows itself with the form's labels (see module).

    ``gs_sheet`` names the contract's sheet when the rows are a sheet's rows (their
    headers are the sheet's), ``gs_lang`` the language (None: the session's).
    """

    _metadata: ClassVar[list[str]] = ["gs_sheet", "gs_lang"]
    gs_sheet: str | None = None
    gs_lang: str | None = None

    @property
    def _constructor(self) -> type[FigureTable]:
        return FigureTable

    @property
    def lang(self) -> str:
        return self.gs_lang or session_lang()

    def labelled(self) -> pd.DataFrame:
        """A plain DataFrame with the form's labels, the numbers kept (e.g. for Excel)."""
        return relabelled(pd.DataFrame(self), self.lang, self.gs_sheet)

    def _repr_html_(self) -> str:
        return html(pd.DataFrame(self), self.lang, self.gs_sheet)

    def _ipython_display_(self) -> None:
        """One representation only: the HTML, no plain-text copy of it in the notebook."""
        from IPython.display import display

        display({"text/html": self._repr_html_()}, raw=True)  # type: ignore[no-untyped-call]

    def to_excel_labelled(self, path: str | os.PathLike[str]) -> Path:
        """Write the table to a new .xlsx with the form's labels: :func:`export`."""
        return export(self, path, lang=self.lang, sheet=self.gs_sheet)


def figure_table(frame: pd.DataFrame, *, sheet: str | None = None,
                 lang: str | None = None) -> FigureTable:
    """``frame`` (not changed) as a :class:`FigureTable`."""
    table = FigureTable(frame.copy())
    table.gs_sheet = sheet
    table.gs_lang = lang
    return table


def export(frame: pd.DataFrame, path: str | os.PathLike[str], *, lang: str | None = None,
           sheet: str | None = None) -> Path:
    """Write ``frame`` to a new .xlsx (never over a file) with the form's labels: amounts
    as numbers formatted ``# ##0``, shares as percent, categories by the form's names."""
    from openpyxl.utils import get_column_letter

    lang = lang or session_lang()
    plain = pd.DataFrame(frame)
    kinds = ({c.key: c.kind for c in SHEETS_BY_KEY[sheet].columns} if sheet else {})
    flat = plain.reset_index() if (isinstance(plain.index, pd.MultiIndex)
                                   or plain.index.name is not None) else plain
    formats = ["#,##0" if (k in AMOUNTS or k in CATEGORIES_BY_KEY or kinds.get(str(k)) ==
                           "amount") else "0%" if k in SHARES else None for k in flat.columns]
    labelled = relabelled(flat, lang, sheet)
    for key in labelled.columns:
        if isinstance(labelled[key].dtype, pd.DatetimeTZDtype) or \
                pd.api.types.is_datetime64_any_dtype(labelled[key]):
            labelled[key] = labelled[key].dt.date

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            labelled.to_excel(writer, index=False, sheet_name="grantstats")
            ws = writer.sheets["grantstats"]
            for i, number_format in enumerate(formats, start=1):
                letter = get_column_letter(i)
                ws.column_dimensions[letter].width = max(12, len(str(labelled.columns[i - 1])) + 2)
                if number_format:
                    for cell in ws[letter][1:]:
                        cell.number_format = number_format

    return write_new(path, write)
