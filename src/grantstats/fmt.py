"""Numbers, dates and percentages the way the reader's language writes them.

Swedish by default: ``1 027 607 kr`` with no-break spaces between thousands, decimal
comma, ``5 november 2009``. English: ``SEK 1,027,607``. Formatting is Babel's (CLDR).
A negative number has the minus sign U+2212 (``−118 302 kr``), never a hyphen, and
an amount never breaks across lines (its spaces are no-break spaces).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
MINUS = "\u2212"
NBSP = "\u00a0"
EN_DASH = "\u2013"


def locale(lang: str) -> str:
    return _LOCALES.get(lang, "sv_SE")


def _minus(shown: str) -> str:
    """Babel's leading hyphen-minus as U+2212; none at all when the number shown is
    zero (``-0,4`` rounded is ``0``, not ``−0``)."""
    if not shown.startswith("-"):
        return shown
    return shown[1:] if not any(c in "123456789" for c in shown) else MINUS + shown[1:]


def number(value: float, lang: str = "sv", decimals: int = 0) -> str:
    """A plain number with the language's grouping (``1 027 607``) and, when negative,
    the minus sign U+2212 (Babel gives a hyphen-minus for the patterns used here)."""
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _minus(format_decimal(value, format=fmt, locale=locale(lang)))


def amount(value: float | None, lang: str = "sv", *, exact: bool = False) -> str:
    """Kronor, rounded to whole kronor: ``1 027 607 kr`` / ``SEK 1,027,607``; with
    ``exact``, an amount with öre keeps them (``12 500,50 kr``). Negative:
    ``−118 302 kr`` / ``−SEK 118,302`` (the sign first, as CLDR's English has it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    whole = whole_kronor(value)
    text = number(value, lang, 2) if exact and round(value, 2) != whole else number(whole, lang)
    if lang == "sv":
        return f"{text}{NBSP}kr"
    sign, digits = (MINUS, text[1:]) if text.startswith(MINUS) else ("", text)
    return f"{sign}SEK{NBSP}{digits}"


def whole_kronor(value: float) -> int:
    """Rounded half away from zero, as in bookkeeping (Python's round() goes to even).

    Money is kept to the öre, so the value is first taken to the nearest öre: a sum of
    öre amounts that a float holds as 47 075,49999999999 is 47 075,50 kr, and shows as
    47 076 kr whichever order it was summed in.
    """
    ore = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(ore.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value: float | None, lang: str = "sv", decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return _minus(format_percent(value, format=fmt, locale=locale(lang)))


def ranges(text: str) -> str:
    """Number ranges with an en dash, as Swedish and English typography want them:
    ``0-17 år`` → ``0–17 år``, ``2009-2010`` → ``2009–2010``. Only a hyphen between
    two numbers of at most four digits changes, so a case number such as
    ``801-09-060935`` (its parts are not a range) keeps its hyphens."""
    return _RANGE.sub(lambda m: m.group(1) + EN_DASH + m.group(2), text)


_RANGE = re.compile(r"(?<![\d-])(\d{1,4})-(\d{1,4})(?![\d-])")


def date(value: dt.date | None, lang: str = "sv") -> str:
    """``5 november 2009`` / ``5 November 2009``."""
    if value is None:
        return "–"
    return _babel_date(value, format="d MMMM y", locale=locale(lang))


def size(n_bytes: int, lang: str = "sv") -> str:
    """A size on disk in megabytes: ``63,3 MB`` / ``63.3 MB``."""
    from babel.units import format_unit

    return format_unit(round(n_bytes / 1e6, 1), "digital-megabyte", length="short",
                       locale=locale(lang), format="#,##0.0")
