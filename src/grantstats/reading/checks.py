"""The checks across a workbook's sheets: project ids, example rows left in, and
identity numbers anywhere (which are refused, and never shown in a message)."""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from grantstats.errors import Problem
from grantstats.reading import identity
from grantstats.reading.cells import RawWorkbook
from grantstats.reading.collector import Collector
from grantstats.reading.refs import cell_name, column_letter

if TYPE_CHECKING:
    from grantstats.reading.fast import FastSheet

#: The most characters Excel keeps in a cell; a longer text was not written by Excel.
EXCEL_TEXT_LIMIT = 32_767


def check_projects(
    tables: dict[str, pd.DataFrame], names: dict[str, str],
    layouts: dict[str, dict[str, tuple[int, int]]], out: Collector,
) -> None:
    """Each project id once on the projects sheet, every other sheet's ids among them,
    and each project's end not before its start."""
    projects = tables["projects"]
    first_row: dict[str, int] = {}
    for pid, row in zip(projects["project_id"], projects["row"], strict=True):
        if pd.isna(pid) or pid == "":
            continue
        if pid in first_row:
            letter = column_letter(layouts["projects"]["project_id"][0])
            out.error("cell.project_duplicate", names.get("projects"), f"{letter}{row}", value=pid,
                      other=first_row[pid])
        else:
            first_row[pid] = row
    if "projects" not in layouts:
        return  # no readable projects sheet (already an error): every id would be unknown
    period = layouts.get("projects", {})
    if "start" in period and "end" in period:
        letter = column_letter(period["end"][0])
        bad = projects["end"] < projects["start"]
        for row, start, end in zip(projects.loc[bad, "row"], projects.loc[bad, "start"],
                                   projects.loc[bad, "end"], strict=True):
            out.error("cell.date_order", names.get("projects"), f"{letter}{row}",
                      start=start.date().isoformat(), end=end.date().isoformat())
    known = ", ".join(sorted(first_row)) or "-"
    for key, table in tables.items():
        if key == "projects" or table.empty:
            continue
        unknown = ~table["project_id"].isin([*first_row, ""])  # one pass over the ids
        for pid, row in zip(table.loc[unknown, "project_id"], table.loc[unknown, "row"],
                            strict=True):
            if pd.isna(pid):
                continue
            letter = column_letter(layouts[key]["project_id"][0])
            out.error("cell.project_unknown", names.get(key), f"{letter}{row}", value=pid,
                      known=known)


def check_examples(
    tables: dict[str, pd.DataFrame], names: dict[str, str],
    layouts: dict[str, dict[str, tuple[int, int]]], out: Collector,
) -> None:
    """The template's example rows (``exempel = ja``) left in: one problem per sheet."""
    for key, table in tables.items():
        if "example" not in table.columns or not table["example"].any():
            continue
        rows = [int(r) for r in table.loc[table["example"], "row"]]
        letter = column_letter(layouts[key]["example"][0])
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        out.error("sheet.examples_left", names.get(key), f"{letter}{rows[0]}", rows=shown)


def scan_personal_data(raw: RawWorkbook, out: Collector) -> None:
    """Refuse identity numbers anywhere in the workbook; flag over-long texts.

    The texts of a sheet are searched together first; only when that finds a candidate
    (or a text is too long) are the cells looked at one by one to name them.
    """
    for rs in raw.sheets:
        masked = identity.identity_number_in(rs.name)
        if masked:
            out.error("cell.personal_number", identity.mask_identity_numbers(rs.name), None,
                      masked=masked)
        if rs.fast is not None:
            out.errors.extend(_fast_scan(rs.fast, rs.name))
            continue
        suspicious = False
        big = False
        width = min(map(len, rs.rows), default=0)  # calamine's grid is rectangular
        for c in range(max(map(len, rs.rows), default=0)):
            column = (list(map(itemgetter(c), rs.rows)) if c < width
                      else [row[c] for row in rs.rows if c < len(row)])
            kinds = set(map(type, column))
            if str in kinds and not suspicious:
                # each distinct text once: ledgers repeat their ids, categories and
                # descriptions many times over
                texts = set(column) if kinds == {str} else {v for v in column if type(v) is str}
                suspicious = identity.has_identity_candidate("\n".join(texts)) or (
                    max(map(len, texts)) > EXCEL_TEXT_LIMIT)
            if not big and kinds & {float, int}:
                numbers = column if kinds <= {float, int} else [
                    v for v in column if type(v) is float or type(v) is int]
                magnitudes = np.abs(np.asarray(numbers, dtype=float))
                big = bool(((magnitudes >= 1e8) & (magnitudes < 1e12)).any())
        if not suspicious and not big:
            continue
        for r, row in enumerate(rs.rows):
            for c, value in enumerate(row):
                t = type(value)
                if t is str:
                    if not suspicious or len(value) < 10:
                        continue
                    if len(value) > EXCEL_TEXT_LIMIT:
                        out.error("cell.text_too_long", rs.name, cell_name(r, c),
                                  length=len(value))
                elif (t is not float and t is not int) or not 1e8 <= abs(value) < 1e12:
                    continue  # (.xls gives whole numbers as int)
                masked = identity.identity_number_in(value)
                if masked:
                    out.error("cell.personal_number", rs.name, cell_name(r, c), masked=masked)


def _fast_scan(fs: FastSheet, sheet: str) -> list[Problem]:
    """:func:`scan_personal_data`'s problems of a sheet read as typed columns, in the
    order the per-cell scan finds them (row by row)."""
    texts_by_col: list[list[str]] = []
    for c, column in enumerate(fs.columns):
        head = fs.header[c] if c < len(fs.header) else None
        texts_by_col.append(([head] if head is not None else []) + [
            u for u in column.uniques if type(u) is str])
    suspicious = any(identity.has_identity_candidate(t) or len(t) > EXCEL_TEXT_LIMIT
                     for texts in texts_by_col for t in texts)
    numbers = [(c, col.values) for c, col in enumerate(fs.columns)
               if col.kind == "number" and col.values is not None]
    numbers += [(c, col.values) for c, col in enumerate(fs.columns)
                if col.kind == "mixed" and col.values is not None]
    in_range = {c: np.flatnonzero((np.abs(v) >= 1e8) & (np.abs(v) < 1e12)) for c, v in numbers}
    big = any(len(ix) for ix in in_range.values())
    if not suspicious and not big:
        return []
    found: list[tuple[int, int, int, Problem]] = []
    for c, column in enumerate(fs.columns):
        if not suspicious:
            break
        head = fs.header[c] if c < len(fs.header) else None
        cells: list[tuple[str, list[int]]] = []
        if head is not None:
            cells.append((head, [0]))
        if column.kind in ("text", "mixed") and column.codes is not None:
            wanted = [u for u, t in enumerate(column.uniques) if type(t) is str and len(t) >= 10]
            if wanted:
                where = np.flatnonzero(np.isin(column.codes, wanted))
                by_code: dict[int, list[int]] = defaultdict(list)
                for r, code in zip(where.tolist(), column.codes[where].tolist(), strict=True):
                    by_code[code].append(r + 1)
                cells += [(column.uniques[u], rs) for u, rs in by_code.items()]
        for text, rows_at in cells:
            if len(text) < 10:
                continue
            masked = identity.identity_number_in(text)
            for r in rows_at:
                if len(text) > EXCEL_TEXT_LIMIT:
                    found.append((r, c, 0, Problem("cell.text_too_long", sheet, cell_name(r, c),
                                                   {"length": len(text)})))
                if masked:
                    found.append((r, c, 1, Problem("cell.personal_number", sheet,
                                                   cell_name(r, c), {"masked": masked})))
    for c, values_ in numbers:
        for i in in_range[c].tolist():
            masked = identity.identity_number_in(float(values_[i]))
            if masked:
                found.append((i + 1, c, 1, Problem("cell.personal_number", sheet,
                                                   cell_name(i + 1, c), {"masked": masked})))
    found.sort(key=lambda item: item[:3])
    return [p for *_k, p in found]
