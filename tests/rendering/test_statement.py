"""The committee statement as a Word document: its figures read back from the .docx."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest

from grantstats import fmt, load
from grantstats.computing.results import Figures
from grantstats.rendering.form import budget_form
from grantstats.rendering.form_docx import budget_form_document
from grantstats.rendering.sections import Report
from grantstats.rendering.statement import Table, _several_dates, document, draft
from grantstats.rendering.word import TemplateError
from grantstats.resources import sample_workbook

PID = "REG-2009"
MADE = dt.datetime(2026, 12, 3, 14, 0)
#: The seeds' figures of the regional project (final report 2010, form "5. Budget").
SPENT, GRANTED, REQUISITIONED, TO_REPAY = 1_027_607, 1_289_000, 1_189_000, 161_393


def reopened(doc: docx.document.Document) -> docx.document.Document:
    """The document saved and read back, as Word would get it."""
    data = io.BytesIO()
    doc.save(data)
    return docx.Document(io.BytesIO(data.getvalue()))


def plain(value: str) -> str:
    return value.replace("\u00a0", " ")


def sections(doc: docx.document.Document, heading_styles: tuple[str, ...] = ("Heading 2",)
             ) -> dict[str, list]:
    """The body's paragraphs (text) and tables, under the heading before them."""
    out: dict[str, list] = {"": []}
    current = ""
    for block in doc.iter_inner_content():
        if isinstance(block, docx.table.Table):
            out[current].append([[plain(c.text) for c in row.cells] for row in block.rows])
        elif block.style.name in heading_styles:
            current = plain(block.text)
            out[current] = []
        elif block.text:
            out[current].append(plain(block.text))
    return out


def kronor(cell: str) -> int:
    """``1 027 607 kr`` or ``-118 302 kr`` → int (the test reads what the reader reads)."""
    m = re.fullmatch(r"([-−]?)(\d{1,3}(?: \d{3})*) kr", cell)
    assert m, cell
    return (-1 if m.group(1) else 1) * int(m.group(2).replace(" ", ""))


def amounts_in(text: str) -> list[int]:
    """Every amount a Swedish text states: ``1 027 607 kr`` and ``789 tkr``."""
    number = r"(?<![\w-])([-−]?)(\d{1,3}(?: \d{3})*) (t?kr)\b"
    return [(-1 if sign else 1) * int(digits.replace(" ", "")) * (1000 if unit == "tkr" else 1)
            for sign, digits, unit in re.findall(number, text)]


@pytest.fixture(scope="module")
def sample():
    return load(sample_workbook())


@pytest.fixture(scope="module")
def final(sample):
    figures = Figures.of(sample, PID)
    statement = draft(sample, figures, report_files=["slutrapport-exempel-REG-2009.html"],
                      form_file="blankett-budget-exempel-REG-2009.docx")
    doc, warnings = document(statement, made=MADE)
    return figures, statement, reopened(doc), warnings


def test_the_regional_projects_figures_read_back_from_the_docx_equal_the_seeds(final):
    figures, _statement, doc, _ = final
    parts = sections(doc)
    background = " ".join(parts["Bakgrund"])
    assert "789 tkr" in background
    assert re.search(r"2009-11-05 500 000 kr \(dnr 801-09-060935\)", background)
    assert "2009-01-16 och 2009-04-16 sammanlagt 789 tkr" in background
    assert "bara summan" in background  # the workbook holds one row for two decisions
    assert "20 %, 100 000 kr" in background and "2011-01-20" in background

    [table] = [b for b in parts["Ärendet"] if isinstance(b, list)]
    header, *rows, total = table
    assert header == ["Kategori", "Sökt", "Förbrukat", "Avvikelse"]
    spent = [kronor(r[2]) for r in rows]
    assert sum(spent) == kronor(total[2]) == SPENT
    assert kronor(total[2]) == fmt.whole_kronor(figures.summary.loc[PID, "spent"])
    by_category = figures.by_category[figures.by_category["project_id"] == PID]
    assert spent == [fmt.whole_kronor(v) for v in by_category["spent"]]
    assert [kronor(r[1]) for r in rows] == [fmt.whole_kronor(v) for v in by_category["applied"]]

    economy = " ".join(parts["Ekonomiska konsekvenser"])
    assert f"{TO_REPAY:,} kr".replace(",", " ") in economy
    assert plain(fmt.amount(figures.rules.loc[PID, "to_repay"])) == "161 393 kr"
    assert "1 189 000 kr" in economy and "1 289 000 kr" in economy and "1 027 607 kr" in economy


def test_every_amount_in_the_statement_is_a_computed_figure(final, sample):
    figures, statement, doc, _ = final
    s, r = figures.summary.loc[PID], figures.rules.loc[PID]
    own = figures.by_category[figures.by_category["project_id"] == PID]
    grants = sample.grants[sample.grants["project_id"] == PID]
    allowed = {fmt.whole_kronor(v) for v in [
        *s[["applied", "granted", "requisitioned", "spent", "holdback_outstanding",
            "other_financing"]], *r[["paid_out", "to_repay", "final_payment_due", "held_back"]],
        *own["applied"], *own["spent"], *own["variance"].abs(), *own["variance"],
        own["applied"].sum(), own["spent"].sum(), own["spent"].sum() - own["applied"].sum(),
        *grants["amount"], *(grants["amount"] * grants["holdback_share"])]}
    text = plain(statement.text())
    found = amounts_in(text)
    assert set(found) <= allowed
    assert {SPENT, GRANTED, REQUISITIONED, TO_REPAY, 789_000, 500_000} <= set(found)
    body = "\n".join(plain(p.text) for p in doc.paragraphs)  # the .docx says the same
    for amount in amounts_in(body):
        assert amount in allowed


def test_the_proposal_the_heading_and_empty_signature_lines(final):
    _figures, statement, doc, warnings = final
    texts = [plain(p.text) for p in doc.paragraphs]
    assert texts[0] == "Till\nnämnden"  # no committee in the sample: the generic one
    assert [w.code for w in statement.warnings] == ["statement.no_committee"]
    assert warnings == []  # the default layout has every style
    i = texts.index("Förvaltningens förslag till beslut")
    assert texts[i + 1] == "1. Nämnden godkänner slutrapporten."
    assert texts[i + 2].startswith("2. Nämnden godkänner att 161 393 kr")
    signatures = [t for t in texts if t.startswith("....")]
    assert [t.split("\n")[1] for t in signatures] == ["Förvaltningschef", "Avdelningschef"]
    assert all(set(t.split("\n")[0]) == {"."} for t in signatures)  # no name made up
    assert "Paragrafen förklaras omedelbart justerad." not in texts
    attachments = sections(doc)["Bilagor"]
    assert attachments == [
        "1. Slutrapport till nämnden (slutrapport-exempel-REG-2009.html)",
        "2. Blanketten för slutrapport, avsnitt 5. Budget (blankett-budget-exempel-REG-2009.docx)"]


def test_outcomes_have_the_reports_small_count_protection(final, sample):
    _figures, _statement, doc, _ = final
    matter = " ".join(b for b in sections(doc)["Ärendet"] if isinstance(b, str))
    assert "14 anmälningar" in matter
    assert "0–17 år: 10, 18 år och äldre: 4" in matter
    report = Report(sample, PID)
    shown = report.by_age[(report.by_age["project_id"] == PID) & ~report.by_age["is_total"]]
    for label, value in zip(shown["age_group"], shown["shown"], strict=True):
        assert f"{label}: {value}" in matter


def test_small_counts_are_hidden_as_in_the_report(write_xlsx, minimal):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal"],
                             ["P1", dt.date(2020, 2, 1), "0-17", 1],
                             ["P1", dt.date(2020, 3, 1), "20+", 1]]
    wb = load(write_xlsx(minimal))
    statement = draft(wb, Figures.of(wb, "P1"))
    matter = " ".join(b for b in statement.sections[2].blocks if isinstance(b, str))
    assert "<3" in matter and " 2 " not in plain(matter)
    report = Report(wb, "P1")
    total = report.by_age.loc[report.by_age["is_total"], "shown"].iloc[0]
    assert f"{total} anmälningar" in matter


def test_committee_and_explanations_come_from_the_workbook(write_xlsx, minimal):
    minimal["projekt"] = [["projekt_id", "namn", "nämnd", "kontakt"],
                          ["P1", "Projekt ett", "socialnämnden", "Handläggaren, 08-123"]]
    minimal["budget"] = [["projekt_id", "kategori", "belopp", "förklaring"],
                         ["P1", "personal", 100000, "En tjänst var vakant i tre månader."]]
    minimal["kostnader"] = [["projekt_id", "datum", "kategori", "belopp", "kommentar"],
                            ["P1", dt.date(2020, 3, 1), "personal", 60000, "Lön mars"]]
    wb = load(write_xlsx(minimal))
    statement = draft(wb, Figures.of(wb, "P1"), immediate=True)
    doc = reopened(document(statement, made=MADE)[0])
    texts = [plain(p.text) for p in doc.paragraphs]
    assert texts[:2] == ["Handläggare: Handläggaren, 08-123", "Till\nsocialnämnden"]
    assert statement.warnings == ()
    assert "1. Socialnämnden godkänner slutrapporten." in texts
    assert "2. Paragrafen förklaras omedelbart justerad." in texts
    matter = [b for b in sections(doc)["Ärendet"] if isinstance(b, str)]
    note = [t for t in matter if t.startswith("Personal")]
    assert note == ["Personal, inkl. sociala avgifter: 40 000 kr (40 %) mindre än sökt budget. "
                    "Förklaring: En tjänst var vakant i tre månader. Förklaring: Lön mars"]


def test_what_the_analyst_says_of_a_category_without_money_is_kept(write_xlsx, minimal):
    """A category with nothing applied and nothing spent gets no row, unless the analyst
    wrote something about it: then report and statement both show it."""
    minimal["budget"] = [["projekt_id", "kategori", "belopp", "förklaring"],
                         ["P1", "personal", 100000, None],
                         ["P1", "lokaler", 0, "Lokalerna fick vi utan kostnad."]]
    minimal["kostnader"] = [["projekt_id", "datum", "kategori", "belopp"],
                            ["P1", dt.date(2020, 3, 1), "personal", 95000]]
    wb = load(write_xlsx(minimal))
    figures = Figures.of(wb, "P1")
    outcome = figures.budget_outcome.set_index("category")
    assert list(outcome.index.astype(str)) == ["personal", "lokaler"]
    assert not outcome.loc["lokaler", "flagged"]
    doc = reopened(document(draft(wb, figures), made=MADE)[0])
    matter = [plain(b) for b in sections(doc)["Ärendet"] if isinstance(b, str)]
    assert "Lokaler: Lokalerna fick vi utan kostnad." in matter
    report = Report(wb, project_id="P1", figures=figures)
    assert "Lokalerna fick vi utan kostnad." in str(report.budget("P1"))


def test_spending_before_the_period_began_is_said_so(write_xlsx, minimal):
    """As of a date before the project's start, nothing of the budget is due yet: a cost
    already booked is spending before the period, not a percentage of nothing."""
    minimal["projekt"] = [["projekt_id", "namn", "start", "slut"],
                          ["P1", "Projekt ett", dt.date(2020, 6, 1), dt.date(2020, 12, 31)]]
    minimal["budget"] = [["projekt_id", "kategori", "belopp"], ["P1", "personal", 100000]]
    minimal["kostnader"] = [["projekt_id", "datum", "kategori", "belopp"],
                            ["P1", dt.date(2020, 3, 1), "personal", 5000]]
    wb = load(write_xlsx(minimal))
    figures = Figures.of(wb, "P1")
    assert figures.rules.loc["P1", "status"] == "running"
    doc = reopened(document(draft(wb, figures), made=MADE)[0])
    matter = [plain(b) for b in sections(doc)["Ärendet"] if isinstance(b, str)]
    assert ("Personal, inkl. sociala avgifter: 5 000 kr förbrukat före projektperiodens "
            "början.") in matter


def test_english(final, sample):
    figures = Figures.of(sample, PID)
    doc = reopened(document(draft(sample, figures, lang="en"), made=MADE)[0])
    parts = sections(doc)
    assert list(parts)[1:] == ["The administration's proposed decision", "Summary",
                               "Background", "The matter", "Financial consequences",
                               "Attachments"]
    assert plain(doc.paragraphs[0].text) == "To\nthe committee"
    assert "SEK 789 thousand" in " ".join(parts["Background"])
    assert "SEK 161,393" in " ".join(parts["Financial consequences"])
    [table] = [b for b in parts["The matter"] if isinstance(b, list)]
    assert table[0] == ["Category", "Applied for", "Spent", "Variance"]
    assert table[-1][2] == "SEK 1,027,607"
    assert doc.core_properties.language == "en-GB" and doc.core_properties.author == ""


def test_the_application_lists_the_sought_amounts_per_purpose(sample):
    figures = Figures.of(sample, PID)
    statement = draft(sample, figures, kind="application")
    doc = reopened(document(statement, made=MADE)[0])
    parts = sections(doc)
    proposal = parts["Förvaltningens förslag till beslut"][0]
    assert proposal.startswith("1. Nämnden godkänner ansökan om projektmedel från "
                               "Länsstyrelsen i Stockholms län om 1 165 tkr (")
    assert "Traffickingsamordnare och informatör: 1 000 tkr" in proposal
    [table] = [b for b in parts["Ärendet"] if isinstance(b, list)]
    assert sum(kronor(r[2]) for r in table[1:-1]) == kronor(table[-1][2])
    assert kronor(table[-1][2]) == fmt.whole_kronor(figures.summary.loc[PID, "applied"])
    assert statement.title.startswith("Ansökan om projektmedel – ")


def _template(edit) -> bytes:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "Stadens sidhuvud"
    doc.add_paragraph("Mallens exempeltext")
    edit(doc)
    data = io.BytesIO()
    doc.save(data)
    return data.getvalue()


def test_a_template_with_renamed_swedish_heading_styles(sample):
    def rename(doc):
        doc.styles["Heading 1"].name = "Rubrik 1"
        doc.styles["Heading 2"].name = "Rubrik 2"

    statement = draft(sample, Figures.of(sample, PID))
    made, warnings = document(statement, _template(rename), made=MADE)
    doc = reopened(made)
    assert warnings == []
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Rubrik 1", "Rubrik 2"} <= styles and "Heading 1" not in styles
    assert [p.text for p in doc.paragraphs if p.style.name == "Rubrik 1"] == [statement.title]
    assert "Bakgrund" in sections(doc, ("Rubrik 2",))
    assert doc.sections[0].header.paragraphs[0].text == "Stadens sidhuvud"
    assert "Mallens exempeltext" not in [p.text for p in doc.paragraphs]


def test_a_template_without_the_styles_gets_the_builtin_ones_with_a_warning(sample):
    def drop(doc):
        for style in list(doc.styles):
            if style.name in ("Heading 1", "Heading 2"):
                style.element.getparent().remove(style.element)

    made, warnings = document(draft(sample, Figures.of(sample, PID)), _template(drop),
                              made=MADE)
    assert [w.code for w in warnings] == ["statement.style_missing"] * 2
    assert "'Rubrik 1'" in warnings[0].message("sv")
    doc = reopened(made)
    assert {"Heading 1", "Heading 2"} <= {p.style.name for p in doc.paragraphs}


@pytest.mark.parametrize("data", [b"", b"plain text", b"PK\x03\x04 broken",
                                  b"%PDF-1.7\n"])
def test_a_damaged_template_is_refused(sample, data):
    with pytest.raises(TemplateError):
        document(draft(sample, Figures.of(sample, PID)), data)


def test_a_zip_that_is_no_word_document_is_refused(sample):
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(TemplateError, match=r"word/document\.xml"):
        document(draft(sample, Figures.of(sample, PID)), data.getvalue())


def test_several_decisions_on_one_row_are_recognised_by_the_dates_in_its_note():
    own = dt.date(2009, 4, 16)
    assert _several_dates("Besluten 2009-01-16 och 2009-04-16, sammanlagt 789 tkr", own) == [
        dt.date(2009, 1, 16), own]
    assert _several_dates("Beslut 2009-04-16", own) == []
    assert _several_dates("Rapport 2010-01-20 och 2011-01-20", own) == []  # not its date
    assert _several_dates("", own) == []


def test_the_forms_budget_table_as_docx(sample):
    figures = Figures.of(sample, PID)
    own = figures.by_category[figures.by_category["project_id"] == PID]
    form = budget_form(own.set_index("category")["spent"], figures.summary.loc[PID])
    made, warnings = budget_form_document({PID: ("Regionalt", form)}, made=MADE)
    doc = reopened(made)
    assert warnings == []
    assert doc.paragraphs[0].text == "5. Budget – Regionalt"
    costs, financing = ([[plain(c.text) for c in row.cells] for row in t.rows]
                        for t in doc.tables)
    assert [r[0] for r in costs[1:]] == list(form.loc[form["section"] == costs[0][0], "label"])
    assert costs[-1] == ["Summa kostnader", "1 027 607 kr"]
    assert sum(kronor(r[1]) for r in costs[1:-1]) == SPENT
    assert dict(financing[1:]) == {"Beviljade projektmedel från länsstyrelsen": "1 289 000 kr",
                                   "Rekvirerat": "1 189 000 kr", "Annan finansiering": "0 kr"}


def test_draft_refuses_figures_of_every_project(sample):
    with pytest.raises(ValueError):
        draft(sample, Figures.of(sample))
    with pytest.raises(ValueError):
        draft(sample, Figures.of(sample, PID), kind="letter")


# --- the report and the statement say the same of the same figures ------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("counts", [(10, 1, 3), (10, 0, 4), (1, 5, 1), (1, 1, 0), (2, 0, 7),
                                    (4, 4, 4), (0, 0, 1)])
def test_the_age_groups_labels_and_hidden_cells_are_the_reports(write_xlsx, minimal, lang,
                                                                 counts):
    minimal["anmälningar"] = [["projekt_id", "datum", "åldersgrupp", "antal"],
                             *[["P1", dt.date(2020, 2, 1), group, n]
                               for group, n in zip(("0-17", "18-19", "20+"), counts,
                                                   strict=True) if n]]
    wb = load(write_xlsx(minimal))
    figures = Figures.of(wb, "P1")
    report = Report(wb, "P1", lang=lang, figures=figures)
    table = report.by_age
    body = table[~table["is_total"]]
    total = table.loc[table["is_total"], "shown"].iloc[0]
    shown = [f"{label}: {value}" for label, value, n in zip(
        body["age_group"], body["shown"], body["count"], strict=True) if n > 0 or value != "0"]
    statement = draft(wb, figures, lang=lang)
    said = " ".join(b for b in statement.sections[2].blocks if isinstance(b, str))
    assert f"{total} {'anmälningar' if lang == 'sv' else 'referrals'}" in said
    assert f"({', '.join(shown)})" in said
    merged = "sammanslagna" if lang == "sv" else "merged"
    assert (merged in said) == (merged in _plain_html(report.outcomes("P1")))


def _plain_html(fragment: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u00a0", " ")


def test_the_samples_age_groups_in_english_are_the_reports(sample):
    figures = Figures.of(sample, PID)
    said = plain(draft(sample, figures, lang="en").text())
    assert "14 referrals" in said and "(0–17 years: 10, 18 years and older: 4)" in said
    report = Report(sample, PID, lang="en", figures=figures)
    assert list(report.by_age["age_group"]) == ["0–17 years", "18 years and older", "Total"]


def _ten_percent(write_xlsx):
    """An ended project with −10.3 % (shown "−10 %"), −10.4 % ("−10 %") and −10.6 %
    ("−11 %") off budget, and nobody's explanation."""
    return load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 12, 1), 300_000]],
        "budget": [["projekt_id", "kategori", "belopp"],
                   ["P1", "personal", 100_000], ["P1", "lokaler", 100_000],
                   ["P1", "ovrigt", 100_000]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["P1", dt.date(2010, 12, 31), "personal", 89_700],
                      ["P1", dt.date(2010, 12, 31), "lokaler", 89_600],
                      ["P1", dt.date(2010, 12, 31), "ovrigt", 89_400]],
    }))


def test_a_variance_is_flagged_by_the_whole_percent_shown_as_in_the_report(write_xlsx):
    wb = _ten_percent(write_xlsx)
    figures = Figures.of(wb, "P1")
    statement = draft(wb, figures)
    matter = [plain(b) for b in statement.sections[2].blocks if isinstance(b, str)]
    # −10.3 % and −10.4 % show as "−10 %": not over 10 %; −10.6 % shows as "−11 %"
    assert [m for m in matter if "sökt budget." in m] == [
        "Övrigt: 10 600 kr (11 %) mindre än sökt budget."]
    [table] = [b for b in statement.sections[2].blocks if isinstance(b, Table)]
    assert [plain(c) for c in table.rows[0]] == [
        "Personal, inkl. sociala avgifter", "100 000 kr", "89 700 kr", "−10 300 kr"]
    report = _plain_html(Report(wb, "P1", figures=figures).budget("P1")).replace("\u2212", "-")
    said = " ".join(report.split())
    assert "89 700 kr -10 300 kr -10 %" in said and "89 600 kr -10 400 kr -10 %" in said
    assert said.count("% saknar förklaring") == 1  # one row says it (and the hint below)
    assert "89 400 kr -10 600 kr -11 % saknar förklaring" in said


def _running(write_xlsx, spent: int):
    """A project of 2010 with 365 000 kr for staff, 31 days in (31 000 kr budgeted)."""
    return load(write_xlsx({
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["P1", "Ett", dt.date(2010, 1, 1), dt.date(2010, 12, 31)]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["P1", dt.date(2009, 12, 1), 365_000]],
        "budget": [["projekt_id", "kategori", "belopp"], ["P1", "personal", 365_000]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["P1", dt.date(2010, 1, 31), "personal", spent]],
    }))


def test_a_running_projects_remainder_is_not_called_an_underspend(write_xlsx):
    wb = _running(write_xlsx, 30_000)
    figures = Figures.of(wb, "P1", as_of=dt.date(2010, 1, 31))
    statement = draft(wb, figures)
    text = plain(statement.text())
    assert "mindre än" not in text and "335 000 kr" not in text  # the remainder, not a variance
    [table] = [b for b in statement.sections[2].blocks if isinstance(b, Table)]
    assert table.header == ("Kategori", "Sökt", "Budget t.o.m. 2010-01-31", "Förbrukat",
                            "Avvikelse mot budget hittills")
    assert [plain(c) for c in table.rows[0]] == [
        "Personal, inkl. sociala avgifter", "365 000 kr", "31 000 kr", "30 000 kr", "−1 000 kr"]
    report = " ".join(_plain_html(Report(wb, "P1", figures=figures).budget("P1")).split())
    assert "365 000 kr 31 000 kr 30 000 kr" in report and "saknar förklaring" not in report


def test_a_running_project_behind_the_budget_so_far_is_said_so(write_xlsx):
    wb = _running(write_xlsx, 20_000)
    figures = Figures.of(wb, "P1", as_of=dt.date(2010, 1, 31))
    matter = [plain(b) for b in draft(wb, figures).sections[2].blocks if isinstance(b, str)]
    assert "Personal, inkl. sociala avgifter: 11 000 kr (35 %) mindre än budgeten t.o.m. " \
        "2010-01-31." in matter
    english = plain(draft(wb, figures, lang="en").text())
    assert "SEK 11,000 (35 %) less than the budget to 2010-01-31." in english
    report = " ".join(_plain_html(Report(wb, "P1", figures=figures).budget("P1")).split())
    assert "-35 % saknar förklaring" in report.replace("\u2212", "-")
