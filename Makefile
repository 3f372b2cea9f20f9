# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run   - venv, install, migrate, demo data once, serve on http://127.0.0.1:8000
#   make test  - venv, install, the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-browser lint format migrate demo check-deploy worker beat clean bench

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

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the browser tests (Playwright + /usr/bin/chromium); `make test` runs them too
# when Chromium is there. Screenshots land in artifacts/screenshots/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-$$RANDOM-not-a-real-secret-0123456789abcdefghijklmnopqrstuvwxyz \
	ALLOWED_HOSTS=forum.example.com $(BIN)/python manage.py check --deploy --fail-level WARNING

# make bench [PRESET=smoke|peer|seed]: needs PostgreSQL and Redis on 127.0.0.1 and wrk
# (apt-get install wrk); see the README's "Benchmark".
PRESET ?= peer
bench: $(STAMP)
	$(BIN)/python -m bench.run --preset $(PRESET) $(BENCH_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel INFO

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache artifacts
