"""Charts for the committee report: spend versus grant, drawn with matplotlib.

Every chart takes a table from :mod:`grantstats.computing.metrics` (referral counts
after :func:`~grantstats.computing.suppress.suppress`), draws on ``ax`` or on a new
figure and returns the :class:`~matplotlib.figure.Figure`; nothing is shown or saved
and inputs are left unchanged. Each chart has an ``<name>_alt`` twin giving the same
numbers as an alt text.
Texts from spreadsheet cells are drawn literally (no mathtext, no TeX).

Made to be read on paper and in black and white: every colour reaches 3:1 against
white (WCAG 1.4.11), the series that stand next to each other differ in lightness
(or, in the waterfall, are labelled on the axis and hatched), no text is smaller than
9 pt when a chart spans an A4 page's text width, and amounts on bars and on the axis
are in the same unit, kronor.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from grantstats import fmt
from grantstats.contract import CATEGORIES_BY_KEY
from grantstats.texts import figure, text

#: Blues for what was granted and requisitioned, orange for what was spent, as before,
#: but dark enough for 3:1 on white and on a lightness ladder: in the order the series
#: stand (:data:`SPEND_SERIES`, applied then spent) neighbours differ by at least
#: :data:`MIN_LIGHTNESS_STEP` in CIELAB L*, so they stay apart in black and white.
#: Blue against orange also stays apart for the common kinds of colour blindness.
COLOURS = {
    "granted": "#002B5C",  # navy, L* 18
    "applied": "#002B5C",
    "requisitioned": "#1F5FA8",  # blue, L* 40
    "spent": "#E66100",  # orange, L* 57, 3.5:1
    "decrease": "#B2182B",  # red, hatched: the waterfall's steps down
    "even": "#000000", "count": "#117733", "muted": "#555555",
}
MIN_CONTRAST = 3.0
MIN_LIGHTNESS_STEP = 15.0
#: 7 inches: the text width of an A4 page (210 mm less 2 × 16 mm margins) is 7.0 in, so
#: a chart is printed at its own size and its smallest text (:data:`MIN_FONT`) stays 9 pt.
REPORT_SIZE = (7.0, 4.0)
MIN_FONT = 9.0

#: what the overview draws per project (the held-back share is not a sum of its own: it
#: is part of what is granted and not yet requisitioned)
SPEND_SERIES = ("granted", "requisitioned", "spent")
#: the waterfall's steps down from one total to the next
DIFFERENCES = ("remaining_to_requisition", "unspent_requisitioned")


# ---------------------------------------------------------------- shared helpers

def _t(key: str, lang: str, **params: object) -> str:
    """The chart text ``chart.<key>`` in ``lang``."""
    return text(f"chart.{key}", lang, **params)


def _axes(ax: Axes | None, height: float = REPORT_SIZE[1]) -> tuple[Axes, set[Text]]:
    """The axes to draw on (a new report-sized figure if None) and the texts it already had."""
    if ax is None:
        fig = Figure(figsize=(REPORT_SIZE[0], max(REPORT_SIZE[1], height)), layout="constrained")
        ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    return ax, set(ax.texts)


def _wrap(text: object, width: int, lines: int = 3) -> str:
    """Wrap a label to ``width`` characters, at most ``lines`` lines (ellipsis after)."""
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], textwrap.shorten(" ".join(parts[lines - 1:]), width,
                                                       placeholder=" …")]
    return "\n".join(parts)


def _illustrative(table: pd.DataFrame) -> bool:
    return "illustrative" in table and bool(table["illustrative"].fillna(False).astype(bool).any())


def _one_project(table: pd.DataFrame) -> None:
    if "project_id" in table and table["project_id"].nunique() > 1:
        raise ValueError("this chart shows one project: filter the table on project_id first")


def _nums(values: object) -> np.ndarray:
    numbers: np.ndarray = np.nan_to_num(np.asarray(values, dtype=float))
    return numbers


def _amount_axis(ax: Axes, axis: str, values: np.ndarray, lang: str,
                 headroom: float = 1.08) -> None:
    """Fixed ticks for amounts in kronor, with the language's grouping: the unit of
    the amounts written on the bars, so a reader never converts between the two."""
    lo = min(0.0, float(values.min(initial=0.0)))
    hi = max(0.0, float(values.max(initial=0.0)))
    lo, hi = lo * (headroom if lo < 0 else 1), (hi * headroom) or 1.0
    nbins = 5 if axis == "x" else 6  # grouped kronor are wide: fewer ticks across
    ticks = np.asarray(MaxNLocator(nbins=nbins, steps=[1, 2, 5, 10]).tick_values(lo, hi))
    ticks = ticks[(ticks >= lo - 1e-9) & (ticks <= hi + 1e-9)]
    labels = [fmt.number(v, lang) for v in ticks]
    label = _t("kr", lang)
    if axis == "x":
        ax.set_xticks(ticks, labels)
        ax.set_xlim(lo, hi)
        ax.set_xlabel(label)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    else:
        ax.set_yticks(ticks, labels)
        ax.set_ylim(lo, hi)
        ax.set_ylabel(label)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)


def _below_axes(ax: Axes) -> Callable[[Any], Bbox]:
    """Anchor (as an annotation ``xycoords``) at the bottom left of the axes and its labels."""
    def bbox(renderer: Any) -> Bbox:
        boxes = [ax.bbox] + [b for b in (ax.xaxis.get_tightbbox(renderer),
                                         ax.yaxis.get_tightbbox(renderer)) if b is not None]
        return Bbox.from_bounds(min(b.x0 for b in boxes), min(b.y0 for b in boxes), 1, 1)
    return bbox


def _finish(ax: Axes, keep: set[Text], title: str, lang: str, source: str | None,
            notes: Sequence[str] = (), illustrative: bool = False) -> Figure:
    """Title, footnotes and source line; then make every text we drew literal."""
    width = ax.bbox.width / ax.figure.dpi * 72  # points
    ax.set_title(_wrap(title, max(30, int(width / 7.5)), 4), loc="left", fontsize=11,
                 fontweight="bold")
    footer: list[tuple[str, dict[str, Any]]] = [
        (_wrap(n, int(width / 5.2), 3), {"fontsize": MIN_FONT}) for n in notes]
    if illustrative:
        footer.insert(0, (_t("illustrative", lang), {"fontsize": MIN_FONT, "style": "italic"}))
    if source:
        footer.append((source, {"fontsize": MIN_FONT, "color": COLOURS["muted"]}))
    anchor: Any = _below_axes(ax)
    for line, style in footer:
        anchor = ax.annotate(line, xy=(0, 0), xycoords=anchor, xytext=(0, -3),
                             textcoords="offset points", ha="left", va="top", **style)
    for drawn in ax.findobj(Text):
        if drawn not in keep:
            drawn.set_usetex(False)
            drawn.set_parse_math(False)
    fig = ax.figure
    return fig if isinstance(fig, Figure) else fig.figure  # the root of a subfigure


def _no_data(ax: Axes, lang: str) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.5, 0.5, _t("no_data", lang), transform=ax.transAxes, ha="center",
            va="center", color=COLOURS["muted"])


def _grouped_barh(ax: Axes, labels: Sequence[str], table: pd.DataFrame,
                  series: Sequence[str], lang: str) -> None:
    """Horizontal bars, one group per label, one bar per figure, amounts at the bar ends."""
    y = np.arange(len(labels))
    height = 0.8 / len(series)
    for j, column in enumerate(series):
        values = table[column].to_numpy(dtype=float)
        bars = ax.barh(y - 0.4 + height * (j + 0.5), values, height=height,
                       color=COLOURS[column], label=figure(column, lang))
        ax.bar_label(bars, [fmt.amount(v, lang) for v in values], padding=2,
                     fontsize=MIN_FONT)
    ax.set_yticks(y, labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    _amount_axis(ax, "x", _nums(table[list(series)].to_numpy()), lang, headroom=1.32)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=MIN_FONT)


def _height(n_bars: int) -> float:
    return 1.4 + 0.26 * n_bars


def _sentence(parts: Sequence[str], end: str = ".") -> str:
    return "; ".join(parts) + end


# ---------------------------------------------------------------- 1. spend vs grant

def _project_names(summary: pd.DataFrame) -> list[str]:
    names = summary["name"] if "name" in summary else pd.Series(index=summary.index)
    return [str(n) if pd.notna(n) and str(n).strip() else str(pid)
            for pid, n in zip(summary.index, names, strict=True)]


def spend_vs_grant(summary: pd.DataFrame, *, lang: str = "sv", ax: Axes | None = None,
                   source: str | None = None) -> Figure:
    """Grouped bars per project: granted, requisitioned and spent.

    ``summary`` is :func:`grantstats.computing.metrics.project_summary` (index ``project_id``).
    """
    ax, keep = _axes(ax, _height(len(summary) * len(SPEND_SERIES)))
    if summary.empty:
        _no_data(ax, lang)
    else:
        labels = [_wrap(n, 28) for n in _project_names(summary)]
        _grouped_barh(ax, labels, summary, SPEND_SERIES, lang)
    return _finish(ax, keep, _t("title_spend", lang), lang, source,
                   illustrative=_illustrative(summary))


def spend_vs_grant_alt(summary: pd.DataFrame, lang: str = "sv") -> str:
    """Alt text for :func:`spend_vs_grant`: every project's three amounts."""
    rows = [f"{name}: " + ", ".join(f"{figure(c, lang).lower()} {fmt.amount(r[c], lang)}"
                                     for c in SPEND_SERIES)
            for name, (_, r) in zip(_project_names(summary), summary.iterrows(), strict=True)]
    return " ".join([_t("alt_spend", lang), *(row + "." for row in rows)])


# ---------------------------------------------------------------- 2. waterfall

def _waterfall_steps(row: pd.Series) -> list[tuple[str, float, float, float]]:
    """(figure, from, to, signed value): totals rise from 0, differences (left to
    requisition, requisitioned but not spent) fall from one running level to the next."""
    g, r, s = (float(np.nan_to_num(row[c])) for c in ("granted", "requisitioned", "spent"))
    return [("granted", 0, g, g), ("remaining_to_requisition", g, r, r - g),
            ("requisitioned", 0, r, r), ("unspent_requisitioned", r, s, s - r),
            ("spent", 0, s, s)]


def financing_waterfall(summary_row: pd.Series, *, lang: str = "sv", ax: Axes | None = None,
                        source: str | None = None) -> Figure:
    """Waterfall for one project: granted, less not yet requisitioned, = requisitioned,
    less unspent, = spent. ``summary_row`` is one row of ``project_summary``."""
    ax, keep = _axes(ax)
    steps = _waterfall_steps(summary_row)
    x = np.arange(len(steps))
    lows = np.array([min(b, e) for _, b, e, _ in steps])
    highs = np.array([max(b, e) for _, b, e, _ in steps])
    colours = [COLOURS["decrease"] if key in DIFFERENCES else COLOURS[key] for key, *_ in steps]
    bars = ax.bar(x, highs - lows, bottom=lows, color=colours, width=0.6)
    for bar, (key, *_) in zip(bars, steps, strict=True):
        if key in DIFFERENCES:  # a step down looks unlike a total in black and white too
            bar.set_hatch("///")
            bar.set_edgecolor("#ffffff")
            bar.set_linewidth(0)
    ax.bar_label(bars, [fmt.amount(v, lang) for *_, v in steps], padding=2,
                 fontsize=MIN_FONT)
    for i, (_, _, level, _) in enumerate(steps[:-1]):
        ax.plot([i + 0.3, i + 0.7], [level, level], color=COLOURS["muted"], linewidth=0.8,
                linestyle=":")
    ax.set_xticks(x, [_wrap(figure(key, lang), 14) for key, *_ in steps])
    _amount_axis(ax, "y", np.concatenate([lows, highs]), lang, headroom=1.12)
    name = summary_row.get("name")
    name = name if isinstance(name, str) and name.strip() else summary_row.name
    return _finish(ax, keep, f"{_t('title_waterfall', lang)}: {name}", lang, source)


def financing_waterfall_alt(summary_row: pd.Series, lang: str = "sv") -> str:
    """Alt text for :func:`financing_waterfall`: the five amounts in order."""
    name = summary_row.get("name")
    name = name if isinstance(name, str) and name.strip() else summary_row.name
    parts = [f"{figure(key, lang).lower()} {fmt.amount(v, lang)}"
             for key, *_, v in _waterfall_steps(summary_row)]
    return _t("alt_waterfall", lang, name=name) + " " + ", ".join(parts) + "."


# ---------------------------------------------------------------- 3. cumulative spend

def _month(value: object, lang: str) -> str:
    return format_date(pd.Timestamp(value).date(), "MMM yyyy", locale=fmt.locale(lang))


def _month_ticks(months: pd.Series, most: int = 8) -> list[int]:
    """Positions of evenly spaced months starting in January (1, 2, 3, 4, 6 or 12 apart)."""
    step = next((s for s in (1, 2, 3, 4, 6, 12) if len(months) / s <= most), 12)
    return [i for i, m in enumerate(months) if (pd.Timestamp(m).month - 1) % step == 0]


def cumulative_spend(cumulative: pd.DataFrame, *, lang: str = "sv", ax: Axes | None = None,
                     source: str | None = None) -> Figure:
    """Cumulative spend by month (steps with markers) against the grant spread evenly.

    ``cumulative`` is :func:`grantstats.computing.metrics.cumulative_spend` for one project.
    """
    _one_project(cumulative)
    ax, keep = _axes(ax)
    data = cumulative.sort_values("month")
    if data.empty:
        _no_data(ax, lang)
    else:
        x = np.arange(len(data))
        spent, even = (data[c].to_numpy(dtype=float) for c in ("cumulative", "even"))
        ax.plot(x, spent, drawstyle="steps-post", marker="o", markersize=3.5,
                color=COLOURS["spent"], linewidth=2,
                label=f"{_t('cumulative', lang)} ({fmt.amount(spent[-1], lang)})")
        ax.plot(x, even, color=COLOURS["even"], linestyle="--", linewidth=1.2,
                label=f"{_t('even', lang)} ({fmt.amount(even[-1], lang)})")
        ticks = _month_ticks(data["month"])
        ax.set_xticks(ticks, [_month(data["month"].iloc[i], lang) for i in ticks])
        ax.set_xlim(-0.5, len(data) - 0.5)
        _amount_axis(ax, "y", _nums(np.concatenate([spent, even])), lang)
        ax.legend(loc="upper left", frameon=False, fontsize=MIN_FONT)
    return _finish(ax, keep, _t("title_cumulative", lang), lang, source,
                   illustrative=_illustrative(cumulative))


def cumulative_spend_alt(cumulative: pd.DataFrame, lang: str = "sv") -> str:
    """Alt text for :func:`cumulative_spend`: period, final spend, grant, illustrative note."""
    data = cumulative.sort_values("month")
    if data.empty:
        return _t("no_data", lang) + "."
    alt = _t("alt_cumulative", lang,
             start=_month(data["month"].iloc[0], lang), end=_month(data["month"].iloc[-1], lang),
             spent=fmt.amount(data["cumulative"].iloc[-1], lang),
             even=fmt.amount(data["even"].iloc[-1], lang))
    return alt + (" " + _t("illustrative", lang) + "." if _illustrative(cumulative) else "")


# ---------------------------------------------------------------- 4. costs by category

def category_label(key: object, lang: str) -> str:
    """The form's name of a category as a label (``Staff``, not ``staff``); an unknown
    key stays as it is."""
    category = CATEGORIES_BY_KEY.get(str(key))
    label = str(key) if category is None else getattr(category, lang, category.sv)
    return label[:1].upper() + label[1:]


def costs_by_category(by_category: pd.DataFrame, *, lang: str = "sv", ax: Axes | None = None,
                      source: str | None = None) -> Figure:
    """Applied for against spent per cost category, labelled as on the funder's form.

    ``by_category`` is :func:`grantstats.computing.metrics.costs_by_category` for one project.
    """
    _one_project(by_category)
    ax, keep = _axes(ax, _height(2 * len(by_category)))
    if by_category.empty:
        _no_data(ax, lang)
    else:
        labels = [_wrap(category_label(c, lang), 22) for c in by_category["category"]]
        _grouped_barh(ax, labels, by_category, ("applied", "spent"), lang)
    return _finish(ax, keep, _t("title_category", lang), lang, source,
                   illustrative=_illustrative(by_category))


def costs_by_category_alt(by_category: pd.DataFrame, lang: str = "sv") -> str:
    """Alt text for :func:`costs_by_category`: categories with any amount, then the rest."""
    applied, spent = figure("applied", lang).lower(), figure("spent", lang).lower()
    used = by_category[(_nums(by_category["applied"]) != 0) | (_nums(by_category["spent"]) != 0)]
    parts = [f"{category_label(r.category, lang)}: {applied} "
             f"{fmt.amount(r.applied, lang)}, {spent} {fmt.amount(r.spent, lang)}"
             for r in used.itertuples(index=False)]
    if len(used) < len(by_category):
        parts.append(f"{_t('other_zero', lang)} {fmt.amount(0, lang)}")
    return _t("alt_category", lang) + " " + _sentence(parts)


# ---------------------------------------------------------------- 5–6. referrals

def _suppressed(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cells and the total rows of a suppressed count table (refuses raw counts)."""
    missing = {"shown", "hidden"} - set(table.columns)
    if missing:
        raise ValueError("referral charts need suppressed counts (grantstats.computing.suppress."
                         f"suppress); missing columns: {sorted(missing)}")
    _one_project(table)
    total = table["is_total"].fillna(False).astype(bool) if "is_total" in table else None
    if total is None:
        return table, table.iloc[:0]
    return table[~total], table[total]


def _marks(shown: Sequence[str], lang: str) -> list[str]:
    """Explanations of the suppression marks that occur in ``shown``."""
    fewer = sorted({s for s in shown if re.fullmatch(r"<\d+", s)})
    notes = [_t("fewer", lang, mark=m, n=m[1:]) for m in fewer]
    return notes + ([_t("secondary", lang)] if ".." in shown else [])


def _count_chart(table: pd.DataFrame, column: str, title: str, lang: str, ax: Axes | None,
                 source: str | None, horizontal: bool) -> Figure:
    """Bars of the shown counts; a hidden cell gets no bar, only its mark at the baseline."""
    cells, _ = _suppressed(table)
    n = len(cells)
    ax, keep = _axes(ax, _height(n) if horizontal else REPORT_SIZE[1])
    if cells.empty:
        _no_data(ax, lang)
        return _finish(ax, keep, title, lang, source)
    pos = np.arange(n)
    hidden = cells["hidden"].to_numpy(dtype=bool)
    shown = cells["shown"].astype(str).tolist()
    values = np.where(hidden, 0, _nums(cells["count"]))
    draw = ax.barh if horizontal else ax.bar
    bars = draw(pos[~hidden], values[~hidden], 0.6, color=COLOURS["count"])
    ax.bar_label(bars, [s for s, h in zip(shown, hidden, strict=True) if not h],
                 padding=2, fontsize=9)
    for p in pos[hidden]:
        xy = (0, p) if horizontal else (p, 0)
        ax.annotate(shown[p], xy=xy, xytext=(3, 0) if horizontal else (0, 3),
                    textcoords="offset points", ha="left" if horizontal else "center",
                    va="center" if horizontal else "bottom", fontsize=10,
                    color=COLOURS["muted"])
    labels = [_wrap(fmt.ranges(v), 30 if horizontal else 14) for v in cells[column].astype(str)]
    top = max(1.0, float(values.max(initial=0))) * 1.15
    if horizontal:
        ax.set_yticks(pos, labels)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, top)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
    else:
        ax.set_xticks(pos, labels)
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_xlabel(text("report.age_group", lang))
        ax.set_ylim(0, top)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    return _finish(ax, keep, title, lang, source, notes=_marks(shown, lang),
                   illustrative=_illustrative(cells))


def _count_alt(table: pd.DataFrame, column: str, intro: str, lang: str) -> str:
    cells, totals = _suppressed(table)
    parts = [f"{fmt.ranges(label)}: {s}" for label, s in zip(cells[column].astype(str),
                                                  cells["shown"].astype(str), strict=True)]
    parts += [f"{text('report.total', lang).lower()}: {s}" for s in totals["shown"].astype(str)]
    shown = [*cells["shown"].astype(str), *totals["shown"].astype(str)]
    return " ".join([intro, _sentence(parts), *(m + "." for m in _marks(shown, lang))])


def referrals_by_age_group(table: pd.DataFrame, *, lang: str = "sv", ax: Axes | None = None,
                           source: str | None = None) -> Figure:
    """Referrals per age group for one project, after suppression.

    Hidden counts are not drawn; their mark (``<3``, ``..``) stands at the baseline.
    """
    return _count_chart(table, "age_group", text("report.by_age", lang), lang, ax, source, False)


def referrals_by_age_group_alt(table: pd.DataFrame, lang: str = "sv") -> str:
    """Alt text for :func:`referrals_by_age_group`, using the shown values only."""
    return _count_alt(table, "age_group", _t("alt_age", lang), lang)


def referrals_by_source(table: pd.DataFrame, *, lang: str = "sv", ax: Axes | None = None,
                        source: str | None = None) -> Figure:
    """Referrals per source for one project, after suppression."""
    return _count_chart(table, "source", text("report.by_source", lang), lang, ax, source, True)


def referrals_by_source_alt(table: pd.DataFrame, lang: str = "sv") -> str:
    """Alt text for :func:`referrals_by_source`, using the shown values only."""
    return _count_alt(table, "source", _t("alt_source", lang), lang)


__all__ = [
    "COLOURS", "costs_by_category", "costs_by_category_alt",
    "cumulative_spend", "cumulative_spend_alt", "financing_waterfall",
    "financing_waterfall_alt", "referrals_by_age_group", "referrals_by_age_group_alt",
    "referrals_by_source", "referrals_by_source_alt", "spend_vs_grant", "spend_vs_grant_alt",
]
