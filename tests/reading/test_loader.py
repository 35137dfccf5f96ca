"""The workbook contract, rule by rule: each test writes a small workbook and loads it.

Problems are asserted by (code, sheet, cell); loaded values exactly. The contract is
/work/shared/workbook-contract.md (v1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from grantstats import contract
from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.reading.collector import MAX_SAME_PROBLEMS
from grantstats.reading.loader import Workbook, load
from grantstats.texts import text
from tests.pnr import luhn_digit

P1 = ["P1", "Projekt ett"]
COST_HEADER = ["projekt_id", "datum", "kategori", "belopp"]
REFERRAL_HEADER = ["projekt_id", "datum", "ålder", "åldersgrupp", "antal"]
D = dt.date(2020, 3, 1)


# --- helpers ----------------------------------------------------------------------------


def found(exc: WorkbookError) -> set[tuple[str, str | None, str | None]]:
    return {(p.code, p.sheet, p.cell) for p in exc.problems}


def only(exc: WorkbookError, code: str) -> Problem:
    hits = [p for p in exc.problems if p.code == code]
    assert len(hits) == 1, exc.format("en")
    return hits[0]


def notes(book: Workbook) -> set[tuple[str, str | None, str | None]]:
    return {(p.code, p.sheet, p.cell) for p in book.notes}


def load_fails(path: Path, **kwargs: Any) -> WorkbookError:
    with pytest.raises(WorkbookError) as info:
        load(path, **kwargs)
    # every problem renders in both languages (no missing parameter)
    for lang in ("sv", "en"):
        info.value.format(lang)
    return info.value


@pytest.fixture
def book_with(write_xlsx, minimal) -> Callable[..., Path]:
    """The minimal workbook plus (or with replaced) sheets."""

    def write(sheets: Mapping[str, list[list[Any]]] | None = None, **kwargs: Any) -> Path:
        return write_xlsx({**minimal, **(sheets or {})}, **kwargs)

    return write


def costs_with(book_with, *rows: list[Any], header: list[Any] = COST_HEADER) -> Path:
    return book_with({"kostnader": [header, *rows]})


def grants_with(book_with, *rows: list[Any], header: list[Any] | None = None) -> Path:
    header = header or ["projekt_id", "beslutsdatum", "belopp"]
    return book_with({"beslut": [header, *rows]})


def referrals_with(book_with, *rows: list[Any], header: list[Any] = REFERRAL_HEADER,
                   **kwargs: Any) -> Path:
    return book_with({"anmälningar": [header, *rows]}, **kwargs)




def personnummer(yymmdd: str, serial: str = "238") -> str:
    """A ten-digit identity number with a valid check digit, without separator."""
    return yymmdd + serial + luhn_digit(yymmdd + serial)


def sheet_part(path: Path, title: str) -> str:
    """The zip member holding the sheet called ``title``."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="(\w+)"', workbook)
    assert rid, workbook
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target, rels
    return target.group(1).lstrip("/") if target.group(1).startswith("/") else \
        "xl/" + target.group(1)


def rewrite_zip(path: Path, edits: Mapping[str, Callable[[str], str]]) -> None:
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            if info.filename in edits:
                data = edits[info.filename](data.decode()).encode()
            zf.writestr(info.filename, data)


def store_formula_results(path: Path, sheet: str, results: Mapping[str, Any], *,
                          recalc: bool = False) -> None:
    """Put cached results into formula cells as a spreadsheet program would.

    openpyxl writes ``<c r="C2"><f>…</f><v/></c>`` and asks for a recalculation on
    open; this stores ``<v>result</v>`` and, unless ``recalc``, drops that request.
    """

    def sheet_xml(xml: str) -> str:
        for ref, value in results.items():
            xml, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)',
                             rf"\g<1><v>{value}</v>", xml)
            assert n == 1, xml
        return xml

    def workbook_xml(xml: str) -> str:
        return xml if recalc else re.sub(r'\s+fullCalcOnLoad="(?:1|true)"', "", xml)

    rewrite_zip(path, {sheet_part(path, sheet): sheet_xml, "xl/workbook.xml": workbook_xml})


def drop_recalc_flag(path: Path) -> None:
    """Drop the "recalculate when opened" request, leaving formulas without results."""
    rewrite_zip(path, {"xl/workbook.xml":
                       lambda xml: re.sub(r'\s+fullCalcOnLoad="(?:1|true)"', "", xml)})


# --- sheets and headers -----------------------------------------------------------------


def test_minimal_workbook_loads(book_with):
    book = load(book_with())
    assert book.projects["project_id"].tolist() == ["P1"]
    assert book.projects["name"].tolist() == ["Projekt ett"]
    assert book.grants["amount"].tolist() == [100000.0]
    assert book.grants["decision_date"].tolist() == [pd.Timestamp("2020-01-15")]
    assert book.notes == ()


def test_english_sheet_and_header_names_are_accepted(write_xlsx):
    path = write_xlsx({
        "projects": [["project_id", "name", "unit", "start", "end"],
                     ["P1", "One", "Social services", "2020-01-01", "2021-12-31"]],
        "grants": [["project_id", "decision_date", "amount", "funder", "reference",
                    "holdback_share", "report_due", "note"],
                   ["P1", "2020-01-15", 100000, "Länsstyrelsen", "801-09-060935", 0.2,
                    "2022-03-31", "first"]],
        "costs": [["project_id", "date", "category", "amount", "description"],
                  ["P1", "2020-02-01", "staff", 5000, "salary"]],
    })
    book = load(path)
    assert book.projects.loc[0, ["unit", "start", "end"]].tolist() == [
        "Social services", pd.Timestamp("2020-01-01"), pd.Timestamp("2021-12-31")]
    assert book.grants.loc[0, ["funder", "reference", "holdback_share", "note"]].tolist() == [
        "Länsstyrelsen", "801-09-060935", 0.2, "first"]
    assert book.grants.loc[0, "report_due"] == pd.Timestamp("2022-03-31")
    assert book.costs.loc[0, ["category", "amount", "description"]].tolist() == [
        "personal", 5000.0, "salary"]
    assert book.sheet_names == {"projects": "projects", "grants": "grants", "costs": "costs"}


def test_every_sheet_of_the_contract_is_recognised_in_swedish(book_with):
    path = book_with({
        "budget": [["projekt_id", "kategori", "belopp", "beskrivning"], ["P1", "lokaler", 10, "x"]],
        "kostnader": [COST_HEADER, ["P1", D, "lokaler", 20]],
        "rekvisitioner": [["projekt_id", "datum", "belopp", "diarienummer"],
                          ["P1", D, 30, "dnr 1"]],
        "anmälningar": [["projekt_id", "datum", "ålder", "antal", "källa"],
                        ["P1", D, 15, 2, "skolan"]],
        "finansiering": [["projekt_id", "källa", "belopp"], ["P1", "kommunen", 40]],
    })
    book = load(path)
    assert book.counts() == {"projects": 1, "grants": 1, "budget": 1, "costs": 1,
                             "requisitions": 1, "referrals": 1, "financing": 1}
    assert book.budget.loc[0, "amount"] == 10.0
    assert book.requisitions.loc[0, "reference"] == "dnr 1"
    assert book.referrals.loc[0, "source"] == "skolan"
    assert book.financing.loc[0, ["source", "amount"]].tolist() == ["kommunen", 40.0]


def test_every_sheet_of_the_contract_is_recognised_in_english(write_xlsx, minimal):
    path = write_xlsx({
        **minimal,
        "budget": [["project_id", "category", "amount", "description"], ["P1", "rent", 10, "x"]],
        "requisitions": [["project_id", "date", "amount", "reference"], ["P1", D, 30, "r"]],
        "referrals": [["project_id", "date", "age_group", "count", "source"],
                      ["P1", D, "20+", 2, "police"]],
        "financing": [["project_id", "source", "amount"], ["P1", "ESF", 40]],
    })
    book = load(path)
    assert book.counts() == {"projects": 1, "grants": 1, "budget": 1, "costs": 0,
                             "requisitions": 1, "referrals": 1, "financing": 1}
    assert book.referrals.loc[0, ["age_group", "count", "source"]].tolist() == ["20+", 2, "police"]


def test_sheet_names_match_ignoring_case_and_surrounding_spaces(write_xlsx, minimal):
    path = write_xlsx({" PROJEKT ": minimal["projekt"], "Beslut  ": minimal["beslut"]})
    book = load(path)
    assert book.sheet_names == {"projects": " PROJEKT ", "grants": "Beslut  "}
    assert book.grants["sheet"].tolist() == ["Beslut  "]


def test_sheet_name_with_trailing_parentheses_matches(write_xlsx, minimal):
    path = write_xlsx({"Projekt (2020)": minimal["projekt"], "Beslut (kr)": minimal["beslut"]})
    assert load(path).sheet_names == {"projects": "Projekt (2020)", "grants": "Beslut (kr)"}


@pytest.mark.parametrize("header", ["projekt_id", "projekt-id", "projekt id", "Projekt_Id",
                                    "  PROJEKT-ID  ", "project id", "Project-ID"])
def test_header_names_ignore_case_spaces_underscore_and_hyphen(book_with, header):
    path = book_with({"projekt": [[header, "namn"], P1]})
    assert load(path).projects["project_id"].tolist() == ["P1"]


@pytest.mark.parametrize("header", ["innehållen_andel", "Innehållen andel", "INNEHÅLLEN-ANDEL",
                                    "holdback share", "Holdback-Share"])
def test_multi_word_header_matches_with_any_separator(book_with, header):
    path = grants_with(book_with, ["P1", D, 100, 0.25],
                       header=["projekt_id", "beslutsdatum", "belopp", header])
    assert load(path).grants["holdback_share"].tolist() == [0.25]


def test_header_with_trailing_unit_in_parentheses_matches(book_with):
    path = book_with({"projekt": [["projekt_id (text)", "namn (kort)", "start (ÅÅÅÅ-MM-DD)"],
                                  ["P1", "Ett", "2020-01-01"]]})
    book = load(path)
    assert book.projects.loc[0, ["project_id", "name", "start"]].tolist() == [
        "P1", "Ett", pd.Timestamp("2020-01-01")]


def test_header_found_below_title_and_blank_rows(book_with):
    path = costs_with(book_with, *[
        ["Kostnader för projektet, utfall 2020"],
        [],
        [None, None, None],
        COST_HEADER,
        ["P1", D, "personal", 1000],
    ], header=["Uppföljning"])
    book = load(path)
    assert book.costs["amount"].tolist() == [1000.0]
    assert book.costs["row"].tolist() == [6]


def test_header_row_may_start_in_a_later_column(book_with):
    path = costs_with(book_with, [None, *COST_HEADER], [None, "P1", D, "lokaler", 700],
                      header=[])
    book = load(path)
    assert book.costs.loc[0, ["project_id", "category", "amount"]].tolist() == [
        "P1", "lokaler", 700.0]


def test_fully_blank_rows_are_skipped(book_with):
    path = costs_with(book_with,
                      ["P1", D, "personal", 1000],
                      [None, None, None, None],
                      ["", "  ", None, ""],
                      ["P1", D, "lokaler", 2000])
    book = load(path)
    assert book.costs["amount"].tolist() == [1000.0, 2000.0]
    assert book.costs["row"].tolist() == [2, 5]


def test_extra_sheet_is_ignored_and_listed_as_a_note(book_with):
    path = book_with({"Anteckningar": [["vad som helst"], [1, 2, 3]]})
    book = load(path)
    note = [p for p in book.notes if p.code == "note.sheet_ignored"]
    assert [p.params["name"] for p in note] == ["Anteckningar"]
    assert "Anteckningar" in note[0].format("sv")


def test_extra_column_is_kept_unchecked_and_listed_as_a_note(book_with):
    """The analyst's own columns stay in the table under their normalised header names
    (issue 14), after the contract's columns and before the source columns."""
    path = book_with({"projekt": [["projekt_id", "namn", "Ansvarig (namn)", "Timmar"],
                                  ["P1", "Ett", " Anna ", 12], ["P2", "Två", None, "många"]]})
    book = load(path)
    assert ("note.column_kept", "projekt", "C1") in notes(book)
    assert list(book.projects.columns[-4:]) == ["ansvarig", "timmar", "sheet", "row"]
    assert book.projects["ansvarig"].tolist()[0] == "Anna"
    assert pd.isna(book.projects["ansvarig"].iloc[1])
    assert book.projects["timmar"].tolist() == [12.0, "många"]  # never checked
    assert [p.params["name"] for p in book.notes] == ["Ansvarig (namn)", "Timmar"]
    assert "kontrolleras inte" in book.notes[0].format("sv")


def test_a_header_named_like_a_source_column_is_not_kept(book_with):
    path = book_with({"projekt": [["projekt_id", "namn", "Row"], ["P1", "Ett", "x"]]})
    book = load(path)
    assert ("note.column_ignored", "projekt", "C1") in notes(book)
    assert book.projects["row"].tolist() == [2]


def test_missing_mandatory_sheet_is_an_error(write_xlsx, minimal):
    path = write_xlsx({"projekt": minimal["projekt"]})
    exc = load_fails(path)
    problem = only(exc, "sheet.missing")
    assert "beslut" in problem.format("sv")
    assert "grants" in problem.format("en")


def test_missing_projects_sheet_is_an_error(write_xlsx, minimal):
    path = write_xlsx({"beslut": minimal["beslut"]})
    exc = load_fails(path)
    assert "projekt" in only(exc, "sheet.missing").format("sv")
    # and not, on top, one "unknown project" per row of every other sheet
    assert {p.code for p in exc.problems} == {"sheet.missing"}


def test_unreadable_projects_sheet_does_not_make_every_project_unknown(book_with):
    path = book_with({"projekt": [["projekt_id", "namn", "Namn"], ["P1", "Ett", "Ett"]]})
    exc = load_fails(path)
    assert found(exc) == {("sheet.duplicate_header", "projekt", "C1")}


def test_mandatory_sheet_without_data_rows_is_an_error(book_with):
    path = book_with({"beslut": [["projekt_id", "beslutsdatum", "belopp"], [], [None, None]]})
    exc = load_fails(path)
    assert found(exc) == {("sheet.empty", "beslut", "A2")}


def test_optional_sheet_without_data_rows_is_an_empty_table(book_with):
    book = load(costs_with(book_with))
    assert book.costs.empty
    assert book.sheet_names["costs"] == "kostnader"


def test_mandatory_sheet_without_required_headers_is_an_error(book_with):
    path = book_with({"beslut": [["projekt_id", "datum", "summa"], ["P1", D, 100]]})
    exc = load_fails(path)
    problem = only(exc, "sheet.no_header")
    assert (problem.sheet, problem.cell) == ("beslut", "A1")
    assert "beslutsdatum" in problem.params["missing"]
    assert "belopp" in problem.params["missing"]


def test_duplicate_header_is_an_error(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 100, 200],
                      header=[*COST_HEADER, "Belopp"])
    exc = load_fails(path)
    assert found(exc) == {("sheet.duplicate_header", "kostnader", "E1")}
    assert only(exc, "sheet.duplicate_header").params["other"] == "D1"


def test_swedish_and_english_header_of_one_column_are_duplicates(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 100, 200],
                      header=[*COST_HEADER, "amount"])
    exc = load_fails(path)
    assert found(exc) == {("sheet.duplicate_header", "kostnader", "E1")}


def test_two_sheets_meaning_the_same_are_an_error(book_with):
    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 100]],
                      "costs": [COST_HEADER, ["P1", D, "personal", 100]]})
    exc = load_fails(path)
    problem = only(exc, "sheet.duplicate_sheet")
    assert problem.sheet == "costs"
    assert "kostnader" in problem.format("en")
    assert "costs" in problem.format("sv")


def test_blank_optional_sheet_is_an_empty_table(book_with):
    book = load(book_with({"kostnader": [], "budget": [[None], [None, ""]]}))
    assert book.costs.empty
    assert book.budget.empty


def test_optional_sheet_with_rows_but_no_header_is_an_error(book_with):
    path = book_with({"kostnader": [["P1", D, "personal", 100]]})
    exc = load_fails(path)
    assert found(exc) == {("sheet.no_header", "kostnader", None)}
    assert "'projekt_id'/'project_id'" in exc.problems[0].format("sv")


def test_missing_optional_sheets_give_empty_typed_tables(book_with):
    book = load(book_with())
    for key in ("budget", "costs", "requisitions", "referrals", "financing"):
        table = book.tables[key]
        assert table.empty
        spec = contract.SHEETS_BY_KEY[key]
        assert list(table.columns) == [c.key for c in spec.columns] + ["sheet", "row"]
    assert book.costs["amount"].dtype == "float64"
    assert pd.api.types.is_datetime64_dtype(book.costs["date"])
    assert list(book.costs["category"].cat.categories) == list(contract.CATEGORY_KEYS)
    assert book.referrals["count"].dtype == "Int64"
    assert book.costs["row"].dtype == "int64"


def test_referrals_need_an_age_or_an_age_group_column(book_with):
    path = referrals_with(book_with, ["P1", D, 3], header=["projekt_id", "datum", "antal"])
    exc = load_fails(path)
    assert found(exc) == {("sheet.one_of_missing", "anmälningar", "A1")}


# --- amounts ----------------------------------------------------------------------------


def test_numeric_amount_cell_is_taken_as_it_is(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 1006698], ["P1", D, "personal", 12.75])
    assert load(path).costs["amount"].tolist() == [1006698.0, 12.75]


@pytest.mark.parametrize(("text", "kronor"), [
    ("1 006 698", 1006698.0),
    ("1 289000", 1289000.0),
    ("1\u00a0289\u00a0000", 1289000.0),
    ("1\u2009289\u2009000", 1289000.0),
    ("1\u202f289\u202f000", 1289000.0),
    ("1.040", 1040.0),
    ("1.289.000", 1289000.0),
    ("12,5", 12.5),
    ("1 289 000,50", 1289000.5),
    ("250 tkr", 250000.0),
    ("12,5 tkr", 12500.0),
    ("2 mkr", 2000000.0),
    ("1,5 Mkr", 1500000.0),
    ("500 kr", 500.0),
    ("500 SEK", 500.0),
    ("  700  ", 700.0),
], ids=repr)
def test_text_amount_is_read_the_swedish_way(book_with, text, kronor):
    path = grants_with(book_with, ["P1", D, text])
    assert load(path).grants["amount"].tolist() == [kronor]


def test_header_unit_tkr_scales_the_whole_column(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 250], ["P1", D, "personal", "1,5"],
                      ["P1", D, "personal", "1 200"],
                      header=["projekt_id", "datum", "kategori", "belopp (tkr)"])
    assert load(path).costs["amount"].tolist() == [250000.0, 1500.0, 1200000.0]


def test_header_unit_mkr_scales_the_whole_column(book_with):
    path = grants_with(book_with, ["P1", D, 2], ["P1", D, "0,5"],
                       header=["projekt_id", "beslutsdatum", "Belopp (MKR)"])
    assert load(path).grants["amount"].tolist() == [2000000.0, 500000.0]


def test_header_unit_kr_leaves_amounts_as_they_are(book_with):
    path = grants_with(book_with, ["P1", D, 2500], header=["projekt_id", "beslutsdatum",
                                                          "belopp (kr)"])
    assert load(path).grants["amount"].tolist() == [2500.0]


def test_cell_unit_overrides_the_header_unit(book_with):
    path = costs_with(book_with, ["P1", D, "personal", "500 kr"], ["P1", D, "personal", "2 mkr"],
                      ["P1", D, "personal", "3 tkr"],
                      header=["projekt_id", "datum", "kategori", "belopp (tkr)"])
    assert load(path).costs["amount"].tolist() == [500.0, 2000000.0, 3000.0]


def test_unknown_header_unit_is_an_error(book_with):
    path = grants_with(book_with, ["P1", D, 100],
                       header=["projekt_id", "beslutsdatum", "belopp (euro)"])
    exc = load_fails(path)
    assert found(exc) == {("sheet.header_unit", "beslut", "C1")}


@pytest.mark.parametrize("text", ["12.5", "1,234,567", "ca 500", "—", "N/A", "500 euro",
                                  "1 000.50", "12,5,0", "+-5", "1.04", "tkr"], ids=repr)
def test_unreadable_amount_text_is_an_error_naming_the_cell(book_with, text):
    path = costs_with(book_with, ["P1", D, "personal", 100], ["P1", D, "personal", text])
    exc = load_fails(path)
    assert found(exc) == {("cell.amount_invalid", "kostnader", "D3")}
    line = exc.problems[0].format("en")
    assert line.startswith("kostnader!D3: ")
    assert "1 289 000" in line  # says how to write it


def test_na_text_is_an_error_not_a_missing_value(book_with):
    path = book_with({
        "projekt": [["projekt_id", "namn", "slut"], ["P1", "Ett", "N/A"]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", D, "N/A"]],
    })
    exc = load_fails(path)
    assert found(exc) == {("cell.date_invalid", "projekt", "C2"),
                          ("cell.amount_invalid", "beslut", "C2")}


def test_empty_required_amount_is_an_error(book_with):
    path = costs_with(book_with, ["P1", D, "personal", None, "en rad utan belopp"],
                      header=[*COST_HEADER, "beskrivning"])
    exc = load_fails(path)
    assert found(exc) == {("cell.required_empty", "kostnader", "D2")}


@pytest.mark.parametrize("value", [-1500, "-1 500", "\u22121 500", "- 1 500 kr"], ids=repr)
def test_negative_costs_are_allowed(book_with, value):
    path = costs_with(book_with, ["P1", D, "personal", 3000], ["P1", D, "personal", value])
    assert load(path).costs["amount"].tolist() == [3000.0, -1500.0]


def test_unicode_minus_makes_an_amount_negative(book_with):
    path = costs_with(book_with, ["P1", D, "personal", "\u2212250 tkr"])
    assert load(path).costs["amount"].tolist() == [-250000.0]


NEGATIVE_REFUSED = {
    "beslut": ("grants", ["projekt_id", "beslutsdatum", "belopp"], "C2"),
    "budget": ("budget", ["projekt_id", "kategori", "belopp"], "C2"),
    "rekvisitioner": ("requisitions", ["projekt_id", "datum", "belopp"], "C2"),
    "finansiering": ("financing", ["projekt_id", "källa", "belopp"], "C2"),
}


@pytest.mark.parametrize("value", [-100, -0.5, "-100", "\u2212100", "-1 tkr"], ids=repr)
@pytest.mark.parametrize("sheet", list(NEGATIVE_REFUSED))
def test_negative_amount_is_refused_outside_costs(book_with, sheet, value):
    _key, header, cell = NEGATIVE_REFUSED[sheet]
    second = {"projekt_id": "P1", "beslutsdatum": D, "datum": D, "kategori": "lokaler",
              "källa": "kommunen", "belopp": value}
    path = book_with({sheet: [header, [second[h] for h in header]]})
    exc = load_fails(path)
    assert found(exc) == {("cell.amount_negative", sheet, cell)}


def test_zero_grant_is_not_negative(book_with):
    path = grants_with(book_with, ["P1", D, 0], ["P1", D, "0 kr"])
    assert load(path).grants["amount"].tolist() == [0.0, 0.0]


def test_boolean_in_amount_column_is_an_error(book_with):
    path = costs_with(book_with, ["P1", D, "personal", True])
    exc = load_fails(path)
    assert found(exc) == {("cell.bool_number", "kostnader", "D2")}


@pytest.mark.parametrize(("header", "column", "code"), [
    ("antal", "E", "cell.count_invalid"),
    ("ålder", "C", "cell.age_invalid"),
])
def test_boolean_in_count_or_age_column_is_an_error(book_with, header, column, code):
    row = {"projekt_id": "P1", "datum": D, "ålder": 10, "åldersgrupp": None, "antal": 1}
    row[header] = False
    path = referrals_with(book_with, [row[h] for h in REFERRAL_HEADER])
    exc = load_fails(path)
    assert found(exc) == {(code, "anmälningar", f"{column}2")}


def test_boolean_in_share_column_is_an_error(book_with):
    path = grants_with(book_with, ["P1", D, 100, True],
                       header=["projekt_id", "beslutsdatum", "belopp", "innehållen_andel"])
    exc = load_fails(path)
    assert found(exc) == {("cell.share_invalid", "beslut", "D2")}


def test_boolean_in_a_text_column_is_an_error_about_text(book_with):
    path = book_with({"projekt": [["projekt_id", "namn"], ["P1", True]]})
    exc = load_fails(path)
    assert found(exc) == {("cell.bool_text", "projekt", "B2")}
    assert "text" in exc.problems[0].format("en")


# --- dates ------------------------------------------------------------------------------


def test_date_cell_is_read(book_with):
    path = costs_with(book_with, ["P1", dt.date(2009, 11, 5), "personal", 1],
                      ["P1", dt.datetime(2009, 11, 6, 0, 0), "personal", 1])
    assert load(path).costs["date"].tolist() == [pd.Timestamp("2009-11-05"),
                                                 pd.Timestamp("2009-11-06")]


@pytest.mark.parametrize(("text", "date"), [
    ("2009-11-05", "2009-11-05"),
    (" 2009-11-05 ", "2009-11-05"),
    ("2010-03", "2010-03-01"),
    ("5 november 2009", "2009-11-05"),
    ("5 November 2009", "2009-11-05"),
    ("1 mars 2010", "2010-03-01"),
    ("31 december 2010", "2010-12-31"),
    ("mars 2010", "2010-03-01"),
], ids=repr)
def test_text_date_is_read(book_with, text, date):
    path = costs_with(book_with, ["P1", text, "personal", 1])
    assert load(path).costs["date"].tolist() == [pd.Timestamp(date)]


def test_month_means_its_first_day(book_with):
    path = costs_with(book_with, ["P1", "2010-03", "personal", 1])
    assert load(path).costs.loc[0, "date"] == pd.Timestamp(2010, 3, 1)


def test_excel_serial_number_in_a_plain_number_cell_is_a_date(book_with):
    path = costs_with(book_with, ["P1", 40122, "personal", 1])  # 2009-11-05
    assert load(path).costs["date"].tolist() == [pd.Timestamp("2009-11-05")]


def test_1904_date_system_shifts_serial_numbers(book_with):
    def mac(book):
        book.epoch = CALENDAR_MAC_1904

    path = costs_with(book_with, ["P1", 38656, "personal", 1])
    path_1904 = book_with({"kostnader": [COST_HEADER, ["P1", 38656, "personal", 1]]}, edit=mac)
    assert load(path).costs.loc[0, "date"] == pd.Timestamp("2005-10-31")
    assert load(path_1904).costs.loc[0, "date"] == pd.Timestamp("2009-11-01")


def test_1904_date_system_keeps_date_cells(book_with):
    def mac(book):
        book.epoch = CALENDAR_MAC_1904

    path = book_with({"kostnader": [COST_HEADER, ["P1", dt.date(2009, 11, 5), "personal", 1]]},
                     edit=mac)
    book = load(path)
    assert book.costs["date"].tolist() == [pd.Timestamp("2009-11-05")]
    assert book.grants["decision_date"].tolist() == [pd.Timestamp("2020-01-15")]


@pytest.mark.parametrize("value", ["2009-13-01", "2009-02-30", "31 februari 2010",
                                   "5 brumaire 2009", "igår", "05/11/2009", "N/A", 5, 3_000_000,
                                   True], ids=repr)
def test_bad_date_is_an_error_naming_the_cell(book_with, value):
    path = costs_with(book_with, ["P1", D, "personal", 1], ["P1", value, "personal", 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.date_invalid", "kostnader", "B3")}


# --- categories -------------------------------------------------------------------------

CATEGORY_SPELLINGS = [
    *[(key, key) for key in contract.CATEGORY_KEYS],
    ("Personal, inkl. sociala avgifter", "personal"),
    ("Kostnader för verksamhet", "verksamhet"),
    ("Lokaler", "lokaler"),
    ("Administration", "administration"),
    ("Utvärdering", "utvardering"),
    ("Övrigt", "ovrigt"),
    ("staff", "personal"),
    ("activities", "verksamhet"),
    ("premises", "lokaler"),
    ("administration", "administration"),
    ("evaluation", "utvardering"),
    ("other", "ovrigt"),
    ("lön", "personal"),
    ("löner", "personal"),
    ("salaries", "personal"),
    ("resor", "verksamhet"),
    ("studiebesök", "verksamhet"),
    ("transport", "verksamhet"),
    ("travel", "verksamhet"),
    ("hyra", "lokaler"),
    ("rent", "lokaler"),
    ("trycksaker", "ovrigt"),
    ("informationsmaterial", "ovrigt"),
    ("printing", "ovrigt"),
    ("  LÖNER ", "personal"),
    ("PERSONAL, INKL. SOCIALA AVGIFTER", "personal"),
]


@pytest.mark.parametrize(("label", "key"), CATEGORY_SPELLINGS, ids=repr)
def test_category_spelling_is_read_as_its_key(book_with, label, key):
    path = costs_with(book_with, ["P1", D, label, 1])
    assert load(path).costs["category"].tolist() == [key]


def test_category_in_budget_is_read_as_its_key(book_with):
    path = book_with({"budget": [["projekt_id", "kategori", "belopp"],
                                 ["P1", "Utvärdering", 100], ["P1", "hyra", 200]]})
    assert load(path).budget["category"].tolist() == ["utvardering", "lokaler"]


@pytest.mark.parametrize("label", ["Konsulter", "personalen", "12", "staff costs"], ids=repr)
def test_unknown_category_is_an_error_listing_the_accepted_ones(book_with, label):
    path = costs_with(book_with, ["P1", D, "personal", 1], ["P1", D, label, 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.category_unknown", "kostnader", "C3")}
    hint = exc.problems[0].hint("en")
    for cat in contract.CATEGORIES:
        assert cat.key in hint
        assert cat.sv in hint


def test_empty_category_is_an_error(book_with):
    path = costs_with(book_with, ["P1", D, None, 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.required_empty", "kostnader", "C2")}


# --- referrals: ages, age groups, counts --------------------------------------------------


def test_age_is_read_and_gives_its_age_group(book_with):
    ages = [0, 17, 18, 19, 20, 120, "15 år"]
    path = referrals_with(book_with, *[["P1", D, a, None, 1] for a in ages])
    book = load(path)
    assert book.referrals["age"].tolist() == [0, 17, 18, 19, 20, 120, 15]
    assert book.referrals["age_group"].tolist() == ["0-17", "0-17", "18-19", "18-19", "20+",
                                                    "20+", "0-17"]


@pytest.mark.parametrize("age", [121, -1, 17.5, "sjutton", "N/A"], ids=repr)
def test_age_outside_0_to_120_or_not_whole_is_an_error(book_with, age):
    path = referrals_with(book_with, ["P1", D, age, None, 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.age_invalid", "anmälningar", "C2")}


@pytest.mark.parametrize(("text", "band"), [
    ("0-17", "0-17"),
    ("0–17", "0-17"),
    ("under 18", "0-17"),
    ("Under 18 år", "0-17"),
    ("<18", "0-17"),
    ("< 18", "0-17"),
    ("18-19", "18-19"),
    ("18–19", "18-19"),
    ("18 - 19 år", "18-19"),
    ("20 och äldre", "20+"),
    ("20 år och äldre", "20+"),
    ("20+", "20+"),
    ("över 19", "20+"),
], ids=repr)
def test_age_group_spelling_is_read_as_its_band(book_with, text, band):
    path = referrals_with(book_with, ["P1", D, None, text, 1])
    assert load(path).referrals["age_group"].tolist() == [band]


@pytest.mark.parametrize("text", ["barn", "10-25", "18+", "19-18", "17"], ids=repr)
def test_age_group_outside_the_bands_is_an_error(book_with, text):
    path = referrals_with(book_with, ["P1", D, None, text, 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.age_group_invalid", "anmälningar", "D2")}
    assert "0-17, 18-19, 20+" in exc.problems[0].hint("sv")


def test_age_and_age_group_that_disagree_are_an_error(book_with):
    path = referrals_with(book_with, ["P1", D, 17, "18-19", 1], ["P1", D, 18, "18–19", 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.age_conflict", "anmälningar", "D2")}


def test_age_and_age_group_that_agree_are_kept(book_with):
    path = referrals_with(book_with, ["P1", D, 19, "18–19", 1])
    book = load(path)
    assert book.referrals.loc[0, ["age", "age_group"]].tolist() == [19, "18-19"]


def test_neither_age_nor_age_group_is_an_error(book_with):
    path = referrals_with(book_with, ["P1", D, 5, None, 1], ["P1", D, None, None, 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.age_missing", "anmälningar", "C3")}


def test_age_group_column_alone_is_enough(book_with):
    path = referrals_with(book_with, ["P1", D, "under 18"],
                          header=["projekt_id", "datum", "åldersgrupp"])
    book = load(path)
    assert book.referrals["age_group"].tolist() == ["0-17"]
    assert book.referrals["age"].isna().all()


def test_custom_age_bands_are_used_for_ages_and_groups(book_with):
    bands = contract.age_bands("0-15,16-19,20+")
    path = referrals_with(book_with, ["P1", D, 15, None, 1], ["P1", D, 16, None, 1],
                          ["P1", D, None, "16–19", 1], ["P1", D, None, "under 16", 1],
                          ["P1", D, None, "20 och äldre", 1])
    book = load(path, age_bands=bands)
    assert book.referrals["age_group"].tolist() == ["0-15", "16-19", "16-19", "0-15", "20+"]
    assert list(book.referrals["age_group"].cat.categories) == ["0-15", "16-19", "20+"]
    assert book.age_bands == bands


def test_group_of_the_default_bands_does_not_fit_custom_bands(book_with):
    path = referrals_with(book_with, ["P1", D, None, "under 18", 1])
    exc = load_fails(path, age_bands=contract.age_bands("0-15,16-19,20+"))
    assert found(exc) == {("cell.age_group_invalid", "anmälningar", "D2")}
    assert "0-15, 16-19, 20+" in exc.problems[0].hint("en")


def test_age_conflicting_with_a_custom_band_is_an_error(book_with):
    path = referrals_with(book_with, ["P1", D, 17, "0-15", 1])
    exc = load_fails(path, age_bands=contract.age_bands("0-15,16-19,20+"))
    assert found(exc) == {("cell.age_conflict", "anmälningar", "D2")}


def test_count_defaults_to_one_when_empty(book_with):
    path = referrals_with(book_with, ["P1", D, 10, None, None], ["P1", D, 10, None, 4],
                          ["P1", D, 10, None, "3 st"])
    assert load(path).referrals["count"].tolist() == [1, 4, 3]


def test_count_defaults_to_one_without_a_count_column(book_with):
    path = referrals_with(book_with, ["P1", D, 10], header=["projekt_id", "datum", "ålder"])
    assert load(path).referrals["count"].tolist() == [1]


@pytest.mark.parametrize("count", [-1, 2.5, "några"], ids=repr)
def test_bad_count_is_an_error(book_with, count):
    path = referrals_with(book_with, ["P1", D, 10, None, count])
    exc = load_fails(path)
    assert found(exc) == {("cell.count_invalid", "anmälningar", "E2")}


# --- holdback share ---------------------------------------------------------------------

SHARE_HEADER = ["projekt_id", "beslutsdatum", "belopp", "innehållen_andel"]


def test_holdback_share_defaults_to_zero(book_with):
    path = grants_with(book_with, ["P1", D, 100, None], header=SHARE_HEADER)
    assert load(path).grants["holdback_share"].tolist() == [0.0]


def test_holdback_share_defaults_to_zero_without_the_column(book_with):
    assert load(book_with()).grants["holdback_share"].tolist() == [0.0]


@pytest.mark.parametrize(("value", "share"), [
    ("20 %", 0.2), ("20%", 0.2), ("0,2", 0.2), ("0.2", 0.2), (0.2, 0.2), (0, 0.0), (1, 1.0),
    ("12,5 %", 0.125),
], ids=repr)
def test_holdback_share_is_read(book_with, value, share):
    path = grants_with(book_with, ["P1", D, 100, value], header=SHARE_HEADER)
    assert load(path).grants["holdback_share"].tolist() == [pytest.approx(share)]


@pytest.mark.parametrize("value", [1.5, "120 %", "-0,1", "hälften", 20], ids=repr)
def test_holdback_share_outside_0_to_1_is_an_error(book_with, value):
    path = grants_with(book_with, ["P1", D, 100, value], header=SHARE_HEADER)
    exc = load_fails(path)
    assert found(exc) == {("cell.share_invalid", "beslut", "D2")}


# --- project ids --------------------------------------------------------------------------


def test_project_id_unknown_in_another_sheet_names_the_cell(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 1], ["P2", D, "personal", 1])
    exc = load_fails(path)
    assert found(exc) == {("cell.project_unknown", "kostnader", "A3")}
    assert "P2" in exc.problems[0].format("en")


def test_project_id_unknown_names_the_cell_of_a_moved_column(book_with):
    path = costs_with(book_with, [D, "personal", 1, "P9"],
                      header=["datum", "kategori", "belopp", "projekt_id"])
    exc = load_fails(path)
    assert found(exc) == {("cell.project_unknown", "kostnader", "D2")}


def test_project_id_unknown_in_every_sheet_is_reported(book_with):
    path = book_with({
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", D, 1], ["X", D, 1]],
        "finansiering": [["projekt_id", "källa", "belopp"], ["Y", "kommunen", 1]],
    })
    exc = load_fails(path)
    assert found(exc) == {("cell.project_unknown", "beslut", "A3"),
                          ("cell.project_unknown", "finansiering", "A2")}


def test_duplicate_project_id_is_an_error(book_with):
    path = book_with({"projekt": [["projekt_id", "namn"], P1, ["P2", "Två"], ["P1", "Igen"]]})
    exc = load_fails(path)
    assert found(exc) == {("cell.project_duplicate", "projekt", "A4")}
    assert exc.problems[0].params["other"] == 2


def test_numeric_project_ids_match_across_sheets(write_xlsx):
    path = write_xlsx({
        "projekt": [["projekt_id", "namn"], [101, "Ett"]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], [101, D, 5], ["101", D, 6]],
    })
    book = load(path)
    assert book.projects["project_id"].tolist() == ["101"]
    assert book.grants["project_id"].tolist() == ["101", "101"]


def test_empty_project_id_is_an_error(book_with):
    path = costs_with(book_with, [None, D, "personal", 1, "x"],
                      header=[*COST_HEADER, "beskrivning"])
    exc = load_fails(path)
    assert found(exc) == {("cell.required_empty", "kostnader", "A2")}


# --- personal identity numbers ------------------------------------------------------------


def _pnr_forms() -> list[tuple[str, Any, str]]:
    ten = personnummer("811218")  # 811218 + 238 + check digit
    coord = personnummer("811278")  # samordningsnummer: day 18 + 60
    return [
        ("ten digits with hyphen", f"{ten[:6]}-{ten[6:]}", ten),
        ("ten digits with plus", f"{ten[:6]}+{ten[6:]}", ten),
        ("ten bare digits", ten, ten),
        ("twelve digits with hyphen", f"19{ten[:6]}-{ten[6:]}", ten),
        ("twelve bare digits", f"19{ten}", ten),
        ("inside a sentence", f"Kontakt: 19{ten[:6]}-{ten[6:]} (mamma)", ten),
        ("twelve-digit number cell", int(f"19{ten}"), ten),
        ("ten-digit number cell", int(ten), ten),
        ("samordningsnummer", f"{coord[:6]}-{coord[6:]}", coord),
        ("samordningsnummer with century", f"19{coord}", coord),
    ]


@pytest.mark.parametrize(("value", "digits"), [f[1:] for f in _pnr_forms()],
                         ids=[f[0] for f in _pnr_forms()])
def test_identity_number_is_refused_with_the_cell_named_and_masked(book_with, value, digits):
    path = costs_with(book_with, ["P1", D, "personal", 1, "ok"], ["P1", D, "personal", 1, value],
                      header=[*COST_HEADER, "beskrivning"])
    exc = load_fails(path)
    assert found(exc) == {("cell.personal_number", "kostnader", "E3")}
    for lang in ("sv", "en"):
        text = exc.format(lang)
        assert digits not in text
        assert digits[-4:] not in text
        assert "xxxx" in text
    assert digits not in exc.to_frame().to_string()
    assert digits not in str(exc)


@pytest.mark.parametrize(("where", "cell"), [
    ("projekt_id", "A3"), ("datum", "B3"), ("kategori", "C3"), ("belopp", "D3"),
], ids=lambda x: str(x))
def test_identity_number_in_a_typed_column_is_never_shown(book_with, where, cell):
    ten = personnummer("750505", "112")
    masked = f"{ten[:6]}-{ten[6:]}"
    row = {"projekt_id": "P1", "datum": D, "kategori": "personal", "belopp": 1}
    row[where] = masked
    path = costs_with(book_with, ["P1", D, "personal", 1], [row[h] for h in COST_HEADER])
    exc = load_fails(path)
    assert ("cell.personal_number", "kostnader", cell) in found(exc)
    for lang in ("sv", "en"):
        assert ten[:6] not in exc.format(lang)
        assert ten[6:] not in exc.format(lang)
    assert ten[:6] not in str(exc)


def test_identity_number_as_project_id_is_not_listed_among_known_projects(write_xlsx):
    ten = personnummer("750505", "112")
    path = write_xlsx({
        "projekt": [["projekt_id", "namn"], [f"{ten[:6]}-{ten[6:]}", "Ett"], ["P1", "Två"]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", D, 1], ["P7", D, 1]],
    })
    exc = load_fails(path)
    assert ("cell.personal_number", "projekt", "A2") in found(exc)
    assert ("cell.project_unknown", "beslut", "A3") in found(exc)
    for lang in ("sv", "en"):
        assert ten[:6] not in exc.format(lang)


def test_identity_number_as_a_whole_number_cell_is_refused(book_with, monkeypatch):
    """.xls files give whole numbers as ``int``, not ``float`` like .xlsx."""
    import importlib

    loader = importlib.import_module("grantstats.reading.loader")
    ten = personnummer("811218")
    path = book_with({"projekt": [["projekt_id", "namn", "kontakt"], ["P1", "Ett", int(ten)]]})
    real = loader.read_workbook

    def as_xls(path, *args, **kwargs):
        raw = real(path, *args, **kwargs)
        for sheet in raw.sheets:
            sheet.rows = [[int(v) if type(v) is float and v.is_integer() else v for v in row]
                          for row in sheet.rows]
        return raw

    monkeypatch.setattr(loader, "read_workbook", as_xls)
    exc = load_fails(path)
    assert found(exc) == {("cell.personal_number", "projekt", "C2")}


def test_identity_number_in_an_ignored_sheet_is_refused(book_with):
    ten = personnummer("050101", "987")
    path = book_with({"Kontakter": [["namn", "pnr"], ["Anna", f"20{ten}"]]})
    exc = load_fails(path)
    assert found(exc) == {("cell.personal_number", "Kontakter", "B2")}
    assert ten not in exc.format("sv")


def test_identity_number_in_an_ignored_column_is_refused(book_with):
    ten = personnummer("811218")
    path = book_with({"projekt": [["projekt_id", "namn", "kontakt"],
                                  ["P1", "Ett", f"{ten[:6]}-{ten[6:]}"]]})
    exc = load_fails(path)
    assert found(exc) == {("cell.personal_number", "projekt", "C2")}


@pytest.mark.parametrize("text", [
    "801-09-060935",                  # diarienummer
    "08-508 25 006",                  # phone number
    "08-50825006",
    "070-123 45 67",
    "Dnr 801-09-060935, tel 08-508 25 006",
    "811218-2389",                    # wrong check digit
    "811318-2380",                    # month 13
    "2020-01-15 - 2020-12-31",
    "1 006 698",
], ids=repr)
def test_case_and_phone_numbers_are_not_identity_numbers(book_with, text):
    ten = personnummer("811218")
    assert text != f"{ten[:6]}-{ten[6:]}"
    path = costs_with(book_with, ["P1", D, "personal", 1, text],
                      header=[*COST_HEADER, "beskrivning"])
    assert load(path).costs["description"].tolist() == [text]


def test_case_number_in_reference_column_is_kept(book_with):
    path = grants_with(book_with, ["P1", D, 100, "801-09-060935"],
                       header=["projekt_id", "beslutsdatum", "belopp", "diarienummer"])
    assert load(path).grants["reference"].tolist() == ["801-09-060935"]


def test_large_amount_number_cell_is_not_an_identity_number(book_with):
    path = grants_with(book_with, ["P1", D, 8112182380])  # ten digits but a bad check digit
    ten = int(personnummer("811218"))
    assert ten != 8112182380
    assert load(path).grants["amount"].tolist() == [8112182380.0]


# --- totals rows --------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["Summa", "Totalt", "Total", "Sum", "SUMMA:", "Summa kostnader",
                                  " totalt "])
def test_totals_row_is_not_data_and_an_agreeing_total_is_noted(book_with, word):
    path = costs_with(book_with, ["P1", D, "personal", 1000], ["P1", D, "lokaler", "2 500"],
                      [word, None, None, 3500])
    book = load(path)
    assert book.costs["amount"].tolist() == [1000.0, 2500.0]
    assert book.costs["row"].tolist() == [2, 3]
    assert ("note.total_ok", "kostnader", "D4") in notes(book)


def test_totals_row_whose_first_cell_is_not_in_column_a(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 1000], [None, None, "Summa", 1000])
    book = load(path)
    assert len(book.costs) == 1
    assert ("note.total_ok", "kostnader", "D3") in notes(book)


def test_totals_row_that_disagrees_is_an_error_naming_both_figures(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 1000], ["P1", D, "lokaler", 2500],
                      ["Summa", None, None, 4000])
    exc = load_fails(path)
    assert found(exc) == {("total.mismatch", "kostnader", "D4")}
    line = exc.problems[0].format("en").replace("\u00a0", " ")
    assert "4 000" in line
    assert "3 500" in line


def test_totals_row_that_left_out_text_amounts_says_why(book_with):
    """A spreadsheet's SUM()/SUMMA() skips text: a stated total that is the sum of the
    number cells alone says so, names the text cells and how to fix it."""
    path = costs_with(book_with, ["P1", D, "personal", 1000], ["P1", D, "lokaler", "2 500 kr"],
                      ["P1", D, "lokaler", 300], ["Summa", None, None, 1300])
    exc = load_fails(path)
    assert found(exc) == {("total.text_skipped", "kostnader", "D5")}
    line = exc.problems[0].format("sv").replace("\u00a0", " ")
    assert "summaraden säger 1 300 kr" in line and "1 belopp är skrivna som text (D3)" in line
    assert "SUMMA() hoppar över text" in line and "summerar till 3 800 kr" in line
    assert "gör textbeloppen till tal" in line
    assert "SUM() skips text" in exc.problems[0].format("en")


def test_totals_row_that_is_simply_wrong_still_says_mismatch(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 1000], ["P1", D, "lokaler", "2 500"],
                      ["Summa", None, None, 999])
    assert found(load_fails(path)) == {("total.mismatch", "kostnader", "D4")}


def test_totals_row_in_a_tkr_column_is_scaled_like_the_column(book_with):
    path = grants_with(book_with, ["P1", D, 250], ["P1", D, "1,5"], ["Totalt", None, "251,5"],
                       header=["projekt_id", "beslutsdatum", "belopp (tkr)"])
    book = load(path)
    assert book.grants["amount"].tolist() == [250000.0, 1500.0]
    assert ("note.total_ok", "beslut", "C4") in notes(book)


def test_subtotals_are_checked_against_the_rows_since_the_last_total(book_with):
    path = costs_with(book_with,
                      ["P1", D, "personal", 100], ["P1", D, "personal", 200],
                      ["Summa", None, None, 300],
                      ["P1", D, "lokaler", 50],
                      ["Summa", None, None, 50],
                      ["Totalt", None, None, 350])
    book = load(path)
    assert book.costs["amount"].tolist() == [100.0, 200.0, 50.0]
    assert {("note.total_ok", "kostnader", c) for c in ("D4", "D6", "D7")} <= notes(book)


def test_totals_row_in_projects_is_not_a_project(book_with):
    path = book_with({"projekt": [["projekt_id", "namn"], P1, ["Totalt", "1 projekt"]]})
    assert load(path).projects["project_id"].tolist() == ["P1"]


# --- formulas ------------------------------------------------------------------------------


def test_formula_with_stored_result_counts_by_the_result(book_with):
    path = grants_with(book_with, ["P1", D, "=40000+60000"])
    store_formula_results(path, "beslut", {"C2": 100000})
    assert load(path).grants["amount"].tolist() == [100000.0]


def test_text_formula_with_stored_result_counts_by_the_result(book_with):
    path = book_with({"projekt": [["projekt_id", "namn"], ["P1", '="Projekt "&"ett"']]})

    def as_text(xml: str) -> str:
        return re.sub(r'<c r="B2"([^>]*)>', r'<c r="B2"\1 t="str">', xml)

    rewrite_zip(path, {sheet_part(path, "projekt"): as_text})
    store_formula_results(path, "projekt", {"B2": "Projekt ett"})
    assert load(path).projects["name"].tolist() == ["Projekt ett"]


def test_formula_totals_row_with_stored_result_is_checked(book_with):
    path = costs_with(book_with, ["P1", D, "personal", 1000], ["P1", D, "personal", 500],
                      ["Summa", None, None, "=SUM(D2:D3)"])
    store_formula_results(path, "kostnader", {"D4": 1500})
    book = load(path)
    assert book.costs["amount"].tolist() == [1000.0, 500.0]
    assert ("note.total_ok", "kostnader", "D4") in notes(book)


def test_formula_without_stored_result_is_an_error(book_with):
    path = grants_with(book_with, ["P1", D, "=40000+60000"])
    drop_recalc_flag(path)
    exc = load_fails(path)
    assert ("cell.formula_no_value", "beslut", "C2") in found(exc)
    assert "open and save the file in Excel or LibreOffice" in only(
        exc, "cell.formula_no_value").format("en")


def test_formula_without_stored_result_is_only_reported_as_such(book_with):
    path = grants_with(book_with, ["P1", D, "=40000+60000"])
    drop_recalc_flag(path)
    exc = load_fails(path)
    assert found(exc) == {("cell.formula_no_value", "beslut", "C2")}


def test_formula_in_a_workbook_that_asks_for_recalculation_is_an_error(book_with):
    path = grants_with(book_with, ["P1", D, "=40000+60000"])
    store_formula_results(path, "beslut", {"C2": 100000}, recalc=True)
    exc = load_fails(path)
    assert found(exc) == {("cell.formula_recalc", "beslut", "C2")}
    assert "open and save the file in Excel or LibreOffice" in exc.problems[0].format("en")


def test_formula_as_written_by_openpyxl_is_an_error(book_with):
    path = costs_with(book_with, ["P1", D, "personal", "=2*500"])
    exc = load_fails(path)
    assert ("kostnader", "D2") in {(p.sheet, p.cell) for p in exc.problems
                                   if p.code.startswith("cell.formula_")}


def test_formula_in_an_ignored_column_is_not_an_error(book_with):
    path = book_with({"projekt": [["projekt_id", "namn", "anteckning"], ["P1", "Ett", "=1+1"]]})
    store_formula_results(path, "projekt", {"C2": 2}, recalc=True)
    assert load(path).projects["project_id"].tolist() == ["P1"]


# --- merged cells ---------------------------------------------------------------------------


def test_merged_text_cells_repeat_their_value_over_the_range(book_with):
    def merge(book):
        book["kostnader"].merge_cells("A2:A4")
        book["kostnader"].merge_cells("C3:C4")

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 1],
                                    [None, D, "hyra", 2], [None, D, None, 3]]}, edit=merge)
    book = load(path)
    assert book.costs["project_id"].tolist() == ["P1", "P1", "P1"]
    assert book.costs["category"].tolist() == ["personal", "lokaler", "lokaler"]


def test_merged_date_cells_repeat_their_value(book_with):
    def merge(book):
        book["kostnader"].merge_cells("B2:B3")

    path = book_with({"kostnader": [COST_HEADER, ["P1", "2010-03", "personal", 1],
                                    ["P1", None, "lokaler", 2]]}, edit=merge)
    assert load(path).costs["date"].tolist() == [pd.Timestamp("2010-03-01")] * 2


def test_merged_amount_cells_are_an_error(book_with):
    def merge(book):
        book["kostnader"].merge_cells("D2:D3")

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 5000],
                                    ["P1", D, "lokaler", None]]}, edit=merge)
    exc = load_fails(path)
    assert ("cell.merged_number", "kostnader", "D2") in found(exc)
    # the amount is not repeated: the other cell of the range stays empty
    assert found(exc) <= {("cell.merged_number", "kostnader", "D2"),
                          ("cell.required_empty", "kostnader", "D3")}
    assert only(exc, "cell.merged_number").params["range"] == "D2:D3"


def test_merged_count_cells_are_an_error(book_with):
    def merge(book):
        book["anmälningar"].merge_cells("E2:E3")

    path = referrals_with(book_with, ["P1", D, 10, None, 4], ["P1", D, 11, None, None],
                          edit=merge)
    exc = load_fails(path)
    assert found(exc) == {("cell.merged_number", "anmälningar", "E2")}


def test_merged_title_above_the_header_is_fine(book_with):
    def merge(book):
        book["kostnader"].merge_cells("A1:D1")

    path = book_with({"kostnader": [["Kostnader 2020"], COST_HEADER, ["P1", D, "personal", 1]]},
                     edit=merge)
    assert load(path).costs["amount"].tolist() == [1.0]


def _load_in_a_child(path: Path) -> str:
    """What ``grantstats check --lang en`` says of a file, from a child that must end
    within a minute: a hang fails the test instead of stopping the run."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "grantstats", "check", "--lang", "en",
                             str(path)], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout + result.stderr


def test_merged_amount_range_reaching_the_last_cell_of_the_sheet_ends_quickly(book_with):
    def merge(book):
        book["kostnader"].merge_cells("D2:D3")

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 5000],
                                    ["P1", D, "lokaler", None]]}, edit=merge)
    # Excel's whole grid below the header: 1 048 575 rows × 16 381 columns
    rewrite_zip(path, {sheet_part(path, "kostnader"):
                       lambda xml: xml.replace('ref="D2:D3"', 'ref="D2:XFD1048576"')})
    assert "merged cells D2:XFD1048576 in a column of numbers" in _load_in_a_child(path)


def test_overlapping_merged_ranges_are_an_error_not_a_pass_per_range(book_with):
    def merge(book):
        book["kostnader"].merge_cells("A2:A3")

    rows = [["P1" if r == 0 else None, D, "personal", 1] for r in range(300)]
    path = book_with({"kostnader": [COST_HEADER, *rows]}, edit=merge)
    # 20 000 ranges each from its own row to Excel's last: Excel never writes such a file
    many = "".join(f'<mergeCell ref="A{r}:A1048576"/>' for r in range(2, 20_002))
    rewrite_zip(path, {sheet_part(path, "kostnader"): lambda xml: re.sub(
        r'<mergeCells count="1"><mergeCell ref="A2:A3"\s*/></mergeCells>',
        f'<mergeCells count="20000">{many}</mergeCells>', xml)})
    exc = load_fails(path)
    overlaps = [p for p in exc.problems if p.code == "cell.merged_overlap"]
    assert overlaps[0].cell == "A3" and overlaps[0].params["range"] == "A3:A1048576"
    assert "overlap other merged cells" in overlaps[0].format("en")


def test_merged_ranges_that_only_touch_are_not_overlapping(book_with):
    def merge(book):
        book["kostnader"].merge_cells("C2:C3")
        book["kostnader"].merge_cells("C4:C5")

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 1],
                                    ["P1", D, None, 2], ["P1", D, "resor", 3],
                                    ["P1", D, None, 4]]}, edit=merge)
    assert load(path).costs["category"].tolist() == ["personal", "personal", "verksamhet",
                                                  "verksamhet"]


# --- hidden sheets, rows, columns --------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_is_read_and_noted(book_with, state):
    def hide(book):
        book["kostnader"].sheet_state = state

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 1]]}, edit=hide)
    book = load(path)
    assert book.costs["amount"].tolist() == [1.0]
    assert ("note.sheet_hidden", "kostnader", None) in notes(book)


def test_hidden_rows_are_read_and_noted(book_with):
    def hide(book):
        book["kostnader"].row_dimensions[3].hidden = True

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 1],
                                    ["P1", D, "personal", 2]]}, edit=hide)
    book = load(path)
    assert book.costs["amount"].tolist() == [1.0, 2.0]
    note = [p for p in book.notes if p.code == "note.rows_hidden"]
    assert [(p.sheet, p.params["rows"]) for p in note] == [("kostnader", "3")]


def test_hidden_columns_are_read_and_noted(book_with):
    def hide(book):
        book["kostnader"].column_dimensions["D"].hidden = True

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 7]]}, edit=hide)
    book = load(path)
    assert book.costs["amount"].tolist() == [7.0]
    note = [p for p in book.notes if p.code == "note.columns_hidden"]
    assert [(p.sheet, p.params["cols"]) for p in note] == [("kostnader", "D")]


def _hidden_cols_as(path: Path, cols: str) -> None:
    """Write the sheet ``kostnader``'s column records as ``cols`` (XML)."""
    rewrite_zip(path, {sheet_part(path, "kostnader"): lambda xml: re.sub(
        r"<cols>.*?</cols>", f"<cols>{cols}</cols>", xml, flags=re.S)})


def test_hidden_column_records_outside_the_grid_are_clamped_to_it(book_with):
    def hide(book):
        book["kostnader"].column_dimensions["D"].hidden = True

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 7]]}, edit=hide)
    _hidden_cols_as(path, '<col min="-5" max="2" hidden="1"/><col min="3" max="2" hidden="1"/>'
                          '<col min="16380" max="99999" hidden="1"/><col min="x" hidden="1"/>')
    note = [p for p in load(path).notes if p.code == "note.columns_hidden"]
    assert [p.params["cols"] for p in note] == ["A, B, XEZ, XFA, XFB, XFC, XFD"]


def test_many_full_width_hidden_column_records_end_quickly(book_with):
    def hide(book):
        book["kostnader"].column_dimensions["D"].hidden = True

    path = book_with({"kostnader": [COST_HEADER, ["P1", D, "personal", 7]]}, edit=hide)
    _hidden_cols_as(path, '<col min="1" max="16384" hidden="1"/>' * 100_000)
    assert "hidden" in _load_in_a_child(path)


# --- error cells --------------------------------------------------------------------------------


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?"])
def test_error_cell_in_an_amount_column_is_an_error(book_with, error):
    path = costs_with(book_with, ["P1", D, "personal", 1], ["P1", D, "personal", error])
    exc = load_fails(path)
    assert found(exc) == {("cell.error_value", "kostnader", "D3")}
    assert exc.problems[0].params["value"] == error


def test_error_cell_in_a_text_column_is_an_error(book_with):
    path = book_with({"projekt": [["projekt_id", "namn"], ["P1", "#REF!"]]})
    exc = load_fails(path)
    assert found(exc) == {("cell.error_value", "projekt", "B2")}


def test_error_cell_in_an_optional_column_is_an_error(book_with):
    path = grants_with(book_with, ["P1", D, 1, "#N/A"],
                       header=["projekt_id", "beslutsdatum", "belopp", "slutrapport_senast"])
    exc = load_fails(path)
    assert found(exc) == {("cell.error_value", "beslut", "D2")}


# --- long texts ---------------------------------------------------------------------------------


def test_text_longer_than_excel_allows_is_an_error(book_with):
    path = book_with({"projekt": [["projekt_id", "namn"], ["P1", "x" * 100]]})
    # openpyxl cuts texts at Excel's limit; other programs do not
    rewrite_zip(path, {sheet_part(path, "projekt"):
                       lambda xml: xml.replace("x" * 100, "x" * 32_768)})
    exc = load_fails(path)
    assert found(exc) == {("cell.text_too_long", "projekt", "B2")}


# --- reporting ----------------------------------------------------------------------------------


def test_all_problems_are_reported_at_once(book_with):
    path = book_with({
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", "igår", "ca 500"]],
        "kostnader": [COST_HEADER, ["P1", D, "Konsulter", 1]],
    })
    with pytest.raises(WorkbookError) as info:
        load(path)
    assert found(info.value) == {
        ("cell.date_invalid", "beslut", "B2"),
        ("cell.amount_invalid", "beslut", "C2"),
        ("cell.category_unknown", "kostnader", "C2"),
    }
    assert len(info.value.problems) == 3


def test_problem_is_formatted_as_sheet_cell_message_and_hint_in_english(book_with):
    path = grants_with(book_with, ["P1", D, "ca 500"])
    exc = load_fails(path)
    assert exc.problems[0].format("en") == (
        "beslut!C2: 'ca 500' is not an amount — write kronor as 1 289 000, 12,5 or 250 tkr "
        "(decimal comma, spaces between thousands)")
    exc.lang = "en"
    assert str(exc) == exc.format("en")


def test_problem_is_formatted_as_sheet_cell_message_and_hint_in_swedish(book_with):
    path = grants_with(book_with, ["P1", D, "ca 500"])
    exc = load_fails(path)
    assert exc.problems[0].format("sv") == (
        "beslut!C2: 'ca 500' är inget belopp — skriv kronor som 1 289 000, 12,5 eller 250 tkr "
        "(decimalkomma, mellanslag mellan tusental)")
    assert exc.format() == exc.problems[0].format("sv")


def test_every_problem_line_has_location_message_and_hint(book_with):
    path = book_with({
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", "igår", "ca 500"],
                   ["P9", D, -5]],
        "kostnader": [COST_HEADER, ["P1", D, "Konsulter", True]],
    })
    exc = load_fails(path)
    for lang in ("sv", "en"):
        lines = exc.format(lang).splitlines()
        assert len(lines) == len(exc.problems) == 6
        for p, line in zip(exc.problems, lines, strict=True):
            assert re.fullmatch(rf"{p.sheet}!{p.cell}: .+ — .+", line), line


def test_workbook_error_to_frame_lists_every_problem(book_with):
    path = grants_with(book_with, ["P1", "igår", "ca 500"])
    exc = load_fails(path)
    frame = exc.to_frame("en")
    assert list(frame.columns) == ["sheet", "cell", "code", "message", "hint"]
    assert frame[["sheet", "cell", "code"]].values.tolist() == [
        ["beslut", "B2", "cell.date_invalid"], ["beslut", "C2", "cell.amount_invalid"]]
    assert frame.loc[1, "message"] == "'ca 500' is not an amount"
    assert frame.loc[0, "hint"] == text("cell.date_invalid.hint", "en")
    assert exc.to_frame().loc[1, "message"] == "'ca 500' är inget belopp"


def test_many_problems_of_one_kind_are_counted_after_the_first_ones(book_with):
    rows = [["P1", D, "personal", f"ca {i}"] for i in range(MAX_SAME_PROBLEMS + 5)]
    exc = load_fails(costs_with(book_with, *rows))
    assert len([p for p in exc.problems if p.code == "cell.amount_invalid"]) == MAX_SAME_PROBLEMS
    more = only(exc, "sheet.more_problems")
    assert (more.sheet, more.params["count"]) == ("kostnader", 5)


def test_a_file_that_is_not_a_workbook_gives_one_clear_problem(tmp_path):
    path = tmp_path / "inte.xlsx"
    path.write_text("det här är ingen arbetsbok\n")
    with pytest.raises(UnreadableWorkbook) as info:
        load(path)
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert problem.code.startswith("file.")
    assert "Traceback" not in info.value.format("en")
    assert len(info.value.format("en").splitlines()) == 1


def test_a_missing_file_gives_one_clear_problem(tmp_path):
    with pytest.raises(UnreadableWorkbook) as info:
        load(tmp_path / "finns-inte.xlsx")
    assert [p.code for p in info.value.problems] == ["file.not_found"]
    assert "finns-inte.xlsx" in info.value.format("sv")


def test_a_truncated_workbook_gives_one_clear_problem(book_with, tmp_path):
    data = book_with().read_bytes()
    path = tmp_path / "halv.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableWorkbook) as info:
        load(path)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].code.startswith("file.")


# --- the loaded tables ---------------------------------------------------------------------------


def test_loaded_columns_have_their_dtypes(book_with):
    path = book_with({
        "kostnader": [COST_HEADER, ["P1", D, "hyra", "1 000"], ["P1", "2010-03", "lön", 5]],
        "anmälningar": [REFERRAL_HEADER, ["P1", D, 15, None, 2], ["P1", D, None, "20+", None]],
    })
    book = load(path)
    costs = book.costs
    assert costs["amount"].dtype == "float64"
    assert pd.api.types.is_datetime64_dtype(costs["date"])
    assert isinstance(costs["category"].dtype, pd.CategoricalDtype)
    assert list(costs["category"].cat.categories) == [
        "personal", "verksamhet", "lokaler", "administration", "utvardering", "ovrigt"]
    assert pd.api.types.is_string_dtype(costs["project_id"])
    referrals = book.referrals
    assert referrals["count"].dtype == "Int64"
    assert referrals["count"].tolist() == [2, 1]
    assert referrals["age"].dtype == "Int64"
    assert isinstance(referrals["age_group"].dtype, pd.CategoricalDtype)
    assert book.grants["holdback_share"].dtype == "float64"
    assert pd.api.types.is_datetime64_dtype(book.grants["decision_date"])


def test_rows_carry_the_sheet_and_excel_row_they_came_from(book_with):
    path = book_with({"Kostnader": [["Utfall"], [], COST_HEADER, ["P1", D, "lokaler", 1], [],
                                    ["P1", D, "lokaler", 2]]})
    book = load(path)
    assert book.costs[["sheet", "row"]].values.tolist() == [["Kostnader", 4], ["Kostnader", 6]]
    assert book.costs["row"].dtype == "int64"
    assert book.projects[["sheet", "row"]].values.tolist() == [["projekt", 2]]


def test_workbook_records_path_and_checksum(book_with):
    import hashlib

    path = book_with()
    book = load(str(path))
    assert book.path == path
    assert book.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- found in review --------------------------------------------------------------------------


def _problems(path):
    with pytest.raises(WorkbookError) as info:
        load(path)
    return {(p.code, p.sheet, p.cell) for p in info.value.problems}


def test_a_project_ending_before_it_starts_is_refused_at_the_end_cell(write_xlsx):
    path = write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2009, 12, 31), dt.date(2009, 1, 1)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 1, 1), 10]],
    })
    assert ("cell.date_order", "projekt", "D2") in _problems(path)


@pytest.mark.parametrize("value", ["0209-03-01", "2250-01-01", dt.date(2250, 1, 1)])
def test_dates_outside_1950_to_2199_are_refused(write_xlsx, minimal, value):
    minimal["beslut"][1][1] = value
    assert ("cell.date_out_of_range", "beslut", "B2") in _problems(write_xlsx(minimal))


def test_a_totals_row_of_referrals_is_checked_against_the_counts(write_xlsx, minimal):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 3],
                             ["P1", dt.date(2020, 3, 1), "20+", 1],
                             ["Totalt", None, None, 9]]
    assert ("total.mismatch", "anmälningar", "D4") in _problems(write_xlsx(minimal))


def test_a_header_merged_into_the_data_is_refused(write_xlsx, minimal):
    minimal["projekt"].append([None, "Två"])

    def merge(book):
        book["projekt"].merge_cells("A1:A3")

    assert ("cell.merged_header", "projekt", "A1") in _problems(write_xlsx(minimal, edit=merge))


def test_an_identity_number_as_a_nine_digit_number_cell_is_refused(write_xlsx, minimal):
    minimal["projekt"][1].append(int("0501014328"))  # 050101-4328 with its zero lost
    problems = _problems(write_xlsx(minimal))
    assert ("cell.personal_number", "projekt", "C2") in problems


def test_an_identity_number_as_a_sheet_name_is_refused_and_masked(write_xlsx, minimal):
    minimal["811218-9876"] = [["x"]]
    with pytest.raises(WorkbookError) as info:
        load(write_xlsx(minimal))
    text = info.value.format("sv")
    assert "cell.personal_number" in {p.code for p in info.value.problems}
    assert "811218" not in text and "9876" not in text


# --- the file's content -----------------------------------------------------------------


def test_the_workbook_carries_the_sha256_of_its_bytes(write_xlsx, minimal):
    import hashlib

    path = write_xlsx(minimal)
    assert load(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_with_other_content_than_expected_is_refused(write_xlsx, minimal):
    path = write_xlsx(minimal)
    expected = load(path).sha256
    assert load(path, sha256=expected.upper()).sha256 == expected
    with pytest.raises(UnreadableWorkbook) as info:
        load(path, sha256="0" * 64)
    assert info.value.problems[0].code == "file.changed"


def test_a_file_saved_again_while_it_is_read_gives_the_version_read(write_xlsx, minimal,
                                                                    monkeypatch, in_process):
    """The file is read once: the tables and the SHA-256 are of the same bytes, never
    of two versions."""
    import grantstats.reading.loader as loader

    path = write_xlsx(minimal, name="book.xlsx")
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    read = loader.read_workbook

    def saved_meanwhile(*args, **kwargs):
        minimal["beslut"][1][2] = 1
        write_xlsx(minimal, name="book.xlsx")
        return read(*args, **kwargs)

    monkeypatch.setattr(loader, "read_workbook", saved_meanwhile)
    wb = load(path, cache=False)
    assert wb.sha256 == first != hashlib.sha256(path.read_bytes()).hexdigest()
    assert wb.tables["grants"]["amount"].tolist() == [100000.0]


def test_a_panic_inside_the_reader_is_a_damaged_file_not_a_crash(write_xlsx, minimal,
                                                                monkeypatch, in_process):
    import grantstats.reading.loader as loader

    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        pass

    def panics(*args, **kwargs):
        raise PanicException("chunk size must be non-zero")

    monkeypatch.setattr(loader, "read_workbook", panics)
    with pytest.raises(UnreadableWorkbook) as info:
        load(write_xlsx(minimal), cache=False)
    assert info.value.problems[0].code == "file.damaged"


def test_ten_bare_digits_called_an_identity_number_inside_text_are_refused(book_with):
    ten = personnummer("811218")
    path = costs_with(book_with, ["P1", D, "personal", 1, f"Samtal med pnr {ten} om placering"],
                      header=[*COST_HEADER, "beskrivning"])
    exc = load_fails(path)
    assert found(exc) == {("cell.personal_number", "kostnader", "E2")}
    assert ten not in exc.format("sv") and ten[:6] not in exc.format("en")


def test_a_file_overwritten_while_it_is_read_is_called_changed_not_damaged(
        write_xlsx, minimal, monkeypatch, in_process):
    import grantstats.reading.loader as loader

    path = write_xlsx(minimal, name="book.xlsx")

    def cut_short(*args, **kwargs):  # what reading a half-copied file looks like
        minimal["beslut"][1][2] = 1
        write_xlsx(minimal, name="book.xlsx")
        raise loader.unreadable("file.damaged", path, detail="incomplete deflate stream")

    monkeypatch.setattr(loader, "_read", cut_short)
    with pytest.raises(UnreadableWorkbook) as info:
        load(path, cache=False)
    assert info.value.problems[0].code == "file.changed"


def test_ten_digit_payment_references_inside_text_are_not_refused(book_with):
    ten = personnummer("811218")  # an OCR number can pass the date and check-digit tests
    text = f"Faktura 2403150010, OCR {ten}"
    path = costs_with(book_with, ["P1", D, "personal", 1, text],
                      header=[*COST_HEADER, "beskrivning"])
    assert load(path).costs["description"].tolist() == [text]
