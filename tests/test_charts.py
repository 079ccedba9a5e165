"""Charts: one style, colour-blind-safe palette, alt text, deterministic self-contained SVG."""

from __future__ import annotations

import base64
import re

from report_utils import charts


def _svg(html) -> str:
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', str(html)).group(1)
    return base64.b64decode(data).decode()


def test_bar_chart_is_embedded_svg_with_alt_and_caption():
    html = charts.bar_chart(
        ["MHFA", "ESL"],
        {"2018": [150.0, None], "2019": [291.0, 45.0]},
        title="Utbildade",
        xlabel="Antal",
        alt="Alt-text här",
        caption="Bildtext",
    )
    text = str(html)
    assert 'alt="Alt-text här"' in text and "<figcaption>Bildtext</figcaption>" in text
    svg = _svg(html)
    assert svg.startswith("<?xml") and "<svg" in svg
    # namespaces name URIs but load nothing; no href may point to a host
    assert not re.search(r'href="(https?:)?//', svg)


def test_charts_are_deterministic():
    def make():
        return str(
            charts.bar_chart(["A"], {"x": [1.0]}, title="t", xlabel="x", alt="a", caption="c")
        )

    assert make() == make()


def test_palette_is_okabe_ito_and_style_is_swedish_ready():
    assert charts.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")
    style = charts.style()
    assert style["svg.hashsalt"] and style["axes.prop_cycle"].by_key()["color"][0] == "#0072B2"


def test_matrix_line_and_continuity_charts_render():
    m = charts.matrix_chart(
        ["AMF", "SOF"], ["1", "2"], [[1, 2], [3, 0]], title="t", alt="matris", caption="c"
    )
    line = charts.line_chart(
        [2026, 2027], {"A": [1.0, None]}, title="t", ylabel="y", alt="linje", caption="c"
    )
    cont = charts.continuity_chart(
        ["MHFA", "ACT"],
        ["Kompetens"],
        [(0, 0, "fortsätter"), (1, None, "ingen efterföljare")],
        title="t",
        alt="kontinuitet",
        caption="c",
    )
    for html, alt in ((m, "matris"), (line, "linje"), (cont, "kontinuitet")):
        assert f'alt="{alt}"' in str(html) and _svg(html)
