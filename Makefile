# Two commands set everything up on a fresh machine with Python 3.11+ and gettext
# (apt-get install gettext: msgfmt builds the translations):
#   make run   - venv, install, migrate, demo data once, serve on http://127.0.0.1:8000
#   make test  - venv, install, the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-browser lint format migrate demo check-deploy worker beat clean bench fuzz load \
	messages messages-update messages-check

# Translations: locale/<lang>/LC_MESSAGES/django.po is committed, its .mo is built
# here (gettext's msgfmt: apt-get install gettext). See the README's "Languages".
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
LANGS := $(notdir $(wildcard locale/*))
MAKEMESSAGES_IGNORE := --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' \
	--ignore='static/*' --ignore='staticfiles/*' --ignore='media/*' --ignore='var/*'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty

run: demo messages
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the browser tests (Playwright + /usr/bin/chromium); `make test` runs them too
# when Chromium is there. Screenshots land in artifacts/screenshots/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

# Schemathesis against the REST API's own schema, in-process (.ci/api_fuzz.py says how);
# on the database and Redis of DATABASE_URL / REDIS_URL (CI: PostgreSQL + Redis).
fuzz: $(STAMP) messages
	$(BIN)/python -m pytest .ci/api_fuzz.py $(PYTEST_ARGS)

lint: $(STAMP) messages-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install gettext (apt-get install gettext)" >&2; exit 1; }
	msgfmt --check -o $@ $<

messages: $(MO_FILES)

# After changing user-facing text: refresh the catalogues, then translate what is new.
messages-update: $(STAMP)
	for lang in $(LANGS); do $(BIN)/python manage.py makemessages -l $$lang --no-obsolete $(MAKEMESSAGES_IGNORE); done

# Fails when a string of the code is not in a catalogue, or an entry is untranslated or fuzzy.
messages-check: $(STAMP)
	PYTHON=$(BIN)/python .ci/check_messages

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-$$RANDOM-not-a-real-secret-0123456789abcdefghijklmnopqrstuvwxyz \
	ALLOWED_HOSTS=forum.example.com SITE_URL=https://forum.example.com $(BIN)/python manage.py check --deploy --fail-level WARNING

# make bench [PRESET=smoke|peer|seed]: needs PostgreSQL and Redis on 127.0.0.1 and wrk
# (apt-get install wrk); see the README's "Benchmark".
PRESET ?= peer
bench: $(STAMP)
	$(BIN)/python -m bench.run --preset $(PRESET) $(BENCH_ARGS)

# make load [PRESET=smoke|peer] [LOAD_ARGS="--redis-down-halfway"]: 64 connections for
# 60 s of mixed reads and writes, then the lost-write checks (bench/load.py).
LOAD_PRESET ?= smoke
load: $(STAMP)
	$(BIN)/python -m bench.load --preset $(LOAD_PRESET) $(LOAD_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel INFO

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache artifacts $(MO_FILES)
