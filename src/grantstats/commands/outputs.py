"""What a report writes besides its text, and reads back from an earlier one: the files of
a run (:class:`ReportFiles`), the one error a run ends with (:class:`ReportError`), and
the inert data block with the report's own figures (:func:`embedded_data`,
:func:`data_block`, :func:`read_embedded`).

Its own module so that :mod:`grantstats.commands.report` (which writes the block) and
:mod:`grantstats.commands.since` (which reads it back) both use it without importing
each other.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grantstats.version import __version__

if TYPE_CHECKING:
    from grantstats.reading.loader import Workbook

__all__ = ["DATA_FORMAT", "DATA_ID", "ReportError", "ReportFiles", "data_block",
           "embedded_data", "read_embedded"]


class ReportError(Exception):
    """The report could not be made; ``code`` and ``params`` make the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params
        #: reports of the same run that were finished before this one failed
        self.written: list[ReportFiles] = []


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    xlsx: Path
    pdf: Path | None = None
    pdf_error: ReportError | None = None
    #: the form's "5. Budget" as a Word table, next to the .xlsx
    docx: Path | None = None

    @property
    def paths(self) -> list[Path]:
        """Every file of the report that was written, in the order they are named."""
        return [p for p in (self.html, self.xlsx, self.docx, self.pdf) if p is not None]


#: The version of the report's data block (:func:`embedded_data`); a reader refuses others.
DATA_FORMAT = 1
DATA_ID = "grantstats-data"
_DATA_BLOCK = re.compile(
    rf'<template id="{DATA_ID}" data-format="(\d+)">([^<]*)</template>')
_GENERATOR = '<meta name="generator" content="grantstats '


def embedded_data(wb: Workbook, summary: dict[str, Any], *, project_id: str | None,
                  lang: str, suppress_below: int | None, now: dt.datetime) -> dict[str, Any]:
    """What a report embeds of itself: the ``summary`` document of what it shows (for a
    one-project report, that project only), the workbook's name and SHA-256, the report's
    parameters, when it was made and by which grantstats. The workbook is named, not
    located: a report says nothing of the folders it was made in."""
    projects = [p for p in summary["projects"]
                if project_id is None or p["project_id"] == project_id]
    return {
        "grantstats_report": DATA_FORMAT,
        "grantstats_version": __version__,
        "made": now.isoformat(timespec="seconds"),
        "workbook": {"name": wb.path.name, "sha256": wb.sha256},
        "parameters": {"project_id": project_id, "lang": lang,
                       "suppress_below": suppress_below},
        "summary": {**summary, "workbook": {"path": wb.path.name, "sha256": wb.sha256},
                    "projects": projects},
    }


def data_block(data: dict[str, Any]) -> str:
    """``data`` as an inert, non-executable element: a ``<template>`` (never rendered,
    never run) holding the JSON with every ``<``, ``>``, ``&`` and quote escaped."""
    payload = html.escape(json.dumps(data, ensure_ascii=False, sort_keys=True))
    return f'<template id="{DATA_ID}" data-format="{DATA_FORMAT}">{payload}</template>'


def read_embedded(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The data a report made by grantstats embeds (see :func:`embedded_data`).

    Raises ReportError ``cli.no_embedded`` for a file grantstats did not write, or one
    whose data block is missing, doubled, malformed or of another format version; an
    OSError if the file cannot be read.
    """
    document = Path(path).read_bytes().decode("utf-8", errors="replace")
    blocks = _DATA_BLOCK.findall(document)
    refused = ReportError("cli.no_embedded", path=str(path))
    if _GENERATOR not in document or len(blocks) != 1 or blocks[0][0] != str(DATA_FORMAT):
        raise refused
    try:
        data = json.loads(html.unescape(blocks[0][1]))
    except ValueError:
        raise refused from None
    if not _well_formed(data):
        raise refused
    return data  # type: ignore[no-any-return]


def _well_formed(data: Any) -> bool:
    """Whether ``data`` has the shape :func:`embedded_data` gives."""
    try:
        projects = data["summary"]["projects"]
        params = data["parameters"]
        dt.datetime.fromisoformat(data["made"])
        return bool(data["grantstats_report"] == DATA_FORMAT
                and isinstance(data["workbook"]["name"], str)
                and isinstance(data["workbook"]["sha256"], str)
                and isinstance(params, dict) and "project_id" in params
                and isinstance(projects, list)
                and all(isinstance(p, dict) and isinstance(p.get("project_id"), str)
                        for p in projects))
    except (KeyError, TypeError, ValueError):
        return False
