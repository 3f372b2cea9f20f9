"""Development on the embedded default: SQLite, no Redis, console email."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only")
