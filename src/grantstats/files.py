"""Writing output files without ever losing what the user has.

Every file grantstats writes goes through :func:`write_new`: the content is written to
a temporary file in the same folder and then linked into place, which fails if the
name is taken. An interrupted run leaves no partial file and nothing is overwritten.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_new(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Create ``path`` with ``write(tmp_path)``; raise FileExistsError if it exists."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".part",
                                    dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp's 0600 is not what the user expects
        try:
            os.link(tmp, path)  # atomic, and refuses to replace an existing file
        except OSError as exc:
            if isinstance(exc, FileExistsError):
                raise
            _copy_new(tmp, path)  # a file system without hard links (FAT, some shares)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import: changing the umask to read it is not safe once threads run.
_UMASK = _read_umask()


def _copy_new(src: Path, path: Path) -> None:
    """Copy ``src`` to a new ``path`` (exclusive create); on failure leave nothing."""
    try:
        with open(path, "xb") as out, open(src, "rb") as data:
            shutil.copyfileobj(data, out)
    except FileExistsError:
        raise
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def free_name(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… whichever does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def full_disk(exc: OSError) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full."""
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
