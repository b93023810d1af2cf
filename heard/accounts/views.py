from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from heard.accounts.forms import SignInForm
from heard.core.access import public_view


@public_view
def sign_in(request, *args, **kwargs):
    response = auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )(request, *args, **kwargs)
    if getattr(request, "heard_sign_in_refused", None):  # heard/accounts/throttle.py
        context = {"cooloff_minutes": settings.HEARD_LOGIN_COOLOFF_MINUTES}
        return render(request, "accounts/locked_out.html", context, status=429)
    return response


@public_view
def sign_out(request, *args, **kwargs):
    return auth_views.LogoutView.as_view()(request, *args, **kwargs)
