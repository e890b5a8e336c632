# Every target installs what it needs first, so each works on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 7860

.PHONY: install run test test-fast lint eval-gate bench bench-scale

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"

## main job: ingest corpus/ (first start) and open the chat UI on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python app.py --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## the test command of the README and of CI: lint, the test suite, the eval gate
test: lint
	$(BIN)/python -m pytest
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/eval_gate.sh

## the test suite alone (< 5 minutes on 2 cores)
test-fast: install
	$(BIN)/python -m pytest

eval-gate: install
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/eval_gate.sh
