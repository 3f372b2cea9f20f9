# syntax=docker/dockerfile:1
#
# Popcorn's production image: gunicorn serving config.wsgi with the
# production settings; whitenoise serves the hashed, compressed static files.
# The same image runs the Celery worker and beat (see docker-compose.yml).
#
#   docker build -t popcorn .
#   docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=forum.example.com \
#              -e DATABASE_URL=postgres://... -e REDIS_URL=redis://... popcorn

# Both stages must use the same base image: the venv's interpreter is a
# symlink to the base image's /usr/local/bin/python3.11.
ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------
# builder: a virtualenv holding every runtime requirement
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"

# Only requirements.txt: the image needs no test or lint tools. Every pinned
# package installs from a wheel (the compiled ones are manylinux, and
# psycopg[binary] bundles its own libpq), so no compiler or system library
# is needed here.
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt

# The translations: the .po catalogues are committed, the .mo files they compile
# to are not. gettext stays in this stage; the runtime image gets only the .mo.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
COPY locale /build/locale
RUN find /build/locale -name '*.po' -exec sh -c 'msgfmt --check -o "${1%.po}.mo" "$1"' _ {} \;

# ---------------------------------------------------------------------------
# runtime: the slim base, the venv, the code, the collected static files
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:${PATH}" \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media

RUN groupadd --system --gid 10001 popcorn \
 && useradd --system --uid 10001 --gid popcorn --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin popcorn

WORKDIR /app

COPY --from=builder /opt/venv /opt/venv
# The code stays owned by root: the app user can read it but not change it.
COPY . /app
COPY --from=builder /build/locale /app/locale

# collectstatic imports the production settings, which require SECRET_KEY,
# ALLOWED_HOSTS and SITE_URL: dummy values for this step only, never baked into the image.
# It writes hashed, compressed (gzip + brotli) files and a manifest to
# /app/staticfiles for whitenoise. /app/media is created owned by the app user
# so a named volume mounted there starts out writable for avatar uploads.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost SITE_URL=http://localhost \
        python manage.py collectstatic --noinput \
 && python -m compileall -q config accounts forum moderation \
 && mkdir -p /app/media \
 && chown popcorn:popcorn /app/media

# The popcorn user, by number, so an orchestrator can verify it is not root.
USER 10001:10001

EXPOSE 8000

# Asks /health/ (config.health: 200 while the database and storage answer, Redis
# or not) the way a TLS-terminating proxy would: Host is the first ALLOWED_HOSTS
# entry and X-Forwarded-Proto says https, so neither ALLOWED_HOSTS nor
# SECURE_SSL_REDIRECT turns the check away. Any 4xx/5xx or connection error fails it.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('*.') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/health/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8)"]

# More gunicorn options can be given without a new image via GUNICORN_CMD_ARGS.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
