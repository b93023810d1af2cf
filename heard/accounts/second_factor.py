"""The second factor: a time-based code (TOTP, RFC 6238) from an authenticator app, through
django-otp, or one of the person's single-use recovery codes (heard/accounts/recovery_codes.py).

Who needs one: every role in ``HEARD_SECOND_FACTOR_ROLES`` (administrators and complaints
managers by default), and anyone who has set one up. A session that needs one and has not
passed it reaches only the pages here and sign-out (heard/accounts/middleware.py).

After single sign-on the provider may have checked a second factor already: Heard believes it
when the ID token's ``amr`` claim names a second factor (:data:`PROVIDER_MFA_METHODS`), or
always when ``HEARD_OIDC_TRUST_PROVIDER_MFA`` is on; otherwise the person is asked for
Heard's own code exactly as after a password (and sent to set up an app if they have none).

Wrong codes are slowed down by django-otp's throttling (each failure doubles the wait before
the next code is even checked), so six digits cannot be guessed in the time a code lasts.
Recovery: a recovery code in place of the app's code, or an administrator resets the person's
devices in the admin (:func:`reset`), and the person sets up a new app at their next sign-in.
Every step is audited.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts import recovery_codes
from heard.accounts.roles import role_of
from heard.audit import services as audit

#: The session key saying how this session signed in ("password" or "oidc").
METHOD = "heard_sign_in_method"
#: Set at a sign-in for someone who has set up a second factor whatever their role.
DUE = "heard_second_factor_due"
#: Set at a single sign-on whose ID token says a second factor was used (its ``amr`` claim).
PROVIDER_MFA = "heard_provider_second_factor"
#: ``amr`` values (RFC 8176) that mean the provider checked more than a password: "mfa" itself,
#: or a second factor by name (a one-time code, a hardware or software key, FIDO, a text
#: message, proof of possession of a key).
PROVIDER_MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "fido", "sms", "pop"})


def device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def role_requires(user) -> bool:
    role = role_of(user)
    return role is not None and role.value in settings.HEARD_SECOND_FACTOR_ROLES


def provider_used_mfa(amr) -> bool:
    """Whether an ID token's ``amr`` claim says a second factor was used."""
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list | tuple):
        return False
    return any(isinstance(method, str) and method in PROVIDER_MFA_METHODS for method in amr)


def owed(request, user) -> bool:
    """Whether this sign-in needs a second factor of Heard's own (passed or not)."""
    session = request.session
    if session.get(METHOD) == "oidc" and (
        settings.HEARD_OIDC_TRUST_PROVIDER_MFA or session.get(PROVIDER_MFA)
    ):
        return False
    return role_requires(user) or bool(session.get(DUE))


def outstanding(request) -> bool:
    """Whether this signed-in session still has to pass a second factor."""
    user = request.user
    if not user.is_authenticated:
        return False
    return owed(request, user) and not user.is_verified()


OIDC_BACKEND = "heard.accounts.oidc.Backend"


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    """Every sign-in: remember how, and whether a second factor is due although the role does
    not require one. A sign-in through a form (the sign-in page, the admin's) is audited
    here; single sign-on in its callback (heard/accounts/oidc.py). The test client's
    ``force_login`` posts no form and is not audited."""
    if request is None or not hasattr(request, "session"):
        return
    single_sign_on = request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND
    request.session[METHOD] = "oidc" if single_sign_on else "password"
    if single_sign_on:  # the ID token's amr, kept by heard.accounts.oidc.Backend
        request.session[PROVIDER_MFA] = provider_used_mfa(getattr(request, "heard_sso_amr", None))
    due = role_requires(user)
    if not due and device_of(user) is not None:
        request.session[DUE] = due = True
    if request.method == "POST" and not single_sign_on:
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


def enrol(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device if ``code`` is right, count the session as verified, and return the
    person's first set of recovery codes (to be shown once); None if the code is wrong."""
    if not _check(device, code):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record("account.second_factor_set_up", user=request.user, obj=request.user)
        codes = recovery_codes.issue(request.user)
    otp_login(request, device)
    return codes


CODE, RECOVERY_CODE = "code", "recovery code"


def verify(request, code: str) -> str | None:
    """Check the app's code, or a recovery code (spent by this); returns which it was, or None
    when it is wrong. Neither the code nor a digest of it is recorded."""
    user = request.user
    recovery = recovery_codes.normalise(code)
    if recovery is not None:
        device, how = recovery_codes.use(user, recovery), RECOVERY_CODE
    else:
        device, how = device_of(user), CODE
        if device is not None and not _check(device, code):
            device = None
    if device is None:
        note = "A recovery code" if recovery is not None else ""
        audit.record("account.second_factor_failed", user=user, obj=user, note=note)
        return None
    otp_login(request, device)
    first = "Single sign-on" if request.session.get(METHOD) == "oidc" else "Password"
    audit.record("account.signed_in", user=user, obj=user, note=f"{first} and {how}")
    return how


def reset(user, *, by) -> int:
    """Remove every device of ``user``, recovery codes too (they set up a new app at their
    next sign-in); a session one of them verified is no longer verified."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record("admin.second_factor_reset", user=by, obj=user, note=f"User: {user}")
    return removed
