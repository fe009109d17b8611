# Nominee. `make demo` then `make test` on a fresh machine; README explains each target.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
NOMINEE := $(BIN)/nominee
HOST ?= 127.0.0.1:8000
# Links in e-mails and feeds name the address that serves the site, unless set already.
SITE_URL_ENV = NOMINEE_SITE_URL="$${NOMINEE_SITE_URL:-http://$(HOST)}"
# Parallel test workers (pytest-xdist); each gets its own test database. Work stealing:
# an idle worker takes half of another's queue, so a run of slow browser journeys handed
# to one worker does not leave the other idle at the end.
TEST_WORKERS ?= 2
XDIST = -n $(TEST_WORKERS) --dist worksteal
# The browser journeys run in the SQLite pass only (Decision 81: what they drive is tested on
# both databases below the browser); `make test-postgres POSTGRES_ARGS=` runs them there too.
POSTGRES_ARGS ?= --ignore=tests/e2e

.PHONY: install demo demo-data serve test test-sqlite test-postgres bench lint format clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

demo: install demo-data serve

# A second `make demo` finds the demo loaded, says so and serves it (`nominee demo load`
# alone refuses, exit 2).
demo-data:
	$(SITE_URL_ENV) $(NOMINEE) migrate --no-input
	$(SITE_URL_ENV) $(NOMINEE) demo load --if-empty

# The task worker (e-mails, sweeps) runs beside the web server and stops with it.
serve:
	@export NOMINEE_DEBUG=$${NOMINEE_DEBUG:-true} $(SITE_URL_ENV); \
	echo "Serving $$NOMINEE_SITE_URL until Ctrl-C (e-mails: $$NOMINEE_SITE_URL/accounts/emails/)"; \
	$(NOMINEE) db_worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(NOMINEE) runserver $(HOST)

test: test-sqlite test-postgres

test-sqlite:
	@echo "== test suite on SQLite"
	NOMINEE_DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

test-postgres:
	@if [ -n "$$NOMINEE_TEST_POSTGRES_URL" ]; then \
	  echo "== test suite on PostgreSQL ($$NOMINEE_TEST_POSTGRES_URL)"; \
	  NOMINEE_DATABASE_URL="$$NOMINEE_TEST_POSTGRES_URL" $(BIN)/pytest $(XDIST) $(POSTGRES_ARGS) $(PYTEST_ARGS); \
	else \
	  echo "== PostgreSQL pass skipped: set NOMINEE_TEST_POSTGRES_URL to run it"; \
	fi

# The load benchmarks use Debian's wrk when present (apt-get install wrk), else a slower
# Python load generator; NOMINEE_BENCH_POOL=100000 gives a quick smoke run.
bench:
	@command -v wrk >/dev/null || echo "note: wrk not found: the load benchmarks use the Python load generator"
	$(BIN)/python bench/run.py

# The French catalogue: extract every marked string (keeping the translations already
# made; new and changed ones come out untranslated or fuzzy), then compile. Needs GNU
# gettext (apt-get install gettext). docs/i18n.md says how to translate.
messages:
	cd src/nominee && ../../$(BIN)/nominee makemessages -l fr --add-location=file --no-obsolete -i 'static/*'
	cd src/nominee && ../../$(BIN)/nominee compilemessages -l fr

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
