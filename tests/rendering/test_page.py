"""The page around a report: CSP, metadata, scroll containers, projects, contents, print."""

from __future__ import annotations

import re

import pytest

from grantstats.rendering.page import (
    CSP,
    contents,
    mark_projects,
    page,
    page_counter,
    scroll_tables,
    style,
)

TABLE = ('<table class="gs-table"><caption>Budget &amp; utfall</caption><thead><tr>'
         '<th scope="col">A</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody>'
         '</table>')
PROJECT = '<h2>{name}</h2><p class="gs-lead">Om projektet.</p><h3>Finansiering</h3>'
BODY = ("<h1>Slutrapport</h1><h2>Sammanfattning</h2><p>Kort.</p>"
        + PROJECT.format(name="Projekt A") + TABLE + PROJECT.format(name="Projekt B") + TABLE)


def test_the_page_allows_no_script_and_no_request_but_inline_styles():
    html = page(BODY, title="T", lang="sv", footer="f")
    assert f'content="{CSP}"' in html
    assert "default-src 'none'" in CSP and "script-src" not in CSP
    assert re.search(r"style-src 'unsafe-inline'", CSP)  # the SVG charts' style attributes
    assert "<script" not in html and "url(" not in html and "@import" not in html


def test_author_and_subject_are_in_the_metadata_escaped():
    html = page(BODY, title="T", lang="sv", footer="f", author='Enhet "Ö" <1>',
                subject="Uppföljning")
    assert '<meta name="author" content="Enhet &quot;Ö&quot; &lt;1&gt;">' in html
    assert '<meta name="description" content="Uppföljning">' in html
    assert 'name="author"' not in page(BODY, title="T", lang="sv", footer="f")


def test_each_table_scrolls_in_its_own_named_focusable_container():
    wrapped = scroll_tables(f"<p>x</p>{TABLE}<p>y</p>{TABLE}")
    assert wrapped.count('<div class="gs-scroll" tabindex="0" role="region" '
                         'aria-label="Budget &amp; utfall">') == 2
    assert wrapped.count(TABLE) == 2 and wrapped.count("</table></div>") == 2
    bare = scroll_tables("<table><tr><td>1</td></tr></table>")
    assert bare.startswith('<div class="gs-scroll" tabindex="0"><table>')


def test_project_headings_are_marked_and_others_are_not():
    marked = mark_projects(BODY)
    assert '<h2 class="gs-project" id="gs-project-1">Projekt A</h2>' in marked
    assert '<h2 class="gs-project" id="gs-project-2">Projekt B</h2>' in marked
    assert "<h2>Sammanfattning</h2>" in marked
    already = mark_projects('<h2 class="gs-project x" id="p1">C</h2>')
    assert already == '<h2 class="gs-project x" id="p1">C</h2>'
    other_class = mark_projects('<h2 class="x">D</h2><p class="gs-lead">l</p>')
    assert '<h2 class="gs-project x" id="gs-project-1">D</h2>' in other_class


@pytest.mark.parametrize(("lang", "heading"), [("sv", "Innehåll"), ("en", "Contents")])
def test_contents_list_the_projects_before_the_first(lang, heading):
    html = contents(mark_projects(BODY), lang)
    nav = re.search(r'<nav class="gs-toc".*?</nav>', html, re.S).group(0)
    assert f'<h2 id="gs-toc-heading">{heading}</h2>' in nav
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav) == [
        ("gs-project-1", "Projekt A"), ("gs-project-2", "Projekt B")]
    assert html.index("<nav") < html.index("Projekt A</h2>")
    assert html.index("Sammanfattning") < html.index("<nav")


def test_one_project_has_no_contents():
    body = "<h1>T</h1>" + PROJECT.format(name="Ensam")
    assert "<nav" not in page(body, title="T", lang="sv", footer="f")


@pytest.mark.parametrize(("lang", "css"), [
    ("sv", '"sida " counter(page) " av " counter(pages)'),
    ("en", '"page " counter(page) " of " counter(pages)'),
])
def test_the_print_footer_counts_pages_in_the_readers_language(lang, css):
    assert page_counter(lang) == css
    assert f"@bottom-right {{ content: {css};" in style(lang)


def test_print_rules_keep_headings_with_what_follows_and_start_projects_on_a_page():
    css = style("sv")
    printed = css[css.index("@media print"):]
    assert re.search(r"h1, h2, h3, caption \{ break-after: avoid", printed)
    assert re.search(r"h2\.gs-project \{ break-before: page", printed)
    assert re.search(r"tr, figure\.gs-chart \{ break-inside: avoid", printed)
    assert "string-set: report content()" in css and "string-set: project content()" in css
    assert "target-counter(attr(href), page)" in printed


def test_screen_rules_reflow_and_read_well():
    css = style("sv")
    assert ".gs-scroll { max-width: 100%; overflow-x: auto;" in css
    assert "max-width: 36em" in css  # a readable measure for prose
    assert "tabular-nums" in css
    assert re.search(r"figure\.gs-chart svg, figure\.gs-chart img \{ display: block; "
                     r"max-width: 100%; height: auto; \}", css)


def test_after_title_goes_after_the_h1():
    html = page(BODY, title="T", lang="sv", footer="f", after_title="<section>S</section>")
    assert html.index("</h1>") < html.index("<section>S</section>") < html.index("Sammanfattning")
