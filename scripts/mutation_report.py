"""Summarise the last `mutmut run`: per module the share of mutants the tests killed.

mutmut 3 has no summary command: ``mutmut results`` lists every mutant with its status, and
``mutmut export-cicd-stats`` gives one overall count, but nothing says which module's tests
bite and which don't. This script reads ``mutmut results --all true`` (its documented output,
one ``<name>: <status>`` line per mutant) and groups it by module. Survivors named in
docs/mutation.md (judged harmless there, with the reason) are counted apart, so a new
survivor — one that is neither killed nor explained — is what stands out.

A mutant counts as killed when a test failed on it, it ran out of time (a mutant that hangs
is caught, not missed), or a type check caught it. Everything else — survived, no test ran
the code, suspicious — counts against the share.

Usage: python scripts/mutation_report.py [--list]  (after `mutmut run`; --list names each
unexplained survivor instead of counting them per function)
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARMLESS_DOC = ROOT / "docs" / "mutation.md"
KILLED = {"killed", "timeout", "caught by type check"}
AIM = 85.0
LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+?)\s*$")
DOC_NAME = re.compile(r"`(?P<name>[\w.ǁ]+__mutmut_\d+)`")


def parse(text: str) -> dict[str, str]:
    """``{mutant name: status}`` from the output of ``mutmut results --all true``."""
    return {m["name"]: m["status"] for m in map(LINE.match, text.splitlines()) if m}


def module_of(name: str) -> str:
    """``report_utils.compare.x_assess__mutmut_3`` → ``compare``."""
    return name.split(".")[1] if name.count(".") >= 2 else name.split(".")[0]


def harmless_names(doc: Path = HARMLESS_DOC) -> set[str]:
    """The mutants docs/mutation.md names (in backticks) as judged harmless."""
    return set(DOC_NAME.findall(doc.read_text("utf-8"))) if doc.is_file() else set()


def summarise(statuses: dict[str, str], harmless: set[str]) -> tuple[list[tuple], list[str]]:
    """Rows ``(module, total, killed, harmless, open)`` plus the unexplained survivors."""
    counts: dict[str, Counter] = defaultdict(Counter)
    unexplained = []
    for name, status in statuses.items():
        c = counts[module_of(name)]
        c["total"] += 1
        if status in KILLED:
            c["killed"] += 1
        elif name in harmless:
            c["harmless"] += 1
        else:
            c["open"] += 1
            unexplained.append(f"{name}: {status}")
    rows = [
        (mod, c["total"], c["killed"], c["harmless"], c["open"])
        for mod, c in sorted(counts.items())
    ]
    return rows, sorted(unexplained)


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    – "


def function_of(entry: str) -> str:
    """``report_utils.compare.x_assess__mutmut_3: survived`` → ``compare.assess``."""
    name = entry.split(":")[0].rsplit("__mutmut_", 1)[0]
    module, _, func = name.partition(".")[2].partition(".")
    return f"{module}.{re.sub('^x[_ǁ]', '', func).replace('ǁ', '.')}"


def render(rows: list[tuple], unexplained: list[str], every: bool = False) -> str:
    out = [
        f"{'module':<14}{'mutants':>8}{'killed':>8}{'share':>9}{'harmless':>10}{'open':>6}",
    ]
    for mod, total, killed, harmless, open_ in rows:
        out.append(
            f"{mod:<14}{total:>8}{killed:>8}{share(killed, total):>9}{harmless:>10}{open_:>6}"
        )
    total = sum(r[1] for r in rows)
    killed = sum(r[2] for r in rows)
    harmless = sum(r[3] for r in rows)
    open_ = sum(r[4] for r in rows)
    out.append(
        f"{'overall':<14}{total:>8}{killed:>8}{share(killed, total):>9}{harmless:>10}{open_:>6}"
    )
    out.append("")
    out.append(
        f"killed {share(killed, total).strip()} (aim ≥ {AIM:.0f} %); "
        f"killed or judged harmless in docs/mutation.md {share(killed + harmless, total).strip()}"
    )
    if unexplained:
        out.append(f"{len(unexplained)} survivors neither killed nor listed as harmless:")
        if every:
            out += [f"  {u}" for u in unexplained]
            out.append("(see one with: .venv/bin/mutmut show NAME)")
        else:
            by_function = Counter((function_of(u), u.partition(": ")[2]) for u in unexplained)
            out += [
                f"  {n:>4} {status:<12} {func}" for (func, status), n in sorted(by_function.items())
            ]
            out.append("(each by name: python scripts/mutation_report.py --list)")
    return "\n".join(out)


def main() -> int:
    proc = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    statuses = parse(proc.stdout)
    if proc.returncode != 0 or not statuses:
        print("no mutmut results: run `make mutation` (mutmut run) first", file=sys.stderr)
        print(proc.stderr, file=sys.stderr)
        return 1
    rows, unexplained = summarise(statuses, harmless_names())
    print(render(rows, unexplained, every="--list" in sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
