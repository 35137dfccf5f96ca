"""Small workbooks written by the tests themselves, with openpyxl."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl


def write_book(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]],
               edit: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """Write ``{sheet name: rows}`` to ``path`` as .xlsx; ``edit(workbook)`` may change
    the openpyxl workbook before it is saved (merge cells, hide rows, set formulas…)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    if edit:
        edit(book)
    book.save(path)
    return path
