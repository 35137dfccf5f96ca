"""The template: every sheet and header, validation, frozen headers, and it loads back."""

from __future__ import annotations

import openpyxl
import pytest

from grantstats import load
from grantstats.commands.template import VALIDATED_ROWS, write_template
from grantstats.contract import SHEETS


@pytest.mark.parametrize("examples", [True, False])
def test_template_loads_back_and_passes_check(tmp_path, examples):
    path = write_template(tmp_path / "mall.xlsx", examples=examples)
    if examples:
        wb = load(path)
        assert wb.counts()["projects"] == 1
        assert wb.tables["grants"]["amount"].sum() == 500_000
    else:
        with pytest.raises(Exception) as info:  # mandatory sheets are still empty
            load(path)
        codes = {p.code for p in info.value.problems}
        assert codes == {"sheet.empty"}


def test_template_in_english_loads_back(tmp_path):
    wb = load(write_template(tmp_path / "template.xlsx", lang="en"))
    assert wb.sheet_names["costs"] == "costs"


def test_template_has_every_sheet_and_header_frozen(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "mall.xlsx"))
    assert book.sheetnames[0] == "instruktioner"
    for spec in SHEETS:
        ws = book[spec.sv]
        assert [c.value for c in ws[1]] == [c.sv for c in spec.columns]
        assert ws.freeze_panes == "A2"


def test_template_has_drop_downs_and_amount_validation(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "mall.xlsx"))
    costs = {dv.type: dv for dv in book["kostnader"].data_validations.dataValidation}
    assert costs["list"].formula1.startswith("=listor!")
    assert str(costs["list"].sqref) == f"C2:C{VALIDATED_ROWS}"
    assert "date" in costs
    grants = {dv.type: dv for dv in book["beslut"].data_validations.dataValidation}
    assert grants["decimal"].operator in ("greaterThanOrEqual", "between")
    referrals = book["anmälningar"].data_validations.dataValidation
    assert any(dv.type == "list" and "0-17" in dv.formula1 for dv in referrals)
    assert [c.value for c in book["listor"]["A"]][1] == "Personal, inkl. sociala avgifter"


def test_template_never_overwrites(tmp_path):
    target = tmp_path / "mall.xlsx"
    target.write_text("mine")
    with pytest.raises(FileExistsError):
        write_template(target)
    assert target.read_text() == "mine"
