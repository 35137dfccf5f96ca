"""The Python API an analyst types in IPython or a notebook: it completes, its tables read
like the report, its errors speak the session's language and show once."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import grantstats
from grantstats.reading.loader import Workbook
from grantstats.rendering import workbench
from grantstats.resources import sample_workbook
from grantstats.texts import set_session_lang

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def wb():
    return grantstats.load(sample_workbook())


@pytest.fixture
def session_en():
    set_session_lang("en")
    yield
    set_session_lang("sv")


def test_dir_of_the_package_completes_and_every_name_is_there():
    names = dir(grantstats)
    for name in ("load", "Workbook", "Workbench", "Figures", "charts", "metrics", "compare",
                 "export", "set_lang", "WorkbookError", "FigureTable"):
        assert name in names
    for name in grantstats.__all__:
        assert getattr(grantstats, name) is not None
    assert grantstats.metrics.project_summary and grantstats.charts.spend_vs_grant
    with pytest.raises(AttributeError):
        grantstats.nothing_here  # noqa: B018


def test_load_gives_a_workbook_that_existing_callers_take(wb):
    assert isinstance(wb, Workbook) and isinstance(wb, grantstats.Workbench)
    figures = grantstats.Figures.of(wb)
    assert figures.summary.loc["REG-2009", "spent"] == 1_027_607
    assert repr(wb).startswith("<Workbook exempel.xlsx") and "\n" not in repr(wb)
    assert len(repr(wb)) < 200


def test_dir_of_a_workbench_completes(wb):
    for name in ("summary", "costs_by_category", "cumulative_spend", "referrals_by_age_group",
                 "referrals_by_source", "rows_behind", "spend_by_month", "by_year", "figures",
                 "costs", "grants", "project_ids"):
        assert name in dir(wb)


def test_the_figures_are_the_seed_figures(wb):
    s = wb.summary("REG-2009")
    assert (s.loc["REG-2009", "granted"], s.loc["REG-2009", "requisitioned"],
            s.loc["REG-2009", "spent"]) == (1_289_000, 1_189_000, 1_027_607)
    assert wb.referrals_by_age_group("REG-2009")["count"].sum() == 14
    assert wb.referrals_by_source("REG-2009")["count"].sum() == 14
    assert wb.costs_by_category("REG-2009")["spent"].sum() == 1_027_607
    assert wb.cumulative_spend("REG-2009")["cumulative"].iloc[-1] == 1_027_607


def test_spend_by_month_and_year_add_up_to_what_was_spent(wb):
    months = wb.spend_by_month("REG-2009")
    assert months["total"].sum() == 1_027_607
    assert (months.drop(columns="total").sum(axis=1) == months["total"]).all()
    assert months.index[0] == "2009-01"
    years = wb.by_year("REG-2009")
    assert years["spent"].sum() == 1_027_607 and years["granted"].sum() == 1_289_000
    assert list(years.index.get_level_values("year")) == [2009, 2010]


def test_rows_behind_a_figure_in_one_month(wb):
    rows = wb.rows_behind("costs", project_id="REG-2009", category="personal", month="2009-03")
    assert len(rows) == 1 and rows["sheet"].tolist() == ["kostnader"]
    html = rows._repr_html_()
    assert "Rad i Excel" in html and "Kategori" in html and "Personal, inkl. sociala" in html


def test_a_figure_table_shows_labels_and_swedish_amounts_and_keeps_its_keys(wb):
    summary = wb.summary()
    assert "spent" in summary.columns and summary.loc["REG-2009", "spent"] == 1_027_607.0
    html = summary._repr_html_()
    assert "Förbrukat" in html and f"1{NBSP}027{NBSP}607{NBSP}kr" in html
    assert "spent" not in html and "holdback_outstanding" not in html and "NaN" not in html
    by_category = wb.costs_by_category("REG-2009")._repr_html_()
    assert "Utvärdering" in by_category and "utvardering" not in by_category
    assert "Avvikelse %" in by_category and "variance_pct" not in by_category
    assert f"{NBSP}%" in by_category


def test_a_figure_table_in_english_and_a_slice_stays_one(wb, session_en):
    part = wb.summary()[["granted", "spent"]]
    assert isinstance(part, grantstats.FigureTable)
    assert f"SEK{NBSP}1,027,607" in part._repr_html_() and "Spent" in part._repr_html_()


def test_export_writes_the_forms_labels_with_numbers_kept(wb, tmp_path):
    path = wb.costs_by_category("REG-2009").to_excel_labelled(tmp_path / "kategorier.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Projekt", "Kategori", "Sökt"] and "Förbrukat" in header
    spent = header.index("Förbrukat")
    assert sum(row[spent] for row in ws.iter_rows(min_row=2, values_only=True)) == 1_027_607
    assert ws.cell(row=2, column=2).value == "Personal, inkl. sociala avgifter"
    with pytest.raises(FileExistsError):
        wb.summary().to_excel_labelled(path)


def test_compare_puts_the_workbooks_of_a_folder_side_by_side(tmp_path):
    folder = tmp_path / "inkomna"
    folder.mkdir()
    for name in ("2009.xlsx", "2010.xlsx"):
        (folder / name).write_bytes(sample_workbook().read_bytes())
    (folder / "~$2009.xlsx").write_bytes(b"lock")
    table = grantstats.compare(folder)
    assert table.index.names == ["workbook", "project_id"]
    assert table.loc[("2010.xlsx", "REG-2009"), "spent"] == 1_027_607
    assert len(table) == 6


def _broken(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "projekt"
    book["projekt"].append(["projekt_id", "namn"])
    book["projekt"].append(["P1", "Ett"])
    beslut = book.create_sheet("beslut")
    beslut.append(["projekt_id", "beslutsdatum", "belopp"])
    beslut.append(["P1", dt.date(2020, 1, 1), "abc"])
    book.save(tmp_path / "fel.xlsx")
    return tmp_path / "fel.xlsx"


def test_workbook_error_speaks_the_sessions_language(tmp_path):
    with pytest.raises(grantstats.WorkbookError) as info:
        grantstats.load(_broken(tmp_path))
    assert str(info.value).startswith("beslut!C2: 'abc' är inget belopp")
    set_session_lang("en")
    try:
        assert str(info.value).startswith("beslut!C2: 'abc' is not an amount")
    finally:
        set_session_lang("sv")
    with pytest.raises(grantstats.WorkbookError) as info:
        grantstats.load(_broken(tmp_path), lang="en")
    assert "is not an amount" in str(info.value)
    assert list(info.value.to_frame().columns) == ["sheet", "cell", "code", "message", "hint"]


def test_workbook_error_shows_as_one_table_without_codes_or_traceback(tmp_path):
    with pytest.raises(grantstats.WorkbookError) as info:
        grantstats.load(_broken(tmp_path))
    error = info.value
    html = error._repr_html_()
    for header in ("Blad", "Cell", "Vad som är fel", "Så rättar du det"):
        assert f">{header}</th>" in html
    assert html.index(">beslut<") < html.index(">C2<") < html.index("inget belopp")
    assert error.problems[0].hint("sv") in html.replace("&#x27;", "'")  # the whole hint
    assert "cell.amount_invalid" not in html and "code" not in html
    lines = error._render_traceback_()  # outside a kernel: the problems, one a line
    assert lines[0] == "fel.xlsx kan inte användas: 1 fel, se tabellen."
    assert lines[1].startswith("beslut!C2: 'abc' är inget belopp")
    assert not any("Traceback" in line or "loader.py" in line for line in lines)


def test_a_missing_workbook_names_where_it_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(grantstats.WorkbookError) as info:
        grantstats.load("mitt.xlsx")
    assert str(tmp_path / "mitt.xlsx") in str(info.value) and str(tmp_path) in str(info.value)


def test_show_project_shows_a_project_without_costs(tmp_path, monkeypatch):
    """What the notebook's project picker shows, for a project that has no rows but its
    decision (such a workbook passes check)."""
    book = openpyxl.Workbook()
    book.active.title = "projekt"
    book["projekt"].append(["projekt_id", "namn"])
    book["projekt"].append(["P1", "Bara beslut"])
    book.create_sheet("beslut").append(["projekt_id", "beslutsdatum", "belopp"])
    book["beslut"].append(["P1", dt.date(2020, 1, 1), 100000])
    book.save(tmp_path / "beslut.xlsx")
    wb = grantstats.load(tmp_path / "beslut.xlsx")
    shown: list = []
    monkeypatch.setattr(workbench, "display", lambda *objects: shown.extend(objects))
    workbench.show_project(wb, "P1")
    html = "".join(o._repr_html_() for o in shown if isinstance(o, grantstats.FigureTable))
    assert f"100{NBSP}000{NBSP}kr" in html and "Bara beslut" in html
    assert workbench.largest_project(wb) == "P1"
    with pytest.raises(KeyError, match="P9"):
        wb.summary("P9")
