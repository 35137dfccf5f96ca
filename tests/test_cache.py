"""The cache of loaded workbooks: reused only for the same content, code and options."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from grantstats import WorkbookError, cache, loader
from grantstats.contract import AgeBand


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A cache of its own for each test, holding even the smallest workbooks."""
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
    monkeypatch.setattr(loader, "_parse", lambda *a, **k: pytest.fail("parsed again"))
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
    monkeypatch.setattr(loader, "_parse", lambda *a, **k: pytest.fail("parsed again"))
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


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_never_used(write_xlsx, minimal, cache_dir):
    cache_dir.mkdir(mode=0o700)
    path = write_xlsx(minimal)
    loader.load(path)
    os.chmod(cache_dir, 0o777)
    assert cache.lookup(loader.sha256_of(path), "age_bands=x") is None
    assert not cache.store(loader.sha256_of(path), "age_bands=x", "value", 10**9)
    assert cache.usage().off == "unsafe"
    assert loader.load(path).counts()["projects"] == 1  # still loads, from the file


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


def test_a_cache_that_cannot_be_written_never_fails_a_load(write_xlsx, minimal, tmp_path,
                                                           monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GRANTSTATS_CACHE_DIR", str(blocker / "cache"))
    assert loader.load(write_xlsx(minimal)).counts()["projects"] == 1


def test_least_recently_used_entries_go_first(cache_dir):
    for n, name in enumerate(["old", "used", "new"]):
        assert cache.store(name * 10, "o", "x" * 1000, size=1)
        entry = cache._entry(cache_dir, cache.key(name * 10, "o"))
        os.utime(entry, (1000 + n, 1000 + n))
    assert cache.lookup("used" * 10, "o") == "x" * 1000  # touched: now the newest
    assert cache.prune(limit=2500) == 1
    assert cache.lookup("old" * 10, "o") is None
    assert cache.lookup("new" * 10, "o") is not None


def test_clear_removes_every_entry_and_leftover_writes(cache_dir):
    cache.store("a" * 64, "o", 1, size=1)
    (cache_dir / ".tmp-x.partial").write_bytes(b"half")
    assert cache.clear() == 1
    assert list(cache_dir.iterdir()) == []
