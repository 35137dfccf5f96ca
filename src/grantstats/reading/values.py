"""Reading single values the way Swedish workbooks write them.

Each parser takes one non-empty cell value (as the reader gives it: ``str``, ``int``,
``float``, ``bool``, ``date`` or ``datetime``) and returns the typed value, or raises
:class:`ValueProblem` with a message code from :mod:`grantstats.texts`. They are
pure and cached where the same text repeats a lot (categories, amounts in ledgers).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

from grantstats.contract import (
    CATEGORIES,
    DEFAULT_AGE_BANDS,
    MAX_AGE,
    TOTAL_WORDS,
    UNITS,
    AgeBand,
)


class ValueProblem(ValueError):
    """A cell value that cannot be read; ``code`` and ``params`` make the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# Spaces that group digits: space, no-break, thin, narrow no-break, figure space.
#: The spaces people (and Excel) write between thousands.
SPACES = " \u00a0\u2009\u202f\u2007"
_MINUS = "-\u2212"
_NO_GROUPING = str.maketrans("", "", SPACES + ".")  # "1 289.000" → "1289000"

# --- headers ------------------------------------------------------------------------

_UNIT_IN_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")


def normalize_name(text: object) -> tuple[str, str | None]:
    """A sheet or header name as compared: lower case, ``_``/``-`` as spaces, no unit.

    Returns the normalised name and the trailing parenthesised unit (lower case) if any.
    """
    s = str(text).strip().lower()
    unit = None
    m = _UNIT_IN_PARENS.search(s)
    if m and m.start() > 0:
        unit = m.group(1).strip()
        s = s[: m.start()]
    s = re.sub(r"[\s_\-\u2013]+", " ", s).strip()
    return s, unit


# --- amounts ------------------------------------------------------------------------

_AMOUNT_RE = re.compile(
    rf"""
    (?P<sign>[{_MINUS}+])?\s*
    (?P<int>\d+(?:[{SPACES}]+(?:\d{{3}})+)*  # 1 289 000, 1 289000 (not 12 5)
           |[1-9]\d{{0,2}}(?:\.\d{{3}})+)     # 1.040 (dots only in whole groups of three)
    (?:,(?P<dec>\d+))?                       # decimal comma
    \s*(?P<unit>[a-zA-ZåäöÅÄÖ]+\.?|:-)?      # kr, tkr, mkr, SEK, 500:-
    """,
    re.VERBOSE,
)


def unit_factor(unit: str | None) -> int | None:
    """The factor of a unit word (``tkr`` → 1000); None when it is not a unit."""
    if unit is None or unit == "" or unit == ":-":
        return 1
    return UNITS.get(unit.lower().rstrip("."))


@lru_cache(maxsize=65536)
def _parse_amount_text(text: str, factor: int) -> float:
    s = text.strip()
    m = _AMOUNT_RE.fullmatch(s)
    unit = unit_factor(m.group("unit")) if m else None
    if m is None or unit is None:
        raise ValueProblem("cell.amount_invalid", value=text)
    digits = m.group("int").translate(_NO_GROUPING)
    value = float(digits + ("." + m.group("dec") if m.group("dec") else ""))
    scale = unit if m.group("unit") and m.group("unit") != ":-" else factor
    value *= scale
    if not math.isfinite(value):
        raise ValueProblem("cell.amount_invalid", value=text)
    if m.group("sign") and m.group("sign") in _MINUS:
        value = -value
    return value


def parse_amount(value: Any, factor: int = 1) -> float:
    """Kronor from a cell; ``factor`` is the column's header unit (1000 for ``tkr``).

    A unit written in the cell itself (``250 tkr``) wins over the header's.
    """
    if isinstance(value, bool):
        raise ValueProblem("cell.bool_number", value=value)
    if isinstance(value, int | float):
        amount = float(value) * factor
        if not math.isfinite(amount):
            raise ValueProblem("cell.amount_invalid", value=value)
        return amount
    if isinstance(value, str):
        return _parse_amount_text(value, factor)
    raise ValueProblem("cell.amount_invalid", value=value)


def format_amount_plain(value: float) -> str:
    """``1289000.0`` → ``'1 289 000'`` (no-break spaces, decimal comma when needed)."""
    negative = value < 0
    whole, frac = divmod(round(abs(value), 2), 1)
    text = f"{int(whole):,}".replace(",", "\u00a0")
    if round(frac, 2):
        text += ("," + f"{frac:.2f}"[2:]).rstrip("0")
    return ("\u2212" if negative else "") + text


# --- dates --------------------------------------------------------------------------

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augusti": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ t]00:00(?::00(?:\.0+)?)?)?")
_TEXT_DATE_RE = re.compile(r"(?:(\d{1,2})\.?\s+)?([a-zåäö]+)\.?\s+(\d{4})")

#: Excel serial day numbers accepted in date columns (1950-01-01 … 2199-12-31).
_SERIAL_RANGE = (18264, 109574)


def excel_serial_to_date(serial: float, date1904: bool = False) -> dt.date:
    """The date of an Excel serial day number in the 1900 or 1904 date system."""
    base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    return base + dt.timedelta(days=int(serial))


@lru_cache(maxsize=65536)
def _parse_date_text(text: str) -> tuple[dt.date, bool]:
    s = " ".join(text.strip().lower().split())
    try:
        m = _ISO_RE.fullmatch(s)
        if m:
            year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
            if day is None:
                return dt.date(year, month, 1), True
            return dt.date(year, month, int(day)), False
        m = _TEXT_DATE_RE.fullmatch(s)
        if m and m.group(2) in _MONTHS:
            month, year = _MONTHS[m.group(2)], int(m.group(3))
            if m.group(1) is None:
                return dt.date(year, month, 1), True
            return dt.date(year, month, int(m.group(1))), False
    except ValueError:
        pass
    raise ValueProblem("cell.date_invalid", value=text)


#: Dates grantstats accepts; anything else is a typo (``0209``, ``2090``…).
DATE_RANGE = (dt.date(1950, 1, 1), dt.date(2199, 12, 31))


def parse_date(value: Any, date1904: bool = False) -> tuple[dt.date, bool]:
    """A date from a cell, and whether it names a whole month (``2010-03``).

    A month is returned as its first day; dates outside 1950–2199 are refused.
    """
    day, month = _parse_date(value, date1904)
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise ValueProblem("cell.date_out_of_range", value=day.isoformat())
    return day, month


def _parse_date(value: Any, date1904: bool) -> tuple[dt.date, bool]:
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if isinstance(value, bool):
        raise ValueProblem("cell.date_invalid", value=value)
    if isinstance(value, int | float):
        if math.isfinite(value) and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return excel_serial_to_date(value, date1904), False
        raise ValueProblem("cell.date_invalid", value=value)
    if isinstance(value, str):
        return _parse_date_text(value)
    raise ValueProblem("cell.date_invalid", value=value)


# --- categories ---------------------------------------------------------------------


def _category_token(text: str) -> str:
    return " ".join(re.sub(r"[.,:;]", " ", text.lower()).split())


_CATEGORY_LOOKUP: dict[str, str] = {}
for _cat in CATEGORIES:
    for _name in (_cat.key, _cat.sv, _cat.en, *_cat.aliases):
        _CATEGORY_LOOKUP[_category_token(_name)] = _cat.key


def accepted_categories() -> str:
    return ", ".join(f"{c.key} ({c.sv})" for c in CATEGORIES)


@lru_cache(maxsize=4096)
def _parse_category_text(text: str) -> str:
    key = _CATEGORY_LOOKUP.get(_category_token(text))
    if key is None:
        raise ValueProblem("cell.category_unknown", value=text, accepted=accepted_categories())
    return key


def parse_category(value: Any) -> str:
    """The category key (``personal``, ``verksamhet``…) of a label or alias."""
    return _parse_category_text(str(value))


# --- shares, counts, ages -----------------------------------------------------------


def parse_share(value: Any) -> float:
    """A share 0–1 from ``0.2``, ``0,2``, ``20 %`` or ``20%``."""
    if isinstance(value, bool):
        raise ValueProblem("cell.share_invalid", value=value)
    share: float | None = None
    if isinstance(value, int | float):
        share = float(value)
    elif isinstance(value, str):
        s = value.strip().replace(",", ".")
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", s)
        if m:
            share = float(m.group(1)) / 100
        elif re.fullmatch(r"\d+(?:\.\d+)?", s):
            share = float(s)
    if share is None or not (0 <= share <= 1):
        raise ValueProblem("cell.share_invalid", value=value)
    return share


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,18})\s*(?:år|st|st\.|years?)?\s*", value.lower())
        if m:
            return int(m.group(1))
    return None


def parse_count(value: Any) -> int:
    """A whole count of people, 0 or more."""
    n = _whole_number(value)
    if n is None or n < 0:
        raise ValueProblem("cell.count_invalid", value=value)
    return n


def parse_age(value: Any) -> int:
    """An age in whole years, 0–120."""
    n = _whole_number(value)
    if n is None or not 0 <= n <= MAX_AGE:
        raise ValueProblem("cell.age_invalid", value=value)
    return n


_DASHES = "-\u2013\u2014\u2212"
_GROUP_PATTERNS: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(rf"(\d+)\s*[{_DASHES}]\s*(\d+)(?:\s*år)?"), lambda a, b: (int(a), int(b))),
    (re.compile(r"(?:under|<|yngre än|younger than)\s*(\d+)(?:\s*år)?"),
     lambda a: (0, int(a) - 1)),
    (re.compile(r"(?:<=|≤|upp till|up to)\s*(\d+)(?:\s*år)?"), lambda a: (0, int(a))),
    (re.compile(r"(\d+)\s*(?:\+|år och äldre|och äldre|och över|eller äldre|and older|"
                r"or older|år eller äldre)"), lambda a: (int(a), None)),
    (re.compile(r"(?:>=|≥|minst|at least)\s*(\d+)(?:\s*år)?"), lambda a: (int(a), None)),
    (re.compile(r"(?:över|>|äldre än|over|older than)\s*(\d+)(?:\s*år)?"),
     lambda a: (int(a) + 1, None)),
)


def accepted_age_groups(bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS) -> str:
    return ", ".join(b.label for b in bands)


@lru_cache(maxsize=1024)
def _parse_age_group_text(text: str, bands: tuple[AgeBand, ...]) -> str:
    s = " ".join(text.strip().lower().split())
    for pattern, to_range in _GROUP_PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            try:
                low, high = to_range(*m.groups())
            except ValueError:  # thousands of digits: no int
                break
            if high is not None and high < low:
                break
            for band in bands:
                if band.contains(low, high):
                    return band.label
            break
    raise ValueProblem("cell.age_group_invalid", value=text, accepted=accepted_age_groups(bands))


def parse_age_group(value: Any, bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS) -> str:
    """The label of the band an age-group text falls in (``under 18`` → ``0-17``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueProblem("cell.age_group_invalid", value=value,
                           accepted=accepted_age_groups(bands))
    return _parse_age_group_text(str(value), bands)


def band_of_age(age: int, bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS) -> str:
    for band in bands:
        if band.contains(age, age):
            return band.label
    raise ValueError(f"no band for age {age}")  # bands tile 0..∞, so unreachable


# --- flags and totals ---------------------------------------------------------------

_TRUE = {"ja", "j", "yes", "y", "x", "1", "sant", "true"}
_FALSE = {"nej", "n", "no", "0", "falskt", "false"}


def parse_flag(value: Any) -> bool:
    """Yes/no from ``ja``/``nej``, ``x``, 1/0 or a boolean cell."""
    if isinstance(value, bool):
        return value
    token = str(value).strip().lower()
    if isinstance(value, float) and value.is_integer():
        token = str(int(value))
    if token in _TRUE:
        return True
    if token in _FALSE:
        return False
    raise ValueProblem("cell.flag_invalid", value=value)


def is_total_label(value: Any) -> bool:
    """Whether a first cell marks a totals row (``Summa``, ``Totalt``, ``Total``, ``Sum``)."""
    if not isinstance(value, str):
        return False
    token = value.strip().lower().rstrip(":").strip()
    first = token.split(" ", 1)[0] if token else ""
    return token in TOTAL_WORDS or first in TOTAL_WORDS
