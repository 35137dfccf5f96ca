"""A large sheet read as typed columns (:mod:`grantstats.reading.fast`), checked as columns.

:func:`fast_table` gives the same table and the same problems, in the same order, as
:func:`grantstats.reading.sheets.read_table` gives cell by cell: each column's distinct
values are parsed once and the outcome spread over the rows with numpy. Where that
cannot be told exactly it raises :class:`~grantstats.reading.fast.Fallback` before
reporting anything, and the sheet is read cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from grantstats.contract import (
    CATEGORY_KEYS,
    NON_NEGATIVE_AMOUNTS,
    AgeBand,
    Column,
    Sheet,
)
from grantstats.reading import values
from grantstats.reading.cells import RawSheet
from grantstats.reading.collector import Collector
from grantstats.reading.refs import cell_name
from grantstats.reading.sheets import (
    DEFAULTS,
    check_totals,
    extra_series,
    find_header,
    map_header,
    parser_for,
    shown,
    table_frame,
    text_series,
    typed_series,
)

if TYPE_CHECKING:
    from grantstats.reading.fast import FastColumn, FastSheet


def fast_table(
    rs: RawSheet, spec: Sheet, out: Collector, bands: tuple[AgeBand, ...],
    layouts: dict[str, dict[str, tuple[int, int]]], date1904: bool = False,
) -> pd.DataFrame:
    """:func:`~grantstats.reading.sheets.read_table` of a sheet read as typed columns
    (:mod:`grantstats.reading.fast`): the same table and the same problems, in the same
    order, checked on each column's distinct values. Raises :class:`Fallback` before
    reporting anything where it cannot tell exactly what the per-cell path would."""
    from grantstats.reading.fast import Fallback, empty_mask

    fs: FastSheet = rs.fast
    local = Collector()
    head = RawSheet(name=rs.name, rows=[["" if v is None else v for v in fs.header]])
    header_row, _best, _found = find_header(head, spec)
    if header_row != 0:
        raise Fallback("no header in row 1")
    extras: dict[str, int] = {}
    columns = map_header(head, spec, 0, local, extras)
    if columns is None or any(not any(k in columns for k in group) for group in spec.one_of):
        raise Fallback("a header problem")
    n = fs.height
    cols = fs.columns
    nonempty = ~np.vstack([empty_mask(c) for c in cols]) if cols else np.zeros((0, n), bool)
    has = nonempty.any(axis=0)
    first = nonempty.argmax(axis=0)
    total = np.zeros(n, dtype=bool)
    for c, column in enumerate(cols):
        if column.kind in ("text", "mixed") and column.codes is not None:
            labels = np.array([values.is_total_label(u) for u in column.uniques] + [False])
            total |= has & (first == c) & labels[np.where(column.codes < 0,
                                                          len(column.uniques), column.codes)]
    data_idx = np.flatnonzero(has & ~total)
    totals = (np.flatnonzero(total) + 1).tolist()
    rows = data_idx + 1  # 0-based rows of the sheet
    if not len(data_idx) and spec.mandatory:
        local.error("sheet.empty", rs.name, cell_name(1, 0))

    parsed: dict[str, Any] = {}
    plain: dict[str, list[Any]] = {}  # the totals check's lists, only where needed
    for col in spec.columns:
        if col.key not in columns:
            continue
        index, factor = columns[col.key]
        series, per_row = _fast_column(rs.name, spec, col, index, factor, cols[index],
                                       data_idx, rows, local, bands, bool(totals), date1904)
        parsed[col.key] = series
        if per_row is not None:
            plain[col.key] = per_row
    if totals:
        summed = "amount" if "amount" in columns else "count" if "count" in columns else None
        if summed is not None and cols[columns[summed][0]].ambiguous:
            # a text "500" reads as the amount 500 here, but a totals row's SUM skips it:
            # only the per-cell path knows which cells were texts
            raise Fallback("a totals row over texts that may have been numbers")
        grid = RawSheet(name=rs.name, rows=cast(list[list[Any]], _FastRows(fs)))
        check_totals(grid, columns, 0, rows.tolist(), totals, plain, local)
    kept = {name: _fast_extra(cols[index], data_idx) for name, index in extras.items()}
    frame = table_frame(spec, parsed, rows, rs.name, bands, kept)
    out.errors.extend(local.errors)
    out.notes.extend(local.notes)
    layouts[spec.key] = columns
    return frame


class _FastRows:
    """Rows of a fast sheet as the per-cell grid would hold them (for the totals check)."""

    def __init__(self, fs: FastSheet) -> None:
        self.fs = fs
        self.found = [c.distinct() for c in fs.columns]

    def __getitem__(self, r: int) -> list[Any]:
        if r == 0:
            return ["" if v is None else v for v in self.fs.header]
        cells = [found[index[r - 1]] for found, index in self.found]
        return ["" if v is None else v for v in cells]


def _fast_column(
    sheet: str, spec: Sheet, col: Column, index: int, factor: int, column: FastColumn,
    data_idx: np.ndarray, rows: np.ndarray, out: Collector, bands: tuple[AgeBand, ...],
    want_list: bool, date1904: bool = False,
) -> tuple[pd.Series, list[Any] | None]:
    """One contract column as a typed Series over the data rows; its problems (in row
    order, as the per-cell path reports them) go to ``out``."""
    from grantstats.reading.fast import Fallback, evaluate

    kind = col.kind
    default = DEFAULTS.get(kind)
    no_negatives = kind == "amount" and spec.key in NON_NEGATIVE_AMOUNTS
    if column.ambiguous and kind != "amount":
        raise Fallback("texts that may have been numbers, outside an amount column")
    if kind == "amount" and column.kind == "number":
        assert column.values is not None
        amounts = column.values[data_idx] * factor
        empty = ~column.valid[data_idx]
        flagged = (empty & col.required) | (no_negatives & (amounts < 0))
        for i in np.flatnonzero(flagged).tolist():
            where = cell_name(int(rows[i]), index)
            if empty[i]:
                out.error("cell.required_empty", sheet, where, column=col.sv)
            else:
                out.error("cell.amount_negative", sheet, where,
                          value=values.format_amount_plain(float(amounts[i])), sheet_name=sheet)
        as_list = ([None if e else float(a) for a, e in zip(amounts.tolist(), empty, strict=True)]
                   if want_list else None)
        return pd.Series(amounts, dtype="float64"), as_list

    fn = parser_for(col, bands, factor, date1904)
    if kind == "amount" and column.kind == "mixed":
        return _fast_mixed_amounts(sheet, col, index, factor, column, data_idx, rows, out,
                                   no_negatives, fn, want_list)

    def one(value: Any) -> tuple[Any, Any]:
        t = type(value)
        if t is str:
            text = value.strip()
            if text and kind in ("id", "text"):
                return text, None
        if value is None or value == "" or (t is str and not value.strip()):
            return default, "empty"
        if t is float and kind == "amount":
            return value * factor, None
        try:
            return fn(value), None
        except values.ValueProblem as problem:
            params = dict(problem.params)
            params["value"] = shown(params.get("value", value))
            return default, (problem.code, params)

    outcome = evaluate(column, one)
    negative = [no_negatives and p is None and v is not None and v < 0
                for v, p in zip(outcome.parsed, outcome.problems, strict=True)]
    shout = np.array([(p == "empty" and col.required) or isinstance(p, tuple) or neg
                      for p, neg in zip(outcome.problems, negative, strict=True)], dtype=bool)
    at = outcome.index[data_idx]
    for i in np.flatnonzero(shout[at]).tolist():
        u = int(at[i])
        where = cell_name(int(rows[i]), index)
        problem = outcome.problems[u]
        if problem == "empty":
            out.error("cell.required_empty", sheet, where, column=col.sv)
        elif isinstance(problem, tuple):
            out.error(problem[0], sheet, where, **problem[1])
        else:
            out.error("cell.amount_negative", sheet, where,
                      value=values.format_amount_plain(outcome.parsed[u]), sheet_name=sheet)
    return _spread(col, outcome.parsed, at, bands), (
        [outcome.parsed[u] for u in at.tolist()] if want_list else None)


def _fast_mixed_amounts(
    sheet: str, col: Column, index: int, factor: int, column: FastColumn,
    data_idx: np.ndarray, rows: np.ndarray, out: Collector, no_negatives: bool,
    fn: Callable[[Any], Any], want_list: bool,
) -> tuple[pd.Series, list[Any] | None]:
    """An amount column of number and text cells: the numbers at once, each distinct text
    through the parser, the problems in row order as the per-cell path
    (:mod:`grantstats.reading.sheets`) gives them."""
    assert column.values is not None and column.codes is not None
    numbers = column.values[data_idx]
    codes = column.codes[data_idx]
    is_number = ~np.isnan(numbers)
    parsed: list[Any] = []
    problems: list[Any] = []
    for text in column.uniques:
        if not text.strip():
            parsed.append(None)
            problems.append("empty")
            continue
        try:
            parsed.append(fn(text))
            problems.append(None)
        except values.ValueProblem as refused:
            params = dict(refused.params)
            params["value"] = shown(params.get("value", text))
            parsed.append(None)
            problems.append((refused.code, params))
    table = np.array([np.nan if p is None else p for p in parsed] + [np.nan], dtype="float64")
    at = np.where(codes < 0, len(parsed), codes)
    amounts = np.where(is_number, numbers * factor, table[at])
    text_problem = np.array([p is not None for p in problems] + [False], dtype=bool)[at]
    empty = ~is_number & (codes < 0)
    blank = np.array([p == "empty" for p in problems] + [False], dtype=bool)[at]
    flagged = ((empty | blank) & col.required) | (text_problem & ~blank) | (
        no_negatives & ~np.isnan(amounts) & (amounts < 0))
    for i in np.flatnonzero(flagged).tolist():
        where = cell_name(int(rows[i]), index)
        found: Any = problems[int(at[i])] if not is_number[i] and codes[i] >= 0 else None
        if empty[i] or found == "empty":
            out.error("cell.required_empty", sheet, where, column=col.sv)
        elif isinstance(found, tuple):
            out.error(found[0], sheet, where, **found[1])
        else:
            out.error("cell.amount_negative", sheet, where,
                      value=values.format_amount_plain(float(amounts[i])), sheet_name=sheet)
    as_list = ([None if np.isnan(a) else float(a) for a in amounts.tolist()]
               if want_list else None)
    return pd.Series(amounts, dtype="float64"), as_list


def _spread(col: Column, parsed: list[Any], at: np.ndarray, bands: tuple[AgeBand, ...]
            ) -> pd.Series:
    """The Series of a column from the parsed value of each distinct cell and each row's
    index among them, typed as :func:`typed_series` types a list."""
    kind = col.kind
    if kind in ("amount", "share"):
        table = np.array([np.nan if p is None else p for p in parsed], dtype="float64")
        return pd.Series(table[at], dtype="float64")
    if kind == "date":
        table = np.array(parsed, dtype="datetime64[s]")
        return pd.Series(table[at])
    if kind == "category":
        codes = np.array([-1 if p is None else CATEGORY_KEYS.index(p) for p in parsed],
                         dtype=np.int64)
        return pd.Series(pd.Categorical.from_codes(codes[at], categories=CATEGORY_KEYS))
    if kind in ("id", "text"):
        return text_series(parsed, at)
    table_obj = np.empty(len(parsed), dtype=object)
    table_obj[:] = parsed
    return typed_series(col, table_obj[at].tolist(), bands)


def _fast_extra(column: FastColumn, data_idx: np.ndarray) -> pd.Series:
    """:func:`extra_series` of a column read as typed columns."""
    from grantstats.reading.fast import Fallback

    if column.ambiguous:
        raise Fallback("texts that may have been numbers, in an extra column")
    if column.kind == "number":
        assert column.values is not None
        return pd.Series(column.values[data_idx], dtype="float64")
    if column.kind == "date":
        assert column.values is not None
        return pd.Series(column.values[data_idx].astype("datetime64[s]"))
    found, index = column.distinct()
    if column.kind in ("bool", "mixed"):
        return extra_series([found[i] for i in index[data_idx].tolist()])
    kept = [None if v is None or not v.strip() else v.strip() for v in found]
    return text_series(kept, index[data_idx])
