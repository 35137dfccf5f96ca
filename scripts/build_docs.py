"""Write the generated tables of docs/workbook.md from grantstats.contract.

The prose of docs/workbook.md is written by hand; the parts between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` come from the contract, so
the docs can never disagree with the loader. ``python scripts/build_docs.py`` rewrites
them; ``--check`` exits 1 if they are out of date (tests run that).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from grantstats.contract import CATEGORIES, DEFAULT_AGE_BANDS, SHEETS, UNITS

DOC = Path(__file__).resolve().parents[1] / "docs" / "workbook.md"


def sheets_table() -> str:
    lines = ["| blad (sv / en) | en rad är | obligatoriska kolumner | valfria kolumner |",
             "|---|---|---|---|"]
    for s in SHEETS:
        name = f"`{s.sv}` / `{s.en}`" + (" (obligatoriskt)" if s.mandatory else "")
        req = ", ".join(f"`{c.sv}`/`{c.en}`" for c in s.required)
        if s.one_of:
            req += ", och " + " eller ".join(f"`{s.column(k).sv}`/`{s.column(k).en}`"
                                              for k in s.one_of[0])
        opt_keys = [c for c in s.columns if not c.required
                    and not any(c.key in g for g in s.one_of)]
        opt = ", ".join(f"`{c.sv}`/`{c.en}`" for c in opt_keys) or "–"
        lines.append(f"| {name} | {s.row_sv} | {req} | {opt} |")
    return "\n".join(lines)


def categories_table() -> str:
    lines = ["| nyckel | på blanketten | engelska | accepteras också |", "|---|---|---|---|"]
    for c in CATEGORIES:
        also = ", ".join(a for a in c.aliases if a not in (c.key, c.sv.lower(), c.en)) or "–"
        lines.append(f"| `{c.key}` | {c.sv} | {c.en} | {also} |")
    return "\n".join(lines)


def units_table() -> str:
    return "\n".join(["| enhet | gånger |", "|---|---|"]
                     + [f"| `{u}` | {f:,}".replace(",", " ") + " |" for u, f in UNITS.items()])


def bands_text() -> str:
    return ", ".join(f"`{b.label}`" for b in DEFAULT_AGE_BANDS)


GENERATED = {"sheets": sheets_table, "categories": categories_table, "units": units_table,
             "bands": bands_text}


def render(text: str) -> str:
    for name, make in GENERATED.items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- /generated:{name} -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    current = DOC.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if fresh == current else 1)
    DOC.write_text(fresh, encoding="utf-8")
