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


@pytest.mark.slow
def test_explore_notebook_runs_top_to_bottom_on_the_sample(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "notebooks" / "01_utforska.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 6  # every chart
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "kostnader" in text  # the rows behind a figure name their sheet


@pytest.mark.slow
def test_explore_notebook_compares_with_a_previous_version(tmp_path):
    """With ``previous`` set, the last section shows the changed figures and rows."""
    import datetime as dt

    import nbformat
    import openpyxl
    from nbclient import NotebookClient

    from grantstats.resources import sample_workbook

    book = openpyxl.load_workbook(sample_workbook())
    book["kostnader"].append(["REG-2009", dt.date(2010, 12, 31), "personal", 12500, "Extra"])
    book.save(tmp_path / "ny.xlsx")
    nb = nbformat.read(ROOT / "notebooks" / "01_utforska.ipynb", as_version=4)
    parameters = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert "previous = None" in parameters.source
    parameters.source = (f"workbook = {str(tmp_path / 'ny.xlsx')!r}\n"
                         f"previous = {str(sample_workbook())!r}\nlang = 'sv'")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
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
