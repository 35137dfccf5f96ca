"""A1 references both ways, against openpyxl's own helpers over every column Excel has."""

import pytest
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from grantstats.reading.refs import cell_index, cell_name, column_index, column_letter


def test_every_column_of_excel_agrees_with_openpyxl() -> None:
    for i in range(16_384):
        letters = column_letter(i)
        assert letters == get_column_letter(i + 1)
        assert column_index(letters) == column_index_from_string(letters) - 1
        assert column_index(letters.lower()) == i


def test_cell_names() -> None:
    assert cell_name(0, 0) == "A1"
    assert cell_name(6, 1) == "B7"
    assert cell_name(1_048_575, 16_383) == "XFD1048576"
    assert cell_index("B7") == (6, 1)
    assert cell_index("$xfd$1048576") == (1_048_575, 16_383)


@pytest.mark.parametrize("bad", ["", "7", "B", "ABCD1", "B-7", "Ä1"])
def test_what_is_no_reference_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        cell_index(bad)


def test_negative_column_is_refused() -> None:
    with pytest.raises(ValueError):
        column_letter(-1)
