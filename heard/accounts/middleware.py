"""Nothing but the second-factor pages and sign-out for a session that still owes a second
factor (heard/accounts/second_factor.py): every staff page, the admin, downloads, all of it."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from heard.accounts import second_factor

ALLOWED = ("accounts:second-factor", "accounts:second-factor-set-up", "accounts:sign-out")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor.outstanding(request):
            allowed = {reverse(name) for name in ALLOWED}
            if request.path not in allowed:
                page = "accounts:second-factor"
                if second_factor.device_of(request.user) is None:
                    page = "accounts:second-factor-set-up"
                return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
