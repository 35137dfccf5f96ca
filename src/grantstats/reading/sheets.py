"""One sheet of the contract, read cell by cell into a typed table.

The header row is found and mapped to the contract's columns, each column parsed cell by
cell (:mod:`grantstats.reading.values`), totals rows and ages checked, and the table
built with the dtypes every loaded table has (:func:`table_frame`). The fast path
(:mod:`grantstats.reading.columns`) builds the same tables from typed columns and shares
the header mapping, the parsers and the table building with this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from grantstats.contract import (
    CATEGORY_KEYS,
    NON_NEGATIVE_AMOUNTS,
    NUMBER_KINDS,
    SHEETS,
    AgeBand,
    Column,
    Sheet,
)
from grantstats.reading import values
from grantstats.reading.cells import RawSheet, RawWorkbook
from grantstats.reading.collector import Collector
from grantstats.reading.refs import cell_name, column_letter

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 50


SHEET_LOOKUP: dict[str, Sheet] = {
    values.normalize_name(name)[0]: spec for spec in SHEETS for name in spec.names()
}


_HEADER_LOOKUPS: dict[str, dict[str, Column]] = {
    spec.key: {values.normalize_name(n)[0]: col for col in spec.columns for n in col.names()}
    for spec in SHEETS
}


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def find_header(rs: RawSheet, spec: Sheet) -> tuple[int | None, int, set[str]]:
    """The header row index (or None), and the best row's matches for the message."""
    lookup = _HEADER_LOOKUPS[spec.key]
    required = {c.key for c in spec.required}
    best: tuple[int, set[str]] = (-1, set())
    for i, row in enumerate(rs.rows[:HEADER_SEARCH_ROWS]):
        found = {lookup[n].key for n in (values.normalize_name(v)[0] for v in row
                                          if isinstance(v, str) and v.strip()) if n in lookup}
        if required <= found:
            return i, i, found
        if len(found & required) > len(best[1] & required):
            best = (i, found)
    return None, best[0], best[1]


def read_table(
    rs: RawSheet, spec: Sheet, raw: RawWorkbook, out: Collector, bands: tuple[AgeBand, ...],
    layouts: dict[str, dict[str, tuple[int, int]]],
) -> pd.DataFrame | None:
    header_row, best_row, found = find_header(rs, spec)
    if header_row is None:
        if not spec.mandatory and all(is_empty(v) for row in rs.rows for v in row):
            return None  # a blank optional sheet: none yet, like a missing one
        missing = [c for c in spec.required if c.key not in found]
        cell = f"A{best_row + 1}" if best_row >= 0 else None
        out.error("sheet.no_header", rs.name, cell,
                  missing=", ".join(f"'{c.sv}'/'{c.en}'" for c in missing),
                  found=", ".join(sorted(str(v) for v in (rs.rows[best_row] if best_row >= 0
                                                          else []) if not is_empty(v))) or "-")
        return None

    extras: dict[str, int] = {}
    columns = map_header(rs, spec, header_row, out, extras)
    if columns is None:
        return None
    for group in spec.one_of:
        if not any(key in columns for key in group):
            names = " / ".join(f"'{spec.column(k).sv}'" for k in group)
            out.error("sheet.one_of_missing", rs.name, cell_name(header_row, 0), names=names)
            return None

    _fill_merged_text(rs, spec, columns, header_row, out)
    data_rows, totals = _data_rows(rs, header_row)
    if not data_rows and spec.mandatory:
        out.error("sheet.empty", rs.name, cell_name(header_row + 1, 0))

    _cell_facts(rs, raw, columns, header_row, out)
    if rs.hidden_rows:
        shown = [r + 1 for r in rs.hidden_rows if r > header_row][:10]
        if shown:
            out.note("note.rows_hidden", rs.name, rows=", ".join(map(str, shown)))
    if rs.hidden_cols:
        out.note("note.columns_hidden", rs.name,
                 cols=", ".join(column_letter(c) for c in rs.hidden_cols[:10]))

    parsed: dict[str, list[Any]] = {}
    data = list(map(rs.rows.__getitem__, data_rows))
    width = min(map(len, data), default=0)  # calamine's grid is rectangular
    for col in spec.columns:
        if col.key not in columns:
            continue
        index, factor = columns[col.key]
        cells = (list(map(itemgetter(index), data)) if index < width
                 else [row[index] if index < len(row) else None for row in data])
        parsed[col.key] = _parse_column(rs, spec, col, index, factor, cells, data_rows, raw,
                                        out, bands)
    kept = {name: extra_series([row[index] if index < len(row) else None for row in data])
            for name, index in extras.items()}
    check_totals(rs, columns, header_row, data_rows, totals, parsed, out)
    if spec.key == "referrals":
        _check_ages(rs, columns, data_rows, parsed, bands, out)
    layouts[spec.key] = columns
    return table_frame(spec, parsed, data_rows, rs.name, bands, kept)


def extra_series(cells: list[Any]) -> pd.Series:
    """An extra column's cells as they are, never checked: numbers as float64, dates as
    datetime64, texts (trimmed) as str; a column of mixed kinds (or of yes/no cells) as
    objects. Empty cells are missing values."""
    kept = [None if is_empty(v) else v.strip() if type(v) is str else v for v in cells]
    kinds = {type(v) for v in kept if v is not None}
    if kinds <= {str}:
        return pd.Series(kept, dtype="str")
    if kinds <= {float, int}:
        return pd.Series(kept, dtype="float64")
    if kinds <= {dt.date, dt.datetime}:
        return pd.Series(np.array(kept, dtype="datetime64[s]"))
    return pd.Series(kept, dtype="object")


#: Names an extra column cannot have: the keys of the sheet's own columns and of the
#: source columns every table has.
_RESERVED: dict[str, frozenset[str]] = {
    spec.key: frozenset({*(c.key for c in spec.columns), "sheet", "row"}) for spec in SHEETS
}


def map_header(
    rs: RawSheet, spec: Sheet, header_row: int, out: Collector,
    extras: dict[str, int] | None = None,
) -> dict[str, tuple[int, int]] | None:
    """Column key → (column index, unit factor). A header outside the contract goes into
    ``extras`` (its normalised name → column index) with a note: the analyst's own
    columns are kept in the table, unchecked."""
    lookup = _HEADER_LOOKUPS[spec.key]
    columns: dict[str, tuple[int, int]] = {}
    seen: dict[str, int] = {}
    ok = True
    for index, value in enumerate(rs.rows[header_row]):
        if is_empty(value):
            continue
        name, unit = values.normalize_name(value)
        where = cell_name(header_row, index)
        if name in seen:
            out.error("sheet.duplicate_header", rs.name, where, header=str(value).strip(),
                      other=cell_name(header_row, seen[name]))
            ok = False
            continue
        seen[name] = index
        col = lookup.get(name)
        if col is None:
            if extras is None or not name or name in _RESERVED[spec.key]:
                out.note("note.column_ignored", rs.name, where, name=str(value).strip())
            else:
                extras[name] = index
                out.note("note.column_kept", rs.name, where, name=str(value).strip(), key=name)
            continue
        if col.key in columns:
            out.error("sheet.duplicate_header", rs.name, where, header=str(value).strip(),
                      other=cell_name(header_row, columns[col.key][0]))
            ok = False
            continue
        factor = 1
        if col.kind == "amount" and unit:
            known = values.unit_factor(unit)
            if known is None:
                out.error("sheet.header_unit", rs.name, where, unit=unit,
                          header=str(value).strip())
                ok = False
                continue
            factor = known
        columns[col.key] = (index, factor)
    return columns if ok else None


def _fill_merged_text(
    rs: RawSheet, spec: Sheet, columns: dict[str, tuple[int, int]], header_row: int,
    out: Collector,
) -> None:
    """A merged range in a text column means its value in every cell of the range."""
    kinds = {index: spec.column(key).kind for key, (index, _f) in columns.items()}
    last_row = len(rs.rows) - 1
    covered: dict[int, int] = {}  # column → last row a range reaching it covers
    for r0, c0, r1, c1 in sorted(set(rs.merged)):
        if r1 <= header_row:
            continue
        if r0 <= header_row:  # a header merged down into the data would repeat the header
            out.error("cell.merged_header", rs.name, cell_name(r0, c0),
                      range=f"{cell_name(r0, c0)}:{cell_name(r1, c1)}")
            continue
        # only the contract's columns and the rows the sheet has are visited, so a
        # range reaching to XFD1048576 costs what the cells in it cost
        cols = [c for c in kinds if c0 <= c <= c1]
        rows = range(max(r0, header_row + 1), min(r1, last_row) + 1)
        # Excel never lets merged ranges overlap; in a file where they do, cells would
        # be visited once per range, so such a range is an error (ranges come sorted by
        # their first row: one overlaps an earlier one when that reaches its first row)
        if any(covered.get(c, -1) >= r0 for c in cols):
            out.error("cell.merged_overlap", rs.name, cell_name(r0, c0),
                      range=f"{cell_name(r0, c0)}:{cell_name(r1, c1)}")
            continue
        covered.update(dict.fromkeys(cols, r1))
        if any(kinds[c] in NUMBER_KINDS for c in cols) and (r1 > r0 or c1 > c0):
            out.error("cell.merged_number", rs.name, cell_name(r0, c0),
                      range=f"{cell_name(r0, c0)}:{cell_name(r1, c1)}")
            for r in rows:
                row = rs.rows[r]
                for c in cols:
                    if (r, c) != (r0, c0) and c < len(row):
                        row[c] = None  # counted once, and the error stops the load
            continue
        value = rs.rows[r0][c0] if r0 <= last_row and c0 < len(rs.rows[r0]) else None
        for r in rows:
            row = rs.rows[r]
            for c in cols:
                if c < len(row) and is_empty(row[c]):
                    row[c] = value


def _data_rows(rs: RawSheet, header_row: int) -> tuple[list[int], list[int]]:
    """Indexes of rows holding data, and of totals rows; blank rows are neither."""
    rows, totals = [], []
    grid = rs.rows
    body = range(header_row + 1, len(grid))
    firsts = (list(map(itemgetter(0), grid[header_row + 1:]))
              if grid and min(map(len, grid)) > 0 else [None] * len(body))
    is_total: dict[str, bool] = {}
    for r, value in zip(body, firsts, strict=True):
        if value == "" or value is None or (type(value) is str and not value.strip()):
            value = next((v for v in grid[r] if not is_empty(v)), None)  # first non-empty
            if value is None:
                continue
        if type(value) is str:
            total = is_total.get(value)
            if total is None:
                total = is_total[value] = values.is_total_label(value)
            if total:
                totals.append(r)
                continue
        rows.append(r)
    return rows, totals


def _cell_facts(
    rs: RawSheet, raw: RawWorkbook, columns: dict[str, tuple[int, int]], header_row: int,
    out: Collector,
) -> None:
    """Error cells and formulas the stored values cannot be trusted for."""
    used = {index for index, _f in columns.values()}
    for (r, c), text in sorted(rs.errors.items()):
        if r > header_row and c in used:
            out.error("cell.error_value", rs.name, cell_name(r, c), value=text)
    for r, c in sorted(rs.formulas):
        if r <= header_row or c not in used or (r, c) in rs.errors:
            continue
        if (r, c) in rs.formulas_without_value:
            out.error("cell.formula_no_value", rs.name, cell_name(r, c))
        elif raw.recalc_on_load:
            out.error("cell.formula_recalc", rs.name, cell_name(r, c))


def parser_for(col: Column, bands: tuple[AgeBand, ...], factor: int, date1904: bool
                ) -> Callable[[Any], Any]:
    kind = col.kind
    if kind == "amount":
        return lambda v: values.parse_amount(v, factor)
    if kind == "date":
        return lambda v: values.parse_date(v, date1904)[0]
    if kind == "category":
        return values.parse_category
    if kind == "share":
        return values.parse_share
    if kind == "count":
        return values.parse_count
    if kind == "age":
        return values.parse_age
    if kind == "age_group":
        return lambda v: values.parse_age_group(v, bands)
    if kind == "flag":
        return values.parse_flag
    return _as_text


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        raise values.ValueProblem("cell.bool_text", value=value)
    return str(value).strip()


DEFAULTS: dict[str, Any] = {"share": 0.0, "count": 1, "flag": False}


#: The cell type each kind of column mostly holds, read without a parser call.
_PLAIN_TYPES: dict[str, type] = {"amount": float, "date": dt.date, "id": str, "text": str,
                                 "category": str}


def _parse_column(
    rs: RawSheet, spec: Sheet, col: Column, index: int, factor: int, cells: list[Any],
    rows: list[int], raw: RawWorkbook, out: Collector, bands: tuple[AgeBand, ...],
) -> list[Any]:
    """The typed values of one column; problems go to ``out``, their cells get the default.

    A column whose cells are all of its plain type (float amounts, date cells, texts) is
    converted at once; otherwise only the cells that are not go through the parser, so a
    million-row ledger stays fast.
    """
    fn = parser_for(col, bands, factor, raw.date1904)
    kind = col.kind
    default = DEFAULTS.get(kind)
    no_negatives = kind == "amount" and spec.key in NON_NEGATIVE_AMOUNTS
    kinds = set(map(type, cells))
    whole = _whole_column(kind, kinds, cells, factor, no_negatives, col.required)
    if whole is not None:
        return whole
    cache: dict[str, Any] = {}

    def one(r: int, value: Any) -> Any:
        t = type(value)
        if t is str:
            text = value.strip()
            if text in cache:
                return cache[text]
            if text and kind in ("id", "text"):
                return text
        if value is None or value == "" or (t is str and not value.strip()):
            if col.required and (r, index) not in rs.errors and (
                    r, index) not in rs.formulas_without_value:
                out.error("cell.required_empty", rs.name, cell_name(r, index), column=col.sv)
            return default
        if t is float and kind == "amount":
            parsed = value * factor
        else:
            try:
                parsed = fn(value)
            except values.ValueProblem as problem:
                params = dict(problem.params)
                params["value"] = shown(params.get("value", value))
                out.error(problem.code, rs.name, cell_name(r, index), **params)
                return default
        if t is str and kind == "category":
            cache[value.strip()] = parsed
        if no_negatives and parsed < 0:
            out.error("cell.amount_negative", rs.name, cell_name(r, index),
                      value=values.format_amount_plain(parsed), sheet_name=rs.name)
        return parsed

    if kind == "amount" and factor == 1 and not no_negatives and float in kinds:
        result = list(cells)  # floats stand as they are; only the rest is parsed
        for i in [i for i, v in enumerate(cells) if type(v) is not float]:
            result[i] = one(rows[i], cells[i])
        return result
    return [one(r, v) for r, v in zip(rows, cells, strict=True)]


def _whole_column(kind: str, kinds: set[type], cells: list[Any], factor: int,
                  no_negatives: bool, required: bool) -> list[Any] | None:
    """The column converted at once if every cell is of the plain type (or, in an optional
    text column, empty), else None."""
    if kind in ("id", "text") and not required and kinds <= {str, type(None)}:
        return [(v.strip() or None) if v is not None else None for v in cells]
    plain = _PLAIN_TYPES.get(kind)
    if plain is None or kinds != {plain}:
        return None
    if plain is float:
        if no_negatives and min(cells) < 0:
            return None
        return list(cells) if factor == 1 else [v * factor for v in cells]
    if plain is dt.date:
        low, high = values.DATE_RANGE
        return list(cells) if low <= min(cells) and max(cells) <= high else None
    stripped = list(map(str.strip, cells))
    if "" in stripped:
        return None
    if kind != "category":
        return stripped
    try:
        lookup = {text: values.parse_category(text) for text in set(stripped)}
    except values.ValueProblem:
        return None
    return list(map(lookup.__getitem__, stripped))


def shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def check_totals(
    rs: RawSheet, columns: dict[str, tuple[int, int]], header_row: int,
    rows: list[int], totals: list[int], parsed: dict[str, list[Any]], out: Collector,
) -> None:
    """A totals row must agree with the rows above it (all of them, or since the last).

    The amount column is compared, or, in a sheet without one (referrals), the count.
    """
    key = "amount" if "amount" in columns else "count" if "count" in columns else None
    if not totals or key is None:
        return
    index, factor = columns[key]
    amounts = parsed.get(key, [])
    read = ((lambda v: values.parse_amount(v, factor)) if key == "amount"
            else values.parse_count)
    unit = " kr" if key == "amount" else ""
    previous = header_row
    for t in totals:
        stated_cell = rs.rows[t][index] if index < len(rs.rows[t]) else None
        if is_empty(stated_cell):
            previous = t
            continue
        try:
            stated = read(stated_cell)
        except values.ValueProblem as problem:
            out.error(problem.code, rs.name, cell_name(t, index), value=shown(stated_cell),
                      **{k: v for k, v in problem.params.items() if k != "value"})
            previous = t
            continue
        above = [a for r, a in zip(rows, amounts, strict=True) if r < t and a is not None]
        since = [a for r, a in zip(rows, amounts, strict=True)
                 if previous < r < t and a is not None]
        stated_text = values.format_amount_plain(stated) + unit
        if any(abs(stated - sum(group)) < 0.005 for group in (above, since)):
            out.note("note.total_ok", rs.name, cell_name(t, index), stated=stated_text)
        else:
            texts = _text_amounts_left_out(rs, index, rows, amounts, previous, t, stated)
            code = "total.text_skipped" if texts else "total.mismatch"
            out.error(code, rs.name, cell_name(t, index), stated=stated_text,
                      computed=values.format_amount_plain(sum(since)) + unit,
                      **({"count": len(texts), "cells": ", ".join(texts[:3])} if texts else {}))
        previous = t


def _text_amounts_left_out(
    rs: RawSheet, index: int, rows: list[int], amounts: list[Any], previous: int, t: int,
    stated: float,
) -> list[str]:
    """The cells of amounts written as text, when a totals row's stated sum is that of the
    number cells alone (a spreadsheet's SUM()/SUMMA() skips text); [] otherwise."""
    for low in (-1, previous):  # all the rows above, or those since the last totals row
        group = [(r, a) for r, a in zip(rows, amounts, strict=True)
                 if low < r < t and a is not None]
        raw = [rs.rows[r][index] if index < len(rs.rows[r]) else None for r, _ in group]
        texts = [cell_name(r, index) for (r, _), v in zip(group, raw, strict=True)
                 if isinstance(v, str)]
        numbers = sum(a for (_, a), v in zip(group, raw, strict=True)
                      if not isinstance(v, str))
        if texts and abs(stated - numbers) < 0.005:
            return texts
    return []


def _check_ages(
    rs: RawSheet, columns: dict[str, tuple[int, int]], rows: list[int],
    parsed: dict[str, list[Any]], bands: tuple[AgeBand, ...], out: Collector,
) -> None:
    """Each referral needs an age or an age group, and the two must agree."""
    ages = parsed.get("age", [None] * len(rows))
    groups = parsed.get("age_group", [None] * len(rows))
    for r, age, group in zip(rows, ages, groups, strict=True):
        if age is None and group is None:
            given = [columns[k][0] for k in ("age", "age_group") if k in columns]
            if all((r, i) not in rs.errors and is_empty(rs.rows[r][i]) for i in given):
                out.error("cell.age_missing", rs.name, cell_name(r, given[0]))
        elif age is not None and group is not None and values.band_of_age(age, bands) != group:
            out.error("cell.age_conflict", rs.name, cell_name(r, columns["age_group"][0]),
                      age=age, group=group)


def table_frame(
    spec: Sheet, parsed: dict[str, Any], rows: Any, sheet_name: str,
    bands: tuple[AgeBand, ...], extras: dict[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """The table: the contract's columns (typed lists, or Series made by the fast path),
    the extra columns, then the sheet and Excel row of each row (``rows``: 0-based)."""
    n = len(rows)
    data: dict[str, Any] = {}
    for col in spec.columns:
        raw = parsed.get(col.key)
        if raw is None:  # a column the sheet does not have: its default in every row
            data[col.key] = pd.Series(typed_series(col, [DEFAULTS.get(col.kind)], bands).array
                                      .take(np.zeros(n, dtype=np.intp)))
        else:
            data[col.key] = raw if isinstance(raw, pd.Series) else typed_series(col, raw, bands)
    data.update(extras or {})
    data["sheet"] = text_series([sheet_name], np.zeros(n, dtype=np.intp))
    data["row"] = pd.Series(np.asarray(rows, dtype="int64") + 1, dtype="int64")
    frame = pd.DataFrame(data)
    if spec.key == "referrals":
        frame = _referral_groups(frame, bands)
    return frame


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def typed_series(col: Column, raw: list[Any], bands: tuple[AgeBand, ...]) -> pd.Series:
    kind = col.kind
    if kind == "amount" or kind == "share":
        return pd.Series(raw, dtype="float64")
    if kind == "date":
        if raw and all(type(d) is dt.date for d in raw):  # the usual case: fast via ordinals
            days = np.fromiter(map(dt.date.toordinal, raw), dtype=np.int64, count=len(raw))
            return pd.Series((days - _EPOCH_ORDINAL).astype("datetime64[D]").astype(
                "datetime64[s]"))
        return pd.Series(np.array(raw, dtype="datetime64[s]"))
    if kind == "category":
        return pd.Series(pd.Categorical(raw, categories=CATEGORY_KEYS))
    if kind == "age_group":
        return pd.Series(pd.Categorical(raw, categories=[b.label for b in bands]))
    if kind in ("count", "age"):
        return pd.Series(raw, dtype="Int64")
    if kind == "flag":
        return pd.Series(raw, dtype="bool")
    return pd.Series(raw, dtype="str")


def _referral_groups(frame: pd.DataFrame, bands: tuple[AgeBand, ...]) -> pd.DataFrame:
    """Fill the age group from the age where only the age is given."""
    from_age = [
        values.band_of_age(int(a), bands) if pd.notna(a) else None for a in frame["age"]
    ]
    groups = frame["age_group"].astype("object").where(frame["age_group"].notna(), from_age)
    frame = frame.copy()
    frame["age_group"] = pd.Categorical(groups, categories=[b.label for b in bands])
    return frame


def text_series(distinct: list[Any], at: np.ndarray) -> pd.Series:
    """A text column from its distinct values (None: missing) and each row's index
    among them: the distinct values are made texts once and taken, not a million."""
    return pd.Series(pd.array(distinct, dtype="str").take(at))
