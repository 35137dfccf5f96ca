"""An empty workbook of the contract, for analysts to fill in.

The template has an instructions sheet, every sheet of the contract with its headers
(frozen), one example row each, and Excel data validation: drop-downs for categories
and age groups, dates, and non-negative amounts. The bundled sample is written by the
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

#: Rows that get data validation below the header.
VALIDATED_ROWS = 5000
#: The hidden sheet holding the drop-down lists, by language.
LISTS_SHEET = {"sv": "listor", "en": "lists"}

EXAMPLE_ROWS: dict[str, dict[str, Any]] = {
    "projects": {"project_id": "P1", "name": "Exempelprojekt", "unit": "Exempelenheten",
                 "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)},
    "grants": {"project_id": "P1", "decision_date": dt.date(2025, 12, 1), "amount": 500000,
               "funder": "Länsstyrelsen", "reference": "000-00-000000", "holdback_share": 0.2,
               "report_due": dt.date(2027, 1, 31), "note": "Exempelrad: ta bort eller skriv över"},
    "budget": {"project_id": "P1", "category": "personal", "amount": 400000,
               "description": "Projektledare 50 %"},
    "costs": {"project_id": "P1", "date": dt.date(2026, 1, 31), "category": "personal",
              "amount": 35000, "description": "Lön januari"},
    "requisitions": {"project_id": "P1", "date": dt.date(2026, 2, 15), "amount": 200000,
                     "reference": "000-00-000000"},
    "referrals": {"project_id": "P1", "date": dt.date(2026, 3, 1), "age_group": "0-17",
                  "count": 1, "source": "Uppsökande arbete"},
    "financing": {"project_id": "P1", "source": "Egen finansiering", "amount": 50000},
}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="BDD7EE")


def write_template(
    path: str | os.PathLike[str], *, lang: str = "sv", examples: bool = True
) -> Path:
    """Write an empty contract workbook to ``path`` (which must not exist yet)."""
    rows = {key: [row] for key, row in EXAMPLE_ROWS.items()} if examples else {}
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
    instructions.title = "instruktioner" if lang == "sv" else "instructions"
    _write_instructions(instructions, lang)
    lists_sheet = LISTS_SHEET[lang]
    lists = book.create_sheet(lists_sheet)
    lists.sheet_state = "hidden"
    lists.append(["kategori"])
    for cat in CATEGORIES:
        lists.append([cat.sv if lang == "sv" else cat.en])
    for spec in SHEETS:
        ws = book.create_sheet(spec.sv if lang == "sv" else spec.en)
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
    col = spec.column(key)
    return col.sv if lang == "sv" else col.en


def _cell_value(col: Any, value: Any, lang: str) -> Any:
    """Category keys are written as the form's labels, as an analyst would."""
    if col.kind == "category" and value in CATEGORIES_BY_KEY:
        cat = CATEGORIES_BY_KEY[value]
        return cat.sv if lang == "sv" else cat.en
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


def _validation_for(spec: Sheet, kind: str, lang: str) -> DataValidation | None:
    sv = lang == "sv"
    if kind == "category":
        dv = DataValidation(type="list",
                            formula1=f"={LISTS_SHEET[lang]}!$A$2:$A${len(CATEGORIES) + 1}")
        dv.error = "Välj en kategori ur listan" if sv else "Choose a category from the list"
    elif kind == "age_group":
        labels = ",".join(b.label for b in DEFAULT_AGE_BANDS)
        dv = DataValidation(type="list", formula1=f'"{labels}"')
        dv.error = "Välj en åldersgrupp ur listan" if sv else "Choose an age group"
    elif kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="18264")
        dv.error = "Skriv ett datum, t.ex. 2026-01-31" if sv else "Enter a date, e.g. 2026-01-31"
    elif kind == "amount" and spec.key in NON_NEGATIVE_AMOUNTS:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        dv.error = "Beloppet kan inte vara negativt" if sv else "The amount cannot be negative"
    elif kind == "share":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1")
        dv.error = "Skriv en andel mellan 0 och 1" if sv else "Enter a share between 0 and 1"
    elif kind in ("count", "age"):
        dv = DataValidation(type="whole", operator="between", formula1="0",
                            formula2="120" if kind == "age" else "1000000")
        dv.error = "Skriv ett heltal" if sv else "Enter a whole number"
    else:
        return None
    dv.showErrorMessage = True
    dv.allow_blank = True
    return dv


def _add_validation(ws: Any, spec: Sheet, lang: str) -> None:
    for index, col in enumerate(spec.columns, start=1):
        dv = _validation_for(spec, col.kind, lang)
        if dv is None:
            continue
        letter = get_column_letter(index)
        dv.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        ws.add_data_validation(dv)


def instruction_lines(lang: str = "sv") -> list[str]:
    """The instructions, one paragraph a line, built from the contract."""
    sv = lang == "sv"
    lines = [
        "grantstats – arbetsbok för uppföljning av projektmedel" if sv
        else "grantstats – workbook for following up project grants",
        "",
        ("Fyll i ett blad per slag av uppgift. Rubrikraden ska stå kvar; mörkblå rubriker "
         "är obligatoriska. Exempelraderna kan tas bort. Kontrollera filen med "
         "'grantstats check FIL.xlsx'.") if sv else
        ("Fill in one sheet per kind of data. Keep the header row; dark blue headers are "
         "required. The example rows may be deleted. Check the file with "
         "'grantstats check FILE.xlsx'."),
        "",
    ]
    for spec in SHEETS:
        must = ("obligatoriskt blad" if spec.mandatory else "valfritt blad") if sv else (
            "mandatory sheet" if spec.mandatory else "optional sheet")
        lines.append(f"{spec.sv if sv else spec.en} ({must}): "
                     f"{'en rad är ' if sv else 'one row is '}{spec.row_sv if sv else spec.row_en}")
        for col in spec.columns:
            req = (" (obligatorisk)" if sv else " (required)") if col.required else ""
            doc = col.doc_sv if sv else col.doc_en
            lines.append(f"    {col.sv if sv else col.en}{req}{': ' + doc if doc else ''}")
    units = ", ".join(UNITS)
    lines += [
        "",
        ("Belopp: kronor. Text läses på svenskt sätt: 1 289 000, 12,5, 250 tkr. Enheter: "
         f"{units}. En enhet i rubriken, t.ex. 'belopp (tkr)', gäller hela kolumnen.") if sv
        else (f"Amounts: kronor. Text is read the Swedish way: 1 289 000, 12,5, 250 tkr. "
              f"Units: {units}. A unit in the header, e.g. 'amount (tkr)', scales the column."),
        ("Datum: datumceller, 2009-11-05, 5 november 2009 eller en månad som 2010-03.") if sv
        else "Dates: date cells, 2009-11-05, 5 november 2009 or a month such as 2010-03.",
        ("Kategorier: " if sv else "Categories: ")
        + "; ".join(f"{c.sv if sv else c.en} ({c.key})" for c in CATEGORIES),
        ("Åldersgrupper: " if sv else "Age groups: ")
        + ", ".join(b.label for b in DEFAULT_AGE_BANDS),
        ("Personnummer får inte förekomma i arbetsboken; en fil med personnummer läses inte.")
        if sv else "Personal identity numbers must not appear; a file holding one is refused.",
    ]
    return lines


def _write_instructions(ws: Any, lang: str) -> None:
    for line in instruction_lines(lang):
        ws.append([line])
    ws.column_dimensions["A"].width = 110
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
