"""The report as a PDF (WeasyPrint): A4, each project on a new page, no heading left
alone at the foot of a page, bookmarks, running header, "sida N av M", a table of
contents for several projects, metadata and tags."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grantstats.commands.outputs import ReportError
from grantstats.commands.pdf import fetcher, load_weasyprint, pdf_bytes
from grantstats.commands.report import make_report
from grantstats.resources import sample_workbook

pytestmark = pytest.mark.slow
NOW = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
PROJECTS = ["Samordning mot trafficking 2008",
            "Regional samordning mot prostitution och människohandel 2009–2010",
            "Socialjourens akuta arbete mot människohandel 2010"]
FOOTER_ZONE = 60  # points from the page's foot: the "sida N av M" margin box
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def pdfs(sample_reports) -> dict[str, Path]:
    """The PDFs of the sample's reports: "all" (Swedish), "en" and "one" (REG-2009)."""
    for files in sample_reports.values():
        assert files.pdf_error is None, files.pdf_error
    return {"all": sample_reports["sv"].pdf, "en": sample_reports["en"].pdf,
            "one": sample_reports["one"].pdf}


def _reader(path: Path):
    from pypdf import PdfReader

    return PdfReader(path)


def _outline(reader) -> list[tuple[int, str, int, float]]:
    """(level, title, page index, top) of every bookmark, in order."""
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title), reader.get_destination_page_number(item),
                            float(item.top)))
    walk(reader.outline, 0)
    return out


def _lines(page) -> list[tuple[float, str]]:
    """(height above the page's foot, text) of each piece of text on ``page``."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((cm[1] * tm[4] + cm[3] * tm[5] + cm[5], text.strip()))
    page.extract_text(visitor_text=visit)
    return found


def test_pdf_is_a4_with_its_pages_counted(pdfs):
    reader = _reader(pdfs["all"])
    n = len(reader.pages)
    assert 6 <= n <= 16  # 11 for the sample when this was written
    for page in reader.pages:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    for number, page in enumerate(reader.pages, 1):
        assert f"sida {number} av {n}" in page.extract_text()
    assert f"page 1 of {len(_reader(pdfs['en']).pages)}" in _reader(pdfs["en"]).pages[0] \
        .extract_text()


def test_the_outline_holds_every_heading_and_each_project_starts_a_page(pdfs):
    reader = _reader(pdfs["all"])
    outline = _outline(reader)
    titles = [title for _, title, _, _ in outline]
    assert titles[0] == "Slutrapport – projektmedel"
    for name in PROJECTS:
        level, _, page, top = next(o for o in outline if o[1] == name)
        assert level == 1
        text = [t for _, t in sorted(_lines(reader.pages[page]), reverse=True)]
        header = text.index(next(t for t in text if name.startswith(t) or t in name))
        assert header <= 2  # only the running header stands above a project's heading
        assert top > 842 - 100  # at the top of its page
    sections = [title for level, title, _, _ in outline if level == 2]
    # under each project its budget and its outcomes; spending over time only where
    # there are costs (the regional project)
    assert sections.count("Budget och utfall") == len(PROJECTS)
    assert sections.count("Utfall: anmälningar till socialtjänsten") == len(PROJECTS)
    assert sections.count("Förbrukning över tid") == 1


def test_no_heading_is_the_last_thing_on_its_page(pdfs):
    for name in ("all", "one", "en"):
        reader = _reader(pdfs[name])
        for _, title, page, top in _outline(reader):
            below = [t for y, t in _lines(reader.pages[page])
                     if FOOTER_ZONE < y < top - 30 and t not in title]
            assert below, f"{name}: '{title}' ends page {page + 1}"


def test_nothing_is_cut_off_at_the_right_margin(pdfs):
    """A wide table is fitted to the page in print (it cannot scroll on paper)."""
    right = 595 - 16 / 25.4 * 72  # the page less its right margin, in points
    for name in ("all", "en"):
        for number, page in enumerate(_reader(pdfs[name]).pages, 1):
            starts: list[tuple[float, str]] = []

            def visit(text, cm, tm, font, size, starts=starts):
                if text.strip():
                    starts.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4], text.strip()))
            page.extract_text(visitor_text=visit)
            assert [t for x, t in starts if x > right - 5] == [], f"{name} page {number}"


def test_running_header_names_the_report_and_the_project(pdfs):
    reader = _reader(pdfs["all"])
    outline = _outline(reader)
    first = {title: page for _, title, page, _ in outline}
    for name in PROJECTS:
        page = reader.pages[first[name] + 1 if first[name] + 1 < len(reader.pages)
                            else first[name]]
        top = [t for y, t in sorted(_lines(page), reverse=True) if y > 842 - 60]
        assert "Slutrapport – projektmedel" in " ".join(top)
    assert not [y for y, _ in _lines(reader.pages[0]) if y > 842 - 45]  # none on page 1


def test_a_table_of_contents_with_page_numbers_when_there_are_several_projects(pdfs):
    reader = _reader(pdfs["all"])
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Innehåll" in text
    starts = {title: page + 1 for _, title, page, _ in _outline(reader)}
    contents = next(p.extract_text() for p in reader.pages if "Innehåll" in p.extract_text())
    for name in PROJECTS:  # the name, leader dots, then the page the project starts on
        words = r"\s+".join(map(re.escape, name.split()))
        found = re.search("^" + words + r"\s*\.{3,}\s*(\d+)$", contents, re.M)
        assert found and int(found.group(1)) == starts[name]
    one = "\n".join(p.extract_text() for p in _reader(pdfs["one"]).pages)
    assert "Innehåll" not in one


def test_metadata_title_author_subject_language_and_tags(pdfs):
    reader = _reader(pdfs["all"])
    meta = reader.metadata
    assert meta.title == "Slutrapport – projektmedel"
    assert meta.author and "Socialjouren" in meta.author  # the units (enhet) reporting
    assert all(name in meta.subject for name in PROJECTS)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv" and _reader(pdfs["en"]).trailer["/Root"]["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert "/Outlines" in root


def test_the_charts_are_vector_with_their_text_in_the_pdf(pdfs):
    reader = _reader(pdfs["one"])
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Sökt och förbrukat per kategori" in text  # a chart's title, as text
    for page in reader.pages:
        assert not page.images  # no bitmap anywhere


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not IN_CI,
                    reason="pdftoppm (Debian's poppler-utils) is not installed")
def test_pages_render_to_images(pdfs, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(pdfs["all"]),
                    str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    for path in pages:
        with Image.open(path) as image:
            grey = image.convert("L")
            assert grey.size == (331, 468)  # A4 at 40 dpi
            assert grey.getextrema()[0] < 60  # ink on the page, not a blank one


def test_no_pdf_without_weasyprint_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it or Pango failed to load
    files = make_report(sample_workbook(), project_id="REG-2009", out_dir=tmp_path, now=NOW,
                        pdf=True)
    assert files.html.exists() and files.pdf is None
    assert files.pdf_error.code == "cli.pdf_missing"
    from grantstats.texts import render

    assert "apt-get install libpango" in render("cli.pdf_missing", "sv", {"detail": "x"})[1]
    assert not list(tmp_path.glob("*.pdf*"))


def test_the_pdf_fetches_nothing(tmp_path):
    fetch = fetcher(load_weasyprint())
    for url in ("file:///etc/passwd", "https://example.org/x.png", "ftp://example.org/x"):
        with pytest.raises(ValueError):
            fetch(url)
    assert fetch("data:text/plain,ok").read() == b"ok"
    page = tmp_path / "p.html"
    page.write_text('<!DOCTYPE html><html lang="sv"><title>T</title><h1>T</h1>'
                    '<img src="file:///etc/hostname" alt="x"></html>', "utf-8")
    assert pdf_bytes(page).startswith(b"%PDF")


def test_a_layout_failure_is_a_report_error(tmp_path):
    with pytest.raises(ReportError) as caught:
        pdf_bytes(tmp_path / "missing.html")
    assert caught.value.code == "cli.pdf_failed"
