"""Settings for the test suite: the real settings with HTTPS off and a fast password hasher."""

from heard.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite empties its database between tests that commit (heard/audit/guards.py).
HEARD_TEST_FLUSH = True
