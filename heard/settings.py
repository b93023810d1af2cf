"""Django settings for Heard, read from the environment (see ``.env.example``).

Defaults suit a single machine with the embedded SQLite database under ``var/``; production
sets ``DATABASE_URL`` to a PostgreSQL server, a ``SECRET_KEY``, ``ALLOWED_HOSTS`` and e-mail.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from heard import filestorage
from heard.accounts.roles import Role
from heard.envconfig import env, env_bool, env_choice, env_int, env_list

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("HEARD_DATA_DIR") or Path.cwd() / "var").resolve()
# Everything Heard writes (the SQLite database, documents, mail files, job results) is readable
# by Heard's own user only; ``heard worker`` also puts right anything made otherwise
# (heard/retention/housekeeping.py).
os.umask(0o077)
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

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
# Files one address may upload to the public form in an hour, across all its sessions.
HEARD_PUBLIC_UPLOAD_LIMIT = env_int("HEARD_PUBLIC_UPLOAD_LIMIT", 20)
# The online form: where it tells a child to call out of hours, the complaints team's address
# (told of each new submission) and the advocacy provider (sent referrals a child agrees to).
HEARD_OUT_OF_HOURS_PHONE = env("HEARD_OUT_OF_HOURS_PHONE", "0300 123 4568")
HEARD_COMPLAINTS_TEAM_EMAIL = env("HEARD_COMPLAINTS_TEAM_EMAIL", "")
HEARD_ADVOCACY_PROVIDER_NAME = env("HEARD_ADVOCACY_PROVIDER_NAME", "")
HEARD_ADVOCACY_PROVIDER_EMAIL = env("HEARD_ADVOCACY_PROVIDER_EMAIL", "")
# Reports: the month a reporting year starts in (4: April to March), and in publication mode
# the largest count shown as [c] (1 to this number), as the DfE's statistics do.
HEARD_REPORTING_YEAR_START_MONTH = env_int("HEARD_REPORTING_YEAR_START_MONTH", 4)
HEARD_SUPPRESSION_THRESHOLD = env_int("HEARD_SUPPRESSION_THRESHOLD", 5)
if not 1 <= HEARD_REPORTING_YEAR_START_MONTH <= 12:
    raise ImproperlyConfigured("HEARD_REPORTING_YEAR_START_MONTH must be a month, 1 to 12.")
if HEARD_SUPPRESSION_THRESHOLD < 0:
    raise ImproperlyConfigured("HEARD_SUPPRESSION_THRESHOLD cannot be negative.")
# The complaints mailbox that `heard worker` reads over IMAP with TLS (no host: not read).
HEARD_IMAP_HOST = env("HEARD_IMAP_HOST", "")
HEARD_IMAP_PORT = env_int("HEARD_IMAP_PORT", 993)
HEARD_IMAP_USER = env("HEARD_IMAP_USER", "")
HEARD_IMAP_PASSWORD = env("HEARD_IMAP_PASSWORD", "")
HEARD_IMAP_FOLDER = env("HEARD_IMAP_FOLDER", "INBOX")
# A certificate authority to trust for the mailbox beyond the system's (a council's own CA).
HEARD_IMAP_CA_FILE = env("HEARD_IMAP_CA_FILE", "")
# GOV.UK Notify as the outbox's transport in place of SMTP (docs/notifications.md): an API key
# and the id of one e-mail template whose subject is ((subject)) and body ((body)).
HEARD_NOTIFY_API_KEY = env("HEARD_NOTIFY_API_KEY", "")
HEARD_NOTIFY_TEMPLATE_ID = env("HEARD_NOTIFY_TEMPLATE_ID", "")
HEARD_NOTIFY_REPLY_TO_ID = env("HEARD_NOTIFY_REPLY_TO_ID", "")
HEARD_NOTIFY_BASE_URL = env("HEARD_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
if HEARD_NOTIFY_API_KEY and not re.fullmatch(rf".+-{_UUID}-{_UUID}", HEARD_NOTIFY_API_KEY):
    raise ImproperlyConfigured(
        "HEARD_NOTIFY_API_KEY is not a GOV.UK Notify API key (name-service id-secret)."
    )
if HEARD_NOTIFY_API_KEY and not re.fullmatch(_UUID, HEARD_NOTIFY_TEMPLATE_ID or ""):
    raise ImproperlyConfigured(
        "HEARD_NOTIFY_TEMPLATE_ID must be the id of a GOV.UK Notify e-mail template when "
        "HEARD_NOTIFY_API_KEY is set."
    )
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
    # The second factor (TOTP) and its single-use recovery codes (heard/accounts/second_factor.py,
    # heard/accounts/recovery_codes.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Single sign-on with OpenID Connect (heard/accounts/oidc.py).
    "mozilla_django_oidc",
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
    "heard.correspondence",
    "heard.reports",
    # Background jobs: Django's tasks API (the django-tasks backport) with its database
    # backend, worked by `heard worker` (docs/operations.md).
    "django_tasks",
    "django_tasks_db",
    "heard.jobs",
    "heard.people",
    "heard.search",
    "heard.retention",
]

MIDDLEWARE = [
    # First: decides whether X-Forwarded-For/-Proto are believed (HEARD_TRUSTED_PROXIES).
    "heard.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their own caching headers.
    "heard.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which device (if any) verified this session's second factor; then the check that a
    # session needing one has it before it reaches any page (heard/accounts/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "heard.accounts.middleware.SecondFactorMiddleware",
    # Pushes a signed-in session's expiry back, writing it at most once a minute.
    "heard.accounts.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Audits API calls and every page about a case; unauthenticated API calls go to the
    # rate-limited security log instead (heard/audit/middleware.py).
    "heard.audit.middleware.RequestAuditMiddleware",
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
_DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'heard.sqlite3'}"
# Seconds a connection is kept for the next request of the same thread: a minute by default,
# 0 opens one per request. Opening a PostgreSQL connection costs each request about 10 ms of
# database CPU; opening the SQLite file costs its settings, reading the schema again and a
# cold page cache, a fifth to a third of a case list's CPU at 100,000 cases. A restore writes
# into the same SQLite file (its backup API), which kept connections read at their next query.
# Kept connections are checked before each request's first query (CONN_HEALTH_CHECKS), so a
# restarted database server costs no failed request.
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
if DATABASE_CONN_MAX_AGE < 0:
    raise ImproperlyConfigured("DATABASE_CONN_MAX_AGE must be 0 or more seconds.")
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE avoids lock upgrades
    # failing half-way through a transaction. Reading through a memory map and a 32 MB page
    # cache, with temporary tables in memory, is what keeps a search at 100,000 cases fast
    # (SQLite's defaults are a 2 MB cache and a system call for every page; docs/search.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON; PRAGMA cache_size=-32000; "
        "PRAGMA mmap_size=1073741824; PRAGMA temp_store=MEMORY;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("HEARD_TEST_SQLITE") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses while an account is locked or an address throttled.
    "heard.accounts.throttle.ThrottleBackend",
    # Passwords, unless HEARD_LOCAL_SIGN_IN is off.
    "heard.accounts.backends.LocalPasswordBackend",
    # Single sign-on: does nothing unless HEARD_OIDC_CLIENT_ID is set.
    "heard.accounts.oidc.Backend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Stricter than the above about the username: no password that contains it (or it them).
    {"NAME": "heard.accounts.passwords.NotBasedOnUsernameValidator"},
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

# Sessions end after a period of inactivity. A request pushes the expiry back, but the session
# is written at most once a minute (heard/accounts/middleware.py, SessionIdleMiddleware), not on
# every page: so the stored age is the idle time plus that minute, and a session ends between
# 30 and 31 idle minutes.
SESSION_IDLE_SECONDS = env_int("HEARD_SESSION_IDLE_MINUTES", 30) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_REFRESH_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Sign-in throttling (heard/accounts/throttle.py): failures that lock an account, failures from
# one address (across accounts) that throttle it, and for how long after the last failure.
HEARD_LOGIN_FAILURE_LIMIT = env_int("HEARD_LOGIN_FAILURE_LIMIT", 5)
HEARD_LOGIN_ADDRESS_LIMIT = env_int("HEARD_LOGIN_ADDRESS_LIMIT", 50)
HEARD_LOGIN_COOLOFF_MINUTES = env_int("HEARD_LOGIN_COOLOFF_MINUTES", 15)
if not 1 <= HEARD_LOGIN_FAILURE_LIMIT <= HEARD_LOGIN_ADDRESS_LIMIT:
    raise ImproperlyConfigured(
        "HEARD_LOGIN_FAILURE_LIMIT must be at least 1 and at most HEARD_LOGIN_ADDRESS_LIMIT."
    )

# Local accounts (username and password) may be switched off when single sign-on is set up.
HEARD_LOCAL_SIGN_IN = env_bool("HEARD_LOCAL_SIGN_IN", True)
# Roles that must pass a second factor (TOTP) after their password; anyone who has set one up
# is asked for it too, and so is someone who signed in through single sign-on when the provider
# does not say a second factor was used (HEARD_OIDC_TRUST_PROVIDER_MFA below).
HEARD_SECOND_FACTOR_ROLES = env_list("HEARD_SECOND_FACTOR_ROLES", ["administrator", "manager"])
if set(HEARD_SECOND_FACTOR_ROLES) - set(Role.values):
    raise ImproperlyConfigured(
        f"HEARD_SECOND_FACTOR_ROLES: roles are {', '.join(Role.values)}; "
        f"not {', '.join(sorted(set(HEARD_SECOND_FACTOR_ROLES) - set(Role.values)))}."
    )
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = COUNCIL_NAME + " (Heard)"

# Single sign-on with OpenID Connect (docs/operations.md#single-sign-on): on when a client id
# is set. Endpoints are given, not discovered, so a provider's outage cannot stop Heard starting.
HEARD_OIDC_CLIENT_ID = env("HEARD_OIDC_CLIENT_ID", "")
HEARD_OIDC = bool(HEARD_OIDC_CLIENT_ID)
HEARD_OIDC_PROVIDER_NAME = env("HEARD_OIDC_PROVIDER_NAME", "your council account")
HEARD_OIDC_ISSUER = env("HEARD_OIDC_ISSUER", "")
# The claim holding the person's groups, and which group gives which role:
# "group=role,group=role" (a person in several mapped groups gets the widest role).
HEARD_OIDC_GROUPS_CLAIM = env("HEARD_OIDC_GROUPS_CLAIM", "groups")
HEARD_OIDC_GROUP_ROLES = {}
for _pair in env_list("HEARD_OIDC_GROUP_ROLES", []):
    _group, _, _role = _pair.rpartition("=")
    if not _group or _role not in Role.values:
        raise ImproperlyConfigured(
            f"HEARD_OIDC_GROUP_ROLES: {_pair!r} is not group=role with a role from "
            f"{', '.join(Role.values)}."
        )
    HEARD_OIDC_GROUP_ROLES[_group.strip()] = _role
# After single sign-on Heard reads the ID token's `amr` claim: a person whose role needs a
# second factor is let in without Heard's own code only when the provider says one was used.
# True: trust the provider's sign-in regardless (for a provider that enforces MFA but does not
# send `amr`, such as Entra ID with Conditional Access).
HEARD_OIDC_TRUST_PROVIDER_MFA = env_bool("HEARD_OIDC_TRUST_PROVIDER_MFA", False)
# The claim that names a person's Heard username when they first sign in.
HEARD_OIDC_USERNAME_CLAIM = env("HEARD_OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_RP_CLIENT_ID = HEARD_OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = env("HEARD_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("HEARD_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("HEARD_OIDC_TOKEN_ENDPOINT", "")
# Optional: without it, the claims come from the signed ID token alone (Entra ID puts groups
# there).
OIDC_OP_USER_ENDPOINT = env("HEARD_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("HEARD_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("HEARD_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = env("HEARD_OIDC_SCOPES", "openid profile email")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 15
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
if HEARD_OIDC:
    _missing = [
        name
        for name, value in {
            "HEARD_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "HEARD_OIDC_ISSUER": HEARD_OIDC_ISSUER,
            "HEARD_OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "HEARD_OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "HEARD_OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
            "HEARD_OIDC_GROUP_ROLES": HEARD_OIDC_GROUP_ROLES,
        }.items()
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(_missing)} too.")
elif not HEARD_LOCAL_SIGN_IN:
    raise ImproperlyConfigured(
        "HEARD_LOCAL_SIGN_IN is off and single sign-on is not set up: nobody could sign in."
    )

SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS proxy: the proxies' addresses or ranges (comma-separated). X-Forwarded-For and
# X-Forwarded-Proto are believed only from these (heard.core.middleware.TrustedProxyMiddleware)
# and removed from every other request, so the header below cannot be forged.
if env("HEARD_BEHIND_PROXY") is not None:
    raise ImproperlyConfigured(
        "HEARD_BEHIND_PROXY is replaced by HEARD_TRUSTED_PROXIES: list the proxy's addresses "
        "(for example 127.0.0.1 or 10.0.0.0/24)."
    )
HEARD_TRUSTED_PROXIES = env_list("HEARD_TRUSTED_PROXIES", [])
try:
    [ipaddress.ip_network(proxy, strict=False) for proxy in HEARD_TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(f"HEARD_TRUSTED_PROXIES: {error}.") from None
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HEARD_TRUSTED_PROXIES else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# API tokens: how long a new one lasts unless `heard token --days` says, and the longest allowed.
HEARD_API_TOKEN_DAYS = env_int("HEARD_API_TOKEN_DAYS", 365)
HEARD_API_TOKEN_MAX_DAYS = env_int("HEARD_API_TOKEN_MAX_DAYS", 730)
if not 1 <= HEARD_API_TOKEN_DAYS <= HEARD_API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("HEARD_API_TOKEN_DAYS must be from 1 to HEARD_API_TOKEN_MAX_DAYS.")
# The security log (unauthenticated API calls, sign-in lockouts): addresses kept per kind of
# event in each ten-minute window before the rest are counted together, and days kept.
HEARD_SECURITY_LOG_ADDRESSES = env_int("HEARD_SECURITY_LOG_ADDRESSES", 200)
HEARD_SECURITY_LOG_DAYS = env_int("HEARD_SECURITY_LOG_DAYS", 90)

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
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Documents, job results (report files, exports, uploads waiting for an import job) and spooled
# online forms go through Django's storage API, so that several machines can share them: local
# folders under HEARD_DATA_DIR by default, or S3-compatible object storage with
# HEARD_FILE_STORAGE=s3 and HEARD_S3_* (heard/filestorage.py, docs/operations.md).
HEARD_FILE_STORAGE = env_choice("HEARD_FILE_STORAGE", "local", filestorage.KINDS)
STORAGES = filestorage.storages_setting(DATA_DIR)

# Computed reports kept until the data changes (heard/reports/cache.py) and drawn charts
# (heard/reports/render/charts.py), in files that the server's processes and the worker share
# (written readable by Heard's user only); "default" is Django's.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "reports",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# --- Background jobs --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Jobs one person may have waiting or running at once; more are refused with a plain message.
HEARD_JOBS_PER_PERSON = env_int("HEARD_JOBS_PER_PERSON", 6)
# A worker not heard from for this many seconds counts as stopped (/healthz, stale jobs).
HEARD_WORKER_STALE_SECONDS = env_int("HEARD_WORKER_STALE_SECONDS", 300)
# How much lower than the web processes `heard worker` runs (the Unix nice value, 0 to 19).
HEARD_WORKER_NICE = env_int("HEARD_WORKER_NICE", 10)
if not 0 <= HEARD_WORKER_NICE <= 19:
    raise ImproperlyConfigured("HEARD_WORKER_NICE must be 0 to 19.")
# Sent e-mails (the outbox, and mail files when no mail server is set) are purged after this
# many days; a letter or e-mail filed on a case keeps its own copy there.
HEARD_SENT_MAIL_DAYS = env_int("HEARD_SENT_MAIL_DAYS", 30)
if HEARD_SENT_MAIL_DAYS < 1:
    raise ImproperlyConfigured("HEARD_SENT_MAIL_DAYS must be at least 1.")
# /healthz reports 503 when more e-mails than this are waiting past their time.
HEARD_OUTBOX_BACKLOG_LIMIT = env_int("HEARD_OUTBOX_BACKLOG_LIMIT", 500)
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
}
