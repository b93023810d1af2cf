"""Per-address limits that every `heard serve` process shares (the public form's submissions
and uploads).

Each process used to count in its own memory (Django's local cache), so N processes allowed
N times the limit, and a restart forgot every count. The count now lives in one database row
per limit and address (``RateCount``): the address only as a digest keyed with SECRET_KEY, the
row kept until an hour after the last counted event (the window slides, as the cache entry's
timeout did). Counting is one UPDATE ... SET count = count + 1 inside a transaction, so two
processes counting at once both count. See docs/decisions/0033-limits-shared-in-the-database.md.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from heard.core.models import RateCount

WINDOW = datetime.timedelta(hours=1)
logger = logging.getLogger(__name__)


def _key(name: str, address: str) -> str:
    message = f"{name}\0{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:48]


def counted(name: str, address: str) -> int:
    """How many times ``address`` did ``name`` in the current window."""
    row = (
        RateCount.objects.filter(key=_key(name, address), expires_at__gt=timezone.now())
        .values_list("count", flat=True)
        .first()
    )
    return row or 0


def reached(name: str, address: str, limit: int) -> bool:
    """Whether ``address`` has used up ``limit``. When the database cannot answer, the limit is
    not applied (the public form keeps taking complaints into its spool while the database is
    away: a complaint refused for want of a counter would be lost), and that is logged."""
    try:
        return counted(name, address) >= limit
    except DatabaseError:
        logger.warning("Rate limit %s not checked: the database did not answer.", name)
        return False


def count(name: str, address: str) -> int | None:
    """Count one more; returns the new count (None when the database could not take it, which
    is logged). Expired rows are cleared as it goes."""
    try:
        return _count(name, address)
    except DatabaseError:
        logger.warning("Rate limit %s not counted: the database did not answer.", name)
        return None


def _count(name: str, address: str) -> int:
    key = _key(name, address)
    now = timezone.now()
    for _ in range(3):
        with transaction.atomic():
            RateCount.objects.filter(expires_at__lte=now).delete()
            updated = RateCount.objects.filter(key=key).update(
                count=F("count") + 1, expires_at=now + WINDOW
            )
            if not updated:
                try:
                    with transaction.atomic():
                        RateCount.objects.create(key=key, count=1, expires_at=now + WINDOW)
                except IntegrityError:  # another process created it first: count on it
                    continue
        return counted(name, address)
    raise RuntimeError("Could not count a rate-limited event.")  # pragma: no cover
