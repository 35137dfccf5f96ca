"""An empty workbook of the contract, for analysts to fill in.

The template has an instructions sheet, every sheet of the contract with its headers
(frozen), one example row each (marked ``exempel = ja``, which ``check`` refuses until
they are deleted), and data validation that lets through everything the contract reads:
a custom rule per column (any text, or a number that passes: an amount not negative, a
date, a share 0–1, a whole count), drop-downs for categories and age groups that only
warn, and an input message saying what is allowed. The bundled sample is written by the
same :func:`write_workbook`, so both always follow the contract.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlWorkbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from grantstats.contract import (
    CATEGORIES,
    CATEGORIES_BY_KEY,
    DEFAULT_AGE_BANDS,
    NON_NEGATIVE_AMOUNTS,
    SHEETS,
    UNITS,
    Sheet,
)
from grantstats.files import write_new
from grantstats.texts import localized, text

#: Rows that get data validation below the header.
VALIDATED_ROWS = 5000


def example_rows(lang: str = "sv") -> dict[str, dict[str, Any]]:
    """One example row per sheet (sheet key → column key → value), texts in ``lang``."""
    def t(key: str) -> str:
        return text(f"template.example_{key}", lang)

    return {
        "projects": {"project_id": "P1", "name": t("project"), "unit": t("unit"),
                     "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)},
        "grants": {"project_id": "P1", "decision_date": dt.date(2025, 12, 1), "amount": 500000,
                   "funder": t("funder"), "reference": "000-00-000000", "holdback_share": 0.2,
                   "report_due": dt.date(2027, 1, 31), "note": t("note")},
        "budget": {"project_id": "P1", "category": "personal", "amount": 400000,
                   "description": t("budget")},
        "costs": {"project_id": "P1", "date": dt.date(2026, 1, 31), "category": "personal",
                  "amount": 35000, "description": t("cost")},
        "requisitions": {"project_id": "P1", "date": dt.date(2026, 2, 15), "amount": 200000,
                         "reference": "000-00-000000"},
        "referrals": {"project_id": "P1", "date": dt.date(2026, 3, 1), "age_group": "0-17",
                      "count": 1, "source": t("referral_source")},
        "financing": {"project_id": "P1", "source": t("financing"), "amount": 50000},
    }


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="BDD7EE")


def write_template(
    path: str | os.PathLike[str], *, lang: str = "sv", examples: bool = True
) -> Path:
    """Write an empty contract workbook to ``path`` (which must not exist yet)."""
    yes = text("template.yes", lang)
    rows = ({key: [{**row, "example": yes}] for key, row in example_rows(lang).items()}
            if examples else {})
    return write_workbook(path, rows, lang=lang)


def write_workbook(
    path: str | os.PathLike[str],
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    lang: str = "sv",
    extra_sheets: Mapping[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    """Write a contract workbook holding ``rows`` (sheet key → list of column-key dicts)."""
    book = XlWorkbook()
    instructions = book.active
    instructions.title = text("template.instructions_sheet", lang)
    _write_instructions(instructions, lang)
    lists_sheet = text("template.lists_sheet", lang)
    lists = book.create_sheet(lists_sheet)
    lists.sheet_state = "hidden"
    lists.append([text("template.lists_header", lang)])
    for cat in CATEGORIES:
        lists.append([localized(cat, lang)])
    for spec in SHEETS:
        ws = book.create_sheet(localized(spec, lang))
        _write_sheet(ws, spec, rows.get(spec.key, ()), lang)
    for title, table in (extra_sheets or {}).items():
        ws = book.create_sheet(title)
        for line in table:
            ws.append(list(line))
        ws.column_dimensions["A"].width = 120
    book.move_sheet(lists_sheet, offset=len(book.sheetnames))
    _fix_timestamps(book)
    return write_new(path, lambda tmp: book.save(tmp))


def _fix_timestamps(book: XlWorkbook) -> None:
    """A fixed creation time, so the same content gives the same file."""
    fixed = dt.datetime(2000, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "grantstats"


def _header(spec: Sheet, key: str, lang: str) -> str:
    return localized(spec.column(key), lang)


def _cell_value(col: Any, value: Any, lang: str) -> Any:
    """Category keys are written as the form's labels, as an analyst would."""
    if col.kind == "category" and value in CATEGORIES_BY_KEY:
        return localized(CATEGORIES_BY_KEY[value], lang)
    return value


def _write_sheet(ws: Any, spec: Sheet, rows: Sequence[Mapping[str, Any]], lang: str) -> None:
    ws.append([_header(spec, c.key, lang) for c in spec.columns])
    for index, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = max(14, len(cell.value) + 4)
    for row in rows:
        ws.append([_cell_value(c, row.get(c.key), lang) for c in spec.columns])
    for index, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        for r in range(2, ws.max_row + 1):
            if col.kind == "date":
                ws[f"{letter}{r}"].number_format = "yyyy-mm-dd"
            elif col.kind == "amount":
                ws[f"{letter}{r}"].number_format = "#,##0"
    ws.freeze_panes = "A2"
    _add_validation(ws, spec, lang)


#: A rule per kind of column: the validation type, its custom formula's test of a
#: number (``{c}`` is the column's first cell) and the error, title and input message's
#: text ids. A text is always let through: the contract reads "550 000 kr", "20 %" and
#: "31 januari 2026", which Excel's own decimal and date rules refuse.
_RULES: dict[str, tuple[str, str]] = {
    "amount": ("{c}>=0", "amount"),
    "number": ("TRUE", "number"),
    "date": ("{c}>18264", "date"),  # after 1950-01-01: a number that is no date is refused
    "share": ("AND({c}>=0,{c}<=1)", "share"),
    "whole": ("AND({c}>=0,{c}=INT({c}))", "whole"),
}


def validation_formula(kind: str, first_cell: str) -> str:
    """The custom rule of a column of ``kind`` (see :data:`_RULES`) for its first cell:
    any text, a blank, or a number that passes the kind's test."""
    test = _RULES[kind][0].format(c=first_cell)
    return f"OR(ISTEXT({first_cell}),AND(ISNUMBER({first_cell}),{test}))"


def _rule_kind(spec: Sheet, kind: str) -> str | None:
    if kind == "amount":
        return "amount" if spec.key in NON_NEGATIVE_AMOUNTS else "number"
    if kind in ("count", "age"):
        return "whole"
    return kind if kind in ("date", "share") else None


def _validation_for(spec: Sheet, col: Any, first_cell: str, lang: str) -> DataValidation | None:
    kind = col.kind
    rule = _rule_kind(spec, kind)
    if kind == "category":
        lists = text("template.lists_sheet", lang)
        dv = DataValidation(type="list", formula1=f"{lists}!$A$2:$A${len(CATEGORIES) + 1}")
        dv.errorStyle = "warning"  # the form's other words ('lön', 'hyra') are read too
        ids = ("list", "category", "category")
    elif kind == "age_group":
        labels = ",".join(b.label for b in DEFAULT_AGE_BANDS)
        dv = DataValidation(type="list", formula1=f'"{labels}"')
        dv.errorStyle = "warning"  # '0–17' with a dash, '20 år och äldre' are read too
        ids = ("list", "age_group", "age_group")
    elif rule is not None:
        dv = DataValidation(type="custom", formula1=validation_formula(rule, first_cell))
        ids = (rule, "amount" if rule == "number" else rule, rule)
    elif col.key == "example":
        dv = DataValidation(type=None)  # no rule: the input message says what it is for
        ids = ("", "example", "example")
    else:
        return None
    error, title, prompt = ids
    if error:
        dv.error = text(f"template.error_{error}", lang)
        dv.errorTitle = text(f"template.title_{title}", lang)
        dv.showErrorMessage = True
    dv.promptTitle = text(f"template.title_{title}", lang)
    dv.prompt = text(f"template.prompt_{prompt}", lang)
    dv.showInputMessage = True
    dv.allow_blank = True
    return dv


def _add_validation(ws: Any, spec: Sheet, lang: str) -> None:
    for index, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        dv = _validation_for(spec, col, f"{letter}2", lang)
        if dv is None:
            continue
        dv.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        ws.add_data_validation(dv)


def instruction_lines(lang: str = "sv") -> list[str]:
    """The instructions, one paragraph a line, built from the contract."""
    lines = [text("template.title", lang), "", text("template.intro", lang), ""]
    for spec in SHEETS:
        kind = text("template.mandatory_sheet" if spec.mandatory else "template.optional_sheet",
                    lang)
        lines.append(text("template.sheet", lang, sheet=localized(spec, lang), kind=kind,
                          row=localized(spec, lang, "row")))
        for col in spec.columns:
            name = localized(col, lang)
            if col.required:
                name = text("template.required_column", lang, column=name)
            doc = localized(col, lang, "doc")
            lines.append(f"    {name}{': ' + doc if doc else ''}")
    lines += [
        "",
        text("template.amounts", lang, units=", ".join(UNITS)),
        text("template.dates", lang),
        text("template.categories", lang, categories="; ".join(
            f"{localized(c, lang)} ({c.key})" for c in CATEGORIES)),
        text("template.age_groups", lang,
             groups=", ".join(b.label for b in DEFAULT_AGE_BANDS)),
        text("template.identity_numbers", lang),
        text("template.examples", lang),
    ]
    return lines


def _write_instructions(ws: Any, lang: str) -> None:
    for line in instruction_lines(lang):
        ws.append([line])
    ws.column_dimensions["A"].width = 110
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
