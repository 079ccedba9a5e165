"""Executed notebook → offline HTML, with nbconvert and the template shipped in the package.

The HTML is deterministic: the same executed notebook gives the same bytes (no ids, dates
or randomness), whichever engine executed it. Future exports (e.g. a PDF per report) sit
beside :func:`notebook_to_html` and take the same executed notebook.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .settings import Settings


def html_exporter(settings: Settings):
    """nbconvert's HTML exporter with the offline template shipped in the package."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="rapport",
        extra_template_basedirs=[str(settings.template_dir)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,  # notes for notebook users, not for report readers
    )
    exporter.register_filter("css_string", css_string)
    exporter.template  # compile once  # noqa: B018
    return exporter


def css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string, safe inside a ``<style>``
    element: the serialisation of CSS Syntax §2.2 (quote, backslash and control characters
    escaped) plus ``<`` escaped, so no ``</style>`` can end the element. Written here
    because Jinja and MarkupSafe escape HTML, not CSS, and no small library does this."""
    out = []
    for char in str(text):
        code = ord(char)
        if code == 0:
            out.append("\ufffd")
        elif code < 0x20 or code == 0x7F or char == "<":
            out.append(f"\\{code:x} ")
        elif char in '"\\':
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def stylesheet(settings: Settings) -> str:
    """The reports' CSS (also used by the landing page)."""
    path = settings.template_dir / "rapport" / "static" / "report.css"
    st = path.stat()
    return _read_text(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4)
def _read_text(path: str, size: int, mtime_ns: int) -> str:
    """A package file, read once per process and version of the file."""
    return Path(path).read_text("utf-8")


def notebook_to_html(nb, settings: Settings, title: str, exporter=None) -> str:
    """Offline HTML for an executed notebook (deterministic: no ids, dates or randomness)."""
    nb.metadata["title"] = title
    for index, cell in enumerate(nb.cells):  # papermill gives injected cells random ids
        cell["id"] = f"cell-{index}"
    exporter = exporter or html_exporter(settings)
    body, _ = exporter.from_notebook_node(nb, resources={"report_css": stylesheet(settings)})
    return body
