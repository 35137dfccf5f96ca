"""The package calamine is handed: what Python's zipfile saw, and nothing else."""

from __future__ import annotations

import io
import warnings
import zipfile

from grantstats.reading import repack
from tests.corpus.build_corpus import ods_bytes, xlsx_bytes


def _repacked(data: bytes, kind: str) -> zipfile.ZipFile:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zipfile.ZipFile(io.BytesIO(repack.rebuild(data, repack.members(zf, kind))))


def test_every_xml_part_comes_through_byte_for_byte():
    data = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        expected = {name: zf.read(name) for name in zf.namelist()
                    if name.endswith((".xml", ".rels"))}
    out = _repacked(data, "xlsx")
    assert {name: out.read(name) for name in out.namelist()} == expected
    assert out.testzip() is None  # sizes and CRCs as declared


def test_compressed_bytes_are_copied_not_recompressed():
    data = xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.getinfo("xl/worksheets/sheet1.xml")
        payload_start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
        payload = data[payload_start:payload_start + sheet.compress_size]
    assert payload in repack.rebuild(data, [sheet])


def test_extra_fields_and_comments_are_left_behind():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("xl/workbook.xml")
        info.extra = b"\x75\x70\x05\x00\x01abcd"
        info.comment = b"a comment"
        zf.writestr(info, b"<workbook/>")
        zf.comment = b"archive comment"
    out = _repacked(buffer.getvalue(), "xlsx")
    (info,) = out.infolist()
    assert (info.extra, info.comment, out.comment) == (b"", b"", b"")
    assert out.read("xl/workbook.xml") == b"<workbook/>"


def test_of_two_members_with_one_name_the_one_python_reads_is_kept():
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        zf.writestr("xl/worksheets/sheet1.xml", b"<first/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<last/>")
    out = _repacked(buffer.getvalue(), "xlsx")
    assert out.namelist() == ["xl/worksheets/sheet1.xml"]
    assert out.read("xl/worksheets/sheet1.xml") == b"<last/>"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, part in parts.items():
            zf.writestr(name, part)
    return buffer.getvalue()


def test_an_xlsx_package_leaves_out_what_would_make_it_another_format():
    both = _zipped({**_parts(xlsx_bytes()), "content.xml": b"<x/>", "xl/workbook.bin": b"\0",
                    "xl/media/image1.png": b"\x89PNG"})
    names = set(_repacked(both, "xlsx").namelist())
    assert names.isdisjoint({"content.xml", "xl/workbook.bin", "xl/media/image1.png"})
    assert "xl/workbook.xml" in names


def test_an_ods_package_holds_only_the_opendocument_parts():
    parts = _parts(ods_bytes())
    both = _zipped({**parts, "xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"})
    assert set(_repacked(both, "ods").namelist()) == set(parts)
