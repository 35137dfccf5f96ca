"""The cache of loaded workbooks: reused only for the same content, code and options."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from grantstats import WorkbookError
from grantstats.contract import AgeBand
from grantstats.reading import cache, loader


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch, in_process) -> Path:
    """A cache of its own for each test, holding even the smallest workbooks; the
    sandbox's child is a direct call here (``in_process``), so that the tests can count
    and replace what a load reads."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(folder))
    monkeypatch.delenv("GRANTSTATS_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{cache.SUFFIX}"))


def test_second_load_of_an_unchanged_file_comes_from_the_cache(
        write_xlsx, minimal, cache_dir, monkeypatch):
    path = write_xlsx(minimal)
    first = loader.load(path)
    assert len(_entries(cache_dir)) == 1
    monkeypatch.setattr(loader, "_read", lambda *a, **k: pytest.fail("parsed again"))
    second = loader.load(path)
    assert second.sha256 == first.sha256
    for key, table in first.tables.items():
        pd.testing.assert_frame_equal(second.tables[key], table)
    assert second.notes == first.notes


def test_a_changed_file_is_read_again_never_served_stale(write_xlsx, minimal, cache_dir):
    path = write_xlsx(minimal, name="book.xlsx")
    assert loader.load(path).grants["amount"].tolist() == [100000.0]
    minimal["beslut"][1][2] = 250000
    write_xlsx(minimal, name="book.xlsx")  # saved again under the same name
    assert loader.load(path).grants["amount"].tolist() == [250000.0]
    assert len(_entries(cache_dir)) == 2


def test_the_same_content_under_another_name_carries_that_name(write_xlsx, minimal,
                                                               monkeypatch):
    one = write_xlsx(minimal, name="one.xlsx")
    two = one.with_name("two.xlsx")
    two.write_bytes(one.read_bytes())
    loader.load(one)
    monkeypatch.setattr(loader, "_read", lambda *a, **k: pytest.fail("parsed again"))
    assert loader.load(two).path == two


def test_other_load_options_are_other_entries(write_xlsx, minimal, cache_dir):
    path = write_xlsx(minimal)
    loader.load(path)
    loader.load(path, age_bands=(AgeBand("0-17", 0, 17), AgeBand("18+", 18, None)))
    assert len(_entries(cache_dir)) == 2


def test_other_code_or_library_versions_never_meet_an_old_entry(monkeypatch):
    before = cache.key("ab" * 32, "o")
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "edited")
    assert cache.key("ab" * 32, "o") != before
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_version", lambda package: "0.0" + package)
    assert cache.key("ab" * 32, "o") != before


def test_a_workbook_with_problems_is_not_kept(write_xlsx, minimal, cache_dir):
    minimal["beslut"][1][2] = "ca 500"
    path = write_xlsx(minimal)
    for _ in range(2):
        with pytest.raises(WorkbookError) as info:
            loader.load(path)
        assert info.value.problems[0].cell == "C2"
    assert _entries(cache_dir) == []


def test_a_damaged_entry_is_removed_and_the_file_read(write_xlsx, minimal, cache_dir):
    path = write_xlsx(minimal)
    loader.load(path)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(b"not a pickle")
    assert loader.load(path).counts()["grants"] == 1
    assert pickle.loads(entry.read_bytes())[0].split("\n")[1] == loader.sha256_of(path)


def test_an_entry_under_the_right_name_with_another_key_is_not_served(
        write_xlsx, minimal, cache_dir):
    path = write_xlsx(minimal)
    loader.load(path)
    (entry,) = _entries(cache_dir)
    _, wb = pickle.loads(entry.read_bytes())
    forged = wb.tables["grants"].assign(amount=1.0)
    entry.write_bytes(pickle.dumps(("another key", wb.__class__(
        path=wb.path, sha256=wb.sha256, tables={**wb.tables, "grants": forged})))
    )
    assert loader.load(path).grants["amount"].tolist() == [100000.0]


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """The files loads read from disk (not from the cache), in order."""
    seen: list[Path] = []
    read = loader._read

    def counted(path, *args, **kwargs):
        seen.append(path)
        return read(path, *args, **kwargs)

    monkeypatch.setattr(loader, "_read", counted)
    return seen


#: What unpickling a planted entry did (it must never happen).
PLANTED: list[str] = []


def _record(what: str) -> None:
    PLANTED.append(what)


class _Planted:
    def __reduce__(self):
        return (_record, ("unpickled",))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_never_used(write_xlsx, minimal, cache_dir, parses):
    path = write_xlsx(minimal)
    loader.load(path)
    assert len(_entries(cache_dir)) == 1
    os.chmod(cache_dir, 0o777)
    loader.load(path)
    assert len(parses) == 2  # read from the file again, though the entry is there
    assert not cache.store("a" * 64, "o", "value", 10**9)
    assert cache.usage().off == "unsafe"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_planted_entry_is_never_unpickled(write_xlsx, minimal, cache_dir, parses, tmp_path):
    path = write_xlsx(minimal)
    loader.load(path)
    (entry,) = _entries(cache_dir)
    planted = pickle.dumps(_Planted())
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(planted)
    entry.unlink()
    entry.symlink_to(elsewhere)  # a link swapped in: not followed
    loader.load(path)
    entry.unlink(missing_ok=True)
    entry.write_bytes(planted)
    entry.chmod(0o666)  # a file others may change: not read
    loader.load(path)
    assert PLANTED == [] and len(parses) == 3


def test_a_cache_that_cannot_be_written_never_fails_a_load(write_xlsx, minimal, cache_dir,
                                                           monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.tempfile, "mkstemp", disk_full)
    assert loader.load(write_xlsx(minimal)).counts()["projects"] == 1
    assert _entries(cache_dir) == []


def test_a_cache_path_that_is_a_file_never_fails_a_load(write_xlsx, minimal, tmp_path,
                                                        monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(blocker))
    assert loader.load(write_xlsx(minimal)).counts()["projects"] == 1
    assert cache.usage().off == "not_folder"
    assert blocker.read_text() == "not a folder"


def test_off_by_environment_or_argument(write_xlsx, minimal, cache_dir, monkeypatch):
    path = write_xlsx(minimal)
    loader.load(path, cache=False)
    monkeypatch.setenv("GRANTSTATS_CACHE", "0")
    loader.load(path)
    assert _entries(cache_dir) == []
    assert cache.usage().off == "disabled"


def test_small_files_are_read_directly(write_xlsx, minimal, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MIN_BYTES", 512 * 1024)
    loader.load(write_xlsx(minimal))
    assert _entries(cache_dir) == []


def test_least_recently_used_entries_go_first(cache_dir):
    old, used, new = "a" * 64, "b" * 64, "c" * 64
    sizes = []
    for n, sha in enumerate([old, used, new]):
        assert cache.store(sha, "o", "x" * 1000, size=1)
        entry = cache._entry(cache_dir, cache.key(sha, "o"))
        os.utime(entry, (1000 + n, 1000 + n))
        sizes.append(entry.stat().st_size)
    assert cache.lookup(used, "o") == "x" * 1000  # touched: now the newest
    assert cache.prune(limit=sum(sizes) - 1) == 1  # room for two: the oldest goes
    assert cache.lookup(old, "o") is None
    assert cache.lookup(new, "o") is not None


def test_an_entry_larger_than_the_whole_cache_is_not_kept(cache_dir, monkeypatch):
    assert cache.store("a" * 64, "o", "small", size=1)
    monkeypatch.setattr(cache, "MAX_BYTES", 10_000)
    assert not cache.store("b" * 64, "o", "x" * 20_000, size=1)
    assert cache.lookup("a" * 64, "o") == "small"  # the others stay
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".tmp-")] == []


def test_only_the_caches_own_files_are_ever_removed(cache_dir):
    cache.store("a" * 64, "o", 1, size=1)
    theirs = [cache_dir / "my_model.pickle", cache_dir / "notes.txt"]
    for path in theirs:
        path.write_text("keep me")
    stale, fresh = cache_dir / ".tmp-old.partial", cache_dir / ".tmp-new.partial"
    for path in (stale, fresh):
        path.write_bytes(b"half")
    os.utime(stale, (1000, 1000))
    cache.prune(limit=10**9)
    assert not stale.exists() and fresh.exists()  # a write still running is left alone
    assert cache.clear() == 1
    assert sorted(p.name for p in cache_dir.iterdir()) == ["my_model.pickle", "notes.txt"]


def test_an_entry_that_is_no_key_value_pair_is_forgotten(write_xlsx, minimal, cache_dir,
                                                         parses):
    import numpy as np

    path = write_xlsx(minimal)
    loader.load(path)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(pickle.dumps((np.array([1, 2]), "value")))
    assert loader.load(path).counts()["projects"] == 1
    assert len(parses) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_in_place_of_an_entry_does_not_block(write_xlsx, minimal, cache_dir, parses):
    path = write_xlsx(minimal)
    loader.load(path)
    (entry,) = _entries(cache_dir)
    entry.unlink()
    os.mkfifo(entry)
    assert loader.load(path).counts()["projects"] == 1  # (would wait forever for a writer)
    assert len(parses) == 2


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_prune_leaves_a_folder_that_is_not_the_users_alone(cache_dir):
    cache.store("a" * 64, "o", 1, size=1)
    os.chmod(cache_dir, 0o777)
    assert cache.prune(limit=-1) == 0
    assert len(_entries(cache_dir)) == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a file to another user needs root")
def test_clear_removes_the_users_own_entries_even_from_a_shared_folder(cache_dir):
    cache.store("a" * 64, "o", 1, size=1)
    os.chmod(cache_dir, 0o777)
    theirs = cache_dir / f"{'b' * 64}-{'c' * 16}.pickle"
    theirs.write_bytes(b"someone else's")
    os.chown(theirs, 65534, 65534)
    assert cache.usage().entries == 2 - 1  # theirs is not counted as the user's
    assert cache.clear() == 1  # a workbook can be made gone
    assert _entries(cache_dir) == [theirs]
    assert cache.usage().entries == 0
