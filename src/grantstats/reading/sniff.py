"""Pre-flight check of a workbook file, before any real parsing.

:func:`preflight` looks at a file in a strictly bounded way and either names its format
(``"xlsx"``, ``"xlsm"``, ``"ods"``, ``"xls"``) or raises
:class:`~grantstats.errors.UnreadableWorkbook` with one clear message code. It exists so
that a hostile or broken file (a zip or XML bomb, an external entity, an encrypted or
truncated file, a PDF renamed ``.xlsx``) is refused with one line, quickly and in little
memory, before a spreadsheet library gets to decompress or parse anything.
:func:`read_checked` does the same check on the file read whole, once its first bytes
show a workbook's signature, so that what is checked is what is then parsed.

What the check reads, and nothing more:

* the file's first bytes (signature), and the last 64 KiB (the zip end record);
* the zip central directory, capped at :data:`MAX_CENTRAL_DIRECTORY` bytes and
  :data:`MAX_MEMBERS` entries *before* :mod:`zipfile` is allowed to read it;
* the 30-byte local header of every member;
* at most :data:`XML_PREFIX` (or :data:`SHEET_PREFIX` for worksheets) decompressed bytes
  of each XML member, through streaming decompression; never a whole member, except
  ``[Content_Types].xml`` which is streamed up to :data:`CONTENT_TYPES_SCAN` bytes and
  ``META-INF/manifest.xml`` up to :data:`MANIFEST_SCAN` bytes;
* of an OLE2 compound file, its header, allocation tables and directory as
  :mod:`olefile` reads them, and the first bytes of its workbook stream.

Declared sizes are checked against limits measured on genuine workbooks (see the
constants below), and so is the number of shared strings a part declares (calamine
reserves room for all of them before reading one). XML is never parsed here: the check
is a byte-level look at the prolog, so no entity can be expanded and nothing of a local
file can be read.

Second line of defence: wherever grantstats itself parses XML from a workbook it uses
:mod:`defusedxml`, which refuses DTDs and entity declarations, so a file that got past
this check still cannot expand entities or read local files.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

import olefile

from grantstats.errors import UnreadableWorkbook
from grantstats.reading.refs import column_index

__all__ = ["MemberSize", "check_sizes", "preflight", "read_checked", "unreadable"]

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30

# --- limits -------------------------------------------------------------------------
# Measured on a genuine worst case the contract must accept: one costs sheet of
# 1 048 576 rows x 5 columns (date, project id, category, description, amount; random
# values), generated in /tmp once and then deleted:
#
#   writer                              member                     unpacked    packed   ratio
#   openpyxl write_only (inline str)    xl/worksheets/sheet1.xml   307.5 MB   40.3 MB    7.6
#   Excel-style XML (shared strings)    xl/worksheets/sheet1.xml   253.5 MB   36.1 MB    7.0
#                                       xl/sharedStrings.xml        43.1 MB    5.9 MB    7.3
#   same, every row identical           xl/worksheets/sheet1.xml   245.0 MB   18.3 MB   13.4
#   LibreOffice-style ODS markup        content.xml                770.4 MB   36.3 MB   21.2
#   openpyxl's small parts (styles, theme, rels, …)                 ≤ 10 KB              ≤ 6.5
#
# and on small parts that are genuinely very repetitive:
#
#   styles.xml bloated to Excel's 64 000 identical cell formats       4.9 MB   16.6 KB    293
#   VML drawing of 10 000 cell comments                               6.1 MB  102.5 KB     59
#
# Deflate tops out near 1032:1; the bombs in tests/corpus reach 1010-1025:1.
# The limits leave about 2.5x headroom over the largest genuine member (the ODS) and
# 5x over the highest genuine ratio of a large member, and still refuse a multi-GB bomb.
# Preflight itself takes 1-3 ms on each of the measured 1M-row workbooks.

#: Size of a workbook file that is read at all (a load reads the file whole, once: see
#: :func:`read_checked`); the 1M-row ledgers above pack to about 40 MB.
MAX_FILE_SIZE = 1 * GiB
#: Declared unpacked size of any one member (genuine maximum measured: 770 MB).
MAX_MEMBER_SIZE = 2 * GiB
#: Declared unpacked size of all members together.
MAX_TOTAL_SIZE = 4 * GiB
#: Unpacked/packed ratio refused for a member, or the whole archive, once it unpacks to
#: more than :data:`RATIO_FLOOR` (genuine large members measured: 7.0 to 21.2).
MAX_RATIO = 100
#: Below this unpacked size the ratio is not checked: small, very repetitive parts
#: (a bloated styles.xml, 293:1 above) compress far better than 100:1 yet are harmless.
RATIO_FLOOR = 16 * MiB
#: Declared unpacked size of the parts that index the package and are read whole
#: (``[Content_Types].xml``, ``xl/workbook.xml``, ``*.rels``, ODS ``META-INF/manifest.xml``
#: and ``mimetype``); genuine ones are a few KB, a workbook with thousands of defined
#: names a few MB.
MAX_INDEX_PART_SIZE = 64 * MiB
#: Members in the archive (an Excel workbook with 255 sheets, each with a drawing and a
#: chart, has about 2 000).
MAX_MEMBERS = 5_000
#: Bytes of zip central directory (about 100 bytes a member; this also caps what
#: :mod:`zipfile` parses, at most ~22 000 minimal entries, before the member count is
#: known).
MAX_CENTRAL_DIRECTORY = 1 * MiB

#: Decompressed bytes read from the start of each XML member to check its prolog.
XML_PREFIX = 4 * KiB
#: Decompressed bytes read from the start of a worksheet, to find ``<dimension>`` (it
#: comes right after the root element and ``<sheetPr>``, within 2 KB in files written by
#: Excel, LibreOffice and openpyxl).
SHEET_PREFIX = 8 * KiB
#: Decompressed bytes of ``[Content_Types].xml`` searched for the macro-enabled type.
CONTENT_TYPES_SCAN = 1 * MiB
#: Decompressed bytes of an ODS ``META-INF/manifest.xml`` searched for encryption data.
MANIFEST_SCAN = 256 * KiB

#: Bytes of the shortest shared string (``<si/>``). calamine reserves room for every
#: string a shared-strings part declares (``uniqueCount``) before it reads one, so a
#: part may not declare more than its size could hold, beyond a harmless floor.
MIN_SHARED_STRING_BYTES = 5
SHARED_STRINGS_FLOOR = 100_000
#: At most this many, however large the part (calamine reserves 24 bytes for each).
MAX_SHARED_STRINGS = 20_000_000

#: Excel's sheet size: rows and columns (XFD).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384

# --- signatures and names -----------------------------------------------------------
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"PK00")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_XML_MEMBERS = ("content.xml", "styles.xml", "meta.xml", "settings.xml",
                   "META-INF/manifest.xml")
#: The one DOCTYPE a genuine spreadsheet carries: OpenOffice.org 2.x (and some ODF
#: writers copying it) put it in META-INF/manifest.xml. It has no internal subset and
#: names only a relative DTD, grantstats never parses the manifest, and the exact text
#: is allowed there and nowhere else.
LEGACY_ODF_MANIFEST_DOCTYPE = ('<!DOCTYPE manifest:manifest PUBLIC '
                               '"-//OpenOffice.org//DTD Manifest 1.0//EN" "Manifest.dtd">')
#: Declared XML encodings whose markup is ASCII bytes (so the prolog check can see it),
#: plus UTF-16, which is decoded first.
SAFE_XML_ENCODINGS = frozenset({
    "utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1",
    "iso-8859-15", "windows-1252", "cp1252", "utf-16", "utf-16le", "utf-16be",
    "utf-16-le", "utf-16-be",
})

_ZIP_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP_LOCAL = struct.Struct("<4s5H3L2H")

_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']{0,64})")
#: A shared-strings element's tag as calamine's XML reader finds it (``<sst``, ``<x:sst``;
#: text cannot hold a '<', so text reading "a:sst" is no match; a prefix holding '<' is
#: matched from its last '<', with the same attributes), and the attributes of a start
#: tag, values in either quote.
_SST_NAME = re.compile(rb"<(?:[^ \t\r\n>:<]*+:)?sst(?=[ \t\r\n/>])")
_ATTRIBUTE = re.compile(rb"""[ \t\r\n]*+([^ \t\r\n=/>"']++)[ \t\r\n]*+=[ \t\r\n]*+"""
                        rb"""(?:"([^"]*+)"|'([^']*+)')""")
_TAG_END = re.compile(rb"[ \t\r\n]*+/?>")
_DTD = re.compile(r"<!(?:doctype|entity)", re.IGNORECASE)
_CELL = re.compile(r"\$?([A-Za-z]+)\$?(\d+)")
_ENCODING = re.compile(r"""\bencoding\s*=\s*["']([^"']{0,40})["']""")


def preflight(path: str | os.PathLike[str]) -> str:
    """Check ``path`` cheaply and return its format, or raise one clear problem.

    Parameters
    ----------
    path
        The workbook file.

    Returns
    -------
    str
        ``"xlsx"``, ``"xlsm"``, ``"ods"`` or ``"xls"`` (from the contents; the suffix
        only decides between ``"xlsx"`` and ``"xlsm"``).

    Raises
    ------
    UnreadableWorkbook
        With code ``file.lock``, ``file.not_found``, ``file.is_directory``,
        ``file.not_workbook``, ``file.encrypted``, ``file.damaged``,
        ``file.too_large`` or ``file.unsafe_xml``; ``path`` in its parameters is the
        file's name only.
    """
    return _Check(Path(os.fspath(path))).run()[0]


def read_checked(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """Read ``path`` whole, once, and check those bytes as :func:`preflight` does.

    Returns the format and the bytes. Everything grantstats parses, and the SHA-256 it
    reports, then come from this one copy, so the file being saved meanwhile cannot
    mix two versions or slip unchecked content past the check. Raises as
    :func:`preflight` does, and ``file.too_large`` for a file over :data:`MAX_FILE_SIZE`.
    """
    kind, data = _Check(Path(os.fspath(path))).run(whole=True)
    assert data is not None
    return kind, data




@dataclass(frozen=True)
class MemberSize:
    """A zip member's declared sizes, as the central directory states them."""

    name: str
    file_size: int
    compress_size: int


def check_sizes(members: Sequence[MemberSize]) -> str | None:
    """Why these declared sizes are absurd for a spreadsheet, or None if they are not.

    Parameters
    ----------
    members
        Every member of the archive.

    Returns
    -------
    str or None
        A short detail for ``file.too_large``.
    """
    if len(members) > MAX_MEMBERS:
        return f"{len(members)} parts in the zip archive, more than {MAX_MEMBERS}"
    total = packed = 0
    for m in members:
        if m.file_size > MAX_MEMBER_SIZE or (
                m.file_size > MAX_INDEX_PART_SIZE and _is_index_part(m.name)):
            return f"{_clean(m.name)} unpacks to {_size(m.file_size)}"
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return (f"{_clean(m.name)} unpacks from {_size(m.compress_size)} to "
                    f"{_size(m.file_size)}, {m.file_size // max(m.compress_size, 1)}:1")
        total += m.file_size
        packed += m.compress_size
    if total > MAX_TOTAL_SIZE:
        return f"the parts unpack to {_size(total)}"
    if total > RATIO_FLOOR and total > MAX_RATIO * max(packed, 1):
        return (f"the parts unpack from {_size(packed)} to {_size(total)}, "
                f"{total // max(packed, 1)}:1")
    return None


class _Check:
    """One run of the pre-flight check on one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name or str(path)

    def fail(self, code: str, **params: str) -> NoReturn:
        raise unreadable(code, self.path, **params)

    # --- the file ---------------------------------------------------------------------
    def run(self, whole: bool = False) -> tuple[str, bytes | None]:
        """The format, and with ``whole`` the file's bytes (the ones that were checked)."""
        if self.name.startswith(("~$", ".~lock.")):  # Excel's, LibreOffice's
            self.fail("file.lock")
        try:
            st = os.stat(self.path)
        except (FileNotFoundError, NotADirectoryError):
            self.fail("file.not_found", **_where(self.path))
        except PermissionError:
            self.fail("file.not_workbook", detail="no permission to read it")
        except (OSError, ValueError):
            self.fail("file.not_found", **_where(self.path))
        self._regular(st)
        try:
            # O_NONBLOCK: a file swapped for a FIFO since the stat must not hang the open
            with open(self.path, "rb", opener=_open_nonblocking) as fh:
                st = os.fstat(fh.fileno())
                self._regular(st)
                if not whole:
                    return self._dispatch(fh, st.st_size), None
                if st.st_size > MAX_FILE_SIZE:
                    self.fail("file.too_large", detail=f"the file is {_size(st.st_size)}")
                head = fh.read(4 * KiB)  # a film renamed .xlsx is not read whole first
                if not head.startswith((OLE2_SIGNATURE, *_ZIP_SIGNATURES)):
                    self.fail("file.not_workbook", detail=_sniff(head))
                fh.seek(0)
                try:
                    data = fh.read(st.st_size)
                except MemoryError:
                    self.fail("file.too_large", detail=f"the file is {_size(st.st_size)}, "
                              "more than there is memory for")
                if len(data) != st.st_size or fh.read(1):
                    self.fail("file.changed")  # shorter or longer than it was a moment ago
            return self._dispatch(io.BytesIO(data), len(data)), data
        except PermissionError:
            self.fail("file.not_workbook", detail="no permission to read it")
        except OSError as exc:
            self.fail("file.damaged", detail=f"read error: {exc.strerror or 'I/O'}")
        except _MALFORMED as exc:  # a structure broken in a way not foreseen above
            self.fail("file.damaged", detail=_zip_error(exc))

    def _regular(self, st: os.stat_result) -> None:
        if stat.S_ISDIR(st.st_mode):
            self.fail("file.is_directory")
        if not stat.S_ISREG(st.st_mode):
            self.fail("file.not_workbook", detail="not a regular file")
        if st.st_size == 0:
            self.fail("file.not_workbook", detail="empty file")

    def _dispatch(self, fh: BinaryIO, size: int) -> str:
        head = fh.read(4 * KiB)
        if head.startswith(OLE2_SIGNATURE):
            return self._ole2(fh, size)
        if head.startswith(_ZIP_SIGNATURES):
            return self._zip(fh, size)
        self.fail("file.not_workbook", detail=_sniff(head))

    # --- OLE2 (legacy .xls, or an encrypted OOXML package) -----------------------------
    def _ole2(self, fh: BinaryIO, size: int) -> str:
        """An OLE2 compound file, walked by olefile: a legacy workbook, an encrypted one
        (an encrypted .xlsx is an OLE2 file too), or another Office document."""
        fh.seek(0)
        try:
            ole = olefile.OleFileIO(fh)
        except Exception:  # olefile raises OSError and others on a broken structure
            self.fail("file.damaged", detail="broken Office 97-2003 file structure")
        with ole:
            names = {path[-1] for path in ole.listdir(streams=True, storages=True)}
            if names & {"EncryptionInfo", "EncryptedPackage"}:
                self.fail("file.encrypted")
            book = next((name for name in ("Workbook", "Book")
                         if ole.get_type(name) == olefile.STGTY_STREAM), None)
            if book is not None:
                try:
                    head = ole.openstream(book).read(64)
                except Exception:
                    self.fail("file.damaged", detail="broken Office 97-2003 file structure")
                if _biff_filepass(head):
                    self.fail("file.encrypted")
                return "xls"
        if "WordDocument" in names:
            self.fail("file.not_workbook", detail="Word 97-2003 document (.doc)")
        if "PowerPoint Document" in names:
            self.fail("file.not_workbook", detail="PowerPoint 97-2003 presentation (.ppt)")
        self.fail("file.not_workbook", detail="Office 97-2003 file without a workbook")

    # --- zip (xlsx, xlsm, ods) ---------------------------------------------------------
    def _zip(self, fh: BinaryIO, size: int) -> str:
        entries, cd_size = self._end_record(fh, size)
        if entries > MAX_MEMBERS:
            self.fail("file.too_large",
                      detail=f"{entries} parts in the zip archive, more than {MAX_MEMBERS}")
        if cd_size > MAX_CENTRAL_DIRECTORY:
            self.fail("file.too_large", detail=f"zip directory of {_size(cd_size)}")
        fh.seek(0)
        try:
            zf = zipfile.ZipFile(fh)
        except _MALFORMED_ZIP as exc:
            self.fail("file.damaged", detail=_zip_error(exc))
        with zf:
            infos = zf.infolist()
            too_large = check_sizes(
                [MemberSize(i.filename, i.file_size, i.compress_size) for i in infos])
            if too_large:
                self.fail("file.too_large", detail=too_large)
            self._structure(fh, infos, getattr(zf, "start_dir", size))
            if any(i.flag_bits & 0x1 for i in infos):
                self.fail("file.encrypted")
            if self._zip_kind(zf, infos) == "ods":
                return self._ods(zf, infos)
            return self._ooxml(zf, infos)

    def _end_record(self, fh: BinaryIO, size: int) -> tuple[int, int]:
        """Entries and central-directory size from the end record, before zipfile.

        Finds the same record :mod:`zipfile` will use (the end record at the very end,
        else the last one in the final 64 KiB; then a zip64 record right before it), so
        the caps checked here bound what zipfile then reads.
        """
        tail_len = min(size, _ZIP_EOCD.size + 0xFFFF)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        pos = len(tail) - _ZIP_EOCD.size
        if pos < 0 or tail[pos:pos + 4] != b"PK\x05\x06" or tail[-2:] != b"\0\0":
            pos = tail.rfind(b"PK\x05\x06")
        if pos < 0 or pos + _ZIP_EOCD.size > len(tail):
            self.fail("file.damaged",
                      detail="the end of the zip archive is missing; the file is cut off")
        fields = _ZIP_EOCD.unpack_from(tail, pos)
        entries, cd_size = fields[4], fields[5]
        loc = pos - _ZIP64_LOCATOR.size
        if loc >= 0 and tail[loc:loc + 4] == b"PK\x06\x07":
            rec = loc - _ZIP64_EOCD.size
            if rec < 0:  # the zip64 record lies before the tail: read it
                start = size - tail_len + rec
                fh.seek(max(start, 0))
                record = fh.read(_ZIP64_EOCD.size) if start >= 0 else b""
            else:
                record = tail[rec:loc]
            if len(record) == _ZIP64_EOCD.size and record[:4] == b"PK\x06\x06":
                fields64 = _ZIP64_EOCD.unpack(record)
                entries, cd_size = fields64[7], fields64[8]
        return entries, cd_size

    def _zip_kind(self, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
        """``"ooxml"`` or ``"ods"`` from the member names, else refuse."""
        present = {i.filename for i in infos}
        if not present:
            self.fail("file.not_workbook", detail="empty zip archive")
        if "mimetype" in present:
            mimetype = self._read(zf, zf.getinfo("mimetype"), 256).strip()
            if mimetype == ODS_MIMETYPE:
                return "ods"
            self.fail("file.not_workbook", detail=_odf_kind(mimetype))
        if "[Content_Types].xml" in present:
            if "xl/workbook.xml" in present:
                return "ooxml"
            if "xl/workbook.bin" in present:
                self.fail("file.not_workbook", detail="Excel binary workbook (.xlsb)")
            if "word/document.xml" in present:
                self.fail("file.not_workbook", detail="Word document (.docx)")
            if "ppt/presentation.xml" in present:
                self.fail("file.not_workbook", detail="PowerPoint presentation (.pptx)")
            self.fail("file.not_workbook", detail="Office Open XML file without a workbook")
        if "content.xml" in present and "META-INF/manifest.xml" in present:
            self.fail("file.not_workbook", detail="OpenDocument file without a mimetype")
        self.fail("file.not_workbook", detail="zip archive without a workbook")

    def _structure(self, fh: BinaryIO, infos: list[zipfile.ZipInfo], cd_start: int) -> None:
        """No name twice; every member's local header where the directory says; no overlap.

        A name listed twice (even in another case) would let this check read one part and
        a spreadsheet library the other; overlapping members are a zip-bomb technique.
        """
        seen: set[str] = set()
        for info in infos:
            key = info.filename.lower()
            if key in seen:
                self.fail("file.damaged",
                          detail=f"the zip archive lists {_clean(info.filename)} twice")
            seen.add(key)
            if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
                self.fail("file.damaged",
                          detail=f"the sizes of {_clean(info.filename)} disagree")
        end = cd_start
        for info in sorted(infos, key=lambda i: i.header_offset, reverse=True):
            fh.seek(info.header_offset)
            raw = fh.read(_ZIP_LOCAL.size)
            if len(raw) < _ZIP_LOCAL.size or raw[:4] != b"PK\x03\x04":
                self.fail("file.damaged",
                          detail=f"the local header of {_clean(info.filename)} is missing")
            fields = _ZIP_LOCAL.unpack(raw)
            name_len, extra_len = fields[9], fields[10]
            if fh.read(name_len) != _zip_name_bytes(info):
                self.fail("file.damaged", detail=f"the local header of "
                          f"{_clean(info.filename)} does not match the zip directory")
            data_end = (info.header_offset + _ZIP_LOCAL.size + name_len + extra_len
                        + info.compress_size)
            if data_end > end:
                what = "is cut off" if end == cd_start else "overlaps another part"
                self.fail("file.damaged", detail=f"{_clean(info.filename)} {what}")
            end = info.header_offset

    def _ods(self, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
        by_name = {i.filename: i for i in infos}
        manifest = by_name.get("META-INF/manifest.xml")
        if manifest is not None and self._contains(zf, manifest, (b"encryption-data",),
                                                   MANIFEST_SCAN):
            self.fail("file.encrypted")
        if "content.xml" not in by_name:
            self.fail("file.damaged", detail="content.xml is missing")
        for name in ODS_XML_MEMBERS:
            if name in by_name:
                self._xml(zf, by_name[name], XML_PREFIX)
        return "ods"

    def _ooxml(self, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str:
        for info in infos:
            lower = info.filename.lower()
            if not lower.endswith((".xml", ".rels", ".vml")):
                continue
            is_sheet = lower.startswith("xl/worksheets/") and lower.count("/") == 2
            head = self._xml(zf, info, SHEET_PREFIX if is_sheet else XML_PREFIX)
            if is_sheet:
                self._dimension(info.filename, head)
            if lower == "xl/sharedstrings.xml":  # the part calamine reads them from
                self._shared_strings(info, head)
        macro = self._contains(zf, zf.getinfo("[Content_Types].xml"),
                               (b"macroenabled.main+xml",), CONTENT_TYPES_SCAN)
        if macro or self.path.suffix.lower() == ".xlsm":
            return "xlsm"
        return "xlsx"

    # --- members ----------------------------------------------------------------------
    def _read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
        """At most ``limit`` decompressed bytes from the start of a member."""
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            self.fail("file.damaged", detail=f"{_clean(info.filename)} uses an unsupported "
                      f"compression method ({info.compress_type})")
        try:
            with zf.open(info) as member:
                return member.read(limit)
        except _MALFORMED_OR_READ as exc:
            self.fail("file.damaged", detail=f"{_clean(info.filename)}: {_zip_error(exc)}")

    def _contains(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
                  needles: Iterable[bytes], limit: int) -> bool:
        """Whether the first ``limit`` decompressed bytes hold a needle (case-blind)."""
        needles = tuple(n.lower() for n in needles)
        keep = max(len(n) for n in needles) - 1
        try:
            with zf.open(info) as member:
                carry = b""
                seen = 0
                while seen < limit:
                    chunk = member.read(min(64 * KiB, limit - seen))
                    if not chunk:
                        return False
                    seen += len(chunk)
                    window = carry + chunk.lower()
                    if any(n in window for n in needles):
                        return True
                    carry = window[-keep:] if keep else b""
        except _MALFORMED_OR_READ as exc:
            self.fail("file.damaged", detail=f"{_clean(info.filename)}: {_zip_error(exc)}")
        return False

    def _xml(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
        """The member's first bytes, after refusing it if its prolog is not clean."""
        head = self._read(zf, info, limit)
        allowed = (LEGACY_ODF_MANIFEST_DOCTYPE,) if info.filename == "META-INF/manifest.xml" \
            else ()
        if not _clean_prolog(head, at_end=len(head) < limit, allowed=allowed):
            self.fail("file.unsafe_xml", member=_clean(info.filename))
        return head

    def _shared_strings(self, info: zipfile.ZipInfo, head: bytes) -> None:
        """Refuse a shared-strings part whose root declares more strings (``uniqueCount``,
        for which calamine reserves room first) than :func:`shared_strings_limit`."""
        _where, count = next(shared_string_counts(head), (0, 0))
        if count is None:
            self.fail("file.damaged", detail=f"the first tag of {_clean(info.filename)} "
                      f"is not whole within {_size(XML_PREFIX)}")
        if count > shared_strings_limit(info.file_size):
            self.fail("file.damaged",
                      detail=f"{_clean(info.filename)} declares {count} shared strings, "
                             f"more than its {_size(info.file_size)} can hold")

    def _dimension(self, member: str, head: bytes) -> None:
        at = head.find(b"dimension")
        m = _DIMENSION.search(head, max(0, at - 64), at + 256) if at >= 0 else None
        if not m:
            return
        ref = m.group(1).decode("latin-1").strip()
        for part in ref.split(":")[:2]:
            cell = _CELL.fullmatch(part.strip())
            if not cell:
                return
            letters, digits = cell.group(1).upper(), cell.group(2).lstrip("0") or "0"
            if len(letters) > 3 or len(digits) > 7 or int(digits) > EXCEL_MAX_ROWS \
                    or column_index(letters) >= EXCEL_MAX_COLS:
                self.fail("file.too_large",
                          detail=f"{_clean(member)} declares the range {_clean(ref, 40)}, "
                                 "beyond Excel's 1 048 576 rows and 16 384 columns "
                                 "(A1:XFD1048576)")


# --- XML prolog ---------------------------------------------------------------------------
def _clean_prolog(head: bytes, *, at_end: bool, allowed: Sequence[str] = ()) -> bool:
    """Whether an XML prefix reaches its root element with no DTD or entity before it.

    Only whitespace, the XML declaration, comments and processing instructions may come
    before the root element. A DOCTYPE, an ENTITY, any other ``<!`` markup, text, an
    encoding whose markup is not ASCII bytes, or a prolog longer than the prefix (a
    DOCTYPE hidden behind padding) all fail: the prefix cannot show the member is safe.
    """
    text = _decode_prefix(head)
    if text is None:
        return False
    for benign in allowed:
        text = text.replace(benign, "", 1)
    if _DTD.search(text):
        return False  # anywhere in the prefix: a DTD has no place in a workbook part
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return at_end  # an empty or all-prolog member is harmless; a long one is not
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return False
            decl = text[pos:end]
            if decl[2:5].lower() == "xml" and decl[5:6] in (" ", "\t", "\r", "\n", ""):
                enc = _ENCODING.search(decl)
                if enc and enc.group(1).strip().lower() not in SAFE_XML_ENCODINGS:
                    return False
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return False
            pos = end + 3
        else:
            # the root element, or else text or markup that has no place here
            return text.startswith("<", pos) and pos + 1 < n and _name_start(text[pos + 1])


def _decode_prefix(head: bytes) -> str | None:
    """The prefix as text for markup scanning, or None for an encoding we cannot see."""
    if head.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<",
                        b"<\x00\x00\x00")):
        return None  # UTF-32
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:].decode("latin-1")
    if head.startswith(b"\xff\xfe") or head.startswith(b"<\x00"):
        body = head[2:] if head.startswith(b"\xff\xfe") else head
        return body[: len(body) // 2 * 2].decode("utf-16-le", errors="replace")
    if head.startswith(b"\xfe\xff") or head.startswith(b"\x00<"):
        body = head[2:] if head.startswith(b"\xfe\xff") else head
        return body[: len(body) // 2 * 2].decode("utf-16-be", errors="replace")
    if head[:1] not in (b"<", b" ", b"\t", b"\r", b"\n", b""):
        return None  # not XML as any safe encoding writes it (EBCDIC, UTF-7, binary)
    return head.decode("latin-1")


def _name_start(ch: str) -> bool:
    return ch.isalpha() or ch in "_:" or ord(ch) > 0x7F


# --- OLE2 compound files ------------------------------------------------------------------
def _biff_filepass(head: bytes) -> bool:
    """Whether a Workbook stream starts with BOF then FILEPASS (an encrypted .xls)."""
    if len(head) < 8:
        return False
    rec, length = struct.unpack_from("<HH", head, 0)
    if rec not in (0x0809, 0x0409, 0x0209, 0x0009) or 4 + length + 2 > len(head):
        return False
    nxt, = struct.unpack_from("<H", head, 4 + length)
    return bool(nxt == 0x002F)


# --- small helpers --------------------------------------------------------------------
#: Exceptions that malformed bytes can raise while structures are decoded.
_MALFORMED: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, ValueError, OverflowError, IndexError,
    struct.error, UnicodeError, NotImplementedError,
)


_MALFORMED_ZIP: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, *_MALFORMED)
_MALFORMED_OR_READ: tuple[type[BaseException], ...] = (*_MALFORMED, OSError, RuntimeError)


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def shared_string_counts(data: bytes) -> Iterator[tuple[int, int | None]]:
    """``(where, count)`` for each shared-strings start tag in ``data``: the largest
    ``uniqueCount`` it declares (0 for none), or None when its attributes do not parse
    to the tag's end within 4 KiB."""
    for hit in _SST_NAME.finditer(data):
        at, count, end = hit.end(), 0, hit.end() + 4 * KiB
        while (attribute := _ATTRIBUTE.match(data, at, end)) is not None:
            at = attribute.end()
            if attribute.group(1) == b"uniqueCount":
                value = (attribute.group(2) or attribute.group(3) or b"").strip()
                if value.isdigit():  # anything else calamine cannot read as a count
                    digits = value.lstrip(b"0") or b"0"
                    count = max(count, int(digits) if len(digits) <= 20 else 10**20)
        yield hit.start(), count if _TAG_END.match(data, at, end) else None


def shared_strings_limit(size: int) -> int:
    """The most shared strings a part of ``size`` bytes may declare."""
    return min(MAX_SHARED_STRINGS, max(SHARED_STRINGS_FLOOR, size // MIN_SHARED_STRING_BYTES))


def unreadable(code: str, path: Path, **params: str) -> UnreadableWorkbook:
    """The exception for a file that cannot be read (the message names the file only)."""
    return UnreadableWorkbook(code, path, **params)


def _where(path: Path) -> dict[str, str]:
    """The absolute path looked at and the working folder, for ``file.not_found``: a
    notebook's working folder is its own, not the one the analyst thinks of."""
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = "?"
    return {"where": str(path.absolute()) if cwd != "?" else str(path), "cwd": cwd}


def _sniff(head: bytes) -> str:
    """What a non-workbook file looks like, in a few words (never its contents)."""
    signatures = (
        (b"%PDF", "PDF"), (b"{\\rtf", "RTF document"), (b"\x89PNG", "image"),
        (b"\xff\xd8\xff", "image"), (b"GIF8", "image"), (b"\x1f\x8b", "gzip archive"),
        (b"Rar!", "RAR archive"), (b"7z\xbc\xaf", "7-Zip archive"),
        (b"\x09\x00\x04\x00", "Excel 2-4 file"), (b"\x09\x02\x06\x00", "Excel 2-4 file"),
        (b"\x09\x04\x06\x00", "Excel 2-4 file"),
    )
    for magic, what in signatures:
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        text = head[2:].decode(codec, errors="replace")
    else:
        controls = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13))
        if b"\x00" in head or controls > len(head) // 100:
            return "unknown binary format"
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    start = text.lstrip().lower()
    if start.startswith(("<!doctype html", "<html")) or "<table" in start[:2048]:
        return "HTML, perhaps a web page saved as .xls"
    if start.startswith("<?xml") or start.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "Excel 2003 XML spreadsheet"
        return "XML file"
    first_line = start.split("\n", 1)[0]
    if any(sep in first_line for sep in (";", ",", "\t")):
        return "text file (CSV)"
    return "text file"


def _odf_kind(mimetype: bytes) -> str:
    kinds = {
        b"application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
        b"application/vnd.oasis.opendocument.presentation": "OpenDocument presentation (.odp)",
        b"application/vnd.oasis.opendocument.graphics": "OpenDocument drawing (.odg)",
        b"application/vnd.oasis.opendocument.spreadsheet-template":
            "OpenDocument spreadsheet template (.ots)",
        b"application/vnd.sun.xml.calc": "OpenOffice.org 1 spreadsheet (.sxc)",
        b"application/epub+zip": "e-book (.epub)",
    }
    return kinds.get(mimetype, "zip archive with an unknown mimetype")


def _zip_name_bytes(info: zipfile.ZipInfo) -> bytes:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return info.orig_filename.encode(encoding)
    except UnicodeEncodeError:
        return info.orig_filename.encode("utf-8", "surrogateescape")


def _zip_error(exc: BaseException) -> str:
    if isinstance(exc, zlib.error):
        return "corrupt compressed data"
    if isinstance(exc, EOFError):
        return "the compressed data ends early"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "Bad CRC" in text:
        return "checksum mismatch"
    if "File is not a zip file" in text:
        return "not a readable zip archive"
    return _clean(text, 80)


def _is_index_part(name: str) -> bool:
    return name in ("[Content_Types].xml", "xl/workbook.xml", "mimetype",
                    "META-INF/manifest.xml") or name.lower().endswith(".rels")


def _size(n: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def _clean(text: str, limit: int = 80) -> str:
    """A name from the file, safe to print: printable characters, length capped."""
    out = "".join(ch if ch.isprintable() else "?" for ch in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"
