# Galeri Karya: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Two lock files, both with hashes (pip --require-hashes): requirements.lock is the production set
# (what `make run` and a server install), requirements-test.lock adds the test and development
# extras (what `make test` and `make lint` install). One stamp each, keyed on the files it reads.
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.installed-test-$(shell cat requirements.lock requirements-test.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-test browser messages lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3.11 -m venv is missing: installing Debian's python3.11-venv"; \
	  apt-get update -qq && apt-get install -y -qq python3.11-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/python -m pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

# The test and development extras on top (pytest, playwright, ruff, ...): same pins, with hashes.
$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/python -m pip install -q --require-hashes -r requirements-test.lock
	@rm -f $(VENV)/.installed-test-*; touch $(TEST_STAMP)

# The production set only.
install: $(STAMP)

# Production and test sets (make test, make lint).
install-test: $(TEST_STAMP)

# Serve the gallery like production: migrate, demo data on the first start, static files
# collected and compressed when they changed (a stamp in var/ keyed on their checksum), gunicorn
# with several workers, and the outbox worker (send_notifications --loop) started and stopped by
# gunicorn's master (GALERI_OUTBOX_WORKER=1, gunicorn.conf.py).
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo --if-empty
	$(BIN)/python manage.py collectstatic_if_changed
	$(BIN)/python manage.py welcome --url http://$(HOST):$(PORT)
	GALERI_OUTBOX_WORKER=1 $(BIN)/gunicorn galeri.wsgi -c gunicorn.conf.py --bind $(HOST):$(PORT)

# Debian's chromium for the browser tests (never a Playwright browser download).
# poppler-utils gives pdftotext, with which a test reads back our PDFs as a person would see them.
browser:
	@{ test -x /usr/bin/chromium && test -x /usr/bin/pdftotext; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	  else echo "Browser tests need Debian's chromium (and poppler-utils): sudo apt-get install -y chromium poppler-utils"; fi; }

test: install-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Lint: ruff's rules and format, and the layer contracts of import-linter (pyproject.toml).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Refresh the translations (needs gettext); the compiled .mo files are committed.
messages: install
	cd galeri && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete && ../$(BIN)/python ../manage.py compilemessages -l en

# Re-pin both lock files after changing pyproject.toml: the full set (test extras) first, then the
# production set constrained to the same pins, so the two never disagree on a version.
lock:
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes -o requirements-test.lock
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -c requirements-test.lock -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
