"""Charts: contrast-safe colours with patterns, labels as the source gives them, text never
read as mathtext, no pyplot state touched, short alt text, data table, deterministic SVG."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import pytest

from report_utils import charts


def _svg(html) -> str:
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', str(html)).group(1)
    return base64.b64decode(data).decode()


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str = "#FFFFFF") -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _bar(**kw):
    args = dict(
        labels=["MHFA", "ESL"],
        series={"2018": [150.0, None], "2019": [291.0, 45.0]},
        title="Utbildade",
        xlabel="Antal",
        alt="Alt-text här",
        caption="Bildtext",
    )
    return charts.bar_chart(**(args | kw))


def test_bar_chart_is_an_embedded_svg_with_alt_caption_and_data_table():
    table = charts.ChartTable("t1", "Siffrorna", ["Insats", "2018"], [["MHFA", "150"]])
    text = str(_bar(table=table))
    assert 'alt="Alt-text här"' in text and "<figcaption>Bildtext</figcaption>" in text
    assert "<details" in text and '<caption id="t1-cap">Siffrorna</caption>' in text
    assert '<th scope="row">MHFA</th>' in text
    svg = _svg(text)
    assert svg.startswith("<?xml") and "<svg" in svg
    assert not re.search(r'href="(https?:)?//', svg)  # nothing loaded from a host


def test_series_colours_reach_3_to_1_and_text_4_5_to_1_against_white():
    assert all(contrast(c) >= 3 for c in charts.PALETTE)
    assert contrast(charts.INK) >= 4.5 and contrast(charts.MUTED) >= 4.5
    svg = _svg(_bar())
    fills = set(re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", svg))
    text_fills = {c for c in fills if c.upper() not in {p.upper() for p in charts.PALETTE}}
    assert all(contrast(c) >= 4.5 for c in text_fills - {"#ffffff", "#FFFFFF"}), text_fills


def test_second_series_has_a_pattern_besides_its_colour():
    svg = _svg(_bar())
    assert "<pattern" in svg  # hatching: the two years differ without colour


def test_value_labels_keep_the_sources_qualifier():
    svg = _svg(_bar(value_labels={"2018": ["ca 150", None], "2019": ["drygt 291", "45"]}))
    assert "ca 150" in svg and "drygt 291" in svg


def test_missing_value_is_labelled_and_no_bar_draws_nothing():
    missing = _svg(_bar(series={"2018": [150.0, None], "2019": [291.0, 45.0]}))
    absent = _svg(_bar(series={"2018": [150.0, charts.NO_BAR], "2019": [291.0, 45.0]}))
    assert "uppgift saknas" in missing
    assert "uppgift saknas" not in absent


def test_dollar_signs_in_spreadsheet_text_are_never_mathtext():
    label = "Kostnad 5 $ resp. 10 $"
    svg = _svg(_bar(labels=[label, r"$\href{x}{y}$"], title=label))
    assert "Kostnad 5 $ resp. 10 $" in svg
    assert r"$\href{x}{y}$" in svg


def test_alt_text_longer_than_250_characters_is_refused():
    with pytest.raises(ValueError, match="alt text over 250"):
        _bar(alt="x" * 251)


def test_charts_leave_pyplot_backend_and_figures_alone():
    code = (
        "import matplotlib; matplotlib.use('svg'); import matplotlib.pyplot as plt\n"
        "from report_utils import charts\n"
        "charts.bar_chart(['a'], {'b': [1.0]}, title='t', xlabel='x', alt='a', caption='c')\n"
        "charts.line_chart([1, 2], {'a': [1.0, 2.0]}, title='t', ylabel='y', alt='a', caption='c')\n"
        "print(matplotlib.get_backend(), len(plt.get_fignums()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["svg", "0"]


def test_same_chart_gives_the_same_bytes_in_separate_processes():
    code = (
        "from report_utils import charts\n"
        "print(str(charts.bar_chart(['A', 'B'], {'x': [1.0, 2.5], 'y': [None, 3.0]},"
        " title='t', xlabel='x', alt='a', caption='c')))\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout and "<svg" in _svg(runs[0].stdout)


def test_long_labels_are_not_cut_off():
    label = "Delprojekt 1 – Målgruppskännedom och problemdefinition i PSHOUT 2"
    svg = _svg(_bar(labels=[label, "B"]))
    # every wrapped line of the label is drawn and none starts left of the picture
    lines = re.findall(r'<text[^>]*transform="translate\((-?[\d.]+) [^>]*>([^<]*)', svg)
    drawn = " ".join(text for _x, text in lines)
    assert "Delprojekt 1" in drawn and "PSHOUT 2" in drawn
    assert min(float(x) for x, _text in lines) >= 0


def test_matrix_and_line_charts_render_with_alt_text():
    m = charts.matrix_chart(
        ["AMF", "SOF"], ["1", "2"], [[1, 2], [3, 0]], title="t", alt="matris", caption="c"
    )
    line = charts.line_chart(
        [2026, 2027], {"A": [1.0, None]}, title="t", ylabel="y", alt="linje", caption="c"
    )
    for html, alt in ((m, "matris"), (line, "linje")):
        assert f'alt="{alt}"' in str(html) and _svg(html)
