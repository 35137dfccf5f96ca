"""The fast path: a large sheet read as typed columns by fastexcel and checked as columns.

fastexcel (calamine underneath, like :mod:`grantstats.reading.cells`) is asked for
strict types inferred from every row (``dtype_coercion="strict"``,
``schema_sample_rows=None``): it refuses a column that holds more than one kind of
cell. So when it answers, every non-empty cell of a ``Float64`` column was a number
cell and every cell of a ``Utf8`` column a text cell: a number and the text ``"1.234"``
are told apart exactly, as the per-cell path tells them apart, without looking at how
a text looks. The contract is then checked on each column's distinct values (each
read by the same parser as a single cell is) and the outcome spread over the rows
with numpy, giving the same table and the same problems, in the same order, as the
per-cell path of :mod:`grantstats.reading.sheets` (the columns are checked in
:mod:`grantstats.reading.columns`).

Whatever the fast path cannot read exactly raises :class:`Fallback` before anything
of the sheet is reported, and the sheet is read cell by cell instead: a column of
mixed cells (numbers and Swedish text amounts, dates as text and as dates), cells
with a time of day, a header that is not in the first row or has other cells than
texts, merged cells, formulas, error cells, hidden rows or columns (the markers scan
of :mod:`grantstats.reading.cells` finds those), a referrals sheet, a duplicate or
unknown unit in the header. The differential test (tests/reading/test_fast.py) holds
the two paths to the same answers.

Runs inside the sandbox, like the rest of the parse.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

import numpy as np
from defusedxml import ElementTree as SafeET

from grantstats.contract import SHEETS
from grantstats.reading.refs import column_index
from grantstats.reading.values import ValueProblem, normalize_name, parse_amount

__all__ = ["Fallback", "FastColumn", "FastSheet", "read_sheet"]
_MS_PER_DAY = 86_400_000


class Fallback(Exception):
    """The fast path cannot read this sheet exactly; the per-cell path reads it."""


@dataclass
class FastColumn:
    """One column of a sheet below its header row, as fastexcel typed it.

    ``kind``: ``"number"`` (``values`` float64, NaN where empty), ``"text"``
    (``codes`` into ``uniques``, -1 where empty), ``"date"`` (``values``
    datetime64[D] of whole days, NaT where empty), ``"bool"`` (``values`` object) or
    ``"empty"``; ``"mixed"``: the number cells in ``values`` (NaN elsewhere), the text
    cells as ``codes`` into ``uniques`` (-1 elsewhere). ``valid``: where a cell holds a
    value.
    """

    kind: str
    valid: np.ndarray
    values: np.ndarray | None = None
    codes: np.ndarray | None = None
    uniques: list[Any] = field(default_factory=list)
    #: a mixed column with strings that were a text or a number giving the same amount
    #: (read as numbers): exact only as an amount column
    ambiguous: bool = False

    def distinct(self) -> tuple[list[Any], np.ndarray]:
        """The distinct cell values as the per-cell path's reader gives them (None for
        an empty cell) and, for each row, the index of its value among them."""
        n = len(self.valid)
        if self.kind == "text":
            assert self.codes is not None
            return [*self.uniques, None], np.where(self.codes < 0, len(self.uniques),
                                                   self.codes)
        if self.kind == "mixed":
            assert self.codes is not None and self.values is not None
            is_number = ~np.isnan(self.values)
            numbers, inverse = np.unique(self.values[is_number], return_inverse=True)
            index = np.where(self.codes < 0, len(self.uniques) + len(numbers), self.codes)
            index[is_number] = len(self.uniques) + inverse.reshape(-1)
            return [*self.uniques, *numbers.tolist(), None], index
        if self.kind == "empty":
            return [None], np.zeros(n, dtype=np.int64)
        assert self.values is not None
        if self.kind == "number":
            uniq, inverse = np.unique(self.values, return_inverse=True)
            found: list[Any] = [None if np.isnan(v) else float(v) for v in uniq.tolist()]
            return found, inverse.reshape(-1)
        if self.kind == "date":
            days = self.values.astype("int64")
            uniq, inverse = _unique_days(days)
            nat = np.iinfo(np.int64).min
            return ([None if d == nat else _EPOCH + dt.timedelta(days=int(d))
                     for d in uniq.tolist()], inverse)
        keys = {None: 0, True: 1, False: 2}
        index = np.fromiter((keys[v] for v in self.values), dtype=np.int64, count=n)
        return [None, True, False], index


_EPOCH = dt.date(1970, 1, 1)


def _unique_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(days, return_inverse=True)`` for day numbers (NaT as int64's least
    value): a ledger's dates span a few thousand days, so they are counted into a table
    of that span instead of sorting a million of them."""
    nat = np.iinfo(np.int64).min
    known = days != nat
    if not known.any():
        uniq, inverse = np.unique(days, return_inverse=True)
        return uniq, inverse.reshape(-1)
    low, high = int(days[known].min()), int(days[known].max())
    if high - low > 4 * len(days) + 100_000:  # far apart: sorting is cheaper
        uniq, inverse = np.unique(days, return_inverse=True)
        return uniq, inverse.reshape(-1)
    offset = np.where(known, days - low + 1, 0)  # 0: NaT, sorted first as np.unique does
    present = np.zeros(high - low + 2, dtype=bool)
    present[offset] = True
    slots = np.flatnonzero(present)
    lookup = np.zeros(len(present), dtype=np.int64)
    lookup[slots] = np.arange(len(slots))
    uniq = np.where(slots == 0, nat, slots + low - 1)
    return uniq, lookup[offset]


@dataclass
class FastSheet:
    """A sheet read by fastexcel: its header row (row 1) as texts (None where empty),
    and its other rows as columns, every column of the sheet's used range (so column
    ``i`` is the sheet's column ``i``, row ``j`` of a column the sheet's row ``j + 2``)."""

    header: list[str | None]
    columns: list[FastColumn]
    height: int
    #: a mixed column was told apart by the shared strings (so no inline strings may be
    #: in the sheet: :mod:`grantstats.reading.cells` checks)
    decided: bool = False


# --- reading ------------------------------------------------------------------------


def read_sheet(data: bytes, zf: zipfile.ZipFile, part: str, name: str,
               memo: dict[str, Any] | None = None) -> FastSheet:
    """Sheet ``name`` (stored in ``part``) of the workbook ``data``, read by fastexcel;
    :class:`Fallback` where it cannot be read exactly. ``memo``: what the sheets of one
    workbook share (fastexcel's reader, the shared strings, once read)."""
    memo = {} if memo is None else memo
    header = _header_row(zf, part, memo)
    import fastexcel

    # fastexcel logs a column of empty cells as a warning; it is an empty column here
    logging.getLogger("fastexcel").setLevel(logging.ERROR)

    # mixed columns, read as strings; an amount column from the start when the workbook
    # has text amounts, which spares a read that would only fail on it
    as_text: dict[Any, Any] = dict.fromkeys(_likely_mixed(zf, header, memo), "string")
    try:
        reader = memo.get("reader")
        if reader is None:
            reader = memo["reader"] = fastexcel.read_excel(data)
        while True:
            try:
                sheet = reader.load_sheet_by_name(
                    name, header_row=0, dtype_coercion="strict", schema_sample_rows=None,
                    dtypes=dict(as_text) or None)
                break
            except fastexcel.UnsupportedColumnTypeCombinationError as exc:
                mixed = _mixed_column(str(exc), header)
                if mixed is None or mixed in as_text or len(as_text) >= MAX_MIXED:
                    raise Fallback("mixed columns") from None
                as_text[mixed] = "string"
        # every column is selected, so these are all of them; available_columns() would
        # infer every column's type a second time (0.3 s for a million rows)
        infos = sheet.selected_columns
        batch = _record_batch(sheet)
        del sheet  # fastexcel's copy of the sheet goes before a column is read again
    except Fallback:
        raise
    except Exception as exc:  # anything else fastexcel refuses
        raise Fallback(f"fastexcel: {type(exc).__name__}") from None
    except BaseException as exc:  # a panic in Rust: calamine's own read decides
        if type(exc).__name__ != "PanicException":
            raise
        raise Fallback("fastexcel panicked") from None
    for i, info in enumerate(infos):
        text = header[i] if i < len(header) else None
        if info.absolute_index != i:
            raise Fallback("columns out of place")
        if text is not None and text.strip():
            if info.column_name_from != "looked_up" or info.name != text:
                raise Fallback(f"header {i} read differently")
        elif info.column_name_from != "generated" and text is None:
            raise Fallback(f"header {i} read differently")
    if len(header) > len(infos):
        raise Fallback("header wider than the sheet")
    texts = _all_shared_strings(zf, memo) if as_text else set()
    columns = [_mixed(batch.column(i), _numbers(reader, name, i), texts) if i in as_text
               else _column(batch.column(i)) for i in range(batch.num_columns)]
    return FastSheet(header=header, columns=columns, height=batch.num_rows,
                     decided=bool(as_text))


def _numbers(reader: Any, name: str, index: int) -> np.ndarray:
    """Column ``index`` read as numbers (NaN where a cell is empty or a text that reads
    as no number): the exact value of each number cell, which the column read as
    strings does not give (fastexcel writes a number with nine decimals at most)."""
    try:
        sheet = reader.load_sheet_by_name(
            name, header_row=0, dtype_coercion="coerce", schema_sample_rows=None,
            use_columns=[index], dtypes={index: "float"})
        array = _record_batch(sheet).column(0)
    except Exception as exc:
        raise Fallback(f"fastexcel: {type(exc).__name__}") from None
    import arro3.compute as ac

    if "Float64" not in str(array.type):
        raise Fallback("a column of numbers that is not one")
    valid = ~np.asarray(ac.is_null(array).to_numpy(), dtype=bool)
    return _numpy(array, valid, np.float64, np.nan)


#: Mixed columns a sheet may have for the fast path to read them as strings and tell
#: the text cells from the number cells (each costs fastexcel another read).
MAX_MIXED = 2
_MIXED_RE = re.compile(r"could not determine dtype for column (.*)$", re.MULTILINE)
#: What a number cell may look like in a column read as strings (fastexcel writes it
#: without exponent, with nine decimals at most): any such string that is also a
#: shared string may have been either.
_NUMBER_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
#: A string that is both a shared string and a number's text, and as either gives the
#: same amount (whole kronor; under ten digits, so no identity number either way):
#: the text "500" and the number 500.
_SAME_AMOUNT = re.compile(r"-?[0-9]{1,8}")


_AMOUNT_HEADERS = frozenset(
    normalize_name(name)[0] for sheet in SHEETS for column in sheet.columns
    if column.kind == "amount" for name in column.names())


def _likely_mixed(zf: zipfile.ZipFile, header: list[str | None], memo: dict[str, Any]
                  ) -> list[int]:
    """The amount columns of the header, when some shared string is a Swedish text
    amount (``"12 500 kr"``): such a column is likely mixed. Only the order of the reads
    depends on it, never what they give."""
    amounts = [i for i, text in enumerate(header)
               if text is not None and normalize_name(text)[0] in _AMOUNT_HEADERS]
    if not amounts or not any(_text_amount(t) for t in _all_shared_strings(zf, memo)):
        return []
    return amounts[:MAX_MIXED]


def _text_amount(text: str) -> bool:
    if len(text) > 40 or _NUMBER_TEXT.fullmatch(text):
        return False
    # mostly digits ("12 500 kr", "250 tkr"); a description that names a year is not
    # parsed (this only orders the reads, so a hint is enough)
    digits = sum(ch.isdigit() for ch in text)
    if not digits or digits * 2 < len(text) - text.count(" ") - 2:
        return False
    try:
        parse_amount(text)
    except ValueProblem:
        return False
    return True


def _mixed_column(message: str, header: list[str | None]) -> int | None:
    """The index of the column fastexcel names as mixed, if the name is one header's."""
    found = _MIXED_RE.search(message)
    if found is None:
        return None
    name = found.group(1)
    at = [i for i, text in enumerate(header) if text == name]
    if len(at) == 1:
        return at[0]
    generated = re.fullmatch(r"__UNNAMED__(\d+)", name)
    if generated and not any(text == name for text in header):
        i = int(generated.group(1))
        return i if i >= len(header) or header[i] is None else None
    return None


def _mixed(array: Any, numbers: np.ndarray, texts: set[str]) -> FastColumn:
    """A column of number and text cells, read as strings and as numbers: a string that
    is one of the workbook's shared strings was a text cell, any other a number cell,
    whose exact value ``numbers`` holds. A shared string that could also be a number
    written out is left to the per-cell path, unless it is a whole number under nine
    digits ("500"): as an amount that is the same value either way, and ``numbers``
    holds it exactly either way (flagged ``ambiguous``). A column of other cells
    (dates, yes/no) leaves the sheet to the per-cell path too."""
    column = _column(array)
    if column.kind == "empty":
        return column
    if column.kind != "text":
        raise Fallback("a mixed column of other cells than numbers and texts")
    assert column.codes is not None
    kinds = []  # per distinct string: 0 text, 1 number, 2 either
    for value in column.uniques:
        text = value in texts
        number = _NUMBER_TEXT.fullmatch(value) is not None
        if text and number:
            if not _SAME_AMOUNT.fullmatch(value):
                raise Fallback("a string that may be a number or a text")
            kinds.append(2)
            column.ambiguous = True
        elif not text and not number:
            raise Fallback("a string that is neither a shared string nor a number")
        else:
            kinds.append(1 if number else 0)
    kind = np.array([*kinds, 0], dtype=np.int8)[
        np.where(column.codes < 0, len(column.uniques), column.codes)]
    is_number = column.valid & (kind > 0)
    if np.isnan(numbers[is_number]).any():
        raise Fallback("a number cell that does not read as a number")
    text_at = [u for u, k in enumerate(kinds) if k == 0]
    remap = np.full(len(column.uniques) + 1, -1, dtype=np.int64)
    remap[text_at] = np.arange(len(text_at))
    codes = remap[np.where(column.codes < 0, len(column.uniques), column.codes)]
    column.kind = "mixed"
    column.uniques = [column.uniques[u] for u in text_at]
    column.codes = codes
    column.values = np.where(is_number, numbers, np.nan)
    return column


def _record_batch(sheet: Any) -> Any:
    from arro3.core import RecordBatch

    return RecordBatch.from_arrow(sheet)


def _numpy(array: Any, valid: np.ndarray, dtype: Any, fill: Any) -> np.ndarray:
    """The values of an Arrow array as numpy, ``fill`` where it is null."""
    import arro3.compute as ac

    if valid.all():
        return np.asarray(array.to_numpy(), dtype=dtype)
    out = np.full(len(valid), fill, dtype=dtype)
    if valid.any():
        out[valid] = ac.filter(array, ac.is_not_null(array)).to_numpy()
    return out


def _column(array: Any) -> FastColumn:
    import arro3.compute as ac
    from arro3.core import DataType, dictionary_dictionary, dictionary_indices

    valid = ~np.asarray(ac.is_null(array).to_numpy(), dtype=bool)
    typ = str(array.type)
    if not valid.any():
        return FastColumn("empty", valid)
    if "Float64" in typ:
        return FastColumn("number", valid, values=_numpy(array, valid, np.float64, np.nan))
    if "Utf8" in typ:
        encoded = ac.dictionary_encode(array)
        codes = _numpy(dictionary_indices(encoded), valid, np.int64, -1)
        return FastColumn("text", valid, codes=codes,
                          uniques=dictionary_dictionary(encoded).to_pylist())
    if "Timestamp(ms)" in typ or "Date64" in typ or "Date32" in typ:
        ms = _numpy(ac.cast(array, DataType.int64()), valid, np.int64, 0)
        if "Date32" in typ:
            ms = ms * _MS_PER_DAY
        if (ms[valid] % _MS_PER_DAY).any():
            raise Fallback("a time of day")  # calamine's own rounding decides those
        days = np.where(valid, ms // _MS_PER_DAY, np.iinfo(np.int64).min)
        return FastColumn("date", valid, values=days.astype("datetime64[D]"))
    if "Boolean" in typ:
        flags = array.to_pylist()
        return FastColumn("bool", valid, values=np.array(flags, dtype=object))
    raise Fallback(f"unusual type {typ}")


def _header_row(zf: zipfile.ZipFile, part: str, memo: dict[str, Any]) -> list[str | None]:
    """The first row of a sheet's XML as texts, resolved through the shared strings.

    :class:`Fallback` unless the row is row 1 and starts in A1 (so that fastexcel's
    range starts where the sheet does) and holds only text cells.
    """
    cells: dict[int, tuple[str, str]] = {}
    try:
        with zf.open(part) as stream:
            for event, elem in SafeET.iterparse(stream, events=("start", "end")):
                tag = elem.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if tag == "row" and elem.get("r") not in (None, "1"):
                        raise Fallback("the first row is not row 1")
                    continue
                if tag == "c":
                    ref = elem.get("r") or ""
                    if not _ROW_ONE.fullmatch(ref):
                        raise Fallback("a header cell not placed in row 1")
                    col = column_index(ref.rstrip("0123456789"))
                    value = elem.find("{*}v")
                    kind = elem.get("t")
                    if value is None and not list(elem):
                        continue  # a styled empty cell
                    if kind == "inlineStr" and [_local(e.tag) for e in elem] == ["is"]:
                        if elem.find(".//{*}rPh") is not None:
                            raise Fallback("a header text with phonetic runs")
                        cells[col] = ("t", "".join(t.text or "" for t in elem.iter()
                                                   if _local(t.tag) == "t"))
                        continue
                    if kind != "s" or value is None or list(elem) != [value]:
                        raise Fallback("a header cell other than a text")
                    cells[col] = ("s", value.text or "")
                elif tag == "row":
                    break
    except Fallback:
        raise
    except Exception as exc:
        raise Fallback(f"header: {type(exc).__name__}") from None
    if 0 not in cells:
        raise Fallback("A1 is empty")
    strings = _shared_strings(zf, {int(v) for k, v in cells.values()
                                   if k == "s" and v.isdecimal()}, memo)
    header: list[str | None] = [None] * (max(cells) + 1)
    for col, (kind, index) in cells.items():
        if kind == "t":
            header[col] = index
        elif not index.isdecimal() or int(index) not in strings:
            raise Fallback("a header text not found")
        else:
            header[col] = strings[int(index)]
    return header


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_ROW_ONE = re.compile(r"[A-Za-z]{1,3}1")


def _shared_strings(zf: zipfile.ZipFile, wanted: set[int],
                    memo: dict[str, Any] | None = None) -> dict[int, str]:
    """The shared strings of the given indexes; one with phonetic runs is left out
    (calamine's reading of it decides)."""
    table = _shared_table(zf, None, memo) if wanted else []
    found = {i: table[i] for i in wanted if i < len(table)}
    return {i: text for i, text in found.items() if text is not None}


def _all_shared_strings(zf: zipfile.ZipFile, memo: dict[str, Any] | None = None
                        ) -> set[str]:
    """Every text of the workbook's shared-string table, as calamine reads them."""
    memo = {} if memo is None else memo
    found: set[str] | None = memo.get("sst_set")
    if found is None:
        table = _shared_table(zf, None, memo)
        if None in table:
            raise Fallback("a shared string with phonetic runs")
        found = memo["sst_set"] = {text for text in table if text is not None}
    return found


def _shared_table(zf: zipfile.ZipFile, count: int | None,
                  memo: dict[str, Any] | None = None) -> list[str | None]:
    """The first ``count`` shared strings (all: None), in order; None for a rich text
    with phonetic runs. Read with expat (the part passed preflight: no DTD, no
    entities), once per workbook when ``memo`` is given."""
    memo = {} if memo is None else memo
    done = memo.get("sst")
    if done is not None and ((count is None and memo.get("sst_all"))
                             or (count is not None and len(done) >= count)):
        return done  # type: ignore[no-any-return]
    name = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    table: list[str | None] = []
    if name is None:
        return table
    parts: list[str] = []
    state = {"t": 0, "rph": 0, "phonetic": False}

    class _Enough(Exception):
        pass

    def start(tag: str, _attrs: Any) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "si":
            parts.clear()
            state["phonetic"] = False
        elif local == "t":
            state["t"] += 1
        elif local == "rPh":
            state["rph"] += 1
            state["phonetic"] = True

    def end(tag: str) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "si":
            table.append(None if state["phonetic"] else "".join(parts))
            if count is not None and len(table) >= count:
                raise _Enough
        elif local == "t":
            state["t"] -= 1
        elif local == "rPh":
            state["rph"] -= 1

    def text(data: str) -> None:
        if state["t"] and not state["rph"]:
            parts.append(data)

    def no_dtd(*_args: Any) -> None:
        raise Fallback("a DTD in the shared strings")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    try:
        with zf.open(name) as stream:
            parser.ParseFile(stream)
        memo["sst_all"] = True
    except _Enough:
        pass
    except expat.ExpatError:
        raise Fallback("shared strings unreadable") from None
    memo["sst"] = table
    return table


# --- checking -----------------------------------------------------------------------


@dataclass
class Outcome:
    """A column's values spread over the rows: the parsed value of each distinct cell
    value, and what was wrong with it (a problem code and its parameters, "empty", or
    None)."""

    parsed: list[Any]
    problems: list[tuple[str, dict[str, Any]] | str | None]
    index: np.ndarray


def evaluate(column: FastColumn, one: Callable[[Any], tuple[Any, Any]]) -> Outcome:
    """``one`` applied to each distinct value of ``column``."""
    found, index = column.distinct()
    parsed, problems = [], []
    for value in found:
        value_parsed, problem = one(value)
        parsed.append(value_parsed)
        problems.append(problem)
    return Outcome(parsed, problems, index)


def empty_mask(column: FastColumn) -> np.ndarray:
    """Where a cell is empty as the per-cell path sees it (no value, or only spaces)."""
    if column.kind == "mixed":
        assert column.codes is not None and column.values is not None
        blank = np.array([not u.strip() for u in column.uniques] + [True], dtype=bool)
        empty: np.ndarray = blank[np.where(column.codes < 0, len(column.uniques),
                                           column.codes)] & np.isnan(column.values)
        return empty
    if column.kind == "text":
        assert column.codes is not None
        blank = np.array([not u.strip() for u in column.uniques] + [True], dtype=bool)
        return blank[np.where(column.codes < 0, len(column.uniques), column.codes)]
    return ~column.valid
