"""Nominee's one settings module, driven by environment variables (README lists each).

Defaults suit a laptop demo: DEBUG off unless asked, an embedded SQLite database under
``var/``. Production sets ``NOMINEE_SECRET_KEY``(``_FILE``), ``NOMINEE_ALLOWED_HOSTS`` and
``NOMINEE_DATABASE_URL``; with those, ``nominee check --deploy`` reports nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("NOMINEE_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_rate(name: str, default: str) -> str | None:
    """A rate limit as django-ratelimit writes it (``10/h``, ``30/15m``); ``off`` for none."""
    value = os.environ.get(name, default).strip()
    if value.lower() in {"", "off", "0"}:
        return None
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate like 10/h or 30/15m, not {value!r}")
    return value


def _secret_key_source() -> str:
    if os.environ.get("NOMINEE_SECRET_KEY"):
        return "env"
    return "file" if os.environ.get("NOMINEE_SECRET_KEY_FILE") else "generated"


def _secret_key() -> str:
    if key := os.environ.get("NOMINEE_SECRET_KEY"):
        return key
    if path := os.environ.get("NOMINEE_SECRET_KEY_FILE"):
        return Path(path).read_text().strip()
    # Without a configured key, keep one per installation so sessions survive restarts.
    # Each web node would generate its own, so `check --deploy` warns (nominee.W001,
    # nominee.core.checks) when the key was not configured.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DEBUG = _env_bool("NOMINEE_DEBUG", False)
SECRET_KEY = _secret_key()
NOMINEE_SECRET_KEY_SOURCE = _secret_key_source()
ALLOWED_HOSTS = _env_list("NOMINEE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("NOMINEE_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("NOMINEE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "nominee.core",
    "nominee.program",
    "nominee.calculator",
    "nominee.audit",
    "nominee.reference",
    "nominee.accounts",
    "nominee.employers",
    "nominee.eois",
    "nominee.draws",
    "nominee.casework",
    "nominee.publication",
    "nominee.site",
]

MIDDLEWARE = [
    # First: every response, and every log record of a request, carries its id.
    "nominee.core.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /healthz and /readyz, answered before anything that needs the database.
    "nominee.site.health.ProbeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, with /en/ and /fr/ prefixes that keep the plain paths.
    "nominee.core.locale.LanguagePrefixMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "nominee.api.middleware.RejectNulMiddleware",
    "nominee.program.middleware.PolicyVersionsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nominee.accounts.middleware.UnconfirmedAccountMiddleware",
    "nominee.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nominee.core.ratelimits.RateLimitMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nominee.urls"
WSGI_APPLICATION = "nominee.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nominee.accounts.context_processors.site",
                "nominee.core.locale.context",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    """Turn a database URL into Django's settings, tuned per engine (see docs/operations.md)."""
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the busy
        # timeout instead of failing mid-transaction with "database is locked".
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine == "django.db.backends.postgresql":
        options: dict[str, Any] = {}
        if _env_bool("NOMINEE_DATABASE_POOL", True):
            options["pool"] = {"min_size": 1, "max_size": 10, "timeout": 10}
        # Draw selection must not switch to a generic plan (ARCHITECTURE: 10x slower).
        options["options"] = "-c plan_cache_mode=force_custom_plan"
        config["OPTIONS"] = options
        config["CONN_MAX_AGE"] = 0
    else:
        raise ImproperlyConfigured(f"NOMINEE_DATABASE_URL: unsupported database engine {engine}")
    return config


DATABASE_URL = os.environ.get("NOMINEE_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'nominee.sqlite3'}"
if DATABASE_URL.startswith("sqlite:///") and ":memory:" not in DATABASE_URL:
    Path(DATABASE_URL.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# URL names: a redirect keeps the language prefix of the page it comes from.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = _env_int("NOMINEE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login form posts "username" (Django's AuthenticationForm), whatever USERNAME_FIELD is.
AXES_USERNAME_FORM_FIELD = "username"
# ...cut to the 255 characters of axes' column (a longer one was a 500 on PostgreSQL).
AXES_USERNAME_CALLABLE = "nominee.accounts.lockout.axes_username"
# ...and the client's address, from the proxy's header when one is configured (below).
AXES_CLIENT_IP_CALLABLE = "nominee.core.clientip.client_ip"

# The client's address behind a reverse proxy (nominee.core.clientip, Decision 78): the
# header the proxy sets, e.g. X-Forwarded-For, and how many proxies append to it. Off by
# default: a client reaching Nominee directly could write any address into the header.
NOMINEE_CLIENT_IP_HEADER = os.environ.get("NOMINEE_CLIENT_IP_HEADER", "").strip()
NOMINEE_CLIENT_IP_PROXIES = _env_int("NOMINEE_CLIENT_IP_PROXIES", 1)

# Rate limits (nominee.core.ratelimits, docs/accounts.md, Decision 78): requests per
# period, per client address (_ip), per e-mail address given (_email) or per account.
NOMINEE_RATE_LIMITS: dict[str, str | None] = {
    "signup_ip": _env_rate("NOMINEE_RATE_SIGNUP_IP", "10/h"),
    "signup_email": _env_rate("NOMINEE_RATE_SIGNUP_EMAIL", "3/h"),
    "password_reset_ip": _env_rate("NOMINEE_RATE_PASSWORD_RESET_IP", "10/h"),
    "password_reset_email": _env_rate("NOMINEE_RATE_PASSWORD_RESET_EMAIL", "3/h"),
    "confirmation_resend": _env_rate("NOMINEE_RATE_CONFIRMATION_RESEND", "3/h"),
    "login_account": _env_rate("NOMINEE_RATE_LOGIN_ACCOUNT", "20/15m"),
    "login_ip": _env_rate("NOMINEE_RATE_LOGIN_IP", "60/15m"),
    "eoi_register": _env_rate("NOMINEE_RATE_EOI_REGISTER", "60/h"),
    "api_token": _env_rate("NOMINEE_RATE_API_TOKEN", "10/h"),
    "score_ip": _env_rate("NOMINEE_RATE_SCORE_IP", "60/m"),
}

LANGUAGE_CODE = "en"
# Every page in English and French, under /en/ and /fr/ or at its plain path in the
# visitor's language (nominee.core.locale, Decision 69). Each name is in its own language:
# the language switch shows it to someone who reads that language.
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates and numbers per language (nominee/core/formats/<code>/formats.py, Decision 69).
FORMAT_MODULE_PATH = ["nominee.core.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The program's calendar is Toronto's (spec/INTERFACES.md "Dates"); instants are stored in UTC.
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `nominee collectstatic` writes (docs/operations.md); whitenoise serves it.
STATIC_ROOT = Path(os.environ.get("NOMINEE_STATIC_ROOT", VAR_DIR / "static")).resolve()
# whitenoise warns about a missing root (tests turn warnings into errors); a read-only
# var/ in production already has it from collectstatic.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed, hashed names, or plain names until collectstatic has run.
    "staticfiles": {"BACKEND": "nominee.core.staticfiles.StaticFilesStorage"},
}
# Serve straight from the finders in development and tests: no collectstatic step needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG or _env_bool("NOMINEE_STATIC_NO_MANIFEST", False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Casework documents (docs/casework.md): kept under var/, outside STATIC_ROOT and any
# media root, and only ever served by the permission-checking download view.
CASEWORK_DOCUMENT_ROOT = Path(
    os.environ.get("NOMINEE_DOCUMENT_ROOT", VAR_DIR / "documents")
).resolve()
CASEWORK_MAX_DOCUMENT_BYTES = int(os.environ.get("NOMINEE_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024))
CASEWORK_MAX_APPLICATION_BYTES = int(
    os.environ.get("NOMINEE_MAX_APPLICATION_BYTES", 50 * 1024 * 1024)
)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("NOMINEE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# /readyz (docs/operations.md): the worker runs a heartbeat task this often, and is
# reported missing when no task finished for longer than the silence allowed.
NOMINEE_WORKER_HEARTBEAT_SECONDS = _env_int("NOMINEE_WORKER_HEARTBEAT_SECONDS", 60)
NOMINEE_WORKER_MAX_SILENCE = _env_int("NOMINEE_WORKER_MAX_SILENCE", 300)

# /metrics (docs/operations.md): closed unless a bearer token or scraper addresses are set.
NOMINEE_METRICS_TOKEN = os.environ.get("NOMINEE_METRICS_TOKEN", "")
NOMINEE_METRICS_ALLOWED_IPS = _env_list("NOMINEE_METRICS_ALLOWED_IPS", "")

EMAIL_BACKEND = os.environ.get(
    "NOMINEE_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("NOMINEE_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("NOMINEE_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("NOMINEE_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("NOMINEE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("NOMINEE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("NOMINEE_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("NOMINEE_DEFAULT_FROM_EMAIL", "Nominee <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# "My e-mails" (/accounts/emails/): a development aid listing what the file backend wrote
# for the signed-in, confirmed account. Off in production (NOMINEE_DEBUG false).
NOMINEE_DEV_MAILBOX = _env_bool("NOMINEE_DEV_MAILBOX", DEBUG)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "nominee",
    }
}
if redis_url := os.environ.get("NOMINEE_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
    }

# Security: strict by default; plain-HTTP development opts out with NOMINEE_INSECURE_HTTP.
_https = not _env_bool("NOMINEE_INSECURE_HTTP", DEBUG or "127.0.0.1" in SITE_URL)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
LANGUAGE_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and _env_bool("NOMINEE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
# Probes and the scraper may ask gunicorn directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("NOMINEE_BEHIND_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

NINJA_PAGINATION_PER_PAGE = 50


# The public record (docs/publication.md): how long browsers and the server keep pages.
NOMINEE_PUBLICATION_MAX_AGE = _env_int("NOMINEE_PUBLICATION_MAX_AGE", 60)
NOMINEE_PUBLICATION_CACHE_SECONDS = _env_int("NOMINEE_PUBLICATION_CACHE_SECONDS", 24 * 3600)
NOMINEE_PUBLICATION_POOL_SECONDS = _env_int("NOMINEE_PUBLICATION_POOL_SECONDS", 300)
NOMINEE_PUBLICATION_VERSION_TTL = _env_float("NOMINEE_PUBLICATION_VERSION_TTL", 1.0)

# Logs on standard error (journald under systemd), each record with its request's id
# (nominee.core.requestlog): one JSON object a line in production, text when debugging.
NOMINEE_LOG_FORMAT = os.environ.get("NOMINEE_LOG_FORMAT") or ("text" if DEBUG else "json")
if NOMINEE_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"NOMINEE_LOG_FORMAT must be json or text, not {NOMINEE_LOG_FORMAT!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nominee.core.requestlog.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{levelname}{name}{request_id}{message}",
            "style": "{",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # An ISO 8601 instant in UTC, whatever the program's time zone.
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": NOMINEE_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("NOMINEE_LOG_LEVEL", "WARNING")},
}
