"""The HTML page around a report's body: inline CSS, a Content-Security-Policy that
forbids scripts and any request to another host, ``<html lang>``, the footer and the
inert data block.

The page holds everything it shows (charts are data URIs), so one file is the whole
report: it can be mailed, archived and opened offline.
"""

from __future__ import annotations

import html

from grantstats.version import __version__

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def page(body: str, *, title: str, lang: str, footer: str, data: str = "",
         after_title: str = "") -> str:
    """The whole HTML document around ``body``: ``after_title`` goes right after its
    first ``</h1>`` (or first in ``<main>``), ``data`` (see :func:`data_block`) after
    the footer."""
    if after_title:
        end = body.find("</h1>")
        at = end + len("</h1>") if end >= 0 else 0
        body = f"{body[:at]}\n{after_title}\n{body[at:]}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="grantstats {html.escape(__version__)}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n{body}\n</main>\n<footer>{footer}</footer>\n"
        + (f"{data}\n" if data else "") + "</body>\n</html>\n"
    )


STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --line: #c8c8c8; --accent: #0b5394; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  line-height: 1.5; margin: 0; background: #fff; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 1.9rem; color: var(--accent); margin: 0 0 1rem; }
h2 { font-size: 1.45rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
  margin-top: 2.5rem; }
h3 { font-size: 1.15rem; margin-top: 1.8rem; }
.anchor-link { display: none; }
table.gs-table { border-collapse: collapse; margin: .8rem 0 1.2rem; min-width: 60%; }
table.gs-table caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
table.gs-table th, table.gs-table td { border-bottom: 1px solid var(--line);
  padding: .3rem .7rem; text-align: left; vertical-align: top; }
table.gs-table thead th { border-bottom: 2px solid var(--ink); }
table.gs-table .num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
table.gs-table tr.sum th, table.gs-table tr.sum td { font-weight: bold;
  border-top: 2px solid var(--ink); }
figure.gs-chart { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
figure.gs-chart img { max-width: 100%; height: auto; display: block; }
.gs-note, .gs-privacy, .gs-caption { color: var(--muted); font-size: .92rem; }
footer { max-width: 52rem; margin: 2rem auto; padding: 1rem 1.25rem; color: var(--muted);
  font-size: .8rem; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
@media print { main { padding: 0; max-width: none; } h2 { break-after: avoid; }
  h3 { break-after: avoid; } table { break-inside: avoid; } }
"""
