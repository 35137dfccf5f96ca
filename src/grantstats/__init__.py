"""grantstats: follow up grant-funded municipal projects, from workbook to report."""

from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.load import Workbook, load
from grantstats.version import __version__

__all__ = ["Problem", "UnreadableWorkbook", "Workbook", "WorkbookError", "__version__", "load"]
