# POC Tracker: the everyday commands. `make run` and `make test` work on a fresh clone.
#
#   make run        install, migrate, load the demo data and serve http://127.0.0.1:8000
#   make serve      the production layout: release steps, then gunicorn, Celery workers and beat
#   make test       run the test suite (SQLite unless DATABASE_URL is set); extra args in PYTEST_ARGS
#   make lint       ruff check and ruff format --check
#   make typecheck  mypy, strict, with the Django and DRF plugins (settings in pyproject.toml)
#   make check      Django's system checks and a check that no migration is missing
#   make security   bandit over the app's code
#   make deploy-check  Django's deployment checks with production settings (DEBUG off)
#   make deps-check list the pins that lag the newest patch release of their series
#   make docs       write docs/indicators.md from the migrated indicator catalogue
#   make docs-check fail if docs/indicators.md differs from a freshly migrated catalogue
#   make messages-check fail if the French catalogue lacks a string of the code

PYTHON ?= python3
VENV ?= .venv
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

BIN := $(VENV)/bin
PY := $(BIN)/python
# A key for tests and checks only, used when SECRET_KEY is not already set.
TEST_SECRET_KEY := insecure-test-key-not-for-production

.DEFAULT_GOAL := help
.PHONY: help run serve release test lint typecheck check security deploy-check deps-check docs docs-check messages-check install install-dev

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

$(PY):
	$(PYTHON) -m venv $(VENV)

# The stamps make installing a no-op until a requirements file changes.
$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

# The default SQLite file lives here; git ignores the folder, so a fresh clone lacks it.
var:
	mkdir -p var

# manage.py defaults DEBUG to true, so no SECRET_KEY is needed locally; SQLite (in var/, which git
# ignores) and in-process tasks unless DATABASE_URL and CELERY_BROKER_URL say otherwise.
run: install | var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(ADDR)

# The production layout on one machine: the release steps, then gunicorn, the Celery workers
# and beat from the Procfile (honcho). Needs the production environment (README).
release: install | var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v0

serve: release
	PATH="$(BIN):$$PATH" $(BIN)/honcho start web worker beat

# Without PYTEST_ARGS, every test, the browser tests in a process of their own as .ci/run runs
# them: in one process, after a migration test, they find reference rows (phases, indicators)
# gone, which a plain transactional test there does not (not yet understood), and three refresh
# tests after them fail.
TEST_ENV = SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}"
test: install-dev
ifeq ($(strip $(PYTEST_ARGS)),)
	$(TEST_ENV) $(BIN)/pytest --ignore=tests/browser
	$(TEST_ENV) $(BIN)/pytest tests/browser
else
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)
endif

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The Django plugin imports the settings, which need a SECRET_KEY unless DEBUG is on.
typecheck: install-dev
	SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}" $(BIN)/mypy

check: install-dev | var
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Security lint of the app's code (what it skips and why: [tool.bandit] in pyproject.toml).
security: install-dev
	$(BIN)/bandit -q -c pyproject.toml -r .

# Django's deployment checks, with the settings production gets: DEBUG off, a real-looking key.
deploy-check: install
	DEBUG=false ALLOWED_HOSTS=poc.example.org \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Pins lagging the newest patch release of their series, as the package index serves them.
deps-check: install-dev
	$(PY) .ci/deps_check.py requirements.txt requirements-dev.txt

# The catalogue is reference data loaded by migrations: both read a throwaway SQLite database,
# migrated from scratch, so the file never depends on local data.
DOCS_DB := $(shell mktemp -u /tmp/poc-docs-XXXXXX).sqlite3
DOCS_ENV := SECRET_KEY="$${SECRET_KEY:-$(TEST_SECRET_KEY)}" DATABASE_URL=sqlite:///$(DOCS_DB)

docs: install
	$(DOCS_ENV) $(PY) manage.py migrate --no-input -v0
	$(DOCS_ENV) $(PY) manage.py document_indicators; status=$$?; rm -f $(DOCS_DB); exit $$status

docs-check: install
	$(DOCS_ENV) $(PY) manage.py migrate --no-input -v0
	$(DOCS_ENV) $(PY) manage.py document_indicators --check; status=$$?; rm -f $(DOCS_DB); exit $$status

# makemessages rewrites the catalogue from the code: any change but its date is a string the
# catalogue lacks (or one it keeps for nothing). Run it, translate, then `compilemessages`.
messages-check: install-dev
	DEBUG=true $(PY) manage.py makemessages -l fr --no-location --ignore=.venv --ignore=var --ignore=staticfiles -v0
	git diff --exit-code -I '^"POT-Creation-Date' -- locale/
