"""The test suite: like production in behaviour, fast in hashing and email.

The database, cache and Celery follow DATABASE_URL and REDIS_URL, so CI runs
the same tests on SQLite and on PostgreSQL + Redis.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="test-secret-key-not-for-production")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
SITE_URL = "http://popcorn.test"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Keep test keys apart from a developer's running server on the same Redis.
    CACHES["default"]["KEY_PREFIX"] = "popcorn-test"
WHITENOISE_AUTOREFRESH = True  # serve from finders; no collectstatic before tests
# No worker runs during the suite, with or without REDIS_URL: tasks run in-process
# at .delay() (after commit), on both databases. A real-worker test opts out.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Posting limits (rate limits, first-day caps, link and attachment rules) are off
# in the suite, as Discourse keeps its RateLimiter off in specs: tests of other
# features post freely, and tests/forum/test_limits.py turns them on.
# The moderators' second factor is tested where it is asked for (override_settings).
# Views fold only when a test runs the job: a page's query count never depends on the clock.
POPCORN = {
    **POPCORN,
    "POSTING_LIMITS_ENABLED": False,
    "MFA_REQUIRED_FOR_MODERATORS": False,
    "VIEW_FOLD_SECONDS": 0,
    # The member's row and the session from the cache are tested where they are turned on
    # (tests/accounts/test_user_cache.py): elsewhere a page's pins are the same with or
    # without REDIS_URL, and whatever request came first.
    "USER_CACHE": False,
    # Likewise the thread pages' shared posts (tests/forum/test_page_posts_cache.py): the
    # suite's writes run inside a test transaction, whose commit callbacks (the version
    # bumps) never run, so a test that edits then reads would read the copy from before.
    "PAGE_POSTS_CACHE": False,
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The suite's assertions read the English source text; the site's default stays
# zh-hans (base), and tests/test_i18n.py renders the pages in Chinese.
LANGUAGE_CODE = "en"

# A replica alias that mirrors the test database, so tests/config/test_replicas.py can
# turn the router on (override_settings) and see which alias each read went to.
DATABASES["replica1"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
