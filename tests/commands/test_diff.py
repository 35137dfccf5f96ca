"""grantstats diff: two versions of a workbook written by the tests, compared as a user would."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from grantstats.commands import diff
from grantstats.commands.cli import main
from grantstats.resources import sample_workbook

COSTS = ["projekt_id", "datum", "kategori", "belopp", "beskrivning"]


def base() -> dict[str, list[list]]:
    """Two projects, a grant each, five costs and a requisition."""
    return {
        "projekt": [["projekt_id", "namn"], ["P1", "Projekt ett"], ["P2", "Projekt två"]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"],
                   ["P1", dt.date(2020, 1, 15), 100000], ["P2", dt.date(2020, 2, 1), 50000]],
        "kostnader": [COSTS,
                      ["P1", dt.date(2020, 1, 31), "personal", 12500, "Lön januari"],
                      ["P1", dt.date(2020, 2, 29), "personal", 12500, "Lön februari"],
                      ["P1", dt.date(2020, 3, 31), "resor", 2000, "Resa mars"],
                      ["P2", dt.date(2020, 3, 31), "hyra", 4000, "Hyra mars"],
                      ["P2", dt.date(2020, 4, 30), "hyra", 4000, "Hyra april"]],
        "rekvisitioner": [["projekt_id", "datum", "belopp"], ["P1", dt.date(2020, 6, 1), 50000]],
    }


@pytest.fixture
def pair(write_xlsx):
    """``pair(edit)``: the base workbook and a copy changed by ``edit(sheets)``."""
    def make(edit):
        old = write_xlsx(base(), name="gammal.xlsx")
        sheets = base()
        edit(sheets)
        return old, write_xlsx(sheets, name="ny.xlsx")
    return make


def run_json(old, new, capsys) -> tuple[int, dict]:
    code = main(["diff", str(old), str(new), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def run_text(old, new, capsys, *extra: str) -> tuple[int, str]:
    code = main(["diff", str(old), str(new), *extra])
    return code, capsys.readouterr().out


# ---------------------------------------------------------------- rows matched on content

def test_a_row_inserted_at_the_top_is_the_one_change(pair, capsys):
    old, new = pair(lambda s: s["kostnader"].insert(
        1, ["P1", dt.date(2020, 5, 31), "personal", 12500, "Lön maj"]))
    code, doc = run_json(old, new, capsys)
    assert code == 1
    assert [(r["sheet"], r["change"], r["old_row"], r["new_row"]) for r in doc["rows"]] == [
        ("kostnader", "added", None, 2)]
    assert doc["rows"][0]["columns"]["amount"] == {"old": None, "new": 12500.0}
    assert doc["rows"][0]["columns"]["date"] == {"old": None, "new": "2020-05-31"}
    spent = next(f for f in doc["figures"] if f["figure"] == "spent")
    assert spent == {"project_id": "P1", "figure": "spent", "old": 27000.0, "new": 39500.0,
                     "difference": 12500.0}


def test_an_edited_amount_is_a_changed_row_with_its_old_and_new_value(pair, capsys):
    old, new = pair(lambda s: s["kostnader"][2].__setitem__(3, 13000))
    code, doc = run_json(old, new, capsys)
    assert code == 1
    assert doc["rows"] == [{"sheet": "kostnader", "change": "changed", "old_row": 3,
                            "new_row": 3, "columns": {"amount": {"old": 12500.0,
                                                                 "new": 13000.0}}}]
    code, out = run_text(old, new, capsys)
    assert "  kostnader!3: ändrad – belopp: 12\u00a0500\u00a0kr → 13\u00a0000\u00a0kr" in out
    assert "  Förbrukat: 27\u00a0000\u00a0kr → 27\u00a0500\u00a0kr (+500\u00a0kr)" in out


def test_rows_below_an_insert_keep_their_pairing_and_show_both_references(pair, capsys):
    def edit(s):
        s["kostnader"].insert(1, ["P2", dt.date(2020, 5, 31), "hyra", 4000, "Hyra maj"])
        s["kostnader"][4][3] = 2500  # the travel cost, now one row further down
        del s["kostnader"][5]  # P2's March rent
    old, new = pair(edit)
    code, doc = run_json(old, new, capsys)
    assert code == 1
    changes = {(r["change"], r["old_row"], r["new_row"]) for r in doc["rows"]}
    assert changes == {("added", None, 2), ("changed", 4, 5), ("removed", 5, None)}
    code, out = run_text(old, new, capsys)
    assert "kostnader!4 → kostnader!5: ändrad – belopp: 2\u00a0000\u00a0kr → 2\u00a0500\u00a0kr" \
        in out
    assert "kostnader!5: borttagen rad – datum: 31 mars 2020" in out


def test_a_deleted_row_is_removed_and_nothing_below_it_changes(pair, capsys):
    old, new = pair(lambda s: s["kostnader"].pop(1))
    code, doc = run_json(old, new, capsys)
    assert code == 1
    assert [(r["change"], r["old_row"], r["new_row"]) for r in doc["rows"]] == [
        ("removed", 2, None)]
    assert doc["rows"][0]["columns"]["description"] == {"old": "Lön januari", "new": None}


def test_a_row_that_only_moved_is_no_change(pair, capsys):
    old, new = pair(lambda s: s["kostnader"].append(s["kostnader"].pop(1)))
    code, doc = run_json(old, new, capsys)
    assert code == 0
    assert doc["figures"] == [] and doc["rows"] == []
    code, out = run_text(old, new, capsys)
    assert code == 0 and "Inga skillnader i siffror eller rader" in out


def test_a_new_requisition_changes_the_requisition_figures(pair, capsys):
    old, new = pair(lambda s: s["rekvisitioner"].append(["P1", dt.date(2020, 9, 1), 30000]))
    code, doc = run_json(old, new, capsys)
    assert code == 1
    assert [(r["sheet"], r["change"], r["new_row"]) for r in doc["rows"]] == [
        ("rekvisitioner", "added", 3)]
    figures = {f["figure"]: f["difference"] for f in doc["figures"] if f["project_id"] == "P1"}
    assert figures["requisitioned"] == 30000
    assert figures["remaining_to_requisition"] == -30000
    assert figures["unspent_requisitioned"] == 30000
    code, out = run_text(old, new, capsys)
    assert ("Kvar att rekvirera: 50\u00a0000\u00a0kr → 20\u00a0000\u00a0kr "
            "(\u221230\u00a0000\u00a0kr)") in out


def test_a_renamed_project_is_a_changed_row_and_no_figure(pair, capsys):
    old, new = pair(lambda s: s["projekt"][1].__setitem__(1, "Projekt 1"))
    code, doc = run_json(old, new, capsys)
    assert code == 1
    assert doc["figures"] == []
    assert doc["rows"] == [{"sheet": "projekt", "change": "changed", "old_row": 2,
                            "new_row": 2, "columns": {"name": {"old": "Projekt ett",
                                                               "new": "Projekt 1"}}}]
    code, out = run_text(old, new, capsys, "--lang", "en")
    assert "P1  Projekt 1\n  projekt!2: changed – name: 'Projekt ett' → 'Projekt 1'" in out


def test_a_text_amount_rewritten_as_the_same_number_is_no_change(pair, capsys):
    """``"12 500 kr"`` and the number 12500 are the same amount as grantstats reads them:
    neither a figure nor the row changes (docs/diff.md)."""
    def as_text(s):
        s["kostnader"][1][3] = "12 500 kr"
        s["kostnader"][3][3] = "2 tkr"
    old, new = pair(as_text)
    code, doc = run_json(old, new, capsys)
    assert code == 0
    assert doc["figures"] == [] and doc["rows"] == []
    assert doc["old"]["sha256"] != doc["new"]["sha256"]


def test_a_project_added_lists_its_figures_and_rows(pair, capsys):
    def edit(s):
        s["projekt"].append(["P3", "Projekt tre"])
        s["beslut"].append(["P3", dt.date(2020, 3, 1), 75000])
    old, new = pair(edit)
    code, doc = run_json(old, new, capsys)
    assert code == 1
    assert [(f["project_id"], f["figure"], f["old"], f["new"], f["difference"])
            for f in doc["figures"]] == [
        ("P3", "granted", None, 75000.0, None),
        ("P3", "remaining_to_requisition", None, 75000.0, None)]
    assert {(r["sheet"], r["change"]) for r in doc["rows"]} == {("projekt", "added"),
                                                                ("beslut", "added")}
    code, out = run_text(old, new, capsys)
    assert "P3  Projekt tre (nytt projekt)\n  Beviljat: – → 75\u00a0000\u00a0kr\n" in out


# ---------------------------------------------------------------- the JSON interface

def test_the_json_has_exactly_the_documented_shape(pair, capsys):
    old, new = pair(lambda s: (s["kostnader"][2].__setitem__(3, 13000),
                               s["kostnader"].pop(5)))
    _code, doc = run_json(old, new, capsys)
    assert list(doc) == ["old", "new", "figures", "rows"]
    for side, path in (("old", old), ("new", new)):
        assert list(doc[side]) == ["path", "sha256"]
        assert doc[side]["path"] == str(path) and len(doc[side]["sha256"]) == 64
    assert doc["figures"]
    for f in doc["figures"]:
        assert list(f) == ["project_id", "figure", "old", "new", "difference"]
        assert f["difference"] == pytest.approx(f["new"] - f["old"])
    assert {f["figure"] for f in doc["figures"]} >= {"spent", "costs_by_category.personal"}
    for r in doc["rows"]:
        assert list(r) == ["sheet", "change", "old_row", "new_row", "columns"]
        assert r["change"] in ("added", "removed", "changed")
        for value in r["columns"].values():
            assert list(value) == ["old", "new"]


# ---------------------------------------------------------------- exit codes and bad input

def test_identical_files_answer_at_once_without_being_read(tmp_path, monkeypatch, capsys):
    old, new = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    old.write_bytes(b"not even a workbook")
    shutil.copy(old, new)
    monkeypatch.setattr(diff, "load_both", lambda *a: pytest.fail("the files were read"))
    code, out = run_text(old, new, capsys)
    assert code == 0 and "filerna är identiska" in out
    code, doc = run_json(old, new, capsys)
    assert code == 0 and doc["figures"] == [] and doc["rows"] == []
    assert doc["old"]["sha256"] == doc["new"]["sha256"]


def test_the_same_path_twice_exits_2_with_one_clear_line(tmp_path, capsys):
    path = tmp_path / "a.xlsx"
    shutil.copy(sample_workbook(), path)
    for other in (str(path), str(tmp_path / "." / "a.xlsx")):
        assert main(["diff", str(path), other]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.splitlines() == [
            f"{path} anges både som gammal och ny version — ange två olika filer: den "
            "tidigare versionen först"]


def test_a_workbook_with_problems_exits_2_with_its_problems_as_check_prints_them(
        pair, capsys):
    old, new = pair(lambda s: s["kostnader"][2].__setitem__(3, "ca 500"))
    assert main(["check", str(new)]) == 1
    check = capsys.readouterr().out.strip()
    assert main(["diff", str(old), str(new)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"ny.xlsx: {check}"
    assert check.startswith("kostnader!D3: 'ca 500' är inget belopp — ")


def test_unreadable_and_missing_files_exit_2_naming_each(tmp_path, capsys):
    text_file = tmp_path / "a.xlsx"
    text_file.write_text("projekt_id;belopp\n")
    assert main(["diff", str(text_file), str(tmp_path / "saknas.xlsx"), "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith("a.xlsx is not a readable workbook")
    assert err[1] == (f"saknas.xlsx does not exist — looked for {tmp_path / 'saknas.xlsx'} "
                      f"from the working folder {Path.cwd()}; check the path")


def test_diff_files_is_the_library_function_and_raises_a_workbooks_problems(
        pair, write_xlsx):
    from grantstats.errors import WorkbookError

    old, new = pair(lambda s: s["kostnader"][2].__setitem__(3, 13000))
    changes = diff.diff_files(old, new)
    assert changes.differ and changes.row_counts().loc["costs"].tolist() == [0, 0, 1]
    sheets = base()
    sheets["kostnader"][2][3] = "ca 500"
    broken = write_xlsx(sheets, name="trasig.xlsx")
    with pytest.raises(WorkbookError) as caught:
        diff.diff_files(old, broken)
    assert caught.value.problems[0].cell == "D3"


# ---------------------------------------------------------------- the bundled sample

def test_the_sample_against_a_copy_of_itself_is_no_difference(tmp_path, capsys):
    copy = tmp_path / "kopia.xlsx"
    shutil.copy(sample_workbook(), copy)
    code, out = run_text(sample_workbook(), copy, capsys)
    assert code == 0 and "Inga skillnader: filerna är identiska" in out


def test_the_sample_against_an_edited_copy_shows_the_real_figures(tmp_path, capsys):
    book = openpyxl.load_workbook(sample_workbook())
    book["kostnader"].append(["REG-2009", dt.date(2010, 12, 31), "personal", 12500,
                              "Extra lön"])
    book.save(tmp_path / "ny.xlsx")
    code, out = run_text(sample_workbook(), tmp_path / "ny.xlsx", capsys)
    assert code == 1
    assert "REG-2009  Regional samordning" in out
    assert "  Förbrukat: 1\u00a0027\u00a0607\u00a0kr → 1\u00a0040\u00a0107\u00a0kr " \
           "(+12\u00a0500\u00a0kr)" in out
    assert "  kostnader!31: ny rad – datum: 31 december 2010; kategori: Personal, inkl. " \
           "sociala avgifter; belopp: 12\u00a0500\u00a0kr; beskrivning: 'Extra lön'" in out
    lines = out.splitlines()
    figures = [i for i, line in enumerate(lines) if "Förbrukat" in line]
    assert max(figures) < lines.index(next(x for x in lines if "kostnader!31" in x))
    assert lines[-1] == ("Ändrade siffror: 4. Rader tillagda: 1, borttagna: 0, ändrade: 0.")
    code, out = run_text(sample_workbook(), tmp_path / "ny.xlsx", capsys, "--lang", "en")
    assert "  Spent: SEK\u00a01,027,607 → SEK\u00a01,040,107 (+SEK\u00a012,500)" in out
    assert "Spent of granted: 79.7\u00a0% → 80.7\u00a0% (+1.0 percentage points)" in out


def test_help_names_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["diff", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert out.startswith("usage: grantstats diff") and "OLD NEW" in out
    assert "0 no differences, 1 differences, 2" in out
