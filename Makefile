# The two commands: `make run` and `make test`. Everything else is a helper for them or for CI.
# Each target installs what it needs first (the venv from the hashed lock, Debian packages when it
# may use apt); where it cannot, it stops with one line saying what to install.
SHELL := /bin/bash
.DEFAULT_GOAL := install
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
NPM_LOCK := install
PORT ?= 8000
# The newest of Python 3.13, 3.12 and 3.11 found on PATH or under pyenv; `make PYTHON=...` overrides.
# Each candidate is run: pyenv's shim for a version exists even where pyenv does not select it.
PYTHON ?= $(shell for v in 3.13 3.12 3.11; do \
  for p in $$(command -v python$$v) $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$$v*/bin/python$$v; do \
    "$$p" -c 'import sys, venv; print(sys.executable)' 2>/dev/null && exit; done; done)
# One lock for every Python from 3.11 on (markers where they differ), every package pinned and hashed.
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "make lock"

.PHONY: run test install migrate seed lint format typecheck bench image-test cluster tour lock upgrade \
  browser newman clean

# $(call need,COMMAND,DEBIAN PACKAGES): when COMMAND is missing, apt-get installs the packages if this
# runs as root with apt-get; otherwise stop with one line saying what to install.
define need
@PATH="$$PATH:/usr/sbin:/sbin" command -v $(1) >/dev/null 2>&1 || { \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "make: installing Debian's $(2) (for $(1))"; \
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); } >/dev/null \
      || { echo "make: 'apt-get install $(2)' failed: install it, then run make again" >&2; exit 1; }; \
  else echo "make: $(1) is missing: install Debian's $(2) (sudo apt-get install $(2))" >&2; exit 1; fi; }
endef

$(VENV)/.installed: requirements/dev.txt
	@if [ -L $(VENV) ]; then echo "make: $(VENV) is a link to $$(readlink $(VENV)): using it, installing nothing"; exit 0; fi; \
	python="$(PYTHON)"; \
	if [ -z "$$python" ]; then echo "make: no Python 3.13, 3.12 or 3.11 found: install one (pyenv install 3.13)" >&2; exit 1; fi; \
	want=$$("$$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	have=$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true); \
	echo "make: Python $$want ($$python) in $(VENV)"; \
	if [ "$$have" != "$$want" ]; then rm -rf $(VENV) && "$$python" -m venv $(VENV) || exit 1; fi; \
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements/dev.txt || exit 1; \
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser test when apt may be used, else Playwright's own build of it.
browser: install
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Debian's chromium and chromium-driver (for the browser test)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } >/dev/null \
	    || { echo "make: 'apt-get install chromium chromium-driver' failed: install them, then run make again" >&2; exit 1; }; \
	elif ! $(VENV)/bin/playwright install chromium >/dev/null 2>&1; then \
	  echo "make: the browser test needs Chromium: install Debian's chromium and chromium-driver (sudo apt-get install chromium chromium-driver)" >&2; exit 1; \
	fi

# newman runs the Postman collection in the suite; npm ci installs the locked, hashed tree in .tools/.
newman: $(TOOLS)/node_modules/.bin/newman
$(TOOLS)/node_modules/.bin/newman: requirements/newman/package-lock.json
	$(call need,npm,npm)
	@mkdir -p $(TOOLS) && cp requirements/newman/package.json requirements/newman/package-lock.json $(TOOLS)/
	@npm ci --prefix $(TOOLS) --no-audit --no-fund --loglevel=error >/dev/null \
	  || { echo "make: 'npm ci' of newman failed (is the npm registry reachable?)" >&2; exit 1; }
	@touch $@

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

# Coverage is measured on every run; CI adds the floor (--cov-fail-under), a subset would miss it.
test: install browser newman
	PATH="$(CURDIR)/$(TOOLS)/node_modules/.bin:$$PATH" $(VENV)/bin/pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/hadolint Dockerfile

# The settings module needs debug on to load without a secret key (the django-stubs plugin loads it).
typecheck: install
	DJANGO_DEBUG=true $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(call need,wrk,wrk)
	$(call need,taskset,util-linux)
	$(PY) bench/run.py $(BENCH_ARGS)

image-test: install
	bash scripts/image-test

# Several instances behind HAProxy, with PgBouncer in front of PostgreSQL (scripts/cluster).
cluster: install .env
	$(call need,haproxy,haproxy)
	$(call need,pgbouncer,pgbouncer)
	bash scripts/cluster $(CLUSTER_ARGS)

tour: install
	bash scripts/tour $(TOUR_ARGS)

# `make lock` after editing requirements/*.in: compiles the .txt files, keeping every other pin.
# `make upgrade` moves every package to its newest release the .in ranges allow.
lock: install
	$(LOCK) $(LOCK_ARGS) --output-file requirements/base.txt requirements/base.in
	$(LOCK) $(LOCK_ARGS) --output-file requirements/prod.txt requirements/prod.in
	$(LOCK) $(LOCK_ARGS) --output-file requirements/dev.txt requirements/dev.in
	cd requirements/newman && npm $(NPM_LOCK) --package-lock-only --no-audit --no-fund --loglevel=error

upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade NPM_LOCK=update

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles .pytest_cache .ruff_cache .mypy_cache .coverage htmlcov
