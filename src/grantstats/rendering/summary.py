"""The figures of a workbook as one document: JSON for scripts, a text table for people.

The JSON shape is a stable interface (``grantstats summary --format json``)::

    {"grantstats_version", "workbook": {"path", "sha256"},
     "projects": [{"project_id", "name", "applied", "granted", "requisitioned", "spent",
                   "holdback_outstanding", "remaining_to_requisition",
                   "unspent_requisitioned", "utilisation", "other_financing",
                   "costs_by_category": {key: kr}, "referrals": {"total",
                   "by_age_group": {band: n}, "by_source": {source: n}}}]}

In ``by_source`` the referrals without a source are counted under ``""``.
"""

from __future__ import annotations

import math
from typing import Any

from grantstats import fmt
from grantstats.computing import metrics
from grantstats.computing.results import Figures
from grantstats.contract import CATEGORY_KEYS
from grantstats.reading.loader import Workbook
from grantstats.texts import figure
from grantstats.version import __version__

AMOUNTS = [c for c in metrics.SUMMARY_COLUMNS if c not in ("name", "utilisation")]


def _number(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def summary_document(wb: Workbook, figures: Figures | None = None) -> dict[str, Any]:
    """Every project's figures, amounts in kronor as numbers (``figures``: those of
    ``wb`` for every project, if computed already)."""
    if figures is None:
        figures = Figures.of(wb)
    elif figures.project_id is not None:
        raise ValueError("the summary covers every project, not only "
                         f"{figures.project_id!r}")
    summary, by_cat = figures.summary, figures.by_category
    by_age, by_source = figures.by_age, figures.by_source
    projects = []
    for pid, row in summary.iterrows():
        spent = by_cat[by_cat["project_id"] == pid].set_index("category")["spent"]
        ages = by_age[by_age["project_id"] == pid].set_index("age_group")["count"]
        sources = by_source[by_source["project_id"] == pid].set_index("source")["count"]
        project: dict[str, Any] = {"project_id": pid, "name": row["name"]}
        project.update({c: _number(row[c]) for c in AMOUNTS})
        project["utilisation"] = _number(row["utilisation"])
        project = {k: project[k] for k in ["project_id", *metrics.SUMMARY_COLUMNS]}
        project["costs_by_category"] = {k: float(spent.get(k, 0.0)) for k in CATEGORY_KEYS}
        project["referrals"] = {
            "total": int(ages.sum()),
            "by_age_group": {b.label: int(ages.get(b.label, 0)) for b in wb.age_bands},
            "by_source": {str(s): int(n) for s, n in sources.items()},
        }
        projects.append(project)
    return {
        "grantstats_version": __version__,
        "workbook": {"path": str(wb.path), "sha256": wb.sha256},
        "projects": projects,
    }


def summary_text(doc: dict[str, Any], lang: str = "sv") -> str:
    """The summary as aligned text, one block per project."""
    labels = {key: figure(key, lang) for key in [*AMOUNTS, "utilisation", "referrals"]}
    width = max(len(v) for v in labels.values())
    blocks = []
    for p in doc["projects"]:
        lines = [f"{p['project_id']}  {p['name']}"]
        for key in AMOUNTS:
            lines.append(f"  {labels[key]:<{width}}  {fmt.amount(p[key], lang):>16}")
        lines.append(f"  {labels['utilisation']:<{width}}  "
                     f"{fmt.percent(p['utilisation'], lang):>16}")
        ref = p["referrals"]
        groups = ", ".join(f"{k}: {v}" for k, v in ref["by_age_group"].items())
        lines.append(f"  {labels['referrals']:<{width}}  {ref['total']:>16}  ({groups})")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
