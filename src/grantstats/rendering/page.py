"""The HTML page around a report's body: inline CSS for screen and print, a
Content-Security-Policy that forbids scripts and any request to another host,
``<html lang>``, the document's metadata, the footer and the inert data block.

The page holds everything it shows (charts are inline SVG), so one file is the whole
report: it can be mailed, archived and opened offline. The same page is what the PDF
is printed from (see :mod:`grantstats.commands.pdf`), so the print rules live here too:
each project on a new page, headings kept with what follows, a running header with
the report's title and the project, "sida N av M" in the footer, and a table of
contents when the report covers more than one project.

The body's markup is taken as the sections write it (``<table class="gs-table">``
with a ``<caption>``; h1 the report, h2 a project or a part of the report, h3 a
section); this module only adds what belongs to the page: a scroll container round
each table, so a wide table scrolls on its own instead of the page (WCAG 1.4.10), and
an id and the class ``gs-project`` on each project's heading.
"""

from __future__ import annotations

import html
import re

from grantstats.texts import text
from grantstats.version import __version__

#: Inline styles (the page's style sheet and the SVG charts' style attributes) and
#: nothing else: no script, no font, image or style from anywhere, not even this host.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def page(body: str, *, title: str, lang: str, footer: str, data: str = "",
         after_title: str = "", author: str = "", subject: str = "") -> str:
    """The whole HTML document around ``body``: ``after_title`` goes right after its
    first ``</h1>`` (or first in ``<main>``), ``data`` (see :func:`data_block`) after
    the footer. ``author`` (the unit that reports) and ``subject`` go into the
    document's metadata, and so into the PDF's."""
    if after_title:
        end = body.find("</h1>")
        at = end + len("</h1>") if end >= 0 else 0
        body = f"{body[:at]}\n{after_title}\n{body[at:]}"
    body = contents(mark_projects(scroll_tables(body)), lang)
    meta = "".join(f'<meta name="{name}" content="{html.escape(value, quote=True)}">\n'
                   for name, value in (("author", author), ("description", subject)) if value)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="grantstats {html.escape(__version__)}">\n'
        f"{meta}<title>{html.escape(title)}</title>\n<style>{style(lang)}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n<footer>{footer}</footer>\n"
        + (f"{data}\n" if data else "") + "</body>\n</html>\n"
    )


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)


def scroll_tables(body: str) -> str:
    """Each table in a container of its own that scrolls sideways when the table is
    wider than the screen; the container can be reached and scrolled with the keyboard
    and is named by the table's caption."""
    def wrap(match: re.Match[str]) -> str:
        caption = _CAPTION.search(match.group(0))
        name = _plain(caption.group(1)) if caption else ""
        label = (f' role="region" aria-label="{html.escape(name, quote=True)}"'
                 if name else "")
        return f'<div class="gs-scroll" tabindex="0"{label}>{match.group(0)}</div>'

    return _TABLE.sub(wrap, body)


_H2 = re.compile(r"<h2(?P<attrs>[^>]*)>(?P<name>.*?)</h2>(?P<next>\s*<p class=\"gs-lead\")?",
                 re.S)


def mark_projects(body: str) -> str:
    """The headings of projects get the class ``gs-project`` (print starts each on a new
    page and shows it in the running header) and an id (the table of contents links to
    it). A project's heading is an h2 that has that class already, or that its lead
    paragraph (``<p class="gs-lead">``) follows."""
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        attrs = match.group("attrs")
        if "gs-project" not in attrs and not match.group("next"):
            return match.group(0)
        count += 1
        if "gs-project" not in attrs:
            attrs = (re.sub(r'class="', 'class="gs-project ', attrs) if "class=" in attrs
                     else f'{attrs} class="gs-project"')
        if " id=" not in attrs:
            attrs += f' id="gs-project-{count}"'
        return f"<h2{attrs}>{match.group('name')}</h2>{match.group('next') or ''}"

    return _H2.sub(mark, body)


def contents(body: str, lang: str) -> str:
    """A table of contents of the projects, before the first, when there are several:
    a list of links on screen, with page numbers in print."""
    projects = [(m.group(1), m.group(2)) for m in re.finditer(
        r'<h2[^>]*class="[^"]*\bgs-project\b[^"]*"[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', body,
        re.S)]
    if len(projects) < 2:
        return body
    heading = html.escape(text("report.contents", lang))
    items = "".join(f'<li><a href="#{html.escape(ident, quote=True)}">{name}</a></li>'
                    for ident, name in projects)
    nav = (f'<nav class="gs-toc" aria-labelledby="gs-toc-heading">'
           f'<h2 id="gs-toc-heading">{heading}</h2><ol>{items}</ol></nav>\n')
    at = body.index(f'id="{projects[0][0]}"')
    at = body.rindex("<h2", 0, at)
    return body[:at] + nav + body[at:]


def _plain(fragment: str) -> str:
    """The text of an HTML fragment, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _css_string(value: str) -> str:
    """``value`` as a CSS string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter(lang: str) -> str:
    """The CSS ``content`` of the page footer: ``"sida " counter(page) " av "
    counter(pages)``, from the catalogue's ``report.page_of``."""
    template = text("report.page_of", lang, page="\0page\0", pages="\0pages\0")
    parts = [p for p in template.split("\0") if p]
    return " ".join(f"counter({p})" if p in ("page", "pages") else _css_string(p)
                    for p in parts)


def style(lang: str) -> str:
    """The page's style sheet: :data:`STYLE`, and the print footer in ``lang``."""
    return STYLE.replace("PAGE_COUNTER", page_counter(lang))


STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --line: #c8c8c8; --accent: #0b5394; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  line-height: 1.5; margin: 0; background: #fff; overflow-wrap: break-word; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.25rem 2rem; }
p, li, dd, figcaption, .gs-lead { max-width: 36em; }  /* about 70 characters a line */
h1 { font-size: 1.8rem; line-height: 1.25; color: var(--accent); margin: 0 0 .8rem;
  string-set: report content(); }
h2 { font-size: 1.4rem; line-height: 1.3; border-bottom: 2px solid var(--accent);
  padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.15rem; line-height: 1.3; margin-top: 1.8rem; }
h2.gs-project { string-set: project content(); }
.anchor-link { display: none; }
.gs-scroll { max-width: 100%; overflow-x: auto; margin: .8rem 0 1.2rem; }
.gs-scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
table.gs-table { border-collapse: collapse; margin: 0; min-width: 60%; }
table.gs-table caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
table.gs-table th, table.gs-table td { border-bottom: 1px solid var(--line);
  padding: .3rem .7rem; text-align: left; vertical-align: top; }
table.gs-table thead th { border-bottom: 2px solid var(--ink); }
table.gs-table .num { text-align: right; font-variant-numeric: tabular-nums lining-nums;
  white-space: nowrap; }
table.gs-table thead th.num { white-space: normal; }  /* a long heading wraps */
table.gs-table tr.sum th, table.gs-table tr.sum td { font-weight: bold;
  border-top: 2px solid var(--ink); }
.gs-nowrap, .gs-amount { white-space: nowrap; }
.gs-amount { font-variant-numeric: tabular-nums lining-nums; }
figure.gs-chart { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
figure.gs-chart svg, figure.gs-chart img { display: block; max-width: 100%; height: auto; }
figure.gs-chart figcaption { color: var(--muted); font-size: .92rem; margin-top: .3rem; }
nav.gs-toc ol { padding-left: 1.5rem; }
nav.gs-toc li { max-width: none; }
nav.gs-toc a { color: var(--accent); }
.gs-note, .gs-privacy, .gs-caption { color: var(--muted); font-size: .92rem; }
header.gs-title .gs-subtitle { font-size: 1.05rem; max-width: none; margin: 0 0 .4rem; }
dl.gs-meta { display: flex; flex-wrap: wrap; gap: .1rem 1.5rem; margin: .4rem 0 .8rem; }
dl.gs-meta div { display: flex; flex-wrap: wrap; gap: 0 .4rem; }
.gs-key dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: .6rem 0 1rem; }
dl.gs-meta dt, .gs-key dt { font-weight: bold; }
dl.gs-meta dd, .gs-key dd { margin: 0; }
.gs-banner { max-width: none; font-size: .92rem; border-left: 4px solid #8a5a00;
  background: #fff6e0; padding: .4rem .75rem; margin: 0; }
footer { max-width: 52rem; margin: 2rem auto; padding: 1rem 1.25rem; color: var(--muted);
  font-size: .8rem; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
@media (max-width: 30rem) {
  main { padding: 1rem .75rem 1.5rem; }
  h1 { font-size: 1.5rem; }
  h2 { font-size: 1.25rem; }
  table.gs-table th, table.gs-table td { padding: .25rem .45rem; }
  .gs-key dl { display: block; }
  .gs-key dd { margin: 0 0 .3rem; }
}
@page { size: A4; margin: 20mm 16mm 18mm;
  @top-left { content: string(report); font-size: 8pt; color: #555;
    font-family: "DejaVu Sans", sans-serif; }
  @top-right { content: string(project); font-size: 8pt; color: #555;
    font-family: "DejaVu Sans", sans-serif; }
  @bottom-right { content: PAGE_COUNTER; font-size: 8pt; color: #555;
    font-family: "DejaVu Sans", sans-serif; } }
@page :first { @top-left { content: none; } @top-right { content: none; } }
@media print {
  body { font-size: 10pt; line-height: 1.4; }
  main { padding: 0; max-width: none; }
  h1 { font-size: 18pt; }
  h2 { font-size: 14pt; margin-top: 16pt; }
  h3 { font-size: 11.5pt; margin-top: 14pt; }
  h1, h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  /* a section's one-line introduction stays with what it introduces */
  h3 + p, p.gs-lead, p.gs-caption, p.gs-privacy { break-after: avoid;
    page-break-after: avoid; }
  h2.gs-project { break-before: page; page-break-before: always; margin-top: 0; }
  nav.gs-toc { break-inside: avoid; }
  nav.gs-toc a { color: var(--ink); text-decoration: none; }
  nav.gs-toc a::after { content: leader(".") target-counter(attr(href), page); }
  .gs-scroll { overflow: visible; margin: 6pt 0 10pt; }
  table.gs-table { width: 100%; font-size: 8.5pt; }
  table.gs-table th, table.gs-table td { padding: 2.5pt 4pt; }
  table.gs-table thead th { hyphens: auto; -webkit-hyphens: auto; }
  tr, figure.gs-chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  p { orphans: 3; widows: 3; }
  footer { margin: 12pt 0 0; padding: 6pt 0 0; max-width: none; }
}
"""
