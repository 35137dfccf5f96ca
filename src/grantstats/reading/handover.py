"""The loader's tables as Arrow IPC bytes, and back: how they leave the sandbox child.

The sandbox child (:mod:`grantstats.reading.sandbox`) hands its answer to the parent
over a pipe, pickled. Pickled DataFrames are rebuilt object by object in the parent
(51 MB for a 1 000 000-row ledger); :func:`to_ipc` writes the tables as Arrow IPC
streams instead (32 MB; arro3, not pyarrow: pandas would import pyarrow in every
command if it were installed), and :func:`from_ipc` gives back frames equal in values,
dtypes, column order, index and missing values. Only the small rest of the workbook
(path, notes, sheet names, age bands) stays a pickle
(:func:`grantstats.reading.loader.parse_for_parent`).

The bytes: ``MAGIC``, then for each table two Arrow IPC streams, each preceded by its
length (8 bytes, little-endian): the table's *columns* and its *dictionaries* (one
``utf8`` column ``values``: the distinct texts of all its text columns and the
categories of its categorical columns, one slice per column). The columns stream's
schema metadata ``grantstats`` holds the table's name, its row count and its
RangeIndex; each field's metadata ``grantstats`` holds the pandas column it belongs
to, its dtype and its part. A pandas column travels as:

* ``float64``, ``int64``, ``bool``: one field of that Arrow type. A float64 column's
  missing value *is* NaN (pandas has no other), so it travels as NaN.
* ``datetime64[unit]``: a ``timestamp[unit]`` field; NaT is an Arrow null.
* ``Int64`` (nullable): an ``int64`` field; NA is an Arrow null.
* ``str`` (pandas' StringDtype) and ``category``: dictionary-encoded, as *codes* in a
  plain integer field (for texts the smallest type that holds them, for categories
  the categorical's own codes) where ``-1`` means missing (arro3 builds no dictionary
  array from codes and values), and the distinct texts (the categories, in order) in
  the dictionaries stream; the field's metadata says which slice (``pd.factorize``
  finds them: 60 ms for a million texts).
* ``object`` (an extra column of mixed kinds): a ``kind`` field (``int8``: the Python
  type of each cell, see :data:`KINDS`; 0 is ``None``) and one field per kind that
  occurs, holding that kind's cells (filler elsewhere): ``bool``, ``int64``,
  ``float64``, text codes, ``date`` as days since 1970-01-01, ``datetime`` as
  microseconds since 1970-01-01, ``time`` as microseconds since midnight,
  ``timedelta`` as microseconds. Nothing is turned into text and guessed back.

Numeric columns go into Arrow without a copy (``Array.from_numpy``); in the parent
arro3's ``to_numpy`` copies each once (it offers no view). Arrow nulls are made with
arro3's own kernels (the values with one null appended, taken with the missing rows
pointing at it). What the loader never makes raises :class:`TypeError` rather than
travel inexactly: another dtype, a cell of another type in an object column, a
datetime or time with a time zone or ``fold``, an int or timedelta beyond 64 bits, a
column not named by a text, an index other than a RangeIndex.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from arro3.core import Array, ChunkedArray, DataType, Field, Schema, Table
from arro3.io import read_ipc_stream, write_ipc_stream

__all__ = ["KINDS", "MAGIC", "from_ipc", "to_ipc"]

MAGIC = b"GSARROW1"
_LENGTH = struct.Struct("<Q")
_KEY = "grantstats"

#: The Python types an ``object`` column's cells may have, by their tag in ``kind``
#: (0: ``None``, a missing cell).
KINDS: dict[int, type] = {
    1: bool, 2: int, 3: float, 4: str,
    5: dt.date, 6: dt.datetime, 7: dt.time, 8: dt.timedelta,
}
_TAG = {kind: tag for tag, kind in KINDS.items()}
_EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_MICRO = dt.timedelta(microseconds=1)


def _micro_of_day(v: dt.time) -> int:
    return ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond


#: How an ``object`` column's cells of each kind (but texts) travel: the numpy type of
#: their field, and the cell to a number and back (None: as it is).
_AS_NUMBER: dict[type, tuple[type, Callable[[Any], Any], Callable[[Any], Any] | None]] = {
    bool: (np.bool_, bool, None),
    int: (np.int64, int, None),
    float: (np.float64, float, None),
    dt.date: (np.int64, lambda v: v.toordinal() - _EPOCH_DAY,
              lambda d: dt.date.fromordinal(d + _EPOCH_DAY)),
    dt.datetime: (np.int64, lambda v: (v - _EPOCH) // _MICRO,
                  lambda u: _EPOCH + dt.timedelta(microseconds=u)),
    dt.time: (np.int64, _micro_of_day,
              lambda u: (dt.datetime.min + dt.timedelta(microseconds=u)).time()),
    dt.timedelta: (np.int64, lambda v: v // _MICRO, lambda u: dt.timedelta(microseconds=u)),
}


# --- writing ---------------------------------------------------------------------


def to_ipc(tables: dict[str, pd.DataFrame]) -> bytes:
    """The tables as Arrow IPC streams (see the module's docstring)."""
    pieces: list[bytes | memoryview] = [MAGIC]
    for name, frame in tables.items():
        columns, texts = _encode_table(name, frame)
        for table in (columns, Table.from_arrays(
                [Array(texts, type=DataType.utf8())], names=["values"])):
            stream = io.BytesIO()
            write_ipc_stream(table, stream, compression=None)
            pieces += [_LENGTH.pack(stream.tell()), stream.getbuffer()]
    return b"".join(pieces)


def _encode_table(name: str, frame: pd.DataFrame) -> tuple[Table, list[str]]:
    if not isinstance(name, str):
        raise TypeError(f"handover: table name {name!r} is not a text")
    index = frame.index
    if not isinstance(index, pd.RangeIndex):
        raise TypeError(f"handover: table {name!r} has a {type(index).__name__}")
    if not frame.columns.is_unique:
        raise TypeError(f"handover: table {name!r} has repeated column names")
    texts: list[str] = []
    fields: list[Field] = []
    arrays: list[Array] = []
    for column, series in frame.items():
        if not isinstance(column, str):
            raise TypeError(f"handover: column {column!r} of {name!r} is not named by a text")
        for part, meta, array in _encode_column(series, texts):
            meta = {"column": column, "part": part, **meta}
            fields.append(Field(column if part == "values" else f"{column}:{part}",
                                array.type, True, metadata={_KEY: json.dumps(meta)}))
            arrays.append(array)
    table_meta = {"table": name, "rows": len(frame),
                  "index": [index.start, index.stop, index.step]}
    schema = Schema(fields, metadata={_KEY: json.dumps(table_meta)})
    return Table.from_arrays(arrays, schema=schema), texts


Part = tuple[str, dict[str, Any], Array]


def _encode_column(series: pd.Series, texts: list[str]) -> list[Part]:
    """The Arrow fields of one pandas column: (part, metadata, array)."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        meta = {"dtype": "str", "storage": dtype.storage,
                "na": "nan" if dtype.na_value is np.nan else "NA"}
        return [("values", meta, _text_codes(series.to_numpy(dtype=object), texts, meta))]
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        if not all(type(c) is str for c in categories):
            raise TypeError(f"handover: categories of {series.name!r} are not all texts")
        meta = {"dtype": "category", "ordered": bool(dtype.ordered),
                "categories_dtype": str(categories.dtype),
                "slice": [len(texts), len(categories)]}
        texts.extend(categories)
        return [("values", meta, Array.from_numpy(np.ascontiguousarray(series.cat.codes)))]
    if isinstance(dtype, pd.Int64Dtype):
        missing = series.isna().to_numpy()
        return [("values", {"dtype": "Int64"},
                 _with_nulls(series.to_numpy(dtype=np.int64, na_value=0), missing))]
    if dtype == np.dtype("object"):
        return _object_parts(series.to_numpy(), texts)
    if isinstance(dtype, np.dtype):
        if dtype.kind == "M":
            values = series.to_numpy()
            return [("values", {"dtype": str(dtype)}, _with_nulls(values, np.isnat(values)))]
        if dtype in (np.float64, np.int64, np.bool_):
            return [("values", {"dtype": str(dtype)},
                     Array.from_numpy(np.ascontiguousarray(series.to_numpy())))]
    raise TypeError(f"handover: column {series.name!r} has dtype {dtype}, not handed over")


def _with_nulls(values: np.ndarray, missing: np.ndarray) -> Array:
    """``values`` as an Arrow array whose ``missing`` rows are nulls."""
    array = Array.from_numpy(np.ascontiguousarray(values))
    if not missing.any():
        return array
    n = len(values)
    null = Array([None], type=DataType.int64()).cast(array.type)
    with_null = ChunkedArray([array, null]).combine_chunks()
    positions = np.arange(n, dtype=np.int64)
    positions[missing] = n
    return with_null.take(Array.from_numpy(positions))


def _text_codes(cells: np.ndarray, texts: list[str], meta: dict[str, Any]) -> Array:
    """The codes of a column of texts (the smallest integer type; a missing cell: -1);
    its distinct texts are appended to ``texts`` and their slice noted in ``meta``."""
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object))
    meta["slice"] = [len(texts), len(uniques)]
    texts.extend(uniques.tolist())
    return Array.from_numpy(np.ascontiguousarray(codes.astype(_code_type(len(uniques)))))


def _code_type(distinct: int) -> type[np.signedinteger[Any]]:
    """The smallest integer type for codes of ``distinct`` values and -1."""
    for kind in (np.int8, np.int16, np.int32):
        if distinct <= np.iinfo(kind).max:
            return kind
    return np.int64


def _object_parts(cells: np.ndarray, texts: list[str]) -> list[Part]:
    """An ``object`` column as a kind tag per cell and one field per kind."""
    n = len(cells)
    try:
        tags = np.fromiter((0 if v is None else _TAG[type(v)] for v in cells),
                           dtype=np.int8, count=n)
    except KeyError as exc:
        raise TypeError(f"handover: a cell of type {exc.args[0].__name__} in an object "
                        "column") from None
    parts: list[Part] = [("kind", {"dtype": "object"}, Array.from_numpy(tags))]
    for tag in sorted(set(tags.tolist()) - {0}):
        kind = KINDS[tag]
        at = tags == tag
        chosen = cells[at]
        meta: dict[str, Any] = {"dtype": "object", "kind": tag}
        if kind is str:
            column = np.full(n, None, dtype=object)
            column[at] = chosen
            parts.append((str(tag), meta, _text_codes(column, texts, meta)))
            continue
        if kind in (dt.datetime, dt.time) and any(v.tzinfo or v.fold for v in chosen):
            raise TypeError(f"handover: a {kind.__name__} with a time zone or fold")
        numpy_type, to_number, _ = _AS_NUMBER[kind]
        column_values: np.ndarray = np.zeros(n, dtype=numpy_type)
        try:
            column_values[at] = np.fromiter(map(to_number, chosen), dtype=numpy_type,
                                            count=len(chosen))
        except OverflowError:
            raise TypeError(f"handover: a {kind.__name__} beyond 64 bits") from None
        parts.append((str(tag), meta, Array.from_numpy(column_values)))
    return parts


# --- reading ---------------------------------------------------------------------


def from_ipc(data: bytes | memoryview) -> dict[str, pd.DataFrame]:
    """The tables :func:`to_ipc` wrote."""
    view = memoryview(data)
    if bytes(view[:len(MAGIC)]) != MAGIC:
        raise ValueError("handover: not grantstats' Arrow hand-over")
    at = len(MAGIC)
    streams: list[Table] = []
    while at < len(view):
        (length,) = _LENGTH.unpack_from(view, at)
        at += _LENGTH.size
        streams.append(read_ipc_stream(view[at:at + length]).read_all())
        at += length
    tables: dict[str, pd.DataFrame] = {}
    for columns, dictionaries in zip(streams[::2], streams[1::2], strict=True):
        name, frame = _decode_table(columns, dictionaries)
        tables[name] = frame
    return tables


def _decode_table(table: Table, dictionaries: Table) -> tuple[str, pd.DataFrame]:
    meta = json.loads(table.schema.metadata_str[_KEY])
    texts: list[Any] = list(dictionaries.column("values").to_pylist())
    n = meta["rows"]
    start, stop, step = meta["index"]
    index = pd.RangeIndex(start, stop, step)
    groups: dict[str, list[tuple[dict[str, Any], Array]]] = {}
    for i in range(table.num_columns):
        field = table.schema.field(i)
        field_meta = json.loads(field.metadata_str[_KEY])
        array = table.column(i).combine_chunks()
        groups.setdefault(field_meta["column"], []).append((field_meta, array))
    data = {column: pd.Series(_decode_column(parts, texts, n), index=index, name=column,
                              copy=False,  # objects stay objects (not inferred as str)
                              dtype=object if parts[0][0]["dtype"] == "object" else None)
            for column, parts in groups.items()}
    return meta["table"], pd.DataFrame(data, index=index, copy=False)


def _decode_column(parts: list[tuple[dict[str, Any], Array]], texts: list[Any],
                   n: int) -> Any:
    meta, array = parts[0]
    kind = meta["dtype"]
    if kind == "str":
        start, length = meta["slice"]
        cells = _texts(array, texts[start:start + length])
        dtype = pd.StringDtype(meta["storage"], na_value=np.nan if meta["na"] == "nan"
                               else pd.NA)
        if dtype.storage == "python":  # checks only that every cell is a text or missing
            return pd.arrays.StringArray(cells, dtype=dtype)
        return pd.array(cells, dtype=dtype)
    if kind == "category":
        start, length = meta["slice"]
        categories = pd.Index(texts[start:start + length], dtype=meta["categories_dtype"])
        return pd.Categorical.from_codes(
            _numpy(array), dtype=pd.CategoricalDtype(categories, ordered=meta["ordered"]))
    if kind == "Int64":
        values, missing = _numpy_and_missing(array, np.int64, 0)
        return pd.arrays.IntegerArray(values, missing)
    if kind == "object":
        return _object_cells(parts, texts, n)
    dtype = np.dtype(kind)
    if dtype.kind == "M":
        values, _ = _numpy_and_missing(array.cast(DataType.int64()), np.int64,
                                       np.iinfo(np.int64).min)
        return values.view(dtype)
    return _numpy(array).astype(dtype, copy=False)


def _numpy(array: Array) -> np.ndarray:
    return np.asarray(array.to_numpy())


def _numpy_and_missing(array: Array, dtype: Any, fill: Any) -> tuple[np.ndarray, np.ndarray]:
    """The values of ``array`` (``fill`` where null) and where it is null."""
    n = len(array)
    if array.null_count == 0:
        return np.asarray(array.to_numpy(), dtype=dtype), np.zeros(n, dtype=bool)
    import arro3.compute as ac

    missing = np.asarray(ac.is_null(array).to_numpy(), dtype=bool)
    values = np.full(n, fill, dtype=dtype)
    values[~missing] = ac.filter(array, ac.is_not_null(array)).to_numpy()
    return values, missing


def _texts(codes: Array, uniques: list[Any]) -> np.ndarray:
    """Object array of the texts of ``codes`` (-1: NaN)."""
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = uniques
    table[-1] = np.nan
    cells: np.ndarray = table[_numpy(codes)]  # -1 picks the NaN at the end
    return cells


def _object_cells(parts: list[tuple[dict[str, Any], Array]], texts: list[Any],
                  n: int) -> np.ndarray:
    tags = _numpy(parts[0][1])
    cells = np.full(n, None, dtype=object)
    for meta, array in parts[1:]:
        kind = KINDS[meta["kind"]]
        at = tags == meta["kind"]
        if kind is str:
            start, length = meta["slice"]
            cells[at] = _texts(array, texts[start:start + length])[at]
            continue
        _, _, from_number = _AS_NUMBER[kind]
        numbers = _numpy(array)[at].tolist()  # Python's own bool, int, float
        cells[at] = numbers if from_number is None else [from_number(v) for v in numbers]
    return cells
