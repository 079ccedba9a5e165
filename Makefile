# Self-documenting: `make` or `make help` lists every target with its ## comment.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help report test validate lab bench browser lint clean mutation

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

report: $(STAMP) browser ## build everything and render every report from the shipped data (outputs/html/index.html, outputs/pdf/)
	$(PY) -m report_utils render

validate: $(STAMP) ## check the spreadsheets under data/ against their schemas
	$(PY) -m report_utils validate

# The suite runs with Python's bytecode cache on even where PYTHONDONTWRITEBYTECODE is set
# (as on some CI machines): pytest then keeps the test modules it rewrites for its assert
# messages, and every process the tests start keeps its compiled modules, instead of each
# of them compiling again (about 2 s of CPU per pytest process). __pycache__/ is ignored.
test: $(STAMP) browser ## run the whole test suite on two workers, with coverage and the slowest tests
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n 2 --durations=15 --cov --cov-report=
	$(PY) scripts/coverage_report.py

browser: ## install Debian's chromium, which prints the PDFs and runs the browser test (needs root)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (Debian package) for the PDFs and the browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: no PDFs, and the browser test will be skipped"; \
	  else echo "chromium not found and not root: no PDFs, and the browser test will be skipped"; fi; }

# JupyterLab with the project's server settings (.jupyter/: notebooks saved without outputs)
# and the project's kernel even where a user-level "python3" kernel would shadow it.
LAB_ENV := JUPYTER_CONFIG_PATH=$(CURDIR)/.jupyter JUPYTER_PREFER_ENV_PATH=1

lab: $(STAMP) ## start JupyterLab in notebooks/ (the explorer: notebooks/explore.ipynb)
	$(LAB_ENV) $(PY) -m jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: $(STAMP) ## measure render speed as ratios: fast vs papermill+nbconvert CLI, kernel vs fresh-kernel floor, warm rerun, 10 synthetic years
	$(PY) scripts/bench.py

# mutmut 3 (configured in pyproject.toml [tool.mutmut]) copies the project into mutants/ and
# forks a worker per mutant; a fresh run each time, so the shares reflect the current tests.
mutation: $(STAMP) ## mutation-test the rule modules (validation, compare, formatting, cache key) and print the share of mutants killed (tens of minutes; not part of the test target)
	rm -rf mutants && mkdir mutants
	@echo "mutmut run --max-children 2 (log: mutants/run.log) …"
	@start=$$(date +%s); \
	  $(PY) -m mutmut run --max-children 2 > mutants/run.log 2>&1 || { tail -c 3000 mutants/run.log; exit 1; }; \
	  echo "mutmut run took $$(( $$(date +%s) - start )) s"
	$(PY) scripts/mutation_report.py

lint: $(STAMP) ## ruff check
	$(PY) -m ruff check src tests scripts

clean: ## remove outputs and caches (keeps .venv)
	rm -rf outputs/html outputs/pdf outputs/notebooks outputs/.cache outputs/.render.lock* outputs/screenshots .pytest_cache mutants
