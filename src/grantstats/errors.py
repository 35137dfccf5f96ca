"""Problems as values, raised once.

The loader collects every :class:`Problem` of a workbook and raises one
:class:`WorkbookError` carrying them all. A problem stores a message *code* and its
parameters, so it can be shown in Swedish or English; the CLI turns the list into
``sheet!CELL: message — hint`` lines.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grantstats.texts import explain, render

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Problem:
    """Something wrong (or, with ``severity="note"``, worth knowing) about a workbook."""

    code: str
    sheet: str | None = None
    cell: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str = "sv") -> str:
        return render(self.code, lang, self.params)[0]

    def hint(self, lang: str = "sv") -> str:
        return render(self.code, lang, self.params)[1]

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def format(self, lang: str = "sv") -> str:
        """One line: ``sheet!CELL: message — hint``."""
        text, hint = render(self.code, lang, self.params)
        line = f"{self.location}: {text}" if self.location else text
        return f"{line} — {hint}" if hint else line


class WorkbookError(Exception):
    """A workbook that cannot be used as it is; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem], path: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        self.path = path
        super().__init__(self.format("en"))

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its problems (it comes back from the sandbox's child), not as args
        return _rebuilt, (type(self), self.problems, self.path)

    @classmethod
    def of_problems(cls, problems: Iterable[Problem], path: str | None = None
                    ) -> WorkbookError:
        """An error of this class carrying ``problems`` as they are (a subclass's own
        constructor, which makes its one problem, is not called)."""
        return _rebuilt(cls, list(problems), path)

    def format(self, lang: str = "sv") -> str:
        return "\n".join(p.format(lang) for p in self.problems)

    def to_frame(self, lang: str = "sv") -> pd.DataFrame:
        """The problems as a table (sheet, cell, code, message, hint) to filter and show."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"sheet": p.sheet, "cell": p.cell, "code": p.code,
                 "message": p.message(lang), "hint": p.hint(lang)}
                for p in self.problems
            ],
            columns=["sheet", "cell", "code", "message", "hint"],
        )


class UnreadableWorkbook(WorkbookError):
    """The file is not a workbook grantstats can open at all (one problem, no cells).

    ``path`` is kept whole on the exception; messages name the file only (``{path}``).
    """

    def __init__(self, code: str, path: str | os.PathLike[str], **params: Any) -> None:
        name = Path(path).name or str(path)
        if isinstance(params.get("detail"), str):  # a technical text: say what it is about
            params["detail"] = explain(params["detail"])
        super().__init__([Problem(code, params={"path": name, **params})], str(path))


def _rebuilt(cls: type[WorkbookError], problems: list[Problem],
             path: str | None) -> WorkbookError:
    error = cls.__new__(cls)
    WorkbookError.__init__(error, problems, path)
    return error
