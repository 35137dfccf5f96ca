"""Files written by LibreOffice: read as LibreOffice writes them, with the same figures.

The files in ``tests/files/libreoffice/`` were made by LibreOffice with the script beside
them (``regenerate.py``); where ``soffice`` is installed, the round trip is also made
again here, so that a newer LibreOffice is tried too.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from grantstats import WorkbookError, load
from grantstats.contract import SHEETS
from grantstats.resources import sample_workbook

HERE = Path(__file__).resolve().parent / "files" / "libreoffice"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("regenerate", HERE / "regenerate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REGENERATE = _regenerate_module()


@pytest.fixture(scope="module", params=["committed", "made now"])
def folder(request, tmp_path_factory):
    """The committed files, and the same made again by the LibreOffice installed here."""
    if request.param == "committed":
        return HERE
    if REGENERATE.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    REGENERATE.regenerate(out)
    return out


def _figures(path):
    wb = load(path, cache=False)
    summary = wb.figures.summary
    return summary[["applied", "granted", "requisitioned", "spent"]].to_dict("index"), \
        int(wb.referrals["count"].sum())


@pytest.mark.parametrize("name", ["exempel-lo.ods", "exempel-lo.xlsx"])
def test_the_sample_round_tripped_by_libreoffice_gives_the_same_figures(folder, name):
    figures, referrals = _figures(folder / name)
    assert (figures, referrals) == _figures(sample_workbook())
    reg = figures["REG-2009"]
    assert (reg["granted"], reg["requisitioned"], reg["spent"]) == (1_289_000, 1_189_000,
                                                                   1_027_607)
    assert referrals == 14


def test_the_templates_example_rows_are_refused_after_libreoffice_saved_it(folder):
    with pytest.raises(WorkbookError) as info:
        load(folder / "mall-lo.xlsx", cache=False)
    problems = info.value.problems
    assert [p.code for p in problems] == ["sheet.examples_left"] * len(SHEETS)
    assert sorted(p.sheet for p in problems) == sorted(s.sv for s in SHEETS)


def test_a_template_filled_in_the_swedish_way_in_libreoffice_is_read(folder):
    wb = load(folder / "ifylld-lo.xlsx", cache=False)
    assert wb.grants["amount"].tolist() == [550_000.0]
    assert wb.grants["holdback_share"].tolist() == [0.2]
    assert wb.costs["amount"].tolist() == [12_500.0, 3_000.0]
    assert wb.figures.summary.loc["P1", "spent"] == 15_500


def test_libreoffice_keeps_the_templates_validation_rules(folder):
    """The custom rules survive (text lets through), and cover the rows below the last
    filled one: LibreOffice saves 1000 rows past the used area, again at every save."""
    from tests.commands.test_template import _excel_accepts

    book = openpyxl.load_workbook(folder / "mall-lo.xlsx")
    rules = {str(dv.sqref).split(":")[0]: dv for dv in
             book["beslut"].data_validations.dataValidation}
    amount = rules["C2"]
    assert amount.type == "custom"
    assert _excel_accepts(amount.formula1, "550 000 kr")
    assert not _excel_accepts(amount.formula1, -5)
    assert _excel_accepts(rules["B2"].formula1, "2010-03-31")
    for dv in book["beslut"].data_validations.dataValidation:
        end = int(re.search(r"(\d+)$", str(dv.sqref)).group(1))
        assert end >= 2 + 1000
        assert dv.prompt  # the input message is kept


def test_libreoffice_writes_a_workbook_grantstats_reads_as_xlsx(folder):
    with zipfile.ZipFile(folder / "exempel-lo.xlsx") as z:
        app = z.read("docProps/app.xml").decode()
    assert "LibreOffice" in app  # the file really is LibreOffice's


def _system_python_with_uno() -> str | None:
    """The system Python, where it has LibreOffice's ``uno`` (python3-uno) and soffice."""
    import shutil
    import subprocess

    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None or REGENERATE.soffice() is None:
        return None
    found = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60)
    return python if found.returncode == 0 else None


def test_libreoffice_opens_the_template_with_every_header_frozen(tmp_path):
    """What a LibreOffice user sees: each sheet of the contract has its header frozen."""
    import subprocess

    from grantstats.commands.template import write_template

    python = _system_python_with_uno()
    if python is None:
        pytest.skip("LibreOffice with python3-uno is not installed")
    path = write_template(tmp_path / "mall.xlsx")
    done = subprocess.run([python, str(HERE / "frozen_panes.py"), str(path)],
                          capture_output=True, text=True, timeout=180, check=True)
    frozen = dict(line.split("\t") for line in done.stdout.splitlines())
    assert {s.sv: frozen[s.sv] for s in SHEETS} == {s.sv: "yes" for s in SHEETS}
    assert frozen["instruktioner"] == "no"
