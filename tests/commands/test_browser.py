"""The sample's reports as a reader's browser shows them: accessible (axe-core, WCAG 2.1
AA), no sideways scrolling of the page on a narrow phone, charts named for screen
readers, wide tables scrolling in their own keyboard-reachable container."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands.browser import chromium_page, needs_axe, needs_browser, run_axe

pytestmark = [pytest.mark.slow, needs_browser]


@pytest.fixture(scope="module")
def reports(sample_reports) -> dict[str, Path]:
    """The sample's report in Swedish and English, and one project's alone."""
    return {name: files.html for name, files in sample_reports.items()}


@needs_axe
@pytest.mark.parametrize("name", ["sv", "en", "one"])
def test_axe_finds_no_violation_at_wcag_21_aa(reports, name, tmp_path):
    with chromium_page(tmp_path) as page:
        page.goto(reports[name].as_uri())
        results = run_axe(page)
    assert len(results["passes"]) > 10  # axe ran and checked the page
    assert [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in results["violations"]] \
        == []


@needs_axe
def test_axe_sees_a_violation_when_there_is_one(tmp_path):
    """The check above can fail: a chart without a name and a table in grey on grey."""
    page_path = tmp_path / "bad.html"
    page_path.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><main>'
        '<h1>T</h1><svg role="img" width="10" height="10"></svg>'
        '<p style="color:#bbb;background:#fff">grått</p></main></body></html>', "utf-8")
    with chromium_page(tmp_path) as page:
        page.goto(page_path.as_uri())
        ids = {v["id"] for v in run_axe(page)["violations"]}
    assert {"svg-img-alt", "color-contrast"} <= ids


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("name", ["sv", "one"])
def test_the_page_never_scrolls_sideways(reports, name, width, tmp_path):
    """WCAG 1.4.10: at 320 CSS px only a table's own container may scroll."""
    with chromium_page(tmp_path, width=width) as page:
        page.goto(reports[name].as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        outside = page.evaluate("""() => Array.from(document.querySelectorAll('main *, footer *'))
            .filter(e => !e.closest('.gs-scroll'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => e.tagName + '.' + e.getAttribute('class'))""")
        scrollers = page.evaluate("""() => Array.from(document.querySelectorAll('.gs-scroll'))
            .map(e => [e.scrollWidth > e.clientWidth, e.tabIndex,
                       e.getAttribute('aria-label') || ''])""")
    assert overflow <= 0 and outside == []
    assert scrollers and all(tab == 0 for _, tab, _ in scrollers)
    if width == 320:
        assert any(scrolls for scrolls, _, _ in scrollers)  # the wide ones scroll in place


@pytest.mark.parametrize("name", ["sv", "en"])
def test_every_chart_is_vector_with_a_text_alternative(reports, name, tmp_path):
    with chromium_page(tmp_path) as page:
        page.goto(reports[name].as_uri())
        charts = page.evaluate("""() => Array.from(document.querySelectorAll(
                'figure.gs-chart svg, figure.gs-chart img, main img, main svg[role=img]'))
            .map(e => [e.tagName, e.getAttribute('role'), e.getAttribute('aria-label')
                       || e.getAttribute('alt') || '', e.getBoundingClientRect().width,
                       e.querySelectorAll('text').length])""")
        blocked = page.blocked
    assert len(charts) == 5 and blocked == []
    for tag, role, name_, width, words in charts:
        assert tag.lower() == "svg" and role == "img" and len(name_) > 20
        assert 300 < width <= 800 and words > 5  # text as text, not paths


def test_a_chart_fits_a_phone_and_its_text_stays_text(reports, tmp_path):
    with chromium_page(tmp_path, width=320) as page:
        page.goto(reports["one"].as_uri())
        widths = page.evaluate("""() => Array.from(document.querySelectorAll(
            'figure.gs-chart svg')).map(e => e.getBoundingClientRect().right)""")
    assert widths and max(widths) <= 320


def test_the_summary_and_what_to_do_are_on_the_first_screen(reports, tmp_path):
    """At 1280 × 800 the reader sees the bottom line and the warnings without scrolling."""
    with chromium_page(tmp_path, width=1280, height=800) as page:
        page.goto(reports["sv"].as_uri())
        tops = page.evaluate("""() => Object.fromEntries(Array.from(
            document.querySelectorAll('h2')).slice(0, 2).map(h => [h.textContent,
            [h.getBoundingClientRect().top, h.nextElementSibling
                ? h.nextElementSibling.getBoundingClientRect().top : 1e9]]))""")
    assert set(tops) == {"Sammanfattning", "Att åtgärda"}
    assert all(next_top < 800 for _, next_top in tops.values())  # heading and what follows


def test_prose_keeps_a_readable_measure_and_amounts_tabular_figures(reports, tmp_path):
    with chromium_page(tmp_path, width=1280) as page:
        page.goto(reports["sv"].as_uri())
        per_line = page.evaluate("""() => Array.from(document.querySelectorAll('main p'))
            .map(p => [p.textContent.length, Math.round(p.getBoundingClientRect().height
                       / parseFloat(getComputedStyle(p).lineHeight))])
            .filter(([, lines]) => lines >= 3).map(([n, lines]) => n / lines)""")
        numeric = page.evaluate("""() => Array.from(document.querySelectorAll('td.num'))
            .map(c => getComputedStyle(c).fontVariantNumeric)""")
    assert per_line and max(per_line) <= 80  # about 70 characters a line, not 100
    assert numeric and all("tabular-nums" in v for v in numeric)
