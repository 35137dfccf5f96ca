"""A chart as a <figure>: inline SVG with its text as text, alt text, caption."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.figure import Figure

from grantstats.rendering.figure import FONT, figure_html, svg_markup

SVG = "{http://www.w3.org/2000/svg}"


def chart(title: str = "Förbrukat 1\u00a0027\u00a0607\u00a0kr") -> Figure:
    fig = Figure(figsize=(4, 2.5))
    ax = fig.add_subplot()
    ax.bar([0, 1], [3, 4])
    ax.set_title(title)
    return fig


def test_a_chart_is_an_inline_svg_with_its_text_as_text():
    markup = figure_html(chart(), "Stapeldiagram: 3 och 4.", "Figur 1")
    assert markup.startswith('<figure class="gs-chart"><svg ')
    assert markup.endswith("<figcaption>Figur 1</figcaption></figure>")
    assert "<img" not in markup and "base64" not in markup
    svg = ET.fromstring(markup[markup.index("<svg"):markup.index("</svg>") + len("</svg>")])
    words = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "Förbrukat 1\u00a0027\u00a0607\u00a0kr" in words  # not paths: searchable, crisp
    assert all(FONT in t.get("style", "") for t in svg.iter(f"{SVG}text"))


def test_the_svg_is_named_by_its_alt_text_escaped():
    alt = 'Projekt "A" <script>x</script> & B'
    markup = svg_markup(chart(), alt)
    assert 'role="img"' in markup
    assert 'aria-label="Projekt &quot;A&quot; &lt;script&gt;x&lt;/script&gt; &amp; B"' in markup
    assert "<title>Projekt &quot;A&quot; &lt;script&gt;x&lt;/script&gt; &amp; B</title>" in markup
    assert "<script" not in markup


def test_the_svg_carries_no_prolog_metadata_or_page_wide_style():
    markup = svg_markup(chart(), "alt")
    assert markup.startswith("<svg ")
    for absent in ("<?xml", "<!DOCTYPE", "<metadata", "<style", "dc:date", "http://www.w3.org/1999/02/22"):
        assert absent not in markup
    assert 'viewBox="0 0 288 180"' in markup  # 4 × 2.5 in, in points: it scales


def test_ids_are_only_those_referred_to_and_unique_to_the_chart():
    one, two = svg_markup(chart("A"), "a"), svg_markup(chart("B"), "b")
    for markup in (one, two):
        ids = re.findall(r'\bid="([^"]+)"', markup)
        refs = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', markup))
        assert ids and set(ids) == refs and len(ids) == len(set(ids))
    assert not set(re.findall(r'\bid="([^"]+)"', one)) & set(re.findall(r'\bid="([^"]+)"', two))


def test_the_same_chart_gives_the_same_markup():
    assert svg_markup(chart(), "alt") == svg_markup(chart(), "alt")


@pytest.mark.parametrize("caption", [None, ""])
def test_no_caption_no_figcaption(caption):
    assert "<figcaption>" not in figure_html(chart(), "alt", caption)


def test_html_is_shown_as_html_in_jupyter():
    markup = figure_html(chart(), "alt")
    assert markup._repr_html_() == str(markup)
