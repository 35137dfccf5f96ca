"""Build the corpus of hostile and broken workbook files, all generated from code.

Importable (``build(outdir)`` returns what :func:`grantstats.reading.sniff.preflight` must say
about each file) and runnable (``python tests/corpus/build_corpus.py OUTDIR`` writes the
files and prints the table). No binary blob is stored: zips, OLE2 compound files and the
deflate streams of the bombs are written here with :mod:`zipfile`, :mod:`zlib` and
:mod:`struct`. Building takes a couple of seconds, most of it the CRC of the 4.5 GiB bomb.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import sys
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

MiB = 1 << 20
GiB = 1 << 30

SHEET_XML = "xl/worksheets/sheet1.xml"
SST_XML = "xl/sharedStrings.xml"
MAIN_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Expected:
    """What the pre-flight check must say about a corpus file.

    ``outcome`` is a message code (``"file.unsafe_xml"``…) or ``"ok"``, in which case
    ``format`` is the format it must return.
    """

    outcome: str
    format: str | None = None
    what: str = ""

    @property
    def hostile(self) -> bool:
        return self.outcome != "ok"


# --- genuine workbooks ---------------------------------------------------------------------
def xlsx_bytes() -> bytes:
    """A small valid workbook written by openpyxl (projects, grants, a text cell)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    ws = book.create_sheet("projekt")
    ws.append(["projekt_id", "namn"])
    ws.append(["P1", "Fritidsgården"])
    ws = book.create_sheet("beslut")
    ws.append(["projekt_id", "beslutsdatum", "belopp"])
    ws.append(["P1", dt.date(2009, 11, 5), 1_006_698])
    buf = io.BytesIO()
    book.save(buf)
    # openpyxl writes inline strings; Excel writes a shared-string table, which is the
    # part XML attacks usually replace, so add one (listed in the rels and content types).
    parts = members(buf.getvalue())
    parts[SST_XML] = (XML_DECL + f'<sst xmlns="{NS_MAIN}" count="2" uniqueCount="2">'
                      "<si><t>projekt_id</t></si><si><t>namn</t></si></sst>").encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        "</Relationships>")).encode()
    ct = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = ct.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')).encode()
    return rezip(parts)


def members(data: bytes) -> dict[str, bytes]:
    """The members of a zip, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(parts: dict[str, bytes], stored: Iterable[str] = ()) -> bytes:
    """A zip of ``parts`` (deflated, except the names in ``stored``)."""
    stored = set(stored)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, method)
    return buf.getvalue()


def with_parts(base: bytes, parts: dict[str, bytes]) -> bytes:
    """``base`` with ``parts`` replacing (or added to) its members."""
    return rezip({**members(base), **parts})


def ods_bytes(manifest_doctype: bool = False, content: bytes | None = None,
              manifest_extra: str = "", mimetype: bytes | None = None) -> bytes:
    """A minimal valid OpenDocument spreadsheet, written by hand (odfpy is not needed)."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    ns = (f'xmlns:office="{office}" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"')

    def cell(value: object) -> str:
        if isinstance(value, dt.date):
            return (f'<table:table-cell office:value-type="date" '
                    f'office:date-value="{value.isoformat()}"><text:p>{value}</text:p>'
                    '</table:table-cell>')
        if isinstance(value, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f'<text:p>{value}</text:p></table:table-cell>')
        return (f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
                '</table:table-cell>')

    def table(name: str, rows: list[list[object]]) -> str:
        body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>"
                       for r in rows)
        return f'<table:table table:name="{name}">{body}</table:table>'

    if content is None:
        content = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<office:document-content {ns}><office:body><office:spreadsheet>"
            + table("projekt", [["projekt_id", "namn"], ["P1", "Fritidsgården"]])
            + table("beslut", [["projekt_id", "beslutsdatum", "belopp"],
                               ["P1", dt.date(2009, 11, 5), 1006698]])
            + "</office:spreadsheet></office:body></office:document-content>"
        ).encode()
    doctype = ('<!DOCTYPE manifest:manifest PUBLIC "-//OpenOffice.org//DTD Manifest 1.0//EN" '
               '"Manifest.dtd">\n') if manifest_doctype else ""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + doctype
        + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"'
        + (f">{manifest_extra}</manifest:file-entry>" if manifest_extra else "/>")
        + '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    styles = f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ns}/>'
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ns}>'
            "<office:meta><meta:generator>grantstats corpus</meta:generator></office:meta>"
            "</office:document-meta>")
    return rezip({
        "mimetype": mimetype or b"application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": manifest.encode(),
        "content.xml": content,
        "styles.xml": styles.encode(),
        "meta.xml": meta.encode(),
    }, stored=["mimetype"])


# --- hostile XML -----------------------------------------------------------------------
def billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (XML_DECL + "<!DOCTYPE sst [\n" + "\n".join(ents) + "\n]>\n"
            f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
            ).encode()


def quadratic_blowup() -> bytes:
    entity = "a" * 100_000
    refs = "&a;" * 20_000
    return (XML_DECL + f'<!DOCTYPE worksheet [<!ENTITY a "{entity}">]>\n'
            f'<worksheet xmlns="{NS_MAIN}"><sheetData><row r="1">'
            f'<c r="A1" t="inlineStr"><is><t>{refs}</t></is></c></row></sheetData></worksheet>'
            ).encode()


def external_entity(root: str = "sst") -> bytes:
    return (XML_DECL + f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
            ).encode()


def rels_with_external_entity() -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return (XML_DECL + '<!DOCTYPE Relationships [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f'<Relationships xmlns="{ns}"><Relationship Id="rId1" '
            f'Type="{office}/worksheet" Target="&xxe;"/></Relationships>').encode()


def content_types_with_external_dtd(base: bytes) -> bytes:
    text = members(base)["[Content_Types].xml"].decode()
    decl_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    return (text[:decl_end] + '<!DOCTYPE Types SYSTEM "http://attacker.invalid/x.dtd">\n'
            + text[decl_end:]).encode()


def padded_doctype(padding: str) -> bytes:
    return (XML_DECL + padding
            + '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            + f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
            ).encode()


def utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")


def with_dimension(base: bytes, ref: str) -> bytes:
    parts = members(base)
    sheet = parts[SHEET_XML].decode()
    start = sheet.index("<dimension ref=\"") + len("<dimension ref=\"")
    end = sheet.index('"', start)
    parts[SHEET_XML] = (sheet[:start] + ref + sheet[end:]).encode()
    return rezip(parts)


def macro_content_types(base: bytes) -> bytes:
    parts = members(base)
    ct = parts["[Content_Types].xml"].decode()
    assert MAIN_CT in ct
    parts["[Content_Types].xml"] = ct.replace(MAIN_CT, MACRO_CT).encode()
    return rezip(parts)


# --- hand-made zips: bombs and broken structures ------------------------------------------
def _segment(data: bytes, final: bool = False) -> bytes:
    """Raw deflate of ``data`` ending on a byte boundary, so segments can be joined."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True)
class RawMember:
    """A member written by :func:`write_zip`: raw deflate data and its true sizes."""

    name: str
    deflated: bytes
    crc: int
    size: int


def raw_member(name: str, data: bytes) -> RawMember:
    return RawMember(name, _segment(data, final=True), zlib.crc32(data), len(data))


def repeated_member(name: str, head: bytes, unit: bytes, repeats: int,
                    tail: bytes) -> RawMember:
    """A member of ``head + unit * repeats + tail`` without ever holding it in memory.

    The unit is compressed once (a full flush makes the segment independent of what came
    before) and its compressed bytes repeated; the CRC is computed by streaming.
    """
    unit_z = _segment(unit)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    deflated = _segment(head) + unit_z * repeats + _segment(tail, final=True)
    return RawMember(name, deflated, crc, len(head) + len(unit) * repeats + len(tail))


def write_zip(parts: list[RawMember]) -> bytes:
    """A zip (with zip64 extras where sizes need them) of pre-compressed members."""
    out = bytearray()
    central = bytearray()
    for m in parts:
        offset = len(out)
        name = m.name.encode()
        big = m.size >= 0xFFFFFFFF or len(m.deflated) >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, m.size, len(m.deflated)) if big else b""
        usize, csize = (0xFFFFFFFF, 0xFFFFFFFF) if big else (m.size, len(m.deflated))
        version = 45 if big else 20
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", version, 0, 8, 0, 0x21,
                           m.crc, csize, usize, len(name), len(extra))
        out += name + extra + m.deflated
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 45, version, 0, 8, 0, 0x21,
                               m.crc, csize, usize, len(name), len(extra), 0, 0, 0, 0,
                               offset)
        central += name + extra
    cd_offset = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts),
                       len(central), cd_offset, 0)
    return bytes(out)


def bomb(base: bytes, sheet_size: int) -> bytes:
    """``base`` whose first sheet is well-formed XML padded with spaces to ``sheet_size``."""
    head = (XML_DECL + f'<worksheet xmlns="{NS_MAIN}"><dimension ref="A1"/><sheetData>').encode()
    tail = b"</sheetData></worksheet>"
    unit = b" " * MiB
    repeats = (sheet_size - len(head) - len(tail)) // len(unit)
    parts = [raw_member(n, d) for n, d in members(base).items() if n != SHEET_XML]
    parts.append(repeated_member(SHEET_XML, head, unit, repeats, tail))
    return write_zip(parts)


def spread_bomb(base: bytes, count: int, each: int) -> bytes:
    """Many members each just under the ratio floor, highly compressible together."""
    data = b" " * each
    z, crc = _segment(data, final=True), zlib.crc32(data)
    parts = [raw_member(n, d) for n, d in members(base).items()]
    parts += [RawMember(f"customXml/item{i}.xml", z, crc, each) for i in range(count)]
    return write_zip(parts)


def many_members(base: bytes, count: int) -> bytes:
    parts = members(base)
    parts.update({f"xl/media/image{i}.png": b"" for i in range(count)})
    return rezip(parts)


def lying_member_count(count: int) -> bytes:
    """``count`` empty members whose end record claims there is only one."""
    out, central = bytearray(), bytearray()
    for i in range(count):
        name = b"xl/media/image%d.png" % i
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0x21, 0, 0, 0,
                           len(name), 0) + name
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0,
                               len(name), 0, 0, 0, 0, 0, offset) + name
    cd_offset = len(out)
    return bytes(out + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1,
                                             len(central), cd_offset, 0))


def _local_offsets(data: bytes) -> dict[str, tuple[int, int]]:
    """Per member: offset of its local header and of its data."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            n, e = struct.unpack_from("<HH", data, info.header_offset + 26)
            out[info.filename] = (info.header_offset, info.header_offset + 30 + n + e)
    return out


def patch(data: bytes, at: int, new: bytes) -> bytes:
    return data[:at] + new + data[at + len(new):]


def zip_encrypted_flag(data: bytes) -> bytes:
    """Set the 'encrypted' flag bit of every member, local and central headers alike."""
    out = bytearray(data)
    for header, _ in _local_offsets(data).values():
        out[header + 6] |= 1
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        pos = zf.start_dir
    while out[pos:pos + 4] == b"PK\x01\x02":
        out[pos + 8] |= 1
        n, e, c = struct.unpack_from("<3H", out, pos + 28)
        pos += 46 + n + e + c
    return bytes(out)


def duplicate_member(base: bytes) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members(base).items():
                zf.writestr(name, data)
            zf.writestr(SST_XML, external_entity())
    return buf.getvalue()


# --- OLE2 compound files ------------------------------------------------------------------
def ole2(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE2 compound file (v3, 512-byte sectors) holding ``streams``.

    Streams are padded to the 4 096-byte mini-stream cutoff so that all live in regular
    sectors; the root storage lists them as a chain of right siblings in name order.
    """
    sector, end, free, fat_sect, nostream = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    n_dir = -(-(len(names) + 1) // 4)
    fat = [fat_sect] + [i + 2 for i in range(n_dir - 1)] + [end]
    starts = []
    for data in datas:
        count = -(-len(data) // sector)
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [end]
    if len(fat) > 128:
        raise ValueError("streams too large for a one-sector FAT")
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBB3L16sLQQLQ", raw, len(raw), kind, 1, nostream, right,
                           child, b"\0" * 16, 0, 0, 0, start, size)

    dirs = entry("Root Entry", 5, 1 if names else nostream, nostream, end, 0)
    for i, (name, data, start) in enumerate(zip(names, datas, starts, strict=True)):
        right = i + 2 if i + 1 < len(names) else nostream
        dirs += entry(name, 2, nostream, right, start, len(data))
    dirs = dirs.ljust(n_dir * sector, b"\0")
    header = struct.pack(
        "<8s16s5H6s9L", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE,
        9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, end, 0, end, 0,
    ) + struct.pack("<109L", 0, *([free] * 108))
    body = struct.pack("<128L", *fat) + dirs + b"".join(
        d.ljust(-(-len(d) // sector) * sector, b"\0") for d in datas)
    return header + body


def biff_workbook(encrypted: bool = False) -> bytes:
    """The start of a BIFF8 Workbook stream: BOF (globals), maybe FILEPASS, then EOF."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHLL", 0x0600, 0x0005, 0x1FAE,
                                                        0x07CD, 0x000100C1, 0x00000406)
    filepass = struct.pack("<HHH", 0x002F, 54, 1) + b"\x01\x00\x01\x00" + b"\x11" * 48
    return bof + (filepass if encrypted else b"") + struct.pack("<HH", 0x000A, 0)


def encrypted_ooxml() -> bytes:
    rng = random.Random(7)
    info = (struct.pack("<HHL", 4, 4, 0x40)
            + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
              b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
              b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
              b'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"'
              b' saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    package = struct.pack("<Q", 6000) + rng.randbytes(6000)
    return ole2({"EncryptionInfo": info, "EncryptedPackage": package})


# --- the corpus -------------------------------------------------------------------------
def build(outdir: Path) -> dict[str, Expected]:
    """Write every corpus file into ``outdir``; return the expected outcome per file name."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    base = xlsx_bytes()
    sst = members(base)[SST_XML].decode()
    rng = random.Random(1)
    files: dict[str, tuple[bytes | Callable[[Path], None], Expected]] = {
        # genuine
        "valid.xlsx": (base, Expected("ok", "xlsx", "openpyxl workbook")),
        "valid.xlsm": (macro_content_types(base),
                       Expected("ok", "xlsm", "macro-enabled content type")),
        "macro_content_named.xlsx": (macro_content_types(base),
                                     Expected("ok", "xlsm", "macro content type, .xlsx name")),
        "plain_content_named.xlsm": (base, Expected("ok", "xlsm", "plain content, .xlsm name")),
        "valid.ods": (ods_bytes(), Expected("ok", "ods", "hand-written ODS")),
        "legacy_manifest.ods": (ods_bytes(manifest_doctype=True),
                                Expected("ok", "ods", "OpenOffice.org 2 manifest DOCTYPE")),
        "utf16_clean.xlsx": (with_parts(base, {SST_XML: utf16(sst)}),
                             Expected("ok", "xlsx", "UTF-16 shared strings, no DTD")),
        "legacy.xls": (ole2({"Workbook": biff_workbook()}),
                       Expected("ok", "xls", "OLE2 with a Workbook stream")),
        # XML attacks
        "billion_laughs.xlsx": (with_parts(base, {SST_XML: billion_laughs()}),
                                Expected("file.unsafe_xml", what="nested entities")),
        "quadratic_blowup.xlsx": (with_parts(base, {SHEET_XML: quadratic_blowup()}),
                                  Expected("file.unsafe_xml", what="one big entity, many refs")),
        "external_entity.xlsx": (with_parts(base, {SST_XML: external_entity()}),
                                 Expected("file.unsafe_xml", what="SYSTEM file:///etc/passwd")),
        "external_entity_rels.xlsx": (
            with_parts(base, {"xl/_rels/workbook.xml.rels": rels_with_external_entity()}),
            Expected("file.unsafe_xml", what="entity in a .rels part")),
        "external_dtd.xlsx": (
            with_parts(base, {"[Content_Types].xml": content_types_with_external_dtd(base)}),
            Expected("file.unsafe_xml", what="external DTD in [Content_Types].xml")),
        "doctype_after_comment.xlsx": (
            with_parts(base, {SST_XML: padded_doctype("<!--" + "x" * 20_000 + "-->\n")}),
            Expected("file.unsafe_xml", what="DOCTYPE hidden after a 20 KB comment")),
        "doctype_after_whitespace.xlsx": (
            with_parts(base, {SST_XML: padded_doctype(" " * 20_000)}),
            Expected("file.unsafe_xml", what="DOCTYPE hidden after 20 KB of spaces")),
        "utf16_doctype.xlsx": (
            with_parts(base, {SST_XML: utf16(external_entity().decode())}),
            Expected("file.unsafe_xml", what="DOCTYPE in UTF-16")),
        "ods_external_entity.ods": (
            ods_bytes(content=external_entity("office:document-content")),
            Expected("file.unsafe_xml", what="entity in content.xml")),
        "duplicate_member.xlsx": (duplicate_member(base),
                                  Expected("file.damaged", what="sharedStrings listed twice")),
        # sizes
        "zip_bomb.xlsx": (lambda p: p.write_bytes(bomb(base, 4 * GiB + GiB // 2)),
                          Expected("file.too_large", what="sheet declared 4.5 GiB")),
        "ratio_bomb.xlsx": (lambda p: p.write_bytes(bomb(base, GiB)),
                            Expected("file.too_large", what="1 GiB sheet at ~1000:1")),
        "spread_bomb.xlsx": (lambda p: p.write_bytes(spread_bomb(base, 100, 15 * MiB)),
                             Expected("file.too_large", what="100 x 15 MiB parts at ~1000:1")),
        "many_members.xlsx": (lambda p: p.write_bytes(many_members(base, 5_001)),
                              Expected("file.too_large", what="5 001 extra members")),
        "lying_count.xlsx": (lying_member_count(12_000),
                             Expected("file.too_large", what="12 000 members, end record says 1")),
        "dimension_rows.xlsx": (with_dimension(base, "A1:E1048577"),
                                Expected("file.too_large", what="dimension past row 1048576")),
        "dimension_cols.xlsx": (with_dimension(base, "A1:XFE2"),
                                Expected("file.too_large", what="dimension past column XFD")),
        # encrypted
        "encrypted.xlsx": (encrypted_ooxml(),
                           Expected("file.encrypted", what="OLE2 EncryptionInfo/Package")),
        "encrypted.xls": (ole2({"Workbook": biff_workbook(encrypted=True)}),
                          Expected("file.encrypted", what="BIFF8 FILEPASS")),
        "zip_encrypted.xlsx": (zip_encrypted_flag(base),
                               Expected("file.encrypted", what="zip encryption flag")),
        "encrypted.ods": (
            ods_bytes(content=rng.randbytes(2000),
                      manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1"'
                                     ' manifest:checksum="AAAA"/>'),
            Expected("file.encrypted", what="ODF encryption-data")),
        # damaged
        "truncated.xlsx": (base[: len(base) // 2],
                           Expected("file.damaged", what="first half of a workbook")),
        "missing_local_header.xlsx": (
            patch(base, _local_offsets(base)[SHEET_XML][0], b"\0\0\0\0"),
            Expected("file.damaged", what="sheet's local header overwritten")),
        "corrupt_deflate.xlsx": (
            patch(base, _local_offsets(base)[SST_XML][1], b"\x07"),
            Expected("file.damaged", what="invalid deflate block")),
        # not workbooks
        "empty.xlsx": (b"", Expected("file.not_workbook", what="0 bytes")),
        "csv_renamed.xlsx": ("projekt_id;namn\nP1;Fritidsgården\n".encode("cp1252"),
                             Expected("file.not_workbook", what="CSV")),
        "pdf_renamed.xlsx": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                             Expected("file.not_workbook", what="PDF")),
        "web_export.xls": (b"<html><body><table><tr><td>P1</td></tr></table></body></html>",
                           Expected("file.not_workbook", what="HTML saved as .xls")),
        "random.xlsx": (rng.randbytes(3000), Expected("file.not_workbook", what="noise")),
        "document.xlsx": (rezip({"[Content_Types].xml": b"<Types/>",
                                 "word/document.xml": b"<w:document/>"}),
                          Expected("file.not_workbook", what="a .docx")),
        "text.ods": (ods_bytes(mimetype=b"application/vnd.oasis.opendocument.text"),
                     Expected("file.not_workbook", what="an .odt")),
        "plain.zip.xlsx": (rezip({"readme.txt": b"hello"}),
                           Expected("file.not_workbook", what="a zip of a text file")),
        "word97.xls": (ole2({"WordDocument": b"\xec\xa5" + b"\0" * 100}),
                       Expected("file.not_workbook", what="Word 97 document")),
        # the file system
        "~$budget.xlsx": (b"\x0dAnna Svensson".ljust(54, b" ") + "Anna Svensson".encode(
            "utf-16-le").ljust(108, b"\0"), Expected("file.lock", what="Excel's owner file")),
        "folder.xlsx": (lambda p: p.mkdir(exist_ok=True),
                        Expected("file.is_directory", what="a directory")),
    }
    for name, (content, _) in files.items():
        target = outdir / name
        if callable(content):
            content(target)
        else:
            target.write_bytes(content)
    return {name: expected for name, (_, expected) in files.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: build_corpus.py OUTDIR", file=sys.stderr)
        return 2
    outdir = Path(argv[1])
    for name, exp in build(outdir).items():
        size = (outdir / name).stat().st_size
        outcome = f"ok ({exp.format})" if exp.outcome == "ok" else exp.outcome
        print(f"{name:32} {size:>10,} B  {outcome:20} {exp.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
