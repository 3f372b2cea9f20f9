"""Settings shared by every environment, each switched by an environment variable.

See the README's table of variables. `local`, `test` and `production` only
change defaults and turn on safety flags; nothing is declared only there.
"""

import copy
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The one public address every emailed or shared link is built from (never the
# request's Host header, never example.com); the Sites framework's domain and
# name follow it after every migrate (accounts.apps).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    # Django's admin, whose site asks moderation.permissions too (a second factor).
    "config.admin_apps.PopcornAdminConfig",
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
    # Two-factor sign-in (authenticator apps, recovery codes, passkeys), required for
    # moderators and staff (POPCORN["MFA_REQUIRED_FOR_MODERATORS"]), and the list of a
    # member's signed-in sessions, where they end the others.
    "allauth.mfa",
    "allauth.usersessions",
    # Apps sign in through allauth's headless API (/_allauth/app/v1/…, session tokens).
    "allauth.headless",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's own files, served by whitenoise: no CDN, nothing for the CSP to allow.
    "drf_spectacular_sidecar",
    # Country names in the reader's language, for IP locations outside China (config.regions).
    "django_countries",
    # Popcorn's own plumbing every app uses: the task outbox (config.jobs), /health/.
    "config",
    "accounts",
    "forum",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (below).
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything looks a value up: a NUL byte in a form or query is a 400.
    "config.middleware.RefuseNulMiddleware",
    # The visitor's address for the services that refuse banned ranges (posting, sign-up).
    "config.middleware.ClientAddressMiddleware",
    # Page reads may go to a replica; writes, and the writer's next reads, to the primary.
    "config.middleware.PrimaryAfterWriteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the member's row from the cache when one is shared (accounts.user_cache).
    "accounts.middleware.CachedAuthenticationMiddleware",
    # Whether this session passed a second factor (moderators' tools need one).
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After LocaleMiddleware (Accept-Language, the switch's cookie) and the user:
    # a signed-in member reads in the language of their profile.
    "accounts.middleware.MemberLanguageMiddleware",
    "accounts.middleware.DailyVisitMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from the site's own static
# files, or inline with this response's nonce (`<script nonce="{{ request.csp_nonce }}">`,
# only on pages never cached whole: a cached page would carry an old nonce). No
# inline event handlers (on*=) anywhere. Styles may be inline (style="" attributes,
# htmx's indicator style); images may come from https sites (posts embed them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Powerful browser features no page of the site uses (config.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Other sites see where a visitor came from only as far as our origin (Django's default,
# written out): links in posts leak no thread or search address.
SECURE_REFERRER_POLICY = "same-origin"

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
    # Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator())
    # would outlive the transaction that opened it: fetch client-side instead.
    # Popcorn's long reads (exports, jobs) page by key, so nothing needs one.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DISABLE_SERVER_SIDE_CURSORS", default=False
    )

# PostgreSQL replicas (config.db_router): page reads (GET, HEAD) go to one of them, by
# a comma-separated DATABASE_REPLICA_URLS; writes, reads inside a transaction, jobs,
# and a member's reads for REPLICA_STICKY_SECONDS after their own write stay on the
# primary, so nobody misses what they just posted.
DATABASE_REPLICAS = []
for _n, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    _alias = f"replica{_n}"
    DATABASES[_alias] = {
        **env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get(
            "DISABLE_SERVER_SIDE_CURSORS", False
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=10)
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
# Seconds any request waits on Redis (connecting, then for each answer) before it
# goes on without it: the cache fails soft (config.cache), a task goes to the outbox
# (config.jobs). Redis answers in well under a millisecond when it is there.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.3)
REDIS_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
# The cache may live on a Redis Cluster of its own (CACHE_REDIS_URL, any node, with
# REDIS_CLUSTER=true); Celery's broker stays on REDIS_URL, a plain Redis (kombu does
# not speak the cluster protocol).
CACHE_REDIS_URL = env.str("CACHE_REDIS_URL", default="") or REDIS_URL
REDIS_CLUSTER = env.bool("REDIS_CLUSTER", default=False)
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisClusterCache"
            if REDIS_CLUSTER
            else "config.cache.ResilientRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="popcorn"),
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": dict(REDIS_OPTIONS),
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

# Sessions: with Redis, read from the cache and written to both (config.sessions); with
# the local-memory cache, from the database only: each process has its own memory, so a
# sign-out answered by one process would leave the session alive in another's copy.
if CACHE_REDIS_URL:
    SESSION_ENGINE = "config.sessions"

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
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# A web request publishing a task waits at most REDIS_TIMEOUT, once: no retry, since
# a task the broker did not take stays in the outbox and a job sends it again
# (config.jobs). Workers and beat reconnect on their own, as Celery always does.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = False
# visibility_timeout: a task a worker took but never acknowledged (its process was
# killed) goes back to the queue after this long. It must be longer than any task
# may run (the time limits, set below once POPCORN's are known), or a slow task
# would be handed to a second worker while the first still runs it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_timeout": REDIS_TIMEOUT,
    # A producer's connection tries once (kombu would retry for seconds); the
    # worker's own connection keeps Celery's reconnect policy.
    "max_retries": 0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Beat fires in the site's time zone (CELERY_TIMEZONE is set to TIME_ZONE below).
CELERY_BEAT_SCHEDULE = {
    # The threads' hot scores and like totals (POPCORN["HOT"]), recent threads only.
    "rescore-hot-threads": {
        "task": "forum.rescore_hot_threads",
        "schedule": 10 * 60,
    },
    # Thread views counted in Redis, added to the threads (forum.services.view_counts).
    "fold-thread-views": {
        "task": "forum.fold_thread_views",
        "schedule": 60,
    },
    # Members' data archives older than MEMBER_ARCHIVE_DAYS: their files deleted.
    "expire-member-archives": {
        "task": "moderation.expire_member_archives",
        "schedule": crontab(hour=3, minute=40),
    },
    # The triage webhook's deliveries that failed, once their backoff is over.
    "triage-webhook-retry": {
        "task": "moderation.retry_triage_webhooks",
        "schedule": 60,
    },
    # Yesterday's DAU/WAU/MAU, site-wide and per section, once the day is over.
    "daily-actives": {
        "task": "accounts.compute_daily_actives",
        "schedule": crontab(hour=0, minute=10),
    },
    # This month's and the next months' activity partitions; months past retention dropped.
    "activity-partitions": {
        "task": "accounts.activity_partitions",
        "schedule": crontab(hour=0, minute=5),
    },
    "core-user-flags": {
        "task": "accounts.update_core_flags",
        "schedule": crontab(hour=0, minute=30),
    },
    "delete-old-exports": {
        "task": "moderation.delete_old_exports",
        "schedule": crontab(minute=5),
    },
    "delete-old-idempotency-keys": {
        "task": "forum.delete_old_idempotency_keys",
        "schedule": crontab(minute=20),
    },
    "delete-expired-uploads": {
        "task": "forum.delete_expired_uploads",
        "schedule": crontab(minute=35),
    },
    "reconcile-reputation": {
        "task": "accounts.reconcile_reputation",
        "schedule": crontab(hour=3, minute=30),
    },
    # Sanctions expire on time without it (checked per request); this only clears the fields.
    "moderation.tidy_expired_sanctions": {
        "task": "moderation.tidy_expired_sanctions",
        "schedule": 15 * 60,
    },
    # Bans stop applying at their expiry without it; this deletes long-expired rows.
    "moderation.purge_expired_bans": {
        "task": "moderation.purge_expired_bans",
        "schedule": crontab(hour=4, minute=10),
    },
    # Tasks queued while the broker was unreachable (config.jobs' outbox).
    "outbox-resend": {
        "task": "config.outbox_resend",
        "schedule": 60,
    },
    # Early-access programs (accounts.tasks); times in CELERY_TIMEZONE, the site's.
    "programs-flag-candidates": {
        "task": "accounts.programs_flag_candidates",
        "schedule": crontab(hour=1, minute=0),
    },
    "programs-expire-invitations": {
        "task": "accounts.programs_expire_invitations",
        "schedule": crontab(minute=15),
    },
    # Medals earned by rules (accounts.services.medals), after the night's ledger work.
    "award-medals": {
        "task": "accounts.award_medals",
        "schedule": crontab(hour=3, minute=50),
    },
    # The day-before reminders of meetups (forum.services.meetups); hourly, idempotent.
    "meetup-reminders": {
        "task": "forum.send_meetup_reminders",
        "schedule": crontab(minute=25),
    },
    "programs-requalify-members": {
        "task": "accounts.programs_requalify_members",
        "schedule": crontab(hour=4, minute=30, day_of_week="monday"),
    },
    "programs-close-weeks": {
        "task": "accounts.programs_close_weeks",
        "schedule": crontab(hour=0, minute=20, day_of_week="monday"),
    },
}

# Email: console in development, any backend by URL (smtp://, consolemail://) elsewhere.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Popcorn <noreply@popcorn.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The site's language when the browser asks for none we have (LocaleMiddleware
# reads Accept-Language first), and of emails to members who never chose one.
# Catalogues: locale/<lang>/LC_MESSAGES/django.po, compiled by `make messages`
# and the Dockerfile; checked by `make messages-check`.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times per language (config/formats/<lang>/formats.py): 2026年12月1日 18:30.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads. `default` holds avatars, which pages link to directly (public); `attachments`
# holds posts' files, which only forum.attachments.download_response hands out, after
# the viewer's permission check. On the local file system (the default, one web host)
# both live under MEDIA_ROOT, and only MEDIA_ROOT/avatars/ is served as /media/ (by the
# proxy: docker-compose.yml's nginx); attachments go out through the view, or through
# the proxy by X-Accel-Redirect when ATTACHMENTS_ACCEL_PREFIX names its internal
# location. With S3_BUCKET set, both are in that S3-compatible bucket (django-storages),
# so any number of web hosts share them: avatars by their public URL (give the
# bucket's avatars/ prefix public read), attachments under private/ by signed URLs
# that expire after ATTACHMENT_URL_SECONDS.
ATTACHMENT_URL_SECONDS = env.int("ATTACHMENT_URL_SECONDS", default=300)
ATTACHMENTS_ACCEL_PREFIX = env.str("ATTACHMENTS_ACCEL_PREFIX", default="")
S3_BUCKET = env.str("S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if S3_BUCKET:
    _S3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3,
            "querystring_auth": False,
            "custom_domain": env.str("S3_PUBLIC_DOMAIN", default="") or None,
        },
    }
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3,
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": ATTACHMENT_URL_SECONDS,
        },
    }

# The proxies in front of the site (config.http.client_ip): how many append to
# X-Forwarded-For (0: none, REMOTE_ADDR is the visitor), or the one header a proxy
# sets to the visitor's address. allauth reads the same two (its rate limits).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None

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
# allauth's links follow SITE_URL too (accounts.adapters); its scheme is SITE_URL's.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = SITE_URL.split("://", 1)[0]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# The sign-up form asks for an invitation code as POPCORN["REGISTRATION_MODE"] says.
ACCOUNT_FORMS = {"signup": "accounts.forms.invitations.SignupForm"}
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

# allauth MFA: an authenticator app (TOTP), recovery codes, and passkeys (WebAuthn),
# which may also sign in on their own. Passkeys need https, except on localhost in DEBUG.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env.str("SITE_NAME", default="Popcorn")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# A member's sessions are recorded at sign-in (not on every request: no write on a read).
USERSESSIONS_TRACK_ACTIVITY = False

# allauth headless: the fans' app signs up, in and out, verifies its email and resets
# its password at /_allauth/app/v1/… with the same forms, adapter and ACCOUNT_RATE_LIMITS
# as the pages; it gets a session token that the API takes in X-Session-Token. Links in
# emails stay the pages' (allauth's own views), so HEADLESS_ONLY is off.
HEADLESS_CLIENTS = ("app",)
HEADLESS_ONLY = False
HEADLESS_SERVE_SPECIFICATION = False

# The REST API v1 (config.api): conventions in config/api_*.py, the README's "API".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated request is a 401 (WWW-Authenticate: X-Session-Token).
        # accounts' subclass of config.api_auth's: notes the session's second factor.
        "accounts.api.authentication.MemberSessionTokenAuthentication",
        # The browser's session, with CSRF on every unsafe method.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "config.api_pagination.CursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
    # ISO 8601 with the offset, in the site's time zone: 2026-12-01T18:30:00+08:00.
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Popcorn API",
    "DESCRIPTION": (
        "The fans' app and the staff's tools: the same rules as the pages. Sign in at "
        "/_allauth/app/v1/auth/login and send the session token in X-Session-Token; "
        "every error is {detail, errors}."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    # Path parameters keep the names of the URL patterns (the completeness test reads both).
    "SCHEMA_COERCE_PATH_PK": False,
    # `<id:…>` (config.ids): the database's id range, so the schema says what a route takes.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    },
    # One name per choice set, where fields of one name hold different sets or one set
    # is shared by fields of several names (a delivery per notification kind).
    "ENUM_NAME_OVERRIDES": {
        "FirmwareChannelEnum": "accounts.models.FirmwareChannel",
        "DeliveryEnum": "accounts.models.Delivery",
        "MembershipStateEnum": "accounts.models.MembershipState",
        "ProgramStatusEnum": "accounts.models.Program.Status",
        "ReputationReasonEnum": "accounts.models.ReputationReason",
        "InvitationUnavailableEnum": "accounts.api.serializers.UNAVAILABLE_REASONS",
        "ReportReasonEnum": "moderation.models.ReportReason",
        "AuditActionEnum": "moderation.models.AuditLog.Action",
        "BugStatusEnum": "forum.models.BugStatus",
        "BulkActionEnum": "moderation.services.BULK_ACTIONS",
        "CoreLockEnum": "accounts.models.CoreLock",
        "ExportStatusEnum": "moderation.models.UserExport.Status",
        "ReportStatusEnum": "moderation.models.ReportStatus",
        "ApplicationStateEnum": "accounts.models.ApplicationState",
        "FeedbackStatusEnum": "forum.models.FeedbackStatus",
        "SignupStatusEnum": "forum.models.SignupStatus",
        "PollResultsEnum": "forum.models.PollResults",
        "WatchedWordActionEnum": "accounts.models.WatchedWordAction",
        "WatchedWordKindEnum": "accounts.models.WatchedWordKind",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Tags are the issue's resource names, in this order (config.api_schema.TAGS).
    "TAGS": [
        {"name": "boards", "description": "Sections, boards, a board's threads, devices."},
        {"name": "threads", "description": "Read, start, edit, watch, mark read."},
        {"name": "posts", "description": "A thread's posts, replies, edits, likes, reports."},
        {"name": "search", "description": "Chinese and English search with highlights."},
        {"name": "triage", "description": "Me too and votes, bug triage, similar threads."},
        {"name": "polls", "description": "A thread's poll: votes, results, voters, closing."},
        {"name": "members", "description": "Profiles, my settings, the member list."},
        {"name": "notifications", "description": "My notifications."},
        {"name": "reputation", "description": "Ledger, levels, daily check-in."},
        {"name": "invitations", "description": "Invitation codes."},
        {"name": "programs", "description": "Early-access programmes."},
        {"name": "moderation", "description": "Moderators' actions, queues, sanctions."},
        {"name": "staff", "description": "Actives, the console, exports, core users."},
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per task run drowns everything else; failures still log.
    "loggers": {
        "celery.app.trace": {"level": env.str("CELERY_TRACE_LOG_LEVEL", default="WARNING")}
    },
}

# This deploy's version: part of every cached page's key (forum.caching), so a deploy
# never serves the HTML of the one before. Set it to the release or commit; left
# unset, it is computed from the code, templates, static files and translations.
from config.deploy import computed_version  # noqa: E402

DEPLOY_VERSION = env.str("DEPLOY_VERSION", default="") or computed_version(BASE_DIR)

# Popcorn's own knobs.
from config.defaults import (  # noqa: E402
    DEFAULT_INVITATIONS,
    DEFAULT_LEVELS,
    DEFAULT_REPUTATION_RULES,
)

POPCORN = {
    # The hot score, recomputed every 10 minutes for threads active in the last WINDOW_DAYS
    # (older ones drop to 0):
    #   (BASE + replies*REPLY_WEIGHT + likes*LIKE_WEIGHT + me_too*VOTE_WEIGHT + ln(1 + views))
    #   / (age_hours + 2) ** GRAVITY
    # likes: the sum of the thread's posts' likes; age from the thread's start (HN-style).
    # Seconds between the live polls (bell counts, a thread's new replies): tiny endpoints
    # answering 204 while nothing changed; sync workers make SSE too dear.
    "LIVE_POLL_SECONDS": env.int("LIVE_POLL_SECONDS", default=30),
    "HOT": {
        # Every recent thread scores a little, so a new one can show before its first reply.
        "BASE": 1.0,
        "REPLY_WEIGHT": 2.0,
        "LIKE_WEIGHT": 1.0,
        "VOTE_WEIGHT": 1.5,
        "GRAVITY": 1.5,
        "WINDOW_DAYS": 30,
        "PER_PAGE": 30,
        "CACHE_SECONDS": 120,
    },
    # (key, name, reputation threshold), lowest first; names are translatable.
    "LEVELS": DEFAULT_LEVELS,
    "SITE_NAME": env.str("SITE_NAME", default="Popcorn"),
    "POSTS_PER_PAGE": 20,
    "THREADS_PER_PAGE": 30,
    "TITLE_MAX_LENGTH": 200,
    "POST_MAX_LENGTH": 20_000,
    # Fans must confirm their email before they post anywhere.
    "POSTING_REQUIRES_VERIFIED_EMAIL": env.bool("POSTING_REQUIRES_VERIFIED_EMAIL", default=True),
    # Moderators and staff use their tools (queues, actions, sanctions, the console,
    # exports, programmes, the admin) only in a session signed in with a second factor.
    "MFA_REQUIRED_FOR_MODERATORS": env.bool("MFA_REQUIRED_FOR_MODERATORS", default=True),
    # A member's data archive: its download link and file last this many days.
    "MEMBER_ARCHIVE_DAYS": 7,
    "AVATAR_MAX_BYTES": 2 * 1024 * 1024,
    "AVATAR_MAX_PIXELS": 4096,
    "SIGNATURE_MAX_LENGTH": 500,
    # "IP属地" (config.regions): posts and profiles show the province (mainland China)
    # or country they were written from, looked up at write time in a MaxMind DB file
    # the operator provides (GeoLite2-City or DB-IP City Lite .mmdb). Only a short code
    # is stored, never the address. Off by default.
    "IP_REGION_ENABLED": env.bool("IP_REGION_ENABLED", default=False),
    "IP_REGION_DB": env.str("IP_REGION_DB", default=""),
    # Seconds an anonymous page stays in the cache; services bump versions on change.
    "PAGE_CACHE_SECONDS": 60 * 10,
    # Without Redis, thread views wait in each process's memory and the first view after
    # this many seconds folds them into the threads (forum.services.view_counts); 0: only
    # the forum.fold_thread_views job folds them.
    "VIEW_FOLD_SECONDS": 60,
    # A thread page's posts with their authors' cards, shared by every reader from the cache
    # under the thread's page version (forum.selectors.shared_page_posts).
    "PAGE_POSTS_CACHE": True,
    # The signed-in member's row from the cache (accounts.user_cache): only with Redis, a
    # cache every process shares (a bump must reach every copy); a cached row lives at most
    # USER_CACHE_SECONDS, the bound if a bump is lost to a Redis outage.
    "USER_CACHE": bool(CACHE_REDIS_URL),
    "USER_CACHE_SECONDS": 60,
    # A session's cached copy (config.sessions, with Redis), likewise bounded.
    "SESSION_CACHE_SECONDS": 60 * 5,
    # A post notifies at most this many @mentioned members (and quoted authors).
    "MAX_MENTIONS_NOTIFIED": 20,
    "LIKERS_PER_PAGE": 30,
    "NOTIFICATIONS_PER_PAGE": 30,
    # Private messages (forum.services.messages): members per conversation, the starter
    # included; new members (below NEW_USER_LEVEL or within NEW_USER_HOURS) may start
    # this many conversations a day.
    "MESSAGE_MAX_PARTICIPANTS": 10,
    "MESSAGE_MAX_LENGTH": 10_000,
    "NEW_USER_CONVERSATIONS_PER_DAY": 3,
    "CONVERSATIONS_PER_PAGE": 20,
    "MESSAGES_PER_PAGE": 30,
    "BOOKMARKS_PER_PAGE": 30,
    "DRAFTS_PER_PAGE": 30,
    "BLOCKS_MAX": 500,
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
    # Files of a form sent back with an error wait this long as pending uploads (no post
    # yet), so the member need not pick them again; then forum.delete_expired_uploads
    # deletes them. A member holds at most the second figure; older ones go first.
    "PENDING_UPLOAD_HOURS": 24,
    "PENDING_UPLOADS_PER_MEMBER": 10,
    # How long authors may edit their posts; staff may edit any time.
    "POST_EDIT_WINDOW_SECONDS": env.int("POST_EDIT_WINDOW_SECONDS", default=24 * 60 * 60),
    # Points per reason and the caps (config.defaults.DEFAULT_REPUTATION_RULES);
    # a key left out keeps its default.
    "REPUTATION": DEFAULT_REPUTATION_RULES,
    "LEDGER_PER_PAGE": 30,
    "MEMBERS_PER_PAGE": 40,
    # Sanctions (moderation.services.sanctions). Board and section moderators may warn and
    # silence for at most this many days; only global moderators and staff suspend.
    "BOARD_MODERATOR_MAX_SILENCE_DAYS": 7,
    # This many warnings within the window silence a member automatically.
    "WARNINGS_TO_SILENCE": 3,
    "WARNINGS_WINDOW_DAYS": 30,
    "WARNINGS_SILENCE_HOURS": 72,
    # Posting limits (forum.services.limits); moderators of the board and staff are exempt.
    "POSTING_LIMITS_ENABLED": env.bool("POSTING_LIMITS_ENABLED", default=True),
    # "New" members: below this level, or joined less than NEW_USER_HOURS ago.
    "NEW_USER_LEVEL": "member",
    "NEW_USER_HOURS": 24,
    # Fixed-window rate limits, counted in the cache (Redis in production).
    "THREADS_PER_HOUR": 10,
    "NEW_USER_THREADS_PER_HOUR": 3,
    "REPLIES_PER_MINUTE": 6,
    "NEW_USER_REPLIES_PER_MINUTE": 2,
    # In a member's first NEW_USER_HOURS after joining (while below NEW_USER_LEVEL).
    "FIRST_DAY_THREADS": 3,
    "FIRST_DAY_REPLIES": 10,
    # Per post, for new members: links to other sites and @mentions of members.
    "NEW_USER_MAX_LINKS": 2,
    "NEW_USER_MAX_MENTIONS": 2,
    # Attachments from this level up.
    "ATTACHMENTS_MIN_LEVEL": "member",
    # The same text again from one member within this many minutes is refused.
    "DUPLICATE_POST_MINUTES": 10,
    # Longest slow mode a moderator may set on a thread.
    "SLOW_MODE_MAX_SECONDS": 24 * 60 * 60,
    # Who may sign up: "open" (anyone; a /join/ link still credits its inviter),
    # "open_with_code" (the form offers an optional invitation code) or
    # "invite_only" (a valid code is required). See accounts.permissions.
    "REGISTRATION_MODE": env.str("REGISTRATION_MODE", default="open"),
    # Who may invite, quotas and expiries (config.defaults.DEFAULT_INVITATIONS).
    "INVITATIONS": copy.deepcopy(DEFAULT_INVITATIONS),
    # Approval queue (forum.services.posting_rules): posts by members below this level
    # wait for a moderator. "newcomer" is the lowest level, so by default only
    # members whose reputation fell below 0 wait; raise it to hold more.
    "APPROVAL_BELOW_LEVEL": env.str("APPROVAL_BELOW_LEVEL", default="newcomer"),
    # A new member's (joined within the hours, or below the level) first posts
    # with more links than this wait too.
    "APPROVAL_FIRST_POSTS": 1,
    "APPROVAL_FIRST_POST_MAX_LINKS": 1,
    "APPROVAL_NEW_USER_HOURS": 24,
    "APPROVAL_NEW_USER_BELOW_LEVEL": "member",
    # Reports: a member with this many dismissed reports within the window
    # may not report again until the oldest of them leaves the window.
    "REPORTS_DISMISSED_LIMIT": 5,
    "REPORTS_DISMISSED_WINDOW_DAYS": 30,
    "MOD_QUEUE_PER_PAGE": 30,
    # Periodic jobs (config.jobs): seconds before a soft stop, then a hard kill.
    "JOB_TIME_LIMITS": {"soft": 20 * 60, "hard": 25 * 60},
    # Sort/hash memory of the set-based daily jobs' transactions on PostgreSQL
    # (config.jobs.job_work_mem): their grouped passes stay off temporary files.
    "JOB_WORK_MEM": env.str("JOB_WORK_MEM", default="256MB"),
    # The site-wide core-user flag (accounts.services.core_users): gained at MIN_LEVEL and
    # DAYS_ACTIVE of the last WINDOW_DAYS, kept until below KEEP_RATIO of either,
    # and for at least HOLD_DAYS after it was gained.
    "CORE_USERS": {
        "MIN_LEVEL": "senior",
        "DAYS_ACTIVE": 15,
        "WINDOW_DAYS": 30,
        "KEEP_RATIO": 0.9,
        "HOLD_DAYS": 14,
    },
    # Daily activity rows older than this are dropped (by whole months on PostgreSQL, where
    # the table is partitioned by month): accounts.services.activity_partitions. The
    # console's long-range charts read the daily roll-ups, which are kept.
    "ACTIVITY_RETENTION_DAYS": 400,
    # Staff console (moderation.selectors.console, moderation.views.console).
    "CONSOLE_USERS_PER_PAGE": 50,
    "CONSOLE_CHART_DAYS": 90,
    # Exports of more rows than this are written by a Celery job, not streamed.
    "EXPORT_STREAM_MAX_ROWS": env.int("EXPORT_STREAM_MAX_ROWS", default=50_000),
    "EXPORT_CHUNK_ROWS": 2_000,
    "EXPORT_KEEP_HOURS": 48,
    "EXPORT_LINK_MAX_AGE": 60 * 60,
    # Early-access programs (accounts.services.programs).
    "PROGRAM_INVITATION_DAYS": 14,
    # No new invitation to the same program for this long after leaving / removal.
    "PROGRAM_COOLING_OFF_LEFT_DAYS": 14,
    "PROGRAM_COOLING_OFF_REMOVED_DAYS": 30,
    # Weekly re-qualification removes a warned member only if the warning is at
    # least this old, so a second run the same week removes no one.
    "PROGRAM_REQUALIFY_GRACE_DAYS": 6,
    "PROGRAM_ROWS_PER_PAGE": 50,
    # REST API (config.api_views): rows per page of a list, and its most when asked.
    "API_PAGE_SIZE": 20,
    "API_MAX_PAGE_SIZE": 100,
    # Throttles of the API's writes and searches ("N/s|m|h|d"), per member and per
    # address; a refusal is a 429 with Retry-After. The posting limits still apply.
    "API_THROTTLES": {
        "write_member": env.str("API_THROTTLE_WRITE_MEMBER", default="60/m"),
        "write_address": env.str("API_THROTTLE_WRITE_ADDRESS", default="120/m"),
        "search_member": env.str("API_THROTTLE_SEARCH_MEMBER", default="30/m"),
        "search_address": env.str("API_THROTTLE_SEARCH_ADDRESS", default="60/m"),
    },
    # How long an Idempotency-Key of a new thread or reply is remembered.
    "API_IDEMPOTENCY_HOURS": 24,
    # City meetups (forum.services.meetups): members from this level up may organise
    # one (staff always); events per page of the meetups page; reminders go out this
    # many hours before the start.
    "MEETUP_ORGANISER_MIN_LEVEL": env.str("MEETUP_ORGANISER_MIN_LEVEL", default="senior"),
    "MEETUPS_PER_PAGE": 20,
    "MEETUP_REMINDER_HOURS": 24,
    # The firmware team's bug tracker hears of confirmed and fixed bugs here: a JSON
    # body signed with HMAC-SHA256 of the secret (X-Popcorn-Signature: sha256=<hex>).
    # No URL: nothing is sent. Failures are retried with backoff (seconds, doubling).
    "TRIAGE_WEBHOOK_URL": env.str("TRIAGE_WEBHOOK_URL", default=""),
    "TRIAGE_WEBHOOK_SECRET": env.str("TRIAGE_WEBHOOK_SECRET", default=""),
    "TRIAGE_WEBHOOK_TIMEOUT": 10,
    "TRIAGE_WEBHOOK_ATTEMPTS": 8,
    "TRIAGE_WEBHOOK_BACKOFF_SECONDS": 60,
    # The triage page lists this many most-hit open bugs of a device.
    "TRIAGE_BUGS_SHOWN": 50,
    # Similar threads suggested while a title is typed.
    "SIMILAR_THREADS_SHOWN": 5,
}

# Longer than the longest any task may run: the Celery default and the jobs' hard limit.
# (An operator may shorten it, for example in a test that kills a worker on purpose.)
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int(
    "CELERY_VISIBILITY_TIMEOUT",
    default=max(CELERY_TASK_TIME_LIMIT, POPCORN["JOB_TIME_LIMITS"]["hard"]) + 5 * 60,
)
