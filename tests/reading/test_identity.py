"""Personal identity numbers: found by date and check digit, masked, never shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grantstats.reading import identity
from tests.pnr import luhn_digit

# --- identity numbers -------------------------------------------------------------------------

TEN = "811218" + "987" + luhn_digit("811218987")          # 8112189876
COORD = "811278" + "987" + luhn_digit("811278987")        # samordningsnummer, day 18 + 60


@pytest.mark.parametrize(("value", "masked"), [
    (f"{TEN[:6]}-{TEN[6:]}", "xxxxxx-xxxx"),
    (f"{TEN[:6]}+{TEN[6:]}", "xxxxxx+xxxx"),
    (TEN, "xxxxxxxxxx"),
    (f"19{TEN[:6]}-{TEN[6:]}", "xxxxxxxx-xxxx"),
    (f"19{TEN}", "xxxxxxxxxxxx"),
    (f"Kontakt: 19{TEN[:6]}-{TEN[6:]}.", "xxxxxxxx-xxxx"),
    (f" {TEN} ", "xxxxxxxxxx"),
    (f"pnr {TEN}", "xxxxxxxxxx"),  # ten bare digits inside text, called what they are
    (f"Personnummer: {TEN}", "xxxxxxxxxx"),
    (f"{TEN[:6]}\u2013{TEN[6:]}", "xxxxxx\u2013xxxx"),  # en dash
    (f"{TEN[:6]} - {TEN[6:]}", "xxxxxx - xxxx"),
    (f"{TEN[:6]}\u2212{TEN[6:]}", "xxxxxx\u2212xxxx"),  # minus sign
    (int(TEN), "xxxxxxxxxx"),
    (float(TEN), "xxxxxxxxxx"),
    (int(f"19{TEN}"), "xxxxxxxxxxxx"),
    (float(f"19{TEN}"), "xxxxxxxxxxxx"),
    (f"{COORD[:6]}-{COORD[6:]}", "xxxxxx-xxxx"),
    (f"19{COORD}", "xxxxxxxxxxxx"),
], ids=repr)
def test_identity_number_in_finds_and_masks(value, masked):
    assert identity.identity_number_in(value) == masked


@pytest.mark.parametrize("value", [
    "801-09-060935", "08-508 25 006", "08-50825006", "070-123 45 67", "0701234567 eller 08-123",
    f"{TEN[:6]}-{TEN[6:9]}{(int(TEN[9]) + 1) % 10}",    # wrong check digit
    f"tel {TEN}",                       # ten bare digits inside text: a reference…
    f"Faktura {TEN}, OCR {TEN}",        # …unless called an identity number
    f"{TEN[:2]}13{TEN[4:]}",                             # month 13
    "811232-9876",                                       # day 32
    f"1{TEN}",                                           # eleven digits
    f"18{TEN}1",
    "2020-01-15",
    "1 006 698",
    float(TEN) + 0.5,
    True,
    None,
    1006698.0,
], ids=repr)
def test_identity_number_in_ignores(value):
    assert identity.identity_number_in(value) is None


def test_find_identity_numbers_finds_every_one():
    text = f"{TEN[:6]}-{TEN[6:]} och 19{COORD[:6]}-{COORD[6:]}, dnr 801-09-060935"
    assert identity.find_identity_numbers(text) == ["xxxxxx-xxxx", "xxxxxxxx-xxxx"]


def test_mask_identity_number_keeps_the_shape():
    assert identity.mask_identity_number("19811218-9876") == "xxxxxxxx-xxxx"


def test_mask_identity_numbers_masks_only_the_numbers():
    text = f"Anna {TEN[:6]}-{TEN[6:]}, dnr 801-09-060935, tel 08-508 25 006"
    assert identity.mask_identity_numbers(text) == (
        "Anna xxxxxx-xxxx, dnr 801-09-060935, tel 08-508 25 006")




# --- identity numbers, generated ---------------------------------------------------------------


@st.composite
def identity_numbers(draw, check_ok: bool = True, date_ok: bool = True):
    """(text or number as a cell holds it, the digits that must not be shown)."""
    if date_ok:
        born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
        day = born.day + (60 if draw(st.booleans()) else 0)  # samordningsnummer
        century, yymm = f"{born.year // 100}", f"{born:%y%m}"
    else:
        century = draw(st.sampled_from(["19", "20"]))
        yy = f"{draw(st.integers(0, 99)):02d}"
        if draw(st.booleans()):
            yymm = yy + f"{draw(st.sampled_from([0, *range(13, 100)])):02d}"
            day = draw(st.integers(1, 28))
        else:
            yymm = yy + f"{draw(st.integers(1, 12)):02d}"
            day = draw(st.sampled_from([0, *range(32, 61), *range(92, 100)]))
    nine = f"{yymm}{day:02d}{draw(st.integers(0, 999)):03d}"
    check = luhn_digit(nine)
    if not check_ok:
        check = str((int(check) + draw(st.integers(1, 9))) % 10)
    ten = nine + check
    form = draw(st.sampled_from(["hyphen", "plus", "bare", "century", "century-hyphen",
                                 "number", "float", "sentence"]))
    value = {
        "hyphen": f"{ten[:6]}-{ten[6:]}",
        "plus": f"{ten[:6]}+{ten[6:]}",
        "bare": ten,
        "century": century + ten,
        "century-hyphen": f"{century}{ten[:6]}-{ten[6:]}",
        "number": int(century + ten),
        "float": float(century + ten),
        "sentence": f"Kontaktperson {century}{ten[:6]}-{ten[6:]}, mamma",
    }[form]
    return value, ten


@settings(max_examples=500)
@given(identity_numbers())
def test_generated_identity_numbers_are_found_and_masked(case):
    value, ten = case
    masked = identity.identity_number_in(value)
    assert masked is not None
    assert not re.search(r"\d", masked)
    shown = str(value) if isinstance(value, str) else str(int(value))
    assert ten not in identity.mask_identity_numbers(shown)


@settings(max_examples=500)
@given(identity_numbers(check_ok=False))
def test_generated_numbers_with_a_bad_check_digit_are_not_identity_numbers(case):
    value, _ten = case
    assert identity.identity_number_in(value) is None


@settings(max_examples=500)
@given(identity_numbers(date_ok=False))
def test_generated_numbers_with_a_bad_date_are_not_identity_numbers(case):
    value, _ten = case
    assert identity.identity_number_in(value) is None


@given(st.integers(min_value=0, max_value=10**8))
def test_case_numbers_are_not_identity_numbers(n):
    # diarienummer shaped like 801-09-060935, whatever its digits
    digits = f"{n:09d}"
    text = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}{n % 100:02d}"
    assert identity.identity_number_in(text) is None


@given(st.integers(min_value=0, max_value=10**8 - 1))
def test_stockholm_phone_numbers_are_not_identity_numbers(n):
    digits = f"{n:08d}"
    assert identity.identity_number_in(f"08-{digits[:3]} {digits[3:5]} {digits[5:]}") is None
    assert identity.identity_number_in(f"08-{digits}") is None


def test_identity_number_with_a_space_separator_is_found_and_masked():
    from grantstats.reading.identity import identity_number_in

    assert identity_number_in("811218 9876") == "xxxxxx xxxx"
    assert identity_number_in("19811218 9876") == "xxxxxxxx xxxx"
    assert identity_number_in("tel 08 508 25 006") is None
