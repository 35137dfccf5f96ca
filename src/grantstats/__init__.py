"""grantstats: follow up grant-funded municipal projects, from workbook to report."""

from typing import TYPE_CHECKING

from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.texts import set_session_lang as set_lang
from grantstats.version import __version__

if TYPE_CHECKING:
    from grantstats.computing import metrics
    from grantstats.computing.results import Figures
    from grantstats.reading.loader import Workbook
    from grantstats.rendering import charts
    from grantstats.rendering.tables import FigureTable, export
    from grantstats.rendering.workbench import Workbench, compare, load

__all__ = ["FigureTable", "Figures", "Problem", "UnreadableWorkbook", "Workbench", "Workbook",
           "WorkbookError", "__version__", "charts", "compare", "export", "load", "metrics",
           "set_lang"]

#: names imported on first use, and the module each comes from (a module itself when
#: the name is the module's own)
_LAZY = {"load": "grantstats.rendering.workbench", "compare": "grantstats.rendering.workbench",
         "Workbench": "grantstats.rendering.workbench", "Workbook": "grantstats.reading.loader",
         "Figures": "grantstats.computing.results", "FigureTable": "grantstats.rendering.tables",
         "export": "grantstats.rendering.tables", "metrics": "grantstats.computing.metrics",
         "charts": "grantstats.rendering.charts"}


def __getattr__(name: str) -> object:
    # The loader and the figures (and pandas with them) are imported on first use, so
    # that `grantstats report` can start its kernel before paying for pandas.
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return module if module.__name__.rpartition(".")[2] == name else getattr(module, name)
    raise AttributeError(f"module 'grantstats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
