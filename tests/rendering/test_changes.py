"""The changes as text: each figure by its one label, values as the reader writes them."""

from __future__ import annotations

import copy

import pytest

import grantstats
from grantstats.computing.changes import compare
from grantstats.rendering.changes import (
    cell_value,
    changes_text,
    compare_workbooks,
    figure_difference,
    figure_label,
)
from grantstats.rendering.summary import summary_document
from grantstats.resources import sample_workbook
from grantstats.texts import figure

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def sample():
    return grantstats.load(sample_workbook())


@pytest.mark.parametrize(("key", "sv", "en"), [
    ("spent", "Förbrukat", "Spent"),
    ("costs_by_category.personal", "Förbrukat (Personal, inkl. sociala avgifter)",
     "Spent (staff)"),
    ("referrals.total", "Anmälningar", "Referrals"),
    ("referrals.by_age_group.0-17", "Anmälningar i åldern 0-17", "Referrals aged 0-17"),
    ("referrals.by_source.Skolan", "Anmälningar från Skolan", "Referrals from Skolan"),
    ("referrals.by_source.", "Anmälningar från (okänd)", "Referrals from (unknown)"),
])
def test_every_figure_is_named_by_its_summary_label(key, sv, en):
    assert figure_label(key, "sv") == sv and figure_label(key, "en") == en
    assert figure_label(key, "sv").startswith(figure(key.split(".")[0]
                                                     .replace("costs_by_category", "spent")))


def test_differences_carry_their_sign_and_unit():
    assert figure_difference("spent", 12500.0, "sv") == f"+12{NBSP}500{NBSP}kr"
    assert figure_difference("spent", -12500.0, "en") == f"\u2212SEK{NBSP}12,500"
    assert figure_difference("referrals.total", -2, "sv") == "\u22122"
    assert figure_difference("utilisation", 0.0097, "sv") == "+1,0 procentenheter"


@pytest.mark.parametrize(("sheet", "column", "value", "sv"), [
    ("costs", "amount", 12500.5, f"12{NBSP}500,50{NBSP}kr"),
    ("costs", "amount", 13000.0, f"13{NBSP}000{NBSP}kr"),
    ("costs", "date", "2010-03-31", "31 mars 2010"),
    ("costs", "category", "personal", "Personal, inkl. sociala avgifter"),
    ("costs", "illustrative", True, "ja"),
    ("grants", "holdback_share", 0.2, f"20{NBSP}%"),
    ("referrals", "count", 3, "3"),
    ("projects", "name", "Projekt ett", "'Projekt ett'"),
    ("costs", "description", None, "–"),
])
def test_cells_are_written_as_the_reader_writes_them(sheet, column, value, sv):
    assert cell_value(sheet, column, value, "sv") == sv


def test_figures_alone_are_grouped_by_project(sample):
    old = summary_document(sample)
    new = copy.deepcopy(old)
    new["workbook"]["sha256"] = "f" * 64
    new["projects"][2]["other_financing"] = 5000.0
    new["projects"][1]["referrals"]["total"] += 1
    out = changes_text(compare(old, new), "sv").split("\n\n")
    assert out[1] == ("REG-2009  Regional samordning mot prostitution och människohandel "
                      "2009–2010\n  Anmälningar: 14 → 15 (+1)")
    assert out[2] == (f"JOUR-2010  Socialjourens akuta arbete mot människohandel 2010\n"
                      f"  Annan finansiering: 0{NBSP}kr → 5{NBSP}000{NBSP}kr "
                      f"(+5{NBSP}000{NBSP}kr)")
    assert out[3].startswith("Ändrade siffror: 2.")


def test_a_workbook_compared_with_itself_says_so_in_one_sentence(sample):
    text = changes_text(compare_workbooks(sample, sample), "en")
    assert text.splitlines()[1] == ("No differences: the files are identical (SHA-256 "
                                    f"{sample.sha256}).")
