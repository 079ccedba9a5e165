"""``scripts/bench.py --quick`` runs end to end and prints what ``make bench`` promises.

No speed threshold is asserted (no timed tests): only the output's shape.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEEDUP = re.compile(r"^speedup vs plain papermill\+nbconvert CLI loop: \d+\.\d×$")


@pytest.mark.slow
def test_bench_quick_prints_speedup_and_peak_memory(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert SPEEDUP.match(lines[-1]), lines[-1]
    for kind in ("RSS", "PSS"):
        assert any(
            re.match(rf"peak memory \(all processes, {kind} sum\): \d+ MiB", line) for line in lines
        ), proc.stdout
    assert any(line.startswith("rep 1/1  plain CLI loop:") for line in lines), proc.stdout
    assert any(line.startswith("rep 1/1  project render:") for line in lines), proc.stdout
