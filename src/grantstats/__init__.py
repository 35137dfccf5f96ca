"""grantstats: follow up grant-funded municipal projects, from workbook to report."""

from typing import TYPE_CHECKING

from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.version import __version__

if TYPE_CHECKING:
    from grantstats.computing.results import Figures
    from grantstats.reading.loader import Workbook, load

__all__ = ["Figures", "Problem", "UnreadableWorkbook", "Workbook", "WorkbookError",
           "__version__", "load"]

#: names imported on first use, and the module each comes from
_LAZY = {"load": "grantstats.reading.loader", "Workbook": "grantstats.reading.loader",
         "Figures": "grantstats.computing.results"}


def __getattr__(name: str) -> object:
    # The loader and the figures (and pandas with them) are imported on first use, so
    # that `grantstats report` can start its kernel before paying for pandas.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grantstats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
