"""The value parsers one by one, and properties that must hold for any cell value."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grantstats import contract
from grantstats.reading import identity, values
from grantstats.reading.values import ValueProblem
from tests.pnr import luhn_digit

CUSTOM_BANDS = contract.age_bands("0-15,16-19,20+")
NBSP = "\u00a0"


def problem_code(fn, *args) -> str:
    with pytest.raises(ValueProblem) as info:
        fn(*args)
    assert type(info.value) is ValueProblem
    return info.value.code




def test_luhn_digit_of_a_published_example():
    # Skatteverket's example 811218-9876
    assert luhn_digit("811218987") == "6"


# --- normalize_name ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("projekt_id", ("projekt id", None)),
    ("Projekt-ID", ("projekt id", None)),
    ("  PROJEKT ID  ", ("projekt id", None)),
    ("projekt__-  id", ("projekt id", None)),
    ("projekt–id", ("projekt id", None)),
    ("Belopp (tkr)", ("belopp", "tkr")),
    ("belopp(TKR) ", ("belopp", "tkr")),
    ("Belopp ( kr )", ("belopp", "kr")),
    ("Kostnader (2020)", ("kostnader", "2020")),
    ("(tkr)", ("(tkr)", None)),
    ("Innehållen_andel", ("innehållen andel", None)),
    (2020, ("2020", None)),
], ids=repr)
def test_normalize_name(text, expected):
    assert values.normalize_name(text) == expected


@given(st.text())
def test_normalize_name_is_idempotent_on_the_name(text):
    name, _unit = values.normalize_name(text)
    assert values.normalize_name(name)[0] == name or "(" in name


# --- amounts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "factor"), [
    (None, 1), ("", 1), ("kr", 1), ("KR", 1), ("kr.", 1), ("SEK", 1), ("kronor", 1),
    ("tkr", 1000), ("Tkr", 1000), ("mkr", 1_000_000), ("MKR", 1_000_000), (":-", 1),
    ("euro", None), ("st", None), ("%", None),
])
def test_unit_factor(unit, factor):
    assert values.unit_factor(unit) == factor


@pytest.mark.parametrize(("value", "factor", "kronor"), [
    (1006698, 1, 1006698.0),
    (12.5, 1, 12.5),
    (-300.0, 1, -300.0),
    (250, 1000, 250000.0),
    (0.5, 1_000_000, 500000.0),
    ("1 006 698", 1, 1006698.0),
    ("1 289000", 1, 1289000.0),
    (f"1{NBSP}289{NBSP}000", 1, 1289000.0),
    ("1\u2009289\u2009000", 1, 1289000.0),
    ("1\u202f289\u202f000", 1, 1289000.0),
    ("1\u2007289\u2007000", 1, 1289000.0),
    ("1.040", 1, 1040.0),
    ("12.345.678", 1, 12345678.0),
    ("1.040,25", 1, 1040.25),
    ("12,5", 1, 12.5),
    ("0,05", 1, 0.05),
    ("250 tkr", 1, 250000.0),
    ("250tkr", 1, 250000.0),
    ("12,5 tkr", 1, 12500.0),
    ("2 mkr", 1, 2000000.0),
    ("2 Mkr", 1, 2000000.0),
    ("500 kr", 1, 500.0),
    ("500 kr.", 1, 500.0),
    ("500 SEK", 1, 500.0),
    ("500 sek", 1, 500.0),
    ("500:-", 1, 500.0),
    ("  500  ", 1, 500.0),
    ("+500", 1, 500.0),
    ("-1 500", 1, -1500.0),
    ("\u22121 500", 1, -1500.0),
    ("\u2212 250 tkr", 1, -250000.0),
    ("250", 1000, 250000.0),
    ("1,5", 1000, 1500.0),
    ("250 kr", 1000, 250.0),
    ("2 mkr", 1000, 2000000.0),
    ("3 tkr", 1_000_000, 3000.0),
], ids=repr)
def test_parse_amount(value, factor, kronor):
    assert values.parse_amount(value, factor) == kronor


@pytest.mark.parametrize("value", [
    "12.5", "1.04", "1.0400", "0.500", "1,234,567", "1,2,3", "ca 500", "ca. 500", "—", "-",
    "", "   ", "N/A", "n/a", "500 euro", "kr 500", "1 000.50", "1.000 000", "12,", ",5", "+-5",
    "--5", "5-", "tkr", "1e6", "0x10", "500 %", "9" * 400, "½", float("nan"), float("inf"),
    float("-inf"), 1e308 * 10, None, dt.date(2020, 1, 1), [1],
], ids=lambda v: repr(v)[:20])
def test_parse_amount_refuses(value):
    assert problem_code(values.parse_amount, value) == "cell.amount_invalid"


def test_parse_amount_refuses_an_amount_too_large_for_a_float_after_scaling():
    assert problem_code(values.parse_amount, 1e308, 1_000_000) == "cell.amount_invalid"


@pytest.mark.parametrize("value", [True, False])
def test_parse_amount_refuses_a_boolean(value):
    assert problem_code(values.parse_amount, value) == "cell.bool_number"


def test_amount_problem_carries_the_value():
    with pytest.raises(ValueProblem) as info:
        values.parse_amount("ca 500")
    assert info.value.params == {"value": "ca 500"}


@pytest.mark.parametrize(("value", "text"), [
    (1289000.0, f"1{NBSP}289{NBSP}000"),
    (0.0, "0"),
    (999.0, "999"),
    (1000.0, f"1{NBSP}000"),
    (12.5, "12,5"),
    (0.07, "0,07"),
    (1040.25, f"1{NBSP}040,25"),
    (-1500.5, f"\u22121{NBSP}500,5"),
    (2.999, "3"),
])
def test_format_amount_plain(value, text):
    assert values.format_amount_plain(value) == text


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("serial", "date1904", "date"), [
    (40122, False, dt.date(2009, 11, 5)),
    (43845, False, dt.date(2020, 1, 15)),
    (43845.75, False, dt.date(2020, 1, 15)),
    (40122 - 1462, True, dt.date(2009, 11, 5)),
    (0, True, dt.date(1904, 1, 1)),
])
def test_excel_serial_to_date(serial, date1904, date):
    assert values.excel_serial_to_date(serial, date1904) == date


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2009, 11, 5), (dt.date(2009, 11, 5), False)),
    (dt.datetime(2009, 11, 5, 13, 30), (dt.date(2009, 11, 5), False)),
    ("2009-11-05", (dt.date(2009, 11, 5), False)),
    ("2009-1-5", (dt.date(2009, 1, 5), False)),
    (" 2009-11-05 ", (dt.date(2009, 11, 5), False)),
    ("2009-11-05 00:00:00", (dt.date(2009, 11, 5), False)),
    ("2009-11-05T00:00", (dt.date(2009, 11, 5), False)),
    ("2010-03", (dt.date(2010, 3, 1), True)),
    ("5 november 2009", (dt.date(2009, 11, 5), False)),
    ("5 November  2009", (dt.date(2009, 11, 5), False)),
    ("5. nov. 2009", (dt.date(2009, 11, 5), False)),
    ("29 februari 2012", (dt.date(2012, 2, 29), False)),
    ("1 maj 2010", (dt.date(2010, 5, 1), False)),
    ("17 okt 2010", (dt.date(2010, 10, 17), False)),
    ("mars 2010", (dt.date(2010, 3, 1), True)),
    ("December 2010", (dt.date(2010, 12, 1), True)),
    (40122, (dt.date(2009, 11, 5), False)),
    (40122.0, (dt.date(2009, 11, 5), False)),
], ids=repr)
def test_parse_date(value, expected):
    assert values.parse_date(value) == expected


def test_parse_date_reads_a_serial_number_in_the_1904_system():
    assert values.parse_date(40122, True) == (dt.date(2013, 11, 6), False)
    assert values.parse_date(38660, True) == (dt.date(2009, 11, 5), False)


def test_parse_date_keeps_date_cells_in_the_1904_system():
    assert values.parse_date(dt.date(2009, 11, 5), True) == (dt.date(2009, 11, 5), False)
    assert values.parse_date("2009-11-05", True) == (dt.date(2009, 11, 5), False)


@pytest.mark.parametrize("value", [
    "2009-13-01", "2009-00-10", "2009-02-30", "2010-13", "31 februari 2010", "29 februari 2011",
    "5 brumaire 2009", "igår", "05/11/2009", "5.11.2009", "2009-11-05 10:30", "N/A", "", "2009",
    "20091105", 5, 0, -40122, 3_000_000, 18263, 109575, float("nan"), float("inf"), True, False,
    None,
], ids=repr)
def test_parse_date_refuses(value):
    assert problem_code(values.parse_date, value) == "cell.date_invalid"


# --- categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "key"), [
    *[(c.key, c.key) for c in contract.CATEGORIES],
    *[(c.sv, c.key) for c in contract.CATEGORIES],
    *[(c.en, c.key) for c in contract.CATEGORIES],
    *[(alias, c.key) for c in contract.CATEGORIES for alias in c.aliases],
    ("Personal inkl sociala avgifter", "personal"),
    ("personal, inkl. sociala avgifter", "personal"),
    ("  Lokaler  ", "lokaler"),
    ("LÖN", "personal"),
    ("Hyra.", "lokaler"),
    ("Utvardering", "utvardering"),
    ("ÖVRIGT", "ovrigt"),
], ids=repr)
def test_parse_category(label, key):
    assert values.parse_category(label) == key


@pytest.mark.parametrize("alias", [
    "lön", "löner", "salaries", "resor", "studiebesök", "transport", "travel", "hyra", "rent",
    "trycksaker", "informationsmaterial", "printing",
])
def test_every_alias_of_the_contract_is_known(alias):
    assert values.parse_category(alias) in contract.CATEGORY_KEYS


@pytest.mark.parametrize("label", ["Konsulter", "personalkostnad", "", "12", "staff costs"])
def test_parse_category_refuses_and_lists_the_accepted(label):
    with pytest.raises(ValueProblem) as info:
        values.parse_category(label)
    assert info.value.code == "cell.category_unknown"
    assert info.value.params["accepted"] == values.accepted_categories()


def test_accepted_categories_names_key_and_form_label():
    assert values.accepted_categories() == (
        "personal (Personal, inkl. sociala avgifter), verksamhet (Kostnader för verksamhet), "
        "lokaler (Lokaler), administration (Administration), utvardering (Utvärdering), "
        "ovrigt (Övrigt)")


# --- shares, counts, ages -------------------------------------------------------------------


@pytest.mark.parametrize(("value", "share"), [
    (0, 0.0), (1, 1.0), (0.2, 0.2), ("0.2", 0.2), ("0,2", 0.2), ("20 %", 0.2), ("20%", 0.2),
    (" 20 % ", 0.2), ("12,5 %", 0.125), ("100 %", 1.0), ("0 %", 0.0),
], ids=repr)
def test_parse_share(value, share):
    assert values.parse_share(value) == pytest.approx(share)


@pytest.mark.parametrize("value", [
    1.5, -0.1, 20, "120 %", "-0,1", "-10 %", "hälften", "", "20 procent", True, False,
    float("nan"), float("inf"), None,
], ids=repr)
def test_parse_share_refuses(value):
    assert problem_code(values.parse_share, value) == "cell.share_invalid"


@pytest.mark.parametrize(("value", "count"), [
    (0, 0), (1, 1), (3.0, 3), ("3", 3), (" 3 ", 3), ("3 st", 3), ("3 st.", 3), ("12 ST", 12),
])
def test_parse_count(value, count):
    assert values.parse_count(value) == count


@pytest.mark.parametrize("value", [
    -1, 2.5, "-1", "några", "", "3,5", True, False, float("nan"), float("inf"), "1" * 5000,
    None,
], ids=lambda v: repr(v)[:20])
def test_parse_count_refuses(value):
    assert problem_code(values.parse_count, value) == "cell.count_invalid"


@pytest.mark.parametrize(("value", "age"), [
    (0, 0), (17, 17), (120, 120), (17.0, 17), ("17", 17), ("17 år", 17), ("17 years", 17),
])
def test_parse_age(value, age):
    assert values.parse_age(value) == age


@pytest.mark.parametrize("value", [
    121, -1, 17.5, "sjutton", "-3", "", True, float("nan"), "1" * 5000, None,
], ids=lambda v: repr(v)[:20])
def test_parse_age_refuses(value):
    assert problem_code(values.parse_age, value) == "cell.age_invalid"


@pytest.mark.parametrize(("text", "band"), [
    ("0-17", "0-17"), ("0–17", "0-17"), ("0 - 17 år", "0-17"), ("under 18", "0-17"),
    ("Under 18 år", "0-17"), ("<18", "0-17"), ("< 18", "0-17"), ("yngre än 18", "0-17"),
    ("<=17", "0-17"), ("≤17", "0-17"), ("upp till 17", "0-17"), ("13-15", "0-17"),
    ("18-19", "18-19"), ("18–19", "18-19"), ("18—19", "18-19"), ("18−19", "18-19"),
    ("20+", "20+"), ("20 +", "20+"), ("20 och äldre", "20+"), ("20 år och äldre", "20+"),
    ("20 eller äldre", "20+"), ("20 and older", "20+"), ("över 19", "20+"), (">19", "20+"),
    ("äldre än 19", "20+"), ("minst 20", "20+"), (">=20", "20+"), ("≥ 20", "20+"),
    ("25+", "20+"), ("30-40", "20+"),
], ids=repr)
def test_parse_age_group_default_bands(text, band):
    assert values.parse_age_group(text) == band


@pytest.mark.parametrize(("text", "band"), [
    ("0-15", "0-15"), ("under 16", "0-15"), ("16-19", "16-19"), ("16–19", "16-19"),
    ("20 och äldre", "20+"), ("20+", "20+"),
])
def test_parse_age_group_custom_bands(text, band):
    assert values.parse_age_group(text, CUSTOM_BANDS) == band


@pytest.mark.parametrize(("text", "bands"), [
    ("barn", contract.DEFAULT_AGE_BANDS), ("10-25", contract.DEFAULT_AGE_BANDS),
    ("18+", contract.DEFAULT_AGE_BANDS), ("19-18", contract.DEFAULT_AGE_BANDS),
    ("17", contract.DEFAULT_AGE_BANDS), (17, contract.DEFAULT_AGE_BANDS),
    ("under 0", contract.DEFAULT_AGE_BANDS), ("", contract.DEFAULT_AGE_BANDS),
    ("under 18", CUSTOM_BANDS), ("0-17", CUSTOM_BANDS), ("15-16", CUSTOM_BANDS),
    ("1" * 5000 + "+", contract.DEFAULT_AGE_BANDS), ("0-" + "1" * 5000, CUSTOM_BANDS),
], ids=lambda v: repr(v)[:20])
def test_parse_age_group_refuses_and_lists_the_bands(text, bands):
    with pytest.raises(ValueProblem) as info:
        values.parse_age_group(text, bands)
    assert info.value.code == "cell.age_group_invalid"
    assert info.value.params["accepted"] == ", ".join(b.label for b in bands)


@pytest.mark.parametrize(("age", "band"), [(0, "0-17"), (17, "0-17"), (18, "18-19"),
                                           (19, "18-19"), (20, "20+"), (120, "20+")])
def test_band_of_age(age, band):
    assert values.band_of_age(age) == band


def test_band_of_age_with_custom_bands():
    assert [values.band_of_age(a, CUSTOM_BANDS) for a in (15, 16, 19, 20)] == [
        "0-15", "16-19", "16-19", "20+"]


@pytest.mark.parametrize(("spec", "labels"), [
    ("0-17,18-19,20+", ["0-17", "18-19", "20+"]),
    (" 0 - 15 , 16-19, 20 + ", ["0-15", "16-19", "20+"]),
    ("0+", ["0+"]),
    ("0-0,1+", ["0-0", "1+"]),
])
def test_age_bands_spec(spec, labels):
    assert [b.label for b in contract.age_bands(spec)] == labels


@pytest.mark.parametrize("spec", [
    "", "1-17,18+", "0-17,19+", "0-17,18-19", "0-17", "0-17,17+", "0-17,18+,30+", "0-17,20+,18-19",
    "barn,vuxna", "0-17;18+", "5-3,4+",
])
def test_age_bands_spec_refuses(spec):
    with pytest.raises(ValueError):
        contract.age_bands(spec)


# --- flags and totals ------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "flag"), [
    (True, True), (False, False), ("ja", True), ("Ja", True), ("x", True), ("yes", True),
    (1, True), (1.0, True), ("nej", False), ("NEJ", False), ("no", False), (0, False),
    (0.0, False), ("falskt", False),
])
def test_parse_flag(value, flag):
    assert values.parse_flag(value) is flag


@pytest.mark.parametrize("value", ["kanske", "", 2, 0.5, "jaa"])
def test_parse_flag_refuses(value):
    assert problem_code(values.parse_flag, value) == "cell.flag_invalid"


@pytest.mark.parametrize("value", ["Summa", "SUMMA", "summa:", " Summa ", "Totalt", "Total",
                                   "Sum", "Summa kostnader", "Totalt 2020", "Total:"])
def test_is_total_label(value):
    assert values.is_total_label(value)


@pytest.mark.parametrize("value", ["Summering", "Totalkostnad", "P1", "", "   ", 0, None,
                                   "Delsumma", "Resultat"])
def test_is_not_total_label(value):
    assert not values.is_total_label(value)


# --- properties ----------------------------------------------------------------------------

TOKENS = [
    "0", "1", "7", "12", "040", "289", "000", "18", "19", "20", "2009", "-03", "-11-05",
    " ", NBSP, "\u2009", "\u202f", ".", ",", "-", "+", "\u2212", "\u2013", ":", ":-", "%",
    "<", ">", "kr", "tkr", "mkr", "SEK", "år", "st", "under", "över", "och äldre",
    "november", "mars", "Summa", "ca", "N/A", "#REF!", "(tkr)", "_", "x",
]
#: Cell values as the reader gives them: text, whole numbers (an .xls gives int64),
#: floats, booleans, dates and datetimes.
CELLS = st.one_of(
    st.text(),
    st.lists(st.sampled_from(TOKENS), max_size=8).map("".join),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)

PARSERS = {
    "amount": lambda v: values.parse_amount(v),
    "amount_tkr": lambda v: values.parse_amount(v, 1000),
    "date": lambda v: values.parse_date(v),
    "date_1904": lambda v: values.parse_date(v, True),
    "category": values.parse_category,
    "share": values.parse_share,
    "count": values.parse_count,
    "age": values.parse_age,
    "age_group": values.parse_age_group,
    "age_group_custom": lambda v: values.parse_age_group(v, CUSTOM_BANDS),
    "flag": values.parse_flag,
}


def _in_domain(kind: str, result) -> bool:
    if kind.startswith("amount"):
        return type(result) is float and math.isfinite(result)
    if kind.startswith("date"):
        return isinstance(result[0], dt.date) and not isinstance(result[0], dt.datetime) \
            and isinstance(result[1], bool)
    if kind == "category":
        return result in contract.CATEGORY_KEYS
    if kind == "share":
        return 0.0 <= result <= 1.0
    if kind == "count":
        return type(result) is int and result >= 0
    if kind == "age":
        return type(result) is int and 0 <= result <= contract.MAX_AGE
    if kind == "age_group":
        return result in [b.label for b in contract.DEFAULT_AGE_BANDS]
    if kind == "age_group_custom":
        return result in [b.label for b in CUSTOM_BANDS]
    return type(result) is bool


@pytest.mark.parametrize("kind", list(PARSERS))
@settings(max_examples=300, deadline=None)
@given(value=CELLS)
@example(value="9" * 400)
@example(value="1" * 5000)
@example(value="1" * 5000 + "+")
@example(value="1" * 5000 + "-1")
@example(value=1e308)
@example(value=float("nan"))
def test_parsers_raise_only_value_problem_and_return_their_domain(kind, value):
    try:
        result = PARSERS[kind](value)
    except ValueProblem as problem:
        assert problem.code.startswith("cell.")
        return
    assert _in_domain(kind, result), (kind, value, result)


@settings(max_examples=300, deadline=None)
@given(CELLS)
def test_other_cell_helpers_never_raise(value):
    assert isinstance(values.is_total_label(value), bool)
    masked = identity.identity_number_in(value)
    assert masked is None or not re.search(r"\d", masked)
    name, unit = values.normalize_name(value)
    assert isinstance(name, str)
    assert unit is None or isinstance(unit, str)


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
@example(0.07)
@example(-0.001)
@example(999999999999.99)
def test_format_amount_plain_round_trips_through_parse_amount(value):
    text = values.format_amount_plain(value)
    assert "." not in text
    assert values.parse_amount(text) == round(value, 2)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_amount_plain_round_trips_whole_kronor(value):
    assert values.parse_amount(values.format_amount_plain(float(value))) == value


@given(st.integers(min_value=0, max_value=10**15), st.data())
def test_any_grouping_in_threes_with_spaces_parses_the_same(value, data):
    digits = str(value)
    spaces = st.sampled_from([" ", NBSP, "\u2009", "\u202f", "  "])
    head = len(digits) % 3 or 3
    text = digits[:head]
    for start in range(head, len(digits), 3):  # `1 289 000` and `1 289000` alike
        if data.draw(st.booleans()):
            text += data.draw(spaces)
        text += digits[start:start + 3]
    assert values.parse_amount(text) == value


@pytest.mark.parametrize("text", ["12 5", "1 28 000", "100 00 kr"])
def test_spaces_that_do_not_group_thousands_are_refused(text):
    with pytest.raises(values.ValueProblem):
        values.parse_amount(text)


@given(st.integers(min_value=1000, max_value=10**15))
def test_dots_in_whole_groups_of_three_group_thousands(value):
    text = f"{value:,}".replace(",", ".")
    assert values.parse_amount(text) == value
