"""Valid Swedish identity numbers for tests, computed independently of grantstats.reading.values."""

from __future__ import annotations


def luhn_digit(nine: str) -> str:
    """The check digit of a Swedish identity number (Luhn over the nine digits)."""
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)
