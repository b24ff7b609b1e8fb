"""Settings, from the environment only: every variable is in `.env.example`, and the reasons for the
backends, security and observability settings are in docs/design.md and docs/security.md. A `.env`
file is read for local use; real environment variables win over it."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from core.observability.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (or in .env) to a long random "
            "string, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - debug mode only

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "django-twelve-factor-api"
SERVICE_VERSION = env("APP_VERSION", default="1.0.0")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "core",
    "cars",
    "comments",
    "availability",
    "rollbar_items",
]

MIDDLEWARE = [
    "core.observability.middleware.RequestObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.observability.middleware.RollbarNotifierMiddleware",
    "core.middleware.ErrorShapeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The URL patterns match paths with and without a trailing slash: a redirect would lose a POST's body.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
database = DATABASES["default"]
options = database.setdefault("OPTIONS", {})
if database["ENGINE"] == "django.db.backends.sqlite3":
    options.update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
else:
    database["CONN_HEALTH_CHECKS"] = True
    options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3))
    if env.bool("DATABASE_POOL", default=False):
        database["CONN_MAX_AGE"] = 0
        options["pool"] = {"min_size": 1, "max_size": 4, "timeout": options["connect_timeout"]}
    else:
        database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=600)
    database["DISABLE_SERVER_SIDE_CURSORS"] = not env.bool("DATABASE_SERVER_SIDE_CURSORS", default=True)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        options.update({"server_side_binding": True, "prepare_threshold": 5})
    options["options"] = f"-c statement_timeout={env.int('DATABASE_STATEMENT_TIMEOUT', default=10000)}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env("CACHE_URL", default="")
CACHE_CONFIGURED = bool(CACHE_URL)
LOCAL_MEMORY_CACHE = "django.core.cache.backends.locmem.LocMemCache"
CACHES = {
    "default": {"BACKEND": LOCAL_MEMORY_CACHE},
    # Checked API tokens, per process and briefly (core.authentication): API_TOKEN_CACHE_SECONDS.
    "tokens": {
        "BACKEND": LOCAL_MEMORY_CACHE,
        "LOCATION": "tokens",
        "TIMEOUT": env.int("API_TOKEN_CACHE_SECONDS", default=5),
    },
}
if CACHE_CONFIGURED:
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_MAX_BODY_SIZE", default=1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes anonymous writes answer 401, not 403.
        "core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "core.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=20),
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "comments": env("COMMENTS_THROTTLE_RATE", default="60/min"),
        "login": env("LOGIN_THROTTLE_RATE", default="10/min"),
        "locations": env("LOCATIONS_THROTTLE_RATE", default="60/min"),
    },
    "EXCEPTION_HANDLER": "core.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=100)

SPECTACULAR_SETTINGS = {
    "TITLE": "Twelve-Factor API",
    "DESCRIPTION": "Vehicle inventory, comments, NicaVentas availability and quotes, and Rollbar items.",
    "VERSION": SERVICE_VERSION,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

AVAILABILITY_API_TOKEN = env("AVAILABILITY_API_TOKEN", default="")
AVAILABILITY_CACHE_SECONDS = env.int("AVAILABILITY_CACHE_SECONDS", default=300)
QUOTE_CACHE_SECONDS = env.int("QUOTE_CACHE_SECONDS", default=300)

OPENWEATHER_API_URL = env("OPENWEATHER_API_URL", default="https://api.openweathermap.org/data/2.5")
OPENWEATHER_API_KEY = env("OPENWEATHER_API_KEY", default="")
OPENWEATHER_TIMEOUT = env.float("OPENWEATHER_TIMEOUT", default=3.0)

ROLLBAR_API_URL = env("ROLLBAR_API_URL", default="https://api.rollbar.com/api/1")
ROLLBAR_READ_TOKEN = env("ROLLBAR_READ_TOKEN", default="")
ROLLBAR_WRITE_TOKEN = env("ROLLBAR_WRITE_TOKEN", default="")
ROLLBAR_POST_TOKEN = env("ROLLBAR_POST_TOKEN", default="")
ROLLBAR_TIMEOUT = env.float("ROLLBAR_TIMEOUT", default=5.0)

ROLLBAR = {  # without a token, pyrollbar's middleware is off (MiddlewareNotUsed)
    "access_token": env("ROLLBAR_NOTIFY_TOKEN", default=""),
    "environment": env("ROLLBAR_ENVIRONMENT", default="development" if DEBUG else "production"),
    "endpoint": ROLLBAR_API_URL.rstrip("/") + "/",
    "code_version": SERVICE_VERSION,
    "root": str(BASE_DIR),
    "handler": "thread_pool",
    "timeout": ROLLBAR_TIMEOUT,
    "patch_debugview": False,
    "scrub_fields": ["headers", "GET", "POST", "password", "secret", "token", "api_key", "authorization"],
    "locals": {"enabled": False},
    "exception_level_filters": [
        ("django.core.exceptions.PermissionDenied", "ignored"),
        ("django.core.exceptions.SuspiciousOperation", "ignored"),
        ("django.core.exceptions.BadRequest", "ignored"),
    ],
}

METRICS_TOKEN = env("METRICS_TOKEN", default="")
PROMETHEUS_MULTIPROC_DIR = env("PROMETHEUS_MULTIPROC_DIR", default="")

LOGGING = logging_config(
    json_format=env("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json").strip().lower() == "json",
    level=env("DJANGO_LOG_LEVEL", default="INFO"),
    loggers={
        # Its warnings (4xx) repeat the request's own log line; its errors keep their traceback.
        "django.request": {"level": "ERROR"},
        "urllib3": {"level": "INFO"},
    },
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^live/?$", r"^check/?$", r"^metrics/?$"]
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
