"""Debian's Chromium, driven by Playwright, for the tests that look at a report as a
reader's browser shows it; and axe-core, npm's accessibility checker, run in it.

Neither is ever downloaded by a test: Chromium is the system's (``apt-get install
chromium``, or a path in ``GRANTSTATS_CHROMIUM``), axe-core is what ``make test`` and
``.ci/run`` install with npm into ``.venv/node`` (or a path in ``AXE_CORE_JS``). A
test that needs one skips without it, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


def find_chromium() -> str | None:
    """Chromium from ``GRANTSTATS_CHROMIUM`` or the PATH."""
    explicit = os.environ.get("GRANTSTATS_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    names = ("chromium", "chromium-browser", "google-chrome", "chrome")
    return next((p for p in map(shutil.which, names) if p), None)


def find_axe() -> Path | None:
    """axe-core's ``axe.min.js``."""
    explicit = os.environ.get("AXE_CORE_JS")
    path = Path(explicit) if explicit else ROOT / ".venv/node/node_modules/axe-core/axe.min.js"
    return path if path.is_file() else None


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = find_chromium()
AXE = find_axe()


def _need(found: object, what: str) -> pytest.MarkDecorator:
    """Skip without ``found``; in CI, which installs both, run and fail instead."""
    return pytest.mark.skipif(found is None and not IN_CI, reason=f"{what} is not installed")


needs_browser = _need(CHROMIUM, "Debian's chromium")
needs_axe = _need(AXE, "axe-core (npm; make test installs it where npm is)")


@contextlib.contextmanager
def chromium_page(tmp_path: Path, width: int = 1280, height: int = 800) -> Iterator[Any]:
    """A page in a fresh headless Chromium profile that may load ``file:`` URLs only;
    ``page.blocked`` lists every other request it tried."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Chromium is missing (.ci/run installs Debian's chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS, headless=True,
            viewport={"width": width, "height": height})
        try:
            page = browser.new_page()
            page.blocked = []

            def block(route: Any) -> None:
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    page.blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", block)
            yield page
        finally:
            browser.close()


def run_axe(page: Any) -> dict[str, Any]:
    """axe-core's results for the page at WCAG 2.1 A and AA. axe is evaluated through
    the DevTools protocol: the report's CSP rightly refuses a script tag."""
    assert AXE, "axe-core is missing (make test installs it with npm into .venv/node)"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    results: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return results
