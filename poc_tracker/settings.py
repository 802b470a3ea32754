"""Settings for POC Tracker, read from the environment.

Every variable is listed in `.env.example`. The defaults need nothing installed: a SQLite file
in `var/` and Celery tasks run in-process. With DEBUG off, a missing SECRET_KEY stops start-up.
"""

import datetime
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.validators import RECORD_DATES_CEILING, RECORD_DATES_FLOOR

# Django's admin and form classes are generic in the type stubs only: this lets the code name
# them with their model (`admin.ModelAdmin[Threat]`) without failing at runtime.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # before the admin, as its docs require: it patches the admin's forms
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "health_check",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "core",
    "audit",
    "accounts",
    "missions",
    "commitments",
    "threats",
    "incidents",
    "alerts",
    "activities",
    "indicators",
    "imports",
    "reports",
    "demo",
    "api",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # first after security, so everything below runs with the request id the audit trail records
    "audit.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # who confirmed their sign-in with a second factor, and who must before going further
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last, as django-axes asks: it answers a locked-out sign-in
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "poc_tracker.urls"
WSGI_APPLICATION = "poc_tracker.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "web.context.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection kept from an earlier request (CONN_MAX_AGE > 0) is checked before its reuse: one
# a restarted database server has dropped is replaced, instead of failing the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, keeping through table rebuilds the triggers that stand in for
    # composite foreign keys (core/backends/sqlite3/schema.py).
    DATABASES["default"]["ENGINE"] = "core.backends.sqlite3"
    # WAL lets the in-process rollups write while the web process reads.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Passwords --------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time -----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
FORMAT_MODULE_PATH = ["poc_tracker.formats"]
# Reference data in both languages; a text still missing in one shows the other, English first.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Record dates -----------------------------------------------------------------------------

# The dates a user may give a record: from RECORD_DATES_FROM to RECORD_DATES_YEARS_AHEAD years
# after today. The database holds a fixed outer window (core.validators); these only narrow it.
try:
    RECORD_DATES_FROM = datetime.date.fromisoformat(
        env.str("RECORD_DATES_FROM", default=RECORD_DATES_FLOOR.isoformat())
    )
except ValueError as error:
    raise ImproperlyConfigured("RECORD_DATES_FROM must be a date, YYYY-MM-DD.") from error
RECORD_DATES_YEARS_AHEAD = env.int("RECORD_DATES_YEARS_AHEAD", default=1)
if not RECORD_DATES_FLOOR <= RECORD_DATES_FROM <= RECORD_DATES_CEILING:
    raise ImproperlyConfigured(
        f"RECORD_DATES_FROM must be between {RECORD_DATES_FLOOR} and {RECORD_DATES_CEILING}: "
        "the database refuses any date outside."
    )
if RECORD_DATES_YEARS_AHEAD < 0:
    raise ImproperlyConfigured("RECORD_DATES_YEARS_AHEAD must not be negative.")

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "static/"
# where `collectstatic` gathers the files whitenoise serves
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (imports): private, never served by URL. Every web and worker machine must
# see the same directory (a shared volume) for an upload to reach the worker that imports it.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Files of an upload larger than this go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The largest import file accepted, in bytes.
IMPORT_MAX_FILE_SIZE = env.int("IMPORT_MAX_FILE_SIZE", default=200 * 1024 * 1024)
# Reports that leave a mission hide counts of survivors of sexual violence and of grave
# violations against children below this number (and enough other cells to keep them hidden).
REPORT_SMALL_COUNT = env.int("REPORT_SMALL_COUNT", default=5)
# How long the file of a large export (/api/v1/reports/exports/) is kept, in hours.
REPORT_EXPORT_HOURS = env.int("REPORT_EXPORT_HOURS", default=24)
# How far from the nearest locality an event's coordinates may lie to be placed there (km).
IMPORT_NEAREST_LOCALITY_KM = env.float("IMPORT_NEAREST_LOCALITY_KM", default=10.0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- REST API ---------------------------------------------------------------------------------

REST_FRAMEWORK = {
    # hashed tokens for scripts (api.models.ApiToken), and the browser's session (with CSRF);
    # the token first, so that a request without credentials is a 401 with WWW-Authenticate
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # every view asks the policy (missions.permissions) through one class
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.FilterBackend",  # django-filter's, skipped when no filter is asked for
        "rest_framework.filters.SearchFilter",
        "api.sync.SyncOrderingFilter",  # ?ordering= and ?updated_since=
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.LimitOffsetPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # one error shape everywhere: {"type": ..., "errors": [{"code", "detail", "attr"}]}
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # every request, per token (or per user signed in by session, per address otherwise); and
    # batches of up to 5,000 records (`POST …/bulk/`), a retry counting too
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env("API_RATE", default="1200/minute"),
        "batch": env("API_BATCH_RATE", default="60/minute"),
    },
}
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "api.exceptions.ServiceExceptionHandler",
    # an unexpected error answers in the same shape even when DEBUG is on
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
}
KNOX_TOKEN_MODEL = "api.ApiToken"  # nosec B105
# knox's own migrations create its AuthToken table even when the model is swapped for ours;
# without them knox has no table, and nothing refers to users but what Django knows of
MIGRATION_MODULES = {"knox": None}
# bandit reads "TOKEN_TTL" as a password: it is a lifetime
REST_KNOX = {  # nosec B105
    # a token lives until its expiry, if its owner gave one, or until it is revoked
    "TOKEN_TTL": None,
    "AUTO_REFRESH": False,
}
_ERRORS = "drf_standardized_errors.openapi_serializers"
SPECTACULAR_SETTINGS = {
    "TITLE": "POC Tracker API",
    "DESCRIPTION": (
        "Threats, incidents, alerts, activities and indicators of the missions the caller may "
        "see. Authenticate with the browser session or with `Authorization: Token <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # one name for each choice set several fields share
        "ViolenceTypeEnum": "threats.choices.ViolenceType",
        "ThreatStatusEnum": "threats.choices.ThreatStatus",
        "ActionStatusEnum": "commitments.choices.ActionStatus",
        "ImplementationStatusEnum": "commitments.choices.ImplementationStatus",
        "PrecisionEnum": "incidents.choices.Precision",
        "ScoreScaleEnum": "threats.models.SCALE_1_5",
        "ComponentEnum": "core.choices.Component",
        "SexAgeEnum": "core.choices.SexAge",
        "IndicatorDisaggregationEnum": "indicators.choices.Disaggregation",
        "ImportStatusEnum": "imports.choices.ImportStatus",
        "PeriodKindEnum": "indicators.choices.PeriodKind",
        "AreaKindEnum": "missions.choices.AreaKind",
        "TargetStatusEnum": "indicators.choices.TargetStatus",
    }
    | {
        name: f"{_ERRORS}.{name}.choices"
        for name in (
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            "ParseErrorCodeEnum",
            "ErrorCode401Enum",
            "ErrorCode403Enum",
            "ErrorCode404Enum",
            "ErrorCode405Enum",
            "ErrorCode406Enum",
            "ErrorCode415Enum",
            "ErrorCode429Enum",
            "ErrorCode500Enum",
        )
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# --- Celery -----------------------------------------------------------------------------------

# The cache holds what several processes share for a moment: API rate limits, idempotency
# locks, a running import's progress. In-process by default; with more than one process (web
# workers and Celery workers), a shared one: CACHE_URL=redis://127.0.0.1:6379/2.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Repeated failed sign-ins (the app's, the admin's, the API's password sign-in for tokens) lock
# that username from that address out for a while. The counts live in the shared cache, or in
# the database while the cache is each process's own.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = (
    "axes.handlers.database.AxesDatabaseHandler"
    if CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else "axes.handlers.cache.AxesCacheHandler"
)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# lockouts are lifted with `manage.py axes_reset_username <name>`, not through the admin, whose
# every page asks the one policy
AXES_ENABLE_ADMIN = False
AXES_IPWARE_PROXY_COUNT = 1 if env.bool("TLS_PROXY", default=False) else None
# the name an authenticator app shows beside the code (accounts/middleware.py)
OTP_TOTP_ISSUER = "POC Tracker"

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# Without a broker, tasks run in-process so the app needs nothing installed.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Changes refresh their own buckets within seconds; this nightly rebuild reconciles anything
    # a lost task missed and moves "as of today" figures (open threats) to the new day, counting
    # as missed the alerts whose standard has passed since with no response. Night in UTC is
    # early morning in most mission time zones, before the day's logging starts.
    "rebuild-rollups": {
        "task": "indicators.tasks.rebuild_rollups_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Running periods' "as of today" figures and pro-rated targets move at each mission's
    # local midnight: within a quarter of an hour of it, whatever its time zone.
    "roll-figures-day": {
        "task": "indicators.tasks.roll_figures_day_task",
        "schedule": crontab(minute="*/15"),
    },
    # rollup work the broker refused or lost, done from the database (indicators.tasks)
    "sweep-rollup-work": {
        "task": "indicators.tasks.sweep_rollup_work_task",
        "schedule": crontab(minute="*"),
    },
    # the files of large exports are deleted once past their time
    "expire-exports": {
        "task": "reports.tasks.expire_exports_task",
        "schedule": crontab(minute=5),
    },
    # each person's "what needs me" by e-mail once a day, after the nightly rebuild and before
    # the working day starts in most mission time zones
    "send-digests": {
        "task": "web.tasks.send_digests_task",
        "schedule": crontab(hour=4, minute=0),
    },
}

# --- E-mail -----------------------------------------------------------------------------------

# The console backend by default: a developer sees the daily digests in the worker's output.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="POC Tracker <poc-tracker@localhost>")
# The address the app is reached at, for the links in e-mails (which have no request to go by).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

# --- Logging ----------------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# One JSON object a line in production (LOG_FORMAT=json, the default with DEBUG off), plain
# text for a developer; each record names the request or task that wrote it (`request_id`), and
# in JSON a task's records and Celery's lines about one also name it (`task_id`, `task_name`).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "audit.logging.RequestIdFilter"},
        "task": {"()": "poc_tracker.celery.TaskFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "task"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        app: {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}
        for app in (
            "core",
            "audit",
            "missions",
            "commitments",
            "threats",
            "incidents",
            "alerts",
            "activities",
            "indicators",
            "imports",
            "reports",
            "api",
        )
    }
    # Celery's own lines (a worker's start-up, the tasks it received and did): the worker's and
    # beat's --loglevel sets how many (poc_tracker/celery.py), warnings only anywhere else
    | {"celery": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

# --- Security ---------------------------------------------------------------------------------

# With DEBUG off the site is served over HTTPS only: secure cookies, HSTS, and plain HTTP
# redirected. Behind a proxy that ends TLS, set TLS_PROXY=true so that its X-Forwarded-Proto
# header says a request came over HTTPS, and SECURE_SSL_REDIRECT=false if it redirects itself.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env.bool("TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# the health checks answer the load balancer over plain HTTP, inside the network
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The dashboard map's tile server ("https://tile.example.org/{z}/{x}/{y}.png"); empty, the map
# draws the host country's shipped outline on a plain background. Its origin may serve images
# (Leaflet's "{s}" subdomains are any subdomain to the policy).
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_ATTRIBUTION = env("MAP_ATTRIBUTION", default="")
_MAP_TILE_ORIGIN = (
    "/".join(MAP_TILE_URL.split("/")[:3]).replace("{s}", "*") if "://" in MAP_TILE_URL else ""
)
# No inline script anywhere, and everything from this site: the pages, the admin, Swagger UI
# and ReDoc (whose page is ours, templates/drf_spectacular/redoc.html) load only their files.
# Inline styles stay allowed: the admin and Swagger UI set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *([_MAP_TILE_ORIGIN] if _MAP_TILE_ORIGIN else [])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"
