"""Helpers for the real-browser test (tests/test_browser.py).

Headless Chromium is the Debian package ``chromium`` (``make browser`` installs it),
driven by the ``playwright`` package from PyPI through ``executable_path``: no browser is
downloaded by playwright. Every page is opened from disk with the network blocked, and
everything the page tries to load is recorded so the test can assert nothing left it.
Accessibility is checked with axe-core, the copy bundled in the PyPI package
``axe-playwright-python`` (injected into the page: nothing is fetched).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

# Chromium is found and started exactly as the PDF step does (report_utils.pdf)
from report_utils.pdf import LAUNCH_ARGS, chromium_executable  # noqa: F401

INSTALL_HINT = "run `make browser` (Debian package chromium)"

#: The WCAG 2.0 and 2.1 success criteria of levels A and AA, as axe-core tags its rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def skip_reason() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} not installed: pip install -e '.[test]'"
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


class OfflineTab:
    """One browser tab, offline, that records what each page it opens tries to do.

    Every request is recorded and aborted unless it is the page itself or a data: URI;
    console errors, uncaught page errors, websockets and dialogs (``alert``) are recorded
    too. One tab is reused for many pages (a fresh context per page costs time): ``open``
    starts a fresh :class:`PageLog` for every page.
    """

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(offline=True, **context_options)
        self.log = PageLog("")
        self.context.route("**/*", self._route)
        self.context.on("request", lambda req: self.log.requests.append(req.url))
        self.page = page = self.context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.log.page_errors.append(str(exc)))
        page.on("websocket", lambda ws: self.log.websockets.append(ws.url))
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        if url == self.log.url or url.startswith("data:"):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.log.console_errors.append(msg.text)

    def _dialog(self, dialog) -> None:
        self.log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, path: Path) -> PageLog:
        """Load ``path`` from disk; returns the log of this page."""
        self.log = PageLog(path.resolve().as_uri())
        self.page.goto(self.log.url, wait_until="load")
        return self.log

    def screenshot(self, path: Path) -> None:
        """A full-page PNG; through CDP's fast encoder when available (pages are long)."""
        try:
            cdp = self.context.new_cdp_session(self.page)
            size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            shot = cdp.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "clip": clip,
                    "captureBeyondViewport": True,
                    "optimizeForSpeed": True,
                },
            )
            cdp.detach()
            path.write_bytes(base64.b64decode(shot["data"]))
        except Exception:  # an older Chromium without these options: playwright's own
            self.page.screenshot(path=path, full_page=True)

    def close(self) -> None:
        self.context.close()


# What a page looks like to a reader, gathered in one round trip.
PAGE_FACTS_JS = r"""() => {
  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const missingMarker = /^(nan|nat|none|<na>)\s*%?$/i;
  const nanWord = /(^|[^\p{L}])nan([^\p{L}]|$)/iu;
  return {
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    h1: Array.from(document.querySelectorAll('h1')).map(text),
    headings: Array.from(document.querySelectorAll('h2, h3')).map(text),
    tables: document.querySelectorAll('table').length,
    scripts: document.querySelectorAll('script').length,
    badCells: Array.from(document.querySelectorAll('td, th')).map(text)
      .filter((t) => missingMarker.test(t)),
    nanInText: nanWord.test(document.body.innerText),
    brokenImages: Array.from(document.images)
      .filter((img) => !img.complete || img.naturalWidth === 0)
      .map((img) => (img.getAttribute('alt') || img.getAttribute('src') || '').slice(0, 80)),
    chartsWithNan: Array.from(document.images).map((img) => {
      const alt = img.getAttribute('alt') || '';
      const chart = alt.split(':')[0];
      const where = alt.slice(chart.length + 1).split(/;\s*/).filter((p) => nanWord.test(p));
      const src = img.getAttribute('src') || '';
      const b64 = 'data:image/svg+xml;base64,';
      if (src.startsWith(b64)) {
        // matplotlib draws text as paths and keeps each label as an XML comment
        const bytes = Uint8Array.from(atob(src.slice(b64.length)), (c) => c.charCodeAt(0));
        const svg = new TextDecoder().decode(bytes);
        if (/<!--\s*nan\s*-->/i.test(svg)) where.push('label "nan" drawn');
      }
      return where.length ? `${chart}:${where.join('; ')}` : null;
    }).filter(Boolean),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
}"""


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now: one line per
    violation (rule, impact, how many elements, the first few of them and why)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = Axe().run(page, options=options).response
    lines = []
    for rule in result["violations"]:
        nodes = rule["nodes"]
        where = "; ".join(
            f"{' '.join(map(str, n['target']))}: {n.get('failureSummary', '').splitlines()[-1:]}"
            for n in nodes[:3]
        )
        lines.append(
            f"{rule['id']} ({rule['impact']}, {len(nodes)} elements): {rule['help']} — {where}"
        )
    return lines


# What overflows a phone's width (WCAG 1.4.10, reflow at 320 CSS px), in one round trip:
# the page's own width, every element that reaches past the right edge outside a table's
# scroll region, and each region that does scroll with its role, tab stop and label.
REFLOW_JS = r"""() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || el.closest('.table-wrap')) continue;
    wide.push(`${name(el)} reaches ${Math.round(box.right)} px`);
  }
  const regions = Array.from(document.querySelectorAll('.table-wrap'))
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => {
      const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      return {
        what: name(el),
        role: el.getAttribute('role'),
        tabindex: el.getAttribute('tabindex'),
        label: ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim(),
      };
    });
  return {scrollWidth: doc.scrollWidth, clientWidth: width, wide: wide.slice(0, 10), regions};
}"""
