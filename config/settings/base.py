"""Settings shared by every environment, each switched by an environment variable.

See the README's table of variables. `local`, `test` and `production` only
change defaults and turn on safety flags; nothing is declared only there.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "accounts",
    "forum",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the project by default, PostgreSQL in production and CI.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent
    # writers queue up instead of failing with "database is locked" mid-way.
    # WAL lets pages read while a post is being written; synchronous=NORMAL is
    # safe with WAL and spares an fsync per commit.
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Redis: unset means the embedded default (local-memory cache, eager Celery).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="popcorn"),
            "TIMEOUT": 60 * 60 * 24,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "popcorn",
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

# Celery: the broker is Redis when there is one; otherwise every task runs
# in-process at .delay() time, so the embedded default needs no worker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
CELERY_BEAT_SCHEDULE: dict = {
    # Early-access programs (accounts.tasks); times in CELERY_TIMEZONE, the site's.
    "programs-flag-candidates": {
        "task": "accounts.programs_flag_candidates",
        "schedule": crontab(hour=3, minute=30),
    },
    "programs-expire-invitations": {
        "task": "accounts.programs_expire_invitations",
        "schedule": crontab(minute=15),
    },
    "programs-requalify-members": {
        "task": "accounts.programs_requalify_members",
        "schedule": crontab(hour=4, minute=30, day_of_week="monday"),
    },
}

# Email: console in development, any backend by URL (smtp://, consolemail://) elsewhere.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Popcorn <noreply@popcorn.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# django-allauth: sign up with username + email, log in with either.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "forum:index"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Popcorn] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# allauth's own defaults throttle failed logins, sign-ups and reset mails; they
# stay on and are written out so an operator sees them.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Popcorn's own knobs.
from accounts.levels import DEFAULT_LEVELS  # noqa: E402

POPCORN = {
    # (key, name, reputation threshold), lowest first; names are translatable.
    "LEVELS": DEFAULT_LEVELS,
    "SITE_NAME": env.str("SITE_NAME", default="Popcorn"),
    "POSTS_PER_PAGE": 20,
    "THREADS_PER_PAGE": 30,
    "TITLE_MAX_LENGTH": 200,
    "POST_MAX_LENGTH": 20_000,
    # Fans must confirm their email before they post anywhere.
    "POSTING_REQUIRES_VERIFIED_EMAIL": env.bool("POSTING_REQUIRES_VERIFIED_EMAIL", default=True),
    "AVATAR_MAX_BYTES": 2 * 1024 * 1024,
    "AVATAR_MAX_PIXELS": 4096,
    "SIGNATURE_MAX_LENGTH": 500,
    # Seconds an anonymous page stays in the cache; services bump versions on change.
    "PAGE_CACHE_SECONDS": 60 * 10,
    # A post notifies at most this many @mentioned members (and quoted authors).
    "MAX_MENTIONS_NOTIFIED": 20,
    "LIKERS_PER_PAGE": 30,
    "NOTIFICATIONS_PER_PAGE": 30,
    # Search input is cut to this many characters and distinct terms, so no
    # query string can make the database work arbitrarily hard.
    "SEARCH_MAX_QUERY_LENGTH": 200,
    "SEARCH_MAX_TERMS": 10,
    "SEARCH_RESULTS_PER_PAGE": 20,
    "FEED_ITEMS": 30,
    # Attachments, checked from their content by forum.attachments.
    "ATTACHMENTS_PER_POST": 5,
    "ATTACHMENT_IMAGE_MAX_BYTES": 8 * 1024 * 1024,
    # Longest side kept; larger images are scaled down when re-encoded.
    "ATTACHMENT_IMAGE_MAX_PIXELS": 4096,
    # .txt, .log and .zip logs; a .zip may unpack to at most the second figure.
    "ATTACHMENT_LOG_MAX_BYTES": 20 * 1024 * 1024,
    "ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES": 200 * 1024 * 1024,
    # How long authors may edit their posts; staff may edit any time.
    "POST_EDIT_WINDOW_SECONDS": env.int("POST_EDIT_WINDOW_SECONDS", default=24 * 60 * 60),
    # Early-access programs (accounts.programs).
    "PROGRAM_INVITATION_DAYS": 14,
    # No new invitation to the same program for this long after leaving / removal.
    "PROGRAM_COOLING_OFF_LEFT_DAYS": 14,
    "PROGRAM_COOLING_OFF_REMOVED_DAYS": 30,
    # Weekly re-qualification removes a warned member only if the warning is at
    # least this old, so a second run the same week removes no one.
    "PROGRAM_REQUALIFY_GRACE_DAYS": 6,
    "PROGRAM_ROWS_PER_PAGE": 50,
}
