"""Sessions: nothing but the second-factor pages and sign-out for a session that still owes a
second factor (heard/accounts/second_factor.py): every staff page, the admin, downloads, all of
it; and the idle expiry of a session pushed back as it is used."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from heard.accounts import second_factor

ALLOWED = ("accounts:second-factor", "accounts:second-factor-set-up", "accounts:sign-out")
#: Pages for anyone, signed in or not: never held back, and never made to read the session (the
#: online form must answer with its own plain page when the database is away).
PUBLIC = ("/tell-us/", "/healthz", "/static/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC) and second_factor.outstanding(request):
            allowed = {reverse(name) for name in ALLOWED}
            if request.path not in allowed:
                page = "accounts:second-factor"
                if second_factor.device_of(request.user) is None:
                    page = "accounts:second-factor-set-up"
                return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


#: Where a session keeps the time (seconds since the epoch) its expiry was last pushed back.
REFRESHED = "heard_refreshed_at"


class SessionIdleMiddleware:
    """Push a session's expiry back while it is in use, writing it at most once a minute.

    Saving the session on every request (Django's SESSION_SAVE_EVERY_REQUEST) made every page
    a database write: on SQLite one writer at a time, so four people reading case lists queued
    behind each other's session updates. The stored age is the idle time plus the minute
    (settings.SESSION_COOKIE_AGE), so a session still ends after its idle time and never
    before it. A session the request did not read (the public pages, static files) is left
    alone, and so is an empty one: this never creates a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED] = now  # marks it modified: SessionMiddleware saves it
        return response
