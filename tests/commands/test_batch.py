"""Folders of workbooks: every workbook read (lock files skipped), rolled up, on all cores."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from grantstats.commands.batch import duplicates, read_many, rollup, workbooks_in
from grantstats.commands.cli import main
from grantstats.resources import sample_workbook
from tests.processes import descendants, still_running

SAMPLE_IDS = ("TRAFF-2008", "REG-2009", "JOUR-2010")


def renamed_sample(path, prefix: str):
    """The sample with other project ids (``prefix`` + id): other projects, same figures."""
    import openpyxl

    book = openpyxl.load_workbook(sample_workbook())
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in SAMPLE_IDS:
                    cell.value = prefix + cell.value
    book.save(path)
    return path


@pytest.fixture
def folder(tmp_path, write_xlsx, minimal):
    shutil.copy(sample_workbook(), tmp_path / "a.xlsx")
    renamed_sample(tmp_path / "b.xlsx", "B-")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / ".~lock.b.xlsx#").write_text("lock")
    (tmp_path / "notes.txt").write_text("not a workbook")
    minimal["beslut"][1][2] = "ca 500"
    write_xlsx(minimal, name="c.xlsx")
    return tmp_path


def test_lock_hidden_and_other_files_are_skipped(folder):
    assert [p.name for p in workbooks_in(folder)] == ["a.xlsx", "b.xlsx", "c.xlsx"]


def test_one_worker_and_two_give_the_same_outcomes(folder):
    paths = workbooks_in(folder)
    one = read_many(paths, jobs=1, with_summary=True)
    two = read_many(paths, jobs=2, with_summary=True)
    assert one == two
    assert [o.ok for o in one] == [True, True, False]
    assert one[2].problems[0].cell == "C2"


def test_rollup_adds_up_the_workbooks(folder):
    docs = [o.summary for o in read_many(workbooks_in(folder), with_summary=True) if o.ok]
    total = rollup(docs)
    assert total["workbooks"] == 2 and total["projects"] == 6
    assert total["spent"] == 2 * 1_027_607
    assert total["granted"] == 2 * (250_000 + 1_289_000 + 550_000)
    assert total["referrals"]["by_age_group"] == {"0-17": 20, "18-19": 6, "20+": 2}
    assert total["costs_by_category"]["personal"] == 2 * 1_006_698
    assert total["utilisation"] == pytest.approx(total["spent"] / total["granted"])
    assert total["to_repay"] == 2 * 161_393 and total["final_payment_due"] == 0
    assert total["paid_out"] == 2 * 1_189_000


def test_a_folder_is_judged_as_of_the_date_given(folder, capsys):
    assert main(["summary", str(folder), "--format", "json", "--as-of", "2010-06-30"]) == 1
    doc = json.loads(capsys.readouterr().out)
    for book in doc["workbooks"]:
        reg = next(p for p in book["projects"] if p["project_id"].endswith("REG-2009"))
        assert reg["paid_out"] == 0 and reg["status"] == "running"  # paid 31 December
        assert reg["spent"] < 1_027_607

def test_check_of_a_folder_prints_a_line_per_workbook_and_exits_1(folder, capsys):
    assert main(["check", str(folder), "--jobs", "2"]) == 1
    lines = capsys.readouterr().out.splitlines()
    # each workbook's rules warn as `check` of one does, under its line; the exit is 1
    # for c.xlsx's problem, not for the warnings
    warned = [line for line in lines if line.startswith("  varning, ")]
    assert "  varning, TRAFF-2008: inga kostnader är registrerade för projektet — för in " \
        "projektets kostnader på bladet kostnader" in warned
    out = [line for line in lines if line not in warned]
    assert out[0].startswith("OK: a.xlsx") and out[1].startswith("OK: b.xlsx")
    assert out[2].startswith("c.xlsx: beslut!C2: 'ca 500' är inget belopp")
    assert out[-1] == "2 av 3 arbetsböcker utan fel"
    assert lines[1] == warned[0]  # right under a.xlsx's line
    assert not any("~$" in line or "lock" in line for line in out)


def test_summary_of_a_folder_has_a_rollup_in_json(folder, capsys):
    assert main(["summary", str(folder), "--format", "json"]) == 1  # c.xlsx has a problem
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"grantstats_version", "folder", "workbooks", "failed", "duplicates",
                        "rollup"}
    assert doc["duplicates"] == []
    assert len(doc["workbooks"]) == 2 and doc["failed"][0]["path"].endswith("c.xlsx")
    assert doc["rollup"]["requisitioned"] == 2 * 1_189_000


def test_a_project_in_two_workbooks_is_a_problem_naming_both_and_counted_once(
        folder, capsys):
    """An old and a new version of the same workbook in one folder: each project id they
    share is one problem (exit 1) saying how to fix it, and the roll-up counts it once."""
    import openpyxl

    newer = openpyxl.load_workbook(sample_workbook())
    newer["kostnader"].append(["REG-2009", dt.date(2010, 12, 31), "personal", 12500,
                               "Extra"])
    newer.save(folder / "a-ny.xlsx")
    outcomes = read_many(workbooks_in(folder), jobs=2, with_summary=True)
    problems = duplicates(outcomes)
    assert [(p.code, p.params["project"], p.params["first"], p.params["second"])
            for p in problems] == [("cli.project_in_two", pid, "a-ny.xlsx", "a.xlsx")
                                   for pid in SAMPLE_IDS]
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == (
        "projektet 'JOUR-2010' finns både i a-ny.xlsx och i a.xlsx — flytta den äldre "
        "versionen ur mappen (grantstats diff a-ny.xlsx a.xlsx visar vad som skiljer); tills "
        "dess räknar totalen projektet en gång, från a-ny.xlsx")

    assert main(["summary", str(folder), "--format", "json", "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "the project 'REG-2009' is in both a-ny.xlsx and a.xlsx — move the older " \
        "version out of the folder" in captured.err
    doc = json.loads(captured.out)
    assert doc["duplicates"] == [{"project_id": pid, "paths": [str(folder / "a-ny.xlsx"),
                                                               str(folder / "a.xlsx")]}
                                 for pid in SAMPLE_IDS]
    total = doc["rollup"]
    assert total["workbooks"] == 3 and total["projects"] == 6  # a-ny's three, b's three
    assert total["spent"] == 2 * 1_027_607 + 12_500  # a-ny.xlsx's REG-2009, not a.xlsx's too
    assert total["referrals"]["total"] == 2 * 14
    same = outcomes[1].summary
    assert rollup([same, same])["projects"] == 3 and rollup([same, same])["workbooks"] == 2


def test_an_empty_folder_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "inga arbetsböcker" in capsys.readouterr().err


def test_a_file_that_names_itself_in_its_message_is_named_once(folder, capsys):
    (folder / "d.xlsx").write_text("not a workbook at all")
    assert main(["check", str(folder), "--jobs", "1"]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if "d.xlsx" in x)
    assert line.count("d.xlsx") == 1 and not line.startswith("d.xlsx: ")


def test_a_workbook_that_kills_its_reader_is_one_failure_and_the_others_are_read(
        folder, tmp_path):
    """A sheet with cells far apart ends its sandbox child (out of memory); the folder
    run goes on and names that file."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"], book.active["XFD1048576"] = "projekt_id", 1
    book.save(folder / "far.xlsx")
    outcomes = read_many(workbooks_in(folder), jobs=2)
    by_name = {o.path.name: o for o in outcomes}
    assert by_name["a.xlsx"].ok and by_name["b.xlsx"].ok
    far = by_name["far.xlsx"]
    assert far.unreadable and [p.code for p in far.problems] == ["file.too_large"]


@pytest.mark.skipif(not __import__("pathlib").Path("/proc/self/stat").exists(),
                    reason="reads /proc")
def test_an_interrupted_folder_run_leaves_no_reader_behind(tmp_path):
    """SIGINT to the command alone (not its group): its children are killed, not left
    reading."""
    import importlib.util
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("bench_generate",
                                                  root / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate
    spec.loader.exec_module(generate)
    folder = tmp_path / "in"
    folder.mkdir()
    generate.write_ledger(folder / "a.xlsx", rows=150_000)
    shutil.copy(folder / "a.xlsx", folder / "b.xlsx")
    process = subprocess.Popen(
        [sys.executable, "-m", "grantstats", "check", "--no-cache", "--jobs", "2",
         str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    below: set[tuple[int, str]] = set()
    while time.monotonic() < deadline and len(below) < 3:  # fork server and two readers
        time.sleep(0.1)
        below = descendants(process.pid)
    assert len(below) >= 3, below
    time.sleep(0.5)
    below |= descendants(process.pid)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in err
    alive = still_running(below)
    for _ in range(50):  # the fork server sees its caller gone within a moment
        if not alive:
            break
        time.sleep(0.1)
        alive = still_running(below)
    assert {pid: Path(f"/proc/{pid}/cmdline").read_bytes()[:120] for pid in alive} == {}
