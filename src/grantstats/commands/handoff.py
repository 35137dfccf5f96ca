"""The loaded workbook and its figures, handed from ``grantstats report`` to its kernel.

``grantstats report`` reads and checks the workbook and computes its
:class:`~grantstats.computing.results.Figures` in its own process; the notebook's
kernel gets both from a private file instead of reading the workbook again. The file
is a pickle, created 0600 in the run's own temporary folder (``tempfile.mkdtemp``,
0700), and removed with that folder when the run ends, also on an error or Ctrl-C.
:func:`receive` unpickles only a file of this user's that no one else may read or
change, as the kernel runs as the same user.
"""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grantstats.computing.results import Figures
    from grantstats.reading.loader import Workbook


def send(path: str | os.PathLike[str], wb: Workbook, figures: Figures) -> Path:
    """Write ``(wb, figures)`` to the new file ``path`` (0600; an existing one is refused)."""
    path = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((wb, figures), fh, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def receive(path: str | os.PathLike[str],
            sha256: str | None = None) -> tuple[Workbook, Figures]:
    """The workbook and figures :func:`send` wrote to ``path``.

    ``sha256``: the content the workbook must have been read from (as the report's
    footer names it). A file that is not this user's own, or that others may read or
    change, is refused with PermissionError and not unpickled.
    """
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or (
                hasattr(os, "getuid") and info.st_uid != os.getuid()):
            raise PermissionError(f"{path} is not a private file of this user's")
        wb, figures = pickle.load(fh)
    if sha256 is not None and wb.sha256 != sha256.lower():
        raise ValueError(f"the workbook handed over has SHA-256 {wb.sha256}, not {sha256}")
    return wb, figures
