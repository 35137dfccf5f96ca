"""The grantstats command: exit codes, one line per problem, the JSON interface."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest

from grantstats.commands.cli import main
from grantstats.resources import sample_workbook


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grantstats", *args], capture_output=True,
                          text=True, timeout=120)


def test_check_of_the_sample_prints_one_ok_line_with_counts(capsys):
    assert main(["check"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("OK: exempel.xlsx")
    assert "kostnader 29" in first and "anmälningar 14" in first and "projekt 3" in first


def test_check_in_english_uses_english_sheet_names(capsys):
    assert main(["check", "--lang", "en"]) == 0
    assert "costs 29" in capsys.readouterr().out


def test_check_lists_every_problem_as_sheet_cell_message_hint(write_xlsx, minimal, capsys):
    minimal["beslut"].append(["P1", "igår", "ca 500"])
    minimal["beslut"].append(["P9", dt.date(2020, 2, 1), 10])
    path = write_xlsx(minimal)
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("beslut!B3: 'igår' är inget datum — ") for line in lines)
    assert any(line.startswith("beslut!C3: 'ca 500' är inget belopp — ") for line in lines)
    assert any(line.startswith("beslut!A4: projektet 'P9'") for line in lines)
    assert len(lines) == 3


def test_check_of_a_missing_file_exits_2_with_one_line(tmp_path, capsys):
    assert main(["check", str(tmp_path / "saknas.xlsx")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "saknas.xlsx" in err[0]


def test_check_of_a_missing_file_names_the_path_looked_at_and_the_working_folder(
        tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "mitt.xlsx"]) == 2
    err = capsys.readouterr().err
    assert f"letade efter {tmp_path / 'mitt.xlsx'} från arbetsmappen {tmp_path}" in err


def test_check_refuses_the_templates_example_rows_with_one_line_per_sheet(tmp_path, capsys):
    from grantstats.commands.template import write_template
    from grantstats.contract import SHEETS

    path = write_template(tmp_path / "mall.xlsx")
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SHEETS)
    assert all("mallens exempelrader finns kvar" in line and "ta bort dem" in line
               for line in lines)


def test_check_of_a_text_file_exits_2_without_traceback(tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_text("projekt_id;belopp\nP1;100\n")
    result = run("check", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_usage_error_exits_2():
    result = run("summary", "--format", "xml")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_summary_json_has_the_stable_shape_and_seed_figures(capsys):
    assert main(["summary", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"grantstats_version", "workbook", "projects", "as_of"}
    assert doc["as_of"] == "2010-12-31"
    assert set(doc["workbook"]) == {"path", "sha256"}
    digest = hashlib.sha256(sample_workbook().read_bytes()).hexdigest()
    assert doc["workbook"]["sha256"] == digest
    reg = next(p for p in doc["projects"] if p["project_id"] == "REG-2009")
    assert list(reg) == ["project_id", "name", "applied", "granted", "requisitioned", "spent",
                         "holdback_outstanding", "remaining_to_requisition",
                         "unspent_requisitioned", "utilisation", "other_financing",
                         "costs_by_category", "referrals", "paid_out", "final_payment_due",
                         "to_repay", "allowed_before_final_report", "status", "warnings"]
    assert (reg["paid_out"], reg["to_repay"], reg["final_payment_due"]) == (1189000, 161393, 0)
    assert reg["status"] == "ended" and reg["warnings"] == []
    assert (reg["granted"], reg["requisitioned"], reg["spent"]) == (1289000, 1189000, 1027607)
    assert reg["costs_by_category"] == {"personal": 1006698, "verksamhet": 20609,
                                        "lokaler": 0, "administration": 0,
                                        "utvardering": 0, "ovrigt": 300}
    assert reg["referrals"]["total"] == 14
    assert reg["referrals"]["by_age_group"] == {"0-17": 10, "18-19": 3, "20+": 1}
    assert reg["referrals"]["by_source"]["Citypolisens prostitutionsgrupp"] == 4
    assert isinstance(reg["granted"], float)


def test_summary_table_shows_swedish_amounts(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "1\u00a0027\u00a0607\u00a0kr" in out
    assert "1\u00a0289\u00a0000\u00a0kr" in out


def test_check_prints_the_rules_warnings_and_still_exits_0(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "varning, TRAFF-2008: inga kostnader är registrerade" in out
    assert "varning, JOUR-2010: projektet slutade 31 december 2010 men inget är rekvirerat" in out


def test_as_of_changes_the_status_and_the_warnings(capsys):
    assert main(["summary", "--format", "json", "--as-of", "2010-06-30", "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["as_of"] == "2010-06-30"
    jour = next(p for p in doc["projects"] if p["project_id"] == "JOUR-2010")
    assert jour["status"] == "running"
    assert [w["code"] for w in jour["warnings"]] == ["no_costs_recorded"]
    assert jour["warnings"][0]["message"].startswith("no costs are recorded")
    assert main(["check", "--as-of", "2010-06-30"]) == 0
    assert "JOUR-2010: projektet slutade" not in capsys.readouterr().out


def test_as_of_must_be_a_date(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["summary", "--as-of", "31/12/2010"])
    assert stop.value.code == 2
    assert "ange ett datum som ÅÅÅÅ-MM-DD" in capsys.readouterr().err


def test_summary_of_a_broken_workbook_exits_1_on_stderr(write_xlsx, minimal, capsys):
    minimal["beslut"][1][2] = "12.5"
    assert main(["summary", str(write_xlsx(minimal))]) == 1
    assert "beslut!C2" in capsys.readouterr().err


def test_template_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "mall.xlsx"
    target.write_bytes(b"mine")
    assert main(["template", str(target)]) == 2
    assert target.read_bytes() == b"mine"
    assert "finns redan" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_console_script_runs(lang):
    result = run("check", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: exempel.xlsx")


def test_an_output_folder_that_is_a_file_gives_one_line_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    assert main(["report", "--out", str(blocker)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"rapporter kan inte skrivas i mappen {blocker} (Not a directory) — "
                   "ange med --out en mapp som du får skriva i"]  # before any notebook runs
    assert blocker.read_text() == "not a folder"


def test_cache_shows_where_and_how_much_and_clears(tmp_path, monkeypatch, capsys):

    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("GRANTSTATS_CACHE_MIN_BYTES", "0")  # the sandbox's children too
    assert main(["check"]) == 0
    capsys.readouterr()
    assert main(["cache"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "c") in out and "arbetsböcker: 1, " in out and "MB" in out
    assert main(["cache", "--clear", "--lang", "en"]) == 0
    assert "(workbooks removed: 1)" in capsys.readouterr().out
    assert list((tmp_path / "c").glob("*.pickle")) == []


def test_no_cache_reads_the_file_and_leaves_the_environment_as_it_was(
        tmp_path, monkeypatch, capsys):
    import os


    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("GRANTSTATS_CACHE", raising=False)
    monkeypatch.setenv("GRANTSTATS_CACHE_MIN_BYTES", "0")  # the sandbox's children too
    assert main(["check", "--no-cache"]) == 0
    assert not (tmp_path / "c").exists()
    assert "GRANTSTATS_CACHE" not in os.environ


def test_cache_says_why_it_is_not_used(tmp_path, monkeypatch, capsys):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(shared))
    assert main(["cache"]) == 0
    assert "någon annan eller får ändras av andra" in capsys.readouterr().out
    monkeypatch.setenv("GRANTSTATS_CACHE", "0")
    assert main(["cache", "--lang", "en"]) == 0
    assert "turned off" in capsys.readouterr().out


def test_no_cache_reaches_the_workers_of_a_folder_check(tmp_path, monkeypatch, write_xlsx,
                                                        minimal, capsys):

    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("GRANTSTATS_CACHE", raising=False)
    monkeypatch.setenv("GRANTSTATS_CACHE_MIN_BYTES", "0")  # the sandbox's children too
    folder = tmp_path / "in"
    folder.mkdir()
    for name, pid in (("a.xlsx", "P1"), ("b.xlsx", "P2")):  # two contents, two entries
        minimal["projekt"][1][0] = minimal["beslut"][1][0] = pid  # a project in one only
        write_xlsx(minimal, name=name).rename(folder / name)
    assert main(["check", "--no-cache", "--jobs", "2", str(folder)]) == 0
    assert list((tmp_path / "c").glob("*.pickle")) == []
    assert main(["check", "--jobs", "2", str(folder)]) == 0
    assert len(list((tmp_path / "c").glob("*.pickle"))) == 2


@pytest.mark.parametrize("argv", [["--lang", "en", "check", "--help"],
                                  ["check", "--help", "--lang=en"],
                                  ["--lang", "sv", "check", "--la", "en", "-h"]])
def test_help_is_in_the_language_asked_for(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "check a workbook, or every one in a folder" in out and "arbetsbok" not in out


def test_swedish_help_has_no_english_words_of_argparse(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("användning: grantstats check")
    assert "flaggor:" in out and "visa den här hjälpen" in out
    for english in ("usage", "options", "positional arguments", "show this"):
        assert english not in out


@pytest.mark.parametrize(("argv", "sv", "en"), [
    (["bogus"], "fel: kommando: ogiltigt val: 'bogus'", "error: argument command: invalid"),
    (["check", "--jobs", "x"], "fel: --jobs: N måste vara ett heltal, minst 1",
     "error: argument --jobs: N must be a whole number"),
    (["check", "--jobs", "0"], "fel: --jobs: N måste vara ett heltal, minst 1",
     "N must be a whole"),
    (["check", "a.xlsx", "b.xlsx"], "fel: okända argument: b.xlsx",
     "error: unrecognized arguments: b.xlsx"),
    (["report", "--suppress-below", "2", "--no-suppress"],
     "fel: --no-suppress: går inte att kombinera med --suppress-below", "not allowed with"),
    (["template"], "fel: följande argument krävs: FIL",
     "error: the following arguments are required: FILE"),
    (["report", "--s", "x"], "fel: flaggan --s är tvetydig: den kan vara --separate, --suppress",
     "error: ambiguous option: --s could match --separate, --suppress"),
    (["summary", "--format"], "fel: --format: kräver ett värde",
     "error: argument --format: expected one argument"),
])
def test_usage_errors_are_in_the_language_asked_for(argv, sv, en, capsys):
    for lang, expected in (("sv", sv), ("en", en)):
        with pytest.raises(SystemExit) as info:
            main([*argv, "--lang", lang] if argv != ["bogus"] else ["--lang", lang, *argv])
        assert info.value.code == 2
        assert expected in capsys.readouterr().err


def test_swedish_help_titles_its_sections_in_swedish(capsys):
    with pytest.raises(SystemExit):
        main(["template", "--help"])
    out = capsys.readouterr().out
    assert "\nargument:\n  FIL " in out and "\nflaggor:\n" in out


def test_swedish_help_names_its_arguments_in_swedish(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    usage = capsys.readouterr().out.split("\n\n", 1)[0]
    assert "[--project PROJEKT]" in usage and "[--out MAPP]" in usage
    assert "[arbetsbok ...]" in usage and "workbook" not in usage


@pytest.mark.parametrize(("text", "value"), [("3", 3), ("+3", 3), (" 12 ", 12)])
def test_a_whole_number_may_be_written_with_a_plus_sign(text, value):
    from grantstats.commands.cli import positive_integer

    assert positive_integer(text) == value


def test_argparse_is_left_as_it_was_after_a_call(capsys):
    import argparse

    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert argparse._("usage: ") == "usage: "


def test_lang_may_come_before_or_after_the_command(tmp_path, capsys):
    missing = str(tmp_path / "saknas.xlsx")
    for argv in (["--lang", "en", "check", missing], ["check", missing, "--lang", "en"]):
        assert main(argv) == 2
        assert "does not exist" in capsys.readouterr().err
    assert main(["check", missing]) == 2
    assert "finns inte" in capsys.readouterr().err


def test_report_takes_workbooks_on_either_side_of_an_option(monkeypatch):
    import grantstats.commands.cli as cli

    seen = {}
    monkeypatch.setattr(cli, "_report", lambda args, paths, lang, written: seen.update(
        paths=[p.name for p in paths], lang=lang) or 0)
    assert main(["report", "a.xlsx", "--lang", "en", "b.xlsx"]) == 0
    assert seen == {"paths": ["a.xlsx", "b.xlsx"], "lang": "en"}
    with pytest.raises(SystemExit) as info:
        main(["check", "a.xlsx", "b.xlsx"])
    assert info.value.code == 2
