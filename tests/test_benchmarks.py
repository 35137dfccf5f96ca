"""The benchmark suite keeps working: its inputs are valid and a smoke run prints every case.

Nothing here asserts a timing or a ratio: speed is measured by ``make bench``
(benchmarks/run.py), not by tests.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import grantstats
from grantstats.errors import UnreadableWorkbook
from grantstats.reading.values import parse_amount

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


generate = _module("generate")


def test_swedish_text_amounts_read_as_the_generator_means_them():
    for halves in (200, 201, 25_000, 25_001, 2_468_013, -2_501):
        for style in range(4):
            text = generate.swedish_amount(halves, style)
            assert parse_amount(text) == halves / 2, text


def test_generated_ledger_loads_with_the_reported_rows_and_sum(tmp_path):
    path = tmp_path / "ledger.xlsx"
    facts = generate.write_ledger(path, rows=2_000)
    assert facts.rows == 2_000 and facts.text_amounts > 100

    wb = grantstats.load(path)

    costs = wb.tables["costs"]
    assert len(costs) == facts.rows
    assert costs["amount"].sum() == facts.total  # every amount is a whole or half krona
    assert costs["date"].notna().all() and costs["category"].notna().all()
    assert wb.counts()["projects"] == generate.LEDGER_PROJECTS


@pytest.mark.parametrize("text_share", [0.0, 0.1])
def test_the_fast_path_reads_the_generated_ledgers_as_the_per_cell_path(tmp_path, text_share):
    """Both ledgers of the load cases (all amounts numbers; one in ten Swedish text) are
    read by the fast path, with the tables and sum the per-cell path gives."""
    from grantstats.reading import cells, loader
    from grantstats.reading.sniff import read_checked

    path = tmp_path / "ledger.xlsx"
    facts = generate.write_ledger(path, rows=3_000, text_share=text_share)
    raw = cells.read_workbook(path, "xlsx", None, "always", loader._fast_wanted)
    assert {s.name for s in raw.sheets if s.fast is not None} >= {"kostnader"}
    kind, data = read_checked(path)
    quick = loader.parse(path, data, kind, fast="always")
    slow = loader.parse(path, data, kind, fast="never")
    assert quick.costs["amount"].sum() == facts.total
    for key, table in slow.tables.items():
        pd.testing.assert_frame_equal(table, quick.tables[key], check_exact=True)


def test_generated_projects_and_folder_workbooks_are_valid(tmp_path):
    wb = grantstats.load(generate.write_projects(tmp_path / "projects.xlsx", 3))
    assert list(wb.tables["projects"]["project_id"]) == ["P01", "P02", "P03"]
    assert all(n > 0 for n in wb.counts().values())

    books = generate.write_folder(tmp_path / "folder", 3)
    assert [grantstats.load(b).counts()["projects"] for b in books] == [1, 2, 3]
    with pytest.raises(UnreadableWorkbook) as caught:
        grantstats.load(tmp_path / "folder" / generate.LOCK_FILE)
    assert caught.value.problems[0].code == "file.lock"


def test_the_later_version_of_a_ledger_differs_by_exactly_what_was_changed(tmp_path):
    """Inserted, deleted and edited rows are what diff finds; amounts rewritten between
    number and text with the same value are no change."""
    from grantstats.commands.diff import diff_files

    old = generate.write_ledger(tmp_path / "old.xlsx", rows=1_500)
    new = generate.write_ledger(tmp_path / "new.xlsx", rows=1_500, changes=7)
    assert new.rows == old.rows and new.text_amounts != old.text_amounts
    changes = diff_files(tmp_path / "old.xlsx", tmp_path / "new.xlsx")
    assert changes.row_counts().loc["costs"].to_dict() == {"added": 7, "removed": 7,
                                                           "changed": 7}
    assert set(changes.cells.loc[changes.cells["change"] == "changed", "column"]) == {"amount"}
    assert changes.rows.loc[changes.rows["change"] == "added", "new_row"].min() == 2  # the top
    spent = changes.figures[changes.figures["figure"] == "spent"]
    assert spent["difference"].sum() == pytest.approx(new.total - old.total)


@pytest.mark.slow
def test_smoke_run_prints_the_table_with_every_case():
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), "--smoke"],
                            capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| case |"))
    assert "ratio case/baseline" in header and "peak RSS" in header
    rows = {line.split(":", 1)[0].lstrip("| "): line for line in lines
            if line.startswith("| ") and not line.startswith("| case |")}
    assert set(rows) == {"load", "load (cached)", "load (info)", "mixed", "mixed (info)",
                         "check", "report", "many", "folder", "diff", "diff (info)"}
    assert "n/a" not in result.stdout.split("\nMachine: ")[0]  # every command ran
    # The plain-pandas baseline depends on nothing of grantstats: it must be measured.
    baseline_seconds = rows["load"].split(" | ")[3]
    assert float(baseline_seconds) > 0
    assert any(line.startswith("Machine: ") for line in lines)


def test_a_descendant_left_running_counts_in_cpu_and_memory(tmp_path):
    # grantstats' sandbox fork server outlives the command and reads in a child of its own:
    # the runner (a child subreaper) must reap such orphans and count them.
    orphan = "b = bytearray(300 << 20); import time; time.sleep(0.3)"
    code = f"""
import subprocess, sys
sys.path.insert(0, {str(BENCH)!r})
import run
assert run.become_subreaper()
command = run.Command("leaves an orphan", [[sys.executable, "-c",
    "import subprocess, sys; subprocess.Popen([sys.executable, '-c', {orphan!r}])"]])
r = run.run_once(command, __import__("pathlib").Path({str(tmp_path)!r}))
print(r.error, r.rss_mb, r.tail)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    error, rss_mb, tail = result.stdout.split()
    assert error == "None"
    assert float(rss_mb) >= 300  # the orphan's 300 MB, not only the command's own
    assert float(tail) >= 0.2  # it lived on after the command exited


@pytest.mark.slow
def test_before_measures_an_earlier_grantstats_next_to_check(tmp_path):
    earlier = Path(sys.executable).parent / "grantstats"  # this one, standing in for it
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), "--smoke", "--only", "check",
                             "--before", str(earlier)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| check")]
    assert [row.split(":", 1)[0] for row in rows] == ["| check", "| check (before)"]
    assert all(row.split(" | ")[6] in ("yes", "no") for row in rows)  # judged, not "—"
    assert " ms | " in rows[1]  # the difference to the earlier grantstats


def test_phases_splits_a_load_into_its_steps(tmp_path):
    phases = _module("phases")
    path = tmp_path / "ledger.xlsx"
    generate.write_ledger(path, rows=1_500)
    steps = phases.measure(path, "always")
    assert steps["fast sheets"] >= 1
    assert steps["total"] >= steps["read"] + steps["checks"] > 0
    assert steps["fastexcel load_sheet"] > 0
    assert steps["hand-over: Arrow IPC (child)"] > 0 < steps["hand-over: from Arrow (parent)"]
    assert 0 < steps["MB handed over (Arrow)"] < steps["MB handed over (pickle)"]
