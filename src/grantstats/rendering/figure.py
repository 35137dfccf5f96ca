"""A chart as an HTML ``<figure>``: the image embedded in the page, its alt text and
caption. One place decides how charts are embedded (format, resolution), so the
report, the notebooks and the tests all get the same markup."""

from __future__ import annotations

import base64
import html
import io

from matplotlib.figure import Figure


class Html(str):
    """An HTML fragment that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def figure_html(fig: Figure, alt: str, caption: str | None = None) -> Html:
    """A chart as an embedded PNG with alt text; the figure is closed afterwards."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    if fig.canvas.manager is not None:  # only a pyplot figure is kept alive by pyplot
        import matplotlib.pyplot as plt

        plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return Html(f'<figure class="gs-chart"><img src="data:image/png;base64,{data}" '
                f'alt="{html.escape(alt, quote=True)}">{cap}</figure>')
