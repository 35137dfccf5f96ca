"""Fixtures shared by the tests of commands: the sample's reports, made once."""

from __future__ import annotations

import datetime as dt

import pytest

from grantstats.commands.outputs import ReportFiles
from grantstats.commands.report import make_report
from grantstats.resources import sample_workbook

NOW = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory) -> dict[str, ReportFiles]:
    """The sample's report, with its PDF, in Swedish ("sv") and English ("en"), and one
    project's alone ("one"): what the browser and PDF tests look at."""
    out = tmp_path_factory.mktemp("sample-reports")
    made = {}
    for name, pid, lang in (("sv", None, "sv"), ("en", None, "en"), ("one", "REG-2009", "sv")):
        made[name] = make_report(sample_workbook(), project_id=pid, lang=lang, out_dir=out,
                                 now=NOW, pdf=True)
    return made
