"""Folders of workbooks: every workbook read (lock files skipped), rolled up, on all cores."""

from __future__ import annotations

import json
import shutil

import pytest

from grantstats.commands.batch import read_many, rollup, workbooks_in
from grantstats.commands.cli import main
from grantstats.resources import sample_workbook


@pytest.fixture
def folder(tmp_path, write_xlsx, minimal):
    shutil.copy(sample_workbook(), tmp_path / "a.xlsx")
    shutil.copy(sample_workbook(), tmp_path / "b.xlsx")
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


def test_check_of_a_folder_prints_a_line_per_workbook_and_exits_1(folder, capsys):
    assert main(["check", str(folder), "--jobs", "2"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("OK: a.xlsx") and out[1].startswith("OK: b.xlsx")
    assert out[2].startswith("c.xlsx: beslut!C2: 'ca 500' är inget belopp")
    assert out[-1] == "2 av 3 arbetsböcker utan fel"
    assert not any("~$" in line or "lock" in line for line in out)


def test_summary_of_a_folder_has_a_rollup_in_json(folder, capsys):
    assert main(["summary", str(folder), "--format", "json"]) == 1  # c.xlsx has a problem
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"grantstats_version", "folder", "workbooks", "failed", "rollup"}
    assert len(doc["workbooks"]) == 2 and doc["failed"][0]["path"].endswith("c.xlsx")
    assert doc["rollup"]["requisitioned"] == 2 * 1_189_000


def test_an_empty_folder_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "inga arbetsböcker" in capsys.readouterr().err


def test_a_file_that_names_itself_in_its_message_is_named_once(folder, capsys):
    (folder / "d.xlsx").write_text("not a workbook at all")
    assert main(["check", str(folder), "--jobs", "1"]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if "d.xlsx" in x)
    assert line.count("d.xlsx") == 1 and not line.startswith("d.xlsx: ")
