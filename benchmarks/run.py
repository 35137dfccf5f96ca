"""grantstats against plain pandas and plain Jupyter tooling, side by side in one run.

``python benchmarks/run.py [--repeat N] [--quick] [--smoke] [--only NAME] [--inputs DIR]
[--before GRANTSTATS]``

Every measurement is a whole process (``grantstats …``, ``python -c "pandas.read_excel…"``,
``papermill …`` then ``jupyter nbconvert …``), started with :class:`subprocess.Popen`,
timed with :func:`time.perf_counter` and reaped with :func:`os.wait4`, whose rusage
gives the peak resident memory of the process (or of a descendant it waited for, such
as a notebook kernel). Descendants it did not wait for (grantstats' sandbox fork server
and its children outlive the command) are reaped here too, as this runner is a child
subreaper on Linux, so their CPU and memory count. A case and its baseline run in
alternation on the same files,
``--repeat`` times, and the medians are compared. A case whose command fails is shown
as ``n/a`` with the reason, and the other cases still run; missing a target is not an
error: the exit status is non-zero only if the suite itself breaks.

The result is a Markdown table on standard output, followed by the machine and the
individual runs; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

SAMPLE = ROOT / "data" / "exempel.xlsx"
NOTEBOOK = ROOT / "notebooks" / "02_slutrapport.ipynb"
CASE_NAMES = ("load", "mixed", "check", "report", "many", "folder", "diff")
PACKAGES = ("grantstats", "pandas", "python-calamine", "openpyxl", "numpy", "nbclient",
            "nbconvert", "ipykernel", "papermill", "fastexcel")
#: Seconds one command may take before it is killed and its case shown as n/a.
TIMEOUT = 1800
#: Seconds descendants may outlive a measured command before they are killed.
LINGER = 30
#: Runs of each side of ``check`` at least: a whole run is about half a second, and
#: its target is a difference of 50 ms.
CHECK_REPEAT = 15


@dataclass
class Command:
    """One side of a case: processes run one after another and timed together.

    ``argvs`` may contain ``{work}``, a fresh empty folder for each measurement (also
    the working directory). ``check(work, stdout)`` returns why the output is wrong, or
    None.
    """

    label: str
    argvs: list[list[str]]
    check: Callable[[Path, str], str | None] | None = None
    #: run once, untimed, before the measurements (fills grantstats' cache)
    warm_up: bool = False
    #: exit statuses that mean success (``grantstats diff`` exits 1 on differences)
    exit_ok: tuple[int, ...] = (0,)


@dataclass
class Run:
    """One measurement: wall seconds, CPU seconds, peak RSS (MB), or why it failed.

    ``seconds`` ends when the command's process exits; ``tail`` is how much longer its
    last descendant lived (a fork server, still holding the command's output open, so
    a pipe reading it ends that much later). CPU and RSS cover the descendants.
    """

    seconds: float
    cpu: float
    rss_mb: float
    error: str | None = None
    tail: float = 0.0


@dataclass
class Target:
    """What a case must reach: a ratio case/baseline at most, optionally a memory cap,
    and optionally at most ``over`` seconds more than the median of the side
    ``reference`` (an earlier grantstats, measured with ``--before``)."""

    ratio: float | None
    text: str
    rss_mb: float | None = None
    over: float | None = None
    reference: str | None = None

    def met(self, ratio: float, rss_mb: float, seconds: float | None = None,
            reference: float | None = None) -> bool:
        ok = self.ratio is None or ratio <= self.ratio
        if self.over is not None:
            ok = ok and seconds is not None and reference is not None \
                and seconds <= reference + self.over
        return ok and (self.rss_mb is None or rss_mb < self.rss_mb)


@dataclass
class Variant:
    """Another command measured in the same alternation against the same baseline."""

    title: str
    command: Command
    target: Target


@dataclass
class Case:
    """A case measured against its baseline; ``variants`` are compared with the same
    baseline under their own targets, ``extra`` are baselines shown for information."""

    name: str
    title: str
    case: Command
    baseline: Command
    target: Target
    extra: list[Command] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    baseline_repeat: int | None = None
    #: runs of each side at least (unless --smoke)
    min_repeat: int = 0
    #: the same work by an earlier grantstats (``--before``), and what the case must
    #: reach against it (None: for information)
    before: Command | None = None
    before_target: Target | None = None
    full_size: bool = True  # inputs of the sizes the target is set for
    runs: dict[str, list[Run]] = field(default_factory=dict)


# --- measuring ----------------------------------------------------------------------


def _env() -> dict[str, str]:
    """The environment of every measured process: this venv's tools first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _tool(name: str) -> str:
    """A console script of this venv (next to its python), else from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def become_subreaper() -> bool:
    """Make descendants that outlive a measured command children of this process
    (Linux's ``PR_SET_CHILD_SUBREAPER``), so that :func:`run_once` can reap them and
    count their CPU and memory: grantstats' sandbox fork server is started by the
    command but not waited for, and its children (where the reading happens) are
    the server's. Elsewhere only what the command waited for counts."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans(group: int, linger: float = LINGER) -> tuple[float, float, float]:
    """Wait for the descendants that outlived a command (this subreaper's children by
    now): their CPU seconds, their largest peak RSS (kB, each including what it waited
    for) and how many seconds the last of them lived on. Those of the command's
    process group still alive after ``linger`` seconds are killed."""
    started = time.perf_counter()
    cpu = rss_kb = last = 0.0
    killed = False
    while True:
        try:
            pid, _status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break  # none left
        if pid:
            cpu += usage.ru_utime + usage.ru_stime
            rss_kb = max(rss_kb, usage.ru_maxrss)
            last = time.perf_counter() - started
            continue
        waited = time.perf_counter() - started
        if waited > linger + 5:
            break  # outside the group and not ending: left alone
        if waited > linger and not killed:
            _kill_group(group)
            killed = True
        time.sleep(0.002)
    return cpu, rss_kb, last


def _why(stderr: str) -> str:
    """The telling line of a failed command's stderr: its last non-empty line
    (argparse's ``error:``, an exception, grantstats' message), shortened."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = lines[-1] if lines else "no message"
    return text if len(text) <= 110 else text[:107] + "…"


def run_once(command: Command, scratch: Path, timeout: float = TIMEOUT) -> Run:
    """Run ``command`` once in a fresh folder under ``scratch`` and measure it."""
    work = Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
    env = _env()
    seconds = cpu = rss_kb = tail = 0.0
    try:
        for i, template in enumerate(command.argvs):
            argv = [a.replace("{work}", str(work)) for a in template]
            out_path, err_path = work / f".stdout-{i}", work / f".stderr-{i}"
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                started = time.perf_counter()
                try:
                    proc = subprocess.Popen(argv, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=err, start_new_session=True)
                except OSError as exc:
                    return Run(0, 0, 0, f"command failed: {exc}")
                timer = threading.Timer(timeout, _kill_group, [proc.pid])
                timer.start()
                try:
                    _pid, status, usage = os.wait4(proc.pid, 0)
                finally:
                    timer.cancel()
                elapsed = time.perf_counter() - started
                proc.returncode = os.waitstatus_to_exitcode(status)
                orphans_cpu, orphans_kb, lived_on = _reap_orphans(proc.pid)
            seconds += elapsed
            cpu += usage.ru_utime + usage.ru_stime + orphans_cpu
            rss_kb = max(rss_kb, usage.ru_maxrss, orphans_kb)  # Linux: kilobytes
            tail = max(tail, lived_on)
            if proc.returncode == -signal.SIGKILL and elapsed >= timeout:
                return Run(seconds, cpu, rss_kb / 1024, f"timeout after {timeout:.0f} s", tail)
            if proc.returncode not in command.exit_ok:
                why = _why(err_path.read_text(errors="replace"))
                return Run(seconds, cpu, rss_kb / 1024,
                           f"command failed: exit {proc.returncode}: {why}", tail)
        if command.check is not None:
            stdout = "".join(p.read_text(errors="replace") for p in sorted(work.glob(".stdout-*")))
            problem = command.check(work, stdout)
            if problem:
                return Run(seconds, cpu, rss_kb / 1024, f"wrong output: {problem}", tail)
        return Run(seconds, cpu, rss_kb / 1024, tail=tail)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(case: Case, repeat: int, scratch: Path, timeout: float,
            log: Callable[[str], None]) -> None:
    """Run the case's commands in alternation (baseline, case, before, variants, extras;
    then backwards; again…)."""
    sides = [("baseline", case.baseline, case.baseline_repeat or repeat),
             ("case", case.case, repeat),
             *([("before", case.before, repeat)] if case.before else []),
             *((f"variant{i}", v.command, repeat) for i, v in enumerate(case.variants)),
             *((f"extra{i}", c, repeat) for i, c in enumerate(case.extra))]
    case.runs = {key: [] for key, _c, _n in sides}
    for _key, command, _n in sides:
        if command.warm_up:
            log(f"[{case.name}] warming up: {command.label} …")
            run_once(command, scratch, timeout)
    for round_ in range(max(n for _k, _c, n in sides)):
        # every other round backwards (baseline, case, …, case, baseline), so that no
        # side always runs right after the same other one
        for key, command, times in (sides if round_ % 2 == 0 else sides[::-1]):
            done = case.runs[key]
            if round_ >= times or any(r.error for r in done):
                continue
            log(f"[{case.name}] {round_ + 1}/{times} {command.label} …")
            run = run_once(command, scratch, timeout)
            done.append(run)
            log(f"[{case.name}]     {run.seconds:.2f} s, {run.rss_mb:.0f} MB"
                + (f" — {run.error}" if run.error else ""))
            if key == "case" and run.error:
                return  # nothing to compare; spare the remaining baseline runs


# --- the cases ----------------------------------------------------------------------


def _expect_ok(_work: Path, stdout: str) -> str | None:
    return None if stdout.startswith("OK") else f"stdout does not start with OK: {stdout[:60]!r}"


def _expect_html(count: int) -> Callable[[Path, str], str | None]:
    def check(work: Path, _stdout: str) -> str | None:
        found = len(list(work.rglob("*.html")))
        return None if found == count else f"{found} HTML files, expected {count}"
    return check


def _expect_changes(facts: dict[str, int]) -> Callable[[Path, str], str | None]:
    """``grantstats diff``'s last line counts the rows the generator changed."""
    want = (f"Rader tillagda: {facts['added']}, borttagna: {facts['removed']}, "
            f"ändrade: {facts['changed']}.")

    def check(_work: Path, stdout: str) -> str | None:
        last = stdout.rstrip().rsplit("\n", 1)[-1]
        return None if last.endswith(want) else f"expected …{want!r}, got {last[-90:]!r}"
    return check


def _two_loads(old: Path, new: Path) -> Command:
    code = ("import grantstats; "
            f"a = grantstats.load({json.dumps(str(old))}, cache=False); "
            f"b = grantstats.load({json.dumps(str(new))}, cache=False); "
            "print(len(a.costs), len(b.costs))")
    return Command("grantstats.load × 2 in one process", [[sys.executable, "-c", code]])


def _pandas(path: Path, engine: str) -> Command:
    code = (f"import pandas; df = pandas.read_excel({json.dumps(str(path))}, "
            f'sheet_name="kostnader", engine="{engine}"); print(len(df))')
    return Command(f"pandas.read_excel engine={engine}", [[sys.executable, "-c", code]])


def _pandas_all_sheets(path: Path) -> Command:
    code = (f"import pandas; sheets = pandas.read_excel({json.dumps(str(path))}, "
            'sheet_name=None, engine="calamine"); print(len(sheets))')
    return Command("pandas.read_excel sheet_name=None engine=calamine",
                   [[sys.executable, "-c", code]])


def _readers_alone(path: Path) -> list[Command]:
    """The bare readers on the ledger sheet: the floor any checked load stands on."""
    name = json.dumps(str(path))
    calamine = (f"import python_calamine as c; rows = c.CalamineWorkbook.from_path({name})"
                '.get_sheet_by_name("kostnader").to_python(); print(len(rows))')
    fastexcel = (f"import fastexcel; s = fastexcel.read_excel({name})"
                 '.load_sheet_by_name("kostnader"); print(s.height)')
    strict = (f"import fastexcel; from arro3.core import RecordBatch; "
              f"s = fastexcel.read_excel({name}).load_sheet_by_name('kostnader', "
              "dtype_coercion='strict', schema_sample_rows=None, "
              "dtypes={'belopp': 'string'}); print(RecordBatch.from_arrow(s).num_rows)")
    return [Command("python-calamine alone (to_python)", [[sys.executable, "-c", calamine]]),
            Command("fastexcel alone (to Arrow)", [[sys.executable, "-c", fastexcel]]),
            Command("fastexcel alone, strict, every row sampled, amounts as strings",
                    [[sys.executable, "-c", strict]])]


def _load_only(path: Path) -> Command:
    """``grantstats.load`` alone (no cache): the reading and the contract's checks,
    without what ``check`` computes afterwards (the figures and the rules' warnings)."""
    code = (f"import grantstats; wb = grantstats.load({json.dumps(str(path))}, cache=False); "
            "print(len(wb.costs))")
    return Command("grantstats.load(cache=False) alone", [[sys.executable, "-c", code]])


def _before_check(before: str | None, path: Path) -> Command | None:
    """``check --no-cache`` of ``path`` by the earlier grantstats of ``--before``."""
    return before and Command("grantstats before (--before) check --no-cache",
                              [[before, "check", "--no-cache", str(path)]], _expect_ok)


def _per_cell(gs: str, path: Path) -> Command:
    """grantstats with the fast path turned off: every sheet read cell by cell."""
    return Command("GRANTSTATS_FAST=never grantstats check --no-cache",
                   [["env", "GRANTSTATS_FAST=never", gs, "check", "--no-cache", str(path)]],
                   _expect_ok)


def build_cases(inputs: Path, sizes: dict[str, int], quick: bool,
                before: str | None = None) -> dict[str, Case]:
    """The cases on the generated inputs in ``inputs``; ``before``: the ``grantstats``
    command of an earlier version, measured next to ``load`` and ``check``."""
    gs = _tool("grantstats")
    ledger, projects = inputs / generate.LEDGER_NUMBERS, inputs / generate.PROJECTS
    mixed = inputs / generate.LEDGER
    folder = inputs / generate.FOLDER
    old, new = inputs / generate.DIFF_OLD, inputs / generate.DIFF_NEW
    rows, n_projects, n_books = sizes["rows"], sizes["projects"], sizes["workbooks"]
    n = generate.diff_changes(sizes["diff_rows"])
    changed = {"added": n, "removed": n, "changed": n}
    ids = [f"P{p:02d}" for p in range(1, n_projects + 1)]
    return {
        "load": Case(
            "load", f"`grantstats check --no-cache` of a {rows:,}-row ledger".replace(",", " ")
            + ", every amount a number cell (read from the file)",
            case=Command("grantstats check --no-cache",
                         [[gs, "check", "--no-cache", str(ledger)]], _expect_ok),
            baseline=_pandas(ledger, "openpyxl"),
            target=Target(1 / 15, "≥ 15× faster, < 800 MB", rss_mb=800),
            variants=[Variant(
                "the same `grantstats check`, re-run on the unchanged file (parsed cache)",
                Command("grantstats check (cached)", [[gs, "check", str(ledger)]],
                        _expect_ok, warm_up=True),
                Target(1 / 15, "≥ 15× faster, < 800 MB", rss_mb=800))],
            extra=[_pandas(ledger, "calamine"), *_readers_alone(ledger)[:2],
                   _per_cell(gs, ledger), _load_only(ledger)],
            baseline_repeat=1 if quick else None,
            before=_before_check(before, ledger),
            before_target=Target(1.0, "no slower than before"),
            full_size=rows == generate.FULL["rows"],
        ),
        "mixed": Case(
            "mixed", f"`grantstats check --no-cache` of the same {rows:,}-row ledger with one "
            "amount in ten as Swedish text".replace(",", " "),
            case=Command("grantstats check --no-cache",
                         [[gs, "check", "--no-cache", str(mixed)]], _expect_ok),
            baseline=_pandas(mixed, "openpyxl"),
            target=Target(1 / 6, "≥ 6× faster"),
            extra=[*_readers_alone(mixed)[1:], _per_cell(gs, mixed), _load_only(mixed)],
            baseline_repeat=1 if quick else None,
            before=_before_check(before, mixed),
            before_target=Target(1.0, "no slower than before"),
            full_size=rows == generate.FULL["rows"],
        ),
        "check": Case(
            "check", "`grantstats check` of the sample",
            case=Command("grantstats check", [[gs, "check", str(SAMPLE)]], _expect_ok),
            baseline=_pandas_all_sheets(SAMPLE),
            target=Target(None, "≤ grantstats before the sandbox + 50 ms (--before)",
                          over=0.05, reference="before"),
            before=before and Command("grantstats before (--before) check",
                                      [[before, "check", str(SAMPLE)]], _expect_ok),
            before_target=Target(None, "≤ before + 50 ms", over=0.05),
            min_repeat=CHECK_REPEAT,
        ),
        "report": Case(
            "report", "`grantstats report` of the sample",
            case=Command("grantstats report", [[gs, "report", str(SAMPLE), "--out", "{work}"]],
                         _expect_html(1)),
            baseline=Command("papermill + nbconvert --no-input", [
                [_tool("papermill"), str(NOTEBOOK), "{work}/out.ipynb", "--no-progress-bar",
                 "-p", "workbook", str(SAMPLE), "-p", "project_id", "None", "-p", "lang", "sv",
                 "-p", "suppress_below", "3"],
                [_tool("jupyter"), "nbconvert", "--to", "html", "--no-input",
                 "{work}/out.ipynb"],
            ], _expect_html(1)),
            target=Target(0.6, "≤ 0.6"),
        ),
        "many": Case(
            "many", f"`grantstats report --project all --separate`, {n_projects} projects",
            case=Command("grantstats report --project all --separate", [
                [gs, "report", str(projects), "--project", "all", "--separate",
                 "--out", "{work}"]], _expect_html(n_projects)),
            baseline=Command(f"{n_projects} × grantstats report --project Pk", [
                [gs, "report", str(projects), "--project", pid, "--out", "{work}"]
                for pid in ids], _expect_html(n_projects)),
            target=Target(0.3, "≤ 0.3"),
            full_size=n_projects == generate.FULL["projects"],
        ),
        "folder": Case(
            "folder", f"`grantstats check DIR`, {n_books} workbooks, all cores",
            case=Command("grantstats check DIR", [[gs, "check", str(folder)]]),
            baseline=Command("grantstats check DIR --jobs 1",
                             [[gs, "check", str(folder), "--jobs", "1"]]),
            target=Target(1 / 1.6, "≥ 1.6× faster"),
            full_size=n_books == generate.FULL["workbooks"],
        ),
        "diff": Case(
            "diff", f"`grantstats diff --no-cache` of two versions of a "
            f"{sizes['diff_rows']:,}-row ledger".replace(",", " ")
            + f" ({n} rows inserted, {n} deleted, {n} edited)",
            case=Command("grantstats diff --no-cache OLD NEW", [
                [gs, "diff", "--no-cache", str(old), str(new)]], _expect_changes(changed),
                exit_ok=(1,)),
            baseline=Command("grantstats check --no-cache OLD; … NEW", [
                [gs, "check", "--no-cache", str(old)], [gs, "check", "--no-cache", str(new)]],
                _expect_ok),
            target=Target(1.5, "≤ 1.5"),
            extra=[_two_loads(old, new)],
            full_size=sizes["diff_rows"] == generate.FULL["diff_rows"],
        ),
    }


PARTS = {"load": "ledger", "mixed": "ledger", "many": "projects", "folder": "folder",
         "diff": "diff"}


# --- reporting ----------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _median(runs: list[Run]) -> float | None:
    ok = [r.seconds for r in runs if r.error is None]
    return statistics.median(ok) if ok and len(ok) == len(runs) else None


def _seconds(runs: list[Run], side: str) -> str:
    failed = next((r.error for r in runs if r.error), None)
    if failed:
        return f"n/a ({failed})" if side == "case" else f"n/a (baseline {failed})"
    median = _median(runs)
    return "n/a (not run)" if median is None else f"{median:.2f}"


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.3f} ({1 / ratio:.1f}× faster)" if ratio < 1 else f"{ratio:.3f}"


def floor(scratch: Path) -> float:
    """The peak RSS a process that does nothing shows: Linux carries the forking
    process's size over into the child's ru_maxrss, so this runner stays small."""
    return run_once(Command("true", [["true"]]), scratch).rss_mb


def _met(case: Case, target: Target, ratio: float, rss: float, seconds: float,
         baseline: float) -> str:
    """yes or no; — when the target needs the runs of a side that was not measured."""
    reference = baseline
    if target.reference is not None:
        runs = case.runs.get(target.reference, [])
        if not runs:
            return f"— (no --{target.reference})"
        reference = _median(runs)
        if reference is None:
            return "—"
    return "yes" if target.met(ratio, rss, seconds, reference) else "no"


def table(cases: Sequence[Case]) -> str:
    """The Markdown table of the measured cases."""
    lines = ["| case | baseline | case s (median) | baseline s (median) | ratio case/baseline "
             "| target | met? | case peak RSS (MB) |",
             "|---|---|---:|---:|---:|---|---|---:|"]
    for case in cases:
        base_runs = case.runs.get("baseline", [])
        rows = [(case.name, case.title, case.runs.get("case", []), case.baseline, base_runs,
                 case.target)]
        rows += [(f"{case.name} (cached)" if v.command.warm_up else f"{case.name} ({i + 2})",
                  v.title, case.runs.get(f"variant{i}", []), case.baseline, base_runs,
                  v.target) for i, v in enumerate(case.variants)]
        if case.before is not None:
            rows.append((f"{case.name} (before)", f"{case.title}, against the earlier "
                         "grantstats of `--before` (same files, same alternation)",
                         case.runs.get("case", []), case.before, case.runs.get("before", []),
                         case.before_target))
        rows += [(f"{case.name} (info)", case.title, case.runs.get("case", []), extra,
                  case.runs.get(f"extra{i}", []), None) for i, extra in enumerate(case.extra)]
        for name, what, mine, base_cmd, base, target in rows:
            rss = max((r.rss_mb for r in mine if r.error is None), default=0.0)
            c_med, b_med = _median(mine), _median(base)
            ratio = c_med / b_med if c_med is not None and b_med else None
            if ratio is None:
                ratio_text, met = "—", "—"
            else:
                ratio_text = _ratio_text(ratio)
                if base_cmd is case.before:
                    ratio_text += f", {(c_med - b_med) * 1000:+.0f} ms"
                met = "—" if target is None else _met(case, target, ratio, rss, c_med, b_med)
                if target is not None and not case.full_size:
                    met = f"({met}: not full size)"
            title = f"{name}: {what}"
            lines.append("| " + " | ".join(_cell(x) for x in (
                title, base_cmd.label, _seconds(mine, "case"), _seconds(base, "baseline"),
                ratio_text, "information" if target is None else target.text, met,
                f"{rss:.0f}" if rss else "—")) + " |")
    return "\n".join(lines)


def _shown(argv: Sequence[str], inputs: Path) -> str:
    text = re.sub(r"'\{work\}([^']*)'", r"$WORK\1", shlex.join(argv))
    for path, name in ((str(inputs), "$INPUTS"), (str(ROOT), "."),
                       (str(Path(sys.executable).parent) + "/", "")):
        text = text.replace(path, name)
    return text


def details(cases: Sequence[Case], inputs: Path) -> str:
    """Every command and its individual runs."""
    lines = []
    for case in cases:
        sides = [("baseline", case.baseline), ("case", case.case),
                 *([("before", case.before)] if case.before else []),
                 *((f"variant{i}", v.command) for i, v in enumerate(case.variants)),
                 *((f"extra{i}", c) for i, c in enumerate(case.extra))]
        for key, command in sides:
            runs = case.runs.get(key, [])
            shown = "; ".join(_shown(a, inputs) for a in command.argvs[:2])
            if len(command.argvs) > 2:
                shown += f"; … ({len(command.argvs)} processes)"
            timings = ", ".join(f"{r.seconds:.2f}" for r in runs) or "not run"
            peak = max((r.rss_mb for r in runs), default=0)
            cpu = ", ".join(f"{r.cpu:.1f}" for r in runs)
            tails = [r.tail for r in runs if r.tail > 0]
            lived_on = (f"; its descendants outlived it by {statistics.median(tails):.2f} s "
                        "(median)") if tails else ""
            lines.append(f"- {case.name} {key}: `{shown}` — wall s: {timings}; "
                         f"CPU s: {cpu or '—'}; peak RSS {peak:.0f} MB{lived_on}")
    return "\n".join(lines)


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def other_load(busy_before: float | None, wall: float, cases: Sequence[Case]) -> str:
    """How much CPU something other than the measured commands used during the run."""
    busy_after = busy_seconds()
    if busy_before is None or busy_after is None or wall <= 0:
        return "Other load during the measurements: unknown (no /proc/stat)."
    ours = sum(r.cpu for c in cases for runs in c.runs.values() for r in runs)
    ours += sum(os.times()[:2])
    other = max(0.0, busy_after - busy_before - ours)
    return (f"Other load during the measurements: {other:.0f} CPU-seconds in {wall:.0f} s "
            f"({other / wall:.0%} of one core) besides the measured commands.")


def machine() -> str:
    """CPU model, cores, RAM, OS, Python and the versions of the packages measured."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram = "? GB"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB RAM"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return (f"Machine: {model}, {os.cpu_count()} cores ({usable} usable), {ram}, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
            + ", ".join(versions))


# --- command line -------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=None,
                        help="measurements of each command (default 3; 1 with --smoke)")
    parser.add_argument("--quick", action="store_true",
                        help="measure the slow openpyxl baseline of 'load' only once")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny inputs, one measurement each: checks that the suite works")
    parser.add_argument("--only", action="append", choices=CASE_NAMES, metavar="NAME",
                        help=f"run only this case ({', '.join(CASE_NAMES)}); repeatable")
    parser.add_argument("--inputs", type=Path,
                        help="folder of the generated inputs (written there if missing or "
                             "of other sizes; default: a temporary folder, removed after)")
    parser.add_argument("--rows", type=int, help="rows of the ledger (default 1 000 000)")
    parser.add_argument("--projects", type=int, help="projects for 'many' (default 20)")
    parser.add_argument("--workbooks", type=int, help="workbooks for 'folder' (default 300)")
    parser.add_argument("--diff-rows", type=int, dest="diff_rows",
                        help="rows of the two ledgers for 'diff' (default 100 000)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"seconds before a command is killed (default {TIMEOUT})")
    parser.add_argument("--before", metavar="GRANTSTATS",
                        help="the grantstats command of an earlier version (e.g. in a venv of "
                             "a worktree of an older commit): 'check' and 'load' then measure "
                             "it too, in the same alternation, and hold the current one "
                             "against it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Generate or reuse the inputs, measure the cases, print the table."""
    parser = _parser()
    args = parser.parse_args(argv)
    before = None
    if args.before:
        before = shutil.which(args.before)
        if before is None:
            parser.error(f"--before: no such command: {args.before}")
        before = str(Path(before).absolute())
    base = generate.SMOKE if args.smoke else generate.FULL
    sizes = {k: getattr(args, k) or v for k, v in base.items()}
    repeat = args.repeat or (1 if args.smoke else 3)
    names = [n for n in CASE_NAMES if not args.only or n in args.only]

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    temporary = args.inputs is None
    inputs = Path(tempfile.mkdtemp(prefix="grantstats-bench-")) if temporary else args.inputs
    scratch = Path(tempfile.mkdtemp(prefix="grantstats-bench-runs-"))
    # grantstats' cache of loaded workbooks: a folder of this run's own, never the user's
    os.environ["GRANTSTATS_CACHE_DIR"] = str(scratch / "cache")
    os.environ.pop("GRANTSTATS_CACHE", None)
    try:
        parts = [PARTS[n] for n in names if n in PARTS]
        if parts:  # in a child, so this process stays small (see floor())
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(inputs),
                            *(f"--{k}={v}" for k, v in sizes.items()),
                            f"--parts={','.join(parts)}"], check=True, stdout=subprocess.DEVNULL)
        cases = build_cases(inputs, sizes, args.quick, before)
        chosen = [cases[n] for n in names]
        become_subreaper()
        busy_before, started = busy_seconds(), time.perf_counter()
        for case in chosen:
            times = repeat if args.smoke else max(repeat, case.min_repeat)
            measure(case, times, scratch, args.timeout, log)
        others = other_load(busy_before, time.perf_counter() - started, chosen)
        floor_mb = floor(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if temporary:
            shutil.rmtree(inputs, ignore_errors=True)
    print(table(chosen))
    print()
    print(machine())
    print()
    print(f"Peak RSS is ru_maxrss from os.wait4: the largest single process of a command "
          f"(the kernel of a report and grantstats' sandbox children included), not their "
          f"sum; {floor_mb:.0f} MB is the floor (what a process that does nothing shows here).")
    print()
    rows = f"{sizes['rows']:,}".replace(",", " ")
    counts = [f"{c.name}: {len(c.runs.get('case', []))}" for c in chosen
              if not args.smoke and c.min_repeat > repeat]
    for name in ("load", "mixed"):
        if name in names:
            counts.append(f"the openpyxl baseline of {name}: {1 if args.quick else repeat}")
    counts_text = f" ({'; '.join(counts)})" if counts else ""
    diff_rows = f"{sizes['diff_rows']:,}".replace(",", " ")
    print(f"Medians of {repeat} run(s) each{counts_text}; sizes: {rows} ledger rows, "
          f"{sizes['projects']} projects, {sizes['workbooks']} workbooks, {diff_rows} rows "
          f"in each version for diff. {others}")
    print()
    print(details(chosen, inputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
