# Two commands do all set-up on a fresh Debian machine:
#   make site   read and check the embedded default content (content/)
#   make test   run the whole test suite
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

# Findings in the data are the job's result, not a failure of the command:
# exit code 1 (findings with errors) is reported, 2 or more stops make.
site: $(VENV)/.installed
	$(BIN)/cchc validate; rc=$$?; [ $$rc -le 1 ]

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf $(VENV) site build .pytest_cache
