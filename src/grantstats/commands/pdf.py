"""The report as an A4 PDF, printed from its HTML by WeasyPrint.

WeasyPrint lays out CSS paged media itself, so the page's print rules
(:mod:`grantstats.rendering.page`) come out as written: each project on a new page,
headings kept with what follows, table rows never split, a running header with the
report's title and the project, "sida N av M", page numbers in the table of contents;
the PDF's outline (bookmarks) comes from the headings, its title, author, subject and
language from the page's ``<title>``, ``<meta>`` and ``<html lang>``, and it is
tagged (PDF/UA-1). It needs no browser, only the system's Pango (Debian:
``libpango-1.0-0 libpangoft2-1.0-0``). README "Dependencies and why" says why it was
chosen over printing with headless Chromium.

The page is read with a URL fetcher that fetches nothing but ``data:`` URIs: the
report is self-contained, and a PDF is never a way to read another file or reach
another host.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from grantstats.commands.outputs import ReportError
from grantstats.files import write_new

#: Tagged PDF for assistive technology, with the language and title it requires.
PDF_VARIANT = "pdf/ua-1"


#: The only kind of URL the PDF's layout may fetch: data URIs (nothing else is needed).
FETCHABLE = ("data",)


def fetcher(weasyprint: Any) -> Any:
    """WeasyPrint's URL fetcher for a self-contained page: ``data:`` URIs only."""
    return weasyprint.urls.URLFetcher(allowed_protocols=FETCHABLE, allow_redirects=False,
                                      timeout=5)


def load_weasyprint() -> Any:
    """The ``weasyprint`` module, or ReportError ``cli.pdf_missing`` when it or the
    system's Pango it needs cannot be loaded."""
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise ReportError("cli.pdf_missing", detail=f"{type(exc).__name__}: {exc}"[:200]) \
            from None
    return weasyprint


def pdf_bytes(html_path: Path) -> bytes:
    """The PDF of the report at ``html_path``."""
    weasyprint = load_weasyprint()
    # WeasyPrint logs every CSS property it does not know (the screen-only ones) as a
    # warning; they are not the reader's business.
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher(weasyprint),
                                   encoding="utf-8")
        pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    except ReportError:
        raise
    except Exception as exc:  # a layout failure is a missing PDF, not a lost report
        raise ReportError("cli.pdf_failed", detail=f"{type(exc).__name__}: {exc}"[:200]) \
            from None
    finally:
        with contextlib.suppress(Exception):
            quiet.setLevel(level)
    return pdf


def print_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Write the PDF of the report at ``html_path`` to ``pdf_path`` (never overwriting
    a file, never leaving half of one) and return the path written."""
    pdf = pdf_bytes(html_path)
    return write_new(pdf_path, lambda tmp: tmp.write_bytes(pdf))
