"""Write the generated tables of docs/workbook.md and docs/diff.md from grantstats.contract.

The prose of the docs is written by hand; the parts between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` come from the contract, so
the docs can never disagree with the loader (or with ``grantstats diff``).
``python scripts/build_docs.py`` rewrites them; ``--check`` exits 1 if they are out of
date (tests run that).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from grantstats.contract import CATEGORIES, DEFAULT_AGE_BANDS, SHEETS, UNITS

DOCS = [Path(__file__).resolve().parents[1] / "docs" / name
        for name in ("workbook.md", "diff.md")]


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


def identity_table() -> str:
    lines = ["| blad (sv / en) | identifierande kolumner (sv / en) |", "|---|---|"]
    for s in SHEETS:
        names = ", ".join(f"`{s.column(k).sv}`/`{s.column(k).en}`" for k in s.identity)
        lines.append(f"| `{s.sv}` / `{s.en}` | {names} |")
    return "\n".join(lines)


GENERATED = {"sheets": sheets_table, "categories": categories_table, "units": units_table,
             "bands": bands_text, "identity": identity_table}


def render(text: str) -> str:
    for name, make in GENERATED.items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- /generated:{name} -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    stale = []
    for doc in DOCS:
        current = doc.read_text(encoding="utf-8")
        fresh = render(current)
        if fresh != current:
            stale.append(doc)
            if "--check" not in sys.argv:
                doc.write_text(fresh, encoding="utf-8")
    sys.exit(1 if stale and "--check" in sys.argv else 0)
