"""The template: every sheet and header, validation, frozen headers, and it loads back."""

from __future__ import annotations

import openpyxl
import pytest

from grantstats import WorkbookError, load
from grantstats.commands.template import VALIDATED_ROWS, write_template
from grantstats.contract import SHEETS, SHEETS_BY_KEY


def test_template_with_its_examples_is_refused_once_per_sheet(tmp_path):
    """The example rows (``exempel = ja``) must go before the workbook is used."""
    path = write_template(tmp_path / "mall.xlsx")
    with pytest.raises(WorkbookError) as info:
        load(path)
    problems = info.value.problems
    assert {p.code for p in problems} == {"sheet.examples_left"}
    assert sorted(p.sheet for p in problems) == sorted(s.sv for s in SHEETS)
    costs = next(p for p in problems if p.sheet == "kostnader")
    letter = chr(ord("A") + [c.key for c in SHEETS_BY_KEY["costs"].columns].index("example"))
    assert costs.cell == f"{letter}2"
    assert costs.format("sv") == (f"kostnader!{letter}2: mallens exempelrader finns kvar (rad 2)"
                                  " — ta bort dem; är raden riktig, töm kolumnen 'exempel'")


def test_template_with_the_examples_deleted_loads_its_rows(tmp_path):
    """Rows the analyst keeps (the flag emptied) are ordinary rows."""
    book = openpyxl.load_workbook(write_template(tmp_path / "mall.xlsx"))
    for spec in SHEETS:
        ws = book[spec.sv]
        ws.cell(row=2, column=[c.key for c in spec.columns].index("example") + 1).value = None
    book.save(tmp_path / "egen.xlsx")
    wb = load(tmp_path / "egen.xlsx")
    assert wb.counts()["projects"] == 1
    assert wb.tables["grants"]["amount"].sum() == 500_000
    assert not wb.costs["example"].any()


def test_template_without_examples_has_empty_mandatory_sheets(tmp_path):
    with pytest.raises(WorkbookError) as info:
        load(write_template(tmp_path / "mall.xlsx", examples=False))
    assert {p.code for p in info.value.problems} == {"sheet.empty"}


def test_template_in_english_is_read_back(tmp_path):
    with pytest.raises(WorkbookError) as info:
        load(write_template(tmp_path / "template.xlsx", lang="en"))
    assert "costs" in {p.sheet for p in info.value.problems}
    assert "the template's example rows" in info.value.format("en")


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
    assert costs["list"].formula1 == "listor!$A$2:$A$7"
    assert str(costs["list"].sqref) == f"C2:C{VALIDATED_ROWS}"
    assert costs["list"].errorStyle == "warning"  # 'lön', 'hyra' are read too
    referrals = book["anmälningar"].data_validations.dataValidation
    assert any(dv.type == "list" and "0-17" in dv.formula1 for dv in referrals)
    assert [c.value for c in book["listor"]["A"]][1] == "Personal, inkl. sociala avgifter"


def _validations(path, sheet):
    """column letter → its data validation, in the sheet of the file at ``path``."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}


# A custom rule evaluated as Excel and LibreOffice evaluate it, for the functions the
# template uses: ISTEXT, ISNUMBER, INT, AND, OR, comparisons.
def _excel_accepts(formula: str, value) -> bool:
    import re

    expression = re.sub(r"\b[A-Z]+2\b", "V", formula.lstrip("="))
    expression = (expression.replace("<>", "!=").replace(">=", "\x00").replace("<=", "\x01")
                  .replace("=", "==").replace("\x00", ">=").replace("\x01", "<="))
    functions = {
        "ISTEXT": lambda v: isinstance(v, str), "ISNUMBER": lambda v: isinstance(v, int | float),
        "INT": lambda v: int(v // 1), "AND": lambda *a: all(a), "OR": lambda *a: any(a),
        "TRUE": True, "FALSE": False,
    }
    # AND/OR evaluate every argument in Excel: a text compared with 0 is no error there,
    # so compare numbers only (Python would raise on "12 500 kr" >= 0).
    if isinstance(value, str):
        expression = re.sub(r"V\s*(>=|<=|==|!=|>|<)\s*[\d.]+", "False", expression)
        expression = re.sub(r"V\s*==\s*INT\(V\)", "False", expression)
    return bool(eval(expression, {"__builtins__": {}}, {**functions, "V": value}))


@pytest.mark.parametrize(("sheet", "column", "value", "accepted"), [
    ("beslut", "C", "550 000 kr", True),
    ("beslut", "C", "12 500 kr", True),
    ("beslut", "C", 550000, True),
    ("beslut", "C", 0, True),
    ("beslut", "C", -5, False),
    ("beslut", "B", "2010-03-31", True),
    ("beslut", "B", "31 januari 2026", True),
    ("beslut", "B", 40268, True),  # 2010-03-31 as a date cell
    ("beslut", "B", 5, False),
    ("beslut", "F", "20 %", True),
    ("beslut", "F", 0.2, True),
    ("beslut", "F", 1.5, False),
    ("kostnader", "D", -1200, True),  # a correction
    ("kostnader", "D", "12 500 kr", True),
    ("anmälningar", "E", 3, True),
    ("anmälningar", "E", 2.5, False),
    ("anmälningar", "E", -1, False),
])
def test_template_validation_accepts_what_the_contract_accepts(tmp_path, sheet, column,
                                                               value, accepted):
    dv = _validations(write_template(tmp_path / "mall.xlsx"), sheet)[column]
    assert dv.type == "custom" and dv.allow_blank
    assert _excel_accepts(dv.formula1, value) is accepted


def test_text_amounts_in_the_template_are_read_by_check(tmp_path):
    """What the validation lets through, the contract reads: the two agree."""
    book = openpyxl.load_workbook(write_template(tmp_path / "mall.xlsx", examples=False))
    book["projekt"].append(["P1", "Ett projekt"])
    book["beslut"].append(["P1", "2010-03-31", "550 000 kr", None, None, "20 %"])
    book.save(tmp_path / "egen.xlsx")
    wb = load(tmp_path / "egen.xlsx")
    assert wb.grants["amount"].tolist() == [550_000.0]
    assert wb.grants["holdback_share"].tolist() == [0.2]
    assert str(wb.grants["decision_date"].iloc[0].date()) == "2010-03-31"


def test_template_input_and_error_messages_say_what_is_allowed(tmp_path):
    grants = _validations(write_template(tmp_path / "mall.xlsx"), "beslut")
    assert grants["C"].showInputMessage and "550 000 kr" in grants["C"].prompt
    assert grants["C"].promptTitle == "Belopp"
    assert "negativt" in grants["C"].error and "550 000 kr" in grants["C"].error
    assert "31 januari 2026" in grants["B"].prompt
    english = _validations(write_template(tmp_path / "template.xlsx", lang="en"), "grants")
    assert english["C"].promptTitle == "Amount" and "550 000 kr" in english["C"].prompt


def test_template_xml_freezes_the_header_and_validates_every_row(tmp_path):
    """What Excel and LibreOffice read: a frozen pane below row 1, ranges to row 5000."""
    import re
    import zipfile

    path = write_template(tmp_path / "mall.xlsx")
    with zipfile.ZipFile(path) as z:
        names = {n for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        sheets = [z.read(n).decode() for n in sorted(names)]
    data = [s for s in sheets if "<dataValidations" in s]
    assert len(data) == len(SHEETS)
    for xml in data:
        assert re.search(r'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                         r'state="frozen"', xml)
        ranges = re.findall(r'sqref="([A-Z]+)2:([A-Z]+)(\d+)"', xml)
        assert ranges and all(int(end) == VALIDATED_ROWS for _, _, end in ranges)
        assert "<formula1>=" not in xml  # a formula in the XML has no leading '='


def test_template_never_overwrites(tmp_path):
    target = tmp_path / "mall.xlsx"
    target.write_text("mine")
    with pytest.raises(FileExistsError):
        write_template(target)
    assert target.read_text() == "mine"
