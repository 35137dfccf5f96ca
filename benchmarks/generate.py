"""Write the benchmark inputs into a folder; nothing large is checked in.

``python benchmarks/generate.py [DIR] [--rows N] [--projects N] [--workbooks N]`` writes

* ``ledger.xlsx``: a costs sheet (``kostnader``) of ``--rows`` rows (dates, project ids,
  categories, descriptions, amounts; a share of the amounts as Swedish text such as
  ``"12 500 kr"``) plus the ``projekt`` and ``beslut`` sheets, so it passes
  ``grantstats check``. The xlsx XML is written directly (shared strings, real date
  cells with a date number format): a million rows take seconds, not minutes;
* ``ledger-numbers.xlsx``: the same ledger with every amount a number cell, as a
  finance system's export has them;
* ``projects.xlsx``: ``--projects`` projects, each with grants, budget, costs,
  requisitions, other financing and referrals (written by
  :func:`grantstats.commands.template.write_workbook`, like the template and the sample);
* ``folder/``: ``--workbooks`` small valid workbooks and one Excel lock file
  (``~$x.xlsx``) that a folder check must skip;
* ``diff-old.xlsx`` and ``diff-new.xlsx``: two versions of a ledger of ``--diff-rows``
  rows, the new one with rows inserted, deleted and edited (:func:`write_ledger`'s
  ``changes``), for ``grantstats diff``;
* ``manifest.json``: the sizes, and what the ledger holds (its row count and the exact
  sum of its amounts), so a folder can be reused and a test can check the loader.

Without ``DIR`` the inputs go to a new temporary folder, whose path is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from grantstats.reading.refs import column_letter

LEDGER = "ledger.xlsx"
#: The same ledger with every amount a number cell, as a finance system exports it.
LEDGER_NUMBERS = "ledger-numbers.xlsx"
PROJECTS = "projects.xlsx"
FOLDER = "folder"
LOCK_FILE = "~$x.xlsx"
DIFF_OLD, DIFF_NEW = "diff-old.xlsx", "diff-new.xlsx"
MANIFEST = "manifest.json"

#: Default sizes (the issue's targets) and the tiny ones of a smoke run.
FULL = {"rows": 1_000_000, "projects": 20, "workbooks": 300, "diff_rows": 100_000}
SMOKE = {"rows": 2_000, "projects": 3, "workbooks": 6, "diff_rows": 2_000}
#: Rows inserted, deleted, edited (and amounts restyled) in the new version, per 1 000 rows.
DIFF_CHANGES_PER_1000 = 1

#: Share of the ledger's amounts written as Swedish text, and of empty descriptions.
TEXT_SHARE = 0.10
EMPTY_DESCRIPTION_SHARE = 0.05
LEDGER_PROJECTS = 20

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CATEGORY_TEXTS = (
    "Personal, inkl. sociala avgifter", "personal", "Lön", "Kostnader för verksamhet",
    "resor", "studiebesök", "Lokaler", "hyra", "Administration", "Utvärdering", "Övrigt",
    "trycksaker",
)
_WHAT = ("Lön", "Hyra", "Resa", "Konsultarvode", "Trycksaker", "Utbildning", "Studiebesök",
         "Kontorsmaterial", "Fika vid möte", "Tolk", "Handledning", "Annonsering")
_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")
DESCRIPTIONS = tuple(f"{w} {m}, ver {k}" for w in _WHAT for m in _MONTHS for k in range(1, 31))


@dataclass(frozen=True)
class LedgerFacts:
    """What a generated ledger holds: data rows of ``kostnader`` and their amounts' sum."""

    rows: int
    total: float
    text_amounts: int
    seconds: float


def excel_serial(day: dt.date) -> int:
    """The Excel (1900 system) serial number of ``day``."""
    return (day - _EXCEL_EPOCH).days


def swedish_amount(halves: int, style: int) -> str:
    """An amount given in half kronor as Swedish text, in one of four styles.

    ``12 500 kr``, ``12 500``, ``12 500:-`` and ``12 500 kr`` with no-break spaces; a
    half krona is written ``,50``.
    """
    sign = "-" if halves < 0 else ""
    whole, half = divmod(abs(halves), 2)
    space = "\u00a0" if style == 3 else " "
    text = f"{whole:,}".replace(",", space) + (",50" if half else "")
    suffix = (" kr", "", ":-", " kr")[style]
    return f"{sign}{text}{suffix}"


class _SharedStrings:
    """The workbook's shared-string table, filled while the sheets are written."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0  # string cells referring to the table

    def __call__(self, text: str) -> int:
        """The index of ``text`` for one more cell."""
        self.count += 1
        return self.intern(text)

    def intern(self, text: str) -> int:
        """The index of ``text``, added if new; the caller counts the cells."""
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def xml(self) -> Iterable[str]:
        yield (f'{_XML}<sst xmlns="{_NS}" count="{self.count}" '
               f'uniqueCount="{len(self.index)}">')
        for text in self.index:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            yield f"<si><t{space}>{escape(text)}</t></si>"
        yield "</sst>"


def _cell(ref: str, value: Any, sst: _SharedStrings) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{excel_serial(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="s"><v>{sst(str(value))}</v></c>'


def _sheet_head(ref: str) -> str:
    return (f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}"><dimension ref="{ref}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/><sheetData>')


_SHEET_TAIL = "</sheetData></worksheet>"


def _small_sheet(rows: Sequence[Sequence[Any]], sst: _SharedStrings) -> str:
    width = max(len(r) for r in rows)
    parts = [_sheet_head(f"A1:{column_letter(width - 1)}{len(rows)}")]
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letter(c)}{r}", v, sst) for c, v in enumerate(row))
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append(_SHEET_TAIL)
    return "".join(parts)


def _package_parts(sheet_names: Sequence[str]) -> dict[str, str]:
    """Every part of the package except the worksheets and the shared strings."""
    n = len(sheet_names)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1))
    content_types = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheet_types}"
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>")
    root_rels = (
        f'{_XML}<Relationships xmlns="{_NS_PKG}"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(sheet_names, start=1))
    workbook = (f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_NS_R}"><bookViews><workbookView/>'
                f'</bookViews><sheets>{sheets}</sheets><calcPr calcId="191029"/></workbook>')
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    wb_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1))
    wb_rels = (f'{_XML}<Relationships xmlns="{_NS_PKG}">{wb_rels}'
               f'<Relationship Id="rId{n + 1}" Type="{rel}styles" Target="styles.xml"/>'
               f'<Relationship Id="rId{n + 2}" Type="{rel}sharedStrings" '
               'Target="sharedStrings.xml"/></Relationships>')
    styles = (
        f'{_XML}<styleSheet xmlns="{_NS}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0"/></cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
        'xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    return {"[Content_Types].xml": content_types, "_rels/.rels": root_rels,
            "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": wb_rels,
            "xl/styles.xml": styles}


def write_ledger(path: str | Path, rows: int = FULL["rows"], *, seed: int = 2009,
                 changes: int = 0, text_share: float = TEXT_SHARE) -> LedgerFacts:
    """Write the large-ledger workbook to ``path`` and return what it holds.

    Parameters
    ----------
    path
        The .xlsx to write (replaced if it exists).
    rows
        Data rows of the ``kostnader`` sheet (before ``changes``).
    seed
        Seed of the random values; the same seed gives the same cells.
    changes
        Make this a later version of the ledger of the same ``rows`` and ``seed``:
        ``changes`` rows deleted, ``changes`` amounts edited, ``changes`` rows inserted
        (the first at the top, all dated 2011, after every original row's date, so none
        can be taken for an edit of a deleted one), and ``changes`` amounts rewritten
        from a number to text or back with the same value (no change to ``diff``).
    text_share
        Share of the amounts written as Swedish text (0: every amount a number cell,
        as a finance system's export has them).

    Returns
    -------
    LedgerFacts
        The row count and the exact sum of the amounts (numbers and text alike; every
        amount is a whole or half krona, so the float sum is exact).
    """
    import numpy as np

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    sst = _SharedStrings()
    pids = [f"P{i:02d}" for i in range(1, LEDGER_PROJECTS + 1)]
    start, end = excel_serial(dt.date(2008, 1, 1)), excel_serial(dt.date(2010, 12, 31))
    projekt = [["projekt_id", "namn", "enhet", "start", "slut"]] + [
        [pid, f"Projekt {pid}", "Enheten", dt.date(2008, 1, 1), dt.date(2010, 12, 31)]
        for pid in pids]
    beslut = [["projekt_id", "beslutsdatum", "belopp", "bidragsgivare"]] + [
        [pid, dt.date(2007, 12, 1), 50_000_000, "Länsstyrelsen"] for pid in pids]
    pid_ix = [sst.intern(p) for p in pids]
    cat_ix = [sst.intern(c) for c in CATEGORY_TEXTS]
    desc_ix = [sst.intern(d) for d in DESCRIPTIONS]

    dates = rng.integers(start, end + 1, rows).tolist()
    projects = rng.integers(0, len(pids), rows).tolist()
    cats = rng.integers(0, len(CATEGORY_TEXTS), rows).tolist()
    descs = rng.integers(0, len(DESCRIPTIONS), rows)
    descs[rng.random(rows) < EMPTY_DESCRIPTION_SHARE] = -1
    descs = descs.tolist()
    halves = rng.integers(200, 120_000, rows) + (rng.random(rows) < 0.1)  # some ,50
    halves[rng.random(rows) < 0.01] *= -1  # corrections
    halves = halves.tolist()
    styles = np.where(rng.random(rows) < text_share, rng.integers(0, 4, rows), -1).tolist()
    table = list(zip(dates, projects, cats, descs, halves, styles, strict=True))
    if changes:
        table = _later_version(table, changes, np.random.default_rng(seed + 1))
    rows = len(table)

    total_halves = 0
    texts = 0
    path = Path(path)
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in _package_parts(["projekt", "beslut", "kostnader"]).items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", _small_sheet(projekt, sst))
        zf.writestr("xl/worksheets/sheet2.xml", _small_sheet(beslut, sst))
        with zf.open("xl/worksheets/sheet3.xml", "w", force_zip64=True) as out:
            header = ["datum", "projekt_id", "kategori", "beskrivning", "belopp"]
            chunk = [_sheet_head(f"A1:E{rows + 1}"),
                     '<row r="1">' + "".join(_cell(f"{column_letter(c)}1", h, sst)
                                             for c, h in enumerate(header)) + "</row>"]
            for i, (day, project, cat, d, h, style) in enumerate(table):
                r = i + 2
                total_halves += h
                if style >= 0:  # text, in one of four styles
                    texts += 1
                    amount = f'<c r="E{r}" t="s"><v>{sst.intern(swedish_amount(h, style))}</v></c>'
                else:
                    amount = f'<c r="E{r}"><v>{h // 2 if h % 2 == 0 else h / 2}</v></c>'
                desc = "" if d < 0 else f'<c r="D{r}" t="s"><v>{desc_ix[d]}</v></c>'
                chunk.append(
                    f'<row r="{r}"><c r="A{r}" s="1"><v>{day}</v></c>'
                    f'<c r="B{r}" t="s"><v>{pid_ix[project]}</v></c>'
                    f'<c r="C{r}" t="s"><v>{cat_ix[cat]}</v></c>{desc}{amount}</row>')
                if len(chunk) >= 20_000:
                    out.write("".join(chunk).encode())
                    chunk = []
            chunk.append(_SHEET_TAIL)
            out.write("".join(chunk).encode())
        sst.count += 2 * rows + sum(1 for row in table if row[3] >= 0) + texts
        zf.writestr("xl/sharedStrings.xml", "".join(sst.xml()))
    return LedgerFacts(rows=rows, total=total_halves / 2, text_amounts=texts,
                       seconds=round(time.perf_counter() - started, 2))


def _later_version(table: list[tuple[int, ...]], n: int, rng: Any) -> list[tuple[int, ...]]:
    """``table`` (rows of date, project, category, description, half kronor, style) as a
    later version: ``n`` rows deleted, ``n`` amounts edited, ``n`` amounts restyled
    (number ↔ text, same value) and ``n`` rows inserted, dated 2011 (see write_ledger)."""
    picked = rng.choice(len(table), 3 * n, replace=False).tolist()
    deleted, edited, restyled = set(picked[:n]), picked[n:2 * n], picked[2 * n:]
    table = list(table)
    for i in edited:
        day, project, cat, desc, halves, style = table[i]
        table[i] = (day, project, cat, desc, halves + 2 * (1 + i % 97), style)
    for i in restyled:
        day, project, cat, desc, halves, style = table[i]
        table[i] = (day, project, cat, desc, halves, 0 if style < 0 else -1)
    table = [row for i, row in enumerate(table) if i not in deleted]
    first = excel_serial(dt.date(2011, 1, 1))
    where = [0, *sorted(rng.integers(1, len(table), n - 1).tolist(), reverse=True)]
    for k, at in enumerate(where):
        table.insert(at, (first + k % 365, k % LEDGER_PROJECTS, k % len(CATEGORY_TEXTS),
                          k % len(DESCRIPTIONS), 2 * (1_000 + k), -1))
    return table


def project_rows(n: int, *, seed: int = 20, costs_per_project: int = 12, prefix: str = ""
                 ) -> dict[str, list[dict[str, Any]]]:
    """Rows of a contract workbook with ``n`` projects (ids ``P01``…, after ``prefix``),
    for write_workbook."""
    rnd = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "projects", "grants", "budget", "costs", "requisitions", "referrals", "financing")}
    categories = ("personal", "verksamhet", "lokaler", "administration", "utvardering",
                  "ovrigt")
    for p in range(1, n + 1):
        pid = f"{prefix}P{p:02d}"
        year = 2008 + p % 3
        grant = rnd.randrange(200, 1500) * 1000
        rows["projects"].append({"project_id": pid, "name": f"Projekt {p}",
                                 "unit": f"Enhet {1 + p % 4}", "start": dt.date(year, 1, 1),
                                 "end": dt.date(year, 12, 31)})
        rows["grants"].append({"project_id": pid, "decision_date": dt.date(year - 1, 11, 20),
                               "amount": grant, "funder": "Länsstyrelsen",
                               "reference": f"dnr {year}/{p:03d}", "holdback_share": 0.2,
                               "report_due": dt.date(year + 1, 1, 31)})
        shares = (0.6, 0.15, 0.1, 0.05, 0.05, 0.05)
        for cat, share in zip(categories, shares, strict=True):
            rows["budget"].append({"project_id": pid, "category": cat,
                                   "amount": round(grant * share), "description": cat})
        for k in range(costs_per_project):
            rows["costs"].append({
                "project_id": pid, "date": dt.date(year, 1 + k % 12, 25),
                "category": categories[k % len(categories)],
                "amount": rnd.randrange(5_000, grant // costs_per_project),
                "description": f"{_WHAT[k % len(_WHAT)]} {_MONTHS[k % 12]}"})
        for half in (0, 1):
            rows["requisitions"].append({"project_id": pid, "date": dt.date(year, 2 + 6 * half, 15),
                                         "amount": round(grant * 0.4),
                                         "reference": f"dnr {year}/{p:03d}"})
        rows["financing"].append({"project_id": pid, "source": "Egen finansiering",
                                  "amount": rnd.randrange(10, 100) * 1000})
        for k in range(5):
            rows["referrals"].append({"project_id": pid, "date": dt.date(year, 3 + k, 1),
                                      "age_group": ("0-17", "18-19", "20+")[k % 3],
                                      "count": rnd.randrange(1, 6), "source": "Uppsökande"})
    return rows


def write_projects(path: str | Path, projects: int = FULL["projects"], *, seed: int = 20,
                   costs_per_project: int = 12, prefix: str = "") -> Path:
    """Write a contract workbook with ``projects`` projects to ``path`` (replaced); their
    ids start with ``prefix``."""
    from grantstats.commands.template import write_workbook

    path = Path(path)
    path.unlink(missing_ok=True)
    return write_workbook(path, project_rows(projects, seed=seed, prefix=prefix,
                                             costs_per_project=costs_per_project))


def write_lock_file(path: Path) -> Path:
    """An Excel owner ("lock") file as Excel leaves next to an open workbook."""
    user = b"bench"
    data = bytes([len(user)]) + user.ljust(53, b" ") + bytes([len(user), 0])
    data += "bench".encode("utf-16-le")
    path.write_bytes(data.ljust(165, b"\0"))
    return path


def write_folder(folder: str | Path, workbooks: int = FULL["workbooks"]) -> list[Path]:
    """Write ``workbooks`` small valid workbooks and one lock file into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("book-*.xlsx"), folder / LOCK_FILE]:
        old.unlink(missing_ok=True)
    # each workbook its own projects: a project id in two workbooks is a problem
    written = [write_projects(folder / f"book-{i:04d}.xlsx", 1 + i % 3, seed=i,
                              costs_per_project=10 + i % 30, prefix=f"B{i:04d}-")
               for i in range(workbooks)]
    write_lock_file(folder / LOCK_FILE)
    return written


PARTS = ("ledger", "projects", "folder", "diff")


def diff_changes(rows: int) -> int:
    """Rows inserted (and deleted, and edited) in the new version of a ``rows`` ledger."""
    return max(1, rows * DIFF_CHANGES_PER_1000 // 1000)


def write_diff_pair(out: Path, rows: int) -> dict[str, Any]:
    """The two versions of a ledger for ``grantstats diff``, and what changed."""
    n = diff_changes(rows)
    old = write_ledger(out / DIFF_OLD, rows)
    new = write_ledger(out / DIFF_NEW, rows, changes=n)
    return {"old": DIFF_OLD, "new": DIFF_NEW, "old_rows": old.rows, "new_rows": new.rows,
            "added": n, "removed": n, "changed": n, "restyled": n,
            "spent_difference": new.total - old.total}


def generate(out: str | Path, rows: int = FULL["rows"], projects: int = FULL["projects"],
             workbooks: int = FULL["workbooks"], parts: Iterable[str] = PARTS,
             log: Any = None, diff_rows: int = FULL["diff_rows"]) -> dict[str, Any]:
    """Write the inputs named in ``parts`` into ``out`` and return the manifest.

    Parts already present with the same size (per ``manifest.json``) are kept.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    say = log or (lambda _text: None)
    manifest_path = out / MANIFEST
    manifest: dict[str, Any] = (json.loads(manifest_path.read_text())
                                if manifest_path.exists() else {})
    wanted = {"ledger": rows, "projects": projects, "folder": workbooks, "diff": diff_rows}
    files = {"ledger": out / LEDGER, "projects": out / PROJECTS, "folder": out / FOLDER,
             "diff": out / DIFF_NEW}
    for part in parts:
        entry = manifest.get(part, {})
        if entry.get("size") == wanted[part] and files[part].exists() and (
                part != "ledger" or (out / LEDGER_NUMBERS).exists()):
            say(f"reusing {files[part]}")
            continue
        started = time.perf_counter()
        say(f"writing {files[part]} ({wanted[part]:,} {_UNITS[part]})")
        entry = {"size": wanted[part], "path": files[part].name}
        if part == "ledger":
            entry.update(asdict(write_ledger(files[part], rows)))
            entry["numbers"] = asdict(write_ledger(out / LEDGER_NUMBERS, rows, text_share=0))
        elif part == "projects":
            write_projects(files[part], projects)
        elif part == "diff":
            entry.update(write_diff_pair(out, diff_rows))
        else:
            write_folder(files[part], workbooks)
        entry["seconds"] = round(time.perf_counter() - started, 2)
        manifest[part] = entry
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


_UNITS = {"ledger": "rows", "projects": "projects", "folder": "workbooks", "diff": "rows"}


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", help="folder for the inputs (default: a new temp dir)")
    parser.add_argument("--rows", type=int, default=FULL["rows"], help="rows of the ledger")
    parser.add_argument("--projects", type=int, default=FULL["projects"],
                        help="projects of projects.xlsx")
    parser.add_argument("--workbooks", type=int, default=FULL["workbooks"],
                        help="small workbooks in folder/")
    parser.add_argument("--diff-rows", "--diff_rows", dest="diff_rows", type=int,
                        default=FULL["diff_rows"], help="rows of the two ledgers for diff")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: " + ", ".join(
        f"{k} {v}" for k, v in SMOKE.items()))
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"which inputs, comma-separated (default: {','.join(PARTS)})")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else {"rows": args.rows, "projects": args.projects,
                                       "workbooks": args.workbooks, "diff_rows": args.diff_rows}
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="grantstats-bench-"))
    manifest = generate(out, **sizes, parts=parts,
                        log=lambda text: print(text, file=sys.stderr, flush=True))
    print(json.dumps({"inputs": str(out), **manifest}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
