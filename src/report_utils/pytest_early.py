"""A pytest plugin that pytest loads before the plugins it finds installed
(``-p report_utils.pytest_early`` in pyproject.toml's ``addopts``).

nbval imports nbformat when pytest loads it, and nbformat's import builds rfc3987_syntax's
parser (:mod:`report_utils.lazyimport`): about 1 s of CPU in pytest's own process and in
each pytest-xdist worker, before any test runs. Imported here first, the way a render
imports it, the parser is built only if a test checks an IRI.
"""

from __future__ import annotations

from .lazyimport import import_nbformat

import_nbformat()
