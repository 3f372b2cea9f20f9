"""The floor: a bare Django project with one view returning a 30 KB page.

No apps, no middleware, no database: what Django and gunicorn cost on their
own. bench/run.py serves it with the same gunicorn settings as Popcorn.
"""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-floor-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
