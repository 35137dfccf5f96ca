"""Charts: what is drawn, in which language, and what is never shown."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.text import Text

from grantstats import fmt
from grantstats.computing import metrics
from grantstats.computing.suppress import suppress, with_totals
from grantstats.contract import CATEGORIES
from grantstats.rendering import charts
from grantstats.texts import figure, text

NB = "\u00a0"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "exempel.xlsx"
NOTE = {"sv": "Illustrativa data: fördelningen över tid är påhittad, summorna är verkliga",
        "en": "Illustrative data: the spread over time is made up, the totals are real"}


# ---------------------------------------------------------------- data shaped like figures.*

def summary_table(name: str = "Regional samordning") -> pd.DataFrame:
    return pd.DataFrame(
        {"name": [name, "Jouren"], "applied": [1_165_000.0, 650_000.0],
         "granted": [1_289_000.0, 550_000.0], "requisitioned": [1_189_000.0, 0.0],
         "spent": [1_027_607.0, 0.0], "holdback_outstanding": [100_000.0, 110_000.0],
         "remaining_to_requisition": [100_000.0, 550_000.0],
         "unspent_requisitioned": [161_393.0, 0.0], "utilisation": [0.797, 0.0],
         "other_financing": [0.0, 0.0]},
        index=pd.Index(["REG-2009", "JOUR-2010"], name="project_id"))


def cumulative_table(illustrative: bool = True) -> pd.DataFrame:
    months = pd.date_range("2009-01-31", periods=6, freq="ME")
    spent = np.array([40_000.0, 40_000, 45_000, 40_000, 40_000, 50_000])
    return pd.DataFrame({"project_id": "REG-2009", "month": months, "spent": spent,
                         "cumulative": spent.cumsum(), "even": np.linspace(50_000, 300_000, 6),
                         "illustrative": illustrative})


def category_table() -> pd.DataFrame:
    keys = [c.key for c in CATEGORIES]
    out = pd.DataFrame({"project_id": "REG-2009", "category": keys,
                        "applied": [1_125_000.0, 0, 0, 0, 0, 40_000],
                        "spent": [1_006_698.0, 20_609, 0, 0, 0, 300]})
    out["variance"] = out["spent"] - out["applied"]
    out["variance_pct"] = (out["variance"] / out["applied"]).where(out["applied"] != 0)
    out["category"] = pd.Categorical(out["category"], categories=keys)
    return out


def age_table() -> pd.DataFrame:
    """12 shown; 2 hidden as <3 and 7 hidden as .. (secondary)."""
    raw = pd.DataFrame({"project_id": "P1", "age_group": pd.Categorical(
        ["0-17", "18-19", "20+"], categories=["0-17", "18-19", "20+"]), "count": [12, 2, 7]})
    return suppress(raw, "project_id")


def source_table(name: str = "Skolan") -> pd.DataFrame:
    """9 shown; 1 hidden as <3 and 4 hidden as .. (secondary)."""
    raw = pd.DataFrame({"project_id": "P1", "source": ["Polisen", name, "Socialtjänsten"],
                        "count": [9, 1, 4]})
    return suppress(raw, "project_id")


DATA = {
    "summary": summary_table, "row": lambda: summary_table().loc["REG-2009"],
    "cumulative": cumulative_table, "category": category_table, "age": age_table,
    "source": source_table,
}
CHARTS = [
    (charts.spend_vs_grant, charts.spend_vs_grant_alt, "summary"),
    (charts.financing_waterfall, charts.financing_waterfall_alt, "row"),
    (charts.cumulative_spend, charts.cumulative_spend_alt, "cumulative"),
    (charts.costs_by_category, charts.costs_by_category_alt, "category"),
    (charts.referrals_by_age_group, charts.referrals_by_age_group_alt, "age"),
    (charts.referrals_by_source, charts.referrals_by_source_alt, "source"),
]
IDS = [c[0].__name__ for c in CHARTS]


# ---------------------------------------------------------------- helpers

def draw(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    return buf.getvalue()


def texts(fig: Figure) -> list[str]:
    """Every text on the drawn figure (titles, ticks, labels, legends, notes)."""
    draw(fig)
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def bars(fig: Figure) -> int:
    ax = fig.axes[0]
    return sum(len(c) for c in ax.containers if isinstance(c, BarContainer))


def ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


# ---------------------------------------------------------------- common contract

@pytest.mark.parametrize(("chart", "alt", "data"), CHARTS, ids=IDS)
def test_returns_a_figure_and_leaves_input_unchanged(chart, alt, data):
    table = DATA[data]()
    before = table.copy(deep=True)
    fig = chart(table, source="Källa: exempel.xlsx")
    alt(table)
    assert isinstance(fig, Figure)
    assert "Källa: exempel.xlsx" in texts(fig)
    if isinstance(table, pd.Series):
        pd.testing.assert_series_equal(table, before)
    else:
        pd.testing.assert_frame_equal(table, before)


@pytest.mark.parametrize(("chart", "alt", "data"), CHARTS, ids=IDS)
def test_draws_on_given_axes(chart, alt, data):
    fig = Figure(figsize=(12, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    assert chart(DATA[data](), ax=right, lang="en") is fig
    assert right.get_title(loc="left") and not left.get_title(loc="left")
    draw(fig)


@pytest.mark.parametrize(("chart", "alt", "data"), CHARTS, ids=IDS)
def test_output_is_deterministic(chart, alt, data):
    assert draw(chart(DATA[data]())) == draw(chart(DATA[data]()))
    assert alt(DATA[data]()) == alt(DATA[data]())


@pytest.mark.parametrize(("chart", "alt", "data"), CHARTS, ids=IDS)
def test_no_tex_needed_even_when_usetex_is_on(chart, alt, data):
    with matplotlib.rc_context({"text.usetex": True}):
        fig = chart(DATA[data]())
        draw(fig)
    assert not any(t.get_usetex() for t in fig.findobj(Text))


def test_unknown_language_falls_back_to_swedish():
    fig = charts.spend_vs_grant(summary_table(), lang="fi")
    assert fig.axes[0].get_title(loc="left") == text("chart.title_spend", "sv")


# ---------------------------------------------------------------- 1. spend vs grant

@pytest.mark.parametrize(("lang", "title", "granted", "xlabel", "tick"), [
    ("sv", "Beviljat, rekvirerat och förbrukat per projekt", f"1{NB}289{NB}000{NB}kr", "kr",
     f"1{NB}000{NB}000"),
    ("en", "Granted, requisitioned and spent by project", f"SEK{NB}1,289,000", "SEK",
     "1,000,000"),
])
def test_spend_vs_grant(lang, title, granted, xlabel, tick):
    fig = charts.spend_vs_grant(summary_table(), lang=lang)
    ax = fig.axes[0]
    assert bars(fig) == 2 * len(charts.SPEND_SERIES)
    assert ax.get_title(loc="left") == title
    assert ticks(ax.get_yticklabels()) == ["Regional samordning", "Jouren"]
    assert tick in ticks(ax.get_xticklabels())
    assert ax.get_xlabel() == xlabel
    assert granted in texts(fig)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        figure(k, lang) for k in charts.SPEND_SERIES]


def test_spend_vs_grant_alt():
    sv = charts.spend_vs_grant_alt(summary_table())
    assert sv.startswith("Stapeldiagram")
    assert (f"Regional samordning: beviljat 1{NB}289{NB}000{NB}kr, rekvirerat "
            f"1{NB}189{NB}000{NB}kr, förbrukat 1{NB}027{NB}607{NB}kr") in sv
    assert f"granted SEK{NB}1,289,000" in charts.spend_vs_grant_alt(summary_table(), "en")


def test_small_amounts_are_in_kronor():
    table = summary_table()
    table[list(charts.SPEND_SERIES)] = table[list(charts.SPEND_SERIES)] / 1000
    ax = charts.spend_vs_grant(table).axes[0]
    assert ax.get_xlabel() == "kr"
    assert f"1{NB}000" in ticks(ax.get_xticklabels())  # 1 000 kr, not 1 000 tkr


# ---------------------------------------------------------------- 2. waterfall

@pytest.mark.parametrize(("lang", "labels"), [
    ("sv", ["Beviljat", "Kvar att\nrekvirera", "Rekvirerat", "Rekvirerat men\nej förbrukat",
            "Förbrukat"]),
    ("en", ["Granted", "Left to\nrequisition", "Requisitioned", "Requisitioned\nbut not spent",
            "Spent"]),
])
def test_financing_waterfall(lang, labels):
    fig = charts.financing_waterfall(summary_table().loc["REG-2009"], lang=lang)
    ax = fig.axes[0]
    assert bars(fig) == 5
    assert ticks(ax.get_xticklabels()) == labels
    rects = ax.containers[0].patches
    floating = [(r.get_y(), r.get_y() + r.get_height()) for r in rects]
    assert floating == [(0, 1_289_000), (1_189_000, 1_289_000), (0, 1_189_000),
                        (1_027_607, 1_189_000), (0, 1_027_607)]
    drawn = texts(fig)
    assert "Regional samordning" in ax.get_title(loc="left")
    for value in (1_289_000, -100_000, 1_189_000, -161_393, 1_027_607):
        assert fmt.amount(value, lang) in drawn


def test_financing_waterfall_alt():
    alt = charts.financing_waterfall_alt(summary_table().loc["REG-2009"])
    assert alt.startswith("Vattenfallsdiagram för Regional samordning:")
    assert (f"rekvirerat men ej förbrukat \u2212161{NB}393{NB}kr, förbrukat 1{NB}027{NB}607{NB}kr."
            in alt)


# ---------------------------------------------------------------- 3. cumulative

@pytest.mark.parametrize(("lang", "first"), [("sv", "jan. 2009"), ("en", "Jan 2009")])
def test_cumulative_spend(lang, first):
    fig = charts.cumulative_spend(cumulative_table(), lang=lang)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    assert ticks(ax.get_xticklabels())[0] == first
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].endswith(f"({fmt.amount(255_000, lang)})")  # spent at the end
    assert legend[1].endswith(f"({fmt.amount(300_000, lang)})")  # the grant
    assert NOTE[lang] in texts(fig)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_illustrative_note_only_when_illustrative(lang):
    assert NOTE[lang] not in texts(charts.cumulative_spend(cumulative_table(False), lang=lang))
    assert NOTE[lang] not in charts.cumulative_spend_alt(cumulative_table(False), lang)
    assert NOTE[lang] in charts.cumulative_spend_alt(cumulative_table(True), lang)
    some = cumulative_table(False)
    some.loc[2, "illustrative"] = True
    assert texts(charts.cumulative_spend(some, lang=lang)).count(NOTE[lang]) == 1
    assert NOTE[lang] not in texts(charts.spend_vs_grant(summary_table(), lang=lang))
    flagged = summary_table().assign(illustrative=[False, True])
    assert NOTE[lang] in texts(charts.spend_vs_grant(flagged, lang=lang))


def test_one_project_only():
    two = pd.concat([cumulative_table(), cumulative_table().assign(project_id="X")])
    with pytest.raises(ValueError, match="one project"):
        charts.cumulative_spend(two)


def test_cumulative_alt():
    alt = charts.cumulative_spend_alt(cumulative_table())
    assert "från jan. 2009 till juni 2009" in alt
    assert f"255{NB}000{NB}kr vid slutet" in alt and f"300{NB}000{NB}kr" in alt


# ---------------------------------------------------------------- 4. costs by category

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_costs_by_category(lang):
    fig = charts.costs_by_category(category_table(), lang=lang)
    ax = fig.axes[0]
    assert bars(fig) == 2 * len(CATEGORIES)
    expected = [getattr(c, lang) for c in CATEGORIES]
    shown = [t.replace("\n", " ") for t in ticks(ax.get_yticklabels())]
    assert [s.lower() for s in shown] == [e.lower() for e in expected]
    assert (f"1{NB}125{NB}000{NB}kr" if lang == "sv" else f"SEK{NB}1,125,000") in texts(fig)


def test_costs_by_category_alt():
    alt = charts.costs_by_category_alt(category_table())
    assert f"Personal, inkl. sociala avgifter: sökt 1{NB}125{NB}000{NB}kr" in alt
    assert "Lokaler" not in alt and alt.endswith("övriga kategorier 0\u00a0kr.")


# ---------------------------------------------------------------- 5–6. referrals

def numbers(strings) -> set[str]:
    return {n for s in strings for n in re.findall(r"\d+", s)}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_referrals_by_age_group_hides_small_counts(lang):
    table = age_table()
    fig = charts.referrals_by_age_group(table, lang=lang)
    ax = fig.axes[0]
    assert bars(fig) == 1  # the hidden 2 and 7 get no bar
    assert ticks(ax.get_xticklabels()) == ["0\u201317", "18\u201319", "20+"]  # en dashes
    assert ticks(ax.get_yticklabels()) == []  # no count axis to read a bar off
    drawn = texts(fig)
    assert {"12", "<3", ".."} <= set(drawn)
    alt = charts.referrals_by_age_group_alt(table, lang)
    assert "0\u201317: 12; 18\u201319: <3; 20+: .." in alt
    assert not {"2", "7", "21"} & numbers([*drawn, alt])  # hidden cells and the total


def test_referrals_with_total_row():
    raw = age_table()[["project_id", "age_group", "count"]]
    table = suppress(with_totals(raw, "project_id", "age_group", "Totalt"), "project_id")
    fig = charts.referrals_by_age_group(table)
    assert bars(fig) == 1
    assert "Totalt" not in ticks(fig.axes[0].get_xticklabels())
    assert "totalt: 21" in charts.referrals_by_age_group_alt(table)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_referrals_by_source_hides_small_counts(lang):
    table = source_table()
    fig = charts.referrals_by_source(table, lang=lang)
    assert bars(fig) == 1
    assert ticks(fig.axes[0].get_yticklabels()) == ["Polisen", "Skolan", "Socialtjänsten"]
    alt = charts.referrals_by_source_alt(table, lang)
    assert "Polisen: 9; Skolan: <3; Socialtjänsten: .." in alt
    assert not {"1", "4", "14"} & numbers([*texts(fig), alt])


def test_referral_charts_refuse_unsuppressed_counts():
    raw = age_table().drop(columns=["shown", "hidden"])
    with pytest.raises(ValueError, match="suppress"):
        charts.referrals_by_age_group(raw)
    with pytest.raises(ValueError, match="suppress"):
        charts.referrals_by_age_group_alt(raw)


# ---------------------------------------------------------------- cell text is literal

@pytest.mark.parametrize("name", ["$x$", r"$\notacommand{$", "<script>alert(1)</script>"])
def test_cell_text_is_drawn_literally(name):
    for fig in (charts.spend_vs_grant(summary_table(name)),  # tick label
                charts.financing_waterfall(summary_table(name).loc["REG-2009"]),  # title
                charts.referrals_by_source(source_table(name))):  # tick label
        draw(fig)  # mathtext would raise on \notacommand
        found = [t for t in fig.findobj(Text) if name in t.get_text()]
        assert found, name
        for drawn in found:
            assert not drawn.get_parse_math() and not drawn.get_usetex()


# ---------------------------------------------------------------- empty tables

@pytest.mark.parametrize(("chart", "alt", "data"),
                         [c for c in CHARTS if c[2] != "row"], ids=IDS[:1] + IDS[2:])
def test_empty_table_says_no_data(chart, alt, data):
    assert "Inga data" in texts(chart(DATA[data]().iloc[:0]))


# ---------------------------------------------------------------- the sample workbook

@pytest.fixture(scope="module")
def sample():
    from grantstats.reading.loader import load

    t = load(SAMPLE).tables
    one = "REG-2009"
    cum = metrics.cumulative_spend(t["projects"], t["grants"], t["costs"])
    cat = metrics.costs_by_category(t["costs"], t["budget"])
    refs = t["referrals"][t["referrals"]["project_id"] == one]
    return {
        "summary": metrics.project_summary(t["projects"], t["grants"], t["budget"], t["costs"],
                                           t["requisitions"], t["financing"]),
        "cumulative": cum[cum["project_id"] == one],
        "category": cat[cat["project_id"] == one],
        "age": suppress(metrics.referrals_by_age_group(refs), "project_id"),
        "source": suppress(metrics.referrals_by_source(refs), "project_id"),
    }


def test_sample_reg_2009(sample):
    summary = sample["summary"]
    drawn = texts(charts.spend_vs_grant(summary))
    assert f"1{NB}289{NB}000{NB}kr" in drawn and f"1{NB}027{NB}607{NB}kr" in drawn
    alt = charts.financing_waterfall_alt(summary.loc["REG-2009"])
    assert f"beviljat 1{NB}289{NB}000{NB}kr" in alt and f"förbrukat 1{NB}027{NB}607{NB}kr" in alt
    cumulative = charts.cumulative_spend(sample["cumulative"])
    assert NOTE["sv"] in texts(cumulative)
    assert ticks(cumulative.axes[0].get_xticklabels())[0] == "jan. 2009"
    assert bars(charts.costs_by_category(sample["category"])) == 12
    age = charts.referrals_by_age_group(sample["age"])
    assert bars(age) == 0 and {"..", "<3"} <= set(texts(age))  # 10, 3, 1: all hidden
    age_alt = charts.referrals_by_age_group_alt(sample["age"])
    assert "0\u201317: ..; 18\u201319: ..; 20+: <3" in age_alt
    assert bars(charts.referrals_by_source(sample["source"])) == 2


# ---------------------------------------------------------------- paper, black and white

def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an ``#rrggbb`` colour."""
    rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(colour: str, background: str = "#ffffff") -> float:
    lighter, darker = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _lightness(colour: str) -> float:
    """CIELAB L* (0 black … 100 white): what is left of a colour in black and white."""
    y = _luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def test_the_contrast_formula_is_wcags():
    assert round(_contrast("#000000"), 1) == 21.0
    assert round(_contrast("#767676"), 2) == 4.54  # the usual grey at 4.5:1
    assert round(_contrast("#E69F00"), 2) == 2.25  # the old orange the issue measured


@pytest.mark.parametrize("name", sorted(charts.COLOURS))
def test_every_colour_reaches_3_to_1_on_white(name):
    assert _contrast(charts.COLOURS[name]) >= charts.MIN_CONTRAST >= 3.0


@pytest.mark.parametrize("series", [charts.SPEND_SERIES, ("applied", "spent")])
def test_neighbouring_series_differ_in_black_and_white(series):
    steps = [abs(_lightness(charts.COLOURS[a]) - _lightness(charts.COLOURS[b]))
             for a, b in itertools.pairwise(series)]
    assert min(steps) >= charts.MIN_LIGHTNESS_STEP >= 15


def test_the_waterfalls_steps_down_are_hatched_as_well_as_labelled():
    ax = charts.financing_waterfall(summary_table().loc["REG-2009"]).axes[0]
    assert [bool(r.get_hatch()) for r in ax.containers[0].patches] == [
        False, True, False, True, False]


@pytest.mark.parametrize(("chart", "alt", "data"), CHARTS, ids=IDS)
def test_no_text_is_below_9_pt_at_a4_text_width(chart, alt, data):
    fig = chart(DATA[data]())
    a4_text_width = (210 - 2 * 16) / 25.4  # inches
    scale = min(1.0, a4_text_width / fig.get_figwidth())
    drawn = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    draw(fig)
    assert drawn and min(t.get_fontsize() for t in drawn) * scale >= 9


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_amounts_on_bars_are_in_the_axis_unit(lang):
    for fig, axis in ((charts.spend_vs_grant(summary_table(), lang=lang), "x"),
                      (charts.financing_waterfall(summary_table().loc["REG-2009"], lang=lang),
                       "y"),
                      (charts.costs_by_category(category_table(), lang=lang), "x")):
        ax = fig.axes[0]
        unit = ax.get_xlabel() if axis == "x" else ax.get_ylabel()
        assert unit == text("chart.kr", lang)
        labels = [t.get_text() for t in ax.texts if re.search(r"\d", t.get_text())]
        assert labels and all(unit in label for label in labels)
