# Heard's front door. `make run` serves the demo; `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

ifneq (,$(wildcard .env))
include .env
export
endif

.PHONY: run test lint format migrations-check assets demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## run: install, migrate the embedded SQLite database, load the demo council once, serve
## (with one `heard worker` beside it for report files, imports and e-mail).
run: $(VENV)/.installed
	HEARD_HTTPS=$${HEARD_HTTPS:-false} $(BIN)/heard migrate --noinput
	HEARD_HTTPS=$${HEARD_HTTPS:-false} $(BIN)/heard demo --if-empty
	HEARD_HTTPS=$${HEARD_HTTPS:-false} $(BIN)/heard recalculate --if-holidays-changed
	HEARD_HTTPS=$${HEARD_HTTPS:-false} $(BIN)/heard serve --host 127.0.0.1 --port 8000 --with-worker

## test: install what the tests need and run the whole suite (SQLite, PostgreSQL, browser).
test: $(VENV)/.installed-test
	bash scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed
	HEARD_DATA_DIR=$$(mktemp -d) $(BIN)/heard makemigrations --check --dry-run

## assets: recompile GOV.UK Frontend (needs npm); the output is committed.
assets:
	bash assets/build.sh

clean:
	rm -rf $(VENV) var/heard.sqlite3*
