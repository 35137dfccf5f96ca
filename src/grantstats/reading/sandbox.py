"""Run the parse of a workbook where its failure is cheap: in a child process with limits.

python-calamine parses in Rust. On a hostile or merely odd file it may try to allocate
the whole used range of a sheet (A1 and XFD1048576 ask for hundreds of GB) and abort,
or panic; a panic or an abort inside the caller's process would take the caller with
it (a notebook's kernel, a folder run). So :func:`call` runs a function in a child
process and hands back what it returned or raised:

* The child is forked from multiprocessing's *forkserver* (``spawn`` where there is
  none), not from the caller: the caller may hold threads or be a Jupyter kernel, and a
  bare fork of those is unsafe. The server has the reading modules imported once
  (:data:`PRELOAD`), so a child starts in milliseconds; :func:`warm` starts the server
  early, while the caller is still busy with its own imports. Only a caller that has
  no other thread and has not loaded numpy (the command line checking one workbook) is
  forked directly: that is safe, and spares starting a second interpreter.
* The child runs under an address-space limit (``RLIMIT_AS``: what it had at the start
  plus :func:`memory_budget`) and a CPU-time limit (``RLIMIT_CPU``), and the parent
  stops waiting after a wall-clock limit and kills it. Its standard error goes to a
  private file, so Rust's panic text and allocation messages never reach the user.
* A child that dies by a signal, runs out of memory or of time becomes a
  :class:`ChildDied` with the reason; the loader turns it into its one-line message.
  Ctrl-C or SIGTERM in the caller kills the child before the interrupt goes on.

The child never runs the caller's main module again (multiprocessing's ``spawn`` and
``forkserver`` normally re-import it, which re-runs a script that has no
``if __name__ == "__main__":`` guard): only grantstats' own functions are run there.

Where ``RLIMIT_AS`` does not exist or is not enforced (macOS), the child is still a
separate process: an abort or a panic ends the child, not the caller, and the CPU and
wall-clock limits still hold; only a runaway allocation is then bounded by the
operating system instead of by grantstats.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["ChildDied", "Limits", "call", "inside", "shutdown", "stop_all", "warm"]

T = TypeVar("T")

#: Modules the fork server imports once, so that each child starts with them loaded
#: (:func:`warm` may add the caller's own).
PRELOAD = ("grantstats.reading.loader", "grantstats.reading.handover")
#: The child's process name; seen by :func:`inside`.
CHILD_NAME = "grantstats-sandbox"

#: Address space a child may add to what it starts with, whatever the machine.
MIN_MEMORY = 1 << 30
MAX_MEMORY = 4 << 30
#: CPU seconds a child may use (a 1 000 000-row ledger takes about 12 s here).
CPU_SECONDS = 120
#: CPU seconds for any file, and more for each megabyte of it (see Limits.default).
CPU_FLOOR = 20
CPU_PER_MB = 3
#: Wall-clock seconds the parent waits for a child beyond its CPU limit.
WALL_GRACE = 60

_lock = threading.Lock()
_context: Any = None
#: The children running now (several threads may each wait for one).
_running: set[Any] = set()


@dataclass(frozen=True)
class Limits:
    """What one child may use: bytes of address space on top of its start (None: no
    limit), CPU seconds, and wall-clock seconds before the parent kills it."""

    memory: int | None
    cpu_seconds: int
    wall_seconds: float

    @classmethod
    def default(cls, file_size: int | None = None) -> Limits:
        """The limits from the environment (``GRANTSTATS_MEMORY_LIMIT_MB``,
        ``GRANTSTATS_CPU_LIMIT_S``), else half the machine's memory (1 to 4 GiB: a
        1 000 000-row ledger needs about 0.8 GB) and :data:`CPU_SECONDS`, or less for a
        file of ``file_size`` bytes: :data:`CPU_FLOOR` seconds and
        :data:`CPU_PER_MB` a megabyte (the 40 MB ledger takes 12 s; a small file that
        runs for minutes is stuck, not large)."""
        memory = _env_int("GRANTSTATS_MEMORY_LIMIT_MB")
        cpu = _env_int("GRANTSTATS_CPU_LIMIT_S") or CPU_SECONDS
        if file_size is not None and not _env_int("GRANTSTATS_CPU_LIMIT_S"):
            cpu = min(cpu, CPU_FLOOR + CPU_PER_MB * -(-file_size // (1 << 20)))
        return cls(memory=(memory << 20) if memory else memory_budget(),
                   cpu_seconds=cpu, wall_seconds=cpu * 2 + WALL_GRACE)


class ChildDied(Exception):
    """The child ended without an answer. ``reason`` is ``"memory"``, ``"time"`` or
    ``"crash"``; ``detail`` is short and technical (a signal, an exit code)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


def memory_budget() -> int:
    """Half the machine's physical memory, within :data:`MIN_MEMORY` and
    :data:`MAX_MEMORY` (the whole machine's when it cannot be read)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return MAX_MEMORY
    return max(MIN_MEMORY, min(MAX_MEMORY, total // 2))


def inside() -> bool:
    """Whether this process is a sandbox child (a nested :func:`call` then runs the
    function directly: the child is already the sandbox)."""
    return multiprocessing.current_process().name == CHILD_NAME


def warm(*modules: str) -> None:
    """Start the fork server now, so that its imports overlap with the caller's own.

    ``modules``: more modules for the server to import, for functions the caller will
    run in children (only before the server has started). Cheap and safe to call more
    than once; :func:`call` starts the server anyway.
    """
    context = _get_context(modules)
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def call(fn: Callable[..., T], /, *args: Any, limits: Limits | None = None) -> T:
    """``fn(*args)`` run in a sandbox child: its return value, or the exception it raised
    (both pickled back), or :class:`ChildDied`.

    ``fn`` must be a module-level function of grantstats (the child imports it by name).
    """
    if inside():
        return fn(*args)
    limits = limits or Limits.default()
    context = multiprocessing.get_context("fork") if _may_fork() else _get_context()
    folder = tempfile.mkdtemp(prefix="grantstats-sandbox-")
    stderr = os.path.join(folder, "stderr")
    receiver, sender = context.Pipe(duplex=False)
    # the server was started earlier: the child gets the caller's environment and folder
    # as they are now (a --no-cache, a cache folder, a notebook's chdir)
    where = (dict(os.environ), os.getcwd())
    process = _process_class(context)(
        target=_child, args=(sender, stderr, limits, where, fn, args), name=CHILD_NAME,
        daemon=True)
    try:
        with _lock:
            process.start()
            _running.add(process)
        sender.close()
        answer: T = _answer(process, receiver, limits, stderr)
        return answer
    finally:
        with _lock:
            _running.discard(process)
        if process.is_alive():  # an interrupt, or no answer in time
            process.kill()
        if process.pid is not None:
            process.join()
        receiver.close()
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def stop_all() -> None:
    """Kill every child running now (an interrupt while other threads wait for theirs:
    each of those calls then ends with :class:`ChildDied`)."""
    with _lock:
        running = list(_running)
    for process in running:
        with contextlib.suppress(Exception):
            process.kill()


def shutdown() -> None:
    """Kill the running children and stop the fork server (and multiprocessing's resource
    tracker) that this process started, so that a command that ends, however it ends,
    leaves no process behind (registered with :mod:`atexit`). Both would end by
    themselves a moment after the caller. A later :func:`call` starts them again.
    """
    stop_all()
    from multiprocessing import forkserver, resource_tracker

    for owner in (getattr(forkserver, "_forkserver", None),
                  getattr(resource_tracker, "_resource_tracker", None)):
        stop = getattr(owner, "_stop", None)  # CPython's own (3.8 and later)
        if stop is not None:
            with contextlib.suppress(Exception):
                stop()


def _may_fork() -> bool:
    """Whether a plain fork of this process is safe and cheapest: on POSIX, with no
    thread but this one, no fork server already running and numpy not loaded (its BLAS
    keeps threads of its own). That is the command line reading one workbook: its
    process has imported almost nothing, so the child pays the imports the caller would
    have paid, and no fork server has to start first."""
    return (hasattr(os, "fork") and threading.active_count() == 1
            and "numpy" not in sys.modules and not _server_running()
            and "fork" in multiprocessing.get_all_start_methods())


def _server_running() -> bool:
    from multiprocessing import forkserver

    return getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None) \
        is not None


def _answer(process: Any, receiver: Connection, limits: Limits, stderr: str) -> Any:
    """Wait for the child's answer, or for its end, within the wall-clock limit."""
    ready = wait([receiver, process.sentinel], timeout=limits.wall_seconds)
    if receiver in ready:
        try:
            kind, value = receiver.recv()
        except (EOFError, OSError):
            kind, value = "died", None
        if kind == "ok":
            return value
        if kind == "raise":
            if isinstance(value, MemoryError):  # Python's own allocation hit the limit
                raise ChildDied("memory", "MemoryError") from None
            raise value
    elif not ready:
        process.kill()
        process.join()
        raise ChildDied("time", f"no answer within {limits.wall_seconds:.0f} s")
    process.join()
    raise _death(process.exitcode, stderr)


def _death(exitcode: int | None, stderr: str) -> ChildDied:
    """Why a child ended without an answer, from its exit status and its last words."""
    try:
        with open(stderr, "rb") as fh:
            fh.seek(0, io.SEEK_END)
            fh.seek(max(0, fh.tell() - 4096))
            words = fh.read().decode("utf-8", "replace")
    except OSError:
        words = ""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        if number == getattr(signal, "SIGXCPU", None):
            return ChildDied("time", f"{name}: CPU time limit")
        if number == signal.SIGKILL or "memory allocation" in words or \
                "MemoryError" in words or "capacity overflow" in words:
            return ChildDied("memory", name)
        return ChildDied("crash", name)
    if "MemoryError" in words or "memory allocation" in words:
        return ChildDied("memory", f"exit {exitcode}")
    return ChildDied("crash", f"exit {exitcode}")


def _child(sender: Connection, stderr: str, limits: Limits,
           where: tuple[dict[str, str], str], fn: Callable[..., Any],
           args: tuple[Any, ...]) -> None:
    """The child's side: the caller's environment, quiet, limited, then ``fn(*args)``;
    the outcome goes back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides and kills
    environment, folder = where
    os.environ.clear()
    os.environ.update(environment)
    with contextlib.suppress(OSError):
        os.chdir(folder)
    os.environ["RUST_BACKTRACE"] = "0"
    fd = os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    _limit(limits)
    try:
        outcome: tuple[str, Any] = ("ok", fn(*args))
    except BaseException as exc:
        outcome = ("raise", exc)
    try:
        sender.send(outcome)
    except Exception as exc:  # an answer that cannot be pickled is a bug of ours
        sender.send(("raise", RuntimeError(f"sandbox: {type(exc).__name__}: {exc}")))
    sender.close()


def _limit(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: the process boundary alone protects the caller
        return
    if limits.memory is not None and hasattr(resource, "RLIMIT_AS"):
        cap = _address_space() + limits.memory
        # macOS refuses it: the CPU and wall-clock limits still hold
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = limits.cpu_seconds
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _address_space() -> int:
    """The bytes of address space this process has mapped now (Linux), else 0."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdecimal() and int(value) > 0 else None


def _get_context(modules: tuple[str, ...] = ()) -> Any:
    global _context
    with _lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            _context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else "spawn")
            if _context.get_start_method() == "forkserver":
                _context.set_forkserver_preload([*PRELOAD, *modules])
            atexit.register(shutdown)  # the server ends with its caller, not a moment after
        return _context


def _process_class(context: Any) -> Any:
    """A Process class of ``context`` whose child does not import the caller's main
    module again (see the module's docstring); the context's own where that cannot be
    arranged."""
    if context.get_start_method() != "forkserver" or _ForkServerProcess is None:
        return context.Process
    return _ForkServerProcess


_ForkServerProcess: Any = None
try:
    from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
    from multiprocessing.context import ForkServerProcess, set_spawning_popen
except ImportError:  # no fork server here (Windows)
    pass
else:
    class _Popen(popen_forkserver.Popen):
        def _launch(self, process_obj: Any) -> None:
            # As multiprocessing's own (3.8-3.13), without the caller's main module in
            # the preparation data.
            prep = spawn.get_preparation_data(process_obj._name)
            prep.pop("init_main_from_name", None)
            prep.pop("init_main_from_path", None)
            buf = io.BytesIO()
            set_spawning_popen(self)
            try:
                reduction.dump(prep, buf)
                reduction.dump(process_obj, buf)
            finally:
                set_spawning_popen(None)
            self.sentinel, w = forkserver.connect_to_new_process(
                self._fds)  # type: ignore[attr-defined]
            parent_w = os.dup(w)
            self.finalizer = util.Finalize(
                self, util.close_fds, (parent_w, self.sentinel))  # type: ignore[attr-defined]
            with open(w, "wb", closefd=True) as f:
                f.write(buf.getbuffer())
            self.pid = forkserver.read_signed(self.sentinel)

    class _SandboxProcess(ForkServerProcess):
        @staticmethod
        def _Popen(process_obj: Any) -> Any:
            return _Popen(process_obj)

    if sys.version_info < (3, 14):  # the launch changed after; keep the library's own
        _ForkServerProcess = _SandboxProcess
