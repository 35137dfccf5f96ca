"""Figures from loaded workbooks: pure functions (``metrics``, ``suppress``) and the
:class:`Figures` of one workbook (``results``).

``Figures`` is imported on first use, so that importing this package costs nothing.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grantstats.computing.results import Figures

__all__ = ["Figures"]


def __getattr__(name: str) -> object:
    if name == "Figures":
        from grantstats.computing.results import Figures

        return Figures
    raise AttributeError(f"module 'grantstats.computing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
