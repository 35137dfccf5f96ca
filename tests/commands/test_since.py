"""A report knows its predecessor: embedded figures, --since, --since latest, file names."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from grantstats.commands.cli import main
from grantstats.commands.outputs import ReportError, data_block, read_embedded
from grantstats.commands.report import (
    make_report,
    make_reports,
    report_name,
    workbook_stems,
)
from grantstats.rendering.page import page
from grantstats.resources import sample_workbook

NOW = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=30)
NBSP = "\u00a0"


def _since(report: Path) -> str:
    """The section of changes of a report, as plain text ("" if it has none)."""
    found = re.search(r'<section class="gs-since">(.*?)</section>',
                      report.read_text("utf-8"), re.S)
    if not found:
        return ""
    parts = (html.unescape(p).replace(NBSP, " ").strip()
             for p in re.split(r"<[^>]+>", found.group(1)))
    return " | ".join(p for p in parts if p)


def _edited(path: Path) -> Path:
    """``path`` (a copy of the sample) with one more cost of 12 500 kr for REG-2009."""
    book = openpyxl.load_workbook(path)
    book["kostnader"].append(["REG-2009", dt.datetime(2010, 12, 15),
                              "Personal, inkl. sociala avgifter", 12500, "Extra", None])
    book.save(path)
    return path


# --- the data block, without a notebook ----------------------------------------------


def _page(data: object) -> str:
    return page("<h1>T</h1><p>x</p>", title="T", lang="sv", footer="f",
                data=data_block(data) if isinstance(data, dict) else str(data))


GOOD = {"grantstats_report": 1, "made": "2026-11-23T10:30:00+00:00",
        "workbook": {"name": "a.xlsx", "sha256": "ab"},
        "parameters": {"project_id": None, "lang": "sv", "suppress_below": 3},
        "summary": {"projects": [{"project_id": "P1", "name": "</template><script>x"}]}}


def test_the_data_block_reads_back_and_is_inert(tmp_path):
    path = tmp_path / "r.html"
    path.write_text(_page(GOOD), encoding="utf-8")
    text = path.read_text("utf-8")
    assert "<script" not in text.lower() and '<template id="grantstats-data"' in text
    assert read_embedded(path) == GOOD


@pytest.mark.parametrize("document", [
    "<!DOCTYPE html><html><body><h1>Någon annans rapport</h1></body></html>",
    _page(""),  # grantstats's page without a data block
    _page('<template id="grantstats-data" data-format="1">{"grantstats_report": 1,</template>'),
    _page({**GOOD, "summary": {}}),
    _page({**GOOD, "grantstats_report": 2}),
    _page(GOOD) + _page(GOOD),
])
def test_a_report_grantstats_did_not_write_or_that_was_edited_is_refused(tmp_path, document):
    path = tmp_path / "r.html"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        read_embedded(path)
    assert caught.value.code == "cli.no_embedded"


def test_a_non_grantstats_html_as_previous_exits_2_with_the_fix(tmp_path, capsys):
    other = tmp_path / "annan.html"
    other.write_text("<html><body><h1>Annan</h1></body></html>", encoding="utf-8")
    assert main(["report", str(sample_workbook()), "--since", str(other),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "rapporten saknar grantstats siffror" in err and "--since" in err
    assert not list((tmp_path / "out").glob("*.html"))


# --- names ---------------------------------------------------------------------------


def test_file_names_say_what_the_report_is_about():
    assert report_name("exempel", None, NOW) == "slutrapport-exempel-alla-20261123-103000"
    assert report_name("exempel", "REG-2009", NOW, "en") == \
        "final-report-exempel-REG-2009-20261123-103000"
    assert report_name("två ord/x", "P 1", NOW) == "slutrapport-två_ord_x-P_1-20261123-103000"


def test_two_workbooks_of_one_name_are_told_apart_by_their_content():
    stems = workbook_stems([Path("a/x.xlsx"), Path("b/x.xlsx"), Path("y.xlsx")],
                           ["1" * 64, "2" * 64, "3" * 64])
    assert stems == ["x-11111111", "x-22222222", "y"]
    assert workbook_stems([Path("a/x.xlsx"), Path("a/x.xlsx")], ["1" * 64] * 2) == ["x", "x"]


# --- reports (the notebook runs) -----------------------------------------------------


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """Reports of the sample (all projects, and REG-2009) in ``out``; then the sample's
    workbook is deleted and a new version, one cost of 12 500 kr more, takes its name."""
    folder = tmp_path_factory.mktemp("since")
    path = folder / "exempel.xlsx"
    shutil.copyfile(sample_workbook(), path)
    out = folder / "out"
    every = make_report(path, out_dir=out, now=NOW).html
    one = make_report(path, project_id="REG-2009", out_dir=out, now=NOW).html
    path.unlink()
    shutil.copyfile(sample_workbook(), path)
    _edited(path)
    return {"path": path, "out": out, "all": every, "one": one}


@pytest.mark.slow
def test_every_report_embeds_its_figures(earlier):
    import hashlib

    data = read_embedded(earlier["one"])
    assert data["workbook"] == {"name": "exempel.xlsx", "sha256": hashlib.sha256(
        sample_workbook().read_bytes()).hexdigest()}
    assert data["parameters"] == {"project_id": "REG-2009", "lang": "sv", "suppress_below": 3}
    assert data["made"] == "2026-11-23T10:30:00+00:00" and data["grantstats_version"]
    assert [p["project_id"] for p in data["summary"]["projects"]] == ["REG-2009"]
    assert data["summary"]["projects"][0]["spent"] == 1027607
    every = read_embedded(earlier["all"])["summary"]["projects"]
    assert [p["project_id"] for p in every] == ["TRAFF-2008", "REG-2009", "JOUR-2010"]
    text = earlier["all"].read_text("utf-8")
    assert "<script" not in text.lower() and str(earlier["out"]) not in text


@pytest.mark.slow
def test_a_report_compares_with_an_earlier_report_whose_workbook_is_gone(earlier, tmp_path):
    files = make_report(earlier["path"], out_dir=tmp_path, now=LATER, since=earlier["all"])
    section = _since(files.html)
    assert "Ändringar sedan förra rapporten" in section
    assert earlier["all"].name in section and "23 november 2026" in section
    assert read_embedded(earlier["all"])["workbook"]["sha256"] in section
    assert "Förbrukat | 1 027 607 kr | 1 040 107 kr | +12 500 kr" in section
    assert "Rader i arbetsboken" not in section  # the old workbook is not at hand
    assert files.html.read_text("utf-8").index("gs-since") > \
        files.html.read_text("utf-8").index("</h1>")


@pytest.mark.slow
def test_since_latest_takes_the_most_recent_earlier_report_of_the_project(earlier):
    files = make_report(earlier["path"], project_id="REG-2009", out_dir=earlier["out"],
                        now=LATER, since="latest")
    try:
        section = _since(files.html)
        assert earlier["one"].name in section
        assert "| 1 027 607 kr | 1 040 107 kr | +12 500 kr" in section
        footer = re.search(r"<footer>(.*?)</footer>", files.html.read_text("utf-8"), re.S)
        assert f"Förra rapporten: {earlier['one'].name} (2026-11-23 10:30)" in footer.group(1)
    finally:
        files.html.unlink()
        files.xlsx.unlink()


@pytest.mark.slow
def test_since_a_workbook_counts_the_rows_too(earlier, tmp_path):
    files = make_report(earlier["path"], project_id="REG-2009", out_dir=tmp_path, now=LATER,
                        since=sample_workbook(), lang="en")
    assert files.html.name == "final-report-exempel-REG-2009-20261223-103000.html"
    section = _since(files.html)
    assert "Changes since the previous report" in section
    assert "Compared with the workbook exempel.xlsx" in section
    assert "Spent | SEK 1,027,607 | SEK 1,040,107 | +SEK 12,500" in section
    assert "Rows in the workbook" in section and "costs | 1 | 0 | 0" in section


@pytest.mark.slow
def test_nothing_changed_says_so_in_one_sentence(earlier, tmp_path):
    files = make_report(sample_workbook(), out_dir=tmp_path, now=LATER, since=earlier["all"])
    section = _since(files.html)
    assert section.endswith("| Inget har ändrats sedan dess.")
    assert "Förbrukat" not in section


@pytest.mark.slow
def test_a_previous_report_of_another_project_is_named_and_nothing_compared(earlier, tmp_path):
    files = make_report(earlier["path"], project_id="JOUR-2010", out_dir=tmp_path, now=LATER,
                        since=earlier["one"])
    section = _since(files.html)
    assert "gäller REG-2009, inte JOUR-2010; ingenting jämförs" in section
    assert "Förbrukat" not in section


@pytest.mark.slow
def test_since_latest_without_an_earlier_report_exits_2(tmp_path, capsys):
    assert main(["report", str(sample_workbook()), "--since", "latest",
                 "--out", str(tmp_path)]) == 2
    assert "ingen tidigare rapport av exempel.xlsx" in capsys.readouterr().err


@pytest.mark.slow
def test_two_workbooks_of_one_name_get_names_that_tell_them_apart(earlier, tmp_path):
    reports = make_reports([sample_workbook(), earlier["path"]], out_dir=tmp_path, now=LATER)
    names = [r.html.name for r in reports]
    assert len(set(names)) == 2 and not any(n.endswith("-2.html") for n in names)
    shas = [read_embedded(r.html)["workbook"]["sha256"][:8] for r in reports]
    assert names == [f"slutrapport-exempel-{sha}-alla-20261223-103000.html" for sha in shas]
    assert json.loads(json.dumps(read_embedded(reports[0].html)))


def test_the_latest_earlier_report_is_found_across_time_zones(tmp_path):
    from grantstats.commands.since import Previous, latest

    def made(when: str, pid: str | None = None, name: str = "a.xlsx") -> Previous:
        return Previous(tmp_path / f"{when}.html", {
            **GOOD, "made": when, "workbook": {"name": name, "sha256": "ab"},
            "parameters": {**GOOD["parameters"], "project_id": pid}})

    reports = [made("2026-11-23T09:00:00+00:00"), made("2026-11-23T11:00:00+02:00"),
               made("2026-11-23T09:30:00+00:00", "P1"), made("2026-11-23T09:45:00+00:00",
                                                           name="b.xlsx"),
               made("2026-11-23T10:30:00+00:00")]
    found = latest(reports, "a.xlsx", None, NOW)
    assert found is not None and found.data["made"] == "2026-11-23T09:00:00+00:00"
    assert latest(reports, "a.xlsx", "P1", NOW).data["made"] == "2026-11-23T09:30:00+00:00"
    assert latest(reports, "a.xlsx", "P2", NOW) is None
