# Toppolitikerprogrammen: `make help` lists the targets.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# The suites run on every core (pytest-xdist); XDIST= runs them in one process.
XDIST ?= -n auto

.DEFAULT_GOAL := help
.PHONY: help install messages run test test-postgres test-faults lint format check bench soak e2e api-clients fuzz clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

messages: $(STAMP) ## Compile locale/sv after editing django.po (needs gettext's msgfmt); commit the .mo
	$(BIN)/python manage.py compilemessages -l sv --ignore=.venv

run: $(STAMP) ## Set up everything and serve the seed site on http://127.0.0.1:8000/
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed_content
	$(BIN)/python manage.py create_dev_admin
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) ## Run the whole test suite on SQLite and report coverage
	$(BIN)/python -m pytest $(XDIST) --cov --cov-report=term $(PYTEST_ARGS)

test-postgres: $(STAMP) ## Run the suite on PostgreSQL ($$DATABASE_URL or $(PG_URL))
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-faults: $(STAMP) ## Real servers under outages, bursts, slow clients, a backup restored, two app servers (own PostgreSQL, Redis)
	$(BIN)/python -m pytest -m fault $(PYTEST_ARGS)

lint: $(STAMP) ## Ruff lint and format check, mypy, Django checks, migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP) ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv, database and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles

bench: $(STAMP) ## Measure page and API throughput under gunicorn (prints a table)
	$(BIN)/python bench/run.py

bench-scale: $(STAMP) ## Inbox, exports and purge at 1,000 and 100,000 registrations (own PostgreSQL db)
	$(BIN)/python bench/scale.py

soak: $(STAMP) ## Production stack under traffic while SMTP, Redis, PostgreSQL fail (SOAK_SECONDS=90)
	$(BIN)/python bench/soak.py

api-clients: $(STAMP) ## Generate TypeScript and Python clients from both OpenAPI documents; no warning allowed
	npm ci --prefix tools/api-clients --no-audit --no-fund --silent
	$(BIN)/python -m pytest -m clients tests/api/test_generated_clients.py $(PYTEST_ARGS)

fuzz: $(STAMP) ## Schemathesis on both OpenAPI documents with many examples (CONTRACT_EXAMPLES=500), SQLite and PostgreSQL
	CONTRACT_EXAMPLES=$${CONTRACT_EXAMPLES:-500} $(BIN)/python -m pytest -s tests/api/test_contract.py $(PYTEST_ARGS)
	CONTRACT_EXAMPLES=$${CONTRACT_EXAMPLES:-500} DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python -m pytest -s tests/api/test_contract.py $(PYTEST_ARGS)

e2e: $(STAMP) ## Browser tests in Debian's chromium via Playwright (installs both)
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(BIN)/pip install --quiet -r requirements-e2e.txt
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)
