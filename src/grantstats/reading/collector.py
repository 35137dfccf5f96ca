"""Problems gathered while a workbook is read, and cut short where one kind repeats."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from grantstats.errors import Problem

#: How many problems of one kind in one sheet are listed before they are counted.
MAX_SAME_PROBLEMS = 20


class Collector:
    """Gathers problems and notes while a workbook is read."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.notes: list[Problem] = []

    def error(self, code: str, sheet: str | None = None, cell: str | None = None, /,
              **params: Any) -> None:
        self.errors.append(Problem(code, sheet, cell, params))

    def note(self, code: str, sheet: str | None = None, cell: str | None = None, /,
             **params: Any) -> None:
        self.notes.append(Problem(code, sheet, cell, params, severity="note"))

    def capped(self) -> list[Problem]:
        """Errors, with long runs of one kind in one sheet cut to a count."""
        seen: dict[tuple[str | None, str], int] = defaultdict(int)
        kept = []
        for p in self.errors:
            key = (p.sheet, p.code)
            seen[key] += 1
            if seen[key] <= MAX_SAME_PROBLEMS:
                kept.append(p)
        for (sheet, code), n in seen.items():
            if n > MAX_SAME_PROBLEMS:
                kept.append(Problem("sheet.more_problems", sheet, None,
                                    {"count": n - MAX_SAME_PROBLEMS, "code": code}))
        return kept
