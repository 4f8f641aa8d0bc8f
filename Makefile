# Layan: `make run` sets up and serves the Kisam Tinggi demo; `make test` runs the tests;
# `make setup` prepares a real office's database (no demo).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := layan.settings

AXE := testkit/axe/node_modules/axe-core/axe.min.js

.PHONY: run setup demo axe test test-fast test-postgres check lint imports typecheck migrations-check bench lock clean messages

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Layan needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Production: migrations, static files, regions and the first administrator; no demo (docs/deploy.md).
setup: $(VENV)/.runtime
	$(PY) manage.py setup

# The demo: loaded only into an empty database; a second run changes nothing and says so.
demo: $(VENV)/.runtime
	LAYAN_DEMO=1 $(PY) manage.py setup --demo

run: demo
	LAYAN_DEMO=1 $(PY) manage.py serve --host $(HOST) --port $(PORT)

# axe-core for the accessibility browser test (npm, into testkit/axe/node_modules, not committed).
axe: $(AXE)
$(AXE): testkit/axe/package.json testkit/axe/package-lock.json
	cd testkit/axe && npm ci --no-audit --no-fund
	touch $@

test: $(VENV)/.dev
	$(PY) -m pytest

# The same suite on PostgreSQL; .ci/run starts the server and creates this role and database.
PG_URL ?= postgres://layan:layan-ci@127.0.0.1:5432/layan
test-postgres: $(VENV)/.dev
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not slow"

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	LAYAN_DEMO=1 $(VENV)/bin/mypy layan

migrations-check: $(VENV)/.dev
	LAYAN_DEMO=1 $(PY) manage.py makemigrations --check --dry-run

# The layers and channel-independence contracts in .importlinter (docs/architecture.md).
imports: $(VENV)/.dev
	$(VENV)/bin/lint-imports

check: migrations-check lint imports typecheck test

bench: $(VENV)/.dev
	$(PY) bench/http.py

messages: $(VENV)/.dev
	LAYAN_DEMO=1 $(PY) manage.py makemessages -l id -l en --ignore '.venv/*'
	LAYAN_DEMO=1 $(PY) manage.py compilemessages --ignore '.venv/*'

lock:
	tools/lock.sh

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
