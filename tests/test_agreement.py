"""Importing an agreement: the 2026 document measured against the curated workbook, a
changed agreement diffed against the year before, refusals, and the README followed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from report_utils.agreement import CHANGES_FILE, import_agreement
from report_utils.errors import ParameterError
from report_utils.model import load_dataset
from test_newyear import tree_digest

ROOT = Path(__file__).resolve().parent.parent

# A small agreement with the 2026 document's structure and its kinds of OCR damage:
# lost å/ä/ö (Matbara, forvaltningen, hilsa), a joined word (Deltaien), a bullet "e",
# page furniture (a URL list, a page number) and a bullet broken by a page break.
AGREEMENT = """Inledning om 6verenskommelsen som inte hor till nagot tema.

Stod till unga

Ingar i Nationella strategin, delmal 1 och 2

Staden erbjuder stod till unga som mar daligt.

Kortsiktiga mal och aktiviteter 2027
e Socialforvaltningen erbjuder samtal till unga varje vecka.

e Skol- och fritidsforvaltningen har elevhilsan pa alla skolor och
https://www.example.se/elevhalsa

7

samverkar med socialforvaltningen.

Matbara indikatorer for uppfoljning
e Antal samtal med unga pa socialforvaltningen.
e Antal elever som traffat elevhilsan.

Langsiktiga mal
e Andelen unga med hog franvaro ska halveras.

Matbara indikatorer for uppfoljning
e Andelen unga med hog franvaro.

Skolnarvaro

Ingér i Nationella strategin, delmal 2

Kortsiktiga mal och aktiviteter 2027
e Socialndmnden har som mal att 6ka skolnirvaro.
o Socialndmndens mal dr att andelen med hog franvaro ska minska med 20 procent.

Matbara indikatorer for uppfoljning
e Skolnarvaro.
e Deltaien kartlaggning av halsoenkater.

Langsiktiga mal
e Fler elever ska ga ut skolan.

Matbara indikatorer for uppfoljning
e Saknas.
"""


def changed(text: str) -> str:
    """The agreement a year later: a new theme, an indicator removed, one reworded, a
    target and a department changed, the pages renumbered."""
    text = text.replace("minska med 20 procent", "minska med 25 procent")
    text = text.replace("e Antal elever som traffat elevhilsan.\n", "")
    text = text.replace(
        "e Antal samtal med unga pa socialforvaltningen.",
        "e Antal samtal med unga pa vard- och omsorgsforvaltningen.",
    )
    text = text.replace("e Deltaien kartlaggning", "e Deltaien fordjupad kartlaggning")
    text = text.replace("\n7\n", "\n9\n")
    return text + (
        "\nDigital hilsa\n\nIngar i Nationella strategin, delmal 7\n\n"
        "Kortsiktiga mal och aktiviteter 2028\ne Staden erbjuder chatt.\n\n"
        "Matbara indikatorer for uppfoljning\ne Antal chattsamtal.\n"
    )


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "report_utils", *args], capture_output=True, text=True, cwd=cwd
    )


def rows(data: Path, year: int, sheet: str) -> list[dict]:
    goal = load_dataset(data).goals[year]
    return getattr(goal, sheet).to_dict("records")


def test_import_writes_a_valid_draft_with_sources_units_targets_and_departments(
    data_copy, tmp_path
):
    doc = tmp_path / "overenskommelse.txt"
    doc.write_text(AGREEMENT, "utf-8")
    result = import_agreement(doc, data_copy, 2027)
    assert result.problems == []
    assert [p.name for p in result.created] == ["mal.xlsx", "indikatorvarden.xlsx", CHANGES_FILE]
    themes = rows(data_copy, 2027, "teman")
    assert [t["namn"] for t in themes] == ["Stöd till unga", "Skolnärvaro"]
    assert [t["delmal"] for t in themes] == [(1, 2), (2,)]
    assert themes[1]["langsiktiga_indikatorer"] == "saknas"
    ind = {r["text"]: r for r in rows(data_copy, 2027, "indikatorer")}
    assert ind["Antal samtal med unga på socialförvaltningen."]["ansvariga"] == ("SOF",)
    assert ind["Antal elever som träffat elevhälsan."]["ansvariga"] == ("SFF",)
    long_term = ind["Andelen unga med hög frånvaro."]
    assert (long_term["maltyp"], long_term["malvarde"], long_term["enhet"]) == (
        "minska_procent",
        50,
        "andel",
    )
    school = next(r for t, r in ind.items() if t.startswith("Skolnärvaro"))
    assert (school["maltyp"], school["malvarde"], school["namnd"], school["ansvariga"]) == (
        "minska_procent",
        20,
        "socialnämnden",
        ("SOF",),
    )
    assert "Delta i en kartläggning av hälsoenkäter." in ind
    # provenance: the raw OCR line, page furniture dropped, the broken bullet joined
    assert school["kalla_citat"] == "Skolnarvaro."
    acts = [a["text"] for a in rows(data_copy, 2027, "aktiviteter")]
    assert any("elevhälsan på alla skolor och samverkar med socialförvaltningen" in a for a in acts)
    assert not any("example.se" in a or re.search(r"\b7\b", a) for a in acts)
    # an empty values workbook, one row per indicator and responsible department
    varden = load_dataset(data_copy).goals[2027].varden
    assert len(varden) >= len(ind) and varden["varde"].isna().all()


def test_a_changed_agreement_is_diffed_against_the_year_before(data_copy, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(AGREEMENT, "utf-8")
    second.write_text(changed(AGREEMENT), "utf-8")
    import_agreement(first, data_copy, 2027)
    before = {r["text"]: r["indikator_id"] for r in rows(data_copy, 2027, "indikatorer")}
    result = import_agreement(second, data_copy, 2028)  # the CLI prints result.summary
    assert result.problems == []
    assert "jämfört med 2027: teman 1 nya, 0 borttagna" in result.summary[1]
    report = (data_copy / "2028" / CHANGES_FILE).read_text("utf-8")
    sections = dict(re.findall(r"### (.+?)\n\n(.*?)(?=\n### |\n## |\Z)", report, re.S))
    assert "Digital hälsa" in sections["Nya teman"]
    assert "Antal elever som träffat elevhälsan." in sections["Borttagna indikatorer"]
    assert "fördjupad kartläggning" in sections["Omformulerade indikatorer"]
    assert re.search(r"−20\s%.*\| −25\s%", sections["Ändrade mål"])
    assert re.search(r"\| SOF \| VOF \|", sections["Ändrat ansvar"])
    after = {r["text"]: r["indikator_id"] for r in rows(data_copy, 2028, "indikatorer")}
    # what continues keeps its id; the rewording too
    assert after["Andelen unga med hög frånvaro."] == before["Andelen unga med hög frånvaro."]
    reworded = next(i for t, i in after.items() if "fördjupad" in t)
    assert reworded == before["Delta i en kartläggning av hälsoenkäter."]
    assert after["Antal chattsamtal."] not in before.values()


def test_import_refuses_an_existing_year_and_changes_nothing(data_copy, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text(AGREEMENT, "utf-8")
    before = tree_digest(data_copy)
    with pytest.raises(ParameterError, match="2026 finns redan; inget har ändrats"):
        import_agreement(doc, data_copy, 2026)
    proc = cli("import-agreement", str(doc), "--year", "2026", "--data-dir", str(data_copy))
    assert proc.returncode == 2 and "finns redan" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_digest(data_copy) == before


def test_a_document_it_cannot_parse_is_reported_with_line_numbers(data_copy, tmp_path):
    doc = tmp_path / "fel.txt"
    doc.write_text("Ett brev.\n\nHej!\n", "utf-8")
    before = tree_digest(data_copy)
    proc = cli("import-agreement", str(doc), "--year", "2027", "--data-dir", str(data_copy))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "fel.txt" in proc.stderr and "Ingår i Nationella strategin" in proc.stderr
    broken = AGREEMENT.replace("Skolnarvaro\n\nIngér", "\nIngér").replace("delmal 2\n", "delmal\n")
    doc.write_text(broken, "utf-8")
    proc = cli("import-agreement", str(doc), "--year", "2027", "--data-dir", str(data_copy))
    assert proc.returncode == 1
    line = broken.splitlines().index("Ingér i Nationella strategin, delmal") + 1
    assert f"rad {line}:" in proc.stderr and "temarubrik" in proc.stderr
    assert "anger inga delmål" in proc.stderr
    assert tree_digest(data_copy) == before


@pytest.mark.slow
def test_the_2026_agreement_imported_from_scratch_matches_the_curated_workbook():
    """scripts/agreement_accuracy.py: the shipped OCR text imported without the 2026
    folder, compared with the curated 2026 workbook."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "agreement_accuracy.py"), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    f = json.loads(proc.stdout)
    assert f["themes_found"] == f["themes_curated"] == 24
    assert f["subgoals_identical"] == 24
    assert f["indicators_found_pct"] >= 97
    assert f["ocr_artefacts"] == 0, f["artefacts"]
    assert f["validation_problems"] == []
    # curated texts that are the OCR line repaired: the repair reproduces them
    assert f["faithful_text_within_few_chars_pct"] >= 97
    assert f["faithful_text_identical_pct"] >= 80
    # all curated texts, including those the curator reworded
    assert f["text_within_few_chars_pct"] >= 85


def _readme_steps(readme: str) -> list[str]:
    section = readme.split("## Importera nästa års överenskommelse", 1)[1].split("\n## ", 1)[0]
    return [s.strip() for s in re.findall(r"```sh\n(.*?)\n\s*```", section, re.S)]


def test_readme_import_section_followed_literally(settings, tmp_path):
    readme = (settings.project_root / "README.md").read_text("utf-8")
    steps = _readme_steps(readme)
    assert steps == [
        ".venv/bin/python -m report_utils import-agreement overenskommelse-2027.txt --year 2027",
        ".venv/bin/python -m report_utils validate",
    ]
    project = tmp_path / "projekt"
    shutil.copytree(settings.data_dir, project / "data")
    shutil.copy(settings.project_root / "pyproject.toml", project / "pyproject.toml")
    (project / "notebooks").mkdir()
    (project / "overenskommelse-2027.txt").write_text(AGREEMENT, "utf-8")

    def run(command: str) -> subprocess.CompletedProcess:
        argv = command.split()
        argv[0] = sys.executable  # the project's .venv python, here the test's interpreter
        env = {"REPORT_UTILS_ROOT": str(project), "PATH": "/usr/bin:/bin"}
        return subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True)

    imported = run(steps[0])
    assert imported.returncode == 0, imported.stderr
    for name in ("mal.xlsx", "indikatorvarden.xlsx", CHANGES_FILE):
        assert (project / "data" / "2027" / name).is_file()
    assert "jämfört med 2026" in imported.stdout
    report = (project / "data" / "2027" / CHANGES_FILE).read_text("utf-8")
    assert "## Att granska" in report and "## Ändringar jämfört med 2026" in report
    checked = run(steps[1])  # step 3: validate
    assert checked.returncode == 0, checked.stderr
    assert "2027: 2 teman" in checked.stdout
    # running the import again refuses and changes nothing
    before = tree_digest(project / "data")
    again = run(steps[0])
    assert again.returncode == 2 and "finns redan" in again.stderr
    assert tree_digest(project / "data") == before
