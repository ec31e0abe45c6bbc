# Tallies: `make report` and `make test` do all set-up themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KERNEL := tallies
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The official series the tests read (never copied into the repo); notebooks/conftest.py pins the
# same file for nbval, so stored outputs and their replay see the same series.
TEST_SERIES := $(wildcard ../shared/data/reference/casualties_daily.json)

.DEFAULT_GOAL := help
.PHONY: help setup report test unit nbval lab bench clean notebooks

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (tallies)" >/dev/null
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(STAMP) ## create .venv, install the pinned requirements and register the kernel

report: $(STAMP) ## fetch the official series if missing, then the whole collection on seeds/ into build/
	@test -f data/reference/casualties_daily.json || $(BIN)/python -m helpers reference fetch \
		|| echo "make report: could not fetch the official series; the reports say it is missing"
	$(BIN)/python -m helpers run --out build
	@echo "Open build/index.html"

test: $(STAMP) ## every test: unit, command line, collection, and nbval on the notebooks
	$(BIN)/python -m pytest -q tests
	$(BIN)/python -m pytest -q --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with notebooks/sanitize.cfg notebooks

notebooks: $(STAMP) ## re-execute notebooks/ in place with their defaults: the outputs nbval compares
	$(if $(TEST_SERIES),TALLIES_REFERENCE=$(abspath $(TEST_SERIES))) TALLIES_STORE= $(BIN)/python -c 'from helpers import report; report.store_outputs()'

lab: $(DEV_STAMP) ## JupyterLab on notebooks/ (installs the dev requirements)
	$(BIN)/jupyter lab notebooks

bench: $(DEV_STAMP) ## run every benchmark script and print its numbers
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove build output (keeps .venv)
	rm -rf build build.*
