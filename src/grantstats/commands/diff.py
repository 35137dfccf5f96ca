"""``grantstats diff OLD NEW``: what changed between two versions of a workbook.

Two files with the same content (SHA-256) answer at once, without being read. Otherwise
both are loaded and summarised at the same time, each in its own sandbox child (two
threads only wait for them), checked as ``check`` would, and compared by
:func:`grantstats.computing.changes.compare` (as
:func:`grantstats.rendering.changes.compare_workbooks` does for loaded workbooks). This
process imports pandas and the comparison while the children read.

Exit codes as ``diff(1)``: 0 no differences, 1 differences, 2 trouble (a file that
cannot be read or has problems, or OLD and NEW the same file).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from grantstats.errors import WorkbookError
from grantstats.reading import sandbox
from grantstats.texts import render

if TYPE_CHECKING:
    import pandas as pd

    from grantstats.computing.changes import Changes

NO_DIFFERENCES, DIFFERENCES, TROUBLE = 0, 1, 2
#: What the sandbox's children run (imported once by the fork server).
CHILD_MODULES = ("grantstats.commands.diff", "grantstats.rendering.summary")

#: A loaded workbook's tables and its summary document, or why it cannot be used.
Read = tuple[dict[str, "pd.DataFrame"], dict[str, Any]] | WorkbookError


def same_file(old: Path, new: Path) -> bool:
    """Whether ``old`` and ``new`` name one file (the same path, or links to one file)."""
    try:
        return old.resolve() == new.resolve() or os.path.samefile(old, new)
    except OSError:
        return False


def sha256_or_none(path: Path) -> str | None:
    """The file's SHA-256, or None if it cannot be read (loading it says why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def identical(old: Path, new: Path) -> Changes | None:
    """No changes, if the two files have the same content; else None. Neither is read
    as a workbook."""
    digest = sha256_or_none(old)
    if digest is None or digest != sha256_or_none(new):
        return None
    from grantstats.computing.changes import Changes, Source

    return Changes.none(Source(str(old), digest), Source(str(new), digest))


def load_both(old: Path, new: Path, meanwhile: Callable[[], None] | None = None
              ) -> tuple[Read, Read]:
    """Both workbooks with their summary documents, read at the same time, each in a
    sandbox child of its own (this process's two threads only wait, and ``meanwhile``
    runs here as they do); a :class:`WorkbookError` in place of one that cannot be used.
    An interrupt stops both."""
    sandbox.warm(*CHILD_MODULES)  # the children come from the fork server (two threads)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(_load, path) for path in (old, new)]
        try:
            if meanwhile is not None:
                meanwhile()
            return futures[0].result(), futures[1].result()
        except BaseException:
            for future in futures:
                future.cancel()
            sandbox.stop_all()
            raise


def read(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The workbook's tables as Arrow IPC (:mod:`grantstats.reading.handover`) and its
    summary document. Run in a sandbox child: the figures of both versions are
    computed at the same time too, and this process needs pandas for the tables but
    not the reader."""
    from grantstats.reading import handover
    from grantstats.reading.loader import load
    from grantstats.rendering.summary import summary_document

    wb = load(path)
    return handover.to_ipc(wb.tables), summary_document(wb)


def _load(path: Path) -> Read:
    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None
    try:
        tables, summary = sandbox.call(read, path, limits=sandbox.Limits.default(size))
    except WorkbookError as exc:
        return exc
    except sandbox.ChildDied as died:
        from grantstats.reading.loader import died_reading

        return died_reading(died, path)
    from grantstats.reading import handover

    return handover.from_ipc(tables), summary


def _prepare() -> None:
    """Import what compares and writes the changes (pandas among it) while the children
    read."""
    import grantstats.computing.changes
    import grantstats.rendering.changes  # noqa: F401 (not the reader: see read)


def _compared(before: Read, after: Read) -> Changes:
    """The changes between two read workbooks; raises the first one's problems."""
    from grantstats.computing.changes import compare

    for loaded in (before, after):
        if isinstance(loaded, WorkbookError):
            raise loaded
    assert not isinstance(before, WorkbookError) and not isinstance(after, WorkbookError)
    (old_tables, old_doc), (new_tables, new_doc) = before, after
    return compare(old_doc, new_doc, old_tables, new_tables)


def diff_files(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> Changes:
    """The changes from the workbook ``old`` to ``new`` (figures and rows): nothing if
    they have the same content (neither is read then); raises the
    :class:`WorkbookError` of the first that cannot be used."""
    old, new = Path(old), Path(new)
    same = identical(old, new)
    return same if same is not None else _compared(*load_both(old, new, _prepare))


def run(old: Path, new: Path, form: str, lang: str, out: TextIO, err: TextIO) -> int:
    """The command: the changes on ``out`` as text or JSON, trouble on ``err``."""
    if same_file(old, new):
        message, hint = render("cli.diff_same_path", lang, {"path": old})
        print(f"{message} — {hint}", file=err)
        return TROUBLE
    changes = identical(old, new)
    if changes is None:
        before, after = load_both(old, new, _prepare)
        failed = [(path, e) for path, e in ((old, before), (new, after))
                  if isinstance(e, WorkbookError)]
        if failed:
            for path, error in failed:
                for p in error.problems:
                    named = p.params.get("path") == path.name  # the message names the file
                    print(p.format(lang) if named else f"{path.name}: {p.format(lang)}",
                          file=err)
            return TROUBLE
        changes = _compared(before, after)
    if form == "json":
        print(json.dumps(changes.to_json(), ensure_ascii=False, indent=2), file=out)
    else:
        from grantstats.rendering.changes import changes_text

        print(changes_text(changes, lang), file=out)
    return DIFFERENCES if changes.differ else NO_DIFFERENCES
