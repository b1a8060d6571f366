# newspaper-tei — everyday commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD ?= build
SAMPLES := $(wildcard samples/*.txt)

.PHONY: help demo test lint golden clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 10

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP) ## Convert every page in samples/ to TEI under build/ and validate it
	@mkdir -p $(BUILD)
	@set -e; for page in $(SAMPLES); do \
		stem=$$(basename $$page .txt); meta=samples/$$stem.toml; \
		if [ -f $$meta ]; then metaopt="--meta $$meta"; else metaopt=""; fi; \
		$(BIN)/newspaper-tei convert $$page $$metaopt -o $(BUILD)/$$stem.xml --report $(BUILD)/$$stem.json; \
	done
	@$(BIN)/newspaper-tei validate $(BUILD)/*.xml
	@echo "TEI files are in $(BUILD)/:"; ls -1 $(BUILD)/*.xml

test: $(STAMP) ## Run the whole test suite
	$(PY) -m pytest

lint: $(STAMP) ## ruff and mypy --strict
	$(BIN)/ruff check converter tests
	$(BIN)/ruff format --check converter tests
	$(BIN)/mypy

golden: $(STAMP) ## Regenerate the golden TEI files of the samples (review the diff!)
	$(PY) -m tests.golden
	@git --no-pager diff --stat -- tests/golden || true

clean: ## Remove build output and the virtual environment
	rm -rf $(BUILD) $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
