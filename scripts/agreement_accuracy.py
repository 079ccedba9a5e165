"""How well ``import-agreement`` reads the 2026 agreement: import the shipped OCR text from
scratch and compare it with the hand-curated ``data/2026/mal.xlsx``.

    .venv/bin/python scripts/agreement_accuracy.py [--json] [--keep DIR]

The import runs on a temporary copy of ``data/`` *without* the 2026 folder, so the
importer cannot learn from the answers: its vocabulary comes from the 2018/2019 data and
the reference tables only, exactly as it would for a year never seen before.

Measured (tests/test_agreement.py asserts the thresholds):
- themes found (matched by name) and names identical; sub-goals identical;
- indicators found: curated indicators matched by an imported one of the same theme and
  horizon;
- indicator text: identical to the curated text, and within a few characters
  (Levenshtein distance ≤ 5) — both after normalising spaces, quotation marks, dashes and
  the final full stop. Figures are given for all curated indicators and for those whose
  curated text is a faithful repair of the OCR line it quotes (the rest were reworded by
  the curator, beyond what any repair can reproduce);
- OCR artefacts of the kinds the provenance tests know, in every shown text column.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from report_utils import schemas as S  # noqa: E402
from report_utils.agreement import import_agreement  # noqa: E402
from report_utils.agreement_diff import _greedy, _sim  # noqa: E402
from report_utils.loading import read_workbook  # noqa: E402
from report_utils.ocr import OCR_ARTEFACTS, skeleton  # noqa: E402

DOCUMENT = ROOT / "data" / "sources" / "overenskommelse-2026-ocr.txt"
CURATED = ROOT / "data" / "2026" / "mal.xlsx"
FEW_CHARACTERS = 5
SHOWN = ("namn", "text", "beskrivning", "mal_text", "kalla_avsnitt")


def normalise(text: object) -> str:
    text = str(text or "")
    text = re.sub(r"[”“\"„»«]", '"', text)
    text = re.sub(r"[–—−]", "-", text).replace("…", "...")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".").strip()


_OCR_LOST = set("åäöÅÄÖ")


def faithful(curated: str, quote: str) -> bool:
    """Whether the curated text is the OCR line with its letters repaired — same words in
    the same order, differing only where OCR loses or mangles å/ä/ö — rather than
    reworded by the curator."""
    tokens = lambda s: re.findall(r"\w+", normalise(s).lower())  # noqa: E731
    a, b = tokens(curated), tokens(quote)
    if len(a) != len(b):
        return False
    return all(skeleton(x) == skeleton(y) or set(x) & _OCR_LOST for x, y in zip(a, b, strict=True))


def frames(path: Path) -> dict[str, list[dict]]:
    sheets, problems = read_workbook(path, S.MAL)
    if problems:
        raise SystemExit(f"{path}: {problems[0]}")
    out = {name: sheets[name].frame.to_dict("records") for name in sheets}
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    for name, records in out.items():
        table = list(book[name].iter_rows(values_only=True))
        if "granska" in table[0]:
            col = table[0].index("granska")
            for record in records:
                record["granska"] = table[record["_rad"] - 1][col]
    book.close()
    return out


def measure(imported: dict, curated: dict) -> dict:
    themes_c, themes_i = curated["teman"], imported["teman"]
    pairs = _greedy(
        [
            (_sim(c["namn"], i["namn"]), ci, ii)
            for ci, c in enumerate(themes_c)
            for ii, i in enumerate(themes_i)
        ],
        75,
    )
    theme_map = {themes_c[ci]["tema_id"]: themes_i[ii]["tema_id"] for ci, ii, _ in pairs}
    names_identical = sum(
        normalise(themes_c[ci]["namn"]) == normalise(themes_i[ii]["namn"]) for ci, ii, _ in pairs
    )
    subgoals_identical = sum(
        tuple(themes_c[ci]["delmal"] or ()) == tuple(themes_i[ii]["delmal"] or ())
        for ci, ii, _ in pairs
    )
    ind_c, ind_i = curated["indikatorer"], imported["indikatorer"]
    cands = []
    for ci, c in enumerate(ind_c):
        for ii, i in enumerate(ind_i):
            if theme_map.get(c["tema_id"]) != i["tema_id"] or c["horisont"] != i["horisont"]:
                continue
            score = _sim(c["text"], i["text"])
            if c.get("mal_text") and i.get("mal_text"):
                score = 0.6 * score + 0.4 * _sim(c["mal_text"], i["mal_text"])
            if normalise(c["kalla_citat"]) and normalise(c["kalla_citat"]) in normalise(
                i["kalla_citat"]
            ):
                score = max(score, 80)
            cands.append((score, ci, ii))
    ind_pairs = _greedy(cands, 60)
    found = {ci: ii for ci, ii, _ in ind_pairs}
    identical, close, faithful_n, faithful_identical, faithful_close = 0, 0, 0, 0, 0
    differing = []
    for ci, c in enumerate(ind_c):
        ok_faithful = faithful(c["text"], c["kalla_citat"])
        faithful_n += ok_faithful
        if ci not in found:
            differing.append((c["indikator_id"], c["text"], None))
            continue
        a, b = normalise(c["text"]), normalise(ind_i[found[ci]]["text"])
        same = a == b
        near = Levenshtein.distance(a, b) <= FEW_CHARACTERS
        identical += same
        close += near
        faithful_identical += same and ok_faithful
        faithful_close += near and ok_faithful
        if not same:
            differing.append((c["indikator_id"], c["text"], ind_i[found[ci]]["text"]))
    artefacts = [
        (sheet, col, m.group(0), str(row[col])[:70])
        for sheet, rows in imported.items()
        for row in rows
        for col in SHOWN
        if row.get(col)
        for m in [OCR_ARTEFACTS.search(str(row[col]))]
        if m
    ]
    flagged = sum(1 for rows in imported.values() for r in rows if r.get("granska"))
    n = len(ind_c)
    return {
        "themes_curated": len(themes_c),
        "themes_imported": len(themes_i),
        "themes_found": len(pairs),
        "theme_names_identical": names_identical,
        "subgoals_identical": subgoals_identical,
        "indicators_curated": n,
        "indicators_imported": len(ind_i),
        "indicators_found": len(found),
        "indicators_found_pct": round(100 * len(found) / n, 1),
        "text_identical_pct": round(100 * identical / n, 1),
        "text_within_few_chars_pct": round(100 * close / n, 1),
        "faithful_curated": faithful_n,
        "faithful_text_identical_pct": round(100 * faithful_identical / max(faithful_n, 1), 1),
        "faithful_text_within_few_chars_pct": round(100 * faithful_close / max(faithful_n, 1), 1),
        "ocr_artefacts": len(artefacts),
        "artefacts": artefacts[:20],
        "rows_flagged": flagged,
        "rows_total": sum(len(rows) for rows in imported.values()),
        "differing": differing,
    }


def run(keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("2026"))
        started = time.perf_counter()
        result = import_agreement(DOCUMENT, data, 2026)
        seconds = time.perf_counter() - started
        figures = measure(frames(data / "2026" / "mal.xlsx"), frames(CURATED))
        figures["seconds"] = round(seconds, 1)
        figures["validation_problems"] = [str(p) for p in result.problems]
        if keep:
            shutil.copytree(data / "2026", keep, dirs_exist_ok=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="keep the imported draft in this folder")
    parser.add_argument("--verbose", action="store_true", help="list indicators that differ")
    args = parser.parse_args()
    f = run(args.keep)
    if args.json:
        print(json.dumps({k: v for k, v in f.items() if k != "differing"}, ensure_ascii=False))
        return 0
    print(f"Import av {DOCUMENT.name} jämförd med {CURATED.relative_to(ROOT)} ({f['seconds']} s)")
    print(f"  teman funna:                 {f['themes_found']}/{f['themes_curated']}")
    print(f"  temanamn identiska:          {f['theme_names_identical']}/{f['themes_curated']}")
    print(f"  delmål identiska:            {f['subgoals_identical']}/{f['themes_curated']}")
    print(
        f"  indikatorer funna:           {f['indicators_found']}/{f['indicators_curated']} "
        f"({f['indicators_found_pct']} %); importerade {f['indicators_imported']}"
    )
    print(f"  text identisk:               {f['text_identical_pct']} % av alla")
    print(
        f"  text inom {FEW_CHARACTERS} tecken:           {f['text_within_few_chars_pct']} % av alla"
    )
    print(
        f"  … av de {f['faithful_curated']} vars kurerade text är OCR-raden lagad: identisk "
        f"{f['faithful_text_identical_pct']} %, inom {FEW_CHARACTERS} tecken "
        f"{f['faithful_text_within_few_chars_pct']} %"
    )
    print(f"  OCR-artefakter i visad text: {f['ocr_artefacts']}")
    print(f"  rader flaggade för granskning: {f['rows_flagged']}/{f['rows_total']}")
    print(f"  valideringsproblem i utkastet: {len(f['validation_problems'])}")
    for a in f["artefacts"]:
        print(f"    artefakt: {a}")
    if args.verbose:
        for iid, cur, imp in f["differing"]:
            print(f"  {iid}\n    kurerad:    {cur}\n    importerad: {imp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
