"""Print line and branch coverage of the modules that hold the rules; fail under 90 % branches.

``make test`` runs pytest with coverage (pytest-cov, configured in pyproject.toml) and then
this script. coverage.py's own threshold (``fail_under``) applies to lines and branches
together; the project's goal is about branches alone, so the share is computed here from
coverage's analysis of each module.
"""

from __future__ import annotations

import sys

import coverage

GOAL = 90.0  # per cent of the branches in the rule modules


def main() -> int:
    cov = coverage.Coverage()
    cov.load()
    data = cov.get_data()
    rows, total_branches, total_missing = [], 0, 0
    for path in sorted(data.measured_files()):
        analysis = cov._analyze(path)  # the public report API prints; this gives the numbers
        nums = analysis.numbers
        name = path.split("src/")[-1]
        branches = 100.0 * (nums.n_branches - nums.n_missing_branches) / max(nums.n_branches, 1)
        lines = 100.0 * (nums.n_statements - nums.n_missing) / max(nums.n_statements, 1)
        rows.append((name, lines, branches, nums.n_branches))
        total_branches += nums.n_branches
        total_missing += nums.n_missing_branches
    if not rows:
        print("ingen täckning mätt: kör make test", file=sys.stderr)
        return 1
    print("\nTäckning av reglerna (pytest-cov):")
    print(f"  {'modul':<34}{'rader':>8}{'grenar':>9}")
    for name, lines, branches, n in rows:
        print(f"  {name:<34}{lines:>7.1f}%{branches:>8.1f}%  ({n} grenar)")
    share = 100.0 * (total_branches - total_missing) / max(total_branches, 1)
    print(f"  {'alla regelmoduler':<34}{'':>8}{share:>8.1f}%  (mål ≥ {GOAL:.0f} %)")
    return 0 if share >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
