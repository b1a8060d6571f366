# newspaper-tei — everyday commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD ?= build

.PHONY: help demo archive test browser lint golden bench eval clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 10

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP) browser ## Convert every sample page and issue to TEI (build/pages/, build/archive/), with HTML views and their screenshots (build/screenshots/)
	@mkdir -p $(BUILD)/pages
	@set -e; for meta in $$(find samples -name issue.toml | sort); do \
		dir=$$(dirname $$meta); name=$$(echo $${dir#samples/} | tr / -); \
		for page in $$(ls $$dir/*.txt | sort); do \
			n=$$(basename $$page .txt | sed -E 's/.*[^0-9]([0-9]+)$$/\1/; s/^[^0-9]*//'); \
			$(BIN)/newspaper-tei convert $$page --meta $$meta --page $$n \
				-o $(BUILD)/pages/$$name-p$$n.xml --report $(BUILD)/pages/$$name-p$$n.json; \
		done; \
	done
	@set -e; for page in $$(ls samples/layout/*/* | grep -v '/issue.toml$$' | sort); do \
		name=$$(echo $${page#samples/layout/} | tr ./ --); \
		$(BIN)/newspaper-tei convert $$page --meta $$(dirname $$page)/issue.toml \
			-o $(BUILD)/pages/layout-$$name.xml; \
	done
	@$(BIN)/newspaper-tei validate $(BUILD)/pages/*.xml
	@$(BIN)/newspaper-tei archive samples $(BUILD)/archive
	@set -e; for page in $$(ls $(BUILD)/pages/*.xml | sort); do \
		$(BIN)/newspaper-tei view $$page -o $${page%.xml}.html; \
	done
	@echo "Page TEI:    $(BUILD)/pages/"; ls -1 $(BUILD)/pages/*.xml | sed 's/^/  /'
	@echo "Issue TEI, article TEI, their MODS, Dublin Core and MARCXML records, manifest.jsonl, report.json and view.html: $(BUILD)/archive/"
	@echo "Views: $(BUILD)/archive/index.html, $(BUILD)/pages/*.html; screenshots:"
	@$(PY) -m tests.view_shots $(BUILD)/archive $(BUILD)/screenshots

archive: $(STAMP) ## Convert every issue folder below samples/ into build/archive/
	$(BIN)/newspaper-tei archive samples $(BUILD)/archive

test: $(STAMP) browser ## Run the whole test suite
	$(PY) -m pytest

browser: ## Install Chromium and its driver (the browser tests, demo screenshots) when missing, as root
	@if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; } && [ "$$(id -u)" = 0 ]; then \
		echo "chromium not found: apt-get install -y chromium chromium-driver"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null 2>&1 && \
		  apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1; } || true; \
	fi
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || \
		echo "chromium is not installed: the browser tests are skipped, and demo's screenshots"

lint: $(STAMP) ## ruff and mypy --strict
	$(BIN)/ruff check converter tests bench eval
	$(BIN)/ruff format --check converter tests bench eval
	$(BIN)/mypy
	$(BIN)/mypy --strict bench/bench.py eval/score.py

golden: $(STAMP) ## Regenerate the golden TEI of the sample pages and multi-page sample issues (review the diff!)
	$(PY) -m tests.golden
	@git status --short -- tests/golden || true  # changed (M) and new (??) golden files

bench: $(STAMP) ## Measure speed and memory against pandoc and lxml (BENCH_ARGS=--quick: a fast check)
	@if ! command -v pandoc >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "pandoc not found: apt-get install -y pandoc"; \
		apt-get install -y -qq pandoc >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq pandoc >/dev/null 2>&1; } || true; \
	fi
	@command -v pandoc >/dev/null 2>&1 || echo "pandoc is not installed: the benchmark skips its rows"
	$(PY) bench/bench.py $(BENCH_ARGS)

eval: $(STAMP) ## Score stories, headlines, datelines and jumps on the gold pages
	$(PY) eval/score.py --out $(BUILD)/eval $(EVAL_ARGS)

clean: ## Remove build output and the virtual environment
	rm -rf $(BUILD) $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
