"""A chart as an HTML ``<figure>``: the chart as inline SVG, its alt text and caption.

One place decides how charts are embedded, so the report, the notebooks and the tests
all get the same markup. The chart is vector graphics with its text kept as text
(matplotlib's ``svg.fonttype: none``, in DejaVu Sans, which the page declares): crisp
at any zoom, on a phone and in the PDF, and its words can be searched and copied.
The SVG is part of the page (no data URI, no request), so the page's
Content-Security-Policy needs only inline styles for it, which it already allows.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure


class Html(str):
    """An HTML fragment that Jupyter displays as HTML, and only as HTML: no plain-text
    copy of the same markup is stored in the notebook (that doubled its size)."""

    def _repr_html_(self) -> str:
        return str(self)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display({"text/html": str(self)}, raw=True)  # type: ignore[no-untyped-call]


#: The font the page declares first (see :mod:`grantstats.rendering.page`); matplotlib
#: ships it, so the text is measured with the metrics the reader's browser then uses.
FONT = "DejaVu Sans"
SVG_RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # text as <text>, not as paths
    "svg.hashsalt": "grantstats",  # the same chart gives the same ids, run after run
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
}
#: What matplotlib's own stylesheet (``*{…}``) set; both properties inherit in SVG, so
#: they go on the root instead of a style sheet that would reach the whole page.
ROOT_STYLE = "stroke-linejoin: round; stroke-linecap: butt"


def svg_markup(fig: Figure, alt: str) -> str:
    """``fig`` as an inline ``<svg role="img">`` named by ``alt``: no XML prolog,
    metadata or style sheet, only the ids the drawing refers to, each made unique to
    this chart (several charts share one page)."""
    buffer = io.StringIO()
    with mpl.rc_context(SVG_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None,
                                                     "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    used = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg))
    prefix = "gs" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"

    def ident(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'id="{prefix}{name}"' if name in used else ""

    svg = re.sub(r'\s?id="([^"]*)"', lambda m: " " + ident(m) if ident(m) else "", svg)
    svg = re.sub(r'(url\(#|href="#)', rf"\g<1>{prefix}", svg)
    label = html.escape(alt, quote=True)
    svg = svg.replace("<svg ", f'<svg class="gs-svg" role="img" aria-label="{label}" '
                      f'style="{ROOT_STYLE}" ', 1)
    head = svg.index(">") + 1
    return f"{svg[:head]}\n <title>{html.escape(alt)}</title>{svg[head:]}".rstrip()


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> Html:
    """A chart as an inline SVG with alt text (and a caption); the figure is closed
    afterwards."""
    svg = svg_markup(fig, alt)
    if fig.canvas.manager is not None:  # only a pyplot figure is kept alive by pyplot
        import matplotlib.pyplot as plt

        plt.close(fig)
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return Html(f'<figure class="gs-chart">{svg}{cap}</figure>')
