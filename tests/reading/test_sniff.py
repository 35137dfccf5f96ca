"""The pre-flight check: every hostile or broken file is refused with its exact code.

The corpus (tests/corpus/build_corpus.py) is generated once per module into a temporary
directory; each test names the behaviour it proves.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grantstats.errors import UnreadableWorkbook
from grantstats.reading import sniff as pf
from grantstats.reading.sniff import MemberSize, check_sizes, preflight
from tests.corpus.build_corpus import (
    SHEET_XML,
    SST_XML,
    XML_DECL,
    Expected,
    MiB,
    biff_workbook,
    build,
    encrypted_ooxml,
    external_entity,
    members,
    ods_bytes,
    ole2,
    with_parts,
    xlsx_bytes,
)

SRC = Path(__file__).resolve().parents[2] / "src"
#: Any of these in output would mean a local file was read.
PASSWD_MARKERS = ("root:", "/bin/bash", "/usr/sbin/nologin", "daemon:")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Expected]]:
    outdir = tmp_path_factory.mktemp("corpus")
    return outdir, build(outdir)


def refusal(path: Path) -> UnreadableWorkbook:
    with pytest.raises(UnreadableWorkbook) as info:
        preflight(path)
    return info.value


def code_of(path: Path) -> str:
    return refusal(path).problems[0].code


def file(corpus: tuple[Path, dict[str, Expected]], name: str) -> Path:
    outdir, expected = corpus
    assert name in expected
    return outdir / name


#: Seconds only a hang or a blow-up reaches, never a busy machine: how fast preflight is
#: is the benchmarks' business, the tests only make sure it ends (it takes milliseconds).
HANG = 20.0


def bounded(path: Path, seconds: float = HANG, megabytes: float = 16.0) -> str:
    """The code preflight gives ``path``, checking it ended and stayed small."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        code = code_of(path)
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < seconds, f"{path.name} took {elapsed:.2f} s"
    assert peak < megabytes * MiB, f"{path.name} allocated {peak / MiB:.1f} MiB"
    return code


# --- genuine files pass ---------------------------------------------------------------------
def test_genuine_xlsx_passes_as_xlsx(corpus):
    assert preflight(file(corpus, "valid.xlsx")) == "xlsx"


def test_macro_enabled_content_type_makes_xlsm_whatever_the_suffix(corpus):
    assert preflight(file(corpus, "valid.xlsm")) == "xlsm"
    assert preflight(file(corpus, "macro_content_named.xlsx")) == "xlsm"


def test_xlsm_suffix_alone_makes_xlsm(corpus):
    assert preflight(file(corpus, "plain_content_named.xlsm")) == "xlsm"


def test_genuine_ods_passes_as_ods(corpus):
    assert preflight(file(corpus, "valid.ods")) == "ods"


def test_openoffice2_manifest_doctype_is_tolerated_in_the_manifest_only(corpus, tmp_path):
    assert preflight(file(corpus, "legacy_manifest.ods")) == "ods"
    doctype = pf.LEGACY_ODF_MANIFEST_DOCTYPE
    content = members(ods_bytes())["content.xml"].decode().replace("?>\n", "?>\n" + doctype, 1)
    moved = tmp_path / "doctype_in_content.ods"
    moved.write_bytes(ods_bytes(content=content.encode()))
    assert code_of(moved) == "file.unsafe_xml"


def test_utf16_part_without_dtd_passes(corpus):
    assert preflight(file(corpus, "utf16_clean.xlsx")) == "xlsx"


def test_legacy_xls_is_passed_on_as_xls(corpus):
    assert preflight(file(corpus, "legacy.xls")) == "xls"


def test_genuine_files_are_checked_without_hanging(corpus):
    for name in ("valid.xlsx", "valid.xlsm", "valid.ods", "legacy.xls"):
        started = time.perf_counter()
        preflight(file(corpus, name))
        assert time.perf_counter() - started < HANG


def test_measured_genuine_million_row_workbooks_pass_the_size_limits():
    # The numbers measured in the comment above the limits in preflight.py.
    measured = [
        [MemberSize(SHEET_XML, 307_549_628, 40_259_507)],
        [MemberSize(SHEET_XML, 253_520_586, 36_115_054),
         MemberSize(SST_XML, 43_146_197, 5_908_488)],
        [MemberSize(SHEET_XML, 244_992_617, 18_348_185)],
        [MemberSize("content.xml", 770_374_562, 36_316_002)],
        [MemberSize("xl/styles.xml", 4_864_033, 16_625)],
    ]
    for parts in measured:
        assert check_sizes(parts) is None


def test_size_limits_refuse_what_no_workbook_declares():
    assert check_sizes([MemberSize(SHEET_XML, 3 * 2**30, 2**30)])  # too big
    assert check_sizes([MemberSize(SHEET_XML, 200 * MiB, MiB)])  # 200:1
    assert check_sizes([MemberSize(f"p{i}.xml", 900 * MiB, 300 * MiB)
                        for i in range(5)])  # 4.4 GiB in all
    assert check_sizes([MemberSize(f"p{i}.xml", 10 * MiB, 10_000)
                        for i in range(3)])  # 1000:1 spread over parts
    assert check_sizes([MemberSize("xl/_rels/workbook.xml.rels", 100 * MiB, 10 * MiB)])
    assert check_sizes([MemberSize("x", 0, 0)] * (pf.MAX_MEMBERS + 1))


def test_a_workbook_with_the_most_parts_allowed_is_checked_within_a_second(tmp_path):
    parts = members(xlsx_bytes())
    body = (XML_DECL + '<worksheet><sheetData>' + '<row r="1"><c r="A1"><v>1</v></c></row>'
            * 400 + "</sheetData></worksheet>").encode()
    path = tmp_path / "many_sheets.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        for i in range(pf.MAX_MEMBERS - len(parts)):
            zf.writestr(f"xl/worksheets/sheet{i + 10}.xml", body)
    started = time.perf_counter()
    assert preflight(path) == "xlsx"
    assert time.perf_counter() - started < HANG


# --- XML attacks ------------------------------------------------------------------------------
def test_billion_laughs_is_refused_without_expanding(corpus):
    assert bounded(file(corpus, "billion_laughs.xlsx")) == "file.unsafe_xml"


def test_quadratic_blowup_is_refused_without_expanding(corpus):
    assert bounded(file(corpus, "quadratic_blowup.xlsx")) == "file.unsafe_xml"


def test_external_entity_is_refused_and_no_local_file_is_read(corpus):
    exc = refusal(file(corpus, "external_entity.xlsx"))
    assert exc.problems[0].code == "file.unsafe_xml"
    assert exc.problems[0].params["member"] == SST_XML
    text = exc.format("sv") + exc.format("en") + repr(exc.problems)
    assert not any(marker in text for marker in PASSWD_MARKERS)


def test_entity_in_a_relationships_part_is_refused(corpus):
    assert code_of(file(corpus, "external_entity_rels.xlsx")) == "file.unsafe_xml"


def test_external_dtd_in_content_types_is_refused(corpus):
    assert code_of(file(corpus, "external_dtd.xlsx")) == "file.unsafe_xml"


@pytest.mark.parametrize("name", ["doctype_after_comment.xlsx", "doctype_after_whitespace.xlsx"])
def test_doctype_hidden_behind_padding_past_the_prefix_is_refused(corpus, name):
    assert code_of(file(corpus, name)) == "file.unsafe_xml"


def test_doctype_in_utf16_is_refused(corpus):
    assert code_of(file(corpus, "utf16_doctype.xlsx")) == "file.unsafe_xml"


def test_entity_in_ods_content_is_refused(corpus):
    assert code_of(file(corpus, "ods_external_entity.ods")) == "file.unsafe_xml"


def test_xml_in_an_encoding_that_hides_markup_is_refused(tmp_path):
    utf7 = (b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE sst +AFs-+ADw-!ENTITY x '
            b'SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-<sst/>')
    path = tmp_path / "utf7.xlsx"
    path.write_bytes(with_parts(xlsx_bytes(), {SST_XML: utf7}))
    assert code_of(path) == "file.unsafe_xml"


def test_text_before_the_root_element_is_refused(tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(with_parts(xlsx_bytes(), {SST_XML: b"junk <!DOCTYPE x><sst/>"}))
    assert code_of(path) == "file.unsafe_xml"


def test_a_part_listed_twice_is_refused_so_no_reader_picks_the_other(corpus):
    assert code_of(file(corpus, "duplicate_member.xlsx")) == "file.damaged"


# --- sizes ------------------------------------------------------------------------------------
def test_multi_gigabyte_zip_bomb_is_refused_fast_and_small(corpus):
    path = file(corpus, "zip_bomb.xlsx")
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(SHEET_XML).file_size > 4 * 2**30
    assert bounded(path) == "file.too_large"


def test_highly_compressed_large_part_is_refused(corpus):
    assert bounded(file(corpus, "ratio_bomb.xlsx")) == "file.too_large"


def test_many_parts_each_below_the_ratio_floor_are_refused_together(corpus):
    assert bounded(file(corpus, "spread_bomb.xlsx")) == "file.too_large"


def test_too_many_parts_are_refused(corpus):
    assert bounded(file(corpus, "many_members.xlsx")) == "file.too_large"


def test_member_count_is_taken_from_the_directory_not_the_end_record(corpus):
    assert bounded(file(corpus, "lying_count.xlsx")) == "file.too_large"


def test_dimension_beyond_excel_rows_is_refused(corpus):
    exc = refusal(file(corpus, "dimension_rows.xlsx"))
    assert exc.problems[0].code == "file.too_large"
    assert "A1:E1048577" in exc.problems[0].params["detail"]


def test_dimension_beyond_column_xfd_is_refused(corpus):
    assert code_of(file(corpus, "dimension_cols.xlsx")) == "file.too_large"


def test_dimension_at_excels_limit_passes(tmp_path):
    base = xlsx_bytes()
    sheet = members(base)[SHEET_XML].decode()
    start = sheet.index('<dimension ref="') + len('<dimension ref="')
    sheet = sheet[:start] + "A1:XFD1048576" + sheet[sheet.index('"', start):]
    path = tmp_path / "full.xlsx"
    path.write_bytes(with_parts(base, {SHEET_XML: sheet.encode()}))
    assert preflight(path) == "xlsx"


# --- encryption -------------------------------------------------------------------------------
def test_encrypted_ooxml_package_is_refused(corpus):
    assert code_of(file(corpus, "encrypted.xlsx")) == "file.encrypted"


def test_encrypted_legacy_xls_is_refused(corpus):
    assert code_of(file(corpus, "encrypted.xls")) == "file.encrypted"


def test_zip_with_encrypted_parts_is_refused(corpus):
    assert code_of(file(corpus, "zip_encrypted.xlsx")) == "file.encrypted"


def test_encrypted_ods_is_refused(corpus):
    assert code_of(file(corpus, "encrypted.ods")) == "file.encrypted"


# --- damage -----------------------------------------------------------------------------------
def test_truncated_workbook_is_damaged(corpus):
    assert code_of(file(corpus, "truncated.xlsx")) == "file.damaged"


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_workbook_cut_anywhere_is_damaged(tmp_path, fraction):
    data = xlsx_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: int(len(data) * fraction)])
    assert code_of(path) == "file.damaged"


def test_missing_local_header_is_damaged(corpus):
    assert code_of(file(corpus, "missing_local_header.xlsx")) == "file.damaged"


def test_corrupt_compressed_data_is_damaged(corpus):
    assert code_of(file(corpus, "corrupt_deflate.xlsx")) == "file.damaged"


# --- not workbooks ----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "detail"), [
    ("empty.xlsx", "empty file"),
    ("csv_renamed.xlsx", "CSV"),
    ("pdf_renamed.xlsx", "PDF"),
    ("web_export.xls", "HTML"),
    ("random.xlsx", "unknown"),
    ("document.xlsx", ".docx"),
    ("text.ods", ".odt"),
    ("plain.zip.xlsx", "zip"),
    ("word97.xls", ".doc"),
])
def test_other_files_are_not_workbooks_and_say_what_they_are(corpus, name, detail):
    exc = refusal(file(corpus, name))
    assert exc.problems[0].code == "file.not_workbook"
    assert detail in exc.problems[0].params["detail"]


# --- the file system --------------------------------------------------------------------------
def test_lock_file_is_refused_before_its_contents_are_looked_at(corpus, tmp_path):
    assert code_of(file(corpus, "~$budget.xlsx")) == "file.lock"
    disguised = tmp_path / "~$real.xlsx"
    disguised.write_bytes(xlsx_bytes())
    assert code_of(disguised) == "file.lock"
    libreoffice = tmp_path / ".~lock.budget.xlsx#"
    libreoffice.write_text("Anna Svensson,anna,host,23.11.2026 15:00,file:///C:/x;")
    assert code_of(libreoffice) == "file.lock"


def test_directory_is_refused(corpus):
    assert code_of(file(corpus, "folder.xlsx")) == "file.is_directory"


def test_missing_file_is_not_found(tmp_path):
    assert code_of(tmp_path / "nowhere.xlsx") == "file.not_found"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_without_blocking_on_it(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert bounded(fifo) == "file.not_workbook"


def test_message_names_the_file_not_its_full_path(corpus):
    outdir, _ = corpus
    exc = refusal(outdir / "external_entity.xlsx")
    assert exc.problems[0].params["path"] == "external_entity.xlsx"
    for lang in ("sv", "en"):
        assert "external_entity.xlsx" in exc.format(lang)
        assert str(outdir) not in exc.format(lang)
    assert exc.path == str(outdir / "external_entity.xlsx")


def test_corpus_exercises_every_refusal_code(corpus):
    _, expected = corpus
    codes = {e.outcome for e in expected.values()}
    assert codes >= {"ok", "file.lock", "file.is_directory", "file.not_workbook",
                     "file.encrypted", "file.damaged", "file.too_large", "file.unsafe_xml"}
    assert {e.format for e in expected.values() if not e.hostile} == {
        "xlsx", "xlsm", "ods", "xls"}


def test_corpus_bombs_are_valid_zips_with_true_sizes(corpus):
    # The declared sizes are real: the CRC of the 1 GiB sheet checks out when the whole
    # member is read (here, deliberately, and only by the test).
    with zipfile.ZipFile(file(corpus, "ratio_bomb.xlsx")) as zf:
        info = zf.getinfo(SHEET_XML)
        with zf.open(info) as member:
            total = 0
            while chunk := member.read(16 * MiB):
                total += len(chunk)
        assert total == info.file_size > 10**9


# --- every corpus file in a capped child process --------------------------------------------
CHILD = """
import resource, sys
limit = 512 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from grantstats.errors import UnreadableWorkbook
from grantstats.reading.sniff import preflight
try:
    print("ok", preflight(sys.argv[1]))
except UnreadableWorkbook as exc:
    print(exc.problems[0].code)
    print(exc.format("sv"))
    print(exc.format("en"))
"""


def _run_child(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                          text=True, timeout=10, env=env, check=False)


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource.setrlimit")
def test_every_hostile_file_ends_with_its_code_in_512_mb_and_10_s(corpus):
    outdir, expected = corpus
    names = sorted(name for name, want in expected.items() if want.hostile)
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        results = dict(zip(names, pool.map(lambda n: _run_child(outdir / n), names),
                           strict=True))
    failures = []
    for name in names:
        want = expected[name]
        done = results[name]
        out = done.stdout + done.stderr
        first = done.stdout.splitlines()[0] if done.stdout else ""
        wanted = want.outcome
        if done.returncode != 0 or first != wanted:
            failures.append(f"{name}: wanted {wanted!r}, got rc={done.returncode} {out[-300:]!r}")
        if any(marker in out for marker in PASSWD_MARKERS):
            failures.append(f"{name}: output shows /etc/passwd")
        if "Traceback" in out:
            failures.append(f"{name}: traceback {out[-300:]!r}")
    assert not failures, "\n".join(failures)


# --- no input escapes as anything but a format or a refusal --------------------------------------
_SEEDS = {
    "xlsx": xlsx_bytes(),
    "ods": ods_bytes(),
    "xls": ole2({"Workbook": biff_workbook()}),
    "encrypted": encrypted_ooxml(),
}


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(sorted(_SEEDS)),
       edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1,
                                                                          max_size=8)),
                      min_size=1, max_size=6),
       cut=st.floats(0.05, 1.0))
def test_mutated_workbooks_give_a_format_or_a_refusal_never_a_crash(tmp_path, seed, edits, cut):
    data = bytearray(_SEEDS[seed])
    for where, patch in edits:
        at = int(where * len(data))
        data[at:at + len(patch)] = patch
    data = data[: max(1, int(len(data) * cut))]
    path = tmp_path / f"mutated.{seed}"
    path.write_bytes(bytes(data))
    started = time.perf_counter()
    try:
        assert preflight(path) in {"xlsx", "xlsm", "ods", "xls"}
    except UnreadableWorkbook as exc:
        assert exc.problems[0].code.startswith("file.")
        exc.format("sv")
    assert time.perf_counter() - started < HANG


def test_external_entity_helper_really_references_passwd():
    # Guards the corpus itself: the XXE file would read /etc/passwd if parsed naively.
    assert b'SYSTEM "file:///etc/passwd"' in external_entity()


# --- the whole command, not only preflight, on every corpus file ---------------------------------
CLI_CHILD = """
import resource, sys
limit = 1024 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from grantstats.commands.cli import main
sys.exit(main(["check", sys.argv[1]]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource.setrlimit")
def test_grantstats_check_ends_every_corpus_file_cleanly_in_1_gb_and_20_s(corpus):
    outdir, expected = corpus
    names = sorted(expected)

    def run(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", CLI_CHILD, str(outdir / name)],
                              capture_output=True, text=True, timeout=20, check=False)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 2)) as pool:
        results = dict(zip(names, pool.map(run, names), strict=True))
    failures = []
    for name in names:
        done, want = results[name], expected[name]
        out = done.stdout + done.stderr
        if "Traceback" in out or any(marker in out for marker in PASSWD_MARKERS):
            failures.append(f"{name}: {out[-300:]!r}")
        elif want.hostile and (done.returncode != 2 or len(done.stderr.splitlines()) != 1):
            failures.append(f"{name}: wanted one line and exit 2, got {done.returncode} "
                            f"{done.stderr[-200:]!r}")
        elif done.returncode not in (0, 1, 2):
            failures.append(f"{name}: exit {done.returncode} {out[-200:]!r}")
    assert not failures, "\n".join(failures)


# --- reading a file once ----------------------------------------------------------------------
def test_read_checked_gives_the_format_and_the_very_bytes_checked(corpus):
    path = file(corpus, "valid.xlsx")
    kind, data = pf.read_checked(path)
    assert (kind, data) == ("xlsx", path.read_bytes())


class _Reads:
    """A file object of preflight's whose reads go through ``read(fh, n)``."""

    def __init__(self, fh, read):
        self.fh, self._read = fh, read

    def read(self, n=-1):
        return self._read(self.fh, n)

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


def _reads_through(monkeypatch, read) -> None:
    real_open = open
    monkeypatch.setattr(pf, "open", lambda *a, **k: _Reads(real_open(*a, **k), read),
                        raising=False)


def test_read_checked_reads_no_more_than_a_signature_of_a_file_that_is_no_workbook(
        tmp_path, monkeypatch):
    path = tmp_path / "film.xlsx"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\0" * (1 << 20))
    reads: list[int] = []

    def counted(fh, n):
        reads.append(len(data := fh.read(n)))
        return data

    _reads_through(monkeypatch, counted)
    with pytest.raises(UnreadableWorkbook) as info:
        pf.read_checked(path)
    assert info.value.problems[0].code == "file.not_workbook"
    assert sum(reads) <= 4096


def test_a_file_there_is_no_memory_for_is_called_too_large(corpus, monkeypatch):
    def no_memory(fh, n):
        if n > 4096:
            raise MemoryError
        return fh.read(n)

    _reads_through(monkeypatch, no_memory)
    with pytest.raises(UnreadableWorkbook) as info:
        pf.read_checked(file(corpus, "valid.xlsx"))
    assert info.value.problems[0].code == "file.too_large"


def test_a_file_that_grows_or_shrinks_while_it_is_read_is_called_changed(corpus, tmp_path,
                                                                         monkeypatch):
    path = tmp_path / "book.xlsx"
    genuine = file(corpus, "valid.xlsx").read_bytes()
    real_fstat = os.fstat
    for size in (len(genuine) - 10, len(genuine) + 10):  # the size seen a moment earlier
        path.write_bytes(genuine)
        monkeypatch.setattr(pf.os, "fstat", lambda fd, size=size: os.stat_result(
            (*real_fstat(fd)[:6], size, *real_fstat(fd)[7:])))
        with pytest.raises(UnreadableWorkbook) as info:
            pf.read_checked(path)
        assert info.value.problems[0].code == "file.changed"


def test_a_file_over_the_size_read_whole_is_refused_before_it_is_read(corpus, monkeypatch):
    path = file(corpus, "valid.xlsx")
    monkeypatch.setattr(pf, "MAX_FILE_SIZE", path.stat().st_size - 1)
    with pytest.raises(UnreadableWorkbook) as info:
        pf.read_checked(path)
    assert info.value.problems[0].code == "file.too_large"
    assert preflight(path) == "xlsx"  # the look without reading it whole has no such limit


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_file_swapped_for_a_named_pipe_after_its_stat_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    code = ("import os, stat, sys\nfrom grantstats.reading import sniff as pf\n"
            "real = os.stat\n"
            "def regular(path, *a, **k):  # what the stat saw: a file, a moment earlier\n"
            "    st = real(path, *a, **k)\n"
            "    return os.stat_result((stat.S_IFREG | 0o644, *st[1:6], 100, *st[7:]))\n"
            "pf.os.stat = regular\n"
            "try:\n    pf.read_checked(sys.argv[1])\n"
            "except pf.UnreadableWorkbook as exc:\n    print(exc.problems[0].code)\n")
    result = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                            text=True, timeout=30)
    assert result.stdout.strip() == "file.not_workbook", result.stderr


@pytest.mark.parametrize(("declared", "refused"), [
    ("4294967295", True), ("50000000", True), ("100000", False), ("3", False)])
def test_shared_strings_may_not_declare_more_than_they_can_hold(corpus, tmp_path, declared,
                                                                refused):
    """calamine reserves room for every declared string first (a huge count aborts it)."""
    src = file(corpus, "valid.xlsx")
    path = tmp_path / "sst.xlsx"
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
           b'/2006/main" count="3" uniqueCount="' + declared.encode() + b'"><si><t>a</t></si>'
           b"</sst>")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "xl/sharedStrings.xml":
                zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/sharedStrings.xml", sst)
    if refused:
        assert code_of(path) == "file.damaged"
        assert "shared strings" in refusal(path).problems[0].params["detail"]
    else:
        assert preflight(path) == "xlsx"


_NS = b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
#: Start tags of a shared-strings part declaring 4 294 967 295 strings, written the ways
#: calamine's XML reader still reads the count from.
SST_SPELLINGS = {
    "a '>' in an earlier value": b'<sst' + _NS + b' a=">" uniqueCount="4294967295">',
    "single quotes": b"<sst" + _NS + b" uniqueCount='4294967295'>",
    "leading zeros": b'<sst' + _NS + b' uniqueCount="' + b"0" * 30 + b'4294967295">',
    "a prefixed namesake first": b'<sst' + _NS + b' xmlns:x="urn:x" x:uniqueCount="1"'
                                 b' uniqueCount="4294967295">',
    "an empty prefix": b'<:sst' + _NS + b' uniqueCount="4294967295">',
    "a prefix with a quote": b'<a"b:sst' + _NS + b' uniqueCount="4294967295">',
    "tabs and line breaks": b'<sst' + _NS + b'\n\tuniqueCount\r\n=\t"4294967295">',
    "no space after a value": b'<sst' + _NS + b' count="1"uniqueCount="4294967295">',
}


def _with_sst(corpus, path: Path, start_tag: bytes) -> Path:
    src = file(corpus, "valid.xlsx")
    sst = b'<?xml version="1.0"?>' + start_tag + b"<si><t>a</t></si></sst>"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "xl/sharedStrings.xml":
                zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/sharedStrings.xml", sst)
    return path


@pytest.mark.parametrize("start_tag", SST_SPELLINGS.values(), ids=SST_SPELLINGS.keys())
def test_a_shared_string_count_is_found_however_its_tag_is_written(corpus, tmp_path,
                                                                   start_tag):
    path = _with_sst(corpus, tmp_path / "sst.xlsx", start_tag)
    assert "4294967295 shared strings" in refusal(path).problems[0].params["detail"]


def test_a_shared_strings_tag_longer_than_the_scanned_prefix_is_refused(corpus, tmp_path):
    padded = b"<sst" + _NS + b' a="' + b"x" * 5000 + b'" uniqueCount="4294967295">'
    problem = refusal(_with_sst(corpus, tmp_path / "sst.xlsx", padded)).problems[0]
    assert problem.code == "file.damaged" and "not whole within" in problem.params["detail"]


def test_shared_strings_are_capped_however_large_the_part(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(pf, "MAX_SHARED_STRINGS", 2)
    path = _with_sst(corpus, tmp_path / "sst.xlsx", b'<sst' + _NS + b' uniqueCount="3">')
    assert "3 shared strings" in refusal(path).problems[0].params["detail"]


def test_text_that_reads_like_a_shared_strings_tag_is_no_tag(write_xlsx, minimal):
    """Only a '<' starts a tag, and text cannot hold one unescaped."""
    minimal["projekt"][1][1] = 'Kod:sst 12 a:sst/b <sst uniqueCount="999999999">'
    path = write_xlsx(minimal)
    assert preflight(path) == "xlsx"


@pytest.mark.parametrize(("name", "swedish"), [
    ("truncated.xlsx", "filen är avkortad eller delar saknas"),
    ("empty.xlsx", "filen är tom"),
    ("document.xlsx", "ett annat slags fil"),
    ("corrupt_deflate.xlsx", "packade data är trasiga"),
])
def test_a_technical_detail_is_said_in_swedish_and_kept_in_english(corpus, name, swedish):
    """The English detail of a library or a check is kept, after Swedish words for what
    it is about; English shows the detail as it is."""
    exc = refusal(file(corpus, name))
    detail = exc.problems[0].params["detail"]
    line_sv, line_en = exc.format("sv"), exc.format("en")
    assert f"({swedish}: {detail})" in line_sv
    assert f"({detail})" in line_en and swedish not in line_en
