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

from grantstats.texts import explain, render, session_lang, text

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
    """A workbook that cannot be used as it is; ``problems`` lists every reason.

    ``str()`` speaks ``lang`` (by default the session's language, Swedish unless
    :func:`grantstats.set_lang` says otherwise); in a notebook the error shows itself as
    one table of its problems, without a traceback (``_render_traceback_``).
    """

    #: the language of ``str()`` and the notebook's table; None: the session's
    lang: str | None = None

    def __init__(self, problems: Iterable[Problem], path: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        self.path = path
        super().__init__(self.format("en"))

    def __str__(self) -> str:
        return self.format(self.lang or session_lang())

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


    def _html(self, lang: str) -> str:
        """The problems as one HTML table: sheet and cell first, the whole hint."""
        from html import escape

        keys = ("sheet", "cell", "message", "fix")
        head = "".join(f'<th style="text-align:left">{escape(text(f"workbench.{k}", lang))}'
                       "</th>" for k in keys)
        rows = "".join(
            "<tr>" + "".join(f'<td style="text-align:left;white-space:normal">{escape(v)}</td>'
                             for v in (p.sheet or "", p.cell or "", p.message(lang),
                                       p.hint(lang))) + "</tr>"
            for p in self.problems)
        title = escape(text("workbench.problems_title", lang, name=self._name()))
        return (f"<p><strong>{title}</strong></p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    def _name(self) -> str:
        return Path(self.path).name if self.path else "?"

    def _repr_html_(self) -> str:
        return self._html(self.lang or session_lang())

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: in a kernel the table (HTML, once)
        and one line; in a terminal the problems one a line."""
        lang = self.lang or session_lang()
        summary = text("workbench.problems", lang, name=self._name(), count=len(self.problems))
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython calls this, so it is there
            return [summary, self.format(lang)]
        shell = get_ipython()
        if shell is None or not hasattr(shell, "kernel"):
            return [summary, *self.format(lang).splitlines()]
        if not getattr(self, "_shown", False):  # IPython may ask twice for one error
            display({"text/html": self._html(lang)}, raw=True)  # type: ignore[no-untyped-call]
            self._shown = True
        return [summary]


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
