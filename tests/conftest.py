"""Shared fixtures: small workbooks written by the tests themselves."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import settings

from tests.books import write_book

# Timings are not assertions here: no per-example deadline, so a busy CI machine
# cannot turn a slow example into a failure.
settings.register_profile("grantstats", deadline=None)
settings.load_profile("grantstats")

# Loaded workbooks are cached in the user's cache directory; the tests (and the kernels
# and workers they start, which inherit the environment) use a folder of their own.
os.environ["GRANTSTATS_CACHE_DIR"] = tempfile.mkdtemp(prefix="grantstats-test-cache-")
atexit.register(shutil.rmtree, os.environ["GRANTSTATS_CACHE_DIR"], True)
# The sandbox's children get 1 GB on top of their start, so that a file built to be huge
# ends in a second, whatever the machine's memory.
os.environ.setdefault("GRANTSTATS_MEMORY_LIMIT_MB", "1024")

Rows = Sequence[Sequence[Any]]

#: A minimal valid workbook: one project, one decision (rows as written in Excel).
MINIMAL: dict[str, Rows] = {
    "projekt": [["projekt_id", "namn"], ["P1", "Projekt ett"]],
    "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2020, 1, 15), 100000]],
}


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write ``{sheet name: rows}`` to an .xlsx in tmp_path and return its path.

    ``edit(workbook)`` may change the openpyxl workbook before it is saved (merge
    cells, hide rows, set formulas…).
    """
    counter = {"n": 0}

    def write(sheets: Mapping[str, Rows], name: str | None = None,
              edit: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
        counter["n"] += 1
        return write_book(tmp_path / (name or f"book{counter['n']}.xlsx"), sheets, edit)

    return write


@pytest.fixture
def minimal() -> dict[str, list[list[Any]]]:
    """A fresh copy of MINIMAL to extend in a test."""
    return {k: [list(r) for r in v] for k, v in MINIMAL.items()}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def in_process(monkeypatch):
    """The sandbox's child replaced by a direct call, for tests that patch or count what
    the child would run (the sandbox itself is tested in reading/test_sandbox.py)."""
    from grantstats.reading import sandbox

    monkeypatch.setattr(sandbox, "call", lambda fn, *args, **_kw: fn(*args))
