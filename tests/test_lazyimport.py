"""Rendering imports nbformat without building rfc3987_syntax's parser, and nothing a
notebook cell can ask of that package answers differently (each case in a fresh process)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from report_utils.lazyimport import deferred

PROBE = """
import json, sys
finders = list(sys.meta_path)  # (importing six adds its own)
if sys.argv[1] == "deferred":
    from report_utils.lazyimport import import_nbformat
    import_nbformat()
else:
    import nbformat
built = "lark" in sys.modules  # rfc3987_syntax builds its parser with lark
from jsonschema import Draft202012Validator, FormatChecker
answers = {}
for fmt, values in {
    "iri": ["http://exämple.org/å?q=1#f", "https://a.b/c", "inte en iri", ":x", 42],
    "iri-reference": ["//a/b", "../c?d", "a b", "http://[::1"],
}.items():
    check = Draft202012Validator({"format": fmt}, format_checker=FormatChecker())
    answers[fmt] = [check.is_valid(v) for v in values]
import rfc3987_syntax
from rfc3987_syntax.syntax_helpers import syntax_parser
print(json.dumps({
    "built at import": built,
    "answers": answers,
    "parse": str(rfc3987_syntax.parse("iri", "http://a.b/").data),
    "parser": type(syntax_parser).__name__,
    "finders added": [type(f).__name__ for f in sys.meta_path if f not in finders],
}))
"""


def probe(how: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, how], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_rendering_imports_nbformat_without_building_the_iri_parser_and_answers_the_same():
    plain, deferred_ = probe("plain"), probe("deferred")
    # the cost is real: a plain import of nbformat builds the parser (if a later jsonschema
    # stops doing so, report_utils.lazyimport can go)
    assert plain["built at import"] is True
    assert deferred_["built at import"] is False
    assert deferred_["answers"] == plain["answers"]
    assert plain["answers"]["iri"] == [True, True, False, False, True]  # not all one answer
    assert deferred_["parse"] == plain["parse"] == "iri"
    assert deferred_["parser"] == plain["parser"] == "Lark"
    assert deferred_["finders added"] == plain["finders added"]  # none left behind


def test_a_deferred_module_that_is_not_installed_fails_to_import_as_usual():
    before = list(sys.meta_path)
    with deferred("report_utils_no_such_module"), pytest.raises(ModuleNotFoundError):
        import report_utils_no_such_module  # noqa: F401
    assert sys.meta_path == before
