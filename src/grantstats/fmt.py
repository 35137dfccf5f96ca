"""Numbers, dates and percentages the way the reader's language writes them.

Swedish by default: ``1 027 607 kr`` with no-break spaces between thousands, decimal
comma, ``5 november 2009``. English: ``SEK 1,027,607``. Formatting is Babel's (CLDR).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def locale(lang: str) -> str:
    return _LOCALES.get(lang, "sv_SE")


def number(value: float, lang: str = "sv", decimals: int = 0) -> str:
    """A plain number with the language's grouping (``1 027 607``)."""
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=fmt, locale=locale(lang)).replace("\u2212", "−")


def amount(value: float | None, lang: str = "sv", *, exact: bool = False) -> str:
    """Kronor, rounded to whole kronor: ``1 027 607 kr`` / ``SEK 1,027,607``; with
    ``exact``, an amount with öre keeps them (``12 500,50 kr``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    whole = whole_kronor(value)
    text = number(value, lang, 2) if exact and round(value, 2) != whole else number(whole, lang)
    return f"{text}\u00a0kr" if lang == "sv" else f"SEK\u00a0{text}"


def whole_kronor(value: float) -> int:
    """Rounded half away from zero, as in bookkeeping (Python's round() goes to even)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tkr(value: float, lang: str = "sv") -> str:
    """Thousands of kronor for chart axes: ``1 289`` (the axis label says tkr)."""
    return number(value / 1000, lang)


def percent(value: float | None, lang: str = "sv", decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return format_percent(value, format=fmt, locale=locale(lang))


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
