"""Django settings for Heard, read from the environment (see ``.env.example``).

Defaults suit a single machine with the embedded SQLite database under ``var/``; production
sets ``DATABASE_URL`` to a PostgreSQL server, a ``SECRET_KEY``, ``ALLOWED_HOSTS`` and e-mail.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from heard.envconfig import env, env_bool, env_int, env_list

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("HEARD_DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# HTTPS is assumed in production; `make run` turns it off for http://127.0.0.1:8000.
HTTPS = env_bool("HEARD_HTTPS", True)


def _secret_key() -> str:
    """Use SECRET_KEY, or a random key kept in the data folder for a single-machine install."""
    value = env("SECRET_KEY")
    if value:
        return value
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

COUNCIL_NAME = env("HEARD_COUNCIL_NAME", "Heard demo council")
# The number the public form gives when something goes wrong.
COUNCIL_PHONE = env("HEARD_COUNCIL_PHONE", "0300 123 4567")
# Submissions of the public form allowed per address per hour.
HEARD_PUBLIC_FORM_LIMIT = env_int("HEARD_PUBLIC_FORM_LIMIT", 10)
# Reports: the month a reporting year starts in (4: April to March), and in publication mode
# the largest count shown as [c] (1 to this number), as the DfE's statistics do.
HEARD_REPORTING_YEAR_START_MONTH = env_int("HEARD_REPORTING_YEAR_START_MONTH", 4)
HEARD_SUPPRESSION_THRESHOLD = env_int("HEARD_SUPPRESSION_THRESHOLD", 5)
if not 1 <= HEARD_REPORTING_YEAR_START_MONTH <= 12:
    raise ImproperlyConfigured("HEARD_REPORTING_YEAR_START_MONTH must be a month, 1 to 12.")
if HEARD_SUPPRESSION_THRESHOLD < 0:
    raise ImproperlyConfigured("HEARD_SUPPRESSION_THRESHOLD cannot be negative.")
# Where staff reach Heard, for links in e-mails.
HEARD_BASE_URL = env("HEARD_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "heard.core",
    "heard.accounts",
    "heard.audit",
    "heard.taxonomy",
    "heard.deadlines",
    "heard.cases",
    "heard.notifications",
    "heard.exchange",
    "heard.api",
    # django-ninja as an app, so the API docs page serves Swagger UI locally, not from a CDN.
    "ninja",
    "heard.public",
    "heard.reports",
    "heard.people",
    "heard.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "heard.api.middleware.ApiAuditMiddleware",
    "heard.public.middleware.PublicUnavailableMiddleware",
]

ROOT_URLCONF = "heard.urls"
WSGI_APPLICATION = "heard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heard.core.context_processors.council",
            ],
        },
    },
]
# Forms render through the GOV.UK templates in heard/core/templates/heard/forms/.
FORM_RENDERER = "heard.core.forms.GovukFormRenderer"

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'heard.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE avoids lock upgrades
    # failing half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("HEARD_TEST_SQLITE") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sessions end after a period of inactivity: every request pushes the expiry back.
SESSION_COOKIE_AGE = env_int("HEARD_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): lock an account/address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("HEARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HEARD_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HEARD_BEHIND_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Language, time and dates -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]

# --- Static files and uploads -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from the app directories (WHITENOISE_USE_FINDERS); an empty STATIC_ROOT
# keeps it from warning on every start.
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Documents are kept outside the web root and are only ever served through a view that
# checks permission.
MEDIA_ROOT = DATA_DIR / "documents"
MEDIA_URL = "/documents/"  # nothing serves this path: a permission-checked view sends files
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "heard@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 30
else:
    # No mail server configured: messages are written to files so none is lost.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Logging: no personal data. Requests are logged by path only, never with bodies. ---------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
