"""The sandbox: a child that answers, raises, dies, overruns or is interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.reading import sandbox
from grantstats.reading.sandbox import ChildDied, Limits

QUICK = Limits(memory=256 << 20, cpu_seconds=2, wall_seconds=20)


# --- what the children run (module level: a child imports them by name) -------------
def double(x: int) -> int:
    return 2 * x


def fail_with_problems() -> None:
    raise UnreadableWorkbook("file.damaged", "/somewhere/x.xlsx", detail="checksum mismatch")


def fail_with_workbook_error() -> None:
    problem = Problem("cell.required_empty", "kostnader", "E7", {"column": "belopp"})
    raise WorkbookError([problem], "y.xlsx")


def abort_after_talking() -> None:
    os.write(2, b"thread '<unnamed>' panicked at src/xlsx.rs:1:1\n")
    os.abort()


def allocate_forever() -> None:
    chunks = []
    while True:
        chunks.append(bytearray(64 << 20))


def spin() -> None:
    while True:
        pass


def sleep_long() -> None:
    time.sleep(60)


def pid_then_sleep(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    time.sleep(60)


def nested() -> bool:
    return sandbox.call(sandbox.inside)


# --- tests ---------------------------------------------------------------------------
def test_a_childs_answer_comes_back():
    assert sandbox.call(double, 21) == 42


def test_what_the_child_raised_comes_back_with_its_problems():
    with pytest.raises(UnreadableWorkbook) as info:
        sandbox.call(fail_with_problems)
    (problem,) = info.value.problems
    assert (problem.code, problem.params["path"]) == ("file.damaged", "x.xlsx")
    assert info.value.path == "/somewhere/x.xlsx"
    with pytest.raises(WorkbookError) as info2:
        sandbox.call(fail_with_workbook_error)
    assert [(p.sheet, p.cell) for p in info2.value.problems] == [("kostnader", "E7")]


def test_a_child_that_aborts_is_a_crash_and_its_last_words_stay_hidden(capfd):
    with pytest.raises(ChildDied) as info:
        sandbox.call(abort_after_talking, limits=QUICK)
    assert info.value.reason == "crash"
    assert "panicked" not in capfd.readouterr().err


def test_a_child_that_allocates_without_end_runs_out_of_memory():
    with pytest.raises(ChildDied) as info:
        sandbox.call(allocate_forever, limits=QUICK)
    assert info.value.reason == "memory"


def test_a_child_that_computes_without_end_runs_out_of_cpu_time():
    start = time.monotonic()
    with pytest.raises(ChildDied) as info:
        sandbox.call(spin, limits=Limits(memory=None, cpu_seconds=1, wall_seconds=30))
    assert info.value.reason == "time"
    assert time.monotonic() - start < 25


def test_a_child_that_waits_without_end_is_killed_at_the_wall_clock_limit():
    with pytest.raises(ChildDied) as info:
        sandbox.call(sleep_long, limits=Limits(memory=None, cpu_seconds=5, wall_seconds=1))
    assert info.value.reason == "time"


def test_a_call_inside_a_child_runs_there():
    assert sandbox.call(nested) is True
    assert sandbox.inside() is False


def test_an_interrupt_while_waiting_kills_the_child_and_goes_on(tmp_path):
    marker = tmp_path / "pid"
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    try:
        def interrupt_when_started() -> None:
            while not marker.exists() or not marker.read_text():
                time.sleep(0.02)
            os.kill(os.getpid(), signal.SIGALRM)

        threading.Thread(target=interrupt_when_started, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            sandbox.call(pid_then_sleep, str(marker))
    finally:
        signal.signal(signal.SIGALRM, previous)
    child = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_the_default_limits_fit_a_large_ledger_on_any_machine(monkeypatch):
    monkeypatch.delenv("GRANTSTATS_MEMORY_LIMIT_MB", raising=False)
    monkeypatch.delenv("GRANTSTATS_CPU_LIMIT_S", raising=False)
    limits = Limits.default()
    assert 1 << 30 <= limits.memory <= 4 << 30
    assert limits.cpu_seconds >= 60 and limits.wall_seconds > limits.cpu_seconds
    monkeypatch.setenv("GRANTSTATS_MEMORY_LIMIT_MB", "512")
    assert Limits.default().memory == 512 << 20


def test_a_script_without_a_main_guard_is_not_run_again_by_the_child(tmp_path):
    """multiprocessing's children import the caller's main module again; a script that
    loads a workbook at its top level would load it (and write its output) twice."""
    from grantstats.resources import sample_workbook

    script = tmp_path / "analys.py"
    log = tmp_path / "log.txt"
    script.write_text(textwrap.dedent(f"""
        import grantstats
        with open({str(log)!r}, "a") as fh:
            fh.write("run\\n")
        wb = grantstats.load({str(sample_workbook())!r}, cache=False)
        print(len(wb.tables["costs"]))
    """))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert log.read_text() == "run\n"


def test_only_a_bare_single_threaded_caller_is_forked_directly():
    """This process has numpy (and pytest's threads may come): its children come from the
    fork server. A fresh interpreter that has imported only the sandbox forks directly,
    and the child still answers."""
    assert sandbox._may_fork() is False
    code = ("import sys; from grantstats.reading import sandbox; "
            "from tests.reading.test_sandbox import double; "
            "print(sandbox._may_fork(), sandbox.call(double, 4), 'numpy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.split() == ["True", "8", "False"], result.stderr


def test_a_small_file_gets_less_cpu_time_than_a_ledger(monkeypatch):
    """A file of a few kB that computes for minutes is stuck, not large."""
    monkeypatch.delenv("GRANTSTATS_CPU_LIMIT_S", raising=False)
    small, ledger = Limits.default(50_000), Limits.default(40 << 20)
    assert small.cpu_seconds == sandbox.CPU_FLOOR + sandbox.CPU_PER_MB
    assert ledger.cpu_seconds == sandbox.CPU_SECONDS  # 40 MB: 140 s, capped at 120
    assert Limits.default(None).cpu_seconds == sandbox.CPU_SECONDS
    monkeypatch.setenv("GRANTSTATS_CPU_LIMIT_S", "7")
    assert Limits.default(40 << 20).cpu_seconds == 7
