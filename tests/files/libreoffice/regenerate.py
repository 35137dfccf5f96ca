"""Write the LibreOffice-made test files of this folder again (needs ``soffice``).

    .venv/bin/python tests/files/libreoffice/regenerate.py [OUT_FOLDER]

grantstats must read what LibreOffice writes, not only what openpyxl writes, so these
few files are made by LibreOffice itself (Debian: ``apt-get install
libreoffice-calc-nogui``) and committed; ``tests/test_libreoffice.py`` reads them, and
runs this script again into a temporary folder where ``soffice`` is installed:

- ``exempel-lo.ods``: the bundled sample saved as .ods (xlsx → ods);
- ``exempel-lo.xlsx``: that .ods saved as .xlsx again (ods → xlsx);
- ``mall-lo.xlsx``: ``grantstats template`` saved again as .xlsx (xlsx → xlsx), with its
  example rows, validation and frozen header as LibreOffice keeps them;
- ``ifylld-lo.xlsx``: the template without examples, filled in the Swedish way (text
  amounts ``550 000 kr``, a text date, ``20 %``), saved by LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from grantstats.commands.template import write_template
from grantstats.resources import sample_workbook

HERE = Path(__file__).resolve().parent
XLSX = "xlsx:Calc MS Excel 2007 XML"


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, target_format: str, out: Path, profile: Path) -> Path:
    """``source`` saved by LibreOffice as ``target_format`` into the folder ``out``."""
    program = soffice()
    if program is None:
        raise SystemExit("soffice (LibreOffice) is not installed")
    subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target_format, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    suffix = "." + target_format.split(":")[0]
    return out / (source.stem + suffix)


def _filled(path: Path) -> Path:
    """The empty template with a project filled in as a Swedish analyst writes it."""
    import openpyxl

    book = openpyxl.load_workbook(write_template(path, examples=False))
    book["projekt"].append(["P1", "Ifyllt i LibreOffice"])
    book["beslut"].append(["P1", "2010-03-31", "550 000 kr", "Länsstyrelsen", None, "20 %"])
    book["kostnader"].append(["P1", "2010-04-30", "Personal, inkl. sociala avgifter",
                              "12 500 kr"])
    book["kostnader"].append(["P1", "2010-05-31", "lokaler", 3000])
    book.save(path)
    return path


def regenerate(out: Path) -> list[Path]:
    """Write the three files into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        profile = work / "profile"  # a profile of its own: no user's settings leak in
        sample = work / "exempel-lo.xlsx"
        shutil.copyfile(sample_workbook(), sample)
        ods = convert(sample, "ods", work / "ods", profile)
        back = convert(ods, XLSX, work / "xlsx", profile)
        template = write_template(work / "mall-lo.xlsx")
        kept = convert(template, XLSX, work / "mall", profile)
        filled = convert(_filled(work / "ifylld-lo.xlsx"), XLSX, work / "ifylld", profile)
        written = []
        for made in (ods, back, kept, filled):
            target = out / made.name
            shutil.copyfile(made, target)
            written.append(target)
    return written


if __name__ == "__main__":
    for path in regenerate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
