"""Raw cells of a workbook: values, and what the values alone do not tell.

Values come from python-calamine (fast, reads .xlsx/.xlsm/.xls/.ods). What calamine
does not report — formulas without a stored result, error cells (``#REF!``), hidden
rows and columns, the "recalculate when opened" flag — is read from the sheet XML,
and only for sheets whose bytes contain such markup at all, so a million-row sheet
without formulas is never parsed twice.

Before calamine reads a workbook, the sheets are checked for cells that would make a
sheet span more than :data:`MAX_CELLS` (calamine allocates the whole rectangle and
aborts the process when it cannot). For an .xlsx every XML part calamine gets is
scanned, not only the ones the workbook names as sheets: a fast streaming pass clears a
part when every cell and row is placed by a near reference of its own (tags read as
calamine's XML parser reads them), and an exact pass places every cell of the few parts
it cannot clear. calamine then gets a package rebuilt from exactly the parts that were
scanned (:mod:`grantstats.reading.repack`), so no trick of the zip format can show it others.
An .ods is checked table by table, an .xls record by record. Parts that are not UTF-8
are refused by name.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

import olefile
import python_calamine
from defusedxml import ElementTree as SafeET

from grantstats.reading import repack
from grantstats.reading.sniff import EXCEL_MAX_COLS, shared_string_counts, shared_strings_limit

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
    """A fast test (plain substring search) for markup that needs the XML read."""
    if any(marker in window for marker in _MARKERS):
        return True
    return b":F" in window and _PREFIXED_FORMULA.search(window) is not None


_CHUNK = 1 << 20


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


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet]
    recalc_on_load: bool = False
    date1904: bool = False


def column_letter(index: int) -> str:
    """0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """0-based row and column → ``B7``."""
    return f"{column_letter(col)}{row + 1}"


def _cell_index(ref: str) -> tuple[int, int]:
    """``B7`` → (6, 1); column letters in any case, as calamine reads them."""
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref.upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


#: Most cells (rows × columns of the used range) a sheet may span. calamine allocates
#: that whole rectangle, so a file with only A1 and XFD1048576 filled would ask for
#: hundreds of GB and abort the process; a full Excel ledger of 1 048 576 rows and
#: 38 columns still fits.
MAX_CELLS = 40_000_000

# The extent guard reads the XML as calamine's parser (quick-xml) does: whitespace is
# space, tab, CR or LF; a tag's name runs to the first whitespace; its local name is
# what follows the first colon; attribute values are in double or single quotes.
_WS = rb"[ \t\r\n]"
# A row number from 1 to 1 048 576, written without leading zeros.
_NEAR_ROW = (rb"(?:[1-9]\d{0,5}|10[0-3]\d{4}|104[0-7]\d{3}|1048[0-4]\d\d|10485[0-6]\d"
             rb"|104857[0-6])")
# A reference no further out than column AL (38) and Excel's last row, in any case.
_NEAR_REF = rb"(?:[A-Za-z]|[Aa][A-La-l])?" + _NEAR_ROW
#: The rest of a start tag of a cell or row that is placed by a near reference of its
#: own: its first attribute is ``r`` holding such a reference, and no other attribute's
#: name starts with r or R. (calamine takes the last ``r`` of a tag and ignores ``R``; a
#: cell without ``r`` goes after the one before it.) When every cell and row is such, a
#: sheet spans at most 1 048 576 rows × 38 columns, within MAX_CELLS.
_PLACED_TAG_REST = (
    _WS + rb"++r" + _WS + rb"*+=" + _WS + rb"*+(?:\"" + _NEAR_REF + rb"\"|'" + _NEAR_REF
    + rb"')(?:" + _WS + rb"++[^rR \t\r\n=/>\"'][^ \t\r\n=/>\"']*+" + _WS + rb"*+="
    + _WS + rb"*+(?:\"[^\"]*+\"|'[^']*+'))*+" + _WS + rb"*+/?>")
_CELL_OR_ROW = rb"(?:[cC]|[rR][oO][wW])(?!" + _PLACED_TAG_REST + rb")(?=[ \t\r\n/>])"
#: A start tag of a cell or row (in any case) whose rest is not of that form: only the
#: exact pass knows where its cells land.
_UNCLEARED = re.compile(rb"<" + _CELL_OR_ROW)
#: A cell's or row's local name after a colon (``<x:c …>``): where the tag's name starts
#: is found by looking back from it (see :func:`_uncleared_prefixed`).
_PREFIXED_NAME = re.compile(rb":(?:[cC]|[rR][oO][wW])(?=[ \t\r\n/>])")
_PLACED_PREFIXED_REST = re.compile(_PLACED_TAG_REST)
#: How far back from such a colon a tag's name may start; a longer one is not cleared.
_LOOK_BACK = 256
#: How near a window's end a match may be cut off (its tag not whole); it is then seen
#: whole at the start of the next window, which overlaps by _OVERLAP.
_CUT = 512
_OVERLAP = 1024


class NestedCell(ValueError):
    """A cell or row inside a cell: Excel never writes one, and calamine may not read
    it as an XML parser does."""


class Oversized(Exception):
    """A part of the workbook would make its reader allocate more than is safe."""


class SheetTooLarge(Oversized):
    """A sheet spans more cells than can be read safely."""

    def __init__(self, sheet: str, rows: int, cols: int) -> None:
        super().__init__(f"the sheet '{sheet}' spans {rows} rows × {cols} columns")
        self.sheet, self.rows, self.cols = sheet, rows, cols


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


def _windows(zf: zipfile.ZipFile, part: str, table: bytes | None = None) -> Iterator[bytes]:
    """The part's XML (translated by ``table``, if given) in windows that overlap by ``_OVERLAP``
    bytes, so that a tag cut off at one window's end is whole at the start of the next
    (unless it is longer; the guard then errs towards the exact pass)."""
    tail = b""
    with zf.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + (chunk.translate(table) if table else chunk)
            yield window
            tail = window[-_OVERLAP:]


def _needs_exact_extent(zf: zipfile.ZipFile, part: str) -> bool:
    """Whether a cell or row may not be placed by a near reference of its own: a fast
    streaming pass that only ever errs towards the exact one."""
    cut_off = False
    for window in _windows(zf, part):
        cut_off = False
        unprefixed = _UNCLEARED.search(window)
        for found in (unprefixed.start() if unprefixed else None,
                      _uncleared_prefixed(window)):
            if found is not None and found < len(window) - _CUT:
                return True
            # one cut off at a window's end is seen whole at the next window's start
            cut_off = cut_off or found is not None
    return cut_off  # at the end of the part, nothing more comes to complete it


def _uncleared_prefixed(window: bytes) -> int | None:
    """Where the first prefixed cell or row tag (``<x:c …>``) of ``window`` that is not
    placed by a near reference starts, or None.

    quick-xml's name of a tag runs from its ``<`` to the first whitespace (``<`` may be
    in it) and its local name follows the first colon; so the name is found by looking
    back from each colon, in time linear in the window (a regex from every ``<`` would
    be quadratic in a run of them).
    """
    for hit in _PREFIXED_NAME.finditer(window):
        colon = hit.start()
        low = max(0, colon - _LOOK_BACK)
        head = window[low:colon]
        cut = max(head.rfind(b" "), head.rfind(b"\t"), head.rfind(b"\r"), head.rfind(b"\n"),
                  head.rfind(b">"))
        if cut < 0 and low > 0:
            return low  # a name longer than any genuine one: not cleared
        name = head[cut + 1:]
        start = name.find(b"<")
        if start < 0 or b":" in name or name[start + 1:start + 2] in (b"/", b"!", b"?"):
            continue  # not a start tag's name, or not its first colon
        if not _PLACED_PREFIXED_REST.match(window, hit.end()):
            return low + cut + 1 + start
    return None


def _check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Raise :class:`Oversized` when a shared-strings tag anywhere in the part (calamine
    finds it at any depth; preflight looks only at the part's start) declares more
    strings than the part may hold."""
    limit = shared_strings_limit(info.file_size)
    for window in _windows(zf, info.filename):
        for _where, count in shared_string_counts(window):
            if count is not None and count > limit:  # None: not whole (in the next window)
                raise Oversized(f"{info.filename} declares {count} shared strings")


def _extent_if_far(zf: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """The sheet's exact extent (rows, columns), or None when no cell can lie far out.

    The exact extent places every cell as calamine does (its reference, or after the
    cell before it) — a second, slower pass, only for sheets the fast one cannot clear.
    """
    if not _needs_exact_extent(zf, part):
        return None
    with zf.open(part) as stream:
        return _exact_extent(stream)


def _exact_extent(stream: Any) -> tuple[int, int]:
    """Rows × columns up to the furthest cell, every cell placed as :func:`_placed`
    places it, with names read as calamine's parser reads them (the local name follows
    the first colon). expat calls back only at tags, so this pass runs several times
    faster than building elements; a DTD or entity declaration is refused, as
    :mod:`defusedxml` refuses them."""
    state = {"row": 0, "col": 0, "in_cell": 0, "rows": 0, "cols": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.partition(":")[2] or name
        if state["in_cell"]:
            if local in ("c", "row"):
                raise NestedCell(f"a <{local}> inside a cell")
            return
        if local == "c":
            state["in_cell"] = 1
            ref = attrs.get("r")
            if ref:
                row, state["col"] = _cell_index(ref)
            else:
                row = state["row"]
            state["rows"] = max(state["rows"], row + 1)
            state["cols"] = max(state["cols"], state["col"] + 1)
            state["col"] += 1
        elif local == "row" and attrs.get("r"):
            state["row"] = int(attrs["r"]) - 1

    def end(name: str) -> None:
        local = name.partition(":")[2] or name
        if local == "c" and state["in_cell"]:
            state["in_cell"] = 0
        elif local == "row" and not state["in_cell"]:
            state["row"], state["col"] = state["row"] + 1, 0

    def refuse(*_args: Any) -> None:
        raise ValueError("the sheet declares a DTD or entities")

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    parser.ParseFile(stream)
    return state["rows"], max(state["cols"], 26)


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
                where_row, col = _cell_index(ref)
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


def _parts_with_markers(source: Path | io.BytesIO, parts: dict[str, str]) -> set[str]:
    """The sheets (by name) whose XML may hold formulas, error cells or hidden rows."""
    with zipfile.ZipFile(source) as zf:
        names = set(zf.namelist())
        return {sheet for sheet, part in parts.items()
                if part in names and any(map(_has_markers, _windows(zf, part, _NORMAL)))}


#: Spaces an .ods may ask for with ``<text:s text:c="…"/>`` in all (calamine writes
#: them out; a genuine file has a few per cell).
MAX_ODS_SPACES = 10_000_000


def _check_ods(zf: zipfile.ZipFile) -> None:
    """Raise :class:`Oversized` when the tables of an .ods span more than
    :data:`MAX_CELLS` non-empty cells together (repeats counted; each table's rows to
    its last filled one, all tables' rows × the widest), or the text asks for more than
    :data:`MAX_ODS_SPACES` spaces.

    calamine matches names with their literal prefix (``table:table-row``), whatever
    namespace it is bound to, while an XML parser keeps only the namespace; so elements
    go by local name and, of the attributes with a wanted local name, the largest value
    counts. A table ending early only moves its rows into the sum.
    """
    name, done_rows, row, max_row, max_col, col, repeat, spaces = "", 0, 0, 0, 0, 0, 1, 0

    def count(elem: Any, local: str) -> int:
        return max((_count(v) for k, v in elem.attrib.items() if _local(k) == local),
                   default=1)

    with zf.open("content.xml") as stream:
        for event, elem in SafeET.iterparse(stream, events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                if tag == "table":
                    name = next((v for k, v in elem.attrib.items() if _local(k) == "name"),
                                name)
                elif tag == "table-row":
                    repeat, col = count(elem, "number-rows-repeated"), 0
                elif tag == "s":
                    spaces += count(elem, "c")
                    if spaces > MAX_ODS_SPACES:
                        raise Oversized(f"the text asks for more than {MAX_ODS_SPACES} spaces")
                continue
            if tag in ("table-cell", "covered-table-cell"):
                span = count(elem, "number-columns-repeated")
                if len(elem) or any(_local(k) == "value-type" for k in elem.attrib):
                    max_col, max_row = max(max_col, col + span), max(max_row, row + repeat)
                    if (done_rows + max_row) * max_col > MAX_CELLS:
                        raise SheetTooLarge(name, done_rows + max_row, max_col)
                col += span
                elem.clear()
            elif tag == "table-row":
                row += repeat
                elem.clear()
            elif tag == "table":
                done_rows, row, max_row = done_rows + max_row, 0, 0
                elem.clear()


def _count(text: str) -> int:
    """A repeat count as calamine reads it (an unsigned number, ``+`` allowed); one that
    is not a number counts once."""
    text = text.strip().removeprefix("+")
    if not (text.isascii() and text.isdigit()):
        return 1
    return int(text) if len(text) <= 12 else 10**12


#: BIFF records that place a cell by a row and column at their start (FORMULA, BLANK,
#: NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING), and those with a range of columns
#: (MULRK, MULBLANK: last column in their last two bytes).
_BIFF_CELLS = frozenset({0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6})
_BIFF_MULTI = frozenset({0x00BD, 0x00BE})
_BIFF_DIMENSIONS, _BIFF_BOUNDSHEET, _BIFF_EOF = 0x0200, 0x0085, 0x000A
#: The .xls format's own grid: 65 536 rows × 256 columns (IV).
XLS_MAX_ROWS, XLS_MAX_COLS = 65_536, 256


def _check_xls(data: bytes) -> None:
    """Raise :class:`Oversized` before calamine reads a legacy .xls that would make it
    allocate without bound: a cell record or a sheet's declared dimensions outside the
    format's 65 536 × 256 grid anywhere in the workbook stream, or sheets spanning more
    than :data:`MAX_CELLS` together (calamine allocates each sheet's rectangle up to
    its furthest cell, and reads a sheet from where its BOUNDSHEET record points)."""
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        streams = [ole.openstream(name).read() for name in ("Workbook", "Book")
                   if ole.exists(name)]
    for stream in streams:
        sheets = []  # (where its records begin, name), one per BOUNDSHEET record
        for at, record, body in _biff_records(stream, 0, globals_only=False):
            if record == _BIFF_BOUNDSHEET and len(body) >= 8:
                sheets.append((struct.unpack_from("<L", body)[0], _biff_name(body)))
            rows, cols = _biff_extent(record, body)
            if rows > XLS_MAX_ROWS or cols > XLS_MAX_COLS:
                raise SheetTooLarge(next((n for a, n in sheets if a <= at), "?"), rows, cols)
        extents: dict[int, tuple[int, int]] = {}
        total = 0
        for start, name in sheets:
            if start not in extents:
                rows = cols = 0
                for _at, record, body in _biff_records(stream, start, globals_only=True):
                    r, c = _biff_extent(record, body)
                    if r > XLS_MAX_ROWS or c > XLS_MAX_COLS:
                        raise SheetTooLarge(name, r, c)
                    rows, cols = max(rows, r), max(cols, c)
                extents[start] = (rows, cols)
            total += extents[start][0] * extents[start][1]
            if total > MAX_CELLS:
                raise Oversized(f"the sheets span more than {MAX_CELLS} cells together")


def _biff_records(stream: bytes, start: int, *, globals_only: bool
                  ) -> Iterator[tuple[int, int, bytes]]:
    """``(offset, record type, body)`` from ``start``: to the end of the stream, or (with
    ``globals_only``) to the end of that substream, its EOF record."""
    at, end = start, len(stream)
    while at + 4 <= end:
        record, size = struct.unpack_from("<HH", stream, at)
        yield at, record, stream[at + 4:at + 4 + size]
        at += 4 + size
        if globals_only and record == _BIFF_EOF:
            return


def _biff_extent(record: int, body: bytes) -> tuple[int, int]:
    """Rows × columns a BIFF record reaches (0, 0 for one that places no cell)."""
    if record in _BIFF_CELLS and len(body) >= 4:
        row, col = struct.unpack_from("<HH", body)
        return row + 1, col + 1
    if record in _BIFF_MULTI and len(body) >= 6:
        row, first = struct.unpack_from("<HH", body)
        last = struct.unpack_from("<H", body, len(body) - 2)[0]
        return row + 1, max(first, last, first + (len(body) - 6) // 6) + 1
    if record == _BIFF_DIMENSIONS and len(body) >= 12:
        return struct.unpack_from("<4xL2xH", body)
    if record == _BIFF_DIMENSIONS and len(body) >= 8:
        return struct.unpack_from("<2xH2xH", body)
    return 0, 0


def _biff_name(boundsheet: bytes) -> str:
    """The sheet name of a BOUNDSHEET record (8-bit or UTF-16, by its flag)."""
    length, wide = boundsheet[6], boundsheet[7] & 1
    raw = boundsheet[8:8 + length * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def read_workbook(path: Path, kind: str = "xlsx", data: bytes | None = None) -> RawWorkbook:
    """Every sheet of a workbook as raw cells; ``kind`` is what preflight found.

    ``data``: the file's bytes as read and checked once (see
    :func:`grantstats.reading.sniff.read_checked`); everything is then read from them, and
    ``path`` only names the workbook. Without it the file at ``path`` is read.

    Raises :class:`Oversized` (:class:`SheetTooLarge` for a sheet spanning more than
    :data:`MAX_CELLS`) before any sheet is read into memory. calamine gets a package
    rebuilt from the checked parts (see :mod:`grantstats.reading.repack`). Which sheets need
    their XML read for cell facts is found in a second thread while calamine parses
    (calamine releases the GIL).
    """
    if data is None:
        data = path.read_bytes()
    raw = RawWorkbook(path=path, sheets=[])
    if kind == "xls":
        _check_xls(data)
        raw.sheets = _calamine_sheets(data)
        return raw
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        kept = repack.members(zf, kind)
        if kind == "ods":
            _check_ods(zf)
            raw.sheets = _calamine_sheets(repack.rebuild(data, kept))
            return raw
        workbook = SafeET.fromstring(zf.read("xl/workbook.xml"))
        _workbook_flags(workbook, raw)
        parts: dict[str, str] = {}
        listed = [(name, part) for name, part in _sheet_parts(zf, workbook) if part]
        for sheet_name, part in listed:
            parts.setdefault(_name_key(sheet_name), part)
        if len({part.lower() for _n, part in listed}) < len(listed):
            # calamine would build the sheet once per listing: Excel never writes that
            raise ValueError("one sheet's part is listed as several sheets")
        eight_bit = _check_encodings(zf, parts)
        # Every part calamine gets is scanned, not only those the workbook names as
        # sheets: what it reads as a sheet then cannot have escaped the guard.
        sheet_of = {part: name for name, part in parts.items()}
        for info in kept:
            if info.filename.lower() == "xl/sharedstrings.xml":
                _check_shared_strings(zf, info)
            extent = _extent_if_far(zf, info.filename)
            if extent is not None and extent[0] * extent[1] > MAX_CELLS:
                raise SheetTooLarge(sheet_of.get(info.filename, info.filename), *extent)
        with ThreadPoolExecutor(max_workers=1) as pool:
            marked = pool.submit(_parts_with_markers, io.BytesIO(data), parts)
            try:
                # the package is handed over, not kept: calamine copies it, and it is
                # freed before the values become Python objects
                raw.sheets = _calamine_sheets(repack.rebuild(data, kept))
            except Exception:
                if eight_bit:  # calamine reads such a part only while it is ASCII
                    raise eight_bit[0] from None
                raise
            with_facts = marked.result()
        for sheet in raw.sheets:
            key = _name_key(sheet.name)
            if key in with_facts:
                _read_sheet_facts(zf, parts[key], sheet)
    return raw


def _name_key(name: str) -> str:
    """A sheet's name as both readers agree on it: an XML parser turns a tab or line
    break written in an attribute into a space, calamine keeps it."""
    return name.translate(_BREAKS)


_BREAKS = str.maketrans("\t\n\r", "   ")


def _calamine_sheets(data: bytes) -> list[RawSheet]:
    """The worksheets' values. calamine tells the format by the content; the workbook
    (and its copy of the bytes) is closed before the values become Python objects."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    del data  # calamine holds its own copy (the caller may still hold the file's bytes)
    try:
        metas = [meta for meta in book.sheets_metadata if str(meta.typ).endswith("WorkSheet")]
        found = [(meta, book.get_sheet_by_name(meta.name)) for meta in metas]
    finally:
        book.close()
    sheets = []
    for meta, sheet in found:
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
    it; the extent guard scans every part.
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
