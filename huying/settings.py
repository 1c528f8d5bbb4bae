"""Django settings for Huying.

Every setting a deployment may change is read from an environment variable
here and documented in docs/configuration.md (a test checks both lists match).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.getenv(name, default))


SECRET_KEY = os.getenv("SECRET_KEY", "huying-insecure-development-key")
DEBUG = envbool("DEBUG", "False")
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
SITE_NAME = os.getenv("SITE_NAME", "呼应 Huying")
# The deployment whose data (units, categories, rules) `huying demo` loads
# and whose case numbers carry its prefix, e.g. YX202102060001.
DEPLOYMENT = os.getenv("DEPLOYMENT", "yuexiu")
CASE_NUMBER_PREFIX = os.getenv("CASE_NUMBER_PREFIX", "YX")
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Shanghai")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "huying.org",
    "huying.sla",
    "huying.routing",
    "huying.cases",
    "huying.demo",
    "huying.analytics",
    "huying.orders",
    "django_htmx",
    "huying.web",
    "huying.console",
    "huying.public",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "huying.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversize API bodies before anything reads them.
    "huying.api.middleware.BodySizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the person switched to English (not the browser's wish).
    "huying.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huying.urls"
WSGI_APPLICATION = "huying.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides (e.g. the admin home) must win over the apps'.
        "DIRS": [BASE_DIR / "huying" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite is the embedded default; production points DATABASE_URL at PostgreSQL.
# Local state (the embedded database, collected static files, uploads) lives
# in var/, which a fresh clone does not have yet.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'huying.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "0"))}
# One test database per test process, so two test runs on one machine never
# drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_huying_{os.getpid()}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads; the busy timeout
    # makes a writer wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": envint("SQLITE_BUSY_TIMEOUT", "20"),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so tests with threads share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", "1")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "huying" / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end files built from package.json by `make static` (huying/static/vendor/).
STATICFILES_DIRS = [BASE_DIR / "huying" / "static"]
# Uploads live outside the web root and are served only through views that
# check who may see the case.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "uploads"))
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# The worker wakes this often to look for due work (seconds).
WORKER_INTERVAL = envint("WORKER_INTERVAL", "10")

# Smart dispatch (huying/routing): a new case whose best suggestion is at
# least this sure is dispatched at once; a value above 1 turns that off.
ROUTING_AUTO_DISPATCH = float(os.getenv("ROUTING_AUTO_DISPATCH", "0.8"))
# Duplicates: open cases of this many recent days, suggested from this score.
ROUTING_DUPLICATE_DAYS = envint("ROUTING_DUPLICATE_DAYS", "7")
ROUTING_DUPLICATE_MIN_SCORE = float(os.getenv("ROUTING_DUPLICATE_MIN_SCORE", "0.4"))

# Data centre (huying/analytics, docs/data-centre.md): weights of the response,
# resolution and satisfaction rates in the composite score; how often the
# worker recomputes hotspots, and over how many recent days of cases.
RATE_WEIGHTS = os.getenv("RATE_WEIGHTS", "30,35,35")
HOTSPOT_INTERVAL_MINUTES = envint("HOTSPOT_INTERVAL_MINUTES", "60")
HOTSPOT_DAYS = envint("HOTSPOT_DAYS", "30")

# Orders (令): an order is at risk when its approved progress trails the
# straight line from start to deadline by more than this many percent of the
# target; orders that stay behind are urged again every this many working days.
ORDERS_AT_RISK_GAP = envint("ORDERS_AT_RISK_GAP", "10")
ORDERS_URGE_EVERY = envint("ORDERS_URGE_EVERY", "5")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# --- Integrations: Open311, the REST API, webhooks (huying/api, docs/api.md) ---
# Largest request body accepted by /open311/ and /api/ (bytes).
API_MAX_BODY_BYTES = envint("API_MAX_BODY_BYTES", str(256 * 1024))
OPEN311_JURISDICTION_ID = os.getenv("OPEN311_JURISDICTION_ID", "yuexiu.gov.cn")
OPEN311_CONTACT = os.getenv("OPEN311_CONTACT", "越秀区综合指挥调度中心 12345")
OPEN311_KEY_SERVICE = os.getenv("OPEN311_KEY_SERVICE", "Ask the command centre's administrator for an API key.")
# "realtime": POST requests returns the case number at once; "batch": it
# returns a token and the worker makes the case (GET tokens/{token}).
OPEN311_SERVICE_TYPE = os.getenv("OPEN311_SERVICE_TYPE", "realtime")
# Seconds a web process keeps API keys, place units, categories, routing
# rules and webhook endpoints it read (huying/memo.py); 0 reads them every time.
LOOKUP_CACHE_SECONDS = envint("LOOKUP_CACHE_SECONDS", "10")
WEBHOOK_TIMEOUT = envint("WEBHOOK_TIMEOUT", "10")
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", "8")
WEBHOOK_BACKOFF_SECONDS = envint("WEBHOOK_BACKOFF_SECONDS", "30")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huying.api.rest.auth.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "huying.api.rest.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huying API",
    "DESCRIPTION": "Cases and every step of their life, units, categories, inbox and figures; "
                   "and Open311 GeoReport v2 for other systems. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
