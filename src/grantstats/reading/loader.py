"""Load a workbook into typed tables, checking every rule of the contract.

``load(path)`` returns a :class:`Workbook`: one DataFrame per sheet of the contract
(amounts in kronor as floats, dates as datetimes, categories as their keys), each row
carrying the ``sheet`` and Excel ``row`` it came from. Every problem of the file is
collected first and raised once, as a :class:`~grantstats.errors.WorkbookError`.

This module runs the load: the file read once and checked (:mod:`~grantstats.reading.sniff`),
the cache, the sandbox child, the raw cells (:mod:`~grantstats.reading.cells`). The
rooms it calls:

* :mod:`~grantstats.reading.sheets`: one sheet read cell by cell into a typed table;
* :mod:`~grantstats.reading.columns`: a large sheet read as typed columns, the same table;
* :mod:`~grantstats.reading.checks`: the checks across sheets (project ids, example rows,
  identity numbers);
* :mod:`~grantstats.reading.collector`: the problems gathered on the way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from grantstats.contract import DEFAULT_AGE_BANDS, SHEETS, AgeBand, Sheet
from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.reading import cache as parsed_cache
from grantstats.reading import identity, sandbox, values
from grantstats.reading.cells import (
    PartEncoding,
    RawWorkbook,
    calamine_sheet,
    read_workbook,
)
from grantstats.reading.checks import check_examples, check_projects, scan_personal_data
from grantstats.reading.collector import Collector
from grantstats.reading.columns import fast_table
from grantstats.reading.sheets import SHEET_LOOKUP, read_table, table_frame
from grantstats.reading.sniff import read_checked, unreadable
from grantstats.texts import Detail, explain


@dataclass(frozen=True)
class Workbook:
    """A loaded, checked workbook: typed tables keyed by sheet (``projects``, ``costs``…)."""

    path: Path
    sha256: str
    tables: dict[str, pd.DataFrame]
    notes: tuple[Problem, ...] = ()
    sheet_names: dict[str, str] = field(default_factory=dict)
    age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS

    def __repr__(self) -> str:
        rows = ", ".join(f"{key} {n}" for key, n in self.counts().items())
        notes = f", {len(self.notes)} notes" if self.notes else ""
        return f"<Workbook {self.path.name} sha256={self.sha256[:12]}…: {rows}{notes}>"

    def counts(self) -> dict[str, int]:
        """Data rows per sheet of the contract."""
        return {key: len(df) for key, df in self.tables.items()}

    # One property per sheet of the contract, so that they complete and type-check.
    @property
    def projects(self) -> pd.DataFrame:
        """The ``projekt`` sheet: one row per project."""
        return self.tables["projects"]

    @property
    def grants(self) -> pd.DataFrame:
        """The ``beslut`` sheet: the funder's decisions, amounts in kronor."""
        return self.tables["grants"]

    @property
    def budget(self) -> pd.DataFrame:
        """The ``budget`` sheet: the applied budget by cost category."""
        return self.tables["budget"]

    @property
    def costs(self) -> pd.DataFrame:
        """The ``kostnader`` sheet: what was spent, by date and category."""
        return self.tables["costs"]

    @property
    def requisitions(self) -> pd.DataFrame:
        """The ``rekvisitioner`` sheet: the money requisitioned from the funder."""
        return self.tables["requisitions"]

    @property
    def referrals(self) -> pd.DataFrame:
        """The ``anmälningar`` sheet: referrals to social services, by age group."""
        return self.tables["referrals"]

    @property
    def financing(self) -> pd.DataFrame:
        """The ``finansiering`` sheet: other financing of the projects."""
        return self.tables["financing"]


def empty_table(sheet: Sheet) -> pd.DataFrame:
    """A table of ``sheet`` with no rows, with the columns and dtypes a loaded one has."""
    return table_frame(sheet, {c.key: [] for c in sheet.columns}, [], "", DEFAULT_AGE_BANDS)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load(
    path: str | os.PathLike[str], *, age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS,
    sha256: str | None = None, cache: bool = True,
) -> Workbook:
    """Read and check ``path``; raise :class:`WorkbookError` listing every problem.

    ``sha256``: the content the caller expects (a report's kernel must read the very
    file its footer names); any other content is refused. ``cache``: reuse the tables
    of an earlier load of the same content, and keep these (see :mod:`grantstats.reading.cache`;
    ``GRANTSTATS_CACHE=0`` also turns it off).
    """
    path = Path(path)
    kind, data = read_checked(path)  # read once: all that follows uses these bytes
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and digest != sha256.lower():
        raise unreadable("file.changed", path)
    options = f"age_bands={age_bands!r}"
    if cache:
        hit = parsed_cache.lookup(digest, options)
        if isinstance(hit, Workbook):
            return replace(hit, path=path)
    size = len(data)
    try:
        wb = replace(_parse_in_sandbox(path, data, kind, age_bands), sha256=digest)
    except WorkbookError:
        if changed_since(path, digest):  # it may have been read while half written
            raise unreadable("file.changed", path) from None
        raise
    if cache:
        with contextlib.suppress(OSError):  # the cache never fails a load
            parsed_cache.store(digest, options, wb, size)
    return wb


def _parse_in_sandbox(path: Path, data: bytes, kind: str,
                      age_bands: tuple[AgeBand, ...]) -> Workbook:
    """:func:`parse` in a sandbox child; a child that died is the file's one problem.

    The tables come back as Arrow IPC (:func:`parse_for_parent`); in a sandbox child
    already (``grantstats check`` runs the whole command in one) the parse runs here and
    nothing is encoded."""
    if sandbox.inside():
        return parse(path, data, kind, age_bands)
    try:
        tables, rest = sandbox.call(parse_for_parent, path, data, kind, age_bands,
                                    limits=sandbox.Limits.default(len(data)))
    except sandbox.ChildDied as died:
        raise died_reading(died, path, kind) from None
    from grantstats.reading import handover

    return replace(rest, tables=handover.from_ipc(tables))


def parse_for_parent(path: Path, data: bytes, kind: str,
                     age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS,
                     ) -> tuple[bytes, Workbook]:
    """:func:`parse` as the sandbox child runs it for :func:`load`: the tables as Arrow
    IPC bytes (:mod:`grantstats.reading.handover`), and the rest of the workbook (path,
    notes, sheet names, age bands; no tables), which the sandbox pickles: it is small.
    A :class:`WorkbookError` or :class:`UnreadableWorkbook` goes back as it was raised."""
    from grantstats.reading import handover

    wb = parse(path, data, kind, age_bands)
    return handover.to_ipc(wb.tables), replace(wb, tables={})


def died_reading(died: sandbox.ChildDied, path: Path, kind: str | None = None
                 ) -> UnreadableWorkbook:
    """The one problem of a file whose reading child died: too large (memory, time) or
    damaged (a crash)."""
    if died.reason == "crash":
        code = "file.legacy_xls" if kind == "xls" else "file.damaged"
        return unreadable(code, path, detail=Detail("detail.crashed", died.detail))
    return unreadable("file.too_large", path, detail=Detail(f"detail.{died.reason}", ""))


def parse(path: Path, data: bytes, kind: str,
          age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS, fast: str | None = None,
          ) -> Workbook:
    """The checked workbook of ``data`` (the bytes of ``path``, of format ``kind``),
    without the cache or the sandbox: :func:`load` runs this in the sandbox.

    ``fast``: whether large sheets are read as typed columns (``"auto"``, the default,
    or ``GRANTSTATS_FAST``), every sheet that can be (``"always"``) or none
    (``"never"``): see :mod:`grantstats.reading.fast`. The answer is the same.
    """
    mode = fast or os.environ.get("GRANTSTATS_FAST", "").strip().lower() or "auto"
    raw = _read(path, data, kind, mode if mode in ("auto", "always", "never") else "auto")
    del data  # read: the file's bytes need not stay in memory while it is checked
    return _checked(path, raw, age_bands)


def changed_since(path: Path, digest: str) -> bool:
    """Whether ``path`` no longer holds the content with SHA-256 ``digest`` (or is gone),
    as when a load or a report's kernel failed on a file that was being saved."""
    try:
        return sha256_of(path) != digest
    except OSError:
        return True


def _fast_wanted(name: str) -> bool:
    """Whether the fast path may read a sheet of this name: one of the contract's (not
    referrals, whose ages are checked row by row)."""
    spec = SHEET_LOOKUP.get(values.normalize_name(name)[0])
    return spec is not None and spec.key != "referrals"


def _read(path: Path, data: bytes, kind: str, fast: str = "auto") -> RawWorkbook:
    """The raw cells, or the one problem that makes the file unusable."""
    try:
        raw = read_workbook(path, kind, data, fast, _fast_wanted)
    except PartEncoding as exc:
        if exc.sheet is None:
            raise unreadable("file.part_encoding", path, part=exc.part,
                             encoding=exc.encoding) from None
        raise unreadable("file.sheet_encoding", path, sheet=exc.sheet,
                         encoding=exc.encoding) from None
    except MemoryError:
        raise unreadable("file.too_large", path, detail=Detail("detail.memory", "")) from None
    except BaseException as exc:  # calamine reports damaged files in many ways
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # Ctrl-C and exit go on; a panic in calamine's Rust is a damaged file
        code = "file.legacy_xls" if kind == "xls" else "file.damaged"
        raise unreadable(code, path, detail=explain(_short(exc))) from None
    if kind == "xls" and not raw.sheets:
        raise unreadable("file.legacy_xls", path, detail="no sheets could be read")
    return raw


def _checked(path: Path, raw: RawWorkbook, age_bands: tuple[AgeBand, ...]) -> Workbook:
    """The typed tables of the raw cells, or every problem the contract finds."""
    collector = Collector()
    layouts: dict[str, dict[str, tuple[int, int]]] = {}
    tables, names = _read_sheets(raw, collector, age_bands, layouts)
    check_projects(tables, names, layouts, collector)
    check_examples(tables, names, layouts, collector)
    scan_personal_data(raw, collector)
    if collector.errors:
        raise WorkbookError(_masked(collector.capped()), path=str(path))
    return Workbook(
        path=path, sha256="", tables=tables, notes=tuple(collector.notes),
        sheet_names=names, age_bands=age_bands,
    )


def _masked(problems: list[Problem]) -> list[Problem]:
    """The problems with no identity number in their parameters (a cell's value, a list of
    known ids): ``cell.personal_number`` names the cell, no other message may show it."""
    return [
        replace(p, sheet=identity.mask_identity_numbers(p.sheet) if p.sheet else p.sheet,
                params={k: identity.mask_identity_numbers(v) if isinstance(v, str) else v
                        for k, v in p.params.items()})
        for p in problems
    ]


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _read_sheets(
    raw: RawWorkbook, out: Collector, bands: tuple[AgeBand, ...],
    layouts: dict[str, dict[str, tuple[int, int]]],
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Each sheet of the contract as a table (as typed columns where the fast path read
    it, else cell by cell), an empty table for each one missing; and the sheets' names."""
    tables: dict[str, pd.DataFrame] = {}
    names: dict[str, str] = {}
    for rs in raw.sheets:
        spec = SHEET_LOOKUP.get(values.normalize_name(rs.name)[0])
        if spec is None:
            out.note("note.sheet_ignored", name=identity.mask_identity_numbers(rs.name))
            continue
        if spec.key in names:
            out.error("sheet.duplicate_sheet", rs.name, None, sheet=rs.name,
                      other=names[spec.key])
            continue
        names[spec.key] = rs.name
        if rs.hidden:
            out.note("note.sheet_hidden", rs.name)
        table = None
        if rs.fast is not None:
            from grantstats.reading.fast import Fallback

            try:
                table = fast_table(rs, spec, out, bands, layouts, raw.date1904)
            except Fallback:
                assert raw.data is not None
                calamine_sheet(raw.data, rs)
        if rs.fast is None:
            table = read_table(rs, spec, raw, out, bands, layouts)
        if table is not None:
            tables[spec.key] = table
    for spec in SHEETS:
        if spec.key not in names and spec.mandatory:
            out.error("sheet.missing", sheet=spec.sv, en=spec.en)
        tables.setdefault(spec.key, empty_table(spec))
    return tables, names
