# Two commands: `make run` and `make test`. Everything else is a helper they call.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
export PORT  # settings.py checks it with the rest before anything is served

.PHONY: run test lint venv dev-venv settings secrets migrate seed clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

venv: $(VENV)/.runtime-installed
dev-venv: $(VENV)/.dev-installed

# Every setting (settings.py) and the database address, checked before anything is written or served.
settings: venv
	@$(BIN)/python manage.py check-settings

# A random cookie-signing key, written once, never committed (.gitignore has it).
secrets: venv
	@$(BIN)/python -m scripts.make_secrets

migrate: venv
	$(BIN)/python manage.py init-db

seed: migrate
	$(BIN)/python manage.py seed-demo --if-empty

run: settings secrets seed
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/mypy

test: dev-venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts

# Timings on a throwaway database (not part of `make test`); results in bench/results/, trend in docs/performance.md.
bench: dev-venv
	$(BIN)/python -m bench $(BENCH_ARGS)
