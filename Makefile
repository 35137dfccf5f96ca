# grantstats — the one entry point for people and CI. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
OUT    ?= reports
# axe-core (npm), the accessibility checker the browser tests run in Chromium
AXE_VERSION := 4.14.1
AXE    := $(VENV)/node/node_modules/axe-core/axe.min.js
# Playwright drives the system's Chromium; it must never fetch a browser of its own
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help
.PHONY: help report test lint check summary sample bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV): install Python's venv module (Debian: apt-get install python3-venv)"; exit 1; }
	@$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@ $(STAMP)

$(AXE): | $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV)/node --no-save --no-package-lock --no-audit --no-fund \
	    --silent axe-core@$(AXE_VERSION); \
	else echo "npm not found: the accessibility tests (axe-core) will be skipped"; fi

report: $(STAMP) ## the committee report of the bundled sample, into reports/
	$(BIN)/grantstats report --out $(OUT)

check: $(STAMP) ## check the bundled sample workbook
	$(BIN)/grantstats check

summary: $(STAMP) ## the figures of the bundled sample
	$(BIN)/grantstats summary

test: $(DEV) $(AXE) ## lint, type-check and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(DEV) ## ruff and mypy only
	$(BIN)/ruff check .
	$(BIN)/mypy

sample: $(STAMP) ## rebuild data/exempel.xlsx from the seed figures (never overwrites)
	$(BIN)/python scripts/build_sample.py data/exempel.xlsx

bench: $(DEV) ## the benchmark suite (minutes; not part of make test)
	$(BIN)/python benchmarks/run.py

clean: ## remove the virtual environment and build/test caches (not reports/, not the workbook cache: grantstats cache --clear)
	rm -rf $(VENV) .pytest_cache .ruff_cache
