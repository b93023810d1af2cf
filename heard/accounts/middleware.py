"""Nothing but the second-factor pages and sign-out for a session that still owes a second
factor (heard/accounts/second_factor.py): every staff page, the admin, downloads, all of it."""

from urllib.parse import urlencode

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
