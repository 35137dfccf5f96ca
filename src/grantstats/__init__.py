"""grantstats: follow up grant-funded municipal projects, from workbook to report."""

from typing import TYPE_CHECKING

from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.version import __version__

if TYPE_CHECKING:
    from grantstats.reading.loader import Workbook, load

__all__ = ["Problem", "UnreadableWorkbook", "Workbook", "WorkbookError", "__version__", "load"]


def __getattr__(name: str) -> object:
    # The loader (and pandas with it) is imported on first use, so that `grantstats report`
    # can start its kernel before paying for pandas.
    if name in ("load", "Workbook"):
        from grantstats.reading import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'grantstats' has no attribute {name!r}")
