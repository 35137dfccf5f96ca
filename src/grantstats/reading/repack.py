"""The zip package calamine is handed: rebuilt from what Python's :mod:`zipfile` sees.

A zip can be read two ways when it is crafted to be: two end-of-directory records, a
member name in a Unicode-path extra field that one reader honours and another ignores,
two members of one name. grantstats checks a workbook with :mod:`zipfile` and
:mod:`defusedxml`, but calamine (Rust) reads it with a zip reader of its own, so the
parts calamine reads must be the parts that were checked. This module writes a fresh
package of exactly those: each member's compressed bytes copied as they are (nothing
is decompressed again), under the name :mod:`zipfile` gave it, with one plain local
header, one central directory and one end record.

Only the parts a reader of the detected format needs are kept, so calamine, which
tells the format by the content, cannot read the package as another format than the
one that was checked (a zip holding both an .xlsx and an .ods, or an .xlsb workbook).
"""

from __future__ import annotations

import struct
import zipfile

#: The parts of an OpenDocument spreadsheet calamine may read (the rest, such as
#: pictures and thumbnails, are not values).
ODS_PARTS = frozenset({"mimetype", "content.xml", "styles.xml", "meta.xml", "settings.xml",
                       "META-INF/manifest.xml"})

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_NAME = 0x0800  # general-purpose flag: the name is UTF-8


def members(zf: zipfile.ZipFile, kind: str) -> list[zipfile.ZipInfo]:
    """The members calamine gets for a workbook of format ``kind``, in the zip's order.

    Of members with the same name the one :mod:`zipfile` reads (the last) is kept. For
    an .xlsx or .xlsm these are its XML parts (names ending in ``.xml`` or ``.rels``,
    in any case) except ``content.xml``, which would make it an .ods to calamine; for an
    .ods, :data:`ODS_PARTS`.
    """
    chosen = {info.filename: info for info in zf.infolist() if not info.is_dir()}
    if kind == "ods":
        return [info for name, info in chosen.items() if name in ODS_PARTS]
    return [info for name, info in chosen.items()
            if name.lower().endswith((".xml", ".rels")) and name.lower() != "content.xml"]


def rebuild(data: bytes, infos: list[zipfile.ZipInfo]) -> bytes:
    """A zip of ``infos`` (members of the zip ``data``) with their compressed bytes as
    they are, and nothing else: no extra fields, comments or data descriptors.

    Raises :class:`zipfile.BadZipFile` when a member's local header is not where the
    directory says (preflight refuses such files first).
    """
    out = bytearray()
    directory = bytearray()
    for info in infos:
        offset = info.header_offset
        header = data[offset:offset + _LOCAL.size]
        if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"no local header for {info.filename!r}")
        name_len, extra_len = _LOCAL.unpack(header)[9:11]
        start = offset + _LOCAL.size + name_len + extra_len
        payload = data[start:start + info.compress_size]
        if len(payload) != info.compress_size or max(info.file_size, len(payload)) >= 1 << 32:
            raise zipfile.BadZipFile(f"{info.filename!r} is cut off or too large")
        name = info.filename.encode("utf-8")
        flags = (info.flag_bits & 0x0006) | _UTF8_NAME  # deflate level bits, UTF-8 name
        date, time = _dos_date_time(info.date_time)
        fields = (20, flags, info.compress_type, time, date, info.CRC, len(payload),
                  info.file_size, len(name))
        directory += _CENTRAL.pack(b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, len(out))
        directory += name
        out += _LOCAL.pack(b"PK\x03\x04", *fields, 0) + name + payload
    end = _END.pack(b"PK\x05\x06", 0, 0, len(infos), len(infos), len(directory), len(out), 0)
    return bytes(out + directory + end)


def _dos_date_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    date = (max(year, 1980) - 1980) << 9 | month << 5 | day
    return date & 0xFFFF, (hour << 11 | minute << 5 | second // 2) & 0xFFFF
