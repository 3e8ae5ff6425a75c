# KneeReady — `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := $(BIN)/flask --app wsgi
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test install migrate demo-data bench bench-pages bench-crash bench-lighthouse bench-load bench-pwa bench-runs bench-reminders icons figures contact-sheet clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) load-exercises

# The web server and the background worker (Procfile); Ctrl-C stops both.
run: migrate
	$(BIN)/honcho start -f Procfile

demo-data: migrate
	$(FLASK) demo-data

test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium"; exit 1; }
	@echo "==> Tests on SQLite"
	env -u KNEEREADY_TEST_DB $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "==> Tests on PostgreSQL ($$TEST_DATABASE_URL)"; \
		KNEEREADY_TEST_DB="$$TEST_DATABASE_URL" $(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  TEST_DATABASE_URL is not set: the suite ran on SQLite ONLY.               !!"; \
		echo "!!  PostgreSQL was NOT tested. To test it too:                                !!"; \
		echo "!!  TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make test !!"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

# 50 athletes + 5 coaches for 60 s under gunicorn, on SQLite and PostgreSQL (kneeready_bench).
bench-load: $(STAMP)
	$(BIN)/python bench/load.py $(BENCH_ARGS)

# wrk on /healthz (the floor) and every page a runner opens, the daily loop's POSTs and the coach
# board, under gunicorn's production config; prints req/s and p99 against the floor. SQLite, and
# PostgreSQL when BENCH_DATABASE_URL is set (that database's public schema is reset).
bench-pages: $(STAMP)
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# kill -9 gunicorn workers during writes: integrity_check, no acknowledged write lost or doubled.
bench-crash: $(STAMP)
	$(BIN)/python bench/crash.py $(BENCH_ARGS)

bench-lighthouse: $(STAMP)
	$(BIN)/python bench/lighthouse.py

# The coach dashboard with 1,000 athletes x 90 days: SQLite, and PostgreSQL when
# BENCH_DATABASE_URL is set (the bench works in a schema of its own there and drops it).
bench: $(STAMP)
	$(BIN)/python bench/dashboard.py $(BENCH_ARGS)

# What a phone downloads to work offline, kept pages opened with no signal, a queue synced.
# A 3-hour FIT import and the runs page after 3 years of daily runs (PostgreSQL too when
# BENCH_DATABASE_URL is set).
bench-runs: $(STAMP)
	$(BIN)/python bench/runs.py $(BENCH_ARGS)

bench-pwa: $(STAMP)
	$(BIN)/python bench/pwa.py $(BENCH_ARGS)

# A reminder sweep over 100,000 due athletes: wall time, statements per batch, sends/s.
bench-reminders: $(STAMP)
	$(BIN)/python bench/reminders.py $(BENCH_ARGS)

icons: $(STAMP)
	$(BIN)/python -m app.pwa.make_icons

# The exercise drawings, static/figures/*.svg, from the poses in app/content/exercises.toml
# (commit them); prints their total and largest gzipped size.
figures: $(STAMP)
	$(BIN)/python -m app.library.figures

# Every drawing's key poses on one page: docs/figures-contact-sheet.png, for review.
contact-sheet: figures
	$(BIN)/python bench/contact_sheet.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
