"""Workbooks one by one or a folder at a time: check or summarise each, and roll them up.

Excel's and LibreOffice's lock files (``~$name.xlsx``, ``.~lock.name#``) and hidden
files are skipped. Each workbook is read and summarised in a sandbox child
(:mod:`grantstats.reading.sandbox`), as many at a time as there are cores; what comes
back is small (counts, problems, the summary document), so the caller never holds the
tables and the cost is the reading itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grantstats.contract import CATEGORY_KEYS
from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.reading import sandbox

#: What the sandbox's children run for a folder (imported once by its fork server).
CHILD_MODULES = ("grantstats.commands.batch", "grantstats.rendering.summary")
SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods", ".xls"})
LOCK_PREFIXES = ("~$", ".~lock.")
AMOUNT_KEYS = ("applied", "granted", "requisitioned", "spent", "holdback_outstanding",
               "remaining_to_requisition", "unspent_requisitioned", "other_financing",
               "paid_out", "final_payment_due", "to_repay", "allowed_before_final_report")


@dataclass(frozen=True)
class Outcome:
    """What reading one workbook of a folder gave."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()
    unreadable: bool = False
    summary: dict[str, Any] | None = None
    #: the ids of the workbook's projects, in its order
    project_ids: tuple[str, ...] = ()
    #: what the grant's rules find (``warning.<code>``, severity ``warning``, the project
    #: under ``params["project"]``): shown, but the workbook is still usable
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_problems(self) -> None:
        """Raise the problems as :func:`grantstats.load` would have raised them."""
        if self.problems:
            cls = UnreadableWorkbook if self.unreadable else WorkbookError
            raise cls.of_problems(self.problems, str(self.path))


def workbooks_in(folder: str | os.PathLike[str]) -> list[Path]:
    """The workbooks directly in ``folder``, by name, without lock and hidden files."""
    return sorted(
        p for p in Path(folder).iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES
        and not p.name.startswith(LOCK_PREFIXES) and not p.name.startswith(".")
    )


def read_one(path: Path, with_summary: bool = False, as_of: Any = None,
             lang: str = "sv") -> Outcome:
    """Load one workbook, here; problems become part of the outcome, not an exception.

    The grant's rules are checked ``as_of`` that date (None: the workbook's latest date);
    their warnings and the summary's messages are in ``lang``.
    """
    from grantstats.computing.results import Figures, warnings_of
    from grantstats.reading.loader import load
    from grantstats.rendering.summary import warning_params

    try:
        wb = load(path)
    except UnreadableWorkbook as exc:
        return Outcome(path, problems=tuple(exc.problems), unreadable=True)
    except WorkbookError as exc:
        return Outcome(path, problems=tuple(exc.problems))
    summary = None
    if with_summary:
        from grantstats.rendering.summary import summary_document

        figures = Figures.of(wb, as_of=as_of)
        summary = summary_document(wb, figures, lang=lang)
        found = figures.warnings
    else:  # a check prints the warnings only: the other figures are not computed
        found = warnings_of(wb, as_of=as_of)
    warnings = tuple(
        Problem(f"warning.{code}", params={"project": pid, **warning_params(params, lang)},
                severity="warning")
        for pid, code, params in zip(found["project_id"], found["code"], found["params"],
                                     strict=True))
    return Outcome(path, counts=wb.counts(), notes=wb.notes, summary=summary,
                   warnings=warnings,
                   project_ids=tuple(str(p) for p in wb.projects["project_id"]))


def outcome_of(path: Path, with_summary: bool = False, as_of: Any = None,
               lang: str = "sv") -> Outcome:
    """:func:`read_one` in a sandbox child; a child that died is the file's problem."""
    try:
        size = path.stat().st_size
    except OSError:
        size = None  # read_one says what is wrong with it
    try:
        return sandbox.call(read_one, path, with_summary, as_of, lang,
                            limits=sandbox.Limits.default(size))
    except sandbox.ChildDied as died:
        from grantstats.reading.loader import died_reading

        return Outcome(path, problems=tuple(died_reading(died, path).problems),
                       unreadable=True)


def read_many(
    paths: list[Path], *, jobs: int | None = None, with_summary: bool = False,
    progress: Callable[[int, int, Path], None] | None = None, as_of: Any = None,
    lang: str = "sv",
) -> list[Outcome]:
    """Every workbook of ``paths``, ``jobs`` at a time (default: one per core), in order;
    the grant's rules of each as of ``as_of`` (None: each workbook's latest date), their
    warnings and the summaries' messages in ``lang``."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    results = []
    for n, outcome in enumerate(_run(paths, jobs, with_summary, as_of, lang), start=1):
        results.append(outcome)
        if progress:
            progress(n, len(paths), outcome.path)
    return results


def _run(paths: list[Path], jobs: int, with_summary: bool, as_of: Any,
         lang: str) -> Iterator[Outcome]:
    """The outcomes in order: each workbook in its own sandbox child, ``jobs`` children
    at a time (threads only wait for them)."""
    if len(paths) > 1:  # one fork server for them all, not one fresh interpreter each
        sandbox.warm(*CHILD_MODULES)
    if jobs == 1 or len(paths) < 2:
        yield from (outcome_of(p, with_summary, as_of, lang) for p in paths)
        return
    with ThreadPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        futures = [pool.submit(outcome_of, p, with_summary, as_of, lang) for p in paths]
        try:
            for future in futures:
                yield future.result()
        except BaseException:  # an interrupt: nothing more starts, what runs is stopped
            for future in futures:
                future.cancel()
            sandbox.stop_all()
            raise


def duplicates(outcomes: list[Outcome]) -> list[Problem]:
    """A problem for each project id that more than one workbook holds, naming the first
    two (in the order of ``outcomes``): the roll-up counts it once, from the first."""
    first: dict[str, Path] = {}
    problems: dict[str, Problem] = {}
    for outcome in outcomes:
        for pid in dict.fromkeys(outcome.project_ids):
            if pid not in first:
                first[pid] = outcome.path
            elif pid not in problems:
                problems[pid] = Problem("cli.project_in_two", params={
                    "project": pid, "first": first[pid].name, "second": outcome.path.name})
    return list(problems.values())


def rollup(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals across the summary documents of many workbooks; a project in more than
    one of them (the same project id) is counted once, from the first."""
    seen: set[str] = set()
    projects = []
    for doc in documents:
        for p in doc["projects"]:
            if p["project_id"] not in seen:
                seen.add(p["project_id"])
                projects.append(p)
    totals: dict[str, Any] = {"workbooks": len(documents), "projects": len(projects)}
    for key in AMOUNT_KEYS:
        totals[key] = float(sum(p[key] for p in projects))
    totals["utilisation"] = (totals["spent"] / totals["granted"]) if totals["granted"] else None
    totals["costs_by_category"] = {
        k: float(sum(p["costs_by_category"][k] for p in projects)) for k in CATEGORY_KEYS
    }
    ages: dict[str, int] = {}
    sources: dict[str, int] = {}
    for p in projects:
        for k, v in p["referrals"]["by_age_group"].items():
            ages[k] = ages.get(k, 0) + v
        for k, v in p["referrals"]["by_source"].items():
            sources[k] = sources.get(k, 0) + v
    totals["referrals"] = {"total": sum(p["referrals"]["total"] for p in projects),
                           "by_age_group": ages, "by_source": dict(sorted(sources.items()))}
    return totals


def folder_document(folder: Path, outcomes: list[Outcome], lang: str = "sv") -> dict[str, Any]:
    """``grantstats summary DIR --format json``: each workbook's projects, the workbooks
    that failed (with their problems as lines), the projects found in more than one
    workbook (``duplicates``: each id with the workbooks that hold it, the first of
    which the roll-up counts), and the roll-up across the others."""
    from grantstats.version import __version__

    docs = [o.summary for o in outcomes if o.summary is not None]
    holders: dict[str, list[str]] = {}
    for o in outcomes:
        for pid in dict.fromkeys(o.project_ids):
            holders.setdefault(pid, []).append(str(o.path))
    return {
        "grantstats_version": __version__, "folder": str(folder),
        "workbooks": [{"workbook": d["workbook"], "projects": d["projects"]} for d in docs],
        "failed": [{"path": str(o.path), "problems": [p.format(lang) for p in o.problems]}
                   for o in outcomes if not o.ok],
        "duplicates": [{"project_id": pid, "paths": paths}
                       for pid, paths in holders.items() if len(paths) > 1],
        "rollup": rollup(docs),
    }
