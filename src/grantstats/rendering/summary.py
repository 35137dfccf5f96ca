"""The figures of a workbook as one document: JSON for scripts, a text table for people.

The JSON shape is a stable interface (``grantstats summary --format json``)::

    {"grantstats_version", "workbook": {"path", "sha256"},
     "projects": [{"project_id", "name", "applied", "granted", "requisitioned", "spent",
                   "holdback_outstanding", "remaining_to_requisition",
                   "unspent_requisitioned", "utilisation", "other_financing",
                   "costs_by_category": {key: kr}, "referrals": {"total",
                   "by_age_group": {band: n}, "by_source": {source: n}},
                   "paid_out", "final_payment_due", "to_repay",
                   "allowed_before_final_report", "status",
                   "warnings": [{"code", "message"}]}],
     "as_of"}

In ``by_source`` the referrals without a source are counted under ``""``. The grant's
rules (``paid_out`` … ``status``, see ``docs/rules.md``) speak of ``as_of``
(``YYYY-MM-DD``, or null for a workbook without dated rows); ``status`` is ``running``,
``ended`` or ``late``; each warning's ``code`` is one of
:data:`grantstats.computing.rules.WARNINGS` and its ``message`` says it, with the fix, in
the summary's language.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from grantstats import fmt
from grantstats.computing import metrics
from grantstats.computing.results import Figures
from grantstats.contract import CATEGORY_KEYS
from grantstats.reading.loader import Workbook
from grantstats.texts import figure, render, text
from grantstats.version import __version__

AMOUNTS = [c for c in metrics.SUMMARY_COLUMNS if c not in ("name", "utilisation")]
#: the rule figures in kronor, after the other figures of a project
RULE_AMOUNTS = ["paid_out", "final_payment_due", "to_repay", "allowed_before_final_report"]
#: parameters of a warning that are amounts in kronor, and dates
_AMOUNT_PARAMS = frozenset({"requisitioned", "allowed", "granted", "spent", "held_back",
                            "amount"})
_DATE_PARAMS = frozenset({"end"})


def warning_params(params: dict[str, Any], lang: str = "sv") -> dict[str, Any]:
    """A warning's parameters as its message shows them in ``lang`` (amounts, dates)."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key in _AMOUNT_PARAMS:
            shown[key] = fmt.amount(value, lang)
        elif key in _DATE_PARAMS:
            shown[key] = fmt.date(value, lang)
        else:
            shown[key] = value
    return shown


def warning_text(code: str, params: dict[str, Any], lang: str = "sv") -> tuple[str, str]:
    """The (message, hint) of the warning ``code`` (one of
    :data:`grantstats.computing.rules.WARNINGS`) in ``lang``."""
    return render(f"warning.{code}", lang, warning_params(params, lang))


def warning_line(code: str, params: dict[str, Any], lang: str = "sv") -> str:
    """The warning as one line: ``message — fix``."""
    message, hint = warning_text(code, params, lang)
    return f"{message} — {hint}" if hint else message


def _number(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def summary_document(wb: Workbook, figures: Figures | None = None, *, lang: str = "sv",
                     as_of: Any = None) -> dict[str, Any]:
    """Every project's figures, amounts in kronor as numbers (``figures``: those of
    ``wb`` for every project, if computed already; else computed ``as_of`` that date).
    The warnings' messages are in ``lang``."""
    if figures is None:
        figures = Figures.of(wb, as_of=as_of)
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
        r = figures.rules.loc[pid]
        project.update({c: _number(r[c]) for c in RULE_AMOUNTS})
        project["status"] = str(r["status"])
        own = figures.warnings[figures.warnings["project_id"] == pid]
        project["warnings"] = [{"code": code, "message": warning_line(code, params, lang)}
                               for code, params in zip(own["code"], own["params"],
                                                       strict=True)]
        projects.append(project)
    return {
        "grantstats_version": __version__,
        "workbook": {"path": str(wb.path), "sha256": wb.sha256},
        "projects": projects,
        "as_of": None if figures.as_of is None else figures.as_of.date().isoformat(),
    }


def summary_text(doc: dict[str, Any], lang: str = "sv") -> str:
    """The summary as aligned text, one block per project."""
    labels = {key: figure(key, lang)
              for key in [*AMOUNTS, "utilisation", "referrals", *RULE_AMOUNTS, "status"]}
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
        for key in RULE_AMOUNTS:  # a roll-up across workbooks has none of these
            if key in p:
                lines.append(f"  {labels[key]:<{width}}  {fmt.amount(p[key], lang):>16}")
        if "status" in p:
            lines.append(f"  {labels['status']:<{width}}  "
                         f"{text('status.' + p['status'], lang):>16}")
        lines.extend(f"  ! {w['message']}" for w in p.get("warnings", ()))
        blocks.append("\n".join(lines))
    if doc.get("as_of"):
        blocks.append(text("report.as_of", lang, date=fmt.date(
            dt.date.fromisoformat(doc["as_of"]), lang)))
    return "\n\n".join(blocks)
