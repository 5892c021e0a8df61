# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= db/complaints.sqlite3

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/complaints-tui --db $(DB) --demo-if-new

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check complaints_tui db tests benchmarks
	$(BIN)/ruff format --check complaints_tui db tests benchmarks

# Every speed figure the issues set, each beside its floor, at 100,000 and 1,000,000 cases
# (builds db/bench-100k.sqlite3 and db/bench-1m.sqlite3 the first time: an hour or more).
bench: $(STAMP)
	$(BIN)/python benchmarks/foundation.py
	$(BIN)/python benchmarks/tui.py --cases 100000 1000000
	$(BIN)/python benchmarks/report.py --db db/bench-100k.sqlite3 --repeat 3
	$(BIN)/python benchmarks/report.py --db db/bench-1m.sqlite3 --repeat 1 --ratio-only
	$(BIN)/python benchmarks/imports.py --cases 100000 --repeat 1

clean:
	rm -rf $(VENV)
