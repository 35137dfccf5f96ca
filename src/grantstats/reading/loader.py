"""Load a workbook into typed tables, checking every rule of the contract.

``load(path)`` returns a :class:`Workbook`: one DataFrame per sheet of the contract
(amounts in kronor as floats, dates as datetimes, categories as their keys), each row
carrying the ``sheet`` and Excel ``row`` it came from. Every problem of the file is
collected first and raised once, as a :class:`~grantstats.errors.WorkbookError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from grantstats.contract import (
    CATEGORY_KEYS,
    DEFAULT_AGE_BANDS,
    NON_NEGATIVE_AMOUNTS,
    NUMBER_KINDS,
    SHEETS,
    AgeBand,
    Column,
    Sheet,
)
from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.reading import cache as parsed_cache
from grantstats.reading import identity, sandbox, values
from grantstats.reading.cells import (
    PartEncoding,
    RawSheet,
    RawWorkbook,
    calamine_sheet,
    cell_name,
    column_letter,
    read_workbook,
)
from grantstats.reading.sniff import read_checked, unreadable
from grantstats.texts import Detail, explain

if TYPE_CHECKING:  # the fast path's module is imported only for a workbook that uses it
    from grantstats.reading.fast import FastColumn, FastSheet

#: How many problems of one kind in one sheet are listed before they are counted.
MAX_SAME_PROBLEMS = 20
#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 50
EXCEL_TEXT_LIMIT = 32_767



@dataclass(frozen=True)
class Workbook:
    """A loaded, checked workbook: typed tables keyed by sheet (``projects``, ``costs``…)."""

    path: Path
    sha256: str
    tables: dict[str, pd.DataFrame]
    notes: tuple[Problem, ...] = ()
    sheet_names: dict[str, str] = field(default_factory=dict)
    age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS

    def __repr__(self) -> str:
        rows = ", ".join(f"{key} {n}" for key, n in self.counts().items())
        notes = f", {len(self.notes)} notes" if self.notes else ""
        return f"<Workbook {self.path.name} sha256={self.sha256[:12]}…: {rows}{notes}>"

    def counts(self) -> dict[str, int]:
        """Data rows per sheet of the contract."""
        return {key: len(df) for key, df in self.tables.items()}

    # One property per sheet of the contract, so that they complete and type-check.
    @property
    def projects(self) -> pd.DataFrame:
        """The ``projekt`` sheet: one row per project."""
        return self.tables["projects"]

    @property
    def grants(self) -> pd.DataFrame:
        """The ``beslut`` sheet: the funder's decisions, amounts in kronor."""
        return self.tables["grants"]

    @property
    def budget(self) -> pd.DataFrame:
        """The ``budget`` sheet: the applied budget by cost category."""
        return self.tables["budget"]

    @property
    def costs(self) -> pd.DataFrame:
        """The ``kostnader`` sheet: what was spent, by date and category."""
        return self.tables["costs"]

    @property
    def requisitions(self) -> pd.DataFrame:
        """The ``rekvisitioner`` sheet: the money requisitioned from the funder."""
        return self.tables["requisitions"]

    @property
    def referrals(self) -> pd.DataFrame:
        """The ``anmälningar`` sheet: referrals to social services, by age group."""
        return self.tables["referrals"]

    @property
    def financing(self) -> pd.DataFrame:
        """The ``finansiering`` sheet: other financing of the projects."""
        return self.tables["financing"]


def empty_table(sheet: Sheet) -> pd.DataFrame:
    """A table of ``sheet`` with no rows, with the columns and dtypes a loaded one has."""
    return _frame(sheet, {c.key: [] for c in sheet.columns}, [], "", DEFAULT_AGE_BANDS)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load(
    path: str | os.PathLike[str], *, age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS,
    sha256: str | None = None, cache: bool = True,
) -> Workbook:
    """Read and check ``path``; raise :class:`WorkbookError` listing every problem.

    ``sha256``: the content the caller expects (a report's kernel must read the very
    file its footer names); any other content is refused. ``cache``: reuse the tables
    of an earlier load of the same content, and keep these (see :mod:`grantstats.reading.cache`;
    ``GRANTSTATS_CACHE=0`` also turns it off).
    """
    path = Path(path)
    kind, data = read_checked(path)  # read once: all that follows uses these bytes
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and digest != sha256.lower():
        raise unreadable("file.changed", path)
    options = f"age_bands={age_bands!r}"
    if cache:
        hit = parsed_cache.lookup(digest, options)
        if isinstance(hit, Workbook):
            return replace(hit, path=path)
    size = len(data)
    try:
        wb = replace(_parse_in_sandbox(path, data, kind, age_bands), sha256=digest)
    except WorkbookError:
        if changed_since(path, digest):  # it may have been read while half written
            raise unreadable("file.changed", path) from None
        raise
    if cache:
        with contextlib.suppress(OSError):  # the cache never fails a load
            parsed_cache.store(digest, options, wb, size)
    return wb


def _parse_in_sandbox(path: Path, data: bytes, kind: str,
                      age_bands: tuple[AgeBand, ...]) -> Workbook:
    """:func:`parse` in a sandbox child; a child that died is the file's one problem.

    The tables come back as Arrow IPC (:func:`parse_for_parent`); in a sandbox child
    already (``grantstats check`` runs the whole command in one) the parse runs here and
    nothing is encoded."""
    if sandbox.inside():
        return parse(path, data, kind, age_bands)
    try:
        tables, rest = sandbox.call(parse_for_parent, path, data, kind, age_bands,
                                    limits=sandbox.Limits.default(len(data)))
    except sandbox.ChildDied as died:
        raise died_reading(died, path, kind) from None
    from grantstats.reading import handover

    return replace(rest, tables=handover.from_ipc(tables))


def parse_for_parent(path: Path, data: bytes, kind: str,
                     age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS,
                     ) -> tuple[bytes, Workbook]:
    """:func:`parse` as the sandbox child runs it for :func:`load`: the tables as Arrow
    IPC bytes (:mod:`grantstats.reading.handover`), and the rest of the workbook (path,
    notes, sheet names, age bands; no tables), which the sandbox pickles: it is small.
    A :class:`WorkbookError` or :class:`UnreadableWorkbook` goes back as it was raised."""
    from grantstats.reading import handover

    wb = parse(path, data, kind, age_bands)
    return handover.to_ipc(wb.tables), replace(wb, tables={})


def died_reading(died: sandbox.ChildDied, path: Path, kind: str | None = None
                 ) -> UnreadableWorkbook:
    """The one problem of a file whose reading child died: too large (memory, time) or
    damaged (a crash)."""
    if died.reason == "crash":
        code = "file.legacy_xls" if kind == "xls" else "file.damaged"
        return unreadable(code, path, detail=Detail("detail.crashed", died.detail))
    return unreadable("file.too_large", path, detail=Detail(f"detail.{died.reason}", ""))


def parse(path: Path, data: bytes, kind: str,
          age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS, fast: str | None = None,
          ) -> Workbook:
    """The checked workbook of ``data`` (the bytes of ``path``, of format ``kind``),
    without the cache or the sandbox: :func:`load` runs this in the sandbox.

    ``fast``: whether large sheets are read as typed columns (``"auto"``, the default,
    or ``GRANTSTATS_FAST``), every sheet that can be (``"always"``) or none
    (``"never"``): see :mod:`grantstats.reading.fast`. The answer is the same.
    """
    mode = fast or os.environ.get("GRANTSTATS_FAST", "").strip().lower() or "auto"
    raw = _read(path, data, kind, mode if mode in ("auto", "always", "never") else "auto")
    del data  # read: the file's bytes need not stay in memory while it is checked
    return _checked(path, raw, age_bands)


def changed_since(path: Path, digest: str) -> bool:
    """Whether ``path`` no longer holds the content with SHA-256 ``digest`` (or is gone),
    as when a load or a report's kernel failed on a file that was being saved."""
    try:
        return sha256_of(path) != digest
    except OSError:
        return True


def _fast_wanted(name: str) -> bool:
    """Whether the fast path may read a sheet of this name: one of the contract's (not
    referrals, whose ages are checked row by row)."""
    spec = _SHEET_LOOKUP.get(values.normalize_name(name)[0])
    return spec is not None and spec.key != "referrals"


def _read(path: Path, data: bytes, kind: str, fast: str = "auto") -> RawWorkbook:
    """The raw cells, or the one problem that makes the file unusable."""
    try:
        raw = read_workbook(path, kind, data, fast, _fast_wanted)
    except PartEncoding as exc:
        if exc.sheet is None:
            raise unreadable("file.part_encoding", path, part=exc.part,
                             encoding=exc.encoding) from None
        raise unreadable("file.sheet_encoding", path, sheet=exc.sheet,
                         encoding=exc.encoding) from None
    except MemoryError:
        raise unreadable("file.too_large", path, detail=Detail("detail.memory", "")) from None
    except BaseException as exc:  # calamine reports damaged files in many ways
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # Ctrl-C and exit go on; a panic in calamine's Rust is a damaged file
        code = "file.legacy_xls" if kind == "xls" else "file.damaged"
        raise unreadable(code, path, detail=explain(_short(exc))) from None
    if kind == "xls" and not raw.sheets:
        raise unreadable("file.legacy_xls", path, detail="no sheets could be read")
    return raw


def _checked(path: Path, raw: RawWorkbook, age_bands: tuple[AgeBand, ...]) -> Workbook:
    """The typed tables of the raw cells, or every problem the contract finds."""
    collector = _Collector()
    layouts: dict[str, dict[str, tuple[int, int]]] = {}
    tables, names = _read_sheets(raw, collector, age_bands, layouts)
    _check_projects(tables, names, layouts, collector)
    _check_examples(tables, names, layouts, collector)
    _scan_personal_data(raw, collector)
    if collector.errors:
        raise WorkbookError(_masked(collector.capped()), path=str(path))
    return Workbook(
        path=path, sha256="", tables=tables, notes=tuple(collector.notes),
        sheet_names=names, age_bands=age_bands,
    )


def _masked(problems: list[Problem]) -> list[Problem]:
    """The problems with no identity number in their parameters (a cell's value, a list of
    known ids): ``cell.personal_number`` names the cell, no other message may show it."""
    return [
        replace(p, sheet=identity.mask_identity_numbers(p.sheet) if p.sheet else p.sheet,
                params={k: identity.mask_identity_numbers(v) if isinstance(v, str) else v
                        for k, v in p.params.items()})
        for p in problems
    ]


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


class _Collector:
    """Gathers problems and notes while a workbook is read."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.notes: list[Problem] = []

    def error(self, code: str, sheet: str | None = None, cell: str | None = None, /,
              **params: Any) -> None:
        self.errors.append(Problem(code, sheet, cell, params))

    def note(self, code: str, sheet: str | None = None, cell: str | None = None, /,
             **params: Any) -> None:
        self.notes.append(Problem(code, sheet, cell, params, severity="note"))

    def capped(self) -> list[Problem]:
        """Errors, with long runs of one kind in one sheet cut to a count."""
        seen: dict[tuple[str | None, str], int] = defaultdict(int)
        kept = []
        for p in self.errors:
            key = (p.sheet, p.code)
            seen[key] += 1
            if seen[key] <= MAX_SAME_PROBLEMS:
                kept.append(p)
        for (sheet, code), n in seen.items():
            if n > MAX_SAME_PROBLEMS:
                kept.append(Problem("sheet.more_problems", sheet, None,
                                    {"count": n - MAX_SAME_PROBLEMS, "code": code}))
        return kept


# --- sheets -------------------------------------------------------------------------

_SHEET_LOOKUP: dict[str, Sheet] = {
    values.normalize_name(name)[0]: spec for spec in SHEETS for name in spec.names()
}


def _read_sheets(
    raw: RawWorkbook, out: _Collector, bands: tuple[AgeBand, ...],
    layouts: dict[str, dict[str, tuple[int, int]]],
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    tables: dict[str, pd.DataFrame] = {}
    names: dict[str, str] = {}
    for rs in raw.sheets:
        spec = _SHEET_LOOKUP.get(values.normalize_name(rs.name)[0])
        if spec is None:
            out.note("note.sheet_ignored", name=identity.mask_identity_numbers(rs.name))
            continue
        if spec.key in names:
            out.error("sheet.duplicate_sheet", rs.name, None, sheet=rs.name,
                      other=names[spec.key])
            continue
        names[spec.key] = rs.name
        if rs.hidden:
            out.note("note.sheet_hidden", rs.name)
        table = None
        if rs.fast is not None:
            from grantstats.reading.fast import Fallback

            try:
                table = _fast_table(rs, spec, out, bands, layouts, raw.date1904)
            except Fallback:
                assert raw.data is not None
                calamine_sheet(raw.data, rs)
        if rs.fast is None:
            table = _read_table(rs, spec, raw, out, bands, layouts)
        if table is not None:
            tables[spec.key] = table
    for spec in SHEETS:
        if spec.key not in names and spec.mandatory:
            out.error("sheet.missing", sheet=spec.sv, en=spec.en)
        tables.setdefault(spec.key, empty_table(spec))
    return tables, names


_HEADER_LOOKUPS: dict[str, dict[str, Column]] = {
    spec.key: {values.normalize_name(n)[0]: col for col in spec.columns for n in col.names()}
    for spec in SHEETS
}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(rs: RawSheet, spec: Sheet) -> tuple[int | None, int, set[str]]:
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


def _read_table(
    rs: RawSheet, spec: Sheet, raw: RawWorkbook, out: _Collector, bands: tuple[AgeBand, ...],
    layouts: dict[str, dict[str, tuple[int, int]]],
) -> pd.DataFrame | None:
    header_row, best_row, found = _find_header(rs, spec)
    if header_row is None:
        if not spec.mandatory and all(_empty(v) for row in rs.rows for v in row):
            return None  # a blank optional sheet: none yet, like a missing one
        missing = [c for c in spec.required if c.key not in found]
        cell = f"A{best_row + 1}" if best_row >= 0 else None
        out.error("sheet.no_header", rs.name, cell,
                  missing=", ".join(f"'{c.sv}'/'{c.en}'" for c in missing),
                  found=", ".join(sorted(str(v) for v in (rs.rows[best_row] if best_row >= 0
                                                          else []) if not _empty(v))) or "-")
        return None

    extras: dict[str, int] = {}
    columns = _map_header(rs, spec, header_row, out, extras)
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
    _check_totals(rs, columns, header_row, data_rows, totals, parsed, out)
    if spec.key == "referrals":
        _check_ages(rs, columns, data_rows, parsed, bands, out)
    layouts[spec.key] = columns
    return _frame(spec, parsed, data_rows, rs.name, bands, kept)


def extra_series(cells: list[Any]) -> pd.Series:
    """An extra column's cells as they are, never checked: numbers as float64, dates as
    datetime64, texts (trimmed) as str; a column of mixed kinds (or of yes/no cells) as
    objects. Empty cells are missing values."""
    kept = [None if _empty(v) else v.strip() if type(v) is str else v for v in cells]
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


def _map_header(
    rs: RawSheet, spec: Sheet, header_row: int, out: _Collector,
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
        if _empty(value):
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
    out: _Collector,
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
                if c < len(row) and _empty(row[c]):
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
            value = next((v for v in grid[r] if not _empty(v)), None)  # first non-empty
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
    out: _Collector,
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


def _parser_for(col: Column, bands: tuple[AgeBand, ...], factor: int, date1904: bool
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


_DEFAULTS: dict[str, Any] = {"share": 0.0, "count": 1, "flag": False}


#: The cell type each kind of column mostly holds, read without a parser call.
_PLAIN_TYPES: dict[str, type] = {"amount": float, "date": dt.date, "id": str, "text": str,
                                 "category": str}


def _parse_column(
    rs: RawSheet, spec: Sheet, col: Column, index: int, factor: int, cells: list[Any],
    rows: list[int], raw: RawWorkbook, out: _Collector, bands: tuple[AgeBand, ...],
) -> list[Any]:
    """The typed values of one column; problems go to ``out``, their cells get the default.

    A column whose cells are all of its plain type (float amounts, date cells, texts) is
    converted at once; otherwise only the cells that are not go through the parser, so a
    million-row ledger stays fast.
    """
    fn = _parser_for(col, bands, factor, raw.date1904)
    kind = col.kind
    default = _DEFAULTS.get(kind)
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
                params["value"] = _shown(params.get("value", value))
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


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _check_totals(
    rs: RawSheet, columns: dict[str, tuple[int, int]], header_row: int,
    rows: list[int], totals: list[int], parsed: dict[str, list[Any]], out: _Collector,
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
        if _empty(stated_cell):
            previous = t
            continue
        try:
            stated = read(stated_cell)
        except values.ValueProblem as problem:
            out.error(problem.code, rs.name, cell_name(t, index), value=_shown(stated_cell),
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
    parsed: dict[str, list[Any]], bands: tuple[AgeBand, ...], out: _Collector,
) -> None:
    """Each referral needs an age or an age group, and the two must agree."""
    ages = parsed.get("age", [None] * len(rows))
    groups = parsed.get("age_group", [None] * len(rows))
    for r, age, group in zip(rows, ages, groups, strict=True):
        if age is None and group is None:
            given = [columns[k][0] for k in ("age", "age_group") if k in columns]
            if all((r, i) not in rs.errors and _empty(rs.rows[r][i]) for i in given):
                out.error("cell.age_missing", rs.name, cell_name(r, given[0]))
        elif age is not None and group is not None and values.band_of_age(age, bands) != group:
            out.error("cell.age_conflict", rs.name, cell_name(r, columns["age_group"][0]),
                      age=age, group=group)


def _frame(
    spec: Sheet, parsed: dict[str, Any], rows: Any, sheet_name: str,
    bands: tuple[AgeBand, ...], extras: dict[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """The table: the contract's columns (typed lists, or Series made by the fast path),
    the extra columns, then the sheet and Excel row of each row (``rows``: 0-based)."""
    n = len(rows)
    data: dict[str, Any] = {}
    for col in spec.columns:
        raw = parsed.get(col.key)
        if raw is None:
            raw = [_DEFAULTS.get(col.kind)] * n
        data[col.key] = raw if isinstance(raw, pd.Series) else _typed(col, raw, bands)
    data.update(extras or {})
    data["sheet"] = pd.Series([sheet_name] * n, dtype="str")
    data["row"] = pd.Series(np.asarray(rows, dtype="int64") + 1, dtype="int64")
    frame = pd.DataFrame(data)
    if spec.key == "referrals":
        frame = _referral_groups(frame, bands)
    return frame


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _typed(col: Column, raw: list[Any], bands: tuple[AgeBand, ...]) -> pd.Series:
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


# --- across sheets ------------------------------------------------------------------


def _check_projects(
    tables: dict[str, pd.DataFrame], names: dict[str, str],
    layouts: dict[str, dict[str, tuple[int, int]]], out: _Collector,
) -> None:
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
        unknown = ~table["project_id"].isin(list(first_row)) & table["project_id"].ne("")
        for pid, row in zip(table.loc[unknown, "project_id"], table.loc[unknown, "row"],
                            strict=True):
            if pd.isna(pid):
                continue
            letter = column_letter(layouts[key]["project_id"][0])
            out.error("cell.project_unknown", names.get(key), f"{letter}{row}", value=pid,
                      known=known)


def _check_examples(
    tables: dict[str, pd.DataFrame], names: dict[str, str],
    layouts: dict[str, dict[str, tuple[int, int]]], out: _Collector,
) -> None:
    """The template's example rows (``exempel = ja``) left in: one problem per sheet."""
    for key, table in tables.items():
        if "example" not in table.columns or not table["example"].any():
            continue
        rows = [int(r) for r in table.loc[table["example"], "row"]]
        letter = column_letter(layouts[key]["example"][0])
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        out.error("sheet.examples_left", names.get(key), f"{letter}{rows[0]}", rows=shown)


def _scan_personal_data(raw: RawWorkbook, out: _Collector) -> None:
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




# --- the fast path ------------------------------------------------------------------


def _fast_table(
    rs: RawSheet, spec: Sheet, out: _Collector, bands: tuple[AgeBand, ...],
    layouts: dict[str, dict[str, tuple[int, int]]], date1904: bool = False,
) -> pd.DataFrame:
    """:func:`_read_table` of a sheet read as typed columns (:mod:`grantstats.reading.fast`):
    the same table and the same problems, in the same order, checked on each column's
    distinct values. Raises :class:`Fallback` before reporting anything where it cannot
    tell exactly what the per-cell path would."""
    from grantstats.reading.fast import Fallback, empty_mask

    fs: FastSheet = rs.fast
    local = _Collector()
    head = RawSheet(name=rs.name, rows=[["" if v is None else v for v in fs.header]])
    header_row, _best, _found = _find_header(head, spec)
    if header_row != 0:
        raise Fallback("no header in row 1")
    extras: dict[str, int] = {}
    columns = _map_header(head, spec, 0, local, extras)
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
        grid = RawSheet(name=rs.name, rows=cast(list[list[Any]], _FastRows(fs)))
        _check_totals(grid, columns, 0, rows.tolist(), totals, plain, local)
    kept = {name: _fast_extra(cols[index], data_idx) for name, index in extras.items()}
    frame = _frame(spec, parsed, rows, rs.name, bands, kept)
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
    data_idx: np.ndarray, rows: np.ndarray, out: _Collector, bands: tuple[AgeBand, ...],
    want_list: bool, date1904: bool = False,
) -> tuple[pd.Series, list[Any] | None]:
    """One contract column as a typed Series over the data rows; its problems (in row
    order, as :func:`_parse_column` reports them) go to ``out``."""
    from grantstats.reading.fast import Fallback, evaluate

    kind = col.kind
    default = _DEFAULTS.get(kind)
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

    fn = _parser_for(col, bands, factor, date1904)
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
            params["value"] = _shown(params.get("value", value))
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
    data_idx: np.ndarray, rows: np.ndarray, out: _Collector, no_negatives: bool,
    fn: Callable[[Any], Any], want_list: bool,
) -> tuple[pd.Series, list[Any] | None]:
    """An amount column of number and text cells: the numbers at once, each distinct text
    through the parser, the problems in row order as :func:`_parse_column` gives them."""
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
            params["value"] = _shown(params.get("value", text))
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
    index among them, typed as :func:`_typed` types a list."""
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
    table_obj = np.empty(len(parsed), dtype=object)
    table_obj[:] = parsed
    return _typed(col, table_obj[at].tolist(), bands)


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
    kept = np.empty(len(found), dtype=object)
    kept[:] = [None if v is None or not v.strip() else v.strip() for v in found]
    return pd.Series(kept[index[data_idx]], dtype="str")


def _fast_scan(fs: FastSheet, sheet: str) -> list[Problem]:
    """:func:`_scan_personal_data`'s problems of a sheet read as typed columns, in the
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
