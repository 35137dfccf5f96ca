"""Reading raw cells: the extent guard, and files whose name does not say what they are."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from grantstats import UnreadableWorkbook, WorkbookError, load
from grantstats.read import MAX_CELLS, SheetTooLarge, read_workbook
from tests.corpus.build_corpus import ods_bytes


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


def test_far_apart_cells_are_refused_before_calamine_allocates(far_apart):
    with pytest.raises(SheetTooLarge) as info:
        read_workbook(far_apart, "xlsx")
    assert (info.value.rows, info.value.cols) == (1_048_576, 16_384)


def test_far_apart_cells_give_one_clear_line_under_a_memory_limit(far_apart):
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
            "from grantstats.cli import main; sys.exit(main(['check', sys.argv[1]]))")
    result = subprocess.run([sys.executable, "-c", code, str(far_apart)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "orimligt stor" in result.stderr and "Traceback" not in result.stderr


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
    # no references: calamine puts each cell after the one before, 16 385 columns out
    "placed by counting": (b'<c r="XFD1048576"', b'<c r="A1048576"/>' + b"<c/>" * 16384
                           + b"<c"),
    "zero-padded row": (b'r="XFD1048576"', b'r="XFD0001048576"'),
    # a megabyte of spaces between r and =: the name and the value fall in different
    # chunks of the streaming scan
    "long whitespace": (b' r="XFD1048576"', b" r" + b" " * (1 << 20) + b'="XFD1048576"'),
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


def test_every_spelling_of_a_far_reference_is_refused_before_calamine(far_apart, tmp_path):
    paths = [_respelled(far_apart, tmp_path / f"far-{i}.xlsx", old, new)
             for i, (old, new) in enumerate(FAR_SPELLINGS.values())]
    # In a child under 1 GB: if the guard missed one, calamine would abort that process
    # (not pytest) trying to allocate the whole sheet.
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from pathlib import Path\nfrom grantstats.read import SheetTooLarge, read_workbook\n"
            "for p in sys.argv[1:]:\n"
            "    try:\n        read_workbook(Path(p), 'xlsx')\n        print('read')\n"
            "    except Exception as exc:\n        print(type(exc).__name__)\n")
    result = subprocess.run([sys.executable, "-c", code, *map(str, paths)],
                            capture_output=True, text=True, timeout=120)
    outcomes = dict(zip(FAR_SPELLINGS, result.stdout.split(), strict=False))
    # refused as too large, or (not well-formed XML, which calamine forgives) as damaged
    refused = {"SheetTooLarge", "ParseError"}
    assert set(outcomes) == set(FAR_SPELLINGS), result.stderr[-500:]
    assert {k: v for k, v in outcomes.items() if v not in refused} == {}


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


def test_a_full_width_ledger_is_within_the_limit():
    assert MAX_CELLS >= 1_048_576 * 38


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
    with pytest.raises(UnreadableWorkbook) as info:
        load(path)
    assert info.value.problems[0].code == "file.too_large"


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


def test_rows_past_excels_last_are_recognised_exactly():
    from grantstats.read import _PAST_LAST_ROW

    pattern = re.compile(rb"^" + _PAST_LAST_ROW)  # used as a prefix: `r="A1048577"`
    for n in [*range(1_040_000, 1_060_000), 999_999, 9_999_999, 10_000_000, 123_456_789]:
        assert bool(pattern.match(str(n).encode() + b'"')) == (n > 1_048_576), n


def test_a_row_past_the_last_with_few_columns_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "kostnader"
    book.active["A1"] = "x"
    book.save(tmp_path / "raw.xlsx")
    src = tmp_path / "raw.xlsx"
    dst = tmp_path / "deep.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data).replace(
                    b"</sheetData>", b'<row r="99999999"><c r="Z99999999"><v>1</v></c></row>'
                    b"</sheetData>")
            zout.writestr(item, data)
    with pytest.raises(SheetTooLarge) as info:
        read_workbook(dst, "xlsx")
    assert info.value.rows == 99_999_999
