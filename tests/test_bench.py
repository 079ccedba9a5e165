"""The benchmark's own logic (``make bench`` measures speed; no test here is timed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_cpu_per_report_is_read_from_the_progress_lines_by_year(bench):
    output = "\n".join(
        [
            "Renderar 3 rapport(er) med motorn fast (…)",
            "[1/4] 2026 AMF: renderad (1.5 s, CPU 0.9 s)",
            "[2/4] 2035 AMF: renderad (2.0 s, CPU 1.1 s)",
            "[3/4] 2035 SOF: misslyckades (9.0 s, CPU 8.0 s) — 2035 SOF: RuntimeError: x",
            "[4/4] 2026 SOF: renderad (0.5 s, CPU 0.4 s)",
        ]
    )
    assert bench.cpu_per_report(output) == {2026: [0.9, 0.4], 2035: [1.1]}


def test_the_floor_notebook_imports_what_the_report_imports_or_does_nothing(bench):
    assert bench.floor_cell(None) == {"cell": "1 + 1"}
    cell = bench.floor_cell(["json", "email.mime.text"])["cell"]
    namespace: dict = {}
    exec(compile(cell, "floor", "exec"), namespace)  # runs: imports, skips what fails
    assert "['json', 'email.mime.text']" in cell
    exec(compile(bench.floor_source(["no_such_module_x"]), "floor", "exec"), {})


def test_synthetic_values_have_the_indicators_unit_and_are_repeatable(bench):
    from report_utils.loading import parse_number

    row = {"indikator_id": "T01-K1", "forvaltning": "SOF"}
    share = bench.synthetic_value("andel", row, 2030)
    assert share.endswith(" %") and 0 <= parse_number(share) <= 100
    assert parse_number(bench.synthetic_value("antal", row, 2030)) >= 0
    assert bench.synthetic_value("ja-nej", row, 2030) in ("ja", "nej")
    assert bench.SYNTHETIC_MARK in bench.synthetic_value("text", row, 2030)
    assert bench.synthetic_value("andel", row, 2030) == share


@pytest.mark.slow
def test_synthetic_data_adds_valid_goal_years_every_value_marked_synthetic(bench, tmp_path):
    from openpyxl import load_workbook

    from report_utils.model import collect

    target = tmp_path / "syntetisk"
    years = bench.synthetic_data(ROOT / "data", target, goal_years=2)
    assert years == [2026, 2027]
    dataset, problems = collect(target)
    assert problems == [] and dataset.goal_years == [2026, 2027]
    assert "SYNTETISKA DATA" in (target / "SYNTETISKT_LAS_MIG.md").read_text("utf-8")
    for year in years:
        ws = load_workbook(target / str(year) / "indikatorvarden.xlsx", read_only=True)["varden"]
        rows = list(ws.iter_rows(values_only=True))
        comment = rows[0].index("kommentar")
        assert len(rows) > 100 and all(bench.SYNTHETIC_MARK in r[comment] for r in rows[1:])
    assert not (ROOT / "data" / "2027").exists()  # never written into the shipped data


def test_ratio_lines_say_whether_the_target_is_met(bench):
    assert bench.ratio_line("x", 11.04, "≥ 10×", True) == "x: 11.04× (target ≥ 10×: met)"
    assert (
        bench.ratio_line("y", 1.5, "≤ 1.3×", False, "; z") == "y: 1.50× (target ≤ 1.3×: NOT met); z"
    )


def test_pdf_times_are_read_from_the_pdf_progress_lines_and_the_summary(bench):
    output = "\n".join(
        [
            "[15/15] 2026 VOF: renderad (1.3 s, CPU 0.6 s)",
            "Skriver 2 PDF-fil(er) med Chromium (/usr/bin/chromium)",
            "[1/2] PDF 2018 ALLA: utskriven (1.0 s)",
            "[2/2] PDF 2026 SOF: utskriven (0.9 s)",
            "",
            "Sammanfattning",
            "  renderade      15",
            "  PDF         2 utskrivna, 0 från cache, 0 misslyckade (3.4 s)",
        ]
    )
    assert bench.pdf_times(output) == ([1.0, 0.9], 3.4)
    assert bench.cpu_per_report(output) == {2026: [0.6]}  # PDF lines are not reports
