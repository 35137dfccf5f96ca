"""Swedish personal identity numbers (personnummer, samordningsnummer) in cell values.

grantstats refuses a workbook that holds one (reports hold aggregates only); these
functions find them, validated by date and Luhn check digit, and mask them so that no
message shows one. docs/workbook.md says exactly what is refused and why.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from grantstats.reading.values import SPACES

#: Between date and serial: nothing, a space, or a hyphen, dash, minus or plus, perhaps
#: with a space on either side (``811218-9876``, ``811218 – 9876``, ``811218 9876``).
_PNR_SEP = (rf"(?:[{SPACES}]?[-+\u2010\u2011\u2012\u2013\u2014\u2212][{SPACES}]?"
            rf"|[{SPACES}])?")
_PNR_RE = re.compile(
    rf"(?<![\d])(\d{{2}})?(\d{{2}})(\d{{2}})(\d{{2}})({_PNR_SEP})(\d{{3}})(\d)(?![\d])")
#: Words that say the ten digits after them are an identity number.
_PNR_NAMED = re.compile(
    r"(?i)(?:person\s*nummer|person\s*nr|pers\.?\s*nr|p-?nr|samordnings\s*(?:nummer|nr)"
    r"|identity\s*number|id\s*nr)\W{0,3}$")


def _luhn_ok(nine: str, check: str) -> bool:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(check)


def _date_ok(century: str | None, yy: str, mm: str, dd: str) -> bool:
    day = int(dd)
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    if century is not None and century not in ("18", "19", "20"):
        return False
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    for year in years:
        try:
            dt.date(year, int(mm), day)
        except ValueError:
            continue
        return True
    return False


def mask_identity_number(text: str) -> str:
    """The number with every digit hidden, keeping its shape (``xxxxxx-xxxx``)."""
    return re.sub(r"\d", "x", text)


def _identity_matches(text: str) -> list[re.Match[str]]:
    found = []
    for m in _PNR_RE.finditer(text):
        century, yy, mm, dd, sep, serial, check = m.groups()
        if century is None and not sep and text.strip() != m.group(0) \
                and not _PNR_NAMED.search(text, max(0, m.start() - 30), m.start()):
            # ten digits in a row inside longer text and not called an identity number:
            # OCR and invoice references are such, and one in fourteen passes the checks
            continue
        if _date_ok(century, yy, mm, dd) and _luhn_ok(yy + mm + dd + serial, check):
            found.append(m)
    return found


_PNR_CANDIDATE = re.compile(rf"\d{{6}}{_PNR_SEP}\d{{4}}")


def has_identity_candidate(text: str) -> bool:
    """Whether ``text`` has anything shaped like an identity number (not yet validated).

    A cheap pre-filter over a whole sheet's texts; cells are checked one by one only
    when it finds something.
    """
    return _PNR_CANDIDATE.search(text) is not None


def find_identity_numbers(text: str) -> list[str]:
    """Swedish personal identity or coordination numbers in ``text``, masked.

    A candidate must have a real date (day + 60 for a coordination number) and a
    valid Luhn check digit; case and phone numbers that fail either are not matched.
    """
    return [mask_identity_number(m.group(0)) for m in _identity_matches(text)]


def mask_identity_numbers(text: str) -> str:
    """``text`` with every identity number in it masked and the rest unchanged."""
    for m in reversed(_identity_matches(text)):
        text = text[: m.start()] + mask_identity_number(m.group(0)) + text[m.end():]
    return text


def identity_number_in(value: Any) -> str | None:
    """The masked identity number held by a cell (text, or a 9/10/12-digit number)."""
    if isinstance(value, str):
        hits = find_identity_numbers(value) if len(value) >= 10 else []
        return hits[0] if hits else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            return None
        digits = str(int(value))
        if len(digits) == 9:  # born 2000–2009, typed as a number: the leading zero is lost
            digits = "0" + digits
        if len(digits) in (10, 12):
            hits = find_identity_numbers(digits)
            return hits[0] if hits else None
    return None
