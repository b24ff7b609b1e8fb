# The two commands: `make run` and `make test`. Everything else is a helper for them or for CI.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install migrate seed serve lint format bench image-test clean

$(VENV)/.installed: requirements/base.txt requirements/prod.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

.env:
	cp .env.example .env

migrate: install .env
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_cars
	$(PY) manage.py seed_locations
	$(PY) manage.py seed_conditions

run: seed
	$(PY) manage.py collectstatic --noinput -v0
	PORT=$(PORT) exec $(VENV)/bin/gunicorn config.wsgi

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

image-test:
	bash scripts/image-test

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
