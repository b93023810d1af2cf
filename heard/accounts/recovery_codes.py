"""Single-use recovery codes for the second factor, through django-otp's static-token plugin
(docs/decisions/0042-second-factor-recovery-codes.md).

Someone who sets up an authenticator app is shown ten codes once; each lets them past the
second-factor prompt once, in place of the app's code, so a lost or broken phone does not
need an administrator. They can get a new set at any time, which makes the old set useless.

What the database holds is not the code but a keyed digest of it (HMAC-SHA-256 with the
``SECRET_KEY``, and the user's id mixed in as a salt), cut to the 16 characters django-otp's
``StaticToken.token`` column holds: someone who reads a backup learns no code. A code is
checked and spent with one ``DELETE``, so two requests racing with the same code cannot both
pass. Wrong codes are throttled by the device (each failure doubles the wait). Issuing,
regenerating and using codes are audited with counts only: no code, nor its digest, is ever
written to the trail or a log.
"""

from __future__ import annotations

import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from heard.audit import services as audit

COUNT = 10
#: Lower-case letters and digits, without 0/o and 1/l, which are read and typed wrongly.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
#: Characters in a code (shown as two groups of five): 50 bits, with at most ``COUNT`` live
#: codes and the throttle in front of them.
LENGTH = 10
DEVICE_NAME = "Recovery codes"
_SALT = "heard.accounts.recovery_codes"


def normalise(text: str) -> str | None:
    """The code typed, lower-cased without spaces and hyphens, or None when it cannot be a
    recovery code."""
    code = "".join(text.split()).replace("-", "").lower()
    if len(code) == LENGTH and all(c in ALPHABET for c in code):
        return code
    return None


def _digest(user, code: str, secret: str) -> str:
    mac = salted_hmac(_SALT, f"{user.pk}:{code}", secret=secret, algorithm="sha256")
    return b32encode(mac.digest()).decode().lower()[:16]


def _digests(user, code: str) -> list[str]:
    """The code's digest under the current key and under each key being rotated out."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_digest(user, code, key) for key in keys]


def _new_code() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{code[:5]}-{code[5:]}"


def device_of(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=DEVICE_NAME).first()


def remaining(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=DEVICE_NAME).count()


def issue(user) -> list[str]:
    """A new set of codes for ``user``, replacing any earlier set; returns them (as they are
    to be shown, once). The device is kept, so a session it verified stays verified."""
    codes = [_new_code() for _ in range(COUNT)]
    with transaction.atomic():
        device = device_of(user)
        replaced = 0
        if device is None:
            device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        else:
            replaced, _ = device.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_digest(user, normalise(code), settings.SECRET_KEY))
            for code in codes
        )
        note = f"{COUNT} codes"
        if replaced:
            note += f"; the earlier set ({replaced} unused) no longer works"
        audit.record("account.recovery_codes_issued", user=user, obj=user, note=note)
    return codes


def use(user, code: str) -> StaticDevice | None:
    """Spend ``code`` (already normalised) if it is one of the user's unused codes; returns
    the device it belongs to, or None (a wrong code counts towards the device's throttle)."""
    device = device_of(user)
    if device is None:
        return None
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return None
    with transaction.atomic():
        matching = StaticToken.objects.filter(device=device, token__in=_digests(user, code))
        spent, _ = matching.delete()
        if not spent:
            device.throttle_increment()
            return None
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        left = device.token_set.count()
        audit.record("account.recovery_code_used", user=user, obj=user, note=f"{left} codes left")
    return device
