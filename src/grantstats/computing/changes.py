"""What changed between two versions of a workbook: figures and rows, as tables.

:func:`compare` takes the ``summary`` documents of the two versions (see
:mod:`grantstats.rendering.summary`) and, when they are at hand, their loaded tables,
and returns :class:`Changes`: the per-project figures that changed (old, new,
difference), and per sheet the rows added, removed and changed, each with its Excel row
in the old and/or the new file and the columns that changed. With the documents alone
(a report's embedded figures, say) only the figures are compared.

Rows are matched on their content, not their position (docs/diff.md):

1. Rows equal in every column of the contract, as grantstats reads them, are the same
   row wherever they stand: the k-th copy of a row in the old file pairs with the k-th
   copy in the new one (a multiset match). A row that only moved is no change, and
   ``"12 500 kr"`` typed as text is the same amount as the number 12500.
2. Of the rows left, those equal in all columns but one are the same row, changed in
   that column: first the columns that do not identify the row (an amount, a
   description), then the identifying ones (:attr:`grantstats.contract.Sheet.identity`).
3. Of the rows still left, those equal in the identifying columns (a cost's project,
   date and category) are the same row, changed in the others.
4. What is left of the old file was removed, what is left of the new one was added.

Within each step, rows that agree pair in the order they stand in their files. Every
step is a hash join over whole columns (pandas), so two 100 000-row ledgers compare in
a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from grantstats.computing.metrics import SUMMARY_COLUMNS
from grantstats.contract import SHEETS, Sheet

#: The figures of a project in the summary document compared, in the document's order;
#: then ``costs_by_category`` and ``referrals``, key by key.
FIGURE_KEYS = tuple(c for c in SUMMARY_COLUMNS if c != "name")
ROW_COLUMNS = ["sheet", "change", "project_id", "old_sheet", "old_row", "new_sheet",
               "new_row"]
CELL_COLUMNS = ["sheet", "change", "project_id", "old_row", "new_row", "column", "old", "new"]
FIGURE_COLUMNS = ["project_id", "name", "figure", "old", "new", "difference", "change"]

Change = Literal["added", "removed", "changed"]
#: Amounts closer than half an öre are equal (sums of the same rows in another order
#: differ in their last bits); a share, such as utilisation, closer than this.
AMOUNT_TOLERANCE = 0.005
SHARE_TOLERANCE = 1e-9
_MISSING_TEXT = "\x00"  # what an empty text cell hashes as (no cell holds it)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Source:
    """One of the two versions: its path and the SHA-256 of its content."""

    path: str
    sha256: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "sha256": self.sha256}


@dataclass(frozen=True)
class Changes:
    """What changed from ``old`` to ``new``.

    ``figures``: one row per figure that changed, with columns ``project_id``, ``name``,
    ``figure`` (the summary document's key; nested keys joined by dots, as in
    ``costs_by_category.personal`` or ``referrals.by_age_group.0-17``), ``old``, ``new``,
    ``difference`` (new − old) and ``change`` (``changed``; ``added`` or ``removed``
    for the non-zero figures of a project only in one version, ``old`` or ``new`` then
    missing and no difference).

    ``rows``: one row per row change (None when only figures were compared): ``sheet``
    (the contract's key, ``costs``), ``change`` (``added``, ``removed``, ``changed``),
    ``project_id``, and ``old_sheet``/``old_row``, ``new_sheet``/``new_row``: the
    sheet's name and Excel row in each file (missing on the side without the row).

    ``cells``: one row per changed column of a changed row, and per filled-in column of
    an added or removed row: ``sheet``, ``change``, ``project_id``, ``old_row``,
    ``new_row``, ``column`` (the contract's key, ``amount``), ``old``, ``new`` (plain
    values: kronor as numbers, dates as ``YYYY-MM-DD``, categories as their keys).
    """

    old: Source
    new: Source
    figures: pd.DataFrame
    rows: pd.DataFrame | None = None
    cells: pd.DataFrame | None = None
    #: every project's name by its id, the new version's projects first
    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def none(cls, old: Source, new: Source) -> Changes:
        """No changes: two files with the same content."""
        return cls(old, new, pd.DataFrame(columns=FIGURE_COLUMNS),
                   pd.DataFrame(columns=ROW_COLUMNS), pd.DataFrame(columns=CELL_COLUMNS))

    @property
    def identical(self) -> bool:
        """Whether the two versions have the same content (the same SHA-256)."""
        return bool(self.old.sha256) and self.old.sha256 == self.new.sha256

    @property
    def differ(self) -> bool:
        """Whether any figure or row changed."""
        return len(self.figures) > 0 or (self.rows is not None and len(self.rows) > 0)

    @property
    def projects_added(self) -> list[str]:
        return _projects(self.figures, "added")

    @property
    def projects_removed(self) -> list[str]:
        return _projects(self.figures, "removed")

    def row_counts(self) -> pd.DataFrame:
        """Rows added, removed and changed per sheet (the contract's keys), every sheet
        of the contract listed; empty when rows were not compared."""
        kinds = ["added", "removed", "changed"]
        if self.rows is None:
            return pd.DataFrame(columns=kinds)
        counts = self.rows.groupby(["sheet", "change"]).size()
        return pd.DataFrame({kind: [int(counts.get((s.key, kind), 0)) for s in SHEETS]
                             for kind in kinds}, index=pd.Index([s.key for s in SHEETS],
                                                                name="sheet"))

    def to_json(self) -> dict[str, Any]:
        """The stable document of ``grantstats diff --format json`` (docs/diff.md)::

            {"old": {"path", "sha256"}, "new": {"path", "sha256"},
             "figures": [{"project_id", "figure", "old", "new", "difference"}],
             "rows": [{"sheet", "change", "old_row", "new_row",
                       "columns": {NAME: {"old", "new"}}}]}

        ``rows`` is null when only figures were compared.
        """
        figures = [{"project_id": f.project_id, "figure": f.figure, "old": _plain(f.old),
                    "new": _plain(f.new), "difference": _plain(f.difference)}
                   for f in self.figures.itertuples(index=False)]
        return {"old": self.old.to_json(), "new": self.new.to_json(), "figures": figures,
                "rows": None if self.rows is None else list(self._rows_json())}

    def _rows_json(self) -> Iterator[dict[str, Any]]:
        assert self.rows is not None and self.cells is not None
        columns: dict[tuple[str, int, int], dict[str, dict[str, Any]]] = {}
        cells = self.cells
        for sheet, old_row, new_row, column, old, new in zip(
                cells["sheet"], _ints(cells["old_row"]), _ints(cells["new_row"]),
                cells["column"], cells["old"], cells["new"], strict=True):
            key = (sheet, old_row or 0, new_row or 0)
            columns.setdefault(key, {})[column] = {"old": old, "new": new}
        rows = self.rows
        for sheet, change, old_sheet, old_row, new_sheet, new_row in zip(
                rows["sheet"], rows["change"], rows["old_sheet"], _ints(rows["old_row"]),
                rows["new_sheet"], _ints(rows["new_row"]), strict=True):
            yield {"sheet": new_sheet if new_row is not None else old_sheet,
                   "change": change, "old_row": old_row, "new_row": new_row,
                   "columns": columns.get((sheet, old_row or 0, new_row or 0), {})}


def compare(
    old: Mapping[str, Any], new: Mapping[str, Any],
    old_tables: Mapping[str, pd.DataFrame] | None = None,
    new_tables: Mapping[str, pd.DataFrame] | None = None,
) -> Changes:
    """The changes from the ``summary`` document ``old`` to ``new``; their rows too when
    both versions' tables are given (``Workbook.tables``)."""
    names = {p["project_id"]: p["name"] for p in [*new.get("projects", []),
                                                  *old.get("projects", [])][::-1]}
    order = [p["project_id"] for p in [*new.get("projects", []), *old.get("projects", [])]]
    changes = Changes(_source(old), _source(new), figure_changes(old, new),
                      names={pid: names[pid] for pid in dict.fromkeys(order)})
    if old_tables is None or new_tables is None:
        return changes
    rows, cells = row_changes(old_tables, new_tables)
    return replace(changes, rows=rows, cells=cells)


def _source(doc: Mapping[str, Any]) -> Source:
    workbook = doc.get("workbook") or {}
    return Source(str(workbook.get("path", "")), str(workbook.get("sha256", "")))


def _projects(figures: pd.DataFrame, change: str) -> list[str]:
    return list(dict.fromkeys(figures.loc[figures["change"] == change, "project_id"]))


# --- figures ------------------------------------------------------------------------


def flat_figures(project: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of one project of a summary document, nested keys joined by dots."""
    flat = {key: project.get(key) for key in FIGURE_KEYS}
    for category, value in project.get("costs_by_category", {}).items():
        flat[f"costs_by_category.{category}"] = value
    referrals = project.get("referrals", {})
    flat["referrals.total"] = referrals.get("total", 0)
    for part in ("by_age_group", "by_source"):
        for name, value in referrals.get(part, {}).items():
            flat[f"referrals.{part}.{name}"] = value
    return flat


def _zero(key: str, value: Any) -> Any:
    """What a figure missing in one version counts as: a count of referrals from a source
    that is new is 0 before; other figures are there in every project."""
    return 0 if value is None and key.startswith("referrals.") else value


def _differs(key: str, old: Any, new: Any) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    tolerance = SHARE_TOLERANCE if key == "utilisation" else AMOUNT_TOLERANCE
    return bool(abs(float(new) - float(old)) >= tolerance)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value != 0


def figure_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> pd.DataFrame:
    """The per-project figures that differ between two summary documents, with the
    non-zero figures of projects only one of them has (see :class:`Changes`)."""
    before = {p["project_id"]: p for p in old.get("projects", [])}
    after = {p["project_id"]: p for p in new.get("projects", [])}
    rows: list[tuple[Any, ...]] = []
    for pid in [*after, *(p for p in before if p not in after)]:
        if pid in before and pid in after:
            was, now = flat_figures(before[pid]), flat_figures(after[pid])
            for key in [*now, *(k for k in was if k not in now)]:
                a, b = _zero(key, was.get(key)), _zero(key, now.get(key))
                if _differs(key, a, b):
                    diff = None if a is None or b is None else b - a
                    rows.append((pid, after[pid]["name"], key, a, b, diff, "changed"))
        elif pid in after:
            rows += [(pid, after[pid]["name"], key, None, value, None, "added")
                     for key, value in flat_figures(after[pid]).items() if _filled(value)]
        else:
            rows += [(pid, before[pid]["name"], key, value, None, None, "removed")
                     for key, value in flat_figures(before[pid]).items() if _filled(value)]
    # object columns: counts stay ints, a missing value stays None
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS, dtype=object)


# --- rows ---------------------------------------------------------------------------


def row_changes(old: Mapping[str, pd.DataFrame], new: Mapping[str, pd.DataFrame]
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows added, removed and changed in each sheet, and their cells (see
    :class:`Changes`): the loaded tables of two versions, keyed as ``Workbook.tables``."""
    rows: list[pd.DataFrame] = []
    cells: list[pd.DataFrame] = []
    for spec in SHEETS:
        before, after = old.get(spec.key), new.get(spec.key)
        if before is None or after is None or (before.empty and after.empty):
            continue
        sheet_rows, sheet_cells = _sheet_changes(spec, before, after)
        rows += sheet_rows
        cells += sheet_cells
    row_frame = _concat(rows, ROW_COLUMNS)
    cell_frame = _concat(cells, CELL_COLUMNS)
    for frame in (row_frame, cell_frame):
        for column in ("old_row", "new_row"):
            frame[column] = frame[column].astype("Int64")
    order = {spec.key: i for i, spec in enumerate(SHEETS)}
    row_frame = _in_order(row_frame, order, ["change"])
    cell_frame = _in_order(cell_frame, order, [])  # each sheet's columns stay in order
    return row_frame, cell_frame


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in columns})


def _in_order(frame: pd.DataFrame, order: Mapping[str, int], then: list[str]) -> pd.DataFrame:
    """Sheet by sheet in the contract's order, then where the row stands (in the new
    file; a removed row where it stood in the old one)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    keys = pd.DataFrame({"s": frame["sheet"].map(order),
                         "at": frame["new_row"].fillna(frame["old_row"]),
                         "old": frame["old_row"].fillna(0)})
    keys = keys.join(frame[then]) if then else keys
    at = keys.sort_values(["s", "at", "old", *then], kind="stable").index
    return frame.loc[at].reset_index(drop=True)


def _sheet_changes(spec: Sheet, old: pd.DataFrame, new: pd.DataFrame
                   ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    old = old.sort_values("row", kind="stable").reset_index(drop=True)
    new = new.sort_values("row", kind="stable").reset_index(drop=True)
    columns = [c for c in spec.columns if c.key in old.columns and c.key in new.columns]
    hashed_old = _column_hashes(old, columns)
    hashed_new = _column_hashes(new, columns)
    left_old, left_new = np.arange(len(old)), np.arange(len(new))
    pairs_old: list[np.ndarray] = []
    pairs_new: list[np.ndarray] = []
    for step, subset in enumerate(_steps(spec, [c.key for c in columns])):
        if not len(left_old) or not len(left_new):
            break
        a, b = _pair(hashed_old[left_old][:, subset], hashed_new[left_new][:, subset])
        if step:  # the first step pairs equal rows: no change
            pairs_old.append(left_old[a])
            pairs_new.append(left_new[b])
        left_old, left_new = np.delete(left_old, a), np.delete(left_new, b)
    changed_old = np.concatenate(pairs_old) if pairs_old else np.arange(0)
    changed_new = np.concatenate(pairs_new) if pairs_new else np.arange(0)

    rows = [
        _row_frame(spec, "changed", old, changed_old, new, changed_new),
        _row_frame(spec, "removed", old, left_old, new, None),
        _row_frame(spec, "added", old, None, new, left_new),
    ]
    cells: list[pd.DataFrame] = []
    for j, column in enumerate(columns):
        differs = hashed_old[changed_old, j] != hashed_new[changed_new, j]
        i_old, i_new = changed_old[differs], changed_new[differs]
        if len(i_old):
            cells.append(_cell_frame(spec, "changed", column.key, old, i_old, new, i_new))
        gone = left_old[_filled_cells(old[column.key].iloc[left_old], column.kind)]
        if len(gone):
            cells.append(_cell_frame(spec, "removed", column.key, old, gone, None, None))
        came = left_new[_filled_cells(new[column.key].iloc[left_new], column.kind)]
        if len(came):
            cells.append(_cell_frame(spec, "added", column.key, None, None, new, came))
    return rows, cells


def _steps(spec: Sheet, keys: list[str]) -> list[list[int]]:
    """The columns each step pairs rows on: all of them; all but one, the identifying
    columns last; the identifying columns."""
    everything = list(range(len(keys)))
    identity = [keys.index(k) for k in spec.identity if k in keys]
    one_by_one = [i for i in everything if i not in identity] + identity[::-1]
    steps = [everything, *([j for j in everything if j != i] for i in one_by_one)]
    return [*steps, identity] if identity else steps


def _pair(old: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``a`` in ``old`` and ``b`` in ``new`` of the rows paired because they
    agree in every column given (per-column hashes), the k-th such row of one with the
    k-th of the other."""
    key_old, key_new = _combine(old), _combine(new)
    left = pd.DataFrame({"k": key_old, "n": _occurrence(key_old), "a": np.arange(len(old))})
    right = pd.DataFrame({"k": key_new, "n": _occurrence(key_new), "b": np.arange(len(new))})
    both = left.merge(right, on=["k", "n"], how="inner", sort=False)
    a, b = both["a"].to_numpy(), both["b"].to_numpy()
    same = (old[a] == new[b]).all(axis=1)  # the combined key is a hash: check each column
    return a[same], b[same]


def _occurrence(keys: np.ndarray) -> np.ndarray:
    return np.asarray(pd.Series(keys).groupby(keys, sort=False).cumcount().to_numpy())


def _combine(hashes: np.ndarray) -> np.ndarray:
    """One 64-bit key per row from the hashes of its columns."""
    key = np.zeros(len(hashes), dtype=np.uint64)
    for j in range(hashes.shape[1]):
        key = key * _MULTIPLIER + hashes[:, j]
    return key


def _column_hashes(table: pd.DataFrame, columns: list[Any]) -> np.ndarray:
    """A 64-bit hash of each cell, equal exactly when the values are equal as grantstats
    reads them (amounts to the öre)."""
    if not columns:
        return np.zeros((len(table), 0), dtype=np.uint64)
    return np.column_stack([pd.util.hash_array(_canonical(table[c.key], c.kind))
                            for c in columns]).astype(np.uint64)


def _canonical(series: pd.Series, kind: str) -> np.ndarray:
    if kind in ("amount", "share", "count", "age"):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        values = np.round(values, 2 if kind == "amount" else 9) + 0.0  # no -0.0
        return np.where(np.isnan(values), np.nan, values)
    if kind == "date":
        return np.asarray(series.to_numpy(dtype="datetime64[s]")).view("int64")
    if kind == "flag":
        return np.asarray(series.fillna(False).to_numpy(dtype="uint8"))
    return np.asarray(series.to_numpy(dtype=object, na_value=_MISSING_TEXT))


def _filled_cells(series: pd.Series, kind: str) -> np.ndarray:
    """Which cells hold something: a value, or "yes" in a flag column."""
    if kind == "flag":
        return np.asarray(series.fillna(False).to_numpy(dtype=bool))
    return np.asarray(series.notna().to_numpy())


def _plain_values(series: pd.Series, kind: str) -> np.ndarray:
    """The cells as plain Python values for JSON: numbers, ``YYYY-MM-DD``, text, None."""
    if kind == "date":
        values = series.dt.strftime("%Y-%m-%d")
    elif kind in ("count", "age"):
        values = series.astype("object")
    elif kind == "flag":
        return np.array([bool(v) for v in series], dtype=object)
    else:
        values = series.astype("object")
    out: np.ndarray = np.array(values.to_numpy(dtype=object), dtype=object)
    out[pd.isna(out)] = None
    if kind in ("count", "age"):
        out = np.array([None if v is None else int(v) for v in out], dtype=object)
    elif kind in ("amount", "share"):
        out = np.array([None if v is None else float(v) for v in out], dtype=object)
    return out


def _row_frame(spec: Sheet, change: Change, old: pd.DataFrame, i_old: np.ndarray | None,
               new: pd.DataFrame, i_new: np.ndarray | None) -> pd.DataFrame:
    owner, at = (new, i_new) if i_new is not None else (old, i_old)
    assert at is not None
    n = len(at)
    return pd.DataFrame({
        "sheet": spec.key, "change": change,
        "project_id": owner["project_id"].to_numpy(dtype=object)[at],
        "old_sheet": _at(old, "sheet", i_old, n), "old_row": _at(old, "row", i_old, n),
        "new_sheet": _at(new, "sheet", i_new, n), "new_row": _at(new, "row", i_new, n),
    }, columns=ROW_COLUMNS)


def _at(table: pd.DataFrame, column: str, at: np.ndarray | None, n: int) -> np.ndarray:
    if at is None:
        return np.full(n, None, dtype=object)
    return np.asarray(table[column].to_numpy(dtype=object)[at])


def _cell_frame(spec: Sheet, change: Change, key: str, old: pd.DataFrame | None,
                i_old: np.ndarray | None, new: pd.DataFrame | None,
                i_new: np.ndarray | None) -> pd.DataFrame:
    kind = spec.column(key).kind
    owner, at = (new, i_new) if new is not None and i_new is not None else (old, i_old)
    assert owner is not None and at is not None
    none = np.full(len(at), None, dtype=object)
    before = none if old is None or i_old is None else _plain_values(old[key].iloc[i_old], kind)
    after = none if new is None or i_new is None else _plain_values(new[key].iloc[i_new], kind)
    return pd.DataFrame({
        "sheet": spec.key, "change": change,
        "project_id": owner["project_id"].to_numpy(dtype=object)[at],
        "old_row": none if old is None or i_old is None else old["row"].to_numpy()[i_old],
        "new_row": none if new is None or i_new is None else new["row"].to_numpy()[i_new],
        "column": key, "old": before, "new": after,
    }, columns=CELL_COLUMNS)


def _ints(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in series]


def _plain(value: Any) -> Any:
    """A figure as JSON has it: None for missing, ints as ints."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
