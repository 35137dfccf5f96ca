"""The one catalogue of texts: complete in both languages, used everywhere, one label a figure."""

from __future__ import annotations

import ast
import html
import re
import string
from pathlib import Path

import pytest

from grantstats import load
from grantstats.computing import metrics
from grantstats.resources import sample_workbook
from grantstats.texts import LANGS, TEXTS, figure, render, text

SRC = Path(__file__).resolve().parents[1] / "src" / "grantstats"
#: the catalogue, and the contract: sheet, column and category names are data in both languages
DATA_MODULES = {"texts.py", "contract.py"}
#: each language names the sheet by its own name (the hint names both)
OWN_NAMES = {"sheet.missing"}
RULE_FIGURES = ["paid_out", "final_payment_due", "to_repay", "allowed_before_final_report",
                "status"]
FIGURES = [c for c in metrics.SUMMARY_COLUMNS if c != "name"] + ["referrals", *RULE_FIGURES]


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p.name not in DATA_MODULES]


def strings(path: Path, parts: bool = True) -> list[ast.Constant]:
    """The string literals of a module, without docstrings and regular expressions (and
    without the literal parts of f-strings unless ``parts``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and not parts:
            skip.update(id(n) for n in node.values)
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)):
            skip.add(id(body[0].value))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
            skip.update(id(n) for n in ast.walk(node))  # what the reader writes, not reads
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in skip]


# ---------------------------------------------------------------- the catalogue itself

@pytest.mark.parametrize("msg_id", list(TEXTS))
def test_every_text_has_both_languages_with_the_same_placeholders(msg_id):
    entry = TEXTS[msg_id]
    assert isinstance(entry, tuple) and len(entry) == 2, msg_id
    sv, en = entry
    assert isinstance(sv, str) and isinstance(en, str) and sv.strip() and en.strip(), msg_id
    if msg_id not in OWN_NAMES:
        assert fields(sv) == fields(en), msg_id


def test_ids_are_namespaced_and_every_hint_belongs_to_a_problem():
    for msg_id in TEXTS:
        assert re.fullmatch(r"[a-z]+(\.[a-z_]+)+", msg_id), msg_id
        if msg_id.endswith(".hint"):
            assert msg_id.removesuffix(".hint") in TEXTS, msg_id


def test_render_gives_message_and_hint_and_no_hint_when_there_is_none():
    assert render("file.not_found", "en", {"path": "a.xlsx", "where": "/w/a.xlsx", "cwd": "/w"}
                  ) == ("a.xlsx does not exist",
                        "looked for /w/a.xlsx from the working folder /w; check the path")
    assert render("cli.interrupted", "sv", {}) == ("avbrutet; inget har skrivits", "")


def test_text_falls_back_to_swedish_and_fills_in_placeholders():
    assert text("report.title_one", "en", name="X") == "Final report: X"
    assert text("report.title_one", "fi", name="X") == text("report.title_one", "sv", name="X")
    with pytest.raises(KeyError):
        text("report.title_one", "sv")  # a placeholder left out is a mistake, not a blank


def test_every_id_written_in_the_code_is_in_the_catalogue():
    namespaces = {msg_id.split(".")[0] for msg_id in TEXTS}
    written = {
        n.value for path in modules() for n in strings(path, parts=False)
        if re.fullmatch(r"[a-z]+(\.[a-z_]+)+", n.value) and n.value.split(".")[0] in namespaces
    }
    assert written  # the problem codes of the reader, the ids of text(...)
    assert sorted(written - set(TEXTS)) == []


# ---------------------------------------------------------------- nothing outside it

SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|inte|att|som|ej|eller|utan|för|är|ett|på|den|det|med|av)\b",
                     re.IGNORECASE)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_outside_the_catalogue_holds_swedish_texts(path):
    found = [f"{path.name}:{n.lineno}: {n.value!r}" for n in strings(path)
             if SWEDISH.search(n.value)]
    assert found == []


@pytest.mark.parametrize("path", [p for p in modules() if p.name != "fmt.py"],
                         ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_chooses_a_text_by_language_itself(path):
    """fmt writes numbers as each language does (``1 027 607 kr``, ``SEK 1,027,607``)."""
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"""lang\s*[!=]=\s*["'](sv|en)["']|\bif sv\b|\bsv = lang""", source)
    tables = [n.lineno for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Dict)
              and {"sv", "en"} <= {k.value for k in n.keys if isinstance(k, ast.Constant)}]
    assert tables == [], f"a {{'sv': …, 'en': …}} table in {path.name}"


def test_argparse_is_never_patched():
    source = (SRC / "commands" / "cli.py").read_text(encoding="utf-8")
    assert not re.search(r"argparse\._\w*\s*=|argparse\.ngettext\s*=|argparse\._\(", source)


# ---------------------------------------------------------------- one label a figure

@pytest.fixture(scope="module")
def sample():
    return load(sample_workbook())


def _cells(fragment: str, scope: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(rf'<th scope="{scope}"[^>]*>(.*?)</th>',
                                                 fragment)]


@pytest.mark.parametrize("lang", LANGS)
def test_each_figure_has_one_label_everywhere(sample, lang):
    from grantstats.rendering import charts
    from grantstats.rendering.form import budget_form
    from grantstats.rendering.sections import Report
    from grantstats.rendering.summary import AMOUNTS, summary_document, summary_text

    label = {key: figure(key, lang) for key in FIGURES}
    assert len(set(label.values())) == len(label)  # two figures never share a name

    # the summary's text table
    block = summary_text(summary_document(sample), lang).split("\n\n")[0]
    shown = [re.split(r"\s{2,}", line.strip())[0] for line in block.splitlines()[1:]
             if not line.lstrip().startswith("!")]  # the warnings' lines
    assert shown == [label[k] for k in [*AMOUNTS, "utilisation", "referrals", *RULE_FIGURES]]
    assert sorted(shown) == sorted(label.values())

    # the report's sections
    report = Report(sample, lang=lang)
    pid = "REG-2009"
    keys = ["granted", "requisitioned", "spent", "to_repay", "final_payment_due", "utilisation"]
    assert _cells(report.overview(), "col")[1:] == [label[k] for k in keys]
    assert _cells(Report(sample, pid, lang).overview(), "row") == [label[k] for k in keys]
    costs = report.budget(pid)
    assert [label["applied"], label["spent"]] == [
        c for c in _cells(costs, "col") if c in (label["applied"], label["spent"])]

    # the charts
    summary = report.summary
    legend = charts.spend_vs_grant(summary, lang=lang).axes[0].get_legend().get_texts()
    assert [t.get_text() for t in legend] == [label[k] for k in charts.SPEND_SERIES]
    own = report.by_category[report.by_category["project_id"] == pid]
    legend = charts.costs_by_category(own, lang=lang).axes[0].get_legend().get_texts()
    assert [t.get_text() for t in legend] == [label["applied"], label["spent"]]
    ticks = charts.financing_waterfall(summary.loc[pid], lang=lang).axes[0].get_xticklabels()
    assert [t.get_text().replace("\n", " ") for t in ticks] == [
        label[k] for k in ("granted", "remaining_to_requisition", "requisitioned",
                           "unspent_requisitioned", "spent")]

    # the form, where it names a figure the way the report does
    form = budget_form(own.set_index("category")["spent"], summary.loc[pid], lang)
    assert {label["requisitioned"], label["other_financing"]} <= set(form["label"])


@pytest.mark.parametrize("lang", LANGS)
def test_no_other_text_is_a_figures_label(lang):
    names = {figure(key, lang).lower(): key for key in FIGURES}
    clashes = [msg_id for msg_id in TEXTS if not msg_id.startswith("figure.")
               and TEXTS[msg_id][LANGS.index(lang)].lower() in names]
    assert clashes == []
