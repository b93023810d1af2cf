"""The security log: what unauthenticated callers did, counted, never the audit trail.

Anyone on the internet can call the API without a token or try to sign in, so none of that may
write a permanent row each time (1,000 calls would otherwise be 1,000 audit entries holding
whatever text the caller chose). ``note`` keeps one ``SecurityEvent`` per kind, address and
ten-minute window and counts the rest; past ``HEARD_SECURITY_LOG_ADDRESSES`` addresses in a
window, further addresses share one row (``*``), so the table grows by a bounded amount however
it is called. Only the first request of a window is kept as a sample, shortened. Rows older
than ``HEARD_SECURITY_LOG_DAYS`` go as new windows open. The application log gets one line per
new row, with no address in it.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from heard.audit.models import SecurityEvent

WINDOW = datetime.timedelta(minutes=10)
FOLDED = "*"
logger = logging.getLogger("heard.security")


def window_start(at: datetime.datetime) -> datetime.datetime:
    seconds = int(WINDOW.total_seconds())
    return at - datetime.timedelta(
        seconds=int(at.timestamp()) % seconds, microseconds=at.microsecond
    )


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


def _count(kind: str, address: str, window, now) -> bool:
    found = SecurityEvent.objects.filter(kind=kind, address=address, window=window)
    return bool(found.update(count=F("count") + 1, last_at=now))


def note(kind: str, address: str, sample: str = "") -> None:
    """Count one event of ``kind`` from ``address`` (``sign_in.account_locked``, …)."""
    now = timezone.now()
    window = window_start(now)
    address = (address or "unknown")[:64]
    with transaction.atomic():
        if _count(kind, address, window, now):
            return
        seen = SecurityEvent.objects.filter(kind=kind, window=window).count()
        if seen >= settings.HEARD_SECURITY_LOG_ADDRESSES:
            address = FOLDED
            if _count(kind, address, window, now):
                return
        else:
            cutoff = now - datetime.timedelta(days=settings.HEARD_SECURITY_LOG_DAYS)
            SecurityEvent.objects.filter(window__lt=cutoff).delete()
        try:
            with transaction.atomic():
                SecurityEvent.objects.create(
                    kind=kind, address=address, window=window, first_at=now, last_at=now,
                    sample=_printable(sample),
                )  # fmt: skip
        except IntegrityError:  # another request made the row first
            _count(kind, address, window, now)
            return
    logger.warning("Security log: %s (a new address in this ten-minute window).", kind)
