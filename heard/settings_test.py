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
# Jobs run at once, inside the request, so the suite's downloads get their file in the
# response; tests/jobs/ switch to the database backend and real `heard worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# `call_command("worker")` runs inside the test process: leave its priority alone.
HEARD_WORKER_NICE = 0
# Reports are computed afresh for every request: a test changes data in ways the data stamp
# does not see (factories), and tests/reports/test_report_speed.py switches the store on.
CACHES = {**CACHES, "reports": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
