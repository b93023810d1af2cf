"""Sign-in throttling: an account is locked after a few failures, an address is throttled only
after many, each counted on its own.

A council's staff often share one public address. Locking by address after five failures
would let one person's typing lock out every colleague; locking the account/address pair (as
before) let a guesser try five passwords per account from every address. So: five failures
for an account, from anywhere, lock that account (``HEARD_LOGIN_FAILURE_LIMIT``); fifty from
one address, across any accounts, throttle that address (``HEARD_LOGIN_ADDRESS_LIMIT``); both
for ``HEARD_LOGIN_COOLOFF_MINUTES`` after the last failure. While refused, even the right
password is refused, and the refusal itself is not counted (so a lock ends on time). A
successful sign-in clears the account's failures.

``ThrottleBackend`` comes first in ``AUTHENTICATION_BACKENDS``, so every sign-in path (the
sign-in page, the admin's) goes through it. The account is kept only as a keyed digest of the
name typed (people type passwords into the username box), the address as the client address
(heard.core.middleware.TrustedProxyMiddleware decides it). See
docs/decisions/0025-lock-accounts-throttle-addresses.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone

from heard.accounts.models import SignInFailure
from heard.audit import security

ACCOUNT, ADDRESS = "account", "address"
#: Failures older than this are deleted as new ones are recorded.
KEEP = datetime.timedelta(days=1)


def account_key(username: str) -> str:
    message = (username or "").strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64] if request else "unknown"


def _recent():
    cooloff = datetime.timedelta(minutes=settings.HEARD_LOGIN_COOLOFF_MINUTES)
    return SignInFailure.objects.filter(at__gte=timezone.now() - cooloff)


def refusal(username: str, address: str) -> str | None:
    """``"account"`` or ``"address"`` if sign-in is refused now, else None."""
    if _recent().filter(account=account_key(username)).count() >= (
        settings.HEARD_LOGIN_FAILURE_LIMIT
    ):
        return ACCOUNT
    if _recent().filter(address=address).count() >= settings.HEARD_LOGIN_ADDRESS_LIMIT:
        return ADDRESS
    return None


class ThrottleBackend:
    """Refuses (PermissionDenied stops Django trying the other backends) while locked.

    It authenticates nobody and has no ``get_user``, so sessions never name it (and the test
    client's ``force_login`` passes over it)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        refused = refusal(username or "", client_address(request))
        if refused:
            request.heard_sign_in_refused = refused
            security.note(f"sign_in.{refused}_refused", client_address(request), "sign-in")
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "heard_sign_in_refused", None):
        return
    SignInFailure.objects.filter(at__lt=timezone.now() - KEEP).delete()
    SignInFailure.objects.create(
        account=account_key(credentials.get("username", "")), address=client_address(request)
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    SignInFailure.objects.filter(account=account_key(user.get_username())).delete()
