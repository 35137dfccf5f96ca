"""The fast path against the per-cell path: the same tables and the same problems.

The per-cell path (python-calamine, each cell read by the parsers of values.py) is the
reference; the fast path (fastexcel's strictly typed columns, checked as columns) must
give identical tables — values, dtypes, source rows, extra columns — and identical
problems and notes, in the same order, or leave the sheet to the per-cell path. The
workbooks are generated (hypothesis): typed and mixed columns, Swedish text amounts,
dates as text and as dates, totals rows, merged and hidden cells, blank rows, extra
columns, identity numbers; and every readable file of the corpus and the sample.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grantstats.errors import WorkbookError
from grantstats.reading import cells, loader
from grantstats.reading.sniff import read_checked
from grantstats.resources import sample_workbook
from tests.books import write_book as write
from tests.corpus.build_corpus import build


def outcome(path: Path, mode: str) -> Any:
    """The workbook ``parse`` gives in ``mode``, or its problems."""
    kind, data = read_checked(path)
    try:
        return loader.parse(path, data, kind, fast=mode)
    except WorkbookError as exc:
        return exc.problems


def assert_same(path: Path) -> None:
    """Both paths give the same answer for ``path``."""
    slow, quick = outcome(path, "never"), outcome(path, "always")
    if isinstance(slow, list) or isinstance(quick, list):
        assert slow == quick
        return
    assert list(slow.tables) == list(quick.tables)
    for key, table in slow.tables.items():
        pd.testing.assert_frame_equal(table, quick.tables[key], check_exact=True,
                                      check_dtype=True, check_categorical=True, obj=key)
        assert [str(t) for t in table.dtypes] == [str(t) for t in quick.tables[key].dtypes]
    assert slow.notes == quick.notes
    assert slow.sheet_names == quick.sheet_names


def fast_sheets(path: Path) -> list[str]:
    """The sheets the fast path reads (``always``) rather than leaving to calamine."""
    raw = cells.read_workbook(path, "xlsx", None, "always", loader._fast_wanted)
    return [s.name for s in raw.sheets if s.fast is not None]


def _generate() -> Any:
    """benchmarks/generate.py, whose writer stores texts in a shared-string table as
    Excel does (openpyxl writes them inline)."""
    import importlib.util
    import sys

    here = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate_fast", here)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _generate()


def write_shared(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write ``sheets`` with texts in a shared-string table, as Excel writes them."""
    sst = generate._SharedStrings()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in generate._package_parts(list(sheets)).items():
            zf.writestr(name, text)
        for i, rows in enumerate(sheets.values(), start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", generate._small_sheet(rows, sst))
        zf.writestr("xl/sharedStrings.xml", "".join(sst.xml()))
    return path


BASE = {
    "projekt": [["projekt_id", "namn"], ["P1", "Projekt ett"]],
    "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2020, 1, 15), 100000]],
}


# --- known cases --------------------------------------------------------------------


def test_a_typed_ledger_is_read_by_the_fast_path_and_gives_the_same_tables(tmp_path):
    rows = [["projekt_id", "datum", "kategori", "belopp", "beskrivning", "Verifikation"]]
    rows += [["P1", dt.date(2010, 1 + i % 12, 1 + i % 28), ("Lön", "hyra", "resor")[i % 3],
              1000.5 * i - 50, f"rad {i}" if i % 7 else None, 9000 + i] for i in range(300)]
    path = write(tmp_path / "ledger.xlsx", {**BASE, "kostnader": rows})
    assert "kostnader" in fast_sheets(path)
    assert_same(path)
    wb = outcome(path, "always")
    assert wb.costs["verifikation"].tolist() == [9000.0 + i for i in range(300)]
    assert wb.costs["row"].tolist() == list(range(2, 302))


def test_a_mixed_amount_column_falls_back_to_the_per_cell_path(tmp_path):
    rows = [["projekt_id", "datum", "kategori", "belopp"],
            ["P1", dt.date(2010, 1, 1), "Lön", 1000],
            ["P1", dt.date(2010, 1, 2), "Lön", "1 006 698"],
            ["P1", dt.date(2010, 1, 3), "Lön", "550 000 kr"]]
    path = write(tmp_path / "mixed.xlsx", {**BASE, "kostnader": rows})
    assert "kostnader" not in fast_sheets(path)
    assert_same(path)
    assert outcome(path, "always").costs["amount"].tolist() == [1000.0, 1006698.0, 550000.0]


def test_a_text_that_looks_like_a_number_stays_text(tmp_path):
    """``"1.234"`` as text is not the number 1.234 but 1 234 kronor (a dot between
    thousands): a column of such texts is read as texts, exactly as cell by cell."""
    rows = [["projekt_id", "datum", "kategori", "belopp"],
            ["P1", dt.date(2010, 1, 1), "Lön", "1.234"],
            ["P1", dt.date(2010, 1, 2), "Lön", "12 500"]]
    path = write(tmp_path / "texts.xlsx", {**BASE, "kostnader": rows})
    assert "kostnader" in fast_sheets(path)
    assert_same(path)
    assert outcome(path, "always").costs["amount"].tolist() == [1234.0, 12500.0]


def test_problems_are_the_same_and_in_the_same_order(tmp_path):
    rows = [["projekt_id", "datum", "kategori", "belopp", "kommentar"]]
    rows += [["P1", dt.date(2010, 1, 1), "okänd" if i % 5 == 0 else "Lön",
              None if i % 9 == 0 else 100, "811218-9876" if i == 17 else "ok"]
             for i in range(60)]
    rows += [["Summa", None, None, 999, None]]
    path = write(tmp_path / "bad.xlsx", {**BASE, "kostnader": rows})
    assert "kostnader" in fast_sheets(path)
    problems = outcome(path, "always")
    assert isinstance(problems, list)
    assert {p.code for p in problems} >= {"cell.category_unknown", "cell.required_empty",
                                          "total.mismatch", "cell.personal_number"}
    assert_same(path)


def test_the_sample_and_the_corpus_read_alike(tmp_path):
    assert_same(sample_workbook())
    assert fast_sheets(sample_workbook())  # the template's sheets are read fast
    for name, expected in build(tmp_path).items():
        if expected.outcome == "ok":
            assert_same(tmp_path / name)


def test_extra_columns_are_kept_unchecked_under_their_normalised_names(tmp_path):
    rows = [["projekt_id", "datum", "kategori", "belopp", "Ver. nr", "Attesterad av",
             "Bokförd (datum)", "Row", "OK?"],
            ["P1", dt.date(2010, 1, 1), "Lön", 100, 17, " Anna ", dt.date(2010, 2, 1), "x",
             True],
            ["P1", dt.date(2010, 1, 2), "Lön", 200, None, "abc", None, "y", None]]
    path = write(tmp_path / "extra.xlsx", {**BASE, "kostnader": rows})
    for mode in ("never", "always"):
        wb = outcome(path, mode)
        costs = wb.costs
        assert costs["ver. nr"].tolist()[0] == 17.0 and pd.isna(costs["ver. nr"].iloc[1])
        assert costs["attesterad av"].tolist() == ["Anna", "abc"]
        assert str(costs["bokförd"].dtype) == "datetime64[s]"
        assert costs["ok?"].tolist() == [True, None]
        assert "row" in costs and costs["row"].tolist() == [2, 3]  # a header "Row" is not kept
        kept = {p.params["key"] for p in wb.notes if p.code == "note.column_kept"}
        assert kept == {"ver. nr", "attesterad av", "bokförd", "ok?"}
        assert [p.cell for p in wb.notes if p.code == "note.column_ignored"] == ["H1"]
    assert_same(path)


# --- generated workbooks ------------------------------------------------------------

DAY = st.dates(dt.date(2008, 1, 1), dt.date(2012, 12, 31))
AMOUNT_TEXTS = st.sampled_from(["1 006 698", "550 000 kr", "12 500:-", "12\u00a0500 kr",
                                "250 tkr", "1.234", "abc", "-300", " 40 ", "1 289 000,50"])
CELL = {
    "projekt_id": {"typed": st.sampled_from(["P1", "P1", " P1 ", "P2", "", "   "]),
                   "other": st.integers(1, 3).map(float)},
    "datum": {"typed": DAY, "other": st.sampled_from(["2010-03-31", "mars 2010", "2010-13-01",
                                                      "x", "1949-12-31"])},
    "kategori": {"typed": st.sampled_from(["Lön", "hyra", "resor", "Övrigt", "okänd", " lön "]),
                 "other": st.sampled_from([1.0, 2.5])},
    "belopp": {"typed": st.one_of(st.integers(-5000, 200_000).map(float),
                                  st.floats(-1e6, 1e9, allow_nan=False).map(lambda v: round(v, 2)),
                                  st.just(123456789.0)),
               "other": AMOUNT_TEXTS},
    "beskrivning": {"typed": st.sampled_from(["Lön mars", "  ", "811218-9876", "x" * 12,
                                              "ref 8112189876"]),
                    "other": st.floats(0, 1e5, allow_nan=False)},
    "Timmar": {"typed": st.floats(0, 100, allow_nan=False), "other": st.sampled_from(["tio"])},
}


@st.composite
def ledgers(draw: Any) -> tuple[list[list[Any]], dict[str, Any]]:
    """A ``kostnader`` sheet: columns in any order, each of one kind of cell or mixed,
    some cells empty, blank and totals rows, and what to do to the sheet after."""
    names = draw(st.permutations(list(CELL)))
    names = [n for n in names if n in ("projekt_id", "datum", "kategori", "belopp")
             or draw(st.booleans())]
    mixed = {n: draw(st.sampled_from(["typed"] * 6 + ["other", "mixed"])) for n in names}
    n = draw(st.integers(0, 25))
    rows: list[list[Any]] = [list(names)]
    for _ in range(n):
        row = []
        for name in names:
            if draw(st.integers(0, 9)) == 0:
                row.append(None)
                continue
            mode = mixed[name]
            if mode == "mixed":
                mode = draw(st.sampled_from(["typed", "other"]))
            row.append(draw(CELL[name][mode]))
        rows.append(row)
        if draw(st.integers(0, 12)) == 0:
            rows.append([None] * len(names))
    if n and draw(st.booleans()):
        total = [None] * len(names)
        total[0] = draw(st.sampled_from(["Summa", "Totalt:", "summa 2010"]))
        total[names.index("belopp")] = draw(st.sampled_from([0.0, 12_500.0, "12 500 kr"]))
        rows.append(total)
    if draw(st.integers(0, 6)) == 0:
        rows.insert(0, ["Kostnader 2010"])  # a title above the header
    edits = {"merge": draw(st.integers(0, 8)) == 0, "hide": draw(st.integers(0, 8)) == 0,
             "formula": draw(st.integers(0, 10)) == 0}
    return rows, edits


def _edit(edits: dict[str, Any], height: int) -> Any:
    def edit(book: openpyxl.Workbook) -> None:
        ws = book["kostnader"]
        if edits["merge"] and height > 3:
            ws.merge_cells("E2:E3")
        if edits["hide"] and height > 2:
            ws.row_dimensions[2].hidden = True
        if edits["formula"] and height > 2:
            ws.cell(row=height + 1, column=1, value="=1+1")
    return edit


@given(ledgers())
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                   HealthCheck.too_slow])
def test_generated_ledgers_read_alike(tmp_path_factory, drawn):
    rows, edits = drawn
    folder = tmp_path_factory.mktemp("gen")
    path = write(folder / "gen.xlsx", {**BASE, "kostnader": rows}, _edit(edits, len(rows)))
    assert_same(path)
    # the same cells with texts in a shared-string table, as Excel writes them: mixed
    # columns are then told apart by the shared strings
    assert_same(write_shared(folder / "shared.xlsx", {**BASE, "kostnader": rows}))


def test_the_generated_ledgers_exercise_the_fast_path(tmp_path):
    """Most generated sheets of typed columns are read fast (else the differential test
    would compare the per-cell path with itself)."""
    seen: list[bool] = []

    @given(ledgers())
    @settings(max_examples=40, database=None, derandomize=True)
    def read(drawn: Any) -> None:
        rows, _edits = drawn
        path = write_shared(tmp_path / "g.xlsx", {**BASE, "kostnader": rows})
        seen.append("kostnader" in fast_sheets(path))

    read()
    assert sum(seen) >= len(seen) // 5


def test_a_header_read_differently_by_fastexcel_falls_back(tmp_path):
    path = write(tmp_path / "dup.xlsx", {**BASE, "kostnader": [
        ["projekt_id", "datum", "kategori", "belopp", "belopp"],
        ["P1", dt.date(2010, 1, 1), "Lön", 1, 2]]})
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        assert zf.namelist()
    assert "kostnader" not in fast_sheets(path)
    assert_same(path)


@pytest.mark.parametrize("mode", ["never", "always", "auto"])
def test_every_mode_gives_the_sample_figures(mode):
    wb = outcome(sample_workbook(), mode)
    assert round(wb.costs.loc[wb.costs["project_id"] == "REG-2009", "amount"].sum()) == 1_027_607
    assert cells.FAST_MIN_BYTES > 0


def test_a_mixed_amount_column_is_told_apart_by_the_shared_strings(tmp_path):
    """Numbers of every shape next to Swedish text amounts: the column is read as
    strings, the shared strings tell the texts, and each number comes back exactly."""
    numbers = [0.1 + 0.2, 1e-7, 1e20, 123456.789, -0.0, float(2**53 + 1), 1 / 3, 5.0,
               -2501.5, 12345678.9]
    texts = ["1 006 698", "550 000 kr", "12 500:-", "500", "-300", "12,50"]
    rows = [["projekt_id", "datum", "kategori", "belopp"]]
    rows += [["P1", dt.date(2010, 1, 1 + i % 28), "Lön", v]
             for i, v in enumerate(numbers + texts + numbers)]
    path = write_shared(tmp_path / "mixed.xlsx", {**BASE, "kostnader": rows})
    raw = cells.read_workbook(path, "xlsx", None, "always", loader._fast_wanted)
    sheet = next(s for s in raw.sheets if s.name == "kostnader")
    assert sheet.fast is not None and sheet.fast.decided
    assert_same(path)
    amounts = outcome(path, "always").costs["amount"].tolist()
    assert amounts[:len(numbers)] == numbers
    assert amounts[len(numbers):len(numbers) + len(texts)] == [
        1006698.0, 550000.0, 12500.0, 500.0, -300.0, 12.5]
    # the text "1.234" (1 234 kr) could have been the number 1.234 written out: the
    # shared strings cannot tell, so the sheet is read cell by cell
    rows.append(["P1", dt.date(2010, 2, 1), "Lön", "1.234"])
    path = write_shared(tmp_path / "dot.xlsx", {**BASE, "kostnader": rows})
    assert "kostnader" not in fast_sheets(path)
    assert_same(path)


def test_a_text_also_written_as_a_number_elsewhere_is_exact_only_as_an_amount(tmp_path):
    """The text "2010" in a title and the number 2010 in a mixed column: the same amount
    either way, but not the same description, so such a text column falls back."""
    rows = [["projekt_id", "datum", "kategori", "belopp", "beskrivning"],
            ["P1", dt.date(2010, 1, 1), "Lön", 2010, 2010],
            ["P1", dt.date(2010, 1, 2), "Lön", "2010", "2010"],
            ["P1", dt.date(2010, 1, 3), "Lön", "12 500 kr", "text"]]
    path = write_shared(tmp_path / "ambiguous.xlsx", {**BASE, "kostnader": rows})
    assert_same(path)
    wb = outcome(path, "always")
    assert wb.costs["amount"].tolist() == [2010.0, 2010.0, 12500.0]
    assert wb.costs["description"].tolist() == ["2010", "2010", "text"]


@given(st.lists(st.one_of(st.none(), st.integers(-3, 3), st.integers(-10**9, 10**9)),
                max_size=40))
def test_distinct_days_are_numpys_unique(days: list[int | None]) -> None:
    """The fast path counts a date column's days into a table; it must give what
    ``np.unique`` gives (NaT first), near and far apart alike."""
    import numpy as np

    from grantstats.reading.fast import _unique_days

    nat = np.iinfo(np.int64).min
    array = np.array([nat if d is None else d for d in days], dtype=np.int64)
    expected, inverse = np.unique(array, return_inverse=True)
    found, index = _unique_days(array)
    assert found.tolist() == expected.tolist()
    assert index.tolist() == inverse.reshape(-1).tolist()


def test_a_total_of_the_number_cells_only_names_the_texts_on_both_paths(tmp_path):
    """A text "500" next to number cells is the same amount either way, but not for a
    totals row: a spreadsheet's SUM skips it, and the check says so (``total.text_skipped``,
    not ``total.mismatch``). The fast path, which cannot tell such a string from a number
    cell by the shared strings, leaves that sheet to the per-cell path."""
    rows = [["projekt_id", "datum", "kategori", "belopp"],
            ["P1", dt.date(2010, 1, 1), "Lön", 100],
            ["P1", dt.date(2010, 1, 2), "Lön", "500"],
            ["P1", dt.date(2010, 1, 3), "Lön", 200],
            ["P1", dt.date(2010, 1, 4), "Lön", 500],
            ["Summa", None, None, 800]]
    path = write_shared(tmp_path / "total.xlsx", {**BASE, "kostnader": rows})
    assert_same(path)
    problems = outcome(path, "always")
    assert [p.code for p in problems] == ["total.text_skipped"]
    assert problems[0].cell == "D6"
