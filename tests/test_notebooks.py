"""Notebooks are committed without outputs, thin, and shipped with the package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_the_two_numbered_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_utforska.ipynb", "02_slutrapport.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"]


def test_report_notebook_has_a_papermill_parameters_cell():
    nb = json.loads((ROOT / "notebooks" / "02_slutrapport.ipynb").read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    for name in ("workbook", "project_id", "lang", "suppress_below"):
        assert f"{name} =" in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_is_thin(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            assert "def " not in source and "class " not in source
            assert len(source.splitlines()) <= 12


def _run(name: str, cwd: Path, allow_errors: bool = False, **params: object):
    """Execute notebook ``name`` in the working folder ``cwd``, its parameters set as
    JupyterLab or papermill would (assignments after the parameters cell's own)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for key in params:
        assert f"{key} =" in cell.source, key
    cell.source += "".join(f"\n{key} = {value!r}" for key, value in params.items())
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _html(nb) -> str:
    """Every HTML the notebook shows, in its cells and in its widgets (the picker's)."""
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for o in _outputs(nb))
    return shown + json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False)


@pytest.mark.slow
def test_explore_notebook_runs_top_to_bottom_on_the_sample(tmp_path):
    nb = _run("01_utforska.ipynb", tmp_path)
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    assert [o for o in outputs if "image/png" in o.get("data", {})]  # the chart of all
    html = _html(nb).replace("\\u00a0", "\u00a0")
    assert "Förbrukat" in html and "1\u00a0027\u00a0607\u00a0kr" in html
    assert "utvardering" not in html.split("widget-state")[0]  # the form's labels
    assert ">kostnader<" in html  # the rows behind a figure name their sheet
    tables = [o for o in outputs if "text/html" in o.get("data", {})]
    assert tables and all("text/plain" not in o["data"] for o in tables)  # one representation


def _variants(folder: Path) -> Path:
    """A workbook that passes check with a project for each way of being incomplete."""
    import datetime as dt

    import openpyxl

    d = dt.date
    book = openpyxl.Workbook()
    book.active.title = "projekt"
    sheets = {
        "projekt": [["projekt_id", "namn", "start", "slut"],
                    ["HEL", "Allt ifyllt", d(2020, 1, 1), d(2020, 12, 31)],
                    ["UTAN-KOST", "Utan kostnader", d(2020, 1, 1), d(2020, 12, 31)],
                    ["UTAN-ANM", "Utan anmälningar", None, None],
                    ["BARA-BESLUT", "Bara beslut", None, None]],
        "beslut": [["projekt_id", "beslutsdatum", "belopp"], ["HEL", d(2019, 12, 1), 100000],
                   ["UTAN-KOST", d(2019, 12, 1), 50000], ["UTAN-ANM", d(2020, 2, 1), 30000],
                   ["BARA-BESLUT", d(2020, 3, 1), 20000]],
        "budget": [["projekt_id", "kategori", "belopp"], ["HEL", "personal", 80000],
                   ["UTAN-KOST", "lokaler", 50000]],
        "kostnader": [["projekt_id", "datum", "kategori", "belopp"],
                      ["HEL", d(2020, 3, 31), "personal", 40000],
                      ["HEL", d(2020, 4, 30), "lokaler", "12 500 kr"],
                      ["UTAN-ANM", d(2020, 5, 31), "verksamhet", 7000]],
        "rekvisitioner": [["projekt_id", "datum", "belopp"], ["HEL", d(2020, 2, 1), 60000],
                          ["UTAN-KOST", d(2020, 2, 1), 10000]],
        "anmälningar": [["projekt_id", "datum", "ålder"], ["HEL", d(2020, 6, 1), 16],
                        ["UTAN-KOST", d(2020, 6, 1), 25]],
    }
    for title, rows in sheets.items():
        ws = book[title] if title in book.sheetnames else book.create_sheet(title)
        for row in rows:
            ws.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / "varianter.xlsx")
    return folder / "varianter.xlsx"


@pytest.mark.slow
@pytest.mark.parametrize("project_id", ["UTAN-KOST", "BARA-BESLUT"])
def test_explore_notebook_on_valid_variants_from_another_working_folder(tmp_path, project_id):
    """A project without costs (once a NaT crash), one with only its decision; the path
    relative to the notebook's working folder; export and comparison as parameters."""
    from grantstats import load

    _variants(tmp_path / "data")
    assert load(tmp_path / "data" / "varianter.xlsx").counts()["projects"] == 4  # check passes
    work = tmp_path / "notebooks"
    work.mkdir()
    nb = _run("01_utforska.ipynb", work, workbook="../data/varianter.xlsx",
              project_id=project_id, export_to="kategorier.xlsx", compare_with="../data")
    assert not [o for o in _outputs(nb) if o.output_type == "error"]
    assert '"output_type": "error"' not in json.dumps(nb.metadata.get("widgets", {}))
    html = _html(nb)
    assert "Utan kostnader" in html and "Bara beslut" in html
    assert (work / "kategorier.xlsx").exists()  # written next to the notebook's folder
    assert "varianter.xlsx" in html  # the comparison across workbooks


@pytest.mark.slow
def test_report_notebook_on_valid_variants(tmp_path):
    path = _variants(tmp_path)
    nb = _run("02_slutrapport.ipynb", tmp_path, workbook=str(path))
    assert not [o for o in _outputs(nb) if o.output_type == "error"]
    html = _html(nb)
    for name in ("Allt ifyllt", "Utan kostnader", "Utan anmälningar", "Bara beslut"):
        assert name in html


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_utforska.ipynb", "02_slutrapport.ipynb"])
def test_workbook_problems_show_once_as_a_table_without_traceback(tmp_path, write_xlsx,
                                                                  minimal, name):
    minimal["beslut"].append(["P1", "igår", "abc"])
    path = write_xlsx(minimal, name="fel.xlsx")
    nb = _run(name, tmp_path, allow_errors=True, workbook=str(path))
    load_cell = next(c for c in nb.cells if c.cell_type == "code"
                     and "grantstats.load(" in c.source)
    errors = [o for o in load_cell.outputs if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "WorkbookError"
    assert errors[0].traceback == ["fel.xlsx kan inte användas: 2 fel, se tabellen."]
    tables = [o["data"]["text/html"] for o in load_cell.outputs if o.output_type ==
              "display_data"]
    assert len(tables) == 1  # once
    table = tables[0]
    for header in ("Blad", "Cell", "Vad som är fel", "Så rättar du det"):
        assert f">{header}</th>" in table
    assert "inget belopp" in table and "cell.amount_invalid" not in table
    assert "Traceback" not in json.dumps([o for c in nb.cells[:nb.cells.index(load_cell) + 1]
                                          for o in c.get("outputs", [])])


@pytest.mark.slow
def test_explore_notebook_compares_with_a_previous_version(tmp_path):
    """With ``previous`` set, the last section shows the changed figures and rows."""
    import datetime as dt

    import openpyxl

    from grantstats.resources import sample_workbook

    book = openpyxl.load_workbook(sample_workbook())
    book["kostnader"].append(["REG-2009", dt.date(2010, 12, 31), "personal", 12500, "Extra"])
    book.save(tmp_path / "ny.xlsx")
    nb = _run("01_utforska.ipynb", tmp_path, workbook=str(tmp_path / "ny.xlsx"),
              previous=str(sample_workbook()))
    last = [o for c in nb.cells[-3:] for o in c.outputs]
    assert not [o for o in last if o.output_type == "error"]
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) for o in last)
    assert "1027607.0" in shown and "1040107.0" in shown and "12500.0" in shown  # spent
    assert "kostnader" in shown and "added" in shown  # the row, with its sheet


@pytest.mark.slow
def test_report_runs_from_an_installed_package_outside_the_repo(tmp_path):
    """The wheel carries the notebook and the sample; nothing is read from the checkout."""
    import subprocess
    import sys
    import zipfile

    wheel_dir, site, work = tmp_path / "wheel", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(wheel_dir)], check=True)
    wheel = next(wheel_dir.glob("grantstats-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for bundled in ("exempel.xlsx", "01_utforska.ipynb", "02_slutrapport.ipynb"):
        assert f"grantstats/_bundled/{bundled}" in names
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "HOME": str(tmp_path)}
    where = subprocess.run([sys.executable, "-c", "import grantstats.resources as r;"
                            "print(r.report_notebook()); print(r.sample_workbook())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert all(line.startswith(str(site)) for line in where.stdout.split())
    done = subprocess.run([sys.executable, "-m", "grantstats", "report", "--project",
                           "REG-2009", "--out", str(work / "out")], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    html = next((work / "out").glob("slutrapport-exempel-REG-2009-*.html")).read_text("utf-8")
    assert "1\u00a0027\u00a0607\u00a0kr" in html


@pytest.mark.slow
def test_report_notebook_runs_by_hand_on_a_path(tmp_path, write_xlsx, minimal):
    """As in JupyterLab: nothing handed over, so the notebook reads the path it is given."""
    import nbformat
    from nbclient import NotebookClient

    path = write_xlsx(minimal, name="egen.xlsx")
    nb = nbformat.read(ROOT / "notebooks" / "02_slutrapport.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace("workbook = None", f"workbook = {str(path)!r}", 1)
    assert "loaded = None" in params.source
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "<h1>Slutrapport – projektmedel</h1>" in html and "Projekt ett" in html
