"""Helpers for the real-browser test (tests/test_browser.py).

Headless Chromium is the Debian package ``chromium`` (``make browser`` installs it),
driven by the ``playwright`` package from PyPI through ``executable_path``: no browser is
downloaded by playwright. Every page is opened from disk with the network blocked, and
everything the page tries to load is recorded so the test can assert nothing left it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
INSTALL_HINT = "run `make browser` (Debian package chromium)"


def chromium_executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def skip_reason() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed: pip install -e '.[test]'"
    if chromium_executable() is None:
        return f"Chromium not installed: {INSTALL_HINT}"
    return None


@dataclass
class PageLog:
    """What one page did in the browser."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests other than the page's own file and inline data: URIs."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


def open_offline(browser, path: Path, **context_options):
    """Open ``path`` in a fresh offline context; returns (context, page, log).

    Every request is recorded and aborted unless it is the page itself or a data: URI;
    console errors, uncaught page errors and dialogs (``alert``) are recorded too.
    """
    url = path.resolve().as_uri()
    log = PageLog(url)
    context = browser.new_context(offline=True, **context_options)

    def route(r):
        request_url = r.request.url
        if request_url == url or request_url.startswith("data:"):
            r.continue_()
        else:
            r.abort("blockedbyclient")

    context.route("**/*", route)
    context.on("request", lambda req: log.requests.append(req.url))
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and log.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("websocket", lambda ws: log.websockets.append(ws.url))

    def dialog(d):
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(url, wait_until="load")
    return context, page, log


# What a page looks like to a reader, gathered in one round trip.
PAGE_FACTS_JS = """() => {
  const text = (el) => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  const missingMarker = /^(nan|nat|none|<na>)\\s*%?$/i;
  return {
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    h1: Array.from(document.querySelectorAll('h1')).map(text),
    headings: Array.from(document.querySelectorAll('h2, h3')).map(text),
    tables: document.querySelectorAll('table').length,
    scripts: document.querySelectorAll('script').length,
    badCells: Array.from(document.querySelectorAll('td, th')).map(text)
      .filter((t) => missingMarker.test(t)),
    nanInText: /\\bNaN\\b/.test(document.body.innerText),
    brokenImages: Array.from(document.images)
      .filter((img) => !img.complete || img.naturalWidth === 0)
      .map((img) => (img.getAttribute('alt') || img.getAttribute('src') || '').slice(0, 80)),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
}"""
