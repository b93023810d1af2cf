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
            # Nothing can be saved now: give the rest of the request an empty session so
            # that it does not try (and fail again) to save the visitor's.
            request.session = SessionBase()
            return render(request, "public/unavailable.html", status=503)
        return None
