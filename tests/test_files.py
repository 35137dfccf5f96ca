"""Output files: created atomically, never over an existing one, readable like any file."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from grantstats.files import free_name, write_new


def test_write_new_creates_the_file_with_ordinary_permissions(tmp_path):
    path = write_new(tmp_path / "a" / "r.html", lambda tmp: tmp.write_text("x"))
    assert path.read_text() == "x"
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode & 0o044  # not mkstemp's private 0600
    assert [p.name for p in path.parent.iterdir()] == ["r.html"]


def test_write_new_refuses_an_existing_file(tmp_path):
    (tmp_path / "r.html").write_text("mine")
    with pytest.raises(FileExistsError):
        write_new(tmp_path / "r.html", lambda tmp: tmp.write_text("theirs"))
    assert (tmp_path / "r.html").read_text() == "mine"


def test_write_new_works_without_hard_links(tmp_path, monkeypatch):
    def no_links(*_args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = write_new(tmp_path / "r.html", lambda tmp: tmp.write_text("x"))
    assert path.read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_free_name_counts_up(tmp_path):
    (tmp_path / "r.html").write_text("")
    (tmp_path / "r-2.html").write_text("")
    assert free_name(tmp_path / "r.html").name == "r-3.html"
