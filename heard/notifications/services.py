"""Queueing and sending e-mail through the outbox."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from heard.notifications import transports
from heard.notifications.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
MAX_BACKOFF = datetime.timedelta(hours=6)


def queue(to: str, subject: str, body: str, *, key: str | None = None) -> OutboxMessage | None:
    """Save a message to be sent. A message whose key was queued before is not queued again
    (returns None), so reminders can be generated as often as you like."""
    if key and OutboxMessage.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                to=to, subject=subject, body=body, key=key, next_attempt_at=timezone.now()
            )
    except IntegrityError:  # the same key queued at the same moment by another worker
        return None


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes after each failure, at most six hours."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_due(*, now: datetime.datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send queued messages whose time has come. Returns (sent, failed attempts)."""
    now = now or timezone.now()
    sent = failed = 0
    for _ in range(limit):
        with transaction.atomic():
            due = OutboxMessage.objects.filter(
                status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now
            ).order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            message = due.first()
            if message is None:
                break
            try:
                transports.send(message)  # SMTP, or GOV.UK Notify when configured
            except Exception as error:  # any failure of the mail server: retry later
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:500]
                message.next_attempt_at = now + backoff(message.attempts)
                if message.attempts >= MAX_ATTEMPTS or isinstance(error, transports.Undeliverable):
                    message.status = OutboxMessage.Status.FAILED
                message.save()
                log.warning("Outbox message %s not sent (attempt %s)", message.pk, message.attempts)
                failed += 1
            else:
                message.status, message.sent_at = OutboxMessage.Status.SENT, now
                message.attempts += 1
                message.save()
                sent += 1
    return sent, failed


def retry(messages) -> int:
    """Put failed or waiting messages back at the front of the queue (admin action)."""
    return messages.exclude(status=OutboxMessage.Status.SENT).update(
        status=OutboxMessage.Status.QUEUED, next_attempt_at=timezone.now()
    )
