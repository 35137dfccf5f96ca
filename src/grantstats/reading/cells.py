"""Raw cells of a workbook: values, and what the values alone do not tell.

Values come from python-calamine (fast, reads .xlsx/.xlsm/.xls/.ods). What calamine
does not report — formulas without a stored result, error cells (``#REF!``), hidden
rows and columns, the "recalculate when opened" flag — is read from the sheet XML,
and only for sheets whose bytes contain such markup at all, so a million-row sheet
without formulas is never parsed twice. Parts that are not UTF-8 are refused by name.

This module trusts calamine with the file: it runs inside the sandbox
(:mod:`grantstats.reading.sandbox`), where a sheet too large to allocate or a panic ends
a child process, not the caller.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeET

from grantstats.reading.refs import cell_index
from grantstats.reading.sniff import EXCEL_MAX_COLS

#: The sheet XML as the markers scan compares it: upper case, every whitespace a space,
#: every quote a double quote, so ``t = 'e'`` reads as ``T = "E"``.
_NORMAL = bytes.maketrans(b"abcdefghijklmnopqrstuvwxyz\t\n\r'",
                          b"ABCDEFGHIJKLMNOPQRSTUVWXYZ   \"")
#: Markup (normalised) that means a sheet may have formulas (``<f>``, ``<f t=…>``), error
#: cells (``t="e"``) or hidden rows/columns. Wider than needed (``"E"`` is any attribute
#: valued e): a false alarm only costs the XML read. A data validation's ``<formula1>``
#: (in every sheet of the template) is no formula cell.
_MARKERS = (b"<F>", b"<F ", b"<F/", b'"E"', b"HIDDEN")
_PREFIXED_FORMULA = re.compile(rb"<\w+:F[ >/]")


def _has_markers(window: bytes) -> bool:
    """A fast test (plain substring search) for markup that needs the XML read.

    The three formula markers are found by one search for ``<F`` (each search is a pass
    over a sheet's XML, which for a million-row ledger is 190 MB); only its rare hits
    (``<FORMULA1>`` of a data validation) are looked at one by one.
    """
    at = window.find(b"<F")
    while at >= 0:
        if window[at + 2:at + 3] in _AFTER_F:
            return True
        at = window.find(b"<F", at + 2)
    if any(marker in window for marker in _OTHER_MARKERS):
        return True
    return b":F" in window and _PREFIXED_FORMULA.search(window) is not None


#: What follows ``<F`` in a formula element (:data:`_MARKERS`); the other markers.
_AFTER_F = frozenset((b">", b" ", b"/"))
_OTHER_MARKERS = tuple(m for m in _MARKERS if not m.startswith(b"<F"))


#: The uncompressed size of a sheet's XML from which the fast path
#: (:mod:`grantstats.reading.fast`) is tried (``auto``): below it the per-cell path is as
#: quick and needs no extra imports.
FAST_MIN_BYTES = 4 << 20

_CHUNK = 1 << 20
#: Bytes the markers scan's windows overlap by, so a marker cut at one window's end is
#: whole in the next.
_OVERLAP = 64


def _windows(zf: zipfile.ZipFile, part: str, table: bytes) -> Iterator[bytes]:
    """The part's XML, translated by ``table``, in overlapping windows."""
    tail = b""
    with zf.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk.translate(table)
            yield window
            tail = window[-_OVERLAP:]


@dataclass
class RawSheet:
    """One sheet's cells as a grid (row 0 is Excel row 1) and its cell facts."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    #: the sheet as typed columns (a :class:`grantstats.reading.fast.FastSheet`) when the
    #: fast path read it; ``rows`` is then empty
    fast: Any = None
    #: not read yet (the fast path is to try it)
    pending: bool = False


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet]
    recalc_on_load: bool = False
    date1904: bool = False
    #: the file's bytes, kept while a sheet read by the fast path may still be wanted
    #: cell by cell
    data: bytes | None = None


class NestedCell(ValueError):
    """A cell or row inside a cell: Excel never writes one, and calamine may not read
    it as an XML parser does."""


class PartEncoding(Exception):
    """A part of the workbook is not UTF-8, the only encoding calamine reads; ``sheet``
    is the sheet's name when the part is a sheet, else None (``part`` names it)."""

    def __init__(self, part: str, encoding: str, sheet: str | None = None) -> None:
        super().__init__(f"{sheet or part} is stored as {encoding}")
        self.part, self.encoding, self.sheet = part, encoding, sheet


_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']{1,40})["']""")


def _encoding_of(head: bytes) -> str:
    """The encoding a part's first bytes say it is in (byte-order mark or declaration)."""
    for mark, name in ((b"\xef\xbb\xbf", "UTF-8"), (b"\xff\xfe\x00\x00", "UTF-32"),
                       (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                       (b"\xfe\xff", "UTF-16"), (b"<\x00", "UTF-16"), (b"\x00<", "UTF-16")):
        if head.startswith(mark):
            return name
    declared = _DECLARED_ENCODING.match(head.lstrip())
    return declared.group(1).decode("ascii", "replace").upper() if declared else "UTF-8"


#: The parts besides the sheets that calamine reads (others, such as SharePoint's
#: customXml, may be in any encoding).
_READ_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
               "xl/styles.xml")


def _check_encodings(zf: zipfile.ZipFile, sheets: dict[str, str]) -> list[PartEncoding]:
    """Raise :class:`PartEncoding` for the first part calamine reads that is in UTF-16 or
    UTF-32 (calamine returns such a sheet empty); return the parts declared in an 8-bit
    encoding, which calamine reads as long as they hold only ASCII."""
    by_part = {part: name for name, part in sheets.items()}
    names = set(zf.namelist())
    eight_bit = []
    for part in (*_READ_PARTS, *by_part):
        if part in names:
            with zf.open(part) as stream:
                encoding = _encoding_of(stream.read(256))
            if encoding.startswith("UTF-16") or encoding.startswith("UTF-32"):
                raise PartEncoding(part, encoding, by_part.get(part))
            if encoding.replace("-", "") not in ("UTF8", "USASCII", "ASCII"):
                eight_bit.append(PartEncoding(part, encoding, by_part.get(part)))
    return eight_bit


def _placed(stream: Any) -> Iterator[tuple[str, int, int, Any]]:
    """``(name, row, col, element)`` at the end of each ``c``, ``row`` and ``col``
    element of a sheet's XML, 0-based, with every cell placed where calamine puts it.

    As in calamine's reader: a row's ``r`` sets the current row; a cell's ``r`` places
    that cell and sets only the current column; a cell without one goes at the current
    row and column; the column moves on after each cell and starts again after each
    ``</row>``, which also moves the row on. What is inside a cell is its value, not
    cells or rows.
    """
    row = col = 0
    in_cell = 0
    for event, elem in SafeET.iterparse(stream, events=("start", "end")):
        name = elem.tag.rsplit("}", 1)[-1]
        if event == "start":
            if in_cell and name in ("c", "row"):
                # calamine ends a value at the first end tag of its name, so a cell or row
                # inside a cell may end the cell early for it: where cells land is unknown
                raise NestedCell(f"a <{name}> inside a cell")
            if name == "c":
                in_cell += 1
            elif name == "row" and not in_cell:
                ref = elem.get("r")
                if ref:
                    row = int(ref) - 1
        elif name == "c":
            in_cell -= 1
            if in_cell:
                continue
            ref = elem.get("r")
            if ref:
                where_row, col = cell_index(ref)
            else:
                where_row = row
            yield name, where_row, col, elem
            col += 1
            elem.clear()
        elif in_cell:
            continue
        elif name == "row":
            yield name, row, 0, elem
            row, col = row + 1, 0
            elem.clear()
        elif name == "col":
            yield name, 0, 0, elem


def _parts_with_markers(source: Path | io.BytesIO, parts: dict[str, str],
                        fast: frozenset[str] = frozenset(),
                        ) -> tuple[set[str], set[str], set[str]]:
    """The sheets (by name) whose XML may hold formulas, error cells or hidden rows; and
    of the sheets in ``fast``, those that may hold merged cells (which the fast path
    leaves to calamine) and those that may hold inline strings (which the shared
    strings cannot tell from numbers)."""
    marked: set[str] = set()
    merged: set[str] = set()
    inline: set[str] = set()
    with zipfile.ZipFile(source) as zf:
        names = set(zf.namelist())
        for sheet, part in parts.items():
            if part not in names:
                continue
            for window in _windows(zf, part, _NORMAL):
                if sheet in fast:
                    if b"<MERGECELL" in window:
                        merged.add(sheet)
                    if b'"INLINESTR"' in window:
                        inline.add(sheet)
                if _has_markers(window):
                    marked.add(sheet)
                    break  # read by calamine in any case
    return marked, merged, inline


def read_workbook(path: Path, kind: str = "xlsx", data: bytes | None = None,
                  fast: str = "never", fast_wanted: Callable[[str], bool] | None = None,
                  ) -> RawWorkbook:
    """Every sheet of a workbook as raw cells; ``kind`` is what preflight found.

    ``data``: the file's bytes as read and checked once (see
    :func:`grantstats.reading.sniff.read_checked`); ``path`` then only names the
    workbook. Which sheets need their XML read for cell facts is found in a second
    thread while calamine parses (calamine releases the GIL).

    ``fast``: ``"auto"`` reads a sheet of an .xlsx whose XML is large
    (:data:`FAST_MIN_BYTES`) and for which ``fast_wanted(name)``
    holds as typed columns (:mod:`grantstats.reading.fast`; the sheet's ``fast`` then
    holds them and its ``rows`` stay empty); ``"always"`` tries every such sheet,
    ``"never"`` none. A sheet with cell facts or merged cells, or one the fast path
    cannot read exactly, is read by calamine as the others.
    """
    if data is None:
        data = path.read_bytes()
    raw = RawWorkbook(path=path, sheets=[])
    if kind in ("xls", "ods"):
        raw.sheets = _calamine_sheets(data)
        return raw
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        workbook = SafeET.fromstring(zf.read("xl/workbook.xml"))
        _workbook_flags(workbook, raw)
        parts: dict[str, str] = {}
        for sheet_name, part in _sheet_parts(zf, workbook):
            if part:
                parts.setdefault(_name_key(sheet_name), part)
        eight_bit = _check_encodings(zf, parts)
        candidates = frozenset(_fast_candidates(zf, parts, fast, fast_wanted))
        with ThreadPoolExecutor(max_workers=1) as pool:
            marked = pool.submit(_parts_with_markers, io.BytesIO(data), parts, candidates)
            try:
                raw.sheets = _calamine_sheets(data, skip=candidates)
            except Exception:
                if eight_bit:  # calamine reads such a part only while it is ASCII
                    raise eight_bit[0] from None
                raise
            pending = [s for s in raw.sheets if s.pending]
            memo: dict[str, Any] = {}  # the shared strings, read once for all sheets
            read_fast = {s.name: _fast_sheet(data, zf, parts[_name_key(s.name)], s.name, memo)
                         for s in pending}
            with_facts, merged, inline = marked.result()
        for sheet in pending:
            sheet.pending = False
            found = read_fast[sheet.name]
            key = _name_key(sheet.name)
            if found is not None and key not in with_facts and key not in merged and (
                    key not in inline or not found.decided):
                sheet.fast = found
                raw.data = data  # for a sheet the loader still wants cell by cell
            else:
                calamine_sheet(data, sheet)
        for sheet in raw.sheets:
            key = _name_key(sheet.name)
            if key in with_facts:
                _read_sheet_facts(zf, parts[key], sheet)
    return raw


def _fast_candidates(zf: zipfile.ZipFile, parts: dict[str, str], fast: str,
                     wanted: Callable[[str], bool] | None) -> list[str]:
    """The sheets (by :func:`_name_key`) the fast path is to try."""
    if fast == "never" or wanted is None:
        return []
    least = 0 if fast == "always" else FAST_MIN_BYTES
    return [key for key, part in parts.items() if part in zf.NameToInfo
            and zf.getinfo(part).file_size >= least and wanted(key)]


def _fast_sheet(data: bytes, zf: zipfile.ZipFile, part: str, name: str,
                memo: dict[str, Any]) -> Any:
    """The sheet as typed columns, or None where the fast path cannot read it exactly."""
    from grantstats.reading import fast

    try:
        return fast.read_sheet(data, zf, part, name, memo)
    except fast.Fallback:
        return None


def calamine_sheet(data: bytes, sheet: RawSheet) -> None:
    """Read one sheet's cells with calamine into ``sheet`` (a sheet the fast path left,
    or gave back)."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        found = book.get_sheet_by_name(sheet.name)
    finally:
        book.close()
    sheet.rows = found.to_python(skip_empty_area=False)
    sheet.merged = [(r0, c0, r1, c1)
                    for (r0, c0), (r1, c1) in (found.merged_cell_ranges or [])]
    sheet.fast = None


def _name_key(name: str) -> str:
    """A sheet's name as both readers agree on it: an XML parser turns a tab or line
    break written in an attribute into a space, calamine keeps it."""
    return name.translate(_BREAKS)


_BREAKS = str.maketrans("\t\n\r", "   ")


def _calamine_sheets(data: bytes, skip: frozenset[str] = frozenset()) -> list[RawSheet]:
    """The worksheets' values. calamine tells the format by the content; the workbook
    (and its copy of the bytes) is closed before the values become Python objects.
    Sheets named in ``skip`` (by :func:`_name_key`) are left ``pending``, unread."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    del data  # calamine holds its own copy (the caller may still hold the file's bytes)
    try:
        metas = [meta for meta in book.sheets_metadata if str(meta.typ).endswith("WorkSheet")]
        found = [(meta, None if _name_key(meta.name) in skip else
                  book.get_sheet_by_name(meta.name)) for meta in metas]
    finally:
        book.close()
    sheets = []
    for meta, sheet in found:
        if sheet is None:
            sheets.append(RawSheet(name=meta.name, rows=[], pending=True,
                                   hidden=not str(meta.visible).endswith("Visible")))
            continue
        rows = sheet.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        sheets.append(RawSheet(
            name=meta.name, rows=rows, merged=merged,
            hidden=not str(meta.visible).endswith("Visible"),
        ))
    return sheets


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace (Transitional and Strict
    Open XML name the same things in different namespaces)."""
    return name.rsplit("}", 1)[-1]


def _workbook_flags(workbook: Any, raw: RawWorkbook) -> None:
    calc = workbook.find("{*}calcPr")
    raw.recalc_on_load = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    props = workbook.find("{*}workbookPr")
    raw.date1904 = props is not None and props.get("date1904") in ("1", "true")


def _sheet_parts(zf: zipfile.ZipFile, workbook: Any) -> list[tuple[str, str]]:
    """``(name, part)`` of every sheet the workbook lists, in its order; the part is ""
    when the sheet's relationship leads to no member.

    As calamine resolves them: elements by local name, the last relationship of an id,
    a target taken literally (``/xl/…`` and ``xl/…`` as they are, anything else under
    ``xl/``), members in any case. Only which cell facts go with which sheet depends on
    it.
    """
    members = {name.lower(): name for name in zf.namelist()}
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets: dict[str | None, str] = {}
    for rel in rels.iter():
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target", "")
        path = target[1:] if target.startswith("/xl/") else \
            target if target.startswith("xl/") else f"xl/{target}"
        targets[rel.get("Id")] = path if path in zf.NameToInfo else members.get(path.lower(), "")
    listed = []
    for sheet in workbook.iter():
        if _local(sheet.tag) == "sheet":
            ids = [v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"]
            listed.append((sheet.get("name", ""), targets.get(ids[-1] if ids else None, "")))
    return listed


def _read_sheet_facts(zf: zipfile.ZipFile, part: str, sheet: RawSheet) -> None:
    f_tag, v_tag = "{*}f", "{*}v"
    hidden_cols = bytearray(EXCEL_MAX_COLS)  # a flag per column, however many <col> say so
    with zf.open(part) as stream:
        for name, row, col, elem in _placed(stream):
            if name == "c":
                f = elem.find(f_tag)
                v = elem.find(v_tag)
                if f is not None:
                    sheet.formulas.add((row, col))
                    empty = v is None or not (v.text or "").strip()
                    if v is None or (empty and elem.get("t") != "str"):
                        sheet.formulas_without_value.add((row, col))
                if elem.get("t") == "e":
                    sheet.errors[(row, col)] = (v.text if v is not None else "") or "#ERROR"
            elif elem.get("hidden") in ("1", "true"):
                if name == "row":
                    sheet.hidden_rows.append(row)
                else:
                    first, last = _column_span(elem)
                    hidden_cols[first:last] = b"\x01" * max(last - first, 0)
    sheet.hidden_cols = [col for col, hidden in enumerate(hidden_cols) if hidden]


def _column_span(elem: Any) -> tuple[int, int]:
    """A ``<col>``'s columns as a 0-based half-open range within Excel's 16 384."""
    try:
        first, last = int(elem.get("min", "1")), int(elem.get("max", "1"))
    except ValueError:
        return 0, 0
    return min(max(first, 1), EXCEL_MAX_COLS + 1) - 1, min(max(last, 0), EXCEL_MAX_COLS)
