"""grantstats report: one self-contained HTML file, checked in a real browser."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from grantstats import WorkbookError
from grantstats.commands.outputs import ReportError
from grantstats.commands.report import make_report
from grantstats.files import write_new
from grantstats.resources import sample_workbook
from tests.commands.browser import chromium_page, needs_browser

pytestmark = pytest.mark.slow
NOW = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
HOSTILE = "<script>window.__pwned = 1</script>"


@pytest.fixture
def report_notebook_of(tmp_path, monkeypatch):
    """Make `grantstats report` run a two-cell notebook: parameters, then ``code``."""
    import nbformat

    def use(parameters: str, code: str) -> None:
        path = tmp_path / "02_slutrapport.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(code),
        ]), path)
        monkeypatch.setattr("grantstats.commands.report.report_notebook", lambda: path)

    return use


def _no_time(text: str) -> str:
    text = re.sub(r"(läst|read) \d+ \w+ \d{4} (kl\.|at) \d\d[.:]\d\d \(UTC[^)]*\)",
                  r"\1 TIME", text)
    return re.sub(r"&quot;made&quot;: &quot;[^&]+&quot;", "MADE", text)  # in the data block


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    return make_report(sample_workbook(), out_dir=out, now=NOW).html


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory) -> Path:
    """Two projects; P1's referrals have small counts; a project name carries a script."""
    path = tmp_path_factory.mktemp("wb") / "liten.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "projekt": [["projekt_id", "namn", "enhet", "start", "slut"],
                    ["P1", f"Projekt {HOSTILE}", "Enheten", dt.date(2024, 1, 1),
                     dt.date(2024, 12, 31)],
                    ["P2", "Andra projektet", "Enheten", None, None]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp", "bidragsgivare", "diarienummer",
                    "innehållen_andel", "slutrapport_senast"],
                   ["P1", dt.date(2023, 12, 1), 300000, "Länsstyrelsen", "123-45",
                    "10 %", dt.date(2025, 1, 31)],
                   ["P2", dt.date(2023, 12, 1), 100000, None, None, None, None]],
        # the analyst's explanation is printed next to its variance: as text, never run
        "budget": [["projekt_id", "kategori", "belopp", "förklaring"],
                   ["P1", "personal", 250000, HOSTILE], ["P1", "resor", 50000, None]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp", "beskrivning"],
                      ["P1", dt.date(2024, 2, 10), "personal", 120000, "=HYPERLINK(x)"],
                      ["P1", "2024-05", "resor", "12 500", None]],
        "rekvisitioner": [["projekt_id", "datum", "belopp"], ["P1", dt.date(2024, 3, 1),
                                                             270000]],
        "anmälningar": [["projekt_id", "datum", "åldersgrupp", "antal", "källa"],
                        ["P1", dt.date(2024, 3, 1), "under 18", 5, "Fältarbete"],
                        ["P1", dt.date(2024, 4, 1), "18-19", 1, HOSTILE]],
    }
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book["kostnader"]["E2"].data_type = "s"  # text that looks like a formula, not a formula
    book.save(path)
    return path


@pytest.fixture(scope="module")
def small_report(small_workbook, tmp_path_factory) -> Path:
    return make_report(small_workbook, project_id="P1", out_dir=tmp_path_factory.mktemp("s"),
                       now=NOW).html


def test_report_is_one_self_contained_html_file(sample_report):
    text = sample_report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in text
    assert text.count("<h1") == 1
    assert "<title>Slutrapport – projektmedel</title>" in text
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "@import" not in text
    assert not re.search(r"url\((?!#)", text)  # only references inside a chart (clip paths)
    assert "<img" not in text  # charts are inline SVG, with their text as text
    svgs = re.findall(r"<svg [^>]+>", text)
    # the overview's, and the regional project's costs, spending over time and two of
    # referrals: no chart for a project without costs or referrals
    assert len(svgs) == 5
    assert all('role="img"' in svg and re.search(r'aria-label="[^"]{20,}"', svg) for svg in svgs)
    assert '<th scope="col"' in text and '<th scope="row"' in text


def test_report_shows_no_code_prompts_or_parameters(sample_report):
    text = sample_report.read_text(encoding="utf-8")
    for code in ("grantstats.load(", "import grantstats", "report.heading(", "In&nbsp;[",
                 "suppress_below = ", "project_id = None", "sample_workbook()"):
        assert code not in text


def test_report_holds_the_seed_figures(sample_report):
    text = sample_report.read_text(encoding="utf-8")
    for amount in ("1\u00a0027\u00a0607\u00a0kr", "1\u00a0289\u00a0000\u00a0kr",
                   "1\u00a0189\u00a0000\u00a0kr", "1\u00a0006\u00a0698\u00a0kr",
                   "20\u00a0609\u00a0kr"):
        assert amount in text
    assert "801-09-060935" in text and "20 januari 2011" in text


def test_report_states_the_bottom_line_first(sample_report):
    """Issue 11's bars: to repay 161 393 kr, final payment 0 kr, granted in all 2 089 000 kr."""
    import html as html_module
    import re

    page = html_module.unescape(re.sub(r"<[^>]+>", " ", sample_report.read_text("utf-8")))
    page = " ".join(page.replace("\u00a0", " ").split())
    assert page.index("Sammanfattning") < page.index("Att åtgärda") < page.index(
        "Översikt över projekten")
    assert ("161 393 kr ska betalas tillbaka till Länsstyrelsen i Stockholms län, och de "
            "innehållna 100 000 kr betalas inte ut.") in page
    assert ("Regional samordning mot prostitution och människohandel 2009–2010 1 289 000 kr "
            "1 189 000 kr 1 027 607 kr 161 393 kr 0 kr 80 %") in page  # overview's columns:
    assert ("Beviljat Rekvirerat Förbrukat Att betala tillbaka Slututbetalning att vänta "
            "Förbrukat av beviljat") in page
    assert "Totalt 2 089 000 kr" in page
    # the finding is kept: adjacent age bands merged, not hidden
    assert "0–17 år 10 18 år och äldre 4 Totalt 14" in page
    # a project without costs gets one sentence, not tables of -100 %
    assert "-100 %" not in page and "\u2212100 %" not in page


def test_footer_has_provenance(sample_report):
    text = sample_report.read_text(encoding="utf-8")
    footer = re.search(r"<footer>(.*?)</footer>", text, re.S).group(1)
    import hashlib

    assert hashlib.sha256(sample_workbook().read_bytes()).hexdigest() in footer
    assert "exempel.xlsx" in footer and "grantstats" in footer
    assert "läst 23 november 2026 kl. 10.30 (UTC)" in footer
    assert "suppress_below" not in footer and "None" not in footer  # words, not parameters
    about = re.search(r'<section class="gs-about">(.*?)</section>', text, re.S).group(1)
    assert "Rapporten omfattar alla projekt i arbetsboken (3 st.)." in about
    assert "Antal personer under 3 visas inte" in about


def test_output_name_holds_project_date_and_time(sample_report, small_report):
    assert sample_report.name == "slutrapport-exempel-alla-20261123-103000.html"
    assert small_report.name == "slutrapport-liten-P1-20261123-103000.html"


def test_budget_form_is_written_next_to_the_html(sample_report):
    xlsx = sample_report.with_suffix(".xlsx")
    book = openpyxl.load_workbook(xlsx)
    ws = book["REG-2009"]
    values = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}
    assert values["Personal, inkl. sociala avgifter"] == 1006698
    assert values["Summa kostnader"] == 1027607
    assert values["Beviljade projektmedel från länsstyrelsen"] == 1289000
    assert values["Rekvirerat"] == 1189000


def test_two_runs_are_identical_apart_from_the_time(tmp_path, sample_report):
    again = make_report(sample_workbook(), out_dir=tmp_path,
                        now=NOW + dt.timedelta(hours=3)).html
    first, second = sample_report.read_text("utf-8"), again.read_text("utf-8")
    assert first != second
    assert _no_time(first) == _no_time(second)


def test_existing_report_is_never_overwritten(tmp_path):
    taken = tmp_path / "slutrapport-exempel-P1-20261123-103000.html"
    taken.write_text("mine")
    files = make_report(sample_workbook(), project_id="REG-2009", out_dir=tmp_path, now=NOW)
    assert taken.read_text() == "mine"
    assert files.html.exists() and files.html != taken
    assert files.html.name == "slutrapport-exempel-REG-2009-20261123-103000.html"
    again = make_report(sample_workbook(), project_id="REG-2009", out_dir=tmp_path, now=NOW)
    assert again.html.name == "slutrapport-exempel-REG-2009-20261123-103000-2.html"
    assert files.html.read_text("utf-8") == again.html.read_text("utf-8")


def test_write_new_leaves_nothing_when_writing_fails(tmp_path):
    def broken(tmp: Path) -> None:
        tmp.write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_new(tmp_path / "r.html", broken)
    assert list(tmp_path.iterdir()) == []


def test_failing_notebook_names_the_cell_and_leaves_no_report(tmp_path, report_notebook_of):
    report_notebook_of("workbook = None", "1 / 0")
    out = tmp_path / "out"
    with pytest.raises(ReportError) as info:
        make_report(sample_workbook(), out_dir=out, now=NOW)
    assert info.value.code == "cli.notebook_failed"
    assert info.value.params["cell"] == 3  # after the injected parameters cell
    assert "ZeroDivisionError" in info.value.params["error"]
    assert not out.exists() or list(out.iterdir()) == []


def test_workbook_with_problems_is_stopped_before_running(tmp_path, write_xlsx, minimal):
    minimal["beslut"][1][2] = "ca 500"
    with pytest.raises(WorkbookError) as info:
        make_report(write_xlsx(minimal), out_dir=tmp_path / "out", now=NOW)
    assert info.value.problems[0].cell == "C2"
    assert not (tmp_path / "out").exists()


def test_unknown_project_is_refused(tmp_path):
    with pytest.raises(ReportError) as info:
        make_report(sample_workbook(), project_id="NOPE", out_dir=tmp_path, now=NOW)
    assert info.value.code == "cli.project_unknown"


def _row(text: str, label: str) -> str:
    m = re.search(rf'<th scope="row">{re.escape(label)}</th><td class="num">([^<]*)</td>',
                  text)
    return m.group(1) if m else ""


def test_small_counts_are_hidden_with_secondary_suppression(small_report):
    text = small_report.read_text("utf-8")
    # 5 under 18 and 1 aged 18–19: the bands are merged rather than hidden (issue 11)
    assert _row(text, "0–19 år") == "6" and _row(text, "20 år och äldre") == "0"
    ages = text[text.index("0–19 år"):]
    assert _row(ages, "Totalt") == "6"
    # 5 from field work, 1 from a source of its own: the one gathered under "Övriga" and
    # shown as <3, field work hidden so that 6 − 5 cannot give it away
    assert _row(text, "Fältarbete") == ".." and _row(text, "Övriga") == "&lt;3"
    assert "<dt>..</dt><dd>Uppgiften visas inte" in text and "<dt>&lt;3</dt>" in text


def test_no_suppress_shows_counts_and_says_internal(small_workbook, tmp_path):
    text = make_report(small_workbook, project_id="P1", out_dir=tmp_path, now=NOW,
                       suppress_below=None).html.read_text("utf-8")
    assert _row(text, "18–19 år") == "1" and _row(text, "0–17 år") == "5"
    assert "endast för internt bruk" in text


def test_spreadsheet_text_is_escaped(small_report):
    text = small_report.read_text("utf-8")
    assert HOSTILE not in text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in text


def test_report_in_english(small_workbook, tmp_path):
    text = make_report(small_workbook, project_id="P1", out_dir=tmp_path, now=NOW,
                       lang="en").html.read_text("utf-8")
    assert '<html lang="en">' in text
    assert "Budget and outcome" in text and "SEK\u00a0300,000" in text


def test_the_form_is_also_a_word_table_next_to_the_xlsx(sample_report):
    import docx

    document = docx.Document(str(sample_report.with_suffix(".docx")))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    costs = [rows for rows in tables if rows[0][0] == "Kostnader under projektperioden"]
    sums = [dict(rows)["Summa kostnader"] for rows in costs]
    assert "1\u00a0027\u00a0607\u00a0kr" in sums and len(costs) == 3  # one per project


def test_budget_form_neutralises_formula_text(small_report):
    book = openpyxl.load_workbook(small_report.with_suffix(".xlsx"))
    for ws in book:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith("="))


# --- in a real browser ------------------------------------------------------------

def _open(path: Path, tmp_path: Path):
    with chromium_page(tmp_path) as page:
        console = []
        page.on("console", lambda m: console.append((m.type, m.text)))
        page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
        page.goto(path.as_uri())
        charts = page.evaluate("""() => Array.from(document.querySelectorAll(
            'figure.gs-chart svg')).map(s => [s.getBoundingClientRect().width,
            s.getBoundingClientRect().height, s.getAttribute('aria-label')])""")
        body = page.inner_text("body")
        pwned = page.evaluate("window.__pwned === undefined")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        requests = list(page.blocked)
    return console, requests, charts, body, pwned


@needs_browser
def test_report_renders_offline_in_chromium(sample_report, tmp_path):
    console, requests, images, body, _ = _open(sample_report, tmp_path)
    assert [c for c in console if c[0] in ("error", "pageerror")] == []
    assert [r for r in requests if not r.startswith("file:")] == []
    assert len(images) == 5
    assert all(w > 100 and h > 100 and alt for w, h, alt in images)
    assert "grantstats.load" not in body and "import " not in body
    assert "Slutrapport" in body and "1\u00a0027\u00a0607\u00a0kr" in body
    assert (tmp_path / "report.png").stat().st_size > 10_000


@needs_browser
def test_script_in_a_cell_shows_as_text_and_never_runs(small_report, tmp_path):
    console, _, _, body, not_run = _open(small_report, tmp_path)
    assert not_run
    assert HOSTILE in body  # shown literally
    assert [c for c in console if c[0] in ("error", "pageerror")] == []


def test_separate_reports_in_one_kernel_equal_single_runs(tmp_path, small_workbook):
    from grantstats.commands.report import make_reports

    batch = make_reports([sample_workbook(), small_workbook], project_id="all", separate=True,
                         out_dir=tmp_path / "batch", now=NOW)
    names = [r.html.name for r in batch]
    assert names == [f"slutrapport-{p}-20261123-103000.html" for p in
                     ["exempel-TRAFF-2008", "exempel-REG-2009", "exempel-JOUR-2010", "liten-P1",
                      "liten-P2"]]
    single = make_report(sample_workbook(), project_id="REG-2009", out_dir=tmp_path / "one",
                         now=NOW).html
    assert batch[1].html.read_text("utf-8") == single.read_text("utf-8")
    assert "injected-reset" not in batch[1].html.read_text("utf-8")


def test_cli_report_for_several_workbooks_prints_every_path(tmp_path, small_workbook, capsys):
    from grantstats.commands.cli import main

    assert main(["report", str(sample_workbook()), str(small_workbook), "--out",
                 str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 6 and all(Path(p).exists() for p in printed)
    assert sorted(Path(p).suffix for p in printed) == [".docx", ".docx", ".html", ".html",
                                                        ".xlsx", ".xlsx"]


def test_a_stuck_cell_ends_with_a_clear_timeout_and_no_report(tmp_path, report_notebook_of):
    report_notebook_of("workbook = None", "import time\ntime.sleep(60)")
    out = tmp_path / "out"
    with pytest.raises(ReportError) as info:
        make_report(sample_workbook(), out_dir=out, now=NOW, timeout=2)
    assert info.value.code == "cli.notebook_timeout"
    assert info.value.params["cell"] == 3 and info.value.params["seconds"] == 2
    assert not out.exists() or list(out.iterdir()) == []


def test_a_batch_that_fails_midway_keeps_and_names_what_it_finished(
        tmp_path, report_notebook_of, capsys):
    from grantstats.commands.cli import main

    report_notebook_of("project_id = None", "assert project_id != 'JOUR-2010', 'no'")
    out = tmp_path / "out"
    assert main(["report", "--separate", "--out", str(out)]) == 1
    printed = capsys.readouterr().out.split()
    assert len(printed) == 6 and all(Path(p).exists() for p in printed)
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in printed)


@pytest.mark.parametrize("then", ["saved again", "removed"])
def test_the_kernel_does_not_read_the_workbook_again(tmp_path, write_xlsx, minimal,
                                                     monkeypatch, then):
    """The kernel gets the workbook this process loaded: saved again with other figures,
    or removed, right after that load, the report still shows what was loaded."""
    import hashlib

    import grantstats.reading.loader

    path = write_xlsx(minimal, name="book.xlsx")
    loaded_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    load = grantstats.reading.loader.load
    loads = []

    def and_then(*args, **kwargs):
        wb = load(*args, **kwargs)
        loads.append(wb.path)
        if then == "removed":
            path.unlink()
        else:  # a kernel reading the file would see 1 kr, or refuse it as changed
            minimal["beslut"][1][2] = 1
            write_xlsx(minimal, name="book.xlsx")
        return wb

    monkeypatch.setattr(grantstats.reading.loader, "load", and_then)
    text = make_report(path, out_dir=tmp_path / "out", now=NOW).html.read_text("utf-8")
    assert loads == [path]  # read once, by this process
    assert _row(text, "Beviljat") == "100\u00a0000\u00a0kr"
    assert loaded_sha in text  # the footer names the content the figures come from


LEAK_CHECK = """\
leftovers = sorted(k for k in globals() if "leftover" in k)
assert not leftovers, f"kept from the report before: {leftovers}"
assert not [i for i in In[:-1] if "leftover" in i], "the inputs before are kept"
assert not Out, "output history is kept"
leftover = _leftover = project_id
globals()["__leftover__"] = project_id
"""


def test_reports_sharing_a_kernel_never_see_each_others_variables(tmp_path, report_notebook_of):
    """One kernel runs the three reports: nothing one defined is there for the next."""
    report_notebook_of("project_id = None", LEAK_CHECK)
    from grantstats.commands.report import make_reports

    files = make_reports([sample_workbook()], project_id="all", separate=True,
                         out_dir=tmp_path, now=NOW)
    assert len(files) == 3


def test_the_leak_check_sees_a_leak(tmp_path, report_notebook_of, monkeypatch):
    """With %reset -s (what the kernel used to be reset with) the check above fails."""
    import grantstats.commands.report

    monkeypatch.setattr(grantstats.commands.report, "RESET",
                        'get_ipython().run_line_magic("reset", "-f -s")')
    report_notebook_of("project_id = None", LEAK_CHECK)
    with pytest.raises(ReportError) as info:
        grantstats.commands.report.make_reports(
            [sample_workbook()], project_id="all", separate=True, out_dir=tmp_path, now=NOW)
    assert "_leftover" in info.value.params["error"]


def _projects_workbook(write_xlsx, minimal, count: int = 4) -> Path:
    """The minimal workbook with ``count`` projects, P1 to P<count>."""
    ids = [f"P{n}" for n in range(1, count + 1)]
    minimal["projekt"] += [[pid, f"Projekt {pid}"] for pid in ids[1:]]
    minimal["beslut"] += [[pid, dt.date(2020, 1, 15), 1000] for pid in ids[1:]]
    return write_xlsx(minimal, name=f"{count}.xlsx")


def test_a_long_batch_on_two_kernels_writes_what_one_kernel_writes(
        tmp_path, write_xlsx, minimal, monkeypatch):
    import grantstats.commands.report
    from grantstats.commands.report import make_reports

    path = _projects_workbook(write_xlsx, minimal)
    monkeypatch.setattr(grantstats.commands.report, "LANE_MIN_REPORTS", 4)
    two = make_reports([path], separate=True, out_dir=tmp_path / "two", now=NOW)
    monkeypatch.setattr(grantstats.commands.report, "LANE_MIN_REPORTS", 5)
    one = make_reports([path], separate=True, out_dir=tmp_path / "one", now=NOW)
    assert [f.html.name for f in two] == [f.html.name for f in one]
    assert len({f.html.name for f in two}) == 4
    for a, b in zip(two, one, strict=True):
        assert a.html.read_bytes() == b.html.read_bytes()


def test_a_failure_in_one_of_two_kernels_stops_the_batch_and_names_what_was_written(
        tmp_path, write_xlsx, minimal, report_notebook_of, monkeypatch):
    import grantstats.commands.report
    from grantstats.commands.report import make_reports

    path = _projects_workbook(write_xlsx, minimal)
    monkeypatch.setattr(grantstats.commands.report, "LANE_MIN_REPORTS", 4)
    report_notebook_of("project_id = None", "assert project_id != 'P2', 'no'")
    with pytest.raises(ReportError) as info:
        make_reports([path], separate=True, out_dir=tmp_path / "out", now=NOW)
    assert info.value.code == "cli.notebook_failed"
    written = {f.html.name for f in info.value.written}
    assert "-P2-" not in " ".join(written) and len(written) <= 2
    assert {p.name for p in (tmp_path / "out").glob("*.html")} == written


def test_any_error_in_one_of_two_kernels_stops_the_other(tmp_path, write_xlsx, minimal,
                                                         monkeypatch):
    import grantstats.commands.report
    from grantstats.commands.report import make_reports

    path = _projects_workbook(write_xlsx, minimal, count=10)
    monkeypatch.setattr(grantstats.commands.report, "LANE_MIN_REPORTS", 4)

    def progress(step: str) -> None:
        if step.endswith("2/10"):  # the second kernel's first report, once it has started
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        make_reports([path], separate=True, out_dir=tmp_path / "out", now=NOW,
                     progress=progress)
    # the first kernel stops after the notebook it is running: not all its five reports
    assert len(list((tmp_path / "out").glob("*.html"))) < 5


def test_a_kernel_runs_without_a_heartbeat_thread(tmp_path):
    """Whether the kernel lives is asked of its manager (the process); no heartbeat
    thread is started, so none can fail in the background when a kernel is killed."""
    import time

    from grantstats.commands.report import Kernel, complete

    with Kernel(tmp_path) as kernel:
        assert kernel.kc._hb_channel is None
        assert complete(kernel.loop, kernel.kc._async_is_alive())
        kernel.kill()
        deadline = time.monotonic() + 10
        while complete(kernel.loop, kernel.kc._async_is_alive()):
            assert time.monotonic() < deadline, "a killed kernel still reads as alive"
            time.sleep(0.05)
