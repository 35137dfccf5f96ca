"""Where the output goes: a folder that cannot be used is refused before any notebook
runs, and a full disk or a failed write is one line naming the file, leaving no part."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import grantstats.commands.report
import grantstats.files
from grantstats.commands.cli import main


def _no_kernel(*_args, **_kwargs):
    raise AssertionError("a kernel was started")


def _one_line(capsys) -> tuple[str, str]:
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if not line.endswith(" …")]  # progress
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0], captured.out


@pytest.mark.parametrize("where", ["under a file", "/proc"])
def test_an_unusable_out_folder_is_refused_before_anything_runs(tmp_path, capsys, monkeypatch,
                                                               where):
    monkeypatch.setattr(grantstats.commands.report, "Kernel", _no_kernel)
    if where == "/proc":
        out = "/proc/nonexistent"
    else:
        (tmp_path / "somefile.txt").write_text("mine")
        out = str(tmp_path / "somefile.txt" / "sub")
    assert main(["report", "--out", out]) == 2
    line, stdout = _one_line(capsys)
    assert line.startswith(f"rapporter kan inte skrivas i mappen {out} (")
    assert line.endswith(" — ange med --out en mapp som du får skriva i")
    assert stdout == ""
    assert main(["report", "--out", out, "--lang", "en"]) == 2
    line, _ = _one_line(capsys)
    assert line.startswith(f"reports cannot be written in the folder {out} (")
    assert line.endswith("give a folder you may write in with --out")


def test_the_out_folder_check_leaves_nothing(tmp_path):
    from grantstats.commands.report import check_out_dir

    check_out_dir(tmp_path / "new" / "deeper")
    check_out_dir(tmp_path)
    assert list(tmp_path.iterdir()) == []


def _full_after(count: int, real=grantstats.files.write_new):
    """A write_new whose ``count``-th call and later find the disk full halfway through."""
    calls = {"n": 0}

    def write_new(path, write):
        calls["n"] += 1
        if calls["n"] < count:
            return real(path, write)

        def half_then_full(tmp: Path) -> None:
            write(tmp)  # it is all there in the temporary file, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

        return real(path, half_then_full)

    return write_new


@pytest.mark.slow
def test_a_full_disk_midway_names_the_file_and_keeps_what_was_finished(
        tmp_path, capsys, monkeypatch):
    # the first report's HTML and Word form are written; the second's HTML is not
    monkeypatch.setattr(grantstats.commands.report, "write_new", _full_after(3))
    out = tmp_path / "out"
    assert main(["report", "--separate", "--out", str(out)]) == 2
    line, stdout = _one_line(capsys)
    finished = stdout.split()
    assert len(finished) == 3 and all(Path(p).exists() for p in finished)  # the first report
    assert line.startswith(str(out / "slutrapport-exempel-REG-2009-"))
    assert line.endswith(".html kunde inte skrivas: disken är full — frigör utrymme på disken "
                         "eller välj en annan mapp (för rapporter: --out); ingen halvskriven "
                         "fil finns kvar")
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in finished)


@pytest.mark.slow
def test_a_full_disk_at_the_form_removes_the_report_it_belongs_to(tmp_path, capsys,
                                                                   monkeypatch):
    monkeypatch.setattr(grantstats.files, "write_new", _full_after(1))  # the .xlsx form
    out = tmp_path / "out"
    assert main(["report", "--project", "REG-2009", "--out", str(out), "--lang", "en"]) == 2
    line, stdout = _one_line(capsys)
    assert stdout == ""
    assert line.startswith(str(out / "final-report-exempel-REG-2009-"))
    assert ".xlsx could not be written: the disk is full — free some space" in line
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_at_the_word_form_removes_the_report_and_its_xlsx(tmp_path, capsys,
                                                                       monkeypatch):
    monkeypatch.setattr(grantstats.commands.report, "write_new", _full_after(2))  # .docx
    out = tmp_path / "out"
    assert main(["report", "--project", "REG-2009", "--out", str(out)]) == 2
    line, stdout = _one_line(capsys)
    assert stdout == ""
    assert line.startswith(str(out / "slutrapport-exempel-REG-2009-"))
    assert ".docx kunde inte skrivas: disken är full" in line
    assert list(out.iterdir()) == []


def test_a_template_on_a_full_disk_names_the_file(tmp_path, capsys, monkeypatch):
    import grantstats.commands.template

    monkeypatch.setattr(grantstats.commands.template, "write_new", _full_after(1))
    path = tmp_path / "mall.xlsx"
    assert main(["template", str(path)]) == 2
    line, stdout = _one_line(capsys)
    assert line.startswith(f"{path} kunde inte skrivas: disken är full — ")
    assert stdout == "" and list(tmp_path.iterdir()) == []


def test_a_write_that_fails_otherwise_names_the_file_and_the_reason(tmp_path, monkeypatch):
    from grantstats.commands.report import write_failed

    error = write_failed(tmp_path / "r.html", OSError(errno.EIO, "Input/output error"))
    assert (error.code, error.params["error"]) == ("cli.write_failed", "Input/output error")
    from grantstats.texts import render

    text, hint = render(error.code, "sv", error.params)
    assert text == f"{tmp_path / 'r.html'} kunde inte skrivas (Input/output error)"
    assert "--out" in hint
