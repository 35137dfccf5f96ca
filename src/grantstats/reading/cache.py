"""A cache of loaded workbooks: re-running on an unchanged file skips the parse.

An entry is found only by the file's SHA-256 *and* a fingerprint of everything else
that shapes a load — grantstats' own source code, the versions of Python,
python-calamine, pandas, numpy and pyarrow, and the load options — so a changed file, another
grantstats (even an edited checkout of the same version) or another pandas never
meets an old entry. Only workbooks that loaded without errors are kept.

Entries are pickles in the user's cache directory (``platformdirs``), or in
``GRANTSTATS_CACHE_DIR``; ``GRANTSTATS_CACHE=0`` (``--no-cache``) turns the cache off.
Pickles run code when read, so a directory that someone else owns or may write to is
never used, and an entry is read only from a plain file of the user's own that no one
else may change (no link followed). Only the cache's own file names are ever removed.
The cache never fails a load: an entry that cannot be read is removed and the workbook
is read from the file; an entry that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: Files smaller than this are read directly (they load in a fraction of a second);
#: ``GRANTSTATS_CACHE_MIN_BYTES`` sets another size.
MIN_BYTES = 512 * 1024
#: When the entries together pass this, the least recently used are removed.
MAX_BYTES = 2 * 1024**3
SUFFIX = ".pickle"
_FORMAT = "grantstats-cache-1"
_OFF = {"0", "false", "no", "off"}
#: Only files named like this are ever read or removed (the folder may be shared).
_ENTRY = re.compile(r"[0-9a-f]{64}-[0-9a-f]{16}\.pickle")
#: A write left unfinished this long ago (a killed process) is removed.
_STALE_PARTIAL_SECONDS = 3600


@dataclass(frozen=True)
class Usage:
    """What the cache directory holds; ``off`` says why it is not used, if it is not:
    ``"disabled"`` (``GRANTSTATS_CACHE``), ``"unsafe"`` (someone else's, or writable by
    others), ``"not_folder"``, or an OS error's text."""

    directory: Path
    entries: int
    size: int
    off: str = ""


def enabled() -> bool:
    """False when ``GRANTSTATS_CACHE`` says off (``0``, ``false``, ``no``, ``off``)."""
    return os.environ.get("GRANTSTATS_CACHE", "1").strip().lower() not in _OFF


def directory() -> Path:
    """Where entries live: ``GRANTSTATS_CACHE_DIR`` or the user's cache directory."""
    configured = os.environ.get("GRANTSTATS_CACHE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("grantstats", appauthor=False)) / "workbooks"


def _unsafe(folder: Path) -> str:
    """Why ``folder`` must not be used ("" when it is the user's own, or not there yet)."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return exc.strerror or str(exc)
    if not stat.S_ISDIR(info.st_mode):
        return "not_folder"
    return "unsafe" if _foreign(info) else ""


def _foreign(info: os.stat_result) -> bool:
    """Owned by someone else, or writable by others (POSIX; elsewhere never)."""
    return hasattr(os, "getuid") and (info.st_uid != os.getuid() or bool(info.st_mode & 0o022))


@cache
def _code_fingerprint() -> str:
    """A hash of grantstats' own modules, so an edited checkout never reuses an entry."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def key(sha256: str, options: str) -> str:
    """The full key of the entry for a file with content ``sha256`` loaded with
    ``options`` (a stable text of the load's arguments)."""
    parts = [
        _FORMAT, sha256, options, _code_fingerprint(), sys.version,
        *(f"{p}={_version(p)}" for p in ("python-calamine", "pandas", "numpy", "pyarrow",
                                          "fastexcel", "arro3-core", "arro3-compute")),
    ]
    return "\n".join(parts)


def _entry(folder: Path, full_key: str) -> Path:
    sha256 = full_key.split("\n")[1]
    rest = hashlib.sha256(full_key.encode()).hexdigest()[:16]
    return folder / f"{sha256}-{rest}{SUFFIX}"


def _where(sha256: str, options: str) -> tuple[Path, str] | None:
    """The entry's path and full key, or None when the cache is off or its folder is not
    the user's own."""
    if not enabled():
        return None
    folder = directory()
    if _unsafe(folder):
        return None
    full_key = key(sha256, options)
    return _entry(folder, full_key), full_key


def lookup(sha256: str, options: str) -> Any | None:
    """The value stored for this content and these options, or None."""
    path = None
    try:
        where = _where(sha256, options)
        if where is None:
            return None
        path, full_key = where
        stored_key, value = _read(path)
        if not (isinstance(stored_key, str) and stored_key == full_key):
            raise ValueError("another key")
    except FileNotFoundError:
        return None
    except Exception:  # damaged, foreign, unreadable or another key: forget it
        if path is not None:
            _remove(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept longest
    return value


def _read(path: Path) -> Any:
    """Unpickle ``path`` only if it is a plain file of this user's that no one else may
    change (checked on the open file, so a link swapped in meanwhile is not followed)."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # no link, no FIFO wait
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or _foreign(info):
            raise PermissionError(f"not this user's own file: {path}")
        return pickle.load(fh)


def store(sha256: str, options: str, value: Any, size: int) -> bool:
    """Keep ``value`` for this content and these options (a file of ``size`` bytes);
    False when it was not kept (small file, cache off, folder not usable, too big)."""
    floor = os.environ.get("GRANTSTATS_CACHE_MIN_BYTES", "")
    if size < (int(floor) if floor.isdecimal() else MIN_BYTES):
        return False
    try:
        where = _where(sha256, options)
        if where is None:
            return False
        target, full_key = where
        folder = target.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".partial", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((full_key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
                too_big = fh.tell() > MAX_BYTES
            if too_big:  # would push every other entry out, itself too
                _remove(Path(tmp))
                return False
            os.replace(tmp, target)
        except BaseException:
            _remove(Path(tmp))
            raise
        prune(MAX_BYTES)
    except Exception:
        return False
    return True


def _entries(folder: Path) -> list[tuple[float, int, Path]]:
    """(last used, size, path) of the cache's own entries, least recently used first."""
    found = []
    try:
        for path in folder.glob(f"*{SUFFIX}"):
            if not _ENTRY.fullmatch(path.name):
                continue
            try:
                info = path.stat()
            except OSError:
                continue
            found.append((info.st_mtime, info.st_size, path))
    except OSError:
        return []
    return sorted(found)


def prune(limit: int) -> int:
    """Remove the least recently used entries until they total at most ``limit`` bytes;
    how many were removed."""
    folder = directory()
    if _unsafe(folder):
        return 0  # not the user's folder: nothing in it is the cache's to remove
    _remove_partials(folder, older_than=_STALE_PARTIAL_SECONDS)
    entries = _entries(folder)
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, path in entries:
        if total <= limit:
            break
        if _remove(path):
            total -= size
            removed += 1
    return removed


def clear() -> int:
    """Remove every entry of the user's own (and what an interrupted write left), also
    from a folder others may write to, so a workbook can be made gone; how many entries
    were removed."""
    folder = directory()
    _remove_partials(folder, older_than=0)
    return sum(_remove(path) for _, _, path in _entries(folder) if _owned(path))


def _owned(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (not hasattr(os, "getuid")
                                           or info.st_uid == os.getuid())


def _remove_partials(folder: Path, older_than: float) -> None:
    now = time.time()
    with contextlib.suppress(OSError):
        for partial in folder.glob(".tmp-*.partial"):
            with contextlib.suppress(OSError):
                if _owned(partial) and now - partial.lstat().st_mtime >= older_than:
                    partial.unlink()


def usage() -> Usage:
    """The cache directory, the user's own entries in it and their size (for
    ``grantstats cache``)."""
    folder = directory()
    off = "disabled" if not enabled() else _unsafe(folder)
    entries = [(size, path) for _, size, path in _entries(folder) if _owned(path)]
    return Usage(folder, len(entries), sum(size for size, _ in entries), off)


def _remove(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
