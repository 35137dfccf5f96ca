"""Run the final-report notebook and write one self-contained HTML file (and a PDF).

The notebook (``02_slutrapport.ipynb``, shipped with the package) is executed with
nbclient after its ``parameters`` cell (papermill's convention), exported with
nbconvert without code, prompts or parameter cells, and wrapped in a page of our own:
inline CSS, a Content-Security-Policy that forbids scripts and any request to another
host, ``<html lang>``, a footer with provenance, and an inert data block with the
report's own figures (:func:`embedded_data`, read back by :func:`read_embedded`). Apart
from the run time (in that footer and that block) and the earlier report the footer
names, the same workbook and parameters give byte-identical HTML. A section of changes
since an earlier report (``since``) is made by :mod:`grantstats.commands.since`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import html
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grantstats.commands.outputs import (
    ReportError,
    ReportFiles,
    data_block,
    embedded_data,
)
from grantstats.files import free_name, full_disk, write_new
from grantstats.rendering.page import page
from grantstats.resources import report_notebook
from grantstats.texts import text
from grantstats.version import __version__

if TYPE_CHECKING:
    from grantstats.computing.results import Figures
    from grantstats.reading.loader import Workbook

#: Seconds one notebook cell may run before the report is given up.
CELL_TIMEOUT = 300
REMOVED_TAGS = {"parameters", "injected-parameters", "injected-reset", "notes"}


def inject_parameters(nb: Any, parameters: dict[str, Any]) -> Any:
    """A copy of ``nb`` with a cell tagged ``injected-parameters`` after ``parameters``."""
    import nbformat

    nb = nbformat.from_dict(nb)
    lines = [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.id = "injected-parameters"
    cell.metadata["tags"] = ["injected-parameters"]
    at = next((i + 1 for i, c in enumerate(nb.cells)
               if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    nb.cells.insert(at, cell)
    return nb


#: What a kernel imports as soon as it starts, before the first notebook asks for it.
WARM_UP = "import grantstats.commands.handoff, grantstats.computing.results, " \
          "grantstats.rendering.sections"
#: The code that makes a shared kernel forget the previous notebook: every name it
#: defined (``_private`` ones too, which ``%reset -s`` keeps), its inputs (``In``, where
#: its parameters are) and its outputs; modules stay imported.
RESET = "get_ipython().reset(new_session=True)"
#: Seconds that stopping a run (Ctrl-C) waits for what is left on an event loop.
SETTLE_SECONDS = 5.0


class Kernel:
    """One Python kernel for a run of reports: started once, reset between notebooks.

    The kernel is started (and told to import grantstats) as soon as the session opens,
    so it boots while this process reads the workbook; several reports then share it.
    It keeps no output history (``cache_size=0``), so forgetting a notebook's variables
    is all a reset needs: no full garbage collection between reports.

    The kernel runs in a process group of its own (jupyter_client's doing), so a Ctrl-C
    in the terminal reaches this process only; :meth:`close` shuts it down, and
    :meth:`kill` ends it at once from any thread. Its connection file is written in
    ``workdir``, which the caller removes.
    """

    def __init__(self, workdir: Path, registry: list[Kernel] | None = None) -> None:
        # nbclient drives the kernel asynchronously (that is what makes its per-cell
        # timeout work), so the manager and client are the async ones, run on the loop
        # jupyter_core keeps for this thread.
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import ensure_event_loop

        self.loop = ensure_event_loop()
        _track_tasks(self.loop)
        self.km = AsyncKernelManager(
            kernel_name="python3",
            connection_file=str(workdir / f"kernel-{os.getpid()}-{id(self):x}.json"))
        self.kc: Any = None
        self.used = self.closed = False
        if registry is not None:
            registry.append(self)
        try:
            complete(self.loop, self.km.start_kernel(
                stderr=subprocess.DEVNULL, cwd=str(workdir),
                extra_arguments=["--InteractiveShell.cache_size=0"]))
            self.kc = self.km.client()
            # no heartbeat: the client asks its manager whether the kernel lives (the
            # process), and a heartbeat thread still starting while a killed kernel's
            # client is closed fails in the background ("Too many open files")
            self.kc.start_channels(hb=False)
            self.kc.execute(WARM_UP, silent=True, store_history=False)
        except BaseException:
            self.close()
            raise

    def prepare(self, nb: Any) -> Any:
        """``nb``, first made to forget the previous notebook (imports stay)."""
        if self.used:
            import nbformat

            cell = nbformat.v4.new_code_cell(RESET)
            cell.id = "injected-reset"
            cell.metadata["tags"] = ["injected-reset"]
            nb.cells.insert(0, cell)
        self.used = True
        return nb

    def _process(self) -> subprocess.Popen[Any] | None:
        return getattr(getattr(self.km, "provisioner", None), "process", None)

    def kill(self) -> None:
        """End the kernel now, with whatever it started; safe from any thread and in any
        state (the thread running it then sees a dead kernel)."""
        process = self._process()
        if process is not None and not self.closed:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)

    def close(self) -> None:
        """Shut the kernel down; whatever that leaves is killed, and its file removed."""
        process = self._process()
        try:  # a kernel that is dead already need not shut down cleanly
            with contextlib.suppress(Exception):
                if self.kc is not None:
                    self.kc.stop_channels()
            with contextlib.suppress(Exception):
                if self.km.has_kernel:
                    complete(self.loop, self.km.shutdown_kernel(now=True))
        finally:
            self.closed = True
            if process is not None:
                _end_group(process)
            with contextlib.suppress(Exception):
                self.km.cleanup_connection_file()

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def complete(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    """Run ``coro`` on ``loop`` to its end and return its result.

    Whatever stops it (Ctrl-C, which arrives here as KeyboardInterrupt, or an error)
    goes on only once the tasks left on the loop are cancelled and have unwound, so
    that no task outlives the run and none logs "Task exception was never retrieved".
    """
    task = loop.create_task(coro)
    try:
        return loop.run_until_complete(task)
    except BaseException:
        _settle(loop)
        raise


def _track_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Keep a weak set of the tasks made on ``loop`` (for :func:`_settle`)."""
    if hasattr(loop, "_grantstats_tasks"):
        return
    tasks: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()

    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        tasks.add(task)
        return task

    loop.set_task_factory(factory)
    loop._grantstats_tasks = tasks  # type: ignore[attr-defined]


def _settle(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel every task left on ``loop``, let them unwind, and take their exceptions."""
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        with contextlib.suppress(BaseException):
            loop.run_until_complete(asyncio.wait(pending, timeout=SETTLE_SECONDS))
    for task in [*pending, *getattr(loop, "_grantstats_tasks", ())]:
        if task.done() and not task.cancelled():
            task.exception()  # taken: asyncio logs nothing when the task is collected


@functools.cache
def _client_class() -> type:
    """nbclient's NotebookClient on a kernel of ours.

    Its setup starts no kernel and adds no signal handlers: nbclient's own handlers
    would shut the kernel down on Ctrl-C or SIGTERM and report a dead kernel instead
    of the interrupt (and afterwards leave SIGTERM at its default).
    """
    from nbclient import NotebookClient

    class OurKernelClient(NotebookClient):
        @contextlib.asynccontextmanager
        async def async_setup_kernel(self, **kwargs: Any) -> AsyncIterator[None]:
            yield

    return OurKernelClient


def execute(nb: Any, kernel: Kernel, on_cell: Callable[[int, int], None] | None = None,
            timeout: int = CELL_TIMEOUT) -> Any:
    """Run every cell of ``nb`` in ``kernel``; raise ReportError naming the cell.

    A KeyboardInterrupt (Ctrl-C, or SIGTERM as the command turns it into one) stops the
    notebook and is raised as it is, not as a dead kernel.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = kernel.prepare(nb)
    current = {"index": 0}
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                  and "injected-reset" not in c.metadata.get("tags", [])]

    def started(cell: Any, cell_index: int, **_: Any) -> None:
        current["index"] = cell_index
        if on_cell and cell_index in code_cells:
            on_cell(code_cells.index(cell_index) + 1, len(code_cells))

    client = _client_class()(nb, km=kernel.km, timeout=timeout, on_cell_start=started)
    client.kc = kernel.kc
    name = report_notebook().name
    try:
        complete(kernel.loop, client.async_execute())
    except CellTimeoutError:
        raise ReportError("cli.notebook_timeout", cell=current["index"] + 1, notebook=name,
                          seconds=timeout) from None
    except CellExecutionError as exc:
        raise ReportError("cli.notebook_failed", cell=current["index"] + 1, notebook=name,
                          error=f"{exc.ename}: {exc.evalue}") from None
    except DeadKernelError as exc:
        raise ReportError("cli.notebook_failed", cell=current["index"] + 1, notebook=name,
                          error=f"DeadKernelError: {exc}") from None
    return nb


def export_body(nb: Any) -> str:
    """The executed notebook as HTML: outputs only, no code, prompts or parameter cells
    (and no empty box for a code cell that shows nothing, such as the one that loads)."""
    import nbformat

    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells
                if not REMOVED_TAGS & set(c.get("metadata", {}).get("tags", []))]
    for cell in nb.cells:
        if cell.cell_type == "code":  # warnings and prints are for the terminal, not the page
            cell.outputs = [o for o in cell.outputs
                            if o.output_type in ("display_data", "execute_result")]
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.outputs]
    body, _ = _exporter().from_notebook_node(nb)
    return str(body)


@functools.cache
def _exporter() -> Any:
    """One HTML exporter per process: loading its templates is the slow part."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", exclude_input=True,
                        exclude_input_prompt=True, exclude_output_prompt=True)


def _parameters(wb: Workbook, project_id: str | None, lang: str,
                suppress_below: int | None) -> dict[str, Any]:
    return {"workbook": str(wb.path.resolve()), "sha256": wb.sha256, "project_id": project_id,
            "lang": lang, "suppress_below": suppress_below}


def run_notebook(
    wb: Workbook, kernel: Kernel, *, project_id: str | None, lang: str,
    suppress_below: int | None, on_cell: Callable[[int, int], None] | None = None,
    timeout: int = CELL_TIMEOUT, loaded: Path | None = None,
) -> Any:
    """The report notebook executed on ``wb`` in ``kernel``.

    ``loaded``: the file :func:`grantstats.commands.handoff.send` wrote ``wb`` and its
    figures to; the notebook then takes them from there. Without it the kernel reads
    the workbook itself, from its path (and only if it still has the same content).
    """
    import nbformat

    nb = nbformat.read(report_notebook(), as_version=4)
    parameters = _parameters(wb, project_id, lang, suppress_below)
    if loaded is not None:
        parameters["loaded"] = str(loaded)
    nb = inject_parameters(nb, parameters)
    return execute(nb, kernel, on_cell, timeout)


def build_html(nb: Any, *, title: str, lang: str, footer: str,
               data: dict[str, Any] | None = None, after_title: str = "",
               appendix: str = "", author: str = "", subject: str = "") -> str:
    """The complete HTML document of an executed report notebook (``title``: the page's
    title, plain text; ``footer``: the provenance sentences; ``data``: what it embeds,
    see :func:`embedded_data`; ``after_title``: an HTML section placed right after the
    title block; ``appendix``: an HTML section placed last in the page's main part;
    ``author`` and ``subject``: the page's and the PDF's metadata, see :func:`_about`)."""
    body = export_body(nb) + (f"\n{appendix}" if appendix else "")
    end = body.find("</header>")
    if after_title and end >= 0:  # after the title block, not inside it
        at = end + len("</header>")
        body, after_title = f"{body[:at]}\n{after_title}\n{body[at:]}", ""
    return page(body, title=title, lang=lang, footer=html.escape(footer),
                data=data_block(data) if data is not None else "", after_title=after_title,
                author=author, subject=subject)


def _about(wb: Workbook, project_id: str | None, lang: str) -> tuple[str, str]:
    """The report's author (the units, ``enhet``, of the projects it covers) and subject
    (their names), for the page's and the PDF's metadata."""
    projects = wb.tables["projects"]
    if project_id is not None:
        projects = projects[projects["project_id"] == project_id]

    def distinct(column: str) -> list[str]:
        if column not in projects:
            return []
        values = [str(v).strip() for v in projects[column] if isinstance(v, str)]
        return list(dict.fromkeys(v for v in values if v))

    names = distinct("name") or [str(p) for p in projects["project_id"]]
    return ", ".join(distinct("unit")), text("report.subject", lang, projects="; ".join(names))


def report_name(stem: str, project_id: str | None, now: dt.datetime, lang: str = "sv", *,
                prefix: str | None = None) -> str:
    """``slutrapport-<workbook stem>-<project|alla>-<date-time>`` (``final-report-…``
    in English): what the report is about, and when it was made. ``prefix``: another
    document of the same run's naming rule (the committee statement's)."""
    return f"{name_start(stem, project_id, lang, prefix=prefix)}-{now:%Y%m%d-%H%M%S}"


def name_start(stem: str, project_id: str | None, lang: str = "sv", *,
               prefix: str | None = None) -> str:
    """What :func:`report_name` gives before the date-time (to find earlier reports)."""
    def safe(part: str) -> str:
        return re.sub(r"[^\w.-]+", "_", part).strip("._") or "_"

    pid = safe(project_id) if project_id else text("report.file_all", lang)
    return f"{prefix or text('report.file_prefix', lang)}-{safe(stem)}-{pid}"


def workbook_stems(paths: Sequence[Path], shas: Sequence[str]) -> list[str]:
    """The stem each workbook's reports are named by: its file's stem, or, when two
    different workbooks of one run share it, the stem and the start of the SHA-256."""
    stems = [p.stem for p in paths]
    return [f"{stem}-{sha[:8]}"
            if any(s == stem and h != sha for s, h in zip(stems, shas, strict=True))
            else stem for stem, sha in zip(stems, shas, strict=True)]


ALL = "all"


def make_report(
    workbook: str | os.PathLike[str], *, project_id: str | None = None, lang: str = "sv",
    suppress_below: int | None = 3, out_dir: str | os.PathLike[str] = "reports",
    pdf: bool = False, progress: Callable[[str], None] | None = None,
    timeout: int = CELL_TIMEOUT, now: dt.datetime | None = None,
    on_written: Callable[[Path], None] | None = None, as_of: dt.date | None = None,
    since: str | os.PathLike[str] | None = None,
) -> ReportFiles:
    """Check ``workbook``, run the report and write HTML + the form's Excel sheet (+ PDF).

    A workbook with problems raises :class:`~grantstats.errors.WorkbookError` before
    anything runs; a failing notebook raises :class:`ReportError` and leaves no file.
    Existing files are never overwritten: a taken name gets a ``-2`` suffix.
    """
    return make_reports([workbook], project_id=project_id, lang=lang,
                        suppress_below=suppress_below, out_dir=out_dir, pdf=pdf,
                        progress=progress, timeout=timeout, now=now, on_written=on_written,
                        as_of=as_of, since=since)[0]


def _cell_progress(failed: threading.Event, say: Callable[[str], None], label: str,
                   cell: int, cells: int) -> None:
    """Progress of one report's notebook, unless another lane has failed."""
    if not failed.is_set():
        say(f"{label} ({cell}/{cells})")


def make_reports(
    workbooks: Sequence[str | os.PathLike[str]], *, project_id: str | None = None,
    separate: bool = False, lang: str = "sv", suppress_below: int | None = 3,
    out_dir: str | os.PathLike[str] = "reports", pdf: bool = False,
    progress: Callable[[str], None] | None = None, timeout: int = CELL_TIMEOUT,
    now: dt.datetime | None = None, on_written: Callable[[Path], None] | None = None,
    as_of: dt.date | None = None,
    since: str | os.PathLike[str] | None = None,
) -> list[ReportFiles]:
    """Reports for several workbooks (and, with ``separate``, one per project) in one kernel.

    ``project_id`` ``"all"`` (or None) covers every project; ``out_dir`` and every
    workbook are checked before any notebook runs. Each workbook is read once, here:
    the kernel gets it and its figures through a private file (see
    :mod:`grantstats.commands.handoff`). ``on_written`` is told each file once it is
    complete (from another thread), so that a caller stopped by Ctrl-C (a
    KeyboardInterrupt, raised as it is once the kernels are shut down and the temporary
    files removed) can say what is written.

    ``since``: an earlier report or workbook, or ``"latest"`` (the most recent earlier
    report of the same workbook name and project in ``out_dir``); each report then gets
    a section of the changes since (see :mod:`grantstats.commands.since`). Without it,
    the footer names that most recent earlier report, if there is one.
    """
    say = progress or (lambda _step: None)
    wrote = on_written or (lambda _path: None)
    steps = {step: text(f"report.step_{step}", lang) for step in ("load", "run", "pdf")}
    now = now or dt.datetime.now().astimezone()
    check_out_dir(out_dir)
    kernels: list[Kernel] = []
    with tempfile.TemporaryDirectory(prefix="grantstats-") as tmp, \
            Kernel(Path(tmp), kernels) as k:
        # the kernel boots while this process imports pandas, reads the workbooks and
        # (in a thread) imports nbconvert for the export
        workdir = Path(tmp)
        _skip_iri_grammar()
        threading.Thread(target=_import_exporter, daemon=True).start()
        from grantstats.reading.loader import load

        say(steps["load"])
        jobs: list[tuple[Workbook, str | None]] = []
        for path in workbooks:
            wb = load(path)
            known = list(wb.tables["projects"]["project_id"])
            if project_id not in (None, ALL) and project_id not in known:
                raise ReportError("cli.project_unknown", project=project_id,
                                  known=", ".join(known))
            if separate:
                ids = known if project_id in (None, ALL) else [project_id]
                jobs += [(wb, pid) for pid in ids]
            else:
                jobs.append((wb, None if project_id == ALL else project_id))
        from grantstats.commands import since as earlier

        found = earlier.earlier_reports(Path(out_dir))
        given = earlier.load_previous(Path(since), lang, suppress_below) \
            if since is not None and str(since) != earlier.LATEST else None
        asked = None if since is None else str(since)
        previous = [earlier.resolve(asked, wb, pid, given, found, now, lang, Path(out_dir))
                    for wb, pid in jobs]
        stems = dict(zip((id(wb) for wb, _ in jobs), workbook_stems(
            [wb.path for wb, _ in jobs], [wb.sha256 for wb, _ in jobs]), strict=True))
        summaries: dict[int, dict[str, Any]] = {}
        # One thread computes each report's figures and hands them over, then what its
        # files need from this process (while the kernel runs the notebook), and another
        # exports and writes each finished one. A long batch gets a second kernel on a
        # second core: each takes every other report, and a failure in one (or in a
        # write) stops both after their current notebook.
        lanes = 2 if len(jobs) >= LANE_MIN_REPORTS and (os.cpu_count() or 1) >= 2 else 1
        failed = threading.Event()
        preparer, finisher, second_lane = (ThreadPoolExecutor(max_workers=1) for _ in range(3))
        try:
            handed: list[Future[tuple[Figures, Path]]] = []
            prepared: list[Future[Prepared]] = []
            for n, (wb, pid) in enumerate(jobs):
                handed.append(preparer.submit(_hand_off, wb, pid, workdir / f"report-{n}.pickle",
                                              as_of))
                prepared.append(preparer.submit(_prepare, wb, handed[n], pid, lang,
                                                suppress_below, now, previous[n], summaries))
            pending: dict[int, Future[ReportFiles]] = {}

            def stop_if_failed(future: Future[ReportFiles]) -> None:
                if not future.cancelled() and future.exception() is not None:
                    failed.set()

            def lane(kernel: Kernel, numbers: range) -> ReportError | None:
                try:
                    for n in numbers:
                        if failed.is_set():
                            return None
                        wb, pid = jobs[n]
                        label = steps["run"] + (f" {n + 1}/{len(jobs)}" if len(jobs) > 1
                                                else "")
                        say(label)
                        try:
                            nb = run_notebook(wb, kernel, project_id=pid, lang=lang,
                                              suppress_below=suppress_below, timeout=timeout,
                                              loaded=handed[n].result()[1],
                                              on_cell=functools.partial(
                                                  _cell_progress, failed, say, label))
                        except ReportError as exc:
                            failed.set()
                            return exc
                        if failed.is_set():  # the other lane failed meanwhile: write no more
                            return None
                        pending[n] = finisher.submit(_finish, wb, nb, prepared[n],
                                                     stems[id(wb)], pid, lang, suppress_below,
                                                     out_dir, now, wrote)
                        pending[n].add_done_callback(stop_if_failed)
                except BaseException:  # whatever stops one lane stops the other
                    failed.set()
                    raise
                return None

            def own_kernel_lane(numbers: range) -> ReportError | None:
                from jupyter_core.utils import ensure_event_loop

                try:
                    with Kernel(workdir, kernels) as kernel:
                        return lane(kernel, numbers)
                finally:
                    ensure_event_loop().close()  # the loop jupyter_core made for this thread

            other = second_lane.submit(own_kernel_lane, range(1, len(jobs), 2)) \
                if lanes == 2 else None
            errors = [lane(k, range(0, len(jobs), lanes)), other.result() if other else None]
            results = []
            for n in sorted(pending):
                try:
                    results.append(pending[n].result())
                except ReportError as exc:  # a write failed: the notebooks' errors go first
                    errors.append(exc)
            error = next((e for e in errors if e is not None), None)
            if error is not None:
                error.written = results
                raise error
        except BaseException:
            # Ctrl-C or an error: the other kernel is ended now rather than after its
            # notebook, work not yet started is dropped, and what is being written is
            # finished (and told to on_written) before this goes on.
            failed.set()
            for kernel in kernels:
                if kernel is not k:
                    kernel.kill()
            raise
        finally:
            for pool in (preparer, finisher, second_lane):
                pool.shutdown(wait=True, cancel_futures=True)
    if pdf:
        say(steps["pdf"])
        results = [_with_pdf(r, wrote) for r in results]
    return results


#: Reports in one run from which a second kernel pays for its start (about a second).
LANE_MIN_REPORTS = 4


def check_out_dir(out_dir: str | os.PathLike[str]) -> None:
    """Raise ReportError (``cli.out_unusable``) unless ``out_dir`` is a folder that exists
    or can be made, and that a file can be written in. The check leaves nothing behind:
    folders it made are removed again (the first report makes them for good)."""
    folder = Path(out_dir)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    made: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
        fd, probe = tempfile.mkstemp(prefix=".grantstats-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ReportError("cli.out_unusable", path=str(folder),
                          error=exc.strerror or type(exc).__name__) from None
    finally:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()


def write_failed(path: Path, exc: OSError) -> ReportError:
    """The ReportError of a file that could not be written: the disk is full, or another
    reason. (What was written of it is gone: see :func:`grantstats.files.write_new`.)"""
    if full_disk(exc):
        return ReportError("cli.disk_full", path=str(path))
    return ReportError("cli.write_failed", path=str(path),
                       error=exc.strerror or type(exc).__name__)


def _import_exporter() -> None:
    import nbclient  # noqa: F401
    import nbconvert  # noqa: F401


def _skip_iri_grammar() -> None:
    """Keep jsonschema from building the IRI grammar of rfc3987-syntax when nbformat loads.

    jsonschema imports that optional package (installed with jupyterlab) for its "iri"
    format check, and building its grammar takes most of a second; the notebook schema
    never uses that format. Only this process is affected, and only if it has not
    imported the package yet.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _hand_off(wb: Workbook, project_id: str | None, path: Path,
              as_of: dt.date | None = None) -> tuple[Figures, Path]:
    """The report's figures, computed and written with ``wb`` to ``path`` for the kernel."""
    from grantstats.commands.handoff import send
    from grantstats.computing.results import Figures

    figures = Figures.of(wb, project_id, as_of=as_of)
    try:
        return figures, send(path, wb, figures)
    except OSError as exc:  # the temporary folder's disk is full, most likely
        raise write_failed(path, exc) from None


@dataclass(frozen=True)
class Prepared:
    """What a report's files need from this process, computed while its notebook runs:
    its title, the form's tables, the data it embeds, its footer (where the figures come
    from, and the predecessor it is compared with), the appendix on how it was made and
    the section of changes since its predecessor (HTML, or "")."""

    title: str
    forms: dict[str, Any]
    data: dict[str, Any]
    footer: str
    appendix: str
    since: str = ""


def _prepare(wb: Workbook, handed: Future[tuple[Figures, Path]], project_id: str | None,
             lang: str, suppress_below: int | None, now: dt.datetime,
             previous: tuple[Any, Any] = (None, None),
             summaries: dict[int, dict[str, Any]] | None = None) -> Prepared:
    """What a report's files need from this process (see :class:`Prepared`); nothing is
    written yet. ``previous``: (the report or workbook to compare with, the earlier
    report to name in the footer), see :func:`grantstats.commands.since.resolve`;
    ``summaries``: the summary documents computed so far, by ``id`` of the workbook."""
    from grantstats.commands import since
    from grantstats.rendering.sections import Report
    from grantstats.rendering.summary import summary_document

    figures = handed.result()[0]
    report = Report(wb, project_id, lang, suppress_below, figures=figures)
    summaries = {} if summaries is None else summaries
    if id(wb) not in summaries:
        summaries[id(wb)] = summary_document(wb, figures if project_id is None else None)
    data = embedded_data(wb, summaries[id(wb)], project_id=project_id, lang=lang,
                         suppress_below=suppress_below, now=now)
    compared, named = previous
    footer = (report.provenance(now) + text("report.made_with", lang, version=__version__)
              + since.footer_sentence(named, lang))
    return Prepared(report.heading_text(), report.forms(), data, footer, report.about(),
                    since.section(compared, data, wb.tables, lang) if compared else "")


def _finish(wb: Workbook, nb: Any, prepared: Future[Prepared], stem: str,
            project_id: str | None, lang: str, suppress_below: int | None,
            out_dir: str | os.PathLike[str], now: dt.datetime,
            wrote: Callable[[Path], None]) -> ReportFiles:
    """The HTML and, next to it, the form's budget table as .xlsx and as a Word table
    (.docx); nothing overwritten.

    All are written or none: if the .xlsx or the .docx cannot be, the new files are
    removed and a ReportError names the file that failed.
    """
    from grantstats.rendering.form import write_budget_forms
    from grantstats.rendering.form_docx import budget_form_document

    done = prepared.result()
    author, subject = _about(wb, project_id, lang)
    document = build_html(nb, title=done.title, lang=lang, footer=done.footer, data=done.data,
                          after_title=done.since, appendix=done.appendix, author=author,
                          subject=subject)
    target = free_name(Path(out_dir) / f"{report_name(stem, project_id, now, lang)}.html")
    try:
        html_path = write_new(target, lambda tmp: tmp.write_text(document, encoding="utf-8"))
    except OSError as exc:
        raise write_failed(target, exc) from None
    made: list[Path] = [html_path]
    xlsx_target = free_name(html_path.with_suffix(".xlsx"))
    docx_target = xlsx_target.with_suffix(".docx")
    try:
        xlsx_path = write_budget_forms(done.forms, xlsx_target, lang)
        made.append(xlsx_path)
        docx_target = free_name(xlsx_path.with_suffix(".docx"))
        form_doc, _ = budget_form_document(done.forms, lang, made=now)
        docx_path = write_new(docx_target, lambda tmp: form_doc.save(str(tmp)))
    except BaseException as exc:
        for path in made:  # ours, just made: no report without its form
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_failed(docx_target if len(made) > 1 else xlsx_target, exc) from None
        raise
    wrote(html_path)
    wrote(xlsx_path)
    wrote(docx_path)
    return ReportFiles(html_path, xlsx_path, docx=docx_path)


def _with_pdf(files: ReportFiles, wrote: Callable[[Path], None]) -> ReportFiles:
    """``files`` with the PDF of their HTML (see :mod:`grantstats.commands.pdf`), or with
    the reason there is none."""
    from grantstats.commands.pdf import print_pdf

    target = free_name(files.html.with_suffix(".pdf"))
    try:
        pdf_path = print_pdf(files.html, target)
    except ReportError as exc:  # the HTML stands; say why there is no PDF
        return dataclasses.replace(files, pdf=None, pdf_error=exc)
    except OSError as exc:
        return dataclasses.replace(files, pdf=None, pdf_error=write_failed(target, exc))
    wrote(pdf_path)
    return dataclasses.replace(files, pdf=pdf_path)


def _end_group(process: subprocess.Popen[Any]) -> None:
    """Kill ``process`` and its process group (it leads one of its own) and reap it."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=SETTLE_SECONDS)
