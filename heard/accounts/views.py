from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from heard.accounts import recovery_codes, second_factor
from heard.accounts.forms import CodeForm, SecondFactorForm, SignInForm
from heard.core.access import public_view, staff_view


def _any_role(user) -> bool:
    return True


@public_view
def sign_in(request, *args, **kwargs):
    if not settings.HEARD_LOCAL_SIGN_IN and request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    response = auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
        extra_context={
            "local_sign_in": settings.HEARD_LOCAL_SIGN_IN,
            "single_sign_on": settings.HEARD_OIDC,
            "provider_name": settings.HEARD_OIDC_PROVIDER_NAME,
        },
    )(request, *args, **kwargs)
    if getattr(request, "heard_sign_in_refused", None):  # heard/accounts/throttle.py
        context = {"cooloff_minutes": settings.HEARD_LOGIN_COOLOFF_MINUTES}
        return render(request, "accounts/locked_out.html", context, status=429)
    return response


@public_view
def sign_out(request, *args, **kwargs):
    return auth_views.LogoutView.as_view()(request, *args, **kwargs)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@staff_view(_any_role)
def second_factor_check(request):
    """Ask for the code after the password (heard/accounts/second_factor.py)."""
    if not second_factor.outstanding(request):
        return redirect(_next(request))
    if second_factor.device_of(request.user) is None:
        return redirect("accounts:second-factor-set-up")
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        how = second_factor.verify(request, form.cleaned_data["code"])
        if how == second_factor.RECOVERY_CODE:
            left = recovery_codes.remaining(request.user)
            messages.warning(
                request,
                f"You used a recovery code: it will not work again. You have {left} left. "
                "If you have lost your phone, ask a Heard administrator to reset your second "
                "factor; you can get a new set of recovery codes from “Your second factor”.",
            )
        if how is not None:
            return redirect(_next(request))
        form.add_error(
            "code",
            "That code is not right. Enter the code your app shows now, or a recovery code you "
            "have not used; after several wrong codes you have to wait a little before the "
            "next one is checked",
        )
        status = 403
    context = {
        "form": form,
        "next": _next(request),
        "single_sign_on": request.session.get(second_factor.METHOD) == "oidc",
    }
    return render(request, "accounts/second_factor.html", context, status=status)


@staff_view(_any_role)
def second_factor_set_up(request):
    """Set up an authenticator app. Only while the account has none: someone who knows the
    password but not the code cannot replace the device (an administrator resets it)."""
    if second_factor.device_of(request.user) is not None:
        if second_factor.outstanding(request):
            return redirect("accounts:second-factor")
        return render(request, "accounts/second_factor_set_up.html", {"already": True})
    device = second_factor.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = second_factor.enrol(request, device, form.cleaned_data["code"])
        if codes is not None:
            return _show_recovery_codes(request, codes, first=True)
        form.add_error("code", "That code is not right. Check the app was set up with this secret")
        status = 403
    context = {
        "form": form,
        "next": _next(request),
        "qr": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "required": second_factor.role_requires(request.user),
        "single_sign_on": request.session.get(second_factor.METHOD) == "oidc",
    }
    return render(request, "accounts/second_factor_set_up.html", context, status=status)


def _show_recovery_codes(request, codes, *, first: bool):
    """The codes, shown this once: never kept in the session, never shown again (the page,
    like every page, is sent with Cache-Control: no-store)."""
    context = {"codes": codes, "first": first, "next": _next(request)}
    return render(request, "accounts/recovery_codes_shown.html", context)


@staff_view(_any_role)
def recovery_codes_page(request):
    """How many recovery codes are left, and a new set (which makes the old set useless)."""
    has_app = second_factor.device_of(request.user) is not None
    if request.method == "POST" and has_app:
        return _show_recovery_codes(request, recovery_codes.issue(request.user), first=False)
    context = {"has_app": has_app, "left": recovery_codes.remaining(request.user)}
    return render(request, "accounts/recovery_codes.html", context)
