"""Files that ship with grantstats: the sample workbook and the notebooks.

In an installed package they live in ``grantstats/_bundled``; in a source checkout
(an editable install) they are the repository's own ``data/`` and ``notebooks/``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE = "exempel.xlsx"
EXPLORE_NOTEBOOK = "01_utforska.ipynb"
REPORT_NOTEBOOK = "02_slutrapport.ipynb"

_REPO = Path(__file__).resolve().parents[2]
_IN_REPO = {SAMPLE: _REPO / "data" / SAMPLE,
            EXPLORE_NOTEBOOK: _REPO / "notebooks" / EXPLORE_NOTEBOOK,
            REPORT_NOTEBOOK: _REPO / "notebooks" / REPORT_NOTEBOOK}


def bundled(name: str) -> Path:
    """The path of a bundled file by name."""
    packaged = Path(str(files("grantstats") / "_bundled" / name))
    if packaged.exists():
        return packaged
    if _IN_REPO[name].exists():
        return _IN_REPO[name]
    raise FileNotFoundError(f"{name} is not bundled with this installation of grantstats")


def sample_workbook() -> Path:
    """The sample workbook built from the seed reports (``data/exempel.xlsx``)."""
    return bundled(SAMPLE)


def report_notebook() -> Path:
    return bundled(REPORT_NOTEBOOK)
