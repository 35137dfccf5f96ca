"""Ctrl-C and SIGTERM: a real signal to a running ``grantstats``, then one line and
130 (143), no traceback, and no kernel, other child process or temporary file left.

Each test starts ``python -m grantstats`` in a session of its own, with TMPDIR and
JUPYTER_RUNTIME_DIR pointing at empty folders of the test, waits until the command is
visibly at work, and sends the signal: to the process, or (as a terminal's Ctrl-C
does) to its whole process group.
"""

from __future__ import annotations

import os
import pty
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grantstats.resources import sample_workbook
from tests.processes import descendants, still_running

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")]
ROOT = Path(__file__).resolve().parents[2]
WAIT = 120  # seconds any one step may take before the test gives up
NOTHING = "avbrutet; inget har skrivits"


@dataclass
class Run:
    """A ``grantstats`` command running in a session of its own."""

    tmp: Path
    args: list[str]
    tty: bool = False  # stderr on a terminal (a folder run shows progress only there)
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: set[tuple[int, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        # a short TMPDIR: Chromium's sockets in it must fit a socket path's 107 bytes
        self.temp = Path(tempfile.mkdtemp(prefix="gsi-"))
        self.runtime = self.tmp / "runtime"
        self.runtime.mkdir()
        env = {**os.environ, "TMPDIR": str(self.temp), "JUPYTER_RUNTIME_DIR": str(self.runtime),
               "PYTHONUNBUFFERED": "1"}
        reader, writer = pty.openpty() if self.tty else os.pipe()
        self.proc = subprocess.Popen([sys.executable, "-m", "grantstats", *self.args],
                                     stdout=subprocess.PIPE, stderr=writer, env=env, cwd=ROOT,
                                     start_new_session=True)
        os.close(writer)
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(reader,), daemon=True).start()

    def _read(self, fd: int) -> None:
        buffer = ""
        while True:
            try:
                ready, _, _ = select.select([fd], [], [], 0.1)
                data = os.read(fd, 65536).decode(errors="replace") if ready else None
            except OSError:  # the terminal's other end is gone
                data = ""
            if data is None:
                continue
            if not data:
                break
            buffer += data
            *done, buffer = re.split(r"\r\n|\n|\r", buffer)
            for line in done:
                self.stderr.append(line)
                self.lines.put(line)
        if buffer:
            self.stderr.append(buffer)
        os.close(fd)
        self.lines.put("")  # the end

    def wait_for(self, pattern: str) -> None:
        """Wait for a line of stderr matching ``pattern``, noting the children meanwhile."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            self.seen |= descendants(self.proc.pid)
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            if re.search(pattern, line):
                return
            assert line or self.proc.poll() is None, f"ended first: {self.stderr}"
        raise AssertionError(f"never saw {pattern!r}: {self.stderr}")

    def wait_until(self, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while not ready():
            assert self.proc.poll() is None, f"ended first: {self.stderr}"
            assert time.monotonic() < deadline, "never ready"
            time.sleep(0.02)

    def stop(self, signum: int, group: bool = False) -> tuple[int, str]:
        """Send ``signum``; the exit status and stdout once the command has ended."""
        self.seen |= descendants(self.proc.pid)
        if group:
            os.killpg(self.proc.pid, signum)
        else:
            self.proc.send_signal(signum)
        stdout, _ = self.proc.communicate(timeout=WAIT)
        deadline = time.monotonic() + 10
        while self.lines.get(timeout=10) and time.monotonic() < deadline:
            pass  # all of stderr is read
        return self.proc.returncode, stdout.decode()

    def assert_clean(self) -> None:
        """No process of the run left (its group included), and no temporary file."""
        time.sleep(0.2)  # a process killed just now may still be on its way out
        assert still_running(self.seen) == [], self.seen
        group = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True,
                               text=True).stdout.split() if shutil.which("pgrep") else []
        assert group == []
        assert sorted(self.temp.rglob("*")) == []
        assert sorted(self.runtime.rglob("*")) == []

    def last_line(self) -> str:
        """The one line after the progress lines (which end with '…' or are [n/N])."""
        text = "\n".join(self.stderr)
        assert "Traceback" not in text and "Task exception" not in text, text
        assert "DeadKernelError" not in text, text
        other = [line for line in self.stderr
                 if line.strip() and not line.endswith(" …") and not line.startswith("[")]
        assert len(other) == 1, self.stderr
        assert self.stderr[-1] == other[0] or not any(self.stderr[-1:]), self.stderr
        return other[0]


@pytest.fixture
def start(tmp_path):
    runs: list[Run] = []

    def start(*args: str, tty: bool = False) -> Run:
        folder = tmp_path / f"run{len(runs)}"
        folder.mkdir()
        runs.append(Run(folder, list(args), tty))
        return runs[-1]

    yield start
    for run in runs:  # a failed test leaves nothing running either
        if run.proc.poll() is None:
            os.killpg(run.proc.pid, signal.SIGKILL)
            run.proc.wait()
        for pid in still_running(run.seen):
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(run.temp, ignore_errors=True)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_ctrl_c_during_a_report_stops_it_at_once_and_writes_nothing(start, tmp_path):
    out = tmp_path / "out"
    run = start("report", "--out", str(out))
    run.wait_for(r"notebook \(3/\d+\)")
    status, stdout = run.stop(signal.SIGINT, group=True)  # as a terminal's Ctrl-C
    assert status == 130
    assert run.last_line() == NOTHING
    assert stdout == "" and _files(out) == []
    run.assert_clean()


def _written_order(name: str) -> int:
    """A report's files in the order they are written: the page, then its form."""
    return [".html", ".xlsx", ".docx"].index(Path(name).suffix)


def test_sigterm_after_a_report_of_several_names_the_written_ones(start, tmp_path):
    out = tmp_path / "out"
    run = start("report", "--project", "all", "--separate", "--out", str(out), "--lang", "en")
    run.wait_for(r"notebook 2/3 \(3/\d+\)")
    status, _ = run.stop(signal.SIGTERM)
    assert status == 143
    line = run.last_line()
    written = _files(out)
    assert len(written) == 3 and {Path(w).suffix for w in written} == {".html", ".xlsx",
                                                                          ".docx"}
    assert written[0].startswith("final-report-exempel-TRAFF-2008-")
    assert line == "interrupted; these were written before it: " + ", ".join(
        str(out / name) for name in sorted(written, key=_written_order))
    run.assert_clean()


def test_ctrl_c_with_two_kernels_ends_both(start, tmp_path, write_xlsx, minimal):
    from tests.commands.test_report import _projects_workbook

    # enough reports that the run cannot end between the line below and the signal
    path = _projects_workbook(write_xlsx, minimal, count=24)
    out = tmp_path / "out"
    run = start("report", str(path), "--separate", "--out", str(out))
    run.wait_for(r"notebook 2/24 \(2/\d+\)")  # the second kernel's first report is running
    kernels = {pid for pid, _ in run.seen if "ipykernel" in _cmdline(pid)}
    assert len(kernels) == 2
    status, _ = run.stop(signal.SIGINT)
    assert status == 130
    line = run.last_line()
    written = [str(out / name) for name in _files(out)]
    assert line == NOTHING if not written else all(w in line for w in written)
    run.assert_clean()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _maps(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return ""


def _reading(pid: int) -> bool:
    """Whether a sandbox child of ``pid`` (forked from it, or from its fork server, which
    has calamine loaded too but reads nothing) is reading a workbook with calamine."""
    return any("calamine" in _maps(child) and "forkserver" not in _cmdline(child)
               for child, _start in descendants(pid))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    """A workbook whose check takes seconds (200 000 rows of costs)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate_for_interrupts",
                                                  ROOT / "benchmarks" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate
    spec.loader.exec_module(generate)
    path = tmp_path_factory.mktemp("ledger") / "ledger.xlsx"
    generate.write_ledger(path, 200_000)
    return path


@pytest.mark.parametrize(("signum", "status", "line"), [
    (signal.SIGINT, 130, NOTHING), (signal.SIGTERM, 143, "interrupted; nothing was written")])
def test_a_signal_while_a_workbook_is_checked(start, ledger, signum, status, line):
    args = ["check", "--no-cache", str(ledger)] + (["--lang", "en"] if status == 143 else [])
    run = start(*args)
    run.wait_until(lambda: _reading(run.proc.pid))
    time.sleep(0.2)
    got, stdout = run.stop(signum)
    assert got == status and stdout == ""
    assert run.last_line() == line
    run.assert_clean()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("folder")
    for n in range(300):
        shutil.copyfile(sample_workbook(), folder / f"b{n:03}.xlsx")
    return folder


@pytest.mark.parametrize(("signum", "group", "status"), [
    (signal.SIGINT, True, 130), (signal.SIGTERM, False, 143)])
def test_a_signal_during_a_folder_check(start, folder, signum, group, status):
    run = start("check", "--no-cache", "--jobs", "2", str(folder), tty=True)
    run.wait_for(r"^\[5/300\]")
    got, stdout = run.stop(signum, group=group)
    assert got == status
    assert not stdout.strip().endswith("arbetsböcker utan fel")  # stopped, not finished
    assert run.last_line() == NOTHING
    run.assert_clean()


def test_ctrl_c_while_the_pdf_is_laid_out_leaves_no_pdf(start, tmp_path):
    """The PDF is laid out in this process (WeasyPrint): Ctrl-C during it stops the run
    with 130, names the HTML and .xlsx written, and leaves no PDF or part of one."""
    out = tmp_path / "out"
    run = start("report", "--pdf", "--out", str(out))  # all three projects: seconds of layout
    run.wait_for(r"Skriver PDF")
    time.sleep(0.2)
    status, _ = run.stop(signal.SIGINT)
    assert status == 130, "\n".join(run.stderr)
    written = [str(out / name) for name in _files(out)]
    # no PDF, no .part
    assert sorted(Path(w).suffix for w in written) == [".docx", ".html", ".xlsx"]
    assert run.last_line() == ("avbrutet; det här hann skrivas: "
                               + ", ".join(sorted(written, key=_written_order)))
    # The sandbox's fork server and resource tracker, stopped as the command exits, may
    # still be on their way out (exited, not yet reaped) a moment after it: wait for that
    # moment, a bounded one, so that only a process that stays is a failure.
    deadline = time.monotonic() + 5
    while _in_group(run.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    run.assert_clean()


def _in_group(pgid: int) -> list[str]:
    """The processes of process group ``pgid`` (pgrep), zombies included."""
    if shutil.which("pgrep") is None:
        return []
    return subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True,
                          text=True).stdout.split()
