"""Raw cells of a workbook: values, and what the values alone do not tell.

Values come from python-calamine (fast, reads .xlsx/.xlsm/.xls/.ods). What calamine
does not report — formulas without a stored result, error cells (``#REF!``), hidden
rows and columns, the "recalculate when opened" flag — is read from the sheet XML,
and only for sheets whose bytes contain such markup at all, so a million-row sheet
without formulas is never parsed twice.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeET

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_MARKERS = re.compile(rb"<(?:\w+:)?f[ >/]|\st=\"e\"|\shidden=\"(?:1|true)\"")
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
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def read_workbook(path: Path, sheet_names: set[str] | None = None) -> RawWorkbook:
    """Every sheet of ``path`` (or only ``sheet_names``) as raw cells."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in book.sheets_metadata:
            if str(meta.typ).endswith("WorkSheet") is False:
                continue
            if sheet_names is not None and meta.name not in sheet_names:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            sheets.append(RawSheet(
                name=meta.name, rows=rows, merged=merged,
                hidden=not str(meta.visible).endswith("Visible"),
            ))
    finally:
        book.close()
    raw = RawWorkbook(path=path, sheets=sheets)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" in zf.namelist():
                _add_xlsx_facts(zf, raw)
    return raw


def _add_xlsx_facts(zf: zipfile.ZipFile, raw: RawWorkbook) -> None:
    workbook = SafeET.fromstring(zf.read("xl/workbook.xml"))
    calc = workbook.find(f"{{{_NS_MAIN}}}calcPr")
    raw.recalc_on_load = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    props = workbook.find(f"{{{_NS_MAIN}}}workbookPr")
    raw.date1904 = props is not None and props.get("date1904") in ("1", "true")
    parts = _sheet_parts(zf, workbook)
    for sheet in raw.sheets:
        part = parts.get(sheet.name)
        if part and part in zf.namelist() and _has_markers(zf, part):
            _read_sheet_facts(zf, part, sheet)


def _sheet_parts(zf: zipfile.ZipFile, workbook: Any) -> dict[str, str]:
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = path
    return {
        s.get("name"): targets.get(s.get(f"{{{_NS_REL}}}id"), "")
        for s in workbook.iter(f"{{{_NS_MAIN}}}sheet")
    }


def _has_markers(zf: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with zf.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if _MARKERS.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _read_sheet_facts(zf: zipfile.ZipFile, part: str, sheet: RawSheet) -> None:
    c_tag, f_tag, v_tag = (f"{{{_NS_MAIN}}}{t}" for t in ("c", "f", "v"))
    row_tag, col_tag = f"{{{_NS_MAIN}}}row", f"{{{_NS_MAIN}}}col"
    with zf.open(part) as stream:
        for _event, elem in SafeET.iterparse(stream, events=("end",)):
            tag = elem.tag
            if tag == c_tag:
                ref = elem.get("r")
                if ref:
                    where = _cell_index(ref)
                    f = elem.find(f_tag)
                    v = elem.find(v_tag)
                    if f is not None:
                        sheet.formulas.add(where)
                        empty = v is None or not (v.text or "").strip()
                        if v is None or (empty and elem.get("t") != "str"):
                            sheet.formulas_without_value.add(where)
                    if elem.get("t") == "e":
                        sheet.errors[where] = (v.text if v is not None else "") or "#ERROR"
                elem.clear()
            elif tag == row_tag:
                if elem.get("hidden") in ("1", "true"):
                    sheet.hidden_rows.append(int(elem.get("r", "0")) - 1)
                elem.clear()
            elif tag == col_tag and elem.get("hidden") in ("1", "true"):
                first, last = int(elem.get("min", "1")), int(elem.get("max", "1"))
                sheet.hidden_cols.extend(range(first - 1, min(last, 16384)))
