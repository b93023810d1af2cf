"""A plain page, not an error trace, when the online form cannot reach the database."""

from django.contrib.sessions.backends.base import SessionBase
from django.db import DatabaseError
from django.shortcuts import render


class PublicUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/tell-us/") and isinstance(exception, DatabaseError):
            # Nothing can be saved now. Keep the visitor's session cookie, so that their
            # answers are there when they try again, but never read or write the database
            # for it again in this request (an error response is never saved).
            key = getattr(request.session, "session_key", None)
            request.session = KeptSession(key)
            return render(request, "public/unavailable.html", {"kept": bool(key)}, status=503)
        return None


class KeptSession(SessionBase):
    """A stand-in for the visitor's session while the database is away: it keeps the
    session key (so Django keeps the cookie, and with it the answers already stored) and
    never reads or writes the database."""

    def __init__(self, session_key):
        super().__init__(session_key)
        self._session_cache = {}

    def save(self, must_create=False):
        """Nothing to save: the stored session is left as it was."""
