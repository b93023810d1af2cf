"""The second factor for local accounts: a time-based code (TOTP, RFC 6238) from an
authenticator app, through django-otp.

Who needs one: every role in ``HEARD_SECOND_FACTOR_ROLES`` (administrators and complaints
managers by default), and anyone who has set one up. A session that needs one and has not
passed it reaches only the pages here and sign-out (heard/accounts/middleware.py). Someone who
signed in through single sign-on is not asked: their provider checks the second factor.

Wrong codes are slowed down by django-otp's throttling (each failure doubles the wait before
the next code is even checked), so six digits cannot be guessed in the time a code lasts.
Recovery: an administrator resets the person's device in the admin (:func:`reset`), and the
person sets up a new one at their next sign-in. Every step is audited.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.roles import role_of
from heard.audit import services as audit

#: The session key saying how this session signed in ("password" or "oidc").
METHOD = "heard_sign_in_method"
#: Set at a password sign-in for someone who has set up a second factor whatever their role.
DUE = "heard_second_factor_due"


def device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def role_requires(user) -> bool:
    role = role_of(user)
    return role is not None and role.value in settings.HEARD_SECOND_FACTOR_ROLES


def outstanding(request) -> bool:
    """Whether this signed-in session still has to pass a second factor."""
    user = request.user
    if not user.is_authenticated or request.session.get(METHOD) == "oidc":
        return False
    if not (role_requires(user) or request.session.get(DUE)):
        return False
    return not user.is_verified()


OIDC_BACKEND = "heard.accounts.oidc.Backend"


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    """Every sign-in: remember how, and whether a second factor is due although the role does
    not require one. A sign-in through a form (the sign-in page, the admin's) is audited
    here; single sign-on in its callback (heard/accounts/oidc.py). The test client's
    ``force_login`` posts no form and is not audited."""
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND:
        request.session[METHOD] = "oidc"
        return
    request.session[METHOD] = "password"
    due = role_requires(user)
    if not due and device_of(user) is not None:
        request.session[DUE] = due = True
    if request.method == "POST":
        note = "Password; a code still to enter" if due else "Password"
        audit.record("account.signed_in", user=user, obj=user, note=note)


def enrolment_device(user) -> TOTPDevice:
    """The device being set up: kept unconfirmed until a code from it is entered."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, for the enrolment page."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _check(device: TOTPDevice, code: str) -> bool:
    allowed, _ = device.verify_is_allowed()
    return bool(allowed) and device.verify_token(code.replace(" ", ""))


def enrol(request, device: TOTPDevice, code: str) -> bool:
    """Confirm the device if ``code`` is right, and count the session as verified."""
    if not _check(device, code):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record("account.second_factor_set_up", user=request.user, obj=request.user)
    otp_login(request, device)
    return True


def verify(request, code: str) -> bool:
    device = device_of(request.user)
    if device is None or not _check(device, code):
        audit.record("account.second_factor_failed", user=request.user, obj=request.user)
        return False
    otp_login(request, device)
    audit.record("account.signed_in", user=request.user, obj=request.user, note="Password and code")
    return True


def reset(user, *, by) -> int:
    """Remove every device of ``user`` (they set up a new one at their next sign-in)."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit.record("admin.second_factor_reset", user=by, obj=user, note=f"User: {user}")
    return removed
