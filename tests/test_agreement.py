"""Importing an agreement: the 2026 document measured against the curated workbook, the
OCR repair rules on made-up sentences, the word-list cache, a changed agreement diffed
against the year before, refusals, and the README followed.

Speed: the 2026 document is imported once per session (by the accuracy script) and the
small agreement below once per session into a shared copy of data/. The imports use the
project's word-list cache (``outputs/.cache``) as the CLI does; one test imports with an
empty cache and checks that it gives the same draft.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import msgpack
import pytest

from conftest import ReadmeProject, readme_steps
from report_utils import ocr
from report_utils.agreement import CHANGES_FILE, AgreementError, import_agreement
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


def sheets(data: Path) -> dict[int, dict[str, list[dict]]]:
    """Each goal year's sheets as loaded and validated (one load of data/)."""
    names = ("teman", "aktiviteter", "indikatorer", "varden")
    return {
        year: {name: getattr(goal, name).to_dict("records") for name in names}
        for year, goal in load_dataset(data).goals.items()
    }


def workbook_cells(path: Path) -> dict[str, list[tuple]]:
    """Every cell value of every sheet (xlsx bytes carry the time they were zipped)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    cells = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    book.close()
    return cells


@pytest.fixture(scope="session")
def word_cache(settings) -> Path:
    """The project's word-list cache, as the CLI uses it (built here if missing)."""
    ocr.WordStore.open(settings.cache_dir).close()
    return settings.cache_dir


@pytest.fixture(scope="session")
def draft_2027(tmp_path_factory, settings, word_cache) -> Path:
    """A copy of data/ with the small agreement imported as 2027 (once per session)."""
    data = tmp_path_factory.mktemp("utkast") / "data"
    shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns("sources"))
    doc = data.parent / "overenskommelse.txt"
    doc.write_text(AGREEMENT, "utf-8")
    result = import_agreement(doc, data, 2027, cache_dir=word_cache)
    assert result.problems == []
    assert [p.name for p in result.created] == ["mal.xlsx", "indikatorvarden.xlsx", CHANGES_FILE]
    return data


# -- the import ------------------------------------------------------------------------------
def test_import_writes_a_valid_draft_with_sources_units_targets_and_departments(draft_2027):
    loaded = sheets(draft_2027)[2027]
    themes = loaded["teman"]
    assert [t["namn"] for t in themes] == ["Stöd till unga", "Skolnärvaro"]
    assert [t["delmal"] for t in themes] == [(1, 2), (2,)]
    assert themes[1]["langsiktiga_indikatorer"] == "saknas"
    ind = {r["text"]: r for r in loaded["indikatorer"]}
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
    acts = [a["text"] for a in loaded["aktiviteter"]]
    assert any("elevhälsan på alla skolor och samverkar med socialförvaltningen" in a for a in acts)
    assert not any("example.se" in a or re.search(r"\b7\b", a) for a in acts)
    # an empty values workbook, one row per indicator and responsible department
    varden = loaded["varden"]
    assert len(varden) >= len(ind) and all(v["varde"] is None for v in varden)


def test_an_import_with_an_empty_word_cache_gives_the_same_draft(draft_2027, settings, tmp_path):
    """The cache only remembers: built from nothing (cold) it gives the very same draft."""
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns("sources"))
    doc = tmp_path / "overenskommelse.txt"
    doc.write_text(AGREEMENT, "utf-8")
    cold = tmp_path / "tom-cache"
    import_agreement(doc, data, 2027, cache_dir=cold)
    assert [p.name for p in cold.glob("*.sqlite")]  # it was built
    for name in ("mal.xlsx", "indikatorvarden.xlsx"):
        assert workbook_cells(data / "2027" / name) == workbook_cells(draft_2027 / "2027" / name)
    changes = (data / "2027" / CHANGES_FILE).read_text("utf-8")
    assert changes == (draft_2027 / "2027" / CHANGES_FILE).read_text("utf-8")


def test_a_changed_agreement_is_diffed_against_the_year_before(draft_2027, tmp_path, word_cache):
    data = tmp_path / "data"
    shutil.copytree(draft_2027, data)
    second = tmp_path / "b.txt"
    second.write_text(changed(AGREEMENT), "utf-8")
    result = import_agreement(second, data, 2028, cache_dir=word_cache)  # the CLI prints summary
    assert result.problems == []
    assert "jämfört med 2027: teman 1 nya, 0 borttagna" in result.summary[1]
    report = (data / "2028" / CHANGES_FILE).read_text("utf-8")
    sections = dict(re.findall(r"### (.+?)\n\n(.*?)(?=\n### |\n## |\Z)", report, re.S))
    assert "Digital hälsa" in sections["Nya teman"]
    assert "Antal elever som träffat elevhälsan." in sections["Borttagna indikatorer"]
    assert "fördjupad kartläggning" in sections["Omformulerade indikatorer"]
    assert re.search(r"minska med 20\s%.*\| minska med 25\s%", sections["Ändrade mål"])
    assert re.search(r"\| SOF \| VOF \|", sections["Ändrat ansvar"])
    loaded = sheets(data)
    before = {r["text"]: r["indikator_id"] for r in loaded[2027]["indikatorer"]}
    after = {r["text"]: r["indikator_id"] for r in loaded[2028]["indikatorer"]}
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
    with pytest.raises(AgreementError) as caught:  # what the CLI prints, as above
        import_agreement(doc, data_copy, 2027)
    line = broken.splitlines().index("Ingér i Nationella strategin, delmal") + 1
    assert f"rad {line}:" in str(caught.value) and "temarubrik" in str(caught.value)
    assert "anger inga delmål" in str(caught.value)
    assert tree_digest(data_copy) == before


# -- OCR repair rules, on made-up sentences ---------------------------------------------------
@pytest.fixture(scope="module")
def store(word_cache):
    opened = ocr.WordStore.open(word_cache)
    yield opened
    opened.close()


def repaired(store, line: str, document: tuple[str, ...] = ()) -> tuple[str, list]:
    """``line`` repaired with the dictionaries only (no curated vocabulary), after learning
    from ``document`` (the lines of the agreement it stands in)."""
    repairer = ocr.Repairer(ocr.Lexicon.build([], store))
    repairer.learn_document(list(document) or [line])
    return repairer.repair(line)


def test_after_a_preposition_vara_is_the_possessive_vara(store):
    text, doubts = repaired(store, "Informationen finns pa vara skolor och i vara bibliotek.")
    assert text == "Informationen finns på våra skolor och i våra bibliotek." and not doubts
    text, _ = repaired(store, "Det ska vara latt att ta till vara pa idéer.")
    assert text == "Det ska vara lätt att ta till vara på idéer."  # infinitive, "ta till vara"


def test_beror_without_pa_is_beror_with_an_umlaut(store):
    assert repaired(store, "Resultatet beror pa vadret.") == ("Resultatet beror på vädret.", [])
    text, doubts = repaired(store, "Kursen beror alla som arbetar med unga.")
    assert text == "Kursen berör alla som arbetar med unga." and not doubts


def test_a_compound_whose_first_part_drops_its_final_e_is_joined(store):
    # invånare + möte = invånarmötet; not "in vanormötet"
    text, _ = repaired(store, "Resultatet presenteras pa invanarmotet i mars.")
    assert text == "Resultatet presenteras på invånarmötet i mars."


def test_a_definite_ending_is_not_split_off_as_a_word(store):
    text, _ = repaired(store, "Samtalen sker pa skuldrddgivningen.")
    assert text == "Samtalen sker på skuldrådgivningen."  # not "skuldrådgivning en"
    text, _ = repaired(store, "Deltagarna i pratcirklarna traffas varje vecka.")
    assert text == "Deltagarna i pratcirklarna träffas varje vecka."  # not "pratcirklar nå"


def test_a_compound_hunspell_knows_is_one_word_not_two(store):
    text, _ = repaired(store, "Rektorerna foljer elevnidrvaro varje manad.")
    assert text == "Rektorerna följer elevnärvaro varje månad."  # not "elev närvaro"
    text, _ = repaired(store, "Alla ska ha godhalsa.")
    assert text == "Alla ska ha god hälsa."  # no such compound: two words


def test_a_word_the_document_spells_elsewhere_settles_a_damaged_letter(store):
    line = "Syskonstdd erbjuds varje termin."
    alone, doubts = repaired(store, line)
    assert alone.split()[0] in ("Syskonstad", "Syskonstöd") and doubts  # a tie: flagged
    document = ("Syskonstod ges till barn vars syskon ar sjuka.", line)
    text, doubts = repaired(store, line, document)
    assert text == "Syskonstöd erbjuds varje termin." and not doubts


def test_an_abbreviation_takes_the_casing_the_document_gives_it(store):
    document = ("Utbildningen GoFaR startar i maj.", "Antal deltagare i GOFAR.")
    assert repaired(store, document[1], document)[0] == "Antal deltagare i GoFaR."
    # written two ways in the document: no evidence, left as it stands
    document = ("Kursen GoFaR och kursen GoFAR.", "Antal deltagare i GOFAR.")
    assert repaired(store, document[1], document)[0] == "Antal deltagare i GOFAR."


@pytest.mark.parametrize(
    ("line", "ocr_word", "rival"),
    [
        ("De arliga rapporterna publiceras.", "arliga", "årliga"),  # ärliga or årliga
        ("Centret sdnder ut nyhetsbrev.", "sdnder", "sänder"),  # sönder or sänder
    ],
)
def test_a_word_nothing_settles_is_flagged_for_review(store, line, ocr_word, rival):
    _text, doubts = repaired(store, line)
    doubt = next(d for d in doubts if d.ocr == ocr_word)
    assert rival in (doubt.chosen, *doubt.alternatives) and "osäkert" in str(doubt)


# -- the word-list cache ----------------------------------------------------------------------
@pytest.fixture
def small_dictionaries(tmp_path, monkeypatch):
    """A word list and a hunspell dictionary of a few words, in place of the real ones."""
    pack = tmp_path / "large_sv.msgpack.gz"

    def write_words(buckets: dict[int, list[str]]) -> None:
        data = [{"format": "cB", "version": 1}] + [[] for _ in range(max(buckets) + 1)]
        for cb, words_ in buckets.items():
            data[cb + 1] = sorted(words_)
        pack.write_bytes(gzip.compress(msgpack.packb(data)))

    base = tmp_path / "sv_SE"
    base.with_suffix(".aff").write_text("SET UTF-8\n", "utf-8")

    def write_dic(words_: list[str]) -> None:
        base.with_suffix(".dic").write_text(f"{len(words_)}\n" + "\n".join(words_) + "\n", "utf-8")

    write_words({300: ["och", "stöd"], 500: ["stad", "vårdnad"]})
    write_dic(["stöd", "vårdnad", "vårdnadsstöd"])
    monkeypatch.setattr(ocr, "_wordfreq_file", lambda: pack)
    monkeypatch.setattr(ocr, "_hunspell_base", lambda: base)
    ocr._load_hunspell.cache_clear()
    yield write_words, write_dic
    ocr._load_hunspell.cache_clear()


def test_the_word_cache_answers_as_the_dictionaries_do_and_is_rebuilt_when_they_change(
    small_dictionaries, tmp_path, monkeypatch
):
    write_words, write_dic = small_dictionaries
    cache = tmp_path / "cache"
    first = ocr.WordStore.open(cache)
    memory = ocr.WordStore.open(None)  # no cache: the same answers
    for store in (first, memory):
        assert store.same_skeleton("stod") == ["stöd"] and store.freq("stöd") == 10**-3
        assert store.hunspell_knows("vårdnadsstöd") and not store.hunspell_knows("vårdnadsstad")
        store.close()
    (built,) = cache.glob("*.sqlite")

    def no_spylls(base):
        raise AssertionError("hunspell asked again")

    monkeypatch.setattr(ocr, "_load_hunspell", no_spylls)
    again = ocr.WordStore.open(cache)  # the verdicts come from the file
    assert again.hunspell_knows("vårdnadsstöd") and not again.hunspell_knows("vårdnadsstad")
    again.close()
    assert list(cache.glob("*.sqlite")) == [built]

    # a changed dictionary: a new file, the old one gone, the new verdicts
    monkeypatch.undo()
    monkeypatch.setattr(ocr, "_wordfreq_file", lambda: tmp_path / "large_sv.msgpack.gz")
    monkeypatch.setattr(ocr, "_hunspell_base", lambda: tmp_path / "sv_SE")
    ocr._load_hunspell.cache_clear()
    write_dic(["stöd", "stad", "vårdnad", "vårdnadsstad"])
    changed_dic = ocr.WordStore.open(cache)
    assert changed_dic.hunspell_knows("vårdnadsstad")
    changed_dic.close()
    (rebuilt,) = cache.glob("*.sqlite")
    assert rebuilt != built
    # a changed word list: rebuilt too
    write_words({300: ["och", "stöd", "stad"]})
    changed_list = ocr.WordStore.open(cache)
    assert changed_list.same_skeleton("stad") == ["stad"] and changed_list.freq("stad") == 10**-3
    changed_list.close()
    assert [p.name for p in cache.glob("*.sqlite")] != [rebuilt.name]
    # a damaged file is built again
    (current,) = cache.glob("*.sqlite")
    current.write_bytes(b"inte en databas")
    repaired_store = ocr.WordStore.open(cache)
    assert repaired_store.same_skeleton("stad") == ["stad"]
    repaired_store.close()
    assert current.read_bytes()[:15] == b"SQLite format 3"


# -- the 2026 agreement, measured -------------------------------------------------------------
@pytest.fixture(scope="session")
def accuracy_script():
    import importlib.util

    path = ROOT / "scripts" / "agreement_accuracy.py"
    spec = importlib.util.spec_from_file_location("agreement_accuracy", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@pytest.fixture(scope="session")
def accuracy_2026(accuracy_script, word_cache) -> dict:
    """scripts/agreement_accuracy.py: the shipped OCR text imported without the 2026
    folder, compared with the curated 2026 workbook (one import per session)."""
    figures = accuracy_script.run()
    return json.loads(json.dumps(figures, ensure_ascii=False))  # as --json prints them


def test_the_2026_agreement_is_read_as_issue_17_asks(accuracy_2026):
    f = accuracy_2026
    assert f["themes_found"] == f["themes_curated"] == 24
    assert f["subgoals_identical"] == 24
    assert f["indicators_found_pct"] >= 97
    assert f["ocr_artefacts"] == 0, f["artefacts"]
    assert f["validation_problems"] == []


def test_the_2026_indicator_texts_stay_at_least_as_close_to_the_curated_ones(accuracy_2026):
    """Issue 17 asks for ≥ 90 % identical and ≥ 97 % within a few characters over all
    indicators. Out of reach: the curator reworded 20 of the 98 beyond the OCR line
    (listed by the script with the evidence), 10 of them by more than 5 characters. So these
    are floors at the figures reached, not the issue's targets."""
    f = accuracy_2026
    assert f["indicators_curated"] == 98
    assert f["text_identical"] >= 75  # 76.5 %
    assert f["text_within_few_chars"] >= 88  # 89.8 %
    assert not f["targets"]["text_identical_pct"]["reached"]  # said, not hidden
    # where the curated text is the OCR line repaired, the repair reproduces it
    assert f["repaired"]["count"] >= 78
    assert f["repaired"]["close_pct"] == 100
    assert f["repaired"]["identical"] >= 75


def test_the_accuracy_script_says_plainly_which_targets_of_issue_17_are_missed(
    accuracy_script, accuracy_2026
):
    report = accuracy_script.report(accuracy_2026, verbose=False)
    issue, breakdown = report.split("Uppdelning av", 1)  # the issue's measures come first
    value = accuracy_2026["text_identical_pct"]
    assert f"under målet i issue 17: {value} % (mål 90 %)" in issue
    assert "OCR-artefakter i visad text" in issue and "uppnått" in issue
    for row in accuracy_2026["rows"]:
        if row["edits"]:  # each reworded row listed with its evidence
            assert row["id"] in breakdown and row["edits"][0] in breakdown


# -- the README ------------------------------------------------------------------------------
def test_readme_import_section_followed_literally(settings, tmp_path, word_cache):
    steps = readme_steps(settings, "Importera nästa års överenskommelse")
    assert steps == [
        ".venv/bin/python -m report_utils import-agreement overenskommelse-2027.txt --year 2027",
        ".venv/bin/python -m report_utils validate",
    ]
    copy = ReadmeProject(settings, tmp_path / "projekt", env={"PATH": "/usr/bin:/bin"})
    project, run = copy.path, copy.run
    (project / "overenskommelse-2027.txt").write_text(AGREEMENT, "utf-8")
    # the word-list cache as a user has it after their first import (building it is
    # tested above and costs seconds)
    shutil.copytree(word_cache, project / "outputs" / ".cache")

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
