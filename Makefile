# Galeri Karya: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install browser messages lock clean serve

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3.11 -m venv is missing: installing Debian's python3.11-venv"; \
	  apt-get update -qq && apt-get install -y -qq python3.11-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e . 2>/dev/null || $(BIN)/python -m pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

# Serve the gallery like production: migrate, demo data on the first start, static files
# collected and compressed when they changed (a stamp in var/ keyed on their checksum), gunicorn
# with several workers.
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo --if-empty
	$(BIN)/python manage.py collectstatic_if_changed
	$(BIN)/python manage.py welcome --url http://$(HOST):$(PORT)
	$(BIN)/gunicorn galeri.wsgi -c gunicorn.conf.py --bind $(HOST):$(PORT)

# Debian's chromium for the browser tests (never a Playwright browser download).
# poppler-utils gives pdftotext, with which a test reads back our PDFs as a person would see them.
browser:
	@{ test -x /usr/bin/chromium && test -x /usr/bin/pdftotext; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	  else echo "Browser tests need Debian's chromium (and poppler-utils): sudo apt-get install -y chromium poppler-utils"; fi; }

test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Lint: ruff's rules and format, and the layer contracts of import-linter (pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Refresh the translations (needs gettext); the compiled .mo files are committed.
messages: install
	cd galeri && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete && ../$(BIN)/python ../manage.py compilemessages -l en

# Re-pin the lock file after changing pyproject.toml.
lock:
	$(BIN)/python -m pip install -q uv && $(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
