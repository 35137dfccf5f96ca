"""Reading raw cells, and what hostile or odd files end as.

The far-apart, bomb-like and trick files here used to be measured before calamine
read them; now calamine reads them in the sandbox's child, and what matters is the end:
one clear problem, in bounded time and memory, and this process (pytest's) alive.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grantstats import UnreadableWorkbook, WorkbookError, load
from grantstats.reading.cells import read_workbook
from grantstats.reading.refs import column_letter
from tests.corpus.build_corpus import ods_bytes, ole2


def _without_dimension(src: Path, dst: Path) -> Path:
    """A copy of an xlsx whose sheets do not declare their dimension (it may lie anyway)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            zout.writestr(item, data)
    return dst


@pytest.fixture
def far_apart(tmp_path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "kostnader"
    ws["A1"] = "projekt_id"
    ws["XFD1048576"] = 1
    book.save(tmp_path / "raw.xlsx")
    return _without_dimension(tmp_path / "raw.xlsx", tmp_path / "far.xlsx")


def test_far_apart_cells_are_refused_as_too_large_and_the_caller_lives_on(far_apart):
    with pytest.raises(UnreadableWorkbook) as info:
        load(far_apart)
    (problem,) = info.value.problems
    assert problem.code == "file.too_large"
    assert "minne" in problem.format("sv") and "memory" in problem.format("en")
    assert "Ctrl+End" in problem.format("sv")


@pytest.mark.parametrize("backtrace", ["0", "1", "full"])
def test_far_apart_cells_give_one_clear_line_and_leave_nothing_behind(far_apart, tmp_path,
                                                                       backtrace):
    """Under a 1 GB limit, with or without RUST_BACKTRACE: one Swedish line, exit 2, no
    Rust text, no traceback, no temporary file and no process left."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "RUST_BACKTRACE": backtrace, "TMPDIR": str(temp),
           "GRANTSTATS_MEMORY_LIMIT_MB": "1024"}
    result = subprocess.run([sys.executable, "-m", "grantstats", "check", str(far_apart)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("filen far.xlsx är orimligt stor för en arbetsbok")
    for rust in ("panicked", "memory allocation", "backtrace", "Traceback", "SIGABRT\n"):
        assert rust not in result.stderr
    assert list(temp.iterdir()) == []


#: Spellings of a far reference that calamine accepts (XML allows them; calamine reads
#: column letters in any case): each must be refused as the plain one is.
FAR_SPELLINGS = {
    "single quotes": (b'r="XFD1048576"', b"r='XFD1048576'"),
    "tab before r": (b' r="XFD1048576"', b'\tr="XFD1048576"'),
    "newline before r": (b' r="XFD1048576"', b'\nr="XFD1048576"'),
    "spaces around =": (b'r="XFD1048576"', b'r = "XFD1048576"'),
    "lower case": (b'r="XFD1048576"', b'r="xfd1048576"'),
    "mixed case": (b'r="XFD1048576"', b'r="XfD1048576"'),
    "four letters": (b'r="XFD1048576"', b'r="AXFD1048576"'),
    "no space before r": (b'<c r="XFD1048576"', b'<c t="n"r="XFD1048576"'),
    # a cell's r places that cell only: the cells after it stay in the far row
    "a reference naming another row": (b'<c r="XFD1048576"', b'<c r="A1"/>' + b"<c/>" * 60
                                       + b"<c"),
    # no references: calamine puts each cell after the one before, 16 385 columns out
    "placed by counting": (b'<c r="XFD1048576"', b'<c r="A1048576"/>' + b"<c/>" * 16384
                           + b"<c"),
    "zero-padded row": (b'r="XFD1048576"', b'r="XFD0001048576"'),
    # a megabyte of spaces between r and =: the name and the value fall in different
    # chunks of the streaming scan
    "long whitespace": (b' r="XFD1048576"', b" r" + b" " * (1 << 20) + b'="XFD1048576"'),
    # calamine takes the last r of a tag and ignores R
    "upper-case R before r": (b'<c r="XFD1048576"', b'<c R="A1" r="XFD1048576"'),
    "a second r": (b'<c r="XFD1048576"', b'<c r="A1" r="XFD1048576"'),
    "a second r without a space": (b'<c r="XFD1048576"', b'<c r="A1"r="XFD1048576"'),
    "a second r in other quotes": (b'<c r="XFD1048576"', b"<c r='A1' t=\"n\" r=\"XFD1048576\""),
    # cells with only R are placed by counting: 40 columns of the last row
    "upper-case R only": (b'<c r="XFD1048576"', b'<c R="A1"/>' * 40 + b'<c R="A1"'),
    # a quote of the other kind inside a value: the tag does not end at its '>'
    "mixed quotes": (b'<c r="XFD1048576"', b'<c r="A1" a=\'x">\' r="XFD1048576"'),
    # calamine's parser takes what follows a name's first colon as its local name
    "an empty prefix": (b'<c r="XFD1048576"', b'<:c r="XFD1048576"'),
    "a prefix with a quote": (b'<c r="XFD1048576"', b'<a"b:c r="XFD1048576"'),
    "a prefix with a slash and =": (b'<c r="XFD1048576"', b'<a/=b:c r="XFD1048576"'),
    # a zero-padded reference that a 1 MiB chunk of the scan ends in the middle of
    "split by a chunk": (b'<c r="XFD1048576"', lambda at: (
        b"<!--" + b"x" * ((1 << 20) - 20 - at - 7) + b'-->\n<c r="XFD' + b"0" * 300
        + b'1048576"')),
}


def _respelled(src: Path, dst: Path, old: bytes, new: bytes | Callable[[int], bytes]) -> Path:
    """A copy of ``src`` with ``old`` written as ``new`` in the sheet that has it
    (``new(offset)`` when it depends on where ``old`` is)."""
    replaced = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and old in data:
                text = new(data.index(old)) if callable(new) else new
                data, replaced = data.replace(old, text), replaced + 1
            zout.writestr(item, data)
    assert replaced == 1
    return dst


#: How a hostile file may end: refused as too large, or (not well-formed XML, a reader's
#: error, a crash) as damaged.
REFUSED = {"file.too_large", "file.damaged", "file.legacy_xls"}


def _refusals(paths: list[Path]) -> list[str]:
    """How :func:`grantstats.load` ends on each file, in this process: ``read``, the
    code of its one problem when it is unreadable, or ``problems`` (it was read, and
    the contract found problems). If the sandbox let calamine abort or allocate here,
    pytest itself would die."""
    outcomes = []
    for path in paths:
        try:
            load(path, cache=False)
            outcomes.append("read")
        except UnreadableWorkbook as exc:
            assert len(exc.problems) == 1, exc.problems
            outcomes.append(exc.problems[0].code)
        except WorkbookError:
            outcomes.append("problems")
    return outcomes


def test_every_spelling_of_a_far_reference_is_refused(far_apart, tmp_path):
    paths = [_respelled(far_apart, tmp_path / f"far-{i}.xlsx", old, new)
             for i, (old, new) in enumerate(FAR_SPELLINGS.values())]
    outcomes = dict(zip(FAR_SPELLINGS, _refusals(paths), strict=True))
    assert {k: v for k, v in outcomes.items() if v not in REFUSED} == {}


_MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = b"http://schemas.openxmlformats.org/package/2006/relationships"
#: Ways of naming the far-apart sheet that calamine follows: (member, old, new).
SHEET_NAMINGS = {
    "Strict Open XML namespaces": [
        ("xl/workbook.xml", _MAIN_NS, b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
        ("xl/workbook.xml", _REL_NS, b"http://purl.oclc.org/ooxml/officeDocument/relationships")],
    "relationships in another namespace": [("xl/_rels/workbook.xml.rels", _PKG_NS, b"urn:x")],
    "r:id bound to another namespace": [("xl/workbook.xml", _REL_NS, b"urn:other")],
    "a target in other case": [("xl/_rels/workbook.xml.rels", b"/xl/worksheets/sheet1.xml",
                                b"worksheets/SHEET1.xml")],
    "an absolute target in other case": [("xl/_rels/workbook.xml.rels",
                                          b"/xl/worksheets/sheet1.xml",
                                          b"/XL/Worksheets/Sheet1.xml")],
    # calamine keeps the last relationship of an id, and takes a target literally
    "an id given twice": [("xl/_rels/workbook.xml.rels", b"<Relationship ",
                           b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                           b'officeDocument/2006/relationships/worksheet" '
                           b'Target="worksheets/sheet9.xml"/><Relationship ')],
    "a target through ./": [("xl/_rels/workbook.xml.rels", b"/xl/worksheets/sheet1.xml",
                             b"./worksheets/sheet1.xml")],
    "a part no relationship names": [("xl/_rels/workbook.xml.rels",
                                      b"/xl/worksheets/sheet1.xml", b"worksheets/sheet9.xml")],
    "a second sheet of the same name": [
        ("xl/workbook.xml", b"</sheets>",
         b'<sheet name="kostnader" sheetId="9" r:id="rId9"/></sheets>'),
        ("xl/_rels/workbook.xml.rels", b"</Relationships>",
         b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/'
         b'2006/relationships/worksheet" Target="worksheets/sheet9.xml"/></Relationships>')],
}


def _renamed(src: Path, dst: Path, changes: list[tuple[str, bytes, bytes]]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            for member, old, new in changes:
                if item.filename == member:
                    assert old in data, (member, old)
                    data = data.replace(old, new)
            zout.writestr(item, data)
        if any(b"sheet9" in new for _m, _o, new in changes):  # the benign second one
            zout.writestr("xl/worksheets/sheet9.xml", zin.read("xl/worksheets/sheet1.xml")
                          .replace(b'<c r="XFD1048576"', b'<c r="B1"'))
    return dst


def test_a_far_sheet_ends_cleanly_however_the_workbook_names_its_part(far_apart, tmp_path):
    """calamine finds a sheet's XML by local names, and members regardless of case:
    whichever part it then reads, the end is a refusal or the contract's problems."""
    paths = [_renamed(far_apart, tmp_path / f"named-{i}.xlsx", changes)
             for i, changes in enumerate(SHEET_NAMINGS.values())]
    outcomes = dict(zip(SHEET_NAMINGS, _refusals(paths), strict=True))
    assert {k: v for k, v in outcomes.items() if v not in {*REFUSED, "problems"}} == {}


def _unicode_path_extra(header_name: str, name: str) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075) naming a member ``name`` instead of
    ``header_name``: Rust's zip reader honours it, Python's ignores it."""
    import zlib

    body = b"\x01" + zlib.crc32(header_name.encode()).to_bytes(4, "little") + name.encode()
    return (0x7075).to_bytes(2, "little") + len(body).to_bytes(2, "little") + body


def test_a_far_sheet_hidden_under_a_name_in_an_extra_field_ends_cleanly(far_apart, tmp_path):
    """The far sheet hides under another name with its real one in a Unicode-path
    field (Rust's zip reader honours it, Python's ignores it), after a benign one."""
    path = tmp_path / "extra.xlsx"
    with zipfile.ZipFile(far_apart) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                zout.writestr(item, data.replace(b'<c r="XFD1048576"', b'<c r="B1"'))
                hidden = zipfile.ZipInfo("xl/media/image1.png", item.date_time)
                hidden.extra = _unicode_path_extra(hidden.filename, "xl/worksheets/sheet1.xml")
                zout.writestr(hidden, data)
            else:
                zout.writestr(item, data)
    assert _refusals([path])[0] in {*REFUSED, "problems"}


def test_a_zip_that_is_also_an_xlsx_ends_cleanly(far_apart, tmp_path):
    """calamine tells the format by the content and tries .xlsx first."""
    path = tmp_path / "both.ods"
    with zipfile.ZipFile(far_apart) as zin, zipfile.ZipFile(path, "w") as zout:
        zout.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        with zipfile.ZipFile(__import__("io").BytesIO(ods_bytes())) as ods:
            for item in ods.infolist():
                if item.filename != "mimetype":
                    zout.writestr(item, ods.read(item.filename))
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
    assert _refusals([path])[0] in {*REFUSED, "problems"}


def test_an_unlisted_xml_part_with_a_far_cell_is_not_read(far_apart, tmp_path):
    """A part no sheet names is no sheet: the workbook is read without it."""
    path = _renamed(far_apart, tmp_path / "unlisted.xlsx", [(
        "xl/_rels/workbook.xml.rels", b"/xl/worksheets/sheet1.xml", b"worksheets/sheet9.xml")])
    assert [s.name for s in read_workbook(path, "xlsx").sheets] == ["kostnader"]


def test_a_sheet_name_with_a_line_break_keeps_its_cell_facts(write_xlsx, minimal, tmp_path):
    """An XML parser reads a line break in an attribute as a space, calamine keeps it;
    the formulas of such a sheet must still be found."""
    def formula(book):
        book["beslut"]["D2"] = "=1+1"

    path = write_xlsx(minimal, edit=formula)
    fixed = _renamed(path, tmp_path / "break.xlsx", [
        ("xl/workbook.xml", b'name="beslut"', b'name="bes\nlut"')])
    raw = read_workbook(fixed, "xlsx")
    assert [s.formulas for s in raw.sheets if s.name == "bes\nlut"] == [{(1, 3)}]


#: The near columns the fast pass clears (Excel's last row × 38 columns fits MAX_CELLS).
PLACEMENTS = {
    "a reference naming another row":
        b'<row r="5"><c r="A1"><v>1</v></c><c><v>2</v></c></row>',
    "nested rows":
        b'<row r="1"><c r="C1"><v>1</v></c><row r="3"><c><v>2</v></c></row></row>',
    "cells outside rows":
        b'<row r="2"><c r="B2"><v>1</v></c></row><c><v>3</v></c><c><v>4</v></c>',
    "a row without r after one with":
        b'<row r="3"><c r="B3"><v>1</v></c></row><row><c><v>2</v></c></row>',
}


@pytest.mark.parametrize("data", PLACEMENTS.values(), ids=PLACEMENTS.keys())
def test_cells_are_placed_where_calamine_puts_them(tmp_path, data):
    import io

    import python_calamine

    from grantstats.reading.cells import _placed

    book = openpyxl.Workbook()
    book.active["A1"] = 0
    book.save(tmp_path / "one.xlsx")
    with zipfile.ZipFile(tmp_path / "one.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    old = re.search(rb"<sheetData>.*</sheetData>", sheet).group(0)
    path = _respelled(tmp_path / "one.xlsx", tmp_path / "placed.xlsx", old,
                      b"<sheetData>" + data + b"</sheetData>")
    with zipfile.ZipFile(path) as zf:
        stream = io.BytesIO(zf.read("xl/worksheets/sheet1.xml"))
        placed = {(r, c) for name, r, c, _ in _placed(stream) if name == "c"}
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    filled = {(r, c) for r, row in enumerate(grid.to_python(skip_empty_area=False))
              for c, value in enumerate(row) if value != ""}
    assert placed == filled


def _cell_xml(ref: tuple[int, int] | None, value: int) -> str:
    where = f' r="{column_letter(ref[1])}{ref[0] + 1}"' if ref else ""
    return f"<c{where}><v>{value}</v></c>"


_CELLS = st.lists(st.one_of(st.none(), st.tuples(st.integers(0, 12), st.integers(0, 8))),
                  max_size=4)
_ROWS = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 12)), _CELLS, st.booleans()),
                 max_size=5)


@settings(max_examples=60)
@given(rows=_ROWS, loose=_CELLS)
def test_placement_agrees_with_calamine_on_any_small_sheet(tmp_path_factory, rows, loose):
    """Rows with or without r (some holding a nested row), cells with or without r,
    and cells after the last row: every cell lands where calamine puts it."""
    import io

    import python_calamine

    from grantstats.reading.cells import _placed

    value = iter(range(1, 1000))
    parts = []
    for row_ref, cells, nested in rows:
        parts.append(f'<row r="{row_ref + 1}">' if row_ref is not None else "<row>")
        parts += [_cell_xml(ref, next(value)) for ref in cells]
        if nested:
            parts.append(f"<row>{_cell_xml(None, next(value))}</row>")
        parts.append("</row>")
    parts += [_cell_xml(ref, next(value)) for ref in loose]
    data = ("<sheetData>" + "".join(parts) + "</sheetData>").encode()
    folder = tmp_path_factory.mktemp("placed")
    book = openpyxl.Workbook()
    book.active["A1"] = 0
    book.save(folder / "one.xlsx")
    with zipfile.ZipFile(folder / "one.xlsx") as zf:
        old = re.search(rb"<sheetData>.*</sheetData>",
                        zf.read("xl/worksheets/sheet1.xml")).group(0)
    path = _respelled(folder / "one.xlsx", folder / "placed.xlsx", old, data)
    with zipfile.ZipFile(path) as zf:
        stream = io.BytesIO(zf.read("xl/worksheets/sheet1.xml"))
        ours = {}
        for name, r, c, elem in _placed(stream):
            if name == "c":
                ours[(r, c)] = float(elem.findtext("{*}v"))
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    theirs = {(r, c): v for r, row in enumerate(grid.to_python(skip_empty_area=False))
              for c, v in enumerate(row) if v != ""}
    assert ours == theirs


@pytest.mark.parametrize("spelling", [
    b"<c r='C2' t = 'e'><v>#REF!</v></c>",  # quotes and spaces XML allows
    b'<c r="c2" t="e"><v>#REF!</v></c>',  # a lower-case reference
    b'<c t="e"><v>#REF!</v></c>',  # no reference: the cell after B2
])
def test_an_error_cell_is_found_however_it_is_spelled(write_xlsx, minimal, tmp_path, spelling):
    src = write_xlsx(minimal)
    with zipfile.ZipFile(src) as zin:
        sheet = zin.read("xl/worksheets/sheet2.xml")
    cell = re.search(rb'<c r="C2"[^>]*>.*?</c>', sheet).group(0)
    path = _respelled(src, tmp_path / "err.xlsx", cell, spelling)
    with pytest.raises(WorkbookError) as info:
        load(path)
    assert ("cell.error_value", "beslut", "C2") in {
        (p.code, p.sheet, p.cell) for p in info.value.problems}


def test_an_ods_named_xlsx_is_read_by_its_content(tmp_path):
    path = tmp_path / "egentligen-ods.xlsx"
    path.write_bytes(ods_bytes())
    wb = load(path)
    assert wb.tables["grants"]["amount"].tolist() == [1_006_698.0]


def test_ods_with_a_huge_repeated_filled_row_is_refused(tmp_path):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
               '<office:body><office:spreadsheet><table:table table:name="kostnader">'
               '<table:table-row table:number-rows-repeated="1048576">'
               '<table:table-cell table:number-columns-repeated="90" '
               'office:value-type="float" office:value="1"><text:p>1</text:p>'
               "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
               "</office:body></office:document-content>").encode()
    path = tmp_path / "bomb.ods"
    path.write_bytes(ods_bytes(content=content))
    assert _refusals([path]) == ["file.too_large"]


def test_ods_trailing_empty_repeats_are_not_counted(tmp_path):
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    def row(*cells):
        return ("<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p>'
            "</table:table-cell>" for c in cells)
            + '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
               '<office:body><office:spreadsheet><table:table table:name="projekt">'
               + row("projekt_id", "namn") + row("P1", "Ett")
               + '<table:table-row table:number-rows-repeated="1048574">'
               '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
               '</table:table><table:table table:name="beslut">'
               + row("projekt_id", "beslutsdatum", "belopp") + row("P1", "2020-01-01", "5 tkr")
               + "</table:table></office:spreadsheet></office:body>"
               "</office:document-content>").encode()
    path = tmp_path / "libreoffice.ods"
    path.write_bytes(ods_bytes(content=content))
    assert load(path).tables["grants"]["amount"].tolist() == [5000.0]


@pytest.mark.parametrize(("encoding", "declared", "named"), [
    ("utf-16", "UTF-16", "UTF-16"),
    ("utf-16-le", "UTF-16", "UTF-16"),
    ("utf-16-le", "UTF-16-LE", "UTF-16"),  # (no byte-order mark; was called unsafe XML)
    ("latin-1", "ISO-8859-1", "ISO-8859-1"),  # with "Lön" in it: not ASCII
])
def test_a_sheet_not_in_utf8_is_refused_by_name(write_xlsx, minimal, tmp_path, encoding,
                                                declared, named):
    """calamine reads only UTF-8: such a sheet came back empty or as 'damaged'."""
    minimal["beslut"][0].append("Lön")
    src = write_xlsx(minimal)
    with zipfile.ZipFile(src) as zin:
        sheet = zin.read("xl/worksheets/sheet2.xml").decode()
    sheet = re.sub(r"<\?xml[^>]*\?>", "", sheet)
    # openpyxl writes "ö" as "&#246;" when lxml is installed (python-docx needs it): the
    # sheet must hold the letter itself to be something other than ASCII
    sheet = sheet.replace("&#246;", "ö")
    text = f'<?xml version="1.0" encoding="{declared}"?>{sheet}'.encode(encoding)
    path = _respelled(src, tmp_path / "encoded.xlsx",
                      zipfile.ZipFile(src).read("xl/worksheets/sheet2.xml"), text)
    with pytest.raises(UnreadableWorkbook) as info:
        load(path)
    problem = info.value.problems[0]
    assert problem.code == "file.sheet_encoding"
    assert (problem.params["sheet"], problem.params["encoding"]) == ("beslut", named)


def test_a_utf8_sheet_with_a_byte_order_mark_is_read(write_xlsx, minimal, tmp_path):
    src = write_xlsx(minimal)
    old = zipfile.ZipFile(src).read("xl/worksheets/sheet2.xml")
    path = _respelled(src, tmp_path / "bom.xlsx", old, b"\xef\xbb\xbf" + old)
    assert load(path).tables["grants"]["amount"].tolist() == [100000.0]


def test_another_part_not_in_utf8_is_refused_by_its_name(write_xlsx, minimal, tmp_path):
    src = write_xlsx(minimal)
    styles = zipfile.ZipFile(src).read("xl/styles.xml")
    path = _respelled_part(src, tmp_path / "styles.xlsx", "xl/styles.xml",
                           styles.decode().encode("utf-16"))
    with pytest.raises(UnreadableWorkbook) as info:
        load(path)
    problem = info.value.problems[0]
    assert (problem.code, problem.params["part"]) == ("file.part_encoding", "xl/styles.xml")


def _respelled_part(src: Path, dst: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == member else zin.read(item.filename))
    return dst


def test_a_part_calamine_does_not_read_may_be_in_any_encoding(write_xlsx, minimal, tmp_path):
    src = write_xlsx(minimal)
    path = tmp_path / "sharepoint.xlsx"
    shutil.copy(src, path)
    with zipfile.ZipFile(path, "a") as zf:  # SharePoint's metadata, as some servers write it
        zf.writestr("customXml/item1.xml",
                    '<?xml version="1.0" encoding="utf-16"?><root/>'.encode("utf-16"))
    assert load(path).tables["grants"]["amount"].tolist() == [100000.0]


def test_a_sheet_declared_in_an_8_bit_encoding_but_all_ascii_is_read(write_xlsx, minimal,
                                                                     tmp_path):
    src = write_xlsx(minimal)
    sheet = zipfile.ZipFile(src).read("xl/worksheets/sheet2.xml")
    text = re.sub(rb"<\?xml[^>]*\?>", b"", sheet)
    path = _respelled(src, tmp_path / "cp1252.xlsx", sheet,
                      b'<?xml version="1.0" encoding="windows-1252"?>' + text)
    assert load(path).tables["grants"]["amount"].tolist() == [100000.0]


def test_a_workbook_part_in_latin_1_with_a_non_ascii_name_is_refused_by_its_name(
        write_xlsx, minimal, tmp_path):
    """calamine reads an 8-bit part only while it is ASCII; whatever it says then, the
    user hears which part is in which encoding."""
    src = write_xlsx({**minimal, "kostnader": [["projekt_id"]]})
    workbook = zipfile.ZipFile(src).read("xl/workbook.xml")
    text = re.sub(rb"<\?xml[^>]*\?>", b"", workbook).replace(b'name="kostnader"',
                                                             'name="lön"'.encode("latin-1"))
    path = _respelled_part(src, tmp_path / "latin1.xlsx", "xl/workbook.xml",
                           b'<?xml version="1.0" encoding="ISO-8859-1"?>' + text)
    with pytest.raises(UnreadableWorkbook) as info:
        load(path)
    problem = info.value.problems[0]
    assert (problem.code, problem.params["part"]) == ("file.part_encoding", "xl/workbook.xml")


def _biff_record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _xls(row: int, col: int, dims: tuple[int, int] | None = None, *, listed: int = 1,
         hidden: bool = False) -> bytes:
    """A BIFF8 .xls with one sheet, kostnader, holding 1 in A1 and 2 at (row, col),
    whose DIMENSIONS record declares ``dims`` (rows, columns) or the cells' extent; the
    globals list it ``listed`` times, and with ``hidden`` its records are the body of
    an unknown record of the globals (where only a reader that follows BOUNDSHEET's
    offset finds them)."""
    def bof(kind: int) -> bytes:
        return _biff_record(0x0809, struct.pack("<HHHHLL", 0x0600, kind, 0x1FAE, 0x07CD,
                                                 0x000100C1, 0x00000406))

    name = b"kostnader"
    rows, cols = dims or (row + 1, col + 1)
    sheet = bof(0x0010) + _biff_record(0x0200, struct.pack("<LLHHH", 0, rows, 0, cols, 0))
    sheet += _biff_record(0x0203, struct.pack("<HHHd", 0, 0, 15, 1.0))
    sheet += _biff_record(0x0203, struct.pack("<HHHd", row, col, 15, 2.0))
    sheet += _biff_record(0x000A, b"")
    globals_ = bof(0x0005)
    # after the BOUNDSHEETs and a record header (the globals' EOF, or the hiding record)
    sheet_at = len(globals_) + listed * (4 + 8 + len(name)) + 4
    for _ in range(listed):
        globals_ += _biff_record(0x0085, struct.pack("<LHBB", sheet_at, 0, len(name), 0)
                                 + name)
    if hidden:
        return ole2({"Workbook": globals_ + _biff_record(0x00EF, sheet)
                     + _biff_record(0x000A, b"")})
    return ole2({"Workbook": globals_ + _biff_record(0x000A, b"") + sheet})


def test_a_legacy_xls_cell_beyond_the_formats_grid_ends_cleanly(tmp_path):
    paths = []
    for name, data in {"near": _xls(3, 2), "far column": _xls(3, 60_000),
                       "far dimensions": _xls(3, 2, dims=(70_000_000, 200))}.items():
        paths.append(tmp_path / f"{name}.xls")
        paths[-1].write_bytes(data)
    near, *far = _refusals(paths)
    assert near == "problems"  # read: a kostnader sheet without its headers
    assert set(far) <= {*REFUSED, "problems"}


def test_legacy_xls_sheets_hidden_or_listed_again_end_cleanly(tmp_path):
    cases = {"hidden in a record": _xls(3, 16_000, hidden=True),
             "listed three times": _xls(65_535, 255, listed=3),
             "hidden, near": _xls(3, 2, hidden=True)}
    paths = []
    for name, data in cases.items():
        paths.append(tmp_path / f"{name}.xls")
        paths[-1].write_bytes(data)
    assert set(_refusals(paths)) <= {*REFUSED, "problems"}
    assert read_workbook(paths[2], "xls").sheets[0].rows[3][2] == 2.0


def test_a_legacy_xls_within_the_grid_reads_its_cells(tmp_path):
    path = tmp_path / "near.xls"
    path.write_bytes(_xls(3, 2))
    rows = read_workbook(path, "xls").sheets[0].rows
    assert rows[0][0] == 1.0 and rows[3][2] == 2.0


def test_an_ods_asking_for_billions_of_spaces_is_refused(tmp_path):
    content = ods_bytes()
    with zipfile.ZipFile(__import__("io").BytesIO(content)) as zf:
        xml = zf.read("content.xml").replace(
            b"<text:p>Fritidsg", b'<text:p><text:s text:c="2000000000"/>Fritidsg')
    path = tmp_path / "spaces.ods"
    path.write_bytes(ods_bytes(content=xml))
    assert _refusals([path]) == ["file.too_large"]


@pytest.mark.parametrize(("xml", "marked"), [
    (b'<c r="A1"><f>1+1</f><v>2</v></c>', True),
    (b'<c r="A1"><f t="shared" ref="A1:A3" si="0">B1</f><v>2</v></c>', True),
    (b'<c r="A1"><f/><v>2</v></c>', True),
    (b'<c r="A1"><x:f>1+1</x:f></c>', True),
    (b'<c r="A1" t="e"><v>#REF!</v></c>', True),
    (b'<row r="2" hidden="1"/>', True),
    (b'<dataValidation type="list"><formula1>=listor!$A$2:$A$7</formula1></dataValidation>',
     False),
    (b'<autoFilter ref="A1:D9"><filterColumn colId="0"/></autoFilter>', False),
])
def test_only_markup_of_formulas_errors_and_hidden_rows_asks_for_the_xml_read(xml, marked):
    from grantstats.reading.cells import _NORMAL, _has_markers

    assert _has_markers(xml.translate(_NORMAL)) is marked


def test_a_workbook_written_from_the_template_needs_no_second_read(tmp_path):
    """Its data validations (<formula1>) in every sheet are not formula cells."""
    import io

    from grantstats.commands.template import write_template
    from grantstats.reading.cells import _parts_with_markers, _sheet_parts

    path = write_template(tmp_path / "mall.xlsx")
    with zipfile.ZipFile(path) as zf:
        from defusedxml import ElementTree

        parts = dict(_sheet_parts(zf, ElementTree.fromstring(zf.read("xl/workbook.xml"))))
    assert len(parts) > 5
    assert _parts_with_markers(io.BytesIO(path.read_bytes()), parts) == (set(), set(), set())


def test_a_workbook_with_a_chart_is_read(write_xlsx, minimal):
    """A drawing's <xdr:row> and a chart's <c:…> elements are no cells."""
    from openpyxl.chart import BarChart, Reference

    def chart(book):
        ws = book["beslut"]
        bars = BarChart()
        bars.add_data(Reference(ws, min_col=3, min_row=1, max_row=2), titles_from_data=True)
        ws.add_chart(bars, "H2")

    path = write_xlsx(minimal, edit=chart)
    with zipfile.ZipFile(path) as zf:
        assert {"xl/drawings/drawing1.xml", "xl/charts/chart1.xml"} <= set(zf.namelist())
    assert load(path).tables["grants"]["amount"].tolist() == [100000.0]


#: Cells that end early for calamine (it ends a value at the first end tag of its name),
#: letting a far cell out of the cell it seems to be inside.
NESTED = {
    "a string value": b'<row r="1"><c r="A1" t="str"><v><c><v></v></c>'
                      b'<c r="XFD1048576"><v>1</v></c></v></c></row>',
    "an inline string": b'<row r="1"><c r="A1" t="inlineStr"><is><c><is></is></c>'
                        b'<c r="XFD1048576"><v>1</v></c></is></c></row>',
}


@pytest.mark.parametrize("data", NESTED.values(), ids=NESTED.keys())
def test_a_cell_or_row_inside_a_cell_ends_cleanly(far_apart, tmp_path, data):
    with zipfile.ZipFile(far_apart) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    old = re.search(rb"<sheetData>.*</sheetData>", sheet).group(0)
    path = _respelled(far_apart, tmp_path / "nested.xlsx", old,
                      b"<sheetData>" + data + b"</sheetData>")
    assert _refusals([path])[0] in REFUSED


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:x="urn:x"')
#: Rows of an .ods table that calamine reads as 1 048 576 rows × 60 filled columns (or
#: 1.5 billion spaces), written so that a reader going by namespaces would see less.
ODS_DECOYS = {
    "a namesake attribute first": (
        '<table:table-row x:number-rows-repeated="1" table:number-rows-repeated="1048576">'
        '<table:table-cell x:number-columns-repeated="1" table:number-columns-repeated="60"'
        ' office:value-type="float" office:value="1"/></table:table-row>'),
    "a foreign table inside": (
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="60" office:value-type="float" office:value="1"/>'
        '</table:table-row><x:table x:name="t"/>'),
    "a plus sign": (
        '<table:table-row table:number-rows-repeated="+1048576"><table:table-cell '
        'table:number-columns-repeated="+60" office:value-type="float" office:value="1"/>'
        "</table:table-row>"),
    "spaces with a plus sign": (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>'
        '<text:s text:c="+1500000000"/></text:p></table:table-cell></table:table-row>'),
}


@pytest.mark.parametrize("rows", ODS_DECOYS.values(), ids=ODS_DECOYS.keys())
def test_an_ods_that_calamine_reads_as_huge_is_refused(tmp_path, rows):
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
               '<office:body><office:spreadsheet><table:table table:name="kostnader">'
               f"{rows}</table:table></office:spreadsheet></office:body>"
               "</office:document-content>").encode()
    path = tmp_path / "decoy.ods"
    path.write_bytes(ods_bytes(content=content))
    assert _refusals([path]) == ["file.too_large"]


def test_a_shared_strings_tag_past_the_start_of_its_part_ends_cleanly(write_xlsx, minimal,
                                                                       tmp_path):
    """calamine finds the tag at any depth; preflight reads only the part's start."""
    src = write_xlsx(minimal)
    sst = (b'<?xml version="1.0"?><x:wrap xmlns:x="urn:x">' + b"<x:pad/>" * 1000
           + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             b'uniqueCount="3000000000"><si><t>a</t></si></sst></x:wrap>')
    path = tmp_path / "deep.xlsx"
    shutil.copy(src, path)
    with zipfile.ZipFile(path, "a") as zf:  # calamine opens the part by this name
        zf.writestr("xl/sharedStrings.xml", sst)
    assert _refusals([path])[0] in {*REFUSED, "read"}


def test_a_sheet_part_listed_as_several_sheets_ends_cleanly(write_xlsx, minimal, tmp_path):
    """calamine builds the sheet once per listing; the contract sees an extra sheet."""
    src = write_xlsx(minimal)
    path = _renamed(src, tmp_path / "twice.xlsx", [(
        "xl/workbook.xml", b"</sheets>",
        b'<sheet name="igen" sheetId="9" r:id="rId1"/></sheets>')])
    assert _refusals([path])[0] in {*REFUSED, "read"}


def test_a_shared_string_reading_like_a_tag_is_no_tag(write_xlsx, minimal, tmp_path):
    src = write_xlsx(minimal)
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
           b'/2006/main" uniqueCount="1"><si><t>a:sst uniqueCount="999999999"&gt; b</t></si>'
           b"</sst>")
    path = tmp_path / "text.xlsx"
    shutil.copy(src, path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", sst)
    assert _refusals([path]) == ["read"]
