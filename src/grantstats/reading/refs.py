"""A1 references: column letters and cell names, both ways.

Plain arithmetic rather than openpyxl's helpers: importing openpyxl takes a tenth of a
second, and a workbook that reads cleanly never needs anything else of it.
"""

from __future__ import annotations

import re

__all__ = ["cell_index", "cell_name", "column_index", "column_letter"]

_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA`` (0-based, like the rows of a sheet here)."""
    if index < 0:
        raise ValueError(index)
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` → 0, ``AA`` → 26, in any case (as calamine reads them)."""
    if not letters or not letters.isascii() or not letters.isalpha():
        raise ValueError(letters)
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def cell_name(row: int, col: int) -> str:
    """0-based row and column → ``B7``."""
    return f"{column_letter(col)}{row + 1}"


def cell_index(ref: str) -> tuple[int, int]:
    """``B7`` (or ``$B$7``) → (6, 1); ValueError for anything else."""
    m = _REFERENCE.fullmatch(ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)) - 1, column_index(m.group(1))
